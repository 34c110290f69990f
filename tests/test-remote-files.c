/* test-remote-files.c: files moved to and from remote hosts (--basefile, --transferfile,
 * --return, --cleanup, --trc, --wd), the joblog's hosts read back and --resume across hosts,
 * over a real OpenSSH server of the test's own (pm-test-sshd.c) reached as two hosts. The
 * "remote" side is this machine: every run uses --wd into the test's own folder, so what lands
 * there can be looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-job.h"
#include "pm-runlog.h"
#include "pm-test-sshd.h"
#include "pm-test-util.h"

static PmTestSshd *server;
/* (A failed assertion aborts: the server dies with the test, pm-test-sshd.c.) */

typedef PmTestResult Result;
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, pm_test_result_clear)

static gboolean
need_server (void)
{
  return pm_test_sshd_need (&server);
}

/* pool-run in @cwd with --ssh @ssh, then the words up to NULL */
#define pool_run(r, cwd, ssh, ...) pm_test_run_pool_run (r, cwd, ssh, __VA_ARGS__)

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* An ssh command that writes each command it is given to @log, then is the server's ssh */
static char *
logging_ssh (const char *dir,
             const char *log)
{
  g_autofree char *path = g_build_filename (dir, "ssh-logged", NULL);
  g_autofree char *quoted = g_shell_quote (log);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$*\" >>%s\n"
                                             "exec %s \"$@\"\n", quoted, server->ssh);

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  g_chmod (path, 0755);
  return g_steal_pointer (&path);
}

/* Files sent before each job land in its working dir there, byte for byte; what the job made
 * comes back to the same relative path here; with --cleanup (--trc) both are removed there, and
 * the dirs that held them once empty; without, they stay. */
static void
test_transfer_return_cleanup (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *there = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *hosts = NULL;
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  const char *names[] = { "in/one.dat", "in/deeper/two.dat", "three.dat" };
  const char *outs[] = { "in/one.out", "in/deeper/two.out", "three.out" };
  /* the job: a copy of what came (left there), and the file to return: its lines in reverse order */
  const char *job = "cp \"$1\" \"$1.copy\" && tac <\"$1\" >\"${1%.dat}.out\"";

  if (!need_server ())
    return;
  dir = g_dir_make_tmp ("pm-files-XXXXXX", NULL);
  there = g_build_filename (dir, "there", NULL);
  a = pm_test_sshd_login (server, "127.0.0.1");
  b = pm_test_sshd_login (server, "localhost");
  hosts = g_strdup_printf ("1/%s,1/%s", a, b);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      /* lines, so that tac has something to reverse; a last one without a newline */
      GString *text = g_string_new (NULL);
      g_autofree char *parent = g_path_get_dirname (path);

      g_mkdir_with_parents (parent, 0700);
      for (guint k = 0; k < 2000 + i; k++)
        g_string_append_printf (text, "%u:%u %s\n", i, k, k % 3 ? "abc" : "\xc3\xa9t\xc3\xa9");
      g_string_append (text, "end");
      g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
      g_ptr_array_add (sent, g_bytes_new_take (text->str, text->len));
      g_string_free (text, FALSE);
    }

  for (guint round = 0; round < 2; round++)
    {
      g_auto(Result) r = { 0 };

      /* round 0: --transfer --return, nothing removed; round 1: --trc, all removed */
      pm_test_remove_tree (there);
      for (guint i = 0; i < G_N_ELEMENTS (outs); i++)
        {
          g_autofree char *out = g_build_filename (dir, outs[i], NULL);
          g_unlink (out);
        }
      if (round == 0)
        pool_run (&r, dir, server->ssh, "-S", hosts, "--wd", there, "--transfer",
                  "--return", "{.}.out", "--", "sh", "-c", job, "sh", "{}",
                  ":::", names[0], names[1], names[2], NULL);
      else
        pool_run (&r, dir, server->ssh, "-S", hosts, "--wd", there, "--trc", "{.}.out",
                  "--", "sh", "-c", job, "sh", "{}", ":::", names[0], names[1], names[2], NULL);
      g_assert_cmpint (r.status, ==, 0);

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *copy_name = g_strconcat (names[i], ".copy", NULL);
          g_autofree char *copy = g_build_filename (there, copy_name, NULL);
          g_autofree char *sent_there = g_build_filename (there, names[i], NULL);
          g_autofree char *out_there = g_build_filename (there, outs[i], NULL);
          g_autofree char *out_here = g_build_filename (dir, outs[i], NULL);
          g_autofree char *reversed = NULL;

          /* it ran there, in --wd, on what was sent, byte for byte */
          g_assert_true (pm_test_file_has_bytes (copy, g_ptr_array_index (sent, i)));
          /* what came back is what it made: the file, its lines in reverse order */
          {
            g_autofree char *in = g_build_filename (dir, names[i], NULL);
            g_autofree char *quoted = g_shell_quote (in);
            g_autofree char *command = g_strdup_printf ("tac %s", quoted);
            g_autoptr(GBytes) want = NULL;

            g_assert_true (g_spawn_command_line_sync (command, &reversed, NULL, NULL, NULL));
            want = g_bytes_new (reversed, strlen (reversed));
            g_assert_true (pm_test_file_has_bytes (out_here, want));
          }
          if (round == 0)
            {
              g_assert_true (pm_test_file_has_bytes (sent_there, g_ptr_array_index (sent, i)));
              g_assert_true (g_file_test (out_there, G_FILE_TEST_IS_REGULAR));
            }
          else
            {
              g_assert_false (g_file_test (sent_there, G_FILE_TEST_EXISTS));
              g_assert_false (g_file_test (out_there, G_FILE_TEST_EXISTS));
            }
        }
    }
  pm_test_remove_tree (dir);
}


