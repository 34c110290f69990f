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

/* Status only where wanted */
static void
run_pool (const char * const *args,
          GBytes            **out,
          char              **err,
          int                *status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  g_ptr_array_add (argv, (gpointer)pm_compat_pool_run ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *)argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, out, &err_bytes, &error);
  g_assert_no_error (error);
  *err = g_strdup_printf ("%.*s", (int)g_bytes_get_size (err_bytes),
                          g_bytes_get_size (err_bytes) > 0 ? (const char *)g_bytes_get_data (err_bytes, NULL) : "");
  *status = g_subprocess_get_exit_status (proc);
}

static guint
n_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* A redirected standard error holds the summary (two lines) and nothing else of ours; the
 * jobs' own stderr goes there too, unchanged. */
static void
test_status_not_on_redirected_stderr (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_pool (ARGS ("-j", "2", "sh", "-c", "sleep 1.5; echo $1; echo e$1 >&2", "sh", "{}",
                  ":::", "a", "b", "c"), &out, &err, &status);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (err, "running "));
  g_assert_null (strstr (err, "\r"));
  g_assert_cmpuint (n_lines (err), ==, 3 + 2);
  g_assert_nonnull (strstr (err, "3 jobs: 3 succeeded, 0 failed\n"));
}

/* --no-summary leaves it out, -q the jobs' output only: each on its own. */
static void
test_summary_and_output_each_off (void)
{
  g_autoptr(GBytes) out1 = NULL, out2 = NULL;
  g_autofree char *err1 = NULL, *err2 = NULL;
  int status;

  run_pool (ARGS ("--no-summary", "-j", "1", "echo", "{}", ":::", "a", "b"), &out1, &err1,
            &status);
  g_assert_cmpstr (err1, ==, "");
  g_assert_cmpmem (g_bytes_get_data (out1, NULL), g_bytes_get_size (out1), "a\nb\n", 4);

  run_pool (ARGS ("-q", "-j", "1", "echo", "{}", ":::", "a", "b"), &out2, &err2, &status);
  g_assert_cmpuint (g_bytes_get_size (out2), ==, 0);
  g_assert_nonnull (strstr (err2, "2 jobs: 2 succeeded"));
}

/* --progress asks for the status line on a pipe too: plain lines */
static void
test_progress_on_a_pipe (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  int status;

  run_pool (ARGS ("--progress", "--bar", "--eta", "-j", "1", "sh", "-c", "sleep 1.2", ":::",
                  "a", "b"), &out, &err, &status);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err, "running "));
  g_assert_nonnull (strstr (err, "ETA"));
  g_assert_nonnull (strstr (err, "%"));
}

static void
default_sigpipe (gpointer user_data)
{
  signal (SIGPIPE, SIG_DFL);
}

/* How @argv ended when its reader took one line of its output and went away: the signal that
 * killed it, or 0 (then *@status is its exit status) */
