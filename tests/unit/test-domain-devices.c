/* The device builders one at a time (domain/devices.h): each renders into an empty
 * <devices> from hand-made settings, and what it added is compared as serialised XML.
 * Whole domains built from the same builders are checked by test-domain and test-render. */
#include <string.h>

#include "domain/devices.h"
#include "domcaps-fixtures.h"
#include "util/error.h"

#define STRV(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* ---- helpers ------------------------------------------------------------------------- */

/* "KEY=VALUE KEY=VALUE ..." as the user's layer. */
static VtSettings *
settings_new (const char *pairs)
{
  VtSettings *settings = vt_settings_new ();
  g_auto (GStrv) list = g_strsplit (pairs, " ", -1);

  for (guint i = 0; list[i]; i++)
    {
      g_auto (GStrv) kv = g_strsplit (list[i], "=", 2);
      if (*list[i])
        vt_settings_set (settings, kv[0], kv[1], "user");
    }
  return settings;
}

/* The bundled host, less what one substitution takes away (@from NULL: as is). */
static VtDomcaps *
caps_new (const char *from, const char *to)
{
  return from ? fixture_variant (BUNDLED_CAPS, STRV (from), STRV (to))
              : fixture_caps (BUNDLED_CAPS);
}

/* An empty <devices>, the root of its own document (free with xmlFreeDoc (devices->doc)). */
static xmlNodePtr
devices_new (void)
{
  xmlDocPtr doc = xmlNewDoc ((const xmlChar *) "1.0");
  xmlNodePtr devices = xmlNewDocNode (doc, NULL, (const xmlChar *) "devices", NULL);

  xmlDocSetRootElement (doc, devices);
  return devices;
}

/* What the builders added to @devices, without indentation; "" when nothing. */
static char *
children_xml (xmlNodePtr devices)
{
  xmlBufferPtr buffer = xmlBufferCreate ();
  char *xml;

  for (xmlNodePtr child = devices->children; child; child = child->next)
    xmlNodeDump (buffer, devices->doc, child, 0, 0);
  xml = g_strdup ((const char *) xmlBufferContent (buffer));
  xmlBufferFree (buffer);
  return xml;
}

static void
assert_added (xmlNodePtr devices, const char *expected)
{
  g_autofree char *xml = children_xml (devices);

  g_assert_cmpstr (xml, ==, expected);
}

/* A failing builder reports VT_ERROR @code with @fragment, and adds nothing. */
static void
assert_refused (xmlNodePtr devices, gboolean ok, const GError *error, int code,
                const char *fragment)
{
  g_assert_false (ok);
  g_assert_error (error, VT_ERROR, code);
  if (!strstr (error->message, fragment))
    g_error ("'%s' lacks '%s'", error->message, fragment);
  g_assert_null (devices->children);
}

/* ---- the context ----------------------------------------------------------------------- */

static void
test_context (void)
{
  g_autoptr (VtDomcaps) caps = caps_new (NULL, NULL);
  g_autoptr (VtSettings) plain = settings_new ("");
  g_autoptr (VtSettings) es = settings_new ("guest.sev=sev-es guest.iothreads=4");
  g_autoptr (VtSettings) off = settings_new ("guest.sev=off");
  VtDeviceContext ctx = vt_device_context (plain, caps);

  g_assert_true (ctx.settings == plain && ctx.caps == caps);
  g_assert_false (ctx.sev);
  g_assert_cmpuint (ctx.iothreads, ==, 0);
  ctx = vt_device_context (es, caps);
  g_assert_true (ctx.sev);
  g_assert_cmpuint (ctx.iothreads, ==, 4);
  g_assert_false (vt_device_context (off, caps).sev);
}

/* ---- disks ------------------------------------------------------------------------------ */

static VtDiskDesc *
disk_new (VtDiskKind kind, const char *pool, const char *volume, const char *path)
{
  VtDiskDesc *d = g_new0 (VtDiskDesc, 1);

  d->kind = kind;
  d->pool = g_strdup (pool);
  d->volume = g_strdup (volume);
  d->path = g_strdup (path);
  return d;
}

