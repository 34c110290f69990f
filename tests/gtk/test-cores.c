/* test-cores.c: the machine's CPUs in the timeline's chart: the sampler, the count drawn beside
 * the limit and the strip of each CPU's use during a Compute run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/resource.h>

#include "pm-core-usage.h"
#include "pm-gtk-test-util.h"
#include "pm-timeline-cores.h"
#include "pm-timeline-private.h"
#include "pm-util.h"

static double
own_cpu_seconds (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
assert_fractions (GArray *busy,
                  guint   n)
{
  g_assert_cmpuint (busy->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (g_array_index (busy, double, i), >=, 0.0);
      g_assert_cmpfloat (g_array_index (busy, double, i), <=, 1.0);
    }
}

/* One value per CPU, each from 0 to 1; CPU time this process burns between two samples shows
 * as use on some CPU. */
static void
test_sampler (void)
{
  g_autoptr(PmCoreUsage) usage = pm_core_usage_new ();
  g_autoptr(GArray) busy = g_array_new (FALSE, TRUE, sizeof (double));
  guint n = pm_core_usage_get_n_cpus (usage);
  double until = own_cpu_seconds () + 0.3, total = 0;
  volatile guint64 spin = 0;

  /* every CPU the process may use is one the machine has */
  g_assert_cmpuint (n, >=, pm_cpu_count ());
  g_assert_cmpuint (pm_core_usage_sample (usage, busy), ==, n);
  assert_fractions (busy, n);

  while (own_cpu_seconds () < until)
    spin++;
  g_assert_cmpuint (pm_core_usage_sample (usage, busy), ==, n);
  assert_fractions (busy, n);
  for (guint i = 0; i < n; i++)
    total += g_array_index (busy, double, i);
  g_assert_cmpfloat (total, >, 0.0);
}

static gboolean
cores_sampled (gpointer data)
{
  return _pm_timeline_get_n_core_samples (data, NULL) >= 2;
}

/* The legend's text @text, or NULL */
static const PmTimelineText *
legend_text (GArray     *texts,
             const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

      if (t->kind == PM_TIMELINE_TEXT_LEGEND && g_str_equal (t->text, text))
        return t;
    }
  return NULL;
}

/* The CPU count's line is named in the legend, on the line of "Over time", not at the line's
 * end in the chart, where its name lay across the limit's and the running jobs' lines. */
static void
assert_cpu_count_named_in_legend (PmTimeline *timeline,
                                  guint       cpus)
{
  g_autoptr(GArray) texts = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);
  g_autofree char *name = g_strdup_printf (cpus == 1 ? "%u CPU" : "%u CPUs", cpus);
  const PmTimelineText *over_time = legend_text (texts, "Over time");
  const PmTimelineText *count = legend_text (texts, name);
  double middle;

  g_assert_nonnull (over_time);
  g_assert_nonnull (count);
  middle = count->rect.origin.y + count->rect.size.height / 2;
  g_assert_cmpfloat (middle, >, over_time->rect.origin.y);
  g_assert_cmpfloat (middle, <, over_time->rect.origin.y + over_time->rect.size.height);
  g_assert_cmpfloat (count->rect.origin.x, >, over_time->rect.origin.x);
}

/* A Compute run at a limit of at least the CPU count: while it goes, the chart draws the count
 * beside the limit, named in the legend, and a strip row for each CPU. */
static void
test_compute_run (void)
{
  PmWindow *window = new_window ();
  PmTimeline *timeline = _pm_window_get_timeline (window);
  guint cpus = pm_cpu_count (), limit = MAX (cpus, 2), n_cpus = 0, n_samples;
  PmPool *pool;

  g_settings_set_boolean (_pm_window_get_settings (window), "demo-compute", TRUE);
  /* one second of CPU each, one job more than may run at once */
  pool = start_demo (window, limit + 1, limit, 1, 1);
  wait_until (cores_sampled, timeline, "CPU use is sampled twice");
  g_assert_true (pm_pool_is_active (pool));
  wait_frames (GTK_WIDGET (timeline), 2);

  n_samples = _pm_timeline_get_n_core_samples (timeline, &n_cpus);
  g_assert_cmpuint (n_cpus, >=, cpus);
  g_assert_cmpuint (_pm_timeline_get_drawn_cpu_count (timeline), ==, cpus);
  assert_cpu_count_named_in_legend (timeline, cpus);
  g_assert_cmpuint (_pm_timeline_get_drawn_core_rows (timeline), ==, n_cpus);
  for (guint s = 0; s < n_samples; s++)
    for (guint c = 0; c < n_cpus; c++)
      {
        g_assert_cmpfloat (_pm_timeline_get_core_busy (timeline, s, c), >=, 0.0);
        g_assert_cmpfloat (_pm_timeline_get_core_busy (timeline, s, c), <=, 1.0);
      }

  wait_until (pool_finished, window, "the run finishes");
  /* the strip stays with the run it was sampled in, and goes with it */
  wait_frames (GTK_WIDGET (timeline), 2);
  g_assert_cmpuint (_pm_timeline_get_drawn_core_rows (timeline), ==, n_cpus);
  pm_timeline_set_pool (timeline, NULL);
  g_assert_cmpuint (_pm_timeline_get_n_core_samples (timeline, NULL), ==, 0);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/cores/sampler-gives-each-cpu-a-fraction", test_sampler);
  g_test_add_func ("/cores/compute-run-draws-count-and-strip", test_compute_run);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
