/* test-timeline.c: the slot-lane timeline, drawn from a real run and from a large read-only one
 *
 * Run under Xvfb with GSK_RENDERER=cairo GDK_BACKEND=x11.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>
#include <math.h>

#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-timeline-private.h"

#define RUN_TIMEOUT_SEC 30

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until done() holds; fails the test after timeout_sec. */
static void
run_until (gboolean (*done) (gpointer),
           gpointer  data,
           guint     timeout_sec)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_sec, timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %u s", timeout_sec);
  g_source_remove (id);
}

static gboolean
pool_finished (gpointer data)
{
  return pm_pool_get_state (data) == PM_POOL_STATE_FINISHED;
}

static gboolean
widget_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

typedef struct
{
  GtkWidget *widget;
  guint      frames;
  gulong     id;
} FrameCount;

static void
after_paint_cb (GdkFrameClock *clock,
                FrameCount    *count)
{
  count->frames++;
  if (count->frames < 2)
    gtk_widget_queue_draw (count->widget);
}

static gboolean
two_frames_painted (gpointer data)
{
  return ((FrameCount *)data)->frames >= 2;
}

/* Lets the window paint twice, so the widget has gone through snapshot. */
static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  FrameCount count = { widget, 0, 0 };

  g_assert_nonnull (clock);
  count.id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &count);
  gtk_widget_queue_draw (widget);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  run_until (two_frames_painted, &count, 10);
  gtk_widget_queue_draw (widget);
  g_signal_handler_disconnect (clock, count.id);
}

static GtkWidget *
present (GtkWidget *timeline,
         int        width,
         int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), timeline);
  gtk_window_present (GTK_WINDOW (window));
  run_until (widget_drawn, timeline, 10);
  wait_for_paint (timeline);
  return window;
}

static void
destroy_window (GtkWidget *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
}

static gboolean
colors_close (guint32        pixel,
              const GdkRGBA *color)
{
  int r = (pixel >> 16) & 0xff, g = (pixel >> 8) & 0xff, b = pixel & 0xff;

  return abs (r - (int)round (color->red * 255)) <= 3 &&
         abs (g - (int)round (color->green * 255)) <= 3 &&
         abs (b - (int)round (color->blue * 255)) <= 3;
}

static guint32
sample (cairo_surface_t *surface,
        double           x,
        double           y)
{
  unsigned char *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  cairo_surface_flush (surface);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpfloat (y, <, cairo_image_surface_get_height (surface));
  return *(guint32 *)(gpointer)(data + (int)y * stride + 4 * (int)x);
}

static PmPool *
run_real_pool (guint n_jobs,
               guint limit)
{
  PmPool *pool = pm_pool_new (limit);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_jobs; i++)
    {
      g_autofree char *name = g_strdup_printf ("computer_%u", i);
      const char *argv[] = { "/bin/sh", "-c", "sleep 0.05", NULL };
      g_autoptr(PmJob) job = pm_job_new (i + 1, name, NULL, argv);

      pm_pool_add_job (pool, job);
    }
  g_assert_true (pm_pool_start (pool, &error));
  g_assert_no_error (error);
  return pool;
}

/* A real run: the picture shows the lanes and the succeeded bars where the jobs ran, clicking
 * a bar finds its job, zoom changes the zoom. */
