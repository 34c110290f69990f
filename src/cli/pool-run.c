/* pool-run.c: the headless front end of Pool Monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "pm-cli-control.h"
#include "pm-cli-signals.h"
#include "pm-cli-input.h"
#include "pm-cli-files.h"
#include "pm-cli-hosts.h"
#include "pm-cli-status.h"
#include "pm-cli-what-if.h"
#include "pm-demo.h"
#include "pm-pool.h"
#include "pm-runlog.h"
#include "pm-util.h"
#include "pm-version.h"

#define EXIT_USAGE      255
#define MAX_EXIT_FAILED 101
#define MAX_COUNT       1000000

#define DEMO_COUNT      15
#define DEMO_LIMIT      5

typedef struct
{
  char     *jobs;
  double    sleep_min;
  double    sleep_max;
  char     *work;
  gint64    seed;
  char     *joblog;
  char     *events;
  char     *trace;
  char     *timeout;
  char     *term_seq;
  int       retries;
  char     *halt;
  gboolean  resume;
  gboolean  resume_failed;
  gboolean  quiet;
  gboolean  version;
  char     *what_if;
  int       cores;
} Options;

/* Static, so what GOption allocated stays reachable until exit. */
static Options options = { .sleep_min = 1, .sleep_max = 4, .seed = -1, .cores = -1 };
static PmCliInput input;

static const char *const description =
  N_("Without a command it runs the built-in demo: jobs computer_0 … computer_14,\n"
  "five at a time, each a pool-worker that prints “Started worker NAME”, sleeps\n"
  "1–4 whole seconds (chosen from --seed) and prints “NAME worker finished in S\n"
  "seconds”.\n"
  "\n"
  "A command after -- is a template run as argv, never through a shell:\n"
  "  {}   the argument          {#}  the sequence number (from 1)\n"
  "  {.}  without extension     {/}  without folder    {//}  the folder\n"
  "  {/.} without both          {%}  the slot (1 … limit)\n"
  "  {1} {2} …  one value (of an input source, a --colsep column, or -N)\n"
  "A template without any of these gets the arguments appended.\n"
  "Arguments come from ::: a b c, from :::: FILE or -a FILE (one per line; - is\n"
  "standard input), from standard input when it is not a terminal, or from\n"
  "--count N (1 … N). Several sources give every combination, or with --link\n"
  "(or :::+) go side by side. Jobs start as their arguments arrive. Every job also\n"
  "has POOL_SEQ, POOL_SLOT and POOL_JOB_NAME in its environment.\n"
  "\n"
  "--timeout, --termseq, --retries, --halt, --resume and --resume-failed work as\n"
  "in GNU parallel; every attempt of a retried job is a joblog line of its own.\n"
  "\n"
  "Output: each line whole as it ends (the default), or --group, -u, -k, --tag,\n"
  "--results DIR as in GNU parallel. The status line only on a terminal, or with\n"
  "--progress, --bar or --eta.\n"
  "\n"
  "Ctrl+C once lets running jobs finish and starts no more; twice ends them.\n"
  "SIGTERM ends them and exits 255; SIGHUP starts no more, as GNU parallel.\n"
  "\n"
  "Exit status: 0 when every job succeeded, else the number that failed (at\n"
  "most 101), or what --halt gives as in GNU parallel; 255 after SIGTERM, for a\n"
  "usage error or a log that could not be written.\n"
  "\n"
  "Examples:\n"
  "  pool-run                                the demo: 15 workers, 5 at a time\n"
  "  pool-run -j 2 --count 6 --seed 7        6 demo workers, 2 at a time\n"
  "  pool-run -j 4 -- gzip -k {} ::: *.log   compress four files at a time\n"
  "  find . -name '*.png' | pool-run -j 50% -- optipng {}\n"
  "  pool-run -j 8 --joblog run.tsv -a urls.txt -- curl -sO {}\n"
  "  pool-run --events run.jsonl -- sh -c 'echo {#} in slot {%}' ::: a b c\n"
  "\n"
  "The manual page, man pool-run, tells the rest.");

static gboolean configure_pool (PmPool *pool, const Options *options, GError **error);

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
usage_error (const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  fputs ("pool-run: ", stderr);
  vfprintf (stderr, format, args);
  fputs (_(" (see pool-run --help)\n"), stderr);
  va_end (args);
  exit (EXIT_USAGE);
}

/* "-j8" as xargs and GNU parallel take it: GOption wants "-j 8". Only our own options, up to
 * the command's first word, are looked at. */
