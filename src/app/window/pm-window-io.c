/* pm-window-io.c: saving a run (logs and pictures) and opening a saved one
 *
 * A save writes the whole file or reports why it could not; the run stays in the window
 * either way, so it can be saved elsewhere. An opened log becomes a read-only pool shown by
 * the same list and timeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo.h>
#include <cairo-svg.h>
#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include <glib/gi18n.h>

#include "pm-runlog.h"
#include "pm-window-private.h"

#define PICTURE_MIN_WIDTH  1200
#define PICTURE_MIN_HEIGHT 480
#define AUTOSAVE_KEEP      20
/* What a recorded event log keeps of the jobs' output: a job that floods its output (`yes`
 * wrote 35 MB of events a second) must not fill the disk. The window shows each job's tail
 * whatever the limit, and Save As writes that. */
#define AUTOSAVE_JOB_OUTPUT (4 << 20)
#define AUTOSAVE_RUN_OUTPUT (64 << 20)

static const struct
{
  const char *name;
  const char *extension;
  const char *mime_type;
} formats[PM_N_SAVE_FORMATS] = {
  [PM_SAVE_JOBLOG] = { N_("Joblog, as GNU parallel writes it (.tsv)"), ".tsv",
                       "text/tab-separated-values" },
  [PM_SAVE_EVENTS] = { N_("Event log (.jsonl)"), ".jsonl", NULL },
  [PM_SAVE_TRACE] = { N_("Chrome trace, for Perfetto (.json)"), ".json", "application/json" },
  [PM_SAVE_PNG] = { N_("Timeline picture (.png)"), ".png", "image/png" },
  [PM_SAVE_SVG] = { N_("Timeline drawing (.svg)"), ".svg", "image/svg+xml" },
};

/**
 * _pm_save_format_from_file:
 * @file: a file
 * @format: (out): the format its name asks for
 *
 * Returns: %TRUE if the file's extension names a format
 */
gboolean
_pm_save_format_from_file (GFile        *file,
                           PmSaveFormat *format)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < PM_N_SAVE_FORMATS; i++)
    if (g_str_has_suffix (lower, formats[i].extension))
      {
        *format = i;
        return TRUE;
      }
  if (g_str_has_suffix (lower, ".joblog") || g_str_has_suffix (lower, ".log"))
    {
      *format = PM_SAVE_JOBLOG;
      return TRUE;
    }
  return FALSE;
}

static cairo_status_t
write_stream_cb (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  GOutputStream *stream = closure;
  GError **error = g_object_get_data (G_OBJECT (stream), "pm-error");

  if (*error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (stream, data, length, NULL, NULL, error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
save_picture (PmWindow      *self,
              GFile         *file,
              PmSaveFormat   format,
              GError       **error)
{
  PmTimeline *timeline = _pm_window_get_timeline (self);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) write_error = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (timeline)), PICTURE_MIN_WIDTH);
  int height = MAX (pm_timeline_get_picture_height (timeline), PICTURE_MIN_HEIGHT);
  int caption = _pm_window_lesson_caption_height (self);   /* the run's summary, under it */

  if (!(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                 error)))
    return FALSE;
  g_object_set_data (G_OBJECT (stream), "pm-error", &write_error);

  if (format == PM_SAVE_SVG)
    {
      surface = cairo_svg_surface_create_for_stream (write_stream_cb, stream, width,
                                                     height + caption);
      /* In pixels, as drawn: in points (cairo's default) viewers showed it at 133 % */
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
    }
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height + caption);

  cr = cairo_create (surface);
  /* A picture on its own needs a background the widget gets from its window. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  pm_timeline_render_to_cairo (timeline, cr, width, height);
  _pm_window_draw_lesson_caption (self, cr, height, width, caption);
  cairo_destroy (cr);

  if (format == PM_SAVE_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_stream_cb, stream);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);

  if (write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot draw the timeline: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

/**
 * _pm_save_error_body:
 * @file: the file that was not saved
 * @error: why
 *
 * The text under "Cannot Save “name”": the reason once, without the path GIO puts in its
 * messages ("Error opening file “/a/run.png”: Permission denied" says "Permission denied").
 *
 * Returns: (transfer full): the text
 */
char *
_pm_save_error_body (GFile        *file,
                     const GError *error)
{
  g_autofree char *name = g_file_get_basename (file);
  const char *reason = error->message;
  const char *colon = strrchr (reason, ':');

  if (name != NULL && strstr (reason, name) != NULL && colon != NULL && colon[1] == ' ' &&
      strstr (colon, name) == NULL)
    reason = colon + 2;
  return g_strdup_printf (_("%s\n\nThe run is still here: save it somewhere else."), reason);
}

