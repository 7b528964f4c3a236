/* pageread.c — a page read cell by cell when it is a ruled table (pageread.h). */
#include "landrec/pageread.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/layout.h"
#include "landrec/log.h"

/* Rows of ink in a crop: runs of rows holding ink, gaps of less than min_gap merged, runs
 * thinner than min_run (specks) dropped. Into runs (pairs of first, last+1), returns how many
 * (at most max). */
static int ink_runs(PIX *crop, int min_gap, int min_run, int (*runs)[2], int max)
{
    NUMA *rows = pixCountPixelsByRow(crop, NULL);
    if (!rows)
        return 0;
    int n = numaGetCount(rows), nr = 0, start = -1, last = -2;
    for (int y = 0; y <= n; y++) {
        l_int32 v = 0;
        if (y < n)
            numaGetIValue(rows, y, &v);
        if (v > 0) {
            if (start < 0)
                start = y;
            else if (y - last > min_gap) {
                if (last + 1 - start >= min_run && nr < max) {
                    runs[nr][0] = start;
                    runs[nr++][1] = last + 1;
                }
                start = y;
            }
            last = y;
        }
    }
    if (start >= 0 && last + 1 - start >= min_run && nr < max) {
        runs[nr][0] = start;
        runs[nr++][1] = last + 1;
    }
    numaDestroy(&rows);
    return nr;
}

/* Vertical writing laid into one line: the crop's characters (runs of rows, grouped into
 * pieces about as tall as the column is wide, so that 三 stays one) side by side. */
static PIX *reflow_vertical(PIX *crop, int (*runs)[2], int nruns, int dpi)
{
    l_int32 x0 = 0, x1 = 0;
    BOX *ink = NULL;
    if (pixClipToForeground(crop, NULL, &ink) != 0 || !ink)
        return NULL;
    l_int32 bx, by, bw, bh;
    boxGetGeometry(ink, &bx, &by, &bw, &bh);
    boxDestroy(&ink);
    x0 = bx;
    x1 = bx + bw;
    int pieces[64][2], np = 0;
    for (int i = 0; i < nruns && np < 64;) {
        int top = runs[i][0], bottom = runs[i][1], j = i + 1;
        while (j < nruns && runs[j][1] - top <= bw * 6 / 5)
            bottom = runs[j++][1];
        pieces[np][0] = top;
        pieces[np++][1] = bottom;
        i = j;
    }
    int space = dpi / 25 + 2, height = 0, width = space;
    for (int i = 0; i < np; i++) {
        int h = pieces[i][1] - pieces[i][0];
        height = h > height ? h : height;
        width += (x1 - x0) + space;
    }
    height += 2 * space;
    PIX *line = pixCreate(width, height, 1);
    if (!line)
        return NULL;
    int at = space;
    for (int i = 0; i < np; i++) {
        int h = pieces[i][1] - pieces[i][0];
        pixRasterop(line, at, (height - h) / 2, x1 - x0, h, PIX_SRC, crop, x0, pieces[i][0]);
        at += (x1 - x0) + space;
    }
    return line;
}

/* One cell's ink made ready for reading: the crop inside its lines (or, for vertical
 * writing, its characters laid into a line), and where it came from. */
typedef struct piece {
    PIX *pix;      /* 1 bpp */
    int x, y;      /* the crop's top-left corner on the page */
    bool reflowed; /* words cannot be placed back: they take the cell's box */
    lr_box cell;
    bool alone;         /* several lines, or vertical: a line of the montage to itself */
    int slot_x, slot_y; /* its top-left corner on the montage */
} piece;

/* Cuts one cell's inside (in from the ruling lines) out of page; out->pix stays NULL when it
 * holds no text. */
