/* pm-lesson-bar.c: the run's summary ("35.0 s of work in 9.0 s: 3.9× with 5 at a time") and a
 * button to the what-if curve; hidden while there is nothing to tell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-lesson-bar.h"

struct _PmLessonBar
{
  GtkWidget  parent_instance;

  GtkLabel  *summary_label;
  GtkWidget *what_if_button;
};

G_DEFINE_FINAL_TYPE (PmLessonBar, pm_lesson_bar, GTK_TYPE_WIDGET)

static void
pm_lesson_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PM_TYPE_LESSON_BAR);

  G_OBJECT_CLASS (pm_lesson_bar_parent_class)->dispose (object);
}

static void
pm_lesson_bar_class_init (PmLessonBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pm_lesson_bar_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/poolmonitor/PoolMonitor/ui/"
                                               "pm-lesson-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, PmLessonBar, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PmLessonBar, what_if_button);
  gtk_widget_class_set_css_name (widget_class, "lesson-bar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pm_lesson_bar_init (PmLessonBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* @text: (nullable): the summary, or %NULL to hide the bar */
void
pm_lesson_bar_set_text (PmLessonBar *self,
                        const char  *text)
{
  g_return_if_fail (PM_IS_LESSON_BAR (self));

  gtk_label_set_text (self->summary_label, text ? text : "");
  /* On a narrow window the summary takes two lines at most: the rest is in its tooltip */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), text);
  gtk_widget_set_visible (GTK_WIDGET (self), text != NULL);
}

const char *
pm_lesson_bar_get_text (PmLessonBar *self)
{
  g_return_val_if_fail (PM_IS_LESSON_BAR (self), NULL);
  return gtk_label_get_text (self->summary_label);
}
