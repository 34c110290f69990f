/* pm-pool-job.c
 *
 * One job's run, from spawn to exit: the exec shim and the environment, the two output pipes
 * read in chunks and split into lines, the wait for the exit, signals to the process group,
 * and the timeout with its kill sequence. A job is finished only when its exit and the end of
 * both pipes have all been seen (see the comment at the top of pm-pool.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm-job-private.h"
#include "pm-pool-internal.h"
#include "pm-proctree.h"
#include "pm-util.h"

/* Output is read in chunks of this size; a line longer than MAX_LINE is passed on in pieces. */
#define READ_CHUNK (64 * 1024)
#define MAX_LINE   (64 * 1024)

/* A job ends when its process does. Its output is read on for at most this long after that,
 * and then for as much as is there: a descendant that left the job's process group (setsid,
 * timeout) and keeps its output open would otherwise keep the job running, its slot taken,
 * after the job ended, and after the pool ended it. */
#define OUTPUT_GRACE_MS 500
#define DRAIN_CHUNKS    16

/* Output, and so the end of a job and the start of the next (which comes from the last of its
 * callbacks), is handled at the priority of redrawing (GDK_PRIORITY_REDRAW is
 * G_PRIORITY_HIGH_IDLE + 20), below input. GLib dispatches every ready source of the highest
 * ready priority, so a window over a pool of thousands of short jobs keeps painting, and a pool
 * under a window that paints every frame keeps running its jobs. (Below redrawing, at
 * G_PRIORITY_DEFAULT_IDLE, a window that painted without a pause under Xvfb left a finished
 * job's slot empty for 2.5 s before the next job started.) */
#define IO_PRIORITY (G_PRIORITY_HIGH_IDLE + 20)

void
_pm_running_free (Running *running)
{
  g_clear_object (&running->out.input);
  g_clear_object (&running->err.input);
  g_clear_pointer (&running->out.partial, g_byte_array_unref);
  g_clear_pointer (&running->err.partial, g_byte_array_unref);
  g_clear_object (&running->subprocess);
  g_clear_object (&running->cancellable);
  g_clear_object (&running->job);
  g_clear_handle_id (&running->timeout_source, g_source_remove);
  g_clear_handle_id (&running->drain_source, g_source_remove);
  g_clear_pointer (&running->escaped, g_array_unref);
  g_clear_object (&running->pool);
  g_free (running);
}

/* The job's slot is free again: frees @running. */
static void
running_remove (PmPool *self,
                PmJob  *job)
{
  g_hash_table_remove (self->running, job);
  _pm_pool_release_slot (self, pm_job_get_slot (job));
  self->n_running--;
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_RUNNING]);
}

