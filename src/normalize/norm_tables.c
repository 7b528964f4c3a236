/* norm_tables.c — the normalisers' data tables (data/ *.tsv), read through tsv.h (format:
 * a header line of column names, '#' comment lines, one row per line), checked and folded. */
#include "norm_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "landrec/digest.h"
#include "landrec/text.h"
#include "landrec/tsv.h"
#include "src/normalize/normalize_config.h"

const char *lr_norm_default_data_dir(void)
{
    const char *env = getenv("LR_DATA_DIR");
    if (env && *env)
        return env;
    struct stat sb;
    if (stat(LR_NORM_DATA_DIR, &sb) == 0 && S_ISDIR(sb.st_mode))
        return LR_NORM_DATA_DIR;
    return LR_NORM_SOURCE_DATA_DIR;
}

const lr_gazetteer *lr_norm_tables_gazetteer(const lr_norm_tables *t)
{
    return t ? t->gazetteer : NULL;
}

const char *lr_norm_tables_digest(const lr_norm_tables *t)
{
    return t ? t->digest : "";
}

const char *lr_norm_tables_dir(const lr_norm_tables *t)
{
    return t ? t->dir : "";
}

void lr_norm_tables_destroy(lr_norm_tables **ptables)
{
    if (!ptables || !*ptables)
        return;
    lr_norm_tables *t = *ptables;
    free(t->eras);
    free(t->cats);
    free(t->events);
    free(t->units);
    free(t->looks);
    free(t->pairs);
    free(t->era_terms);
    free(t->cat_terms);
    free(t->event_terms);
    free(t->unit_terms);
    free(t->dongs);
    free(t->places);
    free(t->composes);
    free(t->surnames);
    free(t->markers);
    free(t->pool);
    lr_gazetteer_destroy(&t->gazetteer);
    free(t);
    *ptables = NULL;
}

/* ---- growing arrays ---- */

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

/* ---- reading a table ---- */

typedef struct table_file {
    const char *name; /* "eras.tsv" */
    lr_tsv tsv;
} table_file;

typedef lr_tsv_row row;

static int read_table(const char *dir, table_file *tf, bool allow_cp949, lr_error *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, tf->name);
    lr_tsv_options opts = {allow_cp949, LR_TSV_HINT_DATA_DIR};
    return lr_tsv_load(path, &opts, &tf->tsv, err);
}

typedef struct load_ctx {
    size_t cap_eras, cap_cats, cap_events, cap_units, cap_looks, cap_dongs, cap_pool, cap_places,
        cap_composes, cap_surnames, cap_markers;
    size_t cap_era_terms, cap_cat_terms, cap_event_terms, cap_unit_terms;
    char (*unit_of)[16]; /* "of" column of each unit, resolved after reading */
    size_t cap_unit_of;
} load_ctx;

typedef int (*row_fn)(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err);

typedef struct row_call {
    lr_norm_tables *t;
    load_ctx *c;
    row_fn fn;
} row_call;

static int call_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    const row_call *rc = ctx;
    return rc->fn(rc->t, rc->c, r, err);
}

/* Calls fn for each data row of tf, with cols (names of the wanted columns, each required in
 * the header) mapped. */
static int each_row(lr_norm_tables *t, load_ctx *c, table_file *tf, const char *const *cols,
                    int ncols, row_fn fn, lr_error *err)
{
    row_call rc = {t, c, fn};
    return lr_tsv_each_row(&tf->tsv, cols, ncols, call_row, &rc, err);
}

/* ---- values ---- */

bool norm_parse_ymd(const char *s, int32_t *out)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' ||
        s[7] != '-')
        return false;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > norm_days_in_month(y, m))
        return false;
    *out = y * 10000 + m * 100 + d;
    return true;
}

