/* pm-cli-signals.h: pool-run's signals (SIGINT, SIGTERM, SIGHUP) and its exit status */
#pragma once

#include "pm-cli-status.h"
#include "pm-pool.h"

G_BEGIN_DECLS

#define PM_CLI_EXIT_USAGE 255

typedef struct _PmCliSignals PmCliSignals;

PmCliSignals *pm_cli_signals_new         (PmPool       *pool,
                                          PmCliStatus  *status);
gboolean     *pm_cli_signals_gave_up     (PmCliSignals *self);
int           pm_cli_signals_exit_status (PmCliSignals *self);
void          pm_cli_signals_free        (PmCliSignals *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PmCliSignals, pm_cli_signals_free)

G_END_DECLS
