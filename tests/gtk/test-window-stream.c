/* test-window-stream.c: the real window under Xvfb makes its jobs as their arguments come
 * (issue 15): a FIFO's as its lines arrive, and a large run's rows in batches, with totals
 * that are right all along (issue 14)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pm-run-summary.h"
#include "pm-runlog.h"
#include "pm-gtk-test-util.h"

/* A command template over the file of arguments @path */
static void
set_file_run (PmWindow   *window,
              const char *template_,
              const char *path,
              guint       limit)
{
  GSettings *settings = _pm_window_get_settings (window);

  g_settings_set_string (settings, "mode", "template");
  g_settings_set_string (settings, "template", template_);
  g_settings_set_string (settings, "args-source", "file");
  g_settings_set_string (settings, "args-file", path);
  g_settings_set_uint (settings, "limit", limit);
}

static gboolean
previews_stream (gpointer data)
{
  return _pm_window_previews_stream (data);
}

static gboolean
one_started (gpointer data)
{
  return GPOINTER_TO_UINT (g_object_get_data (data, "n-started")) >= 1;
}

static void
count_started_cb (PmPool  *pool,
                  PmJob   *job,
                  GObject *counter)
{
  guint n = GPOINTER_TO_UINT (g_object_get_data (counter, "n-started"));

  g_object_set_data (counter, "n-started", GUINT_TO_POINTER (n + 1));
}

static void
write_line (int         fd,
            const char *line)
{
  gsize len = strlen (line);

  g_assert_cmpint (write (fd, line, len), ==, (gssize)len);
}

/* Before Start a FIFO is neither read nor held open: the preview says that its jobs come as
 * its lines arrive, and a writer finds no reader yet. */
static void
test_fifo_preview (void)
{
  PmWindow *window = new_window ();
  g_autofree char *dir = g_dir_make_tmp ("pm-test-stream-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "args", NULL);
  const char *rows, *subtitle, *line;
  PmPool *pool;

  g_assert_no_errno (mkfifo (fifo, 0600));
  set_file_run (window, "echo {}", fifo, 2);
  wait_until (previews_stream, window, "the preview of the FIFO run");

  pool = pm_window_get_pool (window);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_IDLE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 0);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "start"));

  rows = gtk_inscription_get_text (window->rows_label);
  subtitle = adw_window_title_get_subtitle (window->window_title);
  line = gtk_label_get_text (window->lesson_preview);
  g_test_message ("rows “%s”, subtitle “%s”, line “%s”", rows, subtitle, line);
  g_assert_cmpstr (rows, ==, "Jobs come as lines arrive");
  g_assert_nonnull (strstr (subtitle, "FIFO"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->lesson_preview)));
  g_assert_nonnull (strstr (line, "FIFO"));
  g_assert_nonnull (strstr (line, "2 at a time"));

  /* Nobody reads it: a writer that will not wait is refused. */
  g_assert_cmpint (open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC), ==, -1);
  g_assert_cmpint (errno, ==, ENXIO);

  close_window (window);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* Start opens the FIFO without waiting for a writer; a job starts as soon as its line is
 * written, with the FIFO still open, and the window says more may come; once the writer
 * closes it every job finishes and the totals are whole. */
static gboolean
one_done (gpointer data)
{
  return pm_pool_get_n_done (data) >= 1;
}

