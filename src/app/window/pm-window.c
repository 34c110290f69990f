/* pm-window.c
 *
 * The window holds no process state of its own: the pool (a GListModel of PmJob) is shown as
 * it is by the job list, the timeline and the header, and every command is a window action
 * that asks the pool. While the pool is active, one tick on the live beat (pm-live.h)
 * refreshes the header and what changes with time alone (elapsed times, CPU and memory, the
 * ETA).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-job-details.h"
#include "pm-live.h"
#include "pm-timeline-cores.h"
#include "pm-util.h"
#include "pm-window-private.h"

#define HEADER_EVERY_MS   100
/* While a run is active: times every other live beat (pm-live.h), CPU and memory every tenth */
#define TIMES_EVERY_BEATS 2
#define STATS_EVERY_BEATS 10
/* and each CPU's use, for the timeline's strip, every fifth */
#define CORES_EVERY_BEATS 5
#define NOTIFY_AFTER_USEC (10 * G_USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (PmWindow, pm_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const filter_ids[] = {
  "all", "queued", "running", "finished", "succeeded", "unsuccessful",
};

static void
set_action_enabled (PmWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_pm_window_update_actions (PmWindow *self)
{
  PmPoolState state = self->pool ? pm_pool_get_state (self->pool) : PM_POOL_STATE_IDLE;
  gboolean active = self->pool && pm_pool_is_active (self->pool);
  gboolean writable = self->pool && state != PM_POOL_STATE_READ_ONLY;
  PmJob *job = self->selected;
  PmJobState job_state = job ? pm_job_get_state (job) : PM_JOB_STATE_QUEUED;
  gboolean live = job && pm_job_state_is_live (job_state);
  /* a job whose files are still on their way can be ended too (it is cancelled) */
  gboolean endable = live || (job && self->pool && pm_pool_job_awaits_files (self->pool, job));

  set_action_enabled (self, "start", !active && self->settings_valid);
  set_action_enabled (self, "stop", state == PM_POOL_STATE_RUNNING ||
                                    state == PM_POOL_STATE_DRAINING);
  set_action_enabled (self, "save", self->pool != NULL && state != PM_POOL_STATE_IDLE);
  set_action_enabled (self, "job-terminate", writable && endable);
  set_action_enabled (self, "job-kill", writable && endable);
  set_action_enabled (self, "job-signal", writable && live);
  set_action_enabled (self, "job-pause", writable && job_state == PM_JOB_STATE_RUNNING && job);
  set_action_enabled (self, "job-resume", writable && job_state == PM_JOB_STATE_PAUSED && job);
  set_action_enabled (self, "job-rerun", writable && job && pm_job_state_is_finished (job_state));
  set_action_enabled (self, "rerun-failed", state == PM_POOL_STATE_FINISHED &&
                                            (pm_pool_get_n_failed (self->pool) > 0 ||
                                             pm_pool_get_n_cancelled (self->pool) > 0));
  gtk_widget_set_tooltip_text (self->rerun_failed_button,
                               state == PM_POOL_STATE_READ_ONLY
                               ? _("A run opened from a log cannot run again")
                               : _("Run Every Job That Did Not Succeed Again (Ctrl+Shift+R)"));

  gtk_label_set_text_with_mnemonic (self->stop_label,
                                    state == PM_POOL_STATE_DRAINING ? _("_End Jobs") : _("S_top"));

}

/* While the pool is active, what follows the run changes on the live beat, on the same frame
 * as the job list's cells and the timeline: the header's counters. Every other beat, the
 * times that go on by themselves (and the job list's filter) follow on the frame after the
 * beat's: on the beat's own frame, that work made it the longest of the run (44–53 ms against
 * 36–40 ms with the list filtered to running jobs). */
static gboolean
live_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  PmWindow *self = PM_WINDOW (widget);

  if (self->times_due)
    {
      self->times_due = FALSE;
      pm_job_list_tick (self->job_list, self->n_beats % STATS_EVERY_BEATS == TIMES_EVERY_BEATS);
      _pm_window_update_times (self);
    }
  if (!pm_live_period_due (clock, &self->last_beat))
    return G_SOURCE_CONTINUE;

  self->n_beats++;
  if (self->n_beats % CORES_EVERY_BEATS == 0)
    pm_timeline_sample_cores (self->timeline, FALSE);
  if (self->header_stale)
    {
      self->header_stale = FALSE;
      _pm_window_update_header (self);
    }
  self->times_due = self->n_beats % TIMES_EVERY_BEATS == 0;
  return G_SOURCE_CONTINUE;
}

