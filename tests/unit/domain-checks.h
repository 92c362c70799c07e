/* Shared by test-domain and test-render: checks on a rendered domain with real tools —
 * XPath over the document, libvirt's RNG validator (virt-xml-validate) and a define in
 * libvirt's in-process test driver. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <string.h>

#include "seed-scenarios.h"

static inline xmlDocPtr
parse_domain (const char *xml)
{
  xmlDocPtr doc = xmlReadMemory (xml, (int) strlen (xml), "domain.xml", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOBLANKS);

  g_assert_nonnull (doc);
  return doc;
}

/* The string value of XPath @expr (string(), count() ... or a node set's first node). */
static inline char *
xpath_value (xmlDocPtr doc, const char *expr)
{
  xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
  xmlXPathObjectPtr obj;
  xmlChar *raw;
  char *value;

  xmlXPathRegisterNs (ctx, (const xmlChar *) "vt",
                      (const xmlChar *) "https://virtscenario.org/xmlns/virtuned/1.0");
  obj = xmlXPathEvalExpression ((const xmlChar *) expr, ctx);
  if (!obj)
    g_error ("bad XPath expression %s", expr);
  raw = xmlXPathCastToString (obj);
  value = g_strdup ((const char *) raw);
  xmlFree (raw);
  xmlXPathFreeObject (obj);
  xmlXPathFreeContext (ctx);
  return value;
}

static inline void
assert_xpath (xmlDocPtr doc, const char *expr, const char *expected)
{
  g_autofree char *value = xpath_value (doc, expr);

  if (g_strcmp0 (value, expected) != 0)
    g_error ("%s is '%s', expected '%s'", expr, value, expected);
}

/* Checks every XML row of a seed scenario. */
static inline void
assert_seed_rows (xmlDocPtr doc, const SeedScenario *scenario)
{
  for (const SeedRow *r = scenario->rows; r->row; r++)
    if (r->xpath)
      {
        g_autofree char *value = xpath_value (doc, r->xpath);
        if (g_strcmp0 (value, r->expect) != 0)
          g_error ("%s, row '%s': %s is '%s', expected '%s'", scenario->name, r->row, r->xpath,
                   value, r->expect);
      }
}

/* Runs libvirt's own schema validator on @xml; fails the test with its output. */
static inline void
assert_schema_valid (const char *xml)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("vt-domain-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_no_error (error);
  path = g_build_filename (dir, "domain.xml", NULL);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { "virt-xml-validate", path, "domain", NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                  &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("virt-xml-validate rejected the domain:\n%s%s\n%s", out, err, xml);
  g_unlink (path);
  g_rmdir (dir);
}

static void
domain_checks_quiet_libvirt (void *data, virErrorPtr err)
{
}

/* Defines @xml in a fresh in-process test driver and checks libvirt keeps the aliases. */
static inline void
assert_test_driver_defines (const char *xml)
{
  virConnectPtr conn;
  virDomainPtr dom;
  char *back;

  virSetErrorFunc (NULL, domain_checks_quiet_libvirt);
  conn = virConnectOpen ("test:///default");
  g_assert_nonnull (conn);
  dom = virDomainDefineXML (conn, xml);
  if (!dom)
    g_error ("libvirt refused the domain: %s\n%s", virGetLastErrorMessage (), xml);
  back = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  g_assert_nonnull (back);
  g_assert_nonnull (strstr (back, "<alias name='ua-"));
  free (back);
  virDomainUndefine (dom);
  virDomainFree (dom);
  virConnectClose (conn);
}

/* What an SEV-ES guest on FIXTURE_SEV (libvirt's QEMU 9.2 AMD SEV host: cbitpos 51,
 * reducedPhysBits 1) must show: launch security with the no-debug, no-key-sharing, ES
 * policy, and what SEV needs elsewhere (UEFI, q35, locked memory, no balloon, iommu). */
static inline void
assert_sev_es_on_fixture (xmlDocPtr doc)
{
  assert_xpath (doc, "string(/domain/launchSecurity/@type)", "sev");
  assert_xpath (doc, "string(/domain/launchSecurity/cbitpos)", "51");
  assert_xpath (doc, "string(/domain/launchSecurity/reducedPhysBits)", "1");
  assert_xpath (doc, "string(/domain/launchSecurity/policy)", "0x0007");
  assert_xpath (doc, "string(/domain/os/@firmware)", "efi");
  assert_xpath (doc, "string(/domain/os/type/@machine)", "pc-q35-9.2");
  assert_xpath (doc, "count(/domain/memoryBacking/locked)", "1");
  assert_xpath (doc, "string(//memballoon/@model)", "none");
  assert_xpath (doc, "string(//disk/driver/@iommu)", "on");
}