/* A basefile goes to each host once, before its first job, whatever the number of jobs and
 * slots there; it keeps its mode (a script stays runnable); --cleanup removes it at the end. */
static void
test_basefile (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *there = NULL;
  g_autofree char *log = NULL;
  g_autofree char *ssh = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *hosts = NULL;
  g_autofree char *base = NULL;
  g_autofree char *base_there = NULL;
  g_auto(Result) r = { 0 };
  g_auto(Result) clean = { 0 };

  if (!need_server ())
    return;
  dir = g_dir_make_tmp ("pm-files-XXXXXX", NULL);
  there = g_build_filename (dir, "there", NULL);
  log = g_build_filename (dir, "ssh.log", NULL);
  ssh = logging_ssh (dir, log);
  a = pm_test_sshd_login (server, "127.0.0.1");
  b = pm_test_sshd_login (server, "localhost");
  hosts = g_strdup_printf ("2/%s,2/%s", a, b);
  base = g_build_filename (dir, "base.sh", NULL);
  g_assert_true (g_file_set_contents (base, "#!/bin/sh\necho \"base $1\"\n", -1, NULL));
  g_chmod (base, 0755);

  pool_run (&r, dir, ssh, "-S", hosts, "--wd", there, "--bf", "base.sh", "-k", "--",
            "./base.sh", ":::", "1", "2", "3", "4", "5", "6", "7", "8", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "base 1\nbase 2\nbase 3\nbase 4\nbase 5\nbase 6\n"
                              "base 7\nbase 8\n");
  /* one copy per host: two hosts, two copies */
  g_assert_cmpuint (pm_test_file_count_lines (log, "base.sh"), ==, 2);
  base_there = g_build_filename (there, "base.sh", NULL);
  g_assert_true (g_file_test (base_there, G_FILE_TEST_IS_EXECUTABLE));

  /* with --cleanup, removed from each host once the run is over */
  pool_run (&clean, dir, ssh, "-S", hosts, "--wd", there, "--bf", "base.sh", "--cleanup", "--",
            "./base.sh", ":::", "1", "2", NULL);
  g_assert_cmpint (clean.status, ==, 0);
  g_assert_nonnull (strstr (clean.out, "base 2\n"));
  g_assert_false (g_file_test (base_there, G_FILE_TEST_EXISTS));
  pm_test_remove_tree (dir);
}

/* A file to send that is missing fails the job with a clear reason, before it starts, and is
 * retried under --retries; on this machine (":") nothing is sent: the job runs as it is. */
