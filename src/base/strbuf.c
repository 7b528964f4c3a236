/* strbuf.c — a growing string (see strbuf.h). */
#include "landrec/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first allocation: most buffers (a COPY of a page's words, an hOCR page) pass it. */
#define STRBUF_FIRST_CAP 4096

/* Room for n more bytes and the NUL; false (and failed) when there is none. */
static bool reserve(lr_strbuf *b, size_t n)
{
    if (b->failed)
        return false;
    if (n >= SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : STRBUF_FIRST_CAP;
    while (cap < need)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void lr_strbuf_put(lr_strbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lr_strbuf_puts(lr_strbuf *b, const char *s)
{
    if (s)
        lr_strbuf_put(b, s, strlen(s));
}

void lr_strbuf_putc(lr_strbuf *b, char c)
{
    lr_strbuf_put(b, &c, 1);
}

void lr_strbuf_vprintf(lr_strbuf *b, const char *fmt, va_list ap)
{
    if (b->failed)
        return;
    va_list again;
    va_copy(again, ap);
    /* Formatted straight into the room there is; when it did not fit, once more into enough. */
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
    if (n < 0) {
        b->failed = true;
    } else if ((size_t)n < room) {
        b->len += (size_t)n;
    } else if (reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void lr_strbuf_printf(lr_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lr_strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *lr_strbuf_take(lr_strbuf *b)
{
    char *s = b->failed ? NULL : b->data ? b->data : strdup("");
    if (b->failed)
        free(b->data);
    memset(b, 0, sizeof *b);
    return s;
}

void lr_strbuf_free(lr_strbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
