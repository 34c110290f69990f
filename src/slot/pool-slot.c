/* pool-slot.c: the slot process, one per slot of the pool, that runs the pool's jobs one at a time
 *
 *   pool-slot             started by the pool: its standard input and output are the channel
 *   pool-slot --version   prints the protocol it speaks
 *   pool-slot --serve     a host's slot server: one slot per connection to its socket
 *
 * The pool starts one pool-slot per slot, through a pipe locally or `ssh HOST pool-slot`
 * remotely, and hands it one job at a time (pm-slot-protocol.h says what is said). Doing the
 * spawning here rather than in the pool gives each job what GSubprocess cannot give it cheaply:
 * a process group of its own (POSIX_SPAWN_SETPGROUP, no extra exec), rusage from wait4, and a
 * supervisor that ends the job's group when the pool goes away, even on SIGKILL of the pool.
 *
 * One thread, one poll() loop over: the pool's messages (stdin), our queued messages (stdout,
 * only while some wait), the job's stdout and stderr pipes, and a signalfd for SIGCHLD and the
 * signals that mean "the pool is gone". Everything the loop touches is non-blocking, so a pool
 * that reads slowly never stops control messages: past BACKLOG_MAX queued bytes we only stop
 * reading the job's pipes, and the job blocks on its own pipe (back-pressure).
 *
 * A job's life: START → posix_spawn → STARTED at once → OUTPUT chunks as read → its leader is
 * reaped on SIGCHLD (so we never signal a PID we no longer own) → what is left of its group gets
 * TERM now and KILL after the job's grace (a "leftover" group; the slot may run the next job
 * meanwhile) → the pipes are read until EOF, at most DRAIN_MS → EXITED. Only then is the slot
 * idle again and may be sent another START. A local pool may make the job's pipes itself and
 * pass us their write ends (PM_SLOT_START_PASSED_OUTPUT): the job gets them, we keep no end,
 * and EXITED goes as soon as the leader is reaped; the pool reads and drains them.
 *
 * The pool is gone when stdin ends or fails, stdout fails (EPIPE), or we get SIGTERM, SIGHUP
 * or the PR_SET_PDEATHSIG signal. Then the job's group and every leftover group get TERM, KILL
 * after the grace, and the slot exits. A message that makes no sense is treated the same way,
 * with a line on stderr and exit status 2: the channel cannot be trusted any more.
 *
 * Plain C and libc, no GLib: this program is linked statically and copied to remote hosts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pm-slot-protocol.h"
#include "pool-slot-serve.h"

/* Not SIGHUP or SIGTERM, which mean "go away" from anyone: real-time 63 is nobody's. */
#define POOL_DIED_SIGNAL  63
#define BACKLOG_MAX       (256u << 10)
#define DRAIN_MS          500
#define DRAIN_LAST_CHUNKS 16
#define DEFAULT_GRACE_MS  2000
#define LEFTOVER_CHECK_MS 100
#define MAX_LEFTOVERS     64

extern char **environ;

/* A group whose leader was reaped while it still had members: TERMed, KILLed at kill_at. */
typedef struct
{
  uint32_t job;
  pid_t    pgid;
  int64_t  kill_at;
} Leftover;

typedef struct
{
  uint32_t     id;
  pid_t        pid;        /* the leader, which is also the group; 0 when idle */
  int          reaped;
  int          pipes[2];   /* our ends of its stdout and stderr; -1 once closed */
  int64_t      drain_until;
  PmSlotExited exited;
} Job;

static Job job = { .pipes = { -1, -1 } };
static Leftover leftovers[MAX_LEFTOVERS];
static unsigned n_leftovers;
static int64_t next_leftover_check;
static uint32_t grace_ms = DEFAULT_GRACE_MS;
static PmSlotBuf in, out;
static uint8_t chunk[PM_SLOT_OUTPUT_CHUNK];
static int devnull = -1;
static int sigfd = -1;
static int have_direct_fd;   /* PM_SLOT_DIRECT_FD is the pool's stdout */
static int have_pass_fd;     /* PM_SLOT_PASS_FD is the socket the pool passes pipes on */
static pid_t parent;
static sigset_t changed;   /* every signal whose disposition or mask we changed */

static int64_t
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* EPERM means it has members we may not signal: still there. */
static int
group_exists (pid_t pgid)
{
  return kill (-pgid, 0) == 0 || errno == EPERM;
}