static void
test_missing_file (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *there = NULL;
  g_autofree char *joblog = NULL;
  g_autofree char *a = NULL;
  g_autofree char *hosts = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Result) r = { 0 };
  g_auto(Result) here = { 0 };

  if (!need_server ())
    return;
  dir = g_dir_make_tmp ("pm-files-XXXXXX", NULL);
  there = g_build_filename (dir, "there", NULL);
  joblog = g_build_filename (dir, "joblog", NULL);
  a = pm_test_sshd_login (server, "127.0.0.1");
  hosts = g_strdup_printf ("1/%s", a);

  pool_run (&r, dir, server->ssh, "-S", hosts, "--wd", there, "--transfer", "--retries", "2",
            "--joblog", joblog, "--", "cat", ":::", "nothere.txt", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "job 1: cannot transfer “nothere.txt”: "
                                   "No such file or directory"));
  g_assert_true (g_file_get_contents (joblog, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  /* the header, two attempts, and the end of the last line */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[1], "1\t"));
  g_assert_true (g_str_has_prefix (lines[2], "1\t"));
  /* nothing ran there: the working dir was not even made */
  g_assert_false (g_file_test (there, G_FILE_TEST_EXISTS));

  pool_run (&here, dir, server->ssh, "-S", ":", "--wd", there, "--transfer", "--", "cat",
            ":::", "nothere.txt", NULL);
  g_assert_cmpint (here.status, ==, 1);
  g_assert_null (strstr (here.err, "cannot transfer"));
  g_assert_nonnull (strstr (here.err, "cat: nothere.txt: No such file or directory"));
  pm_test_remove_tree (dir);
}

/* --wd ... is a dir of each job's own under the host's cache dir, removed with --cleanup */
static void
test_temp_workdir (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *a = NULL;
  g_autofree char *hosts = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr(GBytes) want = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Result) r = { 0 };

  if (!need_server ())
    return;
  dir = g_dir_make_tmp ("pm-files-XXXXXX", NULL);
  a = pm_test_sshd_login (server, "127.0.0.1");
  hosts = g_strdup_printf ("2/%s", a);
  write_file (dir, "x.txt", "xx\n");
  write_file (dir, "y.txt", "yy\n");
  tmp = g_build_filename (server->cache, "pool-monitor", "tmp", NULL);

  pool_run (&r, dir, server->ssh, "-S", hosts, "--wd", "...", "--trc", "{}.out", "-k", "--",
            "sh", "-c", "pwd; cat {} >{}.out", ":::", "x.txt", "y.txt", NULL);
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *prefix = g_strconcat (tmp, "/", NULL);
      g_autofree char *out = g_strdup_printf ("%s/%s.txt.out", dir, i == 0 ? "x" : "y");
      g_autofree char *text = NULL;

      /* its own dir, gone after the job */
      g_assert_true (g_str_has_prefix (lines[i], prefix));
      g_assert_false (g_file_test (lines[i], G_FILE_TEST_EXISTS));
      g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
      g_assert_cmpstr (text, ==, i == 0 ? "xx\n" : "yy\n");
    }
  g_assert_cmpstr (lines[0], !=, lines[1]);
  pm_test_remove_tree (dir);
}

/* The joblog of a run over two hosts, read back, keeps each job's host; --resume-failed then
 * runs again only the job that failed, and --resume with more arguments only the new ones. */
static void
test_joblog_hosts_resume (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *joblog = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *hosts = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PmPool) read_back = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) first = { 0 };
  g_auto(Result) again = { 0 };
  g_auto(Result) more = { 0 };
  gboolean on_a = FALSE, on_b = FALSE;
  const char *job = "echo \"$1 $POOL_HOST\"; [ \"$1\" != 3 ] || [ -e \"$2/fixed\" ]";

  if (!need_server ())
    return;
  dir = g_dir_make_tmp ("pm-files-XXXXXX", NULL);
  joblog = g_build_filename (dir, "joblog", NULL);
  a = pm_test_sshd_login (server, "127.0.0.1");
  b = pm_test_sshd_login (server, "localhost");
  hosts = g_strdup_printf ("2/%s,2/%s", a, b);

  pool_run (&first, dir, server->ssh, "-S", hosts, "--joblog", joblog, "--", "sh", "-c", job,
            "sh", "{}", dir, ":::", "1", "2", "3", "4", NULL);
  g_assert_cmpint (first.status, ==, 1);

  file = g_file_new_for_path (joblog);
  read_back = pm_runlog_load_joblog (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (read_back)), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(PmJob) row = g_list_model_get_item (G_LIST_MODEL (read_back), i);
      g_autofree char *said = g_strdup_printf ("%u %s\n", pm_job_get_seq (row),
                                               pm_job_get_host (row));

      /* the host read back is the one the job said it ran on */
      g_assert_nonnull (strstr (first.out, said));
      on_a |= g_str_equal (pm_job_get_host (row), a);
      on_b |= g_str_equal (pm_job_get_host (row), b);
    }
  g_assert_true (on_a && on_b);

  write_file (dir, "fixed", "");
  pool_run (&again, dir, server->ssh, "-S", hosts, "--joblog", joblog, "--resume-failed", "--",
            "sh", "-c", job, "sh", "{}", dir, ":::", "1", "2", "3", "4", NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_true (g_str_has_prefix (again.out, "3 "));
  g_assert_cmpstr (strchr (again.out, '\n'), ==, "\n");   /* that job alone */

  pool_run (&more, dir, server->ssh, "-S", hosts, "--joblog", joblog, "--resume", "-k", "--",
            "sh", "-c", job, "sh", "{}", dir, ":::", "1", "2", "3", "4", "5", "6", NULL);
  g_assert_cmpint (more.status, ==, 0);
  g_assert_true (g_str_has_prefix (more.out, "5 "));
  g_assert_nonnull (strstr (more.out, "\n6 "));
  g_assert_null (strstr (more.out, "\n1 "));
  pm_test_remove_tree (dir);
}

