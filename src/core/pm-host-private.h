/* pm-host-private.h: what pm-host.c, pm-host-prepare.c and pm-host-run.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-host.h"

G_BEGIN_DECLS

#define PM_HOST_CACHE_DIR "\"${XDG_CACHE_HOME:-$HOME/.cache}/pool-monitor\""

struct _PmHost
{
  GObject      parent_instance;

  char        *login;        /* as given, without N/; ":" for this machine */
  char       **ssh_argv;     /* NULL for this machine */
  guint        slots;        /* 0 until known */
  gboolean     given_slots;  /* N/ was given */
  guint        cpus;
  PmHostState  state;
  char        *reason;
  char        *slot_name;    /* pool-slot-HASH, once prepared */
  gboolean     has_rsync;    /* rsync is on the host's PATH (seen when prepared) */
  char        *control_dir;  /* a private dir of this run for the shared connection's socket */
  GSubprocess *master;       /* the shared connection's ssh (pm-host-shared.c), or NULL */
  gboolean     master_ready; /* it listens on its socket */
  GString     *master_said;  /* its output until it said it was ready */
  GArray      *waiting;      /* the runs that wait for it to be ready */
  GSubprocess *server;       /* the session of the host's slot server (--serve), or NULL */
  guint        serving;      /* counts the servers started, to tell a stale callback */
  char        *fwd_local;    /* the socket here forwarded to the server's, once it answered */
  char        *fwd_made;     /* the socket here we asked the master for (removed at the end) */
};

typedef void (*PmHostThen) (PmHost   *self,
                            gpointer  data);

void    _pm_host_set_state    (PmHost      *self,
                               PmHostState  state,
                               const char  *reason);
void    _pm_host_notify_slots (PmHost      *self);
char  **_pm_host_remote_argv  (PmHost      *self,
                               const char  *script);
gboolean _pm_host_is_ssh      (const char  *program);
void    _pm_host_end_on_cancel (GSubprocess  *subprocess,
                                GCancellable *cancellable);

/* pm-host-shared.c */
GPtrArray *_pm_host_files_argv (PmHost      *self);
gboolean _pm_host_shared_wait (PmHost      *self,
                               PmHostThen   then,
                               gpointer     data);
void    _pm_host_serve        (PmHost      *self,
                               PmHostThen   then,
                               gpointer     data);
void    _pm_host_stop_serving (PmHost      *self);

G_END_DECLS
