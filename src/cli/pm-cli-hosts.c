/* pm-cli-hosts.c
 *
 * pool-run's hosts, named as GNU parallel names them: -S/--sshlogin (repeatable, or several
 * separated by commas), --slf FILE (one a line), --ssh CMD. Before the run, every host is
 * prepared at once (pm-host.c); one that cannot be reached or used is said on standard error
 * with ssh's reason, and the jobs run on the others. With none left, the run does not start.
 * -j applies per host, as in parallel: a number of slots, or a percentage of each host's CPUs;
 * without it, each host gets as many slots as it has CPUs. While the run goes, a host that is
 * lost or comes back is said on standard error too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pm-cli-hosts.h"
#include "pm-host.h"
#include "pm-util.h"

static char **sshlogins;
static char  *sshlogin_file;
static char  *ssh_command;

const GOptionEntry pm_cli_host_entries[] = {
  { "sshlogin", 'S', 0, G_OPTION_ARG_STRING_ARRAY, &sshlogins,
    N_("Run on HOSTS: [N/][user@]host[:port],… (“:” is here)"), N_("HOSTS") },
  { "slf", 0, 0, G_OPTION_ARG_FILENAME, &sshlogin_file,
    N_("Hosts from FILE, one a line"), N_("FILE") },
  { "ssh", 0, 0, G_OPTION_ARG_STRING, &ssh_command,
    N_("The ssh command that reaches the hosts (default: ssh)"), N_("CMD") },
  { NULL }
};

gboolean
pm_cli_hosts_given (void)
{
  return sshlogins != NULL || sshlogin_file != NULL;
}

static GPtrArray *
parse_hosts (GError **error)
{
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func (g_object_unref);

  if (sshlogins != NULL)
    {
      g_autoptr(GPtrArray) given = pm_host_parse_list ((const char * const *)sshlogins,
                                                       ssh_command, error);
      if (given == NULL)
        return NULL;
      g_ptr_array_extend_and_steal (hosts, g_steal_pointer (&given));
    }
  if (sshlogin_file != NULL)
    {
      g_autoptr(GPtrArray) listed = pm_host_read_file (sshlogin_file, ssh_command, error);

      if (listed == NULL)
        {
          g_prefix_error (error, "--slf %s: ", sshlogin_file);
          return NULL;
        }
      g_ptr_array_extend_and_steal (hosts, g_steal_pointer (&listed));
    }
  return g_steal_pointer (&hosts);
}

/* Whether any host is another machine: then a command is looked for there, not here. */
gboolean
pm_cli_hosts_remote (void)
{
  g_autoptr(GPtrArray) hosts = NULL;

  if (!pm_cli_hosts_given () || !(hosts = parse_hosts (NULL)))
    return FALSE;
  for (guint i = 0; i < hosts->len; i++)
    if (!pm_host_is_local (g_ptr_array_index (hosts, i)))
      return TRUE;
  return FALSE;
}

static void
host_state_cb (PmHost     *host,
               GParamSpec *pspec,
               gpointer    user_data)
{
  gboolean *was_up = g_object_get_data (G_OBJECT (host), "pm-cli-was-up");

  if (pm_host_get_state (host) == PM_HOST_STATE_DOWN && *was_up)
    {
      fprintf (stderr, "pool-run: %s\n", pm_host_get_reason (host));
      *was_up = FALSE;
    }
  else if (pm_host_get_state (host) == PM_HOST_STATE_UP && !*was_up)
    {
      fprintf (stderr, _("pool-run: host %s is back\n"), pm_host_get_login (host));
      *was_up = TRUE;
    }
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  guint *n_left = user_data;

  pm_host_prepare_finish (PM_HOST (object), result, NULL);
  (*n_left)--;
}

/**
 * pm_cli_hosts_prepare:
 * @jobs: (nullable): -j as given
 * @slot_program: this machine's pool-slot
 *
 * Returns: (transfer full) (element-type PmHost): the hosts that are up, each with its slots,
 *   or %NULL with @error set when none is
 */
GPtrArray *
pm_cli_hosts_prepare (const char  *jobs,
                      const char  *slot_program,
                      GError     **error)
{
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GPtrArray) up = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) down = g_string_new (NULL);
  guint n_left;
  guint percent = 0, per_host = 0;

  if (!(hosts = parse_hosts (error)))
    return NULL;
  if (jobs != NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup (jobs));
      gsize len = strlen (text);
      guint64 value;

      if (len > 1 && text[len - 1] == '%')
        {
          text[len - 1] = '\0';
          if (!g_ascii_string_to_unsigned (text, 10, 1, 100000, &value, NULL))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("the pool limit “%s” is not a whole number or a percentage"), jobs);
              return NULL;
            }
          percent = value;
        }
      else if (!(per_host = pm_parse_limit (jobs, error)))
        {
          return NULL;
        }
    }

  n_left = hosts->len;
  for (guint i = 0; i < hosts->len; i++)
    pm_host_prepare_async (g_ptr_array_index (hosts, i), slot_program, NULL, prepared_cb,
                           &n_left);
  while (n_left > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < hosts->len; i++)
    {
      PmHost *host = g_ptr_array_index (hosts, i);

      if (pm_host_get_state (host) != PM_HOST_STATE_UP)
        {
          g_string_append_printf (down, "%s%s: %s", down->len > 0 ? "; " : "",
                                  pm_host_get_login (host), pm_host_get_reason (host));
          continue;
        }
      if (percent > 0)
        pm_host_set_slots (host, MAX (1, pm_host_get_cpus (host) * percent / 100));
      else if (per_host > 0)
        pm_host_set_slots (host, per_host);
      g_object_set_data_full (G_OBJECT (host), "pm-cli-was-up", g_new0 (gboolean, 1), g_free);
      *(gboolean *)g_object_get_data (G_OBJECT (host), "pm-cli-was-up") = TRUE;
      g_signal_connect (host, "notify::state", G_CALLBACK (host_state_cb), NULL);
      g_ptr_array_add (up, g_object_ref (host));
    }
  /* Said in one line: the hosts that are down, or, when none is up, why nothing runs */
  if (up->len == 0)
    {
      g_set_error (error, PM_HOST_ERROR, PM_HOST_ERROR_UNREACHABLE,
                   _("no host can run jobs: %s"), down->str);
      return NULL;
    }
  if (down->len > 0)
    fprintf (stderr, _("pool-run: running without the hosts that are down: %s\n"), down->str);
  return g_steal_pointer (&up);
}
