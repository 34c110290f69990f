/* pm-cli-control.c
 *
 * pool-run's options for how output is shown (--group, --ungroup, --line-buffer,
 * --keep-order, --tag, --tagstring, --results), for the status line (--progress, --bar, --eta,
 * --no-summary) and for the pace of a run, as GNU parallel 20221122 reads them:
 *
 * - -j N, -j 0 (as many at once as the system allows: the pool runs at what it can hold),
 *   -j +N and -j -N (the CPU count plus or minus N, at least 1), -j N% (of the CPU count,
 *   rounded up; a fraction such as 12.5% too), -j FILE (a file holding one of these, read
 *   again whenever it changes while the run goes on: the limit follows);
 * - --delay S: at least S seconds between two job starts;
 * - --load N (or N%: of the CPU count): start a job only while the 1-minute load average is
 *   below N;
 * - --memfree SIZE (k, M, G, T: powers of 1024): start a job only while the system has SIZE
 *   available (MemAvailable). Unlike parallel, running jobs are never killed for memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>

#include "pm-cli-control.h"
#include "pm-cli-hosts.h"
#include "pm-util.h"

#define FILE_POLL_MS 1000
#define WAIT_MS      1000

struct _PmCliControl
{
  PmCliStatusOptions status;
  gboolean  group;
  gboolean  ungroup;
  gboolean  line_buffer;
  double    delay;
  char     *load;
  char     *memfree;

  double    max_load;         /* 0: no --load */
  guint64   min_free;         /* bytes; 0: no --memfree */
  char     *jobs_file;        /* -j FILE */
  gint64    jobs_file_mtime;
  PmPool   *pool;
  guint     poll_source;
  gulong    started_handler;
  gint64    last_start;       /* monotonic µs of the last job start */
};

PmCliControl *
pm_cli_control_new (void)
{
  return g_new0 (PmCliControl, 1);
}

void
pm_cli_control_add_entries (PmCliControl   *self,
                            GOptionContext *context)
{
  const GOptionEntry entries[] = {
    { "group", 0, 0, G_OPTION_ARG_NONE, &self->group,
      N_("Show each job's output whole when it ends"), NULL },
    { "ungroup", 'u', 0, G_OPTION_ARG_NONE, &self->ungroup,
      N_("Show output as it comes, lines not kept whole"), NULL },
    { "line-buffer", 0, 0, G_OPTION_ARG_NONE, &self->line_buffer,
      N_("Show each line whole as it ends (the default)"), NULL },
    { "keep-order", 'k', 0, G_OPTION_ARG_NONE, &self->status.modes.keep_order,
      N_("Show output in the order of the jobs"), NULL },
    { "tag", 0, 0, G_OPTION_ARG_NONE, &self->status.modes.tag,
      N_("Start each line with the argument and a tab"), NULL },
    { "tagstring", 0, 0, G_OPTION_ARG_STRING, &self->status.modes.tagstring,
      N_("Start each line with STR ({} {#} {%}) and a tab"), N_("STR") },
    { "results", 0, 0, G_OPTION_ARG_FILENAME, &self->status.modes.results,
      N_("Keep each job's stdout, stderr, seq in DIR/1/ARG/"), N_("DIR") },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &self->status.progress,
      N_("Show the status line even when not on a terminal"), NULL },
    { "bar", 0, 0, G_OPTION_ARG_NONE, &self->status.bar,
      N_("Show the status line with a progress bar"), NULL },
    { "eta", 0, 0, G_OPTION_ARG_NONE, &self->status.eta,
      N_("Show the status line with the time left"), NULL },
    { "no-summary", 0, 0, G_OPTION_ARG_NONE, &self->status.no_summary,
      N_("Print no summary at the end"), NULL },
    { "delay", 0, 0, G_OPTION_ARG_DOUBLE, &self->delay,
      N_("Wait S seconds between job starts"), N_("S") },
    { "load", 0, 0, G_OPTION_ARG_STRING, &self->load,
      N_("Start jobs only while the load is below N"), N_("N[%]") },
    { "memfree", 0, 0, G_OPTION_ARG_STRING, &self->memfree,
      N_("Start jobs only while SIZE is free (k M G T)"), N_("SIZE") },
    { NULL }
  };
  GOptionEntry *copy = g_memdup2 (entries, sizeof entries);

  /* GOption keeps pointers to the entries' strings only; the array itself is copied. */
  g_option_context_add_main_entries (context, copy, GETTEXT_PACKAGE);
  g_free (copy);
}

