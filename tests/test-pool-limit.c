/* test-pool-limit.c: the limit holds, slots are real, the default run is the seed's lesson
 *
 * Everything here is checked from what the pool recorded (start and end times, slots) and
 * from what it announced as it went, never from how long the test took.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "pm-pool.h"
#include "pm-test-util.h"
#include "pm-util.h"

typedef struct
{
  guint   peak;
  guint   violations;
  PmPool *pool;
  guint   checks;
  guint   idled;       /* checks that found a free slot while jobs waited */
} Watch;

/* Every start is checked against the limit in force at that moment: the moment the pool gives
 * the job its slot (its process then starts in the spawner thread, and may run after a lower
 * limit was set, as the jobs already running do). */
static void
job_slot_cb (PmJob      *job,
             GParamSpec *pspec,
             Watch      *watch)
{
  guint running = pm_pool_get_n_running (watch->pool);

  if (pm_job_get_slot (job) == 0)
    return;
  watch->peak = MAX (watch->peak, running);
  if (running > pm_pool_get_max_workers (watch->pool) ||
      pm_job_get_slot (job) > pm_pool_get_max_workers (watch->pool))
    watch->violations++;
}

static void
watch_starts (PmPool *pool,
              Watch  *watch)
{
  watch->pool = pool;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      g_signal_connect (job, "notify::slot", G_CALLBACK (job_slot_cb), watch);
    }
}

/* Outside the pool's own callbacks a slot never idles while jobs wait: a finished job's slot
 * is refilled in the same callback that frees it. */
static gboolean
check_no_idle_slot (gpointer user_data)
{
  Watch *watch = user_data;
  PmPool *pool = watch->pool;

  watch->checks++;
  if (pm_pool_get_state (pool) == PM_POOL_STATE_RUNNING && pm_pool_get_n_queued (pool) > 0 &&
      pm_pool_get_n_running (pool) < pm_pool_get_max_workers (pool))
    watch->idled++;
  return G_SOURCE_REMOVE;
}

static void
job_finished_cb (PmPool *pool,
                 PmJob  *job,
                 Watch  *watch)
{
  watch->pool = pool;
  g_idle_add_full (G_PRIORITY_HIGH, check_no_idle_slot, watch, NULL);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const gint64 *x = a, *y = b;

  /* Ends sort before starts at the same instant: a slot is freed before it is refilled. */
  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return (int)(x[1] - y[1]);
}

/* From recorded times: never more than @limit at once, never two jobs in one slot at once. */
static guint
check_recorded_schedule (PmPool *pool,
                         guint   limit)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pool));
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  guint running = 0, peak = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) a = g_list_model_get_item (G_LIST_MODEL (pool), i);
      gint64 start[2] = { pm_job_get_start_time (a), +1 };
      gint64 end[2] = { pm_job_get_end_time (a), -1 };

      g_assert_cmpint (pm_job_get_state (a), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_cmpuint (pm_job_get_slot (a), >=, 1);
      g_assert_cmpuint (pm_job_get_slot (a), <=, limit);
      g_assert_cmpint (start[0], <=, end[0]);
      g_array_append_val (events, start);
      g_array_append_val (events, end);

      for (guint j = i + 1; j < n; j++)
        {
          g_autoptr(PmJob) b = g_list_model_get_item (G_LIST_MODEL (pool), j);

          if (pm_job_get_slot (a) == pm_job_get_slot (b))
            g_assert_true (pm_job_get_end_time (a) <= pm_job_get_start_time (b) ||
                           pm_job_get_end_time (b) <= pm_job_get_start_time (a));
        }
    }

  g_array_sort (events, compare_events);
  for (guint i = 0; i < events->len; i++)
    {
      running += ((gint64 *)events->data)[i * 2 + 1];
      peak = MAX (peak, running);
      g_assert_cmpuint (running, <=, limit);
    }

  return peak;
}

static void
test_limit_holds_in_randomised_runs (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint runs = g_test_slow () ? 40 : 15;

  for (guint r = 0; r < runs; r++)
    {
      g_autoptr(PmPool) pool = NULL;
      guint count = g_rand_int_range (rand, 1, 30);
      guint limit = g_rand_int_range (rand, 1, 9);
      Watch watch = { 0 };

      pool = pm_pool_new (limit);
      for (guint i = 1; i <= count; i++)
        {
          g_autofree char *ms = g_strdup_printf ("%d", g_rand_int_range (rand, 0, 40));
          g_autoptr(PmJob) job = pm_test_job (i, "sleep", ms, NULL);
          pm_pool_add_job (pool, job);
        }
      watch_starts (pool, &watch);

      pm_test_run_pool (pool, 60);

      g_assert_cmpuint (watch.violations, ==, 0);
      g_assert_cmpuint (watch.peak, <=, limit);
      g_assert_cmpuint (pm_pool_get_peak_running (pool), ==, watch.peak);
      /* The pool starts min(limit, count) at once, and they all run at the first start. */
      g_assert_cmpuint (watch.peak, ==, MIN (limit, count));
      g_assert_cmpuint (check_recorded_schedule (pool, limit), <=, limit);
      g_assert_cmpuint (pm_pool_get_n_done (pool), ==, count);
    }
}

typedef struct
{
  Watch  watch;
  guint  finished;
  guint  raised_to;
  guint  running_after_raise;
  guint  queued_before_raise;
  guint  running_before_raise;
} Steering;