static void
update_tick (PmWindow *self)
{
  gboolean active = self->pool && pm_pool_is_active (self->pool);

  if (active && self->live_tick_id == 0)
    {
      self->n_beats = self->progress_beat = 0;
      pm_timeline_sample_cores (self->timeline, FALSE);
      self->live_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), live_tick_cb,
                                                         NULL, NULL);
    }
  else if (!active && self->live_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->live_tick_id);
      self->live_tick_id = 0;
      pm_timeline_sample_cores (self->timeline, TRUE);
      self->header_stale = FALSE;
      self->times_due = FALSE;
      pm_job_list_tick (self->job_list, FALSE);
    }
}

static void
notify_finished (PmWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  g_autofree char *elapsed = NULL;
  guint n_jobs = g_list_model_get_n_items (G_LIST_MODEL (self->pool));
  guint n_failed = pm_pool_get_n_failed (self->pool);

  if (app == NULL || gtk_window_is_active (GTK_WINDOW (self)) ||
      pm_pool_get_elapsed (self->pool) < NOTIFY_AFTER_USEC)
    return;

  elapsed = _pm_window_format_seconds (pm_pool_get_elapsed (self->pool) / (double)G_USEC_PER_SEC);
  if (n_failed > 0)
    /* Translators: "12 jobs in 1 min 05 s: 3 did not succeed" */
    body = g_strdup_printf (ngettext ("%u job in %s: %u did not succeed",
                                      "%u jobs in %s: %u did not succeed", n_jobs),
                            n_jobs, elapsed, n_failed);
  else
    body = g_strdup_printf (ngettext ("%u job in %s, succeeded", "%u jobs in %s, all succeeded",
                                      n_jobs), n_jobs, elapsed);

  notification = g_notification_new (_("Run Finished"));
  g_notification_set_body (notification, body);
  g_application_send_notification (app, "run-finished", notification);
}

static gboolean
header_cb (gpointer user_data)
{
  PmWindow *self = user_data;

  self->header_source = 0;
  _pm_window_update_header (self);
  return G_SOURCE_REMOVE;
}

/* A source that stopped before its end (a read error, or more jobs than a run in the window
 * holds) is said in a dialog, once: a preview made again from the same file says nothing new. */
static void
say_source_error (PmWindow *self)
{
  const GError *error = pm_pool_get_source_error (self->pool);
  g_autofree char *body = NULL;

  if (error == NULL || g_strcmp0 (error->message, self->source_error_said) == 0)
    return;
  g_free (self->source_error_said);
  self->source_error_said = g_strdup (error->message);
  body = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE)
         ? g_strdup_printf (_("%s. A run in the window holds no more; pool-run runs any "
                              "number."), error->message)
         : g_strdup (error->message);
  _pm_window_show_error (self, _("Not Every Job Was Read"), body);
}

static void
pool_notify_cb (PmWindow   *self,
                GParamSpec *pspec)
{
  /* Counters change with every job that starts or ends, thousands of times a second in a run
   * of short jobs: the header follows them on the live beat while the run is active, and at
   * most ten times a second otherwise. */
  if (g_str_equal (pspec->name, "state") || g_str_equal (pspec->name, "max-workers"))
    {
      g_clear_handle_id (&self->header_source, g_source_remove);
      _pm_window_update_header (self);
    }
  else if (self->live_tick_id != 0)
    {
      self->header_stale = TRUE;
    }
  else if (self->header_source == 0)
    {
      self->header_source = g_timeout_add (HEADER_EVERY_MS, header_cb, self);
    }

  /* A preview's rows are made in batches: its line counts them as they come. */
  if (g_str_equal (pspec->name, "state") || g_str_equal (pspec->name, "max-workers") ||
      (g_str_equal (pspec->name, "n-jobs") && pm_pool_get_state (self->pool) == PM_POOL_STATE_IDLE))
    _pm_window_update_lesson (self);
  if (g_str_equal (pspec->name, "n-jobs"))
    say_source_error (self);
  if (g_str_equal (pspec->name, "state"))
    {
      /* A run going again (a re-run of some of its jobs) is no longer the stopped one. */
      if (pm_pool_get_state (self->pool) == PM_POOL_STATE_RUNNING)
        self->stopped = FALSE;
      _pm_window_update_actions (self);
      update_tick (self);
      _pm_window_bench_follow_pool (self);
      if (pm_pool_get_state (self->pool) == PM_POOL_STATE_FINISHED)
        {
          _pm_window_autosave_end (self);
          notify_finished (self);
          _pm_window_quit_if_asked (self);
        }
    }
}

