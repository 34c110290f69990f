/* pm-window-private.h: what the window's files share, and what its tests reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-job-details.h"
#include "pm-job-list-private.h"
#include "pm-lesson-bar.h"
#include "pm-run-settings.h"
#include "pm-runlog.h"
#include "pm-timeline.h"
#include "pm-what-if-window.h"
#include "pm-window.h"

G_BEGIN_DECLS

typedef enum
{
  PM_SAVE_JOBLOG,
  PM_SAVE_EVENTS,
  PM_SAVE_TRACE,
  PM_SAVE_PNG,
  PM_SAVE_SVG,
  PM_N_SAVE_FORMATS
} PmSaveFormat;

struct _PmWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  PmPool               *pool;
  char                 *origin;
  char                 *opened_path;       /* the log the run shown was read from, if any */
  gulong                pool_notify_id;
  gulong                pool_finished_id;
  PmJob                *selected;
  gulong                selected_notify_id;
  gulong                selected_slot_id;
  guint                 live_tick_id;
  gint64                last_beat;
  gboolean              header_stale;
  guint                 progress_beat;      /* the beat the progress bar last moved on */
  gboolean              times_due;
  guint                 header_source;
  guint                 preview_source;
  guint                 n_beats;
  gint64                runtime_sum;
  guint                 runtime_n;
  PmLogWriter          *autosave_joblog;
  PmLogWriter          *autosave_events;
  char                 *autosave_path;
  gboolean              autosave_warned;
  gboolean              stopped;           /* the user stopped the shown run */
  char                 *open_failure;      /* why the files given did not open, shown instead
                                            * of a run until the settings change */
  char                 *source_error_said; /* the last source error shown, not shown again */
  gboolean              replace_confirmed; /* Start may replace the shown log */
  gboolean              settings_valid;    /* a run can start with the settings */
  gboolean              close_confirmed;   /* the user chose to end the run and close */
  GtkWidget            *close_dialog;      /* weak: the question, while it is asked */

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkLabel             *stop_label;
  GtkWidget            *rerun_failed_button;
  GtkLabel             *start_label;
  GtkLabel             *rerun_failed_label;
  GtkLabel             *limit_label;
  GtkMenuButton        *limit_button;     /* "Limit 5": the field where it does not fit */
  GtkSpinButton        *limit_popover_spin;
  guint                 layout_level;     /* which header labels fit: 0 all, 2 fewest */
  guint                 layout_want;      /* the level of the last allocation */
  guint                 layout_source;    /* applies layout_want after the allocation */
  guint                 details_source;   /* follows the leaflet's folding after it */
  guint                 paned_source;     /* shares the height after the allocation */
  gboolean              paned_sharing;    /* the position set by the window, not the user */
  int                   paned_height;     /* the paned's height the share was last set for */
  GtkSpinButton        *limit_spin;
  GtkInscription       *running_label;
  GtkInscription       *queued_label;
  GtkInscription       *done_label;
  GtkInscription       *failed_label;
  GtkInscription       *cancelled_label;
  GtkInscription       *elapsed_label;
  GtkInscription       *eta_label;
  GtkProgressBar       *progress_bar;
  AdwFlap              *flap;
  PmRunSettings        *run_settings;
  GtkPaned             *vpaned;
  PmTimeline           *timeline;
  GtkDropDown          *filter_dropdown;
  GtkInscription       *rows_label;
  GtkStack             *list_stack;
  AdwStatusPage        *empty_page;
  PmJobList            *job_list;
  PmJobDetails         *job_details;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_pane;
  GtkWidget            *details_pane;
  GtkWidget            *details_back;
  GtkWidget            *details_button;
  GtkWidget            *sort_button;
  PmLessonBar          *lesson_bar;
  GtkLabel             *lesson_preview;
};

/* pm-window-header.c */
void           _pm_window_update_header    (PmWindow      *self);
guint          _pm_window_count_jobs       (PmWindow      *self,
                                            gboolean      *more);
