/* test-window-open.c: opening run logs is one window's business (issue 17, point 4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pm-application.h"
#include "pm-window-private.h"
#include "pm-gtk-test-util.h"

static GList *
pm_windows (void)
{
  GList *windows = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (PM_IS_WINDOW (l->data))
      windows = g_list_prepend (windows, l->data);
  return windows;
}

/* As `pool-monitor FILE…` does: the tests' application is registered without
 * G_APPLICATION_HANDLES_OPEN (pm_gtk_test_init), so its "open" signal is emitted directly. */
static void
open_files (GFile **files,
            int     n_files)
{
  g_signal_emit_by_name (app, "open", files, n_files, "");
}

static void
test_open_in_one_window (void)
{
  g_autofree char *bad_path = g_build_filename (g_get_tmp_dir (), "pm-test-bad.tsv", NULL);
  g_autofree char *good_path = g_build_filename (g_getenv ("PM_TEST_DATA"), "parallel-joblog.tsv",
                                                 NULL);
  g_autofree char *other_path = g_build_filename (g_getenv ("PM_TEST_DATA"), "what-if-joblog.tsv",
                                                  NULL);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GFile) good = g_file_new_for_path (good_path);
  g_autoptr(GFile) other = g_file_new_for_path (other_path);
  GFile *both[2];
  g_autoptr(GList) windows = NULL;
  AdwMessageDialog *dialog;
  PmWindow *window;
  PmPool *pool;
  guint log_limit;

  g_assert_true (g_file_set_contents (bad_path, "not a joblog\n", -1, NULL));
  g_assert_null (pm_windows ());

  /* pool-monitor bad.tsv: one window, saying why, with no demo run behind it */
  open_files (&bad, 1);
  windows = pm_windows ();
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  window = g_object_ref_sink (windows->data);
  wait_until (window_mapped, window, "the window is mapped");
  g_assert_null (pm_window_get_pool (window));
  g_assert_cmpstr (adw_status_page_get_title (window->empty_page), ==, "Nothing Could Be Opened");
  g_assert_nonnull (strstr (adw_status_page_get_description (window->empty_page),
                            "pm-test-bad.tsv"));

  /* Two files more: the same window opens them, shows the first, and says so of the second. */
  both[0] = good;
  both[1] = other;
  open_files (both, 2);
  g_clear_pointer (&windows, g_list_free);
  windows = pm_windows ();
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  g_assert_true (windows->data == window);
  pool = pm_window_get_pool (window);
  g_assert_nonnull (pool);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_READ_ONLY);
  g_assert_cmpuint (find_dialogs (window, &dialog), ==, 1);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "what-if-joblog.tsv"));
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The header's Limit is the log's own, not the settings' 5. */
  log_limit = pm_pool_get_max_workers (pool);
  g_assert_cmpuint (log_limit, !=, 5);
  g_assert_cmpuint ((guint)gtk_spin_button_get_value (window->limit_spin), ==, log_limit);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->limit_spin)));
  g_assert_cmpuint (g_settings_get_uint (_pm_window_get_settings (window), "limit"), ==, 5);

  /* Start asks before a run takes the log's place; Cancel keeps it. */
  activate (window, "start");
  g_assert_true (pm_window_get_pool (window) == pool);
  g_assert_cmpuint (find_dialogs (window, &dialog), ==, 1);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (pm_window_get_pool (window) == pool);

  activate (window, "start");
  g_assert_cmpuint (find_dialogs (window, &dialog), ==, 1);
  adw_message_dialog_response (dialog, "start");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (pm_window_get_pool (window) != pool);
  g_assert_true (pm_pool_is_active (pm_window_get_pool (window)));
  g_assert_cmpuint ((guint)gtk_spin_button_get_value (window->limit_spin), ==, 5);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (window->limit_spin)));
  wait_until (pool_finished, window, "the run finishes");

  g_unlink (bad_path);
  close_window (window);
}

/* The box with the style class "argv" in @widget (the details pane's command), or NULL */
static GtkWidget *
find_argv_box (GtkWidget *widget)
{
  if (GTK_IS_BOX (widget) && gtk_widget_has_css_class (widget, "argv"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_argv_box (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The text of the first line in the details pane's command, NULL when it has none. */
static const char *
first_command_line (PmWindow *window)
{
  GtkWidget *box = find_argv_box (GTK_WIDGET (window->job_details));
  GtkWidget *child;

  g_assert_nonnull (box);
  child = gtk_widget_get_first_child (box);
  return child != NULL ? gtk_label_get_text (GTK_LABEL (child)) : NULL;
}

/* A job of a joblog has only its Command column, no argv: the details pane shows that line. */
static void
test_open_joblog_details_show_command (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("PM_TEST_DATA"), "parallel-joblog.tsv",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GList) windows = NULL;
  g_autoptr(PmJob) job = NULL;
  PmWindow *window;
  PmPool *pool;

  open_files (&file, 1);
  windows = pm_windows ();
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  window = g_object_ref_sink (windows->data);
  wait_until (window_mapped, window, "the window is mapped");
  pool = pm_window_get_pool (window);
  g_assert_nonnull (pool);
  job = g_list_model_get_item (G_LIST_MODEL (pool), 0);
  g_assert_cmpuint (pm_job_get_seq (job), ==, 1);
  pm_job_list_select_job (_pm_window_get_job_list (window), job);
  wait_frames (GTK_WIDGET (window), 2);

  g_assert_cmpstr (first_command_line (window), ==,
                   "sleep 0.1; test 1 != 3 || exit 3; test 1 != 4 || kill -TERM $$; echo 1");
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);
  /* new_window()'s settings, without its window */
  g_settings_set_uint (pm_application_get_settings (app), "count", 15);
  g_settings_set_uint (pm_application_get_settings (app), "limit", 5);
  g_settings_set_double (pm_application_get_settings (app), "sleep-min", 0.05);
  g_settings_set_double (pm_application_get_settings (app), "sleep-max", 0.25);

  g_test_add_func ("/window/open/one-window-the-logs-limit-and-asks-before-a-run-replaces-it",
                   test_open_in_one_window);
  g_test_add_func ("/window/open/joblog-details-show-the-command-column",
                   test_open_joblog_details_show_command);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
