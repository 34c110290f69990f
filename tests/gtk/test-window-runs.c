/* test-window-runs.c: the real window under Xvfb keeps its runs: save and open in every
 * format, GNU parallel's joblogs, every run recorded as it goes, and nothing lost to a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "pm-application.h"
#include "pm-runlog.h"
#include "pm-timeline-private.h"
#include "pm-util.h"
#include "pm-window-private.h"
#include "pm-gtk-test-util.h"

static void
assert_same_run (PmPool *a,
                 PmPool *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) ja = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(PmJob) jb = g_list_model_get_item (G_LIST_MODEL (b), i);

      g_assert_cmpuint (pm_job_get_seq (ja), ==, pm_job_get_seq (jb));
      g_assert_cmpint (pm_job_get_state (ja), ==, pm_job_get_state (jb));
      g_assert_cmpuint (pm_job_get_slot (ja), ==, pm_job_get_slot (jb));
      g_assert_cmpint (pm_job_get_exit_status (ja), ==, pm_job_get_exit_status (jb));
    }
}

static GFile *
tmp_file (const char *dir,
          const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_new_for_path (path);
}

static void
test_save_open (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  g_autofree char *dir = g_dir_make_tmp ("pm-test-window-XXXXXX", NULL);
  g_autoptr(PmPool) run = NULL;
  g_autoptr(GError) error = NULL;
  static const struct { const char *name; PmSaveFormat format; gboolean reopen; } files[] = {
    { "run.tsv", PM_SAVE_JOBLOG, TRUE },
    { "run.jsonl", PM_SAVE_EVENTS, TRUE },
    { "run.json", PM_SAVE_TRACE, FALSE },
    { "run.png", PM_SAVE_PNG, FALSE },
    { "run.svg", PM_SAVE_SVG, FALSE },
  };

  g_settings_set_uint (settings, "count", 6);
  g_settings_set_uint (settings, "limit", 3);
  activate (window, "start");
  wait_until (pool_finished, window, "the run finishes");
  run = g_object_ref (pm_window_get_pool (window));

  /* A failed save says why, once (the dialog's heading names the file), and keeps the run. */
  {
    g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent/pm-dir/run.tsv");
    g_autofree char *body = NULL;

    g_assert_false (_pm_window_save (window, bad, PM_SAVE_JOBLOG, &error));
    g_assert_nonnull (error);
    body = _pm_save_error_body (bad, error);
    g_test_message ("%s → %s", error->message, body);
    g_assert_null (strstr (body, "run.tsv"));
    g_assert_nonnull (strstr (body, g_strerror (ENOENT)));
    g_clear_error (&error);
    g_assert_true (pm_window_get_pool (window) == run);
  }

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GFile) file = tmp_file (dir, files[i].name);
      g_autofree char *contents = NULL;
      PmSaveFormat guessed;
      gsize len;

      g_assert_true (_pm_save_format_from_file (file, &guessed));
      g_assert_cmpint (guessed, ==, files[i].format);
      /* Save from the live run each time, not from a reopened one. */
      _pm_window_set_pool (window, run, NULL);
      g_assert_true (_pm_window_save (window, file, files[i].format, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_load_contents (file, NULL, &contents, &len, NULL, NULL));
      g_assert_cmpuint (len, >, 0);
      if (files[i].format == PM_SAVE_PNG)
        g_assert_cmpmem (contents, 4, "\x89PNG", 4);
      if (files[i].format == PM_SAVE_SVG)
        {
          /* Sized in pixels, so that it shows at 100 % (in points it showed at 133 %) */
          g_autoptr(GRegex) size = g_regex_new ("<svg[^>]* width=\"[0-9.]+px\" "
                                                "height=\"[0-9.]+px\"", 0, 0, NULL);

          g_assert_nonnull (strstr (contents, "<svg"));
          g_assert_true (g_regex_match (size, contents, 0, NULL));
        }
      if (files[i].format == PM_SAVE_TRACE)
        g_assert_nonnull (strstr (contents, "slot 1"));

      if (files[i].reopen)
        {
          PmPool *opened;

          g_assert_true (_pm_window_open (window, file, &error));
          g_assert_no_error (error);
          opened = pm_window_get_pool (window);
          g_assert_true (opened != run);
          g_assert_cmpint (pm_pool_get_state (opened), ==, PM_POOL_STATE_READ_ONLY);
          assert_same_run (run, opened);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (
            _pm_job_list_get_selection (_pm_window_get_job_list (window)))), ==, 6);
          g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "stop"));
        }
      g_file_delete (file, NULL, NULL);
    }

  /* A file that is no run log: an error naming the file, and the window keeps its run. */
  {
    g_autoptr(GFile) junk = tmp_file (dir, "junk.tsv");
    PmPool *before = pm_window_get_pool (window);

    g_assert_true (g_file_replace_contents (junk, "Seq\tnothing\nbad\tline\n", 22, NULL, FALSE,
                                            0, NULL, NULL, NULL));
    g_assert_false (_pm_window_open (window, junk, &error));
    g_assert_nonnull (error);
    g_test_message ("opening junk: %s", error->message);
    g_clear_error (&error);
    g_assert_true (pm_window_get_pool (window) == before);
    g_file_delete (junk, NULL, NULL);
  }

  g_rmdir (dir);
  close_window (window);
}

