/* pm-row-view.c
 *
 * A GtkColumnView over a GtkSingleSelection of any length that binds only the rows on screen.
 * The column view is given a PmRowWindow (pm-row-window.c says why) sized to the rows that fit,
 * in a scrolled window that scrolls it sideways only. Up and down, this widget scrolls by
 * moving the window: its own scroll bar, the wheel and touchpad (pm-wheel-steps.c), and the
 * keys that move between rows, which it takes before the column view does (Up, Down, Page Up,
 * Page Down, Home, End). The selection is the truth: the list's users select and read through
 * it, and pm_row_view_show_row() scrolls to a row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "pm-row-view.h"
#include "pm-row-window.h"
#include "pm-wheel-steps.h"

struct _PmRowView
{
  GtkWidget           parent_instance;

  GtkSingleSelection *selection;
  PmRowWindow        *window;
  GtkWidget          *scroller;
  GtkColumnView      *view;
  GtkWidget          *bar;
  GtkAdjustment      *adjustment;
  GtkEventController *wheel;

  double              row_height;     /* measured, or a guess until rows are laid out */
  guint               want_size;      /* the rows that fit, as last laid out; 0: not yet */
  guint               size_tick_id;   /* applies want_size on the next frame */
  guint               focus_row;      /* a row of the window to focus once laid out, + 1 */
  guint               focus_source;
  gboolean            syncing;
  gulong              items_changed_id;
};

G_DEFINE_FINAL_TYPE (PmRowView, pm_row_view, GTK_TYPE_WIDGET)

static GtkListView *
find_list_view (PmRowView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return GTK_LIST_VIEW (child);
  return NULL;
}

static guint
n_rows (PmRowView *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

/* The scroll bar follows the window: the first row shown of all rows, a window's worth a page. */
static void
sync_adjustment (PmRowView *self)
{
  guint size = pm_row_window_get_size (self->window);
  guint offset = pm_row_window_get_offset (self->window);
  double value = gtk_adjustment_get_value (self->adjustment);

  /* A part of a row scrolled (a touchpad's few pixels) is kept, to add up with the next. */
  if ((guint)floor (value + 0.5) != offset)
    value = offset;
  self->syncing = TRUE;
  gtk_adjustment_configure (self->adjustment, value, 0, n_rows (self), 1, MAX (size, 2) - 1,
                            MIN (size, n_rows (self)));
  self->syncing = FALSE;
  /* As a scrolled window's would, the bar goes when every row is on screen. */
  gtk_widget_set_visible (self->bar, n_rows (self) > size);
}

static void
adjustment_value_changed_cb (PmRowView *self)
{
  double value = gtk_adjustment_get_value (self->adjustment);

  if (self->syncing)
    return;
  pm_row_window_set (self->window, (guint)floor (value + 0.5),
                     pm_row_window_get_size (self->window));
}

/* The next row after @row (the first if NULL) that the list view has laid out, and its bounds
 * in the list view; NULL when there is none. The list view's children are its rows, but not
 * always in their order. */
static GtkWidget *
next_laid_out_row (GtkWidget       *list_view,
                   GtkWidget       *row,
                   graphene_rect_t *bounds)
{
  for (GtkWidget *child = row ? gtk_widget_get_next_sibling (row)
                              : gtk_widget_get_first_child (list_view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (gtk_widget_get_css_name (child), "row") &&
        gtk_widget_compute_bounds (child, list_view, bounds))
      return child;
  return NULL;
}

/* The row widget on screen at the window's row @row, found by where it was laid out. */
static GtkWidget *
find_row_widget (PmRowView *self,
                 guint      row)
{
  GtkWidget *list_view = GTK_WIDGET (find_list_view (self));
  GtkAdjustment *inner = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));
  float y = (row + 0.5) * self->row_height - (inner ? gtk_adjustment_get_value (inner) : 0);
  graphene_rect_t bounds;

  if (list_view == NULL)
    return NULL;
  for (GtkWidget *child = next_laid_out_row (list_view, NULL, &bounds);
       child != NULL;
       child = next_laid_out_row (list_view, child, &bounds))
    if (y >= bounds.origin.y && y < bounds.origin.y + bounds.size.height)
      return child;
  return NULL;
}

static gboolean
focus_pending_row (PmRowView *self)
{
  GtkWidget *row = find_row_widget (self, self->focus_row - 1);

  if (row == NULL)
    return FALSE;
  self->focus_row = 0;
  gtk_widget_grab_focus (row);
  return TRUE;
}

/* Once the rows are laid out: focusing a row scrolls the column view to it, which would lay
 * them out again in the middle of laying them out. */
static gboolean
focus_row_cb (gpointer user_data)
{
  PmRowView *self = user_data;

  self->focus_source = 0;
  focus_pending_row (self);
  self->focus_row = 0;
  return G_SOURCE_REMOVE;
}

