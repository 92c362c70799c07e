/* vscenctl sev verify | sev build-secret: the guest owner's side of an attestation on a
 * host the owner does not trust, run on the owner's own machine with no bus at all. The
 * options are virt-qemu-sev-validate's, so its users can switch; the maths is the
 * daemon's own (core/sev), linked here.
 *
 * Exit status: 0 match (verify) or packet written (build-secret); 1 the measurement does
 * not match, or the packet cannot be written; 2 bad usage or an input that cannot be
 * read or is invalid (so a script can tell "do not trust this guest" from "fix the
 * command"). */
#include "vscenctl.h"

#include <stddef.h>
#include <string.h>

#include "model/limits.h"
#include "sev/digest.h"
#include "sev/keys.h"
#include "sev/measurement.h"
#include "sev/policy.h"
#include "sev/secret.h"

#define MISMATCH_TEXT                                                                   \
  "the launch measurement does not match: do not trust this guest (check the firmware, " \
  "the TIK/TEK pair, the policy, the kernel, initrd and command line, and the vCPU "     \
  "count and CPU)"

typedef struct {
  const char *measurement, *api_major, *api_minor, *build_id, *policy;
  const char *firmware, *kernel, *initrd, *cmdline;
  const char *num_cpus, *vmsa_cpu0, *vmsa_cpu1, *cpu_family, *cpu_model, *cpu_stepping;
  const char *tik, *tek, *tk;
  const char *secret_header, *secret_payload, *iv;
  GPtrArray *secrets;        /* NAME:PATH of each --inject-secret */
} OfflineArgs;

typedef struct {
  const char *name;          /* long option */
  const char *short_name;    /* virt-qemu-sev-validate's short form, or NULL */
  gsize offset;              /* of the const char * in OfflineArgs */
} OfflineOption;

#define OPT(name, short_name, field) { name, short_name, offsetof (OfflineArgs, field) }
static const OfflineOption options[] = {
  OPT ("--measurement", "-m", measurement), OPT ("--api-major", NULL, api_major),
  OPT ("--api-minor", NULL, api_minor),     OPT ("--build-id", NULL, build_id),
  OPT ("--policy", NULL, policy),           OPT ("--firmware", "-f", firmware),
  OPT ("--kernel", "-k", kernel),           OPT ("--initrd", "-r", initrd),
  OPT ("--cmdline", "-e", cmdline),         OPT ("--num-cpus", "-n", num_cpus),
  OPT ("--vmsa-cpu0", "-0", vmsa_cpu0),     OPT ("--vmsa-cpu1", "-1", vmsa_cpu1),
  OPT ("--cpu-family", NULL, cpu_family),   OPT ("--cpu-model", NULL, cpu_model),
  OPT ("--cpu-stepping", NULL, cpu_stepping), OPT ("--tik", NULL, tik),
  OPT ("--tek", NULL, tek),                 OPT ("--tk", NULL, tk),
  OPT ("--secret-header", NULL, secret_header),
  OPT ("--secret-payload", NULL, secret_payload), OPT ("--iv", NULL, iv),
};
#undef OPT