/* Waits for @path to exist (a job says so), failing the test after a minute */
static void
wait_for_file (const char *path)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_usleep (20 * 1000);
    }
}

/* --slf FILE is read again when it changes: a host listed anew mid-run gets slots. Every job on
 * the first host waits for a job to have run on the second, which is listed only once the run
 * has started: the run ends only if the new host joined it. */
static void
test_slf_edited (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *slf = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *list = NULL;
  g_autofree char *started = NULL;
  g_autofree char *job = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *on_b = NULL;

  if (!need_server ())
    return;
  dir = g_dir_make_tmp ("pm-files-XXXXXX", NULL);
  slf = g_build_filename (dir, "hosts", NULL);
  a = pm_test_sshd_login (server, "127.0.0.1");
  b = pm_test_sshd_login (server, "localhost");
  list = g_strdup_printf ("1/%s\n", a);
  write_file (dir, "hosts", list);
  started = g_build_filename (dir, "started", NULL);
  /* on b: say so; elsewhere: wait (a minute at most) for b to have run a job */
  job = g_strdup_printf ("cd %s && touch started && echo \"$1 $POOL_HOST\" && "
                         "if [ \"$POOL_HOST\" = %s ]; then touch on-b; fi; "
                         "n=0; while [ ! -e on-b ] && [ $n -lt 600 ]; do sleep 0.1; "
                         "n=$((n+1)); done; [ -e on-b ]", dir, b);

  g_ptr_array_add (argv, (char *)g_getenv ("PM_POOL_RUN"));
  g_ptr_array_add (argv, "--ssh");
  g_ptr_array_add (argv, server->ssh);
  g_ptr_array_add (argv, "--slf");
  g_ptr_array_add (argv, slf);
  g_ptr_array_add (argv, "--");
  g_ptr_array_add (argv, "sh");
  g_ptr_array_add (argv, "-c");
  g_ptr_array_add (argv, job);
  g_ptr_array_add (argv, "sh");
  g_ptr_array_add (argv, "{}");
  g_ptr_array_add (argv, ":::");
  g_ptr_array_add (argv, "1");
  g_ptr_array_add (argv, "2");
  g_ptr_array_add (argv, "3");
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  wait_for_file (started);
  g_free (list);
  list = g_strdup_printf ("1/%s\n1/%s\n", a, b);
  write_file (dir, "hosts", list);

  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s, stderr: %s", out, err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  on_b = g_strdup_printf (" %s\n", b);
  g_assert_nonnull (strstr (out, on_b));
  g_assert_nonnull (strstr (err, "added"));
  pm_test_remove_tree (dir);
}

/* The working dir is where GNU parallel puts it, on the same server with the same --wd: an
 * absolute one as it is, a relative one under the login dir (made if missing). */
static void
test_workdir_as_parallel (void)
{
  g_autofree char *parallel = g_find_program_in_path ("parallel");
  g_autofree char *dir = NULL;
  g_autofree char *a = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *made = NULL;

  if (parallel == NULL)
    {
      g_test_skip ("GNU parallel is not installed");
      return;
    }
  if (!need_server ())
    return;
  dir = g_dir_make_tmp ("pm-files-XXXXXX", NULL);
  a = pm_test_sshd_login (server, "127.0.0.1");
  absolute = g_build_filename (dir, "abs", "wd", NULL);
  relative = g_strdup_printf ("pm-files-wd-%d", (int)getpid ());
  made = g_build_filename (g_get_home_dir (), relative, NULL);

  for (guint i = 0; i < 2; i++)
    {
      const char *wd = i == 0 ? absolute : relative;
      g_autofree char *ours = NULL;
      g_autofree char *theirs = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(Result) r = { 0 };

      pool_run (&r, dir, server->ssh, "-S", a, "--wd", wd, "--", "pwd", ":::", "1", NULL);
      g_assert_cmpint (r.status, ==, 0);
      pm_test_remove_tree (i == 0 ? absolute : made);
      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error, parallel, "--will-cite", "--ssh", server->ssh, "-S", a,
                               "--wd", wd, "pwd", ":::", "1", NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, NULL, NULL, &theirs, &err, &error);
      g_assert_no_error (error);
      g_test_message ("parallel --wd %s: %s%s", wd, theirs, err);
      g_assert_cmpstr (r.out, ==, theirs);
      g_assert_true (g_str_has_suffix (theirs, i == 0 ? "/abs/wd\n" : "\n"));
      pm_test_remove_tree (i == 0 ? absolute : made);
    }
  pm_test_remove_tree (dir);
}

