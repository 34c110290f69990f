/* pm-timeline-cores.c: the machine's CPUs in the chart
 *
 * The CPU count drawn beside the limit is pm_cpu_count (): the CPUs this process may run on
 * (its affinity mask, as nproc counts them), which its jobs inherit, and the count the what-if
 * curve bounds the replay by. GLib 2.74's g_get_num_processors () would count every online CPU,
 * ignoring the mask.
 *
 * The strip under the chart's lines has one row per CPU that libgtop reads (the machine's, so
 * that other programs' load shows too), each interval between two samples shaded by how busy
 * that CPU was. Samples are taken on the window's live beat while a run goes
 * (pm_timeline_sample_cores ()), not on a timer of their own, and kept until another run is
 * shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "pm-core-usage.h"
#include "pm-timeline-cores.h"
#include "pm-timeline-internal.h"
#include "pm-util.h"

#define ROW_MAX_H   7.0
#define STRIP_MAX_H 36.0
#define LABEL_SCALE 0.7

/* GNOME's orange 3: the cores, apart from the running (blue) and queued (purple) lines */
static const GdkRGBA core_color = { 0xff / 255., 0x78 / 255., 0x00 / 255., 1 };

struct _PmTimelineCores
{
  PmCoreUsage *usage;     /* made at the first sample */
  GArray      *scratch;   /* double: the last sample's values */
  guint        n_cpus;    /* values per sample */
  gint64       last_t;    /* wall µs of the previous sample, 0 before the first */
  GArray      *starts;    /* gint64: where each sampled interval begins */
  GArray      *ends;      /* gint64: where it ends */
  GArray      *busy;      /* float, n_cpus per interval */
  guint        cpu_count;
  guint        drawn_count;
  guint        drawn_rows;
  double       drawn_rows_h;
};

PmTimelineCores *
_pm_timeline_cores_new (void)
{
  PmTimelineCores *cores = g_new0 (PmTimelineCores, 1);

  cores->scratch = g_array_new (FALSE, TRUE, sizeof (double));
  cores->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  cores->ends = g_array_new (FALSE, FALSE, sizeof (gint64));
  cores->busy = g_array_new (FALSE, FALSE, sizeof (float));
  cores->cpu_count = pm_cpu_count ();
  return cores;
}

void
_pm_timeline_cores_free (PmTimelineCores *cores)
{
  g_clear_object (&cores->usage);
  g_array_unref (cores->scratch);
  g_array_unref (cores->starts);
  g_array_unref (cores->ends);
  g_array_unref (cores->busy);
  g_free (cores);
}

/* Forgets the samples: another run is shown */
void
_pm_timeline_cores_clear (PmTimelineCores *cores)
{
  cores->last_t = 0;
  g_array_set_size (cores->starts, 0);
  g_array_set_size (cores->ends, 0);
  g_array_set_size (cores->busy, 0);
}

guint
_pm_timeline_cores_get_count (PmTimeline *self)
{
  return self->cores->cpu_count;
}

/* For assistive technology: "2 CPUs, last busy 98 %, 97 %" */
char *
_pm_timeline_cores_dup_description (PmTimeline *self)
{
  PmTimelineCores *cores = self->cores;
  g_autoptr(GString) busy = g_string_new (NULL);
  guint last = cores->starts->len;

  if (last == 0)
    return g_strdup_printf (ngettext ("%u CPU", "%u CPUs", cores->cpu_count), cores->cpu_count);
  for (guint cpu = 0; cpu < cores->n_cpus; cpu++)
    g_string_append_printf (busy, "%s%.0f %%", cpu > 0 ? ", " : "",
                            100 * g_array_index (cores->busy, float,
                                                 (last - 1) * cores->n_cpus + cpu));
  /* Translators: the CPUs this app may use, then how busy each CPU of the machine was in the
   * last sample: "2 CPUs, last busy 98 %, 97 %" */
  return g_strdup_printf (ngettext ("%u CPU, last busy %s", "%u CPUs, last busy %s",
                                    cores->cpu_count), cores->cpu_count, busy->str);
}

