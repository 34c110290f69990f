/* pm-slot-protocol.h: what the pool and a pool-slot process say to each other
 *
 * A slot is a long-lived process that runs one job at a time for the pool (see pool-slot.c). It
 * speaks over its standard input (the pool's messages) and standard output (its own), locally
 * through pipes or remotely through ssh. This header and pm-slot-protocol.c are plain C, no GLib:
 * the slot is a small static program, and the core compiles the same codec.
 *
 * Every message is a frame: an 8-byte header, then the payload.
 *
 *   u32 length   payload bytes that follow, at most PM_SLOT_MAX_PAYLOAD
 *   u8  type     PmSlotType
 *   u8  arg      OUTPUT: the stream (1 stdout, 2 stderr); otherwise 0
 *   u16 zero
 *
 * Integers are little-endian whatever the host; strings are bytes ended by a NUL inside the
 * payload (an argument may hold any byte but NUL, as in execve).
 *
 * Slot to pool:
 *   HELLO    u32 version, u32 slot pid               once, first; the pool checks the version
 *   STARTED  u32 job, u32 pid                        the job runs, leading group pid
 *   OUTPUT   bytes (arg: stream)                     the job's output, exactly as read
 *   EXITED   u32 job, u32 how, i32 code,             the job is over: its leader was reaped and
 *            u64 utime µs, u64 stime µs,             its output ended (or its grace ran out;
 *            u64 maxrss KiB, u32 flags               with PASSED_OUTPUT: just reaped). how: 0
 *                                                    exited with code, 1 killed by signal
 *                                                    code. flags: PM_SLOT_EXIT_LEFTOVERS when
 *                                                    the group still had processes, then ended
 *   FAILED   u32 job, i32 errno, str message         the job could not start (nothing ran)
 *
 * Pool to slot:
 *   START    u32 job, u32 flags, u32 grace ms,       run a job: argv (argc ≥ 1), environment
 *            u32 argc, u32 envc, str argv[argc],     additions "NAME=VALUE", working directory
 *            str env[envc], str cwd, str stdin       ("" for the slot's) and standard input
 *                                                    ("" for /dev/null). flags: see below
 *                                                    (DIRECT_* below: a stream the job writes
 *                                                    to the pool's own descriptor, not captured;
 *                                                    PASSED_OUTPUT: the pool reads the job's
 *                                                    pipes itself, no OUTPUT comes)
 *   SIGNAL   u32 job, i32 signum, u32 n,             send signum to the job's group if its
 *            u32 pid[n]                              leader is not yet reaped, then to the pids
 *                                                    (its descendants that left the group)
 *
 * Closing the slot's standard input tells it the pool is gone: it ends its job's group (TERM,
 * KILL after the grace) and exits. An idle slot just exits: that is how the pool retires one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define PM_SLOT_PROTOCOL_VERSION 2
#define PM_SLOT_HEADER_SIZE      8
#define PM_SLOT_MAX_PAYLOAD      (16u << 20)
#define PM_SLOT_OUTPUT_CHUNK     (64u << 10)

typedef enum
{
  PM_SLOT_HELLO   = 1,
  PM_SLOT_STARTED = 2,
  PM_SLOT_OUTPUT  = 3,
  PM_SLOT_EXITED  = 4,
  PM_SLOT_FAILED  = 5,
  PM_SLOT_START   = 16,
  PM_SLOT_SIGNAL  = 17,
} PmSlotType;

enum
{
  PM_SLOT_STDOUT = 1,
  PM_SLOT_STDERR = 2,
};

/* START flags */
enum
{
  PM_SLOT_START_CAPTURE       = 1 << 0,  /* output comes back as OUTPUT; else to /dev/null */
  PM_SLOT_START_DIRECT_STDOUT = 1 << 1,  /* the job's stdout is the slot's PM_SLOT_DIRECT_FD */
  PM_SLOT_START_DIRECT_STDERR = 1 << 2,  /* the job's stderr is the slot's own stderr */
  PM_SLOT_START_PASSED_OUTPUT = 1 << 3,  /* with CAPTURE: stdout and stderr come as passed fds */
};

/* A local slot started with $PM_SLOT_DIRECT_ENV set keeps this descriptor (the pool's own
 * standard output) for jobs started with PM_SLOT_START_DIRECT_STDOUT: as GNU parallel -u, their
 * bytes go to the pool's reader with no copy through the slot or the pool. */
#define PM_SLOT_DIRECT_FD  3
#define PM_SLOT_DIRECT_ENV "POOL_SLOT_DIRECT_FD"

/* A local slot started with $PM_SLOT_PASS_ENV set keeps this descriptor, a Unix stream socket
 * from the pool. Before each START with PM_SLOT_START_PASSED_OUTPUT the pool sends on it one
 * byte with two descriptors (SCM_RIGHTS): the write ends of pipes it made for the job's stdout
 * and stderr, which the slot gives the job (a DIRECT_* stream keeps its direct descriptor) and
 * closes. The pool reads the other ends itself, so the bytes skip the slot; no OUTPUT comes for
 * that job, and its EXITED comes once its leader is reaped: the pool then reads the pipes to
 * their end (every writer gone) or for at most half a second more (a background process that
 * keeps them open), as the slot does with its own pipes. Remote slots have no such socket. */