static char **
split_attached_values (char **argv,
                       int   *argc)
{
  static const char letters[] = "jnaNdIC";
  static const char * const flags[] = { "-j", "-n", "-a", "-N", "-d", "-I", "-C" };
  GPtrArray *out = g_ptr_array_new ();
  gboolean in_options = TRUE;

  for (int i = 0; i < *argc; i++)
    {
      const char *arg = argv[i];

      if (i > 0 && in_options && arg[0] == '-' && arg[1] != '\0' &&
          strchr (letters, arg[1]) != NULL && arg[2] != '\0')
        {
          /* Not a copy: the words of argv are never freed */
          g_ptr_array_add (out, (char *)flags[strchr (letters, arg[1]) - letters]);
          g_ptr_array_add (out, (char *)arg + 2);
          continue;
        }
      if (i > 0 && in_options)
        {
          if (arg[0] != '-')
            in_options = FALSE;
          else if (((strlen (arg) == 2 && strchr (letters, arg[1]) != NULL) ||
                    pm_cli_control_takes_value (arg)) && i + 1 < *argc)
            g_ptr_array_add (out, argv[i++]), arg = argv[i];
        }
      g_ptr_array_add (out, (char *)arg);
    }

  *argc = out->len;
  g_ptr_array_add (out, NULL);
  g_free (argv);
  return (char **)g_ptr_array_free (out, FALSE);
}

/* A command that cannot run is a usage error before anything starts, unless its name comes
 * from the argument ({} in the first word). */
static gboolean
check_program (const char  *program,
               GError     **error)
{
  g_autofree char *found = NULL;

  return strchr (program, '{') != NULL || (found = pm_find_program (program, error)) != NULL;
}

/* --resume and --resume-failed: the sequence numbers the joblog holds as done, as GNU parallel
 * counts them. A job that never ran (cancelled) or that its run ended (stopped: parallel writes
 * no line for it) is not done. A joblog that does not exist yet holds nothing. */
static GHashTable *
resumed_seqs (const Options *options)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (options->joblog);
  g_autoptr(PmPool) previous = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *done = g_hash_table_new (NULL, NULL);
  guint n;

  if (!g_file_query_exists (file, NULL))
    return done;
  if (!(previous = pm_runlog_load_joblog (file, &error)))
    usage_error (_("cannot resume: %s"), error->message);

  n = g_list_model_get_n_items (G_LIST_MODEL (previous));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) before = g_list_model_get_item (G_LIST_MODEL (previous), i);
      PmJobState state = pm_job_get_state (before);

      if (state == PM_JOB_STATE_CANCELLED || pm_job_get_stopped (before))
        continue;
      if (options->resume || state == PM_JOB_STATE_SUCCEEDED)
        g_hash_table_add (done, GUINT_TO_POINTER (pm_job_get_seq (before)));
    }

  return done;
}

typedef struct
{
  PmPool    *pool;
  GMainLoop *loop;
} Run;

static void
state_cb (Run *run)
{
  if (pm_pool_get_state (run->pool) == PM_POOL_STATE_FINISHED)
    g_main_loop_quit (run->loop);
}

static PmLogWriter *
open_log (PmPool      *pool,
          PmLogFormat  format,
          const char  *path,
          gboolean     append)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  PmLogWriter *writer;

  if (path == NULL)
    return NULL;

  file = g_file_new_for_commandline_arg (path);
  if (!(writer = pm_log_writer_new_append (pool, format, file, append, &error)))
    {
      fprintf (stderr, "pool-run: %s\n", error->message);
      exit (EXIT_USAGE);
    }

  return writer;
}

static gboolean
close_log (PmLogWriter *writer)
{
  g_autoptr(GError) error = NULL;

  if (writer == NULL || pm_log_writer_close (writer, &error))
    return TRUE;

  fprintf (stderr, "pool-run: %s\n", error->message);
  return FALSE;
}

