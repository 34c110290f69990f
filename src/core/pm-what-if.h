/* pm-what-if.h: a recorded run replayed at other pool limits, on a given number of cores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pm-pool.h"

G_BEGIN_DECLS

typedef struct _PmWhatIf PmWhatIf;

/**
 * PmWhatIfPoint:
 * @limit: the pool limit replayed
 * @makespan: seconds from the first start to the last end, replayed
 * @speed_up: the makespan at limit 1 over this one
 * @cpu_bound: %TRUE when the cores, not the limit, held the jobs back at some point
 */
typedef struct
{
  guint    limit;
  double   makespan;
  double   speed_up;
  gboolean cpu_bound;
} PmWhatIfPoint;

PmWhatIf *pm_what_if_new                (guint           cores);
PmWhatIf *pm_what_if_new_for_pool       (PmPool         *pool,
                                         guint           cores);
void      pm_what_if_free               (PmWhatIf       *self);
void      pm_what_if_add_job            (PmWhatIf       *self,
                                         double          duration,
                                         double          cpu);
void      pm_what_if_calibrate          (PmWhatIf       *self,
                                         guint           limit);
guint     pm_what_if_get_n_jobs         (const PmWhatIf *self);
guint     pm_what_if_get_cores          (const PmWhatIf *self);
guint     pm_what_if_get_limit          (const PmWhatIf *self);
double    pm_what_if_get_work           (const PmWhatIf *self);
double    pm_what_if_get_cpu            (const PmWhatIf *self);
double    pm_what_if_get_recorded_makespan (const PmWhatIf *self);
void      pm_what_if_set_recorded_makespan (PmWhatIf    *self,
                                            double       seconds);
guint     pm_what_if_get_max_limit      (const PmWhatIf *self);
double    pm_what_if_replay             (const PmWhatIf *self,
                                         guint           limit,
                                         double         *starts,
                                         double         *ends,
                                         guint          *slots,
                                         gboolean       *cpu_bound);
GArray   *pm_what_if_table              (const PmWhatIf *self,
                                         guint           max_limit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PmWhatIf, pm_what_if_free)

G_END_DECLS
