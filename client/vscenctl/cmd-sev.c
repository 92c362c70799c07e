/* vscenctl sev info | export-pdh | attest | measurement | inject (SPEC §6, §8): the bus
 * side of AMD SEV. `attest` is the trusted-host mode (the owner's keys go to the daemon
 * in one call); `measurement` and `inject` are the untrusted-host mode, around the
 * offline `sev verify` and `sev build-secret` (cmd-sev-offline.c). Each sends one
 * method call. */
#include "vscenctl.h"

#include <string.h>

#include "model/limits.h"
#include "sev/bytes.h"
#include "sev/keys.h"
#include "sev/secret.h"
#include "sev/vmsa.h"

#define ATTEST_USAGE                                                                    \
  "'sev attest' takes DOMAIN --tik FILE --tek FILE (or --tk FILE) [--firmware FILE] "   \
  "[--kernel FILE [--initrd FILE] [--cmdline TEXT]] [--cpu-family N --cpu-model N "     \
  "--cpu-stepping N | --vmsa-cpu0 FILE [--vmsa-cpu1 FILE]] [--secret FILE] "            \
  "[--inject-secret NAME:FILE]... [--keep-paused]"
#define INJECT_USAGE \
  "'sev inject' takes DOMAIN --secret-header FILE --secret-payload FILE [--resume]"

/* Key files are 16 or 32 bytes; anything much larger is the wrong file. */
#define KEY_FILE_MAX_BYTES 4096

/* One "key: value" line; the platform's certificates are long base64 and are shown by
 * size (sev export-pdh writes them). */
static void
print_entry (const char *key, GVariant *value)
{
  g_autofree char *key_shown = vt_ctl_printable (key, NULL);
  g_autofree char *text = NULL;

  if ((g_str_equal (key, "pdh") || g_str_equal (key, "cert-chain"))
      && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    text = g_strdup_printf ("%zu characters of base64 (vscenctl sev export-pdh DIR)",
                            strlen (g_variant_get_string (value, NULL)));
  else
    text = vt_ctl_text (value);
  g_print ("%s: %s\n", key_shown, text);
}

/* An a{sv} reply: a JSON object, or one line per entry, the keys in @order first (in
 * that order, NULL-terminated; nullable), then any others a newer daemon sends. */
static void
print_dict (VtCtl *ctl, GVariant *dict, const char *const *order)
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
  for (guint i = 0; order != NULL && order[i] != NULL; i++)
    {
      g_autoptr (GVariant) known = g_variant_lookup_value (dict, order[i], NULL);

      if (known != NULL)
        print_entry (order[i], known);
    }
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) owned = value;

      if (order == NULL || !g_strv_contains (order, key))
        print_entry (key, value);
    }
}

/* The three attestation commands' ending: one mutating call (it may need polkit), whose
 * a{sv} answer is printed with @order's keys first. */
static int
call_and_print (VtCtl *ctl, const char *method, GVariant *parameters,
                const char *const *order)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = vt_ctl_call_mutating (ctl, method, parameters, &error);
  g_autoptr (GVariant) result = NULL;

  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a{sv})", &result);
  print_dict (ctl, result, order);
  return VT_EXIT_OK;
}

/* ---- info, export-pdh ----------------------------------------------------------------- */

static GVariant *
get_sev_info (VtCtl *ctl, GError **error)
{
  g_autoptr (GVariant) reply = vt_ctl_call (
    ctl, "GetSevInfo", g_variant_new ("(@a{sv})", vt_ctl_connection_options (ctl)),
    G_DBUS_CALL_FLAGS_NONE, error);
  GVariant *info = NULL;

  if (reply != NULL)
    g_variant_get (reply, "(@a{sv})", &info);
  return info;
}

static int
sev_info (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GVariant) info = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 0)
    return vt_ctl_usage ("'sev info' takes no arguments");
  static const char *const order[] = {
    "supported", "sev-es", "source", "cbitpos", "reduced-phys-bits", "max-guests",
    "max-es-guests", "cpu0-id", "pdh", "cert-chain", NULL,
  };

  info = get_sev_info (ctl, &error);
  if (info == NULL)
    return vt_ctl_fail (error);
  print_dict (ctl, info, order);
  return VT_EXIT_OK;
}

/* Writes @key of @info to DIR/@file, as the base64 text libvirt gives (what sevctl
 * verify and sevctl session read as ".b64"). */
