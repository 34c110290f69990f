/* pm-pool-source.c
 *
 * Where a pool's jobs come from and what it keeps of them. Jobs are added in batches
 * (pm_pool_add_jobs) or pulled from a #PmJobSource one at a time as lanes free up, so a run
 * starts before its input ends and holds no more of it than the source reads ahead. A window
 * pulls ahead too (pm_pool_set_pull_ahead): every job becomes a row soon, a batch per main-loop
 * iteration, so that no iteration waits on making them all. A pool
 * told not to keep finished jobs (pool-run) forgets each one once it has ended for good and has
 * been announced: its model then holds the queued and running jobs only, and the run's totals
 * live in counters, so memory does not grow with the number of jobs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-job-private.h"
#include "pm-pool-internal.h"

/* The queue, and the planned runtimes of what waits in it added up, so that an estimate of
 * what is left of a run need not look at every job. A job's planned runtime is set before it is
 * added (pm_job_set_planned); were one changed while queued, the sums would be off until the
 * queue is next empty. */
static void
count_queued (PmPool *self,
              PmJob  *job,
              int     sign)
{
  double planned = pm_job_get_planned (job);

  if (planned >= 0)
    self->queued_planned += sign * (gint64)(planned * G_USEC_PER_SEC + 0.5);
  else
    self->n_queued_unplanned += sign;
  if (self->queue.length == 0)
    {
      self->queued_planned = 0;
      self->n_queued_unplanned = 0;
    }
}

/* Takes a reference to @job */
void
_pm_pool_queue_push (PmPool   *self,
                     PmJob    *job,
                     gboolean  at_head)
{
  if (at_head)
    g_queue_push_head (&self->queue, g_object_ref (job));
  else
    g_queue_push_tail (&self->queue, g_object_ref (job));
  count_queued (self, job, 1);
}

/* Returns: (transfer full) (nullable): the job at the head of the queue, taken out of it */
PmJob *
_pm_pool_queue_pop (PmPool *self)
{
  PmJob *job = g_queue_pop_head (&self->queue);

  if (job != NULL)
    count_queued (self, job, -1);
  return job;
}

/* Takes @link out of the queue; the reference it held is the caller's */
void
_pm_pool_queue_unlink (PmPool *self,
                       GList  *link)
{
  count_queued (self, link->data, -1);
  g_queue_delete_link (&self->queue, link);
}

/**
 * pm_pool_add_jobs:
 * @self: a #PmPool
 * @jobs: (array length=n_jobs): the jobs to append, queued (or, in a pool read from a log,
 *   finished)
 * @n_jobs: how many
 *
 * Appends jobs in one batch, with one items-changed. In a running pool they start at once
 * where slots are free.
 */
