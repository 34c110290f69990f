/* test-timeline-chart.c: the chart under the lanes (issue 17, point 9)
 *
 * Limit changes in quick succession (a Ctrl+plus each) are drawn as one step, in the lanes and
 * in the chart; both axes of the chart are named; texts stay readable.
 *
 * Run under Xvfb with GSK_RENDERER=cairo GDK_BACKEND=x11.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "pm-gtk-test-util.h"
#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-timeline-private.h"

#define T0 1700000000000000

/* A finished run of @n_jobs jobs over 4 s on 8 lanes, all queued at its start, whose limit went
 * 5, then 6, 7, 8 half a second apart (three presses of Ctrl+plus), then 3 after 1.6 s. */
static PmPool *
chart_pool (guint n_jobs)
{
  PmPool *pool = _pm_pool_new_read_only (3);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 span = 4 * G_USEC_PER_SEC;
  gint64 length = span * 8 / n_jobs;

  for (guint i = 0; i < n_jobs; i++)
    {
      g_autofree char *name = g_strdup_printf ("compute-r_%u", i);
      const char *argv[] = { "/bin/true", NULL };
      PmJob *job = pm_job_new (i + 1, name, NULL, argv);
      gint64 start = T0 + (i / 8) * length;

      _pm_job_set_queued_time (job, T0);
      _pm_job_set_slot (job, i % 8 + 1);
      _pm_job_set_start_time (job, start, 0);
      _pm_job_set_end_time (job, start + length - 1000, 0);
      _pm_job_set_runtime (job, length - 1000);
      _pm_job_set_exit (job, 0, 0);
      _pm_job_set_state (job, PM_JOB_STATE_SUCCEEDED);
      g_ptr_array_add (jobs, job);
    }
  _pm_pool_add_limit_change (pool, T0, 5);
  _pm_pool_add_limit_change (pool, T0 + 1000000, 6);
  _pm_pool_add_limit_change (pool, T0 + 1500000, 7);
  _pm_pool_add_limit_change (pool, T0 + 2000000, 8);
  _pm_pool_add_limit_change (pool, T0 + 3600000, 3);
  _pm_pool_set_times (pool, T0, T0 + span);
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  return pool;
}

static GtkWidget *
present_timeline (PmPool *pool)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *timeline = pm_timeline_new ();

  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 480);
  gtk_window_set_child (GTK_WINDOW (window), timeline);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (window_mapped, timeline, "the timeline is mapped");
  wait_frames (timeline, 3);
  return window;
}

static void
destroy (GtkWidget *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_assert_null (window);
}

static const PmTimelineText *
find_text (GArray             *texts,
           PmTimelineTextKind  kind,
           const char         *text)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

      if (t->kind == kind && g_strcmp0 (t->text, text) == 0)
        return t;
    }
  return NULL;
}

static void
assert_no_overlap (GArray     *texts,
                   const char *what)
{
  for (guint i = 0; i < texts->len; i++)
    for (guint j = i + 1; j < texts->len; j++)
      {
        const PmTimelineText *a = &g_array_index (texts, PmTimelineText, i);
        const PmTimelineText *b = &g_array_index (texts, PmTimelineText, j);

        if (rects_overlap (&a->rect, &b->rect))
          g_test_fail_printf ("%s: \"%s\" overlaps \"%s\"", what, a->text, b->text);
      }
}

/* The three changes half a second apart are one step from 5 to 8 (one "limit 8" pill, no
 * "limit 6" or "limit 7"), while the change to 3 1.6 s later stays a step of its own; the same
 * in the exported picture. The pills are far enough apart to have been drawn each. */
