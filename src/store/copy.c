/* copy.c — COPY … FROM STDIN: the byte buffer its data is built in, and sending it
 * (store_internal.h). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* The first allocation of a buffer: one page's words fit in a few of these. */
#define STORE_BUF_FIRST 16384

/* COPY data goes to the server in pieces of this size. */
#define STORE_COPY_CHUNK (1u << 20)

void store_buf_put(store_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : STORE_BUF_FIRST;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->failed = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void store_buf_putc(store_buf *b, char c)
{
    store_buf_put(b, &c, 1);
}

void store_buf_printf(store_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        store_buf_put(b, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    store_buf_put(b, big, (size_t)n);
    free(big);
}

void store_buf_int(store_buf *b, long long x)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", x);
    store_buf_put(b, tmp, (size_t)n);
}

void store_buf_real(store_buf *b, double x)
{
    if (!isfinite(x)) {
        store_buf_put(b, "\\N", 2);
        return;
    }
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.9g", x);
    store_buf_put(b, tmp, (size_t)n);
}

void store_buf_copy_text(store_buf *b, const char *s)
{
    if (!s) {
        store_buf_put(b, "\\N", 2);
        return;
    }
    const char *run = s;
    for (; *s; s++) {
        const char *esc = NULL;
        switch (*s) {
        case '\\': esc = "\\\\"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        default: continue;
        }
        store_buf_put(b, run, (size_t)(s - run));
        store_buf_put(b, esc, 2);
        run = s + 1;
    }
    store_buf_put(b, run, (size_t)(s - run));
}

void store_buf_bytea_hex(store_buf *b, const char *prefix, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    store_buf_put(b, prefix, strlen(prefix));
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        char pair[2] = {hex[*u >> 4], hex[*u & 15]};
        store_buf_put(b, pair, 2);
    }
}

void store_buf_free(store_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

int store_copy_in(lr_store *st, const char *sql, const store_buf *data, const char *what,
                  lr_error *err)
{
    PGresult *res = PQexec(st->conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        int rc = store_fail(err, st->conn, res, "could not %s", what);
        PQclear(res);
        return rc;
    }
    PQclear(res);

    bool sent = true;
    for (size_t off = 0; off < data->len; off += STORE_COPY_CHUNK) {
        size_t n = data->len - off < STORE_COPY_CHUNK ? data->len - off : STORE_COPY_CHUNK;
        if (PQputCopyData(st->conn, data->data + off, (int)n) != 1) {
            sent = false;
            break;
        }
    }
    int rc = LR_OK;
    if (PQputCopyEnd(st->conn, sent ? NULL : "landrec could not send the COPY data") != 1)
        rc = store_fail(err, st->conn, NULL, "could not %s", what);
    /* Drain every result so the connection is ready for the ROLLBACK or the next statement. */
    while ((res = PQgetResult(st->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == LR_OK)
            rc = store_fail(err, st->conn, res, "could not %s", what);
        PQclear(res);
    }
    if (rc == LR_OK && !sent)
        rc = store_fail(err, st->conn, NULL, "could not %s", what);
    return rc;
}