static void
test_timeline_real_run_draws_its_jobs (void)
{
  g_autoptr(PmPool) pool = run_real_pool (6, 3);
  GtkWidget *timeline = pm_timeline_new ();
  GtkWidget *window;
  cairo_surface_t *surface;
  cairo_t *cr;
  PmJob *job;
  GdkRGBA succeeded;
  double x, y, zoom;
  graphene_rect_t rect;
  guint32 pixel;
  const int width = 900, height = 400;

  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  g_assert_true (pm_timeline_get_pool (PM_TIMELINE (timeline)) == pool);
  window = present (timeline, width, height);

  run_until (pool_finished, pool, RUN_TIMEOUT_SEC);
  wait_for_paint (timeline);

  g_assert_cmpuint (_pm_timeline_get_n_lanes (PM_TIMELINE (timeline)), ==, 3);

  /* The export: each job's bar is the succeeded colour, and the background is not. */
  _pm_timeline_get_state_color (PM_JOB_STATE_SUCCEEDED, &succeeded);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  pm_timeline_render_to_cairo (PM_TIMELINE (timeline), cr, width, height);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);

  g_assert_false (colors_close (sample (surface, 2, 2), &succeeded));
  for (guint seq = 1; seq <= 6; seq++)
    {
      job = pm_pool_get_job_by_seq (pool, seq);
      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_true (_pm_timeline_get_bar_rect (PM_TIMELINE (timeline), job, TRUE,
                                                width, height, &rect));
      g_assert_cmpfloat (rect.size.width, >, 4);
      /* Just inside the bar's start, left of its label */
      x = rect.origin.x + 2;
      y = rect.origin.y + rect.size.height / 2;
      pixel = sample (surface, x, y);
      if (!colors_close (pixel, &succeeded))
        g_error ("job %u: pixel %08x at (%.0f, %.0f) is not the succeeded colour",
                 seq, pixel, x, y);
      /* and just before it is not the bar */
      g_assert_false (colors_close (sample (surface, rect.origin.x - 3, y), &succeeded) &&
                      seq <= 3);
    }
  cairo_surface_destroy (surface);

  /* Hit-testing the widget: the middle of a bar is its job, the lane labels are nothing. */
  job = pm_pool_get_job_by_seq (pool, 4);
  g_assert_true (_pm_timeline_get_bar_rect (PM_TIMELINE (timeline), job, FALSE, 0, 0, &rect));
  x = rect.origin.x + rect.size.width / 2;
  y = rect.origin.y + rect.size.height / 2;
  g_assert_true (_pm_timeline_hit_test (PM_TIMELINE (timeline), x, y) == job);
  g_assert_null (_pm_timeline_hit_test (PM_TIMELINE (timeline), 5, y));

  /* Zoom */
  zoom = pm_timeline_get_zoom (PM_TIMELINE (timeline));
  pm_timeline_zoom_in (PM_TIMELINE (timeline));
  g_assert_cmpfloat (pm_timeline_get_zoom (PM_TIMELINE (timeline)), >, zoom);
  pm_timeline_zoom_out (PM_TIMELINE (timeline));
  pm_timeline_zoom_out (PM_TIMELINE (timeline));
  g_assert_cmpfloat (pm_timeline_get_zoom (PM_TIMELINE (timeline)), <, zoom);
  pm_timeline_zoom_fit (PM_TIMELINE (timeline));
  g_assert_cmpfloat (fabs (pm_timeline_get_zoom (PM_TIMELINE (timeline)) - zoom), <, zoom * 1e-6);

  pm_timeline_set_selected_job (PM_TIMELINE (timeline), job);
  g_assert_true (pm_timeline_get_selected_job (PM_TIMELINE (timeline)) == job);
  wait_for_paint (timeline);

  pm_timeline_set_pool (PM_TIMELINE (timeline), NULL);
  g_assert_null (pm_timeline_get_pool (PM_TIMELINE (timeline)));
  g_assert_null (pm_timeline_get_selected_job (PM_TIMELINE (timeline)));
  destroy_window (window);
}

static gboolean
two_started (gpointer data)
{
  PmPool *pool = data;

  return pm_job_get_state (pm_pool_get_job_by_seq (pool, 1)) == PM_JOB_STATE_RUNNING &&
         pm_job_get_state (pm_pool_get_job_by_seq (pool, 2)) == PM_JOB_STATE_RUNNING;
}

/* The lanes are processes: a lane's label tells its slot process's PID, a bar the PID of the
 * slot process that runs it, as Pool(2) is two worker processes. */
static void
test_timeline_lanes_tell_their_slot_process (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  GtkWidget *timeline = pm_timeline_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  graphene_rect_t rect;

  for (guint i = 1; i <= 2; i++)
    {
      const char *argv[] = { "/bin/sh", "-c", "sleep 30", NULL };
      g_autoptr(PmJob) job = pm_job_new (i, "long", NULL, argv);

      pm_pool_add_job (pool, job);
    }
  g_assert_true (pm_pool_start (pool, &error));
  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  window = present (timeline, 900, 400);
  run_until (two_started, pool, RUN_TIMEOUT_SEC);
  wait_for_paint (timeline);

  for (guint seq = 1; seq <= 2; seq++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, seq);
      GPid slot_pid = pm_pool_get_slot_pid (pool, pm_job_get_slot (job));
      g_autofree char *pid = g_strdup_printf ("PID %d", slot_pid);
      g_autofree char *lane = NULL;
      g_autofree char *bar = NULL;

      g_assert_cmpint (slot_pid, >, 0);
      g_assert_cmpint (pm_job_get_slot_pid (job), ==, slot_pid);
      g_assert_true (_pm_timeline_get_bar_rect (PM_TIMELINE (timeline), job, FALSE, 0, 0, &rect));
      lane = _pm_timeline_dup_tooltip (PM_TIMELINE (timeline), 5,
                                       rect.origin.y + rect.size.height / 2);
      g_assert_nonnull (lane);
      g_assert_nonnull (strstr (lane, pid));
      bar = _pm_timeline_dup_tooltip (PM_TIMELINE (timeline), rect.origin.x + 2,
                                      rect.origin.y + rect.size.height / 2);
      g_assert_nonnull (bar);
      g_assert_nonnull (strstr (bar, pid));
    }

  pm_pool_stop (pool);
  run_until (pool_finished, pool, RUN_TIMEOUT_SEC);
  pm_timeline_set_pool (PM_TIMELINE (timeline), NULL);
  destroy_window (window);
}

