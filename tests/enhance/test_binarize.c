/* test_binarize.c — binarization quality on DIBCO 2009 (../shared/realdata/dibco/2009):
 * F-measure of lr_enhance_page's binary against the ground truth (black = text), printed
 * per image, with a floor the current method meets (published Sauvola on this set: about
 * 85 mean). Skipped (77) when the data set is absent.
 *
 * The pages are binarized as they are: no deskew, so that they stay aligned with the ground
 * truth; the resolution is unknown and taken as 300 dpi. */
#include <leptonica/allheaders.h>

#include "enh_test.h"
#include "landrec/enhance.h"

#define MEAN_FLOOR 85.0  /* measured 86.6 with the defaults */
#define IMAGE_FLOOR 60.0 /* H01, faint handwriting, is the lowest: 66.9 */

static const char *const names[] = {"H01", "H02", "H03", "H04", "H05",
                                    "P01", "P02", "P03", "P04", "P05"};

int main(void)
{
    setMsgSeverity(L_SEVERITY_ERROR);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/dibco/2009", enh_realdata_dir());
    char probe[1200];
    snprintf(probe, sizeof probe, "%s/gt/2009-H01_gt.png", dir);
    if (!enh_file_exists(probe)) {
        printf("skipping: DIBCO 2009 not found in %s\n", dir);
        return 77;
    }
    lr_enhance_options o;
    lr_enhance_options_default(&o);
    o.deskew = false;
    double sum = 0, sum_otsu = 0;
    int n = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char in[1200], gtp[1200];
        snprintf(in, sizeof in, "%s/original/2009-%s.png", dir, names[i]);
        snprintf(gtp, sizeof gtp, "%s/gt/2009-%s_gt.png", dir, names[i]);
        PIX *pix = pixRead(in), *gt8 = pixRead(gtp);
        CHECKF(pix && gt8, "cannot read %s", names[i]);
        if (!pix || !gt8) {
            pixDestroy(&pix);
            pixDestroy(&gt8);
            continue;
        }
        PIX *gt = pixConvertTo1(gt8, 128); /* black (text) -> 1 */
        lr_enhanced e, eo;
        lr_error err;
        o.binarize = LR_BINARIZE_SAUVOLA;
        CHECK(lr_enhance_page(pix, 0, 300, &o, &e, &err) == 0);
        o.binarize = LR_BINARIZE_OTSU;
        CHECK(lr_enhance_page(pix, 0, 300, &o, &eo, &err) == 0);
        if (e.binary && eo.binary) {
            double p, r;
            double f = enh_fmeasure(e.binary, gt, &p, &r);
            double fo = enh_fmeasure(eo.binary, gt, NULL, NULL);
            printf("2009-%s: F-measure %5.1f (precision %.3f, recall %.3f); Otsu %5.1f\n", names[i],
                   f, p, r, fo);
            CHECKF(f >= IMAGE_FLOOR, "2009-%s: F-measure %.1f below %.1f", names[i], f,
                   IMAGE_FLOOR);
            sum += f;
            sum_otsu += fo;
            n++;
        }
        lr_enhanced_clear(&e);
        lr_enhanced_clear(&eo);
        pixDestroy(&gt);
        pixDestroy(&gt8);
        pixDestroy(&pix);
    }
    CHECK(n == 10);
    if (n > 0) {
        printf("mean F-measure: Sauvola %.2f, Otsu %.2f\n", sum / n, sum_otsu / n);
        CHECKF(sum / n >= MEAN_FLOOR, "mean F-measure %.2f below %.1f", sum / n, MEAN_FLOOR);
    }
    return lr_test_finish("enhance-binarize");
}
