/* test_border.c — dark scanner borders are painted white and kept out of the skew search.
 *
 *  A. an upright grey page with a dark, noisy band of uneven width around the edges (one
 *     side only 14 px wide): the band comes out white in the view and empty in the binary,
 *     the text inside is untouched, the skew stays about 0;
 *  B. the same page turned 3° with black brought in at the corners (a page laid askew on a
 *     black scanner lid): the skew is still measured within 0.1°;
 *  C. a bitonal page with black bands: none of them is left in the binary. */
#include <leptonica/allheaders.h>
#include <math.h>

#include "enh_test.h"
#include "landrec/enhance.h"

/* Sets pixels of an 8 bpp page to a dark noisy value in bands of the given widths; the
 * inner edge of each band wavers by a few pixels, like a real scan's shadow. */
static void paint_band(PIX *pix, int top, int bottom, int left, int right)
{
    int w = pixGetWidth(pix), h = pixGetHeight(pix);
    unsigned seed = 12345;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int wob = (int)lround(4 * sin(x * 0.05 + y * 0.03));
            bool in =
                y < top + wob || y >= h - bottom + wob || x < left + wob || x >= w - right + wob;
            if (in) {
                seed = seed * 1103515245u + 12345u;
                pixSetPixel(pix, x, y, 20 + (seed >> 16) % 25);
            }
        }
}

static long black_in_rect(PIX *bin, int x, int y, int w, int h)
{
    BOX *box = boxCreate(x, y, w, h);
    PIX *c = pixClipRectangle(bin, box, NULL);
    l_int32 n = 0;
    if (c)
        pixCountPixels(c, &n, NULL);
    pixDestroy(&c);
    boxDestroy(&box);
    return n;
}

/* Darkest value of an 8 bpp image within a rectangle. */
static l_uint32 darkest_in_rect(PIX *grey, int x0, int y0, int w, int h)
{
    l_uint32 best = 255;
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            l_uint32 v = 255;
            if (pixGetPixel(grey, x, y, &v) == 0 && v < best)
                best = v;
        }
    return best;
}

static void case_a(PIX *upright)
{
    int w = pixGetWidth(upright), h = pixGetHeight(upright);
    const int top = 80, bottom = 60, left = 50, right = 14, slack = 8;
    PIX *band = pixCopy(NULL, upright);
    paint_band(band, top, bottom, left, right);

    lr_enhanced clean, e;
    lr_error err;
    CHECK(lr_enhance_page(upright, 0, 300, NULL, &clean, &err) == 0);
    CHECK(lr_enhance_page(band, 0, 300, NULL, &e, &err) == 0);
    if (!e.view || !clean.view)
        goto done;
    printf("A: border found %d, skew %+.3f (page without band %+.3f)\n", e.border_found, e.skew_deg,
           clean.skew_deg);
    CHECK(e.border_found);
    CHECK(!clean.border_found);
    CHECKF(fabsf(e.skew_deg) <= 0.1f, "skew with band %+.3f", e.skew_deg);

    struct {
        const char *side;
        int x, y, bw, bh;
    } bands[] = {
        {"top", 0, 0, w, top + slack},
        {"bottom", 0, h - bottom - slack, w, bottom + slack},
        {"left", 0, 0, left + slack, h},
        {"right", w - right - slack, 0, right + slack, h},
    };
    for (size_t i = 0; i < 4; i++) {
        l_uint32 dark = darkest_in_rect(e.view, bands[i].x, bands[i].y, bands[i].bw, bands[i].bh);
        long black = black_in_rect(e.binary, bands[i].x, bands[i].y, bands[i].bw, bands[i].bh);
        printf("A: %s band: darkest view pixel %u, black binary pixels %ld\n", bands[i].side, dark,
               black);
        CHECKF(dark >= 240, "%s band left dark: %u", bands[i].side, dark);
        CHECKF(black == 0, "%s band: %ld black pixels", bands[i].side, black);
    }
    /* The text and the frame inside are untouched. */
    int m = 100;
    long inside = black_in_rect(e.binary, m, m, w - 2 * m, h - 2 * m);
    long inside_clean = black_in_rect(clean.binary, m, m, w - 2 * m, h - 2 * m);
    printf("A: black pixels inside: %ld (page without band %ld)\n", inside, inside_clean);
    CHECKF(labs(inside - inside_clean) <= inside_clean / 50, "inside: %ld vs %ld", inside,
           inside_clean);

    /* Asked not to, the band stays. */
    lr_enhanced_clear(&e);
    lr_enhance_options o;
    lr_enhance_options_default(&o);
    o.clean_border = false;
    CHECK(lr_enhance_page(band, 0, 300, &o, &e, &err) == 0);
    if (e.view)
        CHECK(darkest_in_rect(e.view, 0, 0, w, 20) < 128 && !e.border_found);
done:
    lr_enhanced_clear(&e);
    lr_enhanced_clear(&clean);
    pixDestroy(&band);
}