static void
offline_args_clear (OfflineArgs *args)
{
  g_clear_pointer (&args->secrets, g_ptr_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OfflineArgs, offline_args_clear)

static gboolean
name_is (const char *arg, gsize len, const char *name)
{
  return name != NULL && strlen (name) == len && strncmp (arg, name, len) == 0;
}

/* The index in options[] of the option @arg names (its first @len bytes), or -1. */
static int
find_option (const char *arg, gsize len)
{
  for (gsize i = 0; i < G_N_ELEMENTS (options); i++)
    if (name_is (arg, len, options[i].name) || name_is (arg, len, options[i].short_name))
      return (int) i;
  return -1;
}

static int
unknown_option (const char *arg)
{
  g_autofree char *shown = vt_ctl_printable (arg, NULL);
  g_autofree char *message = g_strdup_printf ("unknown option '%s'", shown);

  return vt_ctl_usage (message);
}

/* Stores the value of the option at argv[*i] ("--name VALUE" or "--name=VALUE");
 * -1 to go on, else an exit code. */
static int
take_option (OfflineArgs *args, int argc, char **argv, int *i)
{
  const char *arg = argv[*i];
  const char *equals = g_str_has_prefix (arg, "--") ? strchr (arg, '=') : NULL;
  gsize len = equals ? (gsize) (equals - arg) : strlen (arg);
  gboolean secret = name_is (arg, len, "--inject-secret") || name_is (arg, len, "-s");
  int option = secret ? -1 : find_option (arg, len);
  const char **slot;

  if (!secret && option < 0)
    return unknown_option (arg);
  if (equals == NULL && *i + 1 == argc)
    return vt_ctl_usage ("the last option needs a value");
  if (secret)
    {
      g_ptr_array_add (args->secrets, equals ? (char *) equals + 1 : argv[++*i]);
      return -1;
    }
  slot = (const char **) (gpointer) ((char *) args + options[option].offset);
  if (*slot != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is given twice", options[option].name);

      return vt_ctl_usage (message);
    }
  *slot = equals ? equals + 1 : argv[++*i];
  return -1;
}

static int
parse_args (OfflineArgs *args, int argc, char **argv)
{
  args->secrets = g_ptr_array_new ();
  for (int i = 0; i < argc; i++)
    {
      int status;

      if (argv[i][0] != '-')
        return vt_ctl_usage ("'sev verify' and 'sev build-secret' take only options");
      status = take_option (args, argc, argv, &i);
      if (status >= 0)
        return status;
    }
  return -1;
}

/* An input that cannot be read or is invalid: one sentence, exit 2. */
static int
input_error (const GError *error)
{
  g_autofree char *shown = vt_ctl_printable (error->message, NULL);

  g_printerr ("vscenctl: %s\n", shown);
  return VT_EXIT_USAGE;
}

/* A number option: decimal, or hexadecimal after 0x (policies are written 0x0003). */
static gboolean
parse_number (const char *name, const char *text, guint64 max, guint64 *value, int *status)
{
  gboolean hex = g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X");

  if (g_ascii_string_to_unsigned (hex ? text + 2 : text, hex ? 16 : 10, 0, max, value, NULL))
    return TRUE;
  g_autofree char *message = g_strdup_printf ("%s needs a number from 0 to %" G_GUINT64_FORMAT,
                                              name, max);

  *status = vt_ctl_usage (message);
  return FALSE;
}

/* The platform's report; an exit code on a usage error, else -1. */
static int
parse_platform (const OfflineArgs *args, VtSevPlatform *platform)
{
  guint64 major, minor, build, policy;
  int status = -1;

  if (!parse_number ("--api-major", args->api_major, G_MAXUINT8, &major, &status)
      || !parse_number ("--api-minor", args->api_minor, G_MAXUINT8, &minor, &status)
      || !parse_number ("--build-id", args->build_id, G_MAXUINT8, &build, &status)
      || !parse_number ("--policy", args->policy, G_MAXUINT32, &policy, &status))
    return status;
  platform->api_major = (guint8) major;
  platform->api_minor = (guint8) minor;
  platform->build_id = (guint8) build;
  platform->policy = (guint32) policy;
  return -1;
}

static int
check_keys (const OfflineArgs *args)
{
  if (args->tk != NULL && (args->tik != NULL || args->tek != NULL))
    return vt_ctl_usage ("--tk excludes --tik and --tek");
  if (args->tk == NULL && (args->tik == NULL || args->tek == NULL))
    return vt_ctl_usage ("the keys are needed: --tik FILE and --tek FILE, or --tk FILE");
  if (args->measurement == NULL)
    return vt_ctl_usage ("--measurement BASE64 is needed (libvirt's sev-measurement)");
  return -1;
}

/* What verify needs besides the keys (virt-qemu-sev-validate's rules, offline). */
static int
check_launch (const OfflineArgs *args)
{
  gboolean sku = args->cpu_family || args->cpu_model || args->cpu_stepping;

  if (!args->api_major || !args->api_minor || !args->build_id || !args->policy
      || !args->firmware)
    return vt_ctl_usage ("--api-major, --api-minor, --build-id, --policy and --firmware "
                         "are needed");
  if (args->kernel == NULL && (args->initrd != NULL || args->cmdline != NULL))
    return vt_ctl_usage ("--initrd and --cmdline need --kernel");
  if (sku && (args->vmsa_cpu0 || args->vmsa_cpu1))
    return vt_ctl_usage ("the VMSA files exclude --cpu-family, --cpu-model, --cpu-stepping");
  if (sku && !(args->cpu_family && args->cpu_model && args->cpu_stepping))
    return vt_ctl_usage ("--cpu-family, --cpu-model and --cpu-stepping go together");
  if (args->vmsa_cpu1 != NULL && args->vmsa_cpu0 == NULL)
    return vt_ctl_usage ("--vmsa-cpu1 needs --vmsa-cpu0");
  return -1;
}

/* The launch as the files describe it; owns what VtSevLaunch points to. */
typedef struct {
  VtSevBytes *firmware;
  VtSevBytes *vmsa_cpu0;
  VtSevBytes *vmsa_cpu1;
  VtSevKernelHashes kernel;
  VtSevCpuSignature cpu;
  VtSevLaunch launch;
} LaunchInputs;

static void
launch_inputs_clear (LaunchInputs *inputs)
{
  g_clear_pointer (&inputs->firmware, vt_sev_bytes_free);
  g_clear_pointer (&inputs->vmsa_cpu0, vt_sev_bytes_free);
  g_clear_pointer (&inputs->vmsa_cpu1, vt_sev_bytes_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LaunchInputs, launch_inputs_clear)

static VtSevBytes *
read_vmsa (const char *path, GError **error)
{
  g_autoptr (VtSevBytes) page = vt_sev_bytes_read_file (path, VT_SEV_VMSA_SIZE, "VMSA file",
                                                        error);

  if (page != NULL && page->len != VT_SEV_VMSA_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "the VMSA file %s is not %d bytes long", path, VT_SEV_VMSA_SIZE);
      return NULL;
    }
  return g_steal_pointer (&page);
}

/* The CPU signature and vCPU count options; an exit code on a usage error, else -1. */
static int
parse_cpus (const OfflineArgs *args, LaunchInputs *inputs)
{
  guint64 n = 0, family = 0, model = 0, stepping = 0;
  int status = -1;

  if (args->num_cpus
      && !parse_number ("--num-cpus", args->num_cpus, VT_SEV_MAX_VCPUS, &n, &status))
    return status;
  if (args->cpu_family
      && (!parse_number ("--cpu-family", args->cpu_family, G_MAXUINT, &family, &status)
          || !parse_number ("--cpu-model", args->cpu_model, G_MAXUINT, &model, &status)
          || !parse_number ("--cpu-stepping", args->cpu_stepping, G_MAXUINT, &stepping,
                            &status)))
    return status;
  inputs->launch.n_cpus = (guint) n;
  inputs->cpu = (VtSevCpuSignature) { (guint) family, (guint) model, (guint) stepping };
  inputs->launch.cpu = args->cpu_family ? &inputs->cpu : NULL;
  return -1;
}

static gboolean
read_launch_files (const OfflineArgs *args, LaunchInputs *inputs, GError **error)
{
  VtSevLaunch *launch = &inputs->launch;

  inputs->firmware = vt_sev_bytes_read_file (args->firmware, VT_SEV_FIRMWARE_MAX_BYTES,
                                             "firmware", error);
  if (inputs->firmware == NULL)
    return FALSE;
  launch->firmware = inputs->firmware->data;
  launch->firmware_len = inputs->firmware->len;
  if (args->kernel != NULL)
    {
      if (!vt_sev_kernel_hashes_load (&inputs->kernel, args->kernel, args->initrd,
                                      args->cmdline, error))
        return FALSE;
      launch->kernel = &inputs->kernel;
    }
  if (args->vmsa_cpu0 && !(inputs->vmsa_cpu0 = read_vmsa (args->vmsa_cpu0, error)))
    return FALSE;
  if (args->vmsa_cpu1 && !(inputs->vmsa_cpu1 = read_vmsa (args->vmsa_cpu1, error)))
    return FALSE;
  launch->vmsa_cpu0 = inputs->vmsa_cpu0 ? inputs->vmsa_cpu0->data : NULL;
  launch->vmsa_cpu1 = inputs->vmsa_cpu1 ? inputs->vmsa_cpu1->data : NULL;
  return TRUE;
}

typedef struct {
  gboolean match;
  VtSevMeasurement expected;
} VerifyResult;

/* Computes the expected measurement from the launch options and compares it with
 * @reported; an exit code when an input is wrong, else -1 with @result filled. */
static int
verify_launch (const OfflineArgs *args, const VtSevKeys *keys,
               const VtSevMeasurement *reported, VerifyResult *result)
{
  g_auto (LaunchInputs) inputs = { 0 };
  VtSevPlatform platform = { 0 };
  guint8 digest[VT_SEV_SHA256_SIZE];
  g_autoptr (GError) error = NULL;
  int status = check_launch (args);

  if (status < 0)
    status = parse_platform (args, &platform);
  if (status < 0)
    status = parse_cpus (args, &inputs);
  if (status >= 0)
    return status;
  /* The policy's ES bit says whether the PSP measured VMSAs (SEV API §3). */
  inputs.launch.sev_es = (platform.policy & VT_SEV_POLICY_ES) != 0;
  if (!read_launch_files (args, &inputs, &error)
      || !vt_sev_launch_digest (&inputs.launch, digest, &error))
    return input_error (error);
  result->match = vt_sev_measurement_verify (keys, &platform, digest, reported,
                                             &result->expected);
  return -1;
}

static VtSevKeys *
load_keys (const OfflineArgs *args, GError **error)
{
  if (args->tk != NULL)
    return vt_sev_keys_load (args->tk, NULL, error);
  return vt_sev_keys_load (args->tik, args->tek, error);
}

static void
append_json_measurement (GString *json, const char *key, const VtSevMeasurement *value)
{
  g_autofree char *text = vt_sev_measurement_to_base64 (value);

  g_string_append_printf (json, "\"%s\": ", key);
  vt_ctl_json_string (json, text);
}

/* The verdict: JSON members, or one line (OK on stdout, the mismatch on stderr). */
static void
report_verdict (GString *json, const VerifyResult *result, const VtSevMeasurement *reported)
{
  if (json != NULL)
    {
      g_string_append_printf (json, "\"match\": %s, ", result->match ? "true" : "false");
      append_json_measurement (json, "expected", &result->expected);
      g_string_append (json, ", ");
      append_json_measurement (json, "reported", reported);
    }
  else if (result->match)
    g_print ("OK: the launch measurement matches\n");
  else
    g_printerr ("vscenctl: %s\n", MISMATCH_TEXT);
}

static int
sev_verify (gboolean json, const OfflineArgs *args)
{
  g_autoptr (VtSevKeys) keys = NULL;
  g_autoptr (GString) out = json ? g_string_new ("{") : NULL;
  g_autoptr (GError) error = NULL;
  VtSevMeasurement reported;
  VerifyResult result = { 0 };
  int status = check_keys (args);

  if (status >= 0)
    return status;
  if (args->secrets->len > 0 || args->secret_header || args->secret_payload || args->iv)
    return vt_ctl_usage ("'sev verify' injects nothing: use 'sev build-secret' for "
                         "--inject-secret, --secret-header, --secret-payload and --iv");
  if (!vt_sev_measurement_parse (args->measurement, &reported, &error)
      || !(keys = load_keys (args, &error)))
    return input_error (error);
  status = verify_launch (args, keys, &reported, &result);
  if (status >= 0)
    return status;
  report_verdict (out, &result, &reported);
  if (out != NULL)
    {
      g_string_append_c (out, '}');
      vt_ctl_print_json (out);
    }
  return result.match ? VT_EXIT_OK : VT_EXIT_FAILED;
}

/* Each --inject-secret NAME:PATH (split at the first colon: names have none). */
static gboolean
load_secrets (const OfflineArgs *args, VtSevSecrets *secrets, GError **error)
{
  for (guint i = 0; i < args->secrets->len; i++)
    {
      const char *spec = args->secrets->pdata[i];
      const char *colon = strchr (spec, ':');
      g_autofree char *name = colon ? g_strndup (spec, (gsize) (colon - spec)) : NULL;
      g_autoptr (VtSevBytes) data = NULL;

      if (colon == NULL)
        {
          g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                               "--inject-secret takes ALIAS:PATH or GUID:PATH");
          return FALSE;
        }
      data = vt_sev_bytes_read_file (colon + 1, VT_SEV_SECRET_TABLE_MAX_BYTES, "secret",
                                     error);
      if (data == NULL || !vt_sev_secrets_add (secrets, name, data->data, data->len, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_base64 (const char *path, GBytes *bytes, GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = g_base64_encode (data, len);

  return g_file_set_contents (path, text, -1, error);
}

static int
check_build (const OfflineArgs *args)
{
  int status = check_keys (args);

  if (status >= 0)
    return status;
  if (args->secrets->len == 0 || !args->secret_header || !args->secret_payload)
    return vt_ctl_usage ("'sev build-secret' needs --inject-secret NAME:PATH, "
                         "--secret-header FILE and --secret-payload FILE");
  /* Without --firmware the measurement is taken as verified already: refuse launch
   * options then, rather than let them suggest a check that is not made. */
  if (!args->firmware && (args->api_major || args->api_minor || args->build_id
                          || args->policy || args->kernel || args->num_cpus
                          || args->vmsa_cpu0 || args->cpu_family))
    return vt_ctl_usage ("the launch options check the measurement only with --firmware");
  return -1;
}

/* The packet for @reported: built, written as base64 (what virsh domsetlaunchsecstate
 * and libvirt take), and reported. */
static int
build_and_write (const OfflineArgs *args, const VtSevKeys *keys,
                 const VtSevMeasurement *reported, GString *json)
{
  g_autoptr (VtSevSecrets) secrets = vt_sev_secrets_new ();
  g_autoptr (VtSevBytes) iv = NULL;
  g_autoptr (GBytes) header = NULL;
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GError) error = NULL;

  if ((args->iv && !(iv = vt_sev_base64_decode (args->iv, VT_SEV_IV_SIZE, "IV", &error)))
      || !load_secrets (args, secrets, &error)
      || !vt_sev_secrets_build (secrets, keys, reported->mac, iv ? iv->data : NULL, &header,
                                &payload, &error))
    return input_error (error);
  if (!write_base64 (args->secret_header, header, &error)
      || !write_base64 (args->secret_payload, payload, &error))
    return vt_ctl_fail (error);
  if (json != NULL)
    g_string_append_printf (json, "%s\"secrets\": %u", json->len > 1 ? ", " : "",
                            vt_sev_secrets_count (secrets));
  else
    g_print ("OK: wrote %u secret(s): header %s, payload %s\n",
             vt_sev_secrets_count (secrets), args->secret_header, args->secret_payload);
  return VT_EXIT_OK;
}

static int
sev_build_secret (gboolean json, const OfflineArgs *args)
{
  g_autoptr (VtSevKeys) keys = NULL;
  g_autoptr (GString) out = json ? g_string_new ("{") : NULL;
  g_autoptr (GError) error = NULL;
  VtSevMeasurement reported;
  VerifyResult result = { .match = TRUE };
  int status = check_build (args);

  if (status >= 0)
    return status;
  if (!vt_sev_measurement_parse (args->measurement, &reported, &error)
      || !(keys = load_keys (args, &error)))
    return input_error (error);
  if (args->firmware != NULL)
    {
      status = verify_launch (args, keys, &reported, &result);
      if (status >= 0)
        return status;
      report_verdict (out, &result, &reported);
    }
  status = result.match ? build_and_write (args, keys, &reported, out) : VT_EXIT_FAILED;
  if (out != NULL)
    {
      g_string_append_c (out, '}');
      vt_ctl_print_json (out);
    }
  return status;
}

gboolean
vt_cmd_sev_is_offline (int argc, char **argv)
{
  return argc >= 2 && g_str_equal (argv[0], "sev")
         && (g_str_equal (argv[1], "verify") || g_str_equal (argv[1], "build-secret"));
}

int
vt_cmd_sev_offline (gboolean json, int argc, char **argv)
{
  g_auto (OfflineArgs) args = { 0 };
  int status = parse_args (&args, argc - 2, argv + 2);

  if (status >= 0)
    return status;
  if (g_str_equal (argv[1], "verify"))
    return sev_verify (json, &args);
  return sev_build_secret (json, &args);
}
