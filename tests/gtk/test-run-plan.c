/* test-run-plan.c: the window makes a template run's jobs with the job source pool-run uses,
 * so a file of arguments means the same to the window as to GNU parallel (issue 15, point 1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "pm-run-plan.h"

#define SCHEMA "io.github.poolmonitor.PoolMonitor"

static GSettings *
template_settings (const char *template_,
                   const char *path)
{
  GSettings *settings = g_settings_new (SCHEMA);

  g_settings_set_string (settings, "mode", "template");
  g_settings_set_string (settings, "template", template_);
  g_settings_set_string (settings, "args-source", "file");
  g_settings_set_string (settings, "args-file", path);
  return settings;
}

/* Every job of the source the settings describe, or NULL with @error set */
static GPtrArray *
make_jobs (GSettings  *settings,
           GError    **error)
{
  g_autoptr(PmJobSource) source = pm_run_plan_make_source (settings, error);
  GPtrArray *jobs;
  PmJob *job;

  if (source == NULL)
    return NULL;
  jobs = g_ptr_array_new_with_free_func (g_object_unref);
  while ((job = pm_job_source_next (source)) != NULL)
    g_ptr_array_add (jobs, job);
  g_assert_true (pm_job_source_is_done (source));
  return jobs;
}

/* What GNU parallel prints for the same template and file, one job after another */
static char *
parallel_output (const char * const *template_,
                 const char         *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_strv_builder_add_many (builder, "parallel", "--will-cite", "-q", "-k", "-j", "1", NULL);
  g_strv_builder_addv (builder, (const char **)template_);
  g_strv_builder_add_many (builder, "::::", path, NULL);
  argv = g_strv_builder_end (builder);
  g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* The window's jobs for the file print what parallel printed: the same jobs, the same values
 * in the same places. An empty line is an argument; {.} and {/} are parallel's. */
static void
test_file_read_as_parallel (void)
{
  const char *words[] = { "printf", "[%s|%s|%s]\\n", "{.}", "{/}", "{#}", NULL };
  const char lines[] = "a b\n\nsub/c.txt\n  padded  \nlast-without-newline";
  g_autofree char *dir = g_dir_make_tmp ("pm-run-plan-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "args.txt", NULL);
  g_autofree char *theirs = NULL;
  g_autoptr(GString) ours = g_string_new (NULL);
  g_autoptr(GSettings) settings = template_settings ("printf '[%s|%s|%s]\\n' {.} {/} {#}", path);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, lines, -1, NULL));
  theirs = parallel_output (words, path);

  jobs = make_jobs (settings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 5);
  for (guint i = 0; i < jobs->len; i++)
    {
      const char * const *argv = pm_job_get_argv (jobs->pdata[i]);

      g_assert_cmpstr (argv[0], ==, "printf");
      g_assert_cmpstr (argv[1], ==, "[%s|%s|%s]\\n");
      g_assert_cmpuint (g_strv_length ((char **)argv), ==, 5);
      g_string_append_printf (ours, "[%s|%s|%s]\n", argv[2], argv[3], argv[4]);
    }
  g_assert_cmpstr (ours->str, ==, theirs);

  g_unlink (path);
  g_rmdir (dir);
}

/* Files the window cannot read, or that hold nothing, are refused with a reason; a FIFO is
 * not (it is read as its lines come, by the run). */
static void
test_file_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-run-plan-XXXXXX", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.txt", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  struct { const char *path, *message; } cases[] = {
    { missing, "Cannot read the arguments" },
    { empty, "holds no arguments" },
    { dir, "is neither a regular file nor a FIFO" },
    { "/dev/null", "is neither a regular file nor a FIFO" },
    { "", "Choose a file of arguments" },
  };

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GSettings) settings = template_settings ("echo {}", cases[i].path);
      char *messages[PM_N_RUN_FIELDS];
      g_autoptr(GPtrArray) jobs = NULL;
      g_autoptr(GError) error = NULL;

      /* Checked as the form is filled, and refused at Start */
      g_assert_false (pm_run_plan_check (settings, messages));
      g_assert_nonnull (messages[PM_RUN_FIELD_ARGS]);
      if (strstr (messages[PM_RUN_FIELD_ARGS], cases[i].message) == NULL)
        g_error ("“%s”: the form says “%s”, not “%s”", cases[i].path,
                 messages[PM_RUN_FIELD_ARGS], cases[i].message);
      for (guint f = 0; f < PM_N_RUN_FIELDS; f++)
        g_free (messages[f]);

      jobs = make_jobs (settings, &error);
      g_assert_null (jobs);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }

  /* The FIFO passes the check; its source opens it without waiting for a writer. */
  {
    g_autoptr(GSettings) settings = template_settings ("echo {}", fifo);
    g_autoptr(PmJobSource) source = NULL;
    g_autoptr(GError) error = NULL;
    char *messages[PM_N_RUN_FIELDS];

    g_assert_true (pm_run_plan_check (settings, messages));
    g_assert_true (pm_run_plan_is_stream (settings));
    source = pm_run_plan_make_source (settings, &error);
    g_assert_no_error (error);
    g_assert_null (pm_job_source_next (source));
    g_assert_false (pm_job_source_is_done (source));
  }

  g_unlink (empty);
  g_unlink (fifo);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/run-plan/file-read-as-parallel", test_file_read_as_parallel);
  g_test_add_func ("/run-plan/file-refused", test_file_refused);

  return g_test_run ();
}
