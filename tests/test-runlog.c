/* test-runlog.c: joblog, event log and trace, written and read back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-runlog.h"

/* µs since the epoch, a whole number of milliseconds, as a joblog keeps them */
#define BASE G_GINT64_CONSTANT (1795600000000000)
#define SEC  G_USEC_PER_SEC
#define MSEC 1000

typedef struct
{
  char   *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-runlog-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static GFile *
fixture_file (Fixture    *fixture,
              const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  return g_file_new_for_path (path);
}

static void
write_file (GFile      *file,
            const char *text,
            gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (g_file_peek_path (file), text, len, &error);
  g_assert_no_error (error);
}

static char *
read_file_len (GFile *file,
               gsize *len)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (g_file_peek_path (file), &text, len, &error);
  g_assert_no_error (error);
  return text;
}

static char *
read_file (GFile *file)
{
  gsize len = 0;
  char *text = read_file_len (file, &len);

  g_assert_cmpuint (strlen (text), ==, len);
  return text;
}

/* A finished run in memory: one job in each finished state, names and commands with tabs,
 * newlines, backslashes and UTF-8 in them. */
static PmJob *
add_job (GPtrArray   *jobs,
         const char  *name,
         const char  *command,
         PmJobState   state,
         guint        slot,
         gint64       start,
         gint64       runtime,
         int          exit_status,
         int          term_signal)
{
  PmJob *job = pm_job_new (jobs->len + 1, name, NULL, NULL);

  if (command != NULL)
    _pm_job_set_command (job, command);
  _pm_job_set_queued_time (job, BASE);
  _pm_job_set_slot (job, slot);
  if (slot > 0)
    _pm_job_set_pid (job, 4000 + jobs->len);
  if (start > 0)
    {
      _pm_job_set_start_time (job, start, 0);
      _pm_job_set_end_time (job, start + runtime, 0);
      _pm_job_set_runtime (job, runtime);
    }
  _pm_job_set_exit (job, exit_status, term_signal);
  _pm_job_set_state (job, state);
  g_ptr_array_add (jobs, job);

  return job;
}

static PmPool *
make_finished_pool (void)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  PmPool *pool;
  PmJob *job;
  const char *argv[] = { "pool-worker", "--name", "computer_0", "--sleep", "1", NULL };

  job = add_job (jobs, "computer_0", NULL, PM_JOB_STATE_SUCCEEDED, 1,
                 BASE + 10 * MSEC, 1 * SEC, 0, 0);
  _pm_job_take_argv (job, g_strdupv ((char **)argv));
  pm_job_set_planned (job, 1);
  _pm_job_append_output (job, PM_OUTPUT_STDOUT, "Started worker computer_0");
  _pm_job_append_output (job, PM_OUTPUT_STDOUT, "computer_0 worker finished in 1 seconds");

  job = add_job (jobs, "tab\there", "printf 'a\tb\nc'; exit 3", PM_JOB_STATE_FAILED, 2,
                 BASE + 20 * MSEC, 1500 * MSEC, 3, 0);
  _pm_job_append_output (job, PM_OUTPUT_STDERR, "a\tb");
  _pm_job_append_output (job, PM_OUTPUT_STDERR, "");

  add_job (jobs, "back\\slash\nnew line", "kill -9 $$", PM_JOB_STATE_KILLED, 3,
           BASE + 30 * MSEC, 250 * MSEC, -1, 9);

  job = add_job (jobs, "slow", "sleep 100", PM_JOB_STATE_TIMED_OUT, 1,
                 BASE + 1100 * MSEC, 2 * SEC, -1, 15);
  _pm_job_set_attempt (job, 2);

  job = add_job (jobs, "missing", "no-such-command", PM_JOB_STATE_FAILED_TO_START, 3,
                 BASE + 1200 * MSEC, 1 * MSEC, -1, 0);
  _pm_job_set_pid (job, 0);
  _pm_job_set_error_message (job, "Cannot run “no-such-command”: no such command");

  add_job (jobs, "ünïcödé", "echo ünïcödé", PM_JOB_STATE_SUCCEEDED, 2,
           BASE + 1600 * MSEC, 2 * SEC, 0, 0);
  add_job (jobs, "never", "echo never", PM_JOB_STATE_CANCELLED, 0, 0, 0, -1, 0);

  pool = _pm_pool_new_read_only (2);
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  _pm_pool_add_limit_change (pool, BASE, 3);
  _pm_pool_add_limit_change (pool, BASE + 2 * SEC, 2);
  _pm_pool_set_times (pool, BASE, BASE + 3600 * MSEC);

  return pool;
}

typedef enum
{
  COMPARE_EXACT = 0,
  COMPARE_MSEC = 1 << 0,        /* times as a joblog keeps them */
  COMPARE_NO_DETAILS = 1 << 1,  /* a joblog has no output, argv, planned, error message */
} CompareFlags;

