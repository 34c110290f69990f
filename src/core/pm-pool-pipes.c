/* pm-pool-pipes.c
 *
 * A local job's output read by the pool itself, not copied through its slot. Before each START
 * to a local slot the pool makes the job's stdout and stderr pipes, passes their write ends to
 * the slot over the socket it was started with (SCM_RIGHTS, see PM_SLOT_PASS_FD in
 * pm-slot-protocol.h) and closes its own copies; the slot gives them to the job and closes
 * its copies too. So the job (and whatever it leaves behind) holds the only write ends, and
 * the pool reads the other ends from the job's STARTED on.
 *
 * A job is over when its EXITED came and both its pipes have ended (every writer closed them).
 * A background process that keeps a pipe open after the job's leader was reaped gets DRAIN_MS,
 * as the slot gives its own pipes: then what is in the pipe is read, at most DRAIN_LAST_CHUNKS
 * reads, and the pipe is closed (the process gets EPIPE if it writes again). Back-pressure is
 * the slot channel's (pm_pool_hold_output() and the like): a pipe not read makes the job block.
 * A front end may take whole lines out of a pipe itself (pm-pool-pass.c): the pipe is not
 * read, nor drained, until it is done. Or it may give the job files of its own to write to
 * (pm_pool_set_output_files_func()): they are passed in the pipes' place, and there is nothing
 * to read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "pm-pool-internal.h"

#define DRAIN_MS          500
#define DRAIN_LAST_CHUNKS 16
#define READ_SIZE         (64 * 1024)
#define READ_MAX          (1024 * 1024)   /* the largest pipe (pm-pool-pass.c) */

/* Makes the job's pipes and passes their write ends to its slot, or passes the front end's
 * files instead (pm_pool_set_output_files_func()): FALSE when that could not be done (the
 * slot then makes pipes, and sends the output as OUTPUT). */