/* A row widget stays where it is on screen when the window moves and shows another item. If it
 * has the focus, the focus goes with the selected item: to its row if that is on screen, or
 * out of sight (as GTK's own lists do when the focused row scrolls away) if not. */
static void
window_moved_cb (PmRowView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkListView *list_view = find_list_view (self);
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint offset = pm_row_window_get_offset (self->window);
  GtkWidget *row = NULL;

  sync_adjustment (self);
  if (focus == NULL || list_view == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (list_view)))
    return;
  if (selected != GTK_INVALID_LIST_POSITION && selected >= offset)
    row = find_row_widget (self, selected - offset);
  if (row != NULL)
    gtk_widget_grab_focus (row);
  else if (GTK_IS_WINDOW (root))
    gtk_window_set_focus_visible (GTK_WINDOW (root), FALSE);
}

/* The list is one Tab stop, as a list is one control (GTK 4.8's list views make every row one:
 * 500 rows took 500 presses to leave). Tab and Shift+Tab from a row leave the list; coming in,
 * they land on the selected row when it is on screen, else on the first row on screen; the
 * arrows, Page Up, Page Down, Home and End move between rows (key_pressed_cb). */
static gboolean
pm_row_view_focus (GtkWidget        *widget,
                   GtkDirectionType  direction)
{
  PmRowView *self = PM_ROW_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *list_view = GTK_WIDGET (find_list_view (self));
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint offset = pm_row_window_get_offset (self->window);
  GtkWidget *row = NULL;

  if ((direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD) ||
      list_view == NULL)
    return GTK_WIDGET_CLASS (pm_row_view_parent_class)->focus (widget, direction);
  if (focus != NULL && gtk_widget_is_ancestor (focus, list_view))
    return FALSE;

  if (selected != GTK_INVALID_LIST_POSITION && selected >= offset)
    row = find_row_widget (self, selected - offset);
  if (row == NULL)
    row = find_row_widget (self, 0);
  if (row != NULL && gtk_widget_grab_focus (row))
    return TRUE;
  return GTK_WIDGET_CLASS (pm_row_view_parent_class)->focus (widget, direction);
}

/* Selects the row at @position, shows it and gives it the keyboard focus, as GTK's keys do. */
static void
move_to (PmRowView *self,
         guint      position)
{
  if (position >= n_rows (self))
    return;
  gtk_single_selection_set_selected (self->selection, position);
  pm_row_window_show (self->window, position);
  /* The rows on screen stay where they are as the window moves: only a row the window just
   * took in, at the end of a short list, is laid out later. */
  self->focus_row = position - pm_row_window_get_offset (self->window) + 1;
  if (!focus_pending_row (self))
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PmRowView             *self)
{
  guint n = n_rows (self);
  guint page = MAX (pm_row_window_get_size (self->window), 2) - 1;
  guint current = gtk_single_selection_get_selected (self->selection);
  guint to;

  if (n == 0 || (state & (GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;
  if (current >= n)
    current = pm_row_window_get_offset (self->window);

  switch (keyval)
    {
    case GDK_KEY_Up: case GDK_KEY_KP_Up:
      to = current > 0 ? current - 1 : 0;
      break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down:
      to = MIN (current + 1, n - 1);
      break;
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up:
      to = current > page ? current - page : 0;
      break;
    case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
      to = MIN (current + page, n - 1);
      break;
    case GDK_KEY_Home: case GDK_KEY_KP_Home:
      to = 0;
      break;
    case GDK_KEY_End: case GDK_KEY_KP_End:
      to = n - 1;
      break;
    default:
      return FALSE;
    }

  move_to (self, to);
  return TRUE;
}

static gboolean
apply_size_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  PmRowView *self = PM_ROW_VIEW (widget);

  self->size_tick_id = 0;
  if (self->want_size != pm_row_window_get_size (self->window))
    {
      pm_row_window_set (self->window, pm_row_window_get_offset (self->window), self->want_size);
      sync_adjustment (self);
    }
  return G_SOURCE_REMOVE;
}

/* The height of a row, from one laid out. */
static void
measure_row_height (PmRowView *self)
{
  GtkWidget *list_view = GTK_WIDGET (find_list_view (self));
  graphene_rect_t bounds;

  if (list_view == NULL)
    return;
  for (GtkWidget *child = next_laid_out_row (list_view, NULL, &bounds);
       child != NULL;
       child = next_laid_out_row (list_view, child, &bounds))
    if (bounds.size.height > 0)
      {
        self->row_height = bounds.size.height;
        pm_wheel_steps_set_row_height (self->wheel, self->row_height);
        return;
      }
}

static void
pm_row_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  PmRowView *self = PM_ROW_VIEW (widget);
  int bar_min = 0, bar_nat = 0;

  gtk_widget_measure (self->scroller, orientation, for_size, minimum, natural, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->bar, orientation, -1, &bar_min, &bar_nat, NULL, NULL);
      *minimum += bar_min;
      *natural += bar_nat;
    }
}

