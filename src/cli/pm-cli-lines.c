/* pm-cli-lines.c
 *
 * Keeps the jobs' lines whole on pool-run's standard output and error. The pool passes on each
 * line whole, but a line longer than 1 MiB comes in pieces (see pm-pool-job.c): while a job is
 * in the middle of a line on a stream, that job owns the stream, and the lines other jobs write
 * there wait here, in order, until its line ends (its newline, or the job's end). Waiting lines
 * are bounded: past WAITING_MAX bytes the pool reads only the owner's output until it is done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>

#include "pm-cli-lines.h"

#define WAITING_MAX (4 << 20)

typedef struct
{
  PmJob  *job;
  int     fd;
  GBytes *line;    /* NULL: the job has ended */
  char   *tag;     /* in front of each of its lines, or NULL (--tag) */
  gboolean tag_first;
} Entry;

struct _PmCliLines
{
  PmPool      *pool;
  PmCliOutput *output;
  PmJob       *owner[3];   /* by descriptor: the job in the middle of a line there */
  GQueue       waiting;    /* Entry */
  gsize        waiting_bytes;
  gboolean     held;
};

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->job);
  g_clear_pointer (&entry->line, g_bytes_unref);
  g_free (entry->tag);
  g_free (entry);
}

static gboolean
can_go (PmCliLines  *self,
        const Entry *entry)
{
  return self->owner[entry->fd] == NULL || self->owner[entry->fd] == entry->job;
}

static void
go (PmCliLines  *self,
    const Entry *entry)
{
  gsize len;
  const char *data;

  if (entry->line == NULL)
    {
      if (self->owner[entry->fd] == entry->job)
        g_clear_object (&self->owner[entry->fd]);
      return;
    }
  data = g_bytes_get_data (entry->line, &len);
  if (entry->tag != NULL)
    pm_cli_output_write_tagged (self->output, entry->fd, entry->line, entry->tag,
                                entry->tag_first);
  else
    pm_cli_output_write_bytes (self->output, entry->fd, entry->line);
  if (len > 0 && data[len - 1] == '\n')
    g_clear_object (&self->owner[entry->fd]);
  else
    g_set_object (&self->owner[entry->fd], entry->job);
}

static gboolean
job_waits (PmCliLines *self,
           PmJob      *job)
{
  for (GList *l = self->waiting.head; l != NULL; l = l->next)
    if (((Entry *)l->data)->job == job)
      return TRUE;
  return FALSE;
}

/* What can go now, in order; an entry stays behind another of its own job. */
static void
drain (PmCliLines *self)
{
  gboolean moved = TRUE;

  while (moved)
    {
      g_autoptr(GHashTable) blocked = g_hash_table_new (NULL, NULL);

      moved = FALSE;
      for (GList *l = self->waiting.head; l != NULL;)
        {
          Entry *entry = l->data;
          GList *next = l->next;

          if (!g_hash_table_contains (blocked, entry->job) && can_go (self, entry))
            {
              go (self, entry);
              if (entry->line != NULL)
                self->waiting_bytes -= g_bytes_get_size (entry->line);
              g_queue_delete_link (&self->waiting, l);
              entry_free (entry);
              moved = TRUE;
            }
          else
            {
              g_hash_table_add (blocked, entry->job);
            }
          l = next;
        }
    }

  if (self->held && self->waiting_bytes <= WAITING_MAX / 4)
    {
      self->held = FALSE;
      pm_pool_read_only_job_output (self->pool, NULL);
    }
}

static void
add (PmCliLines *self,
     PmJob      *job,
     int         fd,
     GBytes     *line,
     const char *tag,
     gboolean    tag_first)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->job = g_object_ref (job);
  entry->fd = fd;
  entry->line = line ? g_bytes_ref (line) : NULL;
  entry->tag = g_strdup (tag);
  entry->tag_first = tag_first;

  if (self->waiting.length == 0 && can_go (self, entry))
    {
      go (self, entry);
      entry_free (entry);
      return;
    }

  g_queue_push_tail (&self->waiting, entry);
  if (line != NULL)
    self->waiting_bytes += g_bytes_get_size (line);
  drain (self);

  if (!self->held && self->waiting_bytes > WAITING_MAX && self->owner[fd] != NULL)
    {
      self->held = TRUE;
      pm_pool_read_only_job_output (self->pool, self->owner[fd]);
    }
}

PmCliLines *
pm_cli_lines_new (PmPool      *pool,
                  PmCliOutput *output)
{
  PmCliLines *self = g_new0 (PmCliLines, 1);

  self->pool = g_object_ref (pool);
  self->output = output;
  g_queue_init (&self->waiting);
  return self;
}

/* A line, or a piece of one, from #PmPool::job-output */
void
pm_cli_lines_add (PmCliLines *self,
                  PmJob      *job,
                  int         fd,
                  GBytes     *line)
{
  add (self, job, fd, line, NULL, FALSE);
}

/* The same, with @tag in front of each of its lines (of the first only if @tag_first): the
 * tag is put there as it is written (pm-cli-tagged.c). */
void
pm_cli_lines_add_tagged (PmCliLines *self,
                         PmJob      *job,
                         int         fd,
                         GBytes     *line,
                         const char *tag,
                         gboolean    tag_first)
{
  add (self, job, fd, line, tag, tag_first);
}

/* Whole lines of @job's, @len bytes at the front of its pipe (pm-pool-pass.c), out as they are
 * when nothing waits for @fd and no line is in the middle there: FALSE, and the pool reads
 * them as usual, otherwise. */
gboolean
pm_cli_lines_pass (PmCliLines *self,
                   PmJob      *job,
                   int         fd,
                   int         pipe_fd,
                   gsize       len,
                   guint64     token)
{
  if (self->waiting.length > 0 || self->owner[fd] != NULL)
    return FALSE;
  return pm_cli_output_pass_pipe (self->output, fd, pipe_fd, len, token);
}

/* The job has ended: a line it left without a newline ends there. */
void
pm_cli_lines_job_ended (PmCliLines *self,
                        PmJob      *job)
{
  for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
    if (self->owner[fd] == job || job_waits (self, job))
      add (self, job, fd, NULL, NULL, FALSE);
}

void
pm_cli_lines_free (PmCliLines *self)
{
  g_queue_clear_full (&self->waiting, (GDestroyNotify)entry_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->owner); i++)
    g_clear_object (&self->owner[i]);
  g_clear_object (&self->pool);
  g_free (self);
}
