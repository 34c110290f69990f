/* pm-job-list-private.h: internals of PmJobList for the window's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-job-list.h"
#include "pm-job-stats.h"
#include "pm-row-view.h"

G_BEGIN_DECLS

typedef enum
{
  PM_COLUMN_SEQ,
  PM_COLUMN_NAME,
  PM_COLUMN_STATE,
  PM_COLUMN_SLOT,
  PM_COLUMN_HOST,      /* shown only when a job runs on another machine */
  PM_COLUMN_PID,
  PM_COLUMN_QUEUED,
  PM_COLUMN_STARTED,
  PM_COLUMN_SLEEP,
  PM_COLUMN_ELAPSED,
  PM_COLUMN_FINISHED,
  PM_COLUMN_EXIT,
  PM_COLUMN_CPU,
  PM_COLUMN_CPU_TIME,
  PM_COLUMN_MEMORY,
  PM_N_COLUMNS
} PmColumn;

/* The model the view shows: sorted and filtered, as a selection. */
GtkSingleSelection *_pm_job_list_get_selection   (PmJobList *self);
GtkColumnView      *_pm_job_list_get_column_view (PmJobList *self);
PmRowView          *_pm_job_list_get_row_view    (PmJobList *self);
/* The text of a bound cell of @job in @column, or NULL if that row is not bound. */
char               *_pm_job_list_dup_cell_text   (PmJobList *self,
                                                  PmJob     *job,
                                                  PmColumn   column);
/* The widget of a bound cell of @job in @column, or NULL if that row is not bound. */
GtkWidget          *_pm_job_list_get_cell_widget (PmJobList *self,
                                                  PmJob     *job,
                                                  PmColumn   column);
/* Whether the bound row of @job shows as selected; FALSE if that row is not bound. */
gboolean            _pm_job_list_get_row_selected (PmJobList *self,
                                                   PmJob     *job,
                                                   gboolean  *selected);

/* pm-job-cell.c: the text a cell shows, NULL for none; CPU and memory of a running job from
 * @stats, of a finished one from its rusage. */
char               *_pm_job_cell_text            (PmJob      *job,
                                                  PmColumn    column,
                                                  GTimeZone  *tz,
                                                  PmJobStats *stats);
/* Whether the Host column has something to say: @pool runs on hosts, or is a log of a run
 * some of whose jobs ran on another machine */
gboolean            _pm_job_list_pool_has_hosts  (PmPool     *pool);

G_END_DECLS
