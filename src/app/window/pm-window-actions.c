/* pm-window-actions.c: the window's commands: start, stop, the limit, the job menu, closing
 *
 * Each is an action of the window (win.*) that asks the pool; none keeps state of its own.
 * Until a run starts, the window shows a preview: the idle pool the settings describe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pm-run-plan.h"
#include "pm-util.h"
#include "pm-window-private.h"

#define PREVIEW_DELAY_MS  250
#define PREVIEW_MAX_JOBS  20000

static gboolean
is_preview (PmWindow *self)
{
  return self->pool != NULL && pm_pool_get_state (self->pool) == PM_POOL_STATE_IDLE;
}

/* The preview of a run whose arguments come from a FIFO: it has no rows, since only the run
 * reads the FIFO (reading it before would take its lines). */
gboolean
_pm_window_previews_stream (PmWindow *self)
{
  return is_preview (self) && g_list_model_get_n_items (G_LIST_MODEL (self->pool)) == 0 &&
         pm_run_plan_is_stream (self->settings);
}

/* Under the command template, what the preview's first job will run: its real argv, one
 * command line, each word quoted only where a shell would need it. */
static void
update_command_preview (PmWindow *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "mode");
  g_autofree char *template_ = g_settings_get_string (self->settings, "template");
  g_autoptr(GString) text = NULL;
  g_autoptr(PmJob) first = NULL;
  const char * const *argv;

  if (!g_str_equal (mode, "template") || !is_preview (self) ||
      g_list_model_get_n_items (G_LIST_MODEL (self->pool)) == 0)
    {
      pm_run_settings_set_command_preview (self->run_settings, NULL);
      return;
    }
  first = g_list_model_get_item (G_LIST_MODEL (self->pool), 0);
  if ((argv = pm_job_get_argv (first)) == NULL)
    return;

  text = g_string_new (_("The first job runs: "));
  for (guint i = 0; argv[i] != NULL; i++)
    {
      gboolean plain = argv[i][0] != '\0' && strpbrk (argv[i], " \t\n'\"\\$`;&|<>()*?[]#~") == NULL;
      g_autofree char *quoted = plain ? NULL : g_shell_quote (argv[i]);

      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, plain ? argv[i] : quoted);
    }
  if (strchr (template_, '{') == NULL)
    g_string_append (text, _(" (no {} in the template: the argument goes last)"));
  pm_run_settings_set_command_preview (self->run_settings, text->str);
}

/* Until a run starts, the window shows the run the settings describe: its queued rows, its
 * empty lanes. Start then starts that very pool (the sleeps a random seed chose included). */
void
_pm_window_update_preview (PmWindow *self)
{
  g_autoptr(PmPool) pool = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *source = NULL;

  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->pool != NULL && !is_preview (self))
    return;

  mode = g_settings_get_string (self->settings, "mode");
  source = g_settings_get_string (self->settings, "args-source");
  if ((g_str_equal (mode, "demo") || g_str_equal (source, "count")) &&
      g_settings_get_uint (self->settings, "count") > PREVIEW_MAX_JOBS)
    pm_run_settings_validate (self->run_settings);
  else
    pool = pm_run_settings_make_pool (self->run_settings, TRUE, NULL);
  /* its lanes grouped by host as the run's will be (Start sets the hosts found up again) */
  if (pool != NULL)
    {
      PmHostsGroup *group = pm_run_settings_get_hosts_group (self->run_settings);
      g_autoptr(GPtrArray) hosts = NULL;

      if (pm_hosts_group_has_hosts (group) &&
          (hosts = pm_hosts_group_dup_planned (group,
                                               g_settings_get_uint (self->settings, "limit"))))
        pm_pool_set_hosts (pool, hosts);
    }
  _pm_window_set_pool (self, pool, NULL);
  _pm_window_update_empty_page (self);
  update_command_preview (self);
}

static gboolean
preview_cb (gpointer user_data)
{
  PmWindow *self = user_data;

  self->preview_source = 0;
  _pm_window_update_preview (self);
  return G_SOURCE_REMOVE;
}

void
_pm_window_schedule_preview (PmWindow *self)
{
  if (self->pool != NULL && !is_preview (self))
    return;
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, preview_cb, self);
}

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PmWindow         *self)
{
  if (!g_str_equal (response, "start"))
    return;
  self->replace_confirmed = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (self), "start", NULL);
}