/**
 * pm_cli_control_takes_value:
 * @arg: a word of pool-run's command line
 *
 * Returns: whether @arg is a long option of pool-run whose value is the next word (so that
 *   the value is not taken for the command's first word)
 */
gboolean
pm_cli_control_takes_value (const char *arg)
{
  static const char * const names[] = {
    "--jobs", "--count", "--sleep-min", "--sleep-max", "--work", "--seed", "--arg-file",
    "--joblog", "--events", "--trace", "--timeout", "--termseq", "--retries", "--halt",
    "--tagstring", "--results", "--delay", "--load", "--memfree", "--what-if", "--cores",
    "-S", "--sshlogin", "--slf", "--ssh", NULL
  };

  return g_strv_contains (names, arg);
}

static gboolean
parse_size (const char *text,
            guint64    *bytes)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);
  double unit = 1;

  if (end == text || value < 0)
    return FALSE;
  switch (g_ascii_tolower (*end))
    {
    case '\0': unit = 1; break;
    case 'k': unit = 1024.0; break;
    case 'm': unit = 1024.0 * 1024; break;
    case 'g': unit = 1024.0 * 1024 * 1024; break;
    case 't': unit = 1024.0 * 1024 * 1024 * 1024; break;
    default: return FALSE;
    }
  if (*end != '\0' && end[1] != '\0')
    return FALSE;
  *bytes = (guint64)(value * unit);
  return TRUE;
}

gboolean
pm_cli_control_check (PmCliControl  *self,
                      gboolean       quiet,
                      GError       **error)
{
  if (self->group + self->ungroup + self->line_buffer > 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("--group, --ungroup and --line-buffer are one mode each"));
      return FALSE;
    }
  self->status.modes.mode = self->group ? PM_CLI_MODE_GROUP
                          : self->ungroup ? PM_CLI_MODE_UNGROUP : PM_CLI_MODE_LINE;
  self->status.modes.quiet = quiet;
  if (!pm_cli_modes_check (&self->status.modes, error))
    return FALSE;

  if (self->delay < 0 || self->delay > 86400)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--delay must be from 0 to 86400 seconds, not %g"), self->delay);
      return FALSE;
    }
  if (self->load != NULL)
    {
      gsize len = strlen (self->load);
      char *end = NULL;
      double value = g_ascii_strtod (self->load, &end);
      gboolean percent = len > 0 && self->load[len - 1] == '%';

      if (end == self->load || value <= 0 || (*end != '\0' && !(percent && end[1] == '\0')))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("--load is a number or a percentage of the CPUs, not “%s”"),
                       self->load);
          return FALSE;
        }
      self->max_load = percent ? value * pm_cpu_count () / 100 : value;
    }
  if (self->memfree != NULL && !parse_size (self->memfree, &self->min_free))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--memfree is a size such as 500M or 2G, not “%s”"), self->memfree);
      return FALSE;
    }
  return TRUE;
}

/* One of parallel's forms of -j, not a file */
static guint
parse_limit (const char  *text,
             GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gsize len = strlen (copy);
  guint cpus = pm_cpu_count ();
  gint64 limit;
  char *end = NULL;

  if (len > 1 && (copy[0] == '+' || copy[0] == '-') && g_ascii_isdigit (copy[1]))
    {
      gint64 n = g_ascii_strtoll (copy + 1, &end, 10);

      if (*end != '\0' || n > PM_POOL_MAX_LIMIT)
        goto bad;
      limit = copy[0] == '+' ? cpus + n : MAX ((gint64)cpus - n, 1);
    }
  else if (len > 1 && copy[len - 1] == '%' && g_ascii_isdigit (copy[0]))
    {
      double percent = g_ascii_strtod (copy, &end);
      double exact;

      if (end != copy + len - 1 || percent > 1e6)
        goto bad;
      exact = cpus * percent / 100;
      limit = (gint64)exact;
      limit = MAX (limit + (limit < exact), 1);   /* rounded up, as parallel */
    }
  else if (len > 0 && g_ascii_isdigit (copy[0]))
    {
      limit = g_ascii_strtoll (copy, &end, 10);
      if (*end != '\0')
        goto bad;
      /* 0: as many as the system allows; the pool finds that out as it spawns */
      if (limit == 0)
        limit = PM_POOL_MAX_LIMIT;
    }
  else
    goto bad;

  if (limit > PM_POOL_MAX_LIMIT)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                   _("The pool limit %s is too large (at most %u)"), text, PM_POOL_MAX_LIMIT);
      return 0;
    }
  return (guint)limit;

