/* enhance.h — page clean-up with Leptonica: orthogonal rotation, skew detection and
 * correction, border clean-up, background normalisation for yellowed paper and adaptive
 * binarization. The input PIX is never modified. See docs/enhance.md.
 *
 * Owns: the enhancement options and their text for the settings hash, the enhanced page
 * (view, binary, OCR binary) and the skew measurement; src/enhance/ has one file per stage
 * and page.c chains them. Borrows: the decoded page (Leptonica's PIX, from image.h), the
 * orientation the caller detected (orient.h), lr_error and the clock (base).
 *
 * Conventions:
 *   orientation  clockwise degrees (0, 90, 180, 270) the page must be turned to read upright
 *   skew         degrees the content is rotated counter-clockwise in the input; a page
 *                turned 2° counter-clockwise reports +2.0
 */
#ifndef LANDREC_ENHANCE_H
#define LANDREC_ENHANCE_H

#include <stdbool.h>
#include <stddef.h>

#include "landrec/error.h"

struct Pix;

typedef enum lr_binarize_method {
    LR_BINARIZE_SAUVOLA = 0, /* Sauvola on the background-normalised grey page */
    LR_BINARIZE_OTSU = 1,    /* adaptive Otsu (Leptonica's tiled Otsu) */
} lr_binarize_method;

typedef struct lr_enhance_options {
    bool deskew;               /* default true; when false the skew is still measured */
    float max_skew_deg;        /* search range ± (default 10; 0.5 … 45) */
    float min_skew_conf;       /* below this the angle is reported but not applied (default 2.0)*/
    bool normalize_background; /* default true */
    bool clean_border;         /* remove dark scanner borders (default true) */
    lr_binarize_method binarize;
    float sauvola_k;       /* default 0.5 (0 … 1); applied after a contrast stretch */
    int sauvola_window_mm; /* half-window in millimetres at the page's dpi (default 4) */
    bool remove_lines;     /* make ocr_binary without the ruling lines (default false) */
} lr_enhance_options;

void lr_enhance_options_default(lr_enhance_options *out_opts);

/* Stable text form of the options that change results, for the run's settings hash
 * (locale-independent; starts with an algorithm version tag). buf is always terminated. */
void lr_enhance_options_describe(const lr_enhance_options *opts, char *buf, size_t size);

/* Wall-clock milliseconds spent in each step of lr_enhance_page (data, not log lines). */
typedef struct lr_enhance_timings {
    float orient_ms;     /* orthogonal turn alone; when the page is also deskewed both are one
                            pass, counted in deskew_ms */
    float skew_ms;       /* reduced analysis copy, border mask, skew search */
    float deskew_ms;     /* rotation of the full page (0 when not applied) */
    float border_ms;     /* painting the dark border white */
    float background_ms; /* background map, its application and the grey page */
    float binarize_ms;   /* Sauvola or Otsu */
    float lines_ms;      /* finding and removing the ruling lines (0 when remove_lines is off) */
} lr_enhance_timings;

typedef struct lr_enhanced {
    struct Pix *view;   /* grey (8 bpp) or colour (32 bpp) enhanced page, upright and deskewed:
                           the derivative for viewing; red ink survives. Caller frees. */
    struct Pix *binary; /* 1 bpp, same geometry as view, ruling lines kept: for the layout,
                           which finds the table in them. Caller frees. */
    struct Pix *ocr_binary; /* the page for OCR: binary without its vertical ruling lines, strokes
                               they crossed mended; when remove_lines is off or no line was
                               found, a clone of binary. Caller frees. */
    int nlines;         /* vertical ruling lines removed (connected pieces) */
    float skew_deg;     /* measured skew (convention above), also when not applied; 0 when
                           none could be measured */
    float skew_conf;    /* Leptonica's confidence; 0 when none could be measured */
    bool skew_applied;  /* whether the page was rotated by -skew_deg */
    bool border_found;  /* whether a dark scanner border was painted white */
    lr_enhance_timings ms;
} lr_enhanced;

/* Enhances pixs (borrowed; any depth 1/8/32, never modified) given its orientation (already
 * detected, see ocr.h) and dpi (50 … 2400). opts may be NULL for the defaults. Fills *out
 * (zeroed first; clear with lr_enhanced_clear). View and binary are turned upright, so for
 * orientation 90 or 270 their width and height are those of pixs swapped. */
int lr_enhance_page(struct Pix *pixs, int orientation, int dpi, const lr_enhance_options *opts,
                    lr_enhanced *out, lr_error *err);

/* Destroys view, binary and ocr_binary and zeroes *e (e may be NULL). */
void lr_enhanced_clear(lr_enhanced *e);

/* Skew of pixs (borrowed, never modified; any depth; dpi taken from its resolution, 300
 * when unset), convention above, within ±opts->max_skew_deg. opts may be NULL. Each output
 * may be NULL. *out_deg is the measured angle also when its confidence is below
 * opts->min_skew_conf, 0 when none could be measured; *out_found says whether it was measured
 * with at least that confidence. A page without text is not an error. */
int lr_enhance_find_skew(struct Pix *pixs, const lr_enhance_options *opts, float *out_deg,
                         float *out_conf, bool *out_found, lr_error *err);

/* Vertical ruling lines taken out of bin (borrowed, 1 bpp, upright; never modified) at dpi
 * (50 … 2400): straight vertical runs of ink at least 20 mm long and at most 1.5 mm wide
 * are removed, and strokes they crossed are mended. Horizontal lines are kept: Tesseract
 * uses them to keep a table's rows apart (docs/enhance.md). *out_text: a new image,
 * caller frees with pixDestroy (a copy of bin when there is no line). *out_nlines (may be
 * NULL): the lines removed, as connected pieces. The step lr_enhance_page applies to make
 * ocr_binary. */
int lr_enhance_remove_lines(struct Pix *bin, int dpi, struct Pix **out_text, int *out_nlines,
                            lr_error *err);

/* pixs (borrowed) turned clockwise by orientation degrees (0/90/180/270): a new image, also
 * for 0. NULL for another angle. Caller frees with pixDestroy. */
struct Pix *lr_enhance_rotate_orth(struct Pix *pixs, int orientation);

/* A grey (8 bpp) copy of pixs (borrowed; any depth) reduced to about target_dpi (never
 * enlarged) for orientation detection; its resolution is set. NULL on bad arguments.
 * Caller frees with pixDestroy. */
struct Pix *lr_enhance_for_detection(struct Pix *pixs, int dpi, int target_dpi);

#endif
