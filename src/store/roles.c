/* roles.c — "landrec db init" with least privilege: the loading and reading roles, who
 * owns landrec's tables, what the reader is granted (store.h, docs/security.md).
 *
 * Role names reach SQL as parameters, or quoted by PQescapeIdentifier or the server's
 * format('%I'), never pasted. The tables stay in schema public: the loader gets CREATE on it
 * (PostgreSQL 15 no longer grants that to PUBLIC) so that it can apply later migrations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/log.h"
#include "store_internal.h"

#define SQLSTATE_UNIQUE_VIOLATION "23505"
#define SQLSTATE_INSUFFICIENT_PRIVILEGE "42501"
#define SQLSTATE_DUPLICATE_OBJECT "42710"

/* Longest role name the server keeps (NAMEDATALEN - 1). */
#define ROLE_NAME_MAX 63

typedef struct init_ctx {
    lr_store *st;
    PGconn *conn; /* st's */
    const char *loader, *reader, *web;
    char user[ROLE_NAME_MAX + 1]; /* who logged in */
    bool super, createrole;
    bool loader_exists, reader_exists, loader_super, web_exists;
} init_ctx;

static bool sqlstate_is(const PGresult *res, const char *code)
{
    const char *s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return s && strcmp(s, code) == 0;
}

/* Runs sql with up to three text parameters (the first NULL ones before a non-NULL one are
 * passed as NULL); the result when its status is want, else NULL and err filled ("could not
 * <what>"). Caller frees with PQclear. */
static PGresult *run3(init_ctx *c, const char *sql, const char *p1, const char *p2,
                      const char *p3, ExecStatusType want, const char *what, lr_error *err)
{
    store_params p = {0};
    if (p1 || p2 || p3)
        p_str(&p, p1);
    if (p2 || p3)
        p_str(&p, p2);
    if (p3)
        p_str(&p, p3);
    return store_exec(c->st, sql, &p, want, what, err);
}

static PGresult *run(init_ctx *c, const char *sql, const char *p1, const char *p2,
                     ExecStatusType want, const char *what, lr_error *err)
{
    return run3(c, sql, p1, p2, NULL, want, what, err);
}

static int run_cmd(init_ctx *c, const char *sql, const char *what, lr_error *err)
{
    PGresult *res = run(c, sql, NULL, NULL, PGRES_COMMAND_OK, what, err);
    PQclear(res);
    return res ? LR_OK : LR_ERR_DB;
}

/* "VERB <quoted name> tail" into a new string; NULL when out of memory. Caller frees. */
static char *with_name(PGconn *conn, const char *verb, const char *name, const char *tail)
{
    char *id = PQescapeIdentifier(conn, name, strlen(name));
    if (!id)
        return NULL;
    size_t size = strlen(verb) + strlen(id) + strlen(tail) + 3;
    char *sql = malloc(size);
    if (sql)
        snprintf(sql, size, "%s %s %s", verb, id, tail);
    PQfreemem(id);
    return sql;
}

/* Who logged in, what may they do, which roles exist. */
static int look_around(init_ctx *c, lr_error *err)
{
    PGresult *res = run3(c,
                        "SELECT current_user, r.rolsuper, r.rolcreaterole,"
                        " l.oid IS NOT NULL, d.oid IS NOT NULL, coalesce(l.rolsuper, false),"
                        " EXISTS (SELECT FROM pg_roles w WHERE w.rolname = $3)"
                        " FROM pg_roles r"
                        " LEFT JOIN pg_roles l ON l.rolname = $1"
                        " LEFT JOIN pg_roles d ON d.rolname = $2"
                        " WHERE r.rolname = current_user",
                        c->loader, c->reader, c->web, PGRES_TUPLES_OK, "look up the roles", err);
    if (!res)
        return LR_ERR_DB;
    int rc = LR_OK;
    if (PQntuples(res) != 1) {
        rc = lr_error_set(err, LR_ERR_DB, "could not look up the connecting role");
        goto done;
    }
    snprintf(c->user, sizeof c->user, "%s", PQgetvalue(res, 0, 0));
    c->super = PQgetvalue(res, 0, 1)[0] == 't';
    c->createrole = PQgetvalue(res, 0, 2)[0] == 't';
    c->loader_exists = PQgetvalue(res, 0, 3)[0] == 't';
    c->reader_exists = PQgetvalue(res, 0, 4)[0] == 't';
    c->loader_super = PQgetvalue(res, 0, 5)[0] == 't';
    c->web_exists = PQgetvalue(res, 0, 6)[0] == 't';
done:
    PQclear(res);
    return rc;
}

