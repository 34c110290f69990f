/* pm-job-source-private.h: a job source's insides, shared by pm-job-source.c (sources,
 * records and jobs) and pm-job-source-stream.c (reading streams value by value)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "pm-job-source.h"

G_BEGIN_DECLS

#define CHUNK (64 * 1024)

typedef enum
{
  INPUT_VALUES,
  INPUT_COUNT,
  INPUT_STREAM,
} InputKind;

typedef struct
{
  InputKind   kind;
  gboolean    linked;      /* to the source before it */
  char       *name;
  GPtrArray  *values;      /* INPUT_VALUES (a stream read whole becomes one) */
  guint       count;       /* INPUT_COUNT: the values 1 … count */
  guint       next;        /* streamed: the next value's index */
  int         fd;          /* INPUT_STREAM */
  gboolean    own_fd;
  GByteArray *buf;
  gsize       start;       /* where the first value not taken begins in buf */
  gsize       scanned;     /* no delimiter in buf before this */
  gboolean    eof;
  guint       watch;
} Input;

typedef enum
{
  GOT_VALUE,
  NOT_YET,
  ENDED,
} Got;

struct _PmJobSource
{
  GObject              parent_instance;

  PmTemplate          *template_;
  PmJobSourceMakeFunc  make;
  gpointer             make_data;
  GDestroyNotify       make_destroy;
  GByteArray          *delimiter;
  GRegex              *colsep;
  PmTrim               trim;
  guint                max_args;
  guint                max_jobs;    /* 0: no cap */
  gboolean             link;
  gsize                read_ahead;
  GHashTable          *skip;
  GPtrArray           *inputs;     /* Input */

  /* From the first pull on */
  gboolean             prepared;
  GArray              *group_start; /* guint: each group's first input, then the end */
  guint                n_groups;
  gboolean             streamed;    /* the first group is one source, read as it comes */
  guint               *index;       /* by group: the odometer */
  guint               *length;      /* by group: how many values */
  char                *first;       /* streamed: the first source's value of the moment */
  gboolean             exhausted;   /* no record left */
  gint64               known_total; /* jobs in all, -1 until known */
  GPtrArray           *pending;     /* the values of a job not whole yet */
  guint                pending_records;
  guint                pending_width;
  guint                seq;
  guint                n_made;
  GError              *error;
};

void _pm_job_source_fail        (PmJobSource  *self,
                                 GError       *error);
void _pm_job_source_emit_ready  (PmJobSource  *self);
Got  _pm_job_source_stream_next (PmJobSource  *self,
                                 Input        *input,
                                 gboolean      wait,
                                 char        **value);
void _pm_job_source_read_whole  (PmJobSource  *self,
                                 Input        *input);

G_END_DECLS
