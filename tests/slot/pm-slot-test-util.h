/* pm-slot-test-util.h: the slot tests' side of the channel, as the pool's */
#pragma once

#include <sys/types.h>

#include <gio/gio.h>

#include "pm-slot-protocol.h"

G_BEGIN_DECLS

#define TIMEOUT_SEC 20
#define CAPTURE     PM_SLOT_START_CAPTURE

typedef struct
{
  GSubprocess *process;
  pid_t        pid;
  int          from;    /* its standard output */
  PmSlotBuf    in;
  size_t       used;    /* the frame last returned, dropped at the next read */
} Slot;

/* What came back for one job. */
typedef struct
{
  guint32      job;
  pid_t        pid;     /* from STARTED */
  GByteArray  *out;
  GByteArray  *err;
  gboolean     exited;
  PmSlotExited exit;
  gboolean     failed;
  int          errnum;
  char        *message;
  gint64       started_at;
  gint64       wall_us;  /* START sent to EXITED read */
} Run;

const char *test_child       (void);
Slot       *slot_new_with    (GSubprocessLauncher *launcher,
                              const char          *nofile);
Slot       *slot_new         (void);
void        slot_send        (Slot                *slot,
                              PmSlotBuf           *buf);
void        slot_start_full  (Slot                *slot,
                              Run                 *run,
                              guint32              job,
                              guint32              flags,
                              guint32              grace_ms,
                              const char * const  *argv,
                              const char * const  *env,
                              const char          *cwd,
                              const char          *stdin_path);
void        slot_start       (Slot                *slot,
                              Run                 *run,
                              guint32              job,
                              const char * const  *argv);
void        slot_signal      (Slot                *slot,
                              guint32              job,
                              int                  signum,
                              const guint32       *pids,
                              guint32              n_pids);
void        slot_next        (Slot                *slot,
                              PmSlotFrame         *frame);
void        slot_pump        (Slot                *slot,
                              Run                 *run,
                              const char          *until_out);
int         slot_wait_exit   (Slot                *slot);
void        slot_close_input (Slot                *slot);
void        slot_free        (Slot                *slot);
void        run_clear        (Run                 *run);
void        assert_exited    (const Run           *run,
                              guint32              how,
                              int                  code);
const char *find_text        (const GByteArray    *bytes,
                              const char          *text);
pid_t       number_after     (const GByteArray    *out,
                              const char          *label);
gboolean    read_stat        (pid_t                pid,
                              char                *state,
                              pid_t               *pgrp,
                              pid_t               *session);
gboolean    process_gone     (pid_t                pid);
gboolean    group_gone       (pid_t                pgid);

/* Polls a condition about other processes, which no event tells us about; the deadline fails
 * the test. */
#define WAIT_UNTIL(cond)                                                                 \
  G_STMT_START                                                                           \
  {                                                                                      \
    gint64 wait_deadline_ = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;               \
    while (!(cond))                                                                      \
      {                                                                                  \
        if (g_get_monotonic_time () > wait_deadline_)                                    \
          g_error ("%s: still not true after 10 s: %s", G_STRLOC, #cond);                \
        g_usleep (10 * 1000);                                                            \
      }                                                                                  \
  }                                                                                      \
  G_STMT_END

G_END_DECLS
