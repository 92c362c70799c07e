/* virtuned — bounded method calls (README "Security model").
 *
 * Render needs no authorization and the system bus carries messages up to 32 MiB. GDBus
 * reads such a message whole and parses its body; the skeleton would then copy every
 * argument into GValues and the handler copy the description again before the parser
 * looked at its length. The connection's filter sees the parsed message before any of
 * that, so the bounds are checked there, and a refused call costs one read and one
 * parse, never a copy or a dispatch. */
#include "bus/bounds.h"

#include <malloc.h>

#include "bus/errors.h"
#include "model/limits.h"
#include "sev/keys.h"
#include "sev/secret.h"
#include "sev/vmsa.h"
#include "util/error.h"

/* What an argument costs in a serialized body beyond its content: a string's NUL, an
 * array's framing offsets and padding, a dictionary entry's key and variant type. */
#define ARG_OVERHEAD 64
#define STRING_MAX(content) ((content) + ARG_OVERHEAD)
#define NAME_LIST_MAX (VT_MAX_SCENARIOS * STRING_MAX (VT_SCENARIO_NAME_MAX) + ARG_OVERHEAD)
#define OPTIONS_MAX STRING_MAX (VT_OPTIONS_MAX_BYTES)
#define BYTES_MAX(content) ((content) + ARG_OVERHEAD)
#define DOMAIN_MAX STRING_MAX (VT_DOMAIN_NAME_MAX)

/* AttestDomain's parameters, each bounded by what its content may be; the call's bound
 * is their sum, so a call with every parameter at its largest passes and nothing
 * larger does. */
#define KEY_PARAM_MAX BYTES_MAX (VT_SEV_KEY_SIZE)
#define TK_PARAM_MAX BYTES_MAX (2 * VT_SEV_KEY_SIZE)
#define PATH_PARAM_MAX STRING_MAX (VT_SEV_PATH_MAX)
#define CMDLINE_PARAM_MAX STRING_MAX (VT_SEV_CMDLINE_MAX_BYTES)
#define NUMBER_PARAM_MAX ARG_OVERHEAD
#define VMSA_PARAM_MAX (VT_SEV_MAX_VMSAS * BYTES_MAX (VT_SEV_VMSA_SIZE) + ARG_OVERHEAD)
/* Names are a 36-character GUID or an alias; the bytes of all secrets fit the table. */
#define SECRETS_PARAM_MAX \
  (VT_SEV_SECRET_TABLE_MAX_BYTES + VT_SEV_MAX_SECRETS * 2 * STRING_MAX (36) + ARG_OVERHEAD)
#define WORD_PARAM_MAX STRING_MAX (16)
#define CONNECTION_PARAM_MAX STRING_MAX (VT_CONNECTION_NAME_MAX)
#define ATTEST_PARAMS_MAX                                                               \
  (2 * KEY_PARAM_MAX + TK_PARAM_MAX + 3 * PATH_PARAM_MAX + CMDLINE_PARAM_MAX             \
   + 4 * NUMBER_PARAM_MAX + VMSA_PARAM_MAX + SECRETS_PARAM_MAX + WORD_PARAM_MAX          \
   + CONNECTION_PARAM_MAX + ARG_OVERHEAD)
/* Plan's options: the usual ones plus the list of connections to plan for. */
#define PLAN_OPTIONS_MAX (OPTIONS_MAX + VT_PLAN_MAX_CONNECTIONS * CONNECTION_PARAM_MAX)

typedef struct {
  const char *name;
  gsize max;                  /* the serialized value, bytes */
} ParamBound;

