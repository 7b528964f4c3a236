/* qa.c — what "landrec qa" needs of the database (store.h): the paths a run met each file
 * under, a loaded page's QA measures (saved with the page, pages.c), and a batch's pages and
 * files read back. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/utf8.h"
#include "store_internal.h"

int lr_store_note_file(lr_store *st, int64_t invocation_id, const char *path, const char *sha256,
                       int page_count, lr_error *err)
{
    if (!st || !path || !store_is_hex64(sha256))
        return lr_error_set(err, LR_ERR_ARG, "no database connection, path or checksum");
    if (invocation_id <= 0)
        return LR_OK;
    char *shown = lr_utf8_path_display(path);
    lr_strbuf raw = LR_STRBUF_INIT;
    store_bytea_hex(&raw, "\\x", path);
    int rc = LR_OK;
    if (!shown || raw.failed) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    store_params p = {0};
    p_int(&p, invocation_id);
    p_str(&p, sha256);
    p_str(&p, shown);
    p_str(&p, raw.data);
    if (page_count > 0)
        p_int(&p, page_count);
    else
        p_null(&p);
    PGresult *res = store_exec_retry(
        st,
        "INSERT INTO invocation_file (invocation_id, sha256, path, path_raw, page_count)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (invocation_id, path) DO NOTHING",
        &p, PGRES_COMMAND_OK, "record the file's path", err);
    if (!res)
        rc = LR_ERR_DB;
    PQclear(res);
done:
    free(shown);
    lr_strbuf_free(&raw);
    return rc;
}

int store_qa_save(lr_store *st, const char *run_id, const lr_qa_measures *m, lr_error *err)
{
    store_params p = {0};
    p_str(&p, run_id);
    p_real(&p, m->ink);
    p_real(&p, m->edge_ink);
    p_str(&p, lr_qa_edge_name(m->edge));
    char hex[LR_QA_PHASH_BITS / 4 + 1];
    lr_qa_hash_hex(&m->phash, hex);
    p_str(&p, hex);
    p_real(&p, m->residual_skew_deg);
    p_real(&p, m->residual_skew_conf);
    p_str(&p, m->orient_source);
    p_real(&p, m->orient_conf);
    return store_exec_cmd(
        st,
        "INSERT INTO page_qa (page_run_id, ink, edge_ink, edge, phash, residual_skew,"
        " residual_skew_conf, orient_source, orient_conf)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (page_run_id) DO UPDATE SET ink = EXCLUDED.ink,"
        " edge_ink = EXCLUDED.edge_ink, edge = EXCLUDED.edge, phash = EXCLUDED.phash,"
        " residual_skew = EXCLUDED.residual_skew,"
        " residual_skew_conf = EXCLUDED.residual_skew_conf,"
        " orient_source = EXCLUDED.orient_source, orient_conf = EXCLUDED.orient_conf",
        &p, "record the page's QA measures", err);
}

struct lr_store_qa {
    PGresult *pages_res, *files_res;
    lr_qa_page *pages;
    size_t npages;
    lr_qa_file *files;
    size_t nfiles;
    char **raw; /* the decoded path bytes, one per page then one per file */
    size_t nraw;
    long invocations;
};

void lr_store_qa_free(lr_store_qa **pq)
{
    if (!pq || !*pq)
        return;
    lr_store_qa *q = *pq;
    PQclear(q->pages_res);
    PQclear(q->files_res);
    free(q->pages);
    free(q->files);
    for (size_t i = 0; i < q->nraw; i++)
        free(q->raw[i]);
    free(q->raw);
    free(q);
    *pq = NULL;
}

lr_qa_page *lr_store_qa_pages(lr_store_qa *q, size_t *out_n)
{
    *out_n = q ? q->npages : 0;
    return q ? q->pages : NULL;
}

const lr_qa_file *lr_store_qa_files(const lr_store_qa *q, size_t *out_n)
{
    *out_n = q ? q->nfiles : 0;
    return q ? q->files : NULL;
}

long lr_store_qa_invocations(const lr_store_qa *q)
{
    return q ? q->invocations : 0;
}

/* The columns of the pages query, in order. */
enum {
    C_PATH,
    C_RAW,
    C_PAGE,
    C_STATUS,
    C_ERROR,
    C_DPI_X,
    C_DPI_Y,
    C_DPI_ASSUMED,
    C_BPS,
    C_SPP,
    C_COLOUR,
    C_DOC_TYPE,
    C_ORIENTATION,
    C_SKEW,
    C_SKEW_APPLIED,
    C_OSD_CONF,
    C_HAS_QA,
    C_INK,
    C_EDGE_INK,
    C_EDGE,
    C_PHASH,
    C_RESIDUAL,
    C_RESIDUAL_CONF,
    C_ORIENT_SOURCE,
    C_ORIENT_CONF,
};

static const char *const pages_sql = STORE_RECORDS_LATEST_SQL
    " SELECT pr.source_path, COALESCE(pr.source_path_raw, convert_to(pr.source_path, 'UTF8')),"
    " pr.page, pr.status, pr.error, pr.dpi_x, pr.dpi_y, pr.dpi_assumed, pr.bits_per_sample,"
    " pr.samples_per_pixel, pr.colour, rs.doc_type, pr.orientation, pr.skew_deg,"
    " pr.skew_applied, pr.orientation_conf, q.page_run_id IS NOT NULL, q.ink, q.edge_ink,"
    " q.edge, q.phash, q.residual_skew, q.residual_skew_conf, q.orient_source, q.orient_conf"
    " FROM latest l JOIN page_run pr ON pr.id = l.id"
    " LEFT JOIN record_sheet rs ON rs.page_run_id = pr.id"
    " LEFT JOIN page_qa q ON q.page_run_id = pr.id"
    " ORDER BY convert_to(pr.source_path, 'UTF8'), pr.page";

