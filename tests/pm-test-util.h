/* pm-test-util.h: helpers shared by the core tests */
#pragma once

#include <stdarg.h>

#include "pm-pool.h"

G_BEGIN_DECLS

const char *pm_test_child             (void);
PmJob      *pm_test_job               (guint        seq,
                                       const char  *first_step,
                                       ...) G_GNUC_NULL_TERMINATED;
PmJob      *pm_test_add               (PmPool      *pool,
                                       PmJob       *job);
void        pm_test_run_until         (gboolean   (*done) (gpointer),
                                       gpointer     data,
                                       guint        timeout_sec);
void        pm_test_run_pool          (PmPool      *pool,
                                       guint        timeout_sec);
gboolean    pm_test_process_alive     (int          pid);
void        pm_test_wait_gone         (int          pid,
                                       guint        timeout_sec);
/* Deletes @path and everything under it (a test's temporary folder); symlinks are not followed. */
void        pm_test_remove_tree       (const char  *path);
/* Whether the file at @path holds exactly @bytes, as cmp would say */
gboolean    pm_test_file_has_bytes    (const char  *path,
                                       GBytes      *bytes);
/* How many lines of the file at @path hold @what (0 if it cannot be read) */
guint       pm_test_file_count_lines  (const char  *path,
                                       const char  *what);

/* How a program run to its end by pm_test_run_argv () ended, and what it wrote */
typedef struct
{
  int    status;   /* its exit status (it must have exited, not died of a signal) */
  char  *out;      /* its standard output, byte for byte, with a NUL added after out_len bytes */
  gsize  out_len;
  char  *err;      /* its standard error */
} PmTestResult;

void        pm_test_result_clear      (PmTestResult *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PmTestResult, pm_test_result_clear)

void        pm_test_run_argv          (PmTestResult       *r,
                                       const char         *cwd,
                                       const char         *path,
                                       const char         *input,
                                       const char * const *argv);
GPtrArray  *pm_test_pool_run_argv     (const char  *ssh,
                                       const char  *first,
                                       ...) G_GNUC_NULL_TERMINATED;
GPtrArray  *pm_test_pool_run_argv_va  (const char  *ssh,
                                       const char  *first,
                                       va_list      args);
void        pm_test_run_pool_run      (PmTestResult *r,
                                       const char   *cwd,
                                       const char   *ssh,
                                       const char   *first,
                                       ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
