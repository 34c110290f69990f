/* pm-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <locale.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <linux/close_range.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "pm-pool-internal.h"
#include "pm-util.h"

/**
 * pm_process_init:
 *
 * Prepares a process that runs a pool. Slot processes are spawned with INHERIT_FDS, which keeps
 * GSubprocess on its posix_spawn fast path but lets every descriptor not marked close-on-exec
 * leak into them: so mark all inherited ones now. Each slot holds a pidfd and pipe ends, so
 * raise the soft descriptor limit to the hard one. GLib does not ignore SIGPIPE, and a
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

/**
 * pm_i18n_init:
 *
 * Sets the locale from the environment and binds our gettext domain to the installed
 * translations (the configured localedir). A program that runs from its build tree
 * (pm_build_dir()) looks elsewhere: in $POOL_MONITOR_LOCALEDIR when that is set (the
 * pseudo-locale test compiles its catalogue into a folder of its own), else in the build
 * tree's po/, where meson's i18n module writes the compiled catalogues.
 */
void
pm_i18n_init (void)
{
  g_autofree char *build_dir = pm_build_dir ();
  g_autofree char *uninstalled = NULL;

  setlocale (LC_ALL, "");
  if (build_dir != NULL)
    {
      const char *override = g_getenv ("POOL_MONITOR_LOCALEDIR");

      uninstalled = override != NULL && *override != '\0'
                    ? g_strdup (override)
                    : g_build_filename (build_dir, "po", NULL);
    }
  bindtextdomain (GETTEXT_PACKAGE, uninstalled != NULL ? uninstalled : PM_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static gboolean
is_executable (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && access (path, X_OK) == 0;
}

/* The meson build directory this program runs from, or NULL when it runs from anywhere else
 * (installed). The program's own directory and up to two above it (src/cli/, src/app/,
 * tests/gtk/ …) are looked at for meson-private/, which only a build directory has: an
 * installed program (/usr/bin/pool-run, or a DESTDIR staged inside a build tree) is never
 * taken for a built one. */
static char *
running_build_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;

  /* A program rebuilt while it runs: its old self is no build tree's any more. */
  if (exe == NULL || !g_path_is_absolute (exe) || g_str_has_suffix (exe, " (deleted)"))
    return NULL;
  dir = g_path_get_dirname (exe);
  for (guint up = 0; up <= 2; up++)
    {
      g_autofree char *marker = g_build_filename (dir, "meson-private", "coredata.dat", NULL);
      char *parent;

      if (g_file_test (marker, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&dir);
      parent = g_path_get_dirname (dir);
      if (strcmp (parent, dir) == 0)
        {
          g_free (parent);
          break;
        }
      g_free (dir);
      dir = parent;
    }
  return NULL;
}

/**
 * pm_build_dir:
 *
 * The meson build directory whose files this program uses instead of the installed ones (its
 * helpers, settings schema and translations): the one $POOL_MONITOR_BUILD_DIR names (the
 * tests and `meson devenv` set it), else the one the program itself runs from
 * (./build/src/app/pool-monitor, as `make run` runs it). An installed program has none.
 *
 * Returns: (transfer full) (nullable): the build directory, or %NULL
 */
char *
pm_build_dir (void)
{
  const char *build_env = g_getenv ("POOL_MONITOR_BUILD_DIR");

  if (build_env != NULL && *build_env != '\0')
    return g_strdup (build_env);
  return running_build_dir ();
}

/* Where pm_find_helper() looks for @name, in order */
static GPtrArray *
helper_paths (const char *name)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *build_dir = pm_build_dir ();

  if (build_dir != NULL)
    {
      g_ptr_array_add (paths, g_build_filename (build_dir, "src", "slot", name, NULL));
      g_ptr_array_add (paths, g_build_filename (build_dir, "src", "worker", name, NULL));
    }
  else
    {
      g_ptr_array_add (paths, g_build_filename (PM_LIBEXECDIR, "pool-monitor", name, NULL));
    }
  return paths;
}

/**
 * pm_find_helper_full:
 * @name: a program of ours, such as "pool-worker" or "pool-slot"
 * @error: return location for a #GError
 *
 * Finds one of our helper programs. An installed program runs only what was installed with
 * it: the helper in the configured libexecdir, in pool-monitor/, and nowhere else (not PATH,
 * not beside the executable). A program that runs from its meson build directory
 * (./build/src/cli/pool-run) runs that build tree's helpers, and only those, as it does when
 * $POOL_MONITOR_BUILD_DIR names a build directory (the tests and `meson devenv` set it).
 *
 * Returns: (transfer full) (nullable): the program's path, or %NULL with @error
 *   (%G_IO_ERROR_NOT_FOUND) saying where it looked
 */
char *
pm_find_helper_full (const char  *name,
                     GError     **error)
{
  g_autoptr(GPtrArray) paths = helper_paths (name);
  g_autofree char *where = NULL;

  for (guint i = 0; i < paths->len; i++)
    if (is_executable (paths->pdata[i]))
      return g_strdup (paths->pdata[i]);

  g_ptr_array_add (paths, NULL);
  where = g_strjoinv (_(" nor "), (char **)paths->pdata);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("%s is not installed: there is no %s"), name, where);
  return NULL;
}

