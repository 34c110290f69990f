/* pm-pool-files.c
 *
 * Files moved to and from remote hosts around their jobs, as GNU parallel's --basefile,
 * --transferfile, --return, --cleanup and --workdir:
 *
 * - The job's working dir on a remote host is its --wd (made with mkdir -p; relative to the
 *   login dir), else the login dir. "..." is a dir of its own under
 *   $XDG_CACHE_HOME/pool-monitor/tmp/ there, removed with --cleanup. On this machine the --wd
 *   is made here and the job runs in it; nothing else is moved for a local job.
 * - A file to transfer goes to the same path relative to that dir (an absolute one to the same
 *   path); in "dir/./sub/file", the part after "/./" is the path there. A missing file fails
 *   the job (retried under --retries) before it starts.
 * - A file to return comes back after the job to the same relative path here ("dir/./sub/file"
 *   comes from sub/file there to dir/sub/file here); a missing one fails the job, which GNU
 *   parallel does not (it keeps the exit value): a result that did not come back is a failure.
 * - --cleanup removes, after the job, what was transferred and returned there, the dirs that
 *   held them once empty, and a "..." dir.
 * - Basefiles go to each remote host once before its first job (and again after the host was
 *   lost and prepared anew): its lanes take no job until then. A basefile that cannot be sent
 *   marks the host down with the reason. (pool-run removes them at the end with --cleanup.)
 *
 * Every move goes through the host's own ssh command (pm-host-run.c, where the runs to a host
 * share one connection), a file at a time: with rsync where it is on both ends, else `cat
 * >FILE` there with the file as its input and `cat FILE` there into a file here, which needs
 * nothing but a POSIX shell there. Either way a file lands whole or not at all. The job's START
 * waits for its files, its lane held; its slot process starts meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pm-job-private.h"
#include "pm-pool-internal.h"

#define TEMP_WORKDIR "..."
#define REMOTE_TMP   "\"${XDG_CACHE_HOME:-$HOME/.cache}\"/pool-monitor/tmp/"

typedef struct
{
  char *script;
  char *stdin_path;    /* sent as the script's input */
  char *stdout_path;   /* the script's output goes there (a temporary name)… */
  char *final_path;    /* …renamed to this once it all came */
  char *what;          /* for the error: the file */
  gboolean print_wd;   /* its output ends with the working dir's absolute path */
  char *remote;        /* not a script: rsync copies stdin_path to this file there, or this
                        * file to stdout_path (relative to the working dir) */
} Step;

static void
step_free (Step *step)
{
  /* What came of a return that did not end (cancelled by a stop, or its host lost); after a
   * return that ended it is renamed already. */
  if (step->stdout_path != NULL)
    g_unlink (step->stdout_path);
  g_free (step->script);
  g_free (step->stdin_path);
  g_free (step->stdout_path);
  g_free (step->final_path);
  g_free (step->what);
  g_free (step->remote);
  g_free (step);
}

void
_pm_pool_files_free (PoolFiles *files)
{
  g_strfreev (files->basefiles);
  g_clear_pointer (&files->transfer, pm_template_unref);
  g_clear_pointer (&files->returns, pm_template_unref);
  g_clear_pointer (&files->workdir, pm_template_unref);
  g_free (files);
}

/**
 * pm_pool_set_files:
 * @self: a #PmPool, not running
 * @basefiles: (nullable): files sent to each remote host before its first job
 * @transfer: (nullable): the files sent before each remote job, a word each
 * @returns: (nullable): the files brought back after each remote job, a word each
 * @workdir: (nullable): the jobs' working dir, one word ("..." for a dir of each job's own)
 * @cleanup: whether what was sent and brought back is removed there after each job
 * @error: return location for a #GError
 *
 * See the top of pm-pool-files.c. Fails when a relative basefile goes with "...", as in GNU
 * parallel (no dir is common to the jobs).
 */