gboolean       _pm_window_previews_stream  (PmWindow      *self);
void           _pm_window_update_times     (PmWindow      *self);
char          *_pm_window_format_seconds   (double         seconds);
char          *_pm_window_dup_header_text  (PmWindow      *self);
char          *_pm_window_dup_end_text     (PmWindow      *self);
double         _pm_window_estimate_left    (PmWindow      *self);
void           _pm_window_mark_limit       (PmWindow      *self,
                                            const char    *message);

/* pm-window.c */
void           _pm_window_update_actions   (PmWindow      *self);
void           _pm_window_update_empty_page (PmWindow     *self);
gboolean       _pm_window_confirm_close    (PmWindow      *self);
void           _pm_window_set_pool         (PmWindow      *self,
                                            PmPool        *pool,
                                            const char    *origin);
GSettings     *_pm_window_get_settings     (PmWindow      *self);
PmJobList     *_pm_window_get_job_list     (PmWindow      *self);
PmRunSettings *_pm_window_get_run_settings (PmWindow      *self);
PmTimeline    *_pm_window_get_timeline     (PmWindow      *self);
void           _pm_window_toast            (PmWindow      *self,
                                            const char    *message);
void           _pm_window_show_error       (PmWindow      *self,
                                            const char    *heading,
                                            const char    *body);

/* pm-window-layout.c */
void           _pm_window_setup_layout     (PmWindow      *self);
void           _pm_window_layout_allocated (PmWindow      *self,
                                            int            width);
void           _pm_window_layout_selection_changed (PmWindow *self);
void           _pm_window_layout_share_height (PmWindow   *self);

/* pm-window-actions.c */
void           _pm_window_add_actions      (PmWindow      *self);
void           _pm_window_update_preview   (PmWindow      *self);
void           _pm_window_schedule_preview (PmWindow      *self);
void           _pm_window_limit_changed    (PmWindow      *self);

/* pm-window-bench.c: with POOL_MONITOR_QUIT_AT_END=1 only */
void           _pm_window_bench_mark_start (PmWindow      *self);
void           _pm_window_bench_follow_pool (PmWindow     *self);
void           _pm_window_quit_if_asked    (PmWindow      *self);

/* pm-run-settings.c */
char          *_pm_run_settings_dup_errors (PmRunSettings *self);

/* pm-window-io.c */
gboolean       _pm_save_format_from_file   (GFile         *file,
                                            PmSaveFormat  *format);
gboolean       _pm_window_save             (PmWindow      *self,
                                            GFile         *file,
                                            PmSaveFormat   format,
                                            GError       **error);
char          *_pm_save_error_body         (GFile         *file,
                                            const GError  *error);
gboolean       _pm_window_open             (PmWindow      *self,
                                            GFile         *file,
                                            GError       **error);
void           _pm_window_open_files       (PmWindow      *self,
                                            GFile        **files,
                                            int            n_files);
void           _pm_window_show_open_failure (PmWindow     *self,
                                            const char    *message);
void           _pm_window_save_dialog      (PmWindow      *self);
void           _pm_window_open_dialog      (PmWindow      *self);
void           _pm_window_open_recorded_dialog (PmWindow  *self);
char          *_pm_autosave_dir            (void);
void           _pm_window_autosave_begin   (PmWindow      *self);
void           _pm_window_autosave_end     (PmWindow      *self);
const char    *_pm_window_get_autosave_path (PmWindow     *self);

/* pm-window-lesson.c (src/app/lesson) */
void           _pm_window_update_lesson    (PmWindow      *self);
void           _pm_window_add_lesson_actions (PmWindow    *self);
int            _pm_window_lesson_caption_height (PmWindow *self);
void           _pm_window_draw_lesson_caption (PmWindow   *self,
                                               cairo_t    *cr,
                                               int         y,
                                               int         width,
                                               int         height);
PmWhatIfWindow *_pm_window_show_what_if     (PmWindow      *self);

G_END_DECLS
