/* pm-what-if-window.h: the what-if curve of a run in a window of its own, with its export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pm-compare-chart.h"
#include "pm-pool.h"
#include "pm-what-if-view.h"

G_BEGIN_DECLS

#define PM_TYPE_WHAT_IF_WINDOW (pm_what_if_window_get_type ())

G_DECLARE_FINAL_TYPE (PmWhatIfWindow, pm_what_if_window, PM, WHAT_IF_WINDOW, AdwWindow)

PmWhatIfWindow *pm_what_if_window_new      (GtkWindow      *parent,
                                            PmPool         *pool,
                                            const char     *subtitle,
                                            GSettings      *settings);
PmWhatIfView   *pm_what_if_window_get_view (PmWhatIfWindow *self);
gboolean        pm_what_if_window_save     (PmWhatIfWindow *self,
                                            GFile          *file,
                                            GError        **error);
void            pm_what_if_window_set_recorded_runs (PmWhatIfWindow *self,
                                                     const char     *dir,
                                                     const char     *shown);
PmCompareChart *pm_what_if_window_get_compare_chart (PmWhatIfWindow *self);

G_END_DECLS
