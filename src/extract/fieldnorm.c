/* fieldnorm.c — a field's text to its value through the normalisers (fieldnorm.h). */
#include "fieldnorm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/gazetteer.h"
#include "landrec/marks.h"
#include "landrec/text.h"

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* The verdict into score and flag: a flagged value is kept, for a person to confirm. */
static void take_note(const lr_norm_note *note, const char *flag, lr_fieldnorm *out)
{
    out->score = note->score * 100.0f;
    copy(out->note, sizeof out->note, note->reason);
    if (note->status == LR_NORM_FLAGGED)
        copy(out->flag, sizeof out->flag, flag);
}

static void take_alts(const lr_norm_match *m, int n, lr_fieldnorm *out)
{
    for (int i = 0; i < n && out->nalt < LR_EXTRACT_MAX_ALT; i++) {
        bool seen = false;
        for (int k = 0; k < out->nalt; k++)
            seen = seen || strcmp(out->alt[k].value, m[i].key) == 0;
        if (seen)
            continue;
        copy(out->alt[out->nalt].value, sizeof out->alt[0].value, m[i].key);
        out->alt[out->nalt++].score = m[i].score * 100.0f;
    }
}

static void norm_lot(const lr_norm_tables *t, const lr_fieldnorm_ctx *ctx, const char *raw,
                     lr_fieldnorm *out)
{
    lr_norm_lots lots;
    if (lr_norm_parse_lots(t, raw, strlen(raw), NULL, &lots, NULL) < 0 ||
        lots.note.status == LR_NORM_UNPARSEABLE || lots.nitems < 1)
        return;
    lr_norm_lot lot = lots.items[0].lot;
    /* Colonial forest ledgers write the lot without 산: every lot on them is one. */
    if (ctx->doc == LR_DOC_FOREST_LEDGER)
        lot.mountain = true;
    if (lr_norm_format_lot(&lot, out->value, sizeof out->value) < 0)
        return;
    take_note(&lots.note, "normalize", out);
    /* The sheet's lot is one parcel: a list or a range is a misreading to look at; so is a
     * lot the normaliser flags (a 본번 of five digits, which no PNU holds: most often ノ read
     * as 7). Scored down too, so that it is re-read before surer fields. */
    if (lots.nitems > 1 || lots.items[0].range || lots.note.status == LR_NORM_FLAGGED) {
        copy(out->flag, sizeof out->flag, "normalize");
        out->score *= 0.5f;
    }
}

const char *lr_fieldnorm_area_unit(const lr_fieldnorm_ctx *ctx)
{
    int year = ctx->date ? atoi(ctx->date) : 0;
    if (year >= 1976 || ctx->doc == LR_DOC_MOVEMENT_RESOLUTION)
        return "㎡";
    return ctx->doc == LR_DOC_FOREST_LEDGER ? "步" : "坪";
}

static void norm_area(const lr_norm_tables *t, const lr_fieldnorm_ctx *ctx, const char *raw,
                      lr_fieldnorm *out)
{
    lr_norm_area a;
    if (lr_norm_parse_area(t, raw, strlen(raw), lr_fieldnorm_area_unit(ctx), &a, NULL) < 0 ||
        a.note.status == LR_NORM_UNPARSEABLE || !a.m2[0])
        return;
    copy(out->value, sizeof out->value, a.m2);
    take_note(&a.note, "normalize", out);
    out->unit_assumed = a.unit_from_column;
}

/* Where a dotted date (4286.2.22, 1981.11.5) that ends the text begins, when something else
 * precedes it; NULL when the text does not end so or nothing precedes it. */
static const char *dotted_tail(const char *s)
{
    size_t n = strlen(s), i = n;
    for (int part = 0; part < 3; part++) {
        size_t digits = 0;
        while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') {
            i--;
            digits++;
        }
        if (part < 2 && (digits < 1 || digits > 2 || i == 0 || s[i - 1] != '.'))
            return NULL;
        if (part < 2)
            i--;
        else if (digits < 4)
            return NULL;
        else
            i += digits - 4; /* the year is the last four digits (184288 is 18 and 4288) */
    }
    return i > 0 ? s + i : NULL;
}

