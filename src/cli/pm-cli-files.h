/* pm-cli-files.h: pool-run's files moved to and from hosts (--basefile, --transferfile,
 * --return, --cleanup, --trc, --workdir)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-cli-input.h"
#include "pm-pool.h"

G_BEGIN_DECLS

extern const GOptionEntry pm_cli_file_entries[];

gboolean   pm_cli_files_apply   (PmPool      *pool,
                                 PmCliInput  *input,
                                 GError     **error);

void       pm_cli_files_remove_basefiles (PmPool *pool);
void       pm_cli_files_close_hosts      (PmPool *pool);

G_END_DECLS
