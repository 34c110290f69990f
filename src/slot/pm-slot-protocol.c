/* pm-slot-protocol.c: frames and messages between the pool and pool-slot (see the header)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "pm-slot-protocol.h"

#include <stdlib.h>
#include <string.h>

int
pm_slot_buf_append (PmSlotBuf  *buf,
                    const void *data,
                    size_t      len)
{
  if (buf->cap - buf->len < len)
    {
      size_t cap = buf->cap ? buf->cap : 256;
      uint8_t *grown;

      while (cap - buf->len < len)
        cap *= 2;
      if (!(grown = realloc (buf->data, cap)))
        return -1;
      buf->data = grown;
      buf->cap = cap;
    }
  if (len > 0)
    memcpy (buf->data + buf->len, data, len);
  buf->len += len;
  return 0;
}

void
pm_slot_buf_consume (PmSlotBuf *buf,
                     size_t     len)
{
  if (len >= buf->len)
    {
      buf->len = 0;
      return;
    }
  memmove (buf->data, buf->data + len, buf->len - len);
  buf->len -= len;
}

void
pm_slot_buf_clear (PmSlotBuf *buf)
{
  free (buf->data);
  buf->data = NULL;
  buf->len = buf->cap = 0;
}

static uint32_t
get_u32 (const uint8_t *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put_u32 (uint8_t  *p,
         uint32_t  v)
{
  p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24;
}

static int
known_type (uint8_t type)
{
  switch (type)
    {
    case PM_SLOT_HELLO: case PM_SLOT_STARTED: case PM_SLOT_OUTPUT: case PM_SLOT_EXITED:
    case PM_SLOT_FAILED: case PM_SLOT_START: case PM_SLOT_SIGNAL:
      return 1;
    default:
      return 0;
    }
}

int
pm_slot_frame_next (const uint8_t *data,
                    size_t         len,
                    PmSlotFrame   *frame,
                    size_t        *consumed)
{
  uint32_t payload;

  if (len < PM_SLOT_HEADER_SIZE)
    return 0;
  payload = get_u32 (data);
  if (payload > PM_SLOT_MAX_PAYLOAD || !known_type (data[4]) || data[6] != 0 || data[7] != 0)
    return -1;
  if (data[4] == PM_SLOT_OUTPUT ? data[5] != PM_SLOT_STDOUT && data[5] != PM_SLOT_STDERR
                                : data[5] != 0)
    return -1;
  if (len - PM_SLOT_HEADER_SIZE < payload)
    return 0;
  frame->type = data[4];
  frame->arg = data[5];
  frame->len = payload;
  frame->payload = data + PM_SLOT_HEADER_SIZE;
  *consumed = PM_SLOT_HEADER_SIZE + (size_t)payload;
  return 1;
}

/* Reading a payload: every read checks what is left; a failed one sets error and returns 0. */
typedef struct
{
  const uint8_t *p;
  size_t         left;
  int            error;
} Reader;

static void
reader_init (Reader            *r,
             const PmSlotFrame *frame,
             uint8_t            type)
{
  r->p = frame->payload;
  r->left = frame->len;
  r->error = frame->type != type;
}

static uint32_t
read_u32 (Reader *r)
{
  uint32_t v;

  if (r->error || r->left < 4)
    {
      r->error = 1;
      return 0;
    }
  v = get_u32 (r->p);
  r->p += 4, r->left -= 4;
  return v;
}

static uint64_t
read_u64 (Reader *r)
{
  uint64_t lo = read_u32 (r);
  uint64_t hi = read_u32 (r);

  return lo | hi << 32;
}

static const char *
read_str (Reader *r)
{
  const uint8_t *nul;
  const char *s;

  if (r->error || !(nul = memchr (r->p, '\0', r->left)))
    {
      r->error = 1;
      return "";
    }
  s = (const char *)r->p;
  r->left -= (size_t)(nul - r->p) + 1;
  r->p = nul + 1;
  return s;
}

/* The whole payload was read, and nothing went wrong. */
static int
reader_done (const Reader *r)
{
  return r->error || r->left != 0 ? -1 : 0;
}

int
pm_slot_decode_hello (const PmSlotFrame *frame,
                      PmSlotHello       *out)
{
  Reader r;

  reader_init (&r, frame, PM_SLOT_HELLO);
  out->version = read_u32 (&r);
  out->pid = read_u32 (&r);
  return reader_done (&r);
}

