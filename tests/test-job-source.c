/* test-job-source.c: jobs made as their input arrives, and a pool that does not keep them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pm-job-source.h"
#include "pm-pool.h"
#include "pm-runlog.h"
#include "pm-test-util.h"

/* Live PmJob objects the source made: counted by weak references, not by timing. */
typedef struct
{
  PmTemplate *template_;
  guint       live;
  guint       peak;
  guint       made;
} Counter;

static void
job_gone_cb (gpointer  data,
             GObject  *where_the_object_was)
{
  ((Counter *)data)->live--;
}

static PmJob *
make_counted (guint               seq,
              const char * const *values,
              guint               width,
              gpointer            user_data)
{
  Counter *c = user_data;
  PmJob *job = pm_job_new_with_values (seq, values, width, c->template_);

  g_object_weak_ref (G_OBJECT (job), job_gone_cb, c);
  c->made++;
  c->live++;
  c->peak = MAX (c->peak, c->live);
  return job;
}

static void
run_counted (gboolean  keep,
             guint     n_jobs,
             Counter  *c)
{
  const char *words[] = { "true", NULL };
  g_autoptr(PmJobSource) source = NULL;
  g_autoptr(PmPool) pool = pm_pool_new (4);

  c->template_ = pm_template_new (words, NULL);
  source = pm_job_source_new (c->template_);
  pm_job_source_add_count (source, n_jobs);
  pm_job_source_set_make_func (source, make_counted, c, NULL);
  pm_pool_set_source (pool, source);
  pm_pool_set_keep_finished (pool, keep);
  g_assert_cmpint (pm_pool_get_n_total (pool), ==, -1);   /* nothing read before the start */

  pm_test_run_pool (pool, 120);

  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, n_jobs);
  g_assert_cmpuint (pm_pool_get_n_failed (pool), ==, 0);
  g_assert_cmpuint (pm_pool_get_n_jobs (pool), ==, n_jobs);
  g_assert_cmpint (pm_pool_get_n_total (pool), ==, n_jobs);
  g_clear_object (&pool);
  g_clear_object (&source);
  g_clear_pointer (&c->template_, pm_template_unref);
}

/* A pool told not to keep finished jobs holds only those queued and running: the peak of live
 * jobs stays near the limit (4) however many run. The same run keeping them is the control. */
static void
test_source_pool_does_not_hold_finished_jobs (void)
{
  Counter forgetting = { 0 };
  Counter keeping = { 0 };

  run_counted (FALSE, 400, &forgetting);
  g_assert_cmpuint (forgetting.made, ==, 400);
  g_assert_cmpuint (forgetting.peak, <=, 4 + 2);
  g_assert_cmpuint (forgetting.live, ==, 0);

  run_counted (TRUE, 400, &keeping);
  g_assert_cmpuint (keeping.peak, ==, 400);
  g_assert_cmpuint (keeping.live, ==, 0);
}

typedef struct
{
  PmPool *pool;
  guint   started;
} Started;

static void
started_cb (PmPool  *pool,
            PmJob   *job,
            Started *s)
{
  s->started++;
}

static gboolean
one_started (gpointer data)
{
  return ((Started *)data)->started >= 1;
}

static gboolean
pool_finished (gpointer data)
{
  return pm_pool_get_state (data) == PM_POOL_STATE_FINISHED;
}

/* A job starts as soon as its line is in, while the writer still holds the pipe open; the
 * total is unknown until the input ends. */
