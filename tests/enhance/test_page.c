/* test_page.c — the contract of enhance.h apart from image quality: options and their text,
 * argument errors, the input never modified, output geometry and depths for every input
 * depth and orientation, the same result whichever way round a page is given, the reduced
 * copy for orientation detection, and degenerate pages (tiny, blank, black) that must not
 * fail. */
#include <leptonica/allheaders.h>

#include "enh_test.h"
#include "landrec/enhance.h"

static void check_options(void)
{
    lr_enhance_options o;
    lr_enhance_options_default(&o);
    CHECK(o.deskew && o.normalize_background && o.clean_border);
    CHECK(o.max_skew_deg == 10.0f && o.min_skew_conf == 2.0f);
    CHECK(o.binarize == LR_BINARIZE_SAUVOLA && o.sauvola_k == 0.5f && o.sauvola_window_mm == 4);
    CHECK(!o.remove_lines);

    /* The text goes into the settings hash: it must not change by accident. */
    char buf[512];
    lr_enhance_options_describe(&o, buf, sizeof buf);
    const char *expected = "enhance.v2 deskew=1 max_skew_deg=10.00 min_skew_conf=2.00 "
                           "normalize_background=1 clean_border=1 binarize=sauvola "
                           "sauvola_k=0.500 sauvola_window_mm=4 remove_lines=0";
    CHECKF(strcmp(buf, expected) == 0, "describe: \"%s\"", buf);
    char buf2[512];
    lr_enhance_options_describe(NULL, buf2, sizeof buf2);
    CHECK(strcmp(buf, buf2) == 0);

    lr_enhance_options p = o;
    p.sauvola_k = 0.3f;
    p.binarize = LR_BINARIZE_OTSU;
    lr_enhance_options_describe(&p, buf2, sizeof buf2);
    CHECK(strstr(buf2, "sauvola_k=0.300") && strstr(buf2, "binarize=otsu"));
    p = o;
    p.min_skew_conf = -1.5f;
    lr_enhance_options_describe(&p, buf2, sizeof buf2);
    CHECKF(strstr(buf2, "min_skew_conf=-1.50") != NULL, "%s", buf2);
    p = o;
    p.remove_lines = true;
    lr_enhance_options_describe(&p, buf2, sizeof buf2);
    CHECKF(strstr(buf2, "remove_lines=1") != NULL, "%s", buf2);

    char tiny[8];
    lr_enhance_options_describe(&o, tiny, sizeof tiny);
    CHECK(strlen(tiny) == 7);
}

static void check_errors(void)
{
    PIX *pix = pixCreate(300, 400, 8);
    pixSetAll(pix);
    lr_enhanced e;
    lr_error err;
    memset(&e, 0x5a, sizeof e);
    CHECK(lr_enhance_page(NULL, 0, 300, NULL, &e, &err) == LR_ERR_ARG);
    CHECK(e.view == NULL && e.binary == NULL && err.code == LR_ERR_ARG && err.message[0]);
    CHECK(lr_enhance_page(pix, 45, 300, NULL, &e, &err) == LR_ERR_ARG);
    CHECK(strstr(err.message, "orientation") != NULL && e.view == NULL);
    CHECK(lr_enhance_page(pix, 0, 0, NULL, &e, &err) == LR_ERR_ARG);
    CHECK(lr_enhance_page(pix, 0, 100000, NULL, &e, NULL) == LR_ERR_ARG);
    CHECK(lr_enhance_page(pix, 0, 300, NULL, NULL, &err) == LR_ERR_ARG);

    lr_enhance_options o;
    lr_enhance_options_default(&o);
    o.sauvola_k = 2.0f;
    CHECK(lr_enhance_page(pix, 0, 300, &o, &e, &err) == LR_ERR_ARG);
    CHECKF(strstr(err.message, "sauvola") != NULL, "%s", err.message);
    lr_enhance_options_default(&o);
    o.max_skew_deg = 0.0f;
    CHECK(lr_enhance_page(pix, 0, 300, &o, &e, &err) == LR_ERR_ARG);
    lr_enhance_options_default(&o);
    o.sauvola_window_mm = 0;
    CHECK(lr_enhance_page(pix, 0, 300, &o, &e, &err) == LR_ERR_ARG);
    lr_enhance_options_default(&o);
    o.binarize = (lr_binarize_method)7;
    CHECK(lr_enhance_page(pix, 0, 300, &o, &e, &err) == LR_ERR_ARG);

    float deg = 1, conf = 1;
    bool found = true;
    CHECK(lr_enhance_find_skew(NULL, NULL, &deg, &conf, &found, &err) == LR_ERR_ARG);
    CHECK(deg == 0 && conf == 0 && !found);
    CHECK(lr_enhance_find_skew(pix, &o, &deg, &conf, &found, NULL) == LR_ERR_ARG);

    CHECK(lr_enhance_for_detection(NULL, 300, 150) == NULL);
    CHECK(lr_enhance_for_detection(pix, 0, 150) == NULL);
    CHECK(lr_enhance_for_detection(pix, 300, 0) == NULL);

    lr_enhanced_clear(NULL);
    memset(&e, 0, sizeof e);
    lr_enhanced_clear(&e);
    pixDestroy(&pix);
}