static void
test_fifo_run (void)
{
  PmWindow *window = new_window ();
  g_autofree char *dir = g_dir_make_tmp ("pm-test-stream-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "args", NULL);
  g_autofree char *header = NULL;
  g_autoptr(GObject) counter = g_object_new (G_TYPE_OBJECT, NULL);
  const char *names[] = { "one", "two", "three", "four" };
  PmPool *pool;
  int fd;

  g_assert_no_errno (mkfifo (fifo, 0600));
  set_file_run (window, "echo got {}", fifo, 2);
  wait_until (previews_stream, window, "the preview of the FIFO run");

  activate (window, "start");
  pool = pm_window_get_pool (window);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_RUNNING);
  g_signal_connect (pool, "job-started", G_CALLBACK (count_started_cb), counter);

  /* The window reads it now: a writer that will not wait finds it. */
  fd = open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 0);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_RUNNING);

  write_line (fd, "one\n");
  wait_until (one_started, counter, "the first job starts before the FIFO is closed");
  g_assert_cmpint (pm_pool_get_n_total (pool), ==, -1);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_RUNNING);
  _pm_window_update_header (window);
  g_test_message ("rows “%s”", gtk_inscription_get_text (window->rows_label));
  g_assert_nonnull (strstr (gtk_inscription_get_text (window->rows_label),
                            "so far, more may come"));
  g_assert_cmpstr (adw_window_title_get_subtitle (window->window_title), ==,
                   "Running; more jobs may come");
  /* What is left is not known while more may come: at least what is known, never "≈" */
  wait_until (one_done, pool, "the first job ends");
  _pm_window_update_times (window);
  g_test_message ("left “%s”", gtk_inscription_get_text (window->eta_label));
  g_assert_false (g_str_has_prefix (gtk_inscription_get_text (window->eta_label), "≈"));

  for (guint i = 1; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *line = g_strdup_printf ("%s\n", names[i]);
      write_line (fd, line);
    }
  close (fd);
  wait_until (pool_finished, window, "the FIFO run finishes once its writer has closed it");
  settle ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, G_N_ELEMENTS (names));
  g_assert_cmpint (pm_pool_get_n_total (pool), ==, G_N_ELEMENTS (names));
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      const char * const *argv = pm_job_get_argv (job);

      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      g_assert_cmpstr (argv[2], ==, names[i]);
    }
  header = _pm_window_dup_header_text (window);
  g_assert_nonnull (strstr (header, "queued 0, done 4, failed 0"));
  g_assert_cmpstr (gtk_inscription_get_text (window->rows_label), ==, "4 jobs");

  close_window (window);
  g_unlink (fifo);
  g_rmdir (dir);
}

typedef struct
{
  guint n_changes;
  guint most_added;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->n_changes++;
  changes->most_added = MAX (changes->most_added, added);
}

static gboolean
all_rows_made (gpointer data)
{
  PmPool *pool = pm_window_get_pool (data);

  return g_list_model_get_n_items (G_LIST_MODEL (pool)) == pm_pool_get_n_total (pool);
}

/* A large run started before its preview was made: Start makes its rows in batches, not all
 * in one main-loop iteration, and the header counts every job from the start; at the end the
 * rows, the header, the summary and the logs all have every job. */
