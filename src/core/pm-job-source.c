/* pm-job-source.c
 *
 * A job source makes a pool's jobs as the pool pulls them, from input sources as GNU parallel
 * reads them: a count, a list of values (:::), files and streams (::::, -a FILE, -a -, standard
 * input, FIFOs), one value per delimited record. Several sources combine as parallel combines
 * them: every combination, the last source varying fastest, or side by side where linked
 * (--link for all, a shorter one wrapping round; :::+ for one with the one before, the
 * shortest ending them). Each
 * combination is a record; -N puts up to N records in a job; --colsep cuts each value into
 * columns.
 *
 * Only the first source is read as it comes: a job is made as soon as its record has arrived,
 * and no more is read than one record ahead (the read-ahead, a chunk). Every other source is
 * read whole at the first pull, since each of its values is needed once per value of the first.
 * A stream that has nothing yet is watched, and "ready" says when the next job can be pulled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "pm-job-source-private.h"

G_DEFINE_FINAL_TYPE (PmJobSource, pm_job_source, G_TYPE_OBJECT)

enum {
  READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
input_free (Input *input)
{
  g_clear_handle_id (&input->watch, g_source_remove);
  if (input->own_fd && input->fd >= 0)
    close (input->fd);
  g_clear_pointer (&input->values, g_ptr_array_unref);
  g_clear_pointer (&input->buf, g_byte_array_unref);
  g_free (input->name);
  g_free (input);
}

static void
pm_job_source_finalize (GObject *object)
{
  PmJobSource *self = (PmJobSource *)object;

  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_clear_pointer (&self->template_, pm_template_unref);
  if (self->make_destroy != NULL)
    self->make_destroy (self->make_data);
  g_clear_pointer (&self->delimiter, g_byte_array_unref);
  g_clear_pointer (&self->colsep, g_regex_unref);
  g_clear_pointer (&self->skip, g_hash_table_unref);
  g_clear_pointer (&self->group_start, g_array_unref);
  g_clear_pointer (&self->index, g_free);
  g_clear_pointer (&self->length, g_free);
  g_clear_pointer (&self->first, g_free);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (pm_job_source_parent_class)->finalize (object);
}

static void
pm_job_source_class_init (PmJobSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pm_job_source_finalize;

  /**
   * PmJobSource::ready:
   * @source: the source
   *
   * A pull that found nothing may now find a job, or the end.
   */
  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pm_job_source_init (PmJobSource *self)
{
  self->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify)input_free);
  self->delimiter = g_byte_array_new ();
  g_byte_array_append (self->delimiter, (const guint8 *)"\n", 1);
  self->max_args = 1;
  self->read_ahead = CHUNK;
  self->pending = g_ptr_array_new_with_free_func (g_free);
  self->known_total = -1;
}

/* Sets the error that ends the source, the first one only. */
void
_pm_job_source_fail (PmJobSource *self,
                     GError      *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

void
_pm_job_source_emit_ready (PmJobSource *self)
{
  g_signal_emit (self, signals[READY], 0);
}

static guint
input_length (Input *input)
{
  return input->kind == INPUT_COUNT ? input->count : input->values->len;
}

static char *
input_value (Input *input,
             guint  j)
{
  guint n = input_length (input);

  if (n == 0)
    return g_strdup ("");
  j %= n;   /* a linked source that is shorter wraps round */
  if (input->kind == INPUT_COUNT)
    return g_strdup_printf ("%u", j + 1);
  return g_strdup (input->values->pdata[j]);
}

static void
prepare (PmJobSource *self)
{
  guint n = self->inputs->len;

  self->prepared = TRUE;
  self->group_start = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n; i++)
    {
      Input *input = self->inputs->pdata[i];

      if (i == 0 || !(self->link || input->linked))
        g_array_append_val (self->group_start, i);
    }
  self->n_groups = self->group_start->len;
  g_array_append_val (self->group_start, n);

  self->index = g_new0 (guint, MAX (self->n_groups, 1));
  self->length = g_new0 (guint, MAX (self->n_groups, 1));
  self->streamed = n > 0 && g_array_index (self->group_start, guint, 1) == 1;

  for (guint g = 0; g < self->n_groups; g++)
    {
      guint first = g_array_index (self->group_start, guint, g);
      guint end = g_array_index (self->group_start, guint, g + 1);

      if (g == 0 && self->streamed)
        continue;
      for (guint i = first; i < end; i++)
        {
          guint len;

          _pm_job_source_read_whole (self, self->inputs->pdata[i]);
          len = input_length (self->inputs->pdata[i]);
          /* --link wraps a shorter source round; :::+ stops with the shortest, as parallel */
          if (i == first || self->link)
            self->length[g] = MAX (self->length[g], len);
          else
            self->length[g] = MIN (self->length[g], len);
        }
      if (self->length[g] == 0)
        self->exhausted = TRUE;
    }

  if (n == 0 || self->error != NULL)
    self->exhausted = TRUE;

  /* Without a stream to come first, the number of jobs is known now. */
  if (n > 0 && (!self->streamed || ((Input *)self->inputs->pdata[0])->kind != INPUT_STREAM))
    {
      gint64 records = 1;

      for (guint g = 0; g < self->n_groups; g++)
        records *= g == 0 && self->streamed ? input_length (self->inputs->pdata[0])
                                            : self->length[g];
      self->known_total = self->max_args <= 1 ? records
                                              : (records + self->max_args - 1) / self->max_args;
    }
  else if (n == 0)
    {
      self->known_total = 0;
    }
}

