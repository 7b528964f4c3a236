/* turn.c — the orthogonal turn of a page, and the reduced grey copy orientation detection
 * reads (see enhance.h). */
#include <leptonica/allheaders.h>
#include <math.h>

#include "enhance_internal.h"

PIX *lr_enhance_rotate_orth(PIX *pixs, int orientation)
{
    if (!pixs)
        return NULL;
    switch (orientation) {
    case 0:
        return pixCopy(NULL, pixs);
    case 90:
        return pixRotateOrth(pixs, 1); /* quads are clockwise quarter turns */
    case 180:
        return pixRotateOrth(pixs, 2);
    case 270:
        return pixRotateOrth(pixs, 3);
    default:
        return NULL;
    }
}

PIX *lr_enhance_for_detection(PIX *pixs, int dpi, int target_dpi)
{
    if (!pixs || dpi <= 0 || target_dpi <= 0)
        return NULL;
    PIX *work = NULL, *out = NULL;
    float scale = (float)target_dpi / (float)dpi;
    if (scale > 1.0f)
        scale = 1.0f;
    if (scale < 1.0f / ENH_MAX_REDUCTION)
        scale = 1.0f / ENH_MAX_REDUCTION;
    if (!(work = enh_to_working_depth(pixs)))
        return NULL;
    int d = pixGetDepth(work);
    if (d == 1) {
        out = scale < 1.0f ? pixScaleToGray(work, scale) : pixConvert1To8(NULL, work, 255, 0);
    } else {
        PIX *scaled = scale < 1.0f ? pixScaleAreaMap(work, scale, scale) : pixClone(work);
        if (scaled && d == 32)
            out = pixConvertRGBToLuminance(scaled);
        else if (scaled)
            out = pixCopy(NULL, scaled); /* never hand back the caller's image */
        pixDestroy(&scaled);
    }
    pixDestroy(&work);
    if (out) {
        int r = (int)lroundf(dpi * scale);
        pixSetResolution(out, r, r);
    }
    return out;
}