static void
test_quick_changes_merge (void)
{
  g_autoptr(PmPool) pool = chart_pool (16);
  g_autoptr(GArray) texts = NULL;
  g_autoptr(GArray) exported = NULL;
  GtkWidget *window = present_timeline (pool);
  PmTimeline *timeline = PM_TIMELINE (gtk_window_get_child (GTK_WINDOW (window)));
  GArray *both[2];

  texts = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);
  exported = _pm_timeline_collect_texts (timeline, TRUE, 1200, 600);
  both[0] = texts;
  both[1] = exported;
  for (guint k = 0; k < G_N_ELEMENTS (both); k++)
    {
      const char *what = k == 0 ? "the widget" : "the picture";

      assert_no_overlap (both[k], what);
      g_assert_nonnull (find_text (both[k], PM_TIMELINE_TEXT_LIMIT, "limit 5"));
      g_assert_nonnull (find_text (both[k], PM_TIMELINE_TEXT_LIMIT, "limit 8"));
      g_assert_nonnull (find_text (both[k], PM_TIMELINE_TEXT_LIMIT, "limit 3"));
      g_assert_null (find_text (both[k], PM_TIMELINE_TEXT_LIMIT, "limit 6"));
      g_assert_null (find_text (both[k], PM_TIMELINE_TEXT_LIMIT, "limit 7"));
      g_test_message ("%s: \"limit 8\" at x %.0f, \"limit 3\" at x %.0f", what,
                      find_text (both[k], PM_TIMELINE_TEXT_LIMIT, "limit 8")->rect.origin.x,
                      find_text (both[k], PM_TIMELINE_TEXT_LIMIT, "limit 3")->rect.origin.x);
    }
  destroy (window);
}

/* The left axis is named "jobs" beside its ticks; where the queue has its own scale at the
 * right (60 jobs queued against a limit of at most 8), "queued" names it, above its ticks and
 * in the queue's colour; with 16 jobs the queue shares the left scale and has no name of its
 * own. */
static void
test_axes_are_named (void)
{
  const guint n_jobs[] = { 16, 60 };

  for (guint k = 0; k < G_N_ELEMENTS (n_jobs); k++)
    {
      g_autoptr(PmPool) pool = chart_pool (n_jobs[k]);
      g_autoptr(GArray) texts = NULL;
      GtkWidget *window = present_timeline (pool);
      PmTimeline *timeline = PM_TIMELINE (gtk_window_get_child (GTK_WINDOW (window)));
      const PmTimelineText *jobs, *queued, *zero = NULL;
      g_autofree char *what = g_strdup_printf ("%u jobs", n_jobs[k]);

      texts = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);
      assert_no_overlap (texts, what);
      jobs = find_text (texts, PM_TIMELINE_TEXT_LEGEND, "jobs");
      g_assert_nonnull (jobs);
      /* The left ticks: "0" is the lowest one, right-aligned with the name */
      for (guint i = 0; i < texts->len; i++)
        {
          const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

          if (t->kind == PM_TIMELINE_TEXT_LEGEND && g_strcmp0 (t->text, "0") == 0 &&
              (zero == NULL || t->rect.origin.x < zero->rect.origin.x))
            zero = t;
        }
      g_assert_nonnull (zero);
      g_assert_cmpfloat (jobs->rect.origin.y + jobs->rect.size.height, <=, zero->rect.origin.y);
      g_assert_cmpfloat (fabs ((jobs->rect.origin.x + jobs->rect.size.width) -
                               (zero->rect.origin.x + zero->rect.size.width)), <, 1);

      queued = find_text (texts, PM_TIMELINE_TEXT_LEGEND, "queued");
      if (k == 0)
        g_assert_null (queued);
      else
        {
          g_assert_nonnull (queued);
          g_assert_cmpfloat (queued->rect.origin.x, >, jobs->rect.origin.x + 200);
          g_assert_true (queued->color.red > queued->color.green);
          g_test_message ("%s: \"jobs\" at %.0f,%.0f, \"queued\" at %.0f,%.0f", what,
                          jobs->rect.origin.x, jobs->rect.origin.y, queued->rect.origin.x,
                          queued->rect.origin.y);
        }
      destroy (window);
    }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/timeline-chart/limit/quick-changes-are-one-step", test_quick_changes_merge);
  g_test_add_func ("/timeline-chart/axes/both-are-named", test_axes_are_named);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
