/* test-pool.c: jobs' outcomes, signals, drain and stop, output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pm-pool.h"
#include "pm-test-util.h"
#include "pm-util.h"

static void
test_pool_exit_codes_and_signals (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (4);
  PmJob *ok = pm_test_add (pool, pm_test_job (1, "exit", "0", NULL));
  PmJob *three = pm_test_add (pool, pm_test_job (2, "exit", "3", NULL));
  PmJob *killed = pm_test_add (pool, pm_test_job (3, "raise", "9", NULL));
  PmJob *termed = pm_test_add (pool, pm_test_job (4, "raise", "15", NULL));
  PmJob *segv = pm_test_add (pool, pm_test_job (5, "raise", "11", NULL));

  pm_test_run_pool (pool, 30);

  g_assert_cmpint (pm_job_get_state (ok), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_job_get_exit_status (ok), ==, 0);
  g_assert_cmpint (pm_job_get_state (three), ==, PM_JOB_STATE_FAILED);
  g_assert_cmpint (pm_job_get_exit_status (three), ==, 3);
  g_assert_cmpint (pm_job_get_state (killed), ==, PM_JOB_STATE_KILLED);
  g_assert_cmpint (pm_job_get_term_signal (killed), ==, SIGKILL);
  g_assert_cmpint (pm_job_get_exit_status (killed), ==, -1);
  g_assert_cmpint (pm_job_get_term_signal (termed), ==, SIGTERM);
  g_assert_cmpint (pm_job_get_term_signal (segv), ==, SIGSEGV);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 5);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 4);
  g_assert_cmpint (pm_job_get_end_time (ok), >=, pm_job_get_start_time (ok));
  g_assert_cmpint (pm_job_get_runtime (ok), >=, 0);
}

static void
test_pool_missing_command_fails_to_start (void)
{
  const char *missing[] = { "pm-no-such-command-anywhere", NULL };
  g_autofree char *plain_file = NULL;
  const char *not_exec[] = { NULL, NULL };
  g_autoptr(PmPool) pool = NULL;
  int fd = g_file_open_tmp ("pm-not-executable-XXXXXX", &plain_file, NULL);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  not_exec[0] = plain_file;
  g_assert_true (g_file_set_contents (plain_file, "#!/bin/sh\n", -1, NULL));
  g_assert_cmpint (g_chmod (plain_file, 0644), ==, 0);
  pool = pm_pool_new (1);
  PmJob *before = pm_test_add (pool, pm_test_job (1, "exit", "0", NULL));
  PmJob *gone = pm_test_add (pool, pm_job_new (2, "gone", NULL, missing));
  PmJob *plain = pm_test_add (pool, pm_job_new (3, "plain", NULL, not_exec));
  PmJob *after = pm_test_add (pool, pm_test_job (4, "exit", "0", NULL));

  pm_test_run_pool (pool, 30);

  g_assert_cmpint (pm_job_get_state (before), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_job_get_state (gone), ==, PM_JOB_STATE_FAILED_TO_START);
  g_assert_nonnull (g_strstr_len (pm_job_get_error_message (gone), -1, "no such command"));
  g_assert_nonnull (g_strstr_len (pm_job_get_error_message (gone), -1,
                                  "pm-no-such-command-anywhere"));
  g_assert_cmpint (pm_job_get_state (plain), ==, PM_JOB_STATE_FAILED_TO_START);
  g_assert_nonnull (g_strstr_len (pm_job_get_error_message (plain), -1, "not an executable"));
  g_assert_cmpint (pm_job_get_state (after), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (pm_job_get_slot (gone), ==, 1);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 2);
  g_assert_cmpuint (pm_pool_get_n_running (pool), ==, 0);
  g_unlink (plain_file);
}

static void
drain_on_first_start (PmPool *pool,
                      PmJob  *job)
{
  if (pm_pool_get_state (pool) == PM_POOL_STATE_RUNNING && pm_pool_get_n_running (pool) == 2)
    pm_pool_drain (pool);
}

static void
test_pool_drain_finishes_running_starts_none (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  guint n_succeeded = 0, n_cancelled = 0;

  for (guint i = 1; i <= 8; i++)
    pm_test_add (pool, pm_test_job (i, "sleep", "100", NULL));
  g_signal_connect (pool, "job-started", G_CALLBACK (drain_on_first_start), NULL);

  pm_test_run_pool (pool, 30);

  for (guint i = 1; i <= 8; i++)
    {
      PmJobState state = pm_job_get_state (pm_pool_get_job_by_seq (pool, i));
      n_succeeded += state == PM_JOB_STATE_SUCCEEDED;
      n_cancelled += state == PM_JOB_STATE_CANCELLED;
    }
  g_assert_cmpuint (n_succeeded, ==, 2);
  g_assert_cmpuint (n_cancelled, ==, 6);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 0);
}

static gboolean
job_has_output (gpointer data)
{
  return pm_job_get_output_bytes (data) > 0;
}

static gboolean
job_has_two_lines (gpointer data)
{
  g_auto(GStrv) lines = pm_job_dup_output_lines (data);

  return g_strv_length (lines) >= 2;
}

/* Each of the three has its process: a slot is given at once, the process follows. */
static gboolean
all_running (gpointer data)
{
  for (guint seq = 1; seq <= 3; seq++)
    if (pm_job_get_state (pm_pool_get_job_by_seq (data, seq)) != PM_JOB_STATE_RUNNING)
      return FALSE;
  return TRUE;
}

