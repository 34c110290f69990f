/* test-hosts.c: hosts in the window, over a real OpenSSH server of the test's own
 * (pm-test-sshd.c) on 127.0.0.1: runs over this machine and ssh, a host that cannot be reached
 * said on its row before anything starts, a host lost mid-run shown where its lanes are.
 * With PM_TEST_SHOTS set to a folder, each test leaves a picture of the window there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pm-gtk-test-util.h"
#include "pm-hosts-group.h"
#include "pm-job-list-private.h"
#include "pm-test-sshd.h"
#include "pm-timeline-private.h"

static PmTestSshd *server;

/* The window as it looks now, as a PNG in $PM_TEST_SHOTS, for a person to look at */
static void
shoot (PmWindow   *window,
       const char *name)
{
  const char *dir = g_getenv ("PM_TEST_SHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int w = gtk_widget_get_width (GTK_WIDGET (window));
  int h = gtk_widget_get_height (GTK_WIDGET (window));

  if (dir == NULL)
    return;
  wait_frames (GTK_WIDGET (window), 6);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
  g_test_message ("picture: %s", path);
}

static PmHostsGroup *
hosts_group (PmWindow *window)
{
  return pm_run_settings_get_hosts_group (_pm_window_get_run_settings (window));
}

/* The texts of the lane groups' labels, as the timeline draws them, "|"-separated */
static char *
host_labels (PmWindow *window)
{
  g_autoptr(GArray) texts = _pm_timeline_collect_texts (_pm_window_get_timeline (window), FALSE,
                                                        0, 0);
  GString *labels = g_string_new (NULL);

  for (guint i = 0; i < texts->len; i++)
    {
      PmTimelineText *text = &g_array_index (texts, PmTimelineText, i);

      if (text->kind == PM_TIMELINE_TEXT_HOST)
        g_string_append_printf (labels, "%s%s", labels->len > 0 ? "|" : "", text->text);
    }
  return g_string_free (labels, FALSE);
}

/* No host label covers another text of the timeline (a bar's name, a "slot N") */
static void
assert_host_labels_clear (PmWindow *window)
{
  g_autoptr(GArray) texts = _pm_timeline_collect_texts (_pm_window_get_timeline (window), FALSE,
                                                        0, 0);

  for (guint i = 0; i < texts->len; i++)
    {
      PmTimelineText *a = &g_array_index (texts, PmTimelineText, i);

      if (a->kind != PM_TIMELINE_TEXT_HOST)
        continue;
      for (guint j = 0; j < texts->len; j++)
        {
          PmTimelineText *b = &g_array_index (texts, PmTimelineText, j);

          if (i != j && rects_overlap (&a->rect, &b->rect))
            g_error ("“%s” covers “%s”", a->text, b->text);
        }
    }
}

static void
set_hosts (PmWindow   *window,
           const char *first,
           ...)
{
  GSettings *settings = _pm_window_get_settings (window);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hosts = NULL;
  va_list args;

  va_start (args, first);
  for (const char *host = first; host != NULL; host = va_arg (args, const char *))
    g_strv_builder_add (builder, host);
  va_end (args);
  hosts = g_strv_builder_end (builder);
  g_settings_set_string (settings, "ssh-command", server->ssh);
  g_settings_set_strv (settings, "hosts", (const char * const *)hosts);
}

static gboolean
pool_started (gpointer data)
{
  PmPool *pool = pm_window_get_pool (data);

  return pool != NULL && pm_pool_get_state (pool) != PM_POOL_STATE_IDLE;
}

static gboolean
remote_job_started (gpointer data)
{
  PmPool *pool = pm_window_get_pool (data);

  for (guint i = 0; pool != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      if (pm_job_get_slot (job) > 2 && pm_job_get_start_time (job) > 0)
        return TRUE;
    }
  return FALSE;
}

/* What the timeline's tooltip says over lane @slot's label */
static char *
lane_tooltip (PmWindow *window,
              guint     slot)
{
  PmTimeline *timeline = _pm_window_get_timeline (window);
  graphene_rect_t rect;

  g_assert_true (_pm_timeline_get_lane_rect (timeline, slot, &rect));
  return _pm_timeline_dup_tooltip (timeline, 5, rect.origin.y + rect.size.height / 2);
}

/* A demo run of 8 jobs over this machine (2 slots) and 127.0.0.1 through ssh (2 slots): jobs
 * run on both, the Host column says where each ran, and the timeline labels each host's lanes;
 * a lane's tooltip says where its slot process runs. */
static void
test_run_over_two_hosts (void)
{
  PmWindow *window;
  PmPool *pool;
  PmJobList *list;
  g_autofree char *login = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GtkColumnViewColumn) host_column = NULL;
  guint here = 0, there = 0;
  gint64 queued = 0, first_here = 0, first_there = 0;

  if (!pm_test_sshd_need (&server))
    return;
  window = new_window ();
  login = pm_test_sshd_login (server, "127.0.0.1");
  remote = g_strdup_printf ("2/%s", login);
  set_hosts (window, "2/:", remote, NULL);
  g_settings_set_uint (_pm_window_get_settings (window), "count", 8);
  g_settings_set_double (_pm_window_get_settings (window), "sleep-min", 0.2);
  g_settings_set_double (_pm_window_get_settings (window), "sleep-max", 0.5);
  /* Start checks the hosts first, then starts */
  activate (window, "start");
  wait_until_slow (pool_started, window, "the run starts once the hosts are checked");
  wait_until_slow (remote_job_started, window, "a job starts on the remote lanes");
  /* That job sleeps at least 0.2 s: the run is still on */
  g_assert_true (pm_pool_is_active (pm_window_get_pool (window)));
    {
      g_autofree char *here_tip = lane_tooltip (window, 1);
      g_autofree char *there_tip = NULL;
      g_autofree char *on_host = NULL;

      there_tip = lane_tooltip (window, 3);
      on_host = g_strdup_printf ("a pool-slot process on %s", login);
      g_test_message ("lane 1: %s; lane 3: %s", here_tip, there_tip);
      g_assert_nonnull (strstr (here_tip, "the pool-slot process PID"));
      g_assert_nonnull (strstr (there_tip, on_host));
    }
  wait_until_slow (pool_finished, window, "the run over two hosts ends");
  pool = pm_window_get_pool (window);
  g_assert_cmpuint (pm_pool_get_max_workers (pool), ==, 4);

  list = _pm_window_get_job_list (window);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);
      g_autofree char *cell = _pm_job_list_dup_cell_text (list, job, PM_COLUMN_HOST);
      const char *host = pm_job_get_host (job);

      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
      queued = queued ? MIN (queued, pm_job_get_queued_time (job)) : pm_job_get_queued_time (job);
      if (g_str_equal (host, ":"))
        {
          first_here = first_here ? MIN (first_here, pm_job_get_start_time (job))
                                  : pm_job_get_start_time (job);
          here++;
          g_assert_cmpuint (pm_job_get_slot (job), <=, 2);
          g_assert_cmpstr (cell, ==, "this machine");
        }
      else
        {
          first_there = first_there ? MIN (first_there, pm_job_get_start_time (job))
                                    : pm_job_get_start_time (job);
          there++;
          g_assert_cmpstr (host, ==, login);
          g_assert_cmpuint (pm_job_get_slot (job), >, 2);
          g_assert_cmpstr (cell, ==, login);
        }
    }
  g_assert_cmpuint (here, >, 0);
  g_assert_cmpuint (there, >, 0);
  /* For the record, not asserted: how long after the first job here the first one there began
   * (the check, then an ssh login per remote slot) */
  g_test_message ("first start here %.2f s, there %.2f s after Start",
                  (first_here - queued) / 1e6, (first_there - queued) / 1e6);

  /* The Host column shows, after Slot */
  host_column = g_list_model_get_item (gtk_column_view_get_columns (_pm_job_list_get_column_view (list)),
                                       PM_COLUMN_HOST);
  g_assert_cmpstr (gtk_column_view_column_get_title (host_column), ==, "Host");
  g_assert_true (gtk_column_view_column_get_visible (host_column));

  labels = host_labels (window);
  expected = g_strdup_printf ("this machine|%s", login);
  g_assert_cmpstr (labels, ==, expected);
  assert_host_labels_clear (window);
  status = _pm_hosts_group_dup_status (hosts_group (window), 1);
  g_assert_true (g_str_has_prefix (status, "Ready: "));
  shoot (window, "hosts-run.png");
  close_window (window);
}