static void
assert_time (gint64       a,
             gint64       b,
             CompareFlags flags)
{
  if (flags & COMPARE_MSEC)
    g_assert_cmpint (ABS (a - b), <=, 500);
  else
    g_assert_cmpint (a, ==, b);
}

static void
assert_same_job (PmJob        *a,
                 PmJob        *b,
                 CompareFlags  flags)
{
  g_autofree char *command_a = pm_job_dup_command (a);
  g_autofree char *command_b = pm_job_dup_command (b);

  g_test_message ("comparing job %u", pm_job_get_seq (a));
  g_assert_cmpuint (pm_job_get_seq (a), ==, pm_job_get_seq (b));
  g_assert_cmpstr (pm_job_get_name (a), ==, pm_job_get_name (b));
  g_assert_cmpstr (command_a, ==, command_b);
  g_assert_cmpstr (pm_job_state_to_string (pm_job_get_state (a)), ==,
                   pm_job_state_to_string (pm_job_get_state (b)));
  g_assert_cmpuint (pm_job_get_slot (a), ==, pm_job_get_slot (b));
  g_assert_cmpint (pm_job_get_pid (a), ==, pm_job_get_pid (b));
  g_assert_cmpuint (pm_job_get_attempt (a), ==, pm_job_get_attempt (b));
  g_assert_cmpint (pm_job_get_exit_status (a), ==, pm_job_get_exit_status (b));
  g_assert_cmpint (pm_job_get_term_signal (a), ==, pm_job_get_term_signal (b));
  assert_time (pm_job_get_queued_time (a), pm_job_get_queued_time (b), flags);
  assert_time (pm_job_get_start_time (a), pm_job_get_start_time (b), flags);
  assert_time (pm_job_get_end_time (a), pm_job_get_end_time (b), flags);
  if (pm_job_get_start_time (a) > 0)
    assert_time (pm_job_get_runtime (a), pm_job_get_runtime (b), flags);
  else
    g_assert_cmpint (pm_job_get_runtime (b), ==, -1);

  if (!(flags & COMPARE_NO_DETAILS))
    {
      g_auto(GStrv) lines_a = pm_job_dup_output_lines (a);
      g_auto(GStrv) lines_b = pm_job_dup_output_lines (b);
      const char * const *argv_a = pm_job_get_argv (a);
      const char * const *argv_b = pm_job_get_argv (b);

      g_assert_cmpstrv (lines_a, lines_b);
      if (pm_job_get_start_time (a) > 0)
        g_assert_cmpstrv (argv_a, argv_b);
      g_assert_cmpfloat (pm_job_get_planned (a), ==, pm_job_get_planned (b));
      g_assert_cmpstr (pm_job_get_error_message (a), ==, pm_job_get_error_message (b));
    }
}

static void
assert_same_jobs (PmPool       *a,
                  PmPool       *b,
                  CompareFlags  flags)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job_a = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(PmJob) job_b = g_list_model_get_item (G_LIST_MODEL (b), i);

      assert_same_job (job_a, job_b, flags);
    }
}

static void
assert_same_limit_changes (PmPool *a,
                           PmPool *b)
{
  const PmLimitChange *changes_a, *changes_b;
  guint n_a, n_b;

  changes_a = pm_pool_get_limit_changes (a, &n_a);
  changes_b = pm_pool_get_limit_changes (b, &n_b);
  g_assert_cmpuint (n_a, ==, n_b);
  for (guint i = 0; i < n_a; i++)
    {
      g_assert_cmpint (changes_a[i].time, ==, changes_b[i].time);
      g_assert_cmpuint (changes_a[i].limit, ==, changes_b[i].limit);
    }
}

