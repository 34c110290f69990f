/* test-runlog.c: joblog, event log and trace, written and read back, and what is not a run log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-runlog.h"
#include "pm-runlog-test-util.h"

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
  /* CPU and Memory empty when not known */
  g_assert_true (g_str_has_suffix (lines[2], "\tfailed\ttab\\there\t\t"));

  /* GNU parallel's nine columns, byte for byte, then ours */
  g_assert_cmpstr (lines[0], ==,
                   "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"
                   "\tSlot\tPID\tQueued\tEnd\tAttempt\tState\tName\tCPU\tMemory");
  g_assert_cmpstr (lines[1], ==,
                   "1\t:\t1795600000.010\t     1.000\t0\t0\t0\t0\t"
                   "pool-worker --name computer_0 --sleep 1"
                   "\t1\t4000\t1795600000.000\t1795600001.010\t1\tsucceeded\tcomputer_0"
                   "\t0.875\t12582912");
  g_assert_true (g_str_has_prefix (lines[2], "2\t:\t1795600000.020\t     1.500\t0\t0\t3\t0\t"));
  /* a signal: Exitval 0 as parallel writes it, and the name escaped */
  g_assert_true (g_str_has_prefix (lines[3], "3\t:\t1795600000.030\t     0.250\t0\t0\t0\t9\t"));
  g_assert_true (g_str_has_suffix (lines[3], "\tkilled\tback\\\\slash\\nnew line\t\t"));
  g_assert_true (g_str_has_prefix (lines[4], "4\t:\t1795600001.100\t     2.000\t0\t0\t-1\t15\t"));
  g_assert_true (g_str_has_prefix (lines[5], "5\t:\t1795600001.200\t     0.001\t0\t0\t127\t0\t"));
  g_assert_true (g_str_has_prefix (lines[7], "7\t:\t1795600000.000\t     0.000\t0\t0\t-2\t0\t"));
  /* CPU to the millisecond, as the other times */
  g_assert_true (g_str_has_suffix (lines[6], "\tsucceeded\tünïcödé\t1.236\t"));

  assert_same_jobs (pool, loaded, COMPARE_MSEC | COMPARE_NO_DETAILS);
  /* a joblog keeps the sum of user and system time, not the two */
  g_assert_cmpint (pm_job_get_cpu_time (job_at (loaded, 1)), ==, 875 * MSEC);
  g_assert_cmpint (pm_job_get_user_time (job_at (loaded, 1)), ==, -1);
  g_assert_cmpint (pm_job_get_system_time (job_at (loaded, 1)), ==, -1);
  g_assert_cmpuint (pm_job_get_peak_memory (job_at (loaded, 1)), ==, 12 * 1024 * 1024);
  g_assert_cmpint (pm_job_get_cpu_time (job_at (loaded, 6)), ==, 1236 * MSEC);
  g_assert_cmpuint (pm_job_get_peak_memory (job_at (loaded, 6)), ==, 0);
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
      /* GNU parallel's joblog has no CPU or Memory */
      g_assert_cmpint (pm_job_get_cpu_time (job), ==, -1);
      g_assert_cmpuint (pm_job_get_peak_memory (job), ==, 0);
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

/* Our header before the CPU and Memory columns */
#define OURS_HEADER "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand" \
                    "\tSlot\tPID\tQueued\tEnd\tAttempt\tState\tName\n"
#define RESOURCES_HEADER "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal" \
                         "\tCommand\tSlot\tPID\tQueued\tEnd\tAttempt\tState\tName\tCPU\tMemory\n"
#define RESOURCES_LINE(cpu, memory) \
  "1\t:\t100.000\t     1.000\t0\t0\t0\t0\tw 1\t1\t11\t99.000\t101.000\t1\tsucceeded\tone\t" \
  cpu "\t" memory "\n"

/* CPU and Memory read back as they were written, empty as not known; a value that is not a
 * time or a size is an error that names its line; GNU parallel's lines appended to such a
 * joblog still read, without either. */
