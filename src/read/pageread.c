/* pageread.c — a page read cell by cell when it is a ruled table (pageread.h). */
#include "landrec/pageread.h"

#include <leptonica/allheaders.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/layout.h"
#include "landrec/log.h"
#include "landrec/marks.h"
#include "landrec/runs.h"

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
static PIX *reflow_vertical(PIX *crop, int (*runs)[2], int nruns, int dpi, int space)
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
    int height = 0, width = space;
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

/* Columns of ink in a 1 bpp line: runs of columns holding ink (any blank column ends one).
 * Into runs (pairs of first, last+1), returns how many (at most max). */
static int ink_columns(PIX *line, int (*runs)[2], int max)
{
    NUMA *cols = pixCountPixelsByColumn(line);
    if (!cols)
        return 0;
    int n = numaGetCount(cols), nr = 0, start = -1;
    for (int x = 0; x <= n; x++) {
        l_int32 v = 0;
        if (x < n)
            numaGetIValue(cols, x, &v);
        if (v > 0 && start < 0) {
            start = x;
        } else if (v == 0 && start >= 0) {
            if (nr < max) {
                runs[nr][0] = start;
                runs[nr++][1] = x;
            }
            start = -1;
        }
    }
    numaDestroy(&cols);
    return nr;
}

/* Height of the ink between columns x0 and x1 of a 1 bpp line (0 when none). */
static int ink_height(PIX *line, int x0, int x1, int *top)
{
    *top = 0;
    BOX *b = boxCreate(x0, 0, x1 - x0, pixGetHeight(line)), *fg = NULL;
    PIX *c = b ? pixClipRectangle(line, b, NULL) : NULL;
    boxDestroy(&b);
    int h = 0;
    if (c && pixClipToForeground(c, NULL, &fg) == 0 && fg) {
        l_int32 bx, by, bw, bh;
        boxGetGeometry(fg, &bx, &by, &bw, &bh);
        h = bh;
        *top = by;
    }
    boxDestroy(&fg);
    pixDestroy(&c);
    return h;
}

/* A column of vertical writing in a cell wider than tall (a name written top to bottom,
 * perhaps with a seal beside it): the one run of columns of ink at least 1.8 times as tall
 * as wide (characters are about square) and as wide as a character (2.5 mm: a digit 1 is
 * tall and narrow), every other run of columns not (a seal, a stray mark). Its columns into
 * *x0, *x1; false when there is none. */
static bool vertical_column(PIX *bin, int dpi, int *x0, int *x1)
{
    int cols[16][2], found = -1;
    int ncols = ink_columns(bin, cols, 16);
    if (ncols < 1 || ncols > 4)
        return false;
    for (int i = 0; i < ncols; i++) {
        int w = cols[i][1] - cols[i][0], top = 0;
        int h = ink_height(bin, cols[i][0], cols[i][1], &top);
        bool column = w >= dpi / 10 && h * 10 >= w * 18;
        if (column && found >= 0)
            return false;
        if (column)
            found = i;
    }
    if (found < 0)
        return false;
    *x0 = cols[found][0];
    *x1 = cols[found][1];
    return true;
}

/* A column of vertical writing cut into its characters: as many as it is times as tall as
 * wide, each cut at the row of least ink within a quarter of a character of where it would
 * fall (the characters of a name may touch). Into runs (first, last+1), returns how many. */
static int split_column(PIX *col, int (*runs)[2], int max)
{
    BOX *fg = NULL;
    if (pixClipToForeground(col, NULL, &fg) != 0 || !fg)
        return 0;
    l_int32 bx, top, bw, h;
    boxGetGeometry(fg, &bx, &top, &bw, &h);
    boxDestroy(&fg);
    NUMA *rows = pixCountPixelsByRow(col, NULL);
    if (!rows)
        return 0;
    int k = (h + bw / 2) / (bw > 0 ? bw : 1);
    k = k < 1 ? 1 : k > max ? max : k;
    int from = top;
    for (int j = 1; j < k; j++) {
        int want = top + j * h / k, best = want, least = INT_MAX;
        for (int y = want - bw / 4; y <= want + bw / 4; y++) {
            l_int32 v = 0;
            if (y > from && y < top + h && numaGetIValue(rows, y, &v) == 0 && v < least) {
                least = v;
                best = y;
            }
        }
        runs[j - 1][0] = from;
        runs[j - 1][1] = best;
        from = best;
    }
    runs[k - 1][0] = from;
    runs[k - 1][1] = top + h;
    numaDestroy(&rows);
    return k;
}

