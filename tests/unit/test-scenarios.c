/* Each built-in scenario against its reference (README "Scenarios" table): what virt-install
 * enables for the same guest, libvirt's own guidance, the seed. Real policies, the real
 * merge and builder; every domain is also checked by virt-xml-validate and a define in
 * libvirt's test driver. */
#include "render-fixture.h"

#define GiB (G_GUINT64_CONSTANT (1) << 30)

/* Two OSes beside the hand-made openSUSE: one that boots UEFI and BIOS, one that boots
 * only UEFI with secure boot and a TPM (Windows 11's needs). */
static void
add_firmware_oses (void)
{
  static const struct {
    const char *short_id;
    guint flags;
  } entries[] = {
    { "efilinux1", VT_OS_VIRTIO_DISK | VT_OS_VIRTIO_NET | VT_OS_EFI_SUPPORTED },
    { "uefionly11", VT_OS_EFI_SUPPORTED | VT_OS_EFI_REQUIRED | VT_OS_SECURE_BOOT | VT_OS_TPM2 |
                    VT_OS_LOCALTIME },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      VtOsInfo *os = g_new0 (VtOsInfo, 1);
      os->id = g_strdup_printf ("http://virtuned.test/%s", entries[i].short_id);
      os->short_id = g_strdup (entries[i].short_id);
      os->name = g_strdup (entries[i].short_id);
      os->vendor = g_strdup ("");
      os->release_date = g_strdup ("");
      os->eol_date = g_strdup ("");
      os->flags = entries[i].flags;
      os->rec_memory = 4 * GiB;
      vt_os_table_add (oses, os, NULL);
    }
}

static xmlDocPtr
render_text (const VtDomcaps *caps, const char *text, VtResolved **plan_out)
{
  g_autoptr (VtResolved) plan = plan_ok (caps, text);
  xmlDocPtr doc = render_checked (plan, caps, NULL);

  if (plan_out)
    *plan_out = g_steal_pointer (&plan);
  return doc;
}

/* Renders @scenarios on the bundled host with @extra description lines. */
static xmlDocPtr
render_scenarios (const char *scenarios, const char *extra, VtResolved **plan_out)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *text = description ("ref", scenarios, extra);

  return render_text (caps, text, plan_out);
}

/* @scenarios with an empty new disk first and an installer CD after it. */
static xmlDocPtr
render_with_cdrom (const char *scenarios)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *text = g_strdup_printf ("name: cd\n%s%s\ndisks:\n  - pool: default\n"
                                           "  - cdrom: isos/install.iso\n",
                                           scenarios ? "scenario: " : "# ",
                                           scenarios ? scenarios : "no scenario");

  return render_text (caps, text, NULL);
}

static void
assert_refused (const char *scenarios, const char *extra, int code, const char *fragment)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (BUNDLED_CAPS);
  g_autofree char *text = description ("bad", scenarios, extra);

  assert_plan_fails (caps, text, code, fragment);
}

/* ---- every VM ---------------------------------------------------------------------- */

/* A serial console (firmware and boot loader output reach `virsh console`), a boot order
 * on every disk in the description's order, and no VMware port. */
static void
test_every_vm (void)
{
  xmlDocPtr doc = render_with_cdrom (NULL);

  assert_xpath (doc, "string(//serial[@type='pty']/target/@type)", "isa-serial");
  assert_xpath (doc, "string(//console[@type='pty']/target/@type)", "serial");
  assert_xpath (doc, "count(/domain/os/boot)", "0");
  assert_xpath (doc, "string(//disk[@device='disk']/boot/@order)", "1");
  assert_xpath (doc, "string(//disk[@device='cdrom']/boot/@order)", "2");
  assert_xpath (doc, "string(/domain/features/vmport/@state)", "off");
  assert_xpath (doc, "string(//controller[@type='usb']/@model)", "qemu-xhci");
  xmlFreeDoc (doc);
}

/* ---- firmware auto ------------------------------------------------------------------- */

