/* test-remote.c: remote slots over a real OpenSSH server of the test's own (pm-test-sshd.c),
 * reached as two hosts, 127.0.0.1 and localhost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-host.h"
#include "pm-proctree.h"
#include "pm-test-sshd.h"
#include "pm-test-util.h"

static PmTestSshd *server;

/* The joblog's lines after its header, each split in its columns */
static GPtrArray *
read_joblog (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], "\t", -1));
  return rows;
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PmHost) host = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  const char * const *argv;
  guint n;
  const char *bad[] = { "0/host", "host:22x", "", "3/", "user@", "ssh -p 'x host" };

  host = pm_host_parse ("8/alice@example.org:2222", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pm_host_get_login (host), ==, "alice@example.org:2222");
  g_assert_cmpuint (pm_host_get_slots (host), ==, 8);
  g_assert_true (pm_host_has_given_slots (host));
  g_assert_false (pm_host_is_local (host));
  argv = pm_host_get_ssh_argv (host);
  n = g_strv_length ((char **)argv);
  g_assert_cmpstr (argv[0], ==, "ssh");
  g_assert_cmpstr (argv[n - 3], ==, "-p");
  g_assert_cmpstr (argv[n - 2], ==, "2222");
  g_assert_cmpstr (argv[n - 1], ==, "alice@example.org");
  g_clear_object (&host);

  host = pm_host_parse ("2/ssh -p 2200 -i 'my key' server", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pm_host_get_login (host), ==, "ssh -p 2200 -i 'my key' server");
  argv = pm_host_get_ssh_argv (host);
  n = g_strv_length ((char **)argv);
  g_assert_cmpstr (argv[n - 1], ==, "server");
  g_assert_cmpstr (argv[n - 2], ==, "my key");
  g_assert_cmpuint (pm_host_get_slots (host), ==, 2);
  g_clear_object (&host);

  host = pm_host_parse ("web", "/usr/bin/ssh -o Compression=yes", &error);
  g_assert_no_error (error);
  argv = pm_host_get_ssh_argv (host);
  g_assert_cmpstr (argv[0], ==, "/usr/bin/ssh");
  g_assert_cmpstr (argv[g_strv_length ((char **)argv) - 1], ==, "web");
  g_assert_cmpuint (pm_host_get_slots (host), ==, 0);
  g_assert_false (pm_host_has_given_slots (host));
  g_clear_object (&host);

  hosts = pm_host_parse_list ((const char *[]){ "4/:,a", "b,a", NULL }, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hosts->len, ==, 3);
  g_assert_true (pm_host_is_local (g_ptr_array_index (hosts, 0)));
  g_assert_cmpstr (pm_host_get_login (g_ptr_array_index (hosts, 0)), ==, ":");
  g_assert_cmpuint (pm_host_get_slots (g_ptr_array_index (hosts, 0)), ==, 4);
  g_assert_cmpstr (pm_host_get_login (g_ptr_array_index (hosts, 2)), ==, "b");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;

      g_assert_null (pm_host_parse (bad[i], NULL, &bad_error));
      g_assert_error (bad_error, PM_HOST_ERROR, PM_HOST_ERROR_SYNTAX);
    }
}

/* Jobs go to both hosts (from --slf), each job's Host is the host it ran on, and POOL_HOST
 * says the same to the job. */
