/* pm-job-list.c
 *
 * The pool is a GListModel of PmJob; this shows it as a GtkColumnView, through a filter (by
 * state) and a sort (by the clicked column). The column view has only the rows on screen: it
 * lives in a PmRowView, which scrolls it, and its items are PmRows, which point at one job and
 * then another as the rows move (pm-row-window.c). GTK 4.8 rebinds every bound row on any
 * items-changed, so a job's property change never goes through the model: each bound cell
 * (pm-job-list-cells.c) listens to its PmRow and to the notify of the job the row shows, and the
 * columns that change with time alone (Elapsed, CPU %, Memory) are refreshed by one tick for
 * the whole view (pm_job_list_tick()), which touches only bound cells of running jobs. While a
 * run is active, a cell's change waits for the live beat (pm-live.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-job-list-internal.h"

G_DEFINE_FINAL_TYPE (PmJobList, pm_job_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_POOL,
  PROP_SELECTED_JOB,
  PROP_STATE_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  PmJobList *self = user_data;
  PmJobState state = pm_job_get_state (item);
  const char *filter = self->state_filter;

  if (g_str_equal (filter, "queued"))
    return state == PM_JOB_STATE_QUEUED;
  if (g_str_equal (filter, "running"))
    return pm_job_state_is_live (state);
  if (g_str_equal (filter, "finished"))
    return pm_job_state_is_finished (state);
  if (g_str_equal (filter, "succeeded"))
    return state == PM_JOB_STATE_SUCCEEDED;
  if (g_str_equal (filter, "unsuccessful"))
    return pm_job_state_is_finished (state) && state != PM_JOB_STATE_SUCCEEDED;
  return TRUE;
}

static void
selection_changed_cb (PmJobList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_JOB]);
}

static void
job_state_moved_cb (PmJobList *self,
                    PmJob     *job)
{
  self->filter_dirty = TRUE;
  /* The Host column shows once a job runs on another machine */
  if (!g_str_equal (pm_job_get_host (job), ":"))
    gtk_column_view_column_set_visible (self->host_column, TRUE);
}

static gboolean
menu_shortcut_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  PmJobList *self = PM_JOB_LIST (widget);

  if (pm_job_list_get_selected_job (self) == NULL)
    return FALSE;
  pm_job_list_popup_menu (self, gtk_widget_get_width (widget) / 3.0, 40);
  return TRUE;
}

static void
pm_job_list_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  PmJobList *self = PM_JOB_LIST (widget);

  gtk_widget_measure (GTK_WIDGET (self->rows), orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static void
pm_job_list_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  PmJobList *self = PM_JOB_LIST (widget);

  gtk_widget_allocate (GTK_WIDGET (self->rows), width, height, baseline, NULL);
  if (self->fit_source == 0)
    self->fit_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, _pm_job_list_fit_names_cb, self, NULL);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
pm_job_list_dispose (GObject *object)
{
  PmJobList *self = PM_JOB_LIST (object);

  pm_job_list_set_pool (self, NULL);
  g_clear_handle_id (&self->fit_source, g_source_remove);
  if (self->stale_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->stale_tick_id);
  self->stale_tick_id = 0;
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  if (self->rows != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->rows));
  self->rows = NULL;
  self->view = NULL;
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_object (&self->stats);

  G_OBJECT_CLASS (pm_job_list_parent_class)->dispose (object);
}

static void
pm_job_list_finalize (GObject *object)
{
  PmJobList *self = PM_JOB_LIST (object);

  g_hash_table_unref (self->cells);
  g_hash_table_unref (self->stale);
  g_time_zone_unref (self->local_tz);
  g_free (self->state_filter);

  G_OBJECT_CLASS (pm_job_list_parent_class)->finalize (object);
}

