/* test_store_paths.c — paths that are not UTF-8 (utf8.h, docs/schema.md "Paths"): the
 * display form and its inverse, scrubbed messages; then, with a server, pages whose source
 * and derivative paths are not UTF-8 stored with their bytes, failures keyed by such paths
 * kept apart from the literal text of their display form, messages with stray bytes, and the
 * export's keys. */
#include <jansson.h>

#include "landrec/utf8.h"
#include "store_test.h"

static void shows(const char *path, const char *want)
{
    char *got = lr_utf8_path_display(path);
    CHECKF(got && strcmp(got, want) == 0, "display = \"%s\", want \"%s\"", got ? got : "(null)",
           want);
    CHECK(got && lr_utf8_valid(got, strlen(got)));
    char *back = got ? lr_utf8_path_raw(got) : NULL;
    CHECKF(back && strcmp(back, path) == 0, "raw(display) of \"%s\" is \"%s\"", want,
           back ? back : "(null)");
    free(back);
    free(got);
}

static void scrubs(const char *s, size_t size, const char *want)
{
    char buf[256];
    size_t n = lr_utf8_scrub(s, buf, size);
    CHECKF(strcmp(buf, want) == 0 && n == strlen(want), "scrub = \"%s\", want \"%s\"", buf, want);
}

