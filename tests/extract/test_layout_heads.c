/* test_layout_heads.c — a history table whose one column head the OCR misread (氏名 read as
 * 조호) keeps its column, and a table without a title read is typed by its areas' units: the
 * one head the table lacks goes to its one unlabelled header cell (src/layout/headers.c,
 * layout_infer_missing_heads), a date head misread is the cell left of the event head
 * (layout_infer_date_heads), a head read with noise beside it is a head in a history table's
 * head row (layout_mark_noisy_heads), a sheet's lot head misread is inferred after its location's
 * value (layout_infer_lot_head); and only cells that may be misread labels are read again
 * (not a lot, not a head no field is read from). Drawn tables and hand-placed words, no OCR. */
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

#include "../lr_test.h"
#include "landrec/layout.h"

#define NCOLS 6
#define NROWS 4

/* A ruled table of NROWS rows and the columns at xs (ncols + 1 edges), and a word at the
 * middle of each cell whose text is given (NULL: an empty cell). */
static void analyze(const int *xs, int ncols, const char *const (*text)[NCOLS], lr_layout *out)
{
    const int ys[NROWS + 1] = {100, 200, 320, 440, 560};
    PIX *pix = pixCreate(2600, 700, 1);
    for (int c = 0; c <= ncols; c++)
        pixRenderLine(pix, xs[c], ys[0], xs[c], ys[NROWS], 4, L_SET_PIXELS);
    for (int r = 0; r <= NROWS; r++)
        pixRenderLine(pix, xs[0], ys[r], xs[ncols], ys[r], 4, L_SET_PIXELS);
    lr_word words[NROWS * NCOLS];
    size_t n = 0;
    for (int r = 0; r < NROWS; r++)
        for (int c = 0; c < ncols; c++) {
            if (!text[r][c])
                continue;
            int cx = (xs[c] + xs[c + 1]) / 2, cy = (ys[r] + ys[r + 1]) / 2;
            /* A little ink where the word is, as the page would have. */
            pixRenderLine(pix, cx - 30, cy, cx + 30, cy, 6, L_SET_PIXELS);
            words[n] = (lr_word){(char *)text[r][c], cx - 40, cy - 20, cx + 40, cy + 20, 95.0f,
                                 (int)n, 0, 0};
            n++;
        }
    lr_error err;
    CHECKF(lr_layout_analyze(pix, 300, words, n, NULL, NULL, LR_DOC_AUTO, NULL, out, &err) ==
               LR_OK,
           "%s", err.message);
    pixDestroy(&pix);
}

/* The field and section of the cell holding the point (x, y). */
static const lr_cell *cell_at(const lr_layout *l, int x, int y)
{
    for (size_t i = 0; i < l->ncells; i++)
        if (x >= l->cells[i].x0 && x < l->cells[i].x1 && y >= l->cells[i].y0 &&
            y < l->cells[i].y1)
            return &l->cells[i];
    return NULL;
}

static void check_column(const lr_layout *l, int x, lr_field_kind want, lr_section sec,
                         const char *what)
{
    for (int y = 260; y < 560; y += 120) {
        const lr_cell *c = cell_at(l, x, y);
        CHECKF(c && c->field == want && (want == LR_FIELD_NONE || c->section == sec),
               "%s: cell at (%d, %d) is %s, want %s", what, x, y,
               c ? lr_field_kind_name(c->field) : "none", lr_field_kind_name(want));
    }
}

/* An owner table of three rows, the heads of 年月日, 住所 and 氏名 as given (read or not). */
static void owner_table(const char *t[NROWS][NCOLS], const char *date, const char *address,
                        const char *name)
{
    static const char *const rows[NROWS][NCOLS] = {
        {NULL, "事故", NULL, NULL},
        {"大正六年二月二十六日", "査定", "京城府 黃金町", "崔學明"},
        {"大正七年四月十三日", "住所變更", "京城府 長谷川町", "崔學明"},
        {"昭和二年五月二十六日", "所有權移轉", "京城府 太平通", "林洙在"},
    };
    memcpy(t, rows, sizeof rows);
    t[0][0] = date;
    t[0][2] = address;
    t[0][3] = name;
}

/* A colonial land table of three rows, the heads of 地目 and 等級 as given (read or not). */
static void land_table(const char *t[NROWS][NCOLS], const char *category, const char *grade)
{
    static const char *const rows[NROWS][NCOLS] = {
        {"年月日", "事故", NULL, "地積", NULL, "賃貸價格"},
        {"大正六年二月二十六日", "査定", "田", "百八十四坪", "三十七", "四圓"},
        {"大正九年一月二十七日", "地目變更", "垈", "百七十九坪", "五", "十一圓"},
        {"昭和二年五月十日", "分筆", "垈", "三百十三坪", "五", "二十圓"},
    };
    memcpy(t, rows, sizeof rows);
    t[0][2] = category;
    t[0][4] = grade;
}

