/* virtuned — what a device builder is given besides its own entry: the resolved settings,
 * the host's capabilities and what follows from the settings for every device. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

#include "model/domcaps.h"
#include "model/settings.h"

G_BEGIN_DECLS

typedef struct {
  const VtSettings *settings;
  const VtDomcaps *caps;
  gboolean sev;          /* launch security is on: virtio devices get iommu='on' */
  guint iothreads;       /* guest.iothreads (0..64); virtio disks and virtio-scsi use #1 */
  const char *domain_name;  /* what a NIC's fixed MAC is derived from (domain/identity.h) */
} VtDeviceContext;

/* The context for @settings on the host @caps describes (both borrowed, non-NULL). */
VtDeviceContext vt_device_context (const VtSettings *settings, const VtDomcaps *caps);

/* ---- for the device builders ---- */

/* Setting @key, or @fallback when it is unset. */
const char *vt_device_setting (const VtDeviceContext *ctx, const char *key,
                               const char *fallback);

/* TRUE when the host's enum @enum_name lists @enum_value (NULL: @value itself), the
 * thing setting @key = @value needs. Else VT_ERROR_UNSUPPORTED naming @key and @value:
 * the merge's host layer has normally replaced such a value already, but a builder may
 * be given settings no host layer saw. */
gboolean vt_device_host_offers (const VtDeviceContext *ctx, const char *key, const char *value,
                                const char *enum_name, const char *enum_value, GError **error);

/* Appends <driver iommu='on'/> to a virtio @device when SEV needs it (the device must
 * reach guest memory through the IOMMU to see unencrypted pages); NULL otherwise. */
xmlNodePtr vt_device_add_iommu_driver (const VtDeviceContext *ctx, xmlNodePtr device);

G_END_DECLS
