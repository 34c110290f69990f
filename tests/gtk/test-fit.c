/* test-fit.c: the default run fits small screens and large text (issue 17, what was left)
 *
 * The five lanes of the default run are all on screen at 800×600 and at 1.5× text on
 * 1400×900, before Start, while it runs and after; at 800×600 with 1.5× text the job list
 * still shows rows, Name and State among the columns on screen; the waiting chips read whole
 * at 800 px; the end summary of a run that slept says so instead of "kept 0.0 cores busy".
 *
 * Run under Xvfb with GSK_RENDERER=cairo GDK_BACKEND=x11.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-gtk-test-util.h"
#include "pm-job-list-private.h"
#include "pm-lesson-bar.h"
#include "pm-run-summary.h"
#include "pm-timeline-cores.h"
#include "pm-timeline-private.h"

/* The text scale, as GNOME's Large Text sets it (Xft/DPI) */
static void
set_text_scale (double scale)
{
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", (int)(96 * 1024 * scale), NULL);
  settle ();
}

typedef struct
{
  PmWindow *window;
  int       width;
  int       height;
} SizeWait;

static gboolean
has_size (gpointer data)
{
  SizeWait *w = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (w->window));

  return gdk_surface_get_width (surface) == w->width &&
         gdk_surface_get_height (surface) == w->height &&
         gtk_widget_get_width (GTK_WIDGET (w->window->toast_overlay)) > 0;
}

/* A window of the default run's shape (15 jobs, 5 at a time) at @width × @height and @scale */
static PmWindow *
sized_window (int    width,
              int    height,
              double scale)
{
  PmWindow *window;
  SizeWait w;

  set_text_scale (scale);
  window = new_window ();
  w = (SizeWait) { window, width, height };
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  wait_until (has_size, &w, "the window takes its size");
  /* The header's labels and the paned's share follow on the frames after the allocation */
  wait_frames (GTK_WIDGET (window), 5);
  return window;
}

static gboolean
five_lanes (gpointer data)
{
  PmWindow *window = data;

  return _pm_timeline_get_n_lanes (window->timeline) == 5;
}

static gboolean
eight_lanes (gpointer data)
{
  PmWindow *window = data;

  return _pm_timeline_get_n_lanes (window->timeline) == 8;
}

static void
close_sized_window (PmWindow *window)
{
  close_window (window);
  set_text_scale (1.0);
}

/* Every lane of the timeline lies wholly inside the part of the lanes on screen, and inside
 * the widget. */
static void
check_lanes (PmWindow   *window,
             const char *when)
{
  PmTimeline *timeline = window->timeline;
  guint n = _pm_timeline_get_n_lanes (timeline);

  g_test_message ("%s: the timeline is %d px high", when,
                  gtk_widget_get_height (GTK_WIDGET (timeline)));
  for (guint slot = 1; slot <= n; slot++)
    {
      graphene_rect_t rect;

      if (!_pm_timeline_get_lane_rect (timeline, slot, &rect))
        {
          g_test_message ("%s: lane %u of %u is scrolled out of view", when, slot, n);
          g_test_fail ();
        }
      g_assert_cmpfloat (rect.origin.y, >=, 0);
      g_assert_cmpfloat (rect.origin.y + rect.size.height, <=,
                         gtk_widget_get_height (GTK_WIDGET (timeline)));
      g_assert_cmpfloat (rect.size.height, >, 0);
    }
}

static gboolean
all_running (gpointer data)
{
  PmPool *pool = pm_window_get_pool (data);
  return pool != NULL && pm_pool_get_n_running (pool) == 5;
}

/* "Five lanes fill": at 800×600 and at 1.5× text on 1400×900 the default run's five lanes are
 * all on screen, before Start (the preview), while five jobs run and once the run is over
 * (the summary bar above then takes its share of the height). */