static char *
last_row_status (PmWindow *window)
{
  g_auto(GStrv) hosts = g_settings_get_strv (_pm_window_get_settings (window), "hosts");

  return _pm_hosts_group_dup_status (hosts_group (window), g_strv_length (hosts) - 1);
}


static gboolean
row_down (gpointer data)
{
  g_autofree char *status = last_row_status (data);

  return g_str_has_prefix (status, "Down: ");
}

/* A host nobody answers on: its row says ssh's reason when Start is pressed, and with no other
 * host nothing starts; with this machine beside it, the run goes on there alone. */
static void
test_unreachable_before_start (void)
{
  PmWindow *window;
  PmPool *pool;
  PmTestSshd *gone;
  g_autofree char *closed = NULL;
  g_autofree char *status = NULL;

  if (!pm_test_sshd_need (&server))
    return;
  /* a port of a server that was there and is gone */
  gone = pm_test_sshd_start (server->user_key);
  closed = g_strdup_printf ("127.0.0.1:%u", gone->port);
  pm_test_sshd_free (gone);

  window = new_window ();
  set_hosts (window, closed, NULL);
  activate (window, "start");
  wait_until_slow (row_down, window, "the unreachable host's row says it is down");
  settle ();
  status = last_row_status (window);
  g_test_message ("row: %s", status);
  g_assert_nonnull (strstr (status, "Connection refused"));
  pool = pm_window_get_pool (window);
  g_assert_true (pool == NULL || pm_pool_get_state (pool) == PM_POOL_STATE_IDLE);
  shoot (window, "hosts-none-up.png");

  /* This machine too: the run goes there, the row still says why the other is not used */
  set_hosts (window, "1/:", closed, NULL);
  activate (window, "start");
  wait_until_slow (pool_started, window, "the run starts on this machine");
  g_clear_pointer (&status, g_free);
  status = _pm_hosts_group_dup_status (hosts_group (window), 1);
  g_assert_true (g_str_has_prefix (status, "Down: "));
  pm_hosts_group_focus_error (hosts_group (window));
  shoot (window, "hosts-unreachable.png");
  wait_until_slow (pool_finished, window, "the run on this machine ends");
  pool = pm_window_get_pool (window);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      g_assert_cmpstr (pm_job_get_host (job), ==, ":");
      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
    }
  close_window (window);
}

