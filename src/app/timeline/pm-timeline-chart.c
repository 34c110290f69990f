/* pm-timeline-chart.c: running, queued, the limit and the CPU count over time, and the legend
 *
 * Where CPU use was sampled, a strip at the bottom of the chart shows it (pm-timeline-cores.c):
 * the lines take the chart above it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "pm-timeline-internal.h"

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

/* The top of what may run: the peak of running or the highest limit, and the CPU count where
 * it is not far above them (a limit of 1 on 2 CPUs shows both; 5 on 64 does not squash the
 * lines to the floor) */
static int
running_top (PmTimeline *self)
{
  int top = MAX (self->max_running, (int)_pm_timeline_max_limit (self));
  int cpus = (int)_pm_timeline_cores_get_count (self);

  return cpus <= 2 * MAX (top, 1) ? MAX (top, cpus) : top;
}

/* Leaves out the middle one of @n ticks (0, middle, top) where its label, @label_h high and
 * centred on it, would touch the label above or below in a chart @height high. */
static guint
thin_ticks (double *ticks,
            guint   n,
            double  top,
            double  height,
            double  label_h)
{
  if (n == 3 && height * MIN (ticks[1], top - ticks[1]) / top < label_h + 1)
    {
      ticks[1] = ticks[2];
      n = 2;
    }
  return n;
}

/* @view with its chart cut to where the lines go: above the strip of CPU use, if any */
static void
lines_view (PmTimeline           *self,
            const PmTimelineView *view,
            PmTimelineView       *lines)
{
  *lines = *view;
  lines->chart.size.height -= _pm_timeline_cores_strip_height (self, view);
}

/* When far more jobs wait than may run, the queue gets a scale of its own (labelled at the
 * right), or the running and limit lines would be flat on the floor. */
static gboolean
chart_split (PmTimeline *self)
{
  return self->max_queued > 4 * MAX (running_top (self), 1);
}

static double
chart_max (PmTimeline *self)
{
  int low = running_top (self);

  return nice_ceiling (chart_split (self) ? low : MAX (low, self->max_queued));
}

static double
queued_max (PmTimeline *self)
{
  return chart_split (self) ? nice_ceiling (self->max_queued) : chart_max (self);
}

static double
chart_y (const PmTimelineView *view,
         double                top,
         double                value)
{
  return view->chart.origin.y + view->chart.size.height * (1 - value / top);
}

typedef int (*StepValue) (const PmTimelineStep *step);

static int step_running (const PmTimelineStep *step) { return step->running; }
static int step_queued (const PmTimelineStep *step) { return step->queued; }

/* A step line decimated to pixel columns: each column that holds changes draws its min..max
 * as a vertical stroke, flat stretches are single horizontal strokes. The strokes and the area
 * under them are rectangles of one path each, in one cairo node: a run that keeps its slots
 * busy changes the line in every column, and a node per rectangle made the chart two thousand
 * nodes, each drawn on every frame. */
