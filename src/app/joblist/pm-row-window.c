/* pm-row-window.c
 *
 * GTK 4.8's list views keep about two hundred rows bound around the place they show, however
 * few fit on screen, and a far jump (End, Home, a drag of the scroll bar, a click on a row far
 * down) rebinds all of them: about 70 ms for the job list's thirteen columns, and about 40 ms
 * even for rows of a single label (bench/README.md). So the job list's view is never given
 * the whole list. It is given this model: the rows that fit on screen, a window over a
 * GtkSingleSelection that holds them all. The job list moves the window with its own scroll
 * bar, wheel and keys.
 *
 * The window's items are not the selection's: they are PmRow objects, one per row on screen,
 * that stay while the window moves and point at the item shown in their row. When the window
 * moves, or the rows under it are sorted, filtered, added or removed, the PmRows point at
 * other items and say so ("notify::item"); the view hears of nothing, so GTK creates, binds and
 * destroys no widgets, and the cells listening to their PmRow show the new item. Only when the
 * window holds fewer rows than fit (a short list) do PmRows come and go.
 *
 * Selection calls pass through to the selection the window wraps, at the window's offset. A
 * change of selection is reported as two changes of one row each, the row that lost it and the
 * row that gained it: GtkSingleSelection reports every row between them, and GTK 4.8 rebinds
 * every row in a changed range.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-row-window.h"

struct _PmRow
{
  GObject  parent_instance;
  GObject *item;
};

G_DEFINE_FINAL_TYPE (PmRow, pm_row, G_TYPE_OBJECT)

static GParamSpec *row_item_pspec;

static void
pm_row_finalize (GObject *object)
{
  g_clear_object (&PM_ROW (object)->item);
  G_OBJECT_CLASS (pm_row_parent_class)->finalize (object);
}

static void
pm_row_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  if (prop_id == 1)
    g_value_set_object (value, PM_ROW (object)->item);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pm_row_class_init (PmRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pm_row_finalize;
  object_class->get_property = pm_row_get_property;
  row_item_pspec = g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                        G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_property (object_class, 1, row_item_pspec);
}

static void
pm_row_init (PmRow *self)
{
}

/**
 * pm_row_get_item:
 * @self: a #PmRow
 *
 * Returns: (transfer none) (nullable): the item this row shows now
 */
gpointer
pm_row_get_item (PmRow *self)
{
  g_return_val_if_fail (PM_IS_ROW (self), NULL);
  return self->item;
}

/* Takes @item (transfer full). */
static void
pm_row_take_item (PmRow   *self,
                  GObject *item)
{
  if (self->item == item)
    {
      g_clear_object (&item);
      return;
    }
  g_clear_object (&self->item);
  self->item = item;
  g_object_notify_by_pspec (G_OBJECT (self), row_item_pspec);
}

struct _PmRowWindow
{
  GObject             parent_instance;

  GtkSingleSelection *inner;
  GPtrArray          *rows;     /* the PmRows on screen: the items the view knows of */
  guint               offset;   /* the first row shown, a position in inner */
  guint               size;     /* how many rows are shown at most */
  guint               shown;    /* the selected row as the view last heard of it, in inner */
  gulong              items_changed_id;
  gulong              selection_changed_id;
};

enum {
  PROP_0,
  PROP_OFFSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void pm_row_window_list_model_init (GListModelInterface *iface);
static void pm_row_window_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PmRowWindow, pm_row_window, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pm_row_window_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      pm_row_window_selection_model_init))

static guint
n_total (PmRowWindow *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->inner));
}

static GType
get_item_type (GListModel *model)
{
  return PM_TYPE_ROW;
}

