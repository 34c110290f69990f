/* pm-eventlog.c
 *
 * The event log: JSON Lines, one event a line, enough to redraw the whole run. Times are
 * wall-clock µs since the epoch; "runtime" is µs on the monotonic clock.
 *
 *   {"event":"run","version":"1","limit":5,"time":T}         the log begins
 *   {"event":"start","limit":5,"time":T}                     the pool starts (if after "run")
 *   {"event":"queued","seq":1,"name":…,"command":…,"planned":2.0,"attempt":1,"time":T}
 *   {"event":"started","seq":1,"slot":1,"pid":…,"argv":[…],"command":…,"attempt":1,"time":T}
 *   {"event":"output","seq":1,"stream":"stdout","line":…,"time":T}
 *   {"event":"finished","seq":1,"state":"failed","exit":3,"signal":0,"time":T,"runtime":R}
 *   {"event":"limit","limit":3,"time":T}
 *   {"event":"end","time":T}                                 the log was closed
 *
 * "planned" appears only when known, "error" in "finished" only for a job that failed to
 * start, "stream" may be missing in a log saved after the run (the pool keeps the tail of the
 * output, not which stream each line came from). Readers skip events they do not know.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-runlog-private.h"

#define EVENTLOG_VERSION "1"

/* Writing
 *
 * A line is written straight into the output, member by member: the window writes two events
 * for every job of a run as it goes, and building each through a JsonBuilder and a
 * JsonGenerator took a tenth of the window's main thread in a run of short jobs. The output is what
 * json-glib writes for the same object (compact, member order kept, the same escapes), except
 * that U+001F is escaped too, as JSON requires. Reading is json-glib's. */

