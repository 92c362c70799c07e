/* virtuned — AMD SEV (SPEC §8): GetSevInfo, and the owner's two ways to attest a domain
 * started paused: AttestDomain (trusted host: the owner's keys come here) and
 * GetLaunchMeasurement + InjectLaunchSecret (untrusted host: the owner verifies and
 * builds the secret offline with vscenctl sev verify / build-secret).
 *
 * The handlers check the arguments on the main loop (no file or libvirt is touched
 * before the caller is authorized, so a refused caller cannot probe the host's files);
 * the work runs in a worker thread: polkit may wait for a password, libvirt and the
 * firmware read block. Key material is copied into wiped buffers at once and never
 * logged or quoted. */
#include "bus/manager.h"

#include <string.h>

#include "bus/authz.h"
#include "bus/bounds.h"
#include "bus/dispatch.h"
#include "bus/errors.h"
#include "bus/options.h"
#include "bus/target.h"
#include "libvirt/attest.h"
#include "libvirt/sev-info.h"
#include "model/limits.h"
#include "util/echo.h"

/* ---- GetSevInfo ------------------------------------------------------------------- */

typedef struct {
  GVariant *options;
  VtSevInfo *info;
} InfoJob;

static void
info_job_free (InfoJob *job)
{
  g_variant_unref (job->options);
  vt_sev_info_free (job->info);
  g_free (job);
}

static gboolean
read_sev_info (VtCall *call, GError **error)
{
  InfoJob *job = call->job;
  VtHypervisor *hv = vt_bus_options_hypervisor (call->manager->daemon, job->options,
                                                "GetSevInfo", NULL, error);
  g_autoptr (VtHostCaps) caps = hv != NULL ? vt_hypervisor_caps (hv, error) : NULL;
  virConnectPtr conn = caps != NULL ? vt_connection_get (vt_hypervisor_connection (hv), error)
                                    : NULL;

  if (conn == NULL)
    return FALSE;
  job->info = vt_sev_info_get (conn, caps->domcaps, error);
  virConnectClose (conn);
  return job->info != NULL;
}

static void
add_string_if_set (GVariantDict *dict, const char *key, const char *value)
{
  if (value != NULL)
    g_variant_dict_insert (dict, key, "s", value);
}

static GVariant *
sev_info_variant (const VtSevInfo *info)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "supported", "b", info->supported);
  g_variant_dict_insert (&dict, "sev-es", "b", info->sev_es);
  g_variant_dict_insert (&dict, "source", "s", info->source);
  if (info->supported)
    {
      g_variant_dict_insert (&dict, "cbitpos", "u", info->cbitpos);
      g_variant_dict_insert (&dict, "reduced-phys-bits", "u", info->reduced_phys_bits);
      g_variant_dict_insert (&dict, "max-guests", "u", info->max_guests);
      g_variant_dict_insert (&dict, "max-es-guests", "u", info->max_es_guests);
    }
  add_string_if_set (&dict, "pdh", info->pdh);
  add_string_if_set (&dict, "cert-chain", info->cert_chain);
  add_string_if_set (&dict, "cpu0-id", info->cpu0_id);
  return g_variant_dict_end (&dict);
}

static void
reply_sev_info (VtCall *call)
{
  InfoJob *job = call->job;

  vt_dbus_manager_complete_get_sev_info (call->manager->skeleton, call->invocation,
                                         sev_info_variant (job->info));
}

static const VtMethod sev_info_method = {
  .work = read_sev_info, .reply = reply_sev_info,
  .free_job = (GDestroyNotify) info_job_free, .blocking = TRUE,
};