static void
test_spread (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *slf = NULL;
  g_autofree char *joblog = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *list = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;
  g_auto(PmTestResult) r = { 0 };
  gboolean on_a = FALSE, on_b = FALSE;

  if (!pm_test_sshd_need (&server))
    return;
  dir = g_dir_make_tmp ("pm-remote-XXXXXX", NULL);
  a = pm_test_sshd_login (server, "127.0.0.1");
  b = pm_test_sshd_login (server, "localhost");
  list = g_strdup_printf ("# two names of one machine\n2/%s\n\n2/%s\n", a, b);
  slf = g_build_filename (dir, "hosts", NULL);
  g_file_set_contents (slf, list, -1, NULL);
  joblog = g_build_filename (dir, "joblog", NULL);

  pm_test_run_pool_run (&r, NULL, server->ssh, "--slf", slf, "--joblog", joblog, "--",
                        "sh", "-c", "echo \"{} $POOL_HOST\"",
                        ":::", "1", "2", "3", "4", "5", "6", "7", "8", NULL);
  g_assert_cmpint (r.status, ==, 0);

  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 9);
  for (guint i = 0; i < 8; i++)
    {
      char **words = g_strsplit (lines[i], " ", 2);

      g_assert_nonnull (words[1]);
      g_hash_table_insert (said, words[0], words[1]);
      g_free (words);
    }

  rows = read_joblog (joblog);
  g_assert_cmpuint (rows->len, ==, 8);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      g_assert_cmpstr (row[6], ==, "0");
      g_assert_cmpstr (row[1], ==, g_hash_table_lookup (said, row[0]));
      on_a |= g_str_equal (row[1], a);
      on_b |= g_str_equal (row[1], b);
    }
  g_assert_true (on_a && on_b);
  pm_test_remove_tree (dir);
}

/* What a remote job writes comes back byte for byte, its stderr on stderr */
static void
test_bytes (void)
{
  g_autofree char *login = NULL;
  g_autofree char *a = NULL;
  g_autofree char *child = g_strdup (pm_test_child ());
  g_auto(PmTestResult) r = { 0 };
  g_auto(PmTestResult) d = { 0 };

  if (!pm_test_sshd_need (&server))
    return;
  login = pm_test_sshd_login (server, "127.0.0.1");
  a = g_strdup_printf ("1/%s", login);
  pm_test_run_pool_run (&r, NULL, server->ssh, "-S", a, "--", child, "bytes", "{}", "eprint",
                        "to stderr", ":::", "300000", NULL);
  g_assert_cmpint (r.status, ==, 0);
  pm_test_run_argv (&d, NULL, NULL, NULL, (const char *[]){ child, "bytes", "300000", NULL });
  g_assert_cmpuint (r.out_len, ==, 300000);
  g_assert_cmpmem (r.out, r.out_len, d.out, d.out_len);
  g_assert_nonnull (strstr (r.err, "to stderr\n"));
}

/* --results over this machine and a host: each job's files hold its bytes, whether it wrote
 * them itself (here) or they came back through its slot (there) */
static void
test_results (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-remote-results-XXXXXX", NULL);
  g_autofree char *joblog = g_build_filename (dir, "joblog.tsv", NULL);
  g_autofree char *login = NULL;
  g_autofree char *hosts = NULL;
  g_autofree char *child = g_strdup (pm_test_child ());
  g_autoptr(GPtrArray) rows = NULL;
  const char *sizes[] = { "100000", "200001", "300002", "400003" };
  gboolean here = FALSE, there = FALSE;
  g_auto(PmTestResult) r = { 0 };

  if (!pm_test_sshd_need (&server))
    return;
  login = pm_test_sshd_login (server, "127.0.0.1");
  hosts = g_strdup_printf ("1/%s,1/:", login);
  pm_test_run_pool_run (&r, dir, server->ssh, "-S", hosts, "--joblog", joblog, "--results",
                        "res", "--", child, "bytes", "{}", "eprint", "to stderr", ":::",
                        sizes[0], sizes[1], sizes[2], sizes[3], NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (r.out_len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *out = g_build_filename (dir, "res", "1", sizes[i], "stdout", NULL);
      g_autofree char *err = g_build_filename (dir, "res", "1", sizes[i], "stderr", NULL);
      g_autofree char *got = NULL;
      g_autofree char *got_err = NULL;
      g_auto(PmTestResult) d = { 0 };
      gsize len;

      pm_test_run_argv (&d, NULL, NULL, NULL,
                        (const char *[]){ child, "bytes", sizes[i], NULL });
      g_assert_true (g_file_get_contents (out, &got, &len, NULL));
      g_assert_true (g_file_get_contents (err, &got_err, NULL, NULL));
      g_assert_cmpmem (got, len, d.out, d.out_len);
      g_assert_cmpstr (got_err, ==, "to stderr\n");
    }
  rows = read_joblog (joblog);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (sizes));
  for (guint i = 0; i < rows->len; i++)
    {
      const char *host = ((char **)rows->pdata[i])[1];

      here |= strcmp (host, ":") == 0;
      there |= strcmp (host, login) == 0;
    }
  g_assert_true (here && there);
  pm_test_remove_tree (dir);
}

