/* layout_internal.h — what the layout's files share: lengths scaled by resolution, the loaded
 * vocabulary, cell geometry, the ruled grid, and the named steps lr_layout_analyze takes.
 * Not installed; nothing outside src/layout/ includes it.
 *
 * The steps share the analysis's cells (lr_layout.cells) and their texts: texts[i] is the
 * page OCR's words in cell i (or its label read again), 256 bytes each. While labels are
 * assigned, a label cell keeps its label's field in row (field stays LR_FIELD_NONE).
 */
#ifndef LANDREC_LAYOUT_INTERNAL_H
#define LANDREC_LAYOUT_INTERNAL_H

#include <leptonica/allheaders.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/digest.h"
#include "landrec/layout.h"

#define LAYOUT_TEXT_SIZE 256 /* bytes of a cell's text */
typedef char layout_text[LAYOUT_TEXT_SIZE];

/* ---- lengths ------------------------------------------------------------------------------
 * A length on the page is given in pixels at LAYOUT_REF_DPI and scaled to the page's dpi,
 * rounding down: at 300 dpi it is the value given. Each value given divides into 300 dpi a
 * whole number of times (a fifth of an inch, 60 pixels), so the scaled length is that
 * fraction of an inch at any dpi. Tolerances of the pixel grid itself — a binarised line is
 * ragged by a pixel or two whatever the resolution — stay in pixels. */
#define LAYOUT_REF_DPI 300

/* px_at_ref pixels at LAYOUT_REF_DPI, in pixels at dpi (rounded down). */
static inline int layout_px(int dpi, int px_at_ref)
{
    return px_at_ref * dpi / LAYOUT_REF_DPI;
}

/* As layout_px for a length given in half pixels at LAYOUT_REF_DPI. */
static inline int layout_half_px(int dpi, int half_px_at_ref)
{
    return half_px_at_ref * dpi / (2 * LAYOUT_REF_DPI);
}

static inline int layout_max(int a, int b)
{
    return a > b ? a : b;
}

/* Breaks in a ruling line up to a fiftieth of an inch (about 0.5 mm; 6 pixels at
 * LAYOUT_REF_DPI, and at least 3) are bridged, and lines that stop that short of each other
 * still close a cell. */
#define RULING_GAP_PX 6
#define RULING_GAP_MIN_PX 3

static inline int layout_ruling_gap(int dpi)
{
    return layout_max(layout_px(dpi, RULING_GAP_PX), RULING_GAP_MIN_PX);
}

/* A cell is at least a twelfth of an inch wide and a fifteenth high (25 by 20 pixels at
 * LAYOUT_REF_DPI): a region between ruling lines narrower than that is no cell (cells.c),
 * and two lines that close are one rule drawn double (lines.c). */
#define LAYOUT_CELL_MIN_WIDTH_PX 25
#define LAYOUT_CELL_MIN_HEIGHT_PX 20

/* A cell lies right of (below) another when it begins no more than this many pixels before
 * the other's right (bottom) edge: neighbours' boxes, each a region between dilated lines,
 * may overlap by a few pixels where a line runs slanted. The same 4 pixels at every
 * resolution: scaled from LAYOUT_REF_DPI it would be 2 at 200 dpi and 8 at 600, and move the
 * fields of the pages read at those resolutions. */
#define LAYOUT_EDGE_SLACK_PX 4

/* ---- vocabulary (vocab.c) ---------------------------------------------------------------- */

#define VOCAB_TEXT_SIZE 64 /* bytes of a label or a title, NUL included */

typedef struct vocab_label {
    lr_field_kind field; /* LR_FIELD_NONE: a section's title (所有者, 土地表示) */
    lr_section section;  /* LR_SECTION_SHEET: any */
    char text[VOCAB_TEXT_SIZE];
} vocab_label;

typedef struct vocab_title {
    lr_doc_type type;
    char text[VOCAB_TEXT_SIZE];
} vocab_title;

struct lr_vocab {
    vocab_label *labels; /* in the file's order: the first of equally long matches wins */
    size_t nlabels;
    char (*others)[VOCAB_TEXT_SIZE]; /* heads of columns no field is read from */
    size_t nothers;
    vocab_title *titles; /* in the file's order: on one line, the first match wins */
    size_t ntitles;
    char whitelist[LR_FIELD_COUNT][sizeof((lr_field_ocr *)0)->whitelist];
    char digest[LR_SHA256_HEX_LEN + 1];
};

/* Whether v is the vocabulary the settings hash stands for without naming it (vocab.c). */
bool vocab_is_baseline(const lr_vocab *v);

/* ---- form templates (forms.c) ------------------------------------------------------------ */

/* Hanja code points minus Hangul syllables in s: which script it leans to. */
int layout_script_lean(const char *s);

/* ---- cell geometry ----------------------------------------------------------------------- */

static inline int layout_overlap(int a0, int a1, int b0, int b1)
{
    int lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0;
}

/* Whether a and b share half the height of the shorter (taller: of the taller) of them. */
static inline bool layout_share_height(const lr_cell *a, const lr_cell *b, bool taller)
{
    int ha = a->y1 - a->y0, hb = b->y1 - b->y0;
    int m = (ha < hb) != taller ? ha : hb;
    return layout_overlap(a->y0, a->y1, b->y0, b->y1) * 2 >= m;
}

static inline bool layout_same_band(const lr_cell *a, const lr_cell *b)
{
    return layout_share_height(a, b, false);
}

/* Stricter than layout_same_band: the two share most of the taller one's height, so a
 * section label running down the side of a table's rows is not in the band of each row. */
static inline bool layout_same_row(const lr_cell *a, const lr_cell *b)
{
    return layout_share_height(a, b, true);
}

