/* pm-template.c
 *
 * A command template is a list of words, each of which may hold GNU parallel's replacement
 * strings: {} {.} {/} {//} {/.} (the argument, whole or in part), {n} {n.} … (the n-th value,
 * from an input source or a column), {#} (the sequence number) and {%} (the slot), or strings
 * of the user's choosing (-I and its family). Each word is parsed once into pieces.
 * Expansion gives an argv that is executed directly, never through a shell, so whatever an
 * argument holds (spaces, quotes, ';', '|', '$(...)') arrives in the job literally.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include <glib/gi18n.h>

#include "pm-template.h"

/* What a piece of a word stands for. */
typedef enum
{
  PIECE_TEXT,
  PIECE_ARGUMENT,            /* {}   */
  PIECE_EXTENSION,           /* {.}  */
  PIECE_BASENAME,            /* {/}  */
  PIECE_DIRNAME,             /* {//} */
  PIECE_BASENAME_EXTENSION,  /* {/.} */
  PIECE_SEQ,                 /* {#}  */
  PIECE_SLOT,                /* {%}  */
} PieceKind;

typedef struct
{
  PieceKind  kind;
  int        position;   /* {n…}: from 1, or from the end when negative; 0: every value */
  char      *text;       /* PIECE_TEXT; for PIECE_SLOT, what to write while the slot is unknown */
} Piece;

typedef struct
{
  GArray   *pieces;      /* Piece */
  gboolean  per_value;   /* holds {} {.} … without a position: one word per record's values */
  gboolean  replaced;    /* holds any replacement string */
} Word;

struct _PmTemplate
{
  gatomicrefcount   ref_count;
  char            **words;
  Word             *parsed;
  guint             n_words;
  guint             has_argument : 1;
  guint             has_slot : 1;
};

G_DEFINE_QUARK (pm-template-error-quark, pm_template_error)

static void
piece_clear (Piece *piece)
{
  g_free (piece->text);
}

static void
add_text (GArray     *pieces,
          const char *text,
          gsize       len)
{
  Piece *last = pieces->len > 0 ? &g_array_index (pieces, Piece, pieces->len - 1) : NULL;

  if (last != NULL && last->kind == PIECE_TEXT)
    {
      char *joined = g_strdup_printf ("%s%.*s", last->text, (int)len, text);

      g_free (last->text);
      last->text = joined;
    }
  else
    {
      Piece piece = { PIECE_TEXT, 0, g_strndup (text, len) };

      g_array_append_val (pieces, piece);
    }
}

/* {n}, {n.}, {n/}, {n//}, {n/.} with n a whole number, maybe negative: how long, or 0 */
static gsize
match_positional (const char *p,
                  PieceKind  *kind,
                  int        *position)
{
  static const struct { const char *suffix; PieceKind kind; } forms[] = {
    { "}", PIECE_ARGUMENT }, { ".}", PIECE_EXTENSION }, { "//}", PIECE_DIRNAME },
    { "/.}", PIECE_BASENAME_EXTENSION }, { "/}", PIECE_BASENAME },
  };
  const char *q = p + 1;
  gboolean negative = FALSE;
  gint64 n = 0;

  if (*q == '-')
    negative = TRUE, q++;
  if (!g_ascii_isdigit (*q))
    return 0;
  while (g_ascii_isdigit (*q) && n < 100000000)
    n = n * 10 + (*q++ - '0');
  if (n == 0 || g_ascii_isdigit (*q))
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      if (g_str_has_prefix (q, forms[i].suffix))
        {
          *kind = forms[i].kind;
          *position = negative ? -(int)n : (int)n;
          return q - p + strlen (forms[i].suffix);
        }
    }

  return 0;
}

static void
parse_word (Word                   *word,
            const char             *text,
            const PmReplaceStrings *strings)
{
  const struct { const char *token; PieceKind kind; } named[] = {
    { strings->argument, PIECE_ARGUMENT },
    { strings->extension, PIECE_EXTENSION },
    { strings->basename, PIECE_BASENAME },
    { strings->dirname, PIECE_DIRNAME },
    { strings->basename_extension, PIECE_BASENAME_EXTENSION },
    { strings->seq, PIECE_SEQ },
    { strings->slot, PIECE_SLOT },
  };
  const char *p = text;

  word->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  g_array_set_clear_func (word->pieces, (GDestroyNotify)piece_clear);

  while (*p != '\0')
    {
      Piece piece = { PIECE_TEXT, 0, NULL };
      gsize len = 0, best = 0;

      /* The longest replacement string that starts here wins ({/.} over {/}). */
      for (guint i = 0; i < G_N_ELEMENTS (named); i++)
        {
          len = strlen (named[i].token);
          if (len > best && strncmp (p, named[i].token, len) == 0)
            {
              best = len;
              piece.kind = named[i].kind;
            }
        }
      if (best == 0 && strings->positional && *p == '{')
        best = match_positional (p, &piece.kind, &piece.position);

      if (best == 0)
        {
          add_text (word->pieces, p, 1);
          p++;
          continue;
        }

      if (piece.kind == PIECE_SLOT)
        piece.text = g_strndup (p, best);
      g_array_append_val (word->pieces, piece);
      word->replaced = TRUE;
      if (piece.position == 0 && piece.kind != PIECE_SEQ && piece.kind != PIECE_SLOT)
        word->per_value = TRUE;
      p += best;
    }
}

