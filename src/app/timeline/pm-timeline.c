/* pm-timeline.c: the slot-lane timeline widget
 *
 * The GObject, the pool binding, zoom and scroll state and the public API. What the timeline
 * knows of the run is in pm-timeline-model.c, where things are in pm-timeline-layout.c, input
 * in pm-timeline-input.c, drawing in pm-timeline-draw.c, pm-timeline-bars.c and
 * pm-timeline-chart.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-live.h"
#include "pm-timeline-internal.h"

G_DEFINE_FINAL_TYPE (PmTimeline, pm_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_POOL,
  PROP_ZOOM,
  PROP_FOLLOW,
  N_PROPS
};

enum {
  JOB_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* GtkWidget */

static void
pm_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  PmTimeline *self = PM_TIMELINE (widget);
  const PmTimelineMetrics *m = _pm_timeline_metrics (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* 120 px of lanes at least: the window goes down to 360 px wide. */
      *minimum = (int)(m->label_w + m->queue_w + 120);
      *natural = (int)(m->label_w + m->queue_w + 640);
    }
  else
    {
      /* The height follows the lane count up to 16 lanes; beyond, the lanes scroll. */
      guint lanes = MIN (_pm_timeline_count_lanes (self), 16);
      double fixed = m->top_h + m->axis_h + 2 * m->key_h + m->gap_h + m->legend_h + 4;

      /* Two lanes at least (more scroll) under one row of the key, the chart folded away
       * (pm-timeline-layout.c): a short window leaves the list its rows, at 1.5× text too */
      *minimum = (int)(m->top_h + m->axis_h + m->key_h + 2 * m->lane_min_h);
      *natural = (int)(fixed + 2 * MAX (64, 4 * m->line) + lanes * (m->lane_min_h + 8));
    }
}

static void
pm_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  _pm_timeline_update_view (PM_TIMELINE (widget));
}

static void
pm_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  PmTimeline *self = PM_TIMELINE (widget);

  GTK_WIDGET_CLASS (pm_timeline_parent_class)->css_changed (widget, change);
  g_clear_object (&self->layout);
  self->metrics.line = 0;
  _pm_timeline_invalidate_cache (self);
  gtk_widget_queue_draw (widget);
}

/* Ticking: only while the pool is active */

/* While the pool is active the timeline is redrawn from the tick, on the live beat
 * (pm-live.h): once per period, on the same frame as the job list. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  PmTimeline *self = PM_TIMELINE (widget);

  if (!pm_live_period_due (clock, &self->last_live_draw))
    return G_SOURCE_CONTINUE;

  _pm_timeline_update_view (self);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* A change to show: at once when idle, from the next due tick while the pool is active. */
