/* analyze.c — a page's layout (layout.h: lr_layout_analyze), step by step: the cells of its
 * ruled table, their ink and text, the labels, the fields under and beside them, the
 * document type and form, and a location printed outside the table. */
#include "layout_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/log.h"

void lr_layout_clear(lr_layout *l)
{
    if (!l)
        return;
    free(l->cells);
    pixDestroy(&l->struck);
    memset(l, 0, sizeof *l);
}

/* What the steps work with besides the layout: one text, one anchor and one "used" flag a
 * cell (analyze.c's own; the steps take what they need). */
typedef struct scratch {
    layout_text *texts;
    int *anchors;
    bool *used;
} scratch;

static void scratch_clear(scratch *s)
{
    free(s->texts);
    free(s->anchors);
    free(s->used);
}

static int cmp_cell(const void *pa, const void *pb)
{
    const lr_cell *a = pa, *b = pb;
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    return a->x0 < b->x0 ? -1 : a->x0 > b->x0;
}

/* The grid's lines, table box and cells into out (cells top to bottom, left to right; the
 * strikes' pixels taken from g), and room for the steps' scratch. */
static int take_grid(lr_layout *out, grid *g, scratch *s, lr_error *err)
{
    out->nhlines = g->nh;
    out->nvlines = g->nv;
    out->struck = g->struck;
    g->struck = NULL;
    size_t n = g->cells ? (size_t)boxaGetCount(g->cells) : 0;
    if (g->table)
        boxGetGeometry(g->table, &out->table_x0, &out->table_y0, &out->table_x1, &out->table_y1);
    out->table_x1 += out->table_x0;
    out->table_y1 += out->table_y0;
    if (n) {
        out->cells = calloc(n, sizeof *out->cells);
        s->texts = calloc(n, sizeof *s->texts);
        s->anchors = calloc(n, sizeof *s->anchors);
        s->used = calloc(n, sizeof *s->used);
        if (!out->cells || !s->texts || !s->anchors || !s->used)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        l_int32 x, y, w, h;
        boxaGetBoxGeometry(g->cells, (int)i, &x, &y, &w, &h);
        lr_cell *c = &out->cells[i];
        c->x0 = x;
        c->y0 = y;
        c->x1 = x + w;
        c->y1 = y + h;
        c->vertical = h > 2 * w;
    }
    out->ncells = n;
    if (n)
        qsort(out->cells, n, sizeof *out->cells, cmp_cell);
    return LR_OK;
}

/* The ink inside each cell, a few pixels in from its edges (the ruling lines). */
static void measure_ink(lr_layout *out, PIX *binary, int dpi)
{
    for (size_t i = 0; i < out->ncells; i++) {
        lr_cell *c = &out->cells[i];
        int in = LR_LAYOUT_CELL_INK_INSET(dpi);
        int w = c->x1 - c->x0 - 2 * in, h = c->y1 - c->y0 - 2 * in;
        if (w <= 0 || h <= 0)
            continue;
        BOX *b = boxCreate(c->x0 + in, c->y0 + in, w, h);
        l_int32 count = 0;
        pixCountPixelsInRect(binary, b, &count, NULL);
        boxDestroy(&b);
        c->ink = (float)count / (float)(w * h);
    }
}

/* Concatenated text of the words whose centre lies in the cell, in reading order. */
static void cell_text(const lr_cell *c, const lr_word *words, size_t nwords, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < nwords; i++) {
        const lr_word *w = &words[i];
        int cx = (w->x0 + w->x1) / 2, cy = (w->y0 + w->y1) / 2;
        if (cx < c->x0 || cx >= c->x1 || cy < c->y0 || cy >= c->y1 || !w->text)
            continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? " " : "", w->text);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
    }
}

/* Each cell's field and history row, from the labels found: heads inferred, then the history
 * tables, a resolution's tables of parcels (page_type), the key–value labels; the labels'
 * rows, which held their fields meanwhile, back to 0. */
static void assign_fields(lr_layout *out, scratch *s, lr_doc_type page_type)
{
    layout_infer_date_heads(out, s->texts);
    layout_infer_missing_heads(out, s->texts);
    layout_infer_lot_head(out, s->texts);
    layout_assign_histories(out, s->used, s->anchors);
    /* Tables of column heads without a date column (a resolution's 이동전 and 이동후, each
     * 지번 지목 면적); their date and event are the resolution's, taken by the extraction. */
    if (page_type == LR_DOC_MOVEMENT_RESOLUTION)
        layout_assign_parcel_tables(out, s->used, s->anchors);
    layout_assign_key_values(out, s->used);
    for (size_t i = 0; i < out->ncells; i++)
        if (out->cells[i].is_label)
            out->cells[i].row = 0;
}