static void
add_group_values (PmJobSource *self,
                  guint        g,
                  GPtrArray   *record)
{
  guint first = g_array_index (self->group_start, guint, g);
  guint end = g_array_index (self->group_start, guint, g + 1);

  for (guint i = first; i < end; i++)
    g_ptr_array_add (record, input_value (self->inputs->pdata[i], self->index[g]));
}

/* The next combination of the sources' values, appended to @record. */
static Got
next_record (PmJobSource *self,
             GPtrArray   *record)
{
  guint g;

  if (self->exhausted)
    return ENDED;

  if (self->streamed && self->first == NULL)
    {
      Input *input = self->inputs->pdata[0];
      Got got;

      if (input->kind == INPUT_STREAM)
        got = _pm_job_source_stream_next (self, input, FALSE, &self->first);
      else if (input->next < input_length (input))
        got = GOT_VALUE, self->first = input_value (input, input->next++);
      else
        got = ENDED;

      if (got != GOT_VALUE)
        {
          self->exhausted = got == ENDED;
          return got;
        }
    }
  else if (!self->streamed && self->index[0] >= self->length[0])
    {
      self->exhausted = TRUE;
      return ENDED;
    }

  if (self->streamed)
    g_ptr_array_add (record, g_strdup (self->first));
  else
    add_group_values (self, 0, record);
  for (g = 1; g < self->n_groups; g++)
    add_group_values (self, g, record);

  /* The odometer: the last group turns fastest, the first slowest. */
  for (g = self->n_groups - 1; g >= 1; g--)
    {
      if (++self->index[g] < self->length[g])
        break;
      self->index[g] = 0;
    }
  if (g == 0)
    {
      if (self->streamed)
        g_clear_pointer (&self->first, g_free);
      else
        self->index[0]++;
    }

  return GOT_VALUE;
}

static char *
trim_value (char   *value,
            PmTrim  trim)
{
  char *start = value;
  gsize len = strlen (value);

  if (trim & PM_TRIM_LEFT)
    while (g_ascii_isspace (*start))
      start++, len--;
  if (trim & PM_TRIM_RIGHT)
    while (len > 0 && g_ascii_isspace (start[len - 1]))
      len--;
  memmove (value, start, len);
  value[len] = '\0';
  return value;
}

/* --colsep: each value cut into its columns; --trim: each value or column trimmed */
static void
shape_record (PmJobSource *self,
              GPtrArray   *record)
{
  g_autoptr(GPtrArray) columns = NULL;

  if (self->colsep != NULL)
    {
      columns = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < record->len; i++)
        {
          char **parts = g_regex_split (self->colsep, record->pdata[i], 0);

          if (parts[0] == NULL)
            g_ptr_array_add (columns, g_strdup (""));
          for (guint p = 0; parts[p] != NULL; p++)
            g_ptr_array_add (columns, parts[p]);
          g_free (parts);
        }
      g_ptr_array_set_size (record, 0);
      g_ptr_array_extend_and_steal (record, g_steal_pointer (&columns));
    }
  if (self->trim != PM_TRIM_NONE)
    for (guint i = 0; i < record->len; i++)
      trim_value (record->pdata[i], self->trim);
}

