/* common.c — helpers every enhancement stage uses: the report of a failed Leptonica call, the
 * resolution check, depth conversion and reduction, lengths at a resolution. */
#include <leptonica/allheaders.h>
#include <math.h>

#include "enhance_internal.h"

int enh_lept_failed(lr_error *err, const char *what, PIX *pix)
{
    lr_error_set(err, LR_ERR_NOMEM, "could not enhance the page");
    if (pix)
        lr_error_detail(err, "Leptonica's %s failed on a %dx%d, %d bpp image", what,
                        pixGetWidth(pix), pixGetHeight(pix), pixGetDepth(pix));
    else
        lr_error_detail(err, "Leptonica's %s failed", what);
    lr_error_hint(err, "The usual cause is memory; Leptonica's own message is logged at debug "
                       "level.");
    return LR_ERR_NOMEM;
}

int enh_check_dpi(int dpi, lr_error *err)
{
    if (dpi >= ENH_MIN_DPI && dpi <= ENH_MAX_DPI)
        return LR_OK;
    lr_error_set(err, LR_ERR_ARG, "resolution out of range");
    lr_error_detail(err, "%d dpi; it must be between %d and %d", dpi, ENH_MIN_DPI, ENH_MAX_DPI);
    return LR_ERR_ARG;
}

PIX *enh_to_working_depth(PIX *pix)
{
    int d = pixGetDepth(pix);
    PIXCMAP *cmap = pixGetColormap(pix);
    if (!cmap && (d == 1 || d == 8 || d == 32))
        return pixClone(pix);
    if (cmap)
        return pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
    return pixConvertTo8(pix, FALSE); /* 2, 4 and 16 bpp grey */
}

PIX *enh_reduce_to_grey(PIX *pix, int factor)
{
    int d = pixGetDepth(pix);
    if (d == 1) {
        switch (factor) {
        case 1:
            return pixConvert1To8(NULL, pix, 255, 0);
        case 2:
            return pixScaleToGray2(pix);
        case 4:
            return pixScaleToGray4(pix);
        case 8:
            return pixScaleToGray8(pix);
        default:
            return pixScaleToGray16(pix);
        }
    }
    PIX *cur;
    if (d == 32 && factor >= 2) { /* one pass: averaging and grey at once, alpha ignored */
        cur = pixScaleRGBToGray2(pix, L_RED_WEIGHT, L_GREEN_WEIGHT, L_BLUE_WEIGHT);
        factor /= 2;
    } else if (d == 32) {
        cur = pixConvertRGBToLuminance(pix);
    } else if (factor == 1) {
        return pixCopy(NULL, pix); /* a copy: the caller writes into it */
    } else {
        cur = pixClone(pix);
    }
    for (int f = factor; f > 1 && cur; f /= 2) {
        PIX *next = pixScaleAreaMap2(cur);
        pixDestroy(&cur);
        cur = next;
    }
    return cur;
}

int enh_mm_to_px(double mm, int dpi)
{
    int px = (int)lround(mm * dpi / ENH_MM_PER_INCH);
    return px < 1 ? 1 : px;
}

int enh_px_at_dpi(int px_at_ref, int dpi)
{
    int px = px_at_ref * dpi / ENH_REF_DPI;
    return px < 1 ? 1 : px;
}

bool enh_is_empty(PIX *pix)
{
    l_int32 empty = 1;
    pixZero(pix, &empty);
    return empty != 0;
}
