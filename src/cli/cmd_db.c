/* cmd_db.c — "landrec db init" and "landrec db status". */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: landrec db init [--db CONNINFO]\n"
    "       landrec db status [--db CONNINFO]\n"
    "\n"
    "init    creates the schema, or applies the migrations it lacks (safe to run twice)\n"
    "status  prints the schema version and what has been loaded\n"
    "\n"
    "options:\n"
    "      --db CONNINFO  libpq connection string or URI (default: PG* variables)\n"
    "  -h, --help         this help\n"
    "\n"
    "Exit status: 0 success, 2 the database could not be reached or changed.\n";

int cmd_db(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *conninfo = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
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
    if (optind != argc - 1) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    const char *action = argv[optind];
    bool init = !strcmp(action, "init");
    if (!init && strcmp(action, "status") != 0) {
        fprintf(stderr, "landrec: db: unknown action \"%s\"\n", action);
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    lr_store *st = NULL;
    lr_error err;
    lr_error_clear(&err);
    int status = LR_EXIT_CANNOT_RUN;
    if (lr_store_connect(conninfo, &st, &err) < 0) {
        cli_report("db", &err);
        goto done;
    }
    if (init) {
        int applied = 0;
        if (lr_store_migrate(st, cli_schema_dir(), &applied, &err) < 0) {
            cli_report("db init", &err);
            goto done;
        }
        printf("landrec db init: %d migration%s applied; schema is current\n", applied,
               applied == 1 ? "" : "s");
    } else {
        if (lr_store_print_status(st, cli_schema_dir(), stdout, &err) < 0) {
            cli_report("db status", &err);
            goto done;
        }
    }
    status = 0;
done:
    lr_store_close(&st);
    return status;
}
