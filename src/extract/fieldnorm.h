/* fieldnorm.h — one field's text to its value through the normalisers (normalize.h): the
 * glue that picks the normaliser and its context for a field (the row's date, the column's
 * side, the ledger's unit of a bare number) and turns its verdict into the extractor's
 * score, alternatives and review reason. Internal to src/extract/.
 */
#ifndef LANDREC_EXTRACT_FIELDNORM_H
#define LANDREC_EXTRACT_FIELDNORM_H

#include "landrec/extract.h"
#include "landrec/normalize.h"

/* Where a field sits and what is known around it. */
typedef struct lr_fieldnorm_ctx {
    lr_field_kind kind;
    lr_section section; /* events: land or owner column */
    lr_doc_type doc;    /* forest ledgers: 步 for a bare number, 산 on the lot */
    const char *date;   /* the row's ISO date or NULL: category periods, the unit of a bare
                           area (m² from 1976) */
    bool hanja_form;    /* the sheet's form is written in Hanja (土地臺帳 …): a category, an
                           event or a name read in Hangul alone is flagged ("script") */
} lr_fieldnorm_ctx;

typedef struct lr_fieldnorm {
    char value[128];  /* "" when the text could not be normalised */
    float score;      /* 0–100: the normaliser's score (100 = exact reading or term) */
    lr_alternative alt[LR_EXTRACT_MAX_ALT]; /* vocabulary alternatives, best first */
    int nalt;
    int year;         /* dates: the Gregorian year; 0 otherwise */
    bool unit_assumed; /* areas: a bare number, read in the unit the date or the form gives */
    char flag[48];    /* the review reason the normaliser gives ("era-range", "category-era",
                         "normalize", "script", "short", "surname"), "" when it stands behind
                         the value */
    char note[LR_NORM_REASON_SIZE]; /* its words, for the log */
} lr_fieldnorm;

/* Normalises raw as ctx says with tables t (borrowed, not NULL). Never fails: out of memory
 * in a normaliser reads as text that does not normalise. */
void lr_fieldnorm_run(const lr_norm_tables *t, const lr_fieldnorm_ctx *ctx, const char *raw,
                      lr_fieldnorm *out);

/* The unit of an area in ctx, a bare number's and its system's: ㎡ on entries from 1976 (and
 * on the resolutions, which start then), 步 on forest ledgers, 坪 on land ledgers. */
const char *lr_fieldnorm_area_unit(const lr_fieldnorm_ctx *ctx);

/* A ditto mark (〃 仝 同 々 and OCR's readings of 〃): the value is the row above's. */
bool lr_fieldnorm_is_ditto(const char *raw);

/* As lr_fieldnorm_is_ditto, in a field of ctx's kind on ctx's form: 수 alone too, what `kor`
 * makes of 仝 (at confidence 96–97). 수 is otherwise 水道用地's one-character 부호, a map's
 * symbol (domain.md §2.4), which a ledger's category column writes in full. */
bool lr_fieldnorm_is_ditto_in(const lr_fieldnorm_ctx *ctx, const char *raw);

/* Whether a ditto mark of lr_fieldnorm_is_ditto_in may be a character misread: 수 in a
 * category on a form written in Hanja, where `kor` may also make it of 垈. It takes the row
 * above's value and stays for review. */
bool lr_fieldnorm_ditto_doubtful(const lr_fieldnorm_ctx *ctx, const char *raw);

#endif
