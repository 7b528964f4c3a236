/* bench_web.c — "landrec serve" on a database of 100,000 generated sheets: search, the sheet
 * view and review decisions, timed over real HTTP (libcurl), against the targets of the work
 * order (search p95 under 100 ms, sheet view p95 under 200 ms) and, as the peer in the same
 * run, the same searches and sheet reads made in-process through libpq (lr_web_search and
 * lr_web_records, lr_web_sheet: the server's own store calls without HTTP).
 *
 * It makes its own database on the server the PG* variables reach (skips with 77 without
 * one), loads the real sample sheets with "landrec run", clones them with
 * tests/web/bench_web_data.sql, starts "landrec serve" as landrec_web with 4 threads and signs
 * reviewers in. A benchmark prints figures; it fails only when it cannot measure.
 *
 * LR_BENCH_SHEETS (default 100000) and LR_BENCH_REVIEW_S (seconds of each review run,
 * default 20) make shorter runs for trying it out; LR_BENCH_KEEP_DB=1 keeps the database and
 * the scratch directory (the generation's log, the server's log) afterwards. */
#include <curl/curl.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "landrec/store.h"
#include "landrec/webstore.h"
#include "lr_test.h"
#include "web_test.h"

static char db[64], tmp[512], base_url[64];
static const char *landrec, *src_root;
static pid_t server_pid;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *query1(const char *sql)
{
    return wt_query1(db, sql);
}

static void cleanup(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        server_pid = 0;
    }
    if (db[0] && !getenv("LR_BENCH_KEEP_DB")) {
        wt_sh("psql -X -d postgres -Atqc 'drop database if exists %s with (force)' >/dev/null 2>&1",
           db);
        if (tmp[0])
            wt_sh("rm -rf '%s'", tmp);
    }
}

/* ---- HTTP ---------------------------------------------------------------------------------- */

typedef wt_client client;

/* One request to the benchmark's server (the client's CSRF token sent once it has one); the
 * answer's status, its body in *out (caller frees; NULL not to keep it). */
static long req(client *c, const char *method, const char *path, const char *body, char **out)
{
    wt_response r = wt_request(c, base_url, method, path, body, c->csrf[0] != '\0');
    if (out) {
        *out = r.body;
        r.body = NULL;
    }
    wt_response_free(&r);
    return r.status;
}

static bool login(client *c, const char *user, const char *password)
{
    return wt_login(c, base_url, user, password);
}

/* Starts "landrec serve" on a free port as the web role with 4 threads; 0 when it listens. */
static int start_server(void)
{
    char log[600];
    snprintf(log, sizeof log, "%s/serve.log", tmp);
    srand((unsigned)getpid());
    return wt_start_server(landrec, db, log, "4", NULL, NULL, &server_pid, base_url,
                           sizeof base_url);
}

/* ---- figures ------------------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct stats {
    size_t n;
    double p50, p95, max;
} stats;

/* Nearest-rank percentiles of v (sorted in place). */
static stats stats_of(double *v, size_t n)
{
    stats s = {.n = n};
    if (n == 0)
        return s;
    qsort(v, n, sizeof *v, cmp_double);
    size_t i50 = (size_t)ceil(0.50 * (double)n), i95 = (size_t)ceil(0.95 * (double)n);
    s.p50 = v[i50 ? i50 - 1 : 0];
    s.p95 = v[i95 ? i95 - 1 : 0];
    s.max = v[n - 1];
    return s;
}

/* ---- the search mix ------------------------------------------------------------------------ */

enum { NKINDS = 10, PER_KIND = 20, NQUERIES = NKINDS * PER_KIND };

static const char *const kind_names[NKINDS] = {
    "location, Hanja", "location, Hangul reading", "owner, Hangul",        "lot",
    "date range",      "full text q, 2 chars",     "full text q, 4 chars", "location + owner/date",
    "lot + location",  "paging (offset, limit)",
};

