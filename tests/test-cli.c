/* test-cli.c: pool-run as a user and a script see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-cli-status.h"
#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-test-util.h"

/* Runs @program with the arguments that follow (NULL-terminated), feeding it @input. */
static void
run_program (PmTestResult *r,
             const char   *input,
             const char   *program,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  va_start (args, program);
  for (const char *s = program; s != NULL; s = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)s);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  pm_test_run_argv (r, NULL, NULL, input, (const char * const *)argv->pdata);
}

#define run_with_input(r, input, ...) run_program (r, input, g_getenv ("PM_POOL_RUN"), __VA_ARGS__)
#define run(r, ...) run_program (r, NULL, g_getenv ("PM_POOL_RUN"), __VA_ARGS__)

/* A resumed run that found every job done already. */
static void
assert_ran_nothing (const PmTestResult *r)
{
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_nonnull (strstr (r->err, "0 jobs"));
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
test_cli_demo (void)
{
  g_auto(PmTestResult) r = { 0 };

  run (&r, "--count", "4", "-j", "2", "--sleep-min", "0", "--sleep-max", "0", "--seed", "9", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_lines (r.out), ==, 8);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *started = g_strdup_printf ("Started worker computer_%u\n", i);
      g_autofree char *finished = g_strdup_printf ("computer_%u worker finished in 0 seconds\n", i);

      g_assert_nonnull (strstr (r.out, started));
      g_assert_nonnull (strstr (r.out, finished));
      /* Each worker's two lines in order. */
      g_assert_true (strstr (r.out, started) < strstr (r.out, finished));
    }
  g_assert_nonnull (strstr (r.err, "4 jobs: 4 succeeded, 0 failed"));
  g_assert_nonnull (strstr (r.err, "limit 2"));
  g_assert_nonnull (strstr (r.err, "seed 9"));
  g_assert_nonnull (strstr (r.err, "speed-up"));
}

static void
test_cli_exit_status_counts_failures (void)
{
  g_auto(PmTestResult) r = { 0 };
  g_auto(PmTestResult) many = { 0 };

  run (&r, "-j", "3", "--", pm_test_child (), "exit", "{}", ":::", "0", "1", "2", "3", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "4 jobs: 1 succeeded, 3 failed"));

  run (&many, "-j", "8", "--count", "120", "--quiet", "--", pm_test_child (), "exit", "1", NULL);
  g_assert_cmpint (many.status, ==, 101);
  g_assert_cmpstr (many.out, ==, "");
}

