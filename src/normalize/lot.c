/* lot.c — lot numbers (지번): 本番ノ枝番, 123의4, 123-4, the 산 prefix, lists and 내지 ranges;
 * the export's "123-4" form; PNU building and checking (domain.md §5.2 [V]); and resolving a
 * written location to its 법정동코드 through legal_dong.tsv. */
#include "norm_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CP_SAN 0xC0B0  /* 산 */
#define CP_SHAN 0x5C71 /* 山 */
#define LOT_VALUE_MAX 99999999

static bool is_sub_sep(uint32_t c)
{
    return c == '-' || c == 0x30CE /* ノ */ || c == 0x306E /* の */ || c == 0xC758 /* 의 */ ||
           c == 0x4E4B /* 之 */;
}

static bool is_list_sep(uint32_t c)
{
    return c == ',' || c == 0x3001 /* 、 */ || c == ';' || c == 0xB7 /* · */ ||
           c == 0x30FB /* ・ */ || c == 0x53CA /* 及 */ || c == 0xBC0F /* 및 */;
}

static const uint32_t RANGE_NAEJI[] = {0xB0B4, 0xC9C0};   /* 내지 */
static const uint32_t RANGE_NAISHI[] = {0x4E43, 0x81F3};  /* 乃至 */
static const uint32_t SUFFIX_BEONJI[] = {0xBC88, 0xC9C0}; /* 번지 */
static const uint32_t SUFFIX_BANCHI[] = {0x756A, 0x5730}; /* 番地 */

static bool at(const uint32_t *cp, size_t n, size_t i, const uint32_t *w, size_t wn)
{
    return i + wn <= n && memcmp(cp + i, w, wn * sizeof *w) == 0;
}

/* Length of a range word at i (내지, 乃至, ~, 〜), 0 when none. */
static size_t range_word(const uint32_t *cp, size_t n, size_t i)
{
    if (at(cp, n, i, RANGE_NAEJI, 2) || at(cp, n, i, RANGE_NAISHI, 2))
        return 2;
    if (i < n && (cp[i] == '~' || cp[i] == 0x301C))
        return 1;
    return 0;
}

/* Length of a suffix after a number (番地 번지 番 번 号 號 호), 0 when none. */
static size_t suffix(const uint32_t *cp, size_t n, size_t i)
{
    if (at(cp, n, i, SUFFIX_BEONJI, 2) || at(cp, n, i, SUFFIX_BANCHI, 2))
        return 2;
    if (i < n && (cp[i] == 0x756A || cp[i] == 0xBC88 || cp[i] == 0x53F7 || cp[i] == 0x865F ||
                  cp[i] == 0xD638))
        return 1;
    return 0;
}

static bool lot_alphabet(const lr_norm_tables *t, uint32_t c)
{
    (void)t;
    return norm_is_numeral_char(c) || is_sub_sep(c) || is_list_sep(c) || c == ' ' || c == CP_SAN ||
           c == CP_SHAN || c == '~' || c == 0x301C || c == 0xB0B4 || c == 0xC9C0 || c == 0x4E43 ||
           c == 0x81F3 || c == 0x756A || c == 0x5730 || c == 0xBC88 || c == 0x53F7 || c == 0x865F ||
           c == 0xD638;
}

