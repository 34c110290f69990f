/* pm-template.h: GNU parallel-style command templates, expanded to argv (never a shell) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PM_TEMPLATE_ERROR (pm_template_error_quark ())

typedef enum
{
  PM_TEMPLATE_ERROR_EMPTY,
  PM_TEMPLATE_ERROR_INVALID,
} PmTemplateError;

/**
 * PmReplaceStrings:
 * @argument: what stands for the argument, `{}` (parallel's -I)
 * @extension: the argument without its extension, `{.}` (--extensionreplace)
 * @basename: the argument without its folder, `{/}` (--basenamereplace)
 * @dirname: the argument's folder, `{//}` (--dirnamereplace)
 * @basename_extension: both, `{/.}` (--basenameextensionreplace)
 * @seq: the sequence number, `{#}` (--seqreplace)
 * @slot: the slot, `{%}` (--slotreplace)
 * @positional: whether `{1}`, `{2.}`, `{-1}` … stand for single values (GNU parallel turns
 *   them off with -I)
 *
 * A %NULL string keeps GNU parallel's default.
 */
typedef struct
{
  const char *argument;
  const char *extension;
  const char *basename;
  const char *dirname;
  const char *basename_extension;
  const char *seq;
  const char *slot;
  gboolean    positional;
} PmReplaceStrings;

typedef struct _PmTemplate PmTemplate;

GQuark       pm_template_error_quark (void);
PmTemplate  *pm_template_new         (const char * const  *words,
                                      GError             **error);
PmTemplate  *pm_template_new_full    (const char * const      *words,
                                      const PmReplaceStrings  *strings,
                                      GError                 **error);
PmTemplate  *pm_template_ref         (PmTemplate          *self);
void         pm_template_unref       (PmTemplate          *self);
const char * const *pm_template_get_words (PmTemplate     *self);
gboolean     pm_template_has_slot    (PmTemplate          *self);
char       **pm_template_expand      (PmTemplate          *self,
                                      const char          *argument,
                                      guint                seq,
                                      guint                slot);
char       **pm_template_expand_values (PmTemplate         *self,
                                        const char * const *values,
                                        guint               width,
                                        guint               seq,
                                        guint               slot);
char       **pm_template_expand_words (PmTemplate         *self,
                                       const char * const *values,
                                       guint               width,
                                       guint               seq,
                                       guint               slot);
char        *pm_template_transform   (const char          *value,
                                      const char          *kind);
char        *pm_argv_to_command      (const char * const  *argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PmTemplate, pm_template_unref)

G_END_DECLS
