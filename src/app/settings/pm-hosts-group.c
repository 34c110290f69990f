/* pm-hosts-group.c
 *
 * The hosts of the next run, in the run settings: the "hosts" setting as a list of rows, one
 * per sshlogin as GNU parallel's --sshlogin takes it (":" for this machine, "N/" for N slots
 * there), an entry that adds one, and the ssh command that reaches them. None: the run stays on
 * this machine, as without this group. Hosts are checked (pm_host_prepare_async()) when Check is
 * pressed and again each time a run starts; each row then says what its host is, or why it
 * cannot be used, on the row itself. The hosts of a check are the ones the run gets, so their
 * rows go on saying how they are while the run goes (a host lost mid-run says why here too).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pm-host.h"
#include "pm-util.h"
#include "pm-hosts-group.h"

struct _PmHostsGroup
{
  AdwPreferencesGroup parent_instance;

  GSettings          *settings;
  GSimpleActionGroup *actions;
  AdwEntryRow        *add_row;
  GtkLabel           *add_error;
  AdwEntryRow        *ssh_row;
  GPtrArray          *rows;         /* AdwActionRow, one per login */
  GPtrArray          *hosts;        /* PmHost of each row, or NULL if its login is wrong */

  GCancellable       *cancellable;  /* the check under way */
  GTask              *task;
  guint               n_left;
  gboolean            checked;      /* the hosts were checked and no run has taken them */
};

G_DEFINE_FINAL_TYPE (PmHostsGroup, pm_hosts_group, ADW_TYPE_PREFERENCES_GROUP)

static void
host_unref (gpointer host)
{
  if (host != NULL)
    g_object_unref (host);
}

static void
set_row_status (AdwActionRow *row,
                const char   *text,
                gboolean      bad)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_action_row_set_subtitle (row, escaped);
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* What the row of @host says: how the host is, or why it cannot be used */
static void
show_host (AdwActionRow *row,
           PmHost       *host)
{
  g_autofree char *text = NULL;

  switch (pm_host_get_state (host))
    {
    case PM_HOST_STATE_PREPARING:
      set_row_status (row, _("Checking…"), FALSE);
      return;
    case PM_HOST_STATE_UP:
      text = g_strdup_printf (ngettext ("Ready: %u CPU", "Ready: %u CPUs",
                                        pm_host_get_cpus (host)),
                              pm_host_get_cpus (host));
      set_row_status (row, text, FALSE);
      return;
    case PM_HOST_STATE_DOWN:
      text = g_strdup_printf (_("Down: %s"), pm_host_get_reason (host) != NULL
                                             ? pm_host_get_reason (host) : _("no reason given"));
      set_row_status (row, text, TRUE);
      return;
    case PM_HOST_STATE_UNKNOWN:
    default:
      set_row_status (row, pm_host_is_local (host) ? _("This machine")
                                                   : _("Checked when a run starts"), FALSE);
      return;
    }
}

static void
host_notify_cb (PmHost     *host,
                GParamSpec *pspec,
                gpointer    user_data)
{
  show_host (ADW_ACTION_ROW (user_data), host);
}

static void
cancel_check (PmHostsGroup *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->task != NULL)
    {
      GTask *task = g_steal_pointer (&self->task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The hosts changed while they were checked"));
      g_object_unref (task);
    }
  self->n_left = 0;
}

/* One row per login of the setting, each with a fresh host not yet checked */
static void
rebuild (PmHostsGroup *self)
{
  g_auto(GStrv) logins = g_settings_get_strv (self->settings, "hosts");
  g_autofree char *ssh = g_settings_get_string (self->settings, "ssh-command");

  cancel_check (self);
  self->checked = FALSE;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->hosts, 0);
  /* The rows go before the entry that adds one (the group holds a reference to each) */
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->ssh_row));
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_error));

  for (guint i = 0; logins[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      PmHost *host = pm_host_parse (logins[i], ssh[0] != '\0' ? ssh : NULL, &error);
      g_autofree char *title = g_markup_escape_text (logins[i], -1);
      g_autofree char *label = g_strdup_printf (_("Remove %s"), logins[i]);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove the Host"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "hosts.remove");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", i);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
      g_ptr_array_add (self->hosts, host);
      if (host == NULL)
        {
          set_row_status (ADW_ACTION_ROW (row), error->message, TRUE);
          continue;
        }
      show_host (ADW_ACTION_ROW (row), host);
      g_signal_connect_object (host, "notify::state", G_CALLBACK (host_notify_cb), row, 0);
      g_signal_connect_object (host, "notify::reason", G_CALLBACK (host_notify_cb), row, 0);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->ssh_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_error));
}

static void
hosts_changed_cb (PmHostsGroup *self)
{
  rebuild (self);
}

