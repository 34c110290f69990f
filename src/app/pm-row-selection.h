/* pm-row-selection.h: a GtkSingleSelection as a list view should see it in GTK 4.8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PM_TYPE_ROW_SELECTION (pm_row_selection_get_type ())

G_DECLARE_FINAL_TYPE (PmRowSelection, pm_row_selection, PM, ROW_SELECTION, GObject)

PmRowSelection *pm_row_selection_new (GtkSingleSelection *selection);

G_END_DECLS
