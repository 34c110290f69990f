/* pm-pool.c
 *
 * The pool runs jobs with never more than max-workers at once.
 *
 * States and races. A job is queued, then running (in a lane, served by a slot process), then
 * finished. Each lane has a pool-slot process (pm-pool-slot.c), started with the lane's first job
 * and kept; the pool sends it one job at a time, and the slot answers with the job's PID, its
 * output and its end (pm-pool-job.c). A job sent to its slot counts as running at once; it
 * becomes RUNNING, with its PID and the time it was sent as its start, when the slot says it
 * started. It is finished when the slot says it ended, which the slot does only once the job's
 * leader is reaped and its output has ended (or half a second later); that frees the lane and
 * refills it from the queue at once, from that callback. Jobs start only from fill(), only in the
 * RUNNING state, only while fewer than the limit run (or the effective limit, when the system
 * refused processes or descriptors), and each takes the lowest free lane not above the limit:
 * after the limit is lowered the jobs above it run on (they drain), and their slots are retired
 * once idle. Signals for a job go through its slot, which sends them to the job's process group
 * only while its leader is not reaped, so a PID that was reused is never signalled; the pool adds
 * the job's descendants that left the group (pm-proctree.c), known by PID and start time. A slot
 * that dies fails its job, whose group the pool then kills itself. A stop is over when its jobs
 * have ended and those descendants are gone, or at the end of its grace period, when they get
 * SIGKILL. Every running job holds a reference to the pool, so the pool outlives its running jobs;
 * every slot exits when the run is over or the pool goes away.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pm-enums.h"
#include "pm-job-private.h"
#include "pm-pool-internal.h"
#include "pm-pool-private.h"
#include "pm-proctree.h"
#include "pm-util.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PmPool, pm_pool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (pm-pool-error-quark, pm_pool_error)

GParamSpec *_pm_pool_properties[N_PROPS];
guint _pm_pool_signals[N_SIGNALS];

#define properties _pm_pool_properties
#define signals _pm_pool_signals

static void
notify (PmPool *self,
        guint   prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_pm_pool_set_state (PmPool      *self,
                    PmPoolState  state)
{
  if (self->state != state)
    {
      self->state = state;
      notify (self, PROP_STATE);
    }
}

guint
_pm_pool_take_slot (PmPool *self)
{
  guint slot;

  if (self->busy_slots->len <= self->max_workers)
    g_array_set_size (self->busy_slots, self->max_workers + 1);

  for (slot = 1; slot <= self->max_workers; slot++)
    if (!g_array_index (self->busy_slots, gboolean, slot) && _pm_pool_lane_usable (self, slot))
      break;

  g_assert (slot <= self->max_workers);
  g_array_index (self->busy_slots, gboolean, slot) = TRUE;
  return slot;
}

/* Whether a lane is free for a job now (all may be busy, or on hosts that are lost) */
static gboolean
has_free_lane (PmPool *self)
{
  for (guint slot = 1; slot <= self->max_workers; slot++)
    if ((slot >= self->busy_slots->len || !g_array_index (self->busy_slots, gboolean, slot)) &&
        _pm_pool_lane_usable (self, slot))
      return TRUE;
  return FALSE;
}

void
_pm_pool_release_slot (PmPool *self,
                       guint   slot)
{
  g_assert (slot < self->busy_slots->len);
  g_array_index (self->busy_slots, gboolean, slot) = FALSE;
}

/* What left the groups of the jobs a stop ended (pm-pool-job.c): those still there. */
static gboolean
leftovers_remain (PmPool *self)
{
  for (guint i = 0; self->leftovers != NULL && i < self->leftovers->len;)
    {
      if (pm_proc_still_there (&g_array_index (self->leftovers, PmProc, i)))
        return TRUE;
      g_array_remove_index_fast (self->leftovers, i);
    }
  return FALSE;
}

/* The grace period is over: SIGKILL to those, as to a job still running then. */
void
_pm_pool_kill_leftovers (PmPool *self)
{
  for (guint i = 0; self->leftovers != NULL && i < self->leftovers->len; i++)
    {
      const PmProc *proc = &g_array_index (self->leftovers, PmProc, i);

      if (pm_proc_still_there (proc))
        kill (proc->pid, SIGKILL);
    }
  if (self->leftovers != NULL)
    g_array_set_size (self->leftovers, 0);
}

