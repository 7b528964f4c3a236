/* The data-table loader: where it looks, the digest, what a records officer may change
 * (column order, extra columns, CRLF, a byte-order mark, new rows, the public CP949 法정동코드
 * file) and the errors that name the file and line. Works on copies under LR_TEST_TMP. */
#include "norm_test.h"

#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const files[] = {"eras.tsv",       "categories.tsv", "events.tsv",
                                    "area_units.tsv", "lookalikes.tsv", "legal_dong.tsv",
                                    "places.tsv",     "compose.tsv",    "gazetteer.tsv",
                                    "hanja_readings.tsv", "surnames.tsv", "owner_markers.tsv"};
#define NFILES (sizeof files / sizeof files[0])

static char *slurp(const char *path, size_t *out_n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *out_n = (size_t)n;
    }
    return buf;
}

static int serial; /* copies made, removed by remove_copies() */

static void remove_copies(void)
{
    for (int k = 0; k < serial; k++) {
        char dir[4096], path[4200];
        snprintf(dir, sizeof dir, "%s/norm-tables-%d-%d", lr_test_tmp_dir(), (int)getpid(), k);
        for (size_t i = 0; i < NFILES; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, files[i]);
            unlink(path);
        }
        rmdir(dir);
    }
}

/* A fresh copy of the committed tables; returns its directory (static). */
static const char *copy_tables(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/norm-tables-%d-%d", lr_test_tmp_dir(), (int)getpid(), serial++);
    mkdir(dir, 0755);
    for (size_t i = 0; i < NFILES; i++) {
        char src[4200], dst[4200];
        size_t n;
        snprintf(src, sizeof src, "%s/%s", nt_data_dir(), files[i]);
        snprintf(dst, sizeof dst, "%s/%s", dir, files[i]);
        char *data = slurp(src, &n);
        if (!data) {
            fprintf(stderr, "cannot read %s\n", src);
            exit(99);
        }
        lr_test_write_file(dst, data, n);
        free(data);
    }
    return dir;
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    lr_test_write_file(path, text, strlen(text));
}

static void append(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "ab");
    fputs(text, f);
    fclose(f);
}

/* Loads dir, expecting rc; the error's message must contain want when given. */
static lr_norm_tables *load_expect(const char *dir, int rc, const char *want, int line)
{
    lr_norm_tables *t = (lr_norm_tables *)1;
    lr_error err;
    lr_error_clear(&err);
    int got = lr_norm_tables_load(dir, &t, &err);
    CHECKF(got == rc && (!want || strstr(err.message, want)) && (rc == LR_OK) == (t != NULL),
           "line %d: rc %d [%s], want %d [%s]", line, got, err.message, rc, want ? want : "");
    return t;
}

static void where(void)
{
    setenv("LR_DATA_DIR", "/somewhere/else", 1);
    CHECK(strcmp(lr_norm_default_data_dir(), "/somewhere/else") == 0);
    setenv("LR_DATA_DIR", "", 1);
    const char *d = lr_norm_default_data_dir();
    CHECK(strlen(d) > 5 && strcmp(d + strlen(d) - 5, "/data") == 0);
    unsetenv("LR_DATA_DIR");
    CHECK(strcmp(lr_norm_default_data_dir(), d) == 0);
    /* NULL dir: the default, here through LR_DATA_DIR */
    setenv("LR_DATA_DIR", nt_data_dir(), 1);
    lr_norm_tables *t = load_expect(NULL, LR_OK, NULL, __LINE__);
    CHECK(strcmp(lr_norm_tables_dir(t), nt_data_dir()) == 0);
    const char *h = lr_norm_tables_digest(t);
    CHECK(strlen(h) == 64 && strspn(h, "0123456789abcdef") == 64);
    lr_norm_tables *t2 = load_expect(nt_data_dir(), LR_OK, NULL, __LINE__);
    CHECK(strcmp(lr_norm_tables_digest(t2), h) == 0);
    /* the digest follows the content */
    const char *copy = copy_tables();
    append(copy, "lookalikes.tsv", "# a comment changes the digest, not the behaviour\n");
    lr_norm_tables *t3 = load_expect(copy, LR_OK, NULL, __LINE__);
    CHECK(t3 && strcmp(lr_norm_tables_digest(t3), h) != 0);
    lr_norm_tables_destroy(&t);
    lr_norm_tables_destroy(&t2);
    lr_norm_tables_destroy(&t3);
    lr_norm_tables_destroy(&t3); /* twice is harmless */
    lr_norm_tables_destroy(NULL);
    CHECK(strcmp(lr_norm_tables_digest(NULL), "") == 0);
    load_expect("/nonexistent-landrec-data", LR_ERR_IO, "eras.tsv", __LINE__);
    CHECK(lr_norm_tables_load(nt_data_dir(), NULL, NULL) == LR_ERR_ARG);
}