/* Empty: open (lo or hi). */
static bool parse_day_or_open(const char *s, int32_t open, int32_t *out)
{
    if (!*s) {
        *out = open;
        return true;
    }
    return norm_parse_ymd(s, out);
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Adds one folded form (spaces removed: matching ignores them) to a term array. */
static int add_term(norm_term **terms, size_t *n, size_t *cap, const char *text, int owner,
                    bool abbrev, const row *r, lr_error *err)
{
    uint32_t cp[NORM_TERM_MAX * 4];
    size_t k = 0;
    bool invalid;
    if (norm_fold(text, strlen(text), cp, sizeof cp / sizeof cp[0], &k, &invalid) != LR_OK ||
        invalid)
        return lr_tsv_bad(r, "form", text, err);
    size_t m = norm_strip_spaces(cp, k, cp);
    if (m == 0 || m > NORM_TERM_MAX || strlen(text) >= sizeof((*terms)->text))
        return lr_tsv_bad(r, "form (empty or too long)", text, err);
    if (!grow((void **)terms, cap, *n + 1, sizeof **terms))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    norm_term *t = &(*terms)[(*n)++];
    memset(t, 0, sizeof *t);
    memcpy(t->cp, cp, m * sizeof cp[0]);
    t->n = (int)m;
    t->owner = owner;
    t->abbrev = abbrev;
    norm_copy(t->text, sizeof t->text, text);
    return LR_OK;
}

/* Adds each comma-separated form of list. */
static int add_terms(norm_term **terms, size_t *n, size_t *cap, const char *list, int owner,
                     bool abbrev, const row *r, lr_error *err)
{
    char buf[1024];
    if (strlen(list) >= sizeof buf)
        return lr_tsv_bad(r, "list (too long)", list, err);
    strcpy(buf, list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t k = strlen(tok);
        while (k && tok[k - 1] == ' ')
            tok[--k] = '\0';
        if (!k)
            continue;
        int rc = add_term(terms, n, cap, tok, owner, abbrev, r, err);
        if (rc != LR_OK)
            return rc;
    }
    return LR_OK;
}

/* First comma-separated item of list into buf. */
static void first_item(const char *list, char *buf, size_t size)
{
    size_t k = strcspn(list, ",");
    char tmp[256];
    if (k >= sizeof tmp)
        k = sizeof tmp - 1;
    memcpy(tmp, list, k);
    tmp[k] = '\0';
    norm_copy(buf, size, tmp);
}

/* ---- eras.tsv ---- */

enum { ERA_KEY, ERA_NAMES, ERA_OFFSET, ERA_START, ERA_END, ERA_LAST, ERA_KFROM, ERA_KTO };
static const char *const era_cols[] = {"key", "names",     "offset",     "start",
                                       "end", "last_year", "korea_from", "korea_to"};

static int era_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_era e;
    memset(&e, 0, sizeof e);
    const char *key = lr_tsv_cell(r, ERA_KEY);
    if (!*key || strlen(key) >= sizeof e.key)
        return lr_tsv_bad(r, "key", key, err);
    norm_copy(e.key, sizeof e.key, key);
    first_item(lr_tsv_cell(r, ERA_NAMES), e.name, sizeof e.name);
    if (!e.name[0])
        return lr_tsv_bad(r, "names", lr_tsv_cell(r, ERA_NAMES), err);
    long v;
    if (!parse_int(lr_tsv_cell(r, ERA_OFFSET), -5000, 5000, &v))
        return lr_tsv_bad(r, "offset", lr_tsv_cell(r, ERA_OFFSET), err);
    e.offset = (int)v;
    if (!*lr_tsv_cell(r, ERA_LAST))
        e.last_year = 0;
    else if (parse_int(lr_tsv_cell(r, ERA_LAST), 1, 9999, &v))
        e.last_year = (int)v;
    else
        return lr_tsv_bad(r, "last_year", lr_tsv_cell(r, ERA_LAST), err);
    if (!parse_day_or_open(lr_tsv_cell(r, ERA_START), 10101, &e.start))
        return lr_tsv_bad(r, "start", lr_tsv_cell(r, ERA_START), err);
    if (!parse_day_or_open(lr_tsv_cell(r, ERA_END), 99991231, &e.end))
        return lr_tsv_bad(r, "end", lr_tsv_cell(r, ERA_END), err);
    if (!parse_day_or_open(lr_tsv_cell(r, ERA_KFROM), e.start, &e.korea_from))
        return lr_tsv_bad(r, "korea_from", lr_tsv_cell(r, ERA_KFROM), err);
    if (!parse_day_or_open(lr_tsv_cell(r, ERA_KTO), e.end, &e.korea_to))
        return lr_tsv_bad(r, "korea_to", lr_tsv_cell(r, ERA_KTO), err);
    if (e.end < e.start || e.korea_to < e.korea_from)
        return lr_tsv_bad(r, "period (ends before it starts)", key, err);
    for (size_t i = 0; i < t->neras; i++)
        if (strcmp(t->eras[i].key, e.key) == 0)
            return lr_tsv_bad(r, "key (twice)", key, err);
    if (!grow((void **)&t->eras, &c->cap_eras, t->neras + 1, sizeof e))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    t->eras[t->neras] = e;
    int rc = add_terms(&t->era_terms, &t->nera_terms, &c->cap_era_terms, lr_tsv_cell(r, ERA_NAMES),
                       (int)t->neras, false, r, err);
    /* the key itself is a name too, so callers can name an era in ASCII */
    if (rc == LR_OK)
        rc = add_term(&t->era_terms, &t->nera_terms, &c->cap_era_terms, e.key, (int)t->neras, false,
                      r, err);
    t->neras++;
    return rc;
}

/* ---- categories.tsv ---- */

enum { CAT_CODE, CAT_MODERN, CAT_HANJA, CAT_HANGUL, CAT_ABBREV, CAT_VARIANTS, CAT_FROM, CAT_TO };
static const char *const cat_cols[] = {"code",   "modern",   "hanja", "hangul",
                                       "abbrev", "variants", "from",  "to"};

