/* pm-timeline-private.h: internals of PmTimeline for its tests */
#pragma once

#include "pm-timeline.h"

G_BEGIN_DECLS

typedef enum
{
  PM_TIMELINE_TEXT_LANE,
  PM_TIMELINE_TEXT_BAR,
  PM_TIMELINE_TEXT_LIMIT,
  PM_TIMELINE_TEXT_AXIS,
  PM_TIMELINE_TEXT_NOW,
  PM_TIMELINE_TEXT_KEY,
  PM_TIMELINE_TEXT_LEGEND,
  PM_TIMELINE_TEXT_QUEUE,
  PM_TIMELINE_TEXT_TITLE,
  PM_TIMELINE_TEXT_HOST,
} PmTimelineTextKind;

/* A text as drawn, for the tests: where, in what colour, over what (opaque) colour; box is the
 * shape it belongs in (a bar, a pill), or the whole picture. */
typedef struct
{
  graphene_rect_t    rect;
  graphene_rect_t    box;
  GdkRGBA            color;
  GdkRGBA            on;
  PmTimelineTextKind kind;
  gboolean           ellipsized;
  char               text[64]; /* its first characters */
} PmTimelineText;

/* Every text the timeline draws, as drawn in the widget (export FALSE) or in a picture of
 * width × height: a GArray of PmTimelineText. */
GArray  *_pm_timeline_collect_texts       (PmTimeline  *self,
                                           gboolean     export,
                                           int          width,
                                           int          height);
/* Scrolls the lanes by @pixels (down if positive), when they overflow */
void     _pm_timeline_scroll_lanes        (PmTimeline  *self,
                                           double       pixels);
/* The states the colour key shows, in order; returns how many */
guint    _pm_timeline_key_states          (PmTimeline  *self,
                                           gboolean     live,
                                           PmJobState  *states);

/* The job whose bar (or queue chip) is at (x, y) in widget coordinates, or NULL. */
PmJob   *_pm_timeline_hit_test            (PmTimeline  *self,
                                           double       x,
                                           double       y);
/* The job's bar: in widget coordinates, or (export) in a picture of width × height made
 * by pm_timeline_render_to_cairo(). FALSE if the job has no bar or, in the widget, its bar
 * is out of view. */
gboolean _pm_timeline_get_bar_rect        (PmTimeline      *self,
                                           PmJob           *job,
                                           gboolean         export,
                                           int              width,
                                           int              height,
                                           graphene_rect_t *rect);
char    *_pm_timeline_dup_tooltip         (PmTimeline  *self,
                                           double       x,
                                           double       y);
guint    _pm_timeline_get_n_lanes         (PmTimeline  *self);
/* Slot @slot's lane in widget coordinates, as the lanes are scrolled now; TRUE if it lies
 * wholly inside the part of the lanes on screen. */
gboolean _pm_timeline_get_lane_rect       (PmTimeline      *self,
                                           guint            slot,
                                           graphene_rect_t *rect);
/* How many job bars the last snapshot drew (cached finished bars count when the cache was
 * built, plus running bars). */
guint    _pm_timeline_get_n_bars_drawn    (PmTimeline  *self);
/* Whether the last snapshot drew the finished bars from one image (pm-timeline-bars.c) */
gboolean _pm_timeline_bars_are_an_image   (PmTimeline  *self);
void     _pm_timeline_get_state_color     (PmJobState   state,
                                           GdkRGBA     *color);
/* The colour of text drawn on @background (a bar, the limit's pill) */
void     _pm_timeline_text_on             (const GdkRGBA *background,
                                           GdkRGBA       *text);
/* Where the "limit N" labels go along the top (see pm-timeline-layout.c). */
void     _pm_timeline_place_labels        (double       *x,
                                           const double *width,
                                           guint         n,
                                           double        left,
                                           double        right,
                                           double        gap);
/* The chart's y-axis ticks for a scale from 0 to @top jobs: whole jobs only, rising, at most
 * three (0, a middle one where a whole number fits, @top). Returns how many. */
guint    _pm_timeline_chart_ticks         (double       top,
                                           double      *ticks);
void     _pm_timeline_scroll_to           (PmTimeline  *self,
                                           double       seconds);

G_END_DECLS
