/* test-cli-output-paths.c: the ways a job's bytes take through pool-run to its standard
 * output (straight from the main thread, or through the output thread when the reader is
 * slow) or to its --results files, each checked byte for byte against what the job wrote
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "pm-test-util.h"

#define FILE_LINES 60000        /* about 5 MB: more than pool-run's pipes hold */
#define FIRST_READ 100000       /* what the reader takes before it stops */

static const char *
pool_run (void)
{
  return g_getenv ("PM_POOL_RUN");
}

/* Numbered lines of 80-odd bytes, @n of them, in @path; returns the text */
static GBytes *
lines_file (const char *path,
            guint       n)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 1; i <= n; i++)
    g_string_append_printf (text, "line %06u of a job's output, long enough to make the file "
                            "a few megabytes\n", i);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  return g_string_free_to_bytes (g_steal_pointer (&text));
}

/* Whether pool-run's output thread waits in poll() for its reader: it took bytes that the main
 * thread could not move (Linux: /proc/PID/task/TID/syscall) */
static gboolean
output_thread_polls (const char *pid)
{
  g_autofree char *tasks = g_build_filename ("/proc", pid, "task", NULL);
  g_autoptr(GDir) dir = g_dir_open (tasks, 0, NULL);
  const char *tid;

  if (dir == NULL)
    return FALSE;
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename (tasks, tid, "comm", NULL);
      g_autofree char *call_path = g_build_filename (tasks, tid, "syscall", NULL);
      g_autofree char *comm = NULL;
      g_autofree char *call = NULL;
      long number;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) ||
          !g_str_equal (comm, "pool-run output\n") ||
          !g_file_get_contents (call_path, &call, NULL, NULL))
        continue;
      number = strtol (call, NULL, 10);
#ifdef SYS_poll
      if (number == SYS_poll)
        return TRUE;
#endif
      return number == SYS_ppoll;
    }
  return FALSE;
}

/* What pool-run's debug message at its end says: bytes moved by splice() in all, and by the
 * main thread alone */
static void
parse_moved (const char *err,
             guint64    *spliced,
             guint64    *copied,
             guint64    *here)
{
  const char *says = strstr (err, "bytes taken from the jobs' pipes: ");
  char *end;

  g_assert_nonnull (says);
  says += strlen ("bytes taken from the jobs' pipes: ");
  *spliced = g_ascii_strtoull (says, &end, 10);
  g_assert_true (g_str_has_prefix (end, " by splice(), "));
  *copied = g_ascii_strtoull (end + strlen (" by splice(), "), &end, 10);
  g_assert_true (g_str_has_prefix (end, " through memory; "));
  *here = g_ascii_strtoull (end + strlen (" through memory; "), &end, 10);
  g_assert_true (g_str_has_prefix (end, " of them spliced without the output thread"));
}

/* Starts @argv (pool-run) with its debug messages in the file @err_path; *@fd is the pipe of
 * its standard output */
static GSubprocess *
spawn_debug (const char * const *argv,
             const char         *err_path,
             int                *fd)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "pool-run", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  *fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (proc)));
  return proc;
}

/* One job, `cat FILE`, in line mode or with --keep-order, to a reader that reads
 * FIRST_READ bytes, then stops until pool-run's output thread waits for it (the main thread
 * found our pipe full, and left the rest to it), then reads the rest. Every byte arrives, in
 * order; the main thread moved some of them itself, the output thread the others. */
