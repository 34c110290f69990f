/* pm-eventlog-read.c
 *
 * Reading an event log (the format is described in pm-eventlog.c) back into a read-only pool,
 * with json-glib, one line at a time. Events it does not know and a torn last line (the writer
 * was killed mid-line) are skipped; any other line that is not JSON, or a known event of the
 * wrong shape, is an error that names its line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <glib/gi18n.h>

#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-runlog-private.h"

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
        _pm_runlog_set_error (ev->error, ev->file, ev->lineno, _("missing “%s”"), name);
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                            _("“%s” must be an integer from %lld to %lld"), name,
                            (long long)min, (long long)max);
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
        _pm_runlog_set_error (ev->error, ev->file, ev->lineno, _("missing “%s”"), name);
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno, _("“%s” must be a string"), name);
      return FALSE;
    }

  /* the bytes the writer escaped, back (in the node's own string: they take less room) */
  _pm_runlog_unescape_bytes ((char *)json_node_get_string (node));
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
                          _("job %lld was never queued"), (long long)seq);
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
          _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                                _("“planned” must be a number"));

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
            {
              argv[i] = g_strdup (json_node_get_string (word));
              _pm_runlog_unescape_bytes (argv[i]);
            }
        }
      if (array == NULL)
        {
          _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                                _("“argv” must be an array of strings"));
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
  g_autofree char *text = NULL;
  JsonNode *node;
  gboolean eol;

  if (job == NULL ||
      !get_string (ev, "stream", FALSE, &stream) ||
      !get_string (ev, "line", TRUE, &line))
    return FALSE;

  if (!g_str_equal (stream, "stdout") && !g_str_equal (stream, "stderr"))
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno, _("unknown stream “%s”"), stream);
      return FALSE;
    }

  node = json_object_get_member (ev->object, "eol");
  eol = node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
        json_node_get_value_type (node) != G_TYPE_BOOLEAN || json_node_get_boolean (node);
  text = g_strconcat (line, eol ? "\n" : "", NULL);
  _pm_job_append_output_bytes (job, g_str_equal (stream, "stdout") ? PM_OUTPUT_STDOUT
                                                                   : PM_OUTPUT_STDERR,
                               (const guint8 *)text, strlen (text));
  return TRUE;
}

/* A writer's output limit: the job's output shown ends with a line that says so. */
static gboolean
read_output_dropped (Reader *r,
                     Event  *ev)
{
  PmJob *job = lookup_job (r, ev);

  if (job == NULL)
    return FALSE;
  _pm_job_append_output (job, PM_OUTPUT_STDERR, PM_EVENTLOG_DROPPED_NOTE);
  return TRUE;
}

static gboolean
read_finished (Reader *r,
               Event  *ev)
{
  PmJob *job = lookup_job (r, ev);
  const char *state_str = NULL, *message = NULL;
  gint64 exit_status = -1, term_signal = 0, time = 0, runtime = -1;
  gint64 user = -1, system = -1, cpu = -1, peak_memory = 0;
  PmJobState state;

  if (job == NULL ||
      !get_string (ev, "state", TRUE, &state_str) ||
      !get_int (ev, "exit", FALSE, -1, G_MAXINT, &exit_status) ||
      !get_int (ev, "signal", FALSE, 0, G_MAXINT, &term_signal) ||
      !get_string (ev, "error", FALSE, &message) ||
      !get_int (ev, "time", TRUE, 0, G_MAXINT64, &time) ||
      !get_int (ev, "runtime", FALSE, -1, G_MAXINT64, &runtime) ||
      !get_int (ev, "user_usec", FALSE, 0, G_MAXINT64 / 2, &user) ||
      !get_int (ev, "system_usec", FALSE, 0, G_MAXINT64 / 2, &system) ||
      !get_int (ev, "cpu_usec", FALSE, 0, G_MAXINT64, &cpu) ||
      !get_int (ev, "peak_memory", FALSE, 0, G_MAXINT64, &peak_memory))
    return FALSE;

  if (!pm_job_state_from_string (state_str, &state) || !pm_job_state_is_finished (state))
    {
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                            _("“%s” is not the state of a finished job"), state_str);
      return FALSE;
    }

  _pm_job_set_end_time (job, time, 0);
  _pm_job_set_runtime (job, runtime);
  _pm_job_set_exit (job, exit_status, term_signal);
  _pm_job_set_error_message (job, message);
  _pm_job_set_resources (job, user, system, peak_memory);
  if (cpu >= 0 && (user < 0 || system < 0))
    _pm_job_set_cpu_time (job, cpu);   /* only the sum known: from a joblog */
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
                                _("the log must begin with a “run” event, not “%s”"), type);
          return FALSE;
        }
      if (!get_string (ev, "version", TRUE, &version) ||
          !get_int (ev, "limit", TRUE, 1, PM_POOL_MAX_LIMIT, &limit) ||
          !get_int (ev, "time", TRUE, 0, G_MAXINT64, &time))
        return FALSE;
      if (!g_str_equal (version, PM_EVENTLOG_VERSION))
        {
          _pm_runlog_set_error (ev->error, ev->file, ev->lineno,
                                _("unsupported event log version “%s”"), version);
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
  if (g_str_equal (type, "output-dropped"))
    return read_output_dropped (r, ev);
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
      _pm_runlog_set_error (ev->error, ev->file, ev->lineno, _("a second “run” event"));
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
          _pm_runlog_set_error (error, file, lineno, _("column %llu: %s"),
                                (unsigned long long)column, end + 2);

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
          _pm_runlog_set_error (error, file, reader.lineno, _("NUL byte in a line of text"));
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
          _pm_runlog_set_error (error, file, reader.lineno, _("not a JSON object"));
          return NULL;
        }
      ev.object = json_node_get_object (root);
      if (!r.have_run && json_object_has_member (ev.object, "traceEvents"))
        {
          _pm_runlog_set_error (error, file, reader.lineno,
                                _("a Chrome trace cannot be opened, only a joblog or an event log"));
          return NULL;
        }
      if (!get_string (&ev, "event", TRUE, &type) || !read_event (&r, &ev, type))
        return NULL;
    }

  if (!r.have_run)
    {
      _pm_runlog_set_error (error, file, 0, _("no “run” event: not an event log"));
      return NULL;
    }

  return build_pool (&r);
}
