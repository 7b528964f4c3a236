/* grammar.c — the grammars of decode.h built from the tables of data/: tries of the strings
 * each value can be written as. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"
#include "landrec/digest.h"
#include "landrec/file.h"
#include "landrec/text.h"
#include "landrec/tsv.h"
#include "landrec/utf8.h"

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static int new_node(segment *seg, uint32_t cp)
{
    if (grow((void **)&seg->nodes, &seg->capnodes, seg->nnodes + 1, sizeof *seg->nodes) < 0)
        return -1;
    seg->nodes[seg->nnodes] = (trie_node){.cp = cp, .child = -1, .sibling = -1, .term = -1};
    return (int)seg->nnodes++;
}

int dec_segment_add(segment *seg, const char *s, int value)
{
    if (seg->nnodes == 0 && new_node(seg, 0) < 0)
        return -1;
    int node = 0;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = lr_utf8_next(s + i, len - i, &cp);
        if (k == 0)
            break;
        i += k;
        int c = seg->nodes[node].child;
        while (c >= 0 && seg->nodes[c].cp != cp)
            c = seg->nodes[c].sibling;
        if (c < 0) {
            if ((c = new_node(seg, cp)) < 0)
                return -1;
            seg->nodes[c].sibling = seg->nodes[node].child;
            seg->nodes[node].child = c;
        }
        node = c;
    }
    /* the same string for the same value once */
    for (int t = seg->nodes[node].term; t >= 0; t = seg->terms[t].next)
        if (seg->terms[t].value == value)
            return 0;
    if (grow((void **)&seg->terms, &seg->capterms, seg->nterms + 1, sizeof *seg->terms) < 0 ||
        grow((void **)&seg->strs, &seg->capstrs, seg->nstrs + 1, sizeof *seg->strs) < 0)
        return -1;
    char *dup = strdup(s);
    if (!dup)
        return -1;
    seg->strs[seg->nstrs] = dup;
    seg->terms[seg->nterms] =
        (trie_term){.value = value, .str = (int)seg->nstrs, .next = seg->nodes[node].term};
    seg->nodes[node].term = (int)seg->nterms++;
    seg->nstrs++;
    if (value >= seg->nvalues)
        seg->nvalues = value + 1;
    return 0;
}

void dec_segment_free(segment *seg)
{
    for (size_t i = 0; i < seg->nstrs; i++)
        free(seg->strs[i]);
    free(seg->strs);
    free(seg->nodes);
    free(seg->terms);
    free(seg->num);
    memset(seg, 0, sizeof *seg);
}

static void grammar_free(grammar *g)
{
    for (int i = 0; i < DEC_MAX_SEGMENTS; i++)
        dec_segment_free(&g->seg[i]);
    g->nseg = 0;
}

/* ---------------------------------------------------------------- numerals */

static const char *const ord[10] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
/* Formal forms in practice: 壹 貳 參 拾; 4–9 stay ordinary (domain.md §4.2). */
static const char *const formal[10] = {"〇", "壹", "貳", "參", "四", "五", "六", "七", "八", "九"};

static void cat(char *buf, const char *s)
{
    size_t n = strlen(buf);
    snprintf(buf + n, 48 - n, "%s", s);
}

/* Multiplicative: 二千三百十五. one_lead: 一 before 百 and 千 (一百五); fmt: formal digits
 * and 拾, which takes its 壹 after a hundred (壹百壹拾) or when one_lead (壹拾貳). */
static void multiplicative(int v, bool fmt, bool one_lead, char *buf)
{
    const char *const *d = fmt ? formal : ord;
    buf[0] = '\0';
    int th = (v / 1000) % 10, hu = (v / 100) % 10, te = (v / 10) % 10, un = v % 10;
    if (v >= 10000) {
        multiplicative(v / 10000, fmt, one_lead, buf);
        cat(buf, "萬");
    }
    if (th) {
        if (th > 1 || fmt || one_lead)
            cat(buf, d[th]);
        cat(buf, "千");
    }
    if (hu) {
        if (hu > 1 || fmt || one_lead)
            cat(buf, d[hu]);
        cat(buf, "百");
    }
    if (te) {
        if (te > 1 || (fmt && (v >= 100 || one_lead)))
            cat(buf, d[te]);
        cat(buf, fmt ? "拾" : "十");
    }
    if (un)
        cat(buf, d[un]);
}

