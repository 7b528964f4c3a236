/* test_store_connect.c — a database that cannot be reached fails with LR_ERR_DB and a message
 * that names the target. Needs no server; the missing-database case runs when one answers. */
#include "store_test.h"

static void expect_unreachable(const char *conninfo, const char *must_name)
{
    lr_store *st = (lr_store *)1; /* must be reset to NULL */
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_store_connect(conninfo, &st, &err);
    CHECKF(rc == LR_ERR_DB, "%s: rc %d", conninfo, rc);
    CHECK(st == NULL);
    CHECK(err.code == LR_ERR_DB);
    CHECKF(strstr(err.message, must_name) != NULL, "message \"%s\" lacks \"%s\"", err.message,
           must_name);
    CHECKF(err.detail[0] != '\0', "no detail for %s", conninfo);
    CHECK(strchr(err.detail, '\n') == NULL);
    CHECK(err.hint[0] != '\0');
    printf("%s\n  -> %s\n     %s\n     hint: %s\n", conninfo, err.message, err.detail, err.hint);
}

int main(void)
{
    /* A socket directory where no server listens, as conninfo and as URI. */
    expect_unreachable("host=/nonexistent/lr-socket port=5999 dbname=ledger connect_timeout=2",
                       "\"/nonexistent/lr-socket\"");
    expect_unreachable("postgresql:///ledger2?host=/nonexistent/lr-socket&port=5998",
                       "\"ledger2\"");
    /* Refused TCP port on localhost: names host and port. */
    expect_unreachable("host=127.0.0.1 port=1 dbname=ledger3 connect_timeout=2", "port 1");
    /* A conninfo libpq cannot parse is the same kind of failure. */
    {
        lr_store *st = NULL;
        lr_error err;
        lr_error_clear(&err);
        CHECK(lr_store_connect("host=/tmp nonsense", &st, &err) == LR_ERR_DB);
        CHECK(st == NULL);
        CHECK(err.detail[0] != '\0');
    }
    /* Arguments. */
    {
        lr_error err;
        lr_error_clear(&err);
        CHECK(lr_store_connect(NULL, NULL, &err) == LR_ERR_ARG);
        lr_store *st = NULL;
        lr_store_close(&st); /* NULL is fine */
        lr_store_close(NULL);
        CHECK(!lr_store_connected(NULL));
    }
    /* A reachable server without the database: the message names the database. */
    PGconn *c = lrt_connect_maintenance();
    if (PQstatus(c) == CONNECTION_OK) {
        expect_unreachable("dbname=lr_no_such_database_here", "\"lr_no_such_database_here\"");
        /* And a good connection sets application_name. */
        lrt_db db;
        if (lrt_db_create("connect", &db) == 0) {
            lr_store *st = lrt_store_open(&db, false);
            CHECK(st != NULL);
            if (st) {
                char buf[64];
                const char *app = getenv("PGAPPNAME");
                CHECK(strcmp(lrt_text(st, "SHOW application_name", buf, sizeof buf),
                             app && *app ? app : "landrec") == 0);
                CHECK(strcmp(lrt_text(st, "SHOW client_encoding", buf, sizeof buf), "UTF8") == 0);
                lr_store_close(&st);
                CHECK(st == NULL);
            }
            lrt_db_drop(&db);
        }
    } else if (lrt_require_db()) {
        fprintf(stderr, "LR_TEST_REQUIRE_DB=1 but no server: %s", PQerrorMessage(c));
        CHECK(!"server required");
    }
    PQfinish(c);
    return lr_test_finish("test_store_connect");
}
