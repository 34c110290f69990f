/* pm-gtk-test-util.h: what the window's tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-application.h"
#include "pm-test-util.h"
#include "pm-window-private.h"

G_BEGIN_DECLS

/* The application every window of a test program belongs to; main() makes it. */
extern PmApplication *app;

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; fails the test after 30 s, naming @what. */
void      wait_until      (Condition   condition,
                           gpointer    data,
                           const char *what);
void      wait_until_slow (Condition   condition,
                           gpointer    data,
                           const char *what);
/* Runs the main loop until @widget's frame clock has ticked @n times. */
void      wait_frames   (GtkWidget  *widget,
                         guint       n);
/* Runs the main loop until nothing is pending. */
void      settle        (void);
gboolean  pool_finished (gpointer    window);
gboolean  window_mapped (gpointer    widget);
/* A window presented and mapped, on settings reset to the tests' small default run. */
PmWindow *new_window    (void);
/* Destroys @window and asserts that it is finalized. */
void      close_window  (PmWindow   *window);
/* Starts a run of @count demo workers at @limit, each sleeping from @sleep_min to @sleep_max
 * seconds; returns its pool. */
PmPool   *start_demo    (PmWindow   *window,
                         guint       count,
                         guint       limit,
                         double      sleep_min,
                         double      sleep_max);
/* Runs the main loop until @window's pool runs exactly @n jobs. */
void      wait_running  (PmWindow   *window,
                         guint       n);
/* Whether two rectangles share more than half a pixel each way. */
gboolean  rects_overlap (const graphene_rect_t *a,
                         const graphene_rect_t *b);
/* Counts in *@binds every bind of the cells of @view's columns from now on; with %NULL, stops
 * counting. */
void      count_binds   (GtkColumnView *view,
                         guint         *binds);
/* The message dialogs shown over @window: how many, and the first (NULL if none). */
guint     find_dialogs  (PmWindow          *window,
                         AdwMessageDialog **first);
/* Activates win.@action, failing the test if it is disabled. */
void      activate      (PmWindow   *window,
                         const char *action);

/* Before the tests: settings in memory, runs recorded in a folder of the test's own, GTK, and
 * the application. */
void      pm_gtk_test_init (int    *argc,
                            char ***argv);

G_END_DECLS
