/* store.c — PostgreSQL through libpq: migrations, runs and the per-page COPY load.
 *
 * Every statement goes through PQexecParams with text parameters (never SQL built by string
 * pasting); words and derivatives go through one COPY each in text format. Transactions are
 * READ COMMITTED explicitly, so that a server or role default of REPEATABLE READ cannot turn
 * the concurrent ON CONFLICT paths into serialization failures.
 */
#include "landrec/store.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "landrec/clock.h"
#include "landrec/conninfo.h"
#include "landrec/digest.h"
#include "landrec/log.h"
#include "landrec/records.h"
#include "landrec/utf8.h"
#include "lr_config.h"

/* "landrec1" as a big-endian integer: the key of the transaction-scoped advisory lock that
 * serialises migrations. Other advisory keys (a future job table) must not reuse it. */
#define LR_STORE_MIGRATE_LOCK "7809644606532182833"

/* Generated columns and DROP DATABASE … WITH (FORCE) in the tests need 12 or newer. */
#define LR_STORE_MIN_SERVER 120000

struct lr_store {
    PGconn *conn;
    double reconnect_timeout_s;          /* lr_store_set_reconnect; 0: one try */
    const volatile sig_atomic_t *cancel; /* borrowed; non-zero: stop waiting */
    bool gave_up; /* the last wait for the server ran out: try once until it is back */
};

/* Waits between reconnection tries: the first, and the cap it doubles up to. */
#define LR_STORE_BACKOFF_FIRST_MS 500.0
#define LR_STORE_BACKOFF_CAP_MS 10000.0

/* ---------------------------------------------------------------------------------------- */
/* Errors                                                                                    */

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

/* LR_ERR_DB with a formatted primary message, the server's (or libpq's) message as detail and
 * the server's hint, if it gave one. */
