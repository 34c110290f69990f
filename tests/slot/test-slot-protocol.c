/* test-slot-protocol.c: pool-slot, spoken to as the pool speaks to it (pm-slot-test-util.c):
 * the channel itself: HELLO first, a broken or untimely message refused, the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "pm-slot-test-util.h"

static void
test_hello_comes_first_with_the_slot_pid (void)
{
  Slot *slot = slot_new ();   /* checks HELLO: the version and the slot's PID */

  slot_free (slot);           /* and that an idle slot exits 0 when its input closes */
}

static Slot *
slot_new_with_stderr (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);

  return slot_new_with (launcher, NULL);
}

static char *
slot_stderr (Slot *slot)
{
  g_autoptr(GError) error = NULL;
  char buf[4096];
  gsize n;

  g_input_stream_read_all (g_subprocess_get_stderr_pipe (slot->process), buf, sizeof buf - 1, &n,
                           NULL, &error);
  g_assert_no_error (error);
  return g_strndup (buf, n);
}

/* Exits 2, says why on stderr, and ends the running job's group first. */
static void
assert_slot_refuses (Slot       *slot,
                     pid_t       group,
                     const char *why)
{
  g_autofree char *err = NULL;

  g_assert_cmpint (slot_wait_exit (slot), ==, 2);
  err = slot_stderr (slot);
  g_assert_cmpstr (err, ==, why);
  WAIT_UNTIL (group_gone (group));
  pm_slot_buf_clear (&slot->in);
  g_object_unref (slot->process);
  g_free (slot);
}

static void
test_broken_message_ends_the_job_and_exits_2 (void)
{
  const char *argv[] = { test_child (), "ignore-term", "pgid", "sleep", "100000", NULL };
  PmSlotBuf garbage = { 0 };
  Slot *slot = slot_new_with_stderr ();
  Run run;

  slot_start_full (slot, &run, 1, CAPTURE, 300, argv, NULL, NULL, NULL);
  slot_pump (slot, &run, "pid=");
  pm_slot_buf_append (&garbage, "\xff\xff\xff\xff\x10\0\0\0", 8);
  slot_send (slot, &garbage);
  assert_slot_refuses (slot, run.pid, "pool-slot: broken message from the pool\n");
  run_clear (&run);
}

static void
test_start_while_busy_is_refused (void)
{
  const char *argv[] = { test_child (), "pgid", "sleep", "100000", NULL };
  Slot *slot = slot_new_with_stderr ();
  Run run, second;

  slot_start (slot, &run, 1, argv);
  slot_pump (slot, &run, "pid=");
  slot_start (slot, &second, 2, argv);
  assert_slot_refuses (slot, run.pid,
                       "pool-slot: START while a job runs: the pool and the slot disagree\n");
  run_clear (&run);
  run_clear (&second);
}

static void
test_version_and_terminal (void)
{
  const char *path = g_getenv ("PM_POOL_SLOT");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) version = NULL;
  g_autoptr(GSubprocess) on_tty = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  int master, tty;

  version = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--version", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (version, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (version), ==, 0);
  g_assert_true (g_str_has_prefix (out, "pool-slot (Pool Monitor) " PACKAGE_VERSION ", protocol "
                                   G_STRINGIFY (PM_SLOT_PROTOCOL_VERSION) "\n" PM_COPYRIGHT "\n"));
  g_assert_nonnull (strstr (out, "\nLicense GPLv3+"));

  /* A person who runs it by hand gets a line of usage, not a binary greeting. */
  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  tty = open (ptsname (master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (tty, >=, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_take_stdin_fd (launcher, tty);
  on_tty = g_subprocess_launcher_spawn (launcher, &error, path, NULL);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_subprocess_communicate_utf8 (on_tty, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (on_tty), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "usage: pool-slot"));
  close (master);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/slot/hello-comes-first-with-the-slot-pid",
                   test_hello_comes_first_with_the_slot_pid);
  g_test_add_func ("/slot/broken-message-ends-the-job-and-exits-2",
                   test_broken_message_ends_the_job_and_exits_2);
  g_test_add_func ("/slot/start-while-busy-is-refused", test_start_while_busy_is_refused);
  g_test_add_func ("/slot/version-and-terminal", test_version_and_terminal);

  return g_test_run ();
}
