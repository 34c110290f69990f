/* pm-core-usage.c
 *
 * The kernel counts, for each CPU, the clock ticks it spent in each state since boot (libgtop
 * reads them into glibtop_cpu's xcpu_* arrays). A CPU's use over an interval is the share of
 * its ticks in that interval that were neither idle nor waiting for I/O. Each sample keeps the
 * counters for the next; the first is measured from boot.
 *
 * These are all the CPUs libgtop sees, the machine's online ones, whatever this process's
 * affinity: the strip shows what the whole machine does, jobs of other programs included.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glibtop.h>
#include <glibtop/cpu.h>

#include "pm-core-usage.h"

struct _PmCoreUsage
{
  GObject  parent_instance;

  guint    n_cpus;
  guint64 *last_total;   /* n_cpus counters from the previous sample */
  guint64 *last_idle;
};

G_DEFINE_FINAL_TYPE (PmCoreUsage, pm_core_usage, G_TYPE_OBJECT)

static void
pm_core_usage_finalize (GObject *object)
{
  PmCoreUsage *self = PM_CORE_USAGE (object);

  g_free (self->last_total);
  g_free (self->last_idle);

  G_OBJECT_CLASS (pm_core_usage_parent_class)->finalize (object);
}

static void
pm_core_usage_class_init (PmCoreUsageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pm_core_usage_finalize;

  glibtop_init ();
}

static void
pm_core_usage_init (PmCoreUsage *self)
{
  /* libgtop's ncpu is the index of the last CPU it reads (0 on a single CPU) */
  self->n_cpus = CLAMP (glibtop_global_server->ncpu + 1, 1, GLIBTOP_NCPU);
  self->last_total = g_new0 (guint64, self->n_cpus);
  self->last_idle = g_new0 (guint64, self->n_cpus);
}

PmCoreUsage *
pm_core_usage_new (void)
{
  return g_object_new (PM_TYPE_CORE_USAGE, NULL);
}

/**
 * pm_core_usage_get_n_cpus:
 *
 * Returns: how many values each sample gives: one per CPU that libgtop reads
 */
guint
pm_core_usage_get_n_cpus (PmCoreUsage *self)
{
  g_return_val_if_fail (PM_IS_CORE_USAGE (self), 0);
  return self->n_cpus;
}

/**
 * pm_core_usage_sample:
 * @busy: (element-type double): set to one value per CPU, from 0 (idle) to 1 (busy all the
 *   time), over the time since the previous sample (since boot, the first time)
 *
 * Returns: how many values @busy holds
 */
guint
pm_core_usage_sample (PmCoreUsage *self,
                      GArray      *busy)
{
  glibtop_cpu cpu;

  g_return_val_if_fail (PM_IS_CORE_USAGE (self), 0);
  g_return_val_if_fail (busy != NULL, 0);

  glibtop_get_cpu (&cpu);
  g_array_set_size (busy, self->n_cpus);
  for (guint i = 0; i < self->n_cpus; i++)
    {
      guint64 idle = cpu.xcpu_idle[i] + cpu.xcpu_iowait[i];
      guint64 total = cpu.xcpu_total[i];
      /* Counters only grow; a CPU taken offline and back may restart them. */
      guint64 d_total = total >= self->last_total[i] ? total - self->last_total[i] : total;
      guint64 d_idle = idle >= self->last_idle[i] ? idle - self->last_idle[i] : idle;
      double value = 0;

      if (d_total > 0)
        value = 1.0 - (double)MIN (d_idle, d_total) / d_total;
      g_array_index (busy, double, i) = CLAMP (value, 0.0, 1.0);
      self->last_total[i] = total;
      self->last_idle[i] = idle;
    }
  return self->n_cpus;
}
