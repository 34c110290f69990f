/* pm-pool-policy.c
 *
 * What a pool does beyond running jobs: timeouts and their kill sequence, retries, halting,
 * whether output is read at all, and the limit the system set when it refused a process or a
 * descriptor. The settings live on the pool; the checks run as jobs end (pm-pool.c) and start
 * (pm-pool-job.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-pool-internal.h"

/* Runtimes of succeeded jobs, for a timeout given as a percentage of their median. */
void
_pm_pool_record_success (PmPool *self,
                         gint64  runtime)
{
  /* Only for a timeout in % of the median: a pool that keeps no finished jobs (pool-run) keeps
   * no runtimes either unless it needs them, so its memory does not grow with the run. */
  if (self->timeout_percent > 0 || self->keep_finished)
    _pm_median_add (&self->success_runtimes, runtime);
}

/**
 * _pm_pool_get_timeout_for_start:
 * @self: a #PmPool
 *
 * Returns: the timeout for a job starting now in ms, or 0 for none. A percentage of the median
 *   runtime, as GNU parallel's --timeout 200%, applies once three jobs have succeeded.
 */
guint
_pm_pool_get_timeout_for_start (PmPool *self)
{
  if (self->timeout_percent > 0 && _pm_median_count (&self->success_runtimes) >= 3)
    {
      gint64 median = _pm_median_get (&self->success_runtimes);
      return MAX (1, (guint)(median / 1000 * self->timeout_percent / 100));
    }

  return self->timeout_ms;
}

/* How GNU parallel ends a job's status: its exit status, else 128 + the signal that ended it. */
static int
job_status (PmJob *job)
{
  int status = pm_job_get_exit_status (job);
  int signum = pm_job_get_term_signal (job);

  if (status > 0)
    return status;
  return signum > 0 ? 128 + signum : 0;
}

/* The exit status GNU parallel 20221122 gives a run its --halt stopped, fixed when it halts:
 * 0 on success; on fail or done the percentage of all jobs that failed (rounded up) for a
 * percentage, else the number that failed (at most 101; 101 also when none has, as
 * parallel's min() of nothing gives); and the halting job's own status when the threshold is
 * exactly one job. */
/* The jobs a percentage is of: all of the run's, once its source knows how many; until then
 * those made so far (the pool may have forgotten the finished ones: it counts them) */
static guint
halt_total (PmPool *self)
{
  gint64 total = pm_pool_get_n_total (self);

  return total >= 0 ? (guint)MIN (total, G_MAXUINT) : self->n_added;
}

static int
halt_status (PmPool *self,
             PmJob  *job)
{
  guint total = halt_total (self);
  int status;

  if (self->halt.on == PM_HALT_ON_SUCCESS)
    return 0;

  if (self->halt.percent > 0)
    status = (int)((self->n_failed * 100 + MAX (total, 1) - 1) / MAX (total, 1));
  else
    status = self->n_failed == 0 ? 101 : (int)MIN (self->n_failed, 101);

  if ((self->halt.percent == 0 && self->halt.count == 1) ||
      (self->halt.percent > 0 && total * self->halt.percent == 100))
    status = job_status (job);

  return status;
}

void
_pm_pool_check_halt (PmPool *self,
                     PmJob  *job)
{
  guint counted, threshold;

  if (self->halt.when == PM_HALT_NEVER || self->halted || !pm_pool_is_active (self))
    return;

  switch (self->halt.on)
    {
    case PM_HALT_ON_FAIL:
      /* A job that succeeded does not count, nor halt */
      if (pm_job_get_state (job) == PM_JOB_STATE_SUCCEEDED)
        return;
      counted = self->n_failed;
      break;
    case PM_HALT_ON_SUCCESS:
      if (pm_job_get_state (job) != PM_JOB_STATE_SUCCEEDED)
        return;
      counted = self->n_done - self->n_failed;
      break;
    case PM_HALT_ON_DONE:
    default:
      counted = self->n_done;
      break;
    }

  if (self->halt.percent > 0)
    threshold = MAX (1, (halt_total (self) * self->halt.percent + 99) / 100);
  else
    threshold = self->halt.count;

  if (counted < threshold)
    return;

  self->halted = TRUE;
  self->halt_status = halt_status (self, job);
  if (self->halt.when == PM_HALT_NOW)
    pm_pool_stop (self);
  else
    pm_pool_drain (self);
}

