/* pm-timeline-layout.c: where things are
 *
 * The geometry of the lanes, the axis, the chart and the queue column; the view's time span
 * (fit and follow); the bar of a job and the job at a point.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "pm-timeline-internal.h"

/* Font metrics */

static void
text_size (PmTimeline *self,
           const char *text,
           double      scale,
           gboolean    bold,
           double     *width,
           double     *height)
{
  PangoLayout *layout = _pm_timeline_get_layout (self, text, scale, bold);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

/* The sizes, measured once per font (the Pango context's serial changes with the font and the
 * resolution, which the text-scale setting sets) and lane count. */
const PmTimelineMetrics *
_pm_timeline_metrics (PmTimeline *self)
{
  PmTimelineMetrics *m = &self->metrics;
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);
  guint n_lanes = _pm_timeline_count_lanes (self);
  g_autofree char *slot = NULL, *waiting = NULL, *done = NULL;
  double w, h, w2, hosts_w;

  if (self->metrics_serial != serial)
    {
      g_clear_object (&self->layout);
      self->hosts_width = 0;
    }
  hosts_w = _pm_timeline_hosts_width (self);
  if (self->metrics_serial == serial && self->metrics_lanes == n_lanes && m->line > 0 &&
      self->metrics_hosts_w == hosts_w)
    return m;
  self->metrics_serial = serial;
  self->metrics_lanes = n_lanes;
  self->metrics_hosts_w = hosts_w;

  text_size (self, "Xg", 1.0, FALSE, NULL, &m->line);

  /* The widest "slot N" label the lanes have */
  slot = g_strdup_printf (_("slot %u"), MAX (n_lanes, 8));
  text_size (self, slot, TEXT_SMALL, FALSE, &w, &h);
  /* and the host names left of them, when lanes are on several hosts (pm-timeline-hosts.c) */
  m->label_w = ceil (w) + 16 + hosts_w;
  m->lane_min_h = ceil (h) + 4;
  text_size (self, "Xg", TEXT_SMALL, FALSE, NULL, &h);
  m->lane_min_h = MAX (m->lane_min_h, ceil (h) + 4);
  m->lane_max_h = ceil (m->lane_min_h * 1.7);

  text_size (self, "Xg", TEXT_SMALL, TRUE, NULL, &h);
  m->top_h = ceil (h) + 9;
  m->axis_h = ceil (h) + 8;
  m->key_h = ceil (h) + 6;
  m->legend_h = ceil (h) + 8;
  m->chip_h = ceil (h) + 4;
  m->chip_pitch = m->chip_h + 4;
  /* The chart shrinks toward its tick labels before lanes scroll: two labels (0 and the top)
   * and a little room between them; four lines of text, as before, left the default run's five
   * lanes scrolling at 800×600 */
  m->chart_min_h = 2 * (m->lane_min_h - 4) + 2;
  /* Under the chart's lines, the strip of each CPU's use (pm-timeline-cores.c): a gap that
   * holds the lower half of the "0" tick label, then rows as high as their "CPU use" label at
   * least. The chart gets it over its least height where the lanes leave room, else the strip
   * is left out whole: cut to a third of a chart of two labels, at 1.5× text its two rows were
   * a band 9 px high. */
  text_size (self, "0", TEXT_SMALL, FALSE, NULL, &h);
  m->strip_gap = MAX (6, ceil (h / 2) + 1);
  m->strip_h = m->strip_gap + _pm_timeline_cores_rows_height (self);
  m->chart_max_h = ceil (13 * m->line);
  m->gap_h = ceil (m->line / 2);

  text_size (self, "88:88:88", TEXT_SMALL, FALSE, &w, NULL);
  m->tick_min_w = ceil (w) + 16;

  waiting = g_strdup_printf (_("Waiting: %u"), 88888);
  done = g_strdup_printf (_("Done: %u\nFailed: %u"), 88888, 88888);
  text_size (self, waiting, TEXT_SMALL, TRUE, &w, NULL);
  text_size (self, done, TEXT_SMALL, FALSE, &w2, NULL);
  /* Its texts and the column's 12 px of margins, 6 lines at least: at 1.5× text, with the
   * label column and 120 px of lanes, the timeline then fits a 360 px window (8 lines and
   * 24 px made it 377 px wide) */
  m->queue_w = ceil (MAX (MAX (w, w2) + 12, 6 * m->line));
  return m;
}