static void
disk_free (VtDiskDesc *d)
{
  g_free (d->pool);
  g_free (d->volume);
  g_free (d->path);
  g_free (d->format);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDiskDesc, disk_free)

/* Disk @index of domain "vm" on the bundled host, with @settings. */
static gboolean
add_disk (xmlNodePtr devices, const char *settings, const VtDiskDesc *disk, guint index,
          const VtDiskBinding *binding, VtDiskCount *count, GError **error)
{
  g_autoptr (VtDomcaps) caps = caps_new (NULL, NULL);
  g_autoptr (VtSettings) s = settings_new (settings);
  VtDeviceContext ctx = vt_device_context (s, caps);
  VtDiskEntry entry = { disk, binding, "vm", index };

  return vt_device_add_disk (devices, &ctx, &entry, count, error);
}

/* A new volume on virtio in an SEV guest: the driver carries the iommu. */
static void
test_disk_virtio_sev (void)
{
  g_autoptr (VtDiskDesc) disk = disk_new (VT_DISK_NEW, "default", NULL, NULL);
  xmlNodePtr devices = devices_new ();
  VtDiskCount count = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (add_disk (devices, "storage.bus=virtio storage.format=qcow2 storage.cache=none "
                           "guest.sev=sev", disk, 2, NULL, &count, &error));
  g_assert_no_error (error);
  assert_added (devices, "<disk type=\"volume\" device=\"disk\">"
                         "<driver name=\"qemu\" type=\"qcow2\" cache=\"none\" iommu=\"on\"/>"
                         "<source pool=\"default\" volume=\"vm-disk2.qcow2\"/>"
                         "<target dev=\"vda\" bus=\"virtio\"/><serial>ua-disk0</serial><alias name=\"ua-disk0\"/></disk>");
  g_assert_cmpuint (count.vd, ==, 1);
  g_assert_cmpuint (count.disks, ==, 1);
  g_assert_cmpuint (count.sd + count.cdroms, ==, 0);
  xmlFreeDoc (devices->doc);
}

/* A CD-ROM: read-only on sata whatever storage.bus says, no cache mode, no format (the
 * pool knows it), its own alias series. */
static void
test_disk_cdrom (void)
{
  g_autoptr (VtDiskDesc) disk = disk_new (VT_DISK_CDROM, "isos", "install.iso", NULL);
  xmlNodePtr devices = devices_new ();
  VtDiskCount count = { .vd = 3, .sd = 1, .disks = 4 };
  g_autoptr (GError) error = NULL;

  g_assert_true (add_disk (devices, "storage.bus=virtio storage.cache=none guest.iothreads=1 "
                           "guest.sev=sev", disk, 0, NULL, &count, &error));
  g_assert_no_error (error);
  assert_added (devices, "<disk type=\"volume\" device=\"cdrom\"><driver name=\"qemu\"/>"
                         "<source pool=\"isos\" volume=\"install.iso\"/>"
                         "<target dev=\"sdb\" bus=\"sata\"/><readonly/>"
                         "<serial>ua-cdrom0</serial><alias name=\"ua-cdrom0\"/></disk>");
  g_assert_cmpuint (count.sd, ==, 2);
  g_assert_cmpuint (count.cdroms, ==, 1);
  g_assert_cmpuint (count.disks, ==, 4);
  xmlFreeDoc (devices->doc);
}

/* Counts carried over from an existing domain continue its names: vdz, then vdaa. */
static void
test_disk_counts (void)
{
  g_autoptr (VtDiskDesc) disk = disk_new (VT_DISK_VOLUME, "default", "base.qcow2", NULL);
  xmlNodePtr devices = devices_new ();
  VtDiskCount count = { .vd = 25, .disks = 25 };

  g_assert_true (add_disk (devices, "guest.iothreads=2", disk, 25, NULL, &count, NULL));
  g_assert_true (add_disk (devices, "", disk, 26, NULL, &count, NULL));
  assert_added (devices, "<disk type=\"volume\" device=\"disk\">"
                         "<driver name=\"qemu\" iothread=\"1\"/>"
                         "<source pool=\"default\" volume=\"base.qcow2\"/>"
                         "<target dev=\"vdz\" bus=\"virtio\"/><serial>ua-disk25</serial><alias name=\"ua-disk25\"/></disk>"
                         "<disk type=\"volume\" device=\"disk\"><driver name=\"qemu\"/>"
                         "<source pool=\"default\" volume=\"base.qcow2\"/>"
                         "<target dev=\"vdaa\" bus=\"virtio\"/><serial>ua-disk26</serial><alias name=\"ua-disk26\"/></disk>");
  xmlFreeDoc (devices->doc);
}

