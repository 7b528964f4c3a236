/* migrate.c — schema migrations: the files NNN_name.sql of a directory, applied in order, each
 * once, each in its own transaction, under an advisory lock (store.h). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "landrec/digest.h"
#include "landrec/file.h"
#include "landrec/log.h"
#include "lr_config.h"
#include "store_internal.h"

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
            rc =
                lr_error_set(err, LR_ERR_ARG, "two migrations have the number %d", list[i].version);
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
    bool opened = false;
    int rc = lr_file_read_all(path, out_text, NULL, &opened);
    if (rc == LR_ERR_NOMEM)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading \"%s\"", path);
    if (rc < 0 && !opened) {
        rc = lr_error_set(err, LR_ERR_IO, "could not open \"%s\"", path);
        lr_error_detail(err, "%s", strerror(errno));
        return rc;
    }
    if (rc < 0)
        return lr_error_set(err, LR_ERR_IO, "could not read \"%s\"", path);
    return LR_OK;
}

/* In the migration's open transaction: takes the migration lock, and creates schema_version
 * when the database has none. Under the lock, a second "db init" waits here and then finds
 * the work done: every statement after it takes a fresh snapshot (READ COMMITTED), so it sees
 * that work. */
static int lock_version_table(lr_store *st, lr_error *err)
{
    int rc = LR_OK;
    PGresult *res = store_exec(st, "SELECT pg_advisory_xact_lock(" LR_STORE_MIGRATE_LOCK ")", NULL,
                               PGRES_TUPLES_OK, "take the migration lock", err);
    if (res) {
        PQclear(res);
        res = store_exec(st, "SELECT to_regclass('schema_version') IS NULL", NULL, PGRES_TUPLES_OK,
                         "look for the schema_version table", err);
    }
    if (!res)
        return LR_ERR_DB;
    if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
        rc = store_exec_cmd(st,
                            "CREATE TABLE schema_version ("
                            " version integer PRIMARY KEY,"
                            " name text NOT NULL,"
                            " checksum text,"
                            " applied_at timestamptz NOT NULL DEFAULT now())",
                            NULL, "create the schema_version table", err);
    PQclear(res);
    return rc;
}

/* *out_recorded: whether schema_version has m already. A file that changed since it was
 * applied is only warned about: the database keeps what it applied. */
static int find_recorded(lr_store *st, const migration *m, const char *checksum, bool *out_recorded,
                         lr_error *err)
{
    store_params p = {0};
    p_int(&p, m->version);
    PGresult *res = store_exec(st, "SELECT checksum FROM schema_version WHERE version = $1", &p,
                               PGRES_TUPLES_OK, "read schema_version", err);
    if (!res)
        return LR_ERR_DB;
    *out_recorded = PQntuples(res) > 0;
    if (*out_recorded && !PQgetisnull(res, 0, 0) && strcmp(PQgetvalue(res, 0, 0), checksum) != 0)
        lr_log_warning("migration %s changed after it was applied; the database keeps the "
                       "version it applied",
                       m->file);
    PQclear(res);
    return LR_OK;
}

/* Runs the migration's SQL and records it, in the open transaction. */
static int run_migration(lr_store *st, const migration *m, const char *sql, const char *checksum,
                         lr_error *err)
{
    /* Simple-query protocol: the file may hold many statements, all inside our transaction. */
    PGresult *res = PQexec(st->conn, sql);
    ExecStatusType s = PQresultStatus(res);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
        int rc = store_fail(err, st->conn, res, "migration %s failed", m->file);
        lr_error_hint(err, "Nothing of this migration was applied; the earlier ones stay.");
        PQclear(res);
        return rc;
    }
    PQclear(res);

    store_params p = {0};
    p_int(&p, m->version);
    p_str(&p, m->name);
    p_str(&p, checksum);
    return store_exec_cmd(st,
                          "INSERT INTO schema_version (version, name, checksum)"
                          " VALUES ($1, $2, $3)",
                          &p, "record the migration", err);
}

/* Applies one migration in its own transaction unless it is already recorded. */
static int apply_migration(lr_store *st, const char *dir, const migration *m, bool *out_applied,
                           lr_error *err)
{
    char path[4096];
    char *sql = NULL;
    char checksum[LR_SHA256_HEX_LEN + 1];
    bool recorded = false;

    *out_applied = false;
    snprintf(path, sizeof path, "%s/%s", dir, m->file);
    int rc = read_text_file(path, &sql, err);
    if (rc != LR_OK)
        return rc;
    lr_digest_buffer(sql, strlen(sql), checksum);

    rc = store_begin(st, err);
    if (rc == LR_OK)
        rc = lock_version_table(st, err);
    if (rc == LR_OK)
        rc = find_recorded(st, m, checksum, &recorded, err);
    if (rc == LR_OK && recorded) {
        rc = store_exec_cmd(st, "COMMIT", NULL, "commit", err);
    } else if (rc == LR_OK) {
        rc = run_migration(st, m, sql, checksum, err);
        if (rc == LR_OK)
            rc = store_exec_cmd(st, "COMMIT", NULL, "commit the migration", err);
        if (rc == LR_OK) {
            *out_applied = true;
            lr_log_info("applied migration %s", m->file);
        }
    }
    if (rc != LR_OK)
        store_rollback_quietly(st->conn);
    free(sql);
    return rc;
}

/* What both the migration and the check start from: the migrations of schema_dir (NULL or
 * "": the default; *out_dir gets the one used) and a good connection. */
static int prepare(lr_store *st, const char *schema_dir, const char **out_dir,
                   migration **out_list, size_t *out_n, lr_error *err)
{
    *out_dir = schema_dir && *schema_dir ? schema_dir : lr_store_default_schema_dir();
    int rc = list_migrations(*out_dir, out_list, out_n, err);
    if (rc == LR_OK)
        rc = store_ensure_connected(st, err);
    return rc;
}

int lr_store_migrate(lr_store *st, const char *schema_dir, int *out_applied, lr_error *err)
{
    migration *list = NULL;
    size_t n = 0;
    const char *dir;

    if (out_applied)
        *out_applied = 0;
    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    int rc = prepare(st, schema_dir, &dir, &list, &n, err);
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
    migration *list = NULL;
    size_t n = 0;
    PGresult *res = NULL;
    const char *dir;

    if (!st)
        return lr_error_set(err, LR_ERR_ARG, "no database connection");
    int rc = prepare(st, schema_dir, &dir, &list, &n, err);
    if (rc != LR_OK)
        goto done;

    res = store_exec_retry(st, "SELECT to_regclass('schema_version') IS NOT NULL", NULL,
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
    res = store_exec(st, "SELECT version, checksum FROM schema_version ORDER BY version", NULL,
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
