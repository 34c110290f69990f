/* test-about.c: the About window says what the metainfo says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "pm-about.h"
#include "pm-gtk-test-util.h"

/* Name, developer, links, licence and the newest release with its notes come from the
 * metainfo in the GResource; its newest release is this build's version. */
static void
test_about_window_is_built_from_the_metainfo (void)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *about = pm_about_window_new (NULL, &error);
  AdwAboutWindow *window;
  const char *notes;

  g_assert_no_error (error);
  g_assert_nonnull (about);
  window = ADW_ABOUT_WINDOW (about);
  g_assert_cmpstr (adw_about_window_get_application_name (window), ==, "Pool Monitor");
  g_assert_cmpstr (adw_about_window_get_developer_name (window), ==,
                   "The Pool Monitor developers");
  g_assert_cmpstr (adw_about_window_get_version (window), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_release_notes_version (window), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_website (window), ==, PM_HOME_URL);
  g_assert_cmpstr (adw_about_window_get_issue_url (window), ==, PM_BUG_URL);
  g_assert_cmpint (adw_about_window_get_license_type (window), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_comments (window), ==,
                   "Run jobs through a process pool and watch every slot");

  /* One paragraph, its white space folded as xgettext folds it for the catalogue. */
  notes = adw_about_window_get_release_notes (window);
  g_assert_true (g_str_has_prefix (notes, "<p>The first release: run jobs through a process "
                                          "pool, watch them in live rows, slot lanes"));
  g_assert_true (g_str_has_suffix (notes, "an event log or a trace.</p>"));
  g_assert_null (strstr (notes, "  "));
  g_assert_null (strstr (notes, "\n"));

  gtk_window_present (GTK_WINDOW (about));
  gtk_window_destroy (GTK_WINDOW (about));
}

int
main (int   argc,
      char *argv[])
{
  pm_gtk_test_init (&argc, &argv);
  g_test_add_func ("/about/window-is-built-from-the-metainfo",
                   test_about_window_is_built_from_the_metainfo);
  return g_test_run ();
}
