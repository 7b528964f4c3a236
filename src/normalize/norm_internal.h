/* norm_internal.h — what the normalisers share inside the module: the loaded tables, text
 * folding to code points, the opening and the notes every parser writes, look-alike repair,
 * weighted edit distance and the numeral core.
 * Not installed; nothing outside src/normalize/ includes it.
 */
#ifndef LANDREC_NORM_INTERNAL_H
#define LANDREC_NORM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/gazetteer.h"
#include "landrec/normalize.h"

/* Where a look-alike repair applies (lookalikes.tsv "where" column). */
#define NORM_CTX_NUMERAL 1u
#define NORM_CTX_DATE 2u
#define NORM_CTX_AREA 4u
#define NORM_CTX_LOT 8u
#define NORM_CTX_ADDRESS 16u /* addresses and locations: replaced wherever seen */

/* Edit costs in quarter units: a look-alike substitution is a quarter of another edit, so a
 * vocabulary match through OCR confusions outranks one through arbitrary changes. */
#define NORM_COST_EDIT 4
#define NORM_COST_LOOK 1

#define NORM_TERM_MAX 32 /* code points of one vocabulary form */

/* One surface form of a vocabulary entry, folded like the input. */
typedef struct norm_term {
    uint32_t cp[NORM_TERM_MAX];
    int n;
    int owner;     /* index of the era, category, event rule or unit */
    char text[64]; /* as written in the table */
    bool abbrev;   /* categories: a one-character 부호 */
} norm_term;

typedef struct norm_era {
    char key[16];
    char name[32];
    int offset;                   /* Gregorian year = era year + offset */
    int last_year;                /* last year the era had; 0: open */
    int32_t start, end;           /* yyyymmdd, inclusive */
    int32_t korea_from, korea_to; /* yyyymmdd, inclusive: in use in Korea */
} norm_era;

typedef struct norm_category {
    char code[3];
    char modern[32];
    char hanja[48];
    char hangul[48];
    int32_t from, to; /* yyyymmdd, inclusive */
} norm_category;

#define NORM_EVENT_CODES 64
typedef struct norm_event_rule {
    lr_norm_event_kind kind;
    unsigned sides; /* bit 1 land, bit 2 owner */
    int codes[NORM_EVENT_CODES];
    int ncodes;
} norm_event_rule;

typedef struct norm_unit {
    char name[16];
    char system[8];
    int64_t num, den; /* m² per unit, resolved through the "of" column */
    bool exact_mark;  /* written without a number after a larger unit: "exactly" (3町步) */
} norm_unit;

typedef struct norm_look {
    uint32_t seen, means;
    unsigned where; /* NORM_CTX_* */
} norm_look;

typedef struct norm_dong {
    char code[LR_NORM_DONG_CODE_SIZE];
    char name[128];
    bool abolished;
    size_t off; /* folded name without spaces: pool[off .. off+n) */
    uint16_t n;
    uint8_t nstarts; /* component starts in that form */
    uint8_t starts[12];
} norm_dong;

/* Most units above a place (a 面's county and province). */
#define NORM_PLACE_LEVELS 3

/* One row of places.tsv, folded, spaces dropped. */
typedef struct norm_place {
    uint32_t cp[NORM_TERM_MAX];
    int n;
    int suffix_n; /* its last suffix_n code points are the unit's kind */
    char text[64];
    char within[64]; /* the unit it lies in ("" for a first-level unit) */
    int up[NORM_PLACE_LEVELS]; /* the units above it (indices into places), outermost first:
                                  京畿道 楊州郡 for 蘆海面; resolved once at load */
    int nup;
    bool derived; /* from legal_dong.tsv (a 구 or 동): never repaired as a text's first unit */
} norm_place;

/* One row of compose.tsv: a character written as one character above another. */
typedef struct norm_compose {
    uint32_t c, above, below;
} norm_compose;

