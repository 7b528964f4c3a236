/* test_assessment.c — the assessment (査定) is entered in the land's rows and in the owners' on
 * one day (extract.c, assessment_dates): two dates that agree stand; two read sure that differ
 * both go to review; one read unsure beside one that stands takes its value, still for review.
 * A drawn land table and owner table with hand-placed words, no OCR (re-reads off). */
#include <leptonica/allheaders.h>
#include <string.h>

#include "../lr_test.h"
#include "landrec/extract.h"
#include "landrec/layout.h"

/* One ruled table at top y of two rows (heads, one entry) between the x edges xs (ncols + 1),
 * a block of ink and a word (at conf) in each cell; words appended at *n. */
static void table(PIX *pix, int top, const int *xs, int ncols, const char *const *heads,
                  const char *const *entry, const float *conf, lr_word *words, size_t *n)
{
    const int ys[3] = {top, top + 100, top + 220};
    for (int c = 0; c <= ncols; c++)
        pixRenderLine(pix, xs[c], ys[0], xs[c], ys[2], 4, L_SET_PIXELS);
    for (int r = 0; r < 3; r++)
        pixRenderLine(pix, xs[0], ys[r], xs[ncols], ys[r], 4, L_SET_PIXELS);
    for (int r = 0; r < 2; r++)
        for (int c = 0; c < ncols; c++) {
            int cx = (xs[c] + xs[c + 1]) / 2, cy = (ys[r] + ys[r + 1]) / 2;
            pixRasterop(pix, cx - 40, cy - 18, 80, 36, PIX_SET, NULL, 0, 0);
            words[*n] = (lr_word){(char *)(r ? entry[c] : heads[c]),
                                  cx - 44,
                                  cy - 20,
                                  cx + 44,
                                  cy + 20,
                                  r ? conf[c] : 95.0f,
                                  (int)*n,
                                  0,
                                  0};
            (*n)++;
        }
}

/* The sheet read from a land table and an owner table whose first entries are assessments
 * dated land_date (read at land_conf) and owner_date (at 95). */
static void read_sheet(lr_extractor *ex, const char *land_date, float land_conf,
                       const char *owner_date, lr_sheet *out)
{
    PIX *pix = pixCreate(2000, 800, 1);
    lr_word words[32];
    size_t n = 0;
    const int land_xs[] = {100, 600, 850, 1050, 1450, 1650};
    const char *const land_heads[] = {"年月日", "事故", "地目", "地積", "等級"};
    const char *const land_entry[] = {land_date, "査定", "田", "百八十四坪", "三十七"};
    const float land_conf_[] = {land_conf, 95, 95, 95, 95};
    table(pix, 100, land_xs, 5, land_heads, land_entry, land_conf_, words, &n);
    const int owner_xs[] = {100, 600, 850, 1450, 1750};
    const char *const owner_heads[] = {"年月日", "事故", "住所", "氏名"};
    const char *const owner_entry[] = {owner_date, "査定", "京城府 本町", "金福元"};
    const float owner_conf[] = {95, 95, 95, 95};
    table(pix, 450, owner_xs, 4, owner_heads, owner_entry, owner_conf, words, &n);
    lr_ocr_result page = {.words = words, .nwords = n, .mean_conf = 95.0f};
    lr_layout l;
    lr_error err;
    CHECKF(lr_layout_analyze(pix, 300, words, n, NULL, NULL, LR_DOC_LAND_LEDGER, NULL, &l, &err) ==
               LR_OK,
           "%s", err.message);
    CHECKF(lr_extract_sheet(ex, pix, 300, &l, &page, out, &err) == LR_OK, "%s", err.message);
    lr_layout_clear(&l);
    pixDestroy(&pix);
}

static const char *reason(const lr_field *f)
{
    return f->review ? f->reason : "not flagged";
}

int main(void)
{
    lr_extract_options o;
    lr_extract_options_default(&o);
    o.budget_pct = 0; /* the words as placed: no cell read again */
    lr_extractor *ex = NULL;
    lr_error err;
    CHECKF(lr_extract_new(&o, &ex, &err) == LR_OK, "%s", err.message);
    if (!ex)
        return lr_test_finish("test_assessment");
    lr_sheet s;
    read_sheet(ex, "明治四十五年三月二十三日", 95, "明治四十五年三月二十三日", &s);
    CHECKF(s.nland == 1 && s.nowners == 1, "rows: %zu land, %zu owners", s.nland, s.nowners);
    if (s.nland == 1 && s.nowners == 1) {
        CHECKF(s.land[0].event.value && strcmp(s.land[0].event.value, "assessment") == 0,
               "land event %s", s.land[0].event.value);
        CHECKF(s.land[0].date.value && strcmp(s.land[0].date.value, "1912-03-23") == 0,
               "land date %s", s.land[0].date.value);
        CHECKF(!s.land[0].date.review && !s.owners[0].date.review, "agreeing: %s, %s",
               reason(&s.land[0].date), reason(&s.owners[0].date));
    }
    lr_sheet_clear(&s);

    /* the 二 of the day dropped in the land's row, read sure */
    read_sheet(ex, "明治四十五年三月十三日", 95, "明治四十五年三月二十三日", &s);
    if (s.nland == 1 && s.nowners == 1) {
        CHECKF(s.land[0].date.value && strcmp(s.land[0].date.value, "1912-03-13") == 0,
               "land date kept as read: %s", s.land[0].date.value);
        CHECKF(s.land[0].date.review && strcmp(s.land[0].date.reason, "assessment-date") == 0,
               "land date: %s", reason(&s.land[0].date));
        CHECKF(s.owners[0].date.review && strcmp(s.owners[0].date.reason, "assessment-date") == 0,
               "owner date: %s", reason(&s.owners[0].date));
    }
    lr_sheet_clear(&s);

    /* read unsure in the land's row: the owners' date stands and gives the value */
    read_sheet(ex, "大正十五年十月二十五日", 40, "大正十五年十二月二十五日", &s);
    if (s.nland == 1 && s.nowners == 1) {
        CHECKF(s.land[0].date.value && strcmp(s.land[0].date.value, "1926-12-25") == 0,
               "land date from the owners' row: %s", s.land[0].date.value);
        CHECKF(strstr(s.land[0].date.raw, "十月") != NULL, "raw kept as read: %s",
               s.land[0].date.raw);
        CHECKF(s.land[0].date.review && strcmp(s.land[0].date.reason, "assessment-date") == 0,
               "land date: %s", reason(&s.land[0].date));
        CHECKF(!s.owners[0].date.review, "owner date: %s", reason(&s.owners[0].date));
    }
    lr_sheet_clear(&s);
    lr_extract_destroy(&ex);
    return lr_test_finish("test_assessment");
}
