/* pm-cli-modes.c
 *
 * The output modes of pool-run, each byte for byte what the jobs wrote (a tag is the only thing
 * added, at the start of each line):
 *
 * - line (the default): each line whole as soon as it ends, however long (pm-cli-lines.c);
 *   GNU parallel's --line-buffer. (parallel's own default is --group: we differ on purpose,
 *   so that a long run shows its progress.)
 * - --group: a job's stdout and then its stderr, whole, when it ends. What a job writes is held
 *   in memory up to JOB_MEM_MAX a stream (ALL_MEM_MAX for all jobs together) and past that in
 *   an unlinked temporary file, which the output thread copies out in pieces: nothing is lost,
 *   and memory stays bounded whatever a job writes. With --keep-order, the job whose turn it is
 *   has its stdout shown as it comes (nothing can come before it). Without it, each job waits
 *   for its end, as in GNU parallel: showing a job that runs alone as it comes would hold back
 *   the jobs that start and end after it, however long it runs. Unless no job can start before
 *   it ends (-j 1, fixed): then its stdout too is shown as it comes, straight from its pipe,
 *   and its stderr at its end, the same bytes in the same order without the temporary file
 *   (bench/README.md).
 * - --ungroup: as the pool reads it, nothing kept whole.
 * - --keep-order: in the jobs' order. The oldest job still running is shown live (in the line
 *   or ungroup modes; with --group it too waits for its end); the others are held as in
 *   --group until it is their turn.
 * - --tag, --tagstring STR: each line starts with the job's argument (or STR expanded) and a
 *   tab; not with --ungroup, as parallel.
 * - --results DIR: as GNU parallel 20221122 lays it out, DIR/1/ARG/stdout, stderr and seq (the
 *   sequence number, no newline), ARG with \ as \\, tab as \t and / as \_; the output then is
 *   not shown, as parallel does not show it.
 *
 * --retries: a job's attempt that the pool will run again has what is held of it dropped (and
 * its --results files emptied), so that the last attempt's output alone is shown, as GNU
 * parallel's --group, -k and --results; what was shown as it came (the line mode, --ungroup,
 * -k's live job) stays. With --retries > 1, --group never shows a job's stdout as it comes.
 *
 * The order of --keep-order is the order the pool made its jobs in (by sequence number): the turn passes
 * from a job once its last attempt has ended, or it was cancelled. (Jobs are started in that
 * order, but the pool hears of their start from their slots in any order.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pm-cli-bytes.h"
#include "pm-cli-modes.h"
#include "pm-cli-results.h"
#include "pm-template.h"

#define JOB_MEM_MAX (1 << 20)
#define ALL_MEM_MAX (32 << 20)
#define SPILL_CHUNK (256 << 10)

typedef struct
{
  GByteArray *mem;
  int         spill_fd;   /* -1 until the stream goes to a temporary file */
  gsize       spilled;
} Held;

typedef struct
{
  PmJob    *job;
  char     *tag;          /* with its tab, or NULL */
  gboolean  mid_line[2];  /* by stream: the last bytes shown did not end a line */
  Held      held[2];
  gboolean  ended;        /* its last attempt ended */
  gboolean  live;         /* --keep-order: its turn has come */
  gboolean  live_out;     /* --group --keep-order: its turn has come, its stdout is shown as it
                           * comes, its stderr at its end */
  int       results_fd[2];
} JobOut;

struct _PmCliModes
{
  PmPool      *pool;
  PmCliOutput *output;
  PmCliLines  *lines;
  PmCliMode    mode;
  gboolean     keep_order;
  gboolean     one_at_a_time;
  gboolean     tag;
  gboolean     quiet;
  char        *results;
  PmTemplate  *tag_template;
  GHashTable  *jobs;        /* PmJob → JobOut */
  GQueue       order;       /* --keep-order: the jobs, in the order the pool made them, from the
                             * one whose turn it is (the pool may forget finished jobs) */
  gboolean     results_splice;   /* the results files take splice() */
  gsize        held_bytes;  /* held in memory, all jobs */
  gboolean     said_spill;
  gulong       started_handler;
  gulong       added_handler;
};

