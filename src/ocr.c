/* ocr.c — placeholder until the module lands. */
#include "landrec/error.h"
