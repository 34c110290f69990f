/* pm-cli-input.c
 *
 * pool-run's input, as GNU parallel takes it: -a FILE (repeatable, "-" for standard input),
 * ::: values, :::: files, :::+ and ::::+ (linked to the source before), --link, -0, -d DELIM,
 * --colsep, -n/-N (records in a job), and the replacement strings -I, --extensionreplace … The
 * sources go, in that order (-a files first, as parallel), into a PmJobSource.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "pm-cli-input.h"

#define MAX_ARGS 100000

typedef enum
{
  SOURCE_VALUES,   /* ::: */
  SOURCE_FILES,    /* :::: */
} SourceKind;

typedef struct
{
  SourceKind  kind;
  gboolean    linked;
  GPtrArray  *words;
} Source;

static void
source_free (Source *source)
{
  g_ptr_array_unref (source->words);
  g_free (source);
}

void
pm_cli_input_init (PmCliInput *self)
{
  memset (self, 0, sizeof *self);
  self->max_args = -1;
  self->count = -1;
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify)source_free);
}

void
pm_cli_input_add_entries (PmCliInput     *self,
                          GOptionContext *context)
{
  GOptionEntry entries[] = {
    { "arg-file", 'a', 0, G_OPTION_ARG_FILENAME_ARRAY, &self->arg_files,
      N_("Arguments from FILE, one a line (- for stdin)"), N_("FILE") },
    { "null", '0', 0, G_OPTION_ARG_NONE, &self->null,
      N_("Arguments end with a NUL byte, not a newline"), NULL },
    { "delimiter", 'd', 0, G_OPTION_ARG_STRING, &self->delimiter,
      N_("Arguments end with SEP (\\n, \\t, \\0, \\NNN)"), N_("SEP") },
    { "link", 0, 0, G_OPTION_ARG_NONE, &self->link,
      N_("Input sources side by side, not combined"), NULL },
    { "colsep", 'C', 0, G_OPTION_ARG_STRING, &self->colsep,
      N_("Cut arguments into columns {1} {2} …"), N_("REGEX") },
    { "trim", 0, 0, G_OPTION_ARG_STRING, &self->trim,
      N_("Trim white space from arguments: l, r, lr or n"), N_("ENDS") },
    { "max-args", 'n', 0, G_OPTION_ARG_INT, &self->max_args,
      N_("At most N arguments a job (or -N N)"), "N" },
    /* Hidden only to keep --help's option column narrow; -n tells of it */
    { "max-replace-args", 'N', G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &self->max_args,
      NULL, NULL },
    { "count", 0, 0, G_OPTION_ARG_INT, &self->count,
      N_("Run N jobs, arguments 1 … N (demo: 15)"), "N" },
    { "replace", 'I', 0, G_OPTION_ARG_STRING, &self->replace,
      N_("Use STR for the argument instead of {}"), N_("STR") },
    { "extensionreplace", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &self->extension_replace, NULL, NULL },
    { "er", 0, 0, G_OPTION_ARG_STRING, &self->extension_replace,
      N_("Use STR instead of {.}"), N_("STR") },
    { "basenamereplace", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &self->basename_replace, NULL, NULL },
    { "bnr", 0, 0, G_OPTION_ARG_STRING, &self->basename_replace,
      N_("Use STR instead of {/}"), N_("STR") },
    { "dirnamereplace", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &self->dirname_replace, NULL, NULL },
    { "dnr", 0, 0, G_OPTION_ARG_STRING, &self->dirname_replace,
      N_("Use STR instead of {//}"), N_("STR") },
    { "basenameextensionreplace", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING,
      &self->basename_extension_replace, NULL, NULL },
    { "bner", 0, 0, G_OPTION_ARG_STRING, &self->basename_extension_replace,
      N_("Use STR instead of {/.}"), N_("STR") },
    { "seqreplace", 0, 0, G_OPTION_ARG_STRING, &self->seq_replace,
      N_("Use STR instead of {#}"), N_("STR") },
    { "slotreplace", 0, 0, G_OPTION_ARG_STRING, &self->slot_replace,
      N_("Use STR instead of {%}"), N_("STR") },
    { NULL }
  };
  GOptionEntry *copy = g_memdup2 (entries, sizeof entries);

  /* GOption keeps a copy of the entries; ours lives as long as the program. */
  g_option_context_add_main_entries (context, copy, GETTEXT_PACKAGE);
  g_free (copy);
}

static gboolean
is_marker (const char *word,
           SourceKind *kind,
           gboolean   *linked)
{
  if (g_str_equal (word, ":::") || g_str_equal (word, ":::+"))
    *kind = SOURCE_VALUES;
  else if (g_str_equal (word, "::::") || g_str_equal (word, "::::+"))
    *kind = SOURCE_FILES;
  else
    return FALSE;
  *linked = word[strlen (word) - 1] == '+';
  return TRUE;
}

/**
 * pm_cli_input_take_sources:
 * @command: the command's words and what follows them; cut at the first ::: or ::::
 *
 * Returns: %FALSE for a :::: without a file or a ::: with nothing after it
 */
