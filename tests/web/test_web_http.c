/* test_web_http.c — "landrec serve" over real HTTP (libcurl) against a real server on a real
 * database loaded by "landrec run": sign-in and roles, CSRF, search in Hanja and Hangul, the
 * sheet view, the review round trip into PostgreSQL and back out through "export --records",
 * claims that keep two reviewers apart, hostile text shown inert, path traversal and bad
 * requests refused, the sign-in rate limit, the dashboard. */
#include <curl/curl.h>
#include <jansson.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lr_test.h"
#include "web_test.h"

static char db[64], tmp[512], base[64];
static const char *landrec;
static pid_t server_pid;

/* A hostile file name: loaded like any other, it must come back escaped everywhere. */
#define XSS_NAME "<img src=x onerror=alert(1)>.png"
#define XSS_TEXT "<script>alert(1)</script>"

typedef wt_response response;
typedef wt_client client;

/* A request to this test's server. */
static response req(client *c, const char *method, const char *path, const char *body,
                    bool with_csrf)
{
    return wt_request(c, base, method, path, body, with_csrf);
}

static bool login(client *c, const char *user, const char *password)
{
    return wt_login(c, base, user, password);
}

static char *query1(const char *sql)
{
    return wt_query1(db, sql);
}

/* This test's server, over TLS when cert and key are given; its log is tmp/serve[-tls].log. */
static int start_server_on(pid_t *pid, const char *cert, const char *key)
{
    char log[600];
    snprintf(log, sizeof log, "%s/serve%s.log", tmp, cert ? "-tls" : "");
    return wt_start_server(landrec, db, log, cert ? "2" : "3", cert, key, pid, base, sizeof base);
}

static json_t *json_of(const response *r)
{
    json_error_t e;
    return json_loads(r->body, 0, &e);
}

static void cleanup(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        server_pid = 0;
    }
    if (db[0])
        wt_sh("psql -d postgres -Atqc 'drop database if exists %s with (force)' >/dev/null 2>&1", db);
}

static int start_server(void)
{
    return start_server_on(&server_pid, NULL, NULL);
}

/* Over TLS, with a self-signed certificate made for the test: the cookie is also Secure. */
static void check_tls(void)
{
    char cert[600], key[600];
    snprintf(cert, sizeof cert, "%s/cert.pem", tmp);
    snprintf(key, sizeof key, "%s/key.pem", tmp);
    if (wt_sh("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout '%s'"
           " -out '%s' >/dev/null 2>&1",
           key, cert) != 0) {
        CHECKF(0, "openssl could not make a test certificate");
        return;
    }
    char plain[64];
    snprintf(plain, sizeof plain, "%s", base);
    pid_t tls_pid = 0;
    int up = start_server_on(&tls_pid, cert, key);
    CHECKF(up == 0, "landrec serve --tls-cert did not start");
    if (up == 0) {
        client c;
        wt_client_init(&c);
        curl_easy_setopt(c.h, CURLOPT_SSL_VERIFYPEER, 0L); /* self-signed */
        curl_easy_setopt(c.h, CURLOPT_SSL_VERIFYHOST, 0L);
        response r = req(&c, "POST", "/api/login",
                         "{\"user\":\"ann\",\"password\":\"reader-pass-1\"}", false);
        CHECKF(r.status == 200 && strstr(r.headers, "; Secure"), "TLS sign-in: %ld", r.status);
        wt_response_free(&r);
        r = req(&c, "GET", "/api/sheets?lot=123-4", NULL, false);
        CHECKF(r.status == 200, "TLS search: %ld", r.status);
        wt_response_free(&r);
        curl_easy_cleanup(c.h);
    }
    if (tls_pid > 0) {
        kill(tls_pid, SIGTERM);
        waitpid(tls_pid, NULL, 0);
    }
    snprintf(base, sizeof base, "%s", plain);
}

static bool has(const response *r, const char *s)
{
    return r->body && strstr(r->body, s);
}

