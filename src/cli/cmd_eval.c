/* cmd_eval.c — "landrec eval": the options of the evaluation (include/landrec/eval.h), which
 * runs the pipeline's stages on the real test sets and on a synthetic corpus and scores them
 * against the accuracy targets of docs/evaluation.md; prints its markdown section, and can add
 * it with SVG plots to docs/benchmarks.md. Protocols and definitions: docs/evaluation.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/eval.h"

static const char usage[] =
    "usage: landrec eval [OPTIONS]\n"
    "\n"
    "Runs orientation detection, skew measurement, binarization and OCR on the real test\n"
    "sets and on a synthetic corpus, scores them against their ground truth and prints a\n"
    "table of the measured values beside the targets (docs/evaluation.md). OCR on synthetic\n"
    "sheets is judged by position (each word scored against the truth line it lies on), with\n"
    "the reading-order CER beside it.\n"
    "\n"
    "options:\n"
    "      --realdata DIR    the real test sets (default: $LR_REALDATA, else ../shared/realdata)\n"
    "      --corpus DIR      a landrec-synth output directory (sheet-NNNN.json + images)\n"
    "      --orientation-corpus DIR\n"
    "                        a landrec-synth --orient corpus, scored for orientation only\n"
    "      --stages LIST     comma-separated: orientation,skew,binarize,ocr,throughput\n"
    "                        (default: all)\n"
    "      --report FILE     add a dated section to FILE (docs/benchmarks.md), newest first\n"
    "      --svg-dir DIR     write SVG plots there (default with --report: img/ beside FILE)\n"
    "      --note TEXT       a line added to the section (e.g. how the corpus was made)\n"
    "      --whole-page      read every page whole, not ruled tables cell by cell\n"
    "      --dump-text DIR   write each OCR-scored page's recognised text to DIR/NAME.txt,\n"
    "                        NAME the item's name with '/' made '_' (DIR is made if need be)\n"
    "  -l, --lang LANGS      Tesseract languages for the Korean pages (default: kor+chi_tra)\n"
    "  -j, --jobs N          worker processes (default: one per core)\n"
    "      --limit N         at most N items of each data set\n"
    "  -v, --verbose         one line per item (twice: debug log)\n"
    "  -q, --quiet           less log output\n"
    "  -h, --help            this help\n"
    "\n"
    "Exit status: 0 every target met, 1 a target missed or an item failed, 2 nothing could\n"
    "run (bad options, no data).\n";

/* The stages named by a comma-separated list into *out; every unknown name is reported. */
static int parse_stages(const char *s, unsigned *out)
{
    *out = 0;
    char *copy = strdup(s), *save = NULL;
    if (!copy) {
        fputs("landrec: eval: out of memory\n", stderr);
        return -1;
    }
    int rc = 0;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        unsigned bit;
        lr_error err;
        lr_error_clear(&err);
        if (lr_eval_stage_parse(t, &bit, &err) < 0) {
            cli_report("eval", &err);
            rc = -1;
        }
        *out |= bit;
    }
    free(copy);
    return rc < 0 || !*out ? -1 : 0;
}

/* "landrec eval …" as the report quotes it; the note is prose, not part of what ran. NULL
 * when out of memory. Caller frees. */
static char *shown_command(int argc, char **argv)
{
    char **shown = calloc((size_t)argc + 1, sizeof *shown);
    int nshown = 0;
    for (int i = 0; shown && i < argc; i++) {
        shown[nshown++] = argv[i];
        if (!strcmp(argv[i], "--note") && i + 1 < argc) {
            shown[nshown++] = "…";
            i++;
        } else if (!strncmp(argv[i], "--note=", 7))
            shown[nshown - 1] = "--note=…";
    }
    char *joined = shown ? cli_join_args(nshown, shown) : NULL;
    char *command = NULL;
    if (asprintf(&command, "landrec %s", joined ? joined : "eval") < 0)
        command = NULL;
    free(joined);
    free(shown);
    return command;
}

