/* deskew.c — the skew: searched on the reduced analysis copy (Leptonica's sweep, then binary
 * search), and undone on the full page together with the orthogonal turn in one bilinear
 * pass, white brought in and the size kept. */
#include <leptonica/allheaders.h>
#include <math.h>
#include <string.h>

#include "enhance_internal.h"

/* Binarization of the analysis copy for the skew search: its paper is normalised to
 * SKEW_BGVAL, and what is darker than SKEW_THRESHOLD is text. */
#define SKEW_BGVAL 200
#define SKEW_THRESHOLD 140
/* Leptonica's sweep step and the final step of its binary search, in degrees. */
#define SKEW_SWEEP_DELTA 1.0f
#define SKEW_MIN_BS_DELTA 0.01f
/* The sweep runs at half the analysis resolution when both sides keep at least this many
 * pixels (a count the search needs, not a length on paper). */
#define SKEW_SWEEP_HALF_MIN_SIDE 400

/* ------------------------------------------------------------------------------------------ */
/* Skew search                                                                                */

/* Text pixels of the reduced grey page (modified: its background is normalised, so uneven
 * light does not matter) for the skew search: thresholded, minus the border mask, whose
 * straight edge would pull the angle towards 0. */
static int skew_binary(PIX *grey, int dpi, PIX *border, PIX **out_bin, lr_error *err)
{
    *out_bin = NULL;
    int rc = LR_OK;
    PIX *bin = NULL;
    enh_bgmap map;
    if ((rc = enh_bgmap_measure(grey, dpi, SKEW_BGVAL, &map, err)) < 0)
        return rc;
    rc = LR_OK; /* 1: too small to measure, used as it is */
    if (map.nch && !enh_bgmap_apply(grey, &map, NULL, NULL)) {
        rc = enh_lept_failed(err, "background map", grey);
        goto done;
    }
    if (!(bin = pixThresholdToBinary(grey, SKEW_THRESHOLD))) {
        rc = enh_lept_failed(err, "pixThresholdToBinary", grey);
        goto done;
    }
    if (border)
        pixSubtract(bin, bin, border);
    *out_bin = bin;
    bin = NULL;
done:
    enh_bgmap_clear(&map);
    pixDestroy(&bin);
    return rc;
}

/* Leptonica's angle is the clockwise rotation that deskews (pixFindSkew's notes; checked by
 * tests/enhance/test_conventions.c): content turned counter-clockwise by a gives +a, which is
 * our convention unchanged. */
