/* util/xml-write.c against libxml2's own formatted serialisation: every scenario's
 * domain tree, parsed documents, hand-made trees with every character libxml2 escapes,
 * and random trees. Byte-identical output is the contract: libvirt, the tests and the
 * provenance of a Define all see one text per tree. */
#include "render-fixture.h"

#include <libxml/xmlsave.h>

#include "domain/domain.h"
#include "util/xml-write.h"
#include "util/xml.h"

/* What libxml2 writes for @doc: the reference. */
static char *
libxml2_text (xmlDocPtr doc)
{
  xmlChar *mem = NULL;
  int len = 0;
  char *text;

  xmlDocDumpFormatMemoryEnc (doc, &mem, &len, "UTF-8", 1);
  text = g_strndup ((const char *) mem, (gsize) len);
  xmlFree (mem);
  return text;
}

static void
assert_same_as_libxml2 (xmlDocPtr doc)
{
  g_autofree char *ours = vt_xml_write (doc);
  g_autofree char *reference = libxml2_text (doc);

  g_assert_nonnull (ours);
  g_assert_cmpstr (ours, ==, reference);
}

/* Builds @text's domain on @caps (NULL when the plan is refused there, as securevm is
 * without SEV). */
static xmlDocPtr
domain_tree (const VtDomcaps *caps, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (VtResolved) plan = vt_resolve (policies, oses, caps, text, strlen (text), &error);

  if (plan == NULL)
    return NULL;
  return vt_domain_build (plan->desc, plan->merge->settings, caps, plan->merge->applied,
                          plan->merge->os_id, NULL, &error);
}

static void
test_every_scenario (void)
{
  const char *fixtures[] = { FIXTURE_KVM, FIXTURE_SEV, FIXTURE_TCG };
  g_autoptr (GPtrArray) list = vt_policy_set_list (policies);
  guint compared = 0;

  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autoptr (VtDomcaps) caps = fixture_caps (fixtures[f]);
      g_autofree char *full = fixture_text ("tests/data/descriptions/full.yaml");
      xmlDocPtr doc = domain_tree (caps, full);

      if (doc != NULL)
        {
          assert_same_as_libxml2 (doc);
          xmlFreeDoc (doc);
          compared++;
        }
      for (guint i = 0; i < list->len; i++)
        {
          const VtPolicy *policy = g_ptr_array_index (list, i);
          g_autofree char *text = description ("xmlw", policy->name, NULL);

          doc = domain_tree (caps, text);
          if (doc == NULL)
            continue;
          assert_same_as_libxml2 (doc);
          xmlFreeDoc (doc);
          compared++;
        }
    }
  /* Most scenarios render on most hosts: a broken plan must not void this test. */
  g_assert_cmpuint (compared, >=, 2 * list->len);
}

/* libvirt's documents as the daemon parses them (Define reads the defined domain back,
 * update.c rewrites one). */
static void
test_parsed_documents (void)
{
  const char *files[] = { FIXTURE_KVM, FIXTURE_SEV, BUNDLED_CAPS,
                          "tests/data/domcaps/caps-qemu7.2-x86_64.xml" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *text = fixture_text (files[i]);
      xmlDocPtr doc = vt_xml_parse (text);
      g_autofree char *ours = NULL;
      g_autofree char *reference = NULL;

      g_assert_nonnull (doc);
      ours = vt_xml_write (doc);
      reference = libxml2_text (doc);
      /* A comment in a fixture is libxml2's to write; then vt_xml_to_string uses it. */
      if (ours != NULL)
        g_assert_cmpstr (ours, ==, reference);
      g_free (ours);
      ours = vt_xml_to_string (doc);
      g_assert_cmpstr (ours, ==, reference);
      xmlFreeDoc (doc);
    }
}

static const char *const nasty = "a<b>c&d\"e'f\ng\rh\ti é ✓ ]]> &amp; ";

