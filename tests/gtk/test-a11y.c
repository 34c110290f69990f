/* test-a11y.c: every control of the window has a name and is reached with Tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-gtk-test-util.h"

/* Widgets a user operates: they must take the focus and say what they are. */
static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_DROP_DOWN (widget) ||
         GTK_IS_SWITCH (widget) || GTK_IS_SCALE (widget) || GTK_IS_TEXT_VIEW (widget) ||
         GTK_IS_COLUMN_VIEW (widget) || PM_IS_TIMELINE (widget);
}

static gboolean
has_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (has_label_text (child))
        return TRUE;
    }
  return FALSE;
}

/* A name set on the widget, a label that names it (set with a mnemonic), or for a button the
 * text it shows. */
static gboolean
has_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  /* GTK 4.8 makes a button labelled by its child, whatever it is: an icon names nothing. */
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    return has_label_text (widget);
  return gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* The widget, or a part of it, such as the text of a spin button or the list in a column view. */
static gboolean
takes_focus (GtkWidget *widget)
{
  if (gtk_widget_get_focusable (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_get_visible (child) && takes_focus (child))
        return TRUE;
    }
  return FALSE;
}

static char *
describe (GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  GtkWidget *parent = gtk_widget_get_parent (widget);

  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  return g_strdup_printf ("%s%s%s (in %s)%s%s%s", G_OBJECT_TYPE_NAME (widget), id ? " " : "",
                          id ? id : "", parent ? G_OBJECT_TYPE_NAME (parent) : "nothing",
                          tooltip ? ", tooltip " : "", tooltip ? tooltip : "",
                          gtk_widget_get_mapped (widget) ? "" : ", not mapped");
}

static void
check_tree (GtkWidget *widget,
            GPtrArray *unnamed,
            GPtrArray *unfocusable,
            GPtrArray *controls)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (is_control (widget))
    {
      g_ptr_array_add (controls, widget);
      if (!has_name (widget))
        g_ptr_array_add (unnamed, describe (widget));
      if (!takes_focus (widget))
        g_ptr_array_add (unfocusable, describe (widget));
    }

  /* Their parts (a spin button's − and +, the toggle of a menu button) are GTK's to name. */
  if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_DROP_DOWN (widget) ||
      GTK_IS_MENU_BUTTON (widget))
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_tree (child, unnamed, unfocusable, controls);
}

static void
test_every_control_named_and_reached (void)
{
  PmWindow *window = new_window ();
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) unfocusable = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) controls = g_ptr_array_new ();
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) unreached = g_ptr_array_new_with_free_func (g_free);
  guint n_usable = 0;

  /* Everything on show: the run settings, a finished run, a job's details. */
  activate (window, "show-settings");
  start_demo (window, 3, 2, 0, 0.1);
  wait_until (pool_finished, window, "the run finishes");
  gtk_single_selection_set_selected (
    _pm_job_list_get_selection (_pm_window_get_job_list (window)), 0);
  settle ();

  check_tree (GTK_WIDGET (window), unnamed, unfocusable, controls);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("no accessible name: %s", (char *)unnamed->pdata[i]);
  for (guint i = 0; i < unfocusable->len; i++)
    g_test_message ("cannot take the focus: %s", (char *)unfocusable->pdata[i]);
  g_test_message ("%u controls", controls->len);
  g_assert_cmpuint (controls->len, >, 20);
  g_assert_cmpuint (unnamed->len, ==, 0);
  g_assert_cmpuint (unfocusable->len, ==, 0);

  /* Tab, again and again, goes through every one of them. */
  for (guint step = 0; step < 20 * controls->len; step++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);  /* wrapped */
      for (focus = gtk_root_get_focus (GTK_ROOT (window)); focus != NULL;
           focus = gtk_widget_get_parent (focus))
        g_hash_table_add (reached, focus);
    }
  /* Those on screen that can be used now; the window's own buttons (close, maximize,
   * minimize) are outside the Tab chain in GTK, and have their own shortcuts. */
  for (guint i = 0; i < controls->len; i++)
    {
      GtkWidget *control = controls->pdata[i];
      g_autofree char *what = describe (control);

      if (!gtk_widget_get_mapped (control) || !gtk_widget_is_sensitive (control) ||
          gtk_widget_get_ancestor (control, GTK_TYPE_WINDOW_CONTROLS) != NULL)
        continue;
      n_usable++;
      if (!g_hash_table_contains (reached, control))
        g_ptr_array_add (unreached, g_steal_pointer (&what));
    }
  for (guint i = 0; i < unreached->len; i++)
    g_test_message ("not reached with Tab: %s", (char *)unreached->pdata[i]);
  g_test_message ("%u controls on screen and sensitive", n_usable);
  g_assert_cmpuint (n_usable, >, 15);
  g_assert_cmpuint (unreached->len, ==, 0);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/a11y/every-control-has-a-name-and-is-reached-with-tab",
                   test_every_control_named_and_reached);

  return g_test_run ();
}
