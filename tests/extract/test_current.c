/* test_current.c — the parcel as it stands (src/extract/current.c), on sheets made by hand:
 * the category, area and grade of the last land-history row in force where the form has no
 * box for them, the lot a merge names as the one the parcel went into, and rows struck
 * through found in a strike mask. */
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/extract/current.h"
#include "../lr_test.h"

static void put(lr_field *f, const char *raw, const char *value)
{
    f->present = true;
    f->raw = strdup(raw);
    f->value = value ? strdup(value) : NULL;
}

/* A colonial ledger with no box for category, area or grade: rows of (event raw, event
 * value, category, area, grade), NULL where the row leaves the field blank. */
static void ledger(lr_sheet *s, const char *const (*rows)[5], size_t n)
{
    memset(s, 0, sizeof *s);
    s->doc_type = LR_DOC_LAND_LEDGER;
    put(&s->lot, "百二十三", "123");
    s->land = calloc(n, sizeof *s->land);
    s->nland = s->land ? n : 0;
    for (size_t r = 0; r < s->nland; r++) {
        lr_land_row *l = &s->land[r];
        put(&l->event, rows[r][0], rows[r][1]);
        if (rows[r][2])
            put(&l->category, rows[r][2], rows[r][2]);
        if (rows[r][3])
            put(&l->area, rows[r][3], rows[r][3]);
        if (rows[r][4])
            put(&l->grade, rows[r][4], rows[r][4]);
    }
}

static void last_row_in_force(const lr_norm_tables *t)
{
    static const char *const rows[][5] = {
        {"査定", "assessment", "01", "165.29", "15"},
        {"分割", "split", NULL, "100.83", NULL},     /* the area changes, the rest stands */
        {"地目變換", "category_change", "08", NULL, "20"},
        {"地目變換", "category_change", "05", NULL, "25"}, /* struck out below */
    };
    lr_sheet s;
    ledger(&s, rows, 4);
    s.land[3].struck = true;
    lr_current_find(&s, t);
    CHECKF(s.current.category_row == 2, "category from the last row in force: row %d",
           s.current.category_row);
    CHECKF(s.current.area_row == 1, "area from the split: row %d", s.current.area_row);
    CHECKF(s.current.grade_row == 2, "grade: row %d", s.current.grade_row);
    int row = 0;
    lr_field *f = lr_sheet_current_field(&s, LR_FIELD_CATEGORY, &row);
    CHECKF(f && row == 2 && strcmp(f->value, "08") == 0, "the current category is 08 (row %d)",
           row);
    CHECKF(s.current.lot[0] == '\0' && s.current.lot_row == -1, "no merge: the lot stays");
    f = lr_sheet_current_field(&s, LR_FIELD_LOT, &row);
    CHECKF(f == &s.lot && row == -1, "the lot is the sheet's own");
    lr_sheet_clear(&s);

    /* a form with a box for the category: the box holds it */
    ledger(&s, rows, 3);
    put(&s.category, "田", "01");
    lr_current_find(&s, t);
    CHECKF(s.current.category_row == -1, "the sheet's box: row %d", s.current.category_row);
    f = lr_sheet_current_field(&s, LR_FIELD_CATEGORY, &row);
    CHECKF(f == &s.category && row == -1, "the box's field");
    lr_sheet_clear(&s);

    /* every row struck: nothing gives it */
    ledger(&s, rows, 2);
    s.land[0].struck = s.land[1].struck = true;
    lr_current_find(&s, t);
    CHECKF(s.current.category_row == -1 && !lr_sheet_current_field(&s, LR_FIELD_GRADE, &row),
           "all struck: no current grade");
    lr_sheet_clear(&s);
}

