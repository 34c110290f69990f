/* pm-run-plan.c
 *
 * The next run as the settings describe it, without a widget: each field checked (a message per
 * wrong one), the source its jobs are made from (the demo workers, or a template over its
 * arguments: the job source pool-run uses, so that the pool makes them in batches and a FIFO's
 * as its lines arrive) and the pool's timeout, attempts and halt policy. PmRunSettings shows
 * the messages beside its fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <glib/gi18n.h>

#include "pm-demo.h"
#include "pm-job-source.h"
#include "pm-util.h"
#include "pm-run-plan.h"

#define MAX_ATTEMPTS 1000u

static char **
split_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* Blank lines are no arguments; a trailing CR from a DOS file is not part of one. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize len = strlen (lines[i]);
      if (len > 0 && lines[i][len - 1] == '\r')
        lines[i][--len] = '\0';
      if (len > 0)
        g_strv_builder_add (builder, lines[i]);
    }
  return g_strv_builder_end (builder);
}

/* The typed list's arguments: blank lines are no arguments, or NULL with @error set. */
static char **
list_arguments (GSettings  *settings,
                GError    **error)
{
  g_autofree char *text = g_settings_get_string (settings, "args-list");
  g_auto(GStrv) args = split_lines (text);

  if (args[0] == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type at least one argument, one per line"));
      return NULL;
    }
  if (g_strv_length (args) > PM_MAX_COUNT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("There are %u arguments; a run has at most %d jobs"),
                   g_strv_length (args), PM_MAX_COUNT);
      return NULL;
    }
  return g_steal_pointer (&args);
}

/* The file of arguments: a regular file, or a FIFO, read as its lines come (never before
 * Start: its lines would be taken). A device is refused: a terminal or standard input is not
 * the window's (a desktop starts it with none), and /dev/zero and the like never end. */
static gboolean
check_arguments_file (const char  *path,
                      GError     **error)
{
  g_autofree char *display = NULL;
  GStatBuf st;

  if (path[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Choose a file of arguments"));
      return FALSE;
    }
  display = g_filename_display_name (path);
  if (g_stat (path, &st) != 0 || g_access (path, R_OK) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot read the arguments: %s: %s"), display, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) && !S_ISFIFO (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("Cannot read the arguments: “%s” is neither a regular file nor a FIFO"),
                   display);
      return FALSE;
    }
  if (S_ISREG (st.st_mode) && st.st_size == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” holds no arguments"), display);
      return FALSE;
    }
  return TRUE;
}

/* The source of a template run's jobs, the one pool-run uses, so that the window reads a file
 * of arguments as pool-run and GNU parallel do (every line an argument, an empty one too), or
 * NULL with @error set. */
static PmJobSource *
template_source (GSettings   *settings,
                 PmTemplate  *template_,
                 GError     **error)
{
  g_autofree char *source_name = g_settings_get_string (settings, "args-source");
  g_autofree char *path = g_settings_get_string (settings, "args-file");
  g_autoptr(PmJobSource) source = pm_job_source_new (template_);

  if (g_str_equal (source_name, "count"))
    pm_job_source_add_count (source, g_settings_get_uint (settings, "count"));
  else if (g_str_equal (source_name, "list"))
    {
      g_auto(GStrv) args = list_arguments (settings, error);

      if (args == NULL)
        return NULL;
      pm_job_source_add_values (source, (const char * const *)args, FALSE);
    }
  else if (!check_arguments_file (path, error) ||
           !pm_job_source_add_file (source, path, FALSE, error))
    return NULL;
  /* Every job of a run in the window is a row: a file may not make more than a count may */
  pm_job_source_set_max_jobs (source, PM_MAX_COUNT);

  return g_steal_pointer (&source);
}

static char **
parse_template (GSettings      *settings,
                GError        **error)
{
  g_autofree char *text = g_settings_get_string (settings, "template");
  g_autofree char *program = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) words = NULL;

  g_strstrip (text);
  if (text[0] == '\0')
    {
      g_set_error_literal (error, PM_TEMPLATE_ERROR, PM_TEMPLATE_ERROR_EMPTY,
                           _("Type a command, such as: echo {#} {}"));
      return NULL;
    }
  if (!g_shell_parse_argv (text, NULL, &words, &local_error))
    {
      g_set_error (error, G_SHELL_ERROR, local_error->code,
                   _("The command cannot be split into words: %s"), local_error->message);
      return NULL;
    }
  if (!(program = g_find_program_in_path (words[0])))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   strchr (words[0], '/') ? _("There is no program “%s”")
                                          : _("There is no program “%s” in PATH"), words[0]);
      return NULL;
    }

  return g_steal_pointer (&words);
}

