/* pm-cli-what-if.h: pool-run --what-if, a recorded run's makespan at other limits, as a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-what-if.h"

G_BEGIN_DECLS

char *pm_cli_what_if_format (const PmWhatIf *what_if,
                             const char     *name);
int   pm_cli_what_if_run    (const char     *path,
                             guint           cores);

G_END_DECLS
