/* pm-cli-bytes.c: moving bytes from one descriptor to another, in the kernel where it can
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "pm-cli-bytes.h"

gboolean
pm_cli_write_all (int         fd,
                  const void *data,
                  gsize       len)
{
  const char *p = data;

  while (len > 0)
    {
      gssize n = write (fd, p, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      p += n, len -= n;
    }
  return TRUE;
}

/* Writes all of @iov (@n pieces, which it changes as they go out), IOV_MAX at a time */
gboolean
pm_cli_writev_all (int           fd,
                   struct iovec *iov,
                   guint         n)
{
  guint first = 0;

  while (first < n)
    {
      gssize written = writev (fd, iov + first, MIN (n - first, (guint)IOV_MAX));

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        return FALSE;
      while (first < n && (gsize)written >= iov[first].iov_len)
        written -= iov[first++].iov_len;
      if (first < n)
        {
          iov[first].iov_base = (char *)iov[first].iov_base + written;
          iov[first].iov_len -= written;
        }
    }
  return TRUE;
}

gboolean
pm_cli_copy_file (int   fd,
                  int   src,
                  gsize len)
{
  char buffer[64 * 1024];
  off_t offset = 0;

  /* In the kernel where it can (sendfile() to a pipe or a file references or copies the
   * file's cached pages); through memory where it cannot (EINVAL: a file opened to append) */
  while ((gsize)offset < len)
    {
      gssize n = sendfile (fd, src, &offset, len - offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
    }
  while ((gsize)offset < len)
    {
      gssize n = pread (src, buffer, MIN (sizeof buffer, len - offset), offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_printerr ("pool-run: %s\n", _("a job's output kept in a temporary file could not be read back"));
          return TRUE;
        }
      if (!pm_cli_write_all (fd, buffer, n))
        return FALSE;
      offset += n;
    }
  return TRUE;
}

/**
 * pm_cli_move_from_pipe:
 * @fd: where to, or -1 to drop them
 * @src: a job's pipe that holds at least @len bytes
 * @may_splice: (inout): whether @fd takes splice(); cleared when it turns out not to
 * @spliced: (inout) (optional): counts the bytes moved by splice()…
 * @copied: (inout) (optional): …and through memory
 *
 * Takes @len bytes out of @src and writes them to @fd (none once writing failed: they still
 * leave the pipe). splice() moves them in the kernel; where it cannot (a file opened to append,
 * a destination without it), they go through memory.
 *
 * Returns: %FALSE with errno set when writing failed
 */
gboolean
pm_cli_move_from_pipe (int       fd,
                       int       src,
                       gsize     len,
                       gboolean *may_splice,
                       guint64  *spliced,
                       guint64  *copied)
{
  char buffer[64 * 1024];
  gboolean ok = fd >= 0;
  int saved = 0;

  while (len > 0)
    {
      gssize n;

      if (ok && *may_splice)
        {
          n = splice (src, NULL, fd, NULL, len, SPLICE_F_MOVE);
          if (n > 0)
            {
              len -= n;
              if (spliced != NULL)
                *spliced += n;
              continue;
            }
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0 && errno == EAGAIN)
            {
              /* @fd is full (and non-blocking, or @src is: the kernel then does not wait) */
              struct pollfd pfd = { fd, POLLOUT, 0 };

              poll (&pfd, 1, -1);
              continue;
            }
          if (n < 0 && errno == EINVAL)
            {
              *may_splice = FALSE;
              continue;
            }
          ok = FALSE;
          saved = n < 0 ? errno : EIO;
          continue;
        }
      n = read (src, buffer, MIN (len, sizeof buffer));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;   /* not there after all: the pool reads what is left */
      if (ok && !pm_cli_write_all (fd, buffer, n))
        {
          ok = FALSE;
          saved = errno;
        }
      len -= n;
      if (copied != NULL)
        *copied += n;
    }
  errno = saved;
  return ok || fd < 0;
}