static void
test_cli_usage_errors (void)
{
  const char *cases[][6] = {
    { "-j", "+", NULL },          /* -j 0 and -j -3 are GNU parallel's forms (test-compat-output) */
    { "-j", "3x", NULL },
    { "-j", "many", NULL },
    { "--count", "0", NULL },
    { "--count", "99999999", NULL },
    { "--sleep-min", "5", "--sleep-max", "1", NULL },
    { "--no-such-option", NULL },
    { "-a", "/nonexistent/args.txt", "--", "true", NULL },
    { "--joblog", "/nonexistent/dir/log.tsv", NULL },
    { "--", "", ":::", "a", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(PmTestResult) r = { 0 };

      run (&r, cases[i][0], cases[i][1], cases[i][2], cases[i][3], cases[i][4], NULL);
      g_test_message ("%s %s → %s", cases[i][0], cases[i][1] ? cases[i][1] : "", r.err);
      g_assert_cmpint (r.status, ==, 255);
      g_assert_true (g_str_has_prefix (r.err, "pool-run: "));
      g_assert_cmpuint (count_lines (r.err), ==, 1);
      g_assert_cmpstr (r.out, ==, "");
    }
}

static void
test_cli_arguments_from_everywhere (void)
{
  g_auto(PmTestResult) from_stdin = { 0 };
  g_auto(PmTestResult) from_file = { 0 };
  g_auto(PmTestResult) from_list = { 0 };
  g_autofree char *path = NULL;
  int fd;

  run_with_input (&from_stdin, "x y\n$(z)\n", "-j", "1", "--", pm_test_child (), "args", NULL);
  g_assert_cmpint (from_stdin.status, ==, 0);
  g_assert_cmpstr (from_stdin.out, ==, "x y\n$(z)\n");

  fd = g_file_open_tmp ("pm-args-XXXXXX", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  g_assert_true (g_file_set_contents (path, "one\ntwo;three\n", -1, NULL));
  close (fd);
  run (&from_file, "-j", "1", "-a", path, "--", pm_test_child (), "args", "{#}:{}", NULL);
  g_unlink (path);
  g_assert_cmpint (from_file.status, ==, 0);
  g_assert_cmpstr (from_file.out, ==, "1:one\n2:two;three\n");

  run (&from_list, "-j", "1", pm_test_child (), "args", "[{}]", "{%}", ":::", "a b", "'c'", NULL);
  g_assert_cmpint (from_list.status, ==, 0);
  g_assert_cmpstr (from_list.out, ==, "[a b]\n1\n['c']\n1\n");
}

static void
test_cli_missing_command (void)
{
  g_auto(PmTestResult) r = { 0 };
  g_auto(PmTestResult) named_by_argument = { 0 };

  /* Refused before anything starts. */
  run (&r, "--", "pm-no-such-command", ":::", "a", "b", NULL);
  g_assert_cmpint (r.status, ==, 255);
  g_assert_cmpstr (r.err, ==, "pool-run: Cannot run “pm-no-such-command”: no such command "
                              "(see pool-run --help)\n");

  /* The argument names the command: each job fails to start, the pool goes on. */
  run (&named_by_argument, "--", "{}", ":::", "pm-no-such-command", "true", NULL);
  g_assert_cmpint (named_by_argument.status, ==, 1);
  g_assert_nonnull (strstr (named_by_argument.err, "job 1: Cannot run “pm-no-such-command”: "
                                                    "no such command"));
  g_assert_nonnull (strstr (named_by_argument.err, "2 jobs: 1 succeeded, 1 failed"));
}

static void
test_cli_bad_log_paths (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-logs-XXXXXX", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain", NULL);
  const char *refused[][2] = {
    { "--joblog", dir },
    { "--events", "/nonexistent-dir/run.jsonl" },
    { "--trace", "/nonexistent-dir/run.json" },
    { "--joblog", NULL /* a file where a folder should be */ },
  };
  g_auto(PmTestResult) full = { 0 };
  g_autofree char *under_file = g_build_filename (plain, "run.tsv", NULL);

  g_assert_true (g_file_set_contents (plain, "", 0, NULL));
  refused[3][1] = under_file;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_auto(PmTestResult) r = { 0 };

      run (&r, refused[i][0], refused[i][1], "--count", "1", "--", "true", NULL);
      g_test_message ("%s %s → %s", refused[i][0], refused[i][1], r.err);
      g_assert_cmpint (r.status, ==, 255);
      g_assert_cmpuint (count_lines (r.err), ==, 1);
      g_assert_nonnull (strstr (r.err, refused[i][1]));
    }

  /* A file that opens but cannot be written, as a full disk: the run goes on, the error is
   * said at the end and the status is 255. */
  if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      run (&full, "--joblog", "/dev/full", "--count", "2", "--", "true", NULL);
      g_assert_cmpint (full.status, ==, 255);
      g_assert_nonnull (strstr (full.err, "2 jobs: 2 succeeded"));
      g_assert_nonnull (strstr (full.err, "/dev/full"));
      g_assert_nonnull (strstr (full.err, "No space left"));
    }

  g_unlink (plain);
  g_rmdir (dir);
}

static void
test_cli_interrupt_drains (void)
{
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-j", "2", "--", pm_test_child (),
                         "print", "1", "sleep", "300", "exit", "0", ":::",
                         "a", "b", "c", "d", "e", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  first = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_cmpstr (first, ==, "line 1");

  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &rest, &err, &error);
  g_assert_no_error (error);

  /* The two running jobs finished; the three waiting ones never started. */
  g_assert_nonnull (strstr (err, "waiting for 2 running jobs"));
  g_assert_nonnull (strstr (err, "5 jobs: 2 succeeded, 0 failed, 3 cancelled"));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 3);
}

