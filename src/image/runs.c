/* runs.c — openings and closings by a line, from the runs of ink (runs.h). */
#include "landrec/runs.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>

/* What is done with the runs along one axis. */
typedef enum run_op {
    KEEP_LONG_RUNS, /* keep the runs of ink at least len long */
    FILL_SHORT_GAPS /* add the gaps shorter than len between two runs */
} run_op;

/* A word's bit for pixel x (Leptonica keeps the leftmost pixel in the most significant bit). */
#define BIT(x) (0x80000000u >> ((x) & 31))

/* The first pixel in [x, w) of line whose ink is on, w when there is none. */
static int next_pixel(const l_uint32 *line, int x, int w, bool on)
{
    while (x < w) {
        int j = x >> 5;
        l_uint32 word = (on ? line[j] : ~line[j]) & (0xffffffffu >> (x & 31));
        if (word) {
            int found = (j << 5) + __builtin_clz(word);
            return found < w ? found : w;
        }
        x = (j + 1) << 5;
    }
    return w;
}

/* Sets pixels [from, to) of a row. */
static void set_row_span(l_uint32 *line, int from, int to)
{
    for (int x = from; x < to; x++)
        line[x >> 5] |= BIT(x);
}

/* Sets rows [from, to) of column x. */
static void set_column_span(l_uint32 *data, int wpl, int x, int from, int to)
{
    for (int y = from; y < to; y++)
        data[(size_t)y * wpl + (x >> 5)] |= BIT(x);
}

/* Along the rows: each row's runs found a word at a time. */
static void scan_rows(const l_uint32 *src, int swpl, l_uint32 *dst, int dwpl, int w, int h,
                      int len, run_op op)
{
    for (int y = 0; y < h; y++) {
        const l_uint32 *line = src + (size_t)y * swpl;
        l_uint32 *out = dst + (size_t)y * dwpl;
        int end_before = -1;
        for (int x = 0;;) {
            int s = next_pixel(line, x, w, true);
            if (s >= w)
                break;
            int e = next_pixel(line, s, w, false);
            if (op == KEEP_LONG_RUNS && e - s >= len)
                set_row_span(out, s, e);
            else if (op == FILL_SHORT_GAPS && end_before >= 0 && s - end_before < len)
                set_row_span(out, end_before, s);
            end_before = e;
            x = e;
        }
    }
}

/* Down the columns, a row of words at a time so that memory is read in order: only the
 * columns whose ink begins or ends on a row (keeping runs), or that hold ink on it (filling
 * gaps), are visited. at[x] is where column x's current run began (keeping) or its last ink
 * (filling, -1 before any); open[j] the columns of word j inside a run. */
static int scan_columns(const l_uint32 *src, int swpl, l_uint32 *dst, int dwpl, int w, int h,
                        int len, run_op op)
{
    int words = (w + 31) >> 5;
    int *at = malloc((size_t)w * sizeof *at);
    l_uint32 *open = calloc((size_t)words, sizeof *open);
    if (!at || !open) {
        free(at);
        free(open);
        return -1;
    }
    for (int x = 0; x < w; x++)
        at[x] = -1;
    l_uint32 last_mask = w & 31 ? ~(0xffffffffu >> (w & 31)) : 0xffffffffu;
    /* One row past the last, of no ink, ends the runs still open. */
    for (int y = 0; y <= h; y++) {
        for (int j = 0; j < words; j++) {
            l_uint32 word = y < h ? src[(size_t)y * swpl + j] : 0;
            if (j == words - 1)
                word &= last_mask;
            l_uint32 visit = op == KEEP_LONG_RUNS ? word ^ open[j] : word;
            while (visit) {
                int b = __builtin_clz(visit), x = (j << 5) + b;
                visit &= ~BIT(b);
                if (op == FILL_SHORT_GAPS) {
                    if (at[x] >= 0 && y - at[x] > 1 && y - at[x] - 1 < len)
                        set_column_span(dst, dwpl, x, at[x] + 1, y);
                    at[x] = y;
                } else if (word & BIT(b)) {
                    at[x] = y;
                } else if (y - at[x] >= len) {
                    set_column_span(dst, dwpl, x, at[x], y);
                }
            }
            open[j] = word;
        }
    }
    free(at);
    free(open);
    return 0;
}

/* The op along the axis into a new image: the kept runs alone, or pix with the gaps filled. */
static PIX *scan(PIX *pix, int len, bool down, run_op op)
{
    if (!pix || pixGetDepth(pix) != 1 || len < 1)
        return NULL;
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    PIX *out = op == FILL_SHORT_GAPS ? pixCopy(NULL, pix) : pixCreateTemplate(pix);
    if (!out)
        return NULL;
    const l_uint32 *src = pixGetData(pix);
    l_uint32 *dst = pixGetData(out);
    int swpl = pixGetWpl(pix), dwpl = pixGetWpl(out);
    if (!down)
        scan_rows(src, swpl, dst, dwpl, w, h, len, op);
    else if (scan_columns(src, swpl, dst, dwpl, w, h, len, op) < 0)
        pixDestroy(&out);
    return out;
}

PIX *lr_pix_open_line(PIX *pix, int len, bool down)
{
    return scan(pix, len, down, KEEP_LONG_RUNS);
}

PIX *lr_pix_open_line_comp(PIX *pix, int len, bool down)
{
    l_int32 f1 = len, f2 = 1;
    if (len > 1 && selectComposableSizes(len, &f1, &f2) != 0)
        return NULL;
    return scan(pix, f1 * f2, down, KEEP_LONG_RUNS);
}

PIX *lr_pix_close_line_safe(PIX *pix, int len, bool down)
{
    return scan(pix, len, down, FILL_SHORT_GAPS);
}

PIX *lr_pix_close_line(PIX *pix, int len, bool down)
{
    PIX *out = scan(pix, len, down, FILL_SHORT_GAPS);
    if (!out)
        return NULL;
    int w = pixGetWidth(out), h = pixGetHeight(out), before = len / 2, after = len - 1 - len / 2;
    if (down) {
        pixRasterop(out, 0, 0, w, before, PIX_CLR, NULL, 0, 0);
        pixRasterop(out, 0, h - after, w, after, PIX_CLR, NULL, 0, 0);
    } else {
        pixRasterop(out, 0, 0, before, h, PIX_CLR, NULL, 0, 0);
        pixRasterop(out, w - after, 0, after, h, PIX_CLR, NULL, 0, 0);
    }
    return out;
}