#define PM_SLOT_PASS_FD  4
#define PM_SLOT_PASS_ENV "POOL_SLOT_PASS_FD"

/* EXITED how and flags */
enum
{
  PM_SLOT_EXIT_CODE   = 0,
  PM_SLOT_EXIT_SIGNAL = 1,
};
enum
{
  PM_SLOT_EXIT_LEFTOVERS = 1 << 0,
};

/* A growable byte buffer; data is malloc()ed. */
typedef struct
{
  uint8_t *data;
  size_t   len;
  size_t   cap;
} PmSlotBuf;

/* One frame inside a buffer: payload points into it. */
typedef struct
{
  uint8_t        type;
  uint8_t        arg;
  uint32_t       len;
  const uint8_t *payload;
} PmSlotFrame;

typedef struct
{
  uint32_t version;
  uint32_t pid;
} PmSlotHello;

typedef struct
{
  uint32_t job;
  uint32_t pid;
} PmSlotStarted;

typedef struct
{
  uint32_t job;
  uint32_t how;
  int32_t  code;
  uint64_t utime_us;
  uint64_t stime_us;
  uint64_t maxrss_kib;
  uint32_t flags;
} PmSlotExited;

typedef struct
{
  uint32_t    job;
  int32_t     errnum;
  const char *message;   /* points into the frame */
} PmSlotFailed;

typedef struct
{
  uint32_t     job;
  uint32_t     flags;
  uint32_t     grace_ms;
  uint32_t     argc;
  uint32_t     envc;
  const char **argv;     /* malloc()ed, NULL-terminated; strings point into the frame */
  const char **env;      /* same */
  const char  *cwd;
  const char  *stdin_path;
} PmSlotStart;

typedef struct
{
  uint32_t        job;
  int32_t         signum;
  uint32_t        n_pids;
  const uint8_t  *pids;  /* n_pids little-endian u32s: use pm_slot_signal_pid() */
} PmSlotSignal;

/* Buffers. Each returns 0, or -1 when memory runs out. */
int      pm_slot_buf_append  (PmSlotBuf  *buf,
                              const void *data,
                              size_t      len);
void     pm_slot_buf_consume (PmSlotBuf  *buf,
                              size_t      len);
void     pm_slot_buf_clear   (PmSlotBuf  *buf);

/* Finds the first frame in data[0..len): 1 when one is whole (*consumed: its size), 0 when more
 * bytes are needed, -1 when the bytes cannot be a frame (too long, unknown type, a nonzero
 * reserved field): the channel is then broken. */
int      pm_slot_frame_next  (const uint8_t *data,
                              size_t         len,
                              PmSlotFrame   *frame,
                              size_t        *consumed);

/* Decoders: 0, or -1 when the payload does not match its type exactly (short, long, a string
 * without its NUL, a count past the payload). Nothing is allocated but PmSlotStart's arrays,
 * freed by pm_slot_start_clear() (also after a failure). */
int      pm_slot_decode_hello   (const PmSlotFrame *frame,
                                 PmSlotHello       *out);
int      pm_slot_decode_started (const PmSlotFrame *frame,
                                 PmSlotStarted     *out);
int      pm_slot_decode_exited  (const PmSlotFrame *frame,
                                 PmSlotExited      *out);
int      pm_slot_decode_failed  (const PmSlotFrame *frame,
                                 PmSlotFailed      *out);
int      pm_slot_decode_start   (const PmSlotFrame *frame,
                                 PmSlotStart       *out);
void     pm_slot_start_clear    (PmSlotStart       *start);
int      pm_slot_decode_signal  (const PmSlotFrame *frame,
                                 PmSlotSignal      *out);
uint32_t pm_slot_signal_pid     (const PmSlotSignal *signal,
                                 uint32_t            i);

/* Encoders append one whole frame to buf: 0, or -1 (out of memory, or too long a payload). */
int      pm_slot_encode_hello   (PmSlotBuf         *buf,
                                 uint32_t           pid);
int      pm_slot_encode_started (PmSlotBuf         *buf,
                                 uint32_t           job,
                                 uint32_t           pid);
int      pm_slot_encode_output  (PmSlotBuf         *buf,
                                 int                stream,
                                 const void        *data,
                                 size_t             len);
int      pm_slot_encode_exited  (PmSlotBuf         *buf,
                                 const PmSlotExited *exited);
int      pm_slot_encode_failed  (PmSlotBuf         *buf,
                                 uint32_t           job,
                                 int32_t            errnum,
                                 const char        *message);
int      pm_slot_encode_start   (PmSlotBuf         *buf,
                                 const PmSlotStart *start);
int      pm_slot_encode_signal  (PmSlotBuf         *buf,
                                 uint32_t           job,
                                 int32_t            signum,
                                 const uint32_t    *pids,
                                 uint32_t           n_pids);
