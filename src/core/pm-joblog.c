/* pm-joblog.c
 *
 * The joblog: GNU parallel's --joblog, column for column, then columns of ours.
 *
 *   Seq Host Starttime JobRuntime Send Receive Exitval Signal Command | Slot PID Queued End
 *   Attempt State Name CPU Memory
 *
 * What GNU parallel (20221122) writes, checked by running it: Host ":" for this machine;
 * Starttime "%.3f" epoch seconds; JobRuntime "%10.3f"; Exitval the exit status, 0 with the
 * signal in Signal for a job killed by a signal it did not send, -1 for a job it killed itself
 * (--timeout), -2 for a job it skipped, 127 for a command the shell could not find; Command
 * with each newline written as a NUL byte and tabs left as they are. We write the same, so
 * our first nine columns read like parallel's; since a tab in Command would shift our columns,
 * the reader counts our columns from the end of the line and gives Command what is left.
 * GNU parallel appends its nine columns to our joblog (--resume, --resume-failed): a line
 * with fewer columns than the header but at least nine is one of parallel's, read as such.
 * Name is ours, so it is escaped: "\\", "\t" and "\n" as backslash sequences. CPU is the
 * job's user and system CPU time together, in seconds ("%.3f"), Memory its peak resident
 * memory in bytes; both are empty when not known. An older joblog of ours has neither column
 * and reads as before; a joblog resumed (appended to) gets as many of our columns as its
 * header names, so that an older joblog of ours, or one of GNU parallel's, stays one.
 * This file writes; pm-joblog-read.c reads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "pm-job-private.h"
#include "pm-joblog-private.h"
#include "pm-pool-private.h"
#include "pm-runlog-private.h"

const char * const _pm_joblog_column_names[PM_JOBLOG_N_COLS] = {
  "Seq", "Host", "Starttime", "JobRuntime", "Send", "Receive", "Exitval", "Signal", "Command",
  "Slot", "PID", "Queued", "End", "Attempt", "State", "Name", "CPU", "Memory",
};

/* "%.3f" of µs as seconds, rounded to the millisecond, without going through a double */
static void
append_seconds (GString *out,
                gint64   usec)
{
  gint64 msec;

  if (usec < 0)
    {
      g_string_append_c (out, '-');
      usec = -usec;
    }
  msec = (usec + 500) / 1000;
  g_string_append_printf (out, "%" G_GINT64_FORMAT ".%03d", msec / 1000, (int)(msec % 1000));
}

