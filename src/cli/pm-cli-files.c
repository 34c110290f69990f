/* pm-cli-files.c
 *
 * pool-run's files, as GNU parallel names the options: --basefile/--bf FILE (sent to each remote
 * host before its first job), --transferfile/--tf NAME (sent before each remote job; NAME may
 * hold replacement strings), --transfer (--tf {}), --return NAME (brought back after it),
 * --cleanup (what was sent and brought back is removed there after the job), --trc NAME
 * (--transfer --return NAME --cleanup), --workdir/--wd DIR (where jobs run; "..." a dir of each
 * job's own). The names take the same replacement strings as the command (-I and its family).
 * How they are moved: pm-pool-files.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pm-cli-files.h"

static char   **basefiles;
static char   **basefiles_short;
static char   **transferfiles;
static char   **transferfiles_short;
static gboolean transfer;
static char   **returns;
static gboolean cleanup;
static char   **trc;
static char    *workdir;
static char    *workdir_short;

const GOptionEntry pm_cli_file_entries[] = {
  { "basefile", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &basefiles,
    N_("Send FILE to each remote host before its first job"), N_("FILE") },
  { "bf", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, &basefiles_short, NULL, NULL },
  { "transferfile", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &transferfiles,
    N_("Send NAME ({} …) to the host before each job"), N_("NAME") },
  { "tf", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, &transferfiles_short,
    NULL, NULL },
  { "transfer", 0, 0, G_OPTION_ARG_NONE, &transfer,
    N_("Send each remote job's argument, a file (--tf {})"), NULL },
  { "return", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &returns,
    N_("Bring the file NAME back after each remote job"), N_("NAME") },
  { "cleanup", 0, 0, G_OPTION_ARG_NONE, &cleanup,
    N_("Remove the files sent and brought back after a job"), NULL },
  { "trc", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trc,
    N_("--transfer --return NAME --cleanup"), N_("NAME") },
  { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &workdir,
    N_("Run the jobs in DIR (“...”: a new dir for each)"), N_("DIR") },
  { "wd", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &workdir_short, NULL, NULL },
  { NULL }
};

static void
add_all (GPtrArray *to,
         char     **from)
{
  for (guint i = 0; from != NULL && from[i] != NULL; i++)
    g_ptr_array_add (to, from[i]);
}

/* One template whose words are the names (NULL for none) */
static PmTemplate *
names_template (PmCliInput  *input,
                GPtrArray   *names,
                GError     **error)
{
  if (names->len == 0)
    return NULL;
  g_ptr_array_add (names, NULL);
  return pm_cli_input_make_template (input, (const char * const *)names->pdata, error);
}

/**
 * pm_cli_files_apply:
 *
 * Gives @pool the files the options name. Returns FALSE with @error set for options that do
 * not go together.
 */
gboolean
pm_cli_files_apply (PmPool      *pool,
                    PmCliInput  *input,
                    GError     **error)
{
  g_autoptr(GPtrArray) bases = g_ptr_array_new ();
  g_autoptr(GPtrArray) sends = g_ptr_array_new ();
  g_autoptr(GPtrArray) backs = g_ptr_array_new ();
  g_autoptr(PmTemplate) send_template = NULL;
  g_autoptr(PmTemplate) back_template = NULL;
  g_autoptr(PmTemplate) dir_template = NULL;
  const char *dir = workdir != NULL ? workdir : workdir_short;
  g_autoptr(GError) local_error = NULL;

  add_all (bases, basefiles);
  add_all (bases, basefiles_short);
  add_all (sends, transferfiles);
  add_all (sends, transferfiles_short);
  if (transfer || trc != NULL)
    g_ptr_array_add (sends, input->replace != NULL ? input->replace : (char *)"{}");
  add_all (backs, returns);
  add_all (backs, trc);
  g_ptr_array_add (bases, NULL);

  if ((sends->len > 0 && !(send_template = names_template (input, sends, &local_error))) ||
      (backs->len > 0 && !(back_template = names_template (input, backs, &local_error))) ||
      (dir != NULL && dir[0] != '\0' &&
       !(dir_template = pm_cli_input_make_template (input, (const char *[]){ dir, NULL },
                                                    &local_error))))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return pm_pool_set_files (pool, (const char * const *)bases->pdata, send_template,
                            back_template, dir_template, cleanup || trc != NULL, error);
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint *n_left = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = pm_host_run_finish (PM_HOST (object), result, &error);

  if (out == NULL)
    fprintf (stderr, _("pool-run: cannot remove the basefiles from %s: %s\n"),
             pm_host_get_login (PM_HOST (object)), error->message);
  (*n_left)--;
}

/**
 * pm_cli_files_remove_basefiles:
 *
 * With --cleanup, once the run is over: the basefiles are removed from each remote host that is
 * up, as GNU parallel does.
 */
void
pm_cli_files_remove_basefiles (PmPool *pool)
{
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GString) script = NULL;
  const char *dir = workdir != NULL ? workdir : workdir_short;
  guint n_left = 0;

  if (!(cleanup || trc != NULL) || (basefiles == NULL && basefiles_short == NULL))
    return;
  script = g_string_new (NULL);
  /* where they were sent: the working dir when it is one for all, else the login dir */
  if (dir != NULL && dir[0] != '\0' && !g_str_equal (dir, "...") && strchr (dir, '{') == NULL)
    {
      g_autofree char *quoted = g_shell_quote (dir);
      g_string_append_printf (script, "cd -- %s && ", quoted);
    }
  g_string_append (script, "rm -f --");
  for (guint k = 0; k < 2; k++)
    for (char **name = k == 0 ? basefiles : basefiles_short; name != NULL && *name != NULL; name++)
      {
        const char *mark = strstr (*name, "/./");
        g_autofree char *quoted = g_shell_quote (mark != NULL ? mark + 3 : *name);

        g_string_append_printf (script, " %s", quoted);
      }

  hosts = pm_pool_dup_hosts (pool);
  for (guint i = 0; i < hosts->len; i++)
    {
      PmHost *host = g_ptr_array_index (hosts, i);

      if (pm_host_is_local (host) || pm_host_get_state (host) != PM_HOST_STATE_UP)
        continue;
      n_left++;
      pm_host_run_async (host, script->str, NULL, NULL, NULL, removed_cb, &n_left);
    }
  while (n_left > 0)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * pm_cli_files_close_hosts:
 *
 * Once the run is over and its files moved: the connection each remote host's file runs shared
 * is closed (pm-host-run.c), so that no ssh of ours outlives pool-run.
 */
void
pm_cli_files_close_hosts (PmPool *pool)
{
  g_autoptr(GPtrArray) hosts = pm_pool_dup_hosts (pool);

  for (guint i = 0; i < hosts->len; i++)
    pm_host_close_shared (g_ptr_array_index (hosts, i));
}
