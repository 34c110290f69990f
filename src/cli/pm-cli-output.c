/* pm-cli-output.c
 *
 * What pool-run writes to its standard output and error (the jobs' lines, the status line, its
 * notes) goes through here, in order, to a writer thread that does the blocking writes. The
 * main loop never waits on a slow or stopped reader (`pool-run … | less` left at its first
 * page), so timeouts, signals and Ctrl+C still work. The queue is bounded: past HIGH_WATER
 * bytes the pool stops reading its jobs' output (pm_pool_hold_output()), so a job that writes
 * blocks on its own pipe, and reading goes on when the queue is down to LOW_WATER.
 *
 * A reader that goes away (EPIPE) is told to the main loop once, by descriptor; whatever is
 * written there afterwards is dropped.
 *
 * Whole lines may also come as a job's pipe and a length (pm_cli_output_pass_pipe(), see
 * pm-pool-pass.c): the thread splice()s them from there to a standard output that is a pipe or
 * a file, kernel to kernel, and tells the pool when they are out of the job's pipe. The pool
 * reads that pipe again only then; when it needs it back sooner (the job has ended), the
 * bytes go through memory instead (pm_cli_output_reclaim()), so a reader that does not read
 * holds up no job's end. While nothing is queued before them, the main thread splice()s them
 * itself to a pipe, as far as it takes them without blocking (pm_cli_output_pass_pipe()): a
 * hand-off to the writer and its wake-up of the main loop cost more than the splice() (the
 * line mode's CPU, bench/README.md); only what is left goes to the writer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "pm-cli-bytes.h"
#include "pm-cli-output.h"
#include "pm-cli-tagged.h"

#define HIGH_WATER (4 << 20)
#define LOW_WATER  (1 << 20)
#define BATCH_MAX   1024          /* items in one writev() (IOV_MAX on Linux) */
#define BATCH_BYTES (256 << 10)
#define OUT_PIPE    (1 << 20)

typedef struct
{
  int     fd;
  GBytes *bytes;    /* what to write, or NULL to copy from src_fd */
  int     src_fd;   /* a file to copy from its start (a job's spilled output), or a job's
                     * pipe to take src_len bytes from (token != 0); closed after */
  gsize   src_len;
  guint64 token;    /* pm_pool_output_passed() once the pipe's bytes are out */
  char   *tag;      /* with bytes: put in front of each line (pm-cli-tagged.c), or NULL */
  gsize   tag_len;
  gboolean tag_first;
} Item;

static void
item_free (Item *item)
{
  g_clear_pointer (&item->bytes, g_bytes_unref);
  g_free (item->tag);
  if (item->src_fd >= 0)
    close (item->src_fd);
  g_free (item);
}

struct _PmCliOutput
{
  PmPool       *pool;
  GMainContext *context;
  GThread      *thread;

  GMutex        lock;
  GCond         cond;
  GQueue        items;        /* Item, in order */
  gsize         queued;       /* bytes in items and in the write under way */
  gboolean      quit;         /* the thread is to end once the queue is empty */
  gboolean      discard;      /* the pool is never held again (the run ends, read or not) */
  gboolean      flushing;     /* pm_cli_output_flush() waits for the queue to be empty */
  int           closed_fd;    /* whose reader went away, or -1 */
  GArray       *passed;       /* tokens of the pipes whose bytes are out, for the main loop */
  Item         *current;      /* the pipe's bytes the writer moves now, or NULL */
  guint64       reclaim;      /* its token, when the pool wants its pipe back */
  int           wake_fd[2];   /* written to when it does, to end the writer's wait */
  gboolean      can_splice[3];  /* by descriptor: a pipe or a file, not opened to append */
  gboolean      never_waits[3]; /* …a pipe (or /dev/null): splice() to it need not wait */
  guint64       spliced;      /* bytes of jobs' pipes moved by splice(), and through memory */
  guint64       copied;
  guint64       spliced_here; /* the main thread's: moved by splice() without the writer */

  GSource      *wake;         /* the main loop's next look, while pending */

  /* The main thread's own */
  gboolean      held;
  gboolean      told_closed;
  PmCliOutputClosedFunc closed_func;
  gpointer      closed_data;
};

