/* test-layout.c: the window as a small screen and a keyboard meet it: its minimum width, the
 * panes that fold, the Tab chain, visible focus, and the details pane's command and output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-window-private.h"
#include "pm-gtk-test-util.h"
#include "pm-job-list-private.h"
#include "pm-timeline-private.h"

/* The first descendant of @widget (itself included) of @type with the style class @css_class. */
static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, css_class);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_output (gpointer data)
{
  g_autofree char *output = pm_job_dup_output (data);
  return output != NULL && strchr (output, '\n') != NULL;
}

static gboolean
no_hyphens_in (GtkLabel *label)
{
  PangoAttrList *attrs = gtk_label_get_attributes (label);
  g_autoptr(PangoAttrIterator) iter = NULL;
  PangoAttribute *attr;

  if (attrs == NULL)
    return FALSE;
  iter = pango_attr_list_get_iterator (attrs);
  attr = pango_attr_iterator_get (iter, PANGO_ATTR_INSERT_HYPHENS);
  return attr != NULL && ((PangoAttrInt *)attr)->value == 0;
}

/* The details pane shows the command as its argv, one monospace label per argument with no
 * hyphen added where a value wraps, and the output whole: every line of it inside the part of
 * the output view that is on screen, just after Start as after the end. */
static void
test_details_argv_and_output (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  GtkWidget *details = GTK_WIDGET (window->job_details);
  g_autoptr(PmJob) job = NULL;
  GtkWidget *argv_box, *label;
  GtkTextView *output;
  const char * const *argv;
  GdkRectangle visible;
  GtkTextIter iter;
  guint n = 0;
  PmPool *pool;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  pool = start_demo (window, 3, 3, 2, 2);
  job = g_list_model_get_item (G_LIST_MODEL (pool), 0);
  pm_job_list_select_job (list, job);
  wait_until (has_output, job, "the first job prints its first line");
  wait_frames (GTK_WIDGET (window), 3);

  argv_box = find_widget (details, GTK_TYPE_BOX, "argv");
  g_assert_nonnull (argv_box);
  argv = pm_job_get_argv (job);
  for (label = gtk_widget_get_first_child (argv_box); label != NULL;
       label = gtk_widget_get_next_sibling (label), n++)
    {
      g_assert_true (GTK_IS_LABEL (label));
      g_assert_nonnull (argv[n]);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, argv[n]);
      g_assert_true (gtk_widget_has_css_class (label, "monospace"));
      g_assert_true (no_hyphens_in (GTK_LABEL (label)));
    }
  g_assert_cmpuint (n, ==, g_strv_length ((char **)argv));
  g_assert_cmpuint (n, >=, 5);   /* pool-worker --name computer_0 --sleep 2.000 */

  output = GTK_TEXT_VIEW (find_widget (details, GTK_TYPE_TEXT_VIEW, "output"));
  g_assert_nonnull (output);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (output)));
  /* The output has no scroller of its own, where its first line was cut off: the pane
   * scrolls, title and output together. */
  label = find_widget (details, GTK_TYPE_LABEL, "heading");
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_ancestor (GTK_WIDGET (output), GTK_TYPE_SCROLLED_WINDOW) ==
                 gtk_widget_get_ancestor (label, GTK_TYPE_SCROLLED_WINDOW));
  g_assert_true (no_hyphens_in (GTK_LABEL (label)));
  gtk_text_view_get_visible_rect (output, &visible);
  gtk_text_buffer_get_start_iter (gtk_text_view_get_buffer (output), &iter);
  do
    {
      int y, height;

      gtk_text_view_get_line_yrange (output, &iter, &y, &height);
      g_assert_cmpint (y, >=, visible.y);
      g_assert_cmpint (y + height, <=, visible.y + visible.height);
    }
  while (gtk_text_iter_forward_line (&iter));

  activate (window, "stop");
  activate (window, "stop");
  wait_until (pool_finished, window, "the stopped run ends");
  close_window (window);
}

static int
surface_width (PmWindow *window)
{
  return gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window)));
}

typedef struct
{
  PmWindow *window;
  int       width;
} WidthWait;

static gboolean
has_width (gpointer data)
{
  WidthWait *w = data;
  GtkWidget *content = GTK_WIDGET (w->window->toast_overlay);

  /* The surface has the size asked for, and the content has been laid out in it. */
  return surface_width (w->window) == w->width &&
         gtk_widget_get_width (content) > 0 &&
         gtk_widget_get_width (content) <= w->width &&
         gtk_widget_get_width (content) >= w->width - 24;
}

