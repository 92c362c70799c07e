/* The realtime section of the domain (libvirt kbase "KVM real time"): <cputune>, and
 * what the realtime keys add to elements other sections make. It runs after them and
 * finds or makes each element in libvirt's order, so those sections need not know it. */
#include "domain/realtime.h"

#include "domain/xml-tree.h"

/* The child <NAME> of @parent, or NULL. */
static xmlNodePtr
child_named (xmlNodePtr parent, const char *name)
{
  for (xmlNodePtr child = parent->children; child; child = child->next)
    if (child->type == XML_ELEMENT_NODE && xmlStrEqual (child->name, (const xmlChar *) name))
      return child;
  return NULL;
}

void
vt_domain_insert_in_order (xmlNodePtr domain, xmlNodePtr node, const char *const *after)
{
  xmlNodePtr anchor = NULL;

  for (xmlNodePtr child = domain->children; child; child = child->next)
    if (child->type == XML_ELEMENT_NODE &&
        g_strv_contains (after, (const char *) child->name))
      anchor = child;
  if (anchor)
    xmlAddNextSibling (anchor, node);
  else if (domain->children)
    xmlAddPrevSibling (domain->children, node);
  else
    xmlAddChild (domain, node);
}

/* The child <NAME> of @domain, made in libvirt's order when missing. */
static xmlNodePtr
child_in_order (xmlNodePtr domain, const char *name, const char *const *after)
{
  xmlNodePtr child = child_named (domain, name);

  if (child)
    return child;
  child = xmlNewNode (NULL, (const xmlChar *) name);
  vt_domain_insert_in_order (domain, child, after);
  return child;
}

/* Memory: no KSM merging of this guest's pages (kbase: "Memory configuration"). */
static void
add_nosharepages (xmlNodePtr domain, const VtDeviceContext *ctx)
{
  static const char *const before[] = { "name", "uuid", "metadata", "memory",
                                         "currentMemory", NULL };
  xmlNodePtr backing, locked, node;

  if (!vt_settings_get_bool (ctx->settings, "guest.memory.nosharepages"))
    return;
  backing = child_in_order (domain, "memoryBacking", before);
  node = xmlNewNode (NULL, (const xmlChar *) "nosharepages");
  /* libvirt writes hugepages, nosharepages, then locked. */
  locked = child_named (backing, "locked");
  if (locked)
    xmlAddPrevSibling (locked, node);
  else
    xmlAddChild (backing, node);
}

/* <features><pmu state/>: off keeps the guest from programming host performance
 * counters, whose interrupts add latency (kbase: "CPU configuration"). */
static void
add_pmu (xmlNodePtr domain, const VtDeviceContext *ctx)
{
  static const char *const before[] = { "name", "uuid", "metadata", "memory",
                                         "currentMemory", "memoryBacking", "vcpu", "iothreads",
                                         "cputune", "os", NULL };
  const char *pmu = vt_settings_get (ctx->settings, "guest.pmu");

  if (!pmu)
    return;
  vt_tree_add_with (child_in_order (domain, "features", before), "pmu", "state", pmu);
}

/* The TSC deadline timer the guest's real-time kernel relies on, required so a host
 * without it refuses to start the guest rather than run it with a worse timer (kbase:
 * "CPU configuration"). Only where the host's CPU has it, and into a <cpu> with a mode:
 * libvirt takes no bare feature list. */
static void
add_tsc_deadline (xmlNodePtr domain, const VtDeviceContext *ctx)
{
  const char *scheduler = vt_device_setting (ctx, "guest.cpu.scheduler", "default");
  xmlNodePtr cpu = child_named (domain, "cpu");
  xmlNodePtr feature;

  if (g_str_equal (scheduler, "default") || !ctx->caps->topology ||
      !ctx->caps->topology->tsc_deadline || !cpu || !xmlHasProp (cpu, (const xmlChar *) "mode"))
    return;
  feature = vt_tree_add_with (cpu, "feature", "policy", "require");
  vt_tree_set (feature, "name", "tsc-deadline");
}

gboolean
vt_domain_add_realtime (xmlNodePtr domain, const VtDeviceContext *ctx, guint vcpus,
                        GError **error)
{
  if (!vt_domain_add_cputune (domain, ctx, vcpus, error))
    return FALSE;
  add_nosharepages (domain, ctx);
  add_pmu (domain, ctx);
  add_tsc_deadline (domain, ctx);
  return TRUE;
}
