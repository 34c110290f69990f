/* pm-pool-pass.c
 *
 * Whole lines handed from a local job's pipe to a front end that moves them on itself, without
 * the pool reading them (pm_pool_set_output_pass_func()): pool-run splice()s them from the
 * job's pipe to its own standard output, kernel to kernel, where reading them and writing them
 * again cost two more copies of every byte and a wake-up of its output thread per chunk.
 *
 * To know where the last whole line of what the pipe holds ends, the pool looks at a copy:
 * tee() duplicates the pipe's contents into a scratch pipe without taking them out (no bytes
 * are copied, only page references), the front of the copy goes to /dev/null unread (splice())
 * and only its last PASS_WINDOW bytes are read: the last newline is found there, and the job's
 * tail (pm-pool-job.c) starts again from them. (With 256 kB, most chunks, 128 kB from cat, were
 * read whole: 32 kB took about 15 % less CPU; 4 kB about 5 % less again, bench/README.md.)
 * When those are all one line, a second tee() looks at PASS_WINDOW_LONG bytes of the end. A
 * line that the last read() left open is ended first, the usual way. Less than PASS_MIN bytes,
 * or no newline in the longer window (a long line), and the pipe is read as before: the lines
 * the front end gets are always whole, and a job's bytes go out in the order it wrote them,
 * whichever way each piece takes.
 *
 * Until the front end says it has taken them (pm_pool_output_passed(), which it may call before its
 * pass function returns, when they went out at once), the pipe is not watched: the job blocks on it
 * when it is full, as when the pool's output is held. When the job has ended (its EXITED came), the
 * front end is asked to take them now (into memory if its reader does not read), and what the pipe
 * holds after them is read as usual: a slow reader never keeps a job from ending, nor a timeout or
 * a stop from taking effect.
 *
 * The job's stdout pipe is enlarged (F_SETPIPE_SZ, to what /proc/sys/fs/pipe-max-size allows,
 * BIG_PIPE at most) so that a job writing fast fills more at once and each wake-up moves more.
 * Enlarged pipes count against the user's pipe-user-pages-soft (64 MiB by default: past it,
 * every new pipe of the user's is cut to two pages), so at most BIG_PIPES_MAX are open at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "pm-pool-internal.h"

#define BIG_PIPE      (1 << 20)
#define BIG_PIPES_MAX 16
#define PASS_MIN      (64 * 1024)
#define PASS_WINDOW   (4 * 1024)
#define PASS_WINDOW_LONG (32 * 1024)
#define HEAD_MAX      (64 * 1024)

/* The pipe's capacity as large as allowed, up to BIG_PIPE; none past BIG_PIPES_MAX. */
void
_pm_pool_enlarge_pipe (PmPool  *self,
                       Running *running,
                       int      fd)
{
  if (self->n_big_pipes >= BIG_PIPES_MAX)
    return;
  /* EPERM above pipe-max-size (for users without CAP_SYS_RESOURCE): half as big then */
  for (int size = BIG_PIPE; size > 64 * 1024; size /= 2)
    if (fcntl (fd, F_SETPIPE_SZ, size) >= 0)
      {
        running->big_pipe = TRUE;
        self->n_big_pipes++;
        return;
      }
}

void
_pm_running_pipe_closed (Running *running,
                         int      i)
{
  if (i == 0 && running->big_pipe)
    {
      running->big_pipe = FALSE;
      running->pool->n_big_pipes--;
    }
}

void
_pm_pool_close_scratch (PmPool *self)
{
  for (int i = 0; i < 2; i++)
    {
      if (self->scratch[i] >= 0)
        close (self->scratch[i]);
      self->scratch[i] = -1;
    }
}

static gboolean
open_scratch (PmPool *self)
{
  if (self->scratch[0] >= 0)
    return TRUE;
  if (pipe2 (self->scratch, O_CLOEXEC | O_NONBLOCK) != 0)
    {
      self->scratch[0] = self->scratch[1] = -1;
      return FALSE;
    }
  /* As large as the largest job pipe, so that one tee() sees all that pipe holds */
  for (int size = BIG_PIPE; size > 64 * 1024; size /= 2)
    if (fcntl (self->scratch[1], F_SETPIPE_SZ, size) >= 0)
      break;
  return TRUE;
}

