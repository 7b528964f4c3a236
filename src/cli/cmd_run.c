/* cmd_run.c — placeholder. */
#include "landrec/error.h"
