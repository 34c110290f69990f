/* test-job-list.c: the job list of the real window under Xvfb: sorting many rows, quick wheel
 * steps on a long list, clock times in the local time zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pm-gtk-test-util.h"
#include "pm-row-window.h"

/* The time zone of this test program (main): half an hour off any whole-hour zone, no
 * daylight saving, and no zone file needed. */
#define TEST_TZ "PMT-5:30"

static gboolean
preview_has (gpointer data)
{
  PmPool *pool = pm_window_get_pool (data);
  guint want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (data), "want-jobs"));

  return pool != NULL && g_list_model_get_n_items (G_LIST_MODEL (pool)) == want;
}

/* A window whose preview (the run its settings describe, not started) holds @n rows. */
static PmWindow *
new_window_with_rows (guint n)
{
  PmWindow *window = new_window ();

  g_settings_set_uint (_pm_window_get_settings (window), "count", n);
  g_object_set_data (G_OBJECT (window), "want-jobs", GUINT_TO_POINTER (n));
  wait_until (preview_has, window, "the preview holds its jobs");
  settle ();
  return window;
}

/* Sorting many rows: the rows on screen show the new order. (GTK 4.8 left a list view blank
 * after a full re-sort of a few hundred rows until it scrolled; the view is now told of no
 * re-sort at all, as its rows only point at other jobs.) The sort is incremental: it is done
 * once the main loop has nothing left to do. */
static void
test_sort_many_rows (void)
{
  PmWindow *window = new_window_with_rows (600);
  PmJobList *list = _pm_window_get_job_list (window);
  GtkColumnView *view = _pm_job_list_get_column_view (list);
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (list));
  g_autoptr(GtkColumnViewColumn) seq_column =
    g_list_model_get_item (gtk_column_view_get_columns (view), PM_COLUMN_SEQ);
  g_autoptr(PmJob) first = NULL;
  g_autofree char *text = NULL;

  gtk_column_view_sort_by_column (view, seq_column, GTK_SORT_DESCENDING);
  settle ();
  for (guint i = 0; i < 600; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (rows, i);
      g_assert_cmpuint (pm_job_get_seq (job), ==, 600 - i);
    }
  first = g_list_model_get_item (rows, 0);
  text = _pm_job_list_dup_cell_text (list, first, PM_COLUMN_SEQ);
  g_assert_cmpstr (text, ==, "600");

  close_window (window);
}

static GtkEventController *
find_controller (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0)
        return controller;
    }
  return NULL;
}

static void
scroll_steps (GtkEventController *wheel,
              int                 steps)
{
  for (int i = 0; i < ABS (steps); i++)
    {
      gboolean handled = FALSE;
      g_signal_emit_by_name (wheel, "scroll", 0.0, steps > 0 ? 1.0 : -1.0, &handled);
      g_assert_true (handled);
    }
}

static GtkWidget *
find_list_view (GtkColumnView *view)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  g_assert_not_reached ();
}

static gboolean
is_bound (PmJobList  *list,
          GListModel *rows,
          guint       position)
{
  g_autoptr(PmJob) job = g_list_model_get_item (rows, position);
  g_autofree char *text = _pm_job_list_dup_cell_text (list, job, PM_COLUMN_SEQ);

  return text != NULL;
}

/* The rows the view has are those from the first row on screen, as many as fit. */
static void
assert_rows_on_screen (PmJobList *list,
                       guint      first)
{
  GtkColumnView *view = _pm_job_list_get_column_view (list);
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (view));
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (list));
  GtkWidget *list_view = find_list_view (view);
  guint n = g_list_model_get_n_items (shown);
  int height = gtk_widget_get_height (list_view);
  double row_height = 0;

  wait_frames (list_view, 2);   /* rows the window took in are laid out on a frame */
  for (GtkWidget *child = gtk_widget_get_first_child (list_view);
       child != NULL && row_height == 0;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (gtk_widget_get_css_name (child), "row"))
      row_height = gtk_widget_get_height (child);

  g_assert_cmpuint (n, >, 3);
  g_assert_cmpfloat (row_height, >, 5);
  /* Whole rows only, and no room for another. */
  g_assert_cmpfloat (n * row_height, <=, height + 0.5);
  g_assert_cmpfloat ((n + 1) * row_height, >, height);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmRow) a = g_list_model_get_item (shown, i);
      g_autoptr(PmJob) b = g_list_model_get_item (rows, first + i);
      g_assert_true (pm_row_get_item (a) == b);
    }
  g_assert_true (is_bound (list, rows, first));
  g_assert_true (is_bound (list, rows, first + n - 1));
  if (first > 0)
    g_assert_false (is_bound (list, rows, first - 1));
  if (first + n < g_list_model_get_n_items (rows))
    g_assert_false (is_bound (list, rows, first + n));
}

