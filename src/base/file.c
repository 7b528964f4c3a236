#include "landrec/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>


/* Grows by doubling from this, reading until end of file: also right for pipes and files
 * that grow while read, where a size taken first would not be. */
#define FILE_FIRST_CAP 65536
#define FILE_MIN_ROOM 4096

int lr_file_read_all(const char *path, char **out, size_t *out_len, bool *opened)
{
    *out = NULL;
    if (opened)
        *opened = false;
    FILE *f = fopen(path, "rb");
    if (!f)
        return LR_ERR_IO;
    if (opened)
        *opened = true;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = LR_OK;
    for (;;) {
        if (cap - len < FILE_MIN_ROOM) {
            cap = cap ? cap * 2 : FILE_FIRST_CAP;
            char *grown = realloc(buf, cap);
            if (!grown) {
                rc = LR_ERR_NOMEM;
                break;
            }
            buf = grown;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    if (rc == LR_OK && ferror(f)) {
        rc = LR_ERR_IO;
        if (!errno)
            errno = EIO;
    }
    int saved = errno;
    fclose(f);
    errno = saved;
    if (rc != LR_OK) {
        free(buf);
        return rc;
    }
    buf[len] = '\0';
    char *fit = realloc(buf, len + 1); /* a kept text holds no spare room */
    *out = fit ? fit : buf;
    if (out_len)
        *out_len = len;
    return LR_OK;
}
