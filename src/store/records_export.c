/* records_export.c — the records export (records.h, docs/records.md): one JSON object per
 * ledger sheet of each page's latest run, reviewed values in place of the machine's. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/records.h"
#include "store_internal.h"

/* A field with the latest reviewed version applied (an "illegible" version has no value). */
#define FIELD_SQL                                                                                  \
    " FROM field_value f LEFT JOIN LATERAL (SELECT vv.version, vv.value FROM value_version vv"     \
    "   WHERE vv.page_run_id = f.page_run_id AND vv.section = f.section"                           \
    "   AND vv.row_no = f.row_no AND vv.field = f.field ORDER BY vv.version DESC LIMIT 1) v"       \
    "   ON true"

#define RECORDS_SELECT_SQL                                                                         \
    " SELECT l.id, l.source_path, l.page, s.doc_type," \
    "  (SELECT json_agg(json_build_object('s', f.section, 'r', f.row_no, 'f', f.field," \
    "     'raw', f.raw, 'value', CASE WHEN v.version IS NOT NULL THEN v.value ELSE f.value END," \
    "     'conf', CASE WHEN v.version IS NOT NULL THEN 100 ELSE f.conf END," \
    "     'review', f.review AND v.version IS NULL) ORDER BY f.section, f.row_no, f.field)" FIELD_SQL \
    " WHERE f.page_run_id = l.id)," \
    "  s.current_category_row, s.current_area_row, s.current_grade_row, s.current_lot," \
    "  s.current_lot_row," \
    "  (SELECT json_agg(h.row_no) FROM land_history h WHERE h.page_run_id = l.id AND h.struck)," \
    "  (SELECT json_agg(h.row_no) FROM owner_history h WHERE h.page_run_id = l.id AND h.struck)," \
    "  s.legal_dong, s.pnu" \
    " FROM latest l JOIN record_sheet s ON s.page_run_id = l.id"

static const char *const records_sql =
    STORE_RECORDS_LATEST_SQL RECORDS_SELECT_SQL
    " ORDER BY l.source_path COLLATE \"C\", l.page";

static const char *const records_by_id_sql =
    "WITH latest AS (SELECT pr.id, pr.source_path, pr.page FROM page_run pr"
    " WHERE pr.id = ANY ($1::bigint[]))" RECORDS_SELECT_SQL;

static json_t *field_json(json_t *f)
{
    json_t *conf = json_object_get(f, "conf");
    double c = json_number_value(conf);
    /* Confidence as a whole-ish number: two decimals are noise to a reader. */
    return json_pack("{s:O, s:O, s:f, s:O}", "raw", json_object_get(f, "raw"), "value",
                     json_object_get(f, "value"), "conf", (double)((long)(c * 10 + 0.5)) / 10,
                     "review", json_object_get(f, "review"));
}

static const char *const sheet_keys[] = {"location", "lot", "category", "area", "grade"};
static const char *const land_keys[] = {"date", "event", "category", "area", "grade"};
static const char *const owner_keys[] = {"date", "event", "address", "name"};

/* Marks "struck": true on the rows of arr listed in the JSON array text (may be NULL). */
static void mark_struck(json_t *arr, const char *rows)
{
    json_error_t jerr;
    json_t *list = rows ? json_loads(rows, 0, &jerr) : NULL;
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r)
    {
        json_t *rowobj = json_array_get(arr, (size_t)json_integer_value(r));
        if (rowobj)
            json_object_set_new(rowobj, "struck", json_true());
    }
    json_decref(list);
}

/* {"land_history": row} */
static json_t *from_row(long row)
{
    return json_pack("{s:i}", "land_history", (json_int_t)row);
}

/* The parcel as it stands (docs/records.md): a sheet key the form has no box for takes the
 * field of the land-history row in force (with "from"); current_lot names the lot the parcel
 * went into, or is null. Columns 5–9 of the records query. */
static void current_state(json_t *o, json_t *land, const PGresult *res, int row)
{
    static const char *const keys[] = {"category", "area", "grade"};
    for (int k = 0; k < 3; k++) {
        if (PQgetisnull(res, row, 5 + k) || !json_is_null(json_object_get(o, keys[k])))
            continue;
        long r = atol(PQgetvalue(res, row, 5 + k));
        json_t *f = json_object_get(json_array_get(land, (size_t)r), keys[k]);
        if (!json_is_object(f))
            continue;
        json_t *copy = json_deep_copy(f);
        json_object_set_new(copy, "from", from_row(r));
        json_object_set_new(o, keys[k], copy);
    }
    json_t *lot = json_null();
    if (!PQgetisnull(res, row, 8) && !PQgetisnull(res, row, 9))
        lot = json_pack("{s:s, s:o}", "value", PQgetvalue(res, row, 8), "from",
                        from_row(atol(PQgetvalue(res, row, 9))));
    json_object_set_new(o, "current_lot", lot ? lot : json_null());
}

