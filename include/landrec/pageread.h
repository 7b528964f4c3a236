/* pageread.h — the OCR stage of one page. A page whose ruling lines tile a table (a ledger,
 * a card, a resolution) is read cell by cell: each cell's ink is cut out, the cells of a table
 * row laid side by side on one line of a white montage (a cell of several lines, or of
 * vertical writing with its characters laid into a line, on lines of its own), the montage
 * read in one call and each word put back by its cell; a cell with a strike through it
 * (lr_table.struck) is read again without the strike on a montage of its own, and that
 * reading kept; the strips above and below the table (title, notes) are read as blocks. A
 * page whose lines enclose many regions that overlap
 * (LR_LAYOUT_MAP_MIN_REGIONS or more: a map's parcel outlines) is read as sparse text
 * (psm 11), which finds the labels scattered over it. Any other page is read whole, as
 * lr_ocr_recognize does (docs/ocr.md, "Reading by layout").
 *
 * Why: Tesseract's page layout reads a ruled table across its cells and its ruling lines as
 * "|", and merges neighbouring cells into one word; a cell read apart comes out whole, in the
 * table's order (row by row, left to right), one block of text per cell.
 *
 * Owns: the montages it builds, within a call; the words it returns go to the caller.
 * Borrows: the caller's lr_ocr and the layout's table (layout.h).
 */
#ifndef LANDREC_PAGEREAD_H
#define LANDREC_PAGEREAD_H

#include <stdbool.h>

#include "landrec/error.h"
#include "landrec/layout.h"
#include "landrec/ocr.h"

struct Pix;

/* A page is read by cells when its table has at least this many cells. */
#define LR_PAGEREAD_MIN_CELLS 8
/* At most this many pieces of writing are read from each strip above and below a table. */
#define LR_PAGEREAD_MAX_STRIP_PIECES 48
/* Names how pages are read, for the run's settings: a new way makes new runs. */
#define LR_PAGEREAD_VERSION "layout.v6"

typedef struct lr_pageread_info {
    bool by_cells;  /* the page was read cell by cell */
    int cells;      /* cells of the table */
    int cells_read; /* of which OCR'd (those with ink) */
    bool outside;   /* the page around the table was OCR'd too */
    bool sparse;    /* read as sparse text: lines whose regions overlap, a map's parcels */
} lr_pageread_info;

/* Reads a page: lines_page (1 bpp, upright: where the ruling lines are looked for, the
 * enhanced binary page) and text_page (1, 8 or 32 bpp, the same size: what is OCR'd, e.g.
 * the binary page without its vertical lines) at dpi, with ocr's languages. Fills *out as
 * lr_ocr_recognize does (zeroed first; words in the page's pixels; clear with
 * lr_ocr_result_clear, also after failure). whole: read every page whole, with the handle's
 * psm, as lr_ocr_recognize does (`landrec run --whole-page`). info may be NULL. */
int lr_read_page(lr_ocr *ocr, struct Pix *lines_page, struct Pix *text_page, int dpi, bool whole,
                 lr_ocr_result *out, lr_pageread_info *info, lr_error *err);

/* As lr_read_page, and the table it found (lr_layout_find_table on lines_page, zeroed when it
 * read the page whole without looking) into *table (clear with lr_table_clear, also after
 * failure), for the layout to reuse. */
int lr_read_page_table(lr_ocr *ocr, struct Pix *lines_page, struct Pix *text_page, int dpi,
                       bool whole, lr_ocr_result *out, lr_pageread_info *info, lr_table *table,
                       lr_error *err);

#endif