static bool is_arabic(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* A numeral character that is not an Arabic digit (一 … 九, 〇, 十, 百 …). */
static bool hanja_digit(uint32_t c)
{
    return norm_is_numeral_char(c) && !is_arabic(c) && c > 0x7F;
}

typedef struct cursor {
    const uint32_t *cp;
    size_t n, i;
    char why[LR_NORM_REASON_SIZE];
} cursor;

static void skip_spaces(cursor *c)
{
    while (c->i < c->n && c->cp[c->i] == ' ')
        c->i++;
}

/* A number at the cursor, then an optional suffix. false with why when none or bad. */
static bool number(cursor *c, int32_t *out)
{
    size_t start = c->i;
    while (c->i < c->n && norm_is_numeral_char(c->cp[c->i]))
        c->i++;
    if (c->i == start) {
        char u[8];
        if (c->i < c->n)
            snprintf(c->why, sizeof c->why, "unexpected \"%s\"", norm_cp_utf8(c->cp[c->i], u));
        else
            snprintf(c->why, sizeof c->why, "a number is missing at the end");
        return false;
    }
    norm_numeral v;
    char reason[LR_NORM_REASON_SIZE / 2];
    if (!norm_parse_numeral_cp(c->cp + start, c->i - start, &v, reason, sizeof reason)) {
        snprintf(c->why, sizeof c->why, "bad number: %s", reason);
        return false;
    }
    if (v.value > LOT_VALUE_MAX) {
        snprintf(c->why, sizeof c->why, "lot number too large");
        return false;
    }
    *out = (int32_t)v.value;
    c->i += suffix(c->cp, c->n, c->i);
    return true;
}

/* [산] main [sep sub] | sep sub (only a 부번). *out_has_main says which. */
static bool one_lot(cursor *c, lr_norm_lot *out, bool *out_has_main)
{
    memset(out, 0, sizeof *out);
    *out_has_main = false;
    if (c->i < c->n && (c->cp[c->i] == CP_SAN || c->cp[c->i] == CP_SHAN)) {
        out->mountain = true;
        c->i++;
        skip_spaces(c);
    }
    if (c->i < c->n && !is_sub_sep(c->cp[c->i])) {
        if (!number(c, &out->main))
            return false;
        *out_has_main = true;
    }
    size_t save = c->i;
    skip_spaces(c);
    if (c->i < c->n && is_sub_sep(c->cp[c->i])) {
        c->i++;
        skip_spaces(c);
        if (!number(c, &out->sub))
            return false;
    } else {
        c->i = save;
        if (!*out_has_main) {
            snprintf(c->why, sizeof c->why, "a 산 without a number");
            return false;
        }
    }
    return true;
}

static int unparseable(lr_norm_lots *out, const char *why)
{
    out->nitems = 0;
    out->count = 0;
    return norm_unparseable(&out->note, "%s", why);
}

int lr_norm_parse_lots(const lr_norm_tables *t, const char *text, size_t len,
                       const lr_norm_lot *context, lr_norm_lots *out, lr_error *err)
{
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    if (out)
        norm_result_clear(out, sizeof *out, &out->note);
    if (!out || (!text && len > 0))
        return lr_error_set(err, LR_ERR_ARG, "no text or result for a lot number");
    int rc = norm_read_input(text, len, "a lot number", &out->note, cp, &n, &invalid, err);
    if (rc != LR_OK || n == 0)
        return rc;

    /* 一 between Arabic digits is a dash (123一4); elsewhere it is a Hanja 1 */
    int fixes = 0;
    for (size_t i = 1; i + 1 < n; i++)
        if (cp[i] == 0x4E00 && is_arabic(cp[i - 1]) && is_arabic(cp[i + 1])) {
            cp[i] = '-';
            fixes++;
        }
    /* 7 between Hanja numerals is ノ (二二九7八): a lot is written in one kind of digit */
    for (size_t i = 0; i < n; i++) {
        if (cp[i] != '7')
            continue;
        size_t a = i, b = i + 1;
        while (a > 0 && cp[a - 1] == ' ')
            a--;
        while (b < n && cp[b] == ' ')
            b++;
        if (a > 0 && b < n && hanja_digit(cp[a - 1]) && hanja_digit(cp[b])) {
            cp[i] = 0x30CE;
            fixes++;
        }
    }
    fixes += norm_fix_lookalikes(t, cp, n, NORM_CTX_LOT, lot_alphabet);
    fixes += norm_fix_lookalikes(t, cp, n, NORM_CTX_NUMERAL, lot_alphabet);

    out->note.status = LR_NORM_OK;
    out->note.reason[0] = '\0';
    cursor c = {cp, n, 0, ""};
    lr_norm_lot prev;
    bool have_prev = false, dropped = false;
    if (context) {
        prev = *context;
        have_prev = context->main > 0;
    } else {
        memset(&prev, 0, sizeof prev);
    }
    while (c.i < c.n) {
        while (c.i < c.n && (c.cp[c.i] == ' ' || is_list_sep(c.cp[c.i])))
            c.i++;
        if (c.i >= c.n)
            break;
        lr_norm_lot_item item;
        memset(&item, 0, sizeof item);
        bool has_main;
        if (!one_lot(&c, &item.lot, &has_main))
            return unparseable(out, c.why);
        if (!has_main) {
            if (have_prev) {
                item.lot.main = prev.main;
                item.lot.mountain = item.lot.mountain || prev.mountain;
            } else {
                norm_flag(&out->note, "a 부번 without its 본번");
            }
        }
        item.last = item.lot;
        skip_spaces(&c);
        size_t rw = range_word(c.cp, c.n, c.i);
        if (rw) {
            c.i += rw;
            skip_spaces(&c);
            lr_norm_lot end;
            bool end_main;
            if (!one_lot(&c, &end, &end_main))
                return unparseable(out, c.why);
            /* the 산 of the first lot covers the range */
            end.mountain = end.mountain || item.lot.mountain;
            if (!end_main) {
                end.main = item.lot.main;
            } else if (end.sub == 0 && item.lot.sub > 0) {
                /* 123-4 내지 10: a bare number after a 부번 is the last 부번 */
                end.sub = end.main;
                end.main = item.lot.main;
            }
            item.last = end;
            item.range = true;
        }
        if (out->nitems < LR_NORM_LOTS_MAX)
            out->items[out->nitems++] = item;
        else
            dropped = true;
        prev = item.last;
        have_prev = prev.main > 0;
    }
    if (out->nitems == 0)
        return unparseable(out, "no lot number");

    /* Checks that flag but keep the value, and the count. A lot is written in one kind of
     * digit: Hanja beside Arabic is a character misread (二三五2 for 山二三五ノ九) — but for
     * 0, which is how OCR writes 〇 (一 0 for 一〇). */
    bool arabic = false, hanja = false;
    for (size_t i = 0; i < n; i++) {
        arabic = arabic || (is_arabic(cp[i]) && cp[i] != '0');
        hanja = hanja || hanja_digit(cp[i]);
    }
    if (arabic && hanja)
        norm_flag(&out->note, "%s", "Hanja and Arabic digits mixed");
    for (int k = 0; k < out->nitems; k++) {
        const lr_norm_lot_item *it = &out->items[k];
        const lr_norm_lot *ends[2] = {&it->lot, &it->last};
        for (int e = 0; e < (it->range ? 2 : 1); e++) {
            if (ends[e]->main > 9999 || ends[e]->sub > 9999)
                norm_flag(&out->note, "%d-%d has more than four digits", ends[e]->main,
                          ends[e]->sub);
        }
        if (!it->range) {
            out->count++;
            continue;
        }
        if (it->lot.mountain != it->last.mountain) {
            norm_flag(&out->note, "a range from a 산 lot to another");
            out->count += 2;
        } else if (it->lot.main == it->last.main && it->last.sub >= it->lot.sub &&
                   (it->lot.sub > 0 || it->last.sub == 0)) {
            out->count += it->last.sub - it->lot.sub + 1;
        } else if (it->lot.sub == 0 && it->last.sub == 0 && it->last.main > it->lot.main) {
            out->count += it->last.main - it->lot.main + 1;
        } else {
            norm_flag(&out->note, "range %d-%d 내지 %d-%d does not run forward in one 본번",
                      it->lot.main, it->lot.sub, it->last.main, it->last.sub);
            out->count += 2;
        }
    }
    for (int k = 0; k < out->nitems; k++)
        if (out->items[k].lot.main == 0 && !strstr(out->note.reason, "without its 본번")) {
            norm_flag(&out->note, "본번 0");
            break;
        }
    if (dropped)
        norm_flag(&out->note, "more than %d lots: the rest left out", LR_NORM_LOTS_MAX);
    norm_flag_invalid(&out->note, invalid);
    norm_note_repairs(&out->note, fixes);
    return LR_OK;
}

int lr_norm_format_lot(const lr_norm_lot *lot, char *buf, size_t size)
{
    if (buf && size)
        buf[0] = '\0';
    if (!lot || !buf || lot->main < 1 || lot->sub < 0)
        return LR_ERR_ARG;
    char tmp[40];
    int k;
    if (lot->sub > 0)
        k = snprintf(tmp, sizeof tmp, "%s%d-%d", lot->mountain ? "산" : "", (int)lot->main,
                     (int)lot->sub);
    else
        k = snprintf(tmp, sizeof tmp, "%s%d", lot->mountain ? "산" : "", (int)lot->main);
    if (k < 0 || (size_t)k + 1 > size)
        return LR_ERR_ARG;
    memcpy(buf, tmp, (size_t)k + 1);
    return LR_OK;
}

/* ---- PNU and 법정동코드 ---- */

static const norm_dong *dong_by_code(const lr_norm_tables *t, const char *code)
{
    for (size_t i = 0; i < t->ndongs; i++)
        if (memcmp(t->dongs[i].code, code, 10) == 0)
            return &t->dongs[i];
    return NULL;
}

static bool ten_digits(const char *s)
{
    return s && strlen(s) == 10 && strspn(s, "0123456789") == 10;
}

int lr_norm_build_pnu(const lr_norm_tables *t, const char *dong_code, const lr_norm_lot *lot,
                      char out_pnu[LR_NORM_PNU_SIZE], lr_error *err)
{
    if (out_pnu)
        out_pnu[0] = '\0';
    if (!out_pnu || !lot)
        return lr_error_set(err, LR_ERR_ARG, "no lot or no place for the PNU");
    if (!ten_digits(dong_code))
        return lr_error_set(err, LR_ERR_ARG, "법정동코드 \"%s\" is not 10 digits",
                            dong_code ? dong_code : "");
    if (t && !dong_by_code(t, dong_code))
        return lr_error_set(err, LR_ERR_ARG, "법정동코드 %s is not in the table", dong_code);
    if (lot->main < 1 || lot->main > 9999)
        return lr_error_set(err, LR_ERR_ARG, "본번 %d is not 1–9999", (int)lot->main);
    if (lot->sub < 0 || lot->sub > 9999)
        return lr_error_set(err, LR_ERR_ARG, "부번 %d is not 0–9999", (int)lot->sub);
    snprintf(out_pnu, LR_NORM_PNU_SIZE, "%.10s%c%04d%04d", dong_code, lot->mountain ? '2' : '1',
             (int)lot->main, (int)lot->sub);
    return LR_OK;
}

int lr_norm_check_pnu(const lr_norm_tables *t, const char *pnu,
                      char out_dong_code[LR_NORM_DONG_CODE_SIZE], lr_norm_lot *out_lot,
                      lr_error *err)
{
    if (out_dong_code)
        out_dong_code[0] = '\0';
    if (out_lot)
        memset(out_lot, 0, sizeof *out_lot);
    if (!pnu)
        return lr_error_set(err, LR_ERR_ARG, "no PNU");
    if (strlen(pnu) != 19 || strspn(pnu, "0123456789") != 19)
        return lr_error_set(err, LR_ERR_FORMAT, "PNU \"%.40s\" is not 19 digits", pnu);
    if (pnu[10] != '1' && pnu[10] != '2')
        return lr_error_set(err, LR_ERR_FORMAT,
                            "PNU %s: character 11 is %c, not 1 (토지) or 2 (산)", pnu, pnu[10]);
    int main_no = atoi((char[5]){pnu[11], pnu[12], pnu[13], pnu[14], '\0'});
    int sub_no = atoi((char[5]){pnu[15], pnu[16], pnu[17], pnu[18], '\0'});
    if (main_no < 1)
        return lr_error_set(err, LR_ERR_FORMAT, "PNU %s: 본번 0000", pnu);
    char code[LR_NORM_DONG_CODE_SIZE];
    memcpy(code, pnu, 10);
    code[10] = '\0';
    if (t && !dong_by_code(t, code))
        return lr_error_set(err, LR_ERR_FORMAT, "PNU %s: 법정동코드 %s is not in the table", pnu,
                            code);
    if (out_dong_code)
        memcpy(out_dong_code, code, sizeof code);
    if (out_lot) {
        out_lot->mountain = pnu[10] == '2';
        out_lot->main = main_no;
        out_lot->sub = sub_no;
    }
    return LR_OK;
}

static void dong_alt(lr_norm_dong *out, const norm_dong *d)
{
    if (out->nalt >= LR_NORM_ALT_MAX)
        return;
    lr_norm_match *m = &out->alt[out->nalt++];
    norm_copy(m->key, sizeof m->key, d->code);
    norm_copy(m->label, sizeof m->label, d->name);
    m->score = 1.0f;
    m->distance = 0;
}

int lr_norm_resolve_dong(const lr_norm_tables *t, const char *text, size_t len, lr_norm_dong *out,
                         lr_error *err)
{
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    if (out)
        norm_result_clear(out, sizeof *out, &out->note);
    if (!out || !t || (!text && len > 0))
        return lr_error_set(err, LR_ERR_ARG, "no tables, text or result for a location");
    int rc = norm_read_input(text, len, "a location", &out->note, cp, &n, &invalid, err);
    if (rc != LR_OK || n == 0)
        return rc;
    size_t m = norm_strip_spaces(cp, n, cp);

    const norm_dong *exist = NULL, *gone = NULL;
    int nexist = 0, ngone = 0;
    bool code_form = m == 10;
    for (size_t i = 0; i < m && code_form; i++)
        code_form = is_arabic(cp[i]);
    for (size_t i = 0; i < t->ndongs; i++) {
        const norm_dong *d = &t->dongs[i];
        bool hit = false;
        if (code_form) {
            hit = true;
            for (size_t k = 0; k < 10; k++)
                hit = hit && (uint32_t)(unsigned char)d->code[k] == cp[k];
        } else if (d->n >= m) {
            size_t off = d->n - m;
            for (int k = 0; k < d->nstarts && !hit; k++)
                hit =
                    d->starts[k] == off && memcmp(t->pool + d->off + off, cp, m * sizeof *cp) == 0;
        }
        if (!hit)
            continue;
        if (d->abolished) {
            ngone++;
            gone = gone ? gone : d;
        } else {
            nexist++;
            exist = exist ? exist : d;
        }
    }
    /* alternatives: existing codes first */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < t->ndongs && out->nalt < LR_NORM_ALT_MAX && nexist + ngone > 1;
             i++) {
            const norm_dong *d = &t->dongs[i];
            if (d->abolished != (pass == 1))
                continue;
            bool hit = false;
            if (code_form)
                continue;
            if (d->n >= m) {
                size_t off = d->n - m;
                for (int k = 0; k < d->nstarts && !hit; k++)
                    hit = d->starts[k] == off &&
                          memcmp(t->pool + d->off + off, cp, m * sizeof *cp) == 0;
            }
            if (hit)
                dong_alt(out, d);
        }
    char u[LR_NORM_REASON_SIZE / 2];
    norm_cps_utf8(cp, m, u, sizeof u);
    const norm_dong *pick = NULL;
    out->note.status = LR_NORM_OK;
    out->note.reason[0] = '\0';
    out->note.score = 1.0f;
    if (nexist == 1) {
        pick = exist;
        if (ngone)
            norm_flag(&out->note, "%s also names %d abolished code%s", u, ngone,
                      ngone > 1 ? "s" : "");
    } else if (nexist == 0 && ngone == 1) {
        pick = gone;
        norm_flag(&out->note, "%s is an abolished (폐지) code", pick->code);
    } else if (nexist + ngone > 1) {
        out->note.status = LR_NORM_FLAGGED;
        out->note.score = 1.0f / (float)(nexist + ngone);
        norm_note_add(&out->note, "%s is ambiguous: %d codes", u, nexist + ngone);
        return LR_OK;
    } else {
        out->nalt = 0;
        return norm_unparseable(&out->note, "no 법정동 named \"%s\" in the table", u);
    }
    memcpy(out->code, pick->code, sizeof out->code);
    norm_copy(out->name, sizeof out->name, pick->name);
    out->abolished = pick->abolished;
    if (out->nalt == 0)
        dong_alt(out, pick);
    norm_flag_invalid(&out->note, invalid);
    return LR_OK;
}
