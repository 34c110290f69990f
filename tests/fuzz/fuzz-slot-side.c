/* fuzz-slot-side.c: the slot protocol as a slot reads it, on arbitrary bytes from the pool
 *
 * The input is what the pool wrote: frames are taken off it one after the other, and START and
 * SIGNAL are decoded. A START's strings are all read (argv, environment, working directory,
 * standard input) and its arrays freed whether it decoded or not; a SIGNAL's pids are all read.
 * A message that decodes is encoded again, and must come back as one frame that decodes to the
 * same values, in the same bytes. Both decoders refuse a frame of another type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fuzz-slot.h"

/* A decoded string vector: n strings inside frame, then NULL. */
static void
check_strv (const PmSlotFrame  *frame,
            const char * const *v,
            uint32_t            n)
{
  fuzz_check (v != NULL);
  for (uint32_t i = 0; i < n; i++)
    fuzz_slot_check_inside (frame, v[i]);
  fuzz_check (v[n] == NULL);
}

static int
strv_equal (const char * const *a,
            const char * const *b,
            uint32_t            n)
{
  for (uint32_t i = 0; i < n; i++)
    {
      if (strcmp (a[i], b[i]) != 0)
        return 0;
    }
  return 1;
}

static void
check_start (const uint8_t     *bytes,
             size_t             len,
             const PmSlotFrame *frame,
             PmSlotBuf         *out)
{
  PmSlotStart start, again;
  PmSlotFrame reread;

  if (pm_slot_decode_start (frame, &start) != 0)
    {
      pm_slot_start_clear (&start);
      return;
    }
  fuzz_check (start.argc >= 1 && start.argv[0][0] != '\0');
  check_strv (frame, start.argv, start.argc);
  check_strv (frame, start.env, start.envc);
  fuzz_slot_check_inside (frame, start.cwd);
  fuzz_slot_check_inside (frame, start.stdin_path);

  fuzz_check (pm_slot_encode_start (out, &start) == 0);
  fuzz_slot_reread (out, bytes, len, &reread);
  fuzz_check (pm_slot_decode_start (&reread, &again) == 0);
  fuzz_check (again.job == start.job && again.flags == start.flags);
  fuzz_check (again.grace_ms == start.grace_ms);
  fuzz_check (again.argc == start.argc && again.envc == start.envc);
  fuzz_check (strv_equal (again.argv, start.argv, start.argc));
  fuzz_check (strv_equal (again.env, start.env, start.envc));
  fuzz_check (strcmp (again.cwd, start.cwd) == 0);
  fuzz_check (strcmp (again.stdin_path, start.stdin_path) == 0);

  pm_slot_start_clear (&again);
  pm_slot_start_clear (&start);
  fuzz_check (start.argv == NULL && start.env == NULL);
}

static void
check_signal (const uint8_t     *bytes,
              size_t             len,
              const PmSlotFrame *frame,
              PmSlotBuf         *out)
{
  PmSlotSignal signal, again;
  PmSlotFrame reread;
  uint32_t *pids;

  if (pm_slot_decode_signal (frame, &signal) != 0)
    return;
  fuzz_check (signal.signum >= 0 && signal.signum <= 64);
  fuzz_check (PM_SLOT_HEADER_SIZE + 12 + (size_t)signal.n_pids * 4 == len);
  fuzz_check (pm_slot_signal_pid (&signal, signal.n_pids) == 0);

  /* n_pids is bounded by the payload's length: this takes no more than the input does. */
  fuzz_check ((pids = malloc (((size_t)signal.n_pids + 1) * sizeof *pids)) != NULL);
  for (uint32_t i = 0; i < signal.n_pids; i++)
    pids[i] = pm_slot_signal_pid (&signal, i);

  fuzz_check (pm_slot_encode_signal (out, signal.job, signal.signum, pids, signal.n_pids) == 0);
  fuzz_slot_reread (out, bytes, len, &reread);
  fuzz_check (pm_slot_decode_signal (&reread, &again) == 0);
  fuzz_check (again.job == signal.job && again.signum == signal.signum);
  fuzz_check (again.n_pids == signal.n_pids);
  for (uint32_t i = 0; i < signal.n_pids; i++)
    fuzz_check (pm_slot_signal_pid (&again, i) == pids[i]);

  free (pids);
}

/* Each decoder refuses a frame of another type (and a refused START leaves nothing to free but
 * what pm_slot_start_clear () frees). */
static void
check_refused (const PmSlotFrame *frame)
{
  PmSlotStart start;
  PmSlotSignal signal;

  if (frame->type != PM_SLOT_START)
    {
      fuzz_check (pm_slot_decode_start (frame, &start) == -1);
      pm_slot_start_clear (&start);
    }
  if (frame->type != PM_SLOT_SIGNAL)
    fuzz_check (pm_slot_decode_signal (frame, &signal) == -1);
}

static void
check_frame (const uint8_t     *bytes,
             size_t             len,
             const PmSlotFrame *frame,
             PmSlotBuf         *out)
{
  if (frame->type == PM_SLOT_START)
    check_start (bytes, len, frame, out);
  else if (frame->type == PM_SLOT_SIGNAL)
    check_signal (bytes, len, frame, out);
  check_refused (frame);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_slot_frames (data, size, check_frame);

  return 0;
}