static void
queue_live_draw (PmTimeline *self)
{
  if (self->tick_id == 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
stop_ticking (PmTimeline *self)
{
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
update_ticking (PmTimeline *self)
{
  gboolean want = _pm_timeline_is_live (self) && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  else if (!want)
    stop_ticking (self);
}

static void
pm_timeline_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pm_timeline_parent_class)->map (widget);
  update_ticking (PM_TIMELINE (widget));
}

static void
pm_timeline_unmap (GtkWidget *widget)
{
  stop_ticking (PM_TIMELINE (widget));
  GTK_WIDGET_CLASS (pm_timeline_parent_class)->unmap (widget);
}

/* Accessibility: the description follows the counts, at most twice a second */

static gboolean
update_description_cb (gpointer user_data)
{
  PmTimeline *self = user_data;
  g_autofree char *text = NULL;

  self->a11y_source = 0;
  if (self->pool == NULL)
    text = g_strdup (_("No run"));
  else
    text = g_strdup_printf (_("%u running of limit %u, %u waiting, %u done, %u failed"),
                            pm_pool_get_n_running (self->pool),
                            pm_pool_get_max_workers (self->pool),
                            pm_pool_get_n_queued (self->pool),
                            pm_pool_get_n_done (self->pool),
                            pm_pool_get_n_failed (self->pool));
  if (self->pool != NULL)
    {
      g_autofree char *cores = _pm_timeline_cores_dup_description (self);
      char *both = g_strdup_printf ("%s; %s", text, cores);

      g_free (text);
      text = both;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  return G_SOURCE_REMOVE;
}

static void
queue_description (PmTimeline *self)
{
  if (self->a11y_source == 0)
    self->a11y_source = g_timeout_add (500, update_description_cb, self);
}

/* Pool signals */

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  PmTimeline *self)
{
  if (removed > 0 || pm_pool_get_state (self->pool) == PM_POOL_STATE_READ_ONLY)
    _pm_timeline_rebuild (self);
  else
    {
      _pm_timeline_add_queued (self, model, position, added);
      _pm_timeline_invalidate_cache (self);
    }
  queue_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
job_started_cb (PmPool     *pool,
                PmJob      *job,
                PmTimeline *self)
{
  if (_pm_timeline_add_started (self, job))
    gtk_widget_queue_resize (GTK_WIDGET (self));
  /* Running bars and the chart are drawn every frame; the bar cache needs no change. */
  queue_live_draw (self);
}

static void
job_finished_cb (PmPool     *pool,
                 PmJob      *job,
                 PmTimeline *self)
{
  _pm_timeline_add_finished (self, job);
  queue_live_draw (self);
}

static void
max_workers_cb (PmPool     *pool,
                GParamSpec *pspec,
                PmTimeline *self)
{
  _pm_timeline_invalidate_cache (self);
  queue_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
state_cb (PmPool     *pool,
          GParamSpec *pspec,
          PmTimeline *self)
{
  /* A run starting queued its jobs at that moment (before, it was a preview): count them from
   * then. */
  if (self->last_state == PM_POOL_STATE_IDLE && pm_pool_get_state (pool) != PM_POOL_STATE_IDLE)
    _pm_timeline_rebuild (self);
  self->last_state = pm_pool_get_state (pool);
  update_ticking (self);
  _pm_timeline_update_view (self);
  queue_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
counts_cb (PmPool     *pool,
           GParamSpec *pspec,
           PmTimeline *self)
{
  queue_description (self);
  if (!_pm_timeline_is_live (self))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zoom and scroll */

void
_pm_timeline_set_zoom_internal (PmTimeline *self,
                                double      zoom)
{
  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (zoom != self->zoom)
    {
      self->zoom = zoom;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
}

void
_pm_timeline_zoom_around (PmTimeline *self,
                          double      factor,
                          double      x)
{
  double width = _pm_timeline_lanes_width (self);
  double anchor = CLAMP (x - _pm_timeline_metrics (self)->label_w, 0, width);
  double t = self->offset + anchor / self->zoom;

  self->fit = FALSE;
  _pm_timeline_set_zoom_internal (self, self->zoom * factor);
  self->offset = t - anchor / self->zoom;
  _pm_timeline_clamp_offset (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_pm_timeline_pan_by (PmTimeline *self,
                     double      pixels)
{
  self->fit = FALSE;
  if (self->follow)
    {
      self->follow = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
    }
  self->offset += pixels / self->zoom;
  _pm_timeline_clamp_offset (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A click on the job's bar or queue chip */
void
_pm_timeline_activate_job (PmTimeline *self,
                           PmJob      *job)
{
  g_autoptr(PmJob) hold = g_object_ref (job);

  pm_timeline_set_selected_job (self, job);
  g_signal_emit (self, signals[JOB_ACTIVATED], 0, job);
}

/* GObject */

static void
disconnect_pool (PmTimeline *self)
{
  if (self->pool == NULL)
    return;
  g_clear_signal_handler (&self->items_changed_id, self->pool);
  g_clear_signal_handler (&self->job_started_id, self->pool);
  g_clear_signal_handler (&self->job_finished_id, self->pool);
  g_clear_signal_handler (&self->max_workers_id, self->pool);
  g_clear_signal_handler (&self->state_id, self->pool);
  g_clear_signal_handler (&self->counts_id, self->pool);
  g_clear_object (&self->pool);
}

static void
pm_timeline_dispose (GObject *object)
{
  PmTimeline *self = (PmTimeline *)object;

  disconnect_pool (self);
  g_clear_object (&self->selected);
  g_clear_handle_id (&self->a11y_source, g_source_remove);
  stop_ticking (self);
  g_array_set_size (self->chips, 0);
  g_ptr_array_set_size (self->running, 0);
  g_array_set_size (self->bars, 0);
  _pm_timeline_invalidate_cache (self);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (pm_timeline_parent_class)->dispose (object);
}

static void
pm_timeline_finalize (GObject *object)
{
  PmTimeline *self = (PmTimeline *)object;

  g_clear_pointer (&self->bars, g_array_unref);
  g_clear_pointer (&self->steps, g_array_unref);
  g_clear_pointer (&self->running, g_ptr_array_unref);
  g_clear_pointer (&self->chips, g_array_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->texts, g_array_unref);
  g_clear_pointer (&self->cache_nodes, g_ptr_array_unref);
  g_clear_pointer (&self->cache_surface, cairo_surface_destroy);
  g_clear_pointer (&self->cache_tiles, g_ptr_array_unref);
  g_clear_pointer (&self->cores, _pm_timeline_cores_free);

  G_OBJECT_CLASS (pm_timeline_parent_class)->finalize (object);
}

static void
pm_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PmTimeline *self = PM_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_POOL:
      g_value_set_object (value, self->pool);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PmTimeline *self = PM_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_POOL:
      pm_timeline_set_pool (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      pm_timeline_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_FOLLOW:
      pm_timeline_set_follow (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pm_timeline_class_init (PmTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pm_timeline_dispose;
  object_class->finalize = pm_timeline_finalize;
  object_class->get_property = pm_timeline_get_property;
  object_class->set_property = pm_timeline_set_property;

  widget_class->snapshot = _pm_timeline_snapshot;
  widget_class->measure = pm_timeline_measure;
  widget_class->size_allocate = pm_timeline_size_allocate;
  widget_class->css_changed = pm_timeline_css_changed;
  widget_class->map = pm_timeline_map;
  widget_class->unmap = pm_timeline_unmap;

  /**
   * PmTimeline:pool: (nullable)
   *
   * The pool shown.
   */
  properties[PROP_POOL] = g_param_spec_object ("pool", NULL, NULL, PM_TYPE_POOL, flags);
  /**
   * PmTimeline:zoom:
   *
   * Pixels per second of run time.
   */
  properties[PROP_ZOOM] = g_param_spec_double ("zoom", NULL, NULL, MIN_ZOOM, MAX_ZOOM, 60,
                                               flags);
  /**
   * PmTimeline:follow:
   *
   * Whether the view keeps "now" in view while the pool is active.
   */
  properties[PROP_FOLLOW] = g_param_spec_boolean ("follow", NULL, NULL, TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PmTimeline::job-activated:
   * @timeline: the timeline
   * @job: the job whose bar (or queue chip) was clicked
   */
  signals[JOB_ACTIVATED] = g_signal_new ("job-activated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, PM_TYPE_JOB);

  gtk_widget_class_set_css_name (widget_class, "pmtimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pm_timeline_init (PmTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->zoom = 60;
  self->follow = TRUE;
  self->fit = TRUE;
  self->bars = g_array_new (FALSE, FALSE, sizeof (PmTimelineBar));
  self->steps = g_array_new (FALSE, FALSE, sizeof (PmTimelineStep));
  self->running = g_ptr_array_new ();
  self->chips = g_array_new (FALSE, FALSE, sizeof (PmTimelineChip));
  self->pending = g_array_new (FALSE, FALSE, sizeof (PmTimelineBar));
  self->cache_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)gsk_render_node_unref);
  self->cache_tiles = g_ptr_array_new_with_free_func ((GDestroyNotify)gsk_render_node_unref);
  self->cores = _pm_timeline_cores_new ();

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  _pm_timeline_init_input (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Slot lanes timeline"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("No run"),
                                  -1);
}

/* Public API */

GtkWidget *
pm_timeline_new (void)
{
  return g_object_new (PM_TYPE_TIMELINE, NULL);
}

/**
 * pm_timeline_set_pool:
 * @self: a #PmTimeline
 * @pool: (nullable): the pool to show
 */
void
pm_timeline_set_pool (PmTimeline *self,
                      PmPool     *pool)
{
  g_return_if_fail (PM_IS_TIMELINE (self));
  g_return_if_fail (pool == NULL || PM_IS_POOL (pool));

  if (self->pool == pool)
    return;

  disconnect_pool (self);
  g_clear_object (&self->selected);
  g_array_set_size (self->chips, 0);
  _pm_timeline_cores_clear (self->cores);
  if (pool != NULL)
    {
      self->pool = g_object_ref (pool);
      self->items_changed_id = g_signal_connect (pool, "items-changed",
                                                 G_CALLBACK (items_changed_cb), self);
      self->job_started_id = g_signal_connect (pool, "job-started",
                                               G_CALLBACK (job_started_cb), self);
      self->job_finished_id = g_signal_connect (pool, "job-finished",
                                                G_CALLBACK (job_finished_cb), self);
      self->max_workers_id = g_signal_connect (pool, "notify::max-workers",
                                               G_CALLBACK (max_workers_cb), self);
      self->state_id = g_signal_connect (pool, "notify::state", G_CALLBACK (state_cb), self);
      self->counts_id = g_signal_connect (pool, "notify::n-done", G_CALLBACK (counts_cb), self);
      self->last_state = pm_pool_get_state (pool);
    }
  _pm_timeline_rebuild (self);
  self->fit = TRUE;
  self->fit_span = 0;
  self->offset = 0;
  _pm_timeline_update_view (self);
  update_ticking (self);
  /* The pending update is dropped first: the callback forgets its own source id. */
  g_clear_handle_id (&self->a11y_source, g_source_remove);
  update_description_cb (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POOL]);
}

/**
 * pm_timeline_get_pool:
 * @self: a #PmTimeline
 *
 * Returns: (transfer none) (nullable): the pool shown
 */
PmPool *
pm_timeline_get_pool (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), NULL);
  return self->pool;
}

/**
 * pm_timeline_set_selected_job:
 * @self: a #PmTimeline
 * @job: (nullable): the job to highlight
 */
void
pm_timeline_set_selected_job (PmTimeline *self,
                              PmJob      *job)
{
  g_return_if_fail (PM_IS_TIMELINE (self));
  g_return_if_fail (job == NULL || PM_IS_JOB (job));

  if (g_set_object (&self->selected, job))
    {
      /* A job picked in the list shows in the timeline, its lane scrolled into view */
      if (job != NULL && pm_job_get_slot (job) > 0)
        _pm_timeline_reveal_lane (self, pm_job_get_slot (job));
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

PmJob *
pm_timeline_get_selected_job (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), NULL);
  return self->selected;
}

double
pm_timeline_get_zoom (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), 0);
  return self->zoom;
}

/**
 * pm_timeline_set_zoom:
 * @self: a #PmTimeline
 * @zoom: pixels per second
 *
 * Sets the zoom, keeping the time at the middle of the view in place; the view no longer
 * fits the run by itself.
 */
void
pm_timeline_set_zoom (PmTimeline *self,
                      double      zoom)
{
  g_return_if_fail (PM_IS_TIMELINE (self));

  _pm_timeline_zoom_around (self, CLAMP (zoom, MIN_ZOOM, MAX_ZOOM) / self->zoom,
                            _pm_timeline_metrics (self)->label_w +
                            _pm_timeline_lanes_width (self) / 2);
}

gboolean
pm_timeline_get_follow (PmTimeline *self)
{
  g_return_val_if_fail (PM_IS_TIMELINE (self), FALSE);
  return self->follow;
}

void
pm_timeline_set_follow (PmTimeline *self,
                        gboolean    follow)
{
  g_return_if_fail (PM_IS_TIMELINE (self));

  follow = !!follow;
  if (self->follow == follow)
    return;
  self->follow = follow;
  _pm_timeline_update_view (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

void
pm_timeline_zoom_in (PmTimeline *self)
{
  g_return_if_fail (PM_IS_TIMELINE (self));
  _pm_timeline_zoom_around (self, ZOOM_STEP, _pm_timeline_zoom_anchor (self));
}

void
pm_timeline_zoom_out (PmTimeline *self)
{
  g_return_if_fail (PM_IS_TIMELINE (self));
  _pm_timeline_zoom_around (self, 1 / ZOOM_STEP, _pm_timeline_zoom_anchor (self));
}

/**
 * pm_timeline_zoom_fit:
 * @self: a #PmTimeline
 *
 * Fits the whole run into the view, and keeps it fitted as it grows.
 */
void
pm_timeline_zoom_fit (PmTimeline *self)
{
  g_return_if_fail (PM_IS_TIMELINE (self));

  self->fit = TRUE;
  self->fit_span = 0;
  _pm_timeline_update_view (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Private API */

void
_pm_timeline_scroll_to (PmTimeline *self,
                        double      seconds)
{
  g_return_if_fail (PM_IS_TIMELINE (self));

  self->fit = FALSE;
  self->offset = seconds;
  _pm_timeline_clamp_offset (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
