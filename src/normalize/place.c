/* place.c — the first administrative unit of an address or a location, repaired by
 * places.tsv (normalize.h, lr_norm_place_fix; docs/normalize.md, "Places"). The unit's kind
 * (道, 府, 特別市 …) must be read right; the name before it may be misread. */
#include <stdio.h>
#include <string.h>

#include "norm_internal.h"

/* The text's first non-space characters, and where each stands in it. */
typedef struct head {
    uint32_t cp[NORM_TERM_MAX + 2];
    size_t at[NORM_TERM_MAX + 2];
    int n;
} head;

/* Characters of name's stem misread in the text's head, read as a stem of one character more
 * or less than the name's (a character dropped or split in two) and then the name's kind
 * exactly (edit operations, norm_distance); -1 when the kind is not there. *out_end: the
 * index in the text just past the kind. */
static int stem_edits(const lr_norm_tables *t, const norm_place *p, const head *h,
                      size_t *out_end)
{
    int stem = p->n - p->suffix_n, best = -1;
    for (int len = stem > 1 ? stem - 1 : 1; len <= stem + 1; len++) {
        if (len + p->suffix_n > h->n ||
            memcmp(h->cp + len, p->cp + stem, (size_t)p->suffix_n * sizeof *h->cp) != 0)
            continue;
        int cost = 0, ops = 0;
        norm_distance(t, h->cp, (size_t)len, p->cp, (size_t)stem, false, &cost, &ops);
        if (best < 0 || ops < best) {
            best = ops;
            *out_end = h->at[len + p->suffix_n - 1] + 1;
        }
    }
    return best;
}

/* Whether an address may hold c: not when the look-alikes table marks it "address". */
static bool address_char(const lr_norm_tables *t, uint32_t c)
{
    for (size_t k = 0; k < t->nlooks; k++)
        if (t->looks[k].seen == c && (t->looks[k].where & NORM_CTX_ADDRESS))
            return false;
    return true;
}

/* Whether a and b are of one kind and length (compete for the same misread text). */
static bool same_shape(const norm_place *a, const norm_place *b)
{
    return a->n == b->n && a->suffix_n == b->suffix_n &&
           memcmp(a->cp + a->n - a->suffix_n, b->cp + b->n - b->suffix_n,
                  (size_t)a->suffix_n * sizeof *a->cp) == 0;
}

/* The longest junk a misread unit leaves (京畿道 read 그런, 제 풀 별), per unit missing. */
#define JUNK_MAX 4

/* Whether some unit of the table is read exactly in cp[0..n). */
static bool holds_unit(const lr_norm_tables *t, const uint32_t *cp, int n)
{
    for (size_t k = 0; k < t->nplaces; k++) {
        const norm_place *p = &t->places[k];
        for (int i = 0; i + p->n <= n; i++)
            if (memcmp(cp + i, p->cp, (size_t)p->n * sizeof *cp) == 0)
                return true;
    }
    return false;
}

/* Whether cp[0..n) is one of the units up[0..nup) written without its kind (서울 for
 * 서울특별시, 종로 for 종로구, 京畿 for 京畿道): a name written short, not junk. */
static bool names_missing(const lr_norm_tables *t, const int *up, int nup, const uint32_t *cp,
                          int n)
{
    for (int i = 0; i < nup; i++) {
        const norm_place *m = &t->places[up[i]];
        if (m->n - m->suffix_n == n && memcmp(m->cp, cp, (size_t)n * sizeof *cp) == 0)
            return true;
    }
    return false;
}

/* What units_after_junk found: the unit named, the units above it the junk stands for
 * (indices into places, outermost first), the junk's characters. */
typedef struct junk_fix {
    const norm_place *named;
    int miss[NORM_PLACE_LEVELS], nmiss;
    int junk;
} junk_fix;

/* Units read as junk from h's character start on: the junk (1 to JUNK_MAX characters for each
 * unit missing, holding no unit of the table) and then a unit of the table named exactly
 * whose units above it run through `above` (the unit read before the junk; NULL: none read)
 * — 그런 廣州郡 (京畿道 missing), 京畿道 유재 東面 (始興郡 missing), 그 싸커 蘆海面 (京畿道 楊州郡
 * missing). The least junk wins; two readings with as little: none. Returns whether one was
 * found, into *out. */
static bool units_after_junk(const lr_norm_tables *t, const head *h, int start,
                             const norm_place *above, junk_fix *out)
{
    memset(out, 0, sizeof *out);
    bool tie = false;
    for (size_t k = 0; k < t->nplaces; k++) {
        const norm_place *p = &t->places[k];
        int from = 0;
        if (above) {
            from = -1;
            for (int i = 0; i < p->nup; i++)
                if (&t->places[p->up[i]] == above)
                    from = i + 1;
            if (from < 0)
                continue;
        }
        int nmiss = p->nup - from;
        if (nmiss == 0)
            continue;
        for (int at = 1; at <= JUNK_MAX * nmiss && start + at + p->n <= h->n; at++) {
            if (memcmp(h->cp + start + at, p->cp, (size_t)p->n * sizeof *h->cp) != 0 ||
                holds_unit(t, h->cp + start, at) ||
                names_missing(t, p->up + from, nmiss, h->cp + start, at))
                continue;
            bool same = out->named && out->nmiss == nmiss &&
                        memcmp(out->miss, p->up + from, (size_t)nmiss * sizeof *p->up) == 0;
            if (!out->named || at < out->junk) {
                out->named = p;
                out->junk = at;
                out->nmiss = nmiss;
                memcpy(out->miss, p->up + from, (size_t)nmiss * sizeof *p->up);
                tie = false;
            } else if (at == out->junk && !same) {
                tie = true;
            }
            break;
        }
    }
    return out->named && !tie;
}

