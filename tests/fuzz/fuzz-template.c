/* fuzz-template.c: template expansion and command lines on arbitrary words
 *
 * The input is split into words on NUL or newline; the first word is the job's argument, the
 * rest the template. The sequence number and slot come from the input's size, so a slot of 0
 * ("not known yet") is reached too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "pm-template.h"
#include "fuzz-common.h"

static GPtrArray *
split_words (const guint8 *data,
             size_t        size)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  size_t begin = 0;

  for (size_t i = 0; i <= size; i++)
    {
      if (i == size || data[i] == '\0' || data[i] == '\n')
        {
          g_ptr_array_add (words, g_strndup ((const char *)data + begin, i - begin));
          begin = i + 1;
        }
    }
  g_ptr_array_add (words, NULL);

  return words;
}

static void
check_command_line (const char * const *argv)
{
  g_autofree char *line = pm_argv_to_command (argv);
  g_auto(GStrv) back = NULL;

  if (argv[0] == NULL)
    {
      g_assert_cmpstr (line, ==, "");
      return;
    }
  for (guint i = 0; argv[i] != NULL; i++)
    {
      if (argv[i][0] == '\0')
        return;
    }
  g_assert_true (g_shell_parse_argv (line, NULL, &back, NULL));
  g_assert_cmpstrv (back, argv);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(PmTemplate) template = NULL;
  g_auto(GStrv) argv = NULL;
  GError *error = NULL;
  const char *argument;
  const char * const *template_words;
  guint n_words;
  gboolean has_argument = FALSE;
  gboolean has_slot = FALSE;
  guint seq = (guint)size;
  guint slot = (guint)(size % 4);

  fuzz_init ();

  words = split_words (data, size);
  argument = words->pdata[0];
  template_words = (const char * const *)words->pdata + 1;
  n_words = words->len - 2;

  check_command_line ((const char * const *)words->pdata);

  template = pm_template_new (template_words, &error);
  g_assert ((template == NULL) != (error == NULL));
  if (template == NULL)
    {
      g_assert_true (n_words == 0 || template_words[0][0] == '\0');
      g_clear_error (&error);
      return 0;
    }

  for (guint i = 0; i < n_words; i++)
    {
      /* Any replacement string stops the argument from being appended. */
      has_argument |= g_regex_match_simple ("\\{(#|%|\\.|/|//|/\\.)?\\}|"
                                            "\\{-?0*[1-9][0-9]{0,8}(\\.|/|//|/\\.)?\\}",
                                            template_words[i], G_REGEX_RAW, 0);
      has_slot |= strstr (template_words[i], "{%}") != NULL;
    }
  g_assert_true (!pm_template_has_slot (template) == !has_slot);

  argv = pm_template_expand (template, argument, seq, slot);
  g_assert_nonnull (argv);
  g_assert_cmpuint (g_strv_length (argv), ==, n_words + (has_argument ? 0 : 1));
  if (!has_argument)
    g_assert_cmpstr (argv[n_words], ==, argument);
  for (guint i = 0; i < n_words; i++)
    {
      if (strchr (template_words[i], '{') == NULL)
        g_assert_cmpstr (argv[i], ==, template_words[i]);
    }

  check_command_line ((const char * const *)argv);

  return 0;
}
