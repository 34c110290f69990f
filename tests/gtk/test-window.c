/* test-window.c: the real window under Xvfb: runs, the limit, stop, settings, the job menu, closing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pm-application.h"
#include "pm-runlog.h"
#include "pm-util.h"
#include "pm-window-private.h"
#include "pm-gtk-test-util.h"

static void
job_started_cb (PmPool *pool,
                PmJob  *job,
                guint  *max_running)
{
  *max_running = MAX (*max_running, pm_pool_get_n_running (pool));
}

static void
test_default_run (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (list));
  g_autofree char *header = NULL;
  g_autofree char *state_text = NULL;
  guint max_running = 0;
  PmPool *pool;

  /* Before Start the window shows the run the settings describe, every row queued. */
  pool = pm_window_get_pool (window);
  g_assert_nonnull (pool);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_IDLE);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 15);
  g_assert_cmpuint (pm_pool_get_n_queued (pool), ==, 15);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "save"));

  /* Start starts that very run. */
  activate (window, "start");
  g_assert_true (pm_window_get_pool (window) == pool);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));
  g_signal_connect (pool, "job-started", G_CALLBACK (job_started_cb), &max_running);
  g_assert_cmpuint (pm_pool_get_n_running (pool), ==, 5);

  wait_until (pool_finished, window, "the default run finishes");
  settle ();

  g_assert_cmpuint (max_running, <=, 5);
  g_assert_cmpuint (pm_pool_get_peak_running (pool), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 15);
  for (guint i = 0; i < 15; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (rows, i);
      g_autofree char *name = g_strdup_printf ("computer_%u", i);

      g_assert_cmpuint (pm_job_get_seq (job), ==, i + 1);
      g_assert_cmpstr (pm_job_get_name (job), ==, name);
      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_cmpuint (pm_job_get_slot (job), >=, 1);
      g_assert_cmpuint (pm_job_get_slot (job), <=, 5);
    }

  /* The cells follow the jobs without items-changed. */
  {
    g_autoptr(PmJob) first = g_list_model_get_item (rows, 0);
    g_autofree char *exit_text = _pm_job_list_dup_cell_text (list, first, PM_COLUMN_EXIT);
    state_text = _pm_job_list_dup_cell_text (list, first, PM_COLUMN_STATE);
    g_assert_cmpstr (state_text, ==, "Succeeded");
    g_assert_cmpstr (exit_text, ==, "0");
  }
  header = _pm_window_dup_header_text (window);
  g_assert_nonnull (strstr (header, "running 0 / 5, queued 0, done 15, failed 0"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "stop"));

  close_window (window);
}

static void
test_limit_live (void)
{
  PmWindow *window = new_window ();
  PmPool *pool;

  pool = start_demo (window, 12, 2, 3, 3);
  wait_running (window, 2);

  /* Raising the limit starts queued jobs at once, without waiting for one to end. */
  activate (window, "limit-up");
  activate (window, "limit-up");
  activate (window, "limit-up");
  g_assert_cmpuint (pm_pool_get_max_workers (pool), ==, 5);
  g_assert_cmpuint (pm_pool_get_n_running (pool), ==, 5);
  g_assert_cmpuint (pm_pool_get_n_queued (pool), ==, 7);

  /* Lowering never kills: running jobs go on. */
  activate (window, "limit-down");
  g_assert_cmpuint (pm_pool_get_max_workers (pool), ==, 4);
  g_assert_cmpuint (pm_pool_get_n_running (pool), ==, 5);

  activate (window, "stop");
  activate (window, "stop");
  wait_until (pool_finished, window, "the stopped run finishes");
  close_window (window);
}

