/* category.c — land categories (지목) as written to the modern two-digit code, through
 * categories.tsv: one row per category and the period it existed (domain.md §2), so that the
 * same one-character 부호 can mean different categories in different eras (사: 社寺地 until
 * 1975, 史蹟地 from 1976). */
#include "norm_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool valid_in(const norm_category *c, int32_t first, int32_t last)
{
    return c->from <= last && c->to >= first;
}

static void fill(lr_norm_category *out, const norm_category *c)
{
    memcpy(out->code, c->code, sizeof out->code);
    norm_copy(out->modern, sizeof out->modern, c->modern);
    norm_copy(out->written, sizeof out->written, c->hanja[0] ? c->hanja : c->hangul);
    norm_copy(out->hangul, sizeof out->hangul, c->hangul);
}

static int unparseable(lr_norm_category *out, const char *why)
{
    out->code[0] = out->modern[0] = out->written[0] = out->hangul[0] = '\0';
    return norm_unparseable(&out->note, "%s", why);
}

static void date_phrase(const char *date, char *buf, size_t size)
{
    size_t n = strlen(date);
    snprintf(buf, size, "%s %s", n == 10 ? "on" : "in", date);
}

/* Picks among rows: those valid at the date if any, and says whether they agree on one code.
 * rows: candidate row indices (n > 0). Returns the chosen row or -1 when ambiguous;
 * *out_valid says whether the choice was valid at the date. */
static int choose(const lr_norm_tables *t, const int *rows, int n, bool dated, int32_t first,
                  int32_t last, bool *out_valid)
{
    int pick = -1;
    bool any_valid = false;
    for (int i = 0; dated && i < n; i++)
        if (valid_in(&t->cats[rows[i]], first, last))
            any_valid = true;
    for (int i = 0; i < n; i++) {
        const norm_category *c = &t->cats[rows[i]];
        if (any_valid && !valid_in(c, first, last))
            continue;
        if (pick < 0)
            pick = rows[i];
        else if (strcmp(t->cats[pick].code, c->code) != 0)
            return -1;
    }
    *out_valid = !dated || any_valid;
    return pick;
}

