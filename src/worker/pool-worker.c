/* pool-worker.c: the demo worker, the seed's worker as a real program
 *
 *   pool-worker --name NAME --sleep SECONDS [--work sleep|cpu]
 *
 * prints "Started worker NAME", sleeps, prints "NAME worker finished in S seconds", exits 0.
 * With --work cpu it keeps a CPU busy for SECONDS of its own CPU time instead of sleeping: the
 * seed's first point, that processes use all the cores. More of them than there are cores, and
 * each takes longer than SECONDS on the clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>

#include "pm-version.h"

/* Spins until the process has used @seconds of CPU time. */
static void
burn (double seconds)
{
  struct timespec now;
  volatile unsigned long spin = 0;

  do
    {
      for (int i = 0; i < 100000; i++)
        spin++;
      clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
    }
  while (now.tv_sec + now.tv_nsec / 1e9 < seconds);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *work = NULL;
  gboolean version = FALSE;
  double seconds = -1;
  struct timespec ts;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The worker's name", "NAME" },
    { "sleep", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "How long to sleep", "SECONDS" },
    { "work", 0, 0, G_OPTION_ARG_STRING, &work,
      "Sleep (default), or keep a CPU busy that long", "sleep|cpu" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Show the version and the licence", NULL },
    { NULL }
  };

  context = g_option_context_new ("- the Pool Monitor demo worker");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "pool-worker: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      pm_print_version ("pool-worker");
      return 0;
    }
  if (name == NULL || seconds < 0 || seconds > 86400)
    {
      fprintf (stderr, "pool-worker: --name NAME and --sleep SECONDS (0 to 86400) are needed\n");
      return 2;
    }

  if (work != NULL && !g_str_equal (work, "sleep") && !g_str_equal (work, "cpu"))
    {
      fprintf (stderr, "pool-worker: --work is sleep or cpu, not “%s”\n", work);
      return 2;
    }

  printf ("Started worker %s\n", name);
  fflush (stdout);

  if (work != NULL && g_str_equal (work, "cpu"))
    {
      burn (seconds);
    }
  else
    {
      ts.tv_sec = (time_t)seconds;
      ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
      while (nanosleep (&ts, &ts) != 0)
        ;
    }

  /* The seed prints whole seconds; keep a fraction only when one was asked for. */
  if (seconds == (double)(long)seconds)
    printf ("%s worker finished in %ld seconds\n", name, (long)seconds);
  else
    printf ("%s worker finished in %g seconds\n", name, seconds);
  fflush (stdout);

  return 0;
}