static void
test_five_lanes_fit (void)
{
  const struct { int width, height; double scale; } sizes[] = {
    { 800, 600, 1.0 }, { 1400, 900, 1.5 }, { 1400, 900, 1.0 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      PmWindow *window = sized_window (sizes[k].width, sizes[k].height, sizes[k].scale);
      g_autofree char *what = g_strdup_printf ("%d×%d at %.1f×", sizes[k].width,
                                               sizes[k].height, sizes[k].scale);
      g_autofree char *before = g_strdup_printf ("%s, before Start", what);
      g_autofree char *running = g_strdup_printf ("%s, five running", what);
      g_autofree char *after = g_strdup_printf ("%s, after the run", what);

      /* The preview of the run comes from the settings, once they settle */
      wait_until (five_lanes, window, "the preview has five lanes");
      wait_frames (GTK_WIDGET (window), 3);
      g_assert_cmpuint (_pm_timeline_get_n_lanes (window->timeline), ==, 5);
      check_lanes (window, before);
      /* Long enough that all five are running when looked at; stopped after. */
      start_demo (window, 15, 5, 30, 30);
      wait_until (all_running, window, "five jobs run");
      wait_frames (GTK_WIDGET (window), 3);
      check_lanes (window, running);
      activate (window, "stop");
      activate (window, "stop");
      wait_until (pool_finished, window, "the stopped run ends");

      start_demo (window, 15, 5, 0.01, 0.05);
      wait_until (pool_finished, window, "the run ends");
      wait_frames (GTK_WIDGET (window), 5);
      check_lanes (window, after);
      close_sized_window (window);
    }
}

static gboolean
cores_sampled (gpointer data)
{
  PmWindow *window = data;
  return _pm_timeline_get_n_core_samples (window->timeline, NULL) >= 2;
}

/* Two drawn texts share more than a hair of area */
static gboolean
texts_overlap (const PmTimelineText *a,
               const PmTimelineText *b)
{
  graphene_rect_t both;

  return graphene_rect_intersection (&a->rect, &b->rect, &both) &&
         both.size.width > 0.5 && both.size.height > 0.5;
}

/* The strip of CPU use under the chart: a row per CPU, the rows as high as at 1× text (7 px a
 * CPU, up to 36 px) and at least as high as their "CPU use" label, and no text over another
 * (that label and the "0" tick collided when the strip was cut to a band) */
static void
check_strip (PmWindow   *window,
             const char *when)
{
  PmTimeline *timeline = window->timeline;
  g_autoptr(GArray) texts = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);
  const PmTimelineText *label = NULL;
  guint n_cpus = 0;
  double rows_h = _pm_timeline_get_drawn_core_rows_height (timeline);

  _pm_timeline_get_n_core_samples (timeline, &n_cpus);
  for (guint i = 0; i < texts->len; i++)
    {
      const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

      if (g_str_has_prefix (t->text, "CPU"))
        label = t;
      for (guint j = i + 1; j < texts->len; j++)
        {
          const PmTimelineText *u = &g_array_index (texts, PmTimelineText, j);

          if (texts_overlap (t, u))
            g_test_fail_printf ("%s: \"%s\" overlaps \"%s\"", when, t->text, u->text);
        }
    }
  g_test_message ("%s: %u CPUs, the strip's rows %.1f px high, the label %.1f px", when,
                  n_cpus, rows_h, label ? label->rect.size.height : 0.0);
  g_assert_cmpuint (_pm_timeline_get_drawn_core_rows (timeline), ==, n_cpus);
  g_assert_cmpfloat (rows_h, >=, MIN (n_cpus * 7.0, 36.0) - 0.5);
  g_assert_nonnull (label);
  g_assert_cmpfloat (rows_h, >=, label->rect.size.height - 0.5);
}

/* At 1.5× text on 1400×900 the chart keeps its strip whole while the default run goes and once
 * it is over (when the summary above takes its share of the height and the chart is at its
 * least); every lane is still on screen. */
static void
test_cores_strip_at_large_text (void)
{
  PmWindow *window = sized_window (1400, 900, 1.5);

  wait_until (five_lanes, window, "the preview has five lanes");
  start_demo (window, 15, 5, 1, 1);
  wait_until (all_running, window, "five jobs run");
  wait_until (cores_sampled, window, "the CPUs are sampled twice");
  wait_frames (GTK_WIDGET (window), 3);
  check_lanes (window, "1400×900 at 1.5×, five running");
  check_strip (window, "1400×900 at 1.5×, five running");

  wait_until (pool_finished, window, "the run ends");
  wait_frames (GTK_WIDGET (window), 5);
  check_lanes (window, "1400×900 at 1.5×, after the run");
  check_strip (window, "1400×900 at 1.5×, after the run");
  close_sized_window (window);
}

