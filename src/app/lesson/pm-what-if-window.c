/* pm-what-if-window.c
 *
 * A run's what-if curve in a window of its own: for a run that just ended, a recorded run or
 * an opened log (ours or GNU parallel's). A point activated sets the limit of the next run (the
 * "limit" setting); the curve saves as PNG or SVG, chosen by the file's extension.
 *
 * "Compare with" picks another of the recorded runs (the window records every run): its point
 * is ringed on the curve, and under the curve both runs' running counts over time share one
 * chart (pm-compare-chart.c), so that limit 2 against limit 5 is one look. The picture then
 * carries the chart too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pm-compare-chart.h"
#include "pm-runlog.h"
#include "pm-util.h"
#include "pm-what-if-window.h"

#define PICTURE_WIDTH  960
#define PICTURE_HEIGHT 560
#define CHART_HEIGHT   200

struct _PmWhatIfWindow
{
  AdwWindow             parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *chooser;
  PmPool               *pool;
  GPtrArray            *run_paths;   /* the recorded runs offered, as the drop-down lists them */
  gulong                compare_id;

  AdwWindowTitle       *window_title;
  GtkLabel             *intro_label;
  GtkWidget            *compare_box;
  GtkDropDown          *compare_dropdown;
  PmWhatIfView         *view;
  PmCompareChart       *compare_chart;
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
  gboolean chart = gtk_widget_get_visible (GTK_WIDGET (self->compare_chart));
  int height = PICTURE_HEIGHT + (chart ? CHART_HEIGHT : 0);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (PM_IS_WHAT_IF_WINDOW (self), FALSE);

  if (!(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                 error)))
    return FALSE;
  g_object_set_data (G_OBJECT (stream), "pm-error", &write_error);

  if (svg)
    surface = cairo_svg_surface_create_for_stream (write_cb, stream, PICTURE_WIDTH, height);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, PICTURE_WIDTH, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, 12, 12);
  pm_what_if_view_render_to_cairo (self->view, cr, PICTURE_WIDTH - 24, PICTURE_HEIGHT - 24);
  if (chart)
    {
      cairo_translate (cr, 0, PICTURE_HEIGHT - 12);
      pm_compare_chart_render_to_cairo (self->compare_chart, cr, PICTURE_WIDTH - 24,
                                        CHART_HEIGHT - 12);
    }
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

/* The n of a recorded run's name, STAMP-run-n.tsv; 1 for STAMP-run.tsv */
static guint
run_number (const char *path)
{
  const char *suffix = g_strrstr (path, "-run-");

  return suffix != NULL ? (guint)g_ascii_strtoull (suffix + strlen ("-run-"), NULL, 10) : 1;
}

/* What the picked run is called beside its point and in the chart's legend: "run of 20:31:05"
 * from its file's name (2026-12-06T20-31-05-run.tsv), or the name itself. */
static char *
dup_run_name (const char *path,
              gboolean    with_date)
{
  g_autofree char *base = g_path_get_basename (path);
  int year, month, day, hour, minute, second;

  if (sscanf (base, "%4d-%2d-%2dT%2d-%2d-%2d", &year, &month, &day, &hour, &minute,
              &second) == 6)
    {
      g_autofree char *time = g_strdup_printf ("%02d:%02d:%02d", hour, minute, second);
      guint n = run_number (base);

      /* runs started within one second are told apart by their number */
      if (n > 1)
        {
          char *numbered = g_strdup_printf ("%s (%u)", time, n);
          g_free (time);
          time = numbered;
        }
      if (with_date)
        return g_strdup_printf ("%04d-%02d-%02d %s", year, month, day, time);
      /* Translators: a recorded run, by the time it started */
      return g_strdup_printf (_("run of %s"), time);
    }
  return g_steal_pointer (&base);
}

/* Shows the run at @path beside this one, or with %NULL none */
static gboolean
compare_with (PmWhatIfWindow  *self,
              const char      *path,
              GError         **error)
{
  g_autoptr(PmPool) other = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *events = NULL;
  g_autofree char *name = NULL;
  g_autoptr(PmWhatIf) what_if = NULL;

  if (path == NULL)
    {
      pm_what_if_view_set_compared (self->view, 0, 0, NULL);
      pm_compare_chart_set_run (self->compare_chart, 1, NULL, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->compare_chart), FALSE);
      return TRUE;
    }

  /* The event log knows the limit the run had; its joblog only the highest slot it used. */
  if (g_str_has_suffix (path, ".tsv"))
    {
      g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".tsv"));
      events = g_strconcat (stem, ".jsonl", NULL);
    }
  file = g_file_new_for_path (events != NULL && g_file_test (events, G_FILE_TEST_EXISTS)
                              ? events : path);
  if (!(other = pm_runlog_load (file, error)))
    return FALSE;

  name = dup_run_name (path, FALSE);
  what_if = pm_what_if_new_for_pool (other, pm_cpu_count ());
  pm_what_if_view_set_compared (self->view, pm_pool_get_max_workers (other),
                                pm_what_if_get_recorded_makespan (what_if), name);
  pm_compare_chart_set_run (self->compare_chart, 0, self->pool, _("this run"));
  pm_compare_chart_set_run (self->compare_chart, 1, other, name);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->compare_chart)))
    {
      int width, height, chart_height;

      /* room for the chart below the curve, rather than the curve squashed to make it */
      gtk_widget_set_visible (GTK_WIDGET (self->compare_chart), TRUE);
      gtk_widget_measure (GTK_WIDGET (self->compare_chart), GTK_ORIENTATION_VERTICAL, -1, NULL,
                          &chart_height, NULL, NULL);
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (!gtk_window_is_maximized (GTK_WINDOW (self)) && height > 0)
        gtk_window_set_default_size (GTK_WINDOW (self), width, height + chart_height);
    }
  return TRUE;
}