static void
test_joblog_resources (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file (fixture, "resources.tsv");
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) pool = NULL;
  PmJob *job;

  write_file (file, RESOURCES_HEADER
              RESOURCES_LINE ("2.500", "1048576")
              "2\t:\t100.000\t     2.000\t0\t0\t3\t0\tw\t2\t2\t12\t99.000\t102.000\t1\tfailed\ttwo"
              "\t\t\n"
              "3\t:\t101.000\t     1.000\t0\t0\t0\t0\tw 3\t1\t13\t99.000\t102.000\t1\tsucceeded"
              "\tthree\t0.000\t\n"
              "4\t:\t200.100\t     0.500\t0\t2\t5\t0\tw 4\n", -1);
  pool = pm_runlog_load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 4);

  job = job_at (pool, 1);
  g_assert_cmpint (pm_job_get_cpu_time (job), ==, 2500 * MSEC);
  g_assert_cmpint (pm_job_get_user_time (job), ==, -1);
  g_assert_cmpuint (pm_job_get_peak_memory (job), ==, 1048576);
  /* a tab in Command still leaves our columns where they are */
  job = job_at (pool, 2);
  command = pm_job_dup_command (job);
  g_assert_cmpstr (command, ==, "w\t2");
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_FAILED);
  g_assert_cmpint (pm_job_get_cpu_time (job), ==, -1);
  g_assert_cmpuint (pm_job_get_peak_memory (job), ==, 0);
  job = job_at (pool, 3);
  g_assert_cmpint (pm_job_get_cpu_time (job), ==, 0);
  g_assert_cmpuint (pm_job_get_peak_memory (job), ==, 0);
  job = job_at (pool, 4);
  g_assert_cmpint (pm_job_get_exit_status (job), ==, 5);
  g_assert_cmpint (pm_job_get_cpu_time (job), ==, -1);

  assert_load_fails (file, RESOURCES_HEADER RESOURCES_LINE ("lots", ""), -1, 2);
  assert_load_fails (file, RESOURCES_HEADER RESOURCES_LINE ("-1.000", ""), -1, 2);
  assert_load_fails (file, RESOURCES_HEADER RESOURCES_LINE ("", "-5"), -1, 2);
  assert_load_fails (file, RESOURCES_HEADER RESOURCES_LINE ("", "12 MB"), -1, 2);
  assert_load_fails (file, RESOURCES_HEADER RESOURCES_LINE ("1.0", "1") RESOURCES_LINE ("", "1.5"),
                     -1, 3);
}

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
  /* ours from before CPU and Memory */
  g_assert_cmpint (pm_job_get_cpu_time (job), ==, -1);
  g_assert_cmpuint (pm_job_get_peak_memory (job), ==, 0);

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
  /* what the rusage said, where it is known */
  g_assert_nonnull (strstr (text, "\"runtime\":1000000,\"user_usec\":750000,"
                                  "\"system_usec\":125000,\"peak_memory\":12582912}"));
  g_assert_nonnull (strstr (text, "\"user_usec\":1234567,\"system_usec\":1000}"));
  g_assert_nonnull (strstr (text, "\"runtime\":1500000}"));

  assert_same_jobs (pool, loaded, COMPARE_EXACT);
  g_assert_cmpint (pm_job_get_user_time (job_at (loaded, 1)), ==, 750 * MSEC);
  g_assert_cmpint (pm_job_get_system_time (job_at (loaded, 1)), ==, 125 * MSEC);
  g_assert_cmpint (pm_job_get_cpu_time (job_at (loaded, 1)), ==, 875 * MSEC);
  g_assert_cmpuint (pm_job_get_peak_memory (job_at (loaded, 1)), ==, 12 * 1024 * 1024);
  g_assert_cmpint (pm_job_get_cpu_time (job_at (loaded, 2)), ==, -1);
  assert_same_limit_changes (pool, loaded);
  g_assert_cmpuint (pm_pool_get_max_workers (loaded), ==, 2);
  g_assert_cmpint (pm_pool_get_start_time (loaded), ==, pm_pool_get_start_time (pool));
  g_assert_cmpint (pm_pool_get_end_time (loaded), ==, pm_pool_get_end_time (pool));
}

