/* cmd_db.c — placeholder. */
#include "landrec/error.h"