static int
stream_index (int fd)
{
  return fd == STDERR_FILENO ? 1 : 0;
}

static void
job_out_free (JobOut *jo)
{
  for (int i = 0; i < 2; i++)
    {
      g_clear_pointer (&jo->held[i].mem, g_byte_array_unref);
      if (jo->held[i].spill_fd >= 0)
        close (jo->held[i].spill_fd);
      if (jo->results_fd[i] >= 0)
        close (jo->results_fd[i]);
    }
  g_clear_object (&jo->job);
  g_free (jo->tag);
  g_free (jo);
}

static JobOut *
job_out (PmCliModes *self,
         PmJob      *job)
{
  JobOut *jo = g_hash_table_lookup (self->jobs, job);

  if (jo != NULL)
    return jo;

  jo = g_new0 (JobOut, 1);
  jo->job = g_object_ref (job);
  for (int i = 0; i < 2; i++)
    {
      jo->held[i].mem = g_byte_array_new ();
      jo->held[i].spill_fd = -1;
      jo->results_fd[i] = -1;
    }
  if (self->tag_template != NULL)
    {
      g_auto(GStrv) words = pm_template_expand (self->tag_template, pm_job_get_name (job),
                                                pm_job_get_seq (job), pm_job_get_slot (job));
      jo->tag = g_strconcat (words[0], "\t", NULL);
    }
  else if (self->tag)
    {
      jo->tag = g_strconcat (pm_job_get_name (job), "\t", NULL);
    }
  if (self->results != NULL)
    pm_cli_results_open (self->results, job, jo->results_fd);

  g_hash_table_insert (self->jobs, job, jo);
  return jo;
}

/* Moves what the stream holds to a temporary file, where the rest of it goes too. */
static gboolean
spill (PmCliModes *self,
       Held       *held)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("pool-run-XXXXXX", &path, NULL);

  if (fd < 0)
    return FALSE;
  g_unlink (path);
  if (!pm_cli_write_all (fd, held->mem->data, held->mem->len))
    {
      close (fd);
      return FALSE;
    }
  held->spill_fd = fd;
  held->spilled = held->mem->len;
  self->held_bytes -= held->mem->len;
  g_byte_array_set_size (held->mem, 0);
  return TRUE;
}

/* Writes what a spilled stream has gathered in memory to its file. */
static gboolean
flush_spill (PmCliModes *self,
             Held       *held)
{
  if (held->mem->len == 0)
    return TRUE;
  if (!pm_cli_write_all (held->spill_fd, held->mem->data, held->mem->len))
    {
      g_printerr ("pool-run: %s: %s\n", _("cannot write a temporary file"), g_strerror (errno));
      return FALSE;
    }
  held->spilled += held->mem->len;
  self->held_bytes -= held->mem->len;
  g_byte_array_set_size (held->mem, 0);
  return TRUE;
}

static void
hold (PmCliModes *self,
      JobOut     *jo,
      int         fd,
      GBytes     *bytes)
{
  Held *held = &jo->held[stream_index (fd)];
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (held->spill_fd < 0 &&
      (held->mem->len + len > JOB_MEM_MAX || self->held_bytes + len > ALL_MEM_MAX) &&
      !spill (self, held) && !self->said_spill)
    {
      self->said_spill = TRUE;
      g_printerr ("pool-run: %s\n", _("cannot write a temporary file: a job's output is held "
                                      "in memory"));
    }

  /* A spilled stream gathers SPILL_CHUNK in memory between writes to its file */
  g_byte_array_append (held->mem, data, len);
  self->held_bytes += len;
  if (held->spill_fd >= 0 && held->mem->len >= SPILL_CHUNK)
    flush_spill (self, held);
}

/* Whether @jo's output on @fd is held, not shown as it comes: until the job ends (--group) or
 * its turn comes (--keep-order) */