/**
 * _pm_window_save:
 * @self: a #PmWindow
 * @file: where to save
 * @format: what to write
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the whole file was written
 */
gboolean
_pm_window_save (PmWindow      *self,
                 GFile         *file,
                 PmSaveFormat   format,
                 GError       **error)
{
  PmPool *pool = pm_window_get_pool (self);
  static const PmLogFormat log_formats[] = {
    [PM_SAVE_JOBLOG] = PM_LOG_FORMAT_JOBLOG,
    [PM_SAVE_EVENTS] = PM_LOG_FORMAT_EVENTS,
    [PM_SAVE_TRACE] = PM_LOG_FORMAT_TRACE,
  };

  g_return_val_if_fail (PM_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (pool == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no run to save"));
      return FALSE;
    }

  switch (format)
    {
    case PM_SAVE_JOBLOG:
    case PM_SAVE_EVENTS:
    case PM_SAVE_TRACE:
      return pm_runlog_save (pool, log_formats[format], file, error);
    case PM_SAVE_PNG:
    case PM_SAVE_SVG:
      return save_picture (self, file, format, error);
    case PM_N_SAVE_FORMATS:
    default:
      g_assert_not_reached ();
    }
}

/**
 * _pm_window_open:
 * @self: a #PmWindow
 * @file: a joblog (ours or GNU parallel's) or an event log
 * @error: return location for a #GError
 *
 * Shows the run read from @file, read-only. On failure the window keeps what it showed.
 *
 * Returns: %TRUE if the run was read
 */
gboolean
_pm_window_open (PmWindow  *self,
                 GFile     *file,
                 GError   **error)
{
  g_autoptr(PmPool) pool = NULL;
  g_autofree char *name = NULL;
  g_autofree char *origin = NULL;

  g_return_val_if_fail (PM_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (pm_window_get_pool (self) != NULL && pm_pool_is_active (pm_window_get_pool (self)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("A run is going on: stop it before opening another"));
      return FALSE;
    }

  if (!(pool = pm_runlog_load (file, error)))
    return FALSE;

  name = g_file_get_basename (file);
  origin = g_strdup_printf (_("%s (read-only)"), name);
  _pm_window_set_pool (self, pool, origin);
  self->opened_path = g_file_get_path (file);
  return TRUE;
}

/**
 * _pm_window_open_files:
 * @self: a #PmWindow
 * @files: (array length=n_files): run logs
 * @n_files: how many
 *
 * Shows the first of @files that opens, read-only. What did not open is said in one message;
 * when nothing opened, the window shows why in place of a run (no demo run behind the error).
 */
void
_pm_window_open_files (PmWindow  *self,
                       GFile    **files,
                       int        n_files)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *shown = NULL;

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_file_get_basename (files[i]);
      g_autoptr(GError) error = NULL;

      if (shown != NULL)
        g_string_append_printf (problems, _("“%s”: not opened, the window shows “%s” (one run "
                                            "at a time)\n"), name, shown);
      else if (_pm_window_open (self, files[i], &error))
        shown = g_steal_pointer (&name);
      else
        g_string_append_printf (problems, "“%s”: %s\n", name, error->message);
    }
  g_strchomp (problems->str);
  if (shown == NULL)
    {
      _pm_window_show_open_failure (self, problems->str);
      return;
    }
  if (problems->len > 0)
    _pm_window_show_error (self, _("Some Files Were Not Opened"), problems->str);
}

/* Dialogs */

static gboolean
drop_chooser_cb (gpointer user_data)
{
  g_object_set_data (G_OBJECT (user_data), "pm-chooser", NULL);
  return G_SOURCE_REMOVE;
}

/* Not from inside the chooser's own response signal. */
static void
drop_chooser (PmWindow *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, drop_chooser_cb, g_object_ref (self), g_object_unref);
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  PmWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GtkFileFilter *filter;
  PmSaveFormat format = PM_SAVE_JOBLOG;

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
  if (filter != NULL)
    format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (filter), "pm-format"));

  /* The name's extension wins; a name without a known one gets the chosen format's. */
  if (file != NULL && !_pm_save_format_from_file (file, &format))
    {
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *with_ext = g_strconcat (path, formats[format].extension, NULL);

      g_object_unref (file);
      file = g_file_new_for_path (with_ext);
    }

  if (file != NULL && !_pm_window_save (self, file, format, &error))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *heading = g_strdup_printf (_("Cannot Save “%s”"), name);
      g_autofree char *body = _pm_save_error_body (file, error);
      _pm_window_show_error (self, heading, body);
    }
  else if (file != NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);
      _pm_window_toast (self, message);
    }