static gboolean
wake_cb (gpointer user_data)
{
  PmCliOutput *self = user_data;
  g_autoptr(GArray) passed = NULL;
  gboolean release;
  int closed_fd;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->wake, g_source_unref);
  release = self->held && self->queued <= LOW_WATER;
  closed_fd = self->closed_fd;
  passed = self->passed->len > 0 ? g_array_copy (self->passed) : NULL;
  g_array_set_size (self->passed, 0);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; passed != NULL && i < passed->len; i++)
    pm_pool_output_passed (self->pool, g_array_index (passed, guint64, i));

  if (release)
    {
      self->held = FALSE;
      pm_pool_hold_output (self->pool, FALSE);
    }
  if (closed_fd >= 0 && !self->told_closed)
    {
      self->told_closed = TRUE;
      self->closed_func (closed_fd, self->closed_data);
    }
  return G_SOURCE_REMOVE;
}

/* With the lock held: the main loop is to look again (once, however often this is called). */
static void
wake_main (PmCliOutput *self)
{
  if (self->wake != NULL)
    return;
  self->wake = g_idle_source_new ();
  g_source_set_priority (self->wake, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->wake, wake_cb, self, NULL);
  g_source_attach (self->wake, self->context);
}

/* With the lock held: the pool has the pipe back, the main loop hears it */
static void
passed (PmCliOutput *self,
        Item        *item)
{
  g_array_append_val (self->passed, item->token);
  item->token = 0;
  wake_main (self);
}

/* The writer's: @item's bytes from the job's pipe to its descriptor, by splice() while the
 * descriptor takes them. Should it be full when the pool wants the pipe back
 * (pm_cli_output_reclaim()), or take no splice(), the rest goes through memory: it is read
 * out of the pipe (the pool told of it) and then written. */
static gboolean
pass_item (PmCliOutput *self,
           Item        *item)
{
  int fd = item->fd;
  gsize len = item->src_len;
  gboolean ok = fd != self->closed_fd;
  gboolean reclaimed = FALSE;
  g_autofree char *rest = NULL;
  gssize n;
  gsize got = 0;

  while (len > 0 && ok && self->can_splice[fd] && !reclaimed)
    {
      n = splice (item->src_fd, NULL, fd, NULL, len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0)
        {
          len -= n;
          self->spliced += n;
        }
      else if (n < 0 && errno == EAGAIN)
        {
          struct pollfd pfd[2] = { { fd, POLLOUT, 0 }, { self->wake_fd[0], POLLIN, 0 } };
          char byte;

          if (poll (pfd, 2, -1) > 0 && (pfd[1].revents & POLLIN))
            {
              while (read (self->wake_fd[0], &byte, 1) > 0)
                ;
              g_mutex_lock (&self->lock);
              reclaimed = self->reclaim == item->token;
              g_mutex_unlock (&self->lock);
            }
        }
      else if (n < 0 && errno == EINVAL)
        {
          self->can_splice[fd] = FALSE;
        }
      else if (!(n < 0 && errno == EINTR))
        {
          ok = FALSE;
          errno = n < 0 ? errno : EIO;
        }
    }
  if (len == 0)
    return TRUE;

  /* Through memory (at most a pipe's worth, 1 MiB) */
  {
    int saved = errno;

    rest = g_malloc (len);
    while (got < len && ((n = read (item->src_fd, rest + got, len - got)) > 0 ||
                         (n < 0 && errno == EINTR)))
      got += MAX (n, 0);
    g_mutex_lock (&self->lock);
    passed (self, item);
    self->copied += got;
    g_mutex_unlock (&self->lock);
    errno = saved;
  }
  if (!ok)
    return fd == self->closed_fd;
  return pm_cli_write_all (fd, rest, got);
}

/* Writes the bytes of @items, in order, with as few writev() calls as it takes. */
static gboolean
write_items (int    fd,
             Item **items,
             guint  n)
{
  struct iovec iov[BATCH_MAX];

  for (guint i = 0; i < n; i++)
    {
      gsize len;

      iov[i].iov_base = (void *)g_bytes_get_data (items[i]->bytes, &len);
      iov[i].iov_len = len;
    }
  return pm_cli_writev_all (fd, iov, n);
}

