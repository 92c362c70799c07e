/* implemented in a later commit */
#include "daemon.h"
