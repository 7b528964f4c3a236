/* test_layout_vocab.c — the layout's vocabulary is data (data/labels.tsv, titles.tsv,
 * whitelists.tsv): a label added to labels.tsv is read as a label; the shipped vocabulary
 * leaves the forms' digest, and so the settings hash, as the form files alone give it, and any
 * other vocabulary changes it; a malformed file is refused naming the file and line. */
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

#include "../lr_test.h"
#include "landrec/digest.h"
#include "landrec/layout.h"

/* The source tree's data/ (whatever LR_DATA_DIR or an installed copy says). */
static const char *source_data_dir(void)
{
    static char dir[4096];
    const char *root = getenv("LR_SOURCE_ROOT");
    snprintf(dir, sizeof dir, "%s/data", root && *root ? root : ".");
    return dir;
}

static const char *forms_dir(void)
{
    static char dir[4096];
    const char *schemas = getenv("LR_SCHEMA_DIR");
    snprintf(dir, sizeof dir, "%s/forms", schemas && *schemas ? schemas : "schemas");
    return dir;
}

/* A scratch copy of the vocabulary files, into dir. */
static void copy_vocab(char *dir, size_t size)
{
    snprintf(dir, size, "%s/layout-vocab", lr_test_tmp_dir());
    char cmd[12000];
    snprintf(cmd, sizeof cmd,
             "rm -rf '%s' && mkdir -p '%s' && cp '%s/labels.tsv' '%s/titles.tsv' "
             "'%s/whitelists.tsv' '%s'",
             dir, dir, source_data_dir(), source_data_dir(), source_data_dir(), dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "cannot copy the vocabulary to %s\n", dir);
        exit(99);
    }
}

static void append(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "ab");
    if (!f || fputs(text, f) < 0) {
        fprintf(stderr, "cannot append to %s\n", path);
        exit(99);
    }
    fclose(f);
}

/* The forms' digest as the form files alone give it: SHA-256 over each *.form of dir, sorted
 * by name, as "NAME\nSIZE\n" and its bytes; 16 hex digits. */
static void forms_only_digest(const char *dir, char out[17])
{
    char cmd[4400], list[8192] = "";
    snprintf(cmd, sizeof cmd, "cd '%s' && LC_ALL=C ls *.form", dir);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(list, 1, sizeof list - 1, p) : 0;
    if (p)
        pclose(p);
    list[n] = '\0';
    char *all = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&all, &len);
    char *save = NULL;
    for (char *name = strtok_r(list, "\n", &save); m && name; name = strtok_r(NULL, "\n", &save)) {
        char path[8300], text[65536];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "rb");
        size_t k = f ? fread(text, 1, sizeof text - 1, f) : 0;
        if (f)
            fclose(f);
        fprintf(m, "%s\n%zu\n", name, k);
        fwrite(text, 1, k, m);
    }
    if (m)
        fclose(m);
    char hex[LR_SHA256_HEX_LEN + 1];
    lr_digest_buffer(all ? all : "", len, hex);
    snprintf(out, 17, "%.16s", hex);
    free(all);
}

static void settings_hash(void)
{
    lr_forms *forms = NULL;
    lr_error err;
    setenv("LR_DATA_DIR", source_data_dir(), 1);
    CHECKF(lr_forms_load(forms_dir(), &forms, &err) == LR_OK, "%s", err.message);
    char want[17];
    forms_only_digest(forms_dir(), want);
    CHECKF(forms && forms->nforms > 0 && strcmp(forms->digest, want) == 0,
           "the shipped vocabulary changes the forms' digest: %s, the form files give %s "
           "(src/layout/vocab.c, VOCAB_BASELINE_DIGEST)",
           forms ? forms->digest : "none", want);
    lr_forms_destroy(&forms);

    /* Another vocabulary, even by a comment, makes new runs. */
    char copy[4096];
    copy_vocab(copy, sizeof copy);
    append(copy, "titles.tsv", "# a comment\n");
    setenv("LR_DATA_DIR", copy, 1);
    CHECKF(lr_forms_load(forms_dir(), &forms, &err) == LR_OK, "%s", err.message);
    CHECKF(forms && strcmp(forms->digest, want) != 0, "an edited vocabulary keeps digest %s", want);
    lr_forms_destroy(&forms);
    unsetenv("LR_DATA_DIR");
}