static PmPool *
save_and_load (PmPool      *pool,
               PmLogFormat  format,
               GFile       *file)
{
  g_autoptr(GError) error = NULL;
  PmPool *loaded;

  pm_runlog_save (pool, format, file, &error);
  g_assert_no_error (error);
  loaded = pm_runlog_load (file, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint (pm_pool_get_state (loaded), ==, PM_POOL_STATE_READ_ONLY);

  return loaded;
}

static void
test_joblog_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PmPool) pool = make_finished_pool ();
  g_autoptr(GFile) file = fixture_file (fixture, "joblog.tsv");
  g_autoptr(PmPool) loaded = save_and_load (pool, PM_LOG_FORMAT_JOBLOG, file);
  gsize len = 0;
  g_autofree char *text = read_file_len (file, &len);
  g_autofree char *shown = g_memdup2 (text, len + 1);
  g_auto(GStrv) lines = NULL;
  const PmLimitChange *changes;
  guint n_changes;

  /* a newline in Command is a NUL byte, as GNU parallel writes it */
  for (gsize i = 0; i < len; i++)
    {
      if (shown[i] == '\0')
        shown[i] = '@';
    }
  lines = g_strsplit (shown, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 9);
  g_assert_nonnull (strstr (lines[2], "\tprintf 'a\tb@c'; exit 3\t2\t4001\t"));
  g_assert_true (g_str_has_suffix (lines[2], "\tfailed\ttab\\there"));

  /* GNU parallel's nine columns, byte for byte, then ours */
  g_assert_cmpstr (lines[0], ==,
                   "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"
                   "\tSlot\tPID\tQueued\tEnd\tAttempt\tState\tName");
  g_assert_cmpstr (lines[1], ==,
                   "1\t:\t1795600000.010\t     1.000\t0\t0\t0\t0\t"
                   "pool-worker --name computer_0 --sleep 1"
                   "\t1\t4000\t1795600000.000\t1795600001.010\t1\tsucceeded\tcomputer_0");
  g_assert_true (g_str_has_prefix (lines[2], "2\t:\t1795600000.020\t     1.500\t0\t0\t3\t0\t"));
  /* a signal: Exitval 0 as parallel writes it, and the name escaped */
  g_assert_true (g_str_has_prefix (lines[3], "3\t:\t1795600000.030\t     0.250\t0\t0\t0\t9\t"));
  g_assert_true (g_str_has_suffix (lines[3], "\tkilled\tback\\\\slash\\nnew line"));
  g_assert_true (g_str_has_prefix (lines[4], "4\t:\t1795600001.100\t     2.000\t0\t0\t-1\t15\t"));
  g_assert_true (g_str_has_prefix (lines[5], "5\t:\t1795600001.200\t     0.001\t0\t0\t127\t0\t"));
  g_assert_true (g_str_has_prefix (lines[7], "7\t:\t1795600000.000\t     0.000\t0\t0\t-2\t0\t"));

  assert_same_jobs (pool, loaded, COMPARE_MSEC | COMPARE_NO_DETAILS);
  g_assert_cmpuint (pm_pool_get_max_workers (loaded), ==, 3);
  g_assert_cmpint (pm_pool_get_start_time (loaded), ==, BASE);
  g_assert_cmpint (pm_pool_get_end_time (loaded), ==, BASE + 3600 * MSEC);
  g_assert_cmpuint (pm_pool_get_n_done (loaded), ==, 6);
  g_assert_cmpuint (pm_pool_get_n_failed (loaded), ==, 4);
  changes = pm_pool_get_limit_changes (loaded, &n_changes);
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (changes[0].limit, ==, 3);

  /* what we read, we write again the same */
  {
    g_autoptr(GFile) again = fixture_file (fixture, "again.tsv");
    g_autoptr(PmPool) reloaded = save_and_load (loaded, PM_LOG_FORMAT_JOBLOG, again);
    gsize len_again = 0;
    g_autofree char *text_again = read_file_len (again, &len_again);

    g_assert_cmpmem (text, len, text_again, len_again);
  }
}

static PmPool *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PmPool *pool;

  pool = pm_runlog_load (file, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pool);

  return pool;
}

static PmJob *
job_at (PmPool *pool,
        guint   seq)
{
  PmJob *job = pm_pool_get_job_by_seq (pool, seq);

  g_assert_nonnull (job);
  return job;
}

static void
test_joblog_gnu_parallel_fixture (void)
{
  g_autoptr(PmPool) pool = load_fixture ("parallel-joblog.tsv");
  const guint slots[] = { 1, 2, 1, 2, 1 };
  const PmJobState states[] = {
    PM_JOB_STATE_SUCCEEDED, PM_JOB_STATE_SUCCEEDED, PM_JOB_STATE_FAILED,
    PM_JOB_STATE_KILLED, PM_JOB_STATE_SUCCEEDED,
  };
  g_autofree char *command = NULL;

  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_READ_ONLY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 5);
  g_assert_cmpuint (pm_pool_get_max_workers (pool), ==, 2);

  for (guint seq = 1; seq <= 5; seq++)
    {
      PmJob *job = job_at (pool, seq);
      g_autofree char *name = g_strdup_printf ("%u", seq);

      g_assert_cmpstr (pm_job_get_name (job), ==, name);
      g_assert_cmpint (pm_job_get_state (job), ==, states[seq - 1]);
      g_assert_cmpuint (pm_job_get_slot (job), ==, slots[seq - 1]);
      g_assert_cmpuint (pm_job_get_attempt (job), ==, 1);
      g_assert_cmpint (pm_job_get_end_time (job), ==,
                       pm_job_get_start_time (job) + pm_job_get_runtime (job));
      g_assert_cmpint (pm_job_get_queued_time (job), ==, pm_pool_get_start_time (pool));
      /* sleep 0.N: the runtime is at least that */
      g_assert_cmpint (pm_job_get_runtime (job), >=, seq * 100 * MSEC);
    }

  g_assert_cmpint (pm_job_get_start_time (job_at (pool, 1)), ==, 1795604933642 * MSEC);
  g_assert_cmpint (pm_job_get_runtime (job_at (pool, 1)), ==, 101 * MSEC);
  g_assert_cmpint (pm_job_get_exit_status (job_at (pool, 1)), ==, 0);
  g_assert_cmpint (pm_job_get_exit_status (job_at (pool, 3)), ==, 3);
  g_assert_cmpint (pm_job_get_exit_status (job_at (pool, 4)), ==, -1);
  g_assert_cmpint (pm_job_get_term_signal (job_at (pool, 4)), ==, 15);
  command = pm_job_dup_command (job_at (pool, 3));
  g_assert_cmpstr (command, ==, "sleep 0.3; test 3 != 3 || exit 3; "
                                "test 3 != 4 || kill -TERM $$; echo 3");
  g_assert_cmpint (pm_pool_get_start_time (pool), ==, 1795604933642 * MSEC);
  g_assert_cmpint (pm_pool_get_end_time (pool), ==, (1795604934059 + 503) * MSEC);
}

