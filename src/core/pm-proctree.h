/* pm-proctree.h: the process tree, read from /proc, to reach what left a job's group */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GPid    pid;
  GPid    ppid;
  GPid    pgrp;
  guint64 start;   /* clock ticks after boot: with the PID, it names one process */
  gboolean zombie;
} PmProc;

GArray  *pm_proc_snapshot      (void);
GArray  *pm_proc_descendants   (GArray       *snapshot,
                                const GPid   *roots,
                                guint         n_roots);
gboolean pm_proc_still_there   (const PmProc *proc);
gboolean pm_proc_read          (GPid          pid,
                                PmProc       *proc);

G_END_DECLS
