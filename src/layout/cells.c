/* cells.c — the cells of a page's ruled table: the regions its ruling lines enclose in every
 * ruled block big enough to be a table (layout.h: lr_layout_find_table), and whether they
 * tile it as a form's cells do or overlap as a map's parcels do. */
#include "layout_internal.h"

#include <stdlib.h>
#include <string.h>

/* A form's cells overlap each other by at most this share of their area; a map's parcel
 * outlines enclose regions whose boxes overlap more. */
#define TILED_MAX_OVERLAP 0.02
/* A ruled block is a table when it covers a hundredth of the page or more and is at least
 * half an inch wide and a sixth of an inch high (150 by 50 pixels at LAYOUT_REF_DPI). */
#define TABLE_MIN_PAGE_SHARE 100
#define TABLE_MIN_WIDTH_PX 150
#define TABLE_MIN_HEIGHT_PX 50

/* Whether boxes tile a table: they overlap each other by at most TILED_MAX_OVERLAP of their
 * area (a form's cells do not overlap; a map's parcel outlines enclose regions whose boxes
 * do). */
static bool boxes_tile(BOXA *cells)
{
    int n = cells ? boxaGetCount(cells) : 0;
    double area = 0, over = 0;
    for (int i = 0; i < n; i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(cells, i, &x, &y, &w, &h);
        area += (double)w * h;
        for (int k = 0; k < i; k++) {
            l_int32 a, b, c, d;
            boxaGetBoxGeometry(cells, k, &a, &b, &c, &d);
            int ox = (x + w < a + c ? x + w : a + c) - (x > a ? x : a);
            int oy = (y + h < b + d ? y + h : b + d) - (y > b ? y : b);
            if (ox > 0 && oy > 0)
                over += (double)ox * oy;
        }
    }
    return n > 0 && over <= TILED_MAX_OVERLAP * area;
}

/* Top to bottom, then left to right. */
static int cmp_box(const void *pa, const void *pb)
{
    const lr_box *a = pa, *b = pb;
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    return a->x0 < b->x0 ? -1 : a->x0 > b->x0;
}

/* Adds to g the cells of the ruled block (tx, ty, tw, th) of mask, the page's lines dilated,
 * each region once, and grows the table's box by the block when it has cells. */
static int add_block_cells(grid *g, PIX *mask, int dpi, l_int32 tx, l_int32 ty, l_int32 tw,
                           l_int32 th, lr_error *err)
{
    int minw = layout_px(dpi, LAYOUT_CELL_MIN_WIDTH_PX),
        minh = layout_px(dpi, LAYOUT_CELL_MIN_HEIGHT_PX);
    BOX *tb = boxCreate(tx, ty, tw, th);
    PIX *clip = pixClipRectangle(mask, tb, NULL);
    PIX *inv = clip ? pixInvert(NULL, clip) : NULL;
    BOXA *regions = inv ? pixConnComp(inv, NULL, 4) : NULL;
    pixDestroy(&clip);
    pixDestroy(&inv);
    if (!regions) {
        boxDestroy(&tb);
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory finding the cells");
    }
    int before = boxaGetCount(g->cells);
    for (int i = 0; i < boxaGetCount(regions); i++) {
        l_int32 x, y, w, hh;
        boxaGetBoxGeometry(regions, i, &x, &y, &w, &hh);
        /* Regions touching the block's box are outside the ruled area. */
        if (x <= 0 || y <= 0 || x + w >= tw || y + hh >= th || w < minw || hh < minh)
            continue;
        /* A block's clip also holds the lines of the blocks inside it (a map's frame
         * around its parcels): their regions are found once. */
        bool seen = false;
        for (int k = 0; k < boxaGetCount(g->cells) && !seen; k++) {
            l_int32 ox, oy, ow, oh;
            boxaGetBoxGeometry(g->cells, k, &ox, &oy, &ow, &oh);
            seen = ox == x + tx && oy == y + ty && ow == w && oh == hh;
        }
        if (!seen)
            boxaAddBox(g->cells, boxCreate(x + tx, y + ty, w, hh), L_INSERT);
    }
    boxaDestroy(&regions);
    if (boxaGetCount(g->cells) > before) {
        if (!g->table) {
            g->table = tb;
            tb = NULL;
        } else {
            BOX *u = boxBoundingRegion(g->table, tb);
            boxDestroy(&g->table);
            g->table = u;
        }
    }
    boxDestroy(&tb);
    return LR_OK;
}