static int cut_cell(PIX *page, int dpi, const lr_box *c, piece *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->cell = *c;
    int in = dpi / 100 + 2;
    int x = c->x0 + in, y = c->y0 + in, w = c->x1 - c->x0 - 2 * in, h = c->y1 - c->y0 - 2 * in;
    if (w < 8 || h < 8)
        return LR_OK;
    BOX *b = boxCreate(x, y, w, h);
    PIX *crop = b ? pixClipRectangle(page, b, NULL) : NULL;
    boxDestroy(&b);
    PIX *bin = crop && pixGetDepth(crop) != 1 ? pixConvertTo1(crop, 128) : pixClone(crop);
    pixDestroy(&crop);
    if (!bin)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory cutting a cell");
    /* What is left of the ruling lines at the crop's edges (a thick or slanted line) runs
     * across the whole crop; no character does. */
    PIX *vl = pixOpenBrick(NULL, bin, 1, h * 4 / 5 > 1 ? h * 4 / 5 : 1);
    PIX *hl = pixOpenBrick(NULL, bin, w * 4 / 5 > 1 ? w * 4 / 5 : 1, 1);
    if (vl)
        pixSubtract(bin, bin, vl);
    if (hl)
        pixSubtract(bin, bin, hl);
    pixDestroy(&vl);
    pixDestroy(&hl);
    l_int32 ink = 0;
    pixCountPixels(bin, &ink, NULL);
    int runs[64][2];
    /* A few specks are not text: at least a small character's worth of ink. */
    int nruns = ink >= (dpi / 40) * (dpi / 40) ? ink_runs(bin, dpi / 60, dpi / 60, runs, 64) : 0;
    if (nruns == 0) {
        pixDestroy(&bin);
        return LR_OK;
    }
    if (h > 2 * w && nruns >= 2) {
        out->pix = reflow_vertical(bin, runs, nruns, dpi);
        out->reflowed = out->alone = true;
        pixDestroy(&bin);
        return out->pix ? LR_OK
                        : lr_error_set(err, LR_ERR_NOMEM, "out of memory laying out a cell");
    }
    /* Only the rows that hold ink: the montage stays small. */
    int top = runs[0][0], bottom = runs[nruns - 1][1];
    BOX *rows = boxCreate(0, top, w, bottom - top);
    out->pix = rows ? pixClipRectangle(bin, rows, NULL) : NULL;
    boxDestroy(&rows);
    pixDestroy(&bin);
    if (!out->pix)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory cutting a cell");
    out->x = x;
    out->y = y + top;
    /* Lines of text, not rows of ink: a run a third as tall as the tallest is a line. */
    int tallest = 0, lines = 0;
    for (int i = 0; i < nruns; i++)
        tallest = runs[i][1] - runs[i][0] > tallest ? runs[i][1] - runs[i][0] : tallest;
    for (int i = 0; i < nruns; i++)
        lines += 3 * (runs[i][1] - runs[i][0]) >= tallest;
    out->alone = lines > 1;
    return LR_OK;
}

/* White space beside and under a piece of height h on the montage: enough that Tesseract
 * never joins two cells' text into one word or one line. */
static int slot_gap(int h, int dpi)
{
    return h > dpi / 10 ? h : dpi / 10;
}

/* Whether two cells are in the same row of the table (their heights overlap by half). */
static bool same_row(const lr_box *a, const lr_box *b)
{
    int lo = a->y0 > b->y0 ? a->y0 : b->y0, hi = a->y1 < b->y1 ? a->y1 : b->y1;
    int ha = a->y1 - a->y0, hb = b->y1 - b->y0;
    return hi > lo && 2 * (hi - lo) >= (ha < hb ? ha : hb);
}

/* Reads pieces [from, to) in one Tesseract call (one call costs far less than one a cell).
 * The pieces of a table row are laid side by side on one line of a white montage, apart
 * enough to stay separate words, and each row, each cell of several lines and each
 * vertical cell on lines of its own: Tesseract reads them as a page of plain lines, with
 * the neighbours of each cell beside it as on the page but without the ruling lines. Words
 * go back onto the page by the piece they fall in, a block per cell, in the cells' order. */
