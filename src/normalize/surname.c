/* surname.c — an owner's name checked against the surnames of its script (surnames.tsv), the
 * names of institutions (owner_markers.tsv) and the 創氏改名 years left alone. */
#include "norm_internal.h"

#include <stdio.h>
#include <string.h>

#include "landrec/text.h"

/* Hangul syllables: U+AC00 + (initial * 21 + vowel) * 28 + final. */
#define HANGUL_FIRST 0xAC00u
#define HANGUL_LAST 0xD7A3u

/* Whether a and b are Hangul syllables that differ in exactly one of their three jamo. */
static bool one_jamo_apart(uint32_t a, uint32_t b)
{
    if (a < HANGUL_FIRST || a > HANGUL_LAST || b < HANGUL_FIRST || b > HANGUL_LAST || a == b)
        return false;
    uint32_t x = a - HANGUL_FIRST, y = b - HANGUL_FIRST;
    int diff = (x / 588 != y / 588) + (x / 28 % 21 != y / 28 % 21) + (x % 28 != y % 28);
    return diff == 1;
}

/* The cost, in quarter edits, of reading surname s where the name has cp[0..s->n): the sum
 * over its characters of a look-alike pair (NORM_COST_LOOK), one jamo (NORM_COST_EDIT) or
 * nothing when equal; -1 when a character is none of these. */
static int surname_cost(const lr_norm_tables *t, const norm_surname *s, const uint32_t *cp)
{
    int cost = 0;
    for (int i = 0; i < s->n; i++) {
        if (cp[i] == s->cp[i])
            continue;
        if (norm_is_lookalike(t, cp[i], s->cp[i]))
            cost += NORM_COST_LOOK;
        else if (s->hangul && one_jamo_apart(cp[i], s->cp[i]))
            cost += NORM_COST_EDIT;
        else
            return -1;
    }
    return cost;
}

/* Whether an entry before surnames[i] has its spelling. */
static bool spelled_before(const lr_norm_tables *t, size_t i)
{
    const norm_surname *s = &t->surnames[i];
    for (size_t j = 0; j < i; j++) {
        const norm_surname *o = &t->surnames[j];
        if (o->hangul == s->hangul && o->n == s->n &&
            memcmp(o->cp, s->cp, (size_t)s->n * sizeof *s->cp) == 0)
            return true;
    }
    return false;
}

static bool holds(const uint32_t *cp, size_t n, const norm_marker *m)
{
    if (m->whole)
        return n == (size_t)m->n && memcmp(cp, m->cp, n * sizeof *cp) == 0;
    for (size_t i = 0; i + (size_t)m->n <= n; i++)
        if (memcmp(cp + i, m->cp, (size_t)m->n * sizeof *cp) == 0)
            return true;
    return false;
}

/* Whether the row's date (ISO, any precision) falls within the 創氏改名 years. */
static bool soshi_years(const char *date)
{
    int32_t first, last;
    return date && norm_iso_span(date, &first, &last) && last >= LR_NORM_SOSHI_FROM &&
           first <= LR_NORM_SOSHI_TO;
}

int lr_norm_check_surname(const lr_norm_tables *t, const char *text, size_t len,
                          const char *date, lr_norm_surname *out, lr_error *err)
{
    if (!out)
        return lr_error_set(err, LR_ERR_ARG, "no place for the result");
    norm_result_clear(out, sizeof *out, &out->note);
    if (!t || !text)
        return lr_error_set(err, LR_ERR_ARG, "no tables or name");
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    norm_note(&out->note, LR_NORM_OK, "%s", "");
    out->note.score = 1;
    int rc = norm_read_input(text, len, "a name", &out->note, cp, &n, &invalid, err);
    if (rc != LR_OK || out->note.status == LR_NORM_UNPARSEABLE || n == 0)
        return rc;
    n = norm_strip_spaces(cp, n, cp);
    if (n < 2) /* one character: no surname and name to tell apart (fieldnorm: "short") */
        return LR_OK;
    for (size_t i = 0; i < t->nmarkers; i++)
        if (holds(cp, n, &t->markers[i])) {
            out->kind = LR_OWNER_INSTITUTION;
            return LR_OK;
        }
    bool hangul = lr_text_is_hangul(cp[0]);
    /* a compound surname first: 南宮 is no 南 */
    const norm_surname *found = NULL;
    for (int want = 2; want >= 1 && !found; want--)
        for (size_t i = 0; i < t->nsurnames && !found; i++) {
            const norm_surname *s = &t->surnames[i];
            if (s->n == want && s->hangul == hangul && (size_t)s->n < n &&
                memcmp(cp, s->cp, (size_t)s->n * sizeof *cp) == 0)
                found = s;
        }
    if (found) {
        out->kind = LR_OWNER_PERSON;
        norm_cps_utf8(found->cp, (size_t)found->n, out->surname, sizeof out->surname);
        return LR_OK;
    }
    if (soshi_years(date)) {
        out->kind = LR_OWNER_SOSHI;
        norm_note(&out->note, LR_NORM_OK, "no Korean surname, in the 創氏改名 years");
        return LR_OK;
    }
    out->kind = LR_OWNER_UNKNOWN;
    char first[8];
    norm_flag(&out->note, "\"%s\" begins no %s surname", norm_cp_utf8(cp[0], first),
              hangul ? "Hangul" : "Hanja");
    out->note.score = 0.5f;
    /* The surnames one costed edit away: the cheapest, if it is alone at its cost. */
    const norm_surname *best = NULL;
    int best_cost = -1, at_best = 0;
    for (size_t i = 0; i < t->nsurnames; i++) {
        const norm_surname *s = &t->surnames[i];
        if (s->hangul != hangul || (size_t)s->n >= n)
            continue;
        int cost = surname_cost(t, s, cp);
        if (cost <= 0 || cost > NORM_COST_EDIT)
            continue;
        if (spelled_before(t, i))
            continue; /* the same spelling from another row (李 of 李 이 and 李 리) */
        if (best_cost < 0 || cost < best_cost) {
            best = s;
            best_cost = cost;
            at_best = 1;
        } else if (cost == best_cost) {
            at_best++;
        }
    }
    if (best && at_best == 1) {
        uint32_t fixed[LR_NORM_INPUT_MAX];
        memcpy(fixed, cp, n * sizeof *cp);
        memcpy(fixed, best->cp, (size_t)best->n * sizeof *cp);
        norm_cps_utf8(fixed, n, out->suggest, sizeof out->suggest);
        norm_note_add(&out->note, "%s one edit away", norm_cps_utf8(best->cp, (size_t)best->n,
                                                                      first, sizeof first));
    }
    return LR_OK;
}
