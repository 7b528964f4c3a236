/* utf8.c — the UTF-8 decoder, and valid UTF-8 from arbitrary bytes: display forms of paths,
 * scrubbed messages (see utf8.h). */
#include "landrec/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t lr_utf8_next(const char *s, size_t len, uint32_t *out_cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!s || len == 0)
        return 0;
    unsigned char c = u[0];
    if (c < 0x80) {
        if (out_cp)
            *out_cp = c;
        return 1;
    }
    /* The second byte's range is narrower after four leads: that is what rules out overlong
     * forms, surrogates and code points above U+10FFFF. */
    unsigned char lo = 0x80, hi = 0xbf;
    size_t n;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0fu;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        else if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07u;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* above U+10FFFF */
    } else {
        return 0; /* continuation byte, C0, C1, F5–FF */
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (u[i] < lo || u[i] > hi)
            return 0;
        cp = cp << 6 | (u[i] & 0x3fu);
        lo = 0x80;
        hi = 0xbf;
    }
    if (out_cp)
        *out_cp = cp;
    return n;
}

bool lr_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = s[i] ? lr_utf8_next(s + i, len - i, NULL) : 0;
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

static const char hexdig[] = "0123456789abcdef";

/* One step of either transformation: the bytes to write for the input at *s, into out (room
 * for 4); returns how many, and advances *s. */
static size_t step(const unsigned char **s, bool path, char out[4])
{
    const unsigned char *u = *s;
    size_t n = lr_utf8_next((const char *)u, SIZE_MAX, NULL);
    if (path && n == 1 && u[0] == '\\') {
        out[0] = out[1] = '\\';
        *s += 1;
        return 2;
    }
    if (n > 0 && !(path && n == 1 && (u[0] < 0x20 || u[0] == 0x7f))) {
        memcpy(out, u, n);
        *s += n;
        return n;
    }
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hexdig[u[0] >> 4];
    out[3] = hexdig[u[0] & 15];
    *s += 1;
    return 4;
}

/* Transforms s into buf (size > 0), stopping before a piece that does not fit; returns the
 * length written. With buf NULL, returns the length the whole result needs. */
static size_t transform(const char *s, bool path, char *buf, size_t size)
{
    const unsigned char *u = (const unsigned char *)(s ? s : "");
    size_t len = 0;
    char piece[4];
    while (*u) {
        size_t n = step(&u, path, piece);
        if (buf && len + n >= size)
            break;
        if (buf)
            memcpy(buf + len, piece, n);
        len += n;
    }
    if (buf)
        buf[len] = '\0';
    return len;
}

static char *transform_dup(const char *s, bool path)
{
    if (!s)
        return NULL;
    size_t need = transform(s, path, NULL, 0) + 1;
    char *buf = malloc(need);
    if (buf)
        transform(s, path, buf, need);
    return buf;
}

size_t lr_utf8_scrub(const char *s, char *buf, size_t size)
{
    if (!buf || size == 0)
        return 0;
    return transform(s, false, buf, size);
}

char *lr_utf8_scrub_dup(const char *s)
{
    return transform_dup(s, false);
}

char *lr_utf8_path_display(const char *path)
{
    return transform_dup(path, true);
}

const char *lr_utf8_path_show(const char *path, char *buf, size_t size)
{
    if (buf && size > 0)
        transform(path, true, buf, size);
    return buf;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int lr_utf8_hex_byte(const char *s)
{
    int hi = hex_digit(s[0]), lo = hi >= 0 ? hex_digit(s[1]) : -1;
    return lo >= 0 ? hi * 16 + lo : -1;
}

char *lr_utf8_path_raw(const char *display)
{
    if (!display)
        return NULL;
    char *out = malloc(strlen(display) + 1); /* decoding never lengthens */
    if (!out)
        return NULL;
    size_t j = 0;
    for (const char *p = display; *p;) {
        if (p[0] == '\\' && p[1] == '\\') {
            out[j++] = '\\';
            p += 2;
        } else if (p[0] == '\\' && p[1] == 'x' && lr_utf8_hex_byte(p + 2) > 0) {
            out[j++] = (char)lr_utf8_hex_byte(p + 2);
            p += 4;
        } else {
            out[j++] = *p++;
        }
    }
    out[j] = '\0';
    return out;
}
