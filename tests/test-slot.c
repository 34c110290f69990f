/* test-slot.c: pool-slot, spoken to as the pool speaks to it
 *
 * Each test starts a real pool-slot ($PM_POOL_SLOT) with pipes on its standard input and output,
 * sends it START and SIGNAL frames made with the codec, reads what comes back, and looks at which
 * processes are left. Every wait has a deadline that fails the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>

#include "pm-slot-protocol.h"

#define TIMEOUT_SEC 20
#define CAPTURE     PM_SLOT_START_CAPTURE

typedef struct
{
  GSubprocess *process;
  pid_t        pid;
  int          from;    /* its standard output */
  PmSlotBuf    in;
  size_t       used;    /* the frame last returned, dropped at the next read */
} Slot;

/* What came back for one job. */
typedef struct
{
  guint32      job;
  pid_t        pid;     /* from STARTED */
  GByteArray  *out;
  GByteArray  *err;
  gboolean     exited;
  PmSlotExited exit;
  gboolean     failed;
  int          errnum;
  char        *message;
  gint64       started_at;
  gint64       wall_us;  /* START sent to EXITED read */
} Run;

static const char *
test_child (void)
{
  const char *path = g_getenv ("PM_TEST_CHILD");

  g_assert_nonnull (path);
  return path;
}

/* @nofile: a descriptor limit for the slot, or NULL. It is set by prlimit, which then runs the
 * slot as itself: a child setup function would not do under Valgrind, which keeps the limit it
 * is given for itself. */
static Slot *
slot_new_with (GSubprocessLauncher *launcher,
               const char          *nofile)
{
  const char *path = g_getenv ("PM_POOL_SLOT");
  g_autoptr(GError) error = NULL;
  PmSlotFrame frame;
  PmSlotHello hello;
  Slot *slot = g_new0 (Slot, 1);
  size_t used;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_SEC * G_USEC_PER_SEC;

  g_assert_nonnull (path);
  if (nofile != NULL)
    slot->process = g_subprocess_launcher_spawn (launcher, &error, "prlimit", nofile, path, NULL);
  else
    slot->process = g_subprocess_launcher_spawn (launcher, &error, path, NULL);
  g_assert_no_error (error);
  slot->pid = atoi (g_subprocess_get_identifier (slot->process));
  slot->from = g_unix_input_stream_get_fd (
    G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (slot->process)));

  /* HELLO comes first, whatever else follows. */
  while (pm_slot_frame_next (slot->in.data, slot->in.len, &frame, &used) != 1)
    {
      struct pollfd p = { slot->from, POLLIN, 0 };
      guint8 buf[4096];
      ssize_t n;

      g_assert_cmpint (poll (&p, 1, (int)((deadline - g_get_monotonic_time ()) / 1000)), ==, 1);
      n = read (slot->from, buf, sizeof buf);
      g_assert_cmpint (n, >, 0);
      g_assert_cmpint (pm_slot_buf_append (&slot->in, buf, (size_t)n), ==, 0);
    }
  g_assert_cmpint (frame.type, ==, PM_SLOT_HELLO);
  g_assert_cmpint (pm_slot_decode_hello (&frame, &hello), ==, 0);
  g_assert_cmpuint (hello.version, ==, PM_SLOT_PROTOCOL_VERSION);
  g_assert_cmpuint (hello.pid, ==, (guint32)slot->pid);
  slot->used = used;
  return slot;
}

static Slot *
slot_new (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  return slot_new_with (launcher, NULL);
}

static void
slot_send (Slot      *slot,
           PmSlotBuf *buf)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (slot->process), buf->data, buf->len,
                             NULL, NULL, &error);
  g_assert_no_error (error);
  pm_slot_buf_clear (buf);
}

static void
slot_start_full (Slot              *slot,
                 Run               *run,
                 guint32            job,
                 guint32            flags,
                 guint32            grace_ms,
                 const char *const *argv,
                 const char *const *env,
                 const char        *cwd,
                 const char        *stdin_path)
{
  PmSlotStart start = {
    job, flags, grace_ms, g_strv_length ((char **)argv), env ? g_strv_length ((char **)env) : 0,
    (const char **)argv, (const char **)env, cwd ? cwd : "", stdin_path ? stdin_path : "",
  };
  PmSlotBuf buf = { 0 };

  *run = (Run) { .job = job, .out = g_byte_array_new (), .err = g_byte_array_new () };
  g_assert_cmpint (pm_slot_encode_start (&buf, &start), ==, 0);
  run->started_at = g_get_monotonic_time ();
  slot_send (slot, &buf);
}

static void
slot_start (Slot              *slot,
            Run               *run,
            guint32            job,
            const char *const *argv)
{
  slot_start_full (slot, run, job, CAPTURE, 2000, argv, NULL, NULL, NULL);
}

