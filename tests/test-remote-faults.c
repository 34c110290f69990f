/* test-remote-faults.c: a remote host that goes away, or a stop, while a job's files move (sent
 * before it with --transfer, brought back after it with --return), over a real OpenSSH server
 * of each test's own (pm-test-sshd.c). pool-run always ends: by itself, with the jobs failed,
 * once the host is gone for good; at once on SIGTERM, and a second SIGTERM cuts short what
 * was still coming back. A pool-run that does not end fails the test by meson's timeout.
 *
 * The files are large (sparse here, whole bytes on the wire) so that they are still moving
 * when the test acts: it waits until the copy shows in the dir that receives it.
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

#include "pm-proctree.h"
#include "pm-test-sshd.h"
#include "pm-test-util.h"

#define BIG_SIZE (256 * 1024 * 1024)

typedef struct
{
  PmTestSshd  *sshd;
  char        *dir;      /* the test's own: the files here, and "there", the --wd there */
  char        *there;
  char        *login;
  char        *tmp;      /* pool-run's TMPDIR, where it makes its private dirs */
  GSubprocess *proc;     /* pool-run, its output in dir/out and dir/err */
} Fixture;

static gboolean
need_sshd (void)
{
  g_autofree char *why = NULL;

  if (!pm_test_sshd_possible (&why))
    {
      g_test_skip (why);
      return FALSE;
    }
  return TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!need_sshd ())
    return;
  /* data: lines for its sshd_config */
  f->sshd = pm_test_sshd_start_with (NULL, data);
  f->dir = g_dir_make_tmp ("pm-faults-XXXXXX", NULL);
  f->there = g_build_filename (f->dir, "there", NULL);
  f->tmp = g_build_filename (f->dir, "tmp", NULL);
  g_assert_cmpint (g_mkdir (f->tmp, 0700), ==, 0);
  f->login = g_strdup_printf ("1/%s:%u", "127.0.0.1", f->sshd->port);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->sshd == NULL)
    return;
  if (f->proc != NULL)
    g_subprocess_force_exit (f->proc);
  g_clear_object (&f->proc);
  g_clear_pointer (&f->sshd, pm_test_sshd_free);
  pm_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->there);
  g_free (f->tmp);
  g_free (f->login);
}

/* A sparse file of BIG_SIZE bytes, in the test's dir */
static void
make_big (Fixture    *f,
          const char *name)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, BIG_SIZE), ==, 0);
  close (fd);
}

/* pool-run in the test's dir, over the test's sshd, with the words up to NULL */
static void
start_pool_run (Fixture    *f,
                const char *first,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *err = g_build_filename (f->dir, "err", NULL);
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, g_strdup (g_getenv ("PM_POOL_RUN")));
  g_ptr_array_add (argv, g_strdup ("--ssh"));
  g_ptr_array_add (argv, g_strdup (f->sshd->ssh));
  g_ptr_array_add (argv, g_strdup ("-S"));
  g_ptr_array_add (argv, g_strdup (f->login));
  g_ptr_array_add (argv, g_strdup ("--wd"));
  g_ptr_array_add (argv, g_strdup (f->there));
  va_start (args, first);
  for (const char *word = first; word != NULL; word = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (word));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_setenv (launcher, "TMPDIR", f->tmp, TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out);
  g_subprocess_launcher_set_stderr_file_path (launcher, err);
  f->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
}

/* Waits for pool-run to end by itself (a hang is meson's timeout): its exit status, and what
 * it said on standard error in *err */
static int
wait_pool_run (Fixture  *f,
               char    **err)
{
  g_autofree char *path = g_build_filename (f->dir, "err", NULL);
  int status;

  g_subprocess_wait (f->proc, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (f->proc));
  status = g_subprocess_get_exit_status (f->proc);
  g_clear_object (&f->proc);
  g_file_get_contents (path, err, NULL, NULL);
  g_test_message ("status %d, stderr: %s", status, *err);
  return status;
}

/* Waits until @dir holds a file whose name contains @part: a copy on its way (rsync's
 * temporary name, or ours) */
static void
wait_for_copy (const char *dir,
               const char *part)
{
  gint64 give_up = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (TRUE)
    {
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        if (strstr (name, part) != NULL)
          return;
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_usleep (10 * 1000);
    }
}

/* The pool-slot processes the sshd's sessions run (copied into its cache dir) */
static GArray *
remote_slots (PmTestSshd *sshd)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *link = g_strdup_printf ("/proc/%s/exe", name);
      g_autofree char *exe = g_file_read_link (link, NULL);
      int pid = atoi (name);

      if (pid > 0 && exe != NULL && g_str_has_prefix (exe, sshd->cache))
        g_array_append_val (pids, pid);
    }
  return pids;
}

