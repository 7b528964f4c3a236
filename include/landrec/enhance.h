/* enhance.h — page clean-up with Leptonica: orthogonal rotation, skew detection and
 * correction, border clean-up, background normalisation for yellowed paper and adaptive
 * binarization. The input PIX is never modified.
 *
 * Conventions:
 *   orientation  clockwise degrees (0, 90, 180, 270) the page must be turned to read upright
 *   skew         degrees the content is rotated counter-clockwise in the input; a page
 *                turned 2° counter-clockwise reports +2.0
 */
#ifndef LANDREC_ENHANCE_H
#define LANDREC_ENHANCE_H

#include <stdbool.h>

#include "landrec/error.h"

struct Pix;

typedef enum lr_binarize_method {
    LR_BINARIZE_SAUVOLA = 0, /* tiled Sauvola on the background-normalised grey page */
    LR_BINARIZE_OTSU = 1,    /* adaptive Otsu (Leptonica's tiled Otsu) */
} lr_binarize_method;

typedef struct lr_enhance_options {
    bool deskew;               /* default true */
    float max_skew_deg;        /* search range ± (default 7) */
    float min_skew_conf;       /* below this the angle is reported but not applied (default 2.0)*/
    bool normalize_background; /* default true */
    bool clean_border;         /* remove dark scanner borders (default true) */
    lr_binarize_method binarize;
    float sauvola_k;           /* default 0.34 */
    int sauvola_window_mm;     /* half-window in millimetres at the page's dpi (default 4) */
} lr_enhance_options;

void lr_enhance_options_default(lr_enhance_options *out_opts);

/* Stable text form of the options that change results, for the run's settings hash. */
void lr_enhance_options_describe(const lr_enhance_options *opts, char *buf, size_t size);

typedef struct lr_enhanced {
    struct Pix *view;   /* grey (8 bpp) or colour (32 bpp) enhanced page, upright and deskewed:
                           the derivative for viewing; red ink survives. Caller frees. */
    struct Pix *binary; /* 1 bpp, same geometry as view: for OCR. Caller frees. */
    float skew_deg;     /* detected skew (convention above) */
    float skew_conf;    /* Leptonica's confidence; 0 when not found */
    bool skew_applied;  /* whether the page was rotated by -skew_deg */
} lr_enhanced;

/* Enhances pixs (borrowed; any depth 1/8/32) given its orientation (already detected, see
 * ocr.h) and dpi. Fills *out (zeroed first; clear with lr_enhanced_clear). */
int lr_enhance_page(struct Pix *pixs, int orientation, int dpi, const lr_enhance_options *opts,
                    lr_enhanced *out, lr_error *err);

void lr_enhanced_clear(lr_enhanced *e);

/* Skew of pixs (any depth), convention above. *out_found is false when no reliable angle. */
int lr_enhance_find_skew(struct Pix *pixs, const lr_enhance_options *opts, float *out_deg,
                         float *out_conf, bool *out_found, lr_error *err);

/* pixs turned clockwise by orientation degrees (0/90/180/270). Caller frees. */
struct Pix *lr_enhance_rotate_orth(struct Pix *pixs, int orientation);

/* A grey page reduced to about target_dpi for orientation detection. Caller frees. */
struct Pix *lr_enhance_for_detection(struct Pix *pixs, int dpi, int target_dpi);

#endif