static void norm_date(const lr_norm_tables *t, const char *raw, lr_fieldnorm *out)
{
    lr_norm_date d;
    if (lr_norm_parse_date(t, raw, strlen(raw), NULL, &d, NULL) < 0)
        return;
    if (d.note.status == LR_NORM_UNPARSEABLE || d.precision != LR_DATE_DAY ||
        strlen(d.iso) != 10) {
        /* An era name read as junk before a dotted date (檀紀 as "1혈" or "18"): the four-digit
         * year names its era alone, so the date is read without the junk, and flagged. */
        const char *tail = dotted_tail(raw);
        if (!tail) {
            /* only a whole day is a value: "YYYY-MM" needs a reviewer's day */
            if (d.note.status != LR_NORM_UNPARSEABLE)
                take_alts(d.era_alt, d.nera_alt, out);
            return;
        }
        /* the year must name its era without doubt and fall in the ledgers' century (9718,
         * the tail of 19718, is no year of theirs) */
        if (lr_norm_parse_date(t, tail, strlen(tail), NULL, &d, NULL) < 0 ||
            d.note.status != LR_NORM_OK || d.precision != LR_DATE_DAY ||
            strlen(d.iso) != 10 || d.year < 1900 || d.year > 2099)
            return;
        copy(out->value, sizeof out->value, d.iso);
        out->year = d.year;
        out->score = 50.0f;
        copy(out->note, sizeof out->note, "what precedes a dotted date dropped");
        copy(out->flag, sizeof out->flag, "normalize");
        return;
    }
    take_alts(d.era_alt, d.nera_alt, out);
    copy(out->value, sizeof out->value, d.iso);
    out->year = d.year;
    bool range = strstr(d.note.reason, "out of range") || strstr(d.note.reason, "before ") ||
                 strstr(d.note.reason, "after ");
    take_note(&d.note, range ? "era-range" : "normalize", out);
}

static void norm_category(const lr_norm_tables *t, const lr_fieldnorm_ctx *ctx, const char *raw,
                          lr_fieldnorm *out)
{
    lr_norm_category c;
    if (lr_norm_match_category(t, raw, strlen(raw), ctx->date, &c, NULL) < 0)
        return;
    take_alts(c.alt, c.nalt, out);
    if (c.note.status == LR_NORM_UNPARSEABLE || !c.code[0])
        return;
    copy(out->value, sizeof out->value, c.code);
    take_note(&c.note, strstr(c.note.reason, "did not exist") ? "category-era" : "normalize",
              out);
}

static void norm_event(const lr_norm_tables *t, const lr_fieldnorm_ctx *ctx, const char *raw,
                       lr_fieldnorm *out)
{
    lr_norm_side side = ctx->section == LR_SECTION_LAND    ? LR_SIDE_LAND
                        : ctx->section == LR_SECTION_OWNER ? LR_SIDE_OWNER
                                                           : LR_SIDE_ANY;
    lr_norm_event e;
    if (lr_norm_match_event(t, raw, strlen(raw), side, &e, NULL) < 0 ||
        e.note.status == LR_NORM_UNPARSEABLE)
        return;
    take_alts(e.alt, e.nalt, out);
    copy(out->value, sizeof out->value, e.token);
    take_note(&e.note, "normalize", out);
}

/* 等級 printed or written around the number is not part of it. */
static void norm_grade(const lr_norm_tables *t, const char *raw, lr_fieldnorm *out)
{
    uint32_t c[64];
    size_t n = lr_text_decode(raw, c, 64);
    char digits[256] = "";
    for (size_t i = 0; i < n; i++) {
        if (c[i] == 0x7B49 || c[i] == 0x7D1A || c[i] == 0xB4F1 || c[i] == 0xAE09)
            continue;
        if (c[i] != ' ')
            lr_text_put(digits, sizeof digits, c[i]);
    }
    lr_norm_number num;
    if (lr_norm_parse_numeral(t, digits, strlen(digits), &num, NULL) < 0 ||
        num.note.status == LR_NORM_UNPARSEABLE || num.value < 1 || num.value > 999)
        return;
    snprintf(out->value, sizeof out->value, "%lld", (long long)num.value);
    take_note(&num.note, "normalize", out);
}

