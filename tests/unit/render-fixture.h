/* Shared by test-render and test-scenarios: the render pipeline with its real parts (the
 * built-in policies in data/policies, a hand-made OS table, the merge engine with its
 * host layer, the domain builder), each result checked by virt-xml-validate and a define
 * in libvirt's test driver. One program includes it once. */
#pragma once

#include <string.h>

#include "domain-checks.h"
#include "domain/render.h"
#include "domcaps-fixtures.h"
#include "util/error.h"

static VtPolicySet *policies;
static VtOsTable *oses;

/* The OS the full sample names, made by hand: the render part needs no libosinfo (the
 * OS layer's rules against an osinfo database are test-os's). */
static inline void
make_oses (void)
{
  VtOsInfo *os = g_new0 (VtOsInfo, 1);

  os->id = g_strdup ("http://opensuse.org/opensuse/15.4");
  os->short_id = g_strdup ("opensuse15.4");
  os->name = g_strdup ("openSUSE Leap 15.4");
  os->vendor = g_strdup ("openSUSE");
  os->release_date = g_strdup ("2022-06-08");
  os->eol_date = g_strdup ("");
  os->flags = VT_OS_VIRTIO_DISK | VT_OS_VIRTIO_NET | VT_OS_VIRTIO_GPU | VT_OS_VIRTIO_RNG |
              VT_OS_VIRTIO_BALLOON | VT_OS_VIRTIO_INPUT;
  os->rec_memory = 2 * 1024 * 1024 * 1024ULL;
  oses = vt_os_table_new ("a table made by test-render");
  vt_os_table_add (oses, os, NULL);
}

static inline void
load_policies (void)
{
  g_autofree char *dir = fixture_path ("data/policies");
  const char *dirs[] = { dir, NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  policies = vt_policy_set_load (dirs, problems);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("policy problem: %s\n", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* A description with one new disk and one NIC; @extra is appended verbatim. */
static inline char *
description (const char *name, const char *scenarios, const char *extra)
{
  return g_strdup_printf ("name: %s\n%s%s%s"
                          "vcpus: 2\nmemory: 2GiB\n"
                          "disks:\n  - pool: default\n    size: 20GiB\n"
                          "networks:\n  - network: default\n%s",
                          name, scenarios ? "scenario: " : "", scenarios ? scenarios : "",
                          scenarios ? "\n" : "", extra ? extra : "");
}

static inline VtResolved *
plan_ok (const VtDomcaps *caps, const char *text)
{
  g_autoptr (GError) error = NULL;
  VtResolved *plan = vt_resolve (policies, oses, caps, text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (plan);
  return plan;
}

/* Renders, checks with both real validators, and returns the parsed domain. */
static inline xmlDocPtr
render_checked (const VtResolved *plan, const VtDomcaps *caps, char **xml_out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = vt_domain_render (plan, caps, NULL, &error);

  g_assert_no_error (error);
  assert_schema_valid (xml);
  assert_test_driver_defines (xml);
  if (xml_out)
    *xml_out = g_strdup (xml);
  return parse_domain (xml);
}

static inline gboolean
has_warning (const VtResolved *plan, const char *fragment)
{
  for (guint i = 0; i < plan->merge->warnings->len; i++)
    if (strstr (g_ptr_array_index (plan->merge->warnings, i), fragment))
      return TRUE;
  return FALSE;
}

/* Parses and merges @text expecting @code with @fragment in the message. */
static inline void
assert_plan_fails (const VtDomcaps *caps, const char *text, gint code, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = vt_resolve (policies, oses, caps, text, strlen (text), &error);

  g_assert_null (plan);
  g_assert_error (error, VT_ERROR, code);
  if (!strstr (error->message, fragment))
    g_error ("'%s' lacks '%s'", error->message, fragment);
}

/* @key resolved to @value with provenance @layer. */
static inline void
assert_provenance (const VtResolved *plan, const char *key, const char *value, const char *layer)
{
  const VtSetting *s = vt_settings_lookup (plan->merge->settings, key);

  g_assert_nonnull (s);
  if (g_strcmp0 (s->value, value) != 0 || g_strcmp0 (s->layer, layer) != 0)
    g_error ("%s is '%s' [%s], expected '%s' [%s]", key, s->value, s->layer, value, layer);
}
