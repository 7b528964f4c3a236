/* lines.c — the ruling lines of a page (Leptonica morphology on the binary page): runs of ink
 * longer than any character's stroke, lines that noise or a thin pen broke, and the lines
 * struck through entries, which are no ruling lines. */
#include "layout_internal.h"

#include "landrec/runs.h"

#include <stdlib.h>
#include <string.h>

/* A ruling line is a run of ink longer than any stroke of a character: a fifth of an inch
 * (about 5 mm; 60 pixels at LAYOUT_REF_DPI), and at least 30 pixels. */
#define RULING_MIN_LEN_PX 60
#define RULING_MIN_LEN_FLOOR_PX 30
/* Found lines are closed over breaks of this many bridged gaps (layout_ruling_gap). */
#define RULING_CLOSE_GAPS 3
/* A line broken into pieces shorter than that is kept when its pieces, joined, are this many
 * times as long as a line must be, which no run of characters is. */
#define BROKEN_LINE_LENGTHS 3
/* In pixels, whatever the resolution: a broken line is looked for on the page thickened by
 * 3 pixels across it (a line one or two pixels thick wanders between pixel rows), and none of
 * it is kept within 2 pixels across of a line found before (a brick of 5). */
#define BROKEN_THICKEN_PX 3
#define BROKEN_AWAY_PX 5
/* The lines counted (lr_table.nh, nv): horizontal ones of half an inch or more, vertical ones
 * of a quarter (150 and 75 pixels at LAYOUT_REF_DPI). */
#define COUNTED_HLINE_PX 150
#define COUNTED_VLINE_PX 75

/* Ink share of the bands above and below a horizontal line that makes it a strike through
 * writing rather than a ruling line. On generated sheets strikes have 0.09–0.43 on the
 * sparser side, ink all along; ruling lines of clean sheets below 0.07; pieces of a map's
 * slanted lines up to 0.09 but at one end; on noisy pages 0.05–0.14 lie beside every line
 * (hence the comparison with the page's median line in drop_strikes). */
#define STRIKE_INK 0.08
/* A strike stands out from the page's own lines: this many times the median line's ink. */
#define STRIKE_OVER_TYPICAL 3
/* Strikes run through writing all along: the line is cut in quarters, and at least this many
 * of them need ink on both sides. */
#define STRIKE_QUARTERS 4
#define STRIKE_MIN_QUARTERS 3
/* The bands looked at above and below a line: 7.5 pixels at LAYOUT_REF_DPI (about 0.6 mm)
 * and at least 4 pixels, beginning 2 pixels at LAYOUT_REF_DPI (at least 2) off the line,
 * past the pixels a ragged line strays by. */
#define STRIKE_BAND_HALF_PX 15
#define STRIKE_BAND_MIN_PX 4
#define STRIKE_OFFSET_PX 2
#define STRIKE_OFFSET_MIN_PX 2
/* Lines shorter than a third of an inch (100 pixels at LAYOUT_REF_DPI) are left alone. */
#define STRIKE_MIN_LEN_PX 100

/* Two parallel ruling lines whose clear gap is narrower than the smallest cell
 * (LAYOUT_CELL_MIN_HEIGHT_PX, about 1.7 mm) are one rule drawn double: a form's double or
 * heavy outer frame, a double rule under a head row. Their gap is filled along the length
 * they share when that is half an inch or more (150 pixels at LAYOUT_REF_DPI). Otherwise
 * the gap of a frame drawn double all round is one ring-shaped region, read as a cell
 * around the whole table: the cells no longer tile, the page is read whole instead of cell
 * by cell, and every cell's text is in the ring's too. Narrower gaps hold no cell either
 * way, so no cell found without the fill is lost. */
#define DOUBLE_RULE_GAP_PX LAYOUT_CELL_MIN_HEIGHT_PX
#define DOUBLE_RULE_MIN_LEN_PX 150

