/* virtuned — attestation of an SEV domain through libvirt (SPEC §8): the domain looked up
 * and checked (running, paused, with SEV), its live XML read for what the owner did not
 * give (firmware, vCPUs, direct boot), and sev/attest.h's decisions run against
 * libvirt's launch-security calls. */
#pragma once

#include <glib.h>

#include "libvirt/connection.h"
#include "sev/attest.h"

G_BEGIN_DECLS

/* Trusted-host mode (AttestDomain): fills what @request leaves unset from the domain's
 * live XML (firmware = its loader, n_cpus = its vCPUs, kernel/initrd/cmdline when
 * kernel hashes are on and no kernel was given), then vt_sev_attest(). Errors:
 * VT_ERROR_LIBVIRT (no such domain, a libvirt call failed), VT_ERROR_FAILED (the domain
 * is not running paused with SEV: it is left as it was), VT_ERROR_UNSUPPORTED (another
 * kind of launch security), and vt_sev_attest()'s. */
gboolean vt_libvirt_attest (VtConnection *conn, const char *domain, VtSevAttestRequest *request,
                            VtSevAttestResult *result, GError **error);

/* What the untrusted-host owner needs to verify a launch offline (GetLaunchMeasurement). */
typedef struct {
  char *measurement;          /* base64, as libvirt shows it */
  VtSevPlatform platform;
  char *loader;               /* the firmware the domain runs, or NULL */
  char *loader_sha256;        /* hex, or NULL with no loader */
  guint n_cpus;
  gboolean kernel_hashes;
} VtLaunchMeasurement;

void vt_launch_measurement_free (VtLaunchMeasurement *measurement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtLaunchMeasurement, vt_launch_measurement_free)

/* The launch measurement of @domain (running paused with SEV) and the facts around it.
 * Errors as vt_libvirt_attest's checks. */
VtLaunchMeasurement *vt_libvirt_launch_measurement (VtConnection *conn, const char *domain,
                                                    GError **error);

/* Untrusted-host mode (InjectLaunchSecret): vt_sev_inject() on @domain, which must be
 * running paused with SEV. @state is the domain's state afterwards. */
gboolean vt_libvirt_inject_secret (VtConnection *conn, const char *domain, GBytes *header,
                                   GBytes *payload, gboolean resume, const char **state,
                                   GError **error);

G_END_DECLS