/* "Compute instead of sleeping": the demo workers keep a CPU busy for their time, which their
 * CPU time shows. */
static void
test_demo_computes (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  PmPool *pool;

  g_settings_set_boolean (settings, "demo-compute", TRUE);
  pool = start_demo (window, 2, 2, 0.3, 0.3);
  wait_until (pool_finished, window, "the computing run finishes");
  for (guint seq = 1; seq <= 2; seq++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, seq);
      g_autofree char *command = pm_job_dup_command (job);

      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_nonnull (strstr (command, "--work cpu"));
      g_assert_cmpint (pm_job_get_cpu_time (job), >=, 300 * 1000);
    }
  g_settings_reset (settings, "demo-compute");
  close_window (window);
}

static void
test_open_parallel (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  GListModel *rows = G_LIST_MODEL (_pm_job_list_get_selection (list));
  g_autofree char *path = g_build_filename (g_getenv ("PM_TEST_DATA"), "parallel-joblog.tsv",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  static const PmJobState states[] = {
    PM_JOB_STATE_SUCCEEDED, PM_JOB_STATE_SUCCEEDED, PM_JOB_STATE_FAILED, PM_JOB_STATE_KILLED,
    PM_JOB_STATE_SUCCEEDED,
  };

  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->limit_spin)), ==,
                   "Jobs That Run at Once (Ctrl+Plus, Ctrl+Minus)");
  g_assert_true (_pm_window_open (window, file, &error));
  g_assert_no_error (error);
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);
  /* The Limit field shows the opened run's own limit (2), which cannot change (issue 17) */
  g_assert_cmpuint ((guint)gtk_spin_button_get_value (window->limit_spin), ==, 2);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (window->limit_spin)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->limit_spin)),
                            "Recorded Run"));
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (rows, i);
      g_assert_cmpuint (pm_job_get_seq (job), ==, i + 1);
      g_assert_cmpint (pm_job_get_state (job), ==, states[i]);
    }
  {
    g_autoptr(PmJob) third = g_list_model_get_item (rows, 2);
    g_autofree char *exit_text = _pm_job_list_dup_cell_text (list, third, PM_COLUMN_EXIT);
    g_assert_cmpstr (exit_text, ==, "3");
  }

  /* Sorting by a column reorders the rows; the filter hides the others. */
  {
    GtkColumnView *view = _pm_job_list_get_column_view (list);
    g_autoptr(GtkColumnViewColumn) seq_column =
      g_list_model_get_item (gtk_column_view_get_columns (view), PM_COLUMN_SEQ);
    g_autoptr(PmJob) first = NULL;

    gtk_column_view_sort_by_column (view, seq_column, GTK_SORT_DESCENDING);
    settle ();
    first = g_list_model_get_item (rows, 0);
    g_assert_cmpuint (pm_job_get_seq (first), ==, 5);

    /* By state: succeeded (1, 2, 5), then failed (3), then killed (4). */
    {
      g_autoptr(GtkColumnViewColumn) state_column =
        g_list_model_get_item (gtk_column_view_get_columns (view), PM_COLUMN_STATE);
      static const guint by_state[] = { 1, 2, 5, 3, 4 };

      gtk_column_view_sort_by_column (view, state_column, GTK_SORT_ASCENDING);
      settle ();   /* the sort is incremental */
      for (guint i = 0; i < 5; i++)
        {
          g_autoptr(PmJob) job = g_list_model_get_item (rows, i);
          g_assert_cmpuint (pm_job_get_seq (job), ==, by_state[i]);
        }
    }
    gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);

    pm_job_list_set_state_filter (list, "unsuccessful");
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
    pm_job_list_set_state_filter (list, "all");
    g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 5);
  }

  /* A bar activated in the timeline selects its row; the details and the timeline follow. */
  g_signal_emit_by_name (_pm_window_get_timeline (window), "job-activated",
                         pm_pool_get_job_by_seq (pm_window_get_pool (window), 3));
  g_assert_true (pm_job_list_get_selected_job (list) ==
                 pm_pool_get_job_by_seq (pm_window_get_pool (window), 3));
  g_assert_true (pm_timeline_get_selected_job (_pm_window_get_timeline (window)) ==
                 pm_pool_get_job_by_seq (pm_window_get_pool (window), 3));
  /* A saved run cannot run again. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "job-rerun"));

  close_window (window);
}

/* A joblog of a run over two hosts and this machine, its lanes handed out host by host as
 * pool-run does, opened: the timeline groups the lanes by host as it does for a live run,
 * named as the log names them, this machine's own as such. */