static gboolean
handle_get_sev_info (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                     GVariant *options, VtManager *manager)
{
  InfoJob *job = g_new0 (InfoJob, 1);

  job->options = g_variant_ref (options);
  vt_dispatch (manager, invocation, &sev_info_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- arguments shared by the attestation methods --------------------------------- */

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* G_DBUS_ERROR_INVALID_ARGS: the caller sent something this method cannot take. */
static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;
  GError *invalid_args;

  va_start (args, format);
  invalid_args = g_error_new_valist (G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, format, args);
  va_end (args);
  g_propagate_error (error, invalid_args);
  return FALSE;
}

static gboolean
check_domain (const char *method, const char *domain, GError **error)
{
  if (*domain == '\0' || strlen (domain) > VT_DOMAIN_NAME_MAX)
    return invalid (error, "%s needs a domain name of 1 to %d bytes", method,
                    VT_DOMAIN_NAME_MAX);
  return TRUE;
}

/* Every byte array in @value, wiped: GDBus built these copies from the message and the
 * daemon holds them alone, and key material must not linger in freed memory once it was
 * copied into wiped buffers (or refused). GDBus's receive buffer, freed without wiping,
 * is out of reach. */
static void
wipe_byte_arrays (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BYTESTRING))
    {
      gsize len = 0;
      const guint8 *data = g_variant_get_fixed_array (value, &len, 1);

      vt_sev_wipe ((gpointer) data, len);
      return;
    }
  if (!g_variant_is_container (value))
    return;
  for (gsize i = 0, n = g_variant_n_children (value); i < n; i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (value, i);

      wipe_byte_arrays (child);
    }
}

/* ---- AttestDomain ----------------------------------------------------------------- */

typedef struct {
  char *domain;
  char *connection;                /* the host's name, NULL: the default */
  gboolean interactive;
  VtSevAttestRequest *request;
  VtSevAttestResult result;
  /* Raw keys while the parameters are read: tik and tek, or tk. */
  VtSevBytes *tik;
  VtSevBytes *tek;
  VtSevBytes *tk;
  gboolean cpu_given[3];           /* cpu-family, cpu-model, cpu-stepping */
} AttestJob;

static void
attest_job_free (AttestJob *job)
{
  g_free (job->domain);
  g_free (job->connection);
  vt_sev_attest_request_free (job->request);
  vt_sev_bytes_free (job->tik);
  vt_sev_bytes_free (job->tek);
  vt_sev_bytes_free (job->tk);
  g_free (job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttestJob, attest_job_free)

typedef struct {
  const char *name;
  const char *type;                /* its GVariant type */
  gboolean (*take) (AttestJob *job, const char *name, GVariant *value, GError **error);
} AttestParam;

static gboolean
take_key (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  gboolean tk = g_str_equal (name, "tk");
  gsize expected = tk ? 2 * VT_SEV_KEY_SIZE : VT_SEV_KEY_SIZE;
  VtSevBytes **slot = tk ? &job->tk : g_str_equal (name, "tik") ? &job->tik : &job->tek;
  gsize len = 0;
  const guint8 *data = g_variant_get_fixed_array (value, &len, 1);

  if (len != expected)
    return invalid (error, "AttestDomain parameter '%s' must be %" G_GSIZE_FORMAT
                    " bytes, not %" G_GSIZE_FORMAT, name, expected, len);
  *slot = vt_sev_bytes_new_from (data, len);
  return TRUE;
}

static gboolean
take_path (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  const char *path = g_variant_get_string (value, NULL);
  char **slot = g_str_equal (name, "firmware") ? &job->request->firmware
                : g_str_equal (name, "kernel") ? &job->request->kernel
                : &job->request->initrd;

  /* Whether it exists is looked at only after authorization (core/sev/attest.c). */
  if (!g_path_is_absolute (path) || strlen (path) > VT_SEV_PATH_MAX)
    return invalid (error, "AttestDomain parameter '%s' must be an absolute path on the "
                    "host of at most %d bytes", name, VT_SEV_PATH_MAX);
  *slot = g_strdup (path);
  return TRUE;
}

static gboolean
take_cmdline (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  gsize len = 0;
  const char *cmdline = g_variant_get_string (value, &len);

  if (len > VT_SEV_CMDLINE_MAX_BYTES)
    return invalid (error, "AttestDomain parameter 'cmdline' is longer than %d bytes",
                    VT_SEV_CMDLINE_MAX_BYTES);
  job->request->cmdline = g_strdup (cmdline);
  return TRUE;
}

static gboolean
take_cpu (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  VtSevCpuSignature *cpu = &job->request->cpu;
  guint index = g_str_equal (name, "cpu-family") ? 0 : g_str_equal (name, "cpu-model") ? 1 : 2;
  guint *field = index == 0 ? &cpu->family : index == 1 ? &cpu->model : &cpu->stepping;

  *field = g_variant_get_uint32 (value);
  job->cpu_given[index] = TRUE;
  return TRUE;
}

static gboolean
take_vmsa (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  gsize n = g_variant_n_children (value);

  if (n == 0 || n > VT_SEV_MAX_VMSAS)
    return invalid (error, "AttestDomain parameter 'vmsa' holds vCPU 0's VMSA and, for "
                    "more vCPUs, the one the others share: 1 or 2 pages, not %" G_GSIZE_FORMAT,
                    n);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) page = g_variant_get_child_value (value, i);
      gsize len = 0;
      const guint8 *data = g_variant_get_fixed_array (page, &len, 1);

      if (len != VT_SEV_VMSA_SIZE)
        return invalid (error, "AttestDomain parameter 'vmsa': page %" G_GSIZE_FORMAT
                        " must be %d bytes, not %" G_GSIZE_FORMAT, i, VT_SEV_VMSA_SIZE, len);
      *(i == 0 ? &job->request->vmsa_cpu0 : &job->request->vmsa_cpu1) =
        vt_sev_bytes_new_from (data, len);
    }
  return TRUE;
}

