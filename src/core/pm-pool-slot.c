/* pm-pool-slot.c
 *
 * The pool's slot processes. Each lane of the pool is served by one pool-slot process (src/slot),
 * as multiprocessing.Pool(5) is five worker processes: it is started through a
 * GSubprocessLauncher when a job first needs the lane (one spawn per slot, not per job), runs
 * that lane's jobs one after another, and is retired when the limit drops below its lane or the
 * run ends. The pool retires a slot by closing its standard input; the slot, idle, exits.
 *
 * The channel is the slot's stdin and stdout, both non-blocking here; for a remote slot served
 * by its host's slot server, a socket of ours connected to the one forwarded to that server
 * (pm-host-shared.c), with no process here (when the pool ends, SIGKILL included, the socket
 * closes, the channel with it, and the slot over there ends its job's group). What the pool sends waits
 * in a buffer until the slot takes it, so the main loop never blocks on a slot. What the slot
 * sends is read in large chunks and cut into frames; each goes to the slot's running job
 * (pm-pool-job.c). The end of the channel, a frame that makes no sense, or a slot of another
 * protocol version, is the slot's death: its job fails with the reason and the lane gets a fresh
 * slot process for its next job. A Slot is freed only here: when its channel ends, or with the
 * pool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pm-pool-internal.h"
#include "pm-util.h"

/* Read at most this much at once: a few frames of output. */
#define READ_SIZE (256 * 1024)

static gboolean read_cb (int fd, GIOCondition condition, gpointer user_data);

/* A source on @fd in the pool's context (where it was made), not the default of the moment */
static guint
add_fd_source (PmPool            *self,
               int                fd,
               GIOCondition       condition,
               GUnixFDSourceFunc  func,
               gpointer           data)
{
  GSource *source = g_unix_fd_source_new (fd, condition);
  guint id;

  g_source_set_priority (source, PM_POOL_IO_PRIORITY);
  g_source_set_callback (source, (GSourceFunc)(void (*)(void))func, data, NULL);
  id = g_source_attach (source, self->context);
  g_source_unref (source);
  return id;
}

/* Removes a source added by add_fd_source() (g_source_remove() looks in the default context) */
static void
clear_source (Slot  *slot,
              guint *id)
{
  GSource *source;

  if (*id != 0 && (source = g_main_context_find_source_by_id (slot->pool->context, *id)))
    g_source_destroy (source);
  *id = 0;
}

/* Whether the front end takes this slot's output now (pm_pool_hold_output()) */
static gboolean
slot_may_read (Slot *slot)
{
  PmPool *self = slot->pool;

  return !self->output_held &&
         (self->output_only == NULL ||
          (slot->running != NULL && slot->running->job == self->output_only));
}

/* Reads the slot, or stops, as slot_may_read() says. */
void
_pm_slot_watch_input (Slot *slot)
{
  if (!slot_may_read (slot))
    clear_source (slot, &slot->read_source);
  else if (slot->read_source == 0 && slot->read_fd >= 0)
    slot->read_source = add_fd_source (slot->pool, slot->read_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                       read_cb, slot);
  /* A local job's own pipes, which we read (pm-pool-pipes.c), the same */
  if (slot->running != NULL)
    _pm_running_watch_pipes (slot->running, slot_may_read (slot));
}

static void
watch_all (PmPool *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    _pm_slot_watch_input (g_ptr_array_index (self->slots, i));
}

static void
slot_close_input (Slot *slot)
{
  GOutputStream *stdin_pipe;

  clear_source (slot, &slot->write_source);
  if (slot->write_fd < 0)
    return;
  slot->write_fd = -1;
  pm_slot_buf_clear (&slot->out);
  if (slot->socket_fd >= 0)
    shutdown (slot->socket_fd, SHUT_WR);
  else if ((stdin_pipe = g_subprocess_get_stdin_pipe (slot->subprocess)) != NULL)
    g_output_stream_close (stdin_pipe, NULL, NULL);
}

