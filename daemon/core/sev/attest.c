/* virtuned — attestation of a paused SEV guest and its launch secret (sev/attest.h).
 *
 * The rule this file exists for: a guest is resumed only after its measurement matched
 * and, when the owner gave secrets, after they were injected. Every other outcome leaves
 * it paused or destroys it. */
#include "sev/attest.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "model/limits.h"
#include "sev/digest.h"
#include "sev/kernel-hashes.h"
#include "sev/policy.h"
#include "util/echo.h"
#include "util/error.h"

VtSevAttestRequest *
vt_sev_attest_request_new (void)
{
  return g_new0 (VtSevAttestRequest, 1);
}

void
vt_sev_attest_request_free (VtSevAttestRequest *request)
{
  if (request == NULL)
    return;
  vt_sev_keys_free (request->keys);
  g_free (request->firmware);
  g_free (request->kernel);
  g_free (request->initrd);
  /* A command line may carry secrets of its own (a root password, a token). */
  if (request->cmdline != NULL)
    vt_sev_wipe (request->cmdline, strlen (request->cmdline));
  g_free (request->cmdline);
  vt_sev_bytes_free (request->vmsa_cpu0);
  vt_sev_bytes_free (request->vmsa_cpu1);
  vt_sev_secrets_free (request->secrets);
  vt_sev_bytes_free (request->iv);
  g_free (request);
}

gboolean
vt_sev_check_host_file (const char *path, const char *what, GError **error)
{
  struct stat st;

  if (!g_path_is_absolute (path))
    {
      g_autofree char *shown = vt_echo (path);

      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the %s must be an absolute path on the host, not '%s'", what, shown);
      return FALSE;
    }
  if (stat (path, &st) < 0)
    return vt_set_errno_error (error, errno, what, path);
  if (!S_ISREG (st.st_mode))
    {
      g_autofree char *shown = vt_echo (path);

      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "the %s %s is not a regular file", what,
                   shown);
      return FALSE;
    }
  return TRUE;
}

/* ---- the expected measurement ------------------------------------------------------- */

static gboolean
load_kernel_hashes (const VtSevAttestRequest *request, VtSevKernelHashes *hashes,
                    GError **error)
{
  return vt_sev_check_host_file (request->kernel, "kernel", error)
         && (request->initrd == NULL
             || vt_sev_check_host_file (request->initrd, "initrd", error))
         && vt_sev_kernel_hashes_load (hashes, request->kernel, request->initrd,
                                       request->cmdline, error);
}

/* The launch digest of what @request says the guest was launched with; SEV-ES when
 * the reported @policy says so (the PSP measured VMSAs then). */
static gboolean
launch_digest (const VtSevAttestRequest *request, guint32 policy,
               guint8 digest[VT_SEV_SHA256_SIZE], GError **error)
{
  g_autoptr (VtSevBytes) firmware = NULL;
  VtSevKernelHashes kernel;
  VtSevLaunch launch = {
    .sev_es = (policy & VT_SEV_POLICY_ES) != 0,
    .n_cpus = request->n_cpus,
    .cpu = request->have_cpu ? &request->cpu : NULL,
    .vmsa_cpu0 = request->vmsa_cpu0 ? request->vmsa_cpu0->data : NULL,
    .vmsa_cpu1 = request->vmsa_cpu1 ? request->vmsa_cpu1->data : NULL,
  };

  if (request->firmware == NULL)
    {
      g_set_error_literal (error, VT_ERROR, VT_ERROR_FAILED,
                           "the firmware to measure is unknown");
      return FALSE;
    }
  if (!vt_sev_check_host_file (request->firmware, "firmware", error))
    return FALSE;
  firmware = vt_sev_bytes_read_file (request->firmware, VT_SEV_FIRMWARE_MAX_BYTES,
                                     "firmware", error);
  if (firmware == NULL)
    return FALSE;
  launch.firmware = firmware->data;
  launch.firmware_len = firmware->len;
  if (request->kernel != NULL)
    {
      if (!load_kernel_hashes (request, &kernel, error))
        return FALSE;
      launch.kernel = &kernel;
    }
  return vt_sev_launch_digest (&launch, digest, error);
}

