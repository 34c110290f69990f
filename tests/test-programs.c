/* test-programs.c: what every program of ours tells about itself, and where it looks for its
 * helpers. --version as GNU programs print it; --help in 80 columns with a bug-report line;
 * -j N% counting the CPUs the process may run on; helpers from libexecdir, or from the build
 * tree a program runs from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sched.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "pm-pool.h"
#include "pm-util.h"
#include "pm-test-util.h"

/* Runs @argv (NULL-terminated) with the given extra environment; returns standard output. */
static char *
run_output (const char * const *argv,
            int                *status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  *status = g_subprocess_get_exit_status (proc);
  return out;
}

/* Each program and its name; pool-monitor only where the window is built. */
static GPtrArray *
programs (void)
{
  static const char *vars[][2] = {
    { "PM_POOL_RUN", "pool-run" },
    { "PM_POOL_WORKER", "pool-worker" },
    { "PM_POOL_SLOT", "pool-slot" },
    { "PM_POOL_MONITOR", "pool-monitor" },
  };
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    if (g_getenv (vars[i][0]) != NULL)
      {
        g_ptr_array_add (found, (char *)g_getenv (vars[i][0]));
        g_ptr_array_add (found, (char *)vars[i][1]);
      }
  g_assert_cmpuint (found->len, >=, 6);
  return found;
}

static void
test_version_says_copyright_and_licence (void)
{
  g_autoptr(GPtrArray) progs = programs ();

  for (guint i = 0; i < progs->len; i += 2)
    {
      const char *argv[] = { g_ptr_array_index (progs, i), "--version", NULL };
      const char *name = g_ptr_array_index (progs, i + 1);
      g_autofree char *first = g_strdup_printf ("%s (Pool Monitor) %s", name, PACKAGE_VERSION);
      int status;
      g_autofree char *out = run_output (argv, &status);
      g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

      g_test_message ("%s --version", name);
      g_assert_cmpint (status, ==, 0);
      g_assert_true (g_str_has_prefix (lines[0], first));
      g_assert_cmpstr (lines[1], ==, PM_COPYRIGHT);
      g_assert_true (g_str_has_prefix (lines[2], "License GPLv3+: GNU GPL version 3 or later"));
      g_assert_nonnull (strstr (out, "There is NO WARRANTY"));
    }
}

static void
test_help_fits_80_columns_and_says_where_to_report_bugs (void)
{
  g_autoptr(GPtrArray) progs = programs ();

  for (guint i = 0; i < progs->len; i += 2)
    {
      const char *argv[] = { g_ptr_array_index (progs, i), "--help", NULL };
      const char *name = g_ptr_array_index (progs, i + 1);
      int status;
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;

      /* pool-slot is spoken to by the pool, not by people: its usage is one line. */
      if (g_str_equal (name, "pool-slot"))
        continue;
      g_test_message ("%s --help", name);
      out = run_output (argv, &status);
      g_assert_cmpint (status, ==, 0);
      g_assert_true (g_utf8_validate (out, -1, NULL));
      lines = g_strsplit (out, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          if (g_utf8_strlen (lines[l], -1) > 80)
            g_error ("%s --help, line %u is %ld columns: %s", name, l + 1,
                     g_utf8_strlen (lines[l], -1), lines[l]);
        }
      if (!g_str_equal (name, "pool-worker"))
        g_assert_nonnull (strstr (out, "\nReport bugs to: <" PM_BUG_URL ">\n"));
    }
}

/* taskset -c 0 pool-run -j 100%: a pool of one, as nproc counts one. */
static void
test_jobs_percent_counts_the_cpus_it_may_run_on (void)
{
  g_autofree char *taskset = g_find_program_in_path ("taskset");
  g_autofree char *dir = g_dir_make_tmp ("pm-programs-XXXXXX", NULL);
  g_autofree char *events = g_build_filename (dir, "events.jsonl", NULL);
  g_autofree char *text = NULL;
  const char *argv[] = { taskset, "-c", "0", g_getenv ("PM_POOL_RUN"), "-q", "-j", "100%",
                         "--count", "2", "--events", events, "--", "true", NULL };
  cpu_set_t saved, one;
  int status;
  g_autofree char *out = NULL;

  /* In this process first: the count follows the affinity mask both ways. */
  g_assert_cmpint (sched_getaffinity (0, sizeof saved, &saved), ==, 0);
  CPU_ZERO (&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET (cpu, &saved))
      {
        CPU_SET (cpu, &one);
        break;
      }
  g_assert_cmpint (sched_setaffinity (0, sizeof one, &one), ==, 0);
  g_assert_cmpuint (pm_cpu_count (), ==, 1);
  g_assert_cmpuint (pm_parse_limit ("100%", NULL), ==, 1);
  g_assert_cmpint (sched_setaffinity (0, sizeof saved, &saved), ==, 0);
  g_assert_cmpuint (pm_cpu_count (), ==, (guint)CPU_COUNT (&saved));

  if (taskset == NULL)
    {
      g_test_skip ("taskset (util-linux) is not installed");
      return;
    }
  out = run_output (argv, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (events, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "{\"event\":\"run\""));
  g_assert_nonnull (strstr (text, "\"limit\":1,"));
  pm_test_remove_tree (dir);
}