static void
test_stop (void)
{
  PmWindow *window = new_window ();
  PmPool *pool;
  guint n_cancelled = 0, n_killed = 0;

  pool = start_demo (window, 10, 3, 30, 30);
  wait_running (window, 3);

  /* The first Stop drains: nothing more starts, running jobs go on. */
  activate (window, "stop");
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_DRAINING);
  g_assert_cmpuint (pm_pool_get_n_queued (pool), ==, 0);
  g_assert_cmpuint (pm_pool_get_n_running (pool), ==, 3);

  /* The second ends them. */
  activate (window, "stop");
  wait_until (pool_finished, window, "the stopped run finishes");
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      n_cancelled += pm_job_get_state (job) == PM_JOB_STATE_CANCELLED;
      n_killed += pm_job_get_state (job) == PM_JOB_STATE_KILLED;
    }
  g_assert_cmpuint (n_cancelled, ==, 7);
  g_assert_cmpuint (n_killed, ==, 3);
  g_assert_cmpint (pm_pool_get_elapsed (pool), <, 20 * G_USEC_PER_SEC);

  close_window (window);
}

static void
assert_refused (PmWindow   *window,
                const char *reason)
{
  PmRunSettings *run_settings = _pm_window_get_run_settings (window);
  g_autofree char *errors = NULL;

  /* Start is off while the settings are wrong (issue 17, point 13) */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));
  errors = _pm_run_settings_dup_errors (run_settings);
  if (strstr (errors, reason) == NULL)
    g_error ("expected “%s” among the errors shown, got “%s”", reason, errors);
}

static void
test_bad_settings (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  PmRunSettings *run_settings = _pm_window_get_run_settings (window);
  g_autofree char *errors = NULL;

  g_settings_set_uint (settings, "count", 0);
  assert_refused (window, "The number of jobs must be from 1 to 1,000,000, not 0");
  g_settings_set_uint (settings, "count", 1000001);
  assert_refused (window, "not 1000001");
  g_settings_set_uint (settings, "count", 15);

  g_settings_set_uint (settings, "limit", 0);
  assert_refused (window, "The limit must be at least 1");
  g_settings_set_uint (settings, "limit", 5);

  g_settings_set_double (settings, "sleep-min", 3);
  g_settings_set_double (settings, "sleep-max", 1);
  assert_refused (window, "The shortest sleep (3 s) is longer than the longest (1 s)");
  g_settings_set_double (settings, "sleep-min", 0.05);

  g_settings_set_string (settings, "mode", "template");
  g_settings_set_string (settings, "template", "  ");
  assert_refused (window, "Type a command");
  g_settings_set_string (settings, "template", "pm-no-such-program-here {}");
  assert_refused (window, "There is no program “pm-no-such-program-here” in PATH");
  g_settings_set_string (settings, "template", "echo {}");
  g_settings_set_string (settings, "args-source", "file");
  g_settings_set_string (settings, "args-file", "/nonexistent/pm-arguments.txt");
  assert_refused (window, "Cannot read the arguments");
  g_settings_set_string (settings, "args-source", "list");
  g_settings_set_string (settings, "args-list", "\n\n");
  assert_refused (window, "Type at least one argument");

  /* Fixed, every message goes and the run starts. */
  g_settings_set_string (settings, "args-list", "one\ntwo; echo three\n$(id)\n");
  errors = _pm_run_settings_dup_errors (run_settings);
  g_assert_cmpstr (errors, ==, "");
  activate (window, "start");
  g_assert_nonnull (pm_window_get_pool (window));
  wait_until (pool_finished, window, "the template run finishes");
  {
    PmPool *pool = pm_window_get_pool (window);
    g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), 1);
    g_autofree char *output = pm_job_dup_output (job);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 3);
    g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
    /* Never a shell: the argument is passed as it is. */
    g_assert_nonnull (strstr (output, "two; echo three"));
  }

  close_window (window);
}

static void
count_frame (GdkFrameClock *clock,
             guint         *frames)
{
  (*frames)++;
}

static void
frames_at_end (PmPool *pool,
               PmJob  *job,
               guint  *frames_seen)
{
  guint *frames = g_object_get_data (G_OBJECT (pool), "frames");

  *frames_seen = *frames;
}