static guint
get_n_items (GListModel *model)
{
  return PM_ROW_WINDOW (model)->rows->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PmRowWindow *self = PM_ROW_WINDOW (model);

  if (position >= self->rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
pm_row_window_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Everything the view asks or does goes to the wrapped selection, through the public calls,
 * so that what the wrapped type does not implement falls back as it would without us. */
#define INNER(model) GTK_SELECTION_MODEL (PM_ROW_WINDOW (model)->inner)
#define OFFSET(model) (PM_ROW_WINDOW (model)->offset)

static gboolean
is_selected (GtkSelectionModel *model,
             guint              position)
{
  return gtk_selection_model_is_selected (INNER (model), OFFSET (model) + position);
}

static GtkBitset *
get_selection_in_range (GtkSelectionModel *model,
                        guint              position,
                        guint              n_items)
{
  GtkBitset *set = gtk_selection_model_get_selection_in_range (INNER (model),
                                                               OFFSET (model) + position,
                                                               n_items);
  gtk_bitset_shift_left (set, OFFSET (model));
  return set;
}

static gboolean
select_item (GtkSelectionModel *model,
             guint              position,
             gboolean           unselect_rest)
{
  return gtk_selection_model_select_item (INNER (model), OFFSET (model) + position,
                                          unselect_rest);
}

static gboolean
unselect_item (GtkSelectionModel *model,
               guint              position)
{
  return gtk_selection_model_unselect_item (INNER (model), OFFSET (model) + position);
}

static gboolean
select_range (GtkSelectionModel *model,
              guint              position,
              guint              n_items,
              gboolean           unselect_rest)
{
  return gtk_selection_model_select_range (INNER (model), OFFSET (model) + position, n_items,
                                           unselect_rest);
}

static gboolean
unselect_range (GtkSelectionModel *model,
                guint              position,
                guint              n_items)
{
  return gtk_selection_model_unselect_range (INNER (model), OFFSET (model) + position, n_items);
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
  g_autoptr(GtkBitset) inner_selected = gtk_bitset_copy (selected);
  g_autoptr(GtkBitset) inner_mask = gtk_bitset_copy (mask);

  gtk_bitset_shift_right (inner_selected, OFFSET (model));
  gtk_bitset_shift_right (inner_mask, OFFSET (model));
  return gtk_selection_model_set_selection (INNER (model), inner_selected, inner_mask);
}

static void
pm_row_window_selection_model_init (GtkSelectionModelInterface *iface)
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

static guint
clamp_offset (guint offset,
              guint size,
              guint total)
{
  return total <= size ? 0 : MIN (offset, total - size);
}

/* Tells the view that the row at @position of the selection changed its selected state, if
 * that row is on screen. */
static void
report_selection (PmRowWindow *self,
                  guint        position)
{
  if (position >= self->offset && position - self->offset < self->rows->len)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position - self->offset,
                                           1);
}

/* Shows @n rows from @offset: the PmRows from @first on point at their new items, PmRows
 * come or go at the end, and the rows on screen that gained or lost the selection say so. */
static void
update (PmRowWindow *self,
        guint        offset,
        guint        n,
        guint        first)
{
  guint old_offset = self->offset;
  guint old_n = self->rows->len;
  guint old_selected = self->shown;
  guint selected = gtk_single_selection_get_selected (self->inner);
  guint common = MIN (old_n, n);

  self->offset = offset;
  self->shown = selected;
  if (offset != old_offset)
    first = 0;
  for (guint i = first; i < common; i++)
    pm_row_take_item (g_ptr_array_index (self->rows, i),
                      g_list_model_get_item (G_LIST_MODEL (self->inner), offset + i));
  if (n != old_n)
    {
      g_ptr_array_set_size (self->rows, common);
      for (guint i = common; i < n; i++)
        {
          PmRow *row = g_object_new (PM_TYPE_ROW, NULL);
          row->item = g_list_model_get_item (G_LIST_MODEL (self->inner), offset + i);
          g_ptr_array_add (self->rows, row);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), common, old_n - common, n - common);
    }

  /* Where the view shows the selection, and where it should. */
  if (offset != old_offset || selected != old_selected)
    {
      guint was = old_selected != GTK_INVALID_LIST_POSITION && old_selected >= old_offset
                  ? old_selected - old_offset : G_MAXUINT;
      guint now = selected != GTK_INVALID_LIST_POSITION && selected >= offset
                  ? selected - offset : G_MAXUINT;

      if (was != now && was < common)
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), was, 1);
      if (was != now && now < n)
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), now, 1);
    }

  if (offset != old_offset)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFSET]);
}

