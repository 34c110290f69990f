/* pm-pool.h: a concurrency-limited pool of jobs, exposed as a GListModel of PmJob */
#pragma once

#include <gio/gio.h>

#include "pm-host.h"
#include "pm-job.h"
#include "pm-job-source.h"
#include "pm-template.h"
#include "pm-types.h"

G_BEGIN_DECLS

#define PM_TYPE_POOL (pm_pool_get_type ())

G_DECLARE_FINAL_TYPE (PmPool, pm_pool, PM, POOL, GObject)

#define PM_POOL_ERROR (pm_pool_error_quark ())

typedef enum
{
  PM_POOL_ERROR_INVALID_LIMIT,
  PM_POOL_ERROR_NOT_IDLE,
  PM_POOL_ERROR_READ_ONLY,
  PM_POOL_ERROR_NOT_FOUND,
  PM_POOL_ERROR_NOT_RUNNING,
  PM_POOL_ERROR_INVALID,
} PmPoolError;

/**
 * PmLimitChange:
 * @time: wall-clock time of the change, in microseconds since the epoch
 * @limit: the limit from then on
 */
typedef struct
{
  gint64 time;
  guint  limit;
} PmLimitChange;

#define PM_POOL_MAX_LIMIT 100000

/**
 * PmHalt:
 * @when: %PM_HALT_NEVER, %PM_HALT_SOON (drain: running jobs finish) or %PM_HALT_NOW (stop:
 *   running jobs are ended)
 * @on: which finished jobs count: failed ones, succeeded ones, or all
 * @count: halt when this many have counted (used when @percent is 0)
 * @percent: halt when this percentage of all jobs has counted
 *
 * When a pool gives up, as GNU parallel's --halt.
 */
typedef enum
{
  PM_HALT_NEVER,
  PM_HALT_SOON,
  PM_HALT_NOW,
} PmHaltWhen;

typedef enum
{
  PM_HALT_ON_FAIL,
  PM_HALT_ON_SUCCESS,
  PM_HALT_ON_DONE,
} PmHaltOn;

typedef struct
{
  PmHaltWhen when;
  PmHaltOn   on;
  guint      count;
  guint      percent;
} PmHalt;

/**
 * PmPoolStartGate:
 * @pool: the pool about to start a job
 * @user_data: as given to pm_pool_set_start_gate()
 *
 * Asked before each job starts (as GNU parallel's --delay, --load and --memfree).
 *
 * Returns: 0 to start it now, else how many ms to wait before asking again
 */
typedef guint (*PmPoolStartGate) (PmPool   *pool,
                                  gpointer  user_data);

/**
 * PmPoolPassFunc:
 * @pool: the pool
 * @job: whose output it is
 * @stream: stdout or stderr
 * @pipe_fd: the job's pipe (the pool's descriptor: dup() it to keep it)
 * @len: how many bytes at its front are whole lines (the last one ends in a newline)
 * @token: to give to pm_pool_output_passed() once they are taken
 *
 * See pm_pool_set_output_pass_func().
 *
 * Returns: %TRUE when the front end takes the @len bytes out of the pipe itself
 */
typedef gboolean (*PmPoolPassFunc) (PmPool         *pool,
                                    PmJob          *job,
                                    PmOutputStream  stream,
                                    int             pipe_fd,
                                    gsize           len,
                                    guint64         token,
                                    gpointer        user_data);

/**
 * PmPoolFilesFunc:
 * @pool: the pool
 * @job: a job about to start on this machine
 * @fds: (out caller-allocates) (array fixed-size=2): the files the job's stdout and stderr are
 *   to be, the front end's descriptors (they stay its own, open)
 * @user_data: as given
 *
 * See pm_pool_set_output_files_func().
 *
 * Returns: %TRUE when the job writes to @fds itself, %FALSE to read its output as usual
 */
typedef gboolean (*PmPoolFilesFunc) (PmPool   *pool,
                                     PmJob    *job,
                                     int       fds[2],
                                     gpointer  user_data);

/**
 * PmPoolReclaimFunc:
 * @pool: the pool
 * @token: lines given to the #PmPoolPassFunc and not yet taken
 *
 * The pool needs the job's pipe back (its job has ended and its last output is to be read):
 * the lines are to be taken out of it now, into memory if they cannot go on yet, and
 * pm_pool_output_passed() called (at once, or soon from the thread that takes them).
 */
typedef void (*PmPoolReclaimFunc) (PmPool   *pool,
                                   guint64   token,
                                   gpointer  user_data);

#define PM_TIMEOUT_MAX_SECONDS 86400
#define PM_TIMEOUT_MAX_PERCENT 100000

gboolean     pm_timeout_parse           (const char   *text,
                                         guint        *msec,
                                         guint        *percent,
                                         GError      **error);
gboolean     pm_halt_parse              (const char   *text,
                                         PmHalt       *halt,
                                         GError      **error);

GQuark       pm_pool_error_quark        (void);
PmPool      *pm_pool_new                (guint         max_workers);
guint        pm_pool_get_max_workers    (PmPool       *self);
gboolean     pm_pool_set_max_workers    (PmPool       *self,
                                         guint         max_workers,
                                         GError      **error);
guint        pm_pool_get_effective_limit (PmPool      *self);
const char  *pm_pool_get_limit_reason   (PmPool       *self);
GPid         pm_pool_get_slot_pid       (PmPool       *self,
                                         guint         number);
const char  *pm_pool_get_slot_host      (PmPool       *self,
                                         guint         number);
void         pm_pool_add_host           (PmPool       *self,
                                         PmHost       *host);
GPtrArray   *pm_pool_dup_hosts          (PmPool       *self);
void         pm_pool_remove_host        (PmPool       *self,
                                         PmHost       *host);
