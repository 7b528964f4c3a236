/* search.c — the least-cost path through a lattice that a grammar accepts (decode.h): each
 * segment's trie aligned against the lattice from every start it is reached at (an edit
 * distance whose substitutions cost what the lattice says), the segments chained by a beam
 * of partial readings checked as they grow (a year within its era, a day within its month
 * and its era). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"
#include "landrec/text.h"

/* Partial readings kept between segments: more than the values a field's alternatives and
 * runner-up need, few enough to keep a date's decoding under a millisecond. */
#define BEAM 64

typedef struct span {
    float *cost; /* [value][end], INFINITY: not reached */
    int *str;
} span;

typedef struct dfs_ctx {
    const lr_decode_tables *t;
    const lr_lattice *l;
    const segment *seg;
    int start, len; /* lattice positions start..len */
    float bound;
    span *out;
} dfs_ctx;

typedef struct hyp {
    float cost;
    int end;
    int val[DEC_MAX_SEGMENTS];
    int str[DEC_MAX_SEGMENTS];
} hyp;

/* The cost of reading cp (or the form a model writes for it) at a position. */
static float sub_cost(const lr_decode_tables *t, const lr_lattice_column *c, uint32_t cp)
{
    uint32_t alt = 0;
    for (int i = 0; i < t->nvariants; i++)
        if (t->variants[i].ledger == cp)
            alt = t->variants[i].model;
    float best = DEC_MISS;
    for (int k = 0; k < c->n; k++)
        if ((c->c[k].cp == cp || (alt && c->c[k].cp == alt)) && c->c[k].cost < best)
            best = c->c[k].cost;
    return best;
}

static void dfs(dfs_ctx *x, int node, const float *prev)
{
    float cur[LR_LATTICE_MAX + 1];
    int s = x->start, n = x->len;
    for (int c = x->seg->nodes[node].child; c >= 0; c = x->seg->nodes[c].sibling) {
        uint32_t cp = x->seg->nodes[c].cp;
        cur[s] = prev[s] + DEC_INSERT;
        float lo = cur[s];
        for (int j = s + 1; j <= n; j++) {
            float a = prev[j - 1] + sub_cost(x->t, &x->l->col[j - 1], cp);
            float b = prev[j] + DEC_INSERT, d = cur[j - 1] + DEC_DELETE;
            cur[j] = a < b ? (a < d ? a : d) : (b < d ? b : d);
            if (cur[j] < lo)
                lo = cur[j];
        }
        if (lo > x->bound)
            continue;
        for (int k = x->seg->nodes[c].term; k >= 0; k = x->seg->terms[k].next) {
            const trie_term *tt = &x->seg->terms[k];
            float *row = x->out->cost + (size_t)tt->value * (size_t)(n + 1);
            int *srow = x->out->str + (size_t)tt->value * (size_t)(n + 1);
            for (int j = s; j <= n; j++)
                if (cur[j] < row[j]) {
                    row[j] = cur[j];
                    srow[j] = tt->str;
                }
        }
        dfs(x, c, cur);
    }
}

/* Every value of seg read from position start to each end. */
static int span_compute(const lr_decode_tables *t, const lr_lattice *l, const segment *seg,
                        int start, float bound, span *out)
{
    int n = (int)l->n;
    size_t cells = (size_t)seg->nvalues * (size_t)(n + 1);
    out->cost = malloc(cells * sizeof *out->cost);
    out->str = malloc(cells * sizeof *out->str);
    if (!out->cost || !out->str)
        return -1;
    for (size_t i = 0; i < cells; i++)
        out->cost[i] = INFINITY;
    float root[LR_LATTICE_MAX + 1];
    root[start] = 0;
    for (int j = start + 1; j <= n; j++)
        root[j] = root[j - 1] + DEC_DELETE;
    dfs_ctx x = {t, l, seg, start, n, bound, out};
    if (seg->nnodes > 0)
        dfs(&x, 0, root);
    return 0;
}

static int date_cmp_iso(int y, int m, int d, const char *iso)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return strcmp(buf, iso);
}

static const word *word_of(const lr_decode_tables *t, const grammar *g, const hyp *h)
{
    return &t->words[g->seg[0].num[h->val[0]]];
}

