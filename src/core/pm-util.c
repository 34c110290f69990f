/* pm-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <linux/close_range.h>

#include <gio/gio.h>

#include "pm-pool.h"
#include "pm-util.h"

/**
 * pm_process_init:
 *
 * Prepares a process that runs a pool. Jobs are spawned with INHERIT_FDS, which keeps
 * GSubprocess on its posix_spawn fast path but lets every descriptor not marked close-on-exec
 * leak into jobs: so mark all inherited ones now. Each running job holds a pidfd and pipe
 * ends, so raise the soft descriptor limit to the hard one. GLib does not ignore SIGPIPE, and a
 * closed terminal must not kill the pool.
 */
void
pm_process_init (void)
{
  struct rlimit rl;

  if (close_range (3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
    {
      g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          int fd = atoi (name);
          if (fd >= 3)
            fcntl (fd, F_SETFD, FD_CLOEXEC);
        }
    }

  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
    }

  signal (SIGPIPE, SIG_IGN);
}

static gboolean
is_executable (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && access (path, X_OK) == 0;
}

/**
 * pm_find_helper:
 * @name: a program of ours, such as "pool-worker"
 *
 * Finds one of our programs: beside the running executable, in the build tree, where it is
 * installed, then in PATH.
 *
 * Returns: (transfer full) (nullable): the program's path, or %NULL
 */
char *
pm_find_helper (const char *name)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe ? g_path_get_dirname (exe) : NULL;
  const char *env_dir = g_getenv ("POOL_MONITOR_HELPER_DIR");
  const char *dirs[] = {
    env_dir,
    exe_dir,
    PM_BUILD_ROOT "/src/worker",
    PM_BUILD_ROOT "/src/exec",
    PM_LIBEXECDIR,
    PM_BINDIR,
  };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;

      if (dirs[i] == NULL)
        continue;
      path = g_build_filename (dirs[i], name, NULL);
      if (is_executable (path))
        return g_steal_pointer (&path);
    }

  return g_find_program_in_path (name);
}

/**
 * pm_cpu_count:
 *
 * Returns: the number of CPUs this process may run on
 */
guint
pm_cpu_count (void)
{
  long n = sysconf (_SC_NPROCESSORS_ONLN);

  return n > 0 ? (guint)n : 1;
}

/**
 * pm_parse_limit:
 * @text: a pool limit: a whole number, or a percentage of the CPU count such as "50%"
 * @error: return location for a #GError
 *
 * Returns: the limit, at least 1, or 0 with @error set
 */
guint
pm_parse_limit (const char  *text,
                GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  gsize len = strlen (copy);
  gboolean percent = len > 0 && copy[len - 1] == '%';
  guint64 value = 0;
  guint64 limit;

  if (percent)
    copy[--len] = '\0';

  if (len == 0 || !g_ascii_string_to_unsigned (copy, 10, 0, G_MAXUINT32, &value, NULL))
    {
      if (len > 0 && copy[0] == '-' && g_ascii_string_to_signed (copy, 10, G_MININT64, -1,
                                                                 NULL, NULL))
        g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                     "The pool limit must be at least 1, not %s", text);
      else
        g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                     "The pool limit “%s” is not a whole number or a percentage", text);
      return 0;
    }

  limit = percent ? value * pm_cpu_count () / 100 : value;
  if (percent && value > 0 && limit == 0)
    limit = 1;

  if (limit == 0)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                   "The pool limit must be at least 1, not %s", text);
      return 0;
    }
  if (limit > PM_POOL_MAX_LIMIT)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                   "The pool limit %s is too large (at most %u)", text, PM_POOL_MAX_LIMIT);
      return 0;
    }

  return (guint)limit;
}
