/* pm-pool-internal.h: what the pool's files share. pm-pool.c keeps the queue, the slots and
 * the counters; pm-pool-job.c runs one job (start, exit, signals, timeout), pm-pool-output.c
 * cuts its output into lines;
 * pm-pool-policy.c holds timeouts, retries, halting and the limit the system set;
 * pm-pool-control.c steers single jobs. */
#pragma once

#include "pm-job-source.h"
#include "pm-host.h"
#include "pm-median.h"
#include "pm-pool.h"
#include "pm-slot-protocol.h"
#include "pm-template.h"

G_BEGIN_DECLS

typedef struct
{
  int   signum;
  guint delay_ms;
} PmTermStep;

/* What slots say (a job's output and end, and so the start of the next job, which comes from
 * there) is handled at the priority of redrawing (GDK_PRIORITY_REDRAW is G_PRIORITY_HIGH_IDLE
 * + 20), below input. GLib dispatches every ready source of the highest ready priority, so a
 * window over a pool of thousands of short jobs keeps painting, and a pool under a window that
 * paints every frame keeps running its jobs. (Below redrawing, at G_PRIORITY_DEFAULT_IDLE, a
 * window that painted without a pause under Xvfb left a finished job's slot empty for 2.5 s
 * before the next job started.) */
#define PM_POOL_IO_PRIORITY (G_PRIORITY_HIGH_IDLE + 20)

typedef struct _Running Running;
typedef struct _Slot    Slot;

/* A slot process (pool-slot) and the pool's end of its channel (pm-pool-slot.c): its stdin and
 * stdout, or for a remote slot served by its host's slot server, a socket. */
struct _Slot
{
  PmPool      *pool;          /* not a reference: the pool owns its slots */
  guint        number;        /* the lane; 0 once retired */
  GSubprocess *subprocess;    /* NULL for a socket's */
  GPid         pid;           /* of the subprocess, or 0 */
  int          socket_fd;     /* our connection to its host's slot server, or -1 */
  int          read_fd;       /* the slot's standard output, or the socket */
  int          write_fd;      /* its standard input, or the socket; -1 once closed */
  guint        read_source;
  guint        write_source;
  PmSlotBuf    in;            /* what came, not yet a whole frame */
  PmSlotBuf    out;           /* what the slot has not taken yet */
  gboolean     greeted;       /* HELLO came, with our version */
  gint64       spawn_mono;    /* when it was started */
  Running     *running;       /* its job, or NULL */
  PmHost      *host;          /* where it runs (a reference), NULL for this machine */
  gboolean     direct_stdout; /* it holds our stdout as PM_SLOT_DIRECT_FD */
  int          pass_fd;       /* local: our end of its PM_SLOT_PASS_FD socket, or -1 */
  int          err_fd;        /* a remote slot's ssh's standard error, or -1 */
  guint        err_source;
  GString     *err;           /* the end of what ssh said there */
};

/* A host of the pool, and its getting ready again after it was lost (pm-pool-hosts.c) */
typedef struct
{
  PmPool       *pool;
  PmHost       *host;
  guint         first_lane;
  guint         n_lanes;
  guint         tries;         /* preparations since it was lost */
  guint         retry_source;
  GCancellable *cancellable;
  gboolean      preparing;
  gboolean      removed;       /* taken out while running (pm_pool_remove_host()) */
  gboolean      base_sent;     /* --basefile: on the host since it was last prepared */
  gboolean      base_sending;
  GCancellable *base_cancellable;
} PoolHost;

/* Files moved to and from remote hosts around jobs, as GNU parallel (pm-pool-files.c) */
typedef struct
{
  char       **basefiles;
  PmTemplate  *transfer;   /* NULL: none */
  PmTemplate  *returns;
  PmTemplate  *workdir;    /* NULL: the login dir there, the current one here */
  gboolean     cleanup;
} PoolFiles;

/* A job from its START to its EXITED (pm-pool-job.c). */
struct _Running
{
  PmPool       *pool;
  PmJob        *job;
  Slot         *slot;
  gint64        sent_wall;       /* when START was sent: the job's start */
  gint64        sent_mono;
  GPid          pgid;            /* the job's leader, once STARTED came */
  gboolean      started;
  GByteArray   *partial[3];      /* by PmOutputStream: a line not yet ended */
  GBytes       *tail_chunk;      /* chunks: the last lines, not yet in the job's tail */
  PmOutputStream tail_stream;
  guint         timeout_source;
  guint         term_step;
  gboolean      timed_out;
  GArray       *escaped;         /* PmProc: descendants seen outside the group, signalled too */
  int           pending_signal;  /* sent once STARTED came, the last asked for before */
  gboolean      remote;          /* its slot runs on another host: its PIDs are not ours */
  const char   *path;            /* argv[0] as sent (the pool's or the job's string) */
  char         *cwd;             /* where it runs, or NULL */
  GCancellable *files_cancel;    /* its transfers (pm-pool-files.c); cancelled when freed */
  GPtrArray    *steps;           /* the transfers still to do */
  GPtrArray    *sent;            /* what was put there, for --cleanup */
  gboolean      ended;           /* EXITED came: only its files are left to move */
  PmJobState    end_state;       /* the end, kept while files come back */
  int           end_status;
  int           end_signal;
  gboolean      passed;          /* we made its output pipes, and read them (pm-pool-pipes.c) */
  int           pipe_fd[2];      /* their read ends, stdout and stderr; -1 once ended */
  guint         pipe_source[2];
  gboolean      exit_pending;    /* EXITED came while a pipe was still open */
  PmSlotExited  exit;
  guint         drain_source;    /* the pipes' last half second after EXITED */
  gboolean      drain_due;       /* …which came while the front end took lines (pass_token) */
  gboolean      line_open[2];    /* the last byte read from the pipe was not a newline */
  guint64       pass_token[2];   /* the front end takes lines from the pipe (pm-pool-pass.c) */
  gboolean      big_pipe;        /* its stdout pipe was enlarged (pm-pool-pass.c) */
};


