/* fuzz-slot-pool.c: the slot protocol as the pool reads it, on arbitrary bytes from a slot
 *
 * The input is what a slot wrote: frames are taken off it one after the other and each is decoded
 * as its type says (HELLO, STARTED, EXITED, FAILED; OUTPUT is just its bytes). A message that
 * decodes is encoded again, and must come back as one frame that decodes to the same values, in
 * the same bytes (a HELLO of another version comes back as this version). The decoders of the
 * other types refuse each frame. Frames the pool sends (START, SIGNAL) are only refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-slot.h"

static void
check_hello (const uint8_t     *bytes,
             size_t             len,
             const PmSlotFrame *frame,
             PmSlotBuf         *out)
{
  PmSlotHello hello, again;
  PmSlotFrame reread;

  if (pm_slot_decode_hello (frame, &hello) != 0)
    return;
  fuzz_check (pm_slot_encode_hello (out, hello.pid) == 0);
  fuzz_slot_reread (out, hello.version == PM_SLOT_PROTOCOL_VERSION ? bytes : NULL, len, &reread);
  fuzz_check (pm_slot_decode_hello (&reread, &again) == 0);
  fuzz_check (again.version == PM_SLOT_PROTOCOL_VERSION);
  fuzz_check (again.pid == hello.pid);
}

static void
check_started (const uint8_t     *bytes,
               size_t             len,
               const PmSlotFrame *frame,
               PmSlotBuf         *out)
{
  PmSlotStarted started, again;
  PmSlotFrame reread;

  if (pm_slot_decode_started (frame, &started) != 0)
    return;
  fuzz_check (pm_slot_encode_started (out, started.job, started.pid) == 0);
  fuzz_slot_reread (out, bytes, len, &reread);
  fuzz_check (pm_slot_decode_started (&reread, &again) == 0);
  fuzz_check (again.job == started.job && again.pid == started.pid);
}

static void
check_output (const uint8_t     *bytes,
              size_t             len,
              const PmSlotFrame *frame,
              PmSlotBuf         *out)
{
  PmSlotFrame reread;

  fuzz_check (frame->arg == PM_SLOT_STDOUT || frame->arg == PM_SLOT_STDERR);
  fuzz_check (pm_slot_encode_output (out, frame->arg, frame->payload, frame->len) == 0);
  fuzz_slot_reread (out, bytes, len, &reread);
  fuzz_check (reread.type == PM_SLOT_OUTPUT && reread.arg == frame->arg);
  fuzz_check (reread.len == frame->len && memcmp (reread.payload, frame->payload, frame->len) == 0);
}

static void
check_exited (const uint8_t     *bytes,
              size_t             len,
              const PmSlotFrame *frame,
              PmSlotBuf         *out)
{
  PmSlotExited exited, again;
  PmSlotFrame reread;

  if (pm_slot_decode_exited (frame, &exited) != 0)
    return;
  fuzz_check (exited.how == PM_SLOT_EXIT_CODE || exited.how == PM_SLOT_EXIT_SIGNAL);
  fuzz_check (pm_slot_encode_exited (out, &exited) == 0);
  fuzz_slot_reread (out, bytes, len, &reread);
  fuzz_check (pm_slot_decode_exited (&reread, &again) == 0);
  fuzz_check (again.job == exited.job && again.how == exited.how && again.code == exited.code);
  fuzz_check (again.utime_us == exited.utime_us && again.stime_us == exited.stime_us);
  fuzz_check (again.maxrss_kib == exited.maxrss_kib && again.flags == exited.flags);
}

static void
check_failed (const uint8_t     *bytes,
              size_t             len,
              const PmSlotFrame *frame,
              PmSlotBuf         *out)
{
  PmSlotFailed failed, again;
  PmSlotFrame reread;

  if (pm_slot_decode_failed (frame, &failed) != 0)
    return;
  fuzz_slot_check_inside (frame, failed.message);
  fuzz_check (pm_slot_encode_failed (out, failed.job, failed.errnum, failed.message) == 0);
  fuzz_slot_reread (out, bytes, len, &reread);
  fuzz_check (pm_slot_decode_failed (&reread, &again) == 0);
  fuzz_check (again.job == failed.job && again.errnum == failed.errnum);
  fuzz_check (strcmp (again.message, failed.message) == 0);
}

/* Each decoder refuses a frame of another type. */
static void
check_refused (const PmSlotFrame *frame)
{
  PmSlotHello hello;
  PmSlotStarted started;
  PmSlotExited exited;
  PmSlotFailed failed;

  if (frame->type != PM_SLOT_HELLO)
    fuzz_check (pm_slot_decode_hello (frame, &hello) == -1);
  if (frame->type != PM_SLOT_STARTED)
    fuzz_check (pm_slot_decode_started (frame, &started) == -1);
  if (frame->type != PM_SLOT_EXITED)
    fuzz_check (pm_slot_decode_exited (frame, &exited) == -1);
  if (frame->type != PM_SLOT_FAILED)
    fuzz_check (pm_slot_decode_failed (frame, &failed) == -1);
}

static void
check_frame (const uint8_t     *bytes,
             size_t             len,
             const PmSlotFrame *frame,
             PmSlotBuf         *out)
{
  switch (frame->type)
    {
    case PM_SLOT_HELLO:
      check_hello (bytes, len, frame, out);
      break;
    case PM_SLOT_STARTED:
      check_started (bytes, len, frame, out);
      break;
    case PM_SLOT_OUTPUT:
      check_output (bytes, len, frame, out);
      break;
    case PM_SLOT_EXITED:
      check_exited (bytes, len, frame, out);
      break;
    case PM_SLOT_FAILED:
      check_failed (bytes, len, frame, out);
      break;
    default:
      break;
    }
  check_refused (frame);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_slot_frames (data, size, check_frame);

  return 0;
}
