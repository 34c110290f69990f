/* pm-cli-what-if.c: pool-run --what-if JOBLOG prints what the recorded run would have taken at
 * each limit from 1 to twice the larger of its limit and the cores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "pm-runlog.h"
#include "pm-util.h"
#include "pm-cli-what-if.h"

/**
 * pm_cli_what_if_format:
 * @name: the log's name, for the heading
 *
 * Returns: (transfer full): a heading line, then the table: limit, makespan, speed-up, and a
 *   note on the row of the recorded limit and on the rows the cores held back
 */
char *
pm_cli_what_if_format (const PmWhatIf *what_if,
                       const char     *name)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) table = pm_what_if_table (what_if, 0);
  guint n = pm_what_if_get_n_jobs (what_if);
  double cpu = pm_what_if_get_cpu (what_if);

  g_string_append_printf (text, ngettext ("%s: %u job, %.2f s of job time",
                                          "%s: %u jobs, %.2f s of job time", n), name, n,
                          pm_what_if_get_work (what_if));
  if (cpu >= 0)
    g_string_append_printf (text, _(", CPU %.2f s"), cpu);
  if (pm_what_if_get_recorded_makespan (what_if) > 0)
    g_string_append_printf (text, _(", recorded at limit %u in %.2f s"),
                            pm_what_if_get_limit (what_if),
                            pm_what_if_get_recorded_makespan (what_if));
  if (pm_what_if_get_cores (what_if) > 0 && cpu >= 0)
    g_string_append_printf (text, _("; replayed on %u cores"), pm_what_if_get_cores (what_if));
  else
    g_string_append (text, _("; replayed without a CPU bound (no CPU times)"));
  g_string_append_c (text, '\n');

  g_string_append_printf (text, "%5s  %10s  %8s\n", _("limit"), _("makespan"), _("speed-up"));
  for (guint i = 0; i < table->len; i++)
    {
      const PmWhatIfPoint *point = &g_array_index (table, PmWhatIfPoint, i);

      g_string_append_printf (text, "%5u  %8.2f s  %7.2f×", point->limit, point->makespan,
                              point->speed_up);
      if (point->limit == pm_what_if_get_limit (what_if))
        g_string_append_printf (text, "  %s", _("(this run)"));
      if (point->cpu_bound)
        g_string_append_printf (text, "  %s", _("(cores full)"));
      g_string_append_c (text, '\n');
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * pm_cli_what_if_run:
 * @path: a joblog (ours or GNU parallel's) or an event log
 * @cores: the cores to replay on, 0 for this machine's
 *
 * Returns: the exit status: 0, or 255 with one line on stderr when the log cannot be read
 */
int
pm_cli_what_if_run (const char *path,
                    guint       cores)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) pool = NULL;
  g_autoptr(PmWhatIf) what_if = NULL;
  g_autofree char *text = NULL;

  if (!(pool = pm_runlog_load (file, &error)))
    {
      fprintf (stderr, "pool-run: %s\n", error->message);
      return 255;
    }
  what_if = pm_what_if_new_for_pool (pool, cores > 0 ? cores : pm_cpu_count ());
  if (pm_what_if_get_n_jobs (what_if) == 0)
    {
      fprintf (stderr, _("pool-run: %s holds no job that ran\n"), path);
      return 255;
    }
  text = pm_cli_what_if_format (what_if, path);
  fputs (text, stdout);
  return fflush (stdout) == 0 ? 0 : 255;
}
