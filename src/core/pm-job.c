/* pm-job.c
 *
 * A job is one argument run through the pool, attempt by attempt. The pool (and the log
 * readers) change it through pm-job-private.h; everyone else only reads it and listens to
 * notify, which is emitted only when a value really changes; those changes are in
 * pm-job-set.c. The kept tail of its output is a PmOutputTail (pm-output-tail.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-enums.h"
#include "pm-job-fields.h"

G_DEFINE_FINAL_TYPE (PmJob, pm_job, G_TYPE_OBJECT)

GParamSpec *_pm_job_properties[PM_JOB_N_PROPS];
static GParamSpec **const properties = _pm_job_properties;

static void
pm_job_finalize (GObject *object)
{
  PmJob *self = (PmJob *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->values, g_strfreev);
  g_clear_pointer (&self->template_, pm_template_unref);
  g_clear_pointer (&self->fixed_argv, g_strfreev);
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->command, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->host, g_free);
  _pm_output_tail_clear (&self->tail);

  G_OBJECT_CLASS (pm_job_parent_class)->finalize (object);
}

static void
pm_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  PmJob *self = PM_JOB (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_uint (value, self->seq);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SLOT:
      g_value_set_uint (value, self->slot);
      break;
    case PROP_PID:
      g_value_set_int (value, self->pid);
      break;
    case PROP_SLOT_PID:
      g_value_set_int (value, self->slot_pid);
      break;
    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt);
      break;
    case PROP_PLANNED:
      g_value_set_double (value, self->planned);
      break;
    case PROP_QUEUED_TIME:
      g_value_set_int64 (value, self->queued_time);
      break;
    case PROP_START_TIME:
      g_value_set_int64 (value, self->start_time);
      break;
    case PROP_END_TIME:
      g_value_set_int64 (value, self->end_time);
      break;
    case PROP_RUNTIME:
      g_value_set_int64 (value, pm_job_get_runtime (self));
      break;
    case PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;
    case PROP_TERM_SIGNAL:
      g_value_set_int (value, self->term_signal);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_HOST:
      g_value_set_string (value, pm_job_get_host (self));
      break;
    case PROP_COMMAND:
      g_value_take_string (value, pm_job_dup_command (self));
      break;
    case PROP_USER_TIME:
      g_value_set_int64 (value, self->user_time);
      break;
    case PROP_SYSTEM_TIME:
      g_value_set_int64 (value, self->system_time);
      break;
    case PROP_CPU_TIME:
      g_value_set_int64 (value, self->cpu_time);
      break;
    case PROP_PEAK_MEMORY:
      g_value_set_uint64 (value, self->peak_memory);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_job_class_init (PmJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pm_job_finalize;
  object_class->get_property = pm_job_get_property;

  properties[PROP_SEQ] = g_param_spec_uint ("seq", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, PM_TYPE_JOB_STATE,
                                              PM_JOB_STATE_QUEUED, ro);
  properties[PROP_SLOT] = g_param_spec_uint ("slot", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_PID] = g_param_spec_int ("pid", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_SLOT_PID] = g_param_spec_int ("slot-pid", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_ATTEMPT] = g_param_spec_uint ("attempt", NULL, NULL, 1, G_MAXUINT, 1, ro);
  properties[PROP_PLANNED] = g_param_spec_double ("planned", NULL, NULL,
                                                  -1, G_MAXDOUBLE, -1, ro);
  properties[PROP_QUEUED_TIME] = g_param_spec_int64 ("queued-time", NULL, NULL,
                                                     0, G_MAXINT64, 0, ro);
  properties[PROP_START_TIME] = g_param_spec_int64 ("start-time", NULL, NULL,
                                                    0, G_MAXINT64, 0, ro);
  properties[PROP_END_TIME] = g_param_spec_int64 ("end-time", NULL, NULL,
                                                  0, G_MAXINT64, 0, ro);
  properties[PROP_RUNTIME] = g_param_spec_int64 ("runtime", NULL, NULL,
                                                 -1, G_MAXINT64, -1, ro);
  properties[PROP_EXIT_STATUS] = g_param_spec_int ("exit-status", NULL, NULL,
                                                   -1, G_MAXINT, -1, ro);
  properties[PROP_TERM_SIGNAL] = g_param_spec_int ("term-signal", NULL, NULL,
                                                   0, G_MAXINT, 0, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, ":", ro);
  properties[PROP_COMMAND] = g_param_spec_string ("command", NULL, NULL, NULL, ro);
  properties[PROP_USER_TIME] = g_param_spec_int64 ("user-time", NULL, NULL,
                                                   -1, G_MAXINT64, -1, ro);
  properties[PROP_SYSTEM_TIME] = g_param_spec_int64 ("system-time", NULL, NULL,
                                                     -1, G_MAXINT64, -1, ro);
  properties[PROP_CPU_TIME] = g_param_spec_int64 ("cpu-time", NULL, NULL,
                                                  -1, G_MAXINT64, -1, ro);
  properties[PROP_PEAK_MEMORY] = g_param_spec_uint64 ("peak-memory", NULL, NULL,
                                                      0, G_MAXUINT64, 0, ro);

  g_object_class_install_properties (object_class, PM_JOB_N_PROPS, properties);
}

static void
pm_job_init (PmJob *self)
{
  self->attempt = 1;
  self->planned = -1;
  self->runtime = -1;
  self->exit_status = -1;
  self->user_time = self->system_time = self->cpu_time = -1;
  _pm_output_tail_init (&self->tail);
}

/**
 * pm_job_new:
 * @seq: the sequence number, from 1
 * @name: the job's name, which is also its argument `{}`
 * @template_: (nullable): the template to expand at start
 * @argv: (nullable) (array zero-terminated=1): a fixed argv, used when @template_ is %NULL
 *
 * Returns: (transfer full): a new queued job
 */
