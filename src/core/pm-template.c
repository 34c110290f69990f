/* pm-template.c
 *
 * A command template is a list of words, each of which may hold the replacement strings
 * {} (the argument), {#} (the sequence number) and {%} (the slot), as in GNU parallel.
 * Expansion gives an argv that is executed directly, never through a shell, so whatever an
 * argument holds (spaces, quotes, ';', '|', '$(...)') arrives in the job literally.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pm-template.h"

struct _PmTemplate
{
  gatomicrefcount   ref_count;
  char            **words;
  guint             has_argument : 1;
  guint             has_slot : 1;
};

G_DEFINE_QUARK (pm-template-error-quark, pm_template_error)

/**
 * pm_template_new:
 * @words: (array zero-terminated=1): the command and its arguments
 * @error: return location for a #GError
 *
 * Creates a template. A template without `{}` in any word gets the argument appended as a
 * last word when expanded.
 *
 * Returns: (transfer full): a new template, or %NULL if @words is empty
 */
PmTemplate *
pm_template_new (const char * const  *words,
                 GError             **error)
{
  PmTemplate *self;

  if (words == NULL || words[0] == NULL || words[0][0] == '\0')
    {
      g_set_error_literal (error, PM_TEMPLATE_ERROR, PM_TEMPLATE_ERROR_EMPTY,
                           _("The command is empty"));
      return NULL;
    }

  self = g_new0 (PmTemplate, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->words = g_strdupv ((char **)words);

  for (guint i = 0; self->words[i] != NULL; i++)
    {
      if (strstr (self->words[i], "{}") != NULL)
        self->has_argument = TRUE;
      if (strstr (self->words[i], "{%}") != NULL)
        self->has_slot = TRUE;
    }

  return self;
}

PmTemplate *
pm_template_ref (PmTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
pm_template_unref (PmTemplate *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_strfreev (self->words);
      g_free (self);
    }
}

const char * const *
pm_template_get_words (PmTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *)self->words;
}

/**
 * pm_template_has_slot:
 * @self: a #PmTemplate
 *
 * Returns: %TRUE if the expansion depends on the slot, so is only known at start
 */
gboolean
pm_template_has_slot (PmTemplate *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_slot;
}

static char *
expand_word (const char *word,
             const char *argument,
             const char *seq,
             const char *slot)
{
  GString *out = NULL;
  const char *p = word;

  while (*p != '\0')
    {
      const char *replacement = NULL;
      gsize len = 0;

      if (p[0] == '{')
        {
          if (p[1] == '}')
            replacement = argument, len = 2;
          else if (p[1] == '#' && p[2] == '}')
            replacement = seq, len = 3;
          else if (p[1] == '%' && p[2] == '}')
            replacement = slot, len = 3;
        }

      if (replacement != NULL)
        {
          if (out == NULL)
            out = g_string_new_len (word, p - word);
          g_string_append (out, replacement);
          p += len;
        }
      else
        {
          if (out != NULL)
            g_string_append_c (out, *p);
          p++;
        }
    }

  return out != NULL ? g_string_free (out, FALSE) : g_strdup (word);
}

/**
 * pm_template_expand:
 * @self: a #PmTemplate
 * @argument: (nullable): the job's argument
 * @seq: the job's sequence number, from 1
 * @slot: the job's slot, from 1, or 0 when not known yet
 *
 * Returns: (transfer full): the argv to execute
 */
char **
pm_template_expand (PmTemplate *self,
                    const char *argument,
                    guint       seq,
                    guint       slot)
{
  GPtrArray *argv;
  char seq_str[16];
  char slot_str[16];

  g_return_val_if_fail (self != NULL, NULL);

  if (argument == NULL)
    argument = "";

  g_snprintf (seq_str, sizeof seq_str, "%u", seq);
  if (slot > 0)
    g_snprintf (slot_str, sizeof slot_str, "%u", slot);
  else
    g_strlcpy (slot_str, "{%}", sizeof slot_str);

  argv = g_ptr_array_new ();
  for (guint i = 0; self->words[i] != NULL; i++)
    g_ptr_array_add (argv, expand_word (self->words[i], argument, seq_str, slot_str));
  if (!self->has_argument)
    g_ptr_array_add (argv, g_strdup (argument));
  g_ptr_array_add (argv, NULL);

  return (char **)g_ptr_array_free (argv, FALSE);
}

/**
 * pm_argv_to_command:
 * @argv: (array zero-terminated=1): an argument vector
 *
 * Joins @argv into one line that a POSIX shell would split back into the same words, as GNU
 * parallel writes the Command column of its joblog.
 *
 * Returns: (transfer full): the command line
 */
char *
pm_argv_to_command (const char * const *argv)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    {
      const char *word = argv[i];
      gboolean plain = word[0] != '\0';

      for (const char *p = word; *p != '\0' && plain; p++)
        plain = g_ascii_isalnum (*p) || strchr ("_-+=./,:@%^", *p) != NULL;

      if (i > 0)
        g_string_append_c (out, ' ');
      if (plain)
        {
          g_string_append (out, word);
        }
      else
        {
          g_autofree char *quoted = g_shell_quote (word);
          g_string_append (out, quoted);
        }
    }

  return g_string_free (out, FALSE);
}