/* CREATE ROLE name attrs. *out_created false when another db init created it first (the
 * check and the insert are not atomic: the loser gets duplicate_object, or unique_violation
 * when both insert at once). */
static int create_role(init_ctx *c, const char *name, const char *attrs, bool *out_created,
                       lr_error *err)
{
    *out_created = false;
    char *sql = with_name(c->conn, "CREATE ROLE", name, attrs);
    if (!sql)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    PGresult *res = PQexec(c->conn, sql);
    int rc = LR_OK;
    if (PQresultStatus(res) == PGRES_COMMAND_OK) {
        *out_created = true;
        lr_log_info("created role %s", name);
    } else if (sqlstate_is(res, SQLSTATE_DUPLICATE_OBJECT) ||
               sqlstate_is(res, SQLSTATE_UNIQUE_VIOLATION)) {
        lr_log_debug("role %s was created meanwhile by someone else", name);
    } else {
        rc = store_fail(err, c->conn, res, "could not create role \"%s\"", name);
    }
    PQclear(res);
    free(sql);
    return rc;
}

/* SET ROLE to the loader. A CREATEROLE user who is not a member makes itself one (it may: the
 * loader is no superuser); anyone else is told what to do. */
static int set_loader(init_ctx *c, lr_error *err)
{
    int rc = LR_OK;
    char *set = with_name(c->conn, "SET ROLE", c->loader, "");
    char *grant = with_name(c->conn, "GRANT", c->loader, "TO CURRENT_USER");
    PGresult *res = NULL;
    if (!set || !grant) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    res = PQexec(c->conn, set);
    if (PQresultStatus(res) == PGRES_COMMAND_OK)
        goto done;
    if (sqlstate_is(res, SQLSTATE_INSUFFICIENT_PRIVILEGE) && c->createrole && !c->super) {
        PQclear(res);
        res = PQexec(c->conn, grant);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            rc = store_fail(err, c->conn, res, "could not make \"%s\" a member of role \"%s\"",
                            c->user, c->loader);
            goto done;
        }
        lr_log_info("made %s a member of role %s, to act as it", c->user, c->loader);
        PQclear(res);
        res = PQexec(c->conn, set);
        if (PQresultStatus(res) == PGRES_COMMAND_OK)
            goto done;
    }
    if (sqlstate_is(res, SQLSTATE_INSUFFICIENT_PRIVILEGE)) {
        rc = store_fail(err, c->conn, res, "\"%s\" is not a member of role \"%s\"", c->user,
                        c->loader);
        lr_error_hint(err,
                      "Connect as %s, or as a member of it (GRANT %s TO %s), or as a "
                      "superuser; or give --no-roles to only apply the migrations as %s.",
                      c->loader, c->loader, c->user, c->user);
    } else {
        rc = store_fail(err, c->conn, res, "could not act as role \"%s\"", c->loader);
    }
done:
    PQclear(res);
    free(set);
    free(grant);
    return rc;
}

static void reset_role(init_ctx *c)
{
    if (PQtransactionStatus(c->conn) == PQTRANS_IDLE)
        PQclear(PQexec(c->conn, "RESET ROLE"));
}

/* The grants and the take-over run under the migration lock: it serialises them with one
 * database's migrations and with another db init of the same database. Nothing locks across
 * databases, so creating a role that another db init has just created is taken as success
 * instead. */
static int begin_locked(init_ctx *c, lr_error *err)
{
    int rc = run_cmd(c, "BEGIN ISOLATION LEVEL READ COMMITTED", "start a transaction", err);
    if (rc == LR_OK) {
        PGresult *res = run(c, "SELECT pg_advisory_xact_lock(" LR_STORE_MIGRATE_LOCK ")", NULL,
                            NULL, PGRES_TUPLES_OK, "take the migration lock", err);
        rc = res ? LR_OK : LR_ERR_DB;
        PQclear(res);
    }
    return rc;
}

/* Runs each statement of the first column of a query's rows (built by the server with
 * format('%I')); *out_n (may be NULL) counts them. On failure err says "could not <what>"
 * and the hint, if given, replaces the server's. */
