/* test-timeline-drawing.c: what the timeline writes can be read (issue 17, points 6, 7, 8)
 *
 * Every text the timeline draws is read back from its drawing code (_pm_timeline_collect_texts)
 * with where it went, its colour and what it was drawn over: texts never overlap and stay whole
 * inside the widget and inside their bar or pill, at 1× and 1.5× text scale and at 5, 40 and
 * 100 lanes; every text colour meets WCAG AA in the light and the dark style; the bars' colours
 * stand out from the lanes; the list shows each state in the timeline's colour; the key names
 * each state the bars show.
 *
 * Run under Xvfb with GSK_RENDERER=cairo GDK_BACKEND=x11.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "pm-gtk-test-util.h"
#include "pm-job-private.h"
#include "pm-pool-private.h"
#include "pm-timeline-private.h"

#define WIDTH  1000
#define HEIGHT 420

/* A finished run of 4 jobs a lane on @n_lanes lanes, with failed, killed and timed-out jobs
 * among the succeeded ones */
static PmPool *
lanes_pool (guint n_lanes)
{
  PmPool *pool = _pm_pool_new_read_only (n_lanes);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  const gint64 t0 = 1700000000000000;
  gint64 end = t0;
  guint seq = 0;

  for (guint slot = 1; slot <= n_lanes; slot++)
    {
      gint64 t = t0 + (slot % 10) * 20000;

      for (guint k = 0; k < 4; k++)
        {
          g_autofree char *name = g_strdup_printf ("compute-r_%u", seq);
          const char *argv[] = { "/bin/true", NULL };
          PmJob *job = pm_job_new (++seq, name, NULL, argv);
          gint64 duration = 400000 + (seq * 7919) % 900000;
          PmJobState state = seq % 7 == 3 ? PM_JOB_STATE_FAILED
                             : seq % 11 == 5 ? PM_JOB_STATE_KILLED
                             : seq % 13 == 6 ? PM_JOB_STATE_TIMED_OUT
                             : PM_JOB_STATE_SUCCEEDED;

          _pm_job_set_queued_time (job, t0);
          _pm_job_set_slot (job, slot);
          _pm_job_set_start_time (job, t, 0);
          _pm_job_set_end_time (job, t + duration, 0);
          _pm_job_set_runtime (job, duration);
          _pm_job_set_exit (job, state == PM_JOB_STATE_FAILED ? 1 : 0, 0);
          _pm_job_set_state (job, state);
          t += duration + 1000;
          end = MAX (end, t);
          g_ptr_array_add (jobs, job);
        }
    }
  _pm_pool_add_limit_change (pool, t0, n_lanes);
  _pm_pool_set_times (pool, t0, end);
  pm_pool_add_jobs (pool, (PmJob **)jobs->pdata, jobs->len);
  return pool;
}

static GtkWidget *
present_timeline_sized (PmPool *pool,
                        int     width,
                        int     height)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *timeline = pm_timeline_new ();

  pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), timeline);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (window_mapped, timeline, "the timeline is mapped");
  wait_frames (timeline, 3);
  return window;
}

static GtkWidget *
present_timeline (PmPool *pool)
{
  return present_timeline_sized (pool, WIDTH, HEIGHT);
}

static void
destroy (GtkWidget *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *)&window);
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  g_assert_null (window);
}

/* The text scale, as GNOME's Large Text sets it (Xft/DPI) */
static void
set_text_scale (double scale)
{
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", (int)(96 * 1024 * scale), NULL);
  settle ();
}

static void
set_dark (gboolean dark)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                    : ADW_COLOR_SCHEME_FORCE_LIGHT);
  settle ();
  /* Run again with ADW_DEBUG_HIGH_CONTRAST=1 (meson's *-high-contrast test): it must hold */
  g_assert_true (adw_style_manager_get_high_contrast (manager) ==
                 (g_getenv ("PM_TEST_HIGH_CONTRAST") != NULL));
}

static gboolean
rect_inside (const graphene_rect_t *inner,
             const graphene_rect_t *outer)
{
  return inner->origin.x >= outer->origin.x - 0.5 &&
         inner->origin.y >= outer->origin.y - 0.5 &&
         inner->origin.x + inner->size.width <= outer->origin.x + outer->size.width + 0.5 &&
         inner->origin.y + inner->size.height <= outer->origin.y + outer->size.height + 0.5;
}

