/* pm-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "pm-test-util.h"
#include "pm-util.h"

const char *
pm_test_child (void)
{
  const char *path = g_getenv ("PM_TEST_CHILD");

  g_assert_nonnull (path);
  return path;
}

/* A job running pm-test-child with the given steps. */
PmJob *
pm_test_job (guint       seq,
             const char *first_step,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *name = g_strdup_printf ("job%u", seq);
  va_list args;

  g_ptr_array_add (argv, (char *)pm_test_child ());
  va_start (args, first_step);
  for (const char *s = first_step; s != NULL; s = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)s);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return pm_job_new (seq, name, NULL, (const char * const *)argv->pdata);
}

/* Adds a job the pool then owns; returns it for the test to look at. */
PmJob *
pm_test_add (PmPool *pool,
             PmJob  *job)
{
  pm_pool_add_job (pool, job);
  g_object_unref (job);
  return job;
}

/* Alive and not a zombie: a killed grandchild may wait a while for a reaper. */
gboolean
pm_test_process_alive (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || !(paren = strrchr (stat, ')')))
    return FALSE;
  return paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
}

/* Waits (running the main loop, so the pool goes on) until @pid is gone; fails the test if it
 * is still there after @timeout_sec. */
void
pm_test_wait_gone (int   pid,
                   guint timeout_sec)
{
  gint64 end = g_get_monotonic_time () + timeout_sec * G_USEC_PER_SEC;

  while (pm_test_process_alive (pid))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Process %d is still there after %u seconds", pid, timeout_sec);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * 1000);
    }
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out after %u seconds waiting for a condition", GPOINTER_TO_UINT (data));
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until done() holds; a guard fails the test if it never does. */
void
pm_test_run_until (gboolean (*done) (gpointer),
                   gpointer   data,
                   guint      timeout_sec)
{
  guint guard = g_timeout_add_seconds (timeout_sec, timeout_cb, GUINT_TO_POINTER (timeout_sec));

  while (!done (data))
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
}

static gboolean
pool_finished (gpointer data)
{
  return pm_pool_get_state (data) == PM_POOL_STATE_FINISHED;
}

void
pm_test_run_pool (PmPool *pool,
                  guint   timeout_sec)
{
  g_autoptr(GError) error = NULL;

  if (pm_pool_get_state (pool) == PM_POOL_STATE_IDLE)
    {
      pm_pool_start (pool, &error);
      g_assert_no_error (error);
    }
  pm_test_run_until (pool_finished, pool, timeout_sec);
}

static void
remove_file_tree (GFile *file)
{
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) ==
      G_FILE_TYPE_DIRECTORY)
    {
      g_autoptr(GFileEnumerator) children =
        g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
      GFile *child;

      while (children != NULL &&
             g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        remove_file_tree (child);
    }
  g_file_delete (file, NULL, NULL);
}

void
pm_test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  remove_file_tree (file);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
}

gboolean
pm_test_file_has_bytes (const char *path,
                        GBytes     *bytes)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GBytes) there = NULL;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  there = g_bytes_new_take (g_steal_pointer (&data), len);
  return g_bytes_equal (there, bytes);
}

guint
pm_test_file_count_lines (const char *path,
                          const char *what)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += strstr (lines[i], what) != NULL;
  return n;
}

void
pm_test_result_clear (PmTestResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
  r->out_len = 0;
}

/**
 * pm_test_run_argv:
 * @r: where the result goes (cleared first)
 * @cwd: (nullable): the folder to run in, else the test's own
 * @path: (nullable): PATH for the program, else the test's own
 * @input: (nullable): its standard input, else none at all (the test's own)
 * @argv: the program and its arguments, %NULL-terminated
 *
 * Runs a program to its end and keeps its standard output as bytes and its standard error as
 * text; fails the test if it cannot be started or does not exit (a signal).
 */
void
pm_test_run_argv (PmTestResult       *r,
                  const char         *cwd,
                  const char         *path,
                  const char         *input,
                  const char * const *argv)
{
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  pm_test_result_clear (r);
  if (input != NULL)
    {
      flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
      in = g_bytes_new_static (input, strlen (input));
    }
  launcher = g_subprocess_launcher_new (flags);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  if (path != NULL)
    g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r->status = g_subprocess_get_exit_status (proc);
  /* (no copy: a test may read 100 MB) */
  r->out = g_bytes_unref_to_data (g_steal_pointer (&out), &r->out_len);
  r->out = g_realloc (r->out, r->out_len + 1);
  r->out[r->out_len] = '\0';
  r->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                      g_bytes_get_size (err));
  /* (a megabyte of output is left out of the log) */
  g_test_message ("%s: status %d, stdout: %s, stderr: %s", argv[0], r->status,
                  r->out_len <= 4096 ? r->out : "(long)", r->err);
}

/* pool-run ($PM_POOL_RUN), with --ssh @ssh where it is not %NULL, then @first and the words
 * after it up to %NULL; the array is %NULL-terminated and frees its words. */
GPtrArray *
pm_test_pool_run_argv_va (const char *ssh,
                          const char *first,
                          va_list     args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  const char *pool_run = g_getenv ("PM_POOL_RUN");

  g_assert_nonnull (pool_run);
  g_ptr_array_add (argv, g_strdup (pool_run));
  if (ssh != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--ssh"));
      g_ptr_array_add (argv, g_strdup (ssh));
    }
  for (const char *word = first; word != NULL; word = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (word));
  g_ptr_array_add (argv, NULL);
  return argv;
}

GPtrArray *
pm_test_pool_run_argv (const char *ssh,
                       const char *first,
                       ...)
{
  GPtrArray *argv;
  va_list args;

  va_start (args, first);
  argv = pm_test_pool_run_argv_va (ssh, first, args);
  va_end (args);
  return argv;
}

/* pool-run in @cwd (nullable), as pm_test_pool_run_argv () makes it, run to its end */
void
pm_test_run_pool_run (PmTestResult *r,
                      const char   *cwd,
                      const char   *ssh,
                      const char   *first,
                      ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  va_list args;

  va_start (args, first);
  argv = pm_test_pool_run_argv_va (ssh, first, args);
  va_end (args);
  pm_test_run_argv (r, cwd, NULL, NULL, (const char * const *)argv->pdata);
}
