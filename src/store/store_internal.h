/* store_internal.h — what the files of src/store/ share, and nothing outside that folder sees:
 * the connection behind lr_store, the one way a libpq failure becomes an lr_error, statements
 * with text parameters, COPY data (built in an lr_strbuf) and its sending, and the parcel
 * records' part of a page's transaction.
 *
 * Owns: the libpq connection of each lr_store (opened by conn.c, closed by lr_store_close).
 * Borrows: the caller's lr_error; libpq's results, which the caller of each helper frees with
 * PQclear; the string buffer (strbuf.h).
 *
 * Every statement goes through PQexecParams (or, for the few made for every job of the queue,
 * PQprepare once a session and PQexecPrepared) with text parameters (never SQL built by string
 * pasting; role names reach SQL quoted by PQescapeIdentifier or the server's format('%I')).
 * Transactions are READ COMMITTED explicitly, so that a server or role default of REPEATABLE
 * READ cannot turn the concurrent ON CONFLICT paths into serialization failures.
 */
#ifndef LANDREC_STORE_INTERNAL_H
#define LANDREC_STORE_INTERNAL_H

#include <libpq-fe.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "landrec/error.h"
#include "landrec/store.h"
#include "landrec/strbuf.h"

struct lr_sheet;
struct Pix;

struct lr_store {
    PGconn *conn;
    double reconnect_timeout_s;          /* lr_store_set_reconnect; 0: one try */
    const volatile sig_atomic_t *cancel; /* borrowed; non-zero: stop waiting */
    bool gave_up; /* the last wait for the server ran out: try once until it is back */
    unsigned prepared; /* bit n: statement n (store_stmt) is prepared on this session */
};

/* "landrec1" as a big-endian integer: the key of the transaction-scoped advisory lock that
 * serialises migrations, and the grants and take-over of "db init" with them (docs/schema.md).
 * Advisory locks are per database. Other advisory keys must not reuse it. */
#define LR_STORE_MIGRATE_LOCK "7809644606532182833"

/* ---- errors (exec.c) -------------------------------------------------------------------- */

/* LR_ERR_DB with a formatted primary message, the server's (or libpq's) message as detail, on
 * one line so that a log line stays one line, and the server's hint, if it gave one. res and
 * conn may be NULL. */