static void case_b(PIX *upright)
{
    PIX *band = pixCopy(NULL, upright);
    paint_band(band, 40, 40, 40, 40);
    /* content turned 3° counter-clockwise, black corners brought in */
    PIX *askew =
        pixRotate(band, (float)(-3.0 * M_PI / 180.0), L_ROTATE_AREA_MAP, L_BRING_IN_BLACK, 0, 0);
    pixSetResolution(askew, 300, 300);
    float deg = 0, conf = 0;
    bool found = false;
    CHECK(lr_enhance_find_skew(askew, NULL, &deg, &conf, &found, NULL) == 0);
    printf("B: black corners: skew %+.3f (conf %.1f), expected +3.0\n", deg, conf);
    CHECKF(found && fabsf(deg - 3.0f) <= 0.1f, "skew %+.3f", deg);
    lr_enhanced e;
    lr_error err;
    CHECK(lr_enhance_page(askew, 0, 300, NULL, &e, &err) == 0);
    if (e.view) {
        int w = pixGetWidth(e.view), h = pixGetHeight(e.view);
        l_uint32 dark = 255;
        const int rims[4][4] = {
            {0, 0, w, 30}, {0, h - 30, w, 30}, {0, 0, 30, h}, {w - 30, 0, 30, h}};
        for (int i = 0; i < 4; i++) {
            l_uint32 d = darkest_in_rect(e.view, rims[i][0], rims[i][1], rims[i][2], rims[i][3]);
            dark = d < dark ? d : dark;
        }
        printf("B: border found %d, darkest pixel within 30 px of the edges %u\n", e.border_found,
               dark);
        CHECK(e.border_found);
        CHECKF(dark >= 240, "edges left dark: %u", dark);
    }
    lr_enhanced_clear(&e);
    pixDestroy(&askew);
    pixDestroy(&band);
}

static void case_c(void)
{
    PIX *page = enh_read_sample("ledger-a-bitonal-g4.tif", 0);
    CHECK(page != NULL);
    if (!page)
        return;
    int w = pixGetWidth(page), h = pixGetHeight(page);
    pixRasterop(page, 0, 0, w, 60, PIX_SET, NULL, 0, 0);      /* top */
    pixRasterop(page, 0, 0, 45, h, PIX_SET, NULL, 0, 0);      /* left */
    pixRasterop(page, w - 12, 0, 12, h, PIX_SET, NULL, 0, 0); /* thin right edge */
    lr_enhanced e;
    lr_error err;
    CHECK(lr_enhance_page(page, 0, 300, NULL, &e, &err) == 0);
    if (e.binary) {
        long top = black_in_rect(e.binary, 0, 0, w, 70);
        long left = black_in_rect(e.binary, 0, 0, 55, h);
        long right = black_in_rect(e.binary, w - 20, 0, 20, h);
        printf("C: bitonal: skew %+.3f, border found %d, black left in top/left/right bands: "
               "%ld/%ld/%ld\n",
               e.skew_deg, e.border_found, top, left, right);
        CHECKF(fabsf(e.skew_deg - 1.5f) <= 0.2f, "skew %+.3f", e.skew_deg);
        CHECK(e.border_found && top == 0 && left == 0 && right == 0);
    }
    lr_enhanced_clear(&e);
    pixDestroy(&page);
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_ERROR);
    /* The grey sample (skew -2.0) turned upright. */
    PIX *page = enh_read_sample("ledger-b-grey-lzw.tif", 0);
    CHECK(page && pixGetDepth(page) == 8);
    if (page) {
        PIX *upright = pixRotate(page, (float)(-2.0 * M_PI / 180.0), L_ROTATE_AREA_MAP,
                                 L_BRING_IN_WHITE, 0, 0);
        pixSetResolution(upright, 300, 300);
        case_a(upright);
        case_b(upright);
        pixDestroy(&upright);
        pixDestroy(&page);
    }
    case_c();
    return lr_test_finish("enhance-border");
}