static gboolean
is_held (PmCliModes *self,
         JobOut     *jo,
         int         fd)
{
  if (fd == STDOUT_FILENO && jo->live_out)
    return FALSE;
  return (self->keep_order && !jo->live) ||
         (!self->keep_order && self->mode == PM_CLI_MODE_GROUP);
}

/* Whole lines of a held stream, @len bytes at the front of the job's pipe, once the stream is
 * past what memory holds: to its temporary file straight from the pipe (splice(), no copy
 * through pool-run), behind what it held before. FALSE (the pool reads them as usual) while
 * they fit in memory, or when there is no file to put them in. */
static gboolean
pass_to_held (PmCliModes *self,
              JobOut     *jo,
              int         fd,
              int         pipe_fd,
              gsize       len)
{
  Held *held = &jo->held[stream_index (fd)];
  gsize moved = 0;

  if (held->spill_fd < 0 &&
      held->mem->len + len <= JOB_MEM_MAX && self->held_bytes + len <= ALL_MEM_MAX)
    return FALSE;
  if (held->spill_fd < 0 ? !spill (self, held) : !flush_spill (self, held))
    return FALSE;
  while (moved < len)
    {
      gssize n = splice (pipe_fd, NULL, held->spill_fd, NULL, len - moved, SPLICE_F_MOVE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      moved += n;
    }
  held->spilled += moved;
  if (moved < len)
    {
      /* The file takes no more (or no splice()): the rest is held in memory */
      gsize rest = len - moved;
      gsize start = held->mem->len, at = start;
      gssize n = 0;

      g_byte_array_set_size (held->mem, at + rest);
      while (rest > 0 && ((n = read (pipe_fd, held->mem->data + at, rest)) > 0 ||
                          (n < 0 && errno == EINTR)))
        if (n > 0)
          at += n, rest -= n;
      g_byte_array_set_size (held->mem, at);
      self->held_bytes += at - start;
    }
  return TRUE;
}

/* What one of the job's streams holds, out now */
static void
release_stream (PmCliModes *self,
                JobOut     *jo,
                int         i)
{
  static const int fds[] = { STDOUT_FILENO, STDERR_FILENO };

    {
      Held *held = &jo->held[i];

      if (held->spill_fd >= 0)
        {
          flush_spill (self, held);   /* what it could not write follows from memory */
          pm_cli_output_write_file (self->output, fds[i], held->spill_fd, held->spilled);
          held->spill_fd = -1;
          held->spilled = 0;
        }
      if (held->mem->len > 0)
        {
          g_autoptr(GBytes) bytes = NULL;

          self->held_bytes -= held->mem->len;
          bytes = g_byte_array_free_to_bytes (held->mem);
          held->mem = g_byte_array_new ();
          pm_cli_output_write_bytes (self->output, fds[i], bytes);
        }
    }
}

/* An attempt that will be retried: what its streams hold is dropped, and its results files
 * start again, so that only the last attempt's output is shown or kept, as GNU parallel does.
 * (What was shown as it came stays shown.) */
static void
drop_attempt (PmCliModes *self,
              JobOut     *jo)
{
  for (int i = 0; i < 2; i++)
    {
      Held *held = &jo->held[i];

      if (held->spill_fd >= 0)
        {
          close (held->spill_fd);
          held->spill_fd = -1;
          held->spilled = 0;
        }
      self->held_bytes -= held->mem->len;
      g_byte_array_set_size (held->mem, 0);
      jo->mid_line[i] = FALSE;

      pm_cli_results_restart (jo->job, &jo->results_fd[i]);
    }
}

/* What the job's streams hold, out now: its stdout, then its stderr. */
static void
release (PmCliModes *self,
         JobOut     *jo)
{
  release_stream (self, jo, 0);
  release_stream (self, jo, 1);
}

static GBytes *
tagged (JobOut *jo,
        int     fd,
        GBytes *bytes)
{
  gboolean *mid_line = &jo->mid_line[stream_index (fd)];
  gsize len, tag_len, n_tags = 0, at = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  const char *p, *end;
  char *out;

  if (jo->tag == NULL || len == 0)
    return g_bytes_ref (bytes);

  /* Counted first, then copied once: a chunk may hold thousands of lines */
  tag_len = strlen (jo->tag);
  n_tags = !*mid_line;
  for (p = data, end = data + len; (p = memchr (p, '\n', end - p)) != NULL && ++p < end;)
    n_tags++;
  out = g_malloc (len + n_tags * tag_len);

  for (p = data; p < end;)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize take = nl ? (gsize)(nl - p) + 1 : (gsize)(end - p);

      if (!*mid_line)
        {
          memcpy (out + at, jo->tag, tag_len);
          at += tag_len;
        }
      memcpy (out + at, p, take);
      at += take;
      *mid_line = nl == NULL;
      p += take;
    }
  g_assert (at == len + n_tags * tag_len);
  return g_bytes_new_take (out, at);
}

