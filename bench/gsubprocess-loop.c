/* gsubprocess-loop.c: the bare GSubprocess baseline for bench/run.sh
 *
 * Runs N copies of one command, at most J at a time, the plainest way GIO allows: a default
 * GSubprocessLauncher (G_SUBPROCESS_FLAGS_NONE, so GLib takes its fork path), one
 * g_subprocess_wait_async () per child, and the next child spawned from the wait callback.
 * No templates, no output capture, no bookkeeping: whatever pool-run costs above this is ours.
 *
 *   gsubprocess-loop -j 8 -n 2000 [-- cmd args...]      (default command: /bin/true)
 *
 * Exits 0 if every child succeeded, 1 if any failed or could not be started, 2 on bad usage.
 */

#include <stdlib.h>

#include <gio/gio.h>

typedef struct
{
  GSubprocessLauncher *launcher;
  GMainLoop *loop;
  const char * const *argv;
  guint total;
  guint max_running;
  guint started;
  guint running;
  guint failed;
  GError *spawn_error;
} Bench;

static void bench_refill (Bench *bench);

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GSubprocess *subprocess = G_SUBPROCESS (object);
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (subprocess, result, &error))
    {
      g_printerr ("gsubprocess-loop: wait failed: %s\n", error->message);
      bench->failed++;
    }
  else if (!g_subprocess_get_successful (subprocess))
    {
      bench->failed++;
    }

  g_assert (bench->running > 0);
  bench->running--;

  bench_refill (bench);
}

static void
bench_refill (Bench *bench)
{
  /* After a spawn error start nothing more; let the running children drain, then stop. */
  while (bench->spawn_error == NULL
         && bench->running < bench->max_running
         && bench->started < bench->total)
    {
      g_autoptr(GSubprocess) subprocess = NULL;

      subprocess = g_subprocess_launcher_spawnv (bench->launcher, bench->argv,
                                                 &bench->spawn_error);
      if (subprocess == NULL)
        break;

      bench->started++;
      bench->running++;
      /* The pending wait holds its own reference on the subprocess. */
      g_subprocess_wait_async (subprocess, NULL, wait_cb, bench);
    }

  if (bench->running == 0)
    g_main_loop_quit (bench->loop);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const default_argv[] = { "/bin/true", NULL };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) command = NULL;
  gint max_running = 8;
  gint total = 2000;
  gboolean verbose = FALSE;
  gint64 start_us;
  gdouble seconds;
  Bench bench = { 0 };
  const GOptionEntry entries[] = {
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &max_running, "Run at most N children at a time (8)", "N" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &total, "Run the command N times (2000)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print the wall time on stderr", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &command, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new ("[-- COMMAND [ARG...]]");
  g_option_context_set_summary (context,
                                "Run COMMAND (default /bin/true) N times, J at a time, with a "
                                "default GSubprocessLauncher and g_subprocess_wait_async ().");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gsubprocess-loop: %s\n", error->message);
      return 2;
    }
  if (max_running < 1 || total < 0)
    {
      g_printerr ("gsubprocess-loop: -j must be at least 1 and -n at least 0\n");
      return 2;
    }

  bench.launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.argv = command != NULL && command[0] != NULL
               ? (const char * const *) command
               : default_argv;
  bench.total = (guint) total;
  bench.max_running = (guint) max_running;

  start_us = g_get_monotonic_time ();
  bench_refill (&bench);
  /* Quitting a loop that is not running yet is lost: only run it if something is pending. */
  if (bench.running > 0)
    g_main_loop_run (bench.loop);
  seconds = (g_get_monotonic_time () - start_us) / (gdouble) G_USEC_PER_SEC;

  if (bench.spawn_error != NULL)
    g_printerr ("gsubprocess-loop: could not start %s (after %u started): %s\n",
                bench.argv[0], bench.started, bench.spawn_error->message);
  if (verbose)
    g_printerr ("gsubprocess-loop: %u started, %u failed, %u at a time: %.3f s, %.0f jobs/s\n",
                bench.started, bench.failed, bench.max_running, seconds,
                seconds > 0 ? bench.started / seconds : 0.0);

  g_clear_error (&bench.spawn_error);
  g_clear_pointer (&bench.loop, g_main_loop_unref);
  g_clear_object (&bench.launcher);

  return (bench.failed > 0 || bench.started < bench.total) ? EXIT_FAILURE : EXIT_SUCCESS;
}
