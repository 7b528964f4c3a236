/* event.c — parcel events and owner-change causes to the export's closed vocabulary, through
 * events.tsv (surface forms per token and side, and the codes modern prints write as "(NN)").
 * A form may sit anywhere in the text ("분할되어 본번에 -1을 부함"): the longest form found
 * decides; without one, the closest form within the edit-distance limit. */
#include "norm_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZY_TEXT_MAX 256 /* code points searched approximately; exact search covers all */

static const char *const tokens[LR_EVENT_KIND_COUNT] = {
    "other",       "assessment", "split",    "merge",        "category_change", "new_registration",
    "conversion",  "correction", "transfer", "preservation", "inheritance",     "address_change",
    "name_change",
};

const char *lr_norm_event_token(lr_norm_event_kind kind)
{
    if ((int)kind < 0 || kind >= LR_EVENT_KIND_COUNT)
        return "other";
    return tokens[kind];
}

int lr_norm_event_kind_of(const char *token, lr_norm_event_kind *out_kind)
{
    if (out_kind)
        *out_kind = LR_EVENT_OTHER;
    if (!token || !out_kind)
        return LR_ERR_ARG;
    for (int k = 0; k < LR_EVENT_KIND_COUNT; k++)
        if (strcmp(tokens[k], token) == 0) {
            *out_kind = (lr_norm_event_kind)k;
            return LR_OK;
        }
    return LR_ERR_ARG;
}

static unsigned side_bits(lr_norm_side side)
{
    return side == LR_SIDE_LAND ? 1u : side == LR_SIDE_OWNER ? 2u : 3u;
}

static bool contains(const uint32_t *a, size_t na, const norm_term *p)
{
    size_t np = (size_t)p->n;
    for (size_t i = 0; i + np <= na; i++)
        if (memcmp(a + i, p->cp, np * sizeof *a) == 0)
            return true;
    return false;
}

static void set_kind(lr_norm_event *out, lr_norm_event_kind k)
{
    out->kind = k;
    out->token = lr_norm_event_token(k);
}

static void add_alt(lr_norm_event *out, lr_norm_event_kind k, const char *label, float score,
                    int distance)
{
    for (int i = 0; i < out->nalt; i++)
        if (strcmp(out->alt[i].key, lr_norm_event_token(k)) == 0)
            return;
    if (out->nalt >= LR_NORM_ALT_MAX)
        return;
    lr_norm_match *m = &out->alt[out->nalt++];
    norm_copy(m->key, sizeof m->key, lr_norm_event_token(k));
    norm_copy(m->label, sizeof m->label, label);
    m->score = score;
    m->distance = distance;
}

