/* records_save.c — a ledger sheet's parcel record, loaded inside the page's transaction
 * (store_internal.h, schemas/002_records.sql): the sheet row, its history rows, the field
 * values and the lineage by COPY, and the review items of the flagged fields. */
#include <jansson.h>
#include <stdlib.h>

#include "landrec/extract.h"
#include "store_internal.h"

/* A row number, or NULL when negative. */
static void p_row(store_params *p, int row)
{
    if (row < 0)
        p_null(p);
    else
        p_int(p, row);
}

/* The struck flags of a section's rows as an array literal, "{f,t,f}". */
static char *struck_array(const lr_sheet *sheet, bool land)
{
    size_t n = land ? sheet->nland : sheet->nowners;
    char *a = malloc(2 * n + 3);
    if (!a)
        return NULL;
    size_t k = 0;
    a[k++] = '{';
    for (size_t r = 0; r < n; r++) {
        if (r)
            a[k++] = ',';
        a[k++] = (land ? sheet->land[r].struck : sheet->owners[r].struck) ? 't' : 'f';
    }
    a[k++] = '}';
    a[k] = '\0';
    return a;
}

/* One land_history or owner_history row per history row read, with its struck flag. */
static int save_history_rows(lr_store *st, const char *run_id, const lr_sheet *sheet, bool land,
                             lr_error *err)
{
    char *struck = struck_array(sheet, land);
    if (!struck)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    store_params p = {0};
    p_str(&p, run_id);
    p_str(&p, struck);
    int rc = store_exec_cmd(
        st,
        land ? "INSERT INTO land_history (page_run_id, row_no, struck)"
               " SELECT $1, n - 1, s FROM unnest($2::boolean[]) WITH ORDINALITY AS u (s, n)"
             : "INSERT INTO owner_history (page_run_id, row_no, struck)"
               " SELECT $1, n - 1, s FROM unnest($2::boolean[]) WITH ORDINALITY AS u (s, n)",
        &p, land ? "record the land history" : "record the owner history", err);
    free(struck);
    return rc;
}

