/* ocr.h — Tesseract through its C API; src/ocr/ is the only module that calls it.
 *
 * Owns: the Tesseract handles and every parameter set on them. An lr_ocr, created once and
 * reused for every page, holds the page models (the run's languages and page segmentation
 * mode), the orientation model (OSD), and the models cells are read with alone (a handle per
 * language string, loaded on first use); and the character forms table applied to what pages
 * and regions read. Borrows: the images it reads (Tesseract copies them), the tessdata
 * directory, and the data directory (normalize.h) for the forms table.
 *
 * OMP_THREAD_LIMIT=1 must be set before the process starts (see cli/main.c). An lr_ocr is not
 * thread-safe: one per worker. Tesseract's chatter goes to its debug_file, which is
 * /dev/null unless the log level was debug when the first handle of the process was made.
 */
#ifndef LANDREC_OCR_H
#define LANDREC_OCR_H

#include <stdbool.h>
#include <stddef.h>

#include "landrec/decode.h"
#include "landrec/error.h"

struct Pix;

#define LR_OCR_DEFAULT_LANG "kor+chi_tra"
/* Where Tesseract looks when neither datapath nor TESSDATA_PREFIX is given (Debian 12). */
#define LR_OCR_DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"
/* Resolution at which to run orientation detection: as right as 300 dpi on the test pages
 * and about a third cheaper; 120 dpi and below start to err (docs/ocr.md). Reduce with
 * lr_enhance_for_detection(). */
#define LR_OCR_OSD_DPI 150
/* Below this OSD confidence the orientation is not trusted and 0 is reported: at
 * LR_OCR_OSD_DPI every right answer on the test pages scored 5.5 or more, wrong answers and
 * pages without text 1.7 or less (docs/ocr.md). */
#define LR_OCR_MIN_ORIENT_CONF 3.0f
/* The mean confidence below which Tesseract reads a line again inverted (its default is
 * 0.7); in the run's settings. The pages and montages landrec gives it are binarized dark
 * on white; a line left light on dark reads far below 0.5 and is still retried. Between 0.5
 * and 0.7 the inverted reading is a second opinion that almost never wins, and it cost an
 * eighth of the OCR time (docs/benchmarks.md). */
#define LR_OCR_INVERT_THRESHOLD "0.5"

typedef struct lr_ocr_options {
    const char *lang;     /* Tesseract language string: names joined by '+' ("script/Hangul"
                             allowed), default LR_OCR_DEFAULT_LANG (copied) */
    const char *datapath; /* tessdata directory; NULL for TESSDATA_PREFIX or Tesseract's default
                             LR_OCR_DEFAULT_TESSDATA (copied) */
    int psm;              /* page segmentation mode, default 4 (one column of text of variable
                             sizes: rows of a ledger read across); 1 and 3–13 */
    bool orientation;     /* also load "osd" for lr_ocr_detect_orientation (default true) */
    const char *forms;    /* table of character forms applied to every recognised word: a
                             Hanja the models write in a form Korean print does not use (查)
                             becomes the Korean one (査); docs/ocr.md. NULL: hanja_forms.tsv
                             in the data directory (lr_norm_default_data_dir); "": none */
    bool pages;           /* load lang's models for pages, regions and lines (default true);
                             without, those reads return LR_ERR_ARG and the handle reads cells
                             only (lr_ocr_read_cell), lang being their default language */
} lr_ocr_options;

void lr_ocr_options_default(lr_ocr_options *out_opts);

typedef struct lr_ocr lr_ocr; /* opaque */

/* Loads the models (about 0.3 s for kor+chi_tra with osd). A language whose .traineddata is
 * missing fails with LR_ERR_OCR naming the language and the directory searched. The models
 * of cells are loaded when first used (or by lr_ocr_load_cell_models). *out_ocr: caller frees
 * with lr_ocr_destroy. */
