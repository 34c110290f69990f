/* test-pseudo-locale.c: under a pseudo-locale every text of the window is a translated one
 *
 * tests/gtk/pseudo-locale.sh makes the catalogue at test time (every message of the .pot, each
 * translation the message between ⟦ and ⟧) and runs this program with it. Every widget's text,
 * label, title, subtitle, tooltip, placeholder and accessible name and description is then
 * checked: what is left once the bracketed parts are taken out must hold no word, except the
 * data the window shows (job names) and the few texts GTK, libadwaita and GLib make themselves
 * (their catalogues, not ours, translate those).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-gtk-test-util.h"
#include "pm-util.h"

static GPtrArray *untranslated;
static guint n_checked;

/* The demo's job names are data, not messages. */
static gboolean
is_data (const char *word)
{
  return g_str_has_prefix (word, "computer_");
}

/* Texts the toolkit makes itself, which its own catalogue (gtk40, libadwaita, glib20) translates:
 * the window controls, a drop-down with nothing chosen, a search entry's default placeholder and
 * clear icon, an entry row's apply button, the accelerators a menu shows, and sizes from
 * g_format_size(). */
static gboolean
is_toolkit_text (const char *text)
{
  static const char *toolkit[] = {
    "Minimize the window", "Maximize the window", "Close the window", "(None)", "Search…",
    "Clear entry", "Apply", "Minimize", "Maximize", "Close", NULL
  };

  return g_strv_contains (toolkit, text) ||
         g_regex_match_simple ("^((Shift|Ctrl|Alt|Super)\\+)+\\S+$", text, 0, 0) ||
         g_regex_match_simple ("^[0-9.,]+\\W+(bytes|[kKMGTP]i?B)$", text, 0, 0);
}

/* @text with every ⟦…⟧ taken out, innermost first (a message can hold another by %s). */
static char *
strip_translated (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);
  gboolean changed = TRUE;

  while (changed)
    {
      const char *close = strstr (s->str, "⟧");
      const char *open = NULL;

      changed = FALSE;
      if (close == NULL)
        break;
      for (const char *p = s->str; p < close; p = g_utf8_next_char (p))
        if (g_str_has_prefix (p, "⟦"))
          open = p;
      if (open != NULL)
        {
          gsize from = open - s->str;
          g_string_erase (s, from, (close - s->str) + strlen ("⟧") - from);
          g_string_insert_c (s, from, ' ');
          changed = TRUE;
        }
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
check_text (GtkWidget  *widget,
            const char *what,
            const char *text)
{
  g_autofree char *left = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL || *text == '\0')
    return;
  n_checked++;
  if (is_toolkit_text (text))
    return;
  left = strip_translated (text);
  words = g_regex_split_simple ("[^[:alpha:]_0-9]+", left, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GRegex) letters = g_regex_new ("[[:alpha:]]{2,}", 0, 0, NULL);

      if (g_regex_match (letters, words[i], 0, NULL) && !is_data (words[i]))
        {
          g_ptr_array_add (untranslated,
                           g_strdup_printf ("%s %s: “%s”", G_OBJECT_TYPE_NAME (widget), what,
                                            text));
          return;
        }
    }
}

/* GTK 4.8 has no getter for an accessible property; its test API hands back the value when it
 * differs from the one given. */
static void
check_accessible (GtkWidget             *widget,
                  GtkAccessibleProperty  property,
                  const char            *what)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  g_autofree char *value = NULL;

  if (!gtk_test_accessible_has_property (accessible, property))
    return;
  value = gtk_test_accessible_check_property (accessible, property, "\001");
  check_text (widget, what, value);
}

static void
walk (GtkWidget *widget)
{
  check_text (widget, "tooltip", gtk_widget_get_tooltip_text (widget));
  check_accessible (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, "accessible label");
  check_accessible (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "accessible description");
  if (GTK_IS_LABEL (widget))
    check_text (widget, "text", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_INSCRIPTION (widget))
    check_text (widget, "text", gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  if (GTK_IS_BUTTON (widget))
    check_text (widget, "label", gtk_button_get_label (GTK_BUTTON (widget)));
  if (GTK_IS_ENTRY (widget))
    check_text (widget, "placeholder", gtk_entry_get_placeholder_text (GTK_ENTRY (widget)));
  if (GTK_IS_WINDOW (widget))
    check_text (widget, "title", gtk_window_get_title (GTK_WINDOW (widget)));
  if (ADW_IS_WINDOW_TITLE (widget))
    {
      check_text (widget, "title", adw_window_title_get_title (ADW_WINDOW_TITLE (widget)));
      check_text (widget, "subtitle", adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)));
    }
  if (ADW_IS_PREFERENCES_ROW (widget))
    check_text (widget, "title", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    check_text (widget, "subtitle", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (ADW_IS_PREFERENCES_GROUP (widget))
    {
      check_text (widget, "title",
                  adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));
      check_text (widget, "description",
                  adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)));
    }
  if (ADW_IS_STATUS_PAGE (widget))
    {
      check_text (widget, "title", adw_status_page_get_title (ADW_STATUS_PAGE (widget)));
      check_text (widget, "description",
                  adw_status_page_get_description (ADW_STATUS_PAGE (widget)));
    }
  if (ADW_IS_BUTTON_CONTENT (widget))
    check_text (widget, "label", adw_button_content_get_label (ADW_BUTTON_CONTENT (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child);
}

/* The window as it opens, its run settings shown, then after a run. */
static void
test_window_shows_only_translated_text (void)
{
  PmWindow *window = new_window ();

  untranslated = g_ptr_array_new_with_free_func (g_free);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-settings",
                                      g_variant_new_boolean (TRUE));

  settle ();
  walk (GTK_WIDGET (window));

  start_demo (window, 3, 2, 0, 0);
  wait_until (pool_finished, window, "the run to finish");
  settle ();
  walk (GTK_WIDGET (window));

  for (guint i = 0; i < untranslated->len; i++)
    g_printerr ("untranslated: %s\n", (char *)untranslated->pdata[i]);
  g_test_message ("%u texts checked, %u untranslated", n_checked, untranslated->len);
  g_assert_cmpuint (n_checked, >, 100);
  g_assert_cmpuint (untranslated->len, ==, 0);
  g_ptr_array_unref (untranslated);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("POOL_MONITOR_LOCALEDIR") == NULL)
    {
      g_print ("1..0 # SKIP run by pseudo-locale.sh, which makes the catalogue\n");
      return 77;
    }
  pm_gtk_test_init (&argc, &argv);
  pm_i18n_init ();
  g_test_add_func ("/pseudo-locale/window-shows-only-translated-text",
                   test_window_shows_only_translated_text);
  return g_test_run ();
}
