/* export.c — "landrec export" of pages: one JSON object per line for the run that stands for
 * each page, read row by row in one snapshot (store.h, docs/export.md). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/log.h"
#include "store_internal.h"

/* A path's bytes in hex, or NULL when the display form is the path itself (docs/export.md). */
#define RAW_HEX(shown, raw)                                                                        \
    "CASE WHEN " raw " IS NULL OR " raw " = convert_to(" shown ", 'UTF8') THEN NULL"               \
    " ELSE encode(" raw ", 'hex') END"

/* The run that stands for every (file, page) — its chosen run (run_choice), else its latest —
 * among the runs the batch's invocations touched when a batch is given, with a whole-file
 * failure (page 0) hidden once a newer run of the same path exists: the file was fixed and
 * read since. */
static const char *const export_sql =
    /* Keys only until the rows to show are known: sorting whole pages (text) would be slow. */
    "WITH latest AS ("
    "  SELECT DISTINCT ON (pr.file_key, pr.page)"
    "    pr.id, pr.file_key, pr.source_path, pr.page, pr.updated_at"
    "  FROM page_run pr"
    "  WHERE $1::text IS NULL OR EXISTS ("
    "    SELECT 1 FROM invocation_page ip JOIN invocation i ON i.id = ip.invocation_id"
    "    WHERE ip.page_run_id = pr.id AND i.batch = $1)"
    "  ORDER BY pr.file_key, pr.page, " STORE_RUN_STANDS_ORDER
    "), shown AS ("
    "  SELECT l.*, max(l.updated_at) OVER (PARTITION BY l.source_path) AS path_newest"
    "  FROM latest l"
    ")"
    " SELECT s.id, s.source_path, s.page, s.sha256, s.status, s.error_code, s.error,"
    "  s.orientation, s.skew_deg, s.mean_conf, s.text, s.settings_hash, s.attempts,"
    "  to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    "  s.page_count, s.width, s.height, s.dpi_x, s.dpi_y, s.dpi_assumed, s.colour,"
    "  s.warnings,"
    "  COALESCE($1, (SELECT i.batch FROM invocation_page ip"
    "    JOIN invocation i ON i.id = ip.invocation_id WHERE ip.page_run_id = s.id"
    "    ORDER BY ip.outcome = 'skipped', i.id DESC LIMIT 1)),"
    "  (SELECT json_agg(json_build_object('kind', d.kind, 'path', d.path,"
    "     'sha256', d.sha256, 'bytes', d.bytes, 'path_raw', " RAW_HEX("d.path", "d.path_raw")
    "     ) ORDER BY d.kind, d.path)"
    "   FROM derivative d WHERE d.page_run_id = s.id),"
    "  " RAW_HEX("s.source_path", "s.source_path_raw") ","
    /* What the delivery's manifest said of the file (014_delivery.sql), its latest line. */
    "  (SELECT json_build_object('manifest', d.manifest, 'line', d.line, 'batch', d.batch,"
    "     'doc_type', d.doc_type, 'district', d.district, 'volume', d.volume, 'sheet', d.sheet,"
    "     'contractor', d.contractor, 'scan_date', d.scan_date, 'operator', d.operator)"
    "   FROM delivery_file d WHERE d.sha256 = s.sha256"
    "   ORDER BY d.recorded_at DESC, d.id DESC LIMIT 1)"
    " FROM shown sh JOIN page_run s ON s.id = sh.id"
    " WHERE NOT (sh.page = 0 AND sh.updated_at < sh.path_newest)"
    " ORDER BY sh.source_path COLLATE \"C\", sh.page, sh.file_key";

enum {
    X_ID, X_PATH, X_PAGE, X_SHA, X_STATUS, X_CODE, X_ERROR, X_ORIENT, X_SKEW, X_CONF, X_TEXT,
    X_SETTINGS, X_ATTEMPTS, X_AT, X_PAGE_COUNT, X_WIDTH, X_HEIGHT, X_DPI_X, X_DPI_Y,
    X_DPI_ASSUMED, X_COLOUR, X_WARNINGS, X_BATCH, X_DERIVATIVES, X_SOURCE_RAW, X_DELIVERY,
    X_NCOLS
};

static json_t *col_str(const PGresult *r, int row, int c)
{
    if (PQgetisnull(r, row, c))
        return json_null();
    json_t *s = json_stringn(PQgetvalue(r, row, c), (size_t)PQgetlength(r, row, c));
    return s ? s : json_null(); /* only a SQL_ASCII database can hold invalid UTF-8 */
}

static json_t *col_int(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? json_null()
                                  : json_integer(strtoll(PQgetvalue(r, row, c), NULL, 10));
}

static json_t *col_real(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? json_null() : json_real(strtod(PQgetvalue(r, row, c), NULL));
}

static json_t *col_bool(const PGresult *r, int row, int c)
{
    return PQgetisnull(r, row, c) ? json_null() : json_boolean(PQgetvalue(r, row, c)[0] == 't');
}

/* "a; b" → ["a", "b"]; NULL → []. */
static json_t *warnings_array(const PGresult *r, int row, int c)
{
    json_t *a = json_array();
    if (!a || PQgetisnull(r, row, c))
        return a;
    const char *s = PQgetvalue(r, row, c);
    while (*s) {
        const char *end = strstr(s, "; ");
        size_t n = end ? (size_t)(end - s) : strlen(s);
        if (n > 0)
            json_array_append_new(a, json_stringn(s, n));
        s += n;
        if (end)
            s += 2;
    }
    return a;
}