static void
test_joblog_gnu_parallel_newlines (void)
{
  g_autoptr(PmPool) pool = load_fixture ("parallel-joblog-newline.tsv");
  g_autofree char *command1 = pm_job_dup_command (job_at (pool, 1));
  g_autofree char *command2 = pm_job_dup_command (job_at (pool, 2));

  /* a tab as it is, a newline written as NUL by parallel */
  g_assert_cmpstr (command1, ==, "printf \"%s\\n\" 'one\ttwo'");
  g_assert_cmpstr (command2, ==, "printf \"%s\\n\" 'three\nfour'");
  g_assert_cmpstr (pm_job_get_name (job_at (pool, 1)), ==, "one\ttwo");
  g_assert_cmpstr (pm_job_get_name (job_at (pool, 2)), ==, "three\nfour");
  g_assert_cmpuint (pm_pool_get_max_workers (pool), ==, 1);
}

static void
assert_load_fails (GFile      *file,
                   const char *text,
                   gssize      len,
                   guint       lineno)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) pool = NULL;
  g_autofree char *where = g_strdup_printf ("%s:%u: ", g_file_peek_path (file), lineno);

  write_file (file, text, len);
  pool = pm_runlog_load (file, &error);
  g_assert_null (pool);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, where));
}

#define HEADER "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n"
#define GOOD   "1\t:\t1795604933.642\t     0.101\t0\t2\t0\t0\techo 1\n"

static void
test_joblog_malformed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file (fixture, "bad.tsv");
  const char nul_seq[] = HEADER GOOD "2\0\t:\t1795604933.642\t0.1\t0\t0\t0\t0\techo\n";
  const char garbage[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

  assert_load_fails (file, HEADER GOOD "x\t:\t1795604933.642\t0.1\t0\t0\t0\t0\techo\n", -1, 3);
  assert_load_fails (file, HEADER GOOD GOOD "2\t:\t1795604933.642\t0.1\n", -1, 4);
  assert_load_fails (file, HEADER "1\t:\tyesterday\t0.1\t0\t0\t0\t0\techo\n", -1, 2);
  assert_load_fails (file, HEADER "1\t:\t1795604933.642\t0.1\t0\t0\t0\tnine\techo\n", -1, 2);
  assert_load_fails (file, nul_seq, sizeof nul_seq - 1, 3);
  assert_load_fails (file, garbage, sizeof garbage - 1, 1);
  assert_load_fails (file, "Seq\tHost\tStart\n" GOOD, -1, 1);
  assert_load_fails (file, "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal"
                           "\tCommand\tState\n"
                           "1\t:\t1.0\t0.1\t0\t0\t0\t0\techo\tsleepy\n", -1, 2);
  assert_load_fails (file, HEADER "\n" GOOD "{\"event\":\"run\"}\n", -1, 4);
}

#define OURS_HEADER "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand" \
                    "\tSlot\tPID\tQueued\tEnd\tAttempt\tState\tName\n"

