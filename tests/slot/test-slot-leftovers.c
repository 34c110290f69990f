/* test-slot-leftovers.c: pool-slot, spoken to as the pool speaks to it (pm-slot-test-util.c):
 * nothing left behind: what is left of a job's group after its leader is killed after the
 * grace, a closed channel ends the job's group, a failed spawn leaks no descriptor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include <gio/gio.h>

#include "pm-slot-test-util.h"

static void
test_leftovers_in_the_group_are_killed_after_the_grace (void)
{
  /* The background child ignores TERM from its fork on: no race with the slot's TERM. */
  const char *argv[] = { "/bin/sh", "-c",
                         "trap '' TERM; sleep 100 >/dev/null 2>&1 & echo child=$!", NULL };
  const char *next[] = { "/bin/true", NULL };
  Slot *slot = slot_new ();
  pid_t grandchild;
  gint64 exited_at;
  Run run;

  slot_start_full (slot, &run, 1, CAPTURE, 300, argv, NULL, NULL, NULL);
  slot_pump (slot, &run, NULL);
  exited_at = g_get_monotonic_time ();
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  g_assert_cmpuint (run.exit.flags, ==, PM_SLOT_EXIT_LEFTOVERS);
  grandchild = number_after (run.out, "child=");
  run_clear (&run);

  /* The slot runs the next job meanwhile. */
  slot_start (slot, &run, 2, next);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  run_clear (&run);

  /* It ignores TERM: only the KILL after the grace ends it. */
  WAIT_UNTIL (process_gone (grandchild));
  g_test_message ("the grandchild was gone %" G_GINT64_FORMAT " ms after EXITED",
                  (g_get_monotonic_time () - exited_at) / 1000);
  slot_free (slot);
}

static void
test_closing_its_input_ends_the_job_group (void)
{
  const char *argv[] = { "/bin/sh", "-c",
                         "trap '' TERM; sleep 100 >/dev/null 2>&1 & echo child=$!; wait", NULL };
  Slot *slot = slot_new ();
  pid_t grandchild, leader;
  gint64 closed_at;
  Run run;

  slot_start_full (slot, &run, 1, CAPTURE, 300, argv, NULL, NULL, NULL);
  slot_pump (slot, &run, "\n");
  grandchild = number_after (run.out, "child=");
  leader = run.pid;
  g_assert_false (process_gone (grandchild));

  closed_at = g_get_monotonic_time ();
  slot_close_input (slot);
  g_assert_cmpint (slot_wait_exit (slot), ==, 0);
  g_test_message ("the slot exited %" G_GINT64_FORMAT " ms after its input closed",
                  (g_get_monotonic_time () - closed_at) / 1000);
  WAIT_UNTIL (process_gone (leader) && process_gone (grandchild) && group_gone (leader));
  run_clear (&run);
  slot_free (slot);
}

static guint
count_fds (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int)pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir))
    n++;
  return n;
}

/* Out of descriptors, a START fails with EMFILE (the pool lowers its limit on that), and the
 * slot keeps no descriptor from the attempt. */
static void
test_spawn_failure_leaks_nothing (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  const char *argv[] = { "/bin/true", NULL };
  Slot *slot;
  guint before;
  Run run;

  slot = slot_new_with (launcher, "--nofile=7");
  before = count_fds (slot->pid);
  for (guint32 i = 1; i <= 20; i++)
    {
      slot_start (slot, &run, i, argv);
      slot_pump (slot, &run, NULL);
      g_assert_true (run.failed);
      g_assert_cmpint (run.errnum, ==, EMFILE);
      g_assert_cmpstr (run.message, ==, "cannot run “/bin/true”: Too many open files");
      run_clear (&run);
    }
  g_assert_cmpuint (count_fds (slot->pid), ==, before);

  /* Without pipes the job needs no descriptor of its own. */
  slot_start_full (slot, &run, 21, 0, 2000, argv, NULL, NULL, NULL);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  run_clear (&run);
  g_assert_cmpuint (count_fds (slot->pid), ==, before);
  slot_free (slot);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/slot/leftovers-in-the-group-are-killed-after-the-grace",
                   test_leftovers_in_the_group_are_killed_after_the_grace);
  g_test_add_func ("/slot/closing-its-input-ends-the-job-group",
                   test_closing_its_input_ends_the_job_group);
  g_test_add_func ("/slot/spawn-failure-leaks-nothing", test_spawn_failure_leaks_nothing);

  return g_test_run ();
}
