#include "model/host-topology.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "model/cpuset.h"
#include "util/error.h"
#include "util/units.h"
#include "util/xml.h"

/* Host capabilities list every machine type of every emulator: a few hundred KiB. */
#define VT_HOST_CAPS_MAX_BYTES (4 * 1024 * 1024)

static void
host_cpu_clear (gpointer data)
{
  VtHostCpu *cpu = data;

  g_clear_pointer (&cpu->siblings, g_array_unref);
}

void
vt_host_topology_free (VtHostTopology *topology)
{
  if (!topology)
    return;
  g_clear_pointer (&topology->cpus, g_array_unref);
  g_free (topology);
}

const VtHostCpu *
vt_host_topology_cpu (const VtHostTopology *topology, guint id)
{
  guint lo = 0, hi = topology ? topology->cpus->len : 0;

  /* Binary search over the ascending ids. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const VtHostCpu *cpu = &g_array_index (topology->cpus, VtHostCpu, mid);

      if (cpu->id == id)
        return cpu;
      if (cpu->id < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

/* The decimal attribute @name of @node; FALSE when absent or not a number <= @max. */
static gboolean
uint_prop (xmlNodePtr node, const char *name, guint max, guint *value)
{
  xmlChar *raw = xmlGetProp (node, (const xmlChar *) name);
  guint64 v = 0;
  gboolean ok = raw && vt_parse_decimal ((const char *) raw, max, &v, NULL);

  xmlFree (raw);
  *value = (guint) v;
  return ok;
}

static gboolean
failed (GError **error, const char *sentence, guint id)
{
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED, "host capabilities: %s (CPU %u)", sentence, id);
  return FALSE;
}

/* One <cpu> of a cell; an offline CPU (no core_id, no siblings) is skipped. */
static gboolean
read_cpu (xmlNodePtr node, GArray *cpus, GError **error)
{
  VtHostCpu cpu = { 0 };
  xmlChar *siblings;
  g_autoptr (GError) local = NULL;

  if (!uint_prop (node, "id", VT_CPUSET_MAX_CPU, &cpu.id))
    return failed (error, "a <cpu> has no id up to " G_STRINGIFY (VT_CPUSET_MAX_CPU), 0);
  siblings = xmlGetProp (node, (const xmlChar *) "siblings");
  if (!siblings || !uint_prop (node, "core_id", G_MAXUINT, &cpu.core_id) ||
      !uint_prop (node, "socket_id", G_MAXUINT, &cpu.socket_id))
    {
      xmlFree (siblings);
      return TRUE;
    }
  cpu.siblings = vt_cpuset_parse ((const char *) siblings, &local);
  xmlFree (siblings);
  if (!cpu.siblings)
    return failed (error, "malformed siblings list", cpu.id);
  g_array_append_val (cpus, cpu);
  return TRUE;
}

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  guint x = ((const VtHostCpu *) a)->id, y = ((const VtHostCpu *) b)->id;

  return x < y ? -1 : x > y;
}

static gboolean
read_cpus (xmlXPathContextPtr xpath, GArray *cpus, GError **error)
{
  xmlXPathObjectPtr found = xmlXPathEvalExpression (
    (const xmlChar *) "/capabilities/host/topology/cells/cell/cpus/cpu", xpath);
  xmlNodeSetPtr nodes = found ? found->nodesetval : NULL;
  gboolean ok = TRUE;

  for (int i = 0; ok && nodes && i < nodes->nodeNr; i++)
    ok = read_cpu (nodes->nodeTab[i], cpus, error);
  xmlXPathFreeObject (found);
  if (!ok)
    return FALSE;
  if (cpus->len == 0)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "host capabilities: <host><topology> lists no online CPU");
      return FALSE;
    }
  g_array_sort (cpus, compare_ids);
  for (guint i = 1; i < cpus->len; i++)
    if (g_array_index (cpus, VtHostCpu, i).id == g_array_index (cpus, VtHostCpu, i - 1).id)
      return failed (error, "a CPU is listed twice", g_array_index (cpus, VtHostCpu, i).id);
  return TRUE;
}

static gboolean
has_feature (xmlXPathContextPtr xpath, const char *name)
{
  g_autofree char *expr = g_strdup_printf ("/capabilities/host/cpu/feature[@name='%s']", name);
  xmlXPathObjectPtr found = xmlXPathEvalExpression ((const xmlChar *) expr, xpath);
  gboolean has = found && found->nodesetval && found->nodesetval->nodeNr > 0;

  xmlXPathFreeObject (found);
  return has;
}

static xmlDocPtr
read_capabilities (const char *xml, gsize len, GError **error)
{
  xmlDocPtr doc;
  xmlNodePtr root;

  if (len > VT_HOST_CAPS_MAX_BYTES)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "host capabilities are larger than %d bytes", VT_HOST_CAPS_MAX_BYTES);
      return NULL;
    }
  vt_xml_init ();
  /* No network, no entity expansion, no DTD loading: the document is data only. */
  doc = xmlReadMemory (xml, (int) len, "host capabilities", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  root = doc ? xmlDocGetRootElement (doc) : NULL;
  if (root && xmlStrEqual (root->name, (const xmlChar *) "capabilities"))
    return doc;
  xmlFreeDoc (doc);
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "host capabilities: not a well-formed <capabilities> document");
  return NULL;
}

VtHostTopology *
vt_host_topology_parse (const char *xml, gsize len, GError **error)
{
  g_autoptr (VtHostTopology) topology = g_new0 (VtHostTopology, 1);
  xmlXPathContextPtr xpath;
  xmlDocPtr doc = read_capabilities (xml, len, error);
  gboolean ok;

  if (!doc)
    return NULL;
  topology->cpus = g_array_new (FALSE, TRUE, sizeof (VtHostCpu));
  g_array_set_clear_func (topology->cpus, host_cpu_clear);
  xpath = xmlXPathNewContext (doc);
  ok = read_cpus (xpath, topology->cpus, error);
  topology->tsc_deadline = has_feature (xpath, "tsc-deadline");
  xmlXPathFreeContext (xpath);
  xmlFreeDoc (doc);
  return ok ? g_steal_pointer (&topology) : NULL;
}
