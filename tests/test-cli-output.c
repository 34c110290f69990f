/* test-cli-output.c: pool-run's output as bytes, beside GNU parallel's; a reader that does not
 * read; a system short of descriptors or processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-test-util.h"

static gboolean
under_a_checker (void)
{
  return g_getenv ("PM_UNDER_CHECKER") != NULL;
}

static const char *
pool_run (void)
{
  return g_getenv ("PM_POOL_RUN");
}

static const char *
parallel (void)
{
  static char *path;

  if (path == NULL)
    path = g_find_program_in_path ("parallel");
  if (path == NULL)
    g_error ("GNU parallel is not installed (make deps installs it)");
  return path;
}

/* The same case through pool-run and through GNU parallel: the same bytes, the same status. */
static void
assert_same_as_parallel (const char * const *ours,
                         const char * const *theirs,
                         GBytes            **out)
{
  g_auto(PmTestResult) a = { 0 };
  g_auto(PmTestResult) b = { 0 };

  pm_test_run_argv (&a, NULL, NULL, NULL, ours);
  pm_test_run_argv (&b, NULL, NULL, NULL, theirs);
  g_test_message ("pool-run: %s", a.err);
  g_assert_cmpint (a.status, ==, b.status);
  g_assert_cmpmem (a.out, a.out_len, b.out, b.out_len);
  if (out != NULL)
    *out = g_bytes_new (a.out, a.out_len);
}

/* gzip's output is binary: every byte comes through, as from GNU parallel and from gzip. */
static void
test_binary_like_parallel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-binary-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "n.txt", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) ours = NULL;
  g_auto(PmTestResult) direct = { 0 };
  const char *with_pool[] = { pool_run (), "-j", "1", "--", "gzip", "-c", "{}", ":::", file,
                              NULL };
  const char *with_parallel[] = { parallel (), "--will-cite", "-q", "-j", "1", "gzip", "-c", "{}",
                                  ":::", file, NULL };
  const char *plain[] = { "gzip", "-c", file, NULL };

  for (guint i = 0; i < 300000; i++)
    {
      guint8 byte = g_rand_int_range (rand, 0, 256);
      g_byte_array_append (data, &byte, 1);
    }
  g_assert_true (g_file_set_contents (file, (const char *)data->data, data->len, NULL));

  assert_same_as_parallel (with_pool, with_parallel, &ours);
  pm_test_run_argv (&direct, NULL, NULL, NULL, plain);
  g_assert_cmpmem (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours),
                   direct.out, direct.out_len);
  g_assert_cmpuint (g_bytes_get_size (ours), >, 300000);

  pm_test_remove_tree (dir);
}

/* NUL bytes and output without a final newline, three jobs in order: as GNU parallel. */
static void
test_nul_and_no_final_newline_like_parallel (void)
{
  const char *with_pool[] = { pool_run (), "-j", "1", "--", "printf", "a\\0b\\nc{}", ":::",
                              "1", "2", "3", NULL };
  const char *with_parallel[] = { parallel (), "--will-cite", "-q", "-j", "1", "printf",
                                  "a\\0b\\nc{}", ":::", "1", "2", "3", NULL };
  g_autoptr(GBytes) ours = NULL;
  const char expected[] = "a\0b\nc1a\0b\nc2a\0b\nc3";

  assert_same_as_parallel (with_pool, with_parallel, &ours);
  g_assert_cmpmem (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours),
                   expected, sizeof expected - 1);
}

/* A 100 MB line from one job while another writes short lines: the long line arrives whole
 * and exact (no newline added, none in it), and so does every short line. */