typedef struct
{
  PmWindow   *window;
  const char *host;
} JobOn;

static gboolean
job_running_on (gpointer data)
{
  JobOn *on = data;
  PmPool *pool = pm_window_get_pool (on->window);

  for (guint i = 0; pool && i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      if (pm_job_get_state (job) == PM_JOB_STATE_RUNNING && pm_job_get_pid (job) > 0 &&
          g_str_equal (pm_job_get_host (job), on->host))
        return TRUE;
    }
  return FALSE;
}

static gboolean
lane_group_down (gpointer data)
{
  g_autofree char *labels = host_labels (data);

  return strstr (labels, "|down: ") != NULL;
}

/* A host whose sshd and sessions are killed while a job runs there: its lanes say it is down
 * and why, its job fails with "lost host", its row in the settings says so, and the run ends. */
static void
test_host_killed_mid_run (void)
{
  PmWindow *window;
  PmTestSshd *doomed;
  PmPool *pool;
  g_autofree char *login = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *status = NULL;
  gboolean lost = FALSE;
  JobOn on;

  if (!pm_test_sshd_need (&server))
    return;
  doomed = pm_test_sshd_start (server->user_key);
  login = pm_test_sshd_login (doomed, "127.0.0.1");
  remote = g_strdup_printf ("1/%s", login);
  window = new_window ();
  set_hosts (window, "1/:", remote, NULL);
  g_settings_set_string (_pm_window_get_settings (window), "ssh-command", doomed->ssh);
  g_settings_set_uint (_pm_window_get_settings (window), "count", 3);
  g_settings_set_double (_pm_window_get_settings (window), "sleep-min", 3);
  g_settings_set_double (_pm_window_get_settings (window), "sleep-max", 3);
  activate (window, "start");
  on.window = window;
  on.host = login;
  wait_until_slow (job_running_on, &on, "a job runs on the host to be lost");

  pm_test_sshd_kill (doomed);
  wait_until_slow (lane_group_down, window, "the lost host's lanes say it is down");
  labels = host_labels (window);
  g_test_message ("lane groups: %s", labels);
  g_assert_nonnull (strstr (labels, "lost host"));
  status = _pm_hosts_group_dup_status (hosts_group (window), 1);
  g_assert_true (g_str_has_prefix (status, "Down: "));
  shoot (window, "hosts-lost.png");

  wait_until_slow (pool_finished, window, "the run ends without the lost host");
  pool = pm_window_get_pool (window);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      if (g_str_equal (pm_job_get_host (job), login))
        {
          g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_FAILED);
          g_assert_nonnull (strstr (pm_job_get_error_message (job), "lost host"));
          lost = TRUE;
        }
      else
        g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
    }
  g_assert_true (lost);
  close_window (window);
  pm_test_sshd_free (doomed);
}

