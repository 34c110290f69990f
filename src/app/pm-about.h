/* pm-about.h: the About window, from the application's metainfo */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *pm_about_window_new (GtkWindow  *parent,
                                GError    **error);

G_END_DECLS
