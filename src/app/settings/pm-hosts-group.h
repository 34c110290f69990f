/* pm-hosts-group.h: the hosts of the next run in the run settings, checked before it starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PM_TYPE_HOSTS_GROUP (pm_hosts_group_get_type ())

G_DECLARE_FINAL_TYPE (PmHostsGroup, pm_hosts_group, PM, HOSTS_GROUP, AdwPreferencesGroup)

void       pm_hosts_group_set_settings   (PmHostsGroup         *self,
                                          GSettings            *settings);
gboolean   pm_hosts_group_has_hosts      (PmHostsGroup         *self);
void       pm_hosts_group_check_async    (PmHostsGroup         *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean   pm_hosts_group_check_finish   (PmHostsGroup         *self,
                                          GAsyncResult         *result,
                                          GError              **error);
GPtrArray *pm_hosts_group_take_checked   (PmHostsGroup         *self,
                                          guint                 limit,
                                          GError              **error);
GPtrArray *pm_hosts_group_dup_planned    (PmHostsGroup         *self,
                                          guint                 limit);
void       pm_hosts_group_focus_error    (PmHostsGroup         *self);
char      *_pm_hosts_group_dup_status    (PmHostsGroup         *self,
                                          guint                 index);

G_END_DECLS
