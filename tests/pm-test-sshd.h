/* pm-test-sshd.h: a real OpenSSH server of the test's own, on 127.0.0.1 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char        *dir;
  char        *cache;     /* XDG_CACHE_HOME of its sessions */
  char        *user_key;  /* the key it lets in */
  char        *ssh;       /* the ssh command (--ssh) that reaches it with that key */
  guint        port;
  GSubprocess *proc;
} PmTestSshd;

gboolean    pm_test_sshd_possible  (char       **why);
gboolean    pm_test_sshd_need      (PmTestSshd **server);
PmTestSshd *pm_test_sshd_start     (const char  *user_key);
PmTestSshd *pm_test_sshd_start_with (const char  *user_key,
                                     const char  *extra);
char       *pm_test_sshd_login     (PmTestSshd  *sshd,
                                    const char  *name);
void        pm_test_sshd_kill      (PmTestSshd  *sshd);
void        pm_test_sshd_free      (PmTestSshd  *sshd);

G_END_DECLS
