/* extract.h — field recognition: the cells of a laid-out ledger page (layout.h) read into a
 * parcel record. Each cell takes the page OCR's words that fall in it when they are
 * confident; only the cells that need it are read again (small crops, one line, a whitelist
 * or a vertical model per field, as the form template or the config file says), within a
 * budget counted in characters, a share of those the page OCR read (so that a page reads the
 * same however loaded the machine is). Values are normalised (lot numbers,
 * categories, areas, era dates, events), checked (dates in order, categories valid for the
 * era, areas positive, lot present) and flagged for review with their cell's box.
 *
 * Owns: an OCR handle (ocr.h) that reads cells only (a Tesseract handle per language set,
 * loaded on first use), the normalisers' tables and the field config. Borrows: the page, its
 * layout and its OCR result. An lr_extractor is not thread-safe: one per worker.
 */
#ifndef LANDREC_EXTRACT_H
#define LANDREC_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "landrec/error.h"
#include "landrec/layout.h"
#include "landrec/normalize.h"
#include "landrec/ocr.h"

struct Pix;

#define LR_EXTRACT_MAX_ALT 3

typedef struct lr_alternative {
    char value[64]; /* a normalised value */
    float score;    /* 0–100 */
} lr_alternative;

typedef struct lr_field {
    bool present;      /* a cell holds the field on this page (else null in the export) */
    char *raw;         /* text as read, UTF-8, owned; "" when the cell is empty */
    char *value;       /* normalised, owned; NULL when it could not be normalised */
    float conf;        /* 0–100: OCR confidence times the vocabulary/parse score */
    bool review;       /* needs a person */
    char reason[48];   /* why: "low-confidence", "unreadable", "unread-ink", "date-order",
                          "assessment-date", "area-sum", "category-era", "area", "missing",
                          "era-range", "normalize" (first found) */
    int x0, y0, x1, y1; /* the cell, in the binary page's pixels */
    bool reread;       /* the cell was OCR'd again (else the page's words were used) */
    bool ditto;        /* it holds a ditto mark (〃 仝 …): its value is the row above's */
    bool ditto_doubt;  /* the mark may be a character misread (수: 仝 or 垈): for review */
    float weakest;     /* 0–100: the least sure of the page OCR's words it was read from (a
                          ditto's: or the row above's); 0 when the cell was OCR'd again */
    lr_alternative alt[LR_EXTRACT_MAX_ALT]; /* vocabulary alternatives, best first */
    int nalt;
} lr_field;

typedef struct lr_land_row {
    lr_field date, event, category, area, grade;
    bool struck;       /* struck through across a quarter of its width or more: no longer in
                          force (the struck entry's fields are still read and kept) */
} lr_land_row;

typedef struct lr_owner_row {
    lr_field date, event, address, name;
    bool struck;       /* as lr_land_row's */
} lr_owner_row;

/* A lot number named in a history row's event: split/merge/conversion between lots. */
typedef struct lr_lineage {
    char kind[16];    /* "split", "merge", "conversion" */
    char from_lot[32];
    char to_lot[32];
    int row;          /* land-history row it was read from */
} lr_lineage;

/* The parcel as it stands (docs/records.md, "The parcel's current state"): where the form has
 * no box for the category, area or grade (the field is not present on the sheet), the value
 * comes from the land-history rows in force: the last row not struck out that holds it. The
 * lot is the sheet's own unless a row in force merged or converted the parcel into another lot
 * that it names. */
typedef struct lr_current {
    int category_row, area_row, grade_row; /* land-history row the value comes from; -1: the
                                              sheet's own box, or nothing gives one */
    char lot[32];                          /* the lot the parcel went into; "": the sheet's */
    int lot_row;                           /* the row naming it; -1 when lot is "" */
} lr_current;

typedef struct lr_sheet {
    lr_doc_type doc_type;
    bool doc_type_forced;      /* given by the caller, not classified */
    char form[64];             /* template name, "" when none matched */
    lr_field location, lot, category, area, grade;
    char legal_dong[LR_NORM_DONG_CODE_SIZE]; /* the location's 법정동코드, when it resolves in the
                                                gazetteer to a unit that has one (a 里, 洞 or
                                                街: the parcel's); "" otherwise */
    char pnu[LR_NORM_PNU_SIZE]; /* legal_dong, 1 or 2 (산), 본번, 부번 when the lot is one
                                   lot; "" otherwise */
    lr_land_row *land;         /* owned, top down */
    size_t nland;
    lr_owner_row *owners;      /* owned, top down */
    size_t nowners;
    lr_lineage *lineage;       /* owned */
    size_t nlineage;
    lr_current current;        /* the parcel as it stands */
    int cells;                 /* value cells read */
    int cells_reread;          /* of which OCR'd again */
    double reread_ms;          /* time spent re-reading */
    int nreview;               /* fields flagged */
} lr_sheet;

