/* layout.c — the forms of landrec-synth drawn at the output resolution: ruled tables with
 * printed labels (Hanja on colonial and 1950s forms, Hangul on cards and resolutions),
 * handwriting-like entries fitted into their cells, red ink, ditto marks, strike-throughs,
 * and map fragments with parcel outlines and lot/category labels. Every written line and
 * field gets its box here, in pixels of the upright page. Geometry is in millimetres on
 * an A4 portrait sheet (210 × 297 mm). */
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

#define PAGE_W_MM 210.0
#define PAGE_H_MM 297.0

/* ------------------------------------------------------------------------------------------ */
/* Primitives                                                                                 */

void lr_synth_blend(PIX *pix, int x, int y, const uint8_t rgb[3], double a)
{
    if (a <= 0 || x < 0 || y < 0 || x >= (int)pixGetWidth(pix) || y >= (int)pixGetHeight(pix))
        return;
    if (a > 1)
        a = 1;
    int ia = (int)(a * 256 + 0.5);
    l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);
    if (pixGetDepth(pix) == 32) {
        l_uint32 v = line[x];
        int r = (int)(v >> 24), g = (int)((v >> 16) & 0xff), b = (int)((v >> 8) & 0xff);
        r += (rgb[0] - r) * ia / 256;
        g += (rgb[1] - g) * ia / 256;
        b += (rgb[2] - b) * ia / 256;
        line[x] = ((l_uint32)r << 24) | ((l_uint32)g << 16) | ((l_uint32)b << 8);
    } else {
        int lum = (299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2] + 500) / 1000;
        int v = GET_DATA_BYTE(line, x);
        v += (lum - v) * ia / 256;
        SET_DATA_BYTE(line, x, v);
    }
}

static double seg_dist(double px, double py, double x0, double y0, double x1, double y1)
{
    double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = x0 + t * dx - px, ey = y0 + t * dy - py;
    return sqrt(ex * ex + ey * ey);
}

