/* test-pool-slots.c: the pool over its slot processes (pool-slot), with real processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pm-pool.h"
#include "pm-slot-protocol.h"
#include "pm-test-util.h"

/* As Pool(3) is three worker processes: nine jobs run in three slot processes, each the parent
 * of its jobs (a job says its parent's PID), and every slot exits when the run is over. */
static void
test_slots_are_processes (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (3);
  g_autoptr(GHashTable) parents = g_hash_table_new (NULL, NULL);
  const char *argv[] = { "/bin/sh", "-c", "echo $PPID; sleep 0.1", NULL };
  GHashTableIter iter;
  gpointer slot;

  for (guint i = 1; i <= 9; i++)
    pm_test_add (pool, pm_job_new (i, "parent", NULL, argv));
  pm_test_run_pool (pool, 20);

  for (guint i = 1; i <= 9; i++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, i);
      g_autofree char *output = pm_job_dup_output (job);

      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_cmpint (pm_job_get_slot_pid (job), >, 0);
      g_assert_cmpint (atoi (output), ==, pm_job_get_slot_pid (job));
      g_hash_table_add (parents, GINT_TO_POINTER (pm_job_get_slot_pid (job)));
    }
  g_assert_cmpuint (g_hash_table_size (parents), ==, 3);
  g_hash_table_iter_init (&iter, parents);
  while (g_hash_table_iter_next (&iter, &slot, NULL))
    pm_test_wait_gone (GPOINTER_TO_INT (slot), 10);
}

static gboolean
has_output (gpointer data)
{
  return pm_job_get_output_bytes (data) > 0;
}

static int
printed_pid (PmJob      *job,
             const char *prefix)
{
  g_auto(GStrv) lines = pm_job_dup_output_lines (job);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return atoi (lines[i] + strlen (prefix));
  g_assert_not_reached ();
}

/* A slot SIGKILLed mid-job: the pool notices, kills the job's group (a grandchild that ignores
 * SIGTERM included), fails the job with the reason, and the next job runs in a fresh slot. */
static void
test_slot_killed_mid_job (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  PmJob *victim = pm_test_add (pool, pm_test_job (1, "child", "30000", "sleep", "30000", NULL));
  PmJob *next = pm_test_add (pool, pm_test_job (2, "exit", "0", NULL));
  g_autoptr(GError) error = NULL;
  GPid slot;
  int child;

  g_assert_true (pm_pool_start (pool, &error));
  pm_test_run_until (has_output, victim, 10);
  child = printed_pid (victim, "child=");
  g_assert_true (pm_test_process_alive (child));
  slot = pm_pool_get_slot_pid (pool, 1);
  g_assert_cmpint (slot, >, 0);

  g_assert_cmpint (kill (slot, SIGKILL), ==, 0);
  pm_test_run_pool (pool, 10);

  g_assert_cmpint (pm_job_get_state (victim), ==, PM_JOB_STATE_FAILED);
  g_assert_nonnull (strstr (pm_job_get_error_message (victim), "slot process"));
  g_assert_nonnull (strstr (pm_job_get_error_message (victim), "died"));
  pm_test_wait_gone (pm_job_get_pid (victim), 10);
  pm_test_wait_gone (child, 10);
  g_assert_cmpint (pm_job_get_state (next), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 1);
}

/* When a job's leader ends, what it left running in its own group is ended. */
static void
test_background_child_in_group_is_ended (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  PmJob *job = pm_test_add (pool, pm_test_job (1, "background", "30000", "exit", "0", NULL));
  int background;

  pm_test_run_pool (pool, 10);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  background = printed_pid (job, "bg=");
  g_assert_cmpint (background, >, 0);
  pm_test_wait_gone (background, 10);
}

/* A local job's output skips its slot: the pool made the job's stdout and stderr pipes and
 * reads them itself. While the job runs, the other end of its stdout is held by the pool (this
 * process), not by its slot (its parent). The slot closes its copies once posix_spawn ()
 * has returned, which may be after the job has begun: the job looks again for up to 5 s. */