PmJob *
pm_job_new (guint               seq,
            const char         *name,
            PmTemplate         *template_,
            const char * const *argv)
{
  PmJob *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (PM_TYPE_JOB, NULL);
  self->seq = seq;
  self->name = g_strdup (name);
  if (template_ != NULL)
    self->template_ = pm_template_ref (template_);
  self->fixed_argv = g_strdupv ((char **)argv);

  return self;
}

/**
 * pm_job_new_with_values:
 * @seq: the sequence number, from 1
 * @values: (array zero-terminated=1): the job's values, records of @width one after another
 * @width: values in a record (input sources, or columns), at least 1
 * @template_: the template to expand at start
 *
 * A job whose name is its values joined by spaces, as GNU parallel's `{}`.
 *
 * Returns: (transfer full): a new queued job
 */
PmJob *
pm_job_new_with_values (guint               seq,
                        const char * const *values,
                        guint               width,
                        PmTemplate         *template_)
{
  g_autofree char *name = NULL;
  PmJob *self;

  g_return_val_if_fail (values != NULL, NULL);
  g_return_val_if_fail (width >= 1, NULL);
  g_return_val_if_fail (template_ != NULL, NULL);

  name = g_strjoinv (" ", (char **)values);
  self = pm_job_new (seq, name, template_, NULL);
  self->values = g_strdupv ((char **)values);
  self->width = width;

  return self;
}

/**
 * pm_job_get_values:
 * @self: a #PmJob
 * @width: (out): values in a record (input sources, or columns)
 *
 * Returns: (array zero-terminated=1) (nullable): the job's values, records of @width one after
 *   another; %NULL for a job made from its name alone
 */
const char * const *
pm_job_get_values (PmJob *self,
                   guint *width)
{
  g_return_val_if_fail (PM_IS_JOB (self), NULL);

  *width = self->width;
  return (const char * const *)self->values;
}

/* The argv of the job's template for @slot (0: not known yet). */
char **
_pm_job_expand (PmJob *self,
                guint  slot)
{
  const char *one[] = { self->name, NULL };

  g_assert (self->template_ != NULL);
  if (self->values != NULL)
    return pm_template_expand_values (self->template_, (const char * const *)self->values,
                                      self->width, self->seq, slot);
  return pm_template_expand_values (self->template_, one, 1, self->seq, slot);
}

