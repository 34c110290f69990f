/* pm-what-if.c
 *
 * What a recorded run would have taken at another pool limit. The jobs are replayed through the
 * pool's own rule: they start in input order, as soon as fewer than the limit run, each in the
 * lowest free slot; jobs that end at the same moment all free their slots before the next start.
 *
 * The cores. A job is modelled as a span of its own (what it takes with a core whenever it wants
 * one) over which it wants `cpu / span` of a core. While the running jobs want more cores than
 * there are, the cores are shared as the kernel's scheduler shares them, fairly: a job that wants
 * less than an even share has what it wants, the others split the rest evenly (max-min). A job
 * that gets less than it wants goes at that fraction of its pace: it stretches. Sleeping jobs
 * want no core and never stretch. The cores are then all busy, so a run cannot beat its total
 * CPU time over the cores.
 *
 * A recorded job's span is not known when it was stretched: pm_what_if_calibrate() finds the
 * spans that give back each job's recorded duration when replayed at the recorded limit, starting
 * from the most CPU-bound reading (span = CPU time) and lengthening each span by what its replay
 * fell short. Jobs without a CPU time (GNU parallel's joblog) are taken as never wanting a core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pm-what-if.h"

#define CALIBRATION_ROUNDS 40
#define CALIBRATION_EPSILON 1e-4   /* seconds */

typedef struct
{
  double duration;   /* as recorded */
  double cpu;        /* seconds, or < 0 when unknown */
  double span;       /* its own length, unstretched */
} Job;

struct _PmWhatIf
{
  GArray *jobs;      /* of Job, in input order */
  guint   cores;     /* 0: no bound */
  guint   limit;     /* the recorded limit, 0 if none */
  double  recorded_makespan;
};

/* A binary min-heap of (key, value), ties broken by the smaller value. */
typedef struct
{
  double key;
  guint  value;
} Entry;

static gboolean
entry_before (const Entry *a,
              const Entry *b)
{
  return a->key < b->key || (a->key == b->key && a->value < b->value);
}

static void
heap_push (GArray *heap,
           double  key,
           guint   value)
{
  Entry entry = { key, value };
  guint i = heap->len;

  g_array_set_size (heap, heap->len + 1);
  while (i > 0 && entry_before (&entry, &g_array_index (heap, Entry, (i - 1) / 2)))
    {
      g_array_index (heap, Entry, i) = g_array_index (heap, Entry, (i - 1) / 2);
      i = (i - 1) / 2;
    }
  g_array_index (heap, Entry, i) = entry;
}

static Entry
heap_pop (GArray *heap)
{
  Entry top = g_array_index (heap, Entry, 0);
  Entry last = g_array_index (heap, Entry, heap->len - 1);
  guint n = heap->len - 1, i = 0;

  g_array_set_size (heap, n);
  if (n == 0)
    return top;
  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= n)
        break;
      if (child + 1 < n && entry_before (&g_array_index (heap, Entry, child + 1),
                                         &g_array_index (heap, Entry, child)))
        child++;
      if (!entry_before (&g_array_index (heap, Entry, child), &last))
        break;
      g_array_index (heap, Entry, i) = g_array_index (heap, Entry, child);
      i = child;
    }
  g_array_index (heap, Entry, i) = last;
  return top;
}

/* How much of a core the job wants while it runs */
static double
want (const Job *job)
{
  if (job->cpu <= 0 || job->span <= 0)
    return 0;
  return job->cpu / job->span;
}

/**
 * pm_what_if_new:
 * @cores: the cores the jobs share, or 0 for no bound
 *
 * Returns: (transfer full): an empty replay; add jobs with pm_what_if_add_job()
 */
PmWhatIf *
pm_what_if_new (guint cores)
{
  PmWhatIf *self = g_new0 (PmWhatIf, 1);

  self->jobs = g_array_new (FALSE, TRUE, sizeof (Job));
  self->cores = cores;
  return self;
}

void
pm_what_if_free (PmWhatIf *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->jobs);
  g_free (self);
}

/**
 * pm_what_if_add_job:
 * @duration: seconds it ran, as recorded
 * @cpu: seconds of CPU it used, or a negative number when unknown
 *
 * Adds the next job in input order. Until pm_what_if_calibrate() its span is taken as its
 * recorded duration.
 */
void
pm_what_if_add_job (PmWhatIf *self,
                    double    duration,
                    double    cpu)
{
  Job job = { MAX (duration, 0), cpu, MAX (duration, 0) };

  g_return_if_fail (self != NULL);
  g_array_append_val (self->jobs, job);
}

/**
 * pm_what_if_new_for_pool:
 * @pool: a finished (or loaded) run
 * @cores: the cores its jobs shared, or 0 for no bound
 *
 * The jobs of @pool that ran, in input order, with their durations and CPU times, calibrated at
 * the pool's limit.
 *
 * Returns: (transfer full): the replay
 */
