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
 * pm_host_close_shared() ends it at once (`ssh -O exit`) at the end of the run. What SIGKILL
 * leaves in the private dir (the socket forwarded to the slot server) the next pool removes:
 * see "Private dirs left behind" below.
 *
 * The slots go through it too, where they can: see "The host's slot server" below.
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
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "pm-host-private.h"
#include "pm-proctree.h"

#define MASTER_SCRIPT "echo ready; exec cat >/dev/null"
#define CONTROL_PREFIX "pool-run-ssh-"
#define OWNER_FILE "owner"

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

/* Private dirs left behind. A pool killed by SIGKILL cannot remove its private dir, nor the
 * socket the master bound there for the slot server (ssh removes only its own, cm, when it
 * ends). So each private dir holds an owner file, the PID and start time of the process that
 * made it, and the first shared connection of a process removes the dirs whose owner is gone.
 * Only ours: a dir (not a link) of this user, 0700, named as ours, with an owner file that
 * names a process no longer there; in it only the sockets and the owner file are removed, and
 * the dir only if that leaves it empty. */
static void
write_owner (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, OWNER_FILE, NULL);
  g_autofree char *text = NULL;
  PmProc self = { 0 };

  if (!pm_proc_read (getpid (), &self))
    return;
  text = g_strdup_printf ("%d %" G_GUINT64_FORMAT "\n", (int)self.pid, self.start);
  /* (written whole or not at all: a sweep in another process never reads half of it) */
  g_file_set_contents (path, text, -1, NULL);
}

static gboolean
owner_gone (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, OWNER_FILE, NULL);
  g_autofree char *text = NULL;
  PmProc owner = { 0 };
  int pid;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      sscanf (text, "%d %" G_GUINT64_FORMAT, &pid, &owner.start) != 2 || pid <= 0)
    return FALSE;
  owner.pid = pid;
  return !pm_proc_still_there (&owner);
}

static void
remove_if_stale (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != getuid () ||
      (st.st_mode & 0777) != 0700 || !owner_gone (path) ||
      (dir = g_dir_open (path, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_lstat (child, &st) == 0 && (S_ISSOCK (st.st_mode) || strcmp (name, OWNER_FILE) == 0))
        g_unlink (child);
    }
  if (g_rmdir (path) == 0)
    g_debug ("removed %s, left by a pool that is gone", path);
}

static void
remove_stale_dirs (void)
{
  static gsize swept = 0;
  g_autoptr(GDir) tmp = NULL;
  const char *name;

  if (!g_once_init_enter (&swept))
    return;
  if ((tmp = g_dir_open (g_get_tmp_dir (), 0, NULL)) != NULL)
    while ((name = g_dir_read_name (tmp)) != NULL)
      if (g_str_has_prefix (name, CONTROL_PREFIX))
        {
          g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

          remove_if_stale (path);
        }
  g_once_init_leave (&swept, 1);
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

          remove_stale_dirs ();
          /* without a private dir, no sharing: each run logs in */
          if (!(self->control_dir = g_dir_make_tmp (CONTROL_PREFIX "XXXXXX", &error)))
            g_debug ("no shared ssh connection for %s: %s", self->login, error->message);
          else
            write_owner (self->control_dir);
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

/* The host's slot server (pool-slot --serve): started over the shared connection, in one
 * session (one login shell, where a session per slot starts one each: the cost that made remote
 * slots slow). It says the path of its socket; the master is asked to forward a socket here to
 * it (`ssh -O forward -L HERE:THERE`, OpenSSH's stream-local forwarding), and each slot is then
 * a connection of the pool's to HERE (pm_host_dup_slot_socket(), pm-pool-slot.c), a channel of
 * the master, not a session, and no process here.
 * One connection is made at once to see that the host's sshd allows the forwarding (a slot says
 * hello as soon as it is served); where it does not (AllowStreamLocalForwarding no), or anything
 * here fails, the server is ended and each slot logs in by itself, as before.
 *
 * The server's session has its standard input from a pipe only this process holds: when the
 * pool ends, SIGKILL included, the server sees it close, removes its socket and exits; its slots
 * see their channels close and end their jobs' groups. */

#define SERVE_MARK "pool-slot-serve "
#define SERVE_TIMEOUT_S 20

typedef struct
{
  PmHost       *self;
  guint         serving;
  PmHostThen    then;
  gpointer      data;
  GString      *said;
  GCancellable *cancellable;
  guint         timeout;
  char          buffer[64];
} Serve;

static void
serve_done (Serve      *serve,
            const char *why)
{
  PmHost *self = serve->self;

  if (why != NULL)
    {
      g_debug ("no slot server for %s, a login per slot: %s", self->login, why);
      if (serve->serving == self->serving)
        _pm_host_stop_serving (self);
    }
  else
    g_debug ("slot server for %s at %s", self->login, self->fwd_local);
  g_clear_handle_id (&serve->timeout, g_source_remove);
  g_clear_object (&serve->cancellable);
  if (serve->said != NULL)
    g_string_free (serve->said, TRUE);
  serve->then (self, serve->data);
  g_object_unref (self);
  g_free (serve);
}

static gboolean
serve_timeout_cb (gpointer user_data)
{
  Serve *serve = user_data;

  serve->timeout = 0;
  g_cancellable_cancel (serve->cancellable);
  return G_SOURCE_REMOVE;
}

static void
probe_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GSocketConnection) connection = user_data;
  Serve *serve = g_object_get_data (G_OBJECT (connection), "serve");
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  if (serve->serving != serve->self->serving)
    serve_done (serve, "stopped");
  else if (n <= 0)
    serve_done (serve, error != NULL ? error->message : "the forwarded socket closed at once");
  else
    {
      serve->self->fwd_local = g_strdup (serve->self->fwd_made);
      serve_done (serve, NULL);
    }
}

