/* test_ruling.c — the ruled table decides a ledger's orientation before OSD (orient.h,
 * lr_orient_read_ruling), on sheets landrec-synth makes (argv[1]):
 *
 *  1. clean sheets of the five ruled forms, each turned by 0/90/180/270 in memory: every turn
 *     decided by the table and right, OSD not run (lr_orient_detect);
 *  2. degraded sheets (noise, blur, stains, skew up to 5°) turned the same way: the table
 *     decides the right turn or nothing; what it leaves goes to OSD;
 *  3. pages without a ledger's table fall through to OSD: a map (ruled parcels, no rows), a
 *     blank page, a committed sheet's page with its ruling cut away;
 *  4. the rule switched off, bad arguments, the source's name.
 *
 * The real pages of ../shared/realdata are checked in test_orient_real.c. */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/enhance.h"
#include "landrec/orient.h"
#include "lr_test.h"

static int page_dpi(PIX *pix)
{
    int dpi = pixGetXRes(pix);
    return dpi < 50 || dpi > 2400 ? 300 : dpi;
}

/* The sheets' truth: each file's turn to upright ("orientation" in its JSON). */
static int truth_turn(const char *tif)
{
    char json[4096];
    snprintf(json, sizeof json, "%.*s.json", (int)strlen(tif) - 4, tif);
    FILE *f = fopen(json, "r");
    if (!f)
        return -1;
    static char buf[1 << 17];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strstr(buf, "\"orientation\":");
    return p ? atoi(p + strlen("\"orientation\":")) : -1;
}

/* Sheet i of dir turned by 0/90/180/270: the ruled table decides right (must_decide: every
 * turn) or, when it does not decide, OSD runs. Counts its decisions into *decided. */
static void turns(lr_ocr *ocr, const char *dir, int i, bool must_decide, int *decided, int *all)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sheet-%04d.tif", dir, i);
    PIX *pix = pixReadTiff(path, 0);
    int truth = truth_turn(path);
    CHECKF(pix != NULL && truth >= 0, "cannot read %s", path);
    if (!pix || truth < 0) {
        pixDestroy(&pix);
        return;
    }
    int dpi = page_dpi(pix);
    for (int quads = 0; quads < 4; quads++) {
        PIX *turned = pixRotateOrth(pix, quads);
        int want = (truth + 360 - quads * 90) % 360;
        lr_orientation o;
        lr_error err;
        CHECKF(lr_orient_detect(ocr, turned, dpi, NULL, &o, &err) == LR_OK, "%s", err.message);
        bool ruled = o.source == LR_ORIENT_RULING;
        printf("  sheet %d turned %3d: want %3d got %3d by %-6s (full lines %d:%d, labels "
               "%.2f:%.2f, title %.4f:%.4f; ruling %.0f ms, OSD %.0f ms)\n",
               i, quads * 90, want, o.deg, lr_orient_source_name(o.source), o.rows_full,
               o.cols_full, (double)o.label_first, (double)o.label_second, (double)o.title_first,
               (double)o.title_second, o.ruling_ms, o.osd_ms);
        CHECK(o.ruling_ran);
        if (ruled) {
            CHECKF(o.deg == want, "sheet %d turned %d: the ruled table says %d, want %d", i,
                   quads * 90, o.deg, want);
            /* OSD did not run; the confidence is at least OSD's threshold. */
            CHECK(o.osd_conf == 0.0f && !o.fallback_ran);
            CHECK(o.ruling_conf >= LR_OCR_MIN_ORIENT_CONF);
        }
        CHECKF(ruled || !must_decide, "sheet %d turned %d: the ruled table did not decide", i,
               quads * 90);
        *decided += ruled;
        (*all)++;
        pixDestroy(&turned);
    }
    pixDestroy(&pix);
}