/**
 * pm_pool_get_exit_status:
 * @self: a #PmPool
 *
 * The exit status GNU parallel gives the same run: when --halt stopped it, what parallel's
 * rules give at that moment (see halt_status()); with a halt policy that never fired, the
 * percentage of the started jobs that failed (for a percentage) or their number; else the
 * number of failed jobs. Never more than 101 for a count. Jobs that never ran do not count.
 *
 * Returns: the exit status
 */
int
pm_pool_get_exit_status (PmPool *self)
{
  guint started;

  g_return_val_if_fail (PM_IS_POOL (self), 1);

  if (self->halt_status >= 0)
    return self->halt_status;

  started = self->n_done + self->n_running;
  if (self->halt.when != PM_HALT_NEVER && self->halt.percent > 0)
    return (int)((self->n_failed * 100 + MAX (started, 1) - 1) / MAX (started, 1));

  return (int)MIN (self->n_failed, 101);
}

/**
 * pm_pool_get_timeout:
 * @self: a #PmPool
 *
 * Returns: how many ms a job may run before it is ended, 0 for no limit
 */
guint
pm_pool_get_timeout (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->timeout_ms;
}

/**
 * pm_pool_set_timeout:
 * @self: a #PmPool
 * @msec: the time a job may run, 0 for no limit
 *
 * A job still running after @msec is ended with the kill sequence and is "timed out".
 */
void
pm_pool_set_timeout (PmPool *self,
                     guint   msec)
{
  g_return_if_fail (PM_IS_POOL (self));

  if (self->timeout_ms != msec)
    {
      self->timeout_ms = msec;
      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_TIMEOUT]);
    }
}

/**
 * pm_pool_set_timeout_percent:
 * @self: a #PmPool
 * @percent: a percentage of the median runtime of the succeeded jobs, 0 for none
 *
 * As GNU parallel's --timeout 200%: applies once three jobs have succeeded, and until then the
 * timeout in ms (if any) does.
 */
void
pm_pool_set_timeout_percent (PmPool *self,
                             guint   percent)
{
  g_return_if_fail (PM_IS_POOL (self));
  self->timeout_percent = percent;
}

/**
 * pm_pool_set_term_seq:
 * @self: a #PmPool
 * @term_seq: signals and the ms to wait after each, as GNU parallel's --termseq
 * @error: return location for a #GError
 *
 * Sets how a timed-out job is ended; the default is TERM,200,TERM,100,TERM,50,KILL,25.
 *
 * Returns: %TRUE if @term_seq was understood
 */
gboolean
pm_pool_set_term_seq (PmPool      *self,
                      const char  *term_seq,
                      GError     **error)
{
  GArray *steps;

  g_return_val_if_fail (PM_IS_POOL (self), FALSE);

  if (!(steps = _pm_term_seq_parse (term_seq, error)))
    return FALSE;

  g_array_unref (self->term_seq);
  self->term_seq = steps;
  return TRUE;
}

/**
 * pm_pool_set_capture_output:
 * @self: an idle #PmPool
 * @capture: %FALSE to send the jobs' output to /dev/null
 *
 * By default each job's stdout and stderr are read (#PmPool::job-output, the kept tail). A
 * front end that shows and logs no output spares the slots two pipes and their reading per job.
 */
void
pm_pool_set_capture_output (PmPool   *self,
                            gboolean  capture)
{
  g_return_if_fail (PM_IS_POOL (self));
  g_return_if_fail (self->state == PM_POOL_STATE_IDLE);

  self->capture_output = !!capture;
}

/**
 * pm_pool_set_direct_output:
 * @self: an idle #PmPool
 * @stdout_: whether jobs on this machine write to the pool's own standard output
 * @stderr_: the same for standard error
 *
 * As GNU parallel -u: such a stream is not read by the pool at all (no #PmPool::job-output for
 * it), so its bytes reach the pool's reader without a copy through the slot and the pool. Jobs
 * on other hosts are read as always.
 */
void
pm_pool_set_direct_output (PmPool   *self,
                           gboolean  stdout_,
                           gboolean  stderr_)
{
  g_return_if_fail (PM_IS_POOL (self));
  g_return_if_fail (self->state == PM_POOL_STATE_IDLE);

  self->direct_stdout = !!stdout_;
  self->direct_stderr = !!stderr_;
}

guint
pm_pool_get_retries (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->retries;
}

