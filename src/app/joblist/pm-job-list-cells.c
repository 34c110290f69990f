/* pm-job-list-cells.c: the job list's columns and cells
 *
 * Each column's cells are GtkInscriptions made by a factory of the column's own. A bound cell
 * follows its PmRow (the row on screen, which shows one job and then another) and the notify of
 * the job the row shows; while a run is active, its change waits for the live beat (pm-live.h).
 * The Name column gives up width first where that lets every column fit the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-job-list-internal.h"
#include "pm-live.h"

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

int
_pm_job_list_name_least_chars (void)
{
  return columns[PM_COLUMN_NAME].min_chars;
}

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

GtkColumnViewColumn *
_pm_job_list_make_column (PmJobList *self,
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

/* Names ellipsize down to the Name column's least width where that lets every column fit
 * the list (1400 px at 1.5× text); where the columns scroll sideways anyway (800 px), names
 * keep NAME_WHOLE_CHARS, "computer_10" whole. Decided after the allocation. */
gboolean
_pm_job_list_fit_names_cb (gpointer user_data)
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

void
_pm_job_list_refresh_timed_cells (PmJobList *self)
{
  GHashTableIter iter;
  Cell *cell;

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