/* Told to use a build tree, a program uses only that; run from this build tree (the tests
 * are), it uses this build tree's helpers, not PATH's. */
static void
test_helpers_come_from_libexecdir_unless_told (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("POOL_MONITOR_BUILD_DIR"));
  g_autofree char *dir = g_dir_make_tmp ("pm-helpers-XXXXXX", NULL);
  g_autofree char *slot_dir = g_build_filename (dir, "src", "slot", NULL);
  g_autofree char *slot = g_build_filename (slot_dir, "pool-slot", NULL);
  g_autofree char *path_env = g_strdup_printf ("%s:%s", slot_dir, g_getenv ("PATH"));
  g_autofree char *saved_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *found = NULL;

  g_assert_cmpint (g_mkdir_with_parents (slot_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (slot, "#!/bin/sh\n", -1, NULL));
  g_assert_cmpint (g_chmod (slot, 0700), ==, 0);

  g_setenv ("POOL_MONITOR_BUILD_DIR", dir, TRUE);
  found = pm_find_helper ("pool-slot");
  g_assert_cmpstr (found, ==, slot);
  g_clear_pointer (&found, g_free);
  /* Told to use a build tree, it uses only that. */
  g_assert_null (pm_find_helper ("pool-worker"));

  g_unsetenv ("POOL_MONITOR_BUILD_DIR");
  g_setenv ("PATH", path_env, TRUE);
  found = pm_find_helper ("pool-slot");
  g_assert_cmpstr (found, ==, g_getenv ("PM_POOL_SLOT"));

  g_setenv ("PATH", saved_path, TRUE);
  if (saved != NULL)
    g_setenv ("POOL_MONITOR_BUILD_DIR", saved, TRUE);
  pm_test_remove_tree (dir);
}

/* Copies the file at @from to @to, executable */
static void
copy_program (const char *from,
              const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
  g_assert_cmpint (g_chmod (to, 0755), ==, 0);
}

/* `./build/src/cli/pool-run -j2 -- echo ::: a b c` with no POOL_MONITOR_BUILD_DIR: the build
 * tree's pool-slot runs the jobs. */
static void
test_pool_run_from_its_build_tree (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("POOL_MONITOR_BUILD_DIR"));
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-k", "-j2", "--", "echo", ":::", "a", "b",
                         "c", NULL };
  g_auto(PmTestResult) r = { 0 };

  g_unsetenv ("POOL_MONITOR_BUILD_DIR");
  pm_test_run_argv (&r, NULL, NULL, NULL, argv);
  if (saved != NULL)
    g_setenv ("POOL_MONITOR_BUILD_DIR", saved, TRUE);

  g_assert_null (strstr (r.err, "not installed"));
  g_assert_cmpstr (r.out, ==, "a\nb\nc\n");
  g_assert_cmpint (r.status, ==, 0);
}

/* A pool-run with no pool-slot where it looks says so once, naming where it looked, and exits
 * 255 as GNU parallel does when it cannot run at all: no job is failed one by one, no joblog
 * is begun. An installed copy (outside any build tree) looks only in libexecdir; a copy in a
 * build tree (a folder with meson-private/) only in that tree, and runs that tree's pool-slot
 * once it is there. */
static void
test_pool_run_without_pool_slot (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("POOL_MONITOR_BUILD_DIR"));
  g_autofree char *dir = g_dir_make_tmp ("pm-no-slot-XXXXXX", NULL);
  g_autofree char *installed = g_build_filename (dir, "pool-run", NULL);
  g_autofree char *libexec_slot = g_build_filename (PM_LIBEXECDIR, "pool-monitor", "pool-slot",
                                                    NULL);
  g_autofree char *tree = g_build_filename (dir, "build", NULL);
  g_autofree char *marker_dir = g_build_filename (tree, "meson-private", NULL);
  g_autofree char *marker = g_build_filename (marker_dir, "coredata.dat", NULL);
  g_autofree char *cli_dir = g_build_filename (tree, "src", "cli", NULL);
  g_autofree char *slot_dir = g_build_filename (tree, "src", "slot", NULL);
  g_autofree char *built = g_build_filename (cli_dir, "pool-run", NULL);
  g_autofree char *built_slot = g_build_filename (slot_dir, "pool-slot", NULL);
  g_autofree char *joblog = g_build_filename (dir, "joblog.tsv", NULL);
  /* pool-slot on PATH is not looked at either */
  g_autofree char *path = g_strdup_printf ("%s:%s", slot_dir, g_getenv ("PATH"));
  const char *argv[] = { installed, "-k", "-j2", "--joblog", joblog, "--", "echo", ":::", "a",
                         "b", "c", NULL };
  g_auto(PmTestResult) r = { 0 };

  if (g_file_test (libexec_slot, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("pool-slot is installed in libexecdir");
      pm_test_remove_tree (dir);
      return;
    }
  copy_program (g_getenv ("PM_POOL_RUN"), installed);
  g_assert_cmpint (g_mkdir_with_parents (cli_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (slot_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (marker_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (marker, "", 0, NULL));
  copy_program (g_getenv ("PM_POOL_RUN"), built);

  g_unsetenv ("POOL_MONITOR_BUILD_DIR");
  pm_test_run_argv (&r, NULL, path, NULL, argv);
  g_assert_cmpint (r.status, ==, 255);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, libexec_slot));
  g_assert_null (strstr (r.err, "job "));
  g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (int)strlen (r.err) - 1);
  g_assert_false (g_file_test (joblog, G_FILE_TEST_EXISTS));

  argv[0] = built;
  pm_test_run_argv (&r, NULL, path, NULL, argv);
  g_assert_cmpint (r.status, ==, 255);
  g_assert_nonnull (strstr (r.err, built_slot));
  g_assert_null (strstr (r.err, libexec_slot));
  g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (int)strlen (r.err) - 1);

  copy_program (g_getenv ("PM_POOL_SLOT"), built_slot);
  pm_test_run_argv (&r, NULL, path, NULL, argv);
  if (saved != NULL)
    g_setenv ("POOL_MONITOR_BUILD_DIR", saved, TRUE);
  g_assert_cmpstr (r.out, ==, "a\nb\nc\n");
  g_assert_cmpint (r.status, ==, 0);
  pm_test_remove_tree (dir);
}

