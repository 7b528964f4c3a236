/* text.c — text as code points: decoding, squeezing, comparing, scripts (see text.h). */
#include "landrec/text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "landrec/marks.h"
#include "landrec/utf8.h"

size_t lr_text_decode(const char *s, uint32_t *cps, size_t max)
{
    size_t n = 0;
    const char *p = s ? s : "";
    while (*p && n < max) {
        uint32_t c;
        size_t k = lr_utf8_next(p, SIZE_MAX, &c);
        if (k == 0) {
            c = 0xFFFD;
            k = 1;
        }
        cps[n++] = c;
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

/* White space, and the marks no label or title holds. */
static bool is_noise(uint32_t c)
{
    return c <= 0x20 || c == 0x3000 || lr_marks_has(LR_MARKS_SQUEEZE, c);
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

int lr_text_edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                          uint8_t *steps, size_t *out_distance)
{
    /* Two rows of distances; strings of labels and titles fit the stack. */
    size_t stack[2 * (LR_TEXT_DISTANCE_MAX + 1)];
    size_t *prev = stack, *cur = stack + LR_TEXT_DISTANCE_MAX + 1, *heap = NULL;
    if (nb > LR_TEXT_DISTANCE_MAX) {
        if (nb >= SIZE_MAX / (2 * sizeof *heap) || !(heap = malloc(2 * (nb + 1) * sizeof *heap)))
            return LR_ERR_NOMEM;
        prev = heap;
        cur = heap + nb + 1;
    }
    size_t cols = nb + 1;
    for (size_t j = 0; j <= nb; j++) {
        prev[j] = j;
        if (steps)
            steps[j] = LR_TEXT_STEP_INS;
    }
    for (size_t i = 1; i <= na; i++) {
        uint8_t *srow = steps ? steps + i * cols : NULL;
        cur[0] = i;
        if (srow)
            srow[0] = LR_TEXT_STEP_DEL;
        for (size_t j = 1; j <= nb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            uint8_t s = LR_TEXT_STEP_DIAG;
            if (prev[j] + 1 < best) {
                best = prev[j] + 1;
                s = LR_TEXT_STEP_DEL;
            }
            if (cur[j - 1] + 1 < best) {
                best = cur[j - 1] + 1;
                s = LR_TEXT_STEP_INS;
            }
            cur[j] = best;
            if (srow)
                srow[j] = s;
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    *out_distance = prev[nb];
    free(heap);
    return LR_OK;
}

int lr_text_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t d = 0;
    /* Cut to the stack's length, lr_text_edit_distance cannot fail. */
    lr_text_edit_distance(a, na < LR_TEXT_DISTANCE_MAX ? na : LR_TEXT_DISTANCE_MAX, b,
                          nb < LR_TEXT_DISTANCE_MAX ? nb : LR_TEXT_DISTANCE_MAX, NULL, &d);
    return (int)d;
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
