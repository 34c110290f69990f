/* test-compat-status.c: what pool-run writes beside its jobs' output (the status line, the
 * summary, its notes) and where; how a run ends when the reader of its output goes away, beside
 * GNU parallel (`parallel --will-cite`); and two output modes checked on their own: --group
 * keeps each job whole, -u hands the jobs our own files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-compat.h"
#include "pm-test-util.h"

#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

/* Status only where wanted */
static void
run_pool (const char * const *args,
          GBytes            **out,
          char              **err,
          int                *status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  g_ptr_array_add (argv, (gpointer)pm_compat_pool_run ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *)argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, out, &err_bytes, &error);
  g_assert_no_error (error);
  *err = g_strdup_printf ("%.*s", (int)g_bytes_get_size (err_bytes),
                          g_bytes_get_size (err_bytes) > 0 ? (const char *)g_bytes_get_data (err_bytes, NULL) : "");
  *status = g_subprocess_get_exit_status (proc);
}

static guint
n_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* A redirected standard error holds the summary (two lines) and nothing else of ours; the
 * jobs' own stderr goes there too, unchanged. */
static void
test_status_not_on_redirected_stderr (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_pool (ARGS ("-j", "2", "sh", "-c", "sleep 1.5; echo $1; echo e$1 >&2", "sh", "{}",
                  ":::", "a", "b", "c"), &out, &err, &status);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (err, "running "));
  g_assert_null (strstr (err, "\r"));
  g_assert_cmpuint (n_lines (err), ==, 3 + 2);
  g_assert_nonnull (strstr (err, "3 jobs: 3 succeeded, 0 failed\n"));
}

/* --no-summary leaves it out, -q the jobs' output only: each on its own. */
static void
test_summary_and_output_each_off (void)
{
  g_autoptr(GBytes) out1 = NULL, out2 = NULL;
  g_autofree char *err1 = NULL, *err2 = NULL;
  int status;

  run_pool (ARGS ("--no-summary", "-j", "1", "echo", "{}", ":::", "a", "b"), &out1, &err1,
            &status);
  g_assert_cmpstr (err1, ==, "");
  g_assert_cmpmem (g_bytes_get_data (out1, NULL), g_bytes_get_size (out1), "a\nb\n", 4);

  run_pool (ARGS ("-q", "-j", "1", "echo", "{}", ":::", "a", "b"), &out2, &err2, &status);
  g_assert_cmpuint (g_bytes_get_size (out2), ==, 0);
  g_assert_nonnull (strstr (err2, "2 jobs: 2 succeeded"));
}

/* --progress asks for the status line on a pipe too: plain lines */
static void
test_progress_on_a_pipe (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_pool (ARGS ("--progress", "--bar", "--eta", "-j", "1", "sh", "-c", "sleep 1.2", ":::",
                  "a", "b"), &out, &err, &status);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "running "));
  g_assert_nonnull (strstr (err, "ETA"));
  g_assert_nonnull (strstr (err, "%"));
}

static void
default_sigpipe (gpointer user_data)
{
  signal (SIGPIPE, SIG_DFL);
}

/* How @argv ended when its reader took one line of its output and went away: the signal that
 * killed it, or 0 (then *@status is its exit status) */
