/* pm-demo.c: the built-in demo's jobs
 *
 * The run a new user starts with one command: jobs computer_0 …, each a pool-worker that
 * sleeps (or computes) for a time drawn from a seeded generator in the order the jobs are made,
 * so that a seed repeats a run in the window and in pool-run alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-demo.h"
#include "pm-job.h"
#include "pm-util.h"

typedef struct
{
  char          *worker;
  GRand         *rand;
  PmDemoOptions  options;
  char          *work;
} Demo;

static void
demo_free (Demo *demo)
{
  g_free (demo->worker);
  g_free (demo->work);
  g_rand_free (demo->rand);
  g_free (demo);
}

/* Whole seconds, like the seed, unless a bound has a fraction: then milliseconds. */
static double
choose_sleep (Demo *demo)
{
  double min = demo->options.sleep_min;
  double max = demo->options.sleep_max;

  if (min == (double)(gint64)min && max == (double)(gint64)max)
    return min + g_rand_int_range (demo->rand, 0, (gint32)(max - min) + 1);

  return min + g_rand_int_range (demo->rand, 0, (gint32)((max - min) * 1000) + 1) / 1000.0;
}

static PmJob *
make_demo_job (guint               seq,
               const char * const *values,
               guint               width,
               gpointer            user_data)
{
  Demo *demo = user_data;
  g_autofree char *name = demo->options.numbered || values == NULL || values[0] == NULL
                          ? g_strdup_printf ("computer_%u", seq - 1)
                          : g_strjoinv (" ", (char **)values);
  double sleep = choose_sleep (demo);
  char sleep_str[G_ASCII_DTOSTR_BUF_SIZE];
  const char *argv[] = { demo->worker, "--name", name, "--sleep", sleep_str,
                         demo->work != NULL ? "--work" : NULL, demo->work, NULL };
  PmJob *job;

  if (sleep == (double)(gint64)sleep)
    g_snprintf (sleep_str, sizeof sleep_str, "%" G_GINT64_FORMAT, (gint64)sleep);
  else
    g_ascii_formatd (sleep_str, sizeof sleep_str, "%.3f", sleep);
  job = pm_job_new (seq, name, NULL, argv);
  pm_job_set_planned (job, sleep);
  return job;
}

/**
 * pm_demo_set_make_func:
 * @source: a job source with no template (its count or values say how many jobs)
 * @options: the demo's sleeps, work, names and seed
 * @error: return location for a #GError
 *
 * Makes @source's jobs demo workers.
 *
 * Returns: %TRUE, or %FALSE with @error set (%G_IO_ERROR_NOT_FOUND) where pool-worker is not
 *   installed
 */
gboolean
pm_demo_set_make_func (PmJobSource          *source,
                       const PmDemoOptions  *options,
                       GError              **error)
{
  g_autofree char *worker = pm_find_helper_full ("pool-worker", error);
  Demo *demo;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (options->sleep_min <= options->sleep_max, FALSE);

  if (worker == NULL)
    return FALSE;

  demo = g_new0 (Demo, 1);
  demo->worker = g_steal_pointer (&worker);
  demo->rand = g_rand_new_with_seed (options->seed);
  demo->options = *options;
  demo->work = g_strdup (options->work);
  demo->options.work = demo->work;
  pm_job_source_set_make_func (source, make_demo_job, demo, (GDestroyNotify)demo_free);
  return TRUE;
}
