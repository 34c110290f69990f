/* test-job-cells.c: what the job list's cells say fits them: every state in the State column,
 * every signal a job can die of in the Exit column
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "pm-gtk-test-util.h"
#include "pm-job-list-private.h"

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

int
main (int   argc,
      char *argv[])
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/job-cells/state/fits-its-column", test_state_fits_its_column);
  g_test_add_func ("/job-cells/exit/fits-its-column", test_exit_fits_its_column);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