static void
test_straight_and_through_the_thread (gconstpointer data)
{
  const char *mode = data;
  g_autofree char *dir = g_dir_make_tmp ("pm-paths-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "lines", NULL);
  g_autofree char *err_path = g_build_filename (dir, "err", NULL);
  g_autoptr(GBytes) expected = lines_file (file, FILE_LINES);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) got = g_byte_array_new ();
  g_autofree char *err = NULL;
  const char *argv[] = { pool_run (), "-j", "1", mode, "--", "cat", "{}", ":::", file, NULL };
  guint64 spliced, copied, here;
  gint64 deadline;
  guint8 buffer[4096];
  int fd;
  gssize n;

  if (*mode == '\0')
    memmove (argv + 3, argv + 4, sizeof argv - 4 * sizeof *argv);
  proc = spawn_debug (argv, err_path, &fd);

  while (got->len < FIRST_READ && (n = read (fd, buffer, sizeof buffer)) > 0)
    g_byte_array_append (got, buffer, n);
  g_assert_cmpuint (got->len, >=, FIRST_READ);

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!output_thread_polls (g_subprocess_get_identifier (proc)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }

  while ((n = read (fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    g_byte_array_append (got, buffer, MAX (n, 0));
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);

  g_assert_cmpmem (got->data, got->len,
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_true (g_file_get_contents (err_path, &err, NULL, NULL));
  g_test_message ("%s", err);
  parse_moved (err, &spliced, &copied, &here);
  g_assert_cmpuint (here, >, 0);
  g_assert_cmpuint (spliced, >, here);       /* the output thread moved some too */
  g_assert_cmpuint (spliced + copied, <=, g_bytes_get_size (expected));

  pm_test_remove_tree (dir);
}

/* Runs @argv to its end with pool-run's debug messages on; its stdout and stderr */
static void
run_debug (const char * const *argv,
           GBytes            **out,
           char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "pool-run", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, out, &err_bytes, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  *err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
}

/* --group with -j 1: no job can start before the one running ends, so its stdout goes out as
 * it comes, straight from its pipe (no temporary file), its stderr at its end: the same bytes
 * as GNU parallel --group, in the same order. */
static void
test_group_one_at_a_time (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-paths-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "lines", NULL);
  g_autoptr(GBytes) lines = lines_file (file, FILE_LINES / 2);
  g_autofree char *job = g_strdup_printf ("cat '%s'; echo oops {} >&2; printf 'end {}'", file);
  const char *ours[] = { pool_run (), "-j", "1", "--group", "--no-summary", "--", "sh", "-c",
                         job, ":::", "1", "2", "3", NULL };
  const char *theirs[] = { "parallel", "--will-cite", "-q", "-j", "1", "--group", "sh", "-c",
                           job, ":::", "1", "2", "3", NULL };
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) parallel_out = NULL;
  g_autoptr(GString) oops = g_string_new (NULL);
  g_autofree char *err = NULL;
  g_autofree char *parallel_err = NULL;
  g_auto(GStrv) err_lines = NULL;
  guint64 spliced, copied, here;

  run_debug (ours, &out, &err);
  run_debug (theirs, &parallel_out, &parallel_err);
  g_test_message ("%s", err);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                   g_bytes_get_data (parallel_out, NULL), g_bytes_get_size (parallel_out));
  g_assert_cmpuint (g_bytes_get_size (out), ==, 3 * (g_bytes_get_size (lines) + 5));
  g_assert_cmpstr (parallel_err, ==, "oops 1\noops 2\noops 3\n");
  err_lines = g_strsplit (err, "\n", -1);
  for (guint i = 0; err_lines[i] != NULL; i++)
    if (g_str_has_prefix (err_lines[i], "oops "))
      g_string_append_printf (oops, "%s\n", err_lines[i]);
  g_assert_cmpstr (oops->str, ==, parallel_err);
  parse_moved (err, &spliced, &copied, &here);
  g_assert_cmpuint (here, >, 0);

  pm_test_remove_tree (dir);
}

/* A chunk of short lines that ends 10 kB into a long line, more than the first look at its end
 * (pm-pool-pass.c) holds: its whole lines still go from the job's pipe by splice(), and every
 * byte arrives. The job waits (on a FIFO) until we have its short lines, so that the pool sees
 * that chunk alone. */
