/* pm-window-header.c: the header over the run (running / limit, queued, done, failed,
 * elapsed, an estimate of what is left, and the progress bar)
 *
 * While a run is active it follows the live beat (pm-window.c). Its numbers are
 * GtkInscriptions: they have fixed widths, so a change of number only redraws them, where a
 * GtkLabel would lay the whole window out again on every beat.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "pm-util.h"
#include "pm-window-private.h"

#define PROGRESS_EVERY_BEATS 3

char *
_pm_window_format_seconds (double seconds)
{
  if (seconds < 60)
    return g_strdup_printf (_("%.1f s"), seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min %02d s"), (int)seconds / 60, (int)seconds % 60);
  return g_strdup_printf (_("%d h %02d min"), (int)seconds / 3600, (int)seconds / 60 % 60);
}

static void
set_text_uint (GtkInscription *text,
               guint           value)
{
  char buf[16];

  g_snprintf (buf, sizeof buf, "%u", value);
  gtk_inscription_set_text (text, buf);
}

/* What is left, estimated from the finished jobs' mean runtime: the queue and half of what
 * runs, spread over the limit. */
static double
estimate_left (PmWindow *self)
{
  guint limit = pm_pool_get_max_workers (self->pool);
  double mean;

  if (self->runtime_n == 0 || limit == 0)
    return -1;
  mean = self->runtime_sum / (double)self->runtime_n / G_USEC_PER_SEC;
  return mean * (pm_pool_get_n_queued (self->pool) + pm_pool_get_n_running (self->pool) / 2.0) /
         limit;
}

void
_pm_window_update_times (PmWindow *self)
{
  g_autofree char *elapsed = NULL;
  g_autofree char *left_text = NULL;
  g_autofree char *eta = NULL;
  PmPoolState state;
  double left;

  if (self->pool == NULL)
    {
      gtk_inscription_set_text (self->elapsed_label, "—");
      gtk_inscription_set_text (self->eta_label, "—");
      return;
    }

  state = pm_pool_get_state (self->pool);
  elapsed = pm_pool_get_start_time (self->pool) > 0
    ? _pm_window_format_seconds (pm_pool_get_elapsed (self->pool) / (double)G_USEC_PER_SEC)
    : g_strdup ("—");
  gtk_inscription_set_text (self->elapsed_label, elapsed);

  if (state == PM_POOL_STATE_FINISHED || state == PM_POOL_STATE_READ_ONLY)
    eta = g_strdup (_("0 s"));

  else if (state == PM_POOL_STATE_RUNNING && (left = estimate_left (self)) >= 0)
    {
      left_text = _pm_window_format_seconds (left);
      eta = g_strdup_printf ("≈ %s", left_text);
    }
  else
    eta = g_strdup ("—");
  gtk_inscription_set_text (self->eta_label, eta);
}

/* Setting a GtkProgressBar's fraction lays the whole window out again (the header's numbers
 * are GtkInscriptions, which only redraw), and on X11 each layout asks the X server for the
 * monitor's work area, several round trips. So while a run is active the bar moves at most
 * every PROGRESS_EVERY_BEATS live beats, and only by a pixel or more; it always shows the
 * start and the end. FALSE if it was left behind: the caller tries again on a later beat. */
static gboolean
set_progress (PmWindow *self,
              guint     n_done,
              guint     n_jobs)
{
  GtkWidget *bar = GTK_WIDGET (self->progress_bar);
  double fraction = n_jobs ? n_done / (double)n_jobs : 0;
  double shown = gtk_progress_bar_get_fraction (self->progress_bar);
  g_autofree char *text = NULL;

  if (fraction == shown)
    return TRUE;
  if (fraction != 0 && fraction != 1 && self->live_tick_id != 0 &&
      (self->n_beats - self->progress_beat < PROGRESS_EVERY_BEATS ||
       fabs (fraction - shown) * gtk_widget_get_width (bar) < 1))
    return FALSE;

  self->progress_beat = self->n_beats;
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  text = g_strdup_printf (ngettext ("%u of %u job done", "%u of %u jobs done", n_jobs),
                          n_done, n_jobs);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
  return TRUE;
}

