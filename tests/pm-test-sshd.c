/* pm-test-sshd.c: a real OpenSSH server of the test's own, on 127.0.0.1
 *
 * Each server has its own folder, host key and authorized user key, listens on a free port of
 * 127.0.0.1, and sets XDG_CACHE_HOME for its sessions to a folder of its own, so that the
 * pool-slot the pool copies there lands in the test's folder, not in the user's home. Nothing
 * of the system's ssh configuration is read or touched: the client runs with -F /dev/null and
 * known hosts in /dev/null.
 *
 * The server never holds the test's standard output or error (its log goes to a file), and it
 * dies with the test (PR_SET_PDEATHSIG): a test that aborts on a failed assertion leaves no
 * sshd behind to keep meson waiting on its pipe until the timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-proctree.h"
#include "pm-test-sshd.h"
#include "pm-test-util.h"

#define SSHD "/usr/sbin/sshd"

static void
run_or_fail (const char * const *argv)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

/* In the server's process before it runs: it goes when the test goes, however. (The sessions it
 * forks do not inherit this; they end once their client, the pool under test, is gone.) */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A port nobody listens on now */
static guint
free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *)&addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *)&addr, &len), ==, 0);
  close (fd);
  return ntohs (addr.sin_port);
}

static gboolean
accepts (PmTestSshd *sshd)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (sshd->port),
                              .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  gboolean ok = connect (fd, (struct sockaddr *)&addr, sizeof addr) == 0;

  close (fd);
  if (!ok)
    g_usleep (20 * 1000);
  return ok;
}

/* Whether this machine can run the test's own sshd: it must be root (sshd's privilege
 * separation) and have the server installed. */
gboolean
pm_test_sshd_possible (char **why)
{
  if (!g_file_test (SSHD, G_FILE_TEST_IS_EXECUTABLE))
    *why = g_strdup ("openssh-server is not installed");
  else if (geteuid () != 0)
    *why = g_strdup ("sshd's privilege separation needs root");
  else
    return TRUE;
  return FALSE;
}

/**
 * pm_test_sshd_need:
 * @server: (inout): the server a test program's cases share, %NULL until one needs it
 *
 * Starts the shared server at the first case that needs it. Where this machine cannot run one,
 * the case is skipped (it returns at once on %FALSE).
 */
gboolean
pm_test_sshd_need (PmTestSshd **server)
{
  g_autofree char *why = NULL;

  if (*server != NULL)
    return TRUE;
  if (!pm_test_sshd_possible (&why))
    {
      g_test_skip (why);
      return FALSE;
    }
  *server = pm_test_sshd_start (NULL);
  return TRUE;
}

/**
 * pm_test_sshd_start:
 * @user_key: (nullable): the user key to authorize, or %NULL for a new one (see ->user_key)
 */
PmTestSshd *
pm_test_sshd_start (const char *user_key)
{
  return pm_test_sshd_start_with (user_key, NULL);
}

/**
 * pm_test_sshd_start_with:
 * @user_key: (nullable): as pm_test_sshd_start()'s
 * @extra: (nullable): lines added to its sshd_config ("AllowStreamLocalForwarding no\n")
 */
