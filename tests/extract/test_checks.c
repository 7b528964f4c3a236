/* test_checks.c — checks across a sheet's fields (src/extract/checks.c), on sheets made by
 * hand: a movement resolution's split areas against the area split, the land's and the
 * owners' assessment dates against each other, dates running forward, grades in the form's
 * range. */
#include <stdlib.h>
#include <string.h>

#include "../../src/extract/checks.h"
#include "../lr_test.h"

/* A field read as value (NULL: unread), flagged low-confidence when doubt. */
static void put(lr_field *f, const char *value, bool doubt)
{
    f->present = true;
    f->raw = strdup(value ? value : "?");
    f->value = value ? strdup(value) : NULL;
    f->review = doubt;
    snprintf(f->reason, sizeof f->reason, "%s", doubt ? "low-confidence" : "");
}

/* A resolution splitting a parcel of area whole into n parts of the areas given; doubt: a
 * bit per area (bit 0 the whole, bit i + 1 part i) read unsure. */
static void resolution(lr_sheet *s, const char *whole, const char *const *parts, size_t n,
                       unsigned doubt)
{
    memset(s, 0, sizeof *s);
    s->doc_type = LR_DOC_MOVEMENT_RESOLUTION;
    put(&s->area, whole, doubt & 1);
    s->land = calloc(n, sizeof *s->land);
    s->nland = s->land ? n : 0;
    for (size_t i = 0; i < s->nland; i++) {
        put(&s->land[i].event, "split", false);
        put(&s->land[i].area, parts[i], doubt >> (i + 1) & 1);
    }
}

static const char *reason(const lr_field *f)
{
    return f->review ? f->reason : "not flagged";
}

static void split_areas(void)
{
    static const char *const right[] = {"115.00", "187.00", "133.00", "93.00", "160.00"};
    lr_sheet s;
    resolution(&s, "688.00", right, 5, 0);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(!s.area.review && !s.land[2].area.review, "adding up: %s, %s", reason(&s.area),
           reason(&s.land[2].area));
    lr_sheet_clear(&s);

    /* 68 read for 688, sure: all for review, values as read */
    resolution(&s, "68.00", right, 5, 0);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(s.area.review && strcmp(s.area.reason, "area-sum") == 0, "whole: %s", reason(&s.area));
    CHECKF(s.land[4].area.review && strcmp(s.land[4].area.reason, "area-sum") == 0, "a part: %s",
           reason(&s.land[4].area));
    CHECKF(strcmp(s.area.value, "68.00") == 0, "value as read: %s", s.area.value);
    lr_sheet_clear(&s);

    /* one part in doubt, read 683 for 583: the rest give it, still for review */
    static const char *const two[] = {"683.00", "876.00"};
    resolution(&s, "1459.00", two, 2, 1u << 1);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(strcmp(s.land[0].area.value, "583.00") == 0 && s.land[0].area.review &&
               strcmp(s.land[0].area.reason, "area-sum") == 0,
           "the part in doubt: %s (%s)", s.land[0].area.value, reason(&s.land[0].area));
    CHECKF(!s.area.review && !s.land[1].area.review, "the rest stand: %s, %s", reason(&s.area),
           reason(&s.land[1].area));
    lr_sheet_clear(&s);

    /* one in doubt that agrees with the rest: it stands */
    static const char *const agree[] = {"583.00", "876.00"};
    resolution(&s, "1459.00", agree, 2, 1u << 2);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(!s.land[1].area.review, "agreeing: %s", reason(&s.land[1].area));
    lr_sheet_clear(&s);

    /* the whole unread: the parts give it */
    resolution(&s, NULL, agree, 2, 0);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(s.area.value && strcmp(s.area.value, "1459.00") == 0 && s.area.review,
           "the whole: %s (%s)", s.area.value, reason(&s.area));
    lr_sheet_clear(&s);

    /* two in doubt, the parts standing more than the whole: all for review */
    static const char *const over[] = {"15.00", "187.00", "9.00", "9.00", "1.00"};
    resolution(&s, "68.00", over, 5, 1u << 4 | 1u << 5);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(s.area.review && strcmp(s.area.reason, "area-sum") == 0 && s.land[1].area.review,
           "over the whole: %s, %s", reason(&s.area), reason(&s.land[1].area));
    lr_sheet_clear(&s);

    /* two in doubt and no more than the whole: nothing to say */
    resolution(&s, "688.00", over, 5, 1u << 4 | 1u << 5);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(!s.area.review && !s.land[0].area.review, "two unknown: %s, %s", reason(&s.area),
           reason(&s.land[0].area));
    lr_sheet_clear(&s);

    /* not all splits (a merge row): no check */
    resolution(&s, "68.00", right, 5, 0);
    free(s.land[3].event.value);
    s.land[3].event.value = strdup("merge");
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(!s.area.review, "with a merge: %s", reason(&s.area));
    lr_sheet_clear(&s);

    /* a ledger's areas are no split's parts */
    resolution(&s, "68.00", right, 5, 0);
    s.doc_type = LR_DOC_LAND_LEDGER;
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(!s.area.review, "a ledger: %s", reason(&s.area));
    lr_sheet_clear(&s);
}

