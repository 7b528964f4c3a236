/* status.c — "landrec db status": the target, the schema version and counts of what has been
 * loaded (store.h). */
#include <string.h>

#include "store_internal.h"

int lr_store_print_status(lr_store *st, const char *schema_dir, FILE *out, lr_error *err)
{
    int rc = LR_OK;
    PGresult *res = NULL;
    lr_error schema_err;

    if (!st || !out)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output");
    rc = store_ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    char target[300];
    store_describe_target(st->conn, target, sizeof target);
    fprintf(out, "%-14s %s, PostgreSQL %d.%d\n", "database:", target,
            PQserverVersion(st->conn) / 10000, PQserverVersion(st->conn) % 10000);

    lr_error_clear(&schema_err);
    int schema_rc = lr_store_check_schema(st, schema_dir, &schema_err);
    res = store_exec(st, "SELECT to_regclass('schema_version') IS NOT NULL", NULL, PGRES_TUPLES_OK,
                     "look for the schema_version table", err);
    bool have_table = res && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    res = NULL;
    if (have_table) /* a separate statement: a missing table fails at parse time */
        res = store_exec(st,
                         "SELECT format('%s (%s), applied %s', version, name,"
                         " to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS TZ'))"
                         " FROM schema_version ORDER BY version DESC LIMIT 1",
                         NULL, PGRES_TUPLES_OK, "read the schema version", err);
    if (have_table && !res) {
        rc = LR_ERR_DB;
        goto done;
    }
    fprintf(out, "%-14s %s%s\n", "schema:",
            res && PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "none",
            schema_rc == LR_OK ? ", current" : have_table ? ", out of date" : "");
    PQclear(res);
    res = NULL;
    if (schema_rc != LR_OK) {
        if (err)
            *err = schema_err;
        rc = schema_rc;
        goto done;
    }

    res = store_exec(
        st,
        "SELECT (SELECT count(*) FROM source_file),"
        " (SELECT count(*) FROM page_run WHERE status = 'done'),"
        " (SELECT count(*) FROM page_run WHERE status = 'failed'),"
        " (SELECT count(DISTINCT settings_hash) FROM page_run),"
        " (SELECT count(*) FROM word),"
        " (SELECT count(*) FROM page_failure),"
        " (SELECT count(*) FROM invocation),"
        " (SELECT format('#%s%s, started %s, %s', id,"
        "    CASE WHEN batch IS NULL THEN '' ELSE format(' batch \"%s\"', batch) END,"
        "    to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ'),"
        "    CASE WHEN finished_at IS NULL THEN 'not finished'"
        "    ELSE format('finished with status %s', exit_status) END)"
        "  FROM invocation ORDER BY id DESC LIMIT 1)",
        NULL, PGRES_TUPLES_OK, "count what has been loaded", err);
    if (!res) {
        rc = LR_ERR_DB;
        goto done;
    }
    fprintf(out, "%-14s %s\n", "source files:", PQgetvalue(res, 0, 0));
    fprintf(out, "%-14s %s done, %s failed, with %s setting(s)\n", "pages:", PQgetvalue(res, 0, 1),
            PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
    fprintf(out, "%-14s %s\n", "words:", PQgetvalue(res, 0, 4));
    fprintf(out, "%-14s %s\n", "failures:", PQgetvalue(res, 0, 5));
    fprintf(out, "%-14s %s%s%s\n", "invocations:", PQgetvalue(res, 0, 6),
            PQgetisnull(res, 0, 7) ? "" : "; last ",
            PQgetisnull(res, 0, 7) ? "" : PQgetvalue(res, 0, 7));
    if (fflush(out) != 0 || ferror(out))
        rc = lr_error_set(err, LR_ERR_IO, "could not write the status");

done:
    PQclear(res);
    return rc;
}
