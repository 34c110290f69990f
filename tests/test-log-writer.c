/* test-log-writer.c: run logs written as a run goes, and writes that fail
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
#include "pm-runlog-private.h"
#include "pm-runlog-test-util.h"

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
      {
        g_autoptr(GBytes) line = g_bytes_new_static ("x\n", 2);
        g_signal_emit_by_name (pool, "job-output", job_at (pool, 1), PM_OUTPUT_STDOUT, line);
      }
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

/* The line of job @seq in @text, a joblog */
static char *
joblog_line (const char *text,
             guint       seq)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *prefix = g_strdup_printf ("%u\t", seq);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], prefix))
        return g_strdup (lines[i]);
    }
  g_assert_not_reached ();
}

/* Resuming a run appends to its joblog in the columns the joblog's header names: one of ours
 * from before the CPU and Memory columns, or GNU parallel's own, gets lines it can be read
 * with, not ours of today, which would shift its columns; one of ours of today gets them all. */
static void
test_writer_appends_in_the_header_s_columns (Fixture       *fixture,
                                             gconstpointer  data)
{
  const struct
  {
    const char *header;
    const char *line_end;   /* how job 1's line ends */
  } cases[] = {
    { "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tSlot\tPID\t"
      "Queued\tEnd\tAttempt\tState\tName\n",
      "\t1795600001.010\t1\tsucceeded\tcomputer_0" },
    { "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n",
      "\t0\t0\t0\t0\tpool-worker --name computer_0 --sleep 1" },
    { "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tSlot\tPID\t"
      "Queued\tEnd\tAttempt\tState\tName\tCPU\tMemory\n",
      "\tsucceeded\tcomputer_0\t0.875\t12582912" },
  };
  g_autoptr(PmPool) pool = make_finished_pool ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = fixture_file (fixture, "resumed.tsv");
      g_autofree char *before = g_strconcat (cases[i].header,
                                             "9\t:\t1795599999.000\t     0.500\t0\t0\t0\t0\t"
                                             "earlier\n", NULL);
      g_autoptr(PmLogWriter) writer = NULL;
      g_autoptr(PmPool) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *line = NULL;
      g_autofree char *command = NULL;
      gsize len = 0;

      write_file (file, before, -1);
      writer = pm_log_writer_new_append (pool, PM_LOG_FORMAT_JOBLOG, file, TRUE, &error);
      g_assert_no_error (error);
      g_assert_true (pm_log_writer_close (writer, &error));
      g_assert_no_error (error);

      /* job 2's command has a newline, written as a NUL byte */
      text = read_file_len (file, &len);
      for (gsize k = 0; k < len; k++)
        {
          if (text[k] == '\0')
            text[k] = '@';
        }
      g_assert_true (g_str_has_prefix (text, before));
      line = joblog_line (text, 1);
      g_test_message ("%s", line);
      g_assert_true (g_str_has_suffix (line, cases[i].line_end));

      loaded = pm_runlog_load (file, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (loaded)), ==, 8);
      command = pm_job_dup_command (job_at (loaded, 2));
      g_assert_cmpstr (command, ==, "printf 'a\tb\nc'; exit 3");
      if (i != 1)
        g_assert_cmpstr (pm_job_get_name (job_at (loaded, 2)), ==, "tab\there");
      g_assert_cmpint (pm_job_get_cpu_time (job_at (loaded, 1)), ==, i == 2 ? 875 * MSEC : -1);
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

/* Counts the event log's events of @type for job @seq, and adds up their bytes (each line
 * with its newline). */
static guint
count_events (const char *text,
              const char *type,
              guint       seq,
              gsize      *bytes)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  if (bytes != NULL)
    *bytes = 0;
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *event;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      event = json_node_get_object (json_parser_get_root (parser));
      if (!g_str_equal (json_object_get_string_member (event, "event"), type) ||
          (guint)json_object_get_int_member_with_default (event, "seq", 0) != seq)
        continue;
      n++;
      if (bytes != NULL)
        *bytes += strlen (lines[i]) + 1;
    }
  return n;
}

/* The longest output event of the run below, newline included: a bound on what a limit may
 * leave unused. */
#define MAX_OUTPUT_EVENT 100

/* A job that floods its output: an event log with output limits keeps the output events that
 * fit (per attempt, and for the run), says once per attempt that the rest was left out, and
 * still has every other event; without limits every line is there. */
