/* checks.c — checks across a sheet's fields (checks.h). */
#include "checks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lr_field_flag(lr_field *f, const char *reason)
{
    if (!f->present || f->review)
        return;
    f->review = true;
    snprintf(f->reason, sizeof f->reason, "%s", reason);
}

/* The first of a section's rows whose event is the assessment (査定); NULL when none. */
static lr_field *assessment_date(lr_sheet *s, lr_section sec)
{
    size_t rows = sec == LR_SECTION_LAND ? s->nland : s->nowners;
    for (size_t r = 0; r < rows; r++) {
        lr_field *e = sec == LR_SECTION_LAND ? &s->land[r].event : &s->owners[r].event;
        lr_field *d = sec == LR_SECTION_LAND ? &s->land[r].date : &s->owners[r].date;
        if (e->value && strcmp(e->value, "assessment") == 0)
            return d;
    }
    return NULL;
}

/* The assessment (査定) is one act, entered in the land's rows and in the owners' on its
 * day. Two dates read unflagged that differ: one is misread, and no reading tells which
 * (明治四十五年三月二十三日 read …十三日 at 90 in one row, right in the other): both go to
 * review. One flagged (or unreadable) beside one that stands: the one that stands gives its
 * value, still for review (the raw text stays as read). */
static int assessment_dates(lr_sheet *s)
{
    lr_field *land = assessment_date(s, LR_SECTION_LAND);
    lr_field *owner = assessment_date(s, LR_SECTION_OWNER);
    if (!land || !owner || !land->present || !owner->present)
        return LR_OK;
    if (land->value && owner->value && strcmp(land->value, owner->value) == 0)
        return LR_OK;
    if (!land->review && !owner->review) {
        if (land->value && owner->value) {
            lr_field_flag(land, "assessment-date");
            lr_field_flag(owner, "assessment-date");
        }
        return LR_OK;
    }
    lr_field *sure = !land->review ? land : !owner->review ? owner : NULL;
    lr_field *doubt = sure == land ? owner : land;
    if (!sure || !sure->value)
        return LR_OK;
    char *v = strdup(sure->value);
    if (!v)
        return LR_ERR_NOMEM;
    free(doubt->value);
    doubt->value = v;
    snprintf(doubt->reason, sizeof doubt->reason, "%s", "assessment-date");
    return LR_OK;
}

/* Most rows split_areas looks at. */
#define SPLIT_ROWS_MAX 32

/* A movement resolution splitting one parcel lists the parcels it makes: their areas add up
 * to the area it had (each rounded once to the hundredth of a m²). When every row is a
 * split:
 * - every area standing (not flagged, with a value) and the sum off: one is misread, and no
 *   reading tells which (68 read for 688 in the parcel's, 15 for 115 in a part's): all go to
 *   review (`area-sum`);
 * - the parts standing adding up to more than the whole standing: the same;
 * - one area in doubt (flagged or unread) and the rest standing: the rest give it — when it
 *   was read so already, it stands (n readings agree); else it takes that value, still for
 *   review, its raw text as read.
 * Returns LR_ERR_NOMEM or LR_OK. */
static int split_areas(lr_sheet *s)
{
    if (s->doc_type != LR_DOC_MOVEMENT_RESOLUTION || s->nland < 2 || s->nland >= SPLIT_ROWS_MAX ||
        !s->area.present)
        return LR_OK;
    lr_field *f[SPLIT_ROWS_MAX];
    size_t n = 0;
    f[n++] = &s->area;
    for (size_t r = 0; r < s->nland; r++) {
        const lr_land_row *l = &s->land[r];
        if (!l->event.value || strcmp(l->event.value, "split") != 0 || !l->area.present)
            return LR_OK;
        f[n++] = &s->land[r].area;
    }
    size_t doubt = n, ndoubt = 0;
    for (size_t i = 0; i < n; i++)
        if (!f[i]->value || f[i]->review) {
            doubt = i;
            ndoubt++;
        }
    /* the whole standing minus the parts standing */
    double gap = 0, slack = 0.005 * (double)n + 1e-9;
    for (size_t i = 0; i < n; i++)
        if (f[i]->value && !f[i]->review)
            gap += (i == 0 ? 1 : -1) * strtod(f[i]->value, NULL);
    bool whole = s->area.value && !s->area.review;
    /* all read and off, or the parts standing more than the whole (areas are positive) */
    if ((ndoubt == 0 && fabs(gap) > slack) || (whole && gap < -slack)) {
        for (size_t i = 0; i < n; i++)
            lr_field_flag(f[i], "area-sum");
        return LR_OK;
    }
    if (ndoubt != 1)
        return LR_OK;
    double v = doubt == 0 ? -gap : gap; /* what the one in doubt must be */
    if (v <= slack)
        return LR_OK;
    lr_field *d = f[doubt];
    if (d->value && fabs(strtod(d->value, NULL) - v) <= slack) {
        if (strcmp(d->reason, "low-confidence") == 0) {
            d->review = false;
            d->reason[0] = '\0';
        }
        return LR_OK;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%.2f", v);
    char *value = strdup(buf);
    if (!value)
        return LR_ERR_NOMEM;
    free(d->value);
    d->value = value;
    d->review = true;
    snprintf(d->reason, sizeof d->reason, "%s", "area-sum");
    return LR_OK;
}

/* Flags a section's dates that run backwards: each date earlier than the last dated row's,
 * with that row's. */
static void date_order(lr_sheet *s, lr_section sec)
{
    size_t rows = sec == LR_SECTION_LAND ? s->nland : s->nowners;
    lr_field *prev = NULL;
    for (size_t r = 0; r < rows; r++) {
        lr_field *d = sec == LR_SECTION_LAND ? &s->land[r].date : &s->owners[r].date;
        if (!d->value)
            continue;
        if (prev && strcmp(d->value, prev->value) < 0) {
            lr_field_flag(prev, "date-order");
            lr_field_flag(d, "date-order");
        }
        prev = d;
    }
}

void lr_check_date_order(lr_sheet *s)
{
    date_order(s, LR_SECTION_LAND);
    date_order(s, LR_SECTION_OWNER);
}

static void check_range(lr_field *f, const lr_form *form, lr_field_kind kind)
{
    if (!f->value)
        return;
    double v = strtod(f->value, NULL);
    if (v < form->range_min[kind] || v > form->range_max[kind])
        lr_field_flag(f, "range");
}

void lr_check_ranges(lr_sheet *s, const lr_form *form)
{
    if (!form)
        return;
    const lr_field_kind kinds[] = {LR_FIELD_GRADE, LR_FIELD_AREA};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        lr_field_kind kind = kinds[k];
        if (!form->has_range[kind])
            continue;
        check_range(kind == LR_FIELD_GRADE ? &s->grade : &s->area, form, kind);
        for (size_t r = 0; r < s->nland; r++)
            check_range(kind == LR_FIELD_GRADE ? &s->land[r].grade : &s->land[r].area, form,
                        kind);
    }
}

int lr_check_agreement(lr_sheet *s)
{
    if (split_areas(s) < 0 || assessment_dates(s) < 0)
        return LR_ERR_NOMEM;
    return LR_OK;
}
