/* bench_queue.c — the work queue (docs/queue.md) against the targets of the work order, with
 * real "landrec worker" processes on a database of its own:
 *
 *   claims   200,000 generated jobs claimed and finished by 8 workers started with the
 *            benchmark-only --bench-no-op (each job claimed is finished done without its file
 *            being opened): claims a second, and every job done exactly once (target: at
 *            least 1,000 claims a second, no job done twice).
 *   workers  the same real pages (testdata's samples, each copy made distinct) through one
 *            worker, then through two on a fresh database: pages a minute and their ratio
 *            (target: two workers at least 1.8 times one, measured in one run).
 *
 * It makes its databases on the server the PG* variables reach (skips with 77 without one,
 * fails with LR_TEST_REQUIRE_DB=1) and drops them afterwards (LR_BENCH_KEEP_DB=1 keeps them
 * and the scratch directory). LR_BENCH_JOBS (default 200000), LR_BENCH_WORKERS (8) and
 * LR_BENCH_COPIES (copies of the samples, 7 pages each; default 2) make other runs. A
 * benchmark prints figures; it fails only when it cannot measure or a check fails. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lr_test.h"

static char db[64], tmp[512];
static const char *landrec;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs a shell command; its exit status, -1 when it did not exit. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The first line of psql's answer to sql on database dbname (a static buffer). */
static char *query1_on(const char *dbname, const char *sql)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "psql -X -d %s -Atqc \"%s\"", dbname, sql);
    static char line[4096];
    line[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (p) {
        if (!fgets(line, sizeof line, p))
            line[0] = '\0';
        pclose(p);
    }
    line[strcspn(line, "\n")] = '\0';
    return line;
}

static char *query1(const char *sql)
{
    return query1_on(db, sql);
}

static void drop_db(void)
{
    if (db[0] && !getenv("LR_BENCH_KEEP_DB"))
        sh("psql -X -d postgres -Atqc 'drop database if exists %s with (force)' >/dev/null 2>&1",
           db);
}

static void cleanup(void)
{
    drop_db();
    if (tmp[0] && !getenv("LR_BENCH_KEEP_DB"))
        sh("rm -rf '%s'", tmp);
}

/* A fresh database (the last one dropped), made ready by "landrec db init". */
static int fresh_db(const char *name)
{
    drop_db();
    snprintf(db, sizeof db, "lr_bench_queue_%s_%d", name, (int)getpid());
    if (sh("psql -X -d postgres -Atqc 'create database %s' >/dev/null", db) != 0 ||
        sh("PGDATABASE=%s '%s' db init >/dev/null", db, landrec) != 0) {
        fprintf(stderr, "could not set up the database %s\n", db);
        return -1;
    }
    return 0;
}

static void print_machine(void)
{
    char cpu[256] = "unknown", line[512];
    FILE *ci = fopen("/proc/cpuinfo", "r");
    while (ci && fgets(line, sizeof line, ci))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            snprintf(cpu, sizeof cpu, "%s", strchr(line, ':') + 2);
            cpu[strcspn(cpu, "\n")] = '\0';
            break;
        }
    if (ci)
        fclose(ci);
    printf("machine: %ld cores (nproc), %s; %s\n", sysconf(_SC_NPROCESSORS_ONLN), cpu,
           query1_on("postgres", "select split_part(version(), ' on ', 1)"));
    static const char *const gucs[] = {"fsync", "synchronous_commit", "wal_sync_method",
                                       "commit_delay", "shared_buffers"};
    printf("server:");
    for (size_t i = 0; i < sizeof gucs / sizeof *gucs; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "show %s", gucs[i]);
        printf("%s %s %s", i ? "," : "", gucs[i], query1_on("postgres", sql));
    }
    printf("\n");
}

/* CPU seconds: this process's waited-for children (the workers), and the whole machine's
 * (all cores, busy time from /proc/stat: the server's backends and any other work too). */
typedef struct cpu_mark {
    double children, machine;
} cpu_mark;

static cpu_mark cpu_now(void)
{
    cpu_mark m = {0};
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        m.children = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long v[8] = {0};
    if (f) {
        if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]) == 8)
            m.machine =
                (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / (double)sysconf(_SC_CLK_TCK);
        fclose(f);
    }
    return m;
}

/* The 1-minute load average, to tell a run disturbed by other work on the machine. */
static double loadavg(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1;
        fclose(f);
    }
    return l;
}

/* The jobs the workers' summaries say they claimed ("landrec worker ID: N jobs: ..."), in the
 * stderr they wrote to path; *nworkers: how many summaries. */