static void
test_open_hosts (void)
{
  PmWindow *window = new_window ();
  g_autofree char *dir = g_dir_make_tmp ("pm-open-hosts-XXXXXX", NULL);
  g_autoptr(GFile) file = tmp_file (dir, "hosts.tsv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) texts = NULL;
  g_autoptr(GString) labels = g_string_new (NULL);
  GString *log = g_string_new ("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\t"
                               "Signal\tCommand\tSlot\tPID\tQueued\tEnd\tAttempt\tState\t"
                               "Name\tCPU\tMemory\n");
  static const struct { const char *host; guint slot; } rows[] = {
    { "a.example", 1 }, { "a.example", 2 }, { ":", 3 }, { "b.example:2222", 4 },
    { "a.example", 1 }, { ":", 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_string_append_printf (log, "%u\t%s\t1796600000.%03u\t     1.000\t0\t0\t0\t0\ttrue %u\t"
                            "%u\t%u\t1796600000.000\t1796600001.%03u\t1\tsucceeded\t%u\t"
                            "0.001\t1024\n", i + 1, rows[i].host, i, i + 1, rows[i].slot,
                            1000 + i, i, i + 1);
  g_assert_true (g_file_replace_contents (file, log->str, log->len, NULL, FALSE,
                                          G_FILE_CREATE_NONE, NULL, NULL, &error));
  g_string_free (log, TRUE);
  g_assert_no_error (error);

  g_assert_true (_pm_window_open (window, file, &error));
  g_assert_no_error (error);
  settle ();
  texts = _pm_timeline_collect_texts (_pm_window_get_timeline (window), FALSE, 0, 0);
  for (guint i = 0; i < texts->len; i++)
    {
      PmTimelineText *text = &g_array_index (texts, PmTimelineText, i);

      if (text->kind == PM_TIMELINE_TEXT_HOST)
        g_string_append_printf (labels, "%s%s", labels->len > 0 ? "|" : "", text->text);
    }
  g_assert_cmpstr (labels->str, ==, "a.example|this machine|b.example:2222");

  close_window (window);
  g_file_delete (file, NULL, NULL);
  g_rmdir (dir);
}

static guint
count_finished (PmPool *pool)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      n += pm_job_is_finished (job);
    }
  return n;
}

static gboolean
n_done_at_least (gpointer data)
{
  PmWindow *window = data;
  PmPool *pool = pm_window_get_pool (window);
  guint want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (window), "want-done"));

  return pool != NULL && pm_pool_get_n_done (pool) >= want;
}

