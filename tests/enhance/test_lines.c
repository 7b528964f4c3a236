/* test_lines.c — lr_enhance_remove_lines and the page OCR reads (ocr_binary): vertical
 * ruling lines drawn through and beside real text are removed, the text is kept, horizontal
 * lines and thick tall strokes stay. */
#include <leptonica/allheaders.h>

#include "enh_test.h"
#include "landrec/enhance.h"

/* ON pixels of pix inside the rectangle. */
static int count_in(PIX *pix, int x, int y, int w, int h)
{
    BOX *box = boxCreate(x, y, w, h);
    PIX *c = pixClipRectangle(pix, box, NULL);
    l_int32 n = -1;
    if (c)
        pixCountPixels(c, &n, NULL);
    pixDestroy(&c);
    boxDestroy(&box);
    return n;
}

int main(void)
{
    setMsgSeverity(L_SEVERITY_ERROR);
    lr_error err;
    PIX *out = NULL;
    int n = -1;

    /* Arguments. */
    CHECK(lr_enhance_remove_lines(NULL, 300, &out, &n, &err) == LR_ERR_ARG && !out && n == 0);
    PIX *grey = pixCreate(50, 50, 8);
    CHECK(lr_enhance_remove_lines(grey, 300, &out, NULL, &err) == LR_ERR_ARG && !out);
    pixDestroy(&grey);
    PIX *small = pixCreate(50, 50, 1);
    CHECK(lr_enhance_remove_lines(small, 10, &out, NULL, &err) == LR_ERR_ARG && !out);
    pixDestroy(&small);

    /* Text: the three text lines of the bitonal sample below its title (no ruling there). */
    PIX *page = enh_read_sample("ledger-a-bitonal-g4.tif", 0);
    CHECK(page && pixGetDepth(page) == 1);
    if (!page)
        return lr_test_finish("enhance-lines");
    lr_enhanced e;
    CHECK(lr_enhance_page(page, 0, 300, NULL, &e, &err) == 0);
    BOX *box = boxCreate(300, 380, 1300, 900);
    PIX *text = pixClipRectangle(e.binary, box, NULL);
    boxDestroy(&box);
    CHECK(text != NULL);
    if (!text)
        return lr_test_finish("enhance-lines");
    l_int32 text_on = 0;
    pixCountPixels(text, &text_on, NULL);
    printf("text crop: %d ink pixels\n", text_on);
    CHECK(text_on > 5000);

    /* No line: a copy, pixel for pixel. */
    CHECK(lr_enhance_remove_lines(text, 300, &out, &n, &err) == 0 && out && n == 0);
    l_int32 same = 0;
    if (out)
        pixEqual(out, text, &same);
    CHECK(same);
    pixDestroy(&out);

    /* Ruled: vertical lines 4 px wide, the whole height, beside the text and through it;
     * a frame line at the top; a thick tall bar (2.5 mm x 40 mm) like a display type stem. */
    int w = pixGetWidth(text), h = pixGetHeight(text);
    PIX *ruled = pixCopy(NULL, text);
    const int xs[] = {20, 330, 640, 950, 1260};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        pixRasterop(ruled, xs[i], 0, 4, h, PIX_SET, NULL, 0, 0);
    pixRasterop(ruled, 0, 10, w, 4, PIX_SET, NULL, 0, 0);
    pixRasterop(ruled, 1100, 400, 30, 470, PIX_SET, NULL, 0, 0);

    CHECK(lr_enhance_remove_lines(ruled, 300, &out, &n, &err) == 0 && out);
    printf("lines removed: %d\n", n);
    CHECK(n == 5);
    if (out) {
        /* The lines' pixels are gone where the text had no ink, but for the mending where a
         * glyph has ink on both sides of a line (1 % here). */
        int left = 0, line_px = 0;
        for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
            for (int y = 20; y < h; y++)
                for (int x = xs[i]; x < xs[i] + 4; x++) {
                    l_uint32 t = 0, o = 0;
                    pixGetPixel(text, x, y, &t);
                    pixGetPixel(out, x, y, &o);
                    if (!t) {
                        line_px++;
                        left += o != 0;
                    }
                }
        }
        printf("line pixels left: %d of %d\n", left, line_px);
        CHECK(line_px > 4000 && left <= line_px / 50);
        /* The text is kept: outside the lines and the bar nothing changed, and the ink
         * under the lines was mended to within a few per cent. */
        PIX *t2 = pixCopy(NULL, text), *o2 = pixCopy(NULL, out);
        pixRasterop(t2, 0, 0, w, 20, PIX_CLR, NULL, 0, 0);
        pixRasterop(o2, 0, 0, w, 20, PIX_CLR, NULL, 0, 0);
        pixRasterop(t2, 1100, 400, 30, 470, PIX_CLR, NULL, 0, 0);
        pixRasterop(o2, 1100, 400, 30, 470, PIX_CLR, NULL, 0, 0);
        l_int32 kept = 0, orig = 0;
        pixCountPixels(o2, &kept, NULL);
        pixCountPixels(t2, &orig, NULL);
        printf("text ink: %d of %d\n", kept, orig);
        CHECK(kept >= orig * 0.97 && kept <= orig * 1.01);
        int outside = 0;
        for (size_t i = 0; i <= sizeof xs / sizeof xs[0]; i++) {
            int x0 = i == 0 ? 0 : xs[i - 1] + 6, x1 = i < sizeof xs / sizeof xs[0] ? xs[i] - 2 : w;
            BOX *b = boxCreate(x0, 20, x1 - x0, h - 20);
            PIX *ct = pixClipRectangle(t2, b, NULL), *co = pixClipRectangle(o2, b, NULL);
            l_int32 eq = 0;
            pixEqual(ct, co, &eq);
            outside += !eq;
            pixDestroy(&ct);
            pixDestroy(&co);
            boxDestroy(&b);
        }
        CHECK(outside == 0);
        pixDestroy(&t2);
        pixDestroy(&o2);
        /* The horizontal line and the thick bar stay. */
        CHECK(count_in(out, 100, 10, 200, 4) == 800);
        CHECK(count_in(out, 1100, 400, 30, 470) == 30 * 470);
    }
    pixDestroy(&out);

    /* lr_enhance_page: ocr_binary without the lines, binary with them; off, a clone. */
    lr_enhanced r;
    pixSetResolution(ruled, 300, 300);
    lr_enhance_options on;
    lr_enhance_options_default(&on);
    on.remove_lines = true;
    CHECK(lr_enhance_page(ruled, 0, 300, &on, &r, &err) == 0);
    CHECK(r.binary && r.ocr_binary && r.nlines == 5);
    if (r.binary && r.ocr_binary) {
        CHECK(count_in(r.binary, 330, 20, 4, h - 20) > (h - 20) * 3);
        CHECK(count_in(r.ocr_binary, 330, 20, 4, h - 20) < (h - 20) / 2);
        CHECK(r.ms.lines_ms > 0); /* the line step was timed (0 when it is off, below) */
    }
    lr_enhanced_clear(&r);
    lr_enhance_options o;
    lr_enhance_options_default(&o);
    o.remove_lines = false;
    CHECK(lr_enhance_page(ruled, 0, 300, &o, &r, &err) == 0);
    CHECK(r.ocr_binary && r.ocr_binary == r.binary && r.nlines == 0 && r.ms.lines_ms == 0);
    lr_enhanced_clear(&r);

    pixDestroy(&ruled);
    pixDestroy(&text);
    lr_enhanced_clear(&e);
    pixDestroy(&page);
    return lr_test_finish("enhance-lines");
}
