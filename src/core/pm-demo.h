/* pm-demo.h: the built-in demo's jobs, for the window and pool-run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-job-source.h"

G_BEGIN_DECLS

/* The longest sleep a demo worker is given, in seconds */
#define PM_DEMO_MAX_SLEEP 86400.0

typedef struct
{
  double      sleep_min;   /* seconds; whole bounds give whole seconds, as the seed's demo */
  double      sleep_max;
  const char *work;        /* pool-worker's --work ("sleep", "cpu"), or NULL for its default */
  gboolean    numbered;    /* names computer_0 …; else the job's arguments, joined */
  guint32     seed;        /* the same seed gives the same sleeps, in the same order */
} PmDemoOptions;

gboolean pm_demo_set_make_func (PmJobSource          *source,
                                const PmDemoOptions  *options,
                                GError              **error);

G_END_DECLS
