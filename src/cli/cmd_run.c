/* cmd_run.c — "landrec run": the pipeline over files and directories. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "landrec/log.h"
#include "landrec/utf8.h"

static const char usage[] =
    "usage: landrec run [OPTIONS] PATH...\n"
    "\n"
    "Enhances, OCRs and loads every page of the scans under PATH (files, or directories\n"
    "searched recursively for .tif .tiff .png .jpg .jpeg, hidden entries skipped). Pages\n"
    "already done with the same settings are skipped; a bad file fails alone and is recorded\n"
    "in the database. A file reached by several paths is processed once. File names need\n"
    "not be UTF-8: other bytes are shown as \\xHH (a backslash as \\\\).\n"
    "\n"
    "options:\n"
    "  -j, --jobs N            worker processes (default: one per core)\n"
    "  -o, --out DIR           where derivatives go (default: ./landrec-out)\n"
    "      --no-derivatives    write no derivative files\n"
    "  -b, --batch NAME        name this batch (for export --batch and reports; at most\n"
    "                          200 bytes)\n"
    "      --follow-symlinks   follow symbolic links to directories inside PATH (loops are\n"
    "                          detected); links given as PATH are always followed\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* variables);\n"
    "                          recorded with its password shown as ***\n"
    "      --reconnect-timeout SECONDS\n"
    "                          when the database goes away during the batch, keep trying\n"
    "                          to reconnect this long, then stop with the rest not\n"
    "                          processed (default: 300; 0: give up at once)\n"
    CLI_PIPELINE_HELP
    "      --progress          progress line even when stderr is not a terminal\n"
    "      --no-progress       no progress line\n"
    "  -v, --verbose           more log output (twice: debug)\n"
    "  -q, --quiet             only errors\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 every page loaded (or already loaded), 1 some inputs failed (or the\n"
    "database did not come back in time) and the rest loaded, 2 nothing could run (bad\n"
    "options, database unreachable, schema missing), 130 interrupted.\n";

enum {
    OPT_DB = 256,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_NO_DERIV,
    OPT_FOLLOW_SYMLINKS,
    OPT_RECONNECT_TIMEOUT
};

/* Seconds "run" waits for a database that went away, unless --reconnect-timeout says. */
#define RUN_RECONNECT_TIMEOUT_DEFAULT 300

/* Writes s as one shell word: as it is when it is made only of [A-Za-z0-9._/-], else in single
 * quotes with each ' written as '\'' . */
static void print_shell_word(const char *s)
{
    bool plain = *s != '\0';
    for (const char *p = s; *p && plain; p++)
        plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                *p == '.' || *p == '_' || *p == '/' || *p == '-';
    if (plain) {
        fputs(s, stdout);
        return;
    }
    putchar('\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*p);
    }
    putchar('\'');
}

static void print_summary(const lr_batch_summary *s, const lr_batch_options *o)
{
    const lr_run_counts *c = &s->counts;
    double minutes = s->seconds / 60.0;
    if (o->batch_name)
        printf("landrec run: batch \"%s\", ", o->batch_name);
    else
        printf("landrec run: ");
    printf("invocation %lld, settings %.12s\n", (long long)s->invocation_id, s->settings_hash);
    printf("  files:    %d\n", c->files);
    /* "done elsewhere": read here, but another run stored the same page first. */
    printf("  pages:    %d loaded, %d already done, %d failed, %d done elsewhere\n",
           c->pages_done, c->pages_skipped, c->pages_failed, c->pages_done_elsewhere);
    printf("  time:     %.1f s", s->seconds);
    int worked = c->pages_done + c->pages_failed + c->pages_done_elsewhere;
    if (worked > 0 && minutes > 0)
        printf(" (%.1f pages/min)", worked / minutes);
    printf("\n");
    if (s->nfailures) {
        printf("  failed:\n");
        for (size_t i = 0; i < s->nfailures; i++) {
            const lr_batch_failure *f = &s->failures[i];
            char *shown = lr_utf8_path_display(f->path);
            if (f->page > 0)
                printf("    %s page %d: %s\n", shown ? shown : "?", f->page, f->message);
            else
                printf("    %s: %s\n", shown ? shown : "?", f->message);
            free(shown);
        }
    }
    if (s->database_lost) {
        printf("  not processed: %d page%s (the batch stopped: the database was lost); run "
               "again to continue\n",
               s->pages_unprocessed, s->pages_unprocessed == 1 ? "" : "s");
        printf("    reason: %s\n", s->database_error);
        for (size_t i = 0; i < s->nunstored; i++) {
            char *shown = lr_utf8_path_display(s->unstored[i].path);
            printf("    %s page %d: %s\n", shown ? shown : "?", s->unstored[i].page,
                   s->unstored[i].message);
            free(shown);
        }
    }
    if (s->interrupted)
        printf("  interrupted: pages finished so far are loaded; run again to continue\n");
    if (o->pipeline.out_dir) {
        char *shown = lr_utf8_path_display(o->pipeline.out_dir);
        printf("  derivatives: %s/\n", shown ? shown : "?");
        free(shown);
    }
    printf("  export:   landrec export --format jsonl");
    if (o->batch_name) {
        printf(" --batch ");
        print_shell_word(o->batch_name);
    }
    printf("\n");
}