/* Makes c a label of field f (kept in row until fields are assigned) in section s. */
static inline void layout_set_label(lr_layout *out, lr_cell *c, lr_field_kind f, lr_section s)
{
    c->is_label = true;
    c->field = LR_FIELD_NONE;
    c->section = s;
    c->row = (int)f;
    out->nlabels++;
}

/* Which heads (labels' fields) stand in c's row (row) or band (else), c left out. */
static inline void layout_heads_beside(const lr_layout *out, const lr_cell *c, bool row,
                                       bool have[LR_FIELD_COUNT])
{
    for (int f = 0; f < LR_FIELD_COUNT; f++)
        have[f] = false;
    for (size_t k = 0; k < out->ncells; k++) {
        const lr_cell *o = &out->cells[k];
        if (o != c && o->is_label && o->row > 0 && o->row < LR_FIELD_COUNT &&
            (row ? layout_same_row(o, c) : layout_same_band(o, c)))
            have[o->row] = true;
    }
}

static inline bool layout_same_column(const lr_cell *a, const lr_cell *b)
{
    int wa = a->x1 - a->x0, wb = b->x1 - b->x0;
    int m = wa < wb ? wa : wb;
    return layout_overlap(a->x0, a->x1, b->x0, b->x1) * 2 >= m;
}

/* ---- the ruled grid (lines.c, cells.c) --------------------------------------------------- */

typedef struct grid {
    BOXA *cells;
    BOX *table;
    int nh, nv;
    bool tiled; /* the cells tile the table (no overlap between them), decided once */
    PIX *lines;
    PIX *struck; /* the strikes' pixels; NULL: none */
} grid;

/* The ruling lines of bin (1 bpp) at dpi, horizontal and vertical, into *out_mask (owned by
 * the caller), lines struck through entries left out and their pixels added to *struck
 * (made on first use); *out_nh, *out_nv: the long lines counted. */
int layout_ruling_lines(PIX *bin, int dpi, PIX **out_mask, int *out_nh, int *out_nv, PIX **struck,
                        lr_error *err);

/* The cells the ruling lines of bin enclose (zeroes *g first; clear with layout_grid_clear). */
int layout_find_grid(PIX *bin, int dpi, grid *g, lr_error *err);
/* The grid of a table found before (lr_layout_find_table). */
int layout_grid_from_table(const lr_table *t, grid *g, lr_error *err);
void layout_grid_clear(grid *g);

/* ---- labels (labels.c) -------------------------------------------------------------------- */

/* Whether text (a cell's) is a label, of the form's or the vocabulary's; sets *field (its
 * field, LR_FIELD_NONE for a section's title) and *section. */
bool layout_find_label(const lr_vocab *v, const lr_form *form, const char *text,
                       lr_field_kind *field, lr_section *section);

/* Marks the cells whose text is a label. */
void layout_mark_labels(lr_layout *out, const lr_vocab *v, layout_text *texts);

/* Reads again, with reader, the cells in a row of labels whose text may be a label misread,
 * and marks those that are labels then (their texts replaced by what was read). */
int layout_reread_labels(lr_layout *out, const lr_vocab *v, int dpi, const lr_layout_reader *reader,
                         layout_text *texts, lr_error *err);

/* Marks the cells in a row of a date head and an event head whose first word is a history
 * table's head and whose other words are noise the OCR read in the speckles beside it
 * (住所 이 이이 이): in that row every cell is a head. */
void layout_mark_noisy_heads(lr_layout *out, const lr_vocab *v, layout_text *texts);

/* ---- heads and fields (headers.c) -------------------------------------------------------- */

/* A history table's date head misread, taken from its event head and the heads beside. */
void layout_infer_date_heads(lr_layout *out, layout_text *texts);
/* A history table's one head the OCR misread, taken from the heads found. */
void layout_infer_missing_heads(lr_layout *out, layout_text *texts);
/* The sheet's lot head misread, taken from where the sheet's head row places it. */
void layout_infer_lot_head(lr_layout *out, layout_text *texts);

/* The history tables: the columns under the heads in the band of each date label. used[i]
 * (one per cell, false on entry): label i has been given its column. anchors: room for one
 * index per cell. */
void layout_assign_histories(lr_layout *out, bool *used, int *anchors);
/* A movement resolution's tables of parcels: column heads without a date column. */
void layout_assign_parcel_tables(lr_layout *out, bool *used, int *anchors);
/* Every other label names the cell right of it, else the one below it. */
void layout_assign_key_values(lr_layout *out, const bool *used);

/* ---- document type (doctype.c) ------------------------------------------------------------ */

/* The type the title nearest the top of the page names (the vocabulary's titles), or the
 * type of the form whose title a line holds (the highest priority), *out_form that form. */
lr_doc_type layout_title_type(const lr_vocab *v, const lr_word *words, size_t nwords,
                              const lr_forms *forms, const lr_form **out_form);

/* out->doc_type: the caller's (doc_type not LR_DOC_AUTO), else the title's (titled), else
 * what the table shows. g: the page's grid. */
void layout_decide_doc_type(lr_layout *out, layout_text *texts, const grid *g, lr_doc_type doc_type,
                            lr_doc_type titled);

/* With no form matched by title: the form of the page's type whose title is written in the
 * script of the labels found. */
void layout_form_by_labels(lr_layout *out, layout_text *texts, const lr_forms *forms);

/* ---- a location beside its label (unruled.c) --------------------------------------------- */

/* When no cell holds the location, a location printed beside its label on one line becomes
 * a cell of its own, appended to out->cells. */
int layout_add_unruled_location(lr_layout *out, const lr_vocab *v, const lr_word *words,
                                size_t nwords, lr_error *err);

#endif
