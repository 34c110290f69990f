/* pm-cli-hosts.c
 *
 * pool-run's hosts, named as GNU parallel names them: -S/--sshlogin (repeatable, or several
 * separated by commas), --slf FILE (one a line), --ssh CMD. Before the run, every host is
 * prepared at once (pm-host.c); one that cannot be reached or used is said on standard error
 * with ssh's reason, and the jobs run on the others. With none left, the run does not start.
 * -j applies per host, as in parallel: a number of slots, or a percentage of each host's CPUs;
 * without it, each host gets as many slots as it has CPUs. While the run goes, a host that is
 * lost or comes back is said on standard error too. --slf FILE is watched while the run goes
 * and read again when it changes, as GNU parallel does: a host it lists anew is prepared and
 * joins the run with lanes of its own; a host it no longer lists takes no more jobs once its
 * running ones end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pm-cli-hosts.h"
#include "pm-pool.h"
#include "pm-host.h"
#include "pm-util.h"

static char **sshlogins;
static char  *sshlogin_file;
static char  *ssh_command;

/* -j per host, as pm_cli_hosts_prepare() read it */
static guint  jobs_percent;
static guint  jobs_per_host;

/* --slf FILE watched while the run goes (pm_cli_hosts_watch()) */
typedef struct
{
  PmPool       *pool;
  char         *slot_program;
  GFileMonitor *monitor;
  GHashTable   *listed;      /* login → PmHost, the file's hosts the pool has (or is getting) */
  char         *last;        /* the file as last read */
} Watch;

static Watch *watch;

const GOptionEntry pm_cli_host_entries[] = {
  { "sshlogin", 'S', 0, G_OPTION_ARG_STRING_ARRAY, &sshlogins,
    N_("Run on HOSTS: [N/][user@]host[:port],… (“:” is here)"), N_("HOSTS") },
  { "slf", 0, 0, G_OPTION_ARG_FILENAME, &sshlogin_file,
    N_("Hosts from FILE, one a line (read again on change)"), N_("FILE") },
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

/* -j applies per host (see the top) */
static void
set_slots (PmHost *host)
{
  if (jobs_percent > 0)
    pm_host_set_slots (host, MAX (1, pm_host_get_cpus (host) * jobs_percent / 100));
  else if (jobs_per_host > 0)
    pm_host_set_slots (host, jobs_per_host);
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

  jobs_percent = percent;
  jobs_per_host = per_host;
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
      set_slots (host);
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

/* A host the file lists now, prepared: it joins the run. */
static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  PmHost *host = PM_HOST (object);
  g_autoptr(GError) error = NULL;

  if (!pm_host_prepare_finish (host, result, &error))
    {
      fprintf (stderr, _("pool-run: --slf: %s\n"), error->message);
      return;
    }
  if (watch == NULL || g_hash_table_lookup (watch->listed, pm_host_get_login (host)) != host)
    return;   /* no longer listed meanwhile, or the run is over */
  set_slots (host);
  fprintf (stderr, ngettext ("pool-run: --slf: host %s added (%u slot)\n",
                             "pool-run: --slf: host %s added (%u slots)\n",
                             pm_host_get_slots (host)),
           pm_host_get_login (host), pm_host_get_slots (host));
  pm_pool_add_host (watch->pool, host);
}

/* Reads the file again: a host it lists anew is prepared and joins; a host it no longer lists
 * takes no more jobs (those running there finish). A file that cannot be read is left as it
 * was last read, as GNU parallel does. */
static void
reread (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) now = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer login, value;

  if (!g_file_get_contents (sshlogin_file, &text, NULL, NULL) ||
      g_strcmp0 (text, watch->last) == 0)
    return;
  if (!(hosts = pm_host_read_file (sshlogin_file, ssh_command, &error)))
    {
      fprintf (stderr, "pool-run: --slf %s: %s\n", sshlogin_file, error->message);
      return;
    }
  g_free (watch->last);
  watch->last = g_steal_pointer (&text);

  for (guint i = 0; i < hosts->len; i++)
    {
      PmHost *host = g_ptr_array_index (hosts, i);
      PmHost *known = g_hash_table_lookup (watch->listed, pm_host_get_login (host));

      g_hash_table_add (now, (gpointer)pm_host_get_login (known != NULL ? known : host));
      if (known != NULL)
        {
          if (g_object_get_data (G_OBJECT (known), "pm-cli-removed") != NULL)
            {
              g_object_set_data (G_OBJECT (known), "pm-cli-removed", NULL);
              fprintf (stderr, _("pool-run: --slf: host %s listed again\n"),
                       pm_host_get_login (known));
              pm_pool_add_host (watch->pool, known);
            }
          continue;
        }
      g_hash_table_insert (watch->listed, g_strdup (pm_host_get_login (host)),
                           g_object_ref (host));
      pm_host_prepare_async (host, watch->slot_program, NULL, added_cb, NULL);
    }

  g_hash_table_iter_init (&iter, watch->listed);
  while (g_hash_table_iter_next (&iter, &login, &value))
    if (!g_hash_table_contains (now, login) &&
        g_object_get_data (value, "pm-cli-removed") == NULL)
      {
        g_object_set_data (value, "pm-cli-removed", GINT_TO_POINTER (1));
        fprintf (stderr, _("pool-run: --slf: host %s removed, it takes no more jobs\n"),
                 (const char *)login);
        pm_pool_remove_host (watch->pool, value);
      }
}

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            gpointer           user_data)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT || event == G_FILE_MONITOR_EVENT_CREATED ||
      event == G_FILE_MONITOR_EVENT_MOVED_IN || event == G_FILE_MONITOR_EVENT_RENAMED)
    reread ();
}

