/* pm-cli-control.h: pool-run's options for output, status and the pace of a run (-j forms,
 * --delay, --load, --memfree) */
#pragma once

#include "pm-cli-status.h"
#include "pm-pool.h"

G_BEGIN_DECLS

typedef struct _PmCliControl PmCliControl;

PmCliControl *pm_cli_control_new         (void);
gboolean      pm_cli_control_takes_value (const char      *arg);
void          pm_cli_control_add_entries (PmCliControl    *self,
                                          GOptionContext  *context);
gboolean      pm_cli_control_check       (PmCliControl    *self,
                                          gboolean         quiet,
                                          GError         **error);
guint         pm_cli_control_parse_jobs  (PmCliControl    *self,
                                          const char      *text,
                                          GError         **error);
const PmCliStatusOptions *
              pm_cli_control_get_status_options (PmCliControl *self);
void          pm_cli_control_apply       (PmCliControl    *self,
                                          PmPool          *pool);
void          pm_cli_control_free        (PmCliControl    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PmCliControl, pm_cli_control_free)

G_END_DECLS
