/* test_store_save.c — runs and page loads: a done page with words and derivatives, the same
 * key again (nothing added), other settings (a new run), failures and retries, failure then
 * success, unreadable files keyed by path, all-or-nothing pages, COPY escaping, claim_done,
 * invocations, what each save did (its outcome), reconnecting after the server dropped the
 * connection, and waiting with backoff for a database that refuses connections a while. */
#include <pthread.h>
#include <signal.h>

#include "landrec/clock.h"

#include "store_test.h"

static char set_a[LR_SHA256_HEX_LEN + 1], set_b[LR_SHA256_HEX_LEN + 1];
static char file1[LR_SHA256_HEX_LEN + 1], file2[LR_SHA256_HEX_LEN + 1];
static char file3[LR_SHA256_HEX_LEN + 1];

/* Words whose texts exercise COPY's escaping and UTF-8. */
static const char *const word_texts[] = {
    "土地臺帳",
    "tab\there",
    "new\nline",
    "back\\slash",
    "cr\rlf\r\n",
    "\\N",            /* must stay the two characters, not become NULL */
    "\\.",            /* COPY's old end-of-data marker */
    "\\t\t\\n",       /* escaped-looking text next to real escapes */
    "경성부 本町 1丁目",
    "",
};
#define NWORDS (sizeof word_texts / sizeof word_texts[0])

static lr_word words[NWORDS];
static lr_derivative derivs[2];

static void setup_words(void)
{
    for (size_t i = 0; i < NWORDS; i++) {
        words[i] = (lr_word){.text = (char *)word_texts[i], .x0 = (int)i * 10, .y0 = 5,
                             .x1 = (int)i * 10 + 9, .y1 = 25, .conf = 50.0f + (float)i,
                             .block = 0, .par = (int)i / 4, .line = (int)i / 2};
    }
    derivs[0] = (lr_derivative){.kind = "view", .path = "out/a/p1.view.tif", .bytes = 1234};
    lrt_hash("view bytes", derivs[0].sha256);
    derivs[1] = (lr_derivative){.kind = "hocr", .path = "out/a/p1\twith tab.hocr", .bytes = -1};
}

static lr_page_record done_record(int64_t inv, const char *path, const char *sha, int page,
                                  const char *settings, const lr_page_info *info)
{
    return (lr_page_record){
        .invocation_id = inv,
        .source_path = path,
        .sha256 = sha,
        .file_size = 4096,
        .page = page,
        .page_count = 3,
        .settings_hash = settings,
        .info = info,
        .orientation = 90,
        .orientation_conf = 7.5f,
        .skew_deg = 1.25f,
        .skew_conf = 4.0f,
        .skew_applied = true,
        .mean_conf = 81.5f,
        .text = "土地臺帳\n경성부",
        .words = words,
        .nwords = NWORDS,
        .derivatives = derivs,
        .nderivatives = 2,
        .times = {.decode_ms = 5, .orient_ms = 10, .enhance_ms = 150, .ocr_ms = 2200,
                  .write_ms = 12, .load_ms = 3},
    };
}

static lr_page_record failed_record(int64_t inv, const char *path, const char *sha, int page,
                                    const char *settings, const char *code, const char *msg)
{
    return (lr_page_record){
        .invocation_id = inv,
        .source_path = path,
        .sha256 = sha,
        .file_size = -1,
        .page = page,
        .settings_hash = settings,
        .failed = true,
        .error_code = code,
        .error = msg,
    };
}

static lr_save_outcome saved; /* the last save()'s outcome */

static int save(lr_store *st, const lr_page_record *rec)
{
    lr_error err;
    lr_error_clear(&err);
    saved = (lr_save_outcome)-1;
    int rc = lr_store_save_page(st, rec, &saved, &err);
    if (rc != LR_OK)
        fprintf(stderr, "save_page %s p%d: %s: %s (hint: %s)\n", rec->source_path, rec->page,
                err.message, err.detail, err.hint);
    return rc;
}

static long q(lr_store *st, const char *fmt, const char *arg)
{
    char sql[1024];
    snprintf(sql, sizeof sql, fmt, arg);
    return lrt_long(st, sql);
}

