/* test_sheets.c — the committed ruled sheets (testdata/ledger, made by
 * scripts/make-ledger-testdata.py) read end to end without a database: layout finds the
 * labels and rows, extraction reads and normalises the fields, and they match the truth. */
#include "../lr_test.h"
#include "landrec/store.h"
#include "sheets.h"

int main(void)
{
    char dir[4096], forms_dir[4096];
    snprintf(dir, sizeof dir, "%s/ledger", lr_test_data_dir());
    snprintf(forms_dir, sizeof forms_dir, "%s/forms", lr_store_default_schema_dir());
    lr_ocr *ocr = NULL;
    lr_extractor *ex = NULL;
    lr_forms *forms = NULL;
    lr_error err;
    CHECK(lr_ocr_new(NULL, &ocr, &err) == LR_OK);
    CHECK(lr_extract_new(NULL, &ex, &err) == LR_OK);
    CHECKF(lr_forms_load(forms_dir, &forms, &err) == LR_OK, "%s: %s", err.message, err.detail);
    if (!ocr || !ex || !forms)
        return lr_test_finish("test_sheets");
    score scores[16];
    int nscores = 0;
    int n = sh_run_dir(dir, 100, ocr, ex, forms, scores, &nscores, 1);
    CHECKF(n >= 2, "%d sheets read", n);
    sh_print(scores, nscores);
    for (int i = 0; i < nscores; i++) {
        const score *s = &scores[i];
        CHECKF(s->doc_right == s->sheets, "%s: %d of %d typed right", s->doc_type, s->doc_right,
               s->sheets);
        /* Clean printed sheets: nearly every field right, and what is not flagged right. */
        CHECKF(s->right * 100 >= s->fields * 95, "%s: %d of %d fields right", s->doc_type,
               s->right, s->fields);
        CHECKF(s->unflagged_right == s->unflagged, "%s: %d of %d unflagged fields right",
               s->doc_type, s->unflagged_right, s->unflagged);
    }
    lr_forms_destroy(&forms);
    lr_extract_destroy(&ex);
    lr_ocr_destroy(&ocr);
    return lr_test_finish("test_sheets");
}