int store_fail(lr_error *err, PGconn *conn, const PGresult *res, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* libpq's notices (server NOTICE, WARNING) as debug log lines. */
void store_notice_to_log(void *arg, const char *message);

/* ---- statements (exec.c) ---------------------------------------------------------------- */

/* Text parameters for PQexecParams; numbers are formatted into the slot's own buffer. */
#define STORE_MAX_PARAMS 40
typedef struct store_params {
    const char *v[STORE_MAX_PARAMS];
    char buf[STORE_MAX_PARAMS][32];
    int n;
} store_params;

static inline void p_str(store_params *p, const char *s)
{
    p->v[p->n++] = s;
}

static inline void p_null(store_params *p)
{
    p->v[p->n++] = NULL;
}

static inline void p_int(store_params *p, long long x)
{
    snprintf(p->buf[p->n], sizeof p->buf[p->n], "%lld", x);
    p->v[p->n] = p->buf[p->n];
    p->n++;
}

/* A value that is not finite is NULL. */
static inline void p_real(store_params *p, double x)
{
    if (!isfinite(x)) {
        p_null(p);
        return;
    }
    snprintf(p->buf[p->n], sizeof p->buf[p->n], "%.9g", x);
    p->v[p->n] = p->buf[p->n];
    p->n++;
}

static inline void p_bool(store_params *p, bool b)
{
    p->v[p->n++] = b ? "t" : "f";
}

/* Runs sql with parameters (p may be NULL) and returns the result when its status is want;
 * otherwise fills err ("could not <what>") and returns NULL. Caller frees with PQclear. */
PGresult *store_exec(lr_store *st, const char *sql, const store_params *p, ExecStatusType want,
                     const char *what, lr_error *err);

/* store_exec for a statement that returns no rows. */
int store_exec_cmd(lr_store *st, const char *sql, const store_params *p, const char *what,
                   lr_error *err);

/* store_exec for a statement that may run twice (BEGIN, a lookup, an idempotent write): libpq
 * only notices a dead connection when it uses it, so it is retried once on a fresh one
 * (conn.c's policy). When no fresh one can be had, the error says why. */
PGresult *store_exec_retry(lr_store *st, const char *sql, const store_params *p,
                           ExecStatusType want, const char *what, lr_error *err);

/* The statements a session prepares once and then only binds: those a queue worker makes for
 * every job, where parsing and planning each time would cost more than running them. */
typedef enum store_stmt {
    STORE_STMT_QUEUE_REAP,
    STORE_STMT_QUEUE_CLAIM,
    STORE_STMT_QUEUE_FINISH,
    STORE_STMT_COUNT
} store_stmt;

/* store_exec and store_exec_retry of statement id, whose text is always sql: prepared on the
 * session the first time (again after a reconnection, which starts a new session). */
PGresult *store_exec_prepared(lr_store *st, store_stmt id, const char *sql,
                              const store_params *p, ExecStatusType want, const char *what,
                              lr_error *err);
PGresult *store_exec_prepared_retry(lr_store *st, store_stmt id, const char *sql,
                                    const store_params *p, ExecStatusType want, const char *what,
                                    lr_error *err);

/* BEGIN ISOLATION LEVEL READ COMMITTED, retried as store_exec_retry. */
int store_begin(lr_store *st, lr_error *err);

/* Ends a transaction that failed; harmless when none is open. */
void store_rollback_quietly(PGconn *conn);

/* Whether s is 64 lower-case hex digits (a SHA-256 or a settings hash). */
bool store_is_hex64(const char *s);

/* ---- connection (conn.c) ---------------------------------------------------------------- */

/* LR_OK when the connection is good, after reconnecting under the policy of
 * lr_store_set_reconnect if it was lost; else LR_ERR_DB. */
int store_ensure_connected(lr_store *st, lr_error *err);

/* Reconnects under that policy; true when the connection is good again. Only ever outside a
 * transaction (the server rolled back the one that was open). */
bool store_reconnect(lr_store *st);

/* "database "d" on host "h" port p as user "u"", for messages. */
void store_describe_target(PGconn *conn, char *buf, size_t size);

/* ---- COPY data (copy.c) ----------------------------------------------------------------- */

/* COPY data is built in an lr_strbuf (strbuf.h); these write what is particular to COPY's
 * text format and to bytea. */

/* "%.9g"; a value that is not finite is COPY's \N. */
void store_copy_real(lr_strbuf *b, double x);
/* A value in COPY's text format: backslash, tab, newline and carriage return are escaped;
 * every other byte (UTF-8 included) passes as it is. NULL is \N. */
void store_copy_text(lr_strbuf *b, const char *s);
/* prefix, then the bytes of s as hex digits: bytea's hex input. The prefix is "\\x" in a
 * parameter and "\\\\x" in COPY's text format, which escapes the backslash itself. */
void store_bytea_hex(lr_strbuf *b, const char *prefix, const char *s);

/* Runs "COPY … FROM STDIN" with data as its whole input; the COPY fails as a whole, and
 * err says "could not <what>". */
int store_copy_in(lr_store *st, const char *sql, const lr_strbuf *data, const char *what,
                  lr_error *err);

/* ---- parcel records (records_save.c) ---------------------------------------------------- */

/* COPYs sheet (borrowed) for run run_id (decimal text), inside lr_store_save_page's open
 * transaction: the sheet row, history rows, field values, lineage and review items (schemas/
 * 002_records.sql). replace: remove what an earlier attempt of the run left first. Errors
 * leave the transaction for the caller to roll back. */
int store_records_save(lr_store *st, const char *run_id, const struct lr_sheet *sheet, bool replace,
                       lr_error *err);

/* ---- QA measures (qa.c) ----------------------------------------------------------------- */

/* Inserts m (borrowed) as the page_qa row of run run_id (decimal text), inside the page's
 * open transaction (schemas/013_qa.sql). */
int store_qa_save(lr_store *st, const char *run_id, const lr_qa_measures *m, lr_error *err);

/* ---- records export (records_export.c) --------------------------------------------------- */

/* The records export object (docs/records.md) of row row of a records query's result. */
struct json_t;
struct json_t *store_record_json(const PGresult *res, int row);

/* The records query for the runs of ids_array (a PostgreSQL array literal, "{1,2}"), in no
 * particular order; each row goes to store_record_json. *out_res: caller frees. */
int store_records_by_id(lr_store *st, const char *ids_array, PGresult **out_res, lr_error *err);

/* ---- review (review.c) ------------------------------------------------------------------ */

/* The path's bytes of the view derivative of the run whose id is the SQL expression RUN, as a
 * scalar subquery (bytea; NULL when none is recorded): every reader of the view image finds it
 * so, the display form kept only for a path written before 003. */
#define STORE_VIEW_PATH_SQL(RUN)                                                                   \
    "(SELECT COALESCE(d.path_raw, convert_to(d.path, 'UTF8')) FROM derivative d"                   \
    " WHERE d.page_run_id = " RUN " AND d.kind = 'view' ORDER BY d.path LIMIT 1)"

/* The path in bytea_text (libpq's text form of a bytea) as a C string; NULL when it holds a
 * NUL byte or memory runs out. Caller frees. */
char *store_bytea_path(const char *bytea_text);

/* The single JSON value of a result's first row and column; NULL when there is no row, the
 * value is SQL NULL or does not parse. Caller decrefs. */
struct json_t *store_json_value(const PGresult *res);

/* The view derivative named by its path's bytes (derivative.path_raw, as libpq's bytea text):
 * the directory may have a name that is not UTF-8. NULL (and a warning naming who) when it
 * cannot be read. Caller destroys with pixDestroy. */
struct Pix *store_read_view(const char *bytea_text, const char *who);

/* The ORDER BY terms, after (file_key, page), that put first the run that stands for a page
 * of page_run pr: the run its newest choice names (run_choice, 015), else its latest run. */
#define STORE_RUN_STANDS_ORDER                                                                     \
    "(pr.id = (SELECT c.page_run_id FROM run_choice c"                                             \
    "   WHERE c.file_key = pr.file_key AND c.page = pr.page"                                       \
    "   ORDER BY c.chosen_at DESC, c.id DESC LIMIT 1)) IS TRUE DESC,"                              \
    " pr.updated_at DESC, pr.id DESC"

/* The run that stands per (file, page) among the runs linked to invocations of batch $1 (all
 * runs when $1 is NULL), as the page export chooses them (docs/export.md): the CTE "latest" (id,
 * source_path, page) that the records export and the review export start from. */
#define STORE_RECORDS_LATEST_SQL                                                                   \
    "WITH latest AS ("                                                                             \
    "  SELECT DISTINCT ON (pr.file_key, pr.page) pr.id, pr.source_path, pr.page"                   \
    "  FROM page_run pr"                                                                           \
    "  WHERE $1::text IS NULL OR EXISTS ("                                                         \
    "    SELECT 1 FROM invocation_page ip JOIN invocation i ON i.id = ip.invocation_id"            \
    "    WHERE ip.page_run_id = pr.id AND i.batch = $1)"                                           \
    "  ORDER BY pr.file_key, pr.page, " STORE_RUN_STANDS_ORDER ")"

#endif
