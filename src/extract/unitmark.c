/* unitmark.c — ㎡ after an area seen in the ink (unitmark.h). */
#include "unitmark.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

#include "ink.h"

/* Most ink pieces a plain area holds (digits, a point, m, ²); more is not one. */
#define PIECES_MAX 24

typedef lr_ink_piece piece;

static int cmp_x(const void *a, const void *b)
{
    const piece *p = a, *q = b;
    return (p->x0 > q->x0) - (p->x0 < q->x0);
}

static int overlap(int a0, int a1, int b0, int b1)
{
    int lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0;
}

/* The ink's pieces in the box, left to right, specks dropped (lr_ink_pieces). Returns how
 * many, -1 when too many for a plain area. */
static int pieces(PIX *binary, int x, int y, int w, int h, piece *out)
{
    BOX *box = boxCreate(x, y, w, h);
    PIX *crop = box ? pixClipRectangle(binary, box, NULL) : NULL;
    boxDestroy(&box);
    piece p[PIECES_MAX];
    int np = crop ? lr_ink_pieces(crop, p, PIECES_MAX) : -1;
    pixDestroy(&crop);
    if (np < 0 || np > PIECES_MAX)
        return -1;
    int tallest = 0, n = 0;
    for (int i = 0; i < np; i++)
        tallest = p[i].y1 - p[i].y0 > tallest ? p[i].y1 - p[i].y0 : tallest;
    for (int i = 0; i < np; i++) {
        int pw = p[i].x1 - p[i].x0, ph = p[i].y1 - p[i].y0;
        if (8 * (pw > ph ? pw : ph) >= tallest) /* a decimal point is a sixth of a digit */
            out[n++] = p[i];
    }
    qsort(out, (size_t)n, sizeof *out, cmp_x);
    return n;
}

int lr_unitmark_m2_before(PIX *binary, int x, int y, int w, int h)
{
    if (!binary || pixGetDepth(binary) != 1 || w <= 0 || h <= 0)
        return -1;
    piece p[PIECES_MAX];
    int n = pieces(binary, x, y, w, h, p);
    if (n < 3)
        return -1;
    /* The line: the tallest piece's height and its foot (a digit's). */
    int tall = 0, base = 0;
    for (int i = 0; i < n; i++)
        if (p[i].y1 - p[i].y0 > tall) {
            tall = p[i].y1 - p[i].y0;
            base = p[i].y1;
        }
    /* ²: the small piece furthest right whose foot is above the middle of the line. */
    int sq = -1;
    for (int i = 0; i < n; i++)
        if ((p[i].y1 - p[i].y0) * 100 <= 60 * tall && (base - p[i].y1) * 100 >= 40 * tall &&
            p[i].y0 >= base - 2 * tall && (sq < 0 || p[i].x1 > p[sq].x1))
            sq = i;
    /* m: of the rest, the piece furthest right; on the line, lower than a digit, wider than
     * tall, with the ² over its right half or close after it. */
    int m = -1;
    for (int i = 0; i < n; i++)
        if (i != sq && (m < 0 || p[i].x1 > p[m].x1))
            m = i;
    if (sq < 0 || m < 0)
        return -1;
    const piece *pm = &p[m], *ps = &p[sq];
    int mh = pm->y1 - pm->y0, mw = pm->x1 - pm->x0;
    if (abs(pm->y1 - base) * 100 > 15 * tall || mh * 100 < 40 * tall || mh * 100 > 85 * tall ||
        mw * 100 < 110 * mh || 2 * ps->x0 < pm->x0 + pm->x1 ||
        (ps->x0 - pm->x1) * 100 > 60 * tall)
        return -1;
    /* The characters before the m: the other pieces, those over one another (half the
     * narrower) one character; all on the line. */
    int before = 0, last_x0 = 0, last_x1 = 0;
    for (int i = 0; i < n; i++) {
        if (i == m || i == sq)
            continue;
        if (p[i].x1 > pm->x0 + mw / 4 || abs(p[i].y1 - base) * 100 > 20 * tall)
            return -1;
        int pw = p[i].x1 - p[i].x0, lw = last_x1 - last_x0, narrower = pw < lw ? pw : lw;
        if (before == 0 || 2 * overlap(last_x0, last_x1, p[i].x0, p[i].x1) < narrower) {
            before++;
            last_x0 = p[i].x0;
            last_x1 = p[i].x1;
        } else if (p[i].x1 > last_x1) {
            last_x1 = p[i].x1;
        }
    }
    return before;
}

/* Whether c belongs to a number written in Arabic digits. */
static bool number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == ',';
}

bool lr_unitmark_fix_m2(const char *raw, int before, char *out, size_t size)
{
    if (!raw || !out || before < 1)
        return false;
    char s[64];
    size_t n = 0;
    for (const char *p = raw; *p; p++) {
        if (*p == ' ')
            continue;
        if (n + 1 >= sizeof s)
            return false;
        s[n++] = *p;
    }
    s[n] = '\0';
    /* what the models make of ㎡ after the number: m, mr, m2, m² — or a digit, or nothing */
    static const char *const tails[] = {"m\xc2\xb2", "mr", "m2", "m"};
    size_t keep = n;
    for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
        size_t tl = strlen(tails[t]);
        if (n > tl && strcmp(s + n - tl, tails[t]) == 0) {
            keep = n - tl;
            break;
        }
    }
    if (keep == n && n == (size_t)before + 1)
        keep = n - 1;
    if (keep != (size_t)before)
        return false;
    for (size_t i = 0; i < keep; i++)
        if (!number_char(s[i]))
            return false;
    if (keep + sizeof "\xe3\x8e\xa1" > size)
        return false;
    memcpy(out, s, keep);
    memcpy(out + keep, "\xe3\x8e\xa1", sizeof "\xe3\x8e\xa1");
    return true;
}
