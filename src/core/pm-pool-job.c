/* pm-pool-job.c
 *
 * One job's run through a slot process (pm-pool-slot.c): the START message with the job's
 * environment, what the slot reports back (the PID, the output, the end or a failure to
 * start), signals to the job's process group through the slot, and the timeout with its kill
 * sequence. The slot ends a job only when its leader is reaped and its output has ended (or half
 * a second later, see pool-slot.c); the job is then finished here, its lane freed and refilled
 * at once (see the comment at the top of pm-pool.c). Its output is cut into lines in
 * pm-pool-output.c; its files move before and after it in pm-pool-files.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pm-job-private.h"
#include "pm-pool-internal.h"
#include "pm-proctree.h"
#include "pm-util.h"

/* After the system refused a process or a descriptor with no job running, try again then, up to
 * so many times in a row before the job fails to start. */
#define RETRY_MS  100
#define RETRY_MAX 50

void
_pm_running_free (Running *running)
{
  if (running->slot != NULL)
    running->slot->running = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (running->partial); i++)
    g_clear_pointer (&running->partial[i], g_byte_array_unref);
  g_clear_pointer (&running->tail_chunk, g_bytes_unref);
  _pm_running_close_pipes (running);
  g_clear_object (&running->job);
  g_clear_handle_id (&running->timeout_source, g_source_remove);
  g_clear_pointer (&running->escaped, g_array_unref);
  if (running->files_cancel != NULL)
    g_cancellable_cancel (running->files_cancel);
  g_clear_object (&running->files_cancel);
  g_clear_pointer (&running->steps, g_ptr_array_unref);
  g_clear_pointer (&running->sent, g_ptr_array_unref);
  g_free (running->cwd);
  g_clear_object (&running->pool);
  g_free (running);
}

/* The job's lane is free again: frees @running. A slot above the limit is retired. */
static void
running_remove (PmPool *self,
                PmJob  *job)
{
  Running *running = g_hash_table_lookup (self->running, job);
  Slot *slot = running->slot;

  g_hash_table_remove (self->running, job);
  /* above the limit, or on a host that takes no more jobs (lost, or no longer listed) */
  if (slot != NULL && (slot->number > self->max_workers ||
                       !_pm_pool_lane_usable (self, slot->number)))
    _pm_slot_retire (slot);
  _pm_pool_release_slot (self, pm_job_get_slot (job));
  self->n_running--;
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_RUNNING]);
}

/* The job is over, in @state; @running is freed. */
void
_pm_running_finish (Running    *running,
                    PmJobState  state,
                    int         exit_status,
                    int         term_signal)
{
  PmPool *self = g_object_ref (running->pool);
  PmJob *job = g_object_ref (running->job);

  g_clear_handle_id (&running->timeout_source, g_source_remove);
  if (running->timed_out)
    state = PM_JOB_STATE_TIMED_OUT;

  g_object_freeze_notify (G_OBJECT (job));
  if (self->state == PM_POOL_STATE_STOPPING)
    _pm_job_set_stopped (job, TRUE);
  _pm_job_set_end_time (job, g_get_real_time (), g_get_monotonic_time ());
  _pm_job_set_exit (job, exit_status, term_signal);

  /* A stop ends what left the group too, once the run is over (pm-pool.c) */
  if (self->state == PM_POOL_STATE_STOPPING && running->escaped != NULL)
    {
      if (self->leftovers == NULL)
        self->leftovers = g_array_new (FALSE, FALSE, sizeof (PmProc));
      g_array_append_vals (self->leftovers, running->escaped->data, running->escaped->len);
    }
  running_remove (self, job);
  _pm_pool_job_done (self, job, state);
  g_object_thaw_notify (G_OBJECT (job));
  _pm_pool_fill (self);
  _pm_pool_check_finished (self);

  g_object_unref (job);
  g_object_unref (self);
}

