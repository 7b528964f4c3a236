/* test_store_export.c — the JSONL export: each line parsed back with jansson, keys and values
 * (non-ASCII text kept as UTF-8, a failure without checksum, the latest run per page, the batch
 * restriction, a whole-file failure superseded once the file was read), and the output piped
 * through ../shared/tools/check-export when it is there. */
#include <jansson.h>

#include "store_test.h"

static char set_a[LR_SHA256_HEX_LEN + 1], set_b[LR_SHA256_HEX_LEN + 1];
static char fa[LR_SHA256_HEX_LEN + 1], fc[LR_SHA256_HEX_LEN + 1], fd[LR_SHA256_HEX_LEN + 1];

static const char *const text_a = "土地臺帳 京城府 本町 一丁目 \"인용\" \\ 끝\n둘째 줄\t탭";

static lr_word words[2] = {{.text = "土地臺帳", .conf = 90.0f}, {.text = "京城府", .conf = 80.0f}};
static lr_derivative derivs[2];

static int save(lr_store *st, const lr_page_record *rec)
{
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_store_save_page(st, rec, NULL, &err);
    if (rc != LR_OK)
        fprintf(stderr, "save_page: %s: %s\n", err.message, err.detail);
    return rc;
}

static lr_page_record done_page(int64_t inv, const char *path, const char *sha, int page,
                                const char *settings, const lr_page_info *info, const char *text)
{
    return (lr_page_record){.invocation_id = inv, .source_path = path, .sha256 = sha,
                            .file_size = 10, .page = page, .page_count = 2,
                            .settings_hash = settings, .info = info, .orientation = 180,
                            .skew_deg = -0.75f, .skew_conf = 3.0f, .skew_applied = true,
                            .mean_conf = 85.0f, .text = text, .words = words, .nwords = 2,
                            .derivatives = derivs, .nderivatives = 2};
}

/* Runs the export into memory; returns the lines parsed, NULL on error. */
static json_t *export_lines(lr_store *st, const char *batch, long *out_count, char **out_raw)
{
    char *raw = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&raw, &len);
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_store_export_pages(st, batch, m, out_count, &err);
    fclose(m);
    if (rc != LR_OK) {
        fprintf(stderr, "export: %s: %s\n", err.message, err.detail);
        free(raw);
        return NULL;
    }
    json_t *arr = json_array();
    char *save_ptr = NULL;
    char *copy = strdup(raw);
    for (char *line = strtok_r(copy, "\n", &save_ptr); line; line = strtok_r(NULL, "\n", &save_ptr)) {
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        CHECKF(o && json_is_object(o), "not a JSON object: %s (%s)", line, jerr.text);
        if (o)
            json_array_append_new(arr, o);
    }
    free(copy);
    if (out_raw)
        *out_raw = raw;
    else
        free(raw);
    return arr;
}

