/* Unit tests: the guest owner's keys, the launch secret packet (core/sev) against
 * sevctl's fixed-IV vectors, and the bounded, wiped reading of the owner's files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "model/limits.h"
#include "sev/bytes.h"
#include "sev/keys.h"
#include "sev/measurement.h"
#include "sev/secret.h"
#include "sev-test-util.h"
#include "util/error.h"

/* virtee/sevctl tests/secretbuild.rs "Full test" inputs. */
#define SEVCTL_TIK "c6d5a9956133050912b24bbe5c372686"
#define SEVCTL_TEK "52a869b79ab9c13bb6a92b0561619cb3"
#define SEVCTL_MEASUREMENT "TLeA7607lZQntLjRY1/i+sbtdSZ+75zxpz4Px9hzpBLwItF5Q2o4prA++3ZZv9ZS"
#define SEVCTL_IV "rFR07U3TLH2YnsUj2SVZ7A=="

static VtSevKeys *
sevctl_keys (void)
{
  gsize tik_len, tek_len;
  g_autofree guint8 *tik = hex_bytes (SEVCTL_TIK, &tik_len);
  g_autofree guint8 *tek = hex_bytes (SEVCTL_TEK, &tek_len);

  return vt_sev_keys_new (tik, tik_len, tek, tek_len, NULL);
}

static char *
base64_of (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return g_base64_encode (data, len);
}