static void lot_moves(const lr_norm_tables *t)
{
    static const char *const into[][5] = {
        {"査定", "assessment", "01", "165.29", "15"},
        {"二十三番ニ合倂", "merge", NULL, NULL, NULL},
    };
    lr_sheet s;
    ledger(&s, into, 2);
    lr_current_find(&s, t);
    CHECKF(strcmp(s.current.lot, "23") == 0 && s.current.lot_row == 1,
           "merged into 23: lot \"%s\" row %d", s.current.lot, s.current.lot_row);
    lr_sheet_clear(&s);

    static const char *const hangul[][5] = {
        {"査定", "assessment", "01", "165.29", "15"},
        {"45-2번지에 합병", "merge", NULL, NULL, NULL},
    };
    ledger(&s, hangul, 2);
    lr_current_find(&s, t);
    CHECKF(strcmp(s.current.lot, "45-2") == 0, "merged into 45-2: \"%s\"", s.current.lot);
    lr_sheet_clear(&s);

    /* 五番ト合倂: lot 5 merged into this one, the parcel keeps its lot */
    static const char *const with[][5] = {
        {"査定", "assessment", "01", "165.29", "15"},
        {"五番ト合倂", "merge", NULL, "300.00", NULL},
    };
    ledger(&s, with, 2);
    lr_current_find(&s, t);
    CHECKF(s.current.lot[0] == '\0', "a lot merged into this one: lot stays (\"%s\")",
           s.current.lot);
    lr_sheet_clear(&s);

    /* a struck merge moves nothing; junk before the particle names no lot */
    ledger(&s, into, 2);
    s.land[1].struck = true;
    lr_current_find(&s, t);
    CHECKF(s.current.lot[0] == '\0', "a struck merge: lot stays");
    lr_sheet_clear(&s);
    static const char *const junk[][5] = {
        {"合倂ニ", "merge", NULL, NULL, NULL},
    };
    ledger(&s, junk, 1);
    lr_current_find(&s, t);
    CHECKF(s.current.lot[0] == '\0', "no lot before the particle: lot stays");
    lr_sheet_clear(&s);
}

/* Rows 60 px high from y = 100, cells 100–700 wide; a strike across row 1's whole width and
 * a short dash over a quarter of row 2 less a pixel. */
static void struck_rows(void)
{
    static const char *const rows[][5] = {
        {"査定", "assessment", "01", "165.29", "15"},
        {"分割", "split", "01", "100.83", "15"},
        {"分割", "split", "01", "50.00", "15"},
    };
    lr_sheet s;
    ledger(&s, rows, 3);
    for (size_t r = 0; r < s.nland; r++) {
        lr_field *f[] = {&s.land[r].event, &s.land[r].category, &s.land[r].area,
                         &s.land[r].grade};
        for (int k = 0; k < 4; k++) {
            f[k]->x0 = 100 + 150 * k;
            f[k]->x1 = f[k]->x0 + 150;
            f[k]->y0 = 100 + 60 * (int)r;
            f[k]->y1 = f[k]->y0 + 60;
        }
    }
    PIX *mask = pixCreate(800, 400, 1);
    CHECK(mask != NULL);
    pixRasterop(mask, 110, 190, 580, 3, PIX_SET, NULL, 0, 0);
    pixRasterop(mask, 300, 250, 149, 3, PIX_SET, NULL, 0, 0);
    lr_current_mark_struck(&s, mask);
    CHECKF(!s.land[0].struck && s.land[1].struck && !s.land[2].struck,
           "struck: row 0 %d, row 1 %d, row 2 %d", s.land[0].struck, s.land[1].struck,
           s.land[2].struck);
    lr_current_mark_struck(&s, NULL);
    CHECKF(!s.land[1].struck, "no mask: nothing struck");
    pixDestroy(&mask);
    lr_sheet_clear(&s);
}

int main(void)
{
    lr_norm_tables *t = NULL;
    lr_error err;
    if (lr_norm_tables_load(NULL, &t, &err) < 0) {
        fprintf(stderr, "tables: %s\n", err.message);
        return 1;
    }
    last_row_in_force(t);
    lot_moves(t);
    struck_rows();
    lr_norm_tables_destroy(&t);
    return lr_test_finish("test_current");
}