gboolean
pm_pool_set_files (PmPool              *self,
                   const char * const  *basefiles,
                   PmTemplate          *transfer,
                   PmTemplate          *returns,
                   PmTemplate          *workdir,
                   gboolean             cleanup,
                   GError             **error)
{
  PoolFiles *files;

  g_return_val_if_fail (PM_IS_POOL (self), FALSE);
  g_return_val_if_fail (self->state == PM_POOL_STATE_IDLE, FALSE);

  if (workdir != NULL && g_str_equal (pm_template_get_words (workdir)[0], TEMP_WORKDIR))
    for (guint i = 0; basefiles != NULL && basefiles[i] != NULL; i++)
      if (!g_path_is_absolute (basefiles[i]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("the basefile “%s” is relative, and the working dir “...” differs "
                         "for each job"), basefiles[i]);
          return FALSE;
        }

  g_clear_pointer (&self->files, _pm_pool_files_free);
  if ((basefiles == NULL || basefiles[0] == NULL) && transfer == NULL && returns == NULL &&
      workdir == NULL)
    return TRUE;
  files = g_new0 (PoolFiles, 1);
  files->basefiles = g_strdupv ((char **)basefiles);
  files->transfer = transfer != NULL ? pm_template_ref (transfer) : NULL;
  files->returns = returns != NULL ? pm_template_ref (returns) : NULL;
  files->workdir = workdir != NULL ? pm_template_ref (workdir) : NULL;
  files->cleanup = cleanup;
  self->files = files;
  return TRUE;
}

/* Where a named file is there (relative to the working dir, or absolute), and here */
static void
split_name (const char  *name,
            char       **there,
            char       **here)
{
  const char *mark = strstr (name, "/./");

  while (g_str_has_prefix (name, "./"))
    name += 2;
  if (mark != NULL)
    {
      *there = g_strdup (mark + 3);
      *here = g_strdup_printf ("%.*s/%s", (int)(mark - name), name, mark + 3);
    }
  else
    {
      *there = g_strdup (name);
      *here = g_strdup (name);
    }
}

/* The file from standard input to @there (its dir made if need be), whole or not at all: a
 * job, or another host on the same machine, never sees it half written. cat ends alike when
 * the input ends and when ssh goes (a stop, a lost connection): only a copy of @size bytes is
 * kept. */
static void
append_put (GString    *script,
            const char *there,
            mode_t      mode,
            goffset     size)
{
  g_autofree char *quoted = g_shell_quote (there);
  g_autofree char *dir = g_path_get_dirname (there);
  g_autofree char *quoted_dir = g_shell_quote (dir);
  g_autofree char *cut = g_shell_quote (_("the copy was cut short"));

  /* (wc may pad its count with blanks: unquoted, the shell drops them) */
  g_string_append_printf (script, "mkdir -p -- %s && t=%s.pool-run.$$ && cat >\"$t\" && "
                          "{ [ $(wc -c <\"$t\") -eq %" G_GINT64_FORMAT " ] || "
                          "{ rm -f -- \"$t\"; echo %s >&2; exit 1; }; } && "
                          "chmod %o -- \"$t\" && mv -f -- \"$t\" %s",
                          quoted_dir, quoted, (gint64)size, cut, (unsigned)(mode & 07777),
                          quoted);
}

/* The shell words that go to the working dir there (made when missing), or "" for none */
static char *
enter_workdir (const char *workdir)
{
  g_autofree char *quoted = NULL;

  if (workdir == NULL)
    return g_strdup ("");
  quoted = g_shell_quote (workdir);
  return g_strdup_printf ("mkdir -p -- %s && cd -- %s && ", quoted, quoted);
}

/* A file that can be sent; else FALSE and why */
static gboolean
check_local (const char  *path,
             mode_t      *mode,
             goffset     *size,
             char       **why)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      *why = g_strdup_printf (_("cannot transfer “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      *why = g_strdup_printf (_("cannot transfer “%s”: it is not a regular file"), path);
      return FALSE;
    }
  *mode = st.st_mode;
  *size = st.st_size;
  return TRUE;
}

static void run_steps (Running *running);

