/* virtuned — Define (SPEC §5, §9): in a worker thread, because authorization and the
 * libvirt work both block (polkit may wait for the user to authenticate, libvirt may
 * preallocate a large volume).
 *
 * The polkit action depends on what the existing disks are (an encrypted volume needs
 * define-unrestricted): the core's VtDefineRequest looks them up, read-only, and says
 * which access level is needed; this front authorizes the caller for it, then runs the
 * request. A lookup failure is reported only after authorization succeeded: a refused
 * caller learns nothing from libvirt. */
#include "bus/manager.h"

#include <string.h>

#include "bus/authz.h"
#include "bus/dispatch.h"
#include "bus/options.h"
#include "bus/target.h"
#include "domain/render.h"
#include "libvirt/define.h"
#include "util/error.h"

typedef struct {
  char *description;        /* copies: the handler's arguments die when it returns */
  GVariant *options;
  VtDefineResult *result;
} DefineJob;

static void
define_job_free (DefineJob *job)
{
  g_free (job->description);
  g_variant_unref (job->options);
  vt_define_result_free (job->result);
  g_free (job);
}

/* Asks polkit for the action @request needs, saying why when it is the unrestricted one. */
static gboolean
authorize (VtCall *call, const VtDefineRequest *request, gboolean interactive,
           GError **error)
{
  const char *reason = NULL;
  VtAccessLevel level = vt_define_request_access (request, &reason);

  return vt_authz_check_level (call->manager->daemon, call->invocation, level, reason,
                               interactive, error);
}

/* The "start" option: not started (absent), paused (to attest an SEV guest before it
 * runs) or running. */
static const char *const start_choices[] = { "paused", "running", NULL };

static VtDefineStart
start_mode (const char *start)
{
  if (start == NULL)
    return VT_DEFINE_START_NONE;
  return g_str_equal (start, "paused") ? VT_DEFINE_START_PAUSED : VT_DEFINE_START_RUNNING;
}

/* Worker thread. Parsing and merging are fast and pure, but run here too so the main
 * loop does nothing per call but dispatch. */
static gboolean
define (VtCall *call, GError **error)
{
  DefineJob *job = call->job;
  VtDaemon *daemon = call->manager->daemon;
  gboolean interactive = FALSE;
  const char *start = NULL;
  const char *connection = NULL;
  /* "interactive" lets polkit ask the caller to authenticate (vscenctl on a terminal). */
  const VtBoolOption bools[] = { { "interactive", &interactive }, { NULL, NULL } };
  const VtChoiceOption choices[] = {
    { "start", start_choices, &start }, VT_CONNECTION_OPTION (&connection), { NULL, NULL, NULL },
  };
  g_autoptr (VtResolved) resolved = NULL;
  g_autoptr (VtDefineRequest) request = NULL;
  g_autoptr (VtHostCaps) caps = NULL;
  VtHypervisor *hv;

  if (!vt_options_parse (job->options, "Define", bools, choices, error))
    return FALSE;
  hv = vt_bus_hypervisor (daemon, "Define", connection, error);
  if (hv == NULL || !(caps = vt_hypervisor_caps (hv, error)))
    return FALSE;
  resolved = vt_resolve (daemon->policies, daemon->oses, caps->domcaps, job->description,
                         strlen (job->description), error);
  if (resolved == NULL)
    return FALSE;
  request = vt_define_request_new (g_steal_pointer (&resolved), vt_hypervisor_connection (hv),
                                   vt_hypervisor_config (hv));
  vt_define_request_set_start (request, start_mode (start));
  if (!authorize (call, request, interactive, error))
    return FALSE;
  job->result = vt_define_request_run (request, caps->domcaps, error);
  /* libvirt's own failures say which host they come from. */
  if (job->result == NULL && error != NULL && g_error_matches (*error, VT_ERROR, VT_ERROR_LIBVIRT))
    vt_hypervisor_prefix_error (hv, error);
  return job->result != NULL;
}

static void
reply_defined (VtCall *call)
{
  DefineJob *job = call->job;
  const VtDefineResult *result = job->result;
  VtDbusManager *skeleton = call->manager->skeleton;

  for (guint i = 0; i < result->notes->len; i++)
    g_message ("Define %s: %s", result->name, (const char *) g_ptr_array_index (result->notes, i));
  g_message ("defined domain %s (%s) for %s", result->name, result->uuid,
             g_dbus_method_invocation_get_sender (call->invocation));
  vt_dbus_manager_complete_define (skeleton, call->invocation, result->name, result->uuid,
                                   result->xml);
  vt_dbus_manager_emit_domain_defined (skeleton, result->name, result->uuid);
}

static const VtMethod define_method = {
  .work = define, .reply = reply_defined, .free_job = (GDestroyNotify) define_job_free,
  .blocking = TRUE,
};

static gboolean
handle_define (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
               const char *description, GVariant *options, VtManager *manager)
{
  DefineJob *job = g_new0 (DefineJob, 1);

  job->description = g_strdup (description);
  job->options = g_variant_ref (options);
  vt_dispatch (manager, invocation, &define_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_define_register (VtManager *manager)
{
  g_signal_connect (manager->skeleton, "handle-define", G_CALLBACK (handle_define), manager);
}
