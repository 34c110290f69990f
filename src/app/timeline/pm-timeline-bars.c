/* pm-timeline-bars.c: job bars and their cache
 *
 * Finished bars are drawn into a cached render node that covers three view widths around the
 * view, in coordinates relative to the run's origin; scrolling within that range only moves
 * the node. Bars that finish afterwards are drawn into small extra nodes appended to the
 * cache, and the cache is rebuilt when the zoom, the geometry or the range changes. Running
 * jobs (at most a few per slot) are drawn every frame.
 *
 * Where the cache's range makes an image of at most RASTER_MAX_PIXELS, its nodes are drawn
 * into that image (in device pixels) as they are made, and nodes that paint the image are what
 * each frame draws: GTK 4.8's cairo renderer draws every node of the window on every frame, and a
 * rounded bar is a clip and a fill. A 3,000-job run had 2,800 nodes in the timeline, most of them
 * bars, and they took about 4 of the 7 ms its frames spent painting.
 *
 * The image is drawn by columns of TILE_PIXELS, a node each, and bars that finish remake only
 * the columns they touch (in a busy run, one or two by "now"). A node holds a copy-on-write
 * snapshot of the image it paints: with the image one node, every frame's drawing into it first
 * copied all of it, and the new node differed from the last frame's everywhere. (The renderer's
 * diff still gives up on the whole timeline when a frame changed more than a few dozen
 * rectangles, as most frames of a busy run do.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pm-timeline-internal.h"

/* 8 lanes of 18 px over three widths of 1,000 px take 0.4 million; past 8 million (32 MB) the
 * nodes are kept as they are. */
#define RASTER_MAX_PIXELS (8 * 1000 * 1000)
/* The width of the image's columns, in device pixels */
#define TILE_PIXELS 256

void
_pm_timeline_invalidate_cache (PmTimeline *self)
{
  self->cache_valid = FALSE;
  g_ptr_array_set_size (self->cache_nodes, 0);
  g_clear_pointer (&self->cache_surface, cairo_surface_destroy);
  g_ptr_array_set_size (self->cache_tiles, 0);
  g_array_set_size (self->pending, 0);
}

