/* conninfo.c — passwords masked out of connection strings and of messages about them (see
 * conninfo.h).
 *
 * The string is read by a lexer of its own that follows libpq's grammar (conninfo_parse and
 * conninfo_uri_parse_options in fe-connect.c) but never gives up: a malformed string is
 * exactly the one whose error message may quote it. What the lexer finds is a list of spans
 * of the string that are secrets; libpq's own reading (PQconninfoParse, when it succeeds) is
 * added as values to mask wherever they appear.
 */
#include "landrec/conninfo.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "landrec/utf8.h"

#define MASK "***"

typedef enum span_kind {
    SPAN_PLAIN,  /* the bytes as they are */
    SPAN_URI,    /* percent-encoded */
    SPAN_QUOTED, /* a key=value value: may be quoted, with backslash escapes */
} span_kind;

typedef struct span {
    size_t start, end;
    span_kind kind;
} span;

typedef struct span_list {
    span *v;
    size_t n, cap;
    bool failed; /* out of memory */
} span_list;

static void add_span(span_list *l, size_t start, size_t end, span_kind kind)
{
    if (end <= start || l->failed)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        span *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (span){start, end, kind};
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const char *const secret_keys[] = {"password", "sslpassword"};

static bool is_secret_key(const char *k, size_t n)
{
    for (size_t i = 0; i < sizeof secret_keys / sizeof *secret_keys; i++)
        if (strlen(secret_keys[i]) == n && strncasecmp(k, secret_keys[i], n) == 0)
            return true;
    return false;
}

/* The index of the first c in s[from, to), or to. */
static size_t first_of(const char *s, size_t from, size_t to, char c)
{
    while (from < to && s[from] != c)
        from++;
    return from;
}

/* The index of the last c in s[from, to), or to. */
static size_t last_of(const char *s, size_t from, size_t to, char c)
{
    for (size_t i = to; i > from; i--)
        if (s[i - 1] == c)
            return i - 1;
    return to;
}

/* Percent-decodes n bytes of s into out (room for n + 1); a '%' not followed by two hex digits
 * stays as it is. Returns the length. */
static size_t percent_decode(const char *s, size_t n, char *out)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && lr_utf8_hex_byte(s + i + 1) >= 0) {
            out[j++] = (char)lr_utf8_hex_byte(s + i + 1);
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    return j;
}

/* The password of a URI authority that begins at from and ends at the first '/' before to:
 * between the first ':' and the last '@'. libpq takes the first '@'; the last one also
 * covers a password with an unencoded '@' in it, which libpq misreads. */
static void uri_userinfo(const char *s, size_t from, size_t to, span_list *out, size_t *out_at)
{
    size_t end = first_of(s, from, to, '/');
    size_t at = last_of(s, from, end, '@');
    *out_at = at < end ? at : from;
    if (at == end)
        return;
    size_t colon = first_of(s, from, at, ':');
    if (colon < at)
        add_span(out, colon + 1, at, SPAN_URI);
}

/* A word that libpq would take as a name but that looks like user:secret@host, with or
 * without a scheme (a mistyped URI). */
static void word_userinfo(const char *s, size_t from, size_t to, span_list *out)
{
    for (size_t i = from; i + 2 < to; i++) {
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
            size_t at;
            uri_userinfo(s, i + 3, to, out, &at);
            return;
        }
    }
    size_t at = last_of(s, from, to, '@');
    if (at == to)
        return;
    size_t slash = last_of(s, from, at, '/');
    size_t seg = slash < at ? slash + 1 : from;
    size_t colon = first_of(s, seg, at, ':');
    if (colon < at)
        add_span(out, colon + 1, at, SPAN_PLAIN);
}

static size_t uri_prefix_len(const char *s)
{
    static const char *const prefixes[] = {"postgresql://", "postgres://"};
    for (size_t i = 0; i < 2; i++)
        if (strncasecmp(s, prefixes[i], strlen(prefixes[i])) == 0)
            return strlen(prefixes[i]);
    return 0;
}

