/* pm-pool-control.c
 *
 * Steering a pool: starting it, changing its limit, draining it and stopping it; and single
 * jobs: signals to a running job's process group (terminate, kill, pause, resume, any
 * signal), cancelling a queued job, and running a finished one again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <glib/gi18n.h>

#include "pm-job-private.h"
#include "pm-pool-internal.h"
#include "pm-pool-private.h"
#include "pm-util.h"

/**
 * pm_pool_start:
 * @self: a #PmPool
 * @error: return location for a #GError
 *
 * Starts as many queued jobs as the limit allows; the rest start as slots free up. A pool that
 * cannot find pool-slot does not start (%G_IO_ERROR_NOT_FOUND, saying where it looked).
 *
 * Returns: %TRUE if the pool was idle and has started
 */
gboolean
pm_pool_start (PmPool  *self,
               GError **error)
{
  g_return_val_if_fail (PM_IS_POOL (self), FALSE);

  if (self->state == PM_POOL_STATE_READ_ONLY)
    {
      g_set_error_literal (error, PM_POOL_ERROR, PM_POOL_ERROR_READ_ONLY,
                           _("This run was read from a log and cannot run again"));
      return FALSE;
    }
  if (self->state != PM_POOL_STATE_IDLE)
    {
      g_set_error_literal (error, PM_POOL_ERROR, PM_POOL_ERROR_NOT_IDLE,
                           _("The pool has already been started"));
      return FALSE;
    }
  /* Without pool-slot no job can run: one error now, not every job failed in turn. */
  if (self->slot_program == NULL &&
      !(self->slot_program = pm_find_helper_full ("pool-slot", error)))
    return FALSE;

  self->start_time = g_get_real_time ();
  self->start_mono = g_get_monotonic_time ();
  _pm_pool_add_limit_change (self, self->start_time, self->max_workers);

  g_object_freeze_notify (G_OBJECT (self));
  /* The jobs added before are queued now, by the start, not when they were added. */
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    _pm_job_set_queued_time (l->data, self->start_time);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_START_TIME]);
  _pm_pool_set_state (self, PM_POOL_STATE_RUNNING);
  _pm_pool_send_basefiles (self);
  _pm_pool_fill (self);
  /* The rows waiting beside the lanes at once, unless the preview made some (its idle makes
   * the rest); a stream's, as they come */
  if (self->jobs->len <= self->n_running)
    _pm_pool_pull_ahead (self);
  _pm_pool_check_finished (self);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * pm_pool_set_max_workers:
 * @self: a #PmPool
 * @max_workers: the new limit, from 1 to %PM_POOL_MAX_LIMIT
 * @error: return location for a #GError
 *
 * Changes the limit, also while running: raising it starts waiting jobs at once; lowering it
 * never ends a job, the jobs above the new limit finish and their slots stay empty.
 *
 * Returns: %TRUE if the limit was valid
 */
gboolean
pm_pool_set_max_workers (PmPool  *self,
                         guint    max_workers,
                         GError **error)
{
  g_return_val_if_fail (PM_IS_POOL (self), FALSE);

  if (max_workers < 1 || max_workers > PM_POOL_MAX_LIMIT)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                   _("The pool limit must be from 1 to %u, not %u"), PM_POOL_MAX_LIMIT,
                   max_workers);
      return FALSE;
    }
  if (self->state == PM_POOL_STATE_READ_ONLY)
    {
      g_set_error_literal (error, PM_POOL_ERROR, PM_POOL_ERROR_READ_ONLY,
                           _("This run was read from a log and cannot change"));
      return FALSE;
    }

  if (self->max_workers == max_workers)
    return TRUE;

  self->max_workers = max_workers;
  if (self->state != PM_POOL_STATE_IDLE)
    _pm_pool_add_limit_change (self, g_get_real_time (), max_workers);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_MAX_WORKERS]);
  if (self->effective_limit < G_MAXUINT)
    g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_EFFECTIVE_LIMIT]);

  _pm_pool_retire_slots (self, FALSE);
  _pm_pool_fill (self);

  return TRUE;
}

