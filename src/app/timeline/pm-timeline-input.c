/* pm-timeline-input.c: scroll, drag, pinch, click and keys; the tooltip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "pm-timeline-internal.h"

static gboolean
lanes_overflow (PmTimeline *self)
{
  PmTimelineView view;

  _pm_timeline_widget_view (self, &view);
  return view.lanes_total_h > view.lanes.size.height + 0.5;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PmTimeline               *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (controller);
  double scale = unit == GDK_SCROLL_UNIT_WHEEL ? 48 : 1;

  if (state & GDK_CONTROL_MASK)
    {
      GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
      double x = _pm_timeline_metrics (self)->label_w + _pm_timeline_lanes_width (self) / 2, y;
      double step = unit == GDK_SCROLL_UNIT_WHEEL ? ZOOM_STEP : 1.01;

      if (event != NULL)
        gdk_event_get_position (event, &x, &y);
      _pm_timeline_zoom_around (self, pow (step, -dy), x);
      return TRUE;
    }
  /* Lanes that overflow scroll up and down under a vertical wheel; Shift+wheel pans in time. */
  if (fabs (dy) > fabs (dx) && !(state & GDK_SHIFT_MASK) && lanes_overflow (self))
    {
      _pm_timeline_scroll_lanes (self, dy * scale);
      return TRUE;
    }
  _pm_timeline_pan_by (self, (dx + dy) * scale);
  return TRUE;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PmTimeline     *self)
{
  self->drag_offset = self->offset;
  self->drag_lane_scroll = self->lane_scroll;
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PmTimeline     *self)
{
  /* Up and down, lanes that overflow follow the pointer */
  if (fabs (dy) >= 3 && lanes_overflow (self))
    _pm_timeline_scroll_lanes (self, self->drag_lane_scroll - dy - self->lane_scroll);
  if (fabs (dx) < 3 && self->drag_offset == self->offset)
    return;
  self->offset = self->drag_offset;
  _pm_timeline_pan_by (self, -dx);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               PmTimeline       *self)
{
  double y;

  self->pinch_zoom = self->zoom;
  if (!gtk_gesture_get_bounding_box_center (gesture, &self->pinch_x, &y))
    self->pinch_x = _pm_timeline_metrics (self)->label_w + _pm_timeline_lanes_width (self) / 2;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       PmTimeline     *self)
{
  _pm_timeline_zoom_around (self, self->pinch_zoom * scale / self->zoom, self->pinch_x);
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
    _pm_timeline_activate_job (self, job);
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
      _pm_timeline_pan_by (self, -_pm_timeline_lanes_width (self) / 8);
      return TRUE;
    case GDK_KEY_Right:
      _pm_timeline_pan_by (self, _pm_timeline_lanes_width (self) / 8);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_Down:
    case GDK_KEY_Page_Up:
    case GDK_KEY_Page_Down:
      {
        PmTimelineView view;
        double step;

        if (!lanes_overflow (self))
          return FALSE;
        _pm_timeline_widget_view (self, &view);
        step = keyval == GDK_KEY_Up || keyval == GDK_KEY_Down
               ? view.lane_h : view.lanes.size.height - view.lane_h;
        _pm_timeline_scroll_lanes (self, keyval == GDK_KEY_Up || keyval == GDK_KEY_Page_Up
                                         ? -step : step);
        return TRUE;
      }
    case GDK_KEY_Home:
      _pm_timeline_pan_by (self, -G_MAXINT / 4.0);
      return TRUE;
    case GDK_KEY_End:
      _pm_timeline_pan_by (self, G_MAXINT / 4.0);
      pm_timeline_set_follow (self, TRUE);
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
format_job_tooltip (PmTimeline          *self,
                    PmJob               *job,
                    const PmTimelineBar *bar)
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
      gint64 origin = _pm_timeline_run_origin (self);

      g_string_append_printf (text, bar ? _(", slot %u, started %s (+%.1f s), ran %.1f s")
                                    : _(", slot %u, started %s (+%.1f s), running for %.1f s"),
                              slot, clock, origin ? (start - origin) / 1e6 : 0.0,
                              (end - start) / 1e6);
      if (pm_job_get_slot_pid (job) > 0)
        g_string_append_printf (text, _("\nRun by the slot process PID %d"),
                                pm_job_get_slot_pid (job));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A lane is a slot process, as Pool(5) is five worker processes. */
static char *
format_lane_tooltip (PmTimeline *self,
                     guint       slot)
{
  PmPool *pool = pm_timeline_get_pool (self);
  GPid pid = pool ? pm_pool_get_slot_pid (pool, slot) : 0;
  const char *host = pool ? pm_pool_get_slot_host (pool, slot) : NULL;

  /* A remote lane's slot process runs there: here it is ssh's, or a channel of the host's
   * shared connection */
  if (host != NULL)
    return g_strdup_printf (_("Slot %u: a pool-slot process on %s runs its jobs one after "
                              "another"), slot, host);
  if (pid > 0)
    return g_strdup_printf (_("Slot %u: the pool-slot process PID %d runs its jobs one after "
                            "another"), slot, pid);
  return g_strdup_printf (_("Slot %u: no slot process now (it starts with the lane's next job)"),
                          slot);
}

/* What the tooltip says at (x, y) in the widget: the job there, or the lane's slot process */
char *
_pm_timeline_dup_tooltip (PmTimeline *self,
                          double      x,
                          double      y)
{
  const PmTimelineBar *bar;
  PmJob *job = _pm_timeline_job_at (self, x, y, &bar);
  guint slot;

  if (job != NULL)
    return format_job_tooltip (self, job, bar);
  if ((slot = _pm_timeline_lane_label_at (self, x, y)) > 0)
    return format_lane_tooltip (self, slot);
  return NULL;
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  PmTimeline *self)
{
  g_autofree char *text = _pm_timeline_dup_tooltip (self, x, y);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
_pm_timeline_init_input (PmTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  gtk_widget_set_has_tooltip (widget, TRUE);
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
}