/* @str made valid UTF-8, as a JSON string */
static void
append_string (GString    *out,
               const char *str)
{
  g_autofree char *valid = _pm_runlog_dup_valid (str, -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

static void
begin_event (GString    *out,
             const char *event)
{
  g_string_append (out, "{\"event\":");
  append_string (out, event);
}

static void
add_name (GString    *out,
          const char *name)
{
  g_string_append_c (out, ',');
  append_string (out, name);
  g_string_append_c (out, ':');
}

static void
add_int (GString    *out,
         const char *name,
         gint64      value)
{
  add_name (out, name);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

static void
add_string (GString    *out,
            const char *name,
            const char *value)
{
  add_name (out, name);
  append_string (out, value);
}

/* As json-glib writes a double: 17 significant digits, and ".0" if that reads as an integer */
static void
add_double (GString    *out,
            const char *name,
            double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  add_name (out, name);
  g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  g_string_append (out, buf);
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (out, ".0");
}

static void
end_event (GString *out)
{
  g_string_append (out, "}\n");
}

void
_pm_eventlog_append_run (GString *out,
                         guint    limit,
                         gint64   time)
{
  begin_event (out, "run");
  add_string (out, "version", EVENTLOG_VERSION);
  add_int (out, "limit", limit);
  add_int (out, "time", time);
  end_event (out);
}

void
_pm_eventlog_append_start (GString *out,
                           guint    limit,
                           gint64   time)
{
  begin_event (out, "start");
  add_int (out, "limit", limit);
  add_int (out, "time", time);
  end_event (out);
}

void
_pm_eventlog_append_queued (GString *out,
                            PmJob   *job)
{
  g_autofree char *command = pm_job_dup_command (job);

  begin_event (out, "queued");
  add_int (out, "seq", pm_job_get_seq (job));
  add_string (out, "name", pm_job_get_name (job));
  add_string (out, "command", command);
  if (pm_job_get_planned (job) >= 0)
    add_double (out, "planned", pm_job_get_planned (job));
  add_int (out, "attempt", pm_job_get_attempt (job));
  add_int (out, "time", pm_job_get_queued_time (job));
  end_event (out);
}

void
_pm_eventlog_append_started (GString *out,
                             PmJob   *job)
{
  g_autofree char *command = pm_job_dup_command (job);
  const char * const *argv = pm_job_get_argv (job);

  begin_event (out, "started");
  add_int (out, "seq", pm_job_get_seq (job));
  add_int (out, "slot", pm_job_get_slot (job));
  add_int (out, "pid", pm_job_get_pid (job));
  if (argv != NULL)
    {
      add_name (out, "argv");
      g_string_append_c (out, '[');
      for (guint i = 0; argv[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_string (out, argv[i]);
        }
      g_string_append_c (out, ']');
    }
  add_string (out, "command", command);
  add_int (out, "attempt", pm_job_get_attempt (job));
  add_int (out, "time", pm_job_get_start_time (job));
  end_event (out);
}

void
_pm_eventlog_append_output (GString        *out,
                            PmJob          *job,
                            PmOutputStream  stream,
                            const char     *line,
                            gint64          time)
{
  begin_event (out, "output");
  add_int (out, "seq", pm_job_get_seq (job));
  if (stream == PM_OUTPUT_STDOUT || stream == PM_OUTPUT_STDERR)
    add_string (out, "stream", stream == PM_OUTPUT_STDOUT ? "stdout" : "stderr");
  add_string (out, "line", line);
  add_int (out, "time", time);
  end_event (out);
}

void
_pm_eventlog_append_finished (GString *out,
                              PmJob   *job)
{
  begin_event (out, "finished");
  add_int (out, "seq", pm_job_get_seq (job));
  add_string (out, "state", pm_job_state_to_string (pm_job_get_state (job)));
  add_int (out, "exit", pm_job_get_exit_status (job));
  add_int (out, "signal", pm_job_get_term_signal (job));
  if (pm_job_get_error_message (job) != NULL)
    add_string (out, "error", pm_job_get_error_message (job));
  add_int (out, "time", pm_job_get_end_time (job));
  add_int (out, "runtime", pm_job_get_runtime (job));
  end_event (out);
}

void
_pm_eventlog_append_limit (GString *out,
                           guint    limit,
                           gint64   time)
{
  begin_event (out, "limit");
  add_int (out, "limit", limit);
  add_int (out, "time", time);
  end_event (out);
}

void
_pm_eventlog_append_end (GString *out,
                         gint64   time)
{
  begin_event (out, "end");
  add_int (out, "time", time);
  end_event (out);
}

typedef struct
{
  gint64   time;
  guint    seq;
  guint    order;
  char    *text;
} Timed;

static void
timed_clear (Timed *timed)
{
  g_free (timed->text);
}

static int
compare_timed (gconstpointer a,
               gconstpointer b)
{
  const Timed *ta = a;
  const Timed *tb = b;

  if (ta->time != tb->time)
    return ta->time < tb->time ? -1 : 1;
  if (ta->seq != tb->seq)
    return ta->seq < tb->seq ? -1 : 1;
  return ta->order < tb->order ? -1 : ta->order > tb->order;
}

static void
add_timed (GArray  *events,
           gint64   time,
           guint    seq,
           GString *text)
{
  Timed timed = { time, seq, events->len, g_strndup (text->str, text->len) };

  g_array_append_val (events, timed);
  g_string_truncate (text, 0);
}

/* The whole log of a pool, in the order the events happened: first all "queued" events (the
 * jobs were queued before anything ran), then the rest sorted by time. A job's own events keep
 * their order even if its clock readings disagree. */
void
_pm_eventlog_append_pool (GString *out,
                          PmPool  *pool)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (Timed));
  g_autoptr(GString) text = g_string_new (NULL);
  GListModel *model = G_LIST_MODEL (pool);
  guint n = g_list_model_get_n_items (model);
  const PmLimitChange *changes;
  guint n_changes;
  gint64 start = pm_pool_get_start_time (pool);

  g_array_set_clear_func (events, (GDestroyNotify)timed_clear);

  changes = pm_pool_get_limit_changes (pool, &n_changes);
  if (n_changes > 0 && (start == 0 || changes[0].time <= start))
    _pm_eventlog_append_run (out, changes[0].limit, start > 0 ? start : changes[0].time);
  else
    _pm_eventlog_append_run (out, pm_pool_get_max_workers (pool), start);
  for (guint i = 1; i < n_changes; i++)
    {
      _pm_eventlog_append_limit (text, changes[i].limit, changes[i].time);
      add_timed (events, changes[i].time, 0, text);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (model, i);
      g_auto(GStrv) lines = NULL;
      guint seq = pm_job_get_seq (job);
      gint64 t = pm_job_get_start_time (job);

      _pm_eventlog_append_queued (out, job);
      if (t <= 0)
        t = pm_job_get_queued_time (job);

      if (pm_job_get_start_time (job) > 0)
        {
          _pm_eventlog_append_started (text, job);
          add_timed (events, t, seq, text);
        }

      /* the tail kept by the job, as if written at its end */
      t = MAX (t, pm_job_get_end_time (job));
      lines = pm_job_dup_output_lines (job);
      for (guint k = 0; lines[k] != NULL; k++)
        {
          _pm_eventlog_append_output (text, job, 0, lines[k], t);
          add_timed (events, t, seq, text);
        }

      if (pm_job_is_finished (job))
        {
          _pm_eventlog_append_finished (text, job);
          add_timed (events, t, seq, text);
        }
    }

  g_array_sort (events, compare_timed);
  for (guint i = 0; i < events->len; i++)
    g_string_append (out, g_array_index (events, Timed, i).text);

  if (pm_pool_get_end_time (pool) > 0)
    _pm_eventlog_append_end (out, pm_pool_get_end_time (pool));
}

/* Reading */

typedef struct
{
  GFile       *file;
  guint        lineno;
  JsonObject  *object;
  GError     **error;
} Event;

static gboolean
get_int (Event       *ev,
         const char  *name,
         gboolean     required,
         gint64       min,
         gint64       max,
         gint64      *value)
{
  JsonNode *node = json_object_get_member (ev->object, name);

  if (node == NULL)
    {
      if (required)
        _pm_runlog_set_error (ev->error, ev->file, ev->lineno, "missing “%s”", name);
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                            "“%s” must be an integer from %" G_GINT64_FORMAT
                            " to %" G_GINT64_FORMAT, name, min, max);
      return FALSE;
    }

  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_string (Event        *ev,
            const char   *name,
            gboolean      required,
            const char  **value)
{
  JsonNode *node = json_object_get_member (ev->object, name);

  if (node == NULL)
    {
      if (required)
        _pm_runlog_set_error (ev->error, ev->file, ev->lineno, "missing “%s”", name);
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno, "“%s” must be a string", name);
      return FALSE;
    }

  *value = json_node_get_string (node);
  return TRUE;
}

typedef struct
{
  GFile      *file;
  GHashTable *jobs;         /* seq → PmJob */
  GArray     *changes;      /* PmLimitChange */
  gboolean    have_run;
  guint       limit;
  gint64      start;
  gint64      end;
  gint64      last;
} Reader;

static PmJob *
lookup_job (Reader *r,
            Event  *ev)
{
  gint64 seq = 0;
  PmJob *job;

  if (!get_int (ev, "seq", TRUE, 1, G_MAXUINT, &seq))
    return NULL;
  if ((job = g_hash_table_lookup (r->jobs, GUINT_TO_POINTER ((guint)seq))) == NULL)
    _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                          "job %" G_GINT64_FORMAT " was never queued", seq);
  return job;
}