static const char *str(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The keys every line has, with their types. */
static void check_shape(json_t *o)
{
    static const char *const required[] = {"source", "page", "sha256", "status", "error",
                                           "orientation", "skew", "confidence", "text"};
    static const char *const extras[] = {"scope", "error_code", "settings_hash", "run_id",
                                         "batch", "processed_at", "attempts", "page_count",
                                         "width", "height", "dpi", "dpi_assumed", "colour",
                                         "warnings", "derivatives"};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        CHECKF(json_object_get(o, required[i]) != NULL, "missing %s", required[i]);
    for (size_t i = 0; i < sizeof extras / sizeof *extras; i++)
        CHECKF(json_object_get(o, extras[i]) != NULL, "missing %s", extras[i]);
    CHECK(json_is_string(json_object_get(o, "source")));
    CHECK(json_is_integer(json_object_get(o, "page")));
    CHECK(json_is_integer(json_object_get(o, "run_id")));
    CHECK(json_is_array(json_object_get(o, "derivatives")));
    CHECK(json_is_array(json_object_get(o, "warnings")));
    CHECK(str(o, "settings_hash") && strlen(str(o, "settings_hash")) == 64);
    const char *at = str(o, "processed_at");
    CHECKF(at && strlen(at) == 27 && at[10] == 'T' && at[26] == 'Z', "processed_at %s",
           at ? at : "null");
    const char *status = str(o, "status");
    CHECK(status && (!strcmp(status, "done") || !strcmp(status, "failed")));
    if (status && !strcmp(status, "done")) {
        CHECK(json_is_null(json_object_get(o, "error")));
        CHECK(json_is_null(json_object_get(o, "error_code")));
        json_int_t orient = json_integer_value(json_object_get(o, "orientation"));
        CHECK(json_is_integer(json_object_get(o, "orientation")) &&
              (orient == 0 || orient == 90 || orient == 180 || orient == 270));
        CHECK(json_is_real(json_object_get(o, "skew")));
        CHECK(json_is_real(json_object_get(o, "confidence")));
        double c = json_real_value(json_object_get(o, "confidence"));
        CHECK(c >= 0 && c <= 100);
        CHECK(json_is_string(json_object_get(o, "text")));
        CHECK(str(o, "sha256") && strlen(str(o, "sha256")) == 64);
        CHECK(json_integer_value(json_object_get(o, "page")) >= 1);
        CHECK(!strcmp(str(o, "scope"), "page"));
    } else if (status) {
        CHECK(str(o, "error") && str(o, "error")[0]);
        CHECK(json_is_null(json_object_get(o, "text")));
        CHECK(json_is_null(json_object_get(o, "orientation")));
    }
}

static json_t *find(json_t *arr, const char *source, int page)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        if (str(o, "source") && !strcmp(str(o, "source"), source) &&
            json_integer_value(json_object_get(o, "page")) == page)
            return o;
    }
    return NULL;
}

static void run_check_export(const char *raw)
{
    const char *root = getenv("LR_SOURCE_ROOT");
    char tool[1024], file[1024], cmd[3200];
    snprintf(tool, sizeof tool, "%s/../shared/tools/check-export", root ? root : ".");
    if (access(tool, R_OK) != 0) {
        printf("check-export not found at %s: not run\n", tool);
        return;
    }
    snprintf(file, sizeof file, "%s/store-export-%ld.jsonl", lr_test_tmp_dir(), (long)getpid());
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(raw, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "python3 '%s' pages < '%s'", tool, file);
    int st = system(cmd);
    CHECKF(st == 0, "check-export exited with %d", st);
    remove(file);
}

