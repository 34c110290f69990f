/* test-compat-retries.c: --retries and the output of the attempts that were retried, run through
 * pool-run and through `parallel --will-cite -q` (see pm-compat.h)
 *
 * GNU parallel 20221122 shows a retried job's last attempt alone with --group (its default),
 * --keep-order and --results; with --ungroup every attempt. pool-run does the same wherever it
 * holds a job's output; its line mode (the default) shows every attempt's lines as they come,
 * on purpose (README.md, pool-run(1)): the "ours" case checks that.
 *
 * pool-run gets --no-summary first, so that its standard error holds only the jobs'.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "pm-compat.h"
#include "pm-test-util.h"

#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const char * const no_summary[] = { "--no-summary", NULL };

/* Every attempt fails */
#define FAIL "echo out-$1; echo err-$1 >&2; exit 1"

/* The first attempt fails, the next succeeds (a marker file in the case's folder says which) */
#define ONCE "if [ -e mk-$1 ]; then echo ok-$1; echo okerr-$1 >&2; exit 0; fi; " \
             "touch mk-$1; echo bad-$1; echo baderr-$1 >&2; exit 3"

/* 3 MB on stdout (past what pool-run holds in memory: it goes to a temporary file), then as
 * ONCE: only the last attempt's 3 MB are shown */
#define BIG_ONCE "head -c 3000000 /dev/zero | tr '\\0' $1; [ -e mk-$1 ] && exit 0; " \
                 "touch mk-$1; exit 1"

/* --keep-order: job "first" ends only once job "second" has run both its attempts, so that
 * "second" is never the job whose turn it is while it runs (its output is held) */
#define WAIT_FOR_SECOND "if [ $1 = first ]; then i=0; " \
                        "while [ ! -e ok-second ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; " \
                        "echo first; exit 0; fi; " \
                        "if [ -e mk-$1 ]; then echo ok-$1; touch ok-$1; exit 0; fi; " \
                        "touch mk-$1; echo bad-$1; echo baderr-$1 >&2; exit 3"

static const PmCompatCase cases[] = {
  { "group-shows-the-last-attempt", ARGS ("--group", "-j", "2", "--retries", "2", "sh", "-c", FAIL,
                                          "sh", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT },
  { "group-one-at-a-time-shows-the-last-attempt",
    ARGS ("--group", "-j", "1", "--retries", "2", "sh", "-c", FAIL, "sh", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "group-tag-shows-the-last-attempt",
    ARGS ("--group", "--tag", "-j", "1", "--retries", "2", "sh", "-c", FAIL, "sh",
          ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "group-fail-then-succeed", ARGS ("--group", "-j", "1", "--retries", "3", "sh", "-c", ONCE,
                                     "sh", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR | PM_COMPAT_FILES },
  { "group-fail-then-succeed-two-at-once",
    ARGS ("--group", "-j", "2", "--retries", "3", "sh", "-c", ONCE, "sh", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT },
  { "group-fail-then-succeed-megabytes",
    ARGS ("--group", "-j", "1", "--retries", "2", "sh", "-c", BIG_ONCE, "sh", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "keep-order-drops-a-held-attempt",
    ARGS ("-k", "-j", "2", "--retries", "3", "sh", "-c", WAIT_FOR_SECOND, "sh",
          ":::", "first", "second"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "keep-order-group-drops-a-held-attempt",
    ARGS ("-k", "--group", "-j", "2", "--retries", "3", "sh", "-c", WAIT_FOR_SECOND, "sh",
          ":::", "first", "second"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "keep-order-group-one-at-a-time",
    ARGS ("-k", "--group", "-j", "1", "--retries", "2", "sh", "-c", FAIL, "sh", ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_STDERR },
  { "results-keep-the-last-attempt",
    ARGS ("--results", "res", "-j", "2", "--retries", "2", "sh", "-c", FAIL, "sh",
          ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_FILES },
  { "results-fail-then-succeed",
    ARGS ("--results", "res", "-j", "2", "--retries", "3", "sh", "-c", ONCE, "sh",
          ":::", "a", "b"),
    NULL, 0, PM_COMPAT_STDOUT | PM_COMPAT_FILES },
  { NULL }
};

static void
check_case (gconstpointer data)
{
  pm_compat_check_with (data, no_summary);
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpmem (data, len, expected, strlen (expected));
}

/* Ours: the line mode shows each line as it ends, before anyone knows the attempt will fail, so
 * every attempt's lines are there (parallel's --line-buffer shows those it read while the
 * attempt ran, and drops what was still in the pipe when it ended). */
static void
test_line_mode_shows_every_attempt (void)
{
  const PmCompatCase c = {
    "line-mode", ARGS ("--no-summary", "-j", "1", "--retries", "3", "sh", "-c", ONCE, "sh",
                       ":::", "a", "b"),
  };
  const char *pool_run[] = { pm_compat_pool_run (), NULL };
  g_auto(PmCompatResult) r = { 0 };

  pm_compat_run (&c, pool_run, &r);
  g_assert_cmpint (r.status, ==, 0);
  assert_bytes (r.out, "bad-a\nok-a\nbad-b\nok-b\n");
  assert_bytes (r.err, "baderr-a\nokerr-a\nbaderr-b\nokerr-b\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; cases[i].name != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/compat/retries/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], check_case);
    }
  g_test_add_func ("/compat/retries/ours/line-mode-shows-every-attempt",
                   test_line_mode_shows_every_attempt);

  return g_test_run ();
}
