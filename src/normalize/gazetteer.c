/* gazetteer.c — data/gazetteer.tsv loaded into a tree of units, and a place as read decoded
 * against it (gazetteer.h, docs/gazetteer.md). */
#include "landrec/gazetteer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/digest.h"
#include "landrec/tsv.h"
#include "norm_internal.h"

#define NAME_MAX_CP 16   /* code points of a unit's name */
#define READINGS_MAX 6   /* Hangul readings of one Hanja */
#define INPUT_MAX_CP LR_GAZ_INPUT_MAX /* code points: LR_GAZ_INPUT_MAX bytes hold no more */
#define DEPTH_MAX 8      /* units on a path: 道 郡 面 里 and room for a skipped level */

/* Costs in tenths of an edit. */
#define COST_EDIT 10
#define COST_READING 1
#define COST_SKIP_LEVEL 5  /* a unit between two named ones left out (京畿道 崇仁面) */
#define COST_START_LOW 3   /* a text beginning below a first-level unit (종로구 청운동) */
#define COST_JUNK 10       /* a character before the place skipped */
#define JUNK_MAX 2
#define JUNK_UNIT_MAX 4    /* characters of junk a unit left out may leave (始興郡 read 유재) */
#define UNIT_REWARD 15     /* what each unit on a path is worth: more than one edit, so a
                              unit read with one wrong character still extends the path */
#define BRANCH_MAX 6       /* matches of one unit's children followed from one position */
#define PATHS_MAX 64       /* completed paths kept for the candidates */
#define VISITS_MAX 20000   /* extensions tried in one text: a few ms at worst */

typedef enum gaz_level {
    GAZ_DO, GAZ_BU, GAZ_SI, GAZ_GUN, GAZ_GU, GAZ_MYEON, GAZ_RI, GAZ_DONG, GAZ_JEONG, GAZ_GA
} gaz_level;

static const char *const level_names[] = {"do", "bu", "si", "gun", "gu", "myeon",
                                          "ri", "dong", "jeong", "ga"};

typedef struct gaz_unit {
    int id, parent_id;
    int parent; /* index, -1 for a first-level unit */
    int first_child, next_sibling;
    gaz_level level;
    char hanja[64], hangul[64];
    uint32_t hj[NAME_MAX_CP], hg[NAME_MAX_CP];
    int nhj, nhg;
    char code[11];
    bool abolished;
} gaz_unit;

typedef struct gaz_reading {
    uint32_t hanja;
    uint32_t r[READINGS_MAX];
    int n;
} gaz_reading;

struct lr_gazetteer {
    gaz_unit *units;
    size_t n, cap;
    gaz_reading *readings; /* sorted by hanja */
    size_t nreadings, capreadings;
    int first_root;
    char digest[65];
};

/* ---- loading ---- */

static int fold_name(const char *s, uint32_t *cp, int *n)
{
    uint32_t buf[LR_NORM_INPUT_MAX];
    size_t k = 0;
    bool invalid = false;
    int rc = norm_fold(s, strlen(s), buf, LR_NORM_INPUT_MAX, &k, &invalid);
    if (rc != LR_OK)
        return rc;
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        if (buf[i] == ' ')
            continue;
        if (*n >= NAME_MAX_CP)
            return LR_ERR_TOO_LARGE;
        cp[(*n)++] = buf[i];
    }
    return LR_OK;
}

