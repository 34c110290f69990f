/* pm-job-list.c
 *
 * The pool is a GListModel of PmJob; this shows it as a GtkColumnView, through a filter (by
 * state) and a sort (by the clicked column). The column view has only the rows on screen: it
 * lives in a PmRowView, which scrolls it, and its items are PmRows, which point at one job and
 * then another as the rows move (pm-row-window.c). GTK 4.8 rebinds every bound row on any
 * items-changed, so a job's property change never goes through the model: each bound cell
 * listens to its PmRow and to the notify of the job the row shows, and the columns that change
 * with time alone (Elapsed, CPU %, Memory) are refreshed by one tick for the whole view
 * (pm_job_list_tick()), which touches only bound cells of running jobs. While a run is active,
 * a cell's change waits for the live beat (pm-live.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-job-list-private.h"
#include "pm-live.h"
#include "pm-row-view.h"
#include "pm-row-window.h"

typedef struct
{
  PmJobList      *list;
  GtkListItem    *item;
  GtkInscription *label;
  PmRow          *row;          /* the row on screen, which shows one job and then another */
  gulong          row_id;
  PmJob          *job;
  gulong          notify_id;
  PmColumn        column;
  int             shown_state;   /* whose style classes the label has, State column only */
} Cell;

struct _PmJobList
{
  GtkWidget           parent_instance;

  PmPool             *pool;
  PmJobStats         *stats;
  GTimeZone          *local_tz;

  PmRowView          *rows;
  GtkColumnView      *view;
  GtkFilterListModel *filter_model;
  GtkCustomFilter    *filter;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  GtkWidget          *menu;

  GHashTable         *cells;
  GHashTable         *stale;         /* bound cells whose job changed, shown on the live beat */
  guint               stale_tick_id;
  gint64              last_beat;
  char               *state_filter;
  gboolean            filter_dirty;
  gulong              started_id;
  gulong              finished_id;
  GtkColumnViewColumn *host_column;
  int                 name_chars;     /* the Name column's least width, in characters */
  guint               fit_source;
};

G_DEFINE_FINAL_TYPE (PmJobList, pm_job_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_POOL,
  PROP_SELECTED_JOB,
  PROP_STATE_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  const char *title;
  const char *property;   /* sort key, NULL: not sortable */
  int         chars;      /* natural width */
  int         min_chars;  /* narrowest, when not the same */
  float       xalign;
  gboolean    expand;
} columns[PM_N_COLUMNS] = {
  [PM_COLUMN_SEQ] = { N_("Seq"), "seq", 4, 0, 1.0 },
  [PM_COLUMN_NAME] = { N_("Name"), "name", 14, 7, 0.0, TRUE },
  [PM_COLUMN_STATE] = { N_("State"), "state", 12, 9, 0.0 },   /* "Succeeded #2" */
  [PM_COLUMN_SLOT] = { N_("Slot"), "slot", 3, 0, 1.0 },
  [PM_COLUMN_HOST] = { N_("Host"), "host", 15, 0, 0.0 },   /* "127.0.0.1:22222" */
  [PM_COLUMN_PID] = { N_("PID"), "pid", 6, 0, 1.0 },
  [PM_COLUMN_QUEUED] = { N_("Queued"), "queued-time", 9, 0, 1.0 },
  [PM_COLUMN_STARTED] = { N_("Started"), "start-time", 9, 0, 1.0 },
  [PM_COLUMN_SLEEP] = { N_("Sleep"), "planned", 5, 0, 1.0 },
  [PM_COLUMN_ELAPSED] = { N_("Elapsed"), "runtime", 6, 0, 1.0 },
  [PM_COLUMN_FINISHED] = { N_("Finished"), "end-time", 9, 0, 1.0 },
  [PM_COLUMN_EXIT] = { N_("Exit"), "exit-status", 10, 4, 1.0 },   /* "SIGVTALRM" */
  [PM_COLUMN_CPU] = { N_("CPU %"), NULL, 5, 0, 1.0 },
  [PM_COLUMN_CPU_TIME] = { N_("CPU Time"), "cpu-time", 8, 7, 1.0 },   /* "12:34.5", "59.99 s" */
  [PM_COLUMN_MEMORY] = { N_("Memory"), NULL, 10, 8, 1.0 },
};

/* A name shows whole at this width where the columns do not fit the list anyway */
#define NAME_WHOLE_CHARS 11

static void
cell_update (Cell *cell)
{
  g_autofree char *text = NULL;

  if (cell->job == NULL)
    return;

  text = _pm_job_cell_text (cell->job, cell->column, cell->list->local_tz, cell->list->stats);
  if (g_strcmp0 (text, gtk_inscription_get_text (cell->label)) != 0)
    gtk_inscription_set_text (cell->label, text);

  /* Restyling invalidates the label's style: only when the state shown changes. */
  if (cell->column == PM_COLUMN_STATE && cell->shown_state != (int)pm_job_get_state (cell->job))
    {
      g_autofree char *css = g_strconcat ("state-",
                                          pm_job_state_to_string (pm_job_get_state (cell->job)),
                                          NULL);
      const char *classes[] = { "job-state", css, NULL };
      gtk_widget_set_css_classes (GTK_WIDGET (cell->label), classes);
      cell->shown_state = pm_job_get_state (cell->job);
    }
}

