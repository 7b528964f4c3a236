/* store_test.h — what the database tests share: a fresh database per test program, created
 * through the server's maintenance database "postgres" (reached with the PG* variables) and
 * dropped at the end, and small helpers to build page records and query counts. Queries go
 * through the store's own connection (store_testing.h), which only tests may see. */
#ifndef STORE_TEST_H
#define STORE_TEST_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "landrec/digest.h"
#include "landrec/store.h"
#include "lr_test.h"
#include "store_testing.h" /* src/store/: the store's connection, for tests only */

typedef struct lrt_db {
    char name[64];
    char conninfo[128]; /* "dbname=…": the rest (host, user) comes from PG* */
} lrt_db;

static inline bool lrt_require_db(void)
{
    const char *v = getenv("LR_TEST_REQUIRE_DB");
    return v && strcmp(v, "1") == 0;
}

static inline PGconn *lrt_connect_maintenance(void)
{
    const char *keys[] = {"dbname", "fallback_application_name", NULL};
    const char *vals[] = {"postgres", "landrec-test", NULL};
    return PQconnectdbParams(keys, vals, 0);
}

/* 0: created; 77: no server and LR_TEST_REQUIRE_DB unset (skip); 1: failure. */
static inline int lrt_db_create(const char *prog, lrt_db *db)
{
    PGconn *c = lrt_connect_maintenance();
    if (PQstatus(c) != CONNECTION_OK) {
        bool req = lrt_require_db();
        fprintf(stderr, "%s: no PostgreSQL server reachable through the PG* variables; %s\n%s",
                prog,
                req ? "LR_TEST_REQUIRE_DB=1, so this fails"
                    : "skipped (set LR_TEST_REQUIRE_DB=1 to fail instead)",
                PQerrorMessage(c));
        PQfinish(c);
        return req ? 1 : 77;
    }
    static unsigned seq;
    snprintf(db->name, sizeof db->name, "lrtest_%s_%ld_%ld_%u", prog, (long)getpid(),
             (long)time(NULL), seq++);
    snprintf(db->conninfo, sizeof db->conninfo, "dbname=%s", db->name);
    char sql[256];
    /* template0 and locale C: the same UTF-8 database whatever the cluster's defaults. */
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'",
             db->name);
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : 1;
    if (rc)
        fprintf(stderr,
                "%s: could not create database %s: %s(the tests need a role that may: "
                "scripts/pg-cluster.sh env DIR --admin)\n",
                prog, db->name, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return rc;
}

static inline void lrt_db_drop(const lrt_db *db)
{
    PGconn *c = lrt_connect_maintenance();
    if (PQstatus(c) == CONNECTION_OK) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db->name);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            fprintf(stderr, "could not drop %s: %s", db->name, PQresultErrorMessage(r));
        PQclear(r);
    }
    PQfinish(c);
}

static inline const char *lrt_schema_dir(void)
{
    const char *d = getenv("LR_SCHEMA_DIR");
    return d ? d : "schemas";
}

/* A store on db with the schema applied; NULL (and a message) on failure. */
static inline lr_store *lrt_store_open(const lrt_db *db, bool migrate)
{
    lr_store *st = NULL;
    lr_error err;
    lr_error_clear(&err);
    if (lr_store_connect(db->conninfo, &st, &err) < 0) {
        fprintf(stderr, "connect: %s: %s\n", err.message, err.detail);
        return NULL;
    }
    if (migrate && lr_store_migrate(st, lrt_schema_dir(), NULL, &err) < 0) {
        fprintf(stderr, "migrate: %s: %s\n", err.message, err.detail);
        lr_store_close(&st);
    }
    return st;
}

/* SHA-256 of a label: stands in for a file's or a settings' hash. */
static inline void lrt_hash(const char *label, char out[LR_SHA256_HEX_LEN + 1])
{
    lr_digest_buffer(label, strlen(label), out);
}

/* First column of the first row of sql, as a long (-1 on error or NULL). */
static inline long lrt_long(lr_store *st, const char *sql)
{
    PGresult *r = PQexec(lr_store_test_conn(st), sql);
    long v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
        v = strtol(PQgetvalue(r, 0, 0), NULL, 10);
    else if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "query failed: %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    return v;
}

/* First column of the first row of sql into buf ("" on NULL, "<error>" on error). */
static inline char *lrt_text(lr_store *st, const char *sql, char *buf, size_t size)
{
    PGresult *r = PQexec(lr_store_test_conn(st), sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) == 0) {
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            fprintf(stderr, "query failed: %s: %s", sql, PQresultErrorMessage(r));
        snprintf(buf, size, "<error>");
    } else {
        snprintf(buf, size, "%s", PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
    }
    PQclear(r);
    return buf;
}

/* A plausible lr_page_info for a done page. */
static inline void lrt_info(lr_page_info *info, int page)
{
    memset(info, 0, sizeof *info);
    info->page = page;
    info->width = 2480;
    info->height = 3508;
    info->bits_per_sample = 8;
    info->samples_per_pixel = 1;
    info->depth = 8;
    snprintf(info->colour, sizeof info->colour, "grey");
    snprintf(info->compression, sizeof info->compression, "lzw");
    info->dpi_x = info->dpi_y = 300;
}

#endif
