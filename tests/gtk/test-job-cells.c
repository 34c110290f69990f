/* test-job-cells.c: what the job list's cells say fits them: every state in the State column,
 * every signal a job can die of in the Exit column; what a finished job cost, in its cells and
 * its details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "pm-gtk-test-util.h"
#include "pm-job-list-private.h"
#include "pm-job-private.h"

/* @text, set in @cell's font, is no wider than @cell. */
static void
assert_fits (GtkWidget  *cell,
             const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (cell, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  g_test_message ("\"%s\": %d px in a cell of %d px", text, width, gtk_widget_get_width (cell));
  g_assert_cmpint (width, <=, gtk_widget_get_width (cell));
}

/* A window showing @joblog (its text) as a run read from a file. */
static PmWindow *
open_joblog (const char *joblog,
             char      **dir)
{
  PmWindow *window = new_window ();
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  *dir = g_dir_make_tmp ("pm-test-cells-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "joblog.tsv", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (g_file_set_contents (path, joblog, -1, &error));
  g_assert_no_error (error);
  g_assert_true (_pm_window_open (window, file, &error));
  g_assert_no_error (error);
  wait_frames (GTK_WIDGET (_pm_window_get_job_list (window)), 3);
  return window;
}

/* Every state shows in full in the State column: each label, and each with a second attempt's
 * number, is no wider than the cell of a job that could not start (the longest label). The
 * window refuses a command it cannot find before the run, so that job comes from a log, one
 * pool-run could have written. */
static void
test_state_fits_its_column (void)
{
  g_autofree char *dir = NULL;
  PmWindow *window;
  PmJobList *list;
  const char *text;
  GtkWidget *cell;
  PmJob *job;

  window = open_joblog (
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tSlot\tPID\t"
    "Queued\tEnd\tAttempt\tState\tName\n"
    "1\t:\t1795600000.000\t     0.010\t0\t0\t0\t0\ttrue\t1\t20001\t1795600000.000\t"
    "1795600000.010\t1\tsucceeded\ttrue\n"
    "2\t:\t1795600000.010\t     0.000\t0\t0\t-1\t0\tpm-no-such-command\t1\t0\t"
    "1795600000.000\t1795600000.010\t1\tfailed-to-start\tpm-no-such-command\n", &dir);
  list = _pm_window_get_job_list (window);

  job = pm_pool_get_job_by_seq (pm_window_get_pool (window), 2);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_FAILED_TO_START);
  cell = _pm_job_list_get_cell_widget (list, job, PM_COLUMN_STATE);
  g_assert_nonnull (cell);
  text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));
  g_assert_cmpstr (text, ==, pm_job_state_to_label (PM_JOB_STATE_FAILED_TO_START));
  for (PmJobState state = PM_JOB_STATE_QUEUED; state <= PM_JOB_STATE_CANCELLED; state++)
    for (guint attempt = 1; attempt <= 2; attempt++)
      {
        g_autofree char *label = attempt == 1
          ? g_strdup (pm_job_state_to_label (state))
          : g_strdup_printf ("%s #%u", pm_job_state_to_label (state), attempt);

        assert_fits (cell, label);
      }

  close_window (window);
  pm_test_remove_tree (dir);
}

/* Every signal shows in full in the Exit column, as the cell of a job killed by SIGTERM
 * says it: "SIGTERM" read "SIGTE…" there, seen in a screenshot of GNU parallel's joblog. A
 * signal without a name (the real-time ones) reads "signal N". */
static void
test_exit_fits_its_column (void)
{
  g_autofree char *dir = NULL;
  PmWindow *window = open_joblog (
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n"
    "1\t:\t1795600000.000\t     0.010\t0\t0\t0\t15\tsleep 1\n", &dir);
  PmJobList *list = _pm_window_get_job_list (window);
  PmJob *job = pm_pool_get_job_by_seq (pm_window_get_pool (window), 1);
  GtkWidget *cell;

  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_KILLED);
  cell = _pm_job_list_get_cell_widget (list, job, PM_COLUMN_EXIT);
  g_assert_nonnull (cell);
  g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell)), ==, "SIGTERM");
  for (int signum = 1; signum < SIGRTMAX; signum++)
    {
      const char *abbrev = sigabbrev_np (signum);
      g_autofree char *text = abbrev ? g_strdup_printf ("SIG%s", abbrev)
                                     : g_strdup_printf ("signal %d", signum);

      assert_fits (cell, text);
    }

  close_window (window);
  pm_test_remove_tree (dir);
}