typedef struct
{
  guint  n_activated;
  PmJob *last;
} Activated;

static void
job_activated_cb (PmTimeline *timeline,
                  PmJob      *job,
                  Activated  *activated)
{
  activated->n_activated++;
  activated->last = job;
}

/* A click on a bar emits job-activated with its job. */
static void
test_timeline_click_activates_job (void)
{
  g_autoptr(PmPool) pool = run_real_pool (3, 3);
  GtkWidget *timeline = pm_timeline_new ();
  GtkWidget *window;
  GtkGesture *click = NULL;
  g_autoptr(GListModel) controllers = NULL;
  Activated activated = { 0, NULL };
  PmJob *job;
  graphene_rect_t rect;
  double x, y;

  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  g_signal_connect (timeline, "job-activated", G_CALLBACK (job_activated_cb), &activated);
  window = present (timeline, 800, 360);
  run_until (pool_finished, pool, RUN_TIMEOUT_SEC);
  wait_for_paint (timeline);

  controllers = gtk_widget_observe_controllers (timeline);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        click = GTK_GESTURE (controller);
    }
  g_assert_nonnull (click);

  job = pm_pool_get_job_by_seq (pool, 2);
  g_assert_true (_pm_timeline_get_bar_rect (PM_TIMELINE (timeline), job, FALSE, 0, 0, &rect));
  x = rect.origin.x + rect.size.width / 2;
  y = rect.origin.y + rect.size.height / 2;
  g_signal_emit_by_name (click, "released", 1, x, y);
  g_assert_cmpuint (activated.n_activated, ==, 1);
  g_assert_true (activated.last == job);
  g_assert_true (pm_timeline_get_selected_job (PM_TIMELINE (timeline)) == job);

  destroy_window (window);
}

/* A limit change adds lanes up to the highest limit. */
static void
test_timeline_lanes_follow_the_limit (void)
{
  g_autoptr(PmPool) pool = _pm_pool_new_read_only (2);
  GtkWidget *timeline = g_object_ref_sink (pm_timeline_new ());

  _pm_pool_add_limit_change (pool, 1000000, 5);
  _pm_pool_add_limit_change (pool, 2000000, 2);
  _pm_pool_set_times (pool, 1000000, 3000000);
  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  g_assert_cmpuint (_pm_timeline_get_n_lanes (PM_TIMELINE (timeline)), ==, 5);

  pm_timeline_set_pool (PM_TIMELINE (timeline), NULL);
  g_assert_finalize_object (timeline);
}

/* The "limit N" labels never overlap, and where two would, the later change keeps its label:
 * the limit it shows is the one that held after (raised twice in a moment, the timeline read
 * "limit 6" while the limit was 7). */
static void
test_timeline_limit_labels_later_change_wins (void)
{
  const double w[] = { 50, 50, 50 };
  double far[] = { 10, 200, 400 };
  double close[] = { 100, 110, 300 };
  double at_edge[] = { 10, 440, 450 };
  double before_view[] = { -80, 300 };

  _pm_timeline_place_labels (far, w, 3, 0, 500, 4);
  g_assert_cmpfloat (far[0], ==, 10);
  g_assert_cmpfloat (far[1], ==, 200);
  g_assert_cmpfloat (far[2], ==, 400);

  _pm_timeline_place_labels (close, w, 3, 0, 500, 4);
  g_assert_true (isnan (close[0]));
  g_assert_cmpfloat (close[1], ==, 110);
  g_assert_cmpfloat (close[2], ==, 300);

  /* The last label is pulled in from the right edge and hides the one it now covers. */
  _pm_timeline_place_labels (at_edge, w, 3, 0, 500, 4);
  g_assert_cmpfloat (at_edge[0], ==, 10);
  g_assert_true (isnan (at_edge[1]));
  g_assert_cmpfloat (at_edge[2], ==, 450);
  at_edge[2] = 470;
  at_edge[1] = 440;
  _pm_timeline_place_labels (at_edge, w, 3, 0, 500, 4);
  g_assert_true (isnan (at_edge[1]));
  g_assert_cmpfloat (at_edge[2], ==, 450);

  /* A limit that began before the view shows at its left edge. */
  _pm_timeline_place_labels (before_view, w, 2, 0, 500, 4);
  g_assert_cmpfloat (before_view[0], ==, 0);
  g_assert_cmpfloat (before_view[1], ==, 300);
}

