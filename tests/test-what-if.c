/* test-what-if.c: the replay of a recorded run at other limits (pm-what-if.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "pm-runlog.h"
#include "pm-test-util.h"
#include "pm-util.h"
#include "pm-what-if.h"

/* A job's want of a core, as the replay reads it: its CPU time over its duration */
static double
want_of (double duration,
         double cpu)
{
  return cpu > 0 && duration > 0 ? cpu / duration : 0;
}

/* The rule, simulated the slow and obvious way: each running job's remaining span shrinks at
 * its own pace, 1 unless the cores are short, when the fair share (found by bisection: the
 * largest share such that no job has more than that and the cores are all given) over its want;
 * at each step the smallest remaining time ends; slots are looked for from 1 up. */
static double
brute_force (const double *durations,
             const double *cpus,
             guint         n,
             guint         limit,
             guint         cores,
             double       *starts,
             double       *ends,
             guint        *slots)
{
  g_autofree double *left = g_new0 (double, n);
  g_autofree double *pace = g_new0 (double, n);
  g_autofree gboolean *runs = g_new0 (gboolean, n);
  g_autofree guint *busy = g_new0 (guint, limit + 1);   /* slot → job + 1 */
  guint next = 0, n_running = 0;
  double now = 0, makespan = 0;

  while (next < n || n_running > 0)
    {
      double wanted = 0, share = G_MAXDOUBLE, step = G_MAXDOUBLE;

      while (next < n && n_running < limit)
        {
          guint slot = 1;

          while (busy[slot] != 0)
            slot++;
          busy[slot] = next + 1;
          slots[next] = slot;
          starts[next] = now;
          left[next] = durations[next];
          runs[next] = TRUE;
          n_running++;
          next++;
        }

      for (guint i = 0; i < n; i++)
        if (runs[i])
          wanted += want_of (durations[i], cpus[i]);
      if (cores > 0 && wanted > cores + 1e-9)
        {
          double low = 0, high = wanted;

          for (guint k = 0; k < 200; k++)
            {
              double mid = (low + high) / 2, given = 0;

              for (guint i = 0; i < n; i++)
                if (runs[i])
                  given += MIN (want_of (durations[i], cpus[i]), mid);
              if (given > cores)
                high = mid;
              else
                low = mid;
            }
          share = low;
        }

      for (guint i = 0; i < n; i++)
        {
          double w = want_of (durations[i], cpus[i]);

          pace[i] = w > share ? share / w : 1;
          if (runs[i])
            step = MIN (step, left[i] / pace[i]);
        }

      now += step;
      for (guint i = 0; i < n; i++)
        {
          if (!runs[i])
            continue;
          left[i] -= step * pace[i];
          if (left[i] <= 1e-9 * MAX (durations[i], 1))
            {
              runs[i] = FALSE;
              busy[slots[i]] = 0;
              ends[i] = now;
              n_running--;
              makespan = MAX (makespan, now);
            }
        }
    }
  return makespan;
}

static void
test_matches_brute_force (void)
{
  for (guint round = 0; round < 300; round++)
    {
      guint n = g_test_rand_int_range (1, 40);
      guint limit = g_test_rand_int_range (1, 10);
      guint cores = g_test_rand_int_range (0, 5);
      g_autofree double *durations = g_new (double, n);
      g_autofree double *cpus = g_new (double, n);
      g_autofree double *starts = g_new (double, n);
      g_autofree double *ends = g_new (double, n);
      g_autofree guint *slots = g_new (guint, n);
      g_autofree double *b_starts = g_new (double, n);
      g_autofree double *b_ends = g_new (double, n);
      g_autofree guint *b_slots = g_new (guint, n);
      g_autoptr(PmWhatIf) what_if = pm_what_if_new (cores);
      double makespan, expected;

      for (guint i = 0; i < n; i++)
        {
          /* whole seconds in half the rounds, so that jobs often end together */
          durations[i] = round % 2 ? g_test_rand_int_range (1, 5)
                                   : g_test_rand_double_range (0.01, 4);
          cpus[i] = g_test_rand_bit () ? -1 : durations[i] * g_test_rand_double_range (0, 1);
          pm_what_if_add_job (what_if, durations[i], cpus[i]);
        }

      makespan = pm_what_if_replay (what_if, limit, starts, ends, slots, NULL);
      expected = brute_force (durations, cpus, n, limit, cores, b_starts, b_ends, b_slots);
      g_assert_cmpfloat_with_epsilon (makespan, expected, 1e-6 * MAX (expected, 1));
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpuint (slots[i], ==, b_slots[i]);
          g_assert_cmpfloat_with_epsilon (starts[i], b_starts[i], 1e-6 * MAX (expected, 1));
          g_assert_cmpfloat_with_epsilon (ends[i], b_ends[i], 1e-6 * MAX (expected, 1));
        }
    }
}