static void
test_pool_reads_local_jobs_pipes (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  g_autofree char *script = g_strdup_printf (
    "for fd in 1 2; do p=$(readlink /proc/$$/fd/$fd); i=0; "
    "while s=$(readlink /proc/$PPID/fd/* | grep -cxF \"$p\"); "
    "[ \"$s\" != 0 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done; "
    "echo \"$fd: $p slot=$s "
    "pool=$(readlink /proc/%d/fd/* | grep -cxF \"$p\")\"; done", (int)getpid ());
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  PmJob *job = pm_test_add (pool, pm_job_new (1, "fds", NULL, argv));
  g_auto(GStrv) lines = NULL;

  pm_test_run_pool (pool, 20);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  lines = pm_job_dup_output_lines (job);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_test_message ("%s", lines[i]);
      g_assert_true (g_str_has_prefix (lines[i], i == 0 ? "1: pipe:[" : "2: pipe:["));
      g_assert_true (g_str_has_suffix (lines[i], " slot=0 pool=1"));
    }
}

/* A process that leaves the job's group and keeps its pipes open does not keep the job from
 * ending: once the leader is reaped, the pool reads the pipes for half a second more, takes
 * what is there and ends the job, as the slot did with its own pipes. */
static void
test_pipe_held_past_the_job (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  /* The job ends only once the background process has left its group (or the slot would
   * TERM it with the group). */
  const char *argv[] = { "/bin/sh", "-c",
                         "echo a; setsid sleep 30 & bg=$!; echo bg=$bg; "
                         "while [ \"$(cut -d' ' -f5 /proc/$bg/stat)\" = "
                         "\"$(cut -d' ' -f5 /proc/$$/stat)\" ]; do sleep 0.01; done; "
                         "echo b >&2", NULL };
  PmJob *job = pm_test_add (pool, pm_job_new (1, "held", NULL, argv));
  PmJob *next = pm_test_add (pool, pm_test_job (2, "exit", "0", NULL));
  g_autofree char *output = NULL;
  int background;

  pm_test_run_pool (pool, 20);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpint (pm_job_get_state (next), ==, PM_JOB_STATE_SUCCEEDED);
  background = printed_pid (job, "bg=");
  output = pm_job_dup_output (job);
  g_assert_nonnull (strstr (output, "a\n"));
  g_assert_nonnull (strstr (output, "b\n"));
  /* it still runs, out of the group, with the pipe's write end */
  g_assert_true (pm_test_process_alive (background));
  kill (background, SIGKILL);
  pm_test_wait_gone (background, 10);
}

/* A job whose START is too long for a frame fails to start, and passes nothing to its slot:
 * the next job on the same slot gets its own pipes, and its output comes. */
static void
test_too_long_start_leaves_no_pipes (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  g_autofree char *huge = g_strnfill (PM_SLOT_MAX_PAYLOAD + 1, 'x');
  const char *long_argv[] = { "/bin/echo", huge, NULL };
  const char *argv[] = { "/bin/echo", "after", NULL };
  PmJob *first = pm_test_add (pool, pm_job_new (1, "huge", NULL, long_argv));
  PmJob *next = pm_test_add (pool, pm_job_new (2, "after", NULL, argv));
  g_autofree char *output = NULL;

  pm_test_run_pool (pool, 20);
  g_assert_cmpint (pm_job_get_state (first), ==, PM_JOB_STATE_FAILED_TO_START);
  g_assert_cmpint (pm_job_get_state (next), ==, PM_JOB_STATE_SUCCEEDED);
  output = pm_job_dup_output (next);
  g_assert_cmpstr (output, ==, "after\n");
}

static void
collect (PmPool     *pool,
         PmJob      *job,
         int         stream,
         GBytes     *line,
         GByteArray *all)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (line, &len);

  g_byte_array_append (all, data, len);
}