static void
test_firmware_auto (void)
{
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc;

  /* No os: nothing says the guest boots UEFI: BIOS, said in the provenance. */
  doc = render_scenarios (NULL, NULL, &plan);
  assert_provenance (plan, "guest.firmware", "bios", "host");
  assert_xpath (doc, "count(/domain/os/@firmware)", "0");
  xmlFreeDoc (doc);
  g_clear_pointer (&plan, vt_resolved_free);

  /* An OS that boots UEFI, on a host with UEFI firmware. */
  doc = render_scenarios ("computation", "os: efilinux1\n", &plan);
  assert_provenance (plan, "guest.firmware", "efi", "host");
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "no");
  xmlFreeDoc (doc);
  g_clear_pointer (&plan, vt_resolved_free);

  /* desktop allows suspend-to-disk, which OVMF cannot do: BIOS keeps it. */
  doc = render_scenarios ("desktop", "os: efilinux1\n", &plan);
  assert_provenance (plan, "guest.firmware", "bios", "host");
  assert_provenance (plan, "guest.suspend_to_disk", "on", "scenario:desktop");
  xmlFreeDoc (doc);
  g_clear_pointer (&plan, vt_resolved_free);

  /* An OS that boots only UEFI gets it even from a scenario that says auto. */
  doc = render_scenarios ("desktop", "os: uefionly11\n", &plan);
  assert_provenance (plan, "guest.firmware", "efi", "host");
  assert_provenance (plan, "guest.suspend_to_disk", "off", "host");
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  xmlFreeDoc (doc);
}

/* A host without UEFI firmware: auto is BIOS whatever the OS. */
static void
test_firmware_auto_no_efi_host (void)
{
  static const char *const from[] = { "<value>efi</value>", NULL };
  static const char *const to[] = { "", NULL };
  g_autoptr (VtDomcaps) caps = fixture_variant (BUNDLED_CAPS, from, to);
  g_autofree char *text = description ("noefi", "computation", "os: efilinux1\n");
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc = render_text (caps, text, &plan);

  assert_provenance (plan, "guest.firmware", "bios", "host");
  xmlFreeDoc (doc);
}

/* ---- windows --------------------------------------------------------------------------- */

/* On a host whose domain capabilities list the enlightenments (QEMU 9.2, AMD): the full
 * set virt-install enables, AVIC for the AMD CPU, no eVMCS (Intel only). */
static void
test_windows_listed_hyperv (void)
{
  static const char *const on[] = { "relaxed", "vapic", "vpindex", "runtime", "synic",
                                    "stimer", "reset", "frequencies", "tlbflush", "ipi",
                                    "avic" };
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_SEV);
  g_autofree char *text = description ("win", "windows", NULL);
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc = render_text (caps, text, &plan);

  for (gsize i = 0; i < G_N_ELEMENTS (on); i++)
    {
      g_autofree char *xp = g_strdup_printf ("string(//hyperv/%s/@state)", on[i]);
      assert_xpath (doc, xp, "on");
    }
  assert_xpath (doc, "string(//hyperv/spinlocks/@retries)", "8191");
  assert_xpath (doc, "string(//hyperv/stimer/direct/@state)", "on");
  assert_xpath (doc, "count(//hyperv/evmcs)", "0");
  assert_xpath (doc, "string(/domain/clock/@offset)", "localtime");
  assert_xpath (doc, "string(/domain/clock/timer[@name='hypervclock']/@present)", "yes");
  assert_xpath (doc, "string(/domain/features/vmport/@state)", "off");
  assert_xpath (doc, "string(//input[@type='tablet']/@bus)", "usb");
  assert_provenance (plan, "guest.clock", "localtime", "scenario:windows");
  xmlFreeDoc (doc);
}

/* An Intel host: eVMCS is for its nested VMX, AVIC is not. */
static void
test_windows_intel_host (void)
{
  static const char *const from[] = { "<vendor>AMD</vendor>", "<value>avic</value>", NULL };
  static const char *const to[] = { "<vendor>Intel</vendor>",
                                    "<value>avic</value><value>evmcs</value>", NULL };
  g_autoptr (VtDomcaps) caps = fixture_variant (FIXTURE_SEV, from, to);
  g_autofree char *text = description ("win", "windows", NULL);
  xmlDocPtr doc = render_text (caps, text, NULL);

  assert_xpath (doc, "string(//hyperv/evmcs/@state)", "on");
  assert_xpath (doc, "count(//hyperv/avic)", "0");
  xmlFreeDoc (doc);
}

