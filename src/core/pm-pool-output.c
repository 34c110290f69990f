/* pm-pool-output.c
 *
 * A running job's output (pm-pool-job.c), as its slot or its pipes (pm-pool-pipes.c) bring it.
 * It comes as bytes, exactly as the job wrote them. It is cut into lines here, each passed on
 * with its newline (the last may have none) as #PmPool::job-output: a line is found, never
 * made, so nothing is added or lost, whatever it holds (NUL bytes). A line longer than
 * LINE_PIECE is passed on in pieces as it comes, so that a job that writes a gigabyte without a
 * newline costs the pool LINE_PIECE, not a gigabyte: the pieces, in order, are the line. The
 * job keeps a bounded tail of it (pm-output-tail.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-job-private.h"
#include "pm-pool-internal.h"

/* The most of one unfinished line the pool holds (see above) */
#define LINE_PIECE (1 << 20)

/* A chunk's last lines kept in the tail (its bounds: pm-output-tail.c) */
#define TAIL_LINES  500
#define TAIL_WINDOW (256 * 1024)

static void tail_catch_up (Running *running);

static void
emit_line (Running        *running,
           PmOutputStream  stream,
           const guint8   *data,
           gsize           len)
{
  g_autoptr(GBytes) line = g_bytes_new (data, len);

  tail_catch_up (running);
  _pm_job_append_output_bytes (running->job, stream, data, len);
  g_signal_emit (running->pool, _pm_pool_signals[JOB_OUTPUT], 0, running->job, stream, line);
}

/* Where the last TAIL_LINES lines of a chunk start, within its last TAIL_WINDOW bytes; *whole
 * says whether there were that many (the chunk alone then fills the tail: what came before it
 * would all be dropped). */
static const guint8 *
tail_start (const guint8 *data,
            gsize         len,
            gboolean     *whole)
{
  const guint8 *limit = data + len - MIN (len, (gsize)TAIL_WINDOW);
  const guint8 *end = data + len - 1;     /* the chunk's last newline */
  const guint8 *p = limit;

  *whole = FALSE;
  for (guint n = 0; n < TAIL_LINES; n++)
    {
      const guint8 *nl = end > limit ? memrchr (limit, '\n', end - limit) : NULL;

      if (nl == NULL)
        return limit;
      p = nl + 1;
      end = nl;
    }
  *whole = TRUE;
  return p;
}

/* In chunks (pm_pool_set_output_chunks()): the tail keeps the chunk's last lines, each on its
 * own, as it would have had them line by line. */
static void
tail_lines (Running        *running,
            PmOutputStream  stream,
            const guint8   *data,
            gsize           len)
{
  gboolean whole;
  const guint8 *p = tail_start (data, len, &whole);

  _pm_job_count_output_bytes (running->job, p - data);
  while (p < data + len)
    {
      const guint8 *nl = memchr (p, '\n', data + len - p);
      gsize take = nl ? (gsize)(nl - p) + 1 : (gsize)(data + len - p);

      _pm_job_append_output_bytes (running->job, stream, p, take);
      p += take;
    }
}

/* The chunk whose lines wait to go into the tail goes in now (before anything else does, and
 * at the job's end). */
static void
tail_catch_up (Running *running)
{
  g_autoptr(GBytes) chunk = g_steal_pointer (&running->tail_chunk);
  gsize len;
  const guint8 *data;

  if (chunk == NULL)
    return;
  data = g_bytes_get_data (chunk, &len);
  tail_lines (running, running->tail_stream, data, len);
}

/* A chunk's lines for the tail. Splitting a chunk into the tail's lines costs an allocation per
 * line, and the next chunk most often pushes them all out again: the chunk waits, and is only
 * counted if the next one fills the tail by itself (the tail ends up the same). */
static void
tail_chunk (Running        *running,
            PmOutputStream  stream,
            GBytes         *chunk)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);
  gboolean whole;

  tail_start (data, len, &whole);
  if (whole && running->tail_chunk != NULL)
    _pm_job_count_output_bytes (running->job, g_bytes_get_size (running->tail_chunk));
  else
    tail_catch_up (running);
  g_clear_pointer (&running->tail_chunk, g_bytes_unref);
  running->tail_chunk = g_bytes_ref (chunk);
  running->tail_stream = stream;
}

/* Whole lines, several at once: pool-run's way, a signal for each read rather than for each
 * line (100 MB of 100-byte lines is a million lines). */
static void
emit_chunk (Running        *running,
            PmOutputStream  stream,
            GBytes         *lines)
{
  tail_chunk (running, stream, lines);
  g_signal_emit (running->pool, _pm_pool_signals[JOB_OUTPUT], 0, running->job, stream, lines);
}