/* As it comes: whole lines, or (ungroup, keep-order's live job) as read */
static void
show (PmCliModes *self,
      JobOut     *jo,
      int         fd,
      GBytes     *bytes)
{
  if (self->mode == PM_CLI_MODE_LINE && !self->keep_order)
    pm_cli_lines_add (self->lines, jo->job, fd, bytes);
  else
    pm_cli_output_write_bytes (self->output, fd, bytes);
}

/* Whether an attempt may be retried (--retries N, N > 1): then --group holds a job's stdout
 * until its attempt ends, even when it could be shown as it comes, so that a failed attempt's
 * can be dropped */
static gboolean
may_retry (PmCliModes *self)
{
  return pm_pool_get_retries (self->pool) > 1;
}

/* --keep-order: out go the jobs whose turn it is and that have ended (or never ran); the next
 * one still running goes live (unless grouped). */
static void
advance (PmCliModes *self)
{
  PmJob *job;

  while ((job = g_queue_peek_head (&self->order)) != NULL)
    {
      JobOut *jo = g_hash_table_lookup (self->jobs, job);

      if (jo == NULL)
        {
          /* Not started yet, or cancelled (or failed to start) without a word */
          if (!pm_job_state_is_finished (pm_job_get_state (job)))
            return;
          g_object_unref (g_queue_pop_head (&self->order));
          continue;
        }
      if (!jo->ended)
        {
          if (!jo->live && self->mode != PM_CLI_MODE_GROUP)
            {
              jo->live = TRUE;
              release (self, jo);
            }
          else if (!jo->live_out && self->mode == PM_CLI_MODE_GROUP && !may_retry (self))
            {
              jo->live_out = TRUE;
              release_stream (self, jo, 0);
            }
          return;
        }
      release (self, jo);
      g_hash_table_remove (self->jobs, job);
      g_object_unref (g_queue_pop_head (&self->order));
    }
}

/* --keep-order: jobs are added at the end of the pool's list, in their order */
static void
items_changed_cb (PmCliModes *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  for (guint i = position; i < position + added; i++)
    g_queue_push_tail (&self->order, g_list_model_get_item (model, i));
}

static void
job_started_cb (PmCliModes *self,
                PmJob      *job,
                PmPool     *pool)
{
  JobOut *jo = job_out (self, job);

  /* --group, one job at a time: nothing can come between its start and its end */
  if (self->one_at_a_time && !self->keep_order && self->mode == PM_CLI_MODE_GROUP &&
      !jo->live_out && !may_retry (self))
    {
      jo->live_out = TRUE;
      release_stream (self, jo, 0);
    }
  if (self->keep_order)
    advance (self);
}