/* A job that never ran: before its START, or the slot could not start it. */
static void
fail_to_start (PmPool     *self,
               PmJob      *job,
               const char *message)
{
  Running *running = g_hash_table_lookup (self->running, job);

  g_object_freeze_notify (G_OBJECT (job));
  if (pm_job_get_start_time (job) == 0)
    _pm_job_set_start_time (job, g_get_real_time (), g_get_monotonic_time ());
  if (running != NULL)
    {
      running_remove (self, job);
    }
  else
    {
      _pm_pool_release_slot (self, pm_job_get_slot (job));
      self->n_running--;
    }
  _pm_job_set_end_time (job, g_get_real_time (), g_get_monotonic_time ());
  _pm_job_set_error_message (job, message);
  _pm_pool_job_done (self, job, PM_JOB_STATE_FAILED_TO_START);
  g_object_thaw_notify (G_OBJECT (job));
}

static gboolean
retry_cb (gpointer user_data)
{
  PmPool *self = user_data;

  self->retry_source = 0;
  _pm_pool_fill (self);
  return G_SOURCE_REMOVE;
}

/* A job that did not run goes back to the head of the queue, and TRUE; but while a drain or
 * a stop is under way nothing more starts, and a queued job would keep the run from ending
 * for ever: it is cancelled then, as the queued ones were, and FALSE. */
static gboolean
take_back (PmPool *self,
           PmJob  *job)
{
  if (self->state != PM_POOL_STATE_RUNNING)
    {
      _pm_pool_cancel_job (self, g_object_ref (job));
      return FALSE;
    }
  _pm_pool_queue_push (self, job, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_QUEUED]);
  return TRUE;
}

/* The system refused a process or a descriptor: the job goes back to the head of the queue
 * (this was no attempt of its own), the idle slots are retired, and the pool runs at most as
 * many as run now, and says so once. With none running, it tries again a little later. */
static void
back_off (PmPool     *self,
          PmJob      *job,
          const char *message)
{
  guint limit;

  if (self->n_running == 1 && ++self->idle_retries > RETRY_MAX)
    {
      g_autofree char *why = g_strdup_printf (_("%s (tried %u times with no job running)"),
                                              message, RETRY_MAX);
      fail_to_start (self, job, why);
      return;
    }

  if (g_hash_table_contains (self->running, job))
    running_remove (self, job);
  else
    {
      _pm_pool_release_slot (self, pm_job_get_slot (job));
      self->n_running--;
    }
  _pm_job_set_slot (job, 0);
  if (!take_back (self, job))
    return;

  /* Idle slots hold processes and descriptors too: let them go. */
  _pm_pool_retire_slots (self, TRUE);
  limit = MAX (self->n_running, 1);
  if (limit < self->effective_limit)
    {
      self->effective_limit = limit;
      g_free (self->limit_reason);
      self->limit_reason = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_EFFECTIVE_LIMIT]);
    }
  if (self->n_running == 0 && self->retry_source == 0)
    self->retry_source = g_timeout_add (RETRY_MS, retry_cb, self);
}

/* The kill sequence of a timed-out job: each step a signal, then a wait before the next. */
static gboolean
term_step_cb (gpointer user_data)
{
  Running *running = user_data;
  GArray *steps = running->pool->term_seq;
  const PmTermStep *step;

  running->timeout_source = 0;
  running->timed_out = TRUE;
  if (running->term_step >= steps->len)
    return G_SOURCE_REMOVE;

  step = &g_array_index (steps, PmTermStep, running->term_step++);
  _pm_running_signal (running, step->signum);
  if (pm_job_get_state (running->job) == PM_JOB_STATE_PAUSED)
    _pm_running_signal (running, SIGCONT);
  running->timeout_source = g_timeout_add (step->delay_ms, term_step_cb, running);

  return G_SOURCE_REMOVE;
}

