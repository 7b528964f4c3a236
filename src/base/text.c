/* text.c — UTF-8 helpers (see text.h). */
#include "landrec/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t lr_text_decode(const char *s, uint32_t *cps, size_t max)
{
    size_t n = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(s ? s : "");
    while (*p && n < max) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, -1, &c);
        if (k <= 0) {
            c = 0xFFFD;
            k = 1;
        }
        cps[n++] = (uint32_t)c;
        p += k;
    }
    return n;
}

bool lr_text_put(char *buf, size_t size, uint32_t c)
{
    size_t len = strlen(buf);
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)c, tmp);
    if (k <= 0 || len + (size_t)k + 1 > size)
        return false;
    memcpy(buf + len, tmp, (size_t)k);
    buf[len + (size_t)k] = '\0';
    return true;
}

static bool is_noise(uint32_t c)
{
    if (c <= 0x20 || c == 0x3000 || c == 0xFFFD)
        return true;
    if (c < 128)
        return strchr(".,:;'\"|_()[]`~!*", (int)c) != NULL;
    switch (c) {
    case 0xB7: case 0x30FB: case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x3001:
    case 0x3002:
        return true;
    default:
        return false;
    }
}

size_t lr_text_squeeze(const char *s, uint32_t *cps, size_t max)
{
    uint32_t tmp[256];
    size_t n = lr_text_decode(s, tmp, 256), m = 0;
    for (size_t i = 0; i < n && m < max; i++)
        if (!is_noise(tmp[i]))
            cps[m++] = tmp[i];
    return m;
}

int lr_text_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (na > 64)
        na = 64;
    if (nb > 64)
        nb = 64;
    int prev[65], cur[65];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof(int) * (nb + 1));
    }
    return prev[nb];
}

bool lr_text_contains(const uint32_t *hay, size_t nh, const uint32_t *needle, size_t n)
{
    if (n == 0 || n > nh)
        return false;
    for (size_t i = 0; i + n <= nh; i++)
        if (memcmp(hay + i, needle, n * sizeof *needle) == 0)
            return true;
    return false;
}

char *lr_text_nfc(const char *s)
{
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)(s ? s : ""));
    if (!nfc)
        return NULL;
    /* Collapse white space in place: OCR joins words with single spaces, but cells re-read
     * line by line bring newlines. */
    char *r = (char *)nfc, *w = r;
    bool space = false;
    for (char *p = r; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = w != r;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *p;
    }
    *w = '\0';
    return r;
}

bool lr_text_is_hanja(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF);
}

bool lr_text_is_hangul(uint32_t c)
{
    return c >= 0xAC00 && c <= 0xD7A3;
}

void lr_text_scripts(const char *s, int *hanja, int *hangul)
{
    uint32_t c[256];
    size_t n = lr_text_decode(s, c, 256);
    *hanja = *hangul = 0;
    for (size_t i = 0; i < n; i++) {
        *hanja += lr_text_is_hanja(c[i]);
        *hangul += lr_text_is_hangul(c[i]);
    }
}