static gboolean
row_ready (gpointer data)
{
  g_autofree char *status = last_row_status (data);

  return g_str_has_prefix (status, "Ready: ");
}

/* Without any sshd: a login that cannot be read says why on its row at once; Check looks at
 * the others (this machine: ready, with its CPUs). */
static void
test_wrong_login_and_check (void)
{
  PmWindow *window = new_window ();
  PmHostsGroup *group = hosts_group (window);
  g_autofree char *wrong = NULL;
  g_autofree char *here = NULL;

  g_settings_set_strv (_pm_window_get_settings (window), "hosts",
                       (const char * const[]) { "0/somewhere", ":", NULL });
  settle ();
  g_assert_true (pm_hosts_group_has_hosts (group));
  wrong = _pm_hosts_group_dup_status (group, 0);
  here = _pm_hosts_group_dup_status (group, 1);
  g_test_message ("rows: %s | %s", wrong, here);
  g_assert_nonnull (strstr (wrong, "0/somewhere"));
  g_assert_cmpstr (here, ==, "This machine");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (group), "hosts.check", NULL));
  wait_until (row_ready, window, "this machine is checked");

  g_settings_set_strv (_pm_window_get_settings (window), "hosts", NULL);
  settle ();
  g_assert_false (pm_hosts_group_has_hosts (group));
  close_window (window);
}

/* A joblog as GNU parallel writes it after -S: each job's Host is read back, the Host column
 * shows it ("this machine" for ":", as the timeline says). No sshd needed. */
static void
test_joblog_hosts (void)
{
  PmWindow *window = new_window ();
  PmJobList *list = _pm_window_get_job_list (window);
  g_autofree char *dir = g_dir_make_tmp ("pm-test-hosts-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "joblog", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkColumnViewColumn) host_column = NULL;
  const char *hosts[] = { ":", "server1", "alice@server2:2222" };
  PmPool *pool;

  g_assert_true (g_file_set_contents (path,
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n"
    "1\t:\t1795600000.000\t     1.000\t0\t0\t0\t0\techo 1\n"
    "2\tserver1\t1795600000.000\t     1.000\t0\t0\t0\t0\techo 2\n"
    "3\talice@server2:2222\t1795600000.500\t     1.000\t0\t0\t0\t0\techo 3\n", -1, NULL));
  g_assert_true (_pm_window_open (window, file, &error));
  g_assert_no_error (error);
  wait_frames (GTK_WIDGET (list), 3);
  pool = pm_window_get_pool (window);
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      PmJob *job = pm_pool_get_job_by_seq (pool, i + 1);
      g_autofree char *cell = _pm_job_list_dup_cell_text (list, job, PM_COLUMN_HOST);

      g_assert_cmpstr (pm_job_get_host (job), ==, hosts[i]);
      g_assert_cmpstr (cell, ==, i == 0 ? "this machine" : hosts[i]);
    }
  host_column = g_list_model_get_item (gtk_column_view_get_columns (_pm_job_list_get_column_view (list)),
                                       PM_COLUMN_HOST);
  g_assert_true (gtk_column_view_column_get_visible (host_column));
  close_window (window);
  pm_test_remove_tree (dir);
}

static gboolean
preview_ready (gpointer data)
{
  PmWindow *window = data;

  return window->pool != NULL && window->preview_source == 0;
}