static void
draw_bar (PmTimeline            *self,
          GtkSnapshot           *snapshot,
          const PmTimelineView  *view,
          PmJob                 *job,
          PmJobState             state,
          const graphene_rect_t *rect)
{
  GdkRGBA color;
  double w = rect->size.width, h = rect->size.height;
  double inset = w > 6 && h > 6 ? 0.5 : 0;

  _pm_timeline_get_state_color (state, &color);
  if (w >= 6 && h >= 10)
    _pm_timeline_fill_rounded (snapshot, &color, rect->origin.x + inset, rect->origin.y,
                               w - 2 * inset, h, 4);
  else
    _pm_timeline_fill_rect (snapshot, &color, rect->origin.x, rect->origin.y, w, h);

  /* The name, where the bar holds it (lanes are made tall enough in the widget) */
  if (w >= 28 && h >= view->m.lane_min_h - 6)
    {
      GdkRGBA text;
      PangoLayout *layout = _pm_timeline_get_layout (self, pm_job_get_name (job), TEXT_SMALL,
                                                     FALSE);
      int tw, th;

      pango_layout_set_width (layout, (int)((w - 10) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &tw, &th);
      _pm_timeline_text_on (&color, &text);
      /* A name cut down to "…" says nothing */
      if (th <= h + 2 && w - 10 >= 2.5 * th)
        _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_BAR, layout,
                                rect->origin.x + 5, rect->origin.y + (h - th) / 2, &text, &color,
                                rect);
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
flush_run (GtkSnapshot          *snapshot,
           const PmTimelineView *view,
           LaneRun              *run,
           guint                 slot)
{
  graphene_rect_t rect;
  GdkRGBA color;

  if (!run->open)
    return;
  _pm_timeline_get_state_color (run->state, &color);
  _pm_timeline_lane_rect (view, run->x0, run->x1, slot, &rect);
  gtk_snapshot_append_color (snapshot, &color, &rect);
  run->open = FALSE;
}

/* Draws the finished bars that overlap [t0, t1] (wall µs) and returns how many it visited. */
static guint
draw_finished_bars (PmTimeline           *self,
                    GtkSnapshot          *snapshot,
                    const PmTimelineView *view,
                    const PmTimelineBar  *bars,
                    guint                 n_bars,
                    gboolean              sorted,
                    gint64                t0,
                    gint64                t1)
{
  guint first = 0, n_drawn = 0, first_lane, last_lane;
  LaneRun *runs = g_new0 (LaneRun, view->n_lanes + 1);

  _pm_timeline_visible_lanes (view, &first_lane, &last_lane);
  if (sorted)
    first = _pm_timeline_bars_lower_bound (self->bars, t0 - self->max_duration - 1);

  for (guint i = first; i < n_bars; i++)
    {
      const PmTimelineBar *bar = &bars[i];
      graphene_rect_t rect;
      LaneRun *run;

      if (bar->start > t1)
        {
          if (sorted)
            break;
          continue;
        }
      if (bar->end < t0 || bar->slot < first_lane || bar->slot > last_lane)
        continue;

      n_drawn++;
      _pm_timeline_bar_rect (view, bar->start, bar->end, bar->slot, &rect);
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

/* The finished bars of the index that overlap [t0, t1] */
static guint
draw_indexed_bars (PmTimeline           *self,
                   GtkSnapshot          *snapshot,
                   const PmTimelineView *view,
                   gint64                t0,
                   gint64                t1)
{
  return draw_finished_bars (self, snapshot, view,
                             (const PmTimelineBar *)(gpointer)self->bars->data, self->bars->len,
                             TRUE, t0, t1);
}

/* Draws the running jobs' bars that start before t1 and returns how many it drew. */
static guint
draw_running (PmTimeline           *self,
              GtkSnapshot          *snapshot,
              const PmTimelineView *view,
              gint64                t1)
{
  guint n_drawn = 0, first_lane, last_lane;

  _pm_timeline_visible_lanes (view, &first_lane, &last_lane);
  for (guint i = 0; i < self->running->len; i++)
    {
      PmJob *job = g_ptr_array_index (self->running, i);
      gint64 start = pm_job_get_start_time (job);
      guint slot = pm_job_get_slot (job);
      graphene_rect_t rect;

      if (start <= 0 || start > t1 || slot < first_lane || slot > last_lane)
        continue;
      _pm_timeline_bar_rect (view, start, MAX (view->now, start), slot, &rect);
      draw_bar (self, snapshot, view, job, pm_job_get_state (job), &rect);
      n_drawn++;
    }
  return n_drawn;
}

static void
draw_selected (PmTimeline           *self,
               GtkSnapshot          *snapshot,
               const PmTimelineView *view)
{
  PmJob *job = self->selected;
  graphene_rect_t rect;
  GskRoundedRect outline;

  if (job == NULL || pm_job_get_slot (job) > view->n_lanes ||
      !_pm_timeline_job_rect (view, job, &rect))
    return;
  graphene_rect_inset (&rect, -2, -2);
  gsk_rounded_rect_init_from_rect (&outline, &rect, 5);
  _pm_timeline_append_outline (snapshot, &outline, 2, &view->fg);
}

/* The cache */

static gboolean
cache_matches (PmTimeline           *self,
               const PmTimelineView *view)
{
  double visible = view->lanes.size.width / view->zoom;

  return self->cache_valid &&
         self->cache_scale == gtk_widget_get_scale_factor (GTK_WIDGET (self)) &&
         self->cache_zoom == view->zoom &&
         self->cache_origin == view->origin &&
         self->cache_lane_h == view->lane_h &&
         self->cache_n_lanes == view->n_lanes &&
         self->cache_lanes.origin.x == view->lanes.origin.x &&
         self->cache_lanes.origin.y == view->lanes.origin.y &&
         self->cache_lanes.size.width == view->lanes.size.width &&
         gdk_rgba_equal (&self->cache_fg, &view->fg) &&
         view->offset >= self->cache_t0 &&
         view->offset + visible <= self->cache_t1;
}

/* The cached node is drawn as if offset were 0: it is translated into place. */
static void
build_cache (PmTimeline           *self,
             const PmTimelineView *view)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  double visible = view->lanes.size.width / view->zoom;
  PmTimelineView at_zero = *view;
  GskRenderNode *node;
  guint n_bars;

  _pm_timeline_invalidate_cache (self);
  at_zero.offset = 0;
  at_zero.lane_scroll = 0;
  at_zero.lanes.size.height = view->lanes_total_h;
  self->cache_t0 = MAX (0, view->offset - visible);
  self->cache_t1 = view->offset + 2 * visible;
  n_bars = draw_indexed_bars (self, snapshot, &at_zero,
                              view->origin + (gint64)(self->cache_t0 * 1e6),
                              view->origin + (gint64)(self->cache_t1 * 1e6));
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
  self->cache_scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

/* The columns of the image that meet [x0, x1) (widget units, offset 0) get new nodes, each
 * painting a copy of its part of the image. A node keeps a copy-on-write snapshot of what it
 * paints: a copy of its own column, not the image, so drawing into the image later copies
 * nothing, and the nodes of the other columns stay as they were. */
static void
remake_tiles (PmTimeline *self,
              double      x0,
              double      x1)
{
  const graphene_rect_t *rect = &self->cache_raster_rect;
  int scale = self->cache_scale;
  int width_px = cairo_image_surface_get_width (self->cache_surface);
  int height_px = cairo_image_surface_get_height (self->cache_surface);
  guint n_tiles = (width_px + TILE_PIXELS - 1) / TILE_PIXELS;

  if (self->cache_tiles->len != n_tiles)
    {
      g_ptr_array_set_size (self->cache_tiles, 0);
      g_ptr_array_set_size (self->cache_tiles, n_tiles);
    }

  for (guint i = 0; i < n_tiles; i++)
    {
      int px0 = i * TILE_PIXELS;
      int tile_px = MIN (TILE_PIXELS, width_px - px0);
      graphene_rect_t tile;
      cairo_surface_t *copy;
      GskRenderNode *node;
      cairo_t *cr;

      graphene_rect_init (&tile, rect->origin.x + px0 / (double)scale, rect->origin.y,
                          tile_px / (double)scale, rect->size.height);
      if (g_ptr_array_index (self->cache_tiles, i) != NULL &&
          (tile.origin.x >= x1 || tile.origin.x + tile.size.width <= x0))
        continue;

      copy = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, tile_px, height_px);
      cairo_surface_set_device_scale (copy, scale, scale);
      cr = cairo_create (copy);
      cairo_set_source_surface (cr, self->cache_surface, -px0 / (double)scale, 0);
      cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
      cairo_paint (cr);
      cairo_destroy (cr);

      node = gsk_cairo_node_new (&tile);
      cr = gsk_cairo_node_get_draw_context (node);
      cairo_set_source_surface (cr, copy, tile.origin.x, tile.origin.y);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (copy);

      g_clear_pointer (&g_ptr_array_index (self->cache_tiles, i), gsk_render_node_unref);
      g_ptr_array_index (self->cache_tiles, i) = node;
    }
}

/* Draws the cache's nodes into its image and remakes the columns they fall in; the image is
 * made when the cache is built, if the range is small enough for one. */
static void
rasterize_cache (PmTimeline           *self,
                 const PmTimelineView *view)
{
  graphene_rect_t *rect = &self->cache_raster_rect;
  int scale = self->cache_scale;
  double x0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE;
  cairo_t *cr;

  if (self->cache_surface == NULL)
    {
      /* A pixel of margin on each side; whole units, so that the image can sit on pixels. */
      double left = floor (view->lanes.origin.x + self->cache_t0 * view->zoom) - 1;
      double right = ceil (view->lanes.origin.x + self->cache_t1 * view->zoom) + 1;
      double top = floor (view->lanes.origin.y) - 1;
      double bottom = ceil (view->lanes.origin.y + view->lanes_total_h) + 1;

      if ((right - left) * scale * (bottom - top) * scale > RASTER_MAX_PIXELS)
        return;
      graphene_rect_init (rect, left, top, right - left, bottom - top);
      self->cache_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                        (int)(right - left) * scale,
                                                        (int)(bottom - top) * scale);
      cairo_surface_set_device_scale (self->cache_surface, scale, scale);
      g_ptr_array_set_size (self->cache_tiles, 0);
    }
  else if (self->cache_nodes->len == 0)
    return;

  cr = cairo_create (self->cache_surface);
  cairo_translate (cr, -rect->origin.x, -rect->origin.y);
  for (guint i = 0; i < self->cache_nodes->len; i++)
    {
      GskRenderNode *node = g_ptr_array_index (self->cache_nodes, i);
      graphene_rect_t bounds;

      gsk_render_node_get_bounds (node, &bounds);
      x0 = MIN (x0, bounds.origin.x);
      x1 = MAX (x1, bounds.origin.x + bounds.size.width);
      gsk_render_node_draw (node, cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (self->cache_surface);
  g_ptr_array_set_size (self->cache_nodes, 0);

  /* What frames draw (a texture would be converted pixel by pixel on every frame by GTK 4.8's
   * cairo renderer); a unit of margin for the edges of what was drawn */
  remake_tiles (self, x0 - 1, x1 + 1);
}

/* The image, moved into place: on whole device pixels, so that it is copied, not resampled
 * (the bars move by less than half a pixel when a scroll puts them between two). */
static void
draw_raster (PmTimeline           *self,
             GtkSnapshot          *snapshot,
             const PmTimelineView *view)
{
  int scale = self->cache_scale;
  double x = self->cache_raster_rect.origin.x - view->offset * view->zoom;
  double y = self->cache_raster_rect.origin.y - view->lane_scroll;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (round (x * scale) / scale - self->cache_raster_rect.origin.x,
                                                round (y * scale) / scale - self->cache_raster_rect.origin.y));
  for (guint i = 0; i < self->cache_tiles->len; i++)
    gtk_snapshot_append_node (snapshot, g_ptr_array_index (self->cache_tiles, i));
  gtk_snapshot_restore (snapshot);
}

static void
draw_cached_bars (PmTimeline           *self,
                  GtkSnapshot          *snapshot,
                  const PmTimelineView *view)
{
  if (!cache_matches (self, view) || self->cache_nodes->len > MAX_INCREMENTS)
    {
      build_cache (self, view);
      rasterize_cache (self, view);
    }
  else if (self->pending->len > 0)
    {
      g_autoptr(GtkSnapshot) inc = gtk_snapshot_new ();
      PmTimelineView at_zero = *view;
      const PmTimelineBar *pending = (const PmTimelineBar *)(gpointer)self->pending->data;
      GskRenderNode *node;

      at_zero.offset = 0;
      at_zero.lane_scroll = 0;
      at_zero.lanes.size.height = view->lanes_total_h;
      self->cache_n_bars += draw_finished_bars (self, inc, &at_zero, pending, self->pending->len,
                                                FALSE,
                                                view->origin + (gint64)(self->cache_t0 * 1e6),
                                                view->origin + (gint64)(self->cache_t1 * 1e6));
      g_array_set_size (self->pending, 0);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&inc));
      if (node != NULL)
        g_ptr_array_add (self->cache_nodes, node);
      if (self->cache_surface != NULL)
        rasterize_cache (self, view);
    }

  self->n_bars_drawn = self->cache_n_bars;
  if (self->cache_tiles->len > 0)
    {
      draw_raster (self, snapshot, view);
      return;
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-view->offset * view->zoom,
                                                         -view->lane_scroll));
  for (guint i = 0; i < self->cache_nodes->len; i++)
    gtk_snapshot_append_node (snapshot, g_ptr_array_index (self->cache_nodes, i));
  gtk_snapshot_restore (snapshot);
}

/* The bars in the lanes: finished (from the cache in the widget), running, and the outline of
 * the selected job. t0 and t1 (wall µs) are the view's time span. */
void
_pm_timeline_draw_bars (PmTimeline           *self,
                        GtkSnapshot          *snapshot,
                        const PmTimelineView *view,
                        gint64                t0,
                        gint64                t1,
                        gboolean              use_cache)
{
  if (use_cache)
    draw_cached_bars (self, snapshot, view);
  else
    self->n_bars_drawn = draw_indexed_bars (self, snapshot, view, t0, t1);
  self->n_bars_drawn += draw_running (self, snapshot, view, t1);
  draw_selected (self, snapshot, view);
}

guint
_pm_timeline_get_n_bars_drawn (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), 0);
  return self->n_bars_drawn;
}

gboolean
_pm_timeline_bars_are_an_image (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), FALSE);
  return self->cache_valid && self->cache_tiles->len > 0;
}
