/* layout.h — the ruled table of a ledger page: ruling lines found by Leptonica morphology on
 * the binary page, the cells they enclose, the printed labels (地番, 地目 … or 지번, 지목 …)
 * read from the page OCR's words, and each cell's field and history row. Also the page's
 * document type, the form templates (schemas/forms/NAME.form, docs/forms.md) that name known
 * form versions and their per-field OCR settings, and the vocabulary the layout reads pages
 * with (data/labels.tsv, titles.tsv, whitelists.tsv).
 *
 * Owns: the ruled table and its cells, labels and fields, document types, form templates and
 * the vocabulary. Borrows: the page OCR's words (ocr.h), the data directory and its table
 * reader (normalize.h), Leptonica. Pure analysis: no OCR of its own (a caller's reader reads
 * cells again), no I/O except the loading of forms and vocabulary.
 */
#ifndef LANDREC_LAYOUT_H
#define LANDREC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "landrec/error.h"
#include "landrec/ocr.h"

struct Pix;

typedef enum lr_doc_type {
    LR_DOC_AUTO = -1, /* "detect it" (an option value, never a result) */
    LR_DOC_UNKNOWN = 0,
    LR_DOC_LAND_LEDGER,
    LR_DOC_FOREST_LEDGER,
    LR_DOC_MOVEMENT_RESOLUTION,
    LR_DOC_CADASTRAL_MAP,
    LR_DOC_FOREST_MAP,
    LR_DOC_SURVEY_MAP,
} lr_doc_type;

/* "land_ledger", "forest_ledger", "movement_resolution", "cadastral_map", "forest_map",
 * "survey_map", "unknown" ("auto" for LR_DOC_AUTO). Borrowed, static. */
const char *lr_doc_type_name(lr_doc_type t);
/* Parses those names; LR_ERR_ARG for anything else. */
int lr_doc_type_parse(const char *name, lr_doc_type *out_type);
/* Whether a document type is a ledger (land or forest). */
bool lr_doc_type_is_ledger(lr_doc_type t);
/* Whether a document type is read into parcel records: the ledgers, and the movement
 * resolutions (the parcel before the movement as the sheet's fields, the parcels after it as
 * land-history rows). */
bool lr_doc_type_has_records(lr_doc_type t);

typedef enum lr_field_kind {
    LR_FIELD_NONE = 0,
    LR_FIELD_LOCATION,
    LR_FIELD_LOT,
    LR_FIELD_CATEGORY,
    LR_FIELD_AREA,
    LR_FIELD_GRADE,
    LR_FIELD_DATE,
    LR_FIELD_EVENT,
    LR_FIELD_ADDRESS,
    LR_FIELD_NAME,
    LR_FIELD_COUNT
} lr_field_kind;

/* "location", "lot", … ; "" for LR_FIELD_NONE. Borrowed, static. */
const char *lr_field_kind_name(lr_field_kind k);
int lr_field_kind_parse(const char *name, lr_field_kind *out_kind);

typedef enum lr_section {
    LR_SECTION_SHEET = 0, /* the sheet's own fields (location, lot, current category …) */
    LR_SECTION_LAND = 1,  /* land-history rows (토지표시 연혁) */
    LR_SECTION_OWNER = 2, /* owner-history rows (소유자 연혁) */
} lr_section;

/* "sheet", "land", "owner". Borrowed, static. */
const char *lr_section_name(lr_section s);

/* How one field is read: from the form template or the config file, else the defaults. */
typedef struct lr_field_ocr {
    char lang[64];       /* Tesseract languages for re-reading the cell; "" = the page's */
    char whitelist[256]; /* UTF-8 characters allowed; "" = any */
    int psm;             /* 0 = automatic (7 one line, 6 for address and multi-line cells) */
    bool vertical;       /* read top to bottom with kor_vert (psm 5) */
    float threshold;     /* below this confidence the field goes to review; 0 = default */
} lr_field_ocr;

/* The vocabulary (data/): the printed labels of the cells (labels.tsv), the titles of the
 * document types (titles.tsv), and the characters each field's cell is read again with when
 * no form or config names others (whitelists.tsv). Immutable once loaded. */
