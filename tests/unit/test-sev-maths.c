/* Unit tests: the SEV launch digest and measurement (core/sev) against the public
 * vectors of virtee/sev and virtee/sevctl, and the OVMF table, GUIDs, VMSAs and kernel
 * hash table they are built from; plus every kind of bad input. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "model/limits.h"
#include "sev/digest.h"
#include "sev/guid.h"
#include "sev/kernel-hashes.h"
#include "sev/measurement.h"
#include "sev/ovmf.h"
#include "sev/vmsa.h"
#include "sev-test-util.h"
#include "util/error.h"

/* ---- GUIDs ---------------------------------------------------------------------- */

static void
test_guid_efi_order (void)
{
  /* The research file's table of stored (bytes_le) forms. */
  static const struct {
    const char *text;
    const char *stored;
  } cases[] = {
    { "9438d606-4f22-4cc9-b479-a793d411fd21", "06d63894224fc94cb479a793d411fd21" },
    { "97d02dd8-bd20-4c94-aa78-e7714d36ab2a", "d82dd09720bd944caa78e7714d36ab2a" },
    { "44BAF731-3A2F-4BD7-9AF1-41E29169781D", "31f7ba442f3ad74b9af141e29169781d" },
    { "4de79437-abd2-427f-b835-d5b172d2045b", "3794e74dd2ab7f42b835d5b172d2045b" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VtSevGuid guid;
      g_autofree char *hex = NULL;
      g_autofree char *back = NULL;
      g_autofree char *lower = g_ascii_strdown (cases[i].text, -1);

      g_assert_true (vt_sev_guid_parse (cases[i].text, &guid, NULL));
      hex = to_hex (guid.bytes, sizeof guid.bytes);
      g_assert_cmpstr (hex, ==, cases[i].stored);
      back = vt_sev_guid_to_string (&guid);
      g_assert_cmpstr (back, ==, lower);
    }
}

static void
test_guid_bad (void)
{
  static const char *const bad[] = {
    "", "9438d606-4f22-4cc9-b479-a793d411fd2", "9438d606-4f22-4cc9-b479-a793d411fd211",
    "9438d6064-f22-4cc9-b479-a793d411fd21", "9438d606-4f22-4cc9-b479-a793d411fdzz",
    "{9438d606-4f22-4cc9-b479-a793d411fd21}", "9438d606 4f22 4cc9 b479 a793d411fd21",
    "\x1b[31m-not-a-guid",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      VtSevGuid guid;

      g_assert_false (vt_sev_guid_parse (bad[i], &guid, &error));
      g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
      assert_message_contains (error, "is not a GUID");
      g_assert_null (strchr (error->message, '\x1b'));   /* echoed escaped */
    }
}

/* ---- the kernel hash table ---------------------------------------------------------- */

/* The research file's worked example (sevctl's test inputs, verified against sevctl). */
static const char kernel_table_hex[] =
  "06d63894224fc94cb479a793d411fd21 a800"
  "d82dd09720bd944caa78e7714d36ab2a 3200"
  " 3e8a0b8c83c8eb5a34c6d0b9db3f36ae619b384db601c643af6456106a43dffd"
  "31f7ba442f3ad74b9af141e29169781d 3200"
  " 76fa1a19324945ce9b1ee17f211ca5b55cbb74d0368eecce53932a1fddc8e8cb"
  "3794e74dd2ab7f42b835d5b172d2045b 3200"
  " af609b31eca2942fc46ed7209c7704771cfc2c91750ff4cb899be39b371b4e48"
  "0000000000000000";

static void
test_kernel_table_vector (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vt-sev-XXXXXX", NULL);
  g_autofree char *kernel = write_temp (dir, "vmlinuz", "fake vmlinuz\n", 13);
  g_autofree char *initrd = write_temp (dir, "initrd", "fake initrd\n", 12);
  VtSevKernelHashes hashes;
  guint8 table[VT_SEV_KERNEL_TABLE_SIZE];
  gsize len;
  g_autofree guint8 *expected = hex_bytes (kernel_table_hex, &len);
  g_autofree char *sha = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (vt_sev_kernel_hashes_load (&hashes, kernel, initrd,
                                            "foo bar baz fake kernel=cmdline", &error));
  g_assert_no_error (error);
  vt_sev_kernel_table (&hashes, table);
  g_assert_cmpmem (table, sizeof table, expected, len);
  sha = glib_sha256 (table, sizeof table);
  g_assert_cmpstr (sha, ==, "bd485904c57ecbfa615c56afd8d0aa864121fbb987a78492cc4a417b108991fc");
  g_unlink (kernel);
  g_unlink (initrd);
  g_rmdir (dir);
}

static void
test_kernel_table_defaults (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vt-sev-XXXXXX", NULL);
  g_autofree char *kernel = write_temp (dir, "vmlinuz", "k", 1);
  VtSevKernelHashes hashes;
  g_autofree char *initrd = NULL;
  g_autofree char *cmdline = NULL;

  /* No initrd: the hash of empty content; no command line: the hash of one NUL. */
  g_assert_true (vt_sev_kernel_hashes_load (&hashes, kernel, NULL, NULL, NULL));
  initrd = to_hex (hashes.initrd, sizeof hashes.initrd);
  cmdline = to_hex (hashes.cmdline, sizeof hashes.cmdline);
  g_assert_cmpstr (initrd, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (cmdline, ==, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  g_unlink (kernel);
  g_rmdir (dir);
}

static void
test_kernel_table_bad (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vt-sev-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *long_cmdline = g_strnfill (VT_SEV_CMDLINE_MAX_BYTES + 1, 'x');
  VtSevKernelHashes hashes;
  g_autoptr (GError) error = NULL;

  g_assert_false (vt_sev_kernel_hashes_load (&hashes, missing, NULL, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  assert_message_contains (error, "kernel");
  g_clear_error (&error);
  g_assert_false (vt_sev_kernel_hashes_set_cmdline (&hashes, long_cmdline, &error));
  assert_message_contains (error, "longer than");
  g_clear_error (&error);
  long_cmdline[VT_SEV_CMDLINE_MAX_BYTES] = '\0';
  g_assert_true (vt_sev_kernel_hashes_set_cmdline (&hashes, long_cmdline, &error));
  g_rmdir (dir);
}

/* ---- OVMF images ---------------------------------------------------------------- */

/* A @size-byte image (a byte pattern) ending in an OVMF GUIDed table that holds an
 * SEV-ES reset block for @reset when @with_reset, and always one other entry. */
static guint8 *
make_ovmf (gsize size, guint32 reset, gboolean with_reset, gsize *len)
{
  static const VtSevGuid footer =
    VT_SEV_GUID_INIT (0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d);
  static const VtSevGuid reset_guid = VT_SEV_OVMF_RESET_BLOCK_GUID;
  static const VtSevGuid other =
    VT_SEV_GUID_INIT (0x7255371f, 0x3a3b, 0x4b04, 0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54);
  guint8 *image = g_malloc (size);
  guint8 *p = image + size - 32 - 18;           /* the footer's length field */
  gsize table_len = 18 + 26 + (with_reset ? 22 : 0);

  for (gsize i = 0; i < size; i++)
    image[i] = (guint8) (i * 7 + 3);
  memcpy (p + 2, footer.bytes, 16);
  p[0] = (guint8) table_len;
  p[1] = 0;
  if (with_reset)
    {
      p -= 22;
      for (guint i = 0; i < 4; i++)
        p[i] = (guint8) (reset >> (8 * i));
      p[4] = 22;
      p[5] = 0;
      memcpy (p + 6, reset_guid.bytes, 16);
    }
  p -= 26;                                       /* 8 bytes of data: base, size */
  p[8] = 26;
  p[9] = 0;
  memcpy (p + 10, other.bytes, 16);
  *len = size;
  return image;
}

static void
test_ovmf_reset_address (void)
{
  gsize len;
  g_autofree guint8 *image = make_ovmf (8192, 0x80b004, TRUE, &len);
  guint32 reset = 0;
  g_autoptr (GError) error = NULL;

  g_assert_true (vt_sev_ovmf_reset_address (image, len, &reset, &error));
  g_assert_no_error (error);
  g_assert_cmphex (reset, ==, 0x80b004);
}

static void
test_ovmf_bad (void)
{
  gsize len;
  g_autofree guint8 *image = make_ovmf (8192, 0x80b004, TRUE, &len);
  g_autofree guint8 *no_reset = make_ovmf (8192, 0, FALSE, &len);
  guint32 reset;
  g_autoptr (GError) error = NULL;

  /* Truncated: shorter than footer and trailer; the image cut before its end. */
  g_assert_false (vt_sev_ovmf_reset_address (image, 49, &reset, &error));
  assert_message_contains (error, "too short");
  g_clear_error (&error);
  g_assert_false (vt_sev_ovmf_reset_address (image, len - 16, &reset, &error));
  assert_message_contains (error, "no GUIDed table footer");
  g_clear_error (&error);
  g_assert_false (vt_sev_ovmf_reset_address (no_reset, len, &reset, &error));
  assert_message_contains (error, "no SEV-ES reset block (GUID 00f771de-1a7e-4fcb-890e-68c77e2fb44e)");
  g_clear_error (&error);
  /* Lengths that point outside the table or the image. */
  image[len - 50] = 0xff;
  image[len - 49] = 0xff;
  g_assert_false (vt_sev_ovmf_reset_address (image, len, &reset, &error));
  assert_message_contains (error, "table length is out of bounds");
  g_clear_error (&error);
  image[len - 50] = 18 + 26 + 22;
  image[len - 49] = 0;
  image[len - 50 - 18] = 200;                    /* the reset block's entry length */
  g_assert_false (vt_sev_ovmf_reset_address (image, len, &reset, &error));
  assert_message_contains (error, "bad length");
  g_clear_error (&error);
  image[len - 50 - 18] = 3;
  g_assert_false (vt_sev_ovmf_reset_address (image, len, &reset, &error));
  assert_message_contains (error, "bad length");
}

/* ---- VMSAs ---------------------------------------------------------------------- */

static void
test_vmsa_sevctl (void)
{
  /* sevctl's tests/data/vmsa0.bin and vmsa1.bin (`sevctl vmsa build --family 25 --model 1
   * --stepping 1 --userspace qemu`, the AP for its test firmware's reset address
   * 0x80b004): the SHA-256 the research file gives as f8b52f77…88d5e7 and
   * bcee5cb2…3a6487, in full as virt-qemu-sev-validate's model computes them. */
  const VtSevCpuSignature cpu = { 25, 1, 1 };
  g_autofree guint8 *page = g_malloc (VT_SEV_VMSA_SIZE);
  g_autofree char *bsp = NULL;
  g_autofree char *ap = NULL;

  vt_sev_vmsa_build (&cpu, VT_SEV_BSP_RESET_ADDRESS, page);
  bsp = glib_sha256 (page, VT_SEV_VMSA_SIZE);
  g_assert_cmpstr (bsp, ==, "f8b52f775502472e5797d2674d9de21f6abc05dc05e9bc49cbb7b6a13688d5e7");
  /* RDX is the CPUID signature: family 25 model 1 stepping 1 -> 0x00a00f11. */
  g_assert_cmphex (page[0x310] | page[0x311] << 8 | page[0x312] << 16, ==, 0xa00f11);
  vt_sev_vmsa_build (&cpu, 0x80b004, page);
  ap = glib_sha256 (page, VT_SEV_VMSA_SIZE);
  g_assert_cmpstr (ap, ==, "bcee5cb289f72882da17abd8dca5e8a7e9f8e2033e7ad96b4db0ab1a383a6487");
}

static void
test_vmsa_signature_range (void)
{
  static const VtSevCpuSignature good[] = { { 0, 0, 0 }, { 0x10e, 0xff, 0xf }, { 0xf, 1, 2 } };
  static const struct {
    VtSevCpuSignature cpu;
    const char *field;
  } bad[] = {
    { { 0x10f, 0, 0 }, "family" }, { { 25, 256, 0 }, "model" }, { { 25, 1, 16 }, "stepping" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (vt_sev_cpu_signature_check (&good[i], NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (vt_sev_cpu_signature_check (&bad[i].cpu, &error));
      assert_message_contains (error, bad[i].field);
    }
}

/* ---- the launch digest ---------------------------------------------------------------- */

static char *
digest_hex (const VtSevLaunch *launch)
{
  guint8 digest[VT_SEV_SHA256_SIZE];
  g_autoptr (GError) error = NULL;

  g_assert_true (vt_sev_launch_digest (launch, digest, &error));
  g_assert_no_error (error);
  return to_hex (digest, sizeof digest);
}

static void
test_digest_sev_and_kernel (void)
{
  gsize len;
  g_autofree guint8 *fw = make_ovmf (8192, 0x80b004, TRUE, &len);
  VtSevKernelHashes hashes;
  guint8 table[VT_SEV_KERNEL_TABLE_SIZE];
  g_autoptr (GByteArray) all = g_byte_array_new ();
  VtSevLaunch launch = { .firmware = fw, .firmware_len = len, .n_cpus = 4 };
  g_autofree char *plain = digest_hex (&launch);
  g_autofree char *plain_expected = glib_sha256 (fw, len);
  g_autofree char *with_kernel = NULL;
  g_autofree char *with_kernel_expected = NULL;

  /* SEV (not ES): the firmware alone; vCPUs and CPU inputs do not count. */
  g_assert_cmpstr (plain, ==, plain_expected);
  memset (&hashes, 0x5a, sizeof hashes);
  vt_sev_kernel_table (&hashes, table);
  g_byte_array_append (all, fw, (guint) len);
  g_byte_array_append (all, table, sizeof table);
  launch.kernel = &hashes;
  with_kernel = digest_hex (&launch);
  with_kernel_expected = glib_sha256 (all->data, all->len);
  g_assert_cmpstr (with_kernel, ==, with_kernel_expected);
}

static void
test_digest_sev_es (void)
{
  gsize len;
  g_autofree guint8 *fw = make_ovmf (8192, 0x80b004, TRUE, &len);
  const VtSevCpuSignature cpu = { 25, 1, 1 };
  g_autofree guint8 *bsp = g_malloc (VT_SEV_VMSA_SIZE);
  g_autofree guint8 *ap = g_malloc (VT_SEV_VMSA_SIZE);
  VtSevLaunch launch = { .firmware = fw, .firmware_len = len, .sev_es = TRUE };

  vt_sev_vmsa_build (&cpu, VT_SEV_BSP_RESET_ADDRESS, bsp);
  vt_sev_vmsa_build (&cpu, 0x80b004, ap);
  for (guint n = 1; n <= 4; n++)
    {
      g_autoptr (GByteArray) all = g_byte_array_new ();
      g_autofree char *built = NULL;
      g_autofree char *given = NULL;
      g_autofree char *expected = NULL;

      g_byte_array_append (all, fw, (guint) len);
      g_byte_array_append (all, bsp, VT_SEV_VMSA_SIZE);
      for (guint i = 1; i < n; i++)
        g_byte_array_append (all, ap, VT_SEV_VMSA_SIZE);
      expected = glib_sha256 (all->data, all->len);
      launch.n_cpus = n;
      launch.cpu = &cpu;
      launch.vmsa_cpu0 = launch.vmsa_cpu1 = NULL;
      built = digest_hex (&launch);
      g_assert_cmpstr (built, ==, expected);
      /* The same pages given as files; one vCPU needs no vCPU 1 page. */
      launch.cpu = NULL;
      launch.vmsa_cpu0 = bsp;
      launch.vmsa_cpu1 = n > 1 ? ap : NULL;
      given = digest_hex (&launch);
      g_assert_cmpstr (given, ==, expected);
    }
}

static void
test_digest_bad (void)
{
  gsize len;
  g_autofree guint8 *fw = make_ovmf (8192, 0, FALSE, &len);
  g_autofree guint8 *huge = g_malloc0 (VT_SEV_FIRMWARE_MAX_BYTES + 1);
  guint8 page[VT_SEV_VMSA_SIZE] = { 0 };
  const VtSevCpuSignature cpu = { 25, 1, 1 }, bad_cpu = { 25, 1, 99 };
  const struct {
    VtSevLaunch launch;
    const char *message;
  } cases[] = {
    { { .firmware = NULL }, "missing or empty" },
    { { .firmware = fw, .firmware_len = 0 }, "missing or empty" },
    { { .firmware = huge, .firmware_len = VT_SEV_FIRMWARE_MAX_BYTES + 1 }, "larger than" },
    { { .firmware = fw, .firmware_len = len, .sev_es = TRUE, .n_cpus = 0, .cpu = &cpu },
      "vCPU count" },
    { { .firmware = fw, .firmware_len = len, .sev_es = TRUE, .n_cpus = VT_SEV_MAX_VCPUS + 1,
        .cpu = &cpu }, "vCPU count" },
    { { .firmware = fw, .firmware_len = len, .sev_es = TRUE, .n_cpus = 1 },
      "needs the CPU signature or the VMSA files" },
    { { .firmware = fw, .firmware_len = len, .sev_es = TRUE, .n_cpus = 1, .cpu = &cpu,
        .vmsa_cpu0 = page }, "not both" },
    { { .firmware = fw, .firmware_len = len, .sev_es = TRUE, .n_cpus = 2, .vmsa_cpu0 = page },
      "VMSA of vCPU 1" },
    { { .firmware = fw, .firmware_len = len, .sev_es = TRUE, .n_cpus = 2, .cpu = &bad_cpu },
      "stepping" },
    /* This firmware has no SEV-ES reset block: its APs cannot be built. */
    { { .firmware = fw, .firmware_len = len, .sev_es = TRUE, .n_cpus = 2, .cpu = &cpu },
      "no SEV-ES reset block" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint8 digest[VT_SEV_SHA256_SIZE];
      g_autoptr (GError) error = NULL;

      g_assert_false (vt_sev_launch_digest (&cases[i].launch, digest, &error));
      g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
      assert_message_contains (error, cases[i].message);
    }
}

/* ---- the measurement -------------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *tik_hex;
  guint8 major, minor, build;
  guint32 policy;
  const char *digest_hex;     /* or NULL: digest_b64 */
  const char *digest_b64;
  const char *expected;       /* base64 of HMAC ‖ nonce, as libvirt shows it */
} MeasurementVector;

static const MeasurementVector measurement_vectors[] = {
  /* virtee/sev src/session/mod.rs test `verify` (digest = SHA-256 of nothing). */
  { "virtee/sev verify", "66320db73158a35a255d051758e95ed4", 0x00, 0x12, 0x0f, 0,
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL,
    "b6qy2q44m800BaBdbK/jPAQU977dC64Zul84t/0WZOpPvgvtutbIauj2iXHRA+VU" },
  /* virtee/sevctl tests/measurementbuild.rs: digest given, firmware, + kernel. */
  { "sevctl launch digest", "3569cf61a32a602b87185ac6e0f55913", 1, 40, 40, 0x03, NULL,
    "xkvRAfyaSizgonxAjZIAkR8TmolUabBKQKb6KJCDDSM=",
    "lswbxWxI9gckya16JQvdFtpYmNO4b+3inAPpqsgoBI7DE/q1EcIWsVBbGy6pkDxA" },
  { "sevctl firmware", "3569cf61a32a602b87185ac6e0f55913", 1, 40, 40, 0x03,
    "2f6fc6065f4abc131eb4fb2b5090a542636eae84a94c0db0fdd5f405cb372ff5", NULL,
    "oMDewIouJSpbpNRHj7Mk3p08H2dPZQdsZMU14qIymBnDE/q1EcIWsVBbGy6pkDxA" },
  { "sevctl kernel hashes", "3569cf61a32a602b87185ac6e0f55913", 1, 40, 40, 0x03,
    "4b47fec6f851487c33714c8a00a832a1b705ad0a7cac4a647388eccfa9f0c570", NULL,
    "h3auYbWQnVW7EGLWN4Hf9SN0oEYMPU2sK4bLnefWPwvDE/q1EcIWsVBbGy6pkDxA" },
  { "sevctl SEV-ES 4 vCPUs", "3569cf61a32a602b87185ac6e0f55913", 1, 49, 6, 0x05,
    "847b5ab6db136ea67dc5a95478ebe7e5ebbe93e9e74bdb1284165f9007a4e367", NULL,
    "/o0nzDKE5XgtVnUZWPhUea/WZYrTKLExR7KCwuMdbActvpWfXTFk21KMZIAAhQny" },
};

static void
vector_digest (const MeasurementVector *v, guint8 digest[VT_SEV_SHA256_SIZE])
{
  gsize len;
  g_autofree guint8 *raw = v->digest_hex ? hex_bytes (v->digest_hex, &len)
                                         : g_base64_decode (v->digest_b64, &len);

  g_assert_cmpuint (len, ==, VT_SEV_SHA256_SIZE);
  memcpy (digest, raw, len);
}

static VtSevKeys *
keys_with_tik (const char *tik_hex)
{
  gsize len;
  g_autofree guint8 *tik = hex_bytes (tik_hex, &len);
  static const guint8 tek[VT_SEV_KEY_SIZE] = { 0 };

  return vt_sev_keys_new (tik, len, tek, sizeof tek, NULL);
}

static void
test_measurement_vectors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (measurement_vectors); i++)
    {
      const MeasurementVector *v = &measurement_vectors[i];
      g_autoptr (VtSevKeys) keys = keys_with_tik (v->tik_hex);
      const VtSevPlatform platform = { v->major, v->minor, v->build, v->policy };
      guint8 digest[VT_SEV_SHA256_SIZE];
      VtSevMeasurement reported, expected;
      g_autofree char *shown = NULL;

      g_test_message ("%s", v->name);
      vector_digest (v, digest);
      g_assert_true (vt_sev_measurement_parse (v->expected, &reported, NULL));
      vt_sev_measurement_compute (keys, &platform, digest, reported.nonce, &expected);
      shown = vt_sev_measurement_to_base64 (&expected);
      g_assert_cmpstr (shown, ==, v->expected);
      g_assert_true (vt_sev_measurement_verify (keys, &platform, digest, &reported, NULL));
    }
}

/* Every bit of every input counts: a flipped one is a mismatch. */
static void
test_measurement_flipped_bits (void)
{
  const MeasurementVector *v = &measurement_vectors[1];
  g_autoptr (VtSevKeys) keys = keys_with_tik (v->tik_hex);
  const VtSevPlatform platform = { v->major, v->minor, v->build, v->policy };
  guint8 digest[VT_SEV_SHA256_SIZE];
  VtSevMeasurement reported;

  vector_digest (v, digest);
  g_assert_true (vt_sev_measurement_parse (v->expected, &reported, NULL));
  for (guint bit = 0; bit < 8 * sizeof reported; bit++)
    {
      VtSevMeasurement bad = reported;

      ((guint8 *) &bad)[bit / 8] ^= (guint8) (1u << (bit % 8));
      g_assert_false (vt_sev_measurement_verify (keys, &platform, digest, &bad, NULL));
    }
  for (guint bit = 0; bit < 8 * VT_SEV_SHA256_SIZE; bit++)
    {
      digest[bit / 8] ^= (guint8) (1u << (bit % 8));
      g_assert_false (vt_sev_measurement_verify (keys, &platform, digest, &reported, NULL));
      digest[bit / 8] ^= (guint8) (1u << (bit % 8));
    }
  for (guint bit = 0; bit < 32; bit++)
    {
      VtSevPlatform other = platform;

      other.policy ^= 1u << bit;
      g_assert_false (vt_sev_measurement_verify (keys, &other, digest, &reported, NULL));
    }
  for (guint bit = 0; bit < 8 * 3; bit++)
    {
      VtSevPlatform other = platform;
      guint8 *field = bit < 8 ? &other.api_major : bit < 16 ? &other.api_minor : &other.build_id;

      *field ^= (guint8) (1u << (bit % 8));
      g_assert_false (vt_sev_measurement_verify (keys, &other, digest, &reported, NULL));
    }
  for (guint bit = 0; bit < 8 * VT_SEV_KEY_SIZE; bit++)
    {
      keys->tik[bit / 8] ^= (guint8) (1u << (bit % 8));
      g_assert_false (vt_sev_measurement_verify (keys, &platform, digest, &reported, NULL));
      keys->tik[bit / 8] ^= (guint8) (1u << (bit % 8));
    }
}

static void
test_measurement_parse_bad (void)
{
  static const char *const bad[] = {
    "",                                                                   /* empty */
    "b6qy2q44m800BaBdbK/jPAQU977dC64Zul84t/0WZOpPvgvtutbIauj2iXHRA+U=",   /* 47 bytes */
    "b6qy2q44m800BaBdbK/jPAQU977dC64Zul84t/0WZOpPvgvtutbIauj2iXHRA+VUAAAA", /* 51 */
    "b6qy2q44m800BaBdbK/jPAQU977dC64Zul84t/0WZOpPvgvtutbIauj2iXHRA+V",    /* not /4 */
    "b6qy2q44m800BaBdbK/jPAQU977dC64Zul84t/0WZOpPvgvtutbIauj2iXHRA-VU",   /* '-' */
    "b6qy2q44m800BaBdbK/jPAQU977dC64Zul84t/0WZOpPvgvtutbIauj2iX RA+VU",   /* space */
    "b6qy2q44m800BaBdbK/jPAQU977dC64Zul84t/0WZOpPvgvtutbIauj2iXHRA+VU\n", /* newline */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      VtSevMeasurement m;
      g_autoptr (GError) error = NULL;

      g_assert_false (vt_sev_measurement_parse (bad[i], &m, &error));
      g_assert_error (error, VT_ERROR, VT_ERROR_FAILED);
      assert_message_contains (error, "measurement");
      g_assert_null (strstr (error->message, "b6qy"));   /* the input is never quoted */
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sev/guid/efi-order", test_guid_efi_order);
  g_test_add_func ("/sev/guid/bad", test_guid_bad);
  g_test_add_func ("/sev/kernel-table/vector", test_kernel_table_vector);
  g_test_add_func ("/sev/kernel-table/defaults", test_kernel_table_defaults);
  g_test_add_func ("/sev/kernel-table/bad", test_kernel_table_bad);
  g_test_add_func ("/sev/ovmf/reset-address", test_ovmf_reset_address);
  g_test_add_func ("/sev/ovmf/bad", test_ovmf_bad);
  g_test_add_func ("/sev/vmsa/sevctl", test_vmsa_sevctl);
  g_test_add_func ("/sev/vmsa/signature-range", test_vmsa_signature_range);
  g_test_add_func ("/sev/digest/sev-and-kernel", test_digest_sev_and_kernel);
  g_test_add_func ("/sev/digest/sev-es", test_digest_sev_es);
  g_test_add_func ("/sev/digest/bad", test_digest_bad);
  g_test_add_func ("/sev/measurement/vectors", test_measurement_vectors);
  g_test_add_func ("/sev/measurement/flipped-bits", test_measurement_flipped_bits);
  g_test_add_func ("/sev/measurement/parse-bad", test_measurement_parse_bad);
  return g_test_run ();
}