static guint
count_kind (GArray             *texts,
            PmTimelineTextKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < texts->len; i++)
    n += g_array_index (texts, PmTimelineText, i).kind == kind;
  return n;
}

/* No text overlaps another, each lies whole in the picture and in its box (bar, pill, chip). */
static void
assert_texts_readable (GArray     *texts,
                       double      width,
                       double      height,
                       const char *what)
{
  const graphene_rect_t picture = GRAPHENE_RECT_INIT (0, 0, width, height);

  g_assert_cmpuint (texts->len, >, 0);
  for (guint i = 0; i < texts->len; i++)
    {
      const PmTimelineText *a = &g_array_index (texts, PmTimelineText, i);

      if (!rect_inside (&a->rect, &picture) || !rect_inside (&a->rect, &a->box))
        g_test_fail_printf ("%s: \"%s\" at %.1f,%.1f %.1f×%.1f is cut (box %.1f,%.1f %.1f×%.1f)",
                            what, a->text, a->rect.origin.x, a->rect.origin.y,
                            a->rect.size.width, a->rect.size.height, a->box.origin.x,
                            a->box.origin.y, a->box.size.width, a->box.size.height);
      for (guint j = i + 1; j < texts->len; j++)
        {
          const PmTimelineText *b = &g_array_index (texts, PmTimelineText, j);

          if (rects_overlap (&a->rect, &b->rect))
            g_test_fail_printf ("%s: \"%s\" (%.1f,%.1f %.1f×%.1f) overlaps \"%s\" (%.1f,%.1f "
                                "%.1f×%.1f)", what, a->text, a->rect.origin.x, a->rect.origin.y,
                                a->rect.size.width, a->rect.size.height, b->text,
                                b->rect.origin.x, b->rect.origin.y, b->rect.size.width,
                                b->rect.size.height);
        }
    }
}

static double
slot_label_height (GArray *texts)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

      if (t->kind == PM_TIMELINE_TEXT_LANE && g_str_has_prefix (t->text, "slot "))
        return t->rect.size.height;
    }
  g_assert_not_reached ();
}

static gboolean
has_text (GArray     *texts,
          const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_strcmp0 (g_array_index (texts, PmTimelineText, i).text, text) == 0)
      return TRUE;
  return FALSE;
}

/* Points 6 and 8: at 1× and 1.5× text, at 5, 40 and 100 lanes, in the widget and in the
 * exported picture, no two texts overlap and none is cut; bar names stay at every lane count
 * (lanes that do not fit scroll rather than shrink); the texts grow with the text scale. */
static void
test_labels_never_overlap (void)
{
  const guint lane_counts[] = { 5, 40, 100 };
  const double scales[] = { 1.0, 1.5 };
  double label_h[G_N_ELEMENTS (scales)] = { 0 };

  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    for (guint l = 0; l < G_N_ELEMENTS (lane_counts); l++)
      {
        g_autoptr(PmPool) pool = lanes_pool (lane_counts[l]);
        g_autofree char *what = g_strdup_printf ("%u lanes at %.1f×", lane_counts[l], scales[s]);
        g_autofree char *export_what = g_strconcat (what, ", exported", NULL);
        g_autofree char *last = g_strdup_printf ("slot %u", lane_counts[l]);
        g_autoptr(GArray) texts = NULL;
        g_autoptr(GArray) exported = NULL;
        GtkWidget *window;
        PmTimeline *timeline;
        int width, height;

        set_text_scale (scales[s]);
        window = present_timeline (pool);
        timeline = PM_TIMELINE (gtk_window_get_child (GTK_WINDOW (window)));
        width = gtk_widget_get_width (GTK_WIDGET (timeline));
        height = gtk_widget_get_height (GTK_WIDGET (timeline));

        texts = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);
        assert_texts_readable (texts, width, height, what);
        g_test_message ("%s: %u texts, %u lane labels, %u bar names", what, texts->len,
                        count_kind (texts, PM_TIMELINE_TEXT_LANE),
                        count_kind (texts, PM_TIMELINE_TEXT_BAR));
        g_assert_cmpuint (count_kind (texts, PM_TIMELINE_TEXT_BAR), >=, 5);
        g_assert_cmpuint (count_kind (texts, PM_TIMELINE_TEXT_LANE), >=, 5);
        g_assert_cmpuint (count_kind (texts, PM_TIMELINE_TEXT_KEY), >=, 2);
        g_assert_true (has_text (texts, "slot 1"));
        if (l == 0)
          label_h[s] = slot_label_height (texts);

        /* Scrolled to the end, the last lane shows with its label and bars */
        _pm_timeline_scroll_lanes (timeline, 1e6);
        g_clear_pointer (&texts, g_array_unref);
        texts = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);
        assert_texts_readable (texts, width, height, what);
        g_assert_true (has_text (texts, last));
        g_assert_cmpuint (count_kind (texts, PM_TIMELINE_TEXT_BAR), >=, 4);

        /* A job picked in lane 1 (from the list) scrolls its lane back into view */
        {
          PmJob *first = pm_pool_get_job_by_seq (pool, 1);
          graphene_rect_t rect;

          g_assert_cmpuint (pm_job_get_slot (first), ==, 1);
          pm_timeline_set_selected_job (timeline, first);
          g_assert_true (_pm_timeline_get_bar_rect (timeline, first, FALSE, 0, 0, &rect));
          g_assert_true (_pm_timeline_hit_test (timeline, rect.origin.x + rect.size.width / 2,
                                                rect.origin.y + rect.size.height / 2) == first);
          pm_timeline_set_selected_job (timeline, NULL);
        }

        exported = _pm_timeline_collect_texts (timeline, TRUE, 1200, 600);
        assert_texts_readable (exported, 1200, 600, export_what);
        g_assert_true (has_text (exported, last));

        destroy (window);
      }
  set_text_scale (1.0);

  g_test_message ("a lane label is %.0f px high at 1×, %.0f px at 1.5×", label_h[0], label_h[1]);
  g_assert_cmpfloat (label_h[1], >=, label_h[0] * 1.3);
}

