/* test-compat-input.c: input as GNU parallel reads it, and its replacement strings
 *
 * Each case runs through pool-run and through `parallel --will-cite -q` (see pm-compat.h). "@A@"
 * and "@B@" in a case's arguments become the paths of two small argument files made here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "pm-compat.h"
#include "pm-test-util.h"

#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })
/* Prints each of its arguments as <ARG>, then a newline: shows how the words were cut. */
#define SHOW "sh", "-c", "for a; do printf '<%s>' \"$a\"; done; echo", "sh"
#define OUT PM_COMPAT_STDOUT
#define SORTED PM_COMPAT_SORTED_STDOUT

static const PmCompatCase cases[] = {
  /* sources */
  { "stdin-lines", ARGS ("-j", "1", SHOW), "a\nb c\n", -1, OUT },
  { "stdin-last-line-without-newline", ARGS ("-j", "1", SHOW), "a\nb", -1, OUT },
  { "stdin-empty-lines-are-arguments", ARGS ("-j", "1", SHOW), "a\n\nb\n\n", -1, OUT },
  { "stdin-empty-runs-nothing", ARGS ("-j", "1", SHOW), "", -1, OUT },
  { "arg-file", ARGS ("-j", "1", "-a", "@A@", SHOW), NULL, 0, OUT },
  { "arg-file-twice-combines", ARGS ("-j", "1", "-a", "@A@", "-a", "@B@", SHOW), NULL, 0, OUT },
  { "arg-file-dash-is-stdin", ARGS ("-j", "1", "-a", "-", SHOW, "{}"), "s1\ns2\n", -1, OUT },
  { "arg-file-dash-then-values", ARGS ("-j", "1", "-a", "-", SHOW, ":::", "q", "r"),
    "i1\ni2\n", -1, OUT },
  { "arg-file-before-values", ARGS ("-j", "1", "-a", "@A@", SHOW, "{1}-{2}", ":::", "z", "w"),
    NULL, 0, OUT },
  { "four-colons-file", ARGS ("-j", "1", SHOW, "::::", "@A@"), NULL, 0, OUT },
  { "four-colons-two-files", ARGS ("-j", "1", SHOW, "::::", "@A@", "@B@"), NULL, 0, OUT },
  { "values-then-file", ARGS ("-j", "1", SHOW, ":::", "q", "r", "::::", "@A@"), NULL, 0, OUT },
  { "four-colons-dash", ARGS ("-j", "1", SHOW, "::::", "-", ":::", "z"), "s1\ns2\n", -1, OUT },
  { "several-at-once-from-stdin", ARGS ("-j", "3", "echo"), "1\n2\n3\n4\n5\n6\n7\n", -1, SORTED },
  /* separators */
  { "null-separated", ARGS ("-j", "1", "-0", SHOW), "a\0b c\0d\n", 8, OUT },
  { "null-long-option", ARGS ("-j", "1", "--null", SHOW), "x\0\0y\0", 6, OUT },
  { "delimiter-comma", ARGS ("-j", "1", "-d", ",", SHOW), "a,b,c\n", -1, OUT },
  { "delimiter-several-bytes", ARGS ("-j", "1", "-d", "ab", SHOW), "1ab2ab3", -1, OUT },
  { "delimiter-tab-escape", ARGS ("-j", "1", "-d", "\\t", SHOW), "1\t2\t3", -1, OUT },
  { "delimiter-nul-escape", ARGS ("-j", "1", "-d", "\\0", SHOW), "1\0" "2\0", 4, OUT },
  { "delimiter-octal-escape", ARGS ("-j", "1", "-d", "\\072", SHOW), "1:2", -1, OUT },
  /* combinations */
  { "two-sources-every-combination", ARGS ("-j", "1", SHOW, ":::", "a", "b", ":::", "1", "2"),
    NULL, 0, OUT },
  { "three-sources", ARGS ("-j", "1", SHOW, "{3}{2}{1}", ":::", "a", "b", ":::", "1", "2",
                           ":::", "X", "Y"), NULL, 0, OUT },
  { "two-sources-cut-a-word", ARGS ("-j", "1", SHOW, "x{}y", ":::", "a", "b", ":::", "1", "2"),
    NULL, 0, OUT },
  { "two-sources-cut-a-word-twice", ARGS ("-j", "1", SHOW, "x{}y{}z", ":::", "a", "b", ":::", "1"),
    NULL, 0, OUT },
  { "two-sources-extension", ARGS ("-j", "1", SHOW, "x{.}y", ":::", "a.c", "b.d", ":::", "1.e"),
    NULL, 0, OUT },
  { "positional-and-from-the-end", ARGS ("-j", "1", SHOW, "{2}", "{1}", "{-1}", "{-2}", "{3}",
                                         ":::", "a", ":::", "b"), NULL, 0, OUT },
  { "link-side-by-side", ARGS ("-j", "1", "--link", SHOW, ":::", "a", "b", ":::", "1", "2"),
    NULL, 0, OUT },
  { "link-wraps-the-shorter", ARGS ("-j", "1", "--link", SHOW, "{1}-{2}", ":::", "a", "b", "c",
                                    ":::", "1", "2"), NULL, 0, OUT },
  { "link-two-files", ARGS ("-j", "1", "--link", "-a", "@A@", "-a", "@B@", SHOW), NULL, 0, OUT },
  { "plus-links-one-source", ARGS ("-j", "1", SHOW, ":::", "a", "b", ":::+", "1", "2",
                                   ":::", "X", "Y"), NULL, 0, OUT },
  { "plus-stops-with-the-shorter", ARGS ("-j", "1", SHOW, ":::", "a", "b", "c", ":::+", "1", "2"),
    NULL, 0, OUT },
  /* replacement strings */
  { "path-parts", ARGS ("-j", "1", SHOW, "{}", "{.}", "{/}", "{//}", "{/.}", ":::",
                        "/a/b.c/d.e.f", "./x", "y/", ".hid", "a.b/c", "a", "/"), NULL, 0, OUT },
  { "positional-path-parts", ARGS ("-j", "1", "-N", "2", SHOW, "{1.}", "{2/}", "{2//}", "{1/.}",
                                   ":::", "a/b.c", "d/e/f.g"), NULL, 0, OUT },
  /* GNU parallel 20221122 (Debian 12) has no {##} yet: it passes through as text, here too */
  { "total-jobs-string-is-text-as-in-parallel-20221122",
    ARGS ("-j", "1", SHOW, "{#}/{##}", "{}", ":::", "a", "b"), NULL, 0, OUT },
  { "sequence-alone-appends-nothing", ARGS ("-j", "1", SHOW, "{#}", ":::", "a", "b"), NULL, 0, OUT },
  { "slot-alone-appends-nothing", ARGS ("-j", "1", SHOW, "{%}", ":::", "a", "b"), NULL, 0, OUT },
  { "no-replacement-appends-every-value", ARGS ("-j", "1", SHOW, ":::", "a", "b", ":::", "1"),
    NULL, 0, OUT },
  { "replace-I", ARGS ("-j", "1", "-I", "XX", SHOW, "aXXb", "{}", "{1}", ":::", "a", "b"),
    NULL, 0, OUT },
  { "replace-family", ARGS ("-j", "1", "--er", "EE", "--bnr", "BB", "--dnr", "DD", "--bner", "NN",
                            "--seqreplace", "SS", "--slotreplace", "LL", SHOW,
                            "EE", "BB", "DD", "NN", "SS", "LL", "{}", "{.}", ":::", "/x/a.b"),
    NULL, 0, OUT },
  { "replace-long-names", ARGS ("-j", "1", "--extensionreplace", "E", "--basenamereplace", "B",
                                SHOW, "E", "B", ":::", "/x/a.b"), NULL, 0, OUT },
  /* -N and -n */
  { "max-replace-args-positional", ARGS ("-j", "1", "-N", "2", SHOW, "{1}", "{2}",
                                         ":::", "a", "b", "c", "d", "e"), NULL, 0, OUT },
  { "max-args-appended", ARGS ("-j", "1", "-n", "2", SHOW, ":::", "a", "b", "c"), NULL, 0, OUT },
  { "max-args-word-per-argument", ARGS ("-j", "1", "-N", "2", SHOW, "x{}y", ":::", "a", "b", "c"),
    NULL, 0, OUT },
  { "max-args-attached", ARGS ("-j", "1", "-N3", SHOW, ":::", "a", "b", "c", "d"), NULL, 0, OUT },
  { "max-args-zero", ARGS ("-j", "1", "-N", "0", SHOW, "x", ":::", "a", "b"), NULL, 0, OUT },
  { "max-args-sequence", ARGS ("-j", "1", "-n", "2", SHOW, "{#}", ":::", "a", "b", "c"),
    NULL, 0, OUT },
  { "max-args-from-stdin", ARGS ("-j", "1", "-N", "2", SHOW, "{2}", "{1}"), "1\n2\n3\n", -1, OUT },
  /* columns */
  { "trim-both-ends-of-columns", ARGS ("-j", "1", "--colsep", ",", "--trim", "lr", SHOW, "{1}", "{2}"),
    "  a  b ,  c \n", -1, OUT },
  { "trim-left-of-columns", ARGS ("-j", "1", "--colsep", ",", "--trim", "l", SHOW, "{1}", "{2}"),
    "  a  b ,  c \n", -1, OUT },
  { "trim-right-tabs-too", ARGS ("-j", "1", "--trim", "rl", SHOW), " \ta\t \n b\n", -1, OUT },
  /* Values from ::: and no standard input: both exit before reading any, and a write into
   * their closed pipe would be SIGPIPE */
  { "trim-bad-value-is-a-usage-error", ARGS ("--trim", "x", "echo", ":::", "a"), NULL, 0, 0 },
  { "trim-none", ARGS ("-j", "1", "--trim", "n", SHOW), "  a \n", -1, OUT },
  { "trim-values-and-records", ARGS ("-j", "1", "-N", "2", "--trim", "lr", SHOW, "{1}", "{2}",
                                     "{}"), " a \n b\n", -1, OUT },
  { "colsep-columns", ARGS ("-j", "1", "--colsep", ":", SHOW, "{2}", "{1}"), "a b:c\nd:e\n", -1, OUT },
  { "colsep-appended", ARGS ("-j", "1", "--colsep", ":", SHOW), "a:c\nd:e\n", -1, OUT },
  { "colsep-cut-a-word", ARGS ("-j", "1", "--colsep", ":", SHOW, "x{}y"), "a:c\n", -1, OUT },
  { "colsep-regex", ARGS ("-j", "1", "--colsep", "\\t", SHOW, "{3}", "{1}"), "a\tb\tc\n", -1, OUT },
  { "colsep-with-max-args", ARGS ("-j", "1", "--colsep", ",", "-N", "2", SHOW, "{1}", "{2}", "{3}",
                                  "{4}"), "a,b\nc,d\n", -1, OUT },
  { "colsep-two-sources", ARGS ("-j", "1", "--colsep", ",", SHOW, "{1}", "{2}", "{3}",
                                ":::", "a,b", ":::", "c"), NULL, 0, OUT },
  /* bytes that are not UTF-8 */
  { "non-utf8-arguments", ARGS ("-j", "1", SHOW), "\xff\xfe\nb\xc3\n", -1, OUT },
  { "non-utf8-null-separated", ARGS ("-j", "1", "-0", SHOW, "{}.x"), "\xff\0\x80\x81\0", 5, OUT },
  { "non-utf8-joblog", ARGS ("-j", "1", "--joblog", "@JOBLOG@", "echo"), "\xff\xfe\nb\xc3\n", -1,
    OUT | PM_COMPAT_JOBLOG },
  /* exit status */
  { "failures-from-stdin", ARGS ("-j", "2", "sh", "-c", "exit $1", "sh"), "0\n3\n0\n4\n", -1, SORTED },
  { NULL }
};