static gboolean
has_strip (PmTimeline *self)
{
  return self->cores->starts->len > 0 && self->cores->n_cpus > 0;
}

/* The rows the strip has: one per CPU that libgtop reads (known before the first sample) */
static guint
n_rows (PmTimelineCores *cores)
{
  if (cores->usage == NULL)
    cores->usage = pm_core_usage_new ();
  return cores->n_cpus > 0 ? cores->n_cpus : pm_core_usage_get_n_cpus (cores->usage);
}

/* The height of the strip's rows: 7 px a CPU up to 36 px, and at least the height of the
 * label beside them, which follows the text scale */
double
_pm_timeline_cores_rows_height (PmTimeline *self)
{
  PangoLayout *layout = _pm_timeline_get_layout (self, _("CPU use"), LABEL_SCALE, FALSE);
  int th;

  pango_layout_get_pixel_size (layout, NULL, &th);
  return MAX (MIN (n_rows (self->cores) * ROW_MAX_H, STRIP_MAX_H), th);
}

/* The height the strip takes at the bottom of the chart, its gap included: 0 without samples,
 * and 0 where the chart has not that much over its least height (the lines' two tick labels):
 * the strip is shown whole or not at all. */
double
_pm_timeline_cores_strip_height (PmTimeline           *self,
                                 const PmTimelineView *view)
{
  if (!has_strip (self) || view->chart.size.height < view->m.chart_min_h + view->m.strip_h)
    return 0;
  return view->m.strip_h;
}

/* The strip, in @strip (part of the chart), between t0 and t1 */
void
_pm_timeline_draw_cores (PmTimeline            *self,
                         GtkSnapshot           *snapshot,
                         const PmTimelineView  *view,
                         const graphene_rect_t *strip,
                         gint64                 t0,
                         gint64                 t1)
{
  PmTimelineCores *cores = self->cores;
  GdkRGBA back = _pm_timeline_with_alpha (&view->fg, 0.06);
  double top = strip->origin.y + view->m.strip_gap;
  double height = strip->size.height - view->m.strip_gap;
  double row_h = height / MAX (cores->n_cpus, 1);
  double left = view->chart.origin.x;
  double right = view->chart.origin.x + view->chart.size.width;

  cores->drawn_rows = 0;
  if (!has_strip (self) || height < 1)
    return;

  _pm_timeline_fill_rect (snapshot, &back, left, top, right - left, height);
  for (guint i = 0; i < cores->starts->len; i++)
    {
      gint64 start = g_array_index (cores->starts, gint64, i);
      gint64 end = g_array_index (cores->ends, gint64, i);
      double x0, x1;

      if (end < t0 || start > t1)
        continue;
      /* whole pixels: neighbouring intervals meet without a seam */
      x0 = round (MAX (_pm_timeline_x_of_time (view, start), left));
      x1 = round (MIN (_pm_timeline_x_of_time (view, end), right));
      if (x1 <= x0)
        continue;
      for (guint cpu = 0; cpu < cores->n_cpus; cpu++)
        {
          float busy = g_array_index (cores->busy, float, i * cores->n_cpus + cpu);
          GdkRGBA shade = _pm_timeline_with_alpha (&core_color, busy);

          /* a hair of a gap between rows where they are tall enough to part */
          _pm_timeline_fill_rect (snapshot, &shade, x0, top + cpu * row_h, x1 - x0,
                                  row_h >= 4 ? row_h - 1 : row_h);
        }
    }
  cores->drawn_rows = cores->n_cpus;
  cores->drawn_rows_h = height;
}

/* "cores" in the margin beside the strip */
void
_pm_timeline_draw_cores_label (PmTimeline           *self,
                               GtkSnapshot          *snapshot,
                               const PmTimelineView *view)
{
  double strip_h = _pm_timeline_cores_strip_height (self, view);
  PangoLayout *layout;
  GdkRGBA text;
  int tw, th;

  if (strip_h <= view->m.strip_gap)
    return;
  _pm_timeline_text_color_on (&core_color, &view->bg, &text);
  layout = _pm_timeline_get_layout (self, _("CPU use"), LABEL_SCALE, FALSE);
  pango_layout_get_pixel_size (layout, &tw, &th);
  /* large text: the margin holds the short form */
  if (tw > view->m.label_w - 10)
    {
      /* Translators: the short form of "CPU use", beside the strip of each CPU's use */
      layout = _pm_timeline_get_layout (self, _("CPU"), LABEL_SCALE, FALSE);
      pango_layout_get_pixel_size (layout, &tw, &th);
    }
  _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_LEGEND, layout,
                          view->m.label_w - tw - 8,
                          view->chart.origin.y + view->chart.size.height -
                          (strip_h - view->m.strip_gap) / 2 - th / 2., &text, NULL, NULL);
}

