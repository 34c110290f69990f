/* pm-timeline-draw.c: drawing
 *
 * Everything is drawn by draw_all() from a view (geometry, time mapping, colours), so the
 * widget's snapshot and the picture export share one code path: the export draws into a
 * fresh GtkSnapshot and renders the node with cairo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "pm-timeline-internal.h"

/* Time axis */

static double
tick_step (double zoom,
           double min_w)
{
  static const double steps[] = { 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
                                  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
                                  7200, 14400, 28800, 86400 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * zoom >= min_w)
      return steps[i];
  return 86400 * ceil (min_w / (86400 * zoom));
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
    return g_strdup_printf (_("%.0f s"), s);
  if (step >= 0.1)
    return g_strdup_printf (_("%.1f s"), s);
  if (step >= 0.01)
    return g_strdup_printf (_("%.2f s"), s);
  return g_strdup_printf (_("%.3f s"), s);
}

/* Where "now" is written, under the axis line beside the now line; FALSE when it is not. */
static gboolean
now_label_rect (PmTimeline           *self,
                const PmTimelineView *view,
                graphene_rect_t      *rect)
{
  double x = _pm_timeline_x_of_time (view, view->now);
  double right = view->lanes.origin.x + view->lanes.size.width;
  int tw, th;

  if (!view->live || x < view->lanes.origin.x || x > right)
    return FALSE;
  pango_layout_get_pixel_size (_pm_timeline_get_layout (self, _("now"), TEXT_SMALL, TRUE),
                               &tw, &th);
  /* Right of the line, or left of it near the right edge */
  x = x + 4 + tw <= right ? x + 4 : x - 4 - tw;
  graphene_rect_init (rect, x, view->axis.origin.y + 5, tw, th);
  return TRUE;
}

static void
draw_axis (PmTimeline           *self,
           GtkSnapshot          *snapshot,
           const PmTimelineView *view)
{
  graphene_rect_t now_rect;
  gboolean has_now = now_label_rect (self, view, &now_rect);
  GdkRGBA line = _pm_timeline_with_alpha (&view->fg, 0.35);
  GdkRGBA grid = _pm_timeline_with_alpha (&view->fg, 0.07);
  GdkRGBA text = _pm_timeline_with_alpha (&view->fg, 0.7);
  double step = tick_step (view->zoom, view->m.tick_min_w);
  double first = ceil (view->offset / step) * step;
  double visible = view->lanes.size.width / view->zoom;
  double right = view->lanes.origin.x + view->lanes.size.width;

  _pm_timeline_fill_rect (snapshot, &line, view->axis.origin.x, view->axis.origin.y,
                          view->axis.size.width, 1);
  for (double s = first; s <= view->offset + visible + step / 2; s += step)
    {
      double x = view->lanes.origin.x + (s - view->offset) * view->zoom;
      g_autofree char *label = NULL;
      PangoLayout *layout;
      double tx;
      int tw, th;

      if (x > right + 0.5)
        break;
      _pm_timeline_fill_rect (snapshot, &grid, x, view->lanes.origin.y, 1, view->lanes.size.height);
      _pm_timeline_fill_rect (snapshot, &grid, x, view->chart.origin.y, 1, view->chart.size.height);
      _pm_timeline_fill_rect (snapshot, &line, x, view->axis.origin.y, 1, 5);
      label = format_seconds (s, step);
      layout = _pm_timeline_get_layout (self, label, TEXT_SMALL, FALSE);
      pango_layout_get_pixel_size (layout, &tw, &th);
      tx = CLAMP (x - tw / 2., view->axis.origin.x - 8, right - tw + 6);
      /* "now" takes the place of a tick label it would cover */
      if (has_now && tx < now_rect.origin.x + now_rect.size.width + 6 &&
          tx + tw + 6 > now_rect.origin.x)
        continue;
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_AXIS, layout, tx,
                              view->axis.origin.y + 5, &text, NULL, NULL);
    }
}

/* Lanes, limit marks, now */

