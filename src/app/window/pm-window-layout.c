/* pm-window-layout.c
 *
 * The window from 360 px wide up, with libadwaita 1.2's adaptive widgets: the run settings are
 * an AdwFlap that folds over the content; the job list and the details pane are an AdwLeaflet
 * that folds into two pages (a job's details open from the list with Enter, a double click, the
 * row's arrow button or Alt+Right, and Alt+Left goes back); the header's counters are a flow
 * box that wraps; the title is whole or hidden (an AdwSqueezer), never "Poo…". The details
 * pane takes room only while a job is selected. The list's Sort menu (win.sort-by) sorts by
 * any column from the keyboard, GTK 4.8's column headers taking no focus. On a short window the
 * timeline takes at most half of the height it shares with the list, or what shows all its
 * lanes if that is more, and leaves the list its first rows, whatever its saved height; until the
 * user moves the handle it takes what shows every lane, where that is more than the saved
 * height.
 *
 * The header bar's buttons drop their labels below a width, which this file learns from the
 * window's allocation: their labels ellipsize, so the header's minimum is small enough for the
 * window to get there, and past the threshold they are hidden instead of cut. The widths grow
 * with the text scale. The Limit field keeps its name: where the field and its label do not
 * fit (at 800 px, beside a centred title), the header's squeezer shows a button that reads
 * "Limit 5" and opens the field in a popover; where that does not fit either (360 px), the
 * limit is set in the run settings' Limit row and read in the header's "running / limit".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-window-private.h"

/* Below these widths of the window at 1× text, labels of the header bar go, the least needed
 * first: Re-run Failed's, then Start's and Stop's (their icons are the usual ones) and the
 * title. */
#define MEDIUM_WIDTH 900
#define NARROW_WIDTH 620
/* The most of the paned's height the timeline takes when its saved height is more, unless
 * it needs more to show every lane over the least chart */
#define TIMELINE_SHARE 0.5
/* What the list under it keeps, in pixels and lines of the window's text: its filter bar,
 * column headers and four rows at 1× text (16 px lines: 152 px held three rows at 360×640),
 * three at 1.5× (24 px lines: 180 px held three at 800×600). */
#define LIST_MIN_LINES 8.5
#define LIST_MIN_PX    48

/* The buttons that move between the pages show only while the leaflet is folded (unfolded,
 * both panes are on screen). */
static void
update_details (PmWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  gboolean has_job = pm_job_list_get_selected_job (self->job_list) != NULL;

  gtk_widget_set_visible (self->details_pane, has_job);
  gtk_widget_set_visible (self->details_back, folded);
  gtk_widget_set_visible (self->details_button, folded && has_job);
  if (!has_job)
    adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (
                                 G_ACTION_MAP (self), "show-details")), has_job);
}

static gboolean
update_details_cb (gpointer user_data)
{
  PmWindow *self = user_data;

  self->details_source = 0;
  update_details (self);
  return G_SOURCE_REMOVE;
}

/* The leaflet folds while the window is laid out: the buttons follow once that is over, or
 * a button shown would miss the allocation under way and not be drawn. */
static void
folded_cb (PmWindow *self)
{
  if (self->details_source == 0)
    self->details_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_details_cb, self, NULL);
}

static void
show_details_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PmWindow *self = user_data;

  if (pm_job_list_get_selected_job (self->job_list) == NULL)
    return;
  adw_leaflet_set_visible_child (self->leaflet, self->details_pane);
  gtk_widget_grab_focus (self->details_back);
}

static void
show_jobs_cb (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  PmWindow *self = user_data;

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->job_list));
}

static void
sort_by_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  PmWindow *self = user_data;
  gint32 column = g_variant_get_int32 (parameter);

  if (column >= 0 && column < PM_N_COLUMNS)
    pm_job_list_sort_by (self->job_list, column);
}

