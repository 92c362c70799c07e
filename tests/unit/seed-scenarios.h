/* The seed's "Default Settings Comparison" tables (seeds/000_e94e7625fa10d504.txt),
 * restated independently of data/policies as the oracle for test-domain (settings set
 * by hand) and test-render (settings from the real policies). Each row names the seed
 * row, the catalog key and the seed's value, the value after the host layer and the
 * requirements step on the bundled domain capabilities, and where the row shows in the
 * domain XML. */
#pragma once

#include <glib.h>

#include "domcaps-fixtures.h"

typedef struct {
  const char *row;      /* seed table row */
  const char *key;      /* catalog key; NULL for an extra XML check of the row above */
  const char *value;    /* seed value, canonical spelling */
  const char *host;     /* value after the host layer and requirements when it differs,
                           else NULL */
  const char *xpath;    /* XPath 1.0 over the domain, or NULL when not in the XML */
  const char *expect;   /* string value of xpath */
} SeedRow;

typedef struct {
  const char *name;
  const SeedRow *rows;  /* ends with a row whose row member is NULL */
  gboolean sev_host;    /* needs a host with AMD SEV (securevm locks guest.sev) */
} SeedScenario;

/* The bundled generic host, given plain AMD SEV (no SEV-ES) when @scenario needs it, so
 * every scenario is checked against the same machine type and device enums. */
static inline VtDomcaps *
seed_scenario_caps (const SeedScenario *scenario)
{
  static const char *const no_sev[] = { "<sev supported='no'/>", NULL };
  static const char *const with_sev[] = {
    "<sev supported='yes'><cbitpos>51</cbitpos><reducedPhysBits>1</reducedPhysBits>"
    "<maxGuests>15</maxGuests><maxESGuests>0</maxESGuests></sev>", NULL };

  return scenario->sev_host ? fixture_variant (BUNDLED_CAPS, no_sev, with_sev)
                            : fixture_caps (BUNDLED_CAPS);
}

#define DISK "/domain/devices/disk[@device='disk']"
#define XML_ONLY(xp, v) { "", NULL, NULL, NULL, xp, v }

/* Rows every scenario shares. */
#define SEED_COMMON_ROWS                                                                 \
  { "disk bus", "storage.bus", "virtio", NULL, "string(" DISK "/target/@bus)", "virtio" }, \
  { "capacity", "storage.capacity", "20GiB", NULL, NULL, NULL },                         \
  { "Transparent HugePages", "host.thp", "always", NULL, NULL, NULL },                   \
  { "machine", "guest.machine", "q35", "pc-q35-7.2", "string(/domain/os/type/@machine)", \
    "pc-q35-7.2" },                                                                      \
  { "features", "guest.features", "acpi apic pae", NULL,                                 \
    "count(/domain/features/*[not(self::vmport)])", "3" },                              \
  XML_ONLY ("count(/domain/features/acpi|/domain/features/apic|/domain/features/pae)", "3"), \
  XML_ONLY ("string(/domain/features/vmport/@state)", "off")