static void
pool_job_finished_cb (PmWindow *self,
                      PmJob    *job)
{
  if (pm_job_get_state (job) != PM_JOB_STATE_CANCELLED && pm_job_get_runtime (job) >= 0)
    {
      self->runtime_sum += pm_job_get_runtime (job);
      self->runtime_n++;
    }
}

/* A run read from a log shows its own limit, which nothing can change; otherwise the Limit
 * field is the settings' (the next run's, or the live run's). */
static void
show_limit_of (PmWindow *self,
               PmPool   *pool)
{
  gboolean read_only = pool != NULL && pm_pool_get_state (pool) == PM_POOL_STATE_READ_ONLY;
  GtkWidget *spin = GTK_WIDGET (self->limit_spin);
  gboolean bound = g_object_get_data (G_OBJECT (spin), "pm-unbound") == NULL;

  if (self->settings == NULL)
    return;
  if (read_only)
    {
      if (bound)
        g_settings_unbind (spin, "value");
      g_object_set_data (G_OBJECT (spin), "pm-unbound", GINT_TO_POINTER (1));
      gtk_spin_button_set_value (self->limit_spin, pm_pool_get_max_workers (pool));
      gtk_widget_set_sensitive (spin, FALSE);
    }
  else if (!bound)
    {
      g_object_set_data (G_OBJECT (spin), "pm-unbound", NULL);
      g_settings_bind (self->settings, "limit", spin, "value", G_SETTINGS_BIND_DEFAULT);
      gtk_widget_set_sensitive (spin, TRUE);
    }
}

/**
 * _pm_window_set_pool:
 * @self: a #PmWindow
 * @pool: (nullable): the run to show
 * @origin: (nullable): the file it was read from
 *
 * Shows @pool in the header, the timeline, the job list and the details.
 */
void
_pm_window_set_pool (PmWindow   *self,
                     PmPool     *pool,
                     const char *origin)
{
  if (self->pool != NULL)
    {
      g_clear_signal_handler (&self->pool_notify_id, self->pool);
      g_clear_signal_handler (&self->pool_finished_id, self->pool);
    }
  if (pool != self->pool)
    {
      _pm_window_autosave_end (self);
      g_clear_pointer (&self->autosave_path, g_free);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), NULL);
    }
  if (pool != self->pool)
    {
      self->stopped = FALSE;
      g_clear_pointer (&self->opened_path, g_free);
    }
  g_set_object (&self->pool, pool);
  g_free (self->origin);
  self->origin = g_strdup (origin);
  self->runtime_sum = 0;
  self->runtime_n = 0;

  if (pool != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (pool));

      self->pool_notify_id = g_signal_connect_swapped (pool, "notify",
                                                       G_CALLBACK (pool_notify_cb), self);
      self->pool_finished_id = g_signal_connect_swapped (pool, "job-finished",
                                                         G_CALLBACK (pool_job_finished_cb), self);
      for (guint i = 0; i < n && pm_pool_get_n_done (pool) > 0; i++)
        {
          g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
          if (pm_job_state_is_finished (pm_job_get_state (job)))
            pool_job_finished_cb (self, job);
        }
    }

  show_limit_of (self, pool);
  if (pool != NULL)
    g_clear_pointer (&self->open_failure, g_free);
  self->replace_confirmed = FALSE;
  pm_job_list_set_pool (self->job_list, pool);
  pm_timeline_set_pool (self->timeline, pool);
  pm_job_details_set_job (self->job_details, NULL, NULL);
  pm_job_details_prepare (self->job_details, pool);
  gtk_stack_set_visible_child_name (self->list_stack, pool ? "jobs" : "empty");

  _pm_window_update_header (self);
  _pm_window_update_actions (self);
  _pm_window_update_lesson (self);
  update_tick (self);
  _pm_window_bench_follow_pool (self);
}


