/* test-pool-policy.c: timeouts and kill sequences, retries, halting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "pm-median.h"
#include "pm-pool.h"
#include "pm-test-util.h"

static void
test_timeout_ends_a_job_that_ignores_sigterm (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (3);
  g_autoptr(GError) error = NULL;
  PmJob *quick = pm_test_add (pool, pm_test_job (1, "exit", "0", NULL));
  PmJob *polite = pm_test_add (pool, pm_test_job (2, "sleep", "30000", NULL));
  PmJob *stubborn = pm_test_add (pool, pm_test_job (3, "ignore-term", "sleep", "30000", NULL));

  /* Long enough for "ignore-term" to have run when the timeout comes, even under a sanitizer
   * on a busy machine. */
  pm_pool_set_timeout (pool, 1000);
  g_assert_true (pm_pool_set_term_seq (pool, "TERM,100,KILL,25", &error));
  g_assert_no_error (error);
  pm_test_run_pool (pool, 20);

  g_assert_cmpint (pm_job_get_state (quick), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_job_get_state (polite), ==, PM_JOB_STATE_TIMED_OUT);
  g_assert_cmpint (pm_job_get_term_signal (polite), ==, SIGTERM);
  g_assert_cmpint (pm_job_get_state (stubborn), ==, PM_JOB_STATE_TIMED_OUT);
  g_assert_cmpint (pm_job_get_term_signal (stubborn), ==, SIGKILL);
  /* Ended by the timeout, not by their 30 s sleep. */
  g_assert_cmpint (pm_job_get_runtime (polite), >=, 1000 * 1000);
  g_assert_cmpint (pm_job_get_runtime (stubborn), >=, 1100 * 1000);
  g_assert_cmpint (pm_job_get_runtime (stubborn), <, 30 * G_USEC_PER_SEC);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 2);
}

static void
test_timeout_as_percentage_of_the_median (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  PmJob *slow;

  for (guint i = 1; i <= 3; i++)
    pm_test_add (pool, pm_test_job (i, "sleep", "50", NULL));
  slow = pm_test_add (pool, pm_test_job (4, "sleep", "30000", NULL));
  pm_pool_set_timeout_percent (pool, 300);
  pm_test_run_pool (pool, 20);

  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 1);
  g_assert_cmpint (pm_job_get_state (slow), ==, PM_JOB_STATE_TIMED_OUT);
  g_assert_cmpint (pm_job_get_runtime (slow), <, 30 * G_USEC_PER_SEC);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

/* The running median is the value at count / 2 of all values sorted, after every addition:
 * random values with repeats, then rising and falling runs. */
static void
test_running_median (void)
{
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (gint64));
  PmMedian median;

  _pm_median_init (&median);
  for (guint i = 0; i < 3000; i++)
    {
      gint64 value = i < 1000 ? g_test_rand_int_range (0, 200)
                   : i < 2000 ? (gint64)i * 7
                              : 100000 - (gint64)i;

      _pm_median_add (&median, value);
      g_array_append_val (sorted, value);
      g_array_sort (sorted, compare_int64);
      g_assert_cmpuint (_pm_median_count (&median), ==, i + 1);
      g_assert_cmpint (_pm_median_get (&median), ==,
                       g_array_index (sorted, gint64, sorted->len / 2));
    }
  _pm_median_clear (&median);
}

static void
test_term_seq_parse_errors (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  const char *bad[] = { "", "TERM", "TERM,x", "NOSUCH,10", "TERM,10,KILL" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (pm_pool_set_term_seq (pool, bad[i], &error));
      g_assert_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID);
    }
}

/* pool-run --timeout and the window's Timeout field share one reading of GNU parallel's
 * --timeout. */
static void
test_timeout_parse (void)
{
  const struct { const char *text; guint msec; guint percent; } good[] = {
    { NULL, 0, 0 }, { "", 0, 0 }, { " 0 ", 0, 0 }, { "2", 2000, 0 }, { "0.5", 500, 0 },
    { "0.0001", 1, 0 }, { "86400", 86400000, 0 }, { "200%", 0, 200 }, { " 1% ", 0, 1 },
    { "100000%", 0, 100000 },
  };
  const char *bad[] = { "soon", "-3", "86401", "2s", "0%", "12.5%", "100001%", "%", "1e", "nan" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      guint msec = 7, percent = 7;

      g_assert_true (pm_timeout_parse (good[i].text, &msec, &percent, NULL));
      g_assert_cmpuint (msec, ==, good[i].msec);
      g_assert_cmpuint (percent, ==, good[i].percent);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint msec, percent;

      g_assert_false (pm_timeout_parse (bad[i], &msec, &percent, &error));
      g_assert_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_cmpuint (msec, ==, 0);
      g_assert_cmpuint (percent, ==, 0);
    }
}

