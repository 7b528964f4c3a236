/* date.c — era dates to Gregorian ISO dates. Eras, their offsets, first and last days and the
 * years they were in use in Korea come from eras.tsv (domain.md §4.1); switch days belong to
 * both eras because each era's period is inclusive at both ends. Nothing here corrects a
 * date: an impossible one is flagged with its arithmetic reading. */
#include "norm_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPEN_FROM 10101
#define OPEN_TO 99991231

int norm_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

bool norm_iso_span(const char *iso, int32_t *out_first, int32_t *out_last)
{
    int y = 0, m = 0, d = 0;
    size_t n = iso ? strlen(iso) : 0;
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? iso[i] != '-' : (iso[i] < '0' || iso[i] > '9'))
            return false;
    }
    y = atoi(iso);
    if (n >= 7)
        m = atoi(iso + 5);
    if (n == 10)
        d = atoi(iso + 8);
    if (y < 1 || (n >= 7 && (m < 1 || m > 12)) ||
        (n == 10 && (d < 1 || d > norm_days_in_month(y, m))))
        return false;
    *out_first = y * 10000 + (m ? m : 1) * 100 + (d ? d : 1);
    int lm = m ? m : 12;
    *out_last = y * 10000 + lm * 100 + (d ? d : norm_days_in_month(y, lm));
    return true;
}

static void ymd_text(int32_t ymd, char buf[16])
{
    if (ymd <= OPEN_FROM || ymd >= OPEN_TO)
        snprintf(buf, 16, "open");
    else
        snprintf(buf, 16, "%04d-%02d-%02d", (int)(ymd / 10000), (int)(ymd / 100 % 100),
                 (int)(ymd % 100));
}

/* ---- characters ---- */

enum { F_YEAR = 0, F_MONTH = 1, F_DAY = 2 };

static int marker_field(uint32_t c)
{
    switch (c) {
    case 0x5E74: /* 年 */
    case 0xB144: /* 년 */
        return F_YEAR;
    case 0x6708: /* 月 */
    case 0xC6D4: /* 월 */
        return F_MONTH;
    case 0x65E5: /* 日 */
    case 0xC77C: /* 일 */
        return F_DAY;
    default:
        return -1;
    }
}

static bool is_sep(uint32_t c)
{
    return c == '.' || c == '/' || c == '-';
}

/* Whether body[j] is a Hangul syllable that is no marker and a number follows it (after
 * spaces): where a marker stands between two numbers of a Hangul date. */
static bool misread_marker(const uint32_t *body, size_t bn, size_t j)
{
    if (j >= bn || body[j] < 0xAC00 || body[j] > 0xD7A3 || marker_field(body[j]) >= 0)
        return false;
    size_t k = j + 1;
    while (k < bn && body[k] == ' ')
        k++;
    return k < bn && body[k] >= '0' && body[k] <= '9';
}

#define ZHENG 0x6B63 /* 正, as in 正月 (the first month) */

static bool date_alphabet(const lr_norm_tables *t, uint32_t c)
{
    (void)t;
    return norm_is_numeral_char(c) || marker_field(c) >= 0 || is_sep(c) || c == ' ' || c == ZHENG;
}

/* A date written in Hanja with 月 read, whose last character, an Arabic digit after a Hanja
 * numeral, stands where 日 does (六月二十8: a date is written in one kind of digit, and 日
 * read 8 on the degraded sheets). Returns how many characters were replaced. */
static int fix_day_marker(uint32_t *body, size_t n)
{
    size_t last = n;
    while (last > 0 && body[last - 1] == ' ')
        last--;
    if (last < 2 || body[last - 1] < '0' || body[last - 1] > '9')
        return 0;
    size_t prev = last - 1;
    while (prev > 0 && body[prev - 1] == ' ')
        prev--;
    bool month = false;
    for (size_t i = 0; i < last; i++)
        month = month || body[i] == 0x6708; /* 月 */
    if (prev == 0 || !month || !norm_is_numeral_char(body[prev - 1]) || body[prev - 1] < 0x80)
        return 0;
    body[last - 1] = 0x65E5; /* 日 */
    return 1;
}

/* Whether the date's numbers start at cp[i]: 正 only as in 正月 (大正 is an era). */
static bool starts_body(const lr_norm_tables *t, const uint32_t *cp, size_t n, size_t i)
{
    if (cp[i] == ZHENG)
        return i + 1 < n && marker_field(cp[i + 1]) == F_MONTH;
    return date_alphabet(t, cp[i]);
}