static gboolean
parse_halt (GSettings      *settings,
            PmHalt         *halt,
            GError        **error)
{
  g_autofree char *when = g_settings_get_string (settings, "halt-when");
  g_autofree char *on = g_settings_get_string (settings, "halt-on");
  g_autofree char *threshold = g_settings_get_string (settings, "halt-threshold");
  g_autofree char *text = NULL;

  g_strstrip (threshold);
  if (g_str_equal (when, "never"))
    return pm_halt_parse ("never", halt, error);

  text = g_strdup_printf ("%s,%s=%s", when, on, threshold);
  if (!pm_halt_parse (text, halt, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Give up after a number of jobs from 1, or a percentage from 1%% to 100%%, "
                   "not “%s”"), threshold);
      return FALSE;
    }
  return TRUE;
}

/**
 * pm_run_plan_check:
 * @settings: the run settings
 * @messages: (out caller-allocates): for each field, what is wrong with it (free with g_free()),
 *   or %NULL
 *
 * Checks every field of the next run.
 *
 * Returns: %TRUE if a run can start with these settings
 */
gboolean
pm_run_plan_check (GSettings *settings,
                   char      *messages[PM_N_RUN_FIELDS])
{
  g_autofree char *mode = g_settings_get_string (settings, "mode");
  g_autofree char *source = g_settings_get_string (settings, "args-source");
  g_autofree char *timeout = g_settings_get_string (settings, "timeout");
  g_autoptr(GError) timeout_error = NULL;
  g_autoptr(GError) halt_error = NULL;
  guint timeout_ms, timeout_percent;
  PmHalt halt;
  gboolean demo = g_str_equal (mode, "demo");
  guint count = g_settings_get_uint (settings, "count");
  guint limit = g_settings_get_uint (settings, "limit");
  guint retries = g_settings_get_uint (settings, "retries");
  double sleep_min = g_settings_get_double (settings, "sleep-min");
  double sleep_max = g_settings_get_double (settings, "sleep-max");
  gboolean ok = TRUE;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  memset (messages, 0, sizeof (char *) * PM_N_RUN_FIELDS);

  if ((demo || g_str_equal (source, "count")) && (count == 0 || count > PM_MAX_COUNT))
    messages[PM_RUN_FIELD_COUNT] =
      g_strdup_printf (_("The number of jobs must be from 1 to 1,000,000, not %u"), count);
  if (limit == 0)
    messages[PM_RUN_FIELD_LIMIT] =
      g_strdup (_("The limit must be at least 1: a pool with no slots runs nothing"));
  else if (limit > PM_POOL_MAX_LIMIT)
    messages[PM_RUN_FIELD_LIMIT] = g_strdup_printf (_("The limit can be at most %u"),
                                                    PM_POOL_MAX_LIMIT);
  if (demo && sleep_min > sleep_max)
    messages[PM_RUN_FIELD_SLEEP] =
      g_strdup_printf (_("The shortest sleep (%g s) is longer than the longest (%g s)"),
                       sleep_min, sleep_max);
  if (!demo)
    {
      g_autoptr(GError) template_error = NULL;
      g_autoptr(GError) args_error = NULL;
      g_auto(GStrv) words = parse_template (settings, &template_error);

      if (template_error != NULL)
        messages[PM_RUN_FIELD_TEMPLATE] = g_strdup (template_error->message);
      if (g_str_equal (source, "list"))
        {
          g_auto(GStrv) args = list_arguments (settings, &args_error);
        }
      else if (!g_str_equal (source, "count"))
        {
          g_autofree char *path = g_settings_get_string (settings, "args-file");

          check_arguments_file (path, &args_error);
        }
      if (args_error != NULL)
        messages[PM_RUN_FIELD_ARGS] = g_strdup (args_error->message);
    }

  if (!pm_timeout_parse (timeout, &timeout_ms, &timeout_percent, &timeout_error))
    messages[PM_RUN_FIELD_TIMEOUT] = g_strdup (timeout_error->message);
  if (retries == 0 || retries > MAX_ATTEMPTS)
    messages[PM_RUN_FIELD_RETRIES] =
      g_strdup_printf (_("Each job gets from 1 to %u attempts in all, not %u"),
                       MAX_ATTEMPTS, retries);
  if (!parse_halt (settings, &halt, &halt_error))
    messages[PM_RUN_FIELD_HALT] = g_strdup (halt_error->message);

  for (guint f = 0; f < PM_N_RUN_FIELDS; f++)
    ok = ok && messages[f] == NULL;
  return ok;
}

