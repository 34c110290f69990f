/* pm-compare-chart.c
 *
 * Two runs side by side: for each, how many of its jobs ran at each moment, from its first
 * start (0 s) to its last end, as a step line on one chart with one time axis, so that a run at
 * limit 2 and one at limit 5 show their heights and their lengths at one look. Each line ends
 * with its makespan written beside it. For assistive technology the chart is an image named
 * "Runs compared" whose description says each run's limit, peak and makespan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pm-compare-chart.h"

typedef struct
{
  double t;        /* seconds from the run's first start */
  int    running;  /* after this step */
} Step;

typedef struct
{
  char   *name;
  GArray *steps;   /* Step, sorted by t; NULL when there is no run */
  guint   limit;
  guint   peak;
  double  makespan;
} Run;

struct _PmCompareChart
{
  GtkWidget parent_instance;

  Run       runs[PM_COMPARE_CHART_N_RUNS];
};

G_DEFINE_FINAL_TYPE (PmCompareChart, pm_compare_chart, GTK_TYPE_WIDGET)

void
pm_compare_chart_run_colour (guint     index,
                             gboolean  dark,
                             GdkRGBA  *colour)
{
  /* GNOME's blue 3 and green 5; lighter on a dark background */
  if (index == 0)
    gdk_rgba_parse (colour, dark ? "#99c1f1" : "#1a5fb4");
  else
    gdk_rgba_parse (colour, dark ? "#8ff0a4" : "#26a269");
}

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const Step *x = a, *y = b;

  /* ends before starts at one moment: a slot freed and refilled is no spike */
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->running - y->running;
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->name, g_free);
  g_clear_pointer (&run->steps, g_array_unref);
  run->limit = run->peak = 0;
  run->makespan = 0;
}

/* The running count over time of @pool's jobs that ran */
static void
run_set (Run        *run,
         PmPool     *pool,
         const char *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pool));
  gint64 first = G_MAXINT64, last = 0;
  int running = 0;

  run_clear (run);
  run->name = g_strdup (name);
  run->limit = pm_pool_get_max_workers (pool);
  run->steps = g_array_new (FALSE, FALSE, sizeof (Step));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      gint64 start = pm_job_get_start_time (job);
      gint64 runtime = pm_job_get_runtime (job);

      if (start <= 0 || runtime < 0)
        continue;
      first = MIN (first, start);
      last = MAX (last, start + runtime);
    }
  if (first >= last)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      gint64 start = pm_job_get_start_time (job);
      gint64 runtime = pm_job_get_runtime (job);
      /* running holds the change (+1, -1) until the sum below */
      Step up = { (start - first) / 1e6, 1 }, down = { (start + runtime - first) / 1e6, -1 };

      if (start <= 0 || runtime < 0)
        continue;
      g_array_append_val (run->steps, up);
      g_array_append_val (run->steps, down);
    }
  g_array_sort (run->steps, compare_steps);
  for (guint i = 0; i < run->steps->len; i++)
    {
      Step *step = &g_array_index (run->steps, Step, i);

      running += step->running;
      step->running = running;
      run->peak = MAX (run->peak, (guint)MAX (running, 0));
    }
  run->makespan = (last - first) / 1e6;
}

