/* cmd_enqueue.c — "landrec enqueue": scans' pages into the work queue (jobs.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/jobs.h"
#include "landrec/log.h"

static const char usage[] =
    "usage: landrec enqueue [OPTIONS] PATH...\n"
    "\n"
    "Puts every page of the scans under PATH (files, or directories searched as \"run\"\n"
    "searches them) in the work queue, as one job each, with the pipeline options given\n"
    "here; \"landrec worker\" processes, on this machine or others that see the same files\n"
    "under the same paths, take them. Paths are recorded absolute. A page already queued,\n"
    "being worked on or done with the same settings is not queued twice; one that failed\n"
    "or was quarantined is queued again. Idle workers are notified.\n"
    "\n"
    "options:\n"
    "  -b, --batch NAME        name this batch (for status, worker --batch, export --batch;\n"
    "                          at most 200 bytes)\n"
    "      --follow-symlinks   follow symbolic links to directories inside PATH\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* "
    "variables)\n" CLI_PIPELINE_HELP "  -v, --verbose           more log output (twice: debug)\n"
    "  -q, --quiet             only errors\n"
    "  -h, --help              this help\n"
    "\n"
    "Where derivatives go is each worker's (worker --out). See docs/queue.md.\n"
    "Exit status: 0 the pages are queued (an unreadable file too: its worker records why),\n"
    "2 nothing could be queued (bad options, no files, database, schema).\n";

int cmd_enqueue(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_FOLLOW_SYMLINKS };
    static const struct option longopts[] = {
        {"batch", required_argument, NULL, 'b'},
        {"follow-symlinks", no_argument, NULL, OPT_FOLLOW_SYMLINKS},
        {"db", required_argument, NULL, OPT_DB},
        CLI_PIPELINE_LONGOPTS,
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_enqueue_options o;
    memset(&o, 0, sizeof o);
    lr_pipeline_options_default(&o.pipeline);
    o.schema_dir = cli_schema_dir();
    bool follow = false;
    int verbose = 0, quiet = 0, c, longindex;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "b:l:vqh", longopts, &longindex)) != -1) {
        switch (c) {
        case 'b':
            o.batch_name = optarg;
            break;
        case OPT_FOLLOW_SYMLINKS:
            follow = true;
            break;
        case OPT_DB:
            o.conninfo = optarg;
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
            int r = cli_pipeline_option("enqueue", c, optarg, &o.pipeline);
            if (r == -2)
                return LR_EXIT_CANNOT_RUN;
            if (r < 0)
                return cli_bad_value("enqueue", longopts, longindex, c, optarg);
            if (r > 0)
                break;
            fputs("HINT: run \"landrec enqueue --help\" for the options.\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
        }
    }
    cli_set_verbosity(verbose, quiet);
    if (o.batch_name && strlen(o.batch_name) > LR_BATCH_NAME_MAX) {
        fprintf(stderr, "landrec: enqueue: the --batch name is too long (%zu bytes; at most %d)\n",
                strlen(o.batch_name), LR_BATCH_NAME_MAX);
        return LR_EXIT_CANNOT_RUN;
    }
    if (optind >= argc) {
        fputs("landrec: enqueue: no input paths\n", stderr);
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    /* The files to enqueue: collected from the paths here; a list read from a manifest
     * joins them at this point. */
    char **files = NULL;
    int nfiles = 0;
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_batch_collect(argv + optind, argc - optind, follow ? LR_BATCH_FOLLOW_SYMLINKS : 0u,
                              &files, &nfiles, &err);
    if (rc == LR_OK && nfiles == 0) {
        rc = lr_error_set(&err, LR_ERR_ARG, "no image files found");
        lr_error_hint(&err, "landrec reads .tif, .tiff, .png, .jpg and .jpeg files.");
    }
    lr_enqueue_summary sum;
    memset(&sum, 0, sizeof sum);
    if (rc == LR_OK)
        rc = lr_jobs_enqueue(&o, files, nfiles, &sum, &err);
    lr_batch_files_free(files, nfiles);
    if (rc < 0) {
        cli_report("enqueue", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    if (quiet < 2) {
        printf("landrec enqueue: %s%s%ssettings %.12s\n", o.batch_name ? "batch \"" : "",
               o.batch_name ? o.batch_name : "", o.batch_name ? "\", " : "", sum.settings_hash);
        printf("  files:    %d (%d could not be opened: queued whole, for their worker to "
               "record why)\n",
               sum.files, sum.unreadable);
        printf("  jobs:     %d added, %d queued again, %d already queued or done\n", sum.jobs.added,
               sum.jobs.requeued, sum.jobs.present);
    }
    return LR_EXIT_OK;
}
