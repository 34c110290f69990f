/* pm-host.c
 *
 * A machine the pool runs slots on: this one (":"), or one reached through OpenSSH, named as GNU
 * parallel's --sshlogin names it:
 *
 *   [N/][user@]host[:port]     N slots (else -j, else the host's CPU count), ssh -p port
 *   [N/]ssh -p 2222 -i key host  a whole ssh command, its last word the host
 *   [N/]:                      this machine
 *
 * A remote slot is the same pool-slot as a local one, over `ssh HOST exec …/pool-slot`, one ssh
 * connection per slot kept for the run: a remote job costs a message, not a login. Before a host
 * gets slots it is prepared: one ssh run looks at it (its system, its CPU count, and the SHA-256
 * of the pool-slot it holds, if any), and when that pool-slot is missing or differs from ours,
 * a second copies ours over the same ssh command into $XDG_CACHE_HOME/pool-monitor/ (by
 * default ~/.cache/pool-monitor/), named by its hash so that pools of two versions never run
 * each other's. pool-slot is linked statically, so it runs on any Linux of this architecture;
 * another system or architecture is refused with a clear message. Everything is said to the
 * remote shell as one `exec /bin/sh -c '…'` word, so the login shell may be any.
 *
 * Our ssh options (added after the program's name when it is ssh): no terminal (-T), never ask
 * for a password or a host key (BatchMode: a host that would ask is down, with ssh's reason),
 * and a connection that stops answering is found out within half a minute.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include <glib/gi18n.h>

#include "pm-host.h"
#include "pm-util.h"

#define PROBE_MARK "pool-monitor-probe 1"
#define CACHE_DIR  "\"${XDG_CACHE_HOME:-$HOME/.cache}/pool-monitor\""

struct _PmHost
{
  GObject      parent_instance;

  char        *login;       /* as given, without N/; ":" for this machine */
  char       **ssh_argv;    /* NULL for this machine */
  guint        slots;       /* 0 until known */
  gboolean     given_slots; /* N/ was given */
  guint        cpus;
  PmHostState  state;
  char        *reason;
  char        *slot_name;   /* pool-slot-HASH, once prepared */
};

enum {
  PROP_0,
  PROP_LOGIN,
  PROP_SLOTS,
  PROP_STATE,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PmHost, pm_host, G_TYPE_OBJECT)
G_DEFINE_QUARK (pm-host-error-quark, pm_host_error)

static void
pm_host_finalize (GObject *object)
{
  PmHost *self = PM_HOST (object);

  g_free (self->login);
  g_strfreev (self->ssh_argv);
  g_free (self->reason);
  g_free (self->slot_name);

  G_OBJECT_CLASS (pm_host_parent_class)->finalize (object);
}