static void
test_long_line_whole (void)
{
  const char *size = under_a_checker () ? "10000000" : "100000000";
  g_autofree char *long_job = g_strdup_printf ("head -c %s /dev/zero | tr '\\0' x", size);
  const char *short_job = "for i in 1 2 3 4 5 6 7 8; do echo short $i; sleep 0.02; done";
  const char *argv[] = { pool_run (), "-j", "2", "--", "sh", "-c", "{}", ":::", long_job,
                         short_job, NULL };
  g_auto(PmTestResult) r = { 0 };
  gsize len, n = atol (size), at, run_len = 0;
  const char *out;

  pm_test_run_argv (&r, NULL, NULL, NULL, argv);
  g_assert_cmpint (r.status, ==, 0);
  out = r.out;
  len = r.out_len;
  g_assert_cmpuint (len, ==, n + 8 * strlen ("short N\n"));

  /* The x's are one run, not torn by a short line */
  at = (const char *)memchr (out, 'x', len) - out;
  while (at + run_len < len && out[at + run_len] == 'x')
    run_len++;
  g_assert_cmpuint (run_len, ==, n);

  /* and around it, the short lines whole and in order */
  {
    g_autoptr(GString) rest = g_string_new_len (out, at);
    g_string_append_len (rest, out + at + n, len - at - n);
    g_assert_cmpstr (rest->str, ==, "short 1\nshort 2\nshort 3\nshort 4\nshort 5\nshort 6\n"
                                    "short 7\nshort 8\n");
  }
}

/* Files of numbered lines, "a-1" to "a-N" and so on, one for each of @n_jobs jobs, in @dir */
static GPtrArray *
numbered_files (const char *dir,
                guint       n_jobs,
                guint       n_lines)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  for (guint j = 0; j < n_jobs; j++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      char name[] = { 'a' + j, '\0' };
      char *path = g_build_filename (dir, name, NULL);

      for (guint i = 1; i <= n_lines; i++)
        g_string_append_printf (text, "%s-%u\n", name, i);
      g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
      g_ptr_array_add (files, path);
    }
  return files;
}

/* @out holds each job's lines (numbered_files()) whole, each job's in its order, and all of
 * them: lines of different jobs may alternate, never mix. */
static void
assert_numbered_lines (const char *out,
                       gsize       len,
                       guint       n_jobs,
                       guint       n_lines)
{
  guint next[26];
  const char *p = out, *end = out + len;

  g_assert_cmpuint (len, >, 0);
  g_assert_cmpint (out[len - 1], ==, '\n');
  for (guint j = 0; j < n_jobs; j++)
    next[j] = 1;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      g_autofree char *line = g_strndup (p, nl - p);
      g_autofree char *expected = NULL;
      guint j = line[0] - 'a';

      g_assert_cmpuint (j, <, n_jobs);
      expected = g_strdup_printf ("%c-%u", line[0], next[j]++);
      g_assert_cmpstr (line, ==, expected);
      p = nl + 1;
    }
  for (guint j = 0; j < n_jobs; j++)
    g_assert_cmpuint (next[j], ==, n_lines + 1);
}

/* What pool-run's debug message says it moved from the jobs' pipes by splice() */
static guint64
spliced_bytes (const char *err)
{
  const char *says = strstr (err, "bytes taken from the jobs' pipes: ");

  g_assert_nonnull (says);
  return g_ascii_strtoull (says + strlen ("bytes taken from the jobs' pipes: "), NULL, 10);
}

/* Runs pool-run on @argv with its standard output @out_fd (taken) and its debug messages on */
static void
run_to_fd (PmTestResult       *r,
           const char * const *argv,
           int                 out_fd)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        (out_fd < 0 ? G_SUBPROCESS_FLAGS_STDOUT_PIPE : 0));
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "pool-run", TRUE);
  if (out_fd >= 0)
    g_subprocess_launcher_take_stdout_fd (launcher, out_fd);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
  if (out != NULL)
    {
      r->out_len = g_bytes_get_size (out);
      r->out = g_malloc (r->out_len + 1);
      memcpy (r->out, g_bytes_get_data (out, NULL), r->out_len);
      r->out[r->out_len] = '\0';
    }
  r->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
}

#define SPLICE_JOBS  4
#define SPLICE_LINES 300000

/* Four jobs writing many short lines at once (cat writes 128 kB at a time): the lines move from
 * the jobs' pipes to our standard output, a pipe, by splice(), and every one of them is whole,
 * in its job's order. */
