/* pm-run-settings.h: what a run will be: jobs, limit, demo sleeps or a command template
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pm-hosts-group.h"
#include "pm-pool.h"
#include "pm-run-plan.h"

G_BEGIN_DECLS

#define PM_TYPE_RUN_SETTINGS (pm_run_settings_get_type ())

G_DECLARE_FINAL_TYPE (PmRunSettings, pm_run_settings, PM, RUN_SETTINGS, AdwBin)

GtkWidget *pm_run_settings_new          (void);
void       pm_run_settings_set_settings (PmRunSettings  *self,
                                         GSettings      *settings);
gboolean   pm_run_settings_validate     (PmRunSettings  *self);
PmPool    *pm_run_settings_make_pool    (PmRunSettings  *self,
                                         gboolean        preview,
                                         GError        **error);
gboolean   pm_run_settings_configure_pool (PmRunSettings  *self,
                                           PmPool         *pool,
                                           GError        **error);
void       pm_run_settings_commit       (PmRunSettings  *self);
void       pm_run_settings_focus_error  (PmRunSettings  *self);
const char *pm_run_settings_get_limit_error (PmRunSettings *self);
PmHostsGroup *pm_run_settings_get_hosts_group (PmRunSettings *self);
void       pm_run_settings_set_command_preview (PmRunSettings *self,
                                                const char    *text);

G_END_DECLS