static void
items_changed_cb (PmRowWindow *self,
                  guint        position,
                  guint        removed,
                  guint        added)
{
  guint total = n_total (self);
  guint offset = clamp_offset (self->offset, self->size, total);
  guint first = position > offset ? position - offset : 0;

  update (self, offset, MIN (self->size, total - offset), first);
}

static void
selection_changed_cb (PmRowWindow *self,
                      guint        position,
                      guint        n_items)
{
  guint before = self->shown;
  guint after = gtk_single_selection_get_selected (self->inner);

  self->shown = after;
  if (before != GTK_INVALID_LIST_POSITION)
    report_selection (self, before);
  if (after != GTK_INVALID_LIST_POSITION && after != before)
    report_selection (self, after);
}

static void
pm_row_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PmRowWindow *self = PM_ROW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_OFFSET:
      g_value_set_uint (value, self->offset);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_row_window_dispose (GObject *object)
{
  PmRowWindow *self = PM_ROW_WINDOW (object);

  g_ptr_array_set_size (self->rows, 0);
  if (self->inner != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->inner);
      g_clear_signal_handler (&self->selection_changed_id, self->inner);
      g_clear_object (&self->inner);
    }

  G_OBJECT_CLASS (pm_row_window_parent_class)->dispose (object);
}

static void
pm_row_window_finalize (GObject *object)
{
  g_ptr_array_unref (PM_ROW_WINDOW (object)->rows);
  G_OBJECT_CLASS (pm_row_window_parent_class)->finalize (object);
}

static void
pm_row_window_class_init (PmRowWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pm_row_window_dispose;
  object_class->finalize = pm_row_window_finalize;
  object_class->get_property = pm_row_window_get_property;

  properties[PROP_OFFSET] = g_param_spec_uint ("offset", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                               G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pm_row_window_init (PmRowWindow *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = GTK_INVALID_LIST_POSITION;
}

/**
 * pm_row_window_new:
 * @selection: the selection that holds all the rows
 *
 * Returns: (transfer full): a window of 50 rows over the top of @selection, until
 *   pm_row_window_set() says otherwise
 */
PmRowWindow *
pm_row_window_new (GtkSingleSelection *selection)
{
  PmRowWindow *self;

  g_return_val_if_fail (GTK_IS_SINGLE_SELECTION (selection), NULL);

  self = g_object_new (PM_TYPE_ROW_WINDOW, NULL);
  self->inner = g_object_ref (selection);
  self->size = 50;
  self->items_changed_id = g_signal_connect_swapped (selection, "items-changed",
                                                     G_CALLBACK (items_changed_cb), self);
  self->selection_changed_id = g_signal_connect_swapped (selection, "selection-changed",
                                                         G_CALLBACK (selection_changed_cb), self);
  update (self, 0, MIN (self->size, n_total (self)), 0);
  return self;
}

guint
pm_row_window_get_offset (PmRowWindow *self)
{
  g_return_val_if_fail (PM_IS_ROW_WINDOW (self), 0);
  return self->offset;
}

guint
pm_row_window_get_size (PmRowWindow *self)
{
  g_return_val_if_fail (PM_IS_ROW_WINDOW (self), 0);
  return self->size;
}

void
pm_row_window_set (PmRowWindow *self,
                   guint        offset,
                   guint        size)
{
  guint total;

  g_return_if_fail (PM_IS_ROW_WINDOW (self));
  g_return_if_fail (size > 0);

  total = n_total (self);
  self->size = size;
  offset = clamp_offset (offset, size, total);
  update (self, offset, MIN (size, total - offset), self->rows->len);
}

void
pm_row_window_show (PmRowWindow *self,
                    guint        position)
{
  g_return_if_fail (PM_IS_ROW_WINDOW (self));

  if (position >= n_total (self))
    return;
  if (position < self->offset)
    pm_row_window_set (self, position, self->size);
  else if (position - self->offset >= self->size)
    pm_row_window_set (self, position - self->size + 1, self->size);
}