/* Wheel steps that come faster than frames move the list by their sum, once: GTK 4.8 moved it
 * for each before the last was laid out, and jumped thousands of rows past the place. */
static void
test_wheel_steps (void)
{
  PmWindow *window = new_window_with_rows (5000);
  PmJobList *list = _pm_window_get_job_list (window);
  GtkWidget *rows_view = GTK_WIDGET (_pm_job_list_get_row_view (list));
  GtkAdjustment *adj = pm_row_view_get_adjustment (PM_ROW_VIEW (rows_view));
  GtkEventController *wheel = find_controller (rows_view, "pm-wheel-steps");
  double step, want;

  g_assert_nonnull (wheel);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, 5000);
  assert_rows_on_screen (list, 0);

  /* One step moves by a few rows, as GTK's own scrolling would. */
  scroll_steps (wheel, 1);
  wait_frames (rows_view, 3);
  step = gtk_adjustment_get_value (adj);
  g_assert_cmpfloat (step, >=, 1);
  g_assert_cmpfloat (step, <, gtk_adjustment_get_page_size (adj));

  /* 40 steps down before a frame: nothing moves until the frame, then all 40 at once. */
  scroll_steps (wheel, 40);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, step);
  wait_frames (rows_view, 3);
  want = 41 * step;
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (adj) - want), <, 0.001);
  assert_rows_on_screen (list, (guint)floor (want + 0.5));

  /* 10 up and 30 down: 20 further down. */
  scroll_steps (wheel, -10);
  scroll_steps (wheel, 30);
  wait_frames (rows_view, 3);
  want += 20 * step;
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (adj) - want), <, 0.001);
  assert_rows_on_screen (list, (guint)floor (want + 0.5));

  /* Far more steps up than there is room for: the top, not beyond. */
  scroll_steps (wheel, -1000);
  wait_frames (rows_view, 3);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);
  assert_rows_on_screen (list, 0);

  close_window (window);
}

static gboolean
row_shows_selected (PmJobList *list,
                    GListModel *rows,
                    guint       position)
{
  g_autoptr(PmJob) job = g_list_model_get_item (rows, position);
  gboolean selected = FALSE;

  g_assert_true (_pm_job_list_get_row_selected (list, job, &selected));
  return selected;
}

/* Moving the selection changes two rows, and only those two are bound again: GTK 4.8's list
 * view rebinds every bound row a GtkSingleSelection reports as changed, and it reports every
 * row between the old selected row and the new one. */