static void
test_cli_retries_and_resume (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-resume-XXXXXX", NULL);
  g_autofree char *joblog = g_build_filename (dir, "run.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(PmTestResult) first = { 0 };
  g_auto(PmTestResult) again = { 0 };
  g_auto(PmTestResult) nothing = { 0 };

  run (&first, "-j", "2", "--joblog", joblog, "--retries", "2", "--",
       pm_test_child (), "exit", "{}", ":::", "0", "3", "0", NULL);
  g_assert_cmpint (first.status, ==, 1);
  g_assert_true (g_file_get_contents (joblog, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  /* The header, job 1, job 3, and both attempts of job 2. */
  g_assert_cmpuint (g_strv_length (lines), ==, 5 + 1);
  g_assert_true (g_str_has_prefix (lines[0], "Seq\tHost\tStarttime"));
  g_clear_pointer (&contents, g_free);

  /* Only job 2 failed: it alone runs again, and the joblog grows by one line. */
  run (&again, "-j", "2", "--joblog", joblog, "--resume-failed", "--",
       pm_test_child (), "args", "{}", ":::", "x", "y", "z", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_cmpstr (again.out, ==, "y\n");
  g_assert_true (g_file_get_contents (joblog, &contents, NULL, NULL));
  g_assert_cmpuint (count_lines (contents), ==, 6);
  g_assert_cmpuint (strstr (contents + 1, "Seq\tHost") == NULL, ==, TRUE);

  /* Every job is in the joblog now: --resume runs none. */
  run (&nothing, "--joblog", joblog, "--resume", "--", pm_test_child (), "args", "{}",
       ":::", "x", "y", "z", NULL);
  assert_ran_nothing (&nothing);

  g_unlink (joblog);
  g_rmdir (dir);
}

/* The joblog is GNU parallel's own: parallel resumes from ours, and we from what it adds. */
static void
test_cli_gnu_parallel_reads_our_joblog (void)
{
  g_autofree char *parallel = g_find_program_in_path ("parallel");
  g_autofree char *dir = g_dir_make_tmp ("pm-parallel-XXXXXX", NULL);
  g_autofree char *joblog = g_build_filename (dir, "run.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(PmTestResult) first = { 0 };
  g_auto(PmTestResult) resumed = { 0 };
  g_auto(PmTestResult) nothing = { 0 };

  if (parallel == NULL)
    {
      g_test_skip ("GNU parallel is not installed (make deps installs it)");
      return;
    }

  run (&first, "-j", "2", "--joblog", joblog, "--", pm_test_child (), "exit", "{}",
       ":::", "0", "3", "0", NULL);
  g_assert_cmpint (first.status, ==, 1);

  /* Job 2 failed and job 4 is new: parallel runs those two and no other. */
  run_program (&resumed, NULL, parallel, "--will-cite", "--resume-failed", "--joblog", joblog,
               "-j", "1", pm_test_child (), "args", "{}", ":::", "x", "y", "z", "w", NULL);
  g_assert_cmpint (resumed.status, ==, 0);
  g_assert_cmpstr (resumed.out, ==, "y\nw\n");
  g_assert_true (g_file_get_contents (joblog, &contents, NULL, NULL));
  g_assert_cmpuint (count_lines (contents), ==, 1 + 3 + 2);

  /* Its lines count for us: every job has succeeded now. */
  run (&nothing, "--joblog", joblog, "--resume-failed", "--", pm_test_child (), "args", "{}",
       ":::", "x", "y", "z", "w", NULL);
  assert_ran_nothing (&nothing);

  g_unlink (joblog);
  g_rmdir (dir);
}

/* `pool-run … | head`: when the reader goes, the run ends and its joblog is complete. */
static void
test_cli_closed_stdout_ends_the_run (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-epipe-XXXXXX", NULL);
  g_autofree char *joblog = g_build_filename (dir, "run.tsv", NULL);
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-j", "2", "--joblog", joblog, "--",
                         pm_test_child (), "print", "100000000", ":::", "a", "b", "c", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GString) err_text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *contents = NULL;
  char *line;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  first = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "line 1");
  g_input_stream_close (G_INPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);

  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  while ((line = g_data_input_stream_read_line (err, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (err_text, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);

  g_assert_nonnull (strstr (err_text->str, "standard output was closed"));
  /* then it dies of SIGPIPE, as GNU parallel does (compat-output tests that against parallel) */
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGPIPE);
  /* the two running jobs ended by the pool; the third was never taken from its source, so it
   * has no line, as GNU parallel writes none for a job that never ran */
  g_assert_true (g_file_get_contents (joblog, &contents, NULL, NULL));
  g_assert_cmpuint (count_lines (contents), ==, 1 + 2);
  g_assert_nonnull (strstr (contents, "\t15\t"));

  g_unlink (joblog);
  g_rmdir (dir);
}

static void
test_cli_killed_pool_leaves_nothing_behind (void)
{
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-j", "2", "--", pm_test_child (),
                         "ignore-term", "pgid", "child", "60000", "sleep", "60000", ":::",
                         "a", "b", "c", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (int));

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));

  /* Two jobs run: each shows its command's PID and its grandchild's (which ignores SIGTERM). */
  while (pids->len < 4)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      int pid;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "pid=") || g_str_has_prefix (line, "child="))
        {
          pid = atoi (strchr (line, '=') + 1);
          g_assert_true (pm_test_process_alive (pid));
          g_array_append_val (pids, pid);
        }
    }

  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < pids->len; i++)
    {
      int pid = g_array_index (pids, int, i);

      /* Each slot sees its channel close and ends its job's group: give that a moment. */
      for (guint tries = 0; tries < 200 && pm_test_process_alive (pid); tries++)
        g_usleep (10 * 1000);
      g_assert_false (pm_test_process_alive (pid));
    }
}