static GBytes *
cached_slot (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *pool_dir = g_build_filename (server->cache, "pool-monitor", NULL);
  const char *name;
  char *contents = NULL;
  gsize length = 0;

  if (!(dir = g_dir_open (pool_dir, 0, NULL)))
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "pool-slot-"))
      {
        g_autofree char *path = g_build_filename (pool_dir, name, NULL);

        g_file_get_contents (path, &contents, &length, NULL);
        return g_bytes_new_take (contents, length);
      }
  return NULL;
}

static void
overwrite_cached_slot (const char *with)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *pool_dir = g_build_filename (server->cache, "pool-monitor", NULL);
  const char *name;

  dir = g_dir_open (pool_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "pool-slot-"))
      {
        g_autofree char *path = g_build_filename (pool_dir, name, NULL);

        g_assert_true (g_file_set_contents (path, with, -1, NULL));
      }
}

/* pool-slot is copied when the host lacks it, and again when its copy differs from ours */
static void
test_copy (void)
{
  g_autofree char *local = NULL;
  g_autofree char *pool_dir = NULL;
  g_autoptr(GBytes) ours = NULL;
  gsize length;

  if (!pm_test_sshd_need (&server))
    return;
  pool_dir = g_build_filename (server->cache, "pool-monitor", NULL);
  pm_test_remove_tree (pool_dir);
  g_assert_true (g_file_get_contents (g_getenv ("PM_POOL_SLOT"), &local, &length, NULL));
  ours = g_bytes_new_static (local, length);

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *login = pm_test_sshd_login (server, "127.0.0.1");
      g_autofree char *a = g_strdup_printf ("1/%s", login);
      g_autoptr(GBytes) there = NULL;
      g_auto(PmTestResult) r = { 0 };

      if (round == 1)
        overwrite_cached_slot ("#!/bin/sh\necho stale\n");
      pm_test_run_pool_run (&r, NULL, server->ssh, "-S", a, "--", "true", ":::", "1", "2", NULL);
      g_assert_cmpint (r.status, ==, 0);
      there = cached_slot ();
      g_assert_nonnull (there);
      g_assert_true (g_bytes_equal (there, ours));
    }
}

/* A host that refuses the connection is down with ssh's reason; the jobs run on the other.
 * With no host left, a one-line error and status 255. */
static void
test_unreachable (void)
{
  g_autofree char *login = NULL;
  g_autofree char *hosts = NULL;
  g_autofree char *closed = NULL;
  g_auto(PmTestResult) r = { 0 };
  g_auto(PmTestResult) none = { 0 };
  guint port;

  if (!pm_test_sshd_need (&server))
    return;
  {
    /* a port of a server that was there and is gone */
    PmTestSshd *gone = pm_test_sshd_start (server->user_key);

    port = gone->port;
    pm_test_sshd_free (gone);
  }
  closed = g_strdup_printf ("127.0.0.1:%u", port);
  login = pm_test_sshd_login (server, "127.0.0.1");
  hosts = g_strdup_printf ("1/%s,1/%s", login, closed);
  pm_test_run_pool_run (&r, NULL, server->ssh, "-S", hosts, "--", "true", ":::", "1", "2", "3",
                        NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, closed));
  g_assert_nonnull (strstr (r.err, "Connection refused"));

  pm_test_run_pool_run (&none, NULL, server->ssh, "-S", closed, "--", "true", ":::", "1", NULL);
  g_assert_cmpint (none.status, ==, 255);
  g_assert_nonnull (strstr (none.err, "Connection refused"));
  /* one line */
  g_assert_cmpuint (strlen (none.err), >, 0);
  g_assert_true (strchr (none.err, '\n') == none.err + strlen (none.err) - 1);
}