/* Waits for @path to hold @text, failing the test after a minute */
static void
wait_for_text (const char *path,
               const char *text)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *now = NULL;

      if (g_file_get_contents (path, &now, NULL, NULL) && strstr (now, text) != NULL)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_usleep (20 * 1000);
    }
}

/* A host no longer listed in the --slf takes no more jobs: the one running there ends, and the
 * jobs after it all run on the other host. */
static void
test_slf_host_removed (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *list = NULL;
  g_autofree char *on_a = NULL;
  g_autofree char *err_path = NULL;
  g_autofree char *job = NULL;
  g_autofree char *slf = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  if (!need_server ())
    return;
  dir = g_dir_make_tmp ("pm-files-XXXXXX", NULL);
  a = pm_test_sshd_login (server, "127.0.0.1");
  b = pm_test_sshd_login (server, "localhost");
  list = g_strdup_printf ("1/%s\n1/%s\n", a, b);
  write_file (dir, "hosts", list);
  slf = g_build_filename (dir, "hosts", NULL);
  on_a = g_build_filename (dir, "on-a", NULL);
  err_path = g_build_filename (dir, "stderr", NULL);
  /* the first jobs wait (a minute at most) for the test to have seen a's removal; then a is
   * free first (b's jobs take a second more), so a job after would go to a if a took any */
  job = g_strdup_printf ("cd %s && echo \"$1 $POOL_HOST\" && "
                         "if [ \"$POOL_HOST\" = %s ]; then touch on-a; fi; "
                         "n=0; while [ ! -e removed ] && [ $n -lt 600 ]; do sleep 0.1; "
                         "n=$((n+1)); done; [ -e removed ] && "
                         "if [ \"$POOL_HOST\" != %s ]; then sleep 1; fi", dir, a, a);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PM_POOL_RUN"),
                                      "--ssh", server->ssh, "--slf", slf, "-k", "--",
                                      "sh", "-c", job, "sh", "{}", ":::", "1", "2", "3", "4",
                                      "5", NULL);
  g_assert_no_error (error);

  wait_for_file (on_a);
  g_free (list);
  list = g_strdup_printf ("1/%s\n", b);
  write_file (dir, "hosts", list);
  wait_for_text (err_path, "removed");
  write_file (dir, "removed", "");

  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s", out);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  /* 1 and 2 ran at once, one on each host; every later job on b */
  for (guint i = 2; i < 5; i++)
    {
      g_autofree char *want = g_strdup_printf ("%u %s", i + 1, b);
      g_assert_cmpstr (lines[i], ==, want);
    }
  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/remote-files/sent-returned-and-cleaned-up", test_transfer_return_cleanup);
  g_test_add_func ("/remote-files/a-basefile-goes-once-to-each-host", test_basefile);
  g_test_add_func ("/remote-files/a-missing-file-fails-the-job-clearly", test_missing_file);
  g_test_add_func ("/remote-files/a-dir-of-its-own-is-removed-after", test_temp_workdir);
  g_test_add_func ("/remote-files/the-joblog-keeps-hosts-and-resumes-across-them",
                   test_joblog_hosts_resume);
  g_test_add_func ("/remote-files/the-working-dir-is-where-gnu-parallel-puts-it",
                   test_workdir_as_parallel);
  g_test_add_func ("/remote-files/a-host-listed-anew-in-the-slf-joins-the-run", test_slf_edited);
  g_test_add_func ("/remote-files/a-host-no-longer-in-the-slf-takes-no-more-jobs",
                   test_slf_host_removed);

  status = g_test_run ();
  g_clear_pointer (&server, pm_test_sshd_free);
  return status;
}
