/* pm-output-tail.h: the tail of a job's output kept in memory, and how much it wrote in all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "pm-types.h"

G_BEGIN_DECLS

typedef struct
{
  GQueue  lines;          /* of OutputLine, oldest first */
  gsize   tail_bytes;     /* the kept lines' bytes, newlines not counted */
  guint64 output_bytes;   /* everything appended, kept or not */
} PmOutputTail;

void     _pm_output_tail_init        (PmOutputTail       *tail);
/* Frees the kept lines and zeroes the counts; the tail can be appended to again. */
void     _pm_output_tail_clear       (PmOutputTail       *tail);
void     _pm_output_tail_append      (PmOutputTail       *tail,
                                      PmOutputStream      stream,
                                      const guint8       *data,
                                      gsize               len);
void     _pm_output_tail_append_line (PmOutputTail       *tail,
                                      PmOutputStream      stream,
                                      const char         *line);
guint64  _pm_output_tail_get_bytes   (const PmOutputTail *tail);
char   **_pm_output_tail_dup_lines   (const PmOutputTail *tail);
char    *_pm_output_tail_dup_text    (const PmOutputTail *tail);
GBytes  *_pm_output_tail_dup_bytes   (const PmOutputTail *tail);

G_END_DECLS