typedef struct lr_vocab lr_vocab;

/* Reads labels.tsv, titles.tsv and whitelists.tsv from dir (NULL or "":
 * lr_norm_default_data_dir()) as the normalisers' tables are read (normalize.h). A missing
 * file or column, or a bad value, is LR_ERR_IO / LR_ERR_FORMAT naming the file and line.
 * *out: caller frees with lr_vocab_destroy; NULL on failure. */
int lr_vocab_load(const char *dir, lr_vocab **out, lr_error *err);
void lr_vocab_destroy(lr_vocab **pvocab);
/* SHA-256 (64 hex digits) over the three files' names and digests. Borrowed from v. */
const char *lr_vocab_digest(const lr_vocab *v);
/* The characters field k's cell may be read as (whitelists.tsv); "" for any. Borrowed. */
const char *lr_vocab_whitelist(const lr_vocab *v, lr_field_kind k);

/* One form version (schemas/forms/NAME.form). */
typedef struct lr_form {
    char name[64];
    lr_doc_type doc_type;
    char (*match)[64];    /* title strings that identify the form; any one suffices */
    size_t nmatch;
    struct lr_form_label {
        lr_field_kind field;
        lr_section section; /* LR_SECTION_SHEET for any */
        char text[64];
    } *labels;            /* extra label spellings of this form */
    size_t nlabels;
    lr_field_ocr ocr[LR_FIELD_COUNT];
    bool has_ocr[LR_FIELD_COUNT];
    int priority;         /* higher wins when two forms match */
    bool has_range[LR_FIELD_COUNT];
    double range_min[LR_FIELD_COUNT], range_max[LR_FIELD_COUNT]; /* a numeric field's values
                             on this form ("range" lines): outside, the field is flagged */
    int title_lean;       /* Hanja minus Hangul characters of its first title: > 0 when the
                             form is written in Hanja (土地臺帳), < 0 in Hangul (토지대장) */
} lr_form;

typedef struct lr_forms {
    lr_form *forms;
    size_t nforms;
    lr_vocab *vocab;      /* the data directory's vocabulary (owned) */
    char digest[17];      /* 16 hex digits of the SHA-256 of the form files read and, unless
                             it is the shipped one, the vocabulary's digest (settings hash) */
} lr_forms;

/* Reads every *.form in dir (sorted by name), and the vocabulary of the default data
 * directory (lr_vocab_load(NULL)). A missing directory is not an error (no forms); a
 * malformed file is LR_ERR_FORMAT naming the file and line, a missing vocabulary as
 * lr_vocab_load. *out: caller frees with lr_forms_destroy. */
int lr_forms_load(const char *dir, lr_forms **out, lr_error *err);
/* Parses one form's text (name for messages). Fills *out (caller frees with lr_form_clear). */
int lr_form_parse(const char *text, const char *name, lr_form *out, lr_error *err);
void lr_form_clear(lr_form *f);
void lr_forms_destroy(lr_forms **pforms);

typedef struct lr_cell {
    int x0, y0, x1, y1;   /* in the binary page's pixels; x1, y1 exclusive */
    lr_field_kind field;  /* LR_FIELD_NONE: not a value cell */
    lr_section section;
    int row;              /* history row (0-based, top down) in its section; 0 for the sheet */
    bool is_label;        /* a printed label */
    bool vertical;        /* taller than wide: text probably runs top to bottom */
    bool inferred;        /* a label taken from where the others place it, not read */
    float ink;            /* fraction of black pixels inside, ruling lines excluded */
    const lr_field_ocr *ocr; /* borrowed from the matched form, or NULL */
} lr_cell;

/* Pixels at dpi from a cell's edge to its inside, past the ruling line: a hundredth of an
 * inch and two pixels (5 at 300 dpi). What is read of a cell starts there: its crop for OCR,
 * a label read again. */
#define LR_LAYOUT_CELL_INSET(dpi) ((dpi) / 100 + 2)

/* Pixels at dpi from a cell's edge to where its ink (lr_cell.ink) is counted: one pixel less
 * than LR_LAYOUT_CELL_INSET (4 at 300 dpi). The two differ at every resolution; the ink
 * decides which cells are empty (a field's confidence, whether it is read again) and which may
 * be labels misread, so making them one would change results. */