static int add_form(char out[][48], int n, int max, const char *s)
{
    if (n >= max || !s[0])
        return n;
    for (int i = 0; i < n; i++)
        if (strcmp(out[i], s) == 0)
            return n;
    snprintf(out[n], 48, "%s", s);
    return n + 1;
}

int dec_numeral_forms(int v, bool positional, bool yuan, char out[][48], int max)
{
    int n = 0;
    char buf[48];
    if (v < 0)
        return 0;
    snprintf(buf, sizeof buf, "%d", v);
    n = add_form(out, n, max, buf);
    if (v == 0)
        return add_form(out, n, max, "〇");
    if (yuan && v == 1)
        n = add_form(out, n, max, "元");
    for (int f = 0; f < 2; f++)
        for (int one = 0; one < 2; one++) {
            multiplicative(v, f, one, buf);
            n = add_form(out, n, max, buf);
        }
    if (v >= 20 && v < 40) { /* 廿五, 卅一 */
        for (int f = 0; f < 2; f++) {
            snprintf(buf, sizeof buf, "%s%s", v < 30 ? "廿" : "卅", v % 10 ? (f ? formal : ord)[v % 10] : "");
            n = add_form(out, n, max, buf);
        }
    }
    if (positional && v >= 10) {
        char digits[16];
        snprintf(digits, sizeof digits, "%d", v);
        buf[0] = '\0';
        for (const char *p = digits; *p; p++)
            cat(buf, ord[*p - '0']);
        n = add_form(out, n, max, buf);
    }
    return n;
}

int dec_month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* A segment of the numbers lo..hi (value id = number − lo, num = number). */
static int numeral_segment(segment *seg, int lo, int hi, bool positional, bool yuan)
{
    seg->num = malloc((size_t)(hi - lo + 1) * sizeof *seg->num);
    if (!seg->num)
        return -1;
    char forms[12][48];
    for (int v = lo; v <= hi; v++) {
        seg->num[v - lo] = v;
        int n = dec_numeral_forms(v, positional, yuan, forms, 12);
        for (int i = 0; i < n; i++)
            if (dec_segment_add(seg, forms[i], v - lo) < 0)
                return -1;
    }
    return 0;
}

/* The numbers lo..hi in Arabic digits alone (a metric area's whole ㎡). */
static int arabic_segment(segment *seg, int lo, int hi)
{
    seg->num = malloc((size_t)(hi - lo + 1) * sizeof *seg->num);
    if (!seg->num)
        return -1;
    char buf[16];
    for (int v = lo; v <= hi; v++) {
        seg->num[v - lo] = v;
        snprintf(buf, sizeof buf, "%d", v);
        if (dec_segment_add(seg, buf, v - lo) < 0)
            return -1;
    }
    return 0;
}

/* A literal written in Hanja or in Hangul (年 or 년): one value. */
static int literal_segment(segment *seg, const char *hanja, const char *hangul)
{
    if (!(seg->num = calloc(1, sizeof *seg->num)))
        return -1;
    return dec_segment_add(seg, hanja, 0) < 0 ? -1 : dec_segment_add(seg, hangul, 0);
}

/* ---------------------------------------------------------------- tables */

static int add_word(lr_decode_tables *t, segment *seg, const char *form, const word *w)
{
    if (!form[0])
        return 0;
    if (grow((void **)&t->words, &t->capwords, t->nwords + 1, sizeof *t->words) < 0)
        return -1;
    t->words[t->nwords] = *w;
    int hanja, hangul;
    lr_text_scripts(form, &hanja, &hangul);
    t->words[t->nwords].hangul = hangul > 0;
    int value = (int)seg->nvalues;
    if (dec_segment_add(seg, form, value) < 0)
        return -1;
    int *num = realloc(seg->num, (size_t)seg->nvalues * sizeof *num);
    if (!num)
        return -1;
    seg->num = num;
    seg->num[value] = (int)t->nwords++;
    return 0;
}

