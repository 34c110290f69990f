/* pm-what-if-window.c
 *
 * A run's what-if curve in a window of its own: for a run that just ended, a recorded run or
 * an opened log (ours or GNU parallel's). A point activated sets the limit of the next run (the
 * "limit" setting); the curve saves as PNG or SVG, chosen by the file's extension.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "pm-util.h"
#include "pm-what-if-window.h"

#define PICTURE_WIDTH  960
#define PICTURE_HEIGHT 560

struct _PmWhatIfWindow
{
  AdwWindow             parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *chooser;

  AdwWindowTitle       *window_title;
  GtkLabel             *intro_label;
  PmWhatIfView         *view;
  GtkLabel             *hint_label;
};

G_DEFINE_FINAL_TYPE (PmWhatIfWindow, pm_what_if_window, ADW_TYPE_WINDOW)

static void
limit_activated_cb (PmWhatIfWindow *self,
                    guint           limit)
{
  g_autofree char *point = pm_what_if_view_dup_point_text (self->view, limit - 1);
  g_autofree char *hint = NULL;

  if (self->settings != NULL)
    g_settings_set_uint (self->settings, "limit", limit);
  hint = g_strdup_printf (_("The next run will use limit %u. %s"), limit, point);
  gtk_label_set_text (self->hint_label, hint);
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  GOutputStream *stream = closure;
  GError **error = g_object_get_data (G_OBJECT (stream), "pm-error");

  if (*error != NULL || !g_output_stream_write_all (stream, data, length, NULL, NULL, error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/**
 * pm_what_if_window_save:
 * @file: where: a name ending in .svg gets SVG, any other PNG
 *
 * Returns: %TRUE if the whole picture was written
 */
gboolean
pm_what_if_window_save (PmWhatIfWindow *self,
                        GFile          *file,
                        GError        **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) write_error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name, -1);
  gboolean svg = g_str_has_suffix (lower, ".svg");
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (PM_IS_WHAT_IF_WINDOW (self), FALSE);

  if (!(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                 error)))
    return FALSE;
  g_object_set_data (G_OBJECT (stream), "pm-error", &write_error);

  if (svg)
    surface = cairo_svg_surface_create_for_stream (write_cb, stream, PICTURE_WIDTH,
                                                   PICTURE_HEIGHT);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, PICTURE_WIDTH, PICTURE_HEIGHT);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, 12, 12);
  pm_what_if_view_render_to_cairo (self->view, cr, PICTURE_WIDTH - 24, PICTURE_HEIGHT - 24);
  cairo_destroy (cr);

  if (svg)
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  else
    {
      status = cairo_surface_write_to_png_stream (surface, write_cb, stream);
    }
  cairo_surface_destroy (surface);

  if (write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&write_error));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot draw the curve: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  PmWhatIfWindow  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      !pm_what_if_window_save (self, file, &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                                  _("Cannot Save the Picture"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  g_clear_object (&self->chooser);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PmWhatIfWindow *self = PM_WHAT_IF_WINDOW (widget);
  g_autoptr(GtkFileFilter) png = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) svg = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save the What-If Curve"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (png, _("Picture (.png)"));
  gtk_file_filter_add_pattern (png, "*.png");
  gtk_file_filter_set_name (svg, _("Drawing (.svg)"));
  gtk_file_filter_add_pattern (svg, "*.svg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), png);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), svg);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "what-if.png");
  g_signal_connect (self->chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
pm_what_if_window_dispose (GObject *object)
{
  PmWhatIfWindow *self = PM_WHAT_IF_WINDOW (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PM_TYPE_WHAT_IF_WINDOW);

  G_OBJECT_CLASS (pm_what_if_window_parent_class)->dispose (object);
}

static void
pm_what_if_window_class_init (PmWhatIfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pm_what_if_window_dispose;

  g_type_ensure (PM_TYPE_WHAT_IF_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/poolmonitor/PoolMonitor/ui/"
                                               "pm-what-if-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, intro_label);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, view);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, hint_label);
  gtk_widget_class_install_action (widget_class, "what-if.save", NULL, save_action_cb);
}

static void
pm_what_if_window_init (PmWhatIfWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->view, "limit-activated", G_CALLBACK (limit_activated_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * pm_what_if_window_new:
 * @parent: the window it belongs to
 * @pool: the run, ended or loaded
 * @subtitle: (nullable): what the run is (a file's name)
 * @settings: (nullable): where an activated point sets "limit"
 *
 * Returns: (transfer none): the window, not yet shown
 */
PmWhatIfWindow *
pm_what_if_window_new (GtkWindow  *parent,
                       PmPool     *pool,
                       const char *subtitle,
                       GSettings  *settings)
{
  PmWhatIfWindow *self = g_object_new (PM_TYPE_WHAT_IF_WINDOW, "transient-for", parent, NULL);
  guint cores = pm_cpu_count ();
  PmWhatIf *what_if = pm_what_if_new_for_pool (pool, cores);
  guint n = pm_what_if_get_n_jobs (what_if);
  g_autoptr(GString) intro = g_string_new (NULL);

  g_set_object (&self->settings, settings);
  if (subtitle != NULL)
    adw_window_title_set_subtitle (self->window_title, subtitle);

  g_string_append_printf (intro, g_dngettext (GETTEXT_PACKAGE,
                                              "What the run would have taken at each pool limit: "
                                              "its %u job replayed in input order, each in the "
                                              "lowest free slot, on this machine's %u cores.",
                                              "What the run would have taken at each pool limit: "
                                              "its %u jobs replayed in input order, each in the "
                                              "lowest free slot, on this machine's %u cores.", n),
                          n, cores);
  if (pm_what_if_get_cpu (what_if) < 0)
    g_string_append_printf (intro, " %s", _("The log has no CPU times, so the cores do not bound "
                                            "the curve: a CPU-bound run would flatten out."));
  else if (pm_what_if_get_cpu (what_if) < 0.1 * pm_what_if_get_work (what_if))
    g_string_append_printf (intro, " %s", _("The jobs mostly waited rather than computed, so "
                                            "the cores hardly bound the curve."));
  else
    g_string_append_printf (intro, " %s", _("Jobs that want more CPU than the cores give "
                                            "stretch, so the curve flattens at the cores."));
  gtk_label_set_text (self->intro_label, intro->str);
  gtk_label_set_text (self->hint_label, _("Click a point, or move along the curve with the arrow "
                                          "keys and press Enter, to use its limit for the next "
                                          "run."));
  pm_what_if_view_set_what_if (self->view, what_if);
  /* the arrow keys move along the curve at once */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->view));
  return self;
}

PmWhatIfView *
pm_what_if_window_get_view (PmWhatIfWindow *self)
{
  g_return_val_if_fail (PM_IS_WHAT_IF_WINDOW (self), NULL);
  return self->view;
}
