/* pm-runlog-test-util.h: what the run-log tests share: a scratch folder, a finished run of
 * every state, and comparing two runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pm-pool.h"
#include "pm-runlog.h"

G_BEGIN_DECLS

/* µs since the epoch, a whole number of milliseconds, as a joblog keeps them */
#define BASE G_GINT64_CONSTANT (1795600000000000)
#define SEC  G_USEC_PER_SEC
#define MSEC 1000

typedef struct
{
  char   *dir;
} Fixture;

typedef enum
{
  COMPARE_EXACT = 0,
  COMPARE_MSEC = 1 << 0,        /* times as a joblog keeps them */
  COMPARE_NO_DETAILS = 1 << 1,  /* a joblog has no output, argv, planned, error message, nor
                                 * user and system time apart (only their sum) */
} CompareFlags;

/* Adds a test that runs with a fresh scratch folder. */
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

void     fixture_setup             (Fixture       *fixture,
                                    gconstpointer  data);
void     fixture_teardown          (Fixture       *fixture,
                                    gconstpointer  data);
/* @name in the fixture's scratch folder */
GFile   *fixture_file              (Fixture       *fixture,
                                    const char    *name);
void     write_file                (GFile         *file,
                                    const char    *text,
                                    gssize         len);
char    *read_file_len             (GFile         *file,
                                    gsize         *len);
char    *read_file                 (GFile         *file);
/* A finished job, numbered after those in @jobs, added to them */
PmJob   *add_job                   (GPtrArray     *jobs,
                                    const char    *name,
                                    const char    *command,
                                    PmJobState     state,
                                    guint          slot,
                                    gint64         start,
                                    gint64         runtime,
                                    int            exit_status,
                                    int            term_signal);
/* A finished run in memory: one job in each finished state, names and commands with tabs,
 * newlines, backslashes and UTF-8 in them. */
PmPool  *make_finished_pool        (void);
void     assert_same_jobs          (PmPool        *a,
                                    PmPool        *b,
                                    CompareFlags   flags);
void     assert_same_limit_changes (PmPool        *a,
                                    PmPool        *b);
PmPool  *save_and_load             (PmPool        *pool,
                                    PmLogFormat    format,
                                    GFile         *file);
PmJob   *job_at                    (PmPool        *pool,
                                    guint          seq);
/* Writes @text to @file and asserts that loading it fails, naming @file and @lineno. */
void     assert_load_fails         (GFile         *file,
                                    const char    *text,
                                    gssize         len,
                                    guint          lineno);

G_END_DECLS