static guint
count_recorded_runs (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    n += g_str_has_suffix (name, ".tsv");
  return n;
}

/* The event log recorded beside a joblog. */
static char *
events_path_for (const char *joblog_path)
{
  g_autofree char *stem = g_strndup (joblog_path, strlen (joblog_path) - strlen (".tsv"));

  g_assert_true (g_str_has_suffix (joblog_path, ".tsv"));
  return g_strconcat (stem, ".jsonl", NULL);
}

static void
test_autosave (void)
{
  PmWindow *window = new_window ();
  g_autofree char *runs = _pm_autosave_dir ();
  g_autoptr(GError) error = NULL;
  PmPool *pool;

  g_assert_true (g_str_has_prefix (runs, g_getenv ("XDG_STATE_HOME")));

  /* Older runs beyond the last 20 go, both files of each. */
  g_assert_cmpint (g_mkdir_with_parents (runs, 0700), ==, 0);
  for (guint i = 0; i < 25; i++)
    for (guint e = 0; e < 2; e++)
      {
        g_autofree char *name = g_strdup_printf ("2000-01-01T00-00-%02u-run.%s", i,
                                                 e ? "jsonl" : "tsv");
        g_autofree char *path = g_build_filename (runs, name, NULL);
        g_assert_true (g_file_set_contents (path, "", 0, NULL));
      }

  pool = start_demo (window, 8, 2, 0.2, 0.6);
  g_assert_nonnull (_pm_window_get_autosave_path (window));
  g_assert_true (g_str_has_prefix (_pm_window_get_autosave_path (window), runs));
  g_assert_true (g_str_has_suffix (_pm_window_get_autosave_path (window), ".tsv"));
  g_assert_nonnull (strstr (_pm_window_get_autosave_path (window), "-run"));
  g_assert_cmpuint (count_recorded_runs (runs), ==, 20);
  {
    g_autofree char *oldest = g_build_filename (runs, "2000-01-01T00-00-00-run.jsonl", NULL);
    g_autofree char *oldest_tsv = g_build_filename (runs, "2000-01-01T00-00-00-run.tsv", NULL);
    g_assert_false (g_file_test (oldest, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (oldest_tsv, G_FILE_TEST_EXISTS));
  }
  /* The title says where the run is recorded. */
  {
    const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (window->window_title));
    g_assert_nonnull (strstr (tooltip, _pm_window_get_autosave_path (window)));
  }

  /* While the run goes, the joblog already holds every job that has finished. */
  g_object_set_data (G_OBJECT (window), "want-done", GUINT_TO_POINTER (3));
  wait_until (n_done_at_least, window, "three jobs are done");
  g_assert_true (pm_pool_is_active (pool));
  {
    g_autoptr(GFile) file = g_file_new_for_path (_pm_window_get_autosave_path (window));
    g_autoptr(PmPool) logged = pm_runlog_load (file, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (count_finished (logged), ==, pm_pool_get_n_done (pool));
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
      {
        g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
        if (pm_job_is_finished (job))
          g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (logged,
                                                                      pm_job_get_seq (job))),
                           ==, pm_job_get_state (job));
      }
  }
  wait_until (pool_finished, window, "the recorded run finishes");
  {
    g_autofree char *events_path = NULL;
    g_autoptr(GFile) joblog = g_file_new_for_path (_pm_window_get_autosave_path (window));
    g_autoptr(GFile) events = NULL;
    g_autoptr(PmPool) from_joblog = pm_runlog_load (joblog, &error);
    g_autoptr(PmPool) from_events = NULL;

    g_assert_no_error (error);
    events_path = events_path_for (_pm_window_get_autosave_path (window));
    events = g_file_new_for_path (events_path);
    from_events = pm_runlog_load (events, &error);
    g_assert_no_error (error);
    assert_same_run (pool, from_joblog);
    assert_same_run (pool, from_events);
  }

  /* A folder that cannot be written: said once, and the run goes on unrecorded. */
  {
    g_autofree char *aside = g_strconcat (runs, ".aside", NULL);

    g_assert_cmpint (g_rename (runs, aside), ==, 0);
    g_assert_true (g_file_set_contents (runs, "not a folder", -1, NULL));
    g_assert_false (window->autosave_warned);
    activate (window, "start");
    g_assert_true (window->autosave_warned);
    g_assert_null (_pm_window_get_autosave_path (window));
    wait_until (pool_finished, window, "the unrecorded run finishes");
    g_assert_cmpuint (count_finished (pm_window_get_pool (window)), ==, 8);
    g_unlink (runs);
    g_assert_cmpint (g_rename (aside, runs), ==, 0);
  }

  close_window (window);
}

