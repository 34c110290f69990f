/* pm-timeline.c
 *
 * Drawing. Everything is drawn by draw_all() from a View (geometry, time mapping, colours), so
 * the widget's snapshot and the picture export share one code path: the export draws into a
 * fresh GtkSnapshot and renders the node with cairo.
 *
 * Scale. Finished jobs are kept as Bar records sorted by start time, with the longest
 * duration seen, so the bars in a time range are found by binary search. Finished bars and
 * the chart are drawn into a cached render node that covers three view widths around the
 * view, in coordinates relative to the run's origin; scrolling within that range only moves
 * the node. Bars that finish afterwards are drawn into small extra nodes appended to the
 * cache, and the cache is rebuilt when the zoom, the geometry or the range changes. Running
 * jobs (at most a few per slot) are drawn every frame. The chart's series (running, queued)
 * is a time-sorted array of steps with running totals, kept up to date from the pool's
 * signals: events arrive nearly in time order, so each insert touches only the tail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "pm-job-private.h"
#include "pm-timeline-private.h"

#define LABEL_W       64.0
#define QUEUE_W       136.0
#define TOP_H         22.0
#define AXIS_H        22.0
#define GAP_H         8.0
#define LEGEND_H      22.0
#define CHART_MIN_H   64.0
#define CHART_MAX_H   220.0
#define LANE_MAX_H    30.0
#define LANE_NAT_H    28.0
#define MIN_ZOOM      1e-4
#define MAX_ZOOM      1e5
#define ZOOM_STEP     1.5
#define MAX_CHIPS     64
#define MAX_INCREMENTS 48

typedef struct
{
  gint64      start;
  gint64      end;
  PmJob      *job;     /* borrowed: the pool holds its jobs */
  guint       slot;
  PmJobState  state;
} Bar;

typedef struct
{
  gint64 t;
  int    d_running;
  int    d_queued;
  int    running;      /* totals after this step */
  int    queued;
} Step;

typedef struct
{
  graphene_rect_t rect;
  PmJob          *job;
} Chip;

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
  graphene_rect_t top;
  graphene_rect_t axis;
  graphene_rect_t legend;
  graphene_rect_t chart;
  graphene_rect_t queue;
  double          lane_h;
  guint           n_lanes;
  GdkRGBA         fg;
  gboolean        export;
} View;

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

  PmJob         *selected;
  double         zoom;
  double         offset;
  gboolean       follow;
  gboolean       fit;
  double         fit_span;

  GArray        *bars;         /* Bar, sorted by start */
  gint64         max_duration;
  gint64         max_end;
  guint          max_slot;
  GPtrArray     *running;      /* PmJob, borrowed */
  GArray        *steps;        /* Step, sorted by t */
  int            max_running;
  int            max_queued;
  guint          queue_cursor;
  GArray        *chips;        /* Chip, from the last snapshot */

  /* The cache of finished bars and the chart */
  GPtrArray     *cache_nodes;  /* GskRenderNode: the base, then increments */
  GArray        *pending;      /* Bar: finished since the base was built */
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
  guint          a11y_source;
  double         drag_offset;
  double         pinch_zoom;
  double         pinch_x;
  PangoLayout   *layout;
};

G_DEFINE_FINAL_TYPE (PmTimeline, pm_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_POOL,
  PROP_ZOOM,
  PROP_FOLLOW,
  N_PROPS
};

