#include "model/cpuset.h"

#include <string.h>

#include "util/echo.h"
#include "util/error.h"
#include "util/units.h"

static gboolean
bad_list (GError **error, const char *text, const char *why)
{
  g_autofree char *shown = vt_echo (text);

  g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
               "'%s' is not a CPU list (%s; e.g. 2-7,10)", shown, why);
  return FALSE;
}

/* One id at *@p, advancing it past the digits. */
static gboolean
read_id (const char **p, guint *id)
{
  guint64 value;

  if (!vt_parse_decimal (*p, VT_CPUSET_MAX_CPU, &value, p))
    return FALSE;
  *id = (guint) value;
  return TRUE;
}

/* One item "N" or "N-M" at *@p, marking its CPUs in @marks. */
static gboolean
read_item (const char **p, gboolean *marks, const char *text, GError **error)
{
  guint first, last;

  if (!read_id (p, &first))
    return bad_list (error, text, "each item is a CPU id 0.." G_STRINGIFY (VT_CPUSET_MAX_CPU)
                     " or a range N-M");
  last = first;
  if (**p == '-')
    {
      (*p)++;
      if (!read_id (p, &last))
        return bad_list (error, text, "a range ends with a CPU id 0.."
                         G_STRINGIFY (VT_CPUSET_MAX_CPU));
      if (last < first)
        return bad_list (error, text, "a range N-M needs N <= M");
    }
  if (**p != ',' && **p != '\0')
    return bad_list (error, text, "items are separated by commas, without spaces");
  for (guint cpu = first; cpu <= last; cpu++)
    marks[cpu] = TRUE;
  return TRUE;
}

GArray *
vt_cpuset_parse (const char *text, GError **error)
{
  g_autofree gboolean *marks = NULL;
  g_autoptr (GArray) cpus = NULL;
  const char *p = text;

  if (!text || !*text)
    {
      bad_list (error, text ? text : "", "it is empty");
      return NULL;
    }
  if (strlen (text) > VT_CPUSET_MAX_CHARS)
    {
      bad_list (error, text, "longer than " G_STRINGIFY (VT_CPUSET_MAX_CHARS) " characters");
      return NULL;
    }
  marks = g_new0 (gboolean, VT_CPUSET_MAX_CPU + 1);
  for (;;)
    {
      if (!read_item (&p, marks, text, error))
        return NULL;
      if (*p == '\0')
        break;
      p++;   /* the comma; an item must follow it */
    }
  cpus = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint cpu = 0; cpu <= VT_CPUSET_MAX_CPU; cpu++)
    if (marks[cpu])
      g_array_append_val (cpus, cpu);
  return g_steal_pointer (&cpus);
}

char *
vt_cpuset_format (const guint *cpus, guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n;)
    {
      guint end = i;

      while (end + 1 < n && cpus[end + 1] == cpus[end] + 1)
        end++;
      if (out->len)
        g_string_append_c (out, ',');
      /* As libvirt's virBitmapFormat writes it: any run of two or more is a range. */
      if (end > i)
        g_string_append_printf (out, "%u-%u", cpus[i], cpus[end]);
      else
        g_string_append_printf (out, "%u", cpus[i]);
      i = end + 1;
    }
  return g_string_free (out, FALSE);
}

gboolean
vt_cpuset_normalize (const char *text, char **canonical, GError **error)
{
  g_autoptr (GArray) cpus = vt_cpuset_parse (text, error);

  if (!cpus)
    return FALSE;
  *canonical = vt_cpuset_format ((const guint *) cpus->data, cpus->len);
  return TRUE;
}

gboolean
vt_cpuset_has (const GArray *cpus, guint cpu)
{
  guint lo = 0, hi = cpus ? cpus->len : 0;

  /* Binary search: pinning asks this for every CPU of hosts with thousands. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint at = g_array_index (cpus, guint, mid);

      if (at == cpu)
        return TRUE;
      if (at < cpu)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}
