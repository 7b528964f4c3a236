/* test_strikes.c — a struck-through entry is not a ruling line (src/layout/lines.c,
 * drop_strikes), and a ruling line broken by noise still is (add_broken_lines).
 * landrec-synth (argv[1]) draws a clean forest ledger whose fourth owner row is struck
 * through, the strike reaching its cells' sides, and noisy degraded ledgers. On each
 * page, as the OCR stage finds the table (lr_layout_find_table on the enhanced page):
 * - every entry of the truth has its centre in a cell, and two entries of different rows
 *   are never in one cell (no ruling line was dropped: on noisy pages specks lie beside
 *   every line; and broken lines are found: without them the rows of a history run
 *   together on the first two noisy pages, hundreds of pairs of entries of different rows
 *   in a cell);
 * - no cell edge runs through a struck entry's text (the strike was not taken for a line,
 *   which would cut the row in two and put every row below it one row off);
 * - the table's struck mask takes the strike out of each struck entry (a long horizontal run
 *   of ink there before, none after), keeps most of its characters' ink, and marks nothing
 *   outside the struck entries. */
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/enhance.h"
#include "landrec/layout.h"
#include "lr_test.h"

typedef struct entry {
    char field[64]; /* owner_history[3].date */
    int row;        /* -1: the sheet's own fields */
    int x0, y0, x1, y1;
    bool struck;
} entry;

static int read_box(json_t *box, entry *e)
{
    if (json_array_size(box) != 4)
        return -1;
    e->x0 = (int)json_integer_value(json_array_get(box, 0));
    e->y0 = (int)json_integer_value(json_array_get(box, 1));
    e->x1 = (int)json_integer_value(json_array_get(box, 2));
    e->y1 = (int)json_integer_value(json_array_get(box, 3));
    return 0;
}

/* The truth's entries: the history rows' fields, with their boxes. */
static size_t load_entries(json_t *t, entry *out, size_t max)
{
    size_t n = 0;
    json_t *fields = json_object_get(t, "fields");
    const char *hist[] = {"land_history", "owner_history"};
    for (size_t h = 0; h < 2; h++) {
        json_t *rows = json_object_get(fields, hist[h]);
        for (size_t r = 0; r < json_array_size(rows); r++) {
            const char *key;
            json_t *f;
            json_object_foreach(json_array_get(rows, r), key, f) {
                if (n == max || read_box(json_object_get(f, "box"), &out[n]) < 0)
                    continue;
                snprintf(out[n].field, sizeof out[n].field, "%s[%zu].%s", hist[h], r, key);
                out[n].row = (int)(h * 100 + r);
                out[n].struck = false;
                n++;
            }
        }
    }
    json_t *marks = json_object_get(t, "marks");
    for (size_t i = 0; i < json_array_size(marks); i++) {
        json_t *m = json_array_get(marks, i);
        const char *kind = json_string_value(json_object_get(m, "kind"));
        const char *field = json_string_value(json_object_get(m, "field"));
        for (size_t k = 0; kind && field && strcmp(kind, "struck") == 0 && k < n; k++)
            if (strcmp(out[k].field, field) == 0)
                out[k].struck = true;
    }
    return n;
}

/* Ink of a strike through entry e of page: what is left of the entry's box, thickened
 * across by a few pixels (a strike slants), after an opening with a horizontal brick half
 * the box's width, which no character's stroke is. */
static int long_run_ink(PIX *page, const entry *e)
{
    int pad = 4, w = e->x1 - e->x0 + 2 * pad, h = e->y1 - e->y0 + 2 * pad;
    BOX *b = boxCreate(e->x0 - pad, e->y0 - pad, w, h);
    PIX *crop = b ? pixClipRectangle(page, b, NULL) : NULL;
    PIX *thick = crop ? pixDilateBrick(NULL, crop, 1, 7) : NULL;
    PIX *runs = thick ? pixOpenBrick(NULL, thick, w / 2, 1) : NULL;
    pixDestroy(&thick);
    l_int32 n = -1;
    if (runs)
        pixCountPixels(runs, &n, NULL);
    boxDestroy(&b);
    pixDestroy(&crop);
    pixDestroy(&runs);
    return n;
}

