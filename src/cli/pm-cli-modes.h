/* pm-cli-modes.h: how pool-run shows its jobs' output (line, group, ungroup, keep order, tags,
 * results) */
#pragma once

#include "pm-cli-lines.h"
#include "pm-cli-output.h"
#include "pm-pool.h"

G_BEGIN_DECLS

typedef enum
{
  PM_CLI_MODE_LINE,      /* lines whole, as they come (the default) */
  PM_CLI_MODE_GROUP,     /* each job's output whole, when it ends */
  PM_CLI_MODE_UNGROUP,   /* as it comes, nothing kept whole */
} PmCliMode;

typedef struct
{
  PmCliMode   mode;
  gboolean    keep_order;   /* in the jobs' order: the oldest live, the others held */
  gboolean    tag;          /* each line after the job's argument and a tab */
  const char *tagstring;    /* each line after this (with {} {#} {%}) and a tab */
  const char *results;      /* each job's stdout, stderr and seq in files under here */
  gboolean    quiet;        /* nothing shown */
  gboolean    one_at_a_time;  /* the limit is 1 and stays so (-j 1, no hosts): a job runs alone
                               * from its start to its end */
} PmCliModesOptions;

typedef struct _PmCliModes PmCliModes;

PmCliModes *pm_cli_modes_new       (PmPool                  *pool,
                                    PmCliOutput             *output,
                                    PmCliLines              *lines,
                                    const PmCliModesOptions *options);
gboolean    pm_cli_modes_check     (const PmCliModesOptions *options,
                                    GError                 **error);
gboolean    pm_cli_modes_wants_output (const PmCliModesOptions *options);
gboolean    pm_cli_modes_may_pass  (const PmCliModesOptions *options);
void        pm_cli_modes_results_direct (PmCliModes          *self);
void        pm_cli_modes_output    (PmCliModes              *self,
                                    PmJob                   *job,
                                    int                      fd,
                                    GBytes                  *bytes);
gboolean    pm_cli_modes_pass      (PmCliModes              *self,
                                    PmJob                   *job,
                                    int                      fd,
                                    int                      pipe_fd,
                                    gsize                    len,
                                    guint64                  token);
void        pm_cli_modes_job_ended (PmCliModes              *self,
                                    PmJob                   *job);
void        pm_cli_modes_free      (PmCliModes              *self);

G_END_DECLS
