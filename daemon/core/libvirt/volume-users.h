/* virtuned — which other domain still uses a volume (DetachDevice's delete-storage must
 * never delete a volume another domain's definition names). Blocking. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* Whether a disk of @xml (a domain definition) has the volume: its file @path, or
 * pool @pool and volume @volume. */
gboolean vt_domain_xml_uses_volume (const char *xml, const char *pool, const char *volume,
                                    const char *path);

/* The name of the first domain of @conn other than @self whose configuration or live
 * definition uses the volume (as above), or NULL (also when libvirt cannot list them:
 * then @error is set). */
char *vt_volume_other_user (virConnectPtr conn, virDomainPtr self, const char *pool,
                            const char *volume, const char *path, GError **error);

G_END_DECLS