gboolean     pm_pool_set_files          (PmPool              *self,
                                         const char * const  *basefiles,
                                         PmTemplate          *transfer,
                                         PmTemplate          *returns,
                                         PmTemplate          *workdir,
                                         gboolean             cleanup,
                                         GError             **error);
void         pm_pool_set_hosts          (PmPool       *self,
                                         GPtrArray    *hosts);
PmHost      *pm_pool_get_lane_host      (PmPool       *self,
                                         guint         lane);
void         pm_pool_hold_output        (PmPool       *self,
                                         gboolean      held);
void         pm_pool_read_only_job_output (PmPool     *self,
                                           PmJob      *job);
guint        pm_pool_get_grace_period   (PmPool       *self);
void         pm_pool_set_grace_period   (PmPool       *self,
                                         guint         msec);
guint        pm_pool_get_timeout        (PmPool       *self);
void         pm_pool_set_timeout        (PmPool       *self,
                                         guint         msec);
void         pm_pool_set_timeout_percent (PmPool      *self,
                                          guint        percent);
gboolean     pm_pool_set_term_seq       (PmPool       *self,
                                         const char   *term_seq,
                                         GError      **error);
void         pm_pool_set_capture_output (PmPool       *self,
                                         gboolean      capture);
void         pm_pool_set_direct_output  (PmPool       *self,
                                         gboolean      stdout_,
                                         gboolean      stderr_);
void         pm_pool_set_output_chunks  (PmPool       *self,
                                         gboolean      chunks);
void         pm_pool_set_output_pass_func (PmPool     *self,
                                           PmPoolPassFunc func,
                                           PmPoolReclaimFunc reclaim,
                                           gpointer    user_data);
void         pm_pool_output_passed      (PmPool       *self,
                                         guint64       token);
void         pm_pool_set_output_files_func (PmPool    *self,
                                            PmPoolFilesFunc func,
                                            gpointer   user_data);
guint        pm_pool_get_retries        (PmPool       *self);
gboolean     pm_pool_will_retry         (PmPool       *self,
                                         PmJob        *job);
void         pm_pool_set_retries        (PmPool       *self,
                                         guint         retries);
void         pm_pool_set_halt           (PmPool       *self,
                                         const PmHalt *halt);
void         pm_pool_set_start_gate     (PmPool       *self,
                                         PmPoolStartGate gate,
                                         gpointer      user_data);
gboolean     pm_pool_get_halted         (PmPool       *self);
int          pm_pool_get_exit_status    (PmPool       *self);
PmPoolState  pm_pool_get_state          (PmPool       *self);
gboolean     pm_pool_is_active          (PmPool       *self);
guint        pm_pool_get_n_queued       (PmPool       *self);
guint        pm_pool_get_n_running      (PmPool       *self);
double       pm_pool_get_queued_planned (PmPool       *self,
                                         guint        *n_unplanned);
GPtrArray   *pm_pool_dup_running_jobs   (PmPool       *self);
guint        pm_pool_get_n_done         (PmPool       *self);
guint        pm_pool_get_n_failed       (PmPool       *self);
guint        pm_pool_get_n_cancelled    (PmPool       *self);
guint        pm_pool_get_peak_running   (PmPool       *self);
gint64       pm_pool_get_start_time     (PmPool       *self);
gint64       pm_pool_get_end_time       (PmPool       *self);
gint64       pm_pool_get_elapsed        (PmPool       *self);
const PmLimitChange *pm_pool_get_limit_changes (PmPool *self,
                                                guint  *n_changes);
PmJob       *pm_pool_get_job_by_seq     (PmPool       *self,
                                         guint         seq);
void         pm_pool_add_jobs           (PmPool       *self,
                                         PmJob       **jobs,
                                         guint         n_jobs);
void         pm_pool_add_job            (PmPool       *self,
                                         PmJob        *job);
void         pm_pool_set_source         (PmPool       *self,
                                         PmJobSource  *source);
void         pm_pool_set_pull_ahead     (PmPool       *self,
                                         guint         batch);
void         pm_pool_set_keep_finished  (PmPool       *self,
                                         gboolean      keep);
guint        pm_pool_get_n_jobs         (PmPool       *self);
gint64       pm_pool_get_n_total        (PmPool       *self);
guint        pm_pool_get_n_waiting      (PmPool       *self,
                                         gboolean     *more);
gint64       pm_pool_get_total_runtime  (PmPool       *self);
gint64       pm_pool_get_total_cpu_time (PmPool       *self);
const GError *pm_pool_get_source_error  (PmPool       *self);
gboolean     pm_pool_get_source_left    (PmPool       *self);
gboolean     pm_pool_start              (PmPool       *self,
                                         GError      **error);
void         pm_pool_drain              (PmPool       *self);
void         pm_pool_stop               (PmPool       *self);
gboolean     pm_pool_signal_job         (PmPool       *self,
                                         PmJob        *job,
                                         int           signum,
                                         GError      **error);
gboolean     pm_pool_job_awaits_files   (PmPool       *self,
                                         PmJob        *job);
gboolean     pm_pool_terminate_job      (PmPool       *self,
                                         PmJob        *job,
                                         GError      **error);
gboolean     pm_pool_kill_job           (PmPool       *self,
                                         PmJob        *job,
                                         GError      **error);
gboolean     pm_pool_pause_job          (PmPool       *self,
                                         PmJob        *job,
                                         GError      **error);
gboolean     pm_pool_resume_job         (PmPool       *self,
                                         PmJob        *job,
                                         GError      **error);
gboolean     pm_pool_cancel_job         (PmPool       *self,
                                         PmJob        *job,
                                         GError      **error);
gboolean     pm_pool_retry_job          (PmPool       *self,
                                         PmJob        *job,
                                         GError      **error);

G_END_DECLS