/* Whether the reading so far (segments 0..s) can be a value of the grammar. */
static bool partial_ok(const lr_decode_tables *t, const lr_decode_ctx *ctx, const grammar *g,
                       int s, const hyp *h)
{
    if (ctx->grammar == LR_GRAMMAR_EVENT || ctx->grammar == LR_GRAMMAR_CATEGORY) {
        const word *w = word_of(t, g, h);
        if ((ctx->script == LR_SCRIPT_HANJA && w->hangul) ||
            (ctx->script == LR_SCRIPT_HANGUL && !w->hangul))
            return false;
        if (ctx->grammar == LR_GRAMMAR_EVENT)
            return ctx->side == LR_DECODE_SIDE_ANY || w->side == LR_DECODE_SIDE_ANY ||
                   w->side == (int)ctx->side;
        if (ctx->date && strlen(ctx->date) >= 10) {
            if (w->from[0] && strncmp(ctx->date, w->from, 10) < 0)
                return false;
            if (w->to[0] && strncmp(ctx->date, w->to, 10) > 0)
                return false;
        }
        return true;
    }
    if (ctx->grammar != LR_GRAMMAR_DATE)
        return true;
    const era *e = &t->eras[g->seg[0].num[h->val[0]]];
    int y = s >= 1 ? g->seg[1].num[h->val[1]] : 0;
    if (s >= 1 && (y < e->ymin || y > e->ymax))
        return false;
    if (s < 5)
        return true;
    int gy = y + e->offset, m = g->seg[3].num[h->val[3]], d = g->seg[5].num[h->val[5]];
    if (d > dec_month_days(gy, m))
        return false;
    return date_cmp_iso(gy, m, d, e->start) >= 0 && date_cmp_iso(gy, m, d, e->end) <= 0;
}

static void format_value(const lr_decode_tables *t, const lr_decode_ctx *ctx, const grammar *g,
                         const hyp *h, char *value, size_t vsize, char *text, size_t tsize)
{
    text[0] = '\0';
    for (int s = 0; s < g->nseg; s++) {
        size_t n = strlen(text);
        snprintf(text + n, tsize - n, "%s", g->seg[s].strs[h->str[s]]);
    }
    switch (ctx->grammar) {
    case LR_GRAMMAR_EVENT:
    case LR_GRAMMAR_CATEGORY: snprintf(value, vsize, "%s", word_of(t, g, h)->out); break;
    case LR_GRAMMAR_DATE: {
        const era *e = &t->eras[g->seg[0].num[h->val[0]]];
        snprintf(value, vsize, "%04d-%02d-%02d", g->seg[1].num[h->val[1]] + e->offset,
                 g->seg[3].num[h->val[3]], g->seg[5].num[h->val[5]]);
        break;
    }
    default: snprintf(value, vsize, "%d", g->seg[0].num[h->val[0]]); break;
    }
}

/* Inserts c into the sorted beam b of *n, one entry per (end, values so far). */
static void beam_put(hyp *b, int *n, const hyp *c, int s)
{
    for (int i = 0; i < *n; i++) {
        if (b[i].end != c->end || memcmp(b[i].val, c->val, (size_t)(s + 1) * sizeof *c->val))
            continue;
        if (b[i].cost <= c->cost)
            return;
        memmove(b + i, b + i + 1, (size_t)(*n - i - 1) * sizeof *b);
        (*n)--;
        break;
    }
    int at = *n;
    while (at > 0 && b[at - 1].cost > c->cost)
        at--;
    if (at >= BEAM)
        return;
    int keep = *n < BEAM ? *n : BEAM - 1;
    memmove(b + at + 1, b + at, (size_t)(keep - at) * sizeof *b);
    b[at] = *c;
    *n = keep + 1;
}

static const grammar *grammar_of(const lr_decode_tables *t, lr_grammar g)
{
    switch (g) {
    case LR_GRAMMAR_EVENT: return &t->events;
    case LR_GRAMMAR_CATEGORY: return &t->categories;
    case LR_GRAMMAR_GRADE: return &t->grade;
    case LR_GRAMMAR_NUMERAL: return &t->numeral;
    case LR_GRAMMAR_DATE: return &t->date;
    }
    return NULL;
}

/* The margin between the best value and the next, as 0–100: a margin of a miss is ~78. */
static float margin_conf(float margin)
{
    if (!isfinite(margin))
        return 100.0f;
    return 100.0f * (1.0f - expf(-margin / 2.0f));
}