static void
test_selection_rebinds_two_rows (void)
{
  PmWindow *window = new_window_with_rows (1000);
  PmJobList *list = _pm_window_get_job_list (window);
  GtkColumnView *view = _pm_job_list_get_column_view (list);
  GtkAdjustment *adj = pm_row_view_get_adjustment (_pm_job_list_get_row_view (list));
  GtkSingleSelection *selection = _pm_job_list_get_selection (list);
  GtkSelectionModel *shown = gtk_column_view_get_model (view);
  GListModel *rows = G_LIST_MODEL (selection);
  guint binds = 0;
  guint last;

  gtk_single_selection_set_selected (selection, 1);
  settle ();
  g_assert_true (row_shows_selected (list, rows, 1));
  last = g_list_model_get_n_items (G_LIST_MODEL (shown)) - 1;
  g_assert_cmpuint (last, >, 8);

  /* From the top row to the bottom one. */
  count_binds (view, &binds);
  gtk_single_selection_set_selected (selection, last);
  settle ();
  g_assert_false (row_shows_selected (list, rows, 1));
  g_assert_true (row_shows_selected (list, rows, last));
  g_assert_false (row_shows_selected (list, rows, last / 2));
  g_assert_cmpuint (binds, <=, 2 * PM_N_COLUMNS);

  /* Selecting through the view's model, as a click does, selects the row it shows. */
  gtk_adjustment_set_value (adj, 100);
  settle ();
  assert_rows_on_screen (list, 100);
  binds = 0;
  g_assert_true (gtk_selection_model_select_item (shown, 5, TRUE));
  settle ();
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 105);
  g_assert_true (gtk_selection_model_is_selected (shown, 5));
  g_assert_false (gtk_selection_model_is_selected (shown, 6));
  g_assert_true (row_shows_selected (list, rows, 105));
  g_assert_cmpuint (binds, <=, 2 * PM_N_COLUMNS);
  {
    g_autoptr(PmJob) job = g_list_model_get_item (rows, 105);
    g_assert_true (pm_job_list_get_selected_job (list) == job);
  }

  count_binds (view, NULL);
  close_window (window);
}

static void
press_key (GtkEventController *keys,
           guint               keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, 0, &handled);
  g_assert_true (handled);
}

static guint
focused_seq (PmWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  GtkWidget *cell;

  g_assert_nonnull (focus);
  g_assert_cmpstr (gtk_widget_get_css_name (focus), ==, "row");
  cell = gtk_widget_get_first_child (gtk_widget_get_first_child (focus));
  g_assert_true (GTK_IS_INSCRIPTION (cell));
  return (guint)g_ascii_strtoull (gtk_inscription_get_text (GTK_INSCRIPTION (cell)), NULL, 10);
}

/* On a long list, End, Home and a drag of the scroll bar bind no row but the two whose
 * selection changed: the rows on screen, as many as fit, show other jobs (GTK 4.8 alone kept
 * about two hundred rows and rebound them all). The keys move the selection and the focus. */
static void
test_far_jumps_bind_the_rows_on_screen (void)
{
  PmWindow *window = new_window_with_rows (20000);
  PmJobList *list = _pm_window_get_job_list (window);
  GtkColumnView *view = _pm_job_list_get_column_view (list);
  GtkAdjustment *adj = pm_row_view_get_adjustment (_pm_job_list_get_row_view (list));
  GtkSingleSelection *selection = _pm_job_list_get_selection (list);
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (view));
  GtkEventController *keys = find_controller (find_list_view (view), "pm-row-keys");
  guint binds = 0;
  guint n;

  g_assert_nonnull (keys);
  assert_rows_on_screen (list, 0);
  n = g_list_model_get_n_items (shown);
  count_binds (view, &binds);

  press_key (keys, GDK_KEY_End);
  settle ();
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 19999);
  assert_rows_on_screen (list, 20000 - n);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 20000 - n);
  g_assert_cmpuint (focused_seq (window), ==, 20000);
  g_assert_cmpuint (binds, <=, 2 * PM_N_COLUMNS);

  binds = 0;
  press_key (keys, GDK_KEY_Home);
  settle ();
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  assert_rows_on_screen (list, 0);
  g_assert_cmpuint (focused_seq (window), ==, 1);
  g_assert_cmpuint (binds, <=, 2 * PM_N_COLUMNS);

  /* Page Down moves the selection a screen less one row; the window follows. */
  press_key (keys, GDK_KEY_Page_Down);
  press_key (keys, GDK_KEY_Page_Down);
  settle ();
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 2 * (n - 1));
  assert_rows_on_screen (list, 2 * (n - 1) - (n - 1));
  press_key (keys, GDK_KEY_Up);
  settle ();
  g_assert_cmpuint (focused_seq (window), ==, 2 * (n - 1));

  /* A drag of the scroll bar to the middle. The focused row now shows another job: its focus
   * ring goes, as when a focused row scrolls out of sight. */
  binds = 0;
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  gtk_adjustment_set_value (adj, 10000);
  settle ();
  assert_rows_on_screen (list, 10000);
  g_assert_cmpuint (binds, <=, 2 * PM_N_COLUMNS);
  g_assert_false (gtk_window_get_focus_visible (GTK_WINDOW (window)));

  /* Back where the selected row shows: the focus is on it again. */
  gtk_adjustment_set_value (adj, 2 * (n - 1) - 3);
  settle ();
  assert_rows_on_screen (list, 2 * (n - 1) - 3);
  g_assert_cmpuint (focused_seq (window), ==, 2 * (n - 1));

  /* A click on the timeline or a job found elsewhere brings its row on screen. */
  {
    g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (selection), 15000);
    pm_job_list_select_job (list, job);
    settle ();
    assert_rows_on_screen (list, 15000 - (n - 1));
  }

  count_binds (view, NULL);
  close_window (window);
}

