#include "model/domcaps.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <string.h>

#include "model/machine.h"
#include "util/error.h"
#include "util/xml.h"

/* A domain-capabilities document is a few tens of KiB; anything far larger is not one. */
#define VT_DOMCAPS_MAX_BYTES (1024 * 1024)

void
vt_domcaps_free (VtDomcaps *caps)
{
  if (!caps)
    return;
  g_free (caps->source);
  g_free (caps->domain_type);
  g_free (caps->machine);
  g_clear_pointer (&caps->machines, g_ptr_array_unref);
  g_free (caps->arch);
  g_free (caps->cpu_vendor);
  g_free (caps->emulator);
  g_clear_pointer (&caps->enums, g_hash_table_unref);
  g_clear_pointer (&caps->unsupported, g_ptr_array_unref);
  vt_firmware_descriptors_free (caps->firmware);
  g_clear_pointer (&caps->host_machines, g_ptr_array_unref);
  vt_host_topology_free (caps->topology);
  g_free (caps);
}

/* TRUE when the element enum @name belongs to ("tpm" for "tpm.model") is marked
 * supported='no'. */
static gboolean
element_unsupported (const VtDomcaps *caps, const char *name)
{
  const char *dot = strchr (name, '.');
  g_autofree char *element = dot ? g_strndup (name, dot - name) : NULL;

  return element && caps->unsupported &&
         g_ptr_array_find_with_equal_func (caps->unsupported, element, g_str_equal, NULL);
}

gboolean
vt_domcaps_supports (const VtDomcaps *caps, const char *name, const char *value)
{
  GPtrArray *values = g_hash_table_lookup (caps->enums, name);

  if (!values)
    return !element_unsupported (caps, name);
  return g_ptr_array_find_with_equal_func (values, value, g_str_equal, NULL);
}

/* The (created on demand) value list of enum @name; an empty list means "known: none". */
static GPtrArray *
enum_values (VtDomcaps *caps, const char *name)
{
  GPtrArray *values = g_hash_table_lookup (caps->enums, name);

  if (!values)
    {
      values = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (caps->enums, g_strdup (name), values);
    }
  return values;
}

static void
enum_add (VtDomcaps *caps, const char *name, const char *value)
{
  GPtrArray *values = enum_values (caps, name);

  if (!g_ptr_array_find_with_equal_func (values, value, g_str_equal, NULL))
    g_ptr_array_add (values, g_strdup (value));
}

static xmlXPathObjectPtr
eval (xmlXPathContextPtr xpath, const char *expr)
{
  return xmlXPathEvalExpression ((const xmlChar *) expr, xpath);
}

/* The string value of @expr, or NULL when it selects nothing or an empty string. */
static char *
eval_string (xmlXPathContextPtr xpath, const char *expr)
{
  g_autofree char *full = g_strdup_printf ("string(%s)", expr);
  xmlXPathObjectPtr obj = eval (xpath, full);
  char *value = NULL;

  if (obj && obj->stringval && *obj->stringval)
    value = g_strdup ((const char *) obj->stringval);
  xmlXPathFreeObject (obj);
  return value;
}

static guint
eval_uint (xmlXPathContextPtr xpath, const char *expr)
{
  g_autofree char *text = eval_string (xpath, expr);
  guint64 v = 0;

  if (!text || !g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT, &v, NULL))
    return 0;
  return (guint) v;
}

/* Stripped; "" for an element without text. */
static char *
node_text (xmlNodePtr node)
{
  char *text = vt_xml_text (node);

  return g_strstrip (text != NULL ? text : g_strdup (""));
}

/* Records every <enum name='N'><value>V</value>… below @expr's nodes as "PREFIX.N",
 * where PREFIX is @prefix or, when NULL, the name of the enum's parent element. */
static void
collect_enums (VtDomcaps *caps, xmlXPathContextPtr xpath, const char *expr, const char *prefix)
{
  xmlXPathObjectPtr obj = eval (xpath, expr);

  for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
    {
      xmlNodePtr enum_node = obj->nodesetval->nodeTab[i];
      g_autofree char *name = vt_xml_prop (enum_node, "name");
      g_autofree char *key = NULL;
      GPtrArray *values;

      if (!name)
        continue;
      key = g_strdup_printf ("%s.%s", prefix ? prefix : (const char *) enum_node->parent->name,
                             name);
      values = enum_values (caps, key);
      for (xmlNodePtr v = enum_node->children; v; v = v->next)
        if (v->type == XML_ELEMENT_NODE && xmlStrEqual (v->name, (const xmlChar *) "value"))
          {
            g_autofree char *text = node_text (v);
            if (!g_ptr_array_find_with_equal_func (values, text, g_str_equal, NULL))
              g_ptr_array_add (values, g_steal_pointer (&text));
          }
    }
  xmlXPathFreeObject (obj);
}

/* Records the names of the elements @expr selects under enum @key (an empty but known
 * list when there are none). */