/* A job taken out of the queue (or one that never reached its slot: pm-pool-job.c) ends,
 * cancelled; the reference passed goes with it. */
void
_pm_pool_cancel_job (PmPool *self,
                     PmJob  *job)
{
  _pm_job_set_end_time (job, g_get_real_time (), 0);
  _pm_job_set_state (job, PM_JOB_STATE_CANCELLED);
  self->n_cancelled++;
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_CANCELLED]);
  g_signal_emit (self, _pm_pool_signals[JOB_FINISHED], 0, job);
  _pm_pool_forget (self, job);
  g_object_unref (job);
}

static void
cancel_queued (PmPool *self)
{
  PmJob *job;

  if (self->queue.length == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  while ((job = _pm_pool_queue_pop (self)) != NULL)
    _pm_pool_cancel_job (self, job);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_QUEUED]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* A job still waiting for its files to go there has not reached its slot (its state is
 * still queued): a drain or a stop cancels it at once, its moves with it (a large file would
 * hold the stop for as long as it takes). */
static void
cancel_awaiting_files (PmPool *self)
{
  g_autoptr(GList) values = g_hash_table_get_values (self->running);

  for (GList *l = values; l != NULL; l = l->next)
    if (!_pm_running_start_sent (l->data))
      _pm_running_cancel (l->data);
}

static Running *
lookup_running (PmPool  *self,
                PmJob   *job,
                GError **error)
{
  Running *running = g_hash_table_lookup (self->running, job);

  if (running == NULL || !running->started || running->slot == NULL)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_NOT_RUNNING,
                   _("Job %u (%s) is not running"), pm_job_get_seq (job), pm_job_get_name (job));
      return NULL;
    }

  return running;
}

/**
 * pm_pool_signal_job:
 * @self: a #PmPool
 * @job: a running job of @self
 * @signum: the signal
 * @error: return location for a #GError
 *
 * Sends @signum to the job's process group. SIGSTOP and SIGCONT also pause and resume it.
 *
 * Returns: %TRUE if the signal was sent
 */
gboolean
pm_pool_signal_job (PmPool  *self,
                    PmJob   *job,
                    int      signum,
                    GError **error)
{
  Running *running;

  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  g_return_val_if_fail (PM_IS_JOB (job), FALSE);

  if (!(running = lookup_running (self, job, error)))
    return FALSE;

  if (!_pm_running_signal (running, signum))
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_NOT_RUNNING,
                   _("Job %u (%s) has already exited"), pm_job_get_seq (job),
                   pm_job_get_name (job));

      return FALSE;
    }

  if (signum == SIGSTOP || signum == SIGTSTP)
    _pm_job_set_state (job, PM_JOB_STATE_PAUSED);
  else if (signum == SIGCONT)
    _pm_job_set_state (job, PM_JOB_STATE_RUNNING);

  return TRUE;
}

/* A job whose files are still on their way to its host has not reached its slot: there is
 * nothing to signal, and it is cancelled (it never ran), its moves with it, as a stop does. */
