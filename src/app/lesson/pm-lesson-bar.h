/* pm-lesson-bar.h: the line under the header that says what a run bought
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PM_TYPE_LESSON_BAR (pm_lesson_bar_get_type ())

G_DECLARE_FINAL_TYPE (PmLessonBar, pm_lesson_bar, PM, LESSON_BAR, GtkWidget)

void        pm_lesson_bar_set_text (PmLessonBar *self,
                                    const char  *text);
const char *pm_lesson_bar_get_text (PmLessonBar *self);

G_END_DECLS
