/* virtuned — what the host can do, from libvirt domain capabilities (SPEC §4.1 host layer). */
#pragma once

#include <glib.h>

#include "model/firmware.h"
#include "model/host-topology.h"

G_BEGIN_DECLS

typedef struct {
  char *source;          /* "libvirt" or the file it was read from */
  char *domain_type;     /* kvm | qemu */
  char *machine;         /* expanded, e.g. pc-q35-7.2 */
  GPtrArray *machines;   /* char*: every machine name the document offers: <machine> and
                            its alias (q35 for pc-q35-*, pc for pc-i440fx-*) */
  char *arch;            /* x86_64 */
  char *cpu_vendor;      /* the host-model CPU's vendor (AMD, Intel), or NULL */
  char *emulator;        /* /usr/bin/qemu-system-x86_64 */
  guint max_vcpus;
  GHashTable *enums;     /* "os.firmware", "loader.secure", "cpu.mode" (supported modes),
                            "disk.bus", "disk.diskDevice", "graphics.type", "video.modelType",
                            "tpm.model", "tpm.backendModel", "rng.model", "features" ...
                            -> GPtrArray of char* values */
  GPtrArray *unsupported;  /* char*: elements marked supported='no' (devices, os, loader,
                              firmwareFeatures, features): their enums list nothing */
  gboolean sev;          /* <features><sev supported='yes'> */
  guint sev_cbitpos;
  guint sev_reduced_phys_bits;
  guint sev_max_guests;
  guint sev_max_es_guests;
  /* The host's QEMU firmware descriptors, when the daemon could read them (it runs on the
   * hypervisor host, and the document is the connection's own); NULL when it could not
   * (a remote connection, a saved document): the host layer then warns before trusting
   * SEV-ES. Owned. */
  VtFirmwareDescriptors *firmware;
  /* char*: every machine type (and alias) the host's emulator has for caps->arch, from the
   * host capabilities (virConnectGetCapabilities), when the daemon asked the connection
   * for them; NULL when not known (a saved document, a driver without them). */
  GPtrArray *host_machines;
  /* The host's online CPUs and their cores, from the same host capabilities; NULL when
   * not known (a saved document without them): realtime pinning then has nothing to
   * choose from. Owned. */
  VtHostTopology *topology;
} VtDomcaps;

VtDomcaps *vt_domcaps_parse (const char *xml, gsize len, const char *source, GError **error);
VtDomcaps *vt_domcaps_load_file (const char *path, GError **error);
void vt_domcaps_free (VtDomcaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtDomcaps, vt_domcaps_free)

/* TRUE when enum @name ("ELEMENT.ENUM") lists @value. The enums of an element marked
 * supported='no' list nothing. An enum the document does not mention otherwise counts
 * as "unknown", and unknown is TRUE (libvirt only lists what it can check). */
gboolean vt_domcaps_supports (const VtDomcaps *caps, const char *name, const char *value);

/* Fills caps->host_machines from host capabilities XML (virConnectGetCapabilities): the
 * <machine> names of the hvm guest of caps->arch, the ones every domain type has and the
 * ones of caps->domain_type. Errors: VT_ERROR_FAILED (not well-formed, not
 * <capabilities>, no such guest). */
gboolean vt_domcaps_add_host_machines (VtDomcaps *caps, const char *xml, gsize len,
                                       GError **error);

/* Fills caps->topology from host capabilities XML (vt_host_topology_parse); on error
 * caps->topology is left as it was. */
gboolean vt_domcaps_add_host_topology (VtDomcaps *caps, const char *xml, gsize len,
                                       GError **error);

/* TRUE when @name is one of caps->machines (the machine or its alias). */
gboolean vt_domcaps_offers_machine (const VtDomcaps *caps, const char *name);

G_END_DECLS