static void test_utf8(void)
{
    CHECK(lr_utf8_valid("", 0));
    CHECK(lr_utf8_valid("abc", 3));
    CHECK(lr_utf8_valid("토지臺帳", strlen("토지臺帳")));
    CHECK(lr_utf8_valid("\xf0\x9f\x98\x80", 4)); /* U+1F600 */
    CHECK(lr_utf8_valid("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF */
    CHECK(!lr_utf8_valid("\xff", 1));
    CHECK(!lr_utf8_valid("\x80", 1));             /* a lone continuation byte */
    CHECK(!lr_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    CHECK(!lr_utf8_valid("\xe0\x80\xaf", 3));     /* overlong */
    CHECK(!lr_utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
    CHECK(!lr_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
    CHECK(!lr_utf8_valid("\xe5\x9c", 2));         /* cut short */
    CHECK(!lr_utf8_valid("a\0b", 3));
    CHECK(!lr_utf8_valid("\xc5\xe4\xc1\xf6", 4)); /* 토지 in EUC-KR */

    shows("a.tif", "a.tif");
    shows("/scans/토지대장/1.tif", "/scans/토지대장/1.tif");
    shows("b\xff\xfe.tif", "b\\xff\\xfe.tif");
    shows("\xc5\xe4\xc1\xf6.tif", "\\xc5\\xe4\\xc1\\xf6.tif");
    shows("a\\b", "a\\\\b");
    shows("e\\xff.tif", "e\\\\xff.tif");
    shows("tab\there\nnl\x1b[31m\x7f", "tab\\x09here\\x0anl\\x1b[31m\\x7f");
    shows("\xed\xa0\x80", "\\xed\\xa0\\x80");
    shows("cut\xe5\x9c", "cut\\xe5\\x9c");
    shows("\xe5\x9c\x9f\xe5", "\xe5\x9c\x9f\\xe5"); /* 土 then a stray lead byte */
    shows("\xc2\x80", "\xc2\x80");                  /* U+0080 is valid, shown as it is */
    shows("", "");

    /* Injective: a raw name and the literal text of its display form differ. */
    char *a = lr_utf8_path_display("e\xff.tif"), *b = lr_utf8_path_display("e\\xff.tif");
    CHECK(a && b && strcmp(a, b) != 0);
    free(a);
    free(b);
    /* Text that was never escaped decodes to itself. */
    char *r = lr_utf8_path_raw("C:\\temp\\x0g\\x00");
    CHECK(r && strcmp(r, "C:\\temp\\x0g\\x00") == 0);
    free(r);
    r = lr_utf8_path_raw("\\xFF\\x41");
    CHECK(r && strcmp(r, "\xff\x41") == 0);
    free(r);
    CHECK(lr_utf8_path_display(NULL) == NULL && lr_utf8_path_raw(NULL) == NULL);

    /* Every byte string (without NUL) comes back from its display form. */
    unsigned seed = 7;
    for (int round = 0; round < 5000; round++) {
        char s[64];
        size_t n = (size_t)(rand_r(&seed) % 63);
        for (size_t i = 0; i < n; i++) {
            int k = rand_r(&seed) % 5;
            s[i] = k == 0   ? '\\'
                   : k == 1 ? 'x'
                   : k == 2 ? "0f"[rand_r(&seed) % 2]
                            : (char)(1 + rand_r(&seed) % 255);
        }
        s[n] = '\0';
        char *d = lr_utf8_path_display(s);
        char *back = d ? lr_utf8_path_raw(d) : NULL;
        CHECKF(d && lr_utf8_valid(d, strlen(d)) && back && strcmp(back, s) == 0,
               "round %d does not come back", round);
        free(d);
        free(back);
    }

    scrubs("plain \\ text", 256, "plain \\ text");
    scrubs("b\xff.tif", 256, "b\\xff.tif");
    scrubs("\xff", 4, ""); /* "\xff" needs 4 bytes and the NUL */
    scrubs("\xff", 5, "\\xff");
    scrubs("토", 3, ""); /* a character is never cut */
    scrubs("토", 4, "토");
    scrubs(NULL, 8, "");
    char *dup = lr_utf8_scrub_dup("a\xfe");
    CHECK(dup && strcmp(dup, "a\\xfe") == 0);
    free(dup);
}

static char set_a[LR_SHA256_HEX_LEN + 1], file1[LR_SHA256_HEX_LEN + 1];

static int save(lr_store *st, const lr_page_record *rec)
{
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_store_save_page(st, rec, NULL, &err);
    if (rc != LR_OK)
        fprintf(stderr, "save_page p%d: %s: %s\n", rec->page, err.message, err.detail);
    return rc;
}

static void test_store(lr_store *st)
{
    lr_error err;
    lrt_hash("settings a", set_a);
    lrt_hash("file 1", file1);
    CHECK(lr_store_register_settings(st, set_a, NULL, &err) == LR_OK);
    char buf[512];

    /* A done page of a file whose name is not UTF-8, derivatives under a directory whose name
     * is not UTF-8 either. */
    lr_page_info info;
    lrt_info(&info, 1);
    snprintf(info.warning, sizeof info.warning, "libtiff: b\xff\xfe.tif: odd tag");
    lr_derivative d = {.kind = "view", .path = "out\xfe/p0001.view.jpg", .bytes = 10};
    lrt_hash("view", d.sha256);
    lr_page_record rec = {.source_path = "in/b\xff\xfe.tif",
                          .sha256 = file1,
                          .file_size = 10,
                          .page = 1,
                          .page_count = 1,
                          .settings_hash = set_a,
                          .info = &info,
                          .text = "",
                          .derivatives = &d,
                          .nderivatives = 1};
    CHECK(save(st, &rec) == LR_OK);
    CHECK(strcmp(lrt_text(st, "SELECT source_path FROM page_run", buf, sizeof buf),
                 "in/b\\xff\\xfe.tif") == 0);
    CHECK(
        strcmp(lrt_text(st, "SELECT encode(source_path_raw, 'hex') FROM page_run", buf, sizeof buf),
               "696e2f62fffe2e746966") == 0);
    CHECK(strcmp(lrt_text(st,
                          "SELECT first_path || ' ' || encode(first_path_raw, 'hex')"
                          " FROM source_file",
                          buf, sizeof buf),
                 "in/b\\xff\\xfe.tif 696e2f62fffe2e746966") == 0);
    CHECK(strcmp(lrt_text(st, "SELECT path || ' ' || encode(path_raw, 'escape') FROM derivative",
                          buf, sizeof buf),
                 "out\\xfe/p0001.view.jpg out\\376/p0001.view.jpg") == 0);
    CHECK(strcmp(lrt_text(st, "SELECT warnings FROM page_run", buf, sizeof buf),
                 "libtiff: b\\xff\\xfe.tif: odd tag") == 0);

    /* Unreadable files are keyed by path: the raw name and the literal text of its display
     * form are two runs; the error, quoting the name, is stored scrubbed. */
    lr_page_record f1 = {.source_path = "in/e\xff.tif",
                         .page = 0,
                         .settings_hash = set_a,
                         .failed = true,
                         .error_code = "io",
                         .error = "could not open \"in/e\xff.tif\""};
    lr_page_record f2 = f1;
    f2.source_path = "in/e\\xff.tif";
    f2.error = "could not open \"in/e\\xff.tif\"";
    CHECK(save(st, &f1) == LR_OK);
    CHECK(save(st, &f2) == LR_OK);
    CHECK(save(st, &f1) == LR_OK);
    CHECK(lrt_long(st, "SELECT count(*) FROM page_run WHERE sha256 IS NULL") == 2);
    CHECK(
        lrt_long(st,
                 "SELECT attempts FROM page_run WHERE source_path_raw = '\\x696e2f65ff2e746966'") ==
        2);
    CHECK(lrt_long(st, "SELECT attempts FROM page_run WHERE source_path = 'in/e\\\\xff.tif'") == 1);
    CHECK(
        lrt_long(
            st,
            "SELECT count(*) FROM page_failure WHERE source_path_raw = '\\x696e2f65ff2e746966'"
            " AND source_path = 'in/e\\xff.tif' AND error = 'could not open \"in/e\\xff.tif\"'") ==
        2);

    /* The export: display forms in source and path, the bytes in hex when they differ. */
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    long n = 0;
    CHECK(m && lr_store_export_pages(st, NULL, m, &n, &err) == LR_OK);
    if (m)
        fclose(m);
    CHECK(n == 3);
    int seen = 0;
    for (char *line = out ? strtok(out, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        json_t *o = json_loads(line, 0, NULL);
        CHECK(o != NULL);
        const char *src = json_string_value(json_object_get(o, "source"));
        json_t *raw = json_object_get(o, "source_raw");
        if (src && !strcmp(src, "in/b\\xff\\xfe.tif")) {
            CHECK(json_is_string(raw) && !strcmp(json_string_value(raw), "696e2f62fffe2e746966"));
            json_t *dv = json_array_get(json_object_get(o, "derivatives"), 0);
            CHECK(
                !strcmp(json_string_value(json_object_get(dv, "path")), "out\\xfe/p0001.view.jpg"));
            CHECK(!strcmp(json_string_value(json_object_get(dv, "path_raw")),
                          "6f7574fe2f70303030312e766965772e6a7067"));
            seen++;
        } else if (src && !strcmp(src, "in/e\\\\xff.tif")) {
            /* A UTF-8 name whose display form is not itself (the backslash doubled). */
            CHECK(json_is_string(raw) &&
                  !strcmp(json_string_value(raw), "696e2f655c7866662e746966"));
            seen++;
        } else if (src && !strcmp(src, "in/e\\xff.tif")) {
            CHECK(json_is_string(raw) && !strcmp(json_string_value(raw), "696e2f65ff2e746966"));
            seen++;
        }
        json_decref(o);
    }
    CHECK(seen == 3);
    free(out);
}

int main(void)
{
    test_utf8();

    lrt_db db;
    int rc = lrt_db_create("paths", &db);
    if (rc != 0)
        return rc == 77 && lr_test_failed == 0 ? 77 : 1;
    lr_store *st = lrt_store_open(&db, true);
    CHECK(st != NULL);
    if (st)
        test_store(st);
    lr_store_close(&st);
    lrt_db_drop(&db);
    return lr_test_finish("test_store_paths");
}
