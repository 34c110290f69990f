/* pm-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdarg.h>

#include "pm-test-util.h"
#include "pm-util.h"

const char *
pm_test_child (void)
{
  const char *path = g_getenv ("PM_TEST_CHILD");

  g_assert_nonnull (path);
  return path;
}

/* A job running pm-test-child with the given steps. */
PmJob *
pm_test_job (guint       seq,
             const char *first_step,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *name = g_strdup_printf ("job%u", seq);
  va_list args;

  g_ptr_array_add (argv, (char *)pm_test_child ());
  va_start (args, first_step);
  for (const char *s = first_step; s != NULL; s = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)s);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return pm_job_new (seq, name, NULL, (const char * const *)argv->pdata);
}

/* Adds a job the pool then owns; returns it for the test to look at. */
PmJob *
pm_test_add (PmPool *pool,
             PmJob  *job)
{
  pm_pool_add_job (pool, job);
  g_object_unref (job);
  return job;
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out after %u seconds waiting for a condition", GPOINTER_TO_UINT (data));
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until done() holds; a guard fails the test if it never does. */
void
pm_test_run_until (gboolean (*done) (gpointer),
                   gpointer   data,
                   guint      timeout_sec)
{
  guint guard = g_timeout_add_seconds (timeout_sec, timeout_cb, GUINT_TO_POINTER (timeout_sec));

  while (!done (data))
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (guard);
}

static gboolean
pool_finished (gpointer data)
{
  return pm_pool_get_state (data) == PM_POOL_STATE_FINISHED;
}

void
pm_test_run_pool (PmPool *pool,
                  guint   timeout_sec)
{
  g_autoptr(GError) error = NULL;

  if (pm_pool_get_state (pool) == PM_POOL_STATE_IDLE)
    {
      pm_pool_start (pool, &error);
      g_assert_no_error (error);
    }
  pm_test_run_until (pool_finished, pool, timeout_sec);
}
