/* pm-cli-tagged.c
 *
 * --tag and --tagstring put a tag in front of each line. The output thread does it as it
 * writes: tag and line are copied into a buffer of STAGE_SIZE on its stack, which goes out
 * whenever it is full. (Before, the main thread made a tagged copy of each chunk in a fresh
 * buffer, looking for each newline twice; a writev() of the tag and the line in turn, without
 * any copy, cost as much again: the kernel's work per piece of 100 bytes, bench/README.md.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/uio.h>

#include "pm-cli-bytes.h"
#include "pm-cli-tagged.h"

#define STAGE_SIZE (64 * 1024)

/**
 * pm_cli_write_tagged:
 * @fd: where to
 * @data: lines, or pieces of them, as the job wrote them
 * @tag: (array length=tag_len): what goes in front of each line
 * @tag_first: whether @data starts a line (else it goes on with one begun before)
 *
 * Writes @data with @tag in front of its first line if @tag_first and of every line that
 * starts after a newline within it: a newline at its very end starts no line yet.
 *
 * Returns: %FALSE with errno set when writing failed
 */
gboolean
pm_cli_write_tagged (int         fd,
                     const char *data,
                     gsize       len,
                     const char *tag,
                     gsize       tag_len,
                     gboolean    tag_first)
{
  char buffer[STAGE_SIZE];
  const char *p = data, *end = data + len;
  gboolean at_start = tag_first;
  gsize used = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize take = nl != NULL ? (gsize)(nl - p) + 1 : (gsize)(end - p);
      gsize need = take + (at_start ? tag_len : 0);

      if (used + need > sizeof buffer && used > 0)
        {
          if (!pm_cli_write_all (fd, buffer, used))
            return FALSE;
          used = 0;
        }
      if (need > sizeof buffer)
        {
          /* A line longer than the buffer goes out from where it is, behind its tag */
          struct iovec iov[2] = { { (void *)tag, at_start ? tag_len : 0 }, { (void *)p, take } };

          if (!pm_cli_writev_all (fd, iov, 2))
            return FALSE;
        }
      else
        {
          if (at_start)
            {
              memcpy (buffer + used, tag, tag_len);
              used += tag_len;
            }
          memcpy (buffer + used, p, take);
          used += take;
        }
      at_start = TRUE;
      p += take;
    }
  return pm_cli_write_all (fd, buffer, used);
}
