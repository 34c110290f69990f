/* pm-timeline-internal.h: what the files of PmTimeline share
 *
 * pm-timeline.c         the GObject, the pool binding, zoom and scroll state, the public API
 * pm-timeline-model.c   the sorted index of finished jobs, the running / queued series and the
 *                       limit history, kept up to date from the pool's signals
 * pm-timeline-layout.c  geometry, the time ↔ pixel mapping, fit and follow, the hit test
 * pm-timeline-input.c   gestures, keys and the tooltip
 * pm-timeline-draw.c    snapshot assembly, lanes, limits, axis, queue column, the export and
 *                       its title
 * pm-timeline-paint.c   state colours and text contrast, the Pango layout, text and shapes
 * pm-timeline-bars.c    job bars and the render-node cache of finished bars
 * pm-timeline-key.c     the colour key of job states
 * pm-timeline-chart.c   the running / queued / limit chart and its legend
 * pm-timeline-cores.c   the CPU count and the strip of each CPU's use in the chart
 *
 * Sizes that hold text come from the widget's font (PmTimelineMetrics, pm-timeline-layout.c),
 * so the text-scale setting scales the whole drawing; lanes that do not fit scroll.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-timeline-private.h"

G_BEGIN_DECLS

#define TEXT_SMALL     0.9     /* the timeline's texts, relative to the widget's font */
#define MIN_ZOOM       1e-4
#define MAX_ZOOM       1e5
#define ZOOM_STEP      1.5
#define MAX_CHIPS      64
#define MAX_INCREMENTS 48
#define LIMIT_MERGE_S  1.5     /* limit changes closer than this in time are drawn as one */

typedef struct _PmTimelineCores PmTimelineCores;

typedef struct
{
  gint64      start;
  gint64      end;
  PmJob      *job;     /* borrowed: the pool holds its jobs */
  guint       slot;
  PmJobState  state;
} PmTimelineBar;

typedef struct
{
  gint64 t;
  int    d_running;
  int    d_queued;
  int    running;      /* totals after this step */
  int    queued;
} PmTimelineStep;

typedef struct
{
  graphene_rect_t rect;
  PmJob          *job;
} PmTimelineChip;

/* Every size that holds text, from the widget's font and the text-scale setting (the Pango
 * context's font and resolution): large text makes the columns and rows larger. */
typedef struct
{
  double line;         /* height of a line of the widget's font */
  double label_w;      /* the column of "slot N" labels, left of the lanes */
  double queue_w;      /* the queue column, right of the lanes */
  double top_h;        /* the band of "limit N" pills above the lanes */
  double axis_h;       /* the time axis under the lanes */
  double key_h;        /* one row of the colour key of job states */
  double legend_h;     /* the chart's legend */
  double chip_h;       /* a queued job's chip */
  double chip_pitch;
  double lane_min_h;   /* a lane that holds its label and a bar's name; below it lanes scroll */
  double lane_max_h;
  double chart_min_h;  /* two tick labels: the least the lines get */
  double strip_h;      /* the strip of CPU use under them: its gap, then its rows */
  double strip_gap;    /* room under the lines for the lower half of the "0" tick label */
  double chart_max_h;  /* what the widget gives the chart at most */
  double gap_h;        /* between the key and the chart's legend */
  double tick_min_w;   /* the least room between two time axis ticks */
} PmTimelineMetrics;



/* Everything drawing needs: geometry, time mapping, colours. The widget and the export each
 * make one, so both draw through one code path. */
typedef struct
{
  double          width;
  double          height;
  gint64          origin;      /* wall µs at which the run's time axis starts (0 s) */
  gint64          now;         /* where running bars and the series end */
  gboolean        live;
  double          offset;      /* seconds from origin at the lanes' left edge */
  double          zoom;        /* pixels per second */
  graphene_rect_t lanes;
  gboolean        chart_folded;   /* too short for it: no chart, no legend */
  graphene_rect_t top;
  graphene_rect_t axis;
  graphene_rect_t legend;
  graphene_rect_t chart;
  graphene_rect_t queue;
  graphene_rect_t key;
  graphene_rect_t title;       /* a picture's title line; empty in the widget */
  double          lane_h;
  guint           n_lanes;
  double          lane_scroll; /* pixels of lanes scrolled off the top, when they overflow */
  double          lanes_total_h;
  GdkRGBA         fg;
  GdkRGBA         bg;          /* what the widget is drawn over (opaque) */
  gboolean        export;
  PmTimelineMetrics m;
} PmTimelineView;