/**
 * pm_pool_will_retry:
 * @self: a #PmPool
 * @job: a job of @self whose attempt has just ended
 *
 * Whether @job runs again: its attempt failed, was killed or timed out, it has attempts left,
 * and the run still runs (a draining or stopping one starts no new attempt). Valid from
 * #PmPool::job-finished.
 *
 * Returns: %TRUE if @job goes back to the queue as its next attempt
 */
gboolean
pm_pool_will_retry (PmPool *self,
                    PmJob  *job)
{
  PmJobState state;

  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  g_return_val_if_fail (PM_IS_JOB (job), FALSE);

  state = pm_job_get_state (job);
  return (state == PM_JOB_STATE_FAILED || state == PM_JOB_STATE_KILLED ||
          state == PM_JOB_STATE_TIMED_OUT) &&
         pm_job_get_attempt (job) < self->retries && self->state == PM_POOL_STATE_RUNNING;
}

/**
 * pm_pool_set_retries:
 * @self: a #PmPool
 * @retries: how many attempts a failing job gets in all (0 and 1: no retry)
 *
 * A job that fails, is killed or times out runs again, up to @retries attempts, as GNU
 * parallel's --retries. Each attempt is announced with #PmPool::job-finished.
 */
void
pm_pool_set_retries (PmPool *self,
                     guint   retries)
{
  g_return_if_fail (PM_IS_POOL (self));

  if (self->retries != retries)
    {
      self->retries = retries;
      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_RETRIES]);
    }
}

/**
 * pm_pool_set_halt:
 * @self: a #PmPool
 * @halt: when to give up, see pm_halt_parse()
 */
void
pm_pool_set_halt (PmPool       *self,
                  const PmHalt *halt)
{
  g_return_if_fail (PM_IS_POOL (self));
  g_return_if_fail (halt != NULL);

  self->halt = *halt;
}

/**
 * pm_pool_set_output_chunks:
 * @self: a #PmPool
 * @chunks: whether #PmPool::job-output may carry several whole lines at once
 *
 * By default each #PmPool::job-output is one line (or a piece of a long one). With @chunks
 * it is all the whole lines one read brought (still never a torn line, and the pieces of a
 * long line as before): far fewer signals when a job writes many short lines. A job's tail
 * keeps the lines as before.
 */
void
pm_pool_set_output_chunks (PmPool   *self,
                           gboolean  chunks)
{
  g_return_if_fail (PM_IS_POOL (self));
  self->output_chunks = !!chunks;
}

/**
 * pm_pool_set_start_gate:
 * @self: a #PmPool
 * @gate: (nullable): asked before each job starts
 * @user_data: for @gate
 *
 * While @gate says to wait, no job starts; the pool asks it again when the wait is over (or a
 * job ends).
 */
void
pm_pool_set_start_gate (PmPool          *self,
                        PmPoolStartGate  gate,
                        gpointer         user_data)
{
  g_return_if_fail (PM_IS_POOL (self));

  self->start_gate = gate;
  self->start_gate_data = user_data;
}

static gboolean
gate_cb (gpointer user_data)
{
  PmPool *self = user_data;

  self->gate_source = 0;
  _pm_pool_fill (self);
  return G_SOURCE_REMOVE;
}

/* Whether the start gate keeps the next job waiting; if so the pool looks again later. */
gboolean
_pm_pool_gate_closed (PmPool *self)
{
  guint wait;

  if (self->start_gate == NULL)
    return FALSE;
  if (self->gate_source != 0)
    return TRUE;
  wait = self->start_gate (self, self->start_gate_data);
  if (wait == 0)
    return FALSE;
  self->gate_source = g_timeout_add (wait, gate_cb, self);
  return TRUE;
}

/**
 * pm_pool_get_halted:
 * @self: a #PmPool
 *
 * Returns: %TRUE if the halt policy stopped the pool
 */
gboolean
pm_pool_get_halted (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  return self->halted;
}

/**
 * pm_pool_get_effective_limit:
 * @self: a #PmPool
 *
 * Returns: how many jobs may run at once: the limit, or fewer when the system refused more
 *   processes or descriptors (see pm_pool_get_limit_reason())
 */
guint
pm_pool_get_effective_limit (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return MIN (self->max_workers, self->effective_limit);
}

/**
 * pm_pool_get_limit_reason:
 * @self: a #PmPool
 *
 * Returns: (nullable): why the pool runs fewer jobs at once than its limit, or %NULL
 */
const char *
pm_pool_get_limit_reason (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), NULL);
  return self->effective_limit < G_MAXUINT ? self->limit_reason : NULL;
}