static long claimed_by_workers(const char *path, int *nworkers)
{
    long total = 0;
    *nworkers = 0;
    FILE *f = fopen(path, "r");
    char line[2048];
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "landrec worker ");
        const char *colon = p ? strstr(p, ": ") : NULL;
        long n;
        if (colon && sscanf(colon + 2, "%ld jobs:", &n) == 1) {
            total += n;
            (*nworkers)++;
        }
    }
    if (f)
        fclose(f);
    return total;
}

/* ---- claims at scale ----------------------------------------------------------------------- */

static int bench_claims(void)
{
    long njobs = getenv("LR_BENCH_JOBS") ? atol(getenv("LR_BENCH_JOBS")) : 200000;
    int nworkers = getenv("LR_BENCH_WORKERS") ? atoi(getenv("LR_BENCH_WORKERS")) : 8;
    if (njobs < 1 || nworkers < 1 || nworkers > 256) {
        fprintf(stderr, "LR_BENCH_JOBS or LR_BENCH_WORKERS out of range\n");
        return 99;
    }
    printf("work queue: %ld generated jobs, %d workers (landrec worker --bench-no-op)\n", njobs,
           nworkers);
    print_machine();
    if (fresh_db("claims") != 0)
        return 99;

    /* The jobs, as enqueue makes them, for files that are never opened. */
    double t0 = now_s();
    if (sh("PGDATABASE=%s PGUSER=landrec_loader psql -X -q -v ON_ERROR_STOP=1 -v n=%ld <<'SQL'"
           " >'%s/gen.log' 2>&1\n"
           "INSERT INTO settings (hash, description)\n"
           " VALUES (encode(sha256('landrec queue benchmark'), 'hex'), '{\"benchmark\": true}');\n"
           "INSERT INTO job (batch, file_key, path, path_raw, page, page_count, settings_hash,"
           " options)\n"
           " SELECT 'bench', 'path:/nonexistent/bench/' || i || '.tif',"
           "  '/nonexistent/bench/' || i || '.tif',"
           "  convert_to('/nonexistent/bench/' || i || '.tif', 'UTF8'), 1, 1,"
           "  encode(sha256('landrec queue benchmark'), 'hex'), '{}'\n"
           " FROM generate_series(1, :n) i;\n"
           "VACUUM ANALYZE job;\n"
           "SQL",
           db, njobs, tmp) != 0) {
        fprintf(stderr, "the generation failed: see %s/gen.log\n", tmp);
        return 99;
    }
    printf("generation: %s jobs queued in %.1f s\n",
           query1("select count(*) from job where state = 'queued'"), now_s() - t0);
    fflush(stdout);

    /* The workers: the real claim, finish and reaping loop, no page read. A short poll: a
     * draining worker that finds the last jobs leased by others waits for its poll before it
     * looks again and ends, which is not the queue's speed. */
    char err_path[600];
    snprintf(err_path, sizeof err_path, "%s/workers.err", tmp);
    double load0 = loadavg();
    cpu_mark c0 = cpu_now();
    t0 = now_s();
    int st = sh("PGDATABASE=%s PGUSER=landrec_loader '%s' worker -q --drain --bench-no-op"
                " --no-derivatives --batch bench --poll 0.2 -j %d 2>'%s'",
                db, landrec, nworkers, err_path);
    double wall = now_s() - t0;
    cpu_mark c1 = cpu_now();
    double load1 = loadavg();
    int summaries = 0;
    long claimed = claimed_by_workers(err_path, &summaries);
    if (st != 0)
        fprintf(stderr, "landrec worker exited %d: see %s\n", st, err_path);

    /* Done once each: every job done, claimed once (attempts counts claims), and the
     * workers' own counts add up to the jobs. */
    long done = atol(query1("select count(*) from job where state = 'done'"
                            " and outcome = 'no-op (benchmark)'"));
    long twice = atol(query1("select count(*) from job where attempts <> 1"));
    long expired = atol(query1("select count(*) from job where expiries > 0"));
    double span = atof(query1("select extract(epoch from max(finished_at) - min(claimed_at))"
                              " from job"));
    char p50[32], p95[32], p99[32];
    snprintf(p50, sizeof p50, "%s",
             query1("select round((1000 * extract(epoch from percentile_cont(0.5) within group"
                    " (order by finished_at - claimed_at)))::numeric, 2) from job"));
    snprintf(p95, sizeof p95, "%s",
             query1("select round((1000 * extract(epoch from percentile_cont(0.95) within group"
                    " (order by finished_at - claimed_at)))::numeric, 2) from job"));
    snprintf(p99, sizeof p99, "%s",
             query1("select round((1000 * extract(epoch from percentile_cont(0.99) within group"
                    " (order by finished_at - claimed_at)))::numeric, 2) from job"));
    /* The steadiest stretch: claims a second in each tenth of the jobs, by claim time. */
    char tenths[512];
    snprintf(tenths, sizeof tenths, "%s",
             query1("select string_agg(round(n / greatest(s, 0.001))::text, ' ' order by t)"
                    " from (select t, count(*) n,"
                    "  extract(epoch from max(claimed_at) - min(claimed_at)) s"
                    "  from (select ntile(10) over (order by claimed_at, id) t, claimed_at"
                    "   from job) x group by t) y"));

    printf("\n| measure | value |\n|---|---|\n");
    printf("| jobs | %ld |\n", njobs);
    printf("| workers (processes) | %d (%d summaries) |\n", nworkers, summaries);
    printf("| wall time, start to the last worker's exit | %.1f s |\n", wall);
    printf("| first claim to last finish (job rows) | %.1f s |\n", span);
    printf("| **claims a second** (first claim to last finish) | **%.0f** |\n",
           span > 0 ? (double)done / span : 0);
    printf("| claims a second (wall) | %.0f |\n", wall > 0 ? (double)done / wall : 0);
    printf("| claims a second in each tenth of the jobs | %s |\n", tenths);
    printf("| claim to finish p50 / p95 / p99 (claim statement with its commit, the reply, "
           "the no-op) | %s / %s / %s ms |\n",
           p50, p95, p99);
    printf("| jobs done | %ld |\n", done);
    printf("| jobs claimed other than once (attempts <> 1) | %ld |\n", twice);
    printf("| claims the workers counted | %ld |\n", claimed);
    printf("| leases that ran out | %ld |\n", expired);
    printf("| load average (1 min) before / after | %.2f / %.2f |\n", load0, load1);
    printf("| CPU: workers / rest of the machine (server, other work) / available | %.1f / "
           "%.1f / %.1f core-s |\n",
           c1.children - c0.children, (c1.machine - c0.machine) - (c1.children - c0.children),
           wall * (double)sysconf(_SC_NPROCESSORS_ONLN));

    bool once = done == njobs && twice == 0 && claimed == njobs && expired == 0;
    double rate = span > 0 ? (double)done / span : 0;
    printf("\ncheck: %s\n", once ? "every job done exactly once" : "NOT EVERY JOB DONE ONCE");
    printf("target: >= 1000 claims a second with %d workers: %.0f  %s\n", nworkers, rate,
           rate >= 1000 ? "PASS" : "MISS");
    return st == 0 && once ? 0 : 1;
}