/* GNU parallel --resume-failed --joblog appends its nine columns to our sixteen. */
static void
test_joblog_gnu_parallel_appended (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file (fixture, "appended.tsv");
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) pool = NULL;
  PmJob *job;

  write_file (file, OURS_HEADER
              "1\t:\t100.000\t     1.000\t0\t0\t0\t0\tw 1\t1\t11\t99.000\t101.000\t1\tsucceeded\tone\n"
              "2\t:\t100.000\t     2.000\t0\t0\t3\t0\tw 2\t2\t12\t99.000\t102.000\t1\tfailed\ttwo\n"
              "3\t:\t101.000\t     1.000\t0\t0\t0\t0\tw 3\t1\t13\t99.000\t102.000\t1\tsucceeded\tthree\n"
              "2\t:\t200.000\t     0.500\t0\t2\t0\t0\tw\t2\n"
              "4\t:\t200.100\t     0.500\t0\t2\t5\t0\tw 4\n", -1);
  pool = pm_runlog_load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 4);

  job = pm_pool_get_job_by_seq (pool, 1);
  g_assert_cmpstr (pm_job_get_name (job), ==, "one");
  g_assert_cmpuint (pm_job_get_slot (job), ==, 1);

  /* parallel's line is the last attempt of job 2: its state comes from the exit status */
  job = pm_pool_get_job_by_seq (pool, 2);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (pm_job_get_attempt (job), ==, 2);
  command = pm_job_dup_command (job);
  g_assert_cmpstr (command, ==, "w\t2");
  g_assert_cmpint (pm_job_get_start_time (job), ==, 200 * G_USEC_PER_SEC);

  /* a slot for each of parallel's jobs: the lowest free at its start */
  g_assert_cmpuint (pm_job_get_slot (job), ==, 1);
  job = pm_pool_get_job_by_seq (pool, 4);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_FAILED);
  g_assert_cmpint (pm_job_get_exit_status (job), ==, 5);
  g_assert_cmpuint (pm_job_get_slot (job), ==, 2);
  g_assert_cmpuint (pm_pool_get_max_workers (pool), ==, 2);
  /* queued when parallel started, not waiting through the gap since our run */
  g_assert_cmpint (pm_job_get_queued_time (job), ==, 200 * G_USEC_PER_SEC);
  g_assert_cmpint (pm_job_get_queued_time (pm_pool_get_job_by_seq (pool, 3)), ==,
                   99 * G_USEC_PER_SEC);
}

static void
test_joblog_torn_last_line (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file (fixture, "torn.tsv");
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) pool = NULL;

  write_file (file, HEADER GOOD "2\t:\t1795604933.6", -1);
  pool = pm_runlog_load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 1);
}

static void
test_events_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PmPool) pool = make_finished_pool ();
  g_autoptr(GFile) file = fixture_file (fixture, "events.jsonl");
  g_autoptr(PmPool) loaded = save_and_load (pool, PM_LOG_FORMAT_EVENTS, file);
  g_autofree char *text = read_file (file);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  /* every line one JSON object */
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
    }
  g_assert_true (g_str_has_prefix (lines[0], "{\"event\":\"run\",\"version\":\"1\",\"limit\":3,"));

  assert_same_jobs (pool, loaded, COMPARE_EXACT);
  assert_same_limit_changes (pool, loaded);
  g_assert_cmpuint (pm_pool_get_max_workers (loaded), ==, 2);
  g_assert_cmpint (pm_pool_get_start_time (loaded), ==, pm_pool_get_start_time (pool));
  g_assert_cmpint (pm_pool_get_end_time (loaded), ==, pm_pool_get_end_time (pool));
}

/* Strings with every control character, quotes, backslashes, DEL, UTF-8 and bytes that are
 * not UTF-8 come back from an event log as they went in (made valid UTF-8), and every line is
 * JSON that json-glib reads; a planned sleep keeps its exact value. */
static void
test_events_escapes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) hostile = g_string_new ("\"q\" \\b/ ");
  g_autoptr(GFile) file = fixture_file (fixture, "escapes.jsonl");
  g_autoptr(PmPool) pool = NULL;
  g_autoptr(PmPool) loaded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *valid = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) output = NULL;
  const char *argv[] = { "sh", "-c", NULL, NULL };
  PmJob *job;

  for (int c = 1; c < 0x20; c++)
    g_string_append_c (hostile, c);
  g_string_append (hostile, "\x7f é € 😀 \xff\xfe end");
  valid = g_utf8_make_valid (hostile->str, -1);
  argv[2] = hostile->str;

  job = add_job (jobs, hostile->str, NULL, PM_JOB_STATE_SUCCEEDED, 1, BASE + MSEC, SEC, 0, 0);
  _pm_job_take_argv (job, g_strdupv ((char **)argv));
  pm_job_set_planned (job, 0.1);
  _pm_job_append_output (job, PM_OUTPUT_STDOUT, hostile->str);
  job = add_job (jobs, "whole", "true", PM_JOB_STATE_SUCCEEDED, 1, BASE + 2 * SEC, SEC, 0, 0);
  pm_job_set_planned (job, 3);
  pool = _pm_pool_new_read_only (1);
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  _pm_pool_set_times (pool, BASE, BASE + 4 * SEC);

  loaded = save_and_load (pool, PM_LOG_FORMAT_EVENTS, file);
  text = read_file (file);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      for (const char *p = lines[i]; *p != '\0'; p++)
        g_assert_cmpint ((guchar)*p, >=, 0x20);
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
    }
  g_assert_nonnull (strstr (text, "\"planned\":0.10000000000000001,"));
  g_assert_nonnull (strstr (text, "\"planned\":3.0,"));

  job = pm_pool_get_job_by_seq (loaded, 1);
  g_assert_cmpstr (pm_job_get_name (job), ==, valid);
  g_assert_cmpstr (pm_job_get_argv (job)[2], ==, valid);
  g_assert_cmpfloat (pm_job_get_planned (job), ==, 0.1);
  output = pm_job_dup_output_lines (job);
  g_assert_cmpuint (g_strv_length (output), ==, 1);
  g_assert_cmpstr (output[0], ==, valid);
  g_assert_cmpfloat (pm_job_get_planned (pm_pool_get_job_by_seq (loaded, 2)), ==, 3);
}