enum {
  JOB_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const GdkRGBA running_color = { 0x35 / 255., 0x84 / 255., 0xe4 / 255., 1 };
static const GdkRGBA queued_color = { 0x91 / 255., 0x41 / 255., 0xac / 255., 1 };
static const GdkRGBA now_color = { 0xe0 / 255., 0x1b / 255., 0x24 / 255., 1 };
static const GdkRGBA white = { 1, 1, 1, 1 };
static const GdkRGBA export_fg = { 0x24 / 255., 0x1f / 255., 0x31 / 255., 1 };
static const GdkRGBA export_bg = { 0xfa / 255., 0xfa / 255., 0xfa / 255., 1 };

/* Colours */

void
_pm_timeline_get_state_color (PmJobState  state,
                              GdkRGBA    *color)
{
  const char *spec;

  switch (state)
    {
    case PM_JOB_STATE_RUNNING:         spec = "#3584e4"; break;
    case PM_JOB_STATE_PAUSED:          spec = "#f5c211"; break;
    case PM_JOB_STATE_SUCCEEDED:       spec = "#26a269"; break;
    case PM_JOB_STATE_FAILED:          spec = "#e01b24"; break;
    case PM_JOB_STATE_KILLED:          spec = "#e66100"; break;
    case PM_JOB_STATE_TIMED_OUT:       spec = "#c64600"; break;
    case PM_JOB_STATE_FAILED_TO_START: spec = "#a51d2d"; break;
    case PM_JOB_STATE_QUEUED:          spec = "#9141ac"; break;
    case PM_JOB_STATE_CANCELLED:
    default:                           spec = "#9a9996"; break;
    }
  gdk_rgba_parse (color, spec);
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

/* Model bookkeeping */

static int
compare_bar_start (gconstpointer a,
                   gconstpointer b)
{
  const Bar *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static int
compare_step_time (gconstpointer a,
                   gconstpointer b)
{
  const Step *x = a, *y = b;

  return x->t < y->t ? -1 : x->t > y->t;
}

/* Index of the first bar whose start is >= t */
static guint
bars_lower_bound (GArray *bars,
                  gint64  t)
{
  guint lo = 0, hi = bars->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (bars, Bar, mid).start < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Index of the first step whose time is > t */
static guint
steps_upper_bound (GArray *steps,
                   gint64  t)
{
  guint lo = 0, hi = steps->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (steps, Step, mid).t <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
recount_steps (PmTimeline *self,
               guint       from)
{
  int running = 0, queued = 0;

  if (from > 0)
    {
      const Step *prev = &g_array_index (self->steps, Step, from - 1);

      running = prev->running;
      queued = prev->queued;
    }
  for (guint i = from; i < self->steps->len; i++)
    {
      Step *step = &g_array_index (self->steps, Step, i);

      running += step->d_running;
      queued += step->d_queued;
      step->running = running;
      step->queued = queued;
      self->max_running = MAX (self->max_running, running);
      self->max_queued = MAX (self->max_queued, queued);
    }
}

/* Events come nearly in time order: find the place from the end. */
static void
add_step (PmTimeline *self,
          gint64      t,
          int         d_running,
          int         d_queued)
{
  Step step = { t, d_running, d_queued, 0, 0 };
  guint pos = self->steps->len;

  while (pos > 0 && g_array_index (self->steps, Step, pos - 1).t > t)
    pos--;
  g_array_insert_val (self->steps, pos, step);
  recount_steps (self, pos);
}

static void
invalidate_cache (PmTimeline *self)
{
  self->cache_valid = FALSE;
  g_ptr_array_set_size (self->cache_nodes, 0);
  g_array_set_size (self->pending, 0);
}

static gboolean
job_has_bar (PmJob *job)
{
  return pm_job_is_finished (job) &&
         pm_job_get_state (job) != PM_JOB_STATE_CANCELLED &&
         pm_job_get_start_time (job) > 0;
}

static Bar
bar_from_job (PmJob *job)
{
  Bar bar;

  bar.job = job;
  bar.start = pm_job_get_start_time (job);
  bar.end = MAX (pm_job_get_end_time (job), bar.start);
  bar.slot = pm_job_get_slot (job);
  bar.state = pm_job_get_state (job);
  return bar;
}

static void
note_bar (PmTimeline *self,
          const Bar  *bar)
{
  self->max_duration = MAX (self->max_duration, bar->end - bar->start);
  self->max_end = MAX (self->max_end, bar->end);
  self->max_slot = MAX (self->max_slot, bar->slot);
}

static void
add_bar (PmTimeline *self,
         PmJob      *job)
{
  Bar bar = bar_from_job (job);
  guint pos = self->bars->len;

  while (pos > 0 && g_array_index (self->bars, Bar, pos - 1).start > bar.start)
    pos--;
  g_array_insert_val (self->bars, pos, bar);
  note_bar (self, &bar);
  if (self->cache_valid)
    g_array_append_val (self->pending, bar);
}

/* Rebuilds everything from the pool's jobs: for a new pool or one read from a log. */
static void
rebuild (PmTimeline *self)
{
  guint n;
  gint64 end_time;

  g_array_set_size (self->bars, 0);
  g_array_set_size (self->steps, 0);
  g_ptr_array_set_size (self->running, 0);
  self->max_duration = 0;
  self->max_end = 0;
  self->max_slot = 0;
  self->max_running = 0;
  self->max_queued = 0;
  self->queue_cursor = 0;
  invalidate_cache (self);

  if (self->pool == NULL)
    return;

  end_time = pm_pool_get_end_time (self->pool);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->pool));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (self->pool), i);
      PmJobState state = pm_job_get_state (job);
      gint64 queued = pm_job_get_queued_time (job);
      gint64 start = pm_job_get_start_time (job);
      gint64 end = pm_job_get_end_time (job);
      Step step = { 0, };

      if (queued > 0)
        {
          step.t = queued;
          step.d_queued = 1;
          g_array_append_val (self->steps, step);
        }
      if (start > 0)
        {
          step.t = start;
          step.d_queued = queued > 0 ? -1 : 0;
          step.d_running = 1;
          g_array_append_val (self->steps, step);
          if (pm_job_is_finished (job))
            {
              Bar bar = bar_from_job (job);

              g_array_append_val (self->bars, bar);
              note_bar (self, &bar);
              step.t = bar.end;
              step.d_queued = 0;
              step.d_running = -1;
              g_array_append_val (self->steps, step);
            }
          else
            {
              g_ptr_array_add (self->running, job);
              self->max_slot = MAX (self->max_slot, pm_job_get_slot (job));
            }
        }
      else if (state == PM_JOB_STATE_CANCELLED && queued > 0)
        {
          step.t = MAX (end_time > 0 ? end_time : end, queued);
          step.d_queued = -1;
          step.d_running = 0;
          g_array_append_val (self->steps, step);
        }
    }

  g_array_sort (self->bars, compare_bar_start);
  g_array_sort (self->steps, compare_step_time);
  recount_steps (self, 0);
}

static gint64
run_origin (PmTimeline *self)
{
  gint64 start = self->pool ? pm_pool_get_start_time (self->pool) : 0;

  if (start > 0)
    return start;
  if (self->steps->len > 0)
    return g_array_index (self->steps, Step, 0).t;
  return 0;
}

static gboolean
pool_is_live (PmTimeline *self)
{
  return self->pool != NULL && pm_pool_is_active (self->pool);
}

/* The end of the run so far: now while it is active. */
static gint64
run_end (PmTimeline *self)
{
  gint64 end;

  if (self->pool == NULL)
    return 0;
  if (pool_is_live (self))
    return g_get_real_time ();
  end = pm_pool_get_end_time (self->pool);
  end = MAX (end, self->max_end);
  if (self->steps->len > 0)
    end = MAX (end, g_array_index (self->steps, Step, self->steps->len - 1).t);
  return end;
}

static guint
current_limit (PmTimeline *self)
{
  return self->pool ? pm_pool_get_max_workers (self->pool) : 1;
}

static guint
count_lanes (PmTimeline *self)
{
  guint n = MAX (current_limit (self), self->max_slot);

  if (self->pool != NULL)
    {
      guint n_changes;
      const PmLimitChange *changes = pm_pool_get_limit_changes (self->pool, &n_changes);

      for (guint i = 0; i < n_changes; i++)
        n = MAX (n, changes[i].limit);
      for (guint i = 0; i < self->running->len; i++)
        n = MAX (n, pm_job_get_slot (g_ptr_array_index (self->running, i)));
    }
  return MAX (n, 1);
}

static guint
max_limit (PmTimeline *self)
{
  guint n = current_limit (self);

  if (self->pool != NULL)
    {
      guint n_changes;
      const PmLimitChange *changes = pm_pool_get_limit_changes (self->pool, &n_changes);

      for (guint i = 0; i < n_changes; i++)
        n = MAX (n, changes[i].limit);
    }
  return n;
}

/* Geometry */

static void
layout_view (PmTimeline *self,
             View       *view,
             double      width,
             double      height)
{
  double fixed, avail, lanes_h, chart_h;

  view->width = width;
  view->height = height;
  view->n_lanes = count_lanes (self);

  fixed = TOP_H + AXIS_H + GAP_H + LEGEND_H + 4;
  avail = height - fixed - CHART_MIN_H;
  view->lane_h = CLAMP (avail / view->n_lanes, 0.5, LANE_MAX_H);
  lanes_h = view->lane_h * view->n_lanes;
  chart_h = CLAMP (height - fixed - lanes_h, CHART_MIN_H, CHART_MAX_H);

  graphene_rect_init (&view->top, LABEL_W, 0, MAX (width - LABEL_W - QUEUE_W, 10), TOP_H);
  graphene_rect_init (&view->lanes, LABEL_W, TOP_H, view->top.size.width, lanes_h);
  graphene_rect_init (&view->axis, LABEL_W, TOP_H + lanes_h, view->top.size.width, AXIS_H);
  graphene_rect_init (&view->legend, LABEL_W, TOP_H + lanes_h + AXIS_H + GAP_H,
                      view->top.size.width, LEGEND_H);
  graphene_rect_init (&view->chart, LABEL_W, view->legend.origin.y + LEGEND_H,
                      view->top.size.width, chart_h);
  graphene_rect_init (&view->queue, width - QUEUE_W + 8, TOP_H, QUEUE_W - 12,
                      MAX (lanes_h, 3 * 22.0));
}

static double
lanes_width (PmTimeline *self)
{
  return MAX (gtk_widget_get_width (GTK_WIDGET (self)) - LABEL_W - QUEUE_W, 10);
}

/* Seconds the run spans so far */
static double
run_span (PmTimeline *self)
{
  gint64 origin = run_origin (self);
  gint64 end = run_end (self);

  if (origin == 0 || end <= origin)
    return 0;
  return (end - origin) / 1e6;
}

/* The span a fitted view shows: a live run gets room to grow, in steps, so that the zoom (and
 * the cache) changes only now and then. */
static double
fitted_span (PmTimeline *self,
             gboolean    live)
{
  double span = run_span (self);

  if (live)
    {
      if (self->fit_span <= 0 || span > self->fit_span * 0.92)
        self->fit_span = MAX (10.0, span * 1.5);
      return self->fit_span;
    }
  self->fit_span = 0;
  if (span <= 0)
    return 10.0;
  return span * 1.02;
}

static void
set_zoom_internal (PmTimeline *self,
                   double      zoom)
{
  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
}

static void
clamp_offset (PmTimeline *self)
{
  double visible = lanes_width (self) / self->zoom;
  double span = MAX (run_span (self), 0);
  double max_offset = MAX (0, span - visible * 0.9);

  self->offset = CLAMP (self->offset, 0, max_offset);
}

/* Applies fit and follow; called on allocation, on ticks and when the pool changes. */
static void
update_view (PmTimeline *self)
{
  double width = lanes_width (self);
  gboolean live = pool_is_live (self);

  if (self->fit)
    {
      set_zoom_internal (self, width / fitted_span (self, live));
      self->offset = 0;
      return;
    }

  if (self->follow && live)
    {
      double visible = width / self->zoom;
      double now = run_span (self);

      if (now > self->offset + visible * 0.95 || now < self->offset)
        self->offset = MAX (0, now - visible * 0.85);
    }
  clamp_offset (self);
}

static double
x_of_time (const View *view,
           gint64      t)
{
  return view->lanes.origin.x + ((t - view->origin) / 1e6 - view->offset) * view->zoom;
}

static double
lane_y (const View *view,
        guint       slot)
{
  return view->lanes.origin.y + (slot - 1) * view->lane_h;
}

static void
view_colors (PmTimeline *self,
             View       *view)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, &view->fg);
}

static void
widget_view (PmTimeline *self,
             View       *view)
{
  layout_view (self, view, gtk_widget_get_width (GTK_WIDGET (self)),
               gtk_widget_get_height (GTK_WIDGET (self)));
  view->origin = run_origin (self);
  view->live = pool_is_live (self);
  view->now = run_end (self);
  view->offset = self->offset;
  view->zoom = self->zoom;
  view->export = FALSE;
  view_colors (self, view);
}

static void
export_view (PmTimeline *self,
             View       *view,
             int         width,
             int         height)
{
  layout_view (self, view, width, height);
  view->origin = run_origin (self);
  view->live = pool_is_live (self);
  view->now = run_end (self);
  view->offset = 0;
  view->zoom = view->lanes.size.width / (view->live ? MAX (run_span (self) * 1.05, 1.0)
                                                    : fitted_span (self, FALSE));
  view->export = TRUE;
  view->fg = export_fg;
}

/* Text */

static PangoLayout *
get_layout (PmTimeline *self,
            const char *text,
            double      scale,
            gboolean    bold)
{
  PangoFontDescription *desc;
  PangoContext *context;

  if (self->layout == NULL)
    self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);

  context = pango_layout_get_context (self->layout);
  desc = pango_font_description_copy (pango_context_get_font_description (context));
  if (pango_font_description_get_size (desc) <= 0)
    pango_font_description_set_size (desc, 10 * PANGO_SCALE);
  pango_font_description_set_size (desc, (int)(pango_font_description_get_size (desc) * scale));
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (self->layout, desc);
  pango_font_description_free (desc);

  pango_layout_set_width (self->layout, -1);
  pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text (self->layout, text, -1);
  return self->layout;
}

