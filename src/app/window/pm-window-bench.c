/* pm-window-bench.c
 *
 * Benchmark reporting, only with POOL_MONITOR_QUIT_AT_END=1 (see bench/window.sh): the
 * intervals between painted frames, from the window's frame clock, while a run is active, or
 * from one SIGUSR1 to the next (each reports the frames since the last) or to SIGUSR2, which
 * reports and quits. The clock is kept updating meanwhile, so a long interval means the main
 * loop was busy, not that nothing needed drawing. Intervals are counted in 1 ms buckets up to
 * 1 s; the maximum is exact.
 *
 * Each report also says how the main thread spent the time: on a CPU, or ready to run and
 * waiting for one (the kernel's scheduler statistics), over the whole recording and over the
 * intervals longer than 40 ms; and for those, how much passed between frames (the main loop's
 * other work, or nothing due), in the clock's update and layout phases, and painting.
 *
 * With POOL_MONITOR_FRAME_LOG=FILE as well, every interval is written to FILE, a line each:
 * when it ended (ms after the recording started), its length, and the main thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID, so the machine's load does not count) between frames (the main
 * loop's other work: the engine, timers), in the clock's update and layout phases, and
 * painting, all in ms. Sorting by a column finds where a long frame's own work went.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib-unix.h>

#include "pm-window-private.h"

#define BENCH_BUCKETS 1000
#define BENCH_LONG_US (40 * 1000)   /* a "long" frame interval, for the breakdown */

typedef struct
{
  PmWindow      *window;
  GdkFrameClock *clock;      /* set while recording */
  gulong         paint_id;
  gint64         last;       /* monotonic µs of the last after-paint, 0: none yet */
  gint64         max;
  guint          n;
  guint          hist[BENCH_BUCKETS + 1];
  /* The main thread's time on a CPU and waiting for one (/proc/thread-self/schedstat, ns), at
   * the last frame and summed over the long frames. */
  guint64        cpu_ns, wait_ns;
  guint64        start_cpu_ns, start_wait_ns;
  guint          n_long;
  guint64        long_cpu_ns, long_wait_ns;
  /* Where the frame's time went: monotonic µs at our handlers of the clock's phases (each runs
   * after GDK's own), and sums over the long frames. */
  gulong         before_id, layout_id, paint_phase_id;
  gint64         t_before, t_layout, t_paint;
  gint64         long_between_us, long_update_us, long_paint_us;
  /* The longest interval: when it ended (µs after the recording started), and the same
   * breakdown for it alone. */
  gint64         start_us, max_at_us;
  guint64        max_cpu_ns, max_wait_ns;
  gint64         max_between_us, max_update_us, max_paint_us;
  guint          usr1_id;
  guint          usr2_id;
  /* POOL_MONITOR_FRAME_LOG: the main thread's CPU µs at the phases, and the log. */
  FILE          *log;
  gint64         c_last, c_before, c_layout, c_paint;
  gint64         c_mark, t_mark;  /* when Start was asked for, until the first paint */
} BenchFrames;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Where the kernel schedules threads (CONFIG_SCHED_INFO); FALSE elsewhere. */
static gboolean
read_schedstat (guint64 *cpu_ns,
                guint64 *wait_ns)
{
  char buf[128];
  FILE *file = fopen ("/proc/thread-self/schedstat", "re");
  gboolean ok = file != NULL && fgets (buf, sizeof buf, file) != NULL &&
                sscanf (buf, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, cpu_ns, wait_ns) == 2;

  if (file != NULL)
    fclose (file);
  return ok;
}

static void
bench_before_paint_cb (GdkFrameClock *clock,
                       BenchFrames   *bench)
{
  bench->t_before = g_get_monotonic_time ();
  bench->t_layout = bench->t_paint = 0;
  if (bench->log != NULL)
    bench->c_before = thread_cpu_us (), bench->c_layout = bench->c_paint = 0;
}

static void
bench_layout_cb (GdkFrameClock *clock,
                 BenchFrames   *bench)
{
  bench->t_layout = g_get_monotonic_time ();
  if (bench->log != NULL)
    bench->c_layout = thread_cpu_us ();
}

