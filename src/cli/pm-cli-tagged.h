/* pm-cli-tagged.h: a chunk of a job's lines written with a tag in front of each line */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean pm_cli_write_tagged (int         fd,
                              const char *data,
                              gsize       len,
                              const char *tag,
                              gsize       tag_len,
                              gboolean    tag_first);

G_END_DECLS
