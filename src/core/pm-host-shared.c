/* pm-host-shared.c
 *
 * The one connection per host that the file runs (pm-host-run.c) share, when the host's ssh
 * command is ssh: a master ssh of our own (OpenSSH's ControlMaster), its socket in a private dir
 * of this run (0700, under the temporary dir). The runs go through it without a login of their
 * own (ControlMaster=no: while it is not there, a run logs in by itself).
 *
 * The master is our child, in the foreground: no ControlPersist. Its remote side is a `cat`
 * that reads the master's standard input, a pipe whose other end only this process holds. When
 * pool-run ends, SIGKILL included, the pipe closes, that `cat` ends, and with it the master's
 * session: the master exits once the runs it carries are over, and nothing of ours is left on
 * either side. (With ControlPersist, ssh's own way, the master left in the background would
 * stay a minute after its last use, a login held open on the host, after a pool that is gone.)
 * pm_host_close_shared() ends it at once (`ssh -O exit`) at the end of the run.
 *
 * It is opened with the first file run, which waits until it listens (it says "ready" from
 * the host then; ssh listens on its socket before it opens its session). The runs asked for
 * meanwhile wait too, so that they share it rather than log in each. A master that fails lets
 * them go on by themselves; the next run opens a new one (after the host was lost, say).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pm-host-private.h"

#define MASTER_SCRIPT "echo ready; exec cat >/dev/null"

typedef struct
{
  PmHostThen then;
  gpointer   data;
} Waiting;

/* The ssh command with the shared connection's options, ControlMaster=@master, and the host */
static GPtrArray *
shared_argv (PmHost     *self,
             const char *master)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (self->ssh_argv[0]));
  if (self->control_dir != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strconcat ("ControlMaster=", master, NULL));
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("ControlPath=%s/cm", self->control_dir));
    }
  for (guint i = 1; self->ssh_argv[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (self->ssh_argv[i]));
  return argv;
}

static gboolean
master_alive (PmHost *self)
{
  return self->master != NULL && g_subprocess_get_identifier (self->master) != NULL;
}

/* The master listens, or failed: the runs that waited go on. */
static void
settled (PmHost   *self,
         gboolean  ready)
{
  g_autoptr(GArray) waiting = g_steal_pointer (&self->waiting);

  self->master_ready = ready;
  if (!ready && self->master != NULL)
    {
      g_subprocess_send_signal (self->master, SIGTERM);
      g_clear_object (&self->master);
    }
  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      Waiting *w = &g_array_index (waiting, Waiting, i);

      w->then (self, w->data);
    }
}

static void read_more (PmHost *self);

static void
said_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PmHost) self = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              NULL);

  /* a master closed or replaced meanwhile */
  if (self->master == NULL ||
      G_INPUT_STREAM (object) != g_subprocess_get_stdout_pipe (self->master))
    return;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      g_debug ("no shared ssh connection for %s: the master ended", self->login);
      settled (self, FALSE);
      return;
    }
  /* A login script may print before us. */
  g_string_append_len (self->master_said, g_bytes_get_data (bytes, NULL),
                       g_bytes_get_size (bytes));
  if (strstr (self->master_said->str, "ready\n") != NULL)
    settled (self, TRUE);
  else if (self->master_said->len > 65536)
    settled (self, FALSE);
  else
    read_more (self);
}

static void
read_more (PmHost *self)
{
  g_input_stream_read_bytes_async (g_subprocess_get_stdout_pipe (self->master), 4096,
                                   G_PRIORITY_DEFAULT, NULL, said_cb, g_object_ref (self));
}

static void
start_master (PmHost *self)
{
  g_autoptr(GPtrArray) argv = shared_argv (self, "yes");
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted = g_shell_quote (MASTER_SCRIPT);

  g_ptr_array_add (argv, g_strconcat ("exec /bin/sh -c ", quoted, NULL));
  g_ptr_array_add (argv, NULL);
  g_clear_object (&self->master);
  self->master_ready = FALSE;
  self->master = g_subprocess_newv ((const char * const *)argv->pdata,
                                    G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (self->master == NULL)
    {
      g_debug ("no shared ssh connection for %s: %s", self->login, error->message);
      return;
    }
  if (self->master_said == NULL)
    self->master_said = g_string_new (NULL);
  g_string_truncate (self->master_said, 0);
  read_more (self);
}

/**
 * _pm_host_files_argv:
 *
 * Returns: (transfer full): the ssh command of a file run, without its remote command: the
 *   host's own, through the shared connection (opened now if it is not open)
 */
GPtrArray *
_pm_host_files_argv (PmHost *self)
{
  if (_pm_host_is_ssh (self->ssh_argv[0]))
    {
      if (self->control_dir == NULL)
        {
          g_autoptr(GError) error = NULL;

          /* without a private dir, no sharing: each run logs in */
          if (!(self->control_dir = g_dir_make_tmp ("pool-run-ssh-XXXXXX", &error)))
            g_debug ("no shared ssh connection for %s: %s", self->login, error->message);
        }
      if (self->control_dir != NULL && !master_alive (self))
        start_master (self);
    }
  return shared_argv (self, "no");
}

/**
 * _pm_host_shared_wait:
 * @then: called with @data once the shared connection listens, or failed
 *
 * Returns: %TRUE when the run is to wait for it (@then is called later), %FALSE to go on now
 */
gboolean
_pm_host_shared_wait (PmHost     *self,
                      PmHostThen  then,
                      gpointer    data)
{
  Waiting w = { then, data };

  if (self->master == NULL || self->master_ready)
    return FALSE;
  if (self->waiting == NULL)
    self->waiting = g_array_new (FALSE, FALSE, sizeof (Waiting));
  g_array_append_val (self->waiting, w);
  return TRUE;
}

/**
 * pm_host_close_shared:
 *
 * Closes the connection the file runs share (`ssh -O exit`), if one was opened, and removes its
 * private dir. Waits for ssh, briefly: for the end of a run. A later file run opens a new one.
 */
void
pm_host_close_shared (PmHost *self)
{
  g_autofree char *socket = NULL;

  g_return_if_fail (PM_IS_HOST (self));

  if (self->control_dir == NULL)
    return;
  socket = g_build_filename (self->control_dir, "cm", NULL);
  if (g_file_test (socket, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GPtrArray) argv = shared_argv (self, "no");

      /* "-O exit" before the host, the last word */
      g_ptr_array_insert (argv, argv->len - 1, g_strdup ("-O"));
      g_ptr_array_insert (argv, argv->len - 1, g_strdup ("exit"));
      g_ptr_array_add (argv, NULL);
      g_spawn_sync (NULL, (char **)argv->pdata, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                    G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                    NULL, NULL, NULL, NULL, NULL, NULL);
      g_unlink (socket);
    }
  /* one that was still logging in; the runs that waited for it go on by themselves */
  settled (self, FALSE);
  if (self->master_said != NULL)
    g_string_free (g_steal_pointer (&self->master_said), TRUE);
  g_rmdir (self->control_dir);
  g_clear_pointer (&self->control_dir, g_free);
}
