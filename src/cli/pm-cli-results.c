/* pm-cli-results.c
 *
 * pool-run --results DIR: each job's stdout, stderr and seq in files, laid out as GNU parallel
 * 20221122 does (see pm-cli-modes.c for what goes in them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pm-cli-results.h"

/* The job's argument as one folder name, as GNU parallel writes it */
static char *
results_name (const char *argument)
{
  GString *s = g_string_new (NULL);

  for (const char *p = argument; *p != '\0'; p++)
    {
      if (*p == '\\')
        g_string_append (s, "\\\\");
      else if (*p == '\t')
        g_string_append (s, "\\t");
      else if (*p == '/')
        g_string_append (s, "\\_");
      else
        g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

/* DIR/1/A/2/B/…: each value under the number of its source (or column) in the record, as
 * GNU parallel lays it out; a job without values under 1, by its name. */
static char *
results_dir (const char *results,
             PmJob      *job)
{
  guint width = 1;
  const char * const *values = pm_job_get_values (job, &width);
  const char *name[] = { pm_job_get_name (job), NULL };
  GString *dir = g_string_new (results);

  if (values == NULL)
    values = name;
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *part = results_name (values[i]);

      g_string_append_printf (dir, "/%u/%s", i % MAX (width, 1) + 1, part);
    }
  return g_string_free (dir, FALSE);
}

/* Makes @job's folder under @results, writes its seq file and opens its stdout and stderr files
 * into @fds (-1 for one that cannot be opened, said on stderr). */
void
pm_cli_results_open (const char *results,
                     PmJob      *job,
                     int         fds[2])
{
  g_autofree char *dir = results_dir (results, job);
  g_autofree char *seq_path = g_build_filename (dir, "seq", NULL);
  g_autofree char *seq = g_strdup_printf ("%u", pm_job_get_seq (job));
  g_autoptr(GError) error = NULL;
  static const char *streams[] = { "stdout", "stderr" };

  if (g_mkdir_with_parents (dir, 0777) != 0 ||
      !g_file_set_contents (seq_path, seq, -1, &error))
    {
      g_printerr ("pool-run: %s %s: %s\n", _("cannot write the results of job"), seq,
                  error ? error->message : g_strerror (errno));
      return;
    }
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (dir, streams[i], NULL);

      fds[i] = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      if (fds[i] < 0)
        g_printerr ("pool-run: %s %s: %s\n", _("cannot write"), path, g_strerror (errno));
    }
}

/* An attempt of the job that will be run again: its file @fd starts again empty, so that it
 * keeps the last attempt's output alone, as GNU parallel's. A file that cannot be emptied is
 * said on stderr and closed (*@fd = -1). */
void
pm_cli_results_restart (PmJob *job,
                        int   *fd)
{
  if (*fd < 0)
    return;
  if (ftruncate (*fd, 0) != 0 || lseek (*fd, 0, SEEK_SET) < 0)
    {
      g_printerr ("pool-run: %s %u: %s\n", _("cannot write the results of job"),
                  pm_job_get_seq (job), g_strerror (errno));
      close (*fd);
      *fd = -1;
    }
}