static void
started (Running *running,
         GPid     pid)
{
  PmPool *self = running->pool;
  PmJob *job = running->job;
  guint timeout;

  running->started = TRUE;
  running->pgid = pid;
  self->idle_retries = 0;
  g_object_freeze_notify (G_OBJECT (job));
  /* A job starts when it was sent, not when the pool hears of it: its runtime is never shorter
   * than what it did. Front ends learn of it all at once, with job-started. */
  _pm_job_set_start_time (job, running->sent_wall, running->sent_mono);
  _pm_job_set_pid (job, pid);
  _pm_job_set_slot_pid (job, running->slot->pid);
  _pm_job_set_state (job, PM_JOB_STATE_RUNNING);
  g_object_thaw_notify (G_OBJECT (job));
  g_signal_emit (self, _pm_pool_signals[JOB_STARTED], 0, job);
  if (running->passed)
    _pm_slot_watch_input (running->slot);

  if ((timeout = _pm_pool_get_timeout_for_start (self)) > 0)
    running->timeout_source = g_timeout_add (timeout, term_step_cb, running);
  if (running->pending_signal != 0)
    _pm_running_signal (running, running->pending_signal);
}

/* EXITED came (or, for pipes we read ourselves, they have ended since) */
void
_pm_running_exited (Running            *running,
                    const PmSlotExited *exit)
{
  PmJobState state;
  int exit_status = -1;
  int term_signal = 0;

  if (_pm_running_wait_pipes (running, exit))
    return;
  _pm_running_flush_output (running);
  if (exit->how == PM_SLOT_EXIT_SIGNAL)
    {
      term_signal = exit->code;
      state = PM_JOB_STATE_KILLED;
    }
  else
    {
      exit_status = exit->code;
      state = exit_status == 0 ? PM_JOB_STATE_SUCCEEDED : PM_JOB_STATE_FAILED;
    }
  _pm_job_set_resources (running->job, exit->utime_us, exit->stime_us, exit->maxrss_kib * 1024);
  /* Files to bring back or remove first (pm-pool-files.c): the job ends after them. */
  g_clear_handle_id (&running->timeout_source, g_source_remove);
  running->ended = TRUE;
  running->end_state = state;
  running->end_status = exit_status;
  running->end_signal = term_signal;
  if (_pm_pool_files_after (running) != PM_FILES_NONE)
    return;
  _pm_running_finish (running, state, exit_status, term_signal);
}

/* Moving the job's files failed (pm-pool-files.c): the job fails with @why, and is retried
 * under --retries, as a job that failed. @running is freed. */
void
_pm_running_files_failed (Running    *running,
                          const char *why)
{
  g_autoptr(PmPool) pool = g_object_ref (running->pool);
  PmJob *job = running->job;

  if (pm_job_get_start_time (job) == 0)
    _pm_job_set_start_time (job, g_get_real_time (), g_get_monotonic_time ());
  _pm_job_set_error_message (job, why);
  if (running->started)
    _pm_running_finish (running, PM_JOB_STATE_FAILED, running->end_status, running->end_signal);
  else
    _pm_running_finish (running, PM_JOB_STATE_FAILED, -1, 0);
}

static gboolean
is_resource_errno (int errnum)
{
  return errnum == EAGAIN || errnum == ENOMEM || errnum == EMFILE || errnum == ENFILE;
}

/* A frame from the job's slot: FALSE when it does not fit (the channel is then broken). */
gboolean
_pm_running_message (Running           *running,
                     const PmSlotFrame *frame)
{
  guint seq = pm_job_get_seq (running->job);
  PmSlotStarted start;
  PmSlotExited exit;
  PmSlotFailed failure;

  switch (frame->type)
    {
    case PM_SLOT_STARTED:
      if (running->started || pm_slot_decode_started (frame, &start) != 0 || start.job != seq ||
          start.pid == 0)
        return FALSE;
      started (running, start.pid);
      return TRUE;

    case PM_SLOT_OUTPUT:
      if (!running->started || running->passed)
        return FALSE;
      _pm_running_take_output (running,
                               frame->arg == PM_SLOT_STDOUT ? PM_OUTPUT_STDOUT
                                                            : PM_OUTPUT_STDERR,
                               frame->payload, frame->len);
      return TRUE;

    case PM_SLOT_EXITED:
      if (!running->started || running->exit_pending || pm_slot_decode_exited (frame, &exit) != 0 ||
          exit.job != seq)
        return FALSE;
      _pm_running_exited (running, &exit);
      return TRUE;

    case PM_SLOT_FAILED:
      if (running->started || pm_slot_decode_failed (frame, &failure) != 0 || failure.job != seq)
        return FALSE;
      {
        /* Either frees @running */
        g_autoptr(PmPool) pool = g_object_ref (running->pool);
        g_autoptr(PmJob) job = g_object_ref (running->job);

        if (is_resource_errno (failure.errnum))
          back_off (pool, job, failure.message);
        else
          fail_to_start (pool, job, failure.message);
        _pm_pool_fill (pool);
        _pm_pool_check_finished (pool);
      }
      return TRUE;

    default:
      return FALSE;
    }
}

