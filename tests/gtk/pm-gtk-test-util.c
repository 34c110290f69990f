/* pm-gtk-test-util.c: what the window's tests share: a main loop driven until a condition
 * holds, a fresh window on the test settings, actions that must be enabled
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "pm-util.h"
#include "pm-gtk-test-util.h"

#define TIMEOUT_S 30

PmApplication *app;

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until_for (Condition   condition,
                gpointer    data,
                const char *what,
                guint       seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timed_out_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %u s waiting until %s", seconds, what);
  g_source_remove (id);
}

/* Runs the main loop until @condition holds; fails the test after TIMEOUT_S seconds. */
void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  wait_until_for (condition, data, what, TIMEOUT_S);
}

/* The same, for what waits on ssh logins: one took 5 s on a loaded machine, and a run over
 * hosts needs several (the check, the copy of pool-slot, a login a remote slot). */
void
wait_until_slow (Condition   condition,
                 gpointer    data,
                 const char *what)
{
  wait_until_for (condition, data, what, 4 * TIMEOUT_S);
}

static gboolean
count_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  guint *left = user_data;

  return --*left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
no_frames_left (gpointer data)
{
  return *(guint *)data == 0;
}

void
wait_frames (GtkWidget *widget,
             guint      n)
{
  guint left = n;

  gtk_widget_add_tick_callback (widget, count_tick_cb, &left, NULL);
  wait_until (no_frames_left, &left, "frames are drawn");
}

static gboolean
nothing_pending (gpointer data)
{
  return !g_main_context_pending (NULL);
}

void
settle (void)
{
  wait_until (nothing_pending, NULL, "the main loop is idle");
}

gboolean
pool_finished (gpointer data)
{
  PmPool *pool = pm_window_get_pool (data);
  return pool != NULL && pm_pool_get_state (pool) == PM_POOL_STATE_FINISHED;
}

gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

PmWindow *
new_window (void)
{
  GSettings *settings = pm_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  PmWindow *window;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  g_settings_set_uint (settings, "count", 15);
  g_settings_set_uint (settings, "limit", 5);
  g_settings_set_double (settings, "sleep-min", 0.05);
  g_settings_set_double (settings, "sleep-max", 0.25);
  g_settings_set_int64 (settings, "seed", 7);

  window = g_object_ref_sink (pm_window_new (app));
  gtk_window_present (GTK_WINDOW (window));
  wait_until (window_mapped, window, "the window is mapped");
  return window;
}

void
close_window (PmWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_assert_finalize_object (window);
}

PmPool *
start_demo (PmWindow *window,
            guint     count,
            guint     limit,
            double    sleep_min,
            double    sleep_max)
{
  GSettings *settings = _pm_window_get_settings (window);

  g_settings_set_uint (settings, "count", count);
  g_settings_set_uint (settings, "limit", limit);
  g_settings_set_double (settings, "sleep-min", sleep_min);
  g_settings_set_double (settings, "sleep-max", sleep_max);
  activate (window, "start");
  g_assert_nonnull (pm_window_get_pool (window));
  return pm_window_get_pool (window);
}

void
activate (PmWindow   *window,
          const char *action)
{
  if (!g_action_group_get_action_enabled (G_ACTION_GROUP (window), action))
    {
      PmPool *pool = pm_window_get_pool (window);
      GString *states = g_string_new (NULL);

      for (guint i = 0; pool && i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
        {
          g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
          g_string_append_printf (states, " %s", pm_job_state_to_string (pm_job_get_state (job)));
        }
      g_error ("win.%s is disabled (pool state %d, jobs:%s)", action,
               pool ? (int)pm_pool_get_state (pool) : -1, states->str);
    }
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}


static char *state_home;

static void
remove_state_home (void)
{
  pm_test_remove_tree (state_home);
  g_clear_pointer (&state_home, g_free);
}

void
pm_gtk_test_init (int    *argc,
                  char ***argv)
{
  pm_process_init ();
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  /* Runs are recorded under $XDG_STATE_HOME: a folder of the test's own, gone at exit. */
  state_home = g_dir_make_tmp ("pm-test-state-XXXXXX", NULL);
  g_assert_nonnull (state_home);
  g_setenv ("XDG_STATE_HOME", state_home, TRUE);
  atexit (remove_state_home);
  gtk_test_init (argc, argv, NULL);
  /* GTK 4.8 under Xvfb: a blinking cursor in a text field of a window that lost the X focus
   * warns "GtkText - did not receive a focus-out event", and warnings are fatal in tests. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  app = pm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
}

static void
count_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               guint                    *binds)
{
  (*binds)++;
}

void
count_binds (GtkColumnView *view,
             guint         *binds)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkListItemFactory *factory = gtk_column_view_column_get_factory (column);

      if (binds != NULL)
        g_signal_connect (factory, "bind", G_CALLBACK (count_bind_cb), binds);
      else
        g_signal_handlers_disconnect_matched (factory, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                              count_bind_cb, NULL);
    }
}

static gboolean
n_running_is (gpointer data)
{
  PmWindow *window = data;
  PmPool *pool = pm_window_get_pool (window);
  guint want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "want-running"));

  return pool != NULL && pm_pool_get_n_running (pool) == want;
}

void
wait_running (PmWindow *window,
              guint     n)
{
  g_object_set_data (G_OBJECT (window), "want-running", GUINT_TO_POINTER (n));
  wait_until (n_running_is, window, "the right number of jobs run");
}

gboolean
rects_overlap (const graphene_rect_t *a,
               const graphene_rect_t *b)
{
  double w = MIN (a->origin.x + a->size.width, b->origin.x + b->size.width) -
             MAX (a->origin.x, b->origin.x);
  double h = MIN (a->origin.y + a->size.height, b->origin.y + b->size.height) -
             MAX (a->origin.y, b->origin.y);

  return w > 0.5 && h > 0.5;
}

guint
find_dialogs (PmWindow          *window,
              AdwMessageDialog **first)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  *first = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)) && n++ == 0)
        *first = ADW_MESSAGE_DIALOG (toplevel);
    }
  return n;
}
