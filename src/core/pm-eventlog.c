/* pm-eventlog.c
 *
 * The event log: JSON Lines, one event a line, enough to redraw the whole run. Times are
 * wall-clock µs since the epoch; "runtime" is µs on the monotonic clock.
 *
 *   {"event":"run","version":"1","limit":5,"time":T}         the log begins
 *   {"event":"start","limit":5,"time":T}                     the pool starts (if after "run")
 *   {"event":"queued","seq":1,"name":…,"command":…,"planned":2.0,"attempt":1,"time":T}
 *   {"event":"started","seq":1,"slot":1,"pid":…,"argv":[…],"command":…,"attempt":1,"time":T}
 *                                                            "host" after "pid" for a job that
 *                                                            ran on another host (its sshlogin)
 *   {"event":"output","seq":1,"stream":"stdout","line":…,"time":T}
 *                                                            one line, without its newline;
 *                                                            "eol":false after "line" when it
 *                                                            had none (the job's last); NUL
 *                                                            bytes as U+2400, bytes that are
 *                                                            not UTF-8 as U+FFFD
 *   {"event":"output-dropped","seq":1,"time":T}              the rest of this attempt's output
 *                                                            is not in the log (a writer's
 *                                                            output limit)
 *   {"event":"finished","seq":1,"state":"failed","exit":3,"signal":0,"time":T,"runtime":R,
 *    "user_usec":U,"system_usec":S,"peak_memory":M}
 *   {"event":"limit","limit":3,"time":T}
 *   {"event":"end","time":T}                                 the log was closed; for a run
 *                                                            that ended, its summary too:
 *    "jobs":15,"work_usec":W,"makespan_usec":M,"speed_up":3.9,"limit":5,"cpu_usec":C,
 *    "summary":"35.0 s of work in 9.0 s: 3.9× with 5 at a time" ("cpu_usec" when known)
 *
 * "planned" appears only when known, "error" in "finished" only for a job that failed to
 * start. "user_usec" and "system_usec" (CPU time, µs) and "peak_memory" (peak resident memory,
 * bytes) come from the job's rusage and appear only when known: a log written before they were
 * has none, and a job read from a joblog, which keeps only the sum of the two times, has
 * "cpu_usec" instead. "stream" may be missing in a log saved after the run (the pool keeps
 * the tail of the output, not which stream each line came from). Readers skip events they do
 * not know.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-run-summary.h"
#include "pm-runlog-private.h"
#include "pm-util.h"

/* Writing
 *
 * A line is written straight into the output, member by member: the window writes two events
 * for every job of a run as it goes, and building each through a JsonBuilder and a
 * JsonGenerator took a tenth of the window's main thread in a run of short jobs. The output
 * is what json-glib writes for the same object (compact, member order kept, the same
 * escapes), except that U+001F is escaped too, as JSON requires. Reading (pm-eventlog-read.c)
 * is json-glib's. */

/* @str as a JSON string: bytes that are not UTF-8 escaped (see _pm_runlog_escape_bytes(), which
 * the reader undoes); copied only if it is not valid already */
static void
append_string (GString    *out,
               const char *str)
{
  g_autofree char *copy = NULL;
  const char *valid = str ? str : "";

  if (!g_utf8_validate (valid, -1, NULL))
    valid = copy = _pm_runlog_escape_bytes (valid);

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

/* Event and member names are this file's own ASCII words: written as they are. */
static void
begin_event (GString    *out,
             const char *event)
{
  g_string_append_printf (out, "{\"event\":\"%s\"", event);
}

static void
add_name (GString    *out,
          const char *name)
{
  g_string_append_printf (out, ",\"%s\":", name);
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
  add_string (out, "version", PM_EVENTLOG_VERSION);
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
  if (strcmp (pm_job_get_host (job), ":") != 0)
    add_string (out, "host", pm_job_get_host (job));
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

/* @line: one line as the pool passes it on, its newline included if it has one */
void
_pm_eventlog_append_output (GString        *out,
                            PmJob          *job,
                            PmOutputStream  stream,
                            GBytes         *line,
                            gint64          time)
{
  gsize len;
  const char *data = g_bytes_get_data (line, &len);
  gboolean eol = len > 0 && data[len - 1] == '\n';
  g_autofree char *text = pm_dup_text (data, eol ? len - 1 : len);

  begin_event (out, "output");
  add_int (out, "seq", pm_job_get_seq (job));
  if (stream == PM_OUTPUT_STDOUT || stream == PM_OUTPUT_STDERR)
    add_string (out, "stream", stream == PM_OUTPUT_STDOUT ? "stdout" : "stderr");
  add_string (out, "line", text);
  if (!eol)
    {
      add_name (out, "eol");
      g_string_append (out, "false");
    }
  add_int (out, "time", time);
  end_event (out);
}

void
_pm_eventlog_append_output_dropped (GString *out,
                                    PmJob   *job,
                                    gint64   time)
{
  begin_event (out, "output-dropped");
  add_int (out, "seq", pm_job_get_seq (job));
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
  if (pm_job_get_user_time (job) >= 0 && pm_job_get_system_time (job) >= 0)
    {
      add_int (out, "user_usec", pm_job_get_user_time (job));
      add_int (out, "system_usec", pm_job_get_system_time (job));
    }
  else if (pm_job_get_cpu_time (job) >= 0)
    {
      add_int (out, "cpu_usec", pm_job_get_cpu_time (job));
    }
  if (pm_job_get_peak_memory (job) > 0)
    add_int (out, "peak_memory", (gint64)MIN (pm_job_get_peak_memory (job), G_MAXINT64));
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

/* The end record of a run that ended carries its summary (pm-run-summary.c): the line the
 * window shows, and its numbers. */
void
_pm_eventlog_append_end (GString *out,
                         PmPool  *pool,
                         gint64   time)
{
  PmRunSummary summary;
  PmPoolState state = pm_pool_get_state (pool);

  begin_event (out, "end");
  add_int (out, "time", time);
  if ((state == PM_POOL_STATE_FINISHED || state == PM_POOL_STATE_READ_ONLY) &&
      pm_run_summary_compute (pool, &summary))
    {
      g_autofree char *text = pm_run_summary_format (&summary, FALSE);

      add_int (out, "jobs", summary.n_jobs);
      add_int (out, "work_usec", (gint64)(summary.work * 1e6 + 0.5));
      add_int (out, "makespan_usec", (gint64)(summary.makespan * 1e6 + 0.5));
      add_double (out, "speed_up", summary.speed_up);
      add_int (out, "limit", summary.limit);
      if (summary.cpu >= 0)
        add_int (out, "cpu_usec", (gint64)(summary.cpu * 1e6 + 0.5));
      add_string (out, "summary", text);
    }
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
      g_autoptr(GBytes) output = NULL;
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
      output = pm_job_dup_output_bytes (job);
      for (gsize at = 0, len, size = g_bytes_get_size (output); at < size; at += len)
        {
          const char *data = (const char *)g_bytes_get_data (output, NULL) + at;
          const char *nl = memchr (data, '\n', size - at);
          g_autoptr(GBytes) line = NULL;

          len = nl ? (gsize)(nl - data) + 1 : size - at;
          line = g_bytes_new_from_bytes (output, at, len);
          _pm_eventlog_append_output (text, job, 0, line, t);
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
    _pm_eventlog_append_end (out, pool, pm_pool_get_end_time (pool));
}
