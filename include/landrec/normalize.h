/* normalize.h — the normalisers: pure functions (no I/O) that turn the text of one ledger
 * field, as OCR read it, into the value the records export carries, with a verdict on how
 * sure the reading is; and the one loader of the data tables (data/ *.tsv) they consult.
 * See docs/normalize.md for each grammar, the flags and the data files.
 *
 * Conventions shared by every normaliser:
 *   - Input is UTF-8 text and its length in bytes (not necessarily NUL-terminated). Invalid
 *     UTF-8 is read as U+FFFD; input longer than LR_NORM_INPUT_MAX bytes is unparseable.
 *     Before parsing the text is folded to NFKC and case-folded, and runs of white space
 *     become one space, so full-width digits, "㎡" and compatibility ideographs need no
 *     special cases.
 *   - The return value says whether the call could be made: LR_OK, LR_ERR_ARG (a required
 *     pointer is NULL) or LR_ERR_NOMEM. How good the reading is lives in the result's
 *     lr_norm_note: ok, flagged (a value, and the reason to look at it) or unparseable.
 *   - Every result struct is filled completely (zeroed first), also when the call fails, and
 *     owns no memory: results can live on the stack and be copied.
 *   - OCR look-alikes (data/lookalikes.tsv) are repaired where the grammar makes the reading
 *     unambiguous; each repair counts one in note.distance and lowers note.score.
 *   - Vocabulary matches (eras, categories, events) are exact first, then by edit distance
 *     over code points, with look-alike substitutions cheaper than other edits; the best
 *     alternatives come back with their scores for the field extractor.
 *
 * The tables are immutable once loaded and may be shared between threads.
 *
 * Owns: the tables it loads (lr_norm_tables), until lr_norm_tables_destroy.
 * Borrows: the TSV reader (tsv.h), the digest, utf8proc for NFKC.
 */
#ifndef LANDREC_NORMALIZE_H
#define LANDREC_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/error.h"

#define LR_NORM_INPUT_MAX 4096 /* bytes of input a normaliser reads */
#define LR_NORM_REASON_SIZE 192
#define LR_NORM_ALT_MAX 5   /* alternatives returned by vocabulary matches */
#define LR_NORM_LOTS_MAX 64 /* items of a lot list */
#define LR_NORM_NUMERAL_MAX INT64_C(1000000000000000) /* 10^15: larger numerals are refused */
#define LR_NORM_LOT_SIZE 16                           /* "산9999-9999" and NUL */
#define LR_NORM_PNU_SIZE 20                           /* 19 digits and NUL */
#define LR_NORM_DONG_CODE_SIZE 11

/* ---- data tables ------------------------------------------------------------------------ */

typedef struct lr_norm_tables lr_norm_tables; /* opaque */

/* Where the tables are when the caller names no directory: $LR_DATA_DIR if set, else the
 * installed <datadir>/landrec/data if it exists, else the source tree's data/. Borrowed
 * (static or the environment). */
const char *lr_norm_default_data_dir(void);

/* Reads eras.tsv, categories.tsv, events.tsv, area_units.tsv, lookalikes.tsv,
 * legal_dong.tsv, places.tsv, compose.tsv, surnames.tsv, owner_markers.tsv, gazetteer.tsv and
 * hanja_readings.tsv from dir (NULL or "": lr_norm_default_data_dir()). legal_dong.tsv may be
 * the public 법정동코드 전체자료 file as published (tab-separated, CP949) or UTF-8. A missing
 * file, a missing column or a bad value is LR_ERR_IO / LR_ERR_FORMAT naming the file and line.
 * *out_tables: caller frees with lr_norm_tables_destroy; NULL on failure. */
int lr_norm_tables_load(const char *dir, lr_norm_tables **out_tables, lr_error *err);

/* Frees the tables and sets *ptables to NULL (ptables or *ptables may be NULL). */
void lr_norm_tables_destroy(lr_norm_tables **ptables);

/* SHA-256 (64 hex digits) over the files' names and contents, for a run's settings hash:
 * results depend on the tables. Borrowed from t. */
const char *lr_norm_tables_digest(const lr_norm_tables *t);

struct lr_gazetteer;
/* The gazetteer loaded with the tables (gazetteer.h: gazetteer.tsv, hanja_readings.tsv; in
 * the digest too); borrowed, NULL when t is. */
const struct lr_gazetteer *lr_norm_tables_gazetteer(const lr_norm_tables *t);

/* The directory the tables were read from. Borrowed from t. */
const char *lr_norm_tables_dir(const lr_norm_tables *t);

/* compose.tsv: the character written as `above` over `below` (each one character, folded
 * as the tables are), into out (UTF-8); false when none is. */