static void
test_pool_stop_terms_then_kills (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (3);
  PmJob *polite = pm_test_add (pool, pm_test_job (1, "sleep", "20000", NULL));
  PmJob *stubborn = pm_test_add (pool, pm_test_job (2, "ignore-term", "print", "1", "sleep",
                                                   "20000", NULL));
  PmJob *paused = pm_test_add (pool, pm_test_job (3, "sleep", "20000", NULL));
  PmJob *waiting = pm_test_add (pool, pm_test_job (4, "exit", "0", NULL));
  g_autoptr(GError) error = NULL;

  pm_pool_set_grace_period (pool, 200);
  pm_pool_start (pool, &error);
  g_assert_no_error (error);
  pm_test_run_until (all_running, pool, 10);
  /* "ignore-term" must have run before SIGTERM comes: the line it prints after says so. */
  pm_test_run_until (job_has_output, stubborn, 10);

  pm_pool_pause_job (pool, paused, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pm_job_get_state (paused), ==, PM_JOB_STATE_PAUSED);

  pm_pool_stop (pool);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_STOPPING);
  g_assert_cmpint (pm_job_get_state (waiting), ==, PM_JOB_STATE_CANCELLED);
  pm_test_run_pool (pool, 10);

  g_assert_cmpint (pm_job_get_state (polite), ==, PM_JOB_STATE_KILLED);
  g_assert_cmpint (pm_job_get_term_signal (polite), ==, SIGTERM);
  g_assert_cmpint (pm_job_get_term_signal (paused), ==, SIGTERM);
  g_assert_cmpint (pm_job_get_state (stubborn), ==, PM_JOB_STATE_KILLED);
  g_assert_cmpint (pm_job_get_term_signal (stubborn), ==, SIGKILL);
}

static gboolean
job_finished (gpointer data)
{
  return pm_job_is_finished (data);
}

