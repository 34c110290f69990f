/* pm-host-run.c
 *
 * One short command on a host, through the same ssh command as its slots: what moves files to
 * and from it (pm-pool-files.c). The script is said to the remote shell as one
 * `exec /bin/sh -c '…'` word, quoted for a POSIX shell, so any name may appear in it. Its
 * standard input may be a local file (a file sent with `cat >…` there), its standard output a
 * local file (one brought back with `cat …`); else its output is returned as text. It fails with
 * the last line the command or ssh said on standard error, which is never shown as a job's
 * output. Nothing here blocks the main loop: the command is a GSubprocess waited for
 * asynchronously.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-host.h"

/* The last line that says something, or NULL */
static char *
last_line (GBytes *bytes)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return NULL;
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  for (int i = g_strv_length (lines) - 1; i >= 0; i--)
    if (g_strstrip (lines[i])[0] != '\0')
      return g_strdup (lines[i]);
  return NULL;
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;

  if (!g_subprocess_communicate_finish (subprocess, result, &out, &err, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!g_subprocess_get_successful (subprocess))
    {
      if ((said = last_line (err)) == NULL && g_subprocess_get_if_signaled (subprocess))
        said = g_strdup_printf (_("ssh was killed by signal %d"),
                                g_subprocess_get_term_sig (subprocess));
      else if (said == NULL)
        said = g_strdup_printf (_("ssh exited with status %d"),
                                g_subprocess_get_exit_status (subprocess));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", said);
      return;
    }
  {
    gsize size = 0;
    const char *data = out != NULL ? g_bytes_get_data (out, &size) : NULL;

    /* an empty GBytes may have no data at all */
    g_task_return_pointer (task, data != NULL ? g_strndup (data, size) : g_strdup (""), g_free);
  }
}

/**
 * pm_host_run_async:
 * @script: what /bin/sh runs on the host
 * @stdin_path: (nullable): a local file the script reads on its standard input
 * @stdout_path: (nullable): a local file its standard output goes to
 *
 * Runs @script on the host (see the top of this file). Only for a remote host.
 */
void
pm_host_run_async (PmHost              *self,
                   const char          *script,
                   const char          *stdin_path,
                   const char          *stdout_path,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  const char * const *ssh_argv = pm_host_get_ssh_argv (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) nothing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDERR_PIPE;

  g_return_if_fail (PM_IS_HOST (self));
  g_return_if_fail (ssh_argv != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pm_host_run_async);

  for (guint i = 0; ssh_argv[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (ssh_argv[i]));
  quoted = g_shell_quote (script);
  g_ptr_array_add (argv, g_strconcat ("exec /bin/sh -c ", quoted, NULL));
  g_ptr_array_add (argv, NULL);

  /* Never our own standard input: an empty one when no file is sent. */
  if (stdin_path == NULL)
    {
      flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
      nothing = g_bytes_new_static ("", 0);
    }
  if (stdout_path == NULL)
    flags |= G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  if (stdout_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  if (!(subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata,
                                                   &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_subprocess_communicate_async (subprocess, nothing, cancellable, run_done_cb,
                                  g_steal_pointer (&task));
}

/**
 * pm_host_run_finish:
 *
 * Returns: (transfer full): what the script wrote (empty when it went to a file), or %NULL with
 *   @error set: the last line said on standard error
 */
char *
pm_host_run_finish (PmHost        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
