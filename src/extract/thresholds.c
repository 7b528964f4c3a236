/* thresholds.c — the review threshold of each field kind (thresholds.h). */
#include "thresholds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "landrec/digest.h"
#include "landrec/normalize.h"
#include "landrec/tsv.h"

static int threshold_row(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    lr_thresholds *t = ctx;
    lr_field_kind kind;
    const char *name = lr_tsv_cell(r, 0), *value = lr_tsv_cell(r, 1);
    if (lr_field_kind_parse(name, &kind) < 0 || kind == LR_FIELD_NONE)
        return lr_tsv_bad(r, "field", name, err);
    char *end = NULL;
    double v = strtod(value, &end);
    if (!value[0] || *end || v < 0 || v > 100)
        return lr_tsv_bad(r, "threshold", value, err);
    t->of[kind] = (float)v;
    return LR_OK;
}

int lr_thresholds_load(const char *dir, lr_thresholds *out, lr_error *err)
{
    for (int k = 0; k < LR_FIELD_COUNT; k++)
        out->of[k] = -1;
    out->digest[0] = '\0';
    char path[4096];
    snprintf(path, sizeof path, "%s/thresholds.tsv",
             dir && *dir ? dir : lr_norm_default_data_dir());
    struct stat sb;
    if (stat(path, &sb) != 0)
        return LR_OK;
    lr_tsv t;
    lr_tsv_options o = {.hint = LR_TSV_HINT_DATA_DIR};
    int rc = lr_tsv_load(path, &o, &t, err);
    if (rc < 0)
        return rc;
    char hex[65];
    lr_digest_buffer(t.data, t.size, hex);
    snprintf(out->digest, sizeof out->digest, "%.16s", hex);
    static const char *const cols[] = {"field", "threshold"};
    rc = lr_tsv_each_row(&t, cols, 2, threshold_row, out, err);
    lr_tsv_free(&t);
    if (rc < 0)
        for (int k = 0; k < LR_FIELD_COUNT; k++)
            out->of[k] = -1;
    return rc;
}