/* Another template (the names of files to transfer) with this job's values; nothing appended */
char **
_pm_job_expand_words (PmJob      *self,
                      PmTemplate *template_,
                      guint       slot)
{
  const char *one[] = { self->name, NULL };

  if (self->values != NULL)
    return pm_template_expand_words (template_, (const char * const *)self->values,
                                     self->width, self->seq, slot);
  return pm_template_expand_words (template_, one, 1, self->seq, slot);
}

/**
 * pm_job_get_stopped:
 * @self: a #PmJob
 *
 * Returns: %TRUE if the job ended because its run stopped (a second interrupt, --halt now):
 *   GNU parallel does not count such a job as done, and --resume runs it again
 */
gboolean
pm_job_get_stopped (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), FALSE);
  return self->stopped;
}

void
_pm_job_set_stopped (PmJob    *self,
                     gboolean  stopped)
{
  self->stopped = stopped;
}

guint
pm_job_get_seq (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->seq;
}

const char *
pm_job_get_name (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), NULL);
  return self->name;
}

/**
 * pm_job_get_template:
 * @self: a #PmJob
 *
 * Returns: (transfer none) (nullable): the template the job's argv is expanded from
 */
PmTemplate *
pm_job_get_template (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), NULL);
  return self->template_;
}

/**
 * pm_job_get_argv:
 * @self: a #PmJob
 *
 * Returns the argv the job runs: the one it was started with, or before its start, the fixed
 * argv or the template expanded without a slot. %NULL for a job read from a log that only
 * knew the command line.
 *
 * Returns: (transfer none) (nullable): the argv
 */
const char * const *
pm_job_get_argv (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), NULL);

  if (self->argv == NULL && self->template_ != NULL)
    self->argv = _pm_job_expand (self, 0);
  if (self->argv == NULL && self->fixed_argv != NULL)
    self->argv = g_strdupv (self->fixed_argv);

  return (const char * const *)self->argv;
}

/**
 * pm_job_dup_command:
 * @self: a #PmJob
 *
 * Returns: (transfer full): the job's command as one shell-quoted line
 */
char *
pm_job_dup_command (PmJob *self)
{
  const char * const *argv;

  g_return_val_if_fail (PM_IS_JOB (self), NULL);

  if (self->command != NULL)
    return g_strdup (self->command);
  if ((argv = pm_job_get_argv (self)) != NULL)
    return pm_argv_to_command (argv);
  return g_strdup (self->name);
}

PmJobState
pm_job_get_state (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), PM_JOB_STATE_QUEUED);
  return self->state;
}

gboolean
pm_job_is_finished (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), FALSE);
  return pm_job_state_is_finished (self->state);
}

/**
 * pm_job_get_slot:
 * @self: a #PmJob
 *
 * Returns: the slot the job ran or runs in, from 1, or 0 if it never started
 */
guint
pm_job_get_slot (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->slot;
}

GPid
pm_job_get_pid (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->pid;
}

/**
 * pm_job_get_slot_pid:
 * @self: a #PmJob
 *
 * Returns: the PID of the pool-slot process that ran the job (its parent), or 0
 */
GPid
pm_job_get_slot_pid (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->slot_pid;
}

guint
pm_job_get_attempt (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->attempt;
}

/**
 * pm_job_get_planned:
 * @self: a #PmJob
 *
 * Returns: the planned duration in seconds (the demo worker's sleep), or -1 if not known
 */
double
pm_job_get_planned (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), -1);
  return self->planned;
}

void
pm_job_set_planned (PmJob  *self,
                    double  seconds)
{
  g_return_if_fail (PM_IS_JOB (self));

  if (self->planned != seconds)
    {
      self->planned = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLANNED]);
    }
}

/**
 * pm_job_get_queued_time:
 * @self: a #PmJob
 *
 * Returns: wall-clock time it was queued, in µs since the epoch, or 0
 */