/* One cell's ink made ready for reading: the crop inside its lines (or, for vertical
 * writing, its characters laid into a line), and where it came from. */
typedef struct piece {
    PIX *pix;      /* 1 bpp */
    int x, y;      /* the crop's top-left corner on the page */
    bool reflowed; /* words cannot be placed back: they take the cell's box */
    lr_box cell;
    bool alone;         /* several lines, or vertical: a line of the montage to itself */
    float scale;        /* the montage's pixels per page pixel (0: 1, as cut) */
    int slot_x, slot_y; /* its top-left corner on the montage */
    PIX *unstruck;      /* pix without the strikes' pixels, when a strike runs through it */
    lr_ocr_result got;  /* its words as read, in the page's pixels (block 0, lines its own) */
    bool read;          /* OCR gave it words (got may have lost them all since: stray marks) */
    bool one_row;       /* one run of rows of ink (not a 三 of strokes): a line's height */
} piece;

/* Cuts one cell's inside (in from the ruling lines) out of page, and when one of the strikes'
 * pixels (struck: NULL for none) lies in it, a copy without them (out->unstruck); out->pix
 * stays NULL when it holds no text. */
static int cut_cell(PIX *page, PIX *struck, int dpi, const lr_box *c, piece *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->cell = *c;
    int in = LR_LAYOUT_CELL_INSET(dpi);
    int x = c->x0 + in, y = c->y0 + in, w = c->x1 - c->x0 - 2 * in, h = c->y1 - c->y0 - 2 * in;
    if (w < 8 || h < 8)
        return LR_OK;
    BOX *b = boxCreate(x, y, w, h);
    PIX *crop = b ? pixClipRectangle(page, b, NULL) : NULL;
    PIX *bin = crop && pixGetDepth(crop) != 1 ? pixConvertTo1(crop, 128) : pixClone(crop);
    PIX *strike = bin && struck ? pixClipRectangle(struck, b, NULL) : NULL;
    boxDestroy(&b);
    pixDestroy(&crop);
    if (!bin || (struck && !strike)) {
        pixDestroy(&bin);
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory cutting a cell");
    }
    /* What is left of the ruling lines at the crop's edges (a thick or slanted line) runs
     * across the whole crop; no character does. */
    PIX *vl = lr_pix_open_line(bin, h * 4 / 5 > 1 ? h * 4 / 5 : 1, true);
    PIX *hl = lr_pix_open_line(bin, w * 4 / 5 > 1 ? w * 4 / 5 : 1, false);
    if (vl)
        pixSubtract(bin, bin, vl);
    if (hl)
        pixSubtract(bin, bin, hl);
    pixDestroy(&vl);
    pixDestroy(&hl);
    l_int32 strike_px = 0;
    if (strike)
        pixCountPixels(strike, &strike_px, NULL);
    /* The cell as it is (for the page's montage) and, when a strike runs through it, without
     * it (read_unstruck). */
    PIX *unstruck = strike_px > 0 ? pixSubtract(NULL, bin, strike) : NULL;
    pixDestroy(&strike);
    l_int32 ink = 0;
    pixCountPixels(bin, &ink, NULL);
    int runs[64][2];
    /* A few specks are not text: at least a small character's worth of ink. */
    int nruns = ink >= (dpi / 40) * (dpi / 40) ? ink_runs(bin, dpi / 60, dpi / 60, runs, 64) : 0;
    if (nruns == 0) {
        pixDestroy(&bin);
        pixDestroy(&unstruck);
        return LR_OK;
    }
    if (h > 2 * w && nruns >= 2) {
        out->pix = reflow_vertical(bin, runs, nruns, dpi, dpi / 25 + 2);
        out->reflowed = out->alone = true;
        pixDestroy(&bin);
        pixDestroy(&unstruck);
        return out->pix ? LR_OK
                        : lr_error_set(err, LR_ERR_NOMEM, "out of memory laying out a cell");
    }
    /* A name written top to bottom in a wide cell: its column laid into a line, the rest
     * (a seal) left out. Read as it stands, each character a line of its own, the models
     * returned nothing or Hangul for it. */
    int vx0, vx1;
    if (vertical_column(bin, dpi, &vx0, &vx1)) {
        BOX *cb = boxCreate(vx0, 0, vx1 - vx0, h);
        PIX *col = cb ? pixClipRectangle(bin, cb, NULL) : NULL;
        boxDestroy(&cb);
        int cruns[64][2];
        int nc = col ? split_column(col, cruns, 64) : 0;
        out->pix = nc ? reflow_vertical(col, cruns, nc, dpi, dpi / 100 + 1) : NULL;
        out->reflowed = out->alone = true;
        pixDestroy(&col);
        pixDestroy(&bin);
        pixDestroy(&unstruck);
        return out->pix ? LR_OK
                        : lr_error_set(err, LR_ERR_NOMEM, "out of memory laying out a cell");
    }
    /* Only the rows that hold ink: the montage stays small. */
    int top = runs[0][0], bottom = runs[nruns - 1][1];
    BOX *rows = boxCreate(0, top, w, bottom - top);
    out->pix = rows ? pixClipRectangle(bin, rows, NULL) : NULL;
    out->unstruck = rows && unstruck ? pixClipRectangle(unstruck, rows, NULL) : NULL;
    boxDestroy(&rows);
    pixDestroy(&bin);
    if (!out->pix || (unstruck && !out->unstruck)) {
        pixDestroy(&unstruck);
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory cutting a cell");
    }
    pixDestroy(&unstruck);
    out->x = x;
    out->y = y + top;
    /* Lines of text, not rows of ink: a run a third as tall as the tallest is a line, and
     * none is thinner than 1.3 mm, a stroke's width: the strokes of a lone 三 or 二 are rows
     * of ink, and on a montage line of its own Tesseract took them for three rules and read
     * nothing. */
    int tallest = 0, lines = 0, ink_rows = 0;
    for (int i = 0; i < nruns; i++)
        tallest = runs[i][1] - runs[i][0] > tallest ? runs[i][1] - runs[i][0] : tallest;
    for (int i = 0; i < nruns; i++) {
        ink_rows += 3 * (runs[i][1] - runs[i][0]) >= tallest;
        lines += 3 * (runs[i][1] - runs[i][0]) >= tallest && runs[i][1] - runs[i][0] >= dpi / 20;
    }
    out->alone = lines > 1;
    /* A piece of strokes (三) is shorter than a line of writing: not one for the median. */
    out->one_row = ink_rows <= 1;
    return LR_OK;
}