/* The matched form's OCR settings for the cells of the fields it names. */
static void attach_ocr(lr_layout *out)
{
    for (size_t i = 0; i < out->ncells; i++) {
        lr_cell *c = &out->cells[i];
        if (out->form && c->field != LR_FIELD_NONE && out->form->has_ocr[c->field])
            c->ocr = &out->form->ocr[c->field];
    }
}

/* The layout at debug level: each cell of the table (nruled) with its text, then those made
 * from words outside it. */
static void log_layout(const lr_layout *out, layout_text *texts, size_t nruled)
{
    lr_log_debug("layout: %s, form %s", lr_doc_type_name(out->doc_type),
                 out->form ? out->form->name : "none");
    for (size_t i = 0; i < nruled; i++) {
        const lr_cell *c = &out->cells[i];
        lr_log_debug("layout: cell %zu [%d,%d %d,%d] %s%s %s row %d ink %.3f \"%s\"", i, c->x0,
                     c->y0, c->x1, c->y1, c->is_label ? "label " : "", lr_field_kind_name(c->field),
                     lr_section_name(c->section), c->row, (double)c->ink, texts[i]);
    }
    for (size_t i = nruled; i < out->ncells; i++) {
        const lr_cell *c = &out->cells[i];
        lr_log_debug("layout: cell %zu [%d,%d %d,%d] %s unruled", i, c->x0, c->y0, c->x1, c->y1,
                     lr_field_kind_name(c->field));
    }
}

int lr_layout_analyze(struct Pix *binary, int dpi, const lr_word *words, size_t nwords,
                      const lr_table *table, const lr_forms *forms, lr_doc_type doc_type,
                      const lr_layout_reader *reader, lr_layout *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->doc_type = LR_DOC_UNKNOWN;
    if (!binary || pixGetDepth(binary) != 1 || dpi <= 0 || (nwords && !words))
        return lr_error_set(err, LR_ERR_ARG, "layout needs a 1-bpp page, its dpi and its words");
    int rc = LR_OK;
    grid g = {0};
    scratch s = {0};
    lr_vocab *own = NULL;
    const lr_vocab *vocab = forms ? forms->vocab : NULL;
    if (!vocab && (rc = lr_vocab_load(NULL, &own, err)) < 0)
        goto done;
    vocab = vocab ? vocab : own;

    lr_doc_type titled = layout_title_type(vocab, words, nwords, forms, &out->form);
    if ((rc = table ? layout_grid_from_table(table, &g, err)
                    : layout_find_grid(binary, dpi, &g, err)) < 0 ||
        (rc = take_grid(out, &g, &s, err)) < 0)
        goto done;
    measure_ink(out, binary, dpi);
    for (size_t i = 0; i < out->ncells; i++)
        cell_text(&out->cells[i], words, nwords, s.texts[i], sizeof s.texts[i]);
    layout_mark_labels(out, vocab, s.texts);
    /* Cells in a row of labels whose text is short may be labels misread. */
    if ((rc = layout_reread_labels(out, vocab, dpi, reader, s.texts, err)) < 0)
        goto done;
    layout_mark_noisy_heads(out, vocab, s.texts);
    assign_fields(out, &s, doc_type != LR_DOC_AUTO ? doc_type : titled);
    /* Document type: the caller's, else the form's or the printed title, else the layout. */
    layout_decide_doc_type(out, s.texts, &g, doc_type, titled);
    /* No title read: the form of the page's type whose title is written in the script of the
     * labels found (土地臺帳 for 地番 地目 …, 토지대장 for 지번 지목 …). */
    layout_form_by_labels(out, s.texts, forms);
    size_t nruled = out->ncells;
    if ((rc = layout_add_unruled_location(out, vocab, words, nwords, err)) < 0)
        goto done;
    attach_ocr(out);
    if (lr_log_get_level() >= LR_LOG_DEBUG)
        log_layout(out, s.texts, nruled);
done:
    scratch_clear(&s);
    lr_vocab_destroy(&own);
    layout_grid_clear(&g);
    if (rc < 0)
        lr_layout_clear(out);
    return rc;
}