/* A preview of more lanes (the limit raised before Start) gets the height they need, where
 * the list keeps its rows: 8 lanes at 800×600. */
static void
test_more_lanes_get_their_height (void)
{
  PmWindow *window = sized_window (800, 600, 1.0);

  wait_until (five_lanes, window, "the preview has five lanes");
  g_settings_set_uint (_pm_window_get_settings (window), "limit", 8);
  wait_until (eight_lanes, window, "the preview has eight lanes");
  wait_frames (GTK_WIDGET (window), 5);
  check_lanes (window, "8 lanes at 800×600");
  close_sized_window (window);
}

/* The rows of the job list on screen */
static guint
rows_shown (PmWindow *window)
{
  GtkColumnView *view = _pm_job_list_get_column_view (window->job_list);
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

/* The horizontal scroll bar on screen in @widget, if any */
static GtkWidget *
find_horizontal_bar (GtkWidget *widget)
{
  if (GTK_IS_SCROLLBAR (widget) && gtk_widget_get_mapped (widget) &&
      gtk_orientable_get_orientation (GTK_ORIENTABLE (widget)) == GTK_ORIENTATION_HORIZONTAL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_horizontal_bar (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The job list at 800×600 with 1.5× text: the first three rows lie inside the window, with
 * their Name and State cells whole on screen; the columns that do not fit are reached by a
 * horizontal scroll bar. */
static void
check_list (PmWindow   *window,
            const char *when)
{
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (window->job_list));
  GtkWidget *list = GTK_WIDGET (window->job_list);
  GtkWidget *scroller, *bar;
  graphene_rect_t list_bounds;
  int window_h = gtk_widget_get_height (GTK_WIDGET (window));

  g_test_message ("%s: the timeline %d px, the list %d px, %u rows", when,
                  gtk_widget_get_height (GTK_WIDGET (window->timeline)),
                  gtk_widget_get_height (list), rows_shown (window));
  g_assert_cmpuint (rows_shown (window), >=, 3);
  g_assert_true (gtk_widget_compute_bounds (list, GTK_WIDGET (window), &list_bounds));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (rows, i);
      const PmColumn columns[] = { PM_COLUMN_NAME, PM_COLUMN_STATE };

      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          GtkWidget *cell = _pm_job_list_get_cell_widget (window->job_list, job, columns[c]);
          graphene_rect_t bounds;

          g_assert_nonnull (cell);
          g_assert_true (gtk_widget_get_mapped (cell));
          g_assert_true (gtk_widget_compute_bounds (cell, GTK_WIDGET (window), &bounds));
          g_assert_cmpfloat (bounds.origin.x, >=, list_bounds.origin.x);
          g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                             list_bounds.origin.x + list_bounds.size.width);
          g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, window_h);
        }
    }

  /* The columns past State are reached by scrolling sideways: the scroll bar is there (GTK's
   * overlay bar, shown under the pointer). */
  scroller = gtk_widget_get_ancestor (GTK_WIDGET (_pm_job_list_get_column_view (window->job_list)),
                                      GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  bar = find_horizontal_bar (scroller);
  g_assert_nonnull (bar);
}

static void
test_list_rows_at_large_text (void)
{
  PmWindow *window = sized_window (800, 600, 1.5);

  check_list (window, "800×600 at 1.5×, before Start");
  start_demo (window, 15, 5, 0.01, 0.05);
  wait_until (pool_finished, window, "the run ends");
  wait_frames (GTK_WIDGET (window), 5);
  check_list (window, "800×600 at 1.5×, after the run");
  close_sized_window (window);
}

/* Every column of the job list on screen, at the window's usual sizes: each visible column's
 * cell in the first row lies whole inside the scrolled part, so nothing is reached by
 * scrolling sideways; the Name column gives up width first (its text ellipsized). */
