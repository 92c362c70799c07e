/* implemented in a later commit */
#include "render.h"
