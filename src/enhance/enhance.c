/* enhance.c — page clean-up with Leptonica (see enhance.h and docs/enhance.md).
 *
 * lr_enhance_page, in order:
 *   1. analysis copy: grey, reduced to about 150 dpi and turned upright; on it a mask of
 *      the dark scanner border (at about 75 dpi) and a background-normalised binary copy
 *      for Leptonica's skew search (sweep, then binary search);
 *   2. background map of the page as given (per channel for colour), measured before any
 *      white is brought in;
 *   3. the page turned upright and deskewed in one bilinear pass (white brought in, size
 *      kept), or only turned (pixRotateOrth) when there is no skew to correct;
 *   4. the border mask, turned with the page, painted white;
 *   5. the background map applied in place (paper to near white, red ink stays red), the
 *      grey page made in the same pass;
 *   6. the grey page binarized (Sauvola, or tiled Otsu).
 *
 * Memory: besides the caller's page, one full-size copy (the view) plus, for colour, a
 * grey page and the 1 bpp binary; everything else is reduced or one row long.
 */
#include "landrec/enhance.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "landrec/clock.h"

/* Same range as image.h accepts; outside it the caller passed something wrong. */
#define MIN_DPI 50
#define MAX_DPI 2400

/* Analysis copy: reduced by powers of two while it stays at or above this resolution. */
#define ANALYSIS_MIN_DPI 120
#define ANALYSIS_MIN_SIDE 500
/* Binarization of the analysis copy for the skew search, after background normalisation. */
#define SKEW_BGVAL 200
#define SKEW_THRESHOLD 140
/* Leptonica's sweep step and the final step of its binary search, in degrees. */
#define SKEW_SWEEP_DELTA 1.0f
#define SKEW_MIN_BS_DELTA 0.01f
/* Below this the rotation would move no pixel by more than about 2 px on an A4 page. */
#define MIN_ROTATE_DEG 0.05f

/* Dark border: solid dark regions at least this thick that touch the edge... */
#define BORDER_SOLID_MM 2.0
/* ...or edge rows/columns darker than this fraction... */
#define BORDER_LINE_FRACTION 0.5
/* ...grown by this much to take the shadow between border and paper. */
#define BORDER_GROW_MM 1.0
/* Resolution the border mask is made at, when the analysis copy allows. */
#define BORDER_MIN_DPI 60

/* Background map: sampled at about this resolution (tiles of 8 x 8 pixels at 300 dpi: fine
 * enough for any lighting), where a closing this wide removes the text. */
#define BG_MAP_DPI 37.5
#define BG_CLOSE_MM 5.0
/* Sauvola's contrast stretch (see contrast_lut): the ink level is the grey of this share of
 * the darkest pixels (DIBCO 2009: 0.5 % gave F 90.1, 1 % 90.1, 2 % 86.0 with bleed-through
 * taken for ink), and the stretch is at most this gain (a page with almost no ink must not
 * have its paper noise blown up). */
#define INK_RANK 0.005f
#define STRETCH_MAX_GAIN 2.5

/* Ruling lines (lr_enhance_remove_lines): a straight vertical run of ink at least this long
 * and at most this wide is a line, not a character stroke. Display type can be tall: DIBCO
 * 2009 P03's black-letter title (at the 300 dpi assumed) has stems up to 17 mm tall and 1.7
 * mm wide, whose thin edges read as 9–15 mm lines at 8.5 mm (F 94.0 → 90.7). Table columns
 * span several rows, far longer. */
#define LINE_MIN_MM 20.0
#define LINE_MAX_WIDTH_MM 1.5
/* A stroke cut where it crossed a line is mended across a gap up to this long. */
#define LINE_MEND_MM 1.0

/* Paper is mapped to this value: near white, below 255 so little saturates. */
#define BG_VALUE 248
/* The background may be no darker than this share of the paper (see bgmap_make). */
#define BG_FLOOR_PERCENT 60

