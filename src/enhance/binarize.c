/* binarize.c — the grey page to 1 bpp: Sauvola after a contrast stretch (the default), or
 * Leptonica's tiled Otsu with each tile's threshold capped below the paper. */
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdlib.h>

#include "enhance_internal.h"

/* Sauvola's contrast stretch (see contrast_lut): the ink level is the grey of this share of
 * the darkest pixels, small enough that bleed-through, paler than the ink, is not taken for
 * it (docs/enhance.md); and the stretch is at most this gain, so that a page with almost no
 * ink does not have its paper noise blown up. */
#define INK_RANK 0.005f
#define STRETCH_MAX_GAIN 2.5
/* About this many samples of the page are plenty for a half-percent rank. */
#define STRETCH_SAMPLES 1e6
/* Sauvola's dynamic range of the standard deviation: k is relative to it. */
#define SAUVOLA_R 128.0f

/* Otsu: Leptonica's least tile side, and its smoothing of the thresholds (half-width in
 * tiles: 3 x 3) and score fraction. A tile is about an inch: dpi pixels. */
#define OTSU_MIN_TILE 16
#define OTSU_SMOOTH_HALF 1
#define OTSU_SCORE_FRACTION 0.1f
/* Each tile's threshold is at most this share of the paper's grey. */
#define OTSU_CAP_PERCENT 80

/* Sauvola binarization of grey (8 bpp) with a (2 whsize + 1)² window, clipped at the page
 * edges: t = m (1 - k (1 - s / R)), black where v < t, as Leptonica's pixSauvolaBinarize,
 * on the grey values seen through lut (the contrast stretch, see contrast_lut).
 * Running column and row sums in one pass keep no full-size intermediate: Leptonica's
 * version holds about 20 bytes a pixel of accumulators (hence its tiles) and is 3 to 4
 * times slower. */
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
    const float one_minus_k = 1.0f - k, k_r = k / SAUVOLA_R;
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
            if ((float)lut[GET_DATA_BYTE(line, x)] < m * (one_minus_k + k_r * sd))
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
 * paper (ENH_PAPER_RANK) kept where it is, linear between, the gain capped at
 * STRETCH_MAX_GAIN. Sauvola's k is relative to a fixed standard deviation (SAUVOLA_R), so
 * faint ink (pale iron-gall, pencil, a washed-out copy) has too little contrast to be taken:
 * on such a page it finds about half the strokes. With the ink at 0 every page has the
 * contrast k was tuned for, and the larger k that this allows (0.5) also rejects
 * bleed-through, which stays well above the ink. */
static void contrast_lut(PIX *grey, l_uint8 lut[256])
{
    for (int v = 0; v < 256; v++)
        lut[v] = (l_uint8)v;
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    int factor = (int)sqrt((double)w * h / STRETCH_SAMPLES);
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
        if (cum >= ENH_PAPER_RANK * total)
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
    int whsize = (int)lround(o->sauvola_window_mm * dpi / ENH_MM_PER_INCH);
    int small = w < h ? w : h;
    if (whsize > (small - 1) / 2)
        whsize = (small - 1) / 2;
    if (whsize < 1) { /* a sliver of an image: a global threshold is all it can have */
        if (!(*out = pixThresholdToBinary(grey, ENH_MID_GREY)))
            return enh_lept_failed(err, "pixThresholdToBinary", grey);
        return LR_OK;
    }
    l_uint8 lut[256];
    contrast_lut(grey, lut);
    if (!(*out = sauvola(grey, whsize, o->sauvola_k, lut)))
        return enh_lept_failed(err, "pixCreate", grey);
    return LR_OK;
}

/* The 1 bpp page of grey (w x h) through Leptonica's tile thresholds th, each capped at cap. */
static void threshold_by_tile(PIX *grey, PIX *th, l_uint32 cap, PIX *bin)
{
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    /* Leptonica's tiles: nx = w / tile of width w / nx, the last one taking the rest. */
    int nx = pixGetWidth(th), ny = pixGetHeight(th);
    int tw = w / nx, tht = h / ny;
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
}

/* Tiled Otsu with each tile's threshold capped below the paper level: a tile of blank paper
 * would otherwise split its noise into black specks. */
static int binarize_otsu(PIX *grey, int dpi, PIX **out, lr_error *err)
{
    *out = NULL;
    int rc = LR_OK;
    PIX *th = NULL, *bin = NULL;
    int w = pixGetWidth(grey), h = pixGetHeight(grey);
    if (w < OTSU_MIN_TILE || h < OTSU_MIN_TILE) {
        if (!(*out = pixThresholdToBinary(grey, ENH_MID_GREY)))
            return enh_lept_failed(err, "pixThresholdToBinary", grey);
        return LR_OK;
    }
    int tile = dpi < OTSU_MIN_TILE ? OTSU_MIN_TILE : dpi;
    l_uint32 paper = 255;
    pixGetRankValue(grey, 4, ENH_PAPER_RANK, &paper);
    if (pixOtsuAdaptiveThreshold(grey, tile, tile, OTSU_SMOOTH_HALF, OTSU_SMOOTH_HALF,
                                 OTSU_SCORE_FRACTION, &th, NULL) != 0 ||
        !th) {
        rc = enh_lept_failed(err, "pixOtsuAdaptiveThreshold", grey);
        goto done;
    }
    if (!(bin = pixCreate(w, h, 1))) {
        rc = enh_lept_failed(err, "pixCreate", grey);
        goto done;
    }
    threshold_by_tile(grey, th, paper * OTSU_CAP_PERCENT / 100, bin);
    *out = bin;
    bin = NULL;
done:
    pixDestroy(&th);
    pixDestroy(&bin);
    return rc;
}

int enh_binarize(PIX *grey, int dpi, const lr_enhance_options *o, PIX **out, lr_error *err)
{
    if (o->binarize == LR_BINARIZE_OTSU)
        return binarize_otsu(grey, dpi, out, err);
    return binarize_sauvola(grey, dpi, o, out, err);
}
