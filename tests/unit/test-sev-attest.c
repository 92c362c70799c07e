/* Unit tests: the attestation's decisions (core/sev/attest.c) through its seam, the
 * table of hypervisor calls. A recorded guest answers with the values a PSP would have
 * reported for the research file's synthetic vectors (A.4.4: SEV, SEV with kernel
 * hashes, SEV-ES with given VMSAs, and the secret packet D), so a real measurement
 * verifies; it records every call, so each case proves what was (and was not) done to
 * the guest: verified -> injected -> resumed; a mismatch -> destroyed or left paused,
 * never resumed. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "model/limits.h"
#include "sev/attest.h"
#include "sev-test-util.h"
#include "util/error.h"

/* ---- the vectors (research file A.4.4) --------------------------------------------- */

/* Case A, SEV policy 3, firmware only, as libvirt shows it (HMAC ‖ nonce 20..2f). */
#define MEASUREMENT_A "5Zz4WMHxi86S38Ja41L63/r+pncQOijw06mt9OVbYxYgISIjJCUmJygpKissLS4v"
/* Case B: A + kernel hashes ("fake vmlinuz\n", "fake initrd\n", "console=ttyS0"). */
#define MEASUREMENT_B "StjvLaKeNLJUCrQy3oAKwHyx53QmIWvOG34PckVt0SsgISIjJCUmJygpKissLS4v"
/* Case C: SEV-ES policy 7, 2 vCPUs, VMSA pages 4096 x 0xa0 and 4096 x 0xa1. */
#define MEASUREMENT_C "xzyLQ349a1OgF+Jvg/Y4FLyR6MRWKpgMqnzq+gLNrgogISIjJCUmJygpKissLS4v"
/* D: the packet for A with the luks-key secret "secret-passphrase" and IV 30..3f. */
#define HEADER_D "AAAAADAxMjM0NTY3ODk6Ozw9Pj8HlVVffnYWcRjOEvnp7dK+7MqVa+fjOr0jo1OrWCfXKA=="
#define PAYLOAD_D \
  "QQe3oxfzDb0U6SDysjKv+kXKsO6wVpwkBS+SFleNFw80iodZD5PBWOUKqGXxyWJlUhkr0oDVp1IHkMC1h8LCtQ=="
/* The TIK (10..1f) in the forms a careless message could carry. */
#define TIK_HEX "101112131415161718191a1b1c1d1e1f"
#define TIK_BASE64 "EBESExQVFhcYGRobHB0eHw=="

/* ---- a recorded guest ------------------------------------------------------------ */

typedef struct {
  const char *measurement;      /* what get_launch_info reports */
  VtSevPlatform platform;
  gboolean fail_info, fail_secret, fail_resume, fail_destroy;
  GString *calls;               /* "info secret resume" */
  char *header;                 /* what set_launch_secret got */
  char *payload;
} Recorded;

static void
record (Recorded *guest, const char *call)
{
  g_string_append_printf (guest->calls, "%s%s", guest->calls->len ? " " : "", call);
}

static gboolean
refuse (gboolean fail, const char *what, GError **error)
{
  if (fail)
    g_set_error (error, VT_ERROR, VT_ERROR_LIBVIRT, "%s: recorded failure", what);
  return !fail;
}

static gboolean
recorded_info (gpointer data, char **measurement, VtSevPlatform *platform, GError **error)
{
  Recorded *guest = data;

  record (guest, "info");
  if (!refuse (guest->fail_info, "launch info", error))
    return FALSE;
  *measurement = g_strdup (guest->measurement);
  *platform = guest->platform;
  return TRUE;
}

static gboolean
recorded_secret (gpointer data, const char *header, const char *payload, GError **error)
{
  Recorded *guest = data;

  record (guest, "secret");
  g_free (guest->header);
  g_free (guest->payload);
  guest->header = g_strdup (header);
  guest->payload = g_strdup (payload);
  return refuse (guest->fail_secret, "launch secret", error);
}

static gboolean
recorded_resume (gpointer data, GError **error)
{
  record (data, "resume");
  return refuse (((Recorded *) data)->fail_resume, "resume", error);
}