/* The row view's scroll bar (the scrolled window inside has its own, for the columns). */
static GtkWidget *
row_view_bar (PmJobList *list)
{
  GtkWidget *view = GTK_WIDGET (_pm_job_list_get_row_view (list));

  for (GtkWidget *child = gtk_widget_get_first_child (view); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_SCROLLBAR (child))
      return child;
  g_assert_not_reached ();
}

/* The list shows as many rows as fit, whole, when its height changes (the pane above moves).
 * Its scroll bar shows only while some rows are not on screen. */
static void
test_rows_fit_the_list (void)
{
  PmWindow *window = new_window_with_rows (500);
  PmJobList *list = _pm_window_get_job_list (window);
  GtkColumnView *view = _pm_job_list_get_column_view (list);
  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (view));
  GtkAdjustment *adj = pm_row_view_get_adjustment (_pm_job_list_get_row_view (list));
  GSettings *settings = _pm_window_get_settings (window);
  int timeline = g_settings_get_int (settings, "timeline-height");
  guint before, taller;

  g_assert_cmpint (timeline, >, 150);
  assert_rows_on_screen (list, 0);
  before = g_list_model_get_n_items (shown);
  g_assert_true (gtk_widget_get_visible (row_view_bar (list)));

  /* At the end of the list, a taller list shows more of the rows above. */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  settle ();
  assert_rows_on_screen (list, 500 - before);
  g_settings_set_int (settings, "timeline-height", timeline - 120);
  wait_frames (GTK_WIDGET (list), 3);
  taller = g_list_model_get_n_items (shown);
  g_assert_cmpuint (taller, >, before);
  assert_rows_on_screen (list, 500 - taller);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (adj), ==, taller);

  /* A shorter list keeps its top row, as GTK's lists do. */
  g_settings_set_int (settings, "timeline-height", timeline);
  wait_frames (GTK_WIDGET (list), 3);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, before);
  assert_rows_on_screen (list, 500 - taller);
  close_window (window);

  window = new_window_with_rows (before);
  wait_frames (GTK_WIDGET (window), 3);
  g_assert_false (gtk_widget_get_visible (row_view_bar (_pm_window_get_job_list (window))));
  close_window (window);
}

/* What a view of the window believes: the rows it was told of, and which of them show as
 * selected, asked again only for rows it was told changed. */
typedef struct
{
  GListStore *rows;
  GArray     *selected;   /* gboolean per row */
} Mirror;

static void
mirror_items_changed_cb (GListModel *window,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Mirror     *mirror)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < added; i++)
    g_ptr_array_add (items, g_list_model_get_item (window, position + i));
  g_list_store_splice (mirror->rows, position, removed, items->pdata, added);
  g_array_remove_range (mirror->selected, position, removed);
  for (guint i = 0; i < added; i++)
    {
      gboolean selected = gtk_selection_model_is_selected (GTK_SELECTION_MODEL (window),
                                                           position + i);
      g_array_insert_val (mirror->selected, position + i, selected);
    }
}