/* The text around a table (a title, a sheet number beside it, notes) as pieces of one size
 * of writing each: the strip's lines of ink, cut where a gap is wider than one and a half
 * times the writing beside it. A large spaced title and a small number on its line are
 * then two lines of the montage: read on one line, Tesseract scales both alike and misreads
 * the small one. Appends to pieces (room for max), returns how many were added or < 0. */
static int cut_strip(PIX *page, int dpi, const lr_box *sb, piece *pieces, size_t max,
                     lr_error *err)
{
    BOX *b = boxCreate(sb->x0, sb->y0, sb->x1 - sb->x0, sb->y1 - sb->y0);
    PIX *crop = b ? pixClipRectangle(page, b, NULL) : NULL;
    boxDestroy(&b);
    PIX *bin = crop && pixGetDepth(crop) != 1 ? pixConvertTo1(crop, 128) : pixClone(crop);
    pixDestroy(&crop);
    if (!bin)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory cutting the text around a table");
    int lines[64][2], cols[256][2], added = 0;
    int nlines = ink_runs(bin, dpi / 30, dpi / 60, lines, 64);
    for (int i = 0; i < nlines && (size_t)added < max; i++) {
        int ly = lines[i][0], lh = lines[i][1] - lines[i][0];
        BOX *lb = boxCreate(0, ly, pixGetWidth(bin), lh);
        PIX *line = lb ? pixClipRectangle(bin, lb, NULL) : NULL;
        boxDestroy(&lb);
        if (!line) {
            pixDestroy(&bin);
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory cutting a line of text");
        }
        int ncols = ink_columns(line, cols, 256), heights[256], tops[256];
        for (int c = 0; c < ncols; c++)
            heights[c] = ink_height(line, cols[c][0], cols[c][1], &tops[c]);
        for (int c = 0; c < ncols && (size_t)added < max;) {
            int x0 = cols[c][0], x1 = cols[c][1], h = heights[c];
            int y0 = tops[c], y1 = tops[c] + heights[c];
            int d = c + 1;
            for (; d < ncols; d++) {
                int tall = heights[d] > h ? heights[d] : h;
                if (2 * (cols[d][0] - x1) >= 3 * tall)
                    break;
                h = tall;
                y0 = tops[d] < y0 ? tops[d] : y0;
                y1 = tops[d] + heights[d] > y1 ? tops[d] + heights[d] : y1;
                x1 = cols[d][1];
            }
            c = d;
            l_int32 ink = 0;
            BOX *cb = boxCreate(x0, y0, x1 - x0, y1 - y0);
            PIX *chunk = cb ? pixClipRectangle(line, cb, NULL) : NULL;
            boxDestroy(&cb);
            if (chunk)
                pixCountPixels(chunk, &ink, NULL);
            /* Specks and dust are not text: at least a small character's worth of ink. */
            if (!chunk || ink < (dpi / 40) * (dpi / 40) || y1 - y0 < dpi / 30) {
                pixDestroy(&chunk);
                continue;
            }
            piece *p = &pieces[added++];
            memset(p, 0, sizeof *p);
            p->pix = chunk;
            p->x = sb->x0 + x0;
            p->y = sb->y0 + ly + y0;
            p->cell = (lr_box){p->x, p->y, p->x + (x1 - x0), p->y + (y1 - y0)};
            p->alone = true;
        }
        pixDestroy(&line);
    }
    pixDestroy(&bin);
    return added;
}

