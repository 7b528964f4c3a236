#include "landrec/digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void to_hex(const unsigned char *md, unsigned len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < len; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * len] = '\0';
}

void lr_digest_buffer(const void *data, size_t size, char out_hex[LR_SHA256_HEX_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_Digest(data, size, md, &len, EVP_sha256(), NULL);
    to_hex(md, len, out_hex);
}

int lr_digest_fd(int fd, char out_hex[LR_SHA256_HEX_LEN + 1], int64_t *out_size, lr_error *err)
{
    out_hex[0] = '\0';
    if (out_size)
        *out_size = 0;
    int rc = LR_OK;
    int64_t total = 0;
    unsigned char buf[1 << 16];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory computing checksum");
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        EVP_DigestUpdate(ctx, buf, (size_t)n);
        total += n;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    to_hex(md, len, out_hex);
    if (out_size)
        *out_size = total;
done:
    EVP_MD_CTX_free(ctx);
    return rc;
}

int lr_digest_file(const char *path, char out_hex[LR_SHA256_HEX_LEN + 1], int64_t *out_size,
                   lr_error *err)
{
    out_hex[0] = '\0';
    if (out_size)
        *out_size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return lr_error_set(err, LR_ERR_IO, "could not open \"%s\": %s", path, strerror(errno));
    int rc = lr_digest_fd(fd, out_hex, out_size, err);
    close(fd);
    return rc;
}
