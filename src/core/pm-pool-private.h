/* pm-pool-private.h: building a read-only pool from a saved run */
#pragma once

#include "pm-pool.h"

G_BEGIN_DECLS

PmPool *_pm_pool_new_read_only      (guint    max_workers);
void    _pm_pool_set_times          (PmPool  *self,
                                     gint64   start_time,
                                     gint64   end_time);
void    _pm_pool_add_limit_change   (PmPool  *self,
                                     gint64   time,
                                     guint    limit);

G_END_DECLS
