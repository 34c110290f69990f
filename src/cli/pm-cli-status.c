/* pm-cli-status.c
 *
 * Job output goes to pool-run's stdout and stderr line by line as it comes. The status line
 * goes to stderr: on a terminal it is redrawn in place (cleared before each job line, drawn
 * again after it); on a pipe or file it is a plain line, written at most once a second.
 * When the reader of the output goes away (`pool-run … | head`), writing fails with EPIPE
 * (the pool ignores SIGPIPE): the run ends as after a second interrupt, its logs complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "pm-cli-status.h"
#include "pm-util.h"

#define TTY_REDRAW_USEC  (100 * 1000)
#define PIPE_REDRAW_USEC (1000 * 1000)

struct _PmCliStatus
{
  PmPool   *pool;
  gboolean  quiet;
  gboolean  tty;
  gboolean  drawn;
  gboolean  reader_gone;     /* a write of job output failed with EPIPE */
  gint64    last_draw;
  guint     tick_source;
  guint     idle_source;
  gulong    output_handler;
  gulong    finished_handler;
  gulong    notify_handler;
};

static void
format_status (PmCliStatus *self,
               GString     *out)
{
  PmPool *pool = self->pool;

  g_string_append_printf (out, "running %u/%u · queued %u · done %u · failed %u · elapsed %.1f s",
                          pm_pool_get_n_running (pool), pm_pool_get_max_workers (pool),
                          pm_pool_get_n_queued (pool), pm_pool_get_n_done (pool),
                          pm_pool_get_n_failed (pool), pm_pool_get_elapsed (pool) / 1e6);
}

static void
clear (PmCliStatus *self)
{
  if (self->tty && self->drawn)
    {
      fputs ("\r\033[K", stderr);
      self->drawn = FALSE;
    }
}

static void
draw (PmCliStatus *self,
      gboolean     force)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 now = g_get_monotonic_time ();

  if (!force && now - self->last_draw < (self->tty ? TTY_REDRAW_USEC : PIPE_REDRAW_USEC))
    return;

  self->last_draw = now;
  format_status (self, line);
  if (self->tty)
    {
      clear (self);
      fputs (line->str, stderr);
      self->drawn = TRUE;
    }
  else
    {
      fprintf (stderr, "%s\n", line->str);
    }
  fflush (stderr);
}

static void
job_output_cb (PmCliStatus *self,
               PmJob       *job,
               int          stream,
               const char  *line,
               PmPool      *pool)
{
  FILE *to = stream == PM_OUTPUT_STDERR ? stderr : stdout;

  if (self->reader_gone)
    return;

  clear (self);
  if ((fputs (line, to) < 0 || fputc ('\n', to) < 0 || fflush (to) != 0) && errno == EPIPE)
    {
      self->reader_gone = TRUE;
      clearerr (to);
      pm_cli_status_message (self, "%s was closed: ending the running jobs",
                             to == stdout ? "standard output" : "standard error");
      pm_pool_stop (pool);
      return;
    }
  if (self->tty)
    draw (self, TRUE);
}

static gboolean
idle_draw_cb (gpointer user_data)
{
  PmCliStatus *self = user_data;

  self->idle_source = 0;
  draw (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
job_finished_cb (PmCliStatus *self,
                 PmJob       *job,
                 PmPool      *pool)
{
  if (pm_job_get_state (job) == PM_JOB_STATE_FAILED_TO_START)
    {
      clear (self);
      fprintf (stderr, "pool-run: job %u: %s\n", pm_job_get_seq (job),
               pm_job_get_error_message (job));
    }

  /* Drawn once the pool has refilled the slot, not in between. */
  if (self->idle_source == 0)
    self->idle_source = g_idle_add (idle_draw_cb, self);
}

static void
notify_cb (PmCliStatus *self)
{
  if (self->tty)
    draw (self, FALSE);
}

static gboolean
tick_cb (gpointer user_data)
{
  draw (user_data, TRUE);
  return G_SOURCE_CONTINUE;
}

PmCliStatus *
pm_cli_status_new (PmPool   *pool,
                   gboolean  quiet)
{
  PmCliStatus *self = g_new0 (PmCliStatus, 1);

  self->pool = g_object_ref (pool);
  self->quiet = quiet;
  self->tty = isatty (STDERR_FILENO) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;

  if (!quiet)
    self->output_handler = g_signal_connect_swapped (pool, "job-output",
                                                     G_CALLBACK (job_output_cb), self);
  self->finished_handler = g_signal_connect_swapped (pool, "job-finished",
                                                     G_CALLBACK (job_finished_cb), self);
  self->notify_handler = g_signal_connect_swapped (pool, "notify::n-running",
                                                   G_CALLBACK (notify_cb), self);
  /* Only a terminal shows the elapsed time ticking. */
  if (self->tty)
    self->tick_source = g_timeout_add_seconds (1, tick_cb, self);

  return self;
}

/* A line of our own, such as a note about Ctrl+C, printed above the status line. */
void
pm_cli_status_message (PmCliStatus *self,
                       const char  *format,
                       ...)
{
  va_list args;

  clear (self);
  va_start (args, format);
  fputs ("pool-run: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  draw (self, TRUE);
}

void
pm_cli_status_print_summary (PmCliStatus *self,
                             const char  *seed_note)
{
  PmPool *pool = self->pool;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pool));
  guint n_cancelled = 0;
  gint64 sum = 0;
  gint64 cpu_sum = 0;
  gboolean have_cpu = FALSE;
  double makespan = pm_pool_get_elapsed (pool) / 1e6;
  g_autoptr(GString) cpu_note = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      if (pm_job_get_state (job) == PM_JOB_STATE_CANCELLED)
        n_cancelled++;
      else if (pm_job_get_runtime (job) > 0)
        sum += pm_job_get_runtime (job);
      if (pm_job_get_cpu_time (job) >= 0)
        {
          cpu_sum += pm_job_get_cpu_time (job);
          have_cpu = TRUE;
        }
    }

  /* The CPU time of the jobs that have one (from their rusage), and how many cores kept busy
   * over the makespan that makes. */
  if (have_cpu)
    g_string_append_printf (cpu_note, " · CPU %.2f s", cpu_sum / 1e6);
  if (have_cpu && makespan > 0)
    g_string_append_printf (cpu_note, " (%.1f cores)", cpu_sum / 1e6 / makespan);

  clear (self);
  g_clear_handle_id (&self->tick_source, g_source_remove);

  fprintf (stderr, "%u %s: %u succeeded, %u failed", n, pm_jobs_word (n),
           pm_pool_get_n_done (pool) - pm_pool_get_n_failed (pool), pm_pool_get_n_failed (pool));
  if (n_cancelled > 0)
    fprintf (stderr, ", %u cancelled", n_cancelled);
  fprintf (stderr, "\nmakespan %.2f s · sum of job times %.2f s · speed-up %.2f×%s · limit %u"
                   " (at most %u ran at once)%s%s\n",
           makespan, sum / 1e6, makespan > 0 ? sum / 1e6 / makespan : 0.0, cpu_note->str,
           pm_pool_get_max_workers (pool), pm_pool_get_peak_running (pool),
           seed_note ? " · " : "", seed_note ? seed_note : "");
  fflush (stderr);
}

void
pm_cli_status_free (PmCliStatus *self)
{
  clear (self);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_signal_handler (&self->output_handler, self->pool);
  g_clear_signal_handler (&self->finished_handler, self->pool);
  g_clear_signal_handler (&self->notify_handler, self->pool);
  g_clear_object (&self->pool);
  g_free (self);
}
