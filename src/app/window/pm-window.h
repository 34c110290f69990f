/* pm-window.h: the main window: run settings, live header, slot lanes, job list, details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pm-application.h"
#include "pm-pool.h"

G_BEGIN_DECLS

#define PM_TYPE_WINDOW (pm_window_get_type ())

G_DECLARE_FINAL_TYPE (PmWindow, pm_window, PM, WINDOW, AdwApplicationWindow)

PmWindow *pm_window_new      (PmApplication *application);
PmPool   *pm_window_get_pool (PmWindow      *self);

G_END_DECLS
