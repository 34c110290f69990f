/* pm-cli-input.h: pool-run's input options, read as GNU parallel reads them */
#pragma once

#include <gio/gio.h>

#include "pm-job-source.h"
#include "pm-template.h"

G_BEGIN_DECLS

typedef struct
{
  char     **arg_files;      /* -a FILE, repeatable; "-" is standard input */
  gboolean   null;           /* -0 */
  char      *delimiter;      /* -d DELIM */
  gboolean   link;           /* --link */
  char      *colsep;         /* --colsep REGEX */
  char      *trim;           /* --trim n|l|r|lr|rl */
  int        max_args;       /* -n / -N; -1: not given */
  int        count;          /* --count N; -1: not given */
  char      *replace;        /* -I */
  char      *extension_replace;
  char      *basename_replace;
  char      *dirname_replace;
  char      *basename_extension_replace;
  char      *seq_replace;
  char      *slot_replace;
  GPtrArray *sources;        /* Source, from ::: and :::: on the command line */
} PmCliInput;

void         pm_cli_input_init          (PmCliInput    *self);
void         pm_cli_input_add_entries   (PmCliInput    *self,
                                         GOptionContext *context);
gboolean     pm_cli_input_take_sources  (PmCliInput    *self,
                                         GPtrArray     *command,
                                         GError       **error);
gboolean     pm_cli_input_has_sources   (PmCliInput    *self);
PmTemplate  *pm_cli_input_make_template (PmCliInput    *self,
                                         const char * const *command,
                                         GError       **error);
PmJobSource *pm_cli_input_make_source   (PmCliInput    *self,
                                         PmTemplate    *template_,
                                         gboolean       from_stdin,
                                         GError       **error);

G_END_DECLS