static bool is_word_char(uint32_t c)
{
    return lr_text_is_hanja(c) || lr_text_is_hangul(c) || (c >= 0x3040 && c <= 0x30FF) ||
           (c >= '0' && c <= '9') || c == 0x3007;
}

/* A name or an address without what OCR reads beside it: a seal stamped next to the name
 * ("(G@", "@"), the corner of a line or a speck before the address ("「", ">", "ㅣ"). Names
 * keep only syllables, Hanja and kana; addresses lose what is not a letter or a digit at
 * either end. Into buf. */
static void trim_marks(const char *raw, lr_field_kind kind, char *buf, size_t size)
{
    uint32_t c[256];
    size_t n = lr_text_decode(raw, c, 256), lo = 0, hi = n;
    buf[0] = '\0';
    if (kind == LR_FIELD_NAME) {
        for (size_t i = 0; i < n; i++)
            if (c[i] == ' ' || (is_word_char(c[i]) && !(c[i] >= '0' && c[i] <= '9')))
                lr_text_put(buf, size, c[i]);
        return;
    }
    while (lo < hi && !is_word_char(c[lo]))
        lo++;
    while (hi > lo && !is_word_char(c[hi - 1]))
        hi--;
    for (size_t i = lo; i < hi; i++)
        lr_text_put(buf, size, c[i]);
}

/* 〇一二三四五六七八九十百千 */
static bool zero_like(uint32_t c)
{
    return c == '0' || c == 'O' || c == 'o';
}

static bool hanja_numeral(uint32_t c)
{
    static const uint32_t digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D,
                                      0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343};
    for (size_t i = 0; i < sizeof digits / sizeof *digits; i++)
        if (c == digits[i])
            return true;
    return false;
}

/* Whether s ends with the kind of an administrative unit (domain.md §5: 道 府 郡 面 里 洞 町
 * 丁目 and the Hangul 시 구 동 가 리 …). */
static bool ends_with_unit(const char *s)
{
    static const uint32_t units[] = {
        0x9053 /* 道 */, 0x5E9C /* 府 */, 0x90E1 /* 郡 */, 0x9762 /* 面 */, 0x91CC /* 里 */,
        0x6D1E /* 洞 */, 0x753A /* 町 */, 0x76EE /* 目 (丁目) */, 0x5E02 /* 市 */,
        0x5340 /* 區 */, 0x9091 /* 邑 */, 0x8857 /* 街 */, 0xB3C4 /* 도 */, 0xC2DC /* 시 */,
        0xAD6C /* 구 */, 0xAD70 /* 군 */, 0xBA74 /* 면 */, 0xC74D /* 읍 */, 0xB9AC /* 리 */,
        0xB3D9 /* 동 */, 0xAC00 /* 가 */, 0xB85C /* 로 */};
    uint32_t c[256];
    size_t n = lr_text_decode(s, c, 256);
    while (n > 0 && c[n - 1] == ' ')
        n--;
    for (size_t i = 0; n > 0 && i < sizeof units / sizeof *units; i++)
        if (c[n - 1] == units[i])
            return true;
    return false;
}

/* Hangul and Hanja both in s. */
static bool mixed_script(const char *s)
{
    int hanja, hangul;
    lr_text_scripts(s, &hanja, &hangul);
    return hangul && hanja;
}

/* Edits on a place's path within which it is taken as the gazetteer spells it: one wrong
 * glyph in each of three units (京鐘道 高陽都 鹿島面); more is another place read. */
#define GAZ_EDITS_MAX 3
/* The runner-up's distance (in edits) from which the place is as sure as it was read. */
#define GAZ_SURE_MARGIN 1.0