/* Strings with every control character, quotes, backslashes, DEL, UTF-8 and bytes that are
 * not UTF-8 come back from an event log as they went in (in a name and an argv the bytes
 * themselves, in output made valid UTF-8), and every line is
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
  /* A name and an argv keep their bytes (escaped in the log, undone by the reader) */
  g_assert_cmpstr (pm_job_get_name (job), ==, hostile->str);
  g_assert_cmpstr (pm_job_get_argv (job)[2], ==, hostile->str);
  g_assert_cmpfloat (pm_job_get_planned (job), ==, 0.1);
  /* Output is bytes: the newline among the control characters ends a line. */
  output = pm_job_dup_output_lines (job);
  g_assert_cmpuint (g_strv_length (output), ==, 2);
  {
    g_autofree char *joined = g_strjoinv ("\n", output);
    g_assert_cmpstr (joined, ==, valid);
  }
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

/* An event log written before the rusage was recorded reads with none; a run read from a
 * joblog, which knows only the sum of user and system time, keeps that sum through an event
 * log; a value of the wrong kind is an error that names its line. */
static void
test_events_resources (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GFile) file = fixture_file (fixture, "old.jsonl");
  g_autoptr(GFile) joblog = fixture_file (fixture, "joblog.tsv");
  g_autoptr(GFile) events = fixture_file (fixture, "from-joblog.jsonl");
  g_autoptr(PmPool) pool = make_finished_pool ();
  g_autoptr(PmPool) old = NULL;
  g_autoptr(PmPool) from_joblog = NULL;
  g_autoptr(PmPool) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PmJob *job;

#define RUN "{\"event\":\"run\",\"version\":\"1\",\"limit\":2,\"time\":5}\n" \
            "{\"event\":\"queued\",\"seq\":1,\"name\":\"a\",\"attempt\":1,\"time\":5}\n" \
            "{\"event\":\"started\",\"seq\":1,\"slot\":1,\"pid\":9,\"time\":6}\n"
#define FINISHED "{\"event\":\"finished\",\"seq\":1,\"state\":\"succeeded\",\"exit\":0," \
                 "\"signal\":0,\"time\":8,\"runtime\":2"

  write_file (file, RUN FINISHED "}\n", -1);
  old = pm_runlog_load_events (file, &error);
  g_assert_no_error (error);
  job = job_at (old, 1);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_job_get_user_time (job), ==, -1);
  g_assert_cmpint (pm_job_get_system_time (job), ==, -1);
  g_assert_cmpint (pm_job_get_cpu_time (job), ==, -1);
  g_assert_cmpuint (pm_job_get_peak_memory (job), ==, 0);

  assert_load_fails (file, RUN FINISHED ",\"user_usec\":-3}\n", -1, 4);
  assert_load_fails (file, RUN FINISHED ",\"system_usec\":1.5}\n", -1, 4);
  assert_load_fails (file, RUN FINISHED ",\"peak_memory\":\"1 MB\"}\n", -1, 4);