static gboolean
leftovers_poll_cb (gpointer user_data)
{
  PmPool *self = user_data;

  if (leftovers_remain (self))
    return G_SOURCE_CONTINUE;
  self->leftover_source = 0;
  _pm_pool_check_finished (self);
  return G_SOURCE_REMOVE;
}

void
_pm_pool_check_finished (PmPool *self)
{
  if ((self->state == PM_POOL_STATE_RUNNING ||
       self->state == PM_POOL_STATE_DRAINING ||
       self->state == PM_POOL_STATE_STOPPING) &&
      self->n_running == 0 && self->queue.length == 0 && _pm_pool_source_done (self))
    {
      /* A stop is over when what left its jobs' groups is gone too, or its grace period */
      if (self->state == PM_POOL_STATE_STOPPING && self->kill_source != 0 &&
          leftovers_remain (self))
        {
          if (self->leftover_source == 0)
            self->leftover_source = g_timeout_add (50, leftovers_poll_cb, self);
          return;
        }
      g_clear_handle_id (&self->leftover_source, g_source_remove);
      g_clear_handle_id (&self->kill_source, g_source_remove);
      g_clear_handle_id (&self->retry_source, g_source_remove);
      _pm_pool_kill_leftovers (self);
      _pm_pool_count_unpulled (self);
      if (self->end_mono == 0)
        {
          /* The jobs are over: that is the run's end, however long its slots take to exit */
          self->end_time = g_get_real_time ();
          self->end_mono = g_get_monotonic_time ();
        }
      /* Finished once every slot process has exited and been reaped (pm-pool-slot.c): nothing
       * of the run is left, and what its jobs cost is in the pool's own rusage. */
      _pm_pool_retire_slots (self, TRUE);
      if (self->n_slot_processes > 0)
        return;
      notify (self, PROP_END_TIME);
      _pm_pool_set_state (self, PM_POOL_STATE_FINISHED);
    }
}

/* A finished job goes back to the queue as its next attempt; it no longer counts as done. */
void
_pm_pool_requeue (PmPool *self,
                  PmJob  *job)
{
  PmJobState old_state = pm_job_get_state (job);

  if (old_state == PM_JOB_STATE_CANCELLED)
    {
      self->n_cancelled--;
      notify (self, PROP_N_CANCELLED);
    }
  else
    {
      self->n_done--;
      notify (self, PROP_N_DONE);
      if (old_state != PM_JOB_STATE_SUCCEEDED)
        {
          self->n_failed--;
          notify (self, PROP_N_FAILED);
        }
    }

  _pm_job_reset (job);
  _pm_job_set_attempt (job, pm_job_get_attempt (job) + 1);
  _pm_job_set_queued_time (job, g_get_real_time ());
  _pm_pool_queue_push (self, job, FALSE);
  notify (self, PROP_N_QUEUED);
}