/* Point 6: a text-scale change while the timeline shows (Large Text switched on) redraws it
 * with larger texts and still no overlap. */
static void
test_follows_a_text_scale_change (void)
{
  g_autoptr(PmPool) pool = lanes_pool (5);
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  GtkWidget *window;
  PmTimeline *timeline;

  set_text_scale (1.0);
  window = present_timeline (pool);
  timeline = PM_TIMELINE (gtk_window_get_child (GTK_WINDOW (window)));
  before = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);

  set_text_scale (1.5);
  wait_frames (GTK_WIDGET (timeline), 3);
  after = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);
  assert_texts_readable (after, gtk_widget_get_width (GTK_WIDGET (timeline)),
                         gtk_widget_get_height (GTK_WIDGET (timeline)), "after the change");
  g_test_message ("a lane label went from %.0f to %.0f px high", slot_label_height (before),
                  slot_label_height (after));
  g_assert_cmpfloat (slot_label_height (after), >=, slot_label_height (before) * 1.3);
  g_assert_cmpuint (count_kind (after, PM_TIMELINE_TEXT_BAR), >=, 5);

  destroy (window);
  set_text_scale (1.0);
}

/* Point 8: the height the timeline asks for follows the lane count, up to a limit */
static void
test_height_follows_lanes (void)
{
  const guint lane_counts[] = { 2, 8, 40, 100 };
  int natural[G_N_ELEMENTS (lane_counts)];

  for (guint i = 0; i < G_N_ELEMENTS (lane_counts); i++)
    {
      g_autoptr(PmPool) pool = lanes_pool (lane_counts[i]);
      GtkWidget *timeline = g_object_ref_sink (pm_timeline_new ());

      pm_timeline_set_pool (PM_TIMELINE (timeline), pool);
      gtk_widget_measure (timeline, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural[i], NULL, NULL);
      g_test_message ("%u lanes: natural height %d", lane_counts[i], natural[i]);
      pm_timeline_set_pool (PM_TIMELINE (timeline), NULL);
      g_assert_finalize_object (timeline);
    }
  g_assert_cmpint (natural[0], <, natural[1]);
  g_assert_cmpint (natural[1], <, natural[2]);
  g_assert_cmpint (natural[2], ==, natural[3]);
}

/* WCAG 2 contrast of two opaque colours, computed here on its own */
static double
channel_linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * channel_linear (c->red) + 0.7152 * channel_linear (c->green) +
         0.0722 * channel_linear (c->blue);
}

