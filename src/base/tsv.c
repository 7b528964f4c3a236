/* tsv.c — the one reader of tab-separated tables (see tsv.h). */
#include "landrec/tsv.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/utf8.h"

/* The public 법정동코드 file is CP949; everything else must be UTF-8. */
static int to_utf8_from_cp949(lr_tsv *t, lr_error *err)
{
    int rc = LR_OK;
    iconv_t cd = iconv_open("UTF-8", "CP949");
    char *out = NULL;
    if (cd == (iconv_t)-1) {
        rc = lr_error_set(err, LR_ERR_FORMAT, "%s is neither UTF-8 nor readable as CP949", t->path);
        goto done;
    }
    size_t cap = t->size * 2 + 1;
    out = malloc(cap);
    if (!out) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory reading %s", t->path);
        goto done;
    }
    char *in = t->data, *o = out;
    size_t inleft = t->size, outleft = cap - 1;
    if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
        rc = lr_error_set(err, LR_ERR_FORMAT, "%s is neither UTF-8 nor CP949", t->path);
        lr_error_detail(err, "conversion stopped at byte %zu", t->size - inleft);
        goto done;
    }
    *o = '\0';
    free(t->data);
    t->data = out;
    t->size = (size_t)(o - out);
    out = NULL;
done:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    free(out);
    return rc;
}

/* The file's bytes into t->data, NUL-terminated. */
static int read_bytes(FILE *f, lr_tsv *t, lr_error *err)
{
    if (fseek(f, 0, SEEK_END) != 0)
        return lr_error_set(err, LR_ERR_IO, "cannot read %s: %s", t->path, strerror(errno));
    long size = ftell(f);
    if (size < 0 || size > LR_TSV_MAX_BYTES || fseek(f, 0, SEEK_SET) != 0)
        return lr_error_set(err, LR_ERR_IO, "cannot read %s (size %ld)", t->path, size);
    t->data = malloc((size_t)size + 1);
    if (!t->data)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading %s", t->path);
    t->size = fread(t->data, 1, (size_t)size, f);
    if (t->size != (size_t)size)
        return lr_error_set(err, LR_ERR_IO, "cannot read %s: short read", t->path);
    t->data[t->size] = '\0';
    return LR_OK;
}

int lr_tsv_load(const char *path, const lr_tsv_options *opts, lr_tsv *out, lr_error *err)
{
    static const lr_tsv_options none = {false, NULL};
    if (!opts)
        opts = &none;
    memset(out, 0, sizeof *out);
    if (!path)
        return lr_error_set(err, LR_ERR_ARG, "no table to read");
    if (!(out->path = strdup(path)))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading %s", path);
    int rc = LR_OK;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = lr_error_set(err, LR_ERR_IO, "cannot open %s: %s", path, strerror(errno));
        if (opts->hint)
            lr_error_hint(err, "%s", opts->hint);
        goto done;
    }
    rc = read_bytes(f, out, err);
    fclose(f);
    if (rc == LR_OK && !lr_utf8_valid(out->data, out->size)) {
        if (opts->cp949 && !memchr(out->data, '\0', out->size))
            rc = to_utf8_from_cp949(out, err);
        else
            rc = lr_error_set(err, LR_ERR_FORMAT, "%s is not UTF-8 text", path);
    }
done:
    if (rc != LR_OK)
        lr_tsv_free(out);
    return rc;
}

void lr_tsv_free(lr_tsv *t)
{
    if (!t)
        return;
    free(t->path);
    free(t->data);
    memset(t, 0, sizeof *t);
}

const char *lr_tsv_cell(const lr_tsv_row *r, int k)
{
    int i = r->col[k];
    return i >= 0 && i < r->nf ? r->f[i] : "";
}

int lr_tsv_bad(const lr_tsv_row *r, const char *what, const char *value, lr_error *err)
{
    return lr_error_set(err, LR_ERR_FORMAT, "%s:%d: bad %s \"%s\"", r->file->path, r->line, what,
                        value);
}

/* The index in the header row h of each of the ncols wanted columns into col. */
static int map_header(const lr_tsv_row *h, const char *const *cols, int ncols, int *col,
                      lr_error *err)
{
    for (int k = 0; k < ncols; k++) {
        col[k] = -1;
        for (int i = 0; i < h->nf; i++)
            if (strcmp(h->f[i], cols[k]) == 0)
                col[k] = i;
        if (col[k] < 0)
            return lr_error_set(err, LR_ERR_FORMAT, "%s:%d: no column \"%s\" in the header",
                                h->file->path, h->line, cols[k]);
    }
    return LR_OK;
}

/* Cells are trimmed: editors leave spaces around tabs. */
static void trim_fields(lr_tsv_row *r)
{
    for (int i = 0; i < r->nf; i++) {
        char *s = r->f[i];
        while (*s == ' ')
            s++;
        size_t k = strlen(s);
        while (k && s[k - 1] == ' ')
            s[--k] = '\0';
        r->f[i] = s;
    }
}

int lr_tsv_each_row(lr_tsv *t, const char *const *cols, int ncols, lr_tsv_row_fn fn, void *ctx,
                    lr_error *err)
{
    int col[LR_TSV_MAX_COLS];
    bool have_header = false;
    int line = 0;
    if (ncols < 0 || ncols > LR_TSV_MAX_COLS || !t->data)
        return lr_error_set(err, LR_ERR_ARG, "lr_tsv_each_row: %d columns of %s", ncols,
                            t->path ? t->path : "no table");
    char *p = t->data;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a byte-order mark left by a spreadsheet */
    while (*p) {
        char *eol = strchr(p, '\n');
        char *next = eol ? eol + 1 : p + strlen(p);
        if (eol)
            *eol = '\0';
        line++;
        size_t n = strlen(p);
        if (n && p[n - 1] == '\r')
            p[--n] = '\0';
        if (n == 0 || p[0] == '#') {
            p = next;
            continue;
        }
        lr_tsv_row r = {t, line, {0}, 0, col};
        for (char *s = p;;) {
            if (r.nf == LR_TSV_MAX_COLS)
                return lr_error_set(err, LR_ERR_FORMAT, "%s:%d: more than %d columns", t->path,
                                    line, LR_TSV_MAX_COLS);
            r.f[r.nf++] = s;
            char *tab = strchr(s, '\t');
            if (!tab)
                break;
            *tab = '\0';
            s = tab + 1;
        }
        int rc;
        if (!have_header) {
            rc = map_header(&r, cols, ncols, col, err);
            have_header = true;
        } else {
            trim_fields(&r);
            rc = fn(ctx, &r, err);
        }
        if (rc != LR_OK)
            return rc;
        p = next;
    }
    if (!have_header)
        return lr_error_set(err, LR_ERR_FORMAT, "%s: no header line", t->path);
    return LR_OK;
}