/* Bytes come through exactly: NULs, every byte value, no newline added at the end. */
static void
test_binary_output_exact (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  PmJob *job = pm_test_add (pool, pm_test_job (1, "bytes", "100000", NULL));
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GBytes) tail = NULL;
  g_autofree guint8 *expected = g_malloc (100000);

  /* 0 … 255 over and over; the last byte (99999 % 256 = 159) is not a newline */
  for (guint k = 0; k < 100000; k++)
    expected[k] = k % 256;

  g_signal_connect (pool, "job-output", G_CALLBACK (collect), all);
  pm_test_run_pool (pool, 10);

  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpmem (all->data, all->len, expected, 100000);
  g_assert_cmpuint (pm_job_get_output_bytes (job), ==, 100000);
  tail = pm_job_dup_output_bytes (job);
  g_assert_cmpmem (g_bytes_get_data (tail, NULL), g_bytes_get_size (tail), expected, 100000);
}

static void
count_pieces (PmPool *pool,
              PmJob  *job,
              int     stream,
              GBytes *line,
              guint  *pieces)
{
  gsize len;
  const char *data = g_bytes_get_data (line, &len);

  g_assert_null (memchr (data, '\n', len));
  (*pieces)++;
}

/* A line of 3 MiB without a newline comes in pieces, in order, with nothing added: the pool
 * holds a piece of it at a time, not all of it. */
static void
test_long_line_in_pieces (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  PmJob *job = pm_test_add (pool, pm_test_job (1, "flood", "3145728", NULL));
  g_autoptr(GByteArray) all = g_byte_array_new ();
  guint pieces = 0;

  g_signal_connect (pool, "job-output", G_CALLBACK (collect), all);
  g_signal_connect (pool, "job-output", G_CALLBACK (count_pieces), &pieces);
  pm_test_run_pool (pool, 20);

  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  g_assert_cmpuint (all->len, ==, 3145728);
  for (guint k = 0; k < all->len; k++)
    if (all->data[k] != 'x')
      g_error ("byte %u is %u", k, all->data[k]);
  g_assert_cmpuint (pieces, >=, 3);
}

static gboolean
n_running_is (PmPool *pool,
              guint   n)
{
  return pm_pool_get_n_running (pool) == n;
}

static gboolean
three_running (gpointer data)
{
  return n_running_is (data, 3);
}

static gboolean
one_running (gpointer data)
{
  return n_running_is (data, 1);
}

/* Lowering the limit lets the slots above it finish their job and exit; the others go on. */
static void
test_lowered_limit_retires_slots (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (3);
  g_autoptr(GError) error = NULL;
  GPid lanes[4];

  for (guint i = 1; i <= 6; i++)
    pm_test_add (pool, pm_test_job (i, "sleep", "400", NULL));
  g_assert_true (pm_pool_start (pool, &error));
  pm_test_run_until (three_running, pool, 10);
  for (guint lane = 1; lane <= 3; lane++)
    lanes[lane] = pm_pool_get_slot_pid (pool, lane);

  g_assert_true (pm_pool_set_max_workers (pool, 1, &error));
  pm_test_run_until (one_running, pool, 10);
  pm_test_wait_gone (lanes[2], 10);
  pm_test_wait_gone (lanes[3], 10);
  g_assert_true (pm_test_process_alive (lanes[1]));
  g_assert_cmpint (pm_pool_get_slot_pid (pool, 1), ==, lanes[1]);
  g_assert_cmpint (pm_pool_get_slot_pid (pool, 2), ==, 0);

  pm_test_run_pool (pool, 20);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 6);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 0);
  pm_test_wait_gone (lanes[1], 10);
}

/* A job that keeps a CPU busy for 0.3 s: its CPU time (from its slot's wait4) is most of that,
 * and never more than it ran; its peak memory is known and plausible. */