static int read_montage(lr_ocr *ocr, int dpi, piece *pieces, size_t from, size_t to, int *block,
                        lr_ocr_result *out, lr_error *err)
{
    int margin = dpi / 10, width = 0, height = margin;
    for (size_t i = from; i < to;) {
        /* One montage line: a run of single-line pieces of the same table row. */
        size_t j = i + 1;
        if (!pieces[i].alone)
            while (j < to && !pieces[j].alone && same_row(&pieces[j].cell, &pieces[i].cell))
                j++;
        int row_h = 0, x = margin;
        for (size_t k = i; k < j; k++) {
            int h = pixGetHeight(pieces[k].pix);
            row_h = h > row_h ? h : row_h;
        }
        for (size_t k = i; k < j; k++) {
            pieces[k].slot_x = x;
            pieces[k].slot_y = height + (row_h - pixGetHeight(pieces[k].pix)) / 2;
            x += pixGetWidth(pieces[k].pix) + slot_gap(row_h, dpi);
        }
        width = x > width ? x : width;
        height += row_h + slot_gap(row_h, dpi);
        i = j;
    }
    width += margin;
    PIX *m = pixCreate(width, height, 1);
    if (!m)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory for the cells' montage");
    for (size_t i = from; i < to; i++)
        pixRasterop(m, pieces[i].slot_x, pieces[i].slot_y, pixGetWidth(pieces[i].pix),
                    pixGetHeight(pieces[i].pix), PIX_SRC, pieces[i].pix, 0, 0);
    lr_ocr_result r = {0};
    int rc = lr_ocr_recognize_region(ocr, m, dpi, 6, 0, 0, 0, &r, err);
    pixDestroy(&m);
    for (size_t i = from; rc == LR_OK && i < to; i++) {
        const piece *p = &pieces[i];
        int w = pixGetWidth(p->pix), h = pixGetHeight(p->pix);
        int reach = slot_gap(h, dpi) / 2;
        int line = -1, last = -1;
        for (size_t k = 0; k < r.nwords; k++) {
            lr_word *wd = &r.words[k];
            int cx = (wd->x0 + wd->x1) / 2, cy = (wd->y0 + wd->y1) / 2;
            if (!wd->text || cx < p->slot_x - reach || cx >= p->slot_x + w + reach ||
                cy < p->slot_y - reach || cy >= p->slot_y + h + reach)
                continue;
            lr_word *d = lr_ocr_result_add_word(out);
            if (!d) {
                rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
                break;
            }
            *d = *wd;
            wd->text = NULL; /* moved */
            if (wd->block * 10000 + wd->line != last) {
                last = wd->block * 10000 + wd->line;
                line++;
            }
            d->block = *block;
            d->par = 0;
            d->line = line;
            if (p->reflowed) {
                d->x0 = p->cell.x0;
                d->y0 = p->cell.y0;
                d->x1 = p->cell.x1;
                d->y1 = p->cell.y1;
            } else {
                d->x0 = wd->x0 - p->slot_x + p->x;
                d->x1 = wd->x1 - p->slot_x + p->x;
                d->y0 = wd->y0 - p->slot_y + p->y;
                d->y1 = wd->y1 - p->slot_y + p->y;
            }
        }
        if (line >= 0)
            (*block)++;
    }
    lr_ocr_result_clear(&r);
    return rc;
}

/* Moves the words of src to out, blocks renumbered from *block. */
static int append_words(lr_ocr_result *out, lr_ocr_result *src, int *block, lr_error *err)
{
    int last = -1;
    for (size_t i = 0; i < src->nwords; i++) {
        lr_word *s = &src->words[i];
        lr_word *d = lr_ocr_result_add_word(out);
        if (!d)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        *d = *s;
        s->text = NULL; /* moved */
        if (s->block != last) {
            last = s->block;
            (*block)++;
        }
        d->block = *block - 1;
    }
    return LR_OK;
}

int lr_read_page(lr_ocr *ocr, struct Pix *lines_page, struct Pix *text_page, int dpi, bool whole,
                 lr_ocr_result *out, lr_pageread_info *info, lr_error *err)
{
    lr_table t;
    int rc = lr_read_page_table(ocr, lines_page, text_page, dpi, whole, out, info, &t, err);
    lr_table_clear(&t);
    return rc;
}

