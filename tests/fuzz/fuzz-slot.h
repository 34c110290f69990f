/* fuzz-slot.h: what the two slot protocol targets share
 *
 * Plain C, no GLib, like the codec: a broken promise prints where and aborts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pm-slot-protocol.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define fuzz_check(cond) \
  ((cond) ? (void)0 : fuzz_check_failed (__FILE__, __LINE__, #cond))

static inline void __attribute__((noreturn))
fuzz_check_failed (const char *file,
                   int         line,
                   const char *what)
{
  fprintf (stderr, "%s:%d: check failed: %s\n", file, line, what);
  abort ();
}

/* The same bytes as a reader gets them from a pipe: a few at a time into a PmSlotBuf, each whole
 * frame consumed as soon as it is there. The same frames come out as from the whole input, and
 * the channel ends the same way (broken at the same frame, or waiting for the same rest). */
static inline void
fuzz_slot_frames_in_pieces (const uint8_t *data,
                            size_t         size)
{
  enum { PIECE = 7 };   /* less than a header */
  PmSlotBuf in = { 0 };
  const uint8_t *whole = data;
  size_t whole_left = size;
  PmSlotFrame frame, expected;
  size_t consumed, expected_consumed;
  int ret = 0;

  for (size_t at = 0; at < size && ret != -1; at += PIECE)
    {
      fuzz_check (pm_slot_buf_append (&in, data + at, size - at < PIECE ? size - at : PIECE) == 0);
      while ((ret = pm_slot_frame_next (in.data, in.len, &frame, &consumed)) == 1)
        {
          fuzz_check (pm_slot_frame_next (whole, whole_left, &expected, &expected_consumed) == 1);
          fuzz_check (consumed == expected_consumed && memcmp (in.data, whole, consumed) == 0);
          whole += consumed, whole_left -= consumed;
          pm_slot_buf_consume (&in, consumed);
        }
    }
  fuzz_check (pm_slot_frame_next (whole, whole_left, &expected, &expected_consumed) == ret);
  if (ret == 0)
    fuzz_check (in.len == whole_left && (in.len == 0 || memcmp (in.data, whole, in.len) == 0));
  pm_slot_buf_clear (&in);
}

/* Takes the input apart into frames as a reader of the channel does, until the bytes run out or
 * cannot be a frame. Each frame handed on is whole; a frame cut short by one byte must read as
 * "more bytes needed", never as a frame or a broken channel. one () gets the frame's bytes and an
 * empty buffer to encode into. */
typedef void (*FuzzSlotFrameFunc) (const uint8_t     *bytes,
                                   size_t             len,
                                   const PmSlotFrame *frame,
                                   PmSlotBuf         *out);

static inline void
fuzz_slot_frames (const uint8_t     *data,
                  size_t             size,
                  FuzzSlotFrameFunc  one)
{
  PmSlotBuf out = { 0 };
  PmSlotFrame frame;
  size_t consumed = 0;

  fuzz_slot_frames_in_pieces (data, size);
  while (pm_slot_frame_next (data, size, &frame, &consumed) == 1)
    {
      PmSlotFrame cut;
      size_t cut_consumed;

      fuzz_check (consumed == PM_SLOT_HEADER_SIZE + (size_t)frame.len && consumed <= size);
      fuzz_check (frame.payload == data + PM_SLOT_HEADER_SIZE);
      fuzz_check (pm_slot_frame_next (data, consumed - 1, &cut, &cut_consumed) == 0);

      one (data, consumed, &frame, &out);
      pm_slot_buf_consume (&out, out.len);
      data += consumed, size -= consumed;
    }
  pm_slot_buf_clear (&out);
}

/* buf holds what an encoder just wrote: it must be one whole frame and nothing else, and, when
 * same is given (the frame it was decoded from, header included), the same bytes, since a message
 * has one encoding only. *frame is set to it, to be decoded again. */
static inline void
fuzz_slot_reread (const PmSlotBuf *buf,
                  const uint8_t   *same,
                  size_t           same_len,
                  PmSlotFrame     *frame)
{
  size_t consumed = 0;

  fuzz_check (pm_slot_frame_next (buf->data, buf->len, frame, &consumed) == 1);
  fuzz_check (consumed == buf->len);
  if (same != NULL)
    fuzz_check (buf->len == same_len && memcmp (buf->data, same, same_len) == 0);
}

/* s is a string that a decoder says lies inside frame: it does, NUL included. */
static inline void
fuzz_slot_check_inside (const PmSlotFrame *frame,
                        const char        *s)
{
  const uint8_t *p = (const uint8_t *)s;

  fuzz_check (p >= frame->payload && p < frame->payload + frame->len);
  fuzz_check (strlen (s) < (size_t)(frame->payload + frame->len - p));
}