static void
test_writer_output_limits (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  g_autoptr(GFile) all_file = fixture_file (fixture, "all.jsonl");
  g_autoptr(GFile) per_job_file = fixture_file (fixture, "per-job.jsonl");
  g_autoptr(GFile) per_run_file = fixture_file (fixture, "per-run.jsonl");
  g_autoptr(PmLogWriter) all = NULL, per_job = NULL, per_run = NULL;
  g_autoptr(PmPool) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PmJob *jobs[] = { shell_job (1, "flood", "seq 1 1000; exit 3"),
                    shell_job (2, "quiet", "echo a; echo b") };
  gsize bytes;
  guint n;

  pm_pool_add_jobs (pool, jobs, 2);
  g_object_unref (jobs[0]);
  g_object_unref (jobs[1]);
  all = pm_log_writer_new (pool, PM_LOG_FORMAT_EVENTS, all_file, &error);
  g_assert_no_error (error);
  per_job = pm_log_writer_new (pool, PM_LOG_FORMAT_EVENTS, per_job_file, &error);
  g_assert_no_error (error);
  pm_log_writer_set_output_limits (per_job, 2000, 0);
  per_run = pm_log_writer_new (pool, PM_LOG_FORMAT_EVENTS, per_run_file, &error);
  g_assert_no_error (error);
  pm_log_writer_set_output_limits (per_run, 0, 20000);

  g_assert_true (pm_pool_start (pool, &error));
  g_assert_no_error (error);
  run_until_finished (pool);
  /* a second attempt starts with a clean slate */
  g_assert_true (pm_pool_retry_job (pool, job_at (pool, 1), &error));
  g_assert_no_error (error);
  run_until_finished (pool);
  g_assert_true (pm_log_writer_close (all, &error));
  g_assert_true (pm_log_writer_close (per_job, &error));
  g_assert_true (pm_log_writer_close (per_run, &error));
  g_assert_no_error (error);

  text = read_file (all_file);
  g_assert_cmpuint (count_events (text, "output", 1, &bytes), ==, 2 * 1000);
  g_assert_cmpuint (bytes, >, 2 * 1000 * 60);   /* the run floods past every limit below */
  g_assert_cmpuint (count_events (text, "output-dropped", 1, NULL), ==, 0);
  g_clear_pointer (&text, g_free);

  /* 2000 bytes an attempt: as many of the first lines as fit, twice */
  text = read_file (per_job_file);
  n = count_events (text, "output", 1, &bytes);
  g_assert_cmpuint (n, >, 2);
  g_assert_cmpuint (n % 2, ==, 0);
  g_assert_cmpuint (bytes, <=, 2 * 2000);
  g_assert_cmpuint (bytes, >, 2 * (2000 - MAX_OUTPUT_EVENT));
  g_assert_cmpuint (count_events (text, "output-dropped", 1, NULL), ==, 2);
  g_assert_cmpuint (count_events (text, "finished", 1, NULL), ==, 2);
  g_assert_cmpuint (count_events (text, "output", 2, NULL), ==, 2);
  g_assert_cmpuint (count_events (text, "output-dropped", 2, NULL), ==, 0);
  g_clear_pointer (&text, g_free);

  /* 20000 bytes for the run: job 1's first attempt takes them, and every later line of either
   * job is left out */
  text = read_file (per_run_file);
  g_assert_cmpuint (count_events (text, "output", 1, &bytes), <, 1000);
  g_assert_cmpuint (bytes, <=, 20000);
  g_assert_cmpuint (bytes, >, 20000 - MAX_OUTPUT_EVENT);
  g_assert_cmpuint (count_events (text, "output-dropped", 1, NULL), ==, 2);
  g_assert_cmpuint (count_events (text, "output", 2, NULL), ==, 0);
  g_assert_cmpuint (count_events (text, "output-dropped", 2, NULL), ==, 1);
  g_assert_cmpuint (count_events (text, "finished", 2, NULL), ==, 1);

  /* the log reads back as the run, its output aside, and a job's output read back says where
   * its recording stopped */
  loaded = pm_runlog_load (per_run_file, &error);
  g_assert_no_error (error);
  assert_same_jobs (pool, loaded, COMPARE_EXACT | COMPARE_NO_DETAILS);
  {
    g_auto(GStrv) output = pm_job_dup_output_lines (job_at (loaded, 2));

    g_assert_cmpuint (g_strv_length (output), ==, 1);
    g_assert_cmpstr (output[0], ==, PM_EVENTLOG_DROPPED_NOTE);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/runlog/writer/unwritable-path", test_writer_unwritable_path);
  g_test_add_func ("/runlog/writer/dev-full", test_writer_dev_full);
  ADD ("/runlog/writer/live-run", test_writer_live_run);
  ADD ("/runlog/writer/output-limits", test_writer_output_limits);
  ADD ("/runlog/writer/appends-in-the-header's-columns", test_writer_appends_in_the_header_s_columns);

  return g_test_run ();
}
