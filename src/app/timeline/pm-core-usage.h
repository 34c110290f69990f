/* pm-core-usage.h: how busy each CPU of the machine is, sampled through libgtop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PM_TYPE_CORE_USAGE (pm_core_usage_get_type ())

G_DECLARE_FINAL_TYPE (PmCoreUsage, pm_core_usage, PM, CORE_USAGE, GObject)

PmCoreUsage *pm_core_usage_new        (void);
guint        pm_core_usage_get_n_cpus (PmCoreUsage *self);
guint        pm_core_usage_sample     (PmCoreUsage *self,
                                       GArray      *busy);

G_END_DECLS
