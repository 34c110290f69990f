/* pm-row-selection.c
 *
 * GtkSingleSelection reports a move of the selection from row a to row b as one change over
 * every row from a to b, and GTK 4.8's list views rebind every bound row in a changed range,
 * even though only two of them changed. On a long list the bound rows number about two
 * hundred, and a jump (End, Home, a click far from the selected row) rebound all of them a
 * second time in the same frame. This model stands between the selection and the view: it
 * passes everything through to the GtkSingleSelection it wraps, and reports a move as two
 * changes of one row each: the row that lost the selection and the row that gained it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-row-selection.h"

struct _PmRowSelection
{
  GObject             parent_instance;

  GtkSingleSelection *inner;
  guint               shown;   /* the selected row as the view last heard of it */
  gulong              items_changed_id;
  gulong              selection_changed_id;
};

static void pm_row_selection_list_model_init (GListModelInterface *iface);
static void pm_row_selection_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PmRowSelection, pm_row_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pm_row_selection_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      pm_row_selection_selection_model_init))

static GType
get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (G_LIST_MODEL (PM_ROW_SELECTION (model)->inner));
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (PM_ROW_SELECTION (model)->inner));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (PM_ROW_SELECTION (model)->inner), position);
}

static void
pm_row_selection_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Everything the view asks or does goes to the wrapped selection, through the public calls,
 * so that what the wrapped type does not implement falls back as it would without us. */
#define INNER(model) GTK_SELECTION_MODEL (PM_ROW_SELECTION (model)->inner)

static gboolean
is_selected (GtkSelectionModel *model,
             guint              position)
{
  return gtk_selection_model_is_selected (INNER (model), position);
}

static GtkBitset *
get_selection_in_range (GtkSelectionModel *model,
                        guint              position,
                        guint              n_items)
{
  return gtk_selection_model_get_selection_in_range (INNER (model), position, n_items);
}

static gboolean
select_item (GtkSelectionModel *model,
             guint              position,
             gboolean           unselect_rest)
{
  return gtk_selection_model_select_item (INNER (model), position, unselect_rest);
}

static gboolean
unselect_item (GtkSelectionModel *model,
               guint              position)
{
  return gtk_selection_model_unselect_item (INNER (model), position);
}

static gboolean
select_range (GtkSelectionModel *model,
              guint              position,
              guint              n_items,
              gboolean           unselect_rest)
{
  return gtk_selection_model_select_range (INNER (model), position, n_items, unselect_rest);
}

static gboolean
unselect_range (GtkSelectionModel *model,
                guint              position,
                guint              n_items)
{
  return gtk_selection_model_unselect_range (INNER (model), position, n_items);
}

static gboolean
select_all (GtkSelectionModel *model)
{
  return gtk_selection_model_select_all (INNER (model));
}

static gboolean
unselect_all (GtkSelectionModel *model)
{
  return gtk_selection_model_unselect_all (INNER (model));
}

static gboolean
set_selection (GtkSelectionModel *model,
               GtkBitset         *selected,
               GtkBitset         *mask)
{
  return gtk_selection_model_set_selection (INNER (model), selected, mask);
}

static void
pm_row_selection_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = is_selected;
  iface->get_selection_in_range = get_selection_in_range;
  iface->select_item = select_item;
  iface->unselect_item = unselect_item;
  iface->select_range = select_range;
  iface->unselect_range = unselect_range;
  iface->select_all = select_all;
  iface->unselect_all = unselect_all;
  iface->set_selection = set_selection;
}

static void
items_changed_cb (PmRowSelection *self,
                  guint           position,
                  guint           removed,
                  guint           added)
{
  self->shown = gtk_single_selection_get_selected (self->inner);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
selection_changed_cb (PmRowSelection *self,
                      guint           position,
                      guint           n_items)
{
  guint before = self->shown;
  guint after = gtk_single_selection_get_selected (self->inner);
  gboolean before_in = before >= position && before - position < n_items;
  gboolean after_in = after >= position && after - position < n_items;

  self->shown = after;
  if (n_items <= 2 || !(before_in || after_in))
    {
      gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position, n_items);
      return;
    }
  if (before_in)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), before, 1);
  if (after_in && after != before)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), after, 1);
}

static void
pm_row_selection_dispose (GObject *object)
{
  PmRowSelection *self = PM_ROW_SELECTION (object);

  if (self->inner != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->inner);
      g_clear_signal_handler (&self->selection_changed_id, self->inner);
      g_clear_object (&self->inner);
    }

  G_OBJECT_CLASS (pm_row_selection_parent_class)->dispose (object);
}

static void
pm_row_selection_class_init (PmRowSelectionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pm_row_selection_dispose;
}

static void
pm_row_selection_init (PmRowSelection *self)
{
  self->shown = GTK_INVALID_LIST_POSITION;
}

PmRowSelection *
pm_row_selection_new (GtkSingleSelection *selection)
{
  PmRowSelection *self;

  g_return_val_if_fail (GTK_IS_SINGLE_SELECTION (selection), NULL);

  self = g_object_new (PM_TYPE_ROW_SELECTION, NULL);
  self->inner = g_object_ref (selection);
  self->shown = gtk_single_selection_get_selected (selection);
  self->items_changed_id = g_signal_connect_swapped (selection, "items-changed",
                                                     G_CALLBACK (items_changed_cb), self);
  self->selection_changed_id = g_signal_connect_swapped (selection, "selection-changed",
                                                         G_CALLBACK (selection_changed_cb), self);
  return self;
}