static void
wait_for_remote_slot (PmTestSshd *sshd)
{
  gint64 give_up = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (TRUE)
    {
      g_autoptr(GArray) pids = remote_slots (sshd);

      if (pids->len > 0)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_usleep (10 * 1000);
    }
}

/* The host goes (its sshd and sessions killed) while the first job's file goes there: the run
 * ends by itself, every job failed, those that could not go anywhere said so. (A job given
 * back when its slot was lost used to wait in the queue, and the rest in the source, for a
 * host that never came back.) */
static void
test_host_gone_while_sending (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *err = NULL;

  if (f->sshd == NULL)
    return;
  make_big (f, "big");
  start_pool_run (f, "--transfer", "--", "test", "-f", "{}",
                  ":::", "big", "big", "big", "big", NULL);
  wait_for_copy (f->there, "big");
  pm_test_sshd_kill (f->sshd);

  g_assert_cmpint (wait_pool_run (f, &err), ==, 4);
  g_assert_nonnull (strstr (err, "lost host"));
}

/* SIGTERM while the job's file goes there, then its slot's connection lost: the job, which
 * never reached its slot, is cancelled at once with its copy, and the run ends with 255. (It
 * used to be queued again in a pool that was stopping, which then ignored every SIGTERM.) */
static void
test_stop_while_sending (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *sent = NULL;
  g_autoptr(GArray) slots = NULL;

  if (f->sshd == NULL)
    return;
  sent = g_build_filename (f->there, "big", NULL);
  make_big (f, "big");
  start_pool_run (f, "--transfer", "--", "test", "-f", "{}", ":::", "big", NULL);
  wait_for_copy (f->there, "big");
  wait_for_remote_slot (f->sshd);
  g_subprocess_send_signal (f->proc, SIGTERM);
  slots = remote_slots (f->sshd);
  for (guint i = 0; i < slots->len; i++)
    kill (g_array_index (slots, int, i), SIGKILL);

  g_assert_cmpint (wait_pool_run (f, &err), ==, 255);
  g_assert_false (g_file_test (sent, G_FILE_TEST_EXISTS));
}

/* The host goes while the first job's result comes back: the run ends by itself, every job
 * failed, and no result is left here under its name half made. */
static void
test_host_gone_while_returning (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *result = g_build_filename (f->dir, "a.out", NULL);

  if (f->sshd == NULL)
    return;
  start_pool_run (f, "--return", "{}.out", "--", "truncate", "-s", "256M", "{}.out",
                  ":::", "a", "b", "c", NULL);
  wait_for_copy (f->dir, "a.out");
  pm_test_sshd_kill (f->sshd);

  g_assert_cmpint (wait_pool_run (f, &err), ==, 3);
  g_assert_nonnull (strstr (err, "lost host"));
  g_assert_false (g_file_test (result, G_FILE_TEST_EXISTS));
}

/* SIGTERM while the job's result comes back lets it come for the grace period (2 s); a second
 * SIGTERM cuts it short: the job fails with the reason, nothing is left here under the
 * result's name, and the run ends with 255. */
static void
test_stop_while_returning (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *err = NULL;
  g_autofree char *result = g_build_filename (f->dir, "a.out", NULL);

  if (f->sshd == NULL)
    return;
  start_pool_run (f, "--return", "{}.out", "--", "truncate", "-s", "1G", "{}.out",
                  ":::", "a", NULL);
  wait_for_copy (f->dir, "a.out");
  g_subprocess_send_signal (f->proc, SIGTERM);
  g_usleep (100 * 1000);
  g_subprocess_send_signal (f->proc, SIGTERM);

  g_assert_cmpint (wait_pool_run (f, &err), ==, 255);
  g_assert_nonnull (strstr (err, "killed before its files were moved"));
  g_assert_false (g_file_test (result, G_FILE_TEST_EXISTS));
}

/* The private dirs pool-run made in its TMPDIR (pool-run-ssh-*) */
static GStrv
private_dirs (Fixture *f)
{
  g_autoptr(GStrvBuilder) found = g_strv_builder_new ();
  g_autoptr(GDir) dir = g_dir_open (f->tmp, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "pool-run-ssh-"))
      {
        g_autofree char *path = g_build_filename (f->tmp, name, NULL);

        g_strv_builder_add (found, path);
      }
  return g_strv_builder_end (found);
}

/* A private dir as pool-run makes it, its owner file naming @pid started at @start */
static char *
make_private_dir (Fixture    *f,
                  const char *name,
                  GPid        pid,
                  guint64     start)
{
  g_autofree char *base = g_strconcat ("pool-run-ssh-", name, NULL);
  char *path = g_build_filename (f->tmp, base, NULL);
  g_autofree char *owner = g_build_filename (path, "owner", NULL);
  g_autofree char *text = g_strdup_printf ("%d %" G_GUINT64_FORMAT "\n", (int)pid, start);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (owner, text, -1, NULL));
  return path;
}