static void
test_source_starts_before_input_ends (void)
{
  const char *words[] = { "true", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_autoptr(PmJobSource) source = pm_job_source_new (t);
  g_autoptr(PmPool) pool = pm_pool_new (2);
  Started s = { pool, 0 };
  int fds[2];

  g_assert_no_errno (pipe (fds));
  pm_job_source_add_fd (source, fds[0], "a pipe", FALSE);
  pm_pool_set_source (pool, source);
  pm_pool_set_keep_finished (pool, FALSE);
  g_signal_connect (pool, "job-started", G_CALLBACK (started_cb), &s);
  g_assert_true (pm_pool_start (pool, NULL));

  g_assert_cmpint (write (fds[1], "first\n", 6), ==, 6);
  pm_test_run_until (one_started, &s, 30);
  g_assert_cmpint (pm_pool_get_n_total (pool), ==, -1);
  g_assert_cmpint (pm_pool_get_state (pool), ==, PM_POOL_STATE_RUNNING);

  g_assert_cmpint (write (fds[1], "second\nthird", 12), ==, 12);
  close (fds[1]);
  pm_test_run_until (pool_finished, pool, 30);
  g_assert_cmpuint (s.started, ==, 3);
  g_assert_cmpint (pm_pool_get_n_total (pool), ==, 3);
  close (fds[0]);
}

/* pool-run reading a FIFO the test holds open: the first job's output comes before the end. */
typedef struct
{
  GMainLoop *loop;
  char      *line;
  gboolean   timed_out;
} LineRead;

static void
line_read_cb (GObject      *stream,
              GAsyncResult *result,
              gpointer      data)
{
  LineRead *r = data;

  r->line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (stream), result, NULL, NULL);
  g_main_loop_quit (r->loop);
}

static gboolean
line_timeout_cb (gpointer data)
{
  LineRead *r = data;

  r->timed_out = TRUE;
  g_main_loop_quit (r->loop);
  return G_SOURCE_REMOVE;
}

static void
test_source_pool_run_reads_a_fifo_as_it_comes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-fifo-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "queue", NULL);
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-j", "2", "-a", fifo, "--", "echo", "got",
                         "{}", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;
  LineRead r = { loop, NULL, FALSE };
  guint timeout;
  int fd;

  g_assert_no_errno (mkfifo (fifo, 0600));
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  fd = open (fifo, O_WRONLY | O_CLOEXEC);   /* waits for pool-run to open it */
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "one\n", 4), ==, 4);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_read_cb, &r);
  timeout = g_timeout_add_seconds (60, line_timeout_cb, &r);
  g_main_loop_run (loop);
  g_assert_false (r.timed_out);
  g_source_remove (timeout);
  g_assert_cmpstr (r.line, ==, "got one");   /* while the FIFO is still open for writing */
  g_free (r.line);

  g_assert_cmpint (write (fd, "two\n", 4), ==, 4);
  close (fd);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  rest = g_data_input_stream_read_upto (out, "", 0, NULL, NULL, NULL);
  g_assert_cmpstr (rest, ==, "got two\n");
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);

  g_unlink (fifo);
  g_rmdir (dir);
}

/* A FIFO with no writer yet: opening it does not wait (it would block the main loop), and
 * nothing is read as ended before a writer has come and gone. */
static gboolean
flag_set (gpointer data)
{
  return *(gboolean *)data;
}

static void
set_flag_cb (PmJobSource *source,
             gboolean    *flag)
{
  *flag = TRUE;
}

static void
test_source_fifo_opens_without_waiting (void)
{
  const char *words[] = { "echo", NULL };
  g_autofree char *dir = g_dir_make_tmp ("pm-fifo-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "queue", NULL);
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_autoptr(PmJobSource) source = pm_job_source_new (t);
  g_autoptr(GError) error = NULL;
  gboolean ready = FALSE;
  PmJob *job;
  int fd;

  g_assert_no_errno (mkfifo (fifo, 0600));
  g_assert_true (pm_job_source_add_file (source, fifo, FALSE, &error));
  g_assert_no_error (error);
  g_signal_connect (source, "ready", G_CALLBACK (set_flag_cb), &ready);
  g_assert_null (pm_job_source_next (source));
  g_assert_false (pm_job_source_is_done (source));

  fd = open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);   /* the source holds it open */
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "a\nb\n", 4), ==, 4);
  pm_test_run_until (flag_set, &ready, 30);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_nonnull ((job = pm_job_source_next (source)));
      g_assert_cmpstr (pm_job_get_name (job), ==, i == 0 ? "a" : "b");
      g_object_unref (job);
    }
  g_assert_null (pm_job_source_next (source));
  g_assert_false (pm_job_source_is_done (source));

  ready = FALSE;
  close (fd);
  pm_test_run_until (flag_set, &ready, 30);
  g_assert_null (pm_job_source_next (source));
  g_assert_true (pm_job_source_is_done (source));
  g_assert_cmpint (pm_job_source_get_n_total (source), ==, 2);

  g_unlink (fifo);
  g_rmdir (dir);
}