static int unit_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_gazetteer *g = ctx;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 1024;
        gaz_unit *u = realloc(g->units, cap * sizeof *u);
        if (!u)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading the gazetteer");
        g->units = u;
        g->cap = cap;
    }
    gaz_unit *u = &g->units[g->n];
    memset(u, 0, sizeof *u);
    char *end;
    long id = strtol(lr_tsv_cell(r, 0), &end, 10);
    if (*end || id <= 0)
        return lr_tsv_bad(r, "id", lr_tsv_cell(r, 0), err);
    u->id = (int)id;
    const char *p = lr_tsv_cell(r, 1);
    u->parent_id = 0;
    if (*p) {
        long pid = strtol(p, &end, 10);
        if (*end || pid <= 0)
            return lr_tsv_bad(r, "parent", p, err);
        u->parent_id = (int)pid;
    }
    const char *lv = lr_tsv_cell(r, 2);
    size_t k;
    for (k = 0; k < sizeof level_names / sizeof *level_names; k++)
        if (strcmp(lv, level_names[k]) == 0)
            break;
    if (k == sizeof level_names / sizeof *level_names)
        return lr_tsv_bad(r, "level", lv, err);
    u->level = (gaz_level)k;
    const char *hj = lr_tsv_cell(r, 3), *hg = lr_tsv_cell(r, 4), *code = lr_tsv_cell(r, 5);
    if ((!*hj && !*hg) || strlen(hj) >= sizeof u->hanja || strlen(hg) >= sizeof u->hangul ||
        (*hj && fold_name(hj, u->hj, &u->nhj) != LR_OK) ||
        (*hg && fold_name(hg, u->hg, &u->nhg) != LR_OK))
        return lr_tsv_bad(r, "name", *hj ? hj : hg, err);
    norm_copy(u->hanja, sizeof u->hanja, hj);
    norm_copy(u->hangul, sizeof u->hangul, hg);
    if (*code) {
        bool digits = strlen(code) == 10;
        for (const char *c = code; digits && *c; c++)
            digits = *c >= '0' && *c <= '9';
        if (!digits)
            return lr_tsv_bad(r, "legal_dong", code, err);
        norm_copy(u->code, sizeof u->code, code);
    }
    u->abolished = strcmp(lr_tsv_cell(r, 6), "폐지") == 0;
    g->n++;
    return LR_OK;
}

static int reading_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_gazetteer *g = ctx;
    if (g->nreadings == g->capreadings) {
        size_t cap = g->capreadings ? g->capreadings * 2 : 4096;
        gaz_reading *v = realloc(g->readings, cap * sizeof *v);
        if (!v)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading the Hanja readings");
        g->readings = v;
        g->capreadings = cap;
    }
    gaz_reading *e = &g->readings[g->nreadings];
    memset(e, 0, sizeof *e);
    uint32_t cp[NAME_MAX_CP];
    int n = 0;
    if (fold_name(lr_tsv_cell(r, 0), cp, &n) != LR_OK || n != 1)
        return lr_tsv_bad(r, "hanja", lr_tsv_cell(r, 0), err);
    e->hanja = cp[0];
    uint32_t rd[LR_NORM_INPUT_MAX];
    size_t nr = 0;
    bool invalid = false;
    const char *s = lr_tsv_cell(r, 1);
    if (norm_fold(s, strlen(s), rd, LR_NORM_INPUT_MAX, &nr, &invalid) != LR_OK)
        return lr_tsv_bad(r, "readings", s, err);
    for (size_t i = 0; i < nr && e->n < READINGS_MAX; i++)
        if (rd[i] != ' ')
            e->r[e->n++] = rd[i];
    g->nreadings++;
    return LR_OK;
}

static int cmp_reading(const void *a, const void *b)
{
    uint32_t x = ((const gaz_reading *)a)->hanja, y = ((const gaz_reading *)b)->hanja;
    return x < y ? -1 : x > y;
}

static int cmp_id(const void *a, const void *b)
{
    int x = ((const gaz_unit *)a)->id, y = ((const gaz_unit *)b)->id;
    return x < y ? -1 : x > y;
}