out:
  drop_chooser (self);
}

void
_pm_window_save_dialog (PmWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "run-%Y%m%d-%H%M%S.tsv");

  if (pm_window_get_pool (self) == NULL || g_object_get_data (G_OBJECT (self), "pm-chooser"))
    return;

  chooser = gtk_file_chooser_native_new (_("Save the Run"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  for (guint i = 0; i < PM_N_SAVE_FORMATS; i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
      g_autofree char *pattern = g_strconcat ("*", formats[i].extension, NULL);

      gtk_file_filter_set_name (filter, _(formats[i].name));

      gtk_file_filter_add_pattern (filter, pattern);
      if (formats[i].mime_type != NULL)
        gtk_file_filter_add_mime_type (filter, formats[i].mime_type);
      g_object_set_data (G_OBJECT (filter), "pm-format", GUINT_TO_POINTER (i));
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      if (i == PM_SAVE_JOBLOG)
        gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), stamp);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), self);
  g_object_set_data_full (G_OBJECT (self), "pm-chooser", chooser, g_object_unref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  PmWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      !_pm_window_open (self, file, &error))
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *heading = g_strdup_printf (_("Cannot Open “%s”"), name);
      _pm_window_show_error (self, heading, error->message);
    }

  drop_chooser (self);
}

static void
open_dialog_in (PmWindow *self,
                GFile    *folder)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) logs = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (g_object_get_data (G_OBJECT (self), "pm-chooser"))
    return;

  chooser = gtk_file_chooser_native_new (_("Open a Run Log"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (logs, _("Joblogs and event logs"));
  gtk_file_filter_add_pattern (logs, "*.tsv");
  gtk_file_filter_add_pattern (logs, "*.jsonl");
  gtk_file_filter_add_pattern (logs, "*.log");
  gtk_file_filter_add_pattern (logs, "*.joblog");
  gtk_file_filter_add_mime_type (logs, "text/tab-separated-values");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), logs);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  g_object_set_data_full (G_OBJECT (self), "pm-chooser", chooser, g_object_unref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_pm_window_open_dialog (PmWindow *self)
{
  open_dialog_in (self, NULL);
}

/**
 * _pm_window_open_recorded_dialog:
 * @self: a #PmWindow
 *
 * Opens a run log from the folder where the window records every run.
 */
void
_pm_window_open_recorded_dialog (PmWindow *self)
{
  g_autofree char *dir = _pm_autosave_dir ();
  g_autoptr(GFile) folder = g_file_new_for_path (dir);

  open_dialog_in (self, g_file_test (dir, G_FILE_TEST_IS_DIR) ? folder : NULL);
}

/* Recording every run
 *
 * While a run goes, its joblog and event log are written line by line, flushed, under
 * $XDG_STATE_HOME/pool-monitor/runs/, so that a crash of the window loses nothing that
 * happened. The last AUTOSAVE_KEEP runs are kept, and of the jobs' output at most
 * AUTOSAVE_JOB_OUTPUT bytes an attempt and AUTOSAVE_RUN_OUTPUT a run. A folder that cannot be
 * written is said once and the run goes on unrecorded. */

/**
 * _pm_autosave_dir:
 *
 * Returns: (transfer full): the folder where runs are recorded
 */
char *
_pm_autosave_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "pool-monitor", "runs", NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Deletes the oldest recorded runs (both files of each) so that at most @keep are left. */
static void
prune_runs (const char *dir,
            guint       keep)
{
  g_autoptr(GRegex) pattern = g_regex_new ("^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-"
                                           "[0-9]{2}-run(-[0-9]+)?)\\.(tsv|jsonl)$",
                                           0, 0, NULL);
  g_autoptr(GPtrArray) stems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_unique = 0;

  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (g_regex_match (pattern, name, 0, &match))
        g_ptr_array_add (stems, g_match_info_fetch (match, 1));
    }
  g_ptr_array_sort (stems, compare_strings);

  /* Newest last; count unique stems from the end and delete what is older. */
  for (guint i = stems->len; i-- > 0; )
    {
      const char *stem = stems->pdata[i];

      if (i + 1 < stems->len && g_str_equal (stem, stems->pdata[i + 1]))
        continue;
      if (++n_unique <= keep)
        continue;
      for (guint e = 0; e < 2; e++)
        {
          g_autofree char *file = g_strconcat (stem, e ? ".jsonl" : ".tsv", NULL);
          g_autofree char *path = g_build_filename (dir, file, NULL);
          g_unlink (path);
        }
    }
}