static void
collect_names (VtDomcaps *caps, xmlXPathContextPtr xpath, const char *expr, const char *attr,
               const char *key)
{
  xmlXPathObjectPtr obj = eval (xpath, expr);

  enum_values (caps, key);
  for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
    {
      xmlNodePtr node = obj->nodesetval->nodeTab[i];
      g_autofree char *name = attr ? vt_xml_prop (node, attr) : g_strdup ((const char *) node->name);
      if (name)
        enum_add (caps, key, name);
    }
  xmlXPathFreeObject (obj);
}

/* An element marked supported='no' means "known: none of it" for all its enums, not
 * "unknown" (which passes): <tpm supported='no'/> has no enum children to say so. */
static void
collect_unsupported (VtDomcaps *caps, xmlXPathContextPtr xpath)
{
  xmlXPathObjectPtr obj = eval (xpath, "/domainCapabilities/devices/*[@supported='no'] | "
                                       "/domainCapabilities/features/*[@supported='no'] | "
                                       "/domainCapabilities/os[@supported='no'] | "
                                       "/domainCapabilities/os[@supported='no']/* | "
                                       "/domainCapabilities/os/*[@supported='no']");

  caps->unsupported = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; obj && obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
    g_ptr_array_add (caps->unsupported,
                     g_strdup ((const char *) obj->nodesetval->nodeTab[i]->name));
  xmlXPathFreeObject (obj);
}

gboolean
vt_domcaps_offers_machine (const VtDomcaps *caps, const char *name)
{
  return caps->machines && name &&
         g_ptr_array_find_with_equal_func (caps->machines, name, g_str_equal, NULL);
}

/* A domain-capabilities document is about one machine, the one libvirt expanded the
 * request to: it is offered by that name and by its family's alias. */
static void
collect_machines (VtDomcaps *caps)
{
  const char *alias = vt_machine_alias_of (caps->machine);

  caps->machines = g_ptr_array_new_with_free_func (g_free);
  if (!caps->machine)
    return;
  g_ptr_array_add (caps->machines, g_strdup (caps->machine));
  if (alias && !g_str_equal (alias, caps->machine))
    g_ptr_array_add (caps->machines, g_strdup (alias));
}

#define OS_XPATH "/domainCapabilities/os[@supported='yes']"
#define SEV_XPATH "/domainCapabilities/features/sev"

static void
collect_sev (VtDomcaps *caps, xmlXPathContextPtr xpath)
{
  g_autofree char *supported = eval_string (xpath, SEV_XPATH "/@supported");

  caps->sev = g_strcmp0 (supported, "yes") == 0;
  if (!caps->sev)
    return;
  caps->sev_cbitpos = eval_uint (xpath, SEV_XPATH "/cbitpos");
  caps->sev_reduced_phys_bits = eval_uint (xpath, SEV_XPATH "/reducedPhysBits");
  caps->sev_max_guests = eval_uint (xpath, SEV_XPATH "/maxGuests");
  caps->sev_max_es_guests = eval_uint (xpath, SEV_XPATH "/maxESGuests");
}

static void
collect_everything (VtDomcaps *caps, xmlXPathContextPtr xpath)
{
  caps->emulator = eval_string (xpath, "/domainCapabilities/path");
  caps->domain_type = eval_string (xpath, "/domainCapabilities/domain");
  caps->machine = eval_string (xpath, "/domainCapabilities/machine");
  caps->arch = eval_string (xpath, "/domainCapabilities/arch");
  caps->max_vcpus = eval_uint (xpath, "/domainCapabilities/vcpu/@max");
  caps->cpu_vendor = eval_string (xpath, "/domainCapabilities/cpu/mode[@name='host-model']/vendor");
  collect_machines (caps);

  collect_enums (caps, xpath, OS_XPATH "/enum", "os");
  collect_enums (caps, xpath, OS_XPATH "/loader[@supported='yes']/enum", "loader");
  collect_enums (caps, xpath, OS_XPATH "/firmwareFeatures[@supported='yes']/enum",
                 "firmwareFeatures");
  collect_names (caps, xpath, "/domainCapabilities/cpu/mode[@supported='yes']", "name",
                 "cpu.mode");
  collect_enums (caps, xpath, "/domainCapabilities/devices/*[@supported='yes']/enum", NULL);
  collect_names (caps, xpath, "/domainCapabilities/devices/*[@supported='yes']", NULL,
                 "devices");
  collect_names (caps, xpath, "/domainCapabilities/features/*[@supported='yes']", NULL,
                 "features");
  collect_enums (caps, xpath, "/domainCapabilities/features/*[@supported='yes']/enum", NULL);
  collect_sev (caps, xpath);
  collect_unsupported (caps, xpath);
}

