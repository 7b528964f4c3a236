/* cmd_worker.c — "landrec worker": claims pages from the work queue and processes them
 * (jobs.h). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "landrec/jobs.h"
#include "landrec/log.h"

static const char usage[] =
    "usage: landrec worker [OPTIONS]\n"
    "\n"
    "Claims one job (a page) at a time from the work queue (landrec enqueue), processes it\n"
    "with the options it was enqueued with, and stores it as \"run\" does: pages done with\n"
    "the same settings are skipped, bad input is recorded as failed. A lease, renewed by a\n"
    "heartbeat while the page is read, keeps the job this worker's; a worker that dies loses\n"
    "it when it runs out, and another worker takes the job. Idle, the worker waits for a new\n"
    "job (notified by enqueue, looked for every --poll seconds too). SIGINT or SIGTERM: the\n"
    "page in hand is finished, then the worker stops; a second one stops it at once.\n"
    "\n"
    "options:\n"
    "      --drain             stop once nothing is queued or leased (a nightly timer, tests)\n"
    "  -b, --batch NAME        only jobs of this batch\n"
    "  -o, --out DIR           where derivatives go (default: ./landrec-out)\n"
    "      --no-derivatives    write no derivative files\n"
    "      --host-id ID        this machine's name in the worker's id ID:PID (default: the\n"
    "                          host name)\n"
    "  -j, --jobs N            N worker processes, each its own worker (default: 1); the\n"
    "                          exit status is the worst of theirs\n"
    "      --lease SECONDS     a claim's lease, renewed every third of it (default: 60)\n"
    "      --poll SECONDS      an idle worker looks at the queue at least this often\n"
    "                          (default: 10)\n"
    "      --max-attempts N    claims of a job that keeps erring before it fails (default: 5)\n"
    "      --max-expiries N    leases run out (its workers died) before a job is quarantined\n"
    "                          (default: 3)\n"
    "      --retry-after SECONDS\n"
    "                          first wait before a job that erred is tried again; doubles\n"
    "                          with each attempt, at most 600 (default: 10)\n"
    "      --reconnect-timeout SECONDS\n"
    "                          when the database goes away, keep trying to reconnect this\n"
    "                          long, then stop (default: 300; 0: give up at once)\n"
    "      --log-json FILE     one JSON object per event and line (claimed, done, failed,\n"
    "                          retry, released, heartbeat_lost, lease_expired, quarantined,\n"
    "                          ...) to FILE\n"
    "                          (appended; - for stdout)\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* variables)\n"
    "  -v, --verbose           more log output (twice: debug)\n"
    "  -q, --quiet             only errors\n"
    "  -h, --help              this help\n"
    "\n"
    "See docs/queue.md.\n"
    "Exit status: 0 every job this worker finished is done (or there was none), 1 some\n"
    "failed, or the database did not come back in time, 2 the worker could not start (bad\n"
    "options, database unreachable, schema missing), 130 stopped by a signal.\n";

static bool parse_seconds(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

/* One worker in this process: its summary on stderr, its exit status. */
static int run_one(lr_jobs_worker_options *o, const char *log_json, int quiet, int argc,
                   char **argv)
{
    FILE *log = NULL;
    if (log_json && strcmp(log_json, "-") == 0) {
        log = stdout;
    } else if (log_json && !(log = fopen(log_json, "a"))) {
        fprintf(stderr, "landrec: worker: could not open \"%s\": %s\n", log_json, strerror(errno));
        return LR_EXIT_CANNOT_RUN;
    }
    o->log_json = log;
    char *args = cli_join_args(argc, argv);
    o->args_text = args;
    lr_jobs_worker_summary sum;
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_jobs_work(o, &sum, &err);
    int status;
    if (rc < 0) {
        cli_report("worker", &err);
        status = LR_EXIT_CANNOT_RUN;
    } else {
        status = lr_jobs_exit_status(&sum);
        if (quiet < 2)
            fprintf(stderr,
                    "landrec worker %s: %d jobs: %d loaded, %d skipped, %d done elsewhere, "
                    "%d files expanded, %d failed, %d to retry, %d leases lost; %d quarantined "
                    "after their workers died%s%s\n",
                    sum.worker_id, sum.claimed, sum.loaded, sum.skipped, sum.done_elsewhere,
                    sum.expanded, sum.failed, sum.retried, sum.leases_lost, sum.quarantined,
                    sum.database_lost ? "; stopped: the database was lost: " : "",
                    sum.database_lost ? sum.database_error : "");
    }
    if (log && log != stdout)
        fclose(log);
    free(args);
    return status;
}

