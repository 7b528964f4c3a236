/* decode.h — a field decoded against what it can be: the least-cost reading of an OCR lattice
 * (each character position's recognised glyph and its alternatives, with costs) that a
 * field's grammar accepts — a word list (events, land categories), Hanja numerals (grades),
 * era dates, areas with their units — with costed insertions (a glyph the model dropped) and
 * deletions (an extra glyph). docs/decoding.md.
 *
 * Owns: the grammars, built from the tables of data/ it loads (eras.tsv, events.tsv,
 * categories.tsv, area_units.tsv, variants.tsv). Borrows: the lattices it decodes. Pure
 * computation, no Tesseract (src/ocr/ fills lattices: ocr.h, lr_ocr_read_cell_lattice). A
 * loaded lr_decode_tables is read-only and may be shared.
 */
#ifndef LANDREC_DECODE_H
#define LANDREC_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/error.h"

/* Alternatives kept per character position (the recognised glyph and Tesseract's choices). */
#define LR_LATTICE_CHOICES 8
/* Positions a lattice decodes at most: a field longer than this is no value of a grammar. */
#define LR_LATTICE_MAX 48
/* Alternatives a decoding returns, best first (the best value is the first). */
#define LR_DECODE_ALT 3

typedef struct lr_lattice_choice {
    uint32_t cp; /* a code point */
    float cost;  /* ≥ 0, −log-probability-like: 0 for the position's best glyph */
} lr_lattice_choice;

typedef struct lr_lattice_column {
    lr_lattice_choice c[LR_LATTICE_CHOICES]; /* best first */
    int n;
} lr_lattice_column;

typedef struct lr_lattice {
    lr_lattice_column *col; /* owned */
    size_t n, cap;
} lr_lattice;

/* Appends an empty position; NULL when out of memory. */
lr_lattice_column *lr_lattice_add_column(lr_lattice *l);

/* Adds cp at cost to a position (keeping the lower cost of a code point listed twice, and the
 * LR_LATTICE_CHOICES cheapest), best first. */
void lr_lattice_add_choice(lr_lattice_column *c, uint32_t cp, float cost);

/* A lattice of text: one position per character other than a space, its only choice at cost
 * 0 (a reading without alternatives: the page's words, tests). LR_ERR_NOMEM. */
int lr_lattice_from_text(const char *text, lr_lattice *out, lr_error *err);

/* The best glyph of each position, as UTF-8 into buf (always terminated). */
void lr_lattice_best_text(const lr_lattice *l, char *buf, size_t size);

void lr_lattice_clear(lr_lattice *l);

typedef struct lr_decode_tables lr_decode_tables; /* opaque */

/* Loads the grammars' tables from dir (eras.tsv, events.tsv, categories.tsv, area_units.tsv,
 * variants.tsv).
 * LR_ERR_IO / LR_ERR_FORMAT naming the file and line, LR_ERR_NOMEM. Free with
 * lr_decode_tables_destroy. */
int lr_decode_tables_load(const char *dir, lr_decode_tables **out, lr_error *err);
void lr_decode_tables_destroy(lr_decode_tables **pt);

/* SHA-256 (hex) of variants.tsv, for a run's settings hash (the other tables are the
 * normalisers', in lr_norm_tables_digest); "" when it could not be read. Borrowed. */
const char *lr_decode_tables_digest(const lr_decode_tables *t);