/**
 * pm_run_plan_make_source:
 * @settings: the run settings, already checked
 * @error: return location for a #GError
 *
 * Makes the source of the next run's jobs: the demo workers, each with its planned sleep from
 * the seeded generator, or the command template over its arguments. Nothing is read yet: a
 * FIFO is opened (without waiting for its writer) and read as the pool pulls.
 *
 * Returns: (transfer full): the source, or %NULL with @error set
 */
PmJobSource *
pm_run_plan_make_source (GSettings  *settings,
                         GError    **error)
{
  g_autofree char *mode = g_settings_get_string (settings, "mode");

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  if (g_str_equal (mode, "demo"))
    {
      gint64 seed = g_settings_get_int64 (settings, "seed");
      PmDemoOptions demo = {
        .sleep_min = g_settings_get_double (settings, "sleep-min"),
        .sleep_max = MIN (g_settings_get_double (settings, "sleep-max"), PM_DEMO_MAX_SLEEP),
        .work = g_settings_get_boolean (settings, "demo-compute") ? "cpu" : NULL,
        .numbered = TRUE,
        .seed = seed >= 0 ? (guint32)seed : g_random_int (),
      };
      PmJobSource *source = pm_job_source_new (NULL);

      if (!pm_demo_set_make_func (source, &demo, error))
        {
          g_object_unref (source);
          return NULL;
        }
      pm_job_source_add_count (source, g_settings_get_uint (settings, "count"));
      return source;
    }
  else
    {
      g_auto(GStrv) words = parse_template (settings, error);
      g_autoptr(PmTemplate) template_ = NULL;

      if (words == NULL || !(template_ = pm_template_new ((const char * const *)words, error)))
        return NULL;
      return template_source (settings, template_, error);
    }
}

/**
 * pm_run_plan_is_stream:
 * @settings: the run settings
 *
 * Returns: %TRUE if the arguments come from a FIFO: read by the run only, as they arrive, so
 *   neither previewed nor counted before they end
 */
gboolean
pm_run_plan_is_stream (GSettings *settings)
{
  g_autofree char *mode = NULL;
  g_autofree char *source = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  mode = g_settings_get_string (settings, "mode");
  source = g_settings_get_string (settings, "args-source");
  path = g_settings_get_string (settings, "args-file");
  return g_str_equal (mode, "template") && g_str_equal (source, "file") && path[0] != '\0' &&
         g_stat (path, &st) == 0 && S_ISFIFO (st.st_mode);
}

/**
 * pm_run_plan_configure_pool:
 * @settings: the run settings
 * @pool: a pool not yet started
 * @error: return location for a #GError
 *
 * Gives @pool the timeout, the attempts and the halt policy of the settings.
 *
 * Returns: %TRUE if the settings were valid and applied
 */
gboolean
pm_run_plan_configure_pool (GSettings  *settings,
                            PmPool     *pool,
                            GError    **error)
{
  g_autofree char *timeout = NULL;
  guint timeout_ms, timeout_percent;
  PmHalt halt;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (PM_IS_POOL (pool), FALSE);

  timeout = g_settings_get_string (settings, "timeout");
  if (!pm_timeout_parse (timeout, &timeout_ms, &timeout_percent, error) ||
      !parse_halt (settings, &halt, error))
    return FALSE;

  pm_pool_set_timeout (pool, timeout_ms);
  pm_pool_set_timeout_percent (pool, timeout_percent);
  pm_pool_set_retries (pool, CLAMP (g_settings_get_uint (settings, "retries"), 1,
                                    MAX_ATTEMPTS));
  pm_pool_set_halt (pool, &halt);
  return TRUE;
}