static void
test_pool_pause_resume_and_signals (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  PmJob *job = pm_test_add (pool, pm_test_job (1, "pgid", "sleep", "20000", NULL));
  PmJob *queued = pm_test_add (pool, pm_test_job (2, "exit", "0", NULL));
  PmJob *victim = pm_test_add (pool, pm_test_job (3, "exit", "0", NULL));
  g_autoptr(GError) error = NULL;

  g_assert_true (pm_pool_cancel_job (pool, victim, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pm_job_get_state (victim), ==, PM_JOB_STATE_CANCELLED);
  g_assert_false (pm_pool_kill_job (pool, queued, &error));
  g_assert_error (error, PM_POOL_ERROR, PM_POOL_ERROR_NOT_RUNNING);
  g_clear_error (&error);

  pm_pool_start (pool, &error);
  g_assert_no_error (error);
  pm_test_run_until (job_has_output, job, 10);

  /* The job leads its own process group (its slot spawned it with POSIX_SPAWN_SETPGROUP): its
   * PID is the group's, with no process between the slot and the command. */
  {
    g_auto(GStrv) lines = pm_job_dup_output_lines (job);
    g_autofree char *pgid = g_strdup_printf ("pgid=%d", pm_job_get_pid (job));

    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    g_assert_cmpstr (lines[0], ==, pgid);
    g_assert_cmpint (getpgid (pm_job_get_pid (job)), ==, pm_job_get_pid (job));
    g_assert_cmpint (getpgid (atoi (lines[1] + 4)), ==, pm_job_get_pid (job));
  }

  g_assert_true (pm_pool_pause_job (pool, job, &error));
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_PAUSED);
  g_assert_true (pm_pool_resume_job (pool, job, &error));
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_RUNNING);
  g_assert_true (pm_pool_signal_job (pool, job, SIGUSR1, &error));
  g_assert_no_error (error);
  pm_test_run_until (job_finished, job, 10);

  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_KILLED);
  g_assert_cmpint (pm_job_get_term_signal (job), ==, SIGUSR1);
  pm_test_run_pool (pool, 10);
  g_assert_cmpint (pm_job_get_state (queued), ==, PM_JOB_STATE_SUCCEEDED);
}

static void
test_pool_terminate_and_kill_reach_children (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  PmJob *job = pm_test_add (pool, pm_test_job (1, "child", "20000", "sleep", "20000", NULL));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int child;

  pm_pool_start (pool, &error);
  pm_test_run_until (job_has_output, job, 10);
  lines = pm_job_dup_output_lines (job);
  g_assert_true (g_str_has_prefix (lines[0], "child="));
  child = atoi (lines[0] + 6);
  g_assert_true (pm_test_process_alive (child));

  /* The grandchild ignores SIGTERM; SIGKILL to the group ends it too. */
  g_assert_true (pm_pool_kill_job (pool, job, &error));
  pm_test_run_pool (pool, 10);
  g_assert_cmpint (pm_job_get_term_signal (job), ==, SIGKILL);
  for (guint i = 0; i < 100 && pm_test_process_alive (child); i++)
    g_usleep (10 * 1000);
  g_assert_false (pm_test_process_alive (child));
}

/* A job ends when its process does, even if a descendant that left its process group keeps
 * the job's output open: what was written before is kept, and the slot goes to the next job.
 * (The job below used to stay running for the 30 s of its leftover.) */
static void
test_pool_output_left_open_by_a_leftover (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  /* Once out of the group (its session is its own), the job ends: its slot ends what is left in
   * the job's group, and must not reach what left it. */
  const char *script = "echo before; setsid sleep 30 & echo leftover=$!; "
                       "until [ \"$(cut -d' ' -f6 /proc/$!/stat)\" = $! ]; do :; done; exit 0";
  const char *argv1[] = { "/bin/sh", "-c", script, NULL };
  const char *argv2[] = { "/bin/sh", "-c", "echo second", NULL };
  PmJob *job = pm_test_add (pool, pm_job_new (1, "leaves", NULL, argv1));
  PmJob *next = pm_test_add (pool, pm_job_new (2, "next", NULL, argv2));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int leftover;

  g_assert_true (pm_pool_start (pool, &error));
  g_assert_no_error (error);
  pm_test_run_pool (pool, 10);

  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_job_get_state (next), ==, PM_JOB_STATE_SUCCEEDED);
  lines = pm_job_dup_output_lines (job);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_cmpstr (lines[0], ==, "before");
  g_assert_true (g_str_has_prefix (lines[1], "leftover="));
  leftover = atoi (lines[1] + strlen ("leftover="));
  g_assert_cmpint (leftover, >, 0);
  g_assert_true (pm_test_process_alive (leftover));
  kill (leftover, SIGKILL);
}

/* A descendant that left the job's process group (setsid, or timeout's own group) still gets
 * the job's signals, found in the process tree, as GNU parallel finds them. */
