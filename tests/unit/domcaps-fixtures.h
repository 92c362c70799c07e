/* Shared by test-domcaps, test-domain and test-render: domain-capabilities fixtures
 * (tests/data/domcaps, data/domcaps) and variants derived from them by substitution. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "model/domcaps.h"

#define FIXTURE_SEV "tests/data/domcaps/qemu_9.2.0-q35.x86_64+amdsev.xml"
#define FIXTURE_KVM "tests/data/domcaps/qemu7.2-kvm-q35-x86_64.xml"
#define FIXTURE_TCG "tests/data/domcaps/qemu7.2-tcg-q35-x86_64.xml"
#define BUNDLED_CAPS "data/domcaps/x86_64-kvm-q35.xml"

static inline char *
fixture_path (const char *relative)
{
  const char *root = g_getenv ("VT_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, relative, NULL);
}

static inline char *
fixture_text (const char *relative)
{
  g_autofree char *path = fixture_path (relative);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* @relative's text with each @from[i] replaced by @to[i] (NULL-terminated @from); every
 * @from must occur, so a fixture change cannot silently void a test. */
static inline char *
fixture_text_variant (const char *relative, const char *const *from, const char *const *to)
{
  char *text = fixture_text (relative);

  for (guint i = 0; from && from[i]; i++)
    {
      g_autoptr (GString) edited = g_string_new (text);
      g_assert_nonnull (strstr (text, from[i]));
      g_string_replace (edited, from[i], to[i], 0);
      g_free (text);
      text = g_string_free (g_steal_pointer (&edited), FALSE);
    }
  return text;
}

/* Parses @relative after replacing each @from[i] with @to[i] (fixture_text_variant). */
static inline VtDomcaps *
fixture_variant (const char *relative, const char *const *from, const char *const *to)
{
  g_autofree char *text = fixture_text_variant (relative, from, to);
  g_autoptr (GError) error = NULL;
  VtDomcaps *caps;

  caps = vt_domcaps_parse (text, strlen (text), relative, &error);
  g_assert_no_error (error);
  g_assert_nonnull (caps);
  return caps;
}

static inline VtDomcaps *
fixture_caps (const char *relative)
{
  return fixture_variant (relative, NULL, NULL);
}

/* ---- QEMU firmware descriptors (model/firmware.h) ---- */

/* The "features" of Debian 12's OVMF descriptors (SEV, not SEV-ES), and of a build that
 * also boots SEV-ES guests (AmdSev / edk2 with amd-sev-es). */
#define FW_FEATURES_SEV "\"acpi-s3\", \"amd-sev\", \"verbose-dynamic\""
#define FW_FEATURES_SEV_ES "\"acpi-s3\", \"amd-sev\", \"amd-sev-es\", \"verbose-dynamic\""

/* A descriptor in the shape QEMU's firmware.json gives (as Debian's 60-edk2-x86_64.json). */
static inline char *
firmware_descriptor (const char *arch, const char *features)
{
  return g_strdup_printf (
    "{\n  \"description\": \"test firmware\",\n  \"interface-types\": [\"uefi\"],\n"
    "  \"mapping\": {\"device\": \"flash\",\n"
    "    \"executable\": {\"filename\": \"/usr/share/OVMF/OVMF_CODE_4M.fd\", "
    "\"format\": \"raw\"}},\n"
    "  \"targets\": [{\"architecture\": \"%s\", \"machines\": [\"pc-q35-*\"]}],\n"
    "  \"features\": [%s],\n  \"tags\": [\n\n  ]\n}\n", arch, features);
}

/* Writes @text as ROOT/@dir/@name, making the directories. */
static inline void
fixture_write (const char *root, const char *dir, const char *name, const char *text)
{
  g_autofree char *full_dir = g_build_filename (root, dir, NULL);
  g_autofree char *path = g_build_filename (full_dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (full_dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Removes the tree @path (a test's own temporary directory). */
static inline void
fixture_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fixture_remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  if (dir)
    g_dir_close (dir);
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* Gives @caps the firmware descriptors of a host whose /usr/share/qemu/firmware holds
 * one x86_64 descriptor with @features, as the daemon does for a local connection. */
static inline void
fixture_attach_firmware (VtDomcaps *caps, const char *features)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *root = g_dir_make_tmp ("vt-firmware-XXXXXX", &error);
  g_autofree char *text = firmware_descriptor ("x86_64", features);

  g_assert_no_error (error);
  fixture_write (root, "usr/share/qemu/firmware", "60-edk2-x86_64.json", text);
  g_clear_pointer (&caps->firmware, vt_firmware_descriptors_free);
  caps->firmware = vt_firmware_descriptors_load (root, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  fixture_remove_tree (root);
}
