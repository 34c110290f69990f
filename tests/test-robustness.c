/* test-robustness.c: nothing lost, nothing left behind
 *
 * Floods of output, a pool-run killed mid-run, descriptors after many jobs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-pool.h"
#include "pm-runlog.h"
#include "pm-test-util.h"

static gboolean
under_a_checker (void)
{
  return g_getenv ("PM_UNDER_CHECKER") != NULL;
}

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Descriptors are closed by GLib's worker thread too, a moment after a job ends: let pending
 * work run until the count is down to @at_most, or five seconds have passed. */
static guint
settled_fd_count (guint at_most)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint n;

  while ((n = count_open_fds ()) > at_most && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10 * 1000);
    }

  return n;
}

static void
test_descriptors_after_many_jobs (void)
{
  guint n_jobs = under_a_checker () ? 500 : 10000;
  const char *argv[] = { "/bin/true", NULL };
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  PmPool *pool;
  guint before, after;

  before = count_open_fds ();

  pool = pm_pool_new (8);
  for (guint i = 1; i <= n_jobs; i++)
    g_ptr_array_add (jobs, pm_job_new (i, "true", NULL, argv));
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  pm_test_run_pool (pool, 600);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, n_jobs);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 0);
  g_assert_finalize_object (pool);

  /* GLib's worker and wakeup descriptors may appear with the first spawn; settle those first
   * by comparing with a second, small run. */
  after = settled_fd_count (before + 2);
  g_test_message ("open descriptors: %u before, %u after %u jobs", before, after, n_jobs);
  if (after > before + 2)
    {
      g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *link = g_strdup_printf ("/proc/self/fd/%s", name);
          g_autofree char *target = g_file_read_link (link, NULL);
          g_test_message ("fd %s → %s", name, target);
        }
    }
  g_assert_cmpuint (after, <=, before + 2);

  pool = pm_pool_new (8);
  for (guint i = 1; i <= 100; i++)
    {
      g_autoptr(PmJob) job = pm_job_new (i, "true", NULL, argv);
      pm_pool_add_job (pool, job);
    }
  pm_test_run_pool (pool, 60);
  g_assert_finalize_object (pool);
  if (settled_fd_count (after) != after)
    {
      g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *link = g_strdup_printf ("/proc/self/fd/%s", name);
          g_autofree char *target = g_file_read_link (link, NULL);
          g_test_message ("fd %s → %s", name, target);
        }
    }
  g_assert_cmpuint (count_open_fds (), ==, after);
}

/* pool-run with a job that writes a gigabyte: memory stays bounded, the job completes. */
static void
test_flood_keeps_memory_bounded (void)
{
  const char *size = under_a_checker () ? "104857600" : "1073741824";
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-j", "2", "--", pm_test_child (),
                         "{}", size, ":::", "flood", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  struct rusage usage;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_nonnull (strstr (err, "1 job: 1 succeeded"));

  /* Under Valgrind every child starts as a fork of the whole checked test process, and under
   * ASan pool-run's own allocator keeps a quarantine of hundreds of MB: the bound is checked in
   * plain builds (make check) only. */
  if (under_a_checker ())
    {
      g_test_message ("peak resident size not measured under a checker");
      return;
    }

  /* The largest child this test waited for: pool-run (its job writes from a 64 KiB buffer). */
  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  g_test_message ("largest child's peak resident size: %ld KiB", usage.ru_maxrss);
  g_assert_cmpint (usage.ru_maxrss, <, 64 * 1024);
}

static guint
count_data_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; *p; p++)
    n += *p == '\n';
  return n > 0 ? n - 1 : 0;
}

/* Killed with SIGKILL mid-run, pool-run's logs hold every job that finished and read back. */
static void
test_killed_pool_run_keeps_its_logs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-crash-XXXXXX", NULL);
  g_autofree char *joblog = g_build_filename (dir, "run.tsv", NULL);
  g_autofree char *events = g_build_filename (dir, "run.jsonl", NULL);
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-j", "3", "--quiet", "--joblog", joblog,
                         "--events", events, "--", pm_test_child (), "sleep", "{}", ":::",
                         "0", "0", "0", "60000", "60000", "0", "0", "60000", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) joblog_file = g_file_new_for_path (joblog);
  g_autoptr(GFile) events_file = g_file_new_for_path (events);
  g_autoptr(PmPool) from_joblog = NULL;
  g_autoptr(PmPool) from_events = NULL;
  guint finished = 0;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);

  /* Jobs 1-3 finish at once, then 4 and 5 hold two slots for a minute; 6 and 7 finish in the
   * third; 8 takes it. Wait (with a deadline) until the joblog shows those five. */
  for (guint tries = 0; tries < 1000 && count_data_lines (joblog) < 5; tries++)
    g_usleep (10 * 1000);
  g_assert_cmpuint (count_data_lines (joblog), ==, 5);

  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);

  from_joblog = pm_runlog_load (joblog_file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (from_joblog)), ==, 5);
  g_assert_cmpuint (pm_pool_get_n_failed (from_joblog), ==, 0);

  from_events = pm_runlog_load (events_file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (from_events)), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (from_events), i);
      finished += pm_job_get_state (job) == PM_JOB_STATE_SUCCEEDED;
    }
  g_assert_cmpuint (finished, ==, 5);

  g_unlink (joblog);
  g_unlink (events);
  g_rmdir (dir);
}

/* An enormous log is refused by its size, before anything is read into memory. */
static void
test_enormous_log_is_refused (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PmPool) pool = NULL;
  int fd = g_file_open_tmp ("pm-enormous-XXXXXX.tsv", &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "Seq\tHost\t", 10), ==, 10);
  /* A sparse file: two GiB that take no disk. */
  g_assert_cmpint (ftruncate (fd, (off_t)2 << 30), ==, 0);
  close (fd);

  file = g_file_new_for_path (path);
  pool = pm_runlog_load (file, &error);
  g_assert_null (pool);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "larger than 1 GiB"));
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/robustness/descriptors-after-many-jobs", test_descriptors_after_many_jobs);
  g_test_add_func ("/robustness/flood-keeps-memory-bounded", test_flood_keeps_memory_bounded);
  g_test_add_func ("/robustness/enormous-log-is-refused", test_enormous_log_is_refused);
  g_test_add_func ("/robustness/killed-pool-run-keeps-its-logs",
                   test_killed_pool_run_keeps_its_logs);

  return g_test_run ();
}