static double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static GdkRGBA
over (const GdkRGBA *top,
      const GdkRGBA *bottom)
{
  double a = top->alpha;

  return (GdkRGBA) { top->red * a + bottom->red * (1 - a), top->green * a + bottom->green * (1 - a),
                     top->blue * a + bottom->blue * (1 - a), 1 };
}

/* Each text reads at 4.5:1 (WCAG AA) against what it is drawn on */
static void
assert_texts_contrast (GArray   *texts,
                       gboolean  dark)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);
      GdkRGBA text = over (&t->color, &t->on);
      double ratio = contrast (&text, &t->on);

      if (ratio < 4.5)
        g_test_fail_printf ("%s style: \"%s\" reads at %.2f:1", dark ? "dark" : "light",
                            t->text, ratio);
    }
}

static gboolean
jobs_running (gpointer data)
{
  return pm_pool_get_n_running (data) == 3;
}

static gboolean
run_over (gpointer data)
{
  return pm_pool_get_state (data) == PM_POOL_STATE_FINISHED;
}

static const PmTimelineText *
find_text (GArray             *texts,
           PmTimelineTextKind  kind,
           const char         *prefix)
{
  for (guint i = 0; i < texts->len; i++)
    {
      const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

      if (t->kind == kind && g_str_has_prefix (t->text, prefix))
        return t;
    }
  return NULL;
}

/* Point 6: the chart's legend is whole, below the time axis and the key, at 1× and 1.5× text,
 * 1000 and 360 px wide; the timeline is no wider than a 360 px window. */
static void
test_legend_below_the_axis (void)
{
  const double scales[] = { 1.0, 1.5 };
  const int widths[] = { WIDTH, 360 };

  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
      {
        g_autoptr(PmPool) pool = lanes_pool (5);
        g_autoptr(GArray) texts = NULL;
        g_autofree char *what = g_strdup_printf ("%d px at %.1f×", widths[w], scales[s]);
        const PmTimelineText *over_time;
        double axis_bottom = 0;
        GtkWidget *window;
        GtkWidget *timeline;

        set_text_scale (scales[s]);
        window = present_timeline_sized (pool, widths[w], HEIGHT);
        timeline = gtk_window_get_child (GTK_WINDOW (window));
        g_assert_cmpint (gtk_widget_get_width (timeline), <=, widths[w]);

        texts = _pm_timeline_collect_texts (PM_TIMELINE (timeline), FALSE, 0, 0);
        assert_texts_readable (texts, gtk_widget_get_width (timeline),
                               gtk_widget_get_height (timeline), what);
        over_time = find_text (texts, PM_TIMELINE_TEXT_LEGEND, "Over time");
        g_assert_nonnull (over_time);
        if (w == 0)
          {
            g_assert_nonnull (find_text (texts, PM_TIMELINE_TEXT_LEGEND, "running"));
            g_assert_nonnull (find_text (texts, PM_TIMELINE_TEXT_LEGEND, "queued"));
            g_assert_nonnull (find_text (texts, PM_TIMELINE_TEXT_LEGEND, "limit"));
          }
        for (guint i = 0; i < texts->len; i++)
          {
            const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

            if (t->kind == PM_TIMELINE_TEXT_AXIS || t->kind == PM_TIMELINE_TEXT_KEY)
              axis_bottom = MAX (axis_bottom, t->rect.origin.y + t->rect.size.height);
          }
        g_test_message ("%s: legend at y %.1f, axis and key end at %.1f", what,
                        over_time->rect.origin.y, axis_bottom);
        g_assert_cmpfloat (over_time->rect.origin.y, >=, axis_bottom);

        destroy (window);
      }
  set_text_scale (1.0);
}

/* Point 6: a live run, at 1× and 1.5×: "now", "Waiting: N" and its chips, the running bars
 * and the legend's live figures do not overlap nor get cut. */
