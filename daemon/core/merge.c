/* implemented in a later commit */
#include "merge.h"