static void
selected_job_state_cb (PmWindow *self)
{
  _pm_window_update_actions (self);
}

static void
selected_job_cb (PmWindow *self)
{
  PmJob *job = pm_job_list_get_selected_job (self->job_list);

  if (job == self->selected)
    return;
  if (self->selected != NULL)
    {
      g_clear_signal_handler (&self->selected_notify_id, self->selected);
      g_clear_signal_handler (&self->selected_slot_id, self->selected);
    }
  g_set_object (&self->selected, job);
  if (job != NULL)
    {
      self->selected_notify_id = g_signal_connect_swapped (job, "notify::state",
                                                           G_CALLBACK (selected_job_state_cb),
                                                           self);
      /* a lane taken while its files go there: Kill applies */
      self->selected_slot_id = g_signal_connect_swapped (job, "notify::slot",
                                                         G_CALLBACK (selected_job_state_cb),
                                                         self);
    }
  pm_job_details_set_job (self->job_details, self->pool, job);
  pm_timeline_set_selected_job (self->timeline, job);
  _pm_window_layout_selection_changed (self);
  _pm_window_update_actions (self);
}

static void
timeline_job_activated_cb (PmWindow *self,
                           PmJob    *job)
{
  pm_job_list_select_job (self->job_list, job);
  /* A bar activated on a folded window: its details are the page to see. */
  if (adw_leaflet_get_folded (self->leaflet))
    g_action_group_activate_action (G_ACTION_GROUP (self), "show-details", NULL);
}

/* What shows instead of the list when there is no run to show: the run Start would start,
 * or, when the settings are wrong, what to fix. */
void
_pm_window_update_empty_page (PmWindow *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "mode");
  gboolean valid = pm_run_settings_validate (self->run_settings);
  g_autofree char *errors = _pm_run_settings_dup_errors (self->run_settings);
  g_autofree char *description = NULL;
  guint count = g_settings_get_uint (self->settings, "count");
  guint limit = g_settings_get_uint (self->settings, "limit");

  g_strchomp (errors);
  if (valid != self->settings_valid)
    {
      self->settings_valid = valid;
      _pm_window_update_actions (self);
    }
  if (self->open_failure != NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->empty_page, _("Nothing Could Be Opened"));
      adw_status_page_set_description (self->empty_page, self->open_failure);
      return;
    }
  if (errors[0] != '\0')
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->empty_page, _("The Run Settings Need Fixing"));
      adw_status_page_set_description (self->empty_page, errors);
      return;
    }

  if (g_str_equal (mode, "demo"))
    description = g_strdup_printf (_("%u demo workers, %u at a time: each prints, sleeps "
                                   "%g–%g s and prints again"), count, limit,
                                   g_settings_get_double (self->settings, "sleep-min"),
                                   g_settings_get_double (self->settings, "sleep-max"));
  else
    description = g_strdup_printf (_("A command template, %u at a time"), limit);
  adw_status_page_set_icon_name (self->empty_page, "media-playback-start-symbolic");
  adw_status_page_set_title (self->empty_page, _("Ready to Run"));
  adw_status_page_set_description (self->empty_page, description);
}

/**
 * _pm_window_show_open_failure:
 * @self: a #PmWindow
 * @message: why the files did not open
 *
 * Shows no run, and @message in its place, until the settings change (then the run they
 * describe) or a run starts.
 */
void
_pm_window_show_open_failure (PmWindow   *self,
                              const char *message)
{
  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_free (self->open_failure);
  self->open_failure = g_strdup (message);
  _pm_window_set_pool (self, NULL, NULL);
  _pm_window_update_empty_page (self);
  adw_window_title_set_subtitle (self->window_title, _("Nothing opened"));
}