bool lr_norm_compose(const lr_norm_tables *t, const char *above, const char *below,
                     char out[8]);

/* How many characters compose.tsv lists (0 for NULL). */
size_t lr_norm_compose_count(const lr_norm_tables *t);

/* ---- verdicts --------------------------------------------------------------------------- */

typedef enum lr_norm_status {
    LR_NORM_OK = 0,          /* a value the normaliser stands behind */
    LR_NORM_FLAGGED = 1,     /* a value (or part of one) and a reason for a reviewer */
    LR_NORM_UNPARSEABLE = 2, /* no value */
} lr_norm_status;

/* "ok", "flagged", "unparseable" (static). */
const char *lr_norm_status_name(lr_norm_status status);

typedef struct lr_norm_note {
    lr_norm_status status;
    char reason[LR_NORM_REASON_SIZE]; /* why flagged or unparseable, e.g. "year 16 out of range
                                         for 大正 (1–15)"; when ok, "" or a note on an
                                         assumption made ("two-digit year 65 read as 1965") */
    float score;  /* 0 … 1: 1 is an exact reading; lowered by repairs and fuzzy matches */
    int distance; /* code points edited to reach the reading: look-alike repairs, or the edit
                     distance of a fuzzy vocabulary match; 0 when exact */
} lr_norm_note;

/* One candidate of a vocabulary match, best first. */
typedef struct lr_norm_match {
    char key[24];   /* era key ("showa"), category code ("02"), event token, dong code */
    char label[64]; /* the surface form that matched ("昭和", "畓", "分割") */
    float score;    /* 0 … 1 */
    int distance;   /* edit operations over code points */
} lr_norm_match;

/* ---- text ------------------------------------------------------------------------------- */

/* Names and addresses: the text as Unicode NFC (not NFKC: the writing is kept), invalid UTF-8
 * replaced by U+FFFD, control characters dropped, white space runs made one space and
 * trimmed. *out_text: caller frees with free(); NULL on failure. */
int lr_norm_clean_text(const char *text, size_t len, char **out_text, lr_error *err);

/* ---- numerals --------------------------------------------------------------------------- */

typedef enum lr_norm_numeral_style {
    LR_NUMERAL_NONE = 0,
    LR_NUMERAL_ARABIC = 1,     /* 1937, 1,234 */
    LR_NUMERAL_POSITIONAL = 2, /* 一二三, 一〇五 (Hanja digits, possibly mixed with Arabic) */
    LR_NUMERAL_MULTIPLICATIVE = 3, /* 百二十三, 壹百貳拾參, 廿五, 3千5百 */
} lr_norm_numeral_style;

typedef struct lr_norm_number {
    lr_norm_note note;
    int64_t value; /* 0 … LR_NORM_NUMERAL_MAX; 0 when unparseable */
    lr_norm_numeral_style style;
    bool formal; /* a 갖은자 (壹 貳 參 拾 …) was written */
    bool mixed;  /* Arabic and Hanja digits together */
} lr_norm_number;

/* A whole numeral: Arabic, positional Hanja, multiplicative Hanja with the Korean reading
 * (一萬二 = 10002), formal forms, 廿 卅 卌, 元 alone as 1. t may be NULL: then no look-alike
 * is repaired. */
int lr_norm_parse_numeral(const lr_norm_tables *t, const char *text, size_t len,
                          lr_norm_number *out, lr_error *err);

/* ---- era dates -------------------------------------------------------------------------- */

typedef enum lr_norm_precision {
    LR_DATE_NONE = 0,
    LR_DATE_YEAR = 1,
    LR_DATE_MONTH = 2,
    LR_DATE_DAY = 3,
} lr_norm_precision;

typedef struct lr_norm_date {
    lr_norm_note note;
    char iso[11]; /* "YYYY-MM-DD"; "YYYY" or "YYYY-MM" when the text has no day (flagged);
                     "" when no calendar date could be made (e.g. 2月30日) */
    lr_norm_precision precision;
    int year, month, day; /* Gregorian as read; 0 where absent */
    char era[16];         /* key of the era (eras.tsv) written, implied or defaulted; "" for a
                             plain Western year */
    char era_name[32];    /* that era's first name in the table ("昭和") */
    int era_year;         /* the era's year as written (1 for 元年); 0 without an era */
    lr_norm_match era_alt[LR_NORM_ALT_MAX]; /* candidates when an era name was read */
    int nera_alt;
} lr_norm_date;