static int pq_fail(lr_error *err, PGconn *conn, const PGresult *res, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int pq_fail(lr_error *err, PGconn *conn, const PGresult *res, const char *fmt, ...)
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

static void notice_to_log(void *arg, const char *message)
{
    (void)arg;
    size_t n = strlen(message);
    while (n > 0 && message[n - 1] == '\n')
        n--;
    lr_log_debug("postgres: %.*s", (int)n, message);
}

/* ---------------------------------------------------------------------------------------- */
/* Small helpers                                                                             */

static bool is_hex64(const char *s)
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

/* Text parameters for PQexecParams; numbers are formatted into the slot's own buffer. */
#define MAX_PARAMS 40
typedef struct params {
    const char *v[MAX_PARAMS];
    char buf[MAX_PARAMS][32];
    int n;
} params;

static void p_str(params *p, const char *s)
{
    p->v[p->n++] = s;
}

static void p_null(params *p)
{
    p->v[p->n++] = NULL;
}

static void p_int(params *p, long long x)
{
    snprintf(p->buf[p->n], sizeof p->buf[p->n], "%lld", x);
    p->v[p->n] = p->buf[p->n];
    p->n++;
}

static void p_real(params *p, double x)
{
    if (!isfinite(x)) {
        p_null(p);
        return;
    }
    snprintf(p->buf[p->n], sizeof p->buf[p->n], "%.9g", x);
    p->v[p->n] = p->buf[p->n];
    p->n++;
}

static void p_bool(params *p, bool b)
{
    p->v[p->n++] = b ? "t" : "f";
}

/* Runs sql with parameters and returns the result when its status is want; otherwise fills
 * err ("could not <what>") and returns NULL. Caller frees with PQclear. */
static PGresult *exec_want(lr_store *st, const char *sql, const params *p, ExecStatusType want,
                           const char *what, lr_error *err)
{
    PGresult *res = PQexecParams(st->conn, sql, p ? p->n : 0, NULL, p ? p->v : NULL, NULL, NULL,
                                 0);
    if (PQresultStatus(res) == want)
        return res;
    pq_fail(err, st->conn, res, "could not %s", what);
    PQclear(res);
    return NULL;
}

static int exec_cmd(lr_store *st, const char *sql, const params *p, const char *what,
                    lr_error *err)
{
    PGresult *res = exec_want(st, sql, p, PGRES_COMMAND_OK, what, err);
    if (!res)
        return LR_ERR_DB;
    PQclear(res);
    return LR_OK;
}

/* Ends a transaction that failed; harmless when none is open. */
static void rollback_quietly(lr_store *st)
{
    PGTransactionStatusType ts = PQtransactionStatus(st->conn);
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
        PQclear(PQexec(st->conn, "ROLLBACK"));
}

/* libpq's message, first line only, for a log line. */
static void first_line(const char *msg, char *buf, size_t size)
{
    snprintf(buf, size, "%s", msg ? msg : "");
    buf[strcspn(buf, "\n")] = '\0';
}

/* A batch runs for hours: when the server went away between two calls (restart, failover,
 * idle timeout), reconnect under the policy of lr_store_set_reconnect. Only ever outside a
 * transaction (the server rolled back the one that was open), so nothing half-done is lost. */
static bool reconnect(lr_store *st)
{
    const char *db = PQdb(st->conn) ? PQdb(st->conn) : "";
    double t0 = lr_clock_ms(), wait = LR_STORE_BACKOFF_FIRST_MS;
    double deadline = t0 + (st->gave_up ? 0 : st->reconnect_timeout_s * 1000.0);
    unsigned seed = (unsigned)getpid() ^ (unsigned)t0;
    char why[256];
    if (st->gave_up)
        lr_log_debug("lost the connection to database \"%s\"; trying once", db);
    else
        lr_log_warning("lost the connection to database \"%s\"; reconnecting", db);
    for (int attempt = 1;; attempt++) {
        PQreset(st->conn);
        double now = lr_clock_ms();
        if (PQstatus(st->conn) == CONNECTION_OK) {
            st->gave_up = false;
            if (attempt > 1)
                lr_log_warning("reconnected to database \"%s\" after %.1f s (%d tries)", db,
                               (now - t0) / 1000.0, attempt);
            return true;
        }
        first_line(PQerrorMessage(st->conn), why, sizeof why);
        if (now >= deadline || (st->cancel && *st->cancel)) {
            if (st->reconnect_timeout_s > 0 && !st->gave_up)
                lr_log_warning("could not reconnect to database \"%s\" (%s); gave up after "
                               "%.1f s (%d %s)",
                               db, why, (now - t0) / 1000.0, attempt,
                               attempt == 1 ? "try" : "tries");
            st->gave_up = st->reconnect_timeout_s > 0;
            return false;
        }
        /* ±25 %, so that workers that lost the server together do not knock in step. */
        double pause = wait * (0.75 + 0.5 * (double)rand_r(&seed) / RAND_MAX);
        if (pause > deadline - now)
            pause = deadline - now;
        lr_log_warning("could not reconnect to database \"%s\" (%s); try %d again in %.1f s "
                       "(giving up after %.0f s)",
                       db, why, attempt + 1, pause / 1000.0, st->reconnect_timeout_s);
        struct timespec ts = {.tv_sec = (time_t)(pause / 1000.0),
                              .tv_nsec = (long)(fmod(pause, 1000.0) * 1e6)};
        /* A signal ends the pause early; the cancel flag is looked at before the next wait. */
        nanosleep(&ts, NULL);
        wait = wait * 2 < LR_STORE_BACKOFF_CAP_MS ? wait * 2 : LR_STORE_BACKOFF_CAP_MS;
    }
}

static int ensure_connected(lr_store *st, lr_error *err)
{
    if (PQstatus(st->conn) == CONNECTION_OK || reconnect(st))
        return LR_OK;
    return pq_fail(err, st->conn, NULL, "lost the connection to database \"%s\"",
                   PQdb(st->conn) ? PQdb(st->conn) : "");
}

void lr_store_set_reconnect(lr_store *st, double timeout_s, const volatile sig_atomic_t *cancel)
{
    if (!st)
        return;
    st->reconnect_timeout_s = timeout_s > 0 ? timeout_s : 0;
    st->cancel = cancel;
}

int lr_store_reconnect(lr_store *st, lr_error *err)
{
    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    return ensure_connected(st, err);
}

/* exec_want for a statement that may run twice (BEGIN, a lookup, an idempotent write): libpq
 * only notices a dead connection when it uses it, so retry once on a fresh one. When no fresh
 * one can be had, the error says why (the last try's reason). */
static PGresult *exec_retry(lr_store *st, const char *sql, const params *p, ExecStatusType want,
                            const char *what, lr_error *err)
{
    bool idle = PQtransactionStatus(st->conn) == PQTRANS_IDLE;
    PGresult *res = exec_want(st, sql, p, want, what, err);
    if (!res && idle && PQstatus(st->conn) == CONNECTION_BAD) {
        if (reconnect(st))
            res = exec_want(st, sql, p, want, what, err);
        else
            pq_fail(err, st->conn, NULL, "lost the connection to database \"%s\"",
                    PQdb(st->conn) ? PQdb(st->conn) : "");
    }
    return res;
}

static int begin_tx(lr_store *st, lr_error *err)
{
    PGresult *res = exec_retry(st, "BEGIN ISOLATION LEVEL READ COMMITTED", NULL,
                               PGRES_COMMAND_OK, "start a transaction", err);
    if (!res)
        return LR_ERR_DB;
    PQclear(res);
    return LR_OK;
}

/* Growable byte buffer for COPY data. */
typedef struct lr_buf {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed; later appends are ignored */
} lr_buf;

static void buf_put(lr_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->failed = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_putc(lr_buf *b, char c)
{
    buf_put(b, &c, 1);
}

static void buf_int(lr_buf *b, long long x)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", x);
    buf_put(b, tmp, (size_t)n);
}

static void buf_real(lr_buf *b, double x)
{
    if (!isfinite(x)) {
        buf_put(b, "\\N", 2);
        return;
    }
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.9g", x);
    buf_put(b, tmp, (size_t)n);
}

/* A value in COPY's text format: backslash, tab, newline and carriage return are escaped;
 * every other byte (UTF-8 included) passes as it is. NULL is \N. */
static void buf_copy_text(lr_buf *b, const char *s)
{
    if (!s) {
        buf_put(b, "\\N", 2);
        return;
    }
    const char *run = s;
    for (; *s; s++) {
        const char *esc = NULL;
        switch (*s) {
        case '\\': esc = "\\\\"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        default: continue;
        }
        buf_put(b, run, (size_t)(s - run));
        buf_put(b, esc, 2);
        run = s + 1;
    }
    buf_put(b, run, (size_t)(s - run));
}

static void buf_free(lr_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* prefix, then the bytes of s as hex digits: bytea's hex input. The prefix is "\\x" in a
 * parameter and "\\\\x" in COPY's text format, which escapes the backslash itself. */
static void buf_bytea_hex(lr_buf *b, const char *prefix, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    buf_put(b, prefix, strlen(prefix));
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        char pair[2] = {hex[*u >> 4], hex[*u & 15]};
        buf_put(b, pair, 2);
    }
}

/* A path as the database keeps it (docs/schema.md): its display form (valid UTF-8, see utf8.h)
 * in a text column and its bytes in a bytea column, as two text parameters. */
typedef struct path_param {
    char *shown;
    lr_buf bytes; /* "\\x" and the hex digits */
} path_param;

static int path_param_make(const char *path, path_param *pp, lr_error *err)
{
    memset(pp, 0, sizeof *pp);
    pp->shown = lr_utf8_path_display(path);
    buf_bytea_hex(&pp->bytes, "\\x", path);
    if (!pp->shown || pp->bytes.failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    return LR_OK;
}

static void path_param_free(path_param *pp)
{
    free(pp->shown);
    buf_free(&pp->bytes);
}

/* Runs "COPY … FROM STDIN" with data as its whole input; the COPY fails as a whole. */
static int copy_in(lr_store *st, const char *sql, const lr_buf *data, const char *what,
                   lr_error *err)
{
    PGresult *res = PQexec(st->conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        int rc = pq_fail(err, st->conn, res, "could not %s", what);
        PQclear(res);
        return rc;
    }
    PQclear(res);

    bool sent = true;
    const size_t chunk = 1u << 20;
    for (size_t off = 0; off < data->len; off += chunk) {
        size_t n = data->len - off < chunk ? data->len - off : chunk;
        if (PQputCopyData(st->conn, data->data + off, (int)n) != 1) {
            sent = false;
            break;
        }
    }
    int rc = LR_OK;
    if (PQputCopyEnd(st->conn, sent ? NULL : "landrec could not send the COPY data") != 1)
        rc = pq_fail(err, st->conn, NULL, "could not %s", what);
    /* Drain every result so the connection is ready for the ROLLBACK or the next statement. */
    while ((res = PQgetResult(st->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == LR_OK)
            rc = pq_fail(err, st->conn, res, "could not %s", what);
        PQclear(res);
    }
    if (rc == LR_OK && !sent)
        rc = pq_fail(err, st->conn, NULL, "could not %s", what);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Connection                                                                                */

static void describe_target(PGconn *conn, char *buf, size_t size)
{
    const char *db = conn ? PQdb(conn) : NULL;
    const char *host = conn ? PQhost(conn) : NULL;
    const char *port = conn ? PQport(conn) : NULL;
    const char *user = conn ? PQuser(conn) : NULL;
    int n = snprintf(buf, size, "database \"%s\"", db && *db ? db : "(default)");
    if (n < 0 || (size_t)n >= size)
        return;
    if (host && *host)
        n += snprintf(buf + n, size - (size_t)n, host[0] == '/' ? " on socket directory \"%s\""
                                                                 : " on host \"%s\"",
                      host);
    if (n >= 0 && (size_t)n < size && port && *port)
        n += snprintf(buf + n, size - (size_t)n, " port %s", port);
    if (n >= 0 && (size_t)n < size && user && *user)
        snprintf(buf + n, size - (size_t)n, " as user \"%s\"", user);
}

/* Masks the passwords of conninfo in err's message and detail (conninfo.h): libpq quotes a
 * malformed string whole in its message. Out of memory drops the detail rather than show it
 * unmasked. */
static void redact_error(lr_error *err, const char *conninfo)
{
    if (!err)
        return;
    char *m = lr_conninfo_redact_text(err->message, conninfo);
    char *d = lr_conninfo_redact_text(err->detail, conninfo);
    snprintf(err->message, sizeof err->message, "%s", m ? m : "could not connect to the database");
    snprintf(err->detail, sizeof err->detail, "%s", d ? d : "");
    free(m);
    free(d);
}

int lr_store_connect(const char *conninfo, lr_store **out_store, lr_error *err)
{
    int rc = LR_OK;
    lr_store *st = NULL;
    PGconn *conn = NULL;

    if (out_store)
        *out_store = NULL;
    if (!out_store)
        return lr_error_set(err, LR_ERR_ARG, "no place to return the database connection");

    /* dbname with expand_dbname=1 takes a whole conninfo string or URI; the keywords after it
     * override it: the data we send is always UTF-8, and application_name stays the user's
     * (PGAPPNAME, conninfo) when given. */
    const char *const keys[] = {"dbname", "fallback_application_name", "client_encoding", NULL};
    const char *const vals[] = {conninfo && *conninfo ? conninfo : NULL, "landrec", "UTF8",
                                NULL};
    conn = PQconnectdbParams(keys, vals, 1);
    if (!conn) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory connecting to the database");
        goto done;
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        char target[300];
        describe_target(conn, target, sizeof target);
        rc = lr_error_set(err, LR_ERR_DB, "could not connect to %s", target);
        set_pq_detail(err, PQerrorMessage(conn));
        redact_error(err, conninfo);
        lr_error_hint(err, "Check the connection string or the PGHOST, PGPORT, PGDATABASE and "
                           "PGUSER variables, and that the server is running.");
        goto done;
    }
    if (PQserverVersion(conn) < LR_STORE_MIN_SERVER) {
        rc = lr_error_set(err, LR_ERR_DB, "PostgreSQL server %d is too old",
                          PQserverVersion(conn));
        lr_error_detail(err, "landrec needs PostgreSQL 12 or newer.");
        goto done;
    }
    PQsetNoticeProcessor(conn, notice_to_log, NULL);

    st = calloc(1, sizeof *st);
    if (!st) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    st->conn = conn;
    conn = NULL;
    *out_store = st;

done:
    PQfinish(conn);
    return rc;
}

void lr_store_close(lr_store **pstore)
{
    if (!pstore || !*pstore)
        return;
    PQfinish((*pstore)->conn);
    free(*pstore);
    *pstore = NULL;
}

struct pg_conn *lr_store_conn(lr_store *st)
{
    return st ? st->conn : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Migrations                                                                                */

const char *lr_store_default_schema_dir(void)
{
    const char *env = getenv("LR_SCHEMA_DIR");
    if (env && *env)
        return env;
    struct stat sb;
    if (stat(LR_SCHEMA_DIR, &sb) == 0 && S_ISDIR(sb.st_mode))
        return LR_SCHEMA_DIR;
    return LR_SOURCE_SCHEMA_DIR;
}

typedef struct migration {
    int version;
    char file[256]; /* "001_initial.sql" */
    char name[256]; /* "initial" */
} migration;

/* NNN_name.sql: one or more digits, "_", a name of letters, digits, "_" and "-". Other files
 * (READMEs, form templates) are not migrations. */
static bool parse_migration_name(const char *file, migration *m)
{
    size_t len = strlen(file);
    if (len >= sizeof m->file || len < 7 || strcmp(file + len - 4, ".sql") != 0)
        return false;
    size_t i = 0;
    long v = 0;
    while (file[i] >= '0' && file[i] <= '9') {
        v = v * 10 + (file[i] - '0');
        if (v > 999999)
            return false;
        i++;
    }
    if (i == 0 || file[i] != '_' || i + 1 >= len - 4)
        return false;
    for (size_t k = i + 1; k < len - 4; k++) {
        char c = file[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    m->version = (int)v;
    snprintf(m->file, sizeof m->file, "%s", file);
    snprintf(m->name, sizeof m->name, "%.*s", (int)(len - 4 - i - 1), file + i + 1);
    return true;
}

static int cmp_migration(const void *a, const void *b)
{
    const migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

/* The migrations in dir in order. *out_list: caller frees with free(). */
static int list_migrations(const char *dir, migration **out_list, size_t *out_n, lr_error *err)
{
    int rc = LR_OK;
    migration *list = NULL;
    size_t n = 0, cap = 0;
    DIR *d = NULL;

    *out_list = NULL;
    *out_n = 0;
    d = opendir(dir);
    if (!d) {
        rc = lr_error_set(err, LR_ERR_IO, "could not open the migrations directory \"%s\"", dir);
        lr_error_detail(err, "%s", strerror(errno));
        lr_error_hint(err, "Give the schemas/ directory of landrec, or set LR_SCHEMA_DIR.");
        goto done;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        migration m;
        if (!parse_migration_name(e->d_name, &m))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            migration *l = realloc(list, cap * sizeof *l);
            if (!l) {
                rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
                goto done;
            }
            list = l;
        }
        list[n++] = m;
    }
    if (n == 0) {
        rc = lr_error_set(err, LR_ERR_IO, "no migrations found in \"%s\"", dir);
        lr_error_detail(err, "Migrations are files named NNN_name.sql.");
        goto done;
    }
    qsort(list, n, sizeof *list, cmp_migration);
    for (size_t i = 1; i < n; i++) {
        if (list[i].version == list[i - 1].version) {
            rc = lr_error_set(err, LR_ERR_ARG, "two migrations have the number %d",
                              list[i].version);
            lr_error_detail(err, "\"%s\" and \"%s\" in \"%s\"", list[i - 1].file, list[i].file,
                            dir);
            goto done;
        }
    }
    *out_list = list;
    *out_n = n;
    list = NULL;

done:
    if (d)
        closedir(d);
    free(list);
    return rc;
}

/* Whole file as a NUL-terminated string. Caller frees with free(). */
static int read_text_file(const char *path, char **out_text, lr_error *err)
{
    int rc = LR_OK;
    FILE *f = NULL;
    char *text = NULL;
    size_t len = 0, cap = 0;

    *out_text = NULL;
    f = fopen(path, "rb");
    if (!f) {
        rc = lr_error_set(err, LR_ERR_IO, "could not open \"%s\"", path);
        lr_error_detail(err, "%s", strerror(errno));
        goto done;
    }
    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 65536;
            char *t = realloc(text, cap);
            if (!t) {
                rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory reading \"%s\"", path);
                goto done;
            }
            text = t;
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = lr_error_set(err, LR_ERR_IO, "could not read \"%s\"", path);
        goto done;
    }
    text[len] = '\0';
    *out_text = text;
    text = NULL;

done:
    if (f)
        fclose(f);
    free(text);
    return rc;
}

/* Applies one migration in its own transaction unless it is already recorded. */
static int apply_migration(lr_store *st, const char *dir, const migration *m, bool *out_applied,
                           lr_error *err)
{
    int rc = LR_OK;
    char path[4096];
    char *sql = NULL;
    char checksum[LR_SHA256_HEX_LEN + 1];
    PGresult *res = NULL;
    params p = {0};

    *out_applied = false;
    snprintf(path, sizeof path, "%s/%s", dir, m->file);
    rc = read_text_file(path, &sql, err);
    if (rc != LR_OK)
        goto done;
    lr_digest_buffer(sql, strlen(sql), checksum);

    rc = begin_tx(st, err);
    if (rc != LR_OK)
        goto done;
    /* Under the lock, a second "db init" waits here and then finds the work done. Every
     * statement after it takes a fresh snapshot (READ COMMITTED), so it sees that work. */
    res = exec_want(st, "SELECT pg_advisory_xact_lock(" LR_STORE_MIGRATE_LOCK ")", NULL,
                    PGRES_TUPLES_OK, "take the migration lock", err);
    if (res) {
        PQclear(res);
        res = exec_want(st, "SELECT to_regclass('schema_version') IS NULL", NULL,
                        PGRES_TUPLES_OK, "look for the schema_version table", err);
    }
    if (!res) {
        rc = LR_ERR_DB;
        goto done;
    }
    if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
        rc = exec_cmd(st,
                      "CREATE TABLE schema_version ("
                      " version integer PRIMARY KEY,"
                      " name text NOT NULL,"
                      " checksum text,"
                      " applied_at timestamptz NOT NULL DEFAULT now())",
                      NULL, "create the schema_version table", err);
    PQclear(res);
    res = NULL;
    if (rc != LR_OK)
        goto done;

    p_int(&p, m->version);
    res = exec_want(st, "SELECT checksum FROM schema_version WHERE version = $1", &p,
                    PGRES_TUPLES_OK, "read schema_version", err);
    if (!res) {
        rc = LR_ERR_DB;
        goto done;
    }
    if (PQntuples(res) > 0) {
        if (!PQgetisnull(res, 0, 0) && strcmp(PQgetvalue(res, 0, 0), checksum) != 0)
            lr_log_warning("migration %s changed after it was applied; the database keeps the "
                           "version it applied",
                           m->file);
        rc = exec_cmd(st, "COMMIT", NULL, "commit", err);
        goto done;
    }
    PQclear(res);

    /* Simple-query protocol: the file may hold many statements, all inside our transaction. */
    res = PQexec(st->conn, sql);
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
        rc = pq_fail(err, st->conn, res, "migration %s failed", m->file);
        lr_error_hint(err, "Nothing of this migration was applied; the earlier ones stay.");
        goto done;
    }
    PQclear(res);
    res = NULL;

    p.n = 0;
    p_int(&p, m->version);
    p_str(&p, m->name);
    p_str(&p, checksum);
    rc = exec_cmd(st, "INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)",
                  &p, "record the migration", err);
    if (rc == LR_OK)
        rc = exec_cmd(st, "COMMIT", NULL, "commit the migration", err);
    if (rc == LR_OK) {
        *out_applied = true;
        lr_log_info("applied migration %s", m->file);
    }

done:
    if (rc != LR_OK)
        rollback_quietly(st);
    PQclear(res);
    free(sql);
    return rc;
}

int lr_store_migrate(lr_store *st, const char *schema_dir, int *out_applied, lr_error *err)
{
    int rc = LR_OK;
    migration *list = NULL;
    size_t n = 0;

    if (out_applied)
        *out_applied = 0;
    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    const char *dir = schema_dir && *schema_dir ? schema_dir : lr_store_default_schema_dir();
    rc = list_migrations(dir, &list, &n, err);
    if (rc == LR_OK)
        rc = ensure_connected(st, err);
    for (size_t i = 0; rc == LR_OK && i < n; i++) {
        bool applied = false;
        rc = apply_migration(st, dir, &list[i], &applied, err);
        if (applied && out_applied)
            (*out_applied)++;
    }
    free(list);
    return rc;
}

int lr_store_check_schema(lr_store *st, const char *schema_dir, lr_error *err)
{
    int rc = LR_OK;
    migration *list = NULL;
    size_t n = 0;
    PGresult *res = NULL;

    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    const char *dir = schema_dir && *schema_dir ? schema_dir : lr_store_default_schema_dir();
    rc = list_migrations(dir, &list, &n, err);
    if (rc == LR_OK)
        rc = ensure_connected(st, err);
    if (rc != LR_OK)
        goto done;

    res = exec_retry(st, "SELECT to_regclass('schema_version') IS NOT NULL", NULL,
                    PGRES_TUPLES_OK, "look for the schema_version table", err);
    if (!res) {
        rc = LR_ERR_DB;
        goto done;
    }
    if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
        rc = lr_error_set(err, LR_ERR_DB, "database \"%s\" has no landrec schema",
                          PQdb(st->conn));
        lr_error_detail(err, "The table schema_version does not exist.");
        lr_error_hint(err, "Run \"landrec db init\".");
        goto done;
    }
    PQclear(res);
    res = exec_want(st, "SELECT version, checksum FROM schema_version ORDER BY version", NULL,
                    PGRES_TUPLES_OK, "read schema_version", err);
    if (!res) {
        rc = LR_ERR_DB;
        goto done;
    }
    int rows = PQntuples(res);
    int have = rows > 0 ? atoi(PQgetvalue(res, rows - 1, 0)) : 0;
    size_t missing = 0;
    const migration *first_missing = NULL;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (int r = 0; r < rows && !found; r++)
            found = atoi(PQgetvalue(res, r, 0)) == list[i].version;
        if (!found && missing++ == 0)
            first_missing = &list[i];
    }
    if (missing > 0) {
        rc = lr_error_set(err, LR_ERR_DB, "the schema of database \"%s\" is out of date",
                          PQdb(st->conn));
        lr_error_detail(err,
                        "%zu migration(s) not applied, the first %s; the database is at "
                        "version %d, the newest migration is %d.",
                        missing, first_missing->file, have, list[n - 1].version);
        lr_error_hint(err, "Run \"landrec db init\".");
        goto done;
    }

done:
    PQclear(res);
    free(list);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Settings and invocations                                                                  */

int lr_store_register_settings(lr_store *st, const char *settings_hash, const char *settings_json,
                               lr_error *err)
{
    params p = {0};

    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    if (!is_hex64(settings_hash))
        return lr_error_set(err, LR_ERR_ARG, "settings hash is not 64 lower-case hex digits");
    int rc = ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    p_str(&p, settings_hash);
    p_str(&p, settings_json && *settings_json ? settings_json : "{}");
    /* The hash names the settings: an existing row is the same settings and stays as it is. */
    PGresult *res = exec_retry(st,
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
    params p = {0};
    char host[256] = "";

    if (out_id)
        *out_id = 0;
    if (!st || !out_id)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no place for the id");
    if (settings_hash && !is_hex64(settings_hash))
        return lr_error_set(err, LR_ERR_ARG, "settings hash is not 64 lower-case hex digits");
    if (batch && !lr_utf8_valid(batch, strlen(batch))) {
        /* Not escaped like a path: "export --batch NAME" must find it by the same name. */
        int rc = lr_error_set(err, LR_ERR_ARG, "the batch name is not valid UTF-8");
        lr_error_hint(err, "Name the batch in UTF-8.");
        return rc;
    }
    int rc = ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    p_str(&p, batch && *batch ? batch : NULL);
    p_str(&p, args);
    p_str(&p, settings_hash);
    p_str(&p, host[0] ? host : NULL);
    p_int(&p, (long long)getpid());
    PGresult *res = exec_want(st,
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
    params p = {0};
    char *counts_json = NULL;
    PGresult *res = NULL;

    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    rc = ensure_connected(st, err);
    if (rc != LR_OK)
        goto done;
    if (counts) {
        json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i}", "pages_done", counts->pages_done,
                              "pages_skipped", counts->pages_skipped, "pages_failed",
                              counts->pages_failed, "files", counts->files,
                              "pages_done_elsewhere", counts->pages_done_elsewhere);
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
    res = exec_retry(st,
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

/* ---------------------------------------------------------------------------------------- */
/* Pages                                                                                     */

int lr_store_claim_done(lr_store *st, int64_t invocation_id, const char *sha256, int page,
                        const char *settings_hash, bool *out_done, lr_error *err)
{
    params p = {0};

    if (out_done)
        *out_done = false;
    if (!st || !out_done)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no place for the answer");
    if (!is_hex64(settings_hash) || (sha256 && !is_hex64(sha256)) || page < 0)
        return lr_error_set(err, LR_ERR_ARG, "bad page key for the done check");
    if (!sha256) /* an unreadable file is never done */
        return LR_OK;
    int rc = ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    p_str(&p, sha256);
    p_int(&p, page);
    p_str(&p, settings_hash);
    p_int(&p, invocation_id);
    /* One round trip: find the done run and, when the invocation is real, link it. */
    PGresult *res = exec_retry(
        st,
        "WITH hit AS (SELECT id FROM page_run WHERE file_key = $1 AND page = $2"
        "   AND settings_hash = $3 AND status = 'done'),"
        " link AS (INSERT INTO invocation_page (invocation_id, page_run_id, outcome)"
        "   SELECT $4, id, 'skipped' FROM hit WHERE $4::bigint > 0"
        "   ON CONFLICT (invocation_id, page_run_id) DO NOTHING)"
        " SELECT id FROM hit",
        &p, PGRES_TUPLES_OK, "check whether the page is done", err);
    if (!res)
        return LR_ERR_DB;
    *out_done = PQntuples(res) > 0;
    PQclear(res);
    return LR_OK;
}

static int check_record(const lr_page_record *rec, lr_error *err)
{
    if (!rec->source_path || !*rec->source_path)
        return lr_error_set(err, LR_ERR_ARG, "page record without a source path");
    if (!is_hex64(rec->settings_hash))
        return lr_error_set(err, LR_ERR_ARG, "page record of \"%s\" has no valid settings hash",
                            rec->source_path);
    if (rec->sha256 && !is_hex64(rec->sha256))
        return lr_error_set(err, LR_ERR_ARG, "page record of \"%s\" has a bad checksum",
                            rec->source_path);
    if (rec->page < 0 || (!rec->failed && (rec->page == 0 || !rec->sha256)))
        return lr_error_set(err, LR_ERR_ARG,
                            "page record of \"%s\" page %d: only a failure can lack a page "
                            "number or a checksum",
                            rec->source_path, rec->page);
    if (rec->failed)
        return LR_OK; /* words and derivatives of a failed page are not stored */
    if (rec->nwords > 0 && !rec->words)
        return lr_error_set(err, LR_ERR_ARG, "page record has %zu words but no array",
                            rec->nwords);
    if (rec->nderivatives > 0 && !rec->derivatives)
        return lr_error_set(err, LR_ERR_ARG, "page record has %zu derivatives but no array",
                            rec->nderivatives);
    for (size_t i = 0; i < rec->nderivatives; i++)
        if (!rec->derivatives[i].kind || !rec->derivatives[i].path)
            return lr_error_set(err, LR_ERR_ARG, "derivative %zu has no kind or path", i);
    return LR_OK;
}

static const char *const upsert_page_run_sql =
    "INSERT INTO page_run AS pr (sha256, source_path, page, page_count, settings_hash, status,"
    " error_code, error, width, height, bits_per_sample, samples_per_pixel, depth, colour,"
    " compression, dpi_x, dpi_y, dpi_assumed, warnings, orientation, orientation_conf,"
    " skew_deg, skew_conf, skew_applied, mean_conf, text, decode_ms, orient_ms, enhance_ms,"
    " ocr_ms, write_ms, load_ms, extract_ms, source_path_raw)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)"
    /* Only a failure is replaced; a done row is never touched again by the same settings. */
    " ON CONFLICT (file_key, page, settings_hash) DO UPDATE SET"
    " source_path = EXCLUDED.source_path, source_path_raw = EXCLUDED.source_path_raw,"
    " page_count = EXCLUDED.page_count,"
    " status = EXCLUDED.status, error_code = EXCLUDED.error_code, error = EXCLUDED.error,"
    " width = EXCLUDED.width, height = EXCLUDED.height,"
    " bits_per_sample = EXCLUDED.bits_per_sample,"
    " samples_per_pixel = EXCLUDED.samples_per_pixel, depth = EXCLUDED.depth,"
    " colour = EXCLUDED.colour, compression = EXCLUDED.compression, dpi_x = EXCLUDED.dpi_x,"
    " dpi_y = EXCLUDED.dpi_y, dpi_assumed = EXCLUDED.dpi_assumed,"
    " warnings = EXCLUDED.warnings, orientation = EXCLUDED.orientation,"
    " orientation_conf = EXCLUDED.orientation_conf, skew_deg = EXCLUDED.skew_deg,"
    " skew_conf = EXCLUDED.skew_conf, skew_applied = EXCLUDED.skew_applied,"
    " mean_conf = EXCLUDED.mean_conf, text = EXCLUDED.text, decode_ms = EXCLUDED.decode_ms,"
    " orient_ms = EXCLUDED.orient_ms, enhance_ms = EXCLUDED.enhance_ms,"
    " ocr_ms = EXCLUDED.ocr_ms, write_ms = EXCLUDED.write_ms, load_ms = EXCLUDED.load_ms,"
    " extract_ms = EXCLUDED.extract_ms,"
    " attempts = pr.attempts + 1, updated_at = now()"
    " WHERE pr.status = 'failed'"
    " RETURNING id, attempts";

/* The texts of a record that may quote a path or a decoder's message: made valid UTF-8 (the
 * display form for the path, utf8.h; scrubbed for the messages) before they reach the server,
 * which refuses anything else. */
typedef struct record_texts {
    path_param source;
    char *error;    /* NULL: none */
    char *warnings; /* NULL: none */
} record_texts;

static void record_texts_free(record_texts *t)
{
    path_param_free(&t->source);
    free(t->error);
    free(t->warnings);
}

static int record_texts_make(const lr_page_record *rec, record_texts *t, lr_error *err)
{
    memset(t, 0, sizeof *t);
    int rc = path_param_make(rec->source_path, &t->source, err);
    if (rc != LR_OK)
        return rc;
    if (rec->failed) {
        const char *error = rec->error && *rec->error ? rec->error
                            : rec->error_code && *rec->error_code ? rec->error_code
                                                                  : "unknown error";
        if (!(t->error = lr_utf8_scrub_dup(error)))
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    }
    if (rec->info && rec->info->warning[0] &&
        !(t->warnings = lr_utf8_scrub_dup(rec->info->warning)))
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    return LR_OK;
}

static void page_run_params(const lr_page_record *rec, const record_texts *t, params *p)
{
    const lr_page_info *in = rec->info;

    p_str(p, rec->sha256);
    p_str(p, t->source.shown);
    p_int(p, rec->page);
    if (rec->page_count > 0)
        p_int(p, rec->page_count);
    else
        p_null(p);
    p_str(p, rec->settings_hash);
    p_str(p, rec->failed ? "failed" : "done");
    p_str(p, rec->failed && rec->error_code && *rec->error_code ? rec->error_code : NULL);
    p_str(p, t->error);
    if (in) {
        p_int(p, in->width);
        p_int(p, in->height);
        p_int(p, in->bits_per_sample);
        p_int(p, in->samples_per_pixel);
        p_int(p, in->depth);
        p_str(p, in->colour[0] ? in->colour : NULL);
        p_str(p, in->compression[0] ? in->compression : NULL);
        p_int(p, in->dpi_x);
        p_int(p, in->dpi_y);
        p_bool(p, in->dpi_assumed);
        p_str(p, t->warnings);
    } else {
        for (int i = 0; i < 11; i++)
            p_null(p);
    }
    if (rec->failed) { /* what enhance and OCR left behind is not a result */
        for (int i = 0; i < 7; i++)
            p_null(p);
    } else {
        p_int(p, rec->orientation);
        p_real(p, rec->orientation_conf);
        p_real(p, rec->skew_deg);
        p_real(p, rec->skew_conf);
        p_bool(p, rec->skew_applied);
        p_real(p, rec->mean_conf);
        p_str(p, rec->text ? rec->text : "");
    }
    p_real(p, rec->times.decode_ms);
    p_real(p, rec->times.orient_ms);
    p_real(p, rec->times.enhance_ms);
    p_real(p, rec->times.ocr_ms);
    p_real(p, rec->times.write_ms);
    p_real(p, rec->times.load_ms);
    if (!rec->failed && rec->sheet)
        p_real(p, rec->times.extract_ms);
    else
        p_null(p);
    p_str(p, t->source.bytes.data);
}

static int copy_words(lr_store *st, const char *run_id, const lr_page_record *rec, lr_buf *b,
                      lr_error *err)
{
    b->len = 0;
    for (size_t i = 0; i < rec->nwords; i++) {
        const lr_word *w = &rec->words[i];
        buf_put(b, run_id, strlen(run_id));
        buf_putc(b, '\t');
        buf_int(b, (long long)i);
        buf_putc(b, '\t');
        buf_copy_text(b, w->text ? w->text : "");
        buf_putc(b, '\t');
        buf_real(b, w->conf);
        const int ints[7] = {w->x0, w->y0, w->x1, w->y1, w->block, w->par, w->line};
        for (int k = 0; k < 7; k++) {
            buf_putc(b, '\t');
            buf_int(b, ints[k]);
        }
        buf_putc(b, '\n');
    }
    if (b->failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the words");
    return copy_in(st,
                   "COPY word (page_run_id, n, text, conf, x0, y0, x1, y1, block, par, line)"
                   " FROM STDIN",
                   b, "load the words", err);
}

static int copy_derivatives(lr_store *st, const char *run_id, const lr_page_record *rec,
                            lr_buf *b, lr_error *err)
{
    b->len = 0;
    for (size_t i = 0; i < rec->nderivatives; i++) {
        const lr_derivative *d = &rec->derivatives[i];
        char *shown = lr_utf8_path_display(d->path);
        if (!shown)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the derivatives");
        buf_put(b, run_id, strlen(run_id));
        buf_putc(b, '\t');
        buf_copy_text(b, d->kind);
        buf_putc(b, '\t');
        buf_copy_text(b, shown);
        free(shown);
        buf_putc(b, '\t');
        buf_bytea_hex(b, "\\\\x", d->path);
        buf_putc(b, '\t');
        buf_copy_text(b, d->sha256[0] ? d->sha256 : NULL);
        buf_putc(b, '\t');
        if (d->bytes >= 0)
            buf_int(b, d->bytes);
        else
            buf_put(b, "\\N", 2);
        buf_putc(b, '\n');
    }
    if (b->failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the derivatives");
    return copy_in(st,
                   "COPY derivative (page_run_id, kind, path, path_raw, sha256, bytes) FROM STDIN",
                   b, "load the derivatives", err);
}

int lr_store_save_page(lr_store *st, const lr_page_record *rec, lr_save_outcome *out_outcome,
                       lr_error *err)
{
    double t_begin = lr_clock_ms();
    int rc = LR_OK;
    PGresult *res = NULL;
    params p = {0};
    lr_buf buf = {0};
    char run_id[32] = "";
    const char *outcome = NULL;
    record_texts texts = {0};
    lr_save_outcome saved = rec && rec->failed ? LR_SAVE_FAILED : LR_SAVE_LOADED;

    if (out_outcome)
        *out_outcome = saved;
    if (!st || !rec)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no page record");
    rc = check_record(rec, err);
    if (rc == LR_OK)
        rc = record_texts_make(rec, &texts, err);
    if (rc == LR_OK)
        rc = ensure_connected(st, err);
    if (rc != LR_OK) {
        record_texts_free(&texts);
        return rc;
    }

    rc = begin_tx(st, err);
    if (rc != LR_OK)
        goto done;

    if (rec->sha256) {
        p_str(&p, rec->sha256);
        if (rec->file_size >= 0)
            p_int(&p, rec->file_size);
        else
            p_null(&p);
        p_str(&p, texts.source.shown);
        p_str(&p, texts.source.bytes.data);
        rc = exec_cmd(st,
                      "INSERT INTO source_file AS f (sha256, size, first_path, first_path_raw)"
                      " VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO UPDATE"
                      " SET size = EXCLUDED.size WHERE f.size IS NULL AND EXCLUDED.size IS NOT NULL",
                      &p, "record the source file", err);
        if (rc != LR_OK)
            goto done;
    }

    p.n = 0;
    page_run_params(rec, &texts, &p);
    res = exec_want(st, upsert_page_run_sql, &p, PGRES_TUPLES_OK, "record the page", err);
    if (!res) {
        rc = LR_ERR_DB;
        goto done;
    }
    if (PQntuples(res) == 0) {
        /* Already done with these settings: keep it as it is, only note that we saw it. */
        PQclear(res);
        p.n = 0;
        p_str(&p, rec->sha256);
        p_str(&p, texts.source.shown);
        p_int(&p, rec->page);
        p_str(&p, rec->settings_hash);
        res = exec_want(st,
                        "SELECT id FROM page_run WHERE file_key = COALESCE($1, 'path:' || $2)"
                        " AND page = $3 AND settings_hash = $4",
                        &p, PGRES_TUPLES_OK, "find the done page", err);
        if (!res || PQntuples(res) != 1) {
            rc = res ? lr_error_set(err, LR_ERR_INTERNAL, "the done page vanished") : LR_ERR_DB;
            goto done;
        }
        snprintf(run_id, sizeof run_id, "%s", PQgetvalue(res, 0, 0));
        outcome = "skipped";
        saved = LR_SAVE_ALREADY_DONE;
        if (rec->invocation_id > 0) {
            /* Linked 'done' to this very invocation: it loaded the page before, as when the
             * answer to its COMMIT was lost with the connection and it saves the page again. */
            PQclear(res);
            p.n = 0;
            p_int(&p, rec->invocation_id);
            p_str(&p, run_id);
            res = exec_want(st,
                            "SELECT 1 FROM invocation_page WHERE invocation_id = $1"
                            " AND page_run_id = $2 AND outcome = 'done'",
                            &p, PGRES_TUPLES_OK, "look up the done page's link", err);
            if (!res) {
                rc = LR_ERR_DB;
                goto done;
            }
            if (PQntuples(res) > 0)
                saved = LR_SAVE_ALREADY_OURS;
        }
    } else {
        snprintf(run_id, sizeof run_id, "%s", PQgetvalue(res, 0, 0));
        bool retried = atoi(PQgetvalue(res, 0, 1)) > 1;
        if (!rec->failed) {
            if (retried) { /* leftovers of an earlier attempt, should there be any */
                p.n = 0;
                p_str(&p, run_id);
                rc = exec_cmd(st, "DELETE FROM word WHERE page_run_id = $1", &p,
                              "remove old words", err);
                if (rc == LR_OK)
                    rc = exec_cmd(st, "DELETE FROM derivative WHERE page_run_id = $1", &p,
                                  "remove old derivatives", err);
            }
            if (rc == LR_OK && rec->nwords > 0)
                rc = copy_words(st, run_id, rec, &buf, err);
            if (rc == LR_OK && rec->nderivatives > 0)
                rc = copy_derivatives(st, run_id, rec, &buf, err);
            /* The parcel record's SQL lives with the records (records_store.c). */
            if (rc == LR_OK && rec->sheet)
                rc = lr_records_save(st->conn, run_id, rec->sheet, retried, err);
            outcome = "done";
        } else {
            p.n = 0;
            p_str(&p, run_id);
            if (rec->invocation_id > 0)
                p_int(&p, rec->invocation_id);
            else
                p_null(&p);
            rc = exec_cmd(st,
                          "INSERT INTO page_failure (page_run_id, invocation_id, source_path,"
                          " source_path_raw, error_code, error)"
                          " SELECT id, $2, source_path, source_path_raw, error_code, error"
                          " FROM page_run"
                          " WHERE id = $1",
                          &p, "record the failure", err);
            outcome = "failed";
        }
        if (rc != LR_OK)
            goto done;
    }

    if (rec->invocation_id > 0) {
        p.n = 0;
        p_int(&p, rec->invocation_id);
        p_str(&p, run_id);
        p_str(&p, outcome);
        /* A page this invocation loaded stays "done" for it even if it sees it again. */
        rc = exec_cmd(st,
                      "INSERT INTO invocation_page AS ip (invocation_id, page_run_id, outcome)"
                      " VALUES ($1, $2, $3) ON CONFLICT (invocation_id, page_run_id)"
                      " DO UPDATE SET outcome = EXCLUDED.outcome"
                      " WHERE EXCLUDED.outcome <> 'skipped'",
                      &p, "link the page to the invocation", err);
        if (rc != LR_OK)
            goto done;
    }
    if (strcmp(outcome, "done") == 0) {
        /* The load's own time, up to the commit, so the per-stage figures include it. */
        char ms[32];
        snprintf(ms, sizeof ms, "%.3f", lr_clock_ms() - t_begin);
        p.n = 0;
        p_str(&p, run_id);
        p_str(&p, ms);
        rc = exec_cmd(st, "UPDATE page_run SET load_ms = $2 WHERE id = $1", &p,
                      "record the load time", err);
        if (rc != LR_OK)
            goto done;
    }
    rc = exec_cmd(st, "COMMIT", NULL, "commit the page", err);
    if (rc == LR_OK && out_outcome)
        *out_outcome = saved;

done:
    if (rc != LR_OK) {
        rollback_quietly(st);
        if (err && err->code == LR_ERR_DB && !err->hint[0])
            lr_error_hint(err, "Nothing of \"%s\" page %d was stored.",
                          texts.source.shown ? texts.source.shown : "?", rec->page);
    }
    PQclear(res);
    buf_free(&buf);
    record_texts_free(&texts);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Export                                                                                    */

/* A path's bytes in hex, or NULL when the display form is the path itself (docs/export.md). */
#define RAW_HEX(shown, raw)                                                                    \
    "CASE WHEN " raw " IS NULL OR " raw " = convert_to(" shown ", 'UTF8') THEN NULL"           \
    " ELSE encode(" raw ", 'hex') END"

/* The latest run of every (file, page) — among the runs the batch's invocations touched when
 * a batch is given — with a whole-file failure (page 0) hidden once a newer run of the same
 * path exists: the file was fixed and read since. */
static const char *const export_sql =
    /* Keys only until the rows to show are known: sorting whole pages (text) would be slow. */
    "WITH latest AS ("
    "  SELECT DISTINCT ON (pr.file_key, pr.page)"
    "    pr.id, pr.file_key, pr.source_path, pr.page, pr.updated_at"
    "  FROM page_run pr"
    "  WHERE $1::text IS NULL OR EXISTS ("
    "    SELECT 1 FROM invocation_page ip JOIN invocation i ON i.id = ip.invocation_id"
    "    WHERE ip.page_run_id = pr.id AND i.batch = $1)"
    "  ORDER BY pr.file_key, pr.page, pr.updated_at DESC, pr.id DESC"
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
    "  " RAW_HEX("s.source_path", "s.source_path_raw")
    " FROM shown sh JOIN page_run s ON s.id = sh.id"
    " WHERE NOT (sh.page = 0 AND sh.updated_at < sh.path_newest)"
    " ORDER BY sh.source_path COLLATE \"C\", sh.page, sh.file_key";

enum {
    X_ID, X_PATH, X_PAGE, X_SHA, X_STATUS, X_CODE, X_ERROR, X_ORIENT, X_SKEW, X_CONF, X_TEXT,
    X_SETTINGS, X_ATTEMPTS, X_AT, X_PAGE_COUNT, X_WIDTH, X_HEIGHT, X_DPI_X, X_DPI_Y,
    X_DPI_ASSUMED, X_COLOUR, X_WARNINGS, X_BATCH, X_DERIVATIVES, X_SOURCE_RAW, X_NCOLS
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
    params p = {0};
    long count = 0;
    bool cancelled = false;

    if (out_count)
        *out_count = 0;
    if (!st || !out)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output");
    rc = ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;

    p_str(&p, batch);
    /* Row by row, so an export of a whole archive does not sit in memory at once; one query,
     * so it is one consistent snapshot. */
    if (!PQsendQueryParams(st->conn, export_sql, p.n, NULL, p.v, NULL, NULL, 0)) {
        rc = pq_fail(err, st->conn, NULL, "could not export the pages");
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
            rc = pq_fail(err, st->conn, res, "could not export the pages");
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

/* ---------------------------------------------------------------------------------------- */
/* Status                                                                                    */

int lr_store_print_status(lr_store *st, const char *schema_dir, FILE *out, lr_error *err)
{
    int rc = LR_OK;
    PGresult *res = NULL;
    lr_error schema_err;

    if (!st || !out)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output");
    rc = ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    char target[300];
    describe_target(st->conn, target, sizeof target);
    fprintf(out, "%-14s %s, PostgreSQL %d.%d\n", "database:", target,
            PQserverVersion(st->conn) / 10000, PQserverVersion(st->conn) % 10000);

    lr_error_clear(&schema_err);
    int schema_rc = lr_store_check_schema(st, schema_dir, &schema_err);
    res = exec_want(st, "SELECT to_regclass('schema_version') IS NOT NULL", NULL,
                    PGRES_TUPLES_OK, "look for the schema_version table", err);
    bool have_table = res && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    res = NULL;
    if (have_table) /* a separate statement: a missing table fails at parse time */
        res = exec_want(st,
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

    res = exec_want(
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
