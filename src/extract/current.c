/* current.c — the parcel as it stands (current.h). */
#include "current.h"

#include <leptonica/allheaders.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fieldnorm.h"
#include "landrec/text.h"

/* A strike through an entry crosses most of it; a stroke of the strike mask that covers less
 * than this share of the row's width is a dash or a character's stroke taken for one. */
#define STRUCK_WIDTH_SHARE 0.25

/* The row's cells' union (fields present); false when it has none. */
static bool row_box(const lr_field *const *f, size_t n, int *x0, int *y0, int *x1, int *y1)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!f[i]->present || f[i]->x1 <= f[i]->x0 || f[i]->y1 <= f[i]->y0)
            continue;
        if (!any) {
            *x0 = f[i]->x0, *y0 = f[i]->y0, *x1 = f[i]->x1, *y1 = f[i]->y1;
            any = true;
            continue;
        }
        *x0 = f[i]->x0 < *x0 ? f[i]->x0 : *x0;
        *y0 = f[i]->y0 < *y0 ? f[i]->y0 : *y0;
        *x1 = f[i]->x1 > *x1 ? f[i]->x1 : *x1;
        *y1 = f[i]->y1 > *y1 ? f[i]->y1 : *y1;
    }
    return any;
}

/* The row's columns that the strike mask marks, as a share of its width. */
static bool row_struck(PIX *struck, const lr_field *const *f, size_t n)
{
    int x0, y0, x1, y1;
    if (!struck || !row_box(f, n, &x0, &y0, &x1, &y1))
        return false;
    BOX *box = boxCreate(x0, y0, x1 - x0, y1 - y0);
    NUMA *cols = box ? pixCountByColumn(struck, box) : NULL;
    boxDestroy(&box);
    if (!cols)
        return false;
    int marked = 0, ncols = numaGetCount(cols);
    for (int i = 0; i < ncols; i++) {
        l_int32 v = 0;
        numaGetIValue(cols, i, &v);
        marked += v > 0;
    }
    numaDestroy(&cols);
    return ncols > 0 && marked >= STRUCK_WIDTH_SHARE * (double)(x1 - x0);
}

void lr_current_mark_struck(lr_sheet *s, struct Pix *struck)
{
    for (size_t r = 0; r < s->nland; r++) {
        lr_land_row *l = &s->land[r];
        const lr_field *f[] = {&l->date, &l->event, &l->category, &l->area, &l->grade};
        l->struck = row_struck(struck, f, sizeof f / sizeof f[0]);
    }
    for (size_t r = 0; r < s->nowners; r++) {
        lr_owner_row *o = &s->owners[r];
        const lr_field *f[] = {&o->date, &o->event, &o->address, &o->name};
        o->struck = row_struck(struck, f, sizeof f / sizeof f[0]);
    }
}

/* The last row in force whose field of kind holds a value; -1 when none does. */
static int last_in_force(const lr_sheet *s, lr_field_kind kind)
{
    for (size_t r = s->nland; r-- > 0;) {
        const lr_land_row *l = &s->land[r];
        const lr_field *f = kind == LR_FIELD_CATEGORY ? &l->category
                            : kind == LR_FIELD_AREA   ? &l->area
                                                      : &l->grade;
        if (!l->struck && f->value)
            return (int)r;
    }
    return -1;
}

/* Characters a lot number is written with, 番地 and 번지 included. */
static const char lot_chars[] = "0123456789-〇零一二三四五六七八九十百千壹貳弐參参拾ノ之의番地번지산山";

/* Particles that follow the lot a parcel went into: "二十三番ニ合倂", "23번지에 합병". */
static const char *const into_particles[] = {"ニ", "に", "へ", "ヘ", "에", "으로", "로"};

/* Most characters of an event read before its particle that are looked at. */
#define LOT_INTO_MAX 64

/* The lot named before the first particle of direction in raw, normalised into lot (size
 * 32); false when raw names none. */