int lr_norm_match_event(const lr_norm_tables *t, const char *text, size_t len, lr_norm_side side,
                        lr_norm_event *out, lr_error *err)
{
    uint32_t cp[LR_NORM_INPUT_MAX];
    size_t n = 0;
    bool invalid = false;
    norm_term *terms = NULL;
    norm_cand *cand = NULL;
    int rc = LR_OK;
    if (out) {
        norm_result_clear(out, sizeof *out, &out->note);
        set_kind(out, LR_EVENT_OTHER);
        out->code = -1;
    }
    if (!out || !t || (!text && len > 0))
        return lr_error_set(err, LR_ERR_ARG, "no tables, text or result for an event");
    if (side != LR_SIDE_ANY && side != LR_SIDE_LAND && side != LR_SIDE_OWNER)
        return lr_error_set(err, LR_ERR_ARG, "bad side %d", (int)side);
    rc = norm_read_input(text, len, "an event", &out->note, cp, &n, &invalid, err);
    if (rc != LR_OK || n == 0)
        return rc;
    size_t m = norm_strip_spaces(cp, n, cp);
    rc = LR_OK;
    unsigned bits = side_bits(side);

    /* "(20) …": the code of a modern print */
    size_t s = 0;
    int code_kind = -1;
    bool code_ambiguous = false;
    if (m >= 3 && cp[0] == '(') {
        size_t k = 1;
        int v = 0;
        while (k < m && k < 4 && cp[k] >= '0' && cp[k] <= '9')
            v = v * 10 + (int)(cp[k++] - '0');
        if (k > 1 && k <= 3 && k < m && cp[k] == ')') {
            out->code = v;
            s = k + 1;
            for (size_t r = 0; r < t->nevents; r++) {
                const norm_event_rule *e = &t->events[r];
                if (!(e->sides & bits))
                    continue;
                for (int c = 0; c < e->ncodes; c++)
                    if (e->codes[c] == v) {
                        if (code_kind >= 0 && code_kind != (int)e->kind)
                            code_ambiguous = true;
                        else
                            code_kind = (int)e->kind;
                    }
            }
        }
    }
    const uint32_t *body = cp + s;
    size_t nb = m - s;

    /* the forms of this side */
    terms = malloc((t->nevent_terms + 1) * sizeof *terms);
    if (!terms) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory matching an event");
        goto done;
    }
    size_t nt = 0;
    for (size_t k = 0; k < t->nevent_terms; k++)
        if (t->events[t->event_terms[k].owner].sides & bits)
            terms[nt++] = t->event_terms[k];

    /* exact: the longest form contained in the text */
    int best = -1;
    bool tie = false;
    for (size_t k = 0; k < nt && nb > 0; k++) {
        if (!contains(body, nb, &terms[k]))
            continue;
        lr_norm_event_kind kk = t->events[terms[k].owner].kind;
        if (best < 0 || terms[k].n > terms[best].n) {
            best = (int)k;
            tie = false;
        } else if (terms[k].n == terms[best].n && kk != t->events[terms[best].owner].kind) {
            tie = true;
        }
    }
    int text_kind = -1;
    float score = 1.0f;
    int distance = 0;
    char form[64] = "";
    if (best >= 0) {
        text_kind = (int)t->events[terms[best].owner].kind;
        norm_copy(form, sizeof form, terms[best].text);
        add_alt(out, (lr_norm_event_kind)text_kind, terms[best].text, 1.0f, 0);
    }
    if (nb > 0 && best < 0) {
        /* only without an exact form: the fuzzy search is the costly part */
        int nc =
            norm_rank(t, terms, nt, body, nb > FUZZY_TEXT_MAX ? FUZZY_TEXT_MAX : nb, true, &cand);
        if (nc < 0) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory matching an event");
            goto done;
        }
        for (int i = 0; i < nc; i++)
            if (cand[i].accepted)
                add_alt(out, t->events[cand[i].owner].kind, terms[cand[i].term].text, cand[i].score,
                        cand[i].ops);
        if (best < 0 && nc > 0 && cand[0].accepted) {
            text_kind = (int)t->events[cand[0].owner].kind;
            norm_copy(form, sizeof form, terms[cand[0].term].text);
            score = cand[0].score;
            distance = cand[0].ops;
            tie = nc > 1 && cand[1].accepted && cand[1].cost == cand[0].cost &&
                  cand[1].score == cand[0].score &&
                  t->events[cand[1].owner].kind != (lr_norm_event_kind)text_kind;
        }
    }

    out->note.status = LR_NORM_OK;
    out->note.reason[0] = '\0';
    out->note.score = score;
    out->note.distance = distance;
    char u[96];
    norm_cps_utf8(body, nb, u, sizeof u);
    if (code_kind >= 0 && !code_ambiguous) {
        set_kind(out, (lr_norm_event_kind)code_kind);
        snprintf(out->form, sizeof out->form, "(%02d)", out->code);
        if (text_kind >= 0 && text_kind != code_kind)
            norm_flag(&out->note, "code (%02d) is %s but the text reads %s", out->code,
                      lr_norm_event_token((lr_norm_event_kind)code_kind),
                      lr_norm_event_token((lr_norm_event_kind)text_kind));
        out->note.score = 1.0f;
        out->note.distance = 0;
    } else if (text_kind >= 0 && !tie) {
        set_kind(out, (lr_norm_event_kind)text_kind);
        norm_copy(out->form, sizeof out->form, form);
        if (distance)
            norm_note_add(&out->note, "read as %s", form);
        if (code_ambiguous)
            norm_note_add(&out->note, "code (%02d) fits several events; the text decided",
                          out->code);
        else if (out->code >= 0) {
            norm_flag(&out->note, "unknown code (%02d)", out->code);
        }
    } else {
        set_kind(out, LR_EVENT_OTHER);
        out->note.status = LR_NORM_FLAGGED;
        out->note.score = 0.0f;
        if (tie)
            norm_note_add(&out->note, "\"%s\" fits %s and %s equally", u,
                          out->nalt > 0 ? out->alt[0].key : "?",
                          out->nalt > 1 ? out->alt[1].key : "?");
        else if (code_ambiguous)
            norm_note_add(&out->note, "code (%02d) fits several events and \"%s\" none", out->code,
                          u);
        else if (out->code >= 0)
            norm_note_add(&out->note, "code (%02d) and \"%s\" name no known event", out->code, u);
        else
            norm_note_add(&out->note, "no known event in \"%s\"", u);
    }
    norm_flag_invalid(&out->note, invalid);
done:
    free(terms);
    free(cand);
    return rc;
}
