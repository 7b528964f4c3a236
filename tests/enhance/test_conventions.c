/* test_conventions.c — the sign conventions src/enhance/ relies on, checked on Leptonica itself
 * rather than taken from its comments, and lr_enhance_rotate_orth by pixel mapping.
 *
 *   pixRotate(+a)      turns the content clockwise on screen (y grows downwards)
 *   pixRotateOrth(q)   turns it q quarter turns clockwise
 *   pixFindSkew        content turned counter-clockwise by a gives +a (the clockwise angle
 *                      that deskews it), which is landrec's skew convention unchanged
 */
#include <leptonica/allheaders.h>
#include <math.h>

#include "enh_test.h"
#include "landrec/enhance.h"

/* Position of the single dark pixel of an 8 bpp image (the darkest one). */
static void darkest(PIX *pix, int *out_x, int *out_y)
{
    l_uint32 best = 256;
    for (int y = 0; y < pixGetHeight(pix); y++)
        for (int x = 0; x < pixGetWidth(pix); x++) {
            l_uint32 v;
            pixGetPixel(pix, x, y, &v);
            if (v < best) {
                best = v;
                *out_x = x;
                *out_y = y;
            }
        }
}

static void check_leptonica_rotation_direction(void)
{
    /* A dot right of the centre: turned clockwise on screen it moves down. */
    PIX *pix = pixCreate(201, 201, 8);
    pixSetAll(pix);
    pixSetPixel(pix, 180, 100, 0);
    PIX *r =
        pixRotate(pix, (float)(20.0 * M_PI / 180.0), L_ROTATE_SAMPLING, L_BRING_IN_WHITE, 0, 0);
    int x = -1, y = -1;
    darkest(r, &x, &y);
    /* centre (100,100), radius 80, 20° clockwise: (175, 127) */
    CHECKF(abs(x - 175) <= 2 && abs(y - 127) <= 2, "dot at %d,%d", x, y);
    pixDestroy(&r);

    PIX *o = pixRotateOrth(pix, 1);
    darkest(o, &x, &y);
    CHECKF(x == 100 && y == 180, "quarter turn: dot at %d,%d", x, y); /* right -> below */
    pixDestroy(&o);
    pixDestroy(&pix);
}

/* A page of horizontal "text lines" (bars with gaps, like words). */
static PIX *striped_page(void)
{
    PIX *pix = pixCreate(1200, 1600, 8);
    pixSetAll(pix);
    for (int line = 0; line < 24; line++)
        for (int word = 0; word < 12; word++)
            pixRasterop(pix, 100 + word * 85, 150 + line * 55, 70, 22, PIX_CLR, NULL, 0, 0);
    pixSetResolution(pix, 300, 300);
    return pix;
}

static void check_skew_sign(void)
{
    PIX *page = striped_page();
    const float angles[] = {-3.0f, 2.0f};
    for (size_t i = 0; i < sizeof angles / sizeof angles[0]; i++) {
        float a = angles[i];
        /* pixRotate(-a) turns the content counter-clockwise by a. */
        PIX *r =
            pixRotate(page, (float)(-a * M_PI / 180.0), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
        pixSetResolution(r, 300, 300);
        PIX *b = pixThresholdToBinary(r, 128);
        l_float32 lept = 0, conf = 0;
        CHECK(pixFindSkew(b, &lept, &conf) == 0);
        CHECKF(fabsf(lept - a) < 0.2f, "pixFindSkew %.3f for content turned %.1f ccw", lept, a);
        float deg = 0, c = 0;
        bool found = false;
        CHECK(lr_enhance_find_skew(r, NULL, &deg, &c, &found, NULL) == 0);
        CHECKF(found && fabsf(deg - a) < 0.1f, "lr_enhance_find_skew %.3f for %.1f", deg, a);
        pixDestroy(&b);
        pixDestroy(&r);
    }
    pixDestroy(&page);
}

/* Each pixel of pixs must land where a clockwise quarter-turn puts it. */
static void check_rotate_orth(PIX *pixs, const char *what)
{
    int w = pixGetWidth(pixs), h = pixGetHeight(pixs);
    for (int orient = 0; orient < 360; orient += 90) {
        PIX *r = lr_enhance_rotate_orth(pixs, orient);
        CHECKF(r != NULL, "%s %d", what, orient);
        if (!r)
            continue;
        CHECK(r != pixs);
        CHECK(pixGetDepth(r) == pixGetDepth(pixs));
        bool swapped = orient == 90 || orient == 270;
        CHECKF(pixGetWidth(r) == (swapped ? h : w) && pixGetHeight(r) == (swapped ? w : h),
               "%s %d: %dx%d", what, orient, pixGetWidth(r), pixGetHeight(r));
        int bad = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int xd = x, yd = y;
                switch (orient) {
                case 90:
                    xd = h - 1 - y;
                    yd = x;
                    break;
                case 180:
                    xd = w - 1 - x;
                    yd = h - 1 - y;
                    break;
                case 270:
                    xd = y;
                    yd = w - 1 - x;
                    break;
                }
                l_uint32 vs = 0, vd = 1;
                pixGetPixel(pixs, x, y, &vs);
                pixGetPixel(r, xd, yd, &vd);
                bad += vs != vd;
            }
        CHECKF(bad == 0, "%s turned %d: %d pixels misplaced", what, orient, bad);
        pixDestroy(&r);
    }
    CHECK(lr_enhance_rotate_orth(pixs, 45) == NULL);
    CHECK(lr_enhance_rotate_orth(pixs, -90) == NULL);
    CHECK(lr_enhance_rotate_orth(NULL, 90) == NULL);
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_ERROR);
    check_leptonica_rotation_direction();
    check_skew_sign();

    /* Small non-square images where every pixel differs (mod depth). */
    const int depths[] = {1, 8, 32};
    for (size_t i = 0; i < 3; i++) {
        int d = depths[i];
        PIX *pix = pixCreate(37, 23, d);
        for (int y = 0; y < 23; y++)
            for (int x = 0; x < 37; x++) {
                l_uint32 v = (l_uint32)(x * 23 + y);
                pixSetPixel(pix, x, y,
                            d == 1   ? ((x * 7 + y * 3) % 5 == 0)
                            : d == 8 ? v % 256
                                     : v << 8);
            }
        char what[32];
        snprintf(what, sizeof what, "%d bpp", d);
        check_rotate_orth(pix, what);
        pixDestroy(&pix);
    }
    return lr_test_finish("enhance-conventions");
}