static void
test_lines_spliced_whole (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-splice-XXXXXX", NULL);
  g_autoptr(GPtrArray) files = numbered_files (dir, SPLICE_JOBS, SPLICE_LINES);
  const char *argv[] = { pool_run (), "-j", "4", "--", "cat", "{}", ":::",
                         files->pdata[0], files->pdata[1], files->pdata[2], files->pdata[3],
                         NULL };
  g_auto(PmTestResult) r = { 0 };

  run_to_fd (&r, argv, -1);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  assert_numbered_lines (r.out, r.out_len, SPLICE_JOBS, SPLICE_LINES);
  g_assert_cmpuint (spliced_bytes (r.err), >, 0);
  g_assert_cmpuint (spliced_bytes (r.err), <=, r.out_len);

  pm_test_remove_tree (dir);
}

/* Our standard output a file: the lines are spliced into it. A file opened to append takes no
 * splice(): its lines are written as before, after what it held. */
static void
test_lines_spliced_to_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-splice-XXXXXX", NULL);
  g_autoptr(GPtrArray) files = numbered_files (dir, 2, SPLICE_LINES);
  g_autofree char *path = g_build_filename (dir, "out", NULL);
  const char *argv[] = { pool_run (), "-j", "2", "--", "cat", "{}", ":::",
                         files->pdata[0], files->pdata[1], NULL };

  for (int append = 0; append <= 1; append++)
    {
      g_auto(PmTestResult) r = { 0 };
      g_autofree char *text = NULL;
      gsize len;
      int fd;

      g_assert_true (g_file_set_contents (path, "before\n", -1, NULL));
      fd = open (path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
      g_assert_cmpint (fd, >=, 0);
      run_to_fd (&r, argv, fd);
      g_test_message ("%s", r.err);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_true (g_file_get_contents (path, &text, &len, NULL));
      if (append)
        {
          g_assert_true (g_str_has_prefix (text, "before\n"));
          assert_numbered_lines (text + 7, len - 7, 2, SPLICE_LINES);
          g_assert_cmpuint (spliced_bytes (r.err), ==, 0);
        }
      else
        {
          assert_numbered_lines (text, len, 2, SPLICE_LINES);
          g_assert_cmpuint (spliced_bytes (r.err), >, 0);
        }
    }

  pm_test_remove_tree (dir);
}

typedef struct
{
  GInputStream *stream;
  GString      *text;
  gboolean      ended;
} Reader;

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (reader->stream, result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      reader->ended = TRUE;
      return;
    }
  g_string_append_len (reader->text, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (reader->stream, 65536, G_PRIORITY_DEFAULT, NULL, read_cb,
                                   reader);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
reader_ended (gpointer data)
{
  return ((Reader *)data)->ended;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
joblog_has_two_lines (gpointer data)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (data, &text, NULL, NULL))
    return FALSE;
  for (const char *p = text; (p = strchr (p, '\n')) != NULL; p++)
    n++;
  return n >= 2;   /* the header and job b's line */
}

/* @text is @expected, or the test fails saying where they part (not the whole of them) */
static void
assert_same_text (const char *who,
                  const char *text,
                  const char *expected)
{
  gsize i = 0;

  while (text[i] != '\0' && text[i] == expected[i])
    i++;
  if (text[i] != expected[i])
    g_error ("%s wrote “%.24s…” at byte %" G_GSIZE_FORMAT ", not “%.24s…”", who, text + i, i,
             expected + i);
}

/* --group, through @argv: job a starts alone and writes, then waits for the file "go"; job b
 * starts after it, ends, and then "go" is made. Returns what came out. */
