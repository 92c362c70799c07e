/* vscenctl sev info | sev attest (SPEC §8). The daemon of this version answers both
 * methods with .Unsupported; the client still checks its arguments fully, so a script
 * written today fails the same way once the daemon does attest. */
#include "vscenctl.h"

/* TIK, TEK and secret are a few bytes; firmware images are a few MiB. */
#define SEV_FILE_MAX_BYTES (16 * 1024 * 1024)

typedef struct {
  const char *flag;
  const char *key;        /* AttestDomain parameter, the file's bytes (ay) */
  gboolean required;
} SevFileOption;

static const SevFileOption attest_files[] = {
  { "--tik", "tik", TRUE },
  { "--tek", "tek", TRUE },
  { "--firmware", "firmware", FALSE },
  { "--secret", "secret", FALSE },
};

#define ATTEST_USAGE "'sev attest' takes DOMAIN --tik FILE --tek FILE [--firmware FILE] " \
                     "[--secret FILE]"

/* An a{sv} reply: a JSON object, or one "key: value" line per entry. */
static void
print_dict (VtCtl *ctl, GVariant *dict)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (ctl->json)
    {
      g_autoptr (GString) json = g_string_new (NULL);

      vt_ctl_json_append_value (json, dict);
      vt_ctl_print_json (json);
      return;
    }
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autofree char *text = vt_ctl_text (value);
      g_autofree char *key_shown = vt_ctl_printable (key, NULL);

      g_print ("%s: %s\n", key_shown, text);
      g_variant_unref (value);
    }
}

static int
sev_info (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) info = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 0)
    return vt_ctl_usage ("'sev info' takes no arguments");
  reply = vt_ctl_call (ctl, "GetSevInfo", NULL, G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a{sv})", &info);
  print_dict (ctl, info);
  return VT_EXIT_OK;
}

static int
find_file_option (const char *flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (attest_files); i++)
    if (g_str_equal (attest_files[i].flag, flag))
      return (int) i;
  return -1;
}

/* Fills @paths (indexed like attest_files) and @domain; an exit code on a usage error,
 * else -1. */
static int
parse_attest (int argc, char **argv, const char **domain, const char **paths)
{
  for (int i = 0; i < argc; i++)
    {
      int option = argv[i][0] == '-' ? find_file_option (argv[i]) : -2;

      if (option == -2 && *domain == NULL)
        *domain = argv[i];
      else if (option < 0 || i + 1 == argc)
        return vt_ctl_usage (ATTEST_USAGE);
      else
        paths[option] = argv[++i];
    }
  if (*domain == NULL)
    return vt_ctl_usage (ATTEST_USAGE);
  for (guint i = 0; i < G_N_ELEMENTS (attest_files); i++)
    if (attest_files[i].required && paths[i] == NULL)
      return vt_ctl_usage (ATTEST_USAGE);
  return -1;
}

static gboolean
add_file (GVariantDict *params, const char *key, const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  if (len > SEV_FILE_MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "%s is larger than %d MiB", path, SEV_FILE_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  g_variant_dict_insert_value (params, key,
                               g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, contents, len,
                                                          1));
  return TRUE;
}

static int
sev_attest (VtCtl *ctl, int argc, char **argv)
{
  const char *paths[G_N_ELEMENTS (attest_files)] = { NULL };
  const char *domain = NULL;
  g_auto (GVariantDict) params = G_VARIANT_DICT_INIT (NULL);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) result = NULL;
  g_autoptr (GError) error = NULL;
  int status = parse_attest (argc, argv, &domain, paths);

  if (status >= 0)
    return status;
  for (guint i = 0; i < G_N_ELEMENTS (attest_files); i++)
    if (paths[i] != NULL && !add_file (&params, attest_files[i].key, paths[i], &error))
      return vt_ctl_fail (error);
  reply = vt_ctl_call_mutating (ctl, "AttestDomain",
                                g_variant_new ("(s@a{sv})", domain,
                                               g_variant_dict_end (&params)),
                                &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a{sv})", &result);
  print_dict (ctl, result);
  return VT_EXIT_OK;
}

int
vt_cmd_sev (VtCtl *ctl, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "info"))
    return sev_info (ctl, argc - 2, argv + 2);
  if (argc >= 2 && g_str_equal (argv[1], "attest"))
    return sev_attest (ctl, argc - 2, argv + 2);
  return vt_ctl_usage ("'sev' needs info or attest");
}
