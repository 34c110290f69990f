/* pm-about.c: the About window, built from the AppStream metainfo in the GResource
 *
 * libadwaita 1.4 reads the metainfo itself (adw_about_window_new_from_appdata); 1.2, our floor,
 * does not, so this reads it with GMarkup: the name, summary, developer, links, licence and the
 * newest release with its notes. Each text is looked up in the gettext catalogue as it is shown
 * (xgettext took them from the metainfo, with their white space folded as done here), so the
 * window follows the user's language without a merged copy for each one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pm-about.h"

#define METAINFO_RESOURCE "/io/github/poolmonitor/PoolMonitor/about/metainfo.xml"

typedef struct
{
  GPtrArray *stack;            /* element names, outermost first */
  GString   *text;             /* the current element's text */
  char      *name;
  char      *summary;
  char      *developer;
  char      *license;
  char      *homepage;
  char      *bugtracker;
  char      *version;          /* of the first (newest) release */
  GString   *notes;            /* its description, as AdwAboutWindow's release-notes markup */
  char      *url_type;
  gboolean   in_release;       /* inside the first <release> */
  gboolean   seen_release;
} About;

static void
about_clear (About *about)
{
  g_ptr_array_unref (about->stack);
  g_string_free (about->text, TRUE);
  g_free (about->name);
  g_free (about->summary);
  g_free (about->developer);
  g_free (about->license);
  g_free (about->homepage);
  g_free (about->bugtracker);
  g_free (about->version);
  g_string_free (about->notes, TRUE);
  g_free (about->url_type);
}

/* What xgettext's ITS rules do to an element's text: runs of white space become one space, and
 * the ends are trimmed. Then the catalogue's translation, if any. */
static char *
translated (const char *text)
{
  g_autoptr(GString) folded = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = folded->len > 0;
      else
        {
          if (space)
            g_string_append_c (folded, ' ');
          space = FALSE;
          g_string_append_c (folded, *p);
        }
    }
  return g_strdup (g_dgettext (GETTEXT_PACKAGE, folded->str));
}

static const char *
parent_element (About *about,
                guint  up)
{
  if (about->stack->len < up + 1)
    return "";
  return g_ptr_array_index (about->stack, about->stack->len - 1 - up);
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  About *about = user_data;

  g_ptr_array_add (about->stack, g_strdup (element));
  g_string_truncate (about->text, 0);

  if (g_str_equal (element, "url"))
    {
      g_free (about->url_type);
      about->url_type = NULL;
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "type"))
          about->url_type = g_strdup (values[i]);
    }
  else if (g_str_equal (element, "release") && !about->seen_release)
    {
      about->in_release = TRUE;
      about->seen_release = TRUE;
      for (guint i = 0; names[i] != NULL; i++)
        if (g_str_equal (names[i], "version"))
          about->version = g_strdup (values[i]);
    }
  else if (about->in_release && g_str_equal (element, "ul"))
    g_string_append (about->notes, "<ul>");
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element,
                gpointer              user_data,
                GError              **error)
{
  About *about = user_data;
  const char *parent = parent_element (about, 1);
  const char *text = about->text->str;

  if (g_str_equal (parent, "component"))
    {
      if (g_str_equal (element, "name"))
        about->name = translated (text);
      else if (g_str_equal (element, "summary"))
        about->summary = translated (text);
      else if (g_str_equal (element, "project_license"))
        about->license = g_strstrip (g_strdup (text));
      else if (g_str_equal (element, "url") && g_strcmp0 (about->url_type, "homepage") == 0)
        about->homepage = g_strstrip (g_strdup (text));
      else if (g_str_equal (element, "url") && g_strcmp0 (about->url_type, "bugtracker") == 0)
        about->bugtracker = g_strstrip (g_strdup (text));
    }
  else if (g_str_equal (parent, "developer") && g_str_equal (element, "name"))
    about->developer = g_strstrip (g_strdup (text));
  else if (about->in_release)
    {
      if (g_str_equal (element, "p") || g_str_equal (element, "li"))
        {
          g_autofree char *words = translated (text);
          g_autofree char *escaped = g_markup_escape_text (words, -1);

          g_string_append_printf (about->notes, "<%s>%s</%s>", element, escaped, element);
        }
      else if (g_str_equal (element, "ul"))
        g_string_append (about->notes, "</ul>");
      else if (g_str_equal (element, "release"))
        about->in_release = FALSE;
    }

  g_ptr_array_remove_index (about->stack, about->stack->len - 1);
  g_string_truncate (about->text, 0);
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 len,
         gpointer              user_data,
         GError              **error)
{
  About *about = user_data;

  g_string_append_len (about->text, text, len);
}

/**
 * pm_about_window_new:
 * @parent: (nullable): the window it belongs to
 * @error: return location for a #GError
 *
 * Returns: (transfer floating) (nullable): an #AdwAboutWindow, or %NULL with @error set when
 *   the metainfo in the resource cannot be read
 */
GtkWidget *
pm_about_window_new (GtkWindow  *parent,
                     GError    **error)
{
  static const GMarkupParser parser = { start_element_cb, end_element_cb, text_cb, NULL, NULL };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  About about = {
    .stack = g_ptr_array_new_with_free_func (g_free),
    .text = g_string_new (NULL),
    .notes = g_string_new (NULL),
  };
  const char *developers[] = { NULL, NULL };
  GtkWidget *window = NULL;
  gsize len;
  const char *data;

  if (!(bytes = g_resources_lookup_data (METAINFO_RESOURCE, 0, error)))
    goto out;
  data = g_bytes_get_data (bytes, &len);
  context = g_markup_parse_context_new (&parser, 0, &about, NULL);
  if (!g_markup_parse_context_parse (context, data, len, error) ||
      !g_markup_parse_context_end_parse (context, error))
    goto out;

  developers[0] = about.developer;
  window = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                         "transient-for", parent,
                         "modal", parent != NULL,
                         "application-icon", APP_ID,
                         "application-name", about.name,
                         "comments", about.summary,
                         "developer-name", about.developer,
                         "developers", about.developer ? developers : NULL,
                         "copyright", PM_COPYRIGHT,
                         "version", about.version ? about.version : PACKAGE_VERSION,
                         "website", about.homepage,
                         "issue-url", about.bugtracker,
                         "license-type", g_strcmp0 (about.license, "GPL-3.0-or-later") == 0
                                         ? GTK_LICENSE_GPL_3_0 : GTK_LICENSE_UNKNOWN,
                         "release-notes-version", about.version,
                         "release-notes", about.notes->str,
                         NULL);
out:
  about_clear (&about);
  return window;
}