static gboolean
export_one (GVariant *info, const char *key, const char *dir, const char *file,
            char **path, GError **error)
{
  const char *text = NULL;

  if (!g_variant_lookup (info, key, "&s", &text))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "the host's SEV platform reported no %s (see vscenctl sev info)", key);
      return FALSE;
    }
  *path = g_build_filename (dir, file, NULL);
  return g_file_set_contents (*path, text, -1, error);
}

static int
sev_export_pdh (VtCtl *ctl, int argc, char **argv)
{
  g_autoptr (GVariant) info = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *pdh = NULL;
  g_autofree char *chain = NULL;

  if (argc != 1 || argv[0][0] == '-')
    return vt_ctl_usage ("'sev export-pdh' takes one DIR");
  info = get_sev_info (ctl, &error);
  if (info == NULL || !export_one (info, "pdh", argv[0], "pdh.b64", &pdh, &error)
      || !export_one (info, "cert-chain", argv[0], "cert-chain.b64", &chain, &error))
    return vt_ctl_fail (error);
  if (ctl->json)
    {
      g_autoptr (GString) json = g_string_new ("{\"pdh\": ");

      vt_ctl_json_string (json, pdh);
      g_string_append (json, ", \"cert-chain\": ");
      vt_ctl_json_string (json, chain);
      g_string_append_c (json, '}');
      vt_ctl_print_json (json);
    }
  else
    g_print ("wrote %s and %s\n", pdh, chain);
  return VT_EXIT_OK;
}

/* ---- attest --------------------------------------------------------------------------- */

typedef enum {
  ARG_KEY,          /* a local key file, sent as its bytes (ay) */
  ARG_HOST_PATH,    /* a file on the host, sent as an absolute path (s) */
  ARG_TEXT,         /* sent as it is (s) */
  ARG_NUMBER,       /* sent as u */
  ARG_VMSA,         /* a local 4096-byte file, one page of vmsa (aay) */
  ARG_SECRET,       /* NAME:FILE, repeatable, an entry of secrets (a(say)) */
  ARG_LUKS_SECRET,  /* FILE: the secret named luks-key */
  ARG_FLAG,
} ArgKind;

typedef struct {
  const char *flag;
  const char *param;          /* the AttestDomain parameter */
  ArgKind kind;
} AttestOption;

static const AttestOption attest_options[] = {
  { "--tik", "tik", ARG_KEY }, { "--tek", "tek", ARG_KEY }, { "--tk", "tk", ARG_KEY },
  { "--firmware", "firmware", ARG_HOST_PATH }, { "--kernel", "kernel", ARG_HOST_PATH },
  { "--initrd", "initrd", ARG_HOST_PATH }, { "--cmdline", "cmdline", ARG_TEXT },
  { "--cpu-family", "cpu-family", ARG_NUMBER }, { "--cpu-model", "cpu-model", ARG_NUMBER },
  { "--cpu-stepping", "cpu-stepping", ARG_NUMBER }, { "--vmsa-cpu0", "vmsa", ARG_VMSA },
  { "--vmsa-cpu1", "vmsa", ARG_VMSA }, { "--inject-secret", "secrets", ARG_SECRET },
  { "--secret", "secrets", ARG_LUKS_SECRET }, { "--keep-paused", "on-mismatch", ARG_FLAG },
};

typedef struct {
  GVariantDict params;
  GVariantBuilder secrets;
  guint n_secrets;
  GVariant *vmsa[VT_SEV_MAX_VMSAS];   /* floating until the builder takes them */
} AttestArgs;

static const AttestOption *
find_attest_option (const char *flag)
{
  for (gsize i = 0; i < G_N_ELEMENTS (attest_options); i++)
    if (g_str_equal (attest_options[i].flag, flag))
      return &attest_options[i];
  return NULL;
}

static GVariant *
bytes_variant (const VtSevBytes *bytes)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, bytes->data, bytes->len, 1);
}

static gboolean
add_secret (AttestArgs *args, const char *name, const char *path, GError **error)
{
  g_autoptr (VtSevBytes) data = vt_sev_bytes_read_file (path, VT_SEV_SECRET_TABLE_MAX_BYTES,
                                                        "secret", error);

  if (data == NULL)
    return FALSE;
  g_variant_builder_add (&args->secrets, "(s@ay)", name, bytes_variant (data));
  args->n_secrets++;
  return TRUE;
}

static gboolean
add_number (AttestArgs *args, const AttestOption *option, const char *value, GError **error)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &n, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s needs a decimal number", option->flag);
      return FALSE;
    }
  g_variant_dict_insert (&args->params, option->param, "u", (guint32) n);
  return TRUE;
}