void
pm_pool_add_jobs (PmPool  *self,
                  PmJob  **jobs,
                  guint    n_jobs)
{
  g_return_if_fail (PM_IS_POOL (self));

  if (n_jobs == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  _pm_pool_append_jobs (self, jobs, n_jobs, 0);
  _pm_pool_fill (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
pm_pool_add_job (PmPool *self,
                 PmJob  *job)
{
  pm_pool_add_jobs (self, &job, 1);
}

static void
source_ready_cb (PmPool *self)
{
  g_object_ref (self);
  _pm_pool_pull_ahead (self);
  _pm_pool_fill (self);
  /* The total may be known now (the stream ended), with no job made */
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_JOBS]);
  _pm_pool_check_finished (self);
  g_object_unref (self);
}

void
_pm_pool_clear_source (PmPool *self)
{
  if (self->source != NULL)
    g_clear_signal_handler (&self->source_ready_id, self->source);
  g_clear_handle_id (&self->pull_idle, g_source_remove);
  g_clear_object (&self->source);
}

/* When a job just pulled was queued. A pool that pulls ahead (a window) shows every job from
 * the start: its jobs were queued at the start while the source has never had to wait for its
 * input (a count, a list, a regular file: all there at Start), else now (a stream's line came
 * now). One that pulls as lanes free (pool-run) queues each job as it pulls it. 0 in a
 * preview, which pm_pool_start() queues. */
static gint64
pulled_queued_time (PmPool *self,
                    PmJob  *job)
{
  if (job == NULL && !pm_job_source_is_done (self->source))
    self->source_waited = TRUE;
  if (self->state == PM_POOL_STATE_IDLE)
    return 0;
  return self->pull_batch == 0 || self->source_waited ? g_get_real_time () : self->start_time;
}

static gboolean
pull_ahead_cb (gpointer user_data)
{
  PmPool *self = g_object_ref (user_data);

  self->pull_idle = 0;
  _pm_pool_pull_ahead (self);
  _pm_pool_fill (self);
  _pm_pool_check_finished (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Makes up to a batch of the source's jobs as queued rows (a preview's rows while idle), with
 * one items-changed, and the next batch in an idle while the source has more at once. A source
 * with nothing yet emits "ready" when it has (source_ready_cb). */
void
_pm_pool_pull_ahead (PmPool *self)
{
  g_autoptr(GPtrArray) jobs = NULL;
  PmJob *job = NULL;

  if (self->pull_batch == 0 || self->source == NULL || self->pull_idle != 0 ||
      (self->state != PM_POOL_STATE_IDLE && self->state != PM_POOL_STATE_RUNNING))
    return;

  jobs = g_ptr_array_new_with_free_func (g_object_unref);
  while (jobs->len < self->pull_batch && (job = pm_job_source_next (self->source)) != NULL)
    g_ptr_array_add (jobs, job);
  if (jobs->len > 0)
    _pm_pool_append_jobs (self, (PmJob **)jobs->pdata, jobs->len,
                          pulled_queued_time (self, job));
  else
    pulled_queued_time (self, job);

  /* Below drawing and input, so that a frame never waits for the next batch */
  if (job != NULL)
    self->pull_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, pull_ahead_cb, self, NULL);
  else if (pm_job_source_is_done (self->source))
    g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_JOBS]);   /* its end */
}

/* A run that ended before its source did: the jobs a list or count still held count as
 * cancelled (they never ran), as the queued ones do; a stream's are not known. */
void
_pm_pool_count_unpulled (PmPool *self)
{
  gint64 left;

  if (self->source == NULL || self->unpulled_counted || pm_job_source_is_done (self->source))
    return;
  self->unpulled_counted = TRUE;
  if ((left = pm_job_source_get_n_left (self->source)) <= 0)
    return;
  self->n_added += left;
  self->n_cancelled += left;
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_JOBS]);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_CANCELLED]);
}

/* Queues the source's next job, if it has one now. */
gboolean
_pm_pool_pull (PmPool *self)
{
  g_autoptr(PmJob) job = NULL;

  if (self->source == NULL || self->state != PM_POOL_STATE_RUNNING)
    return FALSE;
  job = pm_job_source_next (self->source);
  if (job == NULL)
    {
      pulled_queued_time (self, NULL);
      return FALSE;
    }

  _pm_pool_append_jobs (self, &job, 1, pulled_queued_time (self, job));
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_JOBS]);
  return TRUE;
}

/* Whether the run may end as far as its source goes: it has ended, or nothing more is taken. */
gboolean
_pm_pool_source_done (PmPool *self)
{
  return self->source == NULL || self->state != PM_POOL_STATE_RUNNING ||
         pm_job_source_is_done (self->source);
}

void
_pm_pool_count_finished (PmPool *self,
                         PmJob  *job)
{
  if (pm_job_get_state (job) == PM_JOB_STATE_CANCELLED)
    return;
  if (pm_job_get_runtime (job) > 0)
    self->total_runtime += pm_job_get_runtime (job);
  if (pm_job_get_cpu_time (job) >= 0)
    {
      self->total_cpu += pm_job_get_cpu_time (job);
      self->have_cpu = TRUE;
    }
}