/* A two-cell table, the label's word left and a lot right; the field the layout gives the
 * right cell, with the vocabulary of LR_DATA_DIR (no forms). */
static lr_field_kind right_cell_field(const char *label)
{
    PIX *pix = pixCreate(1200, 400, 1);
    const int xs[] = {100, 500, 1000}, ys[] = {100, 250};
    for (int c = 0; c < 3; c++)
        pixRenderLine(pix, xs[c], ys[0], xs[c], ys[1], 4, L_SET_PIXELS);
    for (int r = 0; r < 2; r++)
        pixRenderLine(pix, xs[0], ys[r], xs[2], ys[r], 4, L_SET_PIXELS);
    lr_word words[] = {{(char *)label, 260, 155, 340, 195, 95.0f, 0, 0, 0},
                       {(char *)"123", 710, 155, 790, 195, 95.0f, 1, 0, 0}};
    lr_layout l;
    lr_error err;
    lr_field_kind got = LR_FIELD_NONE;
    CHECKF(lr_layout_analyze(pix, 300, words, 2, NULL, NULL, LR_DOC_LAND_LEDGER, NULL, &l, &err) ==
               LR_OK,
           "%s", err.message);
    for (size_t i = 0; i < l.ncells; i++)
        if (l.cells[i].x0 > 500)
            got = l.cells[i].field;
    lr_layout_clear(&l);
    pixDestroy(&pix);
    return got;
}

static void labels_from_data(void)
{
    setenv("LR_DATA_DIR", source_data_dir(), 1);
    CHECK(right_cell_field("地番") == LR_FIELD_LOT);
    CHECK(right_cell_field("地號") == LR_FIELD_NONE);
    char copy[4096];
    copy_vocab(copy, sizeof copy);
    append(copy, "labels.tsv", "地號\tfield\tlot\t\n");
    setenv("LR_DATA_DIR", copy, 1);
    CHECK(right_cell_field("地號") == LR_FIELD_LOT);
    unsetenv("LR_DATA_DIR");
}

/* Loads the vocabulary copy after text is appended to file name; expects rc and, in the
 * message, want. */
static void refused(const char *name, const char *text, int rc, const char *want)
{
    char copy[4096];
    copy_vocab(copy, sizeof copy);
    append(copy, name, text);
    lr_vocab *v = (lr_vocab *)1;
    lr_error err;
    lr_error_clear(&err);
    int got = lr_vocab_load(copy, &v, &err);
    CHECKF(got == rc && strstr(err.message, want) && !v, "%s + \"%s\": rc %d [%s], want %d [%s]",
           name, text, got, err.message, rc, want);
}

static void loading(void)
{
    lr_vocab *v = NULL;
    lr_error err;
    CHECKF(lr_vocab_load(source_data_dir(), &v, &err) == LR_OK, "%s", err.message);
    const char *d = lr_vocab_digest(v);
    CHECK(strlen(d) == 64 && strspn(d, "0123456789abcdef") == 64);
    /* a field without a row is read as any character */
    CHECK(strcmp(lr_vocab_whitelist(v, LR_FIELD_NAME), "") == 0);
    CHECK(strstr(lr_vocab_whitelist(v, LR_FIELD_LOT), "ノ") != NULL);
    lr_vocab_destroy(&v);
    lr_vocab_destroy(&v); /* twice is harmless */
    CHECK(strcmp(lr_vocab_digest(NULL), "") == 0);

    refused("labels.tsv", "地號\tfield\tplot\t\n", LR_ERR_FORMAT, "labels.tsv:");
    refused("labels.tsv", "地號\tlabel\tlot\t\n", LR_ERR_FORMAT, "bad kind");
    refused("labels.tsv", "地號\tsection\t\t\n", LR_ERR_FORMAT, "bad section");
    refused("titles.tsv", "地圖\tmap\n", LR_ERR_FORMAT, "titles.tsv:");
    refused("whitelists.tsv", "lot\t0123\n", LR_ERR_FORMAT, "listed twice");
    CHECK(lr_vocab_load("/nonexistent-landrec-data", &v, &err) == LR_ERR_IO &&
          strstr(err.message, "labels.tsv") && !v);
}

int main(void)
{
    loading();
    labels_from_data();
    settings_hash();
    return lr_test_finish("layout-vocab");
}
