/* metrics.c — placeholder until the evaluation metrics land. */
#include "landrec/error.h"
