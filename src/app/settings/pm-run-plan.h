/* pm-run-plan.h: the next run as the settings describe it, checked and made, without a widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pm-job-source.h"
#include "pm-pool.h"

G_BEGIN_DECLS

#define PM_MAX_COUNT 1000000

/* The fields a message can be shown beside, in the order of the form. */
typedef enum
{
  PM_RUN_FIELD_COUNT,
  PM_RUN_FIELD_LIMIT,
  PM_RUN_FIELD_SLEEP,
  PM_RUN_FIELD_TEMPLATE,
  PM_RUN_FIELD_ARGS,
  PM_RUN_FIELD_TIMEOUT,
  PM_RUN_FIELD_RETRIES,
  PM_RUN_FIELD_HALT,
  PM_N_RUN_FIELDS
} PmRunField;

gboolean   pm_run_plan_check          (GSettings  *settings,
                                       char       *messages[PM_N_RUN_FIELDS]);
PmJobSource *pm_run_plan_make_source (GSettings  *settings,
                                       GError    **error);
gboolean   pm_run_plan_is_stream      (GSettings  *settings);
gboolean   pm_run_plan_configure_pool (GSettings  *settings,
                                       PmPool     *pool,
                                       GError    **error);

G_END_DECLS
