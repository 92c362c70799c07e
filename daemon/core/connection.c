/* implemented in a later commit */
#include "connection.h"