/* The sort menu: one item per sortable column, in the columns' order and with their titles. */
static void
setup_sort_menu (PmWindow *self)
{
  GListModel *columns = gtk_column_view_get_columns (_pm_job_list_get_column_view (self->job_list));
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      g_autoptr(GMenuItem) item = NULL;

      if (gtk_column_view_column_get_sorter (column) == NULL)
        continue;
      item = g_menu_item_new (gtk_column_view_column_get_title (column), NULL);
      g_menu_item_set_action_and_target_value (item, "win.sort-by", g_variant_new_int32 (i));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, _("Sort by (again: reverse)"), G_MENU_MODEL (section));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->sort_button), G_MENU_MODEL (menu));
}

static void
row_activated_cb (PmWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    g_action_group_activate_action (G_ACTION_GROUP (self), "show-details", NULL);
}

static gboolean
apply_level_cb (gpointer user_data)
{
  PmWindow *self = user_data;
  guint level = self->layout_want;

  self->layout_source = 0;
  self->layout_level = level;
  gtk_widget_set_visible (GTK_WIDGET (self->rerun_failed_label), level == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->start_label), level < 2);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_label), level < 2);
  gtk_widget_set_visible (self->rerun_failed_button, level < 2);
  /* The centred title leaves each side half of what it does not take: narrow, it goes, so
   * that the Limit field keeps its name (the header's figures say how the run goes) */
  gtk_widget_set_visible (GTK_WIDGET (self->window_title), level < 2);
  return G_SOURCE_REMOVE;
}

/**
 * _pm_window_layout_allocated:
 * @self: a #PmWindow
 * @width: the width the window was given
 *
 * Shows the header bar's labels that fit at @width and hides the others, once the allocation
 * is over (a widget hidden while the window allocates would miss this frame's allocation and
 * not be drawn at all).
 */
void
_pm_window_layout_allocated (PmWindow *self,
                             int       width)
{
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  double scale = 1;
  int dpi = -1;
  guint level;

  /* The text scale, as GNOME's Large Text sets it: at 1.5× the labels need half as much room
   * again (at 800 px the Limit field lost its name to keep Start's and Stop's labels) */
  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  if (dpi > 0)
    scale = MAX (dpi / (96.0 * 1024), 1.0);
  level = width >= MEDIUM_WIDTH * scale ? 0 : width >= NARROW_WIDTH * scale ? 1 : 2;

  self->layout_want = level;
  if (level == self->layout_level)
    g_clear_handle_id (&self->layout_source, g_source_remove);
  else if (self->layout_source == 0)
    self->layout_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_level_cb, self, NULL);
}

/**
 * _pm_window_layout_selection_changed:
 * @self: a #PmWindow
 *
 * Gives the details pane its room while a job is selected, and takes it back when none is.
 */
void
_pm_window_layout_selection_changed (PmWindow *self)
{
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (folded_cb), self,
                           G_CONNECT_SWAPPED);
  setup_sort_menu (self);
  update_details (self);
}

/* The height of a line of the window's text */
static int
line_height (PmWindow *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->vpaned),
                                                                  "Xg");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

/* The timeline gets its saved height, or until the user moved the handle, the height that
 * shows every lane over a chart of four lines if that is more ("five lanes fill", at 1.5×
 * text too); at most its share of the paned or what shows every lane over the least chart,
 * and never so much that the list loses its first rows. */
static gboolean
share_height_cb (gpointer user_data)
{
  PmWindow *self = user_data;
  GSettings *settings = _pm_window_get_settings (self);
  g_autoptr(GVariant) moved = g_settings_get_user_value (settings, "timeline-height");
  int saved = g_settings_get_int (settings, "timeline-height");
  int height = gtk_widget_get_height (GTK_WIDGET (self->vpaned));
  int list_min = (int)(LIST_MIN_PX + LIST_MIN_LINES * line_height (self));
  int want = moved ? saved : MAX (saved, pm_timeline_get_fit_height (self->timeline, FALSE));
  int share = MAX ((int)(height * TIMELINE_SHARE), pm_timeline_get_fit_height (self->timeline,
                                                                               TRUE));
  int position = MIN (want, MIN (share, height - list_min));

  self->paned_source = 0;
  self->paned_height = height;
  if (height > 0 && gtk_paned_get_position (self->vpaned) != position)
    {
      /* The paned keeps the timeline at its minimum height if this is less */
      self->paned_sharing = TRUE;
      gtk_paned_set_position (self->vpaned, position);
      self->paned_sharing = FALSE;
    }
  return G_SOURCE_REMOVE;
}

