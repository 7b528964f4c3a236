/* test_golden.c — lr_enhance_page's view and binary on small crops of the sample pages,
 * compared with the PNG files in tests/enhance/golden/ within tolerances.
 *
 * LR_REGENERATE_GOLDEN=1 writes the goldens instead (into $LR_SOURCE_ROOT/tests/enhance/
 * golden/); look at them before committing. */
#include <leptonica/allheaders.h>

#include "enh_test.h"
#include "landrec/enhance.h"

/* Tolerances: a sample may differ by at most MAX_DIFF, and at most FRACTION of the pixels by
 * more than TOL (grey levels; 255 for a flipped bit). Exact results are expected on one
 * build; the slack is for other Leptonica versions and libm. */
#define VIEW_MAX_DIFF 48
#define VIEW_TOL 4
#define VIEW_FRACTION 0.01
#define BINARY_FRACTION 0.005

static bool regenerate(void)
{
    const char *r = getenv("LR_REGENERATE_GOLDEN");
    return r && strcmp(r, "1") == 0;
}

static void golden_path(const char *name, char *buf, size_t size)
{
    const char *root = getenv("LR_SOURCE_ROOT");
    snprintf(buf, size, "%s/tests/enhance/golden/%s.png", root ? root : ".", name);
}

static void check_golden(PIX *pix, const char *name, int max_diff, double fraction)
{
    char path[1024];
    golden_path(name, path, sizeof path);
    if (regenerate()) {
        CHECKF(pixWrite(path, pix, IFF_PNG) == 0, "cannot write %s", path);
        printf("%s: regenerated\n", path);
        return;
    }
    PIX *gold = pixRead(path);
    CHECKF(gold != NULL, "%s missing; run with LR_REGENERATE_GOLDEN=1 to make it", path);
    if (!gold)
        return;
    if (pixGetDepth(gold) == 32)
        pixSetSpp(gold, 3);
    int maxd = 0;
    double frac = 1;
    bool same_shape = enh_compare(pix, gold, pixGetDepth(pix) == 1 ? 0 : VIEW_TOL, &maxd, &frac);
    printf("%s: max difference %d, %.4f%% of pixels differ\n", name, maxd, 100 * frac);
    CHECKF(same_shape, "%s: %dx%d %d bpp, golden %dx%d %d bpp", name, pixGetWidth(pix),
           pixGetHeight(pix), pixGetDepth(pix), pixGetWidth(gold), pixGetHeight(gold),
           pixGetDepth(gold));
    if (same_shape) {
        CHECKF(maxd <= max_diff, "%s: max difference %d > %d", name, maxd, max_diff);
        CHECKF(frac <= fraction, "%s: %.4f of pixels differ > %.4f", name, frac, fraction);
    }
    if (!same_shape || maxd > max_diff || frac > fraction) {
        char out[1024];
        snprintf(out, sizeof out, "%s/%s.png", lr_test_tmp_dir(), name);
        pixWrite(out, pix, IFF_PNG);
        fprintf(stderr, "%s: result written to %s\n", name, out);
    }
    pixDestroy(&gold);
}

static void run_case(PIX *crop, int orientation, const char *name)
{
    lr_enhanced e;
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_enhance_page(crop, orientation, 300, NULL, &e, &err);
    CHECKF(rc == 0, "%s: %s", name, err.message);
    if (rc != 0)
        return;
    printf("%s: skew %+.3f (conf %.1f, %s), border %s\n", name, e.skew_deg, e.skew_conf,
           e.skew_applied ? "applied" : "not applied", e.border_found ? "found" : "none");
    char n[256];
    snprintf(n, sizeof n, "%s-view", name);
    check_golden(e.view, n, VIEW_MAX_DIFF, VIEW_FRACTION);
    snprintf(n, sizeof n, "%s-binary", name);
    check_golden(e.binary, n, 255, BINARY_FRACTION);
    lr_enhanced_clear(&e);
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_ERROR);

    /* Grey, yellowed, noisy, skewed -2°: the title, a text line and the frame's corner. */
    PIX *page = enh_read_sample("ledger-b-grey-lzw.tif", 0);
    CHECK(page && pixGetDepth(page) == 8);
    if (page) {
        BOX *box = boxCreate(60, 80, 500, 420);
        PIX *crop = pixClipRectangle(page, box, NULL);
        pixSetResolution(crop, 300, 300);
        run_case(crop, 0, "ledger-b-grey");
        pixDestroy(&crop);
        boxDestroy(&box);
        pixDestroy(&page);
    }

    /* Colour, JPEG, yellowed, red stamp, turned 90°: upright crop of the stamp and the
     * frame's corner, turned back, so that the orientation step is part of the case. */
    page = enh_read_sample("ledger-a-colour-jpeg-rot90.tif", 0);
    CHECK(page && pixGetDepth(page) == 32);
    if (page) {
        PIX *up = lr_enhance_rotate_orth(page, 270);
        BOX *box = boxCreate(1100, 100, 600, 500);
        PIX *crop = pixClipRectangle(up, box, NULL);
        PIX *turned = lr_enhance_rotate_orth(crop, 90);
        pixSetResolution(turned, 300, 300);
        run_case(turned, 270, "ledger-a-colour");
        pixDestroy(&turned);
        pixDestroy(&crop);
        boxDestroy(&box);
        pixDestroy(&up);
        pixDestroy(&page);
    }

    /* Bitonal, skewed +1.5°. */
    page = enh_read_sample("ledger-a-bitonal-g4.tif", 0);
    CHECK(page && pixGetDepth(page) == 1);
    if (page) {
        BOX *box = boxCreate(100, 100, 600, 500);
        PIX *crop = pixClipRectangle(page, box, NULL);
        pixSetResolution(crop, 300, 300);
        run_case(crop, 0, "ledger-a-bitonal");
        pixDestroy(&crop);
        boxDestroy(&box);
        pixDestroy(&page);
    }
    return lr_test_finish("enhance-golden");
}
