/* background.c — background normalisation: a map of the paper's level, measured on a reduced
 * page, and its application in place (paper to near white, red ink stays red). */
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "enhance_internal.h"

/* Background map: sampled at about this resolution (tiles of 8 x 8 pixels at 300 dpi: fine
 * enough for any lighting), where a closing this wide removes the text. */
#define BG_MAP_DPI 37.5
#define BG_CLOSE_MM 5.0
/* Bounds of the sampling step, in pixels of the page a tile. */
#define BG_MIN_REDUCTION 2
#define BG_MAX_REDUCTION 16
/* A reduced page must be this many tiles wider and taller than the closing to be measured. */
#define BG_MIN_MARGIN 2
/* Half-width, in tiles, of the mean that smooths the map (3 x 3), so that tile-to-tile steps
 * of the map do not show. */
#define BG_SMOOTH_HALF 1
/* The background may be no darker than this share of the paper (see bgmap_make). */
#define BG_FLOOR_PERCENT 60

/* Reduction at which the background map is made, about BG_MAP_DPI. */
static int background_reduction(int dpi)
{
    int red = (int)lround(dpi / BG_MAP_DPI);
    return red < BG_MIN_REDUCTION   ? BG_MIN_REDUCTION
           : red > BG_MAX_REDUCTION ? BG_MAX_REDUCTION
                                    : red;
}

/* Odd side of the closing that removes text from the reduced page. */
static int background_close_size(int dpi, int red)
{
    return enh_mm_to_px(BG_CLOSE_MM, dpi / red) | 1;
}

void enh_bgmap_clear(enh_bgmap *m)
{
    for (int c = 0; c < 3; c++)
        free(m->inv[c]);
    memset(m, 0, sizeof *m);
}

/* Inverts one channel's closed map (8 bpp) into inv: the factor that takes each tile's paper
 * to bgval, the paper floored at BG_FLOOR_PERCENT of the page's paper level. */
static void bgmap_invert(PIX *closed, int bgval, uint16_t *inv_out)
{
    int w = pixGetWidth(closed), h = pixGetHeight(closed);
    l_uint32 paper = 255;
    pixGetRankValue(closed, 1, ENH_PAPER_RANK, &paper);
    l_uint32 least = paper * BG_FLOOR_PERCENT / 100;
    if (least < 1)
        least = 1;
    const l_uint32 *data = pixGetData(closed);
    int wpl = pixGetWpl(closed);
    for (int y = 0; y < h; y++) {
        const l_uint32 *line = data + (size_t)y * wpl;
        uint16_t *inv = inv_out + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            l_uint32 v = GET_DATA_BYTE(line, x);
            inv[x] = (uint16_t)((256u * (l_uint32)bgval) / (v < least ? least : v));
        }
    }
}

/* Map of pix (8 or 32 bpp): sample every red-th pixel, close (max then min over size x size,
 * so text of any darkness, narrower than the window, is replaced by the paper around it),
 * then invert. The background may be no darker than BG_FLOOR_PERCENT of the paper level:
 * a solid dark area larger than the window (a filled seal, a photograph) keeps its darkness
 * instead of being "normalised" to paper. Returns 1, with an empty map, when pix is too
 * small to measure. */
static int bgmap_make(PIX *pix, int red, int size, int bgval, enh_bgmap *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = LR_OK;
    PIX *small = NULL, *closed = NULL;
    int d = pixGetDepth(pix);
    if (pixGetWidth(pix) / red <= size + BG_MIN_MARGIN ||
        pixGetHeight(pix) / red <= size + BG_MIN_MARGIN)
        return 1;
    out->red = red;
    out->nch = d == 32 ? 3 : 1;
    static const int colours[3] = {COLOR_RED, COLOR_GREEN, COLOR_BLUE};
    for (int c = 0; c < out->nch; c++) {
        small =
            d == 32 ? pixScaleRGBToGrayFast(pix, red, colours[c]) : pixScaleByIntSampling(pix, red);
        if (!small || !(closed = pixCloseGray(small, size, size))) {
            rc = enh_lept_failed(err, "pixCloseGray", pix);
            goto done;
        }
        PIX *smooth = pixBlockconv(closed, BG_SMOOTH_HALF, BG_SMOOTH_HALF);
        if (!smooth) {
            rc = enh_lept_failed(err, "pixBlockconv", closed);
            goto done;
        }
        pixDestroy(&closed);
        closed = smooth;
        out->w = pixGetWidth(closed);
        out->h = pixGetHeight(closed);
        if (!(out->inv[c] = malloc((size_t)out->w * out->h * sizeof *out->inv[c]))) {
            rc = enh_lept_failed(err, "background map", pix);
            goto done;
        }
        bgmap_invert(closed, bgval, out->inv[c]);
        pixDestroy(&small);
        pixDestroy(&closed);
    }
done:
    pixDestroy(&small);
    pixDestroy(&closed);
    if (rc < 0)
        enh_bgmap_clear(out);
    return rc;
}

int enh_bgmap_measure(PIX *pix, int dpi, int bgval, enh_bgmap *out, lr_error *err)
{
    int red = background_reduction(dpi);
    return bgmap_make(pix, red, background_close_size(dpi, red), bgval, out, err);
}

/* Factors for one row of tiles of the output: the map is looked up where each tile's centre
 * came from (m: output -> the page the map was made from; NULL for the same page), clamped
 * to the map. */
static void bgmap_row_factors(const enh_bgmap *bm, int ty, int ntx, const enh_affine *m,
                              uint16_t *fr, uint16_t *fg, uint16_t *fb)
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

/* The map is applied through m so that it never sees the white brought in by the rotation or
 * painted over the border: paper next to it would be measured too bright and come out grey.
 * The grey page is written in the same pass: one pass less. */
bool enh_bgmap_apply(PIX *pix, const enh_bgmap *bm, const enh_affine *m, PIX *grey)
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