/**
 * pm_find_helper:
 * @name: a program of ours, such as "pool-worker" or "pool-slot"
 *
 * As pm_find_helper_full(), without saying where it looked.
 *
 * Returns: (transfer full) (nullable): the program's path, or %NULL
 */
char *
pm_find_helper (const char *name)
{
  return pm_find_helper_full (name, NULL);
}

/**
 * pm_find_program:
 * @program: a command's first word: a name looked up in PATH, or a path
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the program's path, or %NULL with @error saying why it
 *   cannot run (%G_SPAWN_ERROR_NOENT, %G_SPAWN_ERROR_ACCES)
 */
char *
pm_find_program (const char  *program,
                 GError     **error)
{
  gboolean has_slash = strchr (program, '/') != NULL;

  if (!has_slash)
    {
      char *found = g_find_program_in_path (program);
      if (found != NULL)
        return found;
    }
  else if (is_executable (program))
    {
      return g_strdup (program);
    }

  if (has_slash && g_file_test (program, G_FILE_TEST_EXISTS))
    g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_ACCES,
                 _("Cannot run “%s”: it is not an executable file"), program);
  else
    g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
                 _("Cannot run “%s”: no such command"), program);
  return NULL;
}

/**
 * pm_cpu_count:
 *
 * Returns: the number of CPUs this process may run on
 */
guint
pm_cpu_count (void)
{
  long online = sysconf (_SC_NPROCESSORS_ONLN);
  long configured = sysconf (_SC_NPROCESSORS_CONF);
  int n_cpus = (int)MAX (MAX (online, configured), 1024);
  cpu_set_t *set = CPU_ALLOC (n_cpus);
  size_t size = CPU_ALLOC_SIZE (n_cpus);
  int count = 0;

  /* The CPUs this process may run on (taskset, cgroup cpusets), as nproc counts them: GLib
   * 2.74's g_get_num_processors() counts the online ones (taskset -c 0 gave it 2 where nproc
   * said 1). */
  if (set != NULL && sched_getaffinity (0, size, set) == 0)
    count = CPU_COUNT_S (size, set);
  if (set != NULL)
    CPU_FREE (set);
  if (count <= 0)
    count = online > 0 ? (int)online : 1;

  return (guint)count;
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
                     _("The pool limit must be at least 1, not %s"), text);
      else
        g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                     _("The pool limit “%s” is not a whole number or a percentage"), text);
      return 0;
    }

  limit = percent ? value * pm_cpu_count () / 100 : value;
  if (percent && value > 0 && limit == 0)
    limit = 1;

  if (limit == 0)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                   _("The pool limit must be at least 1, not %s"), text);
      return 0;
    }
  if (limit > PM_POOL_MAX_LIMIT)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID_LIMIT,
                   _("The pool limit %s is too large (at most %u)"), text, PM_POOL_MAX_LIMIT);
      return 0;
    }

  return (guint)limit;
}

