/* fuzz-joblog.c: the joblog (TSV) reader on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-runlog-private.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GFile) file = NULL;
  GError *error = NULL;
  PmPool *pool;

  fuzz_init ();

  file = g_file_new_for_path ("fuzz-input");
  pool = _pm_joblog_parse (file, (const char *)data, size, &error);
  g_assert ((pool == NULL) != (error == NULL));
  if (pool != NULL)
    {
      /* whatever was read back can be written again */
      g_autoptr(GString) out = g_string_new (NULL);

      _pm_joblog_append_pool (out, pool);
    }
  g_clear_object (&pool);
  g_clear_error (&error);

  return 0;
}