/* The pool is gone (or cannot be trusted): end every group we started, then exit. Nothing is
 * written to the pool any more. */
static void __attribute__((noreturn))
end_all (int status)
{
  pid_t groups[MAX_LEFTOVERS + 1];
  unsigned n = 0;
  int64_t deadline = now_ms () + grace_ms;

  if (job.pid && !job.reaped)
    groups[n++] = job.pid;
  for (unsigned i = 0; i < n_leftovers; i++)
    groups[n++] = leftovers[i].pgid;
  for (unsigned i = 0; i < n; i++)
    {
      kill (-groups[i], SIGTERM);
      kill (-groups[i], SIGCONT);   /* a stopped process acts on TERM only once continued */
    }

  while (n > 0 && now_ms () < deadline)
    {
      unsigned kept = 0;

      poll (NULL, 0, 20);
      /* Our leader stays a zombie member of its group until reaped. */
      while (waitpid (-1, NULL, WNOHANG) > 0)
        ;
      for (unsigned i = 0; i < n; i++)
        if (group_exists (groups[i]))
          groups[kept++] = groups[i];
      n = kept;
    }
  for (unsigned i = 0; i < n; i++)
    kill (-groups[i], SIGKILL);
  exit (status);
}

static void __attribute__((noreturn))
broken (const char *why)
{
  fprintf (stderr, "pool-slot: %s\n", why);
  end_all (2);
}

static void
check_queued (int result)
{
  if (result < 0)
    {
      fputs ("pool-slot: out of memory\n", stderr);
      end_all (1);
    }
}

static void
flush_out (void)
{
  while (out.len > 0)
    {
      ssize_t n = write (STDOUT_FILENO, out.data, out.len);

      if (n > 0)
        pm_slot_buf_consume (&out, (size_t)n);
      else if (n < 0 && errno == EINTR)
        continue;
      else if (n < 0 && errno == EAGAIN)
        return;
      else
        end_all (0);
    }
}

static void
add_leftover (uint32_t id,
              pid_t    pgid)
{
  if (n_leftovers == MAX_LEFTOVERS)
    {
      /* No room to give it its grace: it gets none. */
      kill (-pgid, SIGKILL);
      return;
    }
  leftovers[n_leftovers++] = (Leftover) { id, pgid, now_ms () + grace_ms };
}

/* Drops the groups that ended, KILLs those past their grace. Checking often keeps the time in
 * which a group's number could be reused (only once it has no member) as short as we can. */
static void
check_leftovers (void)
{
  int64_t now = now_ms ();
  unsigned kept = 0;

  if (n_leftovers == 0 || now < next_leftover_check)
    return;
  for (unsigned i = 0; i < n_leftovers; i++)
    {
      Leftover *l = &leftovers[i];

      if (!group_exists (l->pgid))
        continue;
      if (now >= l->kill_at)
        {
          kill (-l->pgid, SIGKILL);
          continue;
        }
      leftovers[kept++] = *l;
    }
  n_leftovers = kept;
  next_leftover_check = now + LEFTOVER_CHECK_MS;
}

static void
leader_ended (int                  status,
              const struct rusage *ru)
{
  PmSlotExited *e = &job.exited;

  job.reaped = 1;
  e->job = job.id;
  e->how = WIFSIGNALED (status) ? PM_SLOT_EXIT_SIGNAL : PM_SLOT_EXIT_CODE;
  e->code = WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status);
  e->utime_us = (uint64_t)ru->ru_utime.tv_sec * 1000000 + (uint64_t)ru->ru_utime.tv_usec;
  e->stime_us = (uint64_t)ru->ru_stime.tv_sec * 1000000 + (uint64_t)ru->ru_stime.tv_usec;
  e->maxrss_kib = (uint64_t)ru->ru_maxrss;   /* Linux counts it in KiB */
  e->flags = 0;

  if (group_exists (job.pid))
    {
      kill (-job.pid, SIGTERM);
      kill (-job.pid, SIGCONT);
      add_leftover (job.id, job.pid);
      e->flags |= PM_SLOT_EXIT_LEFTOVERS;
    }
  job.drain_until = now_ms () + DRAIN_MS;
}

/* All our children are jobs' leaders; wait4 (-1) also takes any we did not expect. */
static void
reap (void)
{
  struct rusage ru;
  int status;
  pid_t pid;

  while ((pid = wait4 (-1, &status, WNOHANG, &ru)) > 0)
    if (pid == job.pid && !job.reaped)
      leader_ended (status, &ru);
}