PmTestSshd *
pm_test_sshd_start_with (const char *user_key,
                         const char *extra)
{
  PmTestSshd *sshd = g_new0 (PmTestSshd, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *authorized = NULL;
  g_autofree char *pub = NULL;
  g_autofree char *pub_path = NULL;
  g_autofree char *log = NULL;

  sshd->dir = g_dir_make_tmp ("pm-sshd-XXXXXX", &error);
  g_assert_no_error (error);
  sshd->cache = g_build_filename (sshd->dir, "cache", NULL);
  g_mkdir (sshd->cache, 0700);
  g_mkdir ("/run/sshd", 0755);
  host_key = g_build_filename (sshd->dir, "host_key", NULL);
  run_or_fail ((const char *[]){ "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key,
                                 NULL });
  if (user_key != NULL)
    {
      sshd->user_key = g_strdup (user_key);
    }
  else
    {
      sshd->user_key = g_build_filename (sshd->dir, "user_key", NULL);
      run_or_fail ((const char *[]){ "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                                     sshd->user_key, NULL });
    }
  pub_path = g_strconcat (sshd->user_key, ".pub", NULL);
  g_file_get_contents (pub_path, &pub, NULL, &error);
  g_assert_no_error (error);
  authorized = g_build_filename (sshd->dir, "authorized_keys", NULL);
  g_file_set_contents (authorized, pub, -1, &error);
  g_assert_no_error (error);

  sshd->port = free_port ();
  log = g_build_filename (sshd->dir, "log", NULL);
  config = g_strdup_printf ("ListenAddress 127.0.0.1\n"
                            "Port %u\n"
                            "HostKey %s\n"
                            "AuthorizedKeysFile %s\n"
                            "PidFile none\n"
                            "StrictModes no\n"
                            "UsePAM no\n"
                            "PasswordAuthentication no\n"
                            "KbdInteractiveAuthentication no\n"
                            "PermitRootLogin prohibit-password\n"
                            "MaxStartups 100\n"
                            "MaxSessions 100\n"
                            "SetEnv XDG_CACHE_HOME=%s\n"
                            "%s",
                            sshd->port, host_key, authorized, sshd->cache,
                            extra != NULL ? extra : "");
  config_path = g_build_filename (sshd->dir, "sshd_config", NULL);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);

    g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
    sshd->proc = g_subprocess_launcher_spawn (launcher, &error, SSHD, "-D", "-f", config_path,
                                              "-E", log, NULL);
    g_assert_no_error (error);
  }
  {
    gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (!accepts (sshd))
      if (g_get_monotonic_time () > give_up)
        g_error ("sshd did not listen on port %u within 30 s", sshd->port);
  }
  sshd->ssh = g_strdup_printf ("ssh -F /dev/null -o StrictHostKeyChecking=no "
                               "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i %s",
                               sshd->user_key);
  return sshd;
}

/* "127.0.0.1:PORT" or "localhost:PORT" */
char *
pm_test_sshd_login (PmTestSshd *sshd,
                    const char *name)
{
  return g_strdup_printf ("%s:%u", name, sshd->port);
}

/* The server and every session of it, at once: as a machine that went away */
void
pm_test_sshd_kill (PmTestSshd *sshd)
{
  GPid master;
  g_autoptr(GArray) procs = NULL;
  g_autoptr(GArray) below = NULL;

  if (sshd->proc == NULL)
    return;
  master = atoi (g_subprocess_get_identifier (sshd->proc));
  procs = pm_proc_snapshot ();
  below = pm_proc_descendants (procs, &master, 1);
  /* The sessions first (the master would start none now that it is stopped). */
  kill (master, SIGSTOP);
  for (guint i = 0; i < below->len; i++)
    {
      PmProc *proc = &g_array_index (below, PmProc, i);
      char comm[64] = "";
      g_autofree char *path = g_strdup_printf ("/proc/%d/comm", proc->pid);
      g_autofree char *text = NULL;

      /* Only sshd's own processes: what runs in a session is the slot's to end. */
      if (g_file_get_contents (path, &text, NULL, NULL))
        g_strlcpy (comm, g_strstrip (text), sizeof comm);
      if (g_str_equal (comm, "sshd"))
        kill (proc->pid, SIGKILL);
    }
  kill (master, SIGKILL);
  g_subprocess_wait (sshd->proc, NULL, NULL);
  g_clear_object (&sshd->proc);
}

void
pm_test_sshd_free (PmTestSshd *sshd)
{
  pm_test_sshd_kill (sshd);
  pm_test_remove_tree (sshd->dir);
  g_free (sshd->dir);
  g_free (sshd->cache);
  g_free (sshd->user_key);
  g_free (sshd->ssh);
  g_free (sshd);
}