/* Each comma-separated form of list. */
static int add_words(lr_decode_tables *t, segment *seg, const char *list, const word *w)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        while (*f == ' ')
            f++;
        if (add_word(t, seg, f, w) < 0)
            return -1;
    }
    return 0;
}

static int event_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_decode_tables *t = ctx;
    word w = {0};
    snprintf(w.out, sizeof w.out, "%s", lr_tsv_cell(r, 0));
    const char *side = lr_tsv_cell(r, 1);
    w.side = strcmp(side, "land") == 0    ? LR_DECODE_SIDE_LAND
             : strcmp(side, "owner") == 0 ? LR_DECODE_SIDE_OWNER
                                          : LR_DECODE_SIDE_ANY;
    if (add_words(t, &t->events.seg[0], lr_tsv_cell(r, 2), &w) < 0)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    return LR_OK;
}

static int category_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_decode_tables *t = ctx;
    word w = {0};
    snprintf(w.out, sizeof w.out, "%s", lr_tsv_cell(r, 0));
    snprintf(w.from, sizeof w.from, "%s", lr_tsv_cell(r, 5));
    snprintf(w.to, sizeof w.to, "%s", lr_tsv_cell(r, 6));
    segment *seg = &t->categories.seg[0];
    for (int k = 1; k <= 4; k++)
        if (add_words(t, seg, lr_tsv_cell(r, k), &w) < 0)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    return LR_OK;
}

static int era_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_decode_tables *t = ctx;
    if (t->neras == (int)(sizeof t->eras / sizeof *t->eras))
        return lr_tsv_bad(r, "era (too many)", lr_tsv_cell(r, 0), err);
    era *e = &t->eras[t->neras];
    memset(e, 0, sizeof *e);
    snprintf(e->key, sizeof e->key, "%s", lr_tsv_cell(r, 0));
    e->offset = atoi(lr_tsv_cell(r, 2));
    snprintf(e->start, sizeof e->start, "%s", lr_tsv_cell(r, 3));
    snprintf(e->end, sizeof e->end, "%s", lr_tsv_cell(r, 4));
    if (strlen(e->start) != 10 || strlen(e->end) != 10)
        return lr_tsv_bad(r, "era days", e->start, err);
    int ystart = atoi(e->start), yend = atoi(e->end);
    /* an open era (西紀 to 9999) is read to the ledgers' last years */
    if (yend > 2030)
        yend = 2030;
    e->ymin = ystart - e->offset;
    e->ymax = yend - e->offset;
    const char *last = lr_tsv_cell(r, 5);
    if (last[0] && atoi(last) < e->ymax)
        e->ymax = atoi(last);
    /* the era's names: value id = the era's index */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", lr_tsv_cell(r, 1));
    for (char *save = NULL, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save))
        if (dec_segment_add(&t->date.seg[0], f, t->neras) < 0)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    t->neras++;
    return LR_OK;
}

static int variant_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_decode_tables *t = ctx;
    uint32_t a[2], b[2];
    size_t na = lr_text_decode(lr_tsv_cell(r, 0), a, 2), nb = lr_text_decode(lr_tsv_cell(r, 1), b, 2);
    if (na != 1 || nb > 1)
        return lr_tsv_bad(r, "variant", lr_tsv_cell(r, 0), err);
    if (nb == 0)
        return LR_OK; /* no form in the models: read with the model that has it */
    if (t->nvariants == (int)(sizeof t->variants / sizeof *t->variants))
        return lr_tsv_bad(r, "variant (too many)", lr_tsv_cell(r, 0), err);
    t->variants[t->nvariants++] = (variant){a[0], b[0]};
    return LR_OK;
}

static int area_unit_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_decode_tables *t = ctx;
    if (t->nunits == (int)(sizeof t->units / sizeof *t->units))
        return lr_tsv_bad(r, "unit (too many)", lr_tsv_cell(r, 0), err);
    area_unit *u = &t->units[t->nunits];
    memset(u, 0, sizeof *u);
    snprintf(u->name, sizeof u->name, "%s", lr_tsv_cell(r, 0));
    snprintf(u->names, sizeof u->names, "%s", lr_tsv_cell(r, 1));
    u->num = atoll(lr_tsv_cell(r, 2));
    u->den = atoll(lr_tsv_cell(r, 3));
    snprintf(u->of, sizeof u->of, "%s", lr_tsv_cell(r, 4));
    snprintf(u->system, sizeof u->system, "%s", lr_tsv_cell(r, 5));
    u->exact_mark = strcmp(lr_tsv_cell(r, 6), "yes") == 0;
    if (u->num <= 0 || u->den <= 0)
        return lr_tsv_bad(r, "unit size", lr_tsv_cell(r, 2), err);
    t->nunits++;
    return LR_OK;
}