static void
close_pipe (int i)
{
  if (job.pipes[i] >= 0)
    close (job.pipes[i]);
  job.pipes[i] = -1;
}

/* One read of the job's stream i: the bytes go to the pool exactly as read. */
static ssize_t
read_pipe (int i)
{
  ssize_t n = read (job.pipes[i], chunk, sizeof chunk);

  if (n > 0)
    check_queued (pm_slot_encode_output (&out, i == 0 ? PM_SLOT_STDOUT : PM_SLOT_STDERR,
                                         chunk, (size_t)n));
  else if (n == 0 || (errno != EAGAIN && errno != EINTR))
    close_pipe (i);
  return n;
}

static void
finish_job (void)
{
  /* Past the drain time a descendant may still hold the pipes: take what is there now. */
  for (int i = 0; i < 2; i++)
    for (int k = 0; k < DRAIN_LAST_CHUNKS && job.pipes[i] >= 0; k++)
      if (read_pipe (i) <= 0)
        break;
  close_pipe (0);
  close_pipe (1);
  check_queued (pm_slot_encode_exited (&out, &job.exited));
  job.pid = 0;
  job.reaped = 0;
}

static size_t
name_length (const char *entry)
{
  return (size_t)(strchrnul (entry, '=') - entry);
}

/* The slot's environment with the START's additions, which replace entries of the same name. */
static char **
job_environment (const PmSlotStart *s)
{
  size_t n = 0, k = 0;
  char **envp;

  while (environ[n])
    n++;
  if (!(envp = malloc ((n + s->envc + 1) * sizeof *envp)))
    return NULL;
  for (size_t i = 0; i < n; i++)
    {
      size_t len = name_length (environ[i]);
      uint32_t j = 0;

      while (j < s->envc &&
             !(name_length (s->env[j]) == len && memcmp (s->env[j], environ[i], len) == 0))
        j++;
      if (j == s->envc)
        envp[k++] = environ[i];
    }
  for (uint32_t j = 0; j < s->envc; j++)
    envp[k++] = (char *)s->env[j];
  envp[k] = NULL;
  return envp;
}

/* execvp's search, done here so that a script without #! can be given to /bin/sh by the path
 * found, and so that the job's own PATH is the one searched. Returns 0 or an errno. */
static int
find_program (const char  *name,
              char *const *envp,
              char        *found,
              size_t       size)
{
  const char *path = "/bin:/usr/bin";
  int err = ENOENT;

  if (strchr (name, '/'))
    return snprintf (found, size, "%s", name) < (int)size ? 0 : ENAMETOOLONG;
  for (char *const *e = envp; *e; e++)
    if (strncmp (*e, "PATH=", 5) == 0)
      {
        path = *e + 5;
        break;
      }
  for (const char *dir = path;; dir++)
    {
      const char *end = strchrnul (dir, ':');
      int len = (int)(end - dir);
      struct stat st;

      if (snprintf (found, size, "%.*s/%s", len ? len : 1, len ? dir : ".", name) < (int)size &&
          stat (found, &st) == 0 && S_ISREG (st.st_mode))
        {
          if (access (found, X_OK) == 0)
            return 0;
          err = EACCES;
        }
      if (*end == '\0')
        return err;
      dir = end;
    }
}

static void
fail_start (uint32_t    id,
            int         errnum,
            const char *what,
            const char *name)
{
  char message[1024];

  snprintf (message, sizeof message, "cannot %s “%s”: %s", what, name, strerror (errnum));
  check_queued (pm_slot_encode_failed (&out, id, errnum, message));
}

/* The write ends of the job's stdout and stderr pipes, which the pool sent before its START.
 * They are there already (sent first): not finding them means the channel is broken. */