static int cat_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_category k;
    memset(&k, 0, sizeof k);
    const char *code = lr_tsv_cell(r, CAT_CODE);
    if (strlen(code) != 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' || code[1] > '9' ||
        strcmp(code, "00") == 0)
        return lr_tsv_bad(r, "code", code, err);
    memcpy(k.code, code, 3);
    if (!*lr_tsv_cell(r, CAT_MODERN) || strlen(lr_tsv_cell(r, CAT_MODERN)) >= sizeof k.modern)
        return lr_tsv_bad(r, "modern", lr_tsv_cell(r, CAT_MODERN), err);
    norm_copy(k.modern, sizeof k.modern, lr_tsv_cell(r, CAT_MODERN));
    if (strlen(lr_tsv_cell(r, CAT_HANJA)) >= sizeof k.hanja ||
        strlen(lr_tsv_cell(r, CAT_HANGUL)) >= sizeof k.hangul)
        return lr_tsv_bad(r, "name (too long)", lr_tsv_cell(r, CAT_HANJA), err);
    norm_copy(k.hanja, sizeof k.hanja, lr_tsv_cell(r, CAT_HANJA));
    norm_copy(k.hangul, sizeof k.hangul, lr_tsv_cell(r, CAT_HANGUL));
    if (!k.hanja[0] && !k.hangul[0])
        return lr_tsv_bad(r, "row (no name)", code, err);
    if (!parse_day_or_open(lr_tsv_cell(r, CAT_FROM), 10101, &k.from))
        return lr_tsv_bad(r, "from", lr_tsv_cell(r, CAT_FROM), err);
    if (!parse_day_or_open(lr_tsv_cell(r, CAT_TO), 99991231, &k.to))
        return lr_tsv_bad(r, "to", lr_tsv_cell(r, CAT_TO), err);
    if (k.to < k.from)
        return lr_tsv_bad(r, "period (ends before it starts)", code, err);
    if (!grow((void **)&t->cats, &c->cap_cats, t->ncats + 1, sizeof k))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    t->cats[t->ncats] = k;
    int owner = (int)t->ncats++;
    int rc = LR_OK;
    if (k.hanja[0])
        rc = add_term(&t->cat_terms, &t->ncat_terms, &c->cap_cat_terms, k.hanja, owner, false, r,
                      err);
    if (rc == LR_OK && k.hangul[0])
        rc = add_term(&t->cat_terms, &t->ncat_terms, &c->cap_cat_terms, k.hangul, owner, false, r,
                      err);
    if (rc == LR_OK)
        rc = add_terms(&t->cat_terms, &t->ncat_terms, &c->cap_cat_terms, lr_tsv_cell(r, CAT_ABBREV),
                       owner, true, r, err);
    if (rc == LR_OK)
        rc = add_terms(&t->cat_terms, &t->ncat_terms, &c->cap_cat_terms,
                       lr_tsv_cell(r, CAT_VARIANTS), owner, false, r, err);
    return rc;
}

/* ---- events.tsv ---- */

enum { EV_TOKEN, EV_SIDE, EV_CODES, EV_FORMS };
static const char *const ev_cols[] = {"token", "side", "codes", "forms"};

static int parse_codes(const char *list, norm_event_rule *e)
{
    char buf[512];
    if (strlen(list) >= sizeof buf)
        return -1;
    strcpy(buf, list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        long a, b;
        char *dash = strchr(tok, '-');
        while (*tok == ' ')
            tok++;
        if (dash) {
            *dash = '\0';
            if (!parse_int(tok, 0, 99, &a) || !parse_int(dash + 1, 0, 99, &b) || b < a)
                return -1;
        } else {
            if (!parse_int(tok, 0, 99, &a))
                return -1;
            b = a;
        }
        for (long v = a; v <= b; v++) {
            if (e->ncodes == NORM_EVENT_CODES)
                return -1;
            e->codes[e->ncodes++] = (int)v;
        }
    }
    return 0;
}

static int event_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_event_rule e;
    memset(&e, 0, sizeof e);
    if (lr_norm_event_kind_of(lr_tsv_cell(r, EV_TOKEN), &e.kind) != LR_OK)
        return lr_tsv_bad(r, "token", lr_tsv_cell(r, EV_TOKEN), err);
    const char *side = lr_tsv_cell(r, EV_SIDE);
    if (strcmp(side, "land") == 0)
        e.sides = 1;
    else if (strcmp(side, "owner") == 0)
        e.sides = 2;
    else if (strcmp(side, "any") == 0)
        e.sides = 3;
    else
        return lr_tsv_bad(r, "side", side, err);
    if (parse_codes(lr_tsv_cell(r, EV_CODES), &e) != 0)
        return lr_tsv_bad(r, "codes", lr_tsv_cell(r, EV_CODES), err);
    if (!grow((void **)&t->events, &c->cap_events, t->nevents + 1, sizeof e))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    t->events[t->nevents] = e;
    return add_terms(&t->event_terms, &t->nevent_terms, &c->cap_event_terms,
                     lr_tsv_cell(r, EV_FORMS), (int)t->nevents++, false, r, err);
}

