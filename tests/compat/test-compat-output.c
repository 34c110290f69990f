/* test-compat-output.c: output modes, --halt and its exit statuses, signals and -j forms, each
 * run through pool-run and through `parallel --will-cite -q` (see pm-compat.h)
 *
 * pool-run gets --no-summary first, so that its standard error holds only what the jobs wrote
 * there and can be compared byte for byte. Where we differ on purpose the case says why and
 * checks our documented behaviour instead:
 * - the default output mode is line by line (parallel's is --group): the same lines, each
 *   whole, in the order they end;
 * - Ctrl+C (SIGINT) once lets the running jobs finish (parallel ends them and exits 255).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-compat.h"
#include "pm-test-util.h"

#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const char * const no_summary[] = { "--no-summary", NULL };

/* 5 lines of 200 kB, each of its own letter: lines longer than a pipe's buffer, so that jobs
 * writing at once would tear each other's lines if anything let them. */
#define LONG_LINES "for i in 1 2 3 4 5; do head -c 200000 /dev/zero | tr '\\0' \"$1\"; echo; done"

/* 100 kB on standard error in lines of 1,000 bytes (the log's lines stay short) */
#define ERR_LINES "head -c 100000 /dev/zero | tr '\\0' e | fold -w 1000 >&2"

static const PmCompatCase cases[] = {
  /* Bytes exact */
  { "binary-gzip", ARGS ("-j", "1", "sh", "-c", "seq 1 200000 | gzip -nc", ":::", "x"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "nul-bytes-and-no-final-newline", ARGS ("-j", "1", "printf", "a\\0b\\0\\0c", ":::", "x"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "no-newline-added", ARGS ("-j", "1", "printf", "%s", "{}", ":::", "one", "two"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "three-megabyte-line", ARGS ("-j", "1", "sh", "-c",
                                 "head -c 3000000 /dev/zero | tr '\\0' x", ":::", "x"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "stderr-bytes", ARGS ("-j", "1", "sh", "-c", "printf 'e\\0%s' \"$1\" >&2", "sh", "{}",
                          ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "long-lines-never-torn", ARGS ("-j", "4", "sh", "-c", LONG_LINES, "sh", "{}",
                                   ":::", "a", "b", "c", "d"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT,
    "our default is line by line, parallel's --group: the same lines, in any order" },
  { "long-lines-never-torn-group", ARGS ("--group", "-j", "4", "sh", "-c", LONG_LINES, "sh", "{}",
                                         ":::", "a", "b", "c", "d"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT },
  { "long-lines-ungroup-one-job", ARGS ("-u", "-j", "1", "sh", "-c", LONG_LINES, "sh", "{}",
                                        ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT },
  /* Modes */
  { "group-one-at-a-time", ARGS ("--group", "-j", "1", "sh", "-c",
                                 "echo 1$1; echo e$1 >&2; echo 2$1", "sh", "{}",
                                 ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "keep-order", ARGS ("-k", "-j", "3", "sh", "-c", "echo a$1; sleep 0.$1; echo b$1", "sh", "{}",
                        ":::", "6", "1", "3"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "keep-order-group", ARGS ("-k", "--group", "-j", "3", "sh", "-c",
                              "echo a$1; sleep 0.$1; echo b$1 >&2", "sh", "{}",
                              ":::", "6", "1", "3"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "keep-order-many", ARGS ("-k", "-j", "4", "echo", "{}", ":::",
                             "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "keep-order-binary", ARGS ("-k", "-j", "2", "sh", "-c", "seq $1 | gzip -nc", "sh", "{}",
                               ":::", "90000", "10", "50000"),
    NULL, 0, PM_COMPAT_STDOUT },
  /* Held output past a pipe's worth goes from the job's pipe to a temporary file by splice(),
   * and back out by sendfile(): megabytes, NULs, no final newline, both streams */
  { "group-megabytes-through-a-file", ARGS ("--group", "-j", "1", "sh", "-c",
                                            "seq $1; printf 'a\\0b'; " ERR_LINES "; printf e",
                                            "sh", "{}", ":::", "400000", "300000"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "keep-order-held-megabytes", ARGS ("-k", "-j", "3", "sh", "-c",
                                       "sleep $2; seq $1; printf 'a\\0b'; " ERR_LINES,
                                       "sh", "{1}", "{2}", ":::", "300000", "200000",
                                       "250000", ":::+", "1", "0", "0"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "tag", ARGS ("--tag", "-j", "1", "echo", "x", ":::", "a", "b c"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "tag-lines-and-a-last-without-newline", ARGS ("--tag", "-j", "1", "sh", "-c",
                                                  "printf '1\\n2\\n3'; echo e >&2", "sh", "{}",
                                                  ":::", "q"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "tag-many-lines", ARGS ("--tag", "-k", "-j", "2", "seq", "1", "{}", ":::", "150000", "7"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "tagstring", ARGS ("--tagstring", "{#}-{}:", "-j", "1", "echo", "x", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT },
  /* --tag as the output thread writes it (pm-cli-tagged.c): lines past its buffer and past a
   * read, pieces of a 3 MB line (tagged once), NULs, no final newline, both streams */
  { "tag-long-lines-nul-no-final-newline", ARGS ("--tag", "-j", "1", "sh", "-c",
                                                 LONG_LINES "; printf 'a\\0b\\n\\0\\nc'; "
                                                 "printf 'e\\0\\ne' >&2", "sh", "{}",
                                                 ":::", "q"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "tag-three-megabyte-line", ARGS ("--tagstring", "<{#}>", "-j", "1", "sh", "-c",
                                     "seq 3; head -c 3000000 /dev/zero | tr '\\0' x; seq 2",
                                     ":::", "x"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "tag-megabytes-of-short-lines", ARGS ("--tag", "-j", "1", "seq", "1", "{}",
                                          ":::", "400000"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "tag-keep-order-live-and-held", ARGS ("--tag", "-k", "-j", "2", "sh", "-c",
                                          "seq $1; printf end", "sh", "{}",
                                          ":::", "300000", "5", "200000"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "tag-ignored-with-ungroup", ARGS ("--tag", "-u", "-j", "1", "echo", "x", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "results-tree", ARGS ("--results", "res", "-j", "2", "sh", "-c",
                          "echo out $1; echo err $1 >&2; exit 3", "sh", "{}",
                          ":::", "a", "b c", "d/e", "back\\slash"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR | PM_COMPAT_FILES },
  { "results-tree-two-sources", ARGS ("--results", "res", "-j", "2", "sh", "-c", "echo $1$2",
                                      "sh", "{1}", "{2}", ":::", "a", "b/c", ":::", "x", "y"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT | PM_COMPAT_FILES },
  { "results-tree-columns-and-max-args", ARGS ("--results", "res", "-j", "1", "--colsep", ",",
                                               "-N", "2", "echo", ":::", "p,q", "r,s", "t,u"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_FILES },
  { "results-tree-binary", ARGS ("--results", "r", "-j", "1", "sh", "-c",
                                 "seq 1 $1 | gzip -nc", "sh", "{}", ":::", "1000", "20"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_FILES },
  /* --halt and the exit status it gives */
  { "halt-now-fail-1", ARGS ("-j", "1", "--halt", "now,fail=1", "sh", "-c", "exit $1", "sh", "{}",
                             ":::", "0", "7", "0", "3"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-now-fail-1-signal", ARGS ("-j", "1", "--halt", "now,fail=1", "sh", "-c",
                                    "kill -9 $$", ":::", "x", "y"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-now-success-1", ARGS ("-j", "1", "--halt", "now,success=1", "sh", "-c", "exit $1", "sh",
                                "{}", ":::", "4", "0", "5"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-soon-fail-20-percent", ARGS ("-j", "1", "--halt", "soon,fail=20%", "sh", "-c", "exit $1",
                                       "sh", "{}", ":::", "0", "7", "0", "3", "0", "0", "5", "0",
                                       "0", "0"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-now-done-3", ARGS ("-j", "1", "--halt", "now,done=3", "sh", "-c", "exit $1", "sh", "{}",
                             ":::", "0", "7", "0", "3", "0"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-soon-done-2-nothing-failed", ARGS ("-j", "1", "--halt", "soon,done=2", "sh", "-c",
                                             "exit $1", "sh", "{}", ":::", "0", "0", "4"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-now-fail-2", ARGS ("-j", "1", "--halt", "now,fail=2", "sh", "-c", "exit $1", "sh", "{}",
                             ":::", "9", "0", "8", "7"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-percent-never-reached", ARGS ("-j", "1", "--halt", "now,fail=50%", "sh", "-c", "exit $1",
                                        "sh", "{}", ":::", "0", "1", "0", "0"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-percent-of-one-job", ARGS ("-j", "1", "--halt", "soon,fail=25%", "sh", "-c", "exit $1",
                                     "sh", "{}", ":::", "0", "6", "0", "0"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-shorthand-1", ARGS ("-j", "1", "--halt", "1", "sh", "-c", "echo $1; exit $1", "sh", "{}",
                              ":::", "0", "5", "0"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-shorthand-2", ARGS ("-j", "1", "--halt", "2", "sh", "-c", "echo $1; exit $1", "sh", "{}",
                              ":::", "0", "5", "0"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-shorthand-minus-1", ARGS ("-j", "1", "--halt", "-1", "sh", "-c", "echo $1; exit $1",
                                    "sh", "{}", ":::", "3", "0", "4"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-shorthand-minus-2", ARGS ("-j", "1", "--halt", "-2", "sh", "-c", "echo $1; exit $1",
                                    "sh", "{}", ":::", "3", "0", "4"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-shorthand-percent", ARGS ("-j", "1", "--halt", "50%", "sh", "-c", "exit $1", "sh", "{}",
                                    ":::", "1", "1", "0", "0"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-0-is-never", ARGS ("-j", "1", "--halt", "0", "sh", "-c", "exit $1", "sh", "{}",
                             ":::", "1", "0", "1"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "halt-bad-is-a-usage-error", ARGS ("--halt", "later,fail=1", "true", ":::", "a"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "many-failures-give-101", ARGS ("-j", "4", "sh", "-c", "exit 1", ":::",
                                    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
                                    "13", "14", "15", "16", "17", "18", "19", "20", "21", "22",
                                    "23", "24", "25", "26", "27", "28", "29", "30", "31", "32",
                                    "33", "34", "35", "36", "37", "38", "39", "40", "41", "42",
                                    "43", "44", "45", "46", "47", "48", "49", "50", "51", "52",
                                    "53", "54", "55", "56", "57", "58", "59", "60", "61", "62",
                                    "63", "64", "65", "66", "67", "68", "69", "70", "71", "72",
                                    "73", "74", "75", "76", "77", "78", "79", "80", "81", "82",
                                    "83", "84", "85", "86", "87", "88", "89", "90", "91", "92",
                                    "93", "94", "95", "96", "97", "98", "99", "100", "101",
                                    "102", "103"),
    NULL, 0, PM_COMPAT_STDOUT },
  /* Pace */
  { "delay", ARGS ("--delay", "0.1", "-j", "2", "echo", "{}", ":::", "a", "b", "c"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT },
  { "load-above-any", ARGS ("--load", "10000", "-j", "2", "echo", "{}", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT },
  { "memfree-small", ARGS ("--memfree", "1k", "-j", "2", "echo", "{}", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT },
  { NULL }
};

static void
check_case (gconstpointer data)
{
  pm_compat_check_with (data, no_summary);
}

/* -j forms: every job sleeps long enough for the pool to be full, and prints its slot; the
 * highest slot is the limit either program ran at. */
typedef struct
{
  const char *name;
  const char *jobs;        /* the value of -j; "@FILE@" for a file holding file_holds */
  const char *file_holds;
  guint       n_jobs;
} JobsCase;

static const JobsCase jobs_cases[] = {
  { "number", "3", NULL, 6 },
  { "zero-is-as-many-as-jobs", "0", NULL, 7 },
  { "plus", "+1", NULL, 10 },
  { "minus", "-1", NULL, 10 },
  { "percent", "150%", NULL, 10 },
  { "percent-rounded-up", "30%", NULL, 10 },
  { "file", "@FILE@", "2\n", 6 },
  { "file-with-plus", "@FILE@", "+1\n", 10 },
  { NULL }
};

static guint
highest_slot (GBytes *out)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (out, &len);
  g_autofree char *text = g_strndup (data != NULL ? data : "", len);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint highest = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    highest = MAX (highest, (guint)g_ascii_strtoull (lines[i], NULL, 10));
  return highest;
}

static void
check_jobs (gconstpointer data)
{
  const JobsCase *jc = data;
  g_autofree char *dir = g_dir_make_tmp ("pm-jobs-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "jobs", NULL);
  const char *jobs = jc->jobs;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  const char *with_parallel[] = { pm_compat_parallel (), "--will-cite", "-q", NULL };
  const char *with_pool[] = { pm_compat_pool_run (), "--no-summary", NULL };
  g_auto(PmCompatResult) ours = { 0 };
  g_auto(PmCompatResult) theirs = { 0 };
  PmCompatCase c = { jc->name, NULL, NULL, 0, 0, NULL };

  if (jc->file_holds != NULL)
    {
      g_assert_true (g_file_set_contents (file, jc->file_holds, -1, NULL));
      jobs = file;
    }
  g_ptr_array_add (args, g_strdup ("-j"));
  g_ptr_array_add (args, g_strdup (jobs));
  g_ptr_array_add (args, g_strdup ("sh"));
  g_ptr_array_add (args, g_strdup ("-c"));
  g_ptr_array_add (args, g_strdup ("sleep 1; echo $1"));
  g_ptr_array_add (args, g_strdup ("sh"));
  g_ptr_array_add (args, g_strdup ("{%}"));
  g_ptr_array_add (args, g_strdup (":::"));
  for (guint i = 0; i < jc->n_jobs; i++)
    g_ptr_array_add (args, g_strdup_printf ("%u", i));
  g_ptr_array_add (args, NULL);
  c.args = (const char * const *)args->pdata;

  pm_compat_run (&c, with_pool, &ours);
  pm_compat_run (&c, with_parallel, &theirs);
  g_test_message ("-j %s: pool-run up to slot %u, parallel %u", jc->jobs,
                  highest_slot (ours.out), highest_slot (theirs.out));
  g_assert_cmpint (ours.status, ==, theirs.status);
  g_assert_cmpuint (highest_slot (ours.out), ==, highest_slot (theirs.out));
  g_assert_cmpuint (highest_slot (ours.out), >, 0);
  pm_test_remove_tree (dir);
}

/* -j FILE is read again while the run goes on: from 1 to 3 at once. */
static void
test_jobs_file_reread (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-jobs-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "jobs", NULL);
  g_autofree char *marks = g_build_filename (dir, "started", NULL);
  g_autofree char *script = g_strdup_printf ("echo x >> '%s'; sleep 1; echo $1", marks);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_true (g_file_set_contents (file, "1\n", -1, NULL));
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, pm_compat_pool_run (), "--no-summary", "-j", file, "sh", "-c",
                           script, "sh", "{%}", ":::", "1", "2", "3", "4", "5", "6", "7", "8",
                           "9", NULL);
  g_assert_no_error (error);

  /* Once the first job has started, the file says 3 (a second later: its mtime changes). */
  for (;;)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (marks, &text, NULL, NULL) && text[0] != '\0')
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  g_assert_true (g_file_set_contents (file, "3\n", -1, NULL));

  g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_cmpuint (highest_slot (out), ==, 3);
  pm_test_remove_tree (dir);
}

/* Signals sent mid-run to both programs: 4 jobs of 2 s, 2 at a time; once both have started,
 * the signals, 0.3 s apart. What is compared: the exit status, how many jobs started and how
 * many got to their end. */
typedef struct
{
  const char *name;
  int         signals[3];   /* ended by 0 */
} SignalCase;

static const SignalCase signal_cases[] = {
  { "term-once", { SIGTERM } },
  { "term-twice", { SIGTERM, SIGTERM } },
  { "hup-once", { SIGHUP } },
  { "hup-twice", { SIGHUP, SIGHUP } },
  { "hup-then-term", { SIGHUP, SIGTERM } },
  { NULL }
};

typedef struct
{
  int   status;
  guint started;
  guint ended;
} SignalResult;

static guint
count_lines_in (const char *path)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static void
run_signalled (const SignalCase   *sc,
               const char * const *program,
               SignalResult       *result)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-signal-XXXXXX", NULL);
  g_autofree char *ran = g_build_filename (dir, "ran", NULL);
  g_autofree char *done = g_build_filename (dir, "done", NULL);
  g_autofree char *script = g_strdup_printf ("echo $1 >> '%s'; sleep 2; echo $1 >> '%s'",
                                             ran, done);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  const char *tail[] = { "-j", "2", "sh", "-c", script, "sh", "{}", ":::", "1", "2", "3", "4" };

  for (guint i = 0; program[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)program[i]);
  for (guint i = 0; i < G_N_ELEMENTS (tail); i++)
    g_ptr_array_add (argv, (gpointer)tail[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, dir);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  while (count_lines_in (ran) < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sc->signals) && sc->signals[i] != 0; i++)
    {
      if (i > 0)
        g_usleep (300000);
      g_subprocess_send_signal (proc, sc->signals[i]);
    }
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);

  result->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc)
                                                    : 128 + g_subprocess_get_term_sig (proc);
  /* A job ended by the signal cannot write its end any more; one that was left running would. */
  g_usleep (2500000);
  result->started = count_lines_in (ran);
  result->ended = count_lines_in (done);
  pm_test_remove_tree (dir);
}

static void
check_signals (gconstpointer data)
{
  const SignalCase *sc = data;
  const char *with_parallel[] = { pm_compat_parallel (), "--will-cite", "-q", NULL };
  const char *with_pool[] = { pm_compat_pool_run (), "--no-summary", NULL };
  SignalResult ours, theirs;

  run_signalled (sc, with_pool, &ours);
  run_signalled (sc, with_parallel, &theirs);
  g_test_message ("pool-run: status %d, %u started, %u ended; parallel: %d, %u, %u",
                  ours.status, ours.started, ours.ended, theirs.status, theirs.started,
                  theirs.ended);
  g_assert_cmpint (ours.status, ==, theirs.status);
  g_assert_cmpuint (ours.started, ==, theirs.started);
  g_assert_cmpuint (ours.ended, ==, theirs.ended);
}

/* Ours on purpose: Ctrl+C once lets the running jobs finish and starts no more, and the run,
 * cut short, does not exit 0 (the 2 jobs never started count). GNU parallel exits 255 at once. */
static void
test_sigint_once_drains (void)
{
  static const SignalCase sc = { "int-once", { SIGINT } };
  const char *with_pool[] = { pm_compat_pool_run (), "--no-summary", NULL };
  SignalResult ours;

  run_signalled (&sc, with_pool, &ours);
  g_assert_cmpint (ours.status, ==, 2);
  g_assert_cmpuint (ours.started, ==, 2);
  g_assert_cmpuint (ours.ended, ==, 2);
}

static void
waited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *)user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *)data;
}

/* SIGTERM ends the run even when nobody reads its output (`pool-run … | less`, left alone):
 * its jobs blocked on their output, the pool holding it back, still end, and so does the run,
 * with 255, before anything of its output is read. */
static void
test_sigterm_with_a_blocked_reader (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-signal-XXXXXX", NULL);
  g_autofree char *ran = g_build_filename (dir, "ran", NULL);
  g_autofree char *script = g_strdup_printf ("echo >> '%s'; exec seq 1 50000000", ran);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gboolean gone = FALSE;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, pm_compat_pool_run (), "-j", "2", "sh", "-c", script,
                           ":::", "1", "2", NULL);
  g_assert_no_error (error);
  while (count_lines_in (ran) < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  /* Long enough for the pipes and pool-run's queue to fill (it does not matter if not) */
  g_usleep (1500000);
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait_async (proc, NULL, waited_cb, &gone);
  pm_test_run_until (flag_set, &gone, 30);

  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 255);
  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; cases[i].name != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/compat/output/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], check_case);
    }
  for (guint i = 0; jobs_cases[i].name != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/compat/jobs/%s", jobs_cases[i].name);
      g_test_add_data_func (path, &jobs_cases[i], check_jobs);
    }
  g_test_add_func ("/compat/jobs/file-is-read-again-while-running", test_jobs_file_reread);
  for (guint i = 0; signal_cases[i].name != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/compat/signals/%s", signal_cases[i].name);
      g_test_add_data_func (path, &signal_cases[i], check_signals);
    }
  g_test_add_func ("/signals/term-ends-a-run-nobody-reads", test_sigterm_with_a_blocked_reader);
  g_test_add_func ("/compat/signals/ours/int-once-lets-running-jobs-finish",
                   test_sigint_once_drains);

  return g_test_run ();
}