/* Six jobs of 4, 1, 3, 2, 2 and 1 s, worked out on paper:
 *   limit 1: one after another, 13 s
 *   limit 2: 1 and 2 at 0; 2 ends at 1, 3 starts in slot 2; 1 and 3 end at 4, 4 and 5 start;
 *            they end at 6, 6 starts in slot 1 and ends at 7: 7 s
 *   limit 3: 1, 2, 3 at 0; 4 at 1 (slot 2) ends at 3 with 3; 5 (slot 2) ends at 5, 6 (slot 3)
 *            at 4: 5 s
 *   limit 4: 1 … 4 at 0; 5 at 1 (slot 2) ends at 3, 6 at 2 (slot 4) ends at 3; 1 ends at 4: 4 s
 *   limit 5 and up: 1 bounds it: 4 s */
static const double hand_durations[] = { 4, 1, 3, 2, 2, 1 };

static void
test_hand_worked (void)
{
  g_autoptr(PmWhatIf) what_if = pm_what_if_new (0);
  g_autoptr(GArray) table = NULL;
  const double makespans[] = { 13, 7, 5, 4, 4, 4 };
  guint slots[6];

  for (guint i = 0; i < G_N_ELEMENTS (hand_durations); i++)
    pm_what_if_add_job (what_if, hand_durations[i], -1);
  pm_what_if_calibrate (what_if, 2);

  g_assert_cmpuint (pm_what_if_get_max_limit (what_if), ==, 4);
  table = pm_what_if_table (what_if, 6);
  g_assert_cmpuint (table->len, ==, 6);
  for (guint i = 0; i < table->len; i++)
    {
      PmWhatIfPoint *point = &g_array_index (table, PmWhatIfPoint, i);

      g_assert_cmpuint (point->limit, ==, i + 1);
      g_assert_cmpfloat (point->makespan, ==, makespans[i]);
      g_assert_cmpfloat_with_epsilon (point->speed_up, 13.0 / makespans[i], 1e-9);
      g_assert_false (point->cpu_bound);
    }

  pm_what_if_replay (what_if, 3, NULL, NULL, slots, NULL);
  g_assert_cmpuint (slots[3], ==, 2);
  g_assert_cmpuint (slots[4], ==, 2);
  g_assert_cmpuint (slots[5], ==, 3);
}

/* Ten jobs of 1 s of CPU each, recorded 5 at a time on 2 cores: each took 2.5 s. */
static void
test_cores_bound (void)
{
  g_autoptr(PmWhatIf) what_if = pm_what_if_new (2);
  g_autoptr(GArray) table = NULL;
  double makespans[3];

  for (guint i = 0; i < 10; i++)
    pm_what_if_add_job (what_if, 2.5, 1.0);
  pm_what_if_calibrate (what_if, 5);

  /* the replay at the recorded limit gives the recorded run back: two waves of 2.5 s */
  g_assert_cmpfloat_with_epsilon (pm_what_if_replay (what_if, 5, NULL, NULL, NULL, NULL), 5.0,
                                  1e-3);
  g_assert_cmpuint (pm_what_if_get_max_limit (what_if), ==, 10);
  table = pm_what_if_table (what_if, 0);
  g_assert_cmpuint (table->len, ==, 10);
  for (guint i = 0; i < table->len; i++)
    {
      PmWhatIfPoint *point = &g_array_index (table, PmWhatIfPoint, i);

      /* no limit beats 10 s of CPU over 2 cores, nor goes more than twice as fast */
      g_assert_cmpfloat (point->makespan, >=, 10.0 / 2 - 1e-6);
      g_assert_cmpfloat (point->speed_up, <=, 2 + 1e-6);
      g_assert_true (point->cpu_bound == (point->limit > 2));
    }
  /* one at a time the jobs take their CPU time; two at a time as much on two cores */
  for (guint i = 0; i < 3; i++)
    makespans[i] = g_array_index (table, PmWhatIfPoint, i).makespan;
  g_assert_cmpfloat_with_epsilon (makespans[0], 10.0, 1e-3);
  g_assert_cmpfloat_with_epsilon (makespans[1], 5.0, 1e-3);
  /* three at a time: three waves stretched by 3/2, then the tenth alone: 3 × 1.5 + 1 */
  g_assert_cmpfloat_with_epsilon (makespans[2], 5.5, 1e-3);

  /* without the cores the same record would promise what the machine cannot give */
  {
    g_autoptr(PmWhatIf) unbound = pm_what_if_new (0);

    for (guint i = 0; i < 10; i++)
      pm_what_if_add_job (unbound, 2.5, 1.0);
    pm_what_if_calibrate (unbound, 5);
    g_assert_cmpfloat_with_epsilon (pm_what_if_replay (unbound, 10, NULL, NULL, NULL, NULL),
                                    2.5, 1e-9);
  }
}

