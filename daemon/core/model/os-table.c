#include "model/os-table.h"

#include <string.h>

#include "util/echo.h"

/* Close matches an unknown short-id's message names at most. */
#define MAX_SUGGESTIONS 5
/* Edit distance up to which a short-id counts as a likely typo. */
#define MAX_TYPO_DISTANCE 2

struct _VtOsTable {
  char *source;
  GPtrArray *oses;         /* VtOsInfo*, owned, in insertion order */
  GHashTable *by_short_id; /* short-id (owned) -> VtOsInfo* (borrowed from oses) */
  VtOsTableLoad load;      /* a lazy table's loader, run once by ready() */
  gpointer load_data;
  GOnce loaded;
};

static void
os_info_free (VtOsInfo *os)
{
  g_free (os->id);
  g_free (os->short_id);
  g_free (os->name);
  g_free (os->vendor);
  g_free (os->release_date);
  g_free (os->eol_date);
  g_free (os);
}

VtOsTable *
vt_os_table_new (const char *source)
{
  VtOsTable *table = g_new0 (VtOsTable, 1);

  table->source = g_strdup (source ? source : "the osinfo database");
  table->oses = g_ptr_array_new_with_free_func ((GDestroyNotify) os_info_free);
  table->by_short_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return table;
}

VtOsTable *
vt_os_table_new_lazy (VtOsTableLoad load, gpointer data)
{
  VtOsTable *table = vt_os_table_new (NULL);

  table->load = load;
  table->load_data = data;
  return table;
}

#define SWAP(a, b) G_STMT_START { gpointer tmp_ = (a); (a) = (b); (b) = tmp_; } G_STMT_END

/* Takes over what the loader built; the loaded shell is freed with the empty start. */
static gpointer
fill_from_loader (gpointer data)
{
  VtOsTable *table = data;
  g_autoptr (VtOsTable) loaded = table->load (table->load_data);

  SWAP (table->source, loaded->source);
  SWAP (table->oses, loaded->oses);
  SWAP (table->by_short_id, loaded->by_short_id);
  return NULL;
}

/* Every reader goes through here. A lazy table is logically const: it only ever shows
 * its loaded contents, so filling it behind a const pointer is safe (g_once orders the
 * fill before every read, in any thread). */
static const VtOsTable *
ready (const VtOsTable *table)
{
  VtOsTable *mutable = (VtOsTable *) table;

  if (table->load != NULL)
    g_once (&mutable->loaded, fill_from_loader, mutable);
  return table;
}

void
vt_os_table_free (VtOsTable *table)
{
  if (!table)
    return;
  g_hash_table_unref (table->by_short_id);
  g_ptr_array_unref (table->oses);
  g_free (table->source);
  g_free (table);
}

void
vt_os_table_add (VtOsTable *table, VtOsInfo *os, const char *const *short_ids)
{
  g_ptr_array_add (table->oses, os);
  if (!g_hash_table_contains (table->by_short_id, os->short_id))
    g_hash_table_insert (table->by_short_id, g_strdup (os->short_id), os);
  for (guint i = 0; short_ids && short_ids[i]; i++)
    if (!g_hash_table_contains (table->by_short_id, short_ids[i]))
      g_hash_table_insert (table->by_short_id, g_strdup (short_ids[i]), os);
}

guint
vt_os_table_size (const VtOsTable *table)
{
  return ready (table)->oses->len;
}

const VtOsInfo *
vt_os_table_lookup (const VtOsTable *table, const char *short_id)
{
  return g_hash_table_lookup (ready (table)->by_short_id, short_id);
}

gboolean
vt_os_info_is_eol (const VtOsInfo *os, const char *today)
{
  /* ISO dates compare as strings. */
  return *os->eol_date != '\0' && strcmp (os->eol_date, today) < 0;
}

/* Newest release first (an unknown date last), then by short-id: stable output. */
static gint
compare_newest (gconstpointer a, gconstpointer b)
{
  const VtOsInfo *x = *(const VtOsInfo *const *) a;
  const VtOsInfo *y = *(const VtOsInfo *const *) b;
  int by_date = strcmp (y->release_date, x->release_date);

  return by_date != 0 ? by_date : strcmp (x->short_id, y->short_id);
}