static void
check_columns_fit (PmWindow   *window,
                   const char *when)
{
  GtkColumnView *view = _pm_job_list_get_column_view (window->job_list);
  GListModel *columns = gtk_column_view_get_columns (view);
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (window->job_list));
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_autoptr(PmJob) job = g_list_model_get_item (rows, 0);
  g_autoptr(GString) widths = g_string_new (NULL);
  graphene_rect_t area;

  g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (window), &area));
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkWidget *cell;
      graphene_rect_t bounds;

      if (!gtk_column_view_column_get_visible (column))
        continue;
      cell = _pm_job_list_get_cell_widget (window->job_list, job, i);
      g_assert_nonnull (cell);
      g_assert_true (gtk_widget_compute_bounds (cell, GTK_WIDGET (window), &bounds));
      g_string_append_printf (widths, " %s %.0f", gtk_column_view_column_get_title (column),
                              bounds.size.width);
      if (!gtk_widget_get_mapped (cell) || bounds.size.width <= 0 ||
          bounds.origin.x < area.origin.x - 0.5 ||
          bounds.origin.x + bounds.size.width > area.origin.x + area.size.width + 0.5)
        g_test_fail_printf ("%s: the %s column is cut (%.0f to %.0f, the list %.0f to %.0f)",
                            when, gtk_column_view_column_get_title (column), bounds.origin.x,
                            bounds.origin.x + bounds.size.width, area.origin.x,
                            area.origin.x + area.size.width);
    }
  g_test_message ("%s: the list %.0f px:%s; sideways %.0f of %.0f", when, area.size.width,
                  widths->str, gtk_adjustment_get_page_size (h), gtk_adjustment_get_upper (h));
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h) + 0.5);
}

static void
test_columns_fit (void)
{
  const struct { int width, height; double scale; } sizes[] = {
    { 1400, 900, 1.5 }, { 1280, 800, 1.0 }, { 1024, 768, 1.0 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      PmWindow *window = sized_window (sizes[k].width, sizes[k].height, sizes[k].scale);
      g_autofree char *what = g_strdup_printf ("%d×%d at %.1f×", sizes[k].width,
                                               sizes[k].height, sizes[k].scale);
      g_autofree char *before = g_strdup_printf ("%s, before Start", what);
      g_autofree char *after = g_strdup_printf ("%s, after the run", what);
      g_autofree char *sorted = g_strdup_printf ("%s, sorted by Elapsed", what);

      wait_until (five_lanes, window, "the preview has five lanes");
      wait_frames (GTK_WIDGET (window), 3);
      check_columns_fit (window, before);
      start_demo (window, 15, 5, 0.01, 0.05);
      wait_until (pool_finished, window, "the run ends");
      wait_frames (GTK_WIDGET (window), 5);
      check_columns_fit (window, after);
      /* The sort arrow takes room in its column's title: Elapsed's title is its widest part */
      pm_job_list_sort_by (window->job_list, PM_COLUMN_ELAPSED);
      wait_frames (GTK_WIDGET (window), 3);
      check_columns_fit (window, sorted);
      close_sized_window (window);
    }
}

/* Where the columns scroll sideways anyway (800 px), names keep room for 11 characters
 * ("computer_10" whole); where they all fit by ellipsizing names (1400 px at 1.5× text), less */
static void
test_names_whole_where_columns_scroll (void)
{
  const struct { int width, height; double scale; gboolean whole; } sizes[] = {
    { 800, 600, 1.0, TRUE }, { 1400, 900, 1.5, FALSE },
  };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      PmWindow *window = sized_window (sizes[k].width, sizes[k].height, sizes[k].scale);
      GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (window->job_list));
      g_autoptr(PmJob) job = NULL;
      GtkWidget *cell;
      int chars;

      wait_until (five_lanes, window, "the preview has five lanes");
      wait_frames (GTK_WIDGET (window), 5);
      job = g_list_model_get_item (rows, 0);
      cell = _pm_job_list_get_cell_widget (window->job_list, job, PM_COLUMN_NAME);
      g_assert_nonnull (cell);
      chars = gtk_inscription_get_min_chars (GTK_INSCRIPTION (cell));
      g_test_message ("%d×%d at %.1f×: names get %d characters at least, %d px", sizes[k].width,
                      sizes[k].height, sizes[k].scale, chars, gtk_widget_get_width (cell));
      if (sizes[k].whole)
        g_assert_cmpint (chars, >=, 11);
      else
        g_assert_cmpint (chars, <, 11);
      close_sized_window (window);
    }
}