static gboolean
recorded_destroy (gpointer data, GError **error)
{
  record (data, "destroy");
  return refuse (((Recorded *) data)->fail_destroy, "destroy", error);
}

static const VtSevGuestOps recorded_ops = {
  recorded_info, recorded_secret, recorded_resume, recorded_destroy,
};

/* ---- fixtures --------------------------------------------------------------------- */

typedef struct {
  char *dir;
  char *firmware;
  char *kernel;
  char *initrd;
  Recorded guest;
  VtSevGuest handle;
  VtSevAttestRequest *request;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  guint8 firmware[4096];
  guint8 tek[VT_SEV_KEY_SIZE], tik[VT_SEV_KEY_SIZE];

  for (guint i = 0; i < sizeof firmware; i++)
    firmware[i] = (guint8) i;
  for (guint i = 0; i < VT_SEV_KEY_SIZE; i++)
    {
      tek[i] = (guint8) i;
      tik[i] = (guint8) (0x10 + i);
    }
  f->dir = g_dir_make_tmp ("vt-attest-XXXXXX", NULL);
  f->firmware = write_temp (f->dir, "OVMF.fd", firmware, sizeof firmware);
  f->kernel = write_temp (f->dir, "vmlinuz", "fake vmlinuz\n", 13);
  f->initrd = write_temp (f->dir, "initrd", "fake initrd\n", 12);
  f->guest = (Recorded) { MEASUREMENT_A, { 0, 24, 15, 3 }, .calls = g_string_new (NULL) };
  f->handle = (VtSevGuest) { &recorded_ops, &f->guest, "guest1" };
  f->request = vt_sev_attest_request_new ();
  f->request->keys = vt_sev_keys_new (tik, sizeof tik, tek, sizeof tek, NULL);
  f->request->firmware = g_strdup (f->firmware);
  f->request->n_cpus = 2;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  vt_sev_attest_request_free (f->request);
  g_string_free (f->guest.calls, TRUE);
  g_free (f->guest.header);
  g_free (f->guest.payload);
  g_unlink (f->firmware);
  g_unlink (f->kernel);
  g_unlink (f->initrd);
  g_rmdir (f->dir);
  g_free (f->firmware);
  g_free (f->kernel);
  g_free (f->initrd);
  g_free (f->dir);
}

static void
add_luks_secret (Fixture *f)
{
  static const guint8 iv[VT_SEV_IV_SIZE] = {
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
    0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
  };

  f->request->secrets = vt_sev_secrets_new ();
  g_assert_true (vt_sev_secrets_add (f->request->secrets, "luks-key",
                                     (const guint8 *) "secret-passphrase", 17, NULL));
  f->request->iv = vt_sev_bytes_new_from (iv, sizeof iv);
}

static gboolean
attest (Fixture *f, VtSevAttestResult *result, GError **error)
{
  return vt_sev_attest (&f->handle, f->request, result, error);
}

static void
assert_no_key_material (const GError *error)
{
  g_assert_null (strstr (error->message, TIK_HEX));
  g_assert_null (strstr (error->message, TIK_BASE64));
}

/* ---- a match ----------------------------------------------------------------------- */

