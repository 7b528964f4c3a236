/* cmd_export.c — placeholder. */
#include "landrec/error.h"