gboolean
pm_cli_input_take_sources (PmCliInput  *self,
                           GPtrArray   *command,
                           GError     **error)
{
  Source *source = NULL;
  guint cut = command->len;

  for (guint i = 0; i < command->len; i++)
    {
      const char *word = command->pdata[i];
      SourceKind kind;
      gboolean linked;

      if (is_marker (word, &kind, &linked))
        {
          if (source == NULL)
            cut = i;
          source = g_new0 (Source, 1);
          source->kind = kind;
          source->linked = linked;
          source->words = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (self->sources, source);
        }
      else if (source != NULL)
        {
          g_ptr_array_add (source->words, g_strdup (word));
        }
    }
  g_ptr_array_set_size (command, cut);

  for (guint i = 0; i < self->sources->len; i++)
    {
      source = self->sources->pdata[i];
      if (source->kind == SOURCE_FILES && source->words->len == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _(":::: needs at least one file"));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
pm_cli_input_has_sources (PmCliInput *self)
{
  return self->sources->len > 0 || (self->arg_files != NULL && self->arg_files[0] != NULL);
}

PmTemplate *
pm_cli_input_make_template (PmCliInput          *self,
                            const char * const  *command,
                            GError             **error)
{
  PmReplaceStrings strings = {
    self->replace, self->extension_replace, self->basename_replace, self->dirname_replace,
    self->basename_extension_replace, self->seq_replace, self->slot_replace,
    self->replace == NULL,   /* as parallel: -I turns {1} {2} … off */
  };

  return pm_template_new_full (command, &strings, error);
}

/* -d as parallel reads it: C escapes (\n \t \0 \\, octal \NNN; parallel 20221122 does not
 * read \xHH); more than one byte may end an argument. */
static GByteArray *
parse_delimiter (const char  *text,
                 GError     **error)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; *p != '\0'; p++)
    {
      guint8 c = (guint8)*p;

      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          switch (*p)
            {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'a': c = '\a'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'v': c = '\v'; break;
            case '\\': c = '\\'; break;
            default:
              if (*p >= '0' && *p <= '7')
                {
                  guint v = *p - '0';

                  for (int k = 0; k < 2 && p[1] >= '0' && p[1] <= '7'; k++)
                    v = v * 8 + (*++p - '0');
                  c = (guint8)v;
                }
              else
                {
                  c = (guint8)*p;
                }
              break;
            }
        }
      g_byte_array_append (out, &c, 1);
    }

  if (out->len == 0)
    {
      g_byte_array_unref (out);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The delimiter (-d) cannot be empty"));
      return NULL;
    }
  return out;
}

/**
 * pm_cli_input_make_source:
 * @template_: (nullable): the jobs' template (the demo sets a make function instead)
 * @from_stdin: whether standard input is the source when none is given
 *
 * Returns: (transfer full): the source, or %NULL with @error set
 */
PmJobSource *
pm_cli_input_make_source (PmCliInput  *self,
                          PmTemplate  *template_,
                          gboolean     from_stdin,
                          GError     **error)
{
  g_autoptr(PmJobSource) source = pm_job_source_new (template_);

  if (self->max_args > MAX_ARGS || self->max_args < -1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("-n and -N take 0 to %d arguments, not %d"), MAX_ARGS, self->max_args);
      return NULL;
    }
  if (self->max_args >= 0)
    pm_job_source_set_max_args (source, self->max_args);
  pm_job_source_set_link (source, self->link);

  if (self->null)
    pm_job_source_set_delimiter (source, "", 1);
  if (self->delimiter != NULL)
    {
      g_autoptr(GByteArray) delimiter = NULL;

      if (!(delimiter = parse_delimiter (self->delimiter, error)))
        return NULL;
      pm_job_source_set_delimiter (source, (const char *)delimiter->data, delimiter->len);
    }
  if (self->colsep != NULL && !pm_job_source_set_column_separator (source, self->colsep, error))
    return NULL;
  if (self->trim != NULL)
    {
      static const struct { const char *name; PmTrim trim; } trims[] = {
        { "n", PM_TRIM_NONE }, { "l", PM_TRIM_LEFT }, { "r", PM_TRIM_RIGHT },
        { "lr", PM_TRIM_LEFT | PM_TRIM_RIGHT }, { "rl", PM_TRIM_LEFT | PM_TRIM_RIGHT },
      };
      guint i;

      for (i = 0; i < G_N_ELEMENTS (trims) && !g_str_equal (trims[i].name, self->trim); i++)
        ;
      if (i == G_N_ELEMENTS (trims))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("--trim is n, l, r, lr or rl, not “%s”"), self->trim);
          return NULL;
        }
      pm_job_source_set_trim (source, trims[i].trim);
    }

  for (guint i = 0; self->arg_files != NULL && self->arg_files[i] != NULL; i++)
    if (!pm_job_source_add_file (source, self->arg_files[i], FALSE, error))
      return NULL;

  for (guint i = 0; i < self->sources->len; i++)
    {
      Source *s = self->sources->pdata[i];

      if (s->kind == SOURCE_VALUES)
        {
          g_ptr_array_add (s->words, NULL);
          pm_job_source_add_values (source, (const char * const *)s->words->pdata, s->linked);
          g_ptr_array_remove_index (s->words, s->words->len - 1);
          continue;
        }
      /* Each file after :::: is a source of its own, as in parallel */
      for (guint f = 0; f < s->words->len; f++)
        if (!pm_job_source_add_file (source, s->words->pdata[f], s->linked && f == 0, error))
          return NULL;
    }

  if (!pm_cli_input_has_sources (self))
    {
      if (self->count >= 0)
        pm_job_source_add_count (source, self->count);
      else if (from_stdin)
        pm_job_source_add_fd (source, STDIN_FILENO, _("standard input"), FALSE);
    }

  return g_steal_pointer (&source);
}
