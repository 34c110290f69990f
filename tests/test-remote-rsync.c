/* test-remote-rsync.c: how files go to and from a remote host (pm-host-run.c), over a real
 * OpenSSH server of the test's own (pm-test-sshd.c): with rsync where it is on both ends, else
 * with cat alone; either way byte for byte, where GNU parallel puts them, through one shared
 * connection per host that is closed at the end of the run.
 *
 * The ssh command is a wrapper named ssh (so that the pool treats it as ssh) that writes each
 * command line it is given to a log, then runs the real ssh. Given a dir in HIDE, it runs every
 * remote command of ours ("exec /bin/sh -c …") with that dir as its PATH: a dir holding a link
 * to each program of /usr/bin but rsync, i.e. a host without rsync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-test-sshd.h"
#include "pm-test-util.h"

static PmTestSshd *server;

static gboolean
have (const char *program)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed", program);
      g_test_skip (why);
    }
  return path != NULL;
}

/* The logging ssh wrapper in @dir/bin/ssh (see the top); returns the --ssh command */
static char *
wrapper_ssh (const char *dir,
             const char *log,
             const char *hide)
{
  g_autofree char *bin = g_build_filename (dir, "bin", NULL);
  g_autofree char *path = g_build_filename (bin, "ssh", NULL);
  g_autofree char *quoted_log = g_shell_quote (log);
  g_autofree char *quoted_hide = g_shell_quote (hide != NULL ? hide : "");
  g_autofree char *script = NULL;

  g_mkdir_with_parents (bin, 0700);
  script = g_strdup_printf ("#!/bin/sh\n"
                            "printf '%%s\\n' \"$*\" >>%s\n"
                            "hide=%s n=$# i=0\n"
                            "for a; do\n"
                            "  i=$((i + 1))\n"
                            "  if [ $i -eq $n ] && [ -n \"$hide\" ]; then\n"
                            "    case $a in \"exec \"*) a=\"PATH=$hide; export PATH; $a\";; esac\n"
                            "  fi\n"
                            "  set -- \"$@\" \"$a\"\n"
                            "done\n"
                            "shift $n\n"
                            "exec /usr/bin/ssh \"$@\"\n", quoted_log, quoted_hide);
  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  g_chmod (path, 0755);
  /* the server's ssh command, the program being the wrapper */
  g_assert_true (g_str_has_prefix (server->ssh, "ssh "));
  return g_strconcat (path, server->ssh + strlen ("ssh"), NULL);
}

/* A dir with a link to each program of /usr/bin but rsync */
static char *
without_rsync (const char *dir)
{
  g_autofree char *bin = g_build_filename (dir, "norsync", NULL);
  g_autoptr(GDir) usr = g_dir_open ("/usr/bin", 0, NULL);
  const char *name;

  g_assert_nonnull (usr);
  g_mkdir_with_parents (bin, 0700);
  while ((name = g_dir_read_name (usr)) != NULL)
    {
      g_autofree char *target = g_build_filename ("/usr/bin", name, NULL);
      g_autofree char *link = g_build_filename (bin, name, NULL);

      if (!g_str_equal (name, "rsync"))
        g_assert_cmpint (symlink (target, link), ==, 0);
    }
  return g_steal_pointer (&bin);
}

/* Random bytes, every value among them, in @dir/@name */
static GBytes *
write_random (const char *dir,
              const char *name,
              gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (size);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = i < 256 ? (guint8)i : (guint8)g_rand_int_range (rand, 0, 256);
  g_mkdir_with_parents (parent, 0700);
  g_assert_true (g_file_set_contents (path, (char *)data, size, NULL));
  return g_bytes_new_take (data, size);
}

/* The dir of the shared connection's socket, as the log shows it, or NULL */
static char *
control_dir (const char *log)
{
  g_autofree char *text = NULL;
  const char *at;

  if (!g_file_get_contents (log, &text, NULL, NULL) ||
      (at = strstr (text, "ControlPath=")) == NULL)
    return NULL;
  at += strlen ("ControlPath=");
  return g_strndup (at, strstr (at, "/cm ") - at);
}

