/* numeral.c — Hanja and Arabic numerals: positional digit strings (一二三, 一〇五),
 * multiplicative forms with the Korean reading (百二十三, 壹百貳拾參, 一萬二 = 10002), formal
 * forms (갖은자) and variants, 廿 卅 卌, 元 as 1. The glyphs are those of domain.md §4.2 [V];
 * which styles occur where is [I], so every style is accepted everywhere. */
#include "norm_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct glyph {
    uint32_t cp;
    int value;
    bool formal;
} glyph;

/* digits 0–9: ordinary, formal (大寫) and the variants seen */
static const glyph digits[] = {
    {0x3007, 0, false}, /* 〇 */
    {0x25CB, 0, false}, /* ○ white circle, often what a written zero is read as */
    {0x25EF, 0, false}, /* ◯ large circle */
    {0x96F6, 0, true},  /* 零 */
    {0x4E00, 1, false}, /* 一 */
    {0x58F9, 1, true},  /* 壹 */
    {0x58F1, 1, true},  /* 壱 */
    {0x5F0C, 1, true},  /* 弌 */
    {0x4E8C, 2, false}, /* 二 */
    {0x8CB3, 2, true},  /* 貳 */
    {0x5F10, 2, true},  /* 弐 */
    {0x5F0D, 2, true},  /* 弍 */
    {0x8D30, 2, true},  /* 贰 */
    {0x4E09, 3, false}, /* 三 */
    {0x53C3, 3, true},  /* 參 */
    {0x53C2, 3, true},  /* 参 */
    {0x53C1, 3, true},  /* 叁 */
    {0x5F0E, 3, true},  /* 弎 */
    {0x56DB, 4, false}, /* 四 */
    {0x8086, 4, true},  /* 肆 */
    {0x4E94, 5, false}, /* 五 */
    {0x4F0D, 5, true},  /* 伍 */
    {0x516D, 6, false}, /* 六 */
    {0x9678, 6, true},  /* 陸 */
    {0x4E03, 7, false}, /* 七 */
    {0x67D2, 7, true},  /* 柒 */
    {0x6F06, 7, true},  /* 漆 */
    {0x516B, 8, false}, /* 八 */
    {0x634C, 8, true},  /* 捌 */
    {0x4E5D, 9, false}, /* 九 */
    {0x7396, 9, true},  /* 玖 */
};

/* powers of ten inside a myriad group, and the tens written as one character */
static const glyph units[] = {
    {0x5341, 10, false},   /* 十 */
    {0x62FE, 10, true},    /* 拾 */
    {0x4EC0, 10, true},    /* 什 */
    {0x767E, 100, false},  /* 百 */
    {0x4F70, 100, true},   /* 佰 */
    {0x964C, 100, true},   /* 陌 */
    {0x5343, 1000, false}, /* 千 */
    {0x4EDF, 1000, true},  /* 仟 */
    {0x9621, 1000, true},  /* 阡 */
};

static const glyph tens[] = {
    {0x5EFF, 20, false}, /* 廿 */
    {0x5344, 20, false}, /* 卄 */
    {0x5FF5, 20, false}, /* 念 */
    {0x5345, 30, false}, /* 卅 */
    {0x4E17, 30, false}, /* 丗 */
    {0x534C, 40, false}, /* 卌 */
};

#define MYRIAD_1 0x842C /* 萬 */
#define MYRIAD_2 0x4E07 /* 万 */
#define GAN 0x5143      /* 元 */