bad:
  g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
               _("The pool limit “%s” is not N, 0, +N, -N, N%% or a file holding one"), text);
  return 0;
}

static gint64
mtime_of (const char *path)
{
  struct stat st;

  if (stat (path, &st) != 0)
    return -1;
  return (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

static guint
read_jobs_file (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return 0;
  return parse_limit (contents, error);
}

/**
 * pm_cli_control_parse_jobs:
 * @text: the value of -j
 *
 * Returns: the limit, or 0 with @error set
 */
guint
pm_cli_control_parse_jobs (PmCliControl  *self,
                           const char    *text,
                           GError       **error)
{
  guint limit;

  if (g_file_test (text, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GError) local = NULL;

      limit = read_jobs_file (text, &local);
      if (limit == 0)
        {
          g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT, "%s: %s", text,
                       local->message);
          return 0;
        }
      g_free (self->jobs_file);
      self->jobs_file = g_strdup (text);
      self->jobs_file_mtime = mtime_of (text);
      return limit;
    }
  limit = parse_limit (text, error);
  self->status.modes.one_at_a_time = limit == 1 && !pm_cli_hosts_given ();
  return limit;
}

const PmCliStatusOptions *
pm_cli_control_get_status_options (PmCliControl *self)
{
  return &self->status;
}

/* -j FILE: the limit follows the file while the run goes on; a file that does not read as a
 * limit leaves it as it was. */
static gboolean
poll_jobs_file_cb (gpointer user_data)
{
  PmCliControl *self = user_data;
  gint64 mtime = mtime_of (self->jobs_file);
  guint limit;

  if (mtime == self->jobs_file_mtime || mtime < 0)
    return G_SOURCE_CONTINUE;
  self->jobs_file_mtime = mtime;
  if ((limit = read_jobs_file (self->jobs_file, NULL)) > 0)
    pm_pool_set_max_workers (self->pool, limit, NULL);
  return G_SOURCE_CONTINUE;
}

static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return 0;
  return g_ascii_strtod (text, NULL);
}

static guint64
mem_available (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL) ||
      (line = strstr (text, "MemAvailable:")) == NULL)
    return G_MAXUINT64;
  return g_ascii_strtoull (line + strlen ("MemAvailable:"), NULL, 10) * 1024;
}

static guint
start_gate (PmPool   *pool,
            gpointer  user_data)
{
  PmCliControl *self = user_data;

  if (self->delay > 0 && self->last_start != 0)
    {
      gint64 due = self->last_start + (gint64)(self->delay * G_USEC_PER_SEC);
      gint64 now = g_get_monotonic_time ();

      if (now < due)
        return MAX (1, (guint)((due - now + 999) / 1000));
    }
  if (self->max_load > 0 && load_average () >= self->max_load)
    return WAIT_MS;
  if (self->min_free > 0 && mem_available () < self->min_free)
    return WAIT_MS;
  return 0;
}

static void
job_started_cb (PmCliControl *self)
{
  self->last_start = g_get_monotonic_time ();
}

/* What the options ask of the pool while it runs */
void
pm_cli_control_apply (PmCliControl *self,
                      PmPool       *pool)
{
  self->pool = g_object_ref (pool);
  if (self->jobs_file != NULL)
    self->poll_source = g_timeout_add (FILE_POLL_MS, poll_jobs_file_cb, self);
  if (self->delay > 0 || self->max_load > 0 || self->min_free > 0)
    {
      pm_pool_set_start_gate (pool, start_gate, self);
      self->started_handler = g_signal_connect_swapped (pool, "job-started",
                                                        G_CALLBACK (job_started_cb), self);
    }
}

void
pm_cli_control_free (PmCliControl *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (self->pool != NULL)
    {
      g_clear_signal_handler (&self->started_handler, self->pool);
      pm_pool_set_start_gate (self->pool, NULL, NULL);
    }
  g_clear_object (&self->pool);
  /* The option values GOption gave */
  g_free ((char *)self->status.modes.tagstring);
  g_free ((char *)self->status.modes.results);
  g_free (self->load);
  g_free (self->memfree);
  g_free (self->jobs_file);
  g_free (self);
}