static gboolean
a_job_awaits_files (gpointer data)
{
  PmPool *pool = pm_window_get_pool (data);

  for (guint i = 0; pool != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (pool)); i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      if (pm_pool_job_awaits_files (pool, job))
        return TRUE;
    }
  return FALSE;
}

/* A job whose file is still on its way to the host (--transfer of a large file, sparse here,
 * whole bytes on the wire) holds its lane without running. Kill, or Stop, from the window ends
 * it at once: cancelled, since it never ran; the run ends. */
static void
files_ended_by (const char *action)
{
  PmWindow *window;
  PmPool *pool;
  PmJob *job;
  g_autofree char *dir = g_dir_make_tmp ("pm-test-hosts-XXXXXX", NULL);
  g_autofree char *big = g_build_filename (dir, "big", NULL);
  g_autofree char *sent = g_build_filename (dir, ".", "big", NULL);
  g_autofree char *there = g_build_filename (dir, "there", NULL);
  g_autofree char *login = NULL;
  g_autofree char *remote = NULL;
  g_autoptr(PmTemplate) transfer = NULL;
  g_autoptr(PmTemplate) workdir = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  if (!pm_test_sshd_need (&server))
    return;
  fd = open (big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 512 * 1024 * 1024), ==, 0);
  close (fd);
  transfer = pm_template_new ((const char * const[]) { sent, NULL }, &error);
  g_assert_no_error (error);
  workdir = pm_template_new ((const char * const[]) { there, NULL }, &error);
  g_assert_no_error (error);

  window = new_window ();
  login = pm_test_sshd_login (server, "127.0.0.1");
  remote = g_strdup_printf ("1/%s", login);
  set_hosts (window, remote, NULL);
  g_settings_set_uint (_pm_window_get_settings (window), "count", 2);
  g_settings_set_double (_pm_window_get_settings (window), "sleep-min", 1);
  g_settings_set_double (_pm_window_get_settings (window), "sleep-max", 1);
  /* Start runs the preview's pool: its jobs' files are set there (the window has no such
   * setting; pool-run does) */
  wait_until (preview_ready, window, "the preview is made");
  g_assert_true (pm_pool_set_files (pm_window_get_pool (window), NULL, transfer, NULL, workdir,
                                    FALSE, &error));
  g_assert_no_error (error);
  activate (window, "start");
  wait_until_slow (a_job_awaits_files, window, "job 1 waits for its file");
  pool = pm_window_get_pool (window);
  job = pm_pool_get_job_by_seq (pool, 1);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_QUEUED);
  pm_job_list_select_job (_pm_window_get_job_list (window), job);
  settle ();
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "job-kill"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "job-terminate"));

  activate (window, action);
  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_CANCELLED);
  g_assert_false (pm_pool_job_awaits_files (pool, job));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "job-kill"));
  if (g_str_equal (action, "stop"))
    {
      wait_until_slow (pool_finished, window, "the stopped run ends");
      g_assert_cmpuint (pm_pool_get_n_cancelled (pool), ==, 2);
    }
  else
    {
      /* the next job takes the lane, and waits for its file: ended the same way */
      wait_until_slow (a_job_awaits_files, window, "job 2 waits for its file");
      g_assert_true (pm_pool_job_awaits_files (pool, pm_pool_get_job_by_seq (pool, 2)));
      activate (window, "stop");
      wait_until_slow (pool_finished, window, "the run ends");
      g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, 2)), ==,
                       PM_JOB_STATE_CANCELLED);
    }
  for (guint seq = 1; seq <= 2; seq++)
    g_assert_cmpint (pm_job_get_state (pm_pool_get_job_by_seq (pool, seq)), ==,
                     PM_JOB_STATE_CANCELLED);
  close_window (window);
  pm_test_remove_tree (dir);
}

static gboolean
preview_has_lanes (gpointer data)
{
  PmWindow *window = data;

  return preview_ready (window) &&
         pm_pool_get_max_workers (window->pool) == GPOINTER_TO_UINT (
           g_object_get_data (G_OBJECT (window), "lanes"));
}

/* Before Start, the preview's lanes are grouped by host as the run's will be: each host its
 * N/ slots, or the limit where the login gives none; labelled in the timeline. No sshd: the
 * hosts are not reached for a preview. */
