/* norm_text.c — text folding, the parsers' opening and notes, look-alike repair and weighted
 * edit distance shared by the normalisers, and the NFC cleaner for names and addresses.
 * Unicode tables come from utf8proc, never from here. */
#include "norm_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "landrec/strbuf.h"
#include "landrec/utf8.h"

const char *lr_norm_status_name(lr_norm_status status)
{
    switch (status) {
    case LR_NORM_OK:
        return "ok";
    case LR_NORM_FLAGGED:
        return "flagged";
    case LR_NORM_UNPARSEABLE:
        return "unparseable";
    }
    return "unknown";
}

void norm_copy(char *dst, size_t size, const char *src)
{
    if (!dst || size == 0)
        return;
    size_t n = src ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
        /* back off to the start of a character so the copy stays valid UTF-8 */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

void norm_note(lr_norm_note *note, lr_norm_status status, const char *fmt, ...)
{
    note->status = status;
    note->reason[0] = '\0';
    if (fmt) {
        char buf[LR_NORM_REASON_SIZE];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        norm_copy(note->reason, sizeof note->reason, buf);
    }
}

static void note_vadd(lr_norm_note *note, const char *fmt, va_list ap)
{
    char buf[LR_NORM_REASON_SIZE];
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t used = strlen(note->reason);
    if (used == 0) {
        norm_copy(note->reason, sizeof note->reason, buf);
        return;
    }
    if (used + 3 >= sizeof note->reason)
        return;
    memcpy(note->reason + used, "; ", 3);
    norm_copy(note->reason + used + 2, sizeof note->reason - used - 2, buf);
}

void norm_result_clear(void *out, size_t size, lr_norm_note *note)
{
    memset(out, 0, size);
    norm_note(note, LR_NORM_UNPARSEABLE, "no input");
}

void norm_note_add(lr_norm_note *note, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    note_vadd(note, fmt, ap);
    va_end(ap);
}

void norm_flag(lr_norm_note *note, const char *fmt, ...)
{
    note->status = LR_NORM_FLAGGED;
    va_list ap;
    va_start(ap, fmt);
    note_vadd(note, fmt, ap);
    va_end(ap);
}

int norm_unparseable(lr_norm_note *note, const char *fmt, ...)
{
    char buf[LR_NORM_REASON_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    note->status = LR_NORM_UNPARSEABLE;
    note->score = 0.0f;
    norm_copy(note->reason, sizeof note->reason, buf);
    return LR_OK;
}

float norm_fixes_score(int fixes)
{
    return fixes >= 9 ? 0.1f : 1.0f - 0.1f * (float)fixes;
}

void norm_note_fixes(lr_norm_note *note, int fixes)
{
    if (fixes)
        norm_note_add(note, "%d look-alike%s repaired", fixes, fixes > 1 ? "s" : "");
}

void norm_note_repairs(lr_norm_note *note, int fixes)
{
    norm_note_fixes(note, fixes);
    note->distance = fixes;
    note->score = norm_fixes_score(fixes);
}

void norm_flag_invalid(lr_norm_note *note, bool invalid)
{
    if (invalid)
        norm_flag(note, "invalid UTF-8 in the input");
}

size_t norm_strip_spaces(const uint32_t *in, size_t n, uint32_t *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i] != ' ')
            out[m++] = in[i];
    return m;
}

char *norm_cp_utf8(uint32_t cp, char buf[8])
{
    utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)buf);
    if (k <= 0) {
        memcpy(buf, "\xEF\xBF\xBD", 3);
        k = 3;
    }
    buf[k] = '\0';
    return buf;
}

char *norm_cps_utf8(const uint32_t *cp, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    if (size == 0)
        return buf;
    for (size_t i = 0; i < n; i++) {
        char c[8];
        norm_cp_utf8(cp[i], c);
        size_t k = strlen(c);
        if (used + k + 1 > size)
            break;
        memcpy(buf + used, c, k);
        used += k;
    }
    buf[used] = '\0';
    return buf;
}

/* Valid UTF-8 copy of text with each byte that begins no valid sequence, and each NUL,
 * replaced by U+FFFD: utf8proc refuses invalid input as a whole, and one bad byte must not
 * lose the rest of a cell. Caller frees. */
static char *sanitize_utf8(const char *text, size_t len, size_t *out_len, bool *out_invalid)
{
    char *buf = malloc(len * 3 + 1);
    if (!buf)
        return NULL;
    size_t used = 0, i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t k = lr_utf8_next(text + i, len - i, &cp);
        if (k == 0 || cp == 0) {
            memcpy(buf + used, "\xEF\xBF\xBD", 3);
            used += 3;
            *out_invalid = true;
            i++;
            continue;
        }
        memcpy(buf + used, text + i, k);
        used += k;
        i += k;
    }
    buf[used] = '\0';
    *out_len = used;
    return buf;
}