static const ParamBound attest_params[] = {
  { "tik", KEY_PARAM_MAX }, { "tek", KEY_PARAM_MAX }, { "tk", TK_PARAM_MAX },
  { "firmware", PATH_PARAM_MAX }, { "kernel", PATH_PARAM_MAX }, { "initrd", PATH_PARAM_MAX },
  { "cmdline", CMDLINE_PARAM_MAX }, { "cpu-family", NUMBER_PARAM_MAX },
  { "cpu-model", NUMBER_PARAM_MAX }, { "cpu-stepping", NUMBER_PARAM_MAX },
  { "vmsa", VMSA_PARAM_MAX }, { "secrets", SECRETS_PARAM_MAX },
  { "on-mismatch", WORD_PARAM_MAX }, { "interactive", NUMBER_PARAM_MAX },
  { "connection", CONNECTION_PARAM_MAX },
  { NULL, 0 },
};

typedef struct {
  const char *method;
  gsize max_body;             /* serialized body, bytes */
  gboolean description;       /* the first argument is a description (s) */
} MethodBound;

/* The one definition of how large each method's arguments may be. */
static const MethodBound bounds[] = {
  { "ListScenarios", 0, FALSE },
  { "DescribeScenario", STRING_MAX (VT_SCENARIO_NAME_MAX), FALSE },
  { "Render", STRING_MAX (VT_DESCRIPTION_MAX_BYTES) + OPTIONS_MAX, TRUE },
  { "Define", STRING_MAX (VT_DESCRIPTION_MAX_BYTES) + OPTIONS_MAX, TRUE },
  { "CheckHost", NAME_LIST_MAX + OPTIONS_MAX, FALSE },
  { "TuneHost", NAME_LIST_MAX + OPTIONS_MAX, FALSE },
  { "RevertHost", OPTIONS_MAX, FALSE },
  { "GetSevInfo", OPTIONS_MAX, FALSE },
  { "AttestDomain", DOMAIN_MAX + ATTEST_PARAMS_MAX, FALSE },
  { "GetLaunchMeasurement", DOMAIN_MAX + OPTIONS_MAX, FALSE },
  { "InjectLaunchSecret", DOMAIN_MAX + BYTES_MAX (VT_SEV_SECRET_HEADER_SIZE)
    + BYTES_MAX (VT_SEV_SECRET_TABLE_MAX_BYTES) + OPTIONS_MAX, FALSE },
  { "ListOperatingSystems", STRING_MAX (VT_OS_FILTER_MAX), FALSE },
  { "ListConnections", 0, FALSE },
  { "Plan", STRING_MAX (VT_DESCRIPTION_MAX_BYTES) + PLAN_OPTIONS_MAX, TRUE },
  /* After Define (issue #12). */
  { "DescribeDomain", DOMAIN_MAX + OPTIONS_MAX, FALSE },
  { "ListDevices", DOMAIN_MAX + OPTIONS_MAX, FALSE },
  { "RenderDevice", DOMAIN_MAX + STRING_MAX (VT_DEVICE_MAX_BYTES) + OPTIONS_MAX, FALSE },
  { "AttachDevice", DOMAIN_MAX + STRING_MAX (VT_DEVICE_MAX_BYTES) + OPTIONS_MAX, FALSE },
  { "DetachDevice", DOMAIN_MAX + STRING_MAX (VT_DEVICE_ALIAS_MAX) + OPTIONS_MAX, FALSE },
  { "RenderUpdate", DOMAIN_MAX + OPTIONS_MAX, FALSE },
  { "UpgradeDomain", DOMAIN_MAX + OPTIONS_MAX, FALSE },
  { "ListPools", OPTIONS_MAX, FALSE },
  { "ListNetworks", OPTIONS_MAX, FALSE },
};

/* Any other interface's calls (Properties, Introspectable, Peer) take a few names. */
static const MethodBound other_bound = { NULL, 4096, FALSE };

static const MethodBound *
bound_for (GDBusMessage *call)
{
  if (g_strcmp0 (g_dbus_message_get_interface (call), "org.virtscenario.Manager") != 0)
    return &other_bound;
  for (gsize i = 0; i < G_N_ELEMENTS (bounds); i++)
    if (g_strcmp0 (bounds[i].method, g_dbus_message_get_member (call)) == 0)
      return &bounds[i];
  /* An unknown method: the skeleton answers UnknownMethod, its size does not matter
   * more than any other's. */
  return &other_bound;
}

