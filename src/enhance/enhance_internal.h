/* enhance_internal.h — what the enhancement stages share inside src/enhance/: the report of a
 * failed Leptonica call, depth and reduction helpers, lengths at a resolution, the checks of
 * the arguments, the map from the output page to the page as given, the background map, the
 * border mask, the skew search, the reduced analysis copy and the binarizers.
 * Not installed; nothing outside src/enhance/ includes it.
 *
 * Lengths on paper are millimetres (enh_mm_to_px) or pixels at ENH_REF_DPI (enh_px_at_dpi),
 * so that they mean the same at any resolution. The few minimum sizes kept in plain pixels
 * are counts an algorithm needs whatever the resolution (enough pixels a text line to find
 * its angle, a reduction that still leaves an image); each says so where it is defined.
 */
#ifndef LANDREC_ENHANCE_INTERNAL_H
#define LANDREC_ENHANCE_INTERNAL_H

#include <leptonica/allheaders.h>
#include <stdbool.h>
#include <stdint.h>

#include "landrec/enhance.h"
#include "landrec/error.h"

/* Same range as image.h accepts; outside it the caller passed something wrong. */
#define ENH_MIN_DPI 50
#define ENH_MAX_DPI 2400
/* The resolution the stages assume when a page declares none, and the one at which lengths
 * given as ..._PX_AT_REF are exact. */
#define ENH_REF_DPI 300
#define ENH_MM_PER_INCH 25.4

/* Largest reduction of a page (a power of two): what enh_reduce_to_grey does at most. */
#define ENH_MAX_REDUCTION 16
/* The paper's grey: the level below which this share of the pixels lies (text and dark
 * marks are well under a tenth of a page). */
#define ENH_PAPER_RANK 0.9f
/* Middle grey: the one threshold left for an image too small for a local one, and what
 * undoes the anti-aliasing of a bitonal page's rotated view. */
#define ENH_MID_GREY 128
/* White in each depth the stages write: 8 bpp grey, 32 bpp RGB (the low byte is unused). */
#define ENH_WHITE8 255
#define ENH_WHITE32 0xffffff00u

/* ---- common.c ---------------------------------------------------------------------------- */

/* Fills err for a failed Leptonica call named what on pix (may be NULL): LR_ERR_NOMEM, which
 * it returns, since memory is in practice the only cause. */
int enh_lept_failed(lr_error *err, const char *what, PIX *pix);

/* LR_OK, or LR_ERR_ARG naming the accepted range when dpi is outside it. */
int enh_check_dpi(int dpi, lr_error *err);

/* pix as depth 1, 8 or 32 without colormap: a clone when it already is. */
PIX *enh_to_working_depth(PIX *pix);

/* Grey copy of pix (depth 1, 8 or 32, no colormap) reduced by factor (a power of 2, at most
 * ENH_MAX_REDUCTION): always a new image. */
PIX *enh_reduce_to_grey(PIX *pix, int factor);

/* mm millimetres at dpi in whole pixels, at least 1. */
int enh_mm_to_px(double mm, int dpi);

/* A length of px_at_ref pixels at ENH_REF_DPI, at dpi: exactly px_at_ref at ENH_REF_DPI,
 * rounded down elsewhere, at least 1. */
int enh_px_at_dpi(int px_at_ref, int dpi);

/* Whether pix has no pixel set. */
bool enh_is_empty(PIX *pix);

/* ---- options.c --------------------------------------------------------------------------- */

/* LR_OK, or LR_ERR_ARG naming the first option out of its range. */
int enh_check_options(const lr_enhance_options *o, lr_error *err);

/* ---- deskew.c: from the output page back to the page as given ---------------------------- */

/* Where an output pixel comes from: source x = a x + b y + c, source y = d x + e y + f. */
typedef struct enh_affine {
    double a, b, c, d, e, f;
} enh_affine;

