/* pm-log-writer.c
 *
 * A PmLogWriter follows a live pool and writes one of the formats as the run goes, a line at a
 * time, each written and flushed as it happens, so that a crash loses nothing that was already
 * written. What happened before it was attached is written first, as if it had been there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>

#include "pm-job-private.h"
#include "pm-joblog-private.h"
#include "pm-pool-private.h"
#include "pm-runlog-private.h"

#include "pm-runlog.h"

struct _PmLogWriter
{
  GObject        parent_instance;

  PmPool        *pool;
  PmLogFormat    format;
  GFile         *file;
  GOutputStream *stream;
  GError        *error;
  /* Joblog: appending to a joblog that has its header already (resuming a run), and how many
   * columns its lines have */
  gboolean       append;
  guint          joblog_columns;

  /* Event log: the attempt of each job last announced by a "queued" event */
  GHashTable    *announced;
  /* Event log: how many of the pool's limit changes were written; whether its start was */
  guint          n_changes;
  gboolean       started;
  /* Event log: the output limits (bytes, 0: none); what was written of each job's attempt
   * (G_MAXSIZE once some of it was dropped) and of the run */
  gsize          job_output_limit;
  gsize          run_output_limit;
  GHashTable    *job_output;
  gsize          run_output;

  gulong         items_changed_id;
  gulong         limit_id;
  gulong         start_id;
  gulong         started_id;
  gulong         output_id;
  gulong         finished_id;

  guint          closed : 1;
};

G_DEFINE_FINAL_TYPE (PmLogWriter, pm_log_writer, G_TYPE_OBJECT)

static GOutputStream *
open_output (GFile     *file,
             gboolean   append,
             gboolean  *was_empty,
             GError   **error)
{
  const char *path = g_file_peek_path (file);
  g_autofree char *name = g_file_get_parse_name (file);
  GFileOutputStream *stream;
  int fd;

  if (path == NULL)
    {
      /* Not a local file: GIO's own replace, which only shows the file once it is closed */
      *was_empty = TRUE;
      stream = append ? g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error)
                      : g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
      if (stream == NULL)
        {
          g_prefix_error (error, _("Cannot write log file %s: "), name);
          return NULL;
        }
      return G_OUTPUT_STREAM (stream);
    }

  /* Truncated in place, not replaced at close like g_file_replace() does, so that each
   * flushed line is on disk at once and survives a crash of ours. */
  fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | (append ? O_APPEND : O_TRUNC),
             0666);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write log file %s: %s"), name, g_strerror (saved_errno));
      return NULL;
    }

  *was_empty = !append || lseek (fd, 0, SEEK_END) == 0;
  return g_unix_output_stream_new (fd, TRUE);
}

/* A joblog appended to keeps the columns its header names: an older joblog of ours, or one of
 * GNU parallel's, gets lines that it can still be read with. */
static guint
count_joblog_columns (GFile *file)
{
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  char buf[4096];
  gsize len = 0;
  const char *newline;

  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), buf, sizeof buf, &len, NULL, NULL) ||
      (newline = memchr (buf, '\n', len)) == NULL)
    return PM_JOBLOG_N_COLS;
  return _pm_joblog_count_columns (buf, newline - buf);
}

static void
disconnect_pool (PmLogWriter *self)
{
  if (self->pool == NULL)
    return;

  g_clear_signal_handler (&self->items_changed_id, self->pool);
  g_clear_signal_handler (&self->limit_id, self->pool);
  g_clear_signal_handler (&self->start_id, self->pool);
  g_clear_signal_handler (&self->started_id, self->pool);
  g_clear_signal_handler (&self->output_id, self->pool);
  g_clear_signal_handler (&self->finished_id, self->pool);
}

/* Writes and flushes @text. The first error is kept and stops all further writing: a log
 * that cannot be written must not stop the run. */
static void
write_text (PmLogWriter *self,
            GString     *text)
{
  g_autoptr(GError) error = NULL;

  if (self->error != NULL || self->stream == NULL || text->len == 0)
    return;

  if (!g_output_stream_write_all (self->stream, text->str, text->len, NULL, NULL, &error) ||
      !g_output_stream_flush (self->stream, NULL, &error))
    {
      g_autofree char *name = g_file_get_parse_name (self->file);

      g_set_error (&self->error, error->domain, error->code,
                   _("Cannot write log file %s: %s"), name, error->message);
      g_debug ("%s", self->error->message);
      disconnect_pool (self);
    }
}

static void
announce_job (PmLogWriter *self,
              PmJob       *job,
              GString     *out)
{
  guint attempt = pm_job_get_attempt (job);

  /* A job of a pool not started yet is not queued yet: the start announces it. */
  if (pm_job_get_queued_time (job) <= 0)
    return;
  /* A retried job is queued again, as its next attempt. */
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->announced, job)) != attempt)
    {
      g_hash_table_replace (self->announced, g_object_ref (job), GUINT_TO_POINTER (attempt));
      _pm_eventlog_append_queued (out, job);
    }
}