static void
compare_selected_cb (PmWhatIfWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->compare_dropdown);
  const char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (self->run_paths != NULL && selected >= 1 && selected <= self->run_paths->len)
    path = self->run_paths->pdata[selected - 1];
  if (!compare_with (self, path, &error))
    {
      g_autofree char *text = g_strdup_printf (_("That run cannot be read: %s"), error->message);

      gtk_label_set_text (self->hint_label, text);
      compare_with (self, NULL, NULL);
    }
}

static void
pm_what_if_window_dispose (GObject *object)
{
  PmWhatIfWindow *self = PM_WHAT_IF_WINDOW (object);

  g_clear_signal_handler (&self->compare_id, self->compare_dropdown);
  g_clear_object (&self->pool);
  g_clear_pointer (&self->run_paths, g_ptr_array_unref);

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
  g_type_ensure (PM_TYPE_COMPARE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/poolmonitor/PoolMonitor/ui/"
                                               "pm-what-if-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, intro_label);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, compare_box);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, compare_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, view);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, compare_chart);
  gtk_widget_class_bind_template_child (widget_class, PmWhatIfWindow, hint_label);
  gtk_widget_class_install_action (widget_class, "what-if.save", NULL, save_action_cb);
}

static void
pm_what_if_window_init (PmWhatIfWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->view, "limit-activated", G_CALLBACK (limit_activated_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_visible (self->compare_box, FALSE);
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
  g_set_object (&self->pool, pool);
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

PmCompareChart *
pm_what_if_window_get_compare_chart (PmWhatIfWindow *self)
{
  g_return_val_if_fail (PM_IS_WHAT_IF_WINDOW (self), NULL);
  return self->compare_chart;
}

/* The limit a recorded run began with, from the first line of its event log (the "run" record,
 * one short line), or 0 when it cannot be read: cheap enough for every run in the list. */
static guint
recorded_limit (const char *joblog)
{
  g_autofree char *stem = g_strndup (joblog, strlen (joblog) - strlen (".tsv"));
  g_autofree char *events = g_strconcat (stem, ".jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (events);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  char line[512];
  gssize n;
  char *end;
  JsonNode *root;

  if (stream == NULL ||
      (n = g_input_stream_read (G_INPUT_STREAM (stream), line, sizeof line - 1, NULL, NULL)) <= 0)
    return 0;
  line[n] = '\0';
  if ((end = strchr (line, '\n')) == NULL)
    return 0;
  *end = '\0';
  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "limit"))
    return 0;
  return (guint)MAX (json_object_get_int_member (json_node_get_object (root), "limit"), 0);
}

/* By time stamp, then by the n that tells runs of one second apart */
static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  g_autofree char *x = g_path_get_basename (*(const char * const *)a);
  g_autofree char *y = g_path_get_basename (*(const char * const *)b);
  int by_stamp = strncmp (x, y, strlen ("2026-12-06T20-31-05"));

  if (by_stamp != 0)
    return -by_stamp;
  if (run_number (x) != run_number (y))
    return run_number (x) > run_number (y) ? -1 : 1;
  return -strcmp (x, y);
}

/**
 * pm_what_if_window_set_recorded_runs:
 * @dir: the folder where the window records its runs
 * @shown: (nullable): the joblog or event log of the run this window shows: that run is left
 *   out of the list
 *
 * Offers the joblogs in @dir, newest first, to compare with.
 */
void
pm_what_if_window_set_recorded_runs (PmWhatIfWindow *self,
                                     const char     *dir,
                                     const char     *shown)
{
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *shown_stem = NULL;
  const char *name;

  g_return_if_fail (PM_IS_WHAT_IF_WINDOW (self));
  g_return_if_fail (dir != NULL);

  /* the shown run's two files share a stem */
  if (shown != NULL && strrchr (shown, '.') != NULL)
    shown_stem = g_strndup (shown, strrchr (shown, '.') - shown);

  g_clear_signal_handler (&self->compare_id, self->compare_dropdown);
  g_clear_pointer (&self->run_paths, g_ptr_array_unref);
  self->run_paths = g_ptr_array_new_with_free_func (g_free);
  if ((listing = g_dir_open (dir, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *stem = NULL;

        if (!g_str_has_suffix (name, ".tsv"))
          continue;
        stem = g_strndup (path, strlen (path) - strlen (".tsv"));
        if (g_strcmp0 (stem, shown_stem) != 0)
          g_ptr_array_add (self->run_paths, g_steal_pointer (&path));
      }
  g_ptr_array_sort (self->run_paths, compare_newest_first);

  gtk_string_list_append (names, _("No other run"));
  for (guint i = 0; i < self->run_paths->len; i++)
    {
      g_autofree char *when = dup_run_name (self->run_paths->pdata[i], TRUE);
      guint limit = recorded_limit (self->run_paths->pdata[i]);
      g_autofree char *label = NULL;

      /* Translators: a recorded run in the Compare with list: when it started, its limit */
      label = limit > 0 ? g_strdup_printf (_("%s · limit %u"), when, limit) : g_strdup (when);
      gtk_string_list_append (names, label);
    }
  gtk_drop_down_set_model (self->compare_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->compare_dropdown, 0);
  gtk_widget_set_visible (self->compare_box, self->run_paths->len > 0);
  self->compare_id = g_signal_connect_swapped (self->compare_dropdown, "notify::selected",
                                               G_CALLBACK (compare_selected_cb), self);
  compare_with (self, NULL, NULL);
}