/* Whether a character of the era part could be a misread numeral or marker. */
static bool fixable(const lr_norm_tables *t, uint32_t c)
{
    if (c == ' ')
        return true;
    for (size_t k = 0; t && k < t->nlooks; k++)
        if (t->looks[k].seen == c && (t->looks[k].where & (NORM_CTX_DATE | NORM_CTX_NUMERAL)) &&
            date_alphabet(t, t->looks[k].means))
            return true;
    return false;
}

/* ---- era lookup ---- */

/* Exact lookup of a name or key (spaces ignored); -1 when none. */
static int era_exact(const lr_norm_tables *t, const uint32_t *cp, size_t n)
{
    for (size_t k = 0; k < t->nera_terms; k++) {
        const norm_term *e = &t->era_terms[k];
        if ((size_t)e->n == n && memcmp(e->cp, cp, n * sizeof *cp) == 0)
            return e->owner;
    }
    return -1;
}

static int era_by_key(const lr_norm_tables *t, const char *key)
{
    for (size_t i = 0; i < t->neras; i++)
        if (strcmp(t->eras[i].key, key) == 0)
            return (int)i;
    return -1;
}

typedef struct era_pick {
    int era; /* index, -1 none */
    int cost, ops;
    float score;
    bool ambiguous;
} era_pick;

/* Ranks the eras against name; fills the alternatives of out. */
static int rank_eras(const lr_norm_tables *t, const uint32_t *name, size_t n, lr_norm_date *out,
                     era_pick *pick)
{
    norm_cand *c = NULL;
    int nc = norm_rank(t, t->era_terms, t->nera_terms, name, n, false, &c);
    if (nc < 0)
        return LR_ERR_NOMEM;
    pick->era = -1;
    pick->ambiguous = false;
    out->nera_alt = 0;
    for (int i = 0; i < nc && out->nera_alt < LR_NORM_ALT_MAX && c[i].score > 0.0f; i++) {
        lr_norm_match *m = &out->era_alt[out->nera_alt++];
        norm_copy(m->key, sizeof m->key, t->eras[c[i].owner].key);
        norm_copy(m->label, sizeof m->label, t->era_terms[c[i].term].text);
        m->score = c[i].score;
        m->distance = c[i].ops;
    }
    if (nc > 0 && c[0].accepted) {
        pick->era = c[0].owner;
        pick->cost = c[0].cost;
        pick->ops = c[0].ops;
        pick->score = c[0].score;
        pick->ambiguous = nc > 1 && c[1].accepted && c[1].cost == c[0].cost;
    }
    free(c);
    return LR_OK;
}

/* ---- the parser ---- */

static void set_iso(lr_norm_date *out)
{
    char buf[48] = "";
    if (out->precision == LR_DATE_DAY)
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", out->year, out->month, out->day);
    else if (out->precision == LR_DATE_MONTH)
        snprintf(buf, sizeof buf, "%04d-%02d", out->year, out->month);
    else if (out->precision == LR_DATE_YEAR)
        snprintf(buf, sizeof buf, "%04d", out->year);
    norm_copy(out->iso, sizeof out->iso, buf);
}

static void flag(lr_norm_date *out, const char *fmt, const char *a, const char *b, const char *c)
{
    char buf[LR_NORM_REASON_SIZE];
    snprintf(buf, sizeof buf, fmt, a, b, c);
    norm_flag(&out->note, "%s", buf);
}

static int unparseable(lr_norm_date *out, const char *reason)
{
    out->iso[0] = '\0';
    out->precision = LR_DATE_NONE;
    return norm_unparseable(&out->note, "%s", reason);
}

/* The era's name matched no era, or two, and the year does not say which. */
static int unsure_era(lr_norm_date *out, const char *reason)
{
    unparseable(out, reason);
    out->note.distance = out->nera_alt ? out->era_alt[0].distance : 0;
    return LR_OK;
}