/* ---- what the hypervisor is told ------------------------------------------------------ */

/* Sends a LAUNCH_SECRET packet; the hypervisor takes it in base64. */
static gboolean
send_packet (const VtSevGuest *guest, GBytes *header, GBytes *payload, GError **error)
{
  gsize header_len, payload_len;
  const guint8 *header_data = g_bytes_get_data (header, &header_len);
  const guint8 *payload_data = g_bytes_get_data (payload, &payload_len);
  g_autofree char *header_text = g_base64_encode (header_data, header_len);
  g_autofree char *payload_text = g_base64_encode (payload_data, payload_len);

  if (guest->ops->set_launch_secret (guest->data, header_text, payload_text, error))
    return TRUE;
  g_prefix_error (error, "injecting the launch secret into domain %s failed: ", guest->name);
  return FALSE;
}

/* What happens to a guest that must not run: destroyed, or left paused as asked (or
 * when destroying it failed, which the message then says). Appends the outcome to
 * @message and returns the guest's state. */
static const char *
refuse_guest (const VtSevGuest *guest, VtSevOnMismatch on_mismatch, GString *message)
{
  g_autoptr (GError) local_error = NULL;

  if (on_mismatch == VT_SEV_ON_MISMATCH_KEEP_PAUSED)
    {
      g_string_append_printf (message, "; domain %s was left paused", guest->name);
      return "paused";
    }
  if (guest->ops->destroy (guest->data, &local_error))
    {
      g_string_append_printf (message, "; domain %s was destroyed", guest->name);
      return "destroyed";
    }
  g_string_append_printf (message, "; destroying domain %s failed, it is still paused: %s",
                          guest->name, local_error->message);
  return "paused";
}

/* Whether the owner swapped TIK and TEK: the most common mistake according to
 * virt-qemu-sev-validate's manual, and one worth naming precisely. */
static gboolean
keys_swapped (const VtSevAttestRequest *request, const VtSevAttestResult *result,
              const guint8 digest[VT_SEV_SHA256_SIZE])
{
  g_autoptr (VtSevKeys) swapped = vt_sev_keys_new (request->keys->tek, VT_SEV_KEY_SIZE,
                                                   request->keys->tik, VT_SEV_KEY_SIZE, NULL);

  return vt_sev_measurement_verify (swapped, &result->platform, digest, &result->reported,
                                    NULL);
}

/* The mismatch sentence: which inputs the owner should check, with the values the
 * daemon used (paths and numbers, never key bytes). */
static GString *
mismatch_message (const VtSevGuest *guest, const VtSevAttestRequest *request,
                  const VtSevAttestResult *result, const guint8 digest[VT_SEV_SHA256_SIZE])
{
  GString *message = g_string_new (NULL);
  g_autofree char *firmware = vt_echo (request->firmware);

  g_string_printf (message, "the launch measurement of domain %s does not match", guest->name);
  if (keys_swapped (request, result, digest))
    {
      g_string_append (message, ": the TIK and the TEK are swapped (the 32-byte tk is TEK "
                       "first, then TIK)");
      return message;
    }
  g_string_append_printf (message, ": check the firmware (%s), the TIK/TEK pair (it must "
                          "be the one the domain's session was made with), the policy "
                          "(0x%04x as reported)", firmware, result->platform.policy);
  if (request->kernel != NULL)
    g_string_append (message, ", the kernel, initrd and command line");
  if (result->platform.policy & VT_SEV_POLICY_ES)
    g_string_append_printf (message, ", the vCPU count (%u) and the CPU signature or VMSAs",
                            request->n_cpus);
  return message;
}

