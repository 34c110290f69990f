/* pm-version.h: what --version prints, the same for every program of ours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib/gi18n.h>

/* The GNU standard's --version: name, package and version, copyright, licence, warranty. */
static inline void
pm_print_version (const char *program)
{
  printf ("%s (Pool Monitor) %s\n", program, PACKAGE_VERSION);
  printf ("%s\n", PM_COPYRIGHT);
  printf ("%s\n", _("License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>."));
  printf ("%s\n", _("This is free software: you are free to change and redistribute it."));
  printf ("%s\n", _("There is NO WARRANTY, to the extent permitted by law."));
}

/* The last lines of --help. */
static inline char *
pm_help_footer (void)
{
  return g_strdup_printf (_("Report bugs to: <%s>\nPool Monitor home page: <%s>"),
                          PM_BUG_URL, PM_HOME_URL);
}
