/* pm-compat.c: the differential harness (see pm-compat.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-compat.h"
#include "pm-test-util.h"

const char *
pm_compat_parallel (void)
{
  static char *path;

  if (path == NULL)
    path = g_find_program_in_path ("parallel");
  if (path == NULL)
    g_error ("GNU parallel is not installed (make deps installs it)");
  return path;
}

const char *
pm_compat_pool_run (void)
{
  const char *path = g_getenv ("PM_POOL_RUN");

  if (path == NULL)
    g_error ("PM_POOL_RUN is not set (meson test sets it)");
  return path;
}

void
pm_compat_result_clear (PmCompatResult *r)
{
  g_clear_pointer (&r->out, g_bytes_unref);
  g_clear_pointer (&r->err, g_bytes_unref);
  g_clear_pointer (&r->joblog, g_free);
  if (r->dir != NULL)
    pm_test_remove_tree (r->dir);
  g_clear_pointer (&r->dir, g_free);
}

static char *
substitute (const char *arg,
            const char *dir,
            const char *joblog)
{
  g_autoptr(GString) s = g_string_new (arg);

  g_string_replace (s, "@JOBLOG@", joblog, 0);
  g_string_replace (s, "@DIR@", dir, 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

void
pm_compat_run (const PmCompatCase *c,
               const char * const *program_argv,
               PmCompatResult     *r)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *joblog = NULL;
  gboolean uses_joblog = FALSE;

  r->dir = g_dir_make_tmp ("pm-compat-XXXXXX", &error);
  g_assert_no_error (error);
  joblog = g_build_filename (r->dir, "joblog.tsv", NULL);

  for (guint i = 0; program_argv[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (program_argv[i]));
  for (guint i = 0; c->args[i] != NULL; i++)
    {
      uses_joblog |= strstr (c->args[i], "@JOBLOG@") != NULL;
      g_ptr_array_add (argv, substitute (c->args[i], r->dir, joblog));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, r->dir);
  /* The same shell-free environment for both; GNU parallel reads its own settings from $HOME. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  /* No input is an empty standard input: it ends at once. */
  if (c->input != NULL)
    input = g_bytes_new_static (c->input, c->input_len >= 0 ? (gsize)c->input_len
                                                            : strlen (c->input));
  else
    input = g_bytes_new_static ("", 0);
  g_subprocess_communicate (proc, input, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);

  if (g_subprocess_get_if_exited (proc))
    r->status = g_subprocess_get_exit_status (proc);
  else
    r->status = 128 + g_subprocess_get_term_sig (proc);

  if (uses_joblog && !g_file_get_contents (joblog, &r->joblog, NULL, NULL))
    r->joblog = g_strdup ("(no joblog)");
  /* The joblog is compared on its own, not as one of the files the jobs left. */
  g_unlink (joblog);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

char *
pm_compat_sorted_lines (GBytes *text)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (text, &len);
  g_autofree char *s = g_strndup (data != NULL ? data : "", len);
  g_auto(GStrv) lines = g_strsplit (s, "\n", -1);
  guint n = g_strv_length (lines);

  qsort (lines, n, sizeof (char *), compare_strings);
  return g_strjoinv ("\n", lines);
}

/* "Seq\tHost\tExitval\tSignal\tCommand" for each job line, sorted by Seq: the columns that do
 * not depend on the clock. Columns are found by the header's names, so extra columns do not
 * matter. */
static char *
joblog_columns (const char *joblog)
{
  static const char *wanted[] = { "Seq", "Host", "Exitval", "Signal", "Command" };
  g_auto(GStrv) lines = g_strsplit (joblog, "\n", -1);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) header = NULL;
  int column[G_N_ELEMENTS (wanted)];

  if (lines[0] == NULL)
    return g_strdup ("(empty joblog)");
  header = g_strsplit (lines[0], "\t", -1);
  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    {
      column[w] = -1;
      for (guint i = 0; header[i] != NULL; i++)
        if (g_str_equal (header[i], wanted[w]))
          column[w] = i;
      if (column[w] < 0)
        return g_strdup_printf ("(joblog without a %s column: %s)", wanted[w], lines[0]);
    }

  for (guint l = 1; lines[l] != NULL; l++)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(GString) row = g_string_new (NULL);
      guint n;

      if (lines[l][0] == '\0')
        continue;
      /* The Command column is the last of parallel's, and may hold tabs of its own. */
      fields = g_strsplit (lines[l], "\t", g_strv_length (header));
      n = g_strv_length (fields);
      for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
        {
          if (w > 0)
            g_string_append_c (row, '\t');
          g_string_append (row, (guint)column[w] < n ? fields[column[w]] : "(missing)");
        }
      g_ptr_array_add (rows, g_string_free (g_steal_pointer (&row), FALSE));
    }

  g_ptr_array_sort (rows, compare_strings);
  g_ptr_array_add (rows, NULL);
  return g_strjoinv ("\n", (char **)rows->pdata);
}

