/* pm-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-about.h"
#include "pm-util.h"

#include "pm-version.h"
#include "pm-window-private.h"
#include "pm-application.h"

struct _PmApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (PmApplication, pm_application, ADW_TYPE_APPLICATION)

/* The settings schema: from the build tree the program runs from (pm_build_dir()), when that
 * has compiled it, else where GSettings looks (installed with the program, or the directory
 * $GSETTINGS_SCHEMA_DIR names). Looked for once; the check and every window's settings share
 * it. */
static GSettingsSchema *
lookup_schema (void)
{
  static GSettingsSchema *schema;
  GSettingsSchemaSource *source;
  g_autofree char *build_dir = NULL;

  if (schema != NULL)
    return g_settings_schema_ref (schema);

  source = g_settings_schema_source_get_default ();
  build_dir = pm_build_dir ();
  if (build_dir != NULL)
    {
      g_autofree char *dir = g_build_filename (build_dir, "data", NULL);
      g_autofree char *compiled = g_build_filename (dir, "gschemas.compiled", NULL);
      g_autoptr(GSettingsSchemaSource) built = NULL;

      if (g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
        built = g_settings_schema_source_new_from_directory (dir, source, FALSE, NULL);
      if (built != NULL)
        schema = g_settings_schema_source_lookup (built, PM_SETTINGS_SCHEMA, TRUE);
    }
  if (schema == NULL && source != NULL)
    schema = g_settings_schema_source_lookup (source, PM_SETTINGS_SCHEMA, TRUE);
  return schema != NULL ? g_settings_schema_ref (schema) : NULL;
}

/**
 * pm_settings_schema_check:
 * @error: return location for a #GError
 *
 * Whether the settings schema is there: installed with the program, in the directory
 * $GSETTINGS_SCHEMA_DIR names, or, for a program run from its build tree, compiled in that
 * tree's data/. An installed program never reads a build tree.
 *
 * Returns: %TRUE if it is, else %FALSE with @error saying where it should be
 */
gboolean
pm_settings_schema_check (GError **error)
{
  g_autoptr(GSettingsSchema) schema = lookup_schema ();

  if (schema == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The settings schema %s is not installed. Install Pool Monitor (the "
                     "schema goes to %s and glib-compile-schemas compiles it there), or build "
                     "it and run it from its build directory."),
                   PM_SETTINGS_SCHEMA, PM_SCHEMADIR);
      return FALSE;
    }
  return TRUE;
}

/**
 * pm_settings_new:
 *
 * The application's settings, from the schema pm_settings_schema_check() looks for.
 * pool-monitor checks it before it makes a window, so a missing schema is a message, not an
 * abort.
 *
 * Returns: (transfer full): a #GSettings
 */
GSettings *
pm_settings_new (void)
{
  g_autoptr(GSettingsSchema) schema = lookup_schema ();

  g_return_val_if_fail (schema != NULL, NULL);
  return g_settings_new_full (schema, NULL, NULL);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PmApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window lets it save its state, and ask before it ends a run that is still
   * going; the application quits when the last window has gone. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;
  GtkWidget *about;

  /* The metainfo is compiled in: failing to read it is a bug of the build, not the user's. */
  if (!(about = pm_about_window_new (parent, &error)))
    g_error ("The About window: %s", error->message);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  PmApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb },
  { "about", about_action_cb },
  { "shortcuts", shortcuts_action_cb },
};

static void
pm_application_startup (GApplication *app)
{
  PmApplication *self = PM_APPLICATION (app);
  static const struct { const char *action; const char *accels[4]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.shortcuts", { "<Control>question", NULL } },
    { "win.start", { "<Control>Return", "<Control>KP_Enter", NULL } },
    { "win.stop", { "Escape", NULL } },
    { "win.limit-up", { "<Control>plus", "<Control>equal", "<Control>KP_Add" } },
    { "win.limit-down", { "<Control>minus", "<Control>KP_Subtract", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.rerun-failed", { "<Control><Shift>r", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.show-settings", { "F9", NULL } },
    { "win.what-if", { "<Control>i", NULL } },
    { "win.show-details", { "<Alt>Right", NULL } },
    { "win.show-jobs", { "<Alt>Left", NULL } },
  };

  G_APPLICATION_CLASS (pm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

static gboolean
autostart_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *clock,
                   gpointer       user_data)
{
  guint *frames = user_data;

  if (++*frames < 2)
    return G_SOURCE_CONTINUE;
  gtk_widget_activate_action (widget, "win.start", NULL);
  return G_SOURCE_REMOVE;
}

static void
pm_application_activate (GApplication *app)
{
  PmApplication *self = PM_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (pm_window_new (self));
  gtk_window_present (window);

  /* For screenshots, demos and benchmarks: start the run once the window has shown itself,
   * as a user would: at the second frame, so that its first paint is not part of the run. */
  if (g_strcmp0 (g_getenv ("POOL_MONITOR_AUTOSTART"), "1") == 0)
    gtk_widget_add_tick_callback (GTK_WIDGET (window), autostart_tick_cb,
                                  g_new0 (guint, 1), g_free);
}

/* pool-monitor FILE…: opening is the window's business, one window for it: the active one
 * unless it runs something, else a new one; it shows the first file that opens (one run at a
 * time), and says what it could not open. A file that does not open leaves no demo run
 * behind: the window says why instead. */
static void
pm_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));
  PmWindow *window = NULL;

  if (PM_IS_WINDOW (active) && (pm_window_get_pool (PM_WINDOW (active)) == NULL ||
                                !pm_pool_is_active (pm_window_get_pool (PM_WINDOW (active)))))
    window = PM_WINDOW (active);
  if (window == NULL)
    window = pm_window_new (PM_APPLICATION (app));
  _pm_window_open_files (window, files, n_files);
  gtk_window_present (GTK_WINDOW (window));
}

/* --version here; and no window without its settings schema: say where it should be, and
 * exit with status 1 instead of aborting inside GSettings. */
static int
pm_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      pm_print_version ("pool-monitor");
      return 0;
    }
  if (!pm_settings_schema_check (&error))
    {
      g_printerr ("pool-monitor: %s\n", error->message);
      return 1;
    }
  return -1;
}

static void
pm_application_dispose (GObject *object)
{
  PmApplication *self = PM_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pm_application_parent_class)->dispose (object);
}

static void
pm_application_class_init (PmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pm_application_dispose;
  app_class->startup = pm_application_startup;
  app_class->activate = pm_application_activate;
  app_class->open = pm_application_open;
  app_class->handle_local_options = pm_application_handle_local_options;
}

static void
pm_application_init (PmApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and the licence"), NULL },
    { NULL }
  };
  g_autofree char *footer = pm_help_footer ();

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run jobs through a concurrency-limited pool and "
                                              "watch them live.\nA FILE, a joblog or an event log, "
                                              "opens read-only in the window;\nof several, the "
                                              "first that opens."));
  g_application_set_option_context_description (G_APPLICATION (self), footer);
}

PmApplication *
pm_application_new (void)
{
  return g_object_new (PM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/poolmonitor/PoolMonitor",
                       NULL);
}

/**
 * pm_application_get_settings:
 * @self: a #PmApplication
 *
 * Returns: (transfer none): the application's settings, created when first asked for
 */
GSettings *
pm_application_get_settings (PmApplication *self)
{
  g_return_val_if_fail (PM_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = pm_settings_new ();
  return self->settings;
}
