/* test_orient_real.c — lr_orient_detect on the real pages of ../shared/realdata ($LR_REALDATA;
 * skipped with status 77 when it is absent), with the handle `landrec enhance` and `landrec run`
 * use (the default languages, OSD loaded):
 *
 *  1. no upright page is turned: DIBCO 2009 H01–H05 (handwritten) and P01–P05 (printed), the
 *     upright tesseract-test pages, Leptonica's scans, the sbrunner-deskew pages and the NDL
 *     kindai spreads (Japanese in vertical columns);
 *  2. the same pages with the text-line fallback alone, as if OSD had been unsure of each
 *     (as it is, at 0.18, on a handwritten letter, which a fallback deciding on weaker
 *     evidence than OSD's threshold turns by 270): it may confirm 0 or stay unsure, never
 *     turn;
 *  3. the rotated copies of tesseract-test/orientation.csv come out right, and the fallback
 *     alone never turns them wrongly;
 *  4. the ruled table alone (lr_orient_read_ruling) on every page, upright and turned by
 *     90/180/270 in memory: it may decide the page's turn or nothing, never another (none of
 *     these pages is a ledger: it decides none of them today).
 *
 * The fallback alone runs only where lr_orient_detect did not run it. About 25 s on one core. */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "landrec/clock.h"
#include "landrec/enhance.h"
#include "landrec/image.h"
#include "landrec/orient.h"
#include "lr_test.h"

static const char *const upright[] = {
    "dibco/2009/original/2009-H01.png",
    "dibco/2009/original/2009-H02.png",
    "dibco/2009/original/2009-H03.png",
    "dibco/2009/original/2009-H04.png",
    "dibco/2009/original/2009-H05.png",
    "dibco/2009/original/2009-P01.png",
    "dibco/2009/original/2009-P02.png",
    "dibco/2009/original/2009-P03.png",
    "dibco/2009/original/2009-P04.png",
    "dibco/2009/original/2009-P05.png",
    "tesseract-test/phototest.tif",
    "tesseract-test/eurotext.tif",
    "tesseract-test/8071_093.3B.tif",
    "tesseract-test/8087_054.3B.tif",
    "leptonica/feyn.tif",
    "leptonica/scots-frag.tif",
    "leptonica/table.15.tif",
    "leptonica/dave-orig.png",
    "sbrunner-deskew/deskew-1.png",
    "sbrunner-deskew/deskew-2.png",
    "sbrunner-deskew/deskew-3.png",
    "sbrunner-deskew/deskew-4.png",
    "sbrunner-deskew/deskew-5.png",
    "sbrunner-deskew/deskew-6.png",
    "sbrunner-deskew/deskew-7.png",
    "sbrunner-deskew/deskew-8.png",
    "ndl-docl/kindai/1029114_5.jpg",
    "ndl-docl/kindai/1029114_6.jpg",
    "ndl-docl/kindai/1029114_7.jpg",
    "ndl-docl/kindai/1029114_8.jpg",
};

/* The page as `landrec enhance` reads it: its resolution, or LR_IMAGE_FALLBACK_DPI. */
static PIX *read_page(const char *path, int *out_dpi)
{
    lr_source *src = NULL;
    PIX *pix = NULL;
    lr_page_info info;
    lr_error err;
    if (lr_image_open(path, NULL, &src, NULL, &err) < 0 ||
        lr_image_read_page(src, 1, &pix, &info, &err) < 0) {
        CHECKF(0, "cannot read %s: %s", path, err.message);
        lr_image_close(&src);
        return NULL;
    }
    lr_image_close(&src);
    *out_dpi = info.dpi_x > 0 ? info.dpi_x : LR_IMAGE_FALLBACK_DPI;
    return pix;
}

/* The fallback alone on the reduced copy lr_orient_detect makes, as if OSD (its answer in osd)
 * had been unsure: its answer, or -1 when it did not decide. */
static int fallback_alone(lr_ocr *ocr, PIX *pix, int dpi, const lr_orientation *osd,
                          lr_orientation *o)
{
    memset(o, 0, sizeof *o);
    o->osd_conf = osd->osd_conf;
    o->osd_deg = osd->osd_deg;
    int det_dpi = dpi < LR_OCR_OSD_DPI ? dpi : LR_OCR_OSD_DPI;
    PIX *det = lr_enhance_for_detection(pix, dpi, LR_OCR_OSD_DPI);
    CHECK(det != NULL);
    if (!det)
        return -1;
    lr_error err;
    int rc = lr_orient_read_lines(ocr, det, det_dpi, o, &err);
    CHECKF(rc == LR_OK, "lr_orient_read_lines: %s", err.message);
    pixDestroy(&det);
    return o->source == LR_ORIENT_LINES ? o->deg : -1;
}

/* The ruled table alone on pix turned by 0/90/180/270 (want: pix's own turn to upright):
 * it decides the right turn or nothing. Its decisions are counted in ruling_decided. */
static int ruling_decided, ruling_read;