static void
slot_free (Slot *slot)
{
  clear_source (slot, &slot->err_source);
  if (slot->err != NULL)
    g_string_free (slot->err, TRUE);
  g_clear_object (&slot->host);
  clear_source (slot, &slot->read_source);
  slot_close_input (slot);
  if (slot->pass_fd >= 0)
    close (slot->pass_fd);
  /* A socket's end is the slot's end here: the pool waited for it as for a process. */
  if (slot->socket_fd >= 0)
    {
      close (slot->socket_fd);
      g_assert (slot->pool->n_slot_processes > 0);
      slot->pool->n_slot_processes--;
    }
  /* Its pipes close with it; GLib reaps the process. */
  g_clear_object (&slot->subprocess);
  pm_slot_buf_clear (&slot->in);
  g_free (slot);
}

/* The last line of what a remote slot's ssh said, or NULL */
static char *
last_line (GString *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return NULL;
  lines = g_strsplit (text->str, "\n", -1);
  for (int i = g_strv_length (lines) - 1; i >= 0; i--)
    if (g_strstrip (lines[i])[0] != '\0')
      return g_strdup (lines[i]);
  return NULL;
}

/* What a remote slot's ssh says (its errors, and pool-slot's over there) is kept, not shown: it
 * never mixes with a job's output. The last of it says why the host was lost. */
static gssize
read_err (Slot *slot)
{
  char buffer[4096];
  gssize n = read (slot->err_fd, buffer, sizeof buffer);

  if (n > 0)
    {
      g_string_append_len (slot->err, buffer, n);
      if (slot->err->len > 4096)
        g_string_erase (slot->err, 0, slot->err->len - 4096);
    }
  return n;
}

static gboolean
err_cb (int          fd,
        GIOCondition condition,
        gpointer     user_data)
{
  Slot *slot = user_data;
  gssize n = read_err (slot);

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      slot->err_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* The slot is out of the pool's hands: no lane, not in the list. Its job, if any, is told. */
static void
slot_lost (Slot       *slot,
           const char *why)
{
  PmPool *self = slot->pool;
  Running *running = slot->running;
  g_autoptr(PmHost) host = slot->host != NULL ? g_object_ref (slot->host) : NULL;
  g_autofree char *lost = NULL;
  gboolean on_lane = slot->number > 0;
  gboolean connected = slot->socket_fd >= 0;

  clear_source (slot, &slot->read_source);
  if (slot->number > 0 && slot->number < self->lanes->len &&
      g_ptr_array_index (self->lanes, slot->number) == slot)
    g_ptr_array_index (self->lanes, slot->number) = NULL;
  g_ptr_array_remove_fast (self->slots, slot);
  slot->running = NULL;

  /* A remote slot's channel is its ssh connection: losing it loses the host, until the pool
   * has prepared it again (pm-pool-hosts.c). What ssh said last says why. */
  if (host != NULL && (on_lane || running != NULL))
    {
      g_autofree char *said = NULL;

      /* ssh says why before it exits: take what is in the pipe now. */
      while (slot->err_fd >= 0 && read_err (slot) > 0)
        ;
      said = last_line (slot->err);

      lost = g_strdup_printf (_("lost host %s: %s"), pm_host_get_login (host),
                              said != NULL ? said : why);
    }
  if (lost != NULL && running != NULL && !running->started)
    {
      running->slot = NULL;
      slot_free (slot);
      _pm_running_give_back (running);
      _pm_pool_host_lost (self, host, lost);
      _pm_pool_fill (self);
      _pm_pool_check_finished (self);
    }
  else if (lost != NULL)
    {
      if (running != NULL)
        running->slot = NULL;
      slot_free (slot);
      _pm_pool_host_lost (self, host, lost);
      if (running != NULL)
        _pm_running_slot_died (running, lost);
      else
        _pm_pool_fill (self);
    }
  else if (running != NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("its slot process (PID %d) died: %s"),
                                                 (int)slot->pid, why);
      running->slot = NULL;
      slot_free (slot);
      _pm_running_slot_died (running, reason);
    }
  else
    {
      slot_free (slot);
    }
  /* No process to reap (slot_exited_cb ()): the run may be over now. */
  if (connected && self->n_slot_processes == 0)
    _pm_pool_check_finished (self);
}

