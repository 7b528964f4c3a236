/* invocation.c — settings and invocations: what a "landrec run" records before its first page
 * and after its last (store.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "landrec/utf8.h"
#include "store_internal.h"

int lr_store_register_settings(lr_store *st, const char *settings_hash, const char *settings_json,
                               lr_error *err)
{
    store_params p = {0};

    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    if (!store_is_hex64(settings_hash))
        return lr_error_set(err, LR_ERR_ARG, "settings hash is not 64 lower-case hex digits");
    int rc = store_ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    p_str(&p, settings_hash);
    p_str(&p, settings_json && *settings_json ? settings_json : "{}");
    /* The hash names the settings: an existing row is the same settings and stays as it is. */
    PGresult *res =
        store_exec_retry(st,
                         "INSERT INTO settings (hash, description) VALUES ($1, $2::jsonb)"
                         " ON CONFLICT (hash) DO NOTHING",
                         &p, PGRES_COMMAND_OK, "record the settings", err);
    if (!res)
        return LR_ERR_DB;
    PQclear(res);
    return LR_OK;
}

int lr_store_invocation_begin(lr_store *st, const char *batch, const char *args,
                              const char *settings_hash, int64_t *out_id, lr_error *err)
{
    store_params p = {0};
    char host[256] = "";

    if (out_id)
        *out_id = 0;
    if (!st || !out_id)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no place for the id");
    if (settings_hash && !store_is_hex64(settings_hash))
        return lr_error_set(err, LR_ERR_ARG, "settings hash is not 64 lower-case hex digits");
    if (batch && !lr_utf8_valid(batch, strlen(batch))) {
        /* Not escaped like a path: "export --batch NAME" must find it by the same name. */
        int rc = lr_error_set(err, LR_ERR_ARG, "the batch name is not valid UTF-8");
        lr_error_hint(err, "Name the batch in UTF-8.");
        return rc;
    }
    int rc = store_ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    p_str(&p, batch && *batch ? batch : NULL);
    p_str(&p, args);
    p_str(&p, settings_hash);
    p_str(&p, host[0] ? host : NULL);
    p_int(&p, (long long)getpid());
    PGresult *res = store_exec(st,
                               "INSERT INTO invocation (batch, args, settings_hash, host, pid)"
                               " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                               &p, PGRES_TUPLES_OK, "record the invocation", err);
    if (!res)
        return LR_ERR_DB;
    *out_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return LR_OK;
}

int lr_store_invocation_end(lr_store *st, int64_t invocation_id, const lr_run_counts *counts,
                            int exit_status, lr_error *err)
{
    int rc = LR_OK;
    store_params p = {0};
    char *counts_json = NULL;
    PGresult *res = NULL;

    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    rc = store_ensure_connected(st, err);
    if (rc != LR_OK)
        goto done;
    if (counts) {
        json_t *o =
            json_pack("{s:i, s:i, s:i, s:i, s:i}", "pages_done", counts->pages_done,
                      "pages_skipped", counts->pages_skipped, "pages_failed", counts->pages_failed,
                      "files", counts->files, "pages_done_elsewhere", counts->pages_done_elsewhere);
        counts_json = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!counts_json) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    p_int(&p, invocation_id);
    p_str(&p, counts_json);
    p_int(&p, exit_status);
    res = store_exec_retry(st,
                           "UPDATE invocation SET finished_at = now(), counts = $2::jsonb,"
                           " exit_status = $3 WHERE id = $1",
                           &p, PGRES_COMMAND_OK, "record the end of the invocation", err);
    if (!res) {
        rc = LR_ERR_DB;
        goto done;
    }
    if (strcmp(PQcmdTuples(res), "0") == 0) {
        rc = lr_error_set(err, LR_ERR_ARG, "no invocation with id %lld",
                          (long long)invocation_id);
        goto done;
    }

done:
    PQclear(res);
    free(counts_json);
    return rc;
}
