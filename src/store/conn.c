/* conn.c — the connection: connecting, closing, and reconnecting with backoff when the server
 * went away (store.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "landrec/clock.h"
#include "landrec/conninfo.h"
#include "landrec/log.h"
#include "store_internal.h"
#include "store_testing.h"

/* Generated columns and DROP DATABASE … WITH (FORCE) in the tests need 12 or newer. */
#define LR_STORE_MIN_SERVER 120000

/* Waits between reconnection tries: the first, and the cap it doubles up to. */
#define LR_STORE_BACKOFF_FIRST_MS 500.0
#define LR_STORE_BACKOFF_CAP_MS 10000.0

void store_describe_target(PGconn *conn, char *buf, size_t size)
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
        store_describe_target(conn, target, sizeof target);
        rc = store_fail(err, conn, NULL, "could not connect to %s", target);
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
    PQsetNoticeProcessor(conn, store_notice_to_log, NULL);

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

bool lr_store_connected(const lr_store *st)
{
    return st && st->conn && PQstatus(st->conn) == CONNECTION_OK;
}

struct pg_conn *lr_store_test_conn(lr_store *st)
{
    return st ? st->conn : NULL;
}

/* libpq's message, first line only, for a log line. */
static void first_line(const char *msg, char *buf, size_t size)
{
    snprintf(buf, size, "%s", msg ? msg : "");
    buf[strcspn(buf, "\n")] = '\0';
}

/* Sleeps pause_ms; a signal ends the pause early (the cancel flag is looked at before the
 * next wait). */
static void pause_ms(double ms)
{
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000.0),
                          .tv_nsec = (long)(fmod(ms, 1000.0) * 1e6)};
    nanosleep(&ts, NULL);
}

/* A batch runs for hours: the server may go away between two calls (restart, failover, idle
 * timeout). Nothing half-done is lost: this runs only outside a transaction. */
bool store_reconnect(lr_store *st)
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
        st->prepared = 0; /* a new session: nothing prepared on it */
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
        pause_ms(pause);
        wait = wait * 2 < LR_STORE_BACKOFF_CAP_MS ? wait * 2 : LR_STORE_BACKOFF_CAP_MS;
    }
}

int store_ensure_connected(lr_store *st, lr_error *err)
{
    if (PQstatus(st->conn) == CONNECTION_OK || store_reconnect(st))
        return LR_OK;
    return store_fail(err, st->conn, NULL, "lost the connection to database \"%s\"",
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
    return store_ensure_connected(st, err);
}
