/* cmd_manifest.c — "landrec manifest check": a delivery's manifest checked before it is
 * loaded (manifest.h, docs/manifest.md): each rejected line with its reason. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/manifest.h"
#include "landrec/utf8.h"

static const char usage[] =
    "usage: landrec manifest check MANIFEST.csv [--root DIR]\n"
    "\n"
    "Checks a delivery's manifest (docs/manifest.md): a CSV file whose header names the\n"
    "columns path, doc_type, district, volume, sheet, contractor, scan_date, operator. Each\n"
    "line that fails a check is printed as MANIFEST:LINE: PATH: REASON (a missing file, a\n"
    "path named twice or leaving the root, the same file under two names, an unknown\n"
    "document type or district code, a bad scan date, a line that is not UTF-8 or not CSV);\n"
    "then a summary. Nothing is written to the database.\n"
    "\n"
    "options:\n"
    "      --root DIR   the delivery's root, against which paths are read and which no path\n"
    "                   may leave (default: the manifest's directory)\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 every line accepted, 1 some lines rejected, 2 the manifest cannot be\n"
    "read (no such file, no header, a column missing or unknown).\n";

int cmd_manifest(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_manifest_options o = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            o.root = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs("HINT: run \"landrec manifest --help\".\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
    }
    if (argc - optind != 2 || strcmp(argv[optind], "check") != 0) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    const char *file = argv[optind + 1];
    lr_manifest m;
    lr_error err;
    lr_error_clear(&err);
    if (lr_manifest_read(file, &o, &m, &err) != LR_OK) {
        cli_report("manifest", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    char shown[1024];
    for (size_t i = 0; i < m.nrejections; i++)
        printf("%s:%d: %s: %s\n", lr_utf8_path_show(file, shown, sizeof shown),
               m.rejections[i].line, m.rejections[i].path[0] ? m.rejections[i].path : "-",
               m.rejections[i].reason);
    printf("%zu line%s accepted, %zu rejected\n", m.nentries, m.nentries == 1 ? "" : "s",
           m.nrejections);
    int rc = m.nrejections ? LR_EXIT_SOME_FAILED : LR_EXIT_OK;
    lr_manifest_free(&m);
    return rc;
}
