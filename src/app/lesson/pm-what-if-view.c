/* pm-what-if-view.c
 *
 * The what-if curve: for each pool limit from 1 up, the makespan a replay of the recorded jobs
 * gives (pm-what-if.c, left axis, seconds) and the speed-up over limit 1 (right axis, ×). The
 * recorded run's limit is ringed; a dashed line marks the core count and, where the jobs' CPU
 * times are known, the floor no limit goes below: their CPU time over the cores. One point is
 * selected: the arrow keys move it, Enter or a click on a point emits ::limit-activated with
 * its limit. For assistive technology the view is a slider over the limits whose value text
 * tells the selected point.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pm-compare-chart.h"
#include "pm-what-if-view.h"

struct _PmWhatIfView
{
  GtkWidget  parent_instance;

  PmWhatIf  *what_if;
  GArray    *points;     /* of PmWhatIfPoint */
  guint      selected;   /* index into points */
  guint      compared_limit;     /* another run's, or 0 */
  double     compared_makespan;  /* its own, as recorded */
  char      *compared_name;
};

G_DEFINE_FINAL_TYPE (PmWhatIfView, pm_what_if_view, GTK_TYPE_WIDGET)

enum
{
  LIMIT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  double x0, x1, y0, y1;     /* the plot area */
  double line;               /* a line of text, in pixels */
  double makespan_top;       /* seconds at y0 */
  double speed_up_top;       /* × at y0 */
} Frame;

/* The curves' colours: GNOME's blue 3 and orange 4, lighter on a dark background. */
static void
curve_colours (gboolean  dark,
               GdkRGBA  *makespan,
               GdkRGBA  *speed_up)
{
  gdk_rgba_parse (makespan, dark ? "#78aeed" : "#1c71d8");
  gdk_rgba_parse (speed_up, dark ? "#ffa348" : "#c64600");
}

static double
nice_step (double top,
           guint  n_ticks)
{
  double raw = top / MAX (n_ticks, 1), power, fraction;

  if (raw <= 0)
    return 1;
  power = pow (10, floor (log10 (raw)));
  fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

static double
point_x (const Frame *frame,
         guint        index,
         guint        n)
{
  if (n <= 1)
    return (frame->x0 + frame->x1) / 2;
  return frame->x0 + (frame->x1 - frame->x0) * index / (n - 1);
}

static double
value_y (const Frame *frame,
         double       value,
         double       top)
{
  return frame->y1 - (frame->y1 - frame->y0) * value / top;
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       align_x,   /* 0 left, 0.5 centre, 1 right of x */
           double       align_y)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - width * align_x, y - height * align_y);
  pango_cairo_show_layout (cr, layout);
}