static void
draw_lanes_background (PmTimeline           *self,
                       GtkSnapshot          *snapshot,
                       const PmTimelineView *view)
{
  GdkRGBA even = _pm_timeline_with_alpha (&view->fg, 0.035);
  GdkRGBA odd = _pm_timeline_with_alpha (&view->fg, 0.065);
  GdkRGBA label = _pm_timeline_with_alpha (&view->fg, 0.75);
  double label_h = view->m.lane_min_h - 4;
  double top = view->lanes.origin.y, bottom = top + view->lanes.size.height;
  /* Lanes too thin for a label each (only in a picture of many lanes) label every n-th. */
  guint every = view->lane_h >= label_h ? 1 : (guint)ceil (label_h / MAX (view->lane_h, 0.5));
  guint first, last;

  _pm_timeline_visible_lanes (view, &first, &last);
  gtk_snapshot_push_clip (snapshot, &view->lanes);
  for (guint slot = first; slot <= last; slot++)
    _pm_timeline_fill_rect (snapshot, slot % 2 ? &even : &odd, view->lanes.origin.x,
                            _pm_timeline_lane_y (view, slot), view->lanes.size.width, view->lane_h);
  gtk_snapshot_pop (snapshot);

  for (guint slot = first; slot <= last; slot++)
    {
      double y = _pm_timeline_lane_y (view, slot);
      g_autofree char *text = NULL;
      PangoLayout *layout;
      int tw, th;

      /* Counted from the last lane, so that the count of lanes shows */
      if ((view->n_lanes - slot) % every != 0)
        continue;
      text = g_strdup_printf (_("slot %u"), slot);
      layout = _pm_timeline_get_layout (self, text, TEXT_SMALL, FALSE);
      pango_layout_get_pixel_size (layout, &tw, &th);
      /* A label half scrolled out is left out rather than cut */
      if (every == 1 && (y + (view->lane_h - th) / 2 < top - 0.5 ||
                         y + (view->lane_h + th) / 2 > bottom + 0.5))
        continue;
      /* Beside its lane, kept within the lanes' height where lanes are thinner than text */
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LANE, layout,
                              view->m.label_w - tw - 8,
                              CLAMP (y + (view->lane_h - th) / 2, top, MAX (top, bottom - th)),
                              &label, NULL, NULL);
    }

  /* Where the lanes in view are among all of them */
  if (view->lanes_total_h > view->lanes.size.height + 0.5)
    {
      GdkRGBA track = _pm_timeline_with_alpha (&view->fg, 0.08);
      GdkRGBA thumb = _pm_timeline_with_alpha (&view->fg, 0.45);
      double x = view->lanes.origin.x + view->lanes.size.width + 1;
      double h = view->lanes.size.height;

      _pm_timeline_fill_rect (snapshot, &track, x, top, 4, h);
      _pm_timeline_fill_rounded (snapshot, &thumb, x,
                                 top + h * view->lane_scroll / view->lanes_total_h, 4,
                                 MAX (h * h / view->lanes_total_h, 8), 2);
    }
}

/* Lanes above the limit are shaded for the time they were above it, with the limit drawn as a
 * dashed ceiling; each change (changes in quick succession merged into one) gets a dashed mark
 * across the lanes and a "limit N" label, unless a later change's label takes its place. */