/* The job has ended for good and been announced: a pool that keeps no finished jobs lets it go. */
void
_pm_pool_forget (PmPool *self,
                 PmJob  *job)
{
  guint position;

  if (self->keep_finished || !g_ptr_array_find (self->jobs, job, &position))
    return;

  if (g_hash_table_lookup (self->by_seq, GUINT_TO_POINTER (pm_job_get_seq (job))) == job)
    g_hash_table_remove (self->by_seq, GUINT_TO_POINTER (pm_job_get_seq (job)));
  g_ptr_array_remove_index (self->jobs, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* @queued_time: when a running pool's jobs were queued, or 0 for now */
void
_pm_pool_append_jobs (PmPool  *self,
                      PmJob  **jobs,
                      guint    n_jobs,
                      gint64   queued_time)
{
  guint position = self->jobs->len;
  gint64 now = queued_time > 0 ? queued_time : g_get_real_time ();

  for (guint i = 0; i < n_jobs; i++)
    {
      PmJob *job = jobs[i];

      g_return_if_fail (PM_IS_JOB (job));

      g_ptr_array_add (self->jobs, g_object_ref (job));
      g_hash_table_insert (self->by_seq, GUINT_TO_POINTER (pm_job_get_seq (job)), job);
      self->n_added++;

      if (self->state == PM_POOL_STATE_READ_ONLY)
        {
          PmJobState state = pm_job_get_state (job);

          if (state == PM_JOB_STATE_CANCELLED)
            self->n_cancelled++;
          if (state == PM_JOB_STATE_CANCELLED || !pm_job_state_is_finished (state))
            continue;
          self->n_done++;
          if (state != PM_JOB_STATE_SUCCEEDED)
            self->n_failed++;
          _pm_pool_count_finished (self, job);
        }
      else
        {
          /* A pool not started yet is a preview: its jobs are queued by pm_pool_start(). */
          if (self->state != PM_POOL_STATE_IDLE)
            _pm_job_set_queued_time (job, now);
          _pm_job_set_state (job, PM_JOB_STATE_QUEUED);
          _pm_pool_queue_push (self, job, FALSE);
        }
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n_jobs);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_JOBS]);
  if (self->state == PM_POOL_STATE_READ_ONLY)
    {
      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_DONE]);
      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_FAILED]);
      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_CANCELLED]);
    }
  else
    {
      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_QUEUED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * pm_pool_set_source:
 * @self: an idle #PmPool
 * @source: (nullable): where the pool pulls its jobs from, as lanes free up
 *
 * Jobs added with pm_pool_add_jobs() go first. The run ends once the source is done too.
 */
void
pm_pool_set_source (PmPool      *self,
                    PmJobSource *source)
{
  g_return_if_fail (PM_IS_POOL (self));
  g_return_if_fail (self->state == PM_POOL_STATE_IDLE);

  _pm_pool_clear_source (self);
  if (source == NULL)
    return;
  self->source = g_object_ref (source);
  self->source_ready_id = g_signal_connect_swapped (source, "ready",
                                                    G_CALLBACK (source_ready_cb), self);
}

/**
 * pm_pool_set_pull_ahead:
 * @self: a #PmPool, idle or running, whose source is set
 * @batch: jobs made at most per main-loop iteration, or 0 (the default) to make a job only as
 *   a lane frees (pool-run)
 *
 * Makes the source's jobs ahead of the lanes, as rows of the model, for a window that shows
 * every job: a batch at once, then a batch per idle (below drawing) while the source has them,
 * and a stream's jobs as their records arrive. An idle pool's rows are a preview, queued by
 * pm_pool_start().
 */
void
pm_pool_set_pull_ahead (PmPool *self,
                        guint   batch)
{
  g_return_if_fail (PM_IS_POOL (self));

  self->pull_batch = batch;
  if (batch == 0)
    g_clear_handle_id (&self->pull_idle, g_source_remove);
  _pm_pool_pull_ahead (self);
}

/**
 * pm_pool_set_keep_finished:
 * @self: a #PmPool
 * @keep: %FALSE to let finished jobs go once announced (the default keeps them)
 *
 * A pool that keeps them is a model of the whole run, as a window wants; one that does not
 * holds only the queued and running jobs, and its totals in counters (pool-run).
 */
void
pm_pool_set_keep_finished (PmPool   *self,
                           gboolean  keep)
{
  g_return_if_fail (PM_IS_POOL (self));
  self->keep_finished = keep;
}

/**
 * pm_pool_get_n_jobs:
 * @self: a #PmPool
 *
 * Returns: how many jobs were added or pulled so far, forgotten ones too
 */
guint
pm_pool_get_n_jobs (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->n_added;
}

/**
 * pm_pool_get_n_total:
 * @self: a #PmPool
 *
 * Returns: how many jobs the run has in all, or -1 while its source has not ended
 */
gint64
pm_pool_get_n_total (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), -1);

  if (self->source != NULL && !pm_job_source_is_done (self->source) && !self->unpulled_counted)
    {
      gint64 total = pm_job_source_get_n_total (self->source);
      gint64 left = pm_job_source_get_n_left (self->source);

      /* Jobs added by hand, and the source's: all of them, once the source knows */
      return total < 0 ? -1 : self->n_added + left;
    }
  return self->n_added;
}

