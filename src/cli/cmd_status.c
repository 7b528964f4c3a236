/* cmd_status.c — "landrec status": the work queue per batch and its workers (queue.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "landrec/queue.h"

static const char usage[] =
    "usage: landrec status [--batch NAME] [--errors N] [--db CONNINFO]\n"
    "\n"
    "Prints the work queue: for each batch its jobs queued, leased (being worked on), done,\n"
    "failed and quarantined; the latest failed and quarantined jobs with their reasons; and\n"
    "the workers seen in the last day with the seconds since their last heartbeat and the\n"
    "job each holds. What has been loaded: \"landrec db status\".\n"
    "\n"
    "options:\n"
    "  -b, --batch NAME        only this batch\n"
    "      --errors N          failed and quarantined jobs listed (default: 10)\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* variables)\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 printed, 2 the database could not be read.\n";

int cmd_status(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_ERRORS };
    static const struct option longopts[] = {
        {"batch", required_argument, NULL, 'b'},
        {"errors", required_argument, NULL, OPT_ERRORS},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *conninfo = NULL, *batch = NULL;
    long errors = 10;
    int c, longindex;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "b:h", longopts, &longindex)) != -1) {
        switch (c) {
        case 'b':
            batch = optarg;
            break;
        case OPT_ERRORS:
            if (!cli_parse_int(optarg, 0, 100000, &errors))
                return cli_bad_value("status", longopts, longindex, c, optarg);
            break;
        case OPT_DB:
            conninfo = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs("HINT: run \"landrec status --help\" for the options.\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    lr_store *st = NULL;
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_store_connect(conninfo, &st, &err);
    if (rc == LR_OK)
        rc = lr_store_check_schema(st, cli_schema_dir(), &err);
    if (rc == LR_OK)
        rc = lr_queue_print_status(st, batch, (int)errors, stdout, &err);
    lr_store_close(&st);
    if (rc < 0) {
        cli_report("status", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    return LR_EXIT_OK;
}