/* What Define bound: a file with its real format and LUKS secret; a path on scsi. */
static void
test_disk_binding_and_path (void)
{
  g_autoptr (VtDiskDesc) disk = disk_new (VT_DISK_NEW, "default", NULL, NULL);
  g_autoptr (VtDiskDesc) block = disk_new (VT_DISK_PATH, NULL, NULL, "/dev/vg0/data");
  VtDiskBinding binding = { "/var/lib/libvirt/images/vm-disk0.qcow2", NULL, "qcow2",
                            "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f" };
  xmlNodePtr devices = devices_new ();
  VtDiskCount count = { 0 };

  g_assert_true (add_disk (devices, "storage.format=raw", disk, 0, &binding, &count, NULL));
  g_assert_true (add_disk (devices, "storage.bus=scsi", block, 1, NULL, &count, NULL));
  assert_added (devices, "<disk type=\"file\" device=\"disk\">"
                         "<driver name=\"qemu\" type=\"qcow2\"/>"
                         "<source file=\"/var/lib/libvirt/images/vm-disk0.qcow2\">"
                         "<encryption format=\"luks\"><secret type=\"passphrase\" "
                         "uuid=\"0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f\"/></encryption></source>"
                         "<target dev=\"vda\" bus=\"virtio\"/><serial>ua-disk0</serial><alias name=\"ua-disk0\"/></disk>"
                         "<disk type=\"block\" device=\"disk\"><driver name=\"qemu\" type=\"raw\"/>"
                         "<source dev=\"/dev/vg0/data\"/>"
                         "<target dev=\"sda\" bus=\"scsi\"/><serial>ua-disk1</serial><alias name=\"ua-disk1\"/></disk>");
  xmlFreeDoc (devices->doc);
}

/* A bus the host lacks is refused, naming the key; nothing is added or counted. */
static void
test_disk_bus_unsupported (void)
{
  g_autoptr (VtDomcaps) caps = caps_new ("<value>virtio</value>\n        <value>usb</value>",
                                         "<value>usb</value>");
  g_autoptr (VtSettings) settings = settings_new ("storage.bus=virtio");
  g_autoptr (VtDiskDesc) disk = disk_new (VT_DISK_NEW, "default", NULL, NULL);
  g_autoptr (GError) error = NULL;
  VtDeviceContext ctx = vt_device_context (settings, caps);
  VtDiskEntry entry = { disk, NULL, "vm", 0 };
  VtDiskCount count = { 0 };
  xmlNodePtr devices = devices_new ();
  gboolean ok;

  ok = vt_device_add_disk (devices, &ctx, &entry, &count, &error);
  assert_refused (devices, ok, error, VT_ERROR_UNSUPPORTED, "storage.bus: 'virtio' is not "
                  "supported by this host (disk.bus lists fdc, scsi, usb, sata)");
  g_assert_cmpuint (count.vd + count.disks, ==, 0);
  xmlFreeDoc (devices->doc);
}

/* Control characters cannot appear in XML 1.0: refused before anything is added. */
static void
test_disk_unrepresentable (void)
{
  g_autoptr (VtDiskDesc) disk = disk_new (VT_DISK_PATH, NULL, NULL, "/srv/a\001b");
  VtDiskBinding bad_secret = { "/srv/x", NULL, "raw", "uuid\033" };
  g_autoptr (VtDiskDesc) fine = disk_new (VT_DISK_PATH, NULL, NULL, "/srv/x");
  xmlNodePtr devices = devices_new ();
  VtDiskCount count = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = add_disk (devices, "", disk, 0, NULL, &count, &error);
  assert_refused (devices, ok, error, VT_ERROR_INVALID_DESCRIPTION, "disks path");
  g_clear_error (&error);
  ok = add_disk (devices, "", fine, 0, &bad_secret, &count, &error);
  assert_refused (devices, ok, error, VT_ERROR_INVALID_DESCRIPTION, "disk secret");
  xmlFreeDoc (devices->doc);
}

