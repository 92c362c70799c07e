/* Shared by test-domcaps, test-domain and test-render: domain-capabilities fixtures
 * (tests/data/domcaps, data/domcaps) and variants derived from them by substitution. */
#pragma once

#include <glib.h>

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

/* Parses @relative after replacing each @from[i] with @to[i] (NULL-terminated @from);
 * every @from must occur, so a fixture change cannot silently void a test. */
static inline VtDomcaps *
fixture_variant (const char *relative, const char *const *from, const char *const *to)
{
  g_autofree char *text = fixture_text (relative);
  g_autoptr (GError) error = NULL;
  VtDomcaps *caps;

  for (guint i = 0; from && from[i]; i++)
    {
      g_autoptr (GString) edited = g_string_new (text);
      g_assert_nonnull (strstr (text, from[i]));
      g_string_replace (edited, from[i], to[i], 0);
      g_free (text);
      text = g_string_free (g_steal_pointer (&edited), FALSE);
    }
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