static void
pm_host_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PmHost *self = PM_HOST (object);

  switch (prop_id)
    {
    case PROP_LOGIN:
      g_value_set_string (value, self->login);
      break;
    case PROP_SLOTS:
      g_value_set_uint (value, self->slots);
      break;
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_host_class_init (PmHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pm_host_finalize;
  object_class->get_property = pm_host_get_property;

  properties[PROP_LOGIN] =
    g_param_spec_string ("login", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLOTS] =
    g_param_spec_uint ("slots", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, PM_HOST_STATE_DOWN, PM_HOST_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pm_host_init (PmHost *self)
{
}

static void
set_state (PmHost      *self,
           PmHostState  state,
           const char  *reason)
{
  if (g_strcmp0 (self->reason, reason) != 0)
    {
      g_free (self->reason);
      self->reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/**
 * pm_host_new_local:
 *
 * Returns: (transfer full): this machine, ":"
 */
PmHost *
pm_host_new_local (void)
{
  PmHost *self = g_object_new (PM_TYPE_HOST, NULL);

  self->login = g_strdup (":");
  return self;
}

static gboolean
is_ssh (const char *program)
{
  g_autofree char *base = g_path_get_basename (program);

  return strcmp (base, "ssh") == 0;
}

/* @words, with our options after the program's name when it is ssh (see the top) */
static char **
with_our_options (char **words)
{
  static const char * const ours[] = {
    "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20",
    "-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3",
  };
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, g_strdup (words[0]));
  if (is_ssh (words[0]))
    for (guint i = 0; i < G_N_ELEMENTS (ours); i++)
      g_ptr_array_add (argv, g_strdup (ours[i]));
  for (guint i = 1; words[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (words[i]));
  g_ptr_array_add (argv, NULL);
  g_strfreev (words);
  return (char **)g_ptr_array_free (argv, FALSE);
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/**
 * pm_host_parse:
 * @sshlogin: one host as GNU parallel's --sshlogin names it (see the top of this file)
 * @ssh_command: (nullable): the ssh command for `[user@]host[:port]` (--ssh), default "ssh"
 *
 * Returns: (transfer full): the host, or %NULL with @error set
 */
PmHost *
pm_host_parse (const char  *sshlogin,
               const char  *ssh_command,
               GError     **error)
{
  g_autoptr(PmHost) self = g_object_new (PM_TYPE_HOST, NULL);
  g_autofree char *text = g_strstrip (g_strdup (sshlogin));
  g_autoptr(GError) local_error = NULL;
  const char *rest = text;
  const char *slash;
  char **words;

  g_return_val_if_fail (sshlogin != NULL, NULL);

  /* N/ */
  if ((slash = strchr (text, '/')) != NULL && slash > text && strspn (text, "0123456789") ==
      (gsize)(slash - text))
    {
      g_autofree char *number = g_strndup (text, slash - text);
      guint64 n;

      if (!g_ascii_string_to_unsigned (number, 10, 1, 100000, &n, NULL))
        {
          g_set_error (error, PM_HOST_ERROR, PM_HOST_ERROR_SYNTAX,
                       _("“%s”: the number of slots before “/” must be 1 or more"), sshlogin);
          return NULL;
        }
      self->slots = n;
      self->given_slots = TRUE;
      rest = slash + 1;
      while (g_ascii_isspace (*rest))
        rest++;
    }

  if (*rest == '\0')
    {
      g_set_error (error, PM_HOST_ERROR, PM_HOST_ERROR_SYNTAX, _("“%s”: no host is named"),
                   sshlogin);
      return NULL;
    }
  self->login = g_strdup (rest);
  if (strcmp (rest, ":") == 0)
    return g_steal_pointer (&self);

  if (strpbrk (rest, " \t") != NULL)
    {
      /* a whole ssh command */
      if (!g_shell_parse_argv (rest, NULL, &words, &local_error))
        {
          g_set_error (error, PM_HOST_ERROR, PM_HOST_ERROR_SYNTAX, _("“%s”: %s"), sshlogin,
                       local_error->message);
          return NULL;
        }
      self->ssh_argv = with_our_options (words);
    }
  else
    {
      g_autofree char *host = g_strdup (rest);
      char *colon = strrchr (host, ':');
      GPtrArray *argv;
      int n_words;

      if (!g_shell_parse_argv (ssh_command != NULL && *ssh_command != '\0' ? ssh_command : "ssh",
                               &n_words, &words, &local_error))
        {
          g_set_error (error, PM_HOST_ERROR, PM_HOST_ERROR_SYNTAX, _("--ssh “%s”: %s"),
                       ssh_command, local_error->message);
          return NULL;
        }
      words = with_our_options (words);
      argv = g_ptr_array_new ();
      for (guint i = 0; words[i] != NULL; i++)
        g_ptr_array_add (argv, words[i]);
      g_free (words);
      if (colon != NULL && strchr (host, ':') == colon)
        {
          if (!all_digits (colon + 1))
            {
              g_ptr_array_add (argv, NULL);
              g_strfreev ((char **)g_ptr_array_free (argv, FALSE));
              g_set_error (error, PM_HOST_ERROR, PM_HOST_ERROR_SYNTAX,
                           _("“%s”: the port after “:” must be a number"), sshlogin);
              return NULL;
            }
          *colon = '\0';
          g_ptr_array_add (argv, g_strdup ("-p"));
          g_ptr_array_add (argv, g_strdup (colon + 1));
        }
      if (host[0] == '\0' || host[0] == '-' || g_str_has_suffix (host, "@"))
        {
          g_ptr_array_add (argv, NULL);
          g_strfreev ((char **)g_ptr_array_free (argv, FALSE));
          g_set_error (error, PM_HOST_ERROR, PM_HOST_ERROR_SYNTAX, _("“%s”: no host is named"),
                       sshlogin);
          return NULL;
        }
      g_ptr_array_add (argv, g_steal_pointer (&host));
      g_ptr_array_add (argv, NULL);
      self->ssh_argv = (char **)g_ptr_array_free (argv, FALSE);
    }
  return g_steal_pointer (&self);
}

/**
 * pm_host_parse_list:
 * @sshlogins: hosts, each a --sshlogin value: one host or several separated by commas
 * @ssh_command: (nullable): see pm_host_parse()
 *
 * A host named twice is one host.
 *
 * Returns: (transfer full) (element-type PmHost): the hosts, or %NULL with @error set
 */
GPtrArray *
pm_host_parse_list (const char * const *sshlogins,
                    const char         *ssh_command,
                    GError            **error)
{
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; sshlogins != NULL && sshlogins[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (sshlogins[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          PmHost *host;
          gboolean known = FALSE;

          if (g_strstrip (parts[j])[0] == '\0')
            continue;
          if (!(host = pm_host_parse (parts[j], ssh_command, error)))
            return NULL;
          for (guint k = 0; k < hosts->len && !known; k++)
            known = strcmp (pm_host_get_login (g_ptr_array_index (hosts, k)), host->login) == 0;
          if (known)
            g_object_unref (host);
          else
            g_ptr_array_add (hosts, host);
        }
    }
  if (hosts->len == 0)
    {
      g_set_error_literal (error, PM_HOST_ERROR, PM_HOST_ERROR_SYNTAX, _("no host is named"));
      return NULL;
    }
  return g_steal_pointer (&hosts);
}

/**
 * pm_host_read_file:
 * @path: a file of sshlogins, one a line, as GNU parallel's --slf: "#" starts a comment
 *
 * Returns: (transfer full) (element-type PmHost): the hosts, or %NULL with @error set
 */
GPtrArray *
pm_host_read_file (const char  *path,
                   const char  *ssh_command,
                   GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) logins = g_ptr_array_new ();

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] != '\0' && line[0] != '#')
        g_ptr_array_add (logins, line);
    }
  g_ptr_array_add (logins, NULL);
  return pm_host_parse_list ((const char * const *)logins->pdata, ssh_command, error);
}

const char *
pm_host_get_login (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), NULL);

  return self->login;
}

gboolean
pm_host_is_local (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), TRUE);

  return self->ssh_argv == NULL;
}

