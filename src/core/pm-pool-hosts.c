/* pm-pool-hosts.c
 *
 * The pool's hosts (pm-host.c): which lanes run where, and a host lost mid-run. Lanes are
 * handed out host by host in the order the hosts were given, as many as each has slots: with
 * "2/a,3/b", lanes 1–2 run on a and 3–5 on b. Without hosts every lane is on this machine; a
 * lane past the last host's (the limit raised while running) is on this machine too.
 *
 * A host is lost when one of its slots' ssh connections ends while the slot was on a lane: the
 * jobs that ran there fail with the reason ("lost host HOST: …") and are retried elsewhere
 * under --retries; a job sent there that had not started goes back to the queue, since it ran
 * nowhere (cancelled instead once a drain or a stop is under way). No job goes to a lost host.
 * It is prepared again after 1 s, then 2 s, then 4 s; once that fails too it stays down. When no
 * host is left and nothing runs, the jobs still waiting, in the queue and in the source, fail to
 * start with the reason, so the run ends instead of waiting for ever.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-job-private.h"
#include "pm-pool-internal.h"

#define HOST_TRIES 3

static void
pool_host_free (PoolHost *ph)
{
  g_clear_handle_id (&ph->retry_source, g_source_remove);
  if (ph->cancellable != NULL)
    g_cancellable_cancel (ph->cancellable);
  g_clear_object (&ph->cancellable);
  if (ph->base_cancellable != NULL)
    g_cancellable_cancel (ph->base_cancellable);
  g_clear_object (&ph->base_cancellable);
  pm_host_close_shared (ph->host);
  g_clear_object (&ph->host);
  g_free (ph);
}

void
_pm_pool_free_hosts (PmPool *self)
{
  g_clear_pointer (&self->hosts, g_ptr_array_unref);
}

/**
 * pm_pool_set_hosts:
 * @self: a #PmPool, not running
 * @hosts: (element-type PmHost) (nullable): the hosts, in order, each with its slots known
 *   (see pm_host_get_slots()); %NULL for this machine alone
 *
 * Gives each host its lanes (see the top of this file) and sets the limit to their sum.
 */
void
pm_pool_set_hosts (PmPool    *self,
                   GPtrArray *hosts)
{
  guint lane = 1;

  g_return_if_fail (PM_IS_POOL (self));
  g_return_if_fail (self->state == PM_POOL_STATE_IDLE);

  _pm_pool_free_hosts (self);
  if (hosts == NULL || hosts->len == 0)
    return;

  self->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify)pool_host_free);
  for (guint i = 0; i < hosts->len; i++)
    {
      PoolHost *ph = g_new0 (PoolHost, 1);

      ph->pool = self;
      ph->host = g_object_ref (g_ptr_array_index (hosts, i));
      ph->first_lane = lane;
      ph->n_lanes = pm_host_get_slots (ph->host);
      g_return_if_fail (ph->n_lanes > 0);
      lane += ph->n_lanes;
      g_ptr_array_add (self->hosts, ph);
    }
  pm_pool_set_max_workers (self, lane - 1, NULL);
}

/**
 * pm_pool_get_lane_host:
 * @self: a #PmPool
 * @lane: a lane, 1 … the limit
 *
 * Returns: (transfer none) (nullable): the host the lane runs on, %NULL for this machine when
 *   the pool has no hosts
 */
PmHost *
pm_pool_get_lane_host (PmPool *self,
                       guint   lane)
{
  PoolHost *ph;

  g_return_val_if_fail (PM_IS_POOL (self), NULL);

  ph = _pm_pool_lane_host (self, lane);
  return ph != NULL ? ph->host : NULL;
}

PoolHost *
_pm_pool_lane_host (PmPool *self,
                    guint   lane)
{
  for (guint i = 0; self->hosts != NULL && i < self->hosts->len; i++)
    {
      PoolHost *ph = g_ptr_array_index (self->hosts, i);

      if (lane >= ph->first_lane && lane < ph->first_lane + ph->n_lanes)
        return ph;
    }
  return NULL;
}

/* Whether a job may go to the lane now: not while its host is lost (or not ready, or its
 * basefiles are on their way: pm-pool-files.c) */