/* pool-run's summary of a finished pool of three jobs that ran together for 2 s, where
 * @with_cpu says whether two of them know their CPU time (1.5 + 0.5 s and 2 s) */
static void
print_summary (gboolean with_cpu)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PmPool) pool = _pm_pool_new_read_only (3);
  g_autoptr(PmCliStatus) status = NULL;
  gint64 base = G_GINT64_CONSTANT (1795600000) * G_USEC_PER_SEC;

  for (guint seq = 1; seq <= 3; seq++)
    {
      PmJob *job = pm_job_new (seq, "job", NULL, NULL);

      _pm_job_set_queued_time (job, base);
      _pm_job_set_slot (job, seq);
      _pm_job_set_start_time (job, base, 0);
      _pm_job_set_end_time (job, base + 2 * G_USEC_PER_SEC, 0);
      _pm_job_set_runtime (job, 2 * G_USEC_PER_SEC);
      _pm_job_set_exit (job, 0, 0);
      _pm_job_set_state (job, PM_JOB_STATE_SUCCEEDED);
      g_ptr_array_add (jobs, job);
    }
  if (with_cpu)
    {
      _pm_job_set_resources (jobs->pdata[0], 1500000, 500000, 4096 * 1024);
      _pm_job_set_resources (jobs->pdata[1], 2000000, 0, 0);
    }
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  _pm_pool_set_times (pool, base, base + 2 * G_USEC_PER_SEC);

  status = pm_cli_status_new (pool, &(PmCliStatusOptions) { .modes.quiet = TRUE });
  pm_cli_status_print_summary (status, NULL);
  g_assert_true (pm_cli_status_flush (status, &(gboolean) { FALSE }));
}

/* The summary adds up the CPU time of the jobs that know it and says how many cores it kept
 * busy over the makespan; the rest of the line is as before. */
