/* fuzz-eventlog.c: the event log (JSON Lines) reader on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#define FUZZ_RUNLOG
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  return fuzz_runlog (data, size, _pm_eventlog_parse, _pm_eventlog_append_pool);
}