static void
slot_signal (Slot          *slot,
             guint32        job,
             int            signum,
             const guint32 *pids,
             guint32        n_pids)
{
  PmSlotBuf buf = { 0 };

  g_assert_cmpint (pm_slot_encode_signal (&buf, job, signum, pids, n_pids), ==, 0);
  slot_send (slot, &buf);
}

/* The next frame from the slot; it stays valid until the next call. */
static void
slot_next (Slot        *slot,
           PmSlotFrame *frame)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_SEC * G_USEC_PER_SEC;
  size_t used;
  int r;

  pm_slot_buf_consume (&slot->in, slot->used);
  slot->used = 0;
  while ((r = pm_slot_frame_next (slot->in.data, slot->in.len, frame, &used)) == 0)
    {
      struct pollfd p = { slot->from, POLLIN, 0 };
      static guint8 buf[65536];
      gint64 left = deadline - g_get_monotonic_time ();
      ssize_t n;

      if (left <= 0 || poll (&p, 1, (int)(left / 1000)) == 0)
        g_error ("no message from pool-slot in %d s", TIMEOUT_SEC);
      n = read (slot->from, buf, sizeof buf);
      if (n == 0)
        g_error ("pool-slot closed its channel");
      g_assert_cmpint (n, >, 0);
      g_assert_cmpint (pm_slot_buf_append (&slot->in, buf, (size_t)n), ==, 0);
    }
  g_assert_cmpint (r, ==, 1);
  slot->used = used;
}

/* Where @text first occurs in @bytes, which need not be a string, or NULL. */
static const char *
find_text (const GByteArray *bytes,
           const char       *text)
{
  return bytes->len > 0 ? memmem (bytes->data, bytes->len, text, strlen (text)) : NULL;
}

/* Reads this job's messages until it ends (EXITED or FAILED), or until its stdout holds
 * @until_out when that is given. */
static void
slot_pump (Slot       *slot,
           Run        *run,
           const char *until_out)
{
  while (!run->exited && !run->failed)
    {
      PmSlotFrame frame;
      PmSlotStarted started;
      PmSlotFailed failed;

      if (until_out && find_text (run->out, until_out))
        return;
      slot_next (slot, &frame);
      switch (frame.type)
        {
        case PM_SLOT_STARTED:
          g_assert_cmpint (pm_slot_decode_started (&frame, &started), ==, 0);
          g_assert_cmpuint (started.job, ==, run->job);
          g_assert_cmpint (run->pid, ==, 0);
          run->pid = (pid_t)started.pid;
          break;
        case PM_SLOT_OUTPUT:
          g_assert_cmpint (run->pid, >, 0);
          g_byte_array_append (frame.arg == PM_SLOT_STDOUT ? run->out : run->err,
                               frame.payload, frame.len);
          break;
        case PM_SLOT_EXITED:
          g_assert_cmpint (pm_slot_decode_exited (&frame, &run->exit), ==, 0);
          g_assert_cmpuint (run->exit.job, ==, run->job);
          g_assert_cmpint (run->pid, >, 0);
          run->exited = TRUE;
          run->wall_us = g_get_monotonic_time () - run->started_at;
          break;
        case PM_SLOT_FAILED:
          g_assert_cmpint (pm_slot_decode_failed (&frame, &failed), ==, 0);
          g_assert_cmpuint (failed.job, ==, run->job);
          g_assert_cmpint (run->pid, ==, 0);
          run->failed = TRUE;
          run->errnum = failed.errnum;
          run->message = g_strdup (failed.message);
          break;
        default:
          g_error ("unexpected message type %d from pool-slot", frame.type);
        }
    }
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_byte_array_unref);
  g_clear_pointer (&run->err, g_byte_array_unref);
  g_clear_pointer (&run->message, g_free);
}

static void
assert_exited (const Run *run,
               guint32    how,
               int        code)
{
  g_assert_true (run->exited);
  g_assert_cmpuint (run->exit.how, ==, how);
  g_assert_cmpint (run->exit.code, ==, code);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *)data = TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out after %u seconds waiting for pool-slot to exit", GPOINTER_TO_UINT (data));
  return G_SOURCE_REMOVE;
}

/* Waits for the slot to exit; returns its exit status. */
static int
slot_wait_exit (Slot *slot)
{
  gboolean done = FALSE;
  guint guard = g_timeout_add_seconds (TIMEOUT_SEC, timeout_cb, GUINT_TO_POINTER (TIMEOUT_SEC));

  g_subprocess_wait_async (slot->process, NULL, wait_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
  g_assert_true (g_subprocess_get_if_exited (slot->process));
  return g_subprocess_get_exit_status (slot->process);
}

static void
slot_close_input (Slot *slot)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (slot->process), NULL, &error);
  g_assert_no_error (error);
}