static void
ask_replace (PmWindow *self)
{
  g_autofree char *body = g_strdup_printf (_("The window shows %s. A new run takes its place; "
                                             "the file itself stays as it is."),
                                           self->origin ? self->origin : _("a recorded run"));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                              _("Start a Run in Place of the Opened Log?"),
                                              body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "start", _("_Start"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "start");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (replace_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The hosts were checked (pm-hosts-group.c): Start again, now with them. */
static void
hosts_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PmWindow) self = user_data;

  if (pm_hosts_group_check_finish (PM_HOSTS_GROUP (object), result, NULL))
    g_action_group_activate_action (G_ACTION_GROUP (self), "start", NULL);
}

static void
start_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PmWindow *self = user_data;
  g_autoptr(PmPool) pool = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  PmHostsGroup *hosts_group = pm_run_settings_get_hosts_group (self->run_settings);

  if (self->pool != NULL && pm_pool_is_active (self->pool))
    return;
  _pm_window_bench_mark_start (self);
  /* A run read from a log is not thrown away unasked. */
  if (self->pool != NULL && pm_pool_get_state (self->pool) == PM_POOL_STATE_READ_ONLY &&
      !self->replace_confirmed)
    {
      ask_replace (self);
      return;
    }

  pm_run_settings_commit (self->run_settings);
  /* Hosts are checked before each run; a host that is down says why on its row. */
  if (pm_hosts_group_has_hosts (hosts_group) &&
      !(hosts = pm_hosts_group_take_checked (hosts_group,
                                             g_settings_get_uint (self->settings, "limit"),
                                             &error)))
    {
      if (error == NULL)
        pm_hosts_group_check_async (hosts_group, NULL, hosts_checked_cb, g_object_ref (self));
      else
        {
          g_settings_set_boolean (self->settings, "show-settings", TRUE);
          pm_hosts_group_focus_error (hosts_group);
          _pm_window_toast (self, error->message);
        }
      return;
    }
  /* The preview is the run, unless its arguments come from a FIFO: only the run reads that. */
  if (is_preview (self) && self->preview_source == 0 && !pm_run_plan_is_stream (self->settings))
    pool = g_object_ref (self->pool);
  else if (!(pool = pm_run_settings_make_pool (self->run_settings, FALSE, &error)))
    {
      g_clear_handle_id (&self->preview_source, g_source_remove);
      _pm_window_set_pool (self, NULL, NULL);
      _pm_window_update_empty_page (self);
      g_settings_set_boolean (self->settings, "show-settings", TRUE);
      pm_run_settings_focus_error (self->run_settings);
      _pm_window_toast (self, error->message);
      return;
    }

  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (pool != self->pool)
    _pm_window_set_pool (self, pool, NULL);
  /* The timeout, attempts and halt policy as they are now, even if the preview is older. */
  if (!pm_run_settings_configure_pool (self->run_settings, pool, &error))
    {
      _pm_window_toast (self, error->message);
      return;
    }
  if (hosts != NULL)
    pm_pool_set_hosts (pool, hosts);
  _pm_window_autosave_begin (self);
  /* A pool that cannot start at all (no pool-slot) keeps its rows queued: one message that
   * stays until read, not a toast that goes. */
  if (!pm_pool_start (pool, &error))
    {
      _pm_window_autosave_end (self);
      _pm_window_show_error (self, _("Cannot Start the Run"), error->message);
    }
}

static void
stop_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PmWindow *self = user_data;

  if (self->pool == NULL)
    return;

  switch (pm_pool_get_state (self->pool))
    {
    case PM_POOL_STATE_RUNNING:
      /* The header's subtitle says what happens now, and goes with it: no toast that could
       * outlive the draining. */
      self->stopped = TRUE;
      pm_pool_drain (self->pool);
      break;
    case PM_POOL_STATE_DRAINING:
      self->stopped = TRUE;
      pm_pool_stop (self->pool);
      break;
    case PM_POOL_STATE_IDLE:
    case PM_POOL_STATE_STOPPING:
    case PM_POOL_STATE_FINISHED:
    case PM_POOL_STATE_READ_ONLY:
    default:
      break;
    }
}

