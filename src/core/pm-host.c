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
 * gets slots it is prepared (pm-host-prepare.c: its system, its CPU count, our pool-slot copied
 * there when it lacks it). Files go through pm-host-run.c. Everything is said to the remote
 * shell as one `exec /bin/sh -c '…'` word, so the login shell may be any.
 *
 * Our ssh options (added after the program's name when it is ssh): no terminal (-T), never ask
 * for a password or a host key (BatchMode: a host that would ask is down, with ssh's reason),
 * and a connection that stops answering is found out within half a minute.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pm-host-private.h"


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

  pm_host_close_shared (self);   /* with its ssh command: first */
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

void
_pm_host_set_state (PmHost      *self,
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

static void
cancelled_cb (GCancellable *cancellable,
              GSubprocess  *subprocess)
{
  g_subprocess_send_signal (subprocess, SIGTERM);
}

/* @subprocess, a run for the host (a probe, a copy), gets SIGTERM as soon as @cancellable is
 * cancelled: it must not run on unseen, maybe after pool-run. (Cancelling only stops waiting
 * for it; rsync removes its temporary file on SIGTERM.) */
void
_pm_host_end_on_cancel (GSubprocess  *subprocess,
                        GCancellable *cancellable)
{
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), g_object_ref (subprocess),
                           g_object_unref);
}

gboolean
_pm_host_is_ssh (const char *program)
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
  if (_pm_host_is_ssh (words[0]))
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

/* The CPU count is known: the slots of a host not given N/ are */
void
_pm_host_notify_slots (PmHost *self)
{
  if (!self->given_slots && self->slots == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOTS]);
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
char **
_pm_host_remote_argv (PmHost     *self,
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
 *   program, or the ssh command that runs the copy pm_host_prepare_async() made (a login of its
 *   own: see pm_host_dup_slot_socket() first)
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
  script = g_strdup_printf ("exec " PM_HOST_CACHE_DIR "/%s", self->slot_name);
  return _pm_host_remote_argv (self, script);
}

/**
 * pm_host_dup_slot_socket:
 *
 * Returns: (transfer full) (nullable): the socket here forwarded to the host's slot server
 *   (pm-host-shared.c), once it answered: each connection to it is a slot, a channel of the
 *   shared connection, not a session; %NULL when the host has none (its slots log in each)
 */
char *
pm_host_dup_slot_socket (PmHost *self)
{
  g_return_val_if_fail (PM_IS_HOST (self), NULL);

  return g_strdup (self->fwd_local);
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

  _pm_host_set_state (self, PM_HOST_STATE_DOWN, reason);
}
