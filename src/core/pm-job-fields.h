/* pm-job-fields.h: what a job holds, for the files that make up PmJob (pm-job.c, pm-job-set.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-job-private.h"
#include "pm-output-tail.h"

G_BEGIN_DECLS

struct _PmJob
{
  GObject      parent_instance;

  guint        seq;
  char        *name;
  char       **values;     /* the job's values for its template; NULL: its name alone */
  guint        width;
  PmTemplate  *template_;
  char       **fixed_argv;
  char       **argv;
  char        *command;
  char        *error_message;
  char        *host;          /* the sshlogin it ran on, NULL for this machine */

  PmJobState   state;
  guint        slot;
  GPid         pid;
  GPid         slot_pid;
  guint        attempt;
  double       planned;
  gboolean     stopped;    /* ended by its run's stop (interrupt, halt): not done for --resume */

  gint64       queued_time;
  gint64       start_time;
  gint64       end_time;
  gint64       start_mono;
  gint64       runtime;

  int          exit_status;
  int          term_signal;

  /* from the job's rusage: µs, -1 unknown; bytes, 0 unknown */
  gint64       user_time;
  gint64       system_time;
  gint64       cpu_time;
  guint64      peak_memory;

  PmOutputTail tail;
};

enum {
  PROP_0,
  PROP_SEQ,
  PROP_NAME,
  PROP_STATE,
  PROP_SLOT,
  PROP_PID,
  PROP_SLOT_PID,
  PROP_ATTEMPT,
  PROP_PLANNED,
  PROP_QUEUED_TIME,
  PROP_START_TIME,
  PROP_END_TIME,
  PROP_RUNTIME,
  PROP_EXIT_STATUS,
  PROP_TERM_SIGNAL,
  PROP_ERROR_MESSAGE,
  PROP_HOST,
  PROP_COMMAND,
  PROP_USER_TIME,
  PROP_SYSTEM_TIME,
  PROP_CPU_TIME,
  PROP_PEAK_MEMORY,
  PM_JOB_N_PROPS
};


extern GParamSpec *_pm_job_properties[PM_JOB_N_PROPS];

G_END_DECLS
