/* pm-run-settings.c
 *
 * The settings of the next run, bound to GSettings, and turned into a pool of jobs. Every
 * mistake is shown beside its field (an error label, the field in the error style) as soon as
 * it is made, and again when Start is pressed, which then starts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pm-hosts-group.h"
#include "pm-run-plan.h"
#include "pm-run-settings.h"

/* Rows made per main-loop iteration: 10,000 at once took one 31–33 ms frame of the main
 * thread (bench/README.md), so a batch costs a few ms at most. */
#define PULL_BATCH 500

struct _PmRunSettings
{
  AdwBin          parent_instance;

  GSettings      *settings;
  GSimpleActionGroup *actions;

  GtkSpinButton  *count_spin;
  GtkSpinButton  *limit_spin;
  GtkSpinButton  *sleep_min_spin;
  GtkSpinButton  *sleep_max_spin;
  GtkSpinButton  *seed_spin;
  GtkSwitch      *compute_switch;
  AdwEntryRow    *template_row;
  GtkTextView    *list_view;
  GtkEntry       *file_entry;
  GtkWidget      *demo_group;
  GtkWidget      *template_group;
  GtkWidget      *args_group;
  GtkWidget      *list_frame;
  GtkWidget      *file_box;
  GtkLabel       *count_error;
  GtkLabel       *limit_error;
  GtkLabel       *sleep_error;
  GtkLabel       *template_error;
  GtkLabel       *command_preview;
  GtkLabel       *args_error;
  GtkEntry       *timeout_entry;
  GtkSpinButton  *retries_spin;
  AdwComboRow    *halt_when_row;
  AdwComboRow    *halt_on_row;
  GtkWidget      *halt_threshold_row;
  GtkEntry       *halt_threshold_entry;
  GtkLabel       *timeout_error;
  GtkLabel       *retries_error;
  GtkLabel       *halt_error;
  PmHostsGroup   *hosts_group;

  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (PmRunSettings, pm_run_settings, ADW_TYPE_BIN)

static GtkLabel *
field_label (PmRunSettings *self,
             PmRunField     field)
{
  GtkLabel *labels[PM_N_RUN_FIELDS] = {
    self->count_error, self->limit_error, self->sleep_error, self->template_error,
    self->args_error, self->timeout_error, self->retries_error, self->halt_error,
  };
  return labels[field];
}

static GtkWidget *
field_widget (PmRunSettings *self,
              PmRunField     field)
{
  g_autofree char *source = g_settings_get_string (self->settings, "args-source");
  GtkWidget *widgets[PM_N_RUN_FIELDS] = {
    GTK_WIDGET (self->count_spin), GTK_WIDGET (self->limit_spin),
    GTK_WIDGET (self->sleep_max_spin), GTK_WIDGET (self->template_row),
    g_str_equal (source, "file") ? GTK_WIDGET (self->file_entry) : GTK_WIDGET (self->list_view),
    GTK_WIDGET (self->timeout_entry), GTK_WIDGET (self->retries_spin),
    GTK_WIDGET (self->halt_threshold_entry),
  };
  return widgets[field];
}

static void
set_field_error (PmRunSettings *self,
                 PmRunField     field,
                 const char    *message)
{
  GtkLabel *label = field_label (self, field);
  GtkWidget *widget = field_widget (self, field);

  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  /* An error in the list of rows, under its own row */
  if (GTK_IS_LIST_BOX_ROW (gtk_widget_get_parent (GTK_WIDGET (label))))
    gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (label)), message != NULL);

  if (field == PM_RUN_FIELD_ARGS)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->list_view), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->file_entry), "error");
    }
  if (field == PM_RUN_FIELD_SLEEP)
    {
      if (message != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self->sleep_min_spin), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->sleep_min_spin), "error");
    }
  if (message != NULL)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
}

/**
 * pm_run_settings_validate:
 * @self: a #PmRunSettings
 *
 * Checks every field, showing what is wrong beside each.
 *
 * Returns: %TRUE if a run can start with these settings
 */
gboolean
pm_run_settings_validate (PmRunSettings *self)
{
  char *messages[PM_N_RUN_FIELDS];
  gboolean ok;

  g_return_val_if_fail (PM_IS_RUN_SETTINGS (self), FALSE);

  if (self->settings == NULL)
    return FALSE;

  ok = pm_run_plan_check (self->settings, messages);
  for (PmRunField f = 0; f < PM_N_RUN_FIELDS; f++)
    {
      set_field_error (self, f, messages[f]);
      g_free (messages[f]);
    }
  return ok;
}

/**
 * pm_run_settings_make_pool:
 * @self: a #PmRunSettings
 * @preview: %TRUE for the preview before Start, which leaves a FIFO of arguments unread
 * @error: return location for a #GError
 *
 * Makes the pool of the next run, not started, after checking every field (each wrong one
 * then shows why). Its jobs come from a source, made in batches as rows (a batch at once, the
 * rest in idles), a FIFO's as its lines arrive once the run has started; a preview of a run
 * from a FIFO has no source and no rows (pm_run_plan_is_stream()).
 *
 * Returns: (transfer full): a new idle #PmPool, or %NULL with @error set
 */
