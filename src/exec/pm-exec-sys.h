/* pm-exec-sys.h: the few system calls pool-monitor-exec makes
 *
 * On x86-64 (unless PM_EXEC_LIBC is defined) they are made directly, and the program has its
 * own entry point: no C library is started, see pm-exec.c for why. Elsewhere they are the C
 * library's functions. Calls return what the kernel returns: -errno on failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#define PM_SIGKILL  9
#define PM_SIGPIPE 13
#define PM_SIGCHLD 17
#define PM_SIGCONT 18
#define PM_SIGSTOP 19
#define PM_SIGTSTP 20
#define PM_SIGTTIN 21
#define PM_SIGTTOU 22

#define PM_ENOENT   2
#define PM_EINTR    4
#define PM_EACCES  13

#define PM_SIG_DFL ((void (*) (int))0)
#define PM_SIG_IGN ((void (*) (int))1)

int pm_exec_main (int argc, char **argv, char **envp);

static inline unsigned long
pm_strlen (const char *s)
{
  unsigned long n = 0;

  while (s[n] != '\0')
    n++;
  return n;
}

#if defined(__x86_64__) && !defined(PM_EXEC_LIBC)

struct pm_sigaction
{
  void          (*handler) (int);
  unsigned long   flags;
  void          (*restorer) (void);
  unsigned long   mask;
};

#define PM_SA_RESTORER 0x04000000UL

void pm_restore_rt (void);

static inline long
pm_syscall (long n, long a, long b, long c, long d)
{
  long ret;
  register long r10 __asm__ ("r10") = d;

  __asm__ volatile ("syscall"
                    : "=a" (ret)
                    : "a" (n), "D" (a), "S" (b), "d" (c), "r" (r10)
                    : "rcx", "r11", "memory");
  return ret;
}

static inline void
pm_sigaction_init (struct pm_sigaction *action,
                   void               (*handler) (int))
{
  action->handler = handler;
  action->flags = PM_SA_RESTORER;
  action->restorer = pm_restore_rt;
  action->mask = ~0UL;
}

static inline long pm_sys_write (int fd, const void *buf, unsigned long len)
{ return pm_syscall (1, fd, (long)buf, (long)len, 0); }
static inline long pm_sys_sigaction (int sig, const struct pm_sigaction *act, struct pm_sigaction *old)
{ return pm_syscall (13, sig, (long)act, (long)old, 8); }
static inline long pm_sys_getpid (void)
{ return pm_syscall (39, 0, 0, 0, 0); }
static inline long pm_sys_execve (const char *path, char **argv, char **envp)
{ return pm_syscall (59, (long)path, (long)argv, (long)envp, 0); }
static inline long pm_sys_wait (long pid, int *status)
{ return pm_syscall (61, pid, (long)status, 0, 0); }
static inline long pm_sys_kill (long pid, int sig)
{ return pm_syscall (62, pid, sig, 0, 0); }
static inline long pm_sys_setpgid (long pid, long pgid)
{ return pm_syscall (109, pid, pgid, 0, 0); }
static inline long pm_sys_getppid (void)
{ return pm_syscall (110, 0, 0, 0, 0); }
static inline long pm_sys_set_pdeathsig (int sig)
{ return pm_syscall (157, 1 /* PR_SET_PDEATHSIG */, sig, 0, 0); }
static inline void __attribute__ ((noreturn)) pm_sys_exit (int code)
{ for (;;) pm_syscall (231, code, 0, 0, 0); }

/* vfork: the child borrows the parent's memory until it executes or exits, and the parent
 * waits until then. The return address is kept in a register across the call, as the child
 * reuses the stack slot it was in. */
long pm_sys_vfork (void) __attribute__ ((returns_twice));
__asm__ (".text\n"
         "pm_sys_vfork:\n"
         "  pop %rdi\n"
         "  mov $58, %eax\n"
         "  syscall\n"
         "  push %rdi\n"
         "  ret\n");