/* A job leaves the pool's hands; its slot (if it had one) is already free. The caller refills. */
void
_pm_pool_job_done (PmPool     *self,
                   PmJob      *job,
                   PmJobState  state)
{
  g_object_freeze_notify (G_OBJECT (self));

  _pm_job_set_state (job, state);
  _pm_pool_count_finished (self, job);
  self->n_done++;
  notify (self, PROP_N_DONE);
  if (state != PM_JOB_STATE_SUCCEEDED)
    {
      self->n_failed++;
      notify (self, PROP_N_FAILED);
    }
  else
    {
      _pm_pool_record_success (self, pm_job_get_runtime (job));
    }

  /* Every attempt is announced (and so logged) as it ends, retried or not. */
  g_signal_emit (self, signals[JOB_FINISHED], 0, job);

  if (pm_pool_will_retry (self, job))
    {
      _pm_pool_requeue (self, job);
    }
  else
    {
      _pm_pool_forget (self, job);
      _pm_pool_check_halt (self, job);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

void
_pm_pool_fill (PmPool *self)
{
  gboolean started = FALSE;

  g_object_freeze_notify (G_OBJECT (self));

  while (self->state == PM_POOL_STATE_RUNNING &&
         self->retry_source == 0 &&
         self->gate_source == 0 &&
         self->n_running < MIN (self->max_workers, self->effective_limit) &&
         (self->hosts == NULL || has_free_lane (self)) &&
         (self->queue.length > 0 || _pm_pool_pull (self)))
    {
      g_autoptr(PmJob) job = NULL;

      if (_pm_pool_gate_closed (self))
        break;
      job = _pm_pool_queue_pop (self);
      started = TRUE;
      _pm_pool_start_job (self, job);
    }

  if (started)
    notify (self, PROP_N_QUEUED);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
pm_pool_dispose (GObject *object)
{
  PmPool *self = (PmPool *)object;

  /* Running jobs hold a reference to the pool, so none is left here. */
  g_assert (g_hash_table_size (self->running) == 0);

  g_queue_clear_full (&self->queue, g_object_unref);
  _pm_pool_clear_source (self);
  g_clear_handle_id (&self->kill_source, g_source_remove);
  g_clear_handle_id (&self->leftover_source, g_source_remove);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->gate_source, g_source_remove);
  _pm_pool_free_slots (self);
  _pm_pool_free_hosts (self);
  g_clear_pointer (&self->files, _pm_pool_files_free);

  G_OBJECT_CLASS (pm_pool_parent_class)->dispose (object);
}

static void
pm_pool_finalize (GObject *object)
{
  PmPool *self = (PmPool *)object;

  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->by_seq, g_hash_table_unref);
  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_pointer (&self->busy_slots, g_array_unref);
  g_clear_pointer (&self->limit_changes, g_array_unref);
  g_clear_pointer (&self->procs, g_array_unref);
  g_clear_pointer (&self->leftovers, g_array_unref);
  _pm_median_clear (&self->success_runtimes);
  g_clear_pointer (&self->term_seq, g_array_unref);
  g_clear_pointer (&self->program_paths, g_hash_table_unref);
  g_clear_pointer (&self->slot_program, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->output_only);
  g_clear_pointer (&self->limit_reason, g_free);
  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  _pm_pool_close_scratch (self);

  G_OBJECT_CLASS (pm_pool_parent_class)->finalize (object);
}

static void
pm_pool_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PmPool *self = PM_POOL (object);

  switch (prop_id)
    {
    case PROP_MAX_WORKERS:
      g_value_set_uint (value, self->max_workers);
      break;
    case PROP_GRACE_PERIOD:
      g_value_set_uint (value, self->grace_period);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_N_JOBS:
      g_value_set_uint (value, self->n_added);
      break;
    case PROP_N_QUEUED:
      g_value_set_uint (value, self->queue.length);
      break;
    case PROP_N_RUNNING:
      g_value_set_uint (value, self->n_running);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_N_CANCELLED:
      g_value_set_uint (value, self->n_cancelled);
      break;
    case PROP_START_TIME:
      g_value_set_int64 (value, self->start_time);
      break;
    case PROP_END_TIME:
      g_value_set_int64 (value, self->end_time);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_RETRIES:
      g_value_set_uint (value, self->retries);
      break;
    case PROP_EFFECTIVE_LIMIT:
      g_value_set_uint (value, pm_pool_get_effective_limit (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_pool_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  PmPool *self = PM_POOL (object);
  g_autoptr(GError) error = NULL;

  switch (prop_id)
    {
    case PROP_MAX_WORKERS:
      if (!pm_pool_set_max_workers (self, g_value_get_uint (value), &error))
        g_warning ("%s", error->message);
      break;
    case PROP_GRACE_PERIOD:
      pm_pool_set_grace_period (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT:
      pm_pool_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_RETRIES:
      pm_pool_set_retries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_pool_class_init (PmPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pm_pool_dispose;
  object_class->finalize = pm_pool_finalize;
  object_class->get_property = pm_pool_get_property;
  object_class->set_property = pm_pool_set_property;

  properties[PROP_MAX_WORKERS] = g_param_spec_uint ("max-workers", NULL, NULL,
                                                    1, PM_POOL_MAX_LIMIT, 5, rw);
  properties[PROP_GRACE_PERIOD] = g_param_spec_uint ("grace-period", NULL, NULL,
                                                     0, G_MAXUINT, 2000, rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, PM_TYPE_POOL_STATE,
                                              PM_POOL_STATE_IDLE, ro);
  properties[PROP_N_JOBS] = g_param_spec_uint ("n-jobs", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_QUEUED] = g_param_spec_uint ("n-queued", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_RUNNING] = g_param_spec_uint ("n-running", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_CANCELLED] = g_param_spec_uint ("n-cancelled", NULL, NULL,
                                                    0, G_MAXUINT, 0, ro);
  properties[PROP_START_TIME] = g_param_spec_int64 ("start-time", NULL, NULL,
                                                    0, G_MAXINT64, 0, ro);
  properties[PROP_END_TIME] = g_param_spec_int64 ("end-time", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_TIMEOUT] = g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_RETRIES] = g_param_spec_uint ("retries", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_EFFECTIVE_LIMIT] = g_param_spec_uint ("effective-limit", NULL, NULL,
                                                        1, PM_POOL_MAX_LIMIT, 5, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PmPool::job-started:
   * @pool: the pool
   * @job: the job whose process was just spawned
   */
  signals[JOB_STARTED] = g_signal_new ("job-started", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, PM_TYPE_JOB);
  /**
   * PmPool::job-finished:
   * @pool: the pool
   * @job: the job that reached a finished state (or was cancelled)
   */
  signals[JOB_FINISHED] = g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, PM_TYPE_JOB);
  /**
   * PmPool::job-output:
   * @pool: the pool
   * @job: the job
   * @stream: a #PmOutputStream
   * @line: one line of output exactly as the job wrote it, its newline included (the last line
   *   of a job's output may have none); any bytes, NUL included. A line longer than 1 MiB comes
   *   in pieces, in order, all but the last without a newline. With
   *   pm_pool_set_output_chunks() it may hold several whole lines.
   */
  signals[JOB_OUTPUT] = g_signal_new ("job-output", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 3, PM_TYPE_JOB, G_TYPE_INT, G_TYPE_BYTES);
}

static void
pm_pool_init (PmPool *self)
{
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_seq = g_hash_table_new (NULL, NULL);
  self->running = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)_pm_running_free);
  self->busy_slots = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->limit_changes = g_array_new (FALSE, FALSE, sizeof (PmLimitChange));
  self->program_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->lanes = g_ptr_array_new ();
  self->slots = g_ptr_array_new ();
  self->effective_limit = G_MAXUINT;
  self->halt_status = -1;
  self->scratch[0] = self->scratch[1] = -1;   /* every pool, read-only ones too, closes them */
  _pm_median_init (&self->success_runtimes);
  self->term_seq = _pm_term_seq_parse (PM_POOL_DEFAULT_TERM_SEQ, NULL);
  self->max_workers = 5;
  self->grace_period = 2000;
  self->keep_finished = TRUE;
  g_queue_init (&self->queue);
}

static GType
pm_pool_get_item_type (GListModel *model)
{
  return PM_TYPE_JOB;
}

static guint
pm_pool_get_n_items (GListModel *model)
{
  return PM_POOL (model)->jobs->len;
}

static gpointer
pm_pool_get_item (GListModel *model,
                  guint       position)
{
  PmPool *self = PM_POOL (model);

  if (position >= self->jobs->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->jobs, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pm_pool_get_item_type;
  iface->get_n_items = pm_pool_get_n_items;
  iface->get_item = pm_pool_get_item;
}

/**
 * pm_pool_new:
 * @max_workers: the limit: how many jobs may run at once, at least 1
 *
 * Returns: (transfer full): a new, idle pool
 */
PmPool *
pm_pool_new (guint max_workers)
{
  PmPool *self;

  g_return_val_if_fail (max_workers >= 1 && max_workers <= PM_POOL_MAX_LIMIT, NULL);

  self = g_object_new (PM_TYPE_POOL, NULL);
  self->max_workers = max_workers;
  self->slot_program = pm_find_helper ("pool-slot");
  /* Not the thread-default context of the moment a job starts: code that waits for something
   * in a context of its own may have pushed one, and nobody iterates it afterwards. */
  self->context = g_main_context_ref_thread_default ();
  self->capture_output = TRUE;

  return self;
}

PmPool *
_pm_pool_new_read_only (guint max_workers)
{
  PmPool *self = g_object_new (PM_TYPE_POOL, NULL);

  self->max_workers = CLAMP (max_workers, 1, PM_POOL_MAX_LIMIT);
  self->state = PM_POOL_STATE_READ_ONLY;

  return self;
}

void
_pm_pool_set_times (PmPool *self,
                    gint64  start_time,
                    gint64  end_time)
{
  self->start_time = start_time;
  self->end_time = end_time;
}

void
_pm_pool_add_limit_change (PmPool *self,
                           gint64  time,
                           guint   limit)
{
  PmLimitChange change = { time, limit };

  g_array_append_val (self->limit_changes, change);
}

guint
pm_pool_get_max_workers (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->max_workers;
}

/**
 * pm_pool_get_grace_period:
 * @self: a #PmPool
 *
 * Returns: how many milliseconds pm_pool_stop() waits after SIGTERM before SIGKILL
 */
guint
pm_pool_get_grace_period (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->grace_period;
}

void
pm_pool_set_grace_period (PmPool *self,
                          guint   msec)
{
  g_return_if_fail (PM_IS_POOL (self));

  if (self->grace_period != msec)
    {
      self->grace_period = msec;
      notify (self, PROP_GRACE_PERIOD);
    }
}

PmPoolState
pm_pool_get_state (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), PM_POOL_STATE_IDLE);
  return self->state;
}

/**
 * pm_pool_is_active:
 * @self: a #PmPool
 *
 * Returns: %TRUE while jobs run or may still start
 */
gboolean
pm_pool_is_active (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), FALSE);

  return self->state == PM_POOL_STATE_RUNNING ||
         self->state == PM_POOL_STATE_DRAINING ||
         self->state == PM_POOL_STATE_STOPPING;
}

