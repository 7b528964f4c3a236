/* enh_test.h — helpers the enhance tests share: reading the committed sample pages the way
 * the image module hands them over, the truth table, and image comparisons. */
#ifndef ENH_TEST_H
#define ENH_TEST_H

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lr_test.h"

/* Directory of the shared real data (may be absent). */
static inline const char *enh_realdata_dir(void)
{
    const char *d = getenv("LR_REALDATA");
    return d ? d : "../shared/realdata";
}

static inline bool enh_file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

/* True when every pixel of a 32 bpp image has r == g == b. */
static inline bool enh_is_grey_rgb(PIX *pix)
{
    int w = pixGetWidth(pix), h = pixGetHeight(pix), wpl = pixGetWpl(pix);
    const l_uint32 *data = pixGetData(pix);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            l_int32 r, g, b;
            extractRGBValues(data[(size_t)y * wpl + x], &r, &g, &b);
            if (r != g || g != b)
                return false;
        }
    return true;
}

/* Page (0-based) of a committed sample, as the image module decodes it: 1, 8 or 32 bpp,
 * RGB without alpha, grey stored as RGB turned into 8 bpp; 300 dpi. Caller frees. */
static inline PIX *enh_read_sample(const char *name, int page)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s/pages/%s", lr_test_data_dir(), name) >= (int)sizeof path)
        return NULL;
    PIX *pix = pixReadTiff(path, page);
    if (!pix) {
        fprintf(stderr, "cannot read %s page %d\n", path, page);
        return NULL;
    }
    if (pixGetDepth(pix) == 32) {
        pixSetSpp(pix, 3);
        if (enh_is_grey_rgb(pix)) {
            PIX *g = pixConvertRGBToLuminance(pix);
            pixDestroy(&pix);
            pix = g;
        }
    }
    pixSetResolution(pix, 300, 300);
    return pix;
}

typedef struct enh_truth {
    char file[128];
    int page; /* 1-based, as in truth.csv */
    int orientation;
    float skew_deg;
} enh_truth;

/* Reads testdata/pages/truth.csv into rows (at most max); returns the count, -1 on error. */
static inline int enh_read_truth(enh_truth *rows, int max)
{
    char path[4096], line[1024];
    if (snprintf(path, sizeof path, "%s/pages/truth.csv", lr_test_data_dir()) >= (int)sizeof path)
        return -1;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int n = 0;
    if (!fgets(line, sizeof line, f)) { /* header */
        fclose(f);
        return -1;
    }
    while (n < max && fgets(line, sizeof line, f)) {
        enh_truth *t = &rows[n];
        char *comma = strchr(line, ',');
        if (!comma || (size_t)(comma - line) >= sizeof t->file)
            continue;
        memcpy(t->file, line, (size_t)(comma - line));
        t->file[comma - line] = '\0';
        if (sscanf(comma + 1, "%d,%d,%f", &t->page, &t->orientation, &t->skew_deg) == 3)
            n++;
    }
    fclose(f);
    return n;
}

/* Differences between two images of the same size and depth (1, 8 or 32 bpp): largest
 * difference of a sample, and fraction of pixels where some sample differs by more than
 * tol. Returns false when sizes or depths differ. */
static inline bool enh_compare(PIX *a, PIX *b, int tol, int *out_maxdiff, double *out_fraction)
{
    *out_maxdiff = 0;
    *out_fraction = 1.0;
    int w = pixGetWidth(a), h = pixGetHeight(a), d = pixGetDepth(a);
    if (w != pixGetWidth(b) || h != pixGetHeight(b) || d != pixGetDepth(b))
        return false;
    long ndiff = 0;
    int maxdiff = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            l_uint32 va, vb;
            pixGetPixel(a, x, y, &va);
            pixGetPixel(b, x, y, &vb);
            int diff = 0;
            if (d == 32) {
                for (int shift = 8; shift <= 24; shift += 8) {
                    int da = abs((int)((va >> shift) & 0xff) - (int)((vb >> shift) & 0xff));
                    diff = da > diff ? da : diff;
                }
            } else {
                diff = abs((int)va - (int)vb) * (d == 1 ? 255 : 1);
            }
            if (diff > maxdiff)
                maxdiff = diff;
            if (diff > tol)
                ndiff++;
        }
    *out_maxdiff = maxdiff;
    *out_fraction = (double)ndiff / ((double)w * h);
    return true;
}

/* F-measure (percent) of a binary result against ground truth (both 1 bpp, 1 = text). */
static inline double enh_fmeasure(PIX *result, PIX *gt, double *out_precision, double *out_recall)
{
    l_int32 tp = 0, nr = 0, ng = 0;
    PIX *both = pixAnd(NULL, result, gt);
    pixCountPixels(both, &tp, NULL);
    pixCountPixels(result, &nr, NULL);
    pixCountPixels(gt, &ng, NULL);
    pixDestroy(&both);
    double p = nr ? (double)tp / nr : 0, r = ng ? (double)tp / ng : 0;
    if (out_precision)
        *out_precision = p;
    if (out_recall)
        *out_recall = r;
    return p + r > 0 ? 200.0 * p * r / (p + r) : 0;
}

#endif