static void
list_files (GString    *into,
            const char *root,
            const char *rel)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child_rel = g_build_filename (rel, names->pdata[i], NULL);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          g_string_append_printf (into, "%s/\n", child_rel);
          list_files (into, root, child_rel);
        }
      else if (g_file_get_contents (child, &contents, &len, NULL))
        {
          g_string_append_printf (into, "%s (%" G_GSIZE_FORMAT " bytes): ", child_rel, len);
          g_string_append_len (into, contents, len);
          g_string_append_c (into, '\n');
        }
    }
}

static char *
files_of (const char *dir)
{
  GString *s = g_string_new (NULL);

  list_files (s, dir, "");
  return g_string_free (s, FALSE);
}

static void
assert_same_bytes (const char *what,
                   GBytes     *ours,
                   GBytes     *theirs)
{
  if (!g_bytes_equal (ours, theirs))
    {
      g_test_message ("%s differs: pool-run %" G_GSIZE_FORMAT " bytes, parallel %" G_GSIZE_FORMAT,
                      what, g_bytes_get_size (ours), g_bytes_get_size (theirs));
      g_assert_cmpmem (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours),
                       g_bytes_get_data (theirs, NULL), g_bytes_get_size (theirs));
    }
}

void
pm_compat_check (const PmCompatCase *c)
{
  pm_compat_check_with (c, NULL);
}

void
pm_compat_check_with (const PmCompatCase *c,
                      const char * const *pool_run_options)
{
  const char *with_parallel[] = { pm_compat_parallel (), "--will-cite", "-q", NULL };
  g_autoptr(GPtrArray) with_pool = g_ptr_array_new ();
  g_auto(PmCompatResult) ours = { 0 };
  g_auto(PmCompatResult) theirs = { 0 };
  g_autofree char *args = g_strjoinv (" ", (char **)c->args);

  g_test_message ("case: %s", args);
  if (c->why != NULL)
    g_test_message ("why: %s", c->why);

  g_ptr_array_add (with_pool, (gpointer)pm_compat_pool_run ());
  for (guint i = 0; pool_run_options != NULL && pool_run_options[i] != NULL; i++)
    g_ptr_array_add (with_pool, (gpointer)pool_run_options[i]);
  g_ptr_array_add (with_pool, NULL);

  pm_compat_run (c, (const char * const *)with_pool->pdata, &ours);
  pm_compat_run (c, with_parallel, &theirs);
  g_test_message ("pool-run's standard error: %.*s", (int)g_bytes_get_size (ours.err),
                  (const char *)g_bytes_get_data (ours.err, NULL));

  g_assert_cmpint (ours.status, ==, theirs.status);

  if (c->compare & PM_COMPAT_STDOUT)
    assert_same_bytes ("standard output", ours.out, theirs.out);
  if (c->compare & PM_COMPAT_SORTED_STDOUT)
    {
      g_autofree char *a = pm_compat_sorted_lines (ours.out);
      g_autofree char *b = pm_compat_sorted_lines (theirs.out);
      g_assert_cmpstr (a, ==, b);
    }
  if (c->compare & PM_COMPAT_STDERR)
    assert_same_bytes ("standard error", ours.err, theirs.err);
  if (c->compare & PM_COMPAT_JOBLOG)
    {
      g_autofree char *a = joblog_columns (ours.joblog ? ours.joblog : "");
      g_autofree char *b = joblog_columns (theirs.joblog ? theirs.joblog : "");
      g_assert_cmpstr (a, ==, b);
    }
  if (c->compare & PM_COMPAT_FILES)
    {
      g_autofree char *a = files_of (ours.dir);
      g_autofree char *b = files_of (theirs.dir);
      g_assert_cmpstr (a, ==, b);
    }
}

static void
check_case (gconstpointer data)
{
  pm_compat_check (data);
}

void
pm_compat_add_cases (const char         *group,
                     const PmCompatCase *cases)
{
  for (guint i = 0; cases[i].name != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/compat/%s/%s", group, cases[i].name);
      g_test_add_data_func (path, &cases[i], check_case);
    }
}
