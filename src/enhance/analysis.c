/* analysis.c — the reduced analysis copy, where everything that is measured is measured: the
 * page reduced to grey at about 150 dpi and turned upright, on it the dark border's mask (at
 * about 75 dpi) and the skew. Also lr_enhance_find_skew, which is this analysis alone. */
#include <leptonica/allheaders.h>
#include <string.h>

#include "enhance_internal.h"

/* Analysis copy: reduced by powers of two while it stays at or above this resolution... */
#define ANALYSIS_MIN_DPI 120
/* ...and keeps at least this many pixels on its short side: the skew search needs pixels a
 * text line, whatever resolution the file declares. */
#define ANALYSIS_MIN_SIDE 500
/* The border is found at half the analysis resolution when that is at least this... */
#define BORDER_MIN_DPI 60
/* ...and the analysis copy at least this many pixels a side. */
#define BORDER_HALF_MIN_SIDE 128

/* Power of two that takes dpi to ANALYSIS_MIN_DPI or more, leaving at least
 * ANALYSIS_MIN_SIDE pixels on the short side: a small page (a receipt, a photo with a wrong
 * resolution) has too few pixels a text line for the angle when reduced further. */
static int analysis_factor(int dpi, int w, int h)
{
    int f = 1;
    while (f < ENH_MAX_REDUCTION && dpi / (f * 2) >= ANALYSIS_MIN_DPI &&
           w / (f * 2) >= ANALYSIS_MIN_SIDE && h / (f * 2) >= ANALYSIS_MIN_SIDE)
        f *= 2;
    return f;
}

void enh_analysis_clear(enh_analysis *a)
{
    pixDestroy(&a->border);
    memset(a, 0, sizeof *a);
}

/* The border mask of the analysis copy grey (at the analysis resolution of out) into
 * out->border, and in *out_border the same mask at grey's size (NULL when there is none). The
 * border is found at half the analysis resolution (about 75 dpi) when it allows: plenty for a
 * mask grown by a millimetre, and four times less work. */
static int analyse_border(PIX *grey, enh_analysis *out, PIX **out_border, lr_error *err)
{
    *out_border = NULL;
    int rc = LR_OK;
    PIX *half = NULL;
    if (out->adpi >= 2 * BORDER_MIN_DPI && out->aw >= BORDER_HALF_MIN_SIDE &&
        out->ah >= BORDER_HALF_MIN_SIDE) {
        if (!(half = pixScaleAreaMap2(grey))) {
            rc = enh_lept_failed(err, "pixScaleAreaMap2", grey);
            goto done;
        }
        if ((rc = enh_find_border(half, out->adpi / 2, &out->border, err)) < 0)
            goto done;
        if (out->border && !(*out_border = pixExpandBinaryReplicate(out->border, 2, 2))) {
            rc = enh_lept_failed(err, "pixExpandBinaryReplicate", out->border);
            goto done;
        }
    } else {
        if ((rc = enh_find_border(grey, out->adpi, &out->border, err)) < 0)
            goto done;
        *out_border = out->border ? pixClone(out->border) : NULL;
    }
done:
    pixDestroy(&half);
    return rc;
}

/* The reduced copy is made first and turned, which is cheaper than turning the page. */
int enh_analyse(PIX *pix, int orientation, int dpi, float max_deg, enh_analysis *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = LR_OK;
    PIX *grey = NULL, *border = NULL;
    out->factor = analysis_factor(dpi, pixGetWidth(pix), pixGetHeight(pix));
    out->adpi = dpi / out->factor;
    if (!(grey = enh_reduce_to_grey(pix, out->factor))) {
        rc = enh_lept_failed(err, "reduction", pix);
        goto done;
    }
    if (orientation) {
        PIX *turned = pixRotateOrth(grey, orientation / 90);
        pixDestroy(&grey);
        if (!(grey = turned)) {
            rc = enh_lept_failed(err, "pixRotateOrth", pix);
            goto done;
        }
    }
    out->aw = pixGetWidth(grey);
    out->ah = pixGetHeight(grey);
    if ((rc = analyse_border(grey, out, &border, err)) < 0)
        goto done;
    rc = enh_measure_skew(grey, out->adpi, border, max_deg, &out->skew, err);
done:
    pixDestroy(&grey);
    pixDestroy(&border);
    if (rc < 0)
        enh_analysis_clear(out);
    return rc;
}

int lr_enhance_find_skew(PIX *pixs, const lr_enhance_options *opts, float *out_deg, float *out_conf,
                         bool *out_found, lr_error *err)
{
    if (out_deg)
        *out_deg = 0;
    if (out_conf)
        *out_conf = 0;
    if (out_found)
        *out_found = false;
    int rc = LR_OK;
    PIX *work = NULL;
    enh_analysis an = {0};
    lr_enhance_options defaults;
    if (!opts) {
        lr_enhance_options_default(&defaults);
        opts = &defaults;
    }
    if (!pixs)
        return lr_error_set(err, LR_ERR_ARG, "no image to measure the skew of");
    if ((rc = enh_check_options(opts, err)) < 0)
        return rc;
    int dpi = pixGetXRes(pixs);
    if (dpi < ENH_MIN_DPI || dpi > ENH_MAX_DPI)
        dpi = ENH_REF_DPI;
    if (!(work = enh_to_working_depth(pixs))) {
        rc = enh_lept_failed(err, "depth conversion", pixs);
        goto done;
    }
    if ((rc = enh_analyse(work, 0, dpi, opts->max_skew_deg, &an, err)) < 0)
        goto done;
    if (out_deg)
        *out_deg = an.skew.deg;
    if (out_conf)
        *out_conf = an.skew.conf;
    if (out_found)
        *out_found = an.skew.measured && an.skew.conf >= opts->min_skew_conf;
done:
    pixDestroy(&work);
    enh_analysis_clear(&an);
    return rc;
}