static void
draw_limits (PmTimeline           *self,
             GtkSnapshot          *snapshot,
             const PmTimelineView *view)
{
  GdkRGBA shade = _pm_timeline_with_alpha (&view->fg, 0.13);
  GdkRGBA mark = _pm_timeline_with_alpha (&view->fg, 0.8);
  GdkRGBA pill = _pm_timeline_with_alpha (&view->fg, 0.85);
  GdkRGBA pill_text, pill_bg;
  g_autoptr(GArray) merged = NULL;
  const PmLimitChange *changes;
  guint n_changes;
  double left = view->lanes.origin.x;
  double right = left + view->lanes.size.width;
  double end_x = view->origin ? MIN (_pm_timeline_x_of_time (view, view->now), right) : right;
  double lanes_top = view->lanes.origin.y;
  double lanes_bottom = lanes_top + view->lanes.size.height;
  g_autofree guint *label_change = NULL;
  g_autofree double *label_x = NULL, *label_w = NULL;
  guint n_labels = 0;

  if (self->pool == NULL)
    return;
  /* The pill is the foreground colour nearly opaque: light in the dark style */
  pill_bg = _pm_timeline_over (&pill, &view->bg);
  _pm_timeline_text_on (&pill_bg, &pill_text);
  merged = _pm_timeline_merged_limit_changes (self, view);
  changes = (const PmLimitChange *)(gpointer)merged->data;
  n_changes = merged->len;
  label_change = g_new (guint, n_changes);
  label_x = g_new (double, n_changes);
  label_w = g_new (double, n_changes);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (left, 0, right - left, lanes_bottom));
  for (guint i = 0; i < n_changes; i++)
    {
      double x0 = view->origin ? _pm_timeline_x_of_time (view, changes[i].time) : left;
      double x1 = i + 1 < n_changes ? _pm_timeline_x_of_time (view, changes[i + 1].time) : end_x;
      double ceiling = MAX (_pm_timeline_lane_y (view, changes[i].limit + 1), lanes_top);
      double y_end = lanes_bottom;

      /* Before the run starts the whole width shows the limit. */
      if (view->origin == 0 || (!view->live && i + 1 == n_changes))
        x1 = MAX (x1, right);
      if (i == 0)
        x0 = MIN (x0, left);
      if (x1 > x0 && changes[i].limit < view->n_lanes)
        {
          _pm_timeline_fill_rect (snapshot, &shade, x0, ceiling, x1 - x0, y_end - ceiling);
          _pm_timeline_dashed_hline (snapshot, &mark, MAX (x0, left), MIN (x1, right), ceiling, 2);
        }
      if (i > 0)
        {
          double prev = MAX (_pm_timeline_lane_y (view, changes[i - 1].limit + 1), lanes_top);

          _pm_timeline_dashed_vline (snapshot, &mark, x0, view->top.origin.y + 4, y_end, 2);
          if (changes[i - 1].limit < view->n_lanes || changes[i].limit < view->n_lanes)
            _pm_timeline_fill_rect (snapshot, &mark, x0 - 1, MIN (prev, ceiling), 2,
                                    fabs (prev - ceiling));
        }

      /* Its label, if any of its time is in view */
      if (x1 >= left && x0 <= right)
        {
          g_autofree char *text = g_strdup_printf (_("limit %u"), changes[i].limit);
          int tw;

          pango_layout_get_pixel_size (_pm_timeline_get_layout (self, text, TEXT_SMALL, TRUE),
                                       &tw, NULL);
          label_change[n_labels] = i;
          label_x[n_labels] = x0;
          label_w[n_labels] = tw + 10;
          n_labels++;
        }
    }

  gtk_snapshot_pop (snapshot);

  /* Which lanes are in view, at the right, while they scroll */
  if (view->lanes_total_h > view->lanes.size.height + 0.5)
    {
      guint first = (guint)ceil (view->lane_scroll / view->lane_h - 1e-6) + 1;
      guint last = (guint)floor ((view->lane_scroll + view->lanes.size.height) / view->lane_h +
                                 1e-6);
      g_autofree char *text = g_strdup_printf (_("slots %u–%u of %u"), first,
                                               MIN (last, view->n_lanes), view->n_lanes);
      GdkRGBA color = _pm_timeline_with_alpha (&view->fg, 0.75);
      PangoLayout *layout = _pm_timeline_get_layout (self, text, TEXT_SMALL, FALSE);
      int tw, th;

      pango_layout_get_pixel_size (layout, &tw, &th);
      right -= tw;
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LANE, layout, right,
                              view->top.origin.y + (view->top.size.height - th) / 2, &color,
                              NULL, NULL);
      right -= 12;
    }

  _pm_timeline_place_labels (label_x, label_w, n_labels, left, right, 4);
  for (guint k = 0; k < n_labels; k++)
    {
      g_autofree char *text = NULL;
      graphene_rect_t box;
      PangoLayout *layout;
      int th;

      if (isnan (label_x[k]))
        continue;
      text = g_strdup_printf (_("limit %u"), changes[label_change[k]].limit);
      layout = _pm_timeline_get_layout (self, text, TEXT_SMALL, TRUE);
      pango_layout_get_pixel_size (layout, NULL, &th);
      graphene_rect_init (&box, label_x[k], view->top.origin.y + 2, label_w[k],
                          view->m.top_h - 5);
      _pm_timeline_fill_rounded (snapshot, &pill, box.origin.x, box.origin.y, box.size.width,
                                 box.size.height, box.size.height / 2);
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LIMIT, layout,
                              label_x[k] + 5, box.origin.y + (box.size.height - th) / 2,
                              &pill_text, &pill_bg, &box);
    }
}

