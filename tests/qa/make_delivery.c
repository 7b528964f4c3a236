/* make_delivery.c — the bad pages of the QA test's delivery, made from one good grey page
 * with Leptonica: make_delivery GOOD.tif OUTDIR writes into OUTDIR
 *   low-dpi.tif   the page at half its pixels, declaring 150 dpi
 *   blank.tif     an empty sheet of paper: light grey with a few specks, 300 dpi
 *   rotated.tif   the page turned 15 degrees, beyond the pipeline's skew search
 *   bitonal.tif   the page thresholded to 1 bit (G4)
 *   cut.tif       the page without its left third: lines of text run into the left edge */
#include <leptonica/allheaders.h>
#include <stdio.h>

static int write_tiff(const char *dir, const char *name, PIX *pix, int comp, int dpi)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!pix) {
        fprintf(stderr, "make_delivery: could not make %s\n", name);
        return 1;
    }
    pixSetResolution(pix, dpi, dpi);
    int rc = pixWriteTiff(path, pix, comp, "w") != 0;
    if (rc)
        fprintf(stderr, "make_delivery: could not write %s\n", path);
    pixDestroy(&pix);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: make_delivery GOOD.tif OUTDIR\n", stderr);
        return 2;
    }
    setLeptDebugOK(0);
    PIX *good = pixRead(argv[1]);
    PIX *grey = good ? pixConvertTo8(good, 0) : NULL;
    if (!grey) {
        fprintf(stderr, "make_delivery: cannot read %s\n", argv[1]);
        return 1;
    }
    int w = pixGetWidth(grey), h = pixGetHeight(grey), bad = 0;
    const char *dir = argv[2];

    bad |= write_tiff(dir, "low-dpi.tif", pixScaleAreaMap(grey, 0.5f, 0.5f), IFF_TIFF_LZW, 150);

    PIX *blank = pixCreate(w, h, 8);
    if (blank) {
        pixSetAllArbitrary(blank, 236);
        for (int i = 0; i < 12; i++) /* dust: a few pixels each, far below any threshold */
            pixSetPixel(blank, (i * 7919) % w, (i * 104729) % h, 90);
    }
    bad |= write_tiff(dir, "blank.tif", blank, IFF_TIFF_LZW, 300);

    bad |= write_tiff(
        dir, "rotated.tif",
        pixRotate(grey, 15.0f * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, w, h),
        IFF_TIFF_LZW, 300);

    bad |= write_tiff(dir, "bitonal.tif", pixConvertTo1(grey, 160), IFF_TIFF_G4, 300);

    BOX *keep = boxCreate(w / 3, 0, w - w / 3, h);
    bad |= write_tiff(dir, "cut.tif", pixClipRectangle(grey, keep, NULL), IFF_TIFF_LZW, 300);
    boxDestroy(&keep);

    pixDestroy(&grey);
    pixDestroy(&good);
    return bad;
}
