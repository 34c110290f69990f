/* pm-exec.c: pool-monitor-exec, the shim every job runs through
 *
 *   pool-monitor-exec POOL-PID PATH ARGV0 [ARGUMENT...]
 *
 * GSubprocess keeps its fast posix_spawn path only without a child-setup function, so what a
 * job needs done before its command runs is done here, in a small static program:
 *
 *  - the job leads a process group of its own, so the pool's signals reach all of it;
 *  - the shim forks the command and stays as a tiny supervisor. When the pool dies, even by
 *    SIGKILL, the kernel tells the shim (PR_SET_PDEATHSIG) and the shim kills the whole group,
 *    so no descendant of a job outlives the pool, even one that ignores SIGTERM;
 *  - signals sent to the group reach the command directly. The shim keeps the catchable ones
 *    blocked for its whole life, so none ends it early; those that come before the command
 *    runs wait there and are passed on, not lost. It ends as the command ended: the same exit
 *    status, or the same signal;
 *  - signals the pool ignores (SIGPIPE) are default again in the command.
 *
 * Each system call counts on a virtual machine, so the shim makes few (about fifteen), and
 * starts the command with vfork: the child neither copies the shim's page tables nor faults
 * on them.
 *
 * If the command cannot be executed the shim prints why and exits 127 (126 if not allowed).
 *
 * Every job pays for this program's start, so on x86-64 it is built without the C library
 * (pm-exec-sys.h): glibc's start-up reads the CPU's features with CPUID, which traps to the
 * hypervisor on a virtual machine and made a static glibc program cost 0.6 ms to run against
 * 0.2 ms without it (measured with hyperfine on the CI machines). Elsewhere, and in sanitizer
 * builds, the same code runs on the C library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "pm-exec-sys.h"

/* Not SIGHUP: a job may well be sent that. Real-time signal 63 is nobody's. */
#define POOL_DIED_SIGNAL 63
#define N_SIGNALS        65

static long group_pid;

static int
is_group_signal (int sig)
{
  return sig != PM_SIGKILL && sig != PM_SIGSTOP && sig != PM_SIGCHLD &&
         sig != POOL_DIED_SIGNAL && sig != PM_SIGCONT && sig != PM_SIGTSTP &&
         sig != PM_SIGTTIN && sig != PM_SIGTTOU;
}

static void
say (const char *first,
     const char *second,
     const char *third)
{
  const char *parts[] = { "pool-monitor-exec: ", first, second, third, "\n" };

  for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++)
    if (parts[i] != 0)
      pm_sys_write (2, parts[i], pm_strlen (parts[i]));
}

static void
pool_died (int signum)
{
  pm_sys_kill (-group_pid, PM_SIGKILL);
  pm_sys_exit (128 + PM_SIGKILL);
}

static void
set_handler (int    sig,
             void (*handler) (int),
             struct pm_sigaction *old)
{
  struct pm_sigaction action;

  pm_sigaction_init (&action, handler);
  pm_sys_sigaction (sig, &action, old);
}

/* In the vfork child, the group's signals still blocked: the dispositions the command gets
 * are those the shim was started with, but SIGPIPE's and the shim's own; then exec. Not
 * inlined: the child keeps to stack frames below the one the shim goes on in. */
static void __attribute__ ((noinline, noreturn))
run_command (char  *path,
             char **argv,
             char **envp)
{
  long err;

  set_handler (PM_SIGPIPE, PM_SIG_DFL, 0);
  set_handler (POOL_DIED_SIGNAL, PM_SIG_DFL, 0);
  pm_sys_unblock_all ();

  err = pm_sys_execve (path, argv, envp);

  say ("cannot run ", argv[0], err == -PM_ENOENT ? ": No such file or directory"
                               : err == -PM_EACCES ? ": Permission denied"
                               : ": cannot execute");
  pm_sys_exit (err == -PM_ENOENT ? 127 : 126);
}