static int run_each(init_ctx *c, const char *query, const char *p1, const char *p2,
                    const char *what, const char *hint, int *out_n, lr_error *err)
{
    PGresult *list = run(c, query, p1, p2, PGRES_TUPLES_OK, what, err);
    if (!list)
        return LR_ERR_DB;
    int rc = LR_OK;
    for (int i = 0; i < PQntuples(list) && rc == LR_OK; i++) {
        PGresult *res = PQexec(c->conn, PQgetvalue(list, i, 0));
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            rc = store_fail(err, c->conn, res, "could not %s", what);
            if (hint)
                lr_error_hint(err, "%s", hint);
        }
        PQclear(res);
    }
    if (rc == LR_OK && out_n)
        *out_n = PQntuples(list);
    PQclear(list);
    return rc;
}

/* As the user who logged in, before the migrations: the loader may create in public, the
 * reader use it; a database made before the roles becomes the loader's. */
static int prepare_database(init_ctx *c, int *out_taken, lr_error *err)
{
    char hint[256];
    int rc = begin_locked(c, err);
    if (rc != LR_OK)
        goto done;
    snprintf(hint, sizeof hint,
             "Run \"landrec db init\" once as a superuser or the database's owner, or have "
             "one run: GRANT USAGE, CREATE ON SCHEMA public TO %s; GRANT USAGE ON SCHEMA "
             "public TO %s.",
             c->loader, c->reader);
    rc =
        run_each(c,
                 "SELECT format('GRANT USAGE, CREATE ON SCHEMA public TO %I', $1::text)"
                 " WHERE NOT (has_schema_privilege($1::name, 'public', 'USAGE')"
                 "  AND has_schema_privilege($1::name, 'public', 'CREATE'))"
                 " UNION ALL"
                 " SELECT format('GRANT USAGE ON SCHEMA public TO %I', $2::text)"
                 " WHERE NOT has_schema_privilege($2::name, 'public', 'USAGE')",
                 c->loader, c->reader, "grant the roles the use of schema public", hint, NULL, err);
    if (rc != LR_OK)
        goto done;
    /* A GRANT by a user without the grant option only warns: look again. */
    PGresult *res = run(c,
                        "SELECT has_schema_privilege($1::name, 'public', 'USAGE')"
                        " AND has_schema_privilege($1::name, 'public', 'CREATE')"
                        " AND has_schema_privilege($2::name, 'public', 'USAGE')",
                        c->loader, c->reader, PGRES_TUPLES_OK, "check the grants on public", err);
    if (!res) {
        rc = LR_ERR_DB;
        goto done;
    }
    bool granted = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!granted) {
        if (!strcmp(c->user, c->loader))
            rc = lr_error_set(err, LR_ERR_DB, "role \"%s\" may not create tables in schema public",
                              c->loader);
        else
            rc = lr_error_set(err, LR_ERR_DB,
                              "role \"%s\" may not create tables in schema public, and \"%s\" "
                              "may not let it",
                              c->loader, c->user);
        lr_error_detail(err, "The loading role creates landrec's tables; the reading role "
                             "needs USAGE on the schema.");
        lr_error_hint(err, "%s", hint);
        goto done;
    }
    /* Search's fuzzy matching (pg_trgm) is an extension: the loader may not create one. */
    rc = run_cmd(c, "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
                 "create the extension pg_trgm", err);
    if (rc != LR_OK) {
        lr_error_hint(err, "Run \"landrec db init\" once as a superuser or the database's owner "
                           "(docs/security.md), or have one run: CREATE EXTENSION pg_trgm;");
        goto done;
    }
    /* The relations of an older database: those in public of schema_version's owner. A
     * sequence of an identity or serial column goes with its table. */
    snprintf(hint, sizeof hint,
             "Run \"landrec db init\" once as the owner of the tables or as a superuser.");
    rc = run_each(c,
                  "SELECT format('ALTER %s %s OWNER TO %I',"
                  "  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'"
                  "  WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::regclass, $1::text)"
                  " FROM pg_class c"
                  " WHERE c.relnamespace = 'public'::regnamespace"
                  " AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
                  " AND c.relowner = (SELECT relowner FROM pg_class"
                  "  WHERE oid = to_regclass('public.schema_version'))"
                  " AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)"
                  " AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d"
                  "  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid"
                  "  AND d.deptype IN ('a', 'i')))"
                  " ORDER BY c.relkind = 'S', c.oid",
                  c->loader, NULL, "give landrec's tables to the loading role", hint, out_taken,
                  err);
    if (rc != LR_OK)
        goto done;
    if (*out_taken > 0)
        lr_log_info("gave %d tables, views and sequences to role %s", *out_taken, c->loader);
    rc = run_cmd(c, "COMMIT", "commit", err);