/* --resume after a run that --halt now cut short: the job it ended and the one that never ran
 * run again, on a joblog of either program. Each run of each program has its own joblog. */
#define RESUME_JOB "sh", "-c", "echo $1; sleep $2; exit $3", "sh", "{1}", "{2}", "{3}", ":::", \
                   "a", "b", "c"

static void
run_with_joblog (const char         *name,
                 const char * const *args,
                 const char         *joblog,
                 gboolean            parallel,
                 PmCompatResult     *r)
{
  const char *with_parallel[] = { pm_compat_parallel (), "--will-cite", "-q", NULL };
  const char *with_pool[] = { pm_compat_pool_run (), NULL };
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  PmCompatCase c = { name, NULL, NULL, 0, 0, NULL };

  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)(g_str_equal (args[i], "@J@") ? joblog : args[i]));
  g_ptr_array_add (argv, NULL);
  c.args = (const char * const *)argv->pdata;
  pm_compat_run (&c, parallel ? with_parallel : with_pool, r);
}

static void
test_resume_after_halt (void)
{
  const char *first[] = { "-j", "2", "--halt", "now,fail=1", "--joblog", "@J@", "--link",
                          RESUME_JOB, ":::", "0", "2", "0", ":::", "1", "0", "0", NULL };
  const char *again[] = { "-j", "1", "--resume", "--joblog", "@J@", "--link",
                          RESUME_JOB, ":::", "0", "0", "0", ":::", "0", "0", "0", NULL };
  g_autofree char *dir = g_dir_make_tmp ("pm-resume-XXXXXX", NULL);
  g_autofree char *ours = g_build_filename (dir, "ours.tsv", NULL);
  g_autofree char *theirs = g_build_filename (dir, "theirs.tsv", NULL);
  g_autofree char *theirs_for_us = g_build_filename (dir, "theirs-for-us.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(PmCompatResult) r1 = { 0 };
  g_auto(PmCompatResult) r2 = { 0 };
  g_auto(PmCompatResult) ours_again = { 0 };
  g_auto(PmCompatResult) theirs_again = { 0 };
  g_auto(PmCompatResult) ours_on_theirs = { 0 };
  gsize len;

  run_with_joblog ("resume-1", first, ours, FALSE, &r1);
  run_with_joblog ("resume-1", first, theirs, TRUE, &r2);
  g_assert_true (g_file_get_contents (theirs, &text, &len, NULL));
  g_assert_true (g_file_set_contents (theirs_for_us, text, len, NULL));

  run_with_joblog ("resume-2", again, ours, FALSE, &ours_again);
  run_with_joblog ("resume-2", again, theirs, TRUE, &theirs_again);
  run_with_joblog ("resume-2", again, theirs_for_us, FALSE, &ours_on_theirs);

  /* b (ended by the halt) and c (never ran) run again; a (failed) is done */
  g_assert_cmpmem (g_bytes_get_data (theirs_again.out, NULL), g_bytes_get_size (theirs_again.out),
                   "b\nc\n", 4);
  g_assert_cmpint (ours_again.status, ==, theirs_again.status);
  g_assert_cmpmem (g_bytes_get_data (ours_again.out, NULL), g_bytes_get_size (ours_again.out),
                   "b\nc\n", 4);
  g_assert_cmpint (ours_on_theirs.status, ==, theirs_again.status);
  g_assert_cmpmem (g_bytes_get_data (ours_on_theirs.out, NULL), g_bytes_get_size (ours_on_theirs.out),
                   "b\nc\n", 4);

  pm_test_remove_tree (dir);
}

/* --resume-failed on a joblog of each: the failed job and the ones the run ended run again. */
static void
test_resume_failed_after_halt (void)
{
  const char *first[] = { "-j", "2", "--halt", "now,fail=1", "--joblog", "@J@", "--link",
                          RESUME_JOB, ":::", "0", "2", "0", ":::", "1", "0", "0", NULL };
  const char *again[] = { "-j", "1", "--resume-failed", "--joblog", "@J@", "--link",
                          RESUME_JOB, ":::", "0", "0", "0", ":::", "0", "0", "0", NULL };
  g_autofree char *dir = g_dir_make_tmp ("pm-resume-XXXXXX", NULL);
  g_autofree char *ours = g_build_filename (dir, "ours.tsv", NULL);
  g_autofree char *theirs = g_build_filename (dir, "theirs.tsv", NULL);
  g_auto(PmCompatResult) r1 = { 0 };
  g_auto(PmCompatResult) r2 = { 0 };
  g_auto(PmCompatResult) ours_again = { 0 };
  g_auto(PmCompatResult) theirs_again = { 0 };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  run_with_joblog ("resume-failed-1", first, ours, FALSE, &r1);
  run_with_joblog ("resume-failed-1", first, theirs, TRUE, &r2);
  run_with_joblog ("resume-failed-2", again, ours, FALSE, &ours_again);
  run_with_joblog ("resume-failed-2", again, theirs, TRUE, &theirs_again);

  a = pm_compat_sorted_lines (ours_again.out);
  b = pm_compat_sorted_lines (theirs_again.out);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (b, ==, "\na\nb\nc");
  g_assert_cmpint (ours_again.status, ==, theirs_again.status);

  pm_test_remove_tree (dir);
}

static char *arg_file_a;
static char *arg_file_b;

static PmCompatCase *
with_files (const PmCompatCase *in)
{
  guint n = 0;
  PmCompatCase *out;

  while (in[n].name != NULL)
    n++;
  out = g_new0 (PmCompatCase, n + 1);
  for (guint i = 0; i < n; i++)
    {
      GPtrArray *args = g_ptr_array_new ();

      out[i] = in[i];
      for (guint j = 0; in[i].args[j] != NULL; j++)
        {
          const char *a = in[i].args[j];

          g_ptr_array_add (args, (gpointer)(g_str_equal (a, "@A@") ? arg_file_a
                                            : g_str_equal (a, "@B@") ? arg_file_b : a));
        }
      g_ptr_array_add (args, NULL);
      out[i].args = (const char * const *)g_ptr_array_free (args, FALSE);
    }
  return out;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("pm-compat-input-XXXXXX", NULL);
  PmCompatCase *file_cases;
  int status;

  g_test_init (&argc, &argv, NULL);

  arg_file_a = g_build_filename (dir, "a.txt", NULL);
  arg_file_b = g_build_filename (dir, "b.txt", NULL);
  g_assert_true (g_file_set_contents (arg_file_a, "1\n2\n", -1, NULL));
  g_assert_true (g_file_set_contents (arg_file_b, "x\ny\nz\n", -1, NULL));

  file_cases = with_files (cases);
  pm_compat_add_cases ("input", file_cases);
  g_test_add_func ("/compat/input/resume-after-halt", test_resume_after_halt);
  g_test_add_func ("/compat/input/resume-failed-after-halt", test_resume_failed_after_halt);
  status = g_test_run ();

  for (guint i = 0; file_cases[i].name != NULL; i++)
    g_free ((gpointer)file_cases[i].args);
  g_free (file_cases);
  g_unlink (arg_file_a);
  g_unlink (arg_file_b);
  g_rmdir (dir);
  return status;
}
