/* implemented in a later commit */
#include "config.h"