static void edits(void)
{
    /* an era added by a records officer is read by the parser: hypotheses live in data */
    const char *dir = copy_tables();
    append(dir, "eras.tsv",
           "heisei\t平成,헤이세이\t1988\t1989-01-08\t2019-04-30\t31\t\t\tI\ttest\n");
    lr_norm_tables *t = load_expect(dir, LR_OK, NULL, __LINE__);
    lr_norm_date d;
    lr_norm_parse_date(t, S("平成3年3月1日"), NULL, &d, NULL);
    CHECK(d.note.status == LR_NORM_OK && strcmp(d.iso, "1991-03-01") == 0 &&
          strcmp(d.era, "heisei") == 0);
    lr_norm_tables_destroy(&t);

    /* columns in another order, an extra column, CRLF line ends and a byte-order mark */
    dir = copy_tables();
    put(dir, "area_units.tsv",
        "\xEF\xBB\xBFremark\tsystem\tof\tden\tnum\tnames\tunit\texact_mark\r\n"
        "# reordered\r\n"
        "x\ttsubo\tm2\t121\t400\t평\t坪\t\r\n"
        "x\ttsubo\t坪\t10\t1\t합\t合\tno\r\n");
    t = load_expect(dir, LR_OK, NULL, __LINE__);
    lr_norm_area a;
    lr_norm_parse_area(t, S("1坪5合"), NULL, &a, NULL);
    CHECK(a.note.status == LR_NORM_OK && a.num == 600 && a.den == 121);
    lr_norm_parse_area(t, S("1町"), NULL, &a, NULL);
    CHECK(a.note.status == LR_NORM_UNPARSEABLE);
    lr_norm_tables_destroy(&t);

    /* the public 법정동코드 file: CP949, no comment line */
    dir = copy_tables();
    const char *utf8 =
        "법정동코드\t법정동명\t폐지여부\r\n1111010100\t서울특별시 종로구 청운동\t존재\r\n"
        "1111010200\t서울특별시 종로구 신교동\t존재\r\n";
    char cp949[512];
    iconv_t cd = iconv_open("CP949", "UTF-8");
    CHECK(cd != (iconv_t)-1);
    char *in = (char *)utf8, *out = cp949;
    size_t inleft = strlen(utf8), outleft = sizeof cp949;
    CHECK(iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1);
    iconv_close(cd);
    char path[4200];
    snprintf(path, sizeof path, "%s/legal_dong.tsv", dir);
    lr_test_write_file(path, cp949, sizeof cp949 - outleft);
    t = load_expect(dir, LR_OK, NULL, __LINE__);
    lr_norm_dong dg;
    lr_norm_resolve_dong(t, S("종로구 신교동"), &dg, NULL);
    CHECK(dg.note.status == LR_NORM_OK && strcmp(dg.code, "1111010200") == 0 &&
          strcmp(dg.name, "서울특별시 종로구 신교동") == 0);
    lr_norm_tables_destroy(&t);
}

