/* Unit tests: which domain definitions name a volume (DetachDevice's delete-storage never
 * deletes a volume another domain uses): by file path or pool and volume name, only in a
 * disk's <source>, never from broken XML. */
#include <glib.h>

#include "libvirt/volume-users.h"

#define DOMAIN(devices) "<domain type='qemu'><name>other</name><devices>" devices \
                        "</devices></domain>"

static gboolean
uses (const char *xml)
{
  return vt_domain_xml_uses_volume (xml, "p", "vm1-disk1.qcow2", "/pool/vm1-disk1.qcow2");
}

static void
test_uses_volume (void)
{
  g_assert_true (uses (DOMAIN ("<disk type='file'><source file='/pool/vm1-disk1.qcow2'/>"
                               "</disk>")));
  g_assert_true (uses (DOMAIN ("<disk type='volume'><source pool='p' volume='vm1-disk1.qcow2'/>"
                               "</disk>")));
}

static void
test_other_volumes (void)
{
  const char *others[] = {
    DOMAIN (""),
    DOMAIN ("<disk type='file'><source file='/pool/vm1-disk10.qcow2'/></disk>"),
    DOMAIN ("<disk type='volume'><source pool='q' volume='vm1-disk1.qcow2'/></disk>"),
    DOMAIN ("<disk type='volume'><source pool='p' volume='vm1-disk2.qcow2'/></disk>"),
    /* a source that is no disk's: a file-backed serial port with the same path */
    DOMAIN ("<serial type='file'><source path='/pool/vm1-disk1.qcow2'/></serial>"
            "<filesystem><source file='/pool/vm1-disk1.qcow2'/></filesystem>"),
    "not xml <", "", NULL,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    g_assert_false (uses (others[i]));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/volume-users/uses", test_uses_volume);
  g_test_add_func ("/volume-users/others", test_other_volumes);
  return g_test_run ();
}