/* An event naming a later attempt than the job is at: the job was retried. */
static gboolean
next_attempt (Event *ev,
              PmJob *job)
{
  gint64 attempt = pm_job_get_attempt (job);

  if (!get_int (ev, "attempt", FALSE, 1, G_MAXUINT, &attempt))
    return FALSE;
  if (attempt != pm_job_get_attempt (job))
    {
      gint64 queued = pm_job_get_queued_time (job);

      _pm_job_reset (job);
      _pm_job_set_attempt (job, attempt);
      _pm_job_set_queued_time (job, queued);
    }
  return TRUE;
}

static gboolean
read_queued (Reader *r,
             Event  *ev)
{
  const char *name = NULL, *command = NULL;
  gint64 seq = 0, time = 0;
  JsonNode *planned;
  PmJob *job;

  if (!get_int (ev, "seq", TRUE, 1, G_MAXUINT, &seq) ||
      !get_string (ev, "name", TRUE, &name) ||
      !get_string (ev, "command", FALSE, &command) ||
      !get_int (ev, "time", TRUE, 0, G_MAXINT64, &time))
    return FALSE;

  if ((job = g_hash_table_lookup (r->jobs, GUINT_TO_POINTER ((guint)seq))) == NULL)
    {
      job = pm_job_new (seq, name, NULL, NULL);
      g_hash_table_insert (r->jobs, GUINT_TO_POINTER ((guint)seq), job);
    }
  if (!next_attempt (ev, job))
    return FALSE;
  if (command != NULL)
    _pm_job_set_command (job, command);
  _pm_job_set_queued_time (job, time);

  planned = json_object_get_member (ev->object, "planned");
  if (planned != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (planned) ||
          (json_node_get_value_type (planned) != G_TYPE_DOUBLE &&
           json_node_get_value_type (planned) != G_TYPE_INT64))
        {
          _pm_runlog_set_error (ev->error, ev->file, ev->lineno, "“planned” must be a number");
          return FALSE;
        }
      pm_job_set_planned (job, json_node_get_double (planned));
    }

  return TRUE;
}