/* The queue column: its least width, or where the widget is wide enough, room for a chip
 * that reads "13  computer_12" whole (at 800 px, 6 lines cut it to "13  computer…") */
static double
queue_width (const PmTimelineMetrics *m,
             double                   width)
{
  return MAX (m->queue_w, MIN (floor (width * 0.16), ceil (9 * m->line)));
}

/* The rows above and below the lanes, the chart's least height aside */
static double
fixed_height (const PmTimelineMetrics *m,
              double                   title_h,
              double                   key_h)
{
  /* Under the chart, room for the lower half of its "0" */
  return title_h + m->top_h + m->axis_h + key_h + m->gap_h + m->legend_h + ceil (m->line / 2);
}

/* The chart that lanes leave alone: four lines of text, and the strip of CPU use under the
 * two tick labels */
static double
chart_good_height (const PmTimelineMetrics *m)
{
  return MAX (4 * m->line, m->chart_min_h + m->strip_h);
}

static void
layout_view (PmTimeline     *self,
             PmTimelineView *view,
             double          width,
             double          height,
             gboolean        scrolls)
{
  const PmTimelineMetrics *m = _pm_timeline_metrics (self);
  double fixed, avail, lanes_h, chart_h, inner_w, key_h, gap_h, legend_h, y;

  view->m = *m;
  view->m.queue_w = queue_width (m, width);
  m = &view->m;
  view->width = width;
  view->height = height;
  view->n_lanes = _pm_timeline_count_lanes (self);

  inner_w = MAX (width - m->label_w - m->queue_w, 10);
  graphene_rect_init (&view->key, m->label_w, 0, inner_w, m->key_h);
  key_h = _pm_timeline_key_height (self, view);

  /* A picture on its own says what it shows in a title line */
  graphene_rect_init (&view->title, 0, 0, width, scrolls ? 0 : ceil (m->line * 1.2) + 10);

  fixed = fixed_height (m, view->title.size.height, key_h);
  gap_h = m->gap_h;
  legend_h = m->legend_h;
  view->chart_folded = FALSE;
  /* A widget too short for two lanes over the least chart (large text on a short window)
   * folds the chart away, legend and all, rather than show one lane: the lanes and the
   * list under it are what a run is followed by. */
  if (scrolls &&
      height - fixed - m->chart_min_h < MIN (view->n_lanes, 2) * m->lane_min_h)
    {
      view->chart_folded = TRUE;
      gap_h = legend_h = 0;
      fixed = view->title.size.height + m->top_h + m->axis_h + key_h;
    }
  avail = MAX (height - fixed - (view->chart_folded ? 0 : m->chart_min_h), 1);
  /* Where every lane fits over a chart of four lines (and the strip), the chart keeps those
   * before the lanes grow: it shrinks only for lanes that would scroll, and then the lanes
   * that fit keep their least height, the chart the rest (the lanes grew while the chart was
   * at its least, which left the strip out at 1.5× text on 1400×900). */
  if (height - fixed - chart_good_height (m) >= view->n_lanes * m->lane_min_h)
    avail = height - fixed - chart_good_height (m);
  else if (avail >= view->n_lanes * m->lane_min_h)
    avail = view->n_lanes * m->lane_min_h;
  view->lane_scroll = 0;
  if (scrolls)
    {
      /* Lanes never get too small for their labels: past what fits they scroll. */
      view->lane_h = CLAMP (avail / view->n_lanes, m->lane_min_h, m->lane_max_h);
      view->lanes_total_h = view->lane_h * view->n_lanes;
      lanes_h = view->lanes_total_h;
      if (lanes_h > avail)
        {
          lanes_h = MAX (floor (avail / view->lane_h), 1) * view->lane_h;
          view->lane_scroll = CLAMP (self->lane_scroll, 0, view->lanes_total_h - lanes_h);
        }
    }
  else
    {
      /* A picture shows every lane */
      view->lane_h = CLAMP (avail / view->n_lanes, 0.5, m->lane_max_h);
      view->lanes_total_h = lanes_h = view->lane_h * view->n_lanes;
    }
  /* The widget leaves what the chart does not need empty below; a picture gives it the chart */
  chart_h = MAX (height - fixed - lanes_h, m->chart_min_h);
  if (scrolls)
    chart_h = MIN (chart_h, MAX (m->chart_max_h, m->chart_min_h));
  if (view->chart_folded)
    chart_h = 0;

  y = view->title.size.height;
  graphene_rect_init (&view->top, m->label_w, y, inner_w, m->top_h);
  graphene_rect_init (&view->lanes, m->label_w, y + m->top_h, inner_w, lanes_h);
  graphene_rect_init (&view->axis, m->label_w, y + m->top_h + lanes_h, inner_w, m->axis_h);
  graphene_rect_init (&view->key, m->label_w, view->axis.origin.y + m->axis_h, inner_w, key_h);
  graphene_rect_init (&view->legend, m->label_w, view->key.origin.y + key_h + gap_h,
                      inner_w, legend_h);
  graphene_rect_init (&view->chart, m->label_w, view->legend.origin.y + legend_h,
                      inner_w, chart_h);
  graphene_rect_init (&view->queue, width - m->queue_w + 8, y + m->top_h, m->queue_w - 12,
                      MAX (lanes_h, 3 * m->chip_pitch));
}