enum { BOTH, HOST_LACKS, HERE_LACKS };

/* Two jobs, two files sent and one brought back each, with --wd and without --cleanup: the
 * files are byte for byte there and here, moved with rsync or cat as @where says, through one
 * shared connection that is closed once pool-run is over. */
static void
check_files (gconstpointer data)
{
  int where = GPOINTER_TO_INT (data);
  g_autofree char *dir = NULL;
  g_autofree char *log = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *ssh = NULL;
  g_autofree char *there = NULL;
  g_autofree char *login = NULL;
  g_autofree char *shared = NULL;
  g_autoptr(GBytes) one = NULL;
  g_autoptr(GBytes) two = NULL;
  g_autoptr(GBytes) base = NULL;
  g_auto(PmTestResult) r = { 0 };
  const char *job = "cat base.bin \"$1\" \"sub dir/two.bin\" >\"$1.out\"";

  if (!pm_test_sshd_need (&server) || !have ("rsync"))
    return;
  dir = g_dir_make_tmp ("pm-rsync-XXXXXX", NULL);
  log = g_build_filename (dir, "ssh.log", NULL);
  hidden = without_rsync (dir);
  ssh = wrapper_ssh (dir, log, where == HOST_LACKS ? hidden : NULL);
  there = g_build_filename (dir, "there", NULL);
  login = pm_test_sshd_login (server, "127.0.0.1");
  one = write_random (dir, "in/one.bin", 70000);
  two = write_random (dir, "sub dir/two.bin", 1000);
  base = write_random (dir, "base.bin", 3000);

  {
    g_autofree char *hosts = g_strdup_printf ("1/%s", login);
    const char *argv[] = { g_getenv ("PM_POOL_RUN"), "--ssh", ssh, "-S", hosts, "--wd", there,
                           "--basefile", "base.bin", "--transfer", "--tf", "sub dir/two.bin",
                           "--return", "{}.out", "--", "sh", "-c", job, "sh", ":::",
                           "in/one.bin", "sub dir/two.bin", NULL };

    pm_test_run_argv (&r, dir, where == HERE_LACKS ? hidden : NULL, NULL, argv);
  }
  g_assert_cmpint (r.status, ==, 0);

  /* there: what was sent, byte for byte */
  {
    g_autofree char *sent_one = g_build_filename (there, "in/one.bin", NULL);
    g_autofree char *sent_two = g_build_filename (there, "sub dir/two.bin", NULL);
    g_autofree char *sent_base = g_build_filename (there, "base.bin", NULL);

    g_assert_true (pm_test_file_has_bytes (sent_one, one));
    g_assert_true (pm_test_file_has_bytes (sent_two, two));
    g_assert_true (pm_test_file_has_bytes (sent_base, base));
  }
  /* here: what came back, the three inputs end to end */
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "in/one.bin.out" : "sub dir/two.bin.out";
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GByteArray) want = g_byte_array_new ();

      g_byte_array_append (want, g_bytes_get_data (base, NULL), g_bytes_get_size (base));
      g_byte_array_append (want, g_bytes_get_data (i == 0 ? one : two, NULL),
                           g_bytes_get_size (i == 0 ? one : two));
      g_byte_array_append (want, g_bytes_get_data (two, NULL), g_bytes_get_size (two));
      {
        g_autoptr(GBytes) wanted = g_byte_array_free_to_bytes (g_steal_pointer (&want));
        g_assert_true (pm_test_file_has_bytes (path, wanted));
      }
    }

  /* rsync ran there (its server's command line went through our ssh) only when on both ends:
   * the basefile, two files sent and one back per job */
  if (where == BOTH)
    g_assert_cmpuint (pm_test_file_count_lines (log, "rsync --server"), ==, 1 + 2 * 3);
  else
    g_assert_cmpuint (pm_test_file_count_lines (log, "rsync --server"), ==, 0);

  /* the file runs shared one connection, closed at the end with its dir */
  shared = control_dir (log);
  g_assert_nonnull (shared);
  g_assert_cmpuint (pm_test_file_count_lines (log, "-O exit"), ==, 1);
  g_assert_false (g_file_test (shared, G_FILE_TEST_EXISTS));

  pm_test_remove_tree (dir);
}

