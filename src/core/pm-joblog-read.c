/* pm-joblog-read.c
 *
 * Reading a joblog (the format is described in pm-joblog.c), ours or GNU parallel's, back into
 * a read-only pool. The header says which column is which; a line with fewer columns than the
 * header but at least nine is one GNU parallel appended. A torn last line is skipped; any other
 * line that does not parse is an error that names its line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "pm-job-private.h"
#include "pm-joblog-private.h"
#include "pm-pool-private.h"
#include "pm-runlog-private.h"

typedef struct
{
  guint       seq;
  guint       lines;
  gint64      start;
  gint64      runtime;
  int         exitval;
  int         signal;
  char       *command;
  char       *host;      /* the sshlogin as written, NULL for ":" */
  guint       slot;
  GPid        pid;
  gint64      queued;
  gint64      end;
  guint       attempt;
  PmJobState  state;
  char       *name;
  gint64      cpu;       /* µs, -1 not known */
  guint64     memory;    /* bytes, 0 not known */
  gboolean    ours;      /* the line has our columns, not only GNU parallel's */
  gboolean    stopped;   /* State "stopped": its run ended it */
} Row;

static void
row_free (Row *row)
{
  g_free (row->command);
  g_free (row->host);
  g_free (row->name);
  g_free (row);
}

/* Parses "%.3f"-like seconds (any number of decimals, spaces around) into µs exactly. */
static gboolean
parse_seconds (const char *str,
               gint64     *usec)
{
  const char *p = str;
  gboolean negative = FALSE;
  guint64 whole = 0;
  gint64 frac = 0;
  guint n_digits = 0;

  while (*p == ' ')
    p++;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > G_MAXINT64 / 10000000)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (*p == '.')
    {
      guint i = 0;

      for (p++; g_ascii_isdigit (*p); p++, i++)
        {
          if (i < 6)
            frac = frac * 10 + (*p - '0');
          else if (i == 6 && *p >= '5')
            frac++;
        }
      n_digits = MIN (i, 6);
    }
  while (*p == ' ')
    p++;
  if (*p != '\0')
    return FALSE;

  for (; n_digits < 6; n_digits++)
    frac *= 10;
  *usec = (gint64)whole * G_USEC_PER_SEC + frac;
  if (negative)
    *usec = -*usec;

  return TRUE;
}

static gboolean
parse_int (const char *str,
           gint64      min,
           gint64      max,
           gint64     *value)
{
  return g_ascii_string_to_signed (str, 10, min, max, value, NULL);
}

static char *
unescape_name (const char *str)
{
  GString *out = g_string_sized_new (strlen (str));

  for (const char *p = str; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          switch (*p)
            {
            case 't':
              g_string_append_c (out, '\t');
              break;
            case 'n':
              g_string_append_c (out, '\n');
              break;
            case 'r':
              g_string_append_c (out, '\r');
              break;
            case '\\':
              g_string_append_c (out, '\\');
              break;
            default:
              g_string_append_c (out, '\\');
              g_string_append_c (out, *p);
            }
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/* A GNU parallel joblog has no names: take the command's last word, which is the argument
 * for a plain `parallel CMD ::: ARGS`. */
static char *
name_from_command (const char *command)
{
  g_auto(GStrv) words = NULL;
  guint n;

  if (g_shell_parse_argv (command, NULL, &words, NULL) && (n = g_strv_length (words)) > 0)
    return g_strdup (words[n - 1]);
  return g_strdup (command);
}

/* Splits a line into fields: @n_columns of them, or GNU parallel's nine for a line with
 * fewer. NUL bytes are an error anywhere but in Command, where GNU parallel writes them for
 * newlines. Extra tabs belong to Command, the only column that is not escaped. */
static GPtrArray *
split_fields (const char  *line,
              gsize        len,
              guint        n_columns,
              GError     **error_reason)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize begin = 0;
  guint n_fields;
  guint n_extra;

  for (gsize i = 0; i <= len; i++)
    {
      if (i == len || line[i] == '\t')
        {
          g_array_append_val (starts, begin);
          begin = i + 1;
        }
    }
  g_array_append_val (starts, begin);
  n_fields = starts->len - 1;

  if (n_fields < n_columns && n_fields >= PM_JOBLOG_N_PARALLEL_COLS)
    n_columns = PM_JOBLOG_N_PARALLEL_COLS;
  if (n_fields < n_columns)
    {
      g_set_error (error_reason, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("expected %u tab-separated columns, found %u"), n_columns, n_fields);
      return NULL;
    }
  n_extra = n_fields - n_columns;

  for (guint i = 0; i < n_columns; i++)
    {
      guint first = i <= PM_JOBLOG_COL_COMMAND ? i : i + n_extra;
      guint last = i == PM_JOBLOG_COL_COMMAND ? first + n_extra : first;
      gsize from = g_array_index (starts, gsize, first);
      gsize to = g_array_index (starts, gsize, last + 1) - 1;
      char *field = g_malloc (to - from + 1);

      memcpy (field, line + from, to - from);
      field[to - from] = '\0';
      for (gsize k = 0; k < to - from; k++)
        {
          if (field[k] != '\0')
            continue;
          if (i != PM_JOBLOG_COL_COMMAND)
            {
              g_free (field);
              g_set_error (error_reason, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("NUL byte in column %u"), i + 1);
              return NULL;
            }
          field[k] = '\n';
        }
      g_ptr_array_add (fields, field);
    }

  return g_steal_pointer (&fields);
}

/* Maps each column of the file to one of ours (or -1 for a column we do not know). A column
 * named twice is not a joblog: which of the two would count? */
static gboolean
parse_header (const char  *line,
              gsize        len,
              GArray      *map,
              gboolean    *ours)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) names = NULL;
  gboolean seen[PM_JOBLOG_N_COLS] = { FALSE, };
  guint n;

  if (memchr (line, '\0', len) != NULL)
    return FALSE;

  text = g_strndup (line, len);
  names = g_strsplit (text, "\t", -1);
  n = g_strv_length (names);
  if (n < PM_JOBLOG_N_PARALLEL_COLS)
    return FALSE;

  *ours = FALSE;
  for (guint i = 0; i < n; i++)
    {
      int col = -1;

      for (guint c = 0; c < PM_JOBLOG_N_COLS; c++)
        {
          if (g_str_equal (names[i], _pm_joblog_column_names[c]))
            col = c;
        }
      if (i < PM_JOBLOG_N_PARALLEL_COLS && col != (int)i)
        return FALSE;
      if (col >= 0 && seen[col])
        return FALSE;
      if (col >= 0)
        seen[col] = TRUE;
      if (col == PM_JOBLOG_COL_STATE)
        *ours = TRUE;
      g_array_append_val (map, col);
    }

  return TRUE;
}

