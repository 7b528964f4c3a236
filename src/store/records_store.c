/* records_store.c — parcel records in PostgreSQL: COPY inside the page's transaction, the
 * records export, review export and import (records.h). */
#include "landrec/records.h"

#include <errno.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "landrec/log.h"
#include "landrec/utf8.h"

/* ---- small libpq helpers -------------------------------------------------------------- */

static int pq_error(lr_error *err, PGconn *conn, const PGresult *res, const char *what)
{
    lr_error_set(err, LR_ERR_DB, "could not %s", what);
    const char *m = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    if (m && *m) {
        char d[512];
        snprintf(d, sizeof d, "%s", m);
        size_t n = strlen(d);
        while (n && (d[n - 1] == '\n' || d[n - 1] == ' '))
            d[--n] = '\0';
        lr_error_detail(err, "%s", d);
    }
    return LR_ERR_DB;
}

static int exec(PGconn *conn, const char *sql, int n, const char *const *v, const char *what,
                lr_error *err)
{
    PGresult *r = PQexecParams(conn, sql, n, NULL, v, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    int rc = (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) ? LR_OK
                                                             : pq_error(err, conn, r, what);
    PQclear(r);
    return rc;
}

typedef struct sbuf {
    char *data;
    size_t len, cap;
    bool failed;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
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

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        sb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A COPY text-format value; NULL is \N. */
static void sb_copy(sbuf *b, const char *s)
{
    if (!s) {
        sb_put(b, "\\N", 2);
        return;
    }
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '\\': sb_put(b, "\\\\", 2); break;
        case '\t': sb_put(b, "\\t", 2); break;
        case '\n': sb_put(b, "\\n", 2); break;
        case '\r': sb_put(b, "\\r", 2); break;
        default: sb_put(b, p, 1); break;
        }
    }
}

static int copy_in(PGconn *conn, const char *sql, const sbuf *b, const char *what, lr_error *err)
{
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        int rc = pq_error(err, conn, r, what);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    int rc = LR_OK;
    bool sent = b->len == 0 || PQputCopyData(conn, b->data, (int)b->len) == 1;
    if (PQputCopyEnd(conn, sent ? NULL : "landrec could not send the records") != 1)
        rc = pq_error(err, conn, NULL, what);
    while ((r = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == LR_OK)
            rc = pq_error(err, conn, r, what);
        PQclear(r);
    }
    return rc;
}

/* ---- save ----------------------------------------------------------------------------- */

static void put_field(sbuf *b, const char *run_id, const char *section, size_t row,
                      const char *name, const lr_field *f)
{
    if (!f->present)
        return;
    json_t *alts = json_array();
    for (int i = 0; alts && i < f->nalt; i++)
        json_array_append_new(alts, json_pack("{s:s, s:f}", "value", f->alt[i].value, "score",
                                              (double)f->alt[i].score));
    char *aj = alts ? json_dumps(alts, JSON_COMPACT) : NULL;
    json_decref(alts);
    float conf = f->conf < 0 ? 0 : f->conf > 100 ? 100 : f->conf;
    sb_printf(b, "%s\t%s\t%zu\t%s\t", run_id, section, row, name);
    sb_copy(b, f->raw ? f->raw : "");
    sb_put(b, "\t", 1);
    sb_copy(b, f->value);
    sb_printf(b, "\t%.2f\t%s\t", (double)conf, f->review ? "t" : "f");
    sb_copy(b, f->reason[0] ? f->reason : NULL);
    sb_printf(b, "\t%s\t", f->reread ? "t" : "f");
    sb_copy(b, aj ? aj : "[]");
    sb_printf(b, "\t%d\t%d\t%d\t%d\n", f->x0, f->y0, f->x1, f->y1);
    free(aj);
}