static const glyph *find(const glyph *g, size_t n, uint32_t c)
{
    for (size_t i = 0; i < n; i++)
        if (g[i].cp == c)
            return &g[i];
    return NULL;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int norm_digit_value(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    const glyph *g = find(digits, COUNT(digits), c);
    return g ? g->value : -1;
}

bool norm_is_numeral_char(uint32_t c)
{
    return norm_digit_value(c) >= 0 || find(units, COUNT(units), c) || find(tens, COUNT(tens), c) ||
           c == MYRIAD_1 || c == MYRIAD_2 || c == GAN;
}

static bool fail(char *reason, size_t rsize, const char *fmt, uint32_t c)
{
    char u[8];
    snprintf(reason, rsize, fmt, norm_cp_utf8(c, u));
    return false;
}

/* Arabic digits grouped by commas in threes ("1,234"): the commas go. false when the commas
 * are not such a grouping. */
static bool strip_grouping(const uint32_t *in, size_t n, uint32_t *out, size_t *out_n)
{
    size_t k = 0, run = 0, groups = 0;
    bool comma = false;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == ',') {
            if (run == 0 || (groups > 0 && run != 3) || (groups == 0 && run > 3))
                return false;
            groups++;
            run = 0;
            comma = true;
            continue;
        }
        if (!(in[i] >= '0' && in[i] <= '9'))
            return false;
        out[k++] = in[i];
        run++;
    }
    if (comma && run != 3)
        return false;
    *out_n = k;
    return true;
}

bool norm_parse_numeral_cp(const uint32_t *in, size_t n, norm_numeral *out, char *reason,
                           size_t rsize)
{
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t m = 0;
    memset(out, 0, sizeof *out);
    reason[0] = '\0';
    bool has_comma = false;
    for (size_t i = 0; i < n && m < COUNT(cp); i++) {
        if (in[i] == ' ')
            continue;
        if (in[i] == ',')
            has_comma = true;
        cp[m++] = in[i];
    }
    if (m == 0) {
        snprintf(reason, rsize, "no numeral");
        return false;
    }
    if (has_comma) {
        size_t k = 0;
        if (!strip_grouping(cp, m, cp, &k)) {
            snprintf(reason, rsize, "commas not grouping digits in threes");
            return false;
        }
        m = k;
    }
    if (m == 1 && cp[0] == GAN) {
        out->value = 1;
        out->style = LR_NUMERAL_MULTIPLICATIVE;
        return true;
    }

    bool arabic = false, hanja = false, multiplicative = false;
    for (size_t i = 0; i < m; i++) {
        int d = norm_digit_value(cp[i]);
        if (cp[i] >= '0' && cp[i] <= '9')
            arabic = true;
        else if (d >= 0)
            hanja = true;
        else if (find(units, COUNT(units), cp[i]) || find(tens, COUNT(tens), cp[i]) ||
                 cp[i] == MYRIAD_1 || cp[i] == MYRIAD_2)
            multiplicative = true;
        else if (cp[i] == GAN)
            return fail(reason, rsize, "元 is 1 only alone (元年)", cp[i]);
        else
            return fail(reason, rsize, "not a numeral character: %s", cp[i]);
        const glyph *g = find(digits, COUNT(digits), cp[i]);
        if (!g)
            g = find(units, COUNT(units), cp[i]);
        if (g && g->formal)
            out->formal = true;
    }
    out->mixed = arabic && hanja;

    if (!multiplicative) {
        int64_t v = 0;
        for (size_t i = 0; i < m; i++) {
            v = v * 10 + norm_digit_value(cp[i]);
            if (v > LR_NORM_NUMERAL_MAX) {
                snprintf(reason, rsize, "number too large");
                return false;
            }
        }
        out->value = v;
        out->style = hanja ? LR_NUMERAL_POSITIONAL : LR_NUMERAL_ARABIC;
        return true;
    }

    /* Multiplicative, read group by group below 萬: each of 千 百 十 at most once and in
       falling order, with a coefficient 1–9 (none means 1); 〇/零 stand for skipped places;
       what follows the last unit is the ones (Korean reading: 一萬二 = 10002). */
    int64_t total = 0, section = 0, pending = -1;
    int last_unit = 100000; /* larger than any unit in a group */
    int run = 0;            /* digits in the pending coefficient */
    bool run_hanja = false, myriad = false, seen_unit = false;
    for (size_t i = 0; i < m; i++) {
        uint32_t c = cp[i];
        int d = norm_digit_value(c);
        const glyph *u = find(units, COUNT(units), c);
        const glyph *t = find(tens, COUNT(tens), c);
        if (d >= 0) {
            bool is_hanja = !(c >= '0' && c <= '9');
            if (d == 0 && pending < 0 && seen_unit && is_hanja)
                continue; /* 一百〇五: a place holder */
            if (pending < 0) {
                pending = d;
                run = 1;
                run_hanja = is_hanja;
            } else {
                pending = pending * 10 + d;
                run++;
                run_hanja = run_hanja || is_hanja;
                if (pending > LR_NORM_NUMERAL_MAX) {
                    snprintf(reason, rsize, "number too large");
                    return false;
                }
            }
            continue;
        }
        if (run > 1 && run_hanja)
            return fail(reason, rsize, "several Hanja digits before %s", c);
        if (u) {
            int64_t coef = pending < 0 ? 1 : pending;
            if (coef < 1 || coef > 9)
                return fail(reason, rsize, "coefficient of %s is not 1–9", c);
            if (u->value >= last_unit)
                return fail(reason, rsize, "%s out of order", c);
            section += coef * u->value;
            last_unit = u->value;
        } else if (t) {
            if (pending >= 0)
                return fail(reason, rsize, "digit before %s", c);
            if (last_unit <= 10)
                return fail(reason, rsize, "%s out of order", c);
            section += t->value;
            last_unit = 10;
        } else if (c == MYRIAD_1 || c == MYRIAD_2) {
            if (myriad)
                return fail(reason, rsize, "%s twice", c);
            int64_t coef = section + (pending < 0 ? 0 : pending);
            if (pending >= 0 && last_unit < 100000 && pending >= last_unit)
                return fail(reason, rsize, "digits before %s do not fit the group", c);
            if (coef == 0)
                coef = 1;
            if (coef > LR_NORM_NUMERAL_MAX / 10000) {
                snprintf(reason, rsize, "number too large");
                return false;
            }
            total = coef * 10000;
            section = 0;
            myriad = true;
            last_unit = 100000;
        } else {
            return fail(reason, rsize, "not a numeral character: %s", c);
        }
        pending = -1;
        run = 0;
        run_hanja = false;
        seen_unit = true;
    }
    if (pending >= 0) {
        if (run > 1 && run_hanja) {
            snprintf(reason, rsize, "several Hanja digits after the last unit");
            return false;
        }
        if (last_unit < 100000 && pending >= last_unit) {
            snprintf(reason, rsize, "digits after the last unit do not fit it");
            return false;
        }
        if (myriad && last_unit == 100000 && pending >= 10000) {
            snprintf(reason, rsize, "digits after 萬 do not fit it");
            return false;
        }
        section += pending;
    }
    out->value = total + section;
    if (out->value > LR_NORM_NUMERAL_MAX) {
        snprintf(reason, rsize, "number too large");
        return false;
    }
    out->style = LR_NUMERAL_MULTIPLICATIVE;
    return true;
}