static void
pm_job_list_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PmJobList *self = PM_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_POOL:
      g_value_set_object (value, self->pool);
      break;
    case PROP_SELECTED_JOB:
      g_value_set_object (value, pm_job_list_get_selected_job (self));
      break;
    case PROP_STATE_FILTER:
      g_value_set_string (value, self->state_filter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_job_list_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PmJobList *self = PM_JOB_LIST (object);

  switch (prop_id)
    {
    case PROP_POOL:
      pm_job_list_set_pool (self, g_value_get_object (value));
      break;
    case PROP_STATE_FILTER:
      pm_job_list_set_state_filter (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_job_list_class_init (PmJobListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pm_job_list_dispose;
  object_class->finalize = pm_job_list_finalize;
  object_class->get_property = pm_job_list_get_property;
  object_class->set_property = pm_job_list_set_property;
  widget_class->measure = pm_job_list_measure;
  widget_class->size_allocate = pm_job_list_size_allocate;

  properties[PROP_POOL] = g_param_spec_object ("pool", NULL, NULL, PM_TYPE_POOL, rw);
  properties[PROP_SELECTED_JOB] = g_param_spec_object ("selected-job", NULL, NULL, PM_TYPE_JOB,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                       G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE_FILTER] = g_param_spec_string ("state-filter", NULL, NULL, "all", rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, menu_shortcut_cb, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, menu_shortcut_cb, NULL);
  gtk_widget_class_set_css_name (widget_class, "pmjoblist");
}

static void
pm_job_list_init (PmJobList *self)
{
  self->name_chars = _pm_job_list_name_least_chars ();
  self->cells = g_hash_table_new (NULL, NULL);
  self->stale = g_hash_table_new (NULL, NULL);
  self->state_filter = g_strdup ("all");
  self->stats = pm_job_stats_new ();
  self->local_tz = g_time_zone_new_local ();

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, NULL);
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (self->filter_model), NULL);
  gtk_sort_list_model_set_incremental (self->sort_model, TRUE);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sort_model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);

  self->rows = PM_ROW_VIEW (pm_row_view_new (self->selection));
  gtk_widget_set_parent (GTK_WIDGET (self->rows), GTK_WIDGET (self));
  self->view = pm_row_view_get_column_view (self->rows);
  for (guint i = 0; i < PM_N_COLUMNS; i++)
    {
      g_autoptr(GtkColumnViewColumn) col = _pm_job_list_make_column (self, i);
      gtk_column_view_append_column (self->view, col);
      if (i == PM_COLUMN_HOST)
        {
          self->host_column = col;
          gtk_column_view_column_set_visible (col, FALSE);
        }
    }

  gtk_sort_list_model_set_sorter (self->sort_model, gtk_column_view_get_sorter (self->view));
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  gtk_column_view_set_reorderable (self->view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Jobs"), -1);
}

GtkWidget *
pm_job_list_new (void)
{
  return g_object_new (PM_TYPE_JOB_LIST, NULL);
}

void
pm_job_list_set_pool (PmJobList *self,
                      PmPool    *pool)
{
  g_return_if_fail (PM_IS_JOB_LIST (self));
  g_return_if_fail (pool == NULL || PM_IS_POOL (pool));

  if (self->pool == pool)
    return;

  if (self->pool != NULL)
    {
      g_clear_signal_handler (&self->started_id, self->pool);
      g_clear_signal_handler (&self->finished_id, self->pool);
    }
  g_set_object (&self->pool, pool);
  if (pool != NULL)
    {
      self->started_id = g_signal_connect_swapped (pool, "job-started",
                                                   G_CALLBACK (job_state_moved_cb), self);
      self->finished_id = g_signal_connect_swapped (pool, "job-finished",
                                                    G_CALLBACK (job_state_moved_cb), self);
    }

  gtk_column_view_column_set_visible (self->host_column, _pm_job_list_pool_has_hosts (pool));
  if (self->stats != NULL)
    pm_job_stats_set_pool (self->stats, pool);
  if (self->filter_model != NULL)
    gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (pool));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL]);
}

PmPool *
pm_job_list_get_pool (PmJobList *self)
{
  g_return_val_if_fail (PM_IS_JOB_LIST (self), NULL);
  return self->pool;
}

/**
 * pm_job_list_get_selected_job:
 * @self: a #PmJobList
 *
 * Returns: (transfer none) (nullable): the selected job
 */
PmJob *
pm_job_list_get_selected_job (PmJobList *self)
{
  g_return_val_if_fail (PM_IS_JOB_LIST (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

void
pm_job_list_select_job (PmJobList *self,
                        PmJob     *job)
{
  GListModel *model;
  guint n;

  g_return_if_fail (PM_IS_JOB_LIST (self));

  if (job == NULL)
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      return;
    }

  model = G_LIST_MODEL (self->sort_model);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PmJob) item = g_list_model_get_item (model, i);
      if (item == job)
        {
          gtk_single_selection_set_selected (self->selection, i);
          pm_row_view_show_row (self->rows, i);
          return;
        }
    }
}

const char *
pm_job_list_get_state_filter (PmJobList *self)
{
  g_return_val_if_fail (PM_IS_JOB_LIST (self), NULL);
  return self->state_filter;
}

void
pm_job_list_set_state_filter (PmJobList  *self,
                              const char *filter)
{
  g_return_if_fail (PM_IS_JOB_LIST (self));

  if (filter == NULL)
    filter = "all";
  if (g_strcmp0 (self->state_filter, filter) == 0)
    return;

  g_free (self->state_filter);
  self->state_filter = g_strdup (filter);
  if (g_str_equal (filter, "all"))
    gtk_filter_list_model_set_filter (self->filter_model, NULL);
  else if (gtk_filter_list_model_get_filter (self->filter_model) == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, GTK_FILTER (self->filter));
  else
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  self->filter_dirty = FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_FILTER]);
}

/**
 * pm_job_list_tick:
 * @self: a #PmJobList
 * @sample_stats: whether to read the running jobs' CPU and memory now
 *
 * Refreshes what changes with time alone in the bound rows of running jobs, and refilters
 * when jobs moved between states and a state filter is on. The window calls this from its one
 * timer while the pool runs.
 */
void
pm_job_list_tick (PmJobList *self,
                  gboolean   sample_stats)
{
  g_return_if_fail (PM_IS_JOB_LIST (self));

  if (sample_stats)
    pm_job_stats_sample (self->stats);
  _pm_job_list_refresh_timed_cells (self);

  if (self->filter_dirty && gtk_filter_list_model_get_filter (self->filter_model) != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  self->filter_dirty = FALSE;
}

void
pm_job_list_popup_menu (PmJobList *self,
                        double     x,
                        double     y)
{
  g_return_if_fail (PM_IS_JOB_LIST (self));

  if (self->menu == NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      g_autoptr(GMenu) section = g_menu_new ();

      g_menu_append (menu, _("_Terminate"), "win.job-terminate");
      g_menu_append (menu, _("_Kill"), "win.job-kill");
      g_menu_append (menu, _("_Pause"), "win.job-pause");
      g_menu_append (menu, _("_Resume"), "win.job-resume");
      g_menu_append (menu, _("Send _Signal…"), "win.job-signal");
      g_menu_append (section, _("Run _Again"), "win.job-rerun");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

      self->menu = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
    }

  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                               &(GdkRectangle) { (int)x, (int)y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

GtkSingleSelection *
_pm_job_list_get_selection (PmJobList *self)
{
  return self->selection;
}

GtkColumnView *
_pm_job_list_get_column_view (PmJobList *self)
{
  return self->view;
}

PmRowView *
_pm_job_list_get_row_view (PmJobList *self)
{
  return self->rows;
}

