/* test_unboxed.c — a character whose outer stroke encloses the rest (國: 囗 round 或) is read
 * when the handle is set for an image without boxes (lr_ocr_set_unboxed), and Tesseract's
 * defaults come back after; a cell read alone (lr_ocr_read_cell) relaxes them for its own
 * read only. testdata/ocr/boxed-char.png is 國 as the cells' montage lays it out (200 × 90,
 * 1 bpp, 300 dpi). With Tesseract's defaults (tesseract 5.3.0) the blob is junked as a box
 * drawn round text and nothing is read; unboxed, 國. */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <string.h>

#include "landrec/ocr.h"
#include "lr_test.h"

/* The words of one line read from pix, joined by spaces, into buf. */
static void read_line(lr_ocr *ocr, PIX *pix, char *buf, size_t size)
{
    lr_ocr_result r = {0};
    lr_error err;
    buf[0] = '\0';
    CHECK(lr_ocr_recognize_region(ocr, pix, 300, 7, 0, 0, 0, &r, &err) == LR_OK);
    for (size_t i = 0; i < r.nwords; i++)
        if (r.words[i].text && strlen(buf) + strlen(r.words[i].text) + 2 < size)
            strcat(strcat(buf, i ? " " : ""), r.words[i].text);
    lr_ocr_result_clear(&r);
}

int main(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/ocr/boxed-char.png", lr_test_data_dir());
    PIX *pix = pixRead(path);
    if (!pix) {
        fprintf(stderr, "cannot read %s\n", path);
        return 99;
    }
    lr_ocr_options opts;
    lr_ocr_options_default(&opts);
    opts.orientation = false;
    lr_ocr *ocr = NULL;
    lr_error err;
    if (lr_ocr_new(&opts, &ocr, &err) != LR_OK) {
        fprintf(stderr, "lr_ocr_new: %s\n", err.message);
        return 99;
    }
    char before[256], unboxed[256], after[256];
    read_line(ocr, pix, before, sizeof before);
    lr_ocr_set_unboxed(ocr, true);
    read_line(ocr, pix, unboxed, sizeof unboxed);
    lr_ocr_set_unboxed(ocr, false);
    read_line(ocr, pix, after, sizeof after);
    printf("defaults \"%s\", unboxed \"%s\", defaults again \"%s\"\n", before, unboxed, after);
    CHECKF(strcmp(unboxed, "國") == 0, "unboxed read \"%s\"", unboxed);
    /* Tesseract's own rule, for the record: if a later Tesseract reads it anyway, the
     * setting is no longer needed (docs/ocr.md). */
    CHECKF(strcmp(before, "") == 0, "defaults read \"%s\": the box rule changed", before);
    CHECKF(strcmp(after, before) == 0, "defaults not restored: \"%s\" then \"%s\"", before, after);

    lr_ocr_cell_opts co = {NULL, LR_OCR_PSM_LINE, NULL};
    char *cell = NULL;
    float conf = 0;
    CHECK(lr_ocr_read_cell(ocr, pix, 300, &co, &cell, &conf, &err) == LR_OK);
    char cell_line[256];
    snprintf(cell_line, sizeof cell_line, "%.*s", cell ? (int)strcspn(cell, "\n") : 0,
             cell ? cell : "");
    free(cell);
    read_line(ocr, pix, after, sizeof after);
    printf("cell read alone \"%s\", then defaults \"%s\"\n", cell_line, after);
    CHECKF(strcmp(cell_line, "國") == 0, "cell read \"%s\"", cell_line);
    CHECKF(strcmp(after, before) == 0, "a cell read left the box rules relaxed: \"%s\"", after);
    lr_ocr_destroy(&ocr);
    pixDestroy(&pix);
    return lr_test_finish("test_unboxed");
}