static void
draw_series (PmTimeline           *self,
             GtkSnapshot          *snapshot,
             const PmTimelineView *view,
             StepValue             value_of,
             const GdkRGBA        *color,
             const GdkRGBA        *area,
             double                top,
             gint64                t0,
             gint64                t1)
{
  GArray *steps = self->steps;
  guint i = _pm_timeline_steps_upper_bound (steps, t0);
  int value = i > 0 ? value_of (&g_array_index (steps, PmTimelineStep, i - 1)) : 0;
  double x = MAX (_pm_timeline_x_of_time (view, t0), _pm_timeline_x_of_time (view, view->origin));
  double end_x = MIN (_pm_timeline_x_of_time (view, t1), _pm_timeline_x_of_time (view, view->now));
  const double lw = 2;
  graphene_rect_t bounds;
  cairo_t *cr;

  if (steps->len == 0 || end_x <= x)
    return;

  graphene_rect_inset_r (&view->chart, -lw, -lw, &bounds);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  /* The area under the line first, then the line over it */
  for (int pass = area != NULL ? 0 : 1; pass < 2; pass++)
    {
      guint j = i;
      int v = value;
      double cx = x;

      while (cx < end_x)
        {
          double next_x = end_x;
          int lo = v, hi = v;

          /* Changes within this pixel column */
          while (j < steps->len)
            {
              const PmTimelineStep *step = &g_array_index (steps, PmTimelineStep, j);
              double sx = _pm_timeline_x_of_time (view, step->t);

              if (sx >= end_x)
                break;
              if (sx > cx + 1)
                {
                  next_x = sx;
                  break;
                }
              v = value_of (step);
              j++;
            }
          /* Only the change across the column: a slot freed and refilled within a pixel's
           * time is not worth a spike. */
          lo = MIN (lo, v);
          hi = MAX (hi, v);

          if (pass == 0 && v > 0)
            cairo_rectangle (cr, cx, chart_y (view, top, v), next_x - cx,
                             chart_y (view, top, 0) - chart_y (view, top, v));
          if (pass == 1 && hi != lo)
            cairo_rectangle (cr, floor (cx) - lw / 2, chart_y (view, top, hi) - lw / 2, lw,
                             chart_y (view, top, lo) - chart_y (view, top, hi) + lw);
          /* The flat stretch up to the next change */
          if (pass == 1)
            cairo_rectangle (cr, cx, chart_y (view, top, v) - lw / 2,
                             next_x - cx + (next_x < end_x ? lw / 2 : 0), lw);
          cx = next_x;
        }
      if (pass == 0)
        {
          gdk_cairo_set_source_rgba (cr, area);
          cairo_fill (cr);
        }
    }
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
draw_limit_series (PmTimeline           *self,
                   GtkSnapshot          *snapshot,
                   const PmTimelineView *view,
                   const GdkRGBA        *color,
                   double                top)
{
  g_autoptr(GArray) merged = NULL;
  const PmLimitChange *changes;
  guint n_changes;
  double end_x = _pm_timeline_x_of_time (view, view->now);
  double prev_y = -1;

  if (self->pool == NULL || view->origin == 0)
    return;
  /* The same steps as the lanes' limit marks */
  merged = _pm_timeline_merged_limit_changes (self, view);
  changes = (const PmLimitChange *)(gpointer)merged->data;
  n_changes = merged->len;
  for (guint i = 0; i < n_changes; i++)
    {
      double x0 = _pm_timeline_x_of_time (view, MAX (changes[i].time, view->origin));
      double x1 = i + 1 < n_changes ? _pm_timeline_x_of_time (view, changes[i + 1].time) : end_x;
      double y = chart_y (view, top, changes[i].limit) - 2;

      x0 = MAX (x0, view->chart.origin.x);
      x1 = MIN (x1, view->chart.origin.x + view->chart.size.width);
      if (x1 > x0)
        _pm_timeline_dashed_hline (snapshot, color, x0, x1, y, 2);
      if (prev_y >= 0 && x0 >= view->chart.origin.x)
        _pm_timeline_dashed_vline (snapshot, color, x0, MIN (prev_y, y), MAX (prev_y, y) + 1, 2);
      prev_y = y;
    }
}

/* The series between t0 and t1 (wall µs), the limit, the CPU count, and the CPUs' use */
void
_pm_timeline_draw_chart (PmTimeline           *self,
                         GtkSnapshot          *snapshot,
                         const PmTimelineView *full,
                         gint64                t0,
                         gint64                t1)
{
  double top = chart_max (self);
  GdkRGBA area = _pm_timeline_with_alpha (&running_color, 0.22);
  GdkRGBA limit_color = _pm_timeline_with_alpha (&full->fg, 0.8);
  PmTimelineView lines;
  const PmTimelineView *view = &lines;
  graphene_rect_t strip;
  guint cpus = _pm_timeline_cores_get_count (self);

  lines_view (self, full, &lines);
  /* The limit first, the running line over it: when running equals the limit (the lesson's
   * main state) the limit's dashes sit just above the line (draw_limit_series lifts them). */
  draw_series (self, snapshot, view, step_queued, &queued_color, NULL, queued_max (self), t0, t1);
  if (cpus <= top)
    _pm_timeline_draw_cpu_count (self, snapshot, view, chart_y (view, top, cpus));
  draw_limit_series (self, snapshot, view, &limit_color, top);
  draw_series (self, snapshot, view, step_running, &running_color, &area, top, t0, t1);

  graphene_rect_init (&strip, full->chart.origin.x, lines.chart.origin.y + lines.chart.size.height,
                      full->chart.size.width, full->chart.size.height - lines.chart.size.height);
  _pm_timeline_draw_cores (self, snapshot, full, &strip, t0, t1);
}

void
_pm_timeline_draw_legend (PmTimeline           *self,
                          GtkSnapshot          *snapshot,
                          const PmTimelineView *full)
{
  PmTimelineView lines;
  const PmTimelineView *view = &lines;
  GdkRGBA limit_color = _pm_timeline_with_alpha (&full->fg, 0.8);
  GdkRGBA text = _pm_timeline_with_alpha (&full->fg, 0.8);
  double x = full->legend.origin.x;
  double y = full->legend.origin.y;
  int running = 0, queued = 0;
  guint n = self->steps->len;
  struct { const char *name; const GdkRGBA *color; int value; gboolean dashed; } items[4];
  guint n_items = 3;
  double top = chart_max (self);
  double ticks[3];
  guint n_ticks;
  double lh = full->legend.size.height;
  double right = full->legend.origin.x + full->legend.size.width;
  GdkRGBA queued_text;
  PangoLayout *layout;
  double axis_y;
  int tw, th;

  lines_view (self, full, &lines);
  _pm_timeline_cores_begin_snapshot (self);
  _pm_timeline_draw_cores_label (self, snapshot, full);
  if (n > 0)
    {
      guint i = _pm_timeline_steps_upper_bound (self->steps, view->now);
      const PmTimelineStep *step =
        i > 0 ? &g_array_index (self->steps, PmTimelineStep, i - 1) : NULL;

      running = step ? step->running : 0;
      queued = step ? step->queued : 0;
    }
  if (self->pool && _pm_timeline_is_live (self))
    {
      running = pm_pool_get_n_running (self->pool);
      queued = pm_pool_get_n_queued (self->pool);
    }

  _pm_timeline_text_color_on (&queued_color, &view->bg, &queued_text);
  items[0].name = _("running"); items[0].color = &running_color; items[0].value = running;
  items[0].dashed = FALSE;
  items[1].name = _("queued"); items[1].color = &queued_color; items[1].value = queued;
  items[1].dashed = FALSE;
  items[2].name = _("limit"); items[2].color = &limit_color;
  items[2].value = _pm_timeline_current_limit (self);
  items[2].dashed = TRUE;
  /* The CPU count's dotted line, where the chart draws it, is named here rather than at its
   * end, where it crossed the other lines */
  if (_pm_timeline_cores_get_count (self) <= top)
    {
      items[3].name = NULL; items[3].color = NULL;
      items[3].value = (int)_pm_timeline_cores_get_count (self);
      items[3].dashed = FALSE;
      n_items = 4;
    }

  layout = _pm_timeline_get_layout (self, _("Over time"), TEXT_SMALL, TRUE);
  pango_layout_get_pixel_size (layout, &tw, &th);
  _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LEGEND, layout, x,
                          y + (lh - th) / 2 - 2, &text, NULL, NULL);
  x += tw + 16;

  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *label = NULL;

      if (i == 3)
        label = g_strdup_printf (ngettext ("%d CPU", "%d CPUs", items[i].value), items[i].value);
      else if (view->live || i == 2)
        label = g_strdup_printf ("%s %d", items[i].name, items[i].value);
      else
        label = g_strdup_printf (_("%s (peak %d)"), items[i].name,
                                 i == 0 ? self->max_running : self->max_queued);

      layout = _pm_timeline_get_layout (self, label, TEXT_SMALL, FALSE);
      pango_layout_get_pixel_size (layout, &tw, &th);
      if (x + 22 + tw > right)
        break;
      if (i == 3)
        _pm_timeline_draw_cpu_count_key (snapshot, x, x + 18, y + lh / 2 - 2);
      else if (items[i].dashed)
        _pm_timeline_dashed_hline (snapshot, items[i].color, x, x + 18, y + lh / 2 - 2, 2);
      else
        _pm_timeline_fill_rect (snapshot, items[i].color, x, y + lh / 2 - 3, 18, 2);
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LEGEND, layout, x + 22,
                              y + (lh - th) / 2 - 2, &text, NULL, NULL);
      x += 22 + tw + 18;
    }

  /* The axes named: jobs at the left, in the label column; where the queue has a scale of its
   * own, "queued" over it at the right. Each is on the legend's line, or higher where the top
   * tick's label (half a line above the chart) would touch it. */
  layout = _pm_timeline_get_layout (self, _("jobs"), TEXT_SMALL, FALSE);
  pango_layout_set_width (layout, (int)((view->m.label_w - 10) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &tw, &th);
  axis_y = MIN (y + (lh - th) / 2 - 2, view->chart.origin.y - 1.5 * th - 1);
  _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LEGEND, layout,
                          view->m.label_w - tw - 8, axis_y, &text, NULL, NULL);
  if (chart_split (self))
    {
      layout = _pm_timeline_get_layout (self, _("queued"), TEXT_SMALL, FALSE);
      pango_layout_set_width (layout, (int)((view->m.queue_w - 12) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LEGEND, layout,
                              view->chart.origin.x + view->chart.size.width + 6, axis_y,
                              &queued_text, NULL, NULL);
    }

  /* y scale at the left of the chart, in whole jobs */
  layout = _pm_timeline_get_layout (self, "0", TEXT_SMALL, FALSE);
  pango_layout_get_pixel_size (layout, &tw, &th);
  n_ticks = thin_ticks (ticks, _pm_timeline_chart_ticks (top, ticks), top,
                        view->chart.size.height, th);
  for (guint i = 0; i < n_ticks; i++)
    {
      double value = ticks[i];
      g_autofree char *label = g_strdup_printf ("%g", value);
      GdkRGBA rule = _pm_timeline_with_alpha (&view->fg, i == 0 ? 0.35 : 0.08);

      layout = _pm_timeline_get_layout (self, label, TEXT_SMALL, FALSE);
      pango_layout_get_pixel_size (layout, &tw, &th);
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LEGEND, layout,
                              view->m.label_w - tw - 8, chart_y (view, top, value) - th / 2.,
                              &text, NULL, NULL);
      _pm_timeline_fill_rect (snapshot, &rule, view->chart.origin.x, chart_y (view, top, value),
                              view->chart.size.width, 1);
      if (chart_split (self))
        {
          double qtop = queued_max (self);
          double qticks[3];
          guint n_qticks = thin_ticks (qticks, _pm_timeline_chart_ticks (qtop, qticks), qtop,
                                       view->chart.size.height, th);

          for (guint j = 0; i == 0 && j < n_qticks; j++)
            {
              g_autofree char *qlabel = g_strdup_printf ("%g", qticks[j]);

              layout = _pm_timeline_get_layout (self, qlabel, TEXT_SMALL, FALSE);
              pango_layout_get_pixel_size (layout, &tw, &th);
              _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LEGEND, layout,
                                      view->chart.origin.x + view->chart.size.width + 6,
                                      chart_y (view, qtop, qticks[j]) - th / 2., &queued_text,
                                      NULL, NULL);
            }
        }
    }
}

guint
_pm_timeline_chart_ticks (double  top,
                          double *ticks)
{
  guint n = 0;

  ticks[n++] = 0;
  if (top >= 2 && floor (top / 2) > 0 && floor (top / 2) < top)
    ticks[n++] = floor (top / 2);
  if (top > 0)
    ticks[n++] = floor (top);
  return n;
}