static gboolean
read_started (Reader *r,
              Event  *ev)
{
  PmJob *job = lookup_job (r, ev);
  const char *command = NULL;
  gint64 slot = 0, pid = 0, time = 0;
  JsonNode *argv_node;

  if (job == NULL ||
      !get_int (ev, "slot", TRUE, 0, PM_POOL_MAX_LIMIT, &slot) ||
      !get_int (ev, "pid", FALSE, 0, G_MAXINT, &pid) ||
      !get_string (ev, "command", FALSE, &command) ||
      !get_int (ev, "time", TRUE, 0, G_MAXINT64, &time))
    return FALSE;

  if (pm_job_get_start_time (job) > 0 || pm_job_is_finished (job))
    _pm_job_reset (job);   /* started again without a "queued": a retry */
  if (!next_attempt (ev, job))
    return FALSE;

  argv_node = json_object_get_member (ev->object, "argv");
  if (argv_node != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (argv_node) ? json_node_get_array (argv_node) : NULL;
      guint n = array ? json_array_get_length (array) : 0;
      g_auto(GStrv) argv = g_new0 (char *, n + 1);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *word = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (word) || json_node_get_value_type (word) != G_TYPE_STRING)
            array = NULL;
          else
            argv[i] = g_strdup (json_node_get_string (word));
        }
      if (array == NULL)
        {
          _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                                "“argv” must be an array of strings");
          return FALSE;
        }
      _pm_job_take_argv (job, g_steal_pointer (&argv));
    }

  if (command != NULL)
    _pm_job_set_command (job, command);
  _pm_job_set_slot (job, slot);
  _pm_job_set_pid (job, pid);
  _pm_job_set_start_time (job, time, 0);
  _pm_job_set_state (job, PM_JOB_STATE_RUNNING);

  return TRUE;
}

static gboolean
read_output (Reader *r,
             Event  *ev)
{
  PmJob *job = lookup_job (r, ev);
  const char *stream = "stdout", *line = NULL;

  if (job == NULL ||
      !get_string (ev, "stream", FALSE, &stream) ||
      !get_string (ev, "line", TRUE, &line))
    return FALSE;

  if (!g_str_equal (stream, "stdout") && !g_str_equal (stream, "stderr"))
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno, "unknown stream “%s”", stream);
      return FALSE;
    }

  _pm_job_append_output (job, g_str_equal (stream, "stdout") ? PM_OUTPUT_STDOUT : PM_OUTPUT_STDERR,
                         line);
  return TRUE;
}

static gboolean
read_finished (Reader *r,
               Event  *ev)
{
  PmJob *job = lookup_job (r, ev);
  const char *state_str = NULL, *message = NULL;
  gint64 exit_status = -1, term_signal = 0, time = 0, runtime = -1;
  PmJobState state;

  if (job == NULL ||
      !get_string (ev, "state", TRUE, &state_str) ||
      !get_int (ev, "exit", FALSE, -1, G_MAXINT, &exit_status) ||
      !get_int (ev, "signal", FALSE, 0, G_MAXINT, &term_signal) ||
      !get_string (ev, "error", FALSE, &message) ||
      !get_int (ev, "time", TRUE, 0, G_MAXINT64, &time) ||
      !get_int (ev, "runtime", FALSE, -1, G_MAXINT64, &runtime))
    return FALSE;

  if (!pm_job_state_from_string (state_str, &state) || !pm_job_state_is_finished (state))
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                            "“%s” is not the state of a finished job", state_str);
      return FALSE;
    }

  _pm_job_set_end_time (job, time, 0);
  _pm_job_set_runtime (job, runtime);
  _pm_job_set_exit (job, exit_status, term_signal);
  _pm_job_set_error_message (job, message);
  _pm_job_set_state (job, state);
  r->end = MAX (r->end, time);

  return TRUE;
}

static gboolean
read_event (Reader      *r,
            Event       *ev,
            const char  *type)
{
  gint64 limit = 0, time = 0;

  if (!r->have_run)
    {
      const char *version = NULL;

      if (!g_str_equal (type, "run"))
        {
          _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                                "the log must begin with a “run” event, not “%s”", type);
          return FALSE;
        }
      if (!get_string (ev, "version", TRUE, &version) ||
          !get_int (ev, "limit", TRUE, 1, PM_POOL_MAX_LIMIT, &limit) ||
          !get_int (ev, "time", TRUE, 0, G_MAXINT64, &time))
        return FALSE;
      if (!g_str_equal (version, EVENTLOG_VERSION))
        {
          _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                                "unsupported event log version “%s”", version);
          return FALSE;
        }
      r->have_run = TRUE;
      r->limit = limit;
      r->start = time;
      g_array_append_val (r->changes, ((PmLimitChange) { time, limit }));
      return TRUE;
    }

  if (g_str_equal (type, "queued"))
    return read_queued (r, ev);
  if (g_str_equal (type, "started"))
    return read_started (r, ev);
  if (g_str_equal (type, "output"))
    return read_output (r, ev);
  if (g_str_equal (type, "finished"))
    return read_finished (r, ev);

  if (g_str_equal (type, "limit") || g_str_equal (type, "start"))
    {
      if (!get_int (ev, "limit", TRUE, 1, PM_POOL_MAX_LIMIT, &limit) ||
          !get_int (ev, "time", TRUE, 0, G_MAXINT64, &time))
        return FALSE;
      if (g_str_equal (type, "start"))
        {
          /* limit changes before the start are not the run's */
          g_array_set_size (r->changes, 0);
          r->start = time;
        }
      r->limit = limit;
      g_array_append_val (r->changes, ((PmLimitChange) { time, limit }));
      return TRUE;
    }

  if (g_str_equal (type, "end"))
    {
      if (!get_int (ev, "time", TRUE, 0, G_MAXINT64, &time))
        return FALSE;
      r->last = time;
      return TRUE;
    }

  if (g_str_equal (type, "run"))
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno, "a second “run” event");
      return FALSE;
    }

  g_debug ("%s:%u: skipping unknown event “%s”", g_file_peek_path (ev->file), ev->lineno, type);
  return TRUE;
}

