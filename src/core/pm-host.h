/* pm-host.h: a machine the pool runs slots on, this one or one reached through ssh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  PM_HOST_STATE_UNKNOWN,    /* not looked at yet */
  PM_HOST_STATE_PREPARING,  /* being looked at, pool-slot being copied */
  PM_HOST_STATE_UP,
  PM_HOST_STATE_DOWN,       /* see pm_host_get_reason() */
} PmHostState;

#define PM_HOST_ERROR (pm_host_error_quark ())

typedef enum
{
  PM_HOST_ERROR_SYNTAX,       /* an sshlogin that cannot be read */
  PM_HOST_ERROR_UNREACHABLE,  /* ssh failed: see the message */
  PM_HOST_ERROR_UNSUPPORTED,  /* no pool-slot for that system */
} PmHostError;

#define PM_TYPE_HOST (pm_host_get_type ())

G_DECLARE_FINAL_TYPE (PmHost, pm_host, PM, HOST, GObject)

GQuark       pm_host_error_quark     (void);
PmHost      *pm_host_new_local       (void);
PmHost      *pm_host_parse           (const char          *sshlogin,
                                      const char          *ssh_command,
                                      GError             **error);
GPtrArray   *pm_host_parse_list      (const char * const  *sshlogins,
                                      const char          *ssh_command,
                                      GError             **error);
GPtrArray   *pm_host_read_file       (const char          *path,
                                      const char          *ssh_command,
                                      GError             **error);
const char  *pm_host_get_login       (PmHost              *self);
gboolean     pm_host_is_local        (PmHost              *self);
guint        pm_host_get_slots       (PmHost              *self);
gboolean     pm_host_has_given_slots (PmHost              *self);
void         pm_host_set_slots       (PmHost              *self,
                                      guint                slots);
guint        pm_host_get_cpus        (PmHost              *self);
PmHostState  pm_host_get_state       (PmHost              *self);
const char  *pm_host_get_reason      (PmHost              *self);
const char * const *pm_host_get_ssh_argv (PmHost          *self);
char       **pm_host_dup_slot_argv   (PmHost              *self,
                                      const char          *local_program);
char        *pm_host_dup_slot_socket (PmHost              *self);
void         pm_host_prepare_async   (PmHost              *self,
                                      const char          *slot_program,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean     pm_host_prepare_finish  (PmHost              *self,
                                      GAsyncResult        *result,
                                      GError             **error);
void         pm_host_run_async       (PmHost              *self,
                                      const char          *script,
                                      const char          *stdin_path,
                                      const char          *stdout_path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char        *pm_host_run_finish      (PmHost              *self,
                                      GAsyncResult        *result,
                                      GError             **error);
gboolean     pm_host_can_rsync       (PmHost              *self);
void         pm_host_copy_async      (PmHost              *self,
                                      gboolean             to_host,
                                      const char          *local,
                                      const char          *remote,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
void         pm_host_close_shared    (PmHost              *self);
void         pm_host_set_down        (PmHost              *self,
                                      const char          *reason);

G_END_DECLS