static void
probe_connected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Serve *serve = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object),
                                                                  result, &error);

  if (connection == NULL)
    {
      serve_done (serve, error->message);
      return;
    }
  g_object_set_data (G_OBJECT (connection), "serve", serve);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             serve->buffer, sizeof serve->buffer, G_PRIORITY_DEFAULT,
                             serve->cancellable, probe_read_cb, connection);
}

/* The master has bound the socket here, or said why not: one connection tries it. */
static void
forwarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GSubprocess *subprocess = G_SUBPROCESS (object);
  Serve *serve = user_data;
  PmHost *self = serve->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  if (!g_subprocess_communicate_utf8_finish (subprocess, result, NULL, &err, &error))
    {
      serve_done (serve, error->message);
      return;
    }
  if (serve->serving != self->serving)
    {
      serve_done (serve, "stopped");
      return;
    }
  if (!g_subprocess_get_successful (subprocess))
    {
      g_autofree char *why = g_strdup_printf ("ssh -O forward failed: %s",
                                              err != NULL ? err : "");

      serve_done (serve, g_strstrip (why));
      return;
    }
  client = g_socket_client_new ();
  address = g_unix_socket_address_new (self->fwd_made);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), serve->cancellable,
                                 probe_connected_cb, serve);
}

/* The server listens at @remote: the master is asked to forward a socket here to it. The mux
 * client only asks the master, which binds HERE: brief, but a process, waited for without
 * blocking the main loop (the window's, or pool-run's timeouts and signals). */
static void
forward (Serve      *serve,
         const char *remote)
{
  PmHost *self = serve->self;
  g_autoptr(GPtrArray) argv = shared_argv (self, "no");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;

  g_free (self->fwd_made);
  self->fwd_made = g_strdup_printf ("%s/slots-%u", self->control_dir, self->serving);
  /* "-O forward -L HERE:THERE" before the host, the last word */
  g_ptr_array_insert (argv, argv->len - 1, g_strdup ("-O"));
  g_ptr_array_insert (argv, argv->len - 1, g_strdup ("forward"));
  g_ptr_array_insert (argv, argv->len - 1, g_strdup ("-L"));
  g_ptr_array_insert (argv, argv->len - 1, g_strdup_printf ("%s:%s", self->fwd_made, remote));
  g_ptr_array_add (argv, NULL);
  /* (stdin is /dev/null) */
  subprocess = g_subprocess_newv ((const char * const *)argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (subprocess == NULL)
    {
      serve_done (serve, error->message);
      return;
    }
  _pm_host_end_on_cancel (subprocess, serve->cancellable);
  g_subprocess_communicate_utf8_async (subprocess, NULL, serve->cancellable, forwarded_cb,
                                       serve);
}

static void server_read_more (Serve *serve);

static void
server_said_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Serve *serve = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              NULL);
  const char *mark;
  const char *end;

  if (serve->serving != serve->self->serving)
    {
      serve_done (serve, "stopped");
      return;
    }
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      serve_done (serve, "the server ended");
      return;
    }
  /* A login script may print before it. */
  g_string_append_len (serve->said, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if ((mark = strstr (serve->said->str, SERVE_MARK)) != NULL &&
      (end = strchr (mark, '\n')) != NULL)
    {
      g_autofree char *remote = g_strndup (mark + strlen (SERVE_MARK),
                                           end - mark - strlen (SERVE_MARK));

      forward (serve, remote);
    }
  else if (serve->said->len > 65536)
    serve_done (serve, "the server said nothing");
  else
    server_read_more (serve);
}