/* A ledger whose first land row and first owner row are assessments dated as given. */
static void ledger(lr_sheet *s, const char *land, bool land_doubt, const char *owner,
                   bool owner_doubt)
{
    memset(s, 0, sizeof *s);
    s->doc_type = LR_DOC_LAND_LEDGER;
    s->land = calloc(1, sizeof *s->land);
    s->owners = calloc(1, sizeof *s->owners);
    s->nland = s->land ? 1 : 0;
    s->nowners = s->owners ? 1 : 0;
    if (s->nland) {
        put(&s->land[0].event, "assessment", false);
        put(&s->land[0].date, land, land_doubt);
    }
    if (s->nowners) {
        put(&s->owners[0].event, "assessment", false);
        put(&s->owners[0].date, owner, owner_doubt);
    }
}

static void assessment_dates(void)
{
    lr_sheet s;
    ledger(&s, "1912-03-23", false, "1912-03-23", false);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(!s.land[0].date.review && !s.owners[0].date.review, "agreeing: %s, %s",
           reason(&s.land[0].date), reason(&s.owners[0].date));
    lr_sheet_clear(&s);

    ledger(&s, "1912-03-13", false, "1912-03-23", false);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(s.land[0].date.review && strcmp(s.land[0].date.reason, "assessment-date") == 0 &&
               s.owners[0].date.review,
           "both sure, differing: %s, %s", reason(&s.land[0].date), reason(&s.owners[0].date));
    CHECKF(strcmp(s.land[0].date.value, "1912-03-13") == 0, "kept as read: %s",
           s.land[0].date.value);
    lr_sheet_clear(&s);

    ledger(&s, "1926-10-25", true, "1926-12-25", false);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(strcmp(s.land[0].date.value, "1926-12-25") == 0 &&
               strcmp(s.land[0].date.reason, "assessment-date") == 0,
           "the one in doubt takes the other's: %s (%s)", s.land[0].date.value,
           reason(&s.land[0].date));
    CHECKF(!s.owners[0].date.review, "the sure one stands: %s", reason(&s.owners[0].date));
    lr_sheet_clear(&s);

    ledger(&s, "1926-10-25", true, "1926-12-25", true);
    CHECK(lr_check_agreement(&s) == LR_OK);
    CHECKF(strcmp(s.land[0].date.value, "1926-10-25") == 0, "both in doubt: kept, %s",
           s.land[0].date.value);
    lr_sheet_clear(&s);
}

