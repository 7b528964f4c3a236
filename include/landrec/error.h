/* error.h — status codes and the error report every library function can fill.
 *
 * Functions return 0 (LR_OK) or a negative lr_status, or NULL, and fill an optional
 * lr_error * with a short lower-case primary message, a detail and a hint, in
 * PostgreSQL's message style. There is no global error buffer.
 *
 * Owns: the text of an lr_error, inside the struct (no allocation).
 * Borrows: nothing.
 */
#ifndef LANDREC_ERROR_H
#define LANDREC_ERROR_H

#include <stddef.h>

typedef enum lr_status {
    LR_OK = 0,
    LR_ERR_ARG = -1,         /* bad argument or option */
    LR_ERR_IO = -2,          /* a file could not be read or written */
    LR_ERR_FORMAT = -3,      /* not an image, or a format landrec does not read */
    LR_ERR_CORRUPT = -4,     /* damaged or truncated data */
    LR_ERR_UNSUPPORTED = -5, /* a valid image of a kind landrec refuses (e.g. CMYK) */
    LR_ERR_TOO_LARGE = -6,   /* declared size beyond the configured limits */
    LR_ERR_NOMEM = -7,
    LR_ERR_OCR = -8,
    LR_ERR_DB = -9,
    LR_ERR_INTERNAL = -10,
    LR_ERR_EMPTY = -11,      /* zero-byte file */
    LR_ERR_CRASH = -12,      /* a worker died while processing the page */
} lr_status;

typedef struct lr_error {
    lr_status code;
    char message[256]; /* primary message: short, lower case, no final period */
    char detail[512];  /* optional: what exactly was found */
    char hint[256];    /* optional: what the user can do */
} lr_error;

/* Empties *err (may be NULL). */
void lr_error_clear(lr_error *err);

/* Sets code and primary message, clears detail and hint; returns code. err may be NULL. */
int lr_error_set(lr_error *err, lr_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void lr_error_detail(lr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lr_error_hint(lr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Stable short name of a status ("corrupt", "too-large" …), stored in the database. */
const char *lr_status_name(lr_status code);

/* "message: detail" into buf (always NUL-terminated); returns buf. */
char *lr_error_format(const lr_error *err, char *buf, size_t size);

#endif
