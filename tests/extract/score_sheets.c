/* score_sheets.c — scores extraction on a directory of generated sheets (landrec-synth/1
 * truth): per document type, the fields read right, those not flagged for review and how
 * often they are right, and extraction time as a share of page OCR time.
 *
 *   score_sheets [--summary] [--dump FILE] [--calib FILE] DIR [MAX] [-v]
 *       (not a test: run it by hand or from scripts)
 *
 * --dump writes every field read, sheet by sheet (sheets.h, sh_dump_sheet), for comparing two
 * builds field by field; --calib every scored field's confidence and whether it is right,
 * for scripts/calibrate.py. --summary adds one line over every document type, for scripts:
 * "summary SHEETS FIELDS RIGHT UNFLAGGED UNFLAGGED_RIGHT EXTRACT_MS PAGE_MS". */
#include "landrec/log.h"
#include "landrec/store.h"
#include "sheets.h"

int main(int argc, char **argv)
{
    int summary = 0;
    if (argc > 1 && strcmp(argv[1], "--summary") == 0) {
        summary = 1;
        argv++;
        argc--;
    }
    while (argc > 2 && (strcmp(argv[1], "--dump") == 0 || strcmp(argv[1], "--calib") == 0)) {
        FILE **out = strcmp(argv[1], "--dump") == 0 ? &sh_dump_out : &sh_calib_out;
        if (!(*out = fopen(argv[2], "w"))) {
            fprintf(stderr, "score_sheets: cannot write %s\n", argv[2]);
            return 2;
        }
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        fprintf(stderr,
                "usage: score_sheets [--summary] [--dump FILE] [--calib FILE] DIR [MAX] [-v]\n");
        return 2;
    }
    int max = argc > 2 ? atoi(argv[2]) : 1000000;
    int verbose = argc > 3 ? (int)strlen(argv[3]) - 1 : 0; /* -v, -vv */
    if (verbose > 2)
        lr_log_set_level(LR_LOG_DEBUG);
    char forms_dir[4096];
    snprintf(forms_dir, sizeof forms_dir, "%s/forms", lr_store_default_schema_dir());
    lr_ocr *ocr = NULL;
    lr_extractor *ex = NULL;
    lr_forms *forms = NULL;
    lr_error err;
    if (lr_ocr_new(NULL, &ocr, &err) < 0 || lr_extract_new(NULL, &ex, &err) < 0 ||
        lr_forms_load(forms_dir, &forms, &err) < 0 || lr_extract_preload(ex, forms, &err) < 0) {
        fprintf(stderr, "score_sheets: %s\n", err.message);
        return 2;
    }
    score scores[16];
    int nscores = 0;
    int n = sh_run_dir(argv[1], max, ocr, ex, forms, scores, &nscores, verbose);
    printf("%d sheets\n", n);
    sh_print(scores, nscores);
    if (summary) {
        score all = {0};
        for (int i = 0; i < nscores; i++) {
            all.sheets += scores[i].sheets;
            all.fields += scores[i].fields;
            all.right += scores[i].right;
            all.unflagged += scores[i].unflagged;
            all.unflagged_right += scores[i].unflagged_right;
            all.extract_ms += scores[i].extract_ms;
            all.page_ms += scores[i].page_ms;
        }
        printf("summary %d %d %d %d %d %.1f %.1f\n", all.sheets, all.fields, all.right,
               all.unflagged, all.unflagged_right, all.extract_ms, all.page_ms);
    }
    lr_forms_destroy(&forms);
    lr_extract_destroy(&ex);
    lr_ocr_destroy(&ocr);
    if (sh_dump_out)
        fclose(sh_dump_out);
    if (sh_calib_out)
        fclose(sh_calib_out);
    return n > 0 ? 0 : 1;
}