/* A host that lists only spinlocks (libvirt 9.0 on QEMU 7.2): the base set every QEMU with
 * Hyper-V has, and nothing that needs a VP index. */
static void
test_windows_base_hyperv (void)
{
  g_autoptr (VtDomcaps) caps = fixture_caps (FIXTURE_KVM);
  g_autofree char *text = description ("win", "windows", NULL);
  xmlDocPtr doc = render_text (caps, text, NULL);

  assert_xpath (doc, "count(//hyperv/*)", "3");
  assert_xpath (doc, "string(//hyperv/relaxed/@state)", "on");
  assert_xpath (doc, "string(//hyperv/vapic/@state)", "on");
  assert_xpath (doc, "string(//hyperv/spinlocks/@retries)", "8191");
  xmlFreeDoc (doc);
}

/* Windows 11's needs come from the OS layer: UEFI, secure boot (and the SMM it needs),
 * an emulated TPM 2.0. */
static void
test_windows_11 (void)
{
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc = render_scenarios ("windows", "os: uefionly11\n", &plan);

  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
  assert_xpath (doc, "string(/domain/features/smm/@state)", "on");
  assert_xpath (doc, "string(//tpm/@model)", "tpm-crb");
  assert_xpath (doc, "string(//tpm/backend/@version)", "2.0");
  assert_provenance (plan, "guest.secure_boot", "on", "os:uefionly11");
  assert_provenance (plan, "guest.tpm", "tpm-crb", "os:uefionly11");
  xmlFreeDoc (doc);
}

/* ---- desktop ------------------------------------------------------------------------- */

static void
test_desktop (void)
{
  xmlDocPtr doc = render_scenarios ("desktop", NULL, NULL);

  assert_xpath (doc, "string(//channel[@type='spicevmc']/target/@name)", "com.redhat.spice.0");
  assert_xpath (doc, "string(//sound/@model)", "ich9");
  assert_xpath (doc, "count(//redirdev[@bus='usb'][@type='spicevmc'])", "2");
  assert_xpath (doc, "string(//graphics/@type)", "spice");
  xmlFreeDoc (doc);
}

/* USB redirection rides on SPICE: with VNC the desktop's channels give way (a policy
 * value), a user's explicit count is a Conflict. */
static void
test_desktop_vnc (void)
{
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc = render_scenarios ("desktop", "graphics: vnc\n", &plan);

  assert_provenance (plan, "guest.usb_redirection", "0", "requires:guest.graphics");
  assert_xpath (doc, "count(//redirdev)", "0");
  assert_xpath (doc, "count(//channel[@type='spicevmc'])", "0");
  xmlFreeDoc (doc);
  assert_refused ("desktop", "graphics: vnc\nsettings:\n  guest.usb_redirection: 2\n",
                  VT_ERROR_CONFLICT, "guest.usb_redirection: '2' (from user) contradicts "
                  "guest.graphics 'vnc', which needs 0");
}

static void
test_no_usb (void)
{
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc = render_scenarios ("desktop", "settings:\n  guest.usb: none\n", &plan);

  assert_xpath (doc, "string(//controller[@type='usb']/@model)", "none");
  assert_xpath (doc, "count(//redirdev)", "0");
  assert_provenance (plan, "guest.usb_redirection", "0", "requires:guest.usb");
  xmlFreeDoc (doc);
  assert_refused ("windows", "settings:\n  guest.usb: none\n", VT_ERROR_CONFLICT,
                  "guest.mouse: 'tablet' (from scenario:windows) cannot be combined with "
                  "guest.usb 'none' (from user)");
  assert_refused (NULL, "settings:\n  guest.usb: none\n  guest.keyboard: usb\n",
                  VT_ERROR_CONFLICT, "a USB keyboard needs a USB controller");
}

/* ---- os-testing ------------------------------------------------------------------------ */

static void
test_os_testing (void)
{
  xmlDocPtr doc = render_with_cdrom ("os-testing");

  assert_xpath (doc, "count(//disk[@device='disk']/transient)", "1");
  assert_xpath (doc, "count(//disk[@device='cdrom']/transient)", "0");
  assert_xpath (doc, "string(//panic/@model)", "isa");
  assert_xpath (doc, "string(/domain/on_crash)", "preserve");
  assert_xpath (doc, "string(/domain/features/vmcoreinfo/@state)", "on");
  xmlFreeDoc (doc);
}

