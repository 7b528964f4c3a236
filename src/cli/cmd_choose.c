/* cmd_choose.c — "landrec choose": the run that stands for its page, chosen by a person
 * (reprocess.h). */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "landrec/reprocess.h"

static const char usage[] =
    "usage: landrec choose RUN_ID --by NAME [--why TEXT] [--db CONNINFO]\n"
    "\n"
    "Records that run RUN_ID (a done run: \"landrec compare\" and export show run ids) stands\n"
    "for its page: \"landrec export\" (pages and --records), \"qa\" and \"review export\" then\n"
    "take it instead of the page's latest run, until a newer choice for the page. Every\n"
    "choice is kept with who made it, why and when (table run_choice).\n"
    "\n"
    "options:\n"
    "      --by NAME           who chooses (required)\n"
    "      --why TEXT          why, in a few words\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* variables)\n"
    "  -h, --help              this help\n"
    "\n"
    "See docs/queue.md, \"Reprocessing\".\n"
    "Exit status: 0 recorded, 2 not (no such run, a run not done, bad options, database).\n";

int cmd_choose(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_BY, OPT_WHY };
    static const struct option longopts[] = {
        {"by", required_argument, NULL, OPT_BY},
        {"why", required_argument, NULL, OPT_WHY},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *by = NULL, *why = NULL, *conninfo = NULL;
    int c, longindex;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "h", longopts, &longindex)) != -1) {
        switch (c) {
        case OPT_BY:
            by = optarg;
            break;
        case OPT_WHY:
            why = optarg;
            break;
        case OPT_DB:
            conninfo = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs("HINT: run \"landrec choose --help\" for the options.\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
    }
    long id;
    if (argc - optind != 1 || !cli_parse_int(argv[optind], 1, INT64_MAX, &id)) {
        fputs("landrec: choose: give one run id\n", stderr);
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    if (!by || !by[0]) {
        fputs("landrec: choose: --by NAME is required: a choice is recorded with who made it\n",
              stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    lr_error err;
    lr_error_clear(&err);
    lr_store *st = NULL;
    int64_t replaced = 0;
    int rc = lr_store_connect(conninfo, &st, &err);
    if (rc == LR_OK)
        rc = lr_store_check_schema(st, cli_schema_dir(), &err);
    if (rc == LR_OK)
        rc = lr_store_choose_run(st, id, by, why, &replaced, &err);
    lr_store_close(&st);
    if (rc < 0) {
        cli_report("choose", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    if (replaced)
        printf("landrec choose: run %ld stands for its page (instead of run %lld), chosen by %s\n",
               id, (long long)replaced, by);
    else
        printf("landrec choose: run %ld stands for its page (it stood already), chosen by %s\n", id,
               by);
    return LR_EXIT_OK;
}