/* A step of 1, 2 or 5 × 10ⁿ that cuts @value into about four */
static double
nice_step (double value)
{
  double raw = value / 4, power, fraction;

  if (raw <= 0)
    return 1;
  power = pow (10, floor (log10 (raw)));
  fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

static void
show_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       align_x,
           double       align_y)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - width * align_x, y - height * align_y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw (PmCompareChart *self,
      cairo_t        *cr,
      int             width,
      int             height,
      const GdkRGBA  *fg,
      gboolean        dark)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0");
  double max_t = 0, x0, x1, y0, y1, t_top, t_step, r_top, legend_x;
  guint max_running = 1;
  int line;

  pango_layout_get_pixel_size (layout, NULL, &line);
  for (guint r = 0; r < PM_COMPARE_CHART_N_RUNS; r++)
    {
      max_t = MAX (max_t, self->runs[r].makespan);
      max_running = MAX (max_running, MAX (self->runs[r].peak, self->runs[r].limit));
    }
  t_step = nice_step (max_t * 1.05);
  t_top = t_step * ceil (max_t * 1.05 / t_step);
  r_top = max_running;
  x0 = line * 2.5;
  x1 = width - line;
  y0 = line * 1.8;
  y1 = height - line * 1.6;
  if (x1 - x0 < 20 || y1 - y0 < 20)
    return;

  /* the frame: jobs running at the left (0 and the top), seconds along the bottom */
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.5);
  cairo_move_to (cr, x0, round (y1) + 0.5);
  cairo_line_to (cr, x1, round (y1) + 0.5);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.8);
  for (guint i = 0; i <= 1; i++)
    {
      g_autofree char *label = g_strdup_printf ("%u", i == 0 ? 0 : max_running);

      show_text (cr, layout, label, x0 - line * 0.4, i == 0 ? y1 : y0, 1, 0.5);
    }
  for (double t = 0; t <= t_top + t_step / 2; t += t_step)
    {
      g_autofree char *label = g_strdup_printf (_("%g s"), t);

      show_text (cr, layout, label, x0 + (x1 - x0) * t / t_top, y1 + line * 0.2,
                 t + t_step / 2 > t_top ? 1 : t == 0 ? 0 : 0.5, 0);
    }

  /* the lines, and each run's name and makespan in the legend */
  legend_x = x0;
  for (guint r = 0; r < PM_COMPARE_CHART_N_RUNS; r++)
    {
      const Run *run = &self->runs[r];
      g_autofree char *label = NULL;
      GdkRGBA colour;
      double nudge = r == 0 ? -1 : 1;   /* apart by two pixels where the lines agree */
      double x = x0, y = y1 + nudge;
      int text_width;

      if (run->steps == NULL)
        continue;
      pm_compare_chart_run_colour (r, dark, &colour);
      gdk_cairo_set_source_rgba (cr, &colour);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, y);
      for (guint i = 0; i < run->steps->len; i++)
        {
          const Step *step = &g_array_index (run->steps, Step, i);

          /* Within a pixel, only where the changes lead: a slot freed and filled again a few
           * milliseconds later is no dip. */
          if (i + 1 < run->steps->len &&
              (g_array_index (run->steps, Step, i + 1).t - step->t) / t_top * (x1 - x0) < 1)
            continue;
          x = x0 + (x1 - x0) * step->t / t_top;
          cairo_line_to (cr, x, y);
          y = y1 - (y1 - y0) * step->running / r_top + nudge;
          cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);

      /* Translators: a run in the comparison: its name, its limit and its makespan */
      label = g_strdup_printf (_("%s: limit %u, %.1f s"), run->name ? run->name : "",
                               run->limit, run->makespan);
      cairo_rectangle (cr, legend_x, line * 0.5 - 1, line, 3);
      cairo_fill (cr);
      show_text (cr, layout, label, legend_x + line * 1.3, line * 0.5, 0, 0.5);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      legend_x += line * 2.5 + text_width;
    }
}

static void
pm_compare_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PmCompareChart *self = PM_COMPARE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw (self, cr, width, height, &fg,
        adw_style_manager_get_dark (adw_style_manager_get_default ()));
  cairo_destroy (cr);
}

static void
pm_compare_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "0");
  int line;

  /* the legend, a few lines of plot and the time axis, in lines of text: it scales with it */
  pango_layout_get_pixel_size (layout, NULL, &line);
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 280 : line * 6;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : line * 9;
}

