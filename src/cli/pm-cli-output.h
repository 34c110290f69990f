/* pm-cli-output.h: pool-run's standard output and error, written without blocking the pool */
#pragma once

#include "pm-pool.h"

G_BEGIN_DECLS

typedef struct _PmCliOutput PmCliOutput;
typedef void (*PmCliOutputClosedFunc) (int      fd,
                                       gpointer user_data);

PmCliOutput *pm_cli_output_new       (PmPool                *pool,
                                      PmCliOutputClosedFunc  closed_func,
                                      gpointer               closed_data);
void         pm_cli_output_write     (PmCliOutput *self,
                                      int          fd,
                                      const void  *data,
                                      gsize        len);
void         pm_cli_output_write_bytes (PmCliOutput *self,
                                        int          fd,
                                        GBytes      *bytes);
void         pm_cli_output_write_tagged (PmCliOutput *self,
                                         int          fd,
                                         GBytes      *bytes,
                                         const char  *tag,
                                         gboolean     tag_first);
void         pm_cli_output_write_file (PmCliOutput *self,
                                       int          fd,
                                       int          src_fd,
                                       gsize        len);
gboolean     pm_cli_output_pass_pipe (PmCliOutput *self,
                                      int          fd,
                                      int          pipe_fd,
                                      gsize        len,
                                      guint64      token);
void         pm_cli_output_reclaim   (PmCliOutput *self,
                                      guint64      token);
void         pm_cli_output_printf    (PmCliOutput *self,
                                      int          fd,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (3, 4);
gboolean     pm_cli_output_flush     (PmCliOutput *self,
                                      gboolean    *interrupted);
void         pm_cli_output_discard   (PmCliOutput *self);
void         pm_cli_output_free      (PmCliOutput *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PmCliOutput, pm_cli_output_free)

G_END_DECLS
