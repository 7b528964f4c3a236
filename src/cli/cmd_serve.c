/* cmd_serve.c — "landrec serve": the web application (web.h, docs/web.md). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/web.h"

static const char usage[] =
    "usage: landrec serve [--db CONNINFO] [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]\n"
    "                     [--threads N] [--session-hours H] [--claim SECONDS]\n"
    "\n"
    "Serves the archive in the browser: search, sheet view, review desk and the records\n"
    "officers' dashboard, and the JSON API under /api/ (docs/web.md). Connect as the web role\n"
    "that \"landrec db init\" creates (user=landrec_web): it reads the records and writes only\n"
    "sessions and review decisions. Accounts: \"landrec user add\".\n"
    "\n"
    "options:\n"
    "      --db CONNINFO        libpq connection string or URI (default: PG* variables)\n"
    "      --listen ADDR:PORT   where to listen (default 127.0.0.1:8080; [::1]:8080 for IPv6)\n"
    "      --tls-cert FILE      PEM certificate: serve HTTPS (needs --tls-key)\n"
    "      --tls-key FILE       PEM private key\n"
    "      --threads N          serving threads, each with a database connection (default 4)\n"
    "      --session-hours H    how long a sign-in lasts (default 8)\n"
    "      --claim SECONDS      how long a review claim holds a field (default 600)\n"
    "  -h, --help               this help\n"
    "\n"
    "Stops on SIGINT or SIGTERM after the requests under way.\n"
    "Exit status: 0 stopped by a signal, 2 could not start (options, database, address).\n";

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* "ADDR:PORT", "[V6]:PORT" or ":PORT" (all addresses of 127.0.0.1 kept) into the options. */
static int parse_listen(const char *s, char *addr, size_t size, int *port)
{
    const char *colon;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || end[1] != ':')
            return -1;
        snprintf(addr, size, "%.*s", (int)(end - s - 1), s + 1);
        colon = end + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return -1;
        snprintf(addr, size, "%.*s", (int)(colon - s), s);
        if (!addr[0])
            snprintf(addr, size, "127.0.0.1");
    }
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || p < 1 || p > 65535)
        return -1;
    *port = (int)p;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    enum { OPT_LISTEN = 1000, OPT_CERT, OPT_KEY, OPT_THREADS, OPT_HOURS, OPT_CLAIM };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"tls-cert", required_argument, NULL, OPT_CERT},
        {"tls-key", required_argument, NULL, OPT_KEY},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"session-hours", required_argument, NULL, OPT_HOURS},
        {"claim", required_argument, NULL, OPT_CLAIM},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_web_options o = {0};
    char addr[128] = "127.0.0.1";
    o.address = addr;
    int c, longindex = -1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, &longindex)) != -1) {
        char *end = NULL;
        long v = 0;
        if (c == OPT_THREADS || c == OPT_HOURS || c == OPT_CLAIM) {
            v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 1 || v > (c == OPT_THREADS ? 64 : 1000000))
                return cli_bad_value("serve", longopts, longindex, c, optarg);
        }
        switch (c) {
        case 'd':
            o.conninfo = optarg;
            break;
        case OPT_LISTEN:
            if (parse_listen(optarg, addr, sizeof addr, &o.port) < 0)
                return cli_bad_value("serve", longopts, longindex, c, optarg);
            break;
        case OPT_CERT:
            o.tls_cert = optarg;
            break;
        case OPT_KEY:
            o.tls_key = optarg;
            break;
        case OPT_THREADS:
            o.threads = (int)v;
            break;
        case OPT_HOURS:
            o.session_ttl_s = (int)(v * 3600 > 1000000 ? 1000000 : v * 3600);
            break;
        case OPT_CLAIM:
            o.claim_s = (int)v;
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
    if (optind != argc) {
        fprintf(stderr, "landrec: serve: unexpected argument \"%s\"\n", argv[optind]);
        return LR_EXIT_CANNOT_RUN;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_serve(&o, &stop_flag, &err) < 0) {
        cli_report("serve", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    return 0;
}