/* One row of surnames.tsv, one of its two spellings: a surname of one or two characters. */
typedef struct norm_surname {
    uint32_t cp[2];
    int n;
    bool hangul; /* the Hangul spelling (else the Hanja) */
} norm_surname;

/* One row of owner_markers.tsv, folded, spaces dropped. */
typedef struct norm_marker {
    uint32_t cp[NORM_TERM_MAX];
    int n;
    bool whole; /* the name is the marker (else: the name holds it) */
} norm_marker;

struct lr_norm_tables {
    char dir[1024];
    char digest[65];
    norm_era *eras;
    size_t neras;
    norm_category *cats;
    size_t ncats;
    norm_event_rule *events;
    size_t nevents;
    norm_unit *units;
    size_t nunits;
    norm_look *looks;
    size_t nlooks;
    uint64_t *pairs; /* sorted (min << 32 | max) of look-alike pairs, for edit costs */
    size_t npairs;
    norm_term *era_terms, *cat_terms, *event_terms, *unit_terms;
    size_t nera_terms, ncat_terms, nevent_terms, nunit_terms;
    norm_dong *dongs;
    size_t ndongs;
    norm_place *places;
    size_t nplaces;
    norm_compose *composes;
    size_t ncomposes;
    uint32_t *pool;
    size_t npool;
    norm_surname *surnames; /* surnames.tsv: both spellings of each row */
    size_t nsurnames;
    norm_marker *markers; /* owner_markers.tsv */
    size_t nmarkers;
    lr_gazetteer *gazetteer; /* gazetteer.tsv and hanja_readings.tsv (gazetteer.h) */
};

/* ---- text (norm_text.c) ---- */

/* Folds text to code points: invalid UTF-8 and NUL become U+FFFD (*out_invalid set), then
 * NFKC and case folding, white space runs become one ' ', control and format characters go,
 * the ends are trimmed. out has room for cap code points. Returns LR_OK, LR_ERR_NOMEM, or
 * LR_ERR_TOO_LARGE when len > LR_NORM_INPUT_MAX or the folded text exceeds cap. */
int norm_fold(const char *text, size_t len, uint32_t *out, size_t cap, size_t *out_n,
              bool *out_invalid);

/* A parser's result before it reads anything: the size bytes at out zeroed, and its note (in
 * out) unparseable with the reason "no input" (what it says when the arguments are refused). */
void norm_result_clear(void *out, size_t size, lr_norm_note *note);

/* The opening every parser shares: text folded (norm_fold) into cp, room for
 * LR_NORM_INPUT_MAX code points, for reading what ("a lot number"). *out_n is 0 when there is
 * nothing to read, and note then says why (norm_unparseable: "input too long" or "empty").
 * Returns LR_OK, or LR_ERR_NOMEM set in err as "out of memory reading WHAT". */
int norm_read_input(const char *text, size_t len, const char *what, lr_norm_note *note,
                    uint32_t *cp, size_t *out_n, bool *out_invalid, lr_error *err);

/* UTF-8 of one code point into buf (>= 5 bytes); returns buf. */
char *norm_cp_utf8(uint32_t cp, char buf[8]);

/* UTF-8 of cp[0..n) into buf, truncated at a character boundary; returns buf. */
char *norm_cps_utf8(const uint32_t *cp, size_t n, char *buf, size_t size);

/* Replaces each code point that valid() refuses by its look-alike for ctx, when the table has
 * one that valid() accepts. Returns the number of repairs. t may be NULL (none). */
int norm_fix_lookalikes(const lr_norm_tables *t, uint32_t *cp, size_t n, unsigned ctx,
                        bool (*valid)(const lr_norm_tables *t, uint32_t c));

/* Whether a and b are a look-alike pair of the table (either way round). */
bool norm_is_lookalike(const lr_norm_tables *t, uint32_t a, uint32_t b);

/* Weighted edit distance of pattern p against text a: whole against whole, or (substring)
 * p against the best-matching substring of a. *out_cost in quarter units, *out_ops edit
 * operations on the cheapest path. */