/* The description's length: the first child of a (s...) body, a view, not a copy. */
static gsize
description_length (GVariant *body)
{
  g_autoptr (GVariant) description = NULL;

  if (g_variant_n_children (body) == 0)
    return 0;
  description = g_variant_get_child_value (body, 0);
  if (!g_variant_is_of_type (description, G_VARIANT_TYPE_STRING))
    return 0;
  return g_variant_get_size (description) - 1;    /* without the NUL */
}

static gboolean
check_bound (const MethodBound *bound, GDBusMessage *call, GError **error)
{
  GVariant *body = g_dbus_message_get_body (call);
  gsize size = body != NULL ? g_variant_get_size (body) : 0;
  gsize length;

  if (size <= bound->max_body)
    return TRUE;
  /* The same sentence as the parser's (util/yaml-tree.c), so a caller cannot tell which
   * of the two refused it. */
  if (bound->description && (length = description_length (body)) > VT_DESCRIPTION_MAX_BYTES)
    {
      g_set_error (error, VT_ERROR, VT_ERROR_INVALID_DESCRIPTION,
                   "description is too large: %zu bytes (limit %d)", length,
                   VT_DESCRIPTION_MAX_BYTES);
      return FALSE;
    }
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
               "%s's arguments are too large: %zu bytes (limit %zu)",
               g_dbus_message_get_member (call), size, bound->max_body);
  return FALSE;
}

/* glibc serves a block over its mmap threshold (128 KiB) with its own mapping and
 * returns it to the system when freed, but by default it then raises the threshold to
 * the freed block's size (up to 32 MiB): the next 16 MiB body comes from an arena, and
 * an arena gives memory back only from its top, and malloc_trim never trims the top of
 * a thread's arena (GDBus's worker allocates the bodies). Setting the threshold fixes
 * it: every large block is its own mapping, given back the moment it is freed. The
 * daemon's own blocks are far smaller (a description is at most 64 KiB). */
#define MMAP_THRESHOLD (128 * 1024)

void
vt_bus_bounds_init (void)
{
  mallopt (M_MMAP_THRESHOLD, MMAP_THRESHOLD);
}

/* Called when a refused call's message is finalized, after its body was freed (object
 * data goes last), in the thread that dropped it: GDBus's worker, before it reads the
 * next message. The large blocks went back when freed (above); what a flood leaves is
 * the smaller pieces freed amid the arenas' live blocks, and malloc_trim(0) returns
 * every whole free page of every arena. It walks the arenas, so it runs only after a
 * refused, oversized call: the rate of trims is bounded by the bytes callers send. */
static void
give_back_memory (gpointer unused)
{
  malloc_trim (0);
}

GDBusMessage *
vt_bus_bounds_screen (GDBusMessage *call)
{
  g_autoptr (GError) error = NULL;

  if (check_bound (bound_for (call), call, &error))
    return NULL;
  g_object_set_data_full (G_OBJECT (call), "vt-give-back-memory", GINT_TO_POINTER (1),
                          give_back_memory);
  return vt_bus_error_reply (call, error);
}

static const ParamBound *
param_bound (const ParamBound *table, const char *name)
{
  for (const ParamBound *p = table; p->name != NULL; p++)
    if (g_str_equal (p->name, name))
      return p;
  return NULL;
}

gboolean
vt_bus_bounds_check_attest_params (GVariant *params, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, params);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) owned = value;
      const ParamBound *bound = param_bound (attest_params, key);
      gsize size = g_variant_get_size (value);

      /* An unknown name is the parser's to refuse, with the list of known ones. */
      if (bound != NULL && size > bound->max)
        {
          g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                       "AttestDomain parameter '%s' is too large: %zu bytes (limit %zu)",
                       bound->name, size, bound->max);
          return FALSE;
        }
    }
  return TRUE;
}
