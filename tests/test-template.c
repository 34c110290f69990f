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

static void
test_template_appends_argument (void)
{
  const char *words[] = { "echo", "{#}", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_auto(GStrv) argv = pm_template_expand (t, "x;y", 2, 1);
  const char *expected[] = { "echo", "2", "x;y", NULL };

  g_assert_false (pm_template_has_slot (t));
  g_assert_cmpstrv (argv, expected);
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
  g_test_add_func ("/template/appends-the-argument-without-braces", test_template_appends_argument);
  g_test_add_func ("/template/empty-is-an-error", test_template_empty_is_an_error);
  g_test_add_func ("/template/command-line-quotes-for-a-shell", test_template_command_line_quotes);
  g_test_add_func ("/template/arguments-arrive-literally", test_template_arguments_arrive_literally);

  return g_test_run ();
}