gboolean
_pm_pool_lane_usable (PmPool *self,
                      guint   lane)
{
  PoolHost *ph = _pm_pool_lane_host (self, lane);

  return ph == NULL ||
         (!ph->removed && pm_host_get_state (ph->host) == PM_HOST_STATE_UP &&
          _pm_pool_host_ready (ph));
}

/* No host left, nothing running, and none being tried again: what waits fails to start, the
 * jobs its source holds now too, and it takes no more (a source that has not ended is drained).
 * The queue alone would not do: a source is known to have ended only once a job was asked of
 * it, which no lane does now, and the run would wait for ever. */
static void
check_stranded (PmPool *self)
{
  g_autofree char *why = NULL;
  GString *reasons;

  if (self->hosts == NULL || self->n_running > 0 || self->state != PM_POOL_STATE_RUNNING ||
      (self->queue.length == 0 && _pm_pool_source_done (self)))
    return;
  for (guint lane = 1; lane <= self->max_workers; lane++)
    if (_pm_pool_lane_usable (self, lane))
      return;
  for (guint i = 0; i < self->hosts->len; i++)
    {
      PoolHost *ph = g_ptr_array_index (self->hosts, i);

      if (ph->preparing || ph->retry_source != 0 || ph->base_sending)
        return;
    }

  reasons = g_string_new (NULL);
  for (guint i = 0; i < self->hosts->len; i++)
    {
      PoolHost *ph = g_ptr_array_index (self->hosts, i);

      if (reasons->len > 0)
        g_string_append (reasons, "; ");
      if (ph->removed)
        g_string_append_printf (reasons, _("%s: no longer listed"), pm_host_get_login (ph->host));
      else
        g_string_append (reasons, pm_host_get_reason (ph->host) != NULL
                                  ? pm_host_get_reason (ph->host)
                                  : pm_host_get_login (ph->host));
    }
  why = g_strdup_printf (_("no host is left to run it (%s)"), reasons->str);
  g_string_free (reasons, TRUE);

  g_object_freeze_notify (G_OBJECT (self));
  while (self->queue.length > 0 || _pm_pool_pull (self))
    {
      g_autoptr(PmJob) job = _pm_pool_queue_pop (self);
      gint64 now = g_get_real_time (), mono = g_get_monotonic_time ();

      g_object_notify_by_pspec (G_OBJECT (self), _pm_pool_properties[PROP_N_QUEUED]);
      _pm_job_set_start_time (job, now, mono);
      _pm_job_set_end_time (job, now, mono);
      _pm_job_set_error_message (job, why);
      _pm_pool_job_done (self, job, PM_JOB_STATE_FAILED_TO_START);
    }
  g_object_thaw_notify (G_OBJECT (self));
  if (!_pm_pool_source_done (self))
    pm_pool_drain (self);
  _pm_pool_check_finished (self);
}

static gboolean retry_cb (gpointer user_data);

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PoolHost *ph = user_data;
  g_autoptr(GError) error = NULL;
  gboolean up = pm_host_prepare_finish (PM_HOST (object), result, &error);
  g_autoptr(PmPool) self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the pool went away; @ph with it */
  self = g_object_ref (ph->pool);
  ph->preparing = FALSE;
  if (up)
    {
      ph->tries = 0;
      ph->base_sent = FALSE;
      _pm_pool_send_basefiles (self);
      _pm_pool_fill (self);
    }
  else if (ph->tries < HOST_TRIES)
    {
      ph->retry_source = g_timeout_add_seconds (1u << ph->tries, retry_cb, ph);
    }
  check_stranded (self);
}

static gboolean
retry_cb (gpointer user_data)
{
  PoolHost *ph = user_data;

  ph->retry_source = 0;
  if (ph->pool->state != PM_POOL_STATE_RUNNING && ph->pool->state != PM_POOL_STATE_DRAINING)
    return G_SOURCE_REMOVE;   /* the run is over: no more jobs for it */
  ph->tries++;
  ph->preparing = TRUE;
  g_clear_object (&ph->cancellable);
  ph->cancellable = g_cancellable_new ();
  pm_host_prepare_async (ph->host, ph->pool->slot_program, ph->cancellable, prepared_cb, ph);
  return G_SOURCE_REMOVE;
}