/* `./build/src/app/pool-monitor` with neither POOL_MONITOR_BUILD_DIR nor GSETTINGS_SCHEMA_DIR
 * finds the schema its build tree compiled (here, with no display, it gets as far as GTK's
 * error); a copy outside any build tree reads no build tree, and says the schema is not
 * installed (none is, as far as the copy can see). */
static void
test_pool_monitor_from_its_build_tree (void)
{
  const char *program = g_getenv ("PM_POOL_MONITOR");
  /* (GTK's warning that there is no display would abort under G_DEBUG=fatal-warnings) */
  const char *keep[] = { "POOL_MONITOR_BUILD_DIR", "GSETTINGS_SCHEMA_DIR", "DISPLAY",
                         "WAYLAND_DISPLAY", "G_DEBUG", "XDG_DATA_DIRS" };
  char *saved[G_N_ELEMENTS (keep)];
  g_autofree char *dir = NULL;
  g_autofree char *installed = NULL;
  g_auto(PmTestResult) built = { 0 };
  g_auto(PmTestResult) copied = { 0 };

  if (program == NULL)
    {
      g_test_skip ("built without the window");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
    {
      saved[i] = g_strdup (g_getenv (keep[i]));
      g_unsetenv (keep[i]);
    }
  dir = g_dir_make_tmp ("pm-window-copy-XXXXXX", NULL);
  installed = g_build_filename (dir, "pool-monitor", NULL);
  copy_program (program, installed);
  /* Nor one installed on this machine: GSettings looks in XDG_DATA_DIRS */
  g_setenv ("XDG_DATA_DIRS", dir, TRUE);

    {
      const char *argv[] = { program, NULL };

      pm_test_run_argv (&built, NULL, NULL, NULL, argv);
      argv[0] = installed;
      pm_test_run_argv (&copied, NULL, NULL, NULL, argv);
    }
  for (guint i = 0; i < G_N_ELEMENTS (keep); i++)
    {
      if (saved[i] != NULL)
        g_setenv (keep[i], saved[i], TRUE);
      g_free (saved[i]);
    }
  pm_test_remove_tree (dir);

  g_test_message ("from the build tree: %s; a copy: %s", built.err, copied.err);
  g_assert_null (strstr (built.err, "settings schema"));
  g_assert_cmpint (built.status, !=, 0);
  g_assert_nonnull (strstr (copied.err, "settings schema"));
  g_assert_cmpint (copied.status, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/programs/version-says-copyright-and-licence",
                   test_version_says_copyright_and_licence);
  g_test_add_func ("/programs/help-fits-80-columns-and-says-where-to-report-bugs",
                   test_help_fits_80_columns_and_says_where_to_report_bugs);
  g_test_add_func ("/programs/jobs-percent-counts-the-cpus-it-may-run-on",
                   test_jobs_percent_counts_the_cpus_it_may_run_on);
  g_test_add_func ("/programs/helpers-come-from-the-build-tree-it-runs-from-or-libexecdir",
                   test_helpers_come_from_libexecdir_unless_told);
  g_test_add_func ("/programs/pool-run-from-its-build-tree-runs-its-pool-slot",
                   test_pool_run_from_its_build_tree);
  g_test_add_func ("/programs/pool-monitor-from-its-build-tree-reads-its-schema",
                   test_pool_monitor_from_its_build_tree);
  g_test_add_func ("/programs/pool-run-without-pool-slot-says-where-it-looked-once",
                   test_pool_run_without_pool_slot);

  return g_test_run ();
}