typedef enum lr_grammar {
    LR_GRAMMAR_EVENT,    /* events.tsv's forms; value: the event token ("split") */
    LR_GRAMMAR_CATEGORY, /* categories.tsv's names, 부호 and variants; value: the code ("08") */
    LR_GRAMMAR_GRADE,    /* 1–999 in multiplicative (二十九), formal (貳拾九, 廿九) or Arabic
                            numerals, not positional (二二九 is no grade); value "29" */
    LR_GRAMMAR_NUMERAL,  /* 0–99999 in any notation, positional (一九二〇) included */
    LR_GRAMMAR_DATE,     /* era + year + 年 + month + 月 + day + 日 (元年 for 1; 년 월 일 in
                            Hangul), a day that exists within the era's days (eras.tsv); value:
                            ISO "1915-03-02" */
    LR_GRAMMAR_AREA,     /* an area in the units of lr_decode_ctx.area (area_units.tsv), largest
                            first, each a numeral and the unit, any of them left out but not
                            all: 五百七拾參坪貳合, 八畝廿步, 參町貳段步 (步 closing an area that
                            ends on a larger unit); a unit below the largest holds less than the
                            next larger one (合 1–9, 步 1–29), the largest 1–9999; metric areas
                            in Arabic digits with up to two decimals, ㎡ optional. Value: Arabic
                            quantities and the units' names ("573坪2合", "3町2段步",
                            "408.26㎡"), which lr_norm_parse_area reads */
} lr_grammar;

/* An area's unit system (area_units.tsv's "system"). */
typedef enum lr_decode_area {
    LR_AREA_TSUBO,  /* 坪 合 勺 */
    LR_AREA_CHO,    /* 町 段 畝 步 */
    LR_AREA_METRIC, /* ㎡ */
} lr_decode_area;

/* Which forms a word list takes. */
typedef enum lr_decode_script {
    LR_SCRIPT_ANY,
    LR_SCRIPT_HANJA,  /* forms without Hangul: a sheet written in Hanja */
    LR_SCRIPT_HANGUL, /* forms with Hangul */
} lr_decode_script;

typedef enum lr_decode_side {
    LR_DECODE_SIDE_ANY,
    LR_DECODE_SIDE_LAND,  /* events of the land column (and events.tsv's "any") */
    LR_DECODE_SIDE_OWNER, /* events of the owner column (and "any") */
} lr_decode_side;

typedef struct lr_decode_ctx {
    lr_grammar grammar;
    lr_decode_script script; /* events and categories */
    lr_decode_side side;     /* events */
    const char *date;        /* categories: the row's ISO date (or NULL): a category not in
                                force that day is refused */
    lr_decode_area area;     /* areas */
} lr_decode_ctx;

typedef struct lr_decode_alt {
    char value[64]; /* as lr_decode_result.value */
    char text[96];  /* the grammar's string it was read as (合倂, 大正四年三月二日) */
    float cost;
} lr_decode_alt;

typedef struct lr_decode_result {
    bool found;     /* a value was decoded (else the rest is empty) */
    char value[64]; /* the best value */
    char text[96];  /* its string as the grammar writes it */
    float cost;     /* its path's cost */
    float runner_up; /* the cost of the best path to another value; INFINITY when none */
    float conf;      /* 0–100 from the margin runner_up − cost */
    bool exact;      /* the best path is the lattice's best glyphs, no edit: the grammar
                        accepts the reading as it is */
    lr_decode_alt alt[LR_DECODE_ALT]; /* distinct values, best first; alt[0] is the value */
    int nalt;
} lr_decode_result;

/* Decodes l against ctx's grammar with tables t. Fills *out (zeroed first); out->found false
 * when the lattice is empty, longer than LR_LATTICE_MAX, or when the best path the grammar
 * accepts replaces more than about half of it (junk). LR_ERR_ARG (NULL argument), or
 * LR_ERR_NOMEM. */
int lr_decode(const lr_decode_tables *t, const lr_decode_ctx *ctx, const lr_lattice *l,
              lr_decode_result *out, lr_error *err);

/* The characters ctx's grammar is written in, with the forms the models write for those
 * they lack (variants.tsv), as UTF-8 into buf (always terminated): a whitelist for reading
 * the field's cell again. */
void lr_decode_charset(const lr_decode_tables *t, const lr_decode_ctx *ctx, char *buf,
                       size_t size);

#endif