static inline void
pm_sys_block_all_but (int sig)
{
  unsigned long others = ~(1UL << (sig - 1));
  pm_syscall (14, 2 /* SIG_SETMASK */, (long)&others, 0, 8);
}

static inline void
pm_sys_unblock (int sig)
{
  unsigned long one = 1UL << (sig - 1);
  pm_syscall (14, 1 /* SIG_UNBLOCK */, (long)&one, 0, 8);
}

static inline void
pm_sys_unblock_all (void)
{
  unsigned long none = 0;
  pm_syscall (14, 2 /* SIG_SETMASK */, (long)&none, 0, 8);
}

static inline unsigned long long
pm_sys_pending (void)
{
  unsigned long set = 0;
  pm_syscall (127, (long)&set, 8, 0, 0);
  return set;
}

static inline void
pm_sys_no_core (void)
{
  unsigned long limit[2] = { 0, 0 };
  pm_syscall (160, 4 /* RLIMIT_CORE */, (long)limit, 0, 0);
}

#else /* the C library */

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

struct pm_sigaction
{
  struct sigaction sa;
};

static inline void
pm_sigaction_init (struct pm_sigaction *action,
                   void               (*handler) (int))
{
  action->sa = (struct sigaction) { .sa_handler = handler };
  sigfillset (&action->sa.sa_mask);
}

static inline long pm_sys_write (int fd, const void *buf, unsigned long len)
{ return write (fd, buf, len); }
static inline long pm_sys_sigaction (int sig, const struct pm_sigaction *act, struct pm_sigaction *old)
{ return sigaction (sig, &act->sa, old ? &old->sa : 0) == 0 ? 0 : -errno; }
static inline long pm_sys_getpid (void)
{ return getpid (); }
/* A plain fork here: the sanitizers do not follow a vfork child. The shim is correct with
 * either, as its child only resets two dispositions and the mask, then executes. */
static inline long pm_sys_vfork (void)
{ pid_t pid = fork (); return pid < 0 ? -errno : pid; }
static inline long pm_sys_execve (const char *path, char **argv, char **envp)
{ execve (path, argv, envp); return -errno; }
static inline long pm_sys_wait (long pid, int *status)
{ return waitpid ((pid_t)pid, status, 0) < 0 ? -errno : 0; }
static inline long pm_sys_kill (long pid, int sig)
{ return kill ((pid_t)pid, sig) == 0 ? 0 : -errno; }
static inline long pm_sys_setpgid (long pid, long pgid)
{ return setpgid ((pid_t)pid, (pid_t)pgid) == 0 ? 0 : -errno; }
static inline long pm_sys_getppid (void)
{ return getppid (); }
static inline long pm_sys_set_pdeathsig (int sig)
{ return prctl (PR_SET_PDEATHSIG, sig); }
static inline void __attribute__ ((noreturn)) pm_sys_exit (int code)
{ _exit (code); }

static inline void
pm_sys_block_all_but (int sig)
{
  sigset_t others;
  sigfillset (&others);
  sigdelset (&others, sig);
  sigprocmask (SIG_SETMASK, &others, 0);
}

static inline void
pm_sys_unblock (int sig)
{
  sigset_t one;
  sigemptyset (&one);
  sigaddset (&one, sig);
  sigprocmask (SIG_UNBLOCK, &one, 0);
}

static inline void
pm_sys_unblock_all (void)
{
  sigset_t none;
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, 0);
}

static inline unsigned long long
pm_sys_pending (void)
{
  unsigned long long bits = 0;
  sigset_t set;

  sigpending (&set);
  for (int sig = 1; sig <= 64 && sig < NSIG; sig++)
    if (sigismember (&set, sig) == 1)
      bits |= 1ULL << (sig - 1);
  return bits;
}

static inline void
pm_sys_no_core (void)
{
  struct rlimit none = { 0, 0 };
  setrlimit (RLIMIT_CORE, &none);
}

#endif