/* The x of each cell the layout asked to read again for its label. */
typedef struct asked {
    int x[8];
    int n;
} asked;

static int record_read(void *ctx, int x0, int y0, int x1, int y1, char *buf, size_t size,
                       lr_error *err)
{
    (void)y0, (void)x1, (void)y1, (void)err;
    asked *a = ctx;
    if (a->n < 8)
        a->x[a->n++] = x0;
    buf[0] = '\0';
    (void)size;
    return LR_OK;
}

/* The layout of one ruled row of four cells between the x edges xs (rows 100 to 250), a word
 * at the middle of each cell whose text is given; reader: NULL, or what reads cells again. */
static void one_row(const int *xs, const char *const *text, const lr_layout_reader *reader,
                    lr_layout *out)
{
    PIX *pix = pixCreate(xs[4] + 200, 400, 1);
    for (int c = 0; c < 5; c++)
        pixRenderLine(pix, xs[c], 100, xs[c], 250, 4, L_SET_PIXELS);
    pixRenderLine(pix, xs[0], 100, xs[4], 100, 4, L_SET_PIXELS);
    pixRenderLine(pix, xs[0], 250, xs[4], 250, 4, L_SET_PIXELS);
    lr_word words[4];
    for (int c = 0; c < 4; c++) {
        int cx = (xs[c] + xs[c + 1]) / 2;
        pixRenderLine(pix, cx - 30, 175, cx + 30, 175, 6, L_SET_PIXELS);
        words[c] = (lr_word){(char *)text[c], cx - 40, 155, cx + 40, 195, 95.0f, c, 0, 0};
    }
    lr_error err;
    CHECKF(lr_layout_analyze(pix, 300, words, 4, NULL, NULL, LR_DOC_AUTO, reader, out, &err) ==
               LR_OK,
           "%s", err.message);
    pixDestroy(&pix);
}

/* A header row 地番 | 二 四 八 | 備考 | 地 日 (地目 misread): only the misread head is read again
 * for its label, not the lot written in Hanja numerals nor a head no field is read from. */
static void label_rereads(void)
{
    const int xs[] = {100, 400, 800, 1100, 1500};
    const char *text[] = {"地番", "二 四 八", "備考", "地 日"};
    asked a = {.n = 0};
    lr_layout_reader reader = {record_read, &a};
    lr_layout l;
    one_row(xs, text, &reader, &l);
    CHECKF(a.n == 1 && a.x[0] > xs[3] && a.x[0] < xs[4], "%d cells read again, the first at x %d",
           a.n, a.n ? a.x[0] : -1);
    lr_layout_clear(&l);
}

/* A sheet's head row 所在 | location | 地番 | lot, with 地番 as given (read or not): the
 * field of the cell at the lot's place. */
static lr_field_kind lot_place(const char *lot_head)
{
    const int xs[] = {100, 300, 1300, 1480, 2100};
    const char *text[] = {"所在", "京畿道 高陽郡 漢芝面 往十里", lot_head, "八七七ノ六"};
    lr_layout l;
    one_row(xs, text, NULL, &l);
    const lr_cell *c = cell_at(&l, 1800, 175);
    lr_field_kind f = c ? c->field : LR_FIELD_NONE;
    lr_layout_clear(&l);
    return f;
}

