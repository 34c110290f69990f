/* pm-cli-bytes.h: moving bytes from one descriptor to another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/uio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Writes all @len bytes of @data to @fd, again after EINTR; FALSE with errno set if it fails */
gboolean pm_cli_write_all      (int          fd,
                                const void  *data,
                                gsize        len);
/* Writes all of @iov's @n pieces, again after EINTR and short writes (it changes @iov as they
 * go out); FALSE with errno set if it fails */
gboolean pm_cli_writev_all     (int           fd,
                                struct iovec *iov,
                                guint         n);
/* Copies @len bytes of the file @src from its start to @fd (sendfile() where it can); FALSE
 * with errno set when writing fails (a file that cannot be read ends the copy short: what was
 * spilled is lost, and said). */
gboolean pm_cli_copy_file      (int          fd,
                                int          src,
                                gsize        len);
gboolean pm_cli_move_from_pipe (int          fd,
                                int          src,
                                gsize        len,
                                gboolean    *may_splice,
                                guint64     *spliced,
                                guint64     *copied);

G_END_DECLS