int lr_read_page_table(lr_ocr *ocr, struct Pix *lines_page, struct Pix *text_page, int dpi,
                       bool whole, lr_ocr_result *out, lr_pageread_info *info, lr_table *table,
                       lr_error *err)
{
    if (table)
        memset(table, 0, sizeof *table);
    if (out)
        memset(out, 0, sizeof *out);
    lr_pageread_info dummy;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    if (!ocr || !lines_page || !text_page || !out || !table)
        return lr_error_set(err, LR_ERR_ARG, "lr_read_page: NULL argument");
    if (pixGetWidth(lines_page) != pixGetWidth(text_page) ||
        pixGetHeight(lines_page) != pixGetHeight(text_page))
        return lr_error_set(err, LR_ERR_ARG, "lr_read_page: the two pages differ in size");
    if (whole || pixGetDepth(lines_page) != 1)
        return lr_ocr_recognize(ocr, text_page, dpi, out, err);

    lr_table *t = table;
    int rc = lr_layout_find_table(lines_page, dpi, t, err);
    if (rc < 0)
        return rc;
    info->cells = (int)t->ncells;
    if (t->ncells >= LR_LAYOUT_MAP_MIN_REGIONS && !t->tiled) {
        /* Lines enclosing regions that overlap: a map's parcels, with a label here and there,
         * which Tesseract finds as sparse text (psm 11) and misses half of as a page. */
        info->sparse = true;
        rc = lr_ocr_recognize_region(ocr, text_page, dpi, 11, 0, 0, 0, out, err);
        if (rc == LR_OK)
            rc = lr_ocr_result_compose(out, pixGetWidth(text_page), pixGetHeight(text_page), err);
        return rc;
    }
    if (t->ncells < LR_PAGEREAD_MIN_CELLS || !t->tiled) {
        return lr_ocr_recognize(ocr, text_page, dpi, out, err);
    }
    info->by_cells = true;
    piece *pieces = NULL;

    /* Around the table: the strips above and below it (a title, a sheet number, notes),
     * each read as a block when it holds ink. A page of a few words is what Tesseract's
     * page layout drops (a large spaced title alone reads as nothing), hence psm 6. */
    int W = pixGetWidth(text_page), H = pixGetHeight(text_page);
    lr_box strips[2] = {{0, 0, W, t->table.y0}, {0, t->table.y1, W, H}};
    lr_ocr_result around[2] = {{0}, {0}};
    for (int k = 0; k < 2; k++) {
        lr_box *sb = &strips[k];
        if (sb->y1 - sb->y0 < dpi / 20)
            continue;
        BOX *b = boxCreate(sb->x0, sb->y0, sb->x1 - sb->x0, sb->y1 - sb->y0);
        PIX *strip = b ? pixClipRectangle(text_page, b, NULL) : NULL;
        boxDestroy(&b);
        PIX *bin = strip && pixGetDepth(strip) != 1 ? pixConvertTo1(strip, 128) : pixClone(strip);
        l_int32 ink = 0;
        if (bin)
            pixCountPixels(bin, &ink, NULL);
        pixDestroy(&bin);
        if (strip && ink >= (dpi / 20) * (dpi / 20)) {
            info->outside = true;
            rc = lr_ocr_recognize_region(ocr, strip, dpi, 6, sb->x0, sb->y0, 0, &around[k], err);
        }
        pixDestroy(&strip);
        if (rc < 0)
            goto done;
    }
    int block = 0;
    if ((rc = append_words(out, &around[0], &block, err)) < 0)
        goto done;
    pieces = calloc(t->ncells, sizeof *pieces);
    if (!pieces) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t np = 0;
    for (size_t i = 0; i < t->ncells; i++) {
        if ((rc = cut_cell(text_page, dpi, &t->cells[i], &pieces[np], err)) < 0)
            goto done;
        if (pieces[np].pix)
            np++;
    }
    info->cells_read = (int)np;
    /* Montages of at most about 20 000 pixels' height (Tesseract takes up to 32 767). */
    for (size_t from = 0; from < np;) {
        size_t to = from;
        int height = 0;
        while (to < np && (to == from || height + 2 * pixGetHeight(pieces[to].pix) < 20000))
            height += 2 * pixGetHeight(pieces[to++].pix);
        if ((rc = read_montage(ocr, dpi, pieces, from, to, &block, out, err)) < 0)
            goto done;
        from = to;
    }
    if ((rc = append_words(out, &around[1], &block, err)) < 0)
        goto done;
    rc = lr_ocr_result_compose(out, pixGetWidth(text_page), pixGetHeight(text_page), err);
    lr_log_debug("pageread: %d of %d cells read%s, %zu words", info->cells_read, info->cells,
                 info->outside ? ", and the page around the table" : "", out->nwords);
done:
    for (size_t i = 0; pieces && i < t->ncells; i++)
        pixDestroy(&pieces[i].pix);
    free(pieces);
    lr_ocr_result_clear(&around[0]);
    lr_ocr_result_clear(&around[1]);
    return rc;
}