static void
add_apply_cb (PmHostsGroup *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_row))));
  g_auto(GStrv) logins = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;

  if (text[0] == '\0')
    return;
  /* Several at once, separated by commas, as -S takes them */
  words = g_strsplit (text, ",", -1);
  parsed = pm_host_parse_list ((const char * const *)words, NULL, &error);
  gtk_label_set_text (self->add_error, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->add_error), error != NULL);
  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->add_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->add_row), "error");

  logins = g_settings_get_strv (self->settings, "hosts");
  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **)logins);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_strstrip (words[i]);
      if (words[i][0] != '\0')
        g_strv_builder_add (builder, words[i]);
    }
  g_strfreev (logins);
  logins = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "hosts", (const char * const *)logins);
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
}

static void
remove_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PmHostsGroup *self = user_data;
  g_auto(GStrv) logins = g_settings_get_strv (self->settings, "hosts");
  guint index = g_variant_get_uint32 (parameter);
  guint n = g_strv_length (logins);

  if (index >= n)
    return;
  g_free (logins[index]);
  memmove (&logins[index], &logins[index + 1], (n - index) * sizeof (char *));
  g_settings_set_strv (self->settings, "hosts", (const char * const *)logins);
}

static void
check_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  pm_hosts_group_check_async (user_data, NULL, NULL, NULL);
}

static void
pm_hosts_group_dispose (GObject *object)
{
  PmHostsGroup *self = PM_HOSTS_GROUP (object);

  cancel_check (self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->actions);
  g_clear_object (&self->add_row);
  g_clear_object (&self->ssh_row);
  g_clear_object (&self->add_error);

  G_OBJECT_CLASS (pm_hosts_group_parent_class)->dispose (object);
}

static void
pm_hosts_group_class_init (PmHostsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pm_hosts_group_dispose;
}

static void
pm_hosts_group_init (PmHostsGroup *self)
{
  static const GActionEntry entries[] = {
    { "remove", remove_action_cb, "u" },
    { "check", check_action_cb },
  };
  GtkWidget *check = gtk_button_new_with_label (_("Check"));

  self->rows = g_ptr_array_new ();
  self->hosts = g_ptr_array_new_with_free_func (host_unref);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Hosts"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("“:” is this machine; “N/” before a host gives "
                                           "it N slots, else it gets the limit. None: this "
                                           "machine only."));
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, _("See Whether the Hosts Can Run Jobs"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (check), "hosts.check");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self), check);

  self->add_row = g_object_ref_sink (ADW_ENTRY_ROW (adw_entry_row_new ()));
  /* No mnemonics here: the settings' letters are all taken by fields met more often */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("Add a host"));
  adw_entry_row_set_show_apply_button (self->add_row, TRUE);
  g_signal_connect_swapped (self->add_row, "apply", G_CALLBACK (add_apply_cb), self);
  g_signal_connect_swapped (self->add_row, "entry-activated", G_CALLBACK (add_apply_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));

  self->ssh_row = g_object_ref_sink (ADW_ENTRY_ROW (adw_entry_row_new ()));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ssh_row), _("SSH command"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->ssh_row));

  self->add_error = g_object_ref_sink (GTK_LABEL (gtk_label_new (NULL)));
  gtk_label_set_wrap (self->add_error, TRUE);
  gtk_label_set_xalign (self->add_error, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->add_error), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->add_error), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->add_error), "caption");
  gtk_widget_set_visible (GTK_WIDGET (self->add_error), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_error));

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries,
                                   G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "hosts", G_ACTION_GROUP (self->actions));
}