/* An era date ("昭和拾貳年參月五日", "大正元年7月30日", "檀紀4290年", "4290.5.3",
 * "1978년 02월 02일", "65.3.2", "大正 五 八 一〇") to a Gregorian date. default_era (may be
 * NULL) is any name or key of an era, used when the text names none (an era printed in the
 * column head); an unknown default_era is LR_ERR_ARG. Out-of-range years and dates outside an
 * era are flagged with their arithmetic reading, never corrected to another era. */
int lr_norm_parse_date(const lr_norm_tables *t, const char *text, size_t len,
                       const char *default_era, lr_norm_date *out, lr_error *err);

/* ---- areas ------------------------------------------------------------------------------ */

#define LR_NORM_AREA_PARTS 8
#define LR_NORM_AS_WRITTEN_SIZE 512

typedef struct lr_norm_area_part {
    char unit[16];    /* the unit's name in area_units.tsv: "坪", "合", "町", "㎡" … */
    int64_t num, den; /* quantity written, num/den of the unit (den 1 but for decimals) */
} lr_norm_area_part;

typedef struct lr_norm_area {
    lr_norm_note note;
    char as_written[LR_NORM_AS_WRITTEN_SIZE]; /* the input as NFC text (kept for review) */
    int64_t num, den; /* the area in m², exactly num/den (reduced; den > 0; 0/1 unparseable) */
    char m2[32];      /* "408.26": two decimals, rounded half up; "" when unparseable */
    char system[8];   /* "tsubo" (坪合勺), "cho" (町段畝步), "metric" */
    lr_norm_area_part parts[LR_NORM_AREA_PARTS];
    int nparts;
    bool unit_from_column; /* a bare number read in default_unit (no unit written) */
} lr_norm_area;

/* An area ("壹百貳拾參坪五合", "參町貳段五畝拾步", "3町步", "6反8畝步", "408.26㎡") to m²,
 * with rational arithmetic. default_unit (may be NULL) names the unit of a bare number (a unit
 * printed in the column head). */
int lr_norm_parse_area(const lr_norm_tables *t, const char *text, size_t len,
                       const char *default_unit, lr_norm_area *out, lr_error *err);

/* num/den m² as a decimal with two places, rounded half up (away from zero): "408.26".
 * den must be > 0. Returns 0 or LR_ERR_ARG (bad den, buf too small; buf gets ""). */
int lr_norm_format_m2(int64_t num, int64_t den, char *buf, size_t size);

/* ---- lot numbers (지번) and PNU ---------------------------------------------------------- */

typedef struct lr_norm_lot {
    bool mountain; /* 산 (임야대장) */
    int32_t main;  /* 본번, 1 … 9999 in a valid lot */
    int32_t sub;   /* 부번, 0 (none) … 9999 */
} lr_norm_lot;

typedef struct lr_norm_lot_item {
    lr_norm_lot lot;  /* the lot, or the first of a range */
    lr_norm_lot last; /* the last of a range; equal to lot otherwise */
    bool range;       /* written with 내지 / 乃至 / ~ */
} lr_norm_lot_item;

typedef struct lr_norm_lots {
    lr_norm_note note;
    lr_norm_lot_item items[LR_NORM_LOTS_MAX];
    int nitems;
    int64_t count; /* lots named, ranges expanded */
} lr_norm_lots;

/* One lot or a list of lots and ranges: "一二三ノ四", "123의4", "산123-4", "123, 125-1",
 * "-4내지 -10". context (may be NULL) is the lot of the sheet: an item with only a 부번
 * ("-4") takes its 본번 and 산 from the item before it, else from context. */
int lr_norm_parse_lots(const lr_norm_tables *t, const char *text, size_t len,
                       const lr_norm_lot *context, lr_norm_lots *out, lr_error *err);

/* The export's form of a lot: "123", "123-4", "산123-4". Returns 0, or LR_ERR_ARG (main < 1,
 * sub < 0, or buf smaller than the text; buf gets ""). */
int lr_norm_format_lot(const lr_norm_lot *lot, char *buf, size_t size);

typedef struct lr_norm_dong {
    lr_norm_note note;
    char code[LR_NORM_DONG_CODE_SIZE];  /* 10 digits; "" when not resolved or ambiguous */
    char name[128];                     /* the table's 법정동명 */
    bool abolished;                     /* 폐지 */
    lr_norm_match alt[LR_NORM_ALT_MAX]; /* key: code, label: name */
    int nalt;
} lr_norm_dong;

/* A written location (Hangul: "서울특별시 종로구 청운동", "종로구 청운동", "청운동", or a
 * 10-digit code) to its 법정동코드 from legal_dong.tsv: whole names or their trailing
 * components, with or without spaces. Several matches: a single existing (존재) one wins,
 * flagged when abolished ones matched too; otherwise flagged as ambiguous with no code. */
