/* test-compat-basics.c: the core of GNU parallel that pool-run already shares, case by case
 *
 * Each case runs through pool-run and through `parallel --will-cite -q` (see pm-compat.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-compat.h"

#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const PmCompatCase cases[] = {
  { "echo-in-order", ARGS ("-j", "1", "echo", "{}", ":::", "a", "b c", "d"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "arguments-are-literal", ARGS ("-j", "1", "printf", "%s|\\n", "{}", ":::", "$(id)", "a;b", "'q'"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "arguments-from-stdin", ARGS ("-j", "1", "echo", "got", "{}"),
    "one\ntwo\n\nthree\n", -1, PM_COMPAT_STDOUT },
  { "sequence-number", ARGS ("-j", "1", "echo", "{#}", "{}", ":::", "x", "y", "z"),
    NULL, 0, PM_COMPAT_STDOUT },
  { "several-at-once-any-order", ARGS ("-j", "3", "echo", "{}", ":::", "1", "2", "3", "4", "5"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT },
  { "failures-are-counted", ARGS ("-j", "2", "sh", "-c", "exit $1", "sh", "{}", ":::", "0", "1", "2", "0"),
    NULL, 0, PM_COMPAT_SORTED_STDOUT },
  { "joblog-columns", ARGS ("-j", "2", "--joblog", "@JOBLOG@", "sh", "-c", "exit $1", "sh", "{}",
                            ":::", "0", "3", "0"),
    NULL, 0, PM_COMPAT_JOBLOG },
  { "files-made-by-jobs", ARGS ("-j", "2", "touch", "{}", ":::", "f1", "f2", "f3"),
    NULL, 0, PM_COMPAT_FILES },
  { NULL }
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  pm_compat_add_cases ("basics", cases);
  return g_test_run ();
}