/* Places as the gazetteer names them (data/gazetteer.tsv), in Hanja and in their Hangul
 * readings: the Hanja ones are found on the Hanja sheets, the readings on both. */
static const char *const loc_hanja[PER_KIND] = {
    "牛耳里",   "敦岩里", "新村里", "往十里", "佛光里", "津寬里",      "弘濟外里",
    "永登浦里", "本町",   "黃金町", "明治町", "旭町",   "寬勳洞",      "嘉會洞",
    "社稷洞",   "安國洞", "倉洞里", "道峰里", "崇仁面", "高陽郡崇仁面"};
static const char *const loc_hangul[PER_KIND] = {"우이리", "돈암리", "신촌리", "왕십리", "불광리",
                                                 "본정",   "황금정", "관훈동", "가회동", "청운동",
                                                 "신교동", "궁정동", "심곡리", "중리",   "상리",
                                                 "구지리", "소사리", "창동리", "도봉리", "숭인면"};
static const char *const owners[PER_KIND] = {"김영수", "이정식", "박철수", "최재원", "정동석",
                                             "강진준", "조성호", "윤덕만", "장복순", "임옥춘",
                                             "한길창", "오근태", "서상기", "신용병", "권종숙",
                                             "황영정", "안수식", "송철재", "유원동", "홍석진"};
static const char *const q2[PER_KIND] = {"本町", "牛耳", "京城", "崇仁", "査定", "分割", "相續",
                                         "매매", "林野", "高陽", "종로", "청운", "분할", "永登",
                                         "大正", "昭和", "賣買", "질권", "地番", "臺帳"};
static const char *const q4[PER_KIND] = {
    "京城府本", "高陽郡崇", "崇仁面牛", "京畿道高", "서울특별", "종로구청", "大正五年",
    "昭和三年", "土地臺帳", "林野臺帳", "金永壽",   "경성부본", "경기도고", "숭인면우",
    "所有者名", "質權設定", "住所變更", "分筆乃至", "登錄轉換", "査定年月"};
static const char *const broad[4] = {"京畿道", "서울", "경성부", "경기도 고양군"};

typedef struct bquery {
    int kind;
    char lot[16], location[64], owner[32], q[32], from[11], to[11];
    int limit, offset;
    char path[1024]; /* /api/sheets?... */
} bquery;

static void add_arg(CURL *h, char *path, size_t size, const char *key, const char *value)
{
    if (!value[0])
        return;
    char *esc = curl_easy_escape(h, value, 0);
    size_t len = strlen(path);
    snprintf(path + len, size - len, "%s%s=%s", strchr(path, '?') ? "&" : "?", key, esc);
    curl_free(esc);
}

