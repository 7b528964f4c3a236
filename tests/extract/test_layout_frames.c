/* test_layout_frames.c — a table drawn with a double outer frame (a heavier line 1–2 mm
 * outside its border, as printed forms have) has the cells of the same table with a single
 * frame, and they still tile it (src/layout/lines.c, join_double_rules): the gap between the
 * two lines is no ring-shaped cell around the table. At 300 and at 200 dpi (the gap is
 * measured in physical units). And a row just wider than the smallest cell is kept: two
 * lines are joined only when no cell fits between them. Drawn tables, no OCR. */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lr_test.h"
#include "landrec/layout.h"

#define NCOLS 4
#define NROWS 5

/* Lengths below are in pixels at 300 dpi, scaled to dpi. */
static int at(int px, int dpi)
{
    return px * dpi / 300;
}

/* A ruled table (lines 4 pixels thick at 300 dpi), its third row only row3 high; with an
 * outer frame gap pixels outside its border (0: none), weight pixels thick. */
static PIX *draw(int dpi, int row3, int gap, int weight)
{
    const int xs[NCOLS + 1] = {200, 500, 1100, 1500, 2200};
    int ys[NROWS + 1] = {300, 420, 600, 0, 0, 0};
    ys[3] = ys[2] + row3;
    ys[4] = ys[3] + 180;
    ys[5] = ys[4] + 180;
    PIX *pix = pixCreate(at(2480, dpi), at(1400, dpi), 1);
    int t = at(4, dpi) > 1 ? at(4, dpi) : 1;
    for (int c = 0; c <= NCOLS; c++)
        pixRenderLine(pix, at(xs[c], dpi), at(ys[0], dpi), at(xs[c], dpi), at(ys[NROWS], dpi), t,
                      L_SET_PIXELS);
    for (int r = 0; r <= NROWS; r++)
        pixRenderLine(pix, at(xs[0], dpi), at(ys[r], dpi), at(xs[NCOLS], dpi), at(ys[r], dpi), t,
                      L_SET_PIXELS);
    if (gap) {
        BOX *b =
            boxCreate(at(xs[0] - gap, dpi), at(ys[0] - gap, dpi),
                      at(xs[NCOLS] - xs[0] + 2 * gap, dpi), at(ys[NROWS] - ys[0] + 2 * gap, dpi));
        pixRenderBox(pix, b, at(weight, dpi), L_SET_PIXELS);
        boxDestroy(&b);
    }
    return pix;
}

static void find(PIX *pix, int dpi, lr_table *t)
{
    lr_error err;
    CHECKF(lr_layout_find_table(pix, dpi, t, &err) == LR_OK, "%s", err.message);
}

/* The cells of a and b are the same boxes (both sorted top to bottom, left to right). */
static void check_same_cells(const lr_table *a, const lr_table *b, const char *what)
{
    CHECKF(a->ncells == b->ncells, "%s: %zu cells, %zu with a single frame", what, b->ncells,
           a->ncells);
    for (size_t i = 0; i < a->ncells && i < b->ncells; i++) {
        const lr_box *p = &a->cells[i], *q = &b->cells[i];
        CHECKF(p->x0 == q->x0 && p->y0 == q->y0 && p->x1 == q->x1 && p->y1 == q->y1,
               "%s: cell %zu [%d,%d %d,%d], with a single frame [%d,%d %d,%d]", what, i, q->x0,
               q->y0, q->x1, q->y1, p->x0, p->y0, p->x1, p->y1);
    }
    CHECKF(b->tiled, "%s: the cells do not tile the table", what);
}

/* Frames 1 to 2 mm outside the border (12 to 24 pixels at 300 dpi between the lines'
 * middles), 0.4 to 0.8 mm thick. */
static void double_frames(int dpi)
{
    const int frames[][2] = {{19, 9}, {12, 5}, {22, 6}};
    lr_table single;
    PIX *pix = draw(dpi, 180, 0, 0);
    find(pix, dpi, &single);
    pixDestroy(&pix);
    CHECKF(single.ncells == NCOLS * NROWS && single.tiled, "single frame at %d dpi: %zu cells", dpi,
           single.ncells);
    for (size_t k = 0; k < sizeof frames / sizeof frames[0]; k++) {
        char what[64];
        snprintf(what, sizeof what, "%d dpi, frame %d px out, %d thick", dpi, frames[k][0],
                 frames[k][1]);
        lr_table framed;
        pix = draw(dpi, 180, frames[k][0], frames[k][1]);
        find(pix, dpi, &framed);
        pixDestroy(&pix);
        check_same_cells(&single, &framed, what);
        lr_table_clear(&framed);
    }
    lr_table_clear(&single);
}

/* A row 32 pixels high between its lines' middles at 300 dpi (a clear 28, above the
 * smallest cell's 20 and the gap a double rule may have): its cells are kept. */
static void narrow_row_kept(void)
{
    lr_table t;
    PIX *pix = draw(300, 32, 0, 0);
    find(pix, 300, &t);
    pixDestroy(&pix);
    int narrow = 0;
    for (size_t i = 0; i < t.ncells; i++)
        narrow += t.cells[i].y1 - t.cells[i].y0 < 40;
    CHECKF(t.ncells == NCOLS * NROWS && narrow == NCOLS, "%zu cells, %d of them the narrow row's",
           t.ncells, narrow);
    lr_table_clear(&t);
}

int main(void)
{
    double_frames(300);
    double_frames(200);
    narrow_row_kept();
    return lr_test_finish("test_layout_frames");
}
