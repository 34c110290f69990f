/* pm-wheel-steps.h: mouse-wheel steps applied once a frame, to an adjustment counted in rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkEventController *pm_wheel_steps_new            (GtkAdjustment      *rows);
void                pm_wheel_steps_set_row_height (GtkEventController *self,
                                                   double              row_height);

G_END_DECLS