int
pm_slot_decode_started (const PmSlotFrame *frame,
                        PmSlotStarted     *out)
{
  Reader r;

  reader_init (&r, frame, PM_SLOT_STARTED);
  out->job = read_u32 (&r);
  out->pid = read_u32 (&r);
  return reader_done (&r);
}

int
pm_slot_decode_exited (const PmSlotFrame *frame,
                       PmSlotExited      *out)
{
  Reader r;

  reader_init (&r, frame, PM_SLOT_EXITED);
  out->job = read_u32 (&r);
  out->how = read_u32 (&r);
  out->code = (int32_t)read_u32 (&r);
  out->utime_us = read_u64 (&r);
  out->stime_us = read_u64 (&r);
  out->maxrss_kib = read_u64 (&r);
  out->flags = read_u32 (&r);
  if (out->how != PM_SLOT_EXIT_CODE && out->how != PM_SLOT_EXIT_SIGNAL)
    return -1;
  return reader_done (&r);
}

int
pm_slot_decode_failed (const PmSlotFrame *frame,
                       PmSlotFailed      *out)
{
  Reader r;

  reader_init (&r, frame, PM_SLOT_FAILED);
  out->job = read_u32 (&r);
  out->errnum = (int32_t)read_u32 (&r);
  out->message = read_str (&r);
  return reader_done (&r);
}

static const char **
read_strv (Reader   *r,
           uint32_t  n)
{
  const char **v;

  /* Each string takes its NUL: a count past the NULs left is refused before allocating. */
  size_t nuls = 0;

  for (const uint8_t *p = r->p, *end = r->p + r->left; !r->error && nuls < n && p < end; p++)
    nuls += *p == '\0';
  if (r->error || nuls < n)
    {
      r->error = 1;
      return NULL;
    }
  if (!(v = calloc ((size_t)n + 1, sizeof *v)))
    {
      r->error = 1;
      return NULL;
    }
  for (uint32_t i = 0; i < n; i++)
    v[i] = read_str (r);
  return v;
}

int
pm_slot_decode_start (const PmSlotFrame *frame,
                      PmSlotStart       *out)
{
  Reader r;

  memset (out, 0, sizeof *out);
  reader_init (&r, frame, PM_SLOT_START);
  out->job = read_u32 (&r);
  out->flags = read_u32 (&r);
  out->grace_ms = read_u32 (&r);
  out->argc = read_u32 (&r);
  out->envc = read_u32 (&r);
  if (!r.error && out->argc == 0)
    r.error = 1;
  out->argv = read_strv (&r, out->argc);
  out->env = read_strv (&r, out->envc);
  out->cwd = read_str (&r);
  out->stdin_path = read_str (&r);
  if (!r.error && out->argv[0][0] == '\0')
    r.error = 1;
  return reader_done (&r);
}

void
pm_slot_start_clear (PmSlotStart *start)
{
  free (start->argv);
  free (start->env);
  start->argv = start->env = NULL;
}

int
pm_slot_decode_signal (const PmSlotFrame *frame,
                       PmSlotSignal      *out)
{
  Reader r;

  reader_init (&r, frame, PM_SLOT_SIGNAL);
  out->job = read_u32 (&r);
  out->signum = (int32_t)read_u32 (&r);
  out->n_pids = read_u32 (&r);
  out->pids = r.p;
  if (!r.error && (out->n_pids > r.left / 4 || out->signum < 0 || out->signum > 64))
    return -1;
  if (!r.error)
    r.p += (size_t)out->n_pids * 4, r.left -= (size_t)out->n_pids * 4;
  return reader_done (&r);
}

uint32_t
pm_slot_signal_pid (const PmSlotSignal *signal,
                    uint32_t            i)
{
  return i < signal->n_pids ? get_u32 (signal->pids + (size_t)i * 4) : 0;
}

/* Writing: a frame's header is reserved first and its length filled in at the end. */
static size_t
frame_begin (PmSlotBuf *buf,
             uint8_t    type,
             uint8_t    arg,
             int       *error)
{
  uint8_t header[PM_SLOT_HEADER_SIZE] = { 0, 0, 0, 0, type, arg, 0, 0 };
  size_t at = buf->len;

  *error = pm_slot_buf_append (buf, header, sizeof header);
  return at;
}

static int
frame_end (PmSlotBuf *buf,
           size_t     at,
           int        error)
{
  size_t payload = buf->len - at - PM_SLOT_HEADER_SIZE;

  if (error || payload > PM_SLOT_MAX_PAYLOAD)
    {
      buf->len = at;   /* nothing half-written stays */
      return -1;
    }
  put_u32 (buf->data + at, (uint32_t)payload);
  return 0;
}