done:
    if (rc != LR_OK)
        store_rollback_quietly(c->conn);
    return rc;
}

/* As the loader, after the migrations: the reader may read every table of the loader in
 * public, now and later. */
static int grant_reader(init_ctx *c, lr_error *err)
{
    int rc = begin_locked(c, err);
    if (rc != LR_OK)
        goto done;
    rc = run_each(c,
                  "SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public"
                  " GRANT SELECT ON TABLES TO %I', $1::text, $2::text)"
                  " UNION ALL"
                  " SELECT format('GRANT SELECT ON %s TO %I', c.oid::regclass, $2::text)"
                  " FROM pg_class c"
                  " WHERE c.relnamespace = 'public'::regnamespace"
                  " AND c.relkind IN ('r', 'p', 'v', 'm')"
                  " AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)"
                  " AND NOT has_table_privilege($2::name, c.oid, 'SELECT')",
                  c->loader, c->reader, "grant the reading role SELECT", NULL, NULL, err);
    if (rc == LR_OK)
        rc = run_cmd(c, "COMMIT", "commit", err);
done:
    if (rc != LR_OK)
        store_rollback_quietly(c->conn);
    return rc;
}

/* As the loader, after the migrations: the web role writes only sessions, sign-in failures
 * and review decisions (docs/security.md); it reads everything as a member of the reader. */
static int grant_web(init_ctx *c, lr_error *err)
{
    static const char *const grants[] = {
        "GRANT SELECT, INSERT, DELETE ON web_session TO %s",
        "GRANT SELECT, INSERT ON login_failure TO %s",
        "GRANT UPDATE (state, resolved_at, claimed_by, claimed_until) ON review_item TO %s",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON review_skip TO %s",
        "GRANT INSERT ON value_version TO %s",
        "GRANT USAGE ON SEQUENCE value_version_id_seq, login_failure_id_seq TO %s",
    };
    char *id = PQescapeIdentifier(c->conn, c->web, strlen(c->web));
    if (!id)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    int rc = begin_locked(c, err);
    for (size_t i = 0; rc == LR_OK && i < sizeof grants / sizeof grants[0]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, grants[i], id);
        rc = run_cmd(c, sql, "grant the web role what it writes", err);
    }
    if (rc == LR_OK)
        rc = run_cmd(c, "COMMIT", "commit", err);
    if (rc != LR_OK)
        store_rollback_quietly(c->conn);
    PQfreemem(id);
    return rc;
}

/* The web role is a member of the reader: it reads what the reader reads. */
static int make_web_reader(init_ctx *c, lr_error *err)
{
    PGresult *res = run(c, "SELECT pg_has_role($1::name, $2::name, 'USAGE')", c->web, c->reader,
                        PGRES_TUPLES_OK, "look up the web role", err);
    if (!res)
        return LR_ERR_DB;
    bool member = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (member)
        return LR_OK;
    char *web = PQescapeIdentifier(c->conn, c->web, strlen(c->web));
    char *sql = web ? with_name(c->conn, "GRANT", c->reader, "") : NULL;
    int rc = LR_OK;
    if (!sql) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    } else {
        char full[512];
        snprintf(full, sizeof full, "%sTO %s", sql, web);
        PGresult *res = PQexec(c->conn, full);
        /* Another db init at the same time may have granted it first. */
        if (PQresultStatus(res) != PGRES_COMMAND_OK &&
            !sqlstate_is(res, SQLSTATE_UNIQUE_VIOLATION) &&
            !sqlstate_is(res, SQLSTATE_DUPLICATE_OBJECT))
            rc = store_fail(err, c->conn, res, "could not make the web role a reader");
        PQclear(res);
    }
    PQfreemem(web);
    free(sql);
    return rc;
}