static void
draw_text (GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           double         x,
           double         y,
           const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
text_size (PangoLayout *layout,
           int         *w,
           int         *h)
{
  pango_layout_get_pixel_size (layout, w, h);
}

static void
fill_rect (GtkSnapshot   *snapshot,
           const GdkRGBA *color,
           double         x,
           double         y,
           double         w,
           double         h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

static void
fill_rounded (GtkSnapshot   *snapshot,
              const GdkRGBA *color,
              double         x,
              double         y,
              double         w,
              double         h,
              double         radius)
{
  GskRoundedRect rounded;

  radius = MIN (radius, MIN (w, h) / 2);
  if (radius < 1)
    {
      fill_rect (snapshot, color, x, y, w, h);
      return;
    }
  gsk_rounded_rect_init_from_rect (&rounded, &GRAPHENE_RECT_INIT (x, y, w, h), radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  fill_rect (snapshot, color, x, y, w, h);
  gtk_snapshot_pop (snapshot);
}

static void
dashed_vline (GtkSnapshot   *snapshot,
              const GdkRGBA *color,
              double         x,
              double         y0,
              double         y1,
              double         width)
{
  for (double y = y0; y < y1; y += 7)
    fill_rect (snapshot, color, x - width / 2, y, width, MIN (4, y1 - y));
}

static void
dashed_hline (GtkSnapshot   *snapshot,
              const GdkRGBA *color,
              double         x0,
              double         x1,
              double         y,
              double         width)
{
  for (double x = x0; x < x1; x += 8)
    fill_rect (snapshot, color, x, y - width / 2, MIN (5, x1 - x), width);
}

/* Bars */

static void
bar_rect (const View *view,
          gint64      start,
          gint64      end,
          guint       slot,
          graphene_rect_t *rect)
{
  double x0 = x_of_time (view, start);
  double x1 = x_of_time (view, end);
  double y = lane_y (view, slot);
  double pad = view->lane_h >= 12 ? 3 : view->lane_h >= 4 ? 1 : 0;

  if (x1 - x0 < 1.5)
    x1 = x0 + 1.5;
  graphene_rect_init (rect, x0, y + pad, x1 - x0, MAX (view->lane_h - 2 * pad, 0.5));
}

static void
draw_bar (PmTimeline    *self,
          GtkSnapshot   *snapshot,
          const View    *view,
          PmJob         *job,
          PmJobState     state,
          const graphene_rect_t *rect)
{
  GdkRGBA color;
  double w = rect->size.width, h = rect->size.height;
  double inset = w > 6 && h > 6 ? 0.5 : 0;

  _pm_timeline_get_state_color (state, &color);
  if (w >= 6 && h >= 10)
    fill_rounded (snapshot, &color, rect->origin.x + inset, rect->origin.y, w - 2 * inset, h, 4);
  else
    fill_rect (snapshot, &color, rect->origin.x, rect->origin.y, w, h);

  if (w >= 28 && h >= 13)
    {
      PangoLayout *layout = get_layout (self, pm_job_get_name (job), h >= 20 ? 0.9 : 0.75,
                                        FALSE);
      int tw, th;

      pango_layout_set_width (layout, (int)((w - 10) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      text_size (layout, &tw, &th);
      if (th <= h + 2)
        draw_text (snapshot, layout, rect->origin.x + 5, rect->origin.y + (h - th) / 2,
                   state == PM_JOB_STATE_PAUSED ? &view->fg : &white);
    }
}

/* Consecutive thin bars of one lane and state that touch are merged into one rectangle, so a
 * zoomed-out run of many short jobs stays a few nodes per pixel column at most. */
typedef struct
{
  double     x0, x1;
  PmJobState state;
  gboolean   open;
} LaneRun;

static void
flush_run (GtkSnapshot *snapshot,
           const View  *view,
           LaneRun     *run,
           guint        slot)
{
  graphene_rect_t rect;
  GdkRGBA color;
  double pad = view->lane_h >= 12 ? 3 : view->lane_h >= 4 ? 1 : 0;

  if (!run->open)
    return;
  _pm_timeline_get_state_color (run->state, &color);
  graphene_rect_init (&rect, run->x0, lane_y (view, slot) + pad, run->x1 - run->x0,
                      MAX (view->lane_h - 2 * pad, 0.5));
  gtk_snapshot_append_color (snapshot, &color, &rect);
  run->open = FALSE;
}

/* Draws the finished bars that overlap [t0, t1] (wall µs) and returns how many it visited. */
static guint
draw_finished_bars (PmTimeline  *self,
                    GtkSnapshot *snapshot,
                    const View  *view,
                    const Bar   *bars,
                    guint        n_bars,
                    gboolean     sorted,
                    gint64       t0,
                    gint64       t1)
{
  guint first = 0, n_drawn = 0;
  LaneRun *runs = g_new0 (LaneRun, view->n_lanes + 1);

  if (sorted)
    first = bars_lower_bound (self->bars, t0 - self->max_duration - 1);

  for (guint i = first; i < n_bars; i++)
    {
      const Bar *bar = &bars[i];
      graphene_rect_t rect;
      LaneRun *run;

      if (bar->start > t1)
        {
          if (sorted)
            break;
          continue;
        }
      if (bar->end < t0 || bar->slot == 0 || bar->slot > view->n_lanes)
        continue;

      n_drawn++;
      bar_rect (view, bar->start, bar->end, bar->slot, &rect);
      run = &runs[bar->slot];
      if (rect.size.width < 6)
        {
          double x1 = rect.origin.x + rect.size.width;

          if (run->open && run->state == bar->state && rect.origin.x <= run->x1 + 1)
            {
              run->x1 = MAX (run->x1, x1);
              continue;
            }
          flush_run (snapshot, view, run, bar->slot);
          run->x0 = rect.origin.x;
          run->x1 = x1;
          run->state = bar->state;
          run->open = TRUE;
          continue;
        }
      flush_run (snapshot, view, run, bar->slot);
      draw_bar (self, snapshot, view, bar->job, bar->state, &rect);
    }
  for (guint slot = 1; slot <= view->n_lanes; slot++)
    flush_run (snapshot, view, &runs[slot], slot);
  g_free (runs);

  return n_drawn;
}

/* The chart */

static double
nice_ceiling (double top)
{
  double nice[] = { 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
  double scale = 1;

  top = MAX (top, 1);
  while (top > 10 * scale)
    scale *= 10;
  for (guint i = 0; i < G_N_ELEMENTS (nice); i++)
    if (nice[i] * scale >= top)
      return nice[i] * scale;
  return 10 * scale;
}

/* When far more jobs wait than may run, the queue gets a scale of its own (labelled at the
 * right), or the running and limit lines would be flat on the floor. */
static gboolean
chart_split (PmTimeline *self)
{
  int low = MAX (self->max_running, (int)max_limit (self));

  return self->max_queued > 4 * MAX (low, 1);
}

static double
chart_max (PmTimeline *self)
{
  int low = MAX (self->max_running, (int)max_limit (self));

  return nice_ceiling (chart_split (self) ? low : MAX (low, self->max_queued));
}

static double
queued_max (PmTimeline *self)
{
  return chart_split (self) ? nice_ceiling (self->max_queued) : chart_max (self);
}

static double
chart_y (const View *view,
         double      top,
         double      value)
{
  return view->chart.origin.y + view->chart.size.height * (1 - value / top);
}

typedef int (*StepValue) (const Step *step);

static int step_running (const Step *step) { return step->running; }
static int step_queued (const Step *step) { return step->queued; }

/* A step line decimated to pixel columns: each column that holds changes draws its min..max
 * as a vertical stroke, flat stretches are single horizontal strokes. */
static void
draw_series (PmTimeline    *self,
             GtkSnapshot   *snapshot,
             const View    *view,
             StepValue      value_of,
             const GdkRGBA *color,
             const GdkRGBA *area,
             double         top,
             gint64         t0,
             gint64         t1)
{
  GArray *steps = self->steps;
  guint i = steps_upper_bound (steps, t0);
  int value = i > 0 ? value_of (&g_array_index (steps, Step, i - 1)) : 0;
  double x = MAX (x_of_time (view, t0), x_of_time (view, view->origin));
  double end_x = MIN (x_of_time (view, t1), x_of_time (view, view->now));
  const double lw = 2;

  if (steps->len == 0 || end_x <= x)
    return;

  while (x < end_x)
    {
      double next_x = end_x;
      int lo = value, hi = value;

      /* Changes within this pixel column */
      while (i < steps->len)
        {
          const Step *step = &g_array_index (steps, Step, i);
          double sx = x_of_time (view, step->t);

          if (sx >= end_x)
            break;
          if (sx > x + 1)
            {
              next_x = sx;
              break;
            }
          value = value_of (step);
          i++;
        }
      /* Only the change across the column: a slot freed and refilled within a pixel's time
       * is not worth a spike. */
      lo = MIN (lo, value);
      hi = MAX (hi, value);

      if (hi != lo)
        fill_rect (snapshot, color, floor (x) - lw / 2, chart_y (view, top, hi) - lw / 2,
                   lw, chart_y (view, top, lo) - chart_y (view, top, hi) + lw);
      /* The flat stretch up to the next change */
      if (area != NULL && value > 0)
        fill_rect (snapshot, area, x, chart_y (view, top, value), next_x - x,
                   chart_y (view, top, 0) - chart_y (view, top, value));
      fill_rect (snapshot, color, x, chart_y (view, top, value) - lw / 2,
                 next_x - x + (next_x < end_x ? lw / 2 : 0), lw);
      x = next_x;
    }
}

static void
draw_limit_series (PmTimeline    *self,
                   GtkSnapshot   *snapshot,
                   const View    *view,
                   const GdkRGBA *color,
                   double         top)
{
  guint n_changes = 0;
  const PmLimitChange *changes = NULL;
  double end_x = x_of_time (view, view->now);
  double prev_y = -1;

  if (self->pool == NULL || view->origin == 0)
    return;
  changes = pm_pool_get_limit_changes (self->pool, &n_changes);
  for (guint i = 0; i < n_changes || (i == 0 && n_changes == 0); i++)
    {
      gint64 t = n_changes ? changes[i].time : view->origin;
      guint limit = n_changes ? changes[i].limit : current_limit (self);
      double x0 = x_of_time (view, MAX (t, view->origin));
      double x1 = i + 1 < n_changes ? x_of_time (view, changes[i + 1].time) : end_x;
      double y = chart_y (view, top, limit);

      x0 = MAX (x0, view->chart.origin.x);
      x1 = MIN (x1, view->chart.origin.x + view->chart.size.width);
      if (x1 > x0)
        dashed_hline (snapshot, color, x0, x1, y, 2);
      if (prev_y >= 0 && x0 >= view->chart.origin.x)
        dashed_vline (snapshot, color, x0, MIN (prev_y, y), MAX (prev_y, y) + 1, 2);
      prev_y = y;
    }
}

/* Everything that depends only on finished jobs, the series and the zoom: cached. */
static void
draw_static (PmTimeline  *self,
             GtkSnapshot *snapshot,
             const View  *view,
             gint64       t0,
             gint64       t1,
             guint       *n_bars)
{
  *n_bars = draw_finished_bars (self, snapshot, view, (const Bar *)(gpointer)self->bars->data,
                                self->bars->len, TRUE, t0, t1);
}

static void
draw_chart (PmTimeline  *self,
            GtkSnapshot *snapshot,
            const View  *view,
            gint64       t0,
            gint64       t1)
{
  double top = chart_max (self);
  GdkRGBA area = with_alpha (&running_color, 0.22);

  draw_series (self, snapshot, view, step_queued, &queued_color, NULL, queued_max (self), t0, t1);
  draw_series (self, snapshot, view, step_running, &running_color, &area, top, t0, t1);
}

/* Time axis */

static double
tick_step (double zoom)
{
  static const double steps[] = { 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
                                  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
                                  7200, 14400, 28800, 86400 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * zoom >= 64)
      return steps[i];
  return 86400 * ceil (64 / (86400 * zoom));
}

static char *
format_seconds (double s,
                double step)
{
  if (step >= 60 || s >= 600)
    {
      int total = (int)round (s);

      if (total >= 3600)
        return g_strdup_printf ("%d:%02d:%02d", total / 3600, (total / 60) % 60, total % 60);
      return g_strdup_printf ("%d:%02d", total / 60, total % 60);
    }
  if (step >= 1)
    return g_strdup_printf ("%.0f s", s);
  if (step >= 0.1)
    return g_strdup_printf ("%.1f s", s);
  if (step >= 0.01)
    return g_strdup_printf ("%.2f s", s);
  return g_strdup_printf ("%.3f s", s);
}

static void
draw_axis (PmTimeline  *self,
           GtkSnapshot *snapshot,
           const View  *view)
{
  GdkRGBA line = with_alpha (&view->fg, 0.35);
  GdkRGBA grid = with_alpha (&view->fg, 0.07);
  GdkRGBA text = with_alpha (&view->fg, 0.7);
  double step = tick_step (view->zoom);
  double first = ceil (view->offset / step) * step;
  double visible = view->lanes.size.width / view->zoom;
  double right = view->lanes.origin.x + view->lanes.size.width;

  fill_rect (snapshot, &line, view->axis.origin.x, view->axis.origin.y, view->axis.size.width, 1);
  for (double s = first; s <= view->offset + visible + step / 2; s += step)
    {
      double x = view->lanes.origin.x + (s - view->offset) * view->zoom;
      g_autofree char *label = NULL;
      PangoLayout *layout;
      int tw, th;

      if (x > right + 0.5)
        break;
      fill_rect (snapshot, &grid, x, view->lanes.origin.y, 1, view->lanes.size.height);
      fill_rect (snapshot, &grid, x, view->chart.origin.y, 1, view->chart.size.height);
      fill_rect (snapshot, &line, x, view->axis.origin.y, 1, 5);
      label = format_seconds (s, step);
      layout = get_layout (self, label, 0.8, FALSE);
      text_size (layout, &tw, &th);
      draw_text (snapshot, layout, CLAMP (x - tw / 2., view->axis.origin.x - 8, right - tw + 6),
                 view->axis.origin.y + 5, &text);
    }
}

/* Lanes, limit marks */

static void
draw_lanes_background (PmTimeline  *self,
                       GtkSnapshot *snapshot,
                       const View  *view)
{
  GdkRGBA even = with_alpha (&view->fg, 0.035);
  GdkRGBA odd = with_alpha (&view->fg, 0.065);
  GdkRGBA label = with_alpha (&view->fg, 0.75);
  guint every = view->lane_h >= 13 ? 1 : (guint)ceil (13 / MAX (view->lane_h, 0.5));

  for (guint slot = 1; slot <= view->n_lanes; slot++)
    {
      double y = lane_y (view, slot);

      fill_rect (snapshot, slot % 2 ? &even : &odd, view->lanes.origin.x, y,
                 view->lanes.size.width, view->lane_h);
      if ((slot - 1) % every == 0 || slot == view->n_lanes)
        {
          g_autofree char *text = g_strdup_printf ("slot %u", slot);
          PangoLayout *layout = get_layout (self, text, view->lane_h >= 20 ? 0.85 : 0.7, FALSE);
          int tw, th;

          if (slot != view->n_lanes && (slot - 1) % every != 0)
            continue;
          if (slot == view->n_lanes && every > 1 && (slot - 1) % every != 0 &&
              (slot - 1) % every < every / 2)
            continue;
          text_size (layout, &tw, &th);
          draw_text (snapshot, layout, LABEL_W - tw - 8,
                     y + MAX ((view->lane_h - th) / 2, -th / 2.), &label);
        }
    }
}

/* Lanes above the limit are shaded for the time they were above it, with the limit drawn as a
 * dashed ceiling; each change gets a dashed mark across the lanes and a "limit N" label. */
static void
draw_limits (PmTimeline  *self,
             GtkSnapshot *snapshot,
             const View  *view)
{
  GdkRGBA shade = with_alpha (&view->fg, 0.13);
  GdkRGBA mark = with_alpha (&view->fg, 0.8);
  GdkRGBA pill = with_alpha (&view->fg, 0.85);
  GdkRGBA pill_text = view->export ? export_bg : white;
  PmLimitChange fallback;
  const PmLimitChange *changes;
  guint n_changes = 0;
  double left = view->lanes.origin.x;
  double right = left + view->lanes.size.width;
  double end_x = view->origin ? MIN (x_of_time (view, view->now), right) : right;
  double last_label_x = -G_MAXDOUBLE;

  if (self->pool == NULL)
    return;
  changes = pm_pool_get_limit_changes (self->pool, &n_changes);
  if (n_changes == 0)
    {
      fallback.time = view->origin;
      fallback.limit = current_limit (self);
      changes = &fallback;
      n_changes = 1;
    }

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (left, 0, right - left, view->height));
  for (guint i = 0; i < n_changes; i++)
    {
      double x0 = view->origin ? x_of_time (view, changes[i].time) : left;
      double x1 = i + 1 < n_changes ? x_of_time (view, changes[i + 1].time) : end_x;
      double ceiling = lane_y (view, changes[i].limit + 1);
      double y_end = view->lanes.origin.y + view->lanes.size.height;

      /* Before the run starts the whole width shows the limit. */
      if (view->origin == 0 || (!view->live && i + 1 == n_changes))
        x1 = MAX (x1, right);
      if (i == 0)
        x0 = MIN (x0, left);
      if (x1 > x0 && changes[i].limit < view->n_lanes)
        {
          fill_rect (snapshot, &shade, x0, ceiling, x1 - x0, y_end - ceiling);
          dashed_hline (snapshot, &mark, MAX (x0, left), MIN (x1, right), ceiling, 2);
        }
      if (i > 0)
        {
          double prev = lane_y (view, changes[i - 1].limit + 1);

          dashed_vline (snapshot, &mark, x0, view->top.origin.y + 4, y_end, 2);
          if (changes[i - 1].limit < view->n_lanes || changes[i].limit < view->n_lanes)
            fill_rect (snapshot, &mark, x0 - 1, MIN (prev, ceiling), 2, fabs (prev - ceiling));
        }

      /* The label */
      {
        g_autofree char *text = g_strdup_printf ("limit %u", changes[i].limit);
        PangoLayout *layout = get_layout (self, text, 0.8, TRUE);
        double lx = MAX (x0, left);
        int tw, th;

        text_size (layout, &tw, &th);
        if (lx + tw + 10 > right)
          lx = right - tw - 10;
        if (lx < last_label_x)
          lx = last_label_x;
        if (lx + tw + 10 <= right + 1 && x1 >= left)
          {
            fill_rounded (snapshot, &pill, lx, view->top.origin.y + 2, tw + 10, TOP_H - 5,
                          (TOP_H - 5) / 2);
            draw_text (snapshot, layout, lx + 5, view->top.origin.y + 2 + (TOP_H - 5 - th) / 2,
                       &pill_text);
            last_label_x = lx + tw + 14;
          }
      }
    }
  gtk_snapshot_pop (snapshot);
}

static void
draw_running (PmTimeline  *self,
              GtkSnapshot *snapshot,
              const View  *view,
              guint       *n_bars)
{
  gint64 t1 = view->origin + (gint64)((view->offset + view->lanes.size.width / view->zoom) * 1e6);

  for (guint i = 0; i < self->running->len; i++)
    {
      PmJob *job = g_ptr_array_index (self->running, i);
      gint64 start = pm_job_get_start_time (job);
      guint slot = pm_job_get_slot (job);
      graphene_rect_t rect;

      if (start <= 0 || start > t1 || slot == 0 || slot > view->n_lanes)
        continue;
      bar_rect (view, start, MAX (view->now, start), slot, &rect);
      draw_bar (self, snapshot, view, job, pm_job_get_state (job), &rect);
      (*n_bars)++;
    }
}

static void
draw_selected (PmTimeline  *self,
               GtkSnapshot *snapshot,
               const View  *view)
{
  PmJob *job = self->selected;
  gint64 start, end;
  graphene_rect_t rect;
  GskRoundedRect outline;
  GdkRGBA color = view->fg;
  const float widths[4] = { 2, 2, 2, 2 };
  GdkRGBA colors[4];

  if (job == NULL || (start = pm_job_get_start_time (job)) <= 0 || pm_job_get_slot (job) == 0 ||
      pm_job_get_slot (job) > view->n_lanes)
    return;
  end = pm_job_is_finished (job) ? MAX (pm_job_get_end_time (job), start) : view->now;
  bar_rect (view, start, end, pm_job_get_slot (job), &rect);
  graphene_rect_inset (&rect, -2, -2);
  gsk_rounded_rect_init_from_rect (&outline, &rect, 5);
  for (guint i = 0; i < 4; i++)
    colors[i] = color;
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

static void
draw_now (PmTimeline  *self,
          GtkSnapshot *snapshot,
          const View  *view)
{
  double x = x_of_time (view, view->now);
  double right = view->lanes.origin.x + view->lanes.size.width;
  PangoLayout *layout;
  int tw, th;

  if (!view->live || x < view->lanes.origin.x || x > right)
    return;
  fill_rect (snapshot, &now_color, x - 1, view->lanes.origin.y - 4, 2,
             view->lanes.size.height + 4);
  fill_rect (snapshot, &now_color, x - 1, view->chart.origin.y, 2, view->chart.size.height);
  layout = get_layout (self, "now", 0.75, TRUE);
  text_size (layout, &tw, &th);
  if (x + 4 + tw < right)
    draw_text (snapshot, layout, x + 4, view->axis.origin.y + AXIS_H - 2, &now_color);
}

/* The queue column */

static void
find_queued (PmTimeline *self,
             PmJob     **jobs,
             guint       max,
             guint      *n_found)
{
  GListModel *model = G_LIST_MODEL (self->pool);
  guint n = g_list_model_get_n_items (model);
  gboolean leading = TRUE;

  *n_found = 0;
  for (guint i = self->queue_cursor; i < n && *n_found < max; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (model, i);

      if (pm_job_get_state (job) == PM_JOB_STATE_QUEUED)
        {
          jobs[(*n_found)++] = job;
          leading = FALSE;
        }
      else if (leading)
        self->queue_cursor = i + 1;
    }
}

static void
draw_queue (PmTimeline  *self,
            GtkSnapshot *snapshot,
            const View  *view,
            gboolean     record_chips)
{
  guint n_queued = self->pool ? pm_pool_get_n_queued (self->pool) : 0;
  GdkRGBA title = with_alpha (&view->fg, 0.75);
  GdkRGBA chip_bg = with_alpha (&queued_color, 0.16);
  GdkRGBA chip_edge = queued_color;
  GdkRGBA text = view->fg;
  double x = view->queue.origin.x, y = view->queue.origin.y;
  double w = view->queue.size.width;
  double bottom = view->queue.origin.y + view->queue.size.height;
  g_autofree char *heading = NULL;
  PmJob *jobs[MAX_CHIPS];
  guint n_found = 0, max_chips;
  PangoLayout *layout;
  int tw, th;

  GdkRGBA divider = with_alpha (&view->fg, 0.15);

  fill_rect (snapshot, &divider, x - 6, view->lanes.origin.y, 1, view->lanes.size.height);

  heading = n_queued ? g_strdup_printf ("Waiting: %u", n_queued) : g_strdup ("Waiting: none");
  layout = get_layout (self, heading, 0.85, TRUE);
  text_size (layout, &tw, &th);
  draw_text (snapshot, layout, x, y + 2, &title);
  y += th + 6;

  if (self->pool != NULL && !view->live && pm_pool_get_n_done (self->pool) > 0)
    {
      g_autofree char *summary = g_strdup_printf ("Done: %u\nFailed: %u",
                                                  pm_pool_get_n_done (self->pool),
                                                  pm_pool_get_n_failed (self->pool));

      layout = get_layout (self, summary, 0.8, FALSE);
      text_size (layout, &tw, &th);
      draw_text (snapshot, layout, x, y, &title);
      y += th + 6;
    }
  if (n_queued == 0 || self->pool == NULL)
    return;

  max_chips = (guint)MAX (0, (bottom - y) / 22);
  max_chips = MIN (max_chips, MIN (n_queued, MAX_CHIPS));
  if (max_chips < n_queued && max_chips > 0)
    max_chips--;   /* room for "+N more" */
  find_queued (self, jobs, max_chips, &n_found);

  for (guint i = 0; i < n_found; i++)
    {
      GskRoundedRect rounded;
      const float widths[4] = { 1, 1, 1, 1 };
      GdkRGBA edges[4] = { chip_edge, chip_edge, chip_edge, chip_edge };
      g_autofree char *label = g_strdup_printf ("%u  %s", pm_job_get_seq (jobs[i]),
                                                pm_job_get_name (jobs[i]));

      gsk_rounded_rect_init_from_rect (&rounded, &GRAPHENE_RECT_INIT (x, y, w, 18), 9);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      fill_rect (snapshot, &chip_bg, x, y, w, 18);
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_append_border (snapshot, &rounded, widths, edges);
      layout = get_layout (self, label, 0.75, FALSE);
      pango_layout_set_width (layout, (int)((w - 14) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      text_size (layout, &tw, &th);
      draw_text (snapshot, layout, x + 7, y + (18 - th) / 2., &text);
      if (record_chips)
        {
          Chip chip = { GRAPHENE_RECT_INIT (x, y, w, 18), jobs[i] };

          g_array_append_val (self->chips, chip);
        }
      y += 22;
    }
  if (n_found < n_queued)
    {
      g_autofree char *more = g_strdup_printf ("+%u more", n_queued - n_found);

      layout = get_layout (self, more, 0.75, FALSE);
      draw_text (snapshot, layout, x + 7, y + 1, &title);
    }
}

static void
draw_legend (PmTimeline  *self,
             GtkSnapshot *snapshot,
             const View  *view)
{
  GdkRGBA limit_color = with_alpha (&view->fg, 0.8);
  GdkRGBA text = with_alpha (&view->fg, 0.8);
  double x = view->legend.origin.x;
  double y = view->legend.origin.y;
  int running = 0, queued = 0;
  guint n = self->steps->len;
  struct { const char *name; const GdkRGBA *color; int value; gboolean dashed; } items[3];
  double top = chart_max (self);
  PangoLayout *layout;
  int tw, th;

  if (n > 0)
    {
      guint i = steps_upper_bound (self->steps, view->now);
      const Step *step = i > 0 ? &g_array_index (self->steps, Step, i - 1) : NULL;

      running = step ? step->running : 0;
      queued = step ? step->queued : 0;
    }
  if (self->pool && pool_is_live (self))
    {
      running = pm_pool_get_n_running (self->pool);
      queued = pm_pool_get_n_queued (self->pool);
    }

  items[0].name = "running"; items[0].color = &running_color; items[0].value = running;
  items[0].dashed = FALSE;
  items[1].name = "queued"; items[1].color = &queued_color; items[1].value = queued;
  items[1].dashed = FALSE;
  items[2].name = "limit"; items[2].color = &limit_color; items[2].value = current_limit (self);
  items[2].dashed = TRUE;

  layout = get_layout (self, "Over time", 0.8, TRUE);
  text_size (layout, &tw, &th);
  draw_text (snapshot, layout, x, y + (LEGEND_H - th) / 2 - 2, &text);
  x += tw + 16;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *label = NULL;

      if (view->live || i == 2)
        label = g_strdup_printf ("%s %d", items[i].name, items[i].value);
      else
        label = g_strdup_printf ("%s (peak %d)", items[i].name,
                                 i == 0 ? self->max_running : self->max_queued);

      if (items[i].dashed)
        dashed_hline (snapshot, items[i].color, x, x + 18, y + LEGEND_H / 2 - 2, 2);
      else
        fill_rect (snapshot, items[i].color, x, y + LEGEND_H / 2 - 3, 18, 2);
      layout = get_layout (self, label, 0.8, FALSE);
      text_size (layout, &tw, &th);
      draw_text (snapshot, layout, x + 22, y + (LEGEND_H - th) / 2 - 2, &text);
      x += 22 + tw + 18;
    }

  /* y scale at the left of the chart */
  for (guint i = 0; i <= 2; i++)
    {
      double value = top * i / 2;
      g_autofree char *label = g_strdup_printf ("%g", value);

      layout = get_layout (self, label, 0.7, FALSE);
      text_size (layout, &tw, &th);
      draw_text (snapshot, layout, LABEL_W - tw - 8, chart_y (view, top, value) - th / 2., &text);
      GdkRGBA rule = with_alpha (&view->fg, i == 0 ? 0.35 : 0.08);

      fill_rect (snapshot, &rule, view->chart.origin.x, chart_y (view, top, value),
                 view->chart.size.width, 1);
      if (chart_split (self))
        {
          double qtop = queued_max (self);
          g_autofree char *qlabel = g_strdup_printf ("%g", qtop * i / 2);

          layout = get_layout (self, qlabel, 0.7, FALSE);
          text_size (layout, &tw, &th);
          draw_text (snapshot, layout, view->chart.origin.x + view->chart.size.width + 6,
                     chart_y (view, qtop, qtop * i / 2) - th / 2., &queued_color);
        }
    }
}

/* Assembly */

static gboolean
cache_matches (PmTimeline *self,
               const View *view)
{
  double visible = view->lanes.size.width / view->zoom;

  return self->cache_valid &&
         self->cache_zoom == view->zoom &&
         self->cache_origin == view->origin &&
         self->cache_lane_h == view->lane_h &&
         self->cache_n_lanes == view->n_lanes &&
         graphene_rect_equal (&self->cache_lanes, &view->lanes) &&
         gdk_rgba_equal (&self->cache_fg, &view->fg) &&
         view->offset >= self->cache_t0 &&
         view->offset + visible <= self->cache_t1;
}

/* The cached node is drawn as if offset were 0: it is translated into place. */
static void
build_cache (PmTimeline *self,
             const View *view)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  double visible = view->lanes.size.width / view->zoom;
  View at_zero = *view;
  GskRenderNode *node;
  guint n_bars = 0;

  invalidate_cache (self);
  at_zero.offset = 0;
  self->cache_t0 = MAX (0, view->offset - visible);
  self->cache_t1 = view->offset + 2 * visible;
  draw_static (self, snapshot, &at_zero,
               view->origin + (gint64)(self->cache_t0 * 1e6),
               view->origin + (gint64)(self->cache_t1 * 1e6), &n_bars);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    g_ptr_array_add (self->cache_nodes, node);

  self->cache_valid = TRUE;
  self->cache_zoom = view->zoom;
  self->cache_origin = view->origin;
  self->cache_lane_h = view->lane_h;
  self->cache_n_lanes = view->n_lanes;
  self->cache_lanes = view->lanes;
  self->cache_fg = view->fg;
  self->cache_n_bars = n_bars;
}

static void
draw_cached_bars (PmTimeline  *self,
                  GtkSnapshot *snapshot,
                  const View  *view)
{
  if (!cache_matches (self, view) || self->cache_nodes->len > MAX_INCREMENTS)
    build_cache (self, view);
  else if (self->pending->len > 0)
    {
      g_autoptr(GtkSnapshot) inc = gtk_snapshot_new ();
      View at_zero = *view;
      GskRenderNode *node;

      at_zero.offset = 0;
      self->cache_n_bars += draw_finished_bars (self, inc, &at_zero,
                                                (const Bar *)(gpointer)self->pending->data,
                                                self->pending->len, FALSE,
                                                view->origin + (gint64)(self->cache_t0 * 1e6),
                                                view->origin + (gint64)(self->cache_t1 * 1e6));
      g_array_set_size (self->pending, 0);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&inc));
      if (node != NULL)
        g_ptr_array_add (self->cache_nodes, node);
    }

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-view->offset * view->zoom, 0));
  for (guint i = 0; i < self->cache_nodes->len; i++)
    gtk_snapshot_append_node (snapshot, g_ptr_array_index (self->cache_nodes, i));
  gtk_snapshot_restore (snapshot);
  self->n_bars_drawn = self->cache_n_bars;
}

static void
draw_all (PmTimeline  *self,
          GtkSnapshot *snapshot,
          const View  *view,
          gboolean     use_cache)
{
  double visible = view->lanes.size.width / view->zoom;
  gint64 t0 = view->origin + (gint64)(view->offset * 1e6);
  gint64 t1 = view->origin + (gint64)((view->offset + visible) * 1e6);
  graphene_rect_t plot;
  guint n_running = 0;

  if (view->export)
    fill_rect (snapshot, &export_bg, 0, 0, view->width, view->height);

  draw_lanes_background (self, snapshot, view);
  draw_limits (self, snapshot, view);
  draw_axis (self, snapshot, view);
  draw_legend (self, snapshot, view);

  graphene_rect_init (&plot, view->lanes.origin.x, view->lanes.origin.y - 4,
                      view->lanes.size.width, view->lanes.size.height + 8);
  gtk_snapshot_push_clip (snapshot, &plot);
  if (view->origin != 0)
    {
      if (use_cache)
        draw_cached_bars (self, snapshot, view);
      else
        {
          guint n = 0;

          draw_static (self, snapshot, view, t0, t1, &n);
          self->n_bars_drawn = n;
        }
      draw_running (self, snapshot, view, &n_running);
      self->n_bars_drawn += n_running;
      draw_selected (self, snapshot, view);
    }
  gtk_snapshot_pop (snapshot);

  graphene_rect_init (&plot, view->chart.origin.x, view->chart.origin.y - 3,
                      view->chart.size.width, view->chart.size.height + 4);
  gtk_snapshot_push_clip (snapshot, &plot);
  if (view->origin != 0)
    {
      draw_chart (self, snapshot, view, t0, t1);
      GdkRGBA limit_color = with_alpha (&view->fg, 0.8);

      draw_limit_series (self, snapshot, view, &limit_color, chart_max (self));
    }
  gtk_snapshot_pop (snapshot);

  draw_now (self, snapshot, view);
  draw_queue (self, snapshot, view, use_cache);
}

/* GtkWidget */

static void
pm_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  PmTimeline *self = PM_TIMELINE (widget);
  View view;

  g_array_set_size (self->chips, 0);
  widget_view (self, &view);
  draw_all (self, snapshot, &view, TRUE);

  if (gtk_widget_has_visible_focus (widget))
    {
      GskRoundedRect outline;
      const float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA c = with_alpha (&running_color, 0.6);
      GdkRGBA colors[4] = { c, c, c, c };

      gsk_rounded_rect_init_from_rect (&outline,
                                       &GRAPHENE_RECT_INIT (1, 1, view.width - 2, view.height - 2),
                                       6);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }
}

static void
pm_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  PmTimeline *self = PM_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int)(LABEL_W + QUEUE_W + 160);
      *natural = (int)(LABEL_W + QUEUE_W + 640);
    }
  else
    {
      double fixed = TOP_H + AXIS_H + GAP_H + LEGEND_H + 4;
      guint lanes = MIN (count_lanes (self), 16);

      *minimum = (int)(fixed + CHART_MIN_H + 3 * 22);
      *natural = (int)(fixed + 130 + lanes * LANE_NAT_H);
    }
}

