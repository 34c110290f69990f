/* pm-cli-lines.h: the jobs' lines kept whole on pool-run's outputs */
#pragma once

#include "pm-cli-output.h"
#include "pm-pool.h"

G_BEGIN_DECLS

typedef struct _PmCliLines PmCliLines;

PmCliLines *pm_cli_lines_new       (PmPool      *pool,
                                    PmCliOutput *output);
void        pm_cli_lines_add       (PmCliLines  *self,
                                    PmJob       *job,
                                    int          fd,
                                    GBytes      *line);
void        pm_cli_lines_add_tagged (PmCliLines *self,
                                     PmJob      *job,
                                     int         fd,
                                     GBytes     *line,
                                     const char *tag,
                                     gboolean    tag_first);
gboolean    pm_cli_lines_pass      (PmCliLines  *self,
                                    PmJob       *job,
                                    int          fd,
                                    int          pipe_fd,
                                    gsize        len,
                                    guint64      token);
void        pm_cli_lines_job_ended (PmCliLines  *self,
                                    PmJob       *job);
void        pm_cli_lines_free      (PmCliLines  *self);

G_END_DECLS
