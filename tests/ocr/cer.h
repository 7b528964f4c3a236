/* cer.h — character error rate for the OCR tests: Levenshtein distance over Unicode code
 * points (not bytes), whitespace removed from both sides, divided by the length of the
 * reference. Header-only so every test program shares one scorer; tests/ocr/test_cer.c pins
 * it to hand-counted cases so it cannot drift.
 *
 * Per-script scores (Hangul, Hanja, digits) filter both strings to that script first: a
 * Hangul syllable misread as a Hanja counts as a deletion in the Hangul score and an
 * insertion in the Hanja score.
 */
#ifndef LR_TEST_CER_H
#define LR_TEST_CER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

typedef bool (*cer_filter)(uint32_t cp);

static inline bool cer_is_space(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200b) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x3000 || c == 0xfeff;
}

/* Hangul syllables and jamo (conjoining and compatibility). */
static inline bool cer_is_hangul(uint32_t c)
{
    return (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) ||
           (c >= 0x3130 && c <= 0x318f) || (c >= 0xa960 && c <= 0xa97f) ||
           (c >= 0xd7b0 && c <= 0xd7ff);
}

/* CJK unified ideographs (with extension A and the supplementary planes) and compatibility
 * ideographs, the ones Korean land records write as Hanja. */
static inline bool cer_is_hanja(uint32_t c)
{
    return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
           (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f);
}

/* ASCII and full-width digits. */
static inline bool cer_is_digit(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0xff10 && c <= 0xff19);
}

/* Decodes UTF-8 into code points, skipping whitespace and anything filter rejects (filter
 * may be NULL). A malformed byte becomes U+FFFD, so bad output still costs an edit. Returns
 * a malloc'd array (caller frees; never NULL unless out of memory) and its length. */
static inline uint32_t *cer_decode(const char *s, cer_filter filter, size_t *out_n)
{
    *out_n = 0;
    size_t len = 0;
    while (s && s[len])
        len++;
    uint32_t *cps = malloc((len + 1) * sizeof *cps);
    if (!cps)
        return NULL;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;
    while (p < end) {
        uint32_t c = *p;
        int extra = c < 0x80             ? 0
                    : (c & 0xe0) == 0xc0 ? 1
                    : (c & 0xf0) == 0xe0 ? 2
                    : (c & 0xf8) == 0xf0 ? 3
                                         : -1;
        if (extra < 0 || end - p <= extra) {
            c = 0xfffd;
            p++;
        } else {
            c = extra ? c & (0x3f >> extra) : c;
            bool ok = true;
            for (int i = 1; i <= extra; i++) {
                if ((p[i] & 0xc0) != 0x80)
                    ok = false;
                c = (c << 6) | (p[i] & 0x3f);
            }
            if (ok) {
                p += 1 + extra;
            } else {
                c = 0xfffd;
                p++;
            }
        }
        if (cer_is_space(c) || (filter && !filter(c)))
            continue;
        cps[n++] = c;
    }
    *out_n = n;
    return cps;
}

/* Levenshtein distance (insert, delete, substitute each cost 1) between two code point
 * arrays; SIZE_MAX when out of memory. */
static inline size_t cer_levenshtein(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t *row = malloc((nb + 1) * sizeof *row);
    if (!row)
        return SIZE_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0]; /* row[i-1][j-1] */
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j]; /* row[i-1][j] */
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[nb];
    free(row);
    return d;
}

typedef struct cer_score {
    size_t edits;   /* Levenshtein distance */
    size_t ref_len; /* code points in the (filtered) reference */
    double cer;     /* edits / ref_len; 0 when both are empty, 1 per edit when ref is empty */
} cer_score;

/* Scores hyp against ref after removing whitespace and keeping only what filter accepts
 * (NULL: everything). Returns false when out of memory. */
static inline bool cer_compute(const char *ref, const char *hyp, cer_filter filter, cer_score *out)
{
    out->edits = 0;
    out->ref_len = 0;
    out->cer = 0.0;
    size_t nr, nh;
    uint32_t *r = cer_decode(ref, filter, &nr);
    uint32_t *h = cer_decode(hyp, filter, &nh);
    bool ok = r && h;
    if (ok) {
        size_t d = cer_levenshtein(r, nr, h, nh);
        ok = d != SIZE_MAX;
        out->edits = d;
        out->ref_len = nr;
        out->cer = nr ? (double)d / (double)nr : (double)d;
    }
    free(r);
    free(h);
    return ok;
}

/* CER as a plain number (1e9 when out of memory, so any ceiling check fails). */
static inline double cer(const char *ref, const char *hyp)
{
    cer_score s;
    return cer_compute(ref, hyp, NULL, &s) ? s.cer : 1e9;
}

#endif
