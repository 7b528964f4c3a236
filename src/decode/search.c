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

/* A value read from a span's start to one end, at a cost. */
typedef struct reach {
    float cost;
    int value, str;
} reach;

/* What a segment reads from one start: every value to every end, or, for a grammar whose
 * beam keeps a few partial readings per end (areas), the k cheapest values per end — none
 * of the others could enter the beam, and a segment of 10,000 quantities need not be
 * written out for each end. */
typedef struct span {
    bool done;
    float *cost; /* [value][end], INFINITY: not reached (k == 0) */
    int *str;
    int k;
    reach *best;  /* [end][k], unordered (k > 0) */
    int *nbest;   /* [end] */
    float *worst; /* [end]: the dearest of best[end] once it holds k */
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

/* The form a model writes for the ledger's cp (variants.tsv), 0 when none. */
static uint32_t model_form(const lr_decode_tables *t, uint32_t cp)
{
    for (int i = 0; i < t->nvariants; i++)
        if (t->variants[i].ledger == cp)
            return t->variants[i].model;
    return 0;
}

/* The cost of reading cp (or alt, the form a model writes for it, 0: none) at a position. */
static float sub_cost(const lr_lattice_column *c, uint32_t cp, uint32_t alt)
{
    float best = DEC_MISS;
    for (int k = 0; k < c->n; k++)
        if ((c->c[k].cp == cp || (alt && c->c[k].cp == alt)) && c->c[k].cost < best)
            best = c->c[k].cost;
    return best;
}

static void span_reworst(span *sp, int j)
{
    const reach *b = sp->best + (size_t)j * (size_t)sp->k;
    float w = -INFINITY;
    for (int i = 0; i < sp->nbest[j]; i++)
        if (b[i].cost > w)
            w = b[i].cost;
    sp->worst[j] = w;
}

/* Whether a trie node whose row is cur (from start s to n) can lead to a value kept: a path
 * below it reaches end j at no less than the cheapest of cur[s..j]. */
static bool span_wants(const span *sp, const float *cur, int s, int n)
{
    float low = INFINITY;
    for (int j = s; j <= n; j++) {
        if (cur[j] < low)
            low = cur[j];
        if (sp->nbest[j] < sp->k || low < sp->worst[j])
            return true;
    }
    return false;
}

/* Keeps value v read to end j at cost c among the k cheapest of j. */
static void span_keep(span *sp, int j, float c, int v, int str)
{
    reach *b = sp->best + (size_t)j * (size_t)sp->k;
    int *nb = &sp->nbest[j];
    for (int i = 0; i < *nb; i++)
        if (b[i].value == v) {
            if (c < b[i].cost) {
                b[i].cost = c;
                b[i].str = str;
                if (*nb == sp->k)
                    span_reworst(sp, j);
            }
            return;
        }
    if (*nb < sp->k) {
        b[(*nb)++] = (reach){c, v, str};
        if (*nb == sp->k)
            span_reworst(sp, j);
        return;
    }
    if (c >= sp->worst[j])
        return;
    int w = 0;
    for (int i = 1; i < *nb; i++)
        if (b[i].cost > b[w].cost)
            w = i;
    b[w] = (reach){c, v, str};
    span_reworst(sp, j);
}

static void dfs(dfs_ctx *x, int node, const float *prev)
{
    float cur[LR_LATTICE_MAX + 1];
    int s = x->start, n = x->len;
    span *sp = x->out;
    for (int c = x->seg->nodes[node].child; c >= 0; c = x->seg->nodes[c].sibling) {
        uint32_t cp = x->seg->nodes[c].cp, alt = model_form(x->t, cp);
        cur[s] = prev[s] + DEC_INSERT;
        float lo = cur[s];
        for (int j = s + 1; j <= n; j++) {
            float a = prev[j - 1] + sub_cost(&x->l->col[j - 1], cp, alt);
            float b = prev[j] + DEC_INSERT, d = cur[j - 1] + DEC_DELETE;
            cur[j] = a < b ? (a < d ? a : d) : (b < d ? b : d);
            if (cur[j] < lo)
                lo = cur[j];
        }
        if (lo > x->bound || (sp->k && !span_wants(sp, cur, s, n)))
            continue;
        for (int k = x->seg->nodes[c].term; k >= 0; k = x->seg->terms[k].next) {
            const trie_term *tt = &x->seg->terms[k];
            if (sp->k) {
                for (int j = s; j <= n; j++)
                    if (cur[j] <= x->bound)
                        span_keep(sp, j, cur[j], tt->value, tt->str);
                continue;
            }
            float *row = sp->cost + (size_t)tt->value * (size_t)(n + 1);
            int *srow = sp->str + (size_t)tt->value * (size_t)(n + 1);
            for (int j = s; j <= n; j++)
                if (cur[j] < row[j]) {
                    row[j] = cur[j];
                    srow[j] = tt->str;
                }
        }
        dfs(x, c, cur);
    }
}

/* seg read from position start to each end: every value, or the k cheapest per end. */
static int span_compute(const lr_decode_tables *t, const lr_lattice *l, const segment *seg,
                        int start, float bound, int k, span *out)
{
    int n = (int)l->n;
    out->done = true;
    out->k = k;
    if (k) {
        out->best = malloc((size_t)(n + 1) * (size_t)k * sizeof *out->best);
        out->nbest = calloc((size_t)(n + 1), sizeof *out->nbest);
        out->worst = malloc((size_t)(n + 1) * sizeof *out->worst);
        if (!out->best || !out->nbest || !out->worst)
            return -1;
    } else {
        size_t cells = (size_t)seg->nvalues * (size_t)(n + 1);
        out->cost = malloc(cells * sizeof *out->cost);
        out->str = malloc(cells * sizeof *out->str);
        if (!out->cost || !out->str)
            return -1;
        for (size_t i = 0; i < cells; i++)
            out->cost[i] = INFINITY;
    }
    float root[LR_LATTICE_MAX + 1];
    root[start] = 0;
    for (int j = start + 1; j <= n; j++)
        root[j] = root[j - 1] + DEC_DELETE;
    dfs_ctx x = {t, l, seg, start, n, bound, out};
    if (seg->nnodes > 0)
        dfs(&x, 0, root);
    return 0;
}

static void span_free(span *sp)
{
    free(sp->cost);
    free(sp->str);
    free(sp->best);
    free(sp->nbest);
    free(sp->worst);
    *sp = (span){0};
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

/* Whether an area read so far (segments 0..s) can be one: a quantity has its unit; a unit
 * without a quantity is the closing 步 after a larger unit (3町步, 6段8畝步); a whole area has
 * a quantity. A segment left out has val −1. */
static bool area_ok(const lr_decode_tables *t, const grammar *g, int s, const hyp *h)
{
    if (g->role[s] == ROLE_UNIT && s > 0 && g->role[s - 1] == ROLE_QUANTITY) {
        bool q = h->val[s - 1] >= 0, u = h->val[s] >= 0;
        if (q && !u)
            return false;
        if (!q && u) {
            if (!t->units[g->seg[s].num[0]].exact_mark)
                return false;
            bool before = false;
            for (int j = 0; j < s - 1 && !before; j++)
                before = g->role[j] == ROLE_UNIT && h->val[j] >= 0;
            if (!before)
                return false;
        }
    }
    if (s < g->nseg - 1)
        return true;
    for (int j = 0; j < g->nseg; j++)
        if (g->role[j] == ROLE_QUANTITY && h->val[j] >= 0)
            return true;
    return false;
}

/* Whether the reading so far (segments 0..s) can be a value of the grammar. */
static bool partial_ok(const lr_decode_tables *t, const lr_decode_ctx *ctx, const grammar *g,
                       int s, const hyp *h)
{
    if (ctx->grammar == LR_GRAMMAR_AREA)
        return area_ok(t, g, s, h);
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
        if (h->val[s] >= 0)
            snprintf(text + n, tsize - n, "%s", g->seg[s].strs[h->str[s]]);
    }
    switch (ctx->grammar) {
    case LR_GRAMMAR_AREA:
        /* Arabic quantities and the units' names; the closing 步 adds nothing */
        value[0] = '\0';
        for (int s = 0; s < g->nseg; s++) {
            size_t n = strlen(value);
            int v = h->val[s];
            /* a metric area's ㎡ is its unit, written or not */
            if (v < 0 && g->role[s] == ROLE_UNIT && g->role[s - 1] == ROLE_FRACTION)
                snprintf(value + n, vsize - n, "%s", t->units[g->seg[s].num[0]].name);
            if (v < 0)
                continue;
            int num = g->seg[s].num[v];
            if (g->role[s] == ROLE_QUANTITY)
                snprintf(value + n, vsize - n, "%d", num);
            else if (g->role[s] == ROLE_FRACTION)
                snprintf(value + n, vsize - n, num % 10 ? ".%02d" : ".%d",
                         num % 10 ? num : num / 10);
            else if (!(s > 0 && g->role[s - 1] == ROLE_QUANTITY && h->val[s - 1] < 0))
                snprintf(value + n, vsize - n, "%s", t->units[num].name);
        }
        break;
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

/* Partial readings kept between segments: cheapest first, one per (end, values so far); at
 * most BEAM in all, or, for a grammar whose segments may be left out (areas), at most
 * BEAM_PER_END ending at each lattice position: a partial area may end anywhere, and one that
 * has read less has paid less, so one beam of the cheapest would keep the shortest. */
typedef struct beam {
    hyp *h;
    int n;
    int per_end;                       /* 0: BEAM in all */
    int count[LR_LATTICE_MAX + 1];     /* per end, when per_end */
    float worst[LR_LATTICE_MAX + 1];   /* the dearest kept per end, when count is per_end */
} beam;

#define BEAM_PER_END 8

/* Whether c would not be kept. */
static bool beam_refuses(const beam *b, float cost, int end)
{
    if (!b->per_end)
        return b->n == BEAM && cost >= b->h[b->n - 1].cost;
    return b->count[end] >= b->per_end && cost >= b->worst[end];
}

static void beam_remove(beam *b, int i)
{
    if (b->per_end)
        b->count[b->h[i].end]--;
    memmove(b->h + i, b->h + i + 1, (size_t)(b->n - i - 1) * sizeof *b->h);
    b->n--;
}

/* Inserts c (read to segment s) into b. */
static void beam_put(beam *b, const hyp *c, int s)
{
    for (int i = 0; i < b->n; i++) {
        if (b->h[i].end != c->end || memcmp(b->h[i].val, c->val, (size_t)(s + 1) * sizeof *c->val))
            continue;
        if (b->h[i].cost <= c->cost)
            return;
        beam_remove(b, i);
        break;
    }
    if (b->per_end && b->count[c->end] >= b->per_end) {
        int w = b->n - 1;
        while (b->h[w].end != c->end)
            w--;
        if (b->h[w].cost <= c->cost)
            return;
        beam_remove(b, w);
    }
    int at = b->n;
    while (at > 0 && b->h[at - 1].cost > c->cost)
        at--;
    if (!b->per_end) {
        if (at >= BEAM)
            return;
        if (b->n == BEAM)
            b->n--;
    }
    memmove(b->h + at + 1, b->h + at, (size_t)(b->n - at) * sizeof *b->h);
    b->h[at] = *c;
    b->n++;
    if (b->per_end && ++b->count[c->end] >= b->per_end) {
        int w = b->n - 1;
        while (b->h[w].end != c->end)
            w--;
        b->worst[c->end] = b->h[w].cost;
    }
}

static const grammar *grammar_of(const lr_decode_tables *t, const lr_decode_ctx *ctx)
{
    switch (ctx->grammar) {
    case LR_GRAMMAR_EVENT: return &t->events;
    case LR_GRAMMAR_CATEGORY: return &t->categories;
    case LR_GRAMMAR_GRADE: return &t->grade;
    case LR_GRAMMAR_NUMERAL: return &t->numeral;
    case LR_GRAMMAR_DATE: return &t->date;
    case LR_GRAMMAR_AREA:
        return ctx->area >= 0 && (int)ctx->area < DEC_AREA_SYSTEMS ? &t->area[ctx->area] : NULL;
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
    const grammar *g = grammar_of(t, ctx);
    int n = (int)l->n;
    if (!g || g->nseg == 0 || n == 0 || n > LR_LATTICE_MAX)
        return LR_OK;
    /* no path costing more than replacing the whole reading and a few glyphs besides matters */
    float bound = DEC_MISS * (float)n + 4 * DEC_INSERT;
    bool per_end = false;
    for (int s = 0; s < g->nseg; s++)
        per_end = per_end || g->seg[s].optional;
    size_t cap = per_end ? (size_t)BEAM_PER_END * (size_t)(n + 1) : BEAM;
    beam cur = {.per_end = per_end ? BEAM_PER_END : 0}, next = cur;
    cur.h = malloc(cap * sizeof *cur.h);
    next.h = malloc(cap * sizeof *next.h);
    span *spans = calloc((size_t)(n + 1), sizeof *spans);
    int rc = LR_OK;
    if (!cur.h || !next.h || !spans) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    memset(cur.h, 0, sizeof *cur.h);
    cur.n = 1;
    for (int s = 0; s < g->nseg && cur.n > 0; s++) {
        const segment *seg = &g->seg[s];
        bool last = s == g->nseg - 1;
        next.n = 0;
        memset(next.count, 0, sizeof next.count);
        for (int i = 0; i < cur.n; i++) {
            const hyp *h = &cur.h[i];
            if (seg->optional && (!last || h->end == n)) {
                hyp skip = *h;
                skip.val[s] = skip.str[s] = -1;
                if (partial_ok(t, ctx, g, s, &skip))
                    beam_put(&next, &skip, s);
            }
            span *sp = &spans[h->end];
            if (!sp->done && span_compute(t, l, seg, h->end, bound, cur.per_end, sp) < 0) {
                rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
                goto done;
            }
            /* every value to every end (in that order: ties keep the first), or the few
             * kept per end */
            int nv = sp->k ? sp->k : seg->nvalues, first = last ? n : h->end;
            for (int v = 0; v < nv; v++)
                for (int e = first; e <= n; e++) {
                    reach r;
                    if (sp->k) {
                        if (v >= sp->nbest[e])
                            continue;
                        r = sp->best[(size_t)e * (size_t)sp->k + (size_t)v];
                    } else {
                        size_t at = (size_t)v * (size_t)(n + 1) + (size_t)e;
                        r = (reach){sp->cost[at], v, sp->str[at]};
                    }
                    float c = h->cost + r.cost;
                    if (!isfinite(c) || c > bound || beam_refuses(&next, c, e))
                        continue;
                    hyp cand = *h;
                    cand.cost = c;
                    cand.end = e;
                    cand.val[s] = r.value;
                    cand.str[s] = r.str;
                    if (partial_ok(t, ctx, g, s, &cand))
                        beam_put(&next, &cand, s);
                }
        }
        for (int i = 0; i <= n; i++)
            span_free(&spans[i]);
        hyp *swap = cur.h;
        cur.h = next.h;
        cur.n = next.n;
        next.h = swap;
    }
    /* the beam now holds whole readings, cheapest first: one per value */
    for (int i = 0; i < cur.n; i++) {
        char value[64], text[96];
        format_value(t, ctx, g, &cur.h[i], value, sizeof value, text, sizeof text);
        bool seen = false;
        for (int k = 0; k < out->nalt && !seen; k++)
            seen = strcmp(out->alt[k].value, value) == 0;
        if (seen)
            continue;
        if (!out->found) {
            out->found = true;
            snprintf(out->value, sizeof out->value, "%s", value);
            snprintf(out->text, sizeof out->text, "%s", text);
            out->cost = cur.h[i].cost;
        } else if (!isfinite(out->runner_up)) {
            out->runner_up = cur.h[i].cost;
        }
        if (out->nalt < LR_DECODE_ALT) {
            lr_decode_alt *a = &out->alt[out->nalt++];
            snprintf(a->value, sizeof a->value, "%s", value);
            snprintf(a->text, sizeof a->text, "%s", text);
            a->cost = cur.h[i].cost;
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
        for (int i = 0; i <= n; i++)
            span_free(&spans[i]);
    free(spans);
    free(cur.h);
    free(next.h);
    return rc;
}

/* Adds the characters of g's strings not yet in seen to buf. */
static void charset_add(const lr_decode_tables *t, const lr_decode_ctx *ctx, const grammar *g,
                        uint32_t *seen, size_t *nseen, size_t maxseen, char *buf, size_t size)
{
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
                for (size_t j = 0; j < *nseen && !dup; j++)
                    dup = seen[j] == cps[k];
                if (dup || *nseen == maxseen)
                    continue;
                seen[(*nseen)++] = cps[k];
                lr_text_put(buf, size, cps[k]);
            }
        }
    }
}

void lr_decode_charset(const lr_decode_tables *t, const lr_decode_ctx *ctx, char *buf,
                       size_t size)
{
    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    const grammar *g = t && ctx ? grammar_of(t, ctx) : NULL;
    if (!g)
        return;
    uint32_t seen[512];
    size_t nseen = 0, maxseen = sizeof seen / sizeof *seen;
    if (ctx->grammar != LR_GRAMMAR_AREA) {
        charset_add(t, ctx, g, seen, &nseen, maxseen, buf, size);
        return;
    }
    /* an area's cell is read again without its row's date, which picks the system: the
     * characters of every system */
    for (int a = 0; a < DEC_AREA_SYSTEMS; a++)
        charset_add(t, ctx, &t->area[a], seen, &nseen, maxseen, buf, size);
}