static void
append_escaped_name (GString    *out,
                     const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

/* Exitval as GNU parallel means it (see the top of this file); the job's own exit status is
 * -1 whenever it did not exit normally. */
static int
parallel_exitval (PmJob *job)
{
  switch (pm_job_get_state (job))
    {
    case PM_JOB_STATE_SUCCEEDED:
    case PM_JOB_STATE_FAILED:
      return pm_job_get_exit_status (job);
    case PM_JOB_STATE_TIMED_OUT:
      return -1;
    case PM_JOB_STATE_CANCELLED:
      return -2;
    case PM_JOB_STATE_FAILED_TO_START:
      return 127;
    case PM_JOB_STATE_KILLED:
    case PM_JOB_STATE_QUEUED:
    case PM_JOB_STATE_RUNNING:
    case PM_JOB_STATE_PAUSED:
    default:
      return MAX (pm_job_get_exit_status (job), 0);
    }
}

void
_pm_joblog_append_header (GString *out)
{
  for (guint i = 0; i < PM_JOBLOG_N_COLS; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\t');
      g_string_append (out, _pm_joblog_column_names[i]);
    }
  g_string_append_c (out, '\n');
}

/* The first @n_columns columns of @job's line: all of them (PM_JOBLOG_N_COLS), or as many as
 * the header of a joblog being appended to names (see _pm_joblog_count_columns()). */
void
_pm_joblog_append_job (GString *out,
                       PmJob   *job,
                       guint    n_columns)
{
  /* Bytes that are not UTF-8 are kept as they are, as GNU parallel keeps them */
  g_autofree char *command = pm_job_dup_command (job);
  g_autofree char *name = g_strdup (pm_job_get_name (job));
  g_autoptr(GString) runtime = g_string_new (NULL);
  gint64 start = pm_job_get_start_time (job);
  gint64 end = pm_job_get_end_time (job);
  gsize command_pos;
  guint n_written = PM_JOBLOG_N_PARALLEL_COLS;

  /* A job that never started (cancelled) gets the time it left the queue, as parallel gives
   * the jobs it skips a Starttime too. */
  if (start <= 0)
    start = end > 0 ? end : pm_job_get_queued_time (job);
  append_seconds (runtime, MAX (pm_job_get_runtime (job), 0));

  g_string_append_printf (out, "%u\t%s\t", pm_job_get_seq (job), pm_job_get_host (job));
  append_seconds (out, start);
  g_string_append_printf (out, "\t%10s\t0\t0\t%d\t%d\t", runtime->str,
                          parallel_exitval (job), pm_job_get_term_signal (job));

  command_pos = out->len;
  g_string_append (out, command);
  for (gsize i = command_pos; i < out->len; i++)
    {
      if (out->str[i] == '\n')
        out->str[i] = '\0';
    }

  g_string_append_printf (out, "\t%u\t%d\t", pm_job_get_slot (job), (int)pm_job_get_pid (job));
  append_seconds (out, pm_job_get_queued_time (job));
  g_string_append_c (out, '\t');
  append_seconds (out, end);
  /* "stopped": the run ended it; GNU parallel writes no line for such a job, and --resume
   * (ours) runs it again */
  g_string_append_printf (out, "\t%u\t%s\t", pm_job_get_attempt (job),
                          pm_job_get_stopped (job) ? "stopped"
                                                   : pm_job_state_to_string (pm_job_get_state (job)));
  append_escaped_name (out, name);
  g_string_append_c (out, '\t');
  if (pm_job_get_cpu_time (job) >= 0)
    append_seconds (out, pm_job_get_cpu_time (job));
  g_string_append_c (out, '\t');
  if (pm_job_get_peak_memory (job) > 0)
    g_string_append_printf (out, "%" G_GUINT64_FORMAT, pm_job_get_peak_memory (job));

  /* None of our columns has a tab in it: the tabs after Command count them. */
  for (gsize i = command_pos + strlen (command); i < out->len; i++)
    {
      if (out->str[i] == '\t' && n_written++ == n_columns)
        {
          g_string_truncate (out, i);
          break;
        }
    }
  g_string_append_c (out, '\n');
}

void
_pm_joblog_append_pool (GString *out,
                        PmPool  *pool)
{
  GListModel *model = G_LIST_MODEL (pool);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (model, i);

      if (pm_job_is_finished (job))
        _pm_joblog_append_job (out, job, PM_JOBLOG_N_COLS);
    }
}

/* How many columns to write to a joblog whose first line is @header: as many of ours as it
 * names in our order (nine for GNU parallel's own, sixteen for one of ours from before CPU and
 * Memory), or all of them for a header that is not a beginning of ours. */
guint
_pm_joblog_count_columns (const char *header,
                          gsize       len)
{
  g_autofree char *text = g_strndup (header, len);
  g_auto(GStrv) names = NULL;
  guint n;

  g_strchomp (text);
  names = g_strsplit (text, "\t", -1);
  n = g_strv_length (names);
  if (n < PM_JOBLOG_N_PARALLEL_COLS || n > PM_JOBLOG_N_COLS)
    return PM_JOBLOG_N_COLS;
  for (guint i = 0; i < n; i++)
    {
      if (!g_str_equal (names[i], _pm_joblog_column_names[i]))
        return PM_JOBLOG_N_COLS;
    }

  return n;
}