/* The job's slot was lost before the job started (a remote host that went away): the job goes
 * back to the head of the queue, as if it had not been taken; it ran nowhere (see take_back()). */
void
_pm_running_give_back (Running *running)
{
  PmPool *self = running->pool;
  g_autoptr(PmJob) job = g_object_ref (running->job);

  g_assert (!running->started);
  running_remove (self, job);   /* frees @running */
  _pm_job_set_slot (job, 0);
  _pm_job_set_host (job, NULL);
  take_back (self, job);
}

/* Whether its START went to its slot: else its files are still on their way (pm-pool-files.c) */
gboolean
_pm_running_start_sent (Running *running)
{
  return running->started || running->sent_mono != 0;
}

/* A stop came while the job's files were on their way: it never reached its slot, and is
 * cancelled, as the queued ones are. @running is freed, which cancels its moves. */
void
_pm_running_cancel (Running *running)
{
  PmPool *self = running->pool;
  g_autoptr(PmJob) job = g_object_ref (running->job);

  g_assert (!_pm_running_start_sent (running));
  running_remove (self, job);
  _pm_job_set_slot (job, 0);
  _pm_job_set_host (job, NULL);
  _pm_pool_cancel_job (self, g_object_ref (job));
}

/* The job's slot died under it (pm-pool-slot.c): the pool ends the job's group itself, and the
 * job fails with the reason. The lane gets a fresh slot for its next job. */
void
_pm_running_slot_died (Running    *running,
                       const char *why)
{
  g_autoptr(PmJob) job = g_object_ref (running->job);

  if (!running->started)
    {
      g_autoptr(PmPool) pool = g_object_ref (running->pool);

      fail_to_start (pool, job, why);   /* frees @running */
      _pm_pool_fill (pool);
      _pm_pool_check_finished (pool);
      return;
    }
  /* A remote job's group is ended by its slot when the slot's channel closes; its PID means
   * nothing on this machine. */
  if (running->pgid > 0 && !running->remote)
    kill (-running->pgid, SIGKILL);
  _pm_running_flush_output (running);
  _pm_job_set_error_message (job, why);
  _pm_running_finish (running, PM_JOB_STATE_FAILED, -1, 0);
}

/* Where argv[0] is found, cached per program: a missing command fails to start with a clear
 * message. Only what was found is cached. */
static const char *
resolve_program (PmPool      *self,
                 const char  *program,
                 GError     **error)
{
  char *path = g_hash_table_lookup (self->program_paths, program);

  if (path == NULL && (path = pm_find_program (program, error)) != NULL)
    g_hash_table_insert (self->program_paths, g_strdup (program), path);

  return path;
}

/* The START message: argv with argv[0] resolved, and the job's environment. FALSE when it
 * is too long for a frame. */