static void
running_complete (Running *running)
{
  PmPool *self = running->pool;
  PmJob *job = running->job;
  GSubprocess *subprocess = running->subprocess;
  PmJobState state;
  int exit_status = -1;
  int term_signal = 0;

  g_assert (running->pending > 0);
  if (--running->pending > 0)
    return;

  g_clear_handle_id (&running->timeout_source, g_source_remove);

  if (g_subprocess_get_if_signaled (subprocess))
    {
      term_signal = g_subprocess_get_term_sig (subprocess);
      state = PM_JOB_STATE_KILLED;
    }
  else
    {
      exit_status = g_subprocess_get_exit_status (subprocess);
      state = exit_status == 0 ? PM_JOB_STATE_SUCCEEDED : PM_JOB_STATE_FAILED;
    }
  if (running->timed_out)
    state = PM_JOB_STATE_TIMED_OUT;

  g_object_ref (self);
  g_object_ref (job);

  g_object_freeze_notify (G_OBJECT (job));
  _pm_job_set_end_time (job, running->end_wall, running->end_mono);
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
emit_line (LineReader *reader,
           const char *line)
{
  Running *running = reader->running;

  _pm_job_append_output (running->job, reader->stream, line);
  g_signal_emit (running->pool, _pm_pool_signals[JOB_OUTPUT], 0, running->job, reader->stream, line);
}

static void
flush_partial (LineReader *reader)
{
  if (reader->partial->len > 0)
    {
      g_byte_array_append (reader->partial, (const guint8 *)"", 1);
      emit_line (reader, (const char *)reader->partial->data);
      g_byte_array_set_size (reader->partial, 0);
    }
}

static void
split_lines (LineReader   *reader,
             const guint8 *data,
             gsize         len)
{
  while (len > 0)
    {
      const guint8 *nl = memchr (data, '\n', len);
      gsize take = nl ? (gsize)(nl - data) : len;

      /* Never let one line grow without bound: pass it on in pieces of MAX_LINE. */
      while (reader->partial->len + take >= MAX_LINE)
        {
          gsize room = MAX_LINE - reader->partial->len;
          g_byte_array_append (reader->partial, data, room);
          flush_partial (reader);
          data += room, len -= room, take -= room;
        }

      g_byte_array_append (reader->partial, data, take);
      data += take, len -= take;

      if (nl != NULL)
        {
          g_byte_array_append (reader->partial, (const guint8 *)"", 1);
          emit_line (reader, (const char *)reader->partial->data);
          g_byte_array_set_size (reader->partial, 0);
          data++, len--;
        }
    }
}

/* The output grace is over: what the pipe holds now, then no more. */
static void
drain (LineReader *reader)
{
  GPollableInputStream *input = G_POLLABLE_INPUT_STREAM (reader->input);
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK);

  for (guint i = 0; i < DRAIN_CHUNKS; i++)
    {
      gssize len = g_pollable_input_stream_read_nonblocking (input, buffer, READ_CHUNK,
                                                             NULL, NULL);
      if (len <= 0)
        break;
      split_lines (reader, buffer, len);
    }
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LineReader *reader = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes != NULL)
    len = g_bytes_get_size (bytes);
  if (len > 0)
    split_lines (reader, g_bytes_get_data (bytes, NULL), len);

  if (len > 0 && !reader->running->draining)
    {
      g_input_stream_read_bytes_async (reader->input, READ_CHUNK, IO_PRIORITY,
                                       reader->running->cancellable, read_cb, reader);
      return;
    }

  /* Past the grace (a read cut short, or one that came just then): what is left, then stop */
  if (reader->running->draining &&
      (len > 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    drain (reader);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Reading output of job %u: %s", pm_job_get_seq (reader->running->job),
             error->message);
  flush_partial (reader);
  running_complete (reader->running);
}

static gboolean
output_grace_cb (gpointer user_data)
{
  Running *running = user_data;

  running->drain_source = 0;
  running->draining = TRUE;
  g_cancellable_cancel (running->cancellable);
  return G_SOURCE_REMOVE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Running *running = user_data;
  g_autoptr(GError) error = NULL;

  running->end_wall = g_get_real_time ();
  running->end_mono = g_get_monotonic_time ();

  if (!g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error))
    g_debug ("Waiting for job %u: %s", pm_job_get_seq (running->job), error->message);

  if (running->pending > 1)
    running->drain_source = g_timeout_add (OUTPUT_GRACE_MS, output_grace_cb, running);
  running_complete (running);
}

static void
reader_start (Running        *running,
              LineReader     *reader,
              PmOutputStream  stream,
              GInputStream   *input)
{
  reader->running = running;
  reader->stream = stream;
  reader->input = g_object_ref (input);
  reader->partial = g_byte_array_new ();
  g_input_stream_read_bytes_async (input, READ_CHUNK, IO_PRIORITY,
                                   running->cancellable, read_cb, reader);
}

/* Where argv[0] is found, cached per program: a missing command fails to start with a clear
 * message instead of an exit status of 127 from the shim. Only what was found is cached. */
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

/* A job's spawn, handed to the spawner thread and back. */
typedef struct
{
  Running             *running;
  GSubprocessLauncher *launcher;
  GStrv                argv;
  GSubprocess         *subprocess;
  GPid                 pid;
  gint64               start_wall;
  gint64               start_mono;
  GError              *error;
} Spawn;

static void
spawn_free (Spawn *spawn)
{
  g_clear_object (&spawn->launcher);
  g_clear_pointer (&spawn->argv, g_strfreev);
  g_clear_object (&spawn->subprocess);
  g_clear_error (&spawn->error);
  g_free (spawn);
}

/* What the spawner thread needs, made here: the command line through the shim, and a launcher
 * of the job's own with its environment (a shared one would change under the thread). */