static char *
run_group_flow (const char * const *argv,
                const char         *dir)
{
  g_autofree char *started = g_build_filename (dir, "started", NULL);
  g_autofree char *go = g_build_filename (dir, "go", NULL);
  g_autofree char *joblog = g_build_filename (dir, "joblog", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *in;
  Reader reader = { 0 };
  guint tick;

  g_unlink (started);
  g_unlink (go);
  g_unlink (joblog);
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            &error);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (proc);
  reader.stream = g_subprocess_get_stdout_pipe (proc);
  reader.text = g_string_new (NULL);
  g_input_stream_read_bytes_async (reader.stream, 65536, G_PRIORITY_DEFAULT, NULL, read_cb,
                                   &reader);

  /* The files are looked at again at each tick */
  tick = g_timeout_add (20, tick_cb, NULL);
  g_assert_true (g_output_stream_write_all (in, "a\n", 2, NULL, NULL, &error));
  g_assert_true (g_output_stream_flush (in, NULL, &error));
  pm_test_run_until (file_exists, started, 60);
  g_assert_true (g_output_stream_write_all (in, "b\n", 2, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));
  pm_test_run_until (joblog_has_two_lines, joblog, 60);
  g_assert_true (g_file_set_contents (go, "", 0, NULL));
  pm_test_run_until (reader_ended, &reader, 60);
  g_source_remove (tick);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return g_string_free (reader.text, FALSE);
}

/* --group shows each job whole when it ends, as GNU parallel: a job that ran alone for a while
 * does not come before one that started after it and ended first (showing the lone job as it
 * came held b back until a's end). */
static void
test_group_in_order_of_ending (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-group-XXXXXX", NULL);
  g_autofree char *joblog = g_build_filename (dir, "joblog", NULL);
  g_autofree char *script = g_strdup_printf ("cd %s; case $1 in a) touch started; seq 200000; "
                                             "echo a1; while [ ! -e go ]; do sleep 0.02; done; "
                                             "echo a2;; b) echo b;; esac", dir);
  const char *ours[] = { pool_run (), "--group", "-j", "2", "--joblog", joblog, "--",
                         "sh", "-c", script, "sh", "{}", NULL };
  const char *theirs[] = { parallel (), "--will-cite", "-q", "--group", "-j", "2", "--joblog",
                           joblog, "sh", "-c", script, "sh", "{}", NULL };
  g_autoptr(GString) expected = g_string_new ("b\n");
  g_autofree char *out_ours = NULL;
  g_autofree char *out_theirs = NULL;

  for (guint i = 1; i <= 200000; i++)
    g_string_append_printf (expected, "%u\n", i);
  g_string_append (expected, "a1\na2\n");

  out_theirs = run_group_flow (theirs, dir);
  assert_same_text ("GNU parallel", out_theirs, expected->str);
  out_ours = run_group_flow (ours, dir);
  assert_same_text ("pool-run", out_ours, expected->str);

  pm_test_remove_tree (dir);
}

/* pool-run with its standard output a pipe that nobody reads, and a job that writes without
 * end. Returns the job's PID once it has written it to @pid_file. */
static GSubprocess *
start_blocked (const char  *pid_file,
               const char  *option,
               int         *pid)
{
  g_autofree char *script = g_strdup_printf ("echo $$ > %s; exec %s flood 1000000000", pid_file,
                                             pm_test_child ());
  const char *argv[] = { pool_run (), "-j", "1", option, "--", "sh", "-c", script, ":::", "x",
                         NULL };
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  if (g_str_equal (option, ""))
    memmove (argv + 3, argv + 4, sizeof argv - 4 * sizeof *argv);
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);

  for (*pid = 0; *pid == 0; g_usleep (10 * 1000))
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (pid_file, &text, NULL, NULL))
        *pid = atoi (text);
      if (g_get_monotonic_time () > end)
        g_error ("the job did not start");
    }
  return proc;
}

/* Reads what is left of @proc's output, and its exit status. */
static int
finish_blocked (GSubprocess *proc)
{
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("pool-run said: %.*s", (int)g_bytes_get_size (err),
                  (const char *)g_bytes_get_data (err, NULL));
  return g_subprocess_get_exit_status (proc);
}

/* Runs a job that writes without end under pool-run, whose standard output nobody reads, ends
 * the job with @end, and then reads the output: the run ends, the job counted as failed. */