/* Every depth and orientation: the input is left as it was, view and binary have the upright
 * geometry, the depths promised, the resolution set. */
static void check_geometry_and_input(void)
{
    PIX *page = enh_read_sample("ledger-a-colour-jpeg-rot90.tif", 0);
    CHECK(page != NULL);
    if (!page)
        return;
    /* A reduced copy keeps this quick; 150 dpi is a legitimate input. */
    PIX *colour = pixScaleAreaMap2(page);
    pixSetResolution(colour, 150, 150);
    PIX *grey = pixConvertRGBToLuminance(colour);
    PIX *bitonal = pixThresholdToBinary(grey, 160);
    PIX *inputs[3] = {bitonal, grey, colour};
    for (int i = 0; i < 3; i++) {
        PIX *in = inputs[i];
        PIX *before = pixCopy(NULL, in);
        for (int orient = 0; orient < 360; orient += 90) {
            lr_enhanced e;
            lr_error err;
            int rc = lr_enhance_page(in, orient, 150, NULL, &e, &err);
            CHECKF(rc == 0, "%d bpp, %d: %s", pixGetDepth(in), orient, err.message);
            if (rc)
                continue;
            bool swap = orient == 90 || orient == 270;
            int w = swap ? pixGetHeight(in) : pixGetWidth(in);
            int h = swap ? pixGetWidth(in) : pixGetHeight(in);
            CHECK(pixGetWidth(e.view) == w && pixGetHeight(e.view) == h);
            CHECK(pixGetWidth(e.view) == pixGetWidth(e.binary) &&
                  pixGetHeight(e.view) == pixGetHeight(e.binary));
            CHECK(pixGetDepth(e.binary) == 1);
            CHECK(pixGetDepth(e.view) == (pixGetDepth(in) == 32 ? 32 : 8));
            CHECK(pixGetXRes(e.view) == 150 && pixGetXRes(e.binary) == 150);
            CHECK(e.view != in && e.binary != in);
            /* the file is turned 90° clockwise: upright is 270, and only then is there skew */
            if (orient == 270)
                CHECKF(fabsf(e.skew_deg + 0.8f) <= 0.2f, "%d bpp: skew %+.3f", pixGetDepth(in),
                       e.skew_deg);
            l_int32 same = 0;
            pixEqual(in, before, &same);
            CHECKF(same, "%d bpp input modified (orientation %d)", pixGetDepth(in), orient);
            lr_enhanced_clear(&e);
            CHECK(e.view == NULL && e.binary == NULL);
        }
        pixDestroy(&before);
    }
    /* lr_enhance_find_skew does not modify its input either. */
    PIX *before = pixCopy(NULL, grey);
    float deg;
    bool found;
    CHECK(lr_enhance_find_skew(grey, NULL, &deg, NULL, &found, NULL) == 0);
    l_int32 same = 0;
    pixEqual(grey, before, &same);
    CHECK(same);
    pixDestroy(&before);

    /* Reduced copy for orientation detection: grey, about the target resolution, never
     * enlarged, resolution set; from every depth. */
    for (int i = 0; i < 3; i++) {
        PIX *d = lr_enhance_for_detection(inputs[i], 150, 75);
        CHECK(d && pixGetDepth(d) == 8 && !pixGetColormap(d));
        if (d) {
            CHECKF(abs(pixGetWidth(d) - pixGetWidth(inputs[i]) / 2) <= 1, "width %d",
                   pixGetWidth(d));
            CHECK(pixGetXRes(d) == 75);
        }
        pixDestroy(&d);
        d = lr_enhance_for_detection(inputs[i], 150, 300);
        CHECK(d && pixGetWidth(d) == pixGetWidth(inputs[i]) && pixGetDepth(d) == 8);
        CHECK(d != inputs[i]);
        pixDestroy(&d);
    }
    pixDestroy(&bitonal);
    pixDestroy(&grey);
    pixDestroy(&colour);
    pixDestroy(&page);
}