int lr_norm_resolve_dong(const lr_norm_tables *t, const char *text, size_t len, lr_norm_dong *out,
                         lr_error *err);

/* PNU = 법정동코드(10) + 1 (토지) or 2 (산) + 본번(4) + 부번(4). t may be NULL; otherwise
 * dong_code must be in the table (abolished codes included). Returns 0 or LR_ERR_ARG naming
 * what is wrong; out_pnu gets "" on failure. */
int lr_norm_build_pnu(const lr_norm_tables *t, const char *dong_code, const lr_norm_lot *lot,
                      char out_pnu[LR_NORM_PNU_SIZE], lr_error *err);

/* Checks a PNU: 19 digits, character 11 is 1 or 2, 본번 >= 1, and (t non-NULL) the 법정동코드
 * is in the table. Outputs (each may be NULL) are filled when it is valid. Returns 0 or
 * LR_ERR_FORMAT naming the fault. */
int lr_norm_check_pnu(const lr_norm_tables *t, const char *pnu,
                      char out_dong_code[LR_NORM_DONG_CODE_SIZE], lr_norm_lot *out_lot,
                      lr_error *err);

/* ---- land categories (지목) -------------------------------------------------------------- */

typedef struct lr_norm_category {
    lr_norm_note note;
    char code[3];                       /* modern two-digit code ("02"); "" when unparseable */
    char modern[32];                    /* modern name ("답") */
    char written[48];                   /* the table's Hanja name of the category read ("畓") */
    char hangul[48];                    /* its Hangul name ("답") */
    lr_norm_match alt[LR_NORM_ALT_MAX]; /* key: code; label: the form that matched */
    int nalt;
} lr_norm_category;

/* A category as written (Hanja or Hangul, full or one character, "(08) 대", "08") to the
 * modern code, through categories.tsv, which knows when each category existed. date (may be
 * NULL or "") is the entry's ISO date ("YYYY", "YYYY-MM" or "YYYY-MM-DD"): a category that did
 * not exist then is flagged ("category 鹽田 did not exist in 1930"), and one-character forms
 * shared by several categories are told apart by it. */
int lr_norm_match_category(const lr_norm_tables *t, const char *text, size_t len, const char *date,
                           lr_norm_category *out, lr_error *err);

/* ---- events and owner-change causes ------------------------------------------------------ */

typedef enum lr_norm_event_kind {
    LR_EVENT_OTHER = 0,
    LR_EVENT_ASSESSMENT,       /* 査定 */
    LR_EVENT_SPLIT,            /* 分割 */
    LR_EVENT_MERGE,            /* 合倂 */
    LR_EVENT_CATEGORY_CHANGE,  /* 地目變更 */
    LR_EVENT_NEW_REGISTRATION, /* 新規登錄 */
    LR_EVENT_CONVERSION,       /* 登錄轉換 */
    LR_EVENT_CORRECTION,       /* 訂正 */
    LR_EVENT_TRANSFER,         /* 所有權移轉 */
    LR_EVENT_PRESERVATION,     /* 所有權保存 */
    LR_EVENT_INHERITANCE,      /* 相續 */
    LR_EVENT_ADDRESS_CHANGE,   /* 住所變更 */
    LR_EVENT_NAME_CHANGE,      /* 氏名變更 */
    LR_EVENT_KIND_COUNT
} lr_norm_event_kind;

/* The export token of a kind ("assessment", "split" … "other"); static. */
const char *lr_norm_event_token(lr_norm_event_kind kind);

/* The kind of an export token; LR_ERR_ARG (and *out_kind LR_EVENT_OTHER) when unknown. */
int lr_norm_event_kind_of(const char *token, lr_norm_event_kind *out_kind);

typedef enum lr_norm_side {
    LR_SIDE_ANY = 0,   /* any column */
    LR_SIDE_LAND = 1,  /* 토지표시 사고/사유 */
    LR_SIDE_OWNER = 2, /* 소유자 사고/변동원인 */
} lr_norm_side;

typedef struct lr_norm_event {
    lr_norm_note note;
    lr_norm_event_kind kind;
    const char *token;                  /* lr_norm_event_token(kind); static, never NULL */
    char form[48];                      /* the surface form or "(NN)" code that decided it */
    int code;                           /* modern code written as "(NN)", -1 when none */
    lr_norm_match alt[LR_NORM_ALT_MAX]; /* key: token */
    int nalt;
} lr_norm_event;

/* An event or cause as written ("分割", "所有權移轉", "(20) 분할되어 본번에 -1을 부함",
 * "賣買") to its token, through events.tsv; side chooses which column's codes and forms
 * apply. Text with no known form is flagged as "other". */
