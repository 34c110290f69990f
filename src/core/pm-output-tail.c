/* pm-output-tail.c
 *
 * A job may write without end; what it wrote is kept as a tail of whole lines, bounded in
 * lines and in bytes, with the count of everything it wrote. A PmJob holds one per attempt and
 * hands it out through pm_job_dup_output() and the like.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-util.h"
#include "pm-output-tail.h"

/* The tail of a job's output that is kept in memory, however much it writes. */
#define TAIL_MAX_LINES 500
#define TAIL_MAX_BYTES (256 * 1024)

/* One line of the tail as it came: its bytes, NULs and all, and whether a newline ended it
 * (the last line of a job's output may have none). The newline itself is not stored. */
typedef struct
{
  PmOutputStream stream;
  gboolean       eol;
  gsize          len;
  char           line[];
} OutputLine;

static char *
dup_line_text (const OutputLine *ol)
{
  return pm_dup_text (ol->line, ol->len);
}

void
_pm_output_tail_init (PmOutputTail *tail)
{
  g_queue_init (&tail->lines);
  tail->tail_bytes = 0;
  tail->output_bytes = 0;
}

void
_pm_output_tail_clear (PmOutputTail *tail)
{
  g_queue_clear_full (&tail->lines, g_free);
  tail->tail_bytes = 0;
  tail->output_bytes = 0;
}

/* @data: one line of output, its newline included if it had one */
void
_pm_output_tail_append (PmOutputTail   *tail,
                        PmOutputStream  stream,
                        const guint8   *data,
                        gsize           len)
{
  gboolean eol = len > 0 && data[len - 1] == '\n';
  gsize kept = eol ? len - 1 : len;
  gsize skip = kept > TAIL_MAX_BYTES ? kept - TAIL_MAX_BYTES : 0;   /* a huge line's end */
  OutputLine *ol;

  kept -= skip;
  ol = g_malloc (sizeof *ol + kept + 1);
  ol->stream = stream;
  ol->eol = eol;
  ol->len = kept;
  memcpy (ol->line, data + skip, kept);
  ol->line[kept] = '\0';
  g_queue_push_tail (&tail->lines, ol);
  tail->tail_bytes += kept;
  tail->output_bytes += len;

  while (tail->lines.length > 1 &&
         (tail->lines.length > TAIL_MAX_LINES || tail->tail_bytes > TAIL_MAX_BYTES))
    {
      OutputLine *old = g_queue_pop_head (&tail->lines);
      tail->tail_bytes -= old->len;
      g_free (old);
    }
}

/* @line: one line of text, its newline not included (as a log reader finds it) */
void
_pm_output_tail_append_line (PmOutputTail   *tail,
                             PmOutputStream  stream,
                             const char     *line)
{
  g_autofree char *with_newline = g_strconcat (line, "\n", NULL);

  _pm_output_tail_append (tail, stream, (const guint8 *)with_newline, strlen (with_newline));
}

/* How many bytes were appended in all, kept or not */
guint64
_pm_output_tail_get_bytes (const PmOutputTail *tail)
{
  return tail->output_bytes;
}

/* The kept lines, without newlines, as text that can be shown (see pm_job_dup_output_lines()) */
char **
_pm_output_tail_dup_lines (const PmOutputTail *tail)
{
  GStrvBuilder *builder;
  char **lines;

  builder = g_strv_builder_new ();
  for (const GList *l = tail->lines.head; l != NULL; l = l->next)
    {
      g_autofree char *text = dup_line_text (l->data);
      g_strv_builder_add (builder, text);
    }

  lines = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return lines;
}

/* The kept lines as text that can be shown, each ended by "\n" where the job ended it so */
char *
_pm_output_tail_dup_text (const PmOutputTail *tail)
{
  GString *out;

  out = g_string_sized_new (tail->tail_bytes + tail->lines.length);
  for (const GList *l = tail->lines.head; l != NULL; l = l->next)
    {
      const OutputLine *ol = l->data;
      g_autofree char *text = dup_line_text (ol);

      g_string_append (out, text);
      if (ol->eol)
        g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

/* The kept lines exactly as the job wrote them */
GBytes *
_pm_output_tail_dup_bytes (const PmOutputTail *tail)
{
  GByteArray *out;

  out = g_byte_array_sized_new (tail->tail_bytes + tail->lines.length);
  for (const GList *l = tail->lines.head; l != NULL; l = l->next)
    {
      const OutputLine *ol = l->data;

      g_byte_array_append (out, (const guint8 *)ol->line, ol->len);
      if (ol->eol)
        g_byte_array_append (out, (const guint8 *)"\n", 1);
    }

  return g_byte_array_free_to_bytes (out);
}