static void
change_limit (PmWindow *self,
              int       delta)
{
  guint limit = g_settings_get_uint (self->settings, "limit");
  gint64 next = CLAMP ((gint64)limit + delta, 1, PM_POOL_MAX_LIMIT);

  g_settings_set_uint (self->settings, "limit", (guint)next);
}

static void
limit_up_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  change_limit (user_data, +1);
}

static void
limit_down_action_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  change_limit (user_data, -1);
}

void
_pm_window_limit_changed (PmWindow *self)
{
  guint limit = g_settings_get_uint (self->settings, "limit");
  const char *limit_error = pm_run_settings_get_limit_error (self->run_settings);
  g_autoptr(GError) error = NULL;

  /* A wrong limit is marked where it was typed, in the words of its field (the settings pane
   * may be hidden), and the mark goes as soon as it is fixed: no toast that outlives it. */
  _pm_window_mark_limit (self, limit_error);
  if (limit_error != NULL)
    {
      _pm_window_update_header (self);
      return;
    }
  if (self->pool == NULL || pm_pool_get_state (self->pool) == PM_POOL_STATE_READ_ONLY ||
      pm_pool_get_state (self->pool) == PM_POOL_STATE_FINISHED)
    {
      _pm_window_update_header (self);
      return;
    }
  if (!pm_pool_set_max_workers (self->pool, limit, &error))
    _pm_window_toast (self, error->message);
}

static void
open_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  _pm_window_open_dialog (user_data);
}

static void
save_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  _pm_window_save_dialog (user_data);
}

typedef gboolean (*JobOp) (PmPool *, PmJob *, GError **);

static void
job_op (PmWindow *self,
        JobOp     op)
{
  g_autoptr(GError) error = NULL;

  if (self->pool == NULL || self->selected == NULL)
    return;
  if (!op (self->pool, self->selected, &error))
    _pm_window_toast (self, error->message);
}

static void
job_terminate_action_cb (GSimpleAction *a, GVariant *p, gpointer self)
{
  job_op (self, pm_pool_terminate_job);
}

static void
job_kill_action_cb (GSimpleAction *a, GVariant *p, gpointer self)
{
  job_op (self, pm_pool_kill_job);
}

static void
job_pause_action_cb (GSimpleAction *a, GVariant *p, gpointer self)
{
  job_op (self, pm_pool_pause_job);
}

static void
job_resume_action_cb (GSimpleAction *a, GVariant *p, gpointer self)
{
  job_op (self, pm_pool_resume_job);
}

static void
job_rerun_action_cb (GSimpleAction *a, GVariant *p, gpointer user_data)
{
  PmWindow *self = user_data;

  /* A finished run starts again: record it again. */
  if (self->pool != NULL && !pm_pool_is_active (self->pool))
    _pm_window_autosave_begin (self);
  job_op (self, pm_pool_retry_job);
}

static gboolean
job_needs_rerun (PmJob *job)
{
  switch (pm_job_get_state (job))
    {
    case PM_JOB_STATE_FAILED:
    case PM_JOB_STATE_KILLED:
    case PM_JOB_STATE_TIMED_OUT:
    case PM_JOB_STATE_FAILED_TO_START:
    case PM_JOB_STATE_CANCELLED:
      return TRUE;
    case PM_JOB_STATE_QUEUED:
    case PM_JOB_STATE_RUNNING:
    case PM_JOB_STATE_PAUSED:
    case PM_JOB_STATE_SUCCEEDED:
    default:
      return FALSE;
    }
}

/* As GNU parallel's --resume-failed: every job that did not succeed runs again, as its next
 * attempt, in the same run; the ones a Stop cancelled too, as --resume would run them. */
static void
rerun_failed_action_cb (GSimpleAction *a,
                        GVariant      *p,
                        gpointer       user_data)
{
  PmWindow *self = user_data;
  g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *jobs;
  guint n;

  if (self->pool == NULL || pm_pool_get_state (self->pool) != PM_POOL_STATE_FINISHED)
    return;

  jobs = G_LIST_MODEL (self->pool);
  n = g_list_model_get_n_items (jobs);
  for (guint i = 0; i < n; i++)
    {
      PmJob *job = g_list_model_get_item (jobs, i);

      if (job_needs_rerun (job))
        g_ptr_array_add (failed, job);
      else
        g_object_unref (job);
    }
  if (failed->len == 0)
    return;

  /* Before the first retry starts the pool again, so that the logs hold every attempt. */
  _pm_window_autosave_begin (self);
  for (guint i = 0; i < failed->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!pm_pool_retry_job (self->pool, failed->pdata[i], &error))
        {
          _pm_window_toast (self, error->message);
          break;
        }
    }
}