static int
end_after_one_line (const char * const *argv,
                    int                *status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GOutputStream *in;

  for (guint i = 1; i <= 2000; i++)
    g_string_append_printf (input, "%u\n", i);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, default_sigpipe, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (proc);
  g_assert_true (g_output_stream_write_all (in, input->str, input->len, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_input_stream_close (G_INPUT_STREAM (out), NULL, &error));
  g_assert_true (g_input_stream_close (g_subprocess_get_stdout_pipe (proc), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (proc))
    return g_subprocess_get_term_sig (proc);
  *status = g_subprocess_get_exit_status (proc);
  return 0;
}

/* `… | head -1`: a reader that goes away ends the run as it ends GNU parallel's, killed by
 * SIGPIPE (a shell's 141), in each output mode that goes through us */
static void
test_reader_gone_ends_as_parallel (void)
{
  const char *modes[] = { "--line-buffer", "--group", "--keep-order", "--tag" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      const char *ours[] = { pm_compat_pool_run (), "--no-summary", "-j", "4", modes[i], "echo",
                             "{}", NULL };
      const char *theirs[] = { pm_compat_parallel (), "--will-cite", "-j", "4", modes[i], "echo",
                               "{}", NULL };
      int our_status = -1, their_status = -1;
      int our_sig = end_after_one_line (ours, &our_status);
      int their_sig = end_after_one_line (theirs, &their_status);

      g_test_message ("%s: parallel signal %d status %d, pool-run signal %d status %d",
                      modes[i], their_sig, their_status, our_sig, our_status);
      g_assert_cmpint (our_sig, ==, their_sig);
      g_assert_cmpint (our_status, ==, their_status);
    }
}

/* Every status line counts every job of a run whose size is known: running, queued (those the
 * source has not made yet included), done and failed add up to the 15 given. */
static void
test_progress_counts_every_job (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_status = 0;
  int status;

  run_pool (ARGS ("--progress", "-j", "5", "sh", "-c", "sleep 1", ":::", "1", "2", "3", "4",
                  "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"),
            &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit_set (err, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint running, limit, queued, done, failed;

      if (sscanf (lines[i], "running %u/%u · queued %u · done %u · failed %u",
                  &running, &limit, &queued, &done, &failed) != 5)
        continue;
      g_test_message ("%s", lines[i]);
      n_status++;
      g_assert_cmpuint (running + queued + done + failed, ==, 15);
    }
  g_assert_cmpuint (n_status, >, 0);
}

/* While the input has not ended, the total is not known: the bar and the ETA say so rather
 * than count only the jobs read so far. The test holds standard input open until it has read
 * the first status line. */
static void
test_progress_total_unknown_until_input_ends (void)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rest = NULL;
  GOutputStream *in;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           pm_compat_pool_run (), "--progress", "--bar", "--eta", "-j", "1",
                           "echo", NULL);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (proc);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  g_assert_true (g_output_stream_write_all (in, "a\n", 2, NULL, NULL, &error));
  g_assert_no_error (error);

  while ((line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error)) != NULL &&
         strstr (line, "running ") == NULL)
    g_clear_pointer (&line, g_free);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("first status: %s", line);
  g_assert_nonnull (strstr (line, "total unknown yet"));
  /* The jobs queued so far, and a mark that more may come */
  g_assert_nonnull (strstr (line, "+ · done"));
  g_assert_nonnull (strstr (line, "ETA unknown yet"));
  g_assert_null (strstr (line, "%"));

  g_assert_true (g_output_stream_write_all (in, "b\n", 2, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));
  g_assert_no_error (error);
  /* The rest, to the summary */
  while ((rest = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error)) != NULL &&
         strstr (rest, "2 jobs: 2 succeeded") == NULL)
    g_clear_pointer (&rest, g_free);
  g_assert_no_error (error);
  g_assert_nonnull (rest);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
}

/* Under a terminal (script(1) gives the run one) the status line is drawn in place. */
static void
test_status_on_a_terminal (void)
{
  g_autofree char *command = g_strdup_printf ("'%s' --no-summary -j 1 sh -c 'sleep 1.5' ::: a",
                                              pm_compat_pool_run ());
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "TERM", "xterm", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, "script", "-qec", command, "/dev/null",
                                      NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_test_message ("terminal: %s", text);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_nonnull (strstr (text, "running "));
  g_assert_nonnull (strstr (text, "\r\033[K"));
}

/* --ungroup as parallel -u: a job here writes to pool-run's own stdout (and stderr, with no
 * status line there), so the bytes are not copied through the slot and pool-run. The job sees
 * the files pool-run was given; with --progress its stderr is read again (the status line is
 * kept apart from it), and in the default line mode both are pipes. */
static void
run_to_files (const char * const *args,
              const char         *dir,
              char              **out,
              char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_path = g_build_filename (dir, "out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "err", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer)pm_compat_pool_run ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_unlink (out_path);
  g_unlink (err_path);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out_path, out, NULL, NULL));
  g_assert_true (g_file_get_contents (err_path, err, NULL, NULL));
}