static void
pool_items_changed_cb (PmLogWriter *self,
                       guint        position,
                       guint        removed,
                       guint        added,
                       GListModel  *model)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (model, i);
      announce_job (self, job, out);
    }

  write_text (self, out);
}

/* Writes the pool's limit changes not written yet: the pool records them (with their times)
 * once it has started, the limit at start first. */
static void
announce_limits (PmLogWriter *self,
                 GString     *out)
{
  const PmLimitChange *changes;
  guint n_changes;

  if (!self->started)
    return;

  changes = pm_pool_get_limit_changes (self->pool, &n_changes);
  for (; self->n_changes < n_changes; self->n_changes++)
    _pm_eventlog_append_limit (out, changes[self->n_changes].limit,
                               changes[self->n_changes].time);
}

/* The pool notifies its start only after starting the first jobs (it freezes notify), so the
 * first "started" writes the "start" event before its own. */
static void
announce_start (PmLogWriter *self,
                GString     *out)
{
  gint64 start = pm_pool_get_start_time (self->pool);
  const PmLimitChange *changes;
  guint n_changes;

  if (!self->started && start > 0)
    {
      changes = pm_pool_get_limit_changes (self->pool, &n_changes);
      if (n_changes > 0)
        _pm_eventlog_append_start (out, changes[0].limit, changes[0].time);
      else
        _pm_eventlog_append_start (out, pm_pool_get_max_workers (self->pool), start);
      self->started = TRUE;
      self->n_changes = MIN (n_changes, 1);

      /* The start queued the jobs added before it. */
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->pool)); i++)
        {
          g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (self->pool), i);
          announce_job (self, job, out);
        }
    }

  announce_limits (self, out);
}

/* notify::max-workers and notify::start-time: a limit change, or the start */
static void
pool_notify_cb (PmLogWriter *self,
                GParamSpec  *pspec,
                PmPool      *pool)
{
  g_autoptr(GString) out = g_string_new (NULL);

  announce_start (self, out);
  write_text (self, out);
}

static void
pool_job_started_cb (PmLogWriter *self,
                     PmJob       *job,
                     PmPool      *pool)
{
  g_autoptr(GString) out = g_string_new (NULL);

  announce_start (self, out);
  announce_job (self, job, out);
  _pm_eventlog_append_started (out, job);
  write_text (self, out);
  g_hash_table_remove (self->job_output, job);   /* a new attempt */
}

/* Keeps the output limits: the output event appended to @out from @start on is taken back if
 * it does not fit, and the first of an attempt taken back becomes an "output-dropped" event.
 * The limits count the bytes of the output events as written, newlines included. */
static void
limit_output (PmLogWriter *self,
              PmJob       *job,
              GString     *out,
              gsize        start,
              gint64       time)
{
  gsize len = out->len - start;
  gsize *written;

  if (self->job_output_limit == 0 && self->run_output_limit == 0)
    return;

  if ((written = g_hash_table_lookup (self->job_output, job)) == NULL)
    {
      written = g_new0 (gsize, 1);
      g_hash_table_insert (self->job_output, g_object_ref (job), written);
    }
  if (*written != G_MAXSIZE &&
      (self->job_output_limit == 0 || *written + len <= self->job_output_limit) &&
      (self->run_output_limit == 0 || self->run_output + len <= self->run_output_limit))
    {
      *written += len;
      self->run_output += len;
      return;
    }

  g_string_truncate (out, start);
  if (*written != G_MAXSIZE)
    _pm_eventlog_append_output_dropped (out, job, time);
  *written = G_MAXSIZE;
}

static void
pool_job_output_cb (PmLogWriter *self,
                    PmJob       *job,
                    int          stream,
                    GBytes      *line,
                    PmPool      *pool)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 now = g_get_real_time ();
  gsize start;

  announce_job (self, job, out);
  start = out->len;
  _pm_eventlog_append_output (out, job, stream, line, now);
  limit_output (self, job, out, start, now);
  write_text (self, out);
}

static void
pool_job_finished_cb (PmLogWriter *self,
                      PmJob       *job,
                      PmPool      *pool)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (self->format == PM_LOG_FORMAT_JOBLOG)
    {
      _pm_joblog_append_job (out, job, self->joblog_columns);
    }
  else
    {
      announce_start (self, out);
      announce_job (self, job, out);
      _pm_eventlog_append_finished (out, job);
      /* Not held past its end: a retried job is announced again at its next start. */
      g_hash_table_remove (self->announced, job);
    }

  write_text (self, out);
}