static const SeedRow seed_securevm_rows[] = {
  { "preallocation", "storage.preallocation", "metadata", NULL, NULL, NULL },
  { "encryption", "storage.encryption", "on", NULL, NULL, NULL },
  { "disk_cache", "storage.cache", "writethrough", NULL, "string(" DISK "/driver/@cache)",
    "writethrough" },
  { "lazy_refcounts", "storage.lazy_refcounts", "on", NULL, NULL, NULL },
  { "format", "storage.format", "qcow2", NULL, "string(" DISK "/driver/@type)", "qcow2" },
  { "cluster_size", "storage.cluster_size", "8MiB", "2MiB", NULL, NULL },
  { "KSM", "host.ksm", "off", NULL, NULL, NULL },
  { "KSM merge across", "host.ksm_merge_across_nodes", "off", NULL, NULL, NULL },
  { "swappiness", "host.swappiness", "0", NULL, NULL, NULL },
  { "IO Scheduler", "host.io_scheduler", "bfq", NULL, NULL, NULL },
  { "CPU migratable", "guest.cpu.migratable", "off", NULL, "string(/domain/cpu/@migratable)",
    "off" },
  { "watchdog", "guest.watchdog", "none", NULL, "count(/domain/devices/watchdog)", "0" },
  { "vTPM", "guest.tpm", "tpm-crb", NULL, "string(/domain/devices/tpm/@model)", "tpm-crb" },
  XML_ONLY ("string(/domain/devices/tpm/backend/@version)", "2.0"),
  XML_ONLY ("string(/domain/devices/tpm/backend/@type)", "emulator"),
  { "iothreads", "guest.iothreads", "0", NULL, "count(/domain/iothreads)", "0" },
  XML_ONLY ("count(" DISK "/driver/@iothread)", "0"),
  { "video", "guest.video", "qxl", NULL, "string(/domain/devices/video/model/@type)", "qxl" },
  { "network", "guest.nic", "e1000", NULL, "string(/domain/devices/interface/model/@type)",
    "e1000" },
  { "keyboard", "guest.keyboard", "ps2", NULL,
    "string(/domain/devices/input[@type='keyboard']/@bus)", "ps2" },
  { "mouse", "guest.mouse", "none", NULL,
    "count(/domain/devices/input[@type='mouse' or @type='tablet'])", "0" },
  { "on_poweroff", "guest.on_poweroff", "destroy", NULL, "string(/domain/on_poweroff)",
    "destroy" },
  { "on_reboot", "guest.on_reboot", "destroy", NULL, "string(/domain/on_reboot)", "destroy" },
  { "on_crash", "guest.on_crash", "destroy", NULL, "string(/domain/on_crash)", "destroy" },
  { "suspend_to_mem", "guest.suspend_to_mem", "off", NULL,
    "string(/domain/pm/suspend-to-mem/@enabled)", "no" },
  { "suspend_to_disk", "guest.suspend_to_disk", "off", NULL,
    "string(/domain/pm/suspend-to-disk/@enabled)", "no" },
  /* "kvm SEV", "sec cbitpos/reducedPhysBits/policy: auto": from the host's capabilities;
   * SEV boots UEFI, which the requirements step after the host layer sets. */
  { "kvm SEV", "guest.sev", "auto", "sev", "string(/domain/launchSecurity/@type)", "sev" },
  XML_ONLY ("string(/domain/launchSecurity/cbitpos)", "51"),
  XML_ONLY ("string(/domain/launchSecurity/reducedPhysBits)", "1"),
  { "boot UEFI", "guest.firmware", "auto", "efi", "string(/domain/os/@firmware)", "efi" },
  { "sec policy", "guest.sev.policy", "auto", NULL, NULL, NULL },
  SEED_COMMON_ROWS,
  { NULL }
};

static const SeedRow seed_computation_rows[] = {
  { "preallocation", "storage.preallocation", "off", NULL, NULL, NULL },
  { "encryption", "storage.encryption", "off", NULL, NULL, NULL },
  { "disk_cache", "storage.cache", "unsafe", NULL, "string(" DISK "/driver/@cache)", "unsafe" },
  { "lazy_refcounts", "storage.lazy_refcounts", "on", NULL, NULL, NULL },
  { "format", "storage.format", "raw", NULL, "string(" DISK "/driver/@type)", "raw" },
  { "KSM", "host.ksm", "on", NULL, NULL, NULL },
  { "KSM merge across", "host.ksm_merge_across_nodes", "on", NULL, NULL, NULL },
  { "swappiness", "host.swappiness", "0", NULL, NULL, NULL },
  { "IO Scheduler", "host.io_scheduler", "mq-deadline", NULL, NULL, NULL },
  { "CPU migratable", "guest.cpu.migratable", "off", NULL, "string(/domain/cpu/@migratable)",
    "off" },
  { "watchdog", "guest.watchdog", "i6300esb", NULL, "string(/domain/devices/watchdog/@model)",
    "i6300esb" },
  { "watchdog", "guest.watchdog.action", "poweroff", NULL,
    "string(/domain/devices/watchdog/@action)", "poweroff" },
  { "vTPM", "guest.tpm", "none", NULL, "count(/domain/devices/tpm)", "0" },
  { "iothreads", "guest.iothreads", "4", NULL, "string(/domain/iothreads)", "4" },
  XML_ONLY ("string(" DISK "/driver/@iothread)", "1"),
  { "video", "guest.video", "qxl", NULL, "string(/domain/devices/video/model/@type)", "qxl" },
  { "network", "guest.nic", "virtio", NULL, "string(/domain/devices/interface/model/@type)",
    "virtio" },
  { "keyboard", "guest.keyboard", "virtio", NULL,
    "string(/domain/devices/input[@type='keyboard']/@bus)", "virtio" },
  { "mouse", "guest.mouse", "virtio", NULL,
    "string(/domain/devices/input[@type='mouse']/@bus)", "virtio" },
  { "on_poweroff", "guest.on_poweroff", "restart", NULL, "string(/domain/on_poweroff)",
    "restart" },
  { "on_reboot", "guest.on_reboot", "restart", NULL, "string(/domain/on_reboot)", "restart" },
  { "on_crash", "guest.on_crash", "restart", NULL, "string(/domain/on_crash)", "restart" },
  { "suspend_to_mem", "guest.suspend_to_mem", "off", NULL,
    "string(/domain/pm/suspend-to-mem/@enabled)", "no" },
  { "suspend_to_disk", "guest.suspend_to_disk", "off", NULL,
    "string(/domain/pm/suspend-to-disk/@enabled)", "no" },
  /* auto without an os: is BIOS (firmware-auto.c), libvirt's default: no attribute. */
  { "boot UEFI", "guest.firmware", "auto", "bios", "count(/domain/os/@firmware)", "0" },
  SEED_COMMON_ROWS,
  { NULL }
};

