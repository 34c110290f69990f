/* test-window-figures.c: the figures the window shows a new user: how a stopped run ended,
 * Queued times from Start, the estimate of what is left, toasts that go with what they
 * spoke of (issue 17, points 1, 2, 3 and 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-application.h"
#include "pm-runlog.h"
#include "pm-util.h"
#include "pm-window-private.h"
#include "pm-gtk-test-util.h"

static gboolean
n_running_is (gpointer data)
{
  PmWindow *window = data;
  PmPool *pool = pm_window_get_pool (window);
  guint want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "want-running"));

  return pool != NULL && pm_pool_get_n_running (pool) == want;
}

static void
wait_running (PmWindow *window,
              guint     n)
{
  g_object_set_data (G_OBJECT (window), "want-running", GUINT_TO_POINTER (n));
  wait_until (n_running_is, window, "the right number of jobs run");
}

static void
assert_header_has (PmWindow   *window,
                   const char *part)
{
  g_autofree char *header = _pm_window_dup_header_text (window);

  if (strstr (header, part) == NULL)
    g_error ("the header says “%s”, not “%s”", header, part);
}

/* Point 1: one Stop cancels the queued jobs; the header counts them, the subtitle says the run
 * was stopped, the bar is full, and the re-run runs the cancelled jobs too. */
static void
test_stopped_run_counted (void)
{
  PmWindow *window = new_window ();
  const char *subtitle;
  PmPool *pool;

  pool = start_demo (window, 15, 5, 0.5, 0.5);
  wait_running (window, 5);
  activate (window, "stop");
  wait_until (pool_finished, window, "the drained run finishes");
  settle ();

  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 5);
  g_assert_cmpuint (pm_pool_get_n_cancelled (pool), ==, 10);
  assert_header_has (window, "done 5, failed 0, cancelled 10");
  subtitle = adw_window_title_get_subtitle (window->window_title);
  g_assert_cmpstr (subtitle, ==, "Stopped: 10 jobs cancelled");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (window->progress_bar), ==, 1.0);

  /* "Run every job that did not succeed again": the cancelled ones did not. */
  activate (window, "rerun-failed");
  g_assert_cmpuint (pm_pool_get_n_cancelled (pool), ==, 0);
  wait_until (pool_finished, window, "the re-run finishes");
  settle ();
  for (guint seq = 1; seq <= 15; seq++)
    g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, seq)), ==,
                     PM_JOB_STATE_SUCCEEDED);
  assert_header_has (window, "done 15, failed 0, cancelled 0");
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==, "Finished");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rerun-failed"));

  close_window (window);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *)data;
}

/* Point 2: the rows shown before Start are a preview, queued by nobody; Start queues them, and
 * the recorded run's "queued" events carry that moment, not the preview's. */
static void
test_queued_from_start (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  PmPool *pool = pm_window_get_pool (window);
  g_autofree char *stem = NULL;
  g_autofree char *events_path = NULL;
  g_autoptr(GFile) events = NULL;
  g_autoptr(PmPool) logged = NULL;
  g_autoptr(GError) error = NULL;
  gint64 later = g_get_real_time () + G_USEC_PER_SEC;
  gboolean waited = FALSE;
  gint64 start;

  g_assert_nonnull (pool);
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (window->window_title), "Preview"));
  for (guint seq = 1; seq <= 15; seq++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, seq);
      g_autofree char *cell = _pm_job_list_dup_cell_text (list, job, PM_COLUMN_QUEUED);

      g_assert_cmpint (pm_job_get_queued_time (job), ==, 0);
      g_assert_null (cell);
    }

  /* A second after the preview was shown, Start. */
  g_timeout_add (1100, set_flag_cb, &waited);
  wait_until (flag_set, &waited, "a second goes by");
  activate (window, "start");
  g_assert_true (pm_window_get_pool (window) == pool);
  start = pm_pool_get_start_time (pool);
  g_assert_cmpint (start, >=, later);
  for (guint seq = 1; seq <= 15; seq++)
    g_assert_cmpint (pm_job_get_queued_time (pm_pool_get_job_by_seq (pool, seq)), ==, start);
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==, "Running");

  wait_until (pool_finished, window, "the run finishes");
  settle ();

  /* The event log recorded beside the joblog */
  g_assert_nonnull (_pm_window_get_autosave_path (window));
  g_assert_true (g_str_has_suffix (_pm_window_get_autosave_path (window), ".tsv"));
  stem = g_strndup (_pm_window_get_autosave_path (window),
                    strlen (_pm_window_get_autosave_path (window)) - 4);
  events_path = g_strconcat (stem, ".jsonl", NULL);
  events = g_file_new_for_path (events_path);
  logged = pm_runlog_load (events, &error);
  g_assert_no_error (error);
  for (guint seq = 1; seq <= 15; seq++)
    {
      gint64 queued = pm_job_get_queued_time (pm_pool_get_job_by_seq (logged, seq));

      /* The log keeps milliseconds or microseconds: within one of the start. */
      g_assert_cmpint (queued, >=, start - 1000);
      g_assert_cmpint (queued, <=, start + 1000);
    }

  close_window (window);
}