gint64
pm_job_get_queued_time (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->queued_time;
}

gint64
pm_job_get_start_time (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->start_time;
}

gint64
pm_job_get_end_time (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->end_time;
}

/**
 * pm_job_get_runtime:
 * @self: a #PmJob
 *
 * Returns: µs from start to end (measured on the monotonic clock), the time so far while
 *   running, or -1 if it never started
 */
gint64
pm_job_get_runtime (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), -1);

  if (self->runtime >= 0)
    return self->runtime;
  if (self->start_mono > 0)
    return g_get_monotonic_time () - self->start_mono;
  return -1;
}

/**
 * pm_job_get_exit_status:
 * @self: a #PmJob
 *
 * Returns: the exit status, or -1 if it did not exit normally (yet)
 */
int
pm_job_get_exit_status (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), -1);
  return self->exit_status;
}

/**
 * pm_job_get_term_signal:
 * @self: a #PmJob
 *
 * Returns: the signal that ended the job, or 0
 */
int
pm_job_get_term_signal (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->term_signal;
}

/**
 * pm_job_get_user_time:
 * @self: a #PmJob
 *
 * Returns: the user CPU time of the attempt, from its rusage, in µs, or -1 if not known
 */
gint64
pm_job_get_user_time (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), -1);
  return self->user_time;
}

/* As pm_job_get_user_time(), the system CPU time */
gint64
pm_job_get_system_time (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), -1);
  return self->system_time;
}

/**
 * pm_job_get_cpu_time:
 * @self: a #PmJob
 *
 * Returns: user and system CPU time together, in µs, or -1 if not known; a job read from a
 *   joblog knows only this sum
 */
gint64
pm_job_get_cpu_time (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), -1);
  return self->cpu_time;
}

/**
 * pm_job_get_peak_memory:
 * @self: a #PmJob
 *
 * Returns: the attempt's peak resident memory (rusage's ru_maxrss), in bytes, or 0 if not known
 */
guint64
pm_job_get_peak_memory (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return self->peak_memory;
}

/**
 * pm_job_get_host:
 * @self: a #PmJob
 *
 * Returns: the host the job runs or ran on, as its sshlogin was given; ":" for this machine
 */
const char *
pm_job_get_host (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), ":");

  return self->host != NULL ? self->host : ":";
}

/**
 * pm_job_get_error_message:
 * @self: a #PmJob
 *
 * Returns: (nullable): why the job failed to start, or %NULL
 */
const char *
pm_job_get_error_message (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), NULL);
  return self->error_message;
}

/**
 * pm_job_get_output_bytes:
 * @self: a #PmJob
 *
 * Returns: how many bytes the job wrote to stdout and stderr in all, kept or not
 */
guint64
pm_job_get_output_bytes (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), 0);
  return _pm_output_tail_get_bytes (&self->tail);
}

/**
 * pm_job_dup_output_lines:
 * @self: a #PmJob
 *
 * Returns: (transfer full): the kept tail of the job's output, stdout and stderr interleaved as
 *   they came, one line per element, without newlines, as text that can be shown (NUL bytes as
 *   U+2400, bytes that are not UTF-8 as U+FFFD)
 */
char **
pm_job_dup_output_lines (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), NULL);
  return _pm_output_tail_dup_lines (&self->tail);
}

/**
 * pm_job_dup_output:
 * @self: a #PmJob
 *
 * Returns: (transfer full): the kept tail of the output as text that can be shown, each line
 *   ended by "\n" where the job ended it so
 */
char *
pm_job_dup_output (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), NULL);
  return _pm_output_tail_dup_text (&self->tail);
}

/**
 * pm_job_dup_output_bytes:
 * @self: a #PmJob
 *
 * Returns: (transfer full): the kept tail of the output exactly as the job wrote it
 */
GBytes *
pm_job_dup_output_bytes (PmJob *self)
{
  g_return_val_if_fail (PM_IS_JOB (self), NULL);
  return _pm_output_tail_dup_bytes (&self->tail);
}
