/* exec.c — statements and their failures: the one libpq error helper of the store, running
 * a statement with text parameters, transactions, a one-value JSON answer (store_internal.h). */
#include <jansson.h>
#include <stdarg.h>
#include <string.h>

#include "landrec/digest.h"
#include "landrec/log.h"
#include "store_internal.h"

/* libpq messages end with a newline and may span lines; the detail is kept on one line so a
 * log line stays one line. */
static void set_pq_detail(lr_error *err, const char *msg)
{
    if (!err || !msg)
        return;
    size_t j = 0;
    for (size_t i = 0; msg[i] && j + 1 < sizeof err->detail; i++) {
        char c = msg[i];
        if (c == '\n' || c == '\t') { /* libpq indents its continuation lines with a tab */
            if (j > 0 && err->detail[j - 1] != ' ')
                err->detail[j++] = ' ';
            continue;
        }
        err->detail[j++] = c;
    }
    while (j > 0 && err->detail[j - 1] == ' ')
        j--;
    err->detail[j] = '\0';
}

int store_fail(lr_error *err, PGconn *conn, const PGresult *res, const char *fmt, ...)
{
    if (!err)
        return LR_ERR_DB;
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lr_error_set(err, LR_ERR_DB, "%s", msg);
    const char *m = res ? PQresultErrorMessage(res) : NULL;
    if ((!m || !*m) && conn)
        m = PQerrorMessage(conn);
    if (m && *m)
        set_pq_detail(err, m);
    else if (res) /* a statement that succeeded with another kind of result than expected */
        lr_error_detail(err, "unexpected result %s", PQresStatus(PQresultStatus(res)));
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
    if (hint)
        lr_error_hint(err, "%s", hint);
    return LR_ERR_DB;
}

void store_notice_to_log(void *arg, const char *message)
{
    (void)arg;
    size_t n = strlen(message);
    while (n > 0 && message[n - 1] == '\n')
        n--;
    lr_log_debug("postgres: %.*s", (int)n, message);
}

bool store_is_hex64(const char *s)
{
    if (!s)
        return false;
    for (int i = 0; i < LR_SHA256_HEX_LEN; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return s[LR_SHA256_HEX_LEN] == '\0';
}

PGresult *store_exec(lr_store *st, const char *sql, const store_params *p, ExecStatusType want,
                     const char *what, lr_error *err)
{
    PGresult *res = PQexecParams(st->conn, sql, p ? p->n : 0, NULL, p ? p->v : NULL, NULL, NULL,
                                 0);
    if (PQresultStatus(res) == want)
        return res;
    store_fail(err, st->conn, res, "could not %s", what);
    PQclear(res);
    return NULL;
}

int store_exec_cmd(lr_store *st, const char *sql, const store_params *p, const char *what,
                   lr_error *err)
{
    PGresult *res = store_exec(st, sql, p, PGRES_COMMAND_OK, what, err);
    if (!res)
        return LR_ERR_DB;
    PQclear(res);
    return LR_OK;
}

PGresult *store_exec_retry(lr_store *st, const char *sql, const store_params *p,
                           ExecStatusType want, const char *what, lr_error *err)
{
    bool idle = PQtransactionStatus(st->conn) == PQTRANS_IDLE;
    PGresult *res = store_exec(st, sql, p, want, what, err);
    if (!res && idle && PQstatus(st->conn) == CONNECTION_BAD) {
        if (store_reconnect(st))
            res = store_exec(st, sql, p, want, what, err);
        else
            store_fail(err, st->conn, NULL, "lost the connection to database \"%s\"",
                       PQdb(st->conn) ? PQdb(st->conn) : "");
    }
    return res;
}

PGresult *store_exec_prepared(lr_store *st, store_stmt id, const char *sql,
                              const store_params *p, ExecStatusType want, const char *what,
                              lr_error *err)
{
    char name[32];
    snprintf(name, sizeof name, "lr_stmt_%d", (int)id);
    unsigned bit = 1u << id;
    if (!(st->prepared & bit)) {
        PGresult *res = PQprepare(st->conn, name, sql, 0, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            store_fail(err, st->conn, res, "could not %s", what);
            PQclear(res);
            return NULL;
        }
        PQclear(res);
        st->prepared |= bit;
    }
    PGresult *res =
        PQexecPrepared(st->conn, name, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0);
    if (PQresultStatus(res) == want)
        return res;
    store_fail(err, st->conn, res, "could not %s", what);
    PQclear(res);
    return NULL;
}

PGresult *store_exec_prepared_retry(lr_store *st, store_stmt id, const char *sql,
                                    const store_params *p, ExecStatusType want, const char *what,
                                    lr_error *err)
{
    bool idle = PQtransactionStatus(st->conn) == PQTRANS_IDLE;
    PGresult *res = store_exec_prepared(st, id, sql, p, want, what, err);
    if (!res && idle && PQstatus(st->conn) == CONNECTION_BAD) {
        if (store_reconnect(st))
            res = store_exec_prepared(st, id, sql, p, want, what, err);
        else
            store_fail(err, st->conn, NULL, "lost the connection to database \"%s\"",
                       PQdb(st->conn) ? PQdb(st->conn) : "");
    }
    return res;
}

int store_begin(lr_store *st, lr_error *err)
{
    PGresult *res = store_exec_retry(st, "BEGIN ISOLATION LEVEL READ COMMITTED", NULL,
                                     PGRES_COMMAND_OK, "start a transaction", err);
    if (!res)
        return LR_ERR_DB;
    PQclear(res);
    return LR_OK;
}

void store_rollback_quietly(PGconn *conn)
{
    PGTransactionStatusType ts = PQtransactionStatus(conn);
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
        PQclear(PQexec(conn, "ROLLBACK"));
}

json_t *store_json_value(const PGresult *res)
{
    if (PQntuples(res) < 1 || PQnfields(res) < 1 || PQgetisnull(res, 0, 0))
        return NULL;
    json_error_t jerr;
    return json_loads(PQgetvalue(res, 0, 0), JSON_DECODE_ANY, &jerr);
}
