/* pm-median.h: the median of a growing set of numbers, in O(log n) per number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GArray *low;    /* the smaller half, a max-heap */
  GArray *high;   /* the larger half, a min-heap; never smaller than low */
} PmMedian;

void   _pm_median_init  (PmMedian *median);
void   _pm_median_clear (PmMedian *median);
void   _pm_median_add   (PmMedian *median,
                         gint64    value);
guint  _pm_median_count (const PmMedian *median);
/* The value at index count / 2 of the values sorted (the upper one of two middles); the set
 * must not be empty. */
gint64 _pm_median_get   (const PmMedian *median);

G_END_DECLS