static void
settings_changed_cb (PmWindow   *self,
                     const char *key)
{
  if (self->open_failure != NULL && !g_str_has_prefix (key, "window-") &&
      !g_str_equal (key, "show-settings") && !g_str_equal (key, "timeline-height"))
    g_clear_pointer (&self->open_failure, g_free);
  if (g_str_equal (key, "limit"))
    _pm_window_limit_changed (self);
  /* The timeline's height is written while the window is laid out (a smaller window moves the
   * pane's handle): what it does not change is not redone then, which would lay out again
   * widgets already laid out for this frame ("snapshot without a current allocation"). */
  if (g_str_has_prefix (key, "window-") || g_str_equal (key, "show-settings") ||
      g_str_equal (key, "timeline-height"))
    return;
  _pm_window_update_empty_page (self);
  if (!g_str_has_prefix (key, "window-") && !g_str_equal (key, "show-settings") &&
      !g_str_equal (key, "timeline-height") && !g_str_equal (key, "state-filter"))
    _pm_window_schedule_preview (self);
}

static gboolean
filter_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (filter_ids); i++)
    if (g_str_equal (id, filter_ids[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
filter_set_mapping (const GValue       *value,
                    const GVariantType *type,
                    gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return g_variant_new_string (i < G_N_ELEMENTS (filter_ids) ? filter_ids[i] : "all");
}

static void
pm_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  GTK_WIDGET_CLASS (pm_window_parent_class)->size_allocate (widget, width, height, baseline);
  _pm_window_layout_allocated (PM_WINDOW (widget), width);
}

static gboolean
pm_window_close_request (GtkWindow *window)
{
  PmWindow *self = PM_WINDOW (window);
  int width, height;

  if (_pm_window_confirm_close (self))
    return TRUE;

  gtk_window_get_default_size (window, &width, &height);
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (pm_window_parent_class)->close_request (window);
}

static void
pm_window_constructed (GObject *object)
{
  PmWindow *self = PM_WINDOW (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GAction) show_settings = NULL;

  G_OBJECT_CLASS (pm_window_parent_class)->constructed (object);

  self->settings = PM_IS_APPLICATION (app)
    ? g_object_ref (pm_application_get_settings (PM_APPLICATION (app)))
    : pm_settings_new ();

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  pm_run_settings_set_settings (self->run_settings, self->settings);
  g_settings_bind (self->settings, "limit", self->limit_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-settings", self->flap, "reveal-flap",
                   G_SETTINGS_BIND_DEFAULT);
  /* Read here; saved by pm-window-layout.c when the user moves the handle */
  g_settings_bind (self->settings, "timeline-height", self->vpaned, "position",
                   G_SETTINGS_BIND_GET);
  _pm_window_layout_share_height (self);
  g_settings_bind (self->settings, "state-filter", self->job_list, "state-filter",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "state-filter", self->filter_dropdown,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                filter_get_mapping, filter_set_mapping, NULL, NULL);
  show_settings = g_settings_create_action (self->settings, "show-settings");
  g_action_map_add_action (G_ACTION_MAP (self), show_settings);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);

  _pm_window_update_empty_page (self);
  _pm_window_update_header (self);
  _pm_window_update_actions (self);
  _pm_window_update_preview (self);
}

static void
pm_window_dispose (GObject *object)
{
  PmWindow *self = PM_WINDOW (object);

  /* A settings action lives on while its settings change; take it out of the map first. */
  g_action_map_remove_action (G_ACTION_MAP (self), "show-settings");
  /* The children go before the window: nothing they emit on the way reaches it. */
  if (self->job_list != NULL)
    {
      g_signal_handlers_disconnect_by_data (_pm_job_list_get_selection (self->job_list), self);
      g_signal_handlers_disconnect_by_data (self->job_list, self);
    }
  if (self->timeline != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->timeline, self);
    }

  if (self->close_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->close_dialog), (gpointer *)&self->close_dialog);
      gtk_window_destroy (GTK_WINDOW (self->close_dialog));
      self->close_dialog = NULL;
    }

  /* The jobs of a closed window end with it (and with the process, by PDEATHSIG). */
  if (self->pool != NULL && pm_pool_is_active (self->pool))
    pm_pool_stop (self->pool);
  if (self->live_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->live_tick_id);
  self->live_tick_id = 0;
  g_clear_handle_id (&self->header_source, g_source_remove);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  g_clear_handle_id (&self->paned_source, g_source_remove);
  g_clear_handle_id (&self->details_source, g_source_remove);
  if (self->selected != NULL)
    {
      g_clear_signal_handler (&self->selected_notify_id, self->selected);
      g_clear_signal_handler (&self->selected_slot_id, self->selected);
    }
  g_clear_object (&self->selected);
  if (self->pool != NULL)
    {
      g_clear_signal_handler (&self->pool_notify_id, self->pool);
      g_clear_signal_handler (&self->pool_finished_id, self->pool);
    }
  _pm_window_autosave_end (self);
  g_clear_object (&self->pool);
  /* The content is a bound template child: unparent it here, not twice. */
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PM_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pm_window_parent_class)->dispose (object);
}