static void
test_pool_signals_reach_what_left_the_group (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  const char *argv[] = { "/bin/sh", "-c",
                         "setsid sleep 30 & echo setsid=$!; timeout 30 sleep 30 & echo timeout=$!; "
                         "wait", NULL };
  PmJob *job = pm_test_add (pool, pm_job_new (1, "escapes", NULL, argv));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int pids[2];

  g_assert_true (pm_pool_start (pool, &error));
  g_assert_no_error (error);
  pm_test_run_until (job_has_two_lines, job, 10);
  lines = pm_job_dup_output_lines (job);
  g_assert_true (g_str_has_prefix (lines[0], "setsid="));
  g_assert_true (g_str_has_prefix (lines[1], "timeout="));
  pids[0] = atoi (lines[0] + strlen ("setsid="));
  pids[1] = atoi (lines[1] + strlen ("timeout="));
  for (guint i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      /* in a group of its own by now (setsid and timeout make theirs at once) */
      for (guint k = 0; k < 100 && getpgid (pids[i]) != pids[i]; k++)
        g_usleep (10 * 1000);
      g_assert_cmpint (getpgid (pids[i]), ==, pids[i]);
    }

  g_assert_true (pm_pool_terminate_job (pool, job, &error));
  g_assert_no_error (error);
  pm_test_run_pool (pool, 10);
  g_assert_cmpint (pm_job_get_term_signal (job), ==, SIGTERM);
  for (guint i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      for (guint k = 0; k < 100 && pm_test_process_alive (pids[i]); k++)
        g_usleep (10 * 1000);
      if (pm_test_process_alive (pids[i]))
        kill (pids[i], SIGKILL);
      g_assert_false (pm_test_process_alive (pids[i]));
    }
}

/* A stop ends what left a job's group even when it ignores SIGTERM and its job has ended:
 * SIGKILL at the end of the grace period, and the run is over once it is gone. */
static void
test_pool_stop_ends_what_left_the_group (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  const char *argv[] = { "/bin/sh", "-c",
                         "setsid sh -c 'trap \"\" TERM; sleep 30' & echo leftover=$!; wait",
                         NULL };
  PmJob *job = pm_test_add (pool, pm_job_new (1, "leaves", NULL, argv));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int leftover;

  pm_pool_set_grace_period (pool, 300);
  g_assert_true (pm_pool_start (pool, &error));
  g_assert_no_error (error);
  pm_test_run_until (job_has_output, job, 10);
  lines = pm_job_dup_output_lines (job);
  g_assert_true (g_str_has_prefix (lines[0], "leftover="));
  leftover = atoi (lines[0] + strlen ("leftover="));
  for (guint k = 0; k < 100 && getpgid (leftover) != leftover; k++)
    g_usleep (10 * 1000);

  pm_pool_stop (pool);
  pm_test_run_pool (pool, 10);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_KILLED);
  for (guint k = 0; k < 100 && pm_test_process_alive (leftover); k++)
    g_usleep (10 * 1000);
  if (pm_test_process_alive (leftover))
    kill (leftover, SIGKILL);
  g_assert_false (pm_test_process_alive (leftover));
}

static void
terminate_at_once (PmPool *pool,
                   PmJob  *job)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pm_pool_terminate_job (pool, job, &error));
  g_assert_no_error (error);
}

/* A signal sent before the slot has said the job started is passed on once it has, not lost. */
static void
test_pool_signal_right_after_start (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (4);

  for (guint i = 1; i <= 8; i++)
    pm_test_add (pool, pm_test_job (i, "sleep", "20000", NULL));
  g_signal_connect (pool, "job-started", G_CALLBACK (terminate_at_once), NULL);
  pm_test_run_pool (pool, 15);

  for (guint i = 1; i <= 8; i++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, i);

      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_KILLED);
      g_assert_cmpint (pm_job_get_term_signal (job), ==, SIGTERM);
    }
}

/* Jobs are started by their slots, which say so when they have. A stop that comes before that
 * (right after the start, from the same callback) reaches them once they run: none is left
 * running. Every job that ran has its PID and a start before its end. */