/* ---- network interfaces ------------------------------------------------------------------ */

static gboolean
add_nic (xmlNodePtr devices, const char *settings, VtNetKind kind, const char *source,
         const char *mac, guint index, GError **error)
{
  g_autoptr (VtDomcaps) caps = caps_new (NULL, NULL);
  g_autoptr (VtSettings) s = settings_new (settings);
  VtDeviceContext ctx = vt_device_context (s, caps);
  VtNetDesc net = { kind, (char *) source, (char *) mac };

  return vt_device_add_nic (devices, &ctx, &net, index, error);
}

/* The model is guest.nic; only virtio needs (and gets) the SEV iommu and no iPXE ROM. */
static void
test_nic_model (void)
{
  xmlNodePtr devices = devices_new ();

  g_assert_true (add_nic (devices, "guest.nic=e1000 guest.sev=sev", VT_NET_NETWORK, "default",
                          "52:54:00:12:34:56", 0, NULL));
  g_assert_true (add_nic (devices, "guest.sev=sev-es", VT_NET_BRIDGE, "br0", NULL, 1, NULL));
  assert_added (devices, "<interface type=\"network\"><mac address=\"52:54:00:12:34:56\"/>"
                         "<source network=\"default\"/><model type=\"e1000\"/>"
                         "<alias name=\"ua-net0\"/></interface>"
                         "<interface type=\"bridge\"><mac address=\"52:54:00:e7:ad:d0\"/>"
                         "<source bridge=\"br0\"/>"
                         "<model type=\"virtio\"/><driver iommu=\"on\"/><rom enabled=\"no\"/>"
                         "<alias name=\"ua-net1\"/></interface>");
  xmlFreeDoc (devices->doc);
}

static void
test_nic_unrepresentable (void)
{
  xmlNodePtr devices = devices_new ();
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = add_nic (devices, "", VT_NET_NETWORK, "default", "52:54:00:\n\001", 0, &error);
  assert_refused (devices, ok, error, VT_ERROR_INVALID_DESCRIPTION, "networks mac");
  g_clear_error (&error);
  ok = add_nic (devices, "", VT_NET_NETWORK, "\xff", NULL, 0, &error);
  assert_refused (devices, ok, error, VT_ERROR_INVALID_DESCRIPTION, "networks source");
  xmlFreeDoc (devices->doc);
}

/* ---- devices the settings describe ---------------------------------------------------------- */

typedef struct {
  const char *name;
  VtDeviceBuilder build;
  const char *settings;   /* "KEY=VALUE ..." */
  const char *from, *to;  /* one substitution making the bundled host lack something, or NULL */
  const char *expect;     /* what is added ("" nothing); NULL: VT_ERROR_UNSUPPORTED */
  const char *message;    /* in the error */
} DeviceCase;

#define SEV "guest.sev=sev "