static int find_id(const lr_gazetteer *g, int id)
{
    size_t lo = 0, hi = g->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->units[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n && g->units[lo].id == id ? (int)lo : -1;
}

/* Parents resolved to indices, children linked in table order. */
static int link_units(lr_gazetteer *g, const char *path, lr_error *err)
{
    qsort(g->units, g->n, sizeof *g->units, cmp_id);
    for (size_t i = 0; i + 1 < g->n; i++)
        if (g->units[i].id == g->units[i + 1].id)
            return lr_error_set(err, LR_ERR_FORMAT, "%s: id %d twice", path, g->units[i].id);
    int *last = malloc((g->n + 1) * sizeof *last);
    if (!last)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading the gazetteer");
    int last_root = -1;
    g->first_root = -1;
    for (size_t i = 0; i < g->n; i++) {
        last[i] = -1;
        g->units[i].first_child = g->units[i].next_sibling = -1;
    }
    for (size_t i = 0; i < g->n; i++) {
        gaz_unit *u = &g->units[i];
        u->parent = u->parent_id ? find_id(g, u->parent_id) : -1;
        if (u->parent_id && (u->parent < 0 || u->parent == (int)i)) {
            free(last);
            return lr_error_set(err, LR_ERR_FORMAT, "%s: unit %d has no parent %d", path, u->id,
                                u->parent_id);
        }
        int *tail = u->parent < 0 ? &last_root : &last[u->parent];
        if (*tail < 0) {
            if (u->parent < 0)
                g->first_root = (int)i;
            else
                g->units[u->parent].first_child = (int)i;
        } else {
            g->units[*tail].next_sibling = (int)i;
        }
        *tail = (int)i;
    }
    free(last);
    return LR_OK;
}

int lr_gazetteer_load(const char *dir, lr_gazetteer **out, lr_error *err)
{
    if (out)
        *out = NULL;
    if (!out)
        return lr_error_set(err, LR_ERR_ARG, "no place for the gazetteer");
    if (!dir || !*dir)
        dir = lr_norm_default_data_dir();
    lr_gazetteer *g = calloc(1, sizeof *g);
    if (!g)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading the gazetteer");
    char path[2][1100];
    snprintf(path[0], sizeof path[0], "%s/gazetteer.tsv", dir);
    snprintf(path[1], sizeof path[1], "%s/hanja_readings.tsv", dir);
    lr_tsv tsv[2] = {{0}, {0}};
    lr_tsv_options opts = {.cp949 = false, .hint = LR_TSV_HINT_DATA_DIR};
    static const char *const unit_cols[] = {"id", "parent", "level", "hanja",
                                            "hangul", "legal_dong", "state"};
    static const char *const reading_cols[] = {"hanja", "readings"};
    int rc = lr_tsv_load(path[0], &opts, &tsv[0], err);
    if (rc == LR_OK)
        rc = lr_tsv_load(path[1], &opts, &tsv[1], err);
    if (rc == LR_OK) {
        /* both files, each after its size: one digest of their contents as read */
        size_t total = tsv[0].size + tsv[1].size + 2;
        char *buf = malloc(total);
        if (!buf) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory reading the gazetteer");
        } else {
            memcpy(buf, tsv[0].data, tsv[0].size + 1);
            memcpy(buf + tsv[0].size + 1, tsv[1].data, tsv[1].size + 1);
            lr_digest_buffer(buf, total, g->digest);
            free(buf);
            rc = lr_tsv_each_row(&tsv[0], unit_cols, 7, unit_row, g, err);
        }
    }
    if (rc == LR_OK)
        rc = lr_tsv_each_row(&tsv[1], reading_cols, 2, reading_row, g, err);
    if (rc == LR_OK && g->n == 0)
        rc = lr_error_set(err, LR_ERR_FORMAT, "%s has no units", path[0]);
    if (rc == LR_OK)
        rc = link_units(g, path[0], err);
    lr_tsv_free(&tsv[0]);
    lr_tsv_free(&tsv[1]);
    if (rc != LR_OK) {
        lr_gazetteer_destroy(&g);
        return rc;
    }
    qsort(g->readings, g->nreadings, sizeof *g->readings, cmp_reading);
    *out = g;
    return LR_OK;
}

void lr_gazetteer_destroy(lr_gazetteer **pg)
{
    if (!pg || !*pg)
        return;
    free((*pg)->units);
    free((*pg)->readings);
    free(*pg);
    *pg = NULL;
}

size_t lr_gazetteer_size(const lr_gazetteer *g)
{
    return g ? g->n : 0;
}

const char *lr_gazetteer_digest(const lr_gazetteer *g)
{
    return g ? g->digest : "";
}

/* ---- decoding ---- */

static const gaz_reading *readings_of(const lr_gazetteer *g, uint32_t c)
{
    gaz_reading key = {.hanja = c};
    return bsearch(&key, g->readings, g->nreadings, sizeof key, cmp_reading);
}

static bool is_reading(const lr_gazetteer *g, uint32_t hanja, uint32_t hangul)
{
    const gaz_reading *r = readings_of(g, hanja);
    for (int i = 0; r && i < r->n; i++)
        if (r->r[i] == hangul)
            return true;
    return false;
}

static bool is_hangul(uint32_t c)
{
    return c >= 0xAC00 && c <= 0xD7A3;
}

/* The digit a Hanja numeral stands for in a name (明洞二街, 명동2가), 0 when none. */
static uint32_t digit_of(uint32_t c)
{
    static const uint32_t nums[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                    0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++)
        if (c == nums[i])
            return '1' + (uint32_t)i;
    return c >= '1' && c <= '9' ? c : 0;
}