/* ---- area_units.tsv ---- */

enum { UNIT_UNIT, UNIT_NAMES, UNIT_NUM, UNIT_DEN, UNIT_OF, UNIT_SYSTEM, UNIT_EXACT };
static const char *const unit_cols[] = {"unit", "names",  "num",       "den",
                                        "of",   "system", "exact_mark"};

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

static int unit_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_unit u;
    memset(&u, 0, sizeof u);
    const char *name = lr_tsv_cell(r, UNIT_UNIT);
    if (!*name || strlen(name) >= sizeof u.name)
        return lr_tsv_bad(r, "unit", name, err);
    norm_copy(u.name, sizeof u.name, name);
    long num, den;
    if (!parse_int(lr_tsv_cell(r, UNIT_NUM), 1, 100000000, &num))
        return lr_tsv_bad(r, "num", lr_tsv_cell(r, UNIT_NUM), err);
    if (!parse_int(lr_tsv_cell(r, UNIT_DEN), 1, 100000000, &den))
        return lr_tsv_bad(r, "den", lr_tsv_cell(r, UNIT_DEN), err);
    u.num = num;
    u.den = den;
    const char *sys = lr_tsv_cell(r, UNIT_SYSTEM);
    if (strcmp(sys, "tsubo") && strcmp(sys, "cho") && strcmp(sys, "metric"))
        return lr_tsv_bad(r, "system", sys, err);
    norm_copy(u.system, sizeof u.system, sys);
    const char *mark = lr_tsv_cell(r, UNIT_EXACT);
    if (strcmp(mark, "yes") == 0)
        u.exact_mark = true;
    else if (*mark && strcmp(mark, "no") != 0)
        return lr_tsv_bad(r, "exact_mark (yes, no or empty)", mark, err);
    const char *of = lr_tsv_cell(r, UNIT_OF);
    if (!*of || strlen(of) >= 16)
        return lr_tsv_bad(r, "of", of, err);
    if (!grow((void **)&t->units, &c->cap_units, t->nunits + 1, sizeof u) ||
        !grow((void **)&c->unit_of, &c->cap_unit_of, t->nunits + 1, sizeof *c->unit_of))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    norm_copy(c->unit_of[t->nunits], 16, of);
    t->units[t->nunits] = u;
    int owner = (int)t->nunits++;
    int rc =
        add_term(&t->unit_terms, &t->nunit_terms, &c->cap_unit_terms, name, owner, false, r, err);
    if (rc == LR_OK)
        rc = add_terms(&t->unit_terms, &t->nunit_terms, &c->cap_unit_terms,
                       lr_tsv_cell(r, UNIT_NAMES), owner, false, r, err);
    return rc;
}

/* Each unit's size in m², following "of" to m2 through the sizes as written (resolved sizes
 * are stored only once every unit is done). */
static int resolve_units(lr_norm_tables *t, load_ctx *c, const table_file *tf, lr_error *err)
{
    int64_t(*size)[2] = malloc((t->nunits ? t->nunits : 1) * sizeof *size);
    if (!size)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", tf->tsv.path);
    int rc = LR_OK;
    for (size_t i = 0; i < t->nunits && rc == LR_OK; i++) {
        int64_t num = t->units[i].num, den = t->units[i].den;
        const char *of = c->unit_of[i];
        size_t hops = 0;
        while (rc == LR_OK && strcmp(of, "m2") != 0) {
            size_t k;
            for (k = 0; k < t->nunits; k++)
                if (strcmp(t->units[k].name, of) == 0)
                    break;
            if (k == t->nunits || ++hops > t->nunits) {
                rc = lr_error_set(err, LR_ERR_FORMAT,
                                  "%s: unit %s is defined through \"%s\", "
                                  "which is neither m2 nor a unit of the table (or a cycle)",
                                  tf->tsv.path, t->units[i].name, of);
                break;
            }
            num *= t->units[k].num;
            den *= t->units[k].den;
            int64_t g = gcd64(num, den);
            num /= g;
            den /= g;
            if (num > INT64_C(1) << 40 || den > INT64_C(1) << 40)
                rc = lr_error_set(err, LR_ERR_FORMAT, "%s: unit %s is too large or too small",
                                  tf->tsv.path, t->units[i].name);
            of = c->unit_of[k];
        }
        size[i][0] = num;
        size[i][1] = den;
    }
    for (size_t i = 0; i < t->nunits && rc == LR_OK; i++) {
        t->units[i].num = size[i][0];
        t->units[i].den = size[i][1];
    }
    free(size);
    return rc;
}

/* ---- lookalikes.tsv ---- */