/**
 * pm_host_get_slots:
 *
 * Returns: how many slots the host gets: N/ as given, else what pm_host_set_slots() said,
 *   else (once prepared) its CPU count; 0 while not known
 */
guint
pm_host_get_slots (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), 0);

  return self->slots != 0 ? self->slots : self->cpus;
}

gboolean
pm_host_has_given_slots (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), FALSE);

  return self->given_slots;
}

/* The slots of a host not given N/ (-j applies per host, as in GNU parallel) */
void
pm_host_set_slots (PmHost *self,
                   guint   slots)
{
  g_return_if_fail (PM_IS_HOST (self));

  if (self->given_slots || self->slots == slots)
    return;
  self->slots = slots;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOTS]);
}

guint
pm_host_get_cpus (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), 0);

  return self->cpus;
}

PmHostState
pm_host_get_state (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), PM_HOST_STATE_UNKNOWN);

  return self->state;
}

/**
 * pm_host_get_reason:
 *
 * Returns: (nullable): why the host is down (ssh's own words where it said any)
 */
const char *
pm_host_get_reason (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), NULL);

  return self->reason;
}

/**
 * pm_host_get_ssh_argv:
 *
 * Returns: (nullable): the ssh command that reaches the host, without a remote command;
 *   %NULL for this machine
 */
const char * const *
pm_host_get_ssh_argv (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), NULL);

  return (const char * const *)self->ssh_argv;
}

/* The ssh command with @script run by /bin/sh on the host (@script has no single quote) */
static char **
remote_argv (PmHost     *self,
             const char *script)
{
  guint n = g_strv_length (self->ssh_argv);
  char **argv = g_new0 (char *, n + 2);

  g_assert (strchr (script, '\'') == NULL);
  for (guint i = 0; i < n; i++)
    argv[i] = g_strdup (self->ssh_argv[i]);
  argv[n] = g_strdup_printf ("exec /bin/sh -c '%s'", script);
  return argv;
}

/**
 * pm_host_dup_slot_argv:
 * @local_program: this machine's pool-slot
 *
 * Returns: (transfer full): the command that starts a slot process for this host: the local
 *   program, or the ssh command that runs the copy pm_host_prepare_async() made
 */
char **
pm_host_dup_slot_argv (PmHost     *self,
                       const char *local_program)
{
  g_autofree char *script = NULL;

  g_return_val_if_fail (PM_IS_HOST (self), NULL);

  if (self->ssh_argv == NULL)
    return g_strdupv ((char *[]){ (char *)local_program, NULL });
  g_return_val_if_fail (self->slot_name != NULL, NULL);
  script = g_strdup_printf ("exec " CACHE_DIR "/%s", self->slot_name);
  return remote_argv (self, script);
}

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

  set_state (self, PM_HOST_STATE_DOWN, reason);
  g_task_return_new_error (task, PM_HOST_ERROR, code, "%s: %s", self->login, reason);
}

