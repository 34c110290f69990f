/* pm-test-child.c: the test double for a job, as GLib's gsubprocess-testprog
 *
 *   pm-test-child STEP [STEP...]
 *
 * Steps run in order:
 *   exit N          exit with status N
 *   sleep MS        sleep MS milliseconds
 *   raise SIG       kill itself with signal SIG (a number)
 *   print N         print "line 1" … "line N" on stdout
 *   eprint TEXT     print TEXT on stderr
 *   args            print each remaining argument on a line of its own, then exit 0
 *   env             print POOL_SEQ, POOL_SLOT and POOL_JOB_NAME as NAME=VALUE lines
 *   ignore-term     ignore SIGTERM from now on
 *   flood BYTES     write BYTES bytes of 'x' to stdout without a newline
 *   child MS        fork a grandchild that ignores SIGTERM and sleeps MS, print its PID
 *   pgid            print "pgid=" and the process group, "pid=" and the PID
 *   bytes N         write N bytes to stdout, 0, 1, … 255 and again (NULs and newlines among
 *                   them), the last not a newline
 *   burn MS         keep a CPU busy for MS milliseconds of its CPU time
 *   background MS   start a child in the job's own group that sleeps MS keeping no pipe,
 *                   print "bg=" and its PID, and go on without waiting for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
sleep_ms (long ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

  while (nanosleep (&ts, &ts) != 0)
    ;
}

int
main (int   argc,
      char *argv[])
{
  for (int i = 1; i < argc; i++)
    {
      const char *step = argv[i];
      const char *arg = i + 1 < argc ? argv[i + 1] : "0";

      if (strcmp (step, "exit") == 0)
        return atoi (arg);
      else if (strcmp (step, "sleep") == 0)
        sleep_ms (atol (arg)), i++;
      else if (strcmp (step, "raise") == 0)
        {
          fflush (stdout);
          signal (atoi (arg), SIG_DFL);
          raise (atoi (arg));
          i++;
        }
      else if (strcmp (step, "print") == 0)
        {
          for (int n = 1; n <= atoi (arg); n++)
            printf ("line %d\n", n);
          fflush (stdout);
          i++;
        }
      else if (strcmp (step, "eprint") == 0)
        fprintf (stderr, "%s\n", arg), i++;
      else if (strcmp (step, "args") == 0)
        {
          for (int j = i + 1; j < argc; j++)
            printf ("%s\n", argv[j]);
          return 0;
        }
      else if (strcmp (step, "env") == 0)
        {
          const char *names[] = { "POOL_SEQ", "POOL_SLOT", "POOL_JOB_NAME" };
          for (unsigned n = 0; n < 3; n++)
            printf ("%s=%s\n", names[n], getenv (names[n]) ? getenv (names[n]) : "(unset)");
          fflush (stdout);
        }
      else if (strcmp (step, "ignore-term") == 0)
        signal (SIGTERM, SIG_IGN);
      else if (strcmp (step, "flood") == 0)
        {
          static char block[65536];
          long long left = atoll (arg);

          memset (block, 'x', sizeof block);
          while (left > 0)
            {
              size_t n = left > (long long)sizeof block ? sizeof block : (size_t)left;
              if (fwrite (block, 1, n, stdout) != n)
                return 1;
              left -= n;
            }
          fflush (stdout);
          i++;
        }
      else if (strcmp (step, "child") == 0)
        {
          pid_t pid;

          fflush (stdout);
          pid = fork ();
          if (pid == 0)
            {
              signal (SIGTERM, SIG_IGN);
              /* Let go of the job's pipes, so the job ends when its leader does. */
              freopen ("/dev/null", "w", stdout);
              freopen ("/dev/null", "w", stderr);
              sleep_ms (atol (arg));
              _exit (0);
            }
          printf ("child=%d\n", (int)pid);
          fflush (stdout);
          i++;
        }
      else if (strcmp (step, "pgid") == 0)
        {
          printf ("pgid=%d\npid=%d\n", (int)getpgid (0), (int)getpid ());
          fflush (stdout);
        }
      else if (strcmp (step, "bytes") == 0)
        {
          long long n = atoll (arg);

          for (long long k = 0; k < n; k++)
            putchar (k == n - 1 && k % 256 == '\n' ? 'x' : (int)(k % 256));
          fflush (stdout);
          i++;
        }
      else if (strcmp (step, "burn") == 0)
        {
          struct timespec start, now;
          volatile unsigned long spin = 0;

          /* By its own CPU clock: on a loaded machine 300 ms on the wall clock gave 90 ms of
           * CPU, under the 100 ms test-pool-slots expects. */
          clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &start);
          do
            {
              for (int k = 0; k < 100000; k++)
                spin++;
              clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
            }
          while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 <
                 atol (arg));
          i++;
        }
      else if (strcmp (step, "background") == 0)
        {
          pid_t pid;

          fflush (stdout);
          pid = fork ();
          if (pid == 0)
            {
              freopen ("/dev/null", "w", stdout);
              freopen ("/dev/null", "w", stderr);
              sleep_ms (atol (arg));
              _exit (0);
            }
          printf ("bg=%d\n", (int)pid);
          fflush (stdout);
          i++;
        }
      else
        {
          fprintf (stderr, "pm-test-child: unknown step %s\n", step);
          return 99;
        }
    }

  return 0;
}