int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"jobs", required_argument, NULL, 'j'},
        CLI_PIPELINE_LONGOPTS,
        {"out", required_argument, NULL, 'o'},
        {"no-derivatives", no_argument, NULL, OPT_NO_DERIV},
        {"batch", required_argument, NULL, 'b'},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW_SYMLINKS},
        {"db", required_argument, NULL, OPT_DB},
        {"reconnect-timeout", required_argument, NULL, OPT_RECONNECT_TIMEOUT},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_batch_options o;
    memset(&o, 0, sizeof o);
    lr_pipeline_options_default(&o.pipeline);
    o.pipeline.out_dir = "landrec-out";
    o.schema_dir = cli_schema_dir();
    o.progress = isatty(STDERR_FILENO);
    o.progress_out = stderr;
    o.reconnect_timeout = RUN_RECONNECT_TIMEOUT_DEFAULT;
    int verbose = 0, quiet = 0, c, longindex;
    long v;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "j:l:o:b:vqh", longopts, &longindex)) !=
           -1) {
        switch (c) {
        case 'j':
            if (!cli_parse_int(optarg, 1, 256, &v))
                goto bad_value;
            o.jobs = (int)v;
            break;
        case 'o':
            o.pipeline.out_dir = optarg;
            break;
        case OPT_NO_DERIV:
            o.pipeline.out_dir = NULL;
            break;
        case 'b':
            o.batch_name = optarg;
            break;
        case OPT_FOLLOW_SYMLINKS:
            o.follow_symlinks = true;
            break;
        case OPT_DB:
            o.conninfo = optarg;
            break;
        case OPT_RECONNECT_TIMEOUT:
            if (!cli_parse_int(optarg, 0, 86400, &v))
                goto bad_value;
            o.reconnect_timeout = (double)v;
            break;
        case OPT_PROGRESS:
            o.progress = true;
            break;
        case OPT_NO_PROGRESS:
            o.progress = false;
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
        default: {
            int st = cli_pipeline_option_or_exit("run", c, optarg, &o.pipeline, longopts,
                                                 longindex);
            if (st >= 0)
                return st;
            break;
        }
        }
    }
    cli_set_verbosity(verbose, quiet);
    lr_log_debug("OMP_THREAD_LIMIT=%s", getenv("OMP_THREAD_LIMIT") ? getenv("OMP_THREAD_LIMIT")
                                                                   : "(unset)");
    if (o.batch_name && strlen(o.batch_name) > LR_BATCH_NAME_MAX) {
        fprintf(stderr, "landrec: run: the --batch name is too long (%zu bytes; at most %d)\n",
                strlen(o.batch_name), LR_BATCH_NAME_MAX);
        fputs("HINT: use a shorter name; put longer notes in a file beside the scans.\n", stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    if (optind >= argc) {
        fputs("landrec: run: no input paths\n", stderr);
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    char *args = cli_join_args(argc, argv);
    o.args_text = args;
    lr_batch_summary sum;
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_batch_run(&o, argv + optind, argc - optind, &sum, &err);
    int status;
    if (rc < 0) {
        cli_report("run", &err);
        status = LR_EXIT_CANNOT_RUN;
    } else {
        if (quiet < 2)
            print_summary(&sum, &o);
        status = lr_batch_exit_status(&sum);
    }
    lr_batch_summary_clear(&sum);
    free(args);
    return status;

bad_value:
    return cli_bad_value("run", longopts, longindex, c, optarg);
}