static void
draw_now (PmTimeline           *self,
          GtkSnapshot          *snapshot,
          const PmTimelineView *view)
{
  double x = _pm_timeline_x_of_time (view, view->now);
  graphene_rect_t rect;
  GdkRGBA text;

  if (!now_label_rect (self, view, &rect))
    return;
  _pm_timeline_fill_rect (snapshot, &now_color, x - 1, view->lanes.origin.y - 4, 2,
                          view->lanes.size.height + 4);
  _pm_timeline_fill_rect (snapshot, &now_color, x - 1, view->chart.origin.y, 2,
                          view->chart.size.height);
  /* The line's red, as text: darker on a light background, lighter on a dark one */
  _pm_timeline_text_color_on (&now_color, &view->bg, &text);
  _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_NOW,
                          _pm_timeline_get_layout (self, _("now"), TEXT_SMALL, TRUE),
                          rect.origin.x, rect.origin.y, &text, NULL, NULL);
}

/* The queue column */

static void
find_queued (PmTimeline  *self,
             PmJob      **jobs,
             guint        max,
             guint       *n_found)
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
draw_queue (PmTimeline           *self,
            GtkSnapshot          *snapshot,
            const PmTimelineView *view,
            gboolean              record_chips)
{
  guint n_queued = self->pool ? pm_pool_get_n_queued (self->pool) : 0;
  GdkRGBA title = _pm_timeline_with_alpha (&view->fg, 0.75);
  GdkRGBA chip_bg = _pm_timeline_with_alpha (&queued_color, 0.16);
  GdkRGBA text = view->fg;
  double x = view->queue.origin.x, y = view->queue.origin.y;
  double w = view->queue.size.width;
  double bottom = view->queue.origin.y + view->queue.size.height;
  g_autofree char *heading = NULL;
  PmJob *jobs[MAX_CHIPS];
  guint n_found = 0, max_chips;
  GdkRGBA divider = _pm_timeline_with_alpha (&view->fg, 0.15);
  GdkRGBA chip_under = _pm_timeline_over (&chip_bg, &view->bg);
  double chip_h = view->m.chip_h, pitch = view->m.chip_pitch;
  PangoLayout *layout;
  int tw, th;

  _pm_timeline_fill_rect (snapshot, &divider, x - 6, view->lanes.origin.y, 1,
                          view->lanes.size.height);

  heading = n_queued ? g_strdup_printf (_("Waiting: %u"), n_queued)
                     : g_strdup (_("Waiting: none"));

  layout = _pm_timeline_get_layout (self, heading, TEXT_SMALL, TRUE);
  pango_layout_get_pixel_size (layout, &tw, &th);
  _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_QUEUE, layout, x, y + 2, &title,
                          NULL, NULL);
  y += th + 6;

  if (self->pool != NULL && !view->live && pm_pool_get_n_done (self->pool) > 0)
    {
      g_autofree char *summary = g_strdup_printf (_("Done: %u\nFailed: %u"),
                                                  pm_pool_get_n_done (self->pool),
                                                  pm_pool_get_n_failed (self->pool));

      layout = _pm_timeline_get_layout (self, summary, TEXT_SMALL, FALSE);
      pango_layout_get_pixel_size (layout, &tw, &th);
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_QUEUE, layout, x, y, &title,
                              NULL, NULL);
      y += th + 6;
    }
  if (n_queued == 0 || self->pool == NULL)
    return;

  max_chips = (guint)MAX (0, (bottom - y) / pitch);
  if (max_chips < n_queued)
    {
      /* room for "+N more" under the chips: a line of text, less than a chip */
      layout = _pm_timeline_get_layout (self, _("+0 more"), TEXT_SMALL, FALSE);
      pango_layout_get_pixel_size (layout, &tw, &th);
      max_chips = (guint)MAX (0, (bottom - y - th - 1) / pitch);
    }
  max_chips = MIN (max_chips, MIN (n_queued, MAX_CHIPS));
  find_queued (self, jobs, max_chips, &n_found);

  for (guint i = 0; i < n_found; i++)
    {
      GskRoundedRect rounded;
      g_autofree char *label = g_strdup_printf ("%u  %s", pm_job_get_seq (jobs[i]),
                                                pm_job_get_name (jobs[i]));
      graphene_rect_t box = GRAPHENE_RECT_INIT (x, y, w, chip_h);

      /* Where the number and the name do not both fit, the name alone (the tooltip has both) */
      layout = _pm_timeline_get_layout (self, label, TEXT_SMALL, FALSE);
      pango_layout_get_pixel_size (layout, &tw, &th);
      if (tw > w - 14)
        {
          g_free (label);
          label = g_strdup (pm_job_get_name (jobs[i]));
        }

      _pm_timeline_fill_rounded (snapshot, &chip_bg, x, y, w, chip_h, chip_h / 2);
      gsk_rounded_rect_init_from_rect (&rounded, &box, chip_h / 2);
      _pm_timeline_append_outline (snapshot, &rounded, 1, &queued_color);
      layout = _pm_timeline_get_layout (self, label, TEXT_SMALL, FALSE);
      pango_layout_set_width (layout, (int)((w - 14) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &tw, &th);
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_QUEUE, layout, x + 7,
                              y + (chip_h - th) / 2., &text, &chip_under, &box);
      if (record_chips)
        {
          PmTimelineChip chip = { box, jobs[i] };

          g_array_append_val (self->chips, chip);
        }
      y += pitch;
    }
  if (n_found < n_queued)
    {
      g_autofree char *more = g_strdup_printf (_("+%u more"), n_queued - n_found);

      layout = _pm_timeline_get_layout (self, more, TEXT_SMALL, FALSE);
      _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_QUEUE, layout, x + 7, y + 1,
                              &title, NULL, NULL);
    }
}