static volatile sig_atomic_t forwarded_signal;

static void on_signal_forward(int sig)
{
    forwarded_signal = sig;
}

/* The worst of two exit statuses: could not start, stopped, some failed, all good. */
static int worse(int a, int b)
{
    static const int order[] = {LR_EXIT_OK, LR_EXIT_SOME_FAILED, LR_EXIT_INTERRUPTED,
                                LR_EXIT_CANNOT_RUN};
    int ra = 0, rb = 0;
    for (int i = 0; i < 4; i++) {
        if (order[i] == a)
            ra = i;
        if (order[i] == b)
            rb = i;
    }
    return ra >= rb ? a : b;
}

/* n workers, each a child process of its own (its own id, connections and OCR handle, its
 * own process group); a SIGINT or SIGTERM to this process is passed on to them. */
static int run_many(int n, lr_jobs_worker_options *o, const char *log_json, int quiet, int argc,
                    char **argv)
{
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    if (!pids) {
        fputs("landrec: worker: out of memory\n", stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal_forward;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int status = LR_EXIT_OK, started = 0;
    fflush(NULL);
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            /* A group of its own: a signal reaches it once, passed on by this process, not
             * also from the terminal (a second one would end it at once). */
            setpgid(0, 0);
            sigaction(SIGINT, &old_int, NULL);
            sigaction(SIGTERM, &old_term, NULL);
            free(pids);
            exit(run_one(o, log_json, quiet, argc, argv));
        }
        if (pid < 0) {
            fprintf(stderr, "landrec: worker: could not start worker %d: %s\n", i + 1,
                    strerror(errno));
            status = LR_EXIT_CANNOT_RUN;
            break;
        }
        pids[started++] = pid;
    }
    for (int left = started; left > 0;) {
        int ws = 0;
        pid_t pid = waitpid(-1, &ws, 0);
        if (pid < 0 && errno == EINTR) {
            if (forwarded_signal)
                for (int i = 0; i < started; i++)
                    if (pids[i] > 0)
                        kill(pids[i], forwarded_signal);
            forwarded_signal = 0;
            continue;
        }
        if (pid < 0)
            break;
        for (int i = 0; i < started; i++)
            if (pids[i] == pid)
                pids[i] = 0;
        left--;
        int st = WIFEXITED(ws) ? WEXITSTATUS(ws)
                 : WIFSIGNALED(ws)
                     ? (WTERMSIG(ws) == SIGINT || WTERMSIG(ws) == SIGTERM ? LR_EXIT_INTERRUPTED
                                                                          : LR_EXIT_SOME_FAILED)
                     : LR_EXIT_SOME_FAILED;
        status = worse(status, st);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    free(pids);
    return status;
}

int cmd_worker(int argc, char **argv)
{
    enum {
        OPT_DB = 256,
        OPT_DRAIN,
        OPT_NO_DERIV,
        OPT_HOST_ID,
        OPT_LEASE,
        OPT_POLL,
        OPT_MAX_ATTEMPTS,
        OPT_MAX_EXPIRIES,
        OPT_RETRY_AFTER,
        OPT_RECONNECT_TIMEOUT,
        OPT_LOG_JSON,
        OPT_BENCH_NOOP,
    };
    static const struct option longopts[] = {
        {"drain", no_argument, NULL, OPT_DRAIN},
        {"batch", required_argument, NULL, 'b'},
        {"out", required_argument, NULL, 'o'},
        {"no-derivatives", no_argument, NULL, OPT_NO_DERIV},
        {"host-id", required_argument, NULL, OPT_HOST_ID},
        {"jobs", required_argument, NULL, 'j'},
        {"lease", required_argument, NULL, OPT_LEASE},
        {"poll", required_argument, NULL, OPT_POLL},
        {"max-attempts", required_argument, NULL, OPT_MAX_ATTEMPTS},
        {"max-expiries", required_argument, NULL, OPT_MAX_EXPIRIES},
        {"retry-after", required_argument, NULL, OPT_RETRY_AFTER},
        {"reconnect-timeout", required_argument, NULL, OPT_RECONNECT_TIMEOUT},
        {"log-json", required_argument, NULL, OPT_LOG_JSON},
        /* Not in the help: it marks jobs done unprocessed (docs/queue.md, "Benchmark only"). */
        {"bench-no-op", no_argument, NULL, OPT_BENCH_NOOP},
        {"db", required_argument, NULL, OPT_DB},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    lr_jobs_worker_options o;
    lr_jobs_worker_options_default(&o);
    o.schema_dir = cli_schema_dir();
    o.out_dir = "landrec-out";
    const char *log_json = NULL;
    int jobs = 1;
    int verbose = 0, quiet = 0, c, longindex;
    long v;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "b:o:j:vqh", longopts, &longindex)) != -1) {
        switch (c) {
        case OPT_DRAIN:
            o.drain = true;
            break;
        case 'b':
            o.batch = optarg;
            break;
        case 'o':
            o.out_dir = optarg;
            break;
        case OPT_NO_DERIV:
            o.out_dir = NULL;
            break;
        case OPT_HOST_ID:
            if (!*optarg || strlen(optarg) > 200)
                goto bad_value;
            o.host_id = optarg;
            break;
        case 'j':
            if (!cli_parse_int(optarg, 1, 256, &v))
                goto bad_value;
            jobs = (int)v;
            break;
        case OPT_LEASE:
            if (!parse_seconds(optarg, 1, 86400, &o.lease_s))
                goto bad_value;
            break;
        case OPT_POLL:
            if (!parse_seconds(optarg, 0.1, 3600, &o.poll_s))
                goto bad_value;
            break;
        case OPT_MAX_ATTEMPTS:
            if (!cli_parse_int(optarg, 1, 1000, &v))
                goto bad_value;
            o.max_attempts = (int)v;
            break;
        case OPT_MAX_EXPIRIES:
            if (!cli_parse_int(optarg, 1, 1000, &v))
                goto bad_value;
            o.max_expiries = (int)v;
            break;
        case OPT_RETRY_AFTER:
            if (!parse_seconds(optarg, 0, 600, &o.retry_base_s))
                goto bad_value;
            break;
        case OPT_RECONNECT_TIMEOUT:
            if (!parse_seconds(optarg, 0, 86400, &o.reconnect_timeout))
                goto bad_value;
            break;
        case OPT_LOG_JSON:
            log_json = optarg;
            break;
        case OPT_BENCH_NOOP:
            o.bench_noop = true;
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
        default:
            fputs("HINT: run \"landrec worker --help\" for the options.\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
    }
    cli_set_verbosity(verbose, quiet);
    if (optind != argc) {
        fprintf(stderr, "landrec: worker: unexpected argument \"%s\"\n", argv[optind]);
        fputs("HINT: the worker takes its files from the queue: landrec enqueue PATH...\n", stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    if (jobs > 1)
        return run_many(jobs, &o, log_json, quiet, argc, argv);
    return run_one(&o, log_json, quiet, argc, argv);

bad_value:
    return cli_bad_value("worker", longopts, longindex, c, optarg);
}
