/* cmd_export.c — "landrec export": the latest results as JSON lines. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "landrec/records.h"

static const char usage[] =
    "usage: landrec export --format jsonl [--records] [--batch NAME] [--output FILE]\n"
    "                      [--db CONNINFO]\n"
    "\n"
    "Writes one JSON object per page of the latest run of each page (newest processing per\n"
    "source checksum and page), in source path and page order. Keys are described in\n"
    "docs/export.md: source, page, sha256, status, error, orientation, skew, confidence,\n"
    "text, and more. With --records, one object per ledger sheet instead: source, page,\n"
    "doc_type, location, lot, category, area, grade, land_history, owner_history (see\n"
    "docs/records.md).\n"
    "\n"
    "options:\n"
    "  -f, --format jsonl     output format (only jsonl)\n"
    "  -b, --batch NAME       only pages covered by runs of this batch\n"
    "  -r, --records          parcel records of ledger sheets, not pages\n"
    "  -o, --output FILE      write to FILE instead of standard output\n"
    "      --db CONNINFO      libpq connection string or URI (default: PG* variables)\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 success, 2 failure (nothing or part written).\n";

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"batch", required_argument, NULL, 'b'},
        {"records", no_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *conninfo = NULL, *batch = NULL, *format = "jsonl", *output = NULL;
    int c;
    bool records = false;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:b:o:rh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            format = optarg;
            break;
        case 'b':
            batch = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'r':
            records = true;
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
    if (strcmp(format, "jsonl") != 0) {
        fprintf(stderr, "landrec: export: unknown format \"%s\"\nHINT: use --format jsonl.\n",
                format);
        return LR_EXIT_CANNOT_RUN;
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    lr_store *st = NULL;
    lr_error err;
    lr_error_clear(&err);
    FILE *out = stdout;
    int status = LR_EXIT_CANNOT_RUN;
    if (lr_store_connect(conninfo, &st, &err) < 0 ||
        lr_store_check_schema(st, cli_schema_dir(), &err) < 0) {
        cli_report("export", &err);
        goto done;
    }
    if (output && !(out = fopen(output, "w"))) {
        fprintf(stderr, "landrec: export: could not write \"%s\": %s\n", output,
                strerror(errno));
        out = stdout;
        goto done;
    }
    long n = 0;
    if ((records ? lr_records_export(st, batch, out, &n, &err)
                 : lr_store_export_pages(st, batch, out, &n, &err)) < 0) {
        cli_report("export", &err);
        goto done;
    }
    if (fflush(out) != 0) {
        fprintf(stderr, "landrec: export: write failed: %s\n", strerror(errno));
        goto done;
    }
    status = 0;
done:
    if (out != stdout && fclose(out) != 0 && status == 0) {
        fprintf(stderr, "landrec: export: write failed: %s\n", strerror(errno));
        status = LR_EXIT_CANNOT_RUN;
    }
    lr_store_close(&st);
    return status;
}