/* One option's value into the parameters; local files are read here. */
static gboolean
add_option (AttestArgs *args, const AttestOption *option, const char *value, GError **error)
{
  g_autoptr (VtSevBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  const char *colon;
  guint page;

  switch (option->kind)
    {
    case ARG_KEY:
      bytes = vt_sev_bytes_read_file (value, KEY_FILE_MAX_BYTES, option->flag + 2, error);
      if (bytes != NULL)
        g_variant_dict_insert_value (&args->params, option->param, bytes_variant (bytes));
      return bytes != NULL;
    case ARG_HOST_PATH:
      /* vscenctl runs on the host in this mode: a relative path is relative to here. */
      path = g_canonicalize_filename (value, NULL);
      g_variant_dict_insert (&args->params, option->param, "s", path);
      return TRUE;
    case ARG_TEXT:
      g_variant_dict_insert (&args->params, option->param, "s", value);
      return TRUE;
    case ARG_NUMBER:
      return add_number (args, option, value, error);
    case ARG_VMSA:
      page = g_str_equal (option->flag, "--vmsa-cpu1");
      if (args->vmsa[page] != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s is given twice",
                       option->flag);
          return FALSE;
        }
      bytes = vt_sev_bytes_read_file (value, VT_SEV_VMSA_SIZE, "VMSA file", error);
      if (bytes != NULL)
        args->vmsa[page] = bytes_variant (bytes);
      return bytes != NULL;
    case ARG_SECRET:
      colon = strchr (value, ':');
      if (colon == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "--inject-secret takes ALIAS:FILE or GUID:FILE");
          return FALSE;
        }
      name = g_strndup (value, (gsize) (colon - value));
      return add_secret (args, name, colon + 1, error);
    case ARG_LUKS_SECRET:
      return add_secret (args, "luks-key", value, error);
    case ARG_FLAG:
    default:
      g_variant_dict_insert (&args->params, option->param, "s", "keep-paused");
      return TRUE;
    }
}

/* The parameters once every option was read: the collected VMSA pages and secrets. */
static GVariant *
finish_params (AttestArgs *args)
{
  if (args->vmsa[0] != NULL || args->vmsa[1] != NULL)
    {
      GVariantBuilder pages;

      g_variant_builder_init (&pages, G_VARIANT_TYPE ("aay"));
      for (guint i = 0; i < VT_SEV_MAX_VMSAS && args->vmsa[i] != NULL; i++)
        g_variant_builder_add_value (&pages, g_steal_pointer (&args->vmsa[i]));
      g_variant_dict_insert_value (&args->params, "vmsa", g_variant_builder_end (&pages));
    }
  if (args->n_secrets > 0)
    g_variant_dict_insert_value (&args->params, "secrets",
                                 g_variant_builder_end (&args->secrets));
  return g_variant_dict_end (&args->params);
}

static void
attest_args_clear (AttestArgs *args)
{
  g_variant_dict_clear (&args->params);
  g_variant_builder_clear (&args->secrets);
  for (guint i = 0; i < VT_SEV_MAX_VMSAS; i++)
    if (args->vmsa[i] != NULL)
      g_variant_unref (g_variant_ref_sink (args->vmsa[i]));
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AttestArgs, attest_args_clear)

/* DOMAIN and the options into @args; an exit code when something is wrong, else -1. The
 * daemon checks the combination again (and says which parameter is wrong): here only
 * what a usage line can say. */
static int
parse_attest (int argc, char **argv, const char **domain, AttestArgs *args)
{
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < argc; i++)
    {
      const AttestOption *option = argv[i][0] == '-' ? find_attest_option (argv[i]) : NULL;

      if (argv[i][0] != '-' && *domain == NULL)
        *domain = argv[i];
      else if (option == NULL || (option->kind != ARG_FLAG && i + 1 == argc))
        return vt_ctl_usage (ATTEST_USAGE);
      else if (!add_option (args, option, option->kind == ARG_FLAG ? NULL : argv[++i], &error))
        return vt_ctl_fail (error);
    }
  if (*domain == NULL || (args->vmsa[1] != NULL && args->vmsa[0] == NULL))
    return vt_ctl_usage (ATTEST_USAGE);
  if (!g_variant_dict_contains (&args->params, "tk")
      && !(g_variant_dict_contains (&args->params, "tik")
           && g_variant_dict_contains (&args->params, "tek")))
    return vt_ctl_usage (ATTEST_USAGE);
  return -1;
}

