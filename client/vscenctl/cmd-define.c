/* implemented in a later commit */
#include "vscenctl.h"