static void lex_uri(const char *s, size_t prefix, span_list *out)
{
    size_t n = strlen(s), at;
    uri_userinfo(s, prefix, n, out, &at);
    const char *q = strchr(s + at, '?');
    if (!q)
        return;
    for (size_t p = (size_t)(q - s) + 1; p < n;) {
        size_t e = p;
        while (e < n && s[e] != '&')
            e++;
        const char *eq = memchr(s + p, '=', e - p);
        if (eq) {
            size_t klen = (size_t)(eq - (s + p));
            char *key = malloc(klen + 1);
            if (!key) {
                out->failed = true;
                return;
            }
            size_t dlen = percent_decode(s + p, klen, key);
            if (is_secret_key(key, dlen))
                add_span(out, (size_t)(eq - s) + 1, e, SPAN_URI);
            else
                word_userinfo(s, (size_t)(eq - s) + 1, e, out);
            free(key);
        }
        p = e + 1;
    }
}

/* key = value pairs separated by white space; a value is a word with backslash escapes or a
 * single-quoted string with backslash escapes; an unterminated quote runs to the end. */
static void lex_keyvalue(const char *s, span_list *out)
{
    size_t p = 0;
    bool after_secret = false;
    while (s[p]) {
        while (is_space(s[p]))
            p++;
        if (!s[p])
            break;
        size_t k0 = p;
        while (s[p] && !is_space(s[p]) && s[p] != '=')
            p++;
        size_t k1 = p;
        while (is_space(s[p]))
            p++;
        if (s[p] != '=') {
            /* A bare word: libpq stops here ("missing "=""). After a password, it is most
             * likely the rest of an unquoted password with a space in it. */
            if (after_secret)
                add_span(out, k0, k1, SPAN_PLAIN);
            else
                word_userinfo(s, k0, k1, out);
            p = k1;
            continue;
        }
        p++;
        while (is_space(s[p]))
            p++;
        size_t v0 = p;
        if (s[p] == '\'') {
            p++;
            while (s[p] && s[p] != '\'')
                p += (s[p] == '\\' && s[p + 1]) ? 2 : 1;
            if (s[p] == '\'')
                p++;
        } else {
            while (s[p] && !is_space(s[p]))
                p += (s[p] == '\\' && s[p + 1]) ? 2 : 1;
        }
        after_secret = is_secret_key(s + k0, k1 - k0);
        if (after_secret) {
            add_span(out, v0, p, SPAN_QUOTED);
        } else {
            word_userinfo(s, k0, k1, out);
            word_userinfo(s, v0, p, out);
        }
    }
}

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* The secret spans of conninfo, sorted, overlaps merged. */
static int find_spans(const char *conninfo, span_list *out)
{
    memset(out, 0, sizeof *out);
    size_t prefix = uri_prefix_len(conninfo);
    if (prefix)
        lex_uri(conninfo, prefix, out);
    else if (strchr(conninfo, '='))
        lex_keyvalue(conninfo, out);
    else
        word_userinfo(conninfo, 0, strlen(conninfo), out);
    if (out->failed) {
        free(out->v);
        memset(out, 0, sizeof *out);
        return -1;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_span);
    size_t w = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (w > 0 && out->v[i].start <= out->v[w - 1].end) {
            if (out->v[i].end > out->v[w - 1].end)
                out->v[w - 1].end = out->v[i].end;
        } else {
            out->v[w++] = out->v[i];
        }
    }
    out->n = w;
    return 0;
}

/* ---- secrets as values ---------------------------------------------------------------- */

typedef struct secret_list {
    char **v;
    size_t n, cap;
    bool failed;
} secret_list;

static void add_secret(secret_list *l, const char *s, size_t n)
{
    if (n == 0 || l->failed)
        return;
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i]) == n && memcmp(l->v[i], s, n) == 0)
            return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    char *c = malloc(n + 1);
    if (!c) {
        l->failed = true;
        return;
    }
    memcpy(c, s, n);
    c[n] = '\0';
    l->v[l->n++] = c;
}

static void free_secrets(secret_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* A span's text as written and as libpq reads it (unquoted and unescaped, or percent-decoded). */
static void add_span_secrets(secret_list *l, const char *s, const span *sp)
{
    size_t n = sp->end - sp->start;
    const char *v = s + sp->start;
    add_secret(l, v, n);
    char *d = malloc(n + 1);
    if (!d) {
        l->failed = true;
        return;
    }
    size_t dn = 0;
    if (sp->kind == SPAN_URI) {
        dn = percent_decode(v, n, d);
    } else if (sp->kind == SPAN_QUOTED) {
        size_t i = 0, e = n;
        if (n > 0 && v[0] == '\'') {
            i = 1;
            if (n > 1 && v[n - 1] == '\'')
                e = n - 1;
        }
        for (; i < e; i++) {
            if (v[i] == '\\' && i + 1 < e)
                i++;
            d[dn++] = v[i];
        }
    }
    add_secret(l, d, dn);
    free(d);
}

/* Passwords as libpq reads them from conninfo, when it can. */
static void add_libpq_secrets(secret_list *l, const char *conninfo)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &errmsg);
    PQfreemem(errmsg);
    if (!opts)
        return;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (o->val && is_secret_key(o->keyword, strlen(o->keyword)))
            add_secret(l, o->val, strlen(o->val));
    PQconninfoFree(opts);
}