static int count_lines(PIX *mask, int minlen, bool horizontal)
{
    BOXA *b = pixConnComp(mask, NULL, 8);
    int n = 0;
    for (int i = 0; b && i < boxaGetCount(b); i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(b, i, &x, &y, &w, &h);
        if ((horizontal ? w : h) >= minlen)
            n++;
    }
    boxaDestroy(&b);
    return n;
}

/* Ink share of the band [x, x+w) × [y, y+bh) of bin, lines (of h or v) not counted. */
static double band_ink(PIX *bin, PIX *lines, int x, int y, int w, int bh)
{
    if (y < 0) {
        bh += y;
        y = 0;
    }
    if (y + bh > pixGetHeight(bin))
        bh = pixGetHeight(bin) - y;
    if (w <= 0 || bh <= 0)
        return 0;
    BOX *b = boxCreate(x, y, w, bh);
    PIX *ink = b ? pixClipRectangle(bin, b, NULL) : NULL;
    PIX *ruled = b ? pixClipRectangle(lines, b, NULL) : NULL;
    l_int32 count = 0;
    if (ink && ruled && pixSubtract(ink, ink, ruled))
        pixCountPixels(ink, &count, NULL);
    pixDestroy(&ink);
    pixDestroy(&ruled);
    boxDestroy(&b);
    return (double)count / ((double)w * bh);
}

/* Adds to *mask (made page-sized on first use) the pixels of the strike in the box
 * [x, x+w) × [y, y+hh) of h, column by column, with a pixel more above and below (its ragged
 * edge), except where a character's stroke crosses it (ink of bin on both sides): the strike
 * is taken out of what OCR reads, the characters it runs through are kept. */
static int strike_pixels(PIX *bin, PIX *h, int x, int y, int w, int hh, PIX **mask)
{
    if (!*mask && !(*mask = pixCreateTemplate(bin)))
        return -1;
    int W = pixGetWidth(bin), H = pixGetHeight(bin);
    for (int cx = x; cx < x + w && cx < W; cx++) {
        int r0 = -1, r1 = -1;
        for (int cy = y; cy < y + hh && cy < H; cy++) {
            l_uint32 on = 0;
            pixGetPixel(h, cx, cy, &on);
            if (on) {
                r0 = r0 < 0 ? cy : r0;
                r1 = cy;
            }
        }
        if (r0 < 0)
            continue;
        l_uint32 a1 = 0, a2 = 0, b1 = 0, b2 = 0;
        pixGetPixel(bin, cx, r0 - 1, &a1);
        pixGetPixel(bin, cx, r0 - 2, &a2);
        pixGetPixel(bin, cx, r1 + 1, &b1);
        pixGetPixel(bin, cx, r1 + 2, &b2);
        if (a1 && a2 && b1 && b2)
            continue; /* a stroke crosses here */
        for (int cy = r0 - 1 > 0 ? r0 - 1 : 0; cy <= r1 + 1 && cy < H; cy++)
            pixSetPixel(*mask, cx, cy, 1);
    }
    return 0;
}

/* Removes from h the lines struck through an entry: a ruling line has white on both sides
 * (writing keeps clear of it), a strike has the characters' strokes right above and right
 * below it, all along. Otherwise a struck row is cut in two where the strike reaches its
 * cells' sides, and every row below it is read one row off. On a noisy page specks lie
 * beside every line: a strike must stand out from the page's own lines too. The strikes'
 * pixels go to *struck (left NULL when there is none). */