/* What reading a (the text) for b (the name) costs. */
static int char_cost(const lr_gazetteer *g, uint32_t a, uint32_t b)
{
    if (a == b)
        return 0;
    uint32_t da = digit_of(a), db = digit_of(b);
    if (da && da == db)
        return 0;
    if (is_reading(g, a, b) || is_reading(g, b, a))
        return COST_READING;
    return COST_EDIT;
}

/* The best alignment of name f[0..m) with a prefix of s[0..n): its cost, the prefix's length,
 * and the edits (substitutions, insertions, deletions) on it. */
typedef struct unit_fit {
    int cost, len, edits;
} unit_fit;

static unit_fit fit_name(const lr_gazetteer *g, const uint32_t *s, int n, const uint32_t *f,
                         int m)
{
    int maxlen = m + 2 < n ? m + 2 : n;
    int d[NAME_MAX_CP + 3][NAME_MAX_CP + 1], e[NAME_MAX_CP + 3][NAME_MAX_CP + 1];
    for (int i = 0; i <= maxlen; i++) {
        for (int j = 0; j <= m; j++) {
            if (i == 0 || j == 0) {
                d[i][j] = (i + j) * COST_EDIT;
                e[i][j] = i + j;
                continue;
            }
            int c = char_cost(g, s[i - 1], f[j - 1]);
            int best = d[i - 1][j - 1] + c, be = e[i - 1][j - 1] + (c >= COST_EDIT);
            if (d[i - 1][j] + COST_EDIT < best) {
                best = d[i - 1][j] + COST_EDIT;
                be = e[i - 1][j] + 1;
            }
            if (d[i][j - 1] + COST_EDIT < best) {
                best = d[i][j - 1] + COST_EDIT;
                be = e[i][j - 1] + 1;
            }
            d[i][j] = best;
            e[i][j] = be;
        }
    }
    /* of two alignments as cheap, the one ending on the name's kind (旭上町 is 旭町 with 上
     * inserted, not 旭 and a misread 町 before 町), then the one nearest the name's length */
    unit_fit fit = {.cost = INT32_MAX, .len = 0, .edits = 0};
    bool fit_kind = false;
    for (int i = m > 2 ? m - 2 : 1; i <= maxlen; i++) {
        int dist = abs(i - m), bestdist = abs(fit.len - m);
        bool kind = s[i - 1] == f[m - 1];
        if (d[i][m] < fit.cost ||
            (d[i][m] == fit.cost && (kind > fit_kind || (kind == fit_kind && dist < bestdist)))) {
            fit_kind = kind;
            fit.cost = d[i][m];
            fit.len = i;
            fit.edits = e[i][m];
        }
    }
    return fit;
}

/* How a unit is read: after its parent (vouched for), as the text's first-level unit (a unit
 * after it must vouch for a name read loosely), or anywhere else at the start (exactly). */
typedef enum fit_mode { FIT_CHILD, FIT_FIRST, FIT_EXACT } fit_mode;

/* Edits a unit's name of m code points may take: one in three characters after its parent;
 * as the first unit, one in two (서울特別市 read 媽合特別市), which the unit after it must then
 * confirm (keep_path); none elsewhere at the start. */
static int edits_allowed(int m, fit_mode mode)
{
    if (mode == FIT_EXACT)
        return 0;
    if (mode == FIT_FIRST)
        return m / 2;
    return m / 3 < 1 ? 1 : m / 3;
}

/* One unit matched on a path. */
typedef struct step {
    int unit;
    int from, len; /* in the text's characters (spaces dropped) */
    int cost, edits;
    bool hanja;    /* matched against the Hanja name */
    bool loose;    /* more edits than a child may take: the next unit must be read exactly */
    int skipped;   /* the unit between it and the one before, left out (-1 none) */
    int junk;      /* characters before it that stand for the skipped unit */
} step;

typedef struct path {
    step steps[DEPTH_MAX];
    int n;
    int cost, edits, score; /* score: cost less UNIT_REWARD a unit */
    int junk;
} path;

typedef struct search {
    const lr_gazetteer *g;
    const uint32_t *s;
    int n;
    path paths[PATHS_MAX];
    int npaths;
    long visits;
} search;

