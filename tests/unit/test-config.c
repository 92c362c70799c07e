/* virtuned.conf: the [connection NAME] groups beside today's single [libvirt] uri, and
 * every way a connection configuration can be wrong. */
#include <glib/gstdio.h>
#include <string.h>

#include "model/config.h"
#include "model/limits.h"
#include "util/error.h"

static char *tmpdir;

/* Loads @text as a virtuned.conf and resolves its connections; NULL and @error when
 * either step refuses it. */
static GPtrArray *
connections_of (const char *text, GError **error)
{
  g_autofree char *path = g_build_filename (tmpdir, "virtuned.conf", NULL);
  g_autoptr (VtConfig) config = vt_config_new ();

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  if (!vt_config_load (config, path, FALSE, error))
    return NULL;
  return vt_config_resolve_connections (config, error);
}

static const VtConnectionConfig *
nth (GPtrArray *connections, guint i)
{
  return g_ptr_array_index (connections, i);
}

static void
test_no_file_is_local_system (void)
{
  g_autoptr (VtConfig) config = vt_config_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = vt_config_resolve_connections (config, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (nth (all, 0)->name, ==, "default");
  g_assert_cmpstr (nth (all, 0)->uri, ==, "qemu:///system");
  g_assert_true (nth (all, 0)->is_default);
  g_assert_cmpuint (g_strv_length (nth (all, 0)->allowed_pools), ==, 0);
}

/* Today's file keeps meaning what it meant: [libvirt] and [security] are "default". */
static void
test_single_host_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = connections_of (
      "[libvirt]\nuri=test:///default\ndomcaps=/tmp/x.xml\n"
      "[security]\nallowed_pools=default;isos\nallowed_networks=default\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (nth (all, 0)->uri, ==, "test:///default");
  g_assert_cmpstr (nth (all, 0)->domcaps_path, ==, "/tmp/x.xml");
  g_assert_cmpstr (nth (all, 0)->allowed_pools[1], ==, "isos");
}

/* Groups beside the [libvirt] connection: it stays the default, first. */
static void
test_groups_beside_libvirt (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = connections_of (
      "[libvirt]\nuri=qemu:///system\n"
      "[connection lab-2]\nuri=qemu+tcp://127.0.0.1:16509/system\n"
      "allowed_pools=vms ; isos\ndomcaps=/etc/virtuned/lab2.xml\n"
      "[connection tls.host]\nuri=qemu+tls://127.0.0.1/system\ndefault=false\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (nth (all, 0)->name, ==, "default");
  g_assert_true (nth (all, 0)->is_default);
  g_assert_cmpstr (nth (all, 1)->name, ==, "lab-2");
  g_assert_false (nth (all, 1)->is_default);
  g_assert_cmpstr (nth (all, 1)->allowed_pools[0], ==, "vms");
  g_assert_cmpstr (nth (all, 1)->allowed_pools[1], ==, "isos");
  g_assert_cmpuint (g_strv_length (nth (all, 1)->allowed_networks), ==, 0);
  g_assert_cmpstr (nth (all, 1)->domcaps_path, ==, "/etc/virtuned/lab2.xml");
  g_assert_cmpstr (nth (all, 2)->name, ==, "tls.host");
  g_assert_cmpuint (nth (all, 0)->open_timeout, ==, VT_CONNECTION_OPEN_TIMEOUT_DEFAULT);
  g_assert_cmpuint (nth (all, 1)->open_timeout, ==, VT_CONNECTION_OPEN_TIMEOUT_DEFAULT);
}

static void
test_open_timeout (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = connections_of (
      "[connection slow]\nuri=qemu+ssh://root@127.0.0.1/system\nopen_timeout= 3600 \n"
      "[connection quick]\nuri=qemu+ssh://root@127.0.0.1/system\nopen_timeout=1\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (nth (all, 1)->open_timeout, ==, 3600);
  g_assert_cmpuint (nth (all, 2)->open_timeout, ==, 1);
}

/* A group saying default=true replaces the [libvirt] connection when the file does not
 * set one. */
static void
test_group_default (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = connections_of (
      "[security]\nallowed_pools=default\n"
      "[connection a]\nuri=qemu+ssh://root@127.0.0.1/system\n"
      "[connection b]\nuri=qemu:///system\ndefault=true\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (nth (all, 0)->name, ==, "b");
  g_assert_true (nth (all, 0)->is_default);
  g_assert_cmpstr (nth (all, 1)->name, ==, "a");
  g_assert_false (nth (all, 1)->is_default);
}

typedef struct {
  const char *text;
  const char *expected;    /* a part of the error message */
} BadConfig;

static const BadConfig bad_configs[] = {
  { "[connection a]\nuri=qemu:///system\ndefault=true\n"
    "[connection b]\nuri=qemu:///system\ndefault=true\n",
    "two default connections: [connection a] and [connection b]" },
  { "[libvirt]\nuri=qemu:///system\n[connection a]\nuri=test:///default\ndefault=true\n",
    "two default connections: [libvirt]" },
  { "[libvirt]\ndomcaps=/x.xml\n[connection a]\nuri=test:///default\ndefault=true\n",
    "two default connections: [libvirt]" },
  { "[connection default]\nuri=test:///default\n", "the name 'default' is the [libvirt]" },
  { "[connection a]\nuri=test:///default\nurl=x\n", "[connection a] unknown key 'url'" },
  { "[connection a]\nallowed_pools=x\n", "[connection a] needs a uri" },
  { "[connection a]\nuri=\n", "[connection a] uri must not be empty" },
  { "[connection a]\nuri=test:///default\ndomcaps= \n", "domcaps must not be empty" },
  { "[connection a]\nuri=test:///default\ndefault=yes\n", "default must be true or false" },
  { "[connection]\nuri=test:///default\n", "[connection] is not a connection name" },
  { "[connection -a]\nuri=test:///default\n", "is not a connection name" },
  { "[connection .a]\nuri=test:///default\n", "is not a connection name" },
  { "[connection a b]\nuri=test:///default\n", "is not a connection name" },
  { "[connection a/b]\nuri=test:///default\n", "is not a connection name" },
  { "[connection \x01]\nuri=test:///default\n", "Invalid group name" },   /* GKeyFile's */
  { "[connection \xc3\xa9]\nuri=test:///default\n", "is not a connection name" },
  { "[connection aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n"
    "uri=test:///default\n", "is not a connection name" },
  { "[connections a]\nuri=test:///default\n", "unknown group [connections a]" },
  { "[connection a]\nuri=test:///default\nopen_timeout=0\n", "open_timeout must be a whole" },
  { "[connection a]\nuri=test:///default\nopen_timeout=3601\n", "1 to 3600" },
  { "[connection a]\nuri=test:///default\nopen_timeout=5s\n", "open_timeout must be" },
  { "[connection a]\nuri=test:///default\nopen_timeout=-1\n", "open_timeout must be" },
};

static void
test_bad_configs (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_configs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) all = connections_of (bad_configs[i].text, &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error ? error->message : "accepted");
      g_assert_null (all);
      g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, bad_configs[i].expected));
      g_assert_nonnull (strstr (error->message, "virtuned.conf"));
    }
}