static PmJob *
make_job (PmJobSource *self)
{
  g_autoptr(GPtrArray) values = g_steal_pointer (&self->pending);
  guint width = self->pending_width;

  self->pending = g_ptr_array_new_with_free_func (g_free);
  self->pending_records = 0;
  self->pending_width = 0;

  if (self->max_args == 0)
    g_ptr_array_set_size (values, 0);
  if (width == 0 || values->len % width != 0)
    width = MAX (values->len, 1);
  g_ptr_array_add (values, NULL);

  self->n_made++;
  if (self->make != NULL)
    return self->make (self->seq, (const char * const *)values->pdata, width, self->make_data);
  return pm_job_new_with_values (self->seq, (const char * const *)values->pdata, width,
                                 self->template_);
}

/**
 * pm_job_source_new:
 * @template_: (nullable): the template of the jobs, unless a make function is set
 *
 * Returns: (transfer full): a source without inputs yet
 */
PmJobSource *
pm_job_source_new (PmTemplate *template_)
{
  PmJobSource *self = g_object_new (PM_TYPE_JOB_SOURCE, NULL);

  if (template_ != NULL)
    self->template_ = pm_template_ref (template_);
  return self;
}

void
pm_job_source_set_make_func (PmJobSource         *self,
                             PmJobSourceMakeFunc  func,
                             gpointer             user_data,
                             GDestroyNotify       destroy)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));

  if (self->make_destroy != NULL)
    self->make_destroy (self->make_data);
  self->make = func;
  self->make_data = user_data;
  self->make_destroy = destroy;
}

/**
 * pm_job_source_set_delimiter:
 * @self: a #PmJobSource
 * @delimiter: what ends a value in a file or stream ("\n" by default; -0 is one NUL)
 * @len: its length in bytes, at least 1
 */
void
pm_job_source_set_delimiter (PmJobSource *self,
                             const char  *delimiter,
                             gsize        len)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));
  g_return_if_fail (len >= 1);

  g_byte_array_set_size (self->delimiter, 0);
  g_byte_array_append (self->delimiter, (const guint8 *)delimiter, len);
}

/**
 * pm_job_source_set_column_separator:
 * @self: a #PmJobSource
 * @regex: (nullable): a regular expression between columns, as --colsep
 * @error: return location for a #GError
 *
 * Returns: %FALSE if @regex is not a valid regular expression
 */
gboolean
pm_job_source_set_column_separator (PmJobSource  *self,
                                    const char   *regex,
                                    GError      **error)
{
  GRegex *compiled = NULL;

  g_return_val_if_fail (PM_IS_JOB_SOURCE (self), FALSE);

  if (regex != NULL && !(compiled = g_regex_new (regex, G_REGEX_RAW, 0, error)))
    return FALSE;
  g_clear_pointer (&self->colsep, g_regex_unref);
  self->colsep = compiled;
  return TRUE;
}

/**
 * pm_job_source_set_trim:
 * @self: a #PmJobSource
 * @trim: the ends of each value (or --colsep column) white space is taken from
 */
void
pm_job_source_set_trim (PmJobSource *self,
                        PmTrim       trim)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));
  self->trim = trim;
}

/**
 * pm_job_source_set_max_args:
 * @self: a #PmJobSource
 * @max_args: records in a job, as -N (0: one record read per job, none given to it)
 */
void
pm_job_source_set_max_args (PmJobSource *self,
                            guint        max_args)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));
  self->max_args = max_args;
}

/**
 * pm_job_source_set_max_jobs:
 * @self: a #PmJobSource
 * @max_jobs: the most jobs it makes, or 0 for no cap
 *
 * A source whose input holds more jobs than @max_jobs makes the first @max_jobs and then ends
 * with an error (%G_IO_ERROR_MESSAGE_TOO_LARGE) saying so; what is left of the input is not
 * read. (A front end that keeps every job, the window, cannot hold any number.)
 */
void
pm_job_source_set_max_jobs (PmJobSource *self,
                            guint        max_jobs)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));
  self->max_jobs = max_jobs;
}