static PmPool *
build_pool (Reader *r)
{
  g_autoptr(PmPool) pool = _pm_pool_new_read_only (r->limit);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer job;

  g_hash_table_iter_init (&iter, r->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &job))
    g_ptr_array_add (jobs, job);
  g_ptr_array_sort (jobs, _pm_runlog_compare_jobs_by_seq);
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  for (guint i = 0; i < r->changes->len; i++)
    {
      PmLimitChange *change = &g_array_index (r->changes, PmLimitChange, i);
      _pm_pool_add_limit_change (pool, change->time, change->limit);
    }
  _pm_pool_set_times (pool, r->start, r->last > 0 ? r->last : r->end);

  return g_steal_pointer (&pool);
}

/* json-glib says where in the data it read, "<data>:1:26: Parse error: …", and we gave it
 * one line: say which line of the file, and the column. */
static void
set_parse_error (GError     **error,
                 GFile       *file,
                 guint        lineno,
                 const char  *message)
{
  const char *prefix = "<data>:1:";
  char *end = NULL;
  guint64 column;

  if (g_str_has_prefix (message, prefix))
    {
      column = g_ascii_strtoull (message + strlen (prefix), &end, 10);
      if (end != NULL && end[0] == ':' && end[1] == ' ')
        {
          _pm_runlog_set_error (error, file, lineno, "column %" G_GUINT64_FORMAT ": %s",
                                column, end + 2);
          return;
        }
    }

  _pm_runlog_set_error (error, file, lineno, "%s", message);
}

PmPool *
_pm_eventlog_parse (GFile       *file,
                    const char  *data,
                    gsize        len,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) jobs = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (PmLimitChange));
  Reader r = { file, jobs, changes, FALSE, 1, 0, 0, 0 };
  PmLineReader reader;
  const char *line;
  gsize line_len;
  gboolean torn;

  _pm_line_reader_init (&reader, data, len);

  while (_pm_line_reader_next (&reader, &line, &line_len, &torn))
    {
      g_autoptr(GError) parse_error = NULL;
      Event ev = { file, reader.lineno, NULL, error };
      JsonNode *root;
      const char *type = NULL;

      if (line_len == 0)
        continue;
      if (memchr (line, '\0', line_len) != NULL)
        {
          _pm_runlog_set_error (error, file, reader.lineno, "NUL byte in a line of text");
          return NULL;
        }

      if (!json_parser_load_from_data (parser, line, line_len, &parse_error))
        {
          if (torn)
            {
              /* the writer stopped in the middle of this line */
              g_debug ("%s: skipping the incomplete last line %u: %s",
                       g_file_peek_path (file), reader.lineno, parse_error->message);
              break;
            }
          set_parse_error (error, file, reader.lineno, parse_error->message);
          return NULL;
        }

      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          _pm_runlog_set_error (error, file, reader.lineno, "not a JSON object");
          return NULL;
        }
      ev.object = json_node_get_object (root);
      if (!r.have_run && json_object_has_member (ev.object, "traceEvents"))
        {
          _pm_runlog_set_error (error, file, reader.lineno,
                                "a Chrome trace cannot be opened, only a joblog or an event log");
          return NULL;
        }
      if (!get_string (&ev, "event", TRUE, &type) || !read_event (&r, &ev, type))
        return NULL;
    }

  if (!r.have_run)
    {
      _pm_runlog_set_error (error, file, 0, "no “run” event: not an event log");
      return NULL;
    }

  return build_pool (&r);
}