static void
count_finished (PmPool *pool,
                PmJob  *job,
                GArray *attempts)
{
  guint attempt = pm_job_get_attempt (job);

  g_array_append_val (attempts, attempt);
}

static void
test_retries_log_every_attempt (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  g_autoptr(GArray) attempts = g_array_new (FALSE, FALSE, sizeof (guint));
  PmJob *failing = pm_test_add (pool, pm_test_job (1, "exit", "5", NULL));
  PmJob *fine = pm_test_add (pool, pm_test_job (2, "exit", "0", NULL));

  pm_pool_set_retries (pool, 3);
  g_signal_connect (pool, "job-finished", G_CALLBACK (count_finished), attempts);
  pm_test_run_pool (pool, 20);

  g_assert_cmpint (pm_job_get_state (failing), ==, PM_JOB_STATE_FAILED);
  g_assert_cmpuint (pm_job_get_attempt (failing), ==, 3);
  g_assert_cmpuint (pm_job_get_attempt (fine), ==, 1);
  /* Three attempts of job 1 and one of job 2 were each announced as they ended. */
  g_assert_cmpuint (attempts->len, ==, 4);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 2);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 1);
}

/* What the queued jobs are planned to take, as the pool keeps it without looking at each,
 * against a look at each: at every start and end, through retries and a cancel. The jobs
 * with a slot are the running ones and those sent that have not started yet. */
typedef struct
{
  PmPool *pool;
  guint   checks;
} QueuedWatch;

static void
check_queued_planned (PmPool      *pool,
                      PmJob       *changed,
                      QueuedWatch *watch)
{
  g_autoptr(GPtrArray) running = pm_pool_dup_running_jobs (pool);
  double planned = 0, kept;
  guint n_unplanned = 0, kept_unplanned = 99, n_queued = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      gboolean has_slot = g_ptr_array_find (running, job, NULL);

      g_assert_true (!pm_job_state_is_live (pm_job_get_state (job)) || has_slot);
      if (pm_job_get_state (job) != PM_JOB_STATE_QUEUED || has_slot)
        continue;
      n_queued++;
      if (pm_job_get_planned (job) >= 0)
        planned += pm_job_get_planned (job);
      else
        n_unplanned++;
    }
  kept = pm_pool_get_queued_planned (pool, &kept_unplanned);
  g_assert_cmpuint (n_queued, ==, pm_pool_get_n_queued (pool));
  g_assert_cmpfloat_with_epsilon (kept, planned, 1e-6);
  g_assert_cmpuint (kept_unplanned, ==, n_unplanned);
  g_assert_cmpuint (running->len, <=, pm_pool_get_max_workers (pool));
  watch->checks++;
}

static void
test_queued_planned_follows_the_queue (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) running = NULL;
  QueuedWatch watch = { pool, 0 };
  guint n_unplanned = 99;
  PmJob *last = NULL;

  for (guint i = 1; i <= 8; i++)
    {
      /* every third fails (and is tried again); the fifth has no planned runtime */
      PmJob *job = pm_test_job (i, "sleep", "20", "exit", i % 3 == 0 ? "3" : "0", NULL);

      if (i != 5)
        pm_job_set_planned (job, 0.25 * i);
      last = pm_test_add (pool, job);
    }
  pm_pool_set_retries (pool, 2);

  g_signal_connect (pool, "job-started", G_CALLBACK (check_queued_planned), &watch);
  g_signal_connect (pool, "job-finished", G_CALLBACK (check_queued_planned), &watch);
  /* Jobs 1 and 2 go to their slots at once; 3 to 7 wait once 8 is cancelled. */
  g_assert_true (pm_pool_start (pool, &error));
  g_assert_no_error (error);
  g_assert_true (pm_pool_cancel_job (pool, last, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pm_pool_get_n_queued (pool), ==, 5);
  g_assert_cmpfloat_with_epsilon (pm_pool_get_queued_planned (pool, &n_unplanned),
                                  0.25 * (3 + 4 + 6 + 7), 1e-6);
  g_assert_cmpuint (n_unplanned, ==, 1);
  check_queued_planned (pool, NULL, &watch);
  pm_test_run_pool (pool, 30);

  /* 7 jobs ran, 2 of them (3 and 6) twice: 9 starts and 9 ends; and the cancel was an end */
  g_assert_cmpuint (watch.checks, ==, 1 + 9 + 9 + 1);
  g_assert_cmpint (pm_job_get_state (last), ==, PM_JOB_STATE_CANCELLED);
  g_assert_cmpfloat (pm_pool_get_queued_planned (pool, &n_unplanned), ==, 0);
  g_assert_cmpuint (n_unplanned, ==, 0);
  running = pm_pool_dup_running_jobs (pool);
  g_assert_cmpuint (running->len, ==, 0);
}

