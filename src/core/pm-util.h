/* pm-util.h: process set-up and helper programs */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void   pm_process_init        (void);
void   pm_i18n_init           (void);
char  *pm_build_dir           (void);

char  *pm_find_helper         (const char  *name);
char  *pm_find_helper_full    (const char  *name,
                               GError     **error);
char  *pm_find_program        (const char  *program,
                               GError     **error);
guint  pm_parse_limit         (const char  *text,
                               GError     **error);
guint  pm_cpu_count           (void);
int    pm_signal_from_name    (const char  *name);
char  *pm_dup_text            (const char  *data,
                               gsize        len);


G_END_DECLS
