/* pages.c — one page's results: the done check before the work, and loading a page in one
 * transaction, so that it appears whole or not at all (store.h). Words and derivatives go
 * through one COPY each; the parcel record through records_save.c. */
#include <stdlib.h>
#include <string.h>

#include "landrec/clock.h"
#include "landrec/utf8.h"
#include "store_internal.h"

/* A page_run id as decimal text (a bigint), with room to spare. */
#define RUN_ID_SIZE 32

/* A path as the database keeps it (docs/schema.md): its display form (valid UTF-8, see utf8.h)
 * in a text column and its bytes in a bytea column, as two text parameters. */
typedef struct path_param {
    char *shown;
    lr_strbuf bytes; /* "\\x" and the hex digits */
} path_param;

static int path_param_make(const char *path, path_param *pp, lr_error *err)
{
    memset(pp, 0, sizeof *pp);
    pp->shown = lr_utf8_path_display(path);
    store_bytea_hex(&pp->bytes, "\\x", path);
    if (!pp->shown || pp->bytes.failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    return LR_OK;
}

static void path_param_free(path_param *pp)
{
    free(pp->shown);
    lr_strbuf_free(&pp->bytes);
}

int lr_store_claim_done(lr_store *st, int64_t invocation_id, const char *sha256, int page,
                        const char *settings_hash, bool *out_done, lr_error *err)
{
    store_params p = {0};

    if (out_done)
        *out_done = false;
    if (!st || !out_done)
        return lr_error_set(err, LR_ERR_ARG, "no database connection or no place for the answer");
    if (!store_is_hex64(settings_hash) || (sha256 && !store_is_hex64(sha256)) || page < 0)
        return lr_error_set(err, LR_ERR_ARG, "bad page key for the done check");
    if (!sha256) /* an unreadable file is never done */
        return LR_OK;
    int rc = store_ensure_connected(st, err);
    if (rc != LR_OK)
        return rc;
    p_str(&p, sha256);
    p_int(&p, page);
    p_str(&p, settings_hash);
    p_int(&p, invocation_id);
    /* One round trip: find the done run and, when the invocation is real, link it. */
    PGresult *res = store_exec_retry(
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
    if (!store_is_hex64(rec->settings_hash))
        return lr_error_set(err, LR_ERR_ARG, "page record of \"%s\" has no valid settings hash",
                            rec->source_path);
    if (rec->sha256 && !store_is_hex64(rec->sha256))
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
        const char *error = rec->error && *rec->error             ? rec->error
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

static void page_run_params(const lr_page_record *rec, const record_texts *t, store_params *p)
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

static int copy_words(lr_store *st, const char *run_id, const lr_page_record *rec, lr_strbuf *b,
                      lr_error *err)
{
    b->len = 0;
    for (size_t i = 0; i < rec->nwords; i++) {
        const lr_word *w = &rec->words[i];
        lr_strbuf_puts(b, run_id);
        lr_strbuf_putc(b, '\t');
        lr_strbuf_printf(b, "%zu", i);
        lr_strbuf_putc(b, '\t');
        store_copy_text(b, w->text ? w->text : "");
        lr_strbuf_putc(b, '\t');
        store_copy_real(b, w->conf);
        const int ints[7] = {w->x0, w->y0, w->x1, w->y1, w->block, w->par, w->line};
        for (int k = 0; k < 7; k++) {
            lr_strbuf_putc(b, '\t');
            lr_strbuf_printf(b, "%d", ints[k]);
        }
        lr_strbuf_putc(b, '\n');
    }
    if (b->failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the words");
    return store_copy_in(st,
                         "COPY word (page_run_id, n, text, conf, x0, y0, x1, y1, block, par, line)"
                         " FROM STDIN",
                         b, "load the words", err);
}

static int copy_derivatives(lr_store *st, const char *run_id, const lr_page_record *rec,
                            lr_strbuf *b, lr_error *err)
{
    b->len = 0;
    for (size_t i = 0; i < rec->nderivatives; i++) {
        const lr_derivative *d = &rec->derivatives[i];
        char *shown = lr_utf8_path_display(d->path);
        if (!shown)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the derivatives");
        lr_strbuf_puts(b, run_id);
        lr_strbuf_putc(b, '\t');
        store_copy_text(b, d->kind);
        lr_strbuf_putc(b, '\t');
        store_copy_text(b, shown);
        free(shown);
        lr_strbuf_putc(b, '\t');
        store_bytea_hex(b, "\\\\x", d->path);
        lr_strbuf_putc(b, '\t');
        store_copy_text(b, d->sha256[0] ? d->sha256 : NULL);
        lr_strbuf_putc(b, '\t');
        if (d->bytes >= 0)
            lr_strbuf_printf(b, "%lld", (long long)d->bytes);
        else
            lr_strbuf_puts(b, "\\N");
        lr_strbuf_putc(b, '\n');
    }
    if (b->failed)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory preparing the derivatives");
    return store_copy_in(
        st, "COPY derivative (page_run_id, kind, path, path_raw, sha256, bytes) FROM STDIN", b,
        "load the derivatives", err);
}

/* The source file's row, when the page has a checksum: its first path stays, a size unknown
 * so far is filled in. */
static int save_source_file(lr_store *st, const lr_page_record *rec, const record_texts *t,
                            lr_error *err)
{
    store_params p = {0};
    p_str(&p, rec->sha256);
    if (rec->file_size >= 0)
        p_int(&p, rec->file_size);
    else
        p_null(&p);
    p_str(&p, t->source.shown);
    p_str(&p, t->source.bytes.data);
    return store_exec_cmd(
        st,
        "INSERT INTO source_file AS f (sha256, size, first_path, first_path_raw)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO UPDATE"
        " SET size = EXCLUDED.size WHERE f.size IS NULL AND EXCLUDED.size IS NOT NULL",
        &p, "record the source file", err);
}

/* The key is done already with these settings: the done run stays as it is. run_id gets its
 * id; *saved says whether this very invocation loaded it (linked to it as 'done'), as when
 * the answer to its COMMIT was lost with the connection and it saves the page again. */
static int find_done_run(lr_store *st, const lr_page_record *rec, const record_texts *t,
                         char run_id[RUN_ID_SIZE], lr_save_outcome *saved, lr_error *err)
{
    store_params p = {0};
    p_str(&p, rec->sha256);
    p_str(&p, t->source.shown);
    p_int(&p, rec->page);
    p_str(&p, rec->settings_hash);
    PGresult *res =
        store_exec(st,
                   "SELECT id FROM page_run WHERE file_key = COALESCE($1, 'path:' || $2)"
                   " AND page = $3 AND settings_hash = $4",
                   &p, PGRES_TUPLES_OK, "find the done page", err);
    if (!res || PQntuples(res) != 1) {
        int rc = res ? lr_error_set(err, LR_ERR_INTERNAL, "the done page vanished") : LR_ERR_DB;
        PQclear(res);
        return rc;
    }
    snprintf(run_id, RUN_ID_SIZE, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    *saved = LR_SAVE_ALREADY_DONE;
    if (rec->invocation_id <= 0)
        return LR_OK;
    p.n = 0;
    p_int(&p, rec->invocation_id);
    p_str(&p, run_id);
    res = store_exec(st,
                     "SELECT 1 FROM invocation_page WHERE invocation_id = $1"
                     " AND page_run_id = $2 AND outcome = 'done'",
                     &p, PGRES_TUPLES_OK, "look up the done page's link", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) > 0)
        *saved = LR_SAVE_ALREADY_OURS;
    PQclear(res);
    return LR_OK;
}

/* A done page's words, derivatives and parcel record for run run_id. retried: an earlier
 * attempt of the run failed; whatever it left is removed first. */
static int load_results(lr_store *st, const lr_page_record *rec, const char *run_id, bool retried,
                        lr_error *err)
{
    int rc = LR_OK;
    lr_strbuf buf = LR_STRBUF_INIT;
    if (retried) {
        store_params p = {0};
        p_str(&p, run_id);
        rc = store_exec_cmd(st, "DELETE FROM word WHERE page_run_id = $1", &p, "remove old words",
                            err);
        if (rc == LR_OK)
            rc = store_exec_cmd(st, "DELETE FROM derivative WHERE page_run_id = $1", &p,
                                "remove old derivatives", err);
    }
    if (rc == LR_OK && rec->nwords > 0)
        rc = copy_words(st, run_id, rec, &buf, err);
    if (rc == LR_OK && rec->nderivatives > 0)
        rc = copy_derivatives(st, run_id, rec, &buf, err);
    if (rc == LR_OK && rec->sheet)
        rc = store_records_save(st, run_id, rec->sheet, retried, err);
    if (rc == LR_OK && rec->qa)
        rc = store_qa_save(st, run_id, rec->qa, err);
    lr_strbuf_free(&buf);
    return rc;
}

/* The failure's entry in the failure log (page_failure), from the run's row. */
static int record_failure(lr_store *st, const lr_page_record *rec, const char *run_id,
                          lr_error *err)
{
    store_params p = {0};
    p_str(&p, run_id);
    if (rec->invocation_id > 0)
        p_int(&p, rec->invocation_id);
    else
        p_null(&p);
    return store_exec_cmd(st,
                          "INSERT INTO page_failure (page_run_id, invocation_id, source_path,"
                          " source_path_raw, error_code, error)"
                          " SELECT id, $2, source_path, source_path_raw, error_code, error"
                          " FROM page_run"
                          " WHERE id = $1",
                          &p, "record the failure", err);
}

/* Links the run to the invocation with outcome "done", "failed" or "skipped". A page this
 * invocation loaded stays "done" for it even if it sees it again. */
static int link_invocation(lr_store *st, int64_t invocation_id, const char *run_id,
                           const char *outcome, lr_error *err)
{
    store_params p = {0};
    p_int(&p, invocation_id);
    p_str(&p, run_id);
    p_str(&p, outcome);
    return store_exec_cmd(st,
                          "INSERT INTO invocation_page AS ip (invocation_id, page_run_id, outcome)"
                          " VALUES ($1, $2, $3) ON CONFLICT (invocation_id, page_run_id)"
                          " DO UPDATE SET outcome = EXCLUDED.outcome"
                          " WHERE EXCLUDED.outcome <> 'skipped'",
                          &p, "link the page to the invocation", err);
}

/* The load's own time since t_begin, up to the commit, so the per-stage figures include it. */
static int record_load_time(lr_store *st, const char *run_id, double t_begin, lr_error *err)
{
    char ms[32];
    snprintf(ms, sizeof ms, "%.3f", lr_clock_ms() - t_begin);
    store_params p = {0};
    p_str(&p, run_id);
    p_str(&p, ms);
    return store_exec_cmd(st, "UPDATE page_run SET load_ms = $2 WHERE id = $1", &p,
                          "record the load time", err);
}

/* Inside the open transaction: everything of the page up to the COMMIT. *saved says what was
 * done. */
static int save_in_transaction(lr_store *st, const lr_page_record *rec, const record_texts *t,
                               double t_begin, lr_save_outcome *saved, lr_error *err)
{
    int rc = LR_OK;
    char run_id[RUN_ID_SIZE] = "";
    const char *outcome;

    if (rec->sha256 && (rc = save_source_file(st, rec, t, err)) != LR_OK)
        return rc;

    store_params p = {0};
    page_run_params(rec, t, &p);
    PGresult *res =
        store_exec(st, upsert_page_run_sql, &p, PGRES_TUPLES_OK, "record the page", err);
    if (!res)
        return LR_ERR_DB;
    if (PQntuples(res) == 0) {
        /* Already done with these settings: keep it as it is, only note that we saw it. */
        PQclear(res);
        rc = find_done_run(st, rec, t, run_id, saved, err);
        outcome = "skipped";
    } else {
        snprintf(run_id, sizeof run_id, "%s", PQgetvalue(res, 0, 0));
        bool retried = atoi(PQgetvalue(res, 0, 1)) > 1;
        PQclear(res);
        rc = rec->failed ? record_failure(st, rec, run_id, err)
                         : load_results(st, rec, run_id, retried, err);
        outcome = rec->failed ? "failed" : "done";
    }
    if (rc == LR_OK && rec->invocation_id > 0)
        rc = link_invocation(st, rec->invocation_id, run_id, outcome, err);
    if (rc == LR_OK && strcmp(outcome, "done") == 0)
        rc = record_load_time(st, run_id, t_begin, err);
    return rc;
}

int lr_store_save_page(lr_store *st, const lr_page_record *rec, lr_save_outcome *out_outcome,
                       lr_error *err)
{
    double t_begin = lr_clock_ms();
    int rc = LR_OK;
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
        rc = store_ensure_connected(st, err);
    if (rc != LR_OK) {
        record_texts_free(&texts);
        return rc;
    }

    rc = store_begin(st, err);
    if (rc == LR_OK)
        rc = save_in_transaction(st, rec, &texts, t_begin, &saved, err);
    if (rc == LR_OK)
        rc = store_exec_cmd(st, "COMMIT", NULL, "commit the page", err);
    if (rc == LR_OK && out_outcome)
        *out_outcome = saved;
    if (rc != LR_OK) {
        store_rollback_quietly(st->conn);
        if (err && err->code == LR_ERR_DB && !err->hint[0])
            lr_error_hint(err, "Nothing of \"%s\" page %d was stored.",
                          texts.source.shown ? texts.source.shown : "?", rec->page);
    }
    record_texts_free(&texts);
    return rc;
}