int lr_norm_parse_date(const lr_norm_tables *t, const char *text, size_t len,
                       const char *default_era, lr_norm_date *out, lr_error *err)
{
    uint32_t cp[LR_NORM_INPUT_MAX];
    uint32_t name[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    char why[LR_NORM_REASON_SIZE];
    char unsure[LR_NORM_REASON_SIZE] = ""; /* the era's name matched none, or two */
    if (out)
        norm_result_clear(out, sizeof *out, &out->note);
    if (!out || !t || (!text && len > 0))
        return lr_error_set(err, LR_ERR_ARG, "no tables, text or result for a date");

    int default_index = -1;
    if (default_era && *default_era) {
        size_t dn = 0;
        bool dinv;
        if (norm_fold(default_era, strlen(default_era), name, LR_NORM_INPUT_MAX, &dn, &dinv) !=
            LR_OK)
            return lr_error_set(err, LR_ERR_ARG, "default era too long");
        dn = norm_strip_spaces(name, dn, name);
        default_index = era_exact(t, name, dn);
        if (default_index < 0)
            return lr_error_set(err, LR_ERR_ARG, "unknown default era \"%s\"", default_era);
    }

    int rc = norm_read_input(text, len, "a date", &out->note, cp, &n, &invalid, err);
    if (rc != LR_OK || n == 0)
        return rc;
    out->note.status = LR_NORM_OK;
    out->note.reason[0] = '\0';
    out->note.score = 1.0f;

    /* The head: what precedes the first numeral, marker or separator is the era's name. */
    size_t head = 0;
    while (head < n && (cp[head] == ' ' || !starts_body(t, cp, n, head)))
        head++;
    int fixes = 0;
    era_pick pick = {-1, 0, 0, 1.0f, false};
    if (head > 0) {
        size_t nn = norm_strip_spaces(cp, head, name);
        int exact = nn ? era_exact(t, name, nn) : -1;
        if (exact >= 0) {
            pick.era = exact;
        } else if (nn > NORM_TERM_MAX) {
            return unparseable(out, "too long for an era name");
        } else if (nn) {
            /* A misread numeral may have joined the name (昭和土二年): every shorter name whose
               cut-off tail reads as numerals is tried too, and the closest match wins (the
               longer name on a tie). */
            size_t cut = head;
            era_pick best = {-1, 0, 0, 0.0f, false};
            lr_norm_date best_alt;
            memset(&best_alt, 0, sizeof best_alt);
            for (size_t p = head; p >= 1; p--) {
                if (p < head && !fixable(t, cp[p]))
                    break;
                size_t pn = norm_strip_spaces(cp, p, name);
                if (!pn)
                    continue;
                era_pick pk = {-1, 0, 0, 0.0f, false};
                if (rank_eras(t, name, pn, out, &pk) != LR_OK)
                    return lr_error_set(err, LR_ERR_NOMEM, "out of memory matching an era");
                /* the whole head is the baseline (its alternatives are reported when nothing
                   matches); a shorter name replaces it only by matching better */
                if (p == head || (pk.era >= 0 && (best.era < 0 || pk.cost < best.cost))) {
                    best = pk;
                    cut = p;
                    memcpy(best_alt.era_alt, out->era_alt, sizeof out->era_alt);
                    best_alt.nera_alt = out->nera_alt;
                }
            }
            pick = best;
            memcpy(out->era_alt, best_alt.era_alt, sizeof out->era_alt);
            out->nera_alt = best_alt.nera_alt;
            nn = norm_strip_spaces(cp, cut, name);
            /* An unknown or tied name is left to the year: 植紀四二八六年 is one character
             * from 檀紀 and from 西紀, and only 檀紀 has a year 4286 (below, where a year
             * names its era). */
            char u[LR_NORM_REASON_SIZE / 2];
            if (pick.era < 0)
                snprintf(unsure, sizeof unsure, "unknown era \"%s\"",
                         norm_cps_utf8(name, nn, u, sizeof u));
            else if (pick.ambiguous)
                snprintf(unsure, sizeof unsure, "era \"%s\" is as close to %s as to %s",
                         norm_cps_utf8(name, nn, u, sizeof u), out->era_alt[0].label,
                         out->era_alt[1].label);
            if (unsure[0])
                pick.era = -1;
            head = cut;
        }
        if (pick.era >= 0 && out->nera_alt == 0) {
            /* exact: the era is its own only alternative */
            out->nera_alt = 1;
            norm_copy(out->era_alt[0].key, sizeof out->era_alt[0].key, t->eras[pick.era].key);
            norm_cps_utf8(name, norm_strip_spaces(cp, head, name), out->era_alt[0].label,
                          sizeof out->era_alt[0].label);
            out->era_alt[0].score = 1.0f;
        }
    }
    int era = pick.era;
    bool defaulted = false;
    if (era < 0 && default_index >= 0 && !unsure[0]) {
        era = default_index;
        defaulted = true;
    }

    /* The body: numbers with markers (年 月 日, 년 월 일) or separators (. / - space). */
    size_t bn = n - head;
    uint32_t *body = cp + head;
    fixes += norm_fix_lookalikes(t, body, bn, NORM_CTX_DATE | NORM_CTX_NUMERAL, date_alphabet);
    fixes += fix_day_marker(body, bn);
    int64_t field[3] = {0, 0, 0};
    bool have[3] = {false, false, false};
    int year_digits = 0; /* digits the year was written with, for two-digit years */
    int markers_guessed = 0;
    int next = F_YEAR;
    size_t i = 0;
    size_t trailing = bn;
    while (i < bn) {
        while (i < bn && body[i] == ' ')
            i++;
        if (i >= bn)
            break;
        size_t start = i;
        norm_numeral v;
        memset(&v, 0, sizeof v);
        if (body[i] == ZHENG && i + 1 < bn && marker_field(body[i + 1]) == F_MONTH) {
            v.value = 1;
            i++;
        } else {
            while (i < bn && norm_is_numeral_char(body[i]))
                i++;
            if (i == start) {
                trailing = start;
                break;
            }
            if (!norm_parse_numeral_cp(body + start, i - start, &v, why, sizeof why)) {
                char msg[LR_NORM_REASON_SIZE + 32];
                snprintf(msg, sizeof msg, "bad number in the date: %s", why);
                return unparseable(out, msg);
            }
        }
        size_t digits = i - start;
        size_t j = i;
        while (j < bn && body[j] == ' ')
            j++;
        int f = j < bn ? marker_field(body[j]) : -1;
        if (f >= 0) {
            i = j + 1;
        } else {
            f = next;
            if (i < bn && is_sep(body[i]))
                i++;
            else if (misread_marker(body, bn, j)) {
                /* 1980 년 1 열 21 일: a syllable where a marker stands, between two numbers,
                 * is the marker that belongs there (월 read 열, 걸, 얼). The cell was read
                 * badly, so its digits are doubtful too (1986 년 1 멸 for 1980): flagged. */
                i = j + 1;
                fixes++;
                markers_guessed++;
            }
        }
        if (f < next)
            return unparseable(out, "year, month and day out of order");
        field[f] = v.value;
        have[f] = true;
        if (f == F_YEAR)
            year_digits = (int)digits;
        next = f + 1;
        if (next > F_DAY) {
            trailing = i;
            break;
        }
    }
    while (trailing < bn && body[trailing] == ' ')
        trailing++;
    if (!have[F_YEAR] && !have[F_MONTH] && !have[F_DAY])
        return unsure[0] ? unsure_era(out, unsure)
                         : unparseable(out, head ? "an era but no year" : "no date");

    out->note.distance = fixes + (pick.era >= 0 ? pick.ops : 0);
    float score = pick.era >= 0 ? pick.score : 1.0f;
    score *= norm_fixes_score(fixes);
    out->note.score = score;
    norm_note_fixes(&out->note, fixes);
    if (markers_guessed)
        norm_flag(&out->note, "a marker misread");
    if (pick.era >= 0 && pick.cost > 0)
        norm_note_add(&out->note, "era read as %s", t->eras[pick.era].name);
    if (trailing < bn) {
        char u[96];
        norm_flag(&out->note, "text after the date: \"%s\"",
                  norm_cps_utf8(body + trailing, bn - trailing, u, sizeof u));
    }
    norm_flag_invalid(&out->note, invalid);
    if (field[F_MONTH] > 99 || field[F_DAY] > 99)
        return unparseable(out, "month or day too large");
    out->month = (int)field[F_MONTH];
    out->day = (int)field[F_DAY];

    if (!have[F_YEAR]) {
        norm_flag(&out->note, "no year");
        out->precision = LR_DATE_NONE;
        return LR_OK;
    }

    /* The Gregorian year. */
    const norm_era *e = NULL;
    char yb[16], b1[16];
    if (era >= 0) {
        e = &t->eras[era];
        norm_copy(out->era, sizeof out->era, e->key);
        norm_copy(out->era_name, sizeof out->era_name, e->name);
        if (field[F_YEAR] > 99999)
            return unparseable(out, "year too large");
        out->era_year = (int)field[F_YEAR];
        out->year = out->era_year + e->offset;
        if (defaulted)
            norm_note_add(&out->note, "era %s from the column", e->name);
        if (out->era_year < 1) {
            snprintf(yb, sizeof yb, "%d", out->era_year);
            flag(out, "year %s of %s does not exist", yb, e->name, "");
            out->precision = LR_DATE_NONE;
            return LR_OK;
        } else if (e->last_year && out->era_year > e->last_year) {
            snprintf(yb, sizeof yb, "%d", out->era_year);
            snprintf(b1, sizeof b1, "%d", e->last_year);
            flag(out, "year %s out of range for %s (1–%s)", yb, e->name, b1);
        }
    } else {
        int64_t y = field[F_YEAR];
        int dangi = era_by_key(t, "dangi"), seogi = era_by_key(t, "seogi");
        if (y >= 4000 && y <= 4999 && dangi >= 0) {
            /* 檀紀 years need no era name to be recognised (4290.5.3) */
            e = &t->eras[dangi];
            out->era_year = (int)y;
            out->year = (int)y + e->offset;
            norm_copy(out->era, sizeof out->era, e->key);
            norm_copy(out->era_name, sizeof out->era_name, e->name);
            norm_note_add(&out->note, "%s read from the year %d", e->name, (int)y);
        } else if (y >= 1000 && y <= 9999) {
            out->year = (int)y;
            if (seogi >= 0)
                e = &t->eras[seogi];
        } else if (y >= 0 && y <= 99 && year_digits == 2 && !unsure[0]) {
            out->year = 1900 + (int)y;
            out->note.score *= 0.9f;
            norm_note_add(&out->note, "two-digit year %02d read as %d", (int)y, out->year);
            if (seogi >= 0)
                e = &t->eras[seogi];
        } else {
            if (unsure[0])
                return unsure_era(out, unsure);
            norm_flag(&out->note, "year %lld without an era", (long long)y);
            out->year = y <= 99999 ? (int)y : 0;
            out->precision = LR_DATE_NONE;
            return LR_OK;
        }
    }
    if (unsure[0]) {
        /* The year decides only for an era among the closest to the name read. */
        int named = -1;
        for (int k = 0; e && k < out->nera_alt && out->era_alt[k].score > 0.0f &&
                        out->era_alt[k].score == out->era_alt[0].score;
             k++)
            if (strcmp(out->era_alt[k].key, e->key) == 0)
                named = k;
        if (named < 0)
            return unsure_era(out, unsure);
        out->note.score *= out->era_alt[named].score;
        out->note.distance += out->era_alt[named].distance;
        norm_note_add(&out->note, "%s; the year is %s's", unsure, e->name);
    }
    if (out->year < 1 || out->year > 9999) {
        norm_flag(&out->note, "year %d cannot be a date", out->year);
        out->precision = LR_DATE_NONE;
        return LR_OK;
    }

    /* The calendar. */
    out->precision = have[F_DAY] && have[F_MONTH] ? LR_DATE_DAY
                     : have[F_MONTH]              ? LR_DATE_MONTH
                                                  : LR_DATE_YEAR;
    if (have[F_DAY] && !have[F_MONTH])
        norm_flag(&out->note, "a day without a month");
    if (have[F_MONTH] && (out->month < 1 || out->month > 12)) {
        norm_flag(&out->note, "month %d does not exist", out->month);
        out->precision = LR_DATE_NONE;
        return LR_OK;
    }
    if (out->precision == LR_DATE_DAY &&
        (out->day < 1 || out->day > norm_days_in_month(out->year, out->month))) {
        norm_flag(&out->note, "day %d does not exist in %04d-%02d", out->day, out->year,
                  out->month);
        out->precision = LR_DATE_NONE;
        return LR_OK;
    }
    set_iso(out);
    if (out->precision != LR_DATE_DAY)
        norm_flag(&out->note, "no %s", out->precision == LR_DATE_YEAR ? "month and day" : "day");

    /* The era's period: the date (or the span of a year or month) must touch it. */
    if (e) {
        int32_t first, last;
        norm_iso_span(out->iso, &first, &last);
        bool year_flagged = e->last_year && out->era_year > e->last_year;
        if (!year_flagged && last < e->start) {
            ymd_text(e->start, b1);
            flag(out, "%s is before the start of %s (%s)", out->iso, e->name, b1);
        } else if (!year_flagged && first > e->end) {
            ymd_text(e->end, b1);
            flag(out, "%s is after the end of %s (%s)", out->iso, e->name, b1);
        } else if (!year_flagged && last < e->korea_from) {
            ymd_text(e->korea_from, b1);
            flag(out, "%s is before %s came into use in Korea (%s)", out->iso, e->name, b1);
        } else if (!year_flagged && first > e->korea_to) {
            ymd_text(e->korea_to, b1);
            flag(out, "%s is after %s went out of use in Korea (%s)", out->iso, e->name, b1);
        }
    }
    return LR_OK;
}