/* Two lanes leave the queue room for one chip and a "+N more" line: the chip is there (the
 * next job to start), not only "+N more" (which took the one row a chip fitted in). */
static void
test_timeline_short_queue_shows_a_chip (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (2);
  GtkWidget *timeline = g_object_ref_sink (pm_timeline_new ());
  GtkWidget *window;
  PmJob *found = NULL;
  int width, height;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("job_%u", i + 1);
      const char *argv[] = { "/bin/true", NULL };
      g_autoptr(PmJob) job = pm_job_new (i + 1, name, NULL, argv);

      pm_pool_add_job (pool, job);
    }
  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  window = present (timeline, 700, 230);
  g_assert_cmpuint (_pm_timeline_get_n_lanes (PM_TIMELINE (timeline)), ==, 2);

  /* The chips are in the column at the right, beside the lanes */
  width = gtk_widget_get_width (timeline);
  height = gtk_widget_get_height (timeline);
  for (int y = 0; y < height && found == NULL; y += 2)
    for (int x = width - 160; x < width && found == NULL; x += 4)
      found = _pm_timeline_hit_test (PM_TIMELINE (timeline), x, y);
  g_assert_nonnull (found);
  g_assert_cmpuint (pm_job_get_seq (found), ==, 1);

  destroy_window (window);
  pm_timeline_set_pool (PM_TIMELINE (timeline), NULL);
  g_assert_finalize_object (timeline);
}

#define BIG_N     20000
#define BIG_LIMIT 8

static PmPool *
big_read_only_pool (void)
{
  PmPool *pool = _pm_pool_new_read_only (BIG_LIMIT);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  const gint64 t0 = 1700000000000000;
  gint64 slot_free[BIG_LIMIT + 1] = { 0 };
  gint64 end = t0;

  for (guint i = 0; i < BIG_N; i++)
    {
      g_autofree char *name = g_strdup_printf ("job_%u", i);
      const char *argv[] = { "/bin/true", NULL };
      PmJob *job = pm_job_new (i + 1, name, NULL, argv);
      guint slot = 1 + i % BIG_LIMIT;
      gint64 start = MAX (t0, slot_free[slot]) + 1000;
      gint64 duration = 20000 + (i * 7919) % 80000;

      _pm_job_set_queued_time (job, t0);
      _pm_job_set_slot (job, slot);
      _pm_job_set_start_time (job, start, 0);
      _pm_job_set_end_time (job, start + duration, 0);
      _pm_job_set_runtime (job, duration);
      _pm_job_set_exit (job, i % 97 == 0 ? 1 : 0, 0);
      _pm_job_set_state (job, i % 97 == 0 ? PM_JOB_STATE_FAILED : PM_JOB_STATE_SUCCEEDED);
      slot_free[slot] = start + duration;
      end = MAX (end, start + duration);
      g_ptr_array_add (jobs, job);
    }
  _pm_pool_add_limit_change (pool, t0, BIG_LIMIT);
  _pm_pool_set_times (pool, t0, end);
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  return pool;
}

/* The window draws finished bars from an image of them (pm-timeline-bars.c): read back from
 * the widget's own drawing, each job's bar is where the job ran, before and after a scroll that
 * puts the image between two pixels; the background left of the first bar is not a bar. */
