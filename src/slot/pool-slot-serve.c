/* pool-slot-serve.c: a host's slot server (pool-slot --serve) and the pool's end of one of its
 * slots (pool-slot --connect SOCKET)
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
 * forwarding: a channel, not a session, so no login shell per slot). The socket is in a 0700 dir
 * of a random name under $XDG_RUNTIME_DIR, else ~/.cache/pool-monitor; its path is said on
 * stdout. A connection is served by a child that runs the slot loop on it, as a slot started
 * through ssh runs it on its stdin and stdout. When our stdin ends (the pool, or its connection,
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

/* --connect: the pool's end of a slot served by --serve. Both ways non-blocking with a buffer
 * each, so that a pool that holds its output still gets its control messages through. The end
 * of our stdin is passed on (the slot then ends), the end of the socket ends us: the channel was
 * lost, and the pool sees the slot die. */
int
pm_slot_relay (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  static char up[1 << 16], down[1 << 16];
  size_t up_len = 0, down_len = 0;
  int in_open = 1;
  int sock;

  if (strlen (path) >= sizeof addr.sun_path)
    {
      fputs ("pool-slot: the socket path is too long\n", stderr);
      return 1;
    }
  memcpy (addr.sun_path, path, strlen (path) + 1);
  if ((sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
      connect (sock, (struct sockaddr *)&addr, sizeof addr) < 0)
    {
      fprintf (stderr, "pool-slot: cannot reach the host's slot server: %s\n", strerror (errno));
      return 1;
    }
  signal (SIGPIPE, SIG_IGN);
  fcntl (sock, F_SETFL, fcntl (sock, F_GETFL) | O_NONBLOCK);
  fcntl (STDIN_FILENO, F_SETFL, fcntl (STDIN_FILENO, F_GETFL) | O_NONBLOCK);
  fcntl (STDOUT_FILENO, F_SETFL, fcntl (STDOUT_FILENO, F_GETFL) | O_NONBLOCK);

  for (;;)
    {
      struct pollfd fds[4];
      int at_in = -1, at_out = -1, at_sock_w = -1;
      nfds_t n = 0;
      short sock_events = 0;
      ssize_t r;

      if (in_open > 0 && up_len < sizeof up)
        {
          at_in = (int)n;
          fds[n++] = (struct pollfd) { STDIN_FILENO, POLLIN, 0 };
        }
      if (down_len > 0)
        {
          at_out = (int)n;
          fds[n++] = (struct pollfd) { STDOUT_FILENO, POLLOUT, 0 };
        }
      if (down_len < sizeof down)
        sock_events |= POLLIN;
      if (up_len > 0)
        sock_events |= POLLOUT;
      /* With nothing to ask of the socket (our buffer for the pool full, nothing to send), it
       * is left out: a hung-up socket would wake poll() at once, again and again. */
      at_sock_w = (int)n;
      fds[n++] = (struct pollfd) { sock_events != 0 ? sock : -1, sock_events, 0 };

      if (poll (fds, n, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return 1;
        }
      if (at_in >= 0 && fds[at_in].revents)
        {
          r = read (STDIN_FILENO, up + up_len, sizeof up - up_len);
          if (r > 0)
            up_len += (size_t)r;
          else if (r == 0 || (errno != EAGAIN && errno != EINTR))
            in_open = 0;
        }
      if (fds[at_sock_w].revents & (POLLOUT | POLLERR | POLLHUP) && up_len > 0)
        {
          r = write (sock, up, up_len);
          if (r > 0)
            {
              memmove (up, up + r, up_len - (size_t)r);
              up_len -= (size_t)r;
            }
          else if (r < 0 && errno != EAGAIN && errno != EINTR)
            return 0;
        }
      if (in_open == 0 && up_len == 0)
        {
          shutdown (sock, SHUT_WR);
          in_open = -1;
        }
      if (fds[at_sock_w].revents & (POLLIN | POLLERR | POLLHUP) && down_len < sizeof down)
        {
          r = read (sock, down + down_len, sizeof down - down_len);
          if (r > 0)
            down_len += (size_t)r;
          else if (r == 0 || (errno != EAGAIN && errno != EINTR))
            {
              /* what is left goes out first, blocking: nothing else is to be done */
              fcntl (STDOUT_FILENO, F_SETFL, fcntl (STDOUT_FILENO, F_GETFL) & ~O_NONBLOCK);
              for (size_t at = 0; at < down_len; at += (size_t)r)
                if ((r = write (STDOUT_FILENO, down + at, down_len - at)) <= 0)
                  break;
              if (in_open > 0)
                fputs ("pool-slot: the connection to the host's slot server closed\n", stderr);
              return 0;
            }
        }
      if (at_out >= 0 && fds[at_out].revents)
        {
          r = write (STDOUT_FILENO, down, down_len);
          if (r > 0)
            {
              memmove (down, down + r, down_len - (size_t)r);
              down_len -= (size_t)r;
            }
          else if (r < 0 && errno != EAGAIN && errno != EINTR)
            return 0;
        }
    }
}
