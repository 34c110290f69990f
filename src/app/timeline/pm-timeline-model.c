/* pm-timeline-model.c: what the timeline knows of its pool
 *
 * Finished jobs are kept as bars sorted by start time, with the longest duration seen, so the
 * bars in a time range are found by binary search. The chart's series (running, queued) is a
 * time-sorted array of steps with running totals, kept up to date from the pool's signals:
 * events arrive nearly in time order, so each insert touches only the tail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-timeline-internal.h"

static int
compare_bar_start (gconstpointer a,
                   gconstpointer b)
{
  const PmTimelineBar *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static int
compare_step_time (gconstpointer a,
                   gconstpointer b)
{
  const PmTimelineStep *x = a, *y = b;

  return x->t < y->t ? -1 : x->t > y->t;
}

/* Index of the first bar whose start is >= t */
guint
_pm_timeline_bars_lower_bound (GArray *bars,
                               gint64  t)
{
  guint lo = 0, hi = bars->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (bars, PmTimelineBar, mid).start < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Index of the first step whose time is > t */
guint
_pm_timeline_steps_upper_bound (GArray *steps,
                                gint64  t)
{
  guint lo = 0, hi = steps->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (steps, PmTimelineStep, mid).t <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
recount_steps (PmTimeline *self,
               guint       from)
{
  int running = 0, queued = 0;

  if (from > 0)
    {
      const PmTimelineStep *prev = &g_array_index (self->steps, PmTimelineStep, from - 1);

      running = prev->running;
      queued = prev->queued;
    }
  for (guint i = from; i < self->steps->len; i++)
    {
      PmTimelineStep *step = &g_array_index (self->steps, PmTimelineStep, i);

      running += step->d_running;
      queued += step->d_queued;
      step->running = running;
      step->queued = queued;
      self->max_running = MAX (self->max_running, running);
      self->max_queued = MAX (self->max_queued, queued);
    }
}

/* Events come nearly in time order: find the place from the end. */
static void
add_step (PmTimeline *self,
          gint64      t,
          int         d_running,
          int         d_queued)
{
  PmTimelineStep step = { t, d_running, d_queued, 0, 0 };
  guint pos = self->steps->len;

  while (pos > 0 && g_array_index (self->steps, PmTimelineStep, pos - 1).t > t)
    pos--;
  g_array_insert_val (self->steps, pos, step);
  recount_steps (self, pos);
}

static gboolean
job_has_bar (PmJob *job)
{
  return pm_job_is_finished (job) &&
         pm_job_get_state (job) != PM_JOB_STATE_CANCELLED &&
         pm_job_get_start_time (job) > 0;
}

static PmTimelineBar
bar_from_job (PmJob *job)
{
  PmTimelineBar bar;

  bar.job = job;
  bar.start = pm_job_get_start_time (job);
  bar.end = MAX (pm_job_get_end_time (job), bar.start);
  bar.slot = pm_job_get_slot (job);
  bar.state = pm_job_get_state (job);
  return bar;
}

static void
note_bar (PmTimeline          *self,
          const PmTimelineBar *bar)
{
  self->max_duration = MAX (self->max_duration, bar->end - bar->start);
  self->max_end = MAX (self->max_end, bar->end);
  self->max_slot = MAX (self->max_slot, bar->slot);
  self->states_seen |= 1u << bar->state;
}

static void
add_bar (PmTimeline *self,
         PmJob      *job)
{
  PmTimelineBar bar = bar_from_job (job);
  guint pos = self->bars->len;

  while (pos > 0 && g_array_index (self->bars, PmTimelineBar, pos - 1).start > bar.start)
    pos--;
  g_array_insert_val (self->bars, pos, bar);
  note_bar (self, &bar);
  if (self->cache_valid)
    g_array_append_val (self->pending, bar);
}

/* Rebuilds everything from the pool's jobs: for a new pool or one read from a log. */
void
_pm_timeline_rebuild (PmTimeline *self)
{
  guint n;
  gint64 end_time;

  g_array_set_size (self->bars, 0);
  g_array_set_size (self->steps, 0);
  g_ptr_array_set_size (self->running, 0);
  self->max_duration = 0;
  self->max_end = 0;
  self->max_slot = 0;
  self->states_seen = 0;
  self->max_running = 0;
  self->max_queued = 0;
  self->queue_cursor = 0;
  _pm_timeline_invalidate_cache (self);

  if (self->pool == NULL)
    return;

  end_time = pm_pool_get_end_time (self->pool);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->pool));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (self->pool), i);
      PmJobState state = pm_job_get_state (job);
      gint64 queued = pm_job_get_queued_time (job);
      gint64 start = pm_job_get_start_time (job);
      gint64 end = pm_job_get_end_time (job);
      PmTimelineStep step = { 0, };

      if (queued > 0)
        {
          step.t = queued;
          step.d_queued = 1;
          g_array_append_val (self->steps, step);
        }
      if (start > 0)
        {
          step.t = start;
          step.d_queued = queued > 0 ? -1 : 0;
          step.d_running = 1;
          g_array_append_val (self->steps, step);
          if (pm_job_is_finished (job))
            {
              PmTimelineBar bar = bar_from_job (job);

              g_array_append_val (self->bars, bar);
              note_bar (self, &bar);
              step.t = bar.end;
              step.d_queued = 0;
              step.d_running = -1;
              g_array_append_val (self->steps, step);
            }
          else
            {
              g_ptr_array_add (self->running, job);
              self->max_slot = MAX (self->max_slot, pm_job_get_slot (job));
            }
        }
      else if (state == PM_JOB_STATE_CANCELLED && queued > 0)
        {
          step.t = MAX (end_time > 0 ? end_time : end, queued);
          step.d_queued = -1;
          step.d_running = 0;
          g_array_append_val (self->steps, step);
        }
    }

  g_array_sort (self->bars, compare_bar_start);
  g_array_sort (self->steps, compare_step_time);
  recount_steps (self, 0);
}