typedef struct lr_extract_options {
    const char *lang;        /* languages for re-reading cells (default: the page's, copied) */
    const char *datapath;    /* tessdata directory (NULL: as ocr.h) (copied) */
    float threshold;         /* a field below this confidence goes to review (default 70), for
                                the kinds data/thresholds.tsv does not list and no form's
                                threshold= sets */
    float reuse_conf;        /* page words at or above this are used as read (default 80) */
    float budget_pct;        /* re-reading, percent of the characters the page OCR read
                                (default 4) */
    int max_rereads;         /* cells per page at most (default 8) */
    const char *config_path; /* per-field OCR settings ("ocr" lines as in a form; NULL:
                                none) (copied) */
    const char *data_dir;    /* the normalisers' tables and the fields' whitelists (NULL:
                                lr_norm_default_data_dir()) */
} lr_extract_options;

void lr_extract_options_default(lr_extract_options *out_opts);

typedef struct lr_extractor lr_extractor; /* opaque */

/* Reads the config file if any (LR_ERR_FORMAT/LR_ERR_IO naming it), the normalisers'
 * tables (normalize.h; errors as lr_norm_tables_load) and the vocabulary's whitelists
 * (layout.h, lr_vocab_load), and loads Tesseract for the run's languages. *out: caller frees with lr_extract_destroy. */
int lr_extract_new(const lr_extract_options *opts, lr_extractor **out, lr_error *err);
void lr_extract_destroy(lr_extractor **pex);

/* Loads now every OCR language that forms' "ocr" lines name (a worker's first page that
 * reads a lot with jpn should not pay for loading it). */
int lr_extract_preload(lr_extractor *ex, const lr_forms *forms, lr_error *err);

/* Stable description of what changes extraction results (options, config, the tables'
 * digest), for the run's settings hash. buf is always terminated. */
void lr_extract_describe(const lr_extractor *ex, char *buf, size_t size);

/* Reads the sheet laid out in layout (borrowed) from binary (borrowed, 1 bpp, the page the
 * layout was found on) at dpi, with the page OCR's result (borrowed; the characters it read
 * set the re-reading budget). Fills *out (zeroed first; clear with lr_sheet_clear). A layout
 * without value cells gives an empty sheet whose lot is flagged "missing". The result does
 * not depend on timing. */
int lr_extract_sheet(lr_extractor *ex, struct Pix *binary, int dpi, const lr_layout *layout,
                     const lr_ocr_result *page, lr_sheet *out, lr_error *err);

/* The layout of binary (lr_layout_analyze) with the page OCR's words, where the cells
 * beside the labels found that may be misread labels are read again with the extractor's
 * Tesseract. Arguments and *out as lr_layout_analyze (table: the OCR stage's, or NULL). */
int lr_extract_layout(lr_extractor *ex, struct Pix *binary, int dpi, const lr_ocr_result *page,
                      const lr_table *table, const lr_forms *forms, lr_doc_type doc_type,
                      lr_layout *out, lr_error *err);

void lr_sheet_clear(lr_sheet *s);

/* The field of (section, row, kind) in s, or NULL when the sheet has no such field. */
lr_field *lr_sheet_field(lr_sheet *s, lr_section section, size_t row, lr_field_kind kind);

/* The field that gives the parcel's current kind (lot, category, area or grade) on s: the
 * sheet's own when present, else the land-history row's of s->current (*out_row gets that
 * row, -1 for the sheet's own; may be NULL). NULL when nothing gives it. For the lot, the
 * sheet's field (s->current.lot tells where the parcel went). */
lr_field *lr_sheet_current_field(lr_sheet *s, lr_field_kind kind, int *out_row);

/* "review=DIGEST": what of the review thresholds (data_dir/thresholds.tsv; NULL: the default
 * data directory) changes extraction results, for the run's settings without an extractor.
 * Errors as lr_extract_new's for that file. */
int lr_extract_review_describe(const char *data_dir, char *buf, size_t size, lr_error *err);

/* The normalisers' tables the extractor loaded (borrowed). */
const lr_norm_tables *lr_extract_tables(const lr_extractor *ex);

/* Normalises raw text as the given field with tables (the normalisers behind extraction,
 * exposed for the review import and tests). section: events read the land or owner column's
 * vocabulary (LR_SECTION_SHEET: either). date (may be NULL): the row's ISO date, for
 * category periods and the unit of a bare area. *out_value: caller frees with free(), NULL
 * when it cannot be normalised; *out_score 0–100. alts may be NULL. */
int lr_extract_normalize(const lr_norm_tables *tables, lr_field_kind kind, lr_section section,
                         const char *raw, lr_doc_type doc_type, const char *date,
                         char **out_value, float *out_score, lr_alternative *alts, int *out_nalt,
                         lr_error *err);

#endif