/* pool-run SIGKILLed while its job runs, its file sent through the shared connection: on the
 * host, every connection to the test's sshd ends, and the job with it. The slot is a channel of
 * the shared connection (to the host's slot server, pool-slot --serve) where the sshd allows
 * stream-local forwarding: one connection; where it does not, the slot logs in by itself: two.
 * (The shared connection used to stay a minute after its last use.) Its private dir, and the
 * socket forwarded there, which it could not remove, the next pool-run removes: only that one,
 * and only because the process that made it is gone. */
static void
test_killed_pool_closes_all (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *small = g_build_filename (f->dir, "small", NULL);
  g_autofree char *live = NULL;
  g_autofree char *reused = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_file = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) stale = NULL;
  PmProc self = { 0 };
  g_autoptr(GArray) procs = NULL;
  g_autoptr(GArray) below = NULL;
  GPid sshd;
  guint sessions = 0;

  if (f->sshd == NULL)
    return;
  g_assert_true (g_file_set_contents (small, "small\n", -1, NULL));
  start_pool_run (f, "--transfer", "--", "sh", "-c", "touch started; exec sleep 600",
                  "sh", "{}", ":::", "small", NULL);
  wait_for_copy (f->there, "started");

  /* the sessions now: the slot's (its job under it), and the shared connection's */
  sshd = atoi (g_subprocess_get_identifier (f->sshd->proc));
  procs = pm_proc_snapshot ();
  below = pm_proc_descendants (procs, &sshd, 1);
  for (guint i = 0; i < below->len; i++)
    sessions += g_array_index (below, PmProc, i).ppid == sshd;
  g_assert_cmpuint (sessions, ==, data != NULL ? 2 : 1);

  g_subprocess_force_exit (f->proc);
  g_subprocess_wait (f->proc, NULL, NULL);
  g_clear_object (&f->proc);
  for (guint i = 0; i < below->len; i++)
    pm_test_wait_gone (g_array_index (below, PmProc, i).pid, 30);

  /* Its private dir could not go with it; the next pool-run removes it, and only such. */
  stale = private_dirs (f);
  g_assert_cmpuint (g_strv_length (stale), ==, 1);
  g_assert_true (pm_proc_read (getpid (), &self));
  live = make_private_dir (f, "live", self.pid, self.start);
  /* a PID the system gave again: not the process that made the dir */
  reused = make_private_dir (f, "reused", self.pid, self.start + 1);
  /* its owner gone, but it holds what is not ours to remove */
  kept = make_private_dir (f, "kept", self.pid, self.start + 1);
  kept_file = g_build_filename (kept, "data", NULL);
  g_assert_true (g_file_set_contents (kept_file, "", 0, NULL));

  start_pool_run (f, "--", "true", ":::", "again", NULL);
  g_assert_cmpint (wait_pool_run (f, &err), ==, 0);
  g_assert_false (g_file_test (stale[0], G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (reused, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (kept_file, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&stale, g_strfreev);
  stale = private_dirs (f);
  g_assert_cmpuint (g_strv_length (stale), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  g_test_add ("/remote-faults/a-host-gone-while-a-file-goes-there-ends-the-run", Fixture, NULL,
              fixture_set_up, test_host_gone_while_sending, fixture_tear_down);
  g_test_add ("/remote-faults/a-stop-while-a-file-goes-there-ends-the-run", Fixture, NULL,
              fixture_set_up, test_stop_while_sending, fixture_tear_down);
  g_test_add ("/remote-faults/a-host-gone-while-a-result-comes-back-ends-the-run", Fixture,
              NULL, fixture_set_up, test_host_gone_while_returning, fixture_tear_down);
  g_test_add ("/remote-faults/a-second-stop-cuts-short-a-result-coming-back", Fixture, NULL,
              fixture_set_up, test_stop_while_returning, fixture_tear_down);

  g_test_add ("/remote-faults/a-killed-pool-leaves-no-session-open-and-the-next-removes-its-dir",
              Fixture, NULL, fixture_set_up, test_killed_pool_closes_all, fixture_tear_down);
  g_test_add ("/remote-faults/without-stream-local-forwarding-a-slot-logs-in-and-a-killed-pool-"
              "leaves-no-session-open-and-the-next-removes-its-dir", Fixture,
              "AllowStreamLocalForwarding no\n", fixture_set_up, test_killed_pool_closes_all,
              fixture_tear_down);

  return g_test_run ();
}