static void
pm_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  update_view (PM_TIMELINE (widget));
}

static void
pm_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  PmTimeline *self = PM_TIMELINE (widget);

  GTK_WIDGET_CLASS (pm_timeline_parent_class)->css_changed (widget, change);
  g_clear_object (&self->layout);
  invalidate_cache (self);
  gtk_widget_queue_draw (widget);
}

/* Ticking: only while the pool is active */

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  PmTimeline *self = PM_TIMELINE (widget);

  update_view (self);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
update_ticking (PmTimeline *self)
{
  gboolean want = pool_is_live (self) && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  else if (!want && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
pm_timeline_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pm_timeline_parent_class)->map (widget);
  update_ticking (PM_TIMELINE (widget));
}

static void
pm_timeline_unmap (GtkWidget *widget)
{
  PmTimeline *self = PM_TIMELINE (widget);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
    }
  GTK_WIDGET_CLASS (pm_timeline_parent_class)->unmap (widget);
}

/* Accessibility: the description follows the counts, at most twice a second */

static gboolean
update_description_cb (gpointer user_data)
{
  PmTimeline *self = user_data;
  g_autofree char *text = NULL;

  self->a11y_source = 0;
  if (self->pool == NULL)
    text = g_strdup ("No run");
  else
    text = g_strdup_printf ("%u running of limit %u, %u waiting, %u done, %u failed",
                            pm_pool_get_n_running (self->pool),
                            pm_pool_get_max_workers (self->pool),
                            pm_pool_get_n_queued (self->pool),
                            pm_pool_get_n_done (self->pool),
                            pm_pool_get_n_failed (self->pool));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  return G_SOURCE_REMOVE;
}

