/* pm-cli-status.c
 *
 * Job output goes to pool-run's stdout and stderr as the output mode says (pm-cli-modes.c),
 * exactly as the job wrote it. The status line goes to stderr only when it is a terminal, or
 * when --progress, --bar or --eta ask for it: on a terminal it is redrawn in place (cleared
 * before each job line, drawn again after it); on a pipe or file it is a plain line, written
 * at most once a second. On a redirected stderr nothing else of ours goes there but errors
 * and the summary (which --no-summary leaves out); notes (such as what a signal does) go
 * where the status line goes. Everything is written through pm-cli-output.c, which
 * never blocks the pool. When the reader of the output goes away (`pool-run … | head`),
 * writing fails with EPIPE (the pool ignores SIGPIPE): the run ends as after a second
 * interrupt, its logs complete, and then pool-run dies of SIGPIPE, as GNU parallel does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "pm-cli-lines.h"
#include "pm-cli-modes.h"
#include "pm-cli-output.h"
#include "pm-cli-status.h"
#include "pm-util.h"

#define TTY_REDRAW_USEC  (100 * 1000)
#define PIPE_REDRAW_USEC (1000 * 1000)

struct _PmCliStatus
{
  PmPool      *pool;
  PmCliOutput *output;
  PmCliLines  *lines;
  PmCliModes  *modes;
  gboolean  shown;      /* the status line is drawn at all */
  gboolean  bar;
  gboolean  eta;
  gboolean  no_summary;
  gboolean  to_files;   /* --results: the jobs' output goes to files, not to us */
  gboolean  tty;
  gboolean  drawn;
  gboolean  said_limit;
  gboolean  stdout_gone; /* the reader of our standard output went away */
  gint64    last_draw;
  guint     tick_source;
  guint     idle_source;
  gulong    output_handler;
  gulong    finished_handler;
  gulong    notify_handler;
  gulong    limit_handler;
};

/* Totals that need the end of the input (the bar, the ETA) say so until the source has ended. */
static void
format_status (PmCliStatus *self,
               GString     *out)
{
  PmPool *pool = self->pool;
  guint done = pm_pool_get_n_done (pool);
  gint64 total = pm_pool_get_n_total (pool);
  double elapsed = pm_pool_get_elapsed (pool) / 1e6;
  gboolean more;
  guint waiting = pm_pool_get_n_waiting (pool, &more);

  if (more)
    /* Translators: "queued 3+": three jobs wait, and the input may hold more */
    g_string_append_printf (out,
                            _("running %u/%u · queued %u+ · done %u · failed %u · elapsed %.1f s"),
                            pm_pool_get_n_running (pool), pm_pool_get_max_workers (pool),
                            waiting, done, pm_pool_get_n_failed (pool), elapsed);
  else
    g_string_append_printf (out,
                            _("running %u/%u · queued %u · done %u · failed %u · elapsed %.1f s"),
                            pm_pool_get_n_running (pool), pm_pool_get_max_workers (pool),
                            waiting, done, pm_pool_get_n_failed (pool), elapsed);
  if (self->bar && total < 0)
    g_string_append (out, _(" · total unknown yet"));
  else if (self->bar && total > 0)
    {
      guint width = 20, filled = (guint)(done * width / total);

      g_string_append (out, " [");
      for (guint i = 0; i < width; i++)
        g_string_append_c (out, i < filled ? '#' : '.');
      g_string_append_printf (out, "] %u%%", (guint)(done * 100 / total));
    }
  if (self->eta)
    {
      /* The time the finished jobs took each, for those left, at this rate */
      if (done > 0 && total >= 0)
        g_string_append_printf (out, _(" · ETA %.0f s"), elapsed / done * (total - done));
      else
        g_string_append (out, _(" · ETA unknown yet"));
    }
}

static void
clear (PmCliStatus *self)
{
  if (self->tty && self->drawn)
    {
      pm_cli_output_write (self->output, STDERR_FILENO, "\r\033[K", 4);
      self->drawn = FALSE;
    }
}

static void
draw (PmCliStatus *self,
      gboolean     force)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 now = g_get_monotonic_time ();

  if (!self->shown)
    return;
  if (!force && now - self->last_draw < (self->tty ? TTY_REDRAW_USEC : PIPE_REDRAW_USEC))
    return;

  self->last_draw = now;
  format_status (self, line);
  if (self->tty)
    {
      clear (self);
      pm_cli_output_write (self->output, STDERR_FILENO, line->str, line->len);
      self->drawn = TRUE;
    }
  else
    {
      g_string_append_c (line, '\n');
      pm_cli_output_write (self->output, STDERR_FILENO, line->str, line->len);
    }
}

