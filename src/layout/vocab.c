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

/* Copies a label or a title of row r into dst (VOCAB_TEXT_SIZE bytes). */
static int take_text(char *dst, const char *text, const char *what, const lr_tsv_row *r,
                     lr_error *err)
{
    if (!*text || strlen(text) >= VOCAB_TEXT_SIZE)
        return lr_tsv_bad(r, what, text, err);
    snprintf(dst, VOCAB_TEXT_SIZE, "%s", text);
    return LR_OK;
}

/* Appends the size bytes at item to the array *arr of *n items. */
static int append(void *arr, size_t *n, const void *item, size_t size, const lr_tsv_row *r,
                  lr_error *err)
{
    void **p = arr;
    char *grown = realloc(*p, (*n + 1) * size);
    if (!grown)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory loading %s", r->file->path);
    memcpy(grown + *n * size, item, size);
    *p = grown;
    (*n)++;
    return LR_OK;
}

/* Reads dir/name (dir NULL or "": lr_norm_default_data_dir()), calling fn for each row with
 * the columns cols; out_hex: the SHA-256 of the file's bytes. */
static int read_vocab_file(const char *dir, const char *name, const char *const *cols, int ncols,
                           lr_tsv_row_fn fn, void *ctx, char out_hex[LR_SHA256_HEX_LEN + 1],
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
    rc = lr_tsv_each_row(&t, cols, ncols, fn, ctx, err);
    lr_tsv_free(&t);
    return rc;
}

/* ---- labels.tsv: label, kind (field, section or other), field, section ---- */

static int label_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_vocab *v = ctx;
    const char *text = lr_tsv_cell(r, 0), *kind = lr_tsv_cell(r, 1), *field = lr_tsv_cell(r, 2),
               *section = lr_tsv_cell(r, 3);
    lr_section sec = LR_SECTION_SHEET;
    if (strcmp(section, "land") == 0)
        sec = LR_SECTION_LAND;
    else if (strcmp(section, "owner") == 0)
        sec = LR_SECTION_OWNER;
    else if (*section)
        return lr_tsv_bad(r, "section (land, owner or empty)", section, err);
    if (strcmp(kind, "other") == 0) {
        char other[VOCAB_TEXT_SIZE] = "";
        int rc = take_text(other, text, "label", r, err);
        return rc < 0 ? rc : append(&v->others, &v->nothers, other, sizeof other, r, err);
    }
    vocab_label l = {LR_FIELD_NONE, sec, ""};
    if (strcmp(kind, "field") == 0) {
        if (lr_field_kind_parse(field, &l.field) < 0)
            return lr_tsv_bad(r, "field", field, err);
    } else if (strcmp(kind, "section") == 0) {
        if (sec == LR_SECTION_SHEET)
            return lr_tsv_bad(r, "section of a section's title (land or owner)", section, err);
    } else {
        return lr_tsv_bad(r, "kind (field, section or other)", kind, err);
    }
    int rc = take_text(l.text, text, "label", r, err);
    return rc < 0 ? rc : append(&v->labels, &v->nlabels, &l, sizeof l, r, err);
}

/* ---- titles.tsv: title, doc_type ---- */

static int title_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_vocab *v = ctx;
    const char *title = lr_tsv_cell(r, 0), *type = lr_tsv_cell(r, 1);
    vocab_title t = {LR_DOC_UNKNOWN, ""};
    if (lr_doc_type_parse(type, &t.type) < 0 || t.type == LR_DOC_AUTO || t.type == LR_DOC_UNKNOWN)
        return lr_tsv_bad(r, "doc_type", type, err);
    int rc = take_text(t.text, title, "title", r, err);
    return rc < 0 ? rc : append(&v->titles, &v->ntitles, &t, sizeof t, r, err);
}

/* ---- whitelists.tsv: field, whitelist ---- */

static int whitelist_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_vocab *v = ctx;
    const char *field = lr_tsv_cell(r, 0), *chars = lr_tsv_cell(r, 1);
    lr_field_kind k;
    if (lr_field_kind_parse(field, &k) < 0)
        return lr_tsv_bad(r, "field", field, err);
    if (v->whitelist[k][0])
        return lr_tsv_bad(r, "field (listed twice)", field, err);
    if (!*chars || strlen(chars) >= sizeof v->whitelist[k])
        return lr_tsv_bad(r, "whitelist (empty, or more than 255 bytes)", chars, err);
    snprintf(v->whitelist[k], sizeof v->whitelist[k], "%s", chars);
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