static int
end_after_one_line (const char * const *argv,
                    int                *status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GOutputStream *in;

  for (guint i = 1; i <= 2000; i++)
    g_string_append_printf (input, "%u\n", i);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, default_sigpipe, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (proc);
  g_assert_true (g_output_stream_write_all (in, input->str, input->len, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_input_stream_close (G_INPUT_STREAM (out), NULL, &error));
  g_assert_true (g_input_stream_close (g_subprocess_get_stdout_pipe (proc), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (proc))
    return g_subprocess_get_term_sig (proc);
  *status = g_subprocess_get_exit_status (proc);
  return 0;
}

/* `… | head -1`: a reader that goes away ends the run as it ends GNU parallel's, killed by
 * SIGPIPE (a shell's 141), in each output mode that goes through us */
static void
test_reader_gone_ends_as_parallel (void)
{
  const char *modes[] = { "--line-buffer", "--group", "--keep-order", "--tag" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      const char *ours[] = { pm_compat_pool_run (), "--no-summary", "-j", "4", modes[i], "echo",
                             "{}", NULL };
      const char *theirs[] = { pm_compat_parallel (), "--will-cite", "-j", "4", modes[i], "echo",
                               "{}", NULL };
      int our_status = -1, their_status = -1;
      int our_sig = end_after_one_line (ours, &our_status);
      int their_sig = end_after_one_line (theirs, &their_status);

      g_test_message ("%s: parallel signal %d status %d, pool-run signal %d status %d",
                      modes[i], their_sig, their_status, our_sig, our_status);
      g_assert_cmpint (our_sig, ==, their_sig);
      g_assert_cmpint (our_status, ==, their_status);
    }
}

/* Every status line counts every job of a run whose size is known: running, queued (those the
 * source has not made yet included), done and failed add up to the 15 given. */
static void
test_progress_counts_every_job (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_status = 0;
  int status;

  run_pool (ARGS ("--progress", "-j", "5", "sh", "-c", "sleep 1", ":::", "1", "2", "3", "4",
                  "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"),
            &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit_set (err, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint running, limit, queued, done, failed;

      if (sscanf (lines[i], "running %u/%u · queued %u · done %u · failed %u",
                  &running, &limit, &queued, &done, &failed) != 5)
        continue;
      g_test_message ("%s", lines[i]);
      n_status++;
      g_assert_cmpuint (running + queued + done + failed, ==, 15);
    }
  g_assert_cmpuint (n_status, >, 0);
}

/* While the input has not ended, the total is not known: the bar and the ETA say so rather
 * than count only the jobs read so far. The test holds standard input open until it has read
 * the first status line. */
static void
test_progress_total_unknown_until_input_ends (void)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rest = NULL;
  GOutputStream *in;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           pm_compat_pool_run (), "--progress", "--bar", "--eta", "-j", "1",
                           "echo", NULL);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (proc);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (proc));
  g_assert_true (g_output_stream_write_all (in, "a\n", 2, NULL, NULL, &error));
  g_assert_no_error (error);

  while ((line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error)) != NULL &&
         strstr (line, "running ") == NULL)
    g_clear_pointer (&line, g_free);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("first status: %s", line);
  g_assert_nonnull (strstr (line, "total unknown yet"));
  /* The jobs queued so far, and a mark that more may come */
  g_assert_nonnull (strstr (line, "+ · done"));
  g_assert_nonnull (strstr (line, "ETA unknown yet"));
  g_assert_null (strstr (line, "%"));

  g_assert_true (g_output_stream_write_all (in, "b\n", 2, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (in, NULL, &error));
  g_assert_no_error (error);
  /* The rest, to the summary */
  while ((rest = g_data_input_stream_read_line_utf8 (err, NULL, NULL, &error)) != NULL &&
         strstr (rest, "2 jobs: 2 succeeded") == NULL)
    g_clear_pointer (&rest, g_free);
  g_assert_no_error (error);
  g_assert_nonnull (rest);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
}

/* Under a terminal (script(1) gives the run one) the status line is drawn in place. */
static void
test_status_on_a_terminal (void)
{
  g_autofree char *command = g_strdup_printf ("'%s' --no-summary -j 1 sh -c 'sleep 1.5' ::: a",
                                              pm_compat_pool_run ());
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "TERM", "xterm", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, "script", "-qec", command, "/dev/null",
                                      NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_test_message ("terminal: %s", text);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_nonnull (strstr (text, "running "));
  g_assert_nonnull (strstr (text, "\r\033[K"));
}

/* --ungroup as parallel -u: a job here writes to pool-run's own stdout (and stderr, with no
 * status line there), so the bytes are not copied through the slot and pool-run. The job sees
 * the files pool-run was given; with --progress its stderr is read again (the status line is
 * kept apart from it), and in the default line mode both are pipes. */
static void
run_to_files (const char * const *args,
              const char         *dir,
              char              **out,
              char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_path = g_build_filename (dir, "out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "err", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer)pm_compat_pool_run ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  g_unlink (out_path);
  g_unlink (err_path);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out_path, out, NULL, NULL));
  g_assert_true (g_file_get_contents (err_path, err, NULL, NULL));
}

/* How many lines of @text are @line */
static guint
count_lines (const char *text,
             const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_equal (lines[i], line);
  return n;
}