guint
pm_pool_get_n_queued (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->queue.length;
}

guint
pm_pool_get_n_running (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->n_running;
}

/**
 * pm_pool_get_n_done:
 * @self: a #PmPool
 *
 * Returns: how many jobs finished, whatever their outcome (cancelled ones not counted)
 */
guint
pm_pool_get_n_done (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->n_done;
}

/**
 * pm_pool_get_n_failed:
 * @self: a #PmPool
 *
 * Returns: how many finished jobs did not succeed
 */
guint
pm_pool_get_n_failed (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->n_failed;
}

/**
 * pm_pool_get_n_cancelled:
 * @self: a #PmPool
 *
 * Returns: how many queued jobs were taken out of the queue and will not run (a Stop, a
 * cancel); running them again takes them back
 */
guint
pm_pool_get_n_cancelled (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->n_cancelled;
}

/**
 * pm_pool_get_peak_running:
 * @self: a #PmPool
 *
 * Returns: the most jobs that ran at once
 */
guint
pm_pool_get_peak_running (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->peak_running;
}

gint64
pm_pool_get_start_time (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->start_time;
}

gint64
pm_pool_get_end_time (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);
  return self->end_time;
}

/**
 * pm_pool_get_elapsed:
 * @self: a #PmPool
 *
 * Returns: µs from start to end, or to now while the pool is active; 0 before start
 */
