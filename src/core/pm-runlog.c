/* pm-runlog.c
 *
 * Run logs: pm_runlog_save() writes a whole file from any pool at once; pm_runlog_load() reads
 * a joblog or an event log back into a read-only pool; and what the formats' readers and
 * writers share. A PmLogWriter (pm-log-writer.c) writes a log as the run goes. The formats
 * themselves live in pm-joblog.c, pm-eventlog.c (and pm-eventlog-read.c) and pm-trace.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-runlog-private.h"

#include "pm-runlog.h"


/* Line reading and errors, shared by the readers */

void
_pm_line_reader_init (PmLineReader *reader,
                      const char   *data,
                      gsize         len)
{
  reader->data = data;
  reader->len = len;
  reader->pos = 0;
  reader->lineno = 0;
}

/* Returns the next line, without its "\n" (nor a "\r" before it), which may hold NUL bytes.
 * @torn is set for a last line that has no "\n": one a writer was still writing. */
gboolean
_pm_line_reader_next (PmLineReader  *reader,
                      const char   **line,
                      gsize         *line_len,
                      gboolean      *torn)
{
  const char *start;
  const char *nl;
  gsize rest;

  if (reader->pos >= reader->len)
    return FALSE;

  start = reader->data + reader->pos;
  rest = reader->len - reader->pos;
  nl = memchr (start, '\n', rest);
  reader->lineno++;

  if (nl != NULL)
    {
      *line_len = nl - start;
      *torn = FALSE;
      reader->pos += *line_len + 1;
    }
  else
    {
      *line_len = rest;
      *torn = TRUE;
      reader->pos = reader->len;
    }

  if (*line_len > 0 && start[*line_len - 1] == '\r')
    (*line_len)--;
  *line = start;

  return TRUE;
}

void
_pm_runlog_set_error (GError     **error,
                      GFile       *file,
                      guint        lineno,
                      const char  *format,
                      ...)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  if (lineno > 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: %s", name, lineno, reason);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", name, reason);
}

/* A copy of @str that is valid UTF-8, whatever the job wrote or was named. */
char *
_pm_runlog_dup_valid (const char *str,
                      gssize      len)
{
  if (str == NULL)
    return g_strdup ("");
  return g_utf8_make_valid (str, len);
}

/* Bytes that are not UTF-8 in an event log: each byte of an invalid sequence (0x80 … 0xFF)
 * becomes the private-use character U+10FE00 + byte, which the reader turns back into the byte.
 * (A name holding U+10FE80 … U+10FEFF itself comes back as those bytes.) */
#define BYTE_ESCAPE_BASE 0x10FE00

char *
_pm_runlog_escape_bytes (const char *str)
{
  GString *out = g_string_new (NULL);
  const char *p = str;
  const char *end = str + strlen (str);

  while (p < end)
    {
      const char *bad;

      if (g_utf8_validate (p, end - p, &bad))
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, bad - p);
      g_string_append_unichar (out, BYTE_ESCAPE_BASE + (guchar)*bad);
      p = bad + 1;
    }

  return g_string_free (out, FALSE);
}

/* Undoes _pm_runlog_escape_bytes() in place (the bytes take less room than their escapes). */
void
_pm_runlog_unescape_bytes (char *str)
{
  char *in = str;
  char *out = str;

  if (str == NULL || strstr (str, "\xf4\x8f") == NULL)
    return;

  while (*in != '\0')
    {
      guchar c = *in;

      if (c == 0xf4 && (guchar)in[1] == 0x8f && ((guchar)in[2] == 0xba || (guchar)in[2] == 0xbb) &&
          ((guchar)in[3] & 0xc0) == 0x80)
        {
          gunichar cp = g_utf8_get_char (in);

          if (cp >= BYTE_ESCAPE_BASE + 0x80 && cp <= BYTE_ESCAPE_BASE + 0xff)
            {
              *out++ = (char)(cp - BYTE_ESCAPE_BASE);
              in += 4;
              continue;
            }
        }
      *out++ = *in++;
    }
  *out = '\0';
}

