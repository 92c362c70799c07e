/* Reading back the domains virtuned defined. */
#include "libvirt/domains.h"

#include <libvirt/virterror.h>

#include "domain/domain.h"
#include "libvirt/virt-error.h"
#include "util/echo.h"
#include "util/error.h"


static gboolean
libvirt_error_is (int code)
{
  virErrorPtr err = virGetLastError ();

  return err != NULL && err->code == code;
}

virDomainPtr
vt_libvirt_lookup_domain (virConnectPtr conn, const char *name, GError **error)
{
  virDomainPtr dom = virDomainLookupByName (conn, name);
  g_autofree char *shown = NULL;

  if (dom != NULL)
    return dom;
  if (!libvirt_error_is (VIR_ERR_NO_DOMAIN))
    {
      vt_set_libvirt_error (error, "looking up the domain");
      return NULL;
    }
  virResetLastError ();
  shown = vt_echo (name);
  g_set_error (error, VT_ERROR, VT_ERROR_UNKNOWN_DOMAIN, "there is no domain named %s",
               shown);
  return NULL;
}

VtDomainRecord *
vt_libvirt_read_record (virDomainPtr dom, const char *name, GError **error)
{
  g_autofree char *xml = virDomainGetMetadata (dom, VIR_DOMAIN_METADATA_ELEMENT,
                                               VT_METADATA_NS, VIR_DOMAIN_AFFECT_CONFIG);

  if (xml == NULL && !libvirt_error_is (VIR_ERR_NO_DOMAIN_METADATA))
    {
      vt_set_libvirt_error (error, "reading the domain's metadata");
      return NULL;
    }
  virResetLastError ();
  return vt_domain_record_parse (xml, name, error);
}

VtDomainRecord *
vt_libvirt_domain_record (VtConnection *conn, const char *name, GError **error)
{
  g_autoptr (virConnect) c = vt_connection_get (conn, error);
  g_autoptr (virDomain) dom = NULL;

  if (c == NULL)
    return NULL;
  dom = vt_libvirt_lookup_domain (c, name, error);
  return dom != NULL ? vt_libvirt_read_record (dom, name, error) : NULL;
}

/* virDomainGetXMLDesc's flags for @view, or -1 (with @error) when it cannot be had. */
static int
xml_flags (virDomainPtr dom, const char *name, VtDevicesView view, GError **error)
{
  int active = virDomainIsActive (dom);
  g_autofree char *shown = NULL;

  if (active < 0)
    {
      vt_set_libvirt_error (error, "reading the domain's state");
      return -1;
    }
  if (view == VT_DEVICES_CONFIG || (view == VT_DEVICES_CURRENT && !active))
    return VIR_DOMAIN_XML_INACTIVE;
  if (active)
    return 0;
  shown = vt_echo (name);
  g_set_error (error, VT_ERROR, VT_ERROR_FAILED,
               "domain %s is not running: it has no live devices (ask for its configuration "
               "with live=false)", shown);
  return -1;
}

GPtrArray *
vt_libvirt_list_devices (VtConnection *conn, const char *name, VtDevicesView view,
                         GError **error)
{
  g_autoptr (virConnect) c = vt_connection_get (conn, error);
  g_autoptr (virDomain) dom = NULL;
  g_autoptr (VtDomainRecord) record = NULL;
  g_autofree char *xml = NULL;
  int flags;

  if (c == NULL || (dom = vt_libvirt_lookup_domain (c, name, error)) == NULL)
    return NULL;
  /* Only virtuned's domains: their ua- aliases are virtuned's promise. */
  record = vt_libvirt_read_record (dom, name, error);
  if (record == NULL || (flags = xml_flags (dom, name, view, error)) < 0)
    return NULL;
  xml = virDomainGetXMLDesc (dom, (unsigned int) flags);
  if (xml == NULL)
    {
      vt_set_libvirt_error (error, "reading the domain's XML");
      return NULL;
    }
  return vt_device_inventory (xml, error);
}