static bool numeral_alphabet(const lr_norm_tables *t, uint32_t c)
{
    (void)t;
    return norm_is_numeral_char(c) || c == ' ' || c == ',';
}

int lr_norm_parse_numeral(const lr_norm_tables *t, const char *text, size_t len,
                          lr_norm_number *out, lr_error *err)
{
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    if (out)
        norm_result_clear(out, sizeof *out, &out->note);
    if (!out || (!text && len > 0))
        return lr_error_set(err, LR_ERR_ARG, "no text or no result for a numeral");
    int rc = norm_read_input(text, len, "a numeral", &out->note, cp, &n, &invalid, err);
    if (rc != LR_OK || n == 0)
        return rc;
    int fixes = norm_fix_lookalikes(t, cp, n, NORM_CTX_NUMERAL, numeral_alphabet);
    norm_numeral v;
    char reason[LR_NORM_REASON_SIZE];
    if (!norm_parse_numeral_cp(cp, n, &v, reason, sizeof reason)) {
        norm_note(&out->note, LR_NORM_UNPARSEABLE, "%s%s", reason,
                  invalid ? " (invalid UTF-8)" : "");
        out->note.distance = fixes;
        return LR_OK;
    }
    out->value = v.value;
    out->style = v.style;
    out->formal = v.formal;
    out->mixed = v.mixed;
    out->note.distance = fixes;
    out->note.score = norm_fixes_score(fixes);
    norm_note(&out->note, LR_NORM_OK, NULL);
    norm_note_fixes(&out->note, fixes);
    if (v.mixed)
        norm_note_add(&out->note, "Arabic and Hanja digits mixed");
    return LR_OK;
}