/* Resizes the window as a user would, and waits for the header's labels to follow */
static void
resize_window (PmWindow *window,
               int       width,
               int       height)
{
  SizeWait w = { window, width, height };

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  wait_until (has_size, &w, "the window takes its new size");
  wait_frames (GTK_WIDGET (window), 5);
}

typedef enum
{
  LIMIT_NONE,
  LIMIT_FIELD,     /* "Limit" beside the spin button */
  LIMIT_BUTTON,    /* a button that reads "Limit 5" and opens the field */
} LimitShown;

/* The header's Limit field shows with its name whole beside it, or as a button that names it
 * and the limit, or not at all */
static LimitShown
check_limit_field (PmWindow   *window,
                   const char *when)
{
  GtkWidget *spin = GTK_WIDGET (window->limit_spin);
  GtkWidget *label = GTK_WIDGET (window->limit_label);
  GtkWidget *button = GTK_WIDGET (window->limit_button);
  graphene_rect_t spin_bounds, label_bounds;
  int natural;

  if (gtk_widget_get_mapped (button))
    {
      g_autofree char *text = g_strdup_printf ("Limit %u",
                                               (guint)gtk_spin_button_get_value (window->limit_spin));

      g_test_message ("%s: the header shows a button \"%s\"", when,
                      gtk_menu_button_get_label (window->limit_button));
      g_assert_false (gtk_widget_get_mapped (spin));
      g_assert_cmpstr (gtk_menu_button_get_label (window->limit_button), ==, text);
      g_assert_true (gtk_widget_compute_bounds (button, GTK_WIDGET (window), &spin_bounds));
      gtk_widget_measure (button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_assert_cmpfloat (spin_bounds.size.width, >=, natural - 0.5);
      return LIMIT_BUTTON;
    }
  if (!gtk_widget_get_mapped (spin))
    {
      g_test_message ("%s: the header has no Limit field", when);
      return LIMIT_NONE;
    }
  g_assert_true (gtk_widget_get_mapped (label));
  g_assert_true (gtk_widget_compute_bounds (spin, GTK_WIDGET (window), &spin_bounds));
  g_assert_true (gtk_widget_compute_bounds (label, GTK_WIDGET (window), &label_bounds));
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_test_message ("%s: \"%s\" %.0f px wide at %.0f, the field at %.0f", when,
                  gtk_label_get_text (window->limit_label), label_bounds.size.width,
                  label_bounds.origin.x, spin_bounds.origin.x);
  g_assert_cmpfloat (label_bounds.size.width, >=, natural - 0.5);
  g_assert_cmpfloat (label_bounds.origin.x + label_bounds.size.width, <=, spin_bounds.origin.x);
  g_assert_cmpfloat (label_bounds.origin.x, >=, 0);
  g_assert_cmpfloat (spin_bounds.origin.x + spin_bounds.size.width, <=,
                     gtk_widget_get_width (GTK_WIDGET (window)));
  return LIMIT_FIELD;
}

/* The header's Limit field keeps its name ("5 − +" alone showed at 800 px): at 800 px, at 1×
 * and 1.5× text, and at 1400 px at 1.5×, it shows as the field with "Limit" beside it or as a
 * button that reads "Limit 5", whose popover holds a field that sets the limit; at 360 px it
 * is dropped whole, and the limit is set in the run settings' Limit row. */
static void
test_limit_field_keeps_its_name (void)
{
  const struct { int width, height; double scale; } sizes[] = {
    { 800, 600, 1.0 }, { 800, 600, 1.5 }, { 1400, 900, 1.5 }, { 1400, 900, 1.0 },
  };
  PmWindow *window;

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autofree char *what = g_strdup_printf ("%d px at %.1f×", sizes[k].width, sizes[k].scale);

      window = sized_window (sizes[k].width, sizes[k].height, sizes[k].scale);
      g_assert_cmpint (check_limit_field (window, what), !=, LIMIT_NONE);
      close_sized_window (window);
    }

  /* The button's field sets the limit, and the button follows */
  window = sized_window (800, 600, 1.0);
  if (check_limit_field (window, "800 px at 1.0×") == LIMIT_BUTTON)
    {
      gtk_menu_button_popup (window->limit_button);
      wait_frames (GTK_WIDGET (window), 3);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->limit_popover_spin)));
      gtk_spin_button_set_value (window->limit_popover_spin, 7);
      g_assert_cmpuint (g_settings_get_uint (_pm_window_get_settings (window), "limit"), ==, 7);
      g_assert_cmpstr (gtk_menu_button_get_label (window->limit_button), ==, "Limit 7");
      gtk_menu_button_popdown (window->limit_button);
    }
  /* As a user narrowing it */
  resize_window (window, 600, 600);
  check_limit_field (window, "600 px at 1.0×");
  resize_window (window, 360, 600);
  g_assert_cmpint (check_limit_field (window, "360 px at 1.0×"), ==, LIMIT_NONE);
  g_settings_set_boolean (_pm_window_get_settings (window), "show-settings", TRUE);
  wait_frames (GTK_WIDGET (window), 5);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->run_settings)));
  close_sized_window (window);
}