static gboolean
take_secrets (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  gsize n = g_variant_n_children (value);
  g_autoptr (VtSevSecrets) secrets = vt_sev_secrets_new ();
  g_autoptr (GError) local_error = NULL;

  if (n > VT_SEV_MAX_SECRETS)
    return invalid (error, "AttestDomain parameter 'secrets' holds at most %d secrets",
                    VT_SEV_MAX_SECRETS);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (GVariant) entry = g_variant_get_child_value (value, i);
      g_autoptr (GVariant) bytes = g_variant_get_child_value (entry, 1);
      g_autoptr (GVariant) guid = g_variant_get_child_value (entry, 0);
      gsize len = 0;
      const guint8 *data = g_variant_get_fixed_array (bytes, &len, 1);

      /* The core's sentence names the entry (its GUID, escaped), never its bytes. */
      if (!vt_sev_secrets_add (secrets, g_variant_get_string (guid, NULL), data, len,
                               &local_error))
        return invalid (error, "AttestDomain parameter 'secrets': %s", local_error->message);
    }
  job->request->secrets = g_steal_pointer (&secrets);
  return TRUE;
}

static gboolean
take_on_mismatch (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  const char *word = g_variant_get_string (value, NULL);

  if (g_str_equal (word, "destroy"))
    job->request->on_mismatch = VT_SEV_ON_MISMATCH_DESTROY;
  else if (g_str_equal (word, "keep-paused"))
    job->request->on_mismatch = VT_SEV_ON_MISMATCH_KEEP_PAUSED;
  else
    return invalid (error, "AttestDomain parameter 'on-mismatch' is destroy or keep-paused");
  return TRUE;
}

static gboolean
take_interactive (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  job->interactive = g_variant_get_boolean (value);
  return TRUE;
}

/* Looked up in the work (bus/target.c), which knows the hosts. */
static gboolean
take_connection (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  g_free (job->connection);
  job->connection = g_variant_dup_string (value, NULL);
  return TRUE;
}

static const AttestParam attest_params[] = {
  { "tik", "ay", take_key }, { "tek", "ay", take_key }, { "tk", "ay", take_key },
  { "firmware", "s", take_path }, { "kernel", "s", take_path }, { "initrd", "s", take_path },
  { "cmdline", "s", take_cmdline }, { "cpu-family", "u", take_cpu },
  { "cpu-model", "u", take_cpu }, { "cpu-stepping", "u", take_cpu },
  { "vmsa", "aay", take_vmsa }, { "secrets", "a(say)", take_secrets },
  { "on-mismatch", "s", take_on_mismatch }, { "interactive", "b", take_interactive },
  { "connection", "s", take_connection },
};

static const AttestParam *
find_param (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (attest_params); i++)
    if (g_str_equal (attest_params[i].name, name))
      return &attest_params[i];
  return NULL;
}

static gboolean
refuse_unknown (const char *name, GError **error)
{
  g_autoptr (GString) known = g_string_new (NULL);
  g_autofree char *shown = vt_echo (name);

  for (gsize i = 0; i < G_N_ELEMENTS (attest_params); i++)
    g_string_append_printf (known, "%s%s", i ? ", " : "", attest_params[i].name);
  return invalid (error, "AttestDomain parameter '%s' is unknown (it takes %s)", shown,
                  known->str);
}