static Spawn *
spawn_new (PmPool              *self,
           PmJob               *job,
           const char * const  *argv,
           guint                slot,
           GError             **error)
{
  g_autoptr(GStrvBuilder) full = g_strv_builder_new ();
  Spawn *spawn;
  const char *path;
  char number[16];

  if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0')
    {
      g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT, "The command is empty");
      return NULL;
    }

  if (!(path = resolve_program (self, argv[0], error)))
    return NULL;

  spawn = g_new0 (Spawn, 1);
  spawn->launcher = g_subprocess_launcher_new (self->spawn_flags);
  g_snprintf (number, sizeof number, "%u", pm_job_get_seq (job));
  g_subprocess_launcher_setenv (spawn->launcher, "POOL_SEQ", number, TRUE);
  g_snprintf (number, sizeof number, "%u", slot);
  g_subprocess_launcher_setenv (spawn->launcher, "POOL_SLOT", number, TRUE);
  g_subprocess_launcher_setenv (spawn->launcher, "POOL_JOB_NAME", pm_job_get_name (job), TRUE);

  if (self->exec_shim != NULL)
    {
      g_strv_builder_add (full, self->exec_shim);
      g_strv_builder_add (full, self->pid_str);
      g_strv_builder_add (full, path);
      g_strv_builder_addv (full, (const char **)argv);
    }
  else
    {
      g_strv_builder_add (full, path);
      g_strv_builder_addv (full, (const char **)argv + 1);
    }
  spawn->argv = g_strv_builder_end (full);
  return spawn;
}

/* Back in the pool's thread: the job runs, or failed to start. */
static gboolean
spawned_cb (gpointer user_data)
{
  Spawn *spawn = user_data;
  Running *running = spawn->running;
  PmPool *self = g_object_ref (running->pool);
  PmJob *job = g_object_ref (running->job);
  guint timeout;

  running->spawning = FALSE;
  g_object_freeze_notify (G_OBJECT (job));
  _pm_job_set_start_time (job, spawn->start_wall, spawn->start_mono);
  if (spawn->subprocess == NULL)
    {
      running_remove (self, job);
      _pm_job_set_end_time (job, g_get_real_time (), g_get_monotonic_time ());
      _pm_job_set_error_message (job, spawn->error->message);
      _pm_pool_job_done (self, job, PM_JOB_STATE_FAILED_TO_START);
      g_object_thaw_notify (G_OBJECT (job));
      _pm_pool_fill (self);
      _pm_pool_check_finished (self);
    }
  else
    {
      running->subprocess = g_steal_pointer (&spawn->subprocess);
      running->pgid = spawn->pid;

      _pm_job_set_pid (job, running->pgid);
      _pm_job_set_state (job, PM_JOB_STATE_RUNNING);
      g_object_thaw_notify (G_OBJECT (job));
      g_signal_emit (self, _pm_pool_signals[JOB_STARTED], 0, job);

      if (self->capture_output)
        {
          reader_start (running, &running->out, PM_OUTPUT_STDOUT,
                        g_subprocess_get_stdout_pipe (running->subprocess));
          reader_start (running, &running->err, PM_OUTPUT_STDERR,
                        g_subprocess_get_stderr_pipe (running->subprocess));
        }
      g_subprocess_wait_async (running->subprocess, running->cancellable, wait_cb, running);

      if ((timeout = _pm_pool_get_timeout_for_start (self)) > 0)
        running->timeout_source = g_timeout_add (timeout, term_step_cb, running);
      if (running->pending_signal != 0)
        _pm_running_signal (running, running->pending_signal);
    }

  spawn_free (spawn);
  g_object_unref (job);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* In the spawner thread. Spawning costs the calling thread the whole exec of the shim
 * (posix_spawn waits for it): 3–15 ms a job on a slow machine, where the window's main thread
 * spent two thirds of a run of short jobs spawning. Here it costs the window nothing. One
 * thread, so jobs start in the order they were given, and it lives as long as the pool: the
 * shim's PR_SET_PDEATHSIG fires when the thread that spawned it ends, not the process. */
static void
spawner_func (gpointer data,
              gpointer user_data)
{
  Spawn *spawn = data;
  const char *identifier;
  GSource *source;

  /* A job starts when its process does, not when the pool gets to hear of it: its runtime is
   * never shorter than what it did. */
  spawn->start_wall = g_get_real_time ();
  spawn->start_mono = g_get_monotonic_time ();
  spawn->subprocess = g_subprocess_launcher_spawnv (spawn->launcher,
                                                    (const char * const *)spawn->argv,
                                                    &spawn->error);
  /* At once: GLib forgets it when the process is reaped, and a short job may be by the time
   * the pool's thread gets to it. */
  identifier = spawn->subprocess ? g_subprocess_get_identifier (spawn->subprocess) : NULL;
  spawn->pid = identifier ? atoi (identifier) : 0;
  /* Back to the pool's context (set once, when the pool is made: safe to read from here)
   * through a source of its own, not g_main_context_invoke(): that runs the callback right
   * here, in this thread, whenever the context is free to acquire (the default context is
   * every thread's default), and the pool's and the window's handlers with it. */
  source = g_idle_source_new ();
  g_source_set_priority (source, IO_PRIORITY);
  g_source_set_callback (source, spawned_cb, spawn, NULL);
  g_source_attach (source, spawn->running->pool->context);
  g_source_unref (source);
}

void
_pm_pool_start_job (PmPool *self,
           PmJob  *job)
{
  g_autoptr(GError) error = NULL;
  PmTemplate *template_ = pm_job_get_template (job);
  Running *running;
  Spawn *spawn;
  guint slot;

  slot = _pm_pool_take_slot (self);
  self->n_running++;
  self->peak_running = MAX (self->peak_running, self->n_running);

  g_object_freeze_notify (G_OBJECT (job));

  _pm_job_set_slot (job, slot);
  if (template_ != NULL)
    _pm_job_take_argv (job, pm_template_expand (template_, pm_job_get_name (job),
                                                pm_job_get_seq (job), slot));
  spawn = spawn_new (self, job, pm_job_get_argv (job), slot, &error);
  if (spawn == NULL)
    {
      _pm_job_set_start_time (job, g_get_real_time (), g_get_monotonic_time ());
      _pm_pool_release_slot (self, slot);
      self->n_running--;
      _pm_job_set_end_time (job, g_get_real_time (), g_get_monotonic_time ());
      _pm_job_set_error_message (job, error->message);
      g_object_thaw_notify (G_OBJECT (job));
      /* fill(), our caller, goes on with the next job. */
      _pm_pool_job_done (self, job, PM_JOB_STATE_FAILED_TO_START);
      return;
    }

  /* The slot is the job's from now on; it runs once the spawner thread has started it. */
  running = g_new0 (Running, 1);
  running->pool = g_object_ref (self);
  running->job = g_object_ref (job);
  running->cancellable = g_cancellable_new ();
  running->pending = self->capture_output ? 3 : 1;
  running->spawning = TRUE;
  g_hash_table_insert (self->running, job, running);
  g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_RUNNING]);
  g_object_thaw_notify (G_OBJECT (job));

  spawn->running = running;
  if (self->spawner == NULL)
    self->spawner = g_thread_pool_new (spawner_func, NULL, 1, TRUE, NULL);
  g_thread_pool_push (self->spawner, spawn, NULL);
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
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (GPid));
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
          g_array_append_val (roots, known->pid);
          g_array_append_val (pids, known->pid);
        }
    }

  below = pm_proc_descendants (procs, (GPid *)roots->data, roots->len);
  for (guint i = 0; i < below->len; i++)
    {
      PmProc *proc = &g_array_index (below, PmProc, i);
      gboolean known = FALSE;

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
      g_array_append_val (pids, proc->pid);
    }
  return pids;
}

