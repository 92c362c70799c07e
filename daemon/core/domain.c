/* implemented in a later commit */
#include "domain.h"
