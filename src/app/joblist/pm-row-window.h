/* pm-row-window.h: the rows of a GtkSingleSelection that fit on screen, as a selection model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PM_TYPE_ROW (pm_row_get_type ())

/* A row on screen: it shows one item of the selection, and then another as the rows move. */
G_DECLARE_FINAL_TYPE (PmRow, pm_row, PM, ROW, GObject)

gpointer     pm_row_get_item          (PmRow              *self);

#define PM_TYPE_ROW_WINDOW (pm_row_window_get_type ())

G_DECLARE_FINAL_TYPE (PmRowWindow, pm_row_window, PM, ROW_WINDOW, GObject)

PmRowWindow *pm_row_window_new        (GtkSingleSelection *selection);
/* The first row shown, as a position in the wrapped selection ("offset", notified). */
guint        pm_row_window_get_offset (PmRowWindow        *self);
/* How many rows are shown at most. */
guint        pm_row_window_get_size   (PmRowWindow        *self);
/* Shows @size rows from @offset, or the last @size rows when there are fewer after @offset. */
void         pm_row_window_set        (PmRowWindow        *self,
                                       guint               offset,
                                       guint               size);
/* Moves the window as little as needed to show the row at @position of the selection. */
void         pm_row_window_show       (PmRowWindow        *self,
                                       guint               position);

G_END_DECLS