static void
test_pool_stop_while_spawning (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (8);
  g_autoptr(PmPool) quick = pm_pool_new (8);
  g_autoptr(GError) error = NULL;
  guint n_killed = 0;

  for (guint i = 1; i <= 8; i++)
    pm_test_add (pool, pm_test_job (i, "sleep", "20000", NULL));
  pm_pool_start (pool, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pm_pool_get_n_running (pool), ==, 8);
  pm_pool_stop (pool);
  pm_test_run_pool (pool, 15);
  for (guint i = 1; i <= 8; i++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, i);

      n_killed += pm_job_get_state (job) == PM_JOB_STATE_KILLED;
      g_assert_cmpint (pm_job_get_pid (job), >, 0);
    }
  g_assert_cmpuint (n_killed, ==, 8);

  for (guint i = 1; i <= 24; i++)
    pm_test_add (quick, pm_test_job (i, "sleep", "200", NULL));
  pm_test_run_pool (quick, 30);
  for (guint i = 1; i <= 24; i++)
    {
      PmJob *job = pm_pool_get_job_by_seq (quick, i);

      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_cmpint (pm_job_get_pid (job), >, 0);
      g_assert_cmpint (pm_job_get_end_time (job), >=, pm_job_get_start_time (job));
    }
}

/* The pool hears back from its spawner thread in the context it was made in, whatever context
 * is the thread's default when a job starts: code that waits in a context of its own pushes
 * one, and nobody iterates it once that code is done. */
static void
test_pool_starts_from_any_context (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  g_autoptr(GMainContext) other = g_main_context_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 1; i <= 4; i++)
    pm_test_add (pool, pm_test_job (i, "exit", "0", NULL));
  g_main_context_push_thread_default (other);
  pm_pool_start (pool, &error);
  g_main_context_pop_thread_default (other);
  g_assert_no_error (error);
  pm_test_run_pool (pool, 15);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 4);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 0);
}

static void
count_foreign_start (PmPool  *pool,
                     PmJob   *job,
                     GThread *main_thread)
{
  guint *foreign = g_object_get_data (G_OBJECT (pool), "foreign-starts");

  if (g_thread_self () != main_thread)
    (*foreign)++;
}

/* A job starts, and "job-started" is emitted, in the thread the pool belongs to, even while
 * that thread is busy outside the main loop and the context is free for the spawner thread to
 * take. (It took it: g_main_context_invoke() runs the callback in the calling thread when it
 * can acquire the context, so handlers, the window's among them, ran in the spawner thread.) */
static void
test_pool_answers_in_its_own_thread (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (4);
  g_autoptr(GError) error = NULL;
  guint foreign = 0;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (guint i = 1; i <= 40; i++)
    pm_test_add (pool, pm_test_job (i, "exit", "0", NULL));
  g_object_set_data (G_OBJECT (pool), "foreign-starts", &foreign);
  g_signal_connect (pool, "job-started", G_CALLBACK (count_foreign_start), g_thread_self ());
  g_assert_true (pm_pool_start (pool, &error));
  g_assert_no_error (error);

  /* Busy between iterations, as a program is between handling one event and the next */
  while (pm_pool_get_state (pool) != PM_POOL_STATE_FINISHED && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_FINISHED);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 40);
  g_assert_cmpuint (foreign, ==, 0);
}

static void
count_line (PmPool *pool,
            PmJob  *job,
            int     stream,
            GBytes *line,
            guint  *counts)
{
  counts[stream]++;
}