static gboolean
check_required (const VtDomcaps *caps, const char *source, GError **error)
{
  const char *missing = NULL;

  if (!caps->domain_type)
    missing = "domain";
  else if (!caps->machine)
    missing = "machine";
  else if (!caps->arch)
    missing = "arch";
  else if (!caps->emulator)
    missing = "path";
  if (!missing)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "%s: not a usable domain capabilities document: <%s> is missing", source,
               missing);
  return FALSE;
}

static xmlDocPtr
read_document (const char *xml, gsize len, const char *source, GError **error)
{
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;

  if (len > VT_DOMCAPS_MAX_BYTES || len > G_MAXINT)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "%s: domain capabilities document is larger than %d bytes", source,
                   VT_DOMCAPS_MAX_BYTES);
      return NULL;
    }
  ctxt = xmlNewParserCtxt ();
  if (!ctxt)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "%s: out of memory", source);
      return NULL;
    }
  /* No network, no entity expansion, no DTD loading: the document is data only. */
  doc = xmlCtxtReadMemory (ctxt, xml, (int) len, source, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc)
    {
      const xmlError *err = xmlCtxtGetLastError (ctxt);
      g_autofree char *msg = g_strstrip (g_strdup (err && err->message ? err->message
                                                   : "unknown error"));
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "%s: malformed XML (line %d): %s", source,
                   err ? err->line : 0, msg);
    }
  xmlFreeParserCtxt (ctxt);
  return doc;
}

VtDomcaps *
vt_domcaps_parse (const char *xml, gsize len, const char *source, GError **error)
{
  g_autoptr (VtDomcaps) caps = NULL;
  xmlDocPtr doc;
  xmlXPathContextPtr xpath;
  xmlNodePtr root;

  vt_xml_init ();
  doc = read_document (xml, len, source, error);
  if (!doc)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (!root || !xmlStrEqual (root->name, (const xmlChar *) "domainCapabilities"))
    {
      xmlFreeDoc (doc);
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "%s: the root element is not <domainCapabilities>", source);
      return NULL;
    }
  caps = g_new0 (VtDomcaps, 1);
  caps->source = g_strdup (source);
  caps->enums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  xpath = xmlXPathNewContext (doc);
  collect_everything (caps, xpath);
  xmlXPathFreeContext (xpath);
  xmlFreeDoc (doc);
  if (!check_required (caps, source, error))
    return NULL;
  return g_steal_pointer (&caps);
}

VtDomcaps *
vt_domcaps_load_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "cannot read domain capabilities: %s",
                   local->message);
      return NULL;
    }
  return vt_domcaps_parse (text, len, path, error);
}

/* The machine names the XPath @expr selects, added to @names once each. */
static void
collect_machine_names (xmlXPathContextPtr xpath, const char *expr, GPtrArray *names)
{
  xmlXPathObjectPtr found = eval (xpath, expr);
  xmlNodeSetPtr nodes = found ? found->nodesetval : NULL;

  for (int i = 0; nodes && i < nodes->nodeNr; i++)
    {
      xmlChar *text = xmlNodeGetContent (nodes->nodeTab[i]);

      if (text && *text
          && !g_ptr_array_find_with_equal_func (names, text, g_str_equal, NULL))
        g_ptr_array_add (names, g_strdup ((const char *) text));
      xmlFree (text);
    }
  xmlXPathFreeObject (found);
}

gboolean
vt_domcaps_add_host_machines (VtDomcaps *caps, const char *xml, gsize len, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *guest = NULL;
  g_autofree char *common = NULL;
  g_autofree char *typed = NULL;
  xmlXPathContextPtr xpath;
  xmlDocPtr doc;

  vt_xml_init ();
  doc = read_document (xml, len, "host capabilities", error);
  if (!doc)
    return FALSE;
  /* caps->arch and domain_type come from libvirt's own document: no quote in them. */
  guest = g_strdup_printf ("/capabilities/guest[os_type='hvm']/arch[@name='%s']",
                           caps->arch ? caps->arch : "x86_64");
  common = g_strdup_printf ("%s/machine", guest);
  typed = g_strdup_printf ("%s/domain[@type='%s']/machine", guest,
                           caps->domain_type ? caps->domain_type : "kvm");
  xpath = xmlXPathNewContext (doc);
  collect_machine_names (xpath, common, names);
  collect_machine_names (xpath, typed, names);
  xmlXPathFreeContext (xpath);
  xmlFreeDoc (doc);
  if (names->len == 0)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "host capabilities list no %s machine type", caps->arch);
      return FALSE;
    }
  g_clear_pointer (&caps->host_machines, g_ptr_array_unref);
  caps->host_machines = g_steal_pointer (&names);
  return TRUE;
}

gboolean
vt_domcaps_add_host_topology (VtDomcaps *caps, const char *xml, gsize len, GError **error)
{
  VtHostTopology *topology = vt_host_topology_parse (xml, len, error);

  if (!topology)
    return FALSE;
  vt_host_topology_free (caps->topology);
  caps->topology = topology;
  return TRUE;
}