int layout_find_grid(PIX *bin, int dpi, grid *g, lr_error *err)
{
    memset(g, 0, sizeof *g);
    PIX *mask = NULL;
    BOXA *comps = NULL;
    int rc = layout_ruling_lines(bin, dpi, &mask, &g->nh, &g->nv, &g->struck, err);
    if (rc < 0)
        goto done;
    /* Lines that stop just short of each other still close a cell. */
    int gap = layout_ruling_gap(dpi);
    pixDilateBrick(mask, mask, gap, gap);
    comps = pixConnComp(mask, NULL, 8);
    int pw = pixGetWidth(bin), ph = pixGetHeight(bin);
    g->cells = boxaCreate(64);
    if (!comps || !g->cells) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory finding the cells");
        goto done;
    }
    /* Every ruled block big enough to be a table (a sheet may have a header box and a block
     * per history); the table's box is their union. */
    for (int t = 0; t < boxaGetCount(comps); t++) {
        l_int32 tx, ty, tw, th;
        boxaGetBoxGeometry(comps, t, &tx, &ty, &tw, &th);
        if ((l_int64)tw * th < (l_int64)pw * ph / TABLE_MIN_PAGE_SHARE ||
            tw < layout_px(dpi, TABLE_MIN_WIDTH_PX) || th < layout_px(dpi, TABLE_MIN_HEIGHT_PX))
            continue;
        if ((rc = add_block_cells(g, mask, dpi, tx, ty, tw, th, err)) < 0)
            goto done;
    }
    g->tiled = g->table && boxes_tile(g->cells);
    g->lines = mask;
    mask = NULL;
done:
    pixDestroy(&mask);
    boxaDestroy(&comps);
    return rc;
}

void layout_grid_clear(grid *g)
{
    boxaDestroy(&g->cells);
    boxDestroy(&g->table);
    pixDestroy(&g->lines);
    pixDestroy(&g->struck);
}

int layout_grid_from_table(const lr_table *t, grid *g, lr_error *err)
{
    memset(g, 0, sizeof *g);
    g->nh = t->nh;
    g->nv = t->nv;
    g->tiled = t->tiled;
    g->struck = t->struck ? pixClone(t->struck) : NULL;
    g->cells = boxaCreate(t->ncells ? (int)t->ncells : 1);
    if (!g->cells)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < t->ncells; i++) {
        const lr_box *b = &t->cells[i];
        boxaAddBox(g->cells, boxCreate(b->x0, b->y0, b->x1 - b->x0, b->y1 - b->y0), L_INSERT);
    }
    if (t->table.x1 > t->table.x0)
        g->table = boxCreate(t->table.x0, t->table.y0, t->table.x1 - t->table.x0,
                             t->table.y1 - t->table.y0);
    return LR_OK;
}

int lr_layout_find_table(struct Pix *binary, int dpi, lr_table *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!binary || !out || pixGetDepth(binary) != 1 || dpi <= 0)
        return lr_error_set(err, LR_ERR_ARG, "lr_layout_find_table needs a 1-bpp page and dpi");
    grid g;
    int rc = layout_find_grid(binary, dpi, &g, err);
    size_t n = rc == LR_OK && g.cells ? (size_t)boxaGetCount(g.cells) : 0;
    if (n && !(out->cells = calloc(n, sizeof *out->cells)))
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == LR_OK && i < n; i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(g.cells, (int)i, &x, &y, &w, &h);
        out->cells[i] = (lr_box){x, y, x + w, y + h};
    }
    if (rc == LR_OK) {
        out->ncells = n;
        if (g.table) {
            l_int32 x, y, w, h;
            boxGetGeometry(g.table, &x, &y, &w, &h);
            out->table = (lr_box){x, y, x + w, y + h};
        }
        out->tiled = g.tiled;
        out->nh = g.nh;
        out->nv = g.nv;
        out->struck = g.struck;
        g.struck = NULL;
        if (n)
            qsort(out->cells, n, sizeof *out->cells, cmp_box);
    } else {
        lr_table_clear(out);
    }
    layout_grid_clear(&g);
    return rc;
}

void lr_table_clear(lr_table *t)
{
    if (!t)
        return;
    free(t->cells);
    pixDestroy(&t->struck);
    memset(t, 0, sizeof *t);
}