/* An idle slot exits at once, with status 0, when its input closes. */
static void
slot_free (Slot *slot)
{
  if (!g_output_stream_is_closed (g_subprocess_get_stdin_pipe (slot->process)))
    slot_close_input (slot);
  g_assert_cmpint (slot_wait_exit (slot), ==, 0);
  pm_slot_buf_clear (&slot->in);
  g_object_unref (slot->process);
  g_free (slot);
}

/* The fields of /proc/PID/stat after the command's name: state, ppid, pgrp, session. */
static gboolean
read_stat (pid_t  pid,
           char  *state,
           pid_t *pgrp,
           pid_t *session)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int)pid);
  g_autofree char *text = NULL;
  const char *paren;
  int ppid, group, sid;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(paren = strrchr (text, ')')))
    return FALSE;
  if (sscanf (paren + 1, " %c %d %d %d", state, &ppid, &group, &sid) != 4)
    return FALSE;
  if (pgrp)
    *pgrp = group;
  if (session)
    *session = sid;
  return TRUE;
}

/* Gone, or a zombie nobody has reaped yet (init here may not): either way it runs no more. */
static gboolean
process_gone (pid_t pid)
{
  char state;

  if (kill (pid, 0) < 0 && errno == ESRCH)
    return TRUE;
  return !read_stat (pid, &state, NULL, NULL) || state == 'Z' || state == 'X';
}

static gboolean
group_gone (pid_t pgid)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      pid_t group;
      char state;

      if (g_ascii_isdigit (name[0]) && read_stat (atoi (name), &state, &group, NULL) &&
          group == pgid && state != 'Z' && state != 'X')
        return FALSE;
    }
  return TRUE;
}

/* Polls a condition about other processes, which no event tells us about; the deadline fails
 * the test. */
#define WAIT_UNTIL(cond)                                                                 \
  G_STMT_START                                                                           \
  {                                                                                      \
    gint64 wait_deadline_ = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;               \
    while (!(cond))                                                                      \
      {                                                                                  \
        if (g_get_monotonic_time () > wait_deadline_)                                    \
          g_error ("%s: still not true after 10 s: %s", G_STRLOC, #cond);                \
        g_usleep (10 * 1000);                                                            \
      }                                                                                  \
  }                                                                                      \
  G_STMT_END

static pid_t
number_after (const GByteArray *out,
              const char       *label)
{
  const char *at = find_text (out, label);

  g_assert_nonnull (at);
  return (pid_t)atoi (at + strlen (label));
}

static void
test_hello_comes_first_with_the_slot_pid (void)
{
  Slot *slot = slot_new ();   /* checks HELLO: the version and the slot's PID */

  slot_free (slot);           /* and that an idle slot exits 0 when its input closes */
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
  g_test_add_func ("/slot/output-arrives-byte-exact", test_output_arrives_byte_exact);
  g_test_add_func ("/slot/a-flood-arrives-whole", test_a_flood_arrives_whole);
  g_test_add_func ("/slot/a-pool-that-reads-nothing-blocks-the-job-not-the-slot",
                   test_a_pool_that_reads_nothing_blocks_the_job_not_the_slot);
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
  g_test_add_func ("/slot/output-not-captured-is-not-sent", test_output_not_captured_is_not_sent);
  g_test_add_func ("/slot/passed-pipes-are-the-jobs", test_passed_pipes_are_the_jobs);
  g_test_add_func ("/slot/job-leads-its-own-group", test_job_leads_its_own_group);
  g_test_add_func ("/slot/signal-reaches-a-grandchild-in-the-group",
                   test_signal_reaches_a_grandchild_in_the_group);
  g_test_add_func ("/slot/signal-reaches-listed-pids-outside-the-group",
                   test_signal_reaches_listed_pids_outside_the_group);
  g_test_add_func ("/slot/leftovers-in-the-group-are-killed-after-the-grace",
                   test_leftovers_in_the_group_are_killed_after_the_grace);
  g_test_add_func ("/slot/closing-its-input-ends-the-job-group",
                   test_closing_its_input_ends_the_job_group);
  g_test_add_func ("/slot/broken-message-ends-the-job-and-exits-2",
                   test_broken_message_ends_the_job_and_exits_2);
  g_test_add_func ("/slot/start-while-busy-is-refused", test_start_while_busy_is_refused);
  g_test_add_func ("/slot/spawn-failure-leaks-nothing", test_spawn_failure_leaks_nothing);
  g_test_add_func ("/slot/version-and-terminal", test_version_and_terminal);

  return g_test_run ();
}