void norm_distance(const lr_norm_tables *t, const uint32_t *a, size_t na, const uint32_t *p,
                   size_t np, bool substring, int *out_cost, int *out_ops);

/* Whether a match of that cost against a form of np code points is close enough to use. */
bool norm_accept(int cost, size_t np);

/* Score 0 … 1 of a match of that cost against a form of np code points (input n). */
float norm_score(int cost, size_t n, size_t np);

/* One ranked vocabulary candidate. */
typedef struct norm_cand {
    int owner;
    int term;
    int cost;
    int ops;
    float score;
    bool accepted; /* norm_accept() of cost and the form's length */
} norm_cand;

/* Scores every term against the input and keeps the best per owner: accepted matches first,
 * then the cheapest, then the higher score (the longer form), then table order. *out: caller frees
 * with free(). Returns the count; -1 when out of memory. */
int norm_rank(const lr_norm_tables *t, const norm_term *terms, size_t nterms, const uint32_t *in,
              size_t n, bool substring, norm_cand **out);

/* Fills note: status, score, distance, and the reason from a format. */
void norm_note(lr_norm_note *note, lr_norm_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends "; text" (or text when reason is empty) to a note's reason. */
void norm_note_add(lr_norm_note *note, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Flags the note (LR_NORM_FLAGGED) and appends the reason, as norm_note_add. */
void norm_flag(lr_norm_note *note, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The note of a text that gives no value: LR_NORM_UNPARSEABLE, score 0, the reason from a
 * format. Returns LR_OK, a parser's status for it. */
int norm_unparseable(lr_norm_note *note, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The score left after fixes look-alike repairs: a tenth off each, 0.1 from nine on. */
float norm_fixes_score(int fixes);

/* Appends "N look-alike(s) repaired" to the note's reason when fixes is not 0. */
void norm_note_fixes(lr_norm_note *note, int fixes);

/* The note of a reading after fixes look-alike repairs: their reason (norm_note_fixes), the
 * distance fixes and the score norm_fixes_score. */
void norm_note_repairs(lr_norm_note *note, int fixes);

/* Flags the note "invalid UTF-8 in the input" when invalid (norm_fold's *out_invalid). */
void norm_flag_invalid(lr_norm_note *note, bool invalid);

/* The n code points of in without ' ' into out (may be in); returns how many. */
size_t norm_strip_spaces(const uint32_t *in, size_t n, uint32_t *out);

/* Copies at most size-1 bytes of src, cut at a UTF-8 character boundary. */
void norm_copy(char *dst, size_t size, const char *src);

/* ---- numerals (numeral.c) ---- */

typedef struct norm_numeral {
    int64_t value;
    lr_norm_numeral_style style;
    bool formal;
    bool mixed;
} norm_numeral;

/* Value of a digit (Arabic or Hanja, ordinary or formal), or -1. */
int norm_digit_value(uint32_t c);

/* Whether c can be part of a numeral (digit, 十 百 千 萬 and their forms, 廿 卅 卌, 元). */
bool norm_is_numeral_char(uint32_t c);

/* Parses cp[0..n) as one whole numeral (spaces skipped). Returns true, or false with the
 * reason in reason. */
bool norm_parse_numeral_cp(const uint32_t *cp, size_t n, norm_numeral *out, char *reason,
                           size_t rsize);

/* ---- dates (date.c) ---- */

/* yyyymmdd of an ISO date "YYYY", "YYYY-MM" or "YYYY-MM-DD": *out_first and *out_last are the
 * first and last day it covers. false when it is not such a date. */
bool norm_iso_span(const char *iso, int32_t *out_first, int32_t *out_last);

/* Days in a Gregorian month. */
int norm_days_in_month(int year, int month);

/* Parses "YYYY-MM-DD" (table dates) into yyyymmdd; false when malformed or not a day. */
bool norm_parse_ymd(const char *s, int32_t *out);

#endif