static int
text_width (PangoLayout *layout,
            const char  *text)
{
  int width;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
draw (PmWhatIfView  *self,
      cairo_t       *cr,
      int            width,
      int            height,
      const GdkRGBA *fg,
      gboolean       dark,
      gboolean       focused)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  guint n = self->points ? self->points->len : 0;
  guint recorded = self->what_if ? pm_what_if_get_limit (self->what_if) : 0;
  guint cores = self->what_if ? pm_what_if_get_cores (self->what_if) : 0;
  double cpu = self->what_if ? pm_what_if_get_cpu (self->what_if) : -1;
  double max_makespan = 0, max_speed_up = 1, step;
  GdkRGBA makespan_colour, speed_up_colour;
  Frame frame;
  int line_height;
  guint label_every;

  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, NULL, &line_height);
  frame.line = line_height;
  curve_colours (dark, &makespan_colour, &speed_up_colour);

  if (n == 0)
    {
      gdk_cairo_set_source_rgba (cr, fg);
      show_text (cr, layout, _("No jobs ran: nothing to replay"), width / 2.0, height / 2.0,
                 0.5, 0.5);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const PmWhatIfPoint *point = &g_array_index (self->points, PmWhatIfPoint, i);

      max_makespan = MAX (max_makespan, point->makespan);
      max_speed_up = MAX (max_speed_up, point->speed_up);
    }
  if (self->compared_limit >= 1)
    max_makespan = MAX (max_makespan, self->compared_makespan);
  max_makespan = MAX (max_makespan, 0.001);
  frame.makespan_top = nice_step (max_makespan * 1.05, 4) * ceil (max_makespan * 1.05 /
                                                                  nice_step (max_makespan * 1.05, 4));
  frame.speed_up_top = nice_step (max_speed_up * 1.05, 4) * ceil (max_speed_up * 1.05 /
                                                                  nice_step (max_speed_up * 1.05, 4));

  frame.x0 = text_width (layout, "000.0 s") + frame.line;
  frame.x1 = width - text_width (layout, "00.0×") - frame.line;
  frame.y0 = frame.line * 2.2;
  frame.y1 = height - frame.line * 2.8;
  if (frame.x1 - frame.x0 < 20 || frame.y1 - frame.y0 < 20)
    return;

  cairo_set_line_width (cr, 1);

  /* the grid and the left axis, in seconds */
  step = nice_step (frame.makespan_top, 4);
  for (double v = 0; v <= frame.makespan_top + step / 2; v += step)
    {
      g_autofree char *label = g_strdup_printf (_("%g s"), v);
      double y = round (value_y (&frame, v, frame.makespan_top)) + 0.5;

      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, v == 0 ? 0.5 : 0.12);
      cairo_move_to (cr, frame.x0, y);
      cairo_line_to (cr, frame.x1, y);
      cairo_stroke (cr);
      gdk_cairo_set_source_rgba (cr, &makespan_colour);
      show_text (cr, layout, label, frame.x0 - frame.line * 0.4, y, 1, 0.5);
    }
  /* the right axis, × */
  step = nice_step (frame.speed_up_top, 4);
  gdk_cairo_set_source_rgba (cr, &speed_up_colour);
  for (double v = 0; v <= frame.speed_up_top + step / 2; v += step)
    {
      g_autofree char *label = g_strdup_printf (_("%g×"), v);

      show_text (cr, layout, label, frame.x1 + frame.line * 0.4,
                 value_y (&frame, v, frame.speed_up_top), 0, 0.5);
    }

  /* the limits along the bottom, as many as fit */
  label_every = 1;
  while (label_every < n &&
         (frame.x1 - frame.x0) / MAX (n - 1, 1) * label_every < text_width (layout, "000") * 1.6)
    label_every++;
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.8);
  for (guint i = 0; i < n; i++)
    {
      guint limit = g_array_index (self->points, PmWhatIfPoint, i).limit;
      g_autofree char *label = NULL;

      if ((limit - 1) % label_every != 0 && limit != recorded)
        continue;
      label = g_strdup_printf ("%u", limit);
      show_text (cr, layout, label, point_x (&frame, i, n), frame.y1 + frame.line * 0.3, 0.5, 0);
    }
  show_text (cr, layout, _("pool limit"), (frame.x0 + frame.x1) / 2, height - 2, 0.5, 1);

  /* the selected limit: a band behind the curves */
  {
    double x = point_x (&frame, self->selected, n);
    double half = MAX (4, (frame.x1 - frame.x0) / MAX (n - 1, 1) / 2.5);

    cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, focused ? 0.16 : 0.08);
    cairo_rectangle (cr, x - half, frame.y0, 2 * half, frame.y1 - frame.y0);
    cairo_fill (cr);
  }

  /* the cores: a dashed line at their count, and the floor of CPU time over them */
  {
    double dash[] = { 4, 3 };

    cairo_save (cr);
    cairo_set_dash (cr, dash, 2, 0);
    cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.55);
    if (cores >= 1 && cores <= n)
      {
        g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u core",
                                                               "%u cores", cores), cores);
        double x = round (point_x (&frame, cores - 1, n)) + 0.5;

        cairo_move_to (cr, x, frame.y0);
        cairo_line_to (cr, x, frame.y1);
        cairo_stroke (cr);
        show_text (cr, layout, label, x, frame.y0, 0.5, 1);
      }
    if (cpu > 0 && cores > 0 && cpu / cores > frame.makespan_top * 0.03)
      {
        double y = round (value_y (&frame, cpu / cores, frame.makespan_top)) + 0.5;

        cairo_move_to (cr, frame.x0, y);
        cairo_line_to (cr, frame.x1, y);
        cairo_stroke (cr);
        show_text (cr, layout, _("CPU time ÷ cores"), frame.x1 - frame.line * 0.3, y, 1, 1);
      }
    cairo_restore (cr);
  }

  /* the curves */
  cairo_set_line_width (cr, 2);
  for (guint curve = 0; curve < 2; curve++)
    {
      gdk_cairo_set_source_rgba (cr, curve == 0 ? &makespan_colour : &speed_up_colour);
      for (guint i = 0; i < n; i++)
        {
          const PmWhatIfPoint *point = &g_array_index (self->points, PmWhatIfPoint, i);
          double y = curve == 0 ? value_y (&frame, point->makespan, frame.makespan_top)
                                : value_y (&frame, point->speed_up, frame.speed_up_top);

          if (i == 0)
            cairo_move_to (cr, point_x (&frame, i, n), y);
          else
            cairo_line_to (cr, point_x (&frame, i, n), y);
        }
      cairo_stroke (cr);
      for (guint i = 0; i < n; i++)
        {
          const PmWhatIfPoint *point = &g_array_index (self->points, PmWhatIfPoint, i);
          double x = point_x (&frame, i, n);
          double r = i == self->selected ? 5 : 3;

          if (curve == 0)
            cairo_arc (cr, x, value_y (&frame, point->makespan, frame.makespan_top), r, 0,
                       2 * G_PI);
          else
            cairo_rectangle (cr, x - r, value_y (&frame, point->speed_up, frame.speed_up_top) - r,
                             2 * r, 2 * r);
          cairo_fill (cr);
        }
    }

  /* the recorded run, ringed and named; in a comparison, in its colour on the chart below */
  if (recorded >= 1 && recorded <= n)
    {
      const PmWhatIfPoint *point = &g_array_index (self->points, PmWhatIfPoint, recorded - 1);
      double x = point_x (&frame, recorded - 1, n);
      double y = value_y (&frame, point->makespan, frame.makespan_top);
      GdkRGBA colour = *fg;

      if (self->compared_limit >= 1)
        pm_compare_chart_run_colour (0, dark, &colour);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_set_line_width (cr, 2);
      cairo_new_path (cr);
      cairo_arc (cr, x, y, 9, 0, 2 * G_PI);
      cairo_stroke (cr);
      show_text (cr, layout, _("this run"), x + 12, y - 10, 0, 1);
    }
  /* the run compared with it: at its limit and its own recorded makespan */
  if (self->compared_limit >= 1 && self->compared_limit <= n)
    {
      double x = point_x (&frame, self->compared_limit - 1, n);
      double y = value_y (&frame, self->compared_makespan, frame.makespan_top);
      GdkRGBA colour;

      pm_compare_chart_run_colour (1, dark, &colour);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_set_line_width (cr, 3);
      cairo_new_path (cr);   /* the text left a current point: no line from it */
      cairo_arc (cr, x, y, 9, 0, 2 * G_PI);
      cairo_stroke (cr);
      show_text (cr, layout, self->compared_name ? self->compared_name : "", x + 12, y + 10,
                 0, 0);
    }

  /* the legend */
  {
    double x = frame.x0;
    const char *names[] = { _("makespan"), _("speed-up over limit 1") };

    for (guint curve = 0; curve < 2; curve++)
      {
        gdk_cairo_set_source_rgba (cr, curve == 0 ? &makespan_colour : &speed_up_colour);
        cairo_rectangle (cr, x, frame.line * 0.5 - 1, frame.line, 3);
        cairo_fill (cr);
        show_text (cr, layout, names[curve], x + frame.line * 1.3, frame.line * 0.5, 0, 0.5);
        x += frame.line * 2.5 + text_width (layout, names[curve]);
      }
  }
}

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static void
pm_what_if_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  PmWhatIfView *self = PM_WHAT_IF_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw (self, cr, width, height, &fg, is_dark (), gtk_widget_has_focus (widget));
  cairo_destroy (cr);
}

