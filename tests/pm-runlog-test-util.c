/* pm-runlog-test-util.c: what the run-log tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-runlog.h"
#include "pm-runlog-test-util.h"

void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-runlog-XXXXXX", &error);
  g_assert_no_error (error);
}

void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

GFile *
fixture_file (Fixture    *fixture,
              const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  return g_file_new_for_path (path);
}

void
write_file (GFile      *file,
            const char *text,
            gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (g_file_peek_path (file), text, len, &error);
  g_assert_no_error (error);
}

char *
read_file_len (GFile *file,
               gsize *len)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (g_file_peek_path (file), &text, len, &error);
  g_assert_no_error (error);
  return text;
}

char *
read_file (GFile *file)
{
  gsize len = 0;
  char *text = read_file_len (file, &len);

  g_assert_cmpuint (strlen (text), ==, len);
  return text;
}

PmJob *
add_job (GPtrArray   *jobs,
         const char  *name,
         const char  *command,
         PmJobState   state,
         guint        slot,
         gint64       start,
         gint64       runtime,
         int          exit_status,
         int          term_signal)
{
  PmJob *job = pm_job_new (jobs->len + 1, name, NULL, NULL);

  if (command != NULL)
    _pm_job_set_command (job, command);
  _pm_job_set_queued_time (job, BASE);
  _pm_job_set_slot (job, slot);
  if (slot > 0)
    _pm_job_set_pid (job, 4000 + jobs->len);
  if (start > 0)
    {
      _pm_job_set_start_time (job, start, 0);
      _pm_job_set_end_time (job, start + runtime, 0);
      _pm_job_set_runtime (job, runtime);
    }
  _pm_job_set_exit (job, exit_status, term_signal);
  _pm_job_set_state (job, state);
  g_ptr_array_add (jobs, job);

  return job;
}

PmPool *
make_finished_pool (void)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  PmPool *pool;
  PmJob *job;
  const char *argv[] = { "pool-worker", "--name", "computer_0", "--sleep", "1", NULL };

  job = add_job (jobs, "computer_0", NULL, PM_JOB_STATE_SUCCEEDED, 1,
                 BASE + 10 * MSEC, 1 * SEC, 0, 0);
  _pm_job_take_argv (job, g_strdupv ((char **)argv));
  pm_job_set_planned (job, 1);
  _pm_job_append_output (job, PM_OUTPUT_STDOUT, "Started worker computer_0");
  _pm_job_append_output (job, PM_OUTPUT_STDOUT, "computer_0 worker finished in 1 seconds");
  _pm_job_set_resources (job, 750 * MSEC, 125 * MSEC, 12 * 1024 * 1024);

  job = add_job (jobs, "tab\there", "printf 'a\tb\nc'; exit 3", PM_JOB_STATE_FAILED, 2,
                 BASE + 20 * MSEC, 1500 * MSEC, 3, 0);
  _pm_job_append_output (job, PM_OUTPUT_STDERR, "a\tb");
  _pm_job_append_output (job, PM_OUTPUT_STDERR, "");

  add_job (jobs, "back\\slash\nnew line", "kill -9 $$", PM_JOB_STATE_KILLED, 3,
           BASE + 30 * MSEC, 250 * MSEC, -1, 9);

  job = add_job (jobs, "slow", "sleep 100", PM_JOB_STATE_TIMED_OUT, 1,
                 BASE + 1100 * MSEC, 2 * SEC, -1, 15);
  _pm_job_set_attempt (job, 2);

  job = add_job (jobs, "missing", "no-such-command", PM_JOB_STATE_FAILED_TO_START, 3,
                 BASE + 1200 * MSEC, 1 * MSEC, -1, 0);
  _pm_job_set_pid (job, 0);
  _pm_job_set_error_message (job, "Cannot run “no-such-command”: no such command");

  job = add_job (jobs, "ünïcödé", "echo ünïcödé", PM_JOB_STATE_SUCCEEDED, 2,
                 BASE + 1600 * MSEC, 2 * SEC, 0, 0);
  /* a CPU time that a joblog rounds to the millisecond; no peak memory known */
  _pm_job_set_resources (job, 1234567, 1000, 0);
  add_job (jobs, "never", "echo never", PM_JOB_STATE_CANCELLED, 0, 0, 0, -1, 0);

  pool = _pm_pool_new_read_only (2);
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  _pm_pool_add_limit_change (pool, BASE, 3);
  _pm_pool_add_limit_change (pool, BASE + 2 * SEC, 2);
  _pm_pool_set_times (pool, BASE, BASE + 3600 * MSEC);

  return pool;
}

static void
assert_time (gint64       a,
             gint64       b,
             CompareFlags flags)
{
  if (flags & COMPARE_MSEC)
    g_assert_cmpint (ABS (a - b), <=, 500);
  else
    g_assert_cmpint (a, ==, b);
}