static void
update_accessible (PmCompareChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint r = 0; r < PM_COMPARE_CHART_N_RUNS; r++)
    {
      const Run *run = &self->runs[r];

      if (run->steps == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: "this run: limit 5, at most 5 running, 9.0 s" */
      g_string_append_printf (text, _("%s: limit %u, at most %u running, %.1f s"),
                              run->name ? run->name : "", run->limit, run->peak, run->makespan);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text->str, -1);
}

static void
pm_compare_chart_finalize (GObject *object)
{
  PmCompareChart *self = PM_COMPARE_CHART (object);

  for (guint r = 0; r < PM_COMPARE_CHART_N_RUNS; r++)
    run_clear (&self->runs[r]);

  G_OBJECT_CLASS (pm_compare_chart_parent_class)->finalize (object);
}

static void
pm_compare_chart_class_init (PmCompareChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = pm_compare_chart_finalize;
  widget_class->snapshot = pm_compare_chart_snapshot;
  widget_class->measure = pm_compare_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "compare-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pm_compare_chart_init (PmCompareChart *self)
{
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Runs compared"), -1);
}

GtkWidget *
pm_compare_chart_new (void)
{
  return g_object_new (PM_TYPE_COMPARE_CHART, NULL);
}

/**
 * pm_compare_chart_set_run:
 * @index: 0 for the run the window shows, 1 for the one compared with it
 * @pool: (nullable): the run, ended or loaded; %NULL takes it off the chart
 * @name: (nullable): what the legend calls it
 */
void
pm_compare_chart_set_run (PmCompareChart *self,
                          guint           index,
                          PmPool         *pool,
                          const char     *name)
{
  g_return_if_fail (PM_IS_COMPARE_CHART (self));
  g_return_if_fail (index < PM_COMPARE_CHART_N_RUNS);
  g_return_if_fail (pool == NULL || PM_IS_POOL (pool));

  if (pool == NULL)
    run_clear (&self->runs[index]);
  else
    run_set (&self->runs[index], pool, name);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* How many runs the chart draws */
guint
pm_compare_chart_get_n_runs (PmCompareChart *self)
{
  guint n = 0;

  g_return_val_if_fail (PM_IS_COMPARE_CHART (self), 0);
  for (guint r = 0; r < PM_COMPARE_CHART_N_RUNS; r++)
    n += self->runs[r].steps != NULL;
  return n;
}

const char *
pm_compare_chart_get_name (PmCompareChart *self,
                           guint           index)
{
  g_return_val_if_fail (PM_IS_COMPARE_CHART (self) && index < PM_COMPARE_CHART_N_RUNS, NULL);
  return self->runs[index].name;
}

guint
pm_compare_chart_get_limit (PmCompareChart *self,
                            guint           index)
{
  g_return_val_if_fail (PM_IS_COMPARE_CHART (self) && index < PM_COMPARE_CHART_N_RUNS, 0);
  return self->runs[index].limit;
}

/* The most jobs of run @index that ran at once, as its line draws it */
guint
pm_compare_chart_get_peak (PmCompareChart *self,
                           guint           index)
{
  g_return_val_if_fail (PM_IS_COMPARE_CHART (self) && index < PM_COMPARE_CHART_N_RUNS, 0);
  return self->runs[index].peak;
}

double
pm_compare_chart_get_makespan (PmCompareChart *self,
                               guint           index)
{
  g_return_val_if_fail (PM_IS_COMPARE_CHART (self) && index < PM_COMPARE_CHART_N_RUNS, 0);
  return self->runs[index].makespan;
}

/* Draws the chart dark on light, for a picture */
void
pm_compare_chart_render_to_cairo (PmCompareChart *self,
                                  cairo_t        *cr,
                                  int             width,
                                  int             height)
{
  GdkRGBA fg = { 0.14, 0.12, 0.19, 1 };

  g_return_if_fail (PM_IS_COMPARE_CHART (self));
  draw (self, cr, width, height, &fg, FALSE);
}