static void
emit_lines (Running        *running,
            PmOutputStream  stream,
            const guint8   *data,
            gsize           len)
{
  g_autoptr(GBytes) lines = g_bytes_new (data, len);

  emit_chunk (running, stream, lines);
}

/* Lines the front end took out of the pipe itself (pm-pool-pass.c): @len bytes, whose end is
 * @last, the only part looked at. The tail starts again with its first whole line: what came
 * before was not seen, so no older line may stay beside it. */
void
_pm_running_count_passed (Running        *running,
                          PmOutputStream  stream,
                          GBytes         *last,
                          gsize           len)
{
  gsize size = g_bytes_get_size (last);
  const guint8 *data = g_bytes_get_data (last, NULL);
  const guint8 *nl;
  gsize skip;
  g_autoptr(GBytes) lines = NULL;

  g_assert (len >= size && size > 0);
  if (len == size)
    {
      tail_chunk (running, stream, last);
      return;
    }
  nl = memchr (data, '\n', size);
  skip = (gsize)(nl - data) + 1;
  if (running->tail_chunk != NULL)
    _pm_job_count_output_bytes (running->job, g_bytes_get_size (running->tail_chunk));
  g_clear_pointer (&running->tail_chunk, g_bytes_unref);
  _pm_job_restart_output_tail (running->job);
  _pm_job_count_output_bytes (running->job, len - size + skip);
  if (skip < size)
    {
      lines = g_bytes_new_from_bytes (last, skip, size - skip);
      tail_chunk (running, stream, lines);
    }
}

/* Output as it came, cut into whole lines; what follows the last newline waits for more. */
void
_pm_running_take_output (Running        *running,
                         PmOutputStream  stream,
                         const guint8   *data,
                         gsize           len)
{
  GByteArray *partial = running->partial[stream];
  const guint8 *last_nl;

  if (running->pool->output_chunks && len > 0 &&
      (last_nl = memrchr (data, '\n', len)) != NULL)
    {
      gsize take = (gsize)(last_nl - data) + 1;

      if (partial != NULL && partial->len > 0)
        {
          g_byte_array_append (partial, data, take);
          emit_lines (running, stream, partial->data, partial->len);
          g_byte_array_set_size (partial, 0);
        }
      else
        {
          emit_lines (running, stream, data, take);
        }
      data += take, len -= take;
    }

  while (len > 0)
    {
      const guint8 *nl = memchr (data, '\n', len);
      gsize take = nl ? (gsize)(nl - data) + 1 : len;

      if (nl == NULL)
        {
          if (partial == NULL)
            partial = running->partial[stream] = g_byte_array_new ();
          g_byte_array_append (partial, data, take);
          if (partial->len >= LINE_PIECE)
            {
              emit_line (running, stream, partial->data, partial->len);
              g_byte_array_set_size (partial, 0);
            }
        }
      else if (partial != NULL && partial->len > 0)
        {
          g_byte_array_append (partial, data, take);
          emit_line (running, stream, partial->data, partial->len);
          g_byte_array_set_size (partial, 0);
        }
      else
        {
          emit_line (running, stream, data, take);
        }
      data += take, len -= take;
    }
}

/* The same for a chunk read into memory of its own (in chunks, pm_pool_set_output_chunks()):
 * its whole lines go on as a part of it, not as a copy, unless a line begun before ends there. */
void
_pm_running_take_chunk (Running        *running,
                        PmOutputStream  stream,
                        GBytes         *chunk)
{
  GByteArray *partial = running->partial[stream];
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk, &len);
  const guint8 *last_nl;

  if (running->pool->output_chunks && len > 0 &&
      (last_nl = memrchr (data, '\n', len)) != NULL)
    {
      gsize start = 0, take;
      g_autoptr(GBytes) lines = NULL;

      /* The line begun before ends first, on its own (a copy of it only) */
      if (partial != NULL && partial->len > 0)
        {
          start = (gsize)((const guint8 *)memchr (data, '\n', len) - data) + 1;
          _pm_running_take_output (running, stream, data, start);
        }
      take = (gsize)(last_nl - data) + 1;
      if (take > start)
        {
          lines = start == 0 && take == len ? g_bytes_ref (chunk)
                                            : g_bytes_new_from_bytes (chunk, start, take - start);
          emit_chunk (running, stream, lines);
        }
      data += take, len -= take;
    }
  if (len > 0)
    _pm_running_take_output (running, stream, data, len);
}

/* The end of the output: a last line without a newline is passed on as it is. */
void
_pm_running_flush_output (Running *running)
{
  tail_catch_up (running);
  for (guint stream = PM_OUTPUT_STDOUT; stream <= PM_OUTPUT_STDERR; stream++)
    {
      GByteArray *partial = running->partial[stream];

      if (partial != NULL && partial->len > 0)
        {
          emit_line (running, stream, partial->data, partial->len);
          g_byte_array_set_size (partial, 0);
        }
    }
}