/* A key the host does not know: down, with ssh's "Permission denied" */
static void
test_refused_key (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *ssh = NULL;
  g_autofree char *login = NULL;
  g_autoptr(GSubprocess) keygen = NULL;
  g_auto(PmTestResult) r = { 0 };

  if (!pm_test_sshd_need (&server))
    return;
  dir = g_dir_make_tmp ("pm-remote-XXXXXX", NULL);
  key = g_build_filename (dir, "stranger", NULL);
  keygen = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, NULL, "ssh-keygen", "-q", "-t",
                             "ed25519", "-N", "", "-f", key, NULL);
  g_assert_true (g_subprocess_wait_check (keygen, NULL, NULL));
  ssh = g_strdup_printf ("ssh -F /dev/null -o StrictHostKeyChecking=no "
                         "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i %s", key);
  login = pm_test_sshd_login (server, "127.0.0.1");
  pm_test_run_pool_run (&r, NULL, ssh, "-S", login, "true", ":::", "1", NULL);
  g_assert_cmpint (r.status, ==, 255);
  g_assert_nonnull (strstr (r.err, "Permission denied"));
  pm_test_remove_tree (dir);
}

/* Reads pool-run's output until @n lines start with @prefix; the numbers after it */
static GArray *
read_pids (GDataInputStream *in,
           const char       *prefix,
           guint             n)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));

  while (pids->len < n)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, prefix))
        {
          int pid = atoi (line + strlen (prefix));

          g_array_append_val (pids, pid);
        }
    }
  return pids;
}

/* pool-run SIGKILLed: each remote slot sees its ssh connection close and ends its job's group,
 * grandchildren that ignore SIGTERM included. (The "remote" host is this machine, so its
 * processes can be looked at here.) */
static void
test_pool_killed (void)
{
  g_autofree char *login = NULL;
  g_autofree char *hosts = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GArray) children = NULL;
  g_autoptr(GError) error = NULL;

  if (!pm_test_sshd_need (&server))
    return;
  login = pm_test_sshd_login (server, "127.0.0.1");
  hosts = g_strdup_printf ("2/%s", login);
  argv = pm_test_pool_run_argv (server->ssh, "-S", hosts, "--", pm_test_child (), "ignore-term",
                                "child", "60000", "sleep", "60000", "eprint", "{}", ":::", "1", "2",
                                NULL);
  proc = g_subprocess_newv ((const char * const *)argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  children = read_pids (in, "child=", 2);

  g_subprocess_send_signal (proc, SIGKILL);
  g_subprocess_wait (proc, NULL, NULL);
  for (guint i = 0; i < children->len; i++)
    pm_test_wait_gone (g_array_index (children, int, i), 30);
}

/* How many children of @pid are slot processes: a slot's own login (ssh … pool-slot-HASH), or
 * a local relay to a host's slot server (pool-slot --connect SOCKET, as slots served there used
 * to be). Not the server's session (pool-slot-HASH --serve). A slot served by its host's slot
 * server is a socket of the pool: no process. */
static guint
count_slot_processes (GPid pid)
{
  g_autoptr(GArray) procs = pm_proc_snapshot ();
  guint n = 0;

  for (guint i = 0; i < procs->len; i++)
    {
      PmProc *proc = &g_array_index (procs, PmProc, i);
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize length;

      if (proc->ppid != pid)
        continue;
      path = g_strdup_printf ("/proc/%d/cmdline", (int)proc->pid);
      if (!g_file_get_contents (path, &cmdline, &length, NULL) || length == 0)
        continue;
      /* its words, NUL-separated, as one line */
      for (gsize j = 0; j + 1 < length; j++)
        if (cmdline[j] == '\0')
          cmdline[j] = ' ';
      if (strstr (cmdline, "pool-slot") != NULL && strstr (cmdline, "--serve") == NULL)
        n++;
    }
  return n;
}

