/* implemented in a later commit */
#include "domcaps.h"