/* Keeps p among the completed paths: the best path per deepest unit, at most PATHS_MAX. A
 * unit read loosely must be followed by one read without an edit. */
static void keep_path(search *sr, const path *p)
{
    for (int i = 0; i < p->n; i++)
        if (p->steps[i].loose && (i + 1 >= p->n || p->steps[i + 1].edits > 0))
            return;
    int deepest = p->steps[p->n - 1].unit;
    for (int i = 0; i < sr->npaths; i++)
        if (sr->paths[i].steps[sr->paths[i].n - 1].unit == deepest) {
            if (p->score < sr->paths[i].score)
                sr->paths[i] = *p;
            return;
        }
    if (sr->npaths < PATHS_MAX) {
        sr->paths[sr->npaths++] = *p;
        return;
    }
    int worst = 0;
    for (int i = 1; i < sr->npaths; i++)
        if (sr->paths[i].score > sr->paths[worst].score)
            worst = i;
    if (p->score < sr->paths[worst].score)
        sr->paths[worst] = *p;
}

typedef struct fit_at {
    int unit, skip; /* skip: the penalty of how it was reached */
    unit_fit fit;
    bool hanja, loose;
    int skipped, junk;
} fit_at;

/* The unit u read at s[at..]: the cheaper of its two names, when within what it may take. */
static bool fit_unit(const search *sr, int u, int at, fit_mode mode, fit_at *out)
{
    const gaz_unit *x = &sr->g->units[u];
    out->unit = u;
    out->fit.cost = INT32_MAX;
    for (int k = 0; k < 2; k++) {
        const uint32_t *f = k == 0 ? x->hj : x->hg;
        int m = k == 0 ? x->nhj : x->nhg;
        if (m == 0)
            continue;
        unit_fit fit = fit_name(sr->g, sr->s + at, sr->n - at, f, m);
        if (fit.len == 0 || fit.edits > edits_allowed(m, mode))
            continue;
        /* read loosely, a first unit has its glyphs misread, none missing: 서울시 is the
         * city's short form, not 서울특별시 with two characters lost */
        if (mode == FIT_FIRST && fit.edits > edits_allowed(m, FIT_CHILD) && fit.len != m)
            continue;
        if (fit.cost < out->fit.cost) {
            out->fit = fit;
            out->hanja = k == 0;
        }
    }
    if (out->fit.cost == INT32_MAX)
        return false;
    /* written in the script it was read in: Hanja read as Hanja (京幾道 → 京畿道, not 경기도,
     * though 幾 reads 기) */
    int hangul = 0;
    for (int i = 0; i < out->fit.len; i++)
        hangul += is_hangul(sr->s[at + i]);
    if (x->nhj && x->nhg)
        out->hanja = 2 * hangul < out->fit.len;
    int m = out->hanja ? x->nhj : x->nhg;
    out->loose = mode == FIT_FIRST && out->fit.edits > edits_allowed(m, FIT_CHILD);
    return true;
}

static void insert_fit(fit_at *best, int *nbest, const fit_at *f)
{
    int k;
    if (*nbest < BRANCH_MAX)
        k = (*nbest)++;
    else if (best[BRANCH_MAX - 1].fit.cost + best[BRANCH_MAX - 1].skip > f->fit.cost + f->skip)
        k = BRANCH_MAX - 1;
    else
        return;
    best[k] = *f;
    while (k > 0 && best[k - 1].fit.cost + best[k - 1].skip > best[k].fit.cost + best[k].skip) {
        fit_at t = best[k - 1];
        best[k - 1] = best[k];
        best[k] = t;
        k--;
    }
}

static void extend(search *sr, path *p, int at);

static void follow(search *sr, path *p, int at, const fit_at *f)
{
    step *st = &p->steps[p->n++];
    st->unit = f->unit;
    st->from = at + f->junk;
    st->len = f->fit.len;
    st->cost = f->fit.cost + f->skip;
    st->edits = f->fit.edits + f->junk;
    st->hanja = f->hanja;
    st->loose = f->loose;
    st->skipped = f->skipped;
    st->junk = f->junk;
    p->cost += st->cost;
    p->edits += st->edits;
    p->score += st->cost - UNIT_REWARD;
    keep_path(sr, p);
    extend(sr, p, at + f->junk + f->fit.len);
    p->score -= st->cost - UNIT_REWARD;
    p->edits -= st->edits;
    p->cost -= st->cost;
    p->n--;
}