static char *
cell_text (PmJobList *list,
           PmJob     *job,
           PmColumn   column)
{
  GtkWidget *cell = _pm_job_list_get_cell_widget (list, job, column);

  g_assert_nonnull (cell);
  return g_strdup (gtk_inscription_get_text (GTK_INSCRIPTION (cell)));
}

#define assert_cell(list, job, column, expected) \
  G_STMT_START { \
    g_autofree char *text_ = cell_text (list, job, column); \
    g_assert_cmpstr (text_, ==, expected); \
  } G_STMT_END

/* The text of the first label under @widget that begins with @prefix, or NULL */
static const char *
find_label (GtkWidget  *widget,
            const char *prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return gtk_label_get_text (GTK_LABEL (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = find_label (child, prefix);

      if (text != NULL)
        return text;
    }
  return NULL;
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *n)
{
  (*n)++;
}

/* A finished job shows what its rusage said: its CPU time in CPU Time, its peak memory in
 * Memory, and both in its details; a job without them shows neither, and nothing in CPU %,
 * which is for running jobs. Resources set on a job that shows update its cells through the
 * job's notify: no row is bound again, the pool says no items changed. The figures fit their
 * cells. */
static void
test_finished_job_shows_its_resources (void)
{
  g_autofree char *dir = NULL;
  PmWindow *window = open_joblog (
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tSlot\tPID\t"
    "Queued\tEnd\tAttempt\tState\tName\tCPU\tMemory\n"
    "1\t:\t1795600000.000\t     2.000\t0\t0\t0\t0\twork 1\t1\t20001\t1795600000.000\t"
    "1795600002.000\t1\tsucceeded\tone\t1.234\t12582912\n"
    "2\t:\t1795600000.000\t     1.000\t0\t0\t3\t0\twork 2\t2\t20002\t1795600000.000\t"
    "1795600001.000\t1\tfailed\ttwo\t\t\n"
    "3\t:\t1795600001.000\t    80.000\t0\t0\t0\t0\twork 3\t2\t20003\t1795600000.000\t"
    "1795600081.000\t1\tsucceeded\tthree\t75.500\t\n", &dir);
  PmJobList *list = _pm_window_get_job_list (window);
  PmPool *pool = pm_window_get_pool (window);
  GListModel *columns = gtk_column_view_get_columns (_pm_job_list_get_column_view (list));
  PmJob *one = pm_pool_get_job_by_seq (pool, 1);
  PmJob *two = pm_pool_get_job_by_seq (pool, 2);
  PmJob *three = pm_pool_get_job_by_seq (pool, 3);
  GtkWidget *details = GTK_WIDGET (window->job_details);
  guint binds = 0, items_changed = 0;

  {
    g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, PM_COLUMN_CPU_TIME);
    g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, "CPU Time");
  }

  assert_cell (list, one, PM_COLUMN_CPU_TIME, "1.23 s");
  assert_cell (list, one, PM_COLUMN_MEMORY, "12.0\u00a0MiB");
  assert_cell (list, one, PM_COLUMN_CPU, NULL);
  assert_cell (list, two, PM_COLUMN_CPU_TIME, NULL);
  assert_cell (list, two, PM_COLUMN_MEMORY, NULL);
  assert_cell (list, three, PM_COLUMN_CPU_TIME, "1:15.5");
  assert_cell (list, three, PM_COLUMN_MEMORY, NULL);

  assert_fits (_pm_job_list_get_cell_widget (list, one, PM_COLUMN_CPU_TIME), "59.99 s");
  assert_fits (_pm_job_list_get_cell_widget (list, one, PM_COLUMN_CPU_TIME), "59:59.9");
  assert_fits (_pm_job_list_get_cell_widget (list, one, PM_COLUMN_MEMORY), "1023.9 MiB");

  /* a joblog keeps only the sum of user and system time */
  pm_job_list_select_job (list, one);
  settle ();
  g_assert_cmpstr (find_label (details, "CPU time:"), ==,
                   "CPU time: 1.234 s\nPeak memory: 12.0\u00a0MiB");
  pm_job_list_select_job (list, two);
  settle ();
  g_assert_null (find_label (details, "CPU time:"));
  g_assert_null (find_label (details, "Peak memory:"));

  /* the job's notify, and nothing structural */
  count_binds (_pm_job_list_get_column_view (list), &binds);
  g_signal_connect (pool, "items-changed", G_CALLBACK (count_items_changed_cb), &items_changed);
  _pm_job_set_resources (two, 250000, 50000, 2 * 1024 * 1024);
  assert_cell (list, two, PM_COLUMN_CPU_TIME, "0.30 s");
  assert_cell (list, two, PM_COLUMN_MEMORY, "2.0\u00a0MiB");
  g_assert_cmpstr (find_label (details, "CPU time:"), ==,
                   "CPU time: user 0.250 s, system 0.050 s\nPeak memory: 2.0\u00a0MiB");
  settle ();
  g_assert_cmpuint (binds, ==, 0);
  g_assert_cmpuint (items_changed, ==, 0);

  count_binds (_pm_job_list_get_column_view (list), NULL);
  g_signal_handlers_disconnect_by_func (pool, count_items_changed_cb, &items_changed);
  close_window (window);
  pm_test_remove_tree (dir);
}