gboolean
_pm_running_pass_pipes (Running *running)
{
  PmPool *pool = running->pool;
  int out[2] = { -1, -1 }, err[2] = { -1, -1 };
  int files[2] = { -1, -1 };
  int ends[2] = { -1, -1 };
  gboolean to_files;
  char byte = 0;
  union
  {
    char           buffer[CMSG_SPACE (sizeof ends)];
    struct cmsghdr align;
  } control;
  struct iovec iov = { &byte, 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
  struct cmsghdr *cmsg;
  gssize n = -1;

  memset (&control, 0, sizeof control);
  to_files = pool->files_func != NULL &&
             pool->files_func (pool, running->job, files, pool->files_data) &&
             files[0] >= 0 && files[1] >= 0;
  if (to_files)
    {
      ends[0] = files[0];
      ends[1] = files[1];
    }
  else if (pipe2 (out, O_CLOEXEC) == 0 && pipe2 (err, O_CLOEXEC) == 0)
    {
      _pm_pool_enlarge_pipe (pool, running, out[0]);
      ends[0] = out[1];
      ends[1] = err[1];
    }
  if (ends[0] >= 0 && ends[1] >= 0)
    {
      cmsg = CMSG_FIRSTHDR (&msg);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN (sizeof ends);
      memcpy (CMSG_DATA (cmsg), ends, sizeof ends);
      do
        n = sendmsg (running->slot->pass_fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
      while (n < 0 && errno == EINTR);
    }
  for (int i = 0; i < 2; i++)
    {
      if (out[i] >= 0 && (i == 1 || n != 1))
        close (out[i]);
      if (err[i] >= 0 && (i == 1 || n != 1))
        close (err[i]);
    }
  if (n != 1)
    {
      _pm_running_pipe_closed (running, 0);   /* its enlarged pipe is gone */
      return FALSE;
    }
  /* Written to files, the job's output is not ours to read: it ends with its EXITED */
  if (to_files)
    return TRUE;

  running->pipe_fd[0] = out[0];
  running->pipe_fd[1] = err[0];
  for (int i = 0; i < 2; i++)
    g_unix_set_fd_nonblocking (running->pipe_fd[i], TRUE, NULL);
  return TRUE;
}

static void
stop_watching (Running *running,
               int      i)
{
  GSource *source;

  if (running->pipe_source[i] != 0 &&
      (source = g_main_context_find_source_by_id (running->pool->context,
                                                  running->pipe_source[i])))
    g_source_destroy (source);
  running->pipe_source[i] = 0;
}

static void
close_pipe (Running *running,
            int      i)
{
  stop_watching (running, i);
  if (running->pipe_fd[i] >= 0)
    {
      close (running->pipe_fd[i]);
      _pm_running_pipe_closed (running, i);
    }
  running->pipe_fd[i] = -1;
}

/* Frees every pipe and source of the job's (its end, or its slot's death). */
void
_pm_running_close_pipes (Running *running)
{
  GSource *source;

  for (int i = 0; i < 2; i++)
    close_pipe (running, i);
  if (running->drain_source != 0 &&
      (source = g_main_context_find_source_by_id (running->pool->context,
                                                  running->drain_source)))
    g_source_destroy (source);
  running->drain_source = 0;
}

/* Once EXITED came and the pipes are done with: the job ends (and @running may be freed). */
static void
finish_if_done (Running *running)
{
  PmSlotExited exit;

  if (!running->exit_pending || running->pipe_fd[0] >= 0 || running->pipe_fd[1] >= 0)
    return;
  _pm_running_close_pipes (running);
  running->exit_pending = FALSE;
  exit = running->exit;
  _pm_running_exited (running, &exit);
}

/* One read of pipe @i: its bytes go on as the slot's OUTPUT would (or, with @may_pass, whole
 * lines to the front end that takes them itself); the pipe closes at its end. */
static gssize
read_pipe (Running  *running,
           int       i,
           gboolean  may_pass)
{
  guint8 buffer[READ_SIZE];
  int avail = 0;
  gssize n;

  if (may_pass && _pm_running_pass_lines (running, i))
    return 1;
  /* In chunks, all that the pipe holds is read at once into memory of its own, which goes on
   * as it is: fewer reads and wake-ups, and no copy (pool-run's --tag, bench/README.md) */
  if (running->pool->output_chunks &&
      ioctl (running->pipe_fd[i], FIONREAD, &avail) == 0 && avail > 0)
    {
      gsize size = MIN ((gsize)avail, (gsize)READ_MAX);
      guint8 *data = g_malloc (size);

      n = read (running->pipe_fd[i], data, size);
      if (n > 0)
        {
          g_autoptr(GBytes) chunk = g_bytes_new_take (data, n);

          running->line_open[i] = data[n - 1] != '\n';
          _pm_running_take_chunk (running, i == 0 ? PM_OUTPUT_STDOUT : PM_OUTPUT_STDERR, chunk);
          return n;
        }
      g_free (data);
      if (n == 0 || (errno != EAGAIN && errno != EINTR))
        close_pipe (running, i);
      return n;
    }
  n = read (running->pipe_fd[i], buffer, sizeof buffer);
  if (n > 0)
    {
      running->line_open[i] = buffer[n - 1] != '\n';
      _pm_running_take_output (running, i == 0 ? PM_OUTPUT_STDOUT : PM_OUTPUT_STDERR, buffer, n);
    }
  else if (n == 0 || (errno != EAGAIN && errno != EINTR))
    close_pipe (running, i);
  return n;
}

static gboolean
pipe_cb (int          fd,
         GIOCondition condition,
         gpointer     user_data)
{
  Running *running = user_data;
  g_autoptr(PmPool) pool = g_object_ref (running->pool);   /* a job's end may drop the last */
  int i = fd == running->pipe_fd[0] ? 0 : 1;

  read_pipe (running, i, TRUE);
  if (running->pipe_fd[i] >= 0)
    return G_SOURCE_CONTINUE;
  /* close_pipe() destroyed this source already */
  finish_if_done (running);
  return G_SOURCE_REMOVE;
}

/* Reads the pipes or stops, as the pool's back-pressure says (_pm_slot_watch_input()). */
void
_pm_running_watch_pipes (Running  *running,
                         gboolean  may_read)
{
  if (!running->passed || !running->started)
    return;
  for (int i = 0; i < 2; i++)
    {
      if (!may_read || running->pipe_fd[i] < 0 || running->pass_token[i] != 0)
        stop_watching (running, i);
      else if (running->pipe_source[i] == 0)
        {
          GSource *source = g_unix_fd_source_new (running->pipe_fd[i],
                                                  G_IO_IN | G_IO_HUP | G_IO_ERR);

          g_source_set_priority (source, PM_POOL_IO_PRIORITY);
          g_source_set_callback (source, (GSourceFunc)(void (*)(void))pipe_cb, running, NULL);
          running->pipe_source[i] = g_source_attach (source, running->pool->context);
          g_source_unref (source);
        }
    }
}

/* What the pipes hold now is taken, and the job ends. */
static void
drain (Running *running)
{
  for (int i = 0; i < 2; i++)
    {
      for (int k = 0; k < DRAIN_LAST_CHUNKS && running->pipe_fd[i] >= 0; k++)
        if (read_pipe (running, i, FALSE) <= 0)
          break;
      close_pipe (running, i);
    }
  finish_if_done (running);
}

/* The drain time is over (once the front end has taken its lines: see below) */
static gboolean
drain_cb (gpointer user_data)
{
  Running *running = user_data;
  g_autoptr(PmPool) pool = g_object_ref (running->pool);

  running->drain_source = 0;
  if (running->pass_token[0] != 0 || running->pass_token[1] != 0)
    {
      /* What the front end was given goes first: it is asked to take it now */
      running->drain_due = TRUE;
      _pm_running_reclaim (running);
    }
  else
    {
      drain (running);
    }
  return G_SOURCE_REMOVE;
}

/* The front end has taken the lines it was given from a pipe: reading goes on. */
void
_pm_running_pipes_passed (Running *running)
{
  if (running->pass_token[0] != 0 || running->pass_token[1] != 0)
    {
      _pm_slot_watch_input (running->slot);
      return;
    }
  if (running->drain_due)
    {
      running->drain_due = FALSE;
      drain (running);
      return;
    }
  _pm_slot_watch_input (running->slot);
}

/* EXITED came: TRUE when the job must wait for its pipes to end (or for the drain time) before
 * it ends. */
gboolean
_pm_running_wait_pipes (Running            *running,
                        const PmSlotExited *exit)
{
  GSource *source;

  if (!running->passed || (running->pipe_fd[0] < 0 && running->pipe_fd[1] < 0))
    return FALSE;
  running->exit_pending = TRUE;
  running->exit = *exit;
  source = g_timeout_source_new (DRAIN_MS);
  g_source_set_priority (source, PM_POOL_IO_PRIORITY);
  g_source_set_callback (source, drain_cb, running, NULL);
  running->drain_source = g_source_attach (source, running->pool->context);
  g_source_unref (source);
  /* Lines the front end has not moved yet (its reader is slow) are taken now, as the pool
   * would read them: the job's end waits for no reader (it waited DRAIN_MS for one) */
  _pm_running_reclaim (running);
  return TRUE;
}

/**
 * pm_pool_set_output_files_func:
 * @self: a #PmPool
 * @func: (nullable): asked for the files a job's stdout and stderr are to be, or %NULL
 * @user_data: for @func
 *
 * Before each job on this machine starts, @func may give two files of the front end's: the job
 * then writes its stdout and stderr to them itself, as if redirected, with no copy through the
 * pool (pool-run --results). Its output is not read: no #PmPool::job-output for it, no tail, and
 * a process it leaves behind may write on after its end. Jobs on other hosts are read as always,
 * as is a job for which @func returns %FALSE.
 */
void
pm_pool_set_output_files_func (PmPool          *self,
                               PmPoolFilesFunc  func,
                               gpointer         user_data)
{
  g_return_if_fail (PM_IS_POOL (self));

  self->files_func = func;
  self->files_data = user_data;
}
