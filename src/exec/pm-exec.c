/* pm-exec.c: pool-monitor-exec, the shim every job runs through
 *
 *   pool-monitor-exec POOL-PID PATH ARGV0 [ARGUMENT...]
 *
 * GSubprocess keeps its fast posix_spawn path only without a child-setup function, so what a
 * job needs done before its command runs is done here, in one extra (static, cheap) exec:
 * the job leads a process group of its own, so that signals reach its children too; it dies
 * with the pool (PR_SET_PDEATHSIG); and signals the pool ignores (SIGPIPE) are default again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int
main (int   argc,
      char *argv[])
{
  sigset_t all;
  long pool_pid;
  char *end = NULL;

  if (argc < 4)
    {
      fprintf (stderr, "usage: pool-monitor-exec POOL-PID PATH ARGV0 [ARGUMENT...]\n");
      return 127;
    }

  pool_pid = strtol (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0')
    {
      fprintf (stderr, "pool-monitor-exec: bad pool PID “%s”\n", argv[1]);
      return 127;
    }

  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* The pool may have died before the line above: then nobody waits for this job. */
  if (getppid () != (pid_t)pool_pid)
    return 127;

  signal (SIGPIPE, SIG_DFL);
  sigemptyset (&all);
  sigprocmask (SIG_SETMASK, &all, NULL);

  execv (argv[2], argv + 3);

  fprintf (stderr, "pool-monitor-exec: cannot run %s: %s\n", argv[3], strerror (errno));
  return errno == ENOENT ? 127 : 126;
}
