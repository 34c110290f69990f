/* test-slot-control.c: pool-slot, spoken to as the pool speaks to it (pm-slot-test-util.c): job
 * control: the job leads its own process group, and a signal reaches the whole group and the
 * listed processes outside it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include <gio/gio.h>

#include "pm-slot-test-util.h"

static void
test_job_leads_its_own_group (void)
{
  const char *argv[] = { test_child (), "pgid", NULL };
  Slot *slot = slot_new ();
  Run run;

  slot_start (slot, &run, 1, argv);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  g_assert_cmpint (number_after (run.out, "pgid="), ==, run.pid);
  g_assert_cmpint (number_after (run.out, "pid="), ==, run.pid);
  g_assert_cmpint (getpgid (slot->pid), !=, run.pid);
  run_clear (&run);
  slot_free (slot);
}

static void
test_signal_reaches_a_grandchild_in_the_group (void)
{
  /* The grandchild ignores TERM, so only USR1 from the group signal can end it, and it says so. */
  const char *argv[] = {
    "/bin/sh", "-c",
    "(trap '' TERM; trap 'echo grandchild got USR1; exit 0' USR1; echo ready; "
    "while :; do sleep 0.05; done) & wait",
    NULL
  };
  Slot *slot = slot_new ();
  Run run;

  slot_start (slot, &run, 1, argv);
  slot_pump (slot, &run, "ready\n");
  slot_signal (slot, 1, SIGUSR1, NULL, 0);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_SIGNAL, SIGUSR1);
  g_assert_nonnull (find_text (run.out, "grandchild got USR1\n"));
  run_clear (&run);
  slot_free (slot);
}

static void
test_signal_reaches_listed_pids_outside_the_group (void)
{
  const char *argv[] = { "/bin/sh", "-c", "setsid sleep 100 & echo pid=$!; wait", NULL };
  Slot *slot = slot_new ();
  pid_t escaped, session = 0;
  guint32 pids[1];
  char state;
  Run run;

  slot_start (slot, &run, 1, argv);
  slot_pump (slot, &run, "\n");
  escaped = number_after (run.out, "pid=");
  /* Only once it has its own session does the group signal miss it. */
  WAIT_UNTIL (read_stat (escaped, &state, NULL, &session) && session == escaped);

  /* A SIGNAL for another job is ignored. */
  pids[0] = (guint32)escaped;
  slot_signal (slot, 2, SIGTERM, pids, 1);
  slot_signal (slot, 1, SIGTERM, pids, 1);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_SIGNAL, SIGTERM);
  WAIT_UNTIL (process_gone (escaped));
  run_clear (&run);
  slot_free (slot);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/slot/job-leads-its-own-group", test_job_leads_its_own_group);
  g_test_add_func ("/slot/signal-reaches-a-grandchild-in-the-group",
                   test_signal_reaches_a_grandchild_in_the_group);
  g_test_add_func ("/slot/signal-reaches-listed-pids-outside-the-group",
                   test_signal_reaches_listed_pids_outside_the_group);

  return g_test_run ();
}
