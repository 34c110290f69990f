/* test-slot-output.c: pool-slot, spoken to as the pool speaks to it (pm-slot-test-util.c): a
 * job's output through the slot: byte for byte, whole, held back when the pool reads nothing,
 * not sent when not asked for, or written straight to pipes the pool passed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>

#include "pm-slot-test-util.h"

static void
test_output_arrives_byte_exact (void)
{
  const char *argv[] = { "/bin/sh", "-c", "printf 'a\\0b\\n\\0c'; printf 'err\\0x' >&2", NULL };
  Slot *slot = slot_new ();
  Run run;

  slot_start (slot, &run, 1, argv);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  g_assert_cmpmem (run.out->data, run.out->len, "a\0b\n\0c", 6);
  g_assert_cmpmem (run.err->data, run.err->len, "err\0x", 5);
  run_clear (&run);
  slot_free (slot);
}

static void
test_a_flood_arrives_whole (void)
{
  const char *argv[] = { test_child (), "flood", "5000000", NULL };
  Slot *slot = slot_new ();
  Run run;

  slot_start (slot, &run, 1, argv);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  g_assert_cmpuint (run.out->len, ==, 5000000);
  for (guint i = 0; i < run.out->len; i++)
    if (run.out->data[i] != 'x')
      g_error ("byte %u is %#x", i, run.out->data[i]);
  run_clear (&run);
  slot_free (slot);
}

static guint64
bytes_written (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/io", (int)pid);
  g_autofree char *text = NULL;
  const char *at;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(at = strstr (text, "wchar: ")))
    return G_MAXUINT64;
  return g_ascii_strtoull (at + 7, NULL, 10);
}

/* While the pool reads nothing, the slot stops reading the job (which blocks on its pipe), and
 * still obeys a SIGNAL. */
static void
test_a_pool_that_reads_nothing_blocks_the_job_not_the_slot (void)
{
  const char *argv[] = { test_child (), "flood", "100000000", NULL };
  Slot *slot = slot_new ();
  PmSlotFrame frame;
  PmSlotStarted started;
  guint64 written = 0, last;
  gboolean settled = FALSE;
  Run run;

  slot_start (slot, &run, 1, argv);
  slot_next (slot, &frame);
  g_assert_cmpint (pm_slot_decode_started (&frame, &started), ==, 0);
  run.pid = (pid_t)started.pid;

  /* Then read nothing until the job sleeps (on its full pipe: it has no other reason to) and
   * has written nothing more for 200 ms. Without back-pressure it would write all 100 MB. */
  while (!settled)
    {
      char state = 0;

      if (g_get_monotonic_time () - run.started_at > TIMEOUT_SEC * G_USEC_PER_SEC)
        g_error ("the job never blocked on its output");
      last = written;
      g_usleep (200 * 1000);
      written = bytes_written (run.pid);
      g_assert_cmpuint (written, !=, G_MAXUINT64);
      settled = written == last && read_stat (run.pid, &state, NULL, NULL) && state == 'S';
    }
  g_test_message ("the job wrote %" G_GUINT64_FORMAT " bytes, then blocked", written);
  g_assert_cmpuint (written, <, 4 << 20);

  /* The slot still reads its input. What arrives is all the job wrote, plus what a blocked
   * write had put in the pipe: still bounded. */
  slot_signal (slot, 1, SIGKILL, NULL, 0);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_SIGNAL, SIGKILL);
  g_assert_cmpuint (run.out->len, >=, written);
  g_assert_cmpuint (run.out->len, <, 4 << 20);
  run_clear (&run);
  slot_free (slot);
}

static void
test_output_not_captured_is_not_sent (void)
{
  const char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2", NULL };
  Slot *slot = slot_new ();
  Run run;

  slot_start_full (slot, &run, 1, 0, 2000, argv, NULL, NULL, NULL);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  g_assert_cmpuint (run.out->len + run.err->len, ==, 0);
  run_clear (&run);
  slot_free (slot);
}

/* Everything in @fd until its end (every writer closed it) */
static GByteArray *
read_to_end (int fd)
{
  GByteArray *all = g_byte_array_new ();
  guint8 buf[4096];
  ssize_t n;

  while ((n = read (fd, buf, sizeof buf)) > 0)
    g_byte_array_append (all, buf, (guint)n);
  g_assert_cmpint (n, ==, 0);
  return all;
}

/* PASSED_OUTPUT: the pool makes the job's pipes and passes their write ends on the socket it
 * gave the slot. The job writes into them, no OUTPUT comes, and once EXITED came the pipes end:
 * the slot kept no copy of their write ends. */
static void
test_passed_pipes_are_the_jobs (void)
{
  const char *argv[] = { "/bin/sh", "-c", "printf 'a\\0b'; printf 'err' >&2", NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GByteArray) err = NULL;
  int sv[2], out_pipe[2], err_pipe[2], ends[2];
  char byte = 0;
  union
  {
    char           buffer[CMSG_SPACE (sizeof ends)];
    struct cmsghdr align;
  } control = { { 0 } };
  struct iovec iov = { &byte, 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
  struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg);
  Slot *slot;
  Run run;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==, 0);
  /* above PM_SLOT_PASS_FD, so that the dup2 to it clears close-on-exec */
  g_subprocess_launcher_take_fd (launcher, fcntl (sv[1], F_DUPFD_CLOEXEC, PM_SLOT_PASS_FD + 1),
                                 PM_SLOT_PASS_FD);
  close (sv[1]);
  g_subprocess_launcher_setenv (launcher, PM_SLOT_PASS_ENV, "1", TRUE);
  slot = slot_new_with (launcher, NULL);

  g_assert_cmpint (pipe2 (out_pipe, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (err_pipe, O_CLOEXEC), ==, 0);
  ends[0] = out_pipe[1];
  ends[1] = err_pipe[1];
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof ends);
  memcpy (CMSG_DATA (cmsg), ends, sizeof ends);
  g_assert_cmpint (sendmsg (sv[0], &msg, 0), ==, 1);
  close (out_pipe[1]);
  close (err_pipe[1]);

  slot_start_full (slot, &run, 1, CAPTURE | PM_SLOT_START_PASSED_OUTPUT, 2000, argv, NULL, NULL,
                   NULL);
  slot_pump (slot, &run, NULL);
  assert_exited (&run, PM_SLOT_EXIT_CODE, 0);
  g_assert_cmpuint (run.out->len, ==, 0);
  g_assert_cmpuint (run.err->len, ==, 0);
  out = read_to_end (out_pipe[0]);
  err = read_to_end (err_pipe[0]);
  g_assert_cmpmem (out->data, out->len, "a\0b", 3);
  g_assert_cmpmem (err->data, err->len, "err", 3);
  close (out_pipe[0]);
  close (err_pipe[0]);
  close (sv[0]);
  run_clear (&run);
  slot_free (slot);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/slot/output-arrives-byte-exact", test_output_arrives_byte_exact);
  g_test_add_func ("/slot/a-flood-arrives-whole", test_a_flood_arrives_whole);
  g_test_add_func ("/slot/a-pool-that-reads-nothing-blocks-the-job-not-the-slot",
                   test_a_pool_that_reads_nothing_blocks_the_job_not_the_slot);
  g_test_add_func ("/slot/output-not-captured-is-not-sent", test_output_not_captured_is_not_sent);
  g_test_add_func ("/slot/passed-pipes-are-the-jobs", test_passed_pipes_are_the_jobs);

  return g_test_run ();
}