struct _PmPool
{
  GObject              parent_instance;

  GPtrArray           *jobs;
  GHashTable          *by_seq;
  GQueue               queue;         /* changed only through _pm_pool_queue_* (pm-pool-source.c) */
  gint64               queued_planned;  /* µs: the planned runtimes of the queued jobs that have one */
  guint                n_queued_unplanned;
  GHashTable          *running;
  GArray              *busy_slots;
  GArray              *limit_changes;

  char                *slot_program;
  GPtrArray           *hosts;         /* PoolHost, or NULL: every lane on this machine */
  PoolFiles           *files;         /* NULL: none moved */
  GMainContext        *context;       /* where the pool was made, and hears from its slots */
  GPtrArray           *lanes;         /* Slot by lane number (index 0 unused), or NULL */
  GPtrArray           *slots;         /* every Slot still alive, retired ones too */
  guint                n_slot_processes;  /* started and not yet reaped, or connected and not
                                           * yet closed */
  guint                effective_limit;   /* what the system let us run; G_MAXUINT: no cap */
  char                *limit_reason;
  guint                retry_source;
  guint                idle_retries;  /* refused in a row with nothing running */
  gboolean             output_held;
  PmJob               *output_only;   /* whose output alone is read, or NULL */
  GHashTable          *program_paths;

  guint                timeout_ms;
  guint                timeout_percent;
  GArray              *term_seq;
  PmMedian             success_runtimes;
  guint                retries;
  gboolean             capture_output;
  gboolean             direct_stdout;  /* local jobs write to our stdout, not through us */
  gboolean             direct_stderr;
  gboolean             output_chunks;   /* job-output may carry several lines */
  PmPoolPassFunc       pass_func;       /* pm-pool-pass.c: lines taken from the pipes… */
  PmPoolReclaimFunc    reclaim_func;
  gpointer             pass_data;
  int                  scratch[2];      /* …looked at through a copy (tee) in this pipe */
  guint64              next_token;
  guint                n_big_pipes;     /* enlarged pipes now open */
  PmPoolFilesFunc      files_func;      /* local jobs may write to the front end's files */
  gpointer             files_data;
  PmHalt               halt;
  gboolean             halted;
  int                  halt_status;   /* GNU parallel's exit status once halted, or -1 */
  PmPoolStartGate      start_gate;
  gpointer             start_gate_data;
  guint                gate_source;   /* waiting for the gate to open */

  /* pm-pool-source.c: jobs pulled from a source, and what is kept of finished ones */
  PmJobSource         *source;
  gulong               source_ready_id;
  guint                pull_batch;    /* jobs made ahead of the lanes per iteration, or 0 */
  guint                pull_idle;     /* the idle that makes the next batch */
  gboolean             source_waited; /* a pull found the source's input not there yet */
  gboolean             keep_finished;
  guint                n_added;       /* every job ever added, forgotten ones too */
  gboolean             unpulled_counted;
  gint64               total_runtime; /* µs, every finished attempt */
  gint64               total_cpu;     /* µs, of the attempts whose CPU time is known */
  gboolean             have_cpu;