int main(void)
{
    lrt_db db;
    int rc = lrt_db_create("export", &db);
    if (rc)
        return rc;
    lr_store *st = lrt_store_open(&db, true);
    CHECK(st != NULL);
    if (!st)
        goto out;
    lr_error err;
    lr_error_clear(&err);
    lrt_hash("settings A", set_a);
    lrt_hash("settings B", set_b);
    lrt_hash("file a", fa);
    lrt_hash("file c", fc);
    lrt_hash("file d", fd);
    derivs[0] = (lr_derivative){.kind = "view", .path = "out/b/p1.view.tif", .bytes = 100};
    lrt_hash("view", derivs[0].sha256);
    derivs[1] = (lr_derivative){.kind = "text", .path = "out/b/p1.txt", .bytes = 20};
    lrt_hash("text", derivs[1].sha256);
    CHECK(lr_store_register_settings(st, set_a, "{}", &err) == LR_OK);
    CHECK(lr_store_register_settings(st, set_b, "{}", &err) == LR_OK);
    int64_t inv1 = 0, inv2 = 0, inv3 = 0;
    CHECK(lr_store_invocation_begin(st, "b1", NULL, set_a, &inv1, &err) == LR_OK);

    lr_page_info info;
    lrt_info(&info, 1);
    info.dpi_assumed = true;
    snprintf(info.warning, sizeof info.warning, "no resolution tags; palette expanded");

    /* Empty database: no lines, success. */
    long n = -1;
    json_t *arr = export_lines(st, NULL, &n, NULL);
    CHECK(arr && n == 0 && json_array_size(arr) == 0);
    json_decref(arr);

    /* Batch b1 (settings A): b.tif pages 1 and 2 done, missing.tif unreadable, c.tif corrupt. */
    lr_page_record r = done_page(inv1, "/data/b.tif", fa, 1, set_a, &info, text_a);
    CHECK(save(st, &r) == LR_OK);
    r = done_page(inv1, "/data/b.tif", fa, 2, set_a, &info, "둘째 쪽");
    r.nderivatives = 0;
    CHECK(save(st, &r) == LR_OK);
    lr_page_record f = {.invocation_id = inv1, .source_path = "/data/a-missing.tif", .page = 0,
                        .file_size = -1, .settings_hash = set_a, .failed = true,
                        .error_code = "io",
                        .error = "could not open \"/data/a-missing.tif\": 파일 없음"};
    CHECK(save(st, &f) == LR_OK);
    lr_page_record c = {.invocation_id = inv1, .source_path = "/data/c.tif", .sha256 = fc,
                        .page = 1, .page_count = 1, .file_size = 5, .settings_hash = set_a,
                        .failed = true, .error_code = "corrupt", .error = "bad strip"};
    CHECK(save(st, &c) == LR_OK);

    /* Batch b2 (settings B) reprocesses b.tif page 1 later. */
    CHECK(lr_store_invocation_begin(st, "b2", NULL, set_b, &inv2, &err) == LR_OK);
    r = done_page(inv2, "/data/b.tif", fa, 1, set_b, &info, "settings B text");
    r.orientation = 0;
    CHECK(save(st, &r) == LR_OK);

    /* All: four lines, ordered by source then page, the latest run of b.tif page 1. */
    char *raw = NULL;
    arr = export_lines(st, NULL, &n, &raw);
    CHECK(arr != NULL);
    if (!arr)
        goto out;
    CHECKF(n == 4 && json_array_size(arr) == 4, "%ld lines", n);
    const char *order[4] = {"/data/a-missing.tif", "/data/b.tif", "/data/b.tif", "/data/c.tif"};
    const int pages[4] = {0, 1, 2, 1};
    for (size_t i = 0; i < json_array_size(arr) && i < 4; i++) {
        json_t *o = json_array_get(arr, i);
        check_shape(o);
        CHECKF(!strcmp(str(o, "source"), order[i]), "line %zu: %s", i, str(o, "source"));
        CHECK(json_integer_value(json_object_get(o, "page")) == pages[i]);
    }
    /* UTF-8 as it is, not \u escapes. */
    CHECK(raw && strstr(raw, "파일 없음") != NULL && strstr(raw, "\\u") == NULL);

    json_t *o = find(arr, "/data/a-missing.tif", 0);
    CHECK(o && json_is_null(json_object_get(o, "sha256")));
    CHECK(o && !strcmp(str(o, "status"), "failed") && !strcmp(str(o, "error_code"), "io"));
    CHECK(o && !strcmp(str(o, "error"), "could not open \"/data/a-missing.tif\": 파일 없음"));
    CHECK(o && !strcmp(str(o, "scope"), "file"));
    CHECK(o && !strcmp(str(o, "batch"), "b1"));
    CHECK(o && json_is_null(json_object_get(o, "dpi")));

    o = find(arr, "/data/b.tif", 1);
    CHECK(o && !strcmp(str(o, "text"), "settings B text"));
    CHECK(o && !strcmp(str(o, "settings_hash"), set_b));
    CHECK(o && json_integer_value(json_object_get(o, "orientation")) == 0);
    CHECK(o && !strcmp(str(o, "batch"), "b2"));

    o = find(arr, "/data/b.tif", 2);
    CHECK(o && !strcmp(str(o, "text"), "둘째 쪽"));
    CHECK(o && !strcmp(str(o, "sha256"), fa));
    CHECK(o && json_integer_value(json_object_get(o, "orientation")) == 180);
    CHECK(o && json_real_value(json_object_get(o, "skew")) == -0.75);
    CHECK(o && json_real_value(json_object_get(o, "confidence")) == 85.0);
    CHECK(o && json_integer_value(json_object_get(o, "width")) == 2480);
    CHECK(o && json_is_true(json_object_get(o, "dpi_assumed")));
    CHECK(o && json_integer_value(json_array_get(json_object_get(o, "dpi"), 0)) == 300);
    CHECK(o && json_array_size(json_object_get(o, "warnings")) == 2);
    CHECK(o && !strcmp(json_string_value(json_array_get(json_object_get(o, "warnings"), 1)),
                       "palette expanded"));
    CHECK(o && json_array_size(json_object_get(o, "derivatives")) == 0);
    CHECK(o && !strcmp(str(o, "colour"), "grey"));
    CHECK(o && json_integer_value(json_object_get(o, "page_count")) == 2);

    o = find(arr, "/data/c.tif", 1);
    CHECK(o && !strcmp(str(o, "error"), "bad strip") && !strcmp(str(o, "sha256"), fc));
    run_check_export(raw);
    free(raw);
    json_decref(arr);

    /* Batch b1: its own run of b.tif page 1 (settings A), with the tricky text intact. */
    arr = export_lines(st, "b1", &n, &raw);
    CHECK(arr && n == 4);
    o = arr ? find(arr, "/data/b.tif", 1) : NULL;
    CHECK(o && !strcmp(str(o, "text"), text_a));
    CHECK(o && !strcmp(str(o, "settings_hash"), set_a));
    CHECK(o && !strcmp(str(o, "batch"), "b1"));
    json_t *d = o ? json_object_get(o, "derivatives") : NULL;
    CHECK(json_array_size(d) == 2);
    json_t *d0 = json_array_get(d, 0); /* ordered by kind: text, view */
    CHECK(d0 && !strcmp(str(d0, "kind"), "text") && !strcmp(str(d0, "path"), "out/b/p1.txt") &&
          !strcmp(str(d0, "sha256"), derivs[1].sha256));
    if (raw)
        run_check_export(raw);
    free(raw);
    json_decref(arr);

    /* Batch b2: only what it touched. Unknown batch: nothing. */
    arr = export_lines(st, "b2", &n, NULL);
    CHECK(arr && n == 1 && find(arr, "/data/b.tif", 1));
    json_decref(arr);
    arr = export_lines(st, "no such batch", &n, NULL);
    CHECK(arr && n == 0);
    json_decref(arr);

    /* A skipped page belongs to the batch that found it done. */
    CHECK(lr_store_invocation_begin(st, "b3", NULL, set_a, &inv3, &err) == LR_OK);
    bool done = false;
    CHECK(lr_store_claim_done(st, inv3, fa, 2, set_a, &done, &err) == LR_OK && done);
    arr = export_lines(st, "b3", &n, NULL);
    CHECK(arr && n == 1 && find(arr, "/data/b.tif", 2));
    json_decref(arr);

    /* The missing file appears and is read: its whole-file failure no longer shows. */
    r = done_page(inv3, "/data/a-missing.tif", fd, 1, set_a, &info, "now readable");
    CHECK(save(st, &r) == LR_OK);
    arr = export_lines(st, NULL, &n, NULL);
    CHECK(arr && n == 4);
    CHECK(arr && !find(arr, "/data/a-missing.tif", 0) && find(arr, "/data/a-missing.tif", 1));
    json_decref(arr);
    /* b1's own view still has the failure: the newer read was not b1's. */
    arr = export_lines(st, "b1", &n, NULL);
    CHECK(arr && find(arr, "/data/a-missing.tif", 0));
    json_decref(arr);

    /* A write error is reported, and the connection stays usable. */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        lr_error_clear(&err);
        CHECK(lr_store_export_pages(st, NULL, full, &n, &err) == LR_ERR_IO);
        fclose(full);
        CHECK(lrt_long(st, "SELECT 1") == 1);
    }
    CHECK(lr_store_export_pages(st, NULL, NULL, &n, &err) == LR_ERR_ARG);

out:
    lr_store_close(&st);
    lrt_db_drop(&db);
    return lr_test_finish("test_store_export");
}
