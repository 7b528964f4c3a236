/* test_runs.c — runs.h against the Leptonica functions it stands in for, pixel for pixel:
 * random images whose runs and gaps touch every edge, runs exactly len and len - 1 long, a
 * binarised sample scan, and the arguments refused. */
#include <leptonica/allheaders.h>

#include "landrec/runs.h"
#include "lr_test.h"

/* The four operations, ours and Leptonica's. */
typedef enum op { OPEN, OPEN_COMP, CLOSE, CLOSE_SAFE, NOPS } op;
static const char *const OP_NAMES[NOPS] = {"open", "open comp", "close", "close safe"};

static PIX *ours(op o, PIX *pix, int len, bool down)
{
    switch (o) {
    case OPEN:
        return lr_pix_open_line(pix, len, down);
    case OPEN_COMP:
        return lr_pix_open_line_comp(pix, len, down);
    case CLOSE:
        return lr_pix_close_line(pix, len, down);
    default:
        return lr_pix_close_line_safe(pix, len, down);
    }
}

static PIX *leptonicas(op o, PIX *pix, int len, bool down)
{
    int hs = down ? 1 : len, vs = down ? len : 1;
    switch (o) {
    case OPEN:
        return pixOpenBrick(NULL, pix, hs, vs);
    case OPEN_COMP:
        return pixOpenCompBrick(NULL, pix, hs, vs);
    case CLOSE:
        return pixCloseBrick(NULL, pix, hs, vs);
    default:
        return pixCloseSafeBrick(NULL, pix, hs, vs);
    }
}

/* Whether ours equals Leptonica's on pix for len along the axis. */
static bool same_as_leptonica(op o, PIX *pix, int len, bool down)
{
    PIX *a = ours(o, pix, len, down), *b = leptonicas(o, pix, len, down);
    l_int32 same = 0;
    if (a && b)
        pixEqual(a, b, &same);
    pixDestroy(&a);
    pixDestroy(&b);
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
    int mismatches[NOPS] = {0}, cases = 0;
    for (int i = 0; i < 200; i++) {
        int w = 1 + rand_r(&seed) % 90, h = 1 + rand_r(&seed) % 90;
        PIX *pix = random_runs(&seed, w, h);
        for (int len = 1; len <= 40; len += 1 + rand_r(&seed) % 7) {
            for (op o = 0; o < NOPS; o++)
                mismatches[o] +=
                    !same_as_leptonica(o, pix, len, true) + !same_as_leptonica(o, pix, len, false);
            cases += 2;
        }
        pixDestroy(&pix);
    }
    for (op o = 0; o < NOPS; o++)
        CHECKF(mismatches[o] == 0, "%s: %d of %d random cases differ from Leptonica", OP_NAMES[o],
               mismatches[o], cases);
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
    PIX *down = lr_pix_open_line(pix, 10, true), *along = lr_pix_open_line(pix, 10, false);
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
    for (op o = 0; o < NOPS; o++)
        CHECKF(same_as_leptonica(o, pix, 10, true) && same_as_leptonica(o, pix, 10, false), "%s",
               OP_NAMES[o]);
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
    int lens[] = {2, 15, 61, 320};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        for (op o = 0; o < NOPS; o++) {
            CHECKF(same_as_leptonica(o, crop, lens[i], true), "%s down, len %d", OP_NAMES[o],
                   lens[i]);
            CHECKF(same_as_leptonica(o, crop, lens[i], false), "%s along, len %d", OP_NAMES[o],
                   lens[i]);
        }
    boxDestroy(&b);
    pixDestroy(&crop);
    pixDestroy(&bin);
    pixDestroy(&pix);
}

static void check_refused(void)
{
    PIX *grey = pixCreate(10, 10, 8), *bin = pixCreate(10, 10, 1);
    for (op o = 0; o < NOPS; o++) {
        CHECK(ours(o, NULL, 3, true) == NULL);
        CHECK(ours(o, grey, 3, true) == NULL);
        CHECK(ours(o, bin, 0, false) == NULL);
    }
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