/* The details pane lays its job page out with the run's first job once the main loop is idle
 * (pm_job_details_prepare ()), and shows none of it: with nothing selected it holds no job and
 * no text of one; a job selected before that idle stays the job shown. */
static void
test_details_prepared_page_shows_no_job (void)
{
  const char *joblog =
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tSlot\tPID\t"
    "Queued\tEnd\tAttempt\tState\tName\n"
    "1\t:\t1795600000.000\t     2.000\t0\t0\t0\t0\twork 1\t1\t20001\t1795600000.000\t"
    "1795600002.000\t1\tsucceeded\tone\n"
    "2\t:\t1795600000.000\t     1.000\t0\t0\t3\t0\twork 2\t2\t20002\t1795600000.000\t"
    "1795600001.000\t1\tfailed\ttwo\n";

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autofree char *dir = NULL;
      PmWindow *window = open_joblog (joblog, &dir);
      PmJobList *list = _pm_window_get_job_list (window);
      PmPool *pool = pm_window_get_pool (window);
      PmJob *two = pm_pool_get_job_by_seq (pool, 2);
      GtkWidget *details = GTK_WIDGET (window->job_details);

      /* (the window asked for it as it opened the log; asked again, it is still to come) */
      if (pass == 1)
        {
          pm_job_details_prepare (window->job_details, pool);
          pm_job_list_select_job (list, two);
        }
      settle ();
      if (pass == 0)
        {
          g_assert_null (pm_job_details_get_job (window->job_details));
          g_assert_null (find_label (details, "1 · one"));
          g_assert_null (find_label (details, "POOL_SEQ="));
          pm_job_list_select_job (list, two);
          settle ();
        }
      g_assert_true (pm_job_details_get_job (window->job_details) == two);
      g_assert_nonnull (find_label (details, "2 · two"));
      g_assert_null (find_label (details, "1 · one"));
      close_window (window);
      pm_test_remove_tree (dir);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/job-cells/state/fits-its-column", test_state_fits_its_column);
  g_test_add_func ("/job-cells/details/prepared-page-shows-no-job",
                   test_details_prepared_page_shows_no_job);
  g_test_add_func ("/job-cells/exit/fits-its-column", test_exit_fits_its_column);
  g_test_add_func ("/job-cells/resources/a-finished-job-shows-what-it-cost",
                   test_finished_job_shows_its_resources);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