/* ---- one worker against two ---------------------------------------------------------------- */

typedef struct pages_run {
    int workers;
    long pages, loaded;
    double wall, span; /* s: start to exit; first claim to last finish */
    double cpu;        /* s: the workers' CPU time */
    double load0, load1;
    int status;
} pages_run;

/* Enqueues the pages in tmp/in on a fresh database and drains them with nworkers workers. */
static int run_pages(int nworkers, pages_run *r)
{
    memset(r, 0, sizeof *r);
    r->workers = nworkers;
    char name[16];
    snprintf(name, sizeof name, "w%d", nworkers);
    if (fresh_db(name) != 0)
        return -1;
    if (sh("PGDATABASE=%s PGUSER=landrec_loader '%s' enqueue -q -q --batch bench '%s/in'", db,
           landrec, tmp) != 0) {
        fprintf(stderr, "enqueue failed\n");
        return -1;
    }
    r->pages = atol(query1("select count(*) from job where state = 'queued'"));
    r->load0 = loadavg();
    cpu_mark c0 = cpu_now();
    double t0 = now_s();
    r->status = sh("PGDATABASE=%s PGUSER=landrec_loader '%s' worker -q --drain --batch bench"
                   " --poll 0.2 -j %d --out '%s/out-%d' 2>'%s/w%d.err'",
                   db, landrec, nworkers, tmp, nworkers, tmp, nworkers);
    r->wall = now_s() - t0;
    r->cpu = cpu_now().children - c0.children;
    r->load1 = loadavg();
    r->loaded = atol(query1("select count(*) from job where state = 'done'"
                            " and outcome = 'loaded'"));
    r->span = atof(query1("select extract(epoch from max(finished_at) - min(claimed_at))"
                          " from job"));
    return 0;
}

