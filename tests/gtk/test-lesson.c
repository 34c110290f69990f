/* test-lesson.c: the lesson told: the line before Start, the run's summary, the what-if curve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "pm-gtk-test-util.h"
#include "pm-lesson-bar.h"
#include "pm-util.h"
#include "pm-what-if-window.h"

/* The visible widget under @widget whose accessible name is @name */
static GtkWidget *
find_by_name (GtkWidget  *widget,
              const char *name)
{
  g_autofree char *mismatch = NULL;

  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      (mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                      name)) == NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
summary_text (PmWindow *window)
{
  GtkWidget *bar = find_by_name (GTK_WIDGET (window), "Run summary");

  g_assert_nonnull (bar);
  g_assert_true (PM_IS_LESSON_BAR (bar));
  g_assert_true (gtk_widget_get_mapped (bar));
  return pm_lesson_bar_get_text (PM_LESSON_BAR (bar));
}

/* Opens the what-if window through win.what-if and finds the curve in it by its name. */
static PmWhatIfView *
open_what_if (PmWindow        *window,
              PmWhatIfWindow **out)
{
  GtkWidget *view = NULL;
  g_autoptr(GList) toplevels = NULL;

  activate (window, "what-if");
  settle ();
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (PM_IS_WHAT_IF_WINDOW (l->data))
        {
          *out = l->data;
          view = find_by_name (l->data, "What-if curve");
        }
    }
  g_assert_nonnull (view);
  g_assert_true (PM_IS_WHAT_IF_VIEW (view));
  return PM_WHAT_IF_VIEW (view);
}

static void
test_default_run (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  GtkLabel *preview = window->lesson_preview;
  PmWhatIfWindow *what_if_window = NULL;
  PmWhatIfView *view;
  guint n_points, cores = pm_cpu_count ();
  g_autofree char *dir = g_dir_make_tmp ("pm-lesson-XXXXXX", NULL);
  const char *names[] = { "what-if.png", "what-if.svg", "timeline.png" };

  /* before Start: the line where the lanes will be, and no summary */
  wait_until ((Condition)gtk_widget_get_mapped, preview, "the line before Start shows");
  g_assert_cmpstr (gtk_label_get_text (preview), ==, "15 jobs, 5 at a time: press Start");
  g_assert_null (find_by_name (GTK_WIDGET (window), "Run summary"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "what-if"));

  start_demo (window, 6, 3, 0.1, 0.3);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (preview)));
  wait_until (pool_finished, window, "the run finishes");

  /* The workers slept: the summary says they waited (test-fit.c has the words) */
  g_assert_nonnull (strstr (summary_text (window), " with 3 at a time; the jobs mostly waited"));
  g_assert_nonnull (strstr (summary_text (window), " s of work in "));
  g_assert_null (strstr (summary_text (window), "cores busy"));

  view = open_what_if (window, &what_if_window);
  n_points = pm_what_if_view_get_n_points (view);
  g_assert_cmpuint (n_points, ==, 2 * MAX (3, cores));
  g_assert_cmpuint (pm_what_if_view_get_selected (view), ==, 2);   /* the run's own limit */
  for (guint i = 0; i < n_points; i++)
    g_assert_cmpuint (pm_what_if_view_get_point (view, i)->limit, ==, i + 1);
  /* more at once never takes longer: the jobs sleep */
  g_assert_cmpfloat (pm_what_if_view_get_point (view, 0)->makespan, >=,
                     pm_what_if_view_get_point (view, n_points - 1)->makespan);

  /* the keyboard moves along the curve and Enter sets the next run's limit */
  gtk_widget_grab_focus (GTK_WIDGET (view));
  pm_what_if_view_select (view, 0);
  pm_what_if_view_activate_selected (view);
  g_assert_cmpuint (g_settings_get_uint (settings, "limit"), ==, 1);

  /* the curve and the timeline as pictures; the timeline's carries the summary below it */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;
      gsize len = 0;

      if (i < 2)
        g_assert_true (pm_what_if_window_save (what_if_window, file, &error));
      else
        g_assert_true (_pm_window_save (window, file, PM_SAVE_PNG, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      if (g_str_has_suffix (names[i], ".png"))
        g_assert_true (len > 8 && memcmp (data, "\x89PNG", 4) == 0);
      else
        g_assert_nonnull (strstr (data, "<svg"));
      g_unlink (path);
    }
  g_assert_cmpint (_pm_window_lesson_caption_height (window), >, 0);
  g_rmdir (dir);

  gtk_window_destroy (GTK_WINDOW (what_if_window));
  close_window (window);
}

/* A log written by hand in GNU parallel's columns: six jobs of 4, 1, 3, 2, 2 and 1 s run 2 at a
 * time (tests/test-cli.c works the schedule out): 13 s of work in 7 s. */
static void
test_opened_log (void)
{
  PmWindow *window = new_window ();
  g_autofree char *path = g_build_filename (g_getenv ("PM_TEST_DATA"), "what-if-joblog.tsv",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PmWhatIfWindow *what_if_window = NULL;
  PmWhatIfView *view;
  const double makespans[] = { 13, 7, 5, 4 };

  g_assert_true (_pm_window_open (window, file, &error));
  g_assert_no_error (error);
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->lesson_preview)));
  g_assert_cmpstr (summary_text (window), ==, "13.0 s of work in 7.0 s: 1.9× with 2 at a time");

  view = open_what_if (window, &what_if_window);
  g_assert_cmpuint (pm_what_if_view_get_selected (view), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (makespans); i++)
    {
      g_assert_cmpfloat_with_epsilon (pm_what_if_view_get_point (view, i)->makespan,
                                      makespans[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (pm_what_if_view_get_point (view, i)->speed_up,
                                      13 / makespans[i], 1e-9);
    }

  gtk_window_destroy (GTK_WINDOW (what_if_window));
  close_window (window);
}

static gboolean
window_has_focus_in (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (data));

  return focus != NULL && (focus == data || gtk_widget_is_ancestor (focus, data));
}