static void
assert_same_job (PmJob        *a,
                 PmJob        *b,
                 CompareFlags  flags)
{
  g_autofree char *command_a = pm_job_dup_command (a);
  g_autofree char *command_b = pm_job_dup_command (b);

  g_test_message ("comparing job %u", pm_job_get_seq (a));
  g_assert_cmpuint (pm_job_get_seq (a), ==, pm_job_get_seq (b));
  g_assert_cmpstr (pm_job_get_name (a), ==, pm_job_get_name (b));
  g_assert_cmpstr (command_a, ==, command_b);
  g_assert_cmpstr (pm_job_state_to_string (pm_job_get_state (a)), ==,
                   pm_job_state_to_string (pm_job_get_state (b)));
  g_assert_cmpuint (pm_job_get_slot (a), ==, pm_job_get_slot (b));
  g_assert_cmpint (pm_job_get_pid (a), ==, pm_job_get_pid (b));
  g_assert_cmpuint (pm_job_get_attempt (a), ==, pm_job_get_attempt (b));
  g_assert_cmpint (pm_job_get_exit_status (a), ==, pm_job_get_exit_status (b));
  g_assert_cmpint (pm_job_get_term_signal (a), ==, pm_job_get_term_signal (b));
  assert_time (pm_job_get_queued_time (a), pm_job_get_queued_time (b), flags);
  assert_time (pm_job_get_start_time (a), pm_job_get_start_time (b), flags);
  assert_time (pm_job_get_end_time (a), pm_job_get_end_time (b), flags);
  if (pm_job_get_start_time (a) > 0)
    assert_time (pm_job_get_runtime (a), pm_job_get_runtime (b), flags);
  else
    g_assert_cmpint (pm_job_get_runtime (b), ==, -1);
  if (pm_job_get_cpu_time (a) >= 0)
    assert_time (pm_job_get_cpu_time (a), pm_job_get_cpu_time (b), flags);
  else
    g_assert_cmpint (pm_job_get_cpu_time (b), ==, -1);
  g_assert_cmpuint (pm_job_get_peak_memory (a), ==, pm_job_get_peak_memory (b));

  if (!(flags & COMPARE_NO_DETAILS))
    {
      g_auto(GStrv) lines_a = pm_job_dup_output_lines (a);
      g_auto(GStrv) lines_b = pm_job_dup_output_lines (b);
      const char * const *argv_a = pm_job_get_argv (a);
      const char * const *argv_b = pm_job_get_argv (b);

      g_assert_cmpstrv (lines_a, lines_b);
      if (pm_job_get_start_time (a) > 0)
        g_assert_cmpstrv (argv_a, argv_b);
      g_assert_cmpfloat (pm_job_get_planned (a), ==, pm_job_get_planned (b));
      g_assert_cmpstr (pm_job_get_error_message (a), ==, pm_job_get_error_message (b));
      g_assert_cmpint (pm_job_get_user_time (a), ==, pm_job_get_user_time (b));
      g_assert_cmpint (pm_job_get_system_time (a), ==, pm_job_get_system_time (b));
    }
}

void
assert_same_jobs (PmPool       *a,
                  PmPool       *b,
                  CompareFlags  flags)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job_a = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(PmJob) job_b = g_list_model_get_item (G_LIST_MODEL (b), i);

      assert_same_job (job_a, job_b, flags);
    }
}

void
assert_same_limit_changes (PmPool *a,
                           PmPool *b)
{
  const PmLimitChange *changes_a, *changes_b;
  guint n_a, n_b;

  changes_a = pm_pool_get_limit_changes (a, &n_a);
  changes_b = pm_pool_get_limit_changes (b, &n_b);
  g_assert_cmpuint (n_a, ==, n_b);
  for (guint i = 0; i < n_a; i++)
    {
      g_assert_cmpint (changes_a[i].time, ==, changes_b[i].time);
      g_assert_cmpuint (changes_a[i].limit, ==, changes_b[i].limit);
    }
}

PmPool *
save_and_load (PmPool      *pool,
               PmLogFormat  format,
               GFile       *file)
{
  g_autoptr(GError) error = NULL;
  PmPool *loaded;

  pm_runlog_save (pool, format, file, &error);
  g_assert_no_error (error);
  loaded = pm_runlog_load (file, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint (pm_pool_get_state (loaded), ==, PM_POOL_STATE_READ_ONLY);

  return loaded;
}

PmJob *
job_at (PmPool *pool,
        guint   seq)
{
  PmJob *job = pm_pool_get_job_by_seq (pool, seq);

  g_assert_nonnull (job);
  return job;
}

void
assert_load_fails (GFile      *file,
                   const char *text,
                   gssize      len,
                   guint       lineno)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) pool = NULL;
  g_autofree char *where = g_strdup_printf ("%s:%u: ", g_file_peek_path (file), lineno);

  write_file (file, text, len);
  pool = pm_runlog_load (file, &error);
  g_assert_null (pool);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, where));
}

