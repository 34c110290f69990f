/* test-notify.c: a long run that ends while the window is not focused sends a notification
 *
 * The test owns org.freedesktop.Notifications on the session bus (make check runs the gtk
 * suite under dbus-run-session), as a notification daemon would, and records every Notify.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "pm-gtk-test-util.h"

static const char introspection[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct
{
  GPtrArray *received;   /* "summary\nbody" of each Notify */
  gboolean   owned;
} Daemon;

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  Daemon *daemon = user_data;
  const char *summary, *body;

  g_variant_get_child (parameters, 3, "&s", &summary);
  g_variant_get_child (parameters, 4, "&s", &body);
  g_ptr_array_add (daemon->received, g_strdup_printf ("%s\n%s", summary, body));
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", daemon->received->len));
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((Daemon *)user_data)->owned = TRUE;
}

static gboolean
daemon_ready (gpointer data)
{
  return ((Daemon *)data)->owned;
}

static gboolean
one_received (gpointer data)
{
  return ((Daemon *)data)->received->len >= 1;
}

static gboolean
other_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static void
test_long_run_unfocused_notifies (void)
{
  static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, NULL);
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (g_free);
  Daemon daemon = { received, FALSE };
  PmWindow *window;
  GtkWidget *other;
  guint object_id, owner_id;

  if (bus == NULL)
    {
      g_test_skip ("no session bus (make check runs this under dbus-run-session)");
      return;
    }
  object_id = g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                                 info->interfaces[0], &vtable, &daemon, NULL,
                                                 NULL);
  owner_id = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications",
                                           G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL,
                                           &daemon, NULL);
  wait_until (daemon_ready, &daemon, "the notification daemon's name");

  window = new_window ();
  /* Another window takes the focus, as when the user goes on with other work. */
  other = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (other));
  wait_until (other_is_active, other, "the other window's focus");
  g_assert_false (gtk_window_is_active (GTK_WINDOW (window)));

  /* A short run says nothing. */
  start_demo (window, 2, 2, 0, 0.1);
  wait_until (pool_finished, window, "the short run finishes");
  settle ();
  g_assert_cmpuint (received->len, ==, 0);

  /* A run of more than ten seconds does, once. */
  start_demo (window, 1, 1, 10.2, 10.2);
  wait_until (pool_finished, window, "the long run finishes");
  wait_until (one_received, &daemon, "the notification");
  settle ();
  g_assert_cmpuint (received->len, ==, 1);
  g_assert_true (g_str_has_prefix (received->pdata[0], "Run Finished\n1 job in 10."));
  g_assert_true (g_str_has_suffix (received->pdata[0], " s, succeeded"));

  gtk_window_destroy (GTK_WINDOW (other));
  close_window (window);
  g_bus_unown_name (owner_id);
  g_dbus_connection_unregister_object (bus, object_id);
}

int
main (int   argc,
      char *argv[])
{
  pm_gtk_test_init (&argc, &argv);

  g_test_add_func ("/notify/long-run-ending-unfocused-sends-one", test_long_run_unfocused_notifies);

  return g_test_run ();
}
