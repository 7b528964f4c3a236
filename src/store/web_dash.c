/* web_dash.c — the records officers' figures (webstore.h): pages and sheets per year against
 * the targets of quota_target, batches, pages a day, failures by reason, flagged fields and the
 * review backlog. One statement, which both the dashboard and "landrec report" run; the server
 * builds the JSON. */
#include <stdlib.h>

#include "landrec/webstore.h"
#include "store_internal.h"

/* A page counts once, in the year its first successful run was loaded (reprocessing is not
 * new work); a sheet likewise. $1 is the year, 0 for the dashboard's window: the last 60
 * days, the latest 50 batches, every failure. */
static const char *const dashboard_sql =
    "WITH firsts AS ("
    " SELECT DISTINCT ON (p.file_key, p.page) p.id, p.created_at, p.status,"
    "  EXISTS (SELECT 1 FROM record_sheet r WHERE r.page_run_id = p.id) AS sheet"
    " FROM page_run p WHERE p.status = 'done' AND p.page >= 1"
    " ORDER BY p.file_key, p.page, p.created_at, p.id),"
    " years AS (SELECT extract(year FROM created_at)::int AS year, count(*) AS pages,"
    "  count(*) FILTER (WHERE sheet) AS sheets FROM firsts GROUP BY 1),"
    " allyears AS (SELECT year FROM years UNION SELECT year FROM quota_target"
    "  WHERE NOT cumulative)"
    " SELECT json_build_object("
    " 'years', (SELECT json_agg(json_build_object('year', a.year,"
    "   'pages', coalesce(y.pages, 0), 'sheets', coalesce(y.sheets, 0),"
    "   'target', (SELECT t.records FROM quota_target t WHERE t.year = a.year"
    "    AND NOT t.cumulative)) ORDER BY a.year)"
    "  FROM allyears a LEFT JOIN years y ON y.year = a.year),"
    " 'total_target', (SELECT json_build_object('year', t.year, 'records', t.records)"
    "  FROM quota_target t WHERE t.cumulative ORDER BY t.year DESC LIMIT 1),"
    " 'total_pages', (SELECT count(*) FROM firsts),"
    " 'total_sheets', (SELECT count(*) FROM firsts WHERE sheet),"
    " 'batches', (SELECT json_agg(b ORDER BY b.last DESC) FROM ("
    "  SELECT coalesce(i.batch, '') AS batch, count(DISTINCT ip.page_run_id)"
    "   FILTER (WHERE ip.outcome = 'done') AS pages,"
    "   count(DISTINCT ip.page_run_id) FILTER (WHERE ip.outcome = 'failed') AS failed,"
    "   count(DISTINCT r.page_run_id) AS sheets, min(i.started_at) AS first,"
    "   max(i.started_at) AS last, count(DISTINCT i.host) AS hosts"
    "  FROM invocation i LEFT JOIN invocation_page ip ON ip.invocation_id = i.id"
    "  LEFT JOIN record_sheet r ON r.page_run_id = ip.page_run_id AND ip.outcome = 'done'"
    "  WHERE $1::int = 0 OR extract(year FROM i.started_at)::int = $1::int"
    "  GROUP BY 1 ORDER BY max(i.started_at) DESC"
    "  LIMIT CASE WHEN $1::int = 0 THEN 50 END) b),"
    /* Per contractor, from the delivery manifests (014_delivery.sql): their files recorded in
     * the year (all of them for the dashboard), and those files' pages done and failed. */
    " 'contractors', (SELECT json_agg(c ORDER BY c.contractor) FROM ("
    "  SELECT d.contractor, count(DISTINCT d.sha256) AS files,"
    "   count(DISTINCT (p.file_key, p.page)) FILTER (WHERE p.status = 'done' AND p.page >= 1)"
    "    AS pages,"
    "   count(DISTINCT (p.file_key, p.page)) FILTER (WHERE p.status = 'failed') AS failed,"
    "   min(d.scan_date) AS first_scan, max(d.scan_date) AS last_scan"
    "  FROM delivery_file d LEFT JOIN page_run p ON p.file_key = d.sha256"
    "  WHERE $1::int = 0 OR extract(year FROM d.recorded_at)::int = $1::int"
    "  GROUP BY 1) c),"
    " 'per_day', (SELECT json_agg(json_build_object('day', d.day, 'pages', d.pages)"
    "   ORDER BY d.day) FROM (SELECT created_at::date AS day, count(*) AS pages FROM firsts"
    "   WHERE CASE WHEN $1::int = 0 THEN created_at > now() - interval '60 days'"
    "    ELSE extract(year FROM created_at)::int = $1::int END GROUP BY 1) d),"
    " 'failures', (SELECT json_agg(json_build_object('reason', f.reason, 'count', f.n)"
    "   ORDER BY f.n DESC) FROM (SELECT coalesce(error_code, 'unknown') AS reason, count(*) AS n"
    "   FROM page_run WHERE status = 'failed'"
    "   AND ($1::int = 0 OR extract(year FROM created_at)::int = $1::int) GROUP BY 1) f),"
    " 'fields', (SELECT json_build_object('total', count(*),"
    "   'flagged', count(*) FILTER (WHERE review),"
    "   'reviewed', (SELECT count(DISTINCT (page_run_id, section, row_no, field))"
    "    FROM value_version)) FROM field_value),"
    " 'backlog', (SELECT json_build_object('open', count(*) FILTER (WHERE state = 'open'),"
    "   'resolved_7d', count(*) FILTER (WHERE resolved_at > now() - interval '7 days'),"
    "   'per_day_7d', round(count(*) FILTER (WHERE resolved_at > now() - interval '7 days')"
    "    / 7.0, 1)) FROM review_item))";

int lr_web_dashboard(lr_store *st, int year, json_t **out, lr_error *err)
{
    *out = NULL;
    if (year < 0)
        return lr_error_set(err, LR_ERR_ARG, "bad year %d", year);
    store_params p = {0};
    p_int(&p, year);
    PGresult *res =
        store_exec_retry(st, dashboard_sql, &p, PGRES_TUPLES_OK, "read the figures", err);
    if (!res)
        return LR_ERR_DB;
    *out = store_json_value(res);
    PQclear(res);
    return *out ? LR_OK : lr_error_set(err, LR_ERR_DB, "could not read the figures");
}