/* The words of run id, in order, compared byte for byte with word_texts. */
static void check_words_exact(lr_store *st, long run_id)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT text, conf, x0, x1, par, line FROM word WHERE page_run_id = %ld ORDER BY n",
             run_id);
    PGresult *r = PQexec(lr_store_test_conn(st), sql);
    CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
    CHECKF(PQntuples(r) == (int)NWORDS, "%d words", PQntuples(r));
    for (int i = 0; i < PQntuples(r) && i < (int)NWORDS; i++) {
        CHECKF(strcmp(PQgetvalue(r, i, 0), word_texts[i]) == 0, "word %d: \"%s\"", i,
               PQgetvalue(r, i, 0));
        CHECK(!PQgetisnull(r, i, 0));
        CHECK(atof(PQgetvalue(r, i, 1)) == 50.0 + i);
        CHECK(atoi(PQgetvalue(r, i, 2)) == i * 10 && atoi(PQgetvalue(r, i, 3)) == i * 10 + 9);
        CHECK(atoi(PQgetvalue(r, i, 4)) == i / 4 && atoi(PQgetvalue(r, i, 5)) == i / 2);
    }
    PQclear(r);
}

/* Two workers saving the same new page at once (they both found it not done). */
typedef struct race_arg {
    const lrt_db *db;
    const lr_page_record *rec;
    pthread_barrier_t *barrier;
    int rc;
    lr_save_outcome outcome;
} race_arg;

static void *race_thread(void *p)
{
    race_arg *a = p;
    lr_store *st = lrt_store_open(a->db, false);
    lr_error err;
    lr_error_clear(&err);
    pthread_barrier_wait(a->barrier);
    a->rc = st ? lr_store_save_page(st, a->rec, &a->outcome, &err) : -99;
    if (a->rc != LR_OK)
        fprintf(stderr, "race: %s: %s\n", err.message, err.detail);
    lr_store_close(&st);
    return NULL;
}