static bool is_space(utf8proc_int32_t c)
{
    if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 || c == 0x2028 ||
        c == 0x2029)
        return true;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

static bool is_dropped(utf8proc_int32_t c)
{
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF;
}

/* Maps sanitized text with utf8proc options and calls emit for each resulting code point,
 * spaces collapsed and trimmed, controls dropped. */
typedef int (*emit_fn)(void *ctx, utf8proc_int32_t cp);

static int map_text(const char *text, size_t len, utf8proc_option_t opts, emit_fn emit, void *ctx,
                    bool *out_invalid)
{
    int rc = LR_OK;
    size_t slen = 0;
    utf8proc_uint8_t *mapped = NULL;
    char *clean = sanitize_utf8(text ? text : "", text ? len : 0, &slen, out_invalid);
    if (!clean) {
        rc = LR_ERR_NOMEM;
        goto done;
    }
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)clean, (utf8proc_ssize_t)slen,
                                      &mapped, opts | UTF8PROC_STABLE);
    if (m < 0) {
        /* the input is valid UTF-8 by now, so only memory can fail */
        rc = LR_ERR_NOMEM;
        goto done;
    }
    bool pending_space = false, any = false;
    for (utf8proc_ssize_t i = 0; i < m;) {
        uint32_t c;
        size_t k = lr_utf8_next((const char *)mapped + i, (size_t)(m - i), &c);
        if (k == 0)
            break;
        i += (utf8proc_ssize_t)k;
        utf8proc_int32_t cp = (utf8proc_int32_t)c;
        if (is_space(cp)) {
            pending_space = any;
            continue;
        }
        if (is_dropped(cp))
            continue;
        if (pending_space) {
            rc = emit(ctx, ' ');
            if (rc != LR_OK)
                goto done;
            pending_space = false;
        }
        rc = emit(ctx, cp);
        if (rc != LR_OK)
            goto done;
        any = true;
    }
done:
    free(clean);
    free(mapped);
    return rc;
}

typedef struct cp_sink {
    uint32_t *out;
    size_t cap, n;
} cp_sink;

static int emit_cp(void *ctx, utf8proc_int32_t cp)
{
    cp_sink *s = ctx;
    if (s->n >= s->cap)
        return LR_ERR_TOO_LARGE;
    s->out[s->n++] = (uint32_t)cp;
    return LR_OK;
}

int norm_fold(const char *text, size_t len, uint32_t *out, size_t cap, size_t *out_n,
              bool *out_invalid)
{
    *out_n = 0;
    *out_invalid = false;
    if (len > LR_NORM_INPUT_MAX)
        return LR_ERR_TOO_LARGE;
    cp_sink s = {out, cap, 0};
    int rc = map_text(text, len, UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD, emit_cp,
                      &s, out_invalid);
    *out_n = rc == LR_OK ? s.n : 0;
    return rc;
}

int norm_read_input(const char *text, size_t len, const char *what, lr_norm_note *note,
                    uint32_t *cp, size_t *out_n, bool *out_invalid, lr_error *err)
{
    int rc = norm_fold(text, len, cp, LR_NORM_INPUT_MAX, out_n, out_invalid);
    if (rc == LR_ERR_NOMEM)
        return lr_error_set(err, rc, "out of memory reading %s", what);
    if (rc != LR_OK)
        norm_unparseable(note, "input too long");
    else if (*out_n == 0)
        norm_unparseable(note, "empty");
    return LR_OK;
}

/* Appends each code point as UTF-8 to an lr_strbuf. */
static int emit_utf8(void *ctx, utf8proc_int32_t cp)
{
    lr_strbuf *b = ctx;
    utf8proc_uint8_t u[4];
    lr_strbuf_put(b, (const char *)u, (size_t)utf8proc_encode_char(cp, u));
    return b->failed ? LR_ERR_NOMEM : LR_OK;
}

int lr_norm_clean_text(const char *text, size_t len, char **out_text, lr_error *err)
{
    if (out_text)
        *out_text = NULL;
    if (!out_text || (!text && len > 0))
        return lr_error_set(err, LR_ERR_ARG, "no text or no place for the result");
    bool invalid = false;
    lr_strbuf b = LR_STRBUF_INIT;
    int rc = map_text(text, len, UTF8PROC_COMPOSE, emit_utf8, &b, &invalid);
    char *clean = rc == LR_OK ? lr_strbuf_take(&b) : NULL;
    lr_strbuf_free(&b);
    if (!clean)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory normalising text");
    *out_text = clean;
    return LR_OK;
}

/* ---- look-alikes and edit distance ---- */

int norm_fix_lookalikes(const lr_norm_tables *t, uint32_t *cp, size_t n, unsigned ctx,
                        bool (*valid)(const lr_norm_tables *t, uint32_t c))
{
    int fixes = 0;
    if (!t)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (valid(t, cp[i]))
            continue;
        for (size_t k = 0; k < t->nlooks; k++) {
            const norm_look *l = &t->looks[k];
            if (l->seen == cp[i] && (l->where & ctx) && valid(t, l->means)) {
                cp[i] = l->means;
                fixes++;
                break;
            }
        }
    }
    return fixes;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