/* The CPU count's dots from @x0 to @x1 at @y: its line in the chart, its key in the legend */
void
_pm_timeline_draw_cpu_count_key (GtkSnapshot *snapshot,
                                 double       x0,
                                 double       x1,
                                 double       y)
{
  for (double x = x0; x < x1; x += 6)
    _pm_timeline_fill_rect (snapshot, &core_color, x, y - 1, MIN (2, x1 - x), 2);
}

/* The CPU count as a dotted line at its height in the chart (named in the legend) */
void
_pm_timeline_draw_cpu_count (PmTimeline           *self,
                             GtkSnapshot          *snapshot,
                             const PmTimelineView *view,
                             double                y)
{
  _pm_timeline_draw_cpu_count_key (snapshot, view->chart.origin.x,
                                   view->chart.origin.x + view->chart.size.width, y);
  self->cores->drawn_count = self->cores->cpu_count;
}

void
_pm_timeline_cores_begin_snapshot (PmTimeline *self)
{
  self->cores->drawn_count = 0;
  self->cores->drawn_rows = 0;
  self->cores->drawn_rows_h = 0;
}

/* Public API */

/**
 * pm_timeline_sample_cores:
 * @self: a #PmTimeline
 * @last: whether the run ended: the next sample starts counting afresh
 *
 * Samples each CPU's use since the previous call; the first call only starts counting. The
 * window calls it when the run it shows starts, on its live beat while it goes, and when it
 * ends.
 */
void
pm_timeline_sample_cores (PmTimeline *self,
                          gboolean    last)
{
  PmTimelineCores *cores;
  gint64 now = g_get_real_time ();
  guint n;

  g_return_if_fail (PM_IS_TIMELINE (self));

  cores = self->cores;
  if (cores->usage == NULL)
    cores->usage = pm_core_usage_new ();
  n = pm_core_usage_sample (cores->usage, cores->scratch);
  if (n != cores->n_cpus)
    {
      _pm_timeline_cores_clear (cores);
      cores->n_cpus = n;
    }
  /* The first sample of a run counts from boot, or from the end of the previous run: it only
   * sets where counting starts. */
  if (cores->last_t == 0)
    {
      cores->last_t = last ? 0 : now;
      return;
    }
  g_array_append_val (cores->starts, cores->last_t);
  g_array_append_val (cores->ends, now);
  for (guint i = 0; i < n; i++)
    {
      float value = g_array_index (cores->scratch, double, i);
      g_array_append_val (cores->busy, value);
    }
  cores->last_t = last ? 0 : now;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
_pm_timeline_get_drawn_cpu_count (PmTimeline *self)
{
  return self->cores->drawn_count;
}

guint
_pm_timeline_get_drawn_core_rows (PmTimeline *self)
{
  return self->cores->drawn_rows;
}

double
_pm_timeline_get_drawn_core_rows_height (PmTimeline *self)
{
  return self->cores->drawn_rows_h;
}

guint
_pm_timeline_get_n_core_samples (PmTimeline *self,
                                 guint      *n_cpus)
{
  if (n_cpus != NULL)
    *n_cpus = self->cores->n_cpus;
  return self->cores->starts->len;
}

double
_pm_timeline_get_core_busy (PmTimeline *self,
                            guint       sample,
                            guint       cpu)
{
  PmTimelineCores *cores = self->cores;

  g_return_val_if_fail (sample < cores->starts->len && cpu < cores->n_cpus, -1);
  return g_array_index (cores->busy, float, sample * cores->n_cpus + cpu);
}
