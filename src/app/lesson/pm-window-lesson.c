/* pm-window-lesson.c
 *
 * The window tells the lesson of a run: before Start, one line where the lanes will be says what
 * is about to happen ("15 jobs, 5 at a time: press Start"); once a run has ended, or a recorded
 * run or a log is shown, the lesson bar says what the pool bought (pm-run-summary.c), saved
 * pictures carry the same line, and win.what-if opens the what-if curve.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-lesson-bar.h"
#include "pm-run-summary.h"
#include "pm-what-if-window.h"
#include "pm-window-private.h"

/* The summary of the run shown, translated, or %NULL while there is none */
static char *
dup_summary (PmWindow *self)
{
  PmRunSummary summary;
  PmPoolState state;

  if (self->pool == NULL)
    return NULL;
  state = pm_pool_get_state (self->pool);
  if (state != PM_POOL_STATE_FINISHED && state != PM_POOL_STATE_READ_ONLY)
    return NULL;
  if (!pm_run_summary_compute (self->pool, &summary))
    return NULL;
  return pm_run_summary_format (&summary, TRUE);
}

void
_pm_window_update_lesson (PmWindow *self)
{
  g_autofree char *summary = dup_summary (self);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "what-if");
  gboolean idle = self->pool && pm_pool_get_state (self->pool) == PM_POOL_STATE_IDLE;
  gboolean stream = idle && _pm_window_previews_stream (self);
  gboolean more = FALSE;
  guint n = idle ? _pm_window_count_jobs (self, &more) : 0;

  idle = idle && (n > 0 || stream);
  if (stream)
    {
      g_autofree char *preview =
        g_strdup_printf (_("Jobs from a FIFO, %u at a time: press Start, then write to it "
                           "(it is not read before: that would take its lines)"),
                         pm_pool_get_max_workers (self->pool));

      gtk_label_set_text (self->lesson_preview, preview);
    }
  else if (idle)
    {
      g_autofree char *preview =
        pm_run_summary_format_preview (n, pm_pool_get_max_workers (self->pool), TRUE);

      gtk_label_set_text (self->lesson_preview, preview);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->lesson_preview), idle);

  pm_lesson_bar_set_text (self->lesson_bar, summary);
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), summary != NULL);
}

/* The caption under a saved picture of the timeline: the summary, or nothing */
int
_pm_window_lesson_caption_height (PmWindow *self)
{
  g_autofree char *summary = dup_summary (self);
  g_autoptr(PangoLayout) layout = NULL;
  int height;

  if (summary == NULL)
    return 0;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->timeline), summary);
  pango_layout_get_pixel_size (layout, NULL, &height);
  return height * 2;
}

void
_pm_window_draw_lesson_caption (PmWindow *self,
                                cairo_t  *cr,
                                int       y,
                                int       width,
                                int       height)
{
  g_autofree char *summary = dup_summary (self);
  g_autoptr(PangoLayout) layout = NULL;
  int text_height;

  if (summary == NULL)
    return;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->timeline), summary);
  pango_layout_set_width (layout, (width - 24) * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, NULL, &text_height);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.14, 0.12, 0.19);
  cairo_move_to (cr, 12, y + (height - text_height) / 2.0);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

/* Opens the what-if curve of the run shown. */
PmWhatIfWindow *
_pm_window_show_what_if (PmWindow *self)
{
  g_autofree char *name = self->origin ? g_path_get_basename (self->origin) : NULL;
  g_autofree char *runs = _pm_autosave_dir ();
  PmWhatIfWindow *what_if;

  if (self->pool == NULL)
    return NULL;
  what_if = pm_what_if_window_new (GTK_WINDOW (self), self->pool, name, self->settings);
  pm_what_if_window_set_recorded_runs (what_if, runs,
                                       self->opened_path ? self->opened_path
                                                         : self->autosave_path);
  gtk_window_present (GTK_WINDOW (what_if));
  return what_if;
}

static void
what_if_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  _pm_window_show_what_if (user_data);
}

/* The line before Start goes over the lanes, centred and wrapped to their width: centred on
 * the whole timeline at 360 px it covered the "slot N" labels and the waiting jobs' chips.
 * Where it takes more than two lines there (360 px at 1.5× text: six, over the list), it is
 * not shown; the list says the same rows are queued. Its top margin is in the heights. */
static gboolean
preview_position_cb (GtkOverlay   *overlay,
                     GtkWidget    *widget,
                     GdkRectangle *allocation,
                     PmWindow     *self)
{
  int left, right, lanes, min, nat, height, one_line, top;

  if (widget != GTK_WIDGET (self->lesson_preview))
    return FALSE;
  pm_timeline_get_lane_columns (self->timeline, &left, &right);
  lanes = MAX (gtk_widget_get_width (GTK_WIDGET (overlay)) - left - right, 1);
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, nat, &one_line, NULL, NULL, NULL);
  allocation->width = MAX (MIN (nat, lanes), min);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, allocation->width, &height, NULL, NULL,
                      NULL);
  allocation->height = height;
  allocation->x = left + (lanes - allocation->width) / 2;
  allocation->y = 0;
  top = gtk_widget_get_margin_top (widget);
  gtk_widget_set_opacity (widget, height - top <= 2 * (one_line - top) + 1 ? 1 : 0);
  return TRUE;
}

void
_pm_window_add_lesson_actions (PmWindow *self)
{
  static const GActionEntry entries[] = {
    { "what-if", what_if_action_cb, NULL, NULL, NULL },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  g_signal_connect_object (gtk_widget_get_parent (GTK_WIDGET (self->lesson_preview)),
                           "get-child-position", G_CALLBACK (preview_position_cb), self, 0);
}
