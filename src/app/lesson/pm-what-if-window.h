/* pm-what-if-window.h: the what-if curve of a run in a window of its own, with its export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "pm-pool.h"
#include "pm-what-if-view.h"

G_BEGIN_DECLS

#define PM_TYPE_WHAT_IF_WINDOW (pm_what_if_window_get_type ())

G_DECLARE_FINAL_TYPE (PmWhatIfWindow, pm_what_if_window, PM, WHAT_IF_WINDOW, AdwWindow)

PmWhatIfWindow *pm_what_if_window_new      (GtkWindow      *parent,
                                            PmPool         *pool,
                                            const char     *subtitle,
                                            GSettings      *settings);
PmWhatIfView   *pm_what_if_window_get_view (PmWhatIfWindow *self);
gboolean        pm_what_if_window_save     (PmWhatIfWindow *self,
                                            GFile          *file,
                                            GError        **error);

G_END_DECLS
