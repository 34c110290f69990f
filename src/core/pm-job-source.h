/* pm-job-source.h: where a pool's jobs come from, made lazily as they are pulled */
#pragma once

#include <gio/gio.h>

#include "pm-job.h"

G_BEGIN_DECLS

#define PM_TYPE_JOB_SOURCE (pm_job_source_get_type ())

G_DECLARE_FINAL_TYPE (PmJobSource, pm_job_source, PM, JOB_SOURCE, GObject)

/**
 * PmJobSourceMakeFunc:
 * @seq: the job's sequence number, from 1
 * @values: (array zero-terminated=1): the job's values
 * @width: values in one record
 * @user_data: what was given with the function
 *
 * Makes the job for @values (the demo's workers, for example); the default makes a job of the
 * source's template.
 *
 * Returns: (transfer full): the job
 */
/* --trim: white space taken from the start and/or the end of each value (or column) */
typedef enum
{
  PM_TRIM_NONE  = 0,
  PM_TRIM_LEFT  = 1 << 0,
  PM_TRIM_RIGHT = 1 << 1,
} PmTrim;

typedef PmJob *(*PmJobSourceMakeFunc) (guint               seq,
                                       const char * const *values,
                                       guint               width,
                                       gpointer            user_data);

PmJobSource *pm_job_source_new                (PmTemplate          *template_);
void         pm_job_source_set_make_func      (PmJobSource         *self,
                                               PmJobSourceMakeFunc  func,
                                               gpointer             user_data,
                                               GDestroyNotify       destroy);
void         pm_job_source_set_delimiter      (PmJobSource         *self,
                                               const char          *delimiter,
                                               gsize                len);
gboolean     pm_job_source_set_column_separator (PmJobSource       *self,
                                                 const char        *regex,
                                                 GError           **error);
void         pm_job_source_set_trim           (PmJobSource         *self,
                                               PmTrim               trim);
void         pm_job_source_set_max_args       (PmJobSource         *self,
                                               guint                max_args);
void         pm_job_source_set_max_jobs       (PmJobSource         *self,
                                               guint                max_jobs);
void         pm_job_source_set_link           (PmJobSource         *self,
                                               gboolean             link);
void         pm_job_source_set_read_ahead     (PmJobSource         *self,
                                               gsize                bytes);
void         pm_job_source_skip_seqs          (PmJobSource         *self,
                                               GHashTable          *seqs);
void         pm_job_source_add_count          (PmJobSource         *self,
                                               guint                count);
void         pm_job_source_add_values         (PmJobSource         *self,
                                               const char * const  *values,
                                               gboolean             linked);
void         pm_job_source_add_fd             (PmJobSource         *self,
                                               int                  fd,
                                               const char          *name,
                                               gboolean             linked);
gboolean     pm_job_source_add_file           (PmJobSource         *self,
                                               const char          *path,
                                               gboolean             linked,
                                               GError             **error);
PmJob       *pm_job_source_next               (PmJobSource         *self);
gboolean     pm_job_source_is_done            (PmJobSource         *self);
const GError *pm_job_source_get_error         (PmJobSource         *self);
guint        pm_job_source_get_n_made         (PmJobSource         *self);
gint64       pm_job_source_get_n_total        (PmJobSource         *self);
gint64       pm_job_source_get_n_left         (PmJobSource         *self);

G_END_DECLS