static gboolean
parse_row (GPtrArray   *fields,
           GArray      *map,
           Row         *row,
           GError     **error_reason)
{
  gint64 v;

  for (guint i = 0; i < fields->len; i++)
    {
      const char *f = fields->pdata[i];
      int col = g_array_index (map, int, i);
      gboolean ok = TRUE;

      switch (col)
        {
        case PM_JOBLOG_COL_SEQ:
          if ((ok = parse_int (f, 1, G_MAXUINT, &v)))
            row->seq = v;
          break;
        case PM_JOBLOG_COL_HOST:
          g_clear_pointer (&row->host, g_free);
          if (*f != '\0' && !g_str_equal (f, ":"))
            row->host = _pm_runlog_dup_valid (f, -1);
          break;
        case PM_JOBLOG_COL_STARTTIME:
          ok = parse_seconds (f, &row->start) && row->start >= 0;
          break;
        case PM_JOBLOG_COL_JOBRUNTIME:
          ok = parse_seconds (f, &row->runtime) && row->runtime >= 0;
          break;
        case PM_JOBLOG_COL_EXITVAL:
          if ((ok = parse_int (f, G_MININT, G_MAXINT, &v)))
            row->exitval = v;
          break;
        case PM_JOBLOG_COL_SIGNAL:
          if ((ok = parse_int (f, 0, 255, &v)))
            row->signal = v;
          break;
        case PM_JOBLOG_COL_COMMAND:
          /* A header may name a column twice: the last one wins. */
          g_free (row->command);
          row->command = _pm_runlog_dup_valid (f, -1);
          break;
        case PM_JOBLOG_COL_SLOT:
          if ((ok = parse_int (f, 0, PM_POOL_MAX_LIMIT, &v)))
            row->slot = v;
          break;
        case PM_JOBLOG_COL_PID:
          if ((ok = parse_int (f, 0, G_MAXINT, &v)))
            row->pid = v;
          break;
        case PM_JOBLOG_COL_QUEUED:
          ok = parse_seconds (f, &row->queued) && row->queued >= 0;
          break;
        case PM_JOBLOG_COL_END:
          ok = parse_seconds (f, &row->end) && row->end >= 0;
          break;
        case PM_JOBLOG_COL_ATTEMPT:
          if ((ok = parse_int (f, 1, G_MAXUINT, &v)))
            row->attempt = v;
          break;
        case PM_JOBLOG_COL_STATE:
          /* "stopped": ended by its run's stop, by a signal or on its own meanwhile */
          if ((row->stopped = g_str_equal (f, "stopped")))
            {
              row->state = row->signal != 0 ? PM_JOB_STATE_KILLED
                           : row->exitval == 0 ? PM_JOB_STATE_SUCCEEDED : PM_JOB_STATE_FAILED;
              ok = TRUE;
            }
          else
            ok = pm_job_state_from_string (f, &row->state) && pm_job_state_is_finished (row->state);
          break;
        case PM_JOBLOG_COL_NAME:
          {
            g_autofree char *name = unescape_name (f);
            g_free (row->name);
            row->name = _pm_runlog_dup_valid (name, -1);
          }
          break;
        case PM_JOBLOG_COL_CPU:
          row->cpu = -1;
          if (*f != '\0')
            ok = parse_seconds (f, &row->cpu) && row->cpu >= 0;
          break;
        case PM_JOBLOG_COL_MEMORY:
          row->memory = 0;
          if (*f != '\0')
            ok = g_ascii_string_to_unsigned (f, 10, 0, G_MAXUINT64, &row->memory, NULL);
          break;
        default:
          break;
        }

      if (!ok)
        {
          g_autofree char *shown = g_strescape (f, NULL);
          g_set_error (error_reason, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("invalid %s “%s”"), _pm_joblog_column_names[col], shown);
          return FALSE;
        }
    }

  return TRUE;
}