static gboolean
take_param (AttestJob *job, const char *name, GVariant *value, GError **error)
{
  const AttestParam *param = find_param (name);

  if (param == NULL)
    return refuse_unknown (name, error);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE (param->type)))
    return invalid (error, "AttestDomain parameter '%s' must be of type %s", name,
                    param->type);
  return param->take (job, name, value, error);
}

/* The rules between parameters; the keys become one VtSevKeys. */
static gboolean
check_combination (AttestJob *job, GError **error)
{
  VtSevAttestRequest *request = job->request;
  g_autoptr (GError) local_error = NULL;
  guint n_cpu = job->cpu_given[0] + job->cpu_given[1] + job->cpu_given[2];

  if (job->tk != NULL && (job->tik != NULL || job->tek != NULL))
    return invalid (error, "AttestDomain takes tik and tek, or tk, not both");
  if (job->tk == NULL && (job->tik == NULL || job->tek == NULL))
    return invalid (error, "AttestDomain needs the keys: tik and tek, or tk");
  if (request->kernel == NULL && (request->initrd != NULL || request->cmdline != NULL))
    return invalid (error, "AttestDomain parameters 'initrd' and 'cmdline' need 'kernel'");
  if (n_cpu != 0 && n_cpu != 3)
    return invalid (error, "AttestDomain parameters 'cpu-family', 'cpu-model' and "
                    "'cpu-stepping' go together");
  if (n_cpu == 3 && request->vmsa_cpu0 != NULL)
    return invalid (error, "AttestDomain takes 'vmsa' or the CPU signature, not both");
  if (n_cpu == 3 && !vt_sev_cpu_signature_check (&request->cpu, &local_error))
    return invalid (error, "AttestDomain's CPU signature: %s", local_error->message);
  request->have_cpu = n_cpu == 3;
  request->keys = job->tk ? vt_sev_keys_new_tk (job->tk->data, job->tk->len, NULL)
                          : vt_sev_keys_new (job->tik->data, job->tik->len, job->tek->data,
                                             job->tek->len, NULL);
  g_clear_pointer (&job->tik, vt_sev_bytes_free);
  g_clear_pointer (&job->tek, vt_sev_bytes_free);
  g_clear_pointer (&job->tk, vt_sev_bytes_free);
  return TRUE;
}

static AttestJob *
parse_attest (const char *domain, GVariant *params, GError **error)
{
  g_autoptr (AttestJob) job = g_new0 (AttestJob, 1);
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (!check_domain ("AttestDomain", domain, error)
      || !vt_bus_bounds_check_attest_params (params, error))
    return NULL;
  job->domain = g_strdup (domain);
  job->request = vt_sev_attest_request_new ();
  g_variant_iter_init (&iter, params);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_autoptr (GVariant) owned = value;

      if (!take_param (job, name, value, error))
        return NULL;
    }
  if (!check_combination (job, error))
    return NULL;
  return g_steal_pointer (&job);
}

static gboolean
attest (VtCall *call, GError **error)
{
  AttestJob *job = call->job;
  VtDaemon *daemon = call->manager->daemon;
  VtHypervisor *hv = vt_bus_hypervisor (daemon, "AttestDomain", job->connection, error);

  if (hv == NULL
      || !vt_authz_check (daemon, call->invocation, VT_ACTION_ATTEST, job->interactive, error))
    return FALSE;
  return vt_libvirt_attest (vt_hypervisor_connection (hv), job->domain, job->request,
                            &job->result, error);
}

/* The journal records every attestation's outcome (never its keys or secrets). */
static void
log_attest (VtCall *call)
{
  AttestJob *job = call->job;
  const VtSevAttestResult *result = &job->result;
  g_autofree char *domain = vt_echo (job->domain);

  if (result->state == NULL)
    return;          /* refused, or stopped before the measurement was read */
  g_message ("AttestDomain %s for %s: measurement %s, secret %s, domain %s", domain,
             g_dbus_method_invocation_get_sender (call->invocation),
             result->measurement_ok ? "matches" : "does not match",
             result->secret_injected ? "injected" : "not injected", result->state);
}

static void
add_measurement (GVariantDict *dict, const char *key, const VtSevMeasurement *measurement)
{
  g_autofree char *text = vt_sev_measurement_to_base64 (measurement);

  g_variant_dict_insert (dict, key, "s", text);
}