static void
test_timeline_cached_image_draws_its_jobs (void)
{
  g_autoptr(PmPool) pool = run_real_pool (6, 3);
  GtkWidget *timeline = pm_timeline_new ();
  GtkWidget *window;
  GdkRGBA succeeded;
  const int width = 900, height = 400;

  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  window = present (timeline, width, height);
  run_until (pool_finished, pool, RUN_TIMEOUT_SEC);
  _pm_timeline_get_state_color (PM_JOB_STATE_SUCCEEDED, &succeeded);

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (timeline);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      cairo_surface_t *surface;
      cairo_t *cr;
      guint n_checked = 0;

      if (pass == 1)
        {
          PmJob *first = pm_pool_get_job_by_seq (pool, 1);

          /* Zoomed in, and scrolled to a third of a pixel past the first job's start */
          for (guint i = 0; i < 3; i++)
            pm_timeline_zoom_in (PM_TIMELINE (timeline));
          _pm_timeline_scroll_to (PM_TIMELINE (timeline),
                                  (pm_job_get_start_time (first) -
                                   pm_pool_get_start_time (pool)) / 1e6 - 0.0001);
        }
      wait_for_paint (timeline);
      g_assert_true (_pm_timeline_bars_are_an_image (PM_TIMELINE (timeline)));

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      g_assert_nonnull (node);
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cr = cairo_create (surface);
      gsk_render_node_draw (node, cr);
      cairo_destroy (cr);

      for (guint seq = 1; seq <= 6; seq++)
        {
          PmJob *job = pm_pool_get_job_by_seq (pool, seq);
          graphene_rect_t rect;
          double x, y;
          guint32 pixel;

          /* Bars scrolled out of view have none */
          if (!_pm_timeline_get_bar_rect (PM_TIMELINE (timeline), job, FALSE, 0, 0, &rect) ||
              rect.origin.x + 3 >= width || rect.origin.x < 4)
            continue;
          n_checked++;
          g_assert_cmpfloat (rect.size.width, >, 4);
          x = rect.origin.x + 2;
          y = rect.origin.y + rect.size.height / 2;
          pixel = sample (surface, x, y);
          if (!colors_close (pixel, &succeeded))
            g_error ("pass %u, job %u: pixel %08x at (%.1f, %.1f) is not the succeeded colour",
                     pass, seq, pixel, x, y);
          if (seq <= 3)
            g_assert_false (colors_close (sample (surface, rect.origin.x - 3, y), &succeeded));
        }
      /* all six fitted; zoomed in, the first lane's jobs at least */
      g_assert_cmpuint (n_checked, >=, pass == 0 ? 6 : 2);
      cairo_surface_destroy (surface);
    }

  destroy_window (window);
}

/* 20,000 finished jobs: the whole run renders, and a zoomed-in frame draws only a few bars. */
static void
test_timeline_large_run_draws_only_visible_bars (void)
{
  g_autoptr(PmPool) pool = big_read_only_pool ();
  GtkWidget *timeline = pm_timeline_new ();
  GtkWidget *window;
  cairo_surface_t *surface;
  cairo_t *cr;
  PmJob *job;
  graphene_rect_t rect;
  double x, y;
  guint fitted;

  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  window = present (timeline, 1000, 500);
  g_assert_cmpuint (_pm_timeline_get_n_lanes (PM_TIMELINE (timeline)), ==, BIG_LIMIT);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 500);
  cr = cairo_create (surface);
  pm_timeline_render_to_cairo (PM_TIMELINE (timeline), cr, 1200, 500);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* Fitted, everything is in view. */
  wait_for_paint (timeline);
  fitted = _pm_timeline_get_n_bars_drawn (PM_TIMELINE (timeline));
  g_assert_cmpuint (fitted, ==, BIG_N);

  /* Zoomed in on the middle of the run */
  for (guint i = 0; i < 12; i++)
    pm_timeline_zoom_in (PM_TIMELINE (timeline));
  wait_for_paint (timeline);
  g_assert_cmpuint (_pm_timeline_get_n_bars_drawn (PM_TIMELINE (timeline)), >, 0);
  g_assert_cmpuint (_pm_timeline_get_n_bars_drawn (PM_TIMELINE (timeline)), <, BIG_N / 20);

  /* Scrolled to a known job, it is hit where it is drawn. */
  job = pm_pool_get_job_by_seq (pool, BIG_N / 2);
  _pm_timeline_scroll_to (PM_TIMELINE (timeline),
                          (pm_job_get_start_time (job) - pm_pool_get_start_time (pool)) / 1e6);
  wait_for_paint (timeline);
  g_assert_cmpuint (_pm_timeline_get_n_bars_drawn (PM_TIMELINE (timeline)), <, BIG_N / 20);
  g_assert_true (_pm_timeline_get_bar_rect (PM_TIMELINE (timeline), job, FALSE, 0, 0, &rect));
  x = rect.origin.x + rect.size.width / 2;
  y = rect.origin.y + rect.size.height / 2;
  g_assert_true (_pm_timeline_hit_test (PM_TIMELINE (timeline), x, y) == job);

  destroy_window (window);
}