PmCliModes *
pm_cli_modes_new (PmPool                  *pool,
                  PmCliOutput             *output,
                  PmCliLines              *lines,
                  const PmCliModesOptions *options)
{
  PmCliModes *self = g_new0 (PmCliModes, 1);

  self->pool = g_object_ref (pool);
  self->output = output;
  self->lines = lines;
  self->mode = options->mode;
  self->keep_order = options->keep_order;
  self->one_at_a_time = options->one_at_a_time;
  self->tag = options->tag && options->mode != PM_CLI_MODE_UNGROUP;
  self->quiet = options->quiet;
  self->results = g_strdup (options->results);
  self->results_splice = TRUE;
  if (options->tagstring != NULL && options->mode != PM_CLI_MODE_UNGROUP)
    {
      const char *words[] = { options->tagstring, NULL };
      self->tag_template = pm_template_new (words, NULL);
    }
  self->jobs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)job_out_free);
  self->started_handler = g_signal_connect_swapped (pool, "job-started",
                                                    G_CALLBACK (job_started_cb), self);
  if (self->keep_order)
    {
      items_changed_cb (self, 0, 0, g_list_model_get_n_items (G_LIST_MODEL (pool)),
                        G_LIST_MODEL (pool));
      self->added_handler = g_signal_connect_swapped (pool, "items-changed",
                                                      G_CALLBACK (items_changed_cb), self);
    }
  return self;
}

/* Before the run: a results folder that cannot be made is a usage error. */
gboolean
pm_cli_modes_check (const PmCliModesOptions  *options,
                    GError                  **error)
{
  if (options->results != NULL && g_mkdir_with_parents (options->results, 0777) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("cannot make the results folder %s: %s"), options->results,
                   g_strerror (saved));
      return FALSE;
    }
  if (options->keep_order && options->mode == PM_CLI_MODE_UNGROUP)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("--keep-order and --ungroup do not go together"));
      return FALSE;
    }
  return TRUE;
}

/* Whether the jobs' lines may ever go straight from their pipes (pm_cli_modes_pass()): not
 * when each line is changed (tags) or not shown */
gboolean
pm_cli_modes_may_pass (const PmCliModesOptions *options)
{
  if (options->results != NULL)
    return TRUE;
  return !options->quiet && !options->tag && options->tagstring == NULL;
}

/* Whether the jobs' output is needed at all */
gboolean
pm_cli_modes_wants_output (const PmCliModesOptions *options)
{
  return !options->quiet || options->results != NULL;
}

/* A line, or a piece of one, from #PmPool::job-output, for @fd */
void
pm_cli_modes_output (PmCliModes *self,
                     PmJob      *job,
                     int         fd,
                     GBytes     *bytes)
{
  JobOut *jo = job_out (self, job);
  g_autoptr(GBytes) shown = NULL;
  gboolean live_out;

  if (self->results != NULL)
    {
      gsize len;
      const void *data = g_bytes_get_data (bytes, &len);
      int out = jo->results_fd[stream_index (fd)];

      if (out >= 0 && !pm_cli_write_all (out, data, len))
        {
          g_printerr ("pool-run: %s %u: %s\n", _("cannot write the results of job"),
                      pm_job_get_seq (job), g_strerror (errno));
          close (out);
          jo->results_fd[stream_index (fd)] = -1;
        }
      return;
    }
  if (self->quiet)
    return;

  live_out = fd == STDOUT_FILENO && jo->live_out;
  if (is_held (self, jo, fd))
    {
      shown = tagged (jo, fd, bytes);
      hold (self, jo, fd, shown);
    }
  else if (jo->tag != NULL)
    {
      /* Shown as it comes: tagged by the output thread as it writes, without a copy */
      gboolean *mid_line = &jo->mid_line[stream_index (fd)];
      gboolean tag_first = !*mid_line;
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      if (len == 0)
        return;
      *mid_line = data[len - 1] != '\n';
      if (self->mode == PM_CLI_MODE_LINE && !self->keep_order)
        pm_cli_lines_add_tagged (self->lines, job, fd, bytes, jo->tag, tag_first);
      else
        pm_cli_output_write_tagged (self->output, fd, bytes, jo->tag, tag_first);
    }
  else if (live_out)
    {
      pm_cli_output_write_bytes (self->output, fd, bytes);
    }
  else
    {
      show (self, jo, fd, bytes);
    }
}