/* How many lines of @text are @line */
static guint
count_lines (const char *text,
             const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_equal (lines[i], line);
  return n;
}

static void
test_ungroup_writes_directly (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-ungroup-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "err", NULL);
  const char *show = "readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2";
  /* The descriptors the job holds: 0, 1, 2 and the one ls reads the folder through */
  const char *count = "ls /proc/self/fd | wc -l >&2";
  g_autofree char *script = g_strconcat (show, "; ", count, NULL);
  char *out, *err;

  run_to_files (ARGS ("--no-summary", "-u", "-j", "2", "sh", "-c", script, ":::", "a", "b"),
                dir, &out, &err);
  g_test_message ("-u: stdout %s, stderr %s", out, err);
  g_assert_cmpuint (count_lines (out, out_path), ==, 2);
  g_assert_cmpuint (count_lines (err, err_path), ==, 2);
  g_assert_cmpuint (count_lines (err, "4"), ==, 2);
  g_free (out), g_free (err);

  run_to_files (ARGS ("--no-summary", "--progress", "-u", "-j", "1", "sh", "-c", show, ":::", "a"),
                dir, &out, &err);
  g_assert_cmpuint (count_lines (out, out_path), ==, 1);
  g_test_message ("--progress -u: stderr %s", err);
  g_assert_true (g_str_has_prefix (err, "pipe:[") || strstr (err, "\npipe:[") != NULL);
  g_free (out), g_free (err);

  run_to_files (ARGS ("--no-summary", "-j", "1", "sh", "-c", show, ":::", "a"), dir, &out, &err);
  g_assert_true (g_str_has_prefix (out, "pipe:["));
  g_assert_true (g_str_has_prefix (err, "pipe:["));
  g_free (out), g_free (err);
  pm_test_remove_tree (dir);
}

/* --group holds a job's output whole while others write: with two jobs writing in turns, each
 * job's lines come out together (and past the memory bound, from a temporary file). */
static void
test_group_keeps_jobs_whole (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  int status;
  const char *script = "for i in 1 2 3; do echo $1$i; sleep 0.3; done; "
                       "head -c 3000000 /dev/zero | tr '\\0' $1; echo";

  run_pool (ARGS ("--no-summary", "--group", "-j", "2", "sh", "-c", script, "sh", "{}",
                  ":::", "a", "b"), &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_cmpuint (strlen (text), ==, 2 * (9 + 3000001));
  /* Each job's block is whole: its three numbered lines, then its long line */
  for (const char *p = text; *p != '\0';)
    {
      char c = *p;
      g_autofree char *head = g_strdup_printf ("%c1\n%c2\n%c3\n", c, c, c);

      g_assert_true (c == 'a' || c == 'b');
      g_assert_true (g_str_has_prefix (p, head));
      p += 9;
      for (guint i = 0; i < 3000000; i++)
        g_assert_true (p[i] == c);
      g_assert_true (p[3000000] == '\n');
      p += 3000001;
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/status/redirected-stderr-has-no-status-line",
                   test_status_not_on_redirected_stderr);
  g_test_add_func ("/status/summary-and-output-each-off", test_summary_and_output_each_off);
  g_test_add_func ("/status/progress-on-a-pipe", test_progress_on_a_pipe);
  g_test_add_func ("/status/progress-counts-every-job", test_progress_counts_every_job);
  g_test_add_func ("/output/reader-gone-ends-as-parallel", test_reader_gone_ends_as_parallel);
  g_test_add_func ("/status/total-unknown-until-input-ends",
                   test_progress_total_unknown_until_input_ends);
  g_test_add_func ("/status/terminal-shows-the-status-line", test_status_on_a_terminal);
  g_test_add_func ("/output/group-keeps-each-job-whole", test_group_keeps_jobs_whole);
  g_test_add_func ("/output/ungroup-jobs-write-to-our-files", test_ungroup_writes_directly);

  return g_test_run ();
}