/* A host lost mid-run (its sshd and sessions killed): its running job fails with "lost host",
 * it is retried on the other host, the run ends, and nothing of the lost job is left. The job
 * waits only on the host that is to be lost, so that it is surely running there. @data: lines
 * for the lost host's sshd_config; with "AllowStreamLocalForwarding no" its slot logs in by
 * itself, and it is that login that is lost rather than a channel of the shared connection. */
static void
test_lost_host (gconstpointer data)
{
  PmTestSshd *doomed;
  g_autofree char *login = NULL;
  g_autofree char *hosts = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *joblog = NULL;
  g_autofree char *lost_login = NULL;
  g_autofree char *script = NULL;
  g_autofree char *mark = NULL;
  g_autofree char *other_mark = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autofree char *err_text = NULL;
  gboolean failed_there = FALSE;
  gboolean other_ran = FALSE;
  guint succeeded = 0;
  int lost_pid = 0;

  if (!pm_test_sshd_need (&server))
    return;
  doomed = pm_test_sshd_start_with (server->user_key, data);
  lost_login = pm_test_sshd_login (doomed, "127.0.0.1");
  login = pm_test_sshd_login (server, "127.0.0.1");
  hosts = g_strdup_printf ("1/%s,1/%s", lost_login, login);
  dir = g_dir_make_tmp ("pm-remote-XXXXXX", NULL);
  joblog = g_build_filename (dir, "joblog", NULL);
  script = g_strdup_printf ("echo \"$POOL_HOST pid=$$\"; "
                            "if [ \"$POOL_HOST\" = %s ]; then exec sleep 60; fi", lost_login);
  argv = pm_test_pool_run_argv (server->ssh, "-S", hosts, "--retries", "3", "--joblog", joblog,
                                "--", "sh", "-c", script, "{}", ":::", "1", "2", "3", "4", NULL);
  proc = g_subprocess_newv ((const char * const *)argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  mark = g_strconcat (lost_login, " pid=", NULL);
  other_mark = g_strconcat (login, " pid=", NULL);
  while (lost_pid == 0 || !other_ran)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, mark))
        lost_pid = atoi (line + strlen (mark));
      other_ran |= g_str_has_prefix (line, other_mark);
    }
  /* Both slots run: the other host's is a channel, a socket of the pool's with no process
   * here; the lost host's too, unless its sshd refuses the forwarding: then it is an ssh of
   * its own. */
  g_assert_cmpuint (count_slot_processes (atoi (g_subprocess_get_identifier (proc))), ==,
                    data == NULL ? 0 : 1);

  pm_test_sshd_kill (doomed);

  /* the rest of the output, then the end */
  while (TRUE)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        break;
    }
  err = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (proc), 65536, NULL, &error);
  g_assert_no_error (error);
  err_text = g_strdup_printf ("%.*s", (int)g_bytes_get_size (err),
                              (const char *)g_bytes_get_data (err, NULL));
  g_subprocess_wait (proc, NULL, NULL);
  g_test_message ("stderr: %s", err_text);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_nonnull (strstr (err_text, "lost host"));

  rows = read_joblog (joblog);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      if (g_str_equal (row[1], lost_login) && !g_str_equal (row[6], "0"))
        failed_there = TRUE;
      if (g_str_equal (row[6], "0"))
        {
          g_assert_cmpstr (row[1], ==, login);
          succeeded++;
        }
    }
  g_assert_true (failed_there);
  g_assert_cmpuint (succeeded, ==, 4);
  pm_test_wait_gone (lost_pid, 30);

  pm_test_sshd_free (doomed);
  pm_test_remove_tree (dir);
}

typedef struct
{
  char     *forwarding;   /* made by the ssh wrapper when it asks for the forward */
  char     *forwarded;    /* made when the master answered */
  guint     ticks;        /* timeouts that fired in between */
  gboolean  prepared;
} Forward;

static gboolean
forward_tick_cb (gpointer user_data)
{
  Forward *f = user_data;

  if (g_file_test (f->forwarding, G_FILE_TEST_EXISTS) &&
      !g_file_test (f->forwarded, G_FILE_TEST_EXISTS))
    f->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
forward_prepared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Forward *f = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (pm_host_prepare_finish (PM_HOST (object), result, &error));
  g_assert_no_error (error);
  f->prepared = TRUE;
}