PmPool *
pm_run_settings_make_pool (PmRunSettings  *self,
                           gboolean        preview,
                           GError        **error)
{
  g_autoptr(PmPool) pool = NULL;
  g_autoptr(PmJobSource) source = NULL;

  g_return_val_if_fail (PM_IS_RUN_SETTINGS (self), NULL);

  if (!pm_run_settings_validate (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The run settings need fixing: see the marked fields"));
      return NULL;
    }

  pool = pm_pool_new (g_settings_get_uint (self->settings, "limit"));
  if (!(preview && pm_run_plan_is_stream (self->settings)))
    {
      if (!(source = pm_run_plan_make_source (self->settings, error)))
        return NULL;
      pm_pool_set_source (pool, source);
      pm_pool_set_pull_ahead (pool, PULL_BATCH);
    }
  if (!pm_run_settings_configure_pool (self, pool, error))
    return NULL;
  return g_steal_pointer (&pool);
}

/**
 * pm_run_settings_configure_pool:
 * @self: a #PmRunSettings
 * @pool: a pool not yet started
 * @error: return location for a #GError
 *
 * Gives @pool the timeout, the attempts and the halt policy of the settings.
 *
 * Returns: %TRUE if the settings were valid and applied
 */
gboolean
pm_run_settings_configure_pool (PmRunSettings  *self,
                                PmPool         *pool,
                                GError        **error)
{
  g_return_val_if_fail (PM_IS_RUN_SETTINGS (self), FALSE);

  return pm_run_plan_configure_pool (self->settings, pool, error);
}

/**
 * pm_run_settings_commit:
 * @self: a #PmRunSettings
 *
 * Takes in numbers typed but not yet confirmed (with Enter or by leaving the field).
 */
void
pm_run_settings_commit (PmRunSettings *self)
{
  GtkSpinButton *spins[] = {
    self->count_spin, self->limit_spin, self->sleep_min_spin, self->sleep_max_spin,
    self->seed_spin, self->retries_spin,
  };

  g_return_if_fail (PM_IS_RUN_SETTINGS (self));

  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    gtk_spin_button_update (spins[i]);
}

/**
 * pm_run_settings_focus_error:
 * @self: a #PmRunSettings
 *
 * Moves the keyboard focus to the first field shown as wrong.
 */
void
pm_run_settings_focus_error (PmRunSettings *self)
{
  for (PmRunField f = 0; f < PM_N_RUN_FIELDS; f++)
    if (gtk_widget_get_visible (GTK_WIDGET (field_label (self, f))))
      {
        gtk_widget_grab_focus (field_widget (self, f));
        return;
      }
}

static void
settings_changed_cb (PmRunSettings *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "mode");
  g_autofree char *source = g_settings_get_string (self->settings, "args-source");
  gboolean demo = g_str_equal (mode, "demo");

  gtk_widget_set_visible (self->demo_group, demo);
  gtk_widget_set_visible (self->template_group, !demo);
  gtk_widget_set_visible (self->args_group, !demo);
  gtk_widget_set_visible (self->list_frame, g_str_equal (source, "list"));
  gtk_widget_set_visible (self->file_box, g_str_equal (source, "file"));
  {
    g_autofree char *when = g_settings_get_string (self->settings, "halt-when");
    gboolean halts = !g_str_equal (when, "never");

    gtk_widget_set_sensitive (GTK_WIDGET (self->halt_on_row), halts);
    gtk_widget_set_sensitive (self->halt_threshold_row, halts);
  }

  pm_run_settings_validate (self);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     PmRunSettings   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "args-file", path);
    }
  g_clear_object (&self->chooser);
}