/* The timeline holds no reference cycle with its pool. */
static void
test_timeline_finalizes (void)
{
  PmPool *pool = _pm_pool_new_read_only (3);
  GtkWidget *timeline = g_object_ref_sink (pm_timeline_new ());

  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  g_object_set (timeline, "follow", FALSE, NULL);
  g_assert_false (pm_timeline_get_follow (PM_TIMELINE (timeline)));
  g_assert_finalize_object (timeline);
  g_assert_finalize_object (pool);
}

/* Issue 17, point 9: the chart's y axis counts whole jobs (it read 7.5 for a scale of 15). */
static void
test_chart_ticks_whole_jobs (void)
{
  static const double tops[] = { 1, 2, 5, 7.5, 15, 100 };

  for (guint t = 0; t < G_N_ELEMENTS (tops); t++)
    {
      double ticks[3];
      guint n = _pm_timeline_chart_ticks (tops[t], ticks);

      g_assert_cmpuint (n, >=, 2);
      g_assert_cmpfloat (ticks[0], ==, 0);
      g_assert_cmpfloat (ticks[n - 1], ==, floor (tops[t]));
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpfloat (ticks[i], ==, floor (ticks[i]));
          if (i > 0)
            g_assert_cmpfloat (ticks[i], >, ticks[i - 1]);
        }
    }
}

static double
channel_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

/* WCAG 2 contrast ratio of two opaque colours, computed here on its own */
static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = 0.2126 * channel_linear (a->red) + 0.7152 * channel_linear (a->green) +
              0.0722 * channel_linear (a->blue);
  double lb = 0.2126 * channel_linear (b->red) + 0.7152 * channel_linear (b->green) +
              0.0722 * channel_linear (b->blue);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* Issue 17, point 7: the text drawn on each state's bar, and on the limit's pill in the light
 * and the dark style, meets WCAG AA (4.5:1). White on the green and orange bars was 3.3:1. */
static void
test_text_contrast (void)
{
  static const GdkRGBA foregrounds[] = {
    { 0.14, 0.12, 0.19, 1 },   /* light style: dark text colour */
    { 1, 1, 1, 1 },            /* dark style: white text colour */
    { 0, 0, 0, 1 },            /* high contrast */
  };

  for (PmJobState state = PM_JOB_STATE_QUEUED; state <= PM_JOB_STATE_CANCELLED; state++)
    {
      GdkRGBA bar, text;

      _pm_timeline_get_state_color (state, &bar);
      _pm_timeline_text_on (&bar, &text);
      g_test_message ("%s: %.2f:1", pm_job_state_to_string (state), contrast (&bar, &text));
      g_assert_cmpfloat (contrast (&bar, &text), >=, 4.5);
    }
  for (guint i = 0; i < G_N_ELEMENTS (foregrounds); i++)
    {
      GdkRGBA text;

      _pm_timeline_text_on (&foregrounds[i], &text);
      g_assert_cmpfloat (contrast (&foregrounds[i], &text), >=, 4.5);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add_func ("/timeline/real-run/draws-its-jobs", test_timeline_real_run_draws_its_jobs);
  g_test_add_func ("/timeline/live/cached-image-draws-its-jobs",
                   test_timeline_cached_image_draws_its_jobs);
  g_test_add_func ("/timeline/click/activates-the-job", test_timeline_click_activates_job);
  g_test_add_func ("/timeline/lanes/follow-the-limit", test_timeline_lanes_follow_the_limit);
  g_test_add_func ("/timeline/lanes/tell-their-slot-process",
                   test_timeline_lanes_tell_their_slot_process);
  g_test_add_func ("/timeline/queue/a-short-queue-shows-a-chip",
                   test_timeline_short_queue_shows_a_chip);
  g_test_add_func ("/timeline/limit-labels/the-later-change-wins",
                   test_timeline_limit_labels_later_change_wins);
  g_test_add_func ("/timeline/large-run/draws-only-visible-bars",
                   test_timeline_large_run_draws_only_visible_bars);
  g_test_add_func ("/timeline/chart/y-axis-ticks-are-whole-jobs", test_chart_ticks_whole_jobs);
  g_test_add_func ("/timeline/colours/text-on-bars-and-pill-meets-wcag-aa", test_text_contrast);
  g_test_add_func ("/timeline/finalizes", test_timeline_finalizes);

  return g_test_run ();
}
