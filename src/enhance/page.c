/* page.c — lr_enhance_page: the stages in order (see enhance.h and docs/enhance.md).
 *
 *   1. analysis copy: grey, reduced to about 150 dpi and turned upright; on it a mask of
 *      the dark scanner border (at about 75 dpi) and a background-normalised binary copy
 *      for Leptonica's skew search (sweep, then binary search)            (analysis.c);
 *   2. background map of the page as given (per channel for colour), measured before any
 *      white is brought in                                                (background.c);
 *   3. the page turned upright and deskewed in one bilinear pass (white brought in, size
 *      kept), or only turned (pixRotateOrth) when there is no skew to correct (deskew.c);
 *   4. the border mask, turned with the page, painted white               (border.c);
 *   5. the background map applied in place (paper to near white, red ink stays red), the
 *      grey page made in the same pass                                    (background.c);
 *   6. the grey page binarized (Sauvola, or tiled Otsu)                   (binarize.c);
 *   7. the page for OCR: the binary without its vertical ruling lines     (lines.c).
 *
 * Memory: besides the caller's page, one full-size copy (the view) plus, for colour, a
 * grey page and the 1 bpp binary; everything else is reduced or one row long.
 */
#include <leptonica/allheaders.h>
#include <math.h>
#include <string.h>

#include "enhance_internal.h"
#include "landrec/clock.h"

/* Below this the rotation would move no pixel by more than about 2 px on an A4 page. */
#define MIN_ROTATE_DEG 0.05f

/* One page on its way through the stages: what each step hands to the next. */
typedef struct page_work {
    const lr_enhance_options *opts;
    int orientation, dpi;
    bool bitonal;
    int sw, sh;       /* size of the page as given */
    int w, h;         /* upright size */
    float rotate_deg; /* the deskew applied, 0 for none */
    enh_analysis an;
    enh_bgmap map;
    enh_affine m; /* output page -> page as given */
    PIX *src;     /* the page at a working depth; usually a clone of the caller's page */
    PIX *work;    /* upright and deskewed: becomes the view */
    PIX *mask;    /* the border at full size, or NULL */
    PIX *grey, *bin, *ocr;
} page_work;

static void page_work_clear(page_work *p)
{
    pixDestroy(&p->src);
    pixDestroy(&p->work);
    pixDestroy(&p->mask);
    pixDestroy(&p->grey);
    pixDestroy(&p->bin);
    pixDestroy(&p->ocr);
    enh_analysis_clear(&p->an);
    enh_bgmap_clear(&p->map);
}

static int check_page_args(PIX *pixs, int orientation, int dpi, const lr_enhance_options *opts,
                           lr_enhanced *out, lr_error *err)
{
    if (!out)
        return lr_error_set(err, LR_ERR_ARG, "no place for the enhanced page");
    if (!pixs)
        return lr_error_set(err, LR_ERR_ARG, "no page to enhance");
    if (orientation != 0 && orientation != 90 && orientation != 180 && orientation != 270) {
        lr_error_set(err, LR_ERR_ARG, "invalid orientation %d", orientation);
        lr_error_hint(err, "The orientation is 0, 90, 180 or 270 degrees clockwise.");
        return LR_ERR_ARG;
    }
    int rc = enh_check_dpi(dpi, err);
    if (rc < 0)
        return rc;
    return enh_check_options(opts, err);
}

/* 1. Border mask and skew, on a reduced grey copy turned upright; the angle to undo. */
static int measure(page_work *p, lr_enhanced *out, lr_error *err)
{
    double t = lr_clock_ms();
    int rc = enh_analyse(p->src, p->orientation, p->dpi, p->opts->max_skew_deg, &p->an, err);
    if (rc < 0)
        return rc;
    out->skew_deg = p->an.skew.deg;
    out->skew_conf = p->an.skew.conf;
    if (p->opts->deskew && p->an.skew.measured && p->an.skew.conf >= p->opts->min_skew_conf &&
        fabsf(p->an.skew.deg) >= MIN_ROTATE_DEG)
        p->rotate_deg = p->an.skew.deg;
    out->ms.skew_ms = (float)(lr_clock_ms() - t);
    return LR_OK;
}