/* A pool that pulls ahead (the window) makes its source's jobs as rows a batch at a time: a
 * preview's before Start, queued by the start, every one counted. */
static void
added_cb (GListModel *model,
          guint       position,
          guint       removed,
          guint       added,
          guint      *most)
{
  *most = MAX (*most, added);
}

static gboolean
rows_made (gpointer data)
{
  return g_list_model_get_n_items (data) == 25;
}

static void
test_source_pool_pulls_ahead_in_batches (void)
{
  const char *words[] = { "true", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_autoptr(PmJobSource) source = pm_job_source_new (t);
  g_autoptr(PmPool) pool = pm_pool_new (3);
  guint most = 0;

  pm_job_source_add_count (source, 25);
  pm_pool_set_source (pool, source);
  g_signal_connect (pool, "items-changed", G_CALLBACK (added_cb), &most);
  pm_pool_set_pull_ahead (pool, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 10);
  g_assert_cmpint (pm_pool_get_n_total (pool), ==, 25);
  g_assert_cmpuint (pm_pool_get_n_waiting (pool, NULL), ==, 25);
  pm_test_run_until (rows_made, pool, 30);
  g_assert_cmpuint (most, ==, 10);

  g_assert_true (pm_pool_start (pool, NULL));
  pm_test_run_until (pool_finished, pool, 30);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 25);
  g_assert_cmpuint (pm_pool_get_n_jobs (pool), ==, 25);
  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(PmJob) job = g_list_model_get_item (G_LIST_MODEL (pool), i);

      g_assert_cmpint (pm_job_get_queued_time (job), ==, pm_pool_get_start_time (pool));
      g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
    }
}

/* The source alone: records, combinations and what is known of the total when. */
static void
test_source_counts_jobs_of_lists (void)
{
  const char *words[] = { "echo", NULL };
  const char *a[] = { "a", "b", "c", NULL };
  const char *b[] = { "1", "2", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_autoptr(PmJobSource) source = pm_job_source_new (t);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  PmJob *job;

  pm_job_source_add_values (source, a, FALSE);
  pm_job_source_add_values (source, b, FALSE);
  pm_job_source_set_max_args (source, 4);
  g_assert_cmpint (pm_job_source_get_n_total (source), ==, -1);
  while ((job = pm_job_source_next (source)) != NULL)
    {
      g_ptr_array_add (names, g_strdup (pm_job_get_name (job)));
      g_object_unref (job);
    }
  g_ptr_array_add (names, NULL);

  /* 6 combinations, 4 records a job: two jobs, the last with two records */
  g_assert_cmpstrv ((char **)names->pdata,
                    ((const char * const[]) { "a 1 a 2 b 1 b 2", "c 1 c 2", NULL }));
  g_assert_true (pm_job_source_is_done (source));
  g_assert_cmpint (pm_job_source_get_n_total (source), ==, 2);
}

/* A source capped at 10 jobs: a file of exactly 10 lines ends as usual; one of 25 makes 10 and
 * ends with an error naming the file; a pool pulling ahead from it (the window's) holds 10 jobs,
 * runs them and finishes, the error there to be said. */
static void
test_source_cap_ends_with_an_error (void)
{
  const char *words[] = { "true", NULL };
  g_autoptr(PmTemplate) t = pm_template_new (words, NULL);
  g_autofree char *dir = g_dir_make_tmp ("pm-cap-XXXXXX", NULL);
  g_autofree char *ten = g_build_filename (dir, "ten", NULL);
  g_autofree char *more = g_build_filename (dir, "more", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PmJobSource) exact = pm_job_source_new (t);
  g_autoptr(PmJobSource) source = pm_job_source_new (t);
  g_autoptr(PmPool) pool = pm_pool_new (3);
  const GError *error;
  PmJob *job;
  guint n = 0;

  for (guint i = 1; i <= 25; i++)
    {
      g_string_append_printf (text, "%u\n", i);
      if (i == 10)
        g_assert_true (g_file_set_contents (ten, text->str, text->len, NULL));
    }
  g_assert_true (g_file_set_contents (more, text->str, text->len, NULL));

  g_assert_true (pm_job_source_add_file (exact, ten, FALSE, NULL));
  pm_job_source_set_max_jobs (exact, 10);
  while ((job = pm_job_source_next (exact)) != NULL)
    {
      n++;
      g_object_unref (job);
    }
  g_assert_cmpuint (n, ==, 10);
  g_assert_true (pm_job_source_is_done (exact));
  g_assert_null (pm_job_source_get_error (exact));

  g_assert_true (pm_job_source_add_file (source, more, FALSE, NULL));
  pm_job_source_set_max_jobs (source, 10);
  pm_pool_set_source (pool, source);
  pm_pool_set_pull_ahead (pool, 4);
  g_assert_true (pm_pool_start (pool, NULL));
  pm_test_run_until (pool_finished, pool, 30);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pool)), ==, 10);
  g_assert_cmpuint (pm_pool_get_n_done (pool), ==, 10);
  error = pm_pool_get_source_error (pool);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "more"));
  g_assert_nonnull (strstr (error->message, "more than 10 jobs"));
  pm_test_remove_tree (dir);
}

