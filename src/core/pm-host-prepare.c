/* pm-host-prepare.c
 *
 * A remote host made ready for slots (pm-host.c): one ssh run looks at it (its system, its CPU
 * count, the SHA-256 of the pool-slot it holds, if any, and whether rsync is on its PATH), and
 * when that pool-slot is missing or differs from ours, a second copies ours over the same ssh
 * command into $XDG_CACHE_HOME/pool-monitor/ (by default ~/.cache/pool-monitor/), named by its
 * hash so that pools of two versions never run each other's. pool-slot is linked statically, so
 * it runs on any Linux of this architecture; another system or architecture is refused with a
 * clear message. A login script may print before the probe: its lines follow a mark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include <glib/gi18n.h>

#include "pm-host-private.h"
#include "pm-util.h"

#define PROBE_MARK "pool-monitor-probe 1"

/* What marks the host down, from what ssh said: its last line on standard error */
static char *
ssh_reason (GSubprocess *subprocess,
            const char  *err)
{
  g_auto(GStrv) lines = g_strsplit (err != NULL ? err : "", "\n", -1);

  for (int i = g_strv_length (lines) - 1; i >= 0; i--)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] != '\0')
        return g_strdup (line);
    }
  if (g_subprocess_get_if_signaled (subprocess))
    return g_strdup_printf (_("ssh was killed by signal %d"),
                            g_subprocess_get_term_sig (subprocess));
  return g_strdup_printf (_("ssh exited with status %d"),
                          g_subprocess_get_exit_status (subprocess));
}

/* What a pipe gave, as a string ("" for nothing) */
static char *
bytes_text (GBytes *bytes)
{
  gsize size = bytes != NULL ? g_bytes_get_size (bytes) : 0;

  return size > 0 ? g_strndup (g_bytes_get_data (bytes, NULL), size) : g_strdup ("");
}

typedef struct
{
  char   *slot_program;
  GBytes *binary;
  char   *sha256;
  gint64  start_mono;
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  g_free (prepare->slot_program);
  g_clear_pointer (&prepare->binary, g_bytes_unref);
  g_free (prepare->sha256);
  g_free (prepare);
}

static void
prepare_fail (GTask      *task,
              int         code,
              const char *reason)
{
  PmHost *self = g_task_get_source_object (task);

  _pm_host_set_state (self, PM_HOST_STATE_DOWN, reason);
  g_task_return_new_error (task, PM_HOST_ERROR, code, "%s: %s", self->login, reason);
}

static void
served (PmHost   *self,
        gpointer  data)
{
  GTask *task = data;

  _pm_host_set_state (self, PM_HOST_STATE_UP, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The host is ready: slots may start there, once its slot server answered or failed
 * (pm-host-shared.c; without it each slot logs in by itself). */
static void
prepare_succeed (GTask *task)
{
  PmHost *self = g_task_get_source_object (task);
  Prepare *prepare = g_task_get_task_data (task);

  if (prepare != NULL)
    g_debug ("%s: ready for slots %.3f s after its probe started", self->login,
             (g_get_monotonic_time () - prepare->start_mono) / (double)G_USEC_PER_SEC);

  if (self->ssh_argv != NULL)
    {
      _pm_host_serve (self, served, g_object_ref (task));
      return;
    }
  _pm_host_set_state (self, PM_HOST_STATE_UP, NULL);
  g_task_return_boolean (task, TRUE);
}

/* What the remote command (spawn_remote ()) wrote, as text; where it could not be read, the host
 * is down and the task has failed: returns FALSE. */
static gboolean
remote_finish (GTask         *task,
               GSubprocess   *subprocess,
               GAsyncResult  *result,
               char         **out_text,
               char         **err_text)
{
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_finish (subprocess, result, &out, &err, &error))
    {
      prepare_fail (task, PM_HOST_ERROR_UNREACHABLE, error->message);
      return FALSE;
    }
  *out_text = bytes_text (out);
  *err_text = bytes_text (err);
  return TRUE;
}

static GSubprocess *
spawn_remote (PmHost      *self,
              const char  *script,
              GError     **error)
{
  g_auto(GStrv) argv = _pm_host_remote_argv (self, script);

  /* Its own standard input, so that neither ssh nor the remote side reads ours. */
  return g_subprocess_newv ((const char * const *)argv,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            error);
}

/* The first word of the last line of @out (what `sha256sum <file` prints) */
static char *
last_word (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (int i = g_strv_length (lines) - 1; i >= 0; i--)
    {
      g_auto(GStrv) words = g_strsplit (g_strstrip (lines[i]), " ", 2);

      if (words[0] != NULL && words[0][0] != '\0')
        return g_strdup (words[0]);
    }
  return g_strdup ("");
}

static void
install_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Prepare *prepare = g_task_get_task_data (task);
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  g_autofree char *sum = NULL;

  if (!remote_finish (task, subprocess, result, &out_text, &err_text))
    return;
  sum = last_word (out_text);
  if (!g_subprocess_get_successful (subprocess) || strcmp (sum, prepare->sha256) != 0)
    {
      g_autofree char *why = ssh_reason (subprocess, err_text);
      g_autofree char *reason = g_strdup_printf (_("cannot copy pool-slot there: %s"), why);

      prepare_fail (task, PM_HOST_ERROR_UNREACHABLE, reason);
      return;
    }
  prepare_succeed (task);
}