static gboolean
encode_start (PmPool             *self,
              PmJob              *job,
              const char         *path,
              const char * const *argv,
              const Slot         *slot,
              gboolean            passed,
              const char         *cwd,
              PmSlotBuf          *frame)
{
  g_autofree char *seq_env = g_strdup_printf ("POOL_SEQ=%u", pm_job_get_seq (job));
  g_autofree char *slot_env = g_strdup_printf ("POOL_SLOT=%u", slot->number);
  g_autofree char *name_env = g_strconcat ("POOL_JOB_NAME=", pm_job_get_name (job), NULL);
  g_autofree char *host_env = g_strconcat ("POOL_HOST=", pm_job_get_host (job), NULL);
  const char *env[] = { seq_env, slot_env, name_env, host_env, NULL };
  guint argc = g_strv_length ((char **)argv);
  g_autofree const char **full = g_new0 (const char *, argc + 1);
  PmSlotStart start = {
    .job = pm_job_get_seq (job),
    .flags = (self->capture_output ? PM_SLOT_START_CAPTURE : 0) |
             (slot->direct_stdout ? PM_SLOT_START_DIRECT_STDOUT : 0) |
             (slot->host == NULL && self->direct_stderr ? PM_SLOT_START_DIRECT_STDERR : 0) |
             (passed ? PM_SLOT_START_PASSED_OUTPUT : 0),
    .grace_ms = self->grace_period,
    .argc = argc,
    .envc = G_N_ELEMENTS (env) - 1,
    .argv = full,
    .env = env,
    .cwd = cwd != NULL ? cwd : "",
    .stdin_path = "",
  };

  full[0] = path;
  for (guint i = 1; i < argc; i++)
    full[i] = argv[i];
  return pm_slot_encode_start (frame, &start) == 0;
}

void
_pm_pool_start_job (PmPool *self,
                    PmJob  *job)
{
  g_autoptr(GError) error = NULL;
  PmTemplate *template_ = pm_job_get_template (job);
  const char * const *argv;
  const char *path;
  Running *running;
  PoolHost *host;
  Slot *slot;
  guint lane;

  lane = _pm_pool_take_slot (self);
  host = _pm_pool_lane_host (self, lane);
  self->n_running++;
  self->end_time = self->end_mono = 0;   /* a job after the last one's end: the run goes on */
  self->peak_running = MAX (self->peak_running, self->n_running);

  g_object_freeze_notify (G_OBJECT (job));
  _pm_job_set_slot (job, lane);
  _pm_job_set_host (job, host != NULL ? pm_host_get_login (host->host) : NULL);
  if (template_ != NULL)
    _pm_job_take_argv (job, _pm_job_expand (job, lane));
  g_object_thaw_notify (G_OBJECT (job));

  /* fill(), our caller, goes on with the next job in each of these cases. */
  argv = pm_job_get_argv (job);
  if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
    {
      fail_to_start (self, job, _("The command is empty"));
      return;
    }
  /* A remote host looks for the program itself (pool-slot searches PATH as execvp does). */
  if (host != NULL && !pm_host_is_local (host->host))
    path = argv[0];
  else if (!(path = resolve_program (self, argv[0], &error)))
    {
      fail_to_start (self, job, error->message);
      return;
    }
  if (!(slot = _pm_slot_get (self, lane, &error)))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        back_off (self, job, error->message);
      else
        fail_to_start (self, job, error->message);
      return;
    }

  running = g_new0 (Running, 1);
  running->pool = g_object_ref (self);
  running->job = g_object_ref (job);
  running->slot = slot;
  running->remote = slot->host != NULL;
  running->pipe_fd[0] = running->pipe_fd[1] = -1;
  running->path = path;
  slot->running = running;
  _pm_slot_watch_input (slot);
  g_hash_table_insert (self->running, job, running);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_RUNNING]);

  /* Its files first, if it has any to send (pm-pool-files.c); its slot starts meanwhile. */
  if (self->files != NULL && _pm_pool_files_before (running) != PM_FILES_NONE)
    return;
  _pm_running_send_start (running);
}

/* The START message, now that the job's files are where they go */
void
_pm_running_send_start (Running *running)
{
  PmPool *self = running->pool;
  PmJob *job = running->job;
  PmSlotBuf frame = { 0 };

  /* A local slot: the job's pipes are ours, their write ends passed to it (pm-pool-pipes.c).
   * They are passed only once the START is made: a START that cannot be sent leaves nothing
   * on the slot's socket for the next one. */
  _pm_running_close_pipes (running);
  running->passed = self->capture_output && running->slot->pass_fd >= 0;
  if (!encode_start (self, job, running->path, pm_job_get_argv (job), running->slot,
                     running->passed, running->cwd, &frame))
    {
      pm_slot_buf_clear (&frame);
      running->passed = FALSE;
      fail_to_start (self, job, _("The command line is too long"));
      return;
    }
  if (running->passed && !_pm_running_pass_pipes (running))
    {
      /* Could not: the slot makes them, as for a remote slot */
      running->passed = FALSE;
      pm_slot_buf_clear (&frame);
      encode_start (self, job, running->path, pm_job_get_argv (job), running->slot, FALSE,
                    running->cwd, &frame);
    }
  running->sent_wall = g_get_real_time ();
  running->sent_mono = g_get_monotonic_time ();
  _pm_slot_send (running->slot, &frame);
  pm_slot_buf_clear (&frame);
}