static void
mirror_selection_changed_cb (GtkSelectionModel *window,
                             guint              position,
                             guint              n,
                             Mirror            *mirror)
{
  g_assert_cmpuint (position + n, <=, mirror->selected->len);
  for (guint i = position; i < position + n; i++)
    g_array_index (mirror->selected, gboolean, i) = gtk_selection_model_is_selected (window, i);
}

static void
assert_window (PmRowWindow        *window,
               GtkSingleSelection *all,
               Mirror             *mirror)
{
  guint offset = pm_row_window_get_offset (window);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (window));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (all));

  g_assert_cmpuint (n, ==, MIN (pm_row_window_get_size (window), total));
  g_assert_cmpuint (offset + n, <=, total);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (mirror->rows)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmRow) a = g_list_model_get_item (G_LIST_MODEL (window), i);
      g_autoptr(PmRow) b = g_list_model_get_item (G_LIST_MODEL (mirror->rows), i);
      g_autoptr(GObject) c = g_list_model_get_item (G_LIST_MODEL (all), offset + i);

      g_assert_true (a == b);
      g_assert_true (pm_row_get_item (a) == c);
      g_assert_cmpint (g_array_index (mirror->selected, gboolean, i), ==,
                       gtk_single_selection_get_selected (all) == offset + i);
    }
}

/* Whatever happens to the list, the selection and the window, a view that believes only what
 * the window told it shows the right items, and the selection on the right row. */
static void
test_row_window_reports_its_changes (void)
{
  g_autoptr(GListStore) all = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GtkSingleSelection) selection = NULL;
  g_autoptr(PmRowWindow) window = NULL;
  Mirror mirror = { g_list_store_new (PM_TYPE_ROW), g_array_new (FALSE, TRUE, sizeof (gboolean)) };

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);
      g_list_store_append (all, item);
    }
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (all)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  window = pm_row_window_new (selection);
  mirror_items_changed_cb (G_LIST_MODEL (window), 0, 0,
                           g_list_model_get_n_items (G_LIST_MODEL (window)), &mirror);
  g_signal_connect (window, "items-changed", G_CALLBACK (mirror_items_changed_cb), &mirror);
  g_signal_connect (window, "selection-changed", G_CALLBACK (mirror_selection_changed_cb),
                    &mirror);

  for (guint step = 0; step < 5000; step++)
    {
      guint total = g_list_model_get_n_items (G_LIST_MODEL (all));
      guint at = g_test_rand_int_range (0, total + 1);

      switch (g_test_rand_int_range (0, 6))
        {
        case 0:   /* the window moves or changes size */
          pm_row_window_set (window, g_test_rand_int_range (0, total + 10),
                             g_test_rand_int_range (1, 40));
          break;
        case 1:   /* rows come and go */
          {
            guint removed = g_test_rand_int_range (0, MIN (total - at, 30) + 1);
            guint added = g_test_rand_int_range (0, total < 200 ? 30 : 1);
            g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

            for (guint i = 0; i < added; i++)
              g_ptr_array_add (items, g_object_new (G_TYPE_OBJECT, NULL));
            g_list_store_splice (all, at, removed, items->pdata, added);
          }
          break;
        case 2:   /* a row changes in place, as in a sort */
          if (at < total)
            {
              g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);
              g_list_store_splice (all, at, 1, (gpointer *)&item, 1);
            }
          break;
        case 3:   /* a click on a row on screen */
          if (g_list_model_get_n_items (G_LIST_MODEL (window)) > 0)
            gtk_selection_model_select_item (GTK_SELECTION_MODEL (window),
                                             at % g_list_model_get_n_items (G_LIST_MODEL (window)),
                                             TRUE);
          break;
        case 4:   /* nothing selected */
          gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
          break;
        default:  /* a row anywhere is selected, and the window shows it */
          if (total > 0)
            {
              gtk_single_selection_set_selected (selection, at % total);
              pm_row_window_show (window, at % total);
            }
          break;
        }
      assert_window (window, selection, &mirror);
    }

  g_object_unref (mirror.rows);
  g_array_unref (mirror.selected);
}

