/* pm-job-source-stream.c
 *
 * A job source's streams (files, FIFOs, standard input), read value by value: a value is
 * whole at its delimiter or at the end of the stream; no more is read than the read-ahead past
 * the record a job needs, and a stream with nothing yet is watched until it has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "pm-job-source-private.h"

/* A whole value in the stream's buffer: where it ends (the delimiter's start) */
static gboolean
find_value (PmJobSource *self,
            Input       *input,
            gsize       *end)
{
  const guint8 *data = input->buf->data;
  gsize len = input->buf->len;
  gsize dlen = self->delimiter->len;
  gsize from = MAX (input->start, input->scanned);
  const guint8 *hit;

  if (len < from + dlen)
    return FALSE;
  hit = memmem (data + from, len - from, self->delimiter->data, dlen);
  if (hit == NULL)
    {
      input->scanned = len - dlen + 1;
      return FALSE;
    }
  *end = hit - data;
  return TRUE;
}

static char *
take_value (PmJobSource *self,
            Input       *input,
            gsize        end,
            gsize        skip)
{
  const char *data = (const char *)input->buf->data + input->start;
  gsize len = end - input->start;
  char *value;

  if (memchr (data, '\0', len) != NULL)
    {
      _pm_job_source_fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("%s holds a NUL byte in a value (-0 reads NUL-separated values)"),
                               input->name));
      return NULL;
    }
  value = g_strndup (data, len);
  input->start = end + skip;
  input->scanned = input->start;

  /* What was taken goes once it is half the buffer. */
  if (input->start > input->buf->len / 2)
    {
      g_byte_array_remove_range (input->buf, 0, input->start);
      input->scanned -= input->start;
      input->start = 0;
    }

  return value;
}

/* Reads what is there, without waiting unless @wait. FALSE at the end or on an error. */
static gboolean
read_some (PmJobSource *self,
           Input       *input,
           gboolean     wait,
           gboolean    *would_wait)
{
  struct pollfd pfd = { input->fd, POLLIN, 0 };
  gsize old = input->buf->len;
  gssize n;
  int r;

  /* Polled even when waiting: a FIFO opened before its writer came reads as ended (read ()
   * returns 0) until it comes, but does not poll as readable (on Linux, no HUP before a writer
   * has been and gone). */
  *would_wait = FALSE;
  do
    r = poll (&pfd, 1, wait ? -1 : 0);
  while (r < 0 && errno == EINTR);
  if (r == 0)
    {
      *would_wait = TRUE;
      return TRUE;
    }

  g_byte_array_set_size (input->buf, old + CHUNK);
  do
    n = read (input->fd, input->buf->data + old, CHUNK);
  while (n < 0 && errno == EINTR);
  g_byte_array_set_size (input->buf, old + MAX (n, 0));

  if (n < 0)
    {
      int saved = errno;

      _pm_job_source_fail (self, g_error_new (G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot read %s: %s"), input->name, g_strerror (saved)));
      input->eof = TRUE;
      return FALSE;
    }
  if (n == 0)
    {
      input->eof = TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
watch_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data);

/* The next value of a stream: NOT_YET arms a watch that emits "ready". */
Got
_pm_job_source_stream_next (PmJobSource  *self,
                            Input        *input,
                            gboolean      wait,
                            char        **value)
{
  gsize end;

  for (;;)
    {
      gboolean would_wait;

      if (find_value (self, input, &end))
        {
          *value = take_value (self, input, end, self->delimiter->len);
          return *value != NULL ? GOT_VALUE : ENDED;
        }
      if (input->eof)
        {
          if (input->buf->len > input->start)
            {
              *value = take_value (self, input, input->buf->len, 0);
              return *value != NULL ? GOT_VALUE : ENDED;
            }
          return ENDED;
        }
      read_some (self, input, wait, &would_wait);
      if (would_wait)
        {
          if (input->watch == 0)
            input->watch = g_unix_fd_add_full (G_PRIORITY_DEFAULT, input->fd,
                                               G_IO_IN | G_IO_HUP | G_IO_ERR,
                                               watch_cb, self, NULL);
          return NOT_YET;
        }
    }
}

static gboolean
watch_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  PmJobSource *self = user_data;
  Input *input = NULL;
  gboolean would_wait;
  gsize end;

  for (guint i = 0; i < self->inputs->len && input == NULL; i++)
    if (((Input *)self->inputs->pdata[i])->fd == fd)
      input = self->inputs->pdata[i];
  g_assert (input != NULL);

  read_some (self, input, FALSE, &would_wait);
  if (input->eof || find_value (self, input, &end) || input->buf->len - input->start > self->read_ahead)
    {
      input->watch = 0;
      _pm_job_source_emit_ready (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* Reads a stream to its end, into values. */
void
_pm_job_source_read_whole (PmJobSource *self,
                           Input       *input)
{
  char *value;

  if (input->kind != INPUT_STREAM)
    return;

  input->values = g_ptr_array_new_with_free_func (g_free);
  while (_pm_job_source_stream_next (self, input, TRUE, &value) == GOT_VALUE)
    g_ptr_array_add (input->values, value);
  input->kind = INPUT_VALUES;
}
