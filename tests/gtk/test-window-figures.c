/* test-window-figures.c: the figures the window shows a new user: how a stopped run ended,
 * Queued times from Start, the estimate of what is left, toasts that go with what they
 * spoke of (issue 17, points 1, 2, 3 and 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "pm-application.h"
#include "pm-runlog.h"
#include "pm-util.h"
#include "pm-window-private.h"
#include "pm-gtk-test-util.h"

static void
assert_header_has (PmWindow   *window,
                   const char *part)
{
  g_autofree char *header = _pm_window_dup_header_text (window);

  if (strstr (header, part) == NULL)
    g_error ("the header says “%s”, not “%s”", header, part);
}

/* Point 1: one Stop cancels the queued jobs; the header counts them, the subtitle says the run
 * was stopped, the bar is full, and the re-run runs the cancelled jobs too. */
static void
test_stopped_run_counted (void)
{
  PmWindow *window = new_window ();
  const char *subtitle;
  PmPool *pool;

  pool = start_demo (window, 15, 5, 0.5, 0.5);
  wait_running (window, 5);
  activate (window, "stop");
  wait_until (pool_finished, window, "the drained run finishes");
  settle ();

  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 5);
  g_assert_cmpuint (pm_pool_get_n_cancelled (pool), ==, 10);
  assert_header_has (window, "done 5, failed 0, cancelled 10");
  subtitle = adw_window_title_get_subtitle (window->window_title);
  g_assert_cmpstr (subtitle, ==, "Stopped: 10 jobs cancelled");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (window->progress_bar), ==, 1.0);

  /* "Run every job that did not succeed again": the cancelled ones did not. */
  activate (window, "rerun-failed");
  g_assert_cmpuint (pm_pool_get_n_cancelled (pool), ==, 0);
  wait_until (pool_finished, window, "the re-run finishes");
  settle ();
  for (guint seq = 1; seq <= 15; seq++)
    g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, seq)), ==,
                     PM_JOB_STATE_SUCCEEDED);
  assert_header_has (window, "done 15, failed 0, cancelled 0");
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==, "Finished");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "rerun-failed"));

  close_window (window);
}

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *)data;
}

/* Point 2: the rows shown before Start are a preview, queued by nobody; Start queues them, and
 * the recorded run's "queued" events carry that moment, not the preview's. */
static void
test_queued_from_start (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  PmPool *pool = pm_window_get_pool (window);
  g_autofree char *stem = NULL;
  g_autofree char *events_path = NULL;
  g_autoptr(GFile) events = NULL;
  g_autoptr(PmPool) logged = NULL;
  g_autoptr(GError) error = NULL;
  gint64 later = g_get_real_time () + G_USEC_PER_SEC;
  gboolean waited = FALSE;
  gint64 start;

  g_assert_nonnull (pool);
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (window->window_title), "Preview"));
  for (guint seq = 1; seq <= 15; seq++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, seq);
      g_autofree char *cell = _pm_job_list_dup_cell_text (list, job, PM_COLUMN_QUEUED);

      g_assert_cmpint (pm_job_get_queued_time (job), ==, 0);
      g_assert_null (cell);
    }

  /* A second after the preview was shown, Start. */
  g_timeout_add (1100, set_flag_cb, &waited);
  wait_until (flag_set, &waited, "a second goes by");
  activate (window, "start");
  g_assert_true (pm_window_get_pool (window) == pool);
  start = pm_pool_get_start_time (pool);
  g_assert_cmpint (start, >=, later);
  for (guint seq = 1; seq <= 15; seq++)
    g_assert_cmpint (pm_job_get_queued_time (pm_pool_get_job_by_seq (pool, seq)), ==, start);
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==, "Running");

  wait_until (pool_finished, window, "the run finishes");
  settle ();

  /* The event log recorded beside the joblog */
  g_assert_nonnull (_pm_window_get_autosave_path (window));
  g_assert_true (g_str_has_suffix (_pm_window_get_autosave_path (window), ".tsv"));
  stem = g_strndup (_pm_window_get_autosave_path (window),
                    strlen (_pm_window_get_autosave_path (window)) - 4);
  events_path = g_strconcat (stem, ".jsonl", NULL);
  events = g_file_new_for_path (events_path);
  logged = pm_runlog_load (events, &error);
  g_assert_no_error (error);
  for (guint seq = 1; seq <= 15; seq++)
    {
      gint64 queued = pm_job_get_queued_time (pm_pool_get_job_by_seq (logged, seq));

      /* The log keeps milliseconds or microseconds: within one of the start. */
      g_assert_cmpint (queued, >=, start - 1000);
      g_assert_cmpint (queued, <=, start + 1000);
    }

  close_window (window);
}

static double
shown_left (PmWindow *window)
{
  const char *text = gtk_inscription_get_text (window->eta_label);

  if (g_str_equal (text, "—"))
    return -1;
  g_assert_true (g_str_has_prefix (text, "≈ "));
  g_assert_true (g_str_has_suffix (text, " s"));
  return g_ascii_strtod (text + strlen ("≈ "), NULL);
}