static void
open_recorded_action_cb (GSimpleAction *a, GVariant *p, gpointer self)
{
  _pm_window_open_recorded_dialog (self);
}

static const int signal_numbers[] = {
  SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2, SIGSTOP, SIGCONT, SIGALRM,
};

static void
signal_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    PmWindow         *self)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (adw_message_dialog_get_extra_child (dialog));
  PmJob *job = g_object_get_data (G_OBJECT (dialog), "pm-job");
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "send") || selected >= G_N_ELEMENTS (signal_numbers) ||
      self->pool == NULL)
    return;
  if (!pm_pool_signal_job (self->pool, job, signal_numbers[selected], &error))
    _pm_window_toast (self, error->message);
}

static void
job_signal_action_cb (GSimpleAction *a,
                      GVariant      *p,
                      gpointer       user_data)
{
  PmWindow *self = user_data;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GtkWidget *dropdown;

  if (self->selected == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (signal_numbers); i++)
    {
      g_autofree char *name = g_strdup_printf ("SIG%s (%d)", sigabbrev_np (signal_numbers[i]),
                                               signal_numbers[i]);
      gtk_string_list_append (names, name);
    }

  heading = g_strdup_printf (_("Send a Signal to “%s”"), pm_job_get_name (self->selected));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The signal goes to the job’s whole process group."));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Signal"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), dropdown);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "send", _("_Send"), NULL);

  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "send");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pm-job", g_object_ref (self->selected),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (signal_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   PmWindow         *self)
{
  if (!g_str_equal (response, "close"))
    return;
  self->close_confirmed = TRUE;
  if (self->pool != NULL && pm_pool_is_active (self->pool))
    pm_pool_stop (self->pool);
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * _pm_window_confirm_close:
 * @self: a #PmWindow
 *
 * Closing ends the jobs of a run that is still going: as GNOME Console does for its running
 * commands, the window asks first.
 *
 * Returns: %TRUE if the window asks, and must stay open for now
 */
gboolean
_pm_window_confirm_close (PmWindow *self)
{
  g_autofree char *body = NULL;
  g_autofree char *running = NULL;
  g_autofree char *waiting = NULL;
  GtkWidget *dialog;
  guint n_running, n_queued;

  if (self->close_confirmed || self->pool == NULL || !pm_pool_is_active (self->pool))
    return FALSE;
  if (self->close_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->close_dialog));
      return TRUE;
    }

  n_running = pm_pool_get_n_running (self->pool);
  n_queued = pm_pool_get_n_queued (self->pool);
  /* Each count gets its own plural form. */
  running = g_strdup_printf (ngettext ("%u job is running", "%u jobs are running", n_running),
                             n_running);
  waiting = g_strdup_printf (ngettext ("%u waiting", "%u waiting", n_queued), n_queued);
  /* Translators: the first %s is "N jobs are running", the second "N waiting". */

  body = g_strdup_printf (_("%s and %s. Closing the window ends them; every job that finished "
                            "is kept in the recorded run."), running, waiting);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("End the Run and Close?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "close", _("_End Run and Close"),

                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
  self->close_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->close_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static const GActionEntry win_actions[] = {
  { "start", start_action_cb },
  { "stop", stop_action_cb },
  { "limit-up", limit_up_action_cb },
  { "limit-down", limit_down_action_cb },
  { "open", open_action_cb },
  { "save", save_action_cb },
  { "job-terminate", job_terminate_action_cb },
  { "job-kill", job_kill_action_cb },
  { "job-pause", job_pause_action_cb },
  { "job-resume", job_resume_action_cb },
  { "job-signal", job_signal_action_cb },
  { "job-rerun", job_rerun_action_cb },
  { "rerun-failed", rerun_failed_action_cb },
  { "open-recorded", open_recorded_action_cb },
};

void
_pm_window_add_actions (PmWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
}