static void
test_live_run_labels (void)
{
  const double scales[] = { 1.0, 1.5 };

  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      g_autoptr(PmPool) pool = pm_pool_new (3);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) texts = NULL;
      g_autofree char *what = g_strdup_printf ("a live run at %.1f×", scales[s]);
      GtkWidget *window;
      GtkWidget *timeline;

      for (guint i = 0; i < 5; i++)
        {
          g_autofree char *name = g_strdup_printf ("sleeper_%u", i + 1);
          const char *argv[] = { "/bin/sleep", "30", NULL };
          g_autoptr(PmJob) job = pm_job_new (i + 1, name, NULL, argv);

          pm_pool_add_job (pool, job);
        }
      set_text_scale (scales[s]);
      set_dark (s == 1);
      window = present_timeline (pool);
      timeline = gtk_window_get_child (GTK_WINDOW (window));
      g_assert_true (pm_pool_start (pool, &error));
      g_assert_no_error (error);
      wait_until (jobs_running, pool, "three jobs run");
      wait_frames (timeline, 3);

      texts = _pm_timeline_collect_texts (PM_TIMELINE (timeline), FALSE, 0, 0);
      assert_texts_readable (texts, gtk_widget_get_width (timeline),
                             gtk_widget_get_height (timeline), what);
      g_assert_cmpuint (count_kind (texts, PM_TIMELINE_TEXT_NOW), ==, 1);
      g_assert_true (has_text (texts, "Waiting: 2"));
      g_assert_true (has_text (texts, "limit 3"));
      assert_texts_contrast (texts, s == 1);

      pm_pool_stop (pool);
      wait_until (run_over, pool, "the run is stopped");
      destroy (window);
    }
  set_text_scale (1.0);
  set_dark (FALSE);
}

static GdkRGBA
named_color (GtkWidget  *widget,
             const char *name)
{
  GdkRGBA color;

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name,
                                                 &color));
  return color;
}

/* Point 7: every text the timeline draws, in the light and the dark style (and the exported
 * picture, light in both), reads at 4.5:1 against what it is drawn on. */
static void
test_every_text_meets_wcag_aa (void)
{
  for (guint dark = 0; dark <= 1; dark++)
    {
      g_autoptr(PmPool) pool = lanes_pool (5);
      g_autoptr(GArray) texts = NULL;
      g_autoptr(GArray) exported = NULL;
      GtkWidget *window;
      PmTimeline *timeline;

      set_dark (dark);
      window = present_timeline (pool);
      timeline = PM_TIMELINE (gtk_window_get_child (GTK_WINDOW (window)));
      texts = _pm_timeline_collect_texts (timeline, FALSE, 0, 0);
      exported = _pm_timeline_collect_texts (timeline, TRUE, 1200, 600);
      g_array_append_vals (texts, exported->data, exported->len);
      assert_texts_contrast (texts, dark);
      destroy (window);
    }
  set_dark (FALSE);
}

/* Point 7: each state's colour stands out at 3:1 (WCAG's measure for shapes) from the lanes
 * it is drawn on, in the light and the dark style; black or white text on it reads at 4.5:1. */
static void
test_state_colours_stand_out (void)
{
  for (guint dark = 0; dark <= 1; dark++)
    {
      GtkWidget *window = gtk_window_new ();
      GdkRGBA bg, fg, stripes[3];
      double alpha;

      set_dark (dark);
      gtk_window_present (GTK_WINDOW (window));
      wait_until (window_mapped, window, "the window is mapped");
      bg = named_color (window, "window_bg_color");
      bg.alpha = 1;
      fg = named_color (window, "window_fg_color");
      stripes[0] = bg;
      /* the lanes' stripes, as pm-timeline-draw.c draws them */
      alpha = fg.alpha;
      fg.alpha = alpha * 0.035;
      stripes[1] = over (&fg, &bg);
      fg.alpha = alpha * 0.065;
      stripes[2] = over (&fg, &bg);

      for (PmJobState state = PM_JOB_STATE_QUEUED; state <= PM_JOB_STATE_CANCELLED; state++)
        {
          GdkRGBA bar, text;

          _pm_timeline_get_state_color (state, &bar);
          _pm_timeline_text_on (&bar, &text);
          g_test_message ("%s style, %s: %.2f:1 on the lanes, text %.2f:1", dark ? "dark" : "light",
                          pm_job_state_to_string (state), contrast (&bar, &stripes[2]),
                          contrast (&bar, &text));
          for (guint i = 0; i < G_N_ELEMENTS (stripes); i++)
            g_assert_cmpfloat (contrast (&bar, &stripes[i]), >=, 3.0);
          g_assert_cmpfloat (contrast (&bar, &text), >=, 4.5);
        }
      destroy (window);
    }
  set_dark (FALSE);
}

