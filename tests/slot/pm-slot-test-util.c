/* pm-slot-test-util.c: the slot tests' side of the channel, as the pool's
 *
 * Starts a real pool-slot ($PM_POOL_SLOT) with pipes on its standard input and output, sends it
 * START and SIGNAL frames made with the codec, reads what comes back, and looks at which
 * processes are left. Every wait has a deadline that fails the test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>

#include "pm-slot-test-util.h"

const char *
test_child (void)
{
  const char *path = g_getenv ("PM_TEST_CHILD");

  g_assert_nonnull (path);
  return path;
}

/* @nofile: a descriptor limit for the slot, or NULL. It is set by prlimit, which then runs the
 * slot as itself: a child setup function would not do under Valgrind, which keeps the limit it
 * is given for itself. */
Slot *
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

Slot *
slot_new (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  return slot_new_with (launcher, NULL);
}

void
slot_send (Slot      *slot,
           PmSlotBuf *buf)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (slot->process), buf->data, buf->len,
                             NULL, NULL, &error);
  g_assert_no_error (error);
  pm_slot_buf_clear (buf);
}

void
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

void
slot_start (Slot              *slot,
            Run               *run,
            guint32            job,
            const char *const *argv)
{
  slot_start_full (slot, run, job, CAPTURE, 2000, argv, NULL, NULL, NULL);
}

void
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
void
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
const char *
find_text (const GByteArray *bytes,
           const char       *text)
{
  return bytes->len > 0 ? memmem (bytes->data, bytes->len, text, strlen (text)) : NULL;
}

/* Reads this job's messages until it ends (EXITED or FAILED), or until its stdout holds
 * @until_out when that is given. */
void
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

void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_byte_array_unref);
  g_clear_pointer (&run->err, g_byte_array_unref);
  g_clear_pointer (&run->message, g_free);
}

void
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
int
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

void
slot_close_input (Slot *slot)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (slot->process), NULL, &error);
  g_assert_no_error (error);
}

/* An idle slot exits at once, with status 0, when its input closes. */
void
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
gboolean
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
gboolean
process_gone (pid_t pid)
{
  char state;

  if (kill (pid, 0) < 0 && errno == ESRCH)
    return TRUE;
  return !read_stat (pid, &state, NULL, NULL) || state == 'Z' || state == 'X';
}

gboolean
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

pid_t
number_after (const GByteArray *out,
              const char       *label)
{
  const char *at = find_text (out, label);

  g_assert_nonnull (at);
  return (pid_t)atoi (at + strlen (label));
}
