/* test_tsv.c — lr_tsv, the one reader of the data tables: columns found by name, comments,
 * byte-order mark, CRLF and spaces passed over, the line of each row, CP949 where allowed,
 * and messages that name the file and the line. */
#include "landrec/tsv.h"
#include "lr_test.h"

static char path[1024];

/* Writes text (n bytes) to the scratch file; its path is path. */
static void write_table(const char *name, const char *text, size_t n)
{
    snprintf(path, sizeof path, "%s/base-tsv-%s.tsv", lr_test_tmp_dir(), name);
    lr_test_write_file(path, text, n);
}

typedef struct seen {
    char text[1024];
    int rows;
} seen;

/* Each row as "LINE:a|b;" */
static int collect(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    seen *s = ctx;
    size_t k = strlen(s->text);
    snprintf(s->text + k, sizeof s->text - k, "%d:%s|%s;", r->line, lr_tsv_cell(r, 0),
             lr_tsv_cell(r, 1));
    s->rows++;
    return LR_OK;
}

static const char *const ab[] = {"a", "b"};

/* Reads the scratch file with columns a and b; the rows into s, the status returned. */
static int read_ab(const lr_tsv_options *opts, seen *s, lr_error *err)
{
    lr_tsv t;
    memset(s, 0, sizeof *s);
    lr_error_clear(err);
    int rc = lr_tsv_load(path, opts, &t, err);
    if (rc == LR_OK)
        rc = lr_tsv_each_row(&t, ab, 2, collect, s, err);
    lr_tsv_free(&t);
    return rc;
}

static void rows(void)
{
    /* A byte-order mark, comments before the header, columns in another order with a note
     * column, CRLF, spaces around fields, a blank line, a short row, no final newline. */
    const char text[] = "\xEF\xBB\xBF# about\n"
                        "note\tb\ta\r\n"
                        "# a comment\n"
                        "n1\t 2 \t 1\r\n"
                        "\n"
                        "n2\t\t地番\n"
                        "n3";
    write_table("rows", text, sizeof text - 1);
    seen s;
    lr_error err;
    CHECK(read_ab(NULL, &s, &err) == LR_OK);
    CHECKF(strcmp(s.text, "4:1|2;6:地番|;7:|;") == 0, "%s", s.text);
}

static void headers(void)
{
    seen s;
    lr_error err;
    char want[1200];
    write_table("nocol", "a\tc\n1\t2\n", 8);
    CHECK(read_ab(NULL, &s, &err) == LR_ERR_FORMAT);
    snprintf(want, sizeof want, "%s:1: no column \"b\" in the header", path);
    CHECKF(strcmp(err.message, want) == 0, "%s", err.message);

    write_table("noheader", "# only\n\n", 8);
    CHECK(read_ab(NULL, &s, &err) == LR_ERR_FORMAT);
    snprintf(want, sizeof want, "%s: no header line", path);
    CHECKF(strcmp(err.message, want) == 0, "%s", err.message);

    char wide[64] = "a\tb\n";
    for (int i = 0; i < LR_TSV_MAX_COLS; i++)
        strcat(wide, "x\t");
    strcat(wide, "x\n");
    write_table("wide", wide, strlen(wide));
    CHECK(read_ab(NULL, &s, &err) == LR_ERR_FORMAT && s.rows == 0);
    snprintf(want, sizeof want, "%s:2: more than %d columns", path, LR_TSV_MAX_COLS);
    CHECKF(strcmp(err.message, want) == 0, "%s", err.message);
}

/* A row function's failure stops the reading; lr_tsv_bad names the file and the line. */
static int refuse_second(void *ctx, const lr_tsv_row *r, lr_error *err)
{
    int *n = ctx;
    return ++*n == 2 ? lr_tsv_bad(r, "a", lr_tsv_cell(r, 0), err) : LR_OK;
}

static void row_failure(void)
{
    write_table("bad", "a\tb\n1\t2\n3\t4\n5\t6\n", 16);
    lr_tsv t;
    lr_error err;
    int n = 0;
    CHECK(lr_tsv_load(path, NULL, &t, &err) == LR_OK);
    CHECK(lr_tsv_each_row(&t, ab, 2, refuse_second, &n, &err) == LR_ERR_FORMAT && n == 2);
    char want[1200];
    snprintf(want, sizeof want, "%s:3: bad a \"3\"", path);
    CHECKF(strcmp(err.message, want) == 0, "%s", err.message);
    lr_tsv_free(&t);
}

static void encodings(void)
{
    seen s;
    lr_error err;
    /* 서울 in CP949 */
    const char cp949[] = "a\tb\n\xBC\xAD\xBF\xEF\tx\n";
    write_table("cp949", cp949, sizeof cp949 - 1);
    CHECK(read_ab(NULL, &s, &err) == LR_ERR_FORMAT && strstr(err.message, "is not UTF-8 text"));
    lr_tsv_options opts = {true, NULL};
    CHECK(read_ab(&opts, &s, &err) == LR_OK);
    CHECKF(strcmp(s.text, "2:서울|x;") == 0, "%s", s.text);
    /* A NUL is no text in either encoding. */
    write_table("nul", "a\tb\n1\0\t2\n", 9);
    CHECK(read_ab(&opts, &s, &err) == LR_ERR_FORMAT);
}

static void missing(void)
{
    seen s;
    lr_error err;
    snprintf(path, sizeof path, "%s/base-tsv-there-is-no-such.tsv", lr_test_tmp_dir());
    lr_tsv_options opts = {false, "set THE_DIR"};
    CHECK(read_ab(&opts, &s, &err) == LR_ERR_IO);
    CHECK(strncmp(err.message, "cannot open ", 12) == 0 && strcmp(err.hint, "set THE_DIR") == 0);
    CHECK(read_ab(NULL, &s, &err) == LR_ERR_IO && err.hint[0] == '\0');
}

int main(void)
{
    rows();
    headers();
    row_failure();
    encodings();
    missing();
    return lr_test_finish("base-tsv");
}