/* A job that floods its output does not freeze the window: frames keep coming while it runs. */
static void
test_flood_keeps_painting (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  g_autofree char *template = g_strdup_printf ("%s flood {}", g_getenv ("PM_TEST_CHILD"));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint frames = 0, frames_at_job_end = 0;
  gulong frame_id;
  PmPool *pool;

  g_assert_nonnull (clock);
  g_settings_set_string (settings, "mode", "template");
  g_settings_set_string (settings, "template", template);
  g_settings_set_string (settings, "args-source", "list");
  g_settings_set_string (settings, "args-list", "300000000\n");
  g_settings_set_uint (settings, "limit", 1);

  frame_id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame), &frames);
  activate (window, "start");
  pool = pm_window_get_pool (window);
  g_object_set_data (G_OBJECT (pool), "frames", &frames);
  g_signal_connect (pool, "job-finished", G_CALLBACK (frames_at_end), &frames_at_job_end);
  wait_until (pool_finished, window, "the flooding job ends");
  g_signal_handler_disconnect (clock, frame_id);

  g_test_message ("%u frames painted while 300 MB of output came in", frames_at_job_end);
  g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, 1)), ==,
                   PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (pm_job_get_output_bytes (pm_pool_get_job_by_seq (pool, 1)), >=, 300000000);
  g_assert_cmpuint (frames_at_job_end, >=, 3);

  close_window (window);
}

/* Counted after this live beat: the first ones of a run build the job list's rows. */
#define FIRST_BEAT 3

typedef struct
{
  PmWindow *window;
  guint     last_beat;
  guint     last_done;
  guint     changed_beats;  /* live beats on which the header's counts had changed */
  guint     layouts;        /* frames that laid the window out, once the rows are built */
  gint64    last_layout;    /* the frame counter of the last of those */
} Layouts;

static gboolean
follow_beats (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       data)
{
  Layouts *l = data;
  PmWindow *window = l->window;
  guint done = window->pool ? pm_pool_get_n_done (window->pool) : 0;

  if (window->live_tick_id != 0 && window->n_beats != l->last_beat)
    {
      l->last_beat = window->n_beats;
      l->changed_beats += l->last_beat > FIRST_BEAT && done != l->last_done;
      l->last_done = done;
    }
  return G_SOURCE_CONTINUE;
}

static void
count_layout (GdkFrameClock *clock,
              Layouts       *l)
{
  gint64 frame = gdk_frame_clock_get_frame_counter (clock);

  if (l->window->live_tick_id != 0 && l->last_beat > FIRST_BEAT && frame != l->last_layout)
    l->layouts++;
  l->last_layout = frame;
}

/* The header follows a run on every live beat, but a change of its counts does not lay the
 * window out again (on X11 that also costs round trips to the X server, while the jobs want
 * the CPU): the numbers are GtkInscriptions, and the progress bar, which lays out when it
 * moves, moves every third beat at most. With GtkLabels, every beat with a change laid the
 * window out. */
static void
test_header_follows_without_layout (void)
{
  PmWindow *window = new_window ();
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  Layouts l = { window };
  gulong layout_id;
  guint tick_id;

  layout_id = g_signal_connect (clock, "layout", G_CALLBACK (count_layout), &l);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), follow_beats, &l, NULL);
  start_demo (window, 80, 4, 0.05, 0.1);
  wait_until (pool_finished, window, "the run finishes");
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  g_signal_handler_disconnect (clock, layout_id);

  g_test_message ("%u layouts over %u beats on which the counts changed", l.layouts,
                  l.changed_beats);
  g_assert_cmpuint (l.changed_beats, >=, 6);
  /* With GtkLabels every such beat laid out (layouts >= changed beats). Other things lay the
   * window out too (the progress bar, rows changing state), more of them on a loaded machine
   * where fewer beats come (9 layouts over 16 such beats seen at load 30): so the bound is
   * "not on every beat". */
  g_assert_cmpuint (l.layouts, <, l.changed_beats);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (window->progress_bar),
                                       GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "80 of 80 jobs done");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (window->progress_bar), ==, 1.0);

  close_window (window);
}

static gboolean
pool_idle (gpointer data)
{
  return !pm_pool_is_active (data);
}