/* Lets connections into the database again after 1.5 s. */
static void *open_later(void *p)
{
    const lrt_db *db = p;
    usleep(1500000);
    PGconn *admin = lrt_connect_maintenance();
    char sql[160];
    snprintf(sql, sizeof sql, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS true", db->name);
    PQclear(PQexec(admin, sql));
    PQfinish(admin);
    return NULL;
}

int main(void)
{
    lrt_db db;
    int rc = lrt_db_create("save", &db);
    if (rc)
        return rc;
    lr_store *st = lrt_store_open(&db, true);
    CHECK(st != NULL);
    if (!st)
        goto out;
    setup_words();
    lrt_hash("settings A", set_a);
    lrt_hash("settings B", set_b);
    lrt_hash("file one", file1);
    lrt_hash("file two", file2);
    lrt_hash("file three", file3);
    lr_error err;
    lr_error_clear(&err);
    char buf[512], sql[512];

    /* Settings: idempotent; bad hash and bad JSON refused. */
    CHECK(lr_store_register_settings(st, set_a, "{\"lang\": \"kor+chi_tra\", \"psm\": 3}", &err) ==
          LR_OK);
    CHECK(lr_store_register_settings(st, set_a, "{\"other\": true}", &err) == LR_OK);
    CHECK(lr_store_register_settings(st, set_b, NULL, &err) == LR_OK);
    CHECK(lrt_long(st, "SELECT count(*) FROM settings") == 2);
    CHECK(q(st, "SELECT count(*) FROM settings WHERE hash = '%s' AND description->>'lang' = "
                "'kor+chi_tra'",
            set_a) == 1);
    CHECK(lr_store_register_settings(st, "ABC", "{}", &err) == LR_ERR_ARG);
    char upper[LR_SHA256_HEX_LEN + 1];
    snprintf(upper, sizeof upper, "%s", set_a);
    upper[0] = 'A';
    CHECK(lr_store_register_settings(st, upper, "{}", &err) == LR_ERR_ARG);
    lr_error_clear(&err);
    CHECK(lr_store_register_settings(st, file3, "{not json", &err) == LR_ERR_DB);
    CHECK(strstr(err.detail, "json") != NULL);

    /* Invocations. */
    int64_t inv1 = 0, inv2 = 0, inv3 = 0;
    CHECK(lr_store_invocation_begin(st, "b1", "landrec run --batch b1 a.tif", set_a, &inv1,
                                    &err) == LR_OK);
    CHECK(inv1 > 0);
    CHECK(lr_store_invocation_begin(st, "b1", "landrec run --batch b1 a.tif", set_a, &inv2,
                                    &err) == LR_OK);
    CHECK(lr_store_invocation_begin(st, NULL, NULL, set_b, &inv3, &err) == LR_OK);
    CHECK(inv2 > inv1 && inv3 > inv2);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM invocation WHERE id = %lld AND pid = %ld AND host <> '' AND "
             "finished_at IS NULL AND batch = 'b1'",
             (long long)inv1, (long)getpid());
    CHECK(lrt_long(st, sql) == 1);
    int64_t bad_id = 7;
    CHECK(lr_store_invocation_begin(st, "x", NULL, "nothex", &bad_id, &err) == LR_ERR_ARG);
    CHECK(bad_id == 0);

    lr_page_info info;
    lrt_info(&info, 1);
    snprintf(info.warning, sizeof info.warning, "16-bit samples reduced to 8; alpha dropped");

    /* 1. A done page with words and derivatives. */
    lr_page_record rec = done_record(inv1, "scans/a.tif", file1, 1, set_a, &info);
    CHECK(save(st, &rec) == LR_OK);
    CHECK(saved == LR_SAVE_LOADED);
    long run1 = q(st, "SELECT id FROM page_run WHERE sha256 = '%s' AND page = 1", file1);
    CHECK(run1 > 0);
    CHECK(lrt_long(st, "SELECT count(*) FROM page_run") == 1);
    snprintf(sql, sizeof sql,
             "SELECT status || '|' || attempts || '|' || orientation || '|' || skew_deg || '|' || "
             "mean_conf || '|' || width || '|' || dpi_x || '|' || colour || '|' || warnings || "
             "'|' || coalesce(error, 'NULL') || '|' || page_count || '|' || ocr_ms || '|' || "
             "file_key FROM page_run WHERE id = %ld",
             run1);
    char expect[512];
    snprintf(expect, sizeof expect,
             "done|1|90|1.25|81.5|2480|300|grey|16-bit samples reduced to 8; alpha dropped|NULL|3|"
             "2200|%s",
             file1);
    CHECKF(strcmp(lrt_text(st, sql, buf, sizeof buf), expect) == 0, "row: %s", buf);
    snprintf(sql, sizeof sql, "SELECT text FROM page_run WHERE id = %ld", run1);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf), "土地臺帳\n경성부") == 0);
    check_words_exact(st, run1);
    CHECK(lrt_long(st, "SELECT count(*) FROM derivative") == 2);
    snprintf(sql, sizeof sql,
             "SELECT kind || '|' || path || '|' || sha256 || '|' || bytes FROM derivative "
             "WHERE kind = 'view'");
    snprintf(expect, sizeof expect, "view|out/a/p1.view.tif|%s|1234", derivs[0].sha256);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf), expect) == 0);
    /* A control character is shown escaped; the bytes keep it (docs/schema.md, "Paths"). */
    CHECK(lrt_long(st, "SELECT count(*) FROM derivative WHERE kind = 'hocr' AND path = "
                       "E'out/a/p1\\\\x09with tab.hocr' AND path_raw = "
                       "convert_to(E'out/a/p1\\twith tab.hocr', 'UTF8') AND sha256 IS NULL"
                       " AND bytes IS NULL") == 1);
    CHECK(q(st, "SELECT size FROM source_file WHERE sha256 = '%s' AND first_path = 'scans/a.tif'",
            file1) == 4096);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM invocation_page WHERE invocation_id = %lld AND page_run_id = "
             "%ld AND outcome = 'done'",
             (long long)inv1, run1);
    CHECK(lrt_long(st, sql) == 1);

    /* 2. The same key again (another path, other words): nothing changes. */
    snprintf(sql, sizeof sql, "SELECT updated_at::text FROM page_run WHERE id = %ld", run1);
    char updated[64];
    lrt_text(st, sql, updated, sizeof updated);
    lr_page_record again = done_record(inv2, "copy/of/a.tif", file1, 1, set_a, &info);
    again.nwords = 2;
    again.text = "different";
    again.nderivatives = 0;
    CHECK(save(st, &again) == LR_OK);
    CHECK(saved == LR_SAVE_ALREADY_DONE); /* another invocation loaded it */
    CHECK(lrt_long(st, "SELECT count(*) FROM page_run") == 1);
    CHECK(lrt_long(st, "SELECT count(*) FROM word") == (long)NWORDS);
    CHECK(lrt_long(st, "SELECT count(*) FROM derivative") == 2);
    check_words_exact(st, run1);
    snprintf(sql, sizeof sql,
             "SELECT attempts || '|' || source_path || '|' || text || '|' || updated_at::text "
             "FROM page_run WHERE id = %ld",
             run1);
    snprintf(expect, sizeof expect, "1|scans/a.tif|土地臺帳\n경성부|%s", updated);
    CHECKF(strcmp(lrt_text(st, sql, buf, sizeof buf), expect) == 0, "row: %s", buf);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM invocation_page WHERE invocation_id = %lld AND outcome = "
             "'skipped'",
             (long long)inv2);
    CHECK(lrt_long(st, sql) == 1);
    /* The invocation that loaded it saves it again (its COMMIT's answer lost): its own. */
    CHECK(save(st, &rec) == LR_OK);
    CHECK(saved == LR_SAVE_ALREADY_OURS);
    CHECK(lrt_long(st, "SELECT count(*) FROM page_run") == 1);

    /* 3. claim_done. */
    bool done = false;
    CHECK(lr_store_claim_done(st, inv2, file1, 1, set_a, &done, &err) == LR_OK && done);
    CHECK(lr_store_claim_done(st, inv2, file1, 1, set_a, &done, &err) == LR_OK && done);
    CHECK(lr_store_claim_done(st, inv2, file1, 2, set_a, &done, &err) == LR_OK && !done);
    CHECK(lr_store_claim_done(st, inv2, file1, 1, set_b, &done, &err) == LR_OK && !done);
    CHECK(lr_store_claim_done(st, inv2, NULL, 1, set_a, &done, &err) == LR_OK && !done);
    CHECK(lr_store_claim_done(st, 0, file1, 1, set_a, &done, &err) == LR_OK && done);
    done = true;
    CHECK(lr_store_claim_done(st, inv2, "zz", 1, set_a, &done, &err) == LR_ERR_ARG && !done);
    int64_t inv4 = 0;
    CHECK(lr_store_invocation_begin(st, "b4", NULL, set_a, &inv4, &err) == LR_OK);
    CHECK(lr_store_claim_done(st, inv4, file1, 1, set_a, &done, &err) == LR_OK && done);
    snprintf(sql, sizeof sql,
             "SELECT outcome FROM invocation_page WHERE invocation_id = %lld AND page_run_id = "
             "%ld",
             (long long)inv4, run1);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf), "skipped") == 0);
    /* A page this invocation loaded stays 'done' for it when it is claimed again. */
    CHECK(lr_store_claim_done(st, inv1, file1, 1, set_a, &done, &err) == LR_OK && done);
    snprintf(sql, sizeof sql,
             "SELECT outcome FROM invocation_page WHERE invocation_id = %lld AND page_run_id = "
             "%ld",
             (long long)inv1, run1);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf), "done") == 0);

    /* 4. Other settings: a new run, the old one kept. */
    lr_page_record other = done_record(inv3, "scans/a.tif", file1, 1, set_b, &info);
    other.nwords = 3;
    CHECK(save(st, &other) == LR_OK);
    CHECK(lrt_long(st, "SELECT count(*) FROM page_run") == 2);
    CHECK(q(st, "SELECT count(DISTINCT settings_hash) FROM page_run WHERE sha256 = '%s'", file1) ==
          2);
    check_words_exact(st, run1);
    CHECK(lrt_long(st, "SELECT count(*) FROM word") == (long)NWORDS + 3);
    CHECK(lrt_long(st, "SELECT count(*) FROM source_file") == 1);

    /* 5. A failed page: recorded with code and message, no words. */
    lr_page_record fail = failed_record(inv1, "scans/b.tif", file2, 2, set_a, "corrupt",
                                        "could not decode page 2: bad strip offset");
    fail.page_count = 3;
    fail.info = &info; /* the header was read */
    fail.words = words;
    fail.nwords = NWORDS; /* ignored for a failure */
    CHECK(save(st, &fail) == LR_OK);
    CHECK(saved == LR_SAVE_FAILED);
    long run2 = q(st, "SELECT id FROM page_run WHERE sha256 = '%s' AND page = 2", file2);
    CHECK(run2 > 0);
    snprintf(sql, sizeof sql,
             "SELECT status || '|' || attempts || '|' || error_code || '|' || error || '|' || "
             "width || '|' || coalesce(text, 'NULL') || '|' || coalesce(orientation::text, "
             "'NULL') FROM page_run WHERE id = %ld",
             run2);
    CHECKF(strcmp(lrt_text(st, sql, buf, sizeof buf),
                  "failed|1|corrupt|could not decode page 2: bad strip offset|2480|NULL|NULL") ==
               0,
           "row: %s", buf);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM word WHERE page_run_id = %ld", run2);
    CHECK(lrt_long(st, sql) == 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM page_failure WHERE page_run_id = %ld AND invocation_id = %lld "
             "AND error_code = 'corrupt' AND source_path = 'scans/b.tif'",
             run2, (long long)inv1);
    CHECK(lrt_long(st, sql) == 1);
    CHECK(lr_store_claim_done(st, inv2, file2, 2, set_a, &done, &err) == LR_OK && !done);

    /* 6. The same failure again: attempts 2, two failure events, one row. */
    fail.invocation_id = inv2;
    fail.error = "could not decode page 2: bad strip offset (again)";
    CHECK(save(st, &fail) == LR_OK);
    snprintf(sql, sizeof sql,
             "SELECT attempts || '|' || error FROM page_run WHERE id = %ld", run2);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf),
                 "2|could not decode page 2: bad strip offset (again)") == 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM page_failure WHERE page_run_id = %ld", run2);
    CHECK(lrt_long(st, sql) == 2);
    CHECK(q(st, "SELECT count(*) FROM page_run WHERE sha256 = '%s'", file2) == 1);
    snprintf(sql, sizeof sql,
             "SELECT outcome FROM invocation_page WHERE invocation_id = %lld AND page_run_id = "
             "%ld",
             (long long)inv2, run2);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf), "failed") == 0);

    /* 7. Failure then success: done, error cleared, words loaded, the failure log kept. */
    lr_page_record fixed = done_record(inv2, "scans/b.tif", file2, 2, set_a, &info);
    CHECK(save(st, &fixed) == LR_OK);
    CHECK(saved == LR_SAVE_LOADED);
    snprintf(sql, sizeof sql,
             "SELECT status || '|' || attempts || '|' || coalesce(error, 'NULL') || '|' || "
             "coalesce(error_code, 'NULL') || '|' || orientation FROM page_run WHERE id = %ld",
             run2);
    CHECKF(strcmp(lrt_text(st, sql, buf, sizeof buf), "done|3|NULL|NULL|90") == 0, "row: %s",
           buf);
    check_words_exact(st, run2);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM page_failure WHERE page_run_id = %ld", run2);
    CHECK(lrt_long(st, sql) == 2);
    snprintf(sql, sizeof sql,
             "SELECT outcome FROM invocation_page WHERE invocation_id = %lld AND page_run_id = "
             "%ld",
             (long long)inv2, run2);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf), "done") == 0);
    /* Done now: a later failure with the same settings changes nothing. */
    fail.invocation_id = inv4;
    CHECK(save(st, &fail) == LR_OK);
    CHECK(saved == LR_SAVE_ALREADY_DONE);
    snprintf(sql, sizeof sql,
             "SELECT status || '|' || attempts FROM page_run WHERE id = %ld", run2);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf), "done|3") == 0);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM page_failure WHERE page_run_id = %ld", run2);
    CHECK(lrt_long(st, sql) == 2);
    check_words_exact(st, run2);

    /* 8. A file that could not be read at all: keyed by path, page 0; retried in place. */
    lr_page_record unread = failed_record(inv1, "scans/missing.tif", NULL, 0, set_a, "io",
                                          "could not open \"scans/missing.tif\": No such file");
    CHECK(save(st, &unread) == LR_OK);
    CHECK(save(st, &unread) == LR_OK);
    CHECK(lrt_long(st, "SELECT count(*) FROM page_run WHERE sha256 IS NULL") == 1);
    CHECK(lrt_long(st, "SELECT attempts FROM page_run WHERE file_key = 'path:scans/missing.tif' "
                       "AND page = 0") == 2);
    CHECK(lrt_long(st, "SELECT count(*) FROM page_failure f JOIN page_run r ON r.id = "
                       "f.page_run_id WHERE r.sha256 IS NULL") == 2);
    /* Another unreadable path is another key. */
    unread.source_path = "scans/missing2.tif";
    unread.error = NULL; /* no text: the code stands in */
    CHECK(save(st, &unread) == LR_OK);
    CHECK(lrt_long(st, "SELECT count(*) FROM page_run WHERE sha256 IS NULL") == 2);
    CHECK(strcmp(lrt_text(st, "SELECT error FROM page_run WHERE source_path = "
                              "'scans/missing2.tif'",
                          buf, sizeof buf),
                 "io") == 0);
    /* A file read but not decodable: keyed by its checksum, page 0. */
    lr_page_record corrupt = failed_record(inv1, "scans/c.tif", file3, 0, set_a, "format",
                                           "not a TIFF");
    CHECK(save(st, &corrupt) == LR_OK);
    CHECK(q(st, "SELECT count(*) FROM page_run WHERE sha256 = '%s' AND page = 0", file3) == 1);
    CHECK(q(st, "SELECT count(*) FROM source_file WHERE sha256 = '%s' AND size IS NULL", file3) ==
          1);
    corrupt.file_size = 77; /* a size learnt later fills the gap */
    CHECK(save(st, &corrupt) == LR_OK);
    CHECK(q(st, "SELECT size FROM source_file WHERE sha256 = '%s'", file3) == 77);

    /* 9. All or nothing. */
    long runs_before = lrt_long(st, "SELECT count(*) FROM page_run");
    long words_before = lrt_long(st, "SELECT count(*) FROM word");
    long files_before = lrt_long(st, "SELECT count(*) FROM source_file");
    char file4[LR_SHA256_HEX_LEN + 1];
    lrt_hash("file four", file4);
    {
        /* Invalid UTF-8 in the last word: the words COPY fails. */
        lr_word bad[3] = {{.text = "good"}, {.text = "also good"}, {.text = "bad \xff\xfe"}};
        lr_page_record r = done_record(inv1, "scans/d.tif", file4, 1, set_a, &info);
        r.words = bad;
        r.nwords = 3;
        lr_error_clear(&err);
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_DB);
        CHECKF(strstr(err.detail, "UTF8") != NULL, "detail: %s", err.detail);
        CHECKF(strstr(err.hint, "scans/d.tif") != NULL, "hint: %s", err.hint);
        CHECK(PQtransactionStatus(lr_store_test_conn(st)) == PQTRANS_IDLE);
    }
    {
        /* The words load, then a derivative violates a CHECK: the words go too. */
        lr_derivative bad_d[2] = {derivs[0], {.kind = "BAD KIND", .path = "x", .bytes = 1}};
        lr_page_record r = done_record(inv1, "scans/d.tif", file4, 1, set_a, &info);
        r.derivatives = bad_d;
        lr_error_clear(&err);
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_DB);
        CHECKF(strstr(err.detail, "derivative_kind_check") != NULL, "detail: %s", err.detail);
        CHECK(PQtransactionStatus(lr_store_test_conn(st)) == PQTRANS_IDLE);
    }
    {
        /* An orientation the schema refuses: the page row itself fails. */
        lr_page_record r = done_record(inv1, "scans/d.tif", file4, 1, set_a, &info);
        r.orientation = 45;
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_DB);
    }
    CHECK(lrt_long(st, "SELECT count(*) FROM page_run") == runs_before);
    CHECK(lrt_long(st, "SELECT count(*) FROM word") == words_before);
    CHECK(lrt_long(st, "SELECT count(*) FROM source_file") == files_before);
    CHECK(q(st, "SELECT count(*) FROM page_run WHERE sha256 = '%s'", file4) == 0);
    {
        /* A failed row whose successful retry cannot load stays failed as it was. */
        lr_page_record f = failed_record(inv1, "scans/d.tif", file4, 1, set_a, "ocr", "boom");
        CHECK(save(st, &f) == LR_OK);
        lr_word bad[1] = {{.text = "\xc3"}};
        lr_page_record r = done_record(inv1, "scans/d.tif", file4, 1, set_a, &info);
        r.words = bad;
        r.nwords = 1;
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_DB);
        CHECK(q(st, "SELECT count(*) FROM page_run WHERE sha256 = '%s' AND status = 'failed' AND "
                    "attempts = 1 AND error = 'boom'",
                file4) == 1);
        CHECK(q(st, "SELECT count(*) FROM page_failure f JOIN page_run r ON r.id = f.page_run_id "
                    "WHERE r.sha256 = '%s'",
                file4) == 1);
        /* The connection is still usable: the good retry loads. */
        r = done_record(inv1, "scans/d.tif", file4, 1, set_a, &info);
        CHECK(save(st, &r) == LR_OK);
        CHECK(q(st, "SELECT count(*) FROM page_run WHERE sha256 = '%s' AND status = 'done' AND "
                    "attempts = 2",
                file4) == 1);
    }

    /* 10. Records the store refuses before touching the database. */
    {
        lr_page_record r = done_record(inv1, "scans/e.tif", NULL, 1, set_a, &info);
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_ARG); /* done without checksum */
        r = done_record(inv1, "scans/e.tif", file4, 0, set_a, &info);
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_ARG); /* done page 0 */
        r = done_record(inv1, "scans/e.tif", file4, 1, "short", &info);
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_ARG);
        r = done_record(inv1, NULL, file4, 1, set_a, &info);
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_ARG);
        r = done_record(inv1, "scans/e.tif", file4, 1, set_a, &info);
        r.words = NULL;
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_ARG);
        CHECK(lr_store_save_page(st, NULL, NULL, &err) == LR_ERR_ARG);
        CHECK(lr_store_save_page(NULL, &r, NULL, &err) == LR_ERR_ARG);
        /* Settings that were never registered: the foreign key refuses, nothing stored. */
        char unknown[LR_SHA256_HEX_LEN + 1];
        lrt_hash("unregistered", unknown);
        r = done_record(inv1, "scans/e.tif", file4, 1, unknown, &info);
        CHECK(lr_store_save_page(st, &r, NULL, &err) == LR_ERR_DB);
        CHECK(lrt_long(st, "SELECT count(*) FROM page_run WHERE source_path = 'scans/e.tif'") ==
              0);
    }

    /* 11. invocation_end. */
    lr_run_counts counts = {.pages_done = 3, .pages_skipped = 1, .pages_failed = 2, .files = 4};
    CHECK(lr_store_invocation_end(st, inv1, &counts, 1, &err) == LR_OK);
    snprintf(sql, sizeof sql,
             "SELECT (counts->>'pages_done') || '|' || (counts->>'pages_skipped') || '|' || "
             "(counts->>'pages_failed') || '|' || (counts->>'files') || '|' || exit_status || "
             "'|' || (finished_at IS NOT NULL) FROM invocation WHERE id = %lld",
             (long long)inv1);
    CHECK(strcmp(lrt_text(st, sql, buf, sizeof buf), "3|1|2|4|1|true") == 0);
    CHECK(lr_store_invocation_end(st, inv2, NULL, 0, &err) == LR_OK);
    lr_error_clear(&err);
    CHECK(lr_store_invocation_end(st, 999999, &counts, 0, &err) == LR_ERR_ARG);
    CHECK(strstr(err.message, "999999") != NULL);

    /* 12. The server drops the connection between two pages: the next call reconnects. */
    {
        PGconn *admin = lrt_connect_maintenance();
        snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)",
                 PQbackendPID(lr_store_test_conn(st)));
        PGresult *r = PQexec(admin, sql);
        CHECK(PQresultStatus(r) == PGRES_TUPLES_OK);
        PQclear(r);
        PQfinish(admin);
        usleep(100000);
        char file5[LR_SHA256_HEX_LEN + 1];
        lrt_hash("file five", file5);
        lr_page_record p5 = done_record(inv1, "scans/f.tif", file5, 1, set_a, &info);
        CHECK(save(st, &p5) == LR_OK);
        CHECK(q(st, "SELECT count(*) FROM page_run WHERE sha256 = '%s'", file5) == 1);
    }

    /* 13. Two connections (two runs) save the same new page at once: one loads it, the other
     * finds it done and says so; no duplicate rows, no error. */
    for (int round = 0; round < 5; round++) {
        char race_label[32], race_sha[LR_SHA256_HEX_LEN + 1];
        snprintf(race_label, sizeof race_label, "race %d", round);
        lrt_hash(race_label, race_sha);
        lr_page_record rr[2] = {done_record(inv1, "scans/race.tif", race_sha, 1, set_a, &info),
                                done_record(inv2, "scans/race.tif", race_sha, 1, set_a, &info)};
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, 2);
        race_arg a[2] = {{&db, &rr[0], &barrier, 0, (lr_save_outcome)-1},
                         {&db, &rr[1], &barrier, 0, (lr_save_outcome)-1}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, race_thread, &a[i]);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        pthread_barrier_destroy(&barrier);
        CHECK(a[0].rc == LR_OK && a[1].rc == LR_OK);
        CHECKF((a[0].outcome == LR_SAVE_LOADED && a[1].outcome == LR_SAVE_ALREADY_DONE) ||
                   (a[1].outcome == LR_SAVE_LOADED && a[0].outcome == LR_SAVE_ALREADY_DONE),
               "outcomes %d and %d", (int)a[0].outcome, (int)a[1].outcome);
        CHECK(q(st, "SELECT count(*) FROM page_run WHERE sha256 = '%s'", race_sha) == 1);
        CHECK(q(st, "SELECT count(*) FROM word w JOIN page_run r ON r.id = w.page_run_id WHERE "
                    "r.sha256 = '%s'",
                race_sha) == (long)NWORDS);
        CHECK(q(st, "SELECT attempts FROM page_run WHERE sha256 = '%s'", race_sha) == 1);
    }

    /* 14. The reconnect policy: the database refuses connections for about 1.5 s. With no
     * timeout the store tries once and gives up; with one, it waits and gets back in. */
    {
        lr_store *st2 = lrt_store_open(&db, false);
        PGconn *admin = lrt_connect_maintenance();
        CHECK(st2 && PQstatus(admin) == CONNECTION_OK);
        for (int round = 0; st2 && round < 3; round++) {
            snprintf(sql, sizeof sql, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS false", db.name);
            PQclear(PQexec(admin, sql));
            snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)",
                     PQbackendPID(lr_store_test_conn(st2)));
            PQclear(PQexec(admin, sql));
            usleep(100000);
            volatile sig_atomic_t cancel = round == 2;
            lr_store_set_reconnect(st2, round == 0 ? 0 : 20, &cancel);
            double t0 = lr_clock_ms();
            pthread_t opener;
            if (round == 1) /* connections let in again after 1.5 s */
                CHECK(pthread_create(&opener, NULL, open_later, &db) == 0);
            bool done2 = false;
            lr_error_clear(&err);
            rc = lr_store_claim_done(st2, inv1, file1, 1, set_a, &done2, &err);
            double ms = lr_clock_ms() - t0;
            if (round == 1) {
                CHECKF(rc == LR_OK && done2, "waited: %s: %s", err.message, err.detail);
                CHECKF(ms > 1000 && ms < 15000, "back after %.0f ms", ms);
            } else { /* no timeout, or cancelled: one try, no waiting */
                CHECKF(rc == LR_ERR_DB && ms < 1000, "round %d: rc %d after %.0f ms", round, rc,
                       ms);
                CHECKF(strstr(err.detail, "not currently accepting connections") != NULL,
                       "detail: %s", err.detail);
                CHECK(lr_store_reconnect(st2, &err) == LR_ERR_DB);
                CHECK(!lr_store_connected(st2));
            }
            if (round == 1)
                pthread_join(opener, NULL);
            snprintf(sql, sizeof sql, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS true", db.name);
            PQclear(PQexec(admin, sql));
            CHECK(lr_store_reconnect(st2, &err) == LR_OK);
            CHECK(lr_store_connected(st2));
        }
        PQfinish(admin);
        lr_store_close(&st2);
    }

out:
    lr_store_close(&st);
    lrt_db_drop(&db);
    return lr_test_finish("test_store_save");
}