#undef RUN
#undef FINISHED

  from_joblog = save_and_load (pool, PM_LOG_FORMAT_JOBLOG, joblog);
  again = save_and_load (from_joblog, PM_LOG_FORMAT_EVENTS, events);
  text = read_file (events);
  g_assert_nonnull (strstr (text, "\"runtime\":1000000,\"cpu_usec\":875000,"
                                  "\"peak_memory\":12582912}"));
  assert_same_jobs (from_joblog, again, COMPARE_EXACT | COMPARE_NO_DETAILS);
  g_assert_cmpint (pm_job_get_cpu_time (job_at (again, 1)), ==, 875 * MSEC);
  g_assert_cmpint (pm_job_get_user_time (job_at (again, 1)), ==, -1);
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
  guint n_resources = 0;

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
          /* what it cost, where known */
          g_assert_cmpint (json_object_get_int_member_with_default (args, "cpu_usec", -1), ==,
                           pm_job_get_cpu_time (job));
          g_assert_cmpint (json_object_get_int_member_with_default (args, "peak_memory", 0), ==,
                           pm_job_get_peak_memory (job));
          n_resources += json_object_has_member (args, "cpu_usec");
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
  g_assert_cmpuint (n_resources, ==, 2);

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

/* The event log's end record tells what the run bought, in words and numbers: the hand-made
 * joblog's six jobs, 13 s of work in 7 s at 2 at a time (test-cli works the schedule out). */
static void
test_events_end_record_summary (void)
{
  g_autoptr(PmPool) pool = load_fixture ("what-if-joblog.tsv");
  g_autofree char *dir = g_dir_make_tmp ("pm-runlog-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  g_assert_true (pm_runlog_save (pool, PM_LOG_FORMAT_EVENTS, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_assert_cmpstr (lines[n - 2], ==,
                   "{\"event\":\"end\",\"time\":1795700007000000,\"jobs\":6,"
                   "\"work_usec\":13000000,\"makespan_usec\":7000000,"
                   "\"speed_up\":1.8571428571428572,\"limit\":2,"
                   "\"summary\":\"13.0 s of work in 7.0 s: 1.9× with 2 at a time\"}");

  g_unlink (path);
  g_rmdir (dir);
}

/* A pool made from a log holds no descriptor of its own: freeing it closes nothing of ours.
 * (Read-only pools once closed descriptor 0 twice as they went, and whatever took that number
 * next, GLib's wakeup for one, then wrote into the next file opened.) */
static void
test_load_closes_nothing (void)
{
  int fds[2];
  char byte = 'x';

  /* Our descriptor 0 (and 1, 2) could be anything meson gives: a pipe of our own on 0. */
  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (dup2 (fds[0], 0), ==, 0);
  close (fds[0]);

  for (int i = 0; i < 3; i++)
    {
      PmPool *pool = load_fixture ("parallel-joblog.tsv");

      g_object_unref (pool);
    }

  g_assert_cmpint (fcntl (0, F_GETFD), >=, 0);
  g_assert_cmpint (write (fds[1], &byte, 1), ==, 1);
  byte = 0;
  g_assert_cmpint (read (0, &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'x');
  close (fds[1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/runlog/joblog/round-trip", test_joblog_round_trip);
  g_test_add_func ("/runlog/joblog/gnu-parallel-fixture", test_joblog_gnu_parallel_fixture);
  g_test_add_func ("/runlog/events/end-record-tells-the-summary", test_events_end_record_summary);
  g_test_add_func ("/runlog/joblog/gnu-parallel-newlines", test_joblog_gnu_parallel_newlines);
  ADD ("/runlog/joblog/malformed-names-line", test_joblog_malformed);
  ADD ("/runlog/joblog/torn-last-line", test_joblog_torn_last_line);
  ADD ("/runlog/joblog/gnu-parallel-appended", test_joblog_gnu_parallel_appended);
  ADD ("/runlog/joblog/cpu-and-memory", test_joblog_resources);
  ADD ("/runlog/events/round-trip", test_events_round_trip);
  ADD ("/runlog/events/escapes", test_events_escapes);
  ADD ("/runlog/events/torn-last-line", test_events_torn_last_line);
  ADD ("/runlog/events/cpu-and-memory", test_events_resources);
  ADD ("/runlog/trace/valid-json", test_trace_valid_json);
  ADD ("/runlog/load/unknown-format", test_load_unknown_format);
  g_test_add_func ("/runlog/load/closes-nothing", test_load_closes_nothing);

  return g_test_run ();
}

