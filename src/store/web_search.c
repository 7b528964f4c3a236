/* web_search.c — search, one sheet and its view image for the web application (webstore.h).
 * The JSON is built by the server (json_build_object) and parsed here: one round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/strbuf.h"
#include "landrec/webstore.h"
#include "store_internal.h"

/* s with LIKE's special characters escaped (backslash is LIKE's escape), into b. */
static const char *like_escaped(lr_strbuf *b, const char *s)
{
    if (!s || !*s)
        return NULL;
    lr_strbuf_free(b);
    for (const char *c = s; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            lr_strbuf_putc(b, '\\');
        lr_strbuf_putc(b, *c);
    }
    return b->failed ? "" : b->data;
}

static bool date_ok(const char *s)
{
    if (!s || !*s)
        return true;
    int y, m, d;
    char tail;
    return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 &&
           m <= 12 && d >= 1 && d <= 31;
}

/* The search, written for the conditions given: each condition present is one more join or
 * AND, absent ones are left out of the statement rather than written "$n IS NULL OR …", so
 * that the planner sees each as it is and answers it from its index (007_web.sql,
 * 008_search_speed.sql) at 100,000 sheets and beyond: the substring and the fuzzy match each
 * by its own trigram lookup (a substring of fewer than three characters has no trigram, and
 * with the two in one OR the fuzzy test ran on every sheet), the lot by the sheet's lot and
 * the current lot each by its btree, the dates by their range's GiST. What every match needs
 * (its page's path, for the order, and whether its run is the latest) comes from page_run's
 * indexes; the search row's display columns are read for the page of results only.
 *
 * A fuzzy match (word similarity, pg_trgm's <%) counts as well as a substring; the best
 * first: a substring scores 1, a fuzzy match its word similarity (a substring inside a folded
 * text, which has no spaces, has a word similarity near 0, so it ranked below fuzzy matches).
 * Only the latest run of each page. %s: the score, the joins, the conditions; then the limit's
 * and the offset's parameter numbers. */
static const char *const search_head =
    "WITH m AS ("
    " SELECT r.page_run_id AS id, p.source_path AS source, p.page, %s AS score"
    " FROM record_sheet r JOIN page_run p ON p.id = r.page_run_id%s"
    " WHERE NOT EXISTS (SELECT 1 FROM page_run n WHERE n.file_key = p.file_key"
    "  AND n.page = p.page AND (n.updated_at, n.id) > (p.updated_at, p.id))%s)"
    " SELECT json_build_object('total', (SELECT count(*) FROM m), 'offset', $%d::int,"
    "  'limit', $%d::int, 'results', coalesce((SELECT json_agg(x) FROM"
    "  (SELECT t.id, t.source, t.page, r.doc_type, s.location, s.lot, s.owners, s.nopen,"
    "   s.min_date, s.max_date"
    "   FROM (SELECT * FROM m ORDER BY score DESC, source COLLATE \"C\", page"
    "    LIMIT $%d::int OFFSET $%d::int) t"
    "   JOIN sheet_search s ON s.page_run_id = t.id JOIN record_sheet r ON r.page_run_id = t.id"
    "   ORDER BY t.score DESC, t.source COLLATE \"C\", t.page) x),"
    "  '[]'::json))";

/* Adds the value as the next parameter; its number. */
static int param(store_params *p, const char *value)
{
    p_str(p, value);
    return p->n;
}

/* A match on a folded column (loc_fold, owner_fold, doc_fold) for the LIKE-escaped text
 * value: a join with the sheets that match and their score, and its term of the score. */
static void text_condition(lr_strbuf *joins, lr_strbuf *score, store_params *p, const char *value,
                           const char *column)
{
    if (!value)
        return;
    int k = param(p, value);
    lr_strbuf_printf(joins,
                     " JOIN (SELECT u.page_run_id, max(u.sc) AS sc FROM ("
                     "SELECT t.page_run_id, 1::real AS sc FROM sheet_search t"
                     " WHERE t.%s LIKE '%%' || lr_fold($%d) || '%%'"
                     " UNION ALL SELECT t.page_run_id, word_similarity(lr_fold($%d), t.%s)"
                     " FROM sheet_search t WHERE lr_fold($%d) <%% t.%s) u"
                     " GROUP BY u.page_run_id) match%d ON match%d.page_run_id = r.page_run_id",
                     column, k, k, column, k, column, k, k);
    lr_strbuf_printf(score, " + match%d.sc", k);
}