/* The same page given turned by 90, 180 or 270 degrees, with the orientation that turns it
 * back, comes out as the page given upright: the turn and the deskew are one resampling,
 * whose mapping this checks (the analysis copy is turned exactly, so the skew is the same). */
static void check_orientations_agree(void)
{
    PIX *page = enh_read_sample("ledger-b-grey-lzw.tif", 0); /* skew -2.0 */
    CHECK(page != NULL);
    if (!page)
        return;
    PIX *half = pixScaleAreaMap2(page); /* 150 dpi keeps this quick */
    pixSetResolution(half, 150, 150);
    lr_enhanced ref;
    lr_error err;
    CHECK(lr_enhance_page(half, 0, 150, NULL, &ref, &err) == 0);
    CHECK(ref.skew_applied);
    for (int turn = 90; turn < 360 && ref.view; turn += 90) {
        PIX *given = lr_enhance_rotate_orth(half, turn);
        lr_enhanced e;
        CHECK(lr_enhance_page(given, 360 - turn, 150, NULL, &e, &err) == 0);
        if (e.view) {
            CHECKF(e.skew_deg == ref.skew_deg, "turned %d: skew %+.3f, upright %+.3f", turn,
                   e.skew_deg, ref.skew_deg);
            int maxd;
            double frac = 1, bfrac = 1;
            bool same = enh_compare(e.view, ref.view, 4, &maxd, &frac) &&
                        enh_compare(e.binary, ref.binary, 0, &maxd, &bfrac);
            printf("given turned %d: %.4f%% of view pixels and %.4f%% of binary pixels differ\n",
                   turn, 100 * frac, 100 * bfrac);
            CHECKF(same && frac <= 0.005 && bfrac <= 0.002, "turned %d: %.4f / %.4f", turn, frac,
                   bfrac);
        }
        lr_enhanced_clear(&e);
        pixDestroy(&given);
    }
    lr_enhanced_clear(&ref);
    pixDestroy(&half);
    pixDestroy(&page);
}

/* Pages with nothing to measure are not errors. */
static void check_degenerate(void)
{
    const int sizes[][2] = {{1, 1}, {3, 200}, {40, 30}, {600, 800}};
    const int depths[] = {1, 8, 32};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (size_t d = 0; d < 3; d++)
            for (int black = 0; black < 2; black++) {
                PIX *pix = pixCreate(sizes[s][0], sizes[s][1], depths[d]);
                pixSetBlackOrWhite(pix, black ? L_SET_BLACK : L_SET_WHITE);
                lr_enhanced e;
                lr_error err;
                int rc = lr_enhance_page(pix, 90, 300, NULL, &e, &err);
                CHECKF(rc == 0, "%dx%d %d bpp %s: %s", sizes[s][0], sizes[s][1], depths[d],
                       black ? "black" : "white", err.message);
                if (rc == 0) {
                    CHECK(pixGetWidth(e.binary) == sizes[s][1]);
                    CHECK(e.skew_conf == 0 && !e.skew_applied && e.skew_deg == 0);
                    l_int32 n = -1;
                    pixCountPixels(e.binary, &n, NULL);
                    if (!black)
                        CHECKF(n == 0, "blank page: %d black pixels", n);
                }
                lr_enhanced_clear(&e);
                float deg = 1;
                bool found = true;
                CHECK(lr_enhance_find_skew(pix, NULL, &deg, NULL, &found, NULL) == 0);
                CHECK(!found && deg == 0);
                pixDestroy(&pix);
            }
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_ERROR);
    check_options();
    check_errors();
    check_geometry_and_input();
    check_orientations_agree();
    check_degenerate();
    return lr_test_finish("enhance-page");
}
