/* digest.h — SHA-256 fixity checksums (OpenSSL's libcrypto, not hand-written).
 *
 * Owns: nothing beyond a call.
 * Borrows: libcrypto's SHA-256.
 */
#ifndef LANDREC_DIGEST_H
#define LANDREC_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "landrec/error.h"

#define LR_SHA256_HEX_LEN 64

/* SHA-256 of a buffer as 64 lower-case hex digits plus NUL into out_hex. */
void lr_digest_buffer(const void *data, size_t size, char out_hex[LR_SHA256_HEX_LEN + 1]);

/* SHA-256 of an open file descriptor read from its current offset to the end, streaming;
 * out_size gets the number of bytes read (may be NULL). Returns 0 or LR_ERR_IO. */
int lr_digest_fd(int fd, char out_hex[LR_SHA256_HEX_LEN + 1], int64_t *out_size, lr_error *err);

/* SHA-256 of the file at path (opened read-only). */
int lr_digest_file(const char *path, char out_hex[LR_SHA256_HEX_LEN + 1], int64_t *out_size,
                   lr_error *err);

#endif
