/* test_runs.c — lr_pix_long_runs against Leptonica's own opening by a linear brick, pixel for
 * pixel: random images whose runs touch every edge, runs exactly len and len - 1 long, a
 * binarised sample scan, and the arguments it refuses. */
#include <leptonica/allheaders.h>

#include "landrec/runs.h"
#include "lr_test.h"

/* Whether lr_pix_long_runs equals pixOpenBrick on pix for len along the axis. */
static bool same_as_leptonica(PIX *pix, int len, bool down)
{
    PIX *ours = lr_pix_long_runs(pix, len, down);
    PIX *theirs = down ? pixOpenBrick(NULL, pix, 1, len) : pixOpenBrick(NULL, pix, len, 1);
    l_int32 same = 0;
    if (ours && theirs)
        pixEqual(ours, theirs, &same);
    pixDestroy(&ours);
    pixDestroy(&theirs);
    return same;
}

/* A w×h image of random runs along both axes, dense enough that many reach the edges. */
static PIX *random_runs(unsigned *seed, int w, int h)
{
    PIX *pix = pixCreate(w, h, 1);
    for (int i = 0; i < (w + h) / 2; i++) {
        int x = rand_r(seed) % w, y = rand_r(seed) % h, n = 1 + rand_r(seed) % (h > w ? h : w);
        if (rand_r(seed) % 2)
            pixRasterop(pix, x, y, 1 + rand_r(seed) % 3, n, PIX_SET, NULL, 0, 0);
        else
            pixRasterop(pix, x, y, n, 1 + rand_r(seed) % 3, PIX_SET, NULL, 0, 0);
    }
    return pix;
}

static void check_random(void)
{
    unsigned seed = 7;
    int mismatches = 0, cases = 0;
    for (int i = 0; i < 200; i++) {
        int w = 1 + rand_r(&seed) % 90, h = 1 + rand_r(&seed) % 90;
        PIX *pix = random_runs(&seed, w, h);
        for (int len = 1; len <= 40; len += 1 + rand_r(&seed) % 7) {
            mismatches += !same_as_leptonica(pix, len, true);
            mismatches += !same_as_leptonica(pix, len, false);
            cases += 2;
        }
        pixDestroy(&pix);
    }
    CHECKF(mismatches == 0, "%d of %d random cases differ from pixOpenBrick", mismatches, cases);
}

/* A run exactly len long is kept and one of len - 1 is not, at the edges and inside. */
static void check_exact_lengths(void)
{
    PIX *pix = pixCreate(40, 30, 1);
    pixRasterop(pix, 0, 0, 1, 10, PIX_SET, NULL, 0, 0);   /* from the top edge */
    pixRasterop(pix, 5, 20, 1, 10, PIX_SET, NULL, 0, 0);  /* to the bottom edge */
    pixRasterop(pix, 10, 5, 1, 10, PIX_SET, NULL, 0, 0);  /* inside */
    pixRasterop(pix, 15, 5, 1, 9, PIX_SET, NULL, 0, 0);   /* one short */
    pixRasterop(pix, 30, 12, 10, 1, PIX_SET, NULL, 0, 0); /* to the right edge */
    PIX *down = lr_pix_long_runs(pix, 10, true), *along = lr_pix_long_runs(pix, 10, false);
    CHECK(down && along);
    if (!down || !along)
        return;
    l_uint32 v = 0;
    l_int32 n = 0;
    pixGetPixel(down, 0, 9, &v);
    CHECK(v == 1);
    pixGetPixel(down, 5, 29, &v);
    CHECK(v == 1);
    pixGetPixel(down, 15, 8, &v);
    CHECK(v == 0);
    pixCountPixels(down, &n, NULL);
    CHECKF(n == 30, "%d pixels kept down the columns, want the three runs of 10", n);
    pixCountPixels(along, &n, NULL);
    CHECKF(n == 10, "%d pixels kept along the rows, want the one run of 10", n);
    CHECK(same_as_leptonica(pix, 10, true) && same_as_leptonica(pix, 10, false));
    pixDestroy(&down);
    pixDestroy(&along);
    pixDestroy(&pix);
}

/* A scanned ledger's ruling and writing, at the lengths the cell reader uses. */
static void check_sample(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/pages/ledger-a-bitonal-g4.tif", lr_test_data_dir());
    PIX *pix = pixRead(path);
    CHECKF(pix != NULL, "cannot read %s", path);
    if (!pix)
        return;
    PIX *bin = pixGetDepth(pix) == 1 ? pixClone(pix) : pixConvertTo1(pix, 128);
    BOX *b = boxCreate(200, 300, 900, 400);
    PIX *crop = pixClipRectangle(bin, b, NULL);
    l_int32 ink = 0;
    pixCountPixels(crop, &ink, NULL);
    CHECKF(ink > 1000, "the crop holds %d pixels of ink", ink);
    int lens[] = {2, 15, 60, 320};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        CHECKF(same_as_leptonica(crop, lens[i], true), "down, len %d", lens[i]);
        CHECKF(same_as_leptonica(crop, lens[i], false), "along, len %d", lens[i]);
    }
    boxDestroy(&b);
    pixDestroy(&crop);
    pixDestroy(&bin);
    pixDestroy(&pix);
}

static void check_refused(void)
{
    PIX *grey = pixCreate(10, 10, 8), *bin = pixCreate(10, 10, 1);
    CHECK(lr_pix_long_runs(NULL, 3, true) == NULL);
    CHECK(lr_pix_long_runs(grey, 3, true) == NULL);
    CHECK(lr_pix_long_runs(bin, 0, false) == NULL);
    pixDestroy(&grey);
    pixDestroy(&bin);
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_NONE);
    check_random();
    check_exact_lengths();
    check_sample();
    check_refused();
    return lr_test_finish("test_runs");
}