/* Bytes that are not UTF-8 in an argument: the event log stays UTF-8 (JSON), with an escape
 * its reader undoes, so the job comes back with its bytes; the joblog keeps them as they are. */
static void
test_source_non_utf8_round_trips_through_the_event_log (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pm-bytes-XXXXXX", NULL);
  g_autofree char *events = g_build_filename (dir, "run.jsonl", NULL);
  g_autofree char *joblog = g_build_filename (dir, "run.tsv", NULL);
  const char *argv[] = { g_getenv ("PM_POOL_RUN"), "-j", "1", "--quiet", "--events", events,
                         "--joblog", joblog, "--", "true", ":::", "a\xff\xfe" "b", "ok", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PmPool) pool = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *log = NULL;
  PmJob *job;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (events, &text, NULL, NULL));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_file_get_contents (joblog, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "true 'a\xff\xfe" "b'"));

  file = g_file_new_for_path (events);
  pool = pm_runlog_load_events (file, &error);
  g_assert_no_error (error);
  job = pm_pool_get_job_by_seq (pool, 1);
  g_assert_nonnull (job);
  g_assert_cmpstr (pm_job_get_name (job), ==, "a\xff\xfe" "b");
  g_assert_cmpstr (pm_job_get_argv (job)[1], ==, "a\xff\xfe" "b");
  g_assert_cmpstr (pm_job_get_name (pm_pool_get_job_by_seq (pool, 2)), ==, "ok");

  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/source/pool-does-not-hold-finished-jobs",
                   test_source_pool_does_not_hold_finished_jobs);
  g_test_add_func ("/source/starts-before-input-ends", test_source_starts_before_input_ends);
  g_test_add_func ("/source/pool-run-reads-a-fifo-as-it-comes",
                   test_source_pool_run_reads_a_fifo_as_it_comes);
  g_test_add_func ("/source/fifo-opens-without-waiting-for-its-writer",
                   test_source_fifo_opens_without_waiting);
  g_test_add_func ("/source/pool-pulls-ahead-in-batches", test_source_pool_pulls_ahead_in_batches);
  g_test_add_func ("/source/counts-jobs-of-lists", test_source_counts_jobs_of_lists);
  g_test_add_func ("/source/a-cap-ends-the-source-with-an-error",
                   test_source_cap_ends_with_an_error);
  g_test_add_func ("/source/non-utf8-round-trips-through-the-event-log",
                   test_source_non_utf8_round_trips_through_the_event_log);

  return g_test_run ();
}