static int drop_strikes(PIX *bin, PIX *h, PIX *v, int dpi, PIX **struck, lr_error *err)
{
    int rc = LR_OK;
    PIX *lines = pixOr(NULL, h, v);
    BOXA *comps = lines ? pixConnComp(h, NULL, 8) : NULL;
    int n = comps ? boxaGetCount(comps) : 0;
    double *beside = calloc(n ? (size_t)n : 1, sizeof *beside);
    NUMA *long_lines = numaCreate(n);
    int *spread = calloc(n ? (size_t)n : 1, sizeof *spread);
    if (!comps || !beside || !spread || !long_lines) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory finding struck entries");
        goto done;
    }
    int band = layout_max(layout_half_px(dpi, STRIKE_BAND_HALF_PX), STRIKE_BAND_MIN_PX);
    int off = layout_max(layout_px(dpi, STRIKE_OFFSET_PX), STRIKE_OFFSET_MIN_PX);
    for (int i = 0; i < n; i++) {
        l_int32 x, y, w, hh;
        boxaGetBoxGeometry(comps, i, &x, &y, &w, &hh);
        beside[i] = -1;
        if (hh > band * 2 || w < layout_px(dpi, STRIKE_MIN_LEN_PX))
            continue; /* a block of lines joined, or a short piece: left alone */
        double above = band_ink(bin, lines, x, y - off - band, w, band);
        double below = band_ink(bin, lines, x, y + hh + off, w, band);
        beside[i] = above < below ? above : below;
        numaAddNumber(long_lines, (l_float32)beside[i]);
        /* All along: a piece of a slanted line (a map's parcel edge) has the rest of the
         * line above it at one end and below it at the other. */
        for (int q = 0; q < STRIKE_QUARTERS; q++) {
            int qx = x + q * w / STRIKE_QUARTERS, qw = w / STRIKE_QUARTERS;
            spread[i] += band_ink(bin, lines, qx, y - off - band, qw, band) >= STRIKE_INK / 2 &&
                         band_ink(bin, lines, qx, y + hh + off, qw, band) >= STRIKE_INK / 2;
        }
    }
    /* The page's lines: most are ruling lines, so their median is what specks give. */
    l_float32 typical = 0;
    if (numaGetCount(long_lines) == 0 || numaGetMedian(long_lines, &typical) != 0)
        typical = 0;
    for (int i = 0; i < n; i++) {
        if (beside[i] < STRIKE_INK || beside[i] < STRIKE_OVER_TYPICAL * typical ||
            spread[i] < STRIKE_MIN_QUARTERS)
            continue;
        l_int32 x, y, w, hh;
        boxaGetBoxGeometry(comps, i, &x, &y, &w, &hh);
        if (strike_pixels(bin, h, x, y, w, hh, struck) < 0) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory taking out a strike");
            goto done;
        }
        BOX *b = boxaGetBox(comps, i, L_CLONE);
        if (b)
            pixClearInRect(h, b);
        boxDestroy(&b);
    }
done:
    numaDestroy(&long_lines);
    free(beside);
    free(spread);
    boxaDestroy(&comps);
    pixDestroy(&lines);
    return rc;
}

/* Adds to lines the ruling lines that noise, low contrast or a thin pen broke: thickened
 * across (a line one or two pixels thick wanders between pixel rows), breaks closed, and
 * kept when three times as long as a line must be, which no run of characters is. Only the
 * page's own ink of them is added, and none within two pixels across of a line found
 * before, so that such a line stays exactly as it was: a pixel more would move every cell,
 * and what OCR reads in it. */
static int add_broken_lines(PIX *bin, PIX *lines, int len, int gap, bool horizontal, lr_error *err)
{
    PIX *t = horizontal ? pixDilateBrick(NULL, bin, 1, BROKEN_THICKEN_PX)
                        : pixDilateBrick(NULL, bin, BROKEN_THICKEN_PX, 1);
    PIX *closed = t ? lr_pix_close_line(t, gap, !horizontal) : NULL;
    pixDestroy(&t);
    /* a composite brick's length: it need not be exact */
    PIX *found =
        closed ? lr_pix_open_line_comp(closed, len * BROKEN_LINE_LENGTHS, !horizontal) : NULL;
    pixDestroy(&closed);
    PIX *near = horizontal ? pixDilateBrick(NULL, lines, 1, BROKEN_AWAY_PX)
                           : pixDilateBrick(NULL, lines, BROKEN_AWAY_PX, 1);
    int rc = found && near && pixAnd(found, found, bin) && pixSubtract(found, found, near) &&
                     pixOr(lines, lines, found)
                 ? LR_OK
                 : lr_error_set(err, LR_ERR_NOMEM, "could not extract the ruling lines");
    pixDestroy(&found);
    pixDestroy(&near);
    return rc;
}