static void
server_read_more (Serve *serve)
{
  g_input_stream_read_bytes_async (g_subprocess_get_stdout_pipe (serve->self->server), 4096,
                                   G_PRIORITY_DEFAULT, serve->cancellable, server_said_cb,
                                   serve);
}

/* The shared connection listens, or failed */
static void
serve_start (PmHost   *self,
             gpointer  data)
{
  Serve *serve = data;
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *quoted = NULL;

  if (serve->serving != self->serving)
    {
      serve_done (serve, "stopped");
      return;
    }
  if (!master_alive (self) || !self->master_ready)
    {
      serve_done (serve, "no shared connection");
      return;
    }
  argv = shared_argv (self, "no");
  script = g_strdup_printf ("exec " PM_HOST_CACHE_DIR "/%s --serve", self->slot_name);
  quoted = g_shell_quote (script);
  g_ptr_array_add (argv, g_strconcat ("exec /bin/sh -c ", quoted, NULL));
  g_ptr_array_add (argv, NULL);
  self->server = g_subprocess_newv ((const char * const *)argv->pdata,
                                    G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (self->server == NULL)
    {
      serve_done (serve, error->message);
      return;
    }
  server_read_more (serve);
}

/**
 * _pm_host_serve:
 * @then: called with @data once the host's slot server answered, or failed
 *
 * Starts the host's slot server (see above), once it is prepared; pm_host_dup_slot_argv() then
 * connects slots to it. Only for a remote host.
 */
void
_pm_host_serve (PmHost     *self,
                PmHostThen  then,
                gpointer    data)
{
  Serve *serve = g_new0 (Serve, 1);
  g_autoptr(GPtrArray) argv = NULL;

  _pm_host_stop_serving (self);
  serve->self = g_object_ref (self);
  serve->serving = self->serving;
  serve->then = then;
  serve->data = data;
  serve->said = g_string_new (NULL);
  serve->cancellable = g_cancellable_new ();
  serve->timeout = g_timeout_add_seconds (SERVE_TIMEOUT_S, serve_timeout_cb, serve);
  if (!_pm_host_is_ssh (self->ssh_argv[0]) || self->slot_name == NULL ||
      g_getenv ("POOL_MONITOR_NO_SLOT_SERVER") != NULL)
    {
      serve_done (serve, "not with this ssh command");
      return;
    }
  /* opens the shared connection if it is not open */
  argv = _pm_host_files_argv (self);
  if (self->control_dir == NULL)
    serve_done (serve, "no private dir");
  else if (!_pm_host_shared_wait (self, serve_start, serve))
    serve_start (self, serve);
}

/**
 * _pm_host_stop_serving:
 *
 * Ends the host's slot server, if one was started; new slots log in each. Those connected keep
 * their channels.
 */
void
_pm_host_stop_serving (PmHost *self)
{
  self->serving++;
  g_clear_pointer (&self->fwd_local, g_free);
  if (self->fwd_made != NULL)
    {
      g_unlink (self->fwd_made);
      g_clear_pointer (&self->fwd_made, g_free);
    }
  if (self->server != NULL)
    {
      /* the server ends when its input does */
      g_output_stream_close (g_subprocess_get_stdin_pipe (self->server), NULL, NULL);
      g_clear_object (&self->server);
    }
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
  g_autofree char *owner = NULL;

  g_return_if_fail (PM_IS_HOST (self));

  _pm_host_stop_serving (self);
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
  owner = g_build_filename (self->control_dir, OWNER_FILE, NULL);
  g_unlink (owner);
  g_rmdir (self->control_dir);
  g_clear_pointer (&self->control_dir, g_free);
}