static void
test_ungroup_writes_directly (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-ungroup-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out", NULL);
  g_autofree char *err_path = g_build_filename (dir, "err", NULL);
  const char *show = "readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2";
  /* The descriptors the job holds: 0, 1, 2 and the one ls reads the folder through */
  const char *count = "ls /proc/self/fd | wc -l >&2";
  g_autofree char *script = g_strconcat (show, "; ", count, NULL);
  char *out, *err;

  run_to_files (ARGS ("--no-summary", "-u", "-j", "2", "sh", "-c", script, ":::", "a", "b"),
                dir, &out, &err);
  g_test_message ("-u: stdout %s, stderr %s", out, err);
  g_assert_cmpuint (count_lines (out, out_path), ==, 2);
  g_assert_cmpuint (count_lines (err, err_path), ==, 2);
  g_assert_cmpuint (count_lines (err, "4"), ==, 2);
  g_free (out), g_free (err);

  run_to_files (ARGS ("--no-summary", "--progress", "-u", "-j", "1", "sh", "-c", show, ":::", "a"),
                dir, &out, &err);
  g_assert_cmpuint (count_lines (out, out_path), ==, 1);
  g_test_message ("--progress -u: stderr %s", err);
  g_assert_true (g_str_has_prefix (err, "pipe:[") || strstr (err, "\npipe:[") != NULL);
  g_free (out), g_free (err);

  run_to_files (ARGS ("--no-summary", "-j", "1", "sh", "-c", show, ":::", "a"), dir, &out, &err);
  g_assert_true (g_str_has_prefix (out, "pipe:["));
  g_assert_true (g_str_has_prefix (err, "pipe:["));
  g_free (out), g_free (err);
  pm_test_remove_tree (dir);
}

/* --group holds a job's output whole while others write: with two jobs writing in turns, each
 * job's lines come out together (and past the memory bound, from a temporary file). */
static void
test_group_keeps_jobs_whole (void)
{
  g_autoptr(GBytes) out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  int status;
  const char *script = "for i in 1 2 3; do echo $1$i; sleep 0.3; done; "
                       "head -c 3000000 /dev/zero | tr '\\0' $1; echo";

  run_pool (ARGS ("--no-summary", "--group", "-j", "2", "sh", "-c", script, "sh", "{}",
                  ":::", "a", "b"), &out, &err, &status);
  g_assert_cmpint (status, ==, 0);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_cmpuint (strlen (text), ==, 2 * (9 + 3000001));
  /* Each job's block is whole: its three numbered lines, then its long line */
  for (const char *p = text; *p != '\0';)
    {
      char c = *p;
      g_autofree char *head = g_strdup_printf ("%c1\n%c2\n%c3\n", c, c, c);

      g_assert_true (c == 'a' || c == 'b');
      g_assert_true (g_str_has_prefix (p, head));
      p += 9;
      for (guint i = 0; i < 3000000; i++)
        g_assert_true (p[i] == c);
      g_assert_true (p[3000000] == '\n');
      p += 3000001;
    }
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
  g_test_add_func ("/status/redirected-stderr-has-no-status-line",
                   test_status_not_on_redirected_stderr);
  g_test_add_func ("/status/summary-and-output-each-off", test_summary_and_output_each_off);
  g_test_add_func ("/status/progress-on-a-pipe", test_progress_on_a_pipe);
  g_test_add_func ("/status/progress-counts-every-job", test_progress_counts_every_job);
  g_test_add_func ("/output/reader-gone-ends-as-parallel", test_reader_gone_ends_as_parallel);
  g_test_add_func ("/status/total-unknown-until-input-ends",
                   test_progress_total_unknown_until_input_ends);
  g_test_add_func ("/status/terminal-shows-the-status-line", test_status_on_a_terminal);
  g_test_add_func ("/output/group-keeps-each-job-whole", test_group_keeps_jobs_whole);
  g_test_add_func ("/output/ungroup-jobs-write-to-our-files", test_ungroup_writes_directly);

  return g_test_run ();
}