static const struct {
  const char *name;
  int         signum;
} signal_names[] = {
  { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
  { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
  { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "ALRM", SIGALRM },
};

/**
 * pm_signal_from_name:
 * @name: "TERM", "SIGTERM" or "15"
 *
 * Returns: the signal number, or 0 if @name names none
 */
int
pm_signal_from_name (const char *name)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (name, 10, 1, NSIG - 1, &number, NULL))
    return (int)number;
  if (g_ascii_strncasecmp (name, "SIG", 3) == 0)
    name += 3;
  for (guint i = 0; i < G_N_ELEMENTS (signal_names); i++)
    if (g_ascii_strcasecmp (name, signal_names[i].name) == 0)
      return signal_names[i].signum;
  return 0;
}

/* GNU parallel's --termseq: "TERM,200,TERM,100,TERM,50,KILL,25", signal then milliseconds. */
GArray *
_pm_term_seq_parse (const char  *text,
                    GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (PmTermStep));
  guint n = g_strv_length (parts);

  if (n == 0 || n % 2 != 0)
    {
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID,
                   _("The kill sequence “%s” is not SIGNAL,MS pairs such as TERM,200,KILL,25"),
                   text ? text : "");
      return NULL;
    }

  for (guint i = 0; i < n; i += 2)
    {
      PmTermStep step;
      guint64 ms;

      step.signum = pm_signal_from_name (g_strstrip (parts[i]));
      if (step.signum == 0 ||
          !g_ascii_string_to_unsigned (g_strstrip (parts[i + 1]), 10, 0, 3600 * 1000, &ms, NULL))
        {
          g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID,
                       _("The kill sequence “%s” has a bad step “%s,%s”"), text, parts[i],
                       parts[i + 1]);
          return NULL;
        }
      step.delay_ms = (guint)ms;
      g_array_append_val (steps, step);
    }

  return g_steal_pointer (&steps);
}

/**
 * pm_timeout_parse:
 * @text: as GNU parallel's --timeout: seconds (fractions allowed, 0 or empty for none) or a
 *   whole percentage of the median runtime of the succeeded jobs, such as "200%"
 * @msec: (out): the timeout in milliseconds, 0 when none or a percentage
 * @percent: (out): the percentage, 0 when seconds
 * @error: return location for a #GError
 *
 * Leading and trailing white space is ignored.
 *
 * Returns: %TRUE if @text was understood
 */
gboolean
pm_timeout_parse (const char  *text,
                  guint       *msec,
                  guint       *percent,
                  GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text ? text : ""));
  gsize len = strlen (stripped);
  char *end = NULL;
  double value;

  *msec = 0;
  *percent = 0;
  if (len == 0)
    return TRUE;

  value = g_ascii_strtod (stripped, &end);
  if (len > 1 && stripped[len - 1] == '%' && end == stripped + len - 1)
    {
      if (value >= 1 && value <= PM_TIMEOUT_MAX_PERCENT && value == (double)(guint)value)
        {
          *percent = (guint)value;
          return TRUE;
        }
      g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID,
                   _("A timeout percentage must be a whole number from 1%% to %u%%, not “%s”"),
                   PM_TIMEOUT_MAX_PERCENT, stripped);
      return FALSE;
    }
  if (end == stripped + len && value >= 0 && value <= PM_TIMEOUT_MAX_SECONDS)
    {
      *msec = value > 0 ? MAX (1, (guint)(value * 1000)) : 0;
      return TRUE;
    }
  g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID,
               _("The timeout must be seconds from 0 to %u, or a percentage such as 200%%, "
               "not “%s”"), PM_TIMEOUT_MAX_SECONDS, stripped);
  return FALSE;
}

/**
 * pm_halt_parse:
 * @text: as GNU parallel's --halt: "never", "now,fail=1", "soon,fail=30%", "now,success=1",
 *   "soon,done=5", or the short forms 0, 1 (soon,fail=1), 2 (now,fail=1), -1 (soon,success=1),
 *   -2 (now,success=1) and N% (soon,fail=N%)
 * @halt: (out): the policy
 * @error: return location for a #GError
 *
 * Returns: %TRUE if @text was understood
 */