int
pm_exec_main (int    argc,
              char **argv,
              char **envp)
{
  unsigned long long pending;
  long pool_pid = 0;
  long child;
  int status = 0;

  if (argc < 4)
    {
      say ("usage: pool-monitor-exec POOL-PID PATH ARGV0 [ARGUMENT...]", 0, 0);
      return 127;
    }
  for (const char *p = argv[1]; *p != '\0'; p++)
    {
      if (*p < '0' || *p > '9')
        {
          say ("bad pool PID ", argv[1], 0);
          return 127;
        }
      pool_pid = pool_pid * 10 + (*p - '0');
    }

  /* Signals for the group are the command's to act on: blocked here before there is a group,
   * they cannot end the shim, and none is lost. */
  pm_sys_block_all_but (POOL_DIED_SIGNAL);
  pm_sys_setpgid (0, 0);
  group_pid = pm_sys_getpid ();

  set_handler (POOL_DIED_SIGNAL, pool_died, 0);
  pm_sys_set_pdeathsig (POOL_DIED_SIGNAL);
  /* The pool may have died before the line above: then nobody waits for this job. */
  if (pm_sys_getppid () != pool_pid)
    return 127;

  child = pm_sys_vfork ();
  if (child < 0)
    {
      say ("cannot fork", 0, 0);
      return 126;
    }
  if (child == 0)
    run_command (argv[2], argv + 3, envp);

  /* The command runs now (the shim went on once it had executed, or failed to) and gets the
   * group's signals itself. Those that came before are passed on. One that came in just as it
   * started may reach it twice; better than not at all. */
  pending = pm_sys_pending ();
  for (int sig = 1; sig < N_SIGNALS; sig++)
    if (is_group_signal (sig) && (pending & (1ULL << (sig - 1))))
      pm_sys_kill (child, sig);

  while (pm_sys_wait (child, &status) == -PM_EINTR)
    ;

  if ((status & 0x7f) == 0)
    return (status >> 8) & 0xff;

  /* End by the same signal, without a core file of the shim. */
  pm_sys_no_core ();
  set_handler (status & 0x7f, PM_SIG_DFL, 0);
  pm_sys_set_pdeathsig (0);
  pm_sys_unblock (status & 0x7f);
  pm_sys_kill (group_pid, status & 0x7f);
  return 128 + (status & 0x7f);
}

#if defined(__x86_64__) && !defined(PM_EXEC_LIBC)

/* The entry point, with no C library: the kernel leaves argc, argv and envp on the stack. */
__asm__ (".text\n"
         ".global _start\n"
         "_start:\n"
         "  xor %rbp, %rbp\n"
         "  mov %rsp, %rdi\n"
         "  and $-16, %rsp\n"
         "  call pm_start_c\n"
         "  hlt\n"
         ".global pm_restore_rt\n"
         "pm_restore_rt:\n"
         "  mov $15, %rax\n"      /* rt_sigreturn */
         "  syscall\n");

void pm_start_c (long *sp) __attribute__ ((used, noreturn));

void
pm_start_c (long *sp)
{
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);

  pm_sys_exit (pm_exec_main (argc, argv, argv + argc + 1));
}

/* The compiler may call these for copies and zeroing. */
void *memset (void *dest, int c, unsigned long n);
void *memcpy (void *dest, const void *src, unsigned long n);

void *
memset (void          *dest,
        int            c,
        unsigned long  n)
{
  unsigned char *d = dest;

  while (n-- > 0)
    *d++ = (unsigned char)c;
  return dest;
}

void *
memcpy (void          *dest,
        const void    *src,
        unsigned long  n)
{
  unsigned char *d = dest;
  const unsigned char *s = src;

  while (n-- > 0)
    *d++ = *s++;
  return dest;
}

#else

int
main (int   argc,
      char *argv[])
{
  extern char **environ;

  return pm_exec_main (argc, argv, environ);
}

#endif