/* ASCII case-insensitive substring test; @needle is already lower case. */
static gboolean
contains_folded (const char *haystack, const char *needle)
{
  g_autofree char *folded = g_ascii_strdown (haystack, -1);

  return strstr (folded, needle) != NULL;
}

GPtrArray *
vt_os_table_list (const VtOsTable *table, const char *filter)
{
  g_autofree char *needle = g_ascii_strdown (filter ? filter : "", -1);
  GPtrArray *list = g_ptr_array_new ();

  ready (table);
  for (guint i = 0; i < table->oses->len; i++)
    {
      const VtOsInfo *os = g_ptr_array_index (table->oses, i);

      if (*needle == '\0' || contains_folded (os->short_id, needle) ||
          contains_folded (os->name, needle))
        g_ptr_array_add (list, (gpointer) os);
    }
  g_ptr_array_sort (list, compare_newest);
  return list;
}

/* ---- unknown short-ids -------------------------------------------------------------- */

/* Levenshtein distance, or MAX_TYPO_DISTANCE + 1 when it is surely larger. */
static guint
edit_distance (const char *a, const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = NULL;

  if ((la > lb ? la - lb : lb - la) > MAX_TYPO_DISTANCE)
    return MAX_TYPO_DISTANCE + 1;
  row = g_new (guint, lb + 1);
  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint best = MIN (row[j] + 1, row[j - 1] + 1);

          row[j] = MIN (best, diagonal + (a[i - 1] != b[j - 1]));
          diagonal = above;
        }
    }
  return row[lb];
}

/* The name stem of a short-id: what comes before its first digit ("debian" of
 * "debian12", "win" of "win2k22"); "" when it starts with one. */
static char *
stem_of (const char *short_id)
{
  gsize n = strcspn (short_id, "0123456789");

  return g_strndup (short_id, n);
}

typedef struct {
  const char *short_id;    /* the matching short-id (an alias, maybe) */
  const VtOsInfo *os;
  guint distance;
} Candidate;

static gint
compare_candidates (gconstpointer a, gconstpointer b)
{
  const Candidate *x = a, *y = b;
  int by_date;

  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  by_date = strcmp (y->os->release_date, x->os->release_date);
  return by_date != 0 ? by_date : strcmp (x->short_id, y->short_id);
}

/* Every short-id within typo distance of @unknown or sharing its (non-empty) stem. */
static GArray *
candidates_for (const VtOsTable *table, const char *unknown, const char *stem)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (Candidate));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table->by_short_id);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *its_stem = stem_of (key);
      Candidate c = { key, value, edit_distance (unknown, key) };

      if (c.distance <= MAX_TYPO_DISTANCE || (*stem && g_str_equal (stem, its_stem)))
        g_array_append_val (found, c);
    }
  /* The hash's order is arbitrary: sorting makes the message deterministic. */
  g_array_sort (found, compare_candidates);
  return found;
}

/* The newest OS (by release date) among @found with the stem @stem. */
static const VtOsInfo *
newest_of_stem (GArray *found, const char *stem)
{
  const VtOsInfo *newest = NULL;

  for (guint i = 0; *stem && i < found->len; i++)
    {
      const Candidate *c = &g_array_index (found, Candidate, i);
      g_autofree char *its_stem = stem_of (c->short_id);

      if (g_str_equal (its_stem, stem) &&
          (!newest || strcmp (c->os->release_date, newest->release_date) > 0))
        newest = c->os;
    }
  return newest;
}