/* Builds the packet for @secrets with sevctl's keys, measurement and IV. */
static void
build_sevctl (VtSevSecrets *secrets, char **header, char **payload)
{
  g_autoptr (VtSevKeys) keys = sevctl_keys ();
  g_autoptr (GBytes) head = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  gsize iv_len;
  g_autofree guint8 *iv = g_base64_decode (SEVCTL_IV, &iv_len);
  VtSevMeasurement measurement;

  g_assert_true (vt_sev_measurement_parse (SEVCTL_MEASUREMENT, &measurement, NULL));
  g_assert_true (vt_sev_secrets_build (secrets, keys, measurement.mac, iv, &head, &body,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (head), ==, VT_SEV_SECRET_HEADER_SIZE);
  *header = base64_of (head);
  *payload = base64_of (body);
}

static void
test_secret_sevctl_vectors (void)
{
  g_autoptr (VtSevSecrets) one = vt_sev_secrets_new ();
  g_autoptr (VtSevSecrets) two = vt_sev_secrets_new ();
  g_autofree char *header = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *header2 = NULL;
  g_autofree char *payload2 = NULL;

  g_assert_true (vt_sev_secrets_add (one, "736869e5-84f0-4973-92ec-06879ce3da0b",
                                     (const guint8 *) "MY-LUKS-PASSPHRASE", 18, NULL));
  build_sevctl (one, &header, &payload);
  g_assert_cmpstr (header, ==,
                   "AAAAAKxUdO1N0yx9mJ7FI9klWey8FSzeYQ4X8K71VzNKLU/KQsIsQxLjtbhaPUewqshX5Q==");
  g_assert_cmpstr (payload, ==, "0U3e5PcXv0UW+H4tSBFKOdCYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj5"
                                "6GL12yyinDa+lVfCCwD/2w5cPA==");
  /* The alias is the same GUID; a second secret, in order. */
  g_assert_true (vt_sev_secrets_add (two, "luks-key", (const guint8 *) "MY-LUKS-PASSPHRASE",
                                     18, NULL));
  g_assert_true (vt_sev_secrets_add (two, "736869E5-AAAA-4973-92EC-06879CE3DA0B",
                                     (const guint8 *) "SOME OTHER SECRET", 17, NULL));
  g_assert_cmpuint (vt_sev_secrets_count (two), ==, 2);
  build_sevctl (two, &header2, &payload2);
  g_assert_cmpstr (header2, ==,
                   "AAAAAKxUdO1N0yx9mJ7FI9klWeyZ3r0dOEKHUOhIRqzGYYvTJgdMtBPL1nK6GD9aGET7Ng==");
  g_assert_cmpstr (payload2, ==, "0U3e5PcXv0UW+H4tSBFKObWYfKE1+j38Bc2fuO16mYiyI+sWx7INfn+lgYj5"
                                 "6GL12yyinDa+lVfCC+WWs332lpLNUX1ZI3YK7vYgtys4X+uGxEIlkIQ90v8/"
                                 "w8ZFmQMe");
}

static void
test_secret_random_iv (void)
{
  g_autoptr (VtSevSecrets) secrets = vt_sev_secrets_new ();
  g_autoptr (VtSevKeys) keys = sevctl_keys ();
  guint8 measurement[VT_SEV_MEASUREMENT_SIZE] = { 0 };
  g_autoptr (GBytes) h1 = NULL, p1 = NULL, h2 = NULL, p2 = NULL;

  g_assert_true (vt_sev_secrets_add (secrets, "luks-key", (const guint8 *) "x", 1, NULL));
  g_assert_true (vt_sev_secrets_build (secrets, keys, measurement, NULL, &h1, &p1, NULL));
  g_assert_true (vt_sev_secrets_build (secrets, keys, measurement, NULL, &h2, &p2, NULL));
  g_assert_false (g_bytes_equal (h1, h2));
  g_assert_false (g_bytes_equal (p1, p2));
}

/* The table is at most 16 KiB: sevctl's boundary cases (16343 and 16344 bytes of secret
 * both give a 16384-byte payload, so an aligned table gets no padding). */
static void
test_secret_sizes (void)
{
  static const gsize ok[] = { 0, 1, 16343, 16344 };
  g_autofree guint8 *data = g_malloc0 (VT_SEV_SECRET_TABLE_MAX_BYTES + 1);
  g_autoptr (VtSevKeys) keys = sevctl_keys ();
  guint8 measurement[VT_SEV_MEASUREMENT_SIZE] = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr (VtSevSecrets) secrets = vt_sev_secrets_new ();
      g_autoptr (GBytes) header = NULL, payload = NULL;
      gsize table = 20 + 20 + ok[i];

      g_assert_true (vt_sev_secrets_add (secrets, "luks-key", data, ok[i], NULL));
      g_assert_true (vt_sev_secrets_build (secrets, keys, measurement, NULL, &header,
                                           &payload, NULL));
      g_assert_cmpuint (g_bytes_get_size (payload), ==, (table + 15) / 16 * 16);
    }
  for (gsize len = 16345; len <= VT_SEV_SECRET_TABLE_MAX_BYTES + 1; len += 39)
    {
      g_autoptr (VtSevSecrets) secrets = vt_sev_secrets_new ();
      g_autoptr (GError) error = NULL;

      g_assert_false (vt_sev_secrets_add (secrets, "luks-key", data, len, &error));
      assert_message_contains (error, "do not fit");
    }
}

static void
test_secret_bad (void)
{
  g_autoptr (VtSevSecrets) secrets = vt_sev_secrets_new ();
  g_autoptr (VtSevKeys) keys = sevctl_keys ();
  guint8 measurement[VT_SEV_MEASUREMENT_SIZE] = { 0 };
  g_autoptr (GBytes) header = NULL, payload = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (vt_sev_secrets_build (secrets, keys, measurement, NULL, &header, &payload,
                                        &error));
  assert_message_contains (error, "no secret");
  g_clear_error (&error);
  g_assert_false (vt_sev_secrets_add (secrets, "luks-keys", (const guint8 *) "x", 1, &error));
  assert_message_contains (error, "'luks-keys' is neither the alias luks-key nor a GUID");
  g_clear_error (&error);
  g_assert_false (vt_sev_secrets_add (secrets, "736869e5-84f0-4973-92ec-06879ce3da0",
                                      (const guint8 *) "x", 1, &error));
  assert_message_contains (error, "neither");
  g_clear_error (&error);
  g_assert_true (vt_sev_secrets_add (secrets, "luks-key", (const guint8 *) "x", 1, NULL));
  g_assert_false (vt_sev_secrets_add (secrets, "736869e5-84f0-4973-92ec-06879ce3da0b",
                                      (const guint8 *) "y", 1, &error));
  assert_message_contains (error, "736869e5-84f0-4973-92ec-06879ce3da0b is given twice");
  g_assert_cmpuint (vt_sev_secrets_count (secrets), ==, 1);
}