static void
test_pool_output_lines (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  PmJob *lines = pm_test_add (pool, pm_test_job (1, "print", "1000", NULL));
  PmJob *err = pm_test_add (pool, pm_test_job (4, "eprint", "oops", NULL));
  PmJob *flood = pm_test_add (pool, pm_test_job (2, "flood", "300000", NULL));
  PmJob *env = pm_test_add (pool, pm_test_job (3, "env", NULL));
  guint counts[3] = { 0 };
  g_auto(GStrv) tail = NULL;
  g_autofree char *env_out = NULL;
  g_autofree char *expected_env = NULL;
  g_autofree char *err_out = NULL;

  g_signal_connect (pool, "job-output", G_CALLBACK (count_line), counts);
  pm_test_run_pool (pool, 30);

  g_assert_cmpuint (counts[PM_OUTPUT_STDERR], ==, 1);
  /* 1000 lines, then 300000 bytes without a newline as one line (whole, with no newline
   * added), then 3 env lines. */
  g_assert_cmpuint (counts[PM_OUTPUT_STDOUT], ==, 1000 + 1 + 3);

  tail = pm_job_dup_output_lines (lines);
  /* Only the tail is kept. */
  g_assert_cmpuint (g_strv_length (tail), <, 1000);
  g_assert_cmpstr (tail[g_strv_length (tail) - 1], ==, "line 1000");
  g_assert_false (g_strv_contains ((const char * const *)tail, "line 1"));
  g_assert_cmpuint (pm_job_get_output_bytes (lines), >, 8000);
  g_assert_cmpuint (pm_job_get_output_bytes (flood), ==, 300000);
  err_out = pm_job_dup_output (err);
  g_assert_cmpstr (err_out, ==, "oops\n");

  env_out = pm_job_dup_output (env);
  expected_env = g_strdup_printf ("POOL_SEQ=3\nPOOL_SLOT=%u\nPOOL_JOB_NAME=job3\n",
                                  pm_job_get_slot (env));
  g_assert_cmpstr (env_out, ==, expected_env);
}

static void
gather_chunk (PmPool     *pool,
              PmJob      *job,
              int         stream,
              GBytes     *chunk,
              GByteArray *all)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  g_assert_cmpint (stream, ==, PM_OUTPUT_STDOUT);
  g_byte_array_append (all, data, len);
  g_byte_array_append (all, (const guint8 *)"|", 1);
}

/* pm_pool_set_output_chunks(): the same bytes, fewer signals (several lines at once), every
 * one ending a line; the tail keeps the last lines one by one as before. */
static void
test_pool_output_chunks (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  PmJob *lines = pm_test_add (pool, pm_test_job (1, "print", "20000", NULL));
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_auto(GStrv) tail = NULL;
  g_autofree char *joined = NULL;
  g_auto(GStrv) chunks = NULL;
  guint n_chunks;

  pm_pool_set_output_chunks (pool, TRUE);
  g_signal_connect (pool, "job-output", G_CALLBACK (gather_chunk), all);
  pm_test_run_pool (pool, 30);

  for (guint i = 1; i <= 20000; i++)
    g_string_append_printf (expected, "line %u\n", i);
  joined = g_strndup ((const char *)all->data, all->len);
  chunks = g_strsplit (joined, "|", -1);
  n_chunks = g_strv_length (chunks) - 1;
  g_test_message ("20000 lines in %u chunks", n_chunks);
  g_assert_cmpuint (n_chunks, <, 20000);
  for (guint i = 0; i < n_chunks; i++)
    g_assert_true (g_str_has_suffix (chunks[i], "\n"));
  g_free (joined);
  joined = g_strjoinv ("", chunks);
  g_assert_cmpstr (joined, ==, expected->str);

  tail = pm_job_dup_output_lines (lines);
  g_assert_cmpuint (g_strv_length (tail), >, 1);
  g_assert_cmpstr (tail[g_strv_length (tail) - 1], ==, "line 20000");
  g_assert_cmpstr (tail[g_strv_length (tail) - 2], ==, "line 19999");
  g_assert_cmpuint (pm_job_get_output_bytes (lines), ==, expected->len);
}

