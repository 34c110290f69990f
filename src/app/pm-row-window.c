/* pm-row-window.c
 *
 * GTK 4.8's list views keep about two hundred rows bound around the place they show, however
 * few fit on screen, and a far jump (End, Home, a drag of the scroll bar, a click on a row far
 * down) rebinds all of them: about 70 ms for the job list's thirteen columns, and about 40 ms
 * even for rows of a single label (bench/README.md). So the job list's view is never given
 * the whole list. It is given this model: the rows that fit on screen, a window over a
 * GtkSingleSelection that holds them all. The job list moves the window with its own scroll
 * bar, wheel and keys, and a jump rebinds only the rows on screen.
 *
 * The model passes selection calls through to the selection it wraps, moving positions by the
 * window's offset. It also reports a move of the selection as two changes of one row each:
 * GtkSingleSelection reports every row from the old selected row to the new one as changed,
 * and GTK 4.8 rebinds every bound row in a changed range. When the window moves, the rows it
 * still shows are reported as kept, not changed, so that GTK moves their widgets instead of
 * binding them again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-row-window.h"

struct _PmRowWindow
{
  GObject             parent_instance;

  GtkSingleSelection *inner;
  guint               offset;   /* the first row shown, a position in inner */
  guint               size;     /* how many rows are shown at most */
  guint               n_shown;  /* how many the view knows of */
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
  return g_list_model_get_item_type (G_LIST_MODEL (PM_ROW_WINDOW (model)->inner));
}

static guint
get_n_items (GListModel *model)
{
  return PM_ROW_WINDOW (model)->n_shown;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PmRowWindow *self = PM_ROW_WINDOW (model);

  if (position >= self->n_shown)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->inner), self->offset + position);
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

/* Shows @n rows from @offset, telling the view that the rows shown before and after are kept:
 * the rows before them go, the rows after them change, then the rows before them come. */
static void
move_to (PmRowWindow *self,
         guint        offset,
         guint        n)
{
  guint old_offset = self->offset;
  guint old_n = self->n_shown;
  guint keep_start = MAX (old_offset, offset);
  guint keep_end = MIN (old_offset + old_n, offset + n);

  if (offset == old_offset && n == old_n)
    return;

  if (keep_start >= keep_end)
    {
      self->offset = offset;
      self->n_shown = n;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, n);
    }
  else
    {
      guint kept = keep_end - keep_start;
      guint head_gone = keep_start - old_offset;
      guint tail_gone = old_offset + old_n - keep_end;
      guint tail_new = offset + n - keep_end;
      guint head_new = keep_start - offset;

      if (head_gone > 0)
        {
          self->offset = keep_start;
          self->n_shown = old_n - head_gone;
          g_list_model_items_changed (G_LIST_MODEL (self), 0, head_gone, 0);
        }
      if (tail_gone > 0 || tail_new > 0)
        {
          self->n_shown = kept + tail_new;
          g_list_model_items_changed (G_LIST_MODEL (self), kept, tail_gone, tail_new);
        }
      if (head_new > 0)
        {
          self->offset = offset;
          self->n_shown = n;
          g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, head_new);
        }
    }

  if (self->offset != old_offset)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFSET]);
}

static void
items_changed_cb (PmRowWindow *self,
                  guint        position,
                  guint        removed,
                  guint        added)
{
  guint old_offset = self->offset;
  guint old_n = self->n_shown;
  guint total = n_total (self);
  guint offset = clamp_offset (old_offset, self->size, total);
  guint n = MIN (self->size, total - offset);

  self->shown = gtk_single_selection_get_selected (self->inner);
  self->offset = offset;
  self->n_shown = n;

  if (offset != old_offset)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, n);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFSET]);
    }
  else if (removed == added)
    {
      guint start = MAX (position, offset);
      guint end = MIN (position + added, offset + n);

      if (start < end)
        g_list_model_items_changed (G_LIST_MODEL (self), start - offset, end - start,
                                    end - start);
    }
  else if (position >= offset + old_n)
    {
      /* After the window: only a window short of its size, at the end, grows. */
      if (n > old_n)
        g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, n - old_n);
    }
  else
    {
      guint start = position > offset ? position - offset : 0;

      g_list_model_items_changed (G_LIST_MODEL (self), start, old_n - start, n - start);
    }
}

/* Tells the view of a change of selection over @n rows from @position of the selection, as far
 * as it falls in the window. */
static void
report_selection (PmRowWindow *self,
                  guint        position,
                  guint        n)
{
  guint start = MAX (position, self->offset);
  guint end = MIN (position + n, self->offset + self->n_shown);

  if (start < end)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), start - self->offset,
                                           end - start);
}

static void
selection_changed_cb (PmRowWindow *self,
                      guint        position,
                      guint        n_items)
{
  guint before = self->shown;
  guint after = gtk_single_selection_get_selected (self->inner);
  gboolean before_in = before >= position && before - position < n_items;
  gboolean after_in = after >= position && after - position < n_items;

  self->shown = after;
  if (n_items <= 2 || !(before_in || after_in))
    {
      report_selection (self, position, n_items);
      return;
    }
  if (before_in)
    report_selection (self, before, 1);
  if (after_in && after != before)
    report_selection (self, after, 1);
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

  if (self->inner != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->inner);
      g_clear_signal_handler (&self->selection_changed_id, self->inner);
      g_clear_object (&self->inner);
    }

  G_OBJECT_CLASS (pm_row_window_parent_class)->dispose (object);
}

static void
pm_row_window_class_init (PmRowWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pm_row_window_dispose;
  object_class->get_property = pm_row_window_get_property;

  properties[PROP_OFFSET] = g_param_spec_uint ("offset", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                               G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pm_row_window_init (PmRowWindow *self)
{
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
  self->n_shown = MIN (self->size, n_total (self));
  self->shown = gtk_single_selection_get_selected (selection);
  self->items_changed_id = g_signal_connect_swapped (selection, "items-changed",
                                                     G_CALLBACK (items_changed_cb), self);
  self->selection_changed_id = g_signal_connect_swapped (selection, "selection-changed",
                                                         G_CALLBACK (selection_changed_cb), self);
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
  move_to (self, offset, MIN (size, total - offset));
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
