/* pm-timeline-hosts.c
 *
 * Lanes grouped by host. The pool hands out lanes host by host (pm-pool-hosts.c), so each host's
 * lanes are next to each other: a line parts one host's lanes from the next, and the label
 * column names the host beside its first lane ("this machine" for ":"), left of "slot N": the
 * column is widened for the names (pm-timeline-layout.c). A host that is down has its lanes
 * washed in the error colour and a pill beside now, where nothing is drawn yet, says why. A pool without hosts runs every lane here: nothing of this is drawn.
 *
 * A run read from a log has no hosts, only jobs that say where they ran: each lane belongs to
 * the host of its jobs (a lane with none, to the lane's before it), and the lanes are grouped
 * the same way when a job ran elsewhere than here. Whether a host went down is not in a log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "pm-timeline-internal.h"

typedef struct
{
  guint       first;
  guint       last;
  PmHost     *host;   /* NULL: this machine, past the hosts' lanes; or a run read from a log */
  const char *login;  /* a run read from a log: the jobs' host, NULL for this machine */
} HostGroup;

static gboolean
is_here (const char *login)
{
  return login == NULL || login[0] == '\0' || g_str_equal (login, ":");
}

/* A run read from a log: the groups its jobs' hosts make (see the top), or NULL when every
 * job ran here */
static GArray *
logged_host_groups (PmTimeline *self,
                    guint       n_lanes)
{
  g_autofree const char **hosts = g_new0 (const char *, n_lanes + 1);
  g_autofree gboolean *known = g_new0 (gboolean, n_lanes + 1);
  gboolean elsewhere = FALSE;
  GArray *groups;

  for (guint i = 0; self->bars != NULL && i < self->bars->len; i++)
    {
      const PmTimelineBar *bar = &g_array_index (self->bars, PmTimelineBar, i);

      if (bar->slot == 0 || bar->slot > n_lanes || known[bar->slot])
        continue;
      known[bar->slot] = TRUE;
      hosts[bar->slot] = pm_job_get_host (bar->job);
      elsewhere |= !is_here (hosts[bar->slot]);
    }
  if (!elsewhere)
    return NULL;

  groups = g_array_new (FALSE, FALSE, sizeof (HostGroup));
  for (guint lane = 1; lane <= n_lanes; lane++)
    {
      HostGroup *last = groups->len > 0 ? &g_array_index (groups, HostGroup, groups->len - 1)
                                        : NULL;
      const char *login = is_here (hosts[lane]) ? NULL : hosts[lane];

      if (last != NULL && (!known[lane] || g_strcmp0 (last->login, login) == 0))
        last->last = lane;
      else
        g_array_append_val (groups, ((HostGroup) { lane, lane, NULL, login }));
    }
  return groups;
}

/* The host groups of lanes 1 … @n_lanes, or NULL when the pool has no hosts */
static GArray *
host_groups (PmTimeline *self,
             guint       n_lanes)
{
  GArray *groups;

  if (self->pool == NULL)
    return NULL;
  if (pm_pool_get_lane_host (self->pool, 1) == NULL)
    return pm_pool_get_state (self->pool) == PM_POOL_STATE_READ_ONLY
           ? logged_host_groups (self, n_lanes) : NULL;
  groups = g_array_new (FALSE, FALSE, sizeof (HostGroup));
  for (guint lane = 1; lane <= n_lanes; lane++)
    {
      PmHost *host = pm_pool_get_lane_host (self->pool, lane);
      HostGroup *last = groups->len > 0 ? &g_array_index (groups, HostGroup, groups->len - 1)
                                        : NULL;

      if (last != NULL && last->host == host)
        last->last = lane;
      else
        g_array_append_val (groups, ((HostGroup) { lane, lane, host, NULL }));
    }
  return groups;
}

#define NAME_MAX_CHARS 18   /* a longer host name is ellipsized in the label column */

static const char *
group_name (const HostGroup *group)
{
  if (group->host == NULL)
    return group->login != NULL ? group->login : _("this machine");
  return pm_host_is_local (group->host) ? _("this machine") : pm_host_get_login (group->host);
}

static gboolean
group_down (const HostGroup *group)
{
  return group->host != NULL && pm_host_get_state (group->host) == PM_HOST_STATE_DOWN;
}

