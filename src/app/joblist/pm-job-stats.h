/* pm-job-stats.h: CPU and memory of a pool's running jobs, sampled through libgtop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "pm-pool.h"

G_BEGIN_DECLS

#define PM_TYPE_JOB_STATS (pm_job_stats_get_type ())

G_DECLARE_FINAL_TYPE (PmJobStats, pm_job_stats, PM, JOB_STATS, GObject)

PmJobStats *pm_job_stats_new      (void);
void        pm_job_stats_set_pool (PmJobStats *self,
                                   PmPool     *pool);
void        pm_job_stats_sample   (PmJobStats *self);
gboolean    pm_job_stats_lookup   (PmJobStats *self,
                                   PmJob      *job,
                                   double     *cpu_percent,
                                   guint64    *resident);

G_END_DECLS
