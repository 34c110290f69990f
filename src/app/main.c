/* main.c: pool-monitor, the window of Pool Monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-application.h"
#include "pm-util.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PmApplication) app = NULL;

  pm_i18n_init ();
  pm_process_init ();


  app = pm_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
