/* pm-job-private.h: setters for the pool and the log readers; not for front ends */
#pragma once

#include "pm-job.h"

G_BEGIN_DECLS

void _pm_job_set_state         (PmJob          *self,
                                PmJobState      state);
void _pm_job_set_slot          (PmJob          *self,
                                guint           slot);
void _pm_job_set_pid           (PmJob          *self,
                                GPid            pid);
void _pm_job_set_slot_pid      (PmJob          *self,
                                GPid            pid);
void _pm_job_take_argv         (PmJob          *self,
                                char          **argv);
void _pm_job_set_command       (PmJob          *self,
                                const char     *command);
void _pm_job_set_attempt       (PmJob          *self,
                                guint           attempt);
void _pm_job_set_queued_time   (PmJob          *self,
                                gint64          wall_usec);
void _pm_job_set_start_time    (PmJob          *self,
                                gint64          wall_usec,
                                gint64          mono_usec);
void _pm_job_set_end_time      (PmJob          *self,
                                gint64          wall_usec,
                                gint64          mono_usec);
void _pm_job_set_runtime       (PmJob          *self,
                                gint64          usec);
void _pm_job_set_exit          (PmJob          *self,
                                int             exit_status,
                                int             term_signal);
void _pm_job_set_resources     (PmJob          *self,
                                gint64          user_usec,
                                gint64          system_usec,
                                guint64         peak_memory_bytes);
void _pm_job_set_cpu_time      (PmJob          *self,
                                gint64          usec);
void _pm_job_set_host          (PmJob          *self,
                                const char     *host);
void _pm_job_set_error_message (PmJob          *self,
                                const char     *message);
void _pm_job_append_output     (PmJob          *self,
                                PmOutputStream  stream,
                                const char     *line);
void _pm_job_restart_output_tail (PmJob        *self);
void _pm_job_count_output_bytes (PmJob          *self,
                                 gsize           len);
void _pm_job_append_output_bytes (PmJob          *self,
                                  PmOutputStream  stream,
                                  const guint8   *data,
                                  gsize           len);
char **_pm_job_expand          (PmJob          *self,
                                guint           slot);
char **_pm_job_expand_words    (PmJob          *self,
                                PmTemplate     *template_,
                                guint           slot);
void _pm_job_set_stopped       (PmJob          *self,
                                gboolean        stopped);
void _pm_job_reset             (PmJob          *self);

G_END_DECLS