static void
pm_window_finalize (GObject *object)
{
  PmWindow *self = PM_WINDOW (object);

  g_free (self->origin);
  g_free (self->opened_path);
  g_free (self->autosave_path);
  g_free (self->open_failure);
  g_free (self->source_error_said);

  G_OBJECT_CLASS (pm_window_parent_class)->finalize (object);
}

static void
pm_window_class_init (PmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pm_window_constructed;
  object_class->dispose = pm_window_dispose;
  object_class->finalize = pm_window_finalize;
  window_class->close_request = pm_window_close_request;
  widget_class->size_allocate = pm_window_size_allocate;

  g_type_ensure (PM_TYPE_RUN_SETTINGS);
  g_type_ensure (PM_TYPE_JOB_LIST);
  g_type_ensure (PM_TYPE_JOB_DETAILS);
  g_type_ensure (PM_TYPE_TIMELINE);
  g_type_ensure (PM_TYPE_LESSON_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/poolmonitor/PoolMonitor/ui/"
                                               "pm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, stop_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, rerun_failed_button);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, limit_spin);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, running_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, queued_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, done_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, failed_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, cancelled_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, eta_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, run_settings);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, vpaned);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, rows_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, job_list);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, job_details);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, start_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, rerun_failed_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, limit_label);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, limit_button);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, limit_popover_spin);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, details_pane);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, details_back);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, sort_button);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, lesson_bar);
  gtk_widget_class_bind_template_child (widget_class, PmWindow, lesson_preview);
}

static void
pm_window_init (PmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  _pm_window_add_actions (self);
  _pm_window_add_lesson_actions (self);
  _pm_window_setup_layout (self);
  g_signal_connect_object (self->job_list, "notify::selected-job",
                           G_CALLBACK (selected_job_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "job-activated",
                           G_CALLBACK (timeline_job_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (_pm_job_list_get_selection (self->job_list), "items-changed",
                           G_CALLBACK (_pm_window_update_header), self, G_CONNECT_SWAPPED);
}

PmWindow *
pm_window_new (PmApplication *application)
{
  return g_object_new (PM_TYPE_WINDOW, "application", application, NULL);
}

/**
 * pm_window_get_pool:
 * @self: a #PmWindow
 *
 * Returns: (transfer none) (nullable): the run the window shows
 */
PmPool *
pm_window_get_pool (PmWindow *self)
{
  g_return_val_if_fail (PM_IS_WINDOW (self), NULL);
  return self->pool;
}

GSettings *
_pm_window_get_settings (PmWindow *self)
{
  return self->settings;
}

PmJobList *
_pm_window_get_job_list (PmWindow *self)
{
  return self->job_list;
}

PmRunSettings *
_pm_window_get_run_settings (PmWindow *self)
{
  return self->run_settings;
}

PmTimeline *
_pm_window_get_timeline (PmWindow *self)
{
  return self->timeline;
}

void
_pm_window_toast (PmWindow   *self,
                  const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_pm_window_show_error (PmWindow   *self,
                       const char *heading,
                       const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
