/* pm-pool-control.c
 *
 * Steering single jobs of a pool: signals to a running job's process group (terminate, kill,
 * pause, resume, any signal), cancelling a queued job, and running a finished one again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include "pm-job-private.h"
#include "pm-pool-internal.h"

static Running *
lookup_running (PmPool  *self,
                PmJob   *job,
                GError **error)
{
  Running *running = g_hash_table_lookup (self->running, job);

  if (running == NULL || g_subprocess_get_identifier (running->subprocess) == NULL)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_NOT_RUNNING,
                   "Job %u (%s) is not running", pm_job_get_seq (job), pm_job_get_name (job));
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
                   "Job %u (%s) has already exited", pm_job_get_seq (job), pm_job_get_name (job));
      return FALSE;
    }

  if (signum == SIGSTOP || signum == SIGTSTP)
    _pm_job_set_state (job, PM_JOB_STATE_PAUSED);
  else if (signum == SIGCONT)
    _pm_job_set_state (job, PM_JOB_STATE_RUNNING);

  return TRUE;
}

gboolean
pm_pool_terminate_job (PmPool  *self,
                       PmJob   *job,
                       GError **error)
{
  if (!pm_pool_signal_job (self, job, SIGTERM, error))
    return FALSE;
  /* A stopped process would only act on SIGTERM once continued. */
  if (pm_job_get_state (job) == PM_JOB_STATE_PAUSED)
    pm_pool_signal_job (self, job, SIGCONT, NULL);
  return TRUE;
}

gboolean
pm_pool_kill_job (PmPool  *self,
                  PmJob   *job,
                  GError **error)
{
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
                   "Job %u (%s) is not waiting", pm_job_get_seq (job), pm_job_get_name (job));
      return FALSE;
    }

  g_queue_delete_link (&self->queue, link);
  _pm_job_set_end_time (job, g_get_real_time (), 0);
  _pm_job_set_state (job, PM_JOB_STATE_CANCELLED);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_QUEUED]);
  g_signal_emit (self, _pm_pool_signals[JOB_FINISHED], 0, job);
  g_object_unref (job);
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
                           "This run was read from a log and cannot run again");
      return FALSE;
    }
  old_state = pm_job_get_state (job);
  if (!pm_job_state_is_finished (old_state) ||
      g_hash_table_lookup (self->by_seq, GUINT_TO_POINTER (pm_job_get_seq (job))) != job)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_NOT_FOUND,
                   "Job %u (%s) has not finished", pm_job_get_seq (job), pm_job_get_name (job));
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