char *
vt_os_table_explain_unknown (const VtOsTable *table, const char *short_id)
{
  g_autofree char *shown = vt_echo (short_id);
  g_autofree char *stem = stem_of (short_id);
  g_autoptr (GArray) found = candidates_for (ready (table), short_id, stem);
  const VtOsInfo *newest = newest_of_stem (found, stem);
  GString *out = g_string_new (NULL);

  if (table->oses->len == 0)
    {
      g_string_append_printf (out, "'%s' cannot be looked up: %s holds no OS (is osinfo-db "
                              "installed?)", shown, table->source);
      return g_string_free (out, FALSE);
    }
  g_string_append_printf (out, "'%s' is not an OS short-id of %s", shown, table->source);
  for (guint i = 0; i < MIN (found->len, MAX_SUGGESTIONS); i++)
    g_string_append_printf (out, "%s%s", i == 0 ? "; close matches: " : ", ",
                            g_array_index (found, Candidate, i).short_id);
  if (newest)
    g_string_append_printf (out, "; the newest '%s' it knows is %s%s%s%s", stem,
                            newest->short_id, *newest->release_date ? " (released " : "",
                            newest->release_date, *newest->release_date ? ")" : "");
  g_string_append (out, ". An OS newer than the database: use the newest it knows, or add "
                        "its definition under /etc/osinfo (libosinfo's local directory)");
  return g_string_free (out, FALSE);
}

/* ---- the table as a GVariant ---------------------------------------------------------- */

/* @os's short-ids other than its first, in @table's index. */
static GVariant *
aliases_of (const VtOsTable *table, const VtOsInfo *os)
{
  GVariantBuilder aliases;
  GHashTableIter iter;
  gpointer key, value;

  g_variant_builder_init (&aliases, G_VARIANT_TYPE_STRING_ARRAY);
  g_hash_table_iter_init (&iter, table->by_short_id);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value == os && !g_str_equal (key, os->short_id))
      g_variant_builder_add (&aliases, "s", key);
  return g_variant_builder_end (&aliases);
}

GVariant *
vt_os_table_to_variant (const VtOsTable *table)
{
  GVariantBuilder oses;

  ready (table);
  g_variant_builder_init (&oses, G_VARIANT_TYPE ("a(ssssssussuuttttas)"));
  for (guint i = 0; i < table->oses->len; i++)
    {
      const VtOsInfo *os = g_ptr_array_index (table->oses, i);

      g_variant_builder_add (&oses, "(ssssssussuutttt@as)", os->id, os->short_id, os->name,
                             os->vendor, os->release_date, os->eol_date, os->flags,
                             os->video ? os->video : "", os->nic ? os->nic : "",
                             os->min_vcpus, os->rec_vcpus, os->min_memory, os->rec_memory,
                             os->min_storage, os->rec_storage, aliases_of (table, os));
    }
  return g_variant_new ("(s@a(ssssssussuuttttas))", table->source,
                        g_variant_builder_end (&oses));
}

/* Devices are catalog values the layer compares by content; interned, they live as long
 * as the process, like the literals the reader itself uses. */
static const char *
device_or_null (const char *value)
{
  return *value ? g_intern_string (value) : NULL;
}

VtOsTable *
vt_os_table_new_from_variant (GVariant *variant)
{
  g_autoptr (GVariantIter) oses = NULL;
  g_autoptr (GVariantIter) aliases = NULL;
  const char *source, *video, *nic;
  VtOsTable *table;
  VtOsInfo *os = g_new0 (VtOsInfo, 1);

  g_variant_get (variant, "(&sa(ssssssussuuttttas))", &source, &oses);
  table = vt_os_table_new (source);
  while (g_variant_iter_next (oses, "(ssssssu&s&suuttttas)", &os->id, &os->short_id,
                              &os->name, &os->vendor, &os->release_date, &os->eol_date,
                              &os->flags, &video, &nic, &os->min_vcpus, &os->rec_vcpus,
                              &os->min_memory, &os->rec_memory, &os->min_storage,
                              &os->rec_storage, &aliases))
    {
      g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
      g_auto (GStrv) short_ids = NULL;
      const char *alias;

      os->video = device_or_null (video);
      os->nic = device_or_null (nic);
      while (g_variant_iter_next (aliases, "&s", &alias))
        g_strv_builder_add (ids, alias);
      g_clear_pointer (&aliases, g_variant_iter_free);
      short_ids = g_strv_builder_end (ids);
      vt_os_table_add (table, g_steal_pointer (&os), (const char *const *) short_ids);
      os = g_new0 (VtOsInfo, 1);
    }
  g_free (os);
  return table;
}