static void
receive_pipes (int fds[4])
{
  char byte;
  union
  {
    char           buffer[CMSG_SPACE (2 * sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { &byte, 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
  struct cmsghdr *cmsg;
  ssize_t n;

  do
    n = recvmsg (PM_SLOT_PASS_FD, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  cmsg = n == 1 ? CMSG_FIRSTHDR (&msg) : NULL;
  if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
      cmsg->cmsg_len != CMSG_LEN (2 * sizeof (int)) || (msg.msg_flags & MSG_CTRUNC))
    broken ("START without the pipes it said it passed");
  memcpy (&fds[1], CMSG_DATA (cmsg), sizeof (int));
  memcpy (&fds[3], (char *)CMSG_DATA (cmsg) + sizeof (int), sizeof (int));
}

static void
start_job (const PmSlotStart *s)
{
  int capture = (s->flags & PM_SLOT_START_CAPTURE) != 0;
  int direct_out = (s->flags & PM_SLOT_START_DIRECT_STDOUT) != 0;
  int direct_err = (s->flags & PM_SLOT_START_DIRECT_STDERR) != 0;
  int passed = capture && (s->flags & PM_SLOT_START_PASSED_OUTPUT) != 0;
  int fds[4] = { -1, -1, -1, -1 };   /* stdout read, write; stderr read, write */
  int dir = -1, input = -1, err;
  char path[PATH_MAX];
  char **envp, **sh_argv = NULL;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t none;
  pid_t pid;

  grace_ms = s->grace_ms;
  if (passed && !have_pass_fd)
    broken ("START with passed pipes, but the pool gave no socket to pass them on");
  if (passed)
    receive_pipes (fds);
  if (!(envp = job_environment (s)))
    check_queued (-1);

  /* Each step that can fail is done here rather than in the child, so the message says which. */
  if (s->cwd[0] && (dir = open (s->cwd, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    {
      fail_start (s->job, errno, "change to", s->cwd);
      goto out;
    }
  if ((err = find_program (s->argv[0], envp, path, sizeof path)))
    {
      fail_start (s->job, err, "run", s->argv[0]);
      goto out;
    }
  if (s->stdin_path[0] &&
      (input = openat (dir >= 0 ? dir : AT_FDCWD, s->stdin_path, O_RDONLY | O_CLOEXEC)) < 0)
    {
      fail_start (s->job, errno, "open", s->stdin_path);
      goto out;
    }
  if (direct_out && !have_direct_fd)
    {
      fail_start (s->job, EBADF, "give the pool's output to", s->argv[0]);
      goto out;
    }
  if ((capture && !passed && !direct_out && pipe2 (fds, O_CLOEXEC) < 0) ||
      (capture && !passed && !direct_err && pipe2 (fds + 2, O_CLOEXEC) < 0))
    {
      fail_start (s->job, errno, "run", s->argv[0]);
      goto out;
    }

  sigemptyset (&none);
  posix_spawn_file_actions_init (&actions);
  posix_spawnattr_init (&attr);
  if ((dir >= 0 && (err = posix_spawn_file_actions_addfchdir_np (&actions, dir))) ||
      (err = posix_spawn_file_actions_adddup2 (&actions, input >= 0 ? input : devnull, 0)) ||
      (err = posix_spawn_file_actions_adddup2 (&actions, direct_out ? PM_SLOT_DIRECT_FD
                                                          : fds[1] >= 0 ? fds[1] : devnull, 1)) ||
      (!direct_err &&
       (err = posix_spawn_file_actions_adddup2 (&actions, fds[3] >= 0 ? fds[3] : devnull, 2))) ||
      (err = posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                              POSIX_SPAWN_SETSIGMASK)) ||
      (err = posix_spawnattr_setpgroup (&attr, 0)) ||
      (err = posix_spawnattr_setsigdefault (&attr, &changed)) ||
      (err = posix_spawnattr_setsigmask (&attr, &none)))
    ;
  else if ((err = posix_spawn (&pid, path, &actions, &attr, (char **)s->argv, envp)) == ENOEXEC)
    {
      /* What execvp does with a script without #!: the shell reads it. */
      if (!(sh_argv = malloc (((size_t)s->argc + 2) * sizeof *sh_argv)))
        check_queued (-1);
      sh_argv[0] = "/bin/sh";
      sh_argv[1] = path;
      memcpy (sh_argv + 2, s->argv + 1, (size_t)s->argc * sizeof *sh_argv);
      err = posix_spawn (&pid, "/bin/sh", &actions, &attr, sh_argv, envp);
    }
  posix_spawn_file_actions_destroy (&actions);
  posix_spawnattr_destroy (&attr);

  if (err)
    {
      fail_start (s->job, err, "run", s->argv[0]);
      goto out;
    }
  /* The job's ends of its pipes are the job's alone: the pool sees their end once it exits */
  for (int i = 1; i < 4; i += 2)
    if (fds[i] >= 0)
      {
        close (fds[i]);
        fds[i] = -1;
      }
  job = (Job) { .id = s->job, .pid = pid, .pipes = { fds[0], fds[2] } };
  fds[0] = fds[2] = -1;
  for (int i = 0; i < 2; i++)
    if (job.pipes[i] >= 0)
      fcntl (job.pipes[i], F_SETFL, O_NONBLOCK);
  check_queued (pm_slot_encode_started (&out, s->job, (uint32_t)pid));

out:
  for (int i = 0; i < 4; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  if (dir >= 0)
    close (dir);
  if (input >= 0)
    close (input);
  free (sh_argv);
  free (envp);
}

static void
signal_job (const PmSlotSignal *sig)
{
  if (sig->signum == 0)
    return;
  if (job.pid && sig->job == job.id && !job.reaped)
    {
      kill (-job.pid, sig->signum);
      for (uint32_t i = 0; i < sig->n_pids; i++)
        {
          pid_t pid = (pid_t)pm_slot_signal_pid (sig, i);

          /* 0 would be our own group, -1 everyone: only plain PIDs. */
          if (pid > 1 && pid != getpid ())
            kill (pid, sig->signum);
        }
    }
  else if (sig->signum == SIGKILL || sig->signum == SIGTERM)
    {
      for (unsigned i = 0; i < n_leftovers; i++)
        if (leftovers[i].job == sig->job)
          kill (-leftovers[i].pgid, sig->signum);
    }
}

static void
handle_frame (const PmSlotFrame *frame)
{
  PmSlotStart start;
  PmSlotSignal sig;

  switch (frame->type)
    {
    case PM_SLOT_START:
      if (pm_slot_decode_start (frame, &start) < 0)
        {
          pm_slot_start_clear (&start);
          broken ("broken message from the pool");
        }
      if (job.pid)
        {
          pm_slot_start_clear (&start);
          broken ("START while a job runs: the pool and the slot disagree");
        }
      start_job (&start);
      pm_slot_start_clear (&start);
      break;

    case PM_SLOT_SIGNAL:
      if (pm_slot_decode_signal (frame, &sig) < 0)
        broken ("broken message from the pool");
      signal_job (&sig);
      break;

    default:
      broken ("a message only a slot sends came from the pool");
    }
}

static void
read_pool (void)
{
  ssize_t n = read (STDIN_FILENO, chunk, sizeof chunk);
  PmSlotFrame frame;
  size_t used, done = 0;
  int r;

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return;
  if (n <= 0)
    end_all (0);
  check_queued (pm_slot_buf_append (&in, chunk, (size_t)n));
  while ((r = pm_slot_frame_next (in.data + done, in.len - done, &frame, &used)) == 1)
    {
      handle_frame (&frame);
      done += used;
    }
  if (r < 0)
    broken ("broken message from the pool");
  pm_slot_buf_consume (&in, done);
}

static void
read_signals (void)
{
  struct signalfd_siginfo info;

  while (read (sigfd, &info, sizeof info) == sizeof info)
    {
      if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGHUP)
        end_all (0);
      /* PDEATHSIG also comes when the pool's thread that started us ends: only a new parent
       * means the pool died. */
      if (info.ssi_signo == POOL_DIED_SIGNAL && getppid () != parent)
        end_all (0);
    }
  reap ();
}

static void
set_up (void)
{
  sigset_t handled;
  int fd;

  /* 0, 1 and 2 must be open, or a pipe made later could take one's place. */
  while ((fd = open ("/dev/null", O_RDWR)) >= 0 && fd <= STDERR_FILENO)
    ;
  if (fd >= 0)
    close (fd);

  /* Descriptors we inherited (another slot's channel, say) would keep pipes open. Kept only
   * where the pool said it gave them: its stdout (never handed to a job but as its stdout) and
   * the socket it passes the jobs' pipes on. */
  have_direct_fd = getenv (PM_SLOT_DIRECT_ENV) != NULL &&
                   fcntl (PM_SLOT_DIRECT_FD, F_SETFD, FD_CLOEXEC) == 0;
  have_pass_fd = getenv (PM_SLOT_PASS_ENV) != NULL &&
                 fcntl (PM_SLOT_PASS_FD, F_SETFD, FD_CLOEXEC) == 0;
  unsetenv (PM_SLOT_DIRECT_ENV);
  unsetenv (PM_SLOT_PASS_ENV);
  if (!have_direct_fd)
    close (PM_SLOT_DIRECT_FD);
  if (!have_pass_fd)
    close (PM_SLOT_PASS_FD);
  if (close_range (PM_SLOT_PASS_FD + 1, ~0U, 0) < 0)
    {
      struct rlimit rl;

      getrlimit (RLIMIT_NOFILE, &rl);
      for (rlim_t i = PM_SLOT_PASS_FD + 1; i < rl.rlim_cur && i < 65536; i++)
        close ((int)i);
    }
  devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);

  /* The pool decides what Ctrl+C in its terminal means; SIGCHLD must not be ignored (as it may
   * be inherited), or children would be reaped without their status. */
  signal (SIGPIPE, SIG_IGN);
  signal (SIGINT, SIG_IGN);
  signal (SIGQUIT, SIG_IGN);
  signal (SIGCHLD, SIG_DFL);
  sigemptyset (&handled);
  sigaddset (&handled, SIGCHLD);
  sigaddset (&handled, SIGTERM);
  sigaddset (&handled, SIGHUP);
  sigaddset (&handled, POOL_DIED_SIGNAL);
  sigprocmask (SIG_BLOCK, &handled, NULL);
  sigfd = signalfd (-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
  if (devnull < 0 || sigfd < 0)
    {
      perror ("pool-slot");
      exit (1);
    }
  changed = handled;
  sigaddset (&changed, SIGPIPE);
  sigaddset (&changed, SIGINT);
  sigaddset (&changed, SIGQUIT);

  /* The signal is blocked already, so one sent between these lines waits in sigfd. */
  parent = getppid ();
  prctl (PR_SET_PDEATHSIG, POOL_DIED_SIGNAL);
  if (getppid () != parent)
    exit (0);

  fcntl (STDIN_FILENO, F_SETFL, fcntl (STDIN_FILENO, F_GETFL) | O_NONBLOCK);
  fcntl (STDOUT_FILENO, F_SETFL, fcntl (STDOUT_FILENO, F_GETFL) | O_NONBLOCK);
  check_queued (pm_slot_encode_hello (&out, (uint32_t)getpid ()));
  flush_out ();
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && strcmp (argv[1], "--version") == 0)
    {
      printf ("pool-slot (Pool Monitor) %s, protocol %d\n%s\n"
              "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
              "This is free software: you are free to change and redistribute it.\n"
              "There is NO WARRANTY, to the extent permitted by law.\n",
              PACKAGE_VERSION, PM_SLOT_PROTOCOL_VERSION, PM_COPYRIGHT);
      return 0;
    }
  if (argc == 2 && strcmp (argv[1], "--serve") == 0)
    pm_slot_serve ();
  else if (argc > 1 || isatty (STDIN_FILENO))
    {
      fputs ("usage: pool-slot [--version | --serve]  (Pool Monitor starts "
             "it and speaks to it through a pipe)\n", stderr);
      return 2;
    }

  set_up ();
  for (;;)
    {
      struct pollfd fds[5] = { { STDIN_FILENO, POLLIN, 0 }, { sigfd, POLLIN, 0 } };
      int at_pipe[2] = { -1, -1 };
      nfds_t n = 2;
      int timeout = -1;
      int64_t now = now_ms ();

      if (out.len > 0)
        fds[n++] = (struct pollfd) { STDOUT_FILENO, POLLOUT, 0 };
      for (int i = 0; i < 2; i++)
        if (job.pipes[i] >= 0 && out.len <= BACKLOG_MAX)
          {
            at_pipe[i] = (int)n;
            fds[n++] = (struct pollfd) { job.pipes[i], POLLIN, 0 };
          }
      if (job.pid && job.reaped)
        timeout = job.drain_until > now ? (int)(job.drain_until - now) : 0;
      if (n_leftovers > 0 && (timeout < 0 || timeout > LEFTOVER_CHECK_MS))
        timeout = LEFTOVER_CHECK_MS;

      if (poll (fds, n, timeout) < 0 && errno != EINTR)
        broken ("poll failed");

      if (fds[1].revents)
        read_signals ();
      if (fds[0].revents)
        read_pool ();
      for (int i = 0; i < 2; i++)
        if (at_pipe[i] >= 0 && fds[at_pipe[i]].revents && job.pipes[i] >= 0)
          read_pipe (i);
      if (job.pid && job.reaped &&
          ((job.pipes[0] < 0 && job.pipes[1] < 0) || now_ms () >= job.drain_until))
        finish_job ();
      check_leftovers ();
      flush_out ();
    }
}