/* The paned's height changed (its max-position follows it): the timeline's share follows once
 * the allocation is over. */
static void
paned_resized_cb (PmWindow *self)
{
  if (self->paned_source == 0)
    self->paned_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, share_height_cb, self, NULL);
}

static void
timeline_pool_cb (PmWindow *self)
{
  PmPool *pool = pm_timeline_get_pool (self->timeline);

  if (pool != NULL)
    g_signal_connect_object (pool, "notify::max-workers", G_CALLBACK (paned_resized_cb), self,
                             G_CONNECT_SWAPPED);
  paned_resized_cb (self);
}

/* The handle moved by the user: the timeline's height is saved */
static void
position_cb (PmWindow *self)
{
  GSettings *settings = _pm_window_get_settings (self);
  int position = gtk_paned_get_position (self->vpaned);

  /* A position the paned changed as it was resized (it keeps the timeline inside) is not the
   * user's: it is saved only at the height the share was set for. */
  if (!self->paned_sharing && gtk_widget_get_height (GTK_WIDGET (self->vpaned)) > 0 &&
      gtk_widget_get_height (GTK_WIDGET (self->vpaned)) == self->paned_height &&
      g_settings_get_int (settings, "timeline-height") != position)
    g_settings_set_int (settings, "timeline-height", position);
}

/**
 * _pm_window_layout_share_height:
 * @self: a #PmWindow
 *
 * Keeps the timeline to its share of the height on short windows, and saves its height when
 * the user moves the paned's handle.
 */
void
_pm_window_layout_share_height (PmWindow *self)
{
  g_signal_connect_object (self->vpaned, "notify::max-position", G_CALLBACK (paned_resized_cb),
                           self, G_CONNECT_SWAPPED);
  /* Another run, the preview of other settings or a limit changed may have another number of
   * lanes */
  g_signal_connect_object (self->timeline, "notify::pool", G_CALLBACK (timeline_pool_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vpaned, "notify::position", G_CALLBACK (position_cb), self,
                           G_CONNECT_SWAPPED);
}

/* The compact Limit field says the limit on its button */
static void
limit_changed_cb (PmWindow *self)
{
  guint limit = (guint)gtk_spin_button_get_value (self->limit_spin);
  /* Translators: the header's Limit field where it is narrow: a button that opens it (no
   * mnemonic: Alt+L is the wide field's) */
  g_autofree char *label = g_strdup_printf (_("Limit %u"), limit);

  gtk_menu_button_set_label (self->limit_button, label);
}

static void
setup_limit_button (PmWindow *self)
{
  gtk_spin_button_set_adjustment (self->limit_popover_spin,
                                  gtk_spin_button_get_adjustment (self->limit_spin));
  g_object_bind_property (self->limit_spin, "sensitive", self->limit_button, "sensitive",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->limit_spin, "value-changed", G_CALLBACK (limit_changed_cb),
                           self, G_CONNECT_SWAPPED);
  limit_changed_cb (self);
}

/**
 * _pm_window_setup_layout:
 * @self: a #PmWindow
 *
 * Adds the actions that move between the folded leaflet's pages, and follows the folding.
 */
void
_pm_window_setup_layout (PmWindow *self)
{
  static const GActionEntry entries[] = {
    { "show-details", show_details_cb },
    { "show-jobs", show_jobs_cb },
    { "sort-by", sort_by_cb, "i" },
  };

  self->layout_level = G_MAXUINT;
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  g_signal_connect_object (_pm_job_list_get_column_view (self->job_list), "activate",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (folded_cb), self,
                           G_CONNECT_SWAPPED);
  setup_sort_menu (self);
  setup_limit_button (self);
  update_details (self);
}