static void
bench_paint_cb (GdkFrameClock *clock,
                BenchFrames   *bench)
{
  bench->t_paint = g_get_monotonic_time ();
  if (bench->log != NULL)
    bench->c_paint = thread_cpu_us ();
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      BenchFrames   *bench)
{
  gint64 now = g_get_monotonic_time ();
  guint64 cpu_ns = 0, wait_ns = 0;
  gboolean have_stat = read_schedstat (&cpu_ns, &wait_ns);

  /* The frame Start ran in: its CPU from the action on, all in the first column */
  if (bench->last == 0 && bench->log != NULL && bench->t_mark != 0)
    fprintf (bench->log, "%.1f\t%.1f\t%.2f\t0.00\t0.00\t0.00\n", (now - bench->start_us) / 1e3,
             (now - bench->t_mark) / 1e3, (thread_cpu_us () - bench->c_mark) / 1e3);
  bench->t_mark = 0;
  if (bench->last != 0)
    {
      gint64 interval = now - bench->last;
      gint64 layout = bench->t_layout ? bench->t_layout : bench->t_before;
      gint64 paint = bench->t_paint ? bench->t_paint : layout;
      gboolean phased = bench->t_before > bench->last;
      guint64 frame_cpu_ns = have_stat ? cpu_ns - bench->cpu_ns : 0;
      guint64 frame_wait_ns = have_stat ? wait_ns - bench->wait_ns : 0;

      bench->hist[MIN (interval / 1000, BENCH_BUCKETS)]++;
      bench->n++;
      if (interval > bench->max)
        {
          bench->max = interval;
          bench->max_at_us = now - bench->start_us;
          bench->max_cpu_ns = frame_cpu_ns;
          bench->max_wait_ns = frame_wait_ns;
          bench->max_between_us = phased ? bench->t_before - bench->last : 0;
          bench->max_update_us = phased ? layout - bench->t_before : 0;
          bench->max_paint_us = phased ? paint - layout : 0;
        }
      if (interval > BENCH_LONG_US)
        {
          bench->n_long++;
          bench->long_cpu_ns += frame_cpu_ns;
          bench->long_wait_ns += frame_wait_ns;
        }
      if (interval > BENCH_LONG_US && phased)
        {
          bench->long_between_us += bench->t_before - bench->last;
          bench->long_update_us += layout - bench->t_before;
          bench->long_paint_us += paint - layout;
        }
      if (bench->log != NULL && phased)
        {
          gint64 c_now = thread_cpu_us ();
          gint64 c_layout = bench->c_layout ? bench->c_layout : bench->c_before;
          gint64 c_paint = bench->c_paint ? bench->c_paint : c_layout;

          fprintf (bench->log, "%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\n",
                   (now - bench->start_us) / 1e3, interval / 1e3,
                   (bench->c_before - bench->c_last) / 1e3, (c_layout - bench->c_before) / 1e3,
                   (c_paint - c_layout) / 1e3, (c_now - c_paint) / 1e3);
        }
    }
  bench->last = now;
  if (bench->log != NULL)
    bench->c_last = thread_cpu_us ();
  bench->cpu_ns = cpu_ns;
  bench->wait_ns = wait_ns;
}

static void
bench_stop (BenchFrames *bench)
{
  if (bench->clock == NULL)
    return;
  g_clear_signal_handler (&bench->paint_id, bench->clock);
  g_clear_signal_handler (&bench->before_id, bench->clock);
  g_clear_signal_handler (&bench->layout_id, bench->clock);
  g_clear_signal_handler (&bench->paint_phase_id, bench->clock);
  gdk_frame_clock_end_updating (bench->clock);
  g_clear_object (&bench->clock);
}

static void
bench_start (BenchFrames *bench)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench->window));

  bench_stop (bench);
  memset (bench->hist, 0, sizeof bench->hist);
  bench->last = bench->max = 0;
  bench->n = bench->n_long = 0;
  bench->long_cpu_ns = bench->long_wait_ns = 0;
  bench->long_between_us = bench->long_update_us = bench->long_paint_us = 0;
  bench->t_before = bench->t_layout = bench->t_paint = 0;
  bench->start_us = g_get_monotonic_time ();
  bench->max_at_us = 0;
  bench->max_cpu_ns = bench->max_wait_ns = 0;
  bench->max_between_us = bench->max_update_us = bench->max_paint_us = 0;
  if (!read_schedstat (&bench->start_cpu_ns, &bench->start_wait_ns))
    bench->start_cpu_ns = bench->start_wait_ns = 0;
  if (clock == NULL)
    return;
  bench->clock = g_object_ref (clock);
  bench->paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (bench_after_paint_cb),
                                      bench);
  bench->before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (bench_before_paint_cb),
                                       bench);
  bench->layout_id = g_signal_connect (clock, "layout", G_CALLBACK (bench_layout_cb), bench);
  bench->paint_phase_id = g_signal_connect (clock, "paint", G_CALLBACK (bench_paint_cb), bench);
  gdk_frame_clock_begin_updating (clock);
}

/* The smallest interval (upper edge of its bucket, in ms) that @q of them do not exceed. */
static guint
bench_quantile (BenchFrames *bench,
                double       q)
{
  guint64 want = (guint64) ceil (q * bench->n), seen = 0;

  for (guint i = 0; i <= BENCH_BUCKETS; i++)
    if ((seen += bench->hist[i]) >= want)
      return i + 1;
  return BENCH_BUCKETS + 1;
}

/* The frame intervals; then, for those over 40 ms, how the main thread spent them: on a CPU
 * (its own work) or runnable but waiting for a CPU (the machine was busy). */