int lr_ocr_new(const lr_ocr_options *opts, lr_ocr **out_ocr, lr_error *err);
void lr_ocr_destroy(lr_ocr **pocr);

/* "tesseract 5.3.0" — borrowed, static. */
const char *lr_ocr_engine_version(void);

/* Stable description of the models a language string uses: "kor:<sha256-prefix>,…" (16 hex
 * digits of each .traineddata's SHA-256, in the language string's order, then "osd" when
 * opts->orientation, then "forms" with its table's when there is one), for the run's
 * settings hash (a new model file makes a new run). opts may be NULL for the defaults.
 * Caller frees with free(); NULL on error. */
char *lr_ocr_models_describe(const lr_ocr_options *opts, lr_error *err);

/* Orientation of pix (borrowed; any depth, ideally reduced to about LR_OCR_OSD_DPI) at dpi:
 * clockwise degrees 0/90/180/270 the page must be turned to read upright (the convention of
 * enhance.h), and Tesseract's confidence. When OSD fails or finds too little text it
 * reports 0 with confidence 0; when the confidence is below LR_OCR_MIN_ORIENT_CONF it
 * reports 0 with that confidence; both return LR_OK. LR_ERR_ARG when the lr_ocr was made
 * without options.orientation. */
int lr_ocr_detect_orientation(lr_ocr *ocr, struct Pix *pix, int dpi, int *out_deg, float *out_conf,
                              lr_error *err);

typedef struct lr_word {
    char *text;           /* UTF-8; owned by the result */
    int x0, y0, x1, y1;   /* box in the OCR'd image's pixels; x1, y1 exclusive (as hOCR) */
    float conf;           /* 0–100 */
    int block, par, line; /* 0-based, in reading order, nested as in Tesseract's TSV: block in
                             the page, par within its block, line within its paragraph */
} lr_word;

typedef struct lr_ocr_result {
    char *text; /* UTF-8 plain text of the page */
    char *hocr; /* hOCR document (complete XHTML, with html head) */
    lr_word *words;
    size_t nwords;
    float mean_conf; /* mean word confidence 0–100; 0 when no words */
} lr_ocr_result;

/* Recognises pix (borrowed; Tesseract copies it; depth 1, 8 or 32) at dpi. Fills *out (zeroed
 * first; clear with lr_ocr_result_clear, also after failure). The handle is left ready for the
 * next page whatever happens. */
int lr_ocr_recognize(lr_ocr *ocr, struct Pix *pix, int dpi, lr_ocr_result *out, lr_error *err);

/* Recognises crop (borrowed; a region cut from a page) with page segmentation mode psm (3 to
 * 13: 7 one line, 6 a block), appending its words to out with their boxes moved by (dx, dy)
 * into the page's pixels and their blocks numbered from block. out->text and out->hocr are
 * left alone: lr_ocr_result_compose makes them once every region is read. The handle's own
 * psm is restored. */
int lr_ocr_recognize_region(lr_ocr *ocr, struct Pix *crop, int dpi, int psm, int dx, int dy,
                            int block, lr_ocr_result *out, lr_error *err);

/* Tesseract drops a character whose outer stroke encloses the rest, as 國 (囗 round 或): it
 * takes the outline for a box drawn round text and junks it (its edges_boxarea and
 * edges_children_count_limit rules), so a lone 國 in a name cell reads as nothing. On an
 * image with no ruling lines or boxes (the cells' montage, a cell's inside) that rule only
 * loses characters. unboxed true relaxes it for what the page models read next, false
 * restores Tesseract's defaults. The parameters are Tesseract's process-wide ones, seen by
 * every handle: a caller sets them back when done (docs/ocr.md). lr_ocr_read_cell sets and
 * restores them itself. */
void lr_ocr_set_unboxed(lr_ocr *ocr, bool unboxed);

