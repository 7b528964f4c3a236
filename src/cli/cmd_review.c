/* cmd_review.c — "landrec review export|import": the fields flagged for review out as cell
 * images and a CSV, and the reviewers' corrections back in as new value versions. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/records.h"

static const char usage[] =
    "usage: landrec review export [--batch NAME] [--out DIR] [--training DIR] [--db CONNINFO]\n"
    "       landrec review import FILE.csv [--reviewer NAME] [--db CONNINFO]\n"
    "\n"
    "export writes DIR/review.csv, one row per field flagged for review in the latest runs\n"
    "(of the batch), and DIR/item-N.png, the field's cell cut from the page's view image.\n"
    "Fill in the \"correct\" column (the value, or the text as written) and give the file to\n"
    "import: each filled row becomes a new version of that value, attributed to the reviewer;\n"
    "the machine's reading is kept. See docs/records.md.\n"
    "\n"
    "export --training DIR writes, for every field a reviewer corrected (in the runs of the\n"
    "batch), DIR/NAME.png, the cell inside its ruling cut from the view image, and\n"
    "DIR/NAME.gt.txt, the correction as typed: tesstrain's ground truth for training an OCR\n"
    "model on the archive's own cells (docs/ocr.md). Give --out, --training or both; each\n"
    "writes its own files.\n"
    "\n"
    "options:\n"
    "  -b, --batch NAME       export: only pages of this batch\n"
    "  -o, --out DIR          export: where the CSV and images go (created)\n"
    "  -t, --training DIR     export: where the reviewed cells' training pairs go (created)\n"
    "  -r, --reviewer NAME    import: who reviewed (default: $USER)\n"
    "      --db CONNINFO      libpq connection string or URI (default: PG* variables)\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 success, 2 failure (an import loads all rows or none).\n";

/* The reviewed cells as training pairs, and what was written and skipped. */
static int export_training(lr_store *st, const char *batch, const char *dir)
{
    lr_error err;
    lr_error_clear(&err);
    lr_training_counts n;
    if (lr_records_training_export(st, batch, dir, &n, &err) < 0) {
        cli_report("review export --training", &err);
        return -1;
    }
    printf("%ld reviewed cells written to %s (NAME.png + NAME.gt.txt)\n", n.written, dir);
    printf("%ld skipped: view image missing\n", n.no_view);
    printf("%ld skipped: no cell box, nothing inside the ruling, or an empty correction\n",
           n.no_cell);
    return 0;
}

int cmd_review(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"batch", required_argument, NULL, 'b'},
        {"out", required_argument, NULL, 'o'},
        {"training", required_argument, NULL, 't'},
        {"reviewer", required_argument, NULL, 'r'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *conninfo = NULL, *batch = NULL, *out = NULL, *training = NULL, *reviewer = NULL;
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2 || (strcmp(argv[1], "export") != 0 && strcmp(argv[1], "import") != 0)) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    bool import = strcmp(argv[1], "import") == 0;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "b:o:t:r:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'b':
            batch = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 't':
            training = optarg;
            break;
        case 'r':
            reviewer = optarg;
            break;
        case 'd':
            conninfo = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return LR_EXIT_CANNOT_RUN;
        }
    }
    if ((import && (optind != argc - 1 || training)) ||
        (!import && (optind != argc || (!out && !training)))) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    if (import && !reviewer)
        reviewer = getenv("USER");
    lr_store *st = NULL;
    lr_error err;
    lr_error_clear(&err);
    int status = LR_EXIT_CANNOT_RUN;
    long n = 0;
    if (lr_store_connect(conninfo, &st, &err) < 0 ||
        lr_store_check_schema(st, cli_schema_dir(), &err) < 0) {
        cli_report("review", &err);
        goto done;
    }
    if (import) {
        if (lr_records_review_import(st, argv[optind], reviewer, &n, &err) < 0) {
            cli_report("review import", &err);
            goto done;
        }
        printf("%ld reviewed values loaded from %s\n", n, argv[optind]);
    } else {
        if (out && lr_records_review_export(st, batch, out, &n, &err) < 0) {
            cli_report("review export", &err);
            goto done;
        }
        if (out)
            printf("%ld fields to review in %s/review.csv\n", n, out);
        if (training && export_training(st, batch, training) < 0)
            goto done;
    }
    status = 0;
done:
    lr_store_close(&st);
    return status;
}