/* Closing the window (or Quit) while a run goes asks first; Cancel keeps the run. */
static void
test_close_asks_before_ending_a_run (void)
{
  PmWindow *window = new_window ();
  g_autoptr(PmPool) pool = g_object_ref (start_demo (window, 6, 2, 30, 30));
  AdwMessageDialog *dialog, *again;
  guint n_killed = 0, n_cancelled = 0;

  wait_running (window, 2);

  gtk_window_close (GTK_WINDOW (window));
  settle ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpuint (find_dialogs (window, &dialog), ==, 1);
  /* Asked again while it asks: the same question, not a second one. */
  gtk_window_close (GTK_WINDOW (window));
  settle ();
  g_assert_cmpuint (find_dialogs (window, &again), ==, 1);
  g_assert_true (again == dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "End the Run and Close?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "2 jobs are running and 4 waiting"));
  adw_message_dialog_response (dialog, "cancel");
  settle ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (pm_pool_is_active (pool));
  g_assert_cmpuint (pm_pool_get_n_running (pool), ==, 2);

  /* Quit asks the same; this time the run ends and the window closes. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  settle ();
  g_assert_cmpuint (find_dialogs (window, &dialog), ==, 1);
  adw_message_dialog_response (dialog, "close");
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  wait_until (pool_idle, pool, "the run ends");
  for (guint seq = 1; seq <= 6; seq++)
    {
      PmJobState state = pm_job_get_state (pm_pool_get_job_by_seq (pool, seq));
      n_killed += state == PM_JOB_STATE_KILLED;
      n_cancelled += state == PM_JOB_STATE_CANCELLED;
    }
  g_assert_cmpuint (n_killed, ==, 2);
  g_assert_cmpuint (n_cancelled, ==, 4);
  g_assert_finalize_object (window);
}

static void
test_window_state_remembered (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_close (GTK_WINDOW (window));
  settle ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_finalize_object (window);
}

static gboolean
job_in_state (gpointer data)
{
  PmJob *job = data;
  PmJobState want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (job), "want-state"));

  return pm_job_get_state (job) == want;
}

static void
wait_job_state (PmJob      *job,
                PmJobState  state)
{
  g_autofree char *what = g_strdup_printf ("job %u is %s (it is %s)", pm_job_get_seq (job),
                                           pm_job_state_to_string (state),
                                           pm_job_state_to_string (pm_job_get_state (job)));

  g_object_set_data (G_OBJECT (job), "want-state", GUINT_TO_POINTER (state));
  wait_until (job_in_state, job, what);
}

static gboolean
job_has_output (gpointer data)
{
  return pm_job_get_output_bytes (data) > 0;
}

static void
test_job_menu (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  PmPool *pool;
  PmJob *job;

  pool = start_demo (window, 3, 3, 30, 30);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 3);
  g_assert_cmpfloat (pm_job_get_planned (pm_pool_get_job_by_seq (pool, 2)), ==, 30);
  wait_running (window, 3);

  job = pm_pool_get_job_by_seq (pool, 2);
  /* Pause is offered once the job runs: wait until the worker has said it started. */
  wait_until (job_has_output, job, "job 2 has started its command");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "job-pause"));
  pm_job_list_select_job (list, job);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "job-resume"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "job-rerun"));

  activate (window, "job-pause");
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_PAUSED);
  activate (window, "job-resume");
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_RUNNING);
  activate (window, "job-terminate");
  wait_job_state (job, PM_JOB_STATE_KILLED);
  g_assert_cmpint (pm_job_get_term_signal (job), ==, SIGTERM);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "job-kill"));

  /* Run Again queues it as its next attempt, in the same row. */
  activate (window, "job-rerun");
  g_assert_cmpuint (pm_job_get_attempt (job), ==, 2);
  wait_job_state (job, PM_JOB_STATE_RUNNING);
  wait_until (job_has_output, job, "job 2 has started its command again");
  activate (window, "job-kill");
  wait_job_state (job, PM_JOB_STATE_KILLED);
  g_assert_cmpint (pm_job_get_term_signal (job), ==, SIGKILL);

  activate (window, "stop");
  activate (window, "stop");
  wait_until (pool_finished, window, "the stopped run finishes");
  close_window (window);
}

static void
assert_refused_with (PmWindow   *window,
                     const char *key,
                     const char *value,
                     const char *reason)
{
  GSettings *settings = _pm_window_get_settings (window);

  if (g_str_equal (key, "retries"))
    g_settings_set_uint (settings, key, (guint)g_ascii_strtoull (value, NULL, 10));
  else
    g_settings_set_string (settings, key, value);
  assert_refused (window, reason);
}

