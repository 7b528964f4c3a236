/* test_sheets.c — the committed ruled sheets (testdata/ledger, made by
 * scripts/make-ledger-testdata.py) read end to end without a database: layout finds the
 * labels and rows, extraction reads and normalises the fields, and they match the truth. */
#include "../lr_test.h"
#include "sheets.h"

/* Clean printed sheets: below this share of fields right the extraction lost fields it can
 * read (test_synth_samples.c holds the same sheets to every field). */
#define MIN_PCT_FIELDS_RIGHT 95

int main(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/ledger", lr_test_data_dir());
    sh_readers r;
    CHECKF(sh_open(&r) == 0, "the OCR handle, the extractor and the forms");
    if (!r.ocr || !r.ex || !r.forms)
        return lr_test_finish("test_sheets");
    score scores[16];
    int nscores = 0;
    int n = sh_run_dir(dir, 100, r.ocr, r.ex, r.forms, scores, &nscores, 1);
    CHECKF(n >= 2, "%d sheets read", n);
    sh_print(scores, nscores);
    for (int i = 0; i < nscores; i++) {
        const score *s = &scores[i];
        CHECKF(s->doc_right == s->sheets, "%s: %d of %d typed right", s->doc_type, s->doc_right,
               s->sheets);
        CHECKF(s->right * 100 >= s->fields * MIN_PCT_FIELDS_RIGHT, "%s: %d of %d fields right",
               s->doc_type, s->right, s->fields);
        /* what is not flagged is right */
        CHECKF(s->unflagged_right == s->unflagged, "%s: %d of %d unflagged fields right",
               s->doc_type, s->unflagged_right, s->unflagged);
    }
    sh_close(&r);
    return lr_test_finish("test_sheets");
}
