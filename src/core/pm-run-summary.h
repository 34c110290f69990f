/* pm-run-summary.h: what a finished run bought: its work, makespan, speed-up and cores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-pool.h"

G_BEGIN_DECLS

/**
 * PmRunSummary:
 * @n_jobs: the jobs that ran
 * @work: the sum of their run times, in seconds
 * @makespan: from the run's start to its end, in seconds
 * @speed_up: @work over @makespan
 * @limit: the pool limit (the last one, if it changed)
 * @cpu: the sum of their CPU times in seconds, or -1 when none is known
 * @cores_busy: @cpu over @makespan: how many cores the run kept busy, or -1
 */
typedef struct
{
  guint  n_jobs;
  double work;
  double makespan;
  double speed_up;
  guint  limit;
  double cpu;
  double cores_busy;
} PmRunSummary;

gboolean pm_run_summary_compute (PmPool             *pool,
                                 PmRunSummary       *summary);
char    *pm_run_summary_format  (const PmRunSummary *summary,
                                 gboolean            translated);
char    *pm_run_summary_format_preview (guint        n_jobs,
                                        guint        limit,
                                        gboolean     translated);

G_END_DECLS