/* The shared connection's forward to the host's slot server (ssh -O forward, a short ssh
 * command) is waited for without blocking the main loop: a timeout source fires while it runs.
 * The ssh here is a wrapper that marks the forward's start and end, and makes it last a second
 * so that the loop has the time to turn. (It used to be g_spawn_sync () in the main loop.) */
static void
test_forward_async (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *wrapper = NULL;
  g_autofree char *script = NULL;
  g_autofree char *real_ssh = g_find_program_in_path ("ssh");
  g_autofree char *command = NULL;
  g_autofree char *login = NULL;
  g_autoptr(PmHost) host = NULL;
  g_autoptr(GError) error = NULL;
  Forward f = { 0 };
  gint64 give_up;
  guint tick;

  if (!pm_test_sshd_need (&server))
    return;
  dir = g_dir_make_tmp ("pm-remote-XXXXXX", NULL);
  f.forwarding = g_build_filename (dir, "forwarding", NULL);
  f.forwarded = g_build_filename (dir, "forwarded", NULL);
  wrapper = g_build_filename (dir, "ssh", NULL);
  script = g_strdup_printf ("#!/bin/sh\n"
                            "case \" $* \" in\n"
                            "  *' forward '*)\n"
                            "    touch '%s'; sleep 1; '%s' \"$@\"; s=$?; touch '%s'; exit $s;;\n"
                            "esac\n"
                            "exec '%s' \"$@\"\n",
                            f.forwarding, real_ssh, f.forwarded, real_ssh);
  g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
  g_assert_cmpint (g_chmod (wrapper, 0755), ==, 0);
  g_assert_true (g_str_has_prefix (server->ssh, "ssh "));
  command = g_strconcat (wrapper, server->ssh + strlen ("ssh"), NULL);
  login = pm_test_sshd_login (server, "127.0.0.1");
  host = pm_host_parse (login, command, &error);
  g_assert_no_error (error);

  tick = g_timeout_add (10, forward_tick_cb, &f);
  pm_host_prepare_async (host, g_getenv ("PM_POOL_SLOT"), NULL, forward_prepared_cb, &f);
  give_up = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!f.prepared)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);

  /* the forward was asked for, and answered, and the loop turned meanwhile */
  g_assert_true (g_file_test (f.forwarded, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (f.ticks, >, 0);
  pm_host_close_shared (host);
  g_free (f.forwarding);
  g_free (f.forwarded);
  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/remote/sshlogins-are-read-as-gnu-parallel-writes-them", test_parse);
  g_test_add_func ("/remote/jobs-spread-over-two-hosts-each-logged-with-its-host", test_spread);
  g_test_add_func ("/remote/output-comes-back-byte-for-byte", test_bytes);
  g_test_add_func ("/remote/results-files-hold-every-job-s-bytes-here-and-there", test_results);
  g_test_add_func ("/remote/pool-slot-is-copied-when-missing-or-stale", test_copy);
  g_test_add_func ("/remote/an-unreachable-host-is-down-and-the-others-run", test_unreachable);
  g_test_add_func ("/remote/a-refused-key-is-said", test_refused_key);
  g_test_add_func ("/remote/a-killed-pool-leaves-nothing-on-the-host", test_pool_killed);
  g_test_add_data_func ("/remote/a-lost-host-fails-its-jobs-and-the-run-goes-on", NULL,
                        test_lost_host);
  g_test_add_data_func ("/remote/without-stream-local-forwarding-a-lost-host-fails-its-jobs-and-"
                        "the-run-goes-on", "AllowStreamLocalForwarding no\n", test_lost_host);
  g_test_add_func ("/remote/the-forward-to-the-slot-server-leaves-the-main-loop-running",
                   test_forward_async);

  status = g_test_run ();
  g_clear_pointer (&server, pm_test_sshd_free);
  return status;
}
