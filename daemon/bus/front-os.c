/* virtuned — ListOperatingSystems: the guest OSes `os:` accepts, for clients' OS pickers.
 * Read-only and public (the osinfo database is world-readable), answered from the table
 * loaded at start, on the main loop. */
#include "bus/manager.h"

#include <string.h>

#include "bus/dispatch.h"
#include "model/limits.h"
#include "util/echo.h"

typedef struct {
  const char *filter;       /* borrowed from the handler: the work runs before it returns */
  GVariant *reply;
} OsJob;

/* The filter is the caller's bytes: bounded and printable before it is used or shown. */
static gboolean
check_filter (const char *filter, GError **error)
{
  g_autofree char *shown = NULL;

  if (strlen (filter) > VT_OS_FILTER_MAX)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                   "filter is %zu bytes long (at most %d)", strlen (filter), VT_OS_FILTER_MAX);
      return FALSE;
    }
  for (const char *p = filter; *p; p = g_utf8_next_char (p))
    if (vt_echo_is_control (g_utf8_get_char (p)))
      {
        shown = vt_echo (filter);
        g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                     "filter '%s' contains a control character", shown);
        return FALSE;
      }
  return TRUE;
}

/* Today as YYYY-MM-DD (UTC), what end-of-life dates are compared with. */
static char *
today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static gboolean
list_oses (VtCall *call, GError **error)
{
  OsJob *job = call->job;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *date = NULL;
  GVariantBuilder rows;

  if (!check_filter (job->filter, error))
    return FALSE;
  list = vt_os_table_list (call->manager->daemon->oses, job->filter);
  date = today ();
  /* A builder, not bus/rows.c: the eol column is a boolean, and the call is a picker's,
   * not a hot path. */
  g_variant_builder_init (&rows, G_VARIANT_TYPE ("a(ssssb)"));
  for (guint i = 0; i < list->len; i++)
    {
      const VtOsInfo *os = g_ptr_array_index (list, i);

      g_variant_builder_add (&rows, "(ssssb)", os->short_id, os->name, os->vendor,
                             os->release_date, vt_os_info_is_eol (os, date));
    }
  job->reply = g_variant_new ("(a(ssssb))", &rows);
  return TRUE;
}

static void
reply_list (VtCall *call)
{
  OsJob *job = call->job;

  g_dbus_method_invocation_return_value (call->invocation, job->reply);
}

static const VtMethod list_oses_method = {
  .work = list_oses, .reply = reply_list, .free_job = g_free,
};

static gboolean
handle_list_oses (VtDbusManager *skeleton, GDBusMethodInvocation *invocation,
                  const char *filter, VtManager *manager)
{
  OsJob *job = g_new0 (OsJob, 1);

  job->filter = filter;
  vt_dispatch (manager, invocation, &list_oses_method, job);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

void
vt_front_os_register (VtManager *manager)
{
  g_signal_connect (manager->skeleton, "handle-list-operating-systems",
                    G_CALLBACK (handle_list_oses), manager);
}
