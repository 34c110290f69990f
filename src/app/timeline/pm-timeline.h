/* pm-timeline.h: the slot-lane timeline and the running / queued / limit chart of a pool
 *
 * One lane per slot (1 … the highest of the limit and any slot used), a bar per job from its
 * start to its end (to now while it runs) coloured by state, a "now" line while the pool is
 * active, the waiting queue in a column at the right, limit changes marked on the time axis
 * (lanes above the limit are shaded for the time they were above it), and under the lanes a
 * step chart of running, queued and the limit over time.
 *
 * Scrolling: the widget manages its own horizontal offset; do not put it in a
 * GtkScrolledWindow. Scroll or drag pans in time, Ctrl+scroll and pinch zoom around the
 * pointer, and when focused + / - / 0 zoom in, out and to fit, Left / Right / Home / End pan.
 * Lanes keep a height their labels fit in; more lanes than fit scroll (wheel, Up / Down,
 * Page Up / Page Down).
 * With "follow" set (the default) the view keeps "now" in view while the pool is active; it
 * stays fitted to the whole run until the user zooms or pans.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "pm-pool.h"

G_BEGIN_DECLS

#define PM_TYPE_TIMELINE (pm_timeline_get_type ())

G_DECLARE_FINAL_TYPE (PmTimeline, pm_timeline, PM, TIMELINE, GtkWidget)

GtkWidget *pm_timeline_new              (void);
void       pm_timeline_set_pool         (PmTimeline *self,
                                         PmPool     *pool);
PmPool    *pm_timeline_get_pool         (PmTimeline *self);
void       pm_timeline_set_selected_job (PmTimeline *self,
                                         PmJob      *job);
PmJob     *pm_timeline_get_selected_job (PmTimeline *self);
double     pm_timeline_get_zoom         (PmTimeline *self);
void       pm_timeline_set_zoom         (PmTimeline *self,
                                         double      zoom);
gboolean   pm_timeline_get_follow       (PmTimeline *self);
void       pm_timeline_set_follow       (PmTimeline *self,
                                         gboolean    follow);
void       pm_timeline_zoom_in          (PmTimeline *self);
void       pm_timeline_zoom_out         (PmTimeline *self);
void       pm_timeline_zoom_fit         (PmTimeline *self);
int        pm_timeline_get_picture_height (PmTimeline *self);
void       pm_timeline_get_lane_columns   (PmTimeline *self,
                                           int        *left,
                                           int        *right);
int        pm_timeline_get_fit_height     (PmTimeline *self,
                                           gboolean    least_chart);
void       pm_timeline_render_to_cairo  (PmTimeline *self,
                                         cairo_t    *cr,
                                         int         width,
                                         int         height);

G_END_DECLS
