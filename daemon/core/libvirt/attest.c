/* virtuned — attestation of an SEV domain through libvirt (libvirt/attest.h). */
#include "libvirt/attest.h"

#include <libvirt/virterror.h>
#include <string.h>

#include "libvirt/virt-error.h"
#include "model/limits.h"
#include "util/echo.h"
#include "util/error.h"
#include "util/xml.h"

/* What the live XML of a domain says about its launch. */
typedef struct {
  char *security;             /* <launchSecurity type=...>, or NULL */
  gboolean kernel_hashes;
  char *loader;
  guint n_cpus;
  char *kernel;
  char *initrd;
  char *cmdline;
} LaunchFacts;

static void
launch_facts_clear (LaunchFacts *facts)
{
  g_free (facts->security);
  g_free (facts->loader);
  g_free (facts->kernel);
  g_free (facts->initrd);
  g_free (facts->cmdline);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LaunchFacts, launch_facts_clear)

/* One domain of the connection; @name is the caller's, echoed safely, for messages. */
typedef struct {
  virConnectPtr conn;
  virDomainPtr dom;
  char *name;
  LaunchFacts facts;
} Target;

static void
target_clear (Target *target)
{
  if (target->dom != NULL)
    virDomainFree (target->dom);
  if (target->conn != NULL)
    virConnectClose (target->conn);
  g_free (target->name);
  launch_facts_clear (&target->facts);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

/* ---- the domain and its live XML -------------------------------------------------- */

/* The vCPUs the guest started with: SEV-ES measures one VMSA for each online vCPU. */
static guint
xml_vcpus (xmlDocPtr doc)
{
  g_autofree char *current = vt_xml_xpath_string (doc, "/domain/vcpu/@current");
  g_autofree char *maximum = vt_xml_xpath_string (doc, "/domain/vcpu");
  guint64 n = 0;

  if (!g_ascii_string_to_unsigned (current ? current : maximum ? maximum : "", 10, 1,
                                   G_MAXUINT, &n, NULL))
    return 0;
  return (guint) n;
}

static gboolean
read_facts (Target *target, GError **error)
{
  LaunchFacts *facts = &target->facts;
  g_autofree char *xml = NULL;
  g_autofree char *hashes = NULL;
  char *raw = virDomainGetXMLDesc (target->dom, 0);
  xmlDocPtr doc;

  if (raw == NULL)
    return vt_set_libvirt_error (error, "cannot read the domain's XML");
  xml = g_strdup (raw);
  free (raw);
  doc = vt_xml_parse (xml);
  if (doc == NULL)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_LIBVIRT, "libvirt's XML of domain %s is not "
                   "well-formed", target->name);
      return FALSE;
    }
  facts->security = vt_xml_xpath_string (doc, "/domain/launchSecurity/@type");
  hashes = vt_xml_xpath_string (doc, "/domain/launchSecurity/@kernelHashes");
  facts->kernel_hashes = g_strcmp0 (hashes, "yes") == 0;
  facts->loader = vt_xml_xpath_string (doc, "/domain/os/loader");
  facts->n_cpus = xml_vcpus (doc);
  facts->kernel = vt_xml_xpath_string (doc, "/domain/os/kernel");
  facts->initrd = vt_xml_xpath_string (doc, "/domain/os/initrd");
  facts->cmdline = vt_xml_xpath_string (doc, "/domain/os/cmdline");
  xmlFreeDoc (doc);
  if (facts->loader != NULL)
    g_strstrip (facts->loader);
  return TRUE;
}

static gboolean
check_sev (const Target *target, GError **error)
{
  const char *security = target->facts.security;

  if (g_strcmp0 (security, "sev") == 0)
    return TRUE;
  if (security == NULL)
    g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                 "domain %s does not run with AMD SEV (its XML has no <launchSecurity "
                 "type='sev'>): there is nothing to attest; it was left as it was",
                 target->name);
  else
    {
      g_autofree char *shown = vt_echo (security);

      g_set_error (error, VT_ERROR, VT_ERROR_UNSUPPORTED,
                   "domain %s runs with launch security '%s'; virtuned attests only AMD SEV "
                   "and SEV-ES guests; it was left as it was", target->name, shown);
    }
  return FALSE;
}

