/* copy.c — COPY … FROM STDIN: what its text format and bytea make of a value, and sending the
 * data (store_internal.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

/* COPY data goes to the server in pieces of this size. */
#define STORE_COPY_CHUNK (1u << 20)

void store_copy_real(lr_strbuf *b, double x)
{
    if (!isfinite(x))
        lr_strbuf_puts(b, "\\N");
    else
        lr_strbuf_printf(b, "%.9g", x);
}

void store_copy_text(lr_strbuf *b, const char *s)
{
    if (!s) {
        lr_strbuf_puts(b, "\\N");
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
        lr_strbuf_put(b, run, (size_t)(s - run));
        lr_strbuf_put(b, esc, 2);
        run = s + 1;
    }
    lr_strbuf_put(b, run, (size_t)(s - run));
}

void store_bytea_hex(lr_strbuf *b, const char *prefix, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    lr_strbuf_puts(b, prefix);
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        char pair[2] = {hex[*u >> 4], hex[*u & 15]};
        lr_strbuf_put(b, pair, 2);
    }
}

int store_copy_in(lr_store *st, const char *sql, const lr_strbuf *data, const char *what,
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
