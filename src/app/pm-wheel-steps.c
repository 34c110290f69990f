/* pm-wheel-steps.c
 *
 * GTK 4.8: when wheel steps come faster than frames, a GtkScrolledWindow moves its list view
 * for each before the last was laid out, every bound row is rebound for each, and a long list
 * jumps far past where the wheel meant to go (tens of thousands of rows for a few hundred quick
 * steps), frozen for seconds. This controller, added to the scrolled window, takes the wheel's
 * vertical steps first (capture phase), adds them up, and applies the sum once a frame, by
 * the same distance a GtkScrolledWindow moves for a step. Touchpads (pixel deltas), Shift and
 * Ctrl are left to GTK: kinetic scrolling, horizontal scrolling, zooming.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pm-wheel-steps.h"

typedef struct
{
  double pending;   /* steps not yet applied, down positive */
  guint  tick_id;
} WheelSteps;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  WheelSteps *steps = g_object_get_data (user_data, "pm-wheel-steps");
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));
  double step = pow (gtk_adjustment_get_page_size (adj), 2.0 / 3.0);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + steps->pending * step);
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

  if (!GTK_IS_SCROLLED_WINDOW (widget) ||
      gtk_event_controller_scroll_get_unit (controller) != GDK_SCROLL_UNIT_WHEEL ||
      dy == 0 || dx != 0 || (mods & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0)
    return FALSE;

  steps->pending += dy;
  if (steps->tick_id == 0)
    steps->tick_id = gtk_widget_add_tick_callback (widget, tick_cb, g_object_ref (self),
                                                   g_object_unref);
  return TRUE;
}

/**
 * pm_wheel_steps_new:
 *
 * A controller for a #GtkScrolledWindow (named "pm-wheel-steps") that applies quick mouse-wheel
 * steps once a frame.
 *
 * Returns: (transfer full): a new #GtkEventController
 */
GtkEventController *
pm_wheel_steps_new (void)
{
  GtkEventController *self = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  WheelSteps *steps = g_new0 (WheelSteps, 1);

  g_object_set_data_full (G_OBJECT (self), "pm-wheel-steps", steps, g_free);
  gtk_event_controller_set_propagation_phase (self, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (self, "pm-wheel-steps");
  g_signal_connect (self, "scroll", G_CALLBACK (scroll_cb), steps);
  return self;
}