/**
 * pm_pool_get_total_runtime:
 * @self: a #PmPool
 *
 * Returns: µs, the run times of every finished attempt added up
 */
gint64
pm_pool_get_total_runtime (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->total_runtime;
}

/**
 * pm_pool_get_total_cpu_time:
 * @self: a #PmPool
 *
 * Returns: µs of CPU of the finished attempts whose CPU time is known, or -1 if none is
 */
gint64
pm_pool_get_total_cpu_time (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), -1);
  return self->have_cpu ? self->total_cpu : -1;
}

/**
 * pm_pool_get_n_waiting:
 * @self: a #PmPool
 * @more: (out) (optional): set to %TRUE when the source may still make jobs it cannot count yet
 *
 * The jobs that wait to start: those queued, and those a counted source has not made yet (a
 * list or a count it reads ahead of the pool only so far).
 *
 * Returns: how many jobs are known to wait
 */
guint
pm_pool_get_n_waiting (PmPool   *self,
                       gboolean *more)
{
  gint64 left = -1;

  g_return_val_if_fail (PM_IS_POOL (self), 0);

  if (self->source != NULL && !pm_job_source_is_done (self->source) && !self->unpulled_counted)
    left = pm_job_source_get_n_left (self->source);
  if (more != NULL)
    *more = self->source != NULL && !pm_job_source_is_done (self->source) &&
            !self->unpulled_counted && left < 0;
  return self->queue.length + (guint)MIN (MAX (left, 0), G_MAXUINT - self->queue.length);
}

/**
 * pm_pool_get_source_error:
 * @self: a #PmPool
 *
 * Returns: (nullable): why the source stopped before its end, if it did
 */
const GError *
pm_pool_get_source_error (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), NULL);
  return self->source != NULL ? pm_job_source_get_error (self->source) : NULL;
}

/**
 * pm_pool_get_source_left:
 * @self: a #PmPool
 *
 * Returns: %TRUE if the run ended before its source did (a drain, a stop, a halt)
 */
gboolean
pm_pool_get_source_left (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  return self->source != NULL && !pm_job_source_is_done (self->source);
}

/**
 * pm_pool_get_queued_planned:
 * @self: a #PmPool
 * @n_unplanned: (out) (optional): where to store how many queued jobs have no planned runtime
 *
 * What the queued jobs are planned to take, without looking at each: see
 * pm_job_get_planned(). A job sent to its slot that has not started yet is no longer queued
 * here (pm_pool_dup_running_jobs() has it).
 *
 * Returns: the planned runtimes of the queued jobs that have one, added up, in seconds
 */
double
pm_pool_get_queued_planned (PmPool *self,
                            guint  *n_unplanned)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);

  if (n_unplanned != NULL)
    *n_unplanned = self->n_queued_unplanned;
  return self->queued_planned / (double)G_USEC_PER_SEC;
}