/* Point 3: the estimate of what is left comes from what is known (the planned sleeps, the
 * running jobs' elapsed time, the limit) and says "—" when it cannot know or the run is over. */
static void
test_time_left (void)
{
  PmWindow *window = new_window ();
  double left;

  /* Not started: nothing to estimate. */
  _pm_window_update_times (window);
  g_assert_cmpfloat (shown_left (window), ==, -1);

  /* Ten jobs of 2 s, five at a time: two rounds, about 4 s, known before any job ends. */
  start_demo (window, 10, 5, 2, 2);
  _pm_window_update_times (window);
  left = shown_left (window);
  g_assert_cmpfloat (left, <=, 4.0);
  g_assert_cmpfloat (left, >=, 3.0);

  wait_until (pool_finished, window, "the run finishes");
  settle ();
  g_assert_cmpstr (gtk_inscription_get_text (window->eta_label), ==, "—");

  close_window (window);
}

/* Point 5: what speaks of a passing state goes with it. "Stop again to end them" is the
 * header's subtitle while the run drains, not a toast that outlives it; a wrong limit is marked
 * on its field in the words of the settings form, and the mark goes once it is fixed. */
static void
test_stale_messages (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  GtkWidget *spin = GTK_WIDGET (window->limit_spin);
  const char *limit_error;

  start_demo (window, 10, 3, 0.5, 0.5);
  wait_running (window, 3);
  activate (window, "stop");
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==,
                   "Letting 3 running jobs finish; Stop again to end them");
  wait_until (pool_finished, window, "the drained run finishes");
  g_assert_null (strstr (adw_window_title_get_subtitle (window->window_title), "Stop again"));

  /* A limit of 0, typed in the header while the settings pane is hidden */
  g_settings_set_boolean (settings, "show-settings", FALSE);
  g_settings_set_uint (settings, "limit", 0);
  limit_error = pm_run_settings_get_limit_error (_pm_window_get_run_settings (window));
  g_assert_nonnull (limit_error);
  g_assert_true (gtk_widget_has_css_class (spin, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (spin), ==, limit_error);

  g_settings_set_uint (settings, "limit", 4);
  g_assert_null (pm_run_settings_get_limit_error (_pm_window_get_run_settings (window)));
  g_assert_false (gtk_widget_has_css_class (spin, "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (spin), "Jobs That Run at Once"));

  close_window (window);
}

static gboolean
preview_shows (gpointer data)
{
  PmWindow *window = data;
  const char *want = g_object_get_data (G_OBJECT (window), "want-preview");
  GtkLabel *label = g_object_get_data (G_OBJECT (window), "preview-label");

  return gtk_widget_get_visible (GTK_WIDGET (label)) &&
         strstr (gtk_label_get_text (label), want) != NULL;
}

static GtkLabel *
find_label_with (GtkWidget  *widget,
                 const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_with (child, css_class);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkLabel *
find_label_with_text (GtkWidget  *widget,
                      const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_with_text (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Point 13: Start is off while the settings are wrong, each error shows under its own row,
 * and the first job's real command line shows as the template is typed. */
static void
test_settings_form (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  GtkWidget *run_settings = GTK_WIDGET (_pm_window_get_run_settings (window));
  GtkLabel *preview = find_label_with (run_settings, "monospace");

  g_assert_nonnull (preview);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));
  g_settings_set_uint (settings, "count", 0);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));

  /* The Jobs error sits in the list right under the Jobs row, above the Limit row. */
  {
    GtkLabel *error = find_label_with_text (run_settings, "The number of jobs must be");
    GtkWidget *row, *next;

    g_assert_nonnull (error);
    row = gtk_widget_get_parent (GTK_WIDGET (error));
    g_assert_true (ADW_IS_PREFERENCES_ROW (row));
    g_assert_true (gtk_widget_get_visible (row));
    next = gtk_widget_get_next_sibling (row);
    g_assert_true (ADW_IS_ACTION_ROW (next));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (next)), ==, "L_imit");
  }
  g_settings_set_uint (settings, "count", 15);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));

  /* A template without {}: the argument goes last, and the preview says so. */
  g_settings_set_string (settings, "mode", "template");
  g_settings_set_string (settings, "args-source", "count");
  g_settings_set_uint (settings, "count", 500);
  g_settings_set_string (settings, "template", "sleep 0.05");
  g_object_set_data (G_OBJECT (window), "preview-label", preview);
  g_object_set_data (G_OBJECT (window), "want-preview", (gpointer)"0.05 1 (no {}");
  wait_until (preview_shows, window, "the preview shows the appended argument");
  g_assert_nonnull (strstr (gtk_label_get_text (preview), "sleep"));

  /* Typed on: the preview follows, quoting what a shell would split. */
  g_settings_set_string (settings, "template", "echo 'a b' {}");
  g_object_set_data (G_OBJECT (window), "want-preview", (gpointer)"echo 'a b' 1");
  wait_until (preview_shows, window, "the preview follows the template");

  close_window (window);
}