/* Attestation happens between QEMU's launch and the guest's first instruction: the
 * domain must be running and paused (started with virsh start --paused, or Define's
 * start=paused). */
static gboolean
check_paused (const Target *target, GError **error)
{
  int state = VIR_DOMAIN_NOSTATE, reason = 0;

  if (virDomainGetState (target->dom, &state, &reason, 0) < 0)
    return vt_set_libvirt_error (error, "cannot read the domain's state");
  if (state == VIR_DOMAIN_PAUSED)
    return TRUE;
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "domain %s is %s, not paused: its launch can be attested only after it was "
               "started paused and before it runs (virsh start --paused); it was left as it "
               "was", target->name, state == VIR_DOMAIN_RUNNING ? "running" : "not running");
  return FALSE;
}

static gboolean
open_target (VtConnection *conn, const char *name, Target *target, GError **error)
{
  target->name = vt_echo (name);
  target->conn = vt_connection_get (conn, error);
  if (target->conn == NULL)
    return FALSE;
  target->dom = virDomainLookupByName (target->conn, name);
  if (target->dom == NULL)
    {
      g_autofree char *what = g_strdup_printf ("cannot find domain %s", target->name);

      return vt_set_libvirt_error (error, what);
    }
  if (virDomainIsActive (target->dom) != 1)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                   "domain %s is not running: start it paused first (virsh start --paused)",
                   target->name);
      return FALSE;
    }
  return read_facts (target, error) && check_sev (target, error) && check_paused (target, error);
}

/* ---- libvirt's side of the guest (VtSevGuestOps) ---------------------------------- */

static gboolean
get_launch_info (gpointer data, char **measurement, VtSevPlatform *platform, GError **error)
{
  Target *target = data;
  virTypedParameterPtr params = NULL;
  int n = 0;
  const char *text = NULL;
  unsigned int major = 0, minor = 0, build = 0, policy = 0;
  gboolean complete;

  if (virDomainGetLaunchSecurityInfo (target->dom, &params, &n, 0) < 0)
    return vt_set_libvirt_error (error, "cannot read the launch measurement");
  complete = virTypedParamsGetString (params, n, VIR_DOMAIN_LAUNCH_SECURITY_SEV_MEASUREMENT,
                                      &text) > 0 && text != NULL
    && virTypedParamsGetUInt (params, n, VIR_DOMAIN_LAUNCH_SECURITY_SEV_API_MAJOR, &major) > 0
    && virTypedParamsGetUInt (params, n, VIR_DOMAIN_LAUNCH_SECURITY_SEV_API_MINOR, &minor) > 0
    && virTypedParamsGetUInt (params, n, VIR_DOMAIN_LAUNCH_SECURITY_SEV_BUILD_ID, &build) > 0
    && virTypedParamsGetUInt (params, n, VIR_DOMAIN_LAUNCH_SECURITY_SEV_POLICY, &policy) > 0
    && major <= G_MAXUINT8 && minor <= G_MAXUINT8 && build <= G_MAXUINT8;
  if (complete)
    {
      *measurement = g_strdup (text);
      *platform = (VtSevPlatform) { (guint8) major, (guint8) minor, (guint8) build, policy };
    }
  virTypedParamsFree (params, n);
  if (!complete)
    g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
                 "libvirt reported no complete SEV launch measurement for domain %s "
                 "(sev-measurement, sev-api-major, sev-api-minor, sev-build-id, sev-policy)",
                 target->name);
  return complete;
}

static gboolean
set_launch_secret (gpointer data, const char *header, const char *payload, GError **error)
{
  Target *target = data;
  virTypedParameterPtr params = NULL;
  int n = 0, max = 0;
  int status = -1;

  if (virTypedParamsAddString (&params, &n, &max, VIR_DOMAIN_LAUNCH_SECURITY_SEV_SECRET_HEADER,
                               header) == 0
      && virTypedParamsAddString (&params, &n, &max, VIR_DOMAIN_LAUNCH_SECURITY_SEV_SECRET,
                                  payload) == 0)
    status = virDomainSetLaunchSecurityState (target->dom, params, n, 0);
  virTypedParamsFree (params, n);
  return status == 0 || vt_set_libvirt_error (error, "libvirt refused the launch secret");
}

