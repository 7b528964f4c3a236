/* review.c — the review round trip (records.h): the open review items out as a CSV and one
 * image of each cell, and the filled-in CSV back in as new, attributed value versions. */
#include <errno.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "landrec/log.h"
#include "landrec/records.h"
#include "landrec/utf8.h"
#include "store_internal.h"

static const char *const review_sql =
    STORE_RECORDS_LATEST_SQL
    " SELECT ri.id, l.source_path, l.page, l.id, f.section, f.row_no, f.field, f.raw,"
    "  f.value, f.conf, ri.reason, f.alternatives::text, f.x0, f.y0, f.x1, f.y1, "
    STORE_VIEW_PATH_SQL("l.id")
    " FROM latest l JOIN review_item ri ON ri.page_run_id = l.id AND ri.state = 'open'"
    " JOIN field_value f ON f.page_run_id = ri.page_run_id AND f.section = ri.section"
    "  AND f.row_no = ri.row_no AND f.field = ri.field"
    " ORDER BY l.source_path COLLATE \"C\", l.page, f.section, f.row_no, f.field";

static void csv_field(FILE *f, const char *s, bool last)
{
    fputc('"', f);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
    fputs(last ? "\r\n" : ",", f);
}

char *store_bytea_path(const char *bytea_text)
{
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)bytea_text, &n);
    char *path = raw && !memchr(raw, 0, n) ? malloc(n + 1) : NULL;
    if (path) {
        memcpy(path, raw, n);
        path[n] = '\0';
    }
    PQfreemem(raw);
    return path;
}

struct Pix *store_read_view(const char *bytea_text, const char *who)
{
    char *path = store_bytea_path(bytea_text);
    PIX *pix = path ? pixRead(path) : NULL;
    if (!pix) {
        char shown[1024];
        lr_log_warning("%s: could not read the view \"%s\"", who,
                       path ? lr_utf8_path_show(path, shown, sizeof shown) : "?");
    }
    free(path);
    return pix;
}

static const char *const csv_columns[] = {"item",   "source",       "page",  "run_id", "section",
                                          "row",    "field",        "raw",   "value",  "conf",
                                          "reason", "alternatives", "image", "correct"};
#define NCSV (sizeof csv_columns / sizeof *csv_columns)

/* The columns of csv_columns the import needs. */
enum { CSV_RUN_ID = 3, CSV_SECTION = 4, CSV_ROW = 5, CSV_FIELD = 6, CSV_CORRECT = 13 };

/* Columns of review_sql: the first twelve are the CSV's first twelve; then the cell's box and
 * the bytes of the view derivative's path. */
enum { R_ITEM = 0, R_CSV_COLUMNS = 12, R_X0 = 12, R_Y0, R_X1, R_Y1, R_VIEW };

/* Writes out_dir/item-<id>.png, the cell of review_sql's row cut from view with a margin of
 * half a cell height, which shows the neighbours and the ruling; image gets its file name, or
 * "" when it could not be written. */
static void write_crop(const PGresult *res, int row, PIX *view, const char *out_dir,
                       char image[256])
{
    int x0 = atoi(PQgetvalue(res, row, R_X0)), y0 = atoi(PQgetvalue(res, row, R_Y0));
    int x1 = atoi(PQgetvalue(res, row, R_X1)), y1 = atoi(PQgetvalue(res, row, R_Y1));
    int m = (y1 - y0) / 2;
    BOX *b = boxCreate(x0 - m, y0 - m, x1 - x0 + 2 * m, y1 - y0 + 2 * m);
    PIX *crop = b ? pixClipRectangle(view, b, NULL) : NULL;
    boxDestroy(&b);
    snprintf(image, 256, "item-%s.png", PQgetvalue(res, row, R_ITEM));
    char ipath[4400];
    snprintf(ipath, sizeof ipath, "%s/%s", out_dir, image);
    if (!crop || pixWrite(ipath, crop, IFF_PNG) != 0)
        image[0] = '\0';
    pixDestroy(&crop);
}

/* review_sql's rows as CSV lines and cell images; the view is read once for the rows of a
 * page. */
