/* pm-trace.c
 *
 * Chrome Trace Event JSON (the format of chrome://tracing and Perfetto): one complete ("X")
 * event per job that ran, on the thread (tid) of its slot, its args saying what it was and,
 * when known, what it cost ("cpu_usec", user and system CPU time in µs; "peak_memory", peak
 * resident memory in bytes); thread names "slot N"; counters ("C") for how many jobs run, how
 * many wait and the limit. Timestamps are µs from the start of the run, whose wall-clock time
 * is in otherData.startTime.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "pm-runlog-private.h"

#define TRACE_PID 1

typedef struct
{
  gint64 time;
  int    d_queued;
  int    d_running;
} Step;

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const Step *sa = a;
  const Step *sb = b;

  if (sa->time != sb->time)
    return sa->time < sb->time ? -1 : 1;
  return 0;
}

static void
begin_event (JsonBuilder *builder,
             const char  *name,
             const char  *phase)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "ph");
  json_builder_add_string_value (builder, phase);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, TRACE_PID);
}

static void
add_metadata (JsonBuilder *builder,
              const char  *name,
              gint64       tid,
              const char  *value)
{
  begin_event (builder, name, "M");
  if (tid >= 0)
    _pm_json_add_int (builder, "tid", tid);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  _pm_json_add_string (builder, "name", value);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
add_counter (JsonBuilder *builder,
             const char  *name,
             gint64       ts,
             gint64       value)
{
  begin_event (builder, name, "C");
  _pm_json_add_int (builder, "tid", 0);
  _pm_json_add_int (builder, "ts", ts);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  _pm_json_add_int (builder, name, value);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
add_job (JsonBuilder *builder,
         PmJob       *job,
         gint64       origin)
{
  g_autofree char *command = pm_job_dup_command (job);
  const char *state = pm_job_state_to_string (pm_job_get_state (job));
  gint64 start = pm_job_get_start_time (job);
  gint64 dur = pm_job_get_runtime (job);

  if (dur < 0)
    dur = MAX (pm_job_get_end_time (job) - start, 0);

  begin_event (builder, pm_job_get_name (job), "X");
  _pm_json_add_string (builder, "cat", state);
  _pm_json_add_int (builder, "tid", pm_job_get_slot (job));
  _pm_json_add_int (builder, "ts", start - origin);
  _pm_json_add_int (builder, "dur", dur);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  _pm_json_add_int (builder, "seq", pm_job_get_seq (job));
  _pm_json_add_string (builder, "command", command);
  _pm_json_add_string (builder, "state", state);
  _pm_json_add_int (builder, "exit", pm_job_get_exit_status (job));
  _pm_json_add_int (builder, "signal", pm_job_get_term_signal (job));
  _pm_json_add_int (builder, "attempt", pm_job_get_attempt (job));
  _pm_json_add_int (builder, "pid", pm_job_get_pid (job));
  _pm_json_add_string (builder, "host", pm_job_get_host (job));
  if (pm_job_get_planned (job) >= 0)
    {
      json_builder_set_member_name (builder, "planned");
      json_builder_add_double_value (builder, pm_job_get_planned (job));
    }
  if (pm_job_get_cpu_time (job) >= 0)
    _pm_json_add_int (builder, "cpu_usec", pm_job_get_cpu_time (job));
  if (pm_job_get_peak_memory (job) > 0)
    _pm_json_add_int (builder, "peak_memory", MIN (pm_job_get_peak_memory (job), G_MAXINT64));
  if (pm_job_get_error_message (job) != NULL)
    _pm_json_add_string (builder, "error", pm_job_get_error_message (job));
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* The running and queued counts over time, from the jobs' own times */
static void
add_counters (JsonBuilder *builder,
              GPtrArray   *jobs,
              gint64       origin,
              gint64       end)
{
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (Step));
  int queued = 0, running = 0;
  int last_queued = -1, last_running = -1;

  for (guint i = 0; i < jobs->len; i++)
    {
      PmJob *job = jobs->pdata[i];
      gint64 q = pm_job_get_queued_time (job);
      gint64 s = pm_job_get_start_time (job);
      gint64 e = pm_job_get_end_time (job);
      Step step;

      if (q <= 0)
        q = origin;
      step = (Step) { MIN (q, s > 0 ? s : q), 1, 0 };
      g_array_append_val (steps, step);

      if (s > 0)
        {
          step = (Step) { s, -1, 1 };
          g_array_append_val (steps, step);
          if (pm_job_is_finished (job))
            {
              step = (Step) { MAX (e, s), 0, -1 };
              g_array_append_val (steps, step);
            }
        }
      else if (pm_job_is_finished (job))
        {
          /* cancelled in the queue: the pool does not record when, so at the end at latest */
          step = (Step) { e > 0 ? e : MAX (end, q), -1, 0 };
          g_array_append_val (steps, step);
        }
    }

  g_array_sort (steps, compare_steps);

  for (guint i = 0; i < steps->len; i++)
    {
      Step *step = &g_array_index (steps, Step, i);

      queued += step->d_queued;
      running += step->d_running;
      if (i + 1 < steps->len && g_array_index (steps, Step, i + 1).time == step->time)
        continue;

      if (running != last_running)
        add_counter (builder, "running", step->time - origin, running);
      if (queued != last_queued)
        add_counter (builder, "queued", step->time - origin, queued);
      last_running = running;
      last_queued = queued;
    }
}