/* The crash test: the real pool-monitor, killed with SIGKILL in the middle of a run. */

static char *
find_recorded_joblog (const char *runs)
{
  g_autoptr(GDir) listing = g_dir_open (runs, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".tsv"))
      return g_build_filename (runs, name, NULL);
  return NULL;
}

static guint
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* Alive: in /proc and not a zombie waiting for init to reap it. */
static gboolean
process_alive (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  paren = strrchr (stat, ')');
  return paren == NULL || paren[1] == '\0' || paren[2] != 'Z';
}

/* Any live process whose process group is one of @pgids. */
static int
find_survivor (GArray *pgids)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      const char *paren;
      char state;
      int ppid, pgrp;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &stat, NULL, NULL) ||
          !(paren = strrchr (stat, ')')) ||
          sscanf (paren + 1, " %c %d %d", &state, &ppid, &pgrp) != 3 || state == 'Z')
        continue;
      for (guint i = 0; i < pgids->len; i++)
        if (pgrp == g_array_index (pgids, int, i))
          return atoi (name);
    }
  return 0;
}

static gboolean
joblog_has_lines (gpointer data)
{
  const char *runs = data;
  g_autofree char *path = find_recorded_joblog (runs);

  /* The header and three finished jobs. */
  return count_lines (path) >= 4;
}

static gboolean
no_survivor (gpointer data)
{
  return find_survivor (data) == 0;
}

