/* test-pool-pass.c: whole lines handed from a job's pipe to the front end (pm-pool-pass.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pm-pool.h"
#include "pm-test-util.h"
#include "pm-util.h"

#define N_LINES 400000

typedef enum
{
  TAKE,            /* the lines are taken at once */
  REFUSE_ODD,      /* every other offer is refused: the pool reads those lines */
  TAKE_RECLAIMED,  /* taken only when the pool asks for its pipe back (a reader that does not
                    * read, until the job has ended) */
} Way;

typedef struct
{
  PmPool     *pool;
  GByteArray *out;          /* everything, passed and signalled, in the order it came */
  Way         way;
  guint       asked;
  guint       passed;       /* how many times the lines were taken */
  guint64     passed_bytes;
  guint       reclaimed;
  int         pending_fd;   /* TAKE_RECLAIMED: the pipe, its lines and their token */
  gsize       pending_len;
  guint64     pending_token;
} Front;

typedef struct
{
  Front   *front;
  guint64  token;
} Later;

static gboolean
passed_later_cb (gpointer user_data)
{
  Later *later = user_data;

  pm_pool_output_passed (later->front->pool, later->token);
  g_free (later);
  return G_SOURCE_REMOVE;
}

/* Takes @len bytes of lines from @pipe_fd */
static void
take (Front *front,
      int    pipe_fd,
      gsize  len)
{
  gsize at = front->out->len;

  /* What came before ended a line */
  g_assert_true (at == 0 || front->out->data[at - 1] == '\n');
  g_byte_array_set_size (front->out, at + len);
  while (len > 0)
    {
      gssize n = read (pipe_fd, front->out->data + front->out->len - len, len);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);   /* the pipe holds them: it never says EAGAIN here */
      len -= n;
    }
  /* and these are whole lines */
  g_assert_cmpint (front->out->data[front->out->len - 1], ==, '\n');
  front->passed++;
  front->passed_bytes += front->out->len - at;
}

/* Takes the lines as pool-run's output thread does, and says so from the main loop later */
static gboolean
pass_cb (PmPool         *pool,
         PmJob          *job,
         PmOutputStream  stream,
         int             pipe_fd,
         gsize           len,
         guint64         token,
         gpointer        user_data)
{
  Front *front = user_data;
  Later *later;

  g_assert_cmpint (stream, ==, PM_OUTPUT_STDOUT);
  g_assert_cmpuint (len, >, 0);
  front->asked++;
  if (front->way == REFUSE_ODD && front->asked % 2 == 0)
    return FALSE;
  if (front->way == TAKE_RECLAIMED)
    {
      g_assert_cmpint (front->pending_fd, <, 0);
      front->pending_fd = dup (pipe_fd);
      front->pending_len = len;
      front->pending_token = token;
      return TRUE;
    }
  take (front, pipe_fd, len);

  later = g_new0 (Later, 1);
  later->front = front;
  later->token = token;
  g_idle_add (passed_later_cb, later);
  return TRUE;
}

static void
reclaim_cb (PmPool   *pool,
            guint64   token,
            gpointer  user_data)
{
  Front *front = user_data;

  front->reclaimed++;
  if (front->way == TAKE_RECLAIMED)
    {
      g_assert_cmpuint (token, ==, front->pending_token);
      take (front, front->pending_fd, front->pending_len);
      close (front->pending_fd);
      front->pending_fd = -1;
    }
  pm_pool_output_passed (pool, token);
}

static void
output_cb (PmPool         *pool,
           PmJob          *job,
           PmOutputStream  stream,
           GBytes         *bytes,
           Front          *front)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (stream == PM_OUTPUT_STDOUT)
    g_byte_array_append (front->out, data, len);
}

/* A job writing many lines at once, and a last one without a newline: the front end gets
 * whole lines straight from the pipe, and they and the lines the pool reads itself make up
 * exactly what the job wrote, in its order; the job's byte count and tail hold them all. */
static void
check_pass (gconstpointer data)
{
  Way way = GPOINTER_TO_INT (data);
  /* Taken only at the job's end: all of it fits in the job's pipe, enlarged to 1 MiB */
  guint n_lines = way == TAKE_RECLAIMED ? 20000 : N_LINES;
  g_autofree char *dir = g_dir_make_tmp ("pm-pass-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "lines", NULL);
  g_autofree char *script = g_strdup_printf ("cat %s; printf 'no newline'", file);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr(PmPool) pool = pm_pool_new (1);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) tail = NULL;
  Front front = { pool, g_byte_array_new (), way, 0, 0, 0, 0, -1, 0, 0 };
  PmJob *job;
  const char *tail_text;
  gsize tail_len;

  for (guint i = 1; i <= n_lines; i++)
    g_string_append_printf (text, "line %u\n", i);
  g_assert_true (g_file_set_contents (file, text->str, text->len, NULL));
  g_string_append (text, "no newline");

  pm_pool_set_output_chunks (pool, TRUE);
  pm_pool_set_output_pass_func (pool, pass_cb, reclaim_cb, &front);
  g_signal_connect (pool, "job-output", G_CALLBACK (output_cb), &front);
  job = pm_test_add (pool, pm_job_new (1, "lines", NULL, argv));
  g_assert_true (pm_pool_start (pool, &error));
  g_assert_no_error (error);
  pm_test_run_pool (pool, 60);

  g_assert_cmpint (pm_job_get_state (job), ==, PM_JOB_STATE_SUCCEEDED);
  g_test_message ("%u offers taken, %" G_GUINT64_FORMAT " bytes", front.passed,
                  front.passed_bytes);
  /* Under Valgrind the pool can be so slow that it reads what the job wrote in pieces smaller
   * than an offer, before the job's end: nothing is offered, which is allowed (the bytes below
   * must still be exact). Seen once in CI for the reclaimed case; not seen outside a checker. */
  if (front.passed == 0 && g_getenv ("PM_UNDER_CHECKER") != NULL)
    g_test_message ("nothing offered under the checker: the pool read it all itself");
  else
    {
      g_assert_cmpuint (front.passed, >, 0);
      if (way == REFUSE_ODD)
        g_assert_cmpuint (front.asked, >, front.passed);
      if (way == TAKE_RECLAIMED)
        g_assert_cmpuint (front.reclaimed, ==, 1);
    }
  g_assert_cmpmem (front.out->data, front.out->len, text->str, text->len);
  g_assert_cmpuint (pm_job_get_output_bytes (job), ==, text->len);

  /* The tail ends as the output does */
  tail = pm_job_dup_output_bytes (job);
  tail_text = g_bytes_get_data (tail, &tail_len);
  g_assert_cmpuint (tail_len, >, 100);
  g_assert_cmpmem (tail_text + tail_len - 100, 100, text->str + text->len - 100, 100);

  g_byte_array_unref (front.out);
  pm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/pool/pass/lines-taken-from-the-pipe-are-the-job-output",
                        GINT_TO_POINTER (TAKE), check_pass);
  g_test_add_data_func ("/pool/pass/lines-refused-are-read-by-the-pool",
                        GINT_TO_POINTER (REFUSE_ODD), check_pass);
  g_test_add_data_func ("/pool/pass/lines-not-taken-are-asked-for-when-the-job-ends",
                        GINT_TO_POINTER (TAKE_RECLAIMED), check_pass);

  return g_test_run ();
}