static void make_mix(bquery *qs)
{
    CURL *h = curl_easy_init();
    for (int i = 0; i < PER_KIND; i++)
        for (int k = 0; k < NKINDS; k++) {
            bquery *b = &qs[i * NKINDS + k];
            memset(b, 0, sizeof *b);
            b->kind = k;
            int year = 1912 + 3 * i;
            switch (k) {
            case 0:
                snprintf(b->location, sizeof b->location, "%s", loc_hanja[i]);
                break;
            case 1:
                snprintf(b->location, sizeof b->location, "%s", loc_hangul[i]);
                break;
            case 2:
                snprintf(b->owner, sizeof b->owner, "%s", owners[i]);
                break;
            case 3:
                if (i % 4 == 3)
                    snprintf(b->lot, sizeof b->lot, "%d-%d", 1 + (i * 997) % 5000, 1 + i % 20);
                else
                    snprintf(b->lot, sizeof b->lot, "%d", 1 + (i * 997) % 5000);
                break;
            case 4:
                snprintf(b->from, sizeof b->from, "%d-01-01", year);
                snprintf(b->to, sizeof b->to, "%d-12-31", year + i % 3);
                break;
            case 5:
                snprintf(b->q, sizeof b->q, "%s", q2[i]);
                break;
            case 6:
                snprintf(b->q, sizeof b->q, "%s", q4[i]);
                break;
            case 7:
                snprintf(b->location, sizeof b->location, "%s",
                         i % 2 ? loc_hangul[i] : loc_hanja[i]);
                if (i % 2) {
                    snprintf(b->from, sizeof b->from, "%d-01-01", year);
                    snprintf(b->to, sizeof b->to, "%d-12-31", year + 10);
                } else {
                    snprintf(b->owner, sizeof b->owner, "%s", owners[i]);
                }
                break;
            case 8:
                snprintf(b->lot, sizeof b->lot, "%d", 1 + (i * 389) % 5000);
                snprintf(b->location, sizeof b->location, "%s", broad[i % 4]);
                break;
            default:
                if (i % 2)
                    snprintf(b->q, sizeof b->q, "%s", i % 4 == 1 ? "京城" : "대정");
                else
                    snprintf(b->location, sizeof b->location, "%s", broad[i % 4]);
                b->limit = i % 3 == 0 ? 50 : i % 3 == 1 ? 20 : 200;
                b->offset = i < 10 ? 20 * (i + 1) : 1000 + 100 * i;
                break;
            }
            snprintf(b->path, sizeof b->path, "/api/sheets");
            add_arg(h, b->path, sizeof b->path, "lot", b->lot);
            add_arg(h, b->path, sizeof b->path, "location", b->location);
            add_arg(h, b->path, sizeof b->path, "owner", b->owner);
            add_arg(h, b->path, sizeof b->path, "q", b->q);
            add_arg(h, b->path, sizeof b->path, "from", b->from);
            add_arg(h, b->path, sizeof b->path, "to", b->to);
            char num[16];
            if (b->limit) {
                snprintf(num, sizeof num, "%d", b->limit);
                add_arg(h, b->path, sizeof b->path, "limit", num);
            }
            if (b->offset) {
                snprintf(num, sizeof num, "%d", b->offset);
                add_arg(h, b->path, sizeof b->path, "offset", num);
            }
        }
    curl_easy_cleanup(h);
}

static const char *opt(const char *s)
{
    return s[0] ? s : NULL;
}

/* The search as the server makes it for /api/sheets, in-process: the search, then the
 * records objects of the page of results. */
static bool sql_search(lr_store *st, const bquery *b, long *total)
{
    lr_web_query q = {.lot = opt(b->lot),
                      .location = opt(b->location),
                      .owner = opt(b->owner),
                      .q = opt(b->q),
                      .from = opt(b->from),
                      .to = opt(b->to),
                      .limit = b->limit ? b->limit : 20,
                      .offset = b->offset};
    json_t *found = NULL, *records = NULL;
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_search(st, &q, &found, &err) < 0) {
        fprintf(stderr, "search: %s\n", err.message);
        return false;
    }
    json_t *results = json_object_get(found, "results");
    size_t n = json_array_size(results);
    int64_t *ids = calloc(n ? n : 1, sizeof *ids);
    for (size_t i = 0; ids && i < n; i++)
        ids[i] = json_integer_value(json_object_get(json_array_get(results, i), "id"));
    bool ok = ids && lr_web_records(st, ids, n, &records, &err) == LR_OK;
    *total = (long)json_integer_value(json_object_get(found, "total"));
    free(ids);
    json_decref(records);
    json_decref(found);
    return ok;
}

/* ---- review -------------------------------------------------------------------------------- */

typedef struct reviewer {
    pthread_t thread;
    char user[16];
    double until_ms;
    double *lat; /* next + decide round trips, ms */
    size_t nlat, cap;
    int64_t *items; /* decided */
    long decisions, refused, empty, errors;
} reviewer;