static void
test_halt_now_on_first_failure (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (3);
  g_autoptr(GError) error = NULL;
  PmHalt halt;
  PmJob *a = pm_test_add (pool, pm_test_job (1, "sleep", "30000", NULL));
  PmJob *b = pm_test_add (pool, pm_test_job (2, "sleep", "30000", NULL));
  PmJob *bad = pm_test_add (pool, pm_test_job (3, "sleep", "50", "exit", "1", NULL));
  PmJob *waiting = pm_test_add (pool, pm_test_job (4, "exit", "0", NULL));

  g_assert_true (pm_halt_parse ("now,fail=1", &halt, &error));
  pm_pool_set_halt (pool, &halt);
  pm_pool_set_grace_period (pool, 100);
  pm_test_run_pool (pool, 20);

  g_assert_true (pm_pool_get_halted (pool));
  g_assert_cmpint (pm_job_get_state (bad), ==, PM_JOB_STATE_FAILED);
  g_assert_cmpint (pm_job_get_state (a), ==, PM_JOB_STATE_KILLED);
  g_assert_cmpint (pm_job_get_state (b), ==, PM_JOB_STATE_KILLED);
  g_assert_cmpint (pm_job_get_state (waiting), ==, PM_JOB_STATE_CANCELLED);
}

static void
test_halt_soon_on_a_percentage (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  g_autoptr(GError) error = NULL;
  PmHalt halt;

  /* 2 of 10 jobs (20%) failing halts; running jobs finish, the rest never start. */
  for (guint i = 1; i <= 10; i++)
    pm_test_add (pool, pm_test_job (i, "exit", i <= 2 ? "1" : "0", NULL));
  g_assert_true (pm_halt_parse ("soon,fail=20%", &halt, &error));
  pm_pool_set_halt (pool, &halt);
  pm_test_run_pool (pool, 20);

  g_assert_true (pm_pool_get_halted (pool));
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 2);
  g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, 3)), ==,
                   PM_JOB_STATE_CANCELLED);
}

static void
test_halt_parse (void)
{
  struct { const char *text; PmHaltWhen when; PmHaltOn on; guint count; guint percent; } ok[] = {
    { "never", PM_HALT_NEVER, PM_HALT_ON_FAIL, 0, 0 },
    { "1", PM_HALT_SOON, PM_HALT_ON_FAIL, 1, 0 },
    { "2", PM_HALT_NOW, PM_HALT_ON_FAIL, 1, 0 },
    { "now,success=3", PM_HALT_NOW, PM_HALT_ON_SUCCESS, 3, 0 },
    { "soon,done=50%", PM_HALT_SOON, PM_HALT_ON_DONE, 0, 50 },
  };
  const char *bad[] = { "later,fail=1", "now", "now,fail=0", "now,fail=x", "soon,won=1",
                        "now,fail=101%" };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      PmHalt halt;

      g_assert_true (pm_halt_parse (ok[i].text, &halt, NULL));
      g_assert_cmpint (halt.when, ==, ok[i].when);
      g_assert_cmpint (halt.on, ==, ok[i].on);
      g_assert_cmpuint (halt.count, ==, ok[i].count);
      g_assert_cmpuint (halt.percent, ==, ok[i].percent);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      PmHalt halt;

      g_assert_false (pm_halt_parse (bad[i], &halt, &error));
      g_assert_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pool/timeout/ends-a-job-that-ignores-sigterm",
                   test_timeout_ends_a_job_that_ignores_sigterm);
  g_test_add_func ("/pool/timeout/percentage-of-the-median",
                   test_timeout_as_percentage_of_the_median);
  g_test_add_func ("/pool/timeout/running-median", test_running_median);
  g_test_add_func ("/pool/timeout/bad-kill-sequences-are-refused", test_term_seq_parse_errors);
  g_test_add_func ("/pool/timeout/parse", test_timeout_parse);
  g_test_add_func ("/pool/retries/every-attempt-is-announced", test_retries_log_every_attempt);
  g_test_add_func ("/pool/queued-planned/follows-the-queue", test_queued_planned_follows_the_queue);
  g_test_add_func ("/pool/halt/now-on-first-failure", test_halt_now_on_first_failure);
  g_test_add_func ("/pool/halt/soon-on-a-percentage", test_halt_soon_on_a_percentage);
  g_test_add_func ("/pool/halt/parse", test_halt_parse);

  return g_test_run ();
}
