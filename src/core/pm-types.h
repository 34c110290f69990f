/* pm-types.h: enumerations shared by the engine and its front ends */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * PmJobState:
 * @PM_JOB_STATE_QUEUED: waiting for a free slot
 * @PM_JOB_STATE_RUNNING: its process runs in a slot
 * @PM_JOB_STATE_PAUSED: its process group is stopped (SIGSTOP); it still holds its slot
 * @PM_JOB_STATE_SUCCEEDED: exited with status 0
 * @PM_JOB_STATE_FAILED: exited with a status other than 0
 * @PM_JOB_STATE_KILLED: ended by a signal
 * @PM_JOB_STATE_TIMED_OUT: ended by the pool because it ran too long
 * @PM_JOB_STATE_FAILED_TO_START: its command could not be run at all
 * @PM_JOB_STATE_CANCELLED: taken out of the queue before it started
 */
typedef enum
{
  PM_JOB_STATE_QUEUED,
  PM_JOB_STATE_RUNNING,
  PM_JOB_STATE_PAUSED,
  PM_JOB_STATE_SUCCEEDED,
  PM_JOB_STATE_FAILED,
  PM_JOB_STATE_KILLED,
  PM_JOB_STATE_TIMED_OUT,
  PM_JOB_STATE_FAILED_TO_START,
  PM_JOB_STATE_CANCELLED,
} PmJobState;

/**
 * PmPoolState:
 * @PM_POOL_STATE_IDLE: not started yet
 * @PM_POOL_STATE_RUNNING: starting queued jobs as slots free up
 * @PM_POOL_STATE_DRAINING: running jobs finish, no new job starts
 * @PM_POOL_STATE_STOPPING: running jobs are being ended (TERM, grace period, KILL)
 * @PM_POOL_STATE_FINISHED: nothing runs and nothing will start
 * @PM_POOL_STATE_READ_ONLY: a run read back from a log; nothing can start
 */
typedef enum
{
  PM_POOL_STATE_IDLE,
  PM_POOL_STATE_RUNNING,
  PM_POOL_STATE_DRAINING,
  PM_POOL_STATE_STOPPING,
  PM_POOL_STATE_FINISHED,
  PM_POOL_STATE_READ_ONLY,
} PmPoolState;

/**
 * PmOutputStream:
 * @PM_OUTPUT_STDOUT: the job's standard output
 * @PM_OUTPUT_STDERR: the job's standard error
 */
typedef enum
{
  PM_OUTPUT_STDOUT = 1,
  PM_OUTPUT_STDERR = 2,
} PmOutputStream;

const char *pm_job_state_to_string   (PmJobState   state);
gboolean    pm_job_state_from_string (const char  *str,
                                      PmJobState  *state);
gboolean    pm_job_state_is_live     (PmJobState   state);
gboolean    pm_job_state_is_finished (PmJobState   state);
const char *pm_job_state_to_label    (PmJobState   state);

G_END_DECLS