/* 2. The background map is measured on the page as given, before the rotation and the
 * border paint bring in white (see enh_bgmap_apply). A bitonal page has none: it is made
 * grey, so that the rotation is anti-aliased, and thresholded back in 6. */
static int measure_background(page_work *p, lr_enhanced *out, lr_error *err)
{
    double t = lr_clock_ms();
    if (p->bitonal) {
        PIX *grey = pixConvert1To8(NULL, p->src, 255, 0);
        if (!grey)
            return enh_lept_failed(err, "pixConvert1To8", p->src);
        pixDestroy(&p->src);
        p->src = grey;
    } else if (p->opts->normalize_background) {
        int rc = enh_bgmap_measure(p->src, p->dpi, ENH_BG_VALUE, &p->map, err);
        if (rc < 0)
            return rc;
        /* 1: too small to measure; left as it is */
    }
    out->ms.background_ms = (float)(lr_clock_ms() - t);
    return LR_OK;
}

/* 3. Upright and deskewed, in one pass when both are needed: turning clockwise by the skew
 * undoes it; size kept, corners brought in white. Always a new image: from here on it is
 * written into. */
static int turn_upright(page_work *p, lr_enhanced *out, lr_error *err)
{
    double t = lr_clock_ms();
    p->m = enh_page_mapping(p->orientation, p->rotate_deg, p->sw, p->sh, p->w, p->h);
    if (p->rotate_deg != 0.0f) {
        if (!(p->work = enh_warp_bilinear(p->src, p->w, p->h, &p->m)))
            return enh_lept_failed(err, "pixCreate", p->src);
        out->skew_applied = true;
        out->ms.deskew_ms = (float)(lr_clock_ms() - t);
    } else {
        p->work = p->orientation               ? pixRotateOrth(p->src, p->orientation / 90)
                  : pixGetRefcount(p->src) > 1 ? pixCopy(NULL, p->src)
                                               : pixClone(p->src);
        if (!p->work)
            return enh_lept_failed(err, "pixRotateOrth", p->src);
        out->ms.orient_ms = (float)(lr_clock_ms() - t);
    }
    pixDestroy(&p->src);
    if (pixGetDepth(p->work) == 32)
        pixSetSpp(p->work, 3); /* the view has no alpha */
    return LR_OK;
}

/* 4. Dark border to white. */
static int paint_border(page_work *p, lr_enhanced *out, lr_error *err)
{
    double t = lr_clock_ms();
    if (p->opts->clean_border && p->an.border) {
        int rc = enh_border_full_size(p->an.border, p->rotate_deg, p->w, p->h, &p->mask, err);
        if (rc < 0)
            return rc;
        pixSetMasked(p->work, p->mask, pixGetDepth(p->work) == 32 ? ENH_WHITE32 : ENH_WHITE8);
        out->border_found = true;
    }
    enh_analysis_clear(&p->an);
    out->ms.border_ms = (float)(lr_clock_ms() - t);
    return LR_OK;
}

/* 5. Background, and the grey page to binarize (made in the same pass for colour). */
static int apply_background(page_work *p, lr_enhanced *out, lr_error *err)
{
    double t = lr_clock_ms();
    if (pixGetDepth(p->work) == 32 && p->map.nch && !(p->grey = pixCreate(p->w, p->h, 8)))
        return enh_lept_failed(err, "pixCreate", p->work);
    if (p->map.nch && !enh_bgmap_apply(p->work, &p->map, &p->m, p->grey))
        return enh_lept_failed(err, "background map", p->work);
    enh_bgmap_clear(&p->map);
    if (!p->grey)
        p->grey =
            pixGetDepth(p->work) == 32 ? pixConvertRGBToLuminance(p->work) : pixClone(p->work);
    if (!p->grey)
        return enh_lept_failed(err, "pixConvertRGBToLuminance", p->work);
    out->ms.background_ms += (float)(lr_clock_ms() - t);
    return LR_OK;
}