static void
test_cpu_busy_job_resources (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  PmJob *job = pm_test_add (pool, pm_test_job (1, "burn", "300", NULL));

  pm_test_run_pool (pool, 20);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  g_test_message ("user %" G_GINT64_FORMAT " µs, system %" G_GINT64_FORMAT " µs, ran %"
                  G_GINT64_FORMAT " µs, peak %" G_GUINT64_FORMAT " B",
                  pm_job_get_user_time (job), pm_job_get_system_time (job),
                  pm_job_get_runtime (job), pm_job_get_peak_memory (job));
  g_assert_cmpint (pm_job_get_user_time (job), >, 0);
  g_assert_cmpint (pm_job_get_system_time (job), >=, 0);
  g_assert_cmpint (pm_job_get_cpu_time (job), ==,
                   pm_job_get_user_time (job) + pm_job_get_system_time (job));
  /* Busy for 0.3 s by its own clock: at least 0.1 s of it on a CPU, even on a loaded machine,
   * and no more than it ran. */
  g_assert_cmpint (pm_job_get_cpu_time (job), >=, 100 * 1000);
  g_assert_cmpint (pm_job_get_cpu_time (job), <=, pm_job_get_runtime (job));
  g_assert_cmpuint (pm_job_get_peak_memory (job), >, 100 * 1024);
  g_assert_cmpuint (pm_job_get_peak_memory (job), <, 256 * 1024 * 1024);
}

/* The demo worker that computes (--work cpu) uses about its planned seconds of CPU, as its
 * rusage says: at least them, and not much more. */
static void
test_computing_worker_uses_its_cpu_seconds (void)
{
  g_autoptr(PmPool) pool = pm_pool_new (1);
  const char *argv[] = { g_getenv ("PM_POOL_WORKER"), "--name", "computer_0", "--sleep", "0.4",
                         "--work", "cpu", NULL };
  PmJob *job;
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (argv[0]);
  job = pm_test_add (pool, pm_job_new (1, "computer_0", NULL, argv));
  pm_test_run_pool (pool, 20);

  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  lines = pm_job_dup_output_lines (job);
  g_assert_cmpstr (lines[0], ==, "Started worker computer_0");
  g_assert_cmpstr (lines[1], ==, "computer_0 worker finished in 0.4 seconds");
  g_test_message ("CPU %" G_GINT64_FORMAT " µs over %" G_GINT64_FORMAT " µs",
                  pm_job_get_cpu_time (job), pm_job_get_runtime (job));
  g_assert_cmpint (pm_job_get_cpu_time (job), >=, 400 * 1000);
  g_assert_cmpint (pm_job_get_cpu_time (job), <=, 500 * 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pool/slots/are-processes", test_slots_are_processes);
  g_test_add_func ("/pool/slots/killed-mid-job", test_slot_killed_mid_job);
  g_test_add_func ("/pool/slots/end-what-a-job-left-in-its-group",
                   test_background_child_in_group_is_ended);
  g_test_add_func ("/pool/slots/pool-reads-local-jobs-pipes", test_pool_reads_local_jobs_pipes);
  g_test_add_func ("/pool/slots/pipe-held-past-the-job", test_pipe_held_past_the_job);
  g_test_add_func ("/pool/slots/too-long-start-leaves-no-pipes",
                   test_too_long_start_leaves_no_pipes);
  g_test_add_func ("/pool/slots/binary-output-exact", test_binary_output_exact);
  g_test_add_func ("/pool/slots/long-line-in-pieces", test_long_line_in_pieces);
  g_test_add_func ("/pool/slots/lowered-limit-retires-slots", test_lowered_limit_retires_slots);
  g_test_add_func ("/pool/slots/cpu-busy-job-resources", test_cpu_busy_job_resources);
  g_test_add_func ("/pool/slots/computing-worker-uses-its-cpu-seconds",
                   test_computing_worker_uses_its_cpu_seconds);

  return g_test_run ();
}