static void
step_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = pm_host_run_finish (PM_HOST (object), result, &error);
  Running *running;
  Step *step;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the job is gone (its host was lost, or the pool) */
  running = user_data;
  step = g_ptr_array_index (running->steps, 0);

  if (out == NULL)
    {
      g_autofree char *why = NULL;

      if (step->stdout_path != NULL)
        g_unlink (step->stdout_path);
      why = step->stdin_path != NULL
            ? g_strdup_printf (_("cannot transfer “%s” to %s: %s"), step->what,
                               pm_job_get_host (running->job), error->message)
            : step->final_path != NULL
            ? g_strdup_printf (_("cannot return “%s” from %s: %s"), step->what,
                               pm_job_get_host (running->job), error->message)
            : step->print_wd
            ? g_strdup_printf (_("cannot make the working dir on %s: %s"),
                               pm_job_get_host (running->job), error->message)
            : g_strdup_printf (_("cannot clean up on %s: %s"),
                               pm_job_get_host (running->job), error->message);
      _pm_running_files_failed (running, why);
      return;
    }
  if (step->print_wd)
    {
      g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
      guint n = g_strv_length (lines);

      g_free (running->cwd);
      running->cwd = n > 0 ? g_strdup (g_strstrip (lines[n - 1])) : NULL;
    }
  if (step->final_path != NULL && g_rename (step->stdout_path, step->final_path) != 0)
    {
      int saved = errno;
      g_autofree char *why = g_strdup_printf (_("cannot return “%s”: %s"), step->final_path,
                                              g_strerror (saved));
      g_unlink (step->stdout_path);
      _pm_running_files_failed (running, why);
      return;
    }
  g_ptr_array_remove_index (running->steps, 0);
  run_steps (running);
}

/* The next step, or, once none is left, the job goes on: its START before it, its end after */
static void
run_steps (Running *running)
{
  Step *step;

  if (running->steps->len == 0)
    {
      if (!running->started)
        _pm_running_send_start (running);
      else
        _pm_running_finish (running, running->end_state, running->end_status,
                            running->end_signal);
      return;
    }
  step = g_ptr_array_index (running->steps, 0);
  if (step->final_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (step->final_path);

      g_mkdir_with_parents (dir, 0777);
    }
  if (!step->print_wd && step->remote == NULL && running->cwd != NULL)
    {
      g_autofree char *quoted = g_shell_quote (running->cwd);
      g_autofree char *body = step->script;

      step->script = g_strdup_printf ("cd -- %s && %s", quoted, body);
    }
  if (step->remote != NULL)
    {
      g_autofree char *remote = running->cwd != NULL && !g_path_is_absolute (step->remote)
                                ? g_build_filename (running->cwd, step->remote, NULL)
                                : g_strdup (step->remote);

      pm_host_copy_async (running->slot->host, step->stdin_path != NULL,
                          step->stdin_path != NULL ? step->stdin_path : step->stdout_path,
                          remote, running->files_cancel, step_done_cb, running);
      return;
    }
  pm_host_run_async (running->slot->host, step->script, step->stdin_path, step->stdout_path,
                     running->files_cancel, step_done_cb, running);
}

/* The working dir the job's --wd names, or NULL */
static char *
job_workdir (PmPool  *self,
             PmJob   *job,
             gboolean remote)
{
  g_auto(GStrv) words = NULL;
  const char *host;

  if (self->files->workdir == NULL)
    return NULL;
  words = _pm_job_expand_words (job, self->files->workdir, pm_job_get_slot (job));
  if (words[0] == NULL || words[0][0] == '\0')
    return NULL;
  if (!g_str_equal (words[0], TEMP_WORKDIR))
    return g_strdup (words[0]);
  host = g_get_host_name ();
  if (remote)
    return g_strdup_printf ("%s-%d-%u", host, (int)getpid (), pm_job_get_seq (job));
  return g_strdup_printf ("%s/pool-monitor/tmp/%s-%d-%u", g_get_user_cache_dir (), host,
                          (int)getpid (), pm_job_get_seq (job));
}

static gboolean
is_temp_workdir (PmPool *self)
{
  return self->files->workdir != NULL &&
         g_str_equal (pm_template_get_words (self->files->workdir)[0], TEMP_WORKDIR);
}

typedef struct
{
  Running      *running;
  GCancellable *cancellable;
  char         *why;
} Failure;