static int lept_failed(lr_error *err, const char *what, PIX *pix)
{
    lr_error_set(err, LR_ERR_NOMEM, "could not enhance the page");
    if (pix)
        lr_error_detail(err, "Leptonica's %s failed on a %dx%d, %d bpp image", what,
                        pixGetWidth(pix), pixGetHeight(pix), pixGetDepth(pix));
    else
        lr_error_detail(err, "Leptonica's %s failed", what);
    lr_error_hint(err, "The usual cause is memory; Leptonica's own message is logged at debug "
                       "level.");
    return LR_ERR_NOMEM;
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                    */

void lr_enhance_options_default(lr_enhance_options *out_opts)
{
    if (!out_opts)
        return;
    memset(out_opts, 0, sizeof *out_opts);
    out_opts->deskew = true;
    out_opts->max_skew_deg = 10.0f;
    out_opts->min_skew_conf = 2.0f;
    out_opts->normalize_background = true;
    out_opts->clean_border = true;
    out_opts->binarize = LR_BINARIZE_SAUVOLA;
    out_opts->sauvola_k = 0.5f;
    out_opts->sauvola_window_mm = 4;
    /* Off by default: it cut page CER on clean printed synthetic sheets only from 29.9 to 27.4 %
     * and costs ~15 ms an A5 page, which took the work other than OCR past 10 % of page time
     * (docs/benchmarks.md). */
    out_opts->remove_lines = false;
}

/* "%.2f" or "%.3f" (decimals 2 or 3) without the locale: a comma decimal separator must not
 * change the settings hash. */
static const char *fixed(float v, int decimals, char *buf, size_t size)
{
    long scale = decimals == 3 ? 1000 : 100;
    long n = lroundf(v * (float)scale);
    const char *sign = n < 0 ? "-" : "";
    n = labs(n);
    if (decimals == 3)
        snprintf(buf, size, "%s%ld.%03ld", sign, n / scale, n % scale);
    else
        snprintf(buf, size, "%s%ld.%02ld", sign, n / scale, n % scale);
    return buf;
}

void lr_enhance_options_describe(const lr_enhance_options *opts, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    lr_enhance_options defaults;
    if (!opts) {
        lr_enhance_options_default(&defaults);
        opts = &defaults;
    }
    char a[32], b[32], c[32];
    /* Bump the tag when the algorithm changes what the same options produce. */
    snprintf(buf, size,
             "enhance.v2 deskew=%d max_skew_deg=%s min_skew_conf=%s normalize_background=%d "
             "clean_border=%d binarize=%s sauvola_k=%s sauvola_window_mm=%d remove_lines=%d",
             opts->deskew ? 1 : 0, fixed(opts->max_skew_deg, 2, a, sizeof a),
             fixed(opts->min_skew_conf, 2, b, sizeof b), opts->normalize_background ? 1 : 0,
             opts->clean_border ? 1 : 0, opts->binarize == LR_BINARIZE_OTSU ? "otsu" : "sauvola",
             fixed(opts->sauvola_k, 3, c, sizeof c), opts->sauvola_window_mm,
             opts->remove_lines ? 1 : 0);
}

static int check_options(const lr_enhance_options *o, lr_error *err)
{
    if (!(o->max_skew_deg >= 0.5f && o->max_skew_deg <= 45.0f)) {
        lr_error_set(err, LR_ERR_ARG, "skew search range out of range");
        lr_error_detail(err, "max_skew_deg is %g; it must be between 0.5 and 45",
                        (double)o->max_skew_deg);
        return LR_ERR_ARG;
    }
    if (!(o->min_skew_conf >= 0.0f && o->min_skew_conf <= 1000.0f)) {
        lr_error_set(err, LR_ERR_ARG, "minimum skew confidence out of range");
        lr_error_detail(err, "min_skew_conf is %g; it must be between 0 and 1000",
                        (double)o->min_skew_conf);
        return LR_ERR_ARG;
    }
    if (o->binarize != LR_BINARIZE_SAUVOLA && o->binarize != LR_BINARIZE_OTSU) {
        lr_error_set(err, LR_ERR_ARG, "unknown binarization method");
        lr_error_detail(err, "method %d", (int)o->binarize);
        return LR_ERR_ARG;
    }
    if (!(o->sauvola_k >= 0.0f && o->sauvola_k <= 1.0f)) {
        lr_error_set(err, LR_ERR_ARG, "sauvola factor out of range");
        lr_error_detail(err, "sauvola_k is %g; it must be between 0 and 1", (double)o->sauvola_k);
        lr_error_hint(err, "Values between 0.2 and 0.6 are usual; the default is 0.5.");
        return LR_ERR_ARG;
    }
    if (o->sauvola_window_mm < 1 || o->sauvola_window_mm > 100) {
        lr_error_set(err, LR_ERR_ARG, "sauvola window out of range");
        lr_error_detail(err, "sauvola_window_mm is %d; it must be between 1 and 100",
                        o->sauvola_window_mm);
        return LR_ERR_ARG;
    }
    return LR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

/* pix as depth 1, 8 or 32 without colormap: a clone when it already is. */
static PIX *to_working_depth(PIX *pix)
{
    int d = pixGetDepth(pix);
    PIXCMAP *cmap = pixGetColormap(pix);
    if (!cmap && (d == 1 || d == 8 || d == 32))
        return pixClone(pix);
    if (cmap)
        return pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
    return pixConvertTo8(pix, FALSE); /* 2, 4 and 16 bpp grey */
}

/* Grey copy of pix (depth 1, 8 or 32, no colormap) reduced by factor (a power of 2): always
 * a new image. */
static PIX *reduce_to_grey(PIX *pix, int factor)
{
    int d = pixGetDepth(pix);
    if (d == 1) {
        switch (factor) {
        case 1:
            return pixConvert1To8(NULL, pix, 255, 0);
        case 2:
            return pixScaleToGray2(pix);
        case 4:
            return pixScaleToGray4(pix);
        case 8:
            return pixScaleToGray8(pix);
        default:
            return pixScaleToGray16(pix);
        }
    }
    PIX *cur;
    if (d == 32 && factor >= 2) { /* one pass: averaging and grey at once, alpha ignored */
        cur = pixScaleRGBToGray2(pix, L_RED_WEIGHT, L_GREEN_WEIGHT, L_BLUE_WEIGHT);
        factor /= 2;
    } else if (d == 32) {
        cur = pixConvertRGBToLuminance(pix);
    } else if (factor == 1) {
        return pixCopy(NULL, pix); /* a copy: the caller writes into it */
    } else {
        cur = pixClone(pix);
    }
    for (int f = factor; f > 1 && cur; f /= 2) {
        PIX *next = pixScaleAreaMap2(cur);
        pixDestroy(&cur);
        cur = next;
    }
    return cur;
}

/* Power of two that takes dpi to ANALYSIS_MIN_DPI or more, leaving at least
 * ANALYSIS_MIN_SIDE pixels on the short side: a small page (a receipt, a photo with a wrong
 * resolution) has too few pixels a text line for the angle when reduced further. */
static int analysis_factor(int dpi, int w, int h)
{
    int f = 1;
    while (f < 16 && dpi / (f * 2) >= ANALYSIS_MIN_DPI && w / (f * 2) >= ANALYSIS_MIN_SIDE &&
           h / (f * 2) >= ANALYSIS_MIN_SIDE)
        f *= 2;
    return f;
}

static int mm_to_px(double mm, int dpi)
{
    int px = (int)lround(mm * dpi / 25.4);
    return px < 1 ? 1 : px;
}

static bool is_empty(PIX *pix)
{
    l_int32 empty = 1;
    pixZero(pix, &empty);
    return empty != 0;
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
    l_int32 v;
    for (n = 0; n < h && numaGetIValue(rows, n, &v) == 0 && v >= BORDER_LINE_FRACTION * w; n++)
        ;
    if (n > 0)
        pixRasterop(mask, 0, 0, w, n, PIX_SET, NULL, 0, 0);
    for (n = 0; n < h && numaGetIValue(rows, h - 1 - n, &v) == 0 && v >= BORDER_LINE_FRACTION * w;
         n++)
        ;
    if (n > 0)
        pixRasterop(mask, 0, h - n, w, n, PIX_SET, NULL, 0, 0);
    for (n = 0; n < w && numaGetIValue(cols, n, &v) == 0 && v >= BORDER_LINE_FRACTION * h; n++)
        ;
    if (n > 0)
        pixRasterop(mask, 0, 0, n, h, PIX_SET, NULL, 0, 0);
    for (n = 0; n < w && numaGetIValue(cols, w - 1 - n, &v) == 0 && v >= BORDER_LINE_FRACTION * h;
         n++)
        ;
    if (n > 0)
        pixRasterop(mask, w - n, 0, n, h, PIX_SET, NULL, 0, 0);
done:
    numaDestroy(&rows);
    numaDestroy(&cols);
}

/* Mask (1 bpp, size of grey) of the dark scanner border in the reduced grey page at dpi:
 * dark regions thick enough to be no text stroke that touch the edge, plus mostly dark edge
 * lines, grown a little. *out_mask is NULL when there is none. Text, ruled lines and stamps
 * survive: they are thin, or do not touch the edge. */
static int find_border(PIX *grey, int dpi, PIX **out_mask, lr_error *err)
{
    *out_mask = NULL;
    int rc = LR_OK;
    PIX *dark = NULL, *solid = NULL, *seed = NULL, *mask = NULL;
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    if (w < 8 || h < 8)
        return LR_OK;

    /* "Dark" relative to the paper, so grey-lidded and dim scans work alike. */
    l_uint32 paper = 0;
    if (pixGetRankValue(grey, 2, 0.9f, &paper) != 0)
        return LR_OK;
    if (paper < 40)
        return LR_OK; /* a black page: nothing to call a border */
    if (!(dark = pixThresholdToBinary(grey, (l_int32)paper / 2))) {
        rc = lept_failed(err, "pixThresholdToBinary", grey);
        goto done;
    }
    int b = mm_to_px(BORDER_SOLID_MM, dpi);
    if (!(solid = pixOpenBrick(NULL, dark, b, b)) || !(seed = pixCreateTemplate(solid))) {
        rc = lept_failed(err, "pixOpenBrick", dark);
        goto done;
    }
    pixSetOrClearBorder(seed, 1, 1, 1, 1, PIX_SET);
    pixAnd(seed, seed, solid);
    if (!(mask = pixSeedfillBinary(NULL, seed, solid, 8))) {
        rc = lept_failed(err, "pixSeedfillBinary", solid);
        goto done;
    }
    mark_dark_edge_lines(dark, mask);
    if (is_empty(mask))
        goto done;
    int g = 2 * mm_to_px(BORDER_GROW_MM, dpi) + 1;
    if (!pixDilateBrick(mask, mask, g, g)) {
        rc = lept_failed(err, "pixDilateBrick", mask);
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

/* ------------------------------------------------------------------------------------------ */
/* Rotation                                                                                   */

/* Where an output pixel comes from: source x = a x + b y + c, source y = d x + e y + f. */
typedef struct affine {
    double a, b, c, d, e, f;
} affine;

/* Output (upright and deskewed, out_w x out_h) to source (the page as given, before the
 * orthogonal turn). The deskew turns clockwise by deg about the centre (w/2, h/2 in integers,
 * as pixRotateAM and pixRotateBySampling); the turn is pixRotateOrth's. */
static affine page_mapping(int orientation, float deg, int src_w, int src_h, int out_w, int out_h)
{
    double r = deg * M_PI / 180.0, ca = cos(r), sa = sin(r);
    double xc = out_w / 2, yc = out_h / 2;
    /* output -> upright: ux = xc + (x - xc) ca + (y - yc) sa,
     *                    uy = yc + (y - yc) ca - (x - xc) sa */
    affine u = {ca, sa, xc - xc * ca - yc * sa, -sa, ca, yc - yc * ca + xc * sa};
    affine m = u;
    switch (orientation) {
    case 90: /* upright (ux, uy) came from source (uy, h - 1 - ux) */
        m = (affine){u.d, u.e, u.f, -u.a, -u.b, src_h - 1 - u.c};
        break;
    case 180: /* from (w - 1 - ux, h - 1 - uy) */
        m = (affine){-u.a, -u.b, src_w - 1 - u.c, -u.d, -u.e, src_h - 1 - u.f};
        break;
    case 270: /* from (w - 1 - uy, ux) */
        m = (affine){-u.d, -u.e, src_w - 1 - u.f, u.a, u.b, u.c};
        break;
    }
    return m;
}

/* Value of pix (8 or 32 bpp) at (x, y), white outside. */
static l_uint32 pixel_or_white(const l_uint32 *data, int wpl, int w, int h, int d, int64_t x,
                               int64_t y)
{
    if (x < 0 || y < 0 || x >= w || y >= h)
        return d == 8 ? 255 : 0xffffff00;
    const l_uint32 *line = data + (size_t)y * wpl;
    return d == 8 ? GET_DATA_BYTE(line, x) : line[x];
}

/* Bilinear blend of two packed pixels, two 8-bit lanes (mask 0x00ff00ff) at a time: each
 * lane's product stays below 2^16, so lanes never carry into each other. f is 0..256. */
static inline l_uint32 lerp_lanes(l_uint32 a, l_uint32 b, l_uint32 f)
{
    return ((a * (256 - f) + b * f) >> 8) & 0x00ff00ffu;
}

static inline l_uint32 bilinear32(l_uint32 p00, l_uint32 p01, l_uint32 p10, l_uint32 p11,
                                  l_uint32 fx, l_uint32 fy)
{
    const l_uint32 m = 0x00ff00ffu;
    l_uint32 lo =
        lerp_lanes(lerp_lanes(p00 & m, p01 & m, fx), lerp_lanes(p10 & m, p11 & m, fx), fy);
    l_uint32 hi = lerp_lanes(lerp_lanes((p00 >> 8) & m, (p01 >> 8) & m, fx),
                             lerp_lanes((p10 >> 8) & m, (p11 >> 8) & m, fx), fy);
    return lo | (hi << 8);
}

static inline l_uint32 bilinear8(l_uint32 p00, l_uint32 p01, l_uint32 p10, l_uint32 p11,
                                 l_uint32 fx, l_uint32 fy)
{
    l_uint32 top = p00 * (256 - fx) + p01 * fx, bottom = p10 * (256 - fx) + p11 * fx;
    return (top * (256 - fy) + bottom * fy + 32768) >> 16;
}

/* Range [*lo, *hi] of x in [0, n) for which s0 + x * step stays within [0, limit): the
 * pixels whose 2 x 2 neighbourhood is inside the source. Shrunk by one for rounding. */
static void inside_range(int64_t s0, int64_t step, int64_t limit, int n, int *lo, int *hi)
{
    double a, b;
    if (step == 0) {
        bool in = s0 >= 0 && s0 < limit;
        *lo = in ? 0 : n;
        *hi = in ? n - 1 : -1;
        return;
    }
    a = (double)(0 - s0) / (double)step;
    b = (double)(limit - 1 - s0) / (double)step;
    if (a > b) {
        double t = a;
        a = b;
        b = t;
    }
    double l = ceil(a) + 1, h = floor(b) - 1;
    *lo = l < 0 ? 0 : l > n ? n : (int)l;
    *hi = h >= n ? n - 1 : h < -1 ? -1 : (int)h;
}

/* The page src (8 or 32 bpp) resampled bilinearly into a new out_w x out_h image through m
 * (output pixel -> source position); white where the source has nothing. One pass for the
 * orthogonal turn and the deskew together: the full-size page exists once less, and it is
 * about twice as fast as Leptonica's pixRotateAM* (52 ms for an A4 grey page). */
static PIX *warp_bilinear(PIX *src, int out_w, int out_h, const affine *m)
{
    int w = pixGetWidth(src), h = pixGetHeight(src), d = pixGetDepth(src);
    PIX *out = pixCreateNoInit(out_w, out_h, d);
    if (!out)
        return NULL;
    pixCopyResolution(out, src);
    pixCopySpp(out, src);
    const l_uint32 *sdata = pixGetData(src);
    l_uint32 *ddata = pixGetData(out);
    int wpls = pixGetWpl(src), wpld = pixGetWpl(out);
    /* 16.16 fixed point: exact increments along a row, so the inside range is exact too. */
    const int64_t stepx = llround(m->a * 65536.0), stepy = llround(m->d * 65536.0);
    for (int y = 0; y < out_h; y++) {
        int64_t sx0 = llround((m->b * y + m->c) * 65536.0);
        int64_t sy0 = llround((m->e * y + m->f) * 65536.0);
        int xlo, xhi, ylo, yhi;
        inside_range(sx0, stepx, (int64_t)(w - 1) << 16, out_w, &xlo, &xhi);
        inside_range(sy0, stepy, (int64_t)(h - 1) << 16, out_w, &ylo, &yhi);
        int lo = xlo > ylo ? xlo : ylo, hi = xhi < yhi ? xhi : yhi;
        l_uint32 *lined = ddata + (size_t)y * wpld;
        int64_t sx = sx0, sy = sy0;
        for (int x = 0; x < out_w; x++, sx += stepx, sy += stepy) {
            int64_t ix = sx >> 16, iy = sy >> 16; /* arithmetic shift: floor */
            l_uint32 fx = (l_uint32)((sx >> 8) & 0xff), fy = (l_uint32)((sy >> 8) & 0xff);
            if (x >= lo && x <= hi) { /* the whole neighbourhood is inside: no checks */
                int64_t n = hi - x + 1;
                if (d == 8) {
                    const l_uint8 *s8 = (const l_uint8 *)sdata;
                    size_t bpl = (size_t)wpls * 4;
                    for (int64_t k = 0; k < n; k++, sx += stepx, sy += stepy) {
                        ix = sx >> 16;
                        iy = sy >> 16;
                        fx = (l_uint32)((sx >> 8) & 0xff);
                        fy = (l_uint32)((sy >> 8) & 0xff);
                        const l_uint8 *l0 = s8 + (size_t)iy * bpl, *l1 = l0 + bpl;
                        /* bytes of a Leptonica word are stored in reverse order */
                        l_uint32 v = bilinear8(l0[ix ^ 3], l0[(ix + 1) ^ 3], l1[ix ^ 3],
                                               l1[(ix + 1) ^ 3], fx, fy);
                        ((l_uint8 *)lined)[(x + k) ^ 3] = (l_uint8)v;
                    }
                } else {
                    for (int64_t k = 0; k < n; k++, sx += stepx, sy += stepy) {
                        ix = sx >> 16;
                        iy = sy >> 16;
                        fx = (l_uint32)((sx >> 8) & 0xff);
                        fy = (l_uint32)((sy >> 8) & 0xff);
                        const l_uint32 *l0 = sdata + (size_t)iy * wpls, *l1 = l0 + wpls;
                        lined[x + k] = bilinear32(l0[ix], l0[ix + 1], l1[ix], l1[ix + 1], fx, fy);
                    }
                }
                x = hi; /* the loop's increment steps sx, sy once more: undo that */
                sx -= stepx;
                sy -= stepy;
                continue;
            }
            l_uint32 v;
            if (ix < -1 || iy < -1 || ix >= w || iy >= h) {
                v = d == 8 ? 255 : 0xffffff00;
            } else { /* along the edge: blend with the white outside */
                l_uint32 p00 = pixel_or_white(sdata, wpls, w, h, d, ix, iy);
                l_uint32 p01 = pixel_or_white(sdata, wpls, w, h, d, ix + 1, iy);
                l_uint32 p10 = pixel_or_white(sdata, wpls, w, h, d, ix, iy + 1);
                l_uint32 p11 = pixel_or_white(sdata, wpls, w, h, d, ix + 1, iy + 1);
                v = d == 8 ? bilinear8(p00, p01, p10, p11, fx, fy)
                           : bilinear32(p00, p01, p10, p11, fx, fy);
            }
            if (d == 8)
                SET_DATA_BYTE(lined, x, v);
            else
                lined[x] = v;
        }
    }
    return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Background normalisation                                                                   */

/* Reduction at which the background map is made, about BG_MAP_DPI. */
static int background_reduction(int dpi)
{
    int red = (int)lround(dpi / BG_MAP_DPI);
    return red < 2 ? 2 : red > 16 ? 16 : red;
}

/* Odd side of the closing that removes text from the reduced page. */
static int background_close_size(int dpi, int red)
{
    return mm_to_px(BG_CLOSE_MM, dpi / red) | 1;
}

/* Inverse background map: for each red x red tile and channel, the factor (8.8 fixed point)
 * that takes the local paper to the target value. */
typedef struct bgmap {
    int w, h, red, nch;
    uint16_t *inv[3];
} bgmap;

static void bgmap_clear(bgmap *m)
{
    for (int c = 0; c < 3; c++)
        free(m->inv[c]);
    memset(m, 0, sizeof *m);
}

/* Map of pix (8 or 32 bpp): sample every red-th pixel, close (max then min over size x size,
 * so text of any darkness, narrower than the window, is replaced by the paper around it),
 * then invert. The background may be no darker than BG_FLOOR_PERCENT of the paper level:
 * a solid dark area larger than the window (a filled seal, a photograph) keeps its darkness
 * instead of being "normalised" to paper. Returns 1, with an empty map, when pix is too
 * small to measure. */
static int bgmap_make(PIX *pix, int red, int size, int bgval, bgmap *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = LR_OK;
    PIX *small = NULL, *closed = NULL;
    int d = pixGetDepth(pix);
    if (pixGetWidth(pix) / red <= size + 2 || pixGetHeight(pix) / red <= size + 2)
        return 1;
    out->red = red;
    out->nch = d == 32 ? 3 : 1;
    static const int colours[3] = {COLOR_RED, COLOR_GREEN, COLOR_BLUE};
    for (int c = 0; c < out->nch; c++) {
        small =
            d == 32 ? pixScaleRGBToGrayFast(pix, red, colours[c]) : pixScaleByIntSampling(pix, red);
        if (!small || !(closed = pixCloseGray(small, size, size))) {
            rc = lept_failed(err, "pixCloseGray", pix);
            goto done;
        }
        /* A light blur, so that tile-to-tile steps of the map do not show. */
        PIX *smooth = pixBlockconv(closed, 1, 1);
        if (!smooth) {
            rc = lept_failed(err, "pixBlockconv", closed);
            goto done;
        }
        pixDestroy(&closed);
        closed = smooth;
        out->w = pixGetWidth(closed);
        out->h = pixGetHeight(closed);
        if (!(out->inv[c] = malloc((size_t)out->w * out->h * sizeof *out->inv[c]))) {
            rc = lept_failed(err, "background map", pix);
            goto done;
        }
        l_uint32 paper = 255;
        pixGetRankValue(closed, 1, 0.9f, &paper);
        l_uint32 floor = paper * BG_FLOOR_PERCENT / 100;
        if (floor < 1)
            floor = 1;
        const l_uint32 *data = pixGetData(closed);
        int wpl = pixGetWpl(closed);
        for (int y = 0; y < out->h; y++) {
            const l_uint32 *line = data + (size_t)y * wpl;
            uint16_t *inv = out->inv[c] + (size_t)y * out->w;
            for (int x = 0; x < out->w; x++) {
                l_uint32 v = GET_DATA_BYTE(line, x);
                inv[x] = (uint16_t)((256u * (l_uint32)bgval) / (v < floor ? floor : v));
            }
        }
        pixDestroy(&small);
        pixDestroy(&closed);
    }
done:
    pixDestroy(&small);
    pixDestroy(&closed);
    if (rc < 0)
        bgmap_clear(out);
    return rc;
}

/* Factors for one row of tiles of the output: the map is looked up where each tile's centre
 * came from (m: output -> the page the map was made from; NULL for the same page), clamped
 * to the map. */
static void bgmap_row_factors(const bgmap *bm, int ty, int ntx, const affine *m, uint16_t *fr,
                              uint16_t *fg, uint16_t *fb)
{
    double cy = ty * bm->red + bm->red / 2.0;
    for (int tx = 0; tx < ntx; tx++) {
        double cx = tx * bm->red + bm->red / 2.0, sx = cx, sy = cy;
        if (m) {
            sx = m->a * cx + m->b * cy + m->c;
            sy = m->d * cx + m->e * cy + m->f;
        }
        long mx = lround(floor(sx / bm->red)), my = lround(floor(sy / bm->red));
        mx = mx < 0 ? 0 : mx >= bm->w ? bm->w - 1 : mx;
        my = my < 0 ? 0 : my >= bm->h ? bm->h - 1 : my;
        size_t i = (size_t)my * bm->w + (size_t)mx;
        fr[tx] = bm->inv[0][i];
        if (bm->nch == 3) {
            fg[tx] = bm->inv[1][i];
            fb[tx] = bm->inv[2][i];
        }
    }
}

/* Multiplies each pixel of pix (8 or 32 bpp) in place by its background factor. m maps pix
 * to the page the map was measured on (before the turn and the deskew; NULL: that page), so
 * the map never sees the white brought in by the rotation or painted over the border (paper
 * next to it would be measured too bright and come out grey). For colour, also writes the
 * luminance of the result into grey (8 bpp, same size) when given: one pass less.
 * Returns false when out of memory. */
static bool bgmap_apply(PIX *pix, const bgmap *bm, const affine *m, PIX *grey)
{
    int w = pixGetWidth(pix), h = pixGetHeight(pix), d = pixGetDepth(pix), red = bm->red;
    int ntx = (w + red - 1) / red;
    uint16_t *f = malloc((size_t)ntx * 3 * sizeof *f);
    if (!f)
        return false;
    uint16_t *fr = f, *fg = f + ntx, *fb = f + 2 * ntx;
    l_uint32 *data = pixGetData(pix), *datag = grey ? pixGetData(grey) : NULL;
    int wpl = pixGetWpl(pix), wplg = grey ? pixGetWpl(grey) : 0;
    for (int y = 0; y < h; y++) {
        if (y % red == 0)
            bgmap_row_factors(bm, y / red, ntx, m, fr, fg, fb);
        l_uint32 *line = data + (size_t)y * wpl;
        l_uint32 *lineg = datag ? datag + (size_t)y * wplg : NULL;
        for (int tx = 0; tx < ntx; tx++) {
            int x0 = tx * red, x1 = x0 + red < w ? x0 + red : w;
            l_uint32 kr = fr[tx];
            if (d == 8) {
                for (int x = x0; x < x1; x++) {
                    l_uint32 v = (GET_DATA_BYTE(line, x) * kr) >> 8;
                    SET_DATA_BYTE(line, x, v > 255 ? 255 : v);
                }
                continue;
            }
            l_uint32 kg = fg[tx], kb = fb[tx];
            for (int x = x0; x < x1; x++) {
                l_uint32 p = line[x];
                l_uint32 r = (((p >> L_RED_SHIFT) & 0xff) * kr) >> 8;
                l_uint32 g = (((p >> L_GREEN_SHIFT) & 0xff) * kg) >> 8;
                l_uint32 b = (((p >> L_BLUE_SHIFT) & 0xff) * kb) >> 8;
                r = r > 255 ? 255 : r;
                g = g > 255 ? 255 : g;
                b = b > 255 ? 255 : b;
                line[x] =
                    (r << L_RED_SHIFT) | (g << L_GREEN_SHIFT) | (b << L_BLUE_SHIFT) | (p & 0xff);
                if (lineg) /* Leptonica's luminance weights 0.3, 0.5, 0.2 */
                    SET_DATA_BYTE(lineg, x, (77 * r + 128 * g + 51 * b) >> 8);
            }
        }
    }
    free(f);
    return true;
}

/* Text pixels of the reduced grey page (modified: its background is normalised, so uneven
 * light does not matter) for the skew search: thresholded, minus the border mask, whose
 * straight edge would pull the angle towards 0. */
static int skew_binary(PIX *grey, int dpi, PIX *border, PIX **out_bin, lr_error *err)
{
    *out_bin = NULL;
    int rc = LR_OK;
    PIX *bin = NULL;
    bgmap map;
    int red = background_reduction(dpi);
    if ((rc = bgmap_make(grey, red, background_close_size(dpi, red), SKEW_BGVAL, &map, err)) < 0)
        return rc;
    rc = LR_OK; /* 1: too small to measure, used as it is */
    if (map.nch && !bgmap_apply(grey, &map, NULL, NULL)) {
        rc = lept_failed(err, "background map", grey);
        goto done;
    }
    if (!(bin = pixThresholdToBinary(grey, SKEW_THRESHOLD))) {
        rc = lept_failed(err, "pixThresholdToBinary", grey);
        goto done;
    }
    if (border)
        pixSubtract(bin, bin, border);
    *out_bin = bin;
    bin = NULL;
done:
    bgmap_clear(&map);
    pixDestroy(&bin);
    return rc;
}

typedef struct skew_result {
    float deg;  /* convention of enhance.h */
    float conf; /* 0 when not measured */
    bool measured;
} skew_result;

/* Leptonica's angle is the clockwise rotation that deskews (pixFindSkew's notes; checked by
 * tests/enhance/test_conventions.c): content turned counter-clockwise by a gives +a, which is
 * our convention unchanged. */
static void search_skew(PIX *bin, float max_deg, skew_result *out)
{
    memset(out, 0, sizeof *out);
    l_int32 empty = 1;
    if (pixZero(bin, &empty) != 0 || empty)
        return;
    l_float32 angle = 0, conf = 0, score = 0;
    /* Sweep one step beyond the range, so an angle inside it is never "at the sweep edge". */
    float range = max_deg + SKEW_SWEEP_DELTA;
    int redsweep = pixGetWidth(bin) >= 400 && pixGetHeight(bin) >= 400 ? 2 : 1;
    if (pixFindSkewSweepAndSearchScorePivot(bin, &angle, &conf, &score, redsweep, 1, 0.0f, range,
                                            SKEW_SWEEP_DELTA, SKEW_MIN_BS_DELTA,
                                            L_SHEAR_ABOUT_CORNER) != 0)
        return;
    if (conf <= 0.0f || fabsf(angle) > max_deg)
        return;
    out->deg = angle;
    out->conf = conf;
    out->measured = true;
}

/* Reduced analysis of the (upright) page: border mask and skew. */
typedef struct analysis {
    int factor;  /* full size / analysis size */
    int adpi;    /* resolution of the analysis copy */
    int aw, ah;  /* size of the analysis copy */
    PIX *border; /* 1 bpp, at the analysis size or half of it, or NULL */
    skew_result skew;
} analysis;

static void analysis_clear(analysis *a)
{
    pixDestroy(&a->border);
    memset(a, 0, sizeof *a);
}

/* Analysis of pix turned by orientation: the reduced copy is made first and turned, which is
 * cheaper than turning the page. */
static int analyse(PIX *pix, int orientation, int dpi, float max_deg, analysis *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = LR_OK;
    PIX *grey = NULL, *half = NULL, *border = NULL, *bin = NULL;
    out->factor = analysis_factor(dpi, pixGetWidth(pix), pixGetHeight(pix));
    out->adpi = dpi / out->factor;
    if (!(grey = reduce_to_grey(pix, out->factor))) {
        rc = lept_failed(err, "reduction", pix);
        goto done;
    }
    if (orientation) {
        PIX *turned = pixRotateOrth(grey, orientation / 90);
        pixDestroy(&grey);
        if (!(grey = turned)) {
            rc = lept_failed(err, "pixRotateOrth", pix);
            goto done;
        }
    }
    out->aw = pixGetWidth(grey);
    out->ah = pixGetHeight(grey);
    /* The border is found at half the analysis resolution (about 75 dpi): plenty for a
     * mask grown by a millimetre, and four times less work. */
    if (out->adpi >= 2 * BORDER_MIN_DPI && out->aw >= 128 && out->ah >= 128) {
        if (!(half = pixScaleAreaMap2(grey))) {
            rc = lept_failed(err, "pixScaleAreaMap2", grey);
            goto done;
        }
        if ((rc = find_border(half, out->adpi / 2, &out->border, err)) < 0)
            goto done;
        if (out->border && !(border = pixExpandBinaryReplicate(out->border, 2, 2))) {
            rc = lept_failed(err, "pixExpandBinaryReplicate", out->border);
            goto done;
        }
    } else {
        if ((rc = find_border(grey, out->adpi, &out->border, err)) < 0)
            goto done;
        border = out->border ? pixClone(out->border) : NULL;
    }
    if ((rc = skew_binary(grey, out->adpi, border, &bin, err)) < 0)
        goto done;
    search_skew(bin, max_deg, &out->skew);
done:
    pixDestroy(&grey);
    pixDestroy(&half);
    pixDestroy(&border);
    pixDestroy(&bin);
    if (rc < 0)
        analysis_clear(out);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Binarization                                                                               */

/* Sauvola binarization of grey (8 bpp) with a (2 whsize + 1)² window, clipped at the page
 * edges: t = m (1 - k (1 - s / 128)), black where v < t, as Leptonica's pixSauvolaBinarize,
 * on the grey values seen through lut (the contrast stretch, see contrast_lut).
 * Running column and row sums in one pass keep no full-size intermediate: Leptonica's
 * version holds about 20 bytes a pixel of accumulators (hence its tiles) and took 3 to 4
 * times as long here. */
static PIX *sauvola(PIX *grey, int whsize, float k, const l_uint8 lut[256])
{
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    PIX *bin = NULL, *result = NULL;
    /* Column sums fit 32 bits: (2 * 16000 + 1) * 255² < 2^32 for the largest window. */
    uint32_t *cs = calloc((size_t)w, sizeof *cs), *cq = calloc((size_t)w, sizeof *cq);
    float *inv_ncols = malloc((size_t)w * sizeof *inv_ncols);
    if (!cs || !cq || !inv_ncols || !(bin = pixCreate(w, h, 1)))
        goto done;
    for (int x = 0; x < w; x++) {
        int lo = x - whsize < 0 ? 0 : x - whsize, hi = x + whsize >= w ? w - 1 : x + whsize;
        inv_ncols[x] = 1.0f / (float)(hi - lo + 1);
    }
    const l_uint32 *dg = pixGetData(grey);
    l_uint32 *db = pixGetData(bin);
    int wplg = pixGetWpl(grey), wplb = pixGetWpl(bin);
    const float one_minus_k = 1.0f - k, k_128 = k / 128.0f;
    /* Column sums start with rows 0 .. whsize - 1; row y + whsize is added on each row. */
    for (int y = 0; y < whsize && y < h; y++) {
        const l_uint32 *line = dg + (size_t)y * wplg;
        for (int x = 0; x < w; x++) {
            uint32_t v = lut[GET_DATA_BYTE(line, x)];
            cs[x] += v;
            cq[x] += v * v;
        }
    }
    for (int y = 0; y < h; y++) {
        if (y + whsize < h) {
            const l_uint32 *add = dg + (size_t)(y + whsize) * wplg;
            for (int x = 0; x < w; x++) {
                uint32_t v = lut[GET_DATA_BYTE(add, x)];
                cs[x] += v;
                cq[x] += v * v;
            }
        }
        if (y - whsize - 1 >= 0) {
            const l_uint32 *sub = dg + (size_t)(y - whsize - 1) * wplg;
            for (int x = 0; x < w; x++) {
                uint32_t v = lut[GET_DATA_BYTE(sub, x)];
                cs[x] -= v;
                cq[x] -= v * v;
            }
        }
        int ylo = y - whsize < 0 ? 0 : y - whsize, yhi = y + whsize >= h ? h - 1 : y + whsize;
        float inv_nrows = 1.0f / (float)(yhi - ylo + 1);
        uint64_t sum = 0, sq = 0;
        for (int x = 0; x < whsize && x < w; x++) {
            sum += cs[x];
            sq += cq[x];
        }
        const l_uint32 *line = dg + (size_t)y * wplg;
        l_uint32 *lineb = db + (size_t)y * wplb;
        for (int x = 0; x < w; x++) {
            if (x + whsize < w) {
                sum += cs[x + whsize];
                sq += cq[x + whsize];
            }
            if (x - whsize - 1 >= 0) {
                sum -= cs[x - whsize - 1];
                sq -= cq[x - whsize - 1];
            }
            float inv_n = inv_ncols[x] * inv_nrows;
            float m = (float)sum * inv_n;
            float var = (float)sq * inv_n - m * m;
            float sd = var > 0.0f ? sqrtf(var) : 0.0f;
            if ((float)lut[GET_DATA_BYTE(line, x)] < m * (one_minus_k + k_128 * sd))
                SET_DATA_BIT(lineb, x);
        }
    }
    result = bin;
    bin = NULL;
done:
    free(cs);
    free(cq);
    free(inv_ncols);
    pixDestroy(&bin);
    return result;
}

/* Contrast stretch for Sauvola: the darkest ink (the INK_RANK darkest pixels) to 0, the
 * paper (90th percentile) kept where it is, linear between, the gain capped at
 * STRETCH_MAX_GAIN. Sauvola's k is relative to a fixed standard deviation of 128, so faint
 * ink (pale iron-gall, pencil, a washed-out copy) has too little contrast to be taken:
 * on DIBCO 2009's faint H01 it found half the strokes (F 66.9; stretched, 89.6). With the
 * ink at 0 every page has the contrast k was tuned for, and the larger k that this allows
 * (0.5) also rejects bleed-through, which stays well above the ink. */
static void contrast_lut(PIX *grey, l_uint8 lut[256])
{
    for (int v = 0; v < 256; v++)
        lut[v] = (l_uint8)v;
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    /* about a million samples are plenty for a half-percent rank */
    int factor = (int)sqrt((double)w * h / 1e6);
    NUMA *hist = pixGetGrayHistogram(grey, factor < 1 ? 1 : factor);
    if (!hist)
        return;
    l_float32 total = 0, cum = 0, count = 0;
    numaGetSum(hist, &total);
    int ink = -1, paper = -1;
    for (int i = 0; i < 256 && paper < 0; i++) {
        numaGetFValue(hist, i, &count);
        cum += count;
        if (ink < 0 && cum >= INK_RANK * total)
            ink = i;
        if (cum >= 0.9f * total)
            paper = i;
    }
    numaDestroy(&hist);
    if (ink < 0 || paper < 0)
        return;
    double min_ink = paper - paper / STRETCH_MAX_GAIN;
    double lo = ink < min_ink ? ink : min_ink;
    if (paper <= lo + 1)
        return; /* blank or black: nothing to stretch */
    double gain = paper / (paper - lo);
    for (int v = 0; v < 256; v++) {
        double nv = (v - lo) * gain;
        lut[v] = (l_uint8)(nv < 0 ? 0 : nv > 255 ? 255 : lround(nv));
    }
}

static int binarize_sauvola(PIX *grey, int dpi, const lr_enhance_options *o, PIX **out,
                            lr_error *err)
{
    *out = NULL;
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    int whsize = (int)lround(o->sauvola_window_mm * dpi / 25.4);
    int small = w < h ? w : h;
    if (whsize > (small - 1) / 2)
        whsize = (small - 1) / 2;
    if (whsize < 1) { /* a sliver of an image: a global threshold is all it can have */
        if (!(*out = pixThresholdToBinary(grey, 128)))
            return lept_failed(err, "pixThresholdToBinary", grey);
        return LR_OK;
    }
    l_uint8 lut[256];
    contrast_lut(grey, lut);
    if (!(*out = sauvola(grey, whsize, o->sauvola_k, lut)))
        return lept_failed(err, "pixCreate", grey);
    return LR_OK;
}

/* Tiled Otsu (Leptonica's thresholds, about an inch a tile, smoothed) with each tile's
 * threshold capped below the paper level: a tile of blank paper would otherwise split its
 * noise into black specks. */
static int binarize_otsu(PIX *grey, int dpi, PIX **out, lr_error *err)
{
    *out = NULL;
    int rc = LR_OK;
    PIX *th = NULL, *bin = NULL;
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    if (w < 16 || h < 16) {
        if (!(*out = pixThresholdToBinary(grey, 128)))
            return lept_failed(err, "pixThresholdToBinary", grey);
        return LR_OK;
    }
    int tile = dpi < 16 ? 16 : dpi;
    l_uint32 paper = 255;
    pixGetRankValue(grey, 4, 0.9f, &paper);
    if (pixOtsuAdaptiveThreshold(grey, tile, tile, 1, 1, 0.1f, &th, NULL) != 0 || !th) {
        rc = lept_failed(err, "pixOtsuAdaptiveThreshold", grey);
        goto done;
    }
    if (!(bin = pixCreate(w, h, 1))) {
        rc = lept_failed(err, "pixCreate", grey);
        goto done;
    }
    /* Leptonica's tiles: nx = w / tile of width w / nx, the last one taking the rest. */
    int nx = pixGetWidth(th), ny = pixGetHeight(th);
    int tw = w / nx, tht = h / ny;
    l_uint32 cap = paper * 4 / 5;
    const l_uint32 *dg = pixGetData(grey), *dt = pixGetData(th);
    l_uint32 *db = pixGetData(bin);
    int wplg = pixGetWpl(grey), wplb = pixGetWpl(bin), wplt = pixGetWpl(th);
    for (int y = 0; y < h; y++) {
        int ty = y / tht < ny ? y / tht : ny - 1;
        const l_uint32 *lg = dg + (size_t)y * wplg, *lt = dt + (size_t)ty * wplt;
        l_uint32 *lb = db + (size_t)y * wplb;
        for (int x = 0; x < w; x++) {
            int tx = x / tw < nx ? x / tw : nx - 1;
            l_uint32 t = GET_DATA_BYTE(lt, tx);
            if (t > cap)
                t = cap;
            if (GET_DATA_BYTE(lg, x) < t)
                SET_DATA_BIT(lb, x);
        }
    }
    *out = bin;
    bin = NULL;
done:
    pixDestroy(&th);
    pixDestroy(&bin);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Public functions                                                                           */

PIX *lr_enhance_rotate_orth(PIX *pixs, int orientation)
{
    if (!pixs)
        return NULL;
    switch (orientation) {
    case 0:
        return pixCopy(NULL, pixs);
    case 90:
        return pixRotateOrth(pixs, 1); /* quads are clockwise quarter turns */
    case 180:
        return pixRotateOrth(pixs, 2);
    case 270:
        return pixRotateOrth(pixs, 3);
    default:
        return NULL;
    }
}

PIX *lr_enhance_for_detection(PIX *pixs, int dpi, int target_dpi)
{
    if (!pixs || dpi <= 0 || target_dpi <= 0)
        return NULL;
    PIX *work = NULL, *out = NULL;
    float scale = (float)target_dpi / (float)dpi;
    if (scale > 1.0f)
        scale = 1.0f;
    if (scale < 1.0f / 16)
        scale = 1.0f / 16;
    if (!(work = to_working_depth(pixs)))
        return NULL;
    int d = pixGetDepth(work);
    if (d == 1) {
        out = scale < 1.0f ? pixScaleToGray(work, scale) : pixConvert1To8(NULL, work, 255, 0);
    } else {
        PIX *scaled = scale < 1.0f ? pixScaleAreaMap(work, scale, scale) : pixClone(work);
        if (scaled && d == 32)
            out = pixConvertRGBToLuminance(scaled);
        else if (scaled)
            out = pixCopy(NULL, scaled); /* never hand back the caller's image */
        pixDestroy(&scaled);
    }
    pixDestroy(&work);
    if (out) {
        int r = (int)lroundf(dpi * scale);
        pixSetResolution(out, r, r);
    }
    return out;
}

int lr_enhance_remove_lines(PIX *bin, int dpi, PIX **out_text, int *out_nlines, lr_error *err)
{
    if (out_text)
        *out_text = NULL;
    if (out_nlines)
        *out_nlines = 0;
    int rc = LR_OK;
    PIX *text = NULL, *lines = NULL, *mend = NULL;
    if (!out_text || !bin || pixGetDepth(bin) != 1)
        return lr_error_set(err, LR_ERR_ARG, "no 1 bpp page to remove the ruling lines from");
    if (dpi < MIN_DPI || dpi > MAX_DPI) {
        lr_error_set(err, LR_ERR_ARG, "resolution out of range");
        lr_error_detail(err, "%d dpi; it must be between %d and %d", dpi, MIN_DPI, MAX_DPI);
        return LR_ERR_ARG;
    }
    if (!(text = pixCopy(NULL, bin))) {
        rc = lept_failed(err, "pixCopy", bin);
        goto done;
    }
    /* Vertical lines only. Tesseract reads them as '|', 'l' or '1' and as parts of the
     * characters they touch; the horizontal ones it does not read, but it uses them to keep
     * the rows apart: removing them too made the synthetic sheets' CER 46.7 % instead of
     * 29.9 % (cells read down the columns), removing only the vertical ones 27.6 %. Composite
     * bricks: the cost grows with the square root of the length. */
    if (!(lines = pixOpenCompBrick(NULL, bin, 1, mm_to_px(LINE_MIN_MM, dpi)))) {
        rc = lept_failed(err, "pixOpenCompBrick", bin);
        goto done;
    }
    /* A wide stroke's straight part is no line. */
    PIX *thin = pixSelectBySize(lines, mm_to_px(LINE_MAX_WIDTH_MM, dpi) + 1, 0, 8,
                                L_SELECT_WIDTH, L_SELECT_IF_LT, NULL);
    pixDestroy(&lines);
    if (!(lines = thin)) {
        rc = lept_failed(err, "pixSelectBySize", bin);
        goto done;
    }
    l_int32 n = 0;
    if (pixCountConnComp(lines, 8, &n) != 0) {
        rc = lept_failed(err, "pixCountConnComp", lines);
        goto done;
    }
    if (n > 0) {
        /* The opening keeps the line's straight core; the pixels its ragged edges stick
         * out by would stay behind as hairs. */
        if (!pixDilateBrick(lines, lines, 3, 1)) {
            rc = lept_failed(err, "pixDilateBrick", lines);
            goto done;
        }
        pixSubtract(text, text, lines);
        /* A stroke that crossed the line lost the piece inside it: a horizontal closing
         * joins the halves, painted back only inside the line, so nothing else changes and
         * ink touching the line from one side is not extended. */
        if (!(mend = pixCloseSafeBrick(NULL, text, mm_to_px(LINE_MEND_MM, dpi) + 2, 1))) {
            rc = lept_failed(err, "pixCloseSafeBrick", text);
            goto done;
        }
        pixAnd(mend, mend, lines);
        pixOr(text, text, mend);
    }
    *out_text = text;
    text = NULL;
    if (out_nlines)
        *out_nlines = n;
done:
    pixDestroy(&text);
    pixDestroy(&lines);
    pixDestroy(&mend);
    return rc;
}

int lr_enhance_find_skew(PIX *pixs, const lr_enhance_options *opts, float *out_deg, float *out_conf,
                         bool *out_found, lr_error *err)
{
    if (out_deg)
        *out_deg = 0;
    if (out_conf)
        *out_conf = 0;
    if (out_found)
        *out_found = false;
    int rc = LR_OK;
    PIX *work = NULL;
    analysis an = {0};
    lr_enhance_options defaults;
    if (!opts) {
        lr_enhance_options_default(&defaults);
        opts = &defaults;
    }
    if (!pixs)
        return lr_error_set(err, LR_ERR_ARG, "no image to measure the skew of");
    if ((rc = check_options(opts, err)) < 0)
        return rc;
    int dpi = pixGetXRes(pixs);
    if (dpi < MIN_DPI || dpi > MAX_DPI)
        dpi = 300;
    if (!(work = to_working_depth(pixs))) {
        rc = lept_failed(err, "depth conversion", pixs);
        goto done;
    }
    if ((rc = analyse(work, 0, dpi, opts->max_skew_deg, &an, err)) < 0)
        goto done;
    if (out_deg)
        *out_deg = an.skew.deg;
    if (out_conf)
        *out_conf = an.skew.conf;
    if (out_found)
        *out_found = an.skew.measured && an.skew.conf >= opts->min_skew_conf;
done:
    pixDestroy(&work);
    analysis_clear(&an);
    return rc;
}

void lr_enhanced_clear(lr_enhanced *e)
{
    if (!e)
        return;
    pixDestroy(&e->view);
    pixDestroy(&e->binary);
    pixDestroy(&e->ocr_binary);
    memset(e, 0, sizeof *e);
}

/* The border mask of the analysis copy, turned by the deskew angle and scaled to w x h. */
static int border_full_size(const analysis *an, float rotate_deg, int w, int h, PIX **out,
                            lr_error *err)
{
    *out = NULL;
    PIX *turned = NULL;
    if (rotate_deg != 0.0f) {
        /* What comes in from outside counts as border: it is the white the page rotation
         * brings in, so painting it is harmless, and it covers the rim of dark pixels that
         * the bilinear rotation smears along the edge. */
        turned = pixRotateBySampling(an->border, pixGetWidth(an->border) / 2,
                                     pixGetHeight(an->border) / 2,
                                     rotate_deg * (float)(M_PI / 180.0), L_BRING_IN_BLACK);
    } else {
        turned = pixClone(an->border);
    }
    if (!turned)
        return lept_failed(err, "pixRotateBySampling", an->border);
    *out = pixScaleBinary(turned, (float)w / (float)pixGetWidth(turned),
                          (float)h / (float)pixGetHeight(turned));
    pixDestroy(&turned);
    if (!*out)
        return lept_failed(err, "pixScaleBinary", an->border);
    return LR_OK;
}

int lr_enhance_page(PIX *pixs, int orientation, int dpi, const lr_enhance_options *opts,
                    lr_enhanced *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    int rc = LR_OK;
    PIX *src = NULL, *work = NULL, *tmp = NULL, *mask = NULL, *grey = NULL, *bin = NULL;
    PIX *ocr = NULL;
    analysis an = {0};
    bgmap map = {0};
    lr_enhance_options defaults;
    if (!opts) {
        lr_enhance_options_default(&defaults);
        opts = &defaults;
    }
    if (!out)
        return lr_error_set(err, LR_ERR_ARG, "no place for the enhanced page");
    if (!pixs)
        return lr_error_set(err, LR_ERR_ARG, "no page to enhance");
    if (orientation != 0 && orientation != 90 && orientation != 180 && orientation != 270) {
        lr_error_set(err, LR_ERR_ARG, "invalid orientation %d", orientation);
        lr_error_hint(err, "The orientation is 0, 90, 180 or 270 degrees clockwise.");
        return LR_ERR_ARG;
    }
    if (dpi < MIN_DPI || dpi > MAX_DPI) {
        lr_error_set(err, LR_ERR_ARG, "resolution out of range");
        lr_error_detail(err, "%d dpi; it must be between %d and %d", dpi, MIN_DPI, MAX_DPI);
        return LR_ERR_ARG;
    }
    if ((rc = check_options(opts, err)) < 0)
        return rc;

    /* src: the page at a depth we work with; usually a clone of the caller's page, which
     * nothing below writes into. */
    if (!(src = to_working_depth(pixs))) {
        rc = lept_failed(err, "depth conversion", pixs);
        goto done;
    }
    bool bitonal = pixGetDepth(src) == 1;
    bool swap = orientation == 90 || orientation == 270;
    int sw = pixGetWidth(src), sh = pixGetHeight(src);
    int w = swap ? sh : sw, h = swap ? sw : sh; /* upright size */

    /* 1. Border mask and skew, on a reduced grey copy turned upright. */
    double t = lr_clock_ms();
    if ((rc = analyse(src, orientation, dpi, opts->max_skew_deg, &an, err)) < 0)
        goto done;
    out->skew_deg = an.skew.deg;
    out->skew_conf = an.skew.conf;
    float rotate_deg = 0.0f;
    if (opts->deskew && an.skew.measured && an.skew.conf >= opts->min_skew_conf &&
        fabsf(an.skew.deg) >= MIN_ROTATE_DEG)
        rotate_deg = an.skew.deg;
    out->ms.skew_ms = (float)(lr_clock_ms() - t);

    /* 2. The background map is measured on the page as given, before the rotation and the
     * border paint bring in white (see bgmap_apply). */
    t = lr_clock_ms();
    if (bitonal) { /* grey, so that the rotation is anti-aliased; thresholded back in 5 */
        if (!(tmp = pixConvert1To8(NULL, src, 255, 0))) {
            rc = lept_failed(err, "pixConvert1To8", src);
            goto done;
        }
        pixDestroy(&src);
        src = tmp;
        tmp = NULL;
    } else if (opts->normalize_background) {
        int red = background_reduction(dpi);
        if ((rc = bgmap_make(src, red, background_close_size(dpi, red), BG_VALUE, &map, err)) < 0)
            goto done;
        rc = LR_OK; /* 1: too small to measure; left as it is */
    }
    out->ms.background_ms = (float)(lr_clock_ms() - t);

    /* 3. Upright and deskewed, in one pass when both are needed: turning clockwise by the
     * skew undoes it; size kept, corners brought in white. Always a new image: from here on
     * it is written into. */
    t = lr_clock_ms();
    affine m = page_mapping(orientation, rotate_deg, sw, sh, w, h);
    if (rotate_deg != 0.0f) {
        if (!(work = warp_bilinear(src, w, h, &m))) {
            rc = lept_failed(err, "pixCreate", src);
            goto done;
        }
        out->skew_applied = true;
        out->ms.deskew_ms = (float)(lr_clock_ms() - t);
    } else {
        work = orientation               ? pixRotateOrth(src, orientation / 90)
               : pixGetRefcount(src) > 1 ? pixCopy(NULL, src)
                                         : pixClone(src);
        if (!work) {
            rc = lept_failed(err, "pixRotateOrth", src);
            goto done;
        }
        out->ms.orient_ms = (float)(lr_clock_ms() - t);
    }
    pixDestroy(&src);
    if (pixGetDepth(work) == 32)
        pixSetSpp(work, 3); /* the view has no alpha */

    /* 4. Dark border to white. */
    t = lr_clock_ms();
    if (opts->clean_border && an.border) {
        if ((rc = border_full_size(&an, rotate_deg, w, h, &mask, err)) < 0)
            goto done;
        pixSetMasked(work, mask, pixGetDepth(work) == 32 ? 0xffffff00 : 255);
        out->border_found = true;
    }
    analysis_clear(&an);
    out->ms.border_ms = (float)(lr_clock_ms() - t);

    /* 5. Background, and the grey page to binarize (made in the same pass for colour). */
    t = lr_clock_ms();
    if (pixGetDepth(work) == 32 && map.nch && !(grey = pixCreate(w, h, 8))) {
        rc = lept_failed(err, "pixCreate", work);
        goto done;
    }
    if (map.nch && !bgmap_apply(work, &map, &m, grey)) {
        rc = lept_failed(err, "background map", work);
        goto done;
    }
    bgmap_clear(&map);
    if (!grey)
        grey = pixGetDepth(work) == 32 ? pixConvertRGBToLuminance(work) : pixClone(work);
    if (!grey) {
        rc = lept_failed(err, "pixConvertRGBToLuminance", work);
        goto done;
    }
    out->ms.background_ms += (float)(lr_clock_ms() - t);

    /* 6. Binarize. A bitonal page already is: the threshold only undoes the anti-aliasing. */
    t = lr_clock_ms();
    if (bitonal) {
        if (!(bin = pixThresholdToBinary(grey, 128))) {
            rc = lept_failed(err, "pixThresholdToBinary", grey);
            goto done;
        }
    } else if (opts->binarize == LR_BINARIZE_OTSU) {
        if ((rc = binarize_otsu(grey, dpi, &bin, err)) < 0)
            goto done;
    } else {
        if ((rc = binarize_sauvola(grey, dpi, opts, &bin, err)) < 0)
            goto done;
    }
    pixDestroy(&grey);
    if (mask)
        pixSubtract(bin, bin, mask);
    out->ms.binarize_ms = (float)(lr_clock_ms() - t);

    pixSetResolution(work, dpi, dpi);
    pixSetResolution(bin, dpi, dpi);

    /* 7. The page OCR reads: without the ruling lines, which Tesseract takes for parts of
     * the characters they touch. The binary keeps them: the layout finds the table in it. */
    t = lr_clock_ms();
    if (opts->remove_lines &&
        (rc = lr_enhance_remove_lines(bin, dpi, &ocr, &out->nlines, err)) < 0)
        goto done;
    if (!out->nlines) { /* nothing removed: share the binary's pixels */
        pixDestroy(&ocr);
        ocr = pixClone(bin);
    }
    if (opts->remove_lines)
        out->ms.lines_ms = (float)(lr_clock_ms() - t);

    out->view = work;
    out->binary = bin;
    out->ocr_binary = ocr;
    work = bin = ocr = NULL;
done:
    pixDestroy(&src);
    pixDestroy(&work);
    pixDestroy(&tmp);
    pixDestroy(&mask);
    pixDestroy(&grey);
    pixDestroy(&bin);
    pixDestroy(&ocr);
    analysis_clear(&an);
    bgmap_clear(&map);
    if (rc < 0) {
        pixDestroy(&out->view);
        pixDestroy(&out->binary);
        pixDestroy(&out->ocr_binary);
        memset(out, 0, sizeof *out);
    }
    return rc;
}