static void
test_large_count_in_batches (void)
{
  const guint n = 3000;
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *header = NULL;
  g_autofree char *done = NULL;
  Changes changes = { 0, 0 };
  PmRunSummary summary;
  gint64 start_time;
  PmPool *pool;

  g_settings_set_string (settings, "mode", "template");
  g_settings_set_string (settings, "template", "true");
  g_settings_set_string (settings, "args-source", "count");
  g_settings_set_uint (settings, "count", n);
  g_settings_set_uint (settings, "limit", 8);
  activate (window, "start");

  pool = pm_window_get_pool (window);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_RUNNING);
  g_signal_connect (pool, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  /* Not every row yet, but every job counted: the header's queued are all that wait. */
  g_test_message ("%u rows at Start", g_list_model_get_n_items (G_LIST_MODEL (pool)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), <, n);
  g_assert_cmpint (pm_pool_get_n_total (pool), ==, n);
  _pm_window_update_header (window);
  header = _pm_window_dup_header_text (window);
  {
    g_autofree char *queued = g_strdup_printf ("queued %u,",
                                               n - pm_pool_get_n_done (pool) -
                                               pm_pool_get_n_running (pool));
    g_test_message ("%s", header);
    g_assert_nonnull (strstr (header, queued));
  }
  g_assert_cmpstr (gtk_inscription_get_text (window->rows_label), ==, "3000 jobs");

  wait_until (all_rows_made, window, "every row is made");
  g_test_message ("%u items-changed, at most %u rows added at once", changes.n_changes,
                  changes.most_added);
  g_assert_cmpuint (changes.most_added, <, n / 2);

  wait_until_slow (pool_finished, window, "the large run finishes");
  settle ();

  start_time = pm_pool_get_start_time (pool);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, n);
  g_assert_cmpuint (pm_pool_get_n_jobs (pool), ==, n);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, n);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      g_assert_cmpuint (pm_job_get_seq (job), ==, i + 1);
      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      /* Queued by the start, as the chart's queued line counts them */
      g_assert_cmpint (pm_job_get_queued_time (job), ==, start_time);
    }
  g_clear_pointer (&header, g_free);
  header = _pm_window_dup_header_text (window);
  done = g_strdup_printf ("queued 0, done %u, failed 0", n);
  g_assert_nonnull (strstr (header, done));
  g_assert_true (pm_run_summary_compute (pool, &summary));
  g_assert_cmpuint (summary.n_jobs, ==, n);

  /* The run recorded as it went: a joblog line and the events of every job */
  {
    g_autoptr(GFile) joblog = g_file_new_for_path (_pm_window_get_autosave_path (window));
    g_autoptr(PmPool) logged = pm_runlog_load (joblog, &error);

    g_autofree char *stem = g_strndup (_pm_window_get_autosave_path (window),
                                       strlen (_pm_window_get_autosave_path (window)) -
                                       strlen (".tsv"));
    g_autofree char *events_path = g_strconcat (stem, ".jsonl", NULL);
    g_autoptr(GFile) events = g_file_new_for_path (events_path);
    g_autoptr(PmPool) replayed = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (logged)), ==, n);
    g_assert_cmpuint (pm_pool_get_n_done (logged), ==, n);
    replayed = pm_runlog_load (events, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (replayed)), ==, n);
    g_assert_cmpuint (pm_pool_get_n_done (replayed), ==, n);
  }

  g_signal_handlers_disconnect_by_func (pool, items_changed_cb, &changes);
  close_window (window);
}

/* A preview other than the one kept in @data's "old-pool", with all its rows made */
static gboolean
new_preview_made (gpointer data)
{
  return pm_window_get_pool (data) != g_object_get_data (data, "old-pool") &&
         all_rows_made (data);
}

static gboolean
dialog_shown (gpointer data)
{
  AdwMessageDialog *dialog;

  return find_dialogs (data, &dialog) > 0;
}

/* A file of more arguments than a run in the window holds (1,000,000, as a count may make):
 * its preview makes that many rows and says, once, that the rest was not read; a preview made
 * again from it says nothing new. */
static void
test_file_past_the_cap (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-cap-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "args", NULL);
  g_autoptr(GString) text = g_string_sized_new (8000000);
  PmWindow *window = new_window ();
  AdwMessageDialog *dialog;
  const char *body;
  PmPool *pool;

  for (guint i = 1; i <= 1000001; i++)
    g_string_append_printf (text, "%u\n", i);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  set_file_run (window, "true", path, 4);
  wait_until_slow (dialog_shown, window, "the preview says the file holds too many jobs");
  pool = pm_window_get_pool (window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 1000000);
  g_assert_cmpuint (find_dialogs (window, &dialog), ==, 1);
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("%s", body);
  g_assert_nonnull (strstr (body, path));
  g_assert_nonnull (strstr (body, "pool-run"));
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Another limit: the preview is made again, from the same file, without a dialog */
  g_object_set_data (G_OBJECT (window), "old-pool", pool);
  g_settings_set_uint (_pm_window_get_settings (window), "limit", 5);
  wait_until_slow (new_preview_made, window, "the new preview's rows");
  g_assert_nonnull (pm_pool_get_source_error (pm_window_get_pool (window)));
  settle ();
  g_assert_cmpuint (find_dialogs (window, &dialog), ==, 0);

  close_window (window);
  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/window/stream/fifo-preview-says-it-is-read-by-the-run", test_fifo_preview);
  g_test_add_func ("/window/stream/fifo-run-starts-jobs-as-lines-arrive", test_fifo_run);
  g_test_add_func ("/window/stream/a-file-past-the-cap-says-what-was-not-read",
                   test_file_past_the_cap);
  g_test_add_func ("/window/stream/large-count-rows-in-batches-with-totals-right",
                   test_large_count_in_batches);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
