/* virtuned — replays the fuzz corpus through the description parser without libFuzzer,
 * so every saved input (seeds and past crashes) runs in the normal suite and under
 * valgrind. Prints TAP: one line per file. */
#include <glib.h>
#include <stdlib.h>

#include "fuzz-description.h"

static char *
corpus_dir (int argc, char **argv)
{
  const char *root = g_getenv ("VT_SOURCE_ROOT");

  if (argc > 1)
    return g_strdup (argv[1]);
  if (!root)
    return NULL;
  return g_build_filename (root, "tests", "fuzz", "corpus", NULL);
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
sorted_files (const char *dir_path, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!dir)
    return NULL;
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  return g_steal_pointer (&names);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = corpus_dir (argc, argv);
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GError) error = NULL;

  if (!dir)
    {
      g_printerr ("usage: %s CORPUS-DIR (or set VT_SOURCE_ROOT)\n", argv[0]);
      return EXIT_FAILURE;
    }
  files = sorted_files (dir, &error);
  if (!files || files->len == 0)
    {
      g_print ("Bail out! no corpus in %s: %s\n", dir, error ? error->message : "empty");
      return EXIT_FAILURE;
    }
  g_print ("1..%u\n", files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      g_autofree char *base = g_path_get_basename (path);
      gsize len;

      if (!g_file_get_contents (path, &contents, &len, &error))
        {
          g_print ("not ok %u - %s: %s\n", i + 1, path, error->message);
          return EXIT_FAILURE;
        }
      LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
      g_print ("ok %u - %s\n", i + 1, base);
    }
  return EXIT_SUCCESS;
}