static int check_name(const char *what, const char *name, lr_error *err)
{
    if (!*name || strlen(name) > ROLE_NAME_MAX) {
        lr_error_set(err, LR_ERR_ARG, "the %s role's name must be 1 to %d bytes long", what,
                     ROLE_NAME_MAX);
        lr_error_detail(err, "\"%s\"", name);
        return LR_ERR_ARG;
    }
    return LR_OK;
}

int lr_store_init(lr_store *st, const char *schema_dir, const lr_store_roles *roles,
                  lr_store_init_result *out, lr_error *err)
{
    int rc = LR_OK;
    lr_store_init_result r = {0};
    bool acting = false;
    init_ctx c = {0};

    if (out)
        memset(out, 0, sizeof *out);
    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    c.st = st;
    c.conn = st->conn;
    c.loader = roles && roles->loader ? roles->loader : LR_STORE_LOADER_ROLE;
    c.reader = roles && roles->reader ? roles->reader : LR_STORE_READER_ROLE;
    c.web = roles && roles->web ? roles->web : LR_STORE_WEB_ROLE;
    if ((rc = check_name("loading", c.loader, err)) != LR_OK ||
        (rc = check_name("reading", c.reader, err)) != LR_OK ||
        (rc = check_name("web", c.web, err)) != LR_OK)
        goto done;
    if (!strcmp(c.loader, c.reader) || !strcmp(c.web, c.loader) || !strcmp(c.web, c.reader)) {
        rc = lr_error_set(err, LR_ERR_ARG, "the loading, the reading and the web role must differ");
        goto done;
    }
    if (PQstatus(c.conn) != CONNECTION_OK) {
        rc = store_fail(err, c.conn, NULL, "no connection to the database");
        goto done;
    }
    rc = look_around(&c, err);
    if (rc != LR_OK)
        goto done;

    if (!c.web_exists && !c.super && !c.createrole) {
        /* The web application's role is for "landrec serve" only: loading goes on without it. */
        lr_log_warning("role %s does not exist, and %s may not create roles: landrec serve needs "
                       "it; run \"landrec db init\" once as an administrator (docs/security.md)",
                       c.web, c.user);
    }
    if (!c.loader_exists || !c.reader_exists) {
        if (!c.super && !c.createrole) {
            rc = lr_error_set(err, LR_ERR_DB,
                              "role \"%s\" does not exist, and \"%s\" may not create roles",
                              !c.loader_exists ? c.loader : c.reader, c.user);
            lr_error_detail(err,
                            "db init creates the loading role %s and the reading role %s; "
                            "that needs a superuser or a role with CREATEROLE.",
                            c.loader, c.reader);
            lr_error_hint(err,
                          "Run it once as such a role (docs/security.md), or give --no-roles "
                          "to only apply the migrations, as %s.",
                          c.user);
            goto done;
        }
        if (!c.loader_exists)
            rc =
                create_role(&c, c.loader, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION",
                            &r.created_loader, err);
        if (rc == LR_OK && !c.reader_exists)
            rc = create_role(&c, c.reader,
                             "NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION",
                             &r.created_reader, err);
        if (rc != LR_OK)
            goto done;
    }
    if (!c.web_exists && (c.super || c.createrole)) {
        rc = create_role(&c, c.web, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION",
                         &r.created_web, err);
        if (rc != LR_OK)
            goto done;
        c.web_exists = true;
    }
    if (c.web_exists && (c.super || c.createrole)) {
        rc = make_web_reader(&c, err);
        if (rc != LR_OK)
            goto done;
    }
    if (c.loader_super)
        lr_log_warning("role %s is a superuser: landrec needs, and should have, much less "
                       "(docs/security.md)",
                       c.loader);

    /* May we act as the loader? Ask before changing anything in the database. */
    rc = set_loader(&c, err);
    reset_role(&c);
    if (rc == LR_OK)
        rc = prepare_database(&c, &r.taken_over, err);
    if (rc == LR_OK)
        rc = set_loader(&c, err);
    if (rc != LR_OK)
        goto done;
    acting = true;
    rc = lr_store_migrate(st, schema_dir, &r.applied, err);
    if (rc == LR_OK)
        rc = grant_reader(&c, err);
    if (rc == LR_OK && c.web_exists)
        rc = grant_web(&c, err);

done:
    if (acting)
        reset_role(&c);
    if (out)
        *out = r;
    return rc;
}
