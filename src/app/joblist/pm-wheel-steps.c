/* pm-wheel-steps.c
 *
 * The job list scrolls by rows, with an adjustment of its own (pm-row-window.c says why). This
 * controller moves that adjustment for the wheel and the touchpad. Wheel steps that come faster
 * than frames are added up and applied once a frame: in GTK 4.8 each applied step relays the
 * list out, and a few hundred quick steps froze a long list for seconds. A wheel step moves by
 * the distance a GtkScrolledWindow would move its page for one step, a touchpad by its pixels;
 * both are turned into rows with the row height the list last measured. Shift and Ctrl are
 * left to GTK: horizontal scrolling, zooming.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pm-wheel-steps.h"

typedef struct
{
  GtkAdjustment *rows;
  double         row_height;
  double         pending;   /* rows not yet applied, down positive */
  guint          tick_id;
} WheelSteps;

static void
wheel_steps_free (WheelSteps *steps)
{
  g_clear_object (&steps->rows);
  g_free (steps);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  WheelSteps *steps = g_object_get_data (user_data, "pm-wheel-steps");

  gtk_adjustment_set_value (steps->rows, gtk_adjustment_get_value (steps->rows) + steps->pending);
  steps->pending = 0;
  steps->tick_id = 0;

  return G_SOURCE_REMOVE;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           WheelSteps               *steps)
{
  GtkEventController *self = GTK_EVENT_CONTROLLER (controller);
  GtkWidget *widget = gtk_event_controller_get_widget (self);
  GdkModifierType mods = gtk_event_controller_get_current_event_state (self);
  gboolean wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;

  if (dy == 0 || (mods & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0)
    return FALSE;

  if (wheel)
    {
      double page = gtk_adjustment_get_page_size (steps->rows) * steps->row_height;
      steps->pending += dy * pow (page, 2.0 / 3.0) / steps->row_height;
    }
  else
    steps->pending += dy / steps->row_height;

  if (steps->tick_id == 0)
    steps->tick_id = gtk_widget_add_tick_callback (widget, tick_cb, g_object_ref (self),
                                                   g_object_unref);
  /* A touchpad's sideways part goes on to the scrolled window. */
  return dx == 0;
}

/**
 * pm_wheel_steps_new:
 * @rows: the adjustment to move, counted in rows
 *
 * A controller (named "pm-wheel-steps") that moves @rows for the wheel, quick steps once a
 * frame, and for the touchpad. Add it to the widget that shows the rows.
 *
 * Returns: (transfer full): a new #GtkEventController
 */
GtkEventController *
pm_wheel_steps_new (GtkAdjustment *rows)
{
  GtkEventController *self = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  WheelSteps *steps = g_new0 (WheelSteps, 1);

  steps->rows = g_object_ref (rows);
  steps->row_height = 30;
  g_object_set_data_full (G_OBJECT (self), "pm-wheel-steps", steps,
                          (GDestroyNotify)wheel_steps_free);
  gtk_event_controller_set_propagation_phase (self, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (self, "pm-wheel-steps");
  g_signal_connect (self, "scroll", G_CALLBACK (scroll_cb), steps);
  return self;
}

/* How many pixels a row takes, to turn the wheel's and the touchpad's pixels into rows. */
void
pm_wheel_steps_set_row_height (GtkEventController *self,
                               double              row_height)
{
  WheelSteps *steps = g_object_get_data (G_OBJECT (self), "pm-wheel-steps");

  g_return_if_fail (steps != NULL);
  if (row_height > 0)
    steps->row_height = row_height;
}
