/* reprocess.c — pages selected by their latest run, settings found by a prefix, and the runs
 * of two settings side by side (reprocess.h). */
#include "landrec/reprocess.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/strbuf.h"
#include "store_internal.h"

/* The latest run of every (file, page), export's rule (export.c), then the criteria: each
 * parameter that is NULL (false for $3) does not narrow. */
static const char *const select_sql =
    "WITH latest AS ("
    "  SELECT DISTINCT ON (pr.file_key, pr.page)"
    "    pr.id, pr.file_key, pr.source_path, pr.page, pr.updated_at"
    "  FROM page_run pr"
    "  ORDER BY pr.file_key, pr.page, " STORE_RUN_STANDS_ORDER "), shown AS ("
    "  SELECT l.*, max(l.updated_at) OVER (PARTITION BY l.source_path) AS path_newest"
    "  FROM latest l"
    ")"
    " SELECT s.id, COALESCE(s.source_path_raw, convert_to(s.source_path, 'UTF8')),"
    "  s.source_path, s.sha256, s.page, s.page_count, s.settings_hash"
    " FROM shown sh JOIN page_run s ON s.id = sh.id"
    " WHERE NOT (sh.page = 0 AND sh.updated_at < sh.path_newest)"
    "  AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM invocation_page ip"
    "    JOIN invocation i ON i.id = ip.invocation_id"
    "    WHERE ip.page_run_id = s.id AND i.batch = $1))"
    "  AND ($2::float8 IS NULL OR s.mean_conf < $2)"
    "  AND (NOT $3::boolean OR s.status = 'failed')"
    "  AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM record_sheet rs"
    "    WHERE rs.page_run_id = s.id AND rs.doc_type = $4))"
    "  AND ($5::bigint[] IS NULL OR (s.file_key, s.page) IN ("
    "    SELECT r.file_key, r.page FROM page_run r WHERE r.id = ANY ($5)))"
    " ORDER BY sh.source_path COLLATE \"C\", sh.page, sh.file_key";

enum { S_ID, S_RAW, S_PATH, S_SHA, S_PAGE, S_PAGE_COUNT, S_SETTINGS };

void lr_reprocess_pages_free(lr_reprocess_page *pages, size_t n)
{
    for (size_t i = 0; pages && i < n; i++) {
        free(pages[i].path);
        free(pages[i].path_shown);
    }
    free(pages);
}

static void copy_hex64(char *dst, const PGresult *r, int row, int col)
{
    dst[0] = '\0';
    if (!PQgetisnull(r, row, col))
        snprintf(dst, LR_SHA256_HEX_LEN + 1, "%s", PQgetvalue(r, row, col));
}