int main(void)
{
    label_rereads();
    /* 地番 read, misread (as 8), or blank: the cell after it is the lot all the same. */
    CHECK(lot_place("地番") == LR_FIELD_LOT);
    CHECKF(lot_place("8") == LR_FIELD_LOT, "the lot's head read 8");
    CHECK(lot_place("") == LR_FIELD_LOT);

    /* An owner table, 氏名 misread: the cell right of 住所 is the name column. */
    const int xs4[] = {100, 500, 900, 1500, 1900};
    const char *owner[NROWS][NCOLS];
    owner_table(owner, "年月日", "住所", "조호");
    lr_layout l;
    analyze(xs4, 4, (const char *const(*)[NCOLS])owner, &l);
    check_column(&l, 1700, LR_FIELD_NAME, LR_SECTION_OWNER, "owner, 氏名 misread");
    check_column(&l, 1200, LR_FIELD_ADDRESS, LR_SECTION_OWNER, "owner, 住所");
    CHECK(l.nowner_rows == 3);
    lr_layout_clear(&l);

    /* 年月日 misread as well: the cell left of 事故 is the date head (住所 makes it the
     * owners' table), and 氏名 follows from it. Without 住所 read, nothing says which table
     * it is: no date head is taken, no owner rows. */
    const char *owner_undated[NROWS][NCOLS];
    owner_table(owner_undated, "쑤 겨", "住所", "조호");
    analyze(xs4, 4, (const char *const(*)[NCOLS])owner_undated, &l);
    check_column(&l, 300, LR_FIELD_DATE, LR_SECTION_OWNER, "owner, 年月日 and 氏名 misread");
    check_column(&l, 1700, LR_FIELD_NAME, LR_SECTION_OWNER, "owner, 年月日 and 氏名 misread");
    CHECK(l.nowner_rows == 3);
    /* a table found so is said to be: its fields go to review */
    CHECK(l.heads_inferred[LR_SECTION_OWNER] && !l.heads_inferred[LR_SECTION_LAND]);
    lr_layout_clear(&l);
    const char *owner_unknown[NROWS][NCOLS];
    owner_table(owner_unknown, "쑤 겨", "소하", "조호");
    analyze(xs4, 4, (const char *const(*)[NCOLS])owner_unknown, &l);
    CHECKF(l.nowner_rows == 0, "%d owner rows from a table of unknown kind", (int)l.nowner_rows);
    lr_layout_clear(&l);

    /* 住所 read with speckles beside it as words of their own, and 氏名 misread: in the row
     * of the date's and the event's heads its first word makes it the address head, the
     * table the owners', and the name's head follows. */
    const char *owner_noisy[NROWS][NCOLS];
    owner_table(owner_noisy, "年月日", "住所 이 이이 이", "조호");
    analyze(xs4, 4, (const char *const(*)[NCOLS])owner_noisy, &l);
    check_column(&l, 1200, LR_FIELD_ADDRESS, LR_SECTION_OWNER, "owner, 住所 with speckles");
    check_column(&l, 1700, LR_FIELD_NAME, LR_SECTION_OWNER, "owner, 住所 with speckles");
    CHECK(l.nowner_rows == 3 && !l.heads_inferred[LR_SECTION_OWNER]);
    lr_layout_clear(&l);

    /* The same, read right: nothing inferred, the same columns. */
    const char *owner_ok[NROWS][NCOLS];
    owner_table(owner_ok, "年月日", "住所", "氏名");
    analyze(xs4, 4, (const char *const(*)[NCOLS])owner_ok, &l);
    check_column(&l, 1700, LR_FIELD_NAME, LR_SECTION_OWNER, "owner, 氏名 read");
    CHECK(!l.heads_inferred[LR_SECTION_OWNER]);
    lr_layout_clear(&l);

    const int xs6[] = {100, 500, 900, 1200, 1600, 1900, 2300};
    /* A land table, 地目 misread: the unlabelled cell between 事故 and 地積 is the category;
     * the rent column (賃貸價格, no field) after 等級 stays nothing. */
    const char *land[NROWS][NCOLS];
    land_table(land, "즘목", "等級");
    analyze(xs6, 6, (const char *const(*)[NCOLS])land, &l);
    CHECKF(l.doc_type == LR_DOC_LAND_LEDGER, "areas in 坪: %s", lr_doc_type_name(l.doc_type));
    check_column(&l, 1050, LR_FIELD_CATEGORY, LR_SECTION_LAND, "land, 地目 misread");
    check_column(&l, 1750, LR_FIELD_GRADE, LR_SECTION_LAND, "land, 等級");
    check_column(&l, 2100, LR_FIELD_NONE, LR_SECTION_LAND, "land, rent");
    lr_layout_clear(&l);

    /* No title read, lots without 산: areas in 町段畝步 make it a forest ledger. */
    const char *const forest[NROWS][NCOLS] = {
        {"年月日", "事故", "地目", "地積", "等級", "賃貸價格"},
        {"大正六年二月二十六日", "査定", "林野", "四町六段八畝四步", "三", NULL},
        {"大正九年一月二十七日", "分筆", "林野", "一町八段七畝廿步", "三", NULL},
        {"昭和二年五月十日", "地積訂正", "林野", "一町九段二畝十一步", "三", NULL},
    };
    analyze(xs6, 6, forest, &l);
    CHECKF(l.doc_type == LR_DOC_FOREST_LEDGER, "areas in 町段畝步: %s",
           lr_doc_type_name(l.doc_type));
    lr_layout_clear(&l);

    /* 等級 misread too: two heads missing, nothing is guessed. */
    land_table(land, "즘목", "두급");
    analyze(xs6, 6, (const char *const(*)[NCOLS])land, &l);
    check_column(&l, 1050, LR_FIELD_NONE, LR_SECTION_LAND, "land, two heads misread");
    check_column(&l, 1750, LR_FIELD_NONE, LR_SECTION_LAND, "land, two heads misread");
    lr_layout_clear(&l);

    /* The last head (等級) misread, with the rent column beside it: two unlabelled cells
     * right of the heads found, so which is the grade is not guessed. */
    land_table(land, "地目", "두급");
    analyze(xs6, 6, (const char *const(*)[NCOLS])land, &l);
    check_column(&l, 1750, LR_FIELD_NONE, LR_SECTION_LAND, "land, last head and rent");
    check_column(&l, 1050, LR_FIELD_CATEGORY, LR_SECTION_LAND, "land, 地目 read");
    lr_layout_clear(&l);
    return lr_test_finish("test_layout_heads");
}
