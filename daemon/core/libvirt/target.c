/* Opening a domain virtuned defined, for a change after Define. */
#include "libvirt/target.h"

#include <string.h>

#include <libvirt/virterror.h>

#include "domain/domain.h"
#include "libvirt/domains.h"
#include "libvirt/virt-error.h"

void
vt_target_clear (VtTarget *target)
{
  g_clear_pointer (&target->dom, virDomainFree);
  g_clear_pointer (&target->conn, virConnectClose);
  g_clear_pointer (&target->name, g_free);
  g_clear_pointer (&target->record, vt_domain_record_free);
  g_clear_pointer (&target->resolved, vt_resolved_free);
}

gboolean
vt_target_open (VtTarget *target, VtConnection *conn, const VtDeviceInputs *inputs,
                const char *name, GError **error)
{
  const char *description;

  target->name = g_strdup (name);
  target->conn = vt_connection_get (conn, error);
  if (target->conn == NULL
      || (target->dom = vt_libvirt_lookup_domain (target->conn, name, error)) == NULL
      || (target->record = vt_libvirt_read_record (target->dom, name, error)) == NULL)
    return FALSE;
  description = target->record->description;
  target->resolved = vt_resolve (inputs->policies, inputs->oses, inputs->caps, description,
                                 strlen (description), error);
  if (target->resolved == NULL)
    g_prefix_error (error, "the description recorded in domain %s no longer resolves: ",
                    target->name);
  return target->resolved != NULL;
}

gboolean
vt_target_is_running (const VtTarget *target)
{
  return virDomainIsActive (target->dom) == 1;
}

char *
vt_target_xml (const VtTarget *target, gboolean live, GError **error)
{
  char *xml = virDomainGetXMLDesc (target->dom, live ? 0 : VIR_DOMAIN_XML_INACTIVE);

  if (xml == NULL)
    vt_set_libvirt_error (error, "reading the domain's XML");
  return xml;
}

const char *
vt_target_storage_format (const VtTarget *target)
{
  const char *format = vt_settings_get (target->resolved->merge->settings, "storage.format");

  return format != NULL ? format : "qcow2";
}

void
vt_target_save_record (VtTarget *target)
{
  g_autofree char *xml = vt_domain_record_xml (target->record);

  if (virDomainSetMetadata (target->dom, VIR_DOMAIN_METADATA_ELEMENT, xml, "virtuned",
                            VT_METADATA_NS, VIR_DOMAIN_AFFECT_CONFIG) < 0)
    g_warning ("domain %s: cannot record its changed description: %s", target->name,
               virGetLastErrorMessage ());
}