static int load_table(const char *dir, const char *name, const char *const *cols, int ncols,
                      lr_tsv_row_fn fn, lr_decode_tables *t, lr_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    lr_tsv_options o = {.hint = LR_TSV_HINT_DATA_DIR};
    lr_tsv tsv;
    int rc = lr_tsv_load(path, &o, &tsv, err);
    if (rc == LR_OK)
        rc = lr_tsv_each_row(&tsv, cols, ncols, fn, t, err);
    lr_tsv_free(&tsv);
    return rc;
}

/* era + year + 年 + month + 月 + day + 日; the eras' names are added by era_row. */
static int date_grammar(lr_decode_tables *t)
{
    grammar *g = &t->date;
    segment *year = &g->seg[1];
    /* the years of every era: 1–64 (明治 to 昭和), the 西紀 and 檀紀 years */
    int lo = 1, hi = 0;
    for (int e = 0; e < t->neras; e++)
        if (t->eras[e].ymax > hi)
            hi = t->eras[e].ymax;
    if (!(year->num = malloc((size_t)(hi + 1) * sizeof *year->num)))
        return -1;
    char forms[12][48];
    int nv = 0;
    for (int y = lo; y <= hi; y++) {
        bool used = false;
        for (int e = 0; e < t->neras && !used; e++)
            used = y >= t->eras[e].ymin && y <= t->eras[e].ymax;
        if (!used)
            continue;
        year->num[nv] = y;
        int n = dec_numeral_forms(y, y >= 1000, true, forms, 12);
        for (int i = 0; i < n; i++)
            if (dec_segment_add(year, forms[i], nv) < 0)
                return -1;
        nv++;
    }
    if (literal_segment(&g->seg[2], "年", "년") < 0 ||
        numeral_segment(&g->seg[3], 1, 12, false, false) < 0 ||
        literal_segment(&g->seg[4], "月", "월") < 0 ||
        numeral_segment(&g->seg[5], 1, 31, false, false) < 0 ||
        literal_segment(&g->seg[6], "日", "일") < 0)
        return -1;
    g->nseg = 7;
    return 0;
}

/* ---------------------------------------------------------------- areas */

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

/* Each unit's size in m² (num/den), following "of" to m2; false when a chain does not end
 * there (a loop, a unit not in the table). */
static bool area_sizes(lr_decode_tables *t)
{
    bool done[16] = {0};
    for (int pass = 0; pass < t->nunits; pass++)
        for (int i = 0; i < t->nunits; i++) {
            area_unit *u = &t->units[i];
            if (done[i])
                continue;
            if (strcmp(u->of, "m2") == 0) {
                done[i] = true;
                continue;
            }
            for (int k = 0; k < t->nunits; k++)
                if (done[k] && strcmp(t->units[k].name, u->of) == 0) {
                    u->num *= t->units[k].num;
                    u->den *= t->units[k].den;
                    int64_t g = gcd64(u->num, u->den);
                    u->num /= g;
                    u->den /= g;
                    snprintf(u->of, sizeof u->of, "m2");
                    done[i] = true;
                }
        }
    for (int i = 0; i < t->nunits; i++)
        if (!done[i])
            return false;
    return true;
}

__extension__ typedef __int128 i128; /* products of two sizes in m² */

/* Whether unit a is larger than unit b. */
static bool area_larger(const area_unit *a, const area_unit *b)
{
    return (i128)a->num * b->den > (i128)b->num * a->den;
}

/* A segment of one unit's spellings: value 0, num the unit's index. The unit's name goes in
 * last: the search meets a node's newest child first and keeps the first of equal costs, so
 * a glyph misread as 畝 is written back as 畝, not 무 (in the decoded text only; a name that
 * begins another spelling, 段 of 段步, keeps that spelling's older node). */