static void
resize (PmWindow *window,
        int       width,
        int       height)
{
  WidthWait w = { window, width };

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  wait_until (has_width, &w, "the window takes its new width");
  /* The header's labels follow on the frame after the allocation. */
  wait_frames (GTK_WIDGET (window), 3);
}

/* The narrowest the window can be: its content's minimum and what the window adds around it
 * (a border, or a shadow where windows are composited). */
static int
min_width (PmWindow *window)
{
  GtkWidget *content = GTK_WIDGET (window->toast_overlay);
  int minimum, natural;

  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return minimum + surface_width (window) - gtk_widget_get_width (content);
}

/* The window goes down to 360 px wide whatever it shows, and there the settings fold over the
 * content, the list and the details become two pages, and the header keeps only icons; at
 * 1280 px the three sit side by side, and the details pane takes no room with no job
 * selected. */
static void
test_small_window_folds (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  PmJobList *list = _pm_window_get_job_list (window);
  g_autoptr(PmJob) job = NULL;
  PmPool *pool;

  resize (window, 1280, 800);
  g_settings_set_boolean (settings, "show-settings", TRUE);
  wait_frames (GTK_WIDGET (window), 2);
  g_assert_false (adw_flap_get_folded (window->flap));
  g_assert_false (adw_leaflet_get_folded (window->leaflet));
  g_assert_false (gtk_widget_get_visible (window->details_pane));
  g_assert_cmpint (gtk_widget_get_width (window->list_pane), ==,
                   gtk_widget_get_width (GTK_WIDGET (window->leaflet)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->start_label)));

  pool = start_demo (window, 20, 4, 0.05, 0.1);
  wait_until (pool_finished, window, "the run ends");
  job = g_list_model_get_item (G_LIST_MODEL (pool), 0);
  pm_job_list_select_job (list, job);
  wait_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_widget_get_mapped (window->details_pane));
  g_assert_true (gtk_widget_get_mapped (window->list_pane));
  g_assert_cmpint (gtk_widget_get_width (window->list_pane), >, 300);

  /* As a user narrowing it: past 620 px the header drops its labels, which lowers the window's
   * minimum width from about 400 px to under 360. */
  resize (window, 600, 640);
  resize (window, 360, 640);
  g_assert_cmpint (surface_width (window), ==, 360);
  g_assert_true (adw_flap_get_folded (window->flap));
  g_assert_true (adw_leaflet_get_folded (window->leaflet));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->start_label)));
  g_assert_true (adw_leaflet_get_visible_child (window->leaflet) == window->list_pane);
  g_assert_true (gtk_widget_get_mapped (window->details_button));
  g_assert_cmpint (min_width (window), <=, 360);
  /* Every part of the window lies inside it. */
  {
    GtkWidget *parts[] = { GTK_WIDGET (window->timeline), GTK_WIDGET (window->job_list),
                           GTK_WIDGET (window->progress_bar), GTK_WIDGET (window->eta_label) };

    for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
      {
        graphene_rect_t bounds;

        g_assert_true (gtk_widget_compute_bounds (parts[i], GTK_WIDGET (window), &bounds));
        g_assert_cmpfloat (bounds.origin.x, >=, 0);
        g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                           gtk_widget_get_width (GTK_WIDGET (window)));
      }
  }

  activate (window, "show-details");
  g_assert_true (adw_leaflet_get_visible_child (window->leaflet) == window->details_pane);
  wait_frames (GTK_WIDGET (window), 2);
  g_assert_true (gtk_widget_get_mapped (window->details_back));
  activate (window, "show-jobs");
  g_assert_true (adw_leaflet_get_visible_child (window->leaflet) == window->list_pane);
  /* A bar activated in the timeline opens its job's details too. */
  g_signal_emit_by_name (window->timeline, "job-activated", job);
  g_assert_true (adw_leaflet_get_visible_child (window->leaflet) == window->details_pane);
  activate (window, "show-jobs");

  resize (window, 1280, 800);
  g_assert_false (adw_leaflet_get_folded (window->leaflet));
  g_assert_true (gtk_widget_get_mapped (window->details_pane));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->start_label)));
  g_assert_false (gtk_widget_get_visible (window->details_back));
  g_assert_false (gtk_widget_get_visible (window->details_button));

  close_window (window);
}