static gboolean
resume (gpointer data, GError **error)
{
  Target *target = data;

  return virDomainResume (target->dom) == 0
         || vt_set_libvirt_error (error, "cannot resume the domain");
}

static gboolean
destroy (gpointer data, GError **error)
{
  Target *target = data;

  return virDomainDestroy (target->dom) == 0
         || vt_set_libvirt_error (error, "cannot destroy the domain");
}

static const VtSevGuestOps libvirt_ops = {
  .get_launch_info = get_launch_info,
  .set_launch_secret = set_launch_secret,
  .resume = resume,
  .destroy = destroy,
};

static VtSevGuest
guest_of (Target *target)
{
  return (VtSevGuest) { &libvirt_ops, target, target->name };
}

/* ---- the three methods --------------------------------------------------------------- */

/* What the owner did not give, the host knows: trusted-host mode trusts it. A kernel
 * the owner gave brings its own initrd and command line; the domain's are taken only
 * with its kernel. */
static void
complete_request (const LaunchFacts *facts, VtSevAttestRequest *request)
{
  if (request->firmware == NULL)
    request->firmware = g_strdup (facts->loader);
  if (request->n_cpus == 0)
    request->n_cpus = facts->n_cpus;
  if (request->kernel == NULL && facts->kernel_hashes && facts->kernel != NULL)
    {
      request->kernel = g_strdup (facts->kernel);
      request->initrd = g_strdup (facts->initrd);
      request->cmdline = g_strdup (facts->cmdline);
    }
}

gboolean
vt_libvirt_attest (VtConnection *conn, const char *domain, VtSevAttestRequest *request,
                   VtSevAttestResult *result, GError **error)
{
  g_auto (Target) target = { 0 };
  VtSevGuest guest;

  if (!open_target (conn, domain, &target, error))
    return FALSE;
  complete_request (&target.facts, request);
  guest = guest_of (&target);
  return vt_sev_attest (&guest, request, result, error);
}

void
vt_launch_measurement_free (VtLaunchMeasurement *measurement)
{
  if (measurement == NULL)
    return;
  g_free (measurement->measurement);
  g_free (measurement->loader);
  g_free (measurement->loader_sha256);
  g_free (measurement);
}

static gboolean
hash_loader (const char *loader, char **hex, GError **error)
{
  guint8 digest[VT_SEV_SHA256_SIZE];
  GString *text;

  if (!vt_sev_check_host_file (loader, "firmware", error)
      || !vt_sev_hash_file (loader, VT_SEV_FIRMWARE_MAX_BYTES, "firmware", digest, error))
    return FALSE;
  text = g_string_new (NULL);
  for (gsize i = 0; i < sizeof digest; i++)
    g_string_append_printf (text, "%02x", digest[i]);
  *hex = g_string_free (text, FALSE);
  return TRUE;
}

VtLaunchMeasurement *
vt_libvirt_launch_measurement (VtConnection *conn, const char *domain, GError **error)
{
  g_auto (Target) target = { 0 };
  g_autoptr (VtLaunchMeasurement) measurement = g_new0 (VtLaunchMeasurement, 1);

  if (!open_target (conn, domain, &target, error)
      || !get_launch_info (&target, &measurement->measurement, &measurement->platform, error))
    return NULL;
  if (target.facts.loader != NULL
      && !hash_loader (target.facts.loader, &measurement->loader_sha256, error))
    return NULL;
  measurement->loader = g_steal_pointer (&target.facts.loader);
  measurement->n_cpus = target.facts.n_cpus;
  measurement->kernel_hashes = target.facts.kernel_hashes;
  return g_steal_pointer (&measurement);
}

gboolean
vt_libvirt_inject_secret (VtConnection *conn, const char *domain, GBytes *header,
                          GBytes *payload, gboolean resume_guest, const char **state,
                          GError **error)
{
  g_auto (Target) target = { 0 };
  VtSevGuest guest;

  if (!open_target (conn, domain, &target, error))
    return FALSE;
  guest = guest_of (&target);
  return vt_sev_inject (&guest, header, payload, resume_guest, state, error);
}
