/* vscenctl os list [FILTER]: the guest OSes a description's os: accepts (the daemon's
 * osinfo database), newest first. */
#include "vscenctl.h"

static int
os_list (VtCtl *ctl, int argc, char **argv)
{
  static const char *const fields[] = { "short_id", "name", "vendor", "release_date", "eol",
                                        NULL };
  static const char *const header[] = { "SHORT-ID", "NAME", "VENDOR", "RELEASED", "EOL",
                                        NULL };
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) rows = NULL;
  g_autoptr (GError) error = NULL;

  if (argc > 1 || (argc == 1 && argv[0][0] == '-'))
    return vt_ctl_usage ("'os list' takes at most one FILTER");
  /* The daemon bounds and checks the filter: its sentence is the one to show. */
  reply = vt_ctl_call (ctl, "ListOperatingSystems",
                       g_variant_new ("(s)", argc == 1 ? argv[0] : ""),
                       G_DBUS_CALL_FLAGS_NONE, &error);
  if (reply == NULL)
    return vt_ctl_fail (error);
  g_variant_get (reply, "(@a(ssssb))", &rows);
  vt_ctl_print_rows (ctl, rows, fields, header);
  return VT_EXIT_OK;
}

int
vt_cmd_os (VtCtl *ctl, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return os_list (ctl, argc - 2, argv + 2);
  return vt_ctl_usage ("'os' needs list");
}