static gboolean
dispatch (Slot              *slot,
          const PmSlotFrame *frame,
          char             **why)
{
  PmSlotHello hello;

  if (!slot->greeted)
    {
      if (frame->type != PM_SLOT_HELLO || pm_slot_decode_hello (frame, &hello) != 0)
        {
          *why = g_strdup (_("it did not greet the pool"));
          return FALSE;
        }
      if (hello.version != PM_SLOT_PROTOCOL_VERSION)
        {
          *why = g_strdup_printf (_("it speaks slot protocol %u, this pool %u"),
                                  hello.version, PM_SLOT_PROTOCOL_VERSION);
          return FALSE;
        }
      slot->greeted = TRUE;
      if (slot->host != NULL)
        g_debug ("slot %u on %s: ready %.3f s after its ssh started", slot->number,
                 pm_host_get_login (slot->host),
                 (g_get_monotonic_time () - slot->spawn_mono) / (double)G_USEC_PER_SEC);
      /* A remote slot's first job waited for the ssh login, which is not the job's time. Not
       * one whose START is still to go (its files on their way): that would count it sent. */
      if (slot->host != NULL && slot->running != NULL && slot->running->sent_mono != 0)
        {
          slot->running->sent_wall = g_get_real_time ();
          slot->running->sent_mono = g_get_monotonic_time ();
        }
      return TRUE;
    }

  switch (frame->type)
    {
    case PM_SLOT_STARTED:
    case PM_SLOT_OUTPUT:
    case PM_SLOT_EXITED:
    case PM_SLOT_FAILED:
      if (slot->running != NULL && _pm_running_message (slot->running, frame))
        return TRUE;
      break;
    default:
      break;
    }
  *why = g_strdup_printf (_("it sent a message the pool did not expect (type %u)"), frame->type);
  return FALSE;
}

/* The frames in what has come; FALSE (and @why) when the channel is broken. */
static gboolean
dispatch_all (Slot  *slot,
              char **why)
{
  PmSlotFrame frame;
  size_t consumed, at = 0;
  int r;

  /* A frame may end the job and start the next in this very slot: the Slot lives on. */
  while ((r = pm_slot_frame_next (slot->in.data + at, slot->in.len - at, &frame, &consumed)) == 1)
    {
      if (!dispatch (slot, &frame, why))
        return FALSE;
      at += consumed;
    }
  if (r < 0)
    {
      *why = g_strdup (_("it sent bytes that are not a frame"));
      return FALSE;
    }
  pm_slot_buf_consume (&slot->in, at);
  return TRUE;
}

static gboolean
read_cb (int          fd,
         GIOCondition condition,
         gpointer     user_data)
{
  Slot *slot = user_data;
  g_autoptr(PmPool) pool = g_object_ref (slot->pool);   /* a job's end may drop the last */
  g_autofree char *why = NULL;
  gssize n;

  if (slot->in.cap - slot->in.len < READ_SIZE)
    {
      slot->in.data = g_realloc (slot->in.data, slot->in.len + READ_SIZE);
      slot->in.cap = slot->in.len + READ_SIZE;
    }
  n = read (fd, slot->in.data + slot->in.len, READ_SIZE);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (n > 0)
    {
      slot->in.len += n;
      if (dispatch_all (slot, &why))
        return G_SOURCE_CONTINUE;
    }
  else
    {
      why = g_strdup (n == 0 ? _("its channel closed") : g_strerror (errno));

    }
  clear_source (slot, &slot->read_source);
  slot_lost (slot, why);
  return G_SOURCE_REMOVE;
}

static gboolean write_cb (int fd, GIOCondition condition, gpointer user_data);

/* Writes what the slot can take now; the rest waits for it. A slot that is gone is noticed by
 * its read side: here its input is just closed. */
static void
slot_flush (Slot *slot)
{
  while (slot->out.len > 0)
    {
      gssize n = write (slot->write_fd, slot->out.data, slot->out.len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          if (slot->write_source == 0)
            slot->write_source = add_fd_source (slot->pool, slot->write_fd, G_IO_OUT | G_IO_ERR,
                                                write_cb, slot);
          return;
        }
      if (n < 0)
        {
          slot_close_input (slot);
          return;
        }
      pm_slot_buf_consume (&slot->out, n);
    }
  clear_source (slot, &slot->write_source);
  if (slot->number == 0)
    slot_close_input (slot);   /* retired, and told all it was to be told */
}