/* ---- migratable and hugepages ---------------------------------------------------------- */

static void
test_migratable (void)
{
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc = render_scenarios ("migratable", NULL, &plan);

  assert_xpath (doc, "string(/domain/cpu/@mode)", "host-model");
  assert_xpath (doc, "string(/domain/cpu/@check)", "partial");
  assert_xpath (doc, "string(//disk/driver/@cache)", "none");
  assert_provenance (plan, "guest.live_migration", "on", "scenario:migratable");
  xmlFreeDoc (doc);
  g_clear_pointer (&plan, vt_resolved_free);

  /* directsync keeps no writes on the source either. */
  doc = render_scenarios ("migratable", "settings:\n  storage.cache: directsync\n", NULL);
  assert_xpath (doc, "string(//disk/driver/@cache)", "directsync");
  xmlFreeDoc (doc);

  assert_refused ("migratable", "settings:\n  storage.cache: writeback\n", VT_ERROR_CONFLICT,
                  "storage.cache: 'writeback' (from user) cannot be combined with "
                  "guest.live_migration 'on' (locked by policy 'migratable')");
  assert_refused ("migratable", "settings:\n  guest.memory.locked: on\n", VT_ERROR_CONFLICT,
                  "not locked memory");
  assert_refused ("[migratable, hugepages]", NULL, VT_ERROR_CONFLICT,
                  "guest.hugepages: 'on' (from scenario:hugepages)");
  assert_refused ("[migratable, realtime]", NULL, VT_ERROR_CONFLICT,
                  "policies 'migratable' and 'realtime' cannot be combined");
  assert_refused ("migratable", "settings:\n  guest.live_migration: off\n", VT_ERROR_CONFLICT,
                  "guest.live_migration is locked");
}

static void
test_hugepages (void)
{
  g_autoptr (VtResolved) plan = NULL;
  xmlDocPtr doc = render_scenarios ("hugepages", NULL, &plan);

  assert_xpath (doc, "count(/domain/memoryBacking/hugepages)", "1");
  assert_xpath (doc, "string(//memballoon/@model)", "none");
  assert_provenance (plan, "guest.memballoon", "off", "scenario:hugepages");
  xmlFreeDoc (doc);
}

/* realtime's devices (its pinning is test-realtime's): no USB controller, no graphics,
 * the serial console instead. */
static void
test_realtime_devices (void)
{
  xmlDocPtr doc = render_scenarios ("realtime", NULL, NULL);

  assert_xpath (doc, "string(//controller[@type='usb']/@model)", "none");
  assert_xpath (doc, "count(//graphics)", "0");
  assert_xpath (doc, "count(//channel[@type='spicevmc'])", "0");
  assert_xpath (doc, "string(//console/target/@type)", "serial");
  assert_xpath (doc, "string(//memballoon/@model)", "none");
  xmlFreeDoc (doc);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  load_policies ();
  make_oses ();
  add_firmware_oses ();
  g_test_add_func ("/scenarios/every-vm", test_every_vm);
  g_test_add_func ("/scenarios/firmware-auto", test_firmware_auto);
  g_test_add_func ("/scenarios/firmware-auto-no-efi-host", test_firmware_auto_no_efi_host);
  g_test_add_func ("/scenarios/windows/listed-hyperv", test_windows_listed_hyperv);
  g_test_add_func ("/scenarios/windows/intel-host", test_windows_intel_host);
  g_test_add_func ("/scenarios/windows/base-hyperv", test_windows_base_hyperv);
  g_test_add_func ("/scenarios/windows/11", test_windows_11);
  g_test_add_func ("/scenarios/desktop", test_desktop);
  g_test_add_func ("/scenarios/desktop-vnc", test_desktop_vnc);
  g_test_add_func ("/scenarios/no-usb", test_no_usb);
  g_test_add_func ("/scenarios/os-testing", test_os_testing);
  g_test_add_func ("/scenarios/migratable", test_migratable);
  g_test_add_func ("/scenarios/hugepages", test_hugepages);
  g_test_add_func ("/scenarios/realtime-devices", test_realtime_devices);
  status = g_test_run ();
  vt_policy_set_free (policies);
  vt_os_table_free (oses);
  return status;
}
