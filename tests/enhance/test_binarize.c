/* test_binarize.c — binarization quality on DIBCO 2009 (../shared/realdata/dibco/2009):
 * lr_enhance_page's binary against the ground truth (black = text), scored with the
 * evaluation's DIBCO measures (metrics.h: F-measure, pseudo-F, PSNR, DRD), printed per image,
 * with floors on the F-measure of each image and of the mean. Skipped (77) when the data set
 * is absent.
 *
 * The pages are binarized as they are: no deskew, so that they stay aligned with the ground
 * truth; the resolution is unknown and taken as 300 dpi. Figures: docs/enhance.md. */
#include <leptonica/allheaders.h>

#include "enh_test.h"
#include "landrec/enhance.h"
#include "landrec/metrics.h"

/* The defaults give 90.1, and 86.6 without the contrast stretch (docs/enhance.md): below the
 * floor, the stretch's gain on faint strokes is lost. */
#define MEAN_FLOOR 88.0

static const struct {
    const char *name;
    double floor; /* about 1.5 below what the defaults give */
} images[] = {
    {"H01", 88.0}, {"H02", 85.5}, {"H03", 86.0}, {"H04", 86.0}, {"H05", 83.0},
    {"P01", 90.5}, {"P02", 94.5}, {"P03", 92.5}, {"P04", 91.0}, {"P05", 88.0},
};
#define NIMAGES (sizeof images / sizeof images[0])

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
    double sum = 0, sum_lines = 0, sum_pf = 0, sum_psnr = 0, sum_drd = 0, sum_otsu = 0;
    int n = 0;
    printf("image   F      pseudo-F  PSNR   DRD   | Otsu F\n");
    for (size_t i = 0; i < NIMAGES; i++) {
        char in[1200], gtp[1200];
        snprintf(in, sizeof in, "%s/original/2009-%s.png", dir, images[i].name);
        snprintf(gtp, sizeof gtp, "%s/gt/2009-%s_gt.png", dir, images[i].name);
        PIX *pix = pixRead(in), *gt = pixRead(gtp);
        CHECKF(pix && gt, "cannot read %s", images[i].name);
        if (!pix || !gt) {
            pixDestroy(&pix);
            pixDestroy(&gt);
            continue;
        }
        lr_enhanced e, eo;
        lr_error err;
        o.binarize = LR_BINARIZE_SAUVOLA;
        CHECK(lr_enhance_page(pix, 0, 300, &o, &e, &err) == 0);
        o.binarize = LR_BINARIZE_OTSU;
        CHECK(lr_enhance_page(pix, 0, 300, &o, &eo, &err) == 0);
        lr_binary_scores s, so;
        if (e.binary && eo.binary && lr_metrics_binarization(e.binary, gt, &s, &err) == 0 &&
            lr_metrics_binarization(eo.binary, gt, &so, &err) == 0) {
            printf("2009-%s %5.1f  %5.1f    %5.2f  %5.2f | %5.1f   (precision %.1f, recall %.1f)\n",
                   images[i].name, s.fmeasure, s.pseudo_fmeasure, s.psnr, s.drd, so.fmeasure,
                   s.precision, s.recall);
            CHECKF(s.fmeasure >= images[i].floor, "2009-%s: F-measure %.1f below %.1f",
                   images[i].name, s.fmeasure, images[i].floor);
            /* The page OCR reads has the ruling lines removed: no text stroke may go with
             * them (these pages have no ruling, so little or nothing is removed). */
            lr_binary_scores sl;
            CHECK(e.ocr_binary && lr_metrics_binarization(e.ocr_binary, gt, &sl, &err) == 0);
            printf("        without ruling lines (%d removed): F %5.1f\n", e.nlines,
                   sl.fmeasure);
            CHECKF(sl.fmeasure >= s.fmeasure - 0.2, "2009-%s: F %.1f without lines, %.1f with",
                   images[i].name, sl.fmeasure, s.fmeasure);
            sum_lines += sl.fmeasure;
            sum += s.fmeasure;
            sum_pf += s.pseudo_fmeasure;
            sum_psnr += s.psnr;
            sum_drd += s.drd;
            sum_otsu += so.fmeasure;
            n++;
        } else {
            CHECKF(false, "2009-%s: not scored", images[i].name);
        }
        lr_enhanced_clear(&e);
        lr_enhanced_clear(&eo);
        pixDestroy(&gt);
        pixDestroy(&pix);
    }
    CHECK(n == (int)NIMAGES);
    if (n > 0) {
        printf("mean    %5.2f  %5.2f    %5.2f  %5.2f | %5.2f\n", sum / n, sum_pf / n,
               sum_psnr / n, sum_drd / n, sum_otsu / n);
        printf("mean F without ruling lines %5.2f\n", sum_lines / n);
        CHECKF(sum / n >= MEAN_FLOOR, "mean F-measure %.2f below %.1f", sum / n, MEAN_FLOOR);
    }
    return lr_test_finish("enhance-binarize");
}
