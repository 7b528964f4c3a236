/* runs.c — runs of ink along one axis of a 1 bpp image (runs.h). */
#include "landrec/runs.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>

/* Sets rows [from, to) of column x. */
static void set_column(l_uint32 *data, int wpl, int x, int from, int to)
{
    for (int y = from; y < to; y++)
        SET_DATA_BIT(data + (size_t)y * wpl, x);
}

/* Sets columns [from, to) of one row. */
static void set_row(l_uint32 *line, int from, int to)
{
    for (int x = from; x < to; x++)
        SET_DATA_BIT(line, x);
}

PIX *lr_pix_long_runs(PIX *pix, int len, bool down)
{
    if (!pix || pixGetDepth(pix) != 1 || len < 1)
        return NULL;
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    PIX *out = pixCreateTemplate(pix);
    if (!out)
        return NULL;
    l_uint32 *src = pixGetData(pix), *dst = pixGetData(out);
    int swpl = pixGetWpl(pix), dwpl = pixGetWpl(out);
    if (!down) {
        for (int y = 0; y < h; y++) {
            const l_uint32 *line = src + (size_t)y * swpl;
            for (int x = 0; x < w;) {
                if (!GET_DATA_BIT(line, x)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && GET_DATA_BIT(line, x))
                    x++;
                if (x - start >= len)
                    set_row(dst + (size_t)y * dwpl, start, x);
            }
        }
        return out;
    }
    /* Down the columns a row at a time: run[x] is the length of column x's run so far. */
    int *run = calloc((size_t)w + 1, sizeof *run);
    if (!run) {
        pixDestroy(&out);
        return NULL;
    }
    for (int y = 0; y <= h; y++) {
        const l_uint32 *line = y < h ? src + (size_t)y * swpl : NULL;
        for (int x = 0; x < w; x++) {
            if (line && GET_DATA_BIT(line, x)) {
                run[x]++;
            } else if (run[x]) {
                if (run[x] >= len)
                    set_column(dst, dwpl, x, y - run[x], y);
                run[x] = 0;
            }
        }
    }
    free(run);
    return out;
}
