/* pm-cli-status.h: pool-run's terminal view of a running pool */
#pragma once

#include "pm-cli-modes.h"
#include "pm-pool.h"

G_BEGIN_DECLS

typedef struct
{
  PmCliModesOptions modes;      /* how the jobs' output is shown */
  gboolean          progress;   /* the status line even when stderr is not a terminal */
  gboolean          bar;        /* … with a bar and the share done */
  gboolean          eta;        /* … with the time left */
  gboolean          no_summary; /* no summary at the end */
} PmCliStatusOptions;

typedef struct _PmCliStatus PmCliStatus;

PmCliStatus *pm_cli_status_new           (PmPool                   *pool,
                                          const PmCliStatusOptions *options);
gboolean     pm_cli_status_is_shown      (PmCliStatus *self);
gboolean     pm_cli_status_stdout_gone   (PmCliStatus *self);
void         pm_cli_status_message       (PmCliStatus *self,
                                          const char  *format,
                                          ...) G_GNUC_PRINTF (2, 3);
void         pm_cli_status_note          (PmCliStatus *self,
                                          const char  *format,
                                          ...) G_GNUC_PRINTF (2, 3);
void         pm_cli_status_abandon_output (PmCliStatus *self);
void         pm_cli_status_results_direct (PmCliStatus *self);
void         pm_cli_status_print_summary (PmCliStatus *self,
                                          const char  *seed_note);
gboolean     pm_cli_status_flush         (PmCliStatus *self,
                                          gboolean    *interrupted);
void         pm_cli_status_free          (PmCliStatus *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PmCliStatus, pm_cli_status_free)

G_END_DECLS