/* Brings strip pieces to the height of the table's writing (the median height of its
 * one-line cells), when they are more than half as tall again or a third smaller: Tesseract
 * reads a montage (psm 6) as text of one size, and a large spaced title on it comes out as
 * nonsense. */
static int scale_strip_pieces(piece *pieces, size_t from, size_t to, int target, lr_error *err)
{
    if (target <= 0)
        return LR_OK;
    for (size_t i = from; i < to; i++) {
        piece *p = &pieces[i];
        int h = pixGetHeight(p->pix);
        if (2 * h <= 3 * target && 3 * h >= 2 * target)
            continue;
        float k = (float)target / (float)h;
        PIX *g = pixScale(p->pix, k, k);
        PIX *b = g && pixGetDepth(g) != 1 ? pixThresholdToBinary(g, 128) : pixClone(g);
        pixDestroy(&g);
        if (!b)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory scaling a line of text");
        pixDestroy(&p->pix);
        p->pix = b;
        p->scale = k;
    }
    return LR_OK;
}

/* The median height of the one-line pieces in [from, to) that are one run of ink (0 when
 * none). */
static int median_line_height(const piece *pieces, size_t from, size_t to)
{
    NUMA *h = numaCreate(0);
    for (size_t i = from; h && i < to; i++)
        if (!pieces[i].alone && pieces[i].one_row)
            numaAddNumber(h, (l_float32)pixGetHeight(pieces[i].pix));
    l_float32 m = 0;
    if (!h || numaGetCount(h) == 0 || numaGetMedian(h, &m) != 0)
        m = 0;
    numaDestroy(&h);
    return (int)m;
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

/* A cell holding nothing but a ditto mark (〃) comes out of the models as slashes or
 * quotation marks ("/", "//", "”", a small one as "`": LR_MARKS_DITTO): no cell of a ledger
 * holds those alone. The words of out from first on, one cell's, become one 〃 when they are
 * nothing else (true then). */
static bool mend_ditto(lr_ocr_result *out, size_t first)
{
    size_t chars = 0;
    for (size_t i = first; i < out->nwords; i++) {
        for (const char *c = out->words[i].text; c && *c; chars++) {
            size_t n = lr_marks_prefix(LR_MARKS_DITTO, c, strlen(c));
            if (!n)
                return false;
            c += n;
        }
    }
    if (chars == 0 || chars > 3)
        return false;
    char *ditto = strdup("\u3003");
    if (!ditto)
        return false;
    lr_word *w = &out->words[first];
    for (size_t i = first + 1; i < out->nwords; i++) {
        w->x0 = out->words[i].x0 < w->x0 ? out->words[i].x0 : w->x0;
        w->y0 = out->words[i].y0 < w->y0 ? out->words[i].y0 : w->y0;
        w->x1 = out->words[i].x1 > w->x1 ? out->words[i].x1 : w->x1;
        w->y1 = out->words[i].y1 > w->y1 ? out->words[i].y1 : w->y1;
        free(out->words[i].text);
    }
    free(w->text);
    w->text = ditto;
    out->nwords = first + 1;
    return true;
}

/* Quotation marks and a full stop the models write where a cell's writing begins or ends
 * after white space ("“分筆", "日“", a lone "。"), and what they make of a seal beside a
 * name ("@", "©"): LR_MARKS_STRAY. No ledger entry holds them, so in a cell that holds other
 * writing they are dropped from the ends of its words, and a word of nothing else goes. */
static void drop_stray_marks(lr_ocr_result *out, size_t first)
{
    size_t kept = first;
    for (size_t i = first; i < out->nwords; i++) {
        char *t = out->words[i].text;
        if (!t)
            continue; /* dropped */
        size_t len = strlen(t), start = 0, k;
        while ((k = lr_marks_prefix(LR_MARKS_STRAY, t + start, len - start)) > 0)
            start += k;
        while ((k = lr_marks_suffix(LR_MARKS_STRAY, t + start, len - start)) > 0)
            len -= k;
        if (len > start) {
            memmove(t, t + start, len - start);
            t[len - start] = '\0';
            out->words[kept++] = out->words[i];
        } else {
            free(t);
        }
    }
    out->nwords = kept;
}

/* Reads pieces [from, to) in one Tesseract call (one call costs far less than one a cell).
 * The pieces of a table row are laid side by side on one line of a white montage, apart
 * enough to stay separate words, and each row, each cell of several lines and each
 * vertical cell on lines of its own: Tesseract reads them as a page of plain lines, with
 * the neighbours of each cell beside it as on the page but without the ruling lines. Words
 * go back onto the page, into the piece they fall in (its got). */
static int read_montage(lr_ocr *ocr, int dpi, piece *pieces, size_t from, size_t to,
                        lr_error *err)
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
    lr_ocr_set_unboxed(ocr, true); /* no ruling line is left on the montage */
    int rc = lr_ocr_recognize_region(ocr, m, dpi, 6, 0, 0, 0, &r, err);
    lr_ocr_set_unboxed(ocr, false);
    pixDestroy(&m);
    /* Each word to the piece its left edge falls in. The models place the box of a cell's
     * last character late (日 at the end of a date came out half past the cell's edge, and
     * by its centre went to the next cell), so a word starting in the gap after a piece is
     * that piece's; one starting a little before a piece is the piece's too. */
    size_t *owner = r.nwords ? malloc(r.nwords * sizeof *owner) : NULL;
    if (rc == LR_OK && r.nwords && !owner)
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (size_t k = 0; rc == LR_OK && k < r.nwords; k++) {
        const lr_word *wd = &r.words[k];
        int cy = (wd->y0 + wd->y1) / 2, best_d = INT_MAX;
        owner[k] = SIZE_MAX;
        for (size_t i = from; wd->text && i < to; i++) {
            const piece *p = &pieces[i];
            int w = pixGetWidth(p->pix), h = pixGetHeight(p->pix), reach = slot_gap(h, dpi) / 2;
            if (cy < p->slot_y - reach || cy >= p->slot_y + h + reach)
                continue;
            int d = wd->x0 < p->slot_x ? 2 * (p->slot_x - wd->x0)
                    : wd->x0 >= p->slot_x + w ? wd->x0 - (p->slot_x + w) + 1
                                              : 0;
            if (d <= reach && d < best_d) {
                best_d = d;
                owner[k] = i;
            }
        }
    }
    for (size_t i = from; rc == LR_OK && i < to; i++) {
        piece *p = &pieces[i];
        int w = pixGetWidth(p->pix), h = pixGetHeight(p->pix);
        float k = p->scale > 0.0f ? p->scale : 1.0f;
        int line = -1, last = -1;
        lr_ocr_result_clear(&p->got);
        for (size_t n = 0; n < r.nwords; n++) {
            lr_word *wd = &r.words[n];
            if (owner[n] != i)
                continue;
            lr_word *d = lr_ocr_result_add_word(&p->got);
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
            d->block = 0;
            d->par = 0;
            d->line = line;
            if (p->reflowed) {
                d->x0 = p->cell.x0;
                d->y0 = p->cell.y0;
                d->x1 = p->cell.x1;
                d->y1 = p->cell.y1;
            } else {
                /* Back onto the page, kept inside the piece it came from. */
                int x0 = wd->x0 < p->slot_x ? p->slot_x : wd->x0;
                int x1 = wd->x1 > p->slot_x + w ? p->slot_x + w : wd->x1;
                int y0 = wd->y0 < p->slot_y ? p->slot_y : wd->y0;
                int y1 = wd->y1 > p->slot_y + h ? p->slot_y + h : wd->y1;
                x1 = x1 > x0 ? x1 : x0 + 1;
                y1 = y1 > y0 ? y1 : y0 + 1;
                d->x0 = (int)((float)(x0 - p->slot_x) / k) + p->x;
                d->x1 = (int)((float)(x1 - p->slot_x) / k) + p->x;
                d->y0 = (int)((float)(y0 - p->slot_y) / k) + p->y;
                d->y1 = (int)((float)(y1 - p->slot_y) / k) + p->y;
            }
        }
        p->read = line >= 0;
        if (p->read && !p->reflowed && !mend_ditto(&p->got, 0))
            drop_stray_marks(&p->got, 0);
    }
    free(owner);
    lr_ocr_result_clear(&r);
    return rc;
}