static gboolean
fail_cb (gpointer user_data)
{
  Failure *failure = user_data;

  if (!g_cancellable_is_cancelled (failure->cancellable))
    _pm_running_files_failed (failure->running, failure->why);
  g_object_unref (failure->cancellable);
  g_free (failure->why);
  g_free (failure);
  return G_SOURCE_REMOVE;
}

/* The job fails with @why, from the main loop: the pool is filling its lanes now, and a job's
 * end fills them too. Returns PM_FILES_PENDING. */
static PmFilesStep
fail_soon (Running    *running,
           const char *why)
{
  Failure *failure = g_new0 (Failure, 1);

  if (running->files_cancel == NULL)
    running->files_cancel = g_cancellable_new ();
  failure->running = running;
  failure->cancellable = g_object_ref (running->files_cancel);
  failure->why = g_strdup (why);
  g_idle_add_full (PM_POOL_IO_PRIORITY, fail_cb, failure, NULL);
  return PM_FILES_PENDING;
}

/**
 * _pm_pool_files_before:
 *
 * Before the job's START: its working dir, made, and its files, sent. PM_FILES_PENDING: START
 * is sent once they are, or the job fails soon with the reason.
 */
PmFilesStep
_pm_pool_files_before (Running *running)
{
  PmPool *self = running->pool;
  PmJob *job = running->job;
  gboolean remote = running->remote;
  g_autofree char *workdir = job_workdir (self, job, remote);
  g_auto(GStrv) names = NULL;
  g_autofree char *enter = NULL;
  gboolean temp = is_temp_workdir (self);
  gboolean rsync;
  Step *first;

  if (!remote)
    {
      /* This machine: the dir is made here; nothing is moved. */
      if (workdir != NULL && g_mkdir_with_parents (workdir, 0777) != 0)
        {
          int saved = errno;
          g_autofree char *why = g_strdup_printf (_("cannot make the working dir “%s”: %s"),
                                                  workdir, g_strerror (saved));
          return fail_soon (running, why);
        }
      running->cwd = g_steal_pointer (&workdir);
      return PM_FILES_NONE;
    }

  if (self->files->transfer != NULL)
    names = _pm_job_expand_words (job, self->files->transfer, pm_job_get_slot (job));
  if (workdir == NULL && (names == NULL || names[0] == NULL))
    return PM_FILES_NONE;

  running->steps = g_ptr_array_new_with_free_func ((GDestroyNotify)step_free);
  running->sent = g_ptr_array_new_with_free_func (g_free);
  running->files_cancel = g_cancellable_new ();
  rsync = pm_host_can_rsync (running->slot->host);

  /* The first step goes to the dir (made if need be), says where it is, and sends the first
   * file; the others go to that dir (run_steps()). */
  if (temp)
    {
      g_autofree char *quoted = g_shell_quote (workdir);

      enter = g_strdup_printf ("d=" REMOTE_TMP "%s && mkdir -p -- \"$d\" && cd -- \"$d\" && ",
                               quoted);
    }
  else
    {
      enter = enter_workdir (workdir);
    }
  first = g_new0 (Step, 1);
  first->print_wd = TRUE;
  g_ptr_array_add (running->steps, first);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *there = NULL;
      g_autofree char *here = NULL;
      g_autofree char *why = NULL;
      g_autoptr(GString) script = g_string_new (NULL);
      mode_t mode = 0644;
      goffset size = 0;
      Step *step;

      if (names[i][0] == '\0')
        continue;
      split_name (names[i], &there, &here);
      if (!check_local (names[i], &mode, &size, &why))
        return fail_soon (running, why);
      if (rsync)
        {
          g_ptr_array_add (running->steps, step = g_new0 (Step, 1));
          step->remote = g_strdup (there);
        }
      else
        {
          /* the first file goes with the first step */
          if (first->stdin_path == NULL)
            step = first;
          else
            g_ptr_array_add (running->steps, step = g_new0 (Step, 1));
          append_put (script, there, mode, size);
          step->script = g_string_free (g_steal_pointer (&script), FALSE);
        }
      step->stdin_path = g_strdup (names[i]);
      step->what = g_strdup (names[i]);
      g_ptr_array_add (running->sent, g_steal_pointer (&there));
    }
  if (rsync && !temp && running->steps->len > 1)
    {
      /* rsync makes the dirs it copies to: the working dir needs no run of its own (it is
       * the --wd as given, relative to the login dir, as the file runs' and the slot's). */
      g_ptr_array_remove_index (running->steps, 0);
      running->cwd = g_steal_pointer (&workdir);
    }
  else
    {
      g_autofree char *body = first->script;

      first->script = g_strconcat (enter, "pwd", body != NULL ? " && " : "", body, NULL);
    }
  run_steps (running);
  return PM_FILES_PENDING;
}

