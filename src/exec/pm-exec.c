/* pm-exec.c: pool-monitor-exec, the shim every job runs through
 *
 *   pool-monitor-exec POOL-PID PATH ARGV0 [ARGUMENT...]
 *
 * GSubprocess keeps its fast posix_spawn path only without a child-setup function, so what a
 * job needs done before its command runs is done here, in a small static program:
 *
 *  - the job leads a process group of its own, so the pool's signals reach all of it;
 *  - the shim vforks the command and stays as a tiny supervisor. When the pool dies, even by
 *    SIGKILL, the kernel tells the shim (PR_SET_PDEATHSIG) and the shim kills the whole group,
 *    so no descendant of a job outlives the pool, even one that ignores SIGTERM;
 *  - signals sent to the group reach the command directly; the shim ignores the catchable
 *    ones and ends as the command ended: the same exit status, or the same signal;
 *  - signals the pool ignores (SIGPIPE) are default again in the command.
 *
 * If the command cannot be executed the shim prints why and exits 127 (126 if not allowed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define POOL_DIED_SIGNAL SIGHUP

static void
pool_died (int signum)
{
  kill (0, SIGKILL);
  _exit (128 + SIGKILL);
}

static struct sigaction inherited[NSIG];
static volatile sig_atomic_t early_signals[NSIG];

static void
remember_signal (int signum)
{
  early_signals[signum] = 1;
}

static bool
is_group_signal (int sig)
{
  return sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD && sig != POOL_DIED_SIGNAL &&
         sig != SIGCONT && sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU;
}

static void
run_command (char *path,
             char *argv[])
{
  sigset_t none;

  for (int sig = 1; sig < NSIG; sig++)
    if (is_group_signal (sig))
      sigaction (sig, &inherited[sig], NULL);
  signal (SIGPIPE, SIG_DFL);
  signal (POOL_DIED_SIGNAL, SIG_DFL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);

  execv (path, argv);

  /* A vfork child shares the shim's memory: plain write(2), no stdio. */
  {
    int saved = errno;
    const char *parts[] = { "pool-monitor-exec: cannot run ", argv[0], ": ", strerror (saved),
                            "\n" };

    for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++)
      if (write (STDERR_FILENO, parts[i], strlen (parts[i])) < 0)
        break;
    _exit (saved == ENOENT ? 127 : 126);
  }
}

int
main (int   argc,
      char *argv[])
{
  struct sigaction died = { 0 };
  struct rlimit no_core = { 0, 0 };
  long pool_pid;
  char *end = NULL;
  pid_t child;
  int status;

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

  died.sa_handler = pool_died;
  sigfillset (&died.sa_mask);
  sigaction (POOL_DIED_SIGNAL, &died, NULL);
  prctl (PR_SET_PDEATHSIG, POOL_DIED_SIGNAL);
  /* The pool may have died before the line above: then nobody waits for this job. */
  if (getppid () != (pid_t)pool_pid)
    return 127;

  /* Signals for the group are the command's to act on. Until the command runs the shim
   * remembers them (none may end it early, none may be lost), then passes them on. */
  for (int sig = 1; sig < NSIG; sig++)
    {
      struct sigaction remember = { .sa_handler = remember_signal };

      sigfillset (&remember.sa_mask);
      if (is_group_signal (sig) && sigaction (sig, &remember, &inherited[sig]) != 0)
        inherited[sig].sa_handler = SIG_DFL;
    }

  child = vfork ();
  if (child < 0)
    {
      fprintf (stderr, "pool-monitor-exec: cannot fork: %s\n", strerror (errno));
      return 126;
    }
  if (child == 0)
    run_command (argv[2], argv + 3);

  /* From now on the command gets the group's signals itself. One that came in just as it
   * started may reach it twice; better than not at all. */
  for (int sig = 1; sig < NSIG; sig++)
    if (is_group_signal (sig))
      signal (sig, SIG_IGN);
  for (int sig = 1; sig < NSIG; sig++)
    if (early_signals[sig])
      kill (child, sig);

  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      return 127;

  if (WIFEXITED (status))
    return WEXITSTATUS (status);

  /* End by the same signal, without a core file of the shim. */
  setrlimit (RLIMIT_CORE, &no_core);
  signal (WTERMSIG (status), SIG_DFL);
  prctl (PR_SET_PDEATHSIG, 0);
  raise (WTERMSIG (status));
  return 128 + WTERMSIG (status);
}
