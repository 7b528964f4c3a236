/* test_lattice.c — a cell's lattice read by the real chi_tra model (lr_ocr_read_cell_lattice)
 * and decoded against its field's grammar: a printed date, and 合倂, whose 倂 the model lacks
 * (testdata/ocr/cell-*.png, scripts/make-testdata.sh). */
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/decode.h"
#include "landrec/ocr.h"
#include "lr_test.h"

static lr_ocr *ocr;
static lr_decode_tables *tables;

static void dump(const char *name, const char *text, const lr_lattice *l)
{
    fprintf(stderr, "%s: \"%s\", %zu positions\n", name, text, l->n);
    for (size_t i = 0; i < l->n; i++) {
        fprintf(stderr, "  %zu:", i);
        for (int k = 0; k < l->col[i].n; k++) {
            char g[8] = "";
            uint32_t cp = l->col[i].c[k].cp;
            if (cp < 0x80) g[0] = (char)cp;
            else if (cp < 0x800) snprintf(g, sizeof g, "%c%c", 0xC0 | (cp >> 6), 0x80 | (cp & 63));
            else snprintf(g, sizeof g, "%c%c%c", 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
            fprintf(stderr, " %s:%.2f", g, l->col[i].c[k].cost);
        }
        fputc('\n', stderr);
    }
}

/* Reads the cell in file with chi_tra (whitelist: the grammar's characters when whitelist)
 * and decodes it as ctx says; the decoded value into r. */
static void read_decode(const char *file, lr_decode_ctx ctx, bool whitelist, lr_decode_result *r,
                        lr_lattice *l)
{
    char path[4200], ws[2048] = "";
    snprintf(path, sizeof path, "%s/ocr/%s", lr_test_data_dir(), file);
    PIX *pix = pixRead(path);
    if (!pix) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(99);
    }
    if (whitelist)
        lr_decode_charset(tables, &ctx, ws, sizeof ws);
    lr_ocr_cell_opts o = {.lang = "chi_tra", .psm = LR_OCR_PSM_LINE, .whitelist = ws};
    char *text = NULL;
    float conf = 0;
    lr_error err;
    int rc = lr_ocr_read_cell_lattice(ocr, pix, 300, &o, &text, &conf, l, &err);
    CHECKF(rc == LR_OK, "%s", err.message);
    if (rc == LR_OK) {
        dump(file, text, l);
        CHECK(lr_decode(tables, &ctx, l, r, &err) == LR_OK);
        fprintf(stderr, "  → %s (%s) cost %.2f conf %.0f\n", r->found ? r->value : "-", r->text,
                r->cost, r->conf);
    }
    free(text);
    pixDestroy(&pix);
}

int main(void)
{
    lr_ocr_options oo;
    lr_ocr_options_default(&oo);
    oo.orientation = false;
    oo.pages = false;
    oo.lang = "chi_tra";
    oo.forms = "";
    lr_error err;
    char dir[4200];
    const char *root = getenv("LR_SOURCE_ROOT");
    snprintf(dir, sizeof dir, "%s/data", root ? root : ".");
    if (lr_ocr_new(&oo, &ocr, &err) != LR_OK || lr_decode_tables_load(dir, &tables, &err) != LR_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 99;
    }
    lr_lattice l;
    lr_decode_result r;
    /* a clean printed date: one position a glyph, its alternatives costed, the value as read */
    read_decode("cell-date.png", (lr_decode_ctx){.grammar = LR_GRAMMAR_DATE}, false, &r, &l);
    CHECKF(l.n == 8, "%zu positions", l.n);
    int listed = 0;
    for (size_t i = 0; i < l.n; i++) {
        listed += l.col[i].n > 1;
        CHECK(l.col[i].n >= 1 && l.col[i].c[0].cost == 0);
        for (int k = 1; k < l.col[i].n; k++)
            CHECK(l.col[i].c[k].cost >= l.col[i].c[k - 1].cost);
    }
    CHECKF(listed > 0, "no position has an alternative: lstm_choice_mode not in force");
    CHECK(r.found && strcmp(r.value, "1915-03-02") == 0);
    lr_lattice_clear(&l);
    /* 合倂: chi_tra has no 倂; read with the grammar's whitelist it drops it (合 alone) or
     * writes 併 (variants.tsv): either way the decoder reads 合倂 */
    lr_decode_ctx ev = {.grammar = LR_GRAMMAR_EVENT, .side = LR_DECODE_SIDE_LAND,
                        .script = LR_SCRIPT_HANJA};
    read_decode("cell-event.png", ev, true, &r, &l);
    CHECKF(r.found && strcmp(r.value, "merge") == 0 && strcmp(r.text, "合倂") == 0, "%s %s",
           r.value, r.text);
    lr_lattice_clear(&l);
    /* a NULL lattice is refused */
    char *text = NULL;
    float conf;
    lr_ocr_cell_opts o = {.lang = "chi_tra", .psm = LR_OCR_PSM_LINE};
    PIX *tiny = pixCreate(10, 10, 1);
    CHECK(lr_ocr_read_cell_lattice(ocr, tiny, 300, &o, &text, &conf, NULL, &err) == LR_ERR_ARG);
    pixDestroy(&tiny);
    lr_decode_tables_destroy(&tables);
    lr_ocr_destroy(&ocr);
    printf("%d checks, %d failed\n", lr_test_checks, lr_test_failed);
    return lr_test_failed ? 1 : 0;
}