static void
test_preview_groups_lanes (void)
{
  PmWindow *window = new_window ();
  GSettings *settings = _pm_window_get_settings (window);
  g_autofree char *labels = NULL;
  PmPool *pool;

  g_settings_set_uint (settings, "limit", 2);
  g_settings_set_uint (settings, "count", 6);
  g_settings_set_strv (settings, "hosts",
                       (const char * const[]) { ":", "3/somewhere.invalid", NULL });
  g_object_set_data (G_OBJECT (window), "lanes", GUINT_TO_POINTER (5));
  wait_until (preview_has_lanes, window, "the preview has 2 lanes here and 3 there");
  pool = pm_window_get_pool (window);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_IDLE);
  g_assert_true (pm_host_is_local (pm_pool_get_lane_host (pool, 2)));
  g_assert_cmpstr (pm_host_get_login (pm_pool_get_lane_host (pool, 3)), ==, "somewhere.invalid");
  g_assert_cmpstr (pm_host_get_login (pm_pool_get_lane_host (pool, 5)), ==, "somewhere.invalid");
  wait_frames (GTK_WIDGET (window), 3);
  /* a queued job has no host yet: the lane it gets decides */
  {
    g_autofree char *cell = _pm_job_list_dup_cell_text (_pm_window_get_job_list (window),
                                                        pm_pool_get_job_by_seq (pool, 1),
                                                        PM_COLUMN_HOST);
    g_assert_true (cell == NULL || cell[0] == '\0');
  }
  labels = host_labels (window);
  g_assert_cmpstr (labels, ==, "this machine|somewhere.invalid");
  assert_host_labels_clear (window);
  shoot (window, "hosts-preview.png");

  /* the limit is the slots of a host without N/: the preview follows it */
  g_settings_set_uint (settings, "limit", 4);
  g_object_set_data (G_OBJECT (window), "lanes", GUINT_TO_POINTER (7));
  wait_until (preview_has_lanes, window, "the preview has 4 lanes here and 3 there");
  g_assert_cmpstr (pm_host_get_login (pm_pool_get_lane_host (pm_window_get_pool (window), 5)),
                   ==, "somewhere.invalid");

  /* without hosts, every lane is here, ungrouped */
  g_settings_set_strv (settings, "hosts", NULL);
  g_object_set_data (G_OBJECT (window), "lanes", GUINT_TO_POINTER (4));
  wait_until (preview_has_lanes, window, "the preview has the limit's 4 lanes");
  g_assert_null (pm_pool_get_lane_host (pm_window_get_pool (window), 1));
  wait_frames (GTK_WIDGET (window), 3);
  g_clear_pointer (&labels, g_free);
  labels = host_labels (window);
  g_assert_cmpstr (labels, ==, "");
  close_window (window);
}

static void
test_kill_while_files_go (void)
{
  files_ended_by ("job-kill");
}

static void
test_stop_while_files_go (void)
{
  files_ended_by ("stop");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  pm_gtk_test_init (&argc, &argv);
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/hosts/settings/a-wrong-login-says-why-and-check-looks-at-the-rest",
                   test_wrong_login_and_check);
  g_test_add_func ("/hosts/log/a-joblog-s-hosts-show-in-the-host-column", test_joblog_hosts);
  g_test_add_func ("/hosts/preview/lanes-are-grouped-by-host-before-start",
                   test_preview_groups_lanes);
  g_test_add_func ("/hosts/run/over-this-machine-and-ssh-shows-where-each-job-ran",
                   test_run_over_two_hosts);
  g_test_add_func ("/hosts/settings/an-unreachable-host-says-why-before-start",
                   test_unreachable_before_start);
  g_test_add_func ("/hosts/run/a-host-lost-mid-run-shows-down-on-its-lanes",
                   test_host_killed_mid_run);
  g_test_add_func ("/hosts/files/kill-ends-a-job-whose-file-is-on-its-way",
                   test_kill_while_files_go);
  g_test_add_func ("/hosts/files/stop-ends-a-job-whose-file-is-on-its-way",
                   test_stop_while_files_go);

  status = g_test_run ();
  g_clear_pointer (&server, pm_test_sshd_free);
  return status;
}