/* GNU parallel's joblog says nothing about the state, as ours does. */
static PmJobState
state_from_exit (int exitval,
                 int signal)
{
  if (signal != 0)
    return PM_JOB_STATE_KILLED;
  if (exitval == -2)
    return PM_JOB_STATE_CANCELLED;   /* a job parallel skipped */
  if (exitval != 0)
    return PM_JOB_STATE_FAILED;
  return PM_JOB_STATE_SUCCEEDED;
}

static gboolean
row_started (Row *row)
{
  return row->state != PM_JOB_STATE_CANCELLED;
}

static int
compare_rows_by_start (gconstpointer a,
                       gconstpointer b)
{
  const Row *row_a = *(Row **)a;
  const Row *row_b = *(Row **)b;

  if (row_a->start != row_b->start)
    return row_a->start < row_b->start ? -1 : 1;
  return row_a->seq < row_b->seq ? -1 : row_a->seq > row_b->seq;
}

/* A line without a slot (GNU parallel's): give its job the lowest slot free at its start, as
 * the pool would have, so that lanes can be drawn. In a log of parallel's alone that uses
 * exactly as many slots as jobs ran at once at the peak. Returns the peak. */
static guint
assign_slots (GPtrArray *rows)
{
  g_autoptr(GPtrArray) by_start = g_ptr_array_new ();
  g_autoptr(GArray) slot_end = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autoptr(GArray) running_end = g_array_new (FALSE, TRUE, sizeof (gint64));
  guint peak = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      if (row_started (rows->pdata[i]))
        g_ptr_array_add (by_start, rows->pdata[i]);
    }
  g_ptr_array_sort (by_start, compare_rows_by_start);

  for (guint i = 0; i < by_start->len; i++)
    {
      Row *row = by_start->pdata[i];
      guint running = 0;

      /* the peak, counted whether the log has slots or not */
      for (guint k = 0; k < running_end->len; k++)
        {
          if (g_array_index (running_end, gint64, k) > row->start)
            g_array_index (running_end, gint64, running++) = g_array_index (running_end, gint64, k);
        }
      g_array_set_size (running_end, running);
      g_array_append_val (running_end, row->end);
      peak = MAX (peak, running_end->len);

      if (row->ours)
        {
          if (row->slot > slot_end->len)
            g_array_set_size (slot_end, row->slot);
          if (row->slot > 0)
            g_array_index (slot_end, gint64, row->slot - 1) =
              MAX (g_array_index (slot_end, gint64, row->slot - 1), row->end);
          continue;
        }

      row->slot = 0;
      for (guint k = 0; k < slot_end->len && row->slot == 0; k++)
        {
          if (g_array_index (slot_end, gint64, k) <= row->start)
            {
              row->slot = k + 1;
              g_array_index (slot_end, gint64, k) = row->end;
            }
        }
      if (row->slot == 0)
        {
          g_array_append_val (slot_end, row->end);
          row->slot = slot_end->len;
        }
    }

  return peak;
}