/* ---- keys ---------------------------------------------------------------------------- */

static void
test_keys_sizes (void)
{
  guint8 key[33];
  static const gsize bad[] = { 0, 1, 15, 17, 32 };

  for (guint i = 0; i < sizeof key; i++)
    key[i] = (guint8) (0xa0 + i);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) tik_error = NULL;
      g_autoptr (GError) tek_error = NULL;
      g_autoptr (GError) tk_error = NULL;
      g_autofree char *length = g_strdup_printf ("not %" G_GSIZE_FORMAT, bad[i]);

      g_assert_null (vt_sev_keys_new (key, bad[i], key, 16, &tik_error));
      assert_message_contains (tik_error, "the TIK must be 16 bytes");
      assert_message_contains (tik_error, length);
      g_assert_null (vt_sev_keys_new (key, 16, key, bad[i], &tek_error));
      assert_message_contains (tek_error, "the TEK must be 16 bytes");
      if (bad[i] != 32)
        {
          g_assert_null (vt_sev_keys_new_tk (key, bad[i], &tk_error));
          assert_message_contains (tk_error, "must be 32 bytes");
        }
    }
}

static void
test_keys_tk_order (void)
{
  guint8 tk[32];
  g_autoptr (VtSevKeys) keys = NULL;

  for (guint i = 0; i < sizeof tk; i++)
    tk[i] = (guint8) i;
  keys = vt_sev_keys_new_tk (tk, sizeof tk, NULL);
  g_assert_nonnull (keys);
  /* virt-qemu-sev-validate --tk: TEK first, then TIK. */
  g_assert_cmpmem (keys->tek, 16, tk, 16);
  g_assert_cmpmem (keys->tik, 16, tk + 16, 16);
}