/* 6. Binarize. A bitonal page already is: the threshold only undoes the anti-aliasing. */
static int binarize(page_work *p, lr_enhanced *out, lr_error *err)
{
    double t = lr_clock_ms();
    if (p->bitonal) {
        if (!(p->bin = pixThresholdToBinary(p->grey, ENH_MID_GREY)))
            return enh_lept_failed(err, "pixThresholdToBinary", p->grey);
    } else {
        int rc = enh_binarize(p->grey, p->dpi, p->opts, &p->bin, err);
        if (rc < 0)
            return rc;
    }
    pixDestroy(&p->grey);
    if (p->mask)
        pixSubtract(p->bin, p->bin, p->mask);
    out->ms.binarize_ms = (float)(lr_clock_ms() - t);
    return LR_OK;
}

/* 7. The page OCR reads: without the ruling lines, which Tesseract takes for parts of the
 * characters they touch. The binary keeps them: the layout finds the table in it. */
static int make_ocr_binary(page_work *p, lr_enhanced *out, lr_error *err)
{
    double t = lr_clock_ms();
    if (p->opts->remove_lines) {
        int rc = lr_enhance_remove_lines(p->bin, p->dpi, &p->ocr, &out->nlines, err);
        if (rc < 0)
            return rc;
    }
    if (!out->nlines) { /* nothing removed: share the binary's pixels */
        pixDestroy(&p->ocr);
        p->ocr = pixClone(p->bin);
    }
    if (p->opts->remove_lines)
        out->ms.lines_ms = (float)(lr_clock_ms() - t);
    return LR_OK;
}

int lr_enhance_page(PIX *pixs, int orientation, int dpi, const lr_enhance_options *opts,
                    lr_enhanced *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    lr_enhance_options defaults;
    if (!opts) {
        lr_enhance_options_default(&defaults);
        opts = &defaults;
    }
    int rc = check_page_args(pixs, orientation, dpi, opts, out, err);
    if (rc < 0)
        return rc;

    page_work p = {.opts = opts, .orientation = orientation, .dpi = dpi};
    /* src: the page at a depth we work with; usually a clone of the caller's page, which
     * nothing below writes into. */
    if (!(p.src = enh_to_working_depth(pixs))) {
        rc = enh_lept_failed(err, "depth conversion", pixs);
        goto done;
    }
    p.bitonal = pixGetDepth(p.src) == 1;
    bool swap = orientation == 90 || orientation == 270;
    p.sw = pixGetWidth(p.src);
    p.sh = pixGetHeight(p.src);
    p.w = swap ? p.sh : p.sw;
    p.h = swap ? p.sw : p.sh;

    if ((rc = measure(&p, out, err)) < 0 || (rc = measure_background(&p, out, err)) < 0 ||
        (rc = turn_upright(&p, out, err)) < 0 || (rc = paint_border(&p, out, err)) < 0 ||
        (rc = apply_background(&p, out, err)) < 0 || (rc = binarize(&p, out, err)) < 0)
        goto done;
    pixSetResolution(p.work, dpi, dpi);
    pixSetResolution(p.bin, dpi, dpi);
    if ((rc = make_ocr_binary(&p, out, err)) < 0)
        goto done;

    out->view = p.work;
    out->binary = p.bin;
    out->ocr_binary = p.ocr;
    p.work = p.bin = p.ocr = NULL;
done:
    page_work_clear(&p);
    if (rc < 0)
        lr_enhanced_clear(out);
    return rc;
}

void lr_enhanced_clear(lr_enhanced *e)
{
    if (!e)
        return;
    pixDestroy(&e->view);
    pixDestroy(&e->binary);
    pixDestroy(&e->ocr_binary);
    memset(e, 0, sizeof *e);
}