enum { LOOK_SEEN, LOOK_MEANS, LOOK_WHERE };
static const char *const look_cols[] = {"seen", "means", "where"};

static bool one_cp(const char *s, uint32_t *out)
{
    uint32_t cp[8];
    size_t n;
    bool invalid;
    if (norm_fold(s, strlen(s), cp, 8, &n, &invalid) != LR_OK || invalid || n != 1)
        return false;
    *out = cp[0];
    return true;
}

static int look_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_look l;
    memset(&l, 0, sizeof l);
    if (!one_cp(lr_tsv_cell(r, LOOK_SEEN), &l.seen))
        return lr_tsv_bad(r, "seen (one character)", lr_tsv_cell(r, LOOK_SEEN), err);
    if (!one_cp(lr_tsv_cell(r, LOOK_MEANS), &l.means) || l.means == l.seen)
        return lr_tsv_bad(r, "means (one other character)", lr_tsv_cell(r, LOOK_MEANS), err);
    char buf[128];
    norm_copy(buf, sizeof buf, lr_tsv_cell(r, LOOK_WHERE));
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (strcmp(tok, "numeral") == 0)
            l.where |= NORM_CTX_NUMERAL;
        else if (strcmp(tok, "date") == 0)
            l.where |= NORM_CTX_DATE;
        else if (strcmp(tok, "area") == 0)
            l.where |= NORM_CTX_AREA;
        else if (strcmp(tok, "lot") == 0)
            l.where |= NORM_CTX_LOT;
        else if (strcmp(tok, "address") == 0)
            l.where |= NORM_CTX_ADDRESS;
        else if (*tok)
            return lr_tsv_bad(r, "where", tok, err);
    }
    if (!grow((void **)&t->looks, &c->cap_looks, t->nlooks + 1, sizeof l))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    t->looks[t->nlooks++] = l;
    return LR_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int build_pairs(lr_norm_tables *t, lr_error *err)
{
    t->pairs = malloc((t->nlooks ? t->nlooks : 1) * sizeof *t->pairs);
    if (!t->pairs)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading look-alikes");
    for (size_t i = 0; i < t->nlooks; i++) {
        uint32_t a = t->looks[i].seen, b = t->looks[i].means;
        t->pairs[i] = a < b ? ((uint64_t)a << 32 | b) : ((uint64_t)b << 32 | a);
    }
    qsort(t->pairs, t->nlooks, sizeof *t->pairs, cmp_u64);
    t->npairs = t->nlooks;
    return LR_OK;
}

/* ---- legal_dong.tsv ---- */

enum { DONG_CODE, DONG_NAME, DONG_STATUS };
static const char *const dong_cols[] = {"법정동코드", "법정동명", "폐지여부"};

static int dong_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_dong d;
    memset(&d, 0, sizeof d);
    const char *code = lr_tsv_cell(r, DONG_CODE);
    if (strlen(code) != 10 || strspn(code, "0123456789") != 10)
        return lr_tsv_bad(r, "법정동코드", code, err);
    memcpy(d.code, code, 11);
    const char *name = lr_tsv_cell(r, DONG_NAME);
    if (!*name || strlen(name) >= sizeof d.name)
        return lr_tsv_bad(r, "법정동명", name, err);
    norm_copy(d.name, sizeof d.name, name);
    const char *st = lr_tsv_cell(r, DONG_STATUS);
    if (strcmp(st, "존재") == 0)
        d.abolished = false;
    else if (strcmp(st, "폐지") == 0)
        d.abolished = true;
    else
        return lr_tsv_bad(r, "폐지여부", st, err);
    uint32_t cp[256];
    size_t n;
    bool invalid;
    if (norm_fold(name, strlen(name), cp, 256, &n, &invalid) != LR_OK || invalid)
        return lr_tsv_bad(r, "법정동명", name, err);
    if (!grow((void **)&t->pool, &c->cap_pool, t->npool + n, sizeof *t->pool) ||
        !grow((void **)&t->dongs, &c->cap_dongs, t->ndongs + 1, sizeof d))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    d.off = t->npool;
    bool start = true;
    for (size_t i = 0; i < n; i++) {
        if (cp[i] == ' ') {
            start = true;
            continue;
        }
        if (start && d.nstarts < sizeof d.starts)
            d.starts[d.nstarts++] = (uint8_t)d.n;
        start = false;
        t->pool[t->npool++] = cp[i];
        d.n++;
    }
    t->dongs[t->ndongs++] = d;
    return LR_OK;
}

/* ---- places.tsv ---- */

enum { PLACE_NAME, PLACE_SUFFIX, PLACE_WITHIN };
static const char *const place_cols[] = {"name", "suffix", "within"};

