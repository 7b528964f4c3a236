/* test_orient.c — lr_orient_detect, OSD with the text-line fallback (orient.h), on three
 * committed synthetic sheets where OSD at 150 dpi is unsure (or, on one, only a little sure):
 * each is turned by 0/90/180/270 in memory and must come back right, the upright one staying
 * 0. The first is the bitonal sheet a reading vote on one square read as 270 (docs/ocr.md).
 * The ruled table, which decides these sheets before OSD, is switched off here: what is
 * tested is OSD and the fallback (test_ruling.c tests the table).
 * Also: the fallback alone on a reduced copy, a blank page, the fallback switched off, bad
 * arguments. */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "landrec/clock.h"
#include "landrec/enhance.h"
#include "landrec/orient.h"
#include "lr_test.h"

#define MAP_INDEX "11"

static int page_dpi(PIX *pix)
{
    int dpi = pixGetXRes(pix);
    return dpi < 50 || dpi > 2400 ? 300 : dpi;
}

static double fallback_ms;
static int fallback_runs;

/* sheet (upright: truth 0) turned clockwise by 0/90/180/270 must give back the turn; at
 * least min_lines of the four decided by the fallback, min_checked of them OSD turns it
 * checked. */
static void turned_sheet(lr_ocr *ocr, const char *file, int page, int min_lines, int min_checked)
{
    char path[4096];
    if (file[0] == '/')
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/synth/%s", lr_test_data_dir(), file);
    PIX *pix = pixReadTiff(path, page - 1);
    CHECKF(pix != NULL, "cannot read %s page %d", path, page);
    if (!pix)
        return;
    int dpi = page_dpi(pix);
    printf("%s p%d (%d dpi):\n", file, page, dpi);
    int by_lines = 0, checked = 0;
    for (int quads = 0; quads < 4; quads++) {
        PIX *turned = pixRotateOrth(pix, quads);
        int want = (360 - quads * 90) % 360;
        lr_orientation o;
        lr_error err;
        lr_orient_options oo;
        lr_orient_options_default(&oo);
        oo.ruling = false;
        int rc = lr_orient_detect(ocr, turned, dpi, &oo, &o, &err);
        CHECK(!o.ruling_ran);
        printf("  turned %3d: want %3d got %3d by %-6s (OSD %.2f; %d across, %d down; lines %d, "
               "evidence %.2f, votes %d:%d, means %.0f:%.0f; %.0f ms)\n",
               quads * 90, want, o.deg, lr_orient_source_name(o.source), (double)o.osd_conf,
               o.across, o.down, o.lines, (double)o.evidence, o.votes_first, o.votes_second,
               (double)o.mean_first, (double)o.mean_second, o.fallback_ms);
        CHECKF(rc == LR_OK, "%s turned %d: %s", file, quads * 90, err.message);
        CHECKF(o.deg == want, "%s turned %d: orientation %d, want %d", file, quads * 90, o.deg,
               want);
        /* The fallback ran when OSD was unsure, never when OSD was quite sure. */
        if (o.osd_conf < LR_OCR_MIN_ORIENT_CONF)
            CHECK(o.fallback_ran);
        if (o.osd_conf >= LR_ORIENT_CHECK_CONF)
            CHECK(!o.fallback_ran);
        /* The fallback decides only with evidence as strong as OSD's threshold. */
        if (o.source == LR_ORIENT_LINES)
            CHECKF(o.evidence >= LR_OCR_MIN_ORIENT_CONF, "%s turned %d: decided on evidence %.2f",
                   file, quads * 90, (double)o.evidence);
        by_lines += o.source == LR_ORIENT_LINES;
        checked += o.fallback_ran && o.osd_conf >= LR_OCR_MIN_ORIENT_CONF;
        if (o.fallback_ran) {
            fallback_ms += o.fallback_ms;
            fallback_runs++;
        }
        pixDestroy(&turned);
    }
    /* Chosen for what OSD does on them: if that changes, pick other sheets. */
    CHECKF(by_lines >= min_lines, "%s: the fallback decided only %d of the 4 turns", file,
           by_lines);
    CHECKF(checked >= min_checked, "%s: the fallback checked only %d of OSD's answers", file,
           checked);
    pixDestroy(&pix);
}

