/* pm-template.h: GNU parallel-style command templates, expanded to argv (never a shell) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PM_TEMPLATE_ERROR (pm_template_error_quark ())

typedef enum
{
  PM_TEMPLATE_ERROR_EMPTY,
} PmTemplateError;

typedef struct _PmTemplate PmTemplate;

GQuark       pm_template_error_quark (void);
PmTemplate  *pm_template_new         (const char * const  *words,
                                      GError             **error);
PmTemplate  *pm_template_ref         (PmTemplate          *self);
void         pm_template_unref       (PmTemplate          *self);
const char * const *pm_template_get_words (PmTemplate     *self);
gboolean     pm_template_has_slot    (PmTemplate          *self);
char       **pm_template_expand      (PmTemplate          *self,
                                      const char          *argument,
                                      guint                seq,
                                      guint                slot);
char        *pm_argv_to_command      (const char * const  *argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PmTemplate, pm_template_unref)

G_END_DECLS