static GSubprocess *
spawn_remote (PmHost      *self,
              const char  *script,
              GError     **error)
{
  g_auto(GStrv) argv = remote_argv (self, script);

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
  PmHost *self = g_task_get_source_object (task);
  Prepare *prepare = g_task_get_task_data (task);
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  g_autofree char *sum = NULL;

  if (!g_subprocess_communicate_finish (subprocess, result, &out, &err, &error))
    {
      prepare_fail (task, PM_HOST_ERROR_UNREACHABLE, error->message);
      return;
    }
  out_text = bytes_text (out);
  err_text = bytes_text (err);
  sum = last_word (out_text);
  if (!g_subprocess_get_successful (subprocess) || strcmp (sum, prepare->sha256) != 0)
    {
      g_autofree char *why = ssh_reason (subprocess, err_text);
      g_autofree char *reason = g_strdup_printf (_("cannot copy pool-slot there: %s"), why);

      prepare_fail (task, PM_HOST_ERROR_UNREACHABLE, reason);
      return;
    }
  set_state (self, PM_HOST_STATE_UP, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
install (GTask *task)
{
  PmHost *self = g_task_get_source_object (task);
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;

  script = g_strdup_printf ("d=" CACHE_DIR "; mkdir -p \"$d\" && t=\"$d/.%s.$$\" && "
                            "cat >\"$t\" && chmod 755 \"$t\" && mv -f \"$t\" \"$d/%s\" && "
                            "sha256sum <\"$d/%s\"",
                            self->slot_name, self->slot_name, self->slot_name);
  if (!(subprocess = spawn_remote (self, script, &error)))
    {
      prepare_fail (task, PM_HOST_ERROR_UNREACHABLE, error->message);
      return;
    }
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
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  g_auto(GStrv) lines = NULL;
  struct utsname here;
  g_autofree char *system = NULL;
  guint at = 0;
  guint64 cpus = 0;

  if (!g_subprocess_communicate_finish (subprocess, result, &out, &err, &error))
    {
      prepare_fail (task, PM_HOST_ERROR_UNREACHABLE, error->message);
      return;
    }
  out_text = bytes_text (out);
  err_text = bytes_text (err);
  lines = g_strsplit (out_text, "\n", -1);
  /* A login script may print before us: our lines follow the mark. */
  while (lines[at] != NULL && strcmp (g_strstrip (lines[at]), PROBE_MARK) != 0)
    at++;
  if (!g_subprocess_get_successful (subprocess) || lines[at] == NULL ||
      g_strv_length (lines + at) < 4)
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
  if (!self->given_slots && self->slots == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOTS]);

  {
    g_autofree char *sum = last_word (lines[at + 3]);

    if (strcmp (sum, prepare->sha256) != 0)
      {
        install (g_steal_pointer (&task));
        return;
      }
  }
  set_state (self, PM_HOST_STATE_UP, NULL);
  g_task_return_boolean (task, TRUE);
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
      set_state (self, PM_HOST_STATE_UP, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  set_state (self, PM_HOST_STATE_PREPARING, NULL);
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
  g_task_set_task_data (task, prepare, (GDestroyNotify)prepare_free);
  g_free (self->slot_name);
  self->slot_name = g_strdup_printf ("pool-slot-%.16s", prepare->sha256);

  script = g_strdup_printf ("echo " PROBE_MARK "; uname -sm; "
                            "nproc 2>/dev/null || getconf _NPROCESSORS_ONLN; "
                            "f=" CACHE_DIR "/%s; "
                            "if [ -f \"$f\" ]; then sha256sum <\"$f\"; else echo missing; fi",
                            self->slot_name);
  if (!(subprocess = spawn_remote (self, script, &error)))
    {
      prepare_fail (g_steal_pointer (&task), PM_HOST_ERROR_UNREACHABLE, error->message);
      return;
    }
  {
    g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);

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

/**
 * pm_host_set_down:
 * @reason: why, in a few words
 *
 * The pool lost the host (a slot's connection closed): no new job goes there until it is
 * prepared again.
 */
void
pm_host_set_down (PmHost     *self,
                  const char *reason)
{
  g_return_if_fail (PM_IS_HOST (self));

  set_state (self, PM_HOST_STATE_DOWN, reason);
}