json_t *store_record_json(const PGresult *res, int row)
{
    json_t *o = json_object();
    json_object_set_new(o, "source", json_string(PQgetvalue(res, row, 1)));
    json_object_set_new(o, "page", json_integer(atoi(PQgetvalue(res, row, 2))));
    json_object_set_new(o, "doc_type", json_string(PQgetvalue(res, row, 3)));
    json_object_set_new(o, "run_id", json_integer(atoll(PQgetvalue(res, row, 0))));
    for (size_t k = 0; k < 5; k++)
        json_object_set_new(o, sheet_keys[k], json_null());
    json_t *land = json_array(), *owners = json_array();
    json_error_t jerr;
    json_t *fields =
        PQgetisnull(res, row, 4) ? NULL : json_loads(PQgetvalue(res, row, 4), 0, &jerr);
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        const char *sec = json_string_value(json_object_get(f, "s"));
        const char *name = json_string_value(json_object_get(f, "f"));
        size_t r = (size_t)json_integer_value(json_object_get(f, "r"));
        if (!sec || !name)
            continue;
        if (strcmp(sec, "sheet") == 0) {
            json_object_set_new(o, name, field_json(f));
            continue;
        }
        bool is_land = strcmp(sec, "land") == 0;
        json_t *arr = is_land ? land : owners;
        const char *const *keys = is_land ? land_keys : owner_keys;
        size_t nkeys = is_land ? 5 : 4;
        while (json_array_size(arr) <= r) {
            json_t *rowobj = json_object();
            for (size_t k = 0; k < nkeys; k++)
                json_object_set_new(rowobj, keys[k], json_null());
            json_array_append_new(arr, rowobj);
        }
        json_object_set_new(json_array_get(arr, r), name, field_json(f));
    }
    json_decref(fields);
    mark_struck(land, PQgetisnull(res, row, 10) ? NULL : PQgetvalue(res, row, 10));
    mark_struck(owners, PQgetisnull(res, row, 11) ? NULL : PQgetvalue(res, row, 11));
    current_state(o, land, res, row);
    json_object_set_new(o, "legal_dong", PQgetisnull(res, row, 12)
                                             ? json_null()
                                             : json_string(PQgetvalue(res, row, 12)));
    json_object_set_new(o, "pnu", PQgetisnull(res, row, 13) ? json_null()
                                                            : json_string(PQgetvalue(res, row, 13)));
    json_object_set_new(o, "land_history", land);
    json_object_set_new(o, "owner_history", owners);
    return o;
}

/* One line of the export for row row of the records query. */
static int write_record(const PGresult *res, int row, FILE *out, lr_error *err)
{
    json_t *o = store_record_json(res, row);
    char *line =
        o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(o);
    int rc = LR_OK;
    if (!line || fprintf(out, "%s\n", line) < 0)
        rc = lr_error_set(err, line ? LR_ERR_IO : LR_ERR_NOMEM,
                          "could not write the records export");
    free(line);
    return rc;
}

int lr_records_export(lr_store *st, const char *batch, FILE *out, long *out_count,
                      lr_error *err)
{
    if (out_count)
        *out_count = 0;
    if (!st || !out)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output");
    int rc = LR_OK;
    long count = 0;
    const char *v[1] = {batch};
    if (!PQsendQueryParams(st->conn, records_sql, 1, NULL, v, NULL, NULL, 0))
        return store_fail(err, st->conn, NULL, "could not export the records");
    PQsetSingleRowMode(st->conn);
    PGresult *res;
    while ((res = PQgetResult(st->conn)) != NULL) {
        ExecStatusType s = PQresultStatus(res);
        if (s == PGRES_SINGLE_TUPLE || s == PGRES_TUPLES_OK) {
            for (int row = 0; rc == LR_OK && row < PQntuples(res); row++) {
                rc = write_record(res, row, out, err);
                count++;
            }
        } else if (rc == LR_OK) {
            rc = store_fail(err, st->conn, res, "could not export the records");
        }
        PQclear(res);
    }
    if (rc == LR_OK && fflush(out) != 0)
        rc = lr_error_set(err, LR_ERR_IO, "could not write the records export");
    if (out_count)
        *out_count = count;
    return rc;
}

int store_records_by_id(lr_store *st, const char *ids_array, PGresult **out_res, lr_error *err)
{
    store_params p = {0};
    p_str(&p, ids_array);
    *out_res = store_exec_retry(st, records_by_id_sql, &p, PGRES_TUPLES_OK, "read the records",
                                err);
    return *out_res ? LR_OK : LR_ERR_DB;
}
