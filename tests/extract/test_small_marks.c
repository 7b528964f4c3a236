/* test_small_marks.c — a cell whose only ink is a small mark (a 〃 of 20 × 22 pixels, 0.3 %
 * of its inside) is not taken for an empty one: it goes to review instead of standing as an
 * empty value at confidence 95. landrec-synth (argv[1]) makes the degraded land ledger of
 * seed 8, whose second land row's area is such a 〃 (docs/records.md); every field it leaves
 * unflagged must be right: taken for empty, that area would be its one unflagged wrong
 * field. */
#include "../lr_test.h"
#include "sheets.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_small_marks LANDREC-SYNTH\n");
        return 2;
    }
    char dir[2048];
    const char *args = "--count 1 --seed 8 --preset degraded";
    CHECKF(lr_test_synth(argv[1], "small-marks", args, dir, sizeof dir) == 0, "landrec-synth %s",
           args);
    sh_readers r;
    CHECKF(sh_open(&r) == 0, "the OCR handle, the extractor and the forms");
    if (!r.ocr || !r.ex || !r.forms)
        return lr_test_finish("test_small_marks");
    score scores[4];
    int nscores = 0;
    CHECKF(sh_run_dir(dir, 1, r.ocr, r.ex, r.forms, scores, &nscores, 1) == 1, "the sheet read");
    sh_print(scores, nscores);
    CHECKF(nscores == 1 && strcmp(scores[0].doc_type, "land_ledger") == 0, "a land ledger");
    if (nscores == 1) {
        CHECKF(scores[0].unflagged > 0 && scores[0].unflagged_right == scores[0].unflagged,
               "%d of %d unflagged fields right", scores[0].unflagged_right,
               scores[0].unflagged);
    }
    sh_close(&r);
    return lr_test_finish("test_small_marks");
}