static void
job_output_cb (PmCliStatus *self,
               PmJob       *job,
               int          stream,
               GBytes      *line,
               PmPool      *pool)
{
  clear (self);
  pm_cli_modes_output (self->modes, job,
                       stream == PM_OUTPUT_STDERR ? STDERR_FILENO : STDOUT_FILENO, line);
  if (self->tty)
    draw (self, TRUE);
}

/* Whole lines that the output thread may take from the job's pipe itself (pm-pool-pass.c) */
static gboolean
job_pass_cb (PmPool         *pool,
             PmJob          *job,
             PmOutputStream  stream,
             int             pipe_fd,
             gsize           len,
             guint64         token,
             gpointer        user_data)
{
  PmCliStatus *self = user_data;
  gboolean taken;

  /* Our status line is drawn on standard error: its lines go between it (unless they go to
   * --results files) */
  if (stream == PM_OUTPUT_STDERR && self->shown && !self->to_files)
    return FALSE;
  clear (self);
  taken = pm_cli_modes_pass (self->modes, job,
                             stream == PM_OUTPUT_STDERR ? STDERR_FILENO : STDOUT_FILENO,
                             pipe_fd, len, token);
  if (self->tty)
    draw (self, TRUE);
  return taken;
}

static void
job_reclaim_cb (PmPool   *pool,
                guint64   token,
                gpointer  user_data)
{
  PmCliStatus *self = user_data;

  pm_cli_output_reclaim (self->output, token);
}