static gboolean
keep_polling_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_crash (void)
{
  guint poll_id;
  const char *binary = g_getenv ("PM_POOL_MONITOR");
  g_autofree char *home = g_dir_make_tmp ("pm-test-crash-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (home, "state", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *keyfile_dir = g_build_filename (config, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (keyfile_dir, "keyfile", NULL);
  g_autofree char *runs = g_build_filename (state, "pool-monitor", "runs", NULL);
  g_autofree char *joblog_path = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *torn_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) app_process = NULL;
  g_autoptr(GFile) joblog = NULL;
  g_autoptr(GFile) events = NULL;
  g_autoptr(GFile) torn = NULL;
  g_autoptr(PmPool) from_joblog = NULL;
  g_autoptr(PmPool) from_events = NULL;
  g_autoptr(PmPool) from_torn = NULL;
  g_autoptr(GArray) pgids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GError) error = NULL;
  guint n_finished = 0;

  if (binary == NULL)
    {
      g_test_skip ("PM_POOL_MONITOR is not set");
      return;
    }

  /* Settings given to the app through a keyfile: jobs that end at different times. */
  g_assert_cmpint (g_mkdir_with_parents (keyfile_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile,
                                      "[io/github/poolmonitor/PoolMonitor]\n"
                                      "count=uint32 12\nlimit=uint32 4\n"
                                      "sleep-min=0.2\nsleep-max=3.0\nseed=int64 11\n", -1,
                                      NULL));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", state, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "POOL_MONITOR_AUTOSTART", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "POOL_MONITOR_QUIT_AT_END");
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  app_process = g_subprocess_launcher_spawn (launcher, &error, binary, NULL);
  g_assert_no_error (error);

  /* Nothing in this process wakes its main loop while another process writes a file: poll. */
  poll_id = g_timeout_add (20, keep_polling_cb, NULL);
  wait_until (joblog_has_lines, runs, "the recorded joblog of the real window has lines");
  kill (atoi (g_subprocess_get_identifier (app_process)), SIGKILL);
  g_assert_true (g_subprocess_wait (app_process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (app_process));
  g_assert_cmpint (g_subprocess_get_term_sig (app_process), ==, SIGKILL);

  /* Both logs read back, and agree on every job that finished. */
  joblog_path = find_recorded_joblog (runs);
  events_path = events_path_for (joblog_path);
  joblog = g_file_new_for_path (joblog_path);
  events = g_file_new_for_path (events_path);
  from_joblog = pm_runlog_load (joblog, &error);
  g_assert_no_error (error);
  from_events = pm_runlog_load (events, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (from_events)), ==, 12);
  n_finished = count_finished (from_joblog);
  g_assert_cmpuint (n_finished, >=, 3);
  g_assert_cmpuint (n_finished, <, 12);
  g_assert_cmpuint (count_finished (from_events), ==, n_finished);
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (from_events), i);

      if (pm_job_is_finished (job))
        {
          PmJob *logged = pm_pool_get_job_by_seq (from_joblog, pm_job_get_seq (job));
          g_assert_nonnull (logged);
          g_assert_cmpint (pm_job_get_state (logged), ==, pm_job_get_state (job));
        }
      if (pm_job_get_pid (job) > 0)
        {
          int pid = pm_job_get_pid (job);
          g_array_append_val (pgids, pid);
        }
    }
  g_assert_cmpuint (pgids->len, >, n_finished);

  /* A line torn by the crash is skipped, not fatal. */
  g_assert_true (g_file_get_contents (joblog_path, &contents, NULL, NULL));
  torn_path = g_build_filename (home, "torn.tsv", NULL);
  {
    g_autofree char *with_torn = g_strconcat (contents, "12\t:\t1764072000.000\t   0.5", NULL);
    g_assert_true (g_file_set_contents (torn_path, with_torn, -1, NULL));
  }
  torn = g_file_new_for_path (torn_path);
  from_torn = pm_runlog_load (torn, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_finished (from_torn), ==, n_finished);

  /* No process of any job outlives the window: the slots end their jobs' groups. */
  wait_until (no_survivor, pgids, "every job's process group is gone");
  for (guint i = 0; i < pgids->len; i++)
    g_assert_false (process_alive (g_array_index (pgids, int, i)));

  g_source_remove (poll_id);
  pm_test_remove_tree (home);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/window/save-open/round-trips-every-format", test_save_open);
  g_test_add_func ("/window/open/gnu-parallel-joblog-shows-its-rows", test_open_parallel);
  g_test_add_func ("/window/open/a-joblog-over-hosts-groups-its-lanes", test_open_hosts);
  g_test_add_func ("/window/demo/computes-when-asked", test_demo_computes);
  g_test_add_func ("/window/autosave/records-every-finished-job-as-it-goes", test_autosave);
  g_test_add_func ("/window/crash/sigkill-loses-no-finished-job-and-leaves-no-process",
                   test_crash);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