static long write_items(const PGresult *res, FILE *csv, const char *out_dir)
{
    PIX *view = NULL;
    char view_path[8400] = ""; /* bytea text: "\\x" and two hex digits a byte */
    long count = 0;
    for (int row = 0; row < PQntuples(res); row++) {
        char image[256] = "";
        const char *vp = PQgetisnull(res, row, R_VIEW) ? NULL : PQgetvalue(res, row, R_VIEW);
        if (vp && strcmp(vp, view_path) != 0) {
            pixDestroy(&view);
            snprintf(view_path, sizeof view_path, "%s", vp);
            view = store_read_view(vp, "review");
        }
        if (vp && view && !PQgetisnull(res, row, R_X0))
            write_crop(res, row, view, out_dir, image);
        for (int c = 0; c < R_CSV_COLUMNS; c++)
            csv_field(csv, PQgetisnull(res, row, c) ? "" : PQgetvalue(res, row, c), false);
        csv_field(csv, image, false);
        csv_field(csv, "", true);
        count++;
    }
    pixDestroy(&view);
    return count;
}

int lr_records_review_export(lr_store *st, const char *batch, const char *out_dir, long *out_count,
                             lr_error *err)
{
    if (out_count)
        *out_count = 0;
    if (!st || !out_dir)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output directory");
    int rc = LR_OK;
    long count = 0;
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
        return lr_error_set(err, LR_ERR_IO, "could not create \"%s\": %s", out_dir,
                            strerror(errno));
    char path[4200];
    snprintf(path, sizeof path, "%s/review.csv", out_dir);
    FILE *csv = fopen(path, "w");
    if (!csv)
        return lr_error_set(err, LR_ERR_IO, "could not write \"%s\": %s", path, strerror(errno));
    for (size_t c = 0; c < NCSV; c++)
        csv_field(csv, csv_columns[c], c + 1 == NCSV);
    store_params p = {0};
    p_str(&p, batch);
    PGresult *res = store_exec(st, review_sql, &p, PGRES_TUPLES_OK, "list the review items", err);
    if (res)
        count = write_items(res, csv, out_dir);
    else
        rc = LR_ERR_DB;
    if (fclose(csv) != 0 && rc == LR_OK)
        rc = lr_error_set(err, LR_ERR_IO, "could not write \"%s\"", path);
    PQclear(res);
    if (out_count)
        *out_count = count;
    return rc;
}

/* Reads one CSV record (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) into
 * fields; returns the number of fields, 0 at the end, -1 on a malformed record. */
static int csv_read(FILE *f, char fields[][1024], int max)
{
    int n = 0, c;
    size_t len = 0;
    bool quoted = false, any = false;
    fields[0][0] = '\0';
    while ((c = fgetc(f)) != EOF) {
        any = true;
        if (quoted) {
            if (c == '"') {
                int d = fgetc(f);
                if (d == '"') {
                    if (len + 1 < 1024)
                        fields[n][len++] = '"';
                    continue;
                }
                quoted = false;
                if (d == EOF)
                    break;
                c = d;
            } else {
                if (len + 1 < 1024)
                    fields[n][len++] = (char)c;
                continue;
            }
        }
        if (c == '"' && len == 0) {
            quoted = true;
        } else if (c == ',') {
            fields[n][len] = '\0';
            if (++n >= max)
                return -1;
            len = 0;
            fields[n][0] = '\0';
        } else if (c == '\n') {
            break;
        } else if (c != '\r') {
            if (len + 1 < 1024)
                fields[n][len++] = (char)c;
        }
    }
    if (!any)
        return 0;
    fields[n][len] = '\0';
    return n + 1;
}

/* col[k]: the position of csv_columns[k] in the header fields[0..n-1], or -1. */
static void find_columns(char fields[][1024], int n, int col[NCSV])
{
    for (size_t c = 0; c < NCSV; c++) {
        col[c] = -1;
        for (int k = 0; k < n; k++)
            if (strcmp(fields[k], csv_columns[c]) == 0)
                col[c] = k;
    }
}

/* One corrected row, in the open transaction: a new value version of the field, normalised
 * like the machine's reading (the reviewer may write the value "08" or the text as written
 * "垈"), and its review item resolved. */
