/* pm-cli-hosts.h: pool-run's remote hosts (-S, --slf, --ssh)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-pool.h"

G_BEGIN_DECLS

extern const GOptionEntry pm_cli_host_entries[];

gboolean   pm_cli_hosts_given    (void);
gboolean   pm_cli_hosts_remote   (void);
GPtrArray *pm_cli_hosts_prepare  (const char  *jobs,
                                  const char  *slot_program,
                                  GError     **error);

void       pm_cli_hosts_watch    (PmPool      *pool,
                                  GPtrArray   *hosts,
                                  const char  *slot_program);
void       pm_cli_hosts_unwatch  (void);

G_END_DECLS