static double
hue (const GdkRGBA *c)
{
  double max = MAX (c->red, MAX (c->green, c->blue));
  double min = MIN (c->red, MIN (c->green, c->blue));
  double d = max - min, h;

  if (d < 1e-6)
    return 0;
  if (max == c->red)
    h = fmod ((c->green - c->blue) / d, 6);
  else if (max == c->green)
    h = (c->blue - c->red) / d + 2;
  else
    h = (c->red - c->green) / d + 4;
  return fmod (h * 60 + 360, 360);
}

/* Point 7: one colour per state. The job list's State column shows each state in the hue of
 * the timeline's bars (a killed job was orange in the timeline, red in the list), from the
 * same named colours, and as text reads at 4.5:1 on the list in the light and the dark style. */
static void
test_list_shares_the_state_colours (void)
{
  for (guint dark = 0; dark <= 1; dark++)
    {
      GtkWidget *window = gtk_window_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *labels[PM_JOB_STATE_CANCELLED + 1];
      GdkRGBA view_bg;

      set_dark (dark);
      gtk_widget_add_css_class (box, "view");
      for (PmJobState state = PM_JOB_STATE_QUEUED; state <= PM_JOB_STATE_CANCELLED; state++)
        {
          g_autofree char *css = g_strconcat ("state-", pm_job_state_to_string (state), NULL);
          const char *classes[] = { "job-state", css, NULL };

          labels[state] = gtk_label_new (pm_job_state_to_label (state));
          gtk_widget_set_css_classes (labels[state], classes);
          gtk_box_append (GTK_BOX (box), labels[state]);
        }
      gtk_window_set_child (GTK_WINDOW (window), box);
      gtk_window_present (GTK_WINDOW (window));
      wait_until (window_mapped, window, "the window is mapped");
      view_bg = named_color (window, "view_bg_color");
      view_bg.alpha = 1;

      for (PmJobState state = PM_JOB_STATE_QUEUED; state <= PM_JOB_STATE_CANCELLED; state++)
        {
          g_autofree char *name = g_strdelimit (g_strconcat ("pm_state_",
                                                             pm_job_state_to_string (state),
                                                             NULL), "-", '_');
          GdkRGBA bar, named, shown, text;
          double dh;

          _pm_timeline_get_state_color (state, &bar);
          named = named_color (window, name);
          g_assert_true (gdk_rgba_equal (&named, &bar));

          gtk_style_context_get_color (gtk_widget_get_style_context (labels[state]), &shown);
          text = over (&shown, &view_bg);
          dh = fabs (hue (&text) - hue (&bar));
          dh = MIN (dh, 360 - dh);
          g_test_message ("%s style, %s: list text %.2f:1, hue %.0f° against the bar's %.0f°",
                          dark ? "dark" : "light", pm_job_state_to_string (state),
                          contrast (&text, &view_bg), hue (&text), hue (&bar));
          g_assert_cmpfloat (contrast (&text, &view_bg), >=, 4.5);
          g_assert_cmpfloat (dh, <=, 8);
        }
      destroy (window);
    }
  set_dark (FALSE);
}

/* Point 7: the key names each state the bars show, in their colours, in the widget and in the
 * exported picture; a state no bar has is left out. */
static void
test_key_names_the_states_drawn (void)
{
  g_autoptr(PmPool) pool = lanes_pool (5);
  const PmJobState expected[] = { PM_JOB_STATE_SUCCEEDED, PM_JOB_STATE_FAILED,
                                  PM_JOB_STATE_KILLED, PM_JOB_STATE_TIMED_OUT };
  PmJobState states[16];
  GtkWidget *window = present_timeline (pool);
  PmTimeline *timeline = PM_TIMELINE (gtk_window_get_child (GTK_WINDOW (window)));

  g_assert_cmpuint (_pm_timeline_key_states (timeline, FALSE, states), ==, G_N_ELEMENTS (expected));
  for (guint export = 0; export <= 1; export++)
    {
      g_autoptr(GArray) texts = _pm_timeline_collect_texts (timeline, export, 1200, 600);
      guint k = 0;

      for (guint i = 0; i < texts->len; i++)
        {
          const PmTimelineText *t = &g_array_index (texts, PmTimelineText, i);

          if (t->kind != PM_TIMELINE_TEXT_KEY)
            continue;
          g_assert_cmpuint (k, <, G_N_ELEMENTS (expected));
          g_assert_cmpint (states[k], ==, expected[k]);
          g_assert_cmpstr (t->text, ==, pm_job_state_to_label (expected[k]));
          k++;
        }
      g_assert_cmpuint (k, ==, G_N_ELEMENTS (expected));
      g_assert_false (has_text (texts, pm_job_state_to_label (PM_JOB_STATE_PAUSED)));
    }
  destroy (window);
}