/* Jobs added to a live pool: they wait in the queue. */
void
_pm_timeline_add_queued (PmTimeline *self,
                         GListModel *model,
                         guint       position,
                         guint       added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (model, i);
      gint64 queued = pm_job_get_queued_time (job);

      if (queued > 0 && pm_job_get_start_time (job) <= 0 && !pm_job_is_finished (job))
        add_step (self, queued, 0, 1);
    }
  self->queue_cursor = MIN (self->queue_cursor, position);
}

/* Returns whether the job's slot adds a lane. */
gboolean
_pm_timeline_add_started (PmTimeline *self,
                          PmJob      *job)
{
  /* A retried job was queued again without an items-changed: count it as queued then. */
  if (pm_job_get_attempt (job) > 1)
    add_step (self, pm_job_get_queued_time (job), 0, 1);
  add_step (self, pm_job_get_start_time (job), 1, -1);
  g_ptr_array_add (self->running, job);
  if (pm_job_get_slot (job) > self->max_slot)
    {
      self->max_slot = pm_job_get_slot (job);
      return TRUE;
    }
  return FALSE;
}

void
_pm_timeline_add_finished (PmTimeline *self,
                           PmJob      *job)
{
  if (g_ptr_array_remove_fast (self->running, job))
    {
      PmTimelineBar bar = bar_from_job (job);

      add_step (self, bar.end, -1, 0);
      if (job_has_bar (job))
        add_bar (self, job);
    }
  else if (pm_job_get_start_time (job) <= 0)
    {
      /* Cancelled while waiting: it leaves the queue now. */
      add_step (self, MAX (g_get_real_time (), pm_job_get_queued_time (job)), 0, -1);
    }
  else if (job_has_bar (job))
    {
      /* Failed to start: never reported as started. */
      add_step (self, pm_job_get_start_time (job), 0, -1);
      add_bar (self, job);
    }
}