/* The UTF-8 of s cut to fit size bytes at a character boundary. */
static void copy_utf8(char *dst, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* *clean (owned) replaced by its place as the gazetteer spells it when resolved within
 * GAZ_EDITS_MAX, the candidates into out's alternatives. Returns the field's score: 100 for
 * a place read right with no near rival, less for each edit and for a near rival. */
static float gazetteer_place(const lr_norm_tables *t, char **clean, lr_fieldnorm *out)
{
    const lr_gazetteer *g = lr_norm_tables_gazetteer(t);
    lr_gaz_match m;
    if (!g || lr_gazetteer_decode(g, *clean, strlen(*clean), &m, NULL) != LR_OK || !m.matched ||
        m.edits > GAZ_EDITS_MAX)
        return 100;
    char *fixed = strdup(m.value);
    if (!fixed)
        return 100;
    free(*clean);
    *clean = fixed;
    for (int i = 0; i < m.ncand && out->nalt < LR_EXTRACT_MAX_ALT; i++) {
        copy_utf8(out->alt[out->nalt].value, sizeof out->alt[0].value, m.cand[i]);
        float s = 100.0f - 10.0f * (float)m.cand_cost[i];
        out->alt[out->nalt++].score = s < 0 ? 0 : s;
    }
    double sure = m.margin >= GAZ_SURE_MARGIN ? 1.0 : 0.7 + 0.3 * m.margin / GAZ_SURE_MARGIN;
    float score = (float)(sure * (100.0 - 5.0 * m.edits));
    if (m.edits || m.margin < GAZ_SURE_MARGIN)
        snprintf(out->note, sizeof out->note, "gazetteer: %d edits, margin %.1f", m.edits,
                 m.margin);
    return score;
}

static void norm_text(const lr_norm_tables *t, const char *raw, lr_fieldnorm_ctx const *ctx,
                      lr_fieldnorm *out)
{
    bool place = ctx->kind == LR_FIELD_ADDRESS || ctx->kind == LR_FIELD_LOCATION;
    char trimmed[1024];
    if (ctx->kind == LR_FIELD_NAME || ctx->kind == LR_FIELD_ADDRESS) {
        trim_marks(raw, ctx->kind, trimmed, sizeof trimmed);
        raw = trimmed;
    }
    char *clean = NULL;
    if (lr_norm_clean_text(raw, strlen(raw), &clean, NULL) < 0 || !clean || !clean[0]) {
        free(clean);
        return;
    }
    /* The place decoded against the gazetteer (gazetteer.h): resolved within a few edits,
     * it is written as the gazetteer spells it, its rivals kept as alternatives. */
    float place_score = 100;
    if (place)
        place_score = gazetteer_place(t, &clean, out);
    /* What the gazetteer leaves: the province or city of a place it does not hold, repaired
     * when misread (places.tsv), and the words after a number (丁目, 番地: 五了日). */
    lr_norm_place fix;
    if (place && lr_norm_place_fix(t, clean, strlen(clean), &fix, NULL) == LR_OK &&
        (fix.edits > 0 || fix.repairs > 0) && fix.value[0]) {
        char *fixed = strdup(fix.value);
        if (fixed) {
            free(clean);
            clean = fixed;
        }
    }
    /* OCR puts a space between Hanja it reads one by one; Hanja names and addresses are
     * written without them (Hangul keeps its spaces: they part words). */
    uint32_t c[256];
    size_t n = lr_text_decode(clean, c, 256);
    /* 〇 among Hanja numerals (三〇五番地) is read as the digit 0. */
    for (size_t i = 0; i < n && place; i++) {
        if (!zero_like(c[i]))
            continue;
        /* a run of them (四〇〇 read 四 00) */
        size_t a = i, b = i + 1;
        while (a > 0 && c[a - 1] == ' ')
            a--;
        while (b < n && (c[b] == ' ' || zero_like(c[b])))
            b++;
        if (a > 0 && b < n && hanja_numeral(c[a - 1]) &&
            (hanja_numeral(c[b]) || c[b] == 0x756A /* 番 */))
            for (size_t k = i; k < b; k++)
                if (zero_like(c[k]))
                    c[k] = 0x3007;
    }
    /* A speck read as a dot standing alone between Hanja (細 ‧ 谷里): no address writes one. */
    for (size_t i = 1; place && i + 1 < n; i++) {
        if (!lr_marks_has(LR_MARKS_DOT, c[i]) || c[i - 1] != ' ' || c[i + 1] != ' ')
            continue;
        size_t a = i - 1, b = i + 1;
        while (a > 0 && c[a] == ' ')
            a--;
        while (b + 1 < n && c[b] == ' ')
            b++;
        if (lr_text_is_hanja(c[a]) && lr_text_is_hanja(c[b])) {
            memmove(c + i, c + i + 2, (n - i - 2) * sizeof *c); /* the dot and a space */
            n -= 2;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (c[i] == ' ' && i > 0 && i + 1 < n &&
            (lr_text_is_hanja(c[i - 1]) || c[i - 1] == 0x3007) &&
            (lr_text_is_hanja(c[i + 1]) || c[i + 1] == 0x3007))
            continue;
        lr_text_put(out->value, sizeof out->value, c[i]);
    }
    out->score = place_score;
    /* No address, location or person's name is one character: a lone syllable is a
     * misreading (an address read 수 at confidence 97). 國 alone is an owner, the state
     * (國有, domain.md §6.1): read, it stands like any name (it was read as nothing before
     * the montage's box rules were relaxed, docs/ocr.md). */
    uint32_t v[4];
    size_t nv = lr_text_squeeze(out->value, v, 4);
    if (nv < 2 && !(ctx->kind == LR_FIELD_NAME && nv == 1 && v[0] == 0x570B /* 國 */))
        copy(out->flag, sizeof out->flag, "short");
    /* A parcel's location ends with its smallest unit (…里, …洞, …町 三丁目, …동, 한강로1가):
     * one that ends otherwise was read in part (서울특별시 용산구 한강, the rest lost). */
    else if (ctx->kind == LR_FIELD_LOCATION && !ends_with_unit(out->value))
        copy(out->flag, sizeof out->flag, "partial");
    /* A name is written in one script: Hangul beside Hanja is a Hanja misread (朴 read 차). */
    else if (ctx->kind == LR_FIELD_NAME && mixed_script(out->value))
        copy(out->flag, sizeof out->flag, "script");
    free(clean);
}

/* The page OCR puts a space between the Hanja it reads one by one ("二 十 六"), which the
 * grammars read as separators: in typed fields only a space between two Arabic digits is
 * kept ("65 3 2"). */
static void squeeze(const char *raw, char *buf, size_t size)
{
    uint32_t c[512];
    size_t n = lr_text_decode(raw, c, 512);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (c[i] == ' ' || c[i] == 0x3000) {
            size_t k = i;
            while (k + 1 < n && (c[k + 1] == ' ' || c[k + 1] == 0x3000))
                k++;
            bool keep = i > 0 && k + 1 < n && c[i - 1] >= '0' && c[i - 1] <= '9' &&
                        c[k + 1] >= '0' && c[k + 1] <= '9';
            if (keep)
                lr_text_put(buf, size, ' ');
            i = k;
            continue;
        }
        lr_text_put(buf, size, c[i]);
    }
}

/* Hangul in s. On a form written in Hanja, a category, event or name read with Hangul is
 * what the models make of a Hanja they lack (畓 and 垈 read 즘 and 수, at confidence 97) or
 * of the cell's ruling and specks beside it (分割스위): the value may stand (수 is 水道用地's
 * abbreviation, 分割 a split) but a person must look. */
static bool has_hangul(const char *s)
{
    int hanja, hangul;
    lr_text_scripts(s, &hanja, &hangul);
    return hangul > 0;
}

/* A person's name begins with a surname of its script (lr_norm_check_surname): one that
 * begins with none is flagged "surname", the value kept as read, and the one surname a
 * costed edit away, if there is one, offered as the first alternative. */
static void check_surname(const lr_norm_tables *t, const lr_fieldnorm_ctx *ctx,
                          lr_fieldnorm *out)
{
    lr_norm_surname s;
    if (lr_norm_check_surname(t, out->value, strlen(out->value), ctx->date, &s, NULL) != LR_OK ||
        s.kind != LR_OWNER_UNKNOWN)
        return;
    copy(out->flag, sizeof out->flag, "surname");
    copy(out->note, sizeof out->note, s.note.reason);
    if (!s.suggest[0])
        return;
    int keep = out->nalt < LR_EXTRACT_MAX_ALT ? out->nalt : LR_EXTRACT_MAX_ALT - 1;
    memmove(out->alt + 1, out->alt, (size_t)keep * sizeof *out->alt);
    copy_utf8(out->alt[0].value, sizeof out->alt[0].value, s.suggest);
    out->alt[0].score = out->score * s.note.score;
    out->nalt = keep + 1;
}

void lr_fieldnorm_run(const lr_norm_tables *t, const lr_fieldnorm_ctx *ctx, const char *raw,
                      lr_fieldnorm *out)
{
    memset(out, 0, sizeof *out);
    if (!t || !ctx || !raw || !raw[0])
        return;
    char tight[1024];
    if (ctx->kind != LR_FIELD_LOCATION && ctx->kind != LR_FIELD_ADDRESS &&
        ctx->kind != LR_FIELD_NAME) {
        squeeze(raw, tight, sizeof tight);
        raw = tight;
    }
    switch (ctx->kind) {
    case LR_FIELD_LOT: norm_lot(t, ctx, raw, out); break;
    case LR_FIELD_AREA: norm_area(t, ctx, raw, out); break;
    case LR_FIELD_DATE: norm_date(t, raw, out); break;
    case LR_FIELD_CATEGORY: norm_category(t, ctx, raw, out); break;
    case LR_FIELD_EVENT: norm_event(t, ctx, raw, out); break;
    case LR_FIELD_GRADE: norm_grade(t, raw, out); break;
    default: norm_text(t, raw, ctx, out); break;
    }
    if (!out->value[0]) {
        out->score = 0;
        out->flag[0] = '\0';
    } else if (ctx->hanja_form && !out->flag[0] && has_hangul(raw) &&
               (ctx->kind == LR_FIELD_CATEGORY || ctx->kind == LR_FIELD_EVENT ||
                ctx->kind == LR_FIELD_NAME)) {
        copy(out->flag, sizeof out->flag, "script");
    }
    if (ctx->kind == LR_FIELD_NAME && out->value[0] && !out->flag[0])
        check_surname(t, ctx, out);
}

bool lr_fieldnorm_is_ditto(const char *raw)
{
    uint32_t c[8];
    size_t n = lr_text_squeeze(raw, c, 8);
    if (n == 0) {
        /* Alone in its cell, a quote is what OCR makes of a small 〃 (squeezing drops it as
         * a speck). */
        uint32_t all[8];
        size_t na = lr_text_decode(raw, all, 8), k = 0;
        uint32_t q = 0;
        for (size_t i = 0; i < na; i++)
            if (all[i] != ' ' && all[i] != 0x3000) {
                q = all[i];
                k++;
            }
        return k == 1 && lr_marks_has(LR_MARKS_DITTO_QUOTE, q);
    }
    /* What OCR makes of a handwritten or printed 〃: slashes, with a 7 or 了 for the hook
     * ("//", "/7/", "7//"). A lone slash is no value of any field. */
    bool slash = false, marks = n >= 1 && n <= 3;
    for (size_t i = 0; i < n && marks; i++) {
        slash = slash || c[i] == '/' || c[i] == 0xFF0F;
        marks = c[i] == '/' || c[i] == 0xFF0F || c[i] == '7' || c[i] == 0x4E86 || c[i] == 0x30CE;
    }
    if (marks && slash)
        return true;
    if (n != 1)
        return false;
    /* 〃 仝 同 々, and what OCR makes of 〃 (″ ”, and ^: every field read ^ alone on the
     * three 30-sheet corpora, 13, was a 〃) and of 仝 (全: no field is that one character). */
    return c[0] == 0x3003 || c[0] == 0x4EDD || c[0] == 0x540C || c[0] == 0x3005 ||
           c[0] == 0x2033 || c[0] == 0x201D || c[0] == 0x5F73 || c[0] == 0x5168 || c[0] == '^';
}

/* 수 alone: what `kor` makes of a printed 仝. */
static bool lone_su(const char *raw)
{
    uint32_t c[4];
    return raw && lr_text_squeeze(raw, c, 4) == 1 && c[0] == 0xC218;
}

bool lr_fieldnorm_is_ditto_in(const lr_fieldnorm_ctx *ctx, const char *raw)
{
    if (lr_fieldnorm_is_ditto(raw))
        return true;
    return ctx && lone_su(raw);
}

bool lr_fieldnorm_ditto_doubtful(const lr_fieldnorm_ctx *ctx, const char *raw)
{
    return ctx && ctx->kind == LR_FIELD_CATEGORY && ctx->hanja_form && lone_su(raw);
}