int lr_store_reprocess_select(lr_store *st, const lr_reprocess_selection *sel,
                              lr_reprocess_page **out, size_t *out_n, lr_error *err)
{
    *out = NULL;
    *out_n = 0;
    if (!st || !sel)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or selection");
    if (!sel->from_batch && !sel->below_set && !sel->failed && !sel->doc_type && !sel->run_ids)
        return lr_error_set(err, LR_ERR_ARG, "no selection: give at least one criterion");
    lr_strbuf ids = LR_STRBUF_INIT;
    if (sel->run_ids) {
        lr_strbuf_putc(&ids, '{');
        for (size_t i = 0; i < sel->nrun_ids; i++)
            lr_strbuf_printf(&ids, "%s%lld", i ? "," : "", (long long)sel->run_ids[i]);
        lr_strbuf_putc(&ids, '}');
        if (ids.failed) {
            lr_strbuf_free(&ids);
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        }
    }
    store_params p = {0};
    p_str(&p, sel->from_batch);
    if (sel->below_set)
        p_real(&p, sel->below_conf);
    else
        p_null(&p);
    p_bool(&p, sel->failed);
    p_str(&p, sel->doc_type);
    p_str(&p, sel->run_ids ? ids.data : NULL);
    PGresult *r =
        store_exec_retry(st, select_sql, &p, PGRES_TUPLES_OK, "select the pages to reprocess", err);
    lr_strbuf_free(&ids);
    if (!r)
        return LR_ERR_DB;
    int rows = PQntuples(r), rc = LR_OK;
    lr_reprocess_page *pages = rows ? calloc((size_t)rows, sizeof *pages) : NULL;
    if (rows && !pages)
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (int i = 0; rc == LR_OK && i < rows; i++) {
        lr_reprocess_page *pg = &pages[i];
        pg->run_id = strtoll(PQgetvalue(r, i, S_ID), NULL, 10);
        pg->path = store_bytea_path(PQgetvalue(r, i, S_RAW));
        pg->path_shown = strdup(PQgetvalue(r, i, S_PATH));
        copy_hex64(pg->sha256, r, i, S_SHA);
        pg->page = atoi(PQgetvalue(r, i, S_PAGE));
        pg->page_count = PQgetisnull(r, i, S_PAGE_COUNT) ? 0 : atoi(PQgetvalue(r, i, S_PAGE_COUNT));
        copy_hex64(pg->settings_hash, r, i, S_SETTINGS);
        if (!pg->path || !pg->path_shown)
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory, or a path holding a NUL byte");
    }
    PQclear(r);
    if (rc != LR_OK) {
        lr_reprocess_pages_free(pages, (size_t)rows);
        return rc;
    }
    *out = pages;
    *out_n = (size_t)rows;
    return LR_OK;
}

int lr_store_settings_resolve(lr_store *st, const char *prefix,
                              char out_hash[LR_SHA256_HEX_LEN + 1], lr_error *err)
{
    out_hash[0] = '\0';
    char lower[LR_SHA256_HEX_LEN + 1];
    size_t n = prefix ? strlen(prefix) : 0;
    bool hex = n >= 8 && n <= LR_SHA256_HEX_LEN;
    for (size_t i = 0; hex && i < n; i++) {
        hex = isxdigit((unsigned char)prefix[i]) != 0;
        lower[i] = (char)tolower((unsigned char)prefix[i]);
    }
    if (!hex)
        return lr_error_set(err, LR_ERR_ARG,
                            "\"%s\" is not a settings hash: 8 to 64 hex digits expected",
                            prefix ? prefix : "");
    lower[n] = '\0';
    store_params p = {0};
    p_str(&p, lower);
    /* Three rows are enough to tell one from several, and name two of them. */
    PGresult *r = store_exec_retry(st,
                                   "SELECT hash FROM settings WHERE left(hash, length($1)) = $1"
                                   " ORDER BY hash LIMIT 3",
                                   &p, PGRES_TUPLES_OK, "look the settings up", err);
    if (!r)
        return LR_ERR_DB;
    int rows = PQntuples(r), rc = LR_OK;
    if (rows == 0)
        rc = lr_error_set(err, LR_ERR_ARG, "no settings begin with %s", lower);
    else if (rows > 1)
        rc = lr_error_set(err, LR_ERR_ARG, "%s is ambiguous: %s, %s%s", lower, PQgetvalue(r, 0, 0),
                          PQgetvalue(r, 1, 0), rows > 2 ? " and more" : "");
    else
        copy_hex64(out_hash, r, 0, 0);
    PQclear(r);
    return rc;
}

/* The pairs of done runs, with their fields that differ as [section, row_no, field, a, b]:
 * a key missing from one run is NULL there. Field values are the machine's (field_value),
 * not reviewers' versions. */