static void
add_platform (GVariantDict *dict, const VtSevPlatform *platform)
{
  g_variant_dict_insert (dict, "api-major", "u", (guint32) platform->api_major);
  g_variant_dict_insert (dict, "api-minor", "u", (guint32) platform->api_minor);
  g_variant_dict_insert (dict, "build-id", "u", (guint32) platform->build_id);
  g_variant_dict_insert (dict, "policy", "u", platform->policy);
}

static void
reply_attest (VtCall *call)
{
  AttestJob *job = call->job;
  const VtSevAttestResult *result = &job->result;
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "measurement-ok", "b", result->measurement_ok);
  add_measurement (&dict, "expected", &result->expected);
  add_measurement (&dict, "reported", &result->reported);
  add_platform (&dict, &result->platform);
  g_variant_dict_insert (&dict, "secret-injected", "b", result->secret_injected);
  g_variant_dict_insert (&dict, "state", "s", result->state);
  vt_dbus_manager_complete_attest_domain (call->manager->skeleton, call->invocation,
                                          g_variant_dict_end (&dict));
}

static const VtMethod attest_method = {
  .work = attest, .publish = log_attest, .reply = reply_attest,
  .free_job = (GDestroyNotify) attest_job_free, .blocking = TRUE,
};

static gboolean
handle_attest_domain (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                      const char *domain, GVariant *params, VtManager *manager)
{
  g_autoptr (GError) error = NULL;
  AttestJob *job = parse_attest (domain, params, &error);

  wipe_byte_arrays (params);
  if (job == NULL)
    vt_bus_return_error (invocation, error);
  else
    vt_dispatch (manager, invocation, &attest_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- GetLaunchMeasurement ----------------------------------------------------------- */

typedef struct {
  char *domain;
  char *connection;                /* the host's name, NULL: the default */
  VtLaunchMeasurement *measurement;
} MeasurementJob;

static void
measurement_job_free (MeasurementJob *job)
{
  g_free (job->domain);
  g_free (job->connection);
  vt_launch_measurement_free (job->measurement);
  g_free (job);
}

/* Reading a measurement changes nothing, but it tells whether a domain is an SEV guest
 * and which firmware it runs: the same action as attesting it. */
static gboolean
read_measurement (VtCall *call, GError **error)
{
  MeasurementJob *job = call->job;
  VtDaemon *daemon = call->manager->daemon;
  VtHypervisor *hv = vt_bus_hypervisor (daemon, "GetLaunchMeasurement", job->connection,
                                        error);

  if (hv == NULL || !vt_authz_check (daemon, call->invocation, VT_ACTION_ATTEST, FALSE, error))
    return FALSE;
  job->measurement = vt_libvirt_launch_measurement (vt_hypervisor_connection (hv), job->domain,
                                                    error);
  return job->measurement != NULL;
}

static void
reply_measurement (VtCall *call)
{
  MeasurementJob *job = call->job;
  const VtLaunchMeasurement *m = job->measurement;
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "measurement", "s", m->measurement);
  add_platform (&dict, &m->platform);
  add_string_if_set (&dict, "loader", m->loader);
  add_string_if_set (&dict, "loader-sha256", m->loader_sha256);
  g_variant_dict_insert (&dict, "vcpus", "u", m->n_cpus);
  g_variant_dict_insert (&dict, "kernel-hashes", "b", m->kernel_hashes);
  vt_dbus_manager_complete_get_launch_measurement (call->manager->skeleton, call->invocation,
                                                   g_variant_dict_end (&dict));
}

static const VtMethod measurement_method = {
  .work = read_measurement, .reply = reply_measurement,
  .free_job = (GDestroyNotify) measurement_job_free, .blocking = TRUE,
};

static gboolean
handle_get_launch_measurement (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                               const char *domain, GVariant *options, VtManager *manager)
{
  g_autoptr (GError) error = NULL;
  const char *connection = NULL;
  MeasurementJob *job;

  if (!check_domain ("GetLaunchMeasurement", domain, &error)
      || !vt_options_parse_connection (options, "GetLaunchMeasurement", NULL, &connection,
                                       &error))
    {
      vt_bus_return_error (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  job = g_new0 (MeasurementJob, 1);
  job->domain = g_strdup (domain);
  job->connection = g_strdup (connection);
  vt_dispatch (manager, invocation, &measurement_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ---- InjectLaunchSecret ------------------------------------------------------------- */

typedef struct {
  char *domain;
  char *connection;                /* the host's name, NULL: the default */
  GBytes *header;
  GBytes *payload;
  gboolean resume;
  gboolean interactive;
  gboolean injected;
  const char *state;
} InjectJob;

static void
inject_job_free (InjectJob *job)
{
  g_free (job->domain);
  g_free (job->connection);
  g_bytes_unref (job->header);
  g_bytes_unref (job->payload);
  g_free (job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InjectJob, inject_job_free)

static GBytes *
bytes_of (GVariant *value)
{
  gsize len = 0;
  const guint8 *data = g_variant_get_fixed_array (value, &len, 1);

  return g_bytes_new (data, len);
}

/* The packet is encrypted and MAC'd for this launch only: nothing in it needs wiping. */
static InjectJob *
parse_inject (const char *domain, GVariant *header, GVariant *payload, GVariant *options,
              GError **error)
{
  g_autoptr (InjectJob) job = g_new0 (InjectJob, 1);
  g_autoptr (GError) local_error = NULL;
  const char *connection = NULL;
  const VtBoolOption known[] = {
    { "resume", &job->resume }, { "interactive", &job->interactive }, { NULL, NULL },
  };

  if (!check_domain ("InjectLaunchSecret", domain, error)
      || !vt_options_parse_connection (options, "InjectLaunchSecret", known, &connection,
                                       error))
    return NULL;
  job->domain = g_strdup (domain);
  job->connection = g_strdup (connection);
  job->header = bytes_of (header);
  job->payload = bytes_of (payload);
  if (!vt_sev_check_packet (job->header, job->payload, &local_error))
    {
      invalid (error, "InjectLaunchSecret: %s", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&job);
}

static gboolean
inject (VtCall *call, GError **error)
{
  InjectJob *job = call->job;
  VtDaemon *daemon = call->manager->daemon;
  VtHypervisor *hv = vt_bus_hypervisor (daemon, "InjectLaunchSecret", job->connection, error);

  if (hv == NULL
      || !vt_authz_check (daemon, call->invocation, VT_ACTION_ATTEST, job->interactive, error))
    return FALSE;
  job->injected = vt_libvirt_inject_secret (vt_hypervisor_connection (hv), job->domain,
                                            job->header, job->payload, job->resume,
                                            &job->state, error);
  /* Injected but not resumed is still injected: say so in the journal. */
  return job->injected;
}

static void
log_inject (VtCall *call)
{
  InjectJob *job = call->job;
  g_autofree char *domain = vt_echo (job->domain);

  if (job->state != NULL)
    g_message ("InjectLaunchSecret %s for %s: domain %s", domain,
               g_dbus_method_invocation_get_sender (call->invocation), job->state);
}

static void
reply_inject (VtCall *call)
{
  InjectJob *job = call->job;
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_variant_dict_insert (&dict, "secret-injected", "b", job->injected);
  g_variant_dict_insert (&dict, "state", "s", job->state);
  vt_dbus_manager_complete_inject_launch_secret (call->manager->skeleton, call->invocation,
                                                 g_variant_dict_end (&dict));
}

static const VtMethod inject_method = {
  .work = inject, .publish = log_inject, .reply = reply_inject,
  .free_job = (GDestroyNotify) inject_job_free, .blocking = TRUE,
};

static gboolean
handle_inject_launch_secret (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                             const char *domain, GVariant *header, GVariant *payload,
                             GVariant *options, VtManager *manager)
{
  g_autoptr (GError) error = NULL;
  InjectJob *job = parse_inject (domain, header, payload, options, &error);

  if (job == NULL)
    vt_bus_return_error (invocation, error);
  else
    vt_dispatch (manager, invocation, &inject_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_sev_register (VtManager *manager)
{
  g_signal_connect (manager->skeleton, "handle-get-sev-info",
                    G_CALLBACK (handle_get_sev_info), manager);
  g_signal_connect (manager->skeleton, "handle-attest-domain",
                    G_CALLBACK (handle_attest_domain), manager);
  g_signal_connect (manager->skeleton, "handle-get-launch-measurement",
                    G_CALLBACK (handle_get_launch_measurement), manager);
  g_signal_connect (manager->skeleton, "handle-inject-launch-secret",
                    G_CALLBACK (handle_inject_launch_secret), manager);
}
