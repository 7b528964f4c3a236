/* test_store_schema.c — migrations: applied in order, each once, safe when two run at once;
 * lr_store_check_schema before and after, and against a directory with a newer migration; a
 * failing migration leaves nothing of itself; db status. */
#include <pthread.h>
#include <sys/stat.h>

#include "store_test.h"

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    int rc = in && out ? 0 : -1;
    char buf[8192];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

typedef struct migrate_arg {
    const lrt_db *db;
    int rc, applied;
    lr_error err;
} migrate_arg;

static void *migrate_thread(void *p)
{
    migrate_arg *a = p;
    lr_store *st = lrt_store_open(a->db, false);
    a->rc = -99;
    if (st) {
        a->rc = lr_store_migrate(st, lrt_schema_dir(), &a->applied, &a->err);
        lr_store_close(&st);
    }
    return NULL;
}

static int count_migrations(void)
{
    /* Independent of the store's parser: the shell's view of NNN_*.sql. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -cE '^[0-9]+_[A-Za-z0-9_-]+\\.sql$'", lrt_schema_dir());
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

int main(void)
{
    lrt_db db;
    int rc = lrt_db_create("schema", &db);
    if (rc)
        return rc;
    lr_store *st = lrt_store_open(&db, false);
    CHECK(st != NULL);
    if (!st)
        goto out;
    int nmig = count_migrations();
    CHECK(nmig >= 1);
    lr_error err;

    /* Before: missing, with the hint. */
    lr_error_clear(&err);
    CHECK(lr_store_check_schema(st, lrt_schema_dir(), &err) == LR_ERR_DB);
    CHECKF(strstr(err.hint, "landrec db init") != NULL, "hint: %s", err.hint);
    CHECKF(strstr(err.message, db.name) != NULL, "message: %s", err.message);

    /* Status of an empty database prints and reports the missing schema. */
    {
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        lr_error_clear(&err);
        CHECK(lr_store_print_status(st, lrt_schema_dir(), m, &err) == LR_ERR_DB);
        fclose(m);
        CHECK(text && strstr(text, "schema:        none") != NULL);
        CHECK(strstr(err.hint, "landrec db init") != NULL);
        free(text);
    }

    /* Migrate, twice. */
    int applied = -1;
    lr_error_clear(&err);
    CHECKF(lr_store_migrate(st, lrt_schema_dir(), &applied, &err) == LR_OK, "%s: %s",
           err.message, err.detail);
    CHECKF(applied == nmig, "applied %d of %d", applied, nmig);
    applied = -1;
    CHECK(lr_store_migrate(st, lrt_schema_dir(), &applied, &err) == LR_OK);
    CHECK(applied == 0);
    CHECK(lrt_long(st, "SELECT count(*) FROM schema_version") == nmig);
    CHECK(lrt_long(st, "SELECT min(version) FROM schema_version") == 1);
    char buf[256];
    CHECK(strcmp(lrt_text(st, "SELECT name FROM schema_version WHERE version = 1", buf,
                          sizeof buf),
                 "initial") == 0);
    CHECK(lrt_long(st, "SELECT count(*) FROM schema_version WHERE checksum ~ '^[0-9a-f]{64}$'") ==
          nmig);
    lr_error_clear(&err);
    CHECKF(lr_store_check_schema(st, lrt_schema_dir(), &err) == LR_OK, "%s", err.message);
    /* NULL: the default directory (LR_SCHEMA_DIR is set by meson). */
    CHECK(lr_store_check_schema(st, NULL, &err) == LR_OK);
    CHECK(strcmp(lr_store_default_schema_dir(), lrt_schema_dir()) == 0);
    /* The tables exist. */
    CHECK(lrt_long(st, "SELECT count(*) FROM information_schema.tables WHERE table_name IN "
                       "('settings', 'invocation', 'source_file', 'page_run', 'word', "
                       "'derivative', 'page_failure', 'invocation_page')") == 8);

    /* Status of a current database. */
    {
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        lr_error_clear(&err);
        CHECK(lr_store_print_status(st, lrt_schema_dir(), m, &err) == LR_OK);
        fclose(m);
        CHECK(text && strstr(text, ", current") && strstr(text, "pages:") &&
              strstr(text, db.name));
        if (text)
            fputs(text, stdout);
        free(text);
    }

    /* A directory with a newer migration: out of date, then applied on its own. */
    char dir[1024], path[1200], from[1200];
    snprintf(dir, sizeof dir, "%s/store-schema-%ld", lr_test_tmp_dir(), (long)getpid());
    mkdir(dir, 0700);
    snprintf(from, sizeof from, "%s/001_initial.sql", lrt_schema_dir());
    snprintf(path, sizeof path, "%s/001_initial.sql", dir);
    CHECK(copy_file(from, path) == 0);
    snprintf(path, sizeof path, "%s/999_extra.sql", dir);
    CHECK(write_file(path, "CREATE TABLE extra_999 (x int);\nCREATE INDEX ON extra_999 (x);\n") ==
          0);
    snprintf(path, sizeof path, "%s/README.md", dir); /* not a migration */
    CHECK(write_file(path, "not sql") == 0);
    lr_error_clear(&err);
    CHECK(lr_store_check_schema(st, dir, &err) == LR_ERR_DB);
    CHECKF(strstr(err.detail, "999_extra.sql") != NULL, "detail: %s", err.detail);
    CHECK(strstr(err.hint, "landrec db init") != NULL);
    CHECK(lr_store_migrate(st, dir, &applied, &err) == LR_OK);
    CHECK(applied == 1);
    CHECK(lr_store_check_schema(st, dir, &err) == LR_OK);
    /* The real directory is older than the database: still fine. */
    CHECK(lr_store_check_schema(st, lrt_schema_dir(), &err) == LR_OK);

    /* A failing migration: an error naming it, nothing of it applied, the earlier ones kept,
     * the connection usable. */
    snprintf(path, sizeof path, "%s/1000_broken.sql", dir);
    CHECK(write_file(path, "CREATE TABLE broken_1000 (x int);\nCREATE TABLE broken_1000 (y int);\n") ==
          0);
    lr_error_clear(&err);
    applied = -1;
    CHECK(lr_store_migrate(st, dir, &applied, &err) == LR_ERR_DB);
    CHECK(applied == 0);
    CHECKF(strstr(err.message, "1000_broken.sql") != NULL, "message: %s", err.message);
    CHECK(strstr(err.detail, "already exists") != NULL);
    CHECK(lrt_long(st, "SELECT count(*) FROM pg_tables WHERE tablename = 'broken_1000'") == 0);
    CHECK(lrt_long(st, "SELECT count(*) FROM schema_version WHERE version = 1000") == 0);
    CHECK(PQtransactionStatus(lr_store_test_conn(st)) == PQTRANS_IDLE);
    CHECK(lr_store_check_schema(st, dir, &err) == LR_ERR_DB);
    remove(path);

    /* Two numbered the same: refused before anything runs. */
    snprintf(path, sizeof path, "%s/0999_twin.sql", dir);
    CHECK(write_file(path, "SELECT 1;") == 0);
    lr_error_clear(&err);
    CHECK(lr_store_migrate(st, dir, &applied, &err) == LR_ERR_ARG);
    CHECK(strstr(err.message, "999") != NULL);
    remove(path);

    /* A directory that does not exist, and one without migrations. */
    CHECK(lr_store_migrate(st, "/nonexistent/schemas", &applied, &err) == LR_ERR_IO);
    CHECK(lr_store_check_schema(st, "/nonexistent/schemas", &err) == LR_ERR_IO);
    char empty[1100];
    snprintf(empty, sizeof empty, "%s/empty", dir);
    mkdir(empty, 0700);
    CHECK(lr_store_migrate(st, empty, &applied, &err) == LR_ERR_IO);
    rmdir(empty);

    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    CHECK(system(path) == 0);
    lr_store_close(&st);

    /* Two "db init" at once on a fresh database: both succeed, each migration runs once. */
    {
        lrt_db db2;
        CHECK(lrt_db_create("schema2", &db2) == 0);
        migrate_arg a[2] = {{.db = &db2}, {.db = &db2}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            pthread_create(&t[i], NULL, migrate_thread, &a[i]);
        for (int i = 0; i < 2; i++)
            pthread_join(t[i], NULL);
        for (int i = 0; i < 2; i++)
            CHECKF(a[i].rc == LR_OK, "thread %d: %s: %s", i, a[i].err.message, a[i].err.detail);
        CHECKF(a[0].applied + a[1].applied == nmig, "applied %d + %d", a[0].applied,
               a[1].applied);
        lr_store *s2 = lrt_store_open(&db2, false);
        CHECK(s2 && lrt_long(s2, "SELECT count(*) FROM schema_version") == nmig);
        lr_store_close(&s2);
        lrt_db_drop(&db2);
    }

out:
    lr_store_close(&st);
    lrt_db_drop(&db);
    return lr_test_finish("test_store_schema");
}
