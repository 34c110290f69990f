/* pm-cli-signals.c
 *
 * What pool-run does when it is signalled, and the exit status that follows. SIGTERM and SIGHUP
 * do what they do to GNU parallel 20221122 (measured: tests/compat/test-compat-output.c):
 *
 * - SIGTERM ends the running jobs (SIGTERM to each job's process group, SIGKILL after the
 *   grace period), starts no more, and the run exits 255. A second SIGTERM sends SIGKILL at
 *   once. (`timeout`, `docker stop` and a cancelled CI job send SIGTERM: the run stops.)
 * - SIGHUP starts no more jobs and lets the running ones finish; the exit status is then that
 *   of the jobs that ran (those never started do not count), as parallel's. Another SIGHUP
 *   changes nothing; a SIGTERM after it ends the running jobs.
 * - SIGINT (Ctrl+C) is ours: once lets the running jobs finish, twice ends them; a run it cut
 *   short never exits 0 (cancelled jobs count as failed). GNU parallel exits 255 at once.
 *
 * Each of them, once the pool has finished and only our output is left to write to a reader
 * that does not read, gives up waiting for it; SIGTERM at once.
 *
 * Otherwise the exit status is GNU parallel's (pm_pool_get_exit_status()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pm-cli-signals.h"
#include "pm-util.h"

struct _PmCliSignals
{
  PmPool      *pool;
  PmCliStatus *status;
  guint        sources[3];
  guint        interrupts;
  guint        terms;
  guint        hangups;
  gboolean     gave_up;     /* signalled while the last output waits for its reader */
};

static void
kill_running (PmCliSignals *self)
{
  GListModel *model = G_LIST_MODEL (self->pool);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (model, i);

      if (pm_job_get_state (job) == PM_JOB_STATE_RUNNING ||
          pm_job_get_state (job) == PM_JOB_STATE_PAUSED)
        pm_pool_kill_job (self->pool, job, NULL);
    }
}

/* Once the pool is done, any signal gives up on output nobody reads. */
static gboolean
finished (PmCliSignals *self)
{
  if (pm_pool_get_state (self->pool) != PM_POOL_STATE_FINISHED)
    return FALSE;
  self->gave_up = TRUE;
  return TRUE;
}

static gboolean
interrupt_cb (gpointer user_data)
{
  PmCliSignals *self = user_data;
  guint n_running = pm_pool_get_n_running (self->pool);

  if (finished (self))
    return G_SOURCE_CONTINUE;

  if (self->interrupts++ == 0 && self->terms == 0)
    {
      pm_cli_status_message (self->status,
                             ngettext ("waiting for %u running job to finish, starting no "
                                       "more (interrupt again to end it)",
                                       "waiting for %u running jobs to finish, starting no "
                                       "more (interrupt again to end them)", n_running),
                             n_running);
      pm_pool_drain (self->pool);
    }
  else
    {
      pm_cli_status_message (self->status, ngettext ("ending %u running job",
                                                     "ending %u running jobs", n_running),
                             n_running);
      pm_pool_stop (self->pool);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
term_cb (gpointer user_data)
{
  PmCliSignals *self = user_data;
  guint n_running = pm_pool_get_n_running (self->pool);

  /* The run is to end now: output that nobody reads is not waited for */
  self->gave_up = TRUE;
  if (finished (self))
    return G_SOURCE_CONTINUE;

  if (self->terms++ == 0)
    {
      pm_cli_status_note (self->status, ngettext ("SIGTERM: ending %u running job",
                                                  "SIGTERM: ending %u running jobs", n_running),
                          n_running);
      /* As parallel, the output not yet shown is not waited for: a reader that does not read
       * must not keep the run (its slots blocked on output the pool holds) from ending. */
      pm_cli_status_abandon_output (self->status);
      pm_pool_stop (self->pool);
    }
  else
    {
      pm_cli_status_note (self->status, ngettext ("SIGTERM again: killing %u running job",
                                                  "SIGTERM again: killing %u running jobs",
                                                  n_running), n_running);
      pm_pool_stop (self->pool);
      kill_running (self);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
hangup_cb (gpointer user_data)
{
  PmCliSignals *self = user_data;
  guint n_running = pm_pool_get_n_running (self->pool);

  if (finished (self))
    return G_SOURCE_CONTINUE;

  self->hangups++;
  pm_cli_status_note (self->status,
                      ngettext ("SIGHUP: starting no more jobs, waiting for %u running job to "
                                "finish (SIGTERM ends it)",
                                "SIGHUP: starting no more jobs, waiting for %u running jobs to "
                                "finish (SIGTERM ends them)", n_running), n_running);
  pm_pool_drain (self->pool);

  return G_SOURCE_CONTINUE;
}

PmCliSignals *
pm_cli_signals_new (PmPool      *pool,
                    PmCliStatus *status)
{
  PmCliSignals *self = g_new0 (PmCliSignals, 1);

  self->pool = g_object_ref (pool);
  self->status = status;
  self->sources[0] = g_unix_signal_add (SIGINT, interrupt_cb, self);
  self->sources[1] = g_unix_signal_add (SIGTERM, term_cb, self);
  self->sources[2] = g_unix_signal_add (SIGHUP, hangup_cb, self);
  return self;
}

/* Set while the main loop runs, once a signal says not to wait for our output any more */
gboolean *
pm_cli_signals_gave_up (PmCliSignals *self)
{
  return &self->gave_up;
}

/**
 * pm_cli_signals_exit_status:
 *
 * Returns: 255 after a SIGTERM; after Ctrl+C the failed and cancelled jobs (at most 101);
 *   else GNU parallel's exit status for the run
 */
int
pm_cli_signals_exit_status (PmCliSignals *self)
{
  if (self->terms > 0)
    return PM_CLI_EXIT_USAGE;
  /* Ctrl+C cut the run short: it never exits 0, even when what it left was never read */
  if (self->interrupts > 0)
    return CLAMP (pm_pool_get_n_failed (self->pool) + pm_pool_get_n_cancelled (self->pool),
                  pm_pool_get_source_left (self->pool) ? 1 : 0, 101);
  return pm_pool_get_exit_status (self->pool);
}

void
pm_cli_signals_free (PmCliSignals *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->sources); i++)
    g_clear_handle_id (&self->sources[i], g_source_remove);
  g_clear_object (&self->pool);
  g_free (self);
}
