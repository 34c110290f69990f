/* pm-median.c
 *
 * A timeout given as a percentage of the median runtime (as GNU parallel's --timeout 200%)
 * needs the median of every succeeded job so far. Keeping them sorted cost a linear insertion
 * per job, quadratic over a run: with 100,000 jobs, billions of moves. Two heaps keep it at a
 * logarithm per job: the smaller half in a max-heap, the larger half in a min-heap, whose top
 * is the median.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-median.h"

#define AT(heap, i) g_array_index ((heap), gint64, (i))

/* sign 1: a max-heap; -1: a min-heap */
static gboolean
above (gint64 a,
       gint64 b,
       int    sign)
{
  return sign > 0 ? a > b : a < b;
}

static void
heap_push (GArray *heap,
           int     sign,
           gint64  value)
{
  guint i = heap->len;

  g_array_append_val (heap, value);
  while (i > 0 && above (value, AT (heap, (i - 1) / 2), sign))
    {
      AT (heap, i) = AT (heap, (i - 1) / 2);
      i = (i - 1) / 2;
    }
  AT (heap, i) = value;
}

static gint64
heap_pop (GArray *heap,
          int     sign)
{
  gint64 top = AT (heap, 0);
  gint64 last = AT (heap, heap->len - 1);
  guint n = heap->len - 1, i = 0;

  g_array_set_size (heap, n);
  if (n == 0)
    return top;
  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= n)
        break;
      if (child + 1 < n && above (AT (heap, child + 1), AT (heap, child), sign))
        child++;
      if (!above (AT (heap, child), last, sign))
        break;
      AT (heap, i) = AT (heap, child);
      i = child;
    }
  AT (heap, i) = last;
  return top;
}

void
_pm_median_init (PmMedian *median)
{
  median->low = g_array_new (FALSE, FALSE, sizeof (gint64));
  median->high = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
_pm_median_clear (PmMedian *median)
{
  g_clear_pointer (&median->low, g_array_unref);
  g_clear_pointer (&median->high, g_array_unref);
}

void
_pm_median_add (PmMedian *median,
                gint64    value)
{
  guint total;

  if (median->high->len > 0 && value < AT (median->high, 0))
    heap_push (median->low, 1, value);
  else
    heap_push (median->high, -1, value);

  /* low holds count / 2 values, high the rest */
  total = median->low->len + median->high->len;
  while (median->low->len > total / 2)
    heap_push (median->high, -1, heap_pop (median->low, 1));
  while (median->low->len < total / 2)
    heap_push (median->low, 1, heap_pop (median->high, -1));
}

guint
_pm_median_count (const PmMedian *median)
{
  return median->low->len + median->high->len;
}

gint64
_pm_median_get (const PmMedian *median)
{
  g_return_val_if_fail (median->high->len > 0, 0);

  return AT (median->high, 0);
}
