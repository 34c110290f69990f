/* pm-joblog-private.h: the joblog's columns, which pm-joblog.c writes and pm-joblog-read.c
 * reads (the format is described at the top of pm-joblog.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PM_JOBLOG_COL_SEQ,
  PM_JOBLOG_COL_HOST,
  PM_JOBLOG_COL_STARTTIME,
  PM_JOBLOG_COL_JOBRUNTIME,
  PM_JOBLOG_COL_SEND,
  PM_JOBLOG_COL_RECEIVE,
  PM_JOBLOG_COL_EXITVAL,
  PM_JOBLOG_COL_SIGNAL,
  PM_JOBLOG_COL_COMMAND,
  PM_JOBLOG_COL_SLOT,
  PM_JOBLOG_COL_PID,
  PM_JOBLOG_COL_QUEUED,
  PM_JOBLOG_COL_END,
  PM_JOBLOG_COL_ATTEMPT,
  PM_JOBLOG_COL_STATE,
  PM_JOBLOG_COL_NAME,
  PM_JOBLOG_COL_CPU,
  PM_JOBLOG_COL_MEMORY,
  PM_JOBLOG_N_COLS,
  PM_JOBLOG_N_PARALLEL_COLS = PM_JOBLOG_COL_SLOT,
} PmJoblogColumn;

extern const char * const _pm_joblog_column_names[PM_JOBLOG_N_COLS];

G_END_DECLS
