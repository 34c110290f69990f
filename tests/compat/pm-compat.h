/* pm-compat.h: the differential harness; one case runs through pool-run and through GNU parallel
 *
 * A case gives the arguments both programs get (GNU parallel as `parallel --will-cite -q ARGS`,
 * pool-run as `pool-run ARGS`), standard input, and what is compared. Both run in a fresh
 * temporary folder of their own, so files a case makes are compared too where it asks.
 *
 * In arguments, "@JOBLOG@" becomes the path of a joblog in that folder, and "@DIR@" the folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PM_COMPAT_STDOUT        = 1 << 0,  /* standard output, byte for byte */
  PM_COMPAT_SORTED_STDOUT = 1 << 1,  /* standard output's lines, in any order (-j > 1) */
  PM_COMPAT_STDERR        = 1 << 2,  /* the jobs' standard error, byte for byte */
  PM_COMPAT_JOBLOG        = 1 << 3,  /* joblog lines by Seq: Host, Exitval, Signal, Command */
  PM_COMPAT_FILES         = 1 << 4,  /* the files the jobs left in the folder, names and bytes */
} PmCompatCompare;

typedef struct
{
  const char         *name;       /* the test path is /compat/GROUP/NAME */
  const char * const *args;       /* NULL-terminated */
  const char         *input;      /* standard input; NULL: an empty one */
  gssize              input_len;  /* -1: strlen (input) */
  PmCompatCompare     compare;    /* the exit status is always compared */
  const char         *why;        /* a note where a case stands for a documented behaviour */
} PmCompatCase;

/* What one program did with a case. */
typedef struct
{
  int     status;   /* exit status, or 128 + signal */
  GBytes *out;
  GBytes *err;
  char   *dir;      /* its folder (removed by pm_compat_result_clear) */
  char   *joblog;   /* the joblog's text, if @JOBLOG@ was used */
} PmCompatResult;

void        pm_compat_result_clear (PmCompatResult      *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PmCompatResult, pm_compat_result_clear)

const char *pm_compat_parallel     (void);
const char *pm_compat_pool_run     (void);

/* Runs @c through the program @program_argv (its first words, e.g. { parallel, "--will-cite",
 * "-q", NULL }), in a new temporary folder. */
void        pm_compat_run          (const PmCompatCase  *c,
                                    const char * const  *program_argv,
                                    PmCompatResult      *r);

/* Runs @c through both programs and asserts that what @c->compare names is the same. */
void        pm_compat_check        (const PmCompatCase  *c);
/* The same, pool-run given @pool_run_options first (such as --no-summary, so that standard
 * error holds only what the jobs wrote there) */
void        pm_compat_check_with   (const PmCompatCase  *c,
                                    const char * const  *pool_run_options);

/* Registers each case of @cases (ended by a case with name NULL) as /compat/@group/NAME. */
void        pm_compat_add_cases    (const char          *group,
                                    const PmCompatCase  *cases);

/* Lines of @text sorted, for comparisons where the order is not fixed. */
char       *pm_compat_sorted_lines (GBytes              *text);

G_END_DECLS