/* --timeout, --termseq, --retries, --halt */
static gboolean
configure_pool (PmPool         *pool,
                const Options  *options,
                GError        **error)
{
  PmHalt halt;
  guint timeout_ms, timeout_percent;

  if (!pm_timeout_parse (options->timeout, &timeout_ms, &timeout_percent, error))
    return FALSE;
  pm_pool_set_timeout (pool, timeout_ms);
  pm_pool_set_timeout_percent (pool, timeout_percent);

  if (options->term_seq != NULL && !pm_pool_set_term_seq (pool, options->term_seq, error))
    return FALSE;

  pm_pool_set_retries (pool, options->retries);

  if (!pm_halt_parse (options->halt, &halt, error))
    return FALSE;
  pm_pool_set_halt (pool, &halt);

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) command = g_ptr_array_new ();
  g_autoptr(PmTemplate) template_ = NULL;
  g_autoptr(PmJobSource) source = NULL;
  g_autoptr(PmPool) pool = NULL;
  g_autoptr(PmLogWriter) joblog = NULL;
  g_autoptr(PmLogWriter) events = NULL;
  g_autoptr(PmLogWriter) trace = NULL;
  g_autoptr(PmCliStatus) status = NULL;
  g_autoptr(PmCliSignals) signals = NULL;
  g_autoptr(PmCliControl) control = pm_cli_control_new ();
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *seed_note = NULL;
  g_autofree char *slot_program = NULL;
  g_autofree char *help_footer = NULL;
  g_autofree char *help_text = NULL;
  gboolean demo;
  gboolean logs_ok;
  guint exit_status;
  guint limit;
  int n_opts;
  int i;
  Run run = { 0 };
  GOptionEntry entries[] = {
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &options.jobs,
      N_("At most N jobs at once, or N% of the CPUs"), N_("N") },
    { "sleep-min", 0, 0, G_OPTION_ARG_DOUBLE, &options.sleep_min,
      N_("Shortest demo sleep in seconds (1)"), N_("S") },
    { "sleep-max", 0, 0, G_OPTION_ARG_DOUBLE, &options.sleep_max,
      N_("Longest demo sleep in seconds (4)"), N_("S") },
    { "work", 0, 0, G_OPTION_ARG_STRING, &options.work,
      N_("What demo workers do: sleep (default) or cpu"), N_("WORK") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options.seed,
      N_("Seed of the demo sleeps, to repeat a run"), N_("N") },
    { "joblog", 0, 0, G_OPTION_ARG_FILENAME, &options.joblog,
      N_("Write a GNU parallel joblog as jobs finish"), N_("FILE") },
    { "events", 0, 0, G_OPTION_ARG_FILENAME, &options.events,
      N_("Write every event as JSON Lines"), N_("FILE") },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &options.trace,
      N_("Write a Chrome trace (Perfetto) at the end"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &options.timeout,
      N_("End jobs running longer, or N% of the median"), N_("SECONDS") },
    { "termseq", 0, 0, G_OPTION_ARG_STRING, &options.term_seq,
      N_("How a job is ended (TERM,200,…,KILL,25)"), N_("SIG,MS,…") },
    { "retries", 0, 0, G_OPTION_ARG_INT, &options.retries,
      N_("Run a failing job up to N times in all"), N_("N") },
    { "halt", 0, 0, G_OPTION_ARG_STRING, &options.halt,
      N_("Give up early: now|soon,fail|success|done=N|P%"), N_("WHEN,WHAT=N") },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &options.resume,
      N_("Skip the jobs the --joblog holds, add to it"), NULL },
    { "resume-failed", 0, 0, G_OPTION_ARG_NONE, &options.resume_failed,
      N_("Skip the jobs the --joblog holds as succeeded"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options.quiet,
      N_("Do not show the jobs' output (the summary stays)"), NULL },
    { "what-if", 0, 0, G_OPTION_ARG_FILENAME, &options.what_if,
      N_("Print a logged run's makespan at each limit"), N_("LOG") },
    { "cores", 0, 0, G_OPTION_ARG_INT, &options.cores,
      N_("Cores for --what-if to replay on (this machine's)"), N_("N") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options.version,
      N_("Show the version and the licence"), NULL },
    { NULL }
  };

  pm_i18n_init ();
  pm_process_init ();
  /* Standard output is the jobs' bytes: GLib's debug and info messages go to stderr */
  g_log_writer_default_set_use_stderr (TRUE);

  /* Our options stop at "--" or at the command's first word, so a command keeps its own. */
  for (n_opts = 1; n_opts < argc && strcmp (argv[n_opts], "--") != 0; n_opts++)
    ;

  context = g_option_context_new (N_("[--] [COMMAND [ARGUMENT…]] [::: ARGUMENT…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, N_("Run jobs through a concurrency-limited pool."));
  help_text = g_strconcat (_(description), "\n\n", help_footer = pm_help_footer (), NULL);
  g_option_context_set_description (context, help_text);
  g_option_context_add_main_entries (context, entries, NULL);
  pm_cli_control_add_entries (control, context);
  pm_cli_input_init (&input);
  pm_cli_input_add_entries (&input, context);
  g_option_context_add_main_entries (context, pm_cli_host_entries, NULL);
  g_option_context_add_main_entries (context, pm_cli_file_entries, NULL);
  g_option_context_set_strict_posix (context, TRUE);
  {
    int sub_argc = n_opts;
    char **sub_argv = g_memdup2 (argv, sizeof (char *) * (n_opts + 1));
    int rest;

    sub_argv[n_opts] = NULL;
    sub_argv = split_attached_values (sub_argv, &sub_argc);
    if (!g_option_context_parse (context, &sub_argc, &sub_argv, &error))
      usage_error ("%s", error->message);

    /* Words left before "--" start the command (strict POSIX stopped at the first one). */
    for (rest = 1; rest < sub_argc; rest++)
      g_ptr_array_add (command, sub_argv[rest]);
    g_free (sub_argv);
  }

  if (options.version)
    {
      pm_print_version ("pool-run");
      return 0;
    }

  if (options.cores == 0 || options.cores < -1 || options.cores > PM_POOL_MAX_LIMIT)
    usage_error (_("--cores must be from 1 to %d, not %d"), PM_POOL_MAX_LIMIT, options.cores);
  if (options.cores > 0 && options.what_if == NULL)
    usage_error (_("--cores goes with --what-if LOG"));
  if (options.what_if != NULL)
    {
      if (command->len > 0)
        usage_error (_("--what-if LOG runs nothing: no command after it"));
      return pm_cli_what_if_run (options.what_if, MAX (options.cores, 0));
    }

  for (i = n_opts + 1; i < argc; i++)
    g_ptr_array_add (command, argv[i]);

  /* ":::" or "::::" ends the command and starts its input sources. */
  if (!pm_cli_input_take_sources (&input, command, &error))
    usage_error ("%s", error->message);
  g_ptr_array_add (command, NULL);
  demo = g_ptr_array_index (command, 0) == NULL;

  if (input.count == 0 || input.count > MAX_COUNT || input.count < -1)
    usage_error (_("the count must be from 1 to %d, not %d"), MAX_COUNT, input.count);
  if (options.sleep_min < 0 || options.sleep_max > PM_DEMO_MAX_SLEEP)
    usage_error (_("demo sleeps must be from 0 to %g seconds"), PM_DEMO_MAX_SLEEP);
  if (options.work != NULL && !g_str_equal (options.work, "sleep") &&
      !g_str_equal (options.work, "cpu"))
    usage_error (_("--work is sleep or cpu, not “%s”"), options.work);
  if (options.sleep_min > options.sleep_max)
    usage_error (_("--sleep-min %g is above --sleep-max %g"), options.sleep_min, options.sleep_max);
  if (options.seed < -1 || options.seed > G_MAXUINT32)
    usage_error (_("the seed must be from 0 to %u"), G_MAXUINT32);

  if (!pm_cli_control_check (control, options.quiet, &error))
    usage_error ("%s", error->message);
  if ((options.resume || options.resume_failed) && options.joblog == NULL)
    usage_error (_("--resume and --resume-failed need --joblog FILE"));
  if (options.retries < 0 || options.retries > 1000)
    usage_error (_("--retries must be from 0 to 1000, not %d"), options.retries);

  if (options.jobs != NULL)
    {
      if (!(limit = pm_cli_control_parse_jobs (control, options.jobs, &error)))
        usage_error ("%s", error->message);
    }
  else
    {
      limit = g_ptr_array_index (command, 0) == NULL ? DEMO_LIMIT : pm_cpu_count ();
    }

  if (demo)
    {
      PmDemoOptions d = {
        .sleep_min = options.sleep_min,
        .sleep_max = options.sleep_max,
        .work = options.work,
        .numbered = !pm_cli_input_has_sources (&input),
      };

      if (options.seed < 0)
        options.seed = g_random_int ();
      seed_note = g_strdup_printf (_("seed %lld"), (long long)options.seed);
      d.seed = (guint32)options.seed;
      if (d.numbered && input.count < 0)
        input.count = DEMO_COUNT;
      if (!(source = pm_cli_input_make_source (&input, NULL, FALSE, &error)))
        usage_error ("%s", error->message);
      if (!pm_demo_set_make_func (source, &d, &error))
        {
          fprintf (stderr, "pool-run: %s\n", error->message);
          return EXIT_USAGE;
        }
    }
  else
    {
      if (!pm_cli_input_has_sources (&input) && input.count < 0 && isatty (STDIN_FILENO))
        usage_error (_("no arguments for the command: give them after :::, with -a FILE, "
                       "with --count N, or one per line on standard input"));
      if (!(template_ = pm_cli_input_make_template (&input, (const char * const *)command->pdata,
                                                    &error)) ||
          (!pm_cli_hosts_remote () && !check_program (g_ptr_array_index (command, 0), &error)) ||
          !(source = pm_cli_input_make_source (&input, template_, TRUE, &error)))
        usage_error ("%s", error->message);
    }

  if (options.resume || options.resume_failed)
    {
      g_autoptr(GHashTable) done = resumed_seqs (&options);
      pm_job_source_skip_seqs (source, done);
    }

  /* No job can run without pool-slot: one error, before any log is opened, and GNU
   * parallel's status when it cannot run at all. */
  if (!(slot_program = pm_find_helper_full ("pool-slot", &error)))
    {
      fprintf (stderr, "pool-run: %s\n", error->message);
      return EXIT_USAGE;
    }
  pool = pm_pool_new (limit);
  if (pm_cli_hosts_given ())
    {
      g_autoptr(GPtrArray) hosts = pm_cli_hosts_prepare (options.jobs, slot_program, &error);

      if (hosts == NULL)
        {
          fprintf (stderr, "pool-run: %s\n", error->message);
          return EXIT_USAGE;
        }
      pm_pool_set_hosts (pool, hosts);
      pm_cli_hosts_watch (pool, hosts, slot_program);
    }
  /* Output nobody shows or logs need not be read at all. */
  if (!pm_cli_modes_wants_output (&pm_cli_control_get_status_options (control)->modes) &&
      options.events == NULL)
    pm_pool_set_capture_output (pool, FALSE);
  /* The event log records output line by line; without one, lines may come several at once */
  pm_pool_set_output_chunks (pool, options.events == NULL);
  if (!configure_pool (pool, &options, &error) || !pm_cli_files_apply (pool, &input, &error))
    usage_error ("%s", error->message);
  pm_pool_set_source (pool, source);
  /* Finished jobs are counted, not kept, unless the trace, written at the end, needs them. */
  pm_pool_set_keep_finished (pool, options.trace != NULL);

  joblog = open_log (pool, PM_LOG_FORMAT_JOBLOG, options.joblog,
                     options.resume || options.resume_failed);
  events = open_log (pool, PM_LOG_FORMAT_EVENTS, options.events, FALSE);
  trace = open_log (pool, PM_LOG_FORMAT_TRACE, options.trace, FALSE);

  loop = g_main_loop_new (NULL, FALSE);
  status = pm_cli_status_new (pool, pm_cli_control_get_status_options (control));
  /* --ungroup as GNU parallel -u: jobs here write to our stdout themselves (and to our stderr
   * where no status line is drawn there), with no copy through the slot and us. */
  {
    const PmCliModesOptions *modes = &pm_cli_control_get_status_options (control)->modes;

    if (modes->mode == PM_CLI_MODE_UNGROUP && !modes->quiet && modes->results == NULL &&
        options.events == NULL)
      pm_pool_set_direct_output (pool, TRUE, !pm_cli_status_is_shown (status));
    /* --results as GNU parallel's: jobs here write to their files themselves, unless the
     * event log is to record their lines */
    if (modes->results != NULL && options.events == NULL)
      pm_cli_status_results_direct (status);
  }
  signals = pm_cli_signals_new (pool, status);
  pm_cli_control_apply (control, pool);
  run = (Run) { pool, loop };
  g_signal_connect_swapped (pool, "notify::state", G_CALLBACK (state_cb), &run);

  if (!pm_pool_start (pool, &error))
    usage_error ("%s", error->message);
  if (pm_pool_get_state (pool) != PM_POOL_STATE_FINISHED)
    g_main_loop_run (loop);
  pm_cli_hosts_unwatch ();
  pm_cli_files_remove_basefiles (pool);
  pm_cli_files_close_hosts (pool);

  pm_cli_status_print_summary (status, seed_note);
  pm_cli_status_flush (status, pm_cli_signals_gave_up (signals));

  logs_ok = close_log (joblog);
  logs_ok &= close_log (events);
  logs_ok &= close_log (trace);
  if (!logs_ok)
    return EXIT_USAGE;

  if (pm_pool_get_source_error (pool) != NULL)
    fprintf (stderr, "pool-run: %s\n", pm_pool_get_source_error (pool)->message);

  /* A run cut short by an input that could not be read never exits 0. */
  exit_status = pm_cli_signals_exit_status (signals);
  if (exit_status == 0 && pm_pool_get_source_error (pool) != NULL)
    exit_status = 1;

  /* `pool-run … | head`: once the logs are whole, end as GNU parallel does there, killed by
   * SIGPIPE (a shell's 141), so `set -o pipefail` and callers see the same. */
  if (pm_cli_status_stdout_gone (status))
    {
      fflush (stderr);
      signal (SIGPIPE, SIG_DFL);
      raise (SIGPIPE);
    }
  return exit_status;
}