/* Two recorded runs of the same short jobs, at limits 2 and 5: the what-if window of the second
 * compares it with the first, picked from the keyboard-reachable "Compare with" list: both
 * runs' lines on one chart, named for assistive technology, and both points on the curve. */
static void
test_compare_runs (void)
{
  PmWindow *window = new_window ();
  PmWhatIfWindow *what_if_window = NULL;
  PmWhatIfView *view;
  PmCompareChart *chart;
  PmWhatIfPoint compared;
  GtkWidget *dropdown;
  const guint limits[] = { 2, 5 };

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      start_demo (window, 6, limits[i], 0.5, 0.6);
      wait_until (pool_finished, window, "the run finishes");
    }

  view = open_what_if (window, &what_if_window);
  chart = pm_what_if_window_get_compare_chart (what_if_window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (chart)));
  g_assert_false (pm_what_if_view_get_compared (view, &compared));

  /* the list is reached with Alt+W, and its first recorded run is the newest other one */
  dropdown = find_by_name (GTK_WIDGET (what_if_window), "Compare with a recorded run");
  g_assert_nonnull (dropdown);
  g_assert_true (GTK_IS_DROP_DOWN (dropdown));
  g_assert_true (gtk_widget_mnemonic_activate (dropdown, FALSE));
  wait_until (window_has_focus_in, dropdown, "Compare with takes the focus");
  /* every recorded run but the one shown, after "No other run" */
  {
    g_autofree char *runs = g_path_get_dirname (_pm_window_get_autosave_path (window));
    g_autoptr(GDir) dir = g_dir_open (runs, 0, NULL);
    const char *name;
    guint n_recorded = 0;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      n_recorded += g_str_has_suffix (name, ".tsv");
    g_assert_cmpuint (n_recorded, >=, 2);
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown))),
                      ==, n_recorded);
  }
  /* the list names each run's limit, read from its event log */
  g_assert_true (g_str_has_suffix (gtk_string_list_get_string (
                   GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown))), 1),
                   " · limit 2"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1);
  settle ();

  /* both lines on one chart, found by its name */
  g_assert_true (find_by_name (GTK_WIDGET (what_if_window), "Runs compared") ==
                 GTK_WIDGET (chart));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));
  g_assert_cmpuint (pm_compare_chart_get_n_runs (chart), ==, 2);
  for (guint r = 0; r < 2; r++)
    {
      guint limit = limits[G_N_ELEMENTS (limits) - 1 - r];   /* this run (5), then the other */

      g_assert_cmpuint (pm_compare_chart_get_limit (chart, r), ==, limit);
      g_assert_cmpuint (pm_compare_chart_get_peak (chart, r), ==, limit);
      g_assert_cmpfloat (pm_compare_chart_get_makespan (chart, r), >=, 0.5);
    }
  /* six jobs of half a second or more, two at a time, take at least three rounds */
  g_assert_cmpfloat (pm_compare_chart_get_makespan (chart, 1), >=, 1.5);

  /* both points on the curve: this run's limit selected, the other's ringed at its makespan */
  g_assert_cmpuint (pm_what_if_view_get_point (view, pm_what_if_view_get_selected (view))->limit,
                    ==, 5);
  g_assert_true (pm_what_if_view_get_compared (view, &compared));
  g_assert_cmpuint (compared.limit, ==, 2);
  g_assert_cmpfloat_with_epsilon (compared.makespan, pm_compare_chart_get_makespan (chart, 1),
                                  1e-6);
  g_assert_cmpuint (pm_what_if_view_get_n_points (view), >=, 5);

  /* the saved picture carries the chart under the curve: it is taller than the curve alone */
  {
    g_autofree char *dir = g_dir_make_tmp ("pm-compare-XXXXXX", NULL);
    int heights[2];

    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *path = g_build_filename (dir, i ? "compared.png" : "alone.png", NULL);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;
        cairo_surface_t *picture;

        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
        settle ();
        g_assert_true (pm_what_if_window_save (what_if_window, file, &error));
        g_assert_no_error (error);
        picture = cairo_image_surface_create_from_png (path);
        g_assert_cmpint (cairo_surface_status (picture), ==, CAIRO_STATUS_SUCCESS);
        heights[i] = cairo_image_surface_get_height (picture);
        cairo_surface_destroy (picture);
        g_unlink (path);
      }
    g_assert_cmpint (heights[1], >, heights[0]);
    g_rmdir (dir);
  }

  /* and back to none */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (chart)));
  g_assert_false (pm_what_if_view_get_compared (view, &compared));

  gtk_window_destroy (GTK_WINDOW (what_if_window));
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/lesson/default-run-summary-and-what-if", test_default_run);
  g_test_add_func ("/lesson/opened-log-summary-and-what-if", test_opened_log);
  g_test_add_func ("/lesson/compare-two-recorded-runs", test_compare_runs);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
