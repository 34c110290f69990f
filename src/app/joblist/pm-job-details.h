/* pm-job-details.h: the selected job's command, environment, state and output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pm-pool.h"

G_BEGIN_DECLS

#define PM_TYPE_JOB_DETAILS (pm_job_details_get_type ())

G_DECLARE_FINAL_TYPE (PmJobDetails, pm_job_details, PM, JOB_DETAILS, AdwBin)

GtkWidget *pm_job_details_new      (void);
void       pm_job_details_set_job  (PmJobDetails *self,
                                    PmPool       *pool,
                                    PmJob        *job);
PmJob     *pm_job_details_get_job  (PmJobDetails *self);
void       pm_job_details_prepare  (PmJobDetails *self,
                                    PmPool       *pool);

G_END_DECLS