int lr_norm_match_event(const lr_norm_tables *t, const char *text, size_t len, lr_norm_side side,
                        lr_norm_event *out, lr_error *err);

/* ---- Places: the first unit of an address or a location (places.tsv) ------------------- */

#define LR_NORM_PLACE_MAX 1024 /* bytes of lr_norm_place.value, NUL included */

typedef struct lr_norm_place {
    char value[LR_NORM_PLACE_MAX]; /* the text folded (as lr_norm_clean_text), its first unit
                                      repaired when it was misread; "" when there is none */
    char place[64];                /* the table's name the text begins with, "" when none */
    int edits;                     /* characters of that name that were misread (replaced) */
    int repairs;                   /* look-alikes replaced anywhere in the text (lookalikes.tsv
                                      "address": 叮 for 町 …) */
} lr_norm_place;

/* The administrative unit an address or a location begins with (서울特別市, 京城府, 京畿道 …)
 * repaired when OCR misread part of its name: the text's first characters (spaces between
 * them skipped) must end with the unit's kind as the table writes it (特別市, 府, 道, 특별시,
 * 도 …), and the characters before it (as many as a name has, or one more or fewer) are
 * compared with the names of that kind by edit distance. The name nearest is taken when it
 * is the only one of its kind and length that near and at most one character in two differs, or, when it is the only name of
 * its kind and length and the kind is two characters or more (서울特別市: 媽合特別市),
 * whatever the characters before the kind.
 * Models read Hangul joined to Hanja (서울特別市) as Hanja and have no 畿 (京畿道 as 京比道):
 * both repaired. When no name is near enough but 1 to 4 characters of junk are followed by a
 * county of the table read exactly, the junk is replaced by the county's first-level unit
 * (its `within`: 그런 廣州郡 → 京畿道 廣州郡; edits: the junk's characters); so too, up to 4
 * characters a unit, before a township (面) of the table, after its province or alone
 * (京畿道 유재 東面 → 京畿道 始興郡 東面; 그 싸커 蘆海面 → 京畿道 楊州郡 蘆海面). A text whose
 * first unit is none of the table's is returned folded and unchanged (place ""). Look-alikes of lookalikes.tsv marked "address" (characters no address
 * holds, 叮 for 町) are replaced anywhere in the text first. */
int lr_norm_place_fix(const lr_norm_tables *t, const char *text, size_t len, lr_norm_place *out,
                      lr_error *err);

/* ---- owners' names: the surname (surnames.tsv, owner_markers.tsv) --------------------- */

/* The first day and the last of the 創氏改名 years (the order took effect on 1940-02-11,
 * liberation ended it; domain.md mentions the name-change rows it produced): an owner row of these dates may carry a
 * Japanese-style surname of two characters. */
#define LR_NORM_SOSHI_FROM 19400211
#define LR_NORM_SOSHI_TO 19450815

typedef enum lr_norm_owner_kind {
    LR_OWNER_NONE = 0,        /* nothing checked: empty, one character, or unreadable */
    LR_OWNER_PERSON = 1,      /* a surname of the table begins the name */
    LR_OWNER_INSTITUTION = 2, /* a marker of owner_markers.tsv: the state, a company, a clan */
    LR_OWNER_SOSHI = 3,       /* no surname, in a row of the 創氏改名 years: not flagged */
    LR_OWNER_UNKNOWN = 4,     /* no surname of its script begins it: flagged "surname" */
} lr_norm_owner_kind;

typedef struct lr_norm_surname {
    lr_norm_note note;       /* flagged when kind is LR_OWNER_UNKNOWN */
    lr_norm_owner_kind kind;
    char surname[16];        /* the surname read (one or two characters), "" when none */
    char suggest[128];       /* the name with its first character (or two) replaced by the
                                one surname one costed edit away, when exactly one is; "" else */
} lr_norm_surname;

/* Checks an owner's name against the surnames of its script: the first two characters
 * against the compound surnames (南宮, 제갈), else the first against the others (spaces
 * ignored). date (may be NULL): the row's ISO date ("YYYY", "YYYY-MM" or "YYYY-MM-DD"); a
 * row within the 創氏改名 years is not flagged. A name holding a marker of an institution is
 * not checked, nor one of one character. One costed edit is a look-alike pair of
 * lookalikes.tsv, or, in Hangul, one jamo (initial, vowel or final) changed. */
int lr_norm_check_surname(const lr_norm_tables *t, const char *text, size_t len,
                          const char *date, lr_norm_surname *out, lr_error *err);

#endif
