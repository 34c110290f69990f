/* pm-timeline-paint.c: colours, text and shapes the drawing is made of
 *
 * The state colours and the contrast rules for text, the timeline's Pango layout, and the
 * helpers that append text, rectangles and dashed lines to a snapshot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pm-timeline-internal.h"

/* Colours */

/* One colour per state, for the bars, the key and (as @pm_state_* in ui/style.css, which
 * test-timeline-drawing holds to these) the job list's State column. Each is a middle tone
 * (relative luminance 0.16–0.29) so that a bar stands out at 3:1 from the lanes of the light
 * and the dark style alike, and black text on it reads at 4.5:1. Killed is orange, apart from
 * failed red: the job did not fail by itself. */
void
_pm_timeline_get_state_color (PmJobState  state,
                              GdkRGBA    *color)
{
  const char *spec;

  switch (state)
    {
    case PM_JOB_STATE_RUNNING:         spec = "#3584e4"; break;
    case PM_JOB_STATE_PAUSED:          spec = "#a67807"; break;
    case PM_JOB_STATE_SUCCEEDED:       spec = "#22915e"; break;
    case PM_JOB_STATE_FAILED:          spec = "#e84149"; break;
    case PM_JOB_STATE_KILLED:          spec = "#d55a00"; break;
    case PM_JOB_STATE_TIMED_OUT:       spec = "#a8754b"; break;
    case PM_JOB_STATE_FAILED_TO_START: spec = "#d8407b"; break;
    case PM_JOB_STATE_QUEUED:          spec = "#9a66c7"; break;
    case PM_JOB_STATE_CANCELLED:
    default:                           spec = "#81807c"; break;
    }
  gdk_rgba_parse (color, spec);
}

/* WCAG 2 relative luminance of an opaque colour */
static double
luminance (const GdkRGBA *c)
{
  double rgb[3] = { c->red, c->green, c->blue };

  for (guint i = 0; i < 3; i++)
    rgb[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

/* Text drawn on @background: black or white, whichever contrasts more (white on the green
 * and orange bars was about 3.3:1; the one chosen is at least 4.5:1 on every state colour). */
void
_pm_timeline_text_on (const GdkRGBA *background,
                      GdkRGBA       *text)
{
  double l = luminance (background);
  double on_white = 1.05 / (l + 0.05);
  double on_black = (l + 0.05) / 0.05;

  *text = on_black > on_white ? (GdkRGBA) { 0, 0, 0, 1 } : (GdkRGBA) { 1, 1, 1, 1 };
}

/* @color, darkened or lightened until it reads as text on @background (4.5:1) */
void
_pm_timeline_text_color_on (const GdkRGBA *color,
                            const GdkRGBA *background,
                            GdkRGBA       *text)
{
  double lb = luminance (background);
  gboolean darken = lb > 0.18;

  *text = *color;
  text->alpha = 1;
  for (guint i = 0; i < 20; i++)
    {
      double lt = luminance (text);

      if ((MAX (lt, lb) + 0.05) / (MIN (lt, lb) + 0.05) >= 4.6)
        break;
      if (darken)
        {
          text->red *= 0.88; text->green *= 0.88; text->blue *= 0.88;
        }
      else
        {
          text->red += (1 - text->red) * 0.15;
          text->green += (1 - text->green) * 0.15;
          text->blue += (1 - text->blue) * 0.15;
        }
    }
}

/* Text and shapes */

PangoLayout *
_pm_timeline_get_layout (PmTimeline *self,
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
  /* GTK gives the widget's font an absolute size (pixels, the text scale applied): keep it
   * absolute, or the resolution would scale it a second time. */
  if (pango_font_description_get_size (desc) <= 0)
    pango_font_description_set_size (desc, 10 * PANGO_SCALE);
  if (pango_font_description_get_size_is_absolute (desc))
    pango_font_description_set_absolute_size (desc, pango_font_description_get_size (desc) * scale);
  else
    pango_font_description_set_size (desc, (int)(pango_font_description_get_size (desc) * scale));
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (self->layout, desc);
  pango_font_description_free (desc);

  pango_layout_set_width (self->layout, -1);
  pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text (self->layout, text, -1);
  return self->layout;
}

/* Draws @layout at (x, y) in @color over @on (NULL: the widget's background), inside @box
 * (NULL: the whole widget); the tests read back where each text went. */
void
_pm_timeline_draw_text (PmTimeline            *self,
                        GtkSnapshot           *snapshot,
                        const PmTimelineView  *view,
                        PmTimelineTextKind     kind,
                        PangoLayout           *layout,
                        double                 x,
                        double                 y,
                        const GdkRGBA         *color,
                        const GdkRGBA         *on,
                        const graphene_rect_t *box)
{
  if (self->texts != NULL)
    {
      PangoRectangle ink, logical;
      PmTimelineText text = { 0 };

      pango_layout_get_pixel_extents (layout, &ink, &logical);
      /* The logical width, the ink's height: a line's leading is not text */
      graphene_rect_init (&text.rect, x + logical.x, y + ink.y, logical.width, ink.height);
      graphene_rect_init (&text.box, 0, 0, view->width, view->height);
      if (box != NULL)
        text.box = *box;
      text.color = *color;
      text.on = on ? *on : view->bg;
      text.kind = kind;
      text.ellipsized = pango_layout_is_ellipsized (layout);
      g_strlcpy (text.text, pango_layout_get_text (layout), sizeof text.text);
      g_array_append_val (self->texts, text);
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

void
_pm_timeline_fill_rect (GtkSnapshot   *snapshot,
                        const GdkRGBA *color,
                        double         x,
                        double         y,
                        double         w,
                        double         h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

void
_pm_timeline_fill_rounded (GtkSnapshot   *snapshot,
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
      _pm_timeline_fill_rect (snapshot, color, x, y, w, h);
      return;
    }
  gsk_rounded_rect_init_from_rect (&rounded, &GRAPHENE_RECT_INIT (x, y, w, h), radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  _pm_timeline_fill_rect (snapshot, color, x, y, w, h);
  gtk_snapshot_pop (snapshot);
}

void
_pm_timeline_append_outline (GtkSnapshot          *snapshot,
                             const GskRoundedRect *outline,
                             float                 width,
                             const GdkRGBA        *color)
{
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gtk_snapshot_append_border (snapshot, outline, widths, colors);
}

void
_pm_timeline_dashed_vline (GtkSnapshot   *snapshot,
                           const GdkRGBA *color,
                           double         x,
                           double         y0,
                           double         y1,
                           double         width)
{
  for (double y = y0; y < y1; y += 7)
    _pm_timeline_fill_rect (snapshot, color, x - width / 2, y, width, MIN (4, y1 - y));
}

void
_pm_timeline_dashed_hline (GtkSnapshot   *snapshot,
                           const GdkRGBA *color,
                           double         x0,
                           double         x1,
                           double         y,
                           double         width)
{
  for (double x = x0; x < x1; x += 8)
    _pm_timeline_fill_rect (snapshot, color, x, y - width / 2, MIN (5, x1 - x), width);
}