/* --results: the lines go from the pipe to the job's file, at once */
static gboolean
pass_to_results (PmCliModes *self,
                 PmJob      *job,
                 int         fd,
                 int         pipe_fd,
                 gsize       len,
                 guint64     token)
{
  JobOut *jo = job_out (self, job);
  int *out = &jo->results_fd[stream_index (fd)];

  if (!pm_cli_move_from_pipe (*out, pipe_fd, len, &self->results_splice, NULL, NULL))
    {
      g_printerr ("pool-run: %s %u: %s\n", _("cannot write the results of job"),
                  pm_job_get_seq (job), g_strerror (errno));
      close (*out);
      *out = -1;
    }
  pm_pool_output_passed (self->pool, token);
  return TRUE;
}

/* --results: a job here writes to its files itself (pm_pool_set_output_files_func()) */
static gboolean
results_files_cb (PmPool   *pool,
                  PmJob    *job,
                  int       fds[2],
                  gpointer  user_data)
{
  JobOut *jo = job_out (user_data, job);

  fds[0] = jo->results_fd[0];
  fds[1] = jo->results_fd[1];
  return fds[0] >= 0 && fds[1] >= 0;
}

/**
 * pm_cli_modes_results_direct:
 * @self: a #PmCliModes with --results
 *
 * The jobs on this machine write to their --results files themselves, as `cmd > stdout 2>
 * stderr` would, instead of through the pool and us: for when nothing else reads their output
 * (no event log).
 */
void
pm_cli_modes_results_direct (PmCliModes *self)
{
  g_return_if_fail (self->results != NULL);
  pm_pool_set_output_files_func (self->pool, results_files_cb, self);
}

/* Whole lines of @job's, @len bytes at the front of its pipe (see pm-pool-pass.c), taken from
 * there by the output thread where they would go out unchanged as they come: TRUE if taken. */
gboolean
pm_cli_modes_pass (PmCliModes *self,
                   PmJob      *job,
                   int         fd,
                   int         pipe_fd,
                   gsize       len,
                   guint64     token)
{
  JobOut *jo;

  if (self->results != NULL)
    return pass_to_results (self, job, fd, pipe_fd, len, token);
  if (self->quiet || self->tag || self->tag_template != NULL)
    return FALSE;
  if (self->mode == PM_CLI_MODE_LINE && !self->keep_order)
    return pm_cli_lines_pass (self->lines, job, fd, pipe_fd, len, token);
  /* --keep-order: the job whose turn it is is shown live (with --group, its stdout) */
  jo = job_out (self, job);
  if ((self->keep_order && self->mode != PM_CLI_MODE_GROUP && jo->live) ||
      (fd == STDOUT_FILENO && jo->live_out))
    return pm_cli_output_pass_pipe (self->output, fd, pipe_fd, len, token);
  if (is_held (self, jo, fd) && pass_to_held (self, jo, fd, pipe_fd, len))
    {
      pm_pool_output_passed (self->pool, token);
      return TRUE;
    }
  return FALSE;
}

/* A job's attempt ended (or a job was cancelled). */
void
pm_cli_modes_job_ended (PmCliModes *self,
                        PmJob      *job)
{
  JobOut *jo = g_hash_table_lookup (self->jobs, job);

  if (self->mode == PM_CLI_MODE_LINE && !self->keep_order)
    pm_cli_lines_job_ended (self->lines, job);
  if (jo == NULL)
    {
      if (self->keep_order)
        advance (self);
      return;
    }

  if (pm_pool_will_retry (self->pool, job))
    {
      /* Held output (--group, --keep-order before its turn, --results) shows the last attempt
       * alone, as GNU parallel's */
      drop_attempt (self, jo);
      return;
    }

  if (self->keep_order)
    {
      jo->ended = TRUE;
      advance (self);
      return;
    }
  release (self, jo);
  g_hash_table_remove (self->jobs, job);
}

void
pm_cli_modes_free (PmCliModes *self)
{
  if (self->results != NULL)
    pm_pool_set_output_files_func (self->pool, NULL, NULL);
  g_clear_signal_handler (&self->started_handler, self->pool);
  g_clear_signal_handler (&self->added_handler, self->pool);
  g_queue_clear_full (&self->order, g_object_unref);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->tag_template, pm_template_unref);
  g_clear_object (&self->pool);
  g_free (self->results);
  g_free (self);
}
