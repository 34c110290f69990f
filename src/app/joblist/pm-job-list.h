/* pm-job-list.h: the pool's jobs as a sortable, filterable column view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pm-pool.h"

G_BEGIN_DECLS

#define PM_TYPE_JOB_LIST (pm_job_list_get_type ())

G_DECLARE_FINAL_TYPE (PmJobList, pm_job_list, PM, JOB_LIST, GtkWidget)

GtkWidget  *pm_job_list_new              (void);
void        pm_job_list_set_pool         (PmJobList  *self,
                                          PmPool     *pool);
PmPool     *pm_job_list_get_pool         (PmJobList  *self);
PmJob      *pm_job_list_get_selected_job (PmJobList  *self);
void        pm_job_list_select_job       (PmJobList  *self,
                                          PmJob      *job);
GtkSortType pm_job_list_sort_by          (PmJobList  *self,
                                          guint       column);
const char *pm_job_list_get_state_filter (PmJobList  *self);
void        pm_job_list_set_state_filter (PmJobList  *self,
                                          const char *filter);
void        pm_job_list_tick             (PmJobList  *self,
                                          gboolean    sample_stats);
void        pm_job_list_popup_menu       (PmJobList  *self,
                                          double      x,
                                          double      y);

G_END_DECLS
