/* test-layout.c: the window as a small screen and a keyboard meet it: its minimum width, the
 * panes that fold, the Tab chain, visible focus, and the details pane's command and output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-window-private.h"
#include "pm-gtk-test-util.h"

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

int
main (int   argc,
      char *argv[])
{
  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/layout/details/argv-one-label-each-and-output-whole",
                   test_details_argv_and_output);

  return g_test_run ();
}