static void
choose_file_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PmRunSettings *self = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Arguments, One per Line"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
pm_run_settings_dispose (GObject *object)
{
  PmRunSettings *self = PM_RUN_SETTINGS (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  if (self->actions != NULL)
    {
      g_action_map_remove_action (G_ACTION_MAP (self->actions), "mode");
      g_action_map_remove_action (G_ACTION_MAP (self->actions), "args-source");
    }
  g_clear_object (&self->actions);
  gtk_widget_dispose_template (GTK_WIDGET (self), PM_TYPE_RUN_SETTINGS);

  G_OBJECT_CLASS (pm_run_settings_parent_class)->dispose (object);
}

static void
pm_run_settings_class_init (PmRunSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pm_run_settings_dispose;
  g_type_ensure (PM_TYPE_HOSTS_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/poolmonitor/PoolMonitor/ui/"
                                               "pm-run-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, count_spin);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, limit_spin);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, sleep_min_spin);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, sleep_max_spin);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, compute_switch);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, template_row);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, list_view);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, file_entry);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, demo_group);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, template_group);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, args_group);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, list_frame);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, file_box);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, count_error);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, limit_error);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, sleep_error);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, template_error);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, command_preview);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, args_error);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, timeout_entry);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, retries_spin);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, halt_when_row);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, halt_on_row);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, halt_threshold_row);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, halt_threshold_entry);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, timeout_error);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, retries_error);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, halt_error);
  gtk_widget_class_bind_template_child (widget_class, PmRunSettings, hosts_group);
}

static void
pm_run_settings_init (PmRunSettings *self)
{
  static const GActionEntry entries[] = {
    { "choose-file", choose_file_cb },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries,
                                   G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "run", G_ACTION_GROUP (self->actions));
}

/* An enum setting shown as the position of its nick in a combo row. */
static const char * const halt_when_nicks[] = { "never", "soon", "now", NULL };
static const char * const halt_on_nicks[] = { "fail", "success", "done", NULL };

static gboolean
nick_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char * const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nick, nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
nick_set_mapping (const GValue       *value,
                  const GVariantType *type,
                  gpointer            user_data)
{
  const char * const *nicks = user_data;
  guint i = g_value_get_uint (value);

  return i < g_strv_length ((char **)nicks) ? g_variant_new_string (nicks[i]) : NULL;
}

GtkWidget *
pm_run_settings_new (void)
{
  return g_object_new (PM_TYPE_RUN_SETTINGS, NULL);
}

void
pm_run_settings_set_settings (PmRunSettings *self,
                              GSettings     *settings)
{
  g_autoptr(GAction) mode = NULL;
  g_autoptr(GAction) source = NULL;

  g_return_if_fail (PM_IS_RUN_SETTINGS (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "count", self->count_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "limit", self->limit_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sleep-min", self->sleep_min_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sleep-max", self->sleep_max_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "seed", self->seed_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "demo-compute", self->compute_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "template", self->template_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "args-list", gtk_text_view_get_buffer (self->list_view), "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "args-file", self->file_entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "timeout", self->timeout_entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "retries", self->retries_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "halt-threshold", self->halt_threshold_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "halt-when", self->halt_when_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_get_mapping, nick_set_mapping,
                                (gpointer)halt_when_nicks, NULL);
  g_settings_bind_with_mapping (settings, "halt-on", self->halt_on_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, nick_get_mapping, nick_set_mapping,
                                (gpointer)halt_on_nicks, NULL);

  mode = g_settings_create_action (settings, "mode");
  source = g_settings_create_action (settings, "args-source");
  g_action_map_add_action (G_ACTION_MAP (self->actions), mode);
  g_action_map_add_action (G_ACTION_MAP (self->actions), source);

  g_signal_connect_swapped (settings, "changed", G_CALLBACK (settings_changed_cb), self);
  settings_changed_cb (self);
  pm_hosts_group_set_settings (self->hosts_group, settings);
}

/**
 * pm_run_settings_get_hosts_group:
 *
 * Returns: (transfer none): the hosts of the next run (pm-hosts-group.c)
 */
PmHostsGroup *
pm_run_settings_get_hosts_group (PmRunSettings *self)
{
  g_return_val_if_fail (PM_IS_RUN_SETTINGS (self), NULL);

  return self->hosts_group;
}

/**
 * _pm_run_settings_dup_errors:
 * @self: a #PmRunSettings
 *
 * Returns: (transfer full): the messages shown beside fields, one per line ("" if none)
 */
char *
_pm_run_settings_dup_errors (PmRunSettings *self)
{
  GString *errors = g_string_new (NULL);

  for (PmRunField f = 0; f < PM_N_RUN_FIELDS; f++)
    if (gtk_widget_get_visible (GTK_WIDGET (field_label (self, f))))
      g_string_append_printf (errors, "%s\n", gtk_label_get_text (field_label (self, f)));
  return g_string_free (errors, FALSE);
}

/**
 * pm_run_settings_get_limit_error:
 * @self: a #PmRunSettings
 *
 * Returns: (nullable): what is wrong with the limit, as its field says it, or %NULL
 */
const char *
pm_run_settings_get_limit_error (PmRunSettings *self)
{
  g_return_val_if_fail (PM_IS_RUN_SETTINGS (self), NULL);

  pm_run_settings_validate (self);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->limit_error)))
    return NULL;
  return gtk_label_get_text (self->limit_error);
}

/**
 * pm_run_settings_set_command_preview:
 * @self: a #PmRunSettings
 * @text: (nullable): the first job's command line, or %NULL to show none
 *
 * Shows, under the command template, what the first job will run.
 */
void
pm_run_settings_set_command_preview (PmRunSettings *self,
                                     const char    *text)
{
  g_return_if_fail (PM_IS_RUN_SETTINGS (self));

  gtk_label_set_text (self->command_preview, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->command_preview), text != NULL);
}