static void
run_blocked (const char  *option,
             void       (*end) (GSubprocess *proc,
                                int          pid))
{
  g_autofree char *dir = g_dir_make_tmp ("pm-blocked-XXXXXX", NULL);
  g_autofree char *pid_file = g_build_filename (dir, "pid", NULL);
  g_autoptr(GSubprocess) proc = NULL;
  int pid;

  proc = start_blocked (pid_file, option, &pid);
  end (proc, pid);
  g_assert_cmpint (finish_blocked (proc), ==, 1);
  pm_test_remove_tree (dir);
}

static void
wait_for_the_timeout (GSubprocess *proc,
                      int          pid)
{
  pm_test_wait_gone (pid, 30);
}

/* Interrupts until the job is gone: two that come at once are one to a program. */
static void
interrupt_until_gone (GSubprocess *proc,
                      int          pid)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (pm_test_process_alive (pid))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_subprocess_send_signal (proc, SIGINT);
      g_usleep (200 * 1000);
    }
}

/* The timeout ends the job while nobody reads pool-run's output: the main loop never waits on
 * its standard output. */
static void
test_blocked_reader_and_timeout (void)
{
  run_blocked ("--timeout=1", wait_for_the_timeout);
}

/* Two interrupts end the job while nobody reads pool-run's output. */
static void
test_blocked_reader_and_interrupts (void)
{
  run_blocked ("", interrupt_until_gone);
}

/* With 256 descriptors, -j 1000 runs at what the system allows, says so once, and every job
 * succeeds. */
static void
test_few_descriptors (void)
{
  g_autofree char *script = g_strdup_printf ("ulimit -n 256 && exec %s -j 1000 -q -- true "
                                             "::: $(seq 1000)", pool_run ());
  const char *argv[] = { "sh", "-c", script, NULL };
  g_auto(PmTestResult) r = { 0 };

  pm_test_run_argv (&r, NULL, NULL, NULL, argv);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "1000 jobs: 1000 succeeded, 0 failed"));
  g_assert_nonnull (strstr (r.err, "running at most"));
  g_assert_null (strstr (strstr (r.err, "running at most") + 1, "running at most"));
}

/* With at most 200 processes for the user, -j 1000 runs at what the system allows and every job
 * succeeds. As root the run is made by nobody, for whom the limit holds. */
static void
test_few_processes (void)
{
  g_autofree char *script = g_strdup_printf ("exec prlimit --nproc=200 %s -j 1000 -q -- true "
                                             "::: $(seq 1000)", pool_run ());
  const char *argv[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                         "sh", "-c", script, NULL };
  g_auto(PmTestResult) r = { 0 };

  if (getuid () != 0)
    {
      g_test_skip ("needs root, to run as another user whose process count is known");
      return;
    }
  pm_test_run_argv (&r, NULL, NULL, NULL, argv);
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "1000 jobs: 1000 succeeded, 0 failed"));
  g_assert_nonnull (strstr (r.err, "running at most"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/output/binary-like-gnu-parallel", test_binary_like_parallel);
  g_test_add_func ("/cli/output/nul-and-no-final-newline-like-gnu-parallel",
                   test_nul_and_no_final_newline_like_parallel);
  g_test_add_func ("/cli/output/a-100-mb-line-arrives-whole", test_long_line_whole);
  g_test_add_func ("/cli/output/lines-spliced-from-four-jobs-stay-whole",
                   test_lines_spliced_whole);
  g_test_add_func ("/cli/output/lines-spliced-to-a-file-or-appended", test_lines_spliced_to_files);
  g_test_add_func ("/cli/output/group-in-order-of-ending-as-parallel",
                   test_group_in_order_of_ending);
  g_test_add_func ("/cli/output/blocked-reader-does-not-stop-the-timeout",
                   test_blocked_reader_and_timeout);
  g_test_add_func ("/cli/output/blocked-reader-does-not-stop-two-interrupts",
                   test_blocked_reader_and_interrupts);
  g_test_add_func ("/cli/limits/few-descriptors", test_few_descriptors);
  g_test_add_func ("/cli/limits/few-processes", test_few_processes);

  return g_test_run ();
}