/* The missing units of f, each followed by a space, appended to buf. */
static void put_missing(const lr_norm_tables *t, const junk_fix *f, char *buf, size_t size)
{
    for (int i = 0; i < f->nmiss; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s ", t->places[f->miss[i]].text);
    }
}

/* The words that follow a number in an address: the lot (番地) and the block of a town
 * (丁目: 三丁目). Read after a number with one of their two characters wrong (二七看地, 二耳目),
 * or with both read as look-alikes of theirs (五了日), they are those words: no other word
 * follows a number there. Returns how many characters were replaced in cp. */
static int fix_number_words(const lr_norm_tables *t, uint32_t *cp, size_t n)
{
    static const uint32_t words[][2] = {{0x756A, 0x5730} /* 番地 */, {0x4E01, 0x76EE} /* 丁目 */};
    int fixed = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (!norm_is_numeral_char(cp[i]) || norm_is_numeral_char(cp[i + 1]))
            continue;
        size_t a = i + 1, b;
        while (a < n && cp[a] == ' ')
            a++;
        for (b = a + 1; b < n && cp[b] == ' '; b++)
            ;
        if (b >= n || norm_is_numeral_char(cp[a]))
            continue;
        for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
            bool first = cp[a] == words[w][0], second = cp[b] == words[w][1];
            bool looks = norm_is_lookalike(t, cp[a], words[w][0]) &&
                         norm_is_lookalike(t, cp[b], words[w][1]);
            if ((first && second) || !(first || second || looks))
                continue;
            fixed += !first + !second;
            cp[a] = words[w][0];
            cp[b] = words[w][1];
            break;
        }
    }
    return fixed;
}

int lr_norm_place_fix(const lr_norm_tables *t, const char *text, size_t len, lr_norm_place *out,
                      lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!t || !out || (!text && len))
        return lr_error_set(err, LR_ERR_ARG, "lr_norm_place_fix: NULL argument");
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    int rc = len ? norm_fold(text, len, cp, LR_NORM_INPUT_MAX, &n, &invalid) : LR_OK;
    if (rc == LR_ERR_TOO_LARGE)
        return LR_OK; /* beyond what a normaliser reads: no value */
    if (rc < 0)
        return lr_error_set(err, rc, "out of memory folding a place");

    out->repairs = norm_fix_lookalikes(t, cp, n, NORM_CTX_ADDRESS, address_char);
    out->repairs += fix_number_words(t, cp, n);

    head h = {.n = 0};
    for (size_t i = 0; i < n && h.n < NORM_TERM_MAX + 2; i++)
        if (cp[i] != ' ') {
            h.at[h.n] = i;
            h.cp[h.n++] = cp[i];
        }
    const norm_place *best = NULL;
    int best_edits = 0;
    size_t best_end = 0;
    bool tie = false;
    for (size_t k = 0; k < t->nplaces; k++) {
        const norm_place *p = &t->places[k];
        if (p->nup > 1)
            continue; /* a 面 is no address's first unit */
        size_t end = 0;
        int e = stem_edits(t, p, &h, &end);
        /* a 구 of two characters one off is a guess too far (서 이구 for 서울特別市 read as
         * 서초구) */
        if (e < 0 || (p->derived && e > 0))
            continue;
        if (!best || e < best_edits || (e == best_edits && p->n > best->n)) {
            tie = best && e == best_edits && same_shape(best, p);
            best = p;
            best_edits = e;
            best_end = end;
        } else if (e == best_edits && same_shape(best, p)) {
            tie = true;
        }
    }
    if (best && best_edits > 0) {
        /* Near enough: the only name that near and at most every other character off, or the
         * only name of its kind and length at all when that kind is two characters or more
         * (特別市 read right says 서울; 府 alone might be 仁川府). */
        int stem = best->n - best->suffix_n, rivals = 0;
        for (size_t k = 0; k < t->nplaces; k++)
            rivals += &t->places[k] != best && same_shape(&t->places[k], best);
        if (tie || (2 * best_edits > stem && (rivals > 0 || best->suffix_n < 2)))
            best = NULL;
    }
    size_t from = 0;
    junk_fix f;
    if (!best) {
        if (units_after_junk(t, &h, 0, NULL, &f)) {
            norm_copy(out->place, sizeof out->place, t->places[f.miss[0]].text);
            put_missing(t, &f, out->value, sizeof out->value);
            out->edits = f.junk;
            from = h.at[f.junk];
        }
    } else {
        norm_copy(out->place, sizeof out->place, best->text);
        out->edits = best_edits;
        norm_cps_utf8(best->cp, (size_t)best->n, out->value, sizeof out->value);
        from = best_end;
        /* the unit after it read as junk (京畿道 유재 東面) */
        int next = 0;
        while (next < h.n && h.at[next] < best_end)
            next++;
        if (units_after_junk(t, &h, next, best, &f)) {
            size_t used = strlen(out->value);
            snprintf(out->value + used, sizeof out->value - used, " ");
            put_missing(t, &f, out->value, sizeof out->value);
            out->edits += f.junk;
            from = h.at[next + f.junk];
        }
    }
    size_t used = strlen(out->value);
    norm_cps_utf8(cp + from, n - from, out->value + used, sizeof out->value - used);
    return LR_OK;
}
