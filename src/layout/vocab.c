/* vocab.c — the layout's vocabulary (layout.h): the printed labels (data/labels.tsv), the
 * document titles (titles.tsv) and the characters each field's cell is read again with
 * (whitelists.tsv), read from the normalisers' data directory with the one TSV reader (tsv.h). */
#include "layout_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/digest.h"
#include "landrec/normalize.h"
#include "landrec/tsv.h"

/* The vocabulary the settings hash stands for without naming it: the digest
 * (lr_vocab_digest) of labels.tsv, titles.tsv and whitelists.tsv as data/ ships them. With
 * it, the forms' digest (lr_forms_load), which the settings hash takes in, covers the form
 * files alone, so that pages read with these words keep their settings hash and are not read
 * again; any other vocabulary adds its digest, and a changed file makes new runs. Keep this
 * value when the shipped files change: their new digest must then enter the hash. */
#define VOCAB_BASELINE_DIGEST "b47e6a4713445859e9f40c71a9166813424a8f520bd4da982fe40134b2d544ad"

static const char *const vocab_files[] = {"labels.tsv", "titles.tsv", "whitelists.tsv"};

void lr_vocab_destroy(lr_vocab **pvocab)
{
    if (!pvocab || !*pvocab)
        return;
    free((*pvocab)->labels);
    free((*pvocab)->others);
    free((*pvocab)->titles);
    free(*pvocab);
    *pvocab = NULL;
}

const char *lr_vocab_digest(const lr_vocab *v)
{
    return v ? v->digest : "";
}

const char *lr_vocab_whitelist(const lr_vocab *v, lr_field_kind k)
{
    return v && k > LR_FIELD_NONE && k < LR_FIELD_COUNT ? v->whitelist[k] : "";
}

bool vocab_is_baseline(const lr_vocab *v)
{
    return v && strcmp(v->digest, VOCAB_BASELINE_DIGEST) == 0;
}

static int bad(const char *path, int line, const char *what, const char *value, lr_error *err)
{
    return lr_error_set(err, LR_ERR_FORMAT, "%s:%d: bad %s \"%s\"", path, line, what, value);
}

/* Copies a label or a title of a row into dst (VOCAB_TEXT_SIZE bytes). */
static int take_text(char *dst, const char *text, const char *what, const char *path, int line,
                     lr_error *err)
{
    if (!*text || strlen(text) >= VOCAB_TEXT_SIZE)
        return bad(path, line, what, text, err);
    snprintf(dst, VOCAB_TEXT_SIZE, "%s", text);
    return LR_OK;
}

/* Appends one element of size bytes to *arr (holding *n). */
static void *append(void *arr, size_t *n, size_t size)
{
    char *grown = realloc(arr, (*n + 1) * size);
    if (grown)
        memset(grown + *n * size, 0, size);
    return grown;
}

/* A row handler of this file: the cells of the columns asked for, in that order, with the
 * file's path and the row's line for messages. */
typedef int (*vocab_row_fn)(void *ctx, const char *const *cells, const char *path, int line,
                            lr_error *err);

typedef struct vocab_read {
    vocab_row_fn fn;
    void *ctx;
    int ncols;
} vocab_read;

static int vocab_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    const vocab_read *vr = ctx;
    const char *cells[LR_TSV_MAX_COLS];
    for (int k = 0; k < vr->ncols; k++)
        cells[k] = lr_tsv_cell(r, k);
    return vr->fn(vr->ctx, cells, r->file->path, r->line, err);
}

/* Reads dir/name (dir NULL or "": lr_norm_default_data_dir()), calling fn for each row with
 * the cells of cols; out_hex: the SHA-256 of the file's bytes. */
static int read_vocab_file(const char *dir, const char *name, const char *const *cols, int ncols,
                           vocab_row_fn fn, void *ctx, char out_hex[LR_SHA256_HEX_LEN + 1],
                           lr_error *err)
{
    if (!dir || !*dir)
        dir = lr_norm_default_data_dir();
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    lr_tsv_options opts = {false, LR_TSV_HINT_DATA_DIR};
    lr_tsv t;
    int rc = lr_tsv_load(path, &opts, &t, err);
    if (rc < 0)
        return rc;
    lr_digest_buffer(t.data, t.size, out_hex);
    vocab_read vr = {fn, ctx, ncols};
    rc = lr_tsv_each_row(&t, cols, ncols, vocab_row, &vr, err);
    lr_tsv_free(&t);
    return rc;
}

/* ---- labels.tsv: label, kind (field, section or other), field, section ---- */