PmWhatIf *
pm_what_if_new_for_pool (PmPool *pool,
                         guint   cores)
{
  PmWhatIf *self;
  guint n;
  gint64 first = G_MAXINT64, last = 0;

  g_return_val_if_fail (PM_IS_POOL (pool), NULL);

  self = pm_what_if_new (cores);
  n = g_list_model_get_n_items (G_LIST_MODEL (pool));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      gint64 runtime = pm_job_get_runtime (job);
      gint64 cpu = pm_job_get_cpu_time (job);

      if (!pm_job_is_finished (job) || runtime < 0 ||
          pm_job_get_state (job) == PM_JOB_STATE_CANCELLED ||
          pm_job_get_state (job) == PM_JOB_STATE_FAILED_TO_START)
        continue;
      pm_what_if_add_job (self, runtime / 1e6, cpu >= 0 ? cpu / 1e6 : -1);
      if (pm_job_get_start_time (job) > 0)
        first = MIN (first, pm_job_get_start_time (job));
      last = MAX (last, pm_job_get_start_time (job) + runtime);
    }

  if (first < last)
    self->recorded_makespan = (last - first) / 1e6;
  pm_what_if_calibrate (self, pm_pool_get_max_workers (pool));
  return self;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

/* The most of a core each job may have when the running jobs want @wanted in all on @cores: the
 * cores go to the smallest wants first, whole, and what is left is shared evenly among the rest
 * (a fair share: max-min). G_MAXDOUBLE when every job has what it wants. */
static double
fair_share (GArray *wants,
            double  wanted,
            guint   cores)
{
  double left = cores;
  guint n = wants->len;

  if (cores == 0 || wanted <= cores + 1e-9)
    return G_MAXDOUBLE;
  g_array_sort (wants, compare_doubles);
  for (guint i = 0; i < n; i++)
    {
      double want_i = g_array_index (wants, double, i);

      if (want_i * (n - i) > left)
        return left / (n - i);
      left -= want_i;
    }
  return G_MAXDOUBLE;
}

/**
 * pm_what_if_replay:
 * @limit: the pool limit, at least 1
 * @starts: (out) (optional): each job's replayed start, in seconds from the run's start
 * @ends: (out) (optional): each job's replayed end
 * @slots: (out) (optional): each job's slot, from 1
 * @cpu_bound: (out) (optional): whether the cores held the jobs back at some point
 *
 * The arrays, when given, hold one element per job.
 *
 * Returns: the makespan in seconds
 */
double
pm_what_if_replay (const PmWhatIf *self,
                   guint           limit,
                   double         *starts,
                   double         *ends,
                   guint          *slots,
                   gboolean       *cpu_bound)
{
  g_autoptr(GArray) running = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) free_slots = g_array_new (FALSE, FALSE, sizeof (Entry)); /* slot, slot */
  g_autoptr(GArray) wants = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint *slot_of = NULL;
  g_autofree double *left = NULL;
  guint n, next = 0;
  double now = 0, makespan = 0;
  gboolean bound = FALSE;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (limit >= 1, 0);

  n = self->jobs->len;
  slot_of = g_new0 (guint, MAX (n, 1));
  left = g_new0 (double, MAX (n, 1));
  for (guint slot = 1; slot <= MIN (limit, MAX (n, 1)); slot++)
    heap_push (free_slots, slot, slot);

  while (next < n || running->len > 0)
    {
      double wanted = 0, share, step = G_MAXDOUBLE;

      /* fill: input order, lowest free slot */
      while (next < n && running->len < limit)
        {
          Entry slot = heap_pop (free_slots);

          slot_of[next] = slot.value;
          left[next] = g_array_index (self->jobs, Job, next).span;
          if (starts)
            starts[next] = now;
          if (slots)
            slots[next] = slot.value;
          g_array_append_val (running, next);
          next++;
        }

      /* each job's pace until the next end: 1, or its fair share of the cores over its want */
      g_array_set_size (wants, 0);
      for (guint k = 0; k < running->len; k++)
        {
          double want_k = want (&g_array_index (self->jobs, Job,
                                                g_array_index (running, guint, k)));

          wanted += want_k;
          if (want_k > 0)
            g_array_append_val (wants, want_k);
        }
      share = fair_share (wants, wanted, self->cores);
      bound |= share != G_MAXDOUBLE;

#define PACE(job) (want (job) > share ? share / want (job) : 1.0)
      for (guint k = 0; k < running->len; k++)
        {
          guint i = g_array_index (running, guint, k);

          step = MIN (step, left[i] / PACE (&g_array_index (self->jobs, Job, i)));
        }
      now += step;

      for (guint k = 0; k < running->len;)
        {
          guint i = g_array_index (running, guint, k);
          const Job *job = &g_array_index (self->jobs, Job, i);

          left[i] -= step * PACE (job);
          if (left[i] > 1e-9 * MAX (job->span, 1))
            {
              k++;
              continue;
            }
          heap_push (free_slots, slot_of[i], slot_of[i]);
          if (ends)
            ends[i] = now;
          makespan = MAX (makespan, now);
          g_array_remove_index_fast (running, k);
        }
#undef PACE
    }

  if (cpu_bound)
    *cpu_bound = bound;
  return makespan;
}