#define LR_LAYOUT_CELL_INK_INSET(dpi) ((dpi) / 100 + 1)

typedef struct lr_layout {
    int label_rereads;     /* cells read again for their label */
    lr_doc_type doc_type;
    bool doc_type_forced;  /* given by the caller */
    const lr_form *form;   /* the matched template (borrowed from lr_forms) or NULL */
    int table_x0, table_y0, table_x1, table_y1; /* bounding box of the ruled table; 0s: none */
    int nhlines, nvlines;  /* ruling lines found */
    lr_cell *cells;        /* every cell, labels included, top to bottom, left to right */
    size_t ncells;
    int nland_rows, nowner_rows;
    /* By section (land, owner): a history table found from a date head taken, not read (a
     * degraded head row); every field of that section goes to review (`head-inferred`). */
    bool heads_inferred[LR_SECTION_OWNER + 1];
    int nlabels;
    struct Pix *struck;    /* as lr_table's (a reference of its own; NULL: no strike) */
} lr_layout;

typedef struct lr_box {
    int x0, y0, x1, y1; /* pixels; x1, y1 exclusive */
} lr_box;

/* The ruled table of a page, before any reading: the regions its lines enclose. */
typedef struct lr_table {
    lr_box table;   /* bounding box of the ruled blocks; 0s: none */
    lr_box *cells;  /* each region once, top to bottom, left to right (owned) */
    size_t ncells;
    bool tiled;     /* the cells tile the table without overlapping (a form's cells, not a
                       map's parcel outlines) */
    int nh, nv;     /* ruling lines found, horizontal and vertical */
    struct Pix *struck; /* 1 bpp, the page's size: the pixels of the lines struck through
                           entries, where no character's stroke crosses them; what reads the
                           cells takes them out (owned; NULL: no strike) */
} lr_table;

/* A page whose lines enclose at least this many regions, overlapping (not tiled), is a map:
 * its parcel outlines (the generated maps have 20–60; a damaged ledger whose table is half
 * found, about 10). */
#define LR_LAYOUT_MAP_MIN_REGIONS 16

/* Finds the ruling lines of binary (1 bpp, upright) at dpi and the cells they enclose, as
 * lr_layout_analyze does. Fills *out (zeroed first; clear with lr_table_clear). */
int lr_layout_find_table(struct Pix *binary, int dpi, lr_table *out, lr_error *err);
void lr_table_clear(lr_table *t);

/* Reads one cell again on its own (the layout does no OCR itself): the text inside the
 * rectangle, into buf (always terminated). Negative lr_error code on failure. */
typedef struct lr_layout_reader {
    int (*read)(void *ctx, int x0, int y0, int x1, int y1, char *buf, size_t size,
                lr_error *err);
    void *ctx;
} lr_layout_reader;

/* At most this many cells a page are read again for their label. */
#define LR_LAYOUT_MAX_LABEL_REREADS 6

/* Analyses binary (borrowed, 1 bpp, upright; the page OCR'd) at dpi with the page OCR's
 * words (borrowed; boxes in binary's pixels). table (may be NULL: found here) is
 * lr_layout_find_table's result on the same page, when the OCR stage already looked for it.
 * forms gives the templates and the vocabulary (may be NULL: no templates, and the default
 * data directory's vocabulary read for the call). doc_type: LR_DOC_AUTO to classify,
 * otherwise the caller's type (kept even when the page looks otherwise). reader
 * (may be NULL): short texts beside the labels found, which may be labels the page OCR
 * misread (지번 as 지보), are read again with it. Fills *out (zeroed first; clear with
 * lr_layout_clear). A page without a table is not an error: it has no cells. */
int lr_layout_analyze(struct Pix *binary, int dpi, const lr_word *words, size_t nwords,
                      const lr_table *table, const lr_forms *forms, lr_doc_type doc_type,
                      const lr_layout_reader *reader, lr_layout *out, lr_error *err);

void lr_layout_clear(lr_layout *l);

#endif
