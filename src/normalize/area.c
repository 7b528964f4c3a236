/* area.c — areas written in 坪 合 勺, 町 段 畝 步 or ㎡ to square metres, exactly: each unit's
 * size is a fraction of m² from area_units.tsv (1 坪 = 400/121 m², domain.md §3.1 [V]) and
 * the sum stays a fraction until it is printed with two decimals. */
#include "norm_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 i128; /* sums of fractions of 121ths and decimals overflow 64 bits */

#define AREA_MAX_M2 INT64_C(1000000000000) /* 10^12 m²: larger is no parcel */
#define FRACTION_DIGITS_MAX 6

static i128 gcd128(i128 a, i128 b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int lr_norm_format_m2(int64_t num, int64_t den, char *buf, size_t size)
{
    if (buf && size)
        buf[0] = '\0';
    if (!buf || den <= 0)
        return LR_ERR_ARG;
    bool neg = num < 0;
    i128 a = neg ? -(i128)num : (i128)num;
    /* round half up (away from zero) at the hundredths: floor((200a + den) / 2den) */
    i128 cents = (a * 200 + den) / ((i128)den * 2);
    i128 whole = cents / 100;
    int frac = (int)(cents % 100);
    char digits[48];
    int k = 0;
    do {
        digits[k++] = (char)('0' + (int)(whole % 10));
        whole /= 10;
    } while (whole > 0 && k < 40);
    char out[64];
    int o = 0;
    if (neg && cents > 0)
        out[o++] = '-';
    while (k > 0)
        out[o++] = digits[--k];
    o += snprintf(out + o, sizeof out - (size_t)o, ".%02d", frac);
    if ((size_t)o + 1 > size)
        return LR_ERR_ARG;
    memcpy(buf, out, (size_t)o + 1);
    return LR_OK;
}

/* Whether c may appear in an area: numerals, decimal point, grouping, space, unit names. */
static bool area_alphabet(const lr_norm_tables *t, uint32_t c)
{
    if (norm_is_numeral_char(c) || c == '.' || c == ',' || c == ' ')
        return true;
    for (size_t k = 0; k < t->nunit_terms; k++)
        for (int i = 0; i < t->unit_terms[k].n; i++)
            if (t->unit_terms[k].cp[i] == c)
                return true;
    return false;
}

/* The longest unit form at cp[i..n); -1 when none. *out_len: code points it covers. */
static int unit_at(const lr_norm_tables *t, const uint32_t *cp, size_t n, size_t i, size_t *out_len)
{
    int best = -1;
    size_t best_len = 0;
    for (size_t k = 0; k < t->nunit_terms; k++) {
        const norm_term *u = &t->unit_terms[k];
        size_t len = (size_t)u->n;
        if (len <= best_len || i + len > n)
            continue;
        if (memcmp(cp + i, u->cp, len * sizeof *cp) == 0) {
            best = u->owner;
            best_len = len;
        }
    }
    *out_len = best_len;
    return best;
}

static bool is_arabic(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* A quantity: a numeral, or digits with a decimal fraction ("123.5", "一二三.五"). */
static bool parse_quantity(const uint32_t *cp, size_t n, int64_t *out_num, int64_t *out_den,
                           char *reason, size_t rsize)
{
    size_t dot = n;
    for (size_t i = 0; i < n; i++)
        if (cp[i] == '.') {
            if (dot != n) {
                snprintf(reason, rsize, "two decimal points");
                return false;
            }
            dot = i;
        }
    norm_numeral v;
    if (dot == 0) {
        snprintf(reason, rsize, "a decimal point without a whole part");
        return false;
    }
    if (!norm_parse_numeral_cp(cp, dot, &v, reason, rsize))
        return false;
    *out_num = v.value;
    *out_den = 1;
    if (dot == n)
        return true;
    if (v.style == LR_NUMERAL_MULTIPLICATIVE) {
        snprintf(reason, rsize, "a decimal fraction after a multiplicative numeral");
        return false;
    }
    size_t fd = n - dot - 1;
    if (fd == 0 || fd > FRACTION_DIGITS_MAX) {
        snprintf(reason, rsize, "a decimal fraction of %zu digits", fd);
        return false;
    }
    int64_t num = v.value, den = 1;
    for (size_t i = dot + 1; i < n; i++) {
        int d = norm_digit_value(cp[i]);
        if (d < 0) {
            snprintf(reason, rsize, "not a digit in the decimal fraction");
            return false;
        }
        if (num > LR_NORM_NUMERAL_MAX) {
            snprintf(reason, rsize, "number too large");
            return false;
        }
        num = num * 10 + d;
        den *= 10;
    }
    *out_num = num;
    *out_den = den;
    return true;
}

static int unparseable(lr_norm_area *out, const char *fmt, const char *arg)
{
    out->num = 0;
    out->den = 1;
    out->m2[0] = '\0';
    return norm_unparseable(&out->note, fmt, arg);
}

/* Compares unit sizes: <0, 0, >0. */
static int cmp_size(const norm_unit *a, const norm_unit *b)
{
    i128 x = (i128)a->num * b->den, y = (i128)b->num * a->den;
    return x < y ? -1 : x > y;
}

/* Whether cp[k..n) is the closing 步 alone (the unit that, written without a number, means
 * "exactly"), of the system named. */
static bool closing_mark_at(const lr_norm_tables *t, const uint32_t *cp, size_t n, size_t k,
                            const char *system)
{
    size_t ulen = 0;
    int u = k < n ? unit_at(t, cp, n, k, &ulen) : -1;
    if (u < 0 || !t->units[u].exact_mark || strcmp(t->units[u].system, system) != 0)
        return false;
    for (k += ulen; k < n && cp[k] == ' '; k++)
        ;
    return k == n;
}

/* A Hanja the area alphabet does not know, after a number and before the next number, the
 * closing 步 or the end, where the units written so far leave one place: 町 六段 八? 四步,
 * 一町八段六?步 — the next smaller unit of their system after the last one written (畝
 * misread as 疝, 歆, 競, 并 …). Returns that unit, or -1. */
static int unit_by_order(const lr_norm_tables *t, const uint32_t *cp, size_t n, size_t i,
                         const int *used, int nparts)
{
    if (nparts == 0 || area_alphabet(t, cp[i]) || cp[i] < 0x3400 || cp[i] > 0x9FFF)
        return -1;
    size_t k = i + 1;
    while (k < n && cp[k] == ' ')
        k++;
    const norm_unit *last = &t->units[used[nparts - 1]];
    bool closed = k < n && closing_mark_at(t, cp, n, k, last->system);
    if (k < n && !norm_is_numeral_char(cp[k]) && !closed)
        return -1;
    int best = -1;
    for (size_t u = 0; u < t->nunits; u++) {
        const norm_unit *c = &t->units[u];
        if (strcmp(c->system, last->system) != 0 || cmp_size(c, last) >= 0)
            continue;
        if (best < 0 || cmp_size(c, &t->units[best]) > 0)
            best = (int)u;
    }
    for (int p = 0; best >= 0 && p < nparts; p++)
        if (used[p] == best)
            return -1;
    if (best >= 0 && closed && t->units[best].exact_mark)
        return -1; /* 步 before the closing 步 */
    return best;
}

int lr_norm_parse_area(const lr_norm_tables *t, const char *text, size_t len,
                       const char *default_unit, lr_norm_area *out, lr_error *err)
{
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    char why[LR_NORM_REASON_SIZE / 2];
    char *nfc = NULL;
    int rc = LR_OK;
    if (out) {
        norm_result_clear(out, sizeof *out, &out->note);
        out->den = 1;
    }
    if (!out || !t || (!text && len > 0))
        return lr_error_set(err, LR_ERR_ARG, "no tables, text or result for an area");

    int def = -1;
    if (default_unit && *default_unit) {
        uint32_t du[64];
        size_t dn = 0, ulen = 0;
        bool dinv;
        if (norm_fold(default_unit, strlen(default_unit), du, 64, &dn, &dinv) == LR_OK && dn)
            def = unit_at(t, du, dn, 0, &ulen);
        if (def < 0 || ulen != dn)
            return lr_error_set(err, LR_ERR_ARG, "unknown default unit \"%s\"", default_unit);
    }

    if (len > LR_NORM_INPUT_MAX)
        return unparseable(out, "%s", "input too long");
    rc = lr_norm_clean_text(text, len, &nfc, err);
    if (rc != LR_OK)
        return rc;
    size_t nlen = strlen(nfc);
    if (nlen >= sizeof out->as_written) {
        free(nfc);
        return unparseable(out, "%s", "too long for an area");
    }
    memcpy(out->as_written, nfc, nlen + 1);
    free(nfc);

    rc = norm_read_input(text, len, "an area", &out->note, cp, &n, &invalid, err);
    if (rc != LR_OK || n == 0)
        return rc;

    int fixes = norm_fix_lookalikes(t, cp, n, NORM_CTX_AREA | NORM_CTX_NUMERAL, area_alphabet);

    out->note.status = LR_NORM_OK;
    out->note.reason[0] = '\0';
    int used[LR_NORM_AREA_PARTS];
    size_t i = 0;
    bool marker = false;
    while (i < n) {
        while (i < n && cp[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t start = i;
        while (i < n && (norm_is_numeral_char(cp[i]) || cp[i] == '.' ||
                         (cp[i] == ',' && i > start && is_arabic(cp[i - 1]) && i + 1 < n &&
                          is_arabic(cp[i + 1]))))
            i++;
        bool have_number = i > start;
        int64_t qn = 0, qd = 1;
        if (have_number && !parse_quantity(cp + start, i - start, &qn, &qd, why, sizeof why))
            return unparseable(out, "bad number: %s", why);
        /* no area is written 08: a digit before the 0 was lost (68 read 08) */
        if (have_number && i - start > 1 && cp[start] == '0' && cp[start + 1] != '.')
            norm_flag(&out->note, "%s", "a number with a leading 0");
        while (i < n && cp[i] == ' ')
            i++;
        size_t ulen = 0;
        int u = i < n ? unit_at(t, cp, n, i, &ulen) : -1;
        if (!have_number) {
            if (u >= 0 && t->units[u].exact_mark && out->nparts > 0 && !marker &&
                strcmp(t->units[used[out->nparts - 1]].system, t->units[u].system) == 0 &&
                used[out->nparts - 1] != u) {
                /* 3町步, 6反8畝步: 步 closes an area that ends on a larger unit */
                marker = true;
                i += ulen;
                continue;
            }
            char c[8];
            if (u >= 0)
                return unparseable(out, "%s without a number", t->units[u].name);
            return unparseable(out, "unexpected \"%s\"", norm_cp_utf8(cp[i], c));
        }
        if (u < 0) {
            if (i >= n && def >= 0) {
                u = def;
                out->unit_from_column = true;
                norm_note_add(&out->note, "unit %s from the column", t->units[def].name);
            } else if (i < n && (u = unit_by_order(t, cp, n, i, used, out->nparts)) >= 0) {
                char c[8];
                norm_flag(&out->note, "\"%s\" read as %s, the unit its place needs",
                          norm_cp_utf8(cp[i], c), t->units[u].name);
                i++;
            } else {
                char c[8];
                if (i >= n)
                    return unparseable(out, "%s", "a number without a unit");
                return unparseable(out, "unexpected \"%s\" after a number", norm_cp_utf8(cp[i], c));
            }
        } else {
            i += ulen;
        }
        if (marker)
            return unparseable(out, "%s", "a number after the closing 步");
        if (out->nparts == LR_NORM_AREA_PARTS)
            return unparseable(out, "%s", "too many parts");
        for (int k = 0; k < out->nparts; k++)
            if (used[k] == u)
                return unparseable(out, "%s written twice", t->units[u].name);
        lr_norm_area_part *p = &out->parts[out->nparts];
        norm_copy(p->unit, sizeof p->unit, t->units[u].name);
        p->num = qn;
        p->den = qd;
        used[out->nparts++] = u;
    }
    if (out->nparts == 0)
        return unparseable(out, "%s", "no area");

    /* Checks that flag but keep the value. */
    const norm_unit *first = &t->units[used[0]];
    norm_copy(out->system, sizeof out->system, first->system);
    for (int k = 0; k < out->nparts; k++) {
        const norm_unit *u = &t->units[used[k]];
        if (strcmp(u->system, first->system) != 0)
            norm_flag(&out->note, "mixes %s and %s", first->name, u->name);
        if (k > 0 && cmp_size(&t->units[used[k - 1]], u) <= 0)
            norm_flag(&out->note, "%s after %s: units out of order", u->name,
                      t->units[used[k - 1]].name);
        /* the next larger unit of the same system: a quantity of it or more is unusual */
        const norm_unit *up = NULL;
        for (size_t j = 0; j < t->nunits; j++) {
            const norm_unit *c = &t->units[j];
            if (strcmp(c->system, u->system) == 0 && cmp_size(c, u) > 0 &&
                (!up || cmp_size(c, up) < 0))
                up = c;
        }
        const lr_norm_area_part *p = &out->parts[k];
        if (up && (i128)p->num * u->num * up->den >= (i128)p->den * up->num * u->den)
            norm_flag(&out->note, "%lld%s %s is one %s or more", (long long)(p->num / p->den),
                      p->den > 1 ? "…" : "", u->name, up->name);
    }

    /* The exact sum. */
    i128 sn = 0, sd = 1;
    for (int k = 0; k < out->nparts; k++) {
        const norm_unit *u = &t->units[used[k]];
        i128 tn = (i128)out->parts[k].num * u->num, td = (i128)out->parts[k].den * u->den;
        i128 g = gcd128(tn, td);
        if (g > 1) {
            tn /= g;
            td /= g;
        }
        i128 gd = gcd128(sd, td);
        i128 l = sd / gd * td;
        sn = sn * (l / sd) + tn * (l / td);
        sd = l;
        g = gcd128(sn, sd);
        if (g > 1) {
            sn /= g;
            sd /= g;
        }
        if (sn / sd > AREA_MAX_M2 || sd > INT64_MAX)
            return unparseable(out, "%s", "area too large");
    }
    out->num = (int64_t)sn;
    out->den = (int64_t)sd;
    lr_norm_format_m2(out->num, out->den, out->m2, sizeof out->m2);
    if (out->num == 0)
        norm_flag(&out->note, "zero area");
    if (marker)
        norm_note_add(&out->note, "closing 步 read as \"exactly\"");
    norm_flag_invalid(&out->note, invalid);
    norm_note_repairs(&out->note, fixes);
    return LR_OK;
}