static const char *const compare_sql =
    "WITH pairs AS ("
    "  SELECT a.id AS ida, b.id AS idb, a.source_path, a.page, a.file_key"
    "  FROM page_run a JOIN page_run b ON b.file_key = a.file_key AND b.page = a.page"
    "  WHERE a.settings_hash = $1 AND b.settings_hash = $2"
    "    AND a.status = 'done' AND b.status = 'done'"
    "    AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM invocation_page ip"
    "      JOIN invocation i ON i.id = ip.invocation_id"
    "      WHERE ip.page_run_id IN (a.id, b.id) AND i.batch = $3))"
    ")"
    " SELECT p.source_path, p.page, p.ida, p.idb, a.mean_conf, b.mean_conf,"
    "  COALESCE(a.text, ''), COALESCE(b.text, ''),"
    "  regexp_count(COALESCE(a.text, ''), '\\S+'), regexp_count(COALESCE(b.text, ''), '\\S+'),"
    "  (SELECT count(*) FROM (SELECT section, row_no, field FROM field_value"
    "     WHERE page_run_id = p.ida UNION SELECT section, row_no, field FROM field_value"
    "     WHERE page_run_id = p.idb) k),"
    "  (SELECT json_agg(json_build_array(d.section, d.row_no, d.field, d.va, d.vb)"
    "     ORDER BY d.section, d.row_no, d.field) FROM ("
    "     SELECT COALESCE(fa.section, fb.section) AS section,"
    "       COALESCE(fa.row_no, fb.row_no) AS row_no, COALESCE(fa.field, fb.field) AS field,"
    "       fa.value AS va, fb.value AS vb"
    "     FROM (SELECT * FROM field_value WHERE page_run_id = p.ida) fa"
    "     FULL JOIN (SELECT * FROM field_value WHERE page_run_id = p.idb) fb"
    "       ON fb.section = fa.section AND fb.row_no = fa.row_no AND fb.field = fa.field"
    "     WHERE fa.value IS DISTINCT FROM fb.value) d)"
    " FROM pairs p JOIN page_run a ON a.id = p.ida JOIN page_run b ON b.id = p.idb"
    " ORDER BY p.source_path COLLATE \"C\", p.page, p.file_key";

enum {
    C_PATH,
    C_PAGE,
    C_IDA,
    C_IDB,
    C_CONFA,
    C_CONFB,
    C_TEXTA,
    C_TEXTB,
    C_WORDSA,
    C_WORDSB,
    C_FIELDS,
    C_CHANGED
};

void lr_compare_pages_free(lr_compare_page *pages, size_t n)
{
    for (size_t i = 0; pages && i < n; i++) {
        free(pages[i].path_shown);
        free(pages[i].text_a);
        free(pages[i].text_b);
        for (size_t j = 0; j < pages[i].nchanged; j++) {
            free(pages[i].changed[j].section);
            free(pages[i].changed[j].field);
            free(pages[i].changed[j].a);
            free(pages[i].changed[j].b);
        }
        free(pages[i].changed);
    }
    free(pages);
}

static char *json_dup(const json_t *v)
{
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

/* The changed fields of a row, from their JSON array. */
static int read_changed(const char *text, lr_compare_page *pg, lr_error *err)
{
    json_t *arr = json_loads(text, 0, NULL);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return lr_error_set(err, LR_ERR_INTERNAL, "the changed fields did not parse");
    }
    size_t n = json_array_size(arr);
    pg->changed = calloc(n ? n : 1, sizeof *pg->changed);
    if (!pg->changed) {
        json_decref(arr);
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(arr, i);
        lr_compare_field *f = &pg->changed[pg->nchanged++];
        f->section = json_dup(json_array_get(e, 0));
        f->row_no = (int)json_integer_value(json_array_get(e, 1));
        f->field = json_dup(json_array_get(e, 2));
        f->a = json_dup(json_array_get(e, 3));
        f->b = json_dup(json_array_get(e, 4));
    }
    json_decref(arr);
    return LR_OK;
}