static double
shown_left (PmWindow *window)
{
  const char *text = gtk_inscription_get_text (window->eta_label);

  if (g_str_equal (text, "—"))
    return -1;
  g_assert_true (g_str_has_prefix (text, "≈ "));
  g_assert_true (g_str_has_suffix (text, " s"));
  return g_ascii_strtod (text + strlen ("≈ "), NULL);
}

/* Point 3: the estimate of what is left comes from what is known (the planned sleeps, the
 * running jobs' elapsed time, the limit) and says "—" when it cannot know or the run is over. */
static void
test_time_left (void)
{
  PmWindow *window = new_window ();
  double left;

  /* Not started: nothing to estimate. */
  _pm_window_update_times (window);
  g_assert_cmpfloat (shown_left (window), ==, -1);

  /* Ten jobs of 2 s, five at a time: two rounds, about 4 s, known before any job ends. */
  start_demo (window, 10, 5, 2, 2);
  _pm_window_update_times (window);
  left = shown_left (window);
  g_assert_cmpfloat (left, <=, 4.0);
  g_assert_cmpfloat (left, >=, 3.0);

  wait_until (pool_finished, window, "the run finishes");
  settle ();
  g_assert_cmpstr (gtk_inscription_get_text (window->eta_label), ==, "—");

  close_window (window);
}

static void
toast_dismissed_cb (AdwToast *toast,
                    gboolean *dismissed)
{
  *dismissed = TRUE;
}

/* Point 5: a toast goes when what it speaks of is over: "Stop again to end them" when the
 * run has ended, the limit's error (in the words of its field) once the limit is fixed. */
static void
test_stale_toasts (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  g_autoptr(AdwToast) stop_toast = NULL;
  g_autoptr(AdwToast) limit_toast = NULL;
  gboolean stop_gone = FALSE, limit_gone = FALSE;

  start_demo (window, 10, 3, 0.5, 0.5);
  wait_running (window, 3);
  activate (window, "stop");
  g_assert_nonnull (window->stop_toast);
  g_assert_nonnull (strstr (adw_toast_get_title (window->stop_toast), "Stop again"));
  stop_toast = g_object_ref (window->stop_toast);
  g_signal_connect (stop_toast, "dismissed", G_CALLBACK (toast_dismissed_cb), &stop_gone);
  wait_until (pool_finished, window, "the drained run finishes");
  g_assert_true (stop_gone);
  g_assert_null (window->stop_toast);

  /* A limit of 0, typed in the header while the settings pane is hidden */
  g_settings_set_boolean (settings, "show-settings", FALSE);
  g_settings_set_uint (settings, "limit", 0);
  g_assert_nonnull (window->settings_toast);
  g_assert_cmpstr (adw_toast_get_title (window->settings_toast), ==,
                   pm_run_settings_get_limit_error (_pm_window_get_run_settings (window)));
  limit_toast = g_object_ref (window->settings_toast);
  g_signal_connect (limit_toast, "dismissed", G_CALLBACK (toast_dismissed_cb), &limit_gone);
  /* said once, however often the field changes while it is wrong */
  g_settings_set_uint (settings, "limit", 0);
  g_assert_true (window->settings_toast == limit_toast);

  g_settings_set_uint (settings, "limit", 4);
  g_assert_true (limit_gone);
  g_assert_null (window->settings_toast);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/window/figures/stopped-run-counts-and-says-the-cancelled-jobs",
                   test_stopped_run_counted);
  g_test_add_func ("/window/figures/queued-times-come-from-start-not-the-preview",
                   test_queued_from_start);
  g_test_add_func ("/window/figures/time-left-from-what-is-known-and-none-after-the-end",
                   test_time_left);
  g_test_add_func ("/window/figures/toasts-go-when-what-they-speak-of-is-over",
                   test_stale_toasts);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
