/* pm-job-sort.c: sorting the job list by a column without the mouse
 *
 * GTK 4.8's column headers take no keyboard focus, so a click on one is the only sort the
 * column view offers; the window's Sort menu calls pm_job_list_sort_by() instead, which sorts
 * as clicks on a header do: ascending, then descending.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-job-list-private.h"

typedef struct
{
  guint       column;    /* what pm_job_list_sort_by() last sorted by, + 1; 0: a header did */
  GtkSortType order;
  gboolean    sorting;
} SortState;

/* A click on a header sorts too: the next pm_job_list_sort_by() starts afresh. */
static void
sorter_changed_cb (GtkSorter *sorter,
                   int        change,
                   SortState *state)
{
  if (!state->sorting)
    state->column = 0;
}

/* Kept on the column view's sorter, which lives as long as anything sorts with it. */
static SortState *
get_state (GtkColumnView *view)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (view);
  SortState *state = g_object_get_data (G_OBJECT (sorter), "pm-sort-state");

  if (state == NULL)
    {
      state = g_new0 (SortState, 1);
      g_object_set_data_full (G_OBJECT (sorter), "pm-sort-state", state, g_free);
      g_signal_connect (sorter, "changed", G_CALLBACK (sorter_changed_cb), state);
    }
  return state;
}

/**
 * pm_job_list_sort_by:
 * @self: a #PmJobList
 * @column: the position of a sortable column
 *
 * Sorts the rows by @column, ascending; again on the same column, descending, and so on.
 *
 * Returns: the order the rows are now in
 */
GtkSortType
pm_job_list_sort_by (PmJobList *self,
                     guint      column)
{
  GtkColumnView *view;
  g_autoptr(GtkColumnViewColumn) col = NULL;
  GtkSortType order = GTK_SORT_ASCENDING;
  SortState *state;

  g_return_val_if_fail (PM_IS_JOB_LIST (self), GTK_SORT_ASCENDING);
  g_return_val_if_fail (column < PM_N_COLUMNS, GTK_SORT_ASCENDING);

  view = _pm_job_list_get_column_view (self);
  state = get_state (view);
  col = g_list_model_get_item (gtk_column_view_get_columns (view), column);
  if (gtk_column_view_column_get_sorter (col) == NULL)
    return GTK_SORT_ASCENDING;
  if (state->column == column + 1 && state->order == GTK_SORT_ASCENDING)
    order = GTK_SORT_DESCENDING;
  state->sorting = TRUE;
  gtk_column_view_sort_by_column (view, col, order);
  state->sorting = FALSE;
  state->column = column + 1;
  state->order = order;
  return order;
}