static void search_skew(PIX *bin, float max_deg, enh_skew *out)
{
    memset(out, 0, sizeof *out);
    l_int32 empty = 1;
    if (pixZero(bin, &empty) != 0 || empty)
        return;
    l_float32 angle = 0, conf = 0, score = 0;
    /* Sweep one step beyond the range, so an angle inside it is never "at the sweep edge". */
    float range = max_deg + SKEW_SWEEP_DELTA;
    bool large = pixGetWidth(bin) >= SKEW_SWEEP_HALF_MIN_SIDE &&
                 pixGetHeight(bin) >= SKEW_SWEEP_HALF_MIN_SIDE;
    int redsweep = large ? 2 : 1;
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

int enh_measure_skew(PIX *grey, int dpi, PIX *border, float max_deg, enh_skew *out, lr_error *err)
{
    PIX *bin = NULL;
    int rc = skew_binary(grey, dpi, border, &bin, err);
    if (rc < 0)
        return rc;
    search_skew(bin, max_deg, out);
    pixDestroy(&bin);
    return LR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Turn and deskew in one pass                                                                */

enh_affine enh_page_mapping(int orientation, float deg, int src_w, int src_h, int out_w, int out_h)
{
    double r = deg * M_PI / 180.0, ca = cos(r), sa = sin(r);
    double xc = out_w / 2, yc = out_h / 2;
    /* output -> upright: ux = xc + (x - xc) ca + (y - yc) sa,
     *                    uy = yc + (y - yc) ca - (x - xc) sa */
    enh_affine u = {ca, sa, xc - xc * ca - yc * sa, -sa, ca, yc - yc * ca + xc * sa};
    enh_affine m = u;
    switch (orientation) {
    case 90: /* upright (ux, uy) came from source (uy, h - 1 - ux) */
        m = (enh_affine){u.d, u.e, u.f, -u.a, -u.b, src_h - 1 - u.c};
        break;
    case 180: /* from (w - 1 - ux, h - 1 - uy) */
        m = (enh_affine){-u.a, -u.b, src_w - 1 - u.c, -u.d, -u.e, src_h - 1 - u.f};
        break;
    case 270: /* from (w - 1 - uy, ux) */
        m = (enh_affine){-u.d, -u.e, src_w - 1 - u.f, u.a, u.b, u.c};
        break;
    }
    return m;
}

/* Value of pix (8 or 32 bpp) at (x, y), white outside. */
static l_uint32 pixel_or_white(const l_uint32 *data, int wpl, int w, int h, int d, int64_t x,
                               int64_t y)
{
    if (x < 0 || y < 0 || x >= w || y >= h)
        return d == 8 ? ENH_WHITE8 : ENH_WHITE32;
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

/* One output row's run of n grey pixels from x on, each of whose 2 x 2 source neighbourhood
 * lies inside the source: no checks. *sx, *sy (16.16 source position of pixel x) advance by
 * n steps. */
static inline void warp_span8(const l_uint32 *sdata, int wpls, l_uint32 *lined, int x, int64_t n,
                              int64_t *sx, int64_t *sy, int64_t stepx, int64_t stepy)
{
    const l_uint8 *s8 = (const l_uint8 *)sdata;
    size_t bpl = (size_t)wpls * 4;
    for (int64_t k = 0; k < n; k++, *sx += stepx, *sy += stepy) {
        int64_t ix = *sx >> 16, iy = *sy >> 16;
        l_uint32 fx = (l_uint32)((*sx >> 8) & 0xff), fy = (l_uint32)((*sy >> 8) & 0xff);
        const l_uint8 *l0 = s8 + (size_t)iy * bpl, *l1 = l0 + bpl;
        /* bytes of a Leptonica word are stored in reverse order */
        l_uint32 v = bilinear8(l0[ix ^ 3], l0[(ix + 1) ^ 3], l1[ix ^ 3], l1[(ix + 1) ^ 3], fx, fy);
        ((l_uint8 *)lined)[(x + k) ^ 3] = (l_uint8)v;
    }
}

/* The same run for colour pixels. */
static inline void warp_span32(const l_uint32 *sdata, int wpls, l_uint32 *lined, int x, int64_t n,
                               int64_t *sx, int64_t *sy, int64_t stepx, int64_t stepy)
{
    for (int64_t k = 0; k < n; k++, *sx += stepx, *sy += stepy) {
        int64_t ix = *sx >> 16, iy = *sy >> 16;
        l_uint32 fx = (l_uint32)((*sx >> 8) & 0xff), fy = (l_uint32)((*sy >> 8) & 0xff);
        const l_uint32 *l0 = sdata + (size_t)iy * wpls, *l1 = l0 + wpls;
        lined[x + k] = bilinear32(l0[ix], l0[ix + 1], l1[ix], l1[ix + 1], fx, fy);
    }
}

/* An output pixel at source (ix + fx/256, iy + fy/256) whose neighbourhood is not all inside
 * the source: white outside, blended with the white along the edge. */
static l_uint32 warp_edge_pixel(const l_uint32 *sdata, int wpls, int w, int h, int d, int64_t ix,
                                int64_t iy, l_uint32 fx, l_uint32 fy)
{
    if (ix < -1 || iy < -1 || ix >= w || iy >= h)
        return d == 8 ? ENH_WHITE8 : ENH_WHITE32;
    l_uint32 p00 = pixel_or_white(sdata, wpls, w, h, d, ix, iy);
    l_uint32 p01 = pixel_or_white(sdata, wpls, w, h, d, ix + 1, iy);
    l_uint32 p10 = pixel_or_white(sdata, wpls, w, h, d, ix, iy + 1);
    l_uint32 p11 = pixel_or_white(sdata, wpls, w, h, d, ix + 1, iy + 1);
    return d == 8 ? bilinear8(p00, p01, p10, p11, fx, fy) : bilinear32(p00, p01, p10, p11, fx, fy);
}

/* One pass for the orthogonal turn and the deskew together: the full-size page exists once
 * less, and it is about twice as fast as Leptonica's pixRotateAM*. */
PIX *enh_warp_bilinear(PIX *src, int out_w, int out_h, const enh_affine *m)
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
            if (x >= lo && x <= hi) { /* the whole neighbourhood is inside: no checks */
                int64_t n = hi - x + 1;
                if (d == 8)
                    warp_span8(sdata, wpls, lined, x, n, &sx, &sy, stepx, stepy);
                else
                    warp_span32(sdata, wpls, lined, x, n, &sx, &sy, stepx, stepy);
                x = hi; /* the loop's increment steps sx, sy once more: undo that */
                sx -= stepx;
                sy -= stepy;
                continue;
            }
            int64_t ix = sx >> 16, iy = sy >> 16; /* arithmetic shift: floor */
            l_uint32 fx = (l_uint32)((sx >> 8) & 0xff), fy = (l_uint32)((sy >> 8) & 0xff);
            l_uint32 v = warp_edge_pixel(sdata, wpls, w, h, d, ix, iy, fx, fy);
            if (d == 8)
                SET_DATA_BYTE(lined, x, v);
            else
                lined[x] = v;
        }
    }
    return out;
}