/* The cap is reached and the input holds another job: the source ends, saying so */
static void
fail_at_cap (PmJobSource *self)
{
  const char *name = NULL;
  guint n_named = 0;

  /* The input named, where exactly one has a name (a file) */
  for (guint i = 0; i < self->inputs->len; i++)
    {
      const Input *input = self->inputs->pdata[i];

      if (input->name != NULL)
        {
          name = input->name;
          n_named++;
        }
    }
  _pm_job_source_fail (self, n_named == 1
    ? g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("%s holds more than %u jobs: only the first %u were taken"), name,
                   self->max_jobs, self->max_jobs)
    : g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("The input holds more than %u jobs: only the first %u were taken"),
                   self->max_jobs, self->max_jobs));
}

/* --link: every source side by side instead of every combination */
void
pm_job_source_set_link (PmJobSource *self,
                        gboolean     link)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));
  self->link = link;
}

/* How many bytes past a record a stream may be read, at most (a chunk by default) */
void
pm_job_source_set_read_ahead (PmJobSource *self,
                              gsize        bytes)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));
  self->read_ahead = bytes;
}

/**
 * pm_job_source_skip_seqs:
 * @self: a #PmJobSource
 * @seqs: (transfer none): sequence numbers (as GUINT_TO_POINTER) whose jobs are not made
 *
 * For --resume: those jobs keep their numbers, and the others theirs.
 */
void
pm_job_source_skip_seqs (PmJobSource *self,
                         GHashTable  *seqs)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));

  g_clear_pointer (&self->skip, g_hash_table_unref);
  if (seqs != NULL)
    self->skip = g_hash_table_ref (seqs);
}

static Input *
add_input (PmJobSource *self,
           InputKind    kind,
           gboolean     linked)
{
  Input *input = g_new0 (Input, 1);

  g_return_val_if_fail (!self->prepared, input);

  input->kind = kind;
  input->linked = linked;
  input->fd = -1;
  g_ptr_array_add (self->inputs, input);
  return input;
}

/* The values 1 … @count, made as they are needed */
void
pm_job_source_add_count (PmJobSource *self,
                         guint        count)
{
  g_return_if_fail (PM_IS_JOB_SOURCE (self));

  add_input (self, INPUT_COUNT, FALSE)->count = count;
}

/**
 * pm_job_source_add_values:
 * @self: a #PmJobSource
 * @values: (array zero-terminated=1): the values, as after :::
 * @linked: side by side with the source before (:::+)
 */
void
pm_job_source_add_values (PmJobSource        *self,
                          const char * const *values,
                          gboolean            linked)
{
  Input *input;

  g_return_if_fail (PM_IS_JOB_SOURCE (self));

  input = add_input (self, INPUT_VALUES, linked);
  input->values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    g_ptr_array_add (input->values, g_strdup (values[i]));
}

/**
 * pm_job_source_add_fd:
 * @self: a #PmJobSource
 * @fd: a readable descriptor (a pipe, a FIFO, a file, a terminal), which the source does not close
 * @name: what to call it in errors
 * @linked: side by side with the source before (::::+)
 */
void
pm_job_source_add_fd (PmJobSource *self,
                      int          fd,
                      const char  *name,
                      gboolean     linked)
{
  Input *input;

  g_return_if_fail (PM_IS_JOB_SOURCE (self));

  input = add_input (self, INPUT_STREAM, linked);
  input->fd = fd;
  input->name = g_strdup (name);
  input->buf = g_byte_array_new ();
}

/**
 * pm_job_source_add_file:
 * @self: a #PmJobSource
 * @path: a file to read values from, or "-" for standard input
 * @linked: side by side with the source before (::::+)
 * @error: return location for a #GError
 *
 * Opens @path at once, without waiting for a FIFO's writer; it is read as values are pulled.
 *
 * Returns: %FALSE if it cannot be opened
 */
gboolean
pm_job_source_add_file (PmJobSource  *self,
                        const char   *path,
                        gboolean      linked,
                        GError      **error)
{
  g_autofree char *display = NULL;
  int fd;

  g_return_val_if_fail (PM_IS_JOB_SOURCE (self), FALSE);

  if (g_str_equal (path, "-"))
    {
      pm_job_source_add_fd (self, STDIN_FILENO, _("standard input"), linked);
      return TRUE;
    }

  display = g_filename_display_name (path);
  /* Opened without waiting: open () of a FIFO with no writer yet blocks until one comes, and
   * would block the main loop with it. The descriptor blocks again after; reads poll first
   * (pm-job-source-stream.c), and a FIFO is not readable before its first writer has come. */
  do
    fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  while (fd < 0 && errno == EINTR);
  if (fd >= 0)
    fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot read arguments from %s: %s"), display, g_strerror (saved));
      return FALSE;
    }

  pm_job_source_add_fd (self, fd, display, linked);
  ((Input *)self->inputs->pdata[self->inputs->len - 1])->own_fd = TRUE;
  return TRUE;
}