static void
test_pool_without_output_capture (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  PmJob *printing = pm_test_add (pool, pm_test_job (1, "print", "100", "exit", "3", NULL));
  PmJob *flooding = pm_test_add (pool, pm_test_job (2, "flood", "1000000", NULL));
  guint counts[3] = { 0 };

  pm_pool_set_capture_output (pool, FALSE);
  g_signal_connect (pool, "job-output", G_CALLBACK (count_line), counts);
  pm_test_run_pool (pool, 30);

  /* The jobs ran to their end, their output went nowhere. */
  g_assert_cmpint (pm_job_get_exit_status (printing), ==, 3);
  g_assert_cmpint (pm_job_get_state (flooding), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (counts[PM_OUTPUT_STDOUT] + counts[PM_OUTPUT_STDERR], ==, 0);
  g_assert_cmpuint (pm_job_get_output_bytes (printing), ==, 0);
}

static void
test_pool_retry_runs_another_attempt (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  PmJob *job = pm_test_add (pool, pm_test_job (1, "exit", "4", NULL));
  g_autoptr(GError) error = NULL;

  pm_test_run_pool (pool, 10);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 1);

  g_assert_true (pm_pool_retry_job (pool, job, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pm_job_get_attempt (job), ==, 2);
  pm_test_run_pool (pool, 10);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_FAILED);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 1);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 1);
}

static void
test_pool_invalid_limit (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  g_autoptr(GError) error = NULL;

  g_assert_false (pm_pool_set_max_workers (pool, 0, &error));
  g_assert_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT);
  g_assert_cmpuint (pm_pool_get_max_workers (pool), ==, 2);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_pool_notifies_only_on_change (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  PmJob *job = pm_test_add (pool, pm_test_job (1, "exit", "0", NULL));
  guint limit_notifies = 0, state_notifies = 0;
  g_autoptr(GError) error = NULL;

  g_signal_connect (pool, "notify::max-workers", G_CALLBACK (count_notify), &limit_notifies);
  g_signal_connect (job, "notify::state", G_CALLBACK (count_notify), &state_notifies);

  pm_pool_set_max_workers (pool, 2, &error);
  g_assert_cmpuint (limit_notifies, ==, 0);
  pm_pool_set_max_workers (pool, 3, &error);
  g_assert_cmpuint (limit_notifies, ==, 1);

  pm_test_run_pool (pool, 10);
  /* queued → running → succeeded */
  g_assert_cmpuint (state_notifies, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pool/exit-codes-and-signals", test_pool_exit_codes_and_signals);
  g_test_add_func ("/pool/missing-command-fails-to-start-and-the-pool-goes-on",
                   test_pool_missing_command_fails_to_start);
  g_test_add_func ("/pool/drain-finishes-running-and-starts-none",
                   test_pool_drain_finishes_running_starts_none);
  g_test_add_func ("/pool/stop-terms-then-kills", test_pool_stop_terms_then_kills);
  g_test_add_func ("/pool/pause-resume-and-signals", test_pool_pause_resume_and_signals);
  g_test_add_func ("/pool/kill-reaches-the-job's-children",
                   test_pool_terminate_and_kill_reach_children);
  g_test_add_func ("/pool/signals-reach-what-left-the-group",
                   test_pool_signals_reach_what_left_the_group);
  g_test_add_func ("/pool/stop-ends-what-left-the-group", test_pool_stop_ends_what_left_the_group);
  g_test_add_func ("/pool/output-lines", test_pool_output_lines);
  g_test_add_func ("/pool/output-lines-in-chunks-when-asked", test_pool_output_chunks);
  g_test_add_func ("/pool/output-left-open-by-a-leftover-ends-with-the-job",
                   test_pool_output_left_open_by_a_leftover);
  g_test_add_func ("/pool/signal-right-after-start-is-not-lost",
                   test_pool_signal_right_after_start);
  g_test_add_func ("/pool/stop-while-spawning", test_pool_stop_while_spawning);
  g_test_add_func ("/pool/starts-from-any-context", test_pool_starts_from_any_context);
  g_test_add_func ("/pool/answers-in-its-own-thread", test_pool_answers_in_its_own_thread);
  g_test_add_func ("/pool/retry-runs-another-attempt", test_pool_retry_runs_another_attempt);
  g_test_add_func ("/pool/output-not-captured-when-asked", test_pool_without_output_capture);
  g_test_add_func ("/pool/invalid-limit-is-refused", test_pool_invalid_limit);
  g_test_add_func ("/pool/notifies-only-on-change", test_pool_notifies_only_on_change);

  return g_test_run ();
}