static void
update_accessible (PmWhatIfView *self)
{
  g_autofree char *text = NULL;
  guint n = self->points ? self->points->len : 0;

  if (n == 0)
    return;
  text = pm_what_if_view_dup_point_text (self, self->selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 1.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double)n,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double)self->selected + 1,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PmWhatIfView          *self)
{
  guint n = self->points ? self->points->len : 0;

  if (n == 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Down:
      pm_what_if_view_select (self, self->selected > 0 ? self->selected - 1 : 0);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
    case GDK_KEY_Up:
      pm_what_if_view_select (self, MIN (self->selected + 1, n - 1));
      return TRUE;
    case GDK_KEY_Home:
      pm_what_if_view_select (self, 0);
      return TRUE;
    case GDK_KEY_End:
      pm_what_if_view_select (self, n - 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      pm_what_if_view_activate_selected (self);
      return TRUE;
    default:
      return FALSE;
    }
}

/* The point nearest @x along the limits */
static guint
index_at (PmWhatIfView *self,
          double        x)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  guint n = self->points->len;
  int line_height;
  double x0, x1;

  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, NULL, &line_height);
  x0 = text_width (layout, "000.0 s") + line_height;
  x1 = gtk_widget_get_width (GTK_WIDGET (self)) - text_width (layout, "00.0×") - line_height;
  if (n <= 1 || x1 <= x0)
    return 0;
  return (guint)CLAMP (round ((x - x0) / (x1 - x0) * (n - 1)), 0, n - 1);
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            PmWhatIfView    *self)
{
  if (self->points == NULL || self->points->len == 0)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  pm_what_if_view_select (self, index_at (self, x));
  pm_what_if_view_activate_selected (self);
}

