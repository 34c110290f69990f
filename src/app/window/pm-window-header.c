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
#define ESTIMATE_SCAN_MAX    10000

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

/* A job's expected runtime in seconds: its planned sleep where the run knows it, else the
 * mean of the jobs that finished; -1 when neither is known. */
static double
expected_runtime (PmJob  *job,
                  double  mean)
{
  double planned = pm_job_get_planned (job);

  return planned >= 0 ? planned : mean;
}

/**
 * _pm_window_estimate_left:
 * @self: a #PmWindow
 *
 * What is left of the run, in seconds, from what is known: each running job's expected
 * runtime less its elapsed time, each queued job's expected runtime, spread over the limit
 * (and never less than the longest running job has left). The queued jobs come from the
 * pool's sums, not one by one: looking at each of 10,000 jobs on every other beat took 7% of
 * the main thread's CPU in a 10,000-job run (perf). Past ESTIMATE_SCAN_MAX jobs, from
 * the mean runtime and the counts alone.
 *
 * Returns: the estimate, or -1 when it cannot be known (a job's runtime unknown, no run
 *   going on)
 */
double
_pm_window_estimate_left (PmWindow *self)
{
  g_autoptr(GPtrArray) running = NULL;
  PmPoolState state;
  guint limit, n_unplanned;
  double mean, work, longest = 0;

  if (self->pool == NULL)
    return -1;
  state = pm_pool_get_state (self->pool);
  if (state != PM_POOL_STATE_RUNNING && state != PM_POOL_STATE_DRAINING)
    return -1;

  limit = MAX (pm_pool_get_max_workers (self->pool), 1);
  mean = self->runtime_n > 0 ? self->runtime_sum / (double)self->runtime_n / G_USEC_PER_SEC
                             : -1;
  /* A long run: the mean over the queue and half of what runs. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->pool)) > ESTIMATE_SCAN_MAX)
    return mean < 0 ? -1 : mean * (pm_pool_get_n_queued (self->pool) +
                                   pm_pool_get_n_running (self->pool) / 2.0) / limit;

  work = pm_pool_get_queued_planned (self->pool, &n_unplanned);
  if (n_unplanned > 0)
    {
      if (mean < 0)
        return -1;
      work += n_unplanned * mean;
    }
  /* With a slot: running, or sent to it and not started yet (then still queued). */
  running = pm_pool_dup_running_jobs (self->pool);
  for (guint i = 0; i < running->len; i++)
    {
      PmJob *job = g_ptr_array_index (running, i);
      PmJobState job_state = pm_job_get_state (job);
      double expected;

      if (job_state != PM_JOB_STATE_QUEUED && !pm_job_state_is_live (job_state))
        continue;
      if ((expected = expected_runtime (job, mean)) < 0)
        return -1;
      if (job_state == PM_JOB_STATE_QUEUED)
        work += expected;
      else
        {
          gint64 runtime = pm_job_get_runtime (job);
          double left = MAX (expected - MAX (runtime, 0) / (double)G_USEC_PER_SEC, 0);

          work += left;
          longest = MAX (longest, left);
        }
    }
  return MAX (longest, work / limit);
}