static PmPool *
run_template (PmWindow   *window,
              const char *template_,
              const char *args)
{
  GSettings *settings = _pm_window_get_settings (window);

  g_settings_set_string (settings, "mode", "template");
  g_settings_set_string (settings, "template", template_);
  g_settings_set_string (settings, "args-source", "list");
  g_settings_set_string (settings, "args-list", args);
  activate (window, "start");
  g_assert_nonnull (pm_window_get_pool (window));
  return pm_window_get_pool (window);
}

static void
test_failure_settings (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  g_autofree char *errors = NULL;
  PmPool *pool;

  /* Each wrong value is refused beside its field, and nothing starts. */
  assert_refused_with (window, "timeout", "soon", "The timeout must be seconds");
  assert_refused_with (window, "timeout", "-3", "not “-3”");
  assert_refused_with (window, "timeout", "0%", "A timeout percentage must be");
  assert_refused_with (window, "timeout", "12.5%", "A timeout percentage must be");
  g_settings_set_string (settings, "timeout", "");
  assert_refused_with (window, "retries", "0", "from 1 to 1000 attempts in all, not 0");
  assert_refused_with (window, "retries", "1001", "not 1001");
  g_settings_set_uint (settings, "retries", 1);
  g_settings_set_string (settings, "halt-when", "now");
  assert_refused_with (window, "halt-threshold", "many", "Give up after a number of jobs");
  assert_refused_with (window, "halt-threshold", "0", "not “0”");
  assert_refused_with (window, "halt-threshold", "101%", "not “101%”");
  /* A threshold does not matter while the run never gives up. */
  g_settings_set_string (settings, "halt-when", "never");
  errors = _pm_run_settings_dup_errors (_pm_window_get_run_settings (window));
  g_assert_cmpstr (errors, ==, "");
  g_settings_set_string (settings, "halt-threshold", "1");

  /* Good values are taken, and reach the pool. */
  g_settings_set_string (settings, "timeout", " 200% ");
  g_clear_pointer (&errors, g_free);
  errors = _pm_run_settings_dup_errors (_pm_window_get_run_settings (window));
  g_assert_cmpstr (errors, ==, "");

  /* Attempts: a job that always fails runs twice, each attempt a joblog line. */
  g_settings_set_string (settings, "timeout", "");
  g_settings_set_uint (settings, "retries", 2);
  pool = run_template (window, "false", "a\nb\n");
  g_assert_cmpuint (pm_pool_get_retries (pool), ==, 2);
  wait_until (pool_finished, window, "the failing run finishes");
  for (guint seq = 1; seq <= 2; seq++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, seq);
      g_assert_cmpuint (pm_job_get_attempt (job), ==, 2);
      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_FAILED);
    }
  g_settings_set_uint (settings, "retries", 1);

  /* Timeout: the job that runs too long is timed out; the quick one is not. */
  g_settings_set_string (settings, "timeout", "0.5");
  pool = run_template (window, "sleep", "0.05\n30\n");
  g_assert_cmpuint (pm_pool_get_timeout (pool), ==, 500);
  wait_until (pool_finished, window, "the run with a timeout finishes");
  g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, 1)), ==,
                   PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, 2)), ==,
                   PM_JOB_STATE_TIMED_OUT);
  g_assert_cmpint (pm_pool_get_elapsed (pool), <, 10 * G_USEC_PER_SEC);
  g_settings_set_string (settings, "timeout", "");

  /* Halt now,fail=1: the first failure ends the running jobs and starts no more. */
  g_settings_set_string (settings, "halt-when", "now");
  g_settings_set_string (settings, "halt-on", "fail");
  g_settings_set_string (settings, "halt-threshold", "1");
  g_settings_set_uint (settings, "limit", 3);
  pool = run_template (window, "sh -c 'sleep $1; test $1 = 30' sh", "0.1\n30\n30\n30\n30\n30\n");
  wait_until (pool_finished, window, "the halted run finishes");
  g_assert_true (pm_pool_get_halted (pool));
  g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, 1)), ==,
                   PM_JOB_STATE_FAILED);
  for (guint seq = 2; seq <= 6; seq++)
    g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, seq)), !=,
                     PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_pool_get_elapsed (pool), <, 10 * G_USEC_PER_SEC);

  close_window (window);
}