static void
test_events_torn_last_line (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PmPool) pool = make_finished_pool ();
  g_autoptr(GFile) file = fixture_file (fixture, "events.jsonl");
  g_autoptr(PmPool) loaded = save_and_load (pool, PM_LOG_FORMAT_EVENTS, file);
  g_autofree char *text = read_file (file);
  g_autofree char *torn = g_strconcat (text, "{\"event\":\"output\",\"seq\":1,\"li", NULL);
  g_autofree char *middle = NULL;
  g_autofree char *with_nul = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) torn_pool = NULL;
  guint n_lines = 0;

  for (const char *p = text; *p != '\0'; p++)
    n_lines += *p == '\n';

  /* the writer died in the middle of a line: what came before counts */
  write_file (file, torn, -1);
  torn_pool = pm_runlog_load_events (file, &error);
  g_assert_no_error (error);
  assert_same_jobs (pool, torn_pool, COMPARE_EXACT);

  /* the same in the middle of the file is an error, and says where */
  middle = g_strconcat (text, "{\"event\":\"output\",\"seq\":1,\"li\n",
                        "{\"event\":\"end\",\"time\":1}\n", NULL);
  assert_load_fails (file, middle, -1, n_lines + 1);

  /* NUL bytes, and events that make no sense */
  with_nul = g_strdup (text);
  with_nul[strchr (text, '\n') - text + 3] = '\0';
  assert_load_fails (file, with_nul, strlen (text), 2);
  assert_load_fails (file, "{\"event\":\"queued\",\"seq\":1}\n", -1, 1);
  assert_load_fails (file, "{\"event\":\"run\",\"version\":\"1\",\"limit\":2,\"time\":5}\n"
                           "{\"event\":\"started\",\"seq\":7,\"slot\":1,\"time\":6}\n", -1, 2);
  assert_load_fails (file, "{\"event\":\"run\",\"version\":\"1\",\"limit\":2,\"time\":5}\n"
                           "{\"event\":\"limit\",\"limit\":\"many\",\"time\":6}\n", -1, 2);
  assert_load_fails (file, "{\"event\":\"run\",\"version\":\"2\",\"limit\":2,\"time\":5}\n", -1, 1);
  assert_load_fails (file, "[1, 2]\n", -1, 1);
}

static JsonObject *
event_args (JsonObject *event)
{
  g_assert_true (json_object_has_member (event, "args"));
  return json_object_get_object_member (event, "args");
}

static void
test_trace_valid_json (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PmPool) pool = make_finished_pool ();
  g_autoptr(GFile) file = fixture_file (fixture, "trace.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) thread_names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  JsonArray *events;
  guint n_complete = 0, n_expected = 0;
  gint64 max_running = 0, max_queued = 0;
  guint n_limit = 0;

  pm_runlog_save (pool, PM_LOG_FORMAT_TRACE, file, &error);
  g_assert_no_error (error);
  json_parser_load_from_file (parser, g_file_peek_path (file), &error);
  g_assert_no_error (error);

  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "traceEvents");
  g_assert_nonnull (events);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");
      const char *name = json_object_get_string_member (event, "name");

      g_assert_cmpint (json_object_get_int_member (event, "pid"), ==, 1);

      if (g_str_equal (ph, "X"))
        {
          JsonObject *args = event_args (event);
          PmJob *job = job_at (pool, json_object_get_int_member (args, "seq"));

          n_complete++;
          g_assert_cmpstr (name, ==, pm_job_get_name (job));
          g_assert_cmpint (json_object_get_int_member (event, "tid"), ==, pm_job_get_slot (job));
          g_assert_cmpint (json_object_get_int_member (event, "ts"), ==,
                           pm_job_get_start_time (job) - BASE);
          g_assert_cmpint (json_object_get_int_member (event, "dur"), ==,
                           pm_job_get_runtime (job));
          g_assert_cmpstr (json_object_get_string_member (args, "state"), ==,
                           pm_job_state_to_string (pm_job_get_state (job)));
        }
      else if (g_str_equal (ph, "M") && g_str_equal (name, "thread_name"))
        {
          g_hash_table_insert (thread_names,
                               GINT_TO_POINTER (json_object_get_int_member (event, "tid")),
                               g_strdup (json_object_get_string_member (event_args (event),
                                                                        "name")));
        }
      else if (g_str_equal (ph, "C"))
        {
          gint64 value = json_object_get_int_member (event_args (event), name);

          g_assert_cmpint (json_object_get_int_member (event, "ts"), >=, 0);
          if (g_str_equal (name, "running"))
            max_running = MAX (max_running, value);
          else if (g_str_equal (name, "queued"))
            max_queued = MAX (max_queued, value);
          else if (g_str_equal (name, "limit"))
            n_limit++;
          else
            g_assert_not_reached ();
        }
    }

  for (guint seq = 1; seq <= 7; seq++)
    n_expected += pm_job_get_start_time (job_at (pool, seq)) > 0;
  g_assert_cmpuint (n_complete, ==, n_expected);
  g_assert_cmpuint (n_complete, ==, 6);

  g_assert_cmpuint (g_hash_table_size (thread_names), ==, 3);
  for (guint slot = 1; slot <= 3; slot++)
    {
      g_autofree char *expected = g_strdup_printf ("slot %u", slot);
      g_assert_cmpstr (g_hash_table_lookup (thread_names, GUINT_TO_POINTER (slot)), ==,
                       expected);
    }

  /* jobs 1-3 run together; all seven are queued at the start */
  g_assert_cmpint (max_running, ==, 3);
  g_assert_cmpint (max_queued, ==, 7);
  g_assert_cmpuint (n_limit, ==, 2);

  /* a trace is for other tools: it is not read back */
  g_assert_null (pm_runlog_load (file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_writer_unwritable_path (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PmPool) pool = make_finished_pool ();
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(GFile) missing = fixture_file (fixture, "no-such-dir/joblog.tsv");

  for (PmLogFormat format = PM_LOG_FORMAT_JOBLOG; format <= PM_LOG_FORMAT_TRACE; format++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PmLogWriter) writer = NULL;

      writer = pm_log_writer_new (pool, format, dir, &error);
      g_assert_null (writer);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
      g_assert_nonnull (strstr (error->message, fixture->dir));
      g_clear_error (&error);

      writer = pm_log_writer_new (pool, format, missing, &error);
      g_assert_null (writer);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_assert_nonnull (strstr (error->message, g_file_peek_path (missing)));
      g_clear_error (&error);

      g_assert_false (pm_runlog_save (pool, format, missing, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, g_file_peek_path (missing)));
    }
}