int lr_records_save(struct pg_conn *conn, const char *run_id, const struct lr_sheet *sheet,
                    bool replace, lr_error *err)
{
    int rc = LR_OK;
    sbuf b = {0};
    if (!conn || !run_id || !sheet)
        return lr_error_set(err, LR_ERR_ARG, "no connection, run or sheet");
    const char *v[8];
    v[0] = run_id;
    if (replace && (rc = exec(conn, "DELETE FROM record_sheet WHERE page_run_id = $1", 1, v,
                              "remove the old records", err)) < 0)
        goto done;
    char cells[16], reread[16], nreview[16], nland[16], nown[16];
    snprintf(cells, sizeof cells, "%d", sheet->cells);
    snprintf(reread, sizeof reread, "%d", sheet->cells_reread);
    snprintf(nreview, sizeof nreview, "%d", sheet->nreview);
    snprintf(nland, sizeof nland, "%zu", sheet->nland);
    snprintf(nown, sizeof nown, "%zu", sheet->nowners);
    v[1] = lr_doc_type_name(sheet->doc_type);
    v[2] = sheet->doc_type_forced ? "t" : "f";
    v[3] = sheet->form[0] ? sheet->form : NULL;
    v[4] = cells;
    v[5] = reread;
    v[6] = nreview;
    if ((rc = exec(conn,
                   "INSERT INTO record_sheet (page_run_id, doc_type, doc_type_forced, form,"
                   " cells, cells_reread, nreview) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   7, v, "record the sheet", err)) < 0)
        goto done;
    if ((rc = exec(conn,
                   "INSERT INTO land_history (page_run_id, row_no)"
                   " SELECT $1, generate_series(0, $2::int - 1)",
                   2, (const char *const[]){run_id, nland}, "record the land history",
                   err)) < 0 ||
        (rc = exec(conn,
                   "INSERT INTO owner_history (page_run_id, row_no)"
                   " SELECT $1, generate_series(0, $2::int - 1)",
                   2, (const char *const[]){run_id, nown}, "record the owner history", err)) < 0)
        goto done;

    put_field(&b, run_id, "sheet", 0, "location", &sheet->location);
    put_field(&b, run_id, "sheet", 0, "lot", &sheet->lot);
    put_field(&b, run_id, "sheet", 0, "category", &sheet->category);
    put_field(&b, run_id, "sheet", 0, "area", &sheet->area);
    put_field(&b, run_id, "sheet", 0, "grade", &sheet->grade);
    for (size_t r = 0; r < sheet->nland; r++) {
        const lr_land_row *l = &sheet->land[r];
        put_field(&b, run_id, "land", r, "date", &l->date);
        put_field(&b, run_id, "land", r, "event", &l->event);
        put_field(&b, run_id, "land", r, "category", &l->category);
        put_field(&b, run_id, "land", r, "area", &l->area);
        put_field(&b, run_id, "land", r, "grade", &l->grade);
    }
    for (size_t r = 0; r < sheet->nowners; r++) {
        const lr_owner_row *o = &sheet->owners[r];
        put_field(&b, run_id, "owner", r, "date", &o->date);
        put_field(&b, run_id, "owner", r, "event", &o->event);
        put_field(&b, run_id, "owner", r, "address", &o->address);
        put_field(&b, run_id, "owner", r, "name", &o->name);
    }
    if (b.failed) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the records");
        goto done;
    }
    if (b.len && (rc = copy_in(conn,
                               "COPY field_value (page_run_id, section, row_no, field, raw, value,"
                               " conf, review, reason, reread, alternatives, x0, y0, x1, y1)"
                               " FROM STDIN",
                               &b, "load the field values", err)) < 0)
        goto done;
    if (sheet->nlineage) {
        b.len = 0;
        for (size_t i = 0; i < sheet->nlineage; i++) {
            const lr_lineage *e = &sheet->lineage[i];
            sb_printf(&b, "%s\t%zu\t", run_id, i);
            sb_copy(&b, e->kind);
            sb_put(&b, "\t", 1);
            sb_copy(&b, e->from_lot);
            sb_put(&b, "\t", 1);
            sb_copy(&b, e->to_lot);
            sb_printf(&b, "\t%d\n", e->row);
        }
        if (b.failed ||
            (rc = copy_in(conn,
                          "COPY parcel_lineage (page_run_id, n, kind, from_lot, to_lot, row_no)"
                          " FROM STDIN",
                          &b, "load the lineage", err)) < 0) {
            if (b.failed)
                rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the lineage");
            goto done;
        }
    }
    if (sheet->nreview)
        rc = exec(conn,
                  "INSERT INTO review_item (page_run_id, section, row_no, field, reason)"
                  " SELECT page_run_id, section, row_no, field, COALESCE(reason, 'flagged')"
                  " FROM field_value WHERE page_run_id = $1 AND review",
                  1, v, "open the review items", err);
done:
    free(b.data);
    return rc;
}

/* ---- export --------------------------------------------------------------------------- */

/* The latest run per (file, page), as the page export chooses them (docs/export.md). */
#define LATEST_SQL                                                                             \
    "WITH latest AS ("                                                                         \
    "  SELECT DISTINCT ON (pr.file_key, pr.page) pr.id, pr.source_path, pr.page"               \
    "  FROM page_run pr"                                                                       \
    "  WHERE $1::text IS NULL OR EXISTS ("                                                     \
    "    SELECT 1 FROM invocation_page ip JOIN invocation i ON i.id = ip.invocation_id"        \
    "    WHERE ip.page_run_id = pr.id AND i.batch = $1)"                                       \
    "  ORDER BY pr.file_key, pr.page, pr.updated_at DESC, pr.id DESC)"

/* A field with the latest reviewed version applied. */
#define FIELD_SQL                                                                              \
    " FROM field_value f LEFT JOIN LATERAL (SELECT vv.value FROM value_version vv"             \
    "   WHERE vv.page_run_id = f.page_run_id AND vv.section = f.section"                      \
    "   AND vv.row_no = f.row_no AND vv.field = f.field ORDER BY vv.version DESC LIMIT 1) v"   \
    "   ON true"

static const char *const records_sql =
    LATEST_SQL
    " SELECT l.id, l.source_path, l.page, s.doc_type,"
    "  (SELECT json_agg(json_build_object('s', f.section, 'r', f.row_no, 'f', f.field,"
    "     'raw', f.raw, 'value', CASE WHEN v.value IS NOT NULL THEN v.value ELSE f.value END,"
    "     'conf', CASE WHEN v.value IS NOT NULL THEN 100 ELSE f.conf END,"
    "     'review', f.review AND v.value IS NULL) ORDER BY f.section, f.row_no, f.field)"
    FIELD_SQL " WHERE f.page_run_id = l.id)"
    " FROM latest l JOIN record_sheet s ON s.page_run_id = l.id"
    " ORDER BY l.source_path COLLATE \"C\", l.page";

static json_t *field_json(json_t *f)
{
    json_t *conf = json_object_get(f, "conf");
    double c = json_number_value(conf);
    /* Confidence as a whole-ish number: two decimals are noise to a reader. */
    return json_pack("{s:O, s:O, s:f, s:O}", "raw", json_object_get(f, "raw"), "value",
                     json_object_get(f, "value"), "conf", (double)((long)(c * 10 + 0.5)) / 10,
                     "review", json_object_get(f, "review"));
}

static const char *const sheet_keys[] = {"location", "lot", "category", "area", "grade"};
static const char *const land_keys[] = {"date", "event", "category", "area", "grade"};
static const char *const owner_keys[] = {"date", "event", "address", "name"};

static json_t *record_json(const PGresult *res, int row)
{
    json_t *o = json_object();
    json_object_set_new(o, "source", json_string(PQgetvalue(res, row, 1)));
    json_object_set_new(o, "page", json_integer(atoi(PQgetvalue(res, row, 2))));
    json_object_set_new(o, "doc_type", json_string(PQgetvalue(res, row, 3)));
    json_object_set_new(o, "run_id", json_integer(atoll(PQgetvalue(res, row, 0))));
    for (size_t k = 0; k < 5; k++)
        json_object_set_new(o, sheet_keys[k], json_null());
    json_t *land = json_array(), *owners = json_array();
    json_error_t jerr;
    json_t *fields = PQgetisnull(res, row, 4) ? NULL : json_loads(PQgetvalue(res, row, 4), 0, &jerr);
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        const char *sec = json_string_value(json_object_get(f, "s"));
        const char *name = json_string_value(json_object_get(f, "f"));
        size_t r = (size_t)json_integer_value(json_object_get(f, "r"));
        if (!sec || !name)
            continue;
        if (strcmp(sec, "sheet") == 0) {
            json_object_set_new(o, name, field_json(f));
            continue;
        }
        bool is_land = strcmp(sec, "land") == 0;
        json_t *arr = is_land ? land : owners;
        const char *const *keys = is_land ? land_keys : owner_keys;
        size_t nkeys = is_land ? 5 : 4;
        while (json_array_size(arr) <= r) {
            json_t *rowobj = json_object();
            for (size_t k = 0; k < nkeys; k++)
                json_object_set_new(rowobj, keys[k], json_null());
            json_array_append_new(arr, rowobj);
        }
        json_object_set_new(json_array_get(arr, r), name, field_json(f));
    }
    json_decref(fields);
    json_object_set_new(o, "land_history", land);
    json_object_set_new(o, "owner_history", owners);
    return o;
}

int lr_records_export(lr_store *st, const char *batch, FILE *out, long *out_count,
                      lr_error *err)
{
    if (out_count)
        *out_count = 0;
    PGconn *conn = st ? (PGconn *)lr_store_conn(st) : NULL;
    if (!conn || !out)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output");
    int rc = LR_OK;
    long count = 0;
    const char *v[1] = {batch};
    if (!PQsendQueryParams(conn, records_sql, 1, NULL, v, NULL, NULL, 0))
        return pq_error(err, conn, NULL, "export the records");
    PQsetSingleRowMode(conn);
    PGresult *res;
    while ((res = PQgetResult(conn)) != NULL) {
        ExecStatusType s = PQresultStatus(res);
        if (s == PGRES_SINGLE_TUPLE || s == PGRES_TUPLES_OK) {
            for (int row = 0; rc == LR_OK && row < PQntuples(res); row++) {
                json_t *o = record_json(res, row);
                char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
                json_decref(o);
                if (!line || fprintf(out, "%s\n", line) < 0)
                    rc = lr_error_set(err, line ? LR_ERR_IO : LR_ERR_NOMEM,
                                      "could not write the records export");
                free(line);
                count++;
            }
        } else if (rc == LR_OK) {
            rc = pq_error(err, conn, res, "export the records");
        }
        PQclear(res);
    }
    if (rc == LR_OK && fflush(out) != 0)
        rc = lr_error_set(err, LR_ERR_IO, "could not write the records export");
    if (out_count)
        *out_count = count;
    return rc;
}

/* ---- review --------------------------------------------------------------------------- */

static const char *const review_sql =
    LATEST_SQL
    " SELECT ri.id, l.source_path, l.page, l.id, f.section, f.row_no, f.field, f.raw,"
    "  f.value, f.conf, ri.reason, f.alternatives::text, f.x0, f.y0, f.x1, f.y1,"
    "  (SELECT COALESCE(d.path_raw, convert_to(d.path, 'UTF8')) FROM derivative d"
    "   WHERE d.page_run_id = l.id AND d.kind = 'view' ORDER BY d.path LIMIT 1)"
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

/* The view derivative named by its path's bytes (derivative.path_raw, as bytea text): the
 * directory may have a name that is not UTF-8. NULL (and a warning) when it cannot be read. */
static PIX *read_view(const char *bytea_text)
{
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)bytea_text, &n);
    char *path = raw ? malloc(n + 1) : NULL;
    PIX *pix = NULL;
    if (path) {
        memcpy(path, raw, n);
        path[n] = '\0';
        pix = pixRead(path);
    }
    if (!pix) {
        char shown[1024];
        lr_log_warning("review: could not read the view \"%s\"",
                       path ? lr_utf8_path_show(path, shown, sizeof shown) : "?");
    }
    PQfreemem(raw);
    free(path);
    return pix;
}

