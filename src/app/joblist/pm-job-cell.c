/* pm-job-cell.c: the text of the job list's cells, a column of one job at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pm-job-stats.h"
#include "pm-job-list-private.h"

/* GLib 2.74's g_time_zone_new_local() reads the zone file again on every call when TZ is
 * unset, and every bound row formats three clock times: the list looks the zone up once. */
static char *
format_clock (GTimeZone *tz,
              gint64     usec)
{
  gint64 secs = usec / G_USEC_PER_SEC;
  gint64 local;
  int interval;

  if (usec <= 0)
    return NULL;

  interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, secs);
  local = secs + (interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0);
  return g_strdup_printf ("%02d:%02d:%02d.%d", (int)(local / 3600 % 24), (int)(local / 60 % 60),
                          (int)(local % 60), (int)(usec % G_USEC_PER_SEC / 100000));
}

static char *
format_duration (double seconds)
{
  if (seconds < 0)
    return NULL;
  if (seconds < 60)
    return g_strdup_printf (_("%.1f s"), seconds);
  if (seconds < 3600)
    return g_strdup_printf ("%d:%04.1f", (int)seconds / 60, seconds - 60 * ((int)seconds / 60));
  return g_strdup_printf ("%d:%02d:%02d", (int)seconds / 3600, (int)seconds / 60 % 60,
                          (int)seconds % 60);
}

/* Shorter than g_format_size(): the column is narrow. */
static char *
format_memory (guint64 bytes)
{
  if (bytes < 1024 * 1024)
    return g_strdup_printf (_("%.0f KiB"), bytes / 1024.0);
  if (bytes < 1024 * 1024 * 1024)
    return g_strdup_printf (_("%.1f MiB"), bytes / (1024.0 * 1024));
  return g_strdup_printf (_("%.2f GiB"), bytes / (1024.0 * 1024 * 1024));
}

char *
_pm_job_cell_text (PmJob      *job,
                   PmColumn    column,
                   GTimeZone  *tz,
                   PmJobStats *stats)
{
  PmJobState state = pm_job_get_state (job);
  double cpu;
  guint64 resident;
  double cpu_time;

  switch (column)
    {
    case PM_COLUMN_SEQ:
      return g_strdup_printf ("%u", pm_job_get_seq (job));
    case PM_COLUMN_NAME:
      return g_strdup (pm_job_get_name (job));
    case PM_COLUMN_STATE:
      if (pm_job_get_attempt (job) > 1)
        return g_strdup_printf ("%s #%u", pm_job_state_to_label (state),
                                pm_job_get_attempt (job));
      return g_strdup (pm_job_state_to_label (state));
    case PM_COLUMN_SLOT:
      return pm_job_get_slot (job) > 0 ? g_strdup_printf ("%u", pm_job_get_slot (job)) : NULL;
    case PM_COLUMN_PID:
      return pm_job_get_pid (job) > 0 ? g_strdup_printf ("%d", pm_job_get_pid (job)) : NULL;
    case PM_COLUMN_QUEUED:
      return format_clock (tz, pm_job_get_queued_time (job));
    case PM_COLUMN_STARTED:
      return format_clock (tz, pm_job_get_start_time (job));
    case PM_COLUMN_SLEEP:
      if (pm_job_get_planned (job) < 0)
        return NULL;
      return g_strdup_printf (_("%g s"), pm_job_get_planned (job));
    case PM_COLUMN_ELAPSED:
      {
        gint64 runtime = pm_job_get_runtime (job);
        return runtime >= 0 ? format_duration (runtime / (double)G_USEC_PER_SEC) : NULL;
      }
    case PM_COLUMN_FINISHED:
      return format_clock (tz, pm_job_get_end_time (job));
    case PM_COLUMN_EXIT:
      if (!pm_job_state_is_finished (state) || state == PM_JOB_STATE_CANCELLED)
        return NULL;
      if (pm_job_get_term_signal (job) > 0)
        {
          const char *abbrev = sigabbrev_np (pm_job_get_term_signal (job));
          return abbrev ? g_strdup_printf ("SIG%s", abbrev)
                        : g_strdup_printf (_("signal %d"), pm_job_get_term_signal (job));
        }
      if (pm_job_get_exit_status (job) >= 0)
        return g_strdup_printf ("%d", pm_job_get_exit_status (job));
      return g_strdup ("—");
    case PM_COLUMN_CPU:
      if (pm_job_state_is_live (state) && stats && pm_job_stats_lookup (stats, job, &cpu, &resident))
        return g_strdup_printf ("%.0f", cpu);
      return NULL;
    case PM_COLUMN_CPU_TIME:
      /* the whole attempt's, known once it has ended */
      if (pm_job_get_cpu_time (job) < 0)
        return NULL;
      cpu_time = pm_job_get_cpu_time (job) / (double)G_USEC_PER_SEC;
      return cpu_time < 60 ? g_strdup_printf (_("%.2f s"), cpu_time)
                           : format_duration (cpu_time);

    case PM_COLUMN_MEMORY:
      if (pm_job_state_is_live (state) && stats && pm_job_stats_lookup (stats, job, &cpu, &resident))
        return format_memory (resident);
      /* the peak of a job that has ended, in the units of the live figure */
      if (pm_job_state_is_finished (state) && pm_job_get_peak_memory (job) > 0)
        return g_format_size_full (pm_job_get_peak_memory (job), G_FORMAT_SIZE_IEC_UNITS);
      return NULL;
    case PM_COLUMN_HOST:
      /* none yet for a job that waits for a lane (its lane decides); then the sshlogin as
       * given, as the joblog's Host column; ":" is this machine */
      if (state == PM_JOB_STATE_QUEUED && pm_job_get_slot (job) == 0)
        return NULL;
      return g_str_equal (pm_job_get_host (job), ":") ? g_strdup (_("this machine"))
                                                      : g_strdup (pm_job_get_host (job));
    case PM_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* Whether any job of @pool runs on another machine, or may */
gboolean
_pm_job_list_pool_has_hosts (PmPool *pool)
{
  guint n;

  if (pool == NULL)
    return FALSE;
  if (pm_pool_get_lane_host (pool, 1) != NULL)
    return TRUE;
  /* A run read from a log: its jobs say where they ran */
  if (pm_pool_get_state (pool) != PM_POOL_STATE_READ_ONLY)
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (pool));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      if (!g_str_equal (pm_job_get_host (job), ":"))
        return TRUE;
    }
  return FALSE;
}