/* GNU parallel (which needs rsync for these) puts the same files in the same places there and
 * here, on the same server with the same --wd: the arguments sent, what the jobs made brought
 * back (without --cleanup, so that what is left there can be compared too) */
static void
test_as_parallel (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *login = NULL;
  char *listing[2] = { NULL, NULL };
  const char *job = "tac <\"$1\" >\"$1.out\"";

  if (!pm_test_sshd_need (&server) || !have ("rsync") || !have ("parallel"))
    return;
  dir = g_dir_make_tmp ("pm-rsync-XXXXXX", NULL);
  login = pm_test_sshd_login (server, "127.0.0.1");

  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *top = g_build_filename (dir, k == 0 ? "ours" : "theirs", NULL);
      g_autofree char *there = g_build_filename (top, "there", NULL);
      g_autofree char *hosts = g_strdup_printf ("1/%s", login);
      g_auto(PmTestResult) r = { 0 };
      g_auto(PmTestResult) listed = { 0 };
      const char *ours[] = { g_getenv ("PM_POOL_RUN"), "--ssh", server->ssh, "-S", hosts,
                             "--wd", there, "--transfer", "--return", "{}.out", "--", "sh",
                             "-c", job, "sh", ":::", "a/one.txt", "two.txt", NULL };
      const char *theirs[] = { "parallel", "--will-cite", "-q", "--ssh", server->ssh, "-S",
                               hosts, "--wd", there, "--transfer", "--return", "{}.out", "sh",
                               "-c", job, "sh", ":::", "a/one.txt", "two.txt", NULL };
      const char *list[] = { "sh", "-c", "find . -type f | LC_ALL=C sort", NULL };

      g_mkdir_with_parents (top, 0700);
      g_bytes_unref (write_random (top, "a/one.txt", 5000));
      g_bytes_unref (write_random (top, "two.txt", 300));
      pm_test_run_argv (&r, top, NULL, NULL, k == 0 ? ours : theirs);
      g_assert_cmpint (r.status, ==, 0);
      pm_test_run_argv (&listed, top, NULL, NULL, list);
      listing[k] = g_steal_pointer (&listed.out);
    }
  g_test_message ("ours:\n%s\ntheirs:\n%s", listing[0], listing[1]);
  g_assert_cmpstr (listing[0], ==, listing[1]);
  g_assert_nonnull (strstr (listing[0], "./there/a/one.txt.out\n"));
  /* the same bytes came back to the same places */
  {
    const char *names[] = { "a/one.txt.out", "two.txt.out" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *a = g_build_filename (dir, "ours", names[i], NULL);
        g_autofree char *b = g_build_filename (dir, "theirs", names[i], NULL);
        g_autofree char *text = NULL;
        gsize len;
        g_autoptr(GBytes) bytes = NULL;

        g_assert_true (g_file_get_contents (b, &text, &len, NULL));
        bytes = g_bytes_new_take (g_steal_pointer (&text), len);
        g_assert_true (pm_test_file_has_bytes (a, bytes));
      }
  }
  g_free (listing[0]);
  g_free (listing[1]);
  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  g_test_add_data_func ("/remote-rsync/with-rsync-on-both-ends", GINT_TO_POINTER (BOTH),
                        check_files);
  g_test_add_data_func ("/remote-rsync/a-host-without-rsync-gets-cat",
                        GINT_TO_POINTER (HOST_LACKS), check_files);
  g_test_add_data_func ("/remote-rsync/without-rsync-here-cat", GINT_TO_POINTER (HERE_LACKS),
                        check_files);
  g_test_add_func ("/remote-rsync/files-land-where-gnu-parallel-puts-them", test_as_parallel);

  status = g_test_run ();
  g_clear_pointer (&server, pm_test_sshd_free);
  return status;
}
