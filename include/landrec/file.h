/* file.h — a whole file read into memory, for the readers of small text files (migrations,
 * evaluation truth).
 *
 * Owns: nothing beyond a call; the buffer it returns is the caller's.
 * Borrows: stdio.
 */
#ifndef LANDREC_FILE_H
#define LANDREC_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "landrec/error.h"

/* Reads the file at path into *out, NUL-terminated (free() it); *out_len (may be NULL) its
 * bytes before the NUL. Returns LR_OK, LR_ERR_NOMEM, or LR_ERR_IO with errno saying why and
 * *opened (may be NULL) telling a file that could not be read from one that could not be
 * opened. *out is NULL on failure. Callers word their own messages. */
int lr_file_read_all(const char *path, char **out, size_t *out_len, bool *opened);

#endif