static void
autosave_warn (PmWindow   *self,
               const char *dir,
               const char *reason)
{
  g_autofree char *message = NULL;

  if (self->autosave_warned)
    return;
  self->autosave_warned = TRUE;
  message = g_strdup_printf (_("Runs are not being recorded in %s: %s. Use Save As to keep "
                             "a run."), dir, reason);
  _pm_window_toast (self, message);
}

static void
update_title_tooltip (PmWindow *self)
{
  g_autofree char *tooltip = NULL;

  if (self->autosave_path != NULL)
    tooltip = g_strdup_printf (self->autosave_joblog
                               ? _("Being recorded as it happens in\n%s\nand the event log "
                                   "beside it (.jsonl)")
                               : _("Recorded as it happens in\n%s\nand the event log beside "
                                   "it (.jsonl)"),
                               self->autosave_path);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), tooltip);
}

/**
 * _pm_window_autosave_begin:
 * @self: a #PmWindow
 *
 * Starts recording the window's run, if it is not recorded yet: call it before the run starts
 * (or starts again), so that every job is in the logs.
 */
void
_pm_window_autosave_begin (PmWindow *self)
{
  g_autofree char *dir = _pm_autosave_dir ();
  g_autofree char *stamp = NULL;
  g_autofree char *joblog_path = NULL;
  g_autofree char *events_path = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GFile) joblog_file = NULL;
  g_autoptr(GFile) events_file = NULL;
  g_autoptr(PmLogWriter) joblog = NULL;
  g_autoptr(PmLogWriter) events = NULL;
  g_autoptr(GError) error = NULL;

  if (self->pool == NULL || self->autosave_joblog != NULL ||
      pm_pool_get_state (self->pool) == PM_POOL_STATE_READ_ONLY)
    return;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      autosave_warn (self, dir, g_strerror (errno));
      return;
    }
  prune_runs (dir, AUTOSAVE_KEEP - 1);

  stamp = g_date_time_format (now, "%Y-%m-%dT%H-%M-%S");
  for (guint n = 1; joblog_path == NULL || g_file_test (joblog_path, G_FILE_TEST_EXISTS) ||
                    g_file_test (events_path, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *stem = n == 1 ? g_strdup_printf ("%s-run", stamp)
                                     : g_strdup_printf ("%s-run-%u", stamp, n);
      g_autofree char *joblog_name = g_strconcat (stem, ".tsv", NULL);
      g_autofree char *events_name = g_strconcat (stem, ".jsonl", NULL);

      g_free (joblog_path);
      g_free (events_path);
      joblog_path = g_build_filename (dir, joblog_name, NULL);
      events_path = g_build_filename (dir, events_name, NULL);
    }

  joblog_file = g_file_new_for_path (joblog_path);
  events_file = g_file_new_for_path (events_path);
  if (!(joblog = pm_log_writer_new (self->pool, PM_LOG_FORMAT_JOBLOG, joblog_file, &error)) ||
      !(events = pm_log_writer_new (self->pool, PM_LOG_FORMAT_EVENTS, events_file, &error)))
    {
      if (joblog != NULL)
        {
          pm_log_writer_close (joblog, NULL);
          g_unlink (joblog_path);
        }
      autosave_warn (self, dir, error->message);
      return;
    }

  pm_log_writer_set_output_limits (events, AUTOSAVE_JOB_OUTPUT, AUTOSAVE_RUN_OUTPUT);
  self->autosave_joblog = g_steal_pointer (&joblog);
  self->autosave_events = g_steal_pointer (&events);
  g_free (self->autosave_path);
  self->autosave_path = g_steal_pointer (&joblog_path);
  update_title_tooltip (self);
}

/**
 * _pm_window_autosave_end:
 * @self: a #PmWindow
 *
 * Closes the logs of the recorded run, when it has ended or goes away.
 */
void
_pm_window_autosave_end (PmWindow *self)
{
  PmLogWriter *writers[] = { self->autosave_joblog, self->autosave_events };

  if (self->autosave_joblog == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!pm_log_writer_close (writers[i], &error))
        {
          g_autofree char *dir = _pm_autosave_dir ();
          autosave_warn (self, dir, error->message);
        }
    }
  g_clear_object (&self->autosave_joblog);
  g_clear_object (&self->autosave_events);
  update_title_tooltip (self);
}

/**
 * _pm_window_get_autosave_path:
 * @self: a #PmWindow
 *
 * Returns: (nullable): the joblog where the window's run is (or was) recorded
 */
const char *
_pm_window_get_autosave_path (PmWindow *self)
{
  return self->autosave_path;
}