/* Takes @len bytes out of the pipe @fd unread; FALSE if it could not. */
static gboolean
discard (int   fd,
         gsize len)
{
  static int null_fd = -1;
  char buffer[16 * 1024];

  if (null_fd < 0)
    null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  while (len > 0)
    {
      gssize n = null_fd >= 0 ? splice (fd, NULL, null_fd, NULL, len, SPLICE_F_NONBLOCK) : -1;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno != EAGAIN)
        n = read (fd, buffer, MIN (len, sizeof buffer));
      if (n <= 0)
        return FALSE;
      len -= n;
    }
  return TRUE;
}

/* Reads exactly @len bytes that the pipe @fd is known to hold. */
static gboolean
read_exactly (int     fd,
              guint8 *data,
              gsize   len)
{
  while (len > 0)
    {
      gssize n = read (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n, len -= n;
    }
  return TRUE;
}

/* The scratch pipe is emptied: the pipe it copies is read the usual way after all. */
static gboolean
give_up (PmPool *self,
         gsize   left)
{
  if (!discard (self->scratch[0], left))
    _pm_pool_close_scratch (self);   /* its state unknown: a fresh one next time */
  return FALSE;
}

/* The last whole line among the @n bytes the scratch pipe holds (a copy of the job's pipe from
 * its front) past the @seen read already: the end of it, read from their last @window bytes
 * (*@window_len of them, all that is taken out), or NULL when there is no newline there (the
 * scratch pipe is then empty, or closed if it could not be read). */
static GBytes *
last_lines (PmPool *self,
            gsize   n,
            gsize   seen,
            gsize   window,
            gsize  *window_len)
{
  guint8 *data;
  const guint8 *nl;

  *window_len = MIN (n - seen, window);
  if (!discard (self->scratch[0], n - seen - *window_len))
    {
      give_up (self, n - seen);
      return NULL;
    }
  data = g_malloc (*window_len);
  if (!read_exactly (self->scratch[0], data, *window_len))
    {
      g_free (data);
      _pm_pool_close_scratch (self);   /* a short read leaves it in an unknown state */
      return NULL;
    }
  if ((nl = memrchr (data, '\n', *window_len)) == NULL)
    {
      g_free (data);
      return NULL;
    }
  return g_bytes_new_take (data, nl - data + 1);
}

/* Pipe @i of @running holds something: TRUE if whole lines of it went to the front end (or
 * were taken as read() takes them), FALSE if the pipe is to be read as usual. */
gboolean
_pm_running_pass_lines (Running *running,
                        int      i)
{
  PmPool *self = running->pool;
  PmOutputStream stream = i == 0 ? PM_OUTPUT_STDOUT : PM_OUTPUT_STDERR;
  int fd = running->pipe_fd[i];
  int avail = 0;
  gssize n;
  gsize start = 0, seen = 0, window_len = 0;
  gboolean took_head;
  g_autoptr(GBytes) last = NULL;
  gsize len;
  guint64 token;

  /* Once the job has ended (EXITED came) what is left is read: its end waits for no reader */
  if (self->pass_func == NULL || !self->output_chunks || running->pass_token[i] != 0 ||
      running->exit_pending)
    return FALSE;
  /* Little there (or its end): read() is cheaper */
  if (ioctl (fd, FIONREAD, &avail) < 0 || avail < PASS_MIN || !open_scratch (self))
    return FALSE;
  n = tee (fd, self->scratch[1], G_MAXINT, SPLICE_F_NONBLOCK);
  if (n < PASS_MIN)
    return n > 0 ? give_up (self, n) : FALSE;

  /* The line the last read left open ends first, as read() would have taken it */
  if (running->line_open[i])
    {
      guint8 head[HEAD_MAX];
      const guint8 *nl;

      seen = MIN ((gsize)n, sizeof head);
      if (!read_exactly (self->scratch[0], head, seen))
        return give_up (self, n - seen);
      if ((nl = memchr (head, '\n', seen)) == NULL)
        return give_up (self, n - seen);
      start = nl - head + 1;
      if (!discard (fd, start))
        {
          /* Not taken: the pipe is as it was */
          give_up (self, n - seen);
          return FALSE;
        }
      running->line_open[i] = FALSE;
      _pm_running_take_output (running, stream, head, start);
      if (running->pipe_fd[i] < 0)
        return TRUE;
    }

  /* The last lines: their end, for where to stop and for the tail */
  took_head = start > 0;
  if ((gsize)n - start < PASS_MIN)
    {
      give_up (self, n - seen);
      return took_head;
    }
  last = last_lines (self, n, seen, PASS_WINDOW, &window_len);
  if (last == NULL && self->scratch[0] >= 0 && window_len == PASS_WINDOW)
    {
      /* The window is all in one line: a second look, at more of its end (the job's pipe
       * still holds it all, from where the head left it) */
      n = tee (fd, self->scratch[1], G_MAXINT, SPLICE_F_NONBLOCK);
      if (n < PASS_MIN)
        {
          if (n > 0)
            give_up (self, n);
          return took_head;
        }
      start = seen = 0;
      last = last_lines (self, n, 0, PASS_WINDOW_LONG, &window_len);
    }
  if (last == NULL)
    return took_head;
  len = n - window_len - start + g_bytes_get_size (last);

  token = ++self->next_token;
  running->pass_token[i] = token;
  if (!self->pass_func (self, running->job, stream, fd, len, token, self->pass_data))
    {
      running->pass_token[i] = 0;
      return took_head;
    }
  _pm_running_count_passed (running, stream, last, len);
  /* Not this pipe while it is taken from; a front end that took the lines at once (before it
   * returned) leaves the watch as it is, rather than removed and made again for each chunk */
  if (running->pass_token[i] == token)
    _pm_slot_watch_input (running->slot);
  return TRUE;
}

/**
 * pm_pool_set_output_pass_func:
 * @self: a #PmPool
 * @func: (nullable): asked to take whole lines of a job's output out of its pipe, or %NULL
 * @reclaim: (nullable): asked to take them at once (needed with @func)
 * @user_data: for @func and @reclaim
 *
 * With pm_pool_set_output_chunks(), a local job's whole lines may go to @func instead of
 * #PmPool::job-output: when a pipe holds enough of them, @func is given the pipe and how many bytes
 * at its front are whole lines. If it returns %TRUE it takes exactly that many bytes out of the
 * pipe (splice() or read()), in any thread, and calls pm_pool_output_passed() with the token in the
 * pool's thread once they are out (even if they went nowhere; before it returns, if they went out
 * at once); the pool does not read that pipe until then. If it returns %FALSE the pool reads them
 * as usual. The job's tail and byte count include passed lines. A job's output comes out in its
 * order either way: nothing of the pipe's is passed on while lines taken before are not yet out of
 * it.
 */
void
pm_pool_set_output_pass_func (PmPool            *self,
                              PmPoolPassFunc     func,
                              PmPoolReclaimFunc  reclaim,
                              gpointer           user_data)
{
  g_return_if_fail (PM_IS_POOL (self));
  g_return_if_fail (func == NULL || reclaim != NULL);

  self->pass_func = func;
  self->reclaim_func = reclaim;
  self->pass_data = user_data;
}

/* The job's end waits for its pipes: lines given to the front end are to be taken now. */
void
_pm_running_reclaim (Running *running)
{
  PmPool *self = running->pool;
  guint64 tokens[2] = { running->pass_token[0], running->pass_token[1] };

  /* @running may be gone after the first (pm_pool_output_passed() from the call) */
  for (int i = 0; i < 2; i++)
    if (tokens[i] != 0)
      self->reclaim_func (self, tokens[i], self->pass_data);
}

/**
 * pm_pool_output_passed:
 * @self: a #PmPool
 * @token: as given to the #PmPoolPassFunc
 *
 * The lines given with @token are out of their pipe: the pool reads it again. A job that has
 * ended since is no matter.
 */
void
pm_pool_output_passed (PmPool  *self,
                       guint64  token)
{
  g_autoptr(PmPool) pool = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (PM_IS_POOL (self));

  pool = g_object_ref (self);   /* the job's end may drop the last reference */
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Running *running = value;

      for (int i = 0; i < 2; i++)
        if (running->pass_token[i] == token)
          {
            running->pass_token[i] = 0;
            _pm_running_pipes_passed (running);
            return;
          }
    }
}