/* The process tree, looked at once for all the jobs a stop signals at the same moment. */
static GArray *
proc_snapshot (PmPool *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->procs == NULL || now - self->procs_time > 20 * 1000)
    {
      g_clear_pointer (&self->procs, g_array_unref);
      self->procs = pm_proc_snapshot ();
      self->procs_time = now;
    }
  return self->procs;
}

/* The job's descendants that left its group (see pm-proctree.c), to be signalled with it.
 * Those seen once are kept: they are still reached after their parent died and the tree lost
 * them. Returns (transfer full) their PIDs. */
static GArray *
find_escaped (Running *running)
{
  GArray *procs = proc_snapshot (running->pool);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) roots = g_array_new (FALSE, FALSE, sizeof (GPid));
  g_autoptr(GArray) below = NULL;

  if (running->escaped == NULL)
    running->escaped = g_array_new (FALSE, FALSE, sizeof (PmProc));

  g_array_append_val (roots, running->pgid);
  for (guint i = 0; i < running->escaped->len; i++)
    {
      PmProc *known = &g_array_index (running->escaped, PmProc, i);

      if (pm_proc_still_there (known))
        {
          guint32 pid = known->pid;

          g_array_append_val (roots, known->pid);
          g_array_append_val (pids, pid);
        }
    }

  below = pm_proc_descendants (procs, (GPid *)roots->data, roots->len);
  for (guint i = 0; i < below->len; i++)
    {
      PmProc *proc = &g_array_index (below, PmProc, i);
      gboolean known = FALSE;
      guint32 pid = proc->pid;

      if (proc->pgrp == running->pgid)
        continue;   /* the group's signal reaches it */
      for (guint k = 0; k < running->escaped->len && !known; k++)
        {
          PmProc *seen = &g_array_index (running->escaped, PmProc, k);
          known = seen->pid == proc->pid && seen->start == proc->start;
        }
      if (known)
        continue;   /* listed above */
      g_array_append_val (running->escaped, *proc);
      g_array_append_val (pids, pid);
    }
  return pids;
}

/* Every signal goes through the job's slot, which knows whether its leader is reaped: a PID
 * that was reused is never signalled. Those that left the group are found first, while the
 * tree still shows whose they are (once the group's signal has ended their parent, they belong
 * to init), and the slot signals them after the group: the job's own processes hear first. */
gboolean
_pm_running_signal (Running *running,
                    int      signum)
{
  g_autoptr(GArray) escaped = NULL;
  PmSlotBuf frame = { 0 };
  gboolean sent;

  if (!running->started)
    {
      if (running->pending_signal != SIGKILL)
        running->pending_signal = signum;
      return TRUE;
    }
  if (running->slot == NULL)
    return FALSE;
  /* Its process is over; its files are moving back (pm-pool-files.c). A kill (a second stop,
   * or the end of the grace period) ends that too; @running is freed then. */
  if (running->ended)
    {
      if (signum == SIGKILL)
        _pm_running_files_failed (running, _("killed before its files were moved"));
      return TRUE;
    }

  /* The process tree looked at is this machine's: a remote job's PIDs mean nothing here. */
  escaped = !running->remote ? find_escaped (running)
                           : g_array_new (FALSE, FALSE, sizeof (guint32));
  if (pm_slot_encode_signal (&frame, pm_job_get_seq (running->job), signum,
                             (const guint32 *)(gpointer)escaped->data, escaped->len) != 0)
    return FALSE;
  sent = _pm_slot_send (running->slot, &frame);
  pm_slot_buf_clear (&frame);
  return sent;
}