static bool lot_into(const lr_norm_tables *tables, lr_doc_type doc, const char *raw, char *lot)
{
    const char *hit = NULL;
    for (size_t i = 0; i < sizeof into_particles / sizeof into_particles[0]; i++) {
        const char *p = strstr(raw, into_particles[i]);
        if (p && (!hit || p < hit))
            hit = p;
    }
    if (!hit || hit == raw || hit - raw >= (ptrdiff_t)(4 * LOT_INTO_MAX))
        return false;
    char before[4 * LOT_INTO_MAX + 1];
    snprintf(before, sizeof before, "%.*s", (int)(hit - raw), raw);
    uint32_t cps[LOT_INTO_MAX], set[64];
    size_t n = lr_text_decode(before, cps, LOT_INTO_MAX);
    size_t nset = lr_text_decode(lot_chars, set, sizeof set / sizeof set[0]);
    /* back from the particle over the lot's characters */
    size_t start = n;
    while (start > 0 && lr_text_contains(set, nset, &cps[start - 1], 1))
        start--;
    if (start == n)
        return false;
    char text[4 * LOT_INTO_MAX + 1] = "";
    for (size_t i = start; i < n; i++)
        lr_text_put(text, sizeof text, cps[i]);
    lr_fieldnorm f;
    lr_fieldnorm_ctx ctx = {LR_FIELD_LOT, LR_SECTION_LAND, doc, NULL, false};
    lr_fieldnorm_run(tables, &ctx, text, &f);
    if (!f.value[0] || f.score < 100 || f.flag[0])
        return false;
    snprintf(lot, 32, "%.31s", f.value);
    return true;
}

void lr_current_find(lr_sheet *s, const lr_norm_tables *tables)
{
    lr_current *c = &s->current;
    c->category_row = s->category.present ? -1 : last_in_force(s, LR_FIELD_CATEGORY);
    c->area_row = s->area.present ? -1 : last_in_force(s, LR_FIELD_AREA);
    c->grade_row = s->grade.present ? -1 : last_in_force(s, LR_FIELD_GRADE);
    c->lot[0] = '\0';
    c->lot_row = -1;
    for (size_t r = 0; r < s->nland; r++) {
        const lr_land_row *l = &s->land[r];
        const char *ev = l->event.value;
        if (l->struck || !ev || !l->event.raw || (strcmp(ev, "merge") && strcmp(ev, "conversion")))
            continue;
        char lot[32];
        if (lot_into(tables, s->doc_type, l->event.raw, lot) &&
            !(s->lot.value && strcmp(lot, s->lot.value) == 0)) {
            snprintf(c->lot, sizeof c->lot, "%s", lot);
            c->lot_row = (int)r;
        }
    }
}

lr_field *lr_sheet_current_field(lr_sheet *s, lr_field_kind kind, int *out_row)
{
    int row = -1;
    lr_field *own = kind == LR_FIELD_LOT        ? &s->lot
                    : kind == LR_FIELD_CATEGORY ? &s->category
                    : kind == LR_FIELD_AREA     ? &s->area
                    : kind == LR_FIELD_GRADE    ? &s->grade
                                                : NULL;
    lr_field *f = own && own->present ? own : NULL;
    if (!f && own) {
        row = kind == LR_FIELD_CATEGORY ? s->current.category_row
              : kind == LR_FIELD_AREA   ? s->current.area_row
              : kind == LR_FIELD_GRADE  ? s->current.grade_row
                                        : -1;
        if (row >= 0 && (size_t)row < s->nland) {
            lr_land_row *l = &s->land[row];
            f = kind == LR_FIELD_CATEGORY ? &l->category
                : kind == LR_FIELD_AREA   ? &l->area
                                          : &l->grade;
        } else {
            row = -1;
        }
    }
    if (out_row)
        *out_row = f ? row : -1;
    return f;
}