/* The limit is the shown run's while it goes on (or is yet to start); once it has ended, or is
 * a saved one, the Limit button sets the next run's, which the header's "running / limit" does
 * not show: the tooltip says so. */
static void
update_limit_tooltip (PmWindow *self)
{
  PmPoolState state = self->pool ? pm_pool_get_state (self->pool) : PM_POOL_STATE_IDLE;
  const char *tooltip = state == PM_POOL_STATE_FINISHED || state == PM_POOL_STATE_READ_ONLY
    ? _("Jobs That Run at Once in the Next Run (Ctrl+Plus, Ctrl+Minus)")
    : _("Jobs That Run at Once (Ctrl+Plus, Ctrl+Minus)");

  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->limit_spin)), tooltip) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->limit_spin), tooltip);
}

void
_pm_window_update_header (PmWindow *self)
{
  PmPool *pool = self->pool;
  g_autofree char *running = NULL;
  g_autofree char *rows = NULL;
  guint n_jobs, n_done, n_shown;
  const char *subtitle;

  if (self->settings == NULL)
    return;
  if (pool == NULL)
    {
      guint limit = g_settings_get_uint (self->settings, "limit");
      running = g_strdup_printf ("0 / %u", limit);
      gtk_inscription_set_text (self->running_label, running);
      set_text_uint (self->queued_label, 0);
      set_text_uint (self->done_label, 0);
      set_text_uint (self->failed_label, 0);
      set_progress (self, 0, 0);
      gtk_inscription_set_text (self->rows_label, "");
      adw_window_title_set_subtitle (self->window_title, _("Ready"));
      update_limit_tooltip (self);
      _pm_window_update_times (self);
      return;
    }

  n_jobs = g_list_model_get_n_items (G_LIST_MODEL (pool));
  n_done = pm_pool_get_n_done (pool);
  running = g_strdup_printf ("%u / %u", pm_pool_get_n_running (pool),
                             pm_pool_get_max_workers (pool));
  gtk_inscription_set_text (self->running_label, running);
  set_text_uint (self->queued_label, pm_pool_get_n_queued (pool));
  set_text_uint (self->done_label, n_done);
  set_text_uint (self->failed_label, pm_pool_get_n_failed (pool));
  if (pm_pool_get_n_failed (pool) > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->failed_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->failed_label), "error");

  if (!set_progress (self, n_done, n_jobs))
    self->header_stale = TRUE;

  n_shown = g_list_model_get_n_items (G_LIST_MODEL (_pm_job_list_get_selection (self->job_list)));
  rows = n_shown == n_jobs
    ? g_strdup_printf (ngettext ("%u job", "%u jobs", n_jobs), n_jobs)
    : g_strdup_printf (ngettext ("%u of %u job", "%u of %u jobs", n_jobs), n_shown, n_jobs);
  gtk_inscription_set_text (self->rows_label, rows);

  switch (pm_pool_get_state (pool))
    {
    case PM_POOL_STATE_IDLE:
      subtitle = _("Ready");
      break;
    case PM_POOL_STATE_RUNNING:
      subtitle = _("Running");
      break;
    case PM_POOL_STATE_DRAINING:
      subtitle = _("Letting running jobs finish, starting no more");
      break;
    case PM_POOL_STATE_STOPPING:
      subtitle = _("Ending running jobs");
      break;
    case PM_POOL_STATE_FINISHED:
      subtitle = _("Finished");
      break;
    case PM_POOL_STATE_READ_ONLY:
    default:
      subtitle = self->origin ? self->origin : _("A saved run");

      break;
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);
  update_limit_tooltip (self);
  _pm_window_update_times (self);
}

char *
_pm_window_dup_header_text (PmWindow *self)
{
  return g_strdup_printf (_("running %s, queued %s, done %s, failed %s, elapsed %s, left %s"),
                          gtk_inscription_get_text (self->running_label),
                          gtk_inscription_get_text (self->queued_label),
                          gtk_inscription_get_text (self->done_label),
                          gtk_inscription_get_text (self->failed_label),
                          gtk_inscription_get_text (self->elapsed_label),
                          gtk_inscription_get_text (self->eta_label));
}
