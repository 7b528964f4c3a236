/* bench_store_copy.c — how fast lr_store_save_page loads pages: 200 done pages of 300 words
 * each (one transaction and two COPYs per page) into a fresh database. Prints pages/s and
 * words/s. Arguments: [pages] [words per page]. A meson benchmark, not a test. */
#include <time.h>

#include "store_test.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int npages = argc > 1 ? atoi(argv[1]) : 200;
    int nwords = argc > 2 ? atoi(argv[2]) : 300;
    lrt_db db;
    int rc = lrt_db_create("bench", &db);
    if (rc)
        return rc;
    lr_store *st = lrt_store_open(&db, true);
    lr_word *words = calloc((size_t)nwords, sizeof *words);
    char (*texts)[32] = calloc((size_t)nwords, sizeof *texts);
    rc = 1;
    if (!st || !words || !texts)
        goto out;
    for (int i = 0; i < nwords; i++) {
        /* Hangul and Hanja: 3-byte UTF-8, like the real ledgers. */
        snprintf(texts[i], sizeof texts[i], "%s%d", i % 2 ? "토지" : "臺帳", i);
        words[i] = (lr_word){.text = texts[i], .x0 = i, .y0 = i, .x1 = i + 40, .y1 = i + 20,
                             .conf = 87.5f, .block = i / 100, .par = i / 20, .line = i / 10};
    }
    char set[LR_SHA256_HEX_LEN + 1], sha[LR_SHA256_HEX_LEN + 1];
    lrt_hash("bench settings", set);
    lr_error err;
    lr_error_clear(&err);
    int64_t inv = 0;
    if (lr_store_register_settings(st, set, "{}", &err) < 0 ||
        lr_store_invocation_begin(st, "bench", NULL, set, &inv, &err) < 0)
        goto out;
    lr_page_info info;
    lrt_info(&info, 1);
    lr_derivative d[4] = {{.kind = "view", .path = "v", .bytes = 1},
                          {.kind = "binary", .path = "b", .bytes = 1},
                          {.kind = "hocr", .path = "h", .bytes = 1},
                          {.kind = "text", .path = "t", .bytes = 1}};
    lrt_hash("bench file", sha);
    double t0 = now_s();
    for (int p = 1; p <= npages; p++) {
        lr_page_record rec = {.invocation_id = inv, .source_path = "bench.tif", .sha256 = sha,
                              .file_size = 1, .page = p, .page_count = npages,
                              .settings_hash = set, .info = &info, .mean_conf = 87.5f,
                              .text = "토지대장", .words = words, .nwords = (size_t)nwords,
                              .derivatives = d, .nderivatives = 4};
        if (lr_store_save_page(st, &rec, NULL, &err) < 0) {
            fprintf(stderr, "save_page: %s: %s\n", err.message, err.detail);
            goto out;
        }
    }
    double dt = now_s() - t0;
    long loaded = lrt_long(st, "SELECT count(*) FROM word");
    printf("store COPY: %d pages x %d words in %.3f s: %.0f pages/s, %.0f words/s (%ld words "
           "in the table)\n",
           npages, nwords, dt, npages / dt, (double)npages * nwords / dt, loaded);
    /* Again: every page is already done, so this measures the skip path. */
    t0 = now_s();
    for (int p = 1; p <= npages; p++) {
        bool done = false;
        if (lr_store_claim_done(st, inv, sha, p, set, &done, &err) < 0 || !done)
            goto out;
    }
    dt = now_s() - t0;
    printf("store claim_done: %d pages in %.3f s: %.0f pages/s\n", npages, dt, npages / dt);
    rc = loaded == (long)npages * nwords ? 0 : 1;
out:
    free(words);
    free(texts);
    lr_store_close(&st);
    lrt_db_drop(&db);
    return rc;
}