/* Folded, spaces dropped, into cp (room for cap); false when empty, invalid or too long. */
static bool fold_tight(const char *s, uint32_t *cp, size_t cap, int *out_n)
{
    uint32_t all[NORM_TERM_MAX * 2];
    size_t n;
    bool invalid;
    if (norm_fold(s, strlen(s), all, NORM_TERM_MAX * 2, &n, &invalid) != LR_OK || invalid)
        return false;
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        if (all[i] == ' ')
            continue;
        if ((size_t)k == cap)
            return false;
        cp[k++] = all[i];
    }
    *out_n = k;
    return k > 0;
}

static int place_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_place p;
    memset(&p, 0, sizeof p);
    const char *name = lr_tsv_cell(r, PLACE_NAME), *suffix = lr_tsv_cell(r, PLACE_SUFFIX);
    uint32_t sfx[NORM_TERM_MAX];
    if (strlen(name) >= sizeof p.text || !fold_tight(name, p.cp, NORM_TERM_MAX, &p.n))
        return lr_tsv_bad(r, "name", name, err);
    if (!fold_tight(suffix, sfx, NORM_TERM_MAX, &p.suffix_n) || p.suffix_n >= p.n ||
        memcmp(sfx, p.cp + p.n - p.suffix_n, (size_t)p.suffix_n * sizeof *sfx) != 0)
        return lr_tsv_bad(r, "suffix (the name's last characters, shorter than the name)", suffix,
                          err);
    norm_copy(p.text, sizeof p.text, name);
    const char *within = lr_tsv_cell(r, PLACE_WITHIN);
    if (strlen(within) >= sizeof p.within || strchr(within, ' '))
        return lr_tsv_bad(r, "within", within, err);
    norm_copy(p.within, sizeof p.within, within);
    if (!grow((void **)&t->places, &c->cap_places, t->nplaces + 1, sizeof p))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    t->places[t->nplaces++] = p;
    return LR_OK;
}

/* Whether the table has unit name within the unit `within` ("": a first-level one). */
static bool has_place(const lr_norm_tables *t, const char *name, const char *within)
{
    for (size_t k = 0; k < t->nplaces; k++)
        if (strcmp(t->places[k].text, name) == 0 && strcmp(t->places[k].within, within) == 0)
            return true;
    return false;
}

/* The 구 and 동 of legal_dong.tsv are places too, below the first-level unit of places.tsv
 * their 법정동명 begins with (서울특별시): each existing row's last component, within the one
 * before it, its kind its last character (구, 동, 가, 로); the 구 first, then the 동 of a 구
 * that is there (a file without the 구's own row gives none of its 동). Abolished rows are
 * left out: a 동 moved between 구 would stand for two. A unit already there is not added
 * twice. */
static int dong_places(lr_norm_tables *t, load_ctx *c, const table_file *tf, lr_error *err)
{
    for (int depth = 2; depth <= NORM_PLACE_LEVELS; depth++)
        for (size_t i = 0; i < t->ndongs; i++) {
            const norm_dong *d = &t->dongs[i];
            if (d->abolished)
                continue;
            char comp[NORM_PLACE_LEVELS + 1][64];
            int nc = 0;
            for (const char *s = d->name; *s && nc <= NORM_PLACE_LEVELS;) {
                size_t len = strcspn(s, " ");
                if (len && len < sizeof comp[0]) {
                    memcpy(comp[nc], s, len);
                    comp[nc++][len] = '\0';
                }
                s += len + (s[len] == ' ');
            }
            if (nc != depth || !has_place(t, comp[0], "") ||
                (nc > 2 && !has_place(t, comp[nc - 2], comp[nc - 3])) ||
                has_place(t, comp[nc - 1], comp[nc - 2]))
                continue;
            norm_place p;
            memset(&p, 0, sizeof p);
            if (!fold_tight(comp[nc - 1], p.cp, NORM_TERM_MAX, &p.n) || p.n < 2)
                continue;
            p.suffix_n = 1;
            p.derived = true;
            norm_copy(p.text, sizeof p.text, comp[nc - 1]);
            norm_copy(p.within, sizeof p.within, comp[nc - 2]);
            if (!grow((void **)&t->places, &c->cap_places, t->nplaces + 1, sizeof p))
                return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", tf->tsv.path);
            t->places[t->nplaces++] = p;
        }
    return LR_OK;
}

/* Each place's units above it, through `within`, which must name a unit of the table. */
static int resolve_places(lr_norm_tables *t, const table_file *tf, lr_error *err)
{
    for (size_t i = 0; i < t->nplaces; i++) {
        norm_place *p = &t->places[i];
        int up[NORM_PLACE_LEVELS], n = 0;
        for (const char *w = p->within; w[0];) {
            size_t k;
            for (k = 0; k < t->nplaces; k++)
                if (strcmp(t->places[k].text, w) == 0)
                    break;
            if (k == t->nplaces || n == NORM_PLACE_LEVELS)
                return lr_error_set(err, LR_ERR_FORMAT,
                                    "%s: %s lies within \"%s\", which is no unit of the table "
                                    "(or more than %d units up, or a cycle)",
                                    tf->tsv.path, p->text, w, NORM_PLACE_LEVELS);
            up[n++] = (int)k;
            w = t->places[k].within;
        }
        p->nup = n;
        for (int j = 0; j < n; j++)
            p->up[j] = up[n - 1 - j];
    }
    return LR_OK;
}