static const DeviceCase device_cases[] = {
  { "scsi-controller", vt_device_add_scsi_controller, "storage.bus=scsi", NULL, NULL,
    "<controller type=\"scsi\" index=\"0\" model=\"virtio-scsi\">"
    "<alias name=\"ua-scsi0\"/></controller>" },
  /* One <driver> carries both the I/O thread and the iommu. */
  { "scsi-controller-iothread-sev", vt_device_add_scsi_controller,
    SEV "storage.bus=scsi guest.iothreads=2", NULL, NULL,
    "<controller type=\"scsi\" index=\"0\" model=\"virtio-scsi\">"
    "<driver iothread=\"1\" iommu=\"on\"/><alias name=\"ua-scsi0\"/></controller>" },
  { "scsi-controller-not-on-virtio", vt_device_add_scsi_controller, "storage.bus=virtio", NULL,
    NULL, "" },
  { "serial-controller-sev", vt_device_add_serial_controller, SEV, NULL, NULL,
    "<controller type=\"virtio-serial\" index=\"0\"><driver iommu=\"on\"/>"
    "<alias name=\"ua-virtio-serial0\"/></controller>" },
  /* The console is the serial port, which has the alias. */
  { "console", vt_device_add_console, "", NULL, NULL,
    "<serial type=\"pty\"><target type=\"isa-serial\" port=\"0\"><model name=\"isa-serial\"/>"
    "</target><alias name=\"ua-serial0\"/></serial>"
    "<console type=\"pty\"><target type=\"serial\" port=\"0\"/></console>" },
  { "spice-channel", vt_device_add_spice_channel, "guest.graphics=spice", NULL, NULL,
    "<channel type=\"spicevmc\"><target type=\"virtio\" name=\"com.redhat.spice.0\"/>"
    "<alias name=\"ua-channel1\"/></channel>" },
  { "spice-channel-vnc", vt_device_add_spice_channel, "guest.graphics=vnc", NULL, NULL, "" },
  { "usb-controller", vt_device_add_usb_controller, "guest.usb=qemu-xhci", NULL, NULL,
    "<controller type=\"usb\" index=\"0\" model=\"qemu-xhci\" ports=\"15\">"
    "<alias name=\"ua-usb0\"/></controller>" },
  /* Model none, or libvirt would add its default controller. */
  { "usb-controller-none", vt_device_add_usb_controller, "guest.usb=none", NULL, NULL,
    "<controller type=\"usb\" index=\"0\" model=\"none\"/>" },
  { "sound", vt_device_add_sound, "guest.sound=ich9", NULL, NULL,
    "<sound model=\"ich9\"><alias name=\"ua-sound0\"/></sound>" },
  { "sound-none", vt_device_add_sound, "guest.sound=none", NULL, NULL, "" },
  { "usb-redirection", vt_device_add_usb_redirection, "guest.usb_redirection=2", NULL, NULL,
    "<redirdev bus=\"usb\" type=\"spicevmc\"><alias name=\"ua-redir0\"/></redirdev>"
    "<redirdev bus=\"usb\" type=\"spicevmc\"><alias name=\"ua-redir1\"/></redirdev>" },
  { "usb-redirection-none", vt_device_add_usb_redirection, "guest.usb_redirection=0", NULL,
    NULL, "" },
  { "panic", vt_device_add_panic, "guest.panic=on", NULL, NULL,
    "<panic model=\"isa\"><alias name=\"ua-panic0\"/></panic>" },
  { "panic-off", vt_device_add_panic, "guest.panic=off", NULL, NULL, "" },
  { "agent-channel", vt_device_add_agent_channel, "", NULL, NULL,
    "<channel type=\"unix\"><target type=\"virtio\" name=\"org.qemu.guest_agent.0\"/>"
    "<alias name=\"ua-channel0\"/></channel>" },
  { "keyboard", vt_device_add_keyboard, "guest.keyboard=ps2 guest.mouse=tablet", NULL, NULL,
    "<input type=\"keyboard\" bus=\"ps2\"><alias name=\"ua-input-keyboard\"/></input>" },
  { "mouse-tablet", vt_device_add_mouse, "guest.keyboard=ps2 guest.mouse=tablet", NULL, NULL,
    "<input type=\"tablet\" bus=\"usb\"><alias name=\"ua-input-mouse\"/></input>" },
  { "mouse-none", vt_device_add_mouse, "guest.mouse=none", NULL, NULL, "" },
  { "tpm", vt_device_add_tpm, "guest.tpm=tpm-crb", NULL, NULL,
    "<tpm model=\"tpm-crb\"><backend type=\"emulator\" version=\"2.0\"/>"
    "<alias name=\"ua-tpm0\"/></tpm>" },
  { "tpm-none", vt_device_add_tpm, "guest.tpm=none", NULL, NULL, "" },
  { "tpm-model-unsupported", vt_device_add_tpm, "guest.tpm=tpm-crb", "<value>tpm-crb</value>",
    "", NULL, "guest.tpm: 'tpm-crb' is not supported by this host (tpm.model lists tpm-tis)" },
  { "tpm-no-emulator", vt_device_add_tpm, "guest.tpm=tpm-tis", "<value>emulator</value>", "",
    NULL, "guest.tpm: 'tpm-tis' needs emulator, which this host's tpm.backendModel lacks (it "
    "lists passthrough, external)" },
  { "tpm-device-unsupported", vt_device_add_tpm, "guest.tpm=tpm-tis", "<tpm supported='yes'>",
    "<tpm supported='no'>", NULL, "(tpm.model lists nothing)" },
  { "graphics", vt_device_add_graphics, "guest.graphics=vnc", NULL, NULL,
    "<graphics type=\"vnc\" autoport=\"yes\"><listen type=\"address\" address=\"127.0.0.1\"/>"
    "</graphics>" },
  { "graphics-none", vt_device_add_graphics, "guest.graphics=none", "<value>spice</value>", "",
    "" },
  { "graphics-unsupported", vt_device_add_graphics, "guest.graphics=spice",
    "<value>spice</value>", "", NULL, "guest.graphics: 'spice' is not supported by this host "
    "(graphics.type lists sdl, vnc, egl-headless, dbus)" },
  { "video-virtio-sev", vt_device_add_video, SEV "guest.video=virtio", NULL, NULL,
    "<video><model type=\"virtio\" heads=\"1\" primary=\"yes\"/><driver iommu=\"on\"/>"
    "<alias name=\"ua-video0\"/></video>" },
  /* Only virtio video goes through the IOMMU. */
  { "video-qxl-sev", vt_device_add_video, SEV "guest.video=qxl", NULL, NULL,
    "<video><model type=\"qxl\" heads=\"1\" primary=\"yes\"/><alias name=\"ua-video0\"/>"
    "</video>" },
  /* An explicit model none, or libvirt would add a default video device. */
  { "video-none", vt_device_add_video, "guest.video=none", "<value>none</value>", "",
    "<video><model type=\"none\"/><alias name=\"ua-video0\"/></video>" },
  { "video-unsupported", vt_device_add_video, "guest.video=qxl", "<value>qxl</value>", "", NULL,
    "guest.video: 'qxl' is not supported by this host (video.modelType lists vga, cirrus, vmvga, "
    "virtio, none, bochs, ramfb)" },
  { "watchdog", vt_device_add_watchdog, "guest.watchdog=i6300esb guest.watchdog.action=pause",
    NULL, NULL, "<watchdog model=\"i6300esb\" action=\"pause\"><alias name=\"ua-watchdog0\"/>"
    "</watchdog>" },
  { "watchdog-none", vt_device_add_watchdog, "guest.watchdog=none guest.watchdog.action=reset",
    NULL, NULL, "" },
  { "memballoon", vt_device_add_memballoon, "guest.memballoon=on", NULL, NULL,
    "<memballoon model=\"virtio\"><alias name=\"ua-balloon0\"/></memballoon>" },
  /* Model none, or libvirt would add one; and no alias, which libvirt would drop. */
  { "memballoon-off", vt_device_add_memballoon, "guest.memballoon=off", NULL, NULL,
    "<memballoon model=\"none\"/>" },
  { "rng-sev", vt_device_add_rng, SEV "guest.rng=on", NULL, NULL,
    "<rng model=\"virtio\"><backend model=\"random\">/dev/urandom</backend>"
    "<driver iommu=\"on\"/><alias name=\"ua-rng0\"/></rng>" },
  { "rng-off", vt_device_add_rng, "guest.rng=off", "<value>virtio</value>\n        "
    "<value>virtio-transitional</value>", "<value>virtio-transitional</value>", "" },
  { "rng-unsupported", vt_device_add_rng, "guest.rng=on", "<value>virtio</value>\n        "
    "<value>virtio-transitional</value>", "<value>virtio-transitional</value>", NULL,
    "guest.rng: 'on' needs virtio, which this host's rng.model lacks (it lists "
    "virtio-transitional, virtio-non-transitional)" },
};