static char *
bench_dup_summary (BenchFrames *bench)
{
  guint64 cpu_ns = 0, wait_ns = 0;

  if (!read_schedstat (&cpu_ns, &wait_ns))
    cpu_ns = bench->start_cpu_ns, wait_ns = bench->start_wait_ns;
  return g_strdup_printf ("%u frame intervals: p50 %u ms, p99 %u ms, max %.1f ms; "
                          "main thread %.0f ms on a CPU, %.0f ms waiting for one; "
                          "%u over 40 ms, main thread in them: %.0f ms on a CPU, %.0f ms waiting; "
                          "between frames %.0f ms, update and layout %.0f ms, paint %.0f ms; "
                          "longest at %.1f s: %.0f ms on a CPU, %.0f ms waiting; "
                          "between frames %.0f ms, update and layout %.0f ms, paint %.0f ms",
                          bench->n, bench->n ? bench_quantile (bench, 0.50) : 0,
                          bench->n ? bench_quantile (bench, 0.99) : 0, bench->max / 1000.0,
                          (cpu_ns - bench->start_cpu_ns) / 1e6,
                          (wait_ns - bench->start_wait_ns) / 1e6,
                          bench->n_long, bench->long_cpu_ns / 1e6, bench->long_wait_ns / 1e6,
                          bench->long_between_us / 1e3, bench->long_update_us / 1e3,
                          bench->long_paint_us / 1e3, bench->max_at_us / 1e6,
                          bench->max_cpu_ns / 1e6, bench->max_wait_ns / 1e6,
                          bench->max_between_us / 1e3, bench->max_update_us / 1e3,
                          bench->max_paint_us / 1e3);
}

/* SIGUSR1: report the frames recorded since the last SIGUSR1, if any, and start again. */
static gboolean
bench_usr1_cb (gpointer user_data)
{
  BenchFrames *bench = user_data;

  if (bench->clock != NULL)
    {
      g_autofree char *summary = bench_dup_summary (bench);
      g_print ("pool-monitor: so far %s\n", summary);
    }
  bench_start (bench);
  return G_SOURCE_CONTINUE;
}

static gboolean
bench_usr2_cb (gpointer user_data)
{
  BenchFrames *bench = user_data;

  bench->usr2_id = 0;
  _pm_window_quit_if_asked (bench->window);
  return G_SOURCE_REMOVE;
}

static void
bench_free (gpointer data)
{
  BenchFrames *bench = data;

  bench_stop (bench);
  g_clear_pointer (&bench->log, fclose);
  g_clear_handle_id (&bench->usr1_id, g_source_remove);
  g_clear_handle_id (&bench->usr2_id, g_source_remove);
  g_free (bench);
}

static BenchFrames *
bench_get (PmWindow *self)
{
  BenchFrames *bench;

  if (g_strcmp0 (g_getenv ("POOL_MONITOR_QUIT_AT_END"), "1") != 0)
    return NULL;
  bench = g_object_get_data (G_OBJECT (self), "pm-bench-frames");
  if (bench == NULL)
    {
      bench = g_new0 (BenchFrames, 1);
      const char *log = g_getenv ("POOL_MONITOR_FRAME_LOG");

      bench->window = self;
      if (log != NULL && *log != '\0' && (bench->log = fopen (log, "we")) != NULL)
        fprintf (bench->log, "# at_ms\tinterval_ms\tcpu_between\tcpu_update\tcpu_paint\tcpu_after\n");
      bench->usr1_id = g_unix_signal_add (SIGUSR1, bench_usr1_cb, bench);
      bench->usr2_id = g_unix_signal_add (SIGUSR2, bench_usr2_cb, bench);
      g_object_set_data_full (G_OBJECT (self), "pm-bench-frames", bench, bench_free);
    }
  return bench;
}

/* Start was asked for: with a frame log, its first line is from here to the next paint. */
void
_pm_window_bench_mark_start (PmWindow *self)
{
  BenchFrames *bench = bench_get (self);

  if (bench == NULL || bench->log == NULL)
    return;
  bench->c_mark = thread_cpu_us ();
  bench->t_mark = g_get_monotonic_time ();
}

/* Records frames from when the run becomes active until it ends. */
void
_pm_window_bench_follow_pool (PmWindow *self)
{
  BenchFrames *bench = bench_get (self);
  gboolean active = self->pool != NULL && pm_pool_is_active (self->pool);

  if (bench == NULL || active == (bench->clock != NULL))
    return;
  if (active)
    bench_start (bench);
  else
    bench_stop (bench);
}

/* For benchmarks and demos (with POOL_MONITOR_AUTOSTART=1): report the run and quit. */
void
_pm_window_quit_if_asked (PmWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  BenchFrames *bench = bench_get (self);
  g_autofree char *frames = NULL;

  if (bench == NULL || app == NULL)
    return;
  bench_stop (bench);
  frames = bench_dup_summary (bench);
  g_print ("pool-monitor: %u jobs, %u failed, %.3f s; %s\n",
           self->pool ? g_list_model_get_n_items (G_LIST_MODEL (self->pool)) : 0,
           self->pool ? pm_pool_get_n_failed (self->pool) : 0,
           self->pool ? pm_pool_get_elapsed (self->pool) / (double)G_USEC_PER_SEC : 0.0, frames);
  g_application_quit (G_APPLICATION (app));
}