static void
test_writer_dev_full (void)
{
  g_autoptr(PmPool) pool = make_finished_pool ();
  g_autoptr(GFile) file = g_file_new_for_path ("/dev/full");

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS) || access ("/dev/full", W_OK) != 0)
    {
      g_test_skip ("no writable /dev/full");
      return;
    }

  for (PmLogFormat format = PM_LOG_FORMAT_JOBLOG; format <= PM_LOG_FORMAT_TRACE; format++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PmLogWriter) writer = NULL;
      const GError *first;

      writer = pm_log_writer_new (pool, format, file, &error);
      g_assert_no_error (error);
      g_assert_nonnull (writer);

      /* the header (none for a trace) did not fit */
      first = pm_log_writer_get_error (writer);
      if (format == PM_LOG_FORMAT_TRACE)
        g_assert_null (first);
      else
        g_assert_error ((GError *)first, G_IO_ERROR, G_IO_ERROR_NO_SPACE);

      /* the run goes on, the writer keeps its first error and writes no more */
      g_signal_emit_by_name (pool, "job-started", job_at (pool, 1));
      g_signal_emit_by_name (pool, "job-output", job_at (pool, 1), PM_OUTPUT_STDOUT, "x");
      g_signal_emit_by_name (pool, "job-finished", job_at (pool, 1));
      g_assert_true (pm_log_writer_get_error (writer) == first);

      g_assert_false (pm_log_writer_close (writer, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
      g_assert_nonnull (strstr (error->message, "/dev/full"));
      g_clear_error (&error);
      g_assert_false (pm_log_writer_close (writer, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
    }
}

/* A live run, logged while it runs */

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_until_finished (PmPool *pool)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, timed_out_cb, &timed_out);

  while (pm_pool_get_state (pool) != PM_POOL_STATE_FINISHED && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

static PmJob *
shell_job (guint       seq,
           const char *name,
           const char *script)
{
  const char *argv[] = { "/bin/sh", "-c", script, NULL };

  return pm_job_new (seq, name, NULL, argv);
}

static void
lower_limit_cb (PmPool *pool,
                PmJob  *job,
                gpointer data)
{
  if (pm_job_get_seq (job) == 2)
    g_assert_true (pm_pool_set_max_workers (pool, 1, NULL));
}

static void
test_writer_live_run (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  g_autoptr(GFile) joblog_file = fixture_file (fixture, "live.tsv");
  g_autoptr(GFile) events_file = fixture_file (fixture, "live.jsonl");
  g_autoptr(GFile) trace_file = fixture_file (fixture, "live.json");
  g_autoptr(PmLogWriter) joblog = NULL;
  g_autoptr(PmLogWriter) events = NULL;
  g_autoptr(PmLogWriter) trace = NULL;
  g_autoptr(PmPool) from_joblog = NULL;
  g_autoptr(PmPool) from_events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PmJob) ok = shell_job (1, "ok", "exit 0");
  g_autoptr(PmJob) killed = shell_job (4, "killed", "kill -9 $$");
  PmJob *jobs[2];
  g_auto(GStrv) lines = NULL;

  /* one job before the writers are attached, the others after */
  pm_pool_add_job (pool, ok);

  joblog = pm_log_writer_new (pool, PM_LOG_FORMAT_JOBLOG, joblog_file, &error);
  g_assert_no_error (error);
  events = pm_log_writer_new (pool, PM_LOG_FORMAT_EVENTS, events_file, &error);
  g_assert_no_error (error);
  trace = pm_log_writer_new (pool, PM_LOG_FORMAT_TRACE, trace_file, &error);
  g_assert_no_error (error);

  jobs[0] = shell_job (2, "three", "sleep 0.2; exit 3");
  jobs[1] = shell_job (3, "talker", "echo out; echo 'é\ttab' >&2; echo last");
  pm_pool_add_jobs (pool, jobs, 2);
  g_object_unref (jobs[0]);
  g_object_unref (jobs[1]);
  pm_pool_add_job (pool, killed);

  g_signal_connect (pool, "job-started", G_CALLBACK (lower_limit_cb), NULL);
  pm_pool_start (pool, &error);
  g_assert_no_error (error);
  run_until_finished (pool);

  /* a retry is a second line for the same job */
  pm_pool_retry_job (pool, job_at (pool, 2), &error);
  g_assert_no_error (error);
  run_until_finished (pool);

  g_assert_cmpint (pm_job_get_state (job_at (pool, 1)), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_job_get_state (job_at (pool, 2)), ==, PM_JOB_STATE_FAILED);
  g_assert_cmpuint (pm_job_get_attempt (job_at (pool, 2)), ==, 2);
  g_assert_cmpint (pm_job_get_state (job_at (pool, 4)), ==, PM_JOB_STATE_KILLED);

  /* written and flushed as the run went, before close */
  text = read_file (joblog_file);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 5 + 1);
  g_assert_true (g_str_has_prefix (lines[0], "Seq\tHost\tStarttime\t"));
  g_clear_pointer (&text, g_free);
  text = read_file (events_file);
  g_assert_nonnull (strstr (text, "\"line\":\"é\\ttab\""));
  g_assert_nonnull (strstr (text, "\"event\":\"limit\",\"limit\":1,"));

  g_assert_true (pm_log_writer_close (joblog, &error));
  g_assert_no_error (error);
  g_assert_true (pm_log_writer_close (events, &error));
  g_assert_no_error (error);
  g_assert_true (pm_log_writer_close (trace, &error));
  g_assert_no_error (error);
  g_assert_null (pm_log_writer_get_error (joblog));

  from_joblog = pm_runlog_load (joblog_file, &error);
  g_assert_no_error (error);
  assert_same_jobs (pool, from_joblog, COMPARE_MSEC | COMPARE_NO_DETAILS);

  from_events = pm_runlog_load (events_file, &error);
  g_assert_no_error (error);
  assert_same_jobs (pool, from_events, COMPARE_EXACT);
  assert_same_limit_changes (pool, from_events);
  g_assert_cmpuint (pm_pool_get_max_workers (from_events), ==, 1);
  g_assert_cmpint (pm_pool_get_start_time (from_events), ==, pm_pool_get_start_time (pool));
  g_assert_cmpint (pm_pool_get_end_time (from_events), ==, pm_pool_get_end_time (pool));

  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    json_parser_load_from_file (parser, g_file_peek_path (trace_file), &error);
    g_assert_no_error (error);
  }
}