static void
test_keys_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vt-sev-XXXXXX", NULL);
  g_autofree char *tik = write_temp (dir, "tik", "0123456789abcdef", 16);
  g_autofree char *tek = write_temp (dir, "tek", "fedcba9876543210", 16);
  g_autofree char *tk = write_temp (dir, "tk", "fedcba98765432100123456789abcdef", 32);
  g_autofree char *long_key = write_temp (dir, "long", "0123456789abcdef\n", 17);
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autoptr (VtSevKeys) pair = vt_sev_keys_load (tik, tek, NULL);
  g_autoptr (VtSevKeys) joined = vt_sev_keys_load (tk, NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (pair);
  g_assert_nonnull (joined);
  g_assert_cmpmem (pair, sizeof *pair, joined, sizeof *joined);
  /* A trailing newline (echo > tik.bin) is the most common wrong key file. */
  g_assert_null (vt_sev_keys_load (long_key, tek, &error));
  assert_message_contains (error, "the TIK must be 16 bytes, not 17");
  g_assert_null (strstr (error->message, "0123"));
  g_clear_error (&error);
  g_assert_null (vt_sev_keys_load (tik, missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  assert_message_contains (error, "TEK file");
  for (const char *const *p = (const char *const[]) { tik, tek, tk, long_key, NULL }; *p; p++)
    g_unlink (*p);
  g_rmdir (dir);
}

/* ---- files ---------------------------------------------------------------------------- */

static void
test_read_file_bounds (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vt-sev-XXXXXX", NULL);
  g_autofree guint8 *data = g_malloc (200000);
  g_autofree char *path = NULL;
  g_autoptr (VtSevBytes) whole = NULL;
  g_autoptr (VtSevBytes) none = NULL;
  g_autoptr (GError) error = NULL;
  guint8 digest[VT_SEV_SHA256_SIZE];
  g_autofree char *hex = NULL;
  g_autofree char *expected = NULL;

  for (gsize i = 0; i < 200000; i++)
    data[i] = (guint8) (i * 31 + i / 977);
  path = write_temp (dir, "data", data, 200000);
  whole = vt_sev_bytes_read_file (path, 200000, "firmware", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (whole->data, whole->len, data, 200000);
  none = vt_sev_bytes_read_file (path, 199999, "firmware", &error);
  g_assert_null (none);
  assert_message_contains (error, "the firmware");
  assert_message_contains (error, "is larger than 199999 bytes");
  g_clear_error (&error);
  g_assert_true (vt_sev_hash_file (path, 200000, "kernel", digest, NULL));
  hex = to_hex (digest, sizeof digest);
  expected = glib_sha256 (data, 200000);
  g_assert_cmpstr (hex, ==, expected);
  g_assert_false (vt_sev_hash_file (path, 199999, "kernel", digest, &error));
  assert_message_contains (error, "the kernel");
  g_unlink (path);
  g_rmdir (dir);
}

/* A pipe has no size in advance: the buffer grows, and the bound still holds. */
static void
test_read_pipe (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vt-sev-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree guint8 *data = g_malloc (150000);
  g_autoptr (GError) error = NULL;
  g_autoptr (VtSevBytes) got = NULL;
  GPid pid;
  const char *argv[] = { "/bin/sh", "-c", "head -c 150000 /dev/zero > \"$0\"", fifo, NULL };

  memset (data, 0, 150000);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &pid,
                                NULL));
  got = vt_sev_bytes_read_file (fifo, 150000, "secret", &error);
  g_assert_no_error (error);
  g_assert_cmpmem (got->data, got->len, data, 150000);
  g_spawn_close_pid (pid);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &pid,
                                NULL));
  g_assert_null (vt_sev_bytes_read_file (fifo, 149999, "secret", &error));
  assert_message_contains (error, "is larger than 149999 bytes");
  g_spawn_close_pid (pid);
  g_unlink (fifo);
  g_rmdir (dir);
}

static void
test_base64_strict (void)
{
  g_autoptr (VtSevBytes) iv = vt_sev_base64_decode (SEVCTL_IV, 16, "IV", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (iv);
  g_assert_null (vt_sev_base64_decode ("rFR07U3TLH2YnsUj2SVZ", 16, "IV", &error));
  assert_message_contains (error, "the IV is 15 bytes of base64, not 16");
  g_clear_error (&error);
  g_assert_null (vt_sev_base64_decode ("rFR07U3TLH2Y nsUj2SVZ7A=", 16, "IV", &error));
  assert_message_contains (error, "the IV is not base64 of 16 bytes");
  g_clear_error (&error);
  g_assert_null (vt_sev_base64_decode ("rFR07U3TLH2YnsUj2SVZ7A=A", 16, "IV", &error));
  g_clear_error (&error);
  g_assert_null (vt_sev_base64_decode ("rFR07U3TLH2YnsUj2SVZ7w==AAAA", 16, "IV", &error));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sev/secret/sevctl-vectors", test_secret_sevctl_vectors);
  g_test_add_func ("/sev/secret/random-iv", test_secret_random_iv);
  g_test_add_func ("/sev/secret/sizes", test_secret_sizes);
  g_test_add_func ("/sev/secret/bad", test_secret_bad);
  g_test_add_func ("/sev/keys/sizes", test_keys_sizes);
  g_test_add_func ("/sev/keys/tk-order", test_keys_tk_order);
  g_test_add_func ("/sev/keys/files", test_keys_files);
  g_test_add_func ("/sev/files/bounds", test_read_file_bounds);
  g_test_add_func ("/sev/files/pipe", test_read_pipe);
  g_test_add_func ("/sev/files/base64-strict", test_base64_strict);
  return g_test_run ();
}