/* Every way the path p (ending at s[at]) goes on: a child of its last unit, or a grandchild
 * with the level between left out. */
static void extend(search *sr, path *p, int at)
{
    if (p->n >= DEPTH_MAX || at >= sr->n || ++sr->visits > VISITS_MAX)
        return;
    const lr_gazetteer *g = sr->g;
    fit_at best[BRANCH_MAX];
    int nbest = 0;
    int last = p->steps[p->n - 1].unit;
    for (int c = g->units[last].first_child; c >= 0; c = g->units[c].next_sibling) {
        fit_at f = {.skip = 0, .skipped = -1};
        if (fit_unit(sr, c, at, FIT_CHILD, &f))
            insert_fit(best, &nbest, &f);
        for (int gc = g->units[c].first_child; gc >= 0; gc = g->units[gc].next_sibling) {
            /* the unit between left out, or read as junk that stands for it (京畿道 유재 東面:
             * 始興郡 read 유재) */
            for (int junk = 0; junk <= JUNK_UNIT_MAX && at + junk < sr->n; junk++) {
                fit_at h = {.skip = COST_SKIP_LEVEL + junk * COST_JUNK, .skipped = c,
                            .junk = junk};
                if (fit_unit(sr, gc, at + junk, FIT_CHILD, &h) && h.fit.edits == 0)
                    insert_fit(best, &nbest, &h);
                else if (junk == 0 && fit_unit(sr, gc, at, FIT_CHILD, &h))
                    insert_fit(best, &nbest, &h);
            }
        }
    }
    for (int i = 0; i < nbest; i++)
        follow(sr, p, at, &best[i]);
}

/* The path's units in the gazetteer's spelling: the name matched, except a Hangul-only unit
 * read in Hanja by its reading, which keeps the Hanja as read. */
static void put_place(const search *sr, const path *p, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int i = 0; i < p->n; i++) {
        const step *st = &p->steps[i];
        const gaz_unit *u = &sr->g->units[st->unit];
        size_t used = strlen(buf);
        if (i > 0 && used + 1 < size)
            buf[used++] = ' ', buf[used] = '\0';
        if (st->junk > 0 && st->skipped >= 0) {
            const gaz_unit *k = &sr->g->units[st->skipped];
            snprintf(buf + used, size - used, "%s ", st->hanja && k->nhj ? k->hanja : k->hangul);
            used = strlen(buf);
        }
        if (!st->hanja && st->edits == 0 && u->nhj == 0 && !is_hangul(sr->s[st->from]))
            norm_cps_utf8(sr->s + st->from, (size_t)st->len, buf + used, size - used);
        else
            norm_copy(buf + used, size - used, st->hanja ? u->hanja : u->hangul);
    }
}

/* Junk before the place: the units above its first one stand for it (그런 廣州郡 → 京畿道
 * 廣州郡), put before buf in the script the path was read in. */
static void put_ancestors(const search *sr, const path *p, char *buf, size_t size)
{
    char above[LR_GAZ_TEXT_SIZE] = "";
    bool hanja = p->steps[0].hanja;
    for (int u = sr->g->units[p->steps[0].unit].parent; u >= 0; u = sr->g->units[u].parent) {
        const gaz_unit *x = &sr->g->units[u];
        char tmp[2 * LR_GAZ_TEXT_SIZE]; /* a name, a space and above: never cut here */
        snprintf(tmp, sizeof tmp, "%s %s", hanja && x->nhj ? x->hanja : x->hangul, above);
        norm_copy(above, sizeof above, tmp);
    }
    char tmp[LR_GAZ_TEXT_SIZE];
    snprintf(tmp, sizeof tmp, "%s%s", above, buf);
    norm_copy(buf, size, tmp);
}

/* The text after the path: from the character after its last unit, spaces kept. */
static void put_rest(const uint32_t *cp, size_t ncp, const size_t *at, int end, int n,
                     char *buf, size_t size)
{
    if (end >= n)
        return;
    size_t from = at[end];
    size_t used = strlen(buf);
    if (used + 1 < size)
        buf[used++] = ' ', buf[used] = '\0';
    norm_cps_utf8(cp + from, ncp - from, buf + used, size - used);
}

static int cmp_score(const void *a, const void *b)
{
    const path *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->n > y->n ? -1 : x->n < y->n;
}

