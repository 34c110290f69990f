/* pm-live.h: the beat the window follows a run by
 *
 * While a run is active, the parts of the window that follow it (the job list's cells, the
 * timeline, the header) change at most once per PM_LIVE_PERIOD_USEC, and all on the same
 * frame: the first frame of each period. GTK 4.8's cairo renderer draws every node of the
 * window for any change anywhere in it, so each frame with a change costs a whole repaint, and
 * the main thread it takes is taken from spawning. With the header and the timeline on timers
 * of their own and rows changing with every job, a 10,000-job run repainted the window 98
 * times in 5 s; on the beat, 50.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A build may choose another period, to measure what the beat costs (bench/README.md). */
#ifndef PM_LIVE_PERIOD_USEC
#define PM_LIVE_PERIOD_USEC (100 * 1000)
#endif

/* Whether the frame @clock is on begins a period after the one of *@last; if so, it becomes
 * the last. */
static inline gboolean
pm_live_period_due (GdkFrameClock *clock,
                    gint64        *last)
{
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (now / PM_LIVE_PERIOD_USEC == *last / PM_LIVE_PERIOD_USEC)
    return FALSE;
  *last = now;
  return TRUE;
}

G_END_DECLS