/* Fills, in lines (horizontal ones or vertical ones), the gap between two of them drawn as
 * one double rule (DOUBLE_RULE_GAP_PX) along the length they share. */
static int join_double_rules(PIX *lines, int dpi, bool horizontal, lr_error *err)
{
    int gap = layout_px(dpi, DOUBLE_RULE_GAP_PX), len = layout_px(dpi, DOUBLE_RULE_MIN_LEN_PX);
    PIX *closed = lr_pix_close_line_safe(lines, gap, horizontal);
    PIX *fill = closed ? pixSubtract(NULL, closed, lines) : NULL;
    PIX *along =
        fill ? pixSelectBySize(fill, len, len, 8, horizontal ? L_SELECT_WIDTH : L_SELECT_HEIGHT,
                               L_SELECT_IF_GTE, NULL)
             : NULL;
    int rc = along && pixOr(lines, lines, along)
                 ? LR_OK
                 : lr_error_set(err, LR_ERR_NOMEM, "could not join the double rules");
    pixDestroy(&closed);
    pixDestroy(&fill);
    pixDestroy(&along);
    return rc;
}

/* *lines closed along its lines' axis over gaps shorter than gap (pixCloseBrick's edges). */
static int close_lines(PIX **lines, int gap, bool down, lr_error *err)
{
    PIX *closed = lr_pix_close_line(*lines, gap, down);
    if (!closed)
        return lr_error_set(err, LR_ERR_NOMEM, "could not extract the ruling lines");
    pixDestroy(lines);
    *lines = closed;
    return LR_OK;
}

int layout_ruling_lines(PIX *bin, int dpi, PIX **out_mask, int *out_nh, int *out_nv, PIX **struck,
                        lr_error *err)
{
    *out_mask = NULL;
    int rc = LR_OK;
    /* The closing bridges small breaks of worn or broken lines. */
    int len = layout_max(layout_px(dpi, RULING_MIN_LEN_PX), RULING_MIN_LEN_FLOOR_PX);
    int gap = layout_ruling_gap(dpi);
    PIX *h = lr_pix_open_line_comp(bin, len, false);
    PIX *v = lr_pix_open_line_comp(bin, len, true);
    if (!h || !v || (rc = add_broken_lines(bin, h, len, gap, true, err)) < 0 ||
        (rc = add_broken_lines(bin, v, len, gap, false, err)) < 0) {
        rc = rc < 0 ? rc : lr_error_set(err, LR_ERR_NOMEM, "could not extract the ruling lines");
        goto done;
    }
    if ((rc = close_lines(&h, gap * RULING_CLOSE_GAPS, false, err)) < 0 ||
        (rc = close_lines(&v, gap * RULING_CLOSE_GAPS, true, err)) < 0 ||
        (rc = drop_strikes(bin, h, v, dpi, struck, err)) < 0 ||
        (rc = join_double_rules(h, dpi, true, err)) < 0 ||
        (rc = join_double_rules(v, dpi, false, err)) < 0)
        goto done;
    *out_nh = count_lines(h, layout_px(dpi, COUNTED_HLINE_PX), true);
    *out_nv = count_lines(v, layout_px(dpi, COUNTED_VLINE_PX), false);
    if (!(*out_mask = pixOr(NULL, h, v)))
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
done:
    pixDestroy(&h);
    pixDestroy(&v);
    return rc;
}