static gboolean
stale_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  PmJobList *self = PM_JOB_LIST (widget);
  GHashTableIter iter;
  Cell *cell;

  if (!pm_live_period_due (clock, &self->last_beat))
    return G_SOURCE_CONTINUE;

  g_hash_table_iter_init (&iter, self->stale);
  while (g_hash_table_iter_next (&iter, (gpointer *)&cell, NULL))
    cell_update (cell);
  g_hash_table_remove_all (self->stale);
  self->stale_tick_id = 0;
  return G_SOURCE_REMOVE;
}

/* A job's change shows at once, or on the next live beat while its run is active: a run of
 * short jobs changes rows thousands of times a second. */
static void
cell_notify_cb (PmJob      *job,
                GParamSpec *pspec,
                Cell       *cell)
{
  PmJobList *self = cell->list;

  if (self->pool == NULL || !pm_pool_is_active (self->pool))
    {
      cell_update (cell);
      return;
    }
  g_hash_table_add (self->stale, cell);
  if (self->stale_tick_id == 0)
    self->stale_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), stale_tick_cb,
                                                        NULL, NULL);
}

static void
cell_free (Cell *cell)
{
  g_assert (cell->row == NULL);
  g_free (cell);
}

static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 Cell            *cell)
{
  PmJobList *self = cell->list;
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  double lx, ly;

  if (cell->job == NULL)
    return;

  /* The item's position is one in the rows on screen. */
  gtk_selection_model_select_item (gtk_column_view_get_model (self->view),
                                   gtk_list_item_get_position (cell->item), TRUE);
  if (!gtk_widget_translate_coordinates (widget, GTK_WIDGET (self), x, y, &lx, &ly))
    lx = ly = 0;
  pm_job_list_popup_menu (self, lx, ly);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          PmJobList                *self)
{
  PmColumn column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "pm-column"));
  Cell *cell = g_new0 (Cell, 1);
  GtkGesture *click;

  cell->list = self;
  cell->item = item;
  cell->column = column;
  cell->shown_state = -1;
  cell->label = GTK_INSCRIPTION (gtk_inscription_new (NULL));
  gtk_inscription_set_text_overflow (cell->label, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_xalign (cell->label, columns[column].xalign);
  gtk_inscription_set_min_chars (cell->label, column == PM_COLUMN_NAME ? self->name_chars
                                             : columns[column].min_chars ? columns[column].min_chars
                                             : columns[column].chars);
  gtk_inscription_set_nat_chars (cell->label, columns[column].chars);
  if (columns[column].xalign > 0.5)
    gtk_widget_add_css_class (GTK_WIDGET (cell->label), "numeric");

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (cell_pressed_cb), cell);
  gtk_widget_add_controller (GTK_WIDGET (cell->label), GTK_EVENT_CONTROLLER (click));

  gtk_list_item_set_child (item, GTK_WIDGET (cell->label));
  g_object_set_data_full (G_OBJECT (item), "pm-cell", cell, (GDestroyNotify)cell_free);
}

static void
cell_set_job (Cell  *cell,
              PmJob *job)
{
  if (cell->job != NULL)
    {
      g_hash_table_remove (cell->list->stale, cell);
      g_clear_signal_handler (&cell->notify_id, cell->job);
      g_clear_object (&cell->job);
    }
  if (job == NULL)
    return;
  cell->job = g_object_ref (job);
  /* Seq and Name never change. */
  if (cell->column != PM_COLUMN_SEQ && cell->column != PM_COLUMN_NAME)
    cell->notify_id = g_signal_connect (job, "notify", G_CALLBACK (cell_notify_cb), cell);
  cell_update (cell);
}

static void
cell_row_moved_cb (PmRow      *row,
                   GParamSpec *pspec,
                   Cell       *cell)
{
  cell_set_job (cell, pm_row_get_item (row));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         PmJobList                *self)
{
  Cell *cell = g_object_get_data (G_OBJECT (item), "pm-cell");

  g_assert (cell->row == NULL);
  cell->row = g_object_ref (gtk_list_item_get_item (item));
  cell->row_id = g_signal_connect (cell->row, "notify::item", G_CALLBACK (cell_row_moved_cb),
                                   cell);
  g_hash_table_add (self->cells, cell);
  if (cell->column == PM_COLUMN_NAME)
    gtk_inscription_set_min_chars (cell->label, self->name_chars);
  cell_set_job (cell, pm_row_get_item (cell->row));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           PmJobList                *self)
{
  Cell *cell = g_object_get_data (G_OBJECT (item), "pm-cell");

  g_hash_table_remove (self->cells, cell);
  cell_set_job (cell, NULL);
  g_clear_signal_handler (&cell->row_id, cell->row);
  g_clear_object (&cell->row);
}

/* A GtkCClosureExpression callback: the item, then the user data. */
static int
state_key (PmJob    *job,
           gpointer  user_data)
{
  return job ? (int)pm_job_get_state (job) : 0;
}

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

