/* pm-job-details.c
 *
 * Shows one job: it follows the job's notify for its state and the pool's job-output for its
 * output, redrawing the output tail at most once per main-loop turn.
 *
 * Once a run is shown, the job page is laid out once in the background with one of its jobs
 * (pm_job_details_prepare ()), while the pane is still hidden: its styles, its fonts (the
 * monospace one is used nowhere else) and its text view are then ready when the user selects
 * a job, which would otherwise pay for them on that click's frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>

#include "pm-job-details.h"

struct _PmJobDetails
{
  AdwBin       parent_instance;

  PmPool      *pool;
  PmJob       *job;
  gulong       notify_id;
  gulong       output_id;
  guint        output_source;
  guint        prepare_source;
  PmPool      *prepare_pool;    /* weak */

  GtkStack    *stack;
  GtkLabel    *title_label;
  GtkLabel    *status_label;
  GtkLabel    *resources_label;
  GtkLabel    *error_label;
  GtkBox      *argv_box;
  GtkLabel    *env_label;
  GtkLabel    *output_heading;
  GtkTextView *output_view;
  GtkTextTag  *output_tag;
};

G_DEFINE_FINAL_TYPE (PmJobDetails, pm_job_details, ADW_TYPE_BIN)

static void
update_output (PmJobDetails *self)
{
  g_autofree char *output = pm_job_dup_output (self->job);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->output_view);
  guint64 bytes = pm_job_get_output_bytes (self->job);
  g_autofree char *size = g_format_size (bytes);
  g_autofree char *heading = NULL;
  GtkTextIter end;

  if (output != NULL && bytes > strlen (output))
    heading = g_strdup_printf (_("Output (the last lines of %s)"), size);
  else
    heading = g_strdup (_("Output"));
  gtk_label_set_text (self->output_heading, heading);
  gtk_text_buffer_set_text (buffer, "", 0);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert_with_tags (buffer, &end, output ? output : "", -1, self->output_tag,
                                    NULL);
  /* The output is the bounded tail, shown whole: the pane scrolls, not the output in it. */
}

/* What the finished job's attempt cost, from its rusage: CPU time (its parts when known; a
 * joblog keeps only the sum) and peak memory. Empty when nothing is known. */
static void
format_resources (PmJob   *job,
                  GString *out)
{
  gint64 user = pm_job_get_user_time (job);
  gint64 system = pm_job_get_system_time (job);
  gint64 cpu = pm_job_get_cpu_time (job);
  guint64 peak = pm_job_get_peak_memory (job);

  if (!pm_job_state_is_finished (pm_job_get_state (job)))
    return;
  if (user >= 0 && system >= 0)
    g_string_append_printf (out, _("CPU time: user %.3f s, system %.3f s"),
                            user / (double)G_USEC_PER_SEC, system / (double)G_USEC_PER_SEC);
  else if (cpu >= 0)
    g_string_append_printf (out, _("CPU time: %.3f s"), cpu / (double)G_USEC_PER_SEC);
  if (peak > 0)
    {
      g_autofree char *size = g_format_size_full (peak, G_FORMAT_SIZE_IEC_UNITS);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, _("Peak memory: %s"), size);
    }
}

/* Values such as POOL_JOB_NAME=compute-r_0 or a path wrap where they must, with no hyphen added
 * that would read as part of them. */
static void
no_hyphens (GtkLabel *label)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (label, attrs);
}

/* The command as its argv: one selectable monospace line per argument, so where one ends and
 * the next begins is never a guess (an argument may hold spaces). A job read from a joblog
 * knows only its command line (GNU parallel's Command column, a line for the shell): that
 * line, as written, rather than a guess at its words. */