gint64
pm_pool_get_elapsed (PmPool *self)
{
  g_return_val_if_fail (PM_IS_POOL (self), 0);

  if (self->start_mono == 0)
    return self->end_time > self->start_time ? self->end_time - self->start_time : 0;
  if (self->end_mono > 0)
    return self->end_mono - self->start_mono;
  return g_get_monotonic_time () - self->start_mono;
}

/**
 * pm_pool_get_limit_changes:
 * @self: a #PmPool
 * @n_changes: (out): how many there are
 *
 * Returns: (array length=n_changes) (transfer none): the limit at start, then every change
 */
const PmLimitChange *
pm_pool_get_limit_changes (PmPool *self,
                           guint  *n_changes)
{
  g_return_val_if_fail (PM_IS_POOL (self), NULL);
  g_return_val_if_fail (n_changes != NULL, NULL);

  *n_changes = self->limit_changes->len;
  return (const PmLimitChange *)(gpointer)self->limit_changes->data;
}

/**
 * pm_pool_get_job_by_seq:
 * @self: a #PmPool
 * @seq: a sequence number
 *
 * Returns: (transfer none) (nullable): the job, or %NULL
 */
PmJob *
pm_pool_get_job_by_seq (PmPool *self,
                        guint   seq)
{
  g_return_val_if_fail (PM_IS_POOL (self), NULL);
  return g_hash_table_lookup (self->by_seq, GUINT_TO_POINTER (seq));
}
