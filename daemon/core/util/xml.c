/* virtuned — libxml2 set-up shared by every XML user of the core. */
#include "util/xml.h"

#include <libxml/parser.h>

void
vt_xml_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      xmlInitParser ();
      g_once_init_leave (&done, 1);
    }
}
