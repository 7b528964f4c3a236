/* test_colour.c — a yellowed colour page (ledger-a-colour-jpeg-rot90.tif: JPEG, turned 90°,
 * red-ink circle of radius 100 at (1400, 420) of the upright page): the view stays colour,
 * the red ink stays red, and the paper comes out near white and neutral. */
#include <leptonica/allheaders.h>
#include <math.h>

#include "enh_test.h"
#include "landrec/enhance.h"

/* Mean r, g, b of pix (32 bpp) where mask (1 bpp) is 0, ignoring a margin at the edges. */
static void mean_outside(PIX *pix, PIX *mask, int margin, double out_rgb[3])
{
    double sum[3] = {0, 0, 0};
    long n = 0;
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    for (int y = margin; y < h - margin; y++)
        for (int x = margin; x < w - margin; x++) {
            l_uint32 m = 0, v;
            if (mask)
                pixGetPixel(mask, x, y, &m);
            if (m)
                continue;
            pixGetPixel(pix, x, y, &v);
            l_int32 r, g, b;
            extractRGBValues(v, &r, &g, &b);
            sum[0] += r;
            sum[1] += g;
            sum[2] += b;
            n++;
        }
    for (int c = 0; c < 3; c++)
        out_rgb[c] = n ? sum[c] / n : 0;
}

/* Number of the 36 directions around (cx, cy) in which the ring (radius 85..115) has a
 * clearly red pixel. */
static int red_ring_directions(PIX *view, int cx, int cy, int *out_worst_r, int *out_worst_g)
{
    int hits = 0;
    *out_worst_r = 255;
    *out_worst_g = 0;
    for (int k = 0; k < 36; k++) {
        double a = k * M_PI / 18;
        int best_r = 0, best_g = 255, best_b = 255, best = -1000;
        for (int rad = 85; rad <= 115; rad++) {
            int x = cx + (int)lround(rad * cos(a)), y = cy + (int)lround(rad * sin(a));
            l_uint32 v;
            if (pixGetPixel(view, x, y, &v) != 0)
                continue;
            l_int32 r, g, b;
            extractRGBValues(v, &r, &g, &b);
            if (r - g > best) {
                best = r - g;
                best_r = r;
                best_g = g;
                best_b = b;
            }
        }
        if (best_r >= 150 && best_g <= 100 && best_b <= 100 && best >= 100)
            hits++;
        if (best_r < *out_worst_r)
            *out_worst_r = best_r;
        if (best_g > *out_worst_g)
            *out_worst_g = best_g;
    }
    return hits;
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_ERROR);
    PIX *page = enh_read_sample("ledger-a-colour-jpeg-rot90.tif", 0);
    CHECK(page && pixGetDepth(page) == 32);
    if (!page)
        return lr_test_finish("enhance-colour");

    /* The input really is yellowed: blue well below red on the paper. */
    double rgb[3];
    PIX *up = lr_enhance_rotate_orth(page, 270);
    BOX *box = boxCreate(200, 2000, 1300, 280); /* blank paper below the text */
    PIX *paper = pixClipRectangle(up, box, NULL);
    mean_outside(paper, NULL, 0, rgb);
    printf("input paper: %.0f %.0f %.0f\n", rgb[0], rgb[1], rgb[2]);
    CHECK(rgb[2] < rgb[0] - 20);
    pixDestroy(&paper);
    boxDestroy(&box);
    pixDestroy(&up);

    lr_enhanced e;
    lr_error err;
    CHECK(lr_enhance_page(page, 270, 300, NULL, &e, &err) == 0);
    CHECK(e.view && pixGetDepth(e.view) == 32);
    CHECK(e.binary && pixGetDepth(e.binary) == 1);
    if (e.view && pixGetDepth(e.view) == 32 && e.binary) {
        CHECK(pixGetWidth(e.view) == 1748 && pixGetHeight(e.view) == 2480);
        CHECK(pixGetWidth(e.view) == pixGetWidth(e.binary) &&
              pixGetHeight(e.view) == pixGetHeight(e.binary));

        int worst_r, worst_g;
        int hits = red_ring_directions(e.view, 1400, 420, &worst_r, &worst_g);
        printf("red ring: red in %d of 36 directions (weakest red %d, greenest %d)\n", hits,
               worst_r, worst_g);
        CHECKF(hits >= 34, "red ink: %d of 36 directions", hits);

        /* Paper: everything away from ink (binary grown by 4 px) and from the ring. */
        PIX *ink = pixDilateBrick(NULL, e.binary, 9, 9);
        pixRasterop(ink, 1270, 290, 260, 260, PIX_SET, NULL, 0, 0);
        mean_outside(e.view, ink, 30, rgb);
        double lo = fmin(rgb[0], fmin(rgb[1], rgb[2])), hi = fmax(rgb[0], fmax(rgb[1], rgb[2]));
        printf("view paper: %.1f %.1f %.1f\n", rgb[0], rgb[1], rgb[2]);
        CHECKF(lo >= 235, "paper not near white: %.0f %.0f %.0f", rgb[0], rgb[1], rgb[2]);
        CHECKF(hi - lo <= 8, "paper not neutral: %.0f %.0f %.0f", rgb[0], rgb[1], rgb[2]);
        pixDestroy(&ink);
    }
    lr_enhanced_clear(&e);

    /* Without normalisation the paper stays yellow: the step above is what whitened it. */
    lr_enhance_options o;
    lr_enhance_options_default(&o);
    o.normalize_background = false;
    CHECK(lr_enhance_page(page, 270, 300, &o, &e, &err) == 0);
    if (e.view) {
        BOX *b2 = boxCreate(200, 2000, 1300, 280);
        PIX *p2 = pixClipRectangle(e.view, b2, NULL);
        mean_outside(p2, NULL, 0, rgb);
        printf("paper without normalisation: %.0f %.0f %.0f\n", rgb[0], rgb[1], rgb[2]);
        CHECK(rgb[2] < rgb[0] - 20);
        pixDestroy(&p2);
        boxDestroy(&b2);
    }
    lr_enhanced_clear(&e);
    pixDestroy(&page);
    return lr_test_finish("enhance-colour");
}