/* No ledger's table: the ruling reads it, decides nothing, OSD runs. */
static void falls_through(lr_ocr *ocr, PIX *pix, int dpi, const char *what)
{
    lr_orientation o;
    lr_error err;
    CHECKF(lr_orient_detect(ocr, pix, dpi, NULL, &o, &err) == LR_OK, "%s: %s", what, err.message);
    printf("  %s: %s %d (full lines %d:%d, labels %.2f:%.2f)\n", what,
           lr_orient_source_name(o.source), o.deg, o.rows_full, o.cols_full, (double)o.label_first,
           (double)o.label_second);
    CHECKF(o.ruling_ran && o.source != LR_ORIENT_RULING, "%s: decided by the ruled table", what);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("test_ruling: needs landrec-synth: skipped\n");
        return 77;
    }
    lr_ocr_options opts;
    lr_ocr_options_default(&opts);
    lr_ocr *ocr = NULL;
    lr_error err;
    if (lr_ocr_new(&opts, &ocr, &err) < 0) {
        fprintf(stderr, "lr_ocr_new: %s (%s)\n", err.message, err.detail);
        return 99;
    }
    char dir[2048];

    printf("clean sheets of the five ruled forms:\n");
    const char *clean = "--count 5 --types land,forest,land1950,card1975,movement --preset clean "
                        "--seed 11";
    CHECKF(lr_test_synth(argv[1], "ruling-clean", clean, dir, sizeof dir) == 0, "landrec-synth %s",
           clean);
    int decided = 0, all = 0;
    for (int i = 1; i <= 5; i++)
        turns(ocr, dir, i, true, &decided, &all);

    printf("degraded sheets:\n");
    const char *degraded =
        "--count 5 --types land,forest,land1950,card1975,movement --preset degraded --seed 12";
    CHECKF(lr_test_synth(argv[1], "ruling-degraded", degraded, dir, sizeof dir) == 0,
           "landrec-synth %s", degraded);
    decided = all = 0;
    for (int i = 1; i <= 5; i++)
        turns(ocr, dir, i, false, &decided, &all);
    printf("  the ruled table decided %d of %d\n", decided, all);
    /* Most of them: a rule that gave up on every degraded page would spare no OSD. */
    CHECKF(2 * decided >= all, "the ruled table decided only %d of %d degraded turns", decided,
           all);

    printf("pages without a ledger's table:\n");
    const char *map = "--count 1 --types map --preset clean --seed 11";
    CHECKF(lr_test_synth(argv[1], "ruling-map", map, dir, sizeof dir) == 0, "landrec-synth %s",
           map);
    char path[4096];
    snprintf(path, sizeof path, "%s/sheet-0001.tif", dir);
    PIX *pix = pixReadTiff(path, 0);
    CHECK(pix != NULL);
    if (pix)
        falls_through(ocr, pix, page_dpi(pix), "map");
    pixDestroy(&pix);

    PIX *blank = pixCreate(1240, 1754, 8);
    pixSetAll(blank);
    falls_through(ocr, blank, 150, "blank page");

    /* The committed colour sheet's entries without the table: the ruling cut away (the
     * middle of the table painted white leaves the title and the top rows only). */
    snprintf(path, sizeof path, "%s/synth/colour/sheet-0002.tif", lr_test_data_dir());
    pix = pixRead(path);
    CHECK(pix != NULL);
    if (pix) {
        int w = pixGetWidth(pix), h = pixGetHeight(pix);
        PIX *cut = pixCopy(NULL, pix);
        BOX *below = boxCreate(0, h / 5, w, h - h / 5);
        CHECK(cut && below && pixSetInRect(cut, below) == 0);
        boxDestroy(&below);
        falls_through(ocr, cut, page_dpi(pix), "sheet without its table");
        pixDestroy(&cut);

        /* Switched off: not read. */
        lr_orient_options oo;
        lr_orient_options_default(&oo);
        oo.ruling = false;
        lr_orientation o;
        CHECK(lr_orient_detect(ocr, pix, page_dpi(pix), &oo, &o, &err) == LR_OK);
        CHECK(!o.ruling_ran && o.source != LR_ORIENT_RULING && o.ruling_ms == 0.0);

        /* Alone, on the reduced copy: upright, decided 0. Not 8 bpp: refused. */
        PIX *det = lr_enhance_for_detection(pix, page_dpi(pix), LR_OCR_OSD_DPI);
        memset(&o, 0, sizeof o);
        CHECK(det && lr_orient_read_ruling(det, pixGetXRes(det), &o, &err) == LR_OK);
        CHECK(o.ruling_ran && o.source == LR_ORIENT_RULING && o.deg == 0);
        PIX *bin = det ? pixConvertTo1(det, 128) : NULL;
        CHECK(bin && lr_orient_read_ruling(bin, 150, &o, NULL) == LR_ERR_ARG);
        CHECK(lr_orient_read_ruling(NULL, 150, &o, NULL) == LR_ERR_ARG);
        CHECK(det && lr_orient_read_ruling(det, 10, &o, NULL) == LR_ERR_ARG);
        pixDestroy(&bin);
        pixDestroy(&det);
    }
    pixDestroy(&pix);
    pixDestroy(&blank);
    CHECK(strcmp(lr_orient_source_name(LR_ORIENT_RULING), "ruling") == 0);
    lr_ocr_destroy(&ocr);
    return lr_test_finish("test_ruling");
}