static void *review_loop(void *arg)
{
    reviewer *rv = arg;
    client c;
    wt_client_init(&c);
    if (!login(&c, rv->user, "bench-review-pass")) {
        rv->errors++;
        curl_easy_cleanup(c.h);
        return NULL;
    }
    for (long round = 0; now_ms() < rv->until_ms; round++) {
        double t0 = now_ms();
        char *body = NULL;
        long status = req(&c, "GET", "/api/review/next", NULL, &body);
        if (status == 204) {
            rv->empty++;
            free(body);
            break;
        }
        json_error_t e;
        json_t *item = status == 200 ? json_loads(body, 0, &e) : NULL;
        free(body);
        int64_t id = json_integer_value(json_object_get(item, "id"));
        if (!item || id <= 0) {
            rv->errors++;
            json_decref(item);
            continue;
        }
        /* Correct and accept in turn; a correction as written: the reading, else a digit. */
        const char *raw = json_string_value(json_object_get(item, "raw"));
        json_t *decision = round % 2 ? json_pack("{s:s}", "action", "accept")
                                     : json_pack("{s:s, s:s}", "action", "correct", "value",
                                                 raw && raw[0] && raw[0] != ' ' ? raw : "1");
        char *text = json_dumps(decision, JSON_COMPACT);
        char path[64];
        snprintf(path, sizeof path, "/api/review/%lld", (long long)id);
        status = req(&c, "POST", path, text, NULL);
        double t1 = now_ms();
        free(text);
        json_decref(decision);
        json_decref(item);
        if (status == 200) {
            rv->decisions++;
            if (rv->nlat == rv->cap) {
                rv->cap = rv->cap ? 2 * rv->cap : 1024;
                rv->lat = realloc(rv->lat, rv->cap * sizeof *rv->lat);
                rv->items = realloc(rv->items, rv->cap * sizeof *rv->items);
            }
            rv->lat[rv->nlat] = t1 - t0;
            rv->items[rv->nlat++] = id;
        } else if (status == 409) {
            rv->refused++;
        } else {
            rv->errors++;
        }
    }
    curl_easy_cleanup(c.h);
    return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct review_run {
    int clients;
    double seconds, per_s;
    stats rt;
    long decisions, refused, errors, dup;
} review_run;

static review_run review(int nclients, double seconds)
{
    reviewer rv[4] = {0};
    review_run out = {.clients = nclients};
    double t0 = now_ms();
    for (int i = 0; i < nclients; i++) {
        snprintf(rv[i].user, sizeof rv[i].user, "rev%d", i + 1);
        rv[i].until_ms = t0 + seconds * 1e3;
        pthread_create(&rv[i].thread, NULL, review_loop, &rv[i]);
    }
    size_t n = 0;
    for (int i = 0; i < nclients; i++) {
        pthread_join(rv[i].thread, NULL);
        n += rv[i].nlat;
    }
    out.seconds = (now_ms() - t0) / 1e3;
    double *lat = calloc(n ? n : 1, sizeof *lat);
    int64_t *items = calloc(n ? n : 1, sizeof *items);
    size_t k = 0;
    for (int i = 0; i < nclients; i++) {
        for (size_t j = 0; j < rv[i].nlat; j++, k++) {
            lat[k] = rv[i].lat[j];
            items[k] = rv[i].items[j];
        }
        out.decisions += rv[i].decisions;
        out.refused += rv[i].refused;
        out.errors += rv[i].errors;
        free(rv[i].lat);
        free(rv[i].items);
    }
    out.rt = stats_of(lat, n);
    out.per_s = (double)out.decisions / out.seconds;
    qsort(items, n, sizeof *items, cmp_i64);
    for (size_t j = 1; j < n; j++)
        out.dup += items[j] == items[j - 1];
    free(lat);
    free(items);
    return out;
}

/* ---- the run ------------------------------------------------------------------------------- */

/* The psql log of the generation, the statements that insert and how long they took. */
static void print_generation_log(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024], last[1024] = "";
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "INSERT", 6) || !strncmp(line, "SELECT", 6) ||
            !strncmp(line, "ANALYZE", 7)) {
            snprintf(last, sizeof last, "%s", line);
        } else if (!strncmp(line, "Time: ", 6)) {
            double ms = atof(line + 6);
            if (last[0] && ms >= 500)
                printf("    %-26s %9.1f s\n", last, ms / 1e3);
            last[0] = '\0';
        } else if (strstr(line, "NOTICE:")) {
            printf("  %s\n", strstr(line, "NOTICE:") + 9);
        } else if (line[0] && !strchr("( -", line[0]) && !strstr(line, "|") &&
                   strncmp(line, "CREATE", 6) && strncmp(line, "ALTER", 5) &&
                   strncmp(line, "DO", 2) && strncmp(line, "BEGIN", 5) &&
                   strncmp(line, "COMMIT", 6) && strncmp(line, "COPY", 4) &&
                   strncmp(line, "Timing", 6) && !strstr(line, "setval") &&
                   !strstr(line, "lr_search_refresh")) {
            printf("  %s\n", line);
        }
    }
    fclose(f);
}