static gboolean
write_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  Slot *slot = user_data;

  slot->write_source = 0;
  slot_flush (slot);
  return G_SOURCE_REMOVE;
}

/* Frames from the slot protocol's encoders, handed over (@frame is emptied). */
gboolean
_pm_slot_send (Slot      *slot,
               PmSlotBuf *frame)
{
  if (slot->write_fd < 0)
    return FALSE;
  if (pm_slot_buf_append (&slot->out, frame->data, frame->len) != 0)
    g_error ("out of memory");
  frame->len = 0;
  if (slot->write_source == 0)
    slot_flush (slot);
  return TRUE;
}

/* A slot process was reaped: the run may be over now (pm-pool.c). */
static void
slot_exited_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PmPool *self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  g_assert (self->n_slot_processes > 0);
  if (--self->n_slot_processes == 0)
    _pm_pool_check_finished (self);
  g_object_unref (self);
}

/* Spawning failed because the system is short of processes or descriptors (the pool then
 * runs fewer at once), not because of the program. GSubprocess reports a pipe it could not make
 * in G_UNIX_ERROR, which has no codes. */
static gboolean
is_resource_error (const GError *error)
{
  return error->domain == G_UNIX_ERROR ||
         g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FORK) ||
         g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOMEM) ||
         g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NFILE) ||
         g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_MFILE) ||
         g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

/* A connection to @path, the socket forwarded to a host's slot server, or -1 with @error set
 * (%G_IO_ERROR_WOULD_BLOCK when short of descriptors). The master accepts it at once: a
 * blocking connect() never waits for the host (the slot's HELLO comes later, read as any). */
static int
connect_slot (const char  *path,
              GError     **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;
  int saved;

  if (strlen (path) >= sizeof addr.sun_path)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG, "%s: too long", path);
      return -1;
    }
  strcpy (addr.sun_path, path);
  if ((fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0)
    {
      if (connect (fd, (struct sockaddr *)&addr, sizeof addr) == 0)
        return fd;
      saved = errno;
      close (fd);
      errno = saved;
    }
  saved = errno;
  g_set_error (error, G_IO_ERROR,
               saved == EMFILE || saved == ENFILE || saved == ENOBUFS || saved == ENOMEM
                 ? G_IO_ERROR_WOULD_BLOCK : g_io_error_from_errno (saved),
               _("cannot connect a slot to %s: %s"), path, g_strerror (saved));
  return -1;
}

