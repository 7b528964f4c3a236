/* handle.h — the inside of an lr_ocr (internal, not installed), shared by the files of
 * src/ocr/: ocr.c makes it and reads pages with it, cells.c reads cells with it; and what
 * orient.c and ruling.c both measure pages with. */
#ifndef LANDREC_OCR_HANDLE_H
#define LANDREC_OCR_HANDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tesseract/capi.h>

#include <math.h>

#include "landrec/error.h"
#include "landrec/ocr.h"

/* mm on paper in pixels at dpi, at least 1. */
static inline int ocr_mm_px(double mm, int dpi)
{
    int v = (int)lround(mm * dpi / 25.4);
    return v < 1 ? 1 : v;
}

/* The ink of bin (1 bpp) that is text (orient.c): bin less lines (a mask of its ruling
 * lines, grown here by a pixel all round for their ragged edges), in pieces no side of which
 * is above hi pixels and not both below lo. NULL when memory runs out. */
struct Pix *ocr_text_pieces(struct Pix *bin, struct Pix *lines, int lo, int hi);

/* Handles the cells of one lr_ocr may be read with: a language string for plain reads and
 * for lattice reads each. */
#define OCR_CELL_LANGS_MAX 12

/* One pair of the character forms table: what a model writes, what Korean print writes. */
typedef struct form_pair {
    uint32_t seen, written;
} form_pair;

struct lr_ocr {
    TessBaseAPI *text; /* models of opts.lang, psm set; NULL without opts.pages */
    TessBaseAPI *osd;  /* "osd", or NULL when orientation is off */
    char *lang;
    char *datapath; /* the directory the models were loaded from */
    int psm;
    form_pair *forms; /* sorted by seen */
    size_t nforms;
    struct {
        char lang[64];
        bool choices; /* made for lattice reads (ocr_init_api) */
        TessBaseAPI *api;
    } cells[OCR_CELL_LANGS_MAX]; /* cells.c: one handle per language string and kind of read,
                                    in load order */
    int ncells;
};

/* The rating coefficient lattice handles are made with: an alternative's confidence is then
 * 100 − OCR_CHOICE_RATING_COEF × rating (docs/decoding.md). */
#define OCR_CHOICE_RATING_COEF 0.01f
#define OCR_CHOICE_RATING_COEF_STR "0.01"

/* A handle with the models of lang (a Tesseract language string) from dir, loaded with
 * engine mode oem, with the LSTM's alternatives searched when choices (lattice reads);
 * Tesseract's chatter routed as the first handle of the process decides. LR_ERR_OCR (with the
 * directory as detail) when Tesseract refuses the models. */
int ocr_init_api(const char *dir, const char *lang, TessOcrEngineMode oem, bool choices,
                 TessBaseAPI **out_api, lr_error *err);

/* Tesseract's process-wide box rules relaxed for an image without boxes, or back to its
 * defaults (lr_ocr_set_unboxed). api NULL: nothing. */
void ocr_tess_unboxed(TessBaseAPI *api, bool unboxed);

/* Deletes the cells' handles (cells.c). */
void ocr_cells_destroy(lr_ocr *ocr);

#endif