/* ---- compose.tsv ---- */

enum { COMPOSE_CHAR, COMPOSE_ABOVE, COMPOSE_BELOW };
static const char *const compose_cols[] = {"char", "above", "below"};

static int compose_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_compose k;
    if (!one_cp(lr_tsv_cell(r, COMPOSE_CHAR), &k.c))
        return lr_tsv_bad(r, "char (one character)", lr_tsv_cell(r, COMPOSE_CHAR), err);
    if (!one_cp(lr_tsv_cell(r, COMPOSE_ABOVE), &k.above) || k.above == k.c)
        return lr_tsv_bad(r, "above (one other character)", lr_tsv_cell(r, COMPOSE_ABOVE), err);
    if (!one_cp(lr_tsv_cell(r, COMPOSE_BELOW), &k.below) || k.below == k.c)
        return lr_tsv_bad(r, "below (one other character)", lr_tsv_cell(r, COMPOSE_BELOW), err);
    for (size_t i = 0; i < t->ncomposes; i++)
        if (t->composes[i].above == k.above && t->composes[i].below == k.below)
            return lr_tsv_bad(r, "above and below (already another character's)",
                              lr_tsv_cell(r, COMPOSE_ABOVE), err);
    if (!grow((void **)&t->composes, &c->cap_composes, t->ncomposes + 1, sizeof k))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    t->composes[t->ncomposes++] = k;
    return LR_OK;
}

bool lr_norm_compose(const lr_norm_tables *t, const char *above, const char *below, char out[8])
{
    uint32_t a, b;
    out[0] = '\0';
    if (!t || !above || !below || !one_cp(above, &a) || !one_cp(below, &b))
        return false;
    for (size_t i = 0; i < t->ncomposes; i++)
        if (t->composes[i].above == a && t->composes[i].below == b) {
            norm_cp_utf8(t->composes[i].c, out);
            return true;
        }
    return false;
}

size_t lr_norm_compose_count(const lr_norm_tables *t)
{
    return t ? t->ncomposes : 0;
}

/* ---- surnames.tsv, owner_markers.tsv ---- */

enum { SUR_HANJA, SUR_HANGUL };
static const char *const sur_cols[] = {"hanja", "hangul"};

/* s folded, spaces dropped, into cp (room for cap); its length, or 0 when it is none or
 * longer than cap or invalid. */
static size_t fold_word(const char *s, uint32_t *cp, size_t cap)
{
    uint32_t buf[NORM_TERM_MAX];
    size_t n;
    bool invalid;
    if (norm_fold(s, strlen(s), buf, NORM_TERM_MAX, &n, &invalid) != LR_OK || invalid)
        return 0;
    n = norm_strip_spaces(buf, n, buf);
    if (n > cap)
        return 0;
    memcpy(cp, buf, n * sizeof *cp);
    return n;
}

/* Whether each of cp[0..n) is of the script asked for. */
static bool all_script(const uint32_t *cp, size_t n, bool hangul)
{
    for (size_t i = 0; i < n; i++)
        if (hangul ? !lr_text_is_hangul(cp[i]) : !lr_text_is_hanja(cp[i]))
            return false;
    return true;
}

static int surname_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_surname s[2];
    memset(s, 0, sizeof s);
    s[1].hangul = true;
    s[0].n = (int)fold_word(lr_tsv_cell(r, SUR_HANJA), s[0].cp, 2);
    if (!s[0].n || !all_script(s[0].cp, (size_t)s[0].n, false))
        return lr_tsv_bad(r, "hanja (one or two Hanja)", lr_tsv_cell(r, SUR_HANJA), err);
    s[1].n = (int)fold_word(lr_tsv_cell(r, SUR_HANGUL), s[1].cp, 2);
    if (s[1].n != s[0].n || !all_script(s[1].cp, (size_t)s[1].n, true))
        return lr_tsv_bad(r, "hangul (a syllable for each Hanja)", lr_tsv_cell(r, SUR_HANGUL),
                          err);
    if (!grow((void **)&t->surnames, &c->cap_surnames, t->nsurnames + 2, sizeof *s))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    t->surnames[t->nsurnames++] = s[0];
    t->surnames[t->nsurnames++] = s[1];
    return LR_OK;
}

enum { MARK_MARKER, MARK_MATCH };
static const char *const mark_cols[] = {"marker", "match"};