/* Half of the jobs compute, half sleep: the sleepers never wait for a core. */
static void
test_sleepers_do_not_stretch (void)
{
  g_autoptr(PmWhatIf) what_if = pm_what_if_new (1);
  g_autofree double *starts = g_new (double, 4);
  g_autofree double *ends = g_new (double, 4);

  pm_what_if_add_job (what_if, 2, 2);
  pm_what_if_add_job (what_if, 2, 0);
  pm_what_if_add_job (what_if, 2, 2);
  pm_what_if_add_job (what_if, 2, 0);
  pm_what_if_replay (what_if, 4, starts, ends, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (ends[1] - starts[1], 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (ends[3] - starts[3], 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (ends[0] - starts[0], 4, 1e-9);
  g_assert_cmpfloat_with_epsilon (ends[2] - starts[2], 4, 1e-9);
}

/* The time a recorded run lost between jobs (the slots' start-up, a job's start after the one
 * before it ended): the most a replay, which loses none, may differ from the record. */
static double
start_up_slack (PmPool *pool)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pool));
  g_autoptr(GHashTable) slot_free = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  gint64 first = G_MAXINT64;
  double slack = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      first = MIN (first, pm_job_get_start_time (job));
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      gpointer key = GUINT_TO_POINTER (pm_job_get_slot (job));
      gint64 *free_at = g_hash_table_lookup (slot_free, key);
      gint64 start = pm_job_get_start_time (job);

      slack += (start - (free_at ? *free_at : first)) / 1e6;
      if (!free_at)
        g_hash_table_insert (slot_free, key, free_at = g_new (gint64, 1));
      *free_at = start + pm_job_get_runtime (job);
    }
  return slack;
}

static void
check_recorded_run (const char *limit,
                    const char *count,
                    const char *sleep_min,
                    const char *sleep_max,
                    const char *seed)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-what-if-XXXXXX", NULL);
  g_autofree char *joblog = g_build_filename (dir, "run.tsv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (joblog);
  g_autoptr(PmPool) pool = NULL;
  g_autoptr(PmWhatIf) what_if = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-q", "--joblog", joblog, "--seed", seed,
                         "-j", limit, "--count", count, "--sleep-min", sleep_min,
                         "--sleep-max", sleep_max, NULL };
  int status;
  double replayed, recorded, slack;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  pool = pm_runlog_load_joblog (file, &error);
  g_assert_no_error (error);
  what_if = pm_what_if_new_for_pool (pool, pm_cpu_count ());
  g_assert_cmpuint (pm_what_if_get_n_jobs (what_if), ==, atoi (count));
  /* A joblog does not hold the limit: its highest slot does, and fewer jobs than the limit
   * fill only as many lanes */
  g_assert_cmpuint (pm_what_if_get_limit (what_if), ==, MIN (atoi (limit), atoi (count)));

  replayed = pm_what_if_replay (what_if, atoi (limit), NULL, NULL, NULL, NULL);
  recorded = pm_what_if_get_recorded_makespan (what_if);
  slack = start_up_slack (pool);
  g_test_message ("-j %s -n %s: recorded %.3f s, replayed %.3f s, slack %.3f s",
                  limit, count, recorded, replayed, slack);
  g_assert_cmpfloat (fabs (recorded - replayed), <=, slack + 0.002);

  pm_test_remove_tree (dir);
}

/* The demo as a new user first sees it: 15 workers of 1–4 s, 5 at a time. */
static void
test_default_run (void)
{
  check_recorded_run ("5", "15", "1", "4", "1");
}

static void
test_randomised_runs (void)
{
  for (guint round = 0; round < 4; round++)
    {
      g_autofree char *limit = g_strdup_printf ("%d", g_test_rand_int_range (1, 7));
      g_autofree char *count = g_strdup_printf ("%d", g_test_rand_int_range (3, 16));
      g_autofree char *seed = g_strdup_printf ("%u", g_test_rand_int ());

      check_recorded_run (limit, count, "0.02", "0.3", seed);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/what-if/replay/matches-brute-force", test_matches_brute_force);
  g_test_add_func ("/what-if/replay/hand-worked", test_hand_worked);
  g_test_add_func ("/what-if/cores/bound-holds", test_cores_bound);
  g_test_add_func ("/what-if/cores/sleepers-do-not-stretch", test_sleepers_do_not_stretch);
  g_test_add_func ("/what-if/recorded/default-run", test_default_run);
  g_test_add_func ("/what-if/recorded/randomised-runs", test_randomised_runs);

  return g_test_run ();
}