/**
 * pm_job_source_next:
 * @self: a #PmJobSource
 *
 * Makes the next job if its values are there. When they are not there yet, it returns %NULL
 * and emits #PmJobSource::ready once they may be; see pm_job_source_is_done() for the end.
 *
 * Returns: (transfer full) (nullable): the next job, or %NULL
 */
PmJob *
pm_job_source_next (PmJobSource *self)
{
  g_return_val_if_fail (PM_IS_JOB_SOURCE (self), NULL);

  if (!self->prepared)
    prepare (self);

  for (;;)
    {
      guint want = MAX (self->max_args, 1);
      Got got = GOT_VALUE;

      while (self->pending_records < want && self->error == NULL)
        {
          g_autoptr(GPtrArray) record = g_ptr_array_new_with_free_func (g_free);

          if ((got = next_record (self, record)) != GOT_VALUE)
            break;
          shape_record (self, record);
          if (self->pending_records++ == 0)
            self->pending_width = record->len;
          g_ptr_array_extend_and_steal (self->pending, g_steal_pointer (&record));
        }

      if (self->error != NULL || got == NOT_YET || self->pending_records == 0)
        return NULL;

      self->seq++;
      if (self->skip != NULL && g_hash_table_contains (self->skip, GUINT_TO_POINTER (self->seq)))
        {
          g_ptr_array_set_size (self->pending, 0);
          self->pending_records = 0;
          continue;
        }
      if (self->max_jobs > 0 && self->n_made >= self->max_jobs)
        {
          self->seq--;
          fail_at_cap (self);
          return NULL;
        }
      return make_job (self);
    }
}

/**
 * pm_job_source_is_done:
 * @self: a #PmJobSource
 *
 * Returns: %TRUE once every job was made, or reading failed
 */
gboolean
pm_job_source_is_done (PmJobSource *self)
{
  g_return_val_if_fail (PM_IS_JOB_SOURCE (self), TRUE);

  return self->error != NULL || (self->prepared && self->exhausted && self->pending_records == 0);
}

/**
 * pm_job_source_get_error:
 * @self: a #PmJobSource
 *
 * Returns: (nullable): why reading stopped early, if it did
 */
const GError *
pm_job_source_get_error (PmJobSource *self)
{
  g_return_val_if_fail (PM_IS_JOB_SOURCE (self), NULL);
  return self->error;
}

guint
pm_job_source_get_n_made (PmJobSource *self)
{
  g_return_val_if_fail (PM_IS_JOB_SOURCE (self), 0);
  return self->n_made;
}

/**
 * pm_job_source_get_n_total:
 * @self: a #PmJobSource
 *
 * Returns: how many jobs the input holds (skipped ones included), or -1 while that is not
 *   known yet (the input has not ended)
 */
gint64
pm_job_source_get_n_total (PmJobSource *self)
{
  g_return_val_if_fail (PM_IS_JOB_SOURCE (self), -1);

  if (pm_job_source_is_done (self) && self->error == NULL)
    return self->seq;
  return self->known_total;
}

/**
 * pm_job_source_get_n_left:
 * @self: a #PmJobSource
 *
 * Returns: how many jobs were not made yet (skipped ones left out), or -1 if not known
 */
gint64
pm_job_source_get_n_left (PmJobSource *self)
{
  gint64 total = pm_job_source_get_n_total (self);
  gint64 left;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (PM_IS_JOB_SOURCE (self), -1);

  if (total < 0)
    return -1;
  left = total - self->seq;
  if (self->skip != NULL)
    {
      g_hash_table_iter_init (&iter, self->skip);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        left -= GPOINTER_TO_UINT (key) > self->seq && GPOINTER_TO_UINT (key) <= total;
    }
  return MAX (left, 0);
}
