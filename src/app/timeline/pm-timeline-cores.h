/* pm-timeline-cores.h: the machine's CPUs in the timeline's chart
 *
 * The chart draws the CPU count beside the limit, and under its lines a strip with one row per
 * CPU that shows how busy the CPU was, sampled while the run went.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-timeline.h"

G_BEGIN_DECLS

/* Takes one sample of each CPU's use: the window calls it when a run starts, on its live beat
 * while the run goes, and with @last when it ends. */
void   pm_timeline_sample_cores         (PmTimeline *self,
                                         gboolean    last);

/* For tests: what the last snapshot drew (0 when it drew none), and what was sampled */
guint  _pm_timeline_get_drawn_cpu_count (PmTimeline *self);
guint  _pm_timeline_get_drawn_core_rows (PmTimeline *self);
/* the height of those rows, the strip's gap above them left out */
double _pm_timeline_get_drawn_core_rows_height (PmTimeline *self);
guint  _pm_timeline_get_n_core_samples  (PmTimeline *self,
                                         guint      *n_cpus);
double _pm_timeline_get_core_busy       (PmTimeline *self,
                                         guint       sample,
                                         guint       cpu);

G_END_DECLS