static void
test_load_unknown_format (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file (fixture, "what.txt");
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/joblog");
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) pool = NULL;

  assert_load_fails (file, "Hello, world\n", -1, 1);

  write_file (file, "", 0);
  pool = pm_runlog_load (file, &error);
  g_assert_null (pool);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_null (pm_runlog_load (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/runlog/joblog/round-trip", test_joblog_round_trip);
  g_test_add_func ("/runlog/joblog/gnu-parallel-fixture", test_joblog_gnu_parallel_fixture);
  g_test_add_func ("/runlog/joblog/gnu-parallel-newlines", test_joblog_gnu_parallel_newlines);
  ADD ("/runlog/joblog/malformed-names-line", test_joblog_malformed);
  ADD ("/runlog/joblog/torn-last-line", test_joblog_torn_last_line);
  ADD ("/runlog/joblog/gnu-parallel-appended", test_joblog_gnu_parallel_appended);
  ADD ("/runlog/events/round-trip", test_events_round_trip);
  ADD ("/runlog/events/escapes", test_events_escapes);
  ADD ("/runlog/events/torn-last-line", test_events_torn_last_line);
  ADD ("/runlog/trace/valid-json", test_trace_valid_json);
  ADD ("/runlog/writer/unwritable-path", test_writer_unwritable_path);
  g_test_add_func ("/runlog/writer/dev-full", test_writer_dev_full);
  ADD ("/runlog/writer/live-run", test_writer_live_run);
  ADD ("/runlog/load/unknown-format", test_load_unknown_format);

  return g_test_run ();
}