static const SeedRow seed_desktop_rows[] = {
  { "preallocation", "storage.preallocation", "metadata", NULL, NULL, NULL },
  { "encryption", "storage.encryption", "off", NULL, NULL, NULL },
  { "disk_cache", "storage.cache", "none", NULL, "string(" DISK "/driver/@cache)", "none" },
  { "lazy_refcounts", "storage.lazy_refcounts", "off", NULL, NULL, NULL },
  { "format", "storage.format", "qcow2", NULL, "string(" DISK "/driver/@type)", "qcow2" },
  { "cluster_size", "storage.cluster_size", "8MiB", "2MiB", NULL, NULL },
  { "KSM", "host.ksm", "on", NULL, NULL, NULL },
  { "KSM merge across", "host.ksm_merge_across_nodes", "on", NULL, NULL, NULL },
  { "swappiness", "host.swappiness", "35", NULL, NULL, NULL },
  { "IO Scheduler", "host.io_scheduler", "mq-deadline", NULL, NULL, NULL },
  { "CPU migratable", "guest.cpu.migratable", "on", NULL, "string(/domain/cpu/@migratable)",
    "on" },
  { "watchdog", "guest.watchdog", "none", NULL, "count(/domain/devices/watchdog)", "0" },
  { "vTPM", "guest.tpm", "none", NULL, "count(/domain/devices/tpm)", "0" },
  { "iothreads", "guest.iothreads", "4", NULL, "string(/domain/iothreads)", "4" },
  XML_ONLY ("string(" DISK "/driver/@iothread)", "1"),
  { "video", "guest.video", "virtio", NULL, "string(/domain/devices/video/model/@type)",
    "virtio" },
  { "network", "guest.nic", "e1000", NULL, "string(/domain/devices/interface/model/@type)",
    "e1000" },
  { "keyboard", "guest.keyboard", "virtio", NULL,
    "string(/domain/devices/input[@type='keyboard']/@bus)", "virtio" },
  { "mouse", "guest.mouse", "virtio", NULL,
    "string(/domain/devices/input[@type='mouse']/@bus)", "virtio" },
  { "on_poweroff", "guest.on_poweroff", "destroy", NULL, "string(/domain/on_poweroff)",
    "destroy" },
  { "on_reboot", "guest.on_reboot", "restart", NULL, "string(/domain/on_reboot)", "restart" },
  { "on_crash", "guest.on_crash", "destroy", NULL, "string(/domain/on_crash)", "destroy" },
  { "suspend_to_mem", "guest.suspend_to_mem", "on", NULL,
    "string(/domain/pm/suspend-to-mem/@enabled)", "yes" },
  { "suspend_to_disk", "guest.suspend_to_disk", "on", NULL,
    "string(/domain/pm/suspend-to-disk/@enabled)", "yes" },
  /* auto without an os: is BIOS (firmware-auto.c), libvirt's default: no attribute. */
  { "boot UEFI", "guest.firmware", "auto", "bios", "count(/domain/os/@firmware)", "0" },
  SEED_COMMON_ROWS,
  { NULL }
};

static const SeedScenario seed_scenarios[] = {
  { "securevm", seed_securevm_rows, TRUE },
  { "computation", seed_computation_rows, FALSE },
  { "desktop", seed_desktop_rows, FALSE },
};