/* A picture's title: how many jobs, at what limit, when */
static void
draw_title (PmTimeline           *self,
            GtkSnapshot          *snapshot,
            const PmTimelineView *view)
{
  guint n_jobs = self->pool ? pm_pool_get_n_jobs (self->pool) : 0;
  guint limit = _pm_timeline_max_limit (self);
  g_autoptr(GDateTime) start = view->origin ? g_date_time_new_from_unix_local (view->origin /
                                                                              G_USEC_PER_SEC)
                                            : NULL;
  g_autofree char *when = start ? g_date_time_format (start, "%Y-%m-%d %H:%M:%S") : NULL;
  g_autofree char *title = NULL;
  PangoLayout *layout;
  int tw, th;

  if (when != NULL)
    title = g_strdup_printf (ngettext ("Pool Monitor: %u job, at most %u at a time, started %s",
                                       "Pool Monitor: %u jobs, at most %u at a time, started %s",
                                       n_jobs), n_jobs, limit, when);
  else
    title = g_strdup_printf (ngettext ("Pool Monitor: %u job, at most %u at a time",
                                       "Pool Monitor: %u jobs, at most %u at a time", n_jobs),
                             n_jobs, limit);
  layout = _pm_timeline_get_layout (self, title, 1.1, TRUE);
  pango_layout_set_width (layout, (int)((view->width - 16) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &tw, &th);
  _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_TITLE, layout, 8,
                          view->title.origin.y + (view->title.size.height - th) / 2, &view->fg,
                          NULL, NULL);
}

/* Assembly */

