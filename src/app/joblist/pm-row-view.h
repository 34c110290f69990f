/* pm-row-view.h: a GtkColumnView that binds only the rows on screen, with its own scroll bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PM_TYPE_ROW_VIEW (pm_row_view_get_type ())

G_DECLARE_FINAL_TYPE (PmRowView, pm_row_view, PM, ROW_VIEW, GtkWidget)

GtkWidget     *pm_row_view_new             (GtkSingleSelection *selection);
GtkColumnView *pm_row_view_get_column_view (PmRowView          *self);
/* The position in the selection of the first row on screen, counted in rows. */
GtkAdjustment *pm_row_view_get_adjustment  (PmRowView          *self);
/* Scrolls as little as needed to show the row at @position of the selection. */
void           pm_row_view_show_row        (PmRowView          *self,
                                            guint               position);

G_END_DECLS