static void
test_escaping_and_shapes (void)
{
  xmlDocPtr doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNodePtr root = xmlNewDocNode (doc, NULL, BAD_CAST "domain", NULL);
  xmlNsPtr ns;
  xmlNodePtr node, mixed;

  xmlDocSetRootElement (doc, root);
  xmlNewProp (root, BAD_CAST "type", BAD_CAST nasty);
  xmlNewProp (root, BAD_CAST "empty", BAD_CAST "");
  xmlNewProp (root, BAD_CAST "none", NULL);
  xmlNewTextChild (root, NULL, BAD_CAST "name", BAD_CAST nasty);
  xmlNewChild (root, NULL, BAD_CAST "empty", NULL);
  node = xmlNewChild (root, NULL, BAD_CAST "metadata", NULL);
  ns = xmlNewNs (node, BAD_CAST "https://example.org/ns?a=1&b=<2>", BAD_CAST "vt");
  xmlNewTextChild (xmlNewChild (node, ns, BAD_CAST "vm", NULL), ns, BAD_CAST "note",
                   BAD_CAST nasty);
  xmlSetNsProp (node->children, ns, BAD_CAST "attr", BAD_CAST nasty);
  /* Text among elements: libxml2 stops indenting inside, and so must this. */
  mixed = xmlNewChild (root, NULL, BAD_CAST "mixed", NULL);
  xmlAddChild (mixed, xmlNewText (BAD_CAST "before "));
  xmlNewTextChild (xmlNewChild (mixed, NULL, BAD_CAST "inner", NULL), NULL, BAD_CAST "leaf",
                   BAD_CAST "x");
  xmlAddChild (mixed, xmlNewText (BAD_CAST " after\n"));
  /* Deeper than libxml2's 60 columns of indentation. */
  node = root;
  for (int i = 0; i < 40; i++)
    node = xmlNewChild (node, NULL, BAD_CAST "deep", NULL);
  xmlNewTextChild (node, NULL, BAD_CAST "bottom", BAD_CAST "end");
  assert_same_as_libxml2 (doc);
  doc->standalone = 1;
  assert_same_as_libxml2 (doc);
  xmlFreeDoc (doc);
}

/* Random trees of elements, attributes and text drawn from the characters above. */
static char *
random_text (void)
{
  static const char *const pieces[] = { "a", "<", ">", "&", "\"", "'", "\n", "\r", "\t",
                                        " ", "é", "✓", "x y", "" };
  GString *text = g_string_new (NULL);
  int n = g_test_rand_int_range (0, 8);

  for (int i = 0; i < n; i++)
    g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
  return g_string_free (text, FALSE);
}

static void
grow (xmlNodePtr parent, int depth)
{
  int children = depth > 4 ? 0 : g_test_rand_int_range (0, 4);

  for (int i = 0; i < g_test_rand_int_range (0, 3); i++)
    {
      g_autofree char *name = g_strdup_printf ("a%d", i);
      g_autofree char *value = random_text ();

      xmlNewProp (parent, BAD_CAST name, BAD_CAST value);
    }
  for (int i = 0; i < children; i++)
    {
      g_autofree char *text = random_text ();

      if (g_test_rand_int_range (0, 4) == 0)
        xmlAddChild (parent, xmlNewText (BAD_CAST text));
      else
        grow (xmlNewChild (parent, NULL, BAD_CAST "e", NULL), depth + 1);
    }
}

static void
test_random_trees (void)
{
  for (int i = 0; i < 500; i++)
    {
      xmlDocPtr doc = xmlNewDoc (BAD_CAST "1.0");
      xmlNodePtr root = xmlNewDocNode (doc, NULL, BAD_CAST "r", NULL);

      xmlDocSetRootElement (doc, root);
      grow (root, 0);
      assert_same_as_libxml2 (doc);
      xmlFreeDoc (doc);
    }
}

/* What it does not write it refuses, and vt_xml_to_string then writes with libxml2. */
static void
test_other_nodes_fall_back (void)
{
  xmlDocPtr doc = xmlNewDoc (BAD_CAST "1.0");
  xmlNodePtr root = xmlNewDocNode (doc, NULL, BAD_CAST "domain", NULL);
  g_autofree char *reference = NULL;
  g_autofree char *text = NULL;

  xmlDocSetRootElement (doc, root);
  xmlAddChild (root, xmlNewDocComment (doc, BAD_CAST " a comment "));
  g_assert_null (vt_xml_write (doc));
  reference = libxml2_text (doc);
  text = vt_xml_to_string (doc);
  g_assert_cmpstr (text, ==, reference);
  xmlFreeDoc (doc);

  doc = xmlNewDoc (BAD_CAST "1.0");
  root = xmlNewDocNode (doc, NULL, BAD_CAST "domain", NULL);
  xmlDocSetRootElement (doc, root);
  xmlAddChild (root, xmlNewCDataBlock (doc, BAD_CAST "<raw>", 5));
  g_assert_null (vt_xml_write (doc));
  xmlFreeDoc (doc);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  vt_xml_init ();
  load_policies ();
  make_oses ();
  g_test_add_func ("/xml-write/every-scenario", test_every_scenario);
  g_test_add_func ("/xml-write/parsed-documents", test_parsed_documents);
  g_test_add_func ("/xml-write/escaping-and-shapes", test_escaping_and_shapes);
  g_test_add_func ("/xml-write/random-trees", test_random_trees);
  g_test_add_func ("/xml-write/other-nodes-fall-back", test_other_nodes_fall_back);
  return g_test_run ();
}
