/* virtuned — error domain shared by the core and the bus layer. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VT_ERROR (vt_error_quark ())
GQuark vt_error_quark (void);

/* Each code maps 1:1 to a named D-Bus error (daemon/errors.c, SPEC §5). */
typedef enum {
  VT_ERROR_FAILED,               /* org.virtscenario.Error.Failed */
  VT_ERROR_INVALID_DESCRIPTION,  /* .InvalidDescription */
  VT_ERROR_UNKNOWN_SCENARIO,     /* .UnknownScenario */
  VT_ERROR_CONFLICT,             /* .Conflict */
  VT_ERROR_UNSUPPORTED,          /* .Unsupported */
  VT_ERROR_LIBVIRT,              /* .Libvirt */
  VT_ERROR_HOST_TUNING,          /* .HostTuning */
  VT_ERROR_IN_CONTAINER,         /* .InContainer */
  VT_ERROR_ATTESTATION_FAILED,   /* .AttestationFailed */
  VT_ERROR_UNKNOWN_DOMAIN,       /* .UnknownDomain: no such domain, or not virtuned's */
  VT_ERROR_ACCESS_DENIED,        /* org.freedesktop.DBus.Error.AccessDenied */
  VT_ERROR_N_CODES
} VtErrorCode;

/* Sets a G_FILE_ERROR from @saved_errno: "WHAT PATH: strerror". Returns FALSE. */
gboolean vt_set_errno_error (GError **error, int saved_errno, const char *what,
                             const char *path);

G_END_DECLS
