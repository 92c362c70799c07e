/* Room for hot-plugged devices on q35 (issue #12). A PCIe device plugs into an empty
 * pcie-root-port, and libvirt adds root ports only when it defines a domain, exactly one
 * per device then present: a running q35 guest has no free slot, and AttachDevice of a
 * virtio disk or a NIC fails with "No more available PCI slots". libvirt fills empty
 * root ports with the domain's own devices first, so this adds one port for each
 * device of the domain that will sit on one, and VT_HOTPLUG_SPARE_PORTS more, as
 * virt-install does. A device counted that libvirt puts elsewhere leaves one more spare. */
#include "domain/devices.h"

#include "domain/xml-tree.h"
#include "model/machine.h"
#include "util/xml.h"

static gboolean
is_q35 (const VtDeviceContext *ctx)
{
  const char *machine = vt_device_setting (ctx, "guest.machine", ctx->caps->machine);

  return g_strcmp0 (vt_machine_alias_of (machine), "q35") == 0;
}

static gboolean
child_attr_is (xmlNodePtr node, const char *child, const char *attr, const char *value)
{
  return vt_xml_prop_is (vt_xml_child (node, child), attr, value);
}

/* Whether libvirt will give @device a PCIe slot of its own. */
static gboolean
takes_pcie_slot (xmlNodePtr device)
{
  const char *name = (const char *) device->name;

  if (g_str_equal (name, "disk"))
    return child_attr_is (device, "target", "bus", "virtio");
  if (g_str_equal (name, "interface"))
    return TRUE;
  if (g_str_equal (name, "controller"))
    return vt_xml_prop_is (device, "type", "virtio-serial")
           || vt_xml_prop_is (device, "model", "virtio-scsi");
  if (g_str_equal (name, "input"))
    return vt_xml_prop_is (device, "bus", "virtio");
  if (g_str_equal (name, "memballoon") || g_str_equal (name, "rng"))
    return vt_xml_prop_is (device, "model", "virtio");
  if (g_str_equal (name, "video"))
    return child_attr_is (device, "model", "type", "virtio");
  return FALSE;
}

gboolean
vt_device_add_hotplug_ports (xmlNodePtr devices, const VtDeviceContext *ctx, GError **error)
{
  guint ports = VT_HOTPLUG_SPARE_PORTS;

  if (!is_q35 (ctx))
    return TRUE;
  for (xmlNodePtr d = devices->children; d != NULL; d = d->next)
    if (d->type == XML_ELEMENT_NODE && takes_pcie_slot (d))
      ports++;
  /* Controllers without an index are numbered from 0 in document order, and index 0
   * must be the root (libvirt adds it): so every port gets its index, from 1. */
  for (guint i = 0; i < ports; i++)
    {
      xmlNodePtr port = vt_tree_add_with (devices, "controller", "type", "pci");

      vt_tree_set_uint (port, "index", i + 1);
      vt_tree_set (port, "model", "pcie-root-port");
      vt_tree_add_alias_index (port, "pcie-port", i);
    }
  return TRUE;
}