struct _PmTimeline
{
  GtkWidget      parent_instance;

  PmPool        *pool;
  gulong         items_changed_id;
  gulong         job_started_id;
  gulong         job_finished_id;
  gulong         max_workers_id;
  gulong         state_id;
  gulong         counts_id;
  PmPoolState    last_state;   /* the pool's state when state_cb last saw it */

  PmJob         *selected;
  double         zoom;
  double         offset;
  gboolean       follow;
  gboolean       fit;
  double         fit_span;

  GArray        *bars;         /* PmTimelineBar, sorted by start */
  gint64         max_duration;
  gint64         max_end;
  guint          max_slot;
  GPtrArray     *running;      /* PmJob, borrowed */
  GArray        *steps;        /* PmTimelineStep, sorted by t */
  int            max_running;
  int            max_queued;
  guint          queue_cursor;
  GArray        *chips;        /* PmTimelineChip, from the last snapshot */

  /* The cache of finished bars */
  GPtrArray     *cache_nodes;  /* GskRenderNode: the base, then increments */
  cairo_surface_t *cache_surface;  /* or all of them drawn into one image (pm-timeline-bars.c) */
  GPtrArray     *cache_tiles;  /* GskRenderNode: what frames draw of it, a column each */
  graphene_rect_t cache_raster_rect;   /* where the image goes, offset 0, in widget units */
  int            cache_scale;  /* the widget's scale factor the cache was made for */
  GArray        *pending;      /* PmTimelineBar: finished since the base was built */
  gboolean       cache_valid;
  double         cache_zoom;
  double         cache_t0;     /* seconds from origin covered by the cache */
  double         cache_t1;
  gint64         cache_origin;
  double         cache_lane_h;
  guint          cache_n_lanes;
  graphene_rect_t cache_lanes;
  GdkRGBA        cache_fg;
  guint          cache_n_bars;
  guint          n_bars_drawn;

  guint          tick_id;
  gint64         last_live_draw;
  guint          a11y_source;
  double         drag_offset;
  double         drag_lane_scroll;
  double         pinch_zoom;
  double         pinch_x;
  PangoLayout   *layout;
  double         lane_scroll;
  guint          states_seen;  /* 1 << PmJobState of every bar so far, for the key */
  GArray        *texts;        /* PmTimelineText, while the tests ask for them */
  guint          metrics_serial;
  guint          metrics_lanes;
  double         metrics_hosts_w;
  guint          hosts_key;     /* the host names hosts_width was measured for */
  double         hosts_width;
  PmTimelineMetrics metrics;
  PmTimelineCores *cores;
};

static const GdkRGBA running_color = { 0x35 / 255., 0x84 / 255., 0xe4 / 255., 1 };
static const GdkRGBA queued_color = { 0x9a / 255., 0x66 / 255., 0xc7 / 255., 1 };
static const GdkRGBA now_color = { 0xe0 / 255., 0x1b / 255., 0x24 / 255., 1 };
static const GdkRGBA white = { 1, 1, 1, 1 };
static const GdkRGBA export_fg = { 0x24 / 255., 0x1f / 255., 0x31 / 255., 1 };
static const GdkRGBA export_bg = { 0xfa / 255., 0xfa / 255., 0xfa / 255., 1 };