int main(void)
{
    landrec = getenv("LANDREC");
    const char *data = lr_test_data_dir();
    if (!landrec) {
        fprintf(stderr, "LANDREC is not set (meson sets it)\n");
        return 99;
    }
    if (wt_sh("psql -d postgres -Atqc 'select 1' >/dev/null 2>&1") != 0) {
        const char *req_db = getenv("LR_TEST_REQUIRE_DB");
        fprintf(stderr, "no PostgreSQL server reachable through PG*\n");
        return req_db && !strcmp(req_db, "1") ? 1 : 77;
    }
    snprintf(db, sizeof db, "lr_web_%d", (int)getpid());
    snprintf(tmp, sizeof tmp, "%s/web-http-%d", lr_test_tmp_dir(), (int)getpid());
    atexit(cleanup);
    srand((unsigned)getpid());
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* A database loaded as a contractor would: two ledger sheets, one under a hostile name. */
    if (wt_sh("psql -d postgres -Atqc 'create database %s' >/dev/null", db) != 0 ||
        wt_sh("rm -rf '%s' && mkdir -p '%s/in' && cp '%s/ledger/land-01.png' '%s/in/' && "
           "cp '%s/ledger/land-02.png' '%s/in/" XSS_NAME "'",
           tmp, tmp, data, tmp, data, tmp) != 0 ||
        wt_sh("PGDATABASE=%s '%s' db init >/dev/null", db, landrec) != 0 ||
        wt_sh("PGDATABASE=%s PGUSER=landrec_loader '%s' run -q --batch webtest --out '%s/out' '%s/in'"
           " >/dev/null 2>&1",
           db, landrec, tmp, tmp) != 0) {
        fprintf(stderr, "could not set up the database\n");
        return 99;
    }
    /* OCR text is hostile input too. */
    wt_sh("psql -d %s -Atqc \"update field_value set raw = raw || '" XSS_TEXT "'"
       " where field = 'lot'\" >/dev/null",
       db);
    if (wt_sh("printf 'reader-pass-1\\n' | PGDATABASE=%s PGUSER=landrec_loader '%s' user add ann "
           "--role reader >/dev/null",
           db, landrec) != 0 ||
        wt_sh("printf 'review-pass-1\\n' | PGDATABASE=%s PGUSER=landrec_loader '%s' user add rev "
           "--role reviewer >/dev/null",
           db, landrec) != 0 ||
        wt_sh("printf 'review-pass-2\\n' | PGDATABASE=%s PGUSER=landrec_loader '%s' user add rev2 "
           "--role reviewer >/dev/null",
           db, landrec) != 0 ||
        wt_sh("printf 'officer-pass\\n' | PGDATABASE=%s PGUSER=landrec_loader '%s' user add off "
           "--role officer >/dev/null",
           db, landrec) != 0) {
        fprintf(stderr, "could not add the users\n");
        return 99;
    }
    CHECK(strcmp(query1("select count(*) from app_user where pwhash like '$argon2id$%'"), "4") == 0);
    /* Search's fold: Hanja and Hangul, the reading names take, digits, the initial-sound law. */
    const char *same[][2] = {{"城水里", "성수리"}, {"九老里", "구로리"}, {"城北區", "성북구"},
                             {"明洞二街", "명동2가"}, {"金永壽", "김영수"}, {"黃金町", "황금정"},
                             {"종로구 청 운 동", "종로구청운동"}, {"ＡＢＣ", "abc"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "select lr_fold('%s') = lr_fold('%s')", same[i][0], same[i][1]);
        CHECKF(strcmp(query1(sql), "t") == 0, "%s and %s fold apart", same[i][0], same[i][1]);
    }
    CHECK(strcmp(query1("select lr_fold('京城府') = lr_fold('부산부')"), "f") == 0);
    CHECK(wt_sh("printf 'short\\n' | PGDATABASE=%s PGUSER=landrec_loader '%s' user add bob "
             "--role reader 2>/dev/null",
             db, landrec) == 2);
    if (start_server() != 0) {
        fprintf(stderr, "landrec serve did not start\n");
        return 99;
    }

    client anon, reader, rev, rev2, off;
    wt_client_init(&anon);
    wt_client_init(&reader);
    wt_client_init(&rev);
    wt_client_init(&rev2);
    wt_client_init(&off);

    /* Signed out: the API says 401, a page sends to the sign-in page. */
    response r = req(&anon, "GET", "/api/sheets", NULL, false);
    CHECKF(r.status == 401, "anonymous /api/sheets: %ld", r.status);
    wt_response_free(&r);
    r = req(&anon, "GET", "/search?q=x", NULL, false);
    CHECKF(r.status == 303 && strstr(r.headers, "/login?next="), "anonymous /search: %ld", r.status);
    wt_response_free(&r);

    /* Sign-in: wrong password 401, right one 200 with a strict HttpOnly cookie and a token. */
    r = req(&reader, "POST", "/api/login", "{\"user\":\"ann\",\"password\":\"wrong-pass\"}", false);
    CHECKF(r.status == 401, "wrong password: %ld", r.status);
    CHECK(strcasestr(r.headers, "set-cookie") == NULL);
    wt_response_free(&r);
    r = req(&reader, "POST", "/api/login", "{\"user\":\"ann\",\"password\":\"reader-pass-1\"}",
            false);
    CHECKF(r.status == 200, "sign-in: %ld %s", r.status, r.body);
    CHECK(strstr(r.headers, "HttpOnly") && strstr(r.headers, "SameSite=Strict"));
    CHECK(strstr(r.headers, "Secure") == NULL); /* no TLS here */
    json_t *j = json_of(&r);
    CHECK(json_string_value(json_object_get(j, "csrf")) != NULL);
    if (json_string_value(json_object_get(j, "csrf")))
        snprintf(reader.csrf, sizeof reader.csrf, "%s", json_string_value(json_object_get(j, "csrf")));
    json_decref(j);
    wt_response_free(&r);
    r = req(&reader, "POST", "/api/login", "{\"user\":", false);
    CHECKF(r.status == 400, "malformed sign-in: %ld", r.status);
    wt_response_free(&r);
    CHECK(strcmp(query1("select count(*) from login_failure where user_name = 'ann'"), "1") == 0);
    CHECK(strcmp(query1("select count(*) from web_session where length(token_sha256) = 64"),
                 "1") == 0);

    /* Search: a Hangul reading finds the Hanja location and owner; lots; records objects. */
    r = req(&reader, "GET", "/api/sheets?location=%EA%B2%BD%EC%84%B1%EB%B6%80%20%EB%B3%B8%EC%A0%95",
            NULL, false); /* 경성부 본정 */
    j = json_of(&r);
    json_t *sheets = json_object_get(j, "sheets");
    CHECKF(r.status == 200 && json_array_size(sheets) == 1, "location 경성부 본정: %ld %s", r.status,
           r.body);
    json_t *first = json_array_get(sheets, 0);
    const char *loc = json_string_value(json_object_get(json_object_get(first, "location"), "value"));
    CHECKF(loc && strstr(loc, "京城府"), "found %s", loc ? loc : "nothing");
    CHECK(json_string_value(json_object_get(first, "source")) &&
          strstr(json_string_value(json_object_get(first, "source")), "land-01.png"));
    CHECK(json_is_array(json_object_get(first, "land_history")));
    int64_t sheet_id = json_integer_value(json_object_get(first, "run_id"));
    json_decref(j);
    wt_response_free(&r);
    r = req(&reader, "GET", "/api/sheets?owner=%EA%B9%80%EC%98%81%EC%88%98", NULL, false); /* 김영수 */
    j = json_of(&r);
    CHECKF(json_array_size(json_object_get(j, "sheets")) == 1, "owner 김영수: %s", r.body);
    json_decref(j);
    wt_response_free(&r);
    r = req(&reader, "GET", "/api/sheets?location=%EB%B6%80%EC%82%B0", NULL, false); /* 부산 */
    j = json_of(&r);
    CHECKF(r.status == 200 && json_array_size(json_object_get(j, "sheets")) == 0, "부산: %s",
           r.body);
    json_decref(j);
    wt_response_free(&r);
    r = req(&reader, "GET", "/api/sheets?from=1900-01-01&to=1950-12-31", NULL, false);
    j = json_of(&r);
    CHECKF(json_integer_value(json_object_get(j, "total")) == 1, "dates 1900–1950: %s", r.body);
    json_decref(j);
    wt_response_free(&r);
    r = req(&reader, "GET", "/api/sheets?from=1916-13-01", NULL, false);
    CHECKF(r.status == 400, "bad date: %ld", r.status);
    wt_response_free(&r);
    r = req(&reader, "GET", "/api/sheets", NULL, false);
    j = json_of(&r);
    CHECKF(json_integer_value(json_object_get(j, "total")) == 2 &&
               json_is_false(json_object_get(j, "more")),
           "all sheets: %s", r.body);
    json_decref(j);
    wt_response_free(&r);
    /* Both file names hold "png". A page full of substring matches is answered without
     * looking for fuzzy ones, so its count is a lower bound ("more"); a page past them looks
     * for the fuzzy ones too and counts everything. */
    static const char *const paged[][3] = {{"0", "1", "1"}, {"1", "1", "1"}, {"2", "1", "0"}};
    const char *second = NULL;
    for (int i = 0; i < 3; i++) {
        char url[64];
        snprintf(url, sizeof url, "/api/sheets?q=png&offset=%s&limit=%s", paged[i][0],
                 paged[i][1]);
        r = req(&reader, "GET", url, NULL, false);
        j = json_of(&r);
        json_t *got = json_object_get(j, "sheets");
        bool lower_bound = i < 2;
        CHECKF(json_integer_value(json_object_get(j, "total")) == 2 &&
                   json_is_true(json_object_get(j, "more")) == lower_bound &&
                   json_array_size(got) == (size_t)atoi(paged[i][2]),
               "%s: %s", url, r.body);
        const char *src = json_string_value(json_object_get(json_array_get(got, 0), "source"));
        if (i == 1)
            CHECKF(src && second && strcmp(src, second) > 0, "pages in file-name order: %s", url);
        free((char *)second);
        second = src ? strdup(src) : NULL;
        json_decref(j);
        wt_response_free(&r);
    }
    free((char *)second);

    /* One sheet; unknown ids are 404, not a crash. */
    char path[256];
    snprintf(path, sizeof path, "/api/sheets/%lld", (long long)sheet_id);
    r = req(&reader, "GET", path, NULL, false);
    j = json_of(&r);
    CHECKF(r.status == 200 && json_is_array(json_object_get(j, "fields")) &&
               json_is_object(json_object_get(j, "provenance")) &&
               json_string_value(json_object_get(json_object_get(j, "provenance"), "sha256")),
           "sheet %lld: %ld", (long long)sheet_id, r.status);
    json_decref(j);
    wt_response_free(&r);
    const char *bad_ids[] = {"/api/sheets/999999", "/api/sheets/abc", "/api/sheets/-1",
                             "/api/sheets/1%27%20or%201=1", "/sheets/999999"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        r = req(&reader, "GET", bad_ids[i], NULL, false);
        CHECKF(r.status == 404, "%s: %ld", bad_ids[i], r.status);
        wt_response_free(&r);
    }

    /* Hostile text is shown inert: the file name and the OCR text never come back as markup. */
    r = req(&reader, "GET", "/search?q=png", NULL, false);
    CHECKF(r.status == 200, "/search: %ld", r.status);
    CHECK(!has(&r, XSS_NAME) && !has(&r, "<img src=x"));
    CHECK(has(&r, "&lt;img src=x onerror=alert(1)&gt;"));
    CHECK(strstr(r.headers, "Content-Security-Policy") != NULL);
    wt_response_free(&r);
    char xss_id[32];
    snprintf(xss_id, sizeof xss_id, "%s",
             query1("select id from page_run where source_path like '%onerror%'"));
    snprintf(path, sizeof path, "/sheets/%s", xss_id);
    r = req(&reader, "GET", path, NULL, false);
    CHECKF(r.status == 200, "%s: %ld", path, r.status);
    CHECK(!has(&r, "<script>alert") && !has(&r, "<img src=x"));
    wt_response_free(&r);

    /* Path traversal and odd paths are refused. */
    const char *traversal[] = {"/static/../../../../etc/passwd", "/img/view/../../etc/passwd",
                               "/static/..%2f..%2fetc%2fpasswd", "/img/view/1.jpg/../../x",
                               "//etc/passwd", "/static/app.js%00.png"};
    for (size_t i = 0; i < sizeof traversal / sizeof traversal[0]; i++) {
        r = req(&reader, "GET", traversal[i], NULL, false);
        CHECKF(r.status >= 400 && r.status < 500 && !has(&r, "root:"), "%s: %ld", traversal[i],
               r.status);
        wt_response_free(&r);
    }
    snprintf(path, sizeof path, "/img/thumb/%lld.png", (long long)sheet_id);
    r = req(&reader, "GET", path, NULL, false);
    CHECKF(r.status == 200 && r.len > 8 && !memcmp(r.body, "\x89PNG", 4), "thumbnail: %ld",
           r.status);
    wt_response_free(&r);

    /* Roles: a reader may not review or see the dashboard. */
    r = req(&reader, "GET", "/api/review/next", NULL, false);
    CHECKF(r.status == 403, "reader review: %ld", r.status);
    wt_response_free(&r);
    r = req(&reader, "GET", "/api/dashboard", NULL, false);
    CHECKF(r.status == 403, "reader dashboard: %ld", r.status);
    wt_response_free(&r);

    /* Review: two reviewers get different fields; decisions need the CSRF token. */
    CHECK(login(&rev, "rev", "review-pass-1"));
    CHECK(login(&rev2, "rev2", "review-pass-2"));
    r = req(&rev, "GET", "/api/review/next", NULL, false);
    j = json_of(&r);
    int64_t item = json_integer_value(json_object_get(j, "id"));
    CHECKF(r.status == 200 && item > 0, "next: %ld %s", r.status, r.body);
    json_decref(j);
    wt_response_free(&r);
    r = req(&rev2, "GET", "/api/review/next", NULL, false);
    j = json_of(&r);
    int64_t item2 = json_integer_value(json_object_get(j, "id"));
    CHECKF(r.status == 200 && item2 > 0 && item2 != item, "second reviewer: %lld vs %lld",
           (long long)item2, (long long)item);
    json_decref(j);
    wt_response_free(&r);
    r = req(&rev, "GET", "/api/review/next", NULL, false); /* the own claim comes back */
    j = json_of(&r);
    CHECK(json_integer_value(json_object_get(j, "id")) == item);
    json_decref(j);
    wt_response_free(&r);
    snprintf(path, sizeof path, "/api/review/%lld", (long long)item);
    r = req(&rev, "POST", path, "{\"action\":\"correct\",\"value\":\"999-9\"}", false);
    CHECKF(r.status == 403, "decision without CSRF: %ld", r.status);
    wt_response_free(&r);
    r = req(&rev2, "POST", path, "{\"action\":\"accept\"}", true);
    CHECKF(r.status == 409, "decision on another's claim: %ld", r.status);
    wt_response_free(&r);
    r = req(&rev, "POST", path, "{\"action\":", true);
    CHECKF(r.status == 400, "malformed JSON: %ld", r.status);
    wt_response_free(&r);
    r = req(&rev, "POST", path, "{\"action\":\"explode\"}", true);
    CHECKF(r.status == 400, "unknown action: %ld", r.status);
    wt_response_free(&r);
    char *big = malloc(70 * 1024 + 32);
    memset(big, 'a', 70 * 1024);
    memcpy(big, "{\"action\":\"correct\",\"value\":\"", 29);
    strcpy(big + 70 * 1024, "\"}");
    r = req(&rev, "POST", path, big, true);
    CHECKF(r.status == 413, "oversized body: %ld", r.status);
    wt_response_free(&r);
    free(big);
    r = req(&rev, "POST", "/api/review/987654321", "{\"action\":\"accept\"}", true);
    CHECKF(r.status == 404, "unknown item: %ld", r.status);
    wt_response_free(&r);
    char field[32], run[32];
    snprintf(field, sizeof field, "%s",
             query1("select ri.field from review_item ri where ri.id = (select min(id) from "
                    "review_item where claimed_by = 'rev')"));
    snprintf(run, sizeof run, "%s",
             query1("select page_run_id from review_item where claimed_by = 'rev'"));
    r = req(&rev, "POST", path, "{\"action\":\"correct\",\"value\":\"CORRECTED-BY-REV\"}", true);
    j = json_of(&r);
    CHECKF(r.status == 200 && json_integer_value(json_object_get(j, "version")) == 2,
           "correction: %ld %s", r.status, r.body);
    json_decref(j);
    wt_response_free(&r);
    r = req(&rev, "POST", path, "{\"action\":\"accept\"}", true);
    CHECKF(r.status == 409, "decision on a resolved item: %ld", r.status);
    wt_response_free(&r);
    char sql[512];
    snprintf(sql, sizeof sql,
             "select reviewer || '|' || why || '|' || raw from value_version v join review_item ri"
             " using (page_run_id, section, row_no, field) where ri.id = %lld",
             (long long)item);
    CHECKF(strcmp(query1(sql), "rev|corrected|CORRECTED-BY-REV") == 0, "version: %s", query1(sql));
    snprintf(sql, sizeof sql, "select state from review_item where id = %lld", (long long)item);
    CHECK(strcmp(query1(sql), "resolved") == 0);
    /* Search finds the sheet under its corrected value (the decision refreshed its row). */
    r = req(&rev, "GET", "/api/sheets?q=corrected-by-rev", NULL, false);
    j = json_of(&r);
    CHECKF(r.status == 200 && json_integer_value(json_object_get(j, "total")) == 1,
           "search for the correction: %s", r.body);
    json_decref(j);
    wt_response_free(&r);
    CHECK(strcmp(query1("select count(*) from sheet_search s where not exists (select 1 from"
                        " search_text_fold t where t.page_run_id = s.page_run_id)"),
                 "0") == 0);
    /* The correction is what the records export gives. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "PGDATABASE=%s PGUSER=landrec_loader '%s' export --format jsonl --records "
             "| grep -c CORRECTED-BY-REV",
             db, landrec);
    FILE *p = popen(cmd, "r");
    char line[64] = "";
    if (p) {
        if (!fgets(line, sizeof line, p))
            line[0] = '\0';
        pclose(p);
    }
    CHECKF(atoi(line) == 1, "export --records lines with the correction: %s (field %s, run %s)",
           line, field, run);
    /* Skip gives the item back to others; illegible is a version without a value. */
    snprintf(path, sizeof path, "/api/review/%lld", (long long)item2);
    r = req(&rev2, "POST", path, "{\"action\":\"skip\"}", true);
    CHECKF(r.status == 200, "skip: %ld", r.status);
    wt_response_free(&r);
    r = req(&rev2, "GET", "/api/review/next", NULL, false);
    j = json_of(&r);
    int64_t item3 = json_integer_value(json_object_get(j, "id"));
    CHECKF(item3 != item2, "a skipped item is not offered again at once (%lld)", (long long)item3);
    json_decref(j);
    wt_response_free(&r);
    snprintf(path, sizeof path, "/api/review/%lld", (long long)item3);
    r = req(&rev2, "POST", path, "{\"action\":\"illegible\"}", true);
    CHECKF(r.status == 200, "illegible: %ld %s", r.status, r.body);
    wt_response_free(&r);
    snprintf(sql, sizeof sql,
             "select coalesce(value, 'NULL') || '|' || why from value_version v join review_item ri"
             " using (page_run_id, section, row_no, field) where ri.id = %lld",
             (long long)item3);
    CHECKF(strcmp(query1(sql), "NULL|illegible") == 0, "illegible version: %s", query1(sql));
    /* Accept a sheet's unflagged fields in one action. */
    snprintf(path, sizeof path, "/api/sheets/%lld/accept", (long long)sheet_id);
    r = req(&rev, "POST", path, NULL, true);
    j = json_of(&r);
    long accepted = (long)json_integer_value(json_object_get(j, "accepted"));
    snprintf(sql, sizeof sql,
             "select count(*) from field_value where page_run_id = %lld and not review",
             (long long)sheet_id);
    CHECKF(r.status == 200 && accepted > 0 && accepted == atol(query1(sql)),
           "accept sheet: %ld accepted %ld of %s", r.status, accepted, query1(sql));
    json_decref(j);
    wt_response_free(&r);

    /* The dashboard is the officers'. */
    CHECK(login(&off, "off", "officer-pass"));
    r = req(&off, "GET", "/api/dashboard", NULL, false);
    j = json_of(&r);
    CHECKF(r.status == 200 && json_integer_value(json_object_get(j, "total_pages")) == 2,
           "dashboard: %ld %s", r.status, r.body);
    json_decref(j);
    wt_response_free(&r);
    r = req(&off, "GET", "/dashboard", NULL, false);
    CHECKF(r.status == 200 && has(&r, "<svg"), "dashboard page: %ld", r.status);
    /* Its sections are figures.c's, which "landrec report" draws too: here with links. */
    CHECKF(has(&r, "<td><a href=\"/search?batch=webtest\">webtest</a></td>") &&
               has(&r, "Pages loaded each day, the last 60 days") &&
               has(&r, "no deliveries with a manifest"),
           "dashboard page's sections: %.400s", r.body);
    wt_response_free(&r);

    /* Sign-out needs the token too, and ends the session. */
    r = req(&reader, "POST", "/api/logout", NULL, false);
    CHECKF(r.status == 403, "sign-out without CSRF: %ld", r.status);
    wt_response_free(&r);
    r = req(&reader, "POST", "/api/logout", NULL, true);
    CHECKF(r.status == 200, "sign-out: %ld", r.status);
    wt_response_free(&r);
    r = req(&reader, "GET", "/api/sheets", NULL, false);
    CHECKF(r.status == 401, "after sign-out: %ld", r.status);
    wt_response_free(&r);

    /* An archivist reprocesses a page with other settings: the sheet shows both runs side by
     * side, and search lists the page once, as its latest run. */
    if (wt_sh("PGDATABASE=%s PGUSER=landrec_loader '%s' run -q --binarize otsu --batch redo "
           "--out '%s/out' '%s/in/land-01.png' >/dev/null 2>&1",
           db, landrec, tmp, tmp) != 0) {
        CHECKF(0, "could not reprocess land-01.png");
    } else {
        char newest[32];
        snprintf(newest, sizeof newest, "%s",
                 query1("select max(id) from page_run where source_path like '%land-01.png'"));
        CHECK(atoll(newest) != sheet_id);
        snprintf(path, sizeof path, "/api/sheets/%s", newest);
        r = req(&off, "GET", path, NULL, false);
        j = json_of(&r);
        CHECKF(r.status == 200 && json_array_size(json_object_get(j, "runs")) == 2,
               "runs of the reprocessed page: %ld", r.status);
        json_decref(j);
        wt_response_free(&r);
        r = req(&off, "GET", "/api/sheets?lot=123-4", NULL, false);
        j = json_of(&r);
        json_t *only = json_array_get(json_object_get(j, "sheets"), 0);
        CHECKF(json_integer_value(json_object_get(j, "total")) == 1 &&
                   json_integer_value(json_object_get(only, "run_id")) == atoll(newest),
               "search after reprocessing: %s", r.body);
        json_decref(j);
        wt_response_free(&r);
        /* The search table holds the page's latest run only. */
        CHECKF(atoi(query1("select count(*) from sheet_search s join page_run p"
                           " on p.id = s.page_run_id where p.source_path like '%land-01.png'")) ==
                       1 &&
                   atoll(query1("select s.page_run_id from sheet_search s join page_run p"
                                " on p.id = s.page_run_id"
                                " where p.source_path like '%land-01.png'")) == atoll(newest),
               "search rows of the reprocessed page: %s", query1("select count(*) from sheet_search"));
        /* An archivist chooses the older run to stand: search lists it again, alone. */
        CHECK(wt_sh("PGDATABASE=%s PGUSER=landrec_loader '%s' choose %lld --by off >/dev/null 2>&1",
                    db, landrec, (long long)sheet_id) == 0);
        r = req(&off, "GET", "/api/sheets?lot=123-4", NULL, false);
        j = json_of(&r);
        only = json_array_get(json_object_get(j, "sheets"), 0);
        CHECKF(json_integer_value(json_object_get(j, "total")) == 1 &&
                   json_integer_value(json_object_get(only, "run_id")) == sheet_id,
               "search after choosing the older run: %s", r.body);
        json_decref(j);
        wt_response_free(&r);
        CHECKF(atoi(query1("select count(*) from sheet_search s join page_run p"
                           " on p.id = s.page_run_id where p.source_path like '%land-01.png'")) ==
                   1,
               "search rows of the page after the choice: %s",
               query1("select count(*) from sheet_search"));
        /* The review desk gives items of the runs that stand only: walking its whole queue
         * (each item skipped, so that the next comes), none of the newer, unchosen run. */
        char sql[256];
        snprintf(sql, sizeof sql,
                 "select count(*) from review_item where state = 'open' and page_run_id = %s",
                 newest);
        int unchosen_open = atoi(query1(sql)), walked = 0, of_unchosen = 0;
        for (int k = 0; k < 500; k++) {
            r = req(&off, "GET", "/api/review/next", NULL, false);
            if (r.status != 200) {
                wt_response_free(&r);
                break;
            }
            j = json_of(&r);
            long long item = json_integer_value(json_object_get(j, "id"));
            of_unchosen += json_integer_value(json_object_get(j, "run_id")) == atoll(newest);
            json_decref(j);
            wt_response_free(&r);
            snprintf(path, sizeof path, "/api/review/%lld", item);
            r = req(&off, "POST", path, "{\"action\":\"skip\"}", true);
            wt_response_free(&r);
            walked++;
        }
        CHECKF(unchosen_open > 0 && walked > 0 && of_unchosen == 0,
               "review desk after the choice: %d items walked, %d of the unchosen run (which has "
               "%d open)",
               walked, of_unchosen, unchosen_open);
    }

    check_tls();

    /* Failed sign-ins are limited (per name and per client address: every client here is
     * 127.0.0.1, so this comes last), and the log never holds the password. */
    client mallory;
    wt_client_init(&mallory);
    long last = 0;
    for (int i = 0; i < 6; i++) {
        r = req(&mallory, "POST", "/api/login",
                "{\"user\":\"off\",\"password\":\"guess-SECRET-123\"}", false);
        last = r.status;
        wt_response_free(&r);
    }
    CHECKF(last == 429, "sixth wrong password: %ld", last);
    r = req(&mallory, "POST", "/api/login", "{\"user\":\"off\",\"password\":\"officer-pass\"}",
            false);
    CHECKF(r.status == 429, "right password while blocked: %ld", r.status);
    wt_response_free(&r);

    /* More than 1,000 matches: the count stops at 1,000 ("more") and the page is found by
     * walking the sheets in the results' order (web_search.c), which must give the page that
     * ordering every match gives. 1,100 sheets cloned from the loaded ones by the
     * benchmark's generator; each gets a text with LIKE's special characters, which the walk
     * must take literally as the count does. */
    const char *root = getenv("LR_SOURCE_ROOT");
    CHECK(root && wt_sh("grep -v '^#' '%s/data/gazetteer.tsv' | psql -X -q -d %s -v n=1100 "
                        "-v ntrig=0 -f '%s/tests/web/bench_web_data.sql' >'%s/gen.log' 2>&1",
                        root, db, root, tmp) == 0);
    CHECK(wt_sh("psql -X -q -d %s -c \"update sheet_search set doc_fold = doc_fold || 'x_y%%z'"
                " where source like '/archive/%%'\" >/dev/null",
                db) == 0);
    static const char *const walks[][2] = {
        {"/api/sheets?q=archive&offset=40&limit=20", "archive"},
        {"/api/sheets?q=x_y%25z&offset=1060&limit=30", "x_y%z"},
    };
    for (int i = 0; i < 2; i++) {
        r = req(&off, "GET", walks[i][0], NULL, false);
        j = json_of(&r);
        char got[1024] = "";
        json_t *sheets = json_object_get(j, "sheets");
        for (size_t k = 0; k < json_array_size(sheets); k++) {
            size_t len = strlen(got);
            snprintf(got + len, sizeof got - len, "%s%lld", k ? "," : "",
                     json_integer_value(json_object_get(json_array_get(sheets, k), "run_id")));
        }
        char sql[512];
        snprintf(sql, sizeof sql,
                 "select string_agg(page_run_id::text, ',' order by source collate \\\"C\\\", page,"
                 " page_run_id) from (select * from sheet_search where strpos(doc_fold, '%s') > 0"
                 " order by source collate \\\"C\\\", page, page_run_id offset %d limit %d) x",
                 walks[i][1], i ? 1060 : 40, i ? 30 : 20);
        /* Counted up to 1,000, or to the end of the page when that is further. */
        CHECKF(json_integer_value(json_object_get(j, "total")) == (i ? 1090 : 1000) &&
                   json_is_true(json_object_get(j, "more")) &&
                   json_array_size(sheets) == (i ? 30u : 20u) && strcmp(got, query1(sql)) == 0,
               "%s: %s", walks[i][0], r.body);
        json_decref(j);
        wt_response_free(&r);
    }
    /* A LIKE wildcard in the query is a character like any other. */
    r = req(&off, "GET", "/api/sheets?q=x%25z", NULL, false);
    j = json_of(&r);
    CHECKF(r.status == 200 && json_integer_value(json_object_get(j, "total")) == 0,
           "q x%%z: %s", r.body);
    json_decref(j);
    wt_response_free(&r);

    /* The server's role may not write the records themselves. */
    CHECK(wt_sh("psql -d %s -U landrec_web -Atqc 'delete from field_value' >/dev/null 2>&1", db) != 0);
    CHECK(wt_sh("psql -d %s -U landrec_web -Atqc 'select count(*) from field_value' >/dev/null 2>&1",
             db) == 0);

    curl_easy_cleanup(anon.h);
    curl_easy_cleanup(reader.h);
    curl_easy_cleanup(rev.h);
    curl_easy_cleanup(rev2.h);
    curl_easy_cleanup(off.h);
    curl_easy_cleanup(mallory.h);
    cleanup();
    /* The server's log (its stderr) names the failed sign-ins but never a password. */
    CHECK(wt_sh("grep -q 'sign-in failed for user \\\"off\\\"' '%s/serve.log'", tmp) == 0);
    CHECK(wt_sh("grep -q 'guess-SECRET' '%s/serve.log'", tmp) != 0);
    /* Connected as the web role, the server has nothing to warn of about its rights. */
    CHECK(wt_sh("grep -q 'may change the records' '%s/serve.log'", tmp) != 0);
    /* Under the sanitizer build the server's own errors and leaks land in its log. */
    CHECKF(wt_sh("grep -qE 'Sanitizer|runtime error' '%s'/serve*.log", tmp) != 0,
           "the server's log reports a sanitizer finding");
    if (!lr_test_failed)
        wt_sh("rm -rf '%s'", tmp);
    curl_global_cleanup();
    return lr_test_finish("web-http");
}
