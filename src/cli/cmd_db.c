/* cmd_db.c — "landrec db init" and "landrec db status". */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: landrec db init [--db CONNINFO] [--loader-role NAME] [--reader-role NAME]\n"
    "                       [--web-role NAME] [--no-roles]\n"
    "       landrec db status [--db CONNINFO]\n"
    "\n"
    "init    creates the schema, or applies the migrations it lacks (safe to run twice),\n"
    "        as the loading role, which owns the tables and is no superuser; the reading\n"
    "        role may only SELECT them; the web role (landrec serve) reads, and writes only\n"
    "        sessions and review decisions. Creates the roles when they do not exist (that\n"
    "        needs a superuser or CREATEROLE); takes over the tables of a database made\n"
    "        before the roles. Run it as an administrator once, then as the loader.\n"
    "status  prints the schema version and what has been loaded\n"
    "\n"
    "options:\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* variables)\n"
    "      --loader-role NAME  the loading role (default " LR_STORE_LOADER_ROLE ")\n"
    "      --reader-role NAME  the reading role (default " LR_STORE_READER_ROLE ")\n"
    "      --web-role NAME     the web application's role (default " LR_STORE_WEB_ROLE ")\n"
    "      --no-roles          only apply the migrations, as the connecting user, who\n"
    "                          then owns what they create; no roles, no grants\n"
    "  -h, --help              this help\n"
    "\n"
    "Roles and least privilege: docs/security.md.\n"
    "Exit status: 0 success, 2 the database could not be reached or changed.\n";

int cmd_db(int argc, char **argv)
{
    enum { OPT_LOADER = 1000, OPT_READER, OPT_WEB, OPT_NO_ROLES };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"loader-role", required_argument, NULL, OPT_LOADER},
        {"reader-role", required_argument, NULL, OPT_READER},
        {"web-role", required_argument, NULL, OPT_WEB},
        {"no-roles", no_argument, NULL, OPT_NO_ROLES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *conninfo = NULL;
    lr_store_roles roles = {NULL, NULL, NULL};
    bool role_options = false, no_roles = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            conninfo = optarg;
            break;
        case OPT_LOADER:
            roles.loader = optarg;
            role_options = true;
            break;
        case OPT_READER:
            roles.reader = optarg;
            role_options = true;
            break;
        case OPT_WEB:
            roles.web = optarg;
            role_options = true;
            break;
        case OPT_NO_ROLES:
            no_roles = true;
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
    if ((role_options || no_roles) && !init) {
        fprintf(stderr, "landrec: db: --loader-role, --reader-role, --web-role and --no-roles are for "
                        "\"db init\"\n");
        return LR_EXIT_CANNOT_RUN;
    }
    if (role_options && no_roles) {
        fprintf(stderr, "landrec: db init: --no-roles takes no role names\n");
        return LR_EXIT_CANNOT_RUN;
    }
    const char *loader = roles.loader ? roles.loader : LR_STORE_LOADER_ROLE;
    const char *reader = roles.reader ? roles.reader : LR_STORE_READER_ROLE;
    if (!strcmp(loader, reader)) {
        fprintf(stderr, "landrec: db init: the loading and the reading role must differ\n");
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
    if (init && no_roles) {
        int applied = 0;
        if (lr_store_migrate(st, cli_schema_dir(), &applied, &err) < 0) {
            cli_report("db init", &err);
            goto done;
        }
        printf("landrec db init: %d migration%s applied; schema is current\n", applied,
               applied == 1 ? "" : "s");
        printf("roles: none (--no-roles); the tables belong to who created them\n");
    } else if (init) {
        lr_store_init_result r;
        if (lr_store_init(st, cli_schema_dir(), &roles, &r, &err) < 0) {
            cli_report("db init", &err);
            goto done;
        }
        printf("landrec db init: %d migration%s applied; schema is current\n", r.applied,
               r.applied == 1 ? "" : "s");
        printf("roles: %s%s owns the tables, %s%s may read them", loader,
               r.created_loader ? " (created)" : "", reader, r.created_reader ? " (created)" : "");
        if (r.taken_over > 0)
            printf("; %d tables, views and sequences given to %s", r.taken_over, loader);
        printf("\n");
        printf("web: %s%s reads them and writes only sessions and review decisions (landrec "
               "serve)\n",
               roles.web ? roles.web : LR_STORE_WEB_ROLE, r.created_web ? " (created)" : "");
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