static inline GdkRGBA
_pm_timeline_with_alpha (const GdkRGBA *color,
                         double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

/* @top drawn over the opaque @bottom */
static inline GdkRGBA
_pm_timeline_over (const GdkRGBA *top,
                   const GdkRGBA *bottom)
{
  double a = top->alpha;

  return (GdkRGBA) { top->red * a + bottom->red * (1 - a), top->green * a + bottom->green * (1 - a),
                     top->blue * a + bottom->blue * (1 - a), 1 };
}

static inline double
_pm_timeline_x_of_time (const PmTimelineView *view,
                        gint64                t)
{
  return view->lanes.origin.x + ((t - view->origin) / 1e6 - view->offset) * view->zoom;
}

static inline double
_pm_timeline_lane_y (const PmTimelineView *view,
                     guint                 slot)
{
  return view->lanes.origin.y + (slot - 1) * view->lane_h - view->lane_scroll;
}

/* pm-timeline.c */
void                 _pm_timeline_set_zoom_internal (PmTimeline *self,
                                                     double      zoom);
void                 _pm_timeline_zoom_around       (PmTimeline *self,
                                                     double      factor,
                                                     double      x);
void                 _pm_timeline_pan_by            (PmTimeline *self,
                                                     double      pixels);
void                 _pm_timeline_activate_job      (PmTimeline *self,
                                                     PmJob      *job);

/* pm-timeline-model.c */
void                 _pm_timeline_rebuild           (PmTimeline *self);
void                 _pm_timeline_add_queued        (PmTimeline *self,
                                                     GListModel *model,
                                                     guint       position,
                                                     guint       added);
gboolean             _pm_timeline_add_started       (PmTimeline *self,
                                                     PmJob      *job);
void                 _pm_timeline_add_finished      (PmTimeline *self,
                                                     PmJob      *job);
guint                _pm_timeline_bars_lower_bound  (GArray     *bars,
                                                     gint64      t);
guint                _pm_timeline_steps_upper_bound (GArray     *steps,
                                                     gint64      t);
gint64               _pm_timeline_run_origin        (PmTimeline *self);
gint64               _pm_timeline_run_end           (PmTimeline *self);
gboolean             _pm_timeline_is_live           (PmTimeline *self);
guint                _pm_timeline_current_limit     (PmTimeline *self);
guint                _pm_timeline_max_limit         (PmTimeline *self);
guint                _pm_timeline_count_lanes       (PmTimeline *self);
const PmLimitChange *_pm_timeline_get_limit_changes (PmTimeline    *self,
                                                     gint64         origin,
                                                     PmLimitChange *fallback,
                                                     guint         *n_changes);
GArray              *_pm_timeline_merged_limit_changes (PmTimeline           *self,
                                                        const PmTimelineView *view);

/* pm-timeline-layout.c */
const PmTimelineMetrics *_pm_timeline_metrics       (PmTimeline *self);
double               _pm_timeline_lanes_width       (PmTimeline *self);
void                 _pm_timeline_reveal_lane       (PmTimeline *self,
                                                     guint       slot);
void                 _pm_timeline_visible_lanes     (const PmTimelineView *view,
                                                     guint                *first,
                                                     guint                *last);
void                 _pm_timeline_clamp_offset      (PmTimeline *self);
void                 _pm_timeline_update_view       (PmTimeline *self);
double               _pm_timeline_zoom_anchor       (PmTimeline *self);
void                 _pm_timeline_widget_view       (PmTimeline     *self,
                                                     PmTimelineView *view);
void                 _pm_timeline_export_view       (PmTimeline     *self,
                                                     PmTimelineView *view,
                                                     int             width,
                                                     int             height);
void                 _pm_timeline_lane_rect         (const PmTimelineView *view,
                                                     double                x0,
                                                     double                x1,
                                                     guint                 slot,
                                                     graphene_rect_t      *rect);
void                 _pm_timeline_bar_rect          (const PmTimelineView *view,
                                                     gint64                start,
                                                     gint64                end,
                                                     guint                 slot,
                                                     graphene_rect_t      *rect);
gboolean             _pm_timeline_job_rect          (const PmTimelineView *view,
                                                     PmJob                *job,
                                                     graphene_rect_t      *rect);
PmJob               *_pm_timeline_job_at            (PmTimeline           *self,
                                                     double                x,
                                                     double                y,
                                                     const PmTimelineBar **bar);
guint                _pm_timeline_lane_label_at     (PmTimeline           *self,
                                                     double                x,
                                                     double                y);

/* pm-timeline-input.c */
void                 _pm_timeline_init_input        (PmTimeline *self);

/* pm-timeline-draw.c */
void                 _pm_timeline_snapshot          (GtkWidget   *widget,
                                                     GtkSnapshot *snapshot);
PangoLayout         *_pm_timeline_get_layout        (PmTimeline *self,
                                                     const char *text,
                                                     double      scale,
                                                     gboolean    bold);
void                 _pm_timeline_draw_text         (PmTimeline            *self,
                                                     GtkSnapshot           *snapshot,
                                                     const PmTimelineView  *view,
                                                     PmTimelineTextKind     kind,
                                                     PangoLayout           *layout,
                                                     double                 x,
                                                     double                 y,
                                                     const GdkRGBA         *color,
                                                     const GdkRGBA         *on,
                                                     const graphene_rect_t *box);
void                 _pm_timeline_text_color_on     (const GdkRGBA *color,
                                                     const GdkRGBA *background,
                                                     GdkRGBA       *text);
double               _pm_timeline_hosts_width       (PmTimeline           *self);
void                 _pm_timeline_draw_hosts        (PmTimeline           *self,
                                                     GtkSnapshot          *snapshot,
                                                     const PmTimelineView *view);
void                 _pm_timeline_draw_key          (PmTimeline           *self,
                                                     GtkSnapshot          *snapshot,
                                                     const PmTimelineView *view);
double               _pm_timeline_key_height        (PmTimeline           *self,
                                                     const PmTimelineView *view);
void                 _pm_timeline_fill_rect         (GtkSnapshot   *snapshot,
                                                     const GdkRGBA *color,
                                                     double         x,
                                                     double         y,
                                                     double         w,
                                                     double         h);
void                 _pm_timeline_fill_rounded      (GtkSnapshot   *snapshot,
                                                     const GdkRGBA *color,
                                                     double         x,
                                                     double         y,
                                                     double         w,
                                                     double         h,
                                                     double         radius);
void                 _pm_timeline_append_outline    (GtkSnapshot          *snapshot,
                                                     const GskRoundedRect *outline,
                                                     float                 width,
                                                     const GdkRGBA        *color);
void                 _pm_timeline_dashed_vline      (GtkSnapshot   *snapshot,
                                                     const GdkRGBA *color,
                                                     double         x,
                                                     double         y0,
                                                     double         y1,
                                                     double         width);
void                 _pm_timeline_dashed_hline      (GtkSnapshot   *snapshot,
                                                     const GdkRGBA *color,
                                                     double         x0,
                                                     double         x1,
                                                     double         y,
                                                     double         width);

/* pm-timeline-bars.c */
void                 _pm_timeline_invalidate_cache  (PmTimeline *self);
void                 _pm_timeline_draw_bars         (PmTimeline           *self,
                                                     GtkSnapshot          *snapshot,
                                                     const PmTimelineView *view,
                                                     gint64                t0,
                                                     gint64                t1,
                                                     gboolean              use_cache);

/* pm-timeline-chart.c */
void                 _pm_timeline_draw_chart        (PmTimeline           *self,
                                                     GtkSnapshot          *snapshot,
                                                     const PmTimelineView *view,
                                                     gint64                t0,
                                                     gint64                t1);
void                 _pm_timeline_draw_legend       (PmTimeline           *self,
                                                     GtkSnapshot          *snapshot,
                                                     const PmTimelineView *view);

/* pm-timeline-cores.c */
PmTimelineCores     *_pm_timeline_cores_new         (void);
void                 _pm_timeline_cores_free        (PmTimelineCores *cores);
void                 _pm_timeline_cores_clear       (PmTimelineCores *cores);
guint                _pm_timeline_cores_get_count   (PmTimeline           *self);
char                *_pm_timeline_cores_dup_description (PmTimeline       *self);
double               _pm_timeline_cores_rows_height (PmTimeline          *self);
double               _pm_timeline_cores_strip_height (PmTimeline          *self,
                                                      const PmTimelineView *view);
void                 _pm_timeline_cores_begin_snapshot (PmTimeline        *self);
void                 _pm_timeline_draw_cores        (PmTimeline            *self,
                                                     GtkSnapshot           *snapshot,
                                                     const PmTimelineView  *view,
                                                     const graphene_rect_t *strip,
                                                     gint64                 t0,
                                                     gint64                 t1);
void                 _pm_timeline_draw_cores_label  (PmTimeline           *self,
                                                     GtkSnapshot          *snapshot,
                                                     const PmTimelineView *view);
void                 _pm_timeline_draw_cpu_count    (PmTimeline           *self,
                                                     GtkSnapshot          *snapshot,
                                                     const PmTimelineView *view,
                                                     double                y);
void                 _pm_timeline_draw_cpu_count_key (GtkSnapshot         *snapshot,
                                                     double                x0,
                                                     double                x1,
                                                     double                y);

G_END_DECLS