/* The line before Start ("15 jobs, 5 at a time: press Start") lies over the lanes, between
 * the "slot N" labels and the waiting chips, inside the timeline, and covers none of its
 * texts but the lanes' own (at 360 px it covered "slot 3" and the first chip); where it would
 * take more than two lines there (400 px at 1.5× text; the window is not narrower there) it
 * is not shown. */
static void
test_preview_line_over_the_lanes (void)
{
  const struct { int width; double scale; gboolean shown; } cases[] = {
    { 800, 1.0, TRUE }, { 360, 1.0, TRUE }, { 800, 1.5, TRUE }, { 400, 1.5, FALSE },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      PmWindow *window = sized_window (800, 700, cases[k].scale);
      GtkWidget *preview = GTK_WIDGET (window->lesson_preview);
      GtkWidget *timeline = GTK_WIDGET (window->timeline);
      g_autoptr(GArray) texts = NULL;
      graphene_rect_t bounds;
      int left, right;

      wait_until (five_lanes, window, "the preview has five lanes");
      if (cases[k].width < 600)
        resize_window (window, 600, 700);
      resize_window (window, cases[k].width, 700);
      g_assert_true (gtk_widget_get_mapped (preview));
      g_assert_true (gtk_widget_compute_bounds (preview, timeline, &bounds));
      pm_timeline_get_lane_columns (window->timeline, &left, &right);
      g_test_message ("%d px at %.1f×: the line %.0f to %.0f, %.0f px high, opacity %.0f; "
                      "the lanes %d to %d", cases[k].width, cases[k].scale, bounds.origin.x,
                      bounds.origin.x + bounds.size.width, bounds.size.height,
                      gtk_widget_get_opacity (preview), left,
                      gtk_widget_get_width (timeline) - right);
      if (!cases[k].shown)
        {
          g_assert_cmpfloat (gtk_widget_get_opacity (preview), ==, 0);
          close_sized_window (window);
          continue;
        }
      g_assert_cmpfloat (gtk_widget_get_opacity (preview), ==, 1);
      g_assert_cmpfloat (bounds.origin.x, >=, left);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                         gtk_widget_get_width (timeline) - right);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                         gtk_widget_get_height (timeline));
      texts = _pm_timeline_collect_texts (window->timeline, FALSE, 0, 0);
      for (guint i = 0; i < texts->len; i++)
        {
          const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);
          graphene_rect_t both;

          if (t->kind != PM_TIMELINE_TEXT_BAR && t->kind != PM_TIMELINE_TEXT_LIMIT &&
              graphene_rect_intersection (&bounds, &t->rect, &both) &&
              both.size.width > 0.5 && both.size.height > 0.5)
            g_test_fail_printf ("at %d px the line covers \"%s\"", cases[k].width, t->text);
        }
      close_sized_window (window);
    }
}

static gboolean
some_queued_and_running (gpointer data)
{
  PmPool *pool = pm_window_get_pool (data);
  return pool != NULL && pm_pool_get_n_running (pool) == 5 && pm_pool_get_n_queued (pool) > 0;
}

/* At 800 px the waiting jobs' chips read whole ("7  computer_6", not "7  computer…"), at 1×
 * and at 1.5× text. */