/**
 * _pm_pool_files_after:
 *
 * After the job's EXITED: its files, brought back, and what was moved there, removed.
 * PM_FILES_PENDING: the job ends once that is done.
 */
PmFilesStep
_pm_pool_files_after (Running *running)
{
  PmPool *self = running->pool;
  PmJob *job = running->job;
  g_auto(GStrv) names = NULL;
  gboolean temp;

  if (self->files == NULL || !running->remote || running->slot == NULL)
    return PM_FILES_NONE;
  temp = is_temp_workdir (self) && running->cwd != NULL;
  if (self->files->returns != NULL)
    names = _pm_job_expand_words (job, self->files->returns, pm_job_get_slot (job));
  if ((names == NULL || names[0] == NULL) &&
      !(self->files->cleanup && ((running->sent != NULL && running->sent->len > 0) || temp)))
    return PM_FILES_NONE;

  if (running->steps == NULL)
    running->steps = g_ptr_array_new_with_free_func ((GDestroyNotify)step_free);
  if (running->sent == NULL)
    running->sent = g_ptr_array_new_with_free_func (g_free);
  if (running->files_cancel == NULL)
    running->files_cancel = g_cancellable_new ();

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *there = NULL;
      g_autofree char *here = NULL;
      g_autofree char *quoted = NULL;
      Step *step;

      if (names[i][0] == '\0')
        continue;
      split_name (names[i], &there, &here);
      quoted = g_shell_quote (there);
      step = g_new0 (Step, 1);
      if (pm_host_can_rsync (running->slot->host))
        step->remote = g_strdup (there);
      else
        step->script = g_strdup_printf ("cat -- %s", quoted);
      step->stdout_path = g_strdup_printf ("%s.pool-run-%d-%u", here, (int)getpid (),
                                           pm_job_get_seq (job));
      step->final_path = g_steal_pointer (&here);
      step->what = g_strdup (there);
      g_ptr_array_add (running->steps, step);
      g_ptr_array_add (running->sent, g_steal_pointer (&there));
    }

  if (self->files->cleanup && (running->sent->len > 0 || temp))
    {
      GString *script = g_string_new (NULL);
      Step *step = g_new0 (Step, 1);

      /* The files, then the dirs that held them once empty (relative ones only: an absolute
       * path's dirs are not ours), then a dir of the job's own. */
      if (running->sent->len > 0)
        {
          g_string_append (script, "rm -f --");
          for (guint i = 0; i < running->sent->len; i++)
            {
              g_autofree char *quoted = g_shell_quote (g_ptr_array_index (running->sent, i));
              g_string_append_printf (script, " %s", quoted);
            }
          g_string_append (script, "; ");
        }
      for (guint i = 0; i < running->sent->len; i++)
        {
          const char *there = g_ptr_array_index (running->sent, i);
          g_autofree char *dir = g_path_get_dirname (there);
          g_autofree char *quoted = g_shell_quote (dir);

          if (!g_path_is_absolute (there) && !g_str_equal (dir, "."))
            g_string_append_printf (script, "rmdir -p -- %s 2>/dev/null; ", quoted);
        }
      if (temp)
        {
          g_autofree char *quoted = g_shell_quote (running->cwd);
          g_string_append_printf (script, "cd / && rm -rf -- %s; ", quoted);
        }
      g_string_append (script, "true");
      step->script = g_string_free (script, FALSE);
      g_ptr_array_add (running->steps, step);
    }
  run_steps (running);
  return PM_FILES_PENDING;
}