/**
 * pm_timeline_get_fit_height:
 * @self: a #PmTimeline
 * @least_chart: the chart at its least height (its tick labels), else four lines of text and
 *   the strip of CPU use under them
 *
 * The height at which the widget, at its width now, shows each of its lanes (up to 16) at
 * the least height that holds their labels, over the chart: what the window gives it when
 * the height allows.
 *
 * Returns: the height in pixels
 */
int
pm_timeline_get_fit_height (PmTimeline *self,
                            gboolean    least_chart)
{
  const PmTimelineMetrics *m;
  PmTimelineView view;

  g_return_val_if_fail (PM_IS_TIMELINE (self), 0);

  _pm_timeline_widget_view (self, &view);
  m = &view.m;
  return (int)ceil (fixed_height (m, 0, view.key.size.height) +
                    MIN (view.n_lanes, 16) * m->lane_min_h +
                    (least_chart ? m->chart_min_h : chart_good_height (m)));
}

/**
 * pm_timeline_get_lane_columns:
 * @self: a #PmTimeline
 * @left: (out): the width of the column of "slot N" labels, left of the lanes
 * @right: (out): the width of the queue column, right of the lanes
 *
 * Where the lanes are across the widget, at its width now: what lies over them (the line
 * before Start) keeps between the two columns.
 */
void
pm_timeline_get_lane_columns (PmTimeline *self,
                              int        *left,
                              int        *right)
{
  const PmTimelineMetrics *m;

  g_return_if_fail (PM_IS_TIMELINE (self));

  m = _pm_timeline_metrics (self);
  *left = (int)ceil (m->label_w);
  *right = (int)ceil (queue_width (m, gtk_widget_get_width (GTK_WIDGET (self))));
}

/* The first and last lane wholly or partly in view */
void
_pm_timeline_visible_lanes (const PmTimelineView *view,
                            guint                *first,
                            guint                *last)
{
  double top = view->lane_scroll / view->lane_h;
  double bottom = (view->lane_scroll + view->lanes.size.height) / view->lane_h;

  *first = MIN ((guint)floor (top) + 1, view->n_lanes);
  *last = MIN ((guint)ceil (bottom - 1e-6), view->n_lanes);
}