int lr_store_compare(lr_store *st, const char *a, const char *b, const char *batch,
                     lr_compare_page **out, size_t *out_n, lr_error *err)
{
    *out = NULL;
    *out_n = 0;
    if (!st || !store_is_hex64(a) || !store_is_hex64(b))
        return lr_error_set(err, LR_ERR_ARG, "no database connection, or not two settings hashes");
    store_params p = {0};
    p_str(&p, a);
    p_str(&p, b);
    p_str(&p, batch);
    PGresult *r =
        store_exec_retry(st, compare_sql, &p, PGRES_TUPLES_OK, "read the runs to compare", err);
    if (!r)
        return LR_ERR_DB;
    int rows = PQntuples(r), rc = LR_OK;
    lr_compare_page *pages = rows ? calloc((size_t)rows, sizeof *pages) : NULL;
    if (rows && !pages)
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    for (int i = 0; rc == LR_OK && i < rows; i++) {
        lr_compare_page *pg = &pages[i];
        pg->path_shown = strdup(PQgetvalue(r, i, C_PATH));
        pg->page = atoi(PQgetvalue(r, i, C_PAGE));
        pg->run_a = strtoll(PQgetvalue(r, i, C_IDA), NULL, 10);
        pg->run_b = strtoll(PQgetvalue(r, i, C_IDB), NULL, 10);
        pg->conf_a = PQgetisnull(r, i, C_CONFA) ? NAN : strtod(PQgetvalue(r, i, C_CONFA), NULL);
        pg->conf_b = PQgetisnull(r, i, C_CONFB) ? NAN : strtod(PQgetvalue(r, i, C_CONFB), NULL);
        pg->text_a = strdup(PQgetvalue(r, i, C_TEXTA));
        pg->text_b = strdup(PQgetvalue(r, i, C_TEXTB));
        pg->words_a = atoi(PQgetvalue(r, i, C_WORDSA));
        pg->words_b = atoi(PQgetvalue(r, i, C_WORDSB));
        pg->fields = atoi(PQgetvalue(r, i, C_FIELDS));
        if (!pg->path_shown || !pg->text_a || !pg->text_b)
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        else if (!PQgetisnull(r, i, C_CHANGED))
            rc = read_changed(PQgetvalue(r, i, C_CHANGED), pg, err);
    }
    PQclear(r);
    if (rc != LR_OK) {
        lr_compare_pages_free(pages, (size_t)rows);
        return rc;
    }
    *out = pages;
    *out_n = (size_t)rows;
    return LR_OK;
}

/* The run standing for run_id's page before the choice, then the choice, in one statement:
 * the page's key is taken from the run, so that a choice never names another page. */
static const char *const choose_sql =
    "WITH run AS (SELECT id, file_key, page, status FROM page_run WHERE id = $1),"
    " before AS ("
    "  SELECT pr.id FROM page_run pr JOIN run ON pr.file_key = run.file_key"
    "   AND pr.page = run.page"
    "  ORDER BY " STORE_RUN_STANDS_ORDER " LIMIT 1),"
    " chosen AS ("
    "  INSERT INTO run_choice (file_key, page, page_run_id, chosen_by, why)"
    "  SELECT file_key, page, id, $2, $3 FROM run WHERE status = 'done' AND page >= 1"
    "  RETURNING id)"
    " SELECT (SELECT status FROM run), (SELECT id FROM before), (SELECT count(*) FROM chosen)";

int lr_store_choose_run(lr_store *st, int64_t run_id, const char *by, const char *why,
                        int64_t *out_replaced, lr_error *err)
{
    if (out_replaced)
        *out_replaced = 0;
    if (!st || run_id <= 0 || !by || !by[0])
        return lr_error_set(err, LR_ERR_ARG, "no database connection, run or name");
    store_params p = {0};
    p_int(&p, run_id);
    p_str(&p, by);
    p_str(&p, why);
    PGresult *r = store_exec(st, choose_sql, &p, PGRES_TUPLES_OK, "record the choice", err);
    if (!r)
        return LR_ERR_DB;
    int rc = LR_OK;
    if (PQgetisnull(r, 0, 0))
        rc = lr_error_set(err, LR_ERR_ARG, "there is no run %lld", (long long)run_id);
    else if (strcmp(PQgetvalue(r, 0, 2), "1") != 0)
        rc = lr_error_set(err, LR_ERR_ARG, "run %lld is not done (%s): only a done run can stand",
                          (long long)run_id, PQgetvalue(r, 0, 0));
    else if (out_replaced && !PQgetisnull(r, 0, 1)) {
        int64_t before = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
        *out_replaced = before == run_id ? 0 : before;
    }
    PQclear(r);
    return rc;
}