static const char *val(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static int ival(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : atoi(PQgetvalue(r, row, col));
}

static float fval(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NAN : strtof(PQgetvalue(r, row, col), NULL);
}

static bool bval(const PGresult *r, int row, int col)
{
    return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

static lr_qa_edge edge_of(const char *name)
{
    for (lr_qa_edge e = LR_QA_EDGE_TOP; e <= LR_QA_EDGE_RIGHT; e++)
        if (name && strcmp(name, lr_qa_edge_name(e)) == 0)
            return e;
    return LR_QA_EDGE_NONE;
}

/* The path's bytes of a bytea column, kept in q->raw; NULL when it cannot be decoded. */
static const char *keep_raw(lr_store_qa *q, const char *bytea_text)
{
    if (!bytea_text)
        return NULL;
    char *s = store_bytea_path(bytea_text);
    if (s)
        q->raw[q->nraw++] = s;
    return s;
}

static void fill_page(lr_store_qa *q, int row, lr_qa_page *p)
{
    const PGresult *r = q->pages_res;
    memset(p, 0, sizeof *p);
    p->path = val(r, row, C_PATH);
    p->path_raw = keep_raw(q, val(r, row, C_RAW));
    p->page = ival(r, row, C_PAGE);
    p->failed = strcmp(PQgetvalue(r, row, C_STATUS), "failed") == 0;
    p->error = val(r, row, C_ERROR);
    p->dpi_x = ival(r, row, C_DPI_X);
    p->dpi_y = ival(r, row, C_DPI_Y);
    p->dpi_assumed = bval(r, row, C_DPI_ASSUMED);
    p->bits_per_sample = ival(r, row, C_BPS);
    p->samples_per_pixel = ival(r, row, C_SPP);
    p->colour = val(r, row, C_COLOUR);
    p->doc_type = val(r, row, C_DOC_TYPE);
    p->orientation = ival(r, row, C_ORIENTATION);
    p->skew_deg = fval(r, row, C_SKEW);
    p->skew_applied = bval(r, row, C_SKEW_APPLIED);
    p->has_measures = bval(r, row, C_HAS_QA);
    if (!p->has_measures) {
        /* What is known without the measures: OSD's confidence (the caller measures the
         * rest from the file). */
        p->m.orient_conf = fval(r, row, C_OSD_CONF);
        return;
    }
    p->m.ink = fval(r, row, C_INK);
    p->m.edge_ink = fval(r, row, C_EDGE_INK);
    p->m.edge = edge_of(val(r, row, C_EDGE));
    lr_qa_hash_parse(PQgetvalue(r, row, C_PHASH), &p->m.phash);
    p->m.residual_skew_deg = fval(r, row, C_RESIDUAL);
    p->m.residual_skew_conf = fval(r, row, C_RESIDUAL_CONF);
    p->m.orient_source = val(r, row, C_ORIENT_SOURCE);
    p->m.orient_conf = fval(r, row, C_ORIENT_CONF);
}

int lr_store_qa_read(lr_store *st, const char *batch, lr_store_qa **out, lr_error *err)
{
    *out = NULL;
    if (!st || !batch)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no batch");
    int rc = store_ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    lr_store_qa *q = calloc(1, sizeof *q);
    if (!q)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    store_params p = {0};
    p_str(&p, batch);
    PGresult *res = store_exec_retry(st, "SELECT count(*) FROM invocation WHERE batch = $1", &p,
                                     PGRES_TUPLES_OK, "look up the batch", err);
    if (!res) {
        rc = LR_ERR_DB;
        goto fail;
    }
    q->invocations = atol(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!(q->pages_res = store_exec_retry(st, pages_sql, &p, PGRES_TUPLES_OK,
                                          "read the batch's pages", err)) ||
        !(q->files_res =
              store_exec_retry(st,
                               "SELECT DISTINCT f.sha256, f.path, f.path_raw, f.page_count,"
                               " convert_to(f.path, 'UTF8') AS path_bytes"
                               " FROM invocation_file f JOIN invocation i ON i.id = f.invocation_id"
                               " WHERE i.batch = $1 ORDER BY f.sha256, path_bytes",
                               &p, PGRES_TUPLES_OK, "read the batch's files", err))) {
        rc = LR_ERR_DB;
        goto fail;
    }
    size_t np = (size_t)PQntuples(q->pages_res), nf = (size_t)PQntuples(q->files_res);
    q->pages = calloc(np ? np : 1, sizeof *q->pages);
    q->files = calloc(nf ? nf : 1, sizeof *q->files);
    q->raw = calloc(np + nf + 1, sizeof *q->raw);
    if (!q->pages || !q->files || !q->raw) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < np; i++)
        fill_page(q, (int)i, &q->pages[i]);
    q->npages = np;
    for (size_t i = 0; i < nf; i++) {
        const PGresult *r = q->files_res;
        lr_qa_file *f = &q->files[i];
        f->sha256 = PQgetvalue(r, (int)i, 0);
        f->path = PQgetvalue(r, (int)i, 1);
        f->path_raw = keep_raw(q, val(r, (int)i, 2));
        f->page_count = ival(r, (int)i, 3);
    }
    q->nfiles = nf;
    *out = q;
    return LR_OK;
fail:
    lr_store_qa_free(&q);
    return rc;
}