static int ink_in(PIX *page, const entry *e)
{
    BOX *b = boxCreate(e->x0, e->y0, e->x1 - e->x0, e->y1 - e->y0);
    l_int32 n = -1;
    PIX *crop = b ? pixClipRectangle(page, b, NULL) : NULL;
    if (crop)
        pixCountPixels(crop, &n, NULL);
    boxDestroy(&b);
    pixDestroy(&crop);
    return n;
}

/* Checks one generated page; returns how many struck entries it has. */
static int check_page(const char *dir, const char *what)
{
    char img[4200], truth[4200];
    snprintf(img, sizeof img, "%s/sheet-0001.tif", dir);
    snprintf(truth, sizeof truth, "%s/sheet-0001.json", dir);
    json_error_t jerr;
    json_t *t = json_load_file(truth, 0, &jerr);
    PIX *pix = pixRead(img);
    CHECKF(t && pix, "%s: the generator's sheet and truth", what);
    int struck = 0;
    if (!t || !pix) {
        json_decref(t);
        pixDestroy(&pix);
        return 0;
    }
    int dpi = (int)json_integer_value(json_object_get(t, "dpi"));
    static entry e[256];
    size_t n = load_entries(t, e, 256);
    lr_enhanced enh = {0};
    lr_table tab = {0};
    lr_error err;
    CHECK(lr_enhance_page(pix, 0, dpi, NULL, &enh, &err) == LR_OK);
    CHECK(enh.binary && lr_layout_find_table(enh.binary, dpi, &tab, &err) == LR_OK);
    int placed = 0, shared = 0, cut = 0, kept_strike = 0, lost_ink = 0;
    PIX *unstruck = tab.struck ? pixSubtract(NULL, enh.binary, tab.struck) : NULL;
    /* what the mask marks outside the struck entries (a few pixels' margin) */
    PIX *stray = tab.struck ? pixCopy(NULL, tab.struck) : NULL;
    for (size_t i = 0; i < n; i++) {
        int cx = (e[i].x0 + e[i].x1) / 2, cy = (e[i].y0 + e[i].y1) / 2;
        for (size_t c = 0; c < tab.ncells; c++) {
            const lr_box *b = &tab.cells[c];
            if (cx >= b->x0 && cx < b->x1 && cy >= b->y0 && cy < b->y1) {
                placed++;
                for (size_t k = 0; k < i; k++) {
                    int kx = (e[k].x0 + e[k].x1) / 2, ky = (e[k].y0 + e[k].y1) / 2;
                    if (e[k].row != e[i].row && kx >= b->x0 && kx < b->x1 && ky >= b->y0 &&
                        ky < b->y1) {
                        shared++;
                        fprintf(stderr, "%s: %s and %s in one cell\n", what, e[k].field,
                                e[i].field);
                    }
                }
                break;
            }
        }
        if (!e[i].struck)
            continue;
        struck++;
        /* The pen runs on past the writing, by up to about a character. */
        int eh = e[i].y1 - e[i].y0;
        BOX *around = boxCreate(e[i].x0 - eh, e[i].y0 - 6, e[i].x1 - e[i].x0 + 2 * eh, eh + 12);
        if (stray && around)
            pixClearInRect(stray, around);
        boxDestroy(&around);
        /* A strike across vertical writing is as short as a character's stroke: it is not
         * told from one, and stays (docs/records.md). */
        if (eh > e[i].x1 - e[i].x0)
            continue;
        int before = long_run_ink(enh.binary, &e[i]);
        int after = unstruck ? long_run_ink(unstruck, &e[i]) : before;
        if (before <= 0 || after != 0) {
            kept_strike++;
            fprintf(stderr, "%s: struck %s: long runs %d before, %d after\n", what, e[i].field,
                    before, after);
        }
        /* The strike is a small share of an entry's ink: most of what is left is writing. */
        int ink0 = ink_in(enh.binary, &e[i]), ink1 = unstruck ? ink_in(unstruck, &e[i]) : 0;
        if (ink1 < ink0 * 6 / 10) {
            lost_ink++;
            fprintf(stderr, "%s: struck %s: ink %d before, %d after\n", what, e[i].field, ink0,
                    ink1);
        }
        /* A cell edge inside the text, across it: the strike taken for a ruling line. */
        int pad = (e[i].y1 - e[i].y0) / 5;
        for (size_t c = 0; c < tab.ncells; c++) {
            const lr_box *b = &tab.cells[c];
            bool across = b->x0 < e[i].x1 && b->x1 > e[i].x0;
            bool inside = (b->y0 > e[i].y0 + pad && b->y0 < e[i].y1 - pad) ||
                          (b->y1 > e[i].y0 + pad && b->y1 < e[i].y1 - pad);
            if (across && inside) {
                cut++;
                fprintf(stderr, "%s: a cell edge through struck %s\n", what, e[i].field);
                break;
            }
        }
    }
    l_int32 strays = 0;
    if (stray)
        pixCountPixels(stray, &strays, NULL);
    printf("%s: %zu entries, %d in a cell, %d sharing one, %d struck, %d cut, %d strikes left, "
           "%d marked elsewhere\n",
           what, n, placed, shared, struck, cut, kept_strike, strays);
    CHECKF(kept_strike == 0, "%s: %d struck entries keep their strike", what, kept_strike);
    CHECKF(lost_ink == 0, "%s: %d struck entries lost most of their ink", what, lost_ink);
    CHECKF(strays == 0, "%s: %d pixels marked struck outside struck entries", what, strays);
    pixDestroy(&unstruck);
    pixDestroy(&stray);
    CHECKF(n > 0 && placed == (int)n, "%s: %d of %zu entries in a cell", what, placed, n);
    CHECKF(shared == 0, "%s: %d entries of different rows in one cell", what, shared);
    CHECKF(cut == 0, "%s: %d struck entries cut by a cell edge", what, cut);
    lr_table_clear(&tab);
    lr_enhanced_clear(&enh);
    pixDestroy(&pix);
    json_decref(t);
    return struck;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_strikes LANDREC-SYNTH\n");
        return 2;
    }
    static const struct {
        const char *name, *args;
    } pages[] = {
        /* seed 10: its first forest ledger has a struck owner row */
        {"struck", "--seed 10 --types forest --preset clean --hand printed"},
        /* noisy, unskewed (the truth's boxes are then the enhanced page's); with the strike
         * filter off, too, every entry of another row is in a cell of its own */
        {"broken-land", "--seed 1 --types land --preset degraded --skew-max 0 --hand printed "
                        "--degrade noise=12"},
        {"broken-forest", "--seed 1 --types forest --preset degraded --skew-max 0 "
                          "--hand printed --degrade noise=12"},
        {"noisy-land", "--seed 4 --types land --preset degraded --skew-max 0 --hand printed "
                       "--degrade noise=12"},
        {"noisy-forest", "--seed 4 --types forest --preset degraded --skew-max 0 "
                         "--hand printed --degrade noise=12"},
        {"noisy-1950", "--seed 3 --types land1950 --preset degraded --skew-max 0 "
                       "--hand printed --degrade noise=12"},
    };
    int struck = 0;
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        char dir[2048], name[64], args[512];
        snprintf(name, sizeof name, "strikes-%s", pages[i].name);
        snprintf(args, sizeof args, "--count 1 %s", pages[i].args);
        CHECKF(lr_test_synth(argv[1], name, args, dir, sizeof dir) == 0, "landrec-synth %s",
               args);
        struck += check_page(dir, pages[i].name);
    }
    CHECKF(struck >= 4, "%d struck entries drawn (the generator's seed 10 has 4)", struck);
    return lr_test_finish("test_strikes");
}