static bool is_word_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_' ||
           u >= 0x80;
}

/* text with every occurrence of needle replaced by with; when bounded, only where needle is
 * not part of a longer word. Takes text (frees it); NULL when out of memory. */
static char *replace_all(char *text, const char *needle, const char *with, bool bounded)
{
    size_t nn = strlen(needle), tn = strlen(text), wn = strlen(with);
    size_t count = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += nn)
        count++;
    if (count == 0)
        return text;
    char *out = malloc(tn + count * wn + 1);
    if (!out) {
        free(text);
        return NULL;
    }
    size_t j = 0;
    for (size_t i = 0; i < tn;) {
        if (strncmp(text + i, needle, nn) == 0 &&
            (!bounded || ((i == 0 || !is_word_byte(text[i - 1])) && !is_word_byte(text[i + nn])))) {
            memcpy(out + j, with, wn);
            j += wn;
            i += nn;
        } else {
            out[j++] = text[i++];
        }
    }
    out[j] = '\0';
    free(text);
    return out;
}

static int cmp_longer_first(const void *a, const void *b)
{
    size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
    return (x < y) - (x > y);
}

/* Masks every secret of l in text (takes it); longer ones first, so that a secret containing
 * another is masked whole. */
static char *mask_values(char *text, secret_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_longer_first);
    for (size_t i = 0; text && i < l->n; i++)
        if (strcmp(l->v[i], MASK) != 0)
            text = replace_all(text, l->v[i], MASK, strlen(l->v[i]) < 4);
    return text;
}

/* ---- public --------------------------------------------------------------------------- */

/* The spans masked, without libpq's reading. */
static char *redact_spans(const char *conninfo, const span_list *sp)
{
    size_t n = strlen(conninfo), mn = strlen(MASK);
    char *out = malloc(n + sp->n * mn + 1);
    if (!out)
        return NULL;
    size_t j = 0, from = 0;
    for (size_t i = 0; i < sp->n; i++) {
        memcpy(out + j, conninfo + from, sp->v[i].start - from);
        j += sp->v[i].start - from;
        memcpy(out + j, MASK, mn);
        j += mn;
        from = sp->v[i].end;
    }
    memcpy(out + j, conninfo + from, n - from);
    out[j + n - from] = '\0';
    return out;
}

char *lr_conninfo_redact(const char *conninfo)
{
    span_list sp = {0};
    secret_list secrets = {0};
    char *out = NULL;
    if (!conninfo || find_spans(conninfo, &sp) < 0)
        goto done;
    out = redact_spans(conninfo, &sp);
    add_libpq_secrets(&secrets, conninfo);
    if (!out || secrets.failed) {
        free(out);
        out = NULL;
        goto done;
    }
    out = mask_values(out, &secrets);
done:
    free_secrets(&secrets);
    free(sp.v);
    return out;
}

char *lr_conninfo_redact_text(const char *text, const char *conninfo)
{
    span_list sp = {0};
    secret_list secrets = {0};
    char *redacted = NULL;
    char *out = text ? strdup(text) : NULL;
    if (!out)
        goto done;
    if (conninfo && *conninfo) {
        /* The whole string first, so that a message quoting it keeps its shape. */
        if (!(redacted = lr_conninfo_redact(conninfo)) || find_spans(conninfo, &sp) < 0) {
            secrets.failed = true;
            goto done;
        }
        if (strcmp(redacted, conninfo) != 0 && !(out = replace_all(out, conninfo, redacted, false)))
            goto done;
        for (size_t i = 0; i < sp.n; i++)
            add_span_secrets(&secrets, conninfo, &sp.v[i]);
        add_libpq_secrets(&secrets, conninfo);
    }
    const char *env = getenv("PGPASSWORD");
    if (env && *env)
        add_secret(&secrets, env, strlen(env));
    if (!secrets.failed)
        out = mask_values(out, &secrets);
done:
    if (secrets.failed) {
        free(out);
        out = NULL;
    }
    free(redacted);
    free_secrets(&secrets);
    free(sp.v);
    return out;
}
