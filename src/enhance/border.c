/* border.c — the dark scanner border: found as a mask on the reduced analysis copy, and
 * brought to the full page's geometry to be painted white. */
#include <leptonica/allheaders.h>
#include <math.h>

#include "enhance_internal.h"

/* Dark border: solid dark regions at least this thick that touch the edge... */
#define BORDER_SOLID_MM 2.0
/* ...or edge rows/columns darker than this fraction... */
#define BORDER_LINE_FRACTION 0.5
/* ...grown by this much to take the shadow between border and paper. */
#define BORDER_GROW_MM 1.0
/* "Dark" is darker than this share of the paper's grey, so grey-lidded and dim scans work
 * alike. */
#define BORDER_DARK_PERCENT 50
/* A page whose paper is darker than this is black: it has nothing to call a border. */
#define BORDER_MIN_PAPER 40
/* Smaller reduced copies (in pixels a side) are too small to hold a border and a page. */
#define BORDER_MIN_SIDE 8

/* How many of the n lines in counts, from the first (from_end: the last) inwards without a
 * break, hold at least min_count dark pixels each. */
static int dark_run(NUMA *counts, int n, bool from_end, double min_count)
{
    int k;
    l_int32 v;
    for (k = 0; k < n && numaGetIValue(counts, from_end ? n - 1 - k : k, &v) == 0 && v >= min_count;
         k++)
        ;
    return k;
}

/* Sets rows/columns of mask from each edge inwards while they are mostly dark in dark. */
static void mark_dark_edge_lines(PIX *dark, PIX *mask)
{
    int w = pixGetWidth(dark), h = pixGetHeight(dark);
    NUMA *rows = pixCountPixelsByRow(dark, NULL);
    NUMA *cols = pixCountPixelsByColumn(dark);
    if (!rows || !cols)
        goto done;
    int n;
    if ((n = dark_run(rows, h, false, BORDER_LINE_FRACTION * w)) > 0)
        pixRasterop(mask, 0, 0, w, n, PIX_SET, NULL, 0, 0);
    if ((n = dark_run(rows, h, true, BORDER_LINE_FRACTION * w)) > 0)
        pixRasterop(mask, 0, h - n, w, n, PIX_SET, NULL, 0, 0);
    if ((n = dark_run(cols, w, false, BORDER_LINE_FRACTION * h)) > 0)
        pixRasterop(mask, 0, 0, n, h, PIX_SET, NULL, 0, 0);
    if ((n = dark_run(cols, w, true, BORDER_LINE_FRACTION * h)) > 0)
        pixRasterop(mask, w - n, 0, n, h, PIX_SET, NULL, 0, 0);
done:
    numaDestroy(&rows);
    numaDestroy(&cols);
}

/* Dark regions thick enough to be no text stroke that touch the edge, plus mostly dark edge
 * lines, grown a little. Text, ruled lines and stamps survive: they are thin, or do not touch
 * the edge. */
int enh_find_border(PIX *grey, int dpi, PIX **out_mask, lr_error *err)
{
    *out_mask = NULL;
    int rc = LR_OK;
    PIX *dark = NULL, *solid = NULL, *seed = NULL, *mask = NULL;
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    if (w < BORDER_MIN_SIDE || h < BORDER_MIN_SIDE)
        return LR_OK;

    l_uint32 paper = 0;
    if (pixGetRankValue(grey, 2, ENH_PAPER_RANK, &paper) != 0)
        return LR_OK;
    if (paper < BORDER_MIN_PAPER)
        return LR_OK;
    if (!(dark = pixThresholdToBinary(grey, (l_int32)paper * BORDER_DARK_PERCENT / 100))) {
        rc = enh_lept_failed(err, "pixThresholdToBinary", grey);
        goto done;
    }
    int b = enh_mm_to_px(BORDER_SOLID_MM, dpi);
    if (!(solid = pixOpenBrick(NULL, dark, b, b)) || !(seed = pixCreateTemplate(solid))) {
        rc = enh_lept_failed(err, "pixOpenBrick", dark);
        goto done;
    }
    pixSetOrClearBorder(seed, 1, 1, 1, 1, PIX_SET);
    pixAnd(seed, seed, solid);
    if (!(mask = pixSeedfillBinary(NULL, seed, solid, 8))) {
        rc = enh_lept_failed(err, "pixSeedfillBinary", solid);
        goto done;
    }
    mark_dark_edge_lines(dark, mask);
    if (enh_is_empty(mask))
        goto done;
    int g = 2 * enh_mm_to_px(BORDER_GROW_MM, dpi) + 1;
    if (!pixDilateBrick(mask, mask, g, g)) {
        rc = enh_lept_failed(err, "pixDilateBrick", mask);
        goto done;
    }
    *out_mask = mask;
    mask = NULL;
done:
    pixDestroy(&dark);
    pixDestroy(&solid);
    pixDestroy(&seed);
    pixDestroy(&mask);
    return rc;
}

int enh_border_full_size(PIX *border, float rotate_deg, int w, int h, PIX **out, lr_error *err)
{
    *out = NULL;
    PIX *turned = NULL;
    if (rotate_deg != 0.0f) {
        /* What comes in from outside counts as border: it is the white the page rotation
         * brings in, so painting it is harmless, and it covers the rim of dark pixels that
         * the bilinear rotation smears along the edge. */
        turned = pixRotateBySampling(border, pixGetWidth(border) / 2, pixGetHeight(border) / 2,
                                     rotate_deg * (float)(M_PI / 180.0), L_BRING_IN_BLACK);
    } else {
        turned = pixClone(border);
    }
    if (!turned)
        return enh_lept_failed(err, "pixRotateBySampling", border);
    *out = pixScaleBinary(turned, (float)w / (float)pixGetWidth(turned),
                          (float)h / (float)pixGetHeight(turned));
    pixDestroy(&turned);
    if (!*out)
        return enh_lept_failed(err, "pixScaleBinary", border);
    return LR_OK;
}
