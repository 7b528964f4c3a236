/* test_dibco.c — pins lr_metrics_binarization (metrics.h) to tiny images whose F-measure,
 * pseudo-F-measure, PSNR and DRD were worked out by hand (docs/evaluation.md has the
 * definitions). ON (1) pixels are text, as in Leptonica. */
#include <leptonica/allheaders.h>
#include <math.h>

#include "landrec/metrics.h"
#include "lr_test.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* Sum of 1/distance over the 5×5 window without its centre: the DRD normaliser. */
static double weight_sum(void)
{
    return 4.0 + 4.0 / sqrt(2.0) + 4.0 / 2.0 + 8.0 / sqrt(5.0) + 4.0 / sqrt(8.0);
}

static PIX *blank(int w, int h)
{
    PIX *p = pixCreate(w, h, 1);
    if (!p)
        exit(99);
    return p;
}

static void on(PIX *p, int x, int y)
{
    pixSetPixel(p, x, y, 1);
}

static lr_binary_scores score(PIX *result, PIX *gt)
{
    lr_binary_scores s;
    lr_error err;
    int rc = lr_metrics_binarization(result, gt, &s, &err);
    CHECKF(rc == 0, "rc %d: %s", rc, err.message);
    return s;
}

int main(void)
{
    double S = weight_sum();

    /* The weight matrix: 1/distance over its sum, 0 in the centre, summing to 1. */
    double w[5][5], total = 0;
    lr_metrics_drd_weights(w);
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            total += w[i][j];
    CHECK(NEAR(total, 1.0));
    CHECK(w[2][2] == 0.0);
    CHECK(NEAR(w[2][1], 1.0 / S) && fabs(w[2][1] - 0.072357) < 1e-6);
    CHECK(NEAR(w[0][0], 1.0 / sqrt(8.0) / S) && fabs(w[0][0] - 0.025582) < 1e-6);
    CHECK(NEAR(w[0][1], w[1][0]) && NEAR(w[0][1], 1.0 / sqrt(5.0) / S));

    /* Case A, 16×16: a 2×2 square of text at (3..4, 3..4). The result misses (3,3) and adds
     * a stray pixel at (12,12). TP 3, FP 1, FN 1: recall = precision = F = 75 %.
     * PSNR = 10·log10(256 / 2). DRD: the stray pixel's whole window is background in the GT,
     * so DRD_k = 1; the missed pixel differs from the three other text pixels of the GT, two
     * at distance 1 and one at √2: (2 + 1/√2) / S. One non-uniform block. */
    PIX *gt = blank(16, 16), *res = blank(16, 16);
    on(gt, 3, 3), on(gt, 4, 3), on(gt, 3, 4), on(gt, 4, 4);
    on(res, 4, 3), on(res, 3, 4), on(res, 4, 4), on(res, 12, 12);
    lr_binary_scores s = score(res, gt);
    CHECK(s.tp == 3 && s.fp == 1 && s.fn == 1 && s.tn == 251);
    CHECK(NEAR(s.recall, 75.0) && NEAR(s.precision, 75.0) && NEAR(s.fmeasure, 75.0));
    CHECKF(NEAR(s.psnr, 10.0 * log10(128.0)) && fabs(s.psnr - 21.0721) < 1e-4, "psnr %.6f", s.psnr);
    CHECK(s.nubn == 1);
    CHECKF(NEAR(s.drd, 1.0 + (2.0 + 1.0 / sqrt(2.0)) / S) && fabs(s.drd - 1.195878) < 1e-6,
           "drd %.6f", s.drd);

    /* Identical images: everything perfect; PSNR infinite, DRD 0. */
    s = score(gt, gt);
    CHECK(NEAR(s.fmeasure, 100.0) && NEAR(s.pseudo_fmeasure, 100.0));
    CHECK(isinf(s.psnr) && s.psnr > 0 && s.drd == 0.0);
    CHECK(s.fp == 0 && s.fn == 0);

    /* Empty result: nothing found; F and pseudo-F 0; PSNR 10·log10(256 / 4). */
    PIX *none = blank(16, 16);
    s = score(none, gt);
    CHECK(s.fmeasure == 0.0 && s.pseudo_fmeasure == 0.0 && s.recall == 0.0);
    CHECK(NEAR(s.psnr, 10.0 * log10(64.0)));
    pixDestroy(&none);
    pixDestroy(&res);
    pixDestroy(&gt);

    /* Case B, 16×8: a 1-pixel line of text, y = 4, x = 2..11 (10 px); its skeleton is itself.
     * The result has x = 2..7 of it (6 px) and two stray pixels: recall 60, precision 75,
     * F = 2·60·75/135 = 66.67; pseudo-recall = 60 too. */
    gt = blank(16, 8), res = blank(16, 8);
    for (int x = 2; x <= 11; x++)
        on(gt, x, 4);
    for (int x = 2; x <= 7; x++)
        on(res, x, 4);
    on(res, 14, 0), on(res, 14, 7);
    s = score(res, gt);
    CHECKF(s.skeleton_px == 10, "skeleton %lld px", (long long)s.skeleton_px);
    CHECK(NEAR(s.recall, 60.0) && NEAR(s.precision, 75.0));
    CHECK(NEAR(s.fmeasure, 2.0 * 60.0 * 75.0 / 135.0));
    CHECK(NEAR(s.pseudo_recall, 60.0) && NEAR(s.pseudo_fmeasure, s.fmeasure));
    pixDestroy(&res);
    pixDestroy(&gt);

    /* Case C, 20×9: a stroke 3 pixels thick (rows 3..5, x = 2..15). The result has only its
     * middle row: recall 1/3, precision 1, F = 50 %. Its skeleton lies on the middle row
     * wherever the thinning stops at the ends, so pseudo-recall and pseudo-F are 100 %: the
     * pseudo-F-measure does not punish a thinner but complete stroke. */
    gt = blank(20, 9), res = blank(20, 9);
    for (int y = 3; y <= 5; y++)
        for (int x = 2; x <= 15; x++)
            on(gt, x, y);
    for (int x = 2; x <= 15; x++)
        on(res, x, 4);
    s = score(res, gt);
    CHECK(NEAR(s.recall, 100.0 / 3.0) && NEAR(s.precision, 100.0) && NEAR(s.fmeasure, 50.0));
    CHECKF(s.skeleton_px >= 8 && s.skeleton_hit == s.skeleton_px, "skeleton %lld, hit %lld",
           (long long)s.skeleton_px, (long long)s.skeleton_hit);
    CHECK(NEAR(s.pseudo_recall, 100.0) && NEAR(s.pseudo_fmeasure, 100.0));
    pixDestroy(&res);
    pixDestroy(&gt);

    /* Case D, 8×8: text at (4,4); the result adds a pixel in the corner (0,0), where only the
     * window's inner quarter lies in the image: (1 + 1 + 1/√2 + 1/2 + 1/2 + 2/√5 + 1/√8) / S
     * over one non-uniform block. */
    gt = blank(8, 8), res = blank(8, 8);
    on(gt, 4, 4);
    on(res, 4, 4), on(res, 0, 0);
    s = score(res, gt);
    double corner = (2.0 + 1.0 / sqrt(2.0) + 1.0 + 2.0 / sqrt(5.0) + 1.0 / sqrt(8.0)) / S;
    CHECKF(NEAR(s.drd, corner) && fabs(s.drd - 0.358535) < 1e-6, "drd %.6f", s.drd);
    CHECK(NEAR(s.fmeasure, 2.0 * 100.0 * 50.0 / 150.0));
    pixDestroy(&res);
    pixDestroy(&gt);

    /* Case E, 10×10: partial blocks at the edges count. Text at (0,0) and (9,9) (the latter in
     * the 2×2 corner tile): NUBN 2. A stray pixel at (5,5) with a background window: 1 / 2. */
    gt = blank(10, 10);
    on(gt, 0, 0), on(gt, 9, 9);
    res = pixCopy(NULL, gt);
    on(res, 5, 5);
    s = score(res, gt);
    CHECK(s.nubn == 2 && NEAR(s.drd, 0.5));

    /* Any depth: an 8-bit result (0 black) scores as its 1-bit form. */
    PIX *grey = pixConvert1To8(NULL, res, 255, 0);
    lr_binary_scores sg = score(grey, gt);
    CHECK(sg.tp == s.tp && sg.fp == s.fp && sg.fn == s.fn && NEAR(sg.drd, s.drd));
    pixDestroy(&grey);

    /* Errors. */
    PIX *other = blank(10, 11);
    lr_error err;
    CHECK(lr_metrics_binarization(other, gt, &s, &err) == LR_ERR_ARG);
    CHECK(s.tp == 0 && s.fmeasure == 0.0);
    CHECK(lr_metrics_binarization(NULL, gt, &s, &err) == LR_ERR_ARG);
    CHECK(lr_metrics_binarization(res, gt, NULL, &err) == LR_ERR_ARG);
    pixDestroy(&other);
    pixDestroy(&res);
    pixDestroy(&gt);

    /* Skew error statistics: errors 0.1, −0.3, 0.2, 0. */
    const double e[] = {0.1, -0.3, 0.2, 0.0};
    lr_error_stats st;
    lr_metrics_error_stats(e, 4, &st);
    CHECK(st.n == 4 && NEAR(st.mean_abs, 0.15) && NEAR(st.max_abs, 0.3) && NEAR(st.bias, 0.0));
    CHECK(NEAR(st.rms, sqrt(0.035)));
    lr_metrics_error_stats(NULL, 0, &st);
    CHECK(st.n == 0 && st.mean_abs == 0.0 && st.max_abs == 0.0);

    return lr_test_finish("eval-dibco");
}