int lr_norm_match_category(const lr_norm_tables *t, const char *text, size_t len, const char *date,
                           lr_norm_category *out, lr_error *err)
{
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    char why[LR_NORM_REASON_SIZE];
    int *rows = NULL;
    norm_cand *cand = NULL;
    int rc = LR_OK;
    if (out)
        norm_result_clear(out, sizeof *out, &out->note);
    if (!out || !t || (!text && len > 0))
        return lr_error_set(err, LR_ERR_ARG, "no tables, text or result for a category");
    int32_t first = 0, last = 0;
    bool dated = date && *date;
    if (dated && !norm_iso_span(date, &first, &last))
        return lr_error_set(err, LR_ERR_ARG, "date \"%s\" is not YYYY, YYYY-MM or YYYY-MM-DD",
                            date);
    rc = norm_read_input(text, len, "a category", &out->note, cp, &n, &invalid, err);
    if (rc != LR_OK || n == 0)
        return rc;
    size_t m = norm_strip_spaces(cp, n, cp);

    /* "(08) 대", "(08)", "08": the modern print writes the code before the name */
    char code[3] = "";
    size_t s = 0;
    if (m >= 3 && cp[0] == '(') {
        size_t k = 1;
        while (k < m && k < 4 && cp[k] >= '0' && cp[k] <= '9')
            k++;
        if (k > 1 && k <= 3 && k < m && cp[k] == ')') {
            snprintf(code, sizeof code, "%02d",
                     (int)(k == 2 ? cp[1] - '0' : (cp[1] - '0') * 10 + cp[2] - '0'));
            s = k + 1;
        }
    } else if (m <= 2 && cp[0] >= '0' && cp[0] <= '9' && cp[m - 1] >= '0' && cp[m - 1] <= '9') {
        snprintf(code, sizeof code, "%02d",
                 (int)(m == 1 ? cp[0] - '0' : (cp[0] - '0') * 10 + cp[1] - '0'));
        s = m;
    }
    const uint32_t *name = cp + s;
    size_t nn = m - s;
    if (nn > 2 * NORM_TERM_MAX)
        return unparseable(out, "too long for a category");

    rows = malloc((t->ncats + 1) * sizeof *rows);
    if (!rows) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory matching a category");
        goto done;
    }
    out->note.status = LR_NORM_OK;
    out->note.reason[0] = '\0';
    out->note.score = 1.0f;
    int pick = -1, nrows = 0;
    bool valid = true;

    if (nn == 0) {
        /* the code alone: the row of that code valid at the date, else the latest */
        for (size_t i = 0; i < t->ncats; i++)
            if (strcmp(t->cats[i].code, code) == 0)
                rows[nrows++] = (int)i;
        if (nrows == 0) {
            snprintf(why, sizeof why, "no category with code %s", code);
            unparseable(out, why);
            goto done;
        }
        pick = rows[nrows - 1];
        for (int i = 0; i < nrows; i++)
            if (dated ? valid_in(&t->cats[rows[i]], first, last) : t->cats[rows[i]].to == 99991231)
                pick = rows[i];
        fill(out, &t->cats[pick]);
        /* the code is the modern category; name it so */
        norm_copy(out->written, sizeof out->written, t->cats[pick].modern);
        out->nalt = 1;
        norm_copy(out->alt[0].key, sizeof out->alt[0].key, code);
        snprintf(out->alt[0].label, sizeof out->alt[0].label, "(%s)", code);
        out->alt[0].score = 1.0f;
        /* the print writes the code with two digits: one alone is as likely a mark misread
         * (〃 read 7 on the generated cards) */
        if (m == 1)
            norm_flag(&out->note, "a one-digit code");
        goto done;
    }

    int nc = norm_rank(t, t->cat_terms, t->ncat_terms, name, nn, false, &cand);
    if (nc < 0) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory matching a category");
        goto done;
    }
    /* alternatives by code, best first */
    for (int i = 0; i < nc && out->nalt < LR_NORM_ALT_MAX && cand[i].score > 0.0f; i++) {
        const norm_category *c = &t->cats[cand[i].owner];
        bool seen = false;
        for (int k = 0; k < out->nalt; k++)
            seen = seen || strcmp(out->alt[k].key, c->code) == 0;
        if (seen)
            continue;
        lr_norm_match *a = &out->alt[out->nalt++];
        norm_copy(a->key, sizeof a->key, c->code);
        norm_copy(a->label, sizeof a->label, t->cat_terms[cand[i].term].text);
        a->score = cand[i].score;
        a->distance = cand[i].ops;
    }
    char u[LR_NORM_REASON_SIZE / 2];
    norm_cps_utf8(name, nn, u, sizeof u);
    if (nc == 0 || !cand[0].accepted) {
        snprintf(why, sizeof why, "no category like \"%s\"", u);
        unparseable(out, why);
        goto done;
    }
    /* every row as close as the best one */
    for (int i = 0; i < nc && cand[i].accepted && cand[i].cost == cand[0].cost; i++)
        rows[nrows++] = cand[i].owner;
    pick = choose(t, rows, nrows, dated, first, last, &valid);
    out->note.score = cand[0].score;
    out->note.distance = cand[0].ops;
    if (pick < 0) {
        out->note.status = LR_NORM_FLAGGED;
        out->note.score /= 2;
        norm_note_add(&out->note, "\"%s\" is %s or %s%s", u, out->alt[0].key,
                      out->nalt > 1 ? out->alt[1].key : "?",
                      dated ? " at that date" : ": give the entry's date");
        goto done;
    }
    fill(out, &t->cats[pick]);
    if (cand[0].cost > 0)
        norm_note_add(&out->note, "read as %s",
                      t->cats[pick].hanja[0] ? t->cats[pick].hanja : t->cats[pick].hangul);
    if (!valid) {
        char when[24];
        date_phrase(date, when, sizeof when);
        norm_flag(&out->note, "category %s did not exist %s", out->written, when);
    }
    if (code[0] && strcmp(code, out->code) != 0)
        norm_flag(&out->note, "code (%s) and name %s (%s) disagree", code, u, out->code);
    norm_flag_invalid(&out->note, invalid);
done:
    free(rows);
    free(cand);
    return rc;
}
