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
 * 008_search_speed.sql, 011_search_order.sql) at 100,000 sheets and beyond.
 *
 * Search reads sheet_search alone, one row for the latest run of each page with its file name
 * and page (011_search_order.sql): a match costs one row.
 *
 * Two statements. The first takes the sheets whose folded texts hold every text condition
 * as a substring (the best matches there are), counts them up to SEARCH_COUNT_CAP (or the end
 * of the page asked for) and gives the page of them in the order of file name and page.
 * Counting stops at the cap and the order is sheet_search_order_idx's, so that the planner
 * may walk the sheets in order and stop when the page is full: a query that matches half the
 * archive costs the page, not the half. Its answer stands when there is no text condition
 * (nothing fuzzy to add) or when its page is full, since every fuzzy match ranks below every
 * substring match; "more" then says that the count is a lower bound. Only a page that reaches
 * past the substring matches takes the second statement, which adds the fuzzy matches (word
 * similarity, pg_trgm's <%), counts them all and orders them best first: a substring scores
 * 1 for each condition, a fuzzy match its word similarity (a substring inside a folded text,
 * which has no spaces, has a word similarity near 0, which would rank it below fuzzy matches); the
 * substring and the fuzzy match each by its own trigram lookup (a substring of fewer than
 * three characters has no trigram, and with the two in one OR the fuzzy test would run on
 * every sheet). */
#define SEARCH_COUNT_CAP 1000

/* The page of results m (id, source, page, score) in order with its display columns;
 * %d, %d: the limit's and the offset's parameter numbers. */
#define SEARCH_RESULTS(m)                                                                          \
    "coalesce((SELECT json_agg(x) FROM"                                                            \
    "  (SELECT t.id, t.source, t.page, r.doc_type, d.location, d.lot, d.owners, d.nopen,"          \
    "   d.min_date, d.max_date"                                                                    \
    "   FROM (SELECT * FROM " m " ORDER BY score DESC, source COLLATE \"C\", page, id"             \
    "    LIMIT $%d::int OFFSET $%d::int) t"                                                        \
    "   JOIN sheet_search d ON d.page_run_id = t.id JOIN record_sheet r ON r.page_run_id = t.id"   \
    "   ORDER BY t.score DESC, t.source COLLATE \"C\", t.page, t.id) x), '[]'::json)"

/* The first statement. m: the substring matches as the trigram indexes find them (LIKE);
 * w: the same sheets written so that no index but the order's serves them (strpos), for the
 * walk. c counts m up to the cap. The page comes from w, walked in order, when the count
 * passed the cap (the matches are dense: the page is found in the first few hundred sheets
 * of the order), else from m, all of whose at most cap matches are ordered; the branch not
 * taken is not run (its condition is known before the rows are read). The planner would not
 * choose the walk itself: it cannot tell from a trigram lookup how many sheets match.
 * %d: the number of text conditions (every match's score); %s, %s: the other conditions and
 * the text conditions of m; %d, %s, %s: of w; then the parameter numbers of the cap (three
 * times), the offset and the limit, then of the cap, the limit and the offset for each
 * branch. */
static const char *const search_substring =
    "WITH m AS MATERIALIZED ("
    " SELECT s.page_run_id AS id, s.source, s.page, %d::real AS score"
    " FROM sheet_search s WHERE true%s%s),"
    " w AS NOT MATERIALIZED ("
    " SELECT s.page_run_id AS id, s.source, s.page, %d::real AS score"
    " FROM sheet_search s WHERE true%s%s),"
    " c AS MATERIALIZED (SELECT count(*) AS n FROM (SELECT 1 FROM m LIMIT $%d::int + 1) k)"
    " SELECT json_build_object('total', least(c.n, $%d::int), 'more', c.n > $%d::int,"
    "  'offset', $%d::int, 'limit', $%d::int, 'results', "
    "coalesce((SELECT json_agg(x) FROM"
    "  (SELECT t.id, t.source, t.page, r.doc_type, d.location, d.lot, d.owners, d.nopen,"
    "   d.min_date, d.max_date"
    "   FROM ((SELECT * FROM w WHERE (SELECT n FROM c) > $%d::int"
    "     ORDER BY source COLLATE \"C\", page, id LIMIT $%d::int OFFSET $%d::int)"
    "    UNION ALL (SELECT * FROM m WHERE (SELECT n FROM c) <= $%d::int"
    "     ORDER BY source COLLATE \"C\", page, id LIMIT $%d::int OFFSET $%d::int)) t"
    "   JOIN sheet_search d ON d.page_run_id = t.id JOIN record_sheet r ON r.page_run_id = t.id"
    "   ORDER BY t.source COLLATE \"C\", t.page, t.id) x), '[]'::json))"
    " FROM c";

/* %s: the score, the joins, the other conditions, the text conditions on the row; then the
 * offset's, the limit's, the limit's and the offset's parameter numbers. */
static const char *const search_fuzzy =
    "WITH m AS ("
    " SELECT s.page_run_id AS id, s.source, s.page, %s AS score"
    " FROM sheet_search s%s WHERE true%s%s)"
    " SELECT json_build_object('total', (SELECT count(*) FROM m), 'more', false,"
    "  'offset', $%d::int, 'limit', $%d::int, 'results', " SEARCH_RESULTS("m") ")";

/* Adds the value as the next parameter; its number. */
static int param(store_params *p, const char *value)
{
    p_str(p, value);
    return p->n;
}

/* The forms of the conditions a text condition goes into. */
typedef struct text_forms {
    lr_strbuf substring; /* conditions on s: a substring of the folded column (LIKE) */
    lr_strbuf walk;      /* the same by strpos, which no index serves */
    lr_strbuf joins;     /* the joins with the sheets that match, as a substring or fuzzily */
    lr_strbuf score;     /* with joins: the score, a term for each join */
    lr_strbuf rows;      /* conditions on s: a substring or a fuzzy match */
    lr_strbuf row_score; /* with rows: the score, a term for each condition */
} text_forms;

/* A match on a folded column (loc_fold, owner_fold, doc_fold) for the LIKE-escaped text
 * value, in each of its forms. The joins find the matches of each condition by its trigram
 * lookups; the row conditions test the rows that a lot found, so that a fuzzy match is not
 * looked for over the whole archive when the lot names four sheets (with dates, which may
 * cover half the archive, the row conditions would compute a word similarity for each). */
static void text_condition(text_forms *f, store_params *p, const char *value, const char *column)
{
    if (!value)
        return;
    int k = param(p, value);
    lr_strbuf_printf(&f->substring, " AND s.%s LIKE '%%' || lr_fold($%d) || '%%'", column, k);
    /* strpos takes the value with LIKE's escapes undone. */
    lr_strbuf_printf(&f->walk,
                     " AND strpos(s.%s, lr_fold(regexp_replace($%d, '\\\\(.)', '\\1', 'g')))"
                     " > 0",
                     column, k);
    lr_strbuf_printf(&f->joins,
                     " JOIN (SELECT u.page_run_id, max(u.sc) AS sc FROM ("
                     "SELECT t.page_run_id, 1::real AS sc FROM sheet_search t"
                     " WHERE t.%s LIKE '%%' || lr_fold($%d) || '%%'"
                     " UNION ALL SELECT t.page_run_id, word_similarity(lr_fold($%d), t.%s)"
                     " FROM sheet_search t WHERE lr_fold($%d) <%% t.%s) u"
                     " GROUP BY u.page_run_id) match%d ON match%d.page_run_id = s.page_run_id",
                     column, k, k, column, k, column, k, k);
    lr_strbuf_printf(&f->score, " + match%d.sc", k);
    lr_strbuf_printf(&f->rows,
                     " AND (s.%s LIKE '%%' || lr_fold($%d) || '%%' OR lr_fold($%d) <%% s.%s)",
                     column, k, k, column);
    lr_strbuf_printf(&f->row_score,
                     " + CASE WHEN s.%s LIKE '%%' || lr_fold($%d) || '%%' THEN 1::real"
                     " ELSE word_similarity(lr_fold($%d), s.%s) END",
                     column, k, k, column);
}

static bool text_forms_failed(const text_forms *f)
{
    return f->substring.failed || f->walk.failed || f->joins.failed || f->score.failed ||
           f->rows.failed || f->row_score.failed;
}

static void text_forms_free(text_forms *f)
{
    lr_strbuf_free(&f->substring);
    lr_strbuf_free(&f->walk);
    lr_strbuf_free(&f->joins);
    lr_strbuf_free(&f->score);
    lr_strbuf_free(&f->rows);
    lr_strbuf_free(&f->row_score);
}

/* Runs one of the statements; its JSON answer in *out. */
static int search_exec(lr_store *st, const char *sql, const store_params *p, json_t **out,
                       lr_error *err)
{
    PGresult *res = store_exec_retry(st, sql, p, PGRES_TUPLES_OK, "search", err);
    if (!res)
        return err && err->code ? (int)err->code : LR_ERR_DB;
    *out = store_json_value(res);
    PQclear(res);
    return *out ? LR_OK : lr_error_set(err, LR_ERR_DB, "the search gave no result");
}

int lr_web_search(lr_store *st, const lr_web_query *q, json_t **out, lr_error *err)
{
    *out = NULL;
    if (!date_ok(q->from) || !date_ok(q->to))
        return lr_error_set(err, LR_ERR_ARG, "a date is written YYYY-MM-DD");
    int limit = q->limit <= 0 ? 20 : q->limit > 200 ? 200 : q->limit;
    int offset = q->offset < 0 ? 0 : q->offset;
    int cap = offset + limit > SEARCH_COUNT_CAP ? offset + limit : SEARCH_COUNT_CAP;
    lr_strbuf like[3] = {{0}}, where = {0}, sql = {0};
    text_forms text;
    memset(&text, 0, sizeof text);
    store_params p = {0};
    lr_strbuf_puts(&where, "");
    lr_strbuf_puts(&text.substring, "");
    lr_strbuf_puts(&text.walk, "");
    lr_strbuf_puts(&text.joins, "");
    lr_strbuf_puts(&text.score, "0");
    lr_strbuf_puts(&text.rows, "");
    lr_strbuf_puts(&text.row_score, "0");
    /* A lot names a few sheets: the fuzzy matches are looked for among them only. */
    bool by_lot = q->lot && *q->lot;
    if (by_lot) {
        int k = param(&p, q->lot);
        lr_strbuf_printf(
            &where,
            " AND s.page_run_id IN (SELECT t.page_run_id FROM sheet_search t"
            " WHERE t.lot = $%d OR t.lot LIKE $%d || '-%%'"
            " UNION SELECT c.page_run_id FROM record_sheet c WHERE c.current_lot = $%d)",
            k, k, k);
    }
    text_condition(&text, &p, like_escaped(&like[0], q->location), "loc_fold");
    text_condition(&text, &p, like_escaped(&like[1], q->owner), "owner_fold");
    text_condition(&text, &p, like_escaped(&like[2], q->q), "doc_fold");
    int ntext = (q->location && *q->location) + (q->owner && *q->owner) + (q->q && *q->q);
    if (q->from && *q->from && q->to && *q->to && strcmp(q->from, q->to) > 0) {
        /* An empty range (daterange would refuse it): nothing is in it. */
        lr_strbuf_puts(&where, " AND false");
    } else if ((q->from && *q->from) || (q->to && *q->to)) {
        int a = param(&p, q->from && *q->from ? q->from : NULL);
        int b = param(&p, q->to && *q->to ? q->to : NULL);
        lr_strbuf_printf(&where,
                         " AND s.max_date IS NOT NULL AND daterange(s.min_date, s.max_date, '[]')"
                         " && daterange($%d::date, $%d::date, '[]')",
                         a, b);
    }
    if (q->doc_type && *q->doc_type)
        lr_strbuf_printf(&where,
                         " AND EXISTS (SELECT 1 FROM record_sheet r"
                         " WHERE r.page_run_id = s.page_run_id AND r.doc_type = $%d)",
                         param(&p, q->doc_type));
    if (q->batch && *q->batch)
        lr_strbuf_printf(&where,
                         " AND EXISTS (SELECT 1 FROM invocation_page ip"
                         " JOIN invocation i ON i.id = ip.invocation_id"
                         " WHERE ip.page_run_id = s.page_run_id AND i.batch = $%d)",
                         param(&p, q->batch));
    p_int(&p, limit);
    int lim = p.n;
    p_int(&p, offset);
    int off = p.n;
    p_int(&p, cap); /* the last parameter: the fuzzy statement has no cap */
    int cp = p.n;
    int rc = where.failed || text_forms_failed(&text)
                 ? lr_error_set(err, LR_ERR_NOMEM, "out of memory")
                 : LR_OK;
    json_t *found = NULL;
    if (rc == LR_OK) {
        lr_strbuf_printf(&sql, search_substring, ntext, where.data, text.substring.data, ntext,
                         where.data, text.walk.data, cp, cp, cp, off, lim, cp, lim, off, cp, lim,
                         off);
        rc = sql.failed ? lr_error_set(err, LR_ERR_NOMEM, "out of memory")
                        : search_exec(st, sql.data, &p, &found, err);
    }
    if (rc == LR_OK && ntext > 0 &&
        json_integer_value(json_object_get(found, "total")) >= offset + limit) {
        /* The page is full of substring matches, which every fuzzy match ranks below: the
         * fuzzy ones may add to the count, not to the page. */
        json_object_set_new(found, "more", json_true());
    } else if (rc == LR_OK && ntext > 0) {
        /* The page reaches past the substring matches: the fuzzy ones join them. */
        json_decref(found);
        found = NULL;
        lr_strbuf_free(&sql);
        if (by_lot)
            lr_strbuf_printf(&sql, search_fuzzy, text.row_score.data, "", where.data,
                             text.rows.data, off, lim, lim, off);
        else
            lr_strbuf_printf(&sql, search_fuzzy, text.score.data, text.joins.data, where.data, "",
                             off, lim, lim, off);
        store_params pf = p;
        pf.n = cp - 1;
        rc = sql.failed ? lr_error_set(err, LR_ERR_NOMEM, "out of memory")
                        : search_exec(st, sql.data, &pf, &found, err);
    }
    for (int k = 0; k < 3; k++)
        lr_strbuf_free(&like[k]);
    text_forms_free(&text);
    lr_strbuf_free(&where);
    lr_strbuf_free(&sql);
    if (rc != LR_OK) {
        json_decref(found);
        return rc;
    }
    *out = found;
    return LR_OK;
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
    PGresult *res =
        store_exec_retry(st,
                         "SELECT f.x0, f.y0, f.x1, f.y1, " STORE_VIEW_PATH_SQL(
                             "f.page_run_id") " FROM review_item ri JOIN field_value f ON "
                                              "f.page_run_id = ri.page_run_id"
                                              " AND f.section = ri.section AND f.row_no = "
                                              "ri.row_no AND f.field = ri.field"
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