static char *
describe (GtkWidget *widget)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  return g_strdup_printf ("%s %s%s%s", G_OBJECT_TYPE_NAME (widget), id ? id : "",
                          tooltip ? " " : "", tooltip ? tooltip : "");
}

static gboolean
has_rows (gpointer data)
{
  PmWindow *window = data;
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (_pm_window_get_job_list (window)));
  return g_list_model_get_n_items (rows) == 500;
}

/* The window's Tab chain, from its first stop round to it again. */
static GPtrArray *
tab_chain (PmWindow *window)
{
  GPtrArray *chain = g_ptr_array_new ();
  GtkWidget *first;

  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
  first = gtk_root_get_focus (GTK_ROOT (window));
  g_ptr_array_add (chain, first);
  for (guint step = 0; step < 1000; step++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);  /* wrapped */
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus == first)
        break;
      g_ptr_array_add (chain, focus);
    }
  return chain;
}

/* The window as a texture, as it would be drawn now. */
static guchar *
render (PmWindow *window,
        int      *width,
        int      *height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guchar *data;

  *width = gtk_widget_get_width (GTK_WIDGET (window));
  *height = gtk_widget_get_height (GTK_WIDGET (window));
  gdk_paintable_snapshot (paintable, snapshot, *width, *height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  data = g_malloc (4 * *width * *height);
  gdk_texture_download (texture, data, 4 * *width);
  return data;
}

/* How many pixels around and in @widget differ between @a and @b. */
static guint
pixels_changed (PmWindow  *window,
                GtkWidget *widget,
                guchar    *a,
                guchar    *b,
                int        width,
                int        height)
{
  graphene_rect_t bounds;
  guint changed = 0;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  for (int y = MAX (0, bounds.origin.y - 3);
       y < MIN (height, bounds.origin.y + bounds.size.height + 3); y++)
    for (int x = MAX (0, bounds.origin.x - 3);
         x < MIN (width, bounds.origin.x + bounds.size.width + 3); x++)
      if (memcmp (a + 4 * (y * width + x), b + 4 * (y * width + x), 4) != 0)
        changed++;
  return changed;
}

static void
check_chain (PmWindow *window,
             guint     at_least)
{
  g_autoptr(GPtrArray) chain = NULL;
  GtkWidget *list_view = GTK_WIDGET (_pm_job_list_get_column_view (window->job_list));
  GtkWidget *previous;
  guint in_list = 0;
  gboolean timeline = FALSE, sort = FALSE;

  chain = tab_chain (window);
  for (guint i = 0; i < chain->len; i++)
    {
      GtkWidget *stop = chain->pdata[i];
      g_autofree char *what = describe (stop);

      g_test_message ("stop %u: %s", i + 1, what);
      if (gtk_widget_is_ancestor (stop, list_view))
        in_list++;
      timeline = timeline || stop == GTK_WIDGET (window->timeline);
      sort = sort || stop == window->sort_button ||
             gtk_widget_is_ancestor (stop, window->sort_button);
    }
  g_assert_cmpuint (in_list, ==, 1);
  g_assert_true (timeline);
  g_assert_true (sort);
  g_assert_cmpuint (chain->len, >=, at_least);
  g_assert_cmpuint (chain->len, <, 30);

  previous = NULL;
  for (guint i = 0; i < chain->len; i++)
    {
      int width, height;
      g_autofree guchar *before = NULL;
      g_autofree guchar *after = NULL;
      GtkWidget *stop = chain->pdata[i];
      g_autofree char *what = describe (stop);
      guint changed;

      gtk_widget_grab_focus (previous ? previous : GTK_WIDGET (window->job_list));
      if (previous == NULL)
        gtk_window_set_focus (GTK_WINDOW (window), NULL);
      gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
      wait_frames (GTK_WIDGET (window), 2);
      before = render (window, &width, &height);
      gtk_widget_grab_focus (stop);
      gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
      wait_frames (GTK_WIDGET (window), 2);
      after = render (window, &width, &height);
      changed = pixels_changed (window, stop, before, after, width, height);
      g_test_message ("focus on %s changes %u pixels", what, changed);
      g_assert_cmpuint (changed, >, 20);
      previous = stop;
    }

}

/* With 500 jobs listed, Tab goes round the whole window in a few stops: the list is one of
 * them (the arrows move inside it), the column sort is reached, and every stop shows where
 * the focus is: the window drawn with the focus there differs, around that widget, from the
 * window drawn with the focus on the stop before. */
static void
test_tab_chain (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);

  resize (window, 1280, 800);
  g_settings_set_uint (settings, "count", 500);
  wait_until (has_rows, window, "the 500 rows are listed");
  wait_frames (GTK_WIDGET (window), 3);

  check_chain (window, 8);
  /* With a job selected, the details pane's stops come after the list's. */
  {
    GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (window->job_list));
    g_autoptr(PmJob) job = g_list_model_get_item (rows, 0);

    pm_job_list_select_job (window->job_list, job);
    wait_frames (GTK_WIDGET (window), 3);
    check_chain (window, 9);
  }

  close_window (window);
}