static const char *const attest_order[] = {
  "measurement-ok", "secret-injected", "state", "expected", "reported", "api-major",
  "api-minor", "build-id", "policy", NULL,
};

static int
sev_attest (VtCtl *ctl, int argc, char **argv)
{
  g_auto (AttestArgs) args = { 0 };
  const char *domain = NULL;
  int status;

  g_variant_dict_init (&args.params, NULL);
  g_variant_builder_init (&args.secrets, G_VARIANT_TYPE ("a(say)"));
  status = parse_attest (argc, argv, &domain, &args);
  if (status >= 0)
    return status;
  vt_ctl_add_connection (ctl, &args.params);
  return call_and_print (ctl, "AttestDomain",
                         g_variant_new ("(s@a{sv})", domain, finish_params (&args)),
                         attest_order);
}

/* ---- measurement, inject -------------------------------------------------------------- */

static int
sev_measurement (VtCtl *ctl, int argc, char **argv)
{
  static const char *const order[] = {
    "measurement", "api-major", "api-minor", "build-id", "policy", "loader",
    "loader-sha256", "vcpus", "kernel-hashes", NULL,
  };

  if (argc != 1 || argv[0][0] == '-')
    return vt_ctl_usage ("'sev measurement' takes one DOMAIN");
  return call_and_print (ctl, "GetLaunchMeasurement",
                         g_variant_new ("(s@a{sv})", argv[0], vt_ctl_connection_options (ctl)),
                         order);
}

/* A base64 file as sev build-secret writes it (one line; a final newline is allowed),
 * decoded strictly. */
static GBytes *
read_base64_file (const char *path, const char *what, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (VtSevBytes) bytes = NULL;
  gsize len = 0, padding = 0;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  if (len > 4 * VT_SEV_SECRET_TABLE_MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "%s is too large for a "
                   "%s", path, what);
      return NULL;
    }
  if (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  while (padding < len && padding < 2 && text[len - 1 - padding] == '=')
    padding++;
  bytes = vt_sev_base64_decode (text, len / 4 * 3 - padding, what, error);
  if (bytes == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_bytes_new (bytes->data, bytes->len);
}

static GVariant *
gbytes_variant (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, len, 1);
}

static int
sev_inject (VtCtl *ctl, int argc, char **argv)
{
  const char *domain = NULL, *header_path = NULL, *payload_path = NULL;
  gboolean resume = FALSE;
  g_autoptr (GBytes) header = NULL;
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GError) error = NULL;
  GVariantDict options;

  for (int i = 0; i < argc; i++)
    {
      const char **slot = g_str_equal (argv[i], "--secret-header") ? &header_path
                          : g_str_equal (argv[i], "--secret-payload") ? &payload_path : NULL;

      if (g_str_equal (argv[i], "--resume"))
        resume = TRUE;
      else if (slot != NULL && i + 1 < argc)
        *slot = argv[++i];
      else if (argv[i][0] != '-' && domain == NULL)
        domain = argv[i];
      else
        return vt_ctl_usage (INJECT_USAGE);
    }
  if (domain == NULL || header_path == NULL || payload_path == NULL)
    return vt_ctl_usage (INJECT_USAGE);
  if (!(header = read_base64_file (header_path, "secret header", &error))
      || !(payload = read_base64_file (payload_path, "secret payload", &error)))
    return vt_ctl_fail (error);
  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "resume", "b", resume);
  vt_ctl_add_connection (ctl, &options);
  return call_and_print (ctl, "InjectLaunchSecret",
                         g_variant_new ("(s@ay@ay@a{sv})", domain, gbytes_variant (header),
                                        gbytes_variant (payload), g_variant_dict_end (&options)),
                         attest_order);
}

typedef struct {
  const char *name;
  int (*run) (VtCtl *ctl, int argc, char **argv);
} SevCommand;

static const SevCommand sev_commands[] = {
  { "info", sev_info }, { "export-pdh", sev_export_pdh }, { "attest", sev_attest },
  { "measurement", sev_measurement }, { "inject", sev_inject },
};

int
vt_cmd_sev (VtCtl *ctl, int argc, char **argv)
{
  for (gsize i = 0; argc >= 2 && i < G_N_ELEMENTS (sev_commands); i++)
    if (g_str_equal (argv[1], sev_commands[i].name))
      return sev_commands[i].run (ctl, argc - 2, argv + 2);
  return vt_ctl_usage ("'sev' needs info, export-pdh, attest, measurement, inject, verify "
                       "or build-secret");
}