static int unit_segment(const lr_decode_tables *t, segment *seg, int unit)
{
    if (!(seg->num = calloc(1, sizeof *seg->num)))
        return -1;
    seg->num[0] = unit;
    char buf[sizeof t->units[unit].names];
    snprintf(buf, sizeof buf, "%s", t->units[unit].names);
    for (char *save = NULL, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        while (*f == ' ')
            f++;
        if (f[0] && dec_segment_add(seg, f, 0) < 0)
            return -1;
    }
    return dec_segment_add(seg, t->units[unit].name, 0);
}

/* The largest unit's quantity: areas of a ledger stay below 10,000 坪 or 町. */
#define AREA_TOP_MAX 9999
/* A metric area's whole ㎡ (99,999 ㎡ is some 30,000 坪). */
#define AREA_METRIC_MAX 99999

/* The grammar of one system: a system of one unit (㎡) is a decimal in Arabic digits, the
 * unit optional; another (坪 合 勺, 町 段 畝 步) is each unit, largest first, with its
 * quantity — the largest 1–AREA_TOP_MAX in any notation (positional too: 一二三坪), each
 * smaller one 1 to one less than the next larger holds — each pair optional (search.c checks
 * that a quantity has its unit and that one unit at least is written). 0: no unit of the
 * system; -1: out of memory; -2: more units than a grammar has segments for. */
static int area_grammar(lr_decode_tables *t, grammar *g, const char *system)
{
    int idx[16], n = 0;
    for (int i = 0; i < t->nunits; i++) {
        if (strcmp(t->units[i].system, system) != 0)
            continue;
        int at = n++;
        while (at > 0 && area_larger(&t->units[i], &t->units[idx[at - 1]])) {
            idx[at] = idx[at - 1];
            at--;
        }
        idx[at] = i;
    }
    if (n == 0)
        return 0;
    if (n == 1) {
        g->role[0] = ROLE_QUANTITY;
        g->role[1] = ROLE_FRACTION;
        g->role[2] = ROLE_UNIT;
        g->nseg = 3;
        segment *frac = &g->seg[1];
        frac->optional = g->seg[2].optional = true;
        if (arabic_segment(&g->seg[0], 0, AREA_METRIC_MAX) < 0 ||
            !(frac->num = malloc(100 * sizeof *frac->num)))
            return -1;
        /* value id = hundredths: .5 and .50 are one value */
        char two[8], one[8];
        for (int h = 0; h < 100; h++) {
            frac->num[h] = h;
            snprintf(two, sizeof two, ".%02d", h);
            snprintf(one, sizeof one, ".%d", h / 10);
            if (dec_segment_add(frac, two, h) < 0 ||
                (h % 10 == 0 && dec_segment_add(frac, one, h) < 0))
                return -1;
        }
        return unit_segment(t, &g->seg[2], idx[0]);
    }
    if (2 * n > DEC_MAX_SEGMENTS)
        return -2;
    for (int k = 0; k < n; k++) {
        const area_unit *u = &t->units[idx[k]], *up = k ? &t->units[idx[k - 1]] : NULL;
        int hi = AREA_TOP_MAX;
        if (up) {
            /* how many of this unit make the next larger one: 10 合 a 坪, 30 步 a 畝 */
            i128 a = (i128)up->num * u->den, b = (i128)u->num * up->den;
            if (a % b == 0 && a / b > 1 && a / b <= AREA_TOP_MAX + 1)
                hi = (int)(a / b) - 1;
        }
        segment *q = &g->seg[2 * k], *unit = &g->seg[2 * k + 1];
        g->role[2 * k] = ROLE_QUANTITY;
        g->role[2 * k + 1] = ROLE_UNIT;
        q->optional = unit->optional = true;
        if (numeral_segment(q, 1, hi, k == 0, false) < 0 || unit_segment(t, unit, idx[k]) < 0)
            return -1;
    }
    g->nseg = 2 * n;
    return 0;
}

/* lr_decode_area's systems as area_units.tsv names them. */
static const char *const area_system_names[DEC_AREA_SYSTEMS] = {"tsubo", "cho", "metric"};