/* The vertical scroll bar on screen in @widget, if any. */
static GtkWidget *
find_vertical_bar (GtkWidget *widget)
{
  if (GTK_IS_SCROLLBAR (widget) && gtk_widget_get_mapped (widget) &&
      gtk_orientable_get_orientation (GTK_ORIENTABLE (widget)) == GTK_ORIENTATION_VERTICAL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_vertical_bar (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_80_rows (gpointer data)
{
  PmWindow *window = data;
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (_pm_window_get_job_list (window)));
  return g_list_model_get_n_items (rows) == 80;
}

/* At 1280 px with more rows than fit, the list's scroll bar is beside the last column (Memory),
 * not over it, and at 800 px the title is whole (not "Poo…"). */
static void
test_last_column_and_title (void)
{
  PmWindow *window = new_window ();
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (window->job_list));
  GtkWidget *squeezer = gtk_widget_get_ancestor (GTK_WIDGET (window->window_title),
                                                 ADW_TYPE_SQUEEZER);
  g_autoptr(PmJob) job = NULL;
  GtkWidget *cell, *bar;
  graphene_rect_t cell_bounds, bar_bounds, list_bounds;
  int minimum, natural;

  resize (window, 1280, 800);
  g_settings_set_uint (_pm_window_get_settings (window), "count", 80);
  wait_until (has_80_rows, window, "the 80 rows are listed");
  wait_frames (GTK_WIDGET (window), 3);
  job = g_list_model_get_item (rows, 0);
  cell = _pm_job_list_get_cell_widget (window->job_list, job, PM_COLUMN_MEMORY);
  g_assert_nonnull (cell);
  bar = find_vertical_bar (GTK_WIDGET (window->job_list));
  g_assert_nonnull (bar);
  g_assert_true (gtk_widget_compute_bounds (cell, GTK_WIDGET (window), &cell_bounds));
  g_assert_true (gtk_widget_compute_bounds (bar, GTK_WIDGET (window), &bar_bounds));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (window->job_list), GTK_WIDGET (window),
                                            &list_bounds));
  g_assert_cmpfloat (cell_bounds.size.width, >, 0);
  g_assert_cmpfloat (cell_bounds.origin.x + cell_bounds.size.width, <=, bar_bounds.origin.x);
  g_assert_cmpfloat (cell_bounds.origin.x + cell_bounds.size.width, <=,
                     list_bounds.origin.x + list_bounds.size.width);

  resize (window, 800, 600);
  g_assert_true (adw_squeezer_get_visible_child (ADW_SQUEEZER (squeezer)) ==
                 GTK_WIDGET (window->window_title));
  gtk_widget_measure (GTK_WIDGET (window->window_title), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->window_title)), >=, natural);

  close_window (window);
}

/* Point 11: on a short window the timeline shares the height with the list and the lesson
 * bar's summary takes two lines at most. After a run, at 800×600 the list shows at least 6 rows
 * (2 before), at 360×640 at least 4 (1 before), with the saved timeline height of 300 px;
 * every text the timeline draws lies inside it. */
