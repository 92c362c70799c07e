/* virtuned — libxml2 set-up. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Initialises libxml2 once, thread-safely, for the core's XML users (domain
 * capabilities, the domain builder). Cleanup is left to the process exit. */
void vt_xml_init (void);

G_END_DECLS