/* compose.tsv: a character read as its two parts, one above the other. */
static void compose(void)
{
    lr_norm_tables *t = load_expect(nt_data_dir(), LR_OK, NULL, __LINE__);
    char out[8] = "x";
    CHECK(lr_norm_compose_count(t) >= 3);
    CHECK(lr_norm_compose(t, "水", "田", out) && strcmp(out, "畓") == 0);
    CHECK(lr_norm_compose(t, "代", "土", out) && strcmp(out, "垈") == 0);
    CHECK(lr_norm_compose(t, " 人 ", "工", out) && strcmp(out, "仝") == 0); /* folded */
    CHECK(!lr_norm_compose(t, "田", "水", out) && out[0] == '\0');           /* order counts */
    CHECK(!lr_norm_compose(t, "水田", "田", out));                         /* one each */
    CHECK(!lr_norm_compose(t, "", "田", out) && !lr_norm_compose(t, NULL, "田", out));
    CHECK(!lr_norm_compose(NULL, "水", "田", out) && lr_norm_compose_count(NULL) == 0);
    lr_norm_tables_destroy(&t);
    /* a row a records officer adds is read */
    const char *dir = copy_tables();
    append(dir, "compose.tsv", "乭\t石\t乙\tI\t\n");
    t = load_expect(dir, LR_OK, NULL, __LINE__);
    CHECK(t && lr_norm_compose(t, "石", "乙", out) && strcmp(out, "乭") == 0);
    lr_norm_tables_destroy(&t);
}

