/* pm-pool-internal.h: what the pool's files share. pm-pool.c keeps the queue, the slots and
 * the counters; pm-pool-job.c runs one job (spawn, output, exit, signals, timeout);
 * pm-pool-policy.c holds timeouts, retries and halting; pm-pool-control.c steers single jobs. */
#pragma once

#include "pm-median.h"
#include "pm-pool.h"

G_BEGIN_DECLS

typedef struct
{
  int   signum;
  guint delay_ms;
} PmTermStep;

typedef struct _Running Running;

typedef struct
{
  Running        *running;
  PmOutputStream  stream;
  GInputStream   *input;
  GByteArray     *partial;
} LineReader;

struct _Running
{
  PmPool       *pool;
  PmJob        *job;
  GSubprocess  *subprocess;
  GCancellable *cancellable;
  LineReader    out;
  LineReader    err;
  guint         pending;
  GPid          pgid;
  gint64        end_wall;
  gint64        end_mono;
  guint         timeout_source;
  guint         drain_source;    /* the process has ended: how long its output may go on */
  gboolean      draining;        /* that time is up: read what is there, then stop */
  guint         term_step;
  gboolean      timed_out;
  GArray       *escaped;         /* PmProc: descendants seen outside the group, signalled too */
  gboolean      spawning;        /* the spawner thread has not started the process yet */
  int           pending_signal;  /* sent once it has, the last asked for while spawning */
};


struct _PmPool
{
  GObject              parent_instance;

  GPtrArray           *jobs;
  GHashTable          *by_seq;
  GQueue               queue;
  GHashTable          *running;
  GArray              *busy_slots;
  GArray              *limit_changes;

  GSubprocessFlags     spawn_flags;
  GThreadPool         *spawner;   /* one thread that spawns the jobs, in order */
  GMainContext        *context;   /* where the pool was made, and hears back from it */
  char                *exec_shim;
  char                 pid_str[16];
  GHashTable          *program_paths;

  guint                timeout_ms;
  guint                timeout_percent;
  GArray              *term_seq;
  PmMedian             success_runtimes;
  guint                retries;
  gboolean             capture_output;
  PmHalt               halt;
  gboolean             halted;

  PmPoolState          state;
  guint                max_workers;
  guint                grace_period;
  guint                n_running;
  guint                n_done;
  guint                n_failed;
  guint                peak_running;
  gint64               start_time;
  gint64               start_mono;
  gint64               end_time;
  gint64               end_mono;
  guint                kill_source;
  GArray              *leftovers;    /* PmProc: what left the groups of jobs a stop ended */
  guint                leftover_source;
  GArray              *procs;        /* the last look at the process tree (PmProc)… */
  gint64               procs_time;   /* …and when it was taken (monotonic µs) */
};

enum {
  PROP_0,
  PROP_MAX_WORKERS,
  PROP_GRACE_PERIOD,
  PROP_STATE,
  PROP_N_JOBS,
  PROP_N_QUEUED,
  PROP_N_RUNNING,
  PROP_N_DONE,
  PROP_N_FAILED,
  PROP_START_TIME,
  PROP_END_TIME,
  PROP_TIMEOUT,
  PROP_RETRIES,
  N_PROPS
};

enum {
  JOB_STARTED,
  JOB_FINISHED,
  JOB_OUTPUT,
  N_SIGNALS
};

extern GParamSpec *_pm_pool_properties[N_PROPS];
extern guint       _pm_pool_signals[N_SIGNALS];

#define PM_POOL_DEFAULT_TERM_SEQ "TERM,200,TERM,100,TERM,50,KILL,25"

/* pm-pool-policy.c */
guint     _pm_pool_get_timeout_for_start (PmPool *self);
void      _pm_pool_record_success (PmPool    *self,
                                   gint64     runtime);
void      _pm_pool_check_halt    (PmPool     *self);

/* pm-pool.c */
void      _pm_pool_set_state     (PmPool     *self,
                                  PmPoolState state);
void      _pm_pool_requeue       (PmPool     *self,
                                  PmJob      *job);
guint     _pm_pool_take_slot     (PmPool     *self);
void      _pm_pool_release_slot  (PmPool     *self,
                                  guint       slot);
void      _pm_pool_job_done      (PmPool     *self,
                                  PmJob      *job,
                                  PmJobState  state);
void      _pm_pool_fill          (PmPool     *self);
void      _pm_pool_check_finished (PmPool    *self);
void      _pm_pool_kill_leftovers (PmPool    *self);

/* pm-util.c */
GArray   *_pm_term_seq_parse     (const char  *text,
                                  GError     **error);

/* pm-pool-job.c */
void      _pm_pool_start_job     (PmPool     *self,
                                  PmJob      *job);
void      _pm_running_free       (Running    *running);
gboolean  _pm_running_signal     (Running    *running,
                                  int         signum);

G_END_DECLS