static gboolean
cell_shows (PmJobList  *list,
            PmJob      *job,
            const char *text)
{
  g_autofree char *shown = _pm_job_list_dup_cell_text (list, job, PM_COLUMN_STATE);

  return g_strcmp0 (shown, text) == 0;
}

static gboolean
first_shows_running (gpointer data)
{
  PmWindow *window = data;
  PmPool *pool = pm_window_get_pool (window);

  return pool != NULL && pm_pool_get_n_running (pool) == 2 &&
         cell_shows (_pm_window_get_job_list (window), pm_pool_get_job_by_seq (pool, 1),
                     "Running");
}

static gboolean
first_shows_paused (gpointer data)
{
  PmWindow *window = data;

  return cell_shows (_pm_window_get_job_list (window),
                     pm_pool_get_job_by_seq (pm_window_get_pool (window), 1), "Paused");
}

/* While a run is active, a job's change reaches its row on the window's next live beat, with
 * every other change of that period, not at once: a run of short jobs changes rows thousands
 * of times a second, and each change at once repainted the window at every frame. */
static void
test_live_rows_follow_the_beat (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  g_autoptr(GError) error = NULL;
  PmPool *pool;
  PmJob *job;

  pool = start_demo (window, 2, 2, 30, 30);
  wait_until (first_shows_running, window, "the first job shows as running");
  job = pm_pool_get_job_by_seq (pool, 1);

  g_assert_true (pm_pool_pause_job (pool, job, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_PAUSED);
  g_assert_true (cell_shows (list, job, "Running"));
  wait_until (first_shows_paused, window, "the paused job shows as paused");

  pm_pool_stop (pool);
  wait_until (pool_finished, window, "the stopped run finishes");
  close_window (window);
}

/* Clock times are shown in the local time zone (looked up once, not per cell). */
static void
test_clock_times_local (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  g_autofree char *path = g_build_filename (g_getenv ("PM_TEST_DATA"), "parallel-joblog.tsv",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (TEST_TZ);
  PmJob *job;

  g_assert_nonnull (tz);
  g_assert_true (_pm_window_open (window, file, &error));
  g_assert_no_error (error);
  settle ();

  job = pm_pool_get_job_by_seq (pm_window_get_pool (window), 3);
  for (PmColumn column = PM_COLUMN_STARTED; column <= PM_COLUMN_FINISHED;
       column += PM_COLUMN_FINISHED - PM_COLUMN_STARTED)
    {
      gint64 usec = column == PM_COLUMN_STARTED ? pm_job_get_start_time (job)
                                                : pm_job_get_end_time (job);
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
      g_autoptr(GDateTime) there = g_date_time_to_timezone (local, tz);
      g_autofree char *hms = g_date_time_format (there, "%H:%M:%S");
      g_autofree char *want = g_strdup_printf ("%s.%d", hms,
                                               (int)(usec % G_USEC_PER_SEC / 100000));
      g_autofree char *text = _pm_job_list_dup_cell_text (list, job, column);

      g_assert_cmpint (usec, >, 0);
      g_assert_cmpstr (text, ==, want);
    }

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_setenv ("TZ", TEST_TZ, TRUE);
  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/job-list/sort/many-rows-are-sorted-and-drawn", test_sort_many_rows);
  g_test_add_func ("/job-list/wheel/quick-steps-move-by-their-sum-once-a-frame",
                   test_wheel_steps);
  g_test_add_func ("/job-list/selection/a-move-rebinds-two-rows",
                   test_selection_rebinds_two_rows);
  g_test_add_func ("/job-list/rows/far-jumps-bind-the-rows-on-screen",
                   test_far_jumps_bind_the_rows_on_screen);
  g_test_add_func ("/job-list/rows/as-many-as-fit", test_rows_fit_the_list);
  g_test_add_func ("/job-list/rows/the-window-reports-its-changes",
                   test_row_window_reports_its_changes);
  g_test_add_func ("/job-list/live/rows-follow-the-beat", test_live_rows_follow_the_beat);
  g_test_add_func ("/job-list/clock/times-are-local", test_clock_times_local);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