static PoolHost *
find_host (PmPool *self,
           PmHost *host)
{
  for (guint i = 0; self->hosts != NULL && i < self->hosts->len; i++)
    if (((PoolHost *)g_ptr_array_index (self->hosts, i))->host == host)
      return g_ptr_array_index (self->hosts, i);
  return NULL;
}

/* The slots of @ph's lanes that have no job are retired */
static void
retire_idle_slots (PmPool   *self,
                   PoolHost *ph)
{
  for (guint lane = ph->first_lane; lane < ph->first_lane + ph->n_lanes; lane++)
    {
      Slot *slot = _pm_pool_lane_slot (self, lane);

      if (slot != NULL && slot->running == NULL)
        _pm_slot_retire (slot);
    }
}

/* A slot's connection to @host ended (pm-pool-slot.c): see the top of this file. */
void
_pm_pool_host_lost (PmPool     *self,
                    PmHost     *host,
                    const char *reason)
{
  PoolHost *ph = find_host (self, host);

  if (ph == NULL || pm_host_get_state (host) == PM_HOST_STATE_DOWN || ph->preparing)
    return;

  pm_host_set_down (host, reason);
  if (ph->base_cancellable != NULL)
    g_cancellable_cancel (ph->base_cancellable);
  ph->base_sending = FALSE;
  ph->base_sent = FALSE;
  /* Its idle slots are of no use now, and are likely gone too. */
  retire_idle_slots (self, ph);
  if (self->state == PM_POOL_STATE_RUNNING && ph->retry_source == 0)
    ph->retry_source = g_timeout_add_seconds (1, retry_cb, ph);
  check_stranded (self);
}

/**
 * pm_pool_add_host:
 * @self: a #PmPool
 * @host: a host that is up, its slots known
 *
 * A host for a pool that runs (GNU parallel's --slf, edited): it gets lanes of its own above
 * the limit, which grows by its slots. A host taken out before comes back on its old lanes.
 */
void
pm_pool_add_host (PmPool *self,
                  PmHost *host)
{
  PoolHost *ph;
  guint n;

  g_return_if_fail (PM_IS_POOL (self));
  g_return_if_fail (PM_IS_HOST (host));

  if ((ph = find_host (self, host)) != NULL)
    {
      ph->removed = FALSE;
      _pm_pool_send_basefiles (self);
      _pm_pool_fill (self);
      return;
    }
  n = pm_host_get_slots (host);
  g_return_if_fail (n > 0);
  if (self->max_workers + n > PM_POOL_MAX_LIMIT)
    return;
  if (self->hosts == NULL)
    self->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify)pool_host_free);
  ph = g_new0 (PoolHost, 1);
  ph->pool = self;
  ph->host = g_object_ref (host);
  ph->first_lane = self->max_workers + 1;
  ph->n_lanes = n;
  g_ptr_array_add (self->hosts, ph);
  pm_pool_set_max_workers (self, self->max_workers + n, NULL);
  _pm_pool_send_basefiles (self);
  _pm_pool_fill (self);
}

/**
 * pm_pool_remove_host:
 * @self: a #PmPool
 * @host: one of its hosts
 *
 * The host takes no more jobs; those running there finish. Its lanes stay, unused.
 */
void
pm_pool_remove_host (PmPool *self,
                     PmHost *host)
{
  PoolHost *ph;

  g_return_if_fail (PM_IS_POOL (self));

  if ((ph = find_host (self, host)) == NULL || ph->removed)
    return;
  ph->removed = TRUE;
  retire_idle_slots (self, ph);
  check_stranded (self);
}

/**
 * pm_pool_dup_hosts:
 * @self: a #PmPool
 *
 * Returns: (transfer full) (element-type PmHost): its hosts, those taken out too
 */
GPtrArray *
pm_pool_dup_hosts (PmPool *self)
{
  GPtrArray *hosts = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (PM_IS_POOL (self), hosts);

  for (guint i = 0; self->hosts != NULL && i < self->hosts->len; i++)
    g_ptr_array_add (hosts, g_object_ref (((PoolHost *)g_ptr_array_index (self->hosts, i))->host));
  return hosts;
}
