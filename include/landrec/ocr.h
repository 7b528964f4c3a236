/* ocr.h — Tesseract through its C API. One lr_ocr per worker, created once and reused for
 * every page: it holds one TessBaseAPI for text and one for orientation (OSD).
 * OMP_THREAD_LIMIT=1 must be set before the process starts (see cli/main.c).
 */
#ifndef LANDREC_OCR_H
#define LANDREC_OCR_H

#include <stdbool.h>
#include <stddef.h>

#include "landrec/error.h"

struct Pix;

#define LR_OCR_DEFAULT_LANG "kor+chi_tra"

typedef struct lr_ocr_options {
    const char *lang;     /* Tesseract language string, default LR_OCR_DEFAULT_LANG (copied) */
    const char *datapath; /* tessdata directory; NULL for Tesseract's default / TESSDATA_PREFIX */
    int psm;              /* page segmentation mode, default 3 (fully automatic) */
    bool orientation;     /* also load "osd" for lr_ocr_detect_orientation (default true) */
} lr_ocr_options;

void lr_ocr_options_default(lr_ocr_options *out_opts);

typedef struct lr_ocr lr_ocr; /* opaque */

int lr_ocr_new(const lr_ocr_options *opts, lr_ocr **out_ocr, lr_error *err);
void lr_ocr_destroy(lr_ocr **pocr);

/* "tesseract 5.3.0" — borrowed, static. */
const char *lr_ocr_engine_version(void);

/* Stable description of the models a language string uses: "kor:<sha256-prefix>,…", for the
 * run's settings hash (a new model file makes a new run). Caller frees with free(). */
char *lr_ocr_models_describe(const lr_ocr_options *opts, lr_error *err);

/* Orientation of pix (borrowed): clockwise degrees 0/90/180/270 the page must be turned to
 * read upright, and Tesseract's confidence. When OSD finds too little text it reports 0 with
 * confidence 0 and returns LR_OK. */
int lr_ocr_detect_orientation(lr_ocr *ocr, struct Pix *pix, int dpi, int *out_deg,
                              float *out_conf, lr_error *err);

typedef struct lr_word {
    char *text;           /* UTF-8; owned by the result */
    int x0, y0, x1, y1;   /* box in the OCR'd image's pixels */
    float conf;           /* 0–100 */
    int block, par, line; /* 0-based indices in reading order */
} lr_word;

typedef struct lr_ocr_result {
    char *text;      /* UTF-8 plain text of the page */
    char *hocr;      /* hOCR document (complete, with html head) */
    lr_word *words;
    size_t nwords;
    float mean_conf; /* mean word confidence 0–100; 0 when no words */
} lr_ocr_result;

/* Recognises pix (borrowed; Tesseract copies it) at dpi. Fills *out (zeroed first; clear with
 * lr_ocr_result_clear, also after failure). */
int lr_ocr_recognize(lr_ocr *ocr, struct Pix *pix, int dpi, lr_ocr_result *out, lr_error *err);

void lr_ocr_result_clear(lr_ocr_result *r);

#endif