static gboolean
cancel_before_start (PmPool *self,
                     PmJob  *job)
{
  Running *running = g_hash_table_lookup (self->running, job);

  if (running == NULL || _pm_running_start_sent (running))
    return FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  _pm_running_cancel (running);
  _pm_pool_fill (self);
  _pm_pool_check_finished (self);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/**
 * pm_pool_job_awaits_files:
 * @self: a #PmPool
 * @job: a job of @self
 *
 * Returns: whether @job holds a lane while its files go to its host (--transferfile), not yet
 *   started: pm_pool_terminate_job() and pm_pool_kill_job() cancel it
 */
gboolean
pm_pool_job_awaits_files (PmPool *self,
                          PmJob  *job)
{
  Running *running;

  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  g_return_val_if_fail (PM_IS_JOB (job), FALSE);

  running = g_hash_table_lookup (self->running, job);
  return running != NULL && !_pm_running_start_sent (running);
}

/**
 * pm_pool_terminate_job:
 * @self: a #PmPool
 * @job: a running job of @self, or one whose files are on their way
 * @error: return location for a #GError
 *
 * Sends SIGTERM to the job's process group (and SIGCONT to a paused one). A job still waiting
 * for its files is cancelled instead: it never ran.
 *
 * Returns: %TRUE if the job was signalled or cancelled
 */
gboolean
pm_pool_terminate_job (PmPool  *self,
                       PmJob   *job,
                       GError **error)
{
  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  g_return_val_if_fail (PM_IS_JOB (job), FALSE);

  if (cancel_before_start (self, job))
    return TRUE;
  if (!pm_pool_signal_job (self, job, SIGTERM, error))
    return FALSE;
  /* A stopped process would only act on SIGTERM once continued. */
  if (pm_job_get_state (job) == PM_JOB_STATE_PAUSED)
    pm_pool_signal_job (self, job, SIGCONT, NULL);
  return TRUE;
}

/**
 * pm_pool_kill_job:
 * @self: a #PmPool
 * @job: a running job of @self, or one whose files are on their way
 * @error: return location for a #GError
 *
 * Sends SIGKILL to the job's process group; a job still waiting for its files is cancelled.
 *
 * Returns: %TRUE if the job was signalled or cancelled
 */
gboolean
pm_pool_kill_job (PmPool  *self,
                  PmJob   *job,
                  GError **error)
{
  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  g_return_val_if_fail (PM_IS_JOB (job), FALSE);

  if (cancel_before_start (self, job))
    return TRUE;
  return pm_pool_signal_job (self, job, SIGKILL, error);
}

gboolean
pm_pool_pause_job (PmPool  *self,
                   PmJob   *job,
                   GError **error)
{
  return pm_pool_signal_job (self, job, SIGSTOP, error);
}

gboolean
pm_pool_resume_job (PmPool  *self,
                    PmJob   *job,
                    GError **error)
{
  return pm_pool_signal_job (self, job, SIGCONT, error);
}

/**
 * pm_pool_cancel_job:
 * @self: a #PmPool
 * @job: a queued job of @self
 * @error: return location for a #GError
 *
 * Takes a queued job out of the queue; it will not run.
 *
 * Returns: %TRUE if the job was queued
 */
gboolean
pm_pool_cancel_job (PmPool  *self,
                    PmJob   *job,
                    GError **error)
{
  GList *link;

  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  g_return_val_if_fail (PM_IS_JOB (job), FALSE);

  if (!(link = g_queue_find (&self->queue, job)))
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_NOT_FOUND,
                   _("Job %u (%s) is not waiting"), pm_job_get_seq (job), pm_job_get_name (job));
      return FALSE;
    }

  _pm_pool_queue_unlink (self, link);
  _pm_pool_cancel_job (self, job);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_QUEUED]);
  _pm_pool_check_finished (self);

  return TRUE;
}

/**
 * pm_pool_retry_job:
 * @self: a #PmPool
 * @job: a finished job of @self
 * @error: return location for a #GError
 *
 * Queues a finished job again as its next attempt. A finished pool runs again for it.
 *
 * Returns: %TRUE if the job was queued again
 */