static GtkColumnViewColumn *
make_column (PmJobList *self,
             PmColumn   column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_object_set_data (G_OBJECT (factory), "pm-column", GUINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);

  col = gtk_column_view_column_new (_(columns[column].title), factory);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_column_set_expand (col, columns[column].expand);

  if (column == PM_COLUMN_STATE)
    {
      GtkExpression *expr = gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL,
                                                         G_CALLBACK (state_key), NULL, NULL);
      gtk_column_view_column_set_sorter (col, GTK_SORTER (gtk_numeric_sorter_new (expr)));
    }
  else if (column == PM_COLUMN_NAME || column == PM_COLUMN_HOST)
    {
      GtkExpression *expr = gtk_property_expression_new (PM_TYPE_JOB, NULL,
                                                         columns[column].property);
      gtk_column_view_column_set_sorter (col, GTK_SORTER (gtk_string_sorter_new (expr)));
    }
  else if (columns[column].property != NULL)
    {
      GtkExpression *expr = gtk_property_expression_new (PM_TYPE_JOB, NULL,
                                                         columns[column].property);
      gtk_column_view_column_set_sorter (col, GTK_SORTER (gtk_numeric_sorter_new (expr)));
    }

  return col;
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

/* Names ellipsize down to the Name column's least width where that lets every column fit
 * the list (1400 px at 1.5× text); where the columns scroll sideways anyway (800 px), names
 * keep NAME_WHOLE_CHARS, "computer_10" whole. Decided after the allocation. */
static gboolean
fit_names_cb (gpointer user_data)
{
  PmJobList *self = user_data;
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self->view),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  int least = columns[PM_COLUMN_NAME].min_chars;
  int view_min, name_min, chars;
  GHashTableIter iter;
  Cell *cell, *name = NULL;

  self->fit_source = 0;
  g_hash_table_iter_init (&iter, self->cells);
  while (name == NULL && g_hash_table_iter_next (&iter, (gpointer *)&cell, NULL))
    if (cell->column == PM_COLUMN_NAME)
      name = cell;
  if (name == NULL || scroller == NULL)
    return G_SOURCE_REMOVE;

  gtk_widget_measure (GTK_WIDGET (self->view), GTK_ORIENTATION_HORIZONTAL, -1, &view_min, NULL,
                      NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (name->label), GTK_ORIENTATION_HORIZONTAL, -1, &name_min, NULL,
                      NULL, NULL);
  /* The columns' least width with names at their least */
  view_min -= name_min * (self->name_chars - least) / self->name_chars;
  chars = view_min <= gtk_widget_get_width (scroller) ? least : NAME_WHOLE_CHARS;
  if (chars == self->name_chars)
    return G_SOURCE_REMOVE;
  self->name_chars = chars;
  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, (gpointer *)&cell, NULL))
    if (cell->column == PM_COLUMN_NAME)
      gtk_inscription_set_min_chars (cell->label, chars);
  return G_SOURCE_REMOVE;
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
    self->fit_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_names_cb, self, NULL);
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
  self->name_chars = columns[PM_COLUMN_NAME].min_chars;
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
      g_autoptr(GtkColumnViewColumn) col = make_column (self, i);
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
  GHashTableIter iter;
  Cell *cell;

  g_return_if_fail (PM_IS_JOB_LIST (self));

  if (sample_stats)
    pm_job_stats_sample (self->stats);

  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, (gpointer *)&cell, NULL))
    {
      PmJobState state;

      if (cell->column != PM_COLUMN_ELAPSED && cell->column != PM_COLUMN_CPU &&
          cell->column != PM_COLUMN_MEMORY)
        continue;
      /* A finished job's figures are its own, which notify when they change. */
      state = pm_job_get_state (cell->job);
      if (pm_job_state_is_live (state) ||
          (!pm_job_state_is_finished (state) && gtk_inscription_get_text (cell->label) != NULL))
        cell_update (cell);
    }

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

static Cell *
find_bound_cell (PmJobList *self,
                 PmJob     *job,
                 PmColumn   column)
{
  GHashTableIter iter;
  Cell *cell;

  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, (gpointer *)&cell, NULL))
    if (cell->job == job && cell->column == column)
      return cell;
  return NULL;
}

GtkWidget *
_pm_job_list_get_cell_widget (PmJobList *self,
                              PmJob     *job,
                              PmColumn   column)
{
  Cell *cell = find_bound_cell (self, job, column);

  return cell ? GTK_WIDGET (cell->label) : NULL;
}

char *
_pm_job_list_dup_cell_text (PmJobList *self,
                            PmJob     *job,
                            PmColumn   column)
{
  Cell *cell = find_bound_cell (self, job, column);

  return cell ? g_strdup (gtk_inscription_get_text (cell->label)) : NULL;
}

gboolean
_pm_job_list_get_row_selected (PmJobList *self,
                               PmJob     *job,
                               gboolean  *selected)
{
  Cell *cell = find_bound_cell (self, job, PM_COLUMN_SEQ);

  if (cell == NULL)
    return FALSE;
  *selected = gtk_list_item_get_selected (cell->item);
  return TRUE;
}
