/* measure.c — what the checks measure on an image (qa.h): the perceptual hash, the ink of a
 * binary page and the ink at its edges, and those of an enhanced page together. */
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/qa.h"

/* The hash's grey copy is PHASH_SIDE pixels square; its PHASH_LOW × PHASH_LOW lowest DCT
 * frequencies make the LR_QA_PHASH_BITS bits. */
#define PHASH_SIDE 128
#define PHASH_LOW 16
_Static_assert(PHASH_LOW *PHASH_LOW == LR_QA_PHASH_BITS, "one bit per coefficient kept");

/* A grey (8 bpp) copy of pix squashed to PHASH_SIDE × PHASH_SIDE; NULL on failure. */
static PIX *phash_grey(PIX *pix)
{
    PIX *grey = NULL;
    switch (pixGetDepth(pix)) {
    case 1:
        grey = pixConvert1To8(NULL, pix, 255, 0);
        break;
    case 8:
        grey = pixClone(pix);
        break;
    case 32:
        grey = pixConvertRGBToLuminance(pix);
        break;
    default:
        grey = pixConvertTo8(pix, 0);
    }
    if (!grey)
        return NULL;
    /* Area mapping (pixScaleToSize smooths when it reduces): a page's grain and a few
     * changed pixels average out before the hash sees them. */
    PIX *small = pixScaleToSize(grey, PHASH_SIDE, PHASH_SIDE);
    pixDestroy(&grey);
    return small;
}

int lr_qa_phash(PIX *pix, lr_qa_hash *out_hash, lr_error *err)
{
    if (out_hash)
        memset(out_hash, 0, sizeof *out_hash);
    if (!pix || !out_hash || pixGetWidth(pix) < 1 || pixGetHeight(pix) < 1)
        return lr_error_set(err, LR_ERR_ARG, "no image to hash");
    PIX *small = phash_grey(pix);
    if (!small || pixGetWidth(small) != PHASH_SIDE || pixGetHeight(small) != PHASH_SIDE) {
        pixDestroy(&small);
        return lr_error_set(err, LR_ERR_NOMEM, "could not reduce the page for its hash");
    }
    double(*px)[PHASH_SIDE] = malloc(sizeof(double[PHASH_SIDE][PHASH_SIDE]));
    double cosv[PHASH_LOW][PHASH_SIDE];
    if (!px) {
        pixDestroy(&small);
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory for the page's hash");
    }
    for (int y = 0; y < PHASH_SIDE; y++)
        for (int x = 0; x < PHASH_SIDE; x++) {
            l_uint32 v = 0;
            pixGetPixel(small, x, y, &v);
            px[y][x] = (double)v;
        }
    pixDestroy(&small);
    for (int u = 0; u < PHASH_LOW; u++)
        for (int x = 0; x < PHASH_SIDE; x++)
            cosv[u][x] = cos((2.0 * x + 1.0) * u * M_PI / (2.0 * PHASH_SIDE));
    /* The DCT-II, separably: rows, then columns, only for the low frequencies kept. */
    double rows[PHASH_SIDE][PHASH_LOW], coef[PHASH_LOW * PHASH_LOW];
    for (int y = 0; y < PHASH_SIDE; y++)
        for (int u = 0; u < PHASH_LOW; u++) {
            double s = 0;
            for (int x = 0; x < PHASH_SIDE; x++)
                s += px[y][x] * cosv[u][x];
            rows[y][u] = s;
        }
    free(px);
    for (int v = 0; v < PHASH_LOW; v++)
        for (int u = 0; u < PHASH_LOW; u++) {
            double s = 0;
            for (int y = 0; y < PHASH_SIDE; y++)
                s += rows[y][u] * cosv[v][y];
            coef[v * PHASH_LOW + u] = s;
        }
    /* The median of the 63 coefficients after the DC term, which only says how dark the
     * page is on average. */
    double sorted[PHASH_LOW * PHASH_LOW - 1];
    memcpy(sorted, coef + 1, sizeof sorted);
    for (size_t i = 1; i < sizeof sorted / sizeof *sorted; i++)
        for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
            double t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    double median = sorted[(sizeof sorted / sizeof *sorted) / 2];
    for (int i = 0; i < PHASH_LOW * PHASH_LOW; i++)
        if (coef[i] > median)
            out_hash->w[i / 64] |= (uint64_t)1 << (i % 64);
    return LR_OK;
}

int lr_qa_hamming(const lr_qa_hash *a, const lr_qa_hash *b)
{
    int d = 0;
    for (size_t i = 0; i < sizeof a->w / sizeof *a->w; i++)
        d += __builtin_popcountll(a->w[i] ^ b->w[i]);
    return d;
}

void lr_qa_hash_hex(const lr_qa_hash *h, char out[LR_QA_PHASH_BITS / 4 + 1])
{
    for (size_t i = 0; i < sizeof h->w / sizeof *h->w; i++)
        snprintf(out + 16 * i, 17, "%016llx", (unsigned long long)h->w[i]);
}