int lr_decode(const lr_decode_tables *t, const lr_decode_ctx *ctx, const lr_lattice *l,
              lr_decode_result *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!t || !ctx || !l || !out)
        return lr_error_set(err, LR_ERR_ARG, "lr_decode: NULL argument");
    out->runner_up = INFINITY;
    const grammar *g = grammar_of(t, ctx->grammar);
    int n = (int)l->n;
    if (!g || g->nseg == 0 || n == 0 || n > LR_LATTICE_MAX)
        return LR_OK;
    /* no path costing more than replacing the whole reading and a few glyphs besides matters */
    float bound = DEC_MISS * (float)n + 4 * DEC_INSERT;
    hyp *beam = malloc(2 * BEAM * sizeof *beam), *next = beam + BEAM;
    span *spans = calloc((size_t)(n + 1), sizeof *spans);
    int rc = LR_OK, nb = 1;
    if (!beam || !spans) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    memset(beam, 0, sizeof *beam);
    for (int s = 0; s < g->nseg && nb > 0; s++) {
        const segment *seg = &g->seg[s];
        bool last = s == g->nseg - 1;
        int nn = 0;
        for (int i = 0; i < nb; i++) {
            const hyp *h = &beam[i];
            span *sp = &spans[h->end];
            if (!sp->cost && span_compute(t, l, seg, h->end, bound, sp) < 0) {
                rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
                goto done;
            }
            for (int v = 0; v < seg->nvalues; v++) {
                const float *row = sp->cost + (size_t)v * (size_t)(n + 1);
                for (int e = last ? n : h->end; e <= n; e++) {
                    float c = h->cost + row[e];
                    if (!isfinite(c) || c > bound || (nn == BEAM && c >= next[nn - 1].cost))
                        continue;
                    hyp cand = *h;
                    cand.cost = c;
                    cand.end = e;
                    cand.val[s] = v;
                    cand.str[s] = sp->str[(size_t)v * (size_t)(n + 1) + (size_t)e];
                    if (partial_ok(t, ctx, g, s, &cand))
                        beam_put(next, &nn, &cand, s);
                }
            }
        }
        for (int i = 0; i <= n; i++) {
            free(spans[i].cost);
            free(spans[i].str);
            spans[i] = (span){0};
        }
        memcpy(beam, next, (size_t)nn * sizeof *beam);
        nb = nn;
    }
    /* the beam now holds whole readings, cheapest first: one per value */
    for (int i = 0; i < nb; i++) {
        char value[64], text[96];
        format_value(t, ctx, g, &beam[i], value, sizeof value, text, sizeof text);
        bool seen = false;
        for (int k = 0; k < out->nalt && !seen; k++)
            seen = strcmp(out->alt[k].value, value) == 0;
        if (seen)
            continue;
        if (!out->found) {
            out->found = true;
            snprintf(out->value, sizeof out->value, "%s", value);
            snprintf(out->text, sizeof out->text, "%s", text);
            out->cost = beam[i].cost;
        } else if (!isfinite(out->runner_up)) {
            out->runner_up = beam[i].cost;
        }
        if (out->nalt < LR_DECODE_ALT) {
            lr_decode_alt *a = &out->alt[out->nalt++];
            snprintf(a->value, sizeof a->value, "%s", value);
            snprintf(a->text, sizeof a->text, "%s", text);
            a->cost = beam[i].cost;
        } else if (isfinite(out->runner_up)) {
            break;
        }
    }
    if (out->found) {
        /* a path that costs as much as replacing half of what it reads, and half a glyph
         * more, is junk made to fit: one glyph of two may be misread, none of one */
        uint32_t cps[96];
        size_t chars = lr_text_decode(out->text, cps, 96);
        if (out->cost >= DEC_MISS * (float)(chars + 1) / 2.0f) {
            lr_decode_result refused = {.runner_up = INFINITY};
            *out = refused;
        } else {
            out->exact = out->cost < 1e-3f;
            out->conf = margin_conf(out->runner_up - out->cost);
        }
    }
done:
    if (spans)
        for (int i = 0; i <= n; i++) {
            free(spans[i].cost);
            free(spans[i].str);
        }
    free(spans);
    free(beam);
    return rc;
}

void lr_decode_charset(const lr_decode_tables *t, const lr_decode_ctx *ctx, char *buf,
                       size_t size)
{
    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    const grammar *g = t && ctx ? grammar_of(t, ctx->grammar) : NULL;
    if (!g)
        return;
    uint32_t seen[512];
    size_t nseen = 0;
    for (int s = 0; s < g->nseg; s++) {
        const segment *seg = &g->seg[s];
        for (size_t i = 1; i < seg->nnodes; i++) {
            uint32_t cps[2] = {seg->nodes[i].cp, 0};
            for (int v = 0; v < t->nvariants; v++)
                if (t->variants[v].ledger == cps[0])
                    cps[1] = t->variants[v].model;
            for (int k = 0; k < 2 && cps[k]; k++) {
                /* a word list's script: Hangul forms are no whitelist of a Hanja sheet */
                if (ctx->script == LR_SCRIPT_HANJA && lr_text_is_hangul(cps[k]))
                    continue;
                if (ctx->script == LR_SCRIPT_HANGUL && lr_text_is_hanja(cps[k]))
                    continue;
                bool dup = false;
                for (size_t j = 0; j < nseen && !dup; j++)
                    dup = seen[j] == cps[k];
                if (dup || nseen == sizeof seen / sizeof *seen)
                    continue;
                seen[nseen++] = cps[k];
                lr_text_put(buf, size, cps[k]);
            }
        }
    }
}