static void
write_u32 (PmSlotBuf *buf,
           uint32_t   v,
           int       *error)
{
  uint8_t b[4];

  put_u32 (b, v);
  if (!*error)
    *error = pm_slot_buf_append (buf, b, 4);
}

static void
write_u64 (PmSlotBuf *buf,
           uint64_t   v,
           int       *error)
{
  write_u32 (buf, (uint32_t)v, error);
  write_u32 (buf, (uint32_t)(v >> 32), error);
}

static void
write_str (PmSlotBuf  *buf,
           const char *s,
           int        *error)
{
  if (!*error)
    *error = pm_slot_buf_append (buf, s ? s : "", strlen (s ? s : "") + 1);
}

int
pm_slot_encode_hello (PmSlotBuf *buf,
                      uint32_t   pid)
{
  int error;
  size_t at = frame_begin (buf, PM_SLOT_HELLO, 0, &error);

  write_u32 (buf, PM_SLOT_PROTOCOL_VERSION, &error);
  write_u32 (buf, pid, &error);
  return frame_end (buf, at, error);
}

int
pm_slot_encode_started (PmSlotBuf *buf,
                        uint32_t   job,
                        uint32_t   pid)
{
  int error;
  size_t at = frame_begin (buf, PM_SLOT_STARTED, 0, &error);

  write_u32 (buf, job, &error);
  write_u32 (buf, pid, &error);
  return frame_end (buf, at, error);
}

int
pm_slot_encode_output (PmSlotBuf  *buf,
                       int         stream,
                       const void *data,
                       size_t      len)
{
  int error;
  size_t at = frame_begin (buf, PM_SLOT_OUTPUT, (uint8_t)stream, &error);

  if (!error && len > PM_SLOT_MAX_PAYLOAD)
    error = 1;
  if (!error)
    error = pm_slot_buf_append (buf, data, len);
  return frame_end (buf, at, error);
}

int
pm_slot_encode_exited (PmSlotBuf          *buf,
                       const PmSlotExited *exited)
{
  int error;
  size_t at = frame_begin (buf, PM_SLOT_EXITED, 0, &error);

  write_u32 (buf, exited->job, &error);
  write_u32 (buf, exited->how, &error);
  write_u32 (buf, (uint32_t)exited->code, &error);
  write_u64 (buf, exited->utime_us, &error);
  write_u64 (buf, exited->stime_us, &error);
  write_u64 (buf, exited->maxrss_kib, &error);
  write_u32 (buf, exited->flags, &error);
  return frame_end (buf, at, error);
}

int
pm_slot_encode_failed (PmSlotBuf  *buf,
                       uint32_t    job,
                       int32_t     errnum,
                       const char *message)
{
  int error;
  size_t at = frame_begin (buf, PM_SLOT_FAILED, 0, &error);

  write_u32 (buf, job, &error);
  write_u32 (buf, (uint32_t)errnum, &error);
  write_str (buf, message, &error);
  return frame_end (buf, at, error);
}

int
pm_slot_encode_start (PmSlotBuf         *buf,
                      const PmSlotStart *start)
{
  int error;
  size_t at = frame_begin (buf, PM_SLOT_START, 0, &error);

  write_u32 (buf, start->job, &error);
  write_u32 (buf, start->flags, &error);
  write_u32 (buf, start->grace_ms, &error);
  write_u32 (buf, start->argc, &error);
  write_u32 (buf, start->envc, &error);
  for (uint32_t i = 0; i < start->argc; i++)
    write_str (buf, start->argv[i], &error);
  for (uint32_t i = 0; i < start->envc; i++)
    write_str (buf, start->env[i], &error);
  write_str (buf, start->cwd, &error);
  write_str (buf, start->stdin_path, &error);
  return frame_end (buf, at, error);
}

int
pm_slot_encode_signal (PmSlotBuf      *buf,
                       uint32_t        job,
                       int32_t         signum,
                       const uint32_t *pids,
                       uint32_t        n_pids)
{
  int error;
  size_t at = frame_begin (buf, PM_SLOT_SIGNAL, 0, &error);

  write_u32 (buf, job, &error);
  write_u32 (buf, (uint32_t)signum, &error);
  write_u32 (buf, n_pids, &error);
  for (uint32_t i = 0; i < n_pids; i++)
    write_u32 (buf, pids[i], &error);
  return frame_end (buf, at, error);
}