bool lr_qa_hash_parse(const char *hex, lr_qa_hash *out)
{
    memset(out, 0, sizeof *out);
    if (!hex || strlen(hex) != LR_QA_PHASH_BITS / 4 ||
        strspn(hex, "0123456789abcdef") != LR_QA_PHASH_BITS / 4)
        return false;
    for (size_t i = 0; i < sizeof out->w / sizeof *out->w; i++) {
        char word[17];
        memcpy(word, hex + 16 * i, 16);
        word[16] = 0;
        out->w[i] = strtoull(word, NULL, 16);
    }
    return true;
}

float lr_qa_ink(PIX *bin)
{
    l_int32 n = 0;
    if (!bin || pixGetDepth(bin) != 1 || pixCountPixels(bin, &n, NULL) != 0)
        return -1.0f;
    double area = (double)pixGetWidth(bin) * pixGetHeight(bin);
    return area > 0 ? (float)(n / area) : -1.0f;
}

/* Fraction of the positions along one edge (a horizontal strip when horizontal, else a
 * vertical one, band pixels deep) that have ink in the strip. */
static float edge_fraction(PIX *bin, int x, int y, int w, int h, bool horizontal)
{
    BOX *box = boxCreate(x, y, w, h);
    PIX *strip = box ? pixClipRectangle(bin, box, NULL) : NULL;
    boxDestroy(&box);
    if (!strip)
        return 0;
    /* Each position along the edge: its line across the strip has ink or not. */
    NUMA *counts = horizontal ? pixCountPixelsByColumn(strip) : pixCountPixelsByRow(strip, NULL);
    pixDestroy(&strip);
    if (!counts)
        return 0;
    int n = numaGetCount(counts), touched = 0;
    for (int i = 0; i < n; i++) {
        l_float32 c = 0;
        numaGetFValue(counts, i, &c);
        touched += c > 0;
    }
    numaDestroy(&counts);
    return n > 0 ? (float)touched / n : 0;
}

float lr_qa_edge_ink(PIX *bin, int dpi, lr_qa_edge *out_edge)
{
    if (out_edge)
        *out_edge = LR_QA_EDGE_NONE;
    if (!bin || pixGetDepth(bin) != 1 || dpi < 50 || dpi > 2400)
        return -1.0f;
    int w = pixGetWidth(bin), h = pixGetHeight(bin);
    int band = (int)lroundf(LR_QA_EDGE_BAND_MM * dpi / 25.4f);
    if (band < 1)
        band = 1;
    if (band > w / 4 || band > h / 4)
        return -1.0f;
    const float f[4] = {
        edge_fraction(bin, 0, 0, w, band, true),
        edge_fraction(bin, 0, h - band, w, band, true),
        edge_fraction(bin, 0, 0, band, h, false),
        edge_fraction(bin, w - band, 0, band, h, false),
    };
    const lr_qa_edge names[4] = {LR_QA_EDGE_TOP, LR_QA_EDGE_BOTTOM, LR_QA_EDGE_LEFT,
                                 LR_QA_EDGE_RIGHT};
    float best = 0;
    for (int i = 0; i < 4; i++)
        if (f[i] > best) {
            best = f[i];
            if (out_edge)
                *out_edge = names[i];
        }
    return best;
}

const char *lr_qa_edge_name(lr_qa_edge e)
{
    switch (e) {
    case LR_QA_EDGE_TOP:
        return "top";
    case LR_QA_EDGE_BOTTOM:
        return "bottom";
    case LR_QA_EDGE_LEFT:
        return "left";
    case LR_QA_EDGE_RIGHT:
        return "right";
    default:
        return NULL;
    }
}

int lr_qa_measure(const lr_enhanced *e, int dpi, lr_qa_measures *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!e || !e->view || !e->binary)
        return lr_error_set(err, LR_ERR_ARG, "no enhanced page to measure");
    out->ink = lr_qa_ink(e->binary);
    out->edge_ink = lr_qa_edge_ink(e->binary, dpi, &out->edge);
    if (out->ink < 0 || out->edge_ink < 0)
        return lr_error_set(err, LR_ERR_ARG, "the binary page cannot be measured");
    /* The binary page, not the view: a sheet scanned in grey, in colour or in 1 bit is
     * binarised alike, where the views differ in tone enough to move the hash. */
    int rc = lr_qa_phash(e->binary, &out->phash, err);
    if (rc < 0)
        return rc;
    lr_enhance_options so;
    lr_enhance_options_default(&so);
    so.max_skew_deg = LR_QA_SKEW_RANGE_DEG;
    bool found = false;
    float deg = 0, conf = 0;
    if ((rc = lr_enhance_find_skew(e->view, &so, &deg, &conf, &found, err)) < 0)
        return rc;
    /* An angle the estimator is not sure of is no residual skew: a page without lines of
     * text (a blank, a sparse map) gives it one at random. */
    out->residual_skew_deg = found ? deg : 0;
    out->residual_skew_conf = found ? conf : 0;
    return LR_OK;
}