/* A land history of dates (NULL: an undated row), none flagged. */
static void history(lr_sheet *s, const char *const *dates, size_t n)
{
    memset(s, 0, sizeof *s);
    s->doc_type = LR_DOC_LAND_LEDGER;
    s->land = calloc(n, sizeof *s->land);
    s->nland = s->land ? n : 0;
    for (size_t i = 0; i < s->nland; i++)
        if (dates[i])
            put(&s->land[i].date, dates[i], false);
}

static void date_order(void)
{
    static const char *const forward[] = {"1912-03-13", NULL, "1912-03-13", "1937-03-05"};
    lr_sheet s;
    history(&s, forward, 4);
    lr_check_date_order(&s);
    bool any = false;
    for (size_t i = 0; i < s.nland; i++)
        any |= s.land[i].date.review;
    CHECKF(!any, "dates running forward, same day twice, an undated row between: none flagged");
    lr_sheet_clear(&s);

    /* 1937 read for 1927: the row after it runs backwards; no reading tells which is wrong */
    static const char *const back[] = {"1912-03-13", "1937-03-05", NULL, "1930-06-01",
                                       "1941-01-10"};
    history(&s, back, 5);
    lr_check_date_order(&s);
    CHECKF(s.land[1].date.review && strcmp(s.land[1].date.reason, "date-order") == 0,
           "the later date above: %s", reason(&s.land[1].date));
    CHECKF(s.land[3].date.review && strcmp(s.land[3].date.reason, "date-order") == 0,
           "the earlier date below: %s", reason(&s.land[3].date));
    CHECKF(!s.land[0].date.review && !s.land[4].date.review, "the rest stand: %s, %s",
           reason(&s.land[0].date), reason(&s.land[4].date));
    lr_sheet_clear(&s);
}

static void ranges(void)
{
    lr_form form;
    memset(&form, 0, sizeof form);
    form.has_range[LR_FIELD_GRADE] = true;
    form.range_min[LR_FIELD_GRADE] = 1;
    form.range_max[LR_FIELD_GRADE] = 120;
    static const char *const dates[] = {"1912-03-13", "1930-06-01"};
    lr_sheet s;
    history(&s, dates, 2);
    put(&s.land[0].grade, "29", false);
    put(&s.land[1].grade, "229", false); /* 二十九 read 二二九 */
    put(&s.grade, "0", false);
    lr_check_ranges(&s, &form);
    CHECKF(!s.land[0].grade.review, "a grade in range stands: %s", reason(&s.land[0].grade));
    CHECKF(s.land[1].grade.review && strcmp(s.land[1].grade.reason, "range") == 0,
           "229 on a scale of 1-120: %s", reason(&s.land[1].grade));
    CHECKF(s.grade.review, "the sheet's grade 0: %s", reason(&s.grade));
    lr_sheet_clear(&s);

    history(&s, dates, 2);
    put(&s.land[1].grade, "229", false);
    lr_check_ranges(&s, NULL);
    CHECKF(!s.land[1].grade.review, "a form without ranges flags none");
    form.has_range[LR_FIELD_GRADE] = false;
    lr_check_ranges(&s, &form);
    CHECKF(!s.land[1].grade.review, "a form without a grade range flags none");
    lr_sheet_clear(&s);

    lr_form parsed;
    lr_error err;
    CHECK(lr_form_parse("name t\nrange grade 1 120\n", "t", &parsed, &err) == LR_OK);
    CHECKF(parsed.has_range[LR_FIELD_GRADE] && parsed.range_max[LR_FIELD_GRADE] == 120,
           "a range line parsed");
    lr_form_clear(&parsed);
    CHECKF(lr_form_parse("name t\nrange grade 120 1\n", "t", &parsed, &err) != LR_OK,
           "a range with its maximum first is refused");
    CHECKF(lr_form_parse("name t\nrange date 1 2\n", "t", &parsed, &err) != LR_OK,
           "a range on a date is refused");
}

int main(void)
{
    split_areas();
    assessment_dates();
    date_order();
    ranges();
    return lr_test_finish("test_checks");
}