static int
compare_jobs_by_end (gconstpointer a,
                     gconstpointer b)
{
  gint64 end_a = pm_job_get_end_time (*(PmJob **)a);
  gint64 end_b = pm_job_get_end_time (*(PmJob **)b);

  if (end_a != end_b)
    return end_a < end_b ? -1 : 1;
  return _pm_runlog_compare_jobs_by_seq (a, b);
}

/* What happened before the writer was attached, written as if it had been there. */
static void
write_start (PmLogWriter *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = G_LIST_MODEL (self->pool);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (jobs, g_list_model_get_item (model, i));

  if (self->format == PM_LOG_FORMAT_JOBLOG)
    {
      if (!self->append)
        _pm_joblog_append_header (out);
      g_ptr_array_sort (jobs, compare_jobs_by_end);
      for (guint i = 0; i < jobs->len; i++)
        {
          if (pm_job_is_finished (jobs->pdata[i]))
            _pm_joblog_append_job (out, jobs->pdata[i], self->joblog_columns);
        }
    }
  else if (self->format == PM_LOG_FORMAT_EVENTS)
    {
      gint64 start = pm_pool_get_start_time (self->pool);
      const PmLimitChange *changes;
      guint n_changes;

      /* Attached to a pool that has started: the header stands for its start. */
      changes = pm_pool_get_limit_changes (self->pool, &n_changes);
      if (start > 0 && n_changes > 0)
        _pm_eventlog_append_run (out, changes[0].limit, start);
      else
        _pm_eventlog_append_run (out, pm_pool_get_max_workers (self->pool),
                                 start > 0 ? start : g_get_real_time ());
      self->started = start > 0;
      self->n_changes = MIN (n_changes, 1);
      announce_limits (self, out);

      for (guint i = 0; i < jobs->len; i++)
        {
          PmJob *job = jobs->pdata[i];

          announce_job (self, job, out);
          if (pm_job_get_start_time (job) > 0)
            _pm_eventlog_append_started (out, job);
          if (pm_job_is_finished (job))
            _pm_eventlog_append_finished (out, job);
        }
    }

  write_text (self, out);
}

static void
pm_log_writer_dispose (GObject *object)
{
  PmLogWriter *self = (PmLogWriter *)object;

  disconnect_pool (self);
  if (self->stream != NULL && !g_output_stream_is_closed (self->stream))
    g_output_stream_close (self->stream, NULL, NULL);
  g_clear_object (&self->stream);
  g_clear_object (&self->pool);
  g_clear_pointer (&self->announced, g_hash_table_unref);
  g_clear_pointer (&self->job_output, g_hash_table_unref);

  G_OBJECT_CLASS (pm_log_writer_parent_class)->dispose (object);
}

static void
pm_log_writer_finalize (GObject *object)
{
  PmLogWriter *self = (PmLogWriter *)object;

  g_clear_object (&self->file);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (pm_log_writer_parent_class)->finalize (object);
}

static void
pm_log_writer_class_init (PmLogWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pm_log_writer_dispose;
  object_class->finalize = pm_log_writer_finalize;
}

static void
pm_log_writer_init (PmLogWriter *self)
{
  self->announced = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->job_output = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
}

/**
 * pm_log_writer_new:
 * @pool: the pool to follow
 * @format: the log format
 * @file: the file to write; it is created, or truncated, at once
 * @error: return location for a #GError
 *
 * Starts a log of @pool's run. A joblog gets one line per finished attempt and an event log
 * one line per event, each written and flushed as it happens; a trace is written whole by
 * pm_log_writer_close(). Jobs already in the pool are logged as if the writer had been
 * attached from the start. A write error stops the writer without failing the run: check
 * pm_log_writer_get_error(), or the result of pm_log_writer_close().
 *
 * Returns: (transfer full): a new writer, or %NULL if @file cannot be created (a directory,
 *   a missing directory, no permission)
 */
PmLogWriter *
pm_log_writer_new (PmPool       *pool,
                   PmLogFormat   format,
                   GFile        *file,
                   GError      **error)
{
  return pm_log_writer_new_append (pool, format, file, FALSE, error);
}

/**
 * pm_log_writer_new_append:
 * @pool: a #PmPool
 * @format: %PM_LOG_FORMAT_JOBLOG to append to; other formats start a new file
 * @file: the log file
 * @append: whether to add to the joblog rather than truncate it (to resume a run)
 * @error: return location for a #GError
 *
 * As pm_log_writer_new(), but a joblog with lines already keeps them and gets no second header.
 *
 * Returns: (transfer full): a new writer, or %NULL if @file cannot be opened
 */