static void
test_chunk_ending_in_a_long_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-paths-XXXXXX", NULL);
  g_autofree char *part_a = g_build_filename (dir, "a", NULL);
  g_autofree char *part_b = g_build_filename (dir, "b", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *err_path = g_build_filename (dir, "err", NULL);
  g_autofree char *job = g_strdup_printf ("cat '%s'; read x < '%s'; cat '%s'", part_a, fifo,
                                          part_b);
  const char *argv[] = { pool_run (), "-j", "1", "--no-summary", "--", "sh", "-c", job, ":::",
                         "x", NULL };
  g_autoptr(GString) a = g_string_new (NULL);
  const char *b = "the long line's end\nand a short one\n";
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) got = g_byte_array_new ();
  g_autofree char *err = NULL;
  guint64 spliced, copied, here;
  gsize short_lines;
  guint8 buffer[4096];
  gssize n;
  int fd, fifo_fd;

  for (guint i = 0; i < 8572; i++)
    g_string_append_printf (a, "s%05u\n", i);
  short_lines = a->len;
  for (guint k = 0; k < 10000; k++)
    g_string_append_c (a, 'L');
  g_assert_cmpuint (a->len, >, 64 * 1024);   /* the pool's PASS_MIN */
  g_assert_true (g_file_set_contents (part_a, a->str, a->len, NULL));
  g_assert_true (g_file_set_contents (part_b, b, -1, NULL));
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  proc = spawn_debug (argv, err_path, &fd);

  while (got->len < short_lines && (n = read (fd, buffer, sizeof buffer)) > 0)
    g_byte_array_append (got, buffer, n);
  g_assert_cmpuint (got->len, ==, short_lines);
  fifo_fd = open (fifo, O_WRONLY | O_CLOEXEC);
  g_assert_cmpint (fifo_fd, >=, 0);
  g_assert_cmpint (write (fifo_fd, "\n", 1), ==, 1);
  close (fifo_fd);

  while ((n = read (fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    g_byte_array_append (got, buffer, MAX (n, 0));
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);

  g_string_append (a, b);
  g_assert_cmpmem (got->data, got->len, a->str, a->len);
  g_assert_true (g_file_get_contents (err_path, &err, NULL, NULL));
  g_test_message ("%s", err);
  parse_moved (err, &spliced, &copied, &here);
  g_assert_cmpuint (spliced, ==, short_lines);

  pm_test_remove_tree (dir);
}

/* --results: the jobs here write to their files themselves (their stdout is the file, not a
 * pipe of ours), and the files hold the same bytes as GNU parallel's; with an event log, which
 * records the lines, they go through the pool as before. */
static void
test_results_written_by_the_jobs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-paths-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "lines", NULL);
  g_autoptr(GBytes) lines = lines_file (file, FILE_LINES / 2);
  g_autofree char *events = g_build_filename (dir, "events.jsonl", NULL);
  /* what the job's stdout is goes to its stderr */
  g_autofree char *job = g_strdup_printf ("o=$(readlink /proc/$$/fd/1); cat '%s'; echo {}; "
                                          "echo \"$o\" >&2", file);
  const char *ours[] = { pool_run (), "-j", "2", "--no-summary", "--results", "ours", "--",
                         "sh", "-c", job, ":::", "a", "b", NULL };
  const char *logged[] = { pool_run (), "-j", "2", "--no-summary", "--results", "logged",
                           "--events", events, "--", "sh", "-c", job, ":::", "a", "b", NULL };
  const char *theirs[] = { "parallel", "--will-cite", "-q", "-j", "2", "--results", "theirs",
                           "sh", "-c", job, ":::", "a", "b", NULL };
  const char *args[] = { "a", "b" };
  g_auto(PmTestResult) r = { 0 };

  pm_test_run_argv (&r, dir, NULL, NULL, ours);
  g_assert_cmpint (r.status, ==, 0);
  pm_test_result_clear (&r);
  pm_test_run_argv (&r, dir, NULL, NULL, logged);
  g_assert_cmpint (r.status, ==, 0);
  pm_test_result_clear (&r);
  pm_test_run_argv (&r, dir, NULL, NULL, theirs);
  g_assert_cmpint (r.status, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    {
      g_autofree char *out = g_build_filename (dir, "ours", "1", args[i], "stdout", NULL);
      g_autofree char *err = g_build_filename (dir, "ours", "1", args[i], "stderr", NULL);
      g_autofree char *log_out = g_build_filename (dir, "logged", "1", args[i], "stdout", NULL);
      g_autofree char *log_err = g_build_filename (dir, "logged", "1", args[i], "stderr", NULL);
      g_autofree char *their_out = g_build_filename (dir, "theirs", "1", args[i], "stdout",
                                                     NULL);
      g_autofree char *want_err = g_strdup_printf ("%s\n", out);
      g_autofree char *got = NULL, *got_err = NULL, *got_log = NULL, *got_log_err = NULL;
      g_autofree char *got_theirs = NULL;
      gsize len, log_len, their_len;

      g_assert_true (g_file_get_contents (out, &got, &len, NULL));
      g_assert_true (g_file_get_contents (err, &got_err, NULL, NULL));
      g_assert_true (g_file_get_contents (log_out, &got_log, &log_len, NULL));
      g_assert_true (g_file_get_contents (log_err, &got_log_err, NULL, NULL));
      g_assert_true (g_file_get_contents (their_out, &got_theirs, &their_len, NULL));
      g_test_message ("job %s: stdout was %s; with --events %s", args[i], got_err, got_log_err);
      g_assert_cmpstr (got_err, ==, want_err);
      g_assert_true (g_str_has_prefix (got_log_err, "pipe:["));
      g_assert_cmpuint (len, ==, g_bytes_get_size (lines) + 2);
      g_assert_cmpmem (got, len, got_theirs, their_len);
      g_assert_cmpmem (got_log, log_len, got_theirs, their_len);
    }
  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/cli/output-paths/line-mode-straight-then-through-the-thread", "",
                        test_straight_and_through_the_thread);
  g_test_add_data_func ("/cli/output-paths/keep-order-straight-then-through-the-thread",
                        "--keep-order", test_straight_and_through_the_thread);
  g_test_add_func ("/cli/output-paths/group-one-at-a-time-straight-as-gnu-parallel",
                   test_group_one_at_a_time);
  g_test_add_func ("/cli/output-paths/results-written-by-the-jobs-themselves",
                   test_results_written_by_the_jobs);
  g_test_add_func ("/cli/output-paths/a-chunk-ending-in-a-long-line-is-spliced",
                   test_chunk_ending_in_a_long_line);

  return g_test_run ();
}