/* The record_sheet row, with the parcel's current state, and its history rows. */
static int save_sheet_rows(lr_store *st, const char *run_id, const lr_sheet *sheet,
                           lr_error *err)
{
    store_params p = {0};
    p_str(&p, run_id);
    p_str(&p, lr_doc_type_name(sheet->doc_type));
    p_str(&p, sheet->doc_type_forced ? "t" : "f");
    p_str(&p, sheet->form[0] ? sheet->form : NULL);
    p_int(&p, sheet->cells);
    p_int(&p, sheet->cells_reread);
    p_int(&p, sheet->nreview);
    p_row(&p, sheet->current.category_row);
    p_row(&p, sheet->current.area_row);
    p_row(&p, sheet->current.grade_row);
    p_str(&p, sheet->current.lot[0] ? sheet->current.lot : NULL);
    p_row(&p, sheet->current.lot[0] ? sheet->current.lot_row : -1);
    p_str(&p, sheet->legal_dong[0] ? sheet->legal_dong : NULL);
    p_str(&p, sheet->pnu[0] ? sheet->pnu : NULL);
    int rc =
        store_exec_cmd(st,
                       "INSERT INTO record_sheet (page_run_id, doc_type, doc_type_forced, form,"
                       " cells, cells_reread, nreview, current_category_row, current_area_row,"
                       " current_grade_row, current_lot, current_lot_row, legal_dong, pnu)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                       &p, "record the sheet", err);
    if (rc == LR_OK)
        rc = save_history_rows(st, run_id, sheet, true, err);
    if (rc == LR_OK)
        rc = save_history_rows(st, run_id, sheet, false, err);
    return rc;
}

/* One field_value line of COPY data; a field that was not read has none. */
static void put_field(lr_strbuf *b, const char *run_id, const char *section, size_t row,
                      const char *name, const lr_field *f)
{
    if (!f->present)
        return;
    json_t *alts = json_array();
    for (int i = 0; alts && i < f->nalt; i++)
        json_array_append_new(alts, json_pack("{s:s, s:f}", "value", f->alt[i].value, "score",
                                              (double)f->alt[i].score));
    char *aj = alts ? json_dumps(alts, JSON_COMPACT) : NULL;
    json_decref(alts);
    float conf = f->conf < 0 ? 0 : f->conf > 100 ? 100 : f->conf;
    lr_strbuf_printf(b, "%s\t%s\t%zu\t%s\t", run_id, section, row, name);
    store_copy_text(b, f->raw ? f->raw : "");
    lr_strbuf_putc(b, '\t');
    store_copy_text(b, f->value);
    lr_strbuf_printf(b, "\t%.2f\t%s\t", (double)conf, f->review ? "t" : "f");
    store_copy_text(b, f->reason[0] ? f->reason : NULL);
    lr_strbuf_printf(b, "\t%s\t", f->reread ? "t" : "f");
    store_copy_text(b, aj ? aj : "[]");
    lr_strbuf_printf(b, "\t%d\t%d\t%d\t%d\n", f->x0, f->y0, f->x1, f->y1);
    free(aj);
}

/* Every field read, of the sheet and of each history row, as field_value COPY data. */
static void put_fields(lr_strbuf *b, const char *run_id, const lr_sheet *sheet)
{
    put_field(b, run_id, "sheet", 0, "location", &sheet->location);
    put_field(b, run_id, "sheet", 0, "lot", &sheet->lot);
    put_field(b, run_id, "sheet", 0, "category", &sheet->category);
    put_field(b, run_id, "sheet", 0, "area", &sheet->area);
    put_field(b, run_id, "sheet", 0, "grade", &sheet->grade);
    for (size_t r = 0; r < sheet->nland; r++) {
        const lr_land_row *l = &sheet->land[r];
        put_field(b, run_id, "land", r, "date", &l->date);
        put_field(b, run_id, "land", r, "event", &l->event);
        put_field(b, run_id, "land", r, "category", &l->category);
        put_field(b, run_id, "land", r, "area", &l->area);
        put_field(b, run_id, "land", r, "grade", &l->grade);
    }
    for (size_t r = 0; r < sheet->nowners; r++) {
        const lr_owner_row *o = &sheet->owners[r];
        put_field(b, run_id, "owner", r, "date", &o->date);
        put_field(b, run_id, "owner", r, "event", &o->event);
        put_field(b, run_id, "owner", r, "address", &o->address);
        put_field(b, run_id, "owner", r, "name", &o->name);
    }
}

static int copy_fields(lr_store *st, const char *run_id, const lr_sheet *sheet, lr_strbuf *b,
                       lr_error *err)
{
    b->len = 0;
    put_fields(b, run_id, sheet);
    if (b->failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the records");
    if (b->len == 0)
        return LR_OK;
    return store_copy_in(st,
                         "COPY field_value (page_run_id, section, row_no, field, raw, value,"
                         " conf, review, reason, reread, alternatives, x0, y0, x1, y1)"
                         " FROM STDIN",
                         b, "load the field values", err);
}

static int copy_lineage(lr_store *st, const char *run_id, const lr_sheet *sheet, lr_strbuf *b,
                        lr_error *err)
{
    b->len = 0;
    for (size_t i = 0; i < sheet->nlineage; i++) {
        const lr_lineage *e = &sheet->lineage[i];
        lr_strbuf_printf(b, "%s\t%zu\t", run_id, i);
        store_copy_text(b, e->kind);
        lr_strbuf_putc(b, '\t');
        store_copy_text(b, e->from_lot);
        lr_strbuf_putc(b, '\t');
        store_copy_text(b, e->to_lot);
        lr_strbuf_printf(b, "\t%d\n", e->row);
    }
    if (b->failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the lineage");
    return store_copy_in(st,
                         "COPY parcel_lineage (page_run_id, n, kind, from_lot, to_lot, row_no)"
                         " FROM STDIN",
                         b, "load the lineage", err);
}

int store_records_save(lr_store *st, const char *run_id, const struct lr_sheet *sheet, bool replace,
                       lr_error *err)
{
    if (!st || !run_id || !sheet)
        return lr_error_set(err, LR_ERR_ARG, "no connection, run or sheet");
    int rc = LR_OK;
    lr_strbuf b = LR_STRBUF_INIT;
    store_params p = {0};
    p_str(&p, run_id);
    if (replace)
        rc = store_exec_cmd(st, "DELETE FROM record_sheet WHERE page_run_id = $1", &p,
                            "remove the old records", err);
    if (rc == LR_OK)
        rc = save_sheet_rows(st, run_id, sheet, err);
    if (rc == LR_OK)
        rc = copy_fields(st, run_id, sheet, &b, err);
    if (rc == LR_OK && sheet->nlineage)
        rc = copy_lineage(st, run_id, sheet, &b, err);
    if (rc == LR_OK && sheet->nreview)
        rc = store_exec_cmd(st,
                            "INSERT INTO review_item (page_run_id, section, row_no, field, reason,"
                            " conf)"
                            " SELECT page_run_id, section, row_no, field,"
                            " COALESCE(reason, 'flagged'), conf"
                            " FROM field_value WHERE page_run_id = $1 AND review",
                            &p, "open the review items", err);
    /* Its search row, once everything it is made from is in (010_search_refresh_once.sql). */
    if (rc == LR_OK) {
        PGresult *res = store_exec(st, "SELECT lr_search_refresh(ARRAY[$1::bigint])", &p,
                                   PGRES_TUPLES_OK, "index the sheet for search", err);
        rc = res ? LR_OK : LR_ERR_DB;
        PQclear(res);
    }
    lr_strbuf_free(&b);
    return rc;
}
