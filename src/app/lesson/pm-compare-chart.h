/* pm-compare-chart.h: how many jobs ran over time, for two runs on one chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pm-pool.h"

G_BEGIN_DECLS

#define PM_TYPE_COMPARE_CHART (pm_compare_chart_get_type ())

G_DECLARE_FINAL_TYPE (PmCompareChart, pm_compare_chart, PM, COMPARE_CHART, GtkWidget)

#define PM_COMPARE_CHART_N_RUNS 2

GtkWidget  *pm_compare_chart_new          (void);
void        pm_compare_chart_set_run      (PmCompareChart *self,
                                           guint           index,
                                           PmPool         *pool,
                                           const char     *name);
guint       pm_compare_chart_get_n_runs   (PmCompareChart *self);
const char *pm_compare_chart_get_name     (PmCompareChart *self,
                                           guint           index);
guint       pm_compare_chart_get_limit    (PmCompareChart *self,
                                           guint           index);
guint       pm_compare_chart_get_peak     (PmCompareChart *self,
                                           guint           index);
double      pm_compare_chart_get_makespan (PmCompareChart *self,
                                           guint           index);
/* The colour of run @index on the chart, and of its point on the what-if curve */
void        pm_compare_chart_run_colour   (guint           index,
                                           gboolean        dark,
                                           GdkRGBA        *colour);
void        pm_compare_chart_render_to_cairo (PmCompareChart *self,
                                              cairo_t        *cr,
                                              int             width,
                                              int             height);

G_END_DECLS