static void
draw_all (PmTimeline           *self,
          GtkSnapshot          *snapshot,
          const PmTimelineView *view,
          gboolean              use_cache)
{
  double visible = view->lanes.size.width / view->zoom;
  gint64 t0 = view->origin + (gint64)(view->offset * 1e6);
  gint64 t1 = view->origin + (gint64)((view->offset + visible) * 1e6);
  graphene_rect_t plot;

  if (view->export)
    {
      _pm_timeline_fill_rect (snapshot, &export_bg, 0, 0, view->width, view->height);
      draw_title (self, snapshot, view);
    }

  draw_lanes_background (self, snapshot, view);
  draw_limits (self, snapshot, view);
  draw_axis (self, snapshot, view);
  _pm_timeline_draw_key (self, snapshot, view);
  if (!view->chart_folded)
    _pm_timeline_draw_legend (self, snapshot, view);

  /* Room for the selected bar's outline, unless lanes are scrolled off there */
  graphene_rect_init (&plot, view->lanes.origin.x, view->lanes.origin.y - 4,
                      view->lanes.size.width, view->lanes.size.height + 8);
  if (view->lanes_total_h > view->lanes.size.height + 0.5)
    plot = view->lanes;
  gtk_snapshot_push_clip (snapshot, &plot);
  if (view->origin != 0)
    _pm_timeline_draw_bars (self, snapshot, view, t0, t1, use_cache);
  gtk_snapshot_pop (snapshot);

  graphene_rect_init (&plot, view->chart.origin.x, view->chart.origin.y - 3,
                      view->chart.size.width, view->chart.size.height + 4);
  gtk_snapshot_push_clip (snapshot, &plot);
  if (view->origin != 0 && !view->chart_folded)
    _pm_timeline_draw_chart (self, snapshot, view, t0, t1);
  gtk_snapshot_pop (snapshot);

  _pm_timeline_draw_hosts (self, snapshot, view);
  draw_now (self, snapshot, view);
  draw_queue (self, snapshot, view, use_cache);
}

void
_pm_timeline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PmTimeline *self = PM_TIMELINE (widget);
  PmTimelineView view;

  g_array_set_size (self->chips, 0);
  _pm_timeline_widget_view (self, &view);
  draw_all (self, snapshot, &view, TRUE);

  if (gtk_widget_has_visible_focus (widget))
    {
      GskRoundedRect outline;
      GdkRGBA color = _pm_timeline_with_alpha (&running_color, 0.6);

      gsk_rounded_rect_init_from_rect (&outline,
                                       &GRAPHENE_RECT_INIT (1, 1, view.width - 2, view.height - 2),
                                       6);
      _pm_timeline_append_outline (snapshot, &outline, 2, &color);
    }
}

/**
 * pm_timeline_get_picture_height:
 * @self: a #PmTimeline
 *
 * Returns: the height a picture of the run needs for every lane (up to 200) to have its label
 *   and bars their names, with the key and the chart
 */
int
pm_timeline_get_picture_height (PmTimeline *self)
{
  const PmTimelineMetrics *m;

  g_return_val_if_fail (PM_IS_TIMELINE (self), 0);
  m = _pm_timeline_metrics (self);
  /* Lanes past 200 share the height of 200 (label every other one, and so on): a picture
   * stays a size viewers open */
  return (int)ceil (m->line * 1.2 + 10 + m->top_h + MIN (_pm_timeline_count_lanes (self), 200) *
                    (m->lane_min_h + 4) + m->axis_h + 2 * m->key_h + m->gap_h + m->legend_h +
                    m->chart_max_h * 0.75 + m->line / 2);
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
  PmTimelineView view;

  g_return_if_fail (PM_IS_TIMELINE (self));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (width > 0 && height > 0);

  _pm_timeline_export_view (self, &view, width, height);
  snapshot = gtk_snapshot_new ();
  draw_all (self, snapshot, &view, FALSE);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    {
      gsk_render_node_draw (node, cr);
      gsk_render_node_unref (node);
    }
}

GArray *
_pm_timeline_collect_texts (PmTimeline *self,
                            gboolean    export,
                            int         width,
                            int         height)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  PmTimelineView view;
  guint n_bars_drawn = self->n_bars_drawn;
  GArray *texts;

  g_return_val_if_fail (PM_IS_TIMELINE (self), NULL);

  if (export)
    _pm_timeline_export_view (self, &view, width, height);
  else
    _pm_timeline_widget_view (self, &view);
  self->texts = g_array_new (FALSE, FALSE, sizeof (PmTimelineText));
  draw_all (self, snapshot, &view, FALSE);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texts = g_steal_pointer (&self->texts);
  self->n_bars_drawn = n_bars_drawn;
  return texts;
}