/**
 * pm_what_if_calibrate:
 * @limit: the limit the jobs were recorded at
 *
 * Finds each job's span: the one whose replay at @limit on the cores gives back its recorded
 * duration. Without cores, or without CPU times, the spans are the recorded durations.
 */
void
pm_what_if_calibrate (PmWhatIf *self,
                      guint     limit)
{
  g_autofree double *starts = NULL;
  g_autofree double *ends = NULL;
  guint n;
  gboolean any_cpu = FALSE;

  g_return_if_fail (self != NULL);

  self->limit = limit;
  n = self->jobs->len;
  for (guint i = 0; i < n; i++)
    {
      Job *job = &g_array_index (self->jobs, Job, i);

      job->span = job->duration;
      if (job->cpu > 0 && job->duration > 0)
        {
          job->span = MIN (job->cpu, job->duration);
          any_cpu = TRUE;
        }
    }
  if (limit == 0 || self->cores == 0 || !any_cpu)
    {
      for (guint i = 0; i < n; i++)
        g_array_index (self->jobs, Job, i).span = g_array_index (self->jobs, Job, i).duration;
      return;
    }

  starts = g_new (double, n);
  ends = g_new (double, n);
  for (guint round = 0; round < CALIBRATION_ROUNDS; round++)
    {
      double worst = 0;

      pm_what_if_replay (self, limit, starts, ends, NULL, NULL);
      for (guint i = 0; i < n; i++)
        {
          Job *job = &g_array_index (self->jobs, Job, i);
          double short_by = job->duration - (ends[i] - starts[i]);

          worst = MAX (worst, fabs (short_by));
          job->span = CLAMP (job->span + short_by, MIN (MAX (job->cpu, 0), job->duration),
                             job->duration);
        }
      if (worst < CALIBRATION_EPSILON)
        break;
    }
}

guint
pm_what_if_get_n_jobs (const PmWhatIf *self)
{
  return self->jobs->len;
}

guint
pm_what_if_get_cores (const PmWhatIf *self)
{
  return self->cores;
}

/* The limit given to pm_what_if_calibrate(), 0 if none */
guint
pm_what_if_get_limit (const PmWhatIf *self)
{
  return self->limit;
}

/* The recorded durations' sum, in seconds */
double
pm_what_if_get_work (const PmWhatIf *self)
{
  double sum = 0;

  for (guint i = 0; i < self->jobs->len; i++)
    sum += g_array_index (self->jobs, Job, i).duration;
  return sum;
}

/* The CPU times' sum in seconds, or -1 when no job has one */
double
pm_what_if_get_cpu (const PmWhatIf *self)
{
  double sum = 0;
  gboolean any = FALSE;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      if (g_array_index (self->jobs, Job, i).cpu >= 0)
        {
          sum += g_array_index (self->jobs, Job, i).cpu;
          any = TRUE;
        }
    }
  return any ? sum : -1;
}

/* The recorded run's makespan in seconds (first start to last end), 0 if not known */
double
pm_what_if_get_recorded_makespan (const PmWhatIf *self)
{
  return self->recorded_makespan;
}

void
pm_what_if_set_recorded_makespan (PmWhatIf *self,
                                  double    seconds)
{
  self->recorded_makespan = seconds;
}

/* Twice the larger of the recorded limit and the cores, at least 2 */
guint
pm_what_if_get_max_limit (const PmWhatIf *self)
{
  return MAX (2 * MAX (self->limit, self->cores), 2);
}

/**
 * pm_what_if_table:
 * @max_limit: the last limit, or 0 for pm_what_if_get_max_limit()
 *
 * Returns: (transfer full): a #PmWhatIfPoint for each limit from 1 to @max_limit
 */
GArray *
pm_what_if_table (const PmWhatIf *self,
                  guint           max_limit)
{
  GArray *points = g_array_new (FALSE, TRUE, sizeof (PmWhatIfPoint));
  double one = 0;

  if (max_limit == 0)
    max_limit = pm_what_if_get_max_limit (self);
  for (guint limit = 1; limit <= max_limit; limit++)
    {
      PmWhatIfPoint point = { limit, 0, 0, FALSE };

      point.makespan = pm_what_if_replay (self, limit, NULL, NULL, NULL, &point.cpu_bound);
      if (limit == 1)
        one = point.makespan;
      point.speed_up = point.makespan > 0 ? one / point.makespan : 1;
      g_array_append_val (points, point);
    }
  return points;
}