static int marker_row(lr_norm_tables *t, load_ctx *c, const row *r, lr_error *err)
{
    norm_marker m;
    memset(&m, 0, sizeof m);
    m.n = (int)fold_word(lr_tsv_cell(r, MARK_MARKER), m.cp, NORM_TERM_MAX);
    if (!m.n)
        return lr_tsv_bad(r, "marker", lr_tsv_cell(r, MARK_MARKER), err);
    const char *match = lr_tsv_cell(r, MARK_MATCH);
    if (strcmp(match, "whole") == 0)
        m.whole = true;
    else if (strcmp(match, "part") != 0)
        return lr_tsv_bad(r, "match (whole or part)", match, err);
    if (!grow((void **)&t->markers, &c->cap_markers, t->nmarkers + 1, sizeof m))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    t->markers[t->nmarkers++] = m;
    return LR_OK;
}

/* ---- the loader ---- */

int lr_norm_tables_load(const char *dir, lr_norm_tables **out_tables, lr_error *err)
{
    int rc = LR_OK;
    lr_norm_tables *t = NULL;
    load_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    table_file files[] = {
        {"eras.tsv", {0}},       {"categories.tsv", {0}}, {"events.tsv", {0}},
        {"area_units.tsv", {0}}, {"lookalikes.tsv", {0}}, {"legal_dong.tsv", {0}},
        {"places.tsv", {0}},     {"compose.tsv", {0}},    {"surnames.tsv", {0}},
        {"owner_markers.tsv", {0}},
    };
    const size_t nfiles = sizeof files / sizeof files[0];
    char *digest_buf = NULL;
    if (out_tables)
        *out_tables = NULL;
    if (!out_tables)
        return lr_error_set(err, LR_ERR_ARG, "no place for the tables");
    if (!dir || !*dir)
        dir = lr_norm_default_data_dir();
    if (strlen(dir) >= sizeof t->dir)
        return lr_error_set(err, LR_ERR_ARG, "data directory name too long");
    t = calloc(1, sizeof *t);
    if (!t) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory loading the data tables");
        goto done;
    }
    norm_copy(t->dir, sizeof t->dir, dir);

    /* Digest of the files as read (before the in-place splitting below). */
    size_t total = 0;
    for (size_t i = 0; i < nfiles; i++) {
        rc = read_table(dir, &files[i], strcmp(files[i].name, "legal_dong.tsv") == 0, err);
        if (rc != LR_OK)
            goto done;
        total += strlen(files[i].name) + 1 + files[i].tsv.size + 1;
    }
    digest_buf = malloc(total + 1);
    if (!digest_buf) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory loading the data tables");
        goto done;
    }
    size_t used = 0;
    for (size_t i = 0; i < nfiles; i++) {
        size_t k = strlen(files[i].name) + 1;
        memcpy(digest_buf + used, files[i].name, k);
        used += k;
        memcpy(digest_buf + used, files[i].tsv.data, files[i].tsv.size + 1);
        used += files[i].tsv.size + 1;
    }
    lr_digest_buffer(digest_buf, used, t->digest);

    /* lookalikes first: folding of the other tables does not need them, but keep one order */
    rc = each_row(t, &ctx, &files[4], look_cols, 3, look_row, err);
    if (rc == LR_OK)
        rc = build_pairs(t, err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[0], era_cols, 8, era_row, err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[1], cat_cols, 8, cat_row, err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[2], ev_cols, 4, event_row, err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[3], unit_cols, 7, unit_row, err);
    if (rc == LR_OK)
        rc = resolve_units(t, &ctx, &files[3], err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[5], dong_cols, 3, dong_row, err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[6], place_cols, 3, place_row, err);
    if (rc == LR_OK)
        rc = dong_places(t, &ctx, &files[5], err);
    if (rc == LR_OK)
        rc = resolve_places(t, &files[6], err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[7], compose_cols, 3, compose_row, err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[8], sur_cols, 2, surname_row, err);
    if (rc == LR_OK)
        rc = each_row(t, &ctx, &files[9], mark_cols, 2, marker_row, err);
    if (rc == LR_OK)
        rc = lr_gazetteer_load(dir, &t->gazetteer, err);
    if (rc != LR_OK)
        goto done;
    /* the gazetteer's files in the digest too */
    char both[2 * 65];
    snprintf(both, sizeof both, "%s%s", t->digest, lr_gazetteer_digest(t->gazetteer));
    lr_digest_buffer(both, strlen(both), t->digest);
    if (!t->neras || !t->ncats || !t->nevents || !t->nunits || !t->nsurnames) {
        rc = lr_error_set(err, LR_ERR_FORMAT, "a data table in %s has no rows", dir);
        lr_error_detail(err, "eras %zu, categories %zu, events %zu, area units %zu, surnames %zu",
                        t->neras, t->ncats, t->nevents, t->nunits, t->nsurnames / 2);
        goto done;
    }
    *out_tables = t;
    t = NULL;
done:
    for (size_t i = 0; i < nfiles; i++)
        lr_tsv_free(&files[i].tsv);
    free(digest_buf);
    free(ctx.unit_of);
    lr_norm_tables_destroy(&t);
    return rc;
}
