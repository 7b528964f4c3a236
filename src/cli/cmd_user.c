/* cmd_user.c — "landrec user add": accounts of the web application (docs/web.md). The password
 * is asked for twice on a terminal, without echo, or read as one line from standard input. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "landrec/web.h"
#include "landrec/webstore.h"

static const char usage[] =
    "usage: landrec user add NAME --role reader|reviewer|officer|admin [--replace]\n"
    "                        [--db CONNINFO]\n"
    "\n"
    "Adds an account of the web application (landrec serve). The password is asked for on a\n"
    "terminal (twice, not shown), or read as the first line of standard input otherwise; it\n"
    "is kept only as an Argon2id hash. Readers search and view; reviewers also review;\n"
    "officers also see the dashboard; admins may do everything. Run as the loading role.\n"
    "\n"
    "options:\n"
    "      --role ROLE     reader, reviewer, officer or admin\n"
    "      --replace       the account exists: set its role and a new password\n"
    "      --db CONNINFO   libpq connection string or URI (default: PG* variables)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 added, 2 not (bad options, no password, the database refused).\n";

/* Shortest password accepted: a guessable one defeats the hashing. */
#define MIN_PASSWORD 8

/* One line from f without its newline; false at end of input or when too long. */
static bool read_line(FILE *f, char *buf, size_t size)
{
    if (!fgets(buf, (int)size, f))
        return false;
    size_t n = strlen(buf);
    if (n > 0 && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (!feof(f))
        return false;
    if (n > 0 && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return true;
}

static bool ask(const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    fputs(prompt, stderr);
    fflush(stderr);
    bool echo_off = tcgetattr(STDIN_FILENO, &old) == 0;
    if (echo_off) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool ok = read_line(stdin, buf, size);
    if (echo_off)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return ok;
}

static bool get_password(char *pw, size_t size)
{
    if (!isatty(STDIN_FILENO))
        return read_line(stdin, pw, size);
    char again[256];
    if (!ask("password: ", pw, size) || !ask("again: ", again, sizeof again))
        return false;
    if (strcmp(pw, again) != 0) {
        fprintf(stderr, "landrec: user add: the two passwords differ\n");
        return false;
    }
    return true;
}

int cmd_user(int argc, char **argv)
{
    enum { OPT_ROLE = 1000, OPT_REPLACE };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"role", required_argument, NULL, OPT_ROLE},
        {"replace", no_argument, NULL, OPT_REPLACE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *conninfo = NULL;
    lr_web_role role = LR_WEB_NONE;
    bool replace = false;
    int c, longindex = -1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, &longindex)) != -1) {
        switch (c) {
        case 'd':
            conninfo = optarg;
            break;
        case OPT_ROLE:
            if ((role = lr_web_role_parse(optarg)) == LR_WEB_NONE)
                return cli_bad_value("user", longopts, longindex, c, optarg);
            break;
        case OPT_REPLACE:
            replace = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return LR_EXIT_CANNOT_RUN;
        }
        longindex = -1;
    }
    if (optind + 2 != argc || strcmp(argv[optind], "add") != 0) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    const char *name = argv[optind + 1];
    if (role == LR_WEB_NONE) {
        fprintf(stderr, "landrec: user add: give --role reader|reviewer|officer|admin\n");
        return LR_EXIT_CANNOT_RUN;
    }
    char pw[256];
    if (!get_password(pw, sizeof pw)) {
        fprintf(stderr, "landrec: user add: no password (give it on standard input, one line "
                        "of at most %zu bytes)\n",
                sizeof pw - 2);
        return LR_EXIT_CANNOT_RUN;
    }
    if (strlen(pw) < MIN_PASSWORD) {
        fprintf(stderr, "landrec: user add: the password must have at least %d characters\n",
                MIN_PASSWORD);
        return LR_EXIT_CANNOT_RUN;
    }
    lr_error err;
    lr_error_clear(&err);
    char hash[LR_WEB_PWHASH_SIZE];
    int status = LR_EXIT_CANNOT_RUN;
    lr_store *st = NULL;
    bool replaced = false;
    if (lr_web_password_hash(pw, hash, &err) < 0 || lr_store_connect(conninfo, &st, &err) < 0 ||
        lr_store_check_schema(st, cli_schema_dir(), &err) < 0 ||
        lr_web_user_put(st, name, role, hash, replace, &replaced, &err) < 0) {
        cli_report("user add", &err);
        goto done;
    }
    printf("user %s %s with role %s\n", name, replaced ? "updated" : "added", lr_web_role_name(role));
    status = 0;
done:
    memset(pw, 0, sizeof pw);
    lr_store_close(&st);
    return status;
}
