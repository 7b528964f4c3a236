/* lines.c — the vertical ruling lines taken out of the page OCR reads, and the strokes they
 * crossed mended (lr_enhance_remove_lines). */
#include <leptonica/allheaders.h>

#include "enhance_internal.h"
#include "landrec/runs.h"

/* A straight vertical run of ink at least this long and at most this wide is a line, not a
 * character stroke. Display type can be tall: black-letter stems reach 17 mm by 1.7 mm, and
 * their thin edges read as lines up to 15 mm long. Table columns span several rows, far
 * longer. */
#define LINE_MIN_MM 20.0
#define LINE_MAX_WIDTH_MM 1.5
/* A stroke cut where it crossed a line is mended across a gap up to this long... */
#define LINE_MEND_MM 1.0
/* ...plus the line's ragged edge, this many pixels at ENH_REF_DPI each side of its straight
 * core, which goes with it. */
#define LINE_EDGE_PX_AT_REF 1

/* The vertical lines of bin (1 bpp) at dpi into *out_lines: straight vertical runs at least
 * LINE_MIN_MM long and at most LINE_MAX_WIDTH_MM wide. */
static int find_vertical_lines(PIX *bin, int dpi, PIX **out_lines, lr_error *err)
{
    *out_lines = NULL;
    PIX *runs = lr_pix_open_line_comp(bin, enh_mm_to_px(LINE_MIN_MM, dpi), true);
    if (!runs)
        return enh_lept_failed(err, "lr_pix_open_line_comp", bin);
    /* A wide stroke's straight part is no line (+ 1: L_SELECT_IF_LT keeps widths up to the
     * limit itself). */
    *out_lines = pixSelectBySize(runs, enh_mm_to_px(LINE_MAX_WIDTH_MM, dpi) + 1, 0, 8,
                                 L_SELECT_WIDTH, L_SELECT_IF_LT, NULL);
    pixDestroy(&runs);
    if (!*out_lines)
        return enh_lept_failed(err, "pixSelectBySize", bin);
    return LR_OK;
}

/* Vertical lines only. Tesseract reads them as '|', 'l' or '1' and as parts of the characters
 * they touch; the horizontal ones it does not read, but it uses them to keep a table's rows
 * apart: without them it reads the cells down the columns (docs/enhance.md). */
int lr_enhance_remove_lines(PIX *bin, int dpi, PIX **out_text, int *out_nlines, lr_error *err)
{
    if (out_text)
        *out_text = NULL;
    if (out_nlines)
        *out_nlines = 0;
    int rc = LR_OK;
    PIX *text = NULL, *lines = NULL, *mend = NULL;
    if (!out_text || !bin || pixGetDepth(bin) != 1)
        return lr_error_set(err, LR_ERR_ARG, "no 1 bpp page to remove the ruling lines from");
    if ((rc = enh_check_dpi(dpi, err)) < 0)
        return rc;
    if (!(text = pixCopy(NULL, bin))) {
        rc = enh_lept_failed(err, "pixCopy", bin);
        goto done;
    }
    if ((rc = find_vertical_lines(bin, dpi, &lines, err)) < 0)
        goto done;
    l_int32 n = 0;
    if (pixCountConnComp(lines, 8, &n) != 0) {
        rc = enh_lept_failed(err, "pixCountConnComp", lines);
        goto done;
    }
    if (n > 0) {
        /* The opening keeps the line's straight core; the pixels its ragged edges stick
         * out by would stay behind as hairs. */
        int edge = enh_px_at_dpi(LINE_EDGE_PX_AT_REF, dpi);
        if (!pixDilateBrick(lines, lines, 2 * edge + 1, 1)) {
            rc = enh_lept_failed(err, "pixDilateBrick", lines);
            goto done;
        }
        pixSubtract(text, text, lines);
        /* A stroke that crossed the line lost the piece inside it: a horizontal closing
         * joins the halves, painted back only inside the line, so nothing else changes and
         * ink touching the line from one side is not extended. */
        int gap = enh_mm_to_px(LINE_MEND_MM, dpi) + 2 * edge;
        if (!(mend = lr_pix_close_line_safe(text, gap, false))) {
            rc = enh_lept_failed(err, "lr_pix_close_line_safe", text);
            goto done;
        }
        pixAnd(mend, mend, lines);
        pixOr(text, text, mend);
    }
    *out_text = text;
    text = NULL;
    if (out_nlines)
        *out_nlines = n;
done:
    pixDestroy(&text);
    pixDestroy(&lines);
    pixDestroy(&mend);
    return rc;
}