/* The struck cells read again without their strikes, on a montage of their own, and their
 * words replaced by that reading. Not in the page's montage: Tesseract reads a montage as one
 * block, and a change in one row changed how rows far from it were read (docs/ocr.md). */
static int read_unstruck(lr_ocr *ocr, int dpi, piece *pieces, size_t from, size_t to,
                         lr_error *err)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += pieces[i].unstruck != NULL;
    if (n == 0)
        return LR_OK;
    piece *again = calloc(n, sizeof *again);
    if (!again)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = from; i < to; i++) {
        if (!pieces[i].unstruck)
            continue;
        again[m] = pieces[i];
        again[m].pix = pieces[i].unstruck;
        again[m].unstruck = NULL;
        again[m++].got = (lr_ocr_result){0};
    }
    int rc = read_montage(ocr, dpi, again, 0, n, err);
    m = 0;
    for (size_t i = from; i < to; i++) {
        if (!pieces[i].unstruck)
            continue;
        if (rc == LR_OK) {
            lr_ocr_result_clear(&pieces[i].got);
            pieces[i].got = again[m].got;
            pieces[i].read = again[m].read;
        } else {
            lr_ocr_result_clear(&again[m].got);
        }
        m++;
    }
    free(again);
    return rc;
}

/* The pieces' words onto out, one block per piece with words, in the pieces' order. */
static int emit_words(piece *pieces, size_t n, lr_ocr_result *out, lr_error *err)
{
    int block = 0;
    for (size_t i = 0; i < n; i++) {
        lr_ocr_result *g = &pieces[i].got;
        for (size_t k = 0; k < g->nwords; k++) {
            lr_word *d = lr_ocr_result_add_word(out);
            if (!d)
                return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            *d = g->words[k];
            g->words[k].text = NULL; /* moved */
            d->block = block;
        }
        block += pieces[i].read;
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
    size_t cap = 0;

    /* Around the table: the strips above and below it (a title, a sheet number, notes), cut
     * into pieces of one size of writing each and read on the montage before and after the
     * cells, so the page's text keeps its order from top to bottom. */
    int W = pixGetWidth(text_page), H = pixGetHeight(text_page);
    lr_box strips[2] = {{0, 0, W, t->table.y0}, {0, t->table.y1, W, H}};
    cap = t->ncells + 2 * LR_PAGEREAD_MAX_STRIP_PIECES;
    pieces = calloc(cap, sizeof *pieces);
    if (!pieces) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* Top strip, cells, bottom strip, in the page's order. */
    size_t np = 0, cells_from = 0, cells_to = 0, strip_at[2][2] = {{0, 0}, {0, 0}};
    for (int k = 0; k < 2; k++) {
        if (k == 1) {
            cells_from = np;
            for (size_t i = 0; i < t->ncells; i++) {
                if ((rc = cut_cell(text_page, t->struck, dpi, &t->cells[i], &pieces[np], err)) < 0)
                    goto done;
                if (pieces[np].pix)
                    np++;
            }
            cells_to = np;
            info->cells_read = (int)(cells_to - cells_from);
        }
        strip_at[k][0] = strip_at[k][1] = np;
        if (strips[k].y1 - strips[k].y0 < dpi / 20)
            continue;
        int added = cut_strip(text_page, dpi, &strips[k], pieces + np,
                              LR_PAGEREAD_MAX_STRIP_PIECES, err);
        if ((rc = added) < 0)
            goto done;
        np += (size_t)added;
        strip_at[k][1] = np;
        info->outside = info->outside || added > 0;
    }
    int line_h = median_line_height(pieces, cells_from, cells_to);
    for (int k = 0; k < 2; k++)
        if ((rc = scale_strip_pieces(pieces, strip_at[k][0], strip_at[k][1], line_h, err)) < 0)
            goto done;
    /* Three montages: the strip above, the cells, the strip below. Tesseract tries first the
     * language that read the word before, so whatever shares a montage with the cells changes
     * how they are read (one montage for all loses fields, docs/ocr.md). Each is cut into
     * montages of at most about 20 000 pixels' height (Tesseract takes up to 32 767). */
    size_t parts[3][2] = {{strip_at[0][0], strip_at[0][1]},
                          {cells_from, cells_to},
                          {strip_at[1][0], strip_at[1][1]}};
    for (int k = 0; k < 3; k++) {
        for (size_t from = parts[k][0]; from < parts[k][1];) {
            size_t to = from;
            int height = 0;
            while (to < parts[k][1] &&
                   (to == from || height + 2 * pixGetHeight(pieces[to].pix) < 20000))
                height += 2 * pixGetHeight(pieces[to++].pix);
            if ((rc = read_montage(ocr, dpi, pieces, from, to, err)) < 0)
                goto done;
            from = to;
        }
    }
    if ((rc = read_unstruck(ocr, dpi, pieces, cells_from, cells_to, err)) < 0 ||
        (rc = emit_words(pieces, np, out, err)) < 0)
        goto done;
    rc = lr_ocr_result_compose(out, pixGetWidth(text_page), pixGetHeight(text_page), err);
    lr_log_debug("pageread: %d of %d cells read%s, %zu words", info->cells_read, info->cells,
                 info->outside ? ", and the page around the table" : "", out->nwords);
done:
    for (size_t i = 0; pieces && i < cap; i++) {
        pixDestroy(&pieces[i].pix);
        pixDestroy(&pieces[i].unstruck);
        lr_ocr_result_clear(&pieces[i].got);
    }
    free(pieces);
    return rc;
}