static void
test_rerun_failed (void)
{
  PmWindow *window = new_window ();
  g_autofree char *dir = g_dir_make_tmp ("pm-test-rerun-XXXXXX", NULL);
  g_autofree char *args = NULL;
  g_autofree char *first_log = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  PmPool *pool;

  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rerun-failed"));

  /* Jobs 2 and 4 fail at first: their files are missing. */
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%u", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (i != 2 && i != 4)
        g_assert_true (g_file_set_contents (path, "", 0, NULL));
      g_string_append_printf (list, "%s\n", path);
    }
  pool = run_template (window, "test -e", list->str);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rerun-failed"));
  wait_until (pool_finished, window, "the first run finishes");
  settle ();
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 2);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rerun-failed"));
  first_log = g_strdup (_pm_window_get_autosave_path (window));
  g_assert_nonnull (first_log);

  for (guint i = 2; i <= 4; i += 2)
    {
      g_autofree char *name = g_strdup_printf ("file-%u", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    }

  /* Only the failed ones run again, as their second attempt, in the same run. */
  activate (window, "rerun-failed");
  g_assert_true (pm_window_get_pool (window) == pool);
  g_assert_true (pm_pool_is_active (pool));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rerun-failed"));
  wait_until (pool_finished, window, "the re-run finishes");
  settle ();
  for (guint seq = 1; seq <= 5; seq++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, seq);

      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_cmpuint (pm_job_get_attempt (job), ==, (seq == 2 || seq == 4) ? 2 : 1);
    }
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rerun-failed"));

  /* The re-run is recorded too, every job in it. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (_pm_window_get_autosave_path (window));
    g_autoptr(PmPool) logged = pm_runlog_load (file, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (_pm_window_get_autosave_path (window), !=, first_log);
    for (guint seq = 1; seq <= 5; seq++)
      g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (logged, seq)), ==,
                       PM_JOB_STATE_SUCCEEDED);
    g_assert_cmpuint (pm_job_get_attempt (pm_pool_get_job_by_seq (logged, 4)), ==, 2);

    /* Opened from a log, the run cannot run again, and the button says so. */
    g_assert_true (_pm_window_open (window, file, &error));
    g_assert_no_error (error);
  }
  {
    g_autofree char *path = g_build_filename (g_getenv ("PM_TEST_DATA"), "parallel-joblog.tsv",
                                              NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    const char *tooltip;

    /* That log has a failed and a killed job. */
    g_assert_true (_pm_window_open (window, file, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (pm_pool_get_n_failed (pm_window_get_pool (window)), >, 0);
    g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window),
                                                       "rerun-failed"));
    tooltip = gtk_widget_get_tooltip_text (window->rerun_failed_button);
    g_assert_nonnull (strstr (tooltip, "cannot run again"));
  }

  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%u", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/window/default-run/completes-with-every-row-succeeded", test_default_run);
  g_test_add_func ("/window/flood/keeps-painting", test_flood_keeps_painting);
  g_test_add_func ("/window/limit/raised-live-starts-jobs-at-once", test_limit_live);
  g_test_add_func ("/window/header/follows-a-run-without-laying-out",
                   test_header_follows_without_layout);
  g_test_add_func ("/window/stop/drains-then-ends-running-jobs", test_stop);
  g_test_add_func ("/window/job-menu/pause-resume-terminate-rerun-kill", test_job_menu);
  g_test_add_func ("/window/settings/bad-ones-are-refused-in-place", test_bad_settings);
  g_test_add_func ("/window/state/size-is-remembered", test_window_state_remembered);
  g_test_add_func ("/window/close/asks-before-ending-a-run", test_close_asks_before_ending_a_run);
  g_test_add_func ("/window/settings/timeout-attempts-halt-refused-or-applied",
                   test_failure_settings);
  g_test_add_func ("/window/rerun-failed/queues-only-the-failed-jobs-again", test_rerun_failed);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