static int label_row(void *ctx, const char *const *cells, const char *path, int line, lr_error *err)
{
    lr_vocab *v = ctx;
    const char *text = cells[0], *kind = cells[1], *field = cells[2], *section = cells[3];
    lr_section sec = LR_SECTION_SHEET;
    if (strcmp(section, "land") == 0)
        sec = LR_SECTION_LAND;
    else if (strcmp(section, "owner") == 0)
        sec = LR_SECTION_OWNER;
    else if (*section)
        return bad(path, line, "section (land, owner or empty)", section, err);
    if (strcmp(kind, "other") == 0) {
        char(*others)[VOCAB_TEXT_SIZE] = append(v->others, &v->nothers, sizeof *others);
        if (!others)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", path);
        v->others = others;
        return take_text(others[v->nothers++], text, "label", path, line, err);
    }
    vocab_label l = {LR_FIELD_NONE, sec, ""};
    if (strcmp(kind, "field") == 0) {
        if (lr_field_kind_parse(field, &l.field) < 0)
            return bad(path, line, "field", field, err);
    } else if (strcmp(kind, "section") == 0) {
        if (sec == LR_SECTION_SHEET)
            return bad(path, line, "section of a section's title (land or owner)", section, err);
    } else {
        return bad(path, line, "kind (field, section or other)", kind, err);
    }
    int rc = take_text(l.text, text, "label", path, line, err);
    if (rc < 0)
        return rc;
    vocab_label *labels = append(v->labels, &v->nlabels, sizeof *labels);
    if (!labels)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", path);
    v->labels = labels;
    labels[v->nlabels++] = l;
    return LR_OK;
}

/* ---- titles.tsv: title, doc_type ---- */

static int title_row(void *ctx, const char *const *cells, const char *path, int line, lr_error *err)
{
    lr_vocab *v = ctx;
    vocab_title t = {LR_DOC_UNKNOWN, ""};
    if (lr_doc_type_parse(cells[1], &t.type) < 0 || t.type == LR_DOC_AUTO ||
        t.type == LR_DOC_UNKNOWN)
        return bad(path, line, "doc_type", cells[1], err);
    int rc = take_text(t.text, cells[0], "title", path, line, err);
    if (rc < 0)
        return rc;
    vocab_title *titles = append(v->titles, &v->ntitles, sizeof *titles);
    if (!titles)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", path);
    v->titles = titles;
    titles[v->ntitles++] = t;
    return LR_OK;
}

/* ---- whitelists.tsv: field, whitelist ---- */

static int whitelist_row(void *ctx, const char *const *cells, const char *path, int line,
                         lr_error *err)
{
    lr_vocab *v = ctx;
    lr_field_kind k;
    if (lr_field_kind_parse(cells[0], &k) < 0)
        return bad(path, line, "field", cells[0], err);
    if (v->whitelist[k][0])
        return bad(path, line, "field (listed twice)", cells[0], err);
    if (!*cells[1] || strlen(cells[1]) >= sizeof v->whitelist[k])
        return bad(path, line, "whitelist (empty, or more than 255 bytes)", cells[1], err);
    snprintf(v->whitelist[k], sizeof v->whitelist[k], "%s", cells[1]);
    return LR_OK;
}

int lr_vocab_load(const char *dir, lr_vocab **out, lr_error *err)
{
    static const char *const label_cols[] = {"label", "kind", "field", "section"};
    static const char *const title_cols[] = {"title", "doc_type"};
    static const char *const whitelist_cols[] = {"field", "whitelist"};
    if (!out)
        return lr_error_set(err, LR_ERR_ARG, "no place for the vocabulary");
    *out = NULL;
    lr_vocab *v = calloc(1, sizeof *v);
    if (!v)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading the vocabulary");
    char hex[3][LR_SHA256_HEX_LEN + 1];
    int rc = read_vocab_file(dir, vocab_files[0], label_cols, 4, label_row, v, hex[0], err);
    if (rc == LR_OK)
        rc = read_vocab_file(dir, vocab_files[1], title_cols, 2, title_row, v, hex[1], err);
    if (rc == LR_OK)
        rc = read_vocab_file(dir, vocab_files[2], whitelist_cols, 2, whitelist_row, v, hex[2],
                                err);
    if (rc == LR_OK && (!v->nlabels || !v->ntitles))
        rc = lr_error_set(err, LR_ERR_FORMAT, "%s or %s in %s has no rows", vocab_files[0],
                          vocab_files[1], dir && *dir ? dir : lr_norm_default_data_dir());
    if (rc < 0) {
        lr_vocab_destroy(&v);
        return rc;
    }
    /* One line a file, "name sha256", in a fixed order. */
    char lines[3 * (LR_SHA256_HEX_LEN + 32)];
    int len = snprintf(lines, sizeof lines, "%s %s\n%s %s\n%s %s\n", vocab_files[0], hex[0],
                       vocab_files[1], hex[1], vocab_files[2], hex[2]);
    lr_digest_buffer(lines, (size_t)len, v->digest);
    *out = v;
    return LR_OK;
}