static void
test_short_window_shows_rows (void)
{
  const int sizes[][3] = { { 800, 600, 6 }, { 360, 640, 4 } };

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      PmWindow *window = new_window ();
      GtkColumnView *view = _pm_job_list_get_column_view (window->job_list);
      GtkWidget *timeline = GTK_WIDGET (window->timeline);
      g_autoptr(GArray) texts = NULL;
      guint rows;

      g_assert_cmpint (g_settings_get_int (_pm_window_get_settings (window), "timeline-height"),
                       ==, 300);
      /* As a user narrowing it: the header drops its labels past 620 px */
      if (sizes[k][0] < 600)
        resize (window, 600, sizes[k][1]);
      resize (window, sizes[k][0], sizes[k][1]);
      start_demo (window, 15, 5, 0.01, 0.02);
      wait_until (pool_finished, window, "the run is over");
      wait_frames (GTK_WIDGET (window), 5);

      rows = g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
      g_test_message ("%d×%d: the lesson bar %d px, the timeline %d px, the list %d px: %u rows",
                      sizes[k][0], sizes[k][1], gtk_widget_get_height (GTK_WIDGET (window->lesson_bar)),
                      gtk_widget_get_height (timeline),
                      gtk_widget_get_height (GTK_WIDGET (window->job_list)), rows);
      g_assert_cmpuint (rows, >=, sizes[k][2]);

      texts = _pm_timeline_collect_texts (window->timeline, FALSE, 0, 0);
      for (guint i = 0; i < texts->len; i++)
        {
          const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

          if (t->rect.origin.y < -0.5 ||
              t->rect.origin.y + t->rect.size.height > gtk_widget_get_height (timeline) + 0.5)
            g_test_fail_printf ("\"%s\" is cut at the timeline's edge", t->text);
        }
      close_window (window);
    }
}

static guint
first_seq (PmWindow *window)
{
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (window->job_list));
  g_autoptr(PmJob) job = g_list_model_get_item (rows, 0);
  return pm_job_get_seq (job);
}

/* The Sort menu (a Tab stop) sorts by any sortable column, and again by the same one the other
 * way, as clicks on a header do; a header clicked in between starts it afresh. */
static void
test_sort_from_keyboard (void)
{
  PmWindow *window = new_window ();
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (window->sort_button));
  GMenuModel *section;
  GtkColumnView *view = _pm_job_list_get_column_view (window->job_list);
  g_autoptr(GtkColumnViewColumn) seq = NULL;

  g_assert_nonnull (menu);
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_nonnull (section);
  /* Every column with a sorter: all but CPU % and Memory. */
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, PM_N_COLUMNS - 2);
  g_object_unref (section);

  g_assert_cmpuint (first_seq (window), ==, 1);
  g_action_group_activate_action (G_ACTION_GROUP (window), "sort-by",
                                  g_variant_new_int32 (PM_COLUMN_SEQ));
  settle ();
  g_assert_cmpuint (first_seq (window), ==, 1);
  g_action_group_activate_action (G_ACTION_GROUP (window), "sort-by",
                                  g_variant_new_int32 (PM_COLUMN_SEQ));
  settle ();
  g_assert_cmpuint (first_seq (window), ==, 15);
  g_action_group_activate_action (G_ACTION_GROUP (window), "sort-by",
                                  g_variant_new_int32 (PM_COLUMN_SEQ));
  settle ();
  g_assert_cmpuint (first_seq (window), ==, 1);

  /* As a click on the Seq header would: descending, then the menu starts from ascending. */
  seq = g_list_model_get_item (gtk_column_view_get_columns (view), PM_COLUMN_SEQ);
  gtk_column_view_sort_by_column (view, seq, GTK_SORT_DESCENDING);
  settle ();
  g_assert_cmpuint (first_seq (window), ==, 15);
  g_action_group_activate_action (G_ACTION_GROUP (window), "sort-by",
                                  g_variant_new_int32 (PM_COLUMN_SEQ));
  settle ();
  g_assert_cmpuint (first_seq (window), ==, 1);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  pm_gtk_test_init (&argc, &argv);
  /* libadwaita 1.2's leaflet, moving to the details page with an animation, at times has the
   * window's GtkPaned drawn before it is laid out again (a warning, fatal here; 2 runs in 6):
   * the pages change at once. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/layout/small/folds-down-to-360-px", test_small_window_folds);
  g_test_add_func ("/layout/small/last-column-beside-the-scroll-bar-title-whole",
                   test_last_column_and_title);
  g_test_add_func ("/layout/small/600-px-high-shows-six-rows-after-a-run",
                   test_short_window_shows_rows);
  g_test_add_func ("/layout/keyboard/one-stop-for-the-list-and-focus-shown", test_tab_chain);
  g_test_add_func ("/layout/keyboard/sort-menu-sorts-and-reverses", test_sort_from_keyboard);
  g_test_add_func ("/layout/details/argv-one-label-each-and-output-whole",
                   test_details_argv_and_output);

  return g_test_run ();
}
