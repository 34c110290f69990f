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

#include "pm-runlog.h"
#include "pm-window-private.h"

#define PICTURE_MIN_WIDTH  1200
#define PICTURE_MIN_HEIGHT 480

static const struct
{
  const char *name;
  const char *extension;
  const char *mime_type;
} formats[PM_N_SAVE_FORMATS] = {
  [PM_SAVE_JOBLOG] = { "Joblog, as GNU parallel writes it (.tsv)", ".tsv",
                       "text/tab-separated-values" },
  [PM_SAVE_EVENTS] = { "Event log (.jsonl)", ".jsonl", NULL },
  [PM_SAVE_TRACE] = { "Chrome trace, for Perfetto (.json)", ".json", "application/json" },
  [PM_SAVE_PNG] = { "Timeline picture (.png)", ".png", "image/png" },
  [PM_SAVE_SVG] = { "Timeline drawing (.svg)", ".svg", "image/svg+xml" },
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
  int height = MAX (gtk_widget_get_height (GTK_WIDGET (timeline)), PICTURE_MIN_HEIGHT);

  if (!(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                 error)))
    return FALSE;
  g_object_set_data (G_OBJECT (stream), "pm-error", &write_error);

  if (format == PM_SAVE_SVG)
    surface = cairo_svg_surface_create_for_stream (write_stream_cb, stream, width, height);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  cr = cairo_create (surface);
  /* A picture on its own needs a background the widget gets from its window. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  pm_timeline_render_to_cairo (timeline, cr, width, height);
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
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot draw the timeline: %s",
                   cairo_status_to_string (status));
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
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
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "There is no run to save");
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
                           "A run is going on: stop it before opening another");
      return FALSE;
    }

  if (!(pool = pm_runlog_load (file, error)))
    return FALSE;

  name = g_file_get_basename (file);
  origin = g_strdup_printf ("%s (read-only)", name);
  _pm_window_set_pool (self, pool, origin);
  return TRUE;
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
      g_autofree char *heading = g_strdup_printf ("Cannot Save “%s”", name);
      g_autofree char *body = g_strdup_printf ("%s\n\nThe run is still here: save it "
                                               "somewhere else.", error->message);
      _pm_window_show_error (self, heading, body);
    }
  else if (file != NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf ("Saved “%s”", name);
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

  chooser = gtk_file_chooser_native_new ("Save the Run", GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  for (guint i = 0; i < PM_N_SAVE_FORMATS; i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
      g_autofree char *pattern = g_strconcat ("*", formats[i].extension, NULL);

      gtk_file_filter_set_name (filter, formats[i].name);
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
      g_autofree char *heading = g_strdup_printf ("Cannot Open “%s”", name);
      _pm_window_show_error (self, heading, error->message);
    }

  drop_chooser (self);
}

void
_pm_window_open_dialog (PmWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) logs = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (g_object_get_data (G_OBJECT (self), "pm-chooser"))
    return;

  chooser = gtk_file_chooser_native_new ("Open a Run Log", GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (logs, "Joblogs and event logs");
  gtk_file_filter_add_pattern (logs, "*.tsv");
  gtk_file_filter_add_pattern (logs, "*.jsonl");
  gtk_file_filter_add_pattern (logs, "*.log");
  gtk_file_filter_add_pattern (logs, "*.joblog");
  gtk_file_filter_add_mime_type (logs, "text/tab-separated-values");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), logs);
  gtk_file_filter_set_name (all, "All files");
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  g_object_set_data_full (G_OBJECT (self), "pm-chooser", chooser, g_object_unref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
