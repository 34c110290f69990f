/* pm-job-list-internal.h: what pm-job-list.c and pm-job-list-cells.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-job-list-private.h"
#include "pm-row-view.h"
#include "pm-row-window.h"

G_BEGIN_DECLS

/* A cell on screen: one column of the job its row shows */
typedef struct
{
  PmJobList      *list;
  GtkListItem    *item;
  GtkInscription *label;
  PmRow          *row;          /* the row on screen, which shows one job and then another */
  gulong          row_id;
  PmJob          *job;
  gulong          notify_id;
  PmColumn        column;
  int             shown_state;   /* whose style classes the label has, State column only */
} Cell;

struct _PmJobList
{
  GtkWidget           parent_instance;

  PmPool             *pool;
  PmJobStats         *stats;
  GTimeZone          *local_tz;

  PmRowView          *rows;
  GtkColumnView      *view;
  GtkFilterListModel *filter_model;
  GtkCustomFilter    *filter;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  GtkWidget          *menu;

  GHashTable         *cells;
  GHashTable         *stale;         /* bound cells whose job changed, shown on the live beat */
  guint               stale_tick_id;
  gint64              last_beat;
  char               *state_filter;
  gboolean            filter_dirty;
  gulong              started_id;
  gulong              finished_id;
  GtkColumnViewColumn *host_column;
  int                 name_chars;     /* the Name column's least width, in characters */
  guint               fit_source;
};

/* pm-job-list-cells.c */
GtkColumnViewColumn *_pm_job_list_make_column         (PmJobList *self,
                                                       PmColumn   column);
/* The Name column's least width, in characters */
int                  _pm_job_list_name_least_chars    (void);
/* A GSourceFunc, after an allocation: names ellipsize where that lets every column fit */
gboolean             _pm_job_list_fit_names_cb        (gpointer   self);
/* Refreshes the bound cells that change with time alone (Elapsed, CPU %, Memory) */
void                 _pm_job_list_refresh_timed_cells (PmJobList *self);

G_END_DECLS