static void errors(void)
{
    const char *dir = copy_tables();
    char path[4200];
    snprintf(path, sizeof path, "%s/events.tsv", dir);
    unlink(path);
    load_expect(dir, LR_ERR_IO, "events.tsv", __LINE__);

    dir = copy_tables();
    put(dir, "eras.tsv", "key\tnames\toffset\tstart\tend\tlast_year\tkorea_from\n");
    load_expect(dir, LR_ERR_FORMAT, "no column \"korea_to\"", __LINE__);

    dir = copy_tables();
    put(dir, "eras.tsv",
        "key\tnames\toffset\tstart\tend\tlast_year\tkorea_from\tkorea_to\n"
        "# c\nshowa\t昭和\t1925\t1926-12-25\t1989-02-30\t64\t\t\n");
    load_expect(dir, LR_ERR_FORMAT, "eras.tsv:3: bad end \"1989-02-30\"", __LINE__);

    dir = copy_tables();
    put(dir, "eras.tsv",
        "key\tnames\toffset\tstart\tend\tlast_year\tkorea_from\tkorea_to\n"
        "a\tA\t0\t1990-01-01\t1980-01-01\t\t\t\n");
    load_expect(dir, LR_ERR_FORMAT, "ends before it starts", __LINE__);

    dir = copy_tables();
    put(dir, "eras.tsv",
        "key\tnames\toffset\tstart\tend\tlast_year\tkorea_from\tkorea_to\n"
        "a\tA\tx\t\t\t\t\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad offset", __LINE__);

    dir = copy_tables();
    append(dir, "events.tsv", "sale\towner\t\t賣\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad token \"sale\"", __LINE__);

    dir = copy_tables();
    append(dir, "events.tsv", "transfer\tboth\t\t賣\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad side", __LINE__);

    dir = copy_tables();
    append(dir, "events.tsv", "transfer\towner\t3-1\t賣\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad codes", __LINE__);

    dir = copy_tables();
    append(dir, "categories.tsv", "1\t전\t田\t전\t\t\t\t\tV\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad code \"1\"", __LINE__);

    dir = copy_tables();
    put(dir, "area_units.tsv",
        "unit\tnames\tnum\tden\tof\tsystem\texact_mark\n"
        "坪\t\t1\t1\t合\ttsubo\t\n合\t\t10\t1\t坪\ttsubo\t\n");
    load_expect(dir, LR_ERR_FORMAT, "cycle", __LINE__);

    dir = copy_tables();
    put(dir, "area_units.tsv",
        "unit\tnames\tnum\tden\tof\tsystem\texact_mark\n"
        "坪\t\t1\t0\tm2\ttsubo\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad den", __LINE__);

    dir = copy_tables();
    put(dir, "area_units.tsv",
        "unit\tnames\tnum\tden\tof\tsystem\texact_mark\n"
        "坪\t\t1\t1\tm2\tshaku\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad system", __LINE__);

    dir = copy_tables();
    append(dir, "lookalikes.tsv", "土士\t十\tnumeral\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad seen", __LINE__);

    dir = copy_tables();
    append(dir, "lookalikes.tsv", "土\t十\tnumerals\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad where", __LINE__);

    dir = copy_tables();
    append(dir, "legal_dong.tsv", "111101010\t서울특별시 종로구 청운동\t존재\n");
    load_expect(dir, LR_ERR_FORMAT, "bad 법정동코드", __LINE__);

    dir = copy_tables();
    append(dir, "legal_dong.tsv", "1111010100\t서울특별시 종로구 청운동\t있음\n");
    load_expect(dir, LR_ERR_FORMAT, "bad 폐지여부", __LINE__);

    dir = copy_tables();
    append(dir, "places.tsv", "京畿道\t府\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad suffix", __LINE__);

    dir = copy_tables();
    append(dir, "places.tsv", "道\t道\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad suffix", __LINE__);

    dir = copy_tables();
    append(dir, "places.tsv", "\t道\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad name", __LINE__);

    dir = copy_tables();
    append(dir, "places.tsv", "楊州郡\t郡\tI\t\t京畿 道\n");
    load_expect(dir, LR_ERR_FORMAT, "bad within", __LINE__);

    dir = copy_tables();
    append(dir, "places.tsv", "楊州郡\t郡\tI\t\t京畿省\n");
    load_expect(dir, LR_ERR_FORMAT, "which is no unit of the table", __LINE__);

    dir = copy_tables();
    append(dir, "compose.tsv", "畓田\t水\t田\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "compose.tsv:6: bad char", __LINE__);

    dir = copy_tables();
    append(dir, "compose.tsv", "沓\t水\t田\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad above and below", __LINE__);

    dir = copy_tables();
    append(dir, "compose.tsv", "乭\t石\t\tI\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad below", __LINE__);

    /* surnames.tsv: both scripts, a syllable for each Hanja; owner_markers.tsv: whole or part */
    dir = copy_tables();
    append(dir, "surnames.tsv", "南宮\t남\tW\n");
    load_expect(dir, LR_ERR_FORMAT, "bad hangul", __LINE__);

    dir = copy_tables();
    append(dir, "surnames.tsv", "\t김\tW\n");
    load_expect(dir, LR_ERR_FORMAT, "bad hanja", __LINE__);

    dir = copy_tables();
    append(dir, "surnames.tsv", "김\t김\tW\n");
    load_expect(dir, LR_ERR_FORMAT, "bad hanja", __LINE__);

    dir = copy_tables();
    put(dir, "surnames.tsv", "hanja\thangul\n");
    load_expect(dir, LR_ERR_FORMAT, "no rows", __LINE__);

    dir = copy_tables();
    append(dir, "owner_markers.tsv", "組合\tsome\t\n");
    load_expect(dir, LR_ERR_FORMAT, "bad match", __LINE__);

    dir = copy_tables();
    put(dir, "categories.tsv", "# only a comment\n");
    load_expect(dir, LR_ERR_FORMAT, "no header line", __LINE__);

    dir = copy_tables();
    put(dir, "categories.tsv", "code\tmodern\thanja\thangul\tabbrev\tvariants\tfrom\tto\n");
    load_expect(dir, LR_ERR_FORMAT, "no rows", __LINE__);

    dir = copy_tables();
    put(dir, "events.tsv", "token\tside\tcodes\tforms\nsplit\tland\t\t\xFF\n");
    load_expect(dir, LR_ERR_FORMAT, "not UTF-8", __LINE__);
}

int main(void)
{
    where();
    edits();
    compose();
    errors();
    remove_copies();
    return lr_test_finish("normalize-tables");
}