void
_pm_window_update_times (PmWindow *self)
{
  g_autofree char *elapsed = NULL;
  g_autofree char *left_text = NULL;
  g_autofree char *eta = NULL;
  gboolean more;
  double left;

  if (self->pool == NULL)
    {
      gtk_inscription_set_text (self->elapsed_label, "—");
      gtk_inscription_set_text (self->eta_label, "—");
      return;
    }

  elapsed = pm_pool_get_start_time (self->pool) > 0
    ? _pm_window_format_seconds (pm_pool_get_elapsed (self->pool) / (double)G_USEC_PER_SEC)
    : g_strdup ("—");
  gtk_inscription_set_text (self->elapsed_label, elapsed);

  /* Once the run is over there is nothing to estimate: "—", as when it cannot be known. While
   * a FIFO may still bring jobs, what is known is a least: "≥ 12 s", and "—" when that is
   * nothing. */
  left = _pm_window_estimate_left (self);
  _pm_window_count_jobs (self, &more);
  if (left >= 0 && !(more && left < 0.05))
    {
      left_text = _pm_window_format_seconds (left);
      eta = g_strdup_printf (more ? "≥ %s" : "≈ %s", left_text);
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
  const char *tooltip = state == PM_POOL_STATE_READ_ONLY
    ? _("The Limit of the Recorded Run (the Next Run’s Is in the Run Settings)")
    : state == PM_POOL_STATE_FINISHED
    ? _("Jobs That Run at Once in the Next Run (Ctrl+Plus, Ctrl+Minus)")
    : _("Jobs That Run at Once (Ctrl+Plus, Ctrl+Minus)");

  if (gtk_widget_has_css_class (GTK_WIDGET (self->limit_spin), "error"))
    return;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->limit_spin)), tooltip) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->limit_spin), tooltip);
}

/* How the shown run ended, in a few words: "Finished", "Finished: 2 jobs did not succeed",
 * "Stopped: 8 jobs cancelled", "Stopped by the halt policy: …". */
