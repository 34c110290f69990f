/* fuzz-common.h: what the libFuzzer targets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdlib.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  /* Bad input must come back as a GError: a critical is a broken precondition, a bug. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

/* Once per process: no fatal warnings from the environment, no debug output. */
static inline void
fuzz_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_unsetenv ("G_DEBUG");
      g_unsetenv ("G_MESSAGES_DEBUG");
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

#ifdef FUZZ_RUNLOG
#include <gio/gio.h>

#include "pm-runlog-private.h"

typedef PmPool *(*FuzzParse)  (GFile *file, const char *data, gsize len, GError **error);
typedef void    (*FuzzAppend) (GString *out, PmPool *pool);

/* A reader on arbitrary bytes: a pool or an error, never both or neither; whatever was read
 * back can be written again. */
static inline int
fuzz_runlog (const guint8 *data,
             size_t        size,
             FuzzParse     parse,
             FuzzAppend    append)
{
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;
  PmPool *pool;

  fuzz_init ();

  file = g_file_new_for_path ("fuzz-input");
  pool = parse (file, (const char *)data, size, &error);
  g_assert ((pool == NULL) != (error == NULL));
  if (pool != NULL)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      append (out, pool);
    }
  g_clear_object (&pool);
  g_clear_error (&error);

  return 0;
}
#endif