static PmPool *
build_pool (GPtrArray *rows)
{
  g_autoptr(PmPool) pool = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 first = G_MAXINT64;
  gint64 first_parallel = G_MAXINT64;
  gint64 last = 0;
  guint limit;

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = rows->pdata[i];

      if (!row->ours)
        {
          row->state = state_from_exit (row->exitval, row->signal);
          row->end = row->start + row->runtime;
          row->attempt = row->lines;
        }
      if (row->name == NULL)
        row->name = name_from_command (row->command);
      if (row->start > 0)
        first = MIN (first, row->start);
      if (row->start > 0 && !row->ours)
        first_parallel = MIN (first_parallel, row->start);
      if (row->queued > 0)
        first = MIN (first, row->queued);
      last = MAX (last, row->end);
    }
  if (first == G_MAXINT64)
    first = 0;
  if (first_parallel == G_MAXINT64)
    first_parallel = first;

  limit = assign_slots (rows);
  for (guint i = 0; i < rows->len; i++)
    limit = MAX (limit, ((Row *)rows->pdata[i])->slot);
  limit = CLAMP (limit, 1, PM_POOL_MAX_LIMIT);

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = rows->pdata[i];
      PmJob *job = pm_job_new (row->seq, row->name, NULL, NULL);
      gboolean exited = (row->state == PM_JOB_STATE_SUCCEEDED ||
                         row->state == PM_JOB_STATE_FAILED);

      _pm_job_set_command (job, row->command);
      _pm_job_set_attempt (job, MAX (row->attempt, 1));
      /* parallel queues every job when it starts (after our run, if it appended to our log) */
      _pm_job_set_queued_time (job, row->ours ? row->queued : first_parallel);
      if (row_started (row))
        {
          _pm_job_set_slot (job, row->slot);
          _pm_job_set_host (job, row->host);
          _pm_job_set_pid (job, row->pid);
          /* no monotonic time: the runtime is known, nothing runs on */
          _pm_job_set_start_time (job, row->start, 0);
          _pm_job_set_runtime (job, row->runtime);
        }
      _pm_job_set_end_time (job, row->end, 0);
      _pm_job_set_exit (job, exited ? row->exitval : -1, row->signal);
      /* a joblog keeps the CPU time as one sum, not as user and system time */
      _pm_job_set_resources (job, -1, -1, row->memory);
      _pm_job_set_cpu_time (job, row->cpu);
      _pm_job_set_state (job, row->state);
      _pm_job_set_stopped (job, row->stopped);
      g_ptr_array_add (jobs, job);
    }

  pool = _pm_pool_new_read_only (limit);
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  /* a joblog does not record limit changes: the one that explains the slots */
  _pm_pool_add_limit_change (pool, first, limit);
  _pm_pool_set_times (pool, first, last);

  return g_steal_pointer (&pool);
}

static int
compare_rows_by_seq (gconstpointer a,
                     gconstpointer b)
{
  const Row *row_a = *(Row **)a;
  const Row *row_b = *(Row **)b;

  return row_a->seq < row_b->seq ? -1 : row_a->seq > row_b->seq;
}

PmPool *
_pm_joblog_parse (GFile       *file,
                  const char  *data,
                  gsize        len,
                  GError     **error)
{
  g_autoptr(GArray) map = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GHashTable) by_seq = g_hash_table_new_full (NULL, NULL, NULL,
                                                        (GDestroyNotify)row_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  PmLineReader reader;
  const char *line;
  gsize line_len;
  gboolean torn;
  gboolean ours = FALSE;

  _pm_line_reader_init (&reader, data, len);

  if (!_pm_line_reader_next (&reader, &line, &line_len, &torn) ||
      !parse_header (line, line_len, map, &ours))
    {
      _pm_runlog_set_error (error, file, 1, _("not a joblog header (Seq, Host, Starttime, …)"));
      return NULL;
    }

  while (_pm_line_reader_next (&reader, &line, &line_len, &torn))
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(GError) reason = NULL;
      Row *row;
      Row *old;

      if (torn)
        {
          /* a line being written when the writer stopped: it may be cut anywhere */
          g_debug ("%s: skipping the incomplete last line %u",
                   g_file_peek_path (file), reader.lineno);
          break;
        }
      if (line_len == 0)
        continue;

      row = g_new0 (Row, 1);
      row->lines = 1;
      row->cpu = -1;
      if ((fields = split_fields (line, line_len, map->len, &reason)) == NULL ||
          !parse_row (fields, map, row, &reason))
        {
          row_free (row);
          _pm_runlog_set_error (error, file, reader.lineno, "%s", reason->message);
          return NULL;
        }
      row->ours = ours && fields->len == map->len;

      /* A retried job has a line per attempt: the last one counts. */
      if ((old = g_hash_table_lookup (by_seq, GUINT_TO_POINTER (row->seq))) != NULL)
        {
          row->lines += old->lines;
          g_ptr_array_remove_fast (rows, old);
        }
      g_hash_table_replace (by_seq, GUINT_TO_POINTER (row->seq), row);
      g_ptr_array_add (rows, row);
    }

  g_ptr_array_sort (rows, compare_rows_by_seq);

  return build_pool (rows);
}