/* The fallback alone, on the reduced copy lr_orient_detect makes: the sheet turned 180. */
static void fallback_alone(lr_ocr *ocr)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/synth/colour/sheet-0002.tif", lr_test_data_dir());
    PIX *pix = pixRead(path);
    CHECKF(pix != NULL, "cannot read %s", path);
    if (!pix)
        return;
    PIX *turned = pixRotateOrth(pix, 2);
    PIX *det = lr_enhance_for_detection(turned, page_dpi(pix), LR_OCR_OSD_DPI);
    CHECK(det != NULL);
    lr_orientation o;
    memset(&o, 0, sizeof o);
    lr_error err;
    int rc = lr_orient_read_lines(ocr, det, pixGetXRes(det), &o, &err);
    CHECKF(rc == LR_OK, "%s", err.message);
    CHECK(o.fallback_ran);
    CHECKF(o.deg == 180 && o.source == LR_ORIENT_LINES, "turned 180: got %d by %s", o.deg,
           lr_orient_source_name(o.source));
    CHECK(o.across > o.down);
    CHECK(o.evidence >= LR_OCR_MIN_ORIENT_CONF);
    CHECK(o.votes_second > o.votes_first);
    /* Not 8 bpp: refused. */
    PIX *bin = pixConvertTo1(det, 128);
    CHECK(lr_orient_read_lines(ocr, bin, 150, &o, NULL) == LR_ERR_ARG);
    pixDestroy(&bin);
    pixDestroy(&det);
    pixDestroy(&turned);
    pixDestroy(&pix);
}

static void blank_and_off(lr_ocr *ocr)
{
    /* A blank page: OSD finds nothing, the fallback finds no text and leaves it. */
    PIX *blank = pixCreate(1240, 1754, 8);
    pixSetAll(blank);
    lr_orientation o;
    lr_error err;
    CHECK(lr_orient_detect(ocr, blank, 150, NULL, &o, &err) == LR_OK);
    CHECK(o.deg == 0 && o.source == LR_ORIENT_UNSURE && o.fallback_ran);
    CHECK(o.lines == 0);
    pixDestroy(&blank);

    /* The fallback switched off: an unsure page is left as it is. */
    char path[1024];
    snprintf(path, sizeof path, "%s/synth/colour/sheet-0002.tif", lr_test_data_dir());
    PIX *pix = pixRead(path);
    PIX *turned = pix ? pixRotateOrth(pix, 2) : NULL;
    CHECK(turned != NULL);
    if (turned) {
        lr_orient_options oo;
        lr_orient_options_default(&oo);
        CHECK(oo.fallback && oo.ruling);
        oo.fallback = false;
        oo.ruling = false;
        CHECK(lr_orient_detect(ocr, turned, page_dpi(pix), &oo, &o, &err) == LR_OK);
        CHECKF(o.osd_conf < LR_OCR_MIN_ORIENT_CONF, "OSD is sure (%.2f): pick another sheet",
               (double)o.osd_conf);
        CHECK(o.deg == 0 && !o.fallback_ran && o.source == LR_ORIENT_UNSURE);
    }
    pixDestroy(&turned);
    pixDestroy(&pix);

    CHECK(lr_orient_detect(NULL, blank, 150, NULL, &o, NULL) == LR_ERR_ARG);
    CHECK(lr_orient_detect(ocr, NULL, 150, NULL, &o, NULL) == LR_ERR_ARG);
    CHECK(strcmp(lr_orient_source_name(LR_ORIENT_LINES), "lines") == 0);
}

int main(int argc, char **argv)
{
    lr_ocr_options opts;
    lr_ocr_options_default(&opts);
    lr_ocr *ocr = NULL;
    lr_error err;
    if (lr_ocr_new(&opts, &ocr, &err) < 0) {
        fprintf(stderr, "lr_ocr_new: %s (%s)\n", err.message, err.detail);
        return 99;
    }
    double t0 = lr_clock_ms();
    /* OSD unsure in all four turns. */
    turned_sheet(ocr, "bitonal/sheet-0003.tif", 1, 4, 0);
    turned_sheet(ocr, "colour/sheet-0002.tif", 1, 4, 0);
    /* OSD unsure at 90 and 270, sure of 180 at 4.4: checked. */
    turned_sheet(ocr, "colour/sheet-0003.tif", 1, 3, 1);
    fallback_alone(ocr);
    blank_and_off(ocr);
    /* A map: short labels scattered over parcels give no clear direction of lines, and OSD is
     * unsure: the lines of both axes are read and the four orientations compete.
     * argv[1]: landrec-synth. */
    if (argc > 1) {
        char dir[2048], map[4096];
        const char *args = "--count " MAP_INDEX " --types map --preset mixed --seed 5";
        CHECKF(lr_test_synth(argv[1], "orient-map", args, dir, sizeof dir) == 0,
               "landrec-synth %s", args);
        snprintf(map, sizeof map, "%s/sheet-00" MAP_INDEX ".tif", dir);
        turned_sheet(ocr, map, 1, 2, 0);
    }
    if (fallback_runs)
        printf("fallback: %d runs, %.0f ms each on average; all %.0f ms\n", fallback_runs,
               fallback_ms / fallback_runs, lr_clock_ms() - t0);
    lr_ocr_destroy(&ocr);
    return lr_test_finish("test_orient");
}
