/* pm-wheel-steps.h: mouse-wheel steps applied once a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkEventController *pm_wheel_steps_new (void);

G_END_DECLS