void
pm_hosts_group_set_settings (PmHostsGroup *self,
                             GSettings    *settings)
{
  g_return_if_fail (PM_IS_HOSTS_GROUP (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "ssh-command", self->ssh_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (settings, "changed::hosts", G_CALLBACK (hosts_changed_cb), self);
  g_signal_connect_swapped (settings, "changed::ssh-command", G_CALLBACK (hosts_changed_cb),
                            self);
  rebuild (self);
}

/**
 * pm_hosts_group_has_hosts:
 *
 * Returns: whether the run goes to hosts (FALSE: this machine only, as without any)
 */
gboolean
pm_hosts_group_has_hosts (PmHostsGroup *self)
{
  g_return_val_if_fail (PM_IS_HOSTS_GROUP (self), FALSE);

  return self->rows->len > 0;
}

typedef struct
{
  PmHostsGroup *self;
  GCancellable *cancellable;
} Check;

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Check *check = user_data;
  PmHostsGroup *self = check->self;
  gboolean current = check->cancellable == self->cancellable;

  /* Down with its reason, which its row shows */
  pm_host_prepare_finish (PM_HOST (object), result, NULL);
  g_object_unref (check->cancellable);
  g_free (check);
  if (current && --self->n_left == 0)
    {
      g_clear_object (&self->cancellable);
      self->checked = TRUE;
      if (self->task != NULL)
        {
          GTask *task = g_steal_pointer (&self->task);

          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
        }
    }
  g_object_unref (self);
}

/**
 * pm_hosts_group_check_async:
 *
 * Checks every host, each row saying what its host is or why it cannot be used. Only one check
 * goes at a time: asked for while one goes, the task fails with %G_IO_ERROR_PENDING. Fails too
 * when the hosts change meanwhile.
 */
void
pm_hosts_group_check_async (PmHostsGroup        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *slot_program = NULL;

  g_return_if_fail (PM_IS_HOSTS_GROUP (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pm_hosts_group_check_async);
  if (self->task != NULL || self->n_left > 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The hosts are being checked"));
      return;
    }
  /* A host checked before may have been used by a run since: check fresh ones */
  rebuild (self);

  slot_program = pm_find_helper ("pool-slot");
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < self->hosts->len; i++)
    {
      PmHost *host = g_ptr_array_index (self->hosts, i);
      Check *check;

      if (host == NULL)
        continue;
      check = g_new0 (Check, 1);
      check->self = g_object_ref (self);
      check->cancellable = g_object_ref (self->cancellable);
      self->n_left++;
      pm_host_prepare_async (host, slot_program, self->cancellable, prepared_cb, check);
    }
  if (self->n_left == 0)
    {
      g_clear_object (&self->cancellable);
      self->checked = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->task = g_steal_pointer (&task);
}

gboolean
pm_hosts_group_check_finish (PmHostsGroup  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pm_hosts_group_take_checked:
 * @limit: the slots of a host whose login does not say how many
 *
 * The hosts of the last check, for a run: the next run checks them again.
 *
 * Returns: (transfer full) (element-type PmHost) (nullable): the hosts that are up, each with
 *   its slots; %NULL without @error when they were not checked since they last ran or changed,
 *   %NULL with @error when none is up
 */
GPtrArray *
pm_hosts_group_take_checked (PmHostsGroup  *self,
                             guint          limit,
                             GError       **error)
{
  g_autoptr(GPtrArray) up = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (PM_IS_HOSTS_GROUP (self), NULL);

  if (!self->checked)
    return NULL;
  self->checked = FALSE;
  for (guint i = 0; i < self->hosts->len; i++)
    {
      PmHost *host = g_ptr_array_index (self->hosts, i);

      if (host == NULL || pm_host_get_state (host) != PM_HOST_STATE_UP)
        continue;
      if (!pm_host_has_given_slots (host))
        pm_host_set_slots (host, MAX (limit, 1));
      g_ptr_array_add (up, g_object_ref (host));
    }
  if (up->len == 0)
    {
      g_set_error_literal (error, PM_HOST_ERROR, PM_HOST_ERROR_UNREACHABLE,
                           _("No host can run jobs: each says why under Hosts in the run "
                             "settings"));
      return NULL;
    }
  return g_steal_pointer (&up);
}

/**
 * pm_hosts_group_dup_planned:
 * @limit: the slots of a host whose login does not say how many
 *
 * The hosts as a run would use them, before they are checked: for the preview of the run,
 * whose lanes are grouped by host as the run's will be. Each gets its slots as
 * pm_hosts_group_take_checked() gives them; a login that cannot be read is left out, a host
 * found down by the last check is kept (its lanes say why).
 *
 * Returns: (transfer full) (element-type PmHost) (nullable): the hosts, or %NULL when none
 */
GPtrArray *
pm_hosts_group_dup_planned (PmHostsGroup *self,
                            guint         limit)
{
  g_autoptr(GPtrArray) planned = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (PM_IS_HOSTS_GROUP (self), NULL);

  for (guint i = 0; i < self->hosts->len; i++)
    {
      PmHost *host = g_ptr_array_index (self->hosts, i);

      if (host == NULL)
        continue;
      if (!pm_host_has_given_slots (host))
        pm_host_set_slots (host, MAX (limit, 1));
      if (pm_host_get_slots (host) > 0)
        g_ptr_array_add (planned, g_object_ref (host));
    }
  return planned->len > 0 ? g_steal_pointer (&planned) : NULL;
}

/* What the row of the @index-th host says, for tests */
char *
_pm_hosts_group_dup_status (PmHostsGroup *self,
                            guint         index)
{
  g_return_val_if_fail (PM_IS_HOSTS_GROUP (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return g_strdup (adw_action_row_get_subtitle (g_ptr_array_index (self->rows, index)));
}

/**
 * pm_hosts_group_focus_error:
 *
 * Moves the keyboard focus to the first host that cannot be used, which scrolls its row, and
 * the reason on it, into view.
 */
void
pm_hosts_group_focus_error (PmHostsGroup *self)
{
  g_return_if_fail (PM_IS_HOSTS_GROUP (self));

  for (guint i = 0; i < self->rows->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (self->rows, i), "error"))
      {
        gtk_widget_grab_focus (g_ptr_array_index (self->rows, i));
        return;
      }
}