int lr_web_search(lr_store *st, const lr_web_query *q, json_t **out, lr_error *err)
{
    *out = NULL;
    if (!date_ok(q->from) || !date_ok(q->to))
        return lr_error_set(err, LR_ERR_ARG, "a date is written YYYY-MM-DD");
    int limit = q->limit <= 0 ? 20 : q->limit > 200 ? 200 : q->limit;
    int offset = q->offset < 0 ? 0 : q->offset;
    lr_strbuf like[3] = {{0}}, joins = {0}, where = {0}, score = {0}, sql = {0};
    store_params p = {0};
    lr_strbuf_puts(&score, "0");
    lr_strbuf_puts(&joins, "");
    lr_strbuf_puts(&where, "");
    if (q->lot && *q->lot) {
        int k = param(&p, q->lot);
        lr_strbuf_printf(
            &where,
            " AND r.page_run_id IN (SELECT t.page_run_id FROM sheet_search t"
            " WHERE t.lot = $%d OR t.lot LIKE $%d || '-%%'"
            " UNION SELECT c.page_run_id FROM record_sheet c WHERE c.current_lot = $%d)",
            k, k, k);
    }
    text_condition(&joins, &score, &p, like_escaped(&like[0], q->location), "loc_fold");
    text_condition(&joins, &score, &p, like_escaped(&like[1], q->owner), "owner_fold");
    text_condition(&joins, &score, &p, like_escaped(&like[2], q->q), "doc_fold");
    if (q->from && *q->from && q->to && *q->to && strcmp(q->from, q->to) > 0) {
        /* An empty range (daterange would refuse it): nothing is in it. */
        lr_strbuf_puts(&where, " AND false");
    } else if ((q->from && *q->from) || (q->to && *q->to)) {
        int a = param(&p, q->from && *q->from ? q->from : NULL);
        int b = param(&p, q->to && *q->to ? q->to : NULL);
        lr_strbuf_printf(&where,
                         " AND r.page_run_id IN (SELECT t.page_run_id FROM sheet_search t"
                         " WHERE t.max_date IS NOT NULL AND daterange(t.min_date, t.max_date, '[]')"
                         " && daterange($%d::date, $%d::date, '[]'))",
                         a, b);
    }
    if (q->doc_type && *q->doc_type)
        lr_strbuf_printf(&where, " AND r.doc_type = $%d", param(&p, q->doc_type));
    if (q->batch && *q->batch)
        lr_strbuf_printf(&where,
                         " AND EXISTS (SELECT 1 FROM invocation_page ip"
                         " JOIN invocation i ON i.id = ip.invocation_id"
                         " WHERE ip.page_run_id = r.page_run_id AND i.batch = $%d)",
                         param(&p, q->batch));
    p_int(&p, limit);
    int lim = p.n;
    p_int(&p, offset);
    int off = p.n;
    PGresult *res = NULL;
    if (!joins.failed && !where.failed && !score.failed)
        lr_strbuf_printf(&sql, search_head, score.data, joins.data, where.data, off, lim, lim, off);
    if (!sql.data || sql.failed)
        lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    else
        res = store_exec_retry(st, sql.data, &p, PGRES_TUPLES_OK, "search", err);
    for (int k = 0; k < 3; k++)
        lr_strbuf_free(&like[k]);
    lr_strbuf_free(&joins);
    lr_strbuf_free(&where);
    lr_strbuf_free(&score);
    lr_strbuf_free(&sql);
    if (!res)
        return err && err->code ? (int)err->code : LR_ERR_DB;
    *out = store_json_value(res);
    PQclear(res);
    return *out ? LR_OK : lr_error_set(err, LR_ERR_DB, "the search gave no result");
}