int
_pm_runlog_compare_jobs_by_seq (gconstpointer a,
                                gconstpointer b)
{
  PmJob *job_a = *(PmJob **)a;
  PmJob *job_b = *(PmJob **)b;
  guint seq_a = pm_job_get_seq (job_a);
  guint seq_b = pm_job_get_seq (job_b);

  return seq_a < seq_b ? -1 : seq_a > seq_b;
}

/* JSON members, strings made valid UTF-8 (a job's output need not be) */
void
_pm_json_add_int (JsonBuilder *builder,
                  const char  *name,
                  gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
_pm_json_add_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  g_autofree char *valid = _pm_runlog_dup_valid (value, -1);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, valid);
}

/**
 * pm_runlog_save:
 * @pool: a pool, running, finished or read from a log
 * @format: the log format
 * @file: where to save
 * @error: return location for a #GError
 *
 * Writes a whole log of @pool as it is now. The file is replaced only once it is complete.
 *
 * Returns: %TRUE if the file was written
 */
gboolean
pm_runlog_save (PmPool       *pool,
                PmLogFormat   format,
                GFile        *file,
                GError      **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (PM_IS_POOL (pool), FALSE);
  g_return_val_if_fail (format <= PM_LOG_FORMAT_TRACE, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (format)
    {
    case PM_LOG_FORMAT_JOBLOG:
      _pm_joblog_append_header (out);
      _pm_joblog_append_pool (out, pool);
      break;
    case PM_LOG_FORMAT_EVENTS:
      _pm_eventlog_append_pool (out, pool);
      break;
    case PM_LOG_FORMAT_TRACE:
      _pm_trace_append_pool (out, pool);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!g_file_replace_contents (file, out->str, out->len, NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, NULL, error))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_prefix_error (error, _("Cannot save %s: "), name);
      return FALSE;
    }

  return TRUE;
}

/* Logs are read whole: refuse one so large that reading it would take the memory away. */
#define MAX_LOG_SIZE (G_GUINT64_CONSTANT (1) << 30)

static gboolean
load_log_file (GFile   *file,
               char   **data,
               gsize   *len,
               GError **error)
{
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("%s is a folder, not a log file"), name);
      return FALSE;
    }
  if ((guint64)g_file_info_get_size (info) > MAX_LOG_SIZE)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s is %s; logs larger than 1 GiB are not opened"), name, size);
      return FALSE;
    }

  return g_file_load_contents (file, NULL, data, len, NULL, error);
}

typedef PmPool *(*ParseFunc) (GFile       *file,
                              const char  *data,
                              gsize        len,
                              GError     **error);

static PmPool *
load_with (GFile      *file,
           ParseFunc   parse,
           GError    **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!load_log_file (file, &data, &len, error))
    return NULL;
  return parse (file, data, len, error);
}

/**
 * pm_runlog_load:
 * @file: a joblog (ours or GNU parallel's) or an event log
 * @error: return location for a #GError
 *
 * Reads a saved run, recognising the format by its first line.
 *
 * Returns: (transfer full): a read-only pool, or %NULL
 */
PmPool *
pm_runlog_load (GFile   *file,
                GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!load_log_file (file, &data, &len, error))
    return NULL;

  if (len >= strlen ("Seq\tHost") && memcmp (data, "Seq\tHost", strlen ("Seq\tHost")) == 0)
    return _pm_joblog_parse (file, data, len, error);
  if (len > 0 && data[0] == '{')
    return _pm_eventlog_parse (file, data, len, error);

  if (len == 0)
    _pm_runlog_set_error (error, file, 0, _("The file is empty"));
  else
    _pm_runlog_set_error (error, file, 1, _("Neither a joblog nor an event log"));
  return NULL;
}

/**
 * pm_runlog_load_joblog:
 * @file: a joblog, ours or one written by GNU parallel --joblog
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a read-only pool, or %NULL
 */
PmPool *
pm_runlog_load_joblog (GFile   *file,
                       GError **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_with (file, _pm_joblog_parse, error);
}

/**
 * pm_runlog_load_events:
 * @file: an event log (JSON Lines)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a read-only pool, or %NULL
 */
PmPool *
pm_runlog_load_events (GFile   *file,
                       GError **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_with (file, _pm_eventlog_parse, error);
}