  PmPoolState          state;
  guint                max_workers;
  guint                grace_period;
  guint                n_running;
  guint                n_done;
  guint                n_failed;
  guint                n_cancelled;  /* queued jobs that will not run (Stop, cancel) */
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
  PROP_N_CANCELLED,
  PROP_START_TIME,
  PROP_END_TIME,
  PROP_TIMEOUT,
  PROP_RETRIES,
  PROP_EFFECTIVE_LIMIT,
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
gboolean  _pm_pool_gate_closed   (PmPool     *self);
void      _pm_pool_check_halt    (PmPool     *self,
                                  PmJob      *job);

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

/* pm-pool-source.c */
void      _pm_pool_queue_push    (PmPool     *self,
                                  PmJob      *job,
                                  gboolean    at_head);
PmJob    *_pm_pool_queue_pop     (PmPool     *self);
void      _pm_pool_queue_unlink  (PmPool     *self,
                                  GList      *link);
gboolean  _pm_pool_pull          (PmPool     *self);
gboolean  _pm_pool_source_done   (PmPool     *self);
void      _pm_pool_count_finished (PmPool    *self,
                                   PmJob     *job);
void      _pm_pool_forget        (PmPool     *self,
                                  PmJob      *job);
void      _pm_pool_append_jobs   (PmPool     *self,
                                  PmJob     **jobs,
                                  guint       n_jobs,
                                  gint64      queued_time);
void      _pm_pool_clear_source  (PmPool     *self);
void      _pm_pool_pull_ahead    (PmPool     *self);
void      _pm_pool_count_unpulled (PmPool    *self);

/* pm-util.c */
GArray   *_pm_term_seq_parse     (const char  *text,
                                  GError     **error);

/* pm-pool-hosts.c */
PoolHost *_pm_pool_lane_host     (PmPool     *self,
                                  guint       lane);
gboolean  _pm_pool_lane_usable   (PmPool     *self,
                                  guint       lane);
void      _pm_pool_host_lost     (PmPool     *self,
                                  PmHost     *host,
                                  const char *reason);
void      _pm_pool_free_hosts    (PmPool     *self);

/* pm-pool-control.c */
void      _pm_pool_cancel_job    (PmPool     *self,
                                  PmJob      *job);

/* pm-pool-job.c */
void      _pm_running_give_back  (Running    *running);
gboolean  _pm_running_start_sent (Running    *running);
void      _pm_running_cancel     (Running    *running);
void      _pm_pool_start_job     (PmPool     *self,
                                  PmJob      *job);
void      _pm_running_free       (Running    *running);
gboolean  _pm_running_signal     (Running    *running,
                                  int         signum);
gboolean  _pm_running_message    (Running           *running,
                                  const PmSlotFrame *frame);
void      _pm_running_slot_died  (Running    *running,
                                  const char *why);
void      _pm_running_exited     (Running            *running,
                                  const PmSlotExited *exit);

/* pm-pool-output.c */
void      _pm_running_take_output (Running        *running,
                                   PmOutputStream  stream,
                                   const guint8   *data,
                                   gsize           len);
void      _pm_running_take_chunk  (Running        *running,
                                   PmOutputStream  stream,
                                   GBytes         *chunk);
void      _pm_running_flush_output (Running       *running);

/* pm-pool-pipes.c */
gboolean  _pm_running_pass_pipes  (Running            *running);
void      _pm_running_watch_pipes (Running            *running,
                                   gboolean            may_read);
gboolean  _pm_running_wait_pipes  (Running            *running,
                                   const PmSlotExited *exit);
void      _pm_running_close_pipes (Running            *running);

/* pm-pool-pass.c */
void      _pm_pool_enlarge_pipe   (PmPool             *self,
                                   Running            *running,
                                   int                 fd);
void      _pm_running_pipe_closed (Running            *running,
                                   int                 i);
gboolean  _pm_running_pass_lines  (Running            *running,
                                   int                 i);
void      _pm_pool_close_scratch  (PmPool             *self);
void      _pm_running_reclaim     (Running            *running);

/* pm-pool-pipes.c, for pm-pool-pass.c */
void      _pm_running_pipes_passed (Running           *running);

/* pm-pool-job.c, for pm-pool-pass.c */
void      _pm_running_count_passed (Running        *running,
                                    PmOutputStream  stream,
                                    GBytes         *last,
                                    gsize           len);

/* pm-pool-files.c */
typedef enum
{
  PM_FILES_NONE,     /* nothing to move: go on now */
  PM_FILES_PENDING,  /* moving (or failing soon): the job goes on when done */
} PmFilesStep;

PmFilesStep _pm_pool_files_before (Running    *running);
PmFilesStep _pm_pool_files_after  (Running    *running);
void      _pm_pool_files_free    (PoolFiles  *files);
void      _pm_pool_send_basefiles (PmPool    *self);
gboolean  _pm_pool_host_ready    (PoolHost   *ph);

/* pm-pool-job.c, for pm-pool-files.c */
void      _pm_running_send_start (Running    *running);
void      _pm_running_finish     (Running    *running,
                                  PmJobState  state,
                                  int         exit_status,
                                  int         term_signal);
void      _pm_running_files_failed (Running  *running,
                                    const char *why);

/* pm-pool-slot.c */
Slot     *_pm_slot_get           (PmPool     *self,
                                  guint       number,
                                  GError    **error);
gboolean  _pm_slot_send          (Slot       *slot,
                                  PmSlotBuf  *frame);
void      _pm_slot_retire        (Slot       *slot);
Slot     *_pm_pool_lane_slot     (PmPool     *self,
                                  guint       lane);
void      _pm_pool_retire_slots  (PmPool     *self,
                                  gboolean    all);
void      _pm_pool_free_slots    (PmPool     *self);
void      _pm_slot_watch_input   (Slot       *slot);

G_END_DECLS
