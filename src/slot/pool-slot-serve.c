/* pool-slot-serve.c: a host's slot server (pool-slot --serve)
 *
 * Plain C and libc, no GLib, as the rest of pool-slot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "pool-slot-serve.h"

/* --serve: one ssh session starts this on the host; each slot is then a connection to its
 * socket, which the pool reaches through the session's connection (OpenSSH stream-local
 * forwarding: a channel, not a session, so no login shell per slot; the pool's end is a socket
 * of its own, pm-pool-slot.c). The socket is in a 0700 dir of a random name under
 * $XDG_RUNTIME_DIR, else ~/.cache/pool-monitor; its path is said on stdout. A connection is
 * served by a child that runs the slot loop on it, as a slot started through ssh runs it on its
 * stdin and stdout. When our stdin ends (the pool, or its connection,
 * went away) the socket is removed and we exit; each child still sees its own channel close and
 * ends its job's group, and PR_SET_PDEATHSIG (set_up ()) tells it we are gone. */
static char serve_dir[PATH_MAX];
static char serve_path[sizeof ((struct sockaddr_un *)0)->sun_path];

static void
serve_remove (void)
{
  if (serve_path[0] != '\0')
    unlink (serve_path);
  if (serve_dir[0] != '\0')
    rmdir (serve_dir);
}

static void
serve_end_cb (int signo)
{
  serve_remove ();
  _exit (0);
}

void
pm_slot_serve (void)
{
  const char *runtime = getenv ("XDG_RUNTIME_DIR");
  const char *cache = getenv ("XDG_CACHE_HOME");
  const char *home = getenv ("HOME");
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  struct stat st;
  int listener;

  if (runtime != NULL && runtime[0] == '/' && stat (runtime, &st) == 0 &&
      st.st_uid == getuid () && access (runtime, W_OK) == 0)
    snprintf (serve_dir, sizeof serve_dir, "%s/pool-monitor-XXXXXX", runtime);
  else if (cache != NULL && cache[0] == '/')
    snprintf (serve_dir, sizeof serve_dir, "%s/pool-monitor/serve-XXXXXX", cache);
  else
    snprintf (serve_dir, sizeof serve_dir, "%s/.cache/pool-monitor/serve-XXXXXX",
              home != NULL ? home : "");
  if (mkdtemp (serve_dir) == NULL)
    {
      perror ("pool-slot: cannot make the server's dir");
      exit (1);
    }
  if ((size_t)snprintf (serve_path, sizeof serve_path, "%s/s", serve_dir) >= sizeof serve_path)
    {
      serve_path[0] = '\0';
      serve_remove ();
      fputs ("pool-slot: the server's socket path is too long\n", stderr);
      exit (1);
    }
  signal (SIGTERM, serve_end_cb);
  signal (SIGHUP, serve_end_cb);
  signal (SIGPIPE, SIG_IGN);
  signal (SIGCHLD, SIG_IGN);   /* children are reaped by the system */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  memcpy (addr.sun_path, serve_path, strlen (serve_path) + 1);
  if ((listener = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
      bind (listener, (struct sockaddr *)&addr, sizeof addr) < 0 ||
      listen (listener, 128) < 0)
    {
      perror ("pool-slot: cannot listen");
      serve_remove ();
      exit (1);
    }
  printf ("pool-slot-serve %s\n", serve_path);
  fflush (stdout);

  for (;;)
    {
      struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { listener, POLLIN, 0 } };
      int conn;

      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (fds[0].revents)
        {
          char buffer[256];
          ssize_t n = read (STDIN_FILENO, buffer, sizeof buffer);

          if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
            break;
        }
      if (!(fds[1].revents & POLLIN) || (conn = accept4 (listener, NULL, NULL, SOCK_CLOEXEC)) < 0)
        continue;
      switch (fork ())
        {
        case 0:
          {
            int null = open ("/dev/null", O_RDWR);

            signal (SIGTERM, SIG_DFL);
            signal (SIGHUP, SIG_DFL);
            close (listener);
            /* the session's stderr would keep it open after we are gone */
            if (dup2 (conn, STDIN_FILENO) < 0 || dup2 (conn, STDOUT_FILENO) < 0 || null < 0 ||
                dup2 (null, STDERR_FILENO) < 0)
              _exit (1);
            close (conn);
            close (null);
            serve_path[0] = serve_dir[0] = '\0';
            return;
          }
        case -1:
          perror ("pool-slot: cannot serve a slot");
          break;
        default:
          break;
        }
      close (conn);
    }
  serve_remove ();
  exit (0);
}
