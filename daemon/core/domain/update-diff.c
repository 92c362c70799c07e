/* RenderUpdate's comparison: a few named facts read from each domain XML, compared by
 * key. A fact is a value at a place: an attribute or the text of an element, below the
 * domain or below a device found by its alias. Facts are what virtuned itself writes;
 * what libvirt adds to a definition (addresses, controllers of its own) is no fact, so
 * libvirt's expansion shows no difference. */
#include "domain/update-diff.h"

#include "domain/inventory.h"
#include "util/error.h"
#include "util/xml.h"

typedef struct {
  VtChangeClass klass;
  const char *key;       /* the fact's name (after "ALIAS." for a device's) */
  const char *child;     /* element below the owner, or NULL: the owner itself */
  const char *attr;      /* attribute, or NULL: the element's text */
} FactSpec;

/* Facts of the domain itself. */
static const FactSpec domain_facts[] = {
  { VT_CHANGE_GUEST, "machine", "os/type", "machine" },
  { VT_CHANGE_GUEST, "firmware", "os", "firmware" },
  { VT_CHANGE_GUEST, "cpu.mode", "cpu", "mode" },
  { VT_CHANGE_GUEST, "vcpus", "vcpu", NULL },
  { VT_CHANGE_GUEST, "memory", "memory", NULL },
  { VT_CHANGE_GUEST, "clock", "clock", "offset" },
  { VT_CHANGE_BACKEND, "iothreads", "iothreads", NULL },
  { VT_CHANGE_BACKEND, "on_poweroff", "on_poweroff", NULL },
  { VT_CHANGE_BACKEND, "on_reboot", "on_reboot", NULL },
  { VT_CHANGE_BACKEND, "on_crash", "on_crash", NULL },
  { VT_CHANGE_BACKEND, "graphics", "devices/graphics", "type" },
};

/* Facts of each device with a ua- alias, by element name ("*": any device). */
typedef struct {
  const char *element;
  FactSpec fact;
} DeviceFactSpec;

static const DeviceFactSpec device_facts[] = {
  { "disk", { VT_CHANGE_GUEST, "bus", "target", "bus" } },
  { "disk", { VT_CHANGE_BACKEND, "cache", "driver", "cache" } },
  { "disk", { VT_CHANGE_BACKEND, "iothread", "driver", "iothread" } },
  { "interface", { VT_CHANGE_GUEST, "model", "model", "type" } },
  { "interface", { VT_CHANGE_GUEST, "mac", "mac", "address" } },
  { "interface", { VT_CHANGE_BACKEND, "network", "source", "network" } },
  { "video", { VT_CHANGE_GUEST, "model", "model", "type" } },
  { "input", { VT_CHANGE_GUEST, "bus", NULL, "bus" } },
  { "controller", { VT_CHANGE_GUEST, "model", NULL, "model" } },
  { "tpm", { VT_CHANGE_GUEST, "model", NULL, "model" } },
  { "watchdog", { VT_CHANGE_GUEST, "model", NULL, "model" } },
  { "watchdog", { VT_CHANGE_BACKEND, "action", NULL, "action" } },
  { "memballoon", { VT_CHANGE_GUEST, "model", NULL, "model" } },
  { "rng", { VT_CHANGE_GUEST, "model", NULL, "model" } },
};

void
vt_change_free (VtChange *change)
{
  if (change == NULL)
    return;
  g_free (change->key);
  g_free (change->current);
  g_free (change->rendered);
  g_free (change);
}

/* The element at @path ("os/type") below @owner; with @create, made when missing. */
static xmlNodePtr
walk (xmlNodePtr owner, const char *path, gboolean create)
{
  g_auto (GStrv) steps = path != NULL ? g_strsplit (path, "/", -1) : g_new0 (char *, 1);
  xmlNodePtr node = owner;

  for (guint i = 0; node != NULL && steps[i] != NULL; i++)
    {
      xmlNodePtr next = vt_xml_child (node, steps[i]);

      if (next == NULL && create)
        next = xmlNewChild (node, NULL, (const xmlChar *) steps[i], NULL);
      node = next;
    }
  return node;
}

static char *
fact_value (xmlNodePtr owner, const FactSpec *spec)
{
  xmlNodePtr node = walk (owner, spec->child, FALSE);
  char *value = spec->attr != NULL ? vt_xml_prop (node, spec->attr) : vt_xml_text (node);

  return value != NULL ? value : g_strdup ("");
}

static void
fact_set (xmlNodePtr owner, const FactSpec *spec, const char *value)
{
  xmlNodePtr node = walk (owner, spec->child, TRUE);

  if (spec->attr != NULL)
    xmlSetProp (node, (const xmlChar *) spec->attr, (const xmlChar *) value);
  else
    xmlNodeSetContent (node, (const xmlChar *) value);
}

/* ---- the facts of one document: key -> value, and where each device is ---- */

typedef struct {
  xmlDocPtr doc;
  xmlNodePtr root;
  GHashTable *devices;   /* alias -> its element (borrowed from doc) */
} Facts;

static void
facts_clear (Facts *facts)
{
  g_clear_pointer (&facts->devices, g_hash_table_unref);
  g_clear_pointer (&facts->doc, xmlFreeDoc);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Facts, facts_clear)

static char *
alias_of (xmlNodePtr device)
{
  g_autofree char *name = vt_xml_prop (vt_xml_child (device, "alias"), "name");

  return name != NULL && g_str_has_prefix (name, "ua-") ? g_steal_pointer (&name) : NULL;
}