static void
install (GTask *task)
{
  PmHost *self = g_task_get_source_object (task);
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;

  script = g_strdup_printf ("d=" PM_HOST_CACHE_DIR "; mkdir -p \"$d\" && t=\"$d/.%s.$$\" && "
                            "cat >\"$t\" && chmod 755 \"$t\" && mv -f \"$t\" \"$d/%s\" && "
                            "sha256sum <\"$d/%s\"",
                            self->slot_name, self->slot_name, self->slot_name);
  if (!(subprocess = spawn_remote (self, script, &error)))
    {
      prepare_fail (task, PM_HOST_ERROR_UNREACHABLE, error->message);
      return;
    }
  _pm_host_end_on_cancel (subprocess, g_task_get_cancellable (task));
  g_subprocess_communicate_async (subprocess, prepare->binary, g_task_get_cancellable (task),
                                  install_done_cb, task);
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PmHost *self = g_task_get_source_object (task);
  Prepare *prepare = g_task_get_task_data (task);
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  g_auto(GStrv) lines = NULL;
  struct utsname here;
  g_autofree char *system = NULL;
  guint at = 0;
  guint64 cpus = 0;

  if (!remote_finish (task, subprocess, result, &out_text, &err_text))
    return;
  lines = g_strsplit (out_text, "\n", -1);
  /* A login script may print before us: our lines follow the mark. */
  while (lines[at] != NULL && strcmp (g_strstrip (lines[at]), PROBE_MARK) != 0)
    at++;
  if (!g_subprocess_get_successful (subprocess) || lines[at] == NULL ||
      g_strv_length (lines + at) < 5)
    {
      g_autofree char *reason = ssh_reason (subprocess, err_text);

      prepare_fail (task, PM_HOST_ERROR_UNREACHABLE, reason);
      return;
    }

  uname (&here);
  system = g_strdup_printf ("%s %s", here.sysname, here.machine);
  if (strcmp (g_strstrip (lines[at + 1]), system) != 0)
    {
      g_autofree char *reason = g_strdup_printf (_("it runs %s, and pool-slot is built for %s "
                                                   "only"), lines[at + 1], system);

      prepare_fail (task, PM_HOST_ERROR_UNSUPPORTED, reason);
      return;
    }
  g_ascii_string_to_unsigned (g_strstrip (lines[at + 2]), 10, 1, 1000000, &cpus, NULL);
  self->cpus = MAX (cpus, 1);
  _pm_host_notify_slots (self);
  self->has_rsync = strcmp (g_strstrip (lines[at + 4]), "rsync") == 0;

  {
    g_autofree char *sum = last_word (lines[at + 3]);

    if (strcmp (sum, prepare->sha256) != 0)
      {
        install (g_steal_pointer (&task));
        return;
      }
  }
  prepare_succeed (task);
}

/**
 * pm_host_prepare_async:
 * @slot_program: this machine's pool-slot, copied to the host when it lacks it
 *
 * Gets the host ready for slots (see the top of this file). This machine is ready at once.
 * A host that cannot be reached or used is marked down with the reason, and the task fails
 * with it.
 */
void
pm_host_prepare_async (PmHost              *self,
                       const char          *slot_program,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *script = NULL;
  Prepare *prepare;
  gsize length;

  g_return_if_fail (PM_IS_HOST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pm_host_prepare_async);

  if (self->ssh_argv == NULL)
    {
      self->cpus = pm_cpu_count ();
      prepare_succeed (task);
      return;
    }

  _pm_host_set_state (self, PM_HOST_STATE_PREPARING, NULL);
  _pm_host_stop_serving (self);
  if (slot_program == NULL || !g_file_get_contents (slot_program, &contents, &length, &error))
    {
      prepare_fail (g_steal_pointer (&task), PM_HOST_ERROR_UNSUPPORTED,
                    error != NULL ? error->message : _("pool-slot is not installed"));
      return;
    }
  prepare = g_new0 (Prepare, 1);
  prepare->slot_program = g_strdup (slot_program);
  prepare->binary = g_bytes_new_take (g_steal_pointer (&contents), length);
  prepare->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, prepare->binary);
  prepare->start_mono = g_get_monotonic_time ();
  g_task_set_task_data (task, prepare, (GDestroyNotify)prepare_free);
  g_free (self->slot_name);
  self->slot_name = g_strdup_printf ("pool-slot-%.16s", prepare->sha256);

  script = g_strdup_printf ("echo " PROBE_MARK "; uname -sm; "
                            "nproc 2>/dev/null || getconf _NPROCESSORS_ONLN; "
                            "f=" PM_HOST_CACHE_DIR "/%s; "
                            "if [ -f \"$f\" ]; then sha256sum <\"$f\"; else echo missing; fi; "
                            "command -v rsync >/dev/null 2>&1 && echo rsync || echo no-rsync",
                            self->slot_name);
  if (!(subprocess = spawn_remote (self, script, &error)))
    {
      prepare_fail (g_steal_pointer (&task), PM_HOST_ERROR_UNREACHABLE, error->message);
      return;
    }
  /* The shared connection, which the slot server goes through once the host is ready, logs in
   * meanwhile (pm-host-shared.c) */
  if (_pm_host_is_ssh (self->ssh_argv[0]) && g_getenv ("POOL_MONITOR_NO_SLOT_SERVER") == NULL)
    g_ptr_array_unref (_pm_host_files_argv (self));
  {
    g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);

    _pm_host_end_on_cancel (subprocess, cancellable);
    g_subprocess_communicate_async (subprocess, nothing, cancellable, probe_done_cb,
                                    g_steal_pointer (&task));
  }
}

gboolean
pm_host_prepare_finish (PmHost        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