static void
show_argv (PmJobDetails *self,
           PmJob        *job)
{
  const char * const *argv = job != NULL ? pm_job_get_argv (job) : NULL;
  g_autofree char *command = NULL;
  const char *line[2] = { NULL, NULL };
  GtkWidget *child;

  if (job != NULL && argv == NULL)
    {
      line[0] = command = pm_job_dup_command (job);
      argv = line;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->argv_box))) != NULL)
    gtk_box_remove (self->argv_box, child);
  for (guint i = 0; argv != NULL && argv[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (argv[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      no_hyphens (GTK_LABEL (label));
      gtk_widget_add_css_class (label, "monospace");
      /* Lines after the first are the arguments, indented under the program. */
      if (i > 0)
        gtk_widget_set_margin_start (label, 12);
      gtk_box_append (self->argv_box, label);
    }
}

static void
update (PmJobDetails *self)
{
  PmJob *job = self->job;
  PmJobState state;
  g_autofree char *title = NULL;
  g_autoptr(GString) status = g_string_new (NULL);
  g_autoptr(GString) env = g_string_new (NULL);
  g_autoptr(GString) resources = g_string_new (NULL);
  const char *error_message;

  if (job == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "job");

  state = pm_job_get_state (job);
  title = g_strdup_printf ("%u · %s", pm_job_get_seq (job), pm_job_get_name (job));
  gtk_label_set_text (self->title_label, title);

  g_string_append (status, pm_job_state_to_label (state));
  if (pm_job_get_slot (job) > 0)
    g_string_append_printf (status, _(" · slot %u"), pm_job_get_slot (job));
  if (pm_job_get_pid (job) > 0)
    g_string_append_printf (status, _(" · PID %d"), pm_job_get_pid (job));
  if (pm_job_get_slot_pid (job) > 0)
    g_string_append_printf (status, _(" · slot process %d"), pm_job_get_slot_pid (job));
  if (pm_job_get_term_signal (job) > 0)
    g_string_append_printf (status, _(" · ended by SIG%s"),
                            sigabbrev_np (pm_job_get_term_signal (job)) ?: "?");
  else if (pm_job_state_is_finished (state) && pm_job_get_exit_status (job) >= 0)
    g_string_append_printf (status, _(" · exit status %d"), pm_job_get_exit_status (job));
  if (pm_job_state_is_finished (state) && pm_job_get_runtime (job) >= 0)
    g_string_append_printf (status, _(" · ran %.3f s"),
                            pm_job_get_runtime (job) / (double)G_USEC_PER_SEC);
  if (pm_job_get_planned (job) >= 0)
    g_string_append_printf (status, _(" · planned sleep %g s"), pm_job_get_planned (job));
  if (pm_job_get_attempt (job) > 1)
    g_string_append_printf (status, _(" · attempt %u"), pm_job_get_attempt (job));
  gtk_label_set_text (self->status_label, status->str);

  format_resources (job, resources);
  gtk_label_set_text (self->resources_label, resources->str);
  gtk_widget_set_visible (GTK_WIDGET (self->resources_label), resources->len > 0);

  error_message = pm_job_get_error_message (job);
  gtk_label_set_text (self->error_label, error_message ? error_message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error_message != NULL);

  show_argv (self, job);

  g_string_append_printf (env, "POOL_SEQ=%u\n", pm_job_get_seq (job));
  if (pm_job_get_slot (job) > 0)
    g_string_append_printf (env, "POOL_SLOT=%u\n", pm_job_get_slot (job));
  else
    g_string_append_printf (env, "POOL_SLOT=%s\n", _("(set when it starts)"));
  g_string_append_printf (env, "POOL_JOB_NAME=%s", pm_job_get_name (job));
  gtk_label_set_text (self->env_label, env->str);
}

static void
job_notify_cb (PmJobDetails *self,
               GParamSpec   *pspec)
{
  /* Runtime ticks do not notify; anything else may change what is shown. */
  update (self);
}

static gboolean
output_idle_cb (gpointer user_data)
{
  PmJobDetails *self = user_data;

  self->output_source = 0;
  if (self->job != NULL)
    update_output (self);
  return G_SOURCE_REMOVE;
}

static void
job_output_cb (PmJobDetails *self,
               PmJob        *job,
               int           stream,
               GBytes       *line)
{
  if (job == self->job && self->output_source == 0)
    self->output_source = g_idle_add_full (G_PRIORITY_LOW, output_idle_cb, self, NULL);
}

/* Shows the pool's first job in the page and measures it, then shows nothing again; a job
 * selected meanwhile is left alone. */
static gboolean
prepare_cb (gpointer user_data)
{
  PmJobDetails *self = user_data;
  g_autoptr(PmJob) job = NULL;
  int min, nat;

  self->prepare_source = 0;
  if (self->job != NULL || self->prepare_pool == NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (self->prepare_pool)) == 0)
    return G_SOURCE_REMOVE;
  job = g_list_model_get_item (G_LIST_MODEL (self->prepare_pool), 0);
  self->job = job;
  update (self);
  update_output (self);
  gtk_widget_measure (GTK_WIDGET (self->stack), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat,
                      NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->stack), GTK_ORIENTATION_VERTICAL, MAX (nat, 300), &min,
                      &nat, NULL, NULL);
  /* and forgotten: the hidden page keeps no text of that job */
  self->job = NULL;
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->output_view), "", 0);
  gtk_label_set_text (self->title_label, "");
  gtk_label_set_text (self->status_label, "");
  gtk_label_set_text (self->resources_label, "");
  gtk_label_set_text (self->env_label, "");
  show_argv (self, NULL);
  update (self);
  g_clear_weak_pointer (&self->prepare_pool);
  return G_SOURCE_REMOVE;
}