static int bench_workers(void)
{
    const char *data = lr_test_data_dir();
    int copies = getenv("LR_BENCH_COPIES") ? atoi(getenv("LR_BENCH_COPIES")) : 2;
    if (copies < 1 || copies > 100) {
        fprintf(stderr, "LR_BENCH_COPIES out of range\n");
        return 99;
    }
    const char *omp = getenv("OMP_THREAD_LIMIT");
    printf("work queue: one worker against two, real pages (OMP_THREAD_LIMIT=%s)\n",
           omp ? omp : "unset");
    print_machine();
    /* Each copy made distinct by a few bytes after the image's end (the decoders do not read
     * them): a job is keyed by the file's checksum, so identical copies would be one job. */
    if (sh("mkdir -p '%s/in' && for k in $(seq 1 %d); do"
           " for f in '%s'/pages/*.tif '%s'/ledger/*.png; do"
           "  b=$(basename \"$f\"); cp \"$f\" \"%s/in/c$k-$b\";"
           "  printf 'landrec-bench-copy-%%s' \"$k\" >>\"%s/in/c$k-$b\"; done; done",
           tmp, copies, data, data, tmp, tmp) != 0) {
        fprintf(stderr, "could not copy the pages\n");
        return 99;
    }
    pages_run one, two;
    if (run_pages(1, &one) != 0 || run_pages(2, &two) != 0)
        return 99;
    double ppm1 = one.span > 0 ? 60.0 * (double)one.loaded / one.span : 0;
    double ppm2 = two.span > 0 ? 60.0 * (double)two.loaded / two.span : 0;
    double wppm1 = one.wall > 0 ? 60.0 * (double)one.loaded / one.wall : 0;
    double wppm2 = two.wall > 0 ? 60.0 * (double)two.loaded / two.wall : 0;
    printf("\n%d copies of testdata/pages/*.tif and testdata/ledger/*.png, the same pages in "
           "each run, a fresh database each\n",
           copies);
    printf("| workers | pages | loaded | wall s | first claim to last finish s | pages/min | "
           "pages/min (wall) | workers' CPU s | cores they had (CPU / wall) | "
           "load avg before / after | exit |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    const pages_run *runs[2] = {&one, &two};
    for (int i = 0; i < 2; i++) {
        const pages_run *r = runs[i];
        printf("| %d | %ld | %ld | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f / %.2f | %d |\n",
               r->workers, r->pages, r->loaded, r->wall, r->span, i ? ppm2 : ppm1,
               i ? wppm2 : wppm1, r->cpu, r->wall > 0 ? r->cpu / r->wall : 0, r->load0, r->load1,
               r->status);
    }
    double ratio = ppm1 > 0 ? ppm2 / ppm1 : 0, wratio = wppm1 > 0 ? wppm2 / wppm1 : 0;
    printf("\nratio, two workers to one: %.2f× (first claim to last finish), %.2f× (wall)\n", ratio,
           wratio);
    printf("target: two workers >= 1.8× one: %.2f×  %s\n", ratio, ratio >= 1.8 ? "PASS" : "MISS");
    bool ok = one.status == 0 && two.status == 0 && one.loaded == one.pages &&
              two.loaded == two.pages && one.pages > 0 && one.pages == two.pages;
    if (!ok)
        printf("check: NOT EVERY PAGE LOADED IN BOTH RUNS (see %s/w1.err, w2.err)\n", tmp);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    landrec = getenv("LANDREC");
    if (!landrec || argc != 2 || (strcmp(argv[1], "claims") && strcmp(argv[1], "workers"))) {
        fprintf(stderr, "usage: LANDREC=... bench_queue claims|workers (meson sets LANDREC)\n");
        return 99;
    }
    if (sh("psql -X -d postgres -Atqc 'select 1' >/dev/null 2>&1") != 0) {
        const char *req_db = getenv("LR_TEST_REQUIRE_DB");
        fprintf(stderr, "no PostgreSQL server reachable through PG*\n");
        return req_db && !strcmp(req_db, "1") ? 1 : 77;
    }
    snprintf(tmp, sizeof tmp, "%s/bench-queue-%d", lr_test_tmp_dir(), (int)getpid());
    atexit(cleanup);
    if (sh("rm -rf '%s' && mkdir -p '%s'", tmp, tmp) != 0)
        return 99;
    int rc = !strcmp(argv[1], "claims") ? bench_claims() : bench_workers();
    fflush(stdout);
    return rc;
}