void
_pm_trace_append_pool (GString *out,
                       PmPool  *pool)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = NULL;
  GListModel *model = G_LIST_MODEL (pool);
  guint n = g_list_model_get_n_items (model);
  const PmLimitChange *changes;
  guint n_changes;
  gint64 origin = pm_pool_get_start_time (pool);
  gint64 end = pm_pool_get_end_time (pool);
  guint n_slots = pm_pool_get_max_workers (pool);

  changes = pm_pool_get_limit_changes (pool, &n_changes);
  for (guint i = 0; i < n; i++)
    {
      PmJob *job = g_list_model_get_item (model, i);
      gint64 first = pm_job_get_queued_time (job);

      if (first <= 0 || (pm_job_get_start_time (job) > 0 && pm_job_get_start_time (job) < first))
        first = pm_job_get_start_time (job);
      if (origin <= 0 || (first > 0 && first < origin))
        origin = first;
      end = MAX (end, pm_job_get_end_time (job));
      n_slots = MAX (n_slots, pm_job_get_slot (job));
      g_ptr_array_add (jobs, job);
    }
  for (guint i = 0; i < n_changes; i++)
    n_slots = MAX (n_slots, changes[i].limit);
  if (origin <= 0)
    origin = n_changes > 0 ? changes[0].time : g_get_real_time ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "traceEvents");
  json_builder_begin_array (builder);

  add_metadata (builder, "process_name", -1, "Pool Monitor");
  for (guint slot = 1; slot <= n_slots; slot++)
    {
      g_autofree char *name = g_strdup_printf ("slot %u", slot);
      add_metadata (builder, "thread_name", slot, name);
    }

  for (guint i = 0; i < jobs->len; i++)
    {
      PmJob *job = jobs->pdata[i];

      if (pm_job_is_finished (job) && pm_job_get_start_time (job) > 0)
        add_job (builder, job, origin);
    }

  add_counters (builder, jobs, origin, end);

  if (n_changes == 0)
    add_counter (builder, "limit", 0, pm_pool_get_max_workers (pool));
  for (guint i = 0; i < n_changes; i++)
    add_counter (builder, "limit", MAX (changes[i].time - origin, 0), changes[i].limit);

  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "displayTimeUnit");
  json_builder_add_string_value (builder, "ms");
  json_builder_set_member_name (builder, "otherData");
  json_builder_begin_object (builder);
  _pm_json_add_string (builder, "generator", "Pool Monitor " PACKAGE_VERSION);
  _pm_json_add_int (builder, "startTime", origin);
  if (end > 0)
    _pm_json_add_int (builder, "endTime", end);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}
