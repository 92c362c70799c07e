/* implemented in a later commit */
#include "policy.h"