static void
pm_what_if_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 280 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 360;
}

static void
pm_what_if_view_finalize (GObject *object)
{
  PmWhatIfView *self = PM_WHAT_IF_VIEW (object);

  g_clear_pointer (&self->what_if, pm_what_if_free);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->compared_name, g_free);

  G_OBJECT_CLASS (pm_what_if_view_parent_class)->finalize (object);
}

static void
pm_what_if_view_class_init (PmWhatIfViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pm_what_if_view_finalize;
  widget_class->snapshot = pm_what_if_view_snapshot;
  widget_class->measure = pm_what_if_view_measure;

  /**
   * PmWhatIfView::limit-activated:
   * @limit: the limit of the point clicked or activated with Enter
   */
  signals[LIMIT_ACTIVATED] = g_signal_new ("limit-activated", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "what-if-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
pm_what_if_view_init (PmWhatIfView *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("What-if curve"), -1);
}

GtkWidget *
pm_what_if_view_new (void)
{
  return g_object_new (PM_TYPE_WHAT_IF_VIEW, NULL);
}

/**
 * pm_what_if_view_set_what_if:
 * @what_if: (transfer full) (nullable): the replay to draw
 *
 * Draws its table from limit 1 to its maximum; the recorded limit is selected.
 */
void
pm_what_if_view_set_what_if (PmWhatIfView *self,
                             PmWhatIf     *what_if)
{
  g_return_if_fail (PM_IS_WHAT_IF_VIEW (self));

  g_clear_pointer (&self->what_if, pm_what_if_free);
  g_clear_pointer (&self->points, g_array_unref);
  self->what_if = what_if;
  self->selected = 0;
  if (what_if != NULL && pm_what_if_get_n_jobs (what_if) > 0)
    {
      self->points = pm_what_if_table (what_if, MAX (pm_what_if_get_max_limit (what_if),
                                                     self->compared_limit));
      if (pm_what_if_get_limit (what_if) >= 1)
        self->selected = MIN (pm_what_if_get_limit (what_if), self->points->len) - 1;
    }
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
pm_what_if_view_get_n_points (PmWhatIfView *self)
{
  g_return_val_if_fail (PM_IS_WHAT_IF_VIEW (self), 0);
  return self->points ? self->points->len : 0;
}

const PmWhatIfPoint *
pm_what_if_view_get_point (PmWhatIfView *self,
                           guint         index)
{
  g_return_val_if_fail (PM_IS_WHAT_IF_VIEW (self), NULL);
  g_return_val_if_fail (self->points != NULL && index < self->points->len, NULL);
  return &g_array_index (self->points, PmWhatIfPoint, index);
}

guint
pm_what_if_view_get_selected (PmWhatIfView *self)
{
  g_return_val_if_fail (PM_IS_WHAT_IF_VIEW (self), 0);
  return self->selected;
}

void
pm_what_if_view_select (PmWhatIfView *self,
                        guint         index)
{
  g_return_if_fail (PM_IS_WHAT_IF_VIEW (self));

  if (self->points == NULL || index >= self->points->len || index == self->selected)
    return;
  self->selected = index;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Emits ::limit-activated for the selected point. */
void
pm_what_if_view_activate_selected (PmWhatIfView *self)
{
  g_return_if_fail (PM_IS_WHAT_IF_VIEW (self));

  if (self->points == NULL || self->points->len == 0)
    return;
  g_signal_emit (self, signals[LIMIT_ACTIVATED], 0,
                 g_array_index (self->points, PmWhatIfPoint, self->selected).limit);
}

/* "Limit 3: 5.0 s, 2.6×", with "(this run)" or "(cores full)" where it applies */
char *
pm_what_if_view_dup_point_text (PmWhatIfView *self,
                                guint         index)
{
  const PmWhatIfPoint *point = pm_what_if_view_get_point (self, index);
  GString *text;

  g_return_val_if_fail (point != NULL, NULL);
  text = g_string_new (NULL);
  g_string_append_printf (text, _("Limit %u: %.1f s, %.2f×"), point->limit, point->makespan,
                          point->speed_up);
  if (point->limit == pm_what_if_get_limit (self->what_if))
    g_string_append_printf (text, " %s", _("(this run)"));
  if (point->cpu_bound)
    g_string_append_printf (text, " %s", _("(cores full)"));
  if (point->limit == self->compared_limit)
    {
      g_string_append_c (text, ' ');
      /* Translators: the run compared with this one, at this limit: "(run of 20:31:05: 7.2 s)" */
      g_string_append_printf (text, _("(%s: %.1f s)"),
                              self->compared_name ? self->compared_name : "",
                              self->compared_makespan);
    }
  return g_string_free (text, FALSE);
}

/**
 * pm_what_if_view_set_compared:
 * @limit: the limit of the run compared with this one, or 0 for none
 * @makespan: its makespan, as recorded
 * @name: (nullable): what to call it beside its point
 *
 * Rings that run's point (its limit, its makespan) on the curve; the curve reaches its limit.
 */
void
pm_what_if_view_set_compared (PmWhatIfView *self,
                              guint         limit,
                              double        makespan,
                              const char   *name)
{
  PmWhatIf *what_if;
  guint selected;

  g_return_if_fail (PM_IS_WHAT_IF_VIEW (self));

  self->compared_limit = limit;
  self->compared_makespan = makespan;
  g_free (self->compared_name);
  self->compared_name = g_strdup (name);
  /* the table again, to reach the compared limit; the selection stays */
  selected = self->selected;
  what_if = g_steal_pointer (&self->what_if);
  pm_what_if_view_set_what_if (self, what_if);
  if (self->points != NULL)
    self->selected = MIN (selected, self->points->len - 1);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * pm_what_if_view_get_compared:
 * @point: (out): the compared run's point: its limit and recorded makespan
 *
 * Returns: %TRUE if a run is compared and its point is drawn
 */
gboolean
pm_what_if_view_get_compared (PmWhatIfView  *self,
                              PmWhatIfPoint *point)
{
  g_return_val_if_fail (PM_IS_WHAT_IF_VIEW (self), FALSE);

  if (self->compared_limit == 0 || self->points == NULL ||
      self->compared_limit > self->points->len)
    return FALSE;
  point->limit = self->compared_limit;
  point->makespan = self->compared_makespan;
  point->speed_up = g_array_index (self->points, PmWhatIfPoint, 0).makespan /
                    MAX (self->compared_makespan, 1e-9);
  point->cpu_bound = FALSE;
  return TRUE;
}

/**
 * pm_what_if_view_render_to_cairo:
 *
 * Draws the curve for a picture on its own: dark on light, whatever the window's style.
 */
void
pm_what_if_view_render_to_cairo (PmWhatIfView *self,
                                 cairo_t      *cr,
                                 int           width,
                                 int           height)
{
  GdkRGBA fg = { 0.14, 0.12, 0.19, 1 };

  g_return_if_fail (PM_IS_WHAT_IF_VIEW (self));
  draw (self, cr, width, height, &fg, FALSE, FALSE);
}