static void
queue_description (PmTimeline *self)
{
  if (self->a11y_source == 0)
    self->a11y_source = g_timeout_add (500, update_description_cb, self);
}

/* Pool signals */

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  PmTimeline *self)
{
  if (removed > 0 || pm_pool_get_state (self->pool) == PM_POOL_STATE_READ_ONLY)
    rebuild (self);
  else
    {
      for (guint i = position; i < position + added; i++)
        {
          g_autoptr(PmJob) job = g_list_model_get_item (model, i);
          gint64 queued = pm_job_get_queued_time (job);

          if (queued > 0 && pm_job_get_start_time (job) <= 0 && !pm_job_is_finished (job))
            add_step (self, queued, 0, 1);
        }
      self->queue_cursor = MIN (self->queue_cursor, position);
      invalidate_cache (self);
    }
  queue_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
job_started_cb (PmPool     *pool,
                PmJob      *job,
                PmTimeline *self)
{
  /* A retried job was queued again without an items-changed: count it as queued then. */
  if (pm_job_get_attempt (job) > 1)
    add_step (self, pm_job_get_queued_time (job), 0, 1);
  add_step (self, pm_job_get_start_time (job), 1, -1);
  g_ptr_array_add (self->running, job);
  if (pm_job_get_slot (job) > self->max_slot)
    {
      self->max_slot = pm_job_get_slot (job);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  /* Running bars and the chart are drawn every frame; the bar cache needs no change. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
job_finished_cb (PmPool     *pool,
                 PmJob      *job,
                 PmTimeline *self)
{
  if (g_ptr_array_remove_fast (self->running, job))
    {
      Bar bar = bar_from_job (job);

      add_step (self, bar.end, -1, 0);
      if (job_has_bar (job))
        add_bar (self, job);
    }
  else if (pm_job_get_start_time (job) <= 0)
    {
      /* Cancelled while waiting: it leaves the queue now. */
      add_step (self, MAX (g_get_real_time (), pm_job_get_queued_time (job)), 0, -1);
    }
  else if (job_has_bar (job))
    {
      /* Failed to start: never reported as started. */
      add_step (self, pm_job_get_start_time (job), 0, -1);
      add_bar (self, job);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
max_workers_cb (PmPool     *pool,
                GParamSpec *pspec,
                PmTimeline *self)
{
  invalidate_cache (self);
  queue_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
state_cb (PmPool     *pool,
          GParamSpec *pspec,
          PmTimeline *self)
{
  update_ticking (self);
  update_view (self);
  queue_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
counts_cb (PmPool     *pool,
           GParamSpec *pspec,
           PmTimeline *self)
{
  queue_description (self);
  if (!pool_is_live (self))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Input */

static void
zoom_around (PmTimeline *self,
             double      factor,
             double      x)
{
  double width = lanes_width (self);
  double anchor = CLAMP (x - LABEL_W, 0, width);
  double t = self->offset + anchor / self->zoom;

  self->fit = FALSE;
  set_zoom_internal (self, self->zoom * factor);
  self->offset = t - anchor / self->zoom;
  clamp_offset (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pan_by (PmTimeline *self,
        double      pixels)
{
  self->fit = FALSE;
  if (self->follow)
    {
      self->follow = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
    }
  self->offset += pixels / self->zoom;
  clamp_offset (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PmTimeline               *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (controller);
  double scale = unit == GDK_SCROLL_UNIT_WHEEL ? 48 : 1;

  if (state & GDK_CONTROL_MASK)
    {
      GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
      double x = LABEL_W + lanes_width (self) / 2, y;

      if (event != NULL)
        gdk_event_get_position (event, &x, &y);
      zoom_around (self, pow (unit == GDK_SCROLL_UNIT_WHEEL ? ZOOM_STEP : 1.01, -dy), x);
      return TRUE;
    }
  pan_by (self, (dx + dy) * scale);
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PmTimeline     *self)
{
  self->drag_offset = self->offset;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PmTimeline     *self)
{
  if (fabs (dx) < 3 && self->drag_offset == self->offset)
    return;
  self->offset = self->drag_offset;
  pan_by (self, -dx);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               PmTimeline       *self)
{
  double y;

  self->pinch_zoom = self->zoom;
  if (!gtk_gesture_get_bounding_box_center (gesture, &self->pinch_x, &y))
    self->pinch_x = LABEL_W + lanes_width (self) / 2;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       PmTimeline     *self)
{
  zoom_around (self, self->pinch_zoom * scale / self->zoom, self->pinch_x);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   PmTimeline      *self)
{
  PmJob *job = _pm_timeline_hit_test (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (job != NULL)
    {
      g_autoptr(PmJob) hold = g_object_ref (job);

      pm_timeline_set_selected_job (self, job);
      g_signal_emit (self, signals[JOB_ACTIVATED], 0, job);
    }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PmTimeline            *self)
{
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      pm_timeline_zoom_in (self);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      pm_timeline_zoom_out (self);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      pm_timeline_zoom_fit (self);
      return TRUE;
    case GDK_KEY_Left:
      pan_by (self, -lanes_width (self) / 8);
      return TRUE;
    case GDK_KEY_Right:
      pan_by (self, lanes_width (self) / 8);
      return TRUE;
    case GDK_KEY_Home:
      pan_by (self, -G_MAXINT / 4.0);
      return TRUE;
    case GDK_KEY_End:
      pan_by (self, G_MAXINT / 4.0);
      pm_timeline_set_follow (self, TRUE);
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
format_job_tooltip (PmTimeline *self,
                    PmJob      *job,
                    const Bar  *bar)
{
  PmJobState state = bar ? bar->state : pm_job_get_state (job);
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "#%u %s — %s", pm_job_get_seq (job), pm_job_get_name (job),
                          pm_job_state_to_label (state));
  if (bar != NULL || pm_job_get_start_time (job) > 0)
    {
      gint64 start = bar ? bar->start : pm_job_get_start_time (job);
      gint64 end = bar ? bar->end : g_get_real_time ();
      guint slot = bar ? bar->slot : pm_job_get_slot (job);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (start / G_USEC_PER_SEC);
      g_autofree char *clock = dt ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("?");
      gint64 origin = run_origin (self);

      g_string_append_printf (text, ", slot %u, started %s (+%.1f s), %s %.1f s", slot, clock,
                              origin ? (start - origin) / 1e6 : 0.0,
                              bar ? "ran" : "running for", (end - start) / 1e6);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The bar record at a point, or NULL; *running_job is set for a running job's bar. */
static const Bar *
hit_bar (PmTimeline *self,
         const View *view,
         double      x,
         double      y,
         PmJob     **running_job)
{
  guint slot;
  gint64 t, tol;
  const Bar *best = NULL;

  *running_job = NULL;
  if (self->pool == NULL || view->origin == 0 ||
      x < view->lanes.origin.x || x > view->lanes.origin.x + view->lanes.size.width ||
      y < view->lanes.origin.y || y >= view->lanes.origin.y + view->lanes.size.height)
    return NULL;

  slot = (guint)((y - view->lanes.origin.y) / view->lane_h) + 1;
  t = view->origin + (gint64)((view->offset + (x - view->lanes.origin.x) / view->zoom) * 1e6);
  tol = (gint64)(1.5 / view->zoom * 1e6);

  for (guint i = 0; i < self->running->len; i++)
    {
      PmJob *job = g_ptr_array_index (self->running, i);
      gint64 start = pm_job_get_start_time (job);

      if (pm_job_get_slot (job) == slot && start - tol <= t && t <= view->now + tol)
        {
          *running_job = job;
          return NULL;
        }
    }

  for (guint i = bars_lower_bound (self->bars, t - self->max_duration - tol);
       i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);

      if (bar->start > t + tol)
        break;
      if (bar->slot != slot || bar->end + tol < t)
        continue;
      if (bar->start <= t && t <= bar->end)
        return bar;
      best = bar;
    }
  return best;
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  PmTimeline *self)
{
  View view;
  PmJob *running = NULL;
  const Bar *bar;
  g_autofree char *text = NULL;

  for (guint i = 0; i < self->chips->len; i++)
    {
      Chip *chip = &g_array_index (self->chips, Chip, i);

      if (graphene_rect_contains_point (&chip->rect, &GRAPHENE_POINT_INIT (x, y)))
        {
          text = format_job_tooltip (self, chip->job, NULL);
          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }

  widget_view (self, &view);
  bar = hit_bar (self, &view, x, y, &running);
  if (bar == NULL && running == NULL)
    return FALSE;
  text = format_job_tooltip (self, bar ? bar->job : running, bar);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* GObject */

static void
disconnect_pool (PmTimeline *self)
{
  if (self->pool == NULL)
    return;
  g_clear_signal_handler (&self->items_changed_id, self->pool);
  g_clear_signal_handler (&self->job_started_id, self->pool);
  g_clear_signal_handler (&self->job_finished_id, self->pool);
  g_clear_signal_handler (&self->max_workers_id, self->pool);
  g_clear_signal_handler (&self->state_id, self->pool);
  g_clear_signal_handler (&self->counts_id, self->pool);
  g_clear_object (&self->pool);
}

static void
pm_timeline_dispose (GObject *object)
{
  PmTimeline *self = (PmTimeline *)object;

  disconnect_pool (self);
  g_clear_object (&self->selected);
  g_clear_handle_id (&self->a11y_source, g_source_remove);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  if (self->chips)
    g_array_set_size (self->chips, 0);
  if (self->running)
    g_ptr_array_set_size (self->running, 0);
  if (self->bars)
    g_array_set_size (self->bars, 0);
  if (self->cache_nodes)
    invalidate_cache (self);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (pm_timeline_parent_class)->dispose (object);
}

static void
pm_timeline_finalize (GObject *object)
{
  PmTimeline *self = (PmTimeline *)object;

  g_clear_pointer (&self->bars, g_array_unref);
  g_clear_pointer (&self->steps, g_array_unref);
  g_clear_pointer (&self->running, g_ptr_array_unref);
  g_clear_pointer (&self->chips, g_array_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->cache_nodes, g_ptr_array_unref);

  G_OBJECT_CLASS (pm_timeline_parent_class)->finalize (object);
}

static void
pm_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PmTimeline *self = PM_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_POOL:
      g_value_set_object (value, self->pool);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PmTimeline *self = PM_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_POOL:
      pm_timeline_set_pool (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      pm_timeline_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_FOLLOW:
      pm_timeline_set_follow (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_timeline_class_init (PmTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pm_timeline_dispose;
  object_class->finalize = pm_timeline_finalize;
  object_class->get_property = pm_timeline_get_property;
  object_class->set_property = pm_timeline_set_property;

  widget_class->snapshot = pm_timeline_snapshot;
  widget_class->measure = pm_timeline_measure;
  widget_class->size_allocate = pm_timeline_size_allocate;
  widget_class->css_changed = pm_timeline_css_changed;
  widget_class->map = pm_timeline_map;
  widget_class->unmap = pm_timeline_unmap;

  /**
   * PmTimeline:pool: (nullable)
   *
   * The pool shown.
   */
  properties[PROP_POOL] = g_param_spec_object ("pool", NULL, NULL, PM_TYPE_POOL, flags);
  /**
   * PmTimeline:zoom:
   *
   * Pixels per second of run time.
   */
  properties[PROP_ZOOM] = g_param_spec_double ("zoom", NULL, NULL, MIN_ZOOM, MAX_ZOOM, 60,
                                               flags);
  /**
   * PmTimeline:follow:
   *
   * Whether the view keeps "now" in view while the pool is active.
   */
  properties[PROP_FOLLOW] = g_param_spec_boolean ("follow", NULL, NULL, TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PmTimeline::job-activated:
   * @timeline: the timeline
   * @job: the job whose bar (or queue chip) was clicked
   */
  signals[JOB_ACTIVATED] = g_signal_new ("job-activated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, PM_TYPE_JOB);

  gtk_widget_class_set_css_name (widget_class, "pmtimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pm_timeline_init (PmTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  self->zoom = 60;
  self->follow = TRUE;
  self->fit = TRUE;
  self->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  self->steps = g_array_new (FALSE, FALSE, sizeof (Step));
  self->running = g_ptr_array_new ();
  self->chips = g_array_new (FALSE, FALSE, sizeof (Chip));
  self->pending = g_array_new (FALSE, FALSE, sizeof (Bar));
  self->cache_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)gsk_render_node_unref);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  g_signal_connect (widget, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (widget, controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Slot lanes timeline",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "No run",
                                  -1);
}

/* Public API */

GtkWidget *
pm_timeline_new (void)
{
  return g_object_new (PM_TYPE_TIMELINE, NULL);
}

/**
 * pm_timeline_set_pool:
 * @self: a #PmTimeline
 * @pool: (nullable): the pool to show
 */
void
pm_timeline_set_pool (PmTimeline *self,
                      PmPool     *pool)
{
  g_return_if_fail (PM_IS_TIMELINE (self));
  g_return_if_fail (pool == NULL || PM_IS_POOL (pool));

  if (self->pool == pool)
    return;

  disconnect_pool (self);
  g_clear_object (&self->selected);
  g_array_set_size (self->chips, 0);
  if (pool != NULL)
    {
      self->pool = g_object_ref (pool);
      self->items_changed_id = g_signal_connect (pool, "items-changed",
                                                 G_CALLBACK (items_changed_cb), self);
      self->job_started_id = g_signal_connect (pool, "job-started",
                                               G_CALLBACK (job_started_cb), self);
      self->job_finished_id = g_signal_connect (pool, "job-finished",
                                                G_CALLBACK (job_finished_cb), self);
      self->max_workers_id = g_signal_connect (pool, "notify::max-workers",
                                               G_CALLBACK (max_workers_cb), self);
      self->state_id = g_signal_connect (pool, "notify::state", G_CALLBACK (state_cb), self);
      self->counts_id = g_signal_connect (pool, "notify::n-done", G_CALLBACK (counts_cb), self);
    }
  rebuild (self);
  self->fit = TRUE;
  self->fit_span = 0;
  self->offset = 0;
  update_view (self);
  update_ticking (self);
  /* The pending update is dropped first: the callback forgets its own source id. */
  g_clear_handle_id (&self->a11y_source, g_source_remove);
  update_description_cb (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL]);
}

/**
 * pm_timeline_get_pool:
 * @self: a #PmTimeline
 *
 * Returns: (transfer none) (nullable): the pool shown
 */
PmPool *
pm_timeline_get_pool (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), NULL);
  return self->pool;
}

/**
 * pm_timeline_set_selected_job:
 * @self: a #PmTimeline
 * @job: (nullable): the job to highlight
 */
void
pm_timeline_set_selected_job (PmTimeline *self,
                              PmJob      *job)
{
  g_return_if_fail (PM_IS_TIMELINE (self));
  g_return_if_fail (job == NULL || PM_IS_JOB (job));

  if (g_set_object (&self->selected, job))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

PmJob *
pm_timeline_get_selected_job (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), NULL);
  return self->selected;
}

double
pm_timeline_get_zoom (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), 0);
  return self->zoom;
}

/**
 * pm_timeline_set_zoom:
 * @self: a #PmTimeline
 * @zoom: pixels per second
 *
 * Sets the zoom, keeping the time at the middle of the view in place; the view no longer
 * fits the run by itself.
 */
void
pm_timeline_set_zoom (PmTimeline *self,
                      double      zoom)
{
  g_return_if_fail (PM_IS_TIMELINE (self));

  zoom_around (self, CLAMP (zoom, MIN_ZOOM, MAX_ZOOM) / self->zoom,
               LABEL_W + lanes_width (self) / 2);
}

gboolean
pm_timeline_get_follow (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), FALSE);
  return self->follow;
}

void
pm_timeline_set_follow (PmTimeline *self,
                        gboolean    follow)
{
  g_return_if_fail (PM_IS_TIMELINE (self));

  follow = !!follow;
  if (self->follow == follow)
    return;
  self->follow = follow;
  update_view (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

static double
zoom_anchor (PmTimeline *self)
{
  double width = lanes_width (self);

  /* Zoom around now while following a live run and now is in view. */
  if (self->follow && pool_is_live (self))
    {
      double x = (run_span (self) - self->offset) * self->zoom;

      if (x >= 0 && x <= width)
        return LABEL_W + x;
    }
  return LABEL_W + width / 2;
}

void
pm_timeline_zoom_in (PmTimeline *self)
{
  g_return_if_fail (PM_IS_TIMELINE (self));
  zoom_around (self, ZOOM_STEP, zoom_anchor (self));
}

void
pm_timeline_zoom_out (PmTimeline *self)
{
  g_return_if_fail (PM_IS_TIMELINE (self));
  zoom_around (self, 1 / ZOOM_STEP, zoom_anchor (self));
}

/**
 * pm_timeline_zoom_fit:
 * @self: a #PmTimeline
 *
 * Fits the whole run into the view, and keeps it fitted as it grows.
 */
void
pm_timeline_zoom_fit (PmTimeline *self)
{
  g_return_if_fail (PM_IS_TIMELINE (self));

  self->fit = TRUE;
  self->fit_span = 0;
  update_view (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * pm_timeline_render_to_cairo:
 * @self: a #PmTimeline
 * @cr: a cairo context
 * @width: the picture's width
 * @height: the picture's height
 *
 * Draws the whole run, fitted to @width × @height, on a light background, whatever the
 * widget's own zoom and scroll: for saving the timeline as PNG or SVG.
 */
void
pm_timeline_render_to_cairo (PmTimeline *self,
                             cairo_t    *cr,
                             int         width,
                             int         height)
{
  g_autoptr(GtkSnapshot) snapshot = NULL;
  GskRenderNode *node;
  View view;

  g_return_if_fail (PM_IS_TIMELINE (self));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (width > 0 && height > 0);

  export_view (self, &view, width, height);
  snapshot = gtk_snapshot_new ();
  draw_all (self, snapshot, &view, FALSE);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    {
      gsk_render_node_draw (node, cr);
      gsk_render_node_unref (node);
    }
}

/* Private API */

PmJob *
_pm_timeline_hit_test (PmTimeline *self,
                       double      x,
                       double      y)
{
  View view;
  PmJob *running = NULL;
  const Bar *bar;

  g_return_val_if_fail (PM_IS_TIMELINE (self), NULL);

  for (guint i = 0; i < self->chips->len; i++)
    {
      Chip *chip = &g_array_index (self->chips, Chip, i);

      if (graphene_rect_contains_point (&chip->rect, &GRAPHENE_POINT_INIT (x, y)))
        return chip->job;
    }

  widget_view (self, &view);
  bar = hit_bar (self, &view, x, y, &running);
  return bar ? bar->job : running;
}

gboolean
_pm_timeline_get_bar_rect (PmTimeline      *self,
                           PmJob           *job,
                           gboolean         export,
                           int              width,
                           int              height,
                           graphene_rect_t *rect)
{
  View view;
  gint64 start, end;
  double x;

  g_return_val_if_fail (PM_IS_TIMELINE (self), FALSE);

  if ((start = pm_job_get_start_time (job)) <= 0 || pm_job_get_slot (job) == 0)
    return FALSE;
  if (export)
    export_view (self, &view, width, height);
  else
    widget_view (self, &view);
  end = pm_job_is_finished (job) ? MAX (pm_job_get_end_time (job), start) : view.now;
  bar_rect (&view, start, end, pm_job_get_slot (job), rect);
  x = rect->origin.x + rect->size.width / 2;
  return export || (x >= view.lanes.origin.x && x <= view.lanes.origin.x + view.lanes.size.width);
}

guint
_pm_timeline_get_n_lanes (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), 0);
  return count_lanes (self);
}

guint
_pm_timeline_get_n_bars_drawn (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), 0);
  return self->n_bars_drawn;
}

void
_pm_timeline_scroll_to (PmTimeline *self,
                        double      seconds)
{
  g_return_if_fail (PM_IS_TIMELINE (self));

  self->fit = FALSE;
  self->offset = seconds;
  clamp_offset (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