static void
pm_job_details_dispose (GObject *object)
{
  PmJobDetails *self = PM_JOB_DETAILS (object);

  pm_job_details_set_job (self, NULL, NULL);
  g_clear_handle_id (&self->prepare_source, g_source_remove);
  g_clear_weak_pointer (&self->prepare_pool);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PM_TYPE_JOB_DETAILS);

  G_OBJECT_CLASS (pm_job_details_parent_class)->dispose (object);
}

static void
pm_job_details_class_init (PmJobDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pm_job_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/poolmonitor/PoolMonitor/ui/"
                                               "pm-job-details.ui");
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, status_label);
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, resources_label);
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, error_label);
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, argv_box);
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, env_label);
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, output_heading);
  gtk_widget_class_bind_template_child (widget_class, PmJobDetails, output_view);
}

static void
pm_job_details_init (PmJobDetails *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->output_view);
  self->output_tag = gtk_text_buffer_create_tag (buffer, NULL, "insert-hyphens", FALSE, NULL);
  no_hyphens (self->title_label);
  no_hyphens (self->status_label);
  no_hyphens (self->resources_label);
  no_hyphens (self->error_label);
  no_hyphens (self->env_label);
}

GtkWidget *
pm_job_details_new (void)
{
  return g_object_new (PM_TYPE_JOB_DETAILS, NULL);
}

void
pm_job_details_set_job (PmJobDetails *self,
                        PmPool       *pool,
                        PmJob        *job)
{
  g_return_if_fail (PM_IS_JOB_DETAILS (self));

  if (self->job == job && self->pool == pool)
    return;

  if (self->job != NULL)
    g_clear_signal_handler (&self->notify_id, self->job);
  if (self->pool != NULL)
    g_clear_signal_handler (&self->output_id, self->pool);
  g_clear_handle_id (&self->output_source, g_source_remove);
  g_set_object (&self->job, job);
  g_set_object (&self->pool, pool);

  if (job != NULL)
    self->notify_id = g_signal_connect_swapped (job, "notify", G_CALLBACK (job_notify_cb), self);
  if (pool != NULL)
    self->output_id = g_signal_connect_swapped (pool, "job-output",
                                                G_CALLBACK (job_output_cb), self);
  update (self);
  if (job != NULL)
    update_output (self);
}

PmJob *
pm_job_details_get_job (PmJobDetails *self)
{
  g_return_val_if_fail (PM_IS_JOB_DETAILS (self), NULL);
  return self->job;
}

/**
 * pm_job_details_prepare:
 * @self: a #PmJobDetails
 * @pool: (nullable): the run the window shows
 *
 * Lays the job page out once, when the main loop is idle, with a job of @pool, so that the
 * first job the user selects shows without the page's first layout on that frame.
 */
void
pm_job_details_prepare (PmJobDetails *self,
                        PmPool       *pool)
{
  g_return_if_fail (PM_IS_JOB_DETAILS (self));
  g_return_if_fail (pool == NULL || PM_IS_POOL (pool));

  g_clear_handle_id (&self->prepare_source, g_source_remove);
  g_set_weak_pointer (&self->prepare_pool, pool);
  if (pool != NULL)
    self->prepare_source = g_idle_add_full (G_PRIORITY_LOW, prepare_cb, self, NULL);
}
