/* pm-run-summary.c
 *
 * The lesson a run tells in one line: "35.0 s of work in 9.0 s: 3.9× with 5 at a time", and
 * where the jobs' CPU times are known, the cores that kept busy. The window shows it, saved
 * pictures carry it, the event log's end record holds it (untranslated, with the numbers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pm-run-summary.h"

#define TR(translated, text) ((translated) ? g_dgettext (GETTEXT_PACKAGE, (text)) : (text))
/* Below this share of their run time on a CPU, the jobs are said to have waited */
#define WAITED_SHARE 0.1

/**
 * pm_run_summary_compute:
 * @pool: a run, finished or loaded from a log
 * @summary: (out): what it bought
 *
 * The makespan runs from the first job's start to the last one's end.
 *
 * Returns: %TRUE when a job ran, so there is something to tell
 */
gboolean
pm_run_summary_compute (PmPool       *pool,
                        PmRunSummary *summary)
{
  guint n;
  gint64 first = G_MAXINT64, last = 0, work = 0, cpu = 0;
  gboolean have_cpu = FALSE;

  g_return_val_if_fail (PM_IS_POOL (pool), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  *summary = (PmRunSummary) { 0, 0, 0, 0, pm_pool_get_max_workers (pool), -1, -1 };
  n = g_list_model_get_n_items (G_LIST_MODEL (pool));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      gint64 runtime = pm_job_get_runtime (job);

      if (!pm_job_is_finished (job) || runtime < 0 || pm_job_get_start_time (job) <= 0)
        continue;
      summary->n_jobs++;
      work += runtime;
      first = MIN (first, pm_job_get_start_time (job));
      last = MAX (last, pm_job_get_start_time (job) + runtime);
      if (pm_job_get_cpu_time (job) >= 0)
        {
          cpu += pm_job_get_cpu_time (job);
          have_cpu = TRUE;
        }
    }
  if (summary->n_jobs == 0)
    return FALSE;

  summary->work = work / 1e6;
  summary->makespan = (last - first) / 1e6;
  summary->speed_up = summary->makespan > 0 ? summary->work / summary->makespan : 1;
  if (have_cpu)
    {
      summary->cpu = cpu / 1e6;
      summary->cores_busy = summary->makespan > 0 ? summary->cpu / summary->makespan : 0;
    }
  return TRUE;
}

/**
 * pm_run_summary_format:
 * @translated: in the user's language (the window), or as written here (logs)
 *
 * Returns: (transfer full): "35.0 s of work in 9.0 s: 3.9× with 5 at a time", and where CPU
 *   times are known "; CPU 5.0 s kept 2.0 cores busy", or for jobs that mostly waited
 *   "; the jobs mostly waited (CPU 0.1 s in all)"
 */
char *
pm_run_summary_format (const PmRunSummary *summary,
                       gboolean            translated)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, TR (translated, N_("%.1f s of work in %.1f s: %.1f× with %u at "
                                                   "a time")),
                          summary->work, summary->makespan, summary->speed_up, summary->limit);
  /* Jobs that spent under a tenth of their time on a CPU (the demo's sleeping workers, jobs
   * waiting for a disk or the network) kept no core busy worth a figure: "kept 0.0 cores
   * busy" told a user nothing. */
  if (summary->cpu >= 0 && summary->cpu < WAITED_SHARE * summary->work)
    g_string_append_printf (text, TR (translated, N_("; the jobs mostly waited (CPU %.1f s in "
                                                     "all)")),
                            summary->cpu);
  else if (summary->cpu >= 0)
    g_string_append_printf (text, TR (translated, N_("; CPU %.1f s kept %.1f cores busy")),
                            summary->cpu, summary->cores_busy);
  return g_string_free (text, FALSE);
}

/**
 * pm_run_summary_format_preview:
 *
 * Returns: (transfer full): what a run about to start will do: "15 jobs, 5 at a time: press
 *   Start"
 */
char *
pm_run_summary_format_preview (guint    n_jobs,
                               guint    limit,
                               gboolean translated)
{
  const char *format = translated
    ? g_dngettext (GETTEXT_PACKAGE, "%u job, %u at a time: press Start",
                   "%u jobs, %u at a time: press Start", n_jobs)
    : n_jobs == 1 ? "%u job, %u at a time: press Start" : "%u jobs, %u at a time: press Start";

  return g_strdup_printf (format, n_jobs, limit);
}