gboolean
_pm_running_signal (Running *running,
                int      signum)
{
  /* Not started yet: sent once it has. */
  if (running->spawning)
    {
      if (running->pending_signal != SIGKILL)
        running->pending_signal = signum;
      return TRUE;
    }
  /* Once the process is reaped its PID may be reused: signal only before that. */
  if (g_subprocess_get_identifier (running->subprocess) == NULL)
    return FALSE;

  /* Those that left the group are found first, while the tree still shows whose they are
   * (once the group's signal has ended their parent, they belong to init), and signalled
   * after it: the job's own processes hear first, as they would without them. */
  if (running->pgid > 0)
    {
      g_autoptr(GArray) escaped = find_escaped (running);

      if (killpg (running->pgid, signum) == 0)
        {
          for (guint i = 0; i < escaped->len; i++)
            kill (g_array_index (escaped, GPid, i), signum);
          return TRUE;
        }
    }

  /* No group yet: the shim has not run setpgid(). Signal it now, by PID (not through
   * g_subprocess_send_signal(), which delivers later from GLib's worker thread, when the shim
   * may already ignore what the command should get); the shim passes it on. The shim is quick:
   * it may have made its group and started the command in between, so try the group again
   * (the command may then get the signal twice, but never not at all). */
  if (running->pgid > 0)
    {
      kill (running->pgid, signum);
      killpg (running->pgid, signum);
    }
  else
    {
      g_subprocess_send_signal (running->subprocess, signum);
    }
  return TRUE;
}
