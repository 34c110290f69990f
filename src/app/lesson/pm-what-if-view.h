/* pm-what-if-view.h: the what-if curve: makespan and speed-up against the pool limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pm-what-if.h"

G_BEGIN_DECLS

#define PM_TYPE_WHAT_IF_VIEW (pm_what_if_view_get_type ())

G_DECLARE_FINAL_TYPE (PmWhatIfView, pm_what_if_view, PM, WHAT_IF_VIEW, GtkWidget)

GtkWidget *pm_what_if_view_new             (void);
void       pm_what_if_view_set_what_if     (PmWhatIfView *self,
                                            PmWhatIf     *what_if);
guint      pm_what_if_view_get_n_points    (PmWhatIfView *self);
const PmWhatIfPoint *pm_what_if_view_get_point (PmWhatIfView *self,
                                                guint         index);
guint      pm_what_if_view_get_selected    (PmWhatIfView *self);
void       pm_what_if_view_select          (PmWhatIfView *self,
                                            guint         index);
void       pm_what_if_view_activate_selected (PmWhatIfView *self);
char      *pm_what_if_view_dup_point_text  (PmWhatIfView *self,
                                            guint         index);
void       pm_what_if_view_set_compared    (PmWhatIfView *self,
                                            guint         limit,
                                            double        makespan,
                                            const char   *name);
gboolean   pm_what_if_view_get_compared    (PmWhatIfView  *self,
                                            PmWhatIfPoint *point);
void       pm_what_if_view_render_to_cairo (PmWhatIfView *self,
                                            cairo_t      *cr,
                                            int           width,
                                            int           height);

G_END_DECLS