static PangoLayout *
name_layout (PmTimeline *self,
             const char *name)
{
  PangoLayout *layout = _pm_timeline_get_layout (self, name, TEXT_SMALL, TRUE);

  if (g_utf8_strlen (name, -1) > NAME_MAX_CHARS)
    {
      PangoRectangle em;

      pango_layout_set_text (layout, "m", -1);
      pango_layout_get_pixel_extents (layout, NULL, &em);
      pango_layout_set_text (layout, name, -1);
      pango_layout_set_width (layout, em.width * NAME_MAX_CHARS * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
    }
  return layout;
}

/**
 * _pm_timeline_hosts_width:
 *
 * Returns: the room the host names take in the label column, left of the "slot N" labels (0
 *   when the pool has no hosts); measured again only when the names change
 */
double
_pm_timeline_hosts_width (PmTimeline *self)
{
  g_autoptr(GArray) groups = host_groups (self, _pm_timeline_count_lanes (self));
  guint key = 0;
  double width = 0;

  if (groups == NULL)
    return 0;
  for (guint i = 0; i < groups->len; i++)
    key = key * 31 + g_str_hash (group_name (&g_array_index (groups, HostGroup, i)));
  if (key == self->hosts_key && self->hosts_width > 0)
    return self->hosts_width;
  for (guint i = 0; i < groups->len; i++)
    {
      int w;

      pango_layout_get_pixel_size (name_layout (self, group_name (&g_array_index (groups,
                                                                              HostGroup, i))),
                                   &w, NULL);
      width = MAX (width, w);
    }
  self->hosts_key = key;
  self->hosts_width = ceil (width) + 12;
  return self->hosts_width;
}

/* Drawn over the lanes and their bars: see the top of this file */
void
_pm_timeline_draw_hosts (PmTimeline           *self,
                         GtkSnapshot          *snapshot,
                         const PmTimelineView *view)
{
  g_autoptr(GArray) groups = host_groups (self, view->n_lanes);
  GdkRGBA rule = _pm_timeline_with_alpha (&view->fg, 0.55);
  GdkRGBA name_color = _pm_timeline_with_alpha (&view->fg, 0.9);
  GdkRGBA error_wash, error_pill, error_text;
  double top = view->lanes.origin.y, bottom = top + view->lanes.size.height;
  double right = view->lanes.origin.x + view->lanes.size.width;
  guint first, last;

  if (groups == NULL)
    return;

  _pm_timeline_get_state_color (PM_JOB_STATE_FAILED, &error_pill);
  error_wash = _pm_timeline_with_alpha (&error_pill, 0.18);
  _pm_timeline_text_on (&error_pill, &error_text);
  _pm_timeline_visible_lanes (view, &first, &last);
  if (view->origin != 0)
    right = MIN (MAX (_pm_timeline_x_of_time (view, view->now), view->lanes.origin.x), right);

  for (guint i = 0; i < groups->len; i++)
    {
      const HostGroup *group = &g_array_index (groups, HostGroup, i);
      double y0 = _pm_timeline_lane_y (view, group->first);
      double y1 = _pm_timeline_lane_y (view, group->last) + view->lane_h;
      double ty;
      PangoLayout *layout;
      int tw, th;

      if (group->last < first || group->first > last)
        continue;

      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, top, view->lanes.origin.x +
                                                             view->lanes.size.width,
                                                             bottom - top));
      if (group_down (group))
        _pm_timeline_fill_rect (snapshot, &error_wash, view->lanes.origin.x, y0,
                                view->lanes.size.width, y1 - y0);
      if (i > 0)
        _pm_timeline_fill_rect (snapshot, &rule, 0, y0 - 1, view->lanes.origin.x +
                                view->lanes.size.width, 2);
      gtk_snapshot_pop (snapshot);

      /* The name, in the label column beside the group's first lane (or the top of those in
       * view), left of its "slot N" */
      layout = name_layout (self, group_name (group));
      pango_layout_get_pixel_size (layout, &tw, &th);
      ty = CLAMP (y0 + (view->lane_h - th) / 2, top, MAX (top, MIN (y1, bottom) - th));
      if (ty + th <= bottom + 0.5)
        _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_HOST, layout, 6, ty,
                                &name_color, NULL, NULL);

      /* Down: why, at the right end of its lanes, where nothing runs any more */
      if (group_down (group))
        {
          g_autofree char *text = g_strdup_printf (_("down: %s"),
                                                   pm_host_get_reason (group->host) != NULL
                                                   ? pm_host_get_reason (group->host)
                                                   : _("no reason given"));
          graphene_rect_t box;

          double lanes_right = view->lanes.origin.x + view->lanes.size.width;
          double x;

          double room_after = lanes_right - right - 18;
          double room_before = right - view->lanes.origin.x - 18;

          layout = _pm_timeline_get_layout (self, text, TEXT_SMALL, TRUE);
          pango_layout_get_pixel_size (layout, &tw, &th);
          /* Right of now, where nothing is drawn, unless there is more room before it; cut
           * short to the room it has */
          if (tw > MAX (room_after, room_before))
            {
              pango_layout_set_width (layout, (int)MAX (MAX (room_after, room_before), 10) *
                                              PANGO_SCALE);
              pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
              pango_layout_get_pixel_size (layout, &tw, &th);
            }
          if (tw <= room_after || room_after >= room_before)
            x = right + 6;
          else
            x = MAX (right - tw - 14, view->lanes.origin.x + 2);
          graphene_rect_init (&box, x,
                              CLAMP (y0 + (view->lane_h - th - 2) / 2, top, bottom - th - 2),
                              tw + 10, th + 2);
          _pm_timeline_fill_rounded (snapshot, &error_pill, box.origin.x, box.origin.y,
                                     box.size.width, box.size.height, 4);
          _pm_timeline_draw_text (self, snapshot, view, PM_TIMELINE_TEXT_HOST, layout,
                                  box.origin.x + 5, box.origin.y + 1, &error_text, &error_pill,
                                  &box);
        }
    }
}