static const char *const csv_columns[] = {"item", "source", "page", "run_id", "section", "row",
                                          "field", "raw", "value", "conf", "reason",
                                          "alternatives", "image", "correct"};
#define NCSV (sizeof csv_columns / sizeof *csv_columns)

int lr_records_review_export(lr_store *st, const char *batch, const char *out_dir,
                             long *out_count, lr_error *err)
{
    if (out_count)
        *out_count = 0;
    PGconn *conn = st ? (PGconn *)lr_store_conn(st) : NULL;
    if (!conn || !out_dir)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no output directory");
    int rc = LR_OK;
    PGresult *res = NULL;
    FILE *csv = NULL;
    PIX *view = NULL;
    char view_path[8400] = ""; /* bytea text: "\\x" and two hex digits a byte */
    long count = 0;
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST)
        return lr_error_set(err, LR_ERR_IO, "could not create \"%s\": %s", out_dir,
                            strerror(errno));
    char path[4200];
    snprintf(path, sizeof path, "%s/review.csv", out_dir);
    if (!(csv = fopen(path, "w")))
        return lr_error_set(err, LR_ERR_IO, "could not write \"%s\": %s", path, strerror(errno));
    for (size_t c = 0; c < NCSV; c++)
        csv_field(csv, csv_columns[c], c + 1 == NCSV);
    const char *v[1] = {batch};
    res = PQexecParams(conn, review_sql, 1, NULL, v, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = pq_error(err, conn, res, "list the review items");
        goto done;
    }
    for (int row = 0; row < PQntuples(res); row++) {
        char image[256] = "";
        const char *vp = PQgetisnull(res, row, 16) ? NULL : PQgetvalue(res, row, 16);
        if (vp && strcmp(vp, view_path) != 0) {
            pixDestroy(&view);
            snprintf(view_path, sizeof view_path, "%s", vp);
            view = read_view(vp);
        }
        if (vp && view && !PQgetisnull(res, row, 12)) {
            int x0 = atoi(PQgetvalue(res, row, 12)), y0 = atoi(PQgetvalue(res, row, 13));
            int x1 = atoi(PQgetvalue(res, row, 14)), y1 = atoi(PQgetvalue(res, row, 15));
            /* A margin of half a cell height shows the neighbours and the ruling. */
            int m = (y1 - y0) / 2;
            BOX *b = boxCreate(x0 - m, y0 - m, x1 - x0 + 2 * m, y1 - y0 + 2 * m);
            PIX *crop = b ? pixClipRectangle(view, b, NULL) : NULL;
            boxDestroy(&b);
            snprintf(image, sizeof image, "item-%s.png", PQgetvalue(res, row, 0));
            char ipath[4400];
            snprintf(ipath, sizeof ipath, "%s/%s", out_dir, image);
            if (!crop || pixWrite(ipath, crop, IFF_PNG) != 0)
                image[0] = '\0';
            pixDestroy(&crop);
        }
        const int cols[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
            csv_field(csv, PQgetisnull(res, row, cols[c]) ? "" : PQgetvalue(res, row, cols[c]),
                      false);
        csv_field(csv, image, false);
        csv_field(csv, "", true);
        count++;
    }
done:
    if (csv && fclose(csv) != 0 && rc == LR_OK)
        rc = lr_error_set(err, LR_ERR_IO, "could not write \"%s\"", path);
    pixDestroy(&view);
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

int lr_records_review_import(lr_store *st, const char *csv_path, const char *reviewer,
                             long *out_count, lr_error *err)
{
    if (out_count)
        *out_count = 0;
    PGconn *conn = st ? (PGconn *)lr_store_conn(st) : NULL;
    if (!conn || !csv_path)
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
    int n = csv_read(f, fields, (int)NCSV + 4);
    for (size_t c = 0; c < NCSV; c++) {
        col[c] = -1;
        for (int k = 0; k < n; k++)
            if (strcmp(fields[k], csv_columns[c]) == 0)
                col[c] = k;
    }
    /* run_id, section, row, field and correct are what the import needs. */
    if (col[3] < 0 || col[4] < 0 || col[5] < 0 || col[6] < 0 || col[13] < 0) {
        rc = lr_error_set(err, LR_ERR_FORMAT, "\"%s\" is not a review CSV", csv_path);
        lr_error_hint(err, "Use the review.csv written by \"landrec review export\".");
        goto done;
    }
    if ((rc = exec(conn, "BEGIN", 0, NULL, "begin the import", err)) < 0)
        goto done;
    in_tx = true;
    int line = 1;
    while ((n = csv_read(f, fields, (int)NCSV + 4)) != 0) {
        line++;
        if (n < 0 || n <= col[13]) {
            if (n == 1 && !fields[0][0])
                continue; /* a blank line */
            rc = lr_error_set(err, LR_ERR_FORMAT, "\"%s\" line %d: too few columns", csv_path,
                              line);
            goto done;
        }
        const char *correct = fields[col[13]];
        if (!correct[0])
            continue;
        lr_field_kind kind;
        if (lr_field_kind_parse(fields[col[6]], &kind) < 0) {
            rc = lr_error_set(err, LR_ERR_FORMAT, "\"%s\" line %d: unknown field \"%s\"",
                              csv_path, line, fields[col[6]]);
            goto done;
        }
        /* The reviewer may write the value ("08") or the text as written ("垈"). */
        char *value = NULL;
        float score = 0;
        const char *sec = fields[col[4]];
        lr_section section = strcmp(sec, "land") == 0    ? LR_SECTION_LAND
                             : strcmp(sec, "owner") == 0 ? LR_SECTION_OWNER
                                                         : LR_SECTION_SHEET;
        lr_extract_normalize(tables, kind, section, correct, LR_DOC_UNKNOWN, NULL, &value, &score,
                             NULL, NULL, NULL);
        const char *v[7] = {fields[col[3]], fields[col[4]], fields[col[5]], fields[col[6]],
                            correct, value ? value : correct, reviewer};
        char src[4200];
        snprintf(src, sizeof src, "%s", csv_path);
        const char *vv[8] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], src};
        PGresult *r = PQexecParams(
            conn,
            "INSERT INTO value_version (page_run_id, section, row_no, field, version, raw, value,"
            " reviewer, source)"
            " SELECT $1::bigint, $2, $3::int, $4, COALESCE(max(version), 1) + 1, $5, $6, $7, $8"
            " FROM value_version WHERE page_run_id = $1::bigint AND section = $2"
            " AND row_no = $3::int AND field = $4",
            8, NULL, vv, NULL, NULL, 0);
        free(value);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            rc = pq_error(err, conn, r, "record a reviewed value");
            lr_error_hint(err, "\"%s\" line %d; nothing of the file was loaded.", csv_path, line);
            PQclear(r);
            goto done;
        }
        PQclear(r);
        if ((rc = exec(conn,
                       "UPDATE review_item SET state = 'resolved', resolved_at = now()"
                       " WHERE page_run_id = $1::bigint AND section = $2 AND row_no = $3::int"
                       " AND field = $4",
                       4, v, "resolve the review item", err)) < 0)
            goto done;
        count++;
    }
    rc = exec(conn, "COMMIT", 0, NULL, "commit the review", err);
    in_tx = false;
done:
    if (in_tx) {
        PGresult *r = PQexec(conn, "ROLLBACK");
        PQclear(r);
        count = 0;
    }
    fclose(f);
    lr_norm_tables_destroy(&tables);
    if (out_count)
        *out_count = rc == LR_OK ? count : 0;
    return rc;
}