static gpointer
writer_thread (gpointer user_data)
{
  PmCliOutput *self = user_data;
  Item *batch[BATCH_MAX];

  g_mutex_lock (&self->lock);
  for (;;)
    {
      Item *item;
      gboolean ok;
      gsize len = 0;
      guint n = 0;
      int fd;

      while (self->items.length == 0 && !self->quit)
        g_cond_wait (&self->cond, &self->lock);
      if (self->items.length == 0)
        break;

      /* What is queued for the same descriptor goes in one writev(): a job's lines are many
       * small items, and a write() each cost more than all the rest (100 MB of 100-byte
       * lines: a million writes). A file to copy goes alone. */
      item = g_queue_pop_head (&self->items);
      fd = item->fd;
      batch[n++] = item;
      if (item->bytes != NULL)
        {
          len = g_bytes_get_size (item->bytes);
          while (batch[0]->tag == NULL && n < BATCH_MAX && len < BATCH_BYTES &&
                 (item = g_queue_peek_head (&self->items)) != NULL &&
                 item->fd == fd && item->bytes != NULL && item->tag == NULL)
            {
              batch[n++] = g_queue_pop_head (&self->items);
              len += g_bytes_get_size (item->bytes);
            }
        }
      else
        {
          len = item->src_len;
        }
      self->current = batch[0];
      g_mutex_unlock (&self->lock);
      if (batch[0]->token != 0)
        ok = pass_item (self, batch[0]);
      else if (fd == self->closed_fd)
        ok = TRUE;
      else if (batch[0]->tag != NULL)
        ok = pm_cli_write_tagged (fd, g_bytes_get_data (batch[0]->bytes, NULL), len,
                                  batch[0]->tag, batch[0]->tag_len, batch[0]->tag_first);
      else if (batch[0]->bytes != NULL)
        ok = write_items (fd, batch, n);
      else
        ok = pm_cli_copy_file (fd, batch[0]->src_fd, len);
      g_mutex_lock (&self->lock);
      self->current = NULL;

      if (!ok && errno == EPIPE && self->closed_fd < 0)
        self->closed_fd = fd;
      self->queued -= len;
      if (batch[0]->token != 0)
        passed (self, batch[0]);
      for (guint i = 0; i < n; i++)
        item_free (batch[i]);
      /* Not at each empty queue: the main loop woken for nothing at each chunk of lines costs
       * as much as the rest of a chunk's way through pool-run. */
      if ((self->held && self->queued <= LOW_WATER) ||
          (self->flushing && self->items.length == 0) || self->closed_fd >= 0)
        wake_main (self);
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/**
 * pm_cli_output_new:
 * @pool: the pool whose output is held while the queue is full
 * @closed_func: called in the main loop, once, when a reader went away
 */
PmCliOutput *
pm_cli_output_new (PmPool                *pool,
                   PmCliOutputClosedFunc  closed_func,
                   gpointer               closed_data)
{
  PmCliOutput *self = g_new0 (PmCliOutput, 1);

  self->pool = g_object_ref (pool);
  self->closed_func = closed_func;
  self->closed_data = closed_data;
  self->context = g_main_context_ref_thread_default ();
  self->closed_fd = -1;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->items);
  self->passed = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (pipe2 (self->wake_fd, O_CLOEXEC | O_NONBLOCK) != 0)
    g_error ("pool-run: cannot make a pipe: %s", g_strerror (errno));
  for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
    {
      struct stat st;
      int flags = fcntl (fd, F_GETFL);

      /* /dev/null takes splice() too; a file opened to append does not (EINVAL) */
      self->can_splice[fd] = fstat (fd, &st) == 0 && flags >= 0 && !(flags & O_APPEND) &&
                             (S_ISFIFO (st.st_mode) || S_ISREG (st.st_mode) ||
                              (S_ISCHR (st.st_mode) && st.st_rdev == makedev (1, 3)));
      /* A file's write may wait for its disk (SPLICE_F_NONBLOCK is for pipes): not in the
       * main loop */
      self->never_waits[fd] = self->can_splice[fd] && !S_ISREG (st.st_mode);
      /* A pipe to our reader as large as the jobs' (pm-pool-pass.c): the writer moves up to
       * that much at each wake-up instead of 64 kB */
      if (fd == STDOUT_FILENO && self->can_splice[fd] && S_ISFIFO (st.st_mode) &&
          fcntl (fd, F_GETPIPE_SZ) < OUT_PIPE)
        for (int size = OUT_PIPE; size > 64 * 1024; size /= 2)
          if (fcntl (fd, F_SETPIPE_SZ, size) >= 0)
            break;
    }
  self->thread = g_thread_new ("pool-run output", writer_thread, self);
  return self;
}

/* Queues @item; the pool's output is held while the queue is past its bound. */
static void
push (PmCliOutput *self,
      Item        *item,
      gsize        len)
{
  gboolean hold;
  int fd = item->fd;

  g_mutex_lock (&self->lock);
  if (fd == self->closed_fd && item->token == 0)
    {
      g_mutex_unlock (&self->lock);
      item_free (item);
      return;
    }
  g_queue_push_tail (&self->items, item);
  self->queued += len;
  hold = !self->held && !self->discard && self->queued > HIGH_WATER;
  /* The writer waits only on an empty queue */
  if (self->items.length == 1)
    g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (hold)
    {
      self->held = TRUE;
      pm_pool_hold_output (self->pool, TRUE);
    }
}

/* Queues @bytes for @fd, with @tag (or NULL) in front of each line */
static void
push_bytes (PmCliOutput *self,
            int          fd,
            GBytes      *bytes,
            const char  *tag,
            gboolean     tag_first)
{
  gsize len = g_bytes_get_size (bytes);
  Item *item;

  if (len == 0)
    return;
  item = g_new0 (Item, 1);
  item->fd = fd;
  item->bytes = g_bytes_ref (bytes);
  item->src_fd = -1;
  if (tag != NULL)
    {
      item->tag = g_strdup (tag);
      item->tag_len = strlen (tag);
      item->tag_first = tag_first;
    }
  push (self, item, len);
}

/* Queues @bytes for @fd */
void
pm_cli_output_write_bytes (PmCliOutput *self,
                           int          fd,
                           GBytes      *bytes)
{
  push_bytes (self, fd, bytes, NULL, FALSE);
}

/**
 * pm_cli_output_write_tagged:
 * @tag: put in front of each line of @bytes (see pm_cli_write_tagged())
 * @tag_first: whether @bytes starts a line
 *
 * Queues @bytes for @fd, tagged as they are written: no copy is made of them.
 */
void
pm_cli_output_write_tagged (PmCliOutput *self,
                            int          fd,
                            GBytes      *bytes,
                            const char  *tag,
                            gboolean     tag_first)
{
  g_return_if_fail (tag != NULL);
  push_bytes (self, fd, bytes, tag, tag_first);
}

/* The main thread's: @len bytes of the job's pipe @pipe_fd straight to @fd, a pipe, by
 * splice(), when nothing is queued or being written (they would go out before it), as far as
 * @fd takes them without blocking. @len is left with what did not go; TRUE when nothing is
 * left. An error (a reader gone, no splice() after all) leaves the rest to the writer, which
 * deals with it. */
static gboolean
splice_here (PmCliOutput *self,
             int          fd,
             int          pipe_fd,
             gsize       *len)
{
  gboolean idle;

  g_mutex_lock (&self->lock);
  idle = self->never_waits[fd] && self->queued == 0 && fd != self->closed_fd;
  g_mutex_unlock (&self->lock);
  while (idle && *len > 0)
    {
      gssize n = splice (pipe_fd, NULL, fd, NULL, *len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      *len -= n;
      self->spliced_here += n;
    }
  return *len == 0;
}

/**
 * pm_cli_output_pass_pipe:
 * @pipe_fd: a job's pipe (borrowed: the writer takes a duplicate)
 * @len: how many bytes at its front to write (whole lines)
 * @token: for pm_pool_output_passed(), called in the main loop once they are out of the pipe
 *
 * Returns: %FALSE when @fd is not a pipe or a file to splice() to: then nothing is queued
 */
gboolean
pm_cli_output_pass_pipe (PmCliOutput *self,
                         int          fd,
                         int          pipe_fd,
                         gsize        len,
                         guint64      token)
{
  Item *item;
  int src;

  g_return_val_if_fail (fd == STDOUT_FILENO || fd == STDERR_FILENO, FALSE);
  g_return_val_if_fail (token != 0, FALSE);

  if (!self->can_splice[fd])
    return FALSE;
  if (splice_here (self, fd, pipe_fd, &len))
    {
      pm_pool_output_passed (self->pool, token);
      return TRUE;
    }
  if ((src = fcntl (pipe_fd, F_DUPFD_CLOEXEC, 3)) < 0)
    {
      /* No descriptor to spare: the rest through memory, behind what went */
      g_autofree char *data = g_malloc (len);
      g_autoptr(GBytes) bytes = NULL;
      gsize got = 0;
      gssize n;

      while (got < len && ((n = read (pipe_fd, data + got, len - got)) > 0 ||
                           (n < 0 && errno == EINTR)))
        got += MAX (n, 0);
      bytes = g_bytes_new_take (g_steal_pointer (&data), got);
      push_bytes (self, fd, bytes, NULL, FALSE);
      pm_pool_output_passed (self->pool, token);
      return TRUE;
    }
  item = g_new0 (Item, 1);
  item->fd = fd;
  item->src_fd = src;
  item->src_len = len;
  item->token = token;
  push (self, item, len);
  return TRUE;
}

/**
 * pm_cli_output_reclaim:
 * @token: as given to pm_cli_output_pass_pipe()
 *
 * The pool wants the job's pipe back: its bytes are taken out of it now, into memory, unless
 * they are on their way already. pm_pool_output_passed() follows, at once or from the writer.
 */
void
pm_cli_output_reclaim (PmCliOutput *self,
                       guint64      token)
{
  Item *item = NULL;
  g_autofree char *data = NULL;
  gsize got = 0;

  g_mutex_lock (&self->lock);
  for (GList *l = self->items.head; l != NULL; l = l->next)
    if (((Item *)l->data)->token == token)
      item = l->data;
  if (item == NULL)
    {
      /* Under way (or done): the writer stops waiting for its reader */
      if (self->current != NULL && self->current->token == token)
        {
          self->reclaim = token;
          if (write (self->wake_fd[1], "", 1) < 0)
            g_debug ("the output thread's wake-up pipe is full: it is awake");
        }
      g_mutex_unlock (&self->lock);
      return;
    }

  /* Not started: the item becomes its bytes, in its place */
  data = g_malloc (item->src_len);
  while (got < item->src_len)
    {
      gssize n = read (item->src_fd, data + got, item->src_len - got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      got += n;
    }
  self->queued -= item->src_len - got;
  item->bytes = g_bytes_new_take (g_steal_pointer (&data), got);
  close (item->src_fd);
  item->src_fd = -1;
  item->token = 0;
  self->copied += got;
  g_mutex_unlock (&self->lock);
  pm_pool_output_passed (self->pool, token);
}

/**
 * pm_cli_output_write_file:
 * @src_fd: (transfer full): an open file, read from its start by the writer and closed
 * @len: how many bytes of it to write
 *
 * Queues the contents of a file (a job's output that was spilled to disk), copied in pieces so
 * that it never has to be in memory at once.
 */
void
pm_cli_output_write_file (PmCliOutput *self,
                          int          fd,
                          int          src_fd,
                          gsize        len)
{
  Item *item = g_new0 (Item, 1);

  item->fd = fd;
  item->src_fd = src_fd;
  item->src_len = len;
  if (len == 0)
    {
      item_free (item);
      return;
    }
  push (self, item, len);
}

void
pm_cli_output_write (PmCliOutput *self,
                     int          fd,
                     const void  *data,
                     gsize        len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  pm_cli_output_write_bytes (self, fd, bytes);
}

void
pm_cli_output_printf (PmCliOutput *self,
                      int          fd,
                      const char  *format,
                      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  pm_cli_output_write (self, fd, text, strlen (text));
}

/**
 * pm_cli_output_flush:
 * @interrupted: set by the caller's handlers while the main loop runs here
 *
 * Runs the main loop until everything queued is written, or @interrupted becomes %TRUE (then
 * the rest is given up: the reader does not read).
 *
 * Returns: %TRUE when everything was written (or dropped for a reader that went away)
 */
gboolean
pm_cli_output_flush (PmCliOutput *self,
                     gboolean    *interrupted)
{
  for (;;)
    {
      gboolean empty;

      g_mutex_lock (&self->lock);
      empty = self->queued == 0;
      self->flushing = !empty;
      g_mutex_unlock (&self->lock);
      if (empty)
        return TRUE;
      if (*interrupted)
        return FALSE;
      g_main_context_iteration (self->context, TRUE);
    }
}

/**
 * pm_cli_output_discard:
 *
 * From now on the pool's output is no longer held, however much is queued: the run is to end
 * at once, whether its reader reads or not. (What the jobs write while they are ended is
 * queued, and written if the reader reads before the run gives up on it.)
 */
void
pm_cli_output_discard (PmCliOutput *self)
{
  g_mutex_lock (&self->lock);
  self->discard = TRUE;
  g_mutex_unlock (&self->lock);
  if (self->held)
    {
      self->held = FALSE;
      pm_pool_hold_output (self->pool, FALSE);
    }
}

void
pm_cli_output_free (PmCliOutput *self)
{
  gboolean drained;

  g_mutex_lock (&self->lock);
  self->quit = TRUE;
  drained = self->queued == 0;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  /* A writer blocked on a reader that does not read is left to the process's exit. */
  if (!drained)
    return;

  g_thread_join (self->thread);
  g_debug ("bytes taken from the jobs' pipes: %" G_GUINT64_FORMAT " by splice(), %"
           G_GUINT64_FORMAT " through memory; %" G_GUINT64_FORMAT " of them spliced without "
           "the output thread", self->spliced + self->spliced_here, self->copied,
           self->spliced_here);
  if (self->wake != NULL)
    {
      g_source_destroy (self->wake);
      g_source_unref (self->wake);
    }
  g_queue_clear_full (&self->items, (GDestroyNotify)item_free);
  g_array_unref (self->passed);
  close (self->wake_fd[0]);
  close (self->wake_fd[1]);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_main_context_unref (self->context);
  g_object_unref (self->pool);
  g_free (self);
}