static json_t *export_row(const PGresult *r, int row)
{
    bool done = strcmp(PQgetvalue(r, row, X_STATUS), "done") == 0;
    int page = atoi(PQgetvalue(r, row, X_PAGE));
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "source", col_str(r, row, X_PATH));
    json_object_set_new(o, "source_raw", col_str(r, row, X_SOURCE_RAW));
    json_object_set_new(o, "page", col_int(r, row, X_PAGE));
    json_object_set_new(o, "scope", json_string(page == 0 ? "file" : "page"));
    json_object_set_new(o, "sha256", col_str(r, row, X_SHA));
    json_object_set_new(o, "status", col_str(r, row, X_STATUS));
    json_object_set_new(o, "error", col_str(r, row, X_ERROR));
    json_object_set_new(o, "error_code", col_str(r, row, X_CODE));
    json_object_set_new(o, "orientation", col_int(r, row, X_ORIENT));
    json_object_set_new(o, "skew", col_real(r, row, X_SKEW));
    json_object_set_new(o, "confidence", col_real(r, row, X_CONF));
    if (done && PQgetisnull(r, row, X_TEXT))
        json_object_set_new(o, "text", json_string(""));
    else
        json_object_set_new(o, "text", col_str(r, row, X_TEXT));
    json_object_set_new(o, "page_count", col_int(r, row, X_PAGE_COUNT));
    json_object_set_new(o, "width", col_int(r, row, X_WIDTH));
    json_object_set_new(o, "height", col_int(r, row, X_HEIGHT));
    if (PQgetisnull(r, row, X_DPI_X))
        json_object_set_new(o, "dpi", json_null());
    else
        json_object_set_new(o, "dpi", json_pack("[o, o]", col_int(r, row, X_DPI_X),
                                                col_int(r, row, X_DPI_Y)));
    json_object_set_new(o, "dpi_assumed", col_bool(r, row, X_DPI_ASSUMED));
    json_object_set_new(o, "colour", col_str(r, row, X_COLOUR));
    json_object_set_new(o, "warnings", warnings_array(r, row, X_WARNINGS));
    json_t *der = PQgetisnull(r, row, X_DERIVATIVES)
                      ? json_array()
                      : json_loads(PQgetvalue(r, row, X_DERIVATIVES), 0, NULL);
    json_object_set_new(o, "derivatives", der ? der : json_array());
    json_object_set_new(o, "settings_hash", col_str(r, row, X_SETTINGS));
    json_object_set_new(o, "run_id", col_int(r, row, X_ID));
    json_object_set_new(o, "batch", col_str(r, row, X_BATCH));
    json_object_set_new(o, "attempts", col_int(r, row, X_ATTEMPTS));
    json_object_set_new(o, "processed_at", col_str(r, row, X_AT));
    json_t *delivery = PQgetisnull(r, row, X_DELIVERY)
                           ? NULL
                           : json_loads(PQgetvalue(r, row, X_DELIVERY), 0, NULL);
    json_object_set_new(o, "delivery", delivery ? delivery : json_null());
    return o;
}

static int write_row(const PGresult *res, int row, FILE *out, long *count, lr_error *err)
{
    json_t *o = export_row(res, row);
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(9)) : NULL;
    json_decref(o);
    if (!line)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory exporting a page");
    int rc = LR_OK;
    if (fputs(line, out) == EOF || fputc('\n', out) == EOF)
        rc = lr_error_set(err, LR_ERR_IO, "could not write the export");
    else
        (*count)++;
    free(line);
    return rc;
}

int lr_store_export_pages(lr_store *st, const char *batch, FILE *out, long *out_count,
                          lr_error *err)
{
    int rc = LR_OK;
    PGresult *res = NULL;
    store_params p = {0};
    long count = 0;
    bool cancelled = false;

    if (out_count)
        *out_count = 0;
    if (!st || !out)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output");
    rc = store_ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;

    p_str(&p, batch);
    /* Row by row, so an export of a whole archive does not sit in memory at once; one query,
     * so it is one consistent snapshot. */
    if (!PQsendQueryParams(st->conn, export_sql, p.n, NULL, p.v, NULL, NULL, 0)) {
        rc = store_fail(err, st->conn, NULL, "could not export the pages");
        goto done;
    }
    if (!PQsetSingleRowMode(st->conn))
        lr_log_debug("single-row mode refused; the export is read at once");

    while ((res = PQgetResult(st->conn)) != NULL) {
        ExecStatusType s = PQresultStatus(res);
        if (s == PGRES_SINGLE_TUPLE || s == PGRES_TUPLES_OK) {
            /* In single-row mode the final TUPLES_OK holds no rows; without it, all of them. */
            for (int row = 0; rc == LR_OK && row < PQntuples(res); row++)
                rc = write_row(res, row, out, &count, err);
            if (rc != LR_OK && !cancelled) {
                /* Stop the server rather than read the rest of the archive for nothing. */
                PGcancel *c = PQgetCancel(st->conn);
                char ebuf[256];
                if (c) {
                    PQcancel(c, ebuf, sizeof ebuf);
                    PQfreeCancel(c);
                }
                cancelled = true;
            }
        } else if (rc == LR_OK) {
            rc = store_fail(err, st->conn, res, "could not export the pages");
        }
        PQclear(res);
    }
    res = NULL;
    if (rc == LR_OK && fflush(out) != 0)
        rc = lr_error_set(err, LR_ERR_IO, "could not write the export");
    if (out_count)
        *out_count = count;

done:
    PQclear(res);
    return rc;
}