static int import_row(lr_store *st, const lr_norm_tables *tables, char fields[][1024],
                      const int col[NCSV], const char *reviewer, const char *csv_path, int line,
                      lr_error *err)
{
    const char *correct = fields[col[CSV_CORRECT]];
    lr_field_kind kind;
    if (lr_field_kind_parse(fields[col[CSV_FIELD]], &kind) < 0)
        return lr_error_set(err, LR_ERR_FORMAT, "\"%s\" line %d: unknown field \"%s\"", csv_path,
                            line, fields[col[CSV_FIELD]]);
    char *value = NULL;
    float score = 0;
    const char *sec = fields[col[CSV_SECTION]];
    lr_section section = strcmp(sec, "land") == 0    ? LR_SECTION_LAND
                         : strcmp(sec, "owner") == 0 ? LR_SECTION_OWNER
                                                     : LR_SECTION_SHEET;
    lr_extract_normalize(tables, kind, section, correct, LR_DOC_UNKNOWN, NULL, &value, &score, NULL,
                         NULL, NULL);
    store_params p = {0};
    p_str(&p, fields[col[CSV_RUN_ID]]);
    p_str(&p, fields[col[CSV_SECTION]]);
    p_str(&p, fields[col[CSV_ROW]]);
    p_str(&p, fields[col[CSV_FIELD]]);
    p_str(&p, correct);
    p_str(&p, value ? value : correct);
    p_str(&p, reviewer);
    p_str(&p, csv_path);
    int rc = store_exec_cmd(
        st,
        "INSERT INTO value_version (page_run_id, section, row_no, field, version, raw, value,"
        " reviewer, source)"
        " SELECT $1::bigint, $2, $3::int, $4, COALESCE(max(version), 1) + 1, $5, $6, $7, $8"
        " FROM value_version WHERE page_run_id = $1::bigint AND section = $2"
        " AND row_no = $3::int AND field = $4",
        &p, "record a reviewed value", err);
    free(value);
    if (rc != LR_OK) {
        lr_error_hint(err, "\"%s\" line %d; nothing of the file was loaded.", csv_path, line);
        return rc;
    }
    p.n = 4; /* the item's key: run, section, row, field */
    return store_exec_cmd(st,
                          "UPDATE review_item SET state = 'resolved', resolved_at = now()"
                          " WHERE page_run_id = $1::bigint AND section = $2 AND row_no = $3::int"
                          " AND field = $4",
                          &p, "resolve the review item", err);
}

/* The rows after the header, in the open transaction; *count gets the corrections made. */
static int import_rows(lr_store *st, FILE *f, const lr_norm_tables *tables, char fields[][1024],
                       const int col[NCSV], const char *reviewer, const char *csv_path, long *count,
                       lr_error *err)
{
    int n, line = 1;
    while ((n = csv_read(f, fields, (int)NCSV + 4)) != 0) {
        line++;
        if (n < 0 || n <= col[CSV_CORRECT]) {
            if (n == 1 && !fields[0][0])
                continue; /* a blank line */
            return lr_error_set(err, LR_ERR_FORMAT, "\"%s\" line %d: too few columns", csv_path,
                                line);
        }
        if (!fields[col[CSV_CORRECT]][0])
            continue;
        int rc = import_row(st, tables, fields, col, reviewer, csv_path, line, err);
        if (rc != LR_OK)
            return rc;
        (*count)++;
    }
    return LR_OK;
}

int lr_records_review_import(lr_store *st, const char *csv_path, const char *reviewer,
                             long *out_count, lr_error *err)
{
    if (out_count)
        *out_count = 0;
    if (!st || !csv_path)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no CSV file");
    int rc = LR_OK;
    long count = 0;
    bool in_tx = false;
    static char fields[NCSV + 4][1024];
    int col[NCSV];
    lr_norm_tables *tables = NULL;
    FILE *f = fopen(csv_path, "r");
    if (!f)
        return lr_error_set(err, LR_ERR_IO, "could not read \"%s\": %s", csv_path,
                            strerror(errno));
    /* Corrections are normalised like readings, with the same tables. */
    if ((rc = lr_norm_tables_load(NULL, &tables, err)) < 0)
        goto done;
    find_columns(fields, csv_read(f, fields, (int)NCSV + 4), col);
    if (col[CSV_RUN_ID] < 0 || col[CSV_SECTION] < 0 || col[CSV_ROW] < 0 || col[CSV_FIELD] < 0 ||
        col[CSV_CORRECT] < 0) {
        rc = lr_error_set(err, LR_ERR_FORMAT, "\"%s\" is not a review CSV", csv_path);
        lr_error_hint(err, "Use the review.csv written by \"landrec review export\".");
        goto done;
    }
    if ((rc = store_exec_cmd(st, "BEGIN", NULL, "begin the import", err)) < 0)
        goto done;
    in_tx = true;
    rc = import_rows(st, f, tables, fields, col, reviewer, csv_path, &count, err);
    if (rc == LR_OK) {
        rc = store_exec_cmd(st, "COMMIT", NULL, "commit the review", err);
        in_tx = false;
    }
done:
    if (in_tx) {
        PQclear(PQexec(st->conn, "ROLLBACK"));
        count = 0;
    }
    fclose(f);
    lr_norm_tables_destroy(&tables);
    if (out_count)
        *out_count = rc == LR_OK ? count : 0;
    return rc;
}