bool norm_is_lookalike(const lr_norm_tables *t, uint32_t a, uint32_t b)
{
    if (!t || !t->npairs || a == b)
        return false;
    uint64_t key = a < b ? ((uint64_t)a << 32 | b) : ((uint64_t)b << 32 | a);
    return bsearch(&key, t->pairs, t->npairs, sizeof *t->pairs, cmp_u64) != NULL;
}

typedef struct dp_cell {
    int cost;
    int ops;
} dp_cell;

static bool better(dp_cell a, dp_cell b)
{
    return a.cost < b.cost || (a.cost == b.cost && a.ops < b.ops);
}

/* Column-wise over the text so only the pattern's length is kept: patterns are vocabulary
 * forms (short), texts may be long. */
void norm_distance(const lr_norm_tables *t, const uint32_t *a, size_t na, const uint32_t *p,
                   size_t np, bool substring, int *out_cost, int *out_ops)
{
    dp_cell col[NORM_TERM_MAX + 1], prev[NORM_TERM_MAX + 1];
    if (np > NORM_TERM_MAX)
        np = NORM_TERM_MAX;
    for (size_t i = 0; i <= np; i++)
        prev[i] = (dp_cell){(int)i * NORM_COST_EDIT, (int)i};
    dp_cell best = prev[np];
    for (size_t j = 1; j <= na; j++) {
        /* a substring may start anywhere in the text for free */
        col[0] = substring ? (dp_cell){0, 0} : (dp_cell){(int)j * NORM_COST_EDIT, (int)j};
        for (size_t i = 1; i <= np; i++) {
            int sub = 0;
            if (p[i - 1] != a[j - 1])
                sub = norm_is_lookalike(t, p[i - 1], a[j - 1]) ? NORM_COST_LOOK : NORM_COST_EDIT;
            dp_cell c = {prev[i - 1].cost + sub, prev[i - 1].ops + (sub ? 1 : 0)};
            dp_cell del = {prev[i].cost + NORM_COST_EDIT, prev[i].ops + 1};
            dp_cell ins = {col[i - 1].cost + NORM_COST_EDIT, col[i - 1].ops + 1};
            if (better(del, c))
                c = del;
            if (better(ins, c))
                c = ins;
            col[i] = c;
        }
        if (substring && better(col[np], best))
            best = col[np];
        memcpy(prev, col, sizeof(dp_cell) * (np + 1));
    }
    if (!substring)
        best = prev[np];
    *out_cost = best.cost;
    *out_ops = best.ops;
}

bool norm_accept(int cost, size_t np)
{
    /* about one edit in three code points; a one- or two-character form only through
       look-alikes, since any other edit there leaves nothing of the word */
    int limit = (int)(NORM_COST_EDIT * np) / 3;
    if (limit < NORM_COST_LOOK)
        limit = NORM_COST_LOOK;
    return cost <= limit;
}

float norm_score(int cost, size_t n, size_t np)
{
    size_t len = n > np ? n : np;
    if (len == 0)
        return 0.0f;
    float s = 1.0f - (float)cost / (float)(NORM_COST_EDIT * len);
    return s < 0.0f ? 0.0f : s;
}

static int cmp_cand(const void *a, const void *b)
{
    const norm_cand *x = a, *y = b;
    if (x->accepted != y->accepted)
        return x->accepted ? -1 : 1;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->owner != y->owner)
        return x->owner < y->owner ? -1 : 1;
    return x->term < y->term ? -1 : x->term > y->term;
}

int norm_rank(const lr_norm_tables *t, const norm_term *terms, size_t nterms, const uint32_t *in,
              size_t n, bool substring, norm_cand **out)
{
    *out = NULL;
    norm_cand *c = malloc((nterms ? nterms : 1) * sizeof *c);
    if (!c)
        return -1;
    size_t nc = 0;
    for (size_t k = 0; k < nterms; k++) {
        int cost, ops;
        norm_distance(t, in, n, terms[k].cp, (size_t)terms[k].n, substring, &cost, &ops);
        /* against a substring the form's own length is what was matched */
        float score = norm_score(cost, substring ? (size_t)terms[k].n : n, (size_t)terms[k].n);
        size_t i;
        for (i = 0; i < nc; i++)
            if (c[i].owner == terms[k].owner)
                break;
        norm_cand cand = {
            terms[k].owner, (int)k, cost, ops, score, norm_accept(cost, (size_t)terms[k].n)};
        if (i == nc)
            c[nc++] = cand;
        else if (cmp_cand(&cand, &c[i]) < 0)
            c[i] = cand;
    }
    qsort(c, nc, sizeof *c, cmp_cand);
    *out = c;
    return (int)nc;
}
