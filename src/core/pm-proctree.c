/* pm-proctree.c
 *
 * Signals to a job go to its process group. A descendant can leave the group: `setsid`, a
 * daemon, or `timeout` (it makes a group of its own for its command). The pool finds such
 * processes in the process tree when it signals a job, and signals them too, as GNU parallel
 * does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pm-proctree.h"

/* One /proc/PID/stat: "PID (COMM) STATE PPID PGRP …", the start time 22nd. COMM may hold
 * spaces and parentheses, so the fields are counted from the last ')'. */
static gboolean
read_stat (const char *name,
           PmProc     *proc)
{
  g_autofree char *path = g_build_filename ("/proc", name, "stat", NULL);
  g_autofree char *text = NULL;
  const char *p;
  guint field;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strrchr (text, ')')) == NULL)
    return FALSE;

  proc->pid = atoi (name);
  p++;
  for (field = 3; field <= 22; field++)
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        return FALSE;
      if (field == 3)
        proc->zombie = *p == 'Z' || *p == 'X';
      else if (field == 4)
        proc->ppid = strtol (p, NULL, 10);
      else if (field == 5)
        proc->pgrp = strtol (p, NULL, 10);
      else if (field == 22)
        proc->start = g_ascii_strtoull (p, NULL, 10);
      while (*p != ' ' && *p != '\0')
        p++;
    }
  return proc->pid > 0;
}

/**
 * pm_proc_snapshot:
 *
 * Returns: (transfer full): every process there is now (#PmProc); empty without /proc
 */
GArray *
pm_proc_snapshot (void)
{
  GArray *procs = g_array_new (FALSE, FALSE, sizeof (PmProc));
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      PmProc proc = { 0 };

      if (g_ascii_isdigit (name[0]) && read_stat (name, &proc))
        g_array_append_val (procs, proc);
    }
  return procs;
}

/**
 * pm_proc_descendants:
 * @snapshot: from pm_proc_snapshot()
 * @roots: PIDs
 * @n_roots: how many
 *
 * Returns: (transfer full): the processes of @snapshot below any of @roots (their children,
 *   theirs, …), each once, not the roots themselves
 */
GArray *
pm_proc_descendants (GArray     *snapshot,
                     const GPid *roots,
                     guint       n_roots)
{
  GArray *below = g_array_new (FALSE, FALSE, sizeof (PmProc));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) parents = g_array_new (FALSE, FALSE, sizeof (GPid));

  for (guint i = 0; i < n_roots; i++)
    if (roots[i] > 0 && g_hash_table_add (seen, GINT_TO_POINTER (roots[i])))
      g_array_append_val (parents, roots[i]);

  /* One pass over the snapshot per generation; trees of jobs are shallow. */
  while (parents->len > 0)
    {
      g_autoptr(GHashTable) wanted = g_hash_table_new (NULL, NULL);

      for (guint i = 0; i < parents->len; i++)
        g_hash_table_add (wanted, GINT_TO_POINTER (g_array_index (parents, GPid, i)));
      g_array_set_size (parents, 0);

      for (guint i = 0; i < snapshot->len; i++)
        {
          const PmProc *proc = &g_array_index (snapshot, PmProc, i);

          if (g_hash_table_contains (wanted, GINT_TO_POINTER (proc->ppid)) &&
              g_hash_table_add (seen, GINT_TO_POINTER (proc->pid)))
            {
              g_array_append_val (below, *proc);
              g_array_append_val (parents, proc->pid);
            }
        }
    }
  return below;
}

/**
 * pm_proc_still_there:
 * @proc: a process seen before
 *
 * Returns: whether @proc still runs: its PID is there, for a process started at the same
 *   time, and it is not a zombie
 */
gboolean
pm_proc_still_there (const PmProc *proc)
{
  g_autofree char *name = g_strdup_printf ("%d", proc->pid);
  PmProc now = { 0 };

  return read_stat (name, &now) && now.start == proc->start && !now.zombie;
}

/**
 * pm_proc_read:
 * @pid: a process
 * @proc: (out): filled with what /proc says of it
 *
 * Returns: whether @pid is there (a zombie included)
 */
gboolean
pm_proc_read (GPid    pid,
              PmProc *proc)
{
  g_autofree char *name = g_strdup_printf ("%d", pid);

  return read_stat (name, proc);
}