/* Output (upright and deskewed, out_w x out_h) to source (the page as given, before the
 * orthogonal turn). The deskew turns clockwise by deg about the centre (w/2, h/2 in integers,
 * as pixRotateAM and pixRotateBySampling); the turn is pixRotateOrth's. */
enh_affine enh_page_mapping(int orientation, float deg, int src_w, int src_h, int out_w, int out_h);

/* The page src (8 or 32 bpp) resampled bilinearly into a new out_w x out_h image through m;
 * white where the source has nothing. NULL when out of memory. */
PIX *enh_warp_bilinear(PIX *src, int out_w, int out_h, const enh_affine *m);

/* ---- deskew.c: the skew search ----------------------------------------------------------- */

typedef struct enh_skew {
    float deg;  /* convention of enhance.h */
    float conf; /* 0 when not measured */
    bool measured;
} enh_skew;

/* Skew of the reduced grey page at dpi (modified: its background is normalised), within
 * ±max_deg, leaving out the pixels of border (1 bpp, same size; may be NULL). A page without
 * text is no error: *out then says not measured. */
int enh_measure_skew(PIX *grey, int dpi, PIX *border, float max_deg, enh_skew *out, lr_error *err);

/* ---- border.c ---------------------------------------------------------------------------- */

/* Mask (1 bpp, size of grey) of the dark scanner border in the reduced grey page at dpi.
 * *out_mask is NULL when there is none. */
int enh_find_border(PIX *grey, int dpi, PIX **out_mask, lr_error *err);

/* The border mask of the analysis copy, turned by the deskew angle rotate_deg and scaled to
 * w x h: a new image in *out. */
int enh_border_full_size(PIX *border, float rotate_deg, int w, int h, PIX **out, lr_error *err);

/* ---- background.c ------------------------------------------------------------------------ */

/* Paper is mapped to this value: near white, below 255 so little saturates. */
#define ENH_BG_VALUE 248

/* Inverse background map: for each red x red tile and channel, the factor (8.8 fixed point)
 * that takes the local paper to the target value. */
typedef struct enh_bgmap {
    int w, h, red, nch;
    uint16_t *inv[3];
} enh_bgmap;

/* Map of pix (8 or 32 bpp, at dpi) that takes its paper to bgval. Returns 1, with an empty
 * map (nch 0), when pix is too small to measure; LR_OK or a negative status otherwise. */
int enh_bgmap_measure(PIX *pix, int dpi, int bgval, enh_bgmap *out, lr_error *err);

void enh_bgmap_clear(enh_bgmap *m);

/* Multiplies each pixel of pix (8 or 32 bpp) in place by its background factor. m maps pix
 * to the page the map was measured on (NULL: that page). For colour, also writes the
 * luminance of the result into grey (8 bpp, same size) when given. False when out of memory. */
bool enh_bgmap_apply(PIX *pix, const enh_bgmap *bm, const enh_affine *m, PIX *grey);

/* ---- analysis.c -------------------------------------------------------------------------- */

/* Reduced analysis of the (upright) page: border mask and skew. */
typedef struct enh_analysis {
    int factor;  /* full size / analysis size */
    int adpi;    /* resolution of the analysis copy */
    int aw, ah;  /* size of the analysis copy */
    PIX *border; /* 1 bpp, at the analysis size or half of it, or NULL */
    enh_skew skew;
} enh_analysis;

/* Analysis of pix (depth 1, 8 or 32, no colormap; at dpi) turned by orientation, the skew
 * searched within ±max_deg. */
int enh_analyse(PIX *pix, int orientation, int dpi, float max_deg, enh_analysis *out,
                lr_error *err);

void enh_analysis_clear(enh_analysis *a);

/* ---- binarize.c -------------------------------------------------------------------------- */

/* The 1 bpp page of grey (8 bpp, at dpi) by the method of o: a new image in *out. */
int enh_binarize(PIX *grey, int dpi, const lr_enhance_options *o, PIX **out, lr_error *err);

#endif
