/* test-job-list.c: the job list of the real window under Xvfb: sorting many rows, quick wheel
 * steps on a long list, clock times in the local time zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pm-gtk-test-util.h"

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

static gboolean
count_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  guint *left = user_data;

  return --*left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
no_frames_left (gpointer data)
{
  return *(guint *)data == 0;
}

static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  guint left = n;

  gtk_widget_add_tick_callback (widget, count_tick_cb, &left, NULL);
  wait_until (no_frames_left, &left, "frames are drawn");
}

/* GTK 4.8 leaves the view blank after a full re-sort of a few hundred rows until it scrolls;
 * the list scrolls to the top after a sort, which rebinds the rows. The sort is incremental:
 * it is done once the main loop has nothing left to do. */
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

/* Wheel steps that come faster than frames move the list by their sum, once: GTK 4.8 moved it
 * for each before the last was laid out, rebinding every row each time, and jumped thousands
 * of rows past the place. */
static void
test_wheel_steps (void)
{
  PmWindow *window = new_window_with_rows (5000);
  PmJobList *list = _pm_window_get_job_list (window);
  GtkWidget *view = GTK_WIDGET (_pm_job_list_get_column_view (list));
  GtkWidget *scroller = gtk_widget_get_parent (view);
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (list));
  GtkEventController *wheel;
  GtkAdjustment *adj;
  double step, row_height, want;
  guint top;

  g_assert_true (GTK_IS_SCROLLED_WINDOW (scroller));
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  wheel = find_controller (scroller, "pm-wheel-steps");
  g_assert_nonnull (wheel);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);
  step = pow (gtk_adjustment_get_page_size (adj), 2.0 / 3.0);
  row_height = gtk_adjustment_get_upper (adj) / 5000;
  g_assert_cmpfloat (row_height, >, 5);

  /* 40 steps down before a frame: nothing moves until the frame, then all 40 at once. */
  scroll_steps (wheel, 40);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);
  wait_frames (view, 3);
  want = 40 * step;
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (adj) - want), <, row_height);

  /* The rows bound are those at that place. */
  top = (guint)(gtk_adjustment_get_value (adj) / row_height);
  {
    g_autoptr(PmJob) job = g_list_model_get_item (rows, top + 1);
    g_autofree char *text = _pm_job_list_dup_cell_text (list, job, PM_COLUMN_SEQ);
    g_assert_cmpuint (pm_job_get_seq (job), ==, top + 2);
    g_assert_nonnull (text);
  }

  /* 10 up and 30 down: 20 further down. */
  scroll_steps (wheel, -10);
  scroll_steps (wheel, 30);
  wait_frames (view, 3);
  want += 20 * step;
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (adj) - want), <, row_height);

  /* Far more steps up than there is room for: the top, not beyond. */
  scroll_steps (wheel, -1000);
  wait_frames (view, 3);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);

  close_window (window);
}

static void
count_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               guint                    *binds)
{
  (*binds)++;
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

/* Moving the selection far changes two rows, and only those two are bound again: GTK 4.8's
 * list view rebinds every bound row a GtkSingleSelection reports as changed, and it reports
 * every row between the old selected row and the new one. */
static void
test_selection_rebinds_two_rows (void)
{
  PmWindow *window = new_window_with_rows (1000);
  PmJobList *list = _pm_window_get_job_list (window);
  GtkColumnView *view = _pm_job_list_get_column_view (list);
  GtkSingleSelection *selection = _pm_job_list_get_selection (list);
  GtkSelectionModel *shown = gtk_column_view_get_model (view);
  GListModel *rows = G_LIST_MODEL (selection);
  GListModel *columns = gtk_column_view_get_columns (view);
  guint binds = 0;

  gtk_single_selection_set_selected (selection, 2);
  settle ();
  g_assert_true (row_shows_selected (list, rows, 2));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      g_signal_connect (gtk_column_view_column_get_factory (column), "bind",
                        G_CALLBACK (count_bind_cb), &binds);
    }

  /* 150 rows further: both rows are bound (GTK 4.8 keeps about 200 rows around the top). */
  gtk_single_selection_set_selected (selection, 152);
  settle ();
  g_assert_false (row_shows_selected (list, rows, 2));
  g_assert_true (row_shows_selected (list, rows, 152));
  g_assert_false (row_shows_selected (list, rows, 80));
  g_assert_cmpuint (binds, <=, 2 * PM_N_COLUMNS);

  /* Selecting through the view's model, as a click does, selects in the list's selection. */
  binds = 0;
  g_assert_true (gtk_selection_model_select_item (shown, 40, TRUE));
  settle ();
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 40);
  g_assert_true (gtk_selection_model_is_selected (shown, 40));
  g_assert_false (gtk_selection_model_is_selected (shown, 152));
  g_assert_true (row_shows_selected (list, rows, 40));
  g_assert_false (row_shows_selected (list, rows, 152));
  g_assert_cmpuint (binds, <=, 2 * PM_N_COLUMNS);
  {
    g_autoptr(PmJob) job = g_list_model_get_item (rows, 40);
    g_assert_true (pm_job_list_get_selected_job (list) == job);
  }

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      g_signal_handlers_disconnect_by_func (gtk_column_view_column_get_factory (column),
                                            count_bind_cb, &binds);
    }
  close_window (window);
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
  g_test_add_func ("/job-list/selection/a-far-move-rebinds-two-rows",
                   test_selection_rebinds_two_rows);
  g_test_add_func ("/job-list/live/rows-follow-the-beat", test_live_rows_follow_the_beat);
  g_test_add_func ("/job-list/clock/times-are-local", test_clock_times_local);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
