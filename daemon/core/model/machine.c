#include "model/machine.h"

#include <string.h>

#include "util/units.h"

/* QEMU versions are small numbers; a bound keeps the comparison free of overflow. */
#define VERSION_PART_MAX 9999

static const struct {
  VtMachineFamily family;
  const char *alias;
  const char *prefix;
} families[] = {
  { VT_MACHINE_Q35, "q35", "pc-q35-" },
  { VT_MACHINE_I440FX, "pc", "pc-i440fx-" },
};

/* "X.Y" as two bounded decimal parts, nothing before or after. */
static gboolean
parse_version (const char *text, guint64 *major, guint64 *minor)
{
  const char *dot = NULL;

  return vt_parse_decimal (text, VERSION_PART_MAX, major, &dot) && *dot == '.' &&
         vt_parse_decimal (dot + 1, VERSION_PART_MAX, minor, NULL);
}

gboolean
vt_machine_parse (const char *name, VtMachine *machine)
{
  for (gsize i = 0; name && i < G_N_ELEMENTS (families); i++)
    {
      VtMachine m = { .family = families[i].family };

      if (g_str_equal (name, families[i].alias))
        {
          *machine = m;
          return TRUE;
        }
      if (g_str_has_prefix (name, families[i].prefix) &&
          parse_version (name + strlen (families[i].prefix), &m.major, &m.minor))
        {
          m.versioned = TRUE;
          *machine = m;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
vt_machine_alias (VtMachineFamily family)
{
  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    if (families[i].family == family)
      return families[i].alias;
  return NULL;
}

const char *
vt_machine_alias_of (const char *name)
{
  for (gsize i = 0; name && i < G_N_ELEMENTS (families); i++)
    if (g_str_equal (name, families[i].alias) || g_str_has_prefix (name, families[i].prefix))
      return families[i].alias;
  return NULL;
}

int
vt_machine_compare_versions (const VtMachine *a, const VtMachine *b)
{
  if (a->major != b->major)
    return a->major < b->major ? -1 : 1;
  if (a->minor != b->minor)
    return a->minor < b->minor ? -1 : 1;
  return 0;
}
