/* pm-timeline-key.c: the colour key of job states, under the time axis
 *
 * One swatch and name per state the run's bars show (running while the run is live), in the
 * colours the bars are drawn in; the items wrap onto more rows when large text makes them wider
 * than the lanes. The exported pictures draw it too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-timeline-internal.h"

/* The order of the key: what runs, then how jobs ended, best first */
static const PmJobState key_order[] = {
  PM_JOB_STATE_RUNNING,
  PM_JOB_STATE_PAUSED,
  PM_JOB_STATE_SUCCEEDED,
  PM_JOB_STATE_FAILED,
  PM_JOB_STATE_KILLED,
  PM_JOB_STATE_TIMED_OUT,
  PM_JOB_STATE_FAILED_TO_START,
  PM_JOB_STATE_CANCELLED,
};

guint
_pm_timeline_key_states (PmTimeline *self,
                         gboolean    live,
                         PmJobState *states)
{
  guint seen = self->states_seen;
  guint n = 0;

  if (live || self->running->len > 0)
    seen |= 1u << PM_JOB_STATE_RUNNING;
  /* Before anything ran: what a run will show */
  if (seen == 0)
    seen = (1u << PM_JOB_STATE_RUNNING) | (1u << PM_JOB_STATE_SUCCEEDED) |
           (1u << PM_JOB_STATE_FAILED);
  for (guint i = 0; i < G_N_ELEMENTS (key_order); i++)
    if (seen & (1u << key_order[i]))
      states[n++] = key_order[i];
  return n;
}

/* Lays the key out in view->key's width; calls @draw (if any) for each item. Returns the
 * height of the rows it took. */
static double
layout_key (PmTimeline           *self,
            GtkSnapshot          *snapshot,
            const PmTimelineView *view)
{
  PmJobState states[G_N_ELEMENTS (key_order)];
  guint n = _pm_timeline_key_states (self, view->live, states);
  double row_h = view->m.key_h;
  double left = view->key.origin.x, right = left + view->key.size.width;
  double x = left, y = view->key.origin.y;
  double swatch = MAX (8, row_h - 10);
  GdkRGBA text = _pm_timeline_with_alpha (&view->fg, 0.8);

  for (guint i = 0; i < n; i++)
    {
      PangoLayout *layout = _pm_timeline_get_layout (self, pm_job_state_to_label (states[i]),
                                                     TEXT_SMALL, FALSE);
      double item_w;
      int tw, th;

      pango_layout_get_pixel_size (layout, &tw, &th);
      item_w = swatch + 5 + tw;
      if (x > left && x + item_w > right)
        {
          x = left;
          y += row_h;
        }
      if (snapshot != NULL)
        {
          GdkRGBA color;

          _pm_timeline_get_state_color (states[i], &color);
          _pm_timeline_fill_rounded (snapshot, &color, x, y + (row_h - swatch) / 2, swatch,
                                     swatch, 2);
          _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_KEY, layout,
                                  x + swatch + 5, y + (row_h - th) / 2, &text, NULL, NULL);
        }
      x += item_w + 16;
    }
  return y + row_h - view->key.origin.y;
}

double
_pm_timeline_key_height (PmTimeline           *self,
                         const PmTimelineView *view)
{
  return layout_key (self, NULL, view);
}

void
_pm_timeline_draw_key (PmTimeline           *self,
                       GtkSnapshot          *snapshot,
                       const PmTimelineView *view)
{
  layout_key (self, snapshot, view);
}
