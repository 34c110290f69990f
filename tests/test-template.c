/* test-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-pool.h"
#include "pm-template.h"
#include "pm-test-util.h"

static void
test_template_replacements (void)
{
  const char *words[] = { "cmd", "--in={}", "{#}-{%}", "{}{}", "{x}", "{", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_auto(GStrv) argv = pm_template_expand (t, "a b", 7, 3);
  const char *expected[] = { "cmd", "--in=a b", "7-3", "a ba b", "{x}", "{", NULL };

  g_assert_true (pm_template_has_slot (t));
  g_assert_cmpstrv (argv, expected);
}

/* As GNU parallel: only a template without any replacement string gets the values appended
 * ({#} alone counts as one: `parallel -q echo {#} ::: a` prints 1). */
static void
test_template_appends_argument (void)
{
  const char *words[] = { "echo", "-n", NULL };
  const char *seq_only[] = { "echo", "{#}", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_autoptr(PmTemplate) s = pm_template_new (seq_only, NULL);
  g_auto(GStrv) argv = pm_template_expand (t, "x;y", 2, 1);
  g_auto(GStrv) argv_s = pm_template_expand (s, "x;y", 2, 1);
  const char *expected[] = { "echo", "-n", "x;y", NULL };
  const char *expected_s[] = { "echo", "2", NULL };

  g_assert_false (pm_template_has_slot (t));
  g_assert_cmpstrv (argv, expected);
  g_assert_cmpstrv (argv_s, expected_s);
}

/* The parts of a path, as parallel 20221122 gives them for these arguments. */
static void
test_template_path_parts (void)
{
  const struct { const char *arg, *dot, *base, *dir, *base_dot; } cases[] = {
    { "/a/b.c/d.e.f", "/a/b.c/d.e", "d.e.f", "/a/b.c", "d.e" },
    { "./x", "./x", "x", ".", "x" },
    { "y/", "y/", "", ".", "" },
    { ".hid", "", ".hid", ".", "" },
    { "a.b/c", "a.b/c", "c", "a.b", "c" },
    { "/", "/", "", "/", "" },
    { "a//b", "a//b", "b", "a", "b" },
  };
  const char *words[] = { "{}", "{.}", "{/}", "{//}", "{/.}", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) argv = pm_template_expand (t, cases[i].arg, 1, 1);
      const char *expected[] = { cases[i].arg, cases[i].dot, cases[i].base, cases[i].dir,
                                 cases[i].base_dot, NULL };

      g_assert_cmpstrv (argv, expected);
    }
}

/* Several values: {n} picks one, {} repeats its word per record and cuts it where values meet. */
static void
test_template_values (void)
{
  const char *words[] = { "cmd", "{2}", "{-1}", "{1.}", "{9}", "x{}y", NULL };
  const char *values[] = { "a.c", "b", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_auto(GStrv) two_sources = pm_template_expand_values (t, values, 2, 1, 1);
  g_auto(GStrv) two_records = pm_template_expand_values (t, values, 1, 1, 1);
  const char *expected_sources[] = { "cmd", "b", "b", "a", "", "xa.c", "by", NULL };
  const char *expected_records[] = { "cmd", "b", "b", "a", "", "xa.cy", "xby", NULL };

  g_assert_cmpstrv (two_sources, expected_sources);
  g_assert_cmpstrv (two_records, expected_records);
}

/* -I and its family: the user's strings replace the defaults, which become plain text. */
static void
test_template_own_strings (void)
{
  const PmReplaceStrings strings = { .argument = "XX", .extension = "EE", .seq = "NN" };
  const char *words[] = { "aXXb", "EE", "{}", "{1}", "NN", "{#}", NULL };
  g_autoptr(PmTemplate) t = pm_template_new_full (words, &strings, NULL);
  g_auto(GStrv) argv = pm_template_expand (t, "f.txt", 4, 1);
  const char *expected[] = { "af.txtb", "f", "{}", "{1}", "4", "{#}", NULL };
  const PmReplaceStrings empty = { .argument = "" };
  g_autoptr(GError) error = NULL;

  g_assert_cmpstrv (argv, expected);
  g_assert_null (pm_template_new_full (words, &empty, &error));
  g_assert_error (error, PM_TEMPLATE_ERROR, PM_TEMPLATE_ERROR_INVALID);
}

static void
test_template_empty_is_an_error (void)
{
  const char *none[] = { NULL };
  const char *blank[] = { "", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_null (pm_template_new (none, &error));
  g_assert_error (error, PM_TEMPLATE_ERROR, PM_TEMPLATE_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_null (pm_template_new (blank, &error));
  g_assert_error (error, PM_TEMPLATE_ERROR, PM_TEMPLATE_ERROR_EMPTY);
}

static void
test_template_command_line_quotes (void)
{
  const char *argv[] = { "echo", "plain", "two words", "it's", "$(rm -rf /)", "", NULL };
  g_autofree char *line = pm_argv_to_command (argv);
  g_auto(GStrv) back = NULL;

  g_assert_true (g_shell_parse_argv (line, NULL, &back, NULL));
  g_assert_cmpstrv (back, argv);
  g_assert_true (g_str_has_prefix (line, "echo plain "));
}

/* Whatever an argument holds arrives in the job as one literal word: no shell sees it. */
static void
test_template_arguments_arrive_literally (void)
{
  const char *nasty[] = {
    "two words", "it's \"quoted\"", "a;b", "x|y", "$(touch /tmp/pm-pwned)", "`id`",
    "*", "~", "$HOME", "back\\slash", "-n",
  };
  const char *words[] = { pm_test_child (), "args", "{}", "{#}", "{%}", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_autoptr(PmPool) pool = pm_pool_new (3);

  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      g_autoptr(PmJob) job = pm_job_new (i + 1, nasty[i], t, NULL);
      pm_pool_add_job (pool, job);
    }

  pm_test_run_pool (pool, 30);

  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, i + 1);
      g_auto(GStrv) lines = pm_job_dup_output_lines (job);
      g_autofree char *seq = g_strdup_printf ("%u", i + 1);
      g_autofree char *slot = g_strdup_printf ("%u", pm_job_get_slot (job));

      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_cmpuint (g_strv_length (lines), ==, 3);
      g_assert_cmpstr (lines[0], ==, nasty[i]);
      g_assert_cmpstr (lines[1], ==, seq);
      g_assert_cmpstr (lines[2], ==, slot);
      g_assert_cmpuint (pm_job_get_slot (job), >=, 1);
      g_assert_cmpuint (pm_job_get_slot (job), <=, 3);
    }

  g_assert_false (g_file_test ("/tmp/pm-pwned", G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/template/replaces-argument-sequence-and-slot", test_template_replacements);
  g_test_add_func ("/template/path-parts-as-parallel", test_template_path_parts);
  g_test_add_func ("/template/several-values-as-parallel", test_template_values);
  g_test_add_func ("/template/own-replacement-strings", test_template_own_strings);
  g_test_add_func ("/template/appends-the-argument-without-braces", test_template_appends_argument);
  g_test_add_func ("/template/empty-is-an-error", test_template_empty_is_an_error);
  g_test_add_func ("/template/command-line-quotes-for-a-shell", test_template_command_line_quotes);
  g_test_add_func ("/template/arguments-arrive-literally", test_template_arguments_arrive_literally);

  return g_test_run ();
}
