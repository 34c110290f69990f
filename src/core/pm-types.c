/* pm-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pm-types.h"

static const struct {
  const char *id;
  const char *label;
} state_names[] = {
  [PM_JOB_STATE_QUEUED] = { "queued", N_("Queued") },
  [PM_JOB_STATE_RUNNING] = { "running", N_("Running") },
  [PM_JOB_STATE_PAUSED] = { "paused", N_("Paused") },
  [PM_JOB_STATE_SUCCEEDED] = { "succeeded", N_("Succeeded") },
  [PM_JOB_STATE_FAILED] = { "failed", N_("Failed") },
  [PM_JOB_STATE_KILLED] = { "killed", N_("Killed") },
  [PM_JOB_STATE_TIMED_OUT] = { "timed-out", N_("Timed out") },
  /* Not "Failed to start": a job run again (Re-run Failed) shows "… #2" in the job list's
   * State column, 12 characters wide. */
  [PM_JOB_STATE_FAILED_TO_START] = { "failed-to-start", N_("Start failed") },
  [PM_JOB_STATE_CANCELLED] = { "cancelled", N_("Cancelled") },
};

/**
 * pm_job_state_to_string:
 * @state: a #PmJobState
 *
 * Returns: the stable identifier used in logs, such as "timed-out"
 */
const char *
pm_job_state_to_string (PmJobState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);

  return state_names[state].id;
}

/**
 * pm_job_state_to_label:
 * @state: a #PmJobState
 *
 * Returns: the words shown to a user, such as "Timed out", in the user's language
 */
const char *
pm_job_state_to_label (PmJobState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);

  return _(state_names[state].label);

}

/**
 * pm_job_state_from_string:
 * @str: an identifier written by pm_job_state_to_string()
 * @state: (out): where to store the state
 *
 * Returns: %TRUE if @str named a state
 */
gboolean
pm_job_state_from_string (const char *str,
                          PmJobState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (strcmp (str, state_names[i].id) == 0)
        {
          *state = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * pm_job_state_is_live:
 * @state: a #PmJobState
 *
 * Returns: %TRUE if a job in @state has a process: running or paused
 */
gboolean
pm_job_state_is_live (PmJobState state)
{
  return state == PM_JOB_STATE_RUNNING || state == PM_JOB_STATE_PAUSED;
}

/**
 * pm_job_state_is_finished:
 * @state: a #PmJobState
 *
 * Returns: %TRUE if a job in @state will never run again (unless retried)
 */
gboolean
pm_job_state_is_finished (PmJobState state)
{
  return state >= PM_JOB_STATE_SUCCEEDED;
}
