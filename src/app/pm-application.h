/* pm-application.h: the Pool Monitor application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PM_TYPE_APPLICATION (pm_application_get_type ())

G_DECLARE_FINAL_TYPE (PmApplication, pm_application, PM, APPLICATION, AdwApplication)

/* The schema id is the same for devel builds, whose application ID differs. */
#define PM_SETTINGS_SCHEMA "io.github.poolmonitor.PoolMonitor"

PmApplication *pm_application_new           (void);
GSettings     *pm_application_get_settings  (PmApplication *self);
GSettings     *pm_settings_new              (void);
gboolean       pm_settings_schema_check     (GError       **error);

G_END_DECLS