static gboolean
facts_read (Facts *facts, const char *xml, GError **error)
{
  xmlNodePtr devices;

  facts->doc = vt_domain_xml_read (xml, &facts->root, error);
  if (facts->doc == NULL)
    return FALSE;
  facts->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  devices = vt_xml_child (facts->root, "devices");
  for (xmlNodePtr d = devices != NULL ? devices->children : NULL; d != NULL; d = d->next)
    {
      char *alias = d->type == XML_ELEMENT_NODE ? alias_of (d) : NULL;

      if (vt_device_is_listed (d, alias))
        g_hash_table_insert (facts->devices, alias, d);
      else
        g_free (alias);
    }
  return TRUE;
}

/* ---- comparing ---- */

static void
compare (GPtrArray *changes, VtChangeClass klass, char *key, char *current, char *rendered)
{
  VtChange *change;

  if (g_str_equal (current, rendered))
    {
      g_free (key);
      g_free (current);
      g_free (rendered);
      return;
    }
  change = g_new0 (VtChange, 1);
  change->klass = klass;
  change->key = key;
  change->current = current;
  change->rendered = rendered;
  g_ptr_array_add (changes, change);
}

static void
compare_device (GPtrArray *changes, const char *alias, xmlNodePtr current, xmlNodePtr rendered)
{
  xmlNodePtr either = current != NULL ? current : rendered;

  compare (changes, VT_CHANGE_GUEST, g_strdup (alias),
           g_strdup (current != NULL ? (const char *) current->name : ""),
           g_strdup (rendered != NULL ? (const char *) rendered->name : ""));
  if (current == NULL || rendered == NULL || !xmlStrEqual (current->name, rendered->name))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (device_facts); i++)
    if (g_str_equal (device_facts[i].element, (const char *) either->name))
      {
        const FactSpec *spec = &device_facts[i].fact;

        compare (changes, spec->klass, g_strconcat (alias, ".", spec->key, NULL),
                 fact_value (current, spec), fact_value (rendered, spec));
      }
}

/* Every alias of either side, sorted. */
static GPtrArray *
all_aliases (const Facts *a, const Facts *b)
{
  GPtrArray *aliases = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, a->devices);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (aliases, key);
  g_hash_table_iter_init (&iter, b->devices);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (a->devices, key))
      g_ptr_array_add (aliases, key);
  g_ptr_array_sort (aliases, (GCompareFunc) g_strcmp0);
  return aliases;
}

static gint
by_class_then_key (gconstpointer a, gconstpointer b)
{
  const VtChange *x = *(VtChange *const *) a;
  const VtChange *y = *(VtChange *const *) b;

  if (x->klass != y->klass)
    return x->klass < y->klass ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

GPtrArray *
vt_domain_update_diff (const char *current, const char *rendered, GError **error)
{
  g_auto (Facts) now = { NULL };
  g_auto (Facts) today = { NULL };
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) vt_change_free);
  g_autoptr (GPtrArray) aliases = NULL;

  if (!facts_read (&now, current, error) || !facts_read (&today, rendered, error))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (domain_facts); i++)
    compare (changes, domain_facts[i].klass, g_strdup (domain_facts[i].key),
             fact_value (now.root, &domain_facts[i]), fact_value (today.root, &domain_facts[i]));
  aliases = all_aliases (&now, &today);
  for (guint i = 0; i < aliases->len; i++)
    {
      const char *alias = g_ptr_array_index (aliases, i);

      compare_device (changes, alias, g_hash_table_lookup (now.devices, alias),
                      g_hash_table_lookup (today.devices, alias));
    }
  g_ptr_array_sort (changes, by_class_then_key);
  return g_steal_pointer (&changes);
}

/* ---- applying the backend ---- */

static void
apply_backend_device (xmlNodePtr current, xmlNodePtr rendered)
{
  for (gsize i = 0; i < G_N_ELEMENTS (device_facts); i++)
    {
      const FactSpec *spec = &device_facts[i].fact;
      g_autofree char *value = NULL;

      if (spec->klass != VT_CHANGE_BACKEND
          || !g_str_equal (device_facts[i].element, (const char *) current->name))
        continue;
      value = fact_value (rendered, spec);
      /* A value today's render does not set is left as it is. */
      if (*value != '\0')
        fact_set (current, spec, value);
    }
}

char *
vt_domain_update_backend (const char *current, const char *rendered, GError **error)
{
  g_auto (Facts) now = { NULL };
  g_auto (Facts) today = { NULL };
  GHashTableIter iter;
  gpointer alias, node;

  if (!facts_read (&now, current, error) || !facts_read (&today, rendered, error))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (domain_facts); i++)
    {
      g_autofree char *value = NULL;

      if (domain_facts[i].klass != VT_CHANGE_BACKEND)
        continue;
      value = fact_value (today.root, &domain_facts[i]);
      /* Only values: a backend upgrade adds no device (a display the domain lacks). */
      if (*value == '\0' || (g_str_has_prefix (domain_facts[i].child, "devices/")
                              && walk (now.root, domain_facts[i].child, FALSE) == NULL))
        continue;
      fact_set (now.root, &domain_facts[i], value);
    }
  g_hash_table_iter_init (&iter, now.devices);
  while (g_hash_table_iter_next (&iter, &alias, &node))
    {
      xmlNodePtr rendered_node = g_hash_table_lookup (today.devices, alias);

      if (rendered_node != NULL && xmlStrEqual (((xmlNodePtr) node)->name, rendered_node->name))
        apply_backend_device (node, rendered_node);
    }
  return vt_xml_to_string (now.doc);
}
