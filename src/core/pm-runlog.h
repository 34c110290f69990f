/* pm-runlog.h: run logs: GNU parallel joblog (TSV), JSON Lines events, Chrome trace */
#pragma once

#include <gio/gio.h>

#include "pm-pool.h"

G_BEGIN_DECLS

typedef enum
{
  PM_LOG_FORMAT_JOBLOG,
  PM_LOG_FORMAT_EVENTS,
  PM_LOG_FORMAT_TRACE,
} PmLogFormat;

#define PM_TYPE_LOG_WRITER (pm_log_writer_get_type ())

G_DECLARE_FINAL_TYPE (PmLogWriter, pm_log_writer, PM, LOG_WRITER, GObject)

PmLogWriter  *pm_log_writer_new        (PmPool       *pool,
                                        PmLogFormat   format,
                                        GFile        *file,
                                        GError      **error);
PmLogWriter  *pm_log_writer_new_append (PmPool       *pool,
                                        PmLogFormat   format,
                                        GFile        *file,
                                        gboolean      append,
                                        GError      **error);
void          pm_log_writer_set_output_limits (PmLogWriter *self,
                                               gsize        per_job,
                                               gsize        per_run);
const GError *pm_log_writer_get_error  (PmLogWriter  *self);
gboolean      pm_log_writer_close      (PmLogWriter  *self,
                                        GError      **error);

gboolean      pm_runlog_save           (PmPool       *pool,
                                        PmLogFormat   format,
                                        GFile        *file,
                                        GError      **error);
PmPool       *pm_runlog_load           (GFile        *file,
                                        GError      **error);
PmPool       *pm_runlog_load_joblog    (GFile        *file,
                                        GError      **error);
PmPool       *pm_runlog_load_events    (GFile        *file,
                                        GError      **error);

G_END_DECLS