/* In the main loop, once: the reader of our output went away. */
static void
output_closed_cb (int      fd,
                  gpointer user_data)
{
  PmCliStatus *self = user_data;

  if (fd == STDERR_FILENO)
    {
      self->tty = FALSE;
      pm_cli_status_message (self, "%s", _("standard error was closed: ending the running jobs"));
    }
  else
    {
      self->stdout_gone = TRUE;
      pm_cli_status_message (self, "%s", _("standard output was closed: ending the running jobs"));
    }
  pm_pool_stop (self->pool);
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
  pm_cli_modes_job_ended (self->modes, job);
  /* Why it did not start, or why it failed beyond its exit (its files, its host) */
  if (pm_job_get_error_message (job) != NULL)
    {
      clear (self);
      pm_cli_output_printf (self->output, STDERR_FILENO, _("pool-run: job %u: %s\n"),
                            pm_job_get_seq (job), pm_job_get_error_message (job));
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

/* Said once: the system would not give the pool all the processes its limit asks for. */
static void
effective_limit_cb (PmCliStatus *self)
{
  guint limit = pm_pool_get_effective_limit (self->pool);

  if (self->said_limit || limit >= pm_pool_get_max_workers (self->pool))
    return;
  self->said_limit = TRUE;
  pm_cli_status_message (self, _("the system refused more processes or descriptors (%s): "
                         "running at most %u at once"), pm_pool_get_limit_reason (self->pool),
                         limit);
}

static gboolean
tick_cb (gpointer user_data)
{
  draw (user_data, TRUE);
  return G_SOURCE_CONTINUE;
}

PmCliStatus *
pm_cli_status_new (PmPool                   *pool,
                   const PmCliStatusOptions *options)
{
  PmCliStatus *self = g_new0 (PmCliStatus, 1);

  self->pool = g_object_ref (pool);
  self->output = pm_cli_output_new (pool, output_closed_cb, self);
  self->lines = pm_cli_lines_new (pool, self->output);
  self->modes = pm_cli_modes_new (pool, self->output, self->lines, &options->modes);
  self->tty = isatty (STDERR_FILENO) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
  self->shown = self->tty || options->progress || options->bar || options->eta;
  self->bar = options->bar;
  self->eta = options->eta;
  self->no_summary = options->no_summary;
  self->to_files = options->modes.results != NULL;

  if (pm_cli_modes_wants_output (&options->modes))
    {
      self->output_handler = g_signal_connect_swapped (pool, "job-output",
                                                       G_CALLBACK (job_output_cb), self);
      /* --tag copies each line anyway: the pool's looking at them for nothing cost more
       * than all the rest (perf stat, bench/README.md) */
      if (pm_cli_modes_may_pass (&options->modes))
        pm_pool_set_output_pass_func (pool, job_pass_cb, job_reclaim_cb, self);
    }
  self->finished_handler = g_signal_connect_swapped (pool, "job-finished",
                                                     G_CALLBACK (job_finished_cb), self);
  self->notify_handler = g_signal_connect_swapped (pool, "notify::n-running",
                                                   G_CALLBACK (notify_cb), self);
  self->limit_handler = g_signal_connect_swapped (pool, "notify::effective-limit",
                                                  G_CALLBACK (effective_limit_cb), self);
  /* Only a terminal shows the elapsed time ticking. */
  if (self->tty && self->shown)
    self->tick_source = g_timeout_add_seconds (1, tick_cb, self);

  return self;
}

/* Whether the status line is drawn (on standard error) */
gboolean
pm_cli_status_is_shown (PmCliStatus *self)
{
  return self->shown;
}

/* Whether the run ended because the reader of our standard output went away */
gboolean
pm_cli_status_stdout_gone (PmCliStatus *self)
{
  return self->stdout_gone;
}

/* A line of our own, such as a note about Ctrl+C, printed above the status line. */
void
pm_cli_status_message (PmCliStatus *self,
                       const char  *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  clear (self);
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  pm_cli_output_printf (self->output, STDERR_FILENO, "pool-run: %s\n", text);
  draw (self, TRUE);
}

/* The run ends now, its output read or not: nothing of it holds the pool back. */
void
pm_cli_status_abandon_output (PmCliStatus *self)
{
  pm_cli_output_discard (self->output);
  pm_pool_read_only_job_output (self->pool, NULL);
}

/* A note of ours, such as what a signal does: only where the status line goes. */
void
pm_cli_status_note (PmCliStatus *self,
                    const char  *format,
                    ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (!self->shown)
    return;
  clear (self);
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  pm_cli_output_printf (self->output, STDERR_FILENO, "pool-run: %s\n", text);
  draw (self, TRUE);
}

void
pm_cli_status_print_summary (PmCliStatus *self,
                             const char  *seed_note)
{
  PmPool *pool = self->pool;
  guint n = pm_pool_get_n_jobs (pool);
  guint n_cancelled = pm_pool_get_n_cancelled (pool);
  gint64 sum = pm_pool_get_total_runtime (pool);
  gint64 cpu_sum = MAX (pm_pool_get_total_cpu_time (pool), 0);
  gboolean have_cpu = pm_pool_get_total_cpu_time (pool) >= 0;
  double makespan = pm_pool_get_elapsed (pool) / 1e6;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) cpu_note = g_string_new (NULL);

  /* The CPU time of the jobs that have one (from their rusage), and how many cores kept busy
   * over the makespan that makes. */
  if (have_cpu)
    g_string_append_printf (cpu_note, _(" · CPU %.2f s"), cpu_sum / 1e6);
  if (have_cpu && makespan > 0)
    g_string_append_printf (cpu_note, _(" (%.1f cores)"), cpu_sum / 1e6 / makespan);

  clear (self);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->no_summary)
    return;

  g_string_append_printf (text, ngettext ("%u job: %u succeeded, %u failed",
                                          "%u jobs: %u succeeded, %u failed", n), n,

                          pm_pool_get_n_done (pool) - pm_pool_get_n_failed (pool),
                          pm_pool_get_n_failed (pool));
  if (n_cancelled > 0)
    g_string_append_printf (text, _(", %u cancelled"), n_cancelled);
  g_string_append_printf (text, _("\nmakespan %.2f s · sum of job times %.2f s · speed-up "
                                  "%.2f×%s · limit %u (at most %u ran at once)%s%s\n"),
                          makespan, sum / 1e6, makespan > 0 ? sum / 1e6 / makespan : 0.0,
                          cpu_note->str, pm_pool_get_max_workers (pool),
                          pm_pool_get_peak_running (pool),
                          seed_note ? " · " : "", seed_note ? seed_note : "");
  pm_cli_output_write (self->output, STDERR_FILENO, text->str, text->len);
}

/**
 * pm_cli_status_flush:
 * @interrupted: set while the main loop runs here when the user gives up waiting
 *
 * Waits, running the main loop, until all the output is written.
 *
 * Returns: %FALSE when given up
 */
gboolean
pm_cli_status_flush (PmCliStatus *self,
                     gboolean    *interrupted)
{
  return pm_cli_output_flush (self->output, interrupted);
}

/* --results written by the jobs here themselves (pm_cli_modes_results_direct()) */
void
pm_cli_status_results_direct (PmCliStatus *self)
{
  pm_cli_modes_results_direct (self->modes);
}

void
pm_cli_status_free (PmCliStatus *self)
{
  clear (self);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_signal_handler (&self->output_handler, self->pool);
  pm_pool_set_output_pass_func (self->pool, NULL, NULL, NULL);
  g_clear_signal_handler (&self->finished_handler, self->pool);
  g_clear_signal_handler (&self->notify_handler, self->pool);
  g_clear_signal_handler (&self->limit_handler, self->pool);
  g_clear_pointer (&self->modes, pm_cli_modes_free);
  g_clear_pointer (&self->lines, pm_cli_lines_free);
  g_clear_pointer (&self->output, pm_cli_output_free);
  g_clear_object (&self->pool);
  g_free (self);
}
