/* pm-host-run.c
 *
 * One short command on a host, through the same ssh command as its slots, or one file copied to
 * or from it: what moves files (pm-pool-files.c).
 *
 * These runs share one connection per host when the ssh command is ssh (pm-host-shared.c),
 * closed with pm_host_close_shared() at the end of the run. So do the slots, as channels to the
 * host's slot server (also pm-host-shared.c) where its sshd forwards them; else each slot has a
 * connection of its own. Another ssh command (a wrapper) is run as it is.
 *
 * A file is copied with rsync (`rsync -e "SSH COMMAND"`, the copy made whole under a temporary
 * name there, then renamed) when rsync is on the PATH here and was seen on the host's when it was
 * prepared (pm-host-prepare.c); else with `cat` at both ends, by pm-pool-files.c's scripts.
 *
 * The script is said to the remote shell as one
 * `exec /bin/sh -c '…'` word, quoted for a POSIX shell, so any name may appear in it. Its
 * standard input may be a local file (a file sent with `cat >…` there), its standard output a
 * local file (one brought back with `cat …`); else its output is returned as text. It fails with
 * the last line the command or ssh said on standard error, which is never shown as a job's
 * output. Nothing here blocks the main loop: the command is a GSubprocess waited for
 * asynchronously, and ended once cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "pm-host-private.h"

/* The last line that says something, or NULL; rsync's first own line where it said one (its
 * last is a summary, "rsync error: … (code 23)") */
static char *
last_line (GBytes *bytes)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return NULL;
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "rsync: "))
      return g_strdup (g_strstrip (lines[i] + strlen ("rsync: ")));
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
        said = g_strdup_printf (_("%s was killed by signal %d"),
                                (const char *)g_task_get_task_data (task),
                                g_subprocess_get_term_sig (subprocess));
      else if (said == NULL)
        said = g_strdup_printf (_("%s exited with status %d"),
                                (const char *)g_task_get_task_data (task),
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

/* @argv (NULL-terminated), its input from @stdin_path or empty, its output to @stdout_path or
 * returned; @program names it in an error */
static void
spawn_now (PmHost              *self,
           GPtrArray           *argv,
           const char          *program,
           const char          *stdin_path,
           const char          *stdout_path,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GBytes) nothing = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDERR_PIPE;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pm_host_run_async);
  g_task_set_task_data (task, g_strdup (program), g_free);

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
  _pm_host_end_on_cancel (subprocess, cancellable);
  g_subprocess_communicate_async (subprocess, nothing, cancellable, run_done_cb,
                                  g_steal_pointer (&task));
}

/* A run that waits for the shared connection (pm-host-shared.c) */
typedef struct
{
  GPtrArray           *argv;
  char                *program;
  char                *stdin_path;
  char                *stdout_path;
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} Waiting;

static void
go_on (PmHost   *self,
       gpointer  data)
{
  Waiting *w = data;

  spawn_now (self, w->argv, w->program, w->stdin_path, w->stdout_path, w->cancellable,
             w->callback, w->user_data);
  g_ptr_array_unref (w->argv);
  g_free (w->program);
  g_free (w->stdin_path);
  g_free (w->stdout_path);
  g_clear_object (&w->cancellable);
  g_free (w);
}

/* spawn_now(), once the shared connection is there (or failed) */
static void
spawn (PmHost              *self,
       GPtrArray           *argv,
       const char          *program,
       const char          *stdin_path,
       const char          *stdout_path,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  Waiting *w = g_new0 (Waiting, 1);

  w->argv = g_ptr_array_ref (argv);
  w->program = g_strdup (program);
  w->stdin_path = g_strdup (stdin_path);
  w->stdout_path = g_strdup (stdout_path);
  w->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  w->callback = callback;
  w->user_data = user_data;
  if (!_pm_host_shared_wait (self, go_on, w))
    go_on (self, w);
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
  g_autoptr(GPtrArray) argv = NULL;
  g_autofree char *quoted = NULL;

  g_return_if_fail (PM_IS_HOST (self));
  g_return_if_fail (self->ssh_argv != NULL);

  argv = _pm_host_files_argv (self);
  quoted = g_shell_quote (script);
  g_ptr_array_add (argv, g_strconcat ("exec /bin/sh -c ", quoted, NULL));
  g_ptr_array_add (argv, NULL);
  spawn (self, argv, "ssh", stdin_path, stdout_path, cancellable, callback, user_data);
}

/**
 * pm_host_can_rsync:
 *
 * Returns: whether files go to and from the host with rsync: it is on the PATH here, and was
 *   on the host's when it was prepared
 */
gboolean
pm_host_can_rsync (PmHost *self)
{
  static int here = -1;

  g_return_val_if_fail (PM_IS_HOST (self), FALSE);

  if (here < 0)
    {
      g_autofree char *path = g_find_program_in_path ("rsync");
      here = path != NULL;
    }
  return here && self->ssh_argv != NULL && self->has_rsync;
}

/* A local path rsync never reads as HOST:PATH */
static char *
local_word (const char *path)
{
  return g_path_is_absolute (path) ? g_strdup (path) : g_strconcat ("./", path, NULL);
}

/**
 * pm_host_copy_async:
 * @to_host: whether @local goes to the host, else @remote comes here
 * @local: a file here
 * @remote: the file there: absolute, or relative to the login dir
 *
 * Copies one file with rsync, through the host's ssh command (see the top of this file); the
 * dir that receives it there is made when missing. Only when pm_host_can_rsync(). Finish with
 * pm_host_run_finish().
 */
void
pm_host_copy_async (PmHost              *self,
                    gboolean             to_host,
                    const char          *local,
                    const char          *remote,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GPtrArray) ssh = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) rsh = g_string_new (NULL);
  g_autofree char *there = NULL;
  g_autofree char *here = local_word (local);
  const char *host;

  g_return_if_fail (PM_IS_HOST (self));
  g_return_if_fail (self->ssh_argv != NULL);

  /* rsync adds the host (the ssh command's last word) after -e's words */
  ssh = _pm_host_files_argv (self);
  host = g_ptr_array_index (ssh, ssh->len - 1);
  for (guint i = 0; i + 1 < ssh->len; i++)
    {
      g_autofree char *quoted = g_shell_quote (g_ptr_array_index (ssh, i));
      g_string_append_printf (rsh, "%s%s", i > 0 ? " " : "", quoted);
    }
  there = g_strdup_printf ("%s:%s", host, remote);

  g_ptr_array_add (argv, g_strdup ("rsync"));
  g_ptr_array_add (argv, g_strdup ("-e"));
  g_ptr_array_add (argv, g_strdup (rsh->str));
  if (to_host)
    {
      g_autofree char *dir = g_path_get_dirname (remote);
      g_autofree char *quoted = g_shell_quote (dir);

      g_ptr_array_add (argv, g_strdup ("--perms"));
      if (!g_str_equal (dir, "."))
        g_ptr_array_add (argv, g_strdup_printf ("--rsync-path=mkdir -p -- %s && rsync", quoted));
      g_ptr_array_add (argv, g_strdup ("--"));
      g_ptr_array_add (argv, g_steal_pointer (&here));
      g_ptr_array_add (argv, g_steal_pointer (&there));
    }
  else
    {
      g_ptr_array_add (argv, g_strdup ("--"));
      g_ptr_array_add (argv, g_steal_pointer (&there));
      g_ptr_array_add (argv, g_steal_pointer (&here));
    }
  g_ptr_array_add (argv, NULL);
  spawn (self, argv, "rsync", NULL, NULL, cancellable, callback, user_data);
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