static void
test_device_case (gconstpointer data)
{
  const DeviceCase *c = data;
  g_autoptr (VtDomcaps) caps = caps_new (c->from, c->to);
  g_autoptr (VtSettings) settings = settings_new (c->settings);
  g_autoptr (GError) error = NULL;
  VtDeviceContext ctx = vt_device_context (settings, caps);
  xmlNodePtr devices = devices_new ();
  gboolean ok = c->build (devices, &ctx, &error);

  if (c->expect)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      assert_added (devices, c->expect);
    }
  else
    assert_refused (devices, ok, error, VT_ERROR_UNSUPPORTED, c->message);
  xmlFreeDoc (devices->doc);
}

/* Room for hot-plugging (issue #12): on q35, from index 1 (libvirt adds the root at 0),
 * one port per device
 * that takes a PCIe slot (here a virtio disk and a NIC; the SATA CD-ROM takes none) and
 * four spares; nothing on pc. */
static void
test_hotplug_ports (void)
{
  g_autoptr (VtDomcaps) caps = caps_new (NULL, NULL);
  g_autoptr (VtSettings) q35 = settings_new ("guest.machine=q35");
  g_autoptr (VtSettings) pc = settings_new ("guest.machine=pc");
  VtDeviceContext ctx = vt_device_context (q35, caps);
  VtDeviceContext pc_ctx = vt_device_context (pc, caps);
  VtNetDesc net = { VT_NET_NETWORK, (char *) "default", NULL };
  VtDiskDesc disk = { VT_DISK_VOLUME, (char *) "default", (char *) "a.qcow2" };
  VtDiskDesc cdrom = { VT_DISK_CDROM, (char *) "isos", (char *) "x.iso" };
  VtDiskEntry disk_entry = { &disk, NULL, "vm", 0 };
  VtDiskEntry cdrom_entry = { &cdrom, NULL, "vm", 1 };
  VtDiskCount count = { 0 };
  xmlNodePtr devices = devices_new ();
  xmlNodePtr pc_devices = devices_new ();
  g_autofree char *xml = NULL;
  guint ports = 0;

  g_assert_true (vt_device_add_disk (devices, &ctx, &disk_entry, &count, NULL));
  g_assert_true (vt_device_add_disk (devices, &ctx, &cdrom_entry, &count, NULL));
  g_assert_true (vt_device_add_nic (devices, &ctx, &net, 0, NULL));
  g_assert_true (vt_device_add_hotplug_ports (devices, &ctx, NULL));
  xml = children_xml (devices);
  g_assert_null (strstr (xml, "index=\"0\""));
  for (const char *p = xml; (p = strstr (p, "model=\"pcie-root-port\"")) != NULL; p++)
    ports++;
  g_assert_cmpuint (ports, ==, 2 + VT_HOTPLUG_SPARE_PORTS);
  g_assert_nonnull (strstr (xml, "<controller type=\"pci\" index=\"6\" model=\"pcie-root-port\">"
                                 "<alias name=\"ua-pcie-port5\"/></controller>"));
  g_assert_true (vt_device_add_hotplug_ports (pc_devices, &pc_ctx, NULL));
  assert_added (pc_devices, "");
  xmlFreeDoc (devices->doc);
  xmlFreeDoc (pc_devices->doc);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/domain/device/context", test_context);
  g_test_add_func ("/domain/device/disk/virtio-sev", test_disk_virtio_sev);
  g_test_add_func ("/domain/device/disk/cdrom", test_disk_cdrom);
  g_test_add_func ("/domain/device/disk/counts", test_disk_counts);
  g_test_add_func ("/domain/device/disk/binding-and-path", test_disk_binding_and_path);
  g_test_add_func ("/domain/device/disk/bus-unsupported", test_disk_bus_unsupported);
  g_test_add_func ("/domain/device/disk/unrepresentable", test_disk_unrepresentable);
  g_test_add_func ("/domain/device/nic/model", test_nic_model);
  g_test_add_func ("/domain/device/nic/unrepresentable", test_nic_unrepresentable);
  g_test_add_func ("/domain/device/hotplug-ports", test_hotplug_ports);
  for (gsize i = 0; i < G_N_ELEMENTS (device_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/domain/device/%s", device_cases[i].name);
      g_test_add_data_func (path, &device_cases[i], test_device_case);
    }
  rc = g_test_run ();
  xmlCleanupParser ();
  return rc;
}