gboolean
pm_pool_retry_job (PmPool  *self,
                   PmJob   *job,
                   GError **error)
{
  PmJobState old_state;

  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  g_return_val_if_fail (PM_IS_JOB (job), FALSE);

  if (self->state == PM_POOL_STATE_READ_ONLY)
    {
      g_set_error_literal (error, PM_POOL_ERROR, PM_POOL_ERROR_READ_ONLY,
                           _("This run was read from a log and cannot run again"));
      return FALSE;
    }
  old_state = pm_job_get_state (job);
  if (!pm_job_state_is_finished (old_state) ||
      g_hash_table_lookup (self->by_seq, GUINT_TO_POINTER (pm_job_get_seq (job))) != job)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_NOT_FOUND,
                   _("Job %u (%s) has not finished"), pm_job_get_seq (job), pm_job_get_name (job));
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  _pm_pool_requeue (self, job);
  if (self->state == PM_POOL_STATE_FINISHED)
    {
      self->end_mono = 0;
      self->end_time = 0;
      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_END_TIME]);
      _pm_pool_set_state (self, PM_POOL_STATE_RUNNING);
    }
  _pm_pool_fill (self);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/**
 * pm_pool_drain:
 * @self: a #PmPool
 *
 * Lets the running jobs finish and starts no more: the queued ones are cancelled, and those
 * whose files are still on their way (they have not started).
 */
void
pm_pool_drain (PmPool *self)
{
  g_return_if_fail (PM_IS_POOL (self));

  if (self->state != PM_POOL_STATE_RUNNING && self->state != PM_POOL_STATE_IDLE)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state == PM_POOL_STATE_IDLE)
    {
      self->start_time = g_get_real_time ();
      self->start_mono = g_get_monotonic_time ();
    }
  _pm_pool_set_state (self, PM_POOL_STATE_DRAINING);
  cancel_queued (self);
  cancel_awaiting_files (self);
  _pm_pool_check_finished (self);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
kill_remaining_cb (gpointer user_data)
{
  PmPool *self = user_data;
  GList *running;

  self->kill_source = 0;

  /* A job whose files were still moving back ends now (pm-pool-job.c): not while the table is
   * walked. */
  running = g_hash_table_get_values (self->running);
  for (GList *l = running; l != NULL; l = l->next)
    _pm_running_signal (l->data, SIGKILL);
  g_list_free (running);
  /* and what left the groups of the jobs that ended meanwhile; the run may be over then */
  _pm_pool_kill_leftovers (self);
  _pm_pool_check_finished (self);

  return G_SOURCE_REMOVE;
}

/**
 * pm_pool_stop:
 * @self: a #PmPool
 *
 * Cancels the queued jobs and ends the running ones: SIGTERM to each job's process group,
 * then SIGKILL to those still there after the grace period.
 */
void
pm_pool_stop (PmPool *self)
{
  GHashTableIter iter;
  Running *running;

  g_return_if_fail (PM_IS_POOL (self));

  if (self->state == PM_POOL_STATE_IDLE)
    {
      pm_pool_drain (self);
      return;
    }
  if (self->state != PM_POOL_STATE_RUNNING && self->state != PM_POOL_STATE_DRAINING)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  _pm_pool_set_state (self, PM_POOL_STATE_STOPPING);
  cancel_queued (self);

  cancel_awaiting_files (self);

  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&running))
    {
      _pm_running_signal (running, SIGTERM);
      if (pm_job_get_state (running->job) == PM_JOB_STATE_PAUSED)
        _pm_running_signal (running, SIGCONT);
    }

  if (g_hash_table_size (self->running) > 0)
    self->kill_source = g_timeout_add_full (G_PRIORITY_DEFAULT, self->grace_period,
                                            kill_remaining_cb, g_object_ref (self),
                                            g_object_unref);
  _pm_pool_check_finished (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * pm_pool_dup_running_jobs:
 * @self: a #PmPool
 *
 * The jobs that have a slot: running or paused, and those sent to their slot that have not
 * started yet (still queued by their state), in no particular order.
 *
 * Returns: (transfer container) (element-type PmJob): a new array of them, each held by it
 */
GPtrArray *
pm_pool_dup_running_jobs (PmPool *self)
{
  GPtrArray *jobs;
  GHashTableIter iter;
  PmJob *job;

  g_return_val_if_fail (PM_IS_POOL (self), NULL);

  jobs = g_ptr_array_new_full (g_hash_table_size (self->running), g_object_unref);
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, (gpointer *)&job, NULL))
    g_ptr_array_add (jobs, g_object_ref (job));
  return jobs;
}