static void print_stats_row(const char *name, stats s, const char *extra)
{
    printf("| %-26s | %4zu | %8.1f | %8.1f | %8.1f |%s\n", name, s.n, s.p50, s.p95, s.max,
           extra ? extra : "");
}

int main(void)
{
    landrec = getenv("LANDREC");
    src_root = getenv("LR_SOURCE_ROOT");
    const char *data = lr_test_data_dir();
    if (!landrec || !src_root) {
        fprintf(stderr, "LANDREC and LR_SOURCE_ROOT are not set (meson sets them)\n");
        return 99;
    }
    if (wt_sh("psql -X -d postgres -Atqc 'select 1' >/dev/null 2>&1") != 0) {
        const char *req_db = getenv("LR_TEST_REQUIRE_DB");
        fprintf(stderr, "no PostgreSQL server reachable through PG*\n");
        return req_db && !strcmp(req_db, "1") ? 1 : 77;
    }
    long nsheets = getenv("LR_BENCH_SHEETS") ? atol(getenv("LR_BENCH_SHEETS")) : 100000;
    double review_s = getenv("LR_BENCH_REVIEW_S") ? atof(getenv("LR_BENCH_REVIEW_S")) : 20;
    snprintf(db, sizeof db, "lr_bench_web_%d", (int)getpid());
    snprintf(tmp, sizeof tmp, "%s/bench-web-%d", lr_test_tmp_dir(), (int)getpid());
    atexit(cleanup);
    curl_global_init(CURL_GLOBAL_DEFAULT);

    /* The machine. */
    char cpu[256] = "unknown";
    FILE *ci = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (ci && fgets(line, sizeof line, ci))
        if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
            snprintf(cpu, sizeof cpu, "%s", strchr(line, ':') + 2);
            cpu[strcspn(cpu, "\n")] = '\0';
            break;
        }
    if (ci)
        fclose(ci);
    printf("landrec serve at %ld generated sheets\n", nsheets);
    printf("machine: %ld cores (nproc), %s; %s\n", sysconf(_SC_NPROCESSORS_ONLN), cpu,
           wt_query1("postgres", "select split_part(version(), ' on ', 1)"));

    /* The real sample sheets, loaded as a contractor would. */
    double t0 = now_ms();
    if (wt_sh("psql -X -d postgres -Atqc 'create database %s' >/dev/null", db) != 0 ||
        wt_sh("rm -rf '%s' && mkdir -p '%s/in' && cp '%s'/ledger/land-0[12].png "
           "'%s'/synth/bitonal/*.tif '%s/in/'",
           tmp, tmp, data, data, tmp) != 0 ||
        wt_sh("PGDATABASE=%s '%s' db init >/dev/null", db, landrec) != 0 ||
        wt_sh("PGDATABASE=%s PGUSER=landrec_loader '%s' run -q --batch bench --out '%s/out' '%s/in'"
           " >/dev/null 2>&1",
           db, landrec, tmp, tmp) != 0) {
        fprintf(stderr, "could not set up the database\n");
        return 99;
    }
    char loaded[32];
    snprintf(loaded, sizeof loaded, "%s", query1("select count(*) from record_sheet"));
    printf("landrec run on the samples: %s sheets (%s with fields) in %.1f s\n", loaded,
           query1("select count(distinct page_run_id) from field_value"), (now_ms() - t0) / 1e3);
    long base = atol(query1("select max(id) from page_run"));

    /* The generated sheets. */
    printf("\ngeneration (tests/web/bench_web_data.sql):\n");
    fflush(stdout);
    t0 = now_ms();
    if (wt_sh("grep -v '^#' '%s/data/gazetteer.tsv' | PGDATABASE=%s PGUSER=landrec_loader "
           "psql -X -v n=%ld -v ntrig=500 -f '%s/tests/web/bench_web_data.sql' >'%s/gen.log' 2>&1",
           src_root, db, nsheets, src_root, tmp) != 0) {
        fprintf(stderr, "the generation failed: see %s/gen.log\n", tmp);
        return 99;
    }
    double gen_s = (now_ms() - t0) / 1e3;
    char log[600];
    snprintf(log, sizeof log, "%s/gen.log", tmp);
    print_generation_log(log);
    char sheets[32], fields[32], items[32], words[32], size[32];
    snprintf(sheets, sizeof sheets, "%s", query1("select count(*) from record_sheet"));
    snprintf(fields, sizeof fields, "%s", query1("select count(*) from field_value"));
    snprintf(items, sizeof items, "%s",
             query1("select count(*) from review_item where state = 'open'"));
    snprintf(words, sizeof words, "%s", query1("select count(*) from word"));
    snprintf(size, sizeof size, "%s",
             query1("select pg_size_pretty(pg_database_size(current_database()))"));
    printf("  generation: %.1f s; %s sheets, %s fields, %s open review items, %s words; "
           "database %s\n",
           gen_s, sheets, fields, items, words, size);

    /* Reviewers, and the server. */
    for (int i = 1; i <= 4; i++)
        if (wt_sh("printf 'bench-review-pass\\n' | PGDATABASE=%s PGUSER=landrec_loader '%s' user add "
               "rev%d --role reviewer >/dev/null",
               db, landrec, i) != 0) {
            fprintf(stderr, "could not add the reviewers\n");
            return 99;
        }
    if (start_server() != 0) {
        fprintf(stderr, "landrec serve did not start (see %s/serve.log)\n", tmp);
        return 99;
    }
    client c;
    wt_client_init(&c);
    if (!login(&c, "rev1", "bench-review-pass")) {
        fprintf(stderr, "could not sign in\n");
        return 99;
    }
    char conninfo[256];
    /* The server's sessions run without parallel query (server.c): the peer's too. */
    snprintf(conninfo, sizeof conninfo,
             "dbname=%s user=landrec_web options='-c max_parallel_workers_per_gather=0'", db);
    lr_store *st = NULL;
    lr_error err;
    lr_error_clear(&err);
    if (lr_store_connect(conninfo, &st, &err) < 0) {
        fprintf(stderr, "peer connection: %s\n", err.message);
        return 99;
    }

    /* Search: the mix once to warm up, then over HTTP and in-process, each timed. */
    static bquery qs[NQUERIES];
    make_mix(qs);
    int bad = 0;
    for (int i = 0; i < NQUERIES; i++)
        if (req(&c, "GET", qs[i].path, NULL, NULL) != 200)
            bad++;
    double http[NQUERIES], sql[NQUERIES], kind_http[NKINDS][PER_KIND], kind_sql[NKINDS][PER_KIND];
    long totals[NQUERIES];
    for (int i = 0; i < NQUERIES; i++) {
        double a = now_ms();
        if (req(&c, "GET", qs[i].path, NULL, NULL) != 200)
            bad++;
        http[i] = kind_http[qs[i].kind][i / NKINDS] = now_ms() - a;
    }
    for (int i = 0; i < NQUERIES; i++) {
        double a = now_ms();
        if (!sql_search(st, &qs[i], &totals[i]))
            bad++;
        sql[i] = kind_sql[qs[i].kind][i / NKINDS] = now_ms() - a;
    }
    printf("\nsearch: %d queries over /api/sheets, one client, after one warm-up pass; "
           "in-process = lr_web_search + lr_web_records over libpq (no HTTP)%s\n",
           NQUERIES, bad ? " — SOME FAILED" : "");
    printf("| %-26s | %4s | %8s | %8s | %8s | %s\n", "query kind", "n", "p50 ms", "p95 ms",
           "max ms", " in-process p50 / p95 ms | hits (median)");
    printf("|---|---|---|---|---|---|\n");
    int slowest = 0;
    double slowest_p95 = -1;
    for (int k = 0; k < NKINDS; k++) {
        stats s = stats_of(kind_http[k], PER_KIND), q = stats_of(kind_sql[k], PER_KIND);
        long hits[PER_KIND];
        for (int i = 0; i < PER_KIND; i++)
            hits[i] = totals[i * NKINDS + k];
        for (int i = 1; i < PER_KIND; i++)
            for (int j = i; j > 0 && hits[j] < hits[j - 1]; j--) {
                long t = hits[j];
                hits[j] = hits[j - 1];
                hits[j - 1] = t;
            }
        char extra[96];
        snprintf(extra, sizeof extra, " %8.1f / %8.1f | %ld", q.p50, q.p95, hits[PER_KIND / 2]);
        print_stats_row(kind_names[k], s, extra);
        if (s.p95 > slowest_p95) {
            slowest_p95 = s.p95;
            slowest = k;
        }
    }
    stats sh_all = stats_of(http, NQUERIES), sq_all = stats_of(sql, NQUERIES);
    char extra[96];
    snprintf(extra, sizeof extra, " %8.1f / %8.1f |", sq_all.p50, sq_all.p95);
    print_stats_row("all", sh_all, extra);
    printf("slowest kind (p95): %s, %.1f ms\n", kind_names[slowest], slowest_p95);
    printf("HTTP overhead: p50 %.2f×, p95 %.2f× the in-process search\n", sh_all.p50 / sq_all.p50,
           sh_all.p95 / sq_all.p95);

    /* The sheet view: 200 generated sheets with words, JSON and HTML, and in-process. */
    enum { NVIEW = 200 };
    double api[NVIEW], html[NVIEW], peer[NVIEW];
    int vbad = 0;
    long tenth = nsheets / 10 > 0 ? nsheets / 10 : 1;
    for (int i = 0; i < NVIEW; i++) {
        long k = 10 * (1 + (long)((i * 7919L) % tenth));
        if (k > nsheets)
            k = nsheets;
        long id = base + k;
        char path[64];
        snprintf(path, sizeof path, "/api/sheets/%ld", id);
        double a = now_ms();
        if (req(&c, "GET", path, NULL, NULL) != 200)
            vbad++;
        api[i] = now_ms() - a;
        snprintf(path, sizeof path, "/sheets/%ld", id);
        a = now_ms();
        if (req(&c, "GET", path, NULL, NULL) != 200)
            vbad++;
        html[i] = now_ms() - a;
        json_t *s = NULL;
        a = now_ms();
        if (lr_web_sheet(st, id, &s, &err) != LR_OK || !s)
            vbad++;
        peer[i] = now_ms() - a;
        json_decref(s);
    }
    stats sa = stats_of(api, NVIEW), shh = stats_of(html, NVIEW), sp = stats_of(peer, NVIEW);
    printf("\nsheet view: %d generated sheets (with their OCR words), one client%s\n", NVIEW,
           vbad ? " — SOME FAILED" : "");
    printf("| %-26s | %4s | %8s | %8s | %8s |\n", "request", "n", "p50 ms", "p95 ms", "max ms");
    printf("|---|---|---|---|---|\n");
    print_stats_row("GET /api/sheets/ID", sa, NULL);
    print_stats_row("GET /sheets/ID (HTML)", shh, NULL);
    print_stats_row("lr_web_sheet in-process", sp, NULL);
    printf("HTTP overhead (JSON): p50 %.2f× the in-process read\n", sa.p50 / sp.p50);
    lr_store_close(&st);

    /* Review decisions from 1 and from 4 reviewers at once. */
    printf("\nreview: GET /api/review/next + POST /api/review/ITEM (correct, accept in turn), "
           "%.0f s a run, %s open items at the start\n",
           review_s, query1("select count(*) from review_item where state = 'open'"));
    fflush(stdout);
    review_run runs[2] = {review(1, review_s), review(4, review_s)};
    printf("| %-9s | %9s | %8s | %13s | %16s | %16s | %7s |\n", "reviewers", "decisions", "per s",
           "round trip p50", "round trip p95 ms", "refused (409)", "errors");
    printf("|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < 2; i++)
        printf("| %-9d | %9ld | %8.1f | %13.1f | %16.1f | %16ld | %7ld |\n", runs[i].clients,
               runs[i].decisions, runs[i].per_s, runs[i].rt.p50, runs[i].rt.p95, runs[i].refused,
               runs[i].errors);
    char webv[32], resolved[32], twice[32], reviewers[32];
    snprintf(webv, sizeof webv, "%s",
             query1("select count(*) from value_version where source = 'web'"));
    snprintf(resolved, sizeof resolved, "%s",
             query1("select count(*) from review_item where state = 'resolved'"));
    snprintf(twice, sizeof twice, "%s",
             query1("select count(*) from (select 1 from value_version where source = 'web'"
                    " group by page_run_id, section, row_no, field having count(*) > 1) x"));
    snprintf(reviewers, sizeof reviewers, "%s",
             query1("select count(*) from (select 1 from value_version where source = 'web'"
                    " group by page_run_id, section, row_no, field"
                    " having count(distinct reviewer) > 1) x"));
    long decided = runs[0].decisions + runs[1].decisions;
    bool once = atol(webv) == atol(resolved) && atol(webv) == decided && atol(twice) == 0 &&
                atol(reviewers) == 0 && runs[0].dup == 0 && runs[1].dup == 0;
    printf("check: %s web versions, %s items resolved, %ld decisions answered 200; items "
           "decided twice: %s; by two reviewers: %s; an item given to two clients: %ld — %s\n",
           webv, resolved, decided, twice, reviewers, runs[0].dup + runs[1].dup,
           once ? "each item decided once" : "NOT EACH ITEM DECIDED ONCE");

    printf("\ntargets\n");
    printf("  search p95 < 100 ms:     %6.1f ms  %s\n", sh_all.p95,
           sh_all.p95 < 100 ? "PASS" : "MISS");
    printf("  sheet view p95 < 200 ms: %6.1f ms (JSON), %.1f ms (HTML)  %s\n", sa.p95, shh.p95,
           sa.p95 < 200 && shh.p95 < 200 ? "PASS" : "MISS");
    printf("  review decisions per second, one server: %.1f (1 reviewer), %.1f (4 reviewers)\n",
           runs[0].per_s, runs[1].per_s);
    curl_easy_cleanup(c.h);
    curl_global_cleanup();
    return bad || vbad || !once ? 1 : 0;
}
