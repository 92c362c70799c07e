/* virtuned — attesting an SEV guest that runs paused, and giving it its launch secret:
 * the decisions (verify, then inject and resume; on a mismatch destroy it or leave it
 * paused, never resume it), made against the four hypervisor calls they need. Those
 * calls are a table of function pointers (VtSevGuestOps): libvirt/attest.c fills it
 * with libvirt's launch-security calls, the unit tests with recorded values, so the
 * decisions are tested without a hypervisor and this part stays free of libvirt. */
#pragma once

#include <glib.h>

#include "sev/bytes.h"
#include "sev/keys.h"
#include "sev/measurement.h"
#include "sev/secret.h"
#include "sev/vmsa.h"

G_BEGIN_DECLS

/* The hypervisor's side of one paused guest. Each call sets @error with the
 * hypervisor's own message when it fails. */
typedef struct {
  /* The launch measurement as the hypervisor shows it (base64 of HMAC ‖ nonce; newly
   * allocated) and what the platform reports with it (libvirt:
   * virDomainGetLaunchSecurityInfo). */
  gboolean (*get_launch_info) (gpointer guest, char **measurement, VtSevPlatform *platform,
                               GError **error);
  /* Injects the LAUNCH_SECRET packet, header and payload in base64 (libvirt:
   * virDomainSetLaunchSecurityState). */
  gboolean (*set_launch_secret) (gpointer guest, const char *header, const char *payload,
                                 GError **error);
  gboolean (*resume) (gpointer guest, GError **error);
  gboolean (*destroy) (gpointer guest, GError **error);
} VtSevGuestOps;

typedef struct {
  const VtSevGuestOps *ops;
  gpointer data;            /* passed to every op */
  const char *name;         /* the domain, for messages */
} VtSevGuest;

typedef enum {
  VT_SEV_ON_MISMATCH_DESTROY,       /* the default: an untrusted guest never runs */
  VT_SEV_ON_MISMATCH_KEEP_PAUSED,   /* leave it for the owner to look at */
} VtSevOnMismatch;

/* What the owner expects the PSP measured, and what to inject. Paths are on the host,
 * absolute, regular files. */
typedef struct {
  VtSevKeys *keys;
  char *firmware;                   /* the image QEMU maps (the domain's loader) */
  /* Direct kernel boot with kernel hashes (kernelHashes='yes'): the kernel, or NULL
   * when the table is not measured; initrd and cmdline as vt_sev_kernel_hashes_load. */
  char *kernel;
  char *initrd;
  char *cmdline;
  /* SEV-ES (the policy's ES bit): the vCPUs and their VMSAs, given or built from the
   * host CPU's signature. */
  guint n_cpus;
  gboolean have_cpu;
  VtSevCpuSignature cpu;
  VtSevBytes *vmsa_cpu0;
  VtSevBytes *vmsa_cpu1;
  VtSevSecrets *secrets;            /* nullable: nothing to inject */
  VtSevOnMismatch on_mismatch;
  VtSevBytes *iv;                   /* tests only: the secret's IV; NULL draws one */
} VtSevAttestRequest;

VtSevAttestRequest *vt_sev_attest_request_new (void);
/* Frees @request and its members; key material and secrets are wiped. */
void vt_sev_attest_request_free (VtSevAttestRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VtSevAttestRequest, vt_sev_attest_request_free)

typedef struct {
  gboolean measurement_ok;
  VtSevMeasurement expected;        /* with the reported nonce */
  VtSevMeasurement reported;
  VtSevPlatform platform;
  gboolean secret_injected;
  const char *state;                /* "running", "paused" or "destroyed" */
} VtSevAttestResult;

/* Reads the guest's launch measurement, computes the expected one from @request, and:
 * on a match injects the secrets (if any) and resumes the guest; on a mismatch
 * destroys it or leaves it paused (@request->on_mismatch) and fails with
 * VT_ERROR_ATTESTATION_FAILED naming the inputs to check. A failed injection is
 * handled like a mismatch (a guest without its secret must not run). Anything that
 * fails before the verdict (a hypervisor call, an unreadable or invalid input:
 * VT_ERROR_FAILED or G_FILE_ERROR) leaves the guest as it was. @result is filled as far
 * as the attestation got. No message carries key material. */
gboolean vt_sev_attest (const VtSevGuest *guest, const VtSevAttestRequest *request,
                        VtSevAttestResult *result, GError **error);

/* Whether @header and @payload can be a LAUNCH_SECRET packet: the header
 * VT_SEV_SECRET_HEADER_SIZE bytes, the payload (the padded table, encrypted) a non-empty
 * multiple of 16 bytes of at most VT_SEV_SECRET_TABLE_MAX_BYTES. Errors:
 * VT_ERROR_FAILED naming the part and its length. */
gboolean vt_sev_check_packet (GBytes *header, GBytes *payload, GError **error);

/* Injects an owner-built LAUNCH_SECRET packet (vscenctl sev build-secret), checked
 * with vt_sev_check_packet() before anything is sent, and, when @resume, resumes the
 * guest. @state is set to the guest's state afterwards. */
gboolean vt_sev_inject (const VtSevGuest *guest, GBytes *header, GBytes *payload,
                        gboolean resume, const char **state, GError **error);

/* Checks that @path names a regular file by an absolute path, so a caller cannot make
 * the daemon read a device or a pipe, or a path relative to wherever it runs. @what
 * names the input in errors (VT_ERROR_FAILED, or G_FILE_ERROR from stat). */
gboolean vt_sev_check_host_file (const char *path, const char *what, GError **error);

G_END_DECLS