static void
pm_row_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  PmRowView *self = PM_ROW_VIEW (widget);
  GtkListView *list_view = find_list_view (self);
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  int bar_width, top;

  gtk_widget_measure (self->bar, GTK_ORIENTATION_HORIZONTAL, -1, &bar_width, NULL, NULL, NULL);
  gtk_widget_allocate (self->scroller, MAX (width - bar_width, 0), height, -1, NULL);

  /* The bar runs beside the rows, below the column titles. */
  if (list_view == NULL || !gtk_widget_compute_bounds (GTK_WIDGET (list_view), widget, &bounds))
    bounds.origin.y = 0;
  top = CLAMP ((int)bounds.origin.y, 0, height);
  gtk_widget_allocate (self->bar, bar_width, height - top, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (width - bar_width,
                                                                            top)));

  measure_row_height (self);
  if (bounds.size.height > 0)
    self->want_size = MAX (1, (guint)(bounds.size.height / self->row_height));
  if (self->want_size != 0 && self->want_size != pm_row_window_get_size (self->window) &&
      self->size_tick_id == 0)
    self->size_tick_id = gtk_widget_add_tick_callback (widget, apply_size_cb, NULL, NULL);
  if (self->focus_row > 0 && self->focus_source == 0)
    self->focus_source = g_idle_add (focus_row_cb, self);
}

static void
pm_row_view_dispose (GObject *object)
{
  PmRowView *self = PM_ROW_VIEW (object);

  if (self->size_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->size_tick_id);
  self->size_tick_id = 0;
  g_clear_handle_id (&self->focus_source, g_source_remove);
  if (self->selection != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->selection);
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  if (self->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->adjustment, self);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_pointer (&self->bar, gtk_widget_unparent);
  self->view = NULL;
  self->wheel = NULL;
  g_clear_object (&self->window);
  g_clear_object (&self->selection);
  g_clear_object (&self->adjustment);

  G_OBJECT_CLASS (pm_row_view_parent_class)->dispose (object);
}

static void
pm_row_view_class_init (PmRowViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = pm_row_view_dispose;
  widget_class->measure = pm_row_view_measure;
  widget_class->size_allocate = pm_row_view_size_allocate;
  widget_class->focus = pm_row_view_focus;
  gtk_widget_class_set_css_name (widget_class, "pmrowview");
}

static void
pm_row_view_init (PmRowView *self)
{
  self->row_height = 30;
}

GtkWidget *
pm_row_view_new (GtkSingleSelection *selection)
{
  PmRowView *self;
  GtkEventController *keys;

  g_return_val_if_fail (GTK_IS_SINGLE_SELECTION (selection), NULL);

  self = g_object_new (PM_TYPE_ROW_VIEW, NULL);
  self->selection = g_object_ref (selection);
  self->window = pm_row_window_new (selection);
  self->adjustment = g_object_ref_sink (gtk_adjustment_new (0, 0, 0, 1, 1, 0));
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->window))));

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_EXTERNAL);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  self->bar = gtk_scrollbar_new (GTK_ORIENTATION_VERTICAL, self->adjustment);
  gtk_widget_set_parent (self->bar, GTK_WIDGET (self));

  self->wheel = pm_wheel_steps_new (self->adjustment);
  gtk_widget_add_controller (GTK_WIDGET (self), self->wheel);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (keys, "pm-row-keys");
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (find_list_view (self)), keys);

  g_signal_connect_swapped (self->adjustment, "value-changed",
                            G_CALLBACK (adjustment_value_changed_cb), self);
  g_signal_connect_swapped (self->window, "notify::offset", G_CALLBACK (window_moved_cb), self);
  /* After the window's own handler, which it connected first. */
  self->items_changed_id = g_signal_connect_swapped (selection, "items-changed",
                                                     G_CALLBACK (sync_adjustment), self);
  sync_adjustment (self);

  return GTK_WIDGET (self);
}

GtkColumnView *
pm_row_view_get_column_view (PmRowView *self)
{
  g_return_val_if_fail (PM_IS_ROW_VIEW (self), NULL);
  return self->view;
}

GtkAdjustment *
pm_row_view_get_adjustment (PmRowView *self)
{
  g_return_val_if_fail (PM_IS_ROW_VIEW (self), NULL);
  return self->adjustment;
}

void
pm_row_view_show_row (PmRowView *self,
                      guint      position)
{
  g_return_if_fail (PM_IS_ROW_VIEW (self));
  pm_row_window_show (self->window, position);
}