/* The slot's end of the pool: in the lists, read from, and lane @number's */
static Slot *
slot_add (PmPool  *self,
          guint    number,
          Slot    *slot)
{
  slot->pool = self;
  slot->number = number;
  slot->spawn_mono = g_get_monotonic_time ();
  g_unix_set_fd_nonblocking (slot->read_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (slot->write_fd, TRUE, NULL);
  _pm_slot_watch_input (slot);

  if (self->lanes->len <= number)
    g_ptr_array_set_size (self->lanes, number + 1);
  g_ptr_array_index (self->lanes, number) = slot;
  g_ptr_array_add (self->slots, slot);
  return slot;
}

/**
 * _pm_slot_get:
 * @number: a lane, 1 … the limit
 *
 * Returns: the lane's slot process, started now if it has none; %NULL with @error set when it
 *   cannot be started: %G_IO_ERROR_WOULD_BLOCK when the system is short of processes or
 *   descriptors, another error when pool-slot cannot run at all
 */
Slot *
_pm_slot_get (PmPool  *self,
              guint    number,
              GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) argv = NULL;
  PoolHost *host = _pm_pool_lane_host (self, number);
  gboolean remote = host != NULL && !pm_host_is_local (host->host);
  gboolean direct_stdout = FALSE;
  int pass[2] = { -1, -1 };
  GSubprocess *subprocess;
  Slot *slot;

  if ((slot = _pm_pool_lane_slot (self, number)) != NULL)
    return slot;

  if (self->slot_program == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("pool-slot, the program that runs each slot, is not installed"));
      return NULL;
    }

  /* A channel of the host's shared connection, where its slot server answered: no process
   * here. Where the connection fails but for descriptors, the slot logs in by itself. */
  if (remote)
    {
      g_autofree char *path = pm_host_dup_slot_socket (host->host);
      int fd;

      if (path != NULL && (fd = connect_slot (path, &local_error)) >= 0)
        {
          slot = g_new0 (Slot, 1);
          slot->socket_fd = slot->read_fd = slot->write_fd = fd;
          slot->pass_fd = slot->err_fd = -1;
          slot->host = g_object_ref (host->host);
          self->n_slot_processes++;
          return slot_add (self, number, slot);
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (local_error != NULL)
        g_debug ("%s", local_error->message);
      g_clear_error (&local_error);
    }

  /* INHERIT_FDS keeps GSubprocess on its posix_spawn path (see pm_process_init()); the slot
   * shares the pool's standard error, where it says what went wrong. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        (remote ? G_SUBPROCESS_FLAGS_STDERR_PIPE : 0) |
                                        G_SUBPROCESS_FLAGS_INHERIT_FDS);
  argv = remote ? pm_host_dup_slot_argv (host->host, self->slot_program)
                : g_strdupv ((char *[]){ self->slot_program, NULL });
  if (!remote && self->direct_stdout)
    {
      int fd = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, PM_SLOT_DIRECT_FD + 1);

      if (fd >= 0)
        {
          g_subprocess_launcher_take_fd (launcher, fd, PM_SLOT_DIRECT_FD);
          g_subprocess_launcher_setenv (launcher, PM_SLOT_DIRECT_ENV, "1", TRUE);
          direct_stdout = TRUE;
        }
    }
  /* A local slot gets a socket, on which each job's output pipes are passed to it (the pool
   * reads them itself: pm-pool-pipes.c). Its end is given above PM_SLOT_PASS_FD first, so that
   * GLib's dup2 to that number clears close-on-exec. */
  if (!remote && socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pass) == 0)
    {
      int fd = fcntl (pass[1], F_DUPFD_CLOEXEC, PM_SLOT_PASS_FD + 1);

      close (pass[1]);
      if (fd >= 0)
        {
          g_subprocess_launcher_take_fd (launcher, fd, PM_SLOT_PASS_FD);
          g_subprocess_launcher_setenv (launcher, PM_SLOT_PASS_ENV, "1", TRUE);
        }
      else
        {
          close (pass[0]);
          pass[0] = -1;
        }
    }
  subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv, &local_error);
  if (subprocess == NULL)
    {
      if (pass[0] >= 0)
        close (pass[0]);
      if (is_resource_error (local_error))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                     _("cannot start a slot process: %s"),

                     local_error->message);
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("cannot start pool-slot: %s"), local_error->message);
      return NULL;
    }

  self->n_slot_processes++;
  g_main_context_push_thread_default (self->context);
  g_subprocess_wait_async (subprocess, NULL, slot_exited_cb, g_object_ref (self));
  g_main_context_pop_thread_default (self->context);

  slot = g_new0 (Slot, 1);
  slot->subprocess = subprocess;
  slot->pid = atoi (g_subprocess_get_identifier (subprocess));
  slot->socket_fd = -1;
  slot->read_fd = g_unix_input_stream_get_fd (
    G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (subprocess)));
  slot->write_fd = g_unix_output_stream_get_fd (
    G_UNIX_OUTPUT_STREAM (g_subprocess_get_stdin_pipe (subprocess)));
  slot->direct_stdout = direct_stdout;
  slot->pass_fd = pass[0];
  slot->err_fd = -1;
  if (remote)
    {
      slot->host = g_object_ref (host->host);
      slot->err = g_string_new (NULL);
      slot->err_fd = g_unix_input_stream_get_fd (
        G_UNIX_INPUT_STREAM (g_subprocess_get_stderr_pipe (subprocess)));
      g_unix_set_fd_nonblocking (slot->err_fd, TRUE, NULL);
      slot->err_source = add_fd_source (self, slot->err_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                        err_cb, slot);
    }
  return slot_add (self, number, slot);
}