/* Point 10: an exported picture has a title and the key, and no empty band: whatever the
 * lane count, its drawing reaches down to near its bottom edge. */
static void
test_picture_has_no_empty_band (void)
{
  const guint lane_counts[] = { 2, 5, 40 };
  const int width = 1200, height = 480;   /* the least size the window saves */

  for (guint l = 0; l < G_N_ELEMENTS (lane_counts); l++)
    {
      g_autoptr(PmPool) pool = lanes_pool (lane_counts[l]);
      GtkWidget *window = present_timeline (pool);
      PmTimeline *timeline = PM_TIMELINE (gtk_window_get_child (GTK_WINDOW (window)));
      g_autoptr(GArray) texts = _pm_timeline_collect_texts (timeline, TRUE, width, height);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
      cairo_t *cr = cairo_create (surface);
      const char *keep = g_getenv ("PM_TEST_PICTURE_DIR");
      guint32 *data, background;
      int stride, last_row = -1;

      g_assert_cmpuint (count_kind (texts, PM_TIMELINE_TEXT_TITLE), ==, 1);
      g_assert_cmpuint (count_kind (texts, PM_TIMELINE_TEXT_KEY), >=, 2);
      pm_timeline_render_to_cairo (timeline, cr, width, height);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      if (keep != NULL)
        {
          g_autofree char *name = g_strdup_printf ("timeline-%u-lanes.png", lane_counts[l]);
          g_autofree char *path = g_build_filename (keep, name, NULL);

          cairo_surface_write_to_png (surface, path);
        }

      data = (guint32 *)(gpointer)cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface) / 4;
      background = data[(height - 1) * stride + width - 1] & 0xffffff;
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          if ((data[y * stride + x] & 0xffffff) != background)
            {
              last_row = y;
              break;
            }
      g_test_message ("%u lanes: the drawing ends %d px above the bottom", lane_counts[l],
                      height - 1 - last_row);
      g_assert_cmpint (height - 1 - last_row, <=, 24);
      cairo_surface_destroy (surface);

      /* At the height the window saves it with, every lane has its label */
      {
        int tall = MAX (pm_timeline_get_picture_height (timeline), height);
        g_autoptr(GArray) all = _pm_timeline_collect_texts (timeline, TRUE, width, tall);

        g_test_message ("%u lanes: a picture %d px high", lane_counts[l], tall);
        assert_texts_readable (all, width, tall, "the saved picture");
        g_assert_cmpuint (count_kind (all, PM_TIMELINE_TEXT_LANE), ==, lane_counts[l]);
      }
      destroy (window);
    }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/timeline-drawing/labels/never-overlap-at-5-40-100-lanes-1x-and-1.5x",
                   test_labels_never_overlap);
  g_test_add_func ("/timeline-drawing/labels/follow-a-text-scale-change-while-shown",
                   test_follows_a_text_scale_change);
  g_test_add_func ("/timeline-drawing/lanes/height-follows-the-lane-count-up-to-a-limit",
                   test_height_follows_lanes);
  g_test_add_func ("/timeline-drawing/labels/the-legend-is-whole-below-the-axis-at-1.5x-and-360-px",
                   test_legend_below_the_axis);
  g_test_add_func ("/timeline-drawing/labels/a-live-run-keeps-now-and-waiting-whole",
                   test_live_run_labels);
  g_test_add_func ("/timeline-drawing/colours/every-text-meets-wcag-aa-light-and-dark",
                   test_every_text_meets_wcag_aa);
  g_test_add_func ("/timeline-drawing/colours/each-state-stands-out-from-the-lanes",
                   test_state_colours_stand_out);
  g_test_add_func ("/timeline-drawing/colours/the-list-shows-the-timelines-state-colours",
                   test_list_shares_the_state_colours);
  g_test_add_func ("/timeline-drawing/key/names-each-state-the-bars-show",
                   test_key_names_the_states_drawn);
  g_test_add_func ("/timeline-drawing/picture/has-a-title-the-key-and-no-empty-band",
                   test_picture_has_no_empty_band);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
