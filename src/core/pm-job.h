/* pm-job.h: one job of a pool: its command, state, slot, times and output */
#pragma once

#include <gio/gio.h>

#include "pm-template.h"
#include "pm-types.h"

G_BEGIN_DECLS

#define PM_TYPE_JOB (pm_job_get_type ())

G_DECLARE_FINAL_TYPE (PmJob, pm_job, PM, JOB, GObject)

PmJob              *pm_job_new                (guint               seq,
                                               const char         *name,
                                               PmTemplate         *template_,
                                               const char * const *argv);
PmJob              *pm_job_new_with_values    (guint               seq,
                                               const char * const *values,
                                               guint               width,
                                               PmTemplate         *template_);
gboolean            pm_job_get_stopped        (PmJob              *self);
guint               pm_job_get_seq            (PmJob              *self);
const char         *pm_job_get_name           (PmJob              *self);
const char * const *pm_job_get_values         (PmJob              *self,
                                               guint              *width);
PmTemplate         *pm_job_get_template       (PmJob              *self);
const char * const *pm_job_get_argv           (PmJob              *self);
char               *pm_job_dup_command        (PmJob              *self);
PmJobState          pm_job_get_state          (PmJob              *self);
gboolean            pm_job_is_finished        (PmJob              *self);
guint               pm_job_get_slot           (PmJob              *self);
GPid                pm_job_get_pid            (PmJob              *self);
GPid                pm_job_get_slot_pid       (PmJob              *self);
guint               pm_job_get_attempt        (PmJob              *self);
double              pm_job_get_planned        (PmJob              *self);
void                pm_job_set_planned        (PmJob              *self,
                                               double              seconds);
gint64              pm_job_get_queued_time    (PmJob              *self);
gint64              pm_job_get_start_time     (PmJob              *self);
gint64              pm_job_get_end_time       (PmJob              *self);
gint64              pm_job_get_runtime        (PmJob              *self);
int                 pm_job_get_exit_status    (PmJob              *self);
int                 pm_job_get_term_signal    (PmJob              *self);
gint64              pm_job_get_user_time      (PmJob              *self);
gint64              pm_job_get_system_time    (PmJob              *self);
gint64              pm_job_get_cpu_time       (PmJob              *self);
guint64             pm_job_get_peak_memory    (PmJob              *self);
const char         *pm_job_get_host           (PmJob              *self);
const char         *pm_job_get_error_message  (PmJob              *self);
guint64             pm_job_get_output_bytes   (PmJob              *self);
char               *pm_job_dup_output         (PmJob              *self);
char              **pm_job_dup_output_lines   (PmJob              *self);
GBytes             *pm_job_dup_output_bytes   (PmJob              *self);

G_END_DECLS