PmLogWriter *
pm_log_writer_new_append (PmPool       *pool,
                          PmLogFormat   format,
                          GFile        *file,
                          gboolean      append,
                          GError      **error)
{
  g_autoptr(PmLogWriter) self = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  gboolean was_empty = TRUE;

  g_return_val_if_fail (PM_IS_POOL (pool), NULL);
  g_return_val_if_fail (format <= PM_LOG_FORMAT_TRACE, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  append = append && format == PM_LOG_FORMAT_JOBLOG;
  if ((stream = open_output (file, append, &was_empty, error)) == NULL)
    return NULL;

  self = g_object_new (PM_TYPE_LOG_WRITER, NULL);
  self->append = !was_empty;
  self->joblog_columns = self->append ? count_joblog_columns (file) : PM_JOBLOG_N_COLS;
  self->pool = g_object_ref (pool);
  self->format = format;
  self->file = g_object_ref (file);
  self->stream = g_steal_pointer (&stream);

  if (format == PM_LOG_FORMAT_TRACE)
    return g_steal_pointer (&self);

  /* Only a file that cannot be opened fails here: a write error, even of the header, is kept
   * like one later in the run (see pm_log_writer_get_error()). */
  write_start (self);
  if (self->error != NULL)
    return g_steal_pointer (&self);

  self->finished_id = g_signal_connect_object (pool, "job-finished",
                                               G_CALLBACK (pool_job_finished_cb),
                                               self, G_CONNECT_SWAPPED);
  if (format == PM_LOG_FORMAT_EVENTS)
    {
      self->items_changed_id = g_signal_connect_object (pool, "items-changed",
                                                        G_CALLBACK (pool_items_changed_cb),
                                                        self, G_CONNECT_SWAPPED);
      self->limit_id = g_signal_connect_object (pool, "notify::max-workers",
                                                G_CALLBACK (pool_notify_cb),
                                                self, G_CONNECT_SWAPPED);
      self->start_id = g_signal_connect_object (pool, "notify::start-time",
                                                G_CALLBACK (pool_notify_cb),
                                                self, G_CONNECT_SWAPPED);
      self->started_id = g_signal_connect_object (pool, "job-started",
                                                  G_CALLBACK (pool_job_started_cb),
                                                  self, G_CONNECT_SWAPPED);
      self->output_id = g_signal_connect_object (pool, "job-output",
                                                 G_CALLBACK (pool_job_output_cb),
                                                 self, G_CONNECT_SWAPPED);
    }

  return g_steal_pointer (&self);
}

/**
 * pm_log_writer_set_output_limits:
 * @self: a #PmLogWriter of an event log
 * @per_job: how many bytes of output events (as written, newlines counted) to write for each
 *   attempt of a job, 0 for no limit
 * @per_run: how many for the whole run, 0 for no limit
 *
 * Bounds what an event log records of the jobs' output, so that a job that floods its output
 * cannot fill the disk. Past a limit an attempt's further lines are left out, and its first
 * line left out writes an "output-dropped" event instead. Everything else is still written.
 * By default there is no limit.
 */
void
pm_log_writer_set_output_limits (PmLogWriter *self,
                                 gsize        per_job,
                                 gsize        per_run)
{
  g_return_if_fail (PM_IS_LOG_WRITER (self));

  self->job_output_limit = per_job;
  self->run_output_limit = per_run;
}

/**
 * pm_log_writer_get_error:
 * @self: a #PmLogWriter
 *
 * Returns: (nullable) (transfer none): the first write error, after which the writer wrote
 *   nothing more, or %NULL
 */
const GError *
pm_log_writer_get_error (PmLogWriter *self)
{
  g_return_val_if_fail (PM_IS_LOG_WRITER (self), NULL);

  return self->error;
}

/**
 * pm_log_writer_close:
 * @self: a #PmLogWriter
 * @error: return location for a #GError
 *
 * Stops following the pool, writes what is left (the whole trace; the end of an event log)
 * and closes the file. Closing again returns the same result.
 *
 * Returns: %TRUE if the whole log was written
 */
gboolean
pm_log_writer_close (PmLogWriter  *self,
                     GError      **error)
{
  g_return_val_if_fail (PM_IS_LOG_WRITER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->closed)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GError) close_error = NULL;

      self->closed = TRUE;
      disconnect_pool (self);

      if (self->format == PM_LOG_FORMAT_TRACE)
        {
          _pm_trace_append_pool (out, self->pool);
        }
      else if (self->format == PM_LOG_FORMAT_EVENTS)
        {
          gint64 end = pm_pool_get_end_time (self->pool);
          _pm_eventlog_append_end (out, self->pool, end > 0 ? end : g_get_real_time ());
        }
      write_text (self, out);

      if (!g_output_stream_close (self->stream, NULL, &close_error) && self->error == NULL)
        {
          g_autofree char *name = g_file_get_parse_name (self->file);
          g_set_error (&self->error, close_error->domain, close_error->code,
                       _("Cannot write log file %s: %s"), name, close_error->message);
        }
    }

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  return TRUE;
}