static void
test_cli_summary_cpu_time (void)
{
  if (g_test_subprocess ())
    {
      print_summary (TRUE);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("3 jobs: 3 succeeded, 0 failed\n"
                             "makespan 2.00 s · sum of job times 6.00 s · speed-up 3.00×"
                             " · CPU 4.00 s (2.0 cores) · limit 3 (at most * ran at once)\n");
}

/* No job knows its CPU time: the summary says nothing of it. */
static void
test_cli_summary_without_cpu_time (void)
{
  if (g_test_subprocess ())
    {
      print_summary (FALSE);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*speed-up 3.00× · limit 3 *");
  g_test_trap_assert_stderr_unmatched ("*CPU*");
}

/* tests/data/what-if-joblog.tsv, written as GNU parallel writes its joblog: six jobs of 4, 1,
 * 3, 2, 2 and 1 s, run 2 at a time. Worked out on paper, input order and lowest free slot:
 *   limit 1: one after another: 4 + 1 + 3 + 2 + 2 + 1 = 13 s, speed-up 1.00
 *   limit 2: 1 and 2 start at 0; 2 ends at 1 and 3 starts; 1 and 3 end at 4, 4 and 5 start;
 *            they end at 6, 6 starts and ends at 7: 7 s, 13 / 7 = 1.857, 1.86
 *   limit 3: 1, 2, 3 at 0; 4 at 1, ends at 3 with 3; then 5 (ends at 5) and 6 (at 4): 5 s, 2.60
 *   limit 4: 1 … 4 at 0; 5 at 1 (ends at 3), 6 at 2 (ends at 3); 1 ends at 4: 4 s, 3.25
 *   limit 5 and 6: job 1 alone takes 4 s: 4 s, 3.25
 * On 2 cores the table goes to 2 × max (2, 2) = 4; on 3 cores to 6. No CPU times: no bound. */
static void
test_cli_what_if (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "what-if-joblog.tsv", NULL);
  g_auto(PmTestResult) r = { 0 };
  g_auto(PmTestResult) three = { 0 };
  g_autofree char *expected = NULL;
  const char *rows =
    "limit    makespan  speed-up\n"
    "    1     13.00 s     1.00×\n"
    "    2      7.00 s     1.86×  (this run)\n"
    "    3      5.00 s     2.60×\n"
    "    4      4.00 s     3.25×\n";

  run (&r, "--what-if", path, "--cores", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  expected = g_strdup_printf ("%s: 6 jobs, 13.00 s of job time, recorded at limit 2 in 7.00 s; "
                              "replayed without a CPU bound (no CPU times)\n%s", path, rows);
  g_assert_cmpstr (r.out, ==, expected);

  run (&three, "--what-if", path, "--cores", "3", NULL);
  g_assert_cmpint (three.status, ==, 0);
  g_assert_true (g_str_has_suffix (three.out, "    5      4.00 s     3.25×\n"
                                              "    6      4.00 s     3.25×\n"));
}

static void
test_cli_what_if_errors (void)
{
  g_auto(PmTestResult) missing = { 0 };
  g_auto(PmTestResult) cores = { 0 };
  g_auto(PmTestResult) command = { 0 };

  run (&missing, "--what-if", "/nonexistent/run.tsv", NULL);
  g_assert_cmpint (missing.status, ==, 255);
  g_assert_cmpuint (count_lines (missing.err), ==, 1);
  g_assert_true (g_str_has_prefix (missing.err, "pool-run: "));
  g_assert_cmpstr (missing.out, ==, "");

  run (&cores, "--cores", "2", NULL);
  g_assert_cmpint (cores.status, ==, 255);
  g_assert_cmpuint (count_lines (cores.err), ==, 1);

  run (&command, "--what-if", "x.tsv", "--", "true", NULL);
  g_assert_cmpint (command.status, ==, 255);
  g_assert_cmpuint (count_lines (command.err), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/demo-prints-the-seed's-lines", test_cli_demo);
  g_test_add_func ("/cli/summary/cpu-time-and-cores", test_cli_summary_cpu_time);
  g_test_add_func ("/cli/summary/no-cpu-time-when-unknown", test_cli_summary_without_cpu_time);
  g_test_add_func ("/cli/exit-status-counts-failures", test_cli_exit_status_counts_failures);
  g_test_add_func ("/cli/usage-errors-are-one-line-and-255", test_cli_usage_errors);
  g_test_add_func ("/cli/arguments-from-stdin-file-and-list", test_cli_arguments_from_everywhere);
  g_test_add_func ("/cli/missing-command", test_cli_missing_command);
  g_test_add_func ("/cli/what-if/table-worked-by-hand", test_cli_what_if);
  g_test_add_func ("/cli/what-if/errors-are-one-line-and-255", test_cli_what_if_errors);
  g_test_add_func ("/cli/bad-log-paths", test_cli_bad_log_paths);
  g_test_add_func ("/cli/interrupt-drains", test_cli_interrupt_drains);
  g_test_add_func ("/cli/retries-and-resume", test_cli_retries_and_resume);
  g_test_add_func ("/cli/gnu-parallel-reads-our-joblog", test_cli_gnu_parallel_reads_our_joblog);
  g_test_add_func ("/cli/closed-stdout-ends-the-run", test_cli_closed_stdout_ends_the_run);
  g_test_add_func ("/cli/killed-pool-leaves-nothing-behind",
                   test_cli_killed_pool_leaves_nothing_behind);

  return g_test_run ();
}