static void
test_waiting_chips_whole (void)
{
  const double scales[] = { 1.0, 1.5 };

  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      PmWindow *window = sized_window (800, 600, scales[s]);
      g_autoptr(GArray) texts = NULL;
      guint chips = 0;

      start_demo (window, 15, 5, 30, 30);
      wait_until (some_queued_and_running, window, "five run and ten wait");
      wait_frames (GTK_WIDGET (window), 3);
      texts = _pm_timeline_collect_texts (window->timeline, FALSE, 0, 0);
      for (guint i = 0; i < texts->len; i++)
        {
          const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

          if (t->kind != PM_TIMELINE_TEXT_QUEUE || strstr (t->text, "computer_") == NULL)
            continue;
          chips++;
          if (t->ellipsized)
            g_test_fail_printf ("at %.1f× the chip \"%s\" is cut", scales[s], t->text);
          g_assert_cmpfloat (t->rect.origin.x + t->rect.size.width, <=,
                             t->box.origin.x + t->box.size.width);
        }
      g_test_message ("at %.1f×, %u chips", scales[s], chips);
      g_assert_cmpuint (chips, >=, 1);
      activate (window, "stop");
      activate (window, "stop");
      wait_until (pool_finished, window, "the stopped run ends");
      close_sized_window (window);
    }
}

/* A run whose jobs slept (the seed's lesson) says so; one that computed says how many cores
 * its CPU time kept busy. */
static void
test_summary_words (void)
{
  PmRunSummary slept = { 15, 37.0, 9.0, 37.0 / 9.0, 5, 0.1, 0.1 / 9.0 };
  PmRunSummary computed = { 15, 37.0, 18.5, 2.0, 5, 36.0, 36.0 / 18.5 };
  g_autofree char *slept_text = pm_run_summary_format (&slept, FALSE);
  g_autofree char *computed_text = pm_run_summary_format (&computed, FALSE);

  g_assert_cmpstr (slept_text, ==, "37.0 s of work in 9.0 s: 4.1× with 5 at a time; the jobs "
                   "mostly waited (CPU 0.1 s in all)");
  g_assert_cmpstr (computed_text, ==, "37.0 s of work in 18.5 s: 2.0× with 5 at a time; CPU "
                   "36.0 s kept 1.9 cores busy");
}

/* The window's summary after the demo's sleeping workers */
static void
test_sleeping_run_summary (void)
{
  PmWindow *window = sized_window (1280, 800, 1.0);
  const char *text;

  start_demo (window, 6, 3, 0.2, 0.3);
  wait_until (pool_finished, window, "the run ends");
  settle ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->lesson_bar)));
  text = pm_lesson_bar_get_text (window->lesson_bar);
  g_test_message ("the summary: %s", text);
  g_assert_nonnull (strstr (text, "the jobs mostly waited"));
  g_assert_null (strstr (text, "cores busy"));
  close_sized_window (window);
}

int
main (int   argc,
      char *argv[])
{
  pm_gtk_test_init (&argc, &argv);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/fit/lanes/five-lanes-on-screen-at-800x600-and-1.5x-on-1400x900",
                   test_five_lanes_fit);
  g_test_add_func ("/fit/chart/the-strip-of-cpu-use-keeps-its-rows-at-1.5x",
                   test_cores_strip_at_large_text);
  g_test_add_func ("/fit/lanes/eight-lanes-get-their-height-at-800x600",
                   test_more_lanes_get_their_height);
  g_test_add_func ("/fit/list/three-rows-name-and-state-at-800x600-1.5x",
                   test_list_rows_at_large_text);
  g_test_add_func ("/fit/list/every-column-on-screen-at-usual-sizes", test_columns_fit);
  g_test_add_func ("/fit/list/names-whole-where-the-columns-scroll-anyway",
                   test_names_whole_where_columns_scroll);
  g_test_add_func ("/fit/header/the-limit-field-keeps-its-name", test_limit_field_keeps_its_name);
  g_test_add_func ("/fit/queue/waiting-chips-read-whole-at-800-px", test_waiting_chips_whole);
  g_test_add_func ("/fit/lanes/the-line-before-start-lies-over-the-lanes",
                   test_preview_line_over_the_lanes);
  g_test_add_func ("/fit/summary/a-sleeping-run-says-the-jobs-waited", test_summary_words);
  g_test_add_func ("/fit/summary/the-window-says-so-after-the-demo", test_sleeping_run_summary);

  return g_test_run ();
}
