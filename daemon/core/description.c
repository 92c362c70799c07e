/* implemented in a later commit */
#include "description.h"