static gboolean
fail_mismatch (const VtSevGuest *guest, const VtSevAttestRequest *request,
               VtSevAttestResult *result, const guint8 digest[VT_SEV_SHA256_SIZE],
               GError **error)
{
  g_autoptr (GString) message = mismatch_message (guest, request, result, digest);

  result->state = refuse_guest (guest, request->on_mismatch, message);
  g_set_error_literal (error, VT_ERROR, VT_ERROR_ATTESTATION_FAILED, message->str);
  return FALSE;
}

/* The owner's secrets, encrypted for this launch and injected. A failure is treated
 * like a mismatch: the guest would run without what it needs to boot (its disk key). */
static gboolean
inject_secrets (const VtSevGuest *guest, const VtSevAttestRequest *request,
                VtSevAttestResult *result, GError **error)
{
  g_autoptr (GBytes) header = NULL;
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GString) message = NULL;

  if (vt_sev_secrets_build (request->secrets, request->keys, result->reported.mac,
                            request->iv ? request->iv->data : NULL, &header, &payload,
                            &local_error)
      && send_packet (guest, header, payload, &local_error))
    {
      result->secret_injected = TRUE;
      return TRUE;
    }
  message = g_string_new (local_error->message);
  result->state = refuse_guest (guest, request->on_mismatch, message);
  g_set_error_literal (error, local_error->domain, local_error->code, message->str);
  return FALSE;
}

static gboolean
resume (const VtSevGuest *guest, const char **state, GError **error)
{
  if (!guest->ops->resume (guest->data, error))
    {
      g_prefix_error (error, "resuming domain %s failed: ", guest->name);
      return FALSE;
    }
  *state = "running";
  return TRUE;
}

gboolean
vt_sev_attest (const VtSevGuest *guest, const VtSevAttestRequest *request,
               VtSevAttestResult *result, GError **error)
{
  g_autofree char *reported = NULL;
  guint8 digest[VT_SEV_SHA256_SIZE];

  memset (result, 0, sizeof *result);
  result->state = "paused";
  if (!guest->ops->get_launch_info (guest->data, &reported, &result->platform, error))
    return FALSE;
  if (!vt_sev_measurement_parse (reported, &result->reported, error))
    {
      g_prefix_error (error, "domain %s: ", guest->name);
      return FALSE;
    }
  if (!launch_digest (request, result->platform.policy, digest, error))
    return FALSE;
  result->measurement_ok = vt_sev_measurement_verify (request->keys, &result->platform,
                                                      digest, &result->reported,
                                                      &result->expected);
  if (!result->measurement_ok)
    return fail_mismatch (guest, request, result, digest, error);
  if (request->secrets != NULL && vt_sev_secrets_count (request->secrets) > 0
      && !inject_secrets (guest, request, result, error))
    return FALSE;
  return resume (guest, &result->state, error);
}

/* ---- an owner-built packet --------------------------------------------------------- */

gboolean
vt_sev_check_packet (GBytes *header, GBytes *payload, GError **error)
{
  gsize header_len = g_bytes_get_size (header);
  gsize payload_len = g_bytes_get_size (payload);

  if (header_len != VT_SEV_SECRET_HEADER_SIZE)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the secret header must be %d bytes, not %" G_GSIZE_FORMAT,
                   VT_SEV_SECRET_HEADER_SIZE, header_len);
      return FALSE;
    }
  /* The payload is the padded secret table, encrypted: AES-CTR keeps its length. */
  if (payload_len == 0 || payload_len % 16 != 0 || payload_len > VT_SEV_SECRET_TABLE_MAX_BYTES)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "the secret payload must be a multiple of 16 bytes from 16 to %d, not %"
                   G_GSIZE_FORMAT, VT_SEV_SECRET_TABLE_MAX_BYTES, payload_len);
      return FALSE;
    }
  return TRUE;
}

gboolean
vt_sev_inject (const VtSevGuest *guest, GBytes *header, GBytes *payload, gboolean resume_guest,
               const char **state, GError **error)
{
  *state = "paused";
  if (!vt_sev_check_packet (header, payload, error) || !send_packet (guest, header, payload, error))
    return FALSE;
  return !resume_guest || resume (guest, state, error);
}
