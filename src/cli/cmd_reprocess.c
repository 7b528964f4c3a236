/* cmd_reprocess.c — "landrec reprocess": pages chosen by their latest run, queued again with
 * other settings (jobs.h, reprocess.h). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/jobs.h"
#include "landrec/layout.h"
#include "landrec/utf8.h"

static const char usage[] =
    "usage: landrec reprocess SELECTION... [PIPELINE OPTIONS] [--batch NAME]\n"
    "\n"
    "Queues the pages selected again, as page jobs for \"landrec worker\", with the pipeline\n"
    "options given here (those of \"enqueue\", default as there). The new runs are stored\n"
    "beside the old ones, which stay; the latest run of a page is what export gives. A page\n"
    "whose latest run has these settings already is not queued (its job would be done).\n"
    "\n"
    "selection (at least one; each given must hold of the page's latest run):\n"
    "      --from-batch B          it was loaded, or found done, by batch B\n"
    "      --below-confidence X    its mean confidence is below X (0-100)\n"
    "      --failed                it failed (a file never read is queued whole)\n"
    "      --of-doc-type T         its sheet was read as document type T\n"
    "      --sheets FILE           the page is that of one of the run ids in FILE (one a\n"
    "                              line; blank lines and lines from # ignored; - stdin)\n"
    "\n"
    "options:\n"
    "  -b, --batch NAME        the batch of the new jobs (at most 200 bytes)\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* "
    "variables)\n" CLI_PIPELINE_HELP "  -q, --quiet             only errors\n"
    "  -h, --help              this help\n"
    "\n"
    "Then \"landrec worker --drain\"; \"landrec compare OLD NEW\" sets the two side by side.\n"
    "See docs/queue.md, \"Reprocessing\".\n"
    "Exit status: 0 the pages selected are queued (none selected, or none needing it, is 0\n"
    "too, and says so), 2 nothing could be queued (bad options, an unreadable --sheets file,\n"
    "database, schema).\n";

/* The run ids of a --sheets file, one a line. */
static int read_sheets(const char *path, int64_t **out, size_t *out_n)
{
    *out = NULL;
    *out_n = 0;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char shown[1024];
    lr_utf8_path_show(path, shown, sizeof shown);
    if (!f) {
        fprintf(stderr, "landrec: reprocess: cannot read %s: %s\n", shown, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t line_size = 0, cap = 0;
    int lineno = 0, rc = 0;
    while (rc == 0 && getline(&line, &line_size, f) >= 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = line + strspn(line, " \t");
        size_t n = strcspn(s, " \t\r\n");
        bool blank_after = s[n + strspn(s + n, " \t\r\n")] == '\0';
        s[n] = '\0';
        if (!s[0])
            continue;
        long id;
        if (!blank_after || !cli_parse_int(s, 1, LONG_MAX, &id)) {
            fprintf(stderr, "landrec: reprocess: %s:%d: not a run id (one a line)\n", shown,
                    lineno);
            rc = -1;
            break;
        }
        if (*out_n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *grown = realloc(*out, cap * sizeof **out);
            if (!grown) {
                fputs("landrec: reprocess: out of memory\n", stderr);
                rc = -1;
                break;
            }
            *out = grown;
        }
        (*out)[(*out_n)++] = id;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    if (rc == 0 && *out_n == 0)
        fprintf(stderr, "landrec: reprocess: %s holds no run id\n", shown);
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *out_n = 0;
    }
    return rc;
}

int cmd_reprocess(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_FROM_BATCH, OPT_BELOW, OPT_FAILED, OPT_OF_DOC_TYPE, OPT_SHEETS };
    static const struct option longopts[] = {
        {"batch", required_argument, NULL, 'b'},
        {"from-batch", required_argument, NULL, OPT_FROM_BATCH},
        {"below-confidence", required_argument, NULL, OPT_BELOW},
        {"failed", no_argument, NULL, OPT_FAILED},
        {"of-doc-type", required_argument, NULL, OPT_OF_DOC_TYPE},
        {"sheets", required_argument, NULL, OPT_SHEETS},
        {"db", required_argument, NULL, OPT_DB},
        CLI_PIPELINE_LONGOPTS,
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_enqueue_options o;
    memset(&o, 0, sizeof o);
    lr_pipeline_options_default(&o.pipeline);
    o.schema_dir = cli_schema_dir();
    lr_reprocess_selection sel;
    memset(&sel, 0, sizeof sel);
    const char *sheets = NULL;
    int quiet = 0, c, longindex;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "b:l:qh", longopts, &longindex)) != -1) {
        switch (c) {
        case 'b':
            o.batch_name = optarg;
            break;
        case OPT_FROM_BATCH:
            sel.from_batch = optarg;
            break;
        case OPT_BELOW: {
            char *end;
            errno = 0;
            double x = strtod(optarg, &end);
            if (end == optarg || *end || errno || !(x >= 0 && x <= 100))
                return cli_bad_value("reprocess", longopts, longindex, c, optarg);
            sel.below_set = true;
            sel.below_conf = x;
            break;
        }
        case OPT_FAILED:
            sel.failed = true;
            break;
        case OPT_OF_DOC_TYPE: {
            lr_doc_type t;
            if (lr_doc_type_parse(optarg, &t) < 0 || t == LR_DOC_AUTO)
                return cli_bad_value("reprocess", longopts, longindex, c, optarg);
            sel.doc_type = lr_doc_type_name(t);
            break;
        }
        case OPT_SHEETS:
            sheets = optarg;
            break;
        case OPT_DB:
            o.conninfo = optarg;
            break;
        case 'q':
            quiet++;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default: {
            int st = cli_pipeline_option_or_exit("reprocess", c, optarg, &o.pipeline, longopts,
                                                 longindex);
            if (st >= 0)
                return st;
            break;
        }
        }
    }
    cli_set_verbosity(0, quiet);
    if (optind < argc) {
        fprintf(stderr,
                "landrec: reprocess: unexpected argument \"%s\": pages are chosen by the "
                "selection options\n",
                argv[optind]);
        return LR_EXIT_CANNOT_RUN;
    }
    if (!sel.from_batch && !sel.below_set && !sel.failed && !sel.doc_type && !sheets) {
        fputs("landrec: reprocess: no selection: give --from-batch, --below-confidence, "
              "--failed, --of-doc-type or --sheets\n",
              stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    int64_t *ids = NULL;
    size_t nids = 0;
    if (sheets) {
        if (read_sheets(sheets, &ids, &nids) < 0 || nids == 0) {
            free(ids);
            return LR_EXIT_CANNOT_RUN;
        }
        sel.run_ids = ids;
        sel.nrun_ids = nids;
    }
    lr_error err;
    lr_error_clear(&err);
    lr_reprocess_summary sum;
    int rc = lr_jobs_reprocess(&o, &sel, &sum, &err);
    free(ids);
    if (rc < 0) {
        cli_report("reprocess", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    if (quiet >= 2)
        return LR_EXIT_OK;
    printf("landrec reprocess: %s%s%ssettings %.12s\n", o.batch_name ? "batch \"" : "",
           o.batch_name ? o.batch_name : "", o.batch_name ? "\", " : "", sum.settings_hash);
    printf("  selected: %d page%s\n", sum.selected, sum.selected == 1 ? "" : "s");
    if (sum.selected == 0) {
        puts("  no page's latest run matches the selection: nothing queued");
        return LR_EXIT_OK;
    }
    if (sum.same_settings > 0)
        printf("  %d page%s already ha%s these settings as %s latest run: nothing to reprocess "
               "there\n",
               sum.same_settings, sum.same_settings == 1 ? "" : "s",
               sum.same_settings == 1 ? "s" : "ve", sum.same_settings == 1 ? "its" : "their");
    int queued = sum.selected - sum.same_settings;
    printf("  queued:   %d page%s (%d whole file%s never read); jobs: %d added, %d queued again, "
           "%d already queued or done\n",
           queued, queued == 1 ? "" : "s", sum.failed_whole, sum.failed_whole == 1 ? "" : "s",
           sum.jobs.added, sum.jobs.requeued, sum.jobs.present);
    return LR_EXIT_OK;
}