gboolean
pm_halt_parse (const char  *text,
               PmHalt      *halt,
               GError     **error)
{
  g_auto(GStrv) parts = NULL;
  const char *value;
  gsize len;
  guint64 number;

  *halt = (PmHalt) { PM_HALT_NEVER, PM_HALT_ON_FAIL, 0, 0 };
  if (text == NULL || g_strcmp0 (text, "never") == 0 || g_strcmp0 (text, "0") == 0)
    return TRUE;
  /* GNU parallel's shorthands: 1 and 2 are soon and now on the first failure, -1 and -2 on
   * the first success, N% is soon,fail=N% */
  if (g_strcmp0 (text, "1") == 0 || g_strcmp0 (text, "2") == 0)
    {
      *halt = (PmHalt) { text[0] == '1' ? PM_HALT_SOON : PM_HALT_NOW, PM_HALT_ON_FAIL, 1, 0 };
      return TRUE;
    }
  if (g_strcmp0 (text, "-1") == 0 || g_strcmp0 (text, "-2") == 0)
    {
      *halt = (PmHalt) { text[1] == '1' ? PM_HALT_SOON : PM_HALT_NOW, PM_HALT_ON_SUCCESS, 1, 0 };
      return TRUE;
    }
  if (g_ascii_isdigit (text[0]) && g_str_has_suffix (text, "%"))
    {
      g_autofree char *longer = g_strconcat ("soon,fail=", text, NULL);
      if (pm_halt_parse (longer, halt, NULL))
        return TRUE;
      goto bad;
    }

  parts = g_strsplit (text, ",", 2);
  if (g_strv_length (parts) != 2)
    goto bad;

  if (g_strcmp0 (parts[0], "now") == 0)
    halt->when = PM_HALT_NOW;
  else if (g_strcmp0 (parts[0], "soon") == 0)
    halt->when = PM_HALT_SOON;
  else
    goto bad;

  if (g_str_has_prefix (parts[1], "fail="))
    halt->on = PM_HALT_ON_FAIL, value = parts[1] + 5;
  else if (g_str_has_prefix (parts[1], "success="))
    halt->on = PM_HALT_ON_SUCCESS, value = parts[1] + 8;
  else if (g_str_has_prefix (parts[1], "done="))
    halt->on = PM_HALT_ON_DONE, value = parts[1] + 5;
  else
    goto bad;

  len = strlen (value);
  if (len > 1 && value[len - 1] == '%')
    {
      g_autofree char *digits = g_strndup (value, len - 1);
      if (!g_ascii_string_to_unsigned (digits, 10, 1, 100, &number, NULL))
        goto bad;
      halt->percent = (guint)number;
    }
  else
    {
      if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT32, &number, NULL))
        goto bad;
      halt->count = (guint)number;
    }
  return TRUE;

bad:
  *halt = (PmHalt) { PM_HALT_NEVER, PM_HALT_ON_FAIL, 0, 0 };
  g_set_error (error, PM_POOL_ERROR, PM_POOL_ERROR_INVALID,
               _("The halt policy “%s” is not like now,fail=1 or soon,fail=30%% (when: now or "
               "soon; on: fail, success or done)"), text);
  return FALSE;
}

/**
 * pm_dup_text:
 * @data: bytes a job wrote
 * @len: how many
 *
 * Returns: (transfer full): @data as text that can be shown: NUL bytes as U+2400 (␀), bytes
 *   that are not UTF-8 as U+FFFD
 */
char *
pm_dup_text (const char *data,
             gsize       len)
{
  g_autoptr(GString) text = NULL;
  const char *p = data, *end = data + len;

  if (memchr (data, '\0', len) == NULL)
    return g_utf8_make_valid (data, len);

  text = g_string_sized_new (len + 8);
  while (p < end)
    {
      const char *nul = memchr (p, '\0', end - p);
      g_autofree char *valid = g_utf8_make_valid (p, (nul ? nul : end) - p);

      g_string_append (text, valid);
      if (nul == NULL)
        break;
      g_string_append (text, "\u2400");
      p = nul + 1;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