/**
 * pm_template_new:
 * @words: (array zero-terminated=1): the command and its arguments
 * @error: return location for a #GError
 *
 * Creates a template with GNU parallel's replacement strings.
 *
 * Returns: (transfer full): a new template, or %NULL if @words is empty
 */
PmTemplate *
pm_template_new (const char * const  *words,
                 GError             **error)
{
  return pm_template_new_full (words, NULL, error);
}

/**
 * pm_template_new_full:
 * @words: (array zero-terminated=1): the command and its arguments
 * @strings: (nullable): replacement strings of the user's choosing (-I and its family)
 * @error: return location for a #GError
 *
 * Creates a template. A template without any replacement string gets the job's values
 * appended as last words when expanded, as GNU parallel does.
 *
 * Returns: (transfer full): a new template, or %NULL if @words is empty
 */
PmTemplate *
pm_template_new_full (const char * const      *words,
                      const PmReplaceStrings  *strings,
                      GError                 **error)
{
  PmReplaceStrings chosen = { "{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}", TRUE };
  PmTemplate *self;

  if (words == NULL || words[0] == NULL || words[0][0] == '\0')
    {
      g_set_error_literal (error, PM_TEMPLATE_ERROR, PM_TEMPLATE_ERROR_EMPTY,
                           _("The command is empty"));
      return NULL;
    }

  if (strings != NULL)
    {
      const char **mine[] = { &chosen.argument, &chosen.extension, &chosen.basename,
                              &chosen.dirname, &chosen.basename_extension, &chosen.seq,
                              &chosen.slot };
      const char *given[] = { strings->argument, strings->extension, strings->basename,
                              strings->dirname, strings->basename_extension, strings->seq,
                              strings->slot };

      for (guint i = 0; i < G_N_ELEMENTS (given); i++)
        {
          if (given[i] != NULL && given[i][0] == '\0')
            {
              g_set_error_literal (error, PM_TEMPLATE_ERROR, PM_TEMPLATE_ERROR_INVALID,
                                   _("A replacement string cannot be empty"));
              return NULL;
            }
          if (given[i] != NULL)
            *mine[i] = given[i];
        }
      chosen.positional = strings->positional;
    }

  self = g_new0 (PmTemplate, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->words = g_strdupv ((char **)words);
  self->n_words = g_strv_length (self->words);
  self->parsed = g_new0 (Word, self->n_words);

  for (guint i = 0; i < self->n_words; i++)
    {
      parse_word (&self->parsed[i], self->words[i], &chosen);
      self->has_argument |= self->parsed[i].replaced;
      for (guint j = 0; j < self->parsed[i].pieces->len; j++)
        self->has_slot |= g_array_index (self->parsed[i].pieces, Piece, j).kind == PIECE_SLOT;
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
      for (guint i = 0; i < self->n_words; i++)
        g_array_unref (self->parsed[i].pieces);
      g_free (self->parsed);
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

/* {.}: without its last extension, as GNU parallel's s:\.[^/.]+$:: */
static void
append_without_extension (GString    *out,
                          const char *value)
{
  const char *dot = strrchr (value, '.');

  if (dot != NULL && dot[1] != '\0' && strchr (dot, '/') == NULL)
    g_string_append_len (out, value, dot - value);
  else
    g_string_append (out, value);
}

/* Trailing slashes go, but one character stays (Perl's _strip_trailing_sep) */
static void
strip_trailing_slashes (GString *path)
{
  while (path->len > 1 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);
}

/* {//}: Perl's File::Basename::dirname, which GNU parallel uses ("a" gives ".", "a/b/"
 * gives "a", "/" gives "/") */
static char *
perl_dirname (const char *value)
{
  const char *slash = strrchr (value, '/');
  GString *dir;

  if (slash == NULL)
    return g_strdup (".");

  dir = g_string_new_len (value, slash + 1 - value);
  strip_trailing_slashes (dir);
  if (slash[1] == '\0')
    {
      /* No basename: the folder of what is left */
      g_autofree char *again = g_string_free (dir, FALSE);

      slash = strrchr (again, '/');
      if (slash == NULL)
        return g_strdup (".");
      dir = g_string_new_len (again, slash + 1 - again);
      strip_trailing_slashes (dir);
    }

  return g_string_free (dir, FALSE);
}

static void
append_value (GString    *out,
              PieceKind   kind,
              const char *value)
{
  const char *slash = strrchr (value, '/');
  const char *base = slash != NULL ? slash + 1 : value;

  switch (kind)
    {
    case PIECE_ARGUMENT:
      g_string_append (out, value);
      break;
    case PIECE_EXTENSION:
      append_without_extension (out, value);
      break;
    case PIECE_BASENAME:
      g_string_append (out, base);
      break;
    case PIECE_BASENAME_EXTENSION:
      append_without_extension (out, base);
      break;
    case PIECE_DIRNAME:
      {
        g_autofree char *dir = perl_dirname (value);
        g_string_append (out, dir);
      }
      break;
    case PIECE_TEXT:
    case PIECE_SEQ:
    case PIECE_SLOT:
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  const char * const *values;
  guint               n_values;
  const char         *seq;
  const char         *slot;
} Expansion;

/* One word of the template; a value list cuts it into several words where values meet, as
 * parallel -q does ("x{}y" over the values a and 1 gives "xa" and "1y"). */
static void
expand_word (GPtrArray        *argv,
             const Word       *word,
             const Expansion  *e,
             const char      **record,
             guint             width)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < word->pieces->len; i++)
    {
      const Piece *piece = &g_array_index (word->pieces, Piece, i);

      switch (piece->kind)
        {
        case PIECE_TEXT:
          g_string_append (out, piece->text);
          break;
        case PIECE_SEQ:
          g_string_append (out, e->seq);
          break;
        case PIECE_SLOT:
          g_string_append (out, e->slot != NULL ? e->slot : piece->text);
          break;
        default:
          if (piece->position != 0)
            {
              int n = piece->position;
              int index = n > 0 ? n - 1 : (int)e->n_values + n;

              if (index >= 0 && index < (int)e->n_values)
                append_value (out, piece->kind, e->values[index]);
            }
          else
            {
              for (guint v = 0; v < width; v++)
                {
                  if (v > 0)
                    {
                      g_ptr_array_add (argv, g_string_free (out, FALSE));
                      out = g_string_new (NULL);
                    }
                  append_value (out, piece->kind, record[v]);
                }
            }
          break;
        }
    }

  g_ptr_array_add (argv, g_string_free (out, FALSE));
}

/**
 * pm_template_expand_values:
 * @self: a #PmTemplate
 * @values: (array zero-terminated=1): the job's values: its records one after the other, each
 *   of @width values (one per input source or column)
 * @width: values in a record, at least 1
 * @seq: the job's sequence number, from 1
 * @slot: the job's slot, from 1, or 0 when not known yet
 *
 * Expands the template as GNU parallel -q does: `{n}` is the n-th value of the job; a word
 * with `{}` (or `{.}` …) is repeated for each record, and cut into several words where a
 * record's values meet; without any replacement string, the values are appended.
 *
 * Returns: (transfer full): the argv to execute
 */
static char **
expand_values (PmTemplate         *self,
               const char * const *values,
               guint               width,
               guint               seq,
               guint               slot,
               gboolean            append)
{
  static const char *none[] = { "", NULL };
  GPtrArray *argv;
  char seq_str[16];
  char slot_str[16];
  Expansion e;
  guint n_records;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (width >= 1, NULL);

  if (values == NULL)
    values = none;

  g_snprintf (seq_str, sizeof seq_str, "%u", seq);
  g_snprintf (slot_str, sizeof slot_str, "%u", slot);
  e = (Expansion) { values, g_strv_length ((char **)values), seq_str, slot > 0 ? slot_str : NULL };
  n_records = e.n_values / width;

  argv = g_ptr_array_new ();
  for (guint i = 0; i < self->n_words; i++)
    {
      const Word *word = &self->parsed[i];

      if (!word->per_value)
        expand_word (argv, word, &e, NULL, 0);
      else if (n_records == 0)
        expand_word (argv, word, &e, none, 1);
      else
        for (guint r = 0; r < n_records; r++)
          expand_word (argv, word, &e, (const char **)values + r * width, width);
    }
  if (append && !self->has_argument)
    for (guint i = 0; i < e.n_values; i++)
      g_ptr_array_add (argv, g_strdup (values[i]));
  g_ptr_array_add (argv, NULL);

  return (char **)g_ptr_array_free (argv, FALSE);
}

char **
pm_template_expand_values (PmTemplate         *self,
                           const char * const *values,
                           guint               width,
                           guint               seq,
                           guint               slot)
{
  return expand_values (self, values, width, seq, slot, TRUE);
}

/**
 * pm_template_expand_words:
 *
 * As pm_template_expand_values(), but nothing is appended: for the names of files (--return
 * out.txt is that file for every job, as in GNU parallel).
 *
 * Returns: (transfer full): the words, expanded
 */
char **
pm_template_expand_words (PmTemplate         *self,
                          const char * const *values,
                          guint               width,
                          guint               seq,
                          guint               slot)
{
  return expand_values (self, values, width, seq, slot, FALSE);
}

/**
 * pm_template_expand:
 * @self: a #PmTemplate
 * @argument: (nullable): the job's one argument
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
  const char *values[] = { argument != NULL ? argument : "", NULL };

  return pm_template_expand_values (self, values, 1, seq, slot);
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