void lr_synth_line(PIX *pix, double x0, double y0, double x1, double y1, double w,
                   const uint8_t rgb[3], double a)
{
    double hw = w / 2;
    int W = (int)pixGetWidth(pix), H = (int)pixGetHeight(pix);
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
    bool along_x = fabs(dx) >= fabs(dy);
    /* Walk the major axis; on each step only the pixels near the segment. */
    double lo = along_x ? fmin(x0, x1) : fmin(y0, y1), hi = along_x ? fmax(x0, x1) : fmax(y0, y1);
    double major = along_x ? fabs(dx) : fabs(dy);
    double ext = (major > 0 ? hw * len / major : hw) + 1.5;
    for (int u = (int)floor(lo - hw - 1); u <= (int)ceil(hi + hw + 1); u++) {
        double c = u + 0.5;
        double t = major > 0 ? (c - (along_x ? x0 : y0)) / (along_x ? dx : dy) : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        double vc = along_x ? y0 + t * dy : x0 + t * dx;
        for (int v = (int)floor(vc - ext); v <= (int)ceil(vc + ext); v++) {
            int x = along_x ? u : v, y = along_x ? v : u;
            if (x < 0 || y < 0 || x >= W || y >= H)
                continue;
            double d = seg_dist(x + 0.5, y + 0.5, x0, y0, x1, y1);
            double cov = hw + 0.5 - d;
            if (cov <= 0)
                continue;
            lr_synth_blend(pix, x, y, rgb, a * (cov > 1 ? 1 : cov));
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Page bookkeeping                                                                           */

void lr_synth_page_clear(lr_synth_page *page)
{
    if (!page)
        return;
    for (int i = 0; i < page->n_lines; i++)
        free(page->lines[i].text);
    free(page->lines);
    memset(page, 0, sizeof *page);
}

typedef struct L {
    lr_synth_fonts *fonts;
    PIX *pix;
    lr_synth_page *page;
    lr_synth_sheet *s;
    lr_synth_rng *rng;
    double pxmm; /* pixels per millimetre */
    uint8_t print_rgb[3], ink_rgb[3], red_rgb[3];
    lr_synth_pen label, hand;
    double hand_mm; /* nominal handwriting size */
    int rc;
} L;

static double px(const L *l, double mm)
{
    return mm * l->pxmm;
}

static void add_line(L *l, const char *text, const int box[4])
{
    lr_synth_page *p = l->page;
    if (l->rc < 0 || !text || !*text)
        return;
    if (p->n_lines == p->cap_lines) {
        int cap = p->cap_lines ? p->cap_lines * 2 : 64;
        lr_synth_line_rec *grown = realloc(p->lines, (size_t)cap * sizeof *grown);
        if (!grown) {
            l->rc = LR_ERR_NOMEM;
            return;
        }
        p->lines = grown;
        p->cap_lines = cap;
    }
    char *copy = strdup(text);
    if (!copy) {
        l->rc = LR_ERR_NOMEM;
        return;
    }
    p->lines[p->n_lines].text = copy;
    memcpy(p->lines[p->n_lines].box, box, 4 * sizeof(int));
    p->n_lines++;
}

static void rule(L *l, double x0, double y0, double x1, double y1, double w_mm)
{
    lr_synth_line(l->pix, px(l, x0), px(l, y0), px(l, x1), px(l, y1), fmax(1.0, px(l, w_mm)),
                  l->print_rgb, 0.95);
}

static void frame(L *l, double x0, double y0, double x1, double y1, double w_mm)
{
    rule(l, x0, y0, x1, y0, w_mm);
    rule(l, x0, y1, x1, y1, w_mm);
    rule(l, x0, y0, x0, y1, w_mm);
    rule(l, x1, y0, x1, y1, w_mm);
}

/* Number of characters (code points) of a UTF-8 string. */
static int n_chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

/* Printed label centred in the cell; vertical when asked (and it fits better). */
static void print_label(L *l, const char *text, double x0, double y0, double x1, double y1,
                        double size_mm, double tracking, bool vertical)
{
    if (!text || !*text)
        return;
    lr_synth_pen pen = l->label;
    pen.size = px(l, size_mm);
    pen.tracking = tracking;
    pen.vertical = vertical;
    double avail = vertical ? px(l, y1 - y0) * 0.9 : px(l, x1 - x0) * 0.9;
    double ext = lr_synth_text_extent(l->fonts, &pen, text);
    if (ext > avail && ext > 0) {
        pen.size *= avail / ext;
        ext = lr_synth_text_extent(l->fonts, &pen, text);
    }
    int box[4];
    double cx = px(l, (x0 + x1) / 2), cy = px(l, (y0 + y1) / 2);
    if (vertical)
        lr_synth_text_draw(l->fonts, l->pix, &pen, text, cx, cy - ext / 2, NULL, box);
    else
        lr_synth_text_draw(l->fonts, l->pix, &pen, text, cx - ext / 2, cy + pen.size * 0.36,
                           NULL, box);
    add_line(l, text, box);
}

/* Handwritten text in a cell. colour: ink or red; align: 0 left, 1 centre. Returns the box. */
static void hand_text(L *l, const char *text, double x0, double y0, double x1, double y1,
                      const uint8_t rgb[3], bool vertical, int align, double size_mm, int box[4])
{
    lr_synth_pen pen = l->hand;
    memcpy(pen.rgb, rgb, 3);
    pen.size = px(l, size_mm > 0 ? size_mm : l->hand_mm);
    double pad = px(l, 1.2);
    double cw = px(l, x1 - x0) - 2 * pad, ch = px(l, y1 - y0) - 2 * pad;
    if (vertical && n_chars(text) * pen.size * 1.02 > ch * 1.6)
        vertical = false; /* too long to stand up in this cell */
    pen.vertical = vertical;
    double avail = vertical ? ch : cw;
    double ext = lr_synth_text_extent(l->fonts, &pen, text);
    if (ext > avail && ext > 0) {
        pen.size *= avail / ext;
        ext = lr_synth_text_extent(l->fonts, &pen, text);
    }
    if (!vertical && pen.size > ch * 0.95)
        pen.size = ch * 0.95;
    double slack = (vertical ? ch : cw) - ext;
    if (slack < 0)
        slack = 0;
    double start = align ? slack / 2 : slack * 0.35 * lr_synth_rng_uniform(l->rng);
    start += (lr_synth_rng_uniform(l->rng) - 0.5) * fmin(slack, pen.size) * 0.3;
    if (start < 0)
        start = 0;
    if (vertical) {
        double cx = px(l, (x0 + x1) / 2) + (lr_synth_rng_uniform(l->rng) - 0.5) * pad;
        lr_synth_text_draw(l->fonts, l->pix, &pen, text, cx, px(l, y0) + pad + start, l->rng,
                           box);
    } else {
        double base = px(l, (y0 + y1) / 2) + pen.size * 0.36 +
                      (lr_synth_rng_uniform(l->rng) - 0.5) * fmax(0, ch - pen.size) * 0.4;
        lr_synth_text_draw(l->fonts, l->pix, &pen, text, px(l, x0) + pad + start, base, l->rng,
                           box);
    }
    add_line(l, text, box);
}

/* A field written in its cell: red when flagged, struck through when flagged. */
static void hand_field(L *l, lr_synth_field *f, double x0, double y0, double x1, double y1)
{
    if (!f->present || !f->raw[0])
        return;
    bool red = f->flags & LR_SYNTH_RED;
    bool ditto = f->flags & LR_SYNTH_DITTO;
    hand_text(l, f->raw, x0, y0, x1, y1, red ? l->red_rgb : l->ink_rgb,
              (f->flags & LR_SYNTH_VERTICAL) != 0, ditto ? 1 : 0, 0, f->box);
    if (f->flags & LR_SYNTH_STRUCK) {
        /* One or two red (or ink) strokes across the entry: superseded, still legible. */
        const uint8_t *c = lr_synth_rng_chance(l->rng, 0.7) ? l->red_rgb : l->ink_rgb;
        double ym = (f->box[1] + f->box[3]) / 2.0;
        double tilt = (lr_synth_rng_uniform(l->rng) - 0.5) * px(l, 1.0);
        double w = fmax(1.0, px(l, 0.3));
        lr_synth_line(l->pix, f->box[0] - px(l, 1), ym - tilt, f->box[2] + px(l, 1), ym + tilt,
                      w, c, 0.9);
        if (lr_synth_rng_chance(l->rng, 0.4))
            lr_synth_line(l->pix, f->box[0] - px(l, 1), ym - tilt + px(l, 0.8),
                          f->box[2] + px(l, 1), ym + tilt + px(l, 0.8), w, c, 0.9);
    }
}

/* A red seal (印) beside an entry: a ring with a smaller ring, no text. Decoration. */
static void seal(L *l, double cx_mm, double cy_mm, double r_mm)
{
    double cx = px(l, cx_mm), cy = px(l, cy_mm), r = px(l, r_mm);
    int n = 48;
    for (int i = 0; i < n; i++) {
        double a0 = 2 * M_PI * i / n, a1 = 2 * M_PI * (i + 1) / n;
        lr_synth_line(l->pix, cx + r * cos(a0), cy + r * sin(a0), cx + r * cos(a1),
                      cy + r * sin(a1), fmax(1, px(l, 0.35)), l->red_rgb, 0.75);
        lr_synth_line(l->pix, cx + 0.55 * r * cos(a0), cy + 0.55 * r * sin(a0),
                      cx + 0.55 * r * cos(a1), cy + 0.55 * r * sin(a1), fmax(1, px(l, 0.3)),
                      l->red_rgb, 0.6);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Ledgers                                                                                    */

typedef struct col {
    const char *label;
    double w;
} col;

typedef struct ledger_form {
    const char *land_block, *owner_block; /* vertical section labels */
    col land[6];
    int n_land_cols, land_rows;
    col owner[5];
    int n_owner_cols, owner_rows;
    double label_mm;
} ledger_form;

static const ledger_form form_colonial = {
    "土地ノ表示", "所有者",
    {{"年月日", 38}, {"事故", 34}, {"地目", 20}, {"地積", 42}, {"等級", 16}, {"賃貸價格", 26}},
    6, 7,
    {{"年月日", 38}, {"事故", 34}, {"住所", 70}, {"氏名", 34}},
    4, 9, 3.4};
static const ledger_form form_forest = {
    "林野ノ表示", "所有者",
    {{"年月日", 38}, {"事故", 38}, {"地目", 22}, {"地積", 54}, {"等級", 24}},
    5, 7,
    {{"年月日", 38}, {"事故", 34}, {"住所", 70}, {"氏名", 34}},
    4, 9, 3.4};
static const ledger_form form_1950 = {
    "土地表示", "所有者",
    {{"年月日", 38}, {"事故", 36}, {"地目", 22}, {"地積", 42}, {"等級", 18}, {"備考", 20}},
    6, 7,
    {{"年月日", 38}, {"事故", 34}, {"住所", 70}, {"氏名", 34}},
    4, 9, 3.4};
static const ledger_form form_card = {
    "토지표시", "소유자",
    {{"연월일", 30}, {"사유", 70}, {"지목", 24}, {"면적(㎡)", 30}, {"등급", 22}},
    5, 7,
    {{"변동일자", 30}, {"변동원인", 30}, {"주소", 60}, {"성명", 28}, {"등록번호", 28}},
    5, 9, 3.0};

#define LX0 12.0
#define LX1 198.0
#define SECTION_W 10.0

static void ledger(L *l, const ledger_form *form)
{
    lr_synth_sheet *s = l->s;
    bool card = s->doc == LR_SYNTH_CARD1975;
    /* Title and office. */
    print_label(l, s->title, 55, 10, 155, 24, 8.0, 0.9, false);
    if (s->office[0])
        print_label(l, s->office, LX0, 14, 60, 22, 3.0, 0.0, false);
    double y = 26;
    frame(l, LX0, y, LX1, 281, 0.6);
    /* Header: 所在 | location | 地番 | lot (| 縮尺 | scale on cards). */
    double hy1 = y + 14;
    if (card) {
        double xs[7] = {LX0, LX0 + 20, LX0 + 100, LX0 + 114, LX0 + 144, LX0 + 156, LX1};
        for (int i = 1; i < 6; i++)
            rule(l, xs[i], y, xs[i], hy1, 0.3);
        print_label(l, s->location.label, xs[0], y, xs[1], hy1, form->label_mm, 0.1, false);
        hand_field(l, &s->location, xs[1], y, xs[2], hy1);
        print_label(l, s->lot.label, xs[2], y, xs[3], hy1, form->label_mm, 0.1, false);
        hand_field(l, &s->lot, xs[3], y, xs[4], hy1);
        print_label(l, "축척", xs[4], y, xs[5], hy1, form->label_mm, 0.1, false);
        int box[4];
        hand_text(l, s->scale, xs[5], y, xs[6], hy1, l->ink_rgb, false, 0, 0, box);
    } else {
        double xs[5] = {LX0, LX0 + 16, LX0 + 116, LX0 + 132, LX1};
        for (int i = 1; i < 4; i++)
            rule(l, xs[i], y, xs[i], hy1, 0.3);
        print_label(l, s->location.label, xs[0], y, xs[1], hy1, form->label_mm, 0.3, false);
        hand_field(l, &s->location, xs[1], y, xs[2], hy1);
        print_label(l, s->lot.label, xs[2], y, xs[3], hy1, form->label_mm, 0.3, false);
        hand_field(l, &s->lot, xs[3], y, xs[4], hy1);
    }
    rule(l, LX0, hy1, LX1, hy1, 0.5);

    /* Land block. */
    double ly0 = hy1, lh_head = 9, row_h = 12;
    double ly1 = ly0 + lh_head + form->land_rows * row_h;
    rule(l, LX0 + SECTION_W, ly0, LX0 + SECTION_W, ly1, 0.3);
    print_label(l, form->land_block, LX0, ly0, LX0 + SECTION_W, ly1, 4.0, 0.6, true);
    double x = LX0 + SECTION_W;
    double lxs[8];
    lxs[0] = x;
    for (int c = 0; c < form->n_land_cols; c++) {
        x += form->land[c].w;
        lxs[c + 1] = x;
        if (c + 1 < form->n_land_cols)
            rule(l, x, ly0, x, ly1, 0.25);
    }
    for (int c = 0; c < form->n_land_cols; c++)
        print_label(l, form->land[c].label, lxs[c], ly0, lxs[c + 1], ly0 + lh_head,
                    form->label_mm, 0.3, false);
    rule(l, LX0 + SECTION_W, ly0 + lh_head, LX1, ly0 + lh_head, 0.35);
    for (int r = 0; r < form->land_rows; r++) {
        double ry0 = ly0 + lh_head + r * row_h, ry1 = ry0 + row_h;
        if (r + 1 < form->land_rows)
            rule(l, LX0 + SECTION_W, ry1, LX1, ry1, 0.2);
        if (r >= s->n_land)
            continue;
        lr_synth_land_row *row = &s->land[r];
        hand_field(l, &row->date, lxs[0], ry0, lxs[1], ry1);
        hand_field(l, &row->event, lxs[1], ry0, lxs[2], ry1);
        hand_field(l, &row->category, lxs[2], ry0, lxs[3], ry1);
        hand_field(l, &row->area, lxs[3], ry0, lxs[4], ry1);
        hand_field(l, &row->grade, lxs[4], ry0, lxs[5], ry1);
        if (row->extra[0] && form->n_land_cols > 5) {
            int box[4];
            hand_text(l, row->extra, lxs[5], ry0, lxs[6], ry1, l->ink_rgb, false, 0, 0, box);
        }
    }
    rule(l, LX0, ly1, LX1, ly1, 0.5);

    /* Owner block. */
    double oy0 = ly1, oh_head = 9, orow_h = 13;
    double oy1 = oy0 + oh_head + form->owner_rows * orow_h;
    rule(l, LX0 + SECTION_W, oy0, LX0 + SECTION_W, oy1, 0.3);
    print_label(l, form->owner_block, LX0, oy0, LX0 + SECTION_W, oy1, 4.0, 0.8, true);
    x = LX0 + SECTION_W;
    double oxs[7];
    oxs[0] = x;
    for (int c = 0; c < form->n_owner_cols; c++) {
        x += form->owner[c].w;
        oxs[c + 1] = x;
        if (c + 1 < form->n_owner_cols)
            rule(l, x, oy0, x, oy1, 0.25);
    }
    for (int c = 0; c < form->n_owner_cols; c++)
        print_label(l, form->owner[c].label, oxs[c], oy0, oxs[c + 1], oy0 + oh_head,
                    form->label_mm, 0.3, false);
    rule(l, LX0 + SECTION_W, oy0 + oh_head, LX1, oy0 + oh_head, 0.35);
    for (int r = 0; r < form->owner_rows; r++) {
        double ry0 = oy0 + oh_head + r * orow_h, ry1 = ry0 + orow_h;
        if (r + 1 < form->owner_rows)
            rule(l, LX0 + SECTION_W, ry1, LX1, ry1, 0.2);
        if (r >= s->n_owner)
            continue;
        lr_synth_owner_row *row = &s->owner[r];
        hand_field(l, &row->date, oxs[0], ry0, oxs[1], ry1);
        hand_field(l, &row->event, oxs[1], ry0, oxs[2], ry1);
        hand_field(l, &row->address, oxs[2], ry0, oxs[3], ry1);
        hand_field(l, &row->name, oxs[3], ry0, oxs[4], ry1);
        if (row->extra[0] && form->n_owner_cols > 4) {
            int box[4];
            hand_text(l, row->extra, oxs[4], ry0, oxs[5], ry1, l->ink_rgb, false, 0, 0, box);
        }
        /* A seal beside some names (colonial practice), over the cell's right edge. */
        if (!card && !(row->name.flags & LR_SYNTH_RED) && lr_synth_rng_chance(l->rng, 0.25))
            seal(l, oxs[4] - 3.5, ry0 + orow_h / 2, 2.6);
    }
    rule(l, LX0, oy1, LX1, oy1, 0.5);
    /* Remarks. */
    rule(l, LX0 + 18, oy1, LX0 + 18, 281, 0.25);
    print_label(l, card ? "비고" : "備考", LX0, oy1, LX0 + 18, 281, form->label_mm, 0.3, false);
    if (card && s->sheet_no[0]) {
        print_label(l, "장번호", 160, 14, 178, 22, 2.8, 0, false);
        int box[4];
        hand_text(l, s->sheet_no, 178, 13, 198, 23, l->ink_rgb, false, 0, 0, box);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Land-movement resolution                                                                   */

static void movement(L *l)
{
    lr_synth_sheet *s = l->s;
    int box[4];
    print_label(l, s->title, 30, 12, 180, 28, 7.0, 0.35, false);
    /* Approval boxes with seals (decoration, as on the printed form). */
    static const char *const roles[3] = {"담당", "계장", "과장"};
    for (int i = 0; i < 3; i++) {
        double x0 = 138 + i * 20;
        frame(l, x0, 34, x0 + 20, 56, 0.3);
        rule(l, x0, 40, x0 + 20, 40, 0.25);
        print_label(l, roles[i], x0, 34, x0 + 20, 40, 3.0, 0.2, false);
        if (lr_synth_rng_chance(l->rng, 0.8))
            seal(l, x0 + 10, 48, 4.5);
    }
    print_label(l, "번호", 12, 36, 28, 46, 3.2, 0.2, false);
    hand_text(l, s->sheet_no, 28, 36, 70, 46, l->ink_rgb, false, 0, 0, box);

    double y = 60, rh = 12;
    frame(l, 12, y, 198, y + 3 * rh, 0.5);
    for (int i = 1; i < 3; i++)
        rule(l, 12, y + i * rh, 198, y + i * rh, 0.25);
    rule(l, 42, y, 42, y + 3 * rh, 0.3);
    lr_synth_land_row *r0 = &s->land[0];
    print_label(l, r0->date.label, 12, y, 42, y + rh, 3.4, 0.2, false);
    hand_field(l, &r0->date, 42, y, 198, y + rh);
    print_label(l, s->location.label, 12, y + rh, 42, y + 2 * rh, 3.4, 0.2, false);
    hand_field(l, &s->location, 42, y + rh, 198, y + 2 * rh);
    print_label(l, r0->event.label, 12, y + 2 * rh, 42, y + 3 * rh, 3.4, 0.2, false);
    hand_field(l, &r0->event, 42, y + 2 * rh, 198, y + 3 * rh);
    for (int i = 1; i < s->n_land; i++) {
        memcpy(s->land[i].date.box, r0->date.box, sizeof r0->date.box);
        memcpy(s->land[i].event.box, r0->event.box, sizeof r0->event.box);
    }

    /* Before and after tables: 지번 | 지목 | 면적(㎡). */
    const double cx[4] = {22, 80, 130, 198};
    for (int t = 0; t < 2; t++) {
        int rows = t == 0 ? 3 : 6;
        double ty0 = t == 0 ? 104 : 158, ty1 = ty0 + 9 + rows * rh;
        frame(l, 12, ty0, 198, ty1, 0.5);
        rule(l, 22, ty0, 22, ty1, 0.3);
        print_label(l, t == 0 ? "이동전" : "이동후", 12, ty0, 22, ty1, 3.6, 0.5, true);
        for (int c = 1; c < 3; c++)
            rule(l, cx[c], ty0, cx[c], ty1, 0.25);
        static const char *const heads[3] = {"지번", "지목", "면적(㎡)"};
        for (int c = 0; c < 3; c++)
            print_label(l, heads[c], cx[c], ty0, cx[c + 1], ty0 + 9, 3.2, 0.2, false);
        rule(l, 22, ty0 + 9, 198, ty0 + 9, 0.35);
        for (int r = 0; r < rows; r++) {
            double ry0 = ty0 + 9 + r * rh, ry1 = ry0 + rh;
            if (r + 1 < rows)
                rule(l, 22, ry1, 198, ry1, 0.2);
            if (t == 0 && r < s->n_before) {
                if (r == 0) {
                    hand_field(l, &s->lot, cx[0], ry0, cx[1], ry1);
                    hand_field(l, &s->category, cx[1], ry0, cx[2], ry1);
                    hand_field(l, &s->area, cx[2], ry0, cx[3], ry1);
                } else {
                    hand_text(l, s->before_lot[r], cx[0], ry0, cx[1], ry1, l->ink_rgb, false, 0,
                              0, box);
                    hand_text(l, s->before_cat[r], cx[1], ry0, cx[2], ry1, l->ink_rgb, false, 0,
                              0, box);
                    hand_text(l, s->before_area[r], cx[2], ry0, cx[3], ry1, l->ink_rgb, false, 0,
                              0, box);
                }
            } else if (t == 1 && r < s->n_after) {
                hand_text(l, s->after_lot[r], cx[0], ry0, cx[1], ry1, l->ink_rgb, false, 0, 0,
                          box);
                hand_field(l, &s->land[r].category, cx[1], ry0, cx[2], ry1);
                hand_field(l, &s->land[r].area, cx[2], ry0, cx[3], ry1);
            }
        }
    }
    frame(l, 12, 244, 198, 270, 0.4);
    rule(l, 30, 244, 30, 270, 0.25);
    print_label(l, "비고", 12, 244, 30, 270, 3.2, 0.2, false);
    if (s->n_after > 1) {
        /* "분할되어 본번에 -5내지 -7을 부함" (domain.md §6.3). */
        char note[LR_SYNTH_TEXT_MAX];
        const char *first = strchr(s->after_lot[1], '-');
        const char *last = strchr(s->after_lot[s->n_after - 1], '-');
        if (first && last) {
            if (s->n_after > 2)
                snprintf(note, sizeof note, "분할되어 본번에 %s내지 %s 부함", first, last);
            else
                snprintf(note, sizeof note, "분할되어 본번에 %s 부함", first);
            hand_text(l, note, 30, 244, 198, 257, l->ink_rgb, false, 0, 0, box);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Map fragment                                                                               */

typedef struct quad {
    double x[4], y[4]; /* corners clockwise from top-left, mm */
} quad;

static double quad_area(const quad *q)
{
    double a = 0;
    for (int i = 0; i < 4; i++) {
        int j = (i + 1) % 4;
        a += q->x[i] * q->y[j] - q->x[j] * q->y[i];
    }
    return fabs(a) / 2;
}

/* Splits q across its longer direction along a slanted line: two quads. */
static void quad_split(lr_synth_rng *r, const quad *q, quad *a, quad *b)
{
    double w = hypot(q->x[1] - q->x[0], q->y[1] - q->y[0]);
    double h = hypot(q->x[3] - q->x[0], q->y[3] - q->y[0]);
    double t0 = lr_synth_rng_range(r, 0.35, 0.65), t1 = t0 + lr_synth_rng_range(r, -0.08, 0.08);
    if (w >= h) { /* cut top edge (0→1) and bottom edge (3→2) */
        double ux = q->x[0] + t0 * (q->x[1] - q->x[0]), uy = q->y[0] + t0 * (q->y[1] - q->y[0]);
        double lx = q->x[3] + t1 * (q->x[2] - q->x[3]), ly = q->y[3] + t1 * (q->y[2] - q->y[3]);
        *a = (quad){{q->x[0], ux, lx, q->x[3]}, {q->y[0], uy, ly, q->y[3]}};
        *b = (quad){{ux, q->x[1], q->x[2], lx}, {uy, q->y[1], q->y[2], ly}};
    } else { /* cut left edge (0→3) and right edge (1→2) */
        double lx = q->x[0] + t0 * (q->x[3] - q->x[0]), ly = q->y[0] + t0 * (q->y[3] - q->y[0]);
        double rx = q->x[1] + t1 * (q->x[2] - q->x[1]), ry = q->y[1] + t1 * (q->y[2] - q->y[1]);
        *a = (quad){{q->x[0], q->x[1], rx, lx}, {q->y[0], q->y[1], ry, ly}};
        *b = (quad){{lx, rx, q->x[2], q->x[3]}, {ly, ry, q->y[2], q->y[3]}};
    }
}

#define MAX_QUADS 160

static void subdivide(lr_synth_rng *r, const quad *q, double min_area, quad *out, int *n)
{
    if (*n >= MAX_QUADS - 1)
        return;
    double area = quad_area(q);
    if (area < min_area * lr_synth_rng_range(r, 1.0, 2.2)) {
        out[(*n)++] = *q;
        return;
    }
    quad a, b;
    quad_split(r, q, &a, &b);
    subdivide(r, &a, min_area, out, n);
    subdivide(r, &b, min_area, out, n);
}

static int cmp_quads(const void *pa, const void *pb)
{
    const quad *a = pa, *b = pb;
    double ay = (a->y[0] + a->y[2]) / 2, by = (b->y[0] + b->y[2]) / 2;
    int ra = (int)(ay / 22), rb = (int)(by / 22); /* bands of 22 mm, read left to right */
    if (ra != rb)
        return ra - rb;
    double ax = (a->x[0] + a->x[2]) / 2, bx = (b->x[0] + b->x[2]) / 2;
    return ax < bx ? -1 : ax > bx;
}

static void map_fragment(L *l)
{
    lr_synth_sheet *s = l->s;
    lr_synth_rng *r = l->rng;
    int box[4];
    frame(l, 10, 10, 200, 287, 0.7);
    frame(l, 12, 12, 198, 285, 0.3);
    rule(l, 12, 30, 198, 30, 0.4);
    print_label(l, s->title, 14, 13, 50, 29, 6.5, 0.3, false);
    print_label(l, s->location.label, 52, 15, 64, 27, 3.2, 0.1, false);
    hand_field(l, &s->location, 64, 13, 138, 29);
    print_label(l, s->modern ? "축척" : "縮尺", 140, 15, 152, 27, 3.2, 0.1, false);
    hand_text(l, s->scale, 152, 13, 182, 29, l->ink_rgb, false, 0, 0, box);
    hand_text(l, s->sheet_no, 182, 13, 198, 29, l->ink_rgb, false, 0, 3.0, box);

    /* Blocks between roads, then parcels by slanted cuts. */
    const double mx0 = 14, my0 = 34, mx1 = 196, my1 = 283;
    double xs[5], ys[6];
    int ncols = lr_synth_rng_int(r, 2, 3), nrows = lr_synth_rng_int(r, 3, 4);
    xs[0] = mx0;
    for (int i = 1; i < ncols; i++)
        xs[i] = mx0 + (mx1 - mx0) * i / ncols + lr_synth_rng_range(r, -8, 8);
    xs[ncols] = mx1;
    ys[0] = my0;
    for (int i = 1; i < nrows; i++)
        ys[i] = my0 + (my1 - my0) * i / nrows + lr_synth_rng_range(r, -8, 8);
    ys[nrows] = my1;
    quad quads[MAX_QUADS];
    int nq = 0;
    double min_area = lr_synth_rng_range(r, 260, 700);
    for (int bi = 0; bi < nrows; bi++) {
        for (int bj = 0; bj < ncols; bj++) {
            double road = lr_synth_rng_range(r, 2.5, 4.5);
            double x0 = xs[bj] + (bj ? road : 0), x1 = xs[bj + 1] - (bj + 1 < ncols ? road : 0);
            double y0 = ys[bi] + (bi ? road : 0), y1 = ys[bi + 1] - (bi + 1 < nrows ? road : 0);
            quad b = {{x0, x1, x1, x0}, {y0, y0, y1, y1}};
            for (int k = 0; k < 4; k++) { /* corners not quite square */
                b.x[k] += (b.x[k] > mx0 + 0.1 && b.x[k] < mx1 - 0.1) ? lr_synth_rng_range(r, -1.5, 1.5) : 0;
                b.y[k] += (b.y[k] > my0 + 0.1 && b.y[k] < my1 - 0.1) ? lr_synth_rng_range(r, -1.5, 1.5) : 0;
            }
            for (int k = 0; k < 4; k++) {
                int k2 = (k + 1) % 4;
                rule(l, b.x[k], b.y[k], b.x[k2], b.y[k2], 0.4);
            }
            subdivide(r, &b, min_area, quads, &nq);
        }
    }
    for (int i = 0; i < nq; i++)
        for (int k = 0; k < 4; k++) {
            int k2 = (k + 1) % 4;
            rule(l, quads[i].x[k], quads[i].y[k], quads[i].x[k2], quads[i].y[k2], 0.22);
        }
    qsort(quads, (size_t)nq, sizeof quads[0], cmp_quads);

    /* Lots in reading order (north-west to south-east), some split into 부번. */
    lr_synth_pen pen = l->hand;
    pen.jitter *= 0.4; /* a draughtsman's hand */
    int main_no = s->map_base_lot, group_left = 0, sub = 0;
    for (int i = 0; i < nq && s->n_parcels < LR_SYNTH_MAX_PARCELS; i++) {
        const quad *q = &quads[i];
        if (group_left > 0) {
            sub++;
            group_left--;
        } else {
            main_no++;
            sub = 0;
            if (lr_synth_rng_chance(r, 0.25)) {
                group_left = lr_synth_rng_int(r, 1, 2);
                sub = 1;
            } else if (lr_synth_rng_chance(r, 0.15)) {
                sub = lr_synth_rng_int(r, 1, 12);
            }
        }
        int cat = lr_synth_map_pick_category(s, r);
        lr_synth_parcel *p = &s->parcels[s->n_parcels];
        lr_synth_map_label(s, main_no, sub, cat, p);
        /* Fit the label inside the parcel; too small a parcel keeps its lines only. */
        double w = fmin(q->x[1], q->x[2]) - fmax(q->x[0], q->x[3]);
        double h = fmin(q->y[2], q->y[3]) - fmax(q->y[0], q->y[1]);
        double cxm = (q->x[0] + q->x[1] + q->x[2] + q->x[3]) / 4;
        double cym = (q->y[0] + q->y[1] + q->y[2] + q->y[3]) / 4;
        char label[2 * 160 + 1]; /* lot and category raw texts, each at most 159 bytes */
        snprintf(label, sizeof label, "%s%s", p->lot.raw, p->category.raw);
        pen.size = px(l, lr_synth_rng_range(r, 2.6, 3.4));
        double ext = lr_synth_text_extent(l->fonts, &pen, label);
        if (ext > px(l, w) * 0.85)
            pen.size *= px(l, w) * 0.85 / ext;
        if (pen.size < px(l, 1.8) || h < 4.5) {
            memset(p, 0, sizeof *p);
            continue;
        }
        ext = lr_synth_text_extent(l->fonts, &pen, label);
        double x0 = px(l, cxm) - ext / 2, base = px(l, cym) + pen.size * 0.36;
        lr_synth_text_draw(l->fonts, l->pix, &pen, p->lot.raw, x0, base, r, p->lot.box);
        lr_synth_text_draw(l->fonts, l->pix, &pen, p->category.raw,
                           x0 + lr_synth_text_extent(l->fonts, &pen, p->lot.raw) +
                               pen.size * 0.1,
                           base, r, p->category.box);
        int lb[4] = {p->lot.box[0] < p->category.box[0] ? p->lot.box[0] : p->category.box[0],
                     p->lot.box[1] < p->category.box[1] ? p->lot.box[1] : p->category.box[1],
                     p->lot.box[2] > p->category.box[2] ? p->lot.box[2] : p->category.box[2],
                     p->lot.box[3] > p->category.box[3] ? p->lot.box[3] : p->category.box[3]};
        add_line(l, label, lb);
        s->n_parcels++;
    }
    /* A road name now and then, in the road between two blocks. */
    if (nrows > 1 && lr_synth_rng_chance(r, 0.6)) {
        double ry = ys[1];
        print_label(l, s->modern ? "도로" : "道路", 60, ry - 3, 90, ry + 3, 2.6, 0.6, false);
    }
}

/* ------------------------------------------------------------------------------------------ */

int lr_synth_layout_render(lr_synth_fonts *fonts, lr_synth_page *page, bool rgb,
                           lr_synth_rng *style_rng, PIX **out_pix, lr_error *err)
{
    if (out_pix)
        *out_pix = NULL;
    if (!fonts || !page || !style_rng || !out_pix)
        return lr_error_set(err, LR_ERR_ARG, "nothing to render");
    if (page->dpi < 50 || page->dpi > 1200)
        return lr_error_set(err, LR_ERR_ARG, "resolution %d dpi out of range (50 … 1200)",
                            page->dpi);
    int rc = LR_OK;
    L l;
    memset(&l, 0, sizeof l);
    l.fonts = fonts;
    l.page = page;
    l.s = &page->sheet;
    l.rng = style_rng;
    l.pxmm = page->dpi / 25.4;
    page->upright_w = (int)lround(PAGE_W_MM * l.pxmm);
    page->upright_h = (int)lround(PAGE_H_MM * l.pxmm);
    PIX *pix = pixCreate(page->upright_w, page->upright_h, rgb ? 32 : 8);
    if (!pix) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "could not allocate a %dx%d page", page->upright_w,
                          page->upright_h);
        goto done;
    }
    pixSetAll(pix);
    pixSetResolution(pix, page->dpi, page->dpi);
    l.pix = pix;

    /* Ink of the form and of the clerk. */
    static const uint8_t prints[3][3] = {{45, 40, 38}, {35, 45, 80}, {70, 45, 35}};
    memcpy(l.print_rgb, prints[lr_synth_rng_int(style_rng, 0, 2)], 3);
    int k = lr_synth_rng_int(style_rng, 0, 25);
    l.ink_rgb[0] = (uint8_t)(20 + k), l.ink_rgb[1] = (uint8_t)(18 + k / 2),
    l.ink_rgb[2] = (uint8_t)(15 + k / 3);
    l.red_rgb[0] = (uint8_t)lr_synth_rng_int(style_rng, 165, 200);
    l.red_rgb[1] = (uint8_t)lr_synth_rng_int(style_rng, 20, 45);
    l.red_rgb[2] = (uint8_t)lr_synth_rng_int(style_rng, 20, 40);

    lr_synth_sheet *s = l.s;
    bool modern = s->doc == LR_SYNTH_CARD1975 || s->doc == LR_SYNTH_MOVEMENT ||
                  (s->doc == LR_SYNTH_MAP && s->modern);
    l.label.hand = false;
    l.label.print = modern ? (lr_synth_rng_chance(style_rng, 0.5) ? LR_SYNTH_FACE_MYEONGJO
                                                                  : LR_SYNTH_FACE_SERIF_KR)
                           : LR_SYNTH_FACE_SERIF_TC;
    memcpy(l.label.rgb, l.print_rgb, 3);
    l.label.opacity = 0.95;
    l.hand.hand = true;
    l.hand.hanja = LR_SYNTH_FACE_KAI;
    l.hand.hangul = modern || lr_synth_rng_chance(style_rng, 0.5) ? LR_SYNTH_FACE_PEN
                                                                  : LR_SYNTH_FACE_BRUSH;
    l.hand.opacity = 1.0;
    l.hand.embolden = lr_synth_rng_range(style_rng, 0.0, modern ? 0.012 : 0.03);
    l.hand.jitter = lr_synth_rng_range(style_rng, 0.6, 1.2);
    l.hand.tracking = lr_synth_rng_range(style_rng, 0.0, 0.08);
    l.hand_mm = lr_synth_rng_range(style_rng, 4.0, 4.8);
    if (page->hand == LR_SYNTH_HAND_PRINTED) {
        /* Typed entries: after the draws above, so the style stream stays aligned with the
         * handwritten sheet; the same cells and sizes, in the form's serif face, unjittered. */
        l.hand.hand = false;
        l.hand.print = modern ? l.label.print : LR_SYNTH_FACE_SERIF_KR;
        l.hand.embolden = 0;
        l.hand.jitter = 0;
        l.hand.tracking = 0;
    }

    switch (s->doc) {
    case LR_SYNTH_LAND: ledger(&l, &form_colonial); break;
    case LR_SYNTH_FOREST: ledger(&l, &form_forest); break;
    case LR_SYNTH_LAND1950: ledger(&l, &form_1950); break;
    case LR_SYNTH_CARD1975: ledger(&l, &form_card); break;
    case LR_SYNTH_MOVEMENT: movement(&l); break;
    case LR_SYNTH_MAP: map_fragment(&l); break;
    default: break;
    }
    if (l.rc < 0) {
        rc = lr_error_set(err, l.rc, "out of memory while laying out the page");
        goto done;
    }
    *out_pix = pix;
    pix = NULL;
done:
    pixDestroy(&pix);
    return rc;
}