enum {
    OPT_REALDATA = 256,
    OPT_CORPUS,
    OPT_TURNED,
    OPT_STAGES,
    OPT_REPORT,
    OPT_SVG,
    OPT_NOTE,
    OPT_LIMIT,
    OPT_WHOLE_PAGE,
    OPT_DUMP_TEXT
};

int cmd_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"realdata", required_argument, NULL, OPT_REALDATA},
        {"corpus", required_argument, NULL, OPT_CORPUS},
        {"orientation-corpus", required_argument, NULL, OPT_TURNED},
        {"stages", required_argument, NULL, OPT_STAGES},
        {"report", required_argument, NULL, OPT_REPORT},
        {"svg-dir", required_argument, NULL, OPT_SVG},
        {"note", required_argument, NULL, OPT_NOTE},
        {"jobs", required_argument, NULL, 'j'},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"whole-page", no_argument, NULL, OPT_WHOLE_PAGE},
        {"dump-text", required_argument, NULL, OPT_DUMP_TEXT},
        {"lang", required_argument, NULL, 'l'},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_eval_options o;
    lr_eval_options_default(&o);
    int verbose = 0, quiet = 0, c, longindex;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "j:l:vqh", longopts, &longindex)) !=
           -1) {
        char *end;
        long v;
        switch (c) {
        case OPT_REALDATA:
            o.realdata = optarg;
            break;
        case OPT_CORPUS:
            o.corpus = optarg;
            break;
        case OPT_WHOLE_PAGE:
            o.whole_page = true;
            break;
        case 'l':
            o.lang = optarg;
            break;
        case OPT_DUMP_TEXT:
            o.dump_text = optarg;
            break;
        case OPT_TURNED:
            o.turned_corpus = optarg;
            break;
        case OPT_STAGES:
            if (parse_stages(optarg, &o.stages) < 0)
                return LR_EXIT_CANNOT_RUN;
            break;
        case OPT_REPORT:
            o.report = optarg;
            break;
        case OPT_SVG:
            o.svg_dir = optarg;
            break;
        case OPT_NOTE:
            o.note = optarg;
            break;
        case 'j':
        case OPT_LIMIT:
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 4096)
                return cli_bad_value("eval", longopts, longindex, c, optarg);
            if (c == 'j')
                o.jobs = (int)v;
            else
                o.limit = (int)v;
            break;
        case 'v':
            verbose++;
            break;
        case 'q':
            quiet++;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs("HINT: run \"landrec eval --help\" for the options.\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "landrec: eval: unexpected argument \"%s\"\n", argv[optind]);
        fputs("HINT: data is named by --realdata and --corpus.\n", stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    cli_set_verbosity(verbose > 1 ? verbose : 0, quiet);
    if (!o.realdata)
        o.realdata = getenv("LR_REALDATA");
    if (!o.realdata || !*o.realdata)
        o.realdata = "../shared/realdata";

    int status = LR_EXIT_CANNOT_RUN, missed = 0;
    lr_eval *ev = NULL;
    char *section = NULL, *command = shown_command(argc, argv);
    lr_error err;
    lr_error_clear(&err);
    o.command = command;
    if (!command) {
        lr_error_set(&err, LR_ERR_NOMEM, "out of memory");
        cli_report("eval", &err);
        goto done;
    }
    if (lr_eval_new(&o, &ev, &err) < 0 || lr_eval_run(ev, &err) < 0) {
        cli_report("eval", &err);
        goto done;
    }
    if (verbose)
        lr_eval_write_detail(ev, stdout);
    if (lr_eval_make_section(ev, &section, &missed, &err) < 0) {
        cli_report("eval", &err);
        goto done;
    }
    fputs(section, stdout);
    fflush(stdout);
    if (o.report && lr_eval_report_insert(o.report, section, &err) < 0) {
        cli_report("eval", &err);
        status = LR_EXIT_SOME_FAILED;
        goto done;
    }
    status = missed || lr_eval_failed_count(ev) ? LR_EXIT_SOME_FAILED : LR_EXIT_OK;
done:
    lr_eval_destroy(&ev);
    free(section);
    free(command);
    return status;
}
