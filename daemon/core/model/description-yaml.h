/* virtuned — a parsed description written back as YAML: what Define records in a
 * domain's <metadata> so the description travels with the domain (DescribeDomain,
 * RenderUpdate). */
#pragma once

#include <glib.h>

#include "model/description.h"

G_BEGIN_DECLS

/* @desc as canonical YAML that vt_description_parse reads back into the same
 * description: every key the caller gave, in the parser's section order, sizes in the
 * largest exact unit, strings double-quoted. The guest owner's SEV launch data (sev:)
 * is left out: its session blob wraps the owner's transport keys, and a domain's XML is
 * read by anyone with read access to libvirt. */
char *vt_description_to_yaml (const VtDescription *desc);

G_END_DECLS