static void
steer_cb (PmPool   *pool,
          PmJob    *job,
          Steering *s)
{
  g_autoptr(GError) error = NULL;

  switch (++s->finished)
    {
    case 4:
      s->running_before_raise = pm_pool_get_n_running (pool);
      s->queued_before_raise = pm_pool_get_n_queued (pool);
      pm_pool_set_max_workers (pool, 6, &error);
      /* Raising starts waiting jobs at once, in this very call. */
      s->running_after_raise = pm_pool_get_n_running (pool);
      break;
    case 12:
      pm_pool_set_max_workers (pool, 1, &error);
      break;
    case 20:
      pm_pool_set_max_workers (pool, 3, &error);
      break;
    default:
      break;
    }
  g_assert_no_error (error);
}

static void
test_limit_changes_while_running (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  Steering s = { 0 };
  const PmLimitChange *changes;
  guint n_changes;

  for (guint i = 1; i <= 30; i++)
    {
      g_autoptr(PmJob) job = pm_test_job (i, "sleep", "30", NULL);
      pm_pool_add_job (pool, job);
    }
  watch_starts (pool, &s.watch);
  g_signal_connect_after (pool, "job-finished", G_CALLBACK (steer_cb), &s);

  pm_test_run_pool (pool, 60);

  g_assert_cmpuint (s.watch.violations, ==, 0);
  g_assert_cmpuint (s.running_after_raise, ==,
                    MIN (6, s.running_before_raise + s.queued_before_raise));
  g_assert_cmpuint (s.watch.peak, ==, 6);
  /* Lowering never kills: every job succeeded. */
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 30);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 0);

  changes = pm_pool_get_limit_changes (pool, &n_changes);
  g_assert_cmpuint (n_changes, ==, 4);
  g_assert_cmpuint (changes[0].limit, ==, 2);
  g_assert_cmpuint (changes[1].limit, ==, 6);
  g_assert_cmpuint (changes[2].limit, ==, 1);
  g_assert_cmpuint (changes[3].limit, ==, 3);
  for (guint i = 1; i < n_changes; i++)
    g_assert_cmpint (changes[i].time, >=, changes[i - 1].time);
}

/* The makespan of greedy list scheduling: each job, in order, takes the slot free first. */
static double
greedy_makespan (const double *durations,
                 guint         n,
                 guint         limit)
{
  g_autofree double *free_at = g_new0 (double, limit);
  double makespan = 0;

  for (guint i = 0; i < n; i++)
    {
      guint best = 0;

      for (guint s = 1; s < limit; s++)
        if (free_at[s] < free_at[best])
          best = s;
      free_at[best] += durations[i];
      makespan = MAX (makespan, free_at[best]);
    }

  return makespan;
}

static void
test_default_run (void)
{
  g_autofree char *worker = pm_find_helper ("pool-worker");
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(PmPool) pool = pm_pool_new (5);
  double planned[15];
  Watch watch = { 0 };
  double makespan, expected;

  g_assert_nonnull (worker);

  /* The seed's run at a tenth of the scale: sleeps of 0.1–0.4 s instead of 1–4 s. */
  for (guint i = 0; i < 15; i++)
    {
      g_autofree char *name = g_strdup_printf ("computer_%u", i);
      g_autofree char *sleep = NULL;
      g_autoptr(PmJob) job = NULL;
      const char *argv[] = { worker, "--name", name, "--sleep", NULL, NULL };

      planned[i] = g_rand_int_range (rand, 1, 5) / 10.0;
      argv[4] = sleep = g_strdup_printf ("%.1f", planned[i]);
      job = pm_job_new (i + 1, name, NULL, argv);
      pm_job_set_planned (job, planned[i]);
      pm_pool_add_job (pool, job);
    }
  watch_starts (pool, &watch);
  g_signal_connect (pool, "job-finished", G_CALLBACK (job_finished_cb), &watch);

  pm_test_run_pool (pool, 60);
  /* the checks still pending use the watch: run them while it lives */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpuint (watch.violations, ==, 0);
  g_assert_cmpuint (watch.checks, ==, 15);
  g_assert_cmpuint (watch.idled, ==, 0);
  g_assert_cmpuint (watch.peak, ==, 5);
  g_assert_cmpuint (check_recorded_schedule (pool, 5), ==, 5);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 15);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 0);

  for (guint i = 0; i < 15; i++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, i + 1);
      g_autofree char *output = pm_job_dup_output (job);
      g_autofree char *expected_output =
        g_strdup_printf ("Started worker computer_%u\ncomputer_%u worker finished in %g seconds\n",
                         i, i, planned[i]);

      g_assert_cmpstr (output, ==, expected_output);
      g_assert_cmpint (pm_job_get_runtime (job), >=, (gint64)(planned[i] * G_USEC_PER_SEC));
    }

  /* Every job sleeps its planned time, so no run can beat the greedy schedule; how close it
   * comes is measured in bench/, not asserted here. */
  makespan = pm_pool_get_elapsed (pool) / (double)G_USEC_PER_SEC;
  expected = greedy_makespan (planned, 15, 5);
  g_test_message ("makespan %.3f s, greedy schedule %.3f s", makespan, expected);
  g_assert_cmpfloat (makespan, >=, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pool/default-run-is-the-seed's-lesson", test_default_run);
  g_test_add_func ("/pool/limit/holds-in-randomised-runs", test_limit_holds_in_randomised_runs);
  g_test_add_func ("/pool/limit/changes-while-running", test_limit_changes_while_running);

  return g_test_run ();
}
