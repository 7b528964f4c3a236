/* cmd_enhance.c — placeholder. */
#include "landrec/error.h"
