/* pm-cli-status.h: pool-run's terminal view of a running pool */
#pragma once

#include "pm-pool.h"

G_BEGIN_DECLS

typedef struct _PmCliStatus PmCliStatus;

PmCliStatus *pm_cli_status_new           (PmPool      *pool,
                                          gboolean     quiet);
void         pm_cli_status_message       (PmCliStatus *self,
                                          const char  *format,
                                          ...) G_GNUC_PRINTF (2, 3);
void         pm_cli_status_print_summary (PmCliStatus *self,
                                          const char  *seed_note);
gboolean     pm_cli_status_flush         (PmCliStatus *self,
                                          gboolean    *interrupted);
void         pm_cli_status_free          (PmCliStatus *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PmCliStatus, pm_cli_status_free)

G_END_DECLS
