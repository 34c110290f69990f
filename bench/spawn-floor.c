/* spawn-floor.c: the floor for bench/run.sh, what spawning costs with nothing around it
 *
 *   spawn-floor -j N COUNT -- CMD [ARG...]
 *
 * Runs CMD COUNT times, N at a time, each with its number (1 … COUNT) as a last argument, as
 * xargs -n 1 and pool-run give each job its input line: the same command lines, so the commands
 * cost the same (coreutils' true given an argument sets up its locale, 30 files opened against 2
 * without one). It runs them the plainest way a pool of process groups can: each child
 * is started with posix_spawnp () in a process group of its own (POSIX_SPAWN_SETPGROUP with
 * group 0, as a pool needs to signal a job and its descendants together), stdin, stdout and
 * stderr are inherited, and one blocking waitpid (-1, ...) per child that ends makes room for
 * the next. No main loop, no pipes, no threads, no bookkeeping beyond two counters: whatever a
 * pool costs above this is the pool's.
 *
 * posix_spawnp () rather than posix_spawn () only so that a CMD without a slash is looked up
 * in PATH, as xargs and pool-run do; with a path such as /bin/true the two are the same call.
 * glibc starts the child with clone (CLONE_VM | CLONE_VFORK), so no page tables are copied.
 *
 * Exits 0 if every child exited 0, 1 if any failed, was killed or could not be started, 2 on
 * bad usage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

extern char **environ;

static int
usage (void)
{
  fprintf (stderr, "usage: spawn-floor -j N COUNT -- CMD [ARG...]\n");
  return 2;
}

/* A whole number from 1 to INT_MAX (from 0 if allow_zero), or -1. */
static long
parse_count (const char *text,
             int         allow_zero)
{
  char *end;
  long value;

  errno = 0;
  value = strtol (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value > INT_MAX || value < (allow_zero ? 0 : 1))
    return -1;
  return value;
}

int
main (int   argc,
      char *argv[])
{
  posix_spawnattr_t attr;
  char **command;
  char number[24];
  int n_command;
  long max_running;
  long total;
  long started = 0;
  long running = 0;
  int failed = 0;
  int stop = 0;

  if (argc < 6 || strcmp (argv[1], "-j") != 0 || strcmp (argv[4], "--") != 0)
    return usage ();
  if ((max_running = parse_count (argv[2], 0)) < 0 || (total = parse_count (argv[3], 1)) < 0)
    return usage ();
  /* CMD [ARG...] NUMBER NULL */
  n_command = argc - 5;
  command = calloc ((size_t)n_command + 2, sizeof *command);
  if (command == NULL)
    return 1;
  memcpy (command, &argv[5], (size_t)n_command * sizeof *command);
  command[n_command] = number;

  /* Group 0: each child leads a new process group whose id is its own pid. */
  posix_spawnattr_init (&attr);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup (&attr, 0);

  for (;;)
    {
      int status;
      pid_t pid;

      /* After a spawn error start nothing more; let the running children drain, then stop. */
      while (!stop && running < max_running && started < total)
        {
          int error;

          snprintf (number, sizeof number, "%ld", started + 1);
          error = posix_spawnp (&pid, command[0], NULL, &attr, command, environ);

          if (error != 0)
            {
              fprintf (stderr, "spawn-floor: cannot run %s (after %ld started): %s\n",
                       command[0], started, strerror (error));
              failed = 1;
              stop = 1;
              break;
            }
          started++;
          running++;
        }

      if (running == 0)
        break;

      pid = waitpid (-1, &status, 0);
      if (pid < 0)
        {
          if (errno == EINTR)
            continue;
          perror ("spawn-floor: waitpid");
          return 1;
        }
      running--;
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        failed = 1;
    }

  posix_spawnattr_destroy (&attr);
  free (command);
  return failed ? 1 : 0;
}