int lr_web_records(lr_store *st, const int64_t *ids, size_t n, json_t **out_array, lr_error *err)
{
    *out_array = json_array();
    if (n == 0)
        return LR_OK;
    lr_strbuf b = {0};
    lr_strbuf_putc(&b, '{');
    for (size_t i = 0; i < n; i++)
        lr_strbuf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    lr_strbuf_putc(&b, '}');
    if (b.failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    PGresult *res = NULL;
    int rc = store_records_by_id(st, b.data, &res, err);
    lr_strbuf_free(&b);
    if (rc != LR_OK)
        return rc;
    /* In the order asked for. */
    for (size_t i = 0; i < n; i++)
        for (int row = 0; row < PQntuples(res); row++)
            if (atoll(PQgetvalue(res, row, 0)) == ids[i])
                json_array_append_new(*out_array, store_record_json(res, row));
    PQclear(res);
    return LR_OK;
}

/* Everything of one run beyond its records object; $1 the run. */
static const char *const sheet_sql =
    "SELECT json_build_object("
    " 'fields', (SELECT json_agg(json_build_object('section', f.section, 'row', f.row_no,"
    "   'field', f.field, 'raw', f.raw, 'value', f.value, 'current', fc.value,"
    "   'conf', f.conf, 'review', fc.review, 'reason', f.reason, 'alternatives', f.alternatives,"
    "   'box', CASE WHEN f.x0 IS NULL THEN NULL ELSE json_build_array(f.x0, f.y0, f.x1, f.y1) END,"
    "   'item', ri.id, 'item_state', ri.state,"
    "   'versions', (SELECT json_agg(json_build_object('version', vv.version, 'raw', vv.raw,"
    "     'value', vv.value, 'reviewer', vv.reviewer, 'why', vv.why, 'source', vv.source,"
    "     'at', vv.created_at) ORDER BY vv.version) FROM value_version vv"
    "     WHERE vv.page_run_id = f.page_run_id AND vv.section = f.section"
    "     AND vv.row_no = f.row_no AND vv.field = f.field))"
    "   ORDER BY f.section DESC, f.row_no, f.field)"
    "  FROM field_value f JOIN field_current fc ON fc.page_run_id = f.page_run_id"
    "   AND fc.section = f.section AND fc.row_no = f.row_no AND fc.field = f.field"
    "  LEFT JOIN review_item ri ON ri.page_run_id = f.page_run_id AND ri.section = f.section"
    "   AND ri.row_no = f.row_no AND ri.field = f.field"
    "  WHERE f.page_run_id = p.id),"
    " 'provenance', json_build_object('sha256', p.sha256, 'source', p.source_path,"
    "  'page', p.page, 'page_count', p.page_count, 'status', p.status,"
    "  'settings_hash', p.settings_hash, 'settings', st.description,"
    "  'processed_at', p.updated_at, 'form', r.form, 'doc_type', r.doc_type,"
    "  'width', p.width, 'height', p.height, 'dpi', p.dpi_x, 'dpi_assumed', p.dpi_assumed,"
    "  'orientation', p.orientation, 'skew_deg', p.skew_deg, 'mean_conf', p.mean_conf,"
    "  'times_ms', json_build_object('decode', p.decode_ms, 'orient', p.orient_ms,"
    "   'enhance', p.enhance_ms, 'ocr', p.ocr_ms, 'extract', p.extract_ms, 'load', p.load_ms),"
    "  'invocations', (SELECT json_agg(json_build_object('id', i.id, 'batch', i.batch,"
    "    'host', i.host, 'started_at', i.started_at, 'outcome', ip.outcome) ORDER BY i.id)"
    "   FROM invocation_page ip JOIN invocation i ON i.id = ip.invocation_id"
    "   WHERE ip.page_run_id = p.id)),"
    " 'runs', (SELECT json_agg(json_build_object('id', o.id, 'status', o.status,"
    "   'settings_hash', o.settings_hash, 'settings', os.description, 'processed_at', o.updated_at,"
    "   'mean_conf', o.mean_conf, 'error', o.error,"
    "   'fields', (SELECT json_object_agg(c.section || '.' || c.row_no || '.' || c.field, c.value)"
    "    FROM field_current c WHERE c.page_run_id = o.id))"
    "   ORDER BY o.updated_at DESC, o.id DESC)"
    "  FROM page_run o JOIN settings os ON os.hash = o.settings_hash"
    "  WHERE o.file_key = p.file_key AND o.page = p.page),"
    " 'lineage', (SELECT json_agg(json_build_object('kind', l.kind, 'from', l.from_lot,"
    "   'to', l.to_lot, 'row', l.row_no,"
    "   'sheets', (SELECT json_agg(json_build_object('id', x.page_run_id, 'lot', x.lot))"
    "    FROM (SELECT ss.page_run_id, ss.lot FROM sheet_search ss"
    "     WHERE ss.lot IN (l.from_lot, l.to_lot) AND ss.page_run_id <> p.id"
    "     ORDER BY ss.page_run_id LIMIT 10) x)) ORDER BY l.n)"
    "  FROM parcel_lineage l WHERE l.page_run_id = p.id),"
    " 'words', (SELECT json_agg(json_build_array(w.x0, w.y0, w.x1, w.y1, w.text) ORDER BY w.n)"
    "  FROM word w WHERE w.page_run_id = p.id),"
    " 'view', EXISTS (SELECT 1 FROM derivative d WHERE d.page_run_id = p.id AND d.kind = 'view'),"
    " 'text', p.text)"
    " FROM page_run p JOIN record_sheet r ON r.page_run_id = p.id"
    " JOIN settings st ON st.hash = p.settings_hash WHERE p.id = $1";

int lr_web_sheet(lr_store *st, int64_t run_id, json_t **out, lr_error *err)
{
    *out = NULL;
    json_t *records = NULL;
    int rc = lr_web_records(st, &run_id, 1, &records, err);
    if (rc != LR_OK || json_array_size(records) == 0) {
        json_decref(records);
        return rc;
    }
    store_params p = {0};
    p_int(&p, run_id);
    PGresult *res = store_exec_retry(st, sheet_sql, &p, PGRES_TUPLES_OK, "read the sheet", err);
    if (!res) {
        json_decref(records);
        return LR_ERR_DB;
    }
    json_t *more = store_json_value(res);
    PQclear(res);
    json_t *sheet = json_incref(json_array_get(records, 0));
    json_decref(records);
    if (more)
        json_object_update(sheet, more);
    json_decref(more);
    *out = sheet;
    return LR_OK;
}

int lr_web_view_path(lr_store *st, int64_t run_id, char **out_path, lr_error *err)
{
    *out_path = NULL;
    store_params p = {0};
    p_int(&p, run_id);
    PGresult *res = store_exec_retry(st, "SELECT " STORE_VIEW_PATH_SQL("$1::bigint"), &p,
                                     PGRES_TUPLES_OK, "look up the view image", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        *out_path = store_bytea_path(PQgetvalue(res, 0, 0));
    PQclear(res);
    return LR_OK;
}

int lr_web_item_cell(lr_store *st, int64_t item_id, char **out_path, int box[4], bool *out_found,
                     lr_error *err)
{
    *out_path = NULL;
    *out_found = false;
    store_params p = {0};
    p_int(&p, item_id);
    PGresult *res = store_exec_retry(
        st,
        "SELECT f.x0, f.y0, f.x1, f.y1, " STORE_VIEW_PATH_SQL("f.page_run_id")
        " FROM review_item ri JOIN field_value f ON f.page_run_id = ri.page_run_id"
        " AND f.section = ri.section AND f.row_no = ri.row_no AND f.field = ri.field"
        " WHERE ri.id = $1",
        &p, PGRES_TUPLES_OK, "look up the cell", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) == 1) {
        *out_found = true;
        for (int k = 0; k < 4; k++)
            box[k] = PQgetisnull(res, 0, k) ? -1 : atoi(PQgetvalue(res, 0, k));
        if (!PQgetisnull(res, 0, 4))
            *out_path = store_bytea_path(PQgetvalue(res, 0, 4));
    }
    PQclear(res);
    return LR_OK;
}