/* Replaces r->text and r->hocr by ones made from r->words in their order (a line per line, a
 * blank line after each paragraph; hOCR blocks, paragraphs, lines and words with boxes and
 * confidences, on a page of width × height) and sets r->mean_conf. */
int lr_ocr_result_compose(lr_ocr_result *r, int width, int height, lr_error *err);

/* A new, zeroed word at the end of r->words (NULL when out of memory): the one way words are
 * appended, growing the array by doubling. */
lr_word *lr_ocr_result_add_word(lr_ocr_result *r);

void lr_ocr_result_clear(lr_ocr_result *r);

/* Reads pix (borrowed; depth 1, 8 or 32) at dpi as one line of text (psm 7) with the text
 * models, whatever the handle's psm (which is restored), and gives the mean word confidence
 * 0–100 (0 when no word was found) and the number of words (out_words may be NULL). For
 * comparing readings of the same line turned both ways (orient.h); nothing else is kept. */
int lr_ocr_line_confidence(lr_ocr *ocr, struct Pix *pix, int dpi, float *out_conf, int *out_words,
                           lr_error *err);

/* Page segmentation modes a cell is read with (Tesseract's numbers). */
#define LR_OCR_PSM_VERTICAL_BLOCK 5 /* one block of text written top to bottom */
#define LR_OCR_PSM_BLOCK 6          /* one block of lines */
#define LR_OCR_PSM_LINE 7           /* one line */
#define LR_OCR_PSM_CHAR 10          /* one character */

/* How a cell is read alone. */
typedef struct lr_ocr_cell_opts {
    const char *lang;      /* Tesseract language string ("kor_vert", "chi_tra"); NULL or "":
                              the handle's (options.lang) */
    int psm;               /* page segmentation mode, 0–13 (LR_OCR_PSM_*) */
    const char *whitelist; /* UTF-8 characters it may read; NULL or "": any */
} lr_ocr_cell_opts;

/* Loads now the models cells of lang (NULL: the handle's) are read with, which
 * lr_ocr_read_cell would load on first use (a worker's first page should not pay for them).
 * At most 12 handles per lr_ocr, a language string's plain and lattice reads each (LR_ERR_ARG
 * beyond); LR_ERR_OCR when Tesseract
 * cannot load them. */
int lr_ocr_load_cell_models(lr_ocr *ocr, const char *lang, lr_error *err);

/* As lr_ocr_load_cell_models, for the handles lr_ocr_read_cell_lattice reads with. */
int lr_ocr_load_lattice_models(lr_ocr *ocr, const char *lang, lr_error *err);

/* Reads pix (borrowed; a cell's inside already cut out and framed in white) at dpi as opts
 * say, with the models of opts->lang (their own engine mode; loaded on first use) and
 * Tesseract's box rules relaxed (lr_ocr_set_unboxed) for that read only. The psm and the
 * whitelist are set before every read. *out_text: the text in NFC (caller frees; the forms
 * table is not applied), *out_conf Tesseract's mean confidence 0–100. */
int lr_ocr_read_cell(lr_ocr *ocr, struct Pix *pix, int dpi, const lr_ocr_cell_opts *opts,
                     char **out_text, float *out_conf, lr_error *err);

/* As lr_ocr_read_cell, and the reading's lattice (decode.h) into *out_lattice (emptied
 * first; clear with lr_lattice_clear, also after failure): per glyph, the recognised glyph at
 * cost 0 and the LSTM's alternatives costed by their rating relative to the position's
 * cheapest (a tenth of it). Read with a handle of its own per language string, made with
 * lstm_choice_mode 2 and lstm_rating_coefficient 0.01 (docs/decoding.md), loaded on first
 * use. */
int lr_ocr_read_cell_lattice(lr_ocr *ocr, struct Pix *pix, int dpi, const lr_ocr_cell_opts *opts,
                             char **out_text, float *out_conf, lr_lattice *out_lattice,
                             lr_error *err);

#endif