static void ruling_alone(PIX *pix, int dpi, int want, const char *name)
{
    int det_dpi = dpi < LR_OCR_OSD_DPI ? dpi : LR_OCR_OSD_DPI;
    for (int quads = 0; quads < 4; quads++) {
        PIX *turned = pixRotateOrth(pix, quads);
        PIX *det = turned ? lr_enhance_for_detection(turned, dpi, LR_OCR_OSD_DPI) : NULL;
        CHECK(det != NULL);
        if (det && det_dpi >= LR_IMAGE_MIN_DPI) {
            lr_orientation o;
            memset(&o, 0, sizeof o);
            lr_error err;
            CHECKF(lr_orient_read_ruling(det, det_dpi, &o, &err) == LR_OK, "%s: %s", name,
                   err.message);
            int right = (want + 360 - quads * 90) % 360;
            ruling_read++;
            if (o.source == LR_ORIENT_RULING) {
                ruling_decided++;
                CHECKF(o.deg == right, "%s turned %d: the ruled table says %d, want %d", name,
                       quads * 90, o.deg, right);
            }
        }
        pixDestroy(&det);
        pixDestroy(&turned);
    }
}

/* One page that must come out as want; the fallback alone may say want or nothing. */
static void page(lr_ocr *ocr, const char *real, const char *file, int want)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", real, file);
    int dpi = 0;
    PIX *pix = read_page(path, &dpi);
    if (!pix)
        return;
    const char *name = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    lr_orientation o;
    lr_error err;
    double t0 = lr_clock_ms();
    int rc = lr_orient_detect(ocr, pix, dpi, NULL, &o, &err);
    CHECKF(rc == LR_OK, "%s: %s", name, err.message);
    printf("  %-26s want %3d: OSD %3d %5.2f -> %3d by %-6s", name, want, o.osd_deg,
           (double)o.osd_conf, o.deg, lr_orient_source_name(o.source));
    if (o.fallback_ran)
        printf(" (lines %d, votes %d:%d, means %.0f:%.0f)", o.lines, o.votes_first, o.votes_second,
               (double)o.mean_first, (double)o.mean_second);
    CHECKF(o.deg == want, "%s: turned by %d (%s; OSD %d at %.2f), want %d", name, o.deg,
           lr_orient_source_name(o.source), o.osd_deg, (double)o.osd_conf, want);
    if (!o.fallback_ran) {
        lr_orientation f;
        int deg = fallback_alone(ocr, pix, dpi, &o, &f);
        printf("; alone: %s %d (lines %d, votes %d:%d)", deg < 0 ? "unsure" : "decided",
               deg < 0 ? 0 : deg, f.lines, f.votes_first, f.votes_second);
        CHECKF(deg < 0 || deg == want, "%s: the fallback alone turns it by %d, want %d", name, deg,
               want);
    }
    printf("  %.0f ms\n", lr_clock_ms() - t0);
    ruling_alone(pix, dpi, want, name);
    pixDestroy(&pix);
}

/* orientation.csv: file,content,rotation_applied_to_upright_page,rotation_to_restore_upright.
 * The turned copies (the upright row is in the list above). */
static void rotated(lr_ocr *ocr, const char *real)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tesseract-test/orientation.csv", real);
    FILE *f = fopen(path, "r");
    CHECKF(f != NULL, "cannot open %s", path);
    if (!f)
        return;
    char line[1024];
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *restore = strrchr(line, ',');
        char *comma = strchr(line, ',');
        if (!restore || !comma || strncmp(line, "file,", 5) == 0)
            continue;
        *comma = '\0';
        restore++;
        int want = strcmp(restore, "90 clockwise") == 0           ? 90
                   : strcmp(restore, "90 counter-clockwise") == 0 ? 270
                   : strcmp(restore, "180") == 0                  ? 180
                   : strcmp(restore, "0") == 0                    ? 0
                                                                  : -1;
        CHECKF(want >= 0, "orientation.csv: unknown rotation \"%s\"", restore);
        if (want <= 0)
            continue;
        char file[1100];
        snprintf(file, sizeof file, "tesseract-test/%s", line);
        page(ocr, real, file, want);
        rows++;
    }
    fclose(f);
    CHECKF(rows == 4, "%d turned rows in orientation.csv, expected 4", rows);
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_ERROR); /* Leptonica's notes about the files' headers */
    const char *real = getenv("LR_REALDATA");
    struct stat st;
    if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("ocr-orient-real: no real data at \"%s\" (LR_REALDATA): skipped\n",
               real ? real : "");
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
    double t0 = lr_clock_ms();
    printf("upright pages (%s):\n", real);
    for (size_t i = 0; i < sizeof upright / sizeof *upright; i++)
        page(ocr, real, upright[i], 0);
    printf("turned copies (tesseract-test/orientation.csv):\n");
    rotated(ocr, real);
    printf("the ruled table alone: decided %d of %d turned copies\n", ruling_decided, ruling_read);
    printf("all in %.1f s\n", (lr_clock_ms() - t0) / 1e3);
    lr_ocr_destroy(&ocr);
    return lr_test_finish("ocr-orient-real");
}