char *
_pm_window_dup_end_text (PmWindow *self)
{
  guint n_failed = pm_pool_get_n_failed (self->pool);
  guint n_cancelled = pm_pool_get_n_cancelled (self->pool);
  g_autoptr(GString) text = g_string_new (NULL);

  if (pm_pool_get_halted (self->pool))
    g_string_append (text, _("Stopped by the halt policy"));
  else if (self->stopped || n_cancelled > 0)
    g_string_append (text, _("Stopped"));
  else
    g_string_append (text, _("Finished"));

  if (n_cancelled > 0)
    {
      g_string_append (text, ": ");
      g_string_append_printf (text, ngettext ("%u job cancelled", "%u jobs cancelled",
                                              n_cancelled), n_cancelled);
    }
  if (n_failed > 0)
    {
      g_string_append (text, n_cancelled > 0 ? ", " : ": ");
      g_string_append_printf (text, ngettext ("%u did not succeed", "%u did not succeed",
                                              n_failed), n_failed);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The jobs of the run shown: all of them once known (a count's before all its rows are made),
 * else those made so far, with *@more set while the source may still make some (a FIFO whose
 * writer has not closed it, or one a preview does not read). */
guint
_pm_window_count_jobs (PmWindow *self,
                       gboolean *more)
{
  PmPoolState state = pm_pool_get_state (self->pool);
  gint64 total = pm_pool_get_n_total (self->pool);

  *more = (total < 0 && (state == PM_POOL_STATE_IDLE || state == PM_POOL_STATE_RUNNING)) ||
          _pm_window_previews_stream (self);
  return total >= 0 ? (guint)total : pm_pool_get_n_jobs (self->pool);
}

void
_pm_window_update_header (PmWindow *self)
{
  PmPool *pool = self->pool;
  g_autofree char *running = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *ended = NULL;
  guint n_jobs, n_rows, n_done, n_cancelled, n_shown;
  gboolean more;
  PmPoolState state;
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
      set_text_uint (self->cancelled_label, 0);
      set_progress (self, 0, 0);
      gtk_inscription_set_text (self->rows_label, "");
      adw_window_title_set_subtitle (self->window_title, _("Ready"));
      update_limit_tooltip (self);
      _pm_window_update_times (self);
      return;
    }

  state = pm_pool_get_state (pool);
  n_jobs = _pm_window_count_jobs (self, &more);
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (pool));
  n_done = pm_pool_get_n_done (pool);
  n_cancelled = pm_pool_get_n_cancelled (pool);
  running = g_strdup_printf ("%u / %u", pm_pool_get_n_running (pool),
                             pm_pool_get_max_workers (pool));
  gtk_inscription_set_text (self->running_label, running);
  /* with the jobs of a count or list whose rows are not made yet */
  set_text_uint (self->queued_label,
                 state == PM_POOL_STATE_IDLE || state == PM_POOL_STATE_RUNNING
                   ? pm_pool_get_n_waiting (pool, NULL) : pm_pool_get_n_queued (pool));
  set_text_uint (self->done_label, n_done);
  set_text_uint (self->failed_label, pm_pool_get_n_failed (pool));
  if (pm_pool_get_n_failed (pool) > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->failed_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->failed_label), "error");
  set_text_uint (self->cancelled_label, n_cancelled);

  /* The bar is full once nothing is left to do: cancelled jobs are settled too. */
  if (!set_progress (self, n_done + n_cancelled, n_jobs))
    self->header_stale = TRUE;

  n_shown = g_list_model_get_n_items (G_LIST_MODEL (_pm_job_list_get_selection (self->job_list)));
  if (_pm_window_previews_stream (self))
    rows = g_strdup (_("Jobs come as lines arrive"));
  else if (more)
    rows = n_shown == n_rows
      ? g_strdup_printf (ngettext ("%u job so far, more may come",
                                   "%u jobs so far, more may come", n_jobs), n_jobs)
      : g_strdup_printf (ngettext ("%u of %u job so far, more may come",
                                   "%u of %u jobs so far, more may come", n_jobs),
                         n_shown, n_jobs);
  else
    rows = n_shown == n_rows
      ? g_strdup_printf (ngettext ("%u job", "%u jobs", n_jobs), n_jobs)
      : g_strdup_printf (ngettext ("%u of %u job", "%u of %u jobs", n_jobs), n_shown, n_jobs);
  gtk_inscription_set_text (self->rows_label, rows);

  switch (state)
    {
    case PM_POOL_STATE_IDLE:
      /* The rows are what Start will run; none is queued until then. A FIFO is not read
       * before: that would take its lines. */
      subtitle = _pm_window_previews_stream (self)
        ? _("Preview: Start reads the jobs from the FIFO as its lines arrive")
        : _("Preview: Start runs these jobs");
      break;
    case PM_POOL_STATE_RUNNING:
      subtitle = more ? _("Running; more jobs may come") : _("Running");
      break;
    case PM_POOL_STATE_DRAINING:
      ended = g_strdup_printf (ngettext ("Letting %u running job finish; Stop again to end it",
                                         "Letting %u running jobs finish; Stop again to end "
                                         "them", pm_pool_get_n_running (pool)),
                               pm_pool_get_n_running (pool));
      subtitle = ended;
      break;
    case PM_POOL_STATE_STOPPING:
      subtitle = _("Ending running jobs");
      break;
    case PM_POOL_STATE_FINISHED:
      ended = _pm_window_dup_end_text (self);
      subtitle = ended;
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
  return g_strdup_printf (_("running %s, queued %s, done %s, failed %s, cancelled %s, "
                            "elapsed %s, left %s"),
                          gtk_inscription_get_text (self->running_label),
                          gtk_inscription_get_text (self->queued_label),
                          gtk_inscription_get_text (self->done_label),
                          gtk_inscription_get_text (self->failed_label),
                          gtk_inscription_get_text (self->cancelled_label),
                          gtk_inscription_get_text (self->elapsed_label),
                          gtk_inscription_get_text (self->eta_label));
}

/**
 * _pm_window_mark_limit:
 * @self: a #PmWindow
 * @message: (nullable): what is wrong with the limit, or %NULL
 *
 * Marks the header's limit field as wrong, with @message as its tooltip and description.
 */
void
_pm_window_mark_limit (PmWindow   *self,
                       const char *message)
{
  GtkWidget *spin = GTK_WIDGET (self->limit_spin);

  if (message != NULL)
    {
      gtk_widget_add_css_class (spin, "error");
      gtk_widget_set_tooltip_text (spin, message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else if (gtk_widget_has_css_class (spin, "error"))
    {
      gtk_widget_remove_css_class (spin, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_widget_set_tooltip_text (spin, NULL);
      update_limit_tooltip (self);
    }
}