static int area_grammars(lr_decode_tables *t, lr_error *err)
{
    if (!area_sizes(t))
        return lr_error_set(err, LR_ERR_FORMAT,
                            "area_units.tsv: a unit's \"of\" does not lead to m2");
    for (int s = 0; s < DEC_AREA_SYSTEMS; s++) {
        int rc = area_grammar(t, &t->area[s], area_system_names[s]);
        if (rc == -1)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        if (rc == -2)
            return lr_error_set(err, LR_ERR_FORMAT, "area_units.tsv: more than %d units of %s",
                                DEC_MAX_SEGMENTS / 2, area_system_names[s]);
    }
    return LR_OK;
}

int lr_decode_tables_load(const char *dir, lr_decode_tables **out, lr_error *err)
{
    if (out)
        *out = NULL;
    if (!dir || !out)
        return lr_error_set(err, LR_ERR_ARG, "lr_decode_tables_load: NULL argument");
    lr_decode_tables *t = calloc(1, sizeof *t);
    if (!t)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    t->events.nseg = t->categories.nseg = 1;
    t->grade.nseg = t->numeral.nseg = 1;
    static const char *const ev[] = {"token", "side", "forms"};
    static const char *const cat_cols[] = {"code", "hanja", "hangul", "abbrev", "variants", "from", "to"};
    static const char *const era_cols[] = {"key", "names", "offset", "start", "end", "last_year"};
    static const char *const var_cols[] = {"ledger", "model"};
    static const char *const unit_cols[] = {"unit", "names", "num", "den",
                                            "of",   "system", "exact_mark"};
    int rc = load_table(dir, "events.tsv", ev, 3, event_row, t, err);
    if (rc == LR_OK)
        rc = load_table(dir, "categories.tsv", cat_cols, 7, category_row, t, err);
    if (rc == LR_OK)
        rc = load_table(dir, "eras.tsv", era_cols, 6, era_row, t, err);
    if (rc == LR_OK)
        rc = load_table(dir, "area_units.tsv", unit_cols, 7, area_unit_row, t, err);
    if (rc == LR_OK)
        rc = area_grammars(t, err);
    if (rc == LR_OK)
        rc = load_table(dir, "variants.tsv", var_cols, 2, variant_row, t, err);
    if (rc == LR_OK) {
        /* the other tables (area_units.tsv too) are in the normalisers' digest
         * (lr_norm_tables_digest) */
        char path[4200], *bytes = NULL;
        size_t len = 0;
        snprintf(path, sizeof path, "%s/variants.tsv", dir);
        if (lr_file_read_all(path, &bytes, &len, NULL) == LR_OK)
            lr_digest_buffer(bytes, len, t->digest);
        free(bytes);
    }
    if (rc == LR_OK) {
        /* era names: value id = era index, num the same */
        segment *eras = &t->date.seg[0];
        if (!(eras->num = malloc((size_t)(t->neras + 1) * sizeof *eras->num)))
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        for (int e = 0; rc == LR_OK && e < t->neras; e++)
            eras->num[e] = e;
    }
    if (rc == LR_OK && (date_grammar(t) < 0 ||
                        numeral_segment(&t->grade.seg[0], 1, 999, false, false) < 0 ||
                        numeral_segment(&t->numeral.seg[0], 0, 9999, true, false) < 0))
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    if (rc != LR_OK) {
        lr_decode_tables_destroy(&t);
        return rc;
    }
    *out = t;
    return LR_OK;
}

const char *lr_decode_tables_digest(const lr_decode_tables *t)
{
    return t ? t->digest : "";
}

void lr_decode_tables_destroy(lr_decode_tables **pt)
{
    if (!pt || !*pt)
        return;
    lr_decode_tables *t = *pt;
    grammar_free(&t->events);
    grammar_free(&t->categories);
    grammar_free(&t->grade);
    grammar_free(&t->numeral);
    grammar_free(&t->date);
    for (int s = 0; s < DEC_AREA_SYSTEMS; s++)
        grammar_free(&t->area[s]);
    free(t->words);
    free(t);
    *pt = NULL;
}