/* --basefile: a remote host's lanes take jobs once its basefiles are there */
gboolean
_pm_pool_host_ready (PoolHost *ph)
{
  PmPool *self = ph->pool;

  return self->files == NULL || self->files->basefiles == NULL ||
         self->files->basefiles[0] == NULL || pm_host_is_local (ph->host) || ph->base_sent;
}

typedef struct
{
  PoolHost *ph;
  guint     next;
} BaseSend;

static void send_next_basefile (BaseSend *send);

static void
basefile_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BaseSend *send = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = pm_host_run_finish (PM_HOST (object), result, &error);
  PoolHost *ph;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (send);
      return;   /* the host was lost meanwhile, or the pool went away */
    }
  ph = send->ph;
  if (out == NULL)
    {
      g_autoptr(PmPool) self = g_object_ref (ph->pool);
      g_autofree char *why = g_strdup_printf (_("cannot send the basefile “%s” to %s: %s"),
                                              self->files->basefiles[send->next],
                                              pm_host_get_login (ph->host), error->message);
      g_free (send);
      ph->base_sending = FALSE;
      _pm_pool_host_lost (self, ph->host, why);
      return;
    }
  send->next++;
  send_next_basefile (send);
}

static void
send_next_basefile (BaseSend *send)
{
  PoolHost *ph = send->ph;
  PmPool *self = ph->pool;
  const char *name = self->files->basefiles[send->next];
  g_autofree char *there = NULL;
  g_autofree char *here = NULL;
  g_autofree char *why = NULL;
  g_autofree char *workdir = NULL;
  g_autofree char *enter = NULL;
  g_autoptr(GString) script = g_string_new (NULL);
  mode_t mode = 0644;
  goffset size = 0;

  if (name == NULL)
    {
      g_autoptr(PmPool) pool = g_object_ref (self);

      g_free (send);
      ph->base_sending = FALSE;
      ph->base_sent = TRUE;
      _pm_pool_fill (pool);
      return;
    }
  if (!check_local (name, &mode, &size, &why))
    {
      g_autoptr(PmPool) pool = g_object_ref (self);
      g_autofree char *reason = g_strdup_printf ("%s: %s", pm_host_get_login (ph->host), why);

      g_free (send);
      ph->base_sending = FALSE;
      _pm_pool_host_lost (pool, ph->host, reason);
      return;
    }
  /* The working dir of the jobs, when it is one dir for all; "..." goes with absolute
   * basefiles only (pm_pool_set_files()). */
  if (self->files->workdir != NULL && !is_temp_workdir (self))
    {
      g_auto(GStrv) words = pm_template_expand_words (self->files->workdir,
                                                      (const char *[]){ "", NULL }, 1, 1, 1);

      /* one that differs by job (replacement strings in it): the login dir */
      if (g_strcmp0 (words[0], pm_template_get_words (self->files->workdir)[0]) == 0)
        workdir = g_strdup (words[0]);
    }
  split_name (name, &there, &here);
  if (pm_host_can_rsync (ph->host))
    {
      g_autofree char *remote = workdir != NULL && !g_path_is_absolute (there)
                                ? g_build_filename (workdir, there, NULL) : g_strdup (there);

      pm_host_copy_async (ph->host, TRUE, name, remote, ph->base_cancellable,
                          basefile_sent_cb, send);
      return;
    }
  enter = enter_workdir (workdir);
  g_string_append (script, enter);
  append_put (script, there, mode, size);
  pm_host_run_async (ph->host, script->str, name, NULL, ph->base_cancellable,
                     basefile_sent_cb, send);
}

/* Sends the basefiles to every remote host that is up and lacks them (see the top). */
void
_pm_pool_send_basefiles (PmPool *self)
{
  for (guint i = 0; self->hosts != NULL && i < self->hosts->len; i++)
    {
      PoolHost *ph = g_ptr_array_index (self->hosts, i);
      BaseSend *send;

      if (_pm_pool_host_ready (ph) || ph->base_sending ||
          pm_host_get_state (ph->host) != PM_HOST_STATE_UP)
        continue;
      ph->base_sending = TRUE;
      g_clear_object (&ph->base_cancellable);
      ph->base_cancellable = g_cancellable_new ();
      send = g_new0 (BaseSend, 1);
      send->ph = ph;
      send_next_basefile (send);
    }
}