/* Point 12, in part: the shortcuts window shows no keypad key names ("KP_Enter"). */
static void
test_shortcuts_window_names (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/poolmonitor/PoolMonitor/gtk/help-overlay.ui");
  GSList *objects = gtk_builder_get_objects (builder);
  guint n_shortcuts = 0;

  for (GSList *l = objects; l != NULL; l = l->next)
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *action = NULL;

      if (!GTK_IS_SHORTCUTS_SHORTCUT (l->data))
        continue;
      n_shortcuts++;
      g_object_get (l->data, "accelerator", &accelerator, "action-name", &action, NULL);
      if (action != NULL)
        {
          g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                        action);
          for (guint i = 0; accels[i] != NULL; i++)
            if (strstr (accels[i], "KP_") != NULL)
              g_error ("the shortcuts window shows %s for %s", accels[i], action);
        }
      g_assert_true (accelerator == NULL || strstr (accelerator, "KP_") == NULL);
    }
  g_slist_free (objects);
  g_assert_cmpuint (n_shortcuts, >, 5);
  /* the window is a toplevel of its own */
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen)
{
  if (GTK_IS_POPOVER (widget))
    return;   /* menus have mnemonics of their own */
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *other;

      if (key != GDK_KEY_VoidSymbol && key != 0)
        {
          other = g_hash_table_lookup (seen, GUINT_TO_POINTER (key));
          /* AdwEntryRow draws its title twice (empty and filled): one control */
          if (other != NULL && !g_str_equal (other, gtk_label_get_label (GTK_LABEL (widget))))
            g_error ("Alt+%s is both “%s” and “%s”", gdk_keyval_name (key), other,
                     gtk_label_get_label (GTK_LABEL (widget)));
          g_hash_table_insert (seen, GUINT_TO_POINTER (key),
                               (gpointer)gtk_label_get_label (GTK_LABEL (widget)));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, seen);
}

/* Point 12, in part: every mnemonic of the window and its settings pane is its own (Alt+O and
 * Alt+L each served two controls). */
static void
test_unique_mnemonics (void)
{
  PmWindow *window = new_window ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_settings_set_boolean (_pm_window_get_settings (window), "show-settings", TRUE);
  settle ();
  collect_mnemonics (GTK_WIDGET (window), seen);
  g_assert_cmpuint (g_hash_table_size (seen), >=, 15);
  close_window (window);
}

/* Without pool-slot where the window looks, Start says so once, naming where it looked, and
 * the run's rows stay queued: no row failed one by one. */
static void
test_no_pool_slot (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("POOL_MONITOR_BUILD_DIR"));
  g_autofree char *dir = g_dir_make_tmp ("pm-no-slot-XXXXXX", NULL);
  g_autofree char *worker_dir = g_build_filename (dir, "src", "worker", NULL);
  g_autofree char *worker = g_build_filename (worker_dir, "pool-worker", NULL);
  g_autofree char *real_worker = g_build_filename (saved, "src", "worker", "pool-worker", NULL);
  g_autofree char *slot = g_build_filename (dir, "src", "slot", "pool-slot", NULL);
  PmWindow *window = new_window ();
  AdwMessageDialog *dialog;
  PmPool *pool;
  guint n;

  g_assert_nonnull (saved);
  g_assert_cmpint (g_mkdir_with_parents (worker_dir, 0700), ==, 0);
  g_assert_cmpint (symlink (real_worker, worker), ==, 0);
  g_setenv ("POOL_MONITOR_BUILD_DIR", dir, TRUE);

  pool = start_demo (window, 6, 3, 0.1, 0.1);
  g_setenv ("POOL_MONITOR_BUILD_DIR", saved, TRUE);
  g_assert_cmpuint (find_dialogs (window, &dialog), ==, 1);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), slot));
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_IDLE);
  n = g_list_model_get_n_items (G_LIST_MODEL (pool));
  g_assert_cmpuint (n, ==, 6);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_QUEUED);
    }
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  close_window (window);
  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/window/figures/stopped-run-counts-and-says-the-cancelled-jobs",
                   test_stopped_run_counted);
  g_test_add_func ("/window/figures/queued-times-come-from-start-not-the-preview",
                   test_queued_from_start);
  g_test_add_func ("/window/figures/time-left-from-what-is-known-and-none-after-the-end",
                   test_time_left);
  g_test_add_func ("/window/figures/stop-and-limit-messages-go-when-what-they-speak-of-does",
                   test_stale_messages);
  g_test_add_func ("/window/figures/settings-form-start-off-while-wrong-and-command-preview",
                   test_settings_form);
  g_test_add_func ("/window/figures/shortcuts-window-shows-no-keypad-names",
                   test_shortcuts_window_names);
  g_test_add_func ("/window/figures/mnemonics-are-unique", test_unique_mnemonics);
  g_test_add_func ("/window/figures/no-pool-slot-is-one-error-not-failed-rows",
                   test_no_pool_slot);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