gint64
_pm_timeline_run_origin (PmTimeline *self)
{
  gint64 start = self->pool ? pm_pool_get_start_time (self->pool) : 0;

  if (start > 0)
    return start;
  if (self->steps->len > 0)
    return g_array_index (self->steps, PmTimelineStep, 0).t;
  return 0;
}

gboolean
_pm_timeline_is_live (PmTimeline *self)
{
  return self->pool != NULL && pm_pool_is_active (self->pool);
}

/* The end of the run so far: now while it is active. */
gint64
_pm_timeline_run_end (PmTimeline *self)
{
  gint64 end;

  if (self->pool == NULL)
    return 0;
  if (_pm_timeline_is_live (self))
    return g_get_real_time ();
  end = pm_pool_get_end_time (self->pool);
  end = MAX (end, self->max_end);
  if (self->steps->len > 0)
    end = MAX (end, g_array_index (self->steps, PmTimelineStep, self->steps->len - 1).t);
  return end;
}

guint
_pm_timeline_current_limit (PmTimeline *self)
{
  return self->pool ? pm_pool_get_max_workers (self->pool) : 1;
}

guint
_pm_timeline_max_limit (PmTimeline *self)
{
  guint n = _pm_timeline_current_limit (self);

  if (self->pool != NULL)
    {
      guint n_changes;
      const PmLimitChange *changes = pm_pool_get_limit_changes (self->pool, &n_changes);

      for (guint i = 0; i < n_changes; i++)
        n = MAX (n, changes[i].limit);
    }
  return n;
}

guint
_pm_timeline_count_lanes (PmTimeline *self)
{
  guint n = MAX (_pm_timeline_max_limit (self), self->max_slot);

  for (guint i = 0; i < self->running->len; i++)
    n = MAX (n, pm_job_get_slot (g_ptr_array_index (self->running, i)));
  return MAX (n, 1);
}

/* The pool's limit changes; a run that has none has had one limit since origin. */
const PmLimitChange *
_pm_timeline_get_limit_changes (PmTimeline    *self,
                                gint64         origin,
                                PmLimitChange *fallback,
                                guint         *n_changes)
{
  const PmLimitChange *changes = pm_pool_get_limit_changes (self->pool, n_changes);

  if (*n_changes > 0)
    return changes;
  fallback->time = origin;
  fallback->limit = _pm_timeline_current_limit (self);
  *n_changes = 1;
  return fallback;
}

/* The limit changes as drawn. Each Ctrl+plus is a change of its own: a change less than
 * LIMIT_MERGE_S seconds, or two lines' width at @view's zoom, after the one before it joins
 * it, and the group is one step, at its first change's time, to its last change's limit.
 * The run's first limit stays on its own; a step to the limit already in force is left out.
 * Returns: (transfer full): a GArray of PmLimitChange, at least one */
GArray *
_pm_timeline_merged_limit_changes (PmTimeline           *self,
                                   const PmTimelineView *view)
{
  PmLimitChange fallback;
  guint n = 0;
  const PmLimitChange *changes = _pm_timeline_get_limit_changes (self, view->origin, &fallback,
                                                                 &n);
  double gap = MAX (LIMIT_MERGE_S, 2 * view->m.line / MAX (view->zoom, MIN_ZOOM)) * G_USEC_PER_SEC;
  GArray *merged = g_array_sized_new (FALSE, FALSE, sizeof (PmLimitChange), n);

  for (guint i = 0; i < n; i++)
    {
      PmLimitChange *last = merged->len > 1 ? &g_array_index (merged, PmLimitChange,
                                                              merged->len - 1) : NULL;

      if (last != NULL && changes[i].time - changes[i - 1].time < gap)
        last->limit = changes[i].limit;
      else
        g_array_append_val (merged, changes[i]);
    }
  for (guint i = merged->len; i-- > 1;)
    if (g_array_index (merged, PmLimitChange, i).limit ==
        g_array_index (merged, PmLimitChange, i - 1).limit)
      g_array_remove_index (merged, i);
  return merged;
}

guint
_pm_timeline_get_n_lanes (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), 0);
  return _pm_timeline_count_lanes (self);
}