/* Off its lane; it exits once it has read what it was sent, and is freed when its channel
 * ends. Only an idle slot is retired. */
void
_pm_slot_retire (Slot *slot)
{
  PmPool *self = slot->pool;

  g_assert (slot->running == NULL);
  if (slot->number > 0 && slot->number < self->lanes->len &&
      g_ptr_array_index (self->lanes, slot->number) == slot)
    g_ptr_array_index (self->lanes, slot->number) = NULL;
  slot->number = 0;
  if (slot->out.len == 0)
    slot_close_input (slot);
}

/* Retires the idle slots above the limit, or, with @all, every idle slot (the run is over). */
void
_pm_pool_retire_slots (PmPool   *self,
                       gboolean  all)
{
  for (guint i = 1; i < self->lanes->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->lanes, i);

      if (slot != NULL && slot->running == NULL && (all || i > self->max_workers))
        _pm_slot_retire (slot);
    }
}

/* The pool goes away: every slot with it (each sees its input close, ends its job's group if it
 * has one, and exits). */
void
_pm_pool_free_slots (PmPool *self)
{
  if (self->slots == NULL)
    return;
  for (guint i = 0; i < self->slots->len; i++)
    slot_free (g_ptr_array_index (self->slots, i));
  g_ptr_array_set_size (self->slots, 0);
  g_ptr_array_set_size (self->lanes, 0);
}

/**
 * pm_pool_hold_output:
 * @self: a #PmPool
 * @held: %TRUE to stop reading what the jobs write, %FALSE to go on
 *
 * Back-pressure for a front end that cannot keep up with the jobs' output (a blocked standard
 * output): while held, nothing more is read from the slots, so a job that writes blocks on its
 * own pipe. Signals, timeouts and stops still work.
 */
void
pm_pool_hold_output (PmPool   *self,
                     gboolean  held)
{
  g_return_if_fail (PM_IS_POOL (self));

  if (self->output_held == !!held)
    return;
  self->output_held = !!held;
  watch_all (self);
}

/**
 * pm_pool_read_only_job_output:
 * @self: a #PmPool
 * @job: (nullable): the only job whose output is to be read for now, or %NULL for all
 *
 * Back-pressure for a front end that keeps a job's long line whole: while it waits for the
 * rest of that line, the other jobs' output can wait in their pipes.
 */
void
pm_pool_read_only_job_output (PmPool *self,
                              PmJob  *job)
{
  g_return_if_fail (PM_IS_POOL (self));

  if (self->output_only == job)
    return;
  g_set_object (&self->output_only, job);
  watch_all (self);
}

/* The slot that serves @lane now, or NULL */
Slot *
_pm_pool_lane_slot (PmPool *self,
                    guint   lane)
{
  return self->lanes != NULL && lane < self->lanes->len ? g_ptr_array_index (self->lanes, lane)
                                                         : NULL;
}

/**
 * pm_pool_get_slot_pid:
 * @self: a #PmPool
 * @number: a lane
 *
 * Returns: the PID of the pool-slot process that serves the lane now, or 0
 */
GPid
pm_pool_get_slot_pid (PmPool *self,
                      guint   number)
{
  Slot *slot;

  g_return_val_if_fail (PM_IS_POOL (self), 0);

  slot = _pm_pool_lane_slot (self, number);
  return slot ? slot->pid : 0;
}

/**
 * pm_pool_get_slot_host:
 * @self: a #PmPool
 * @number: a lane
 *
 * Returns: (transfer none) (nullable): the host whose pool-slot process serves the lane now
 *   (its login, as given), or %NULL when this machine's does, or none
 */
const char *
pm_pool_get_slot_host (PmPool *self,
                       guint   number)
{
  Slot *slot;

  g_return_val_if_fail (PM_IS_POOL (self), NULL);

  slot = _pm_pool_lane_slot (self, number);
  return slot && slot->host ? pm_host_get_login (slot->host) : NULL;
}
