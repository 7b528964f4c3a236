/* web_auth.c — accounts, sessions and failed sign-ins of the web application (webstore.h,
 * schemas/007_web.sql). Tokens reach the database as their SHA-256 only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/webstore.h"
#include "store_internal.h"

static const char *const role_names[] = {"", "reader", "reviewer", "officer", "admin"};

lr_web_role lr_web_role_parse(const char *name)
{
    for (int r = LR_WEB_READER; name && r <= LR_WEB_ADMIN; r++)
        if (strcmp(name, role_names[r]) == 0)
            return (lr_web_role)r;
    return LR_WEB_NONE;
}

const char *lr_web_role_name(lr_web_role role)
{
    return role >= LR_WEB_READER && role <= LR_WEB_ADMIN ? role_names[role] : "none";
}

static bool name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 64)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("._@-", *p)))
            return false;
    return true;
}

int lr_web_user_put(lr_store *st, const char *name, lr_web_role role, const char *pwhash,
                    bool replace, bool *out_replaced, lr_error *err)
{
    if (out_replaced)
        *out_replaced = false;
    if (!name_ok(name))
        return lr_error_set(err, LR_ERR_ARG,
                            "a user name is 1 to 64 letters, digits, '.', '_', '@' or '-'");
    if (role == LR_WEB_NONE)
        return lr_error_set(err, LR_ERR_ARG, "the role must be reader, reviewer, officer or admin");
    store_params p = {0};
    p_str(&p, name);
    p_str(&p, lr_web_role_name(role));
    p_str(&p, pwhash);
    p_bool(&p, replace);
    PGresult *res = store_exec(st,
                               "INSERT INTO app_user (name, role, pwhash) VALUES ($1, $2, $3)"
                               " ON CONFLICT (name) DO UPDATE SET role = excluded.role,"
                               "  pwhash = excluded.pwhash, disabled = false WHERE $4::boolean"
                               " RETURNING (xmax <> 0)",
                               &p, PGRES_TUPLES_OK, "add the user", err);
    if (!res)
        return LR_ERR_DB;
    int rc = LR_OK;
    if (PQntuples(res) == 0) {
        rc = lr_error_set(err, LR_ERR_DB, "user \"%s\" exists", name);
        lr_error_detail(err, "exists");
        lr_error_hint(err, "Give --replace to set a new password and role.");
    } else if (out_replaced) {
        *out_replaced = PQgetvalue(res, 0, 0)[0] == 't';
    }
    PQclear(res);
    return rc;
}

int lr_web_user_get(lr_store *st, const char *name, lr_web_role *out_role, char *pwhash,
                    size_t pwhash_size, bool *out_found, lr_error *err)
{
    *out_found = false;
    store_params p = {0};
    p_str(&p, name);
    PGresult *res = store_exec_retry(st,
                                     "SELECT role, pwhash FROM app_user WHERE name = $1"
                                     " AND NOT disabled",
                                     &p, PGRES_TUPLES_OK, "look up the user", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) == 1) {
        *out_found = true;
        *out_role = lr_web_role_parse(PQgetvalue(res, 0, 0));
        snprintf(pwhash, pwhash_size, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return LR_OK;
}

int lr_web_session_put(lr_store *st, const char *token_sha256, const char *user,
                       const char *csrf, int ttl_s, lr_error *err)
{
    store_params p = {0};
    p_str(&p, token_sha256);
    p_str(&p, user);
    p_str(&p, csrf);
    p_int(&p, ttl_s);
    int rc = store_exec_cmd(st,
                            "INSERT INTO web_session (token_sha256, user_name, csrf, expires_at)"
                            " VALUES ($1, $2, $3, now() + make_interval(secs => $4::int))",
                            &p, "open the session", err);
    if (rc == LR_OK) /* the table keeps only what may still be used */
        rc = store_exec_cmd(st, "DELETE FROM web_session WHERE expires_at < now()", NULL,
                            "drop expired sessions", err);
    return rc;
}

int lr_web_session_get(lr_store *st, const char *token_sha256, lr_web_session *out,
                       bool *out_found, lr_error *err)
{
    *out_found = false;
    memset(out, 0, sizeof *out);
    store_params p = {0};
    p_str(&p, token_sha256);
    PGresult *res = store_exec_retry(st,
                                     "SELECT s.user_name, u.role, s.csrf FROM web_session s"
                                     " JOIN app_user u ON u.name = s.user_name"
                                     " WHERE s.token_sha256 = $1 AND s.expires_at > now()"
                                     " AND NOT u.disabled",
                                     &p, PGRES_TUPLES_OK, "look up the session", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) == 1) {
        *out_found = true;
        snprintf(out->user, sizeof out->user, "%s", PQgetvalue(res, 0, 0));
        out->role = lr_web_role_parse(PQgetvalue(res, 0, 1));
        snprintf(out->csrf, sizeof out->csrf, "%s", PQgetvalue(res, 0, 2));
    }
    PQclear(res);
    return LR_OK;
}

int lr_web_session_delete(lr_store *st, const char *token_sha256, lr_error *err)
{
    store_params p = {0};
    p_str(&p, token_sha256);
    return store_exec_cmd(st, "DELETE FROM web_session WHERE token_sha256 = $1", &p,
                          "close the session", err);
}

int lr_web_login_failures(lr_store *st, const char *user, const char *client, int window_s,
                          long *out_recent, lr_error *err)
{
    *out_recent = 0;
    store_params p = {0};
    p_str(&p, user);
    p_str(&p, client);
    p_int(&p, window_s);
    PGresult *res = store_exec_retry(st,
                                     "SELECT count(*) FROM login_failure"
                                     " WHERE (user_name = $1 OR client = $2)"
                                     " AND at > now() - make_interval(secs => $3::int)",
                                     &p, PGRES_TUPLES_OK, "count failed sign-ins", err);
    if (!res)
        return LR_ERR_DB;
    *out_recent = atol(PQgetvalue(res, 0, 0));
    PQclear(res);
    return LR_OK;
}

int lr_web_login_failed(lr_store *st, const char *user, const char *client, int window_s,
                        long *out_recent, lr_error *err)
{
    store_params p = {0};
    p_str(&p, user);
    p_str(&p, client);
    int rc = store_exec_cmd(st, "INSERT INTO login_failure (user_name, client) VALUES ($1, $2)",
                            &p, "record the failed sign-in", err);
    if (rc != LR_OK)
        return rc;
    return lr_web_login_failures(st, user, client, window_s, out_recent, err);
}

int lr_web_role_too_strong(lr_store *st, bool *out_too_strong, char *user, size_t size,
                           lr_error *err)
{
    *out_too_strong = false;
    PGresult *res = store_exec_retry(st,
                                     "SELECT current_user,"
                                     " has_table_privilege('field_value', 'INSERT')"
                                     " OR has_table_privilege('field_value', 'UPDATE')",
                                     NULL, PGRES_TUPLES_OK, "look up the role's rights", err);
    if (!res)
        return LR_ERR_DB;
    snprintf(user, size, "%s", PQgetvalue(res, 0, 0));
    *out_too_strong = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    return LR_OK;
}
