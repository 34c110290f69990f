/* pm-test-util.h: helpers shared by the core tests */
#pragma once

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

G_END_DECLS
