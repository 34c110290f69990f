/* pm-job-stats.c
 *
 * The engine knows the PIDs of running jobs but not what they cost; this samples the CPU
 * time and resident memory of their process groups once a second, only for the jobs that run (the pool's job-started
 * and job-finished signals keep the set), and only while someone shows them. CPU % is the CPU
 * time used since the previous sample over the wall time since then: 100 % is one core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glibtop.h>
#include <glibtop/proclist.h>
#include <glibtop/procmem.h>
#include <glibtop/procuid.h>
#include <glibtop/proctime.h>

#include "pm-job-stats.h"

typedef struct
{
  GPid    pid;
  guint64 cpu_ticks;
  gint64  when;
  double  cpu_percent;
  guint64 resident;
  guint64 total_ticks;
  guint64 total_resident;
  guint   have : 1;
} Sample;

struct _PmJobStats
{
  GObject     parent_instance;

  PmPool     *pool;
  GHashTable *running;   /* PmJob* (ref) → Sample* */
  gulong      started_id;
  gulong      finished_id;
};

G_DEFINE_FINAL_TYPE (PmJobStats, pm_job_stats, G_TYPE_OBJECT)

static void
job_started_cb (PmJobStats *self,
                PmJob      *job)
{
  g_hash_table_insert (self->running, g_object_ref (job), g_new0 (Sample, 1));
}

static void
job_finished_cb (PmJobStats *self,
                 PmJob      *job)
{
  g_hash_table_remove (self->running, job);
}

static void
pm_job_stats_dispose (GObject *object)
{
  PmJobStats *self = PM_JOB_STATS (object);

  pm_job_stats_set_pool (self, NULL);

  G_OBJECT_CLASS (pm_job_stats_parent_class)->dispose (object);
}

static void
pm_job_stats_finalize (GObject *object)
{
  PmJobStats *self = PM_JOB_STATS (object);

  g_hash_table_unref (self->running);

  G_OBJECT_CLASS (pm_job_stats_parent_class)->finalize (object);
}

static void
pm_job_stats_class_init (PmJobStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pm_job_stats_dispose;
  object_class->finalize = pm_job_stats_finalize;

  glibtop_init ();
}

static void
pm_job_stats_init (PmJobStats *self)
{
  self->running = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
}

PmJobStats *
pm_job_stats_new (void)
{
  return g_object_new (PM_TYPE_JOB_STATS, NULL);
}

void
pm_job_stats_set_pool (PmJobStats *self,
                       PmPool     *pool)
{
  g_return_if_fail (PM_IS_JOB_STATS (self));
  g_return_if_fail (pool == NULL || PM_IS_POOL (pool));

  if (self->pool == pool)
    return;

  if (self->pool != NULL)
    {
      g_clear_signal_handler (&self->started_id, self->pool);
      g_clear_signal_handler (&self->finished_id, self->pool);
      g_hash_table_remove_all (self->running);
      g_clear_object (&self->pool);
    }

  if (pool != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (pool));

      self->pool = g_object_ref (pool);
      self->started_id = g_signal_connect_swapped (pool, "job-started",
                                                   G_CALLBACK (job_started_cb), self);
      self->finished_id = g_signal_connect_swapped (pool, "job-finished",
                                                    G_CALLBACK (job_finished_cb), self);
      /* A pool that already runs: pick up its running jobs once. */
      for (guint i = 0; pm_pool_get_n_running (pool) > 0 && i < n; i++)
        {
          g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
          if (pm_job_state_is_live (pm_job_get_state (job)))
            job_started_cb (self, job);
        }
    }
}

/**
 * pm_job_stats_sample:
 * @self: a #PmJobStats
 *
 * Reads the CPU time and memory of every running job now.
 */
void
pm_job_stats_sample (PmJobStats *self)
{
  g_autoptr(GHashTable) by_group = NULL;
  g_autofree pid_t *pids = NULL;
  glibtop_proclist list = { 0 };
  GHashTableIter iter;
  PmJob *job;
  Sample *sample;
  gint64 now = g_get_monotonic_time ();
  guint64 frequency = 0;

  g_return_if_fail (PM_IS_JOB_STATS (self));

  if (g_hash_table_size (self->running) == 0)
    return;

  /* A job's PID leads its process group (its slot spawns it so), and its children run in
   * that group: a job costs what its whole group costs. One pass over all processes. */
  by_group = g_hash_table_new (NULL, NULL);
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, (gpointer *)&job, (gpointer *)&sample))
    {
      if (pm_job_get_pid (job) <= 0)
        continue;
      sample->total_ticks = 0;
      sample->total_resident = 0;
      g_hash_table_insert (by_group, GINT_TO_POINTER (pm_job_get_pid (job)), sample);
    }

  pids = glibtop_get_proclist (&list, GLIBTOP_KERN_PROC_ALL, 0);
  for (guint64 i = 0; pids != NULL && i < list.number; i++)
    {
      glibtop_proc_uid uid = { 0 };
      glibtop_proc_time time_buf = { 0 };
      glibtop_proc_mem mem_buf = { 0 };

      glibtop_get_proc_uid (&uid, pids[i]);
      if (!(sample = g_hash_table_lookup (by_group, GINT_TO_POINTER (uid.pgrp))))
        continue;

      glibtop_get_proc_time (&time_buf, pids[i]);
      glibtop_get_proc_mem (&mem_buf, pids[i]);
      if (time_buf.frequency > 0)
        frequency = time_buf.frequency;
      sample->total_ticks += time_buf.rtime;
      sample->total_resident += mem_buf.resident;
    }

  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, (gpointer *)&job, (gpointer *)&sample))
    {
      GPid pid = pm_job_get_pid (job);

      if (pid <= 0 || frequency == 0)
        continue;

      if (sample->pid == pid && sample->when > 0 && now > sample->when)
        {
          /* A child that ended takes its ticks with it: never below zero. */
          double cpu_s = (double)(sample->total_ticks - MIN (sample->total_ticks,
                                                             sample->cpu_ticks)) /
                         (double)frequency;
          sample->cpu_percent = 100.0 * cpu_s / ((now - sample->when) / (double)G_USEC_PER_SEC);
          sample->have = TRUE;
        }
      sample->pid = pid;
      sample->cpu_ticks = sample->total_ticks;
      sample->when = now;
      sample->resident = sample->total_resident;
      if (sample->resident > 0)
        sample->have = TRUE;
    }
}

/**
 * pm_job_stats_lookup:
 * @self: a #PmJobStats
 * @job: a job
 * @cpu_percent: (out): its CPU use over the last sample, 100 for one core
 * @resident: (out): its resident memory in bytes
 *
 * Returns: %TRUE if @job runs and has been sampled
 */
gboolean
pm_job_stats_lookup (PmJobStats *self,
                     PmJob      *job,
                     double     *cpu_percent,
                     guint64    *resident)
{
  Sample *sample;

  g_return_val_if_fail (PM_IS_JOB_STATS (self), FALSE);

  sample = g_hash_table_lookup (self->running, job);
  if (sample == NULL || !sample->have)
    return FALSE;

  *cpu_percent = sample->cpu_percent;
  *resident = sample->resident;
  return TRUE;
}
