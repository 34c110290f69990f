/* test-slot-jobs.c: pool-slot, spoken to as the pool speaks to it (pm-slot-test-util.c): how a
 * job starts and ends: its exit code or signal and CPU time reported, a program or folder that
 * is missing, a script without #!, its input, folder and environment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-slot-test-util.h"

static void
test_exit_code_and_signal_are_reported (void)
{
  const char *exits[] = { test_child (), "exit", "3", NULL };
  const char *raises[] = { test_child (), "raise", "15", NULL };
  Slot *slot = slot_new ();
  Run run;

  slot_start (slot, &run, 1, exits);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 3);
  g_assert_cmpuint (run.exit.flags, ==, 0);
  run_clear (&run);

  slot_start (slot, &run, 2, raises);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_SIGNAL, SIGTERM);
  run_clear (&run);
  slot_free (slot);
}

static void
test_rusage_counts_cpu_time (void)
{
  const char *argv[] = { "/bin/sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done",
                         NULL };
  Slot *slot = slot_new ();
  Run run;

  slot_start (slot, &run, 1, argv);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  g_test_message ("utime %" G_GUINT64_FORMAT " µs, stime %" G_GUINT64_FORMAT " µs, "
                  "wall %" G_GINT64_FORMAT " µs, maxrss %" G_GUINT64_FORMAT " KiB",
                  run.exit.utime_us, run.exit.stime_us, run.wall_us, run.exit.maxrss_kib);
  g_assert_cmpuint (run.exit.utime_us, >, 0);
  g_assert_cmpuint (run.exit.utime_us + run.exit.stime_us, <=, (guint64)run.wall_us);
  g_assert_cmpuint (run.exit.maxrss_kib, >, 0);
  run_clear (&run);
  slot_free (slot);
}

static void
test_missing_program_fails_with_enoent (void)
{
  const char *absolute[] = { "/nonexistent/pool-slot-test", NULL };
  const char *searched[] = { "pool-slot-test-no-such-program", NULL };
  const char *after[] = { "/bin/true", NULL };
  Slot *slot = slot_new ();
  Run run;

  slot_start (slot, &run, 1, absolute);
  slot_pump (slot, &run, NULL);
  g_assert_true (run.failed);
  g_assert_cmpint (run.errnum, ==, ENOENT);
  g_assert_cmpstr (run.message, ==,
                   "cannot run “/nonexistent/pool-slot-test”: No such file or directory");
  run_clear (&run);

  slot_start (slot, &run, 2, searched);
  slot_pump (slot, &run, NULL);
  g_assert_true (run.failed);
  g_assert_cmpint (run.errnum, ==, ENOENT);
  run_clear (&run);

  /* The slot is idle again. */
  slot_start (slot, &run, 3, after);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  run_clear (&run);
  slot_free (slot);
}

static void
test_missing_directory_fails_with_its_name (void)
{
  const char *argv[] = { "/bin/true", NULL };
  Slot *slot = slot_new ();
  Run run;

  slot_start_full (slot, &run, 1, CAPTURE, 2000, argv, NULL, "/nonexistent-dir", NULL);
  slot_pump (slot, &run, NULL);
  g_assert_true (run.failed);
  g_assert_cmpint (run.errnum, ==, ENOENT);
  g_assert_cmpstr (run.message, ==,
                   "cannot change to “/nonexistent-dir”: No such file or directory");
  run_clear (&run);
  slot_free (slot);
}

static void
test_script_without_shebang_runs_through_sh (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-slot-XXXXXX", &error);
  g_autofree char *script = NULL;
  g_autofree char *path_env = NULL;
  Slot *slot;
  Run run;

  g_assert_no_error (error);
  script = g_build_filename (dir, "pool-slot-test-script", NULL);
  g_file_set_contents (script, "printf 'script %s\\n' \"$1\"\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);

  slot = slot_new ();
  {
    const char *argv[] = { script, "by path", NULL };

    slot_start (slot, &run, 1, argv);
    slot_pump (slot, &run, NULL);
    assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
    g_assert_cmpmem (run.out->data, run.out->len, "script by path\n", 15);
    run_clear (&run);
  }
  {
    /* Found on the job's own PATH, and still given to the shell. */
    const char *argv[] = { "pool-slot-test-script", "by name", NULL };
    const char *env[] = { (path_env = g_strdup_printf ("PATH=/nonexistent:%s:/bin", dir)), NULL };

    slot_start_full (slot, &run, 2, CAPTURE, 2000, argv, env, NULL, NULL);
    slot_pump (slot, &run, NULL);
    assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
    g_assert_cmpmem (run.out->data, run.out->len, "script by name\n", 15);
    run_clear (&run);
  }
  slot_free (slot);
  g_remove (script);
  g_rmdir (dir);
}

static void
test_input_directory_and_environment_are_the_jobs (void)
{
  const char *argv[] = { "/bin/sh", "-c", "pwd -P; cat; printf '%s|%s' \"$POOL_SEQ\" \"$HOME\"",
                         NULL };
  const char *env[] = { "POOL_SEQ=7", "HOME=/pool-home", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-slot-XXXXXX", &error);
  g_autofree char *real = NULL;
  g_autofree char *input = NULL;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  Slot *slot = slot_new ();
  Run run;

  g_assert_no_error (error);
  real = realpath (dir, NULL);
  input = g_build_filename (dir, "input", NULL);
  g_file_set_contents (input, "from the file\0with a NUL", 24, &error);
  g_assert_no_error (error);
  g_byte_array_append (expected, (guint8 *)real, strlen (real));
  g_byte_array_append (expected, (guint8 *)"\nfrom the file\0with a NUL7|/pool-home", 37);

  /* The input's path is taken from the job's directory. */
  slot_start_full (slot, &run, 1, CAPTURE, 2000, argv, env, dir, "input");
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  g_assert_cmpmem (run.out->data, run.out->len, expected->data, expected->len);
  run_clear (&run);
  slot_free (slot);
  g_remove (input);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/slot/exit-code-and-signal-are-reported",
                   test_exit_code_and_signal_are_reported);
  g_test_add_func ("/slot/rusage-counts-cpu-time", test_rusage_counts_cpu_time);
  g_test_add_func ("/slot/missing-program-fails-with-enoent",
                   test_missing_program_fails_with_enoent);
  g_test_add_func ("/slot/missing-directory-fails-with-its-name",
                   test_missing_directory_fails_with_its_name);
  g_test_add_func ("/slot/script-without-shebang-runs-through-sh",
                   test_script_without_shebang_runs_through_sh);
  g_test_add_func ("/slot/input-directory-and-environment-are-the-jobs",
                   test_input_directory_and_environment_are_the_jobs);

  return g_test_run ();
}