void
_pm_timeline_scroll_lanes (PmTimeline *self,
                           double      pixels)
{
  PmTimelineView view;
  double max;

  _pm_timeline_widget_view (self, &view);
  max = MAX (view.lanes_total_h - view.lanes.size.height, 0);
  self->lane_scroll = CLAMP (view.lane_scroll + pixels, 0, max);
  if (self->lane_scroll != view.lane_scroll)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Scrolls the lanes, if they must, so that @slot's lane is wholly in view */
void
_pm_timeline_reveal_lane (PmTimeline *self,
                          guint       slot)
{
  PmTimelineView view;
  double y;

  _pm_timeline_widget_view (self, &view);
  if (view.lanes_total_h <= view.lanes.size.height + 0.5 || slot > view.n_lanes)
    return;
  y = (slot - 1) * view.lane_h;
  if (y < view.lane_scroll)
    _pm_timeline_scroll_lanes (self, y - view.lane_scroll);
  else if (y + view.lane_h > view.lane_scroll + view.lanes.size.height)
    _pm_timeline_scroll_lanes (self, y + view.lane_h - view.lane_scroll - view.lanes.size.height);
}

gboolean
_pm_timeline_get_lane_rect (PmTimeline      *self,
                            guint            slot,
                            graphene_rect_t *rect)
{
  PmTimelineView view;
  double y;

  g_return_val_if_fail (PM_IS_TIMELINE (self), FALSE);

  _pm_timeline_widget_view (self, &view);
  y = _pm_timeline_lane_y (&view, slot);
  graphene_rect_init (rect, view.lanes.origin.x, y, view.lanes.size.width, view.lane_h);
  return slot >= 1 && slot <= view.n_lanes && y >= view.lanes.origin.y - 0.5 &&
         y + view.lane_h <= view.lanes.origin.y + view.lanes.size.height + 0.5;
}

double
_pm_timeline_lanes_width (PmTimeline *self)
{
  const PmTimelineMetrics *m = _pm_timeline_metrics (self);

  double width = gtk_widget_get_width (GTK_WIDGET (self));

  return MAX (width - m->label_w - queue_width (m, width), 10);
}

/* Seconds the run spans so far */
static double
run_span (PmTimeline *self)
{
  gint64 origin = _pm_timeline_run_origin (self);
  gint64 end = _pm_timeline_run_end (self);

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

void
_pm_timeline_clamp_offset (PmTimeline *self)
{
  double visible = _pm_timeline_lanes_width (self) / self->zoom;
  double span = MAX (run_span (self), 0);
  double max_offset = MAX (0, span - visible * 0.9);

  self->offset = CLAMP (self->offset, 0, max_offset);
}

/* Applies fit and follow; called on allocation, on ticks and when the pool changes. */
void
_pm_timeline_update_view (PmTimeline *self)
{
  double width = _pm_timeline_lanes_width (self);
  gboolean live = _pm_timeline_is_live (self);

  if (self->fit)
    {
      _pm_timeline_set_zoom_internal (self, width / fitted_span (self, live));
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
  _pm_timeline_clamp_offset (self);
}

double
_pm_timeline_zoom_anchor (PmTimeline *self)
{
  double width = _pm_timeline_lanes_width (self);

  /* Zoom around now while following a live run and now is in view. */
  if (self->follow && _pm_timeline_is_live (self))
    {
      double x = (run_span (self) - self->offset) * self->zoom;

      if (x >= 0 && x <= width)
        return _pm_timeline_metrics (self)->label_w + x;
    }
  return _pm_timeline_metrics (self)->label_w + width / 2;
}

static void
run_view (PmTimeline     *self,
          PmTimelineView *view,
          double          width,
          double          height,
          gboolean        scrolls)
{
  view->origin = _pm_timeline_run_origin (self);
  view->live = _pm_timeline_is_live (self);
  view->now = _pm_timeline_run_end (self);
  layout_view (self, view, width, height, scrolls);
}

/* What the widget shows */
void
_pm_timeline_widget_view (PmTimeline     *self,
                          PmTimelineView *view)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  run_view (self, view, gtk_widget_get_width (GTK_WIDGET (self)),
            gtk_widget_get_height (GTK_WIDGET (self)), TRUE);
  self->lane_scroll = view->lane_scroll;
  view->offset = self->offset;
  view->zoom = self->zoom;
  view->export = FALSE;
  gtk_style_context_get_color (context, &view->fg);
  /* The window's background, which the widget is drawn over (libadwaita names it) */
  if (!gtk_style_context_lookup_color (context, "window_bg_color", &view->bg))
    view->bg = export_bg;
  view->bg.alpha = 1;
}

/* The whole run, fitted to a picture */
void
_pm_timeline_export_view (PmTimeline     *self,
                          PmTimelineView *view,
                          int             width,
                          int             height)
{
  run_view (self, view, width, height, FALSE);
  view->offset = 0;
  view->zoom = view->lanes.size.width / (view->live ? MAX (run_span (self) * 1.05, 1.0)
                                                    : fitted_span (self, FALSE));
  view->export = TRUE;
  view->fg = export_fg;
  view->bg = export_bg;
}

/* The part of a slot's lane between x0 and x1 that a bar fills */
void
_pm_timeline_lane_rect (const PmTimelineView *view,
                        double                x0,
                        double                x1,
                        guint                 slot,
                        graphene_rect_t      *rect)
{
  double pad = view->lane_h >= view->m.lane_min_h + 4 ? 3 : view->lane_h >= 4 ? 1 : 0;

  graphene_rect_init (rect, x0, _pm_timeline_lane_y (view, slot) + pad, x1 - x0,
                      MAX (view->lane_h - 2 * pad, 0.5));
}

void
_pm_timeline_bar_rect (const PmTimelineView *view,
                       gint64                start,
                       gint64                end,
                       guint                 slot,
                       graphene_rect_t      *rect)
{
  double x0 = _pm_timeline_x_of_time (view, start);
  double x1 = _pm_timeline_x_of_time (view, end);

  if (x1 - x0 < 1.5)
    x1 = x0 + 1.5;
  _pm_timeline_lane_rect (view, x0, x1, slot, rect);
}

/* The job's bar, to now while it runs; FALSE if it has none. */
gboolean
_pm_timeline_job_rect (const PmTimelineView *view,
                       PmJob                *job,
                       graphene_rect_t      *rect)
{
  gint64 start = pm_job_get_start_time (job);
  gint64 end;

  if (start <= 0 || pm_job_get_slot (job) == 0)
    return FALSE;
  end = pm_job_is_finished (job) ? MAX (pm_job_get_end_time (job), start) : view->now;
  _pm_timeline_bar_rect (view, start, end, pm_job_get_slot (job), rect);
  return TRUE;
}

/* The bar record at a point, or NULL; *running_job is set for a running job's bar. */
static const PmTimelineBar *
hit_bar (PmTimeline            *self,
         const PmTimelineView  *view,
         double                 x,
         double                 y,
         PmJob                **running_job)
{
  guint slot;
  gint64 t, tol;
  const PmTimelineBar *best = NULL;

  *running_job = NULL;
  if (self->pool == NULL || view->origin == 0 ||
      x < view->lanes.origin.x || x > view->lanes.origin.x + view->lanes.size.width ||
      y < view->lanes.origin.y || y >= view->lanes.origin.y + view->lanes.size.height)
    return NULL;

  slot = (guint)((y - view->lanes.origin.y + view->lane_scroll) / view->lane_h) + 1;
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

  for (guint i = _pm_timeline_bars_lower_bound (self->bars, t - self->max_duration - tol);
       i < self->bars->len; i++)
    {
      const PmTimelineBar *bar = &g_array_index (self->bars, PmTimelineBar, i);

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

/* The job whose queue chip or bar is at (x, y) in the widget, or NULL; *bar is set to the bar
 * record of a finished job, else NULL. */
PmJob *
_pm_timeline_job_at (PmTimeline           *self,
                     double                x,
                     double                y,
                     const PmTimelineBar **bar)
{
  PmTimelineView view;
  PmJob *running = NULL;

  *bar = NULL;
  for (guint i = 0; i < self->chips->len; i++)
    {
      PmTimelineChip *chip = &g_array_index (self->chips, PmTimelineChip, i);

      if (graphene_rect_contains_point (&chip->rect, &GRAPHENE_POINT_INIT (x, y)))
        return chip->job;
    }

  _pm_timeline_widget_view (self, &view);
  *bar = hit_bar (self, &view, x, y, &running);
  return *bar ? (*bar)->job : running;
}

/* The lane whose label ("slot N", left of the lanes) is at (x, y) in the widget, or 0 */
guint
_pm_timeline_lane_label_at (PmTimeline *self,
                            double      x,
                            double      y)
{
  PmTimelineView view;
  guint slot;

  _pm_timeline_widget_view (self, &view);
  if (view.lane_h <= 0 || x < 0 || x >= view.lanes.origin.x ||
      y < view.lanes.origin.y || y >= view.lanes.origin.y + view.lanes.size.height)
    return 0;
  slot = (guint)((y - view.lanes.origin.y + view.lane_scroll) / view.lane_h) + 1;
  return slot <= _pm_timeline_count_lanes (self) ? slot : 0;
}

PmJob *
_pm_timeline_hit_test (PmTimeline *self,
                       double      x,
                       double      y)
{
  const PmTimelineBar *bar;

  g_return_val_if_fail (PM_IS_TIMELINE (self), NULL);
  return _pm_timeline_job_at (self, x, y, &bar);
}

gboolean
_pm_timeline_get_bar_rect (PmTimeline      *self,
                           PmJob           *job,
                           gboolean         export,
                           int              width,
                           int              height,
                           graphene_rect_t *rect)
{
  PmTimelineView view;
  double x, y;

  g_return_val_if_fail (PM_IS_TIMELINE (self), FALSE);

  /* Checked before the view is made: making the export's view resets the fitted span. */
  if (pm_job_get_start_time (job) <= 0 || pm_job_get_slot (job) == 0)
    return FALSE;
  if (export)
    _pm_timeline_export_view (self, &view, width, height);
  else
    _pm_timeline_widget_view (self, &view);
  _pm_timeline_job_rect (&view, job, rect);
  x = rect->origin.x + rect->size.width / 2;
  y = rect->origin.y + rect->size.height / 2;
  return export || (x >= view.lanes.origin.x && x <= view.lanes.origin.x + view.lanes.size.width &&
                    y >= view.lanes.origin.y && y <= view.lanes.origin.y + view.lanes.size.height);
}

/* The "limit N" labels: label i (in the order of the changes) would start at x[i] and is
 * width[i] wide. Labels stay inside [left, right] and keep gap between them; where two would
 * overlap, the later change keeps its label, since its limit is the one that held after.
 * Each x[i] becomes where label i goes, or NAN where it is left out. */
void
_pm_timeline_place_labels (double       *x,
                           const double *width,
                           guint         n,
                           double        left,
                           double        right,
                           double        gap)
{
  double next = G_MAXDOUBLE;   /* where the next label that is kept starts */

  for (guint i = n; i-- > 0;)
    {
      double lx = MIN (MAX (x[i], left), right - width[i]);

      if (lx < left || lx + width[i] + gap > next)
        {
          x[i] = NAN;
          continue;
        }
      x[i] = lx;
      next = lx;
    }
}
