/* pm-cli-results.h: pool-run --results DIR, the files of each job */
#pragma once

#include "pm-job.h"

G_BEGIN_DECLS

void pm_cli_results_open    (const char *results,
                             PmJob      *job,
                             int         fds[2]);
void pm_cli_results_restart (PmJob      *job,
                             int        *fd);

G_END_DECLS