static void
test_match_injects_and_resumes (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;

  add_luks_secret (f);
  g_assert_true (attest (f, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->guest.calls->str, ==, "info secret resume");
  /* The packet is the research file's vector D byte for byte. */
  g_assert_cmpstr (f->guest.header, ==, HEADER_D);
  g_assert_cmpstr (f->guest.payload, ==, PAYLOAD_D);
  g_assert_true (result.measurement_ok);
  g_assert_true (result.secret_injected);
  g_assert_cmpstr (result.state, ==, "running");
  expected = vt_sev_measurement_to_base64 (&result.expected);
  g_assert_cmpstr (expected, ==, MEASUREMENT_A);
  g_assert_cmpuint (result.platform.policy, ==, 3);
}

static void
test_match_without_secret (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;

  g_assert_true (attest (f, &result, NULL));
  g_assert_cmpstr (f->guest.calls->str, ==, "info resume");
  g_assert_false (result.secret_injected);
  g_assert_cmpstr (result.state, ==, "running");
}

static void
test_match_kernel_hashes (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;

  f->guest.measurement = MEASUREMENT_B;
  f->request->kernel = g_strdup (f->kernel);
  f->request->initrd = g_strdup (f->initrd);
  f->request->cmdline = g_strdup ("console=ttyS0");
  g_assert_true (attest (f, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->guest.calls->str, ==, "info resume");
}

static void
test_match_sev_es (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;

  f->guest.measurement = MEASUREMENT_C;
  f->guest.platform.policy = 7;
  f->request->vmsa_cpu0 = vt_sev_bytes_new (VT_SEV_VMSA_SIZE);
  f->request->vmsa_cpu1 = vt_sev_bytes_new (VT_SEV_VMSA_SIZE);
  memset (f->request->vmsa_cpu0->data, 0xa0, VT_SEV_VMSA_SIZE);
  memset (f->request->vmsa_cpu1->data, 0xa1, VT_SEV_VMSA_SIZE);
  g_assert_true (attest (f, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->guest.calls->str, ==, "info resume");

  /* The same guest counted with one vCPU: one VMSA fewer, a mismatch naming the count. */
  g_string_truncate (f->guest.calls, 0);
  f->request->n_cpus = 1;
  g_assert_false (attest (f, &result, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_ATTESTATION_FAILED);
  assert_message_contains (error, "the vCPU count (1)");
  g_assert_cmpstr (f->guest.calls->str, ==, "info destroy");
}

/* ---- a mismatch ---------------------------------------------------------------------- */

static void
test_mismatch_destroys (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;

  add_luks_secret (f);
  f->guest.platform.build_id = 16;      /* the PSP measured another build: not this */
  g_assert_false (attest (f, &result, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_ATTESTATION_FAILED);
  g_assert_cmpstr (f->guest.calls->str, ==, "info destroy");
  assert_message_contains (error, "the launch measurement of domain guest1 does not match");
  assert_message_contains (error, f->firmware);
  assert_message_contains (error, "the TIK/TEK pair");
  assert_message_contains (error, "the policy (0x0003 as reported)");
  assert_message_contains (error, "domain guest1 was destroyed");
  assert_no_key_material (error);
  g_assert_false (result.measurement_ok);
  g_assert_false (result.secret_injected);
  g_assert_cmpstr (result.state, ==, "destroyed");
}

static void
test_mismatch_keeps_paused (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;

  f->request->on_mismatch = VT_SEV_ON_MISMATCH_KEEP_PAUSED;
  f->request->keys->tik[0] ^= 1;
  g_assert_false (attest (f, &result, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_ATTESTATION_FAILED);
  g_assert_cmpstr (f->guest.calls->str, ==, "info");
  assert_message_contains (error, "domain guest1 was left paused");
  g_assert_cmpstr (result.state, ==, "paused");
}

static void
test_mismatch_kernel (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  VtSevAttestResult result;

  f->guest.measurement = MEASUREMENT_B;
  f->request->kernel = g_strdup (f->kernel);
  f->request->initrd = g_strdup (f->initrd);
  f->request->cmdline = g_strdup ("console=ttyS1");
  g_assert_false (attest (f, &result, &error));
  assert_message_contains (error, "the kernel, initrd and command line");
  g_assert_cmpstr (f->guest.calls->str, ==, "info destroy");
}

static void
test_mismatch_swapped_keys (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;
  guint8 tik[VT_SEV_KEY_SIZE];

  memcpy (tik, f->request->keys->tik, sizeof tik);
  memcpy (f->request->keys->tik, f->request->keys->tek, sizeof tik);
  memcpy (f->request->keys->tek, tik, sizeof tik);
  g_assert_false (attest (f, &result, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_ATTESTATION_FAILED);
  assert_message_contains (error, "the TIK and the TEK are swapped");
  assert_no_key_material (error);
  g_assert_cmpstr (f->guest.calls->str, ==, "info destroy");
}

static void
test_mismatch_destroy_fails (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;

  f->guest.fail_destroy = TRUE;
  f->guest.platform.policy = 1;
  g_assert_false (attest (f, &result, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_ATTESTATION_FAILED);
  assert_message_contains (error, "destroying domain guest1 failed, it is still paused: "
                           "destroy: recorded failure");
  g_assert_cmpstr (f->guest.calls->str, ==, "info destroy");
  g_assert_cmpstr (result.state, ==, "paused");
}

/* ---- failures around the verdict -------------------------------------------------- */

static void
test_secret_refused (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;

  add_luks_secret (f);
  f->guest.fail_secret = TRUE;
  g_assert_false (attest (f, &result, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
  assert_message_contains (error, "injecting the launch secret into domain guest1 failed");
  assert_message_contains (error, "domain guest1 was destroyed");
  g_assert_cmpstr (f->guest.calls->str, ==, "info secret destroy");
  g_assert_true (result.measurement_ok);
  g_assert_false (result.secret_injected);

  g_string_truncate (f->guest.calls, 0);
  g_clear_error (&error);
  f->request->on_mismatch = VT_SEV_ON_MISMATCH_KEEP_PAUSED;
  g_assert_false (attest (f, &result, &error));
  g_assert_cmpstr (f->guest.calls->str, ==, "info secret");
  g_assert_cmpstr (result.state, ==, "paused");
}

static void
test_resume_fails (Fixture *f, gconstpointer data)
{
  VtSevAttestResult result;
  g_autoptr (GError) error = NULL;

  add_luks_secret (f);
  f->guest.fail_resume = TRUE;
  g_assert_false (attest (f, &result, &error));
  assert_message_contains (error, "resuming domain guest1 failed");
  g_assert_cmpstr (f->guest.calls->str, ==, "info secret resume");
  g_assert_true (result.secret_injected);
  g_assert_cmpstr (result.state, ==, "paused");
}

/* Nothing is decided without a verdict: the guest is left exactly as it was. */
static void
test_no_verdict_leaves_guest (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.fd", NULL);
  const struct {
    const char *measurement;
    gboolean fail_info;
    guint32 policy;
    const char *firmware;       /* NULL: the fixture's */
    const char *message;
  } cases[] = {
    { MEASUREMENT_A, TRUE, 3, NULL, "launch info: recorded failure" },
    { "not base64!", FALSE, 3, NULL, "domain guest1: " },
    { MEASUREMENT_A, FALSE, 3, "OVMF.fd", "must be an absolute path" },
    { MEASUREMENT_A, FALSE, 3, missing, "missing.fd" },
    { MEASUREMENT_A, FALSE, 3, f->dir, "is not a regular file" },
    /* SEV-ES without the CPU signature or VMSAs: the digest cannot be computed. */
    { MEASUREMENT_C, FALSE, 7, NULL, "needs the CPU signature or the VMSA" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VtSevAttestResult result;
      g_autoptr (GError) error = NULL;

      g_string_truncate (f->guest.calls, 0);
      f->guest.measurement = cases[i].measurement;
      f->guest.fail_info = cases[i].fail_info;
      f->guest.platform.policy = cases[i].policy;
      g_free (f->request->firmware);
      f->request->firmware = g_strdup (cases[i].firmware ? cases[i].firmware : f->firmware);
      g_assert_false (attest (f, &result, &error));
      g_assert_nonnull (error);
      g_assert_false (g_error_matches (error, VT_ERROR, VT_ERROR_ATTESTATION_FAILED));
      assert_message_contains (error, cases[i].message);
      g_assert_cmpstr (f->guest.calls->str, ==, "info");
      g_assert_cmpstr (result.state, ==, "paused");
    }
}

/* ---- an owner-built packet --------------------------------------------------------- */

static GBytes *
decode (const char *base64)
{
  gsize len;
  guchar *data = g_base64_decode (base64, &len);

  return g_bytes_new_take (data, len);
}

static void
test_inject_packet (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) header = decode (HEADER_D);
  g_autoptr (GBytes) payload = decode (PAYLOAD_D);
  g_autoptr (GError) error = NULL;
  const char *state = NULL;

  g_assert_true (vt_sev_inject (&f->handle, header, payload, FALSE, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->guest.calls->str, ==, "secret");
  g_assert_cmpstr (f->guest.header, ==, HEADER_D);
  g_assert_cmpstr (f->guest.payload, ==, PAYLOAD_D);
  g_assert_cmpstr (state, ==, "paused");

  g_string_truncate (f->guest.calls, 0);
  g_assert_true (vt_sev_inject (&f->handle, header, payload, TRUE, &state, &error));
  g_assert_cmpstr (f->guest.calls->str, ==, "secret resume");
  g_assert_cmpstr (state, ==, "running");

  /* Refused by the hypervisor: never resumed. */
  g_string_truncate (f->guest.calls, 0);
  f->guest.fail_secret = TRUE;
  g_assert_false (vt_sev_inject (&f->handle, header, payload, TRUE, &state, &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_LIBVIRT);
  g_assert_cmpstr (f->guest.calls->str, ==, "secret");
  g_assert_cmpstr (state, ==, "paused");
}

static void
test_inject_bad_packet (Fixture *f, gconstpointer data)
{
  g_autoptr (GBytes) header = decode (HEADER_D);
  g_autoptr (GBytes) payload = decode (PAYLOAD_D);
  g_autoptr (GBytes) short_header = g_bytes_new_from_bytes (header, 0, 51);
  g_autoptr (GBytes) odd_payload = g_bytes_new_from_bytes (payload, 0, 63);
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  g_autofree guint8 *huge_data = g_malloc0 (VT_SEV_SECRET_TABLE_MAX_BYTES + 16);
  g_autoptr (GBytes) huge = g_bytes_new (huge_data, VT_SEV_SECRET_TABLE_MAX_BYTES + 16);
  const struct {
    GBytes *header, *payload;
    const char *message;
  } cases[] = {
    { short_header, payload, "header must be 52 bytes, not 51" },
    { header, odd_payload, "not 63" },
    { header, empty, "not 0" },
    { header, huge, "multiple of 16 bytes from 16 to 16384" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      const char *state = NULL;

      g_assert_false (vt_sev_inject (&f->handle, cases[i].header, cases[i].payload, TRUE,
                                     &state, &error));
      g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
      assert_message_contains (error, cases[i].message);
      g_assert_cmpstr (f->guest.calls->str, ==, "");
    }
}

/* Secrets the table refuses never reach the guest: added before anything is called. */
static void
test_bad_secrets (void)
{
  g_autoptr (VtSevSecrets) secrets = vt_sev_secrets_new ();
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *big = g_malloc0 (VT_SEV_SECRET_TABLE_MAX_BYTES);

  g_assert_false (vt_sev_secrets_add (secrets, "no-such-alias", (const guint8 *) "x", 1,
                                      &error));
  g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (vt_sev_secrets_add (secrets, "luks-key", (const guint8 *) "x", 1, NULL));
  g_assert_false (vt_sev_secrets_add (secrets, "736869e5-84f0-4973-92ec-06879ce3da0b",
                                      (const guint8 *) "y", 1, &error));
  g_clear_error (&error);
  g_assert_false (vt_sev_secrets_add (secrets, "1e74f542-71dd-4d66-963e-ef4287ff173c", big,
                                      VT_SEV_SECRET_TABLE_MAX_BYTES, &error));
  g_assert_nonnull (error);
}

#define ADD(path, func) \
  g_test_add ("/sev/attest/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("match/injects-and-resumes", test_match_injects_and_resumes);
  ADD ("match/without-secret", test_match_without_secret);
  ADD ("match/kernel-hashes", test_match_kernel_hashes);
  ADD ("match/sev-es", test_match_sev_es);
  ADD ("mismatch/destroys", test_mismatch_destroys);
  ADD ("mismatch/keeps-paused", test_mismatch_keeps_paused);
  ADD ("mismatch/kernel", test_mismatch_kernel);
  ADD ("mismatch/swapped-keys", test_mismatch_swapped_keys);
  ADD ("mismatch/destroy-fails", test_mismatch_destroy_fails);
  ADD ("secret-refused", test_secret_refused);
  ADD ("resume-fails", test_resume_fails);
  ADD ("no-verdict-leaves-guest", test_no_verdict_leaves_guest);
  ADD ("inject/packet", test_inject_packet);
  ADD ("inject/bad-packet", test_inject_bad_packet);
  g_test_add_func ("/sev/attest/bad-secrets", test_bad_secrets);
  return g_test_run ();
}