/* Whether the deepest unit of q is on p (an ancestor of p's place, or p's place). */
static bool on_path(const path *p, const path *q)
{
    int u = q->steps[q->n - 1].unit;
    for (int i = 0; i < p->n; i++)
        if (p->steps[i].unit == u)
            return true;
    return false;
}

int lr_gazetteer_decode(const lr_gazetteer *g, const char *text, size_t len, lr_gaz_match *out,
                        lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!g || !out || (!text && len))
        return lr_error_set(err, LR_ERR_ARG, "lr_gazetteer_decode: NULL argument");
    out->margin = LR_GAZ_NO_RIVAL;
    if (len == 0 || len > LR_GAZ_INPUT_MAX)
        return LR_OK;
    uint32_t cp[LR_GAZ_INPUT_MAX];
    size_t ncp = 0;
    bool invalid = false;
    int rc = norm_fold(text, len, cp, LR_GAZ_INPUT_MAX, &ncp, &invalid);
    if (rc == LR_ERR_NOMEM)
        return lr_error_set(err, rc, "out of memory reading a place");
    if (rc != LR_OK)
        return LR_OK;
    uint32_t s[INPUT_MAX_CP];
    size_t at[INPUT_MAX_CP];
    int n = 0;
    for (size_t i = 0; i < ncp && n < INPUT_MAX_CP; i++)
        if (cp[i] != ' ') {
            at[n] = i;
            s[n++] = cp[i];
        }
    search *sr = calloc(1, sizeof *sr);
    path *p = calloc(1, sizeof *p);
    if (!sr || !p) {
        free(sr);
        free(p);
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading a place");
    }
    sr->g = g;
    sr->s = s;
    sr->n = n;
    for (int junk = 0; junk <= JUNK_MAX && junk < n; junk++) {
        for (size_t u = 0; u < g->n; u++) {
            const gaz_unit *x = &g->units[u];
            bool first = x->parent < 0;
            fit_at f = {.skip = junk * COST_JUNK + (first ? 0 : COST_START_LOW), .skipped = -1,
                        .junk = junk};
            /* a text beginning below a first-level unit, or after junk, must name its unit
             * right: nothing vouches for it */
            if (!fit_unit(sr, (int)u, junk, first && junk == 0 ? FIT_FIRST : FIT_EXACT, &f))
                continue;
            p->n = p->cost = p->edits = p->score = 0;
            p->junk = junk;
            follow(sr, p, 0, &f);
        }
    }
    if (sr->npaths > 0) {
        qsort(sr->paths, (size_t)sr->npaths, sizeof *sr->paths, cmp_score);
        const path *best = &sr->paths[0];
        out->matched = true;
        out->cost = best->cost / (double)COST_EDIT;
        out->edits = best->edits;
        out->units = best->n;
        put_place(sr, best, out->place, sizeof out->place);
        if (best->junk)
            put_ancestors(sr, best, out->place, sizeof out->place);
        norm_copy(out->value, sizeof out->value, out->place);
        const step *lastst = &best->steps[best->n - 1];
        put_rest(cp, ncp, at, lastst->from + lastst->len, n, out->value, sizeof out->value);
        const gaz_unit *deepest = &g->units[lastst->unit];
        norm_copy(out->legal_dong, sizeof out->legal_dong, deepest->code);
        out->abolished = deepest->code[0] && deepest->abolished;
        norm_copy(out->level, sizeof out->level, level_names[deepest->level]);
        for (int i = 0; i < sr->npaths && out->ncand < LR_GAZ_CAND_MAX; i++) {
            const path *q = &sr->paths[i];
            if (i > 0 && on_path(best, q))
                continue;
            if (i > 0 && out->margin == LR_GAZ_NO_RIVAL)
                out->margin = (q->score - best->score) / (double)COST_EDIT;
            char *c = out->cand[out->ncand];
            put_place(sr, q, c, LR_GAZ_TEXT_SIZE);
            if (q->junk)
                put_ancestors(sr, q, c, LR_GAZ_TEXT_SIZE);
            const step *qs = &q->steps[q->n - 1];
            put_rest(cp, ncp, at, qs->from + qs->len, n, c, LR_GAZ_TEXT_SIZE);
            out->cand_cost[out->ncand++] = q->cost / (double)COST_EDIT;
        }
    }
    free(sr);
    free(p);
    return LR_OK;
}
