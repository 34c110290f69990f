/* pm-runlog-private.h: what the run-log formats share; not for front ends */
#pragma once

#include <json-glib/json-glib.h>

#include "pm-runlog.h"

G_BEGIN_DECLS

/* Splits a log file held in memory into lines, counting them from 1. */
typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  guint       lineno;
} PmLineReader;

void      _pm_line_reader_init          (PmLineReader  *reader,
                                         const char    *data,
                                         gsize          len);
gboolean  _pm_line_reader_next          (PmLineReader  *reader,
                                         const char   **line,
                                         gsize         *line_len,
                                         gboolean      *torn);

void      _pm_runlog_set_error          (GError       **error,
                                         GFile         *file,
                                         guint          lineno,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (4, 5);
char     *_pm_runlog_escape_bytes       (const char    *str);
void      _pm_runlog_unescape_bytes     (char          *str);
char     *_pm_runlog_dup_valid          (const char    *str,
                                         gssize         len);
void      _pm_json_add_int              (JsonBuilder   *builder,
                                         const char    *name,
                                         gint64         value);
void      _pm_json_add_string           (JsonBuilder   *builder,
                                         const char    *name,
                                         const char    *value);
int       _pm_runlog_compare_jobs_by_seq (gconstpointer a,
                                          gconstpointer b);

/* Joblog (TSV), as GNU parallel's --joblog plus columns of ours: pm-joblog.c writes,
 * pm-joblog-read.c reads */
void      _pm_joblog_append_header      (GString       *out);
void      _pm_joblog_append_job         (GString       *out,
                                         PmJob         *job,
                                         guint          n_columns);
guint     _pm_joblog_count_columns      (const char    *header,
                                         gsize          len);
void      _pm_joblog_append_pool        (GString       *out,
                                         PmPool        *pool);
PmPool   *_pm_joblog_parse              (GFile         *file,
                                         const char    *data,
                                         gsize          len,
                                         GError       **error);

/* Event log (JSON Lines): pm-eventlog.c writes, pm-eventlog-read.c reads */
#define PM_EVENTLOG_VERSION "1"
/* The line a job read from an event log shows where an "output-dropped" event was */
#define PM_EVENTLOG_DROPPED_NOTE "[Pool Monitor: the rest of this output was not recorded]"

void      _pm_eventlog_append_run       (GString       *out,
                                         guint          limit,
                                         gint64         time);
void      _pm_eventlog_append_start     (GString       *out,
                                         guint          limit,
                                         gint64         time);
void      _pm_eventlog_append_queued    (GString       *out,
                                         PmJob         *job);
void      _pm_eventlog_append_started   (GString       *out,
                                         PmJob         *job);
void      _pm_eventlog_append_output    (GString       *out,
                                         PmJob         *job,
                                         PmOutputStream stream,
                                         GBytes        *line,
                                         gint64         time);
void      _pm_eventlog_append_output_dropped (GString  *out,
                                              PmJob    *job,
                                              gint64    time);
void      _pm_eventlog_append_finished  (GString       *out,
                                         PmJob         *job);
void      _pm_eventlog_append_limit     (GString       *out,
                                         guint          limit,
                                         gint64         time);
void      _pm_eventlog_append_end       (GString       *out,
                                         PmPool        *pool,
                                         gint64         time);
void      _pm_eventlog_append_pool      (GString       *out,
                                         PmPool        *pool);
PmPool   *_pm_eventlog_parse            (GFile         *file,
                                         const char    *data,
                                         gsize          len,
                                         GError       **error);

/* Chrome Trace Event JSON */
void      _pm_trace_append_pool         (GString       *out,
                                         PmPool        *pool);

G_END_DECLS
