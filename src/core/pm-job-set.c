/* pm-job-set.c
 *
 * What the pool and the log readers change on a job (pm-job-private.h): each change notifies
 * only when the value really changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-job-fields.h"

static GParamSpec **const properties = _pm_job_properties;

static inline void
set_int64 (PmJob  *self,
           gint64 *field,
           gint64  value,
           guint   prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

static inline void
set_uint (PmJob *self,
          guint *field,
          guint  value,
          guint  prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

void
_pm_job_set_state (PmJob      *self,
                   PmJobState  state)
{
  set_uint (self, &self->state, state, PROP_STATE);
}

void
_pm_job_set_slot (PmJob *self,
                  guint  slot)
{
  set_uint (self, &self->slot, slot, PROP_SLOT);
}

void
_pm_job_set_pid (PmJob *self,
                 GPid   pid)
{
  set_uint (self, (guint *)&self->pid, pid, PROP_PID);
}

void
_pm_job_set_slot_pid (PmJob *self,
                      GPid   pid)
{
  set_uint (self, (guint *)&self->slot_pid, pid, PROP_SLOT_PID);
}

void
_pm_job_set_attempt (PmJob *self,
                     guint  attempt)
{
  set_uint (self, &self->attempt, attempt, PROP_ATTEMPT);
}

void
_pm_job_take_argv (PmJob  *self,
                   char  **argv)
{
  g_strfreev (self->argv);
  self->argv = argv;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMAND]);
}

void
_pm_job_set_command (PmJob      *self,
                     const char *command)
{
  if (g_strcmp0 (self->command, command) != 0)
    {
      g_free (self->command);
      self->command = g_strdup (command);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMAND]);
    }
}

void
_pm_job_set_queued_time (PmJob  *self,
                         gint64  wall_usec)
{
  set_int64 (self, &self->queued_time, wall_usec, PROP_QUEUED_TIME);
}

void
_pm_job_set_start_time (PmJob  *self,
                        gint64  wall_usec,
                        gint64  mono_usec)
{
  self->start_mono = mono_usec;
  set_int64 (self, &self->start_time, wall_usec, PROP_START_TIME);
}

void
_pm_job_set_end_time (PmJob  *self,
                      gint64  wall_usec,
                      gint64  mono_usec)
{
  if (mono_usec > 0 && self->start_mono > 0)
    set_int64 (self, &self->runtime, mono_usec - self->start_mono, PROP_RUNTIME);
  set_int64 (self, &self->end_time, wall_usec, PROP_END_TIME);
}

void
_pm_job_set_runtime (PmJob  *self,
                     gint64  usec)
{
  set_int64 (self, &self->runtime, usec, PROP_RUNTIME);
}

void
_pm_job_set_exit (PmJob *self,
                  int    exit_status,
                  int    term_signal)
{
  if (self->exit_status != exit_status)
    {
      self->exit_status = exit_status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_STATUS]);
    }
  if (self->term_signal != term_signal)
    {
      self->term_signal = term_signal;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TERM_SIGNAL]);
    }
}

/* From the rusage of the attempt: -1 for a time not known, 0 for a peak not known. The CPU
 * time is their sum when both are known. */
void
_pm_job_set_resources (PmJob   *self,
                       gint64   user_usec,
                       gint64   system_usec,
                       guint64  peak_memory_bytes)
{
  user_usec = MAX (user_usec, -1);
  system_usec = MAX (system_usec, -1);
  set_int64 (self, &self->user_time, user_usec, PROP_USER_TIME);
  set_int64 (self, &self->system_time, system_usec, PROP_SYSTEM_TIME);
  set_int64 (self, &self->cpu_time,
             user_usec >= 0 && system_usec >= 0 ? user_usec + system_usec : -1, PROP_CPU_TIME);
  if (self->peak_memory != peak_memory_bytes)
    {
      self->peak_memory = peak_memory_bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEAK_MEMORY]);
    }
}

/* Only the sum known (a joblog): user and system time stay unknown. */
void
_pm_job_set_cpu_time (PmJob  *self,
                      gint64  usec)
{
  set_int64 (self, &self->user_time, -1, PROP_USER_TIME);
  set_int64 (self, &self->system_time, -1, PROP_SYSTEM_TIME);
  set_int64 (self, &self->cpu_time, MAX (usec, -1), PROP_CPU_TIME);
}

void
_pm_job_set_host (PmJob      *self,
                  const char *host)
{
  if (host != NULL && strcmp (host, ":") == 0)
    host = NULL;
  if (g_strcmp0 (self->host, host) == 0)
    return;
  g_free (self->host);
  self->host = g_strdup (host);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

void
_pm_job_set_error_message (PmJob      *self,
                           const char *message)
{
  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
}

/* @data: one line of output, its newline included if it had one */
void
_pm_job_append_output_bytes (PmJob          *self,
                             PmOutputStream  stream,
                             const guint8   *data,
                             gsize           len)
{
  _pm_output_tail_append (&self->tail, stream, data, len);
}

/* What the tail holds went before output not looked at (pm-pool-pass.c): it is dropped, and
 * the tail starts again from what comes next (the byte count goes on). */
void
_pm_job_restart_output_tail (PmJob *self)
{
  guint64 counted = self->tail.output_bytes;

  _pm_output_tail_clear (&self->tail);
  self->tail.output_bytes = counted;
}

/* Output that went by without being kept in the tail (the head of a chunk of lines) */
void
_pm_job_count_output_bytes (PmJob *self,
                            gsize  len)
{
  self->tail.output_bytes += len;
}

/* @line: one line of text, its newline not included (as a log reader finds it) */
void
_pm_job_append_output (PmJob          *self,
                       PmOutputStream  stream,
                       const char     *line)
{
  _pm_output_tail_append_line (&self->tail, stream, line);
}

/* Back to queued for another attempt; the attempt number is the caller's to set. */
void
_pm_job_reset (PmJob *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->error_message, g_free);
  _pm_output_tail_clear (&self->tail);
  self->start_mono = 0;
  _pm_job_set_slot (self, 0);
  _pm_job_set_pid (self, 0);
  _pm_job_set_slot_pid (self, 0);
  _pm_job_set_host (self, NULL);
  set_int64 (self, &self->start_time, 0, PROP_START_TIME);
  set_int64 (self, &self->end_time, 0, PROP_END_TIME);
  set_int64 (self, &self->runtime, -1, PROP_RUNTIME);
  _pm_job_set_exit (self, -1, 0);
  _pm_job_set_resources (self, -1, -1, 0);
  _pm_job_set_state (self, PM_JOB_STATE_QUEUED);
  self->stopped = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMAND]);
  g_object_thaw_notify (G_OBJECT (self));
}