/**
 * pm_cli_hosts_watch:
 * @pool: the run's pool, its hosts set from pm_cli_hosts_prepare()
 * @hosts: (element-type PmHost): those hosts
 *
 * Watches --slf FILE, if given, while the run goes: see reread().
 */
void
pm_cli_hosts_watch (PmPool      *pool,
                    GPtrArray   *hosts,
                    const char  *slot_program)
{
  g_autoptr(GFile) file = NULL;

  if (sshlogin_file == NULL || watch != NULL)
    return;
  watch = g_new0 (Watch, 1);
  watch->pool = g_object_ref (pool);
  watch->slot_program = g_strdup (slot_program);
  watch->listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_file_get_contents (sshlogin_file, &watch->last, NULL, NULL);
  /* the file's hosts as the pool has them (those that were down at the start stay out) */
  {
    g_autoptr(GPtrArray) listed = pm_host_read_file (sshlogin_file, ssh_command, NULL);

    for (guint i = 0; listed != NULL && i < listed->len; i++)
      {
        const char *login = pm_host_get_login (g_ptr_array_index (listed, i));

        for (guint k = 0; k < hosts->len; k++)
          if (g_str_equal (pm_host_get_login (g_ptr_array_index (hosts, k)), login))
            g_hash_table_insert (watch->listed, g_strdup (login),
                                 g_object_ref (g_ptr_array_index (hosts, k)));
        if (!g_hash_table_contains (watch->listed, login))
          g_hash_table_insert (watch->listed, g_strdup (login),
                               g_object_ref (g_ptr_array_index (listed, i)));
      }
  }
  file = g_file_new_for_commandline_arg (sshlogin_file);
  watch->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (watch->monitor != NULL)
    g_signal_connect (watch->monitor, "changed", G_CALLBACK (changed_cb), NULL);
}

/* The run is over: the file is no longer watched. */
void
pm_cli_hosts_unwatch (void)
{
  if (watch == NULL)
    return;
  if (watch->monitor != NULL)
    g_file_monitor_cancel (watch->monitor);
  g_clear_object (&watch->monitor);
  g_clear_object (&watch->pool);
  g_hash_table_unref (watch->listed);
  g_free (watch->slot_program);
  g_free (watch->last);
  g_clear_pointer (&watch, g_free);
}