static void
test_names (void)
{
  char longest[VT_CONNECTION_NAME_MAX + 2];

  memset (longest, 'a', sizeof longest);
  longest[VT_CONNECTION_NAME_MAX] = '\0';
  g_assert_true (vt_connection_name_valid (longest));
  longest[VT_CONNECTION_NAME_MAX] = 'a';
  longest[VT_CONNECTION_NAME_MAX + 1] = '\0';
  g_assert_false (vt_connection_name_valid (longest));
  g_assert_true (vt_connection_name_valid ("Lab_2.example-org"));
  g_assert_false (vt_connection_name_valid (""));
  g_assert_false (vt_connection_name_valid ("a+b"));
  g_assert_false (vt_connection_name_valid ("\xc3\xa9"));
}

static void
test_uri_locality (void)
{
  g_assert_true (vt_connection_uri_is_local ("qemu:///system"));
  g_assert_true (vt_connection_uri_is_local ("test:///default"));
  g_assert_false (vt_connection_uri_is_local ("qemu+ssh://root@localhost/system"));
  g_assert_false (vt_connection_uri_is_local ("qemu+tcp://127.0.0.1:16509/system"));
  g_assert_false (vt_connection_uri_is_local ("not a uri"));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("vt-config-XXXXXX", NULL);
  g_test_add_func ("/config/no-file", test_no_file_is_local_system);
  g_test_add_func ("/config/single-host", test_single_host_file);
  g_test_add_func ("/config/groups-beside-libvirt", test_groups_beside_libvirt);
  g_test_add_func ("/config/group-default", test_group_default);
  g_test_add_func ("/config/open-timeout", test_open_timeout);
  g_test_add_func ("/config/bad", test_bad_configs);
  g_test_add_func ("/config/names", test_names);
  g_test_add_func ("/config/uri-locality", test_uri_locality);
  status = g_test_run ();
  {
    g_autofree char *path = g_build_filename (tmpdir, "virtuned.conf", NULL);

    g_unlink (path);
    g_rmdir (tmpdir);
    g_free (tmpdir);
  }
  return status;
}
