/* pipeline.c — one file through every stage, page by page (see pipeline.h). */
#include "landrec/pipeline.h"

#include <errno.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "landrec/clock.h"
#include "landrec/decode.h"
#include "landrec/log.h"
#include "landrec/orient.h"
#include "landrec/pageread.h"
#include "landrec/qa.h"
#include "landrec/utf8.h"

/* Bump when a change in landrec itself changes what a run produces: it makes a new run. */
#define LR_PIPELINE_VERSION 4

void lr_pipeline_options_default(lr_pipeline_options *out_opts)
{
    memset(out_opts, 0, sizeof *out_opts);
    lr_ocr_options_default(&out_opts->ocr);
    lr_enhance_options_default(&out_opts->enhance);
    lr_image_limits_default(&out_opts->limits);
    out_opts->detect_orientation = true;
    out_opts->records = true;
    out_opts->doc_type = LR_DOC_AUTO;
}

const char *lr_pipeline_forms_dir(const lr_pipeline_options *opts, char *buf, size_t size)
{
    if (opts && opts->forms_dir)
        return opts->forms_dir;
    const char *env = getenv("LR_FORMS_DIR");
    if (env && *env)
        return env;
    snprintf(buf, size, "%s/forms", lr_store_default_schema_dir());
    return buf;
}

/* What changes the records: the templates and the normalisers' tables (by checksum), the
 * document type, the extraction defaults. */
static int describe_records(const lr_pipeline_options *opts, char *buf, size_t size,
                            lr_error *err)
{
    if (!opts->records) {
        snprintf(buf, size, "none");
        return LR_OK;
    }
    char dirbuf[4200];
    lr_forms *forms = NULL;
    lr_norm_tables *tables = NULL;
    lr_decode_tables *grammars = NULL;
    int rc = lr_forms_load(lr_pipeline_forms_dir(opts, dirbuf, sizeof dirbuf), &forms, err);
    if (rc < 0)
        goto done;
    if ((rc = lr_norm_tables_load(NULL, &tables, err)) < 0 ||
        (rc = lr_decode_tables_load(lr_norm_tables_dir(tables), &grammars, err)) < 0)
        goto done;
    lr_extract_options eo;
    lr_extract_options_default(&eo);
    char review[64];
    if ((rc = lr_extract_review_describe(NULL, review, sizeof review, err)) < 0)
        goto done;
    snprintf(buf, size,
             "extract/3 forms=%s tables=%s variants=%s %s doc_type=%s threshold=%g reuse=%g "
             "budget=%g/%d",
             forms->digest, lr_norm_tables_digest(tables), lr_decode_tables_digest(grammars),
             review,
             lr_doc_type_name(opts->doc_type), (double)eo.threshold, (double)eo.reuse_conf,
             (double)eo.budget_pct, eo.max_rereads);
done:
    lr_forms_destroy(&forms);
    lr_norm_tables_destroy(&tables);
    lr_decode_tables_destroy(&grammars);
    return rc;
}

int lr_pipeline_settings(const lr_pipeline_options *opts, char **out_json,
                         char out_hash[LR_SHA256_HEX_LEN + 1], lr_error *err)
{
    *out_json = NULL;
    out_hash[0] = '\0';
    int rc = LR_OK;
    char *models = NULL, *lept = NULL;
    json_t *root = NULL;
    if (!opts)
        return lr_error_set(err, LR_ERR_ARG, "no pipeline options");
    models = lr_ocr_models_describe(&opts->ocr, err);
    if (!models) {
        rc = err && err->code ? err->code : LR_ERR_OCR;
        goto done;
    }
    char enhance[512], records[512];
    lr_enhance_options_describe(&opts->enhance, enhance, sizeof enhance);
    if ((rc = describe_records(opts, records, sizeof records, err)) < 0)
        goto done;
    lept = getLeptonicaVersion();
    /* "orientation_ruling", "orientation_fallback": the rules that decide before OSD and when
     * it is unsure (orient.h); a new rule makes new runs. */
    root = json_pack("{s:i, s:{s:s, s:i, s:s, s:s, s:s}, s:s, s:s, s:b, s:i, s:s, s:s, s:s, s:s}",
                     "pipeline",
                     LR_PIPELINE_VERSION, "ocr", "lang",
                     opts->ocr.lang ? opts->ocr.lang : LR_OCR_DEFAULT_LANG, "psm", opts->ocr.psm,
                     "engine", lr_ocr_engine_version(), "models", models, "invert_threshold",
                     LR_OCR_INVERT_THRESHOLD, "leptonica",
                     lept ? lept : "unknown", "enhance", enhance, "orientation",
                     (int)opts->detect_orientation, "osd_dpi", LR_OCR_OSD_DPI,
                     "orientation_ruling",
                     opts->detect_orientation ? LR_ORIENT_RULING_RULE : "none",
                     "orientation_fallback", opts->detect_orientation ? LR_ORIENT_FALLBACK : "none",
                     "records", records, "read",
                     opts->whole_page ? "whole" : LR_PAGEREAD_VERSION);
    if (!root) {
        rc = lr_error_set(err, LR_ERR_INTERNAL, "could not describe the settings");
        goto done;
    }
    /* Sorted, compact keys: the same settings always give the same bytes and hash. */
    *out_json = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    if (!*out_json) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory describing the settings");
        goto done;
    }
    lr_digest_buffer(*out_json, strlen(*out_json), out_hash);
done:
    json_decref(root);
    free(models);
    if (lept)
        lept_free(lept);
    return rc;
}

int lr_pipeline_derivative_path(const char *out_dir, const char *sha256, const char *settings_hash,
                                int page, const char *suffix, char *buf, size_t size)
{
    if (size)
        buf[0] = '\0';
    if (!out_dir || !sha256 || strlen(sha256) < 2 || !settings_hash || !suffix)
        return LR_ERR_ARG;
    int n = snprintf(buf, size, "%s/%.2s/%s/%.12s/p%04d.%s", out_dir, sha256, sha256,
                     settings_hash, page, suffix);
    return (n < 0 || (size_t)n >= size) ? LR_ERR_ARG : LR_OK;
}

static int make_dirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int r = mkdir(path, 0777);
        *p = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return (mkdir(path, 0777) == 0 || errno == EEXIST) ? 0 : -1;
}

/* Writes data to path through a temporary name and rename, so a derivative is whole or absent,
 * and fills *d with its checksum. */
static int write_derivative(const char *path, const char *kind, const void *data, size_t size,
                            lr_derivative *d, lr_error *err)
{
    char dir[4096], tmp[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        if (make_dirs(dir) != 0)
            return lr_error_set(err, LR_ERR_IO, "could not create directory \"%s\": %s", dir,
                                strerror(errno));
    }
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return lr_error_set(err, LR_ERR_IO, "could not write \"%s\": %s", tmp, strerror(errno));
    size_t written = fwrite(data, 1, size, f);
    int closed = fclose(f);
    if (written != size || closed != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return lr_error_set(err, LR_ERR_IO, "could not write \"%s\": %s", path, strerror(e));
    }
    d->kind = kind;
    d->path = path;
    d->bytes = (int64_t)size;
    lr_digest_buffer(data, size, d->sha256);
    return LR_OK;
}

static int write_pix_derivative(PIX *pix, int format, const char *path, const char *kind,
                                lr_derivative *d, lr_error *err)
{
    l_uint8 *data = NULL;
    size_t size = 0;
    if (pixWriteMem(&data, &size, pix, format) != 0 || !data)
        return lr_error_set(err, LR_ERR_IO, "could not encode the %s derivative", kind);
    int rc = write_derivative(path, kind, data, size, d, err);
    lept_free(data);
    return rc;
}

typedef struct page_paths {
    char view[4200], binary[4200], hocr[4200], text[4200];
} page_paths;

static int write_derivatives(const lr_worker *w, const char *sha256, int page,
                             const lr_enhanced *enh, const lr_ocr_result *res, page_paths *paths,
                             lr_derivative out_d[4], size_t *out_n, lr_error *err)
{
    *out_n = 0;
    const char *dir = w->opts->out_dir;
    const char *set = w->settings_hash;
    int rc;
    if ((rc = lr_pipeline_derivative_path(dir, sha256, set, page, "view.jpg", paths->view,
                                          sizeof paths->view)) < 0 ||
        (rc = lr_pipeline_derivative_path(dir, sha256, set, page, "bin.tif", paths->binary,
                                          sizeof paths->binary)) < 0 ||
        (rc = lr_pipeline_derivative_path(dir, sha256, set, page, "hocr", paths->hocr,
                                          sizeof paths->hocr)) < 0 ||
        (rc = lr_pipeline_derivative_path(dir, sha256, set, page, "txt", paths->text,
                                          sizeof paths->text)) < 0)
        return lr_error_set(err, LR_ERR_ARG, "output directory path too long");
    /* The view keeps grey or colour (red ink matters) as JPEG: small, for people to look at.
     * The binary page is the one the OCR read, losslessly, in G4. */
    if ((rc = write_pix_derivative(enh->view, IFF_JFIF_JPEG, paths->view, "view", &out_d[0],
                                   err)) < 0)
        return rc;
    if ((rc = write_pix_derivative(enh->ocr_binary, IFF_TIFF_G4, paths->binary, "binary", &out_d[1],
                                   err)) < 0)
        return rc;
    const char *hocr = res->hocr ? res->hocr : "";
    const char *text = res->text ? res->text : "";
    if ((rc = write_derivative(paths->hocr, "hocr", hocr, strlen(hocr), &out_d[2], err)) < 0)
        return rc;
    if ((rc = write_derivative(paths->text, "text", text, strlen(text), &out_d[3], err)) < 0)
        return rc;
    *out_n = 4;
    return LR_OK;
}

static bool connection_lost(const lr_worker *w)
{
    return !lr_store_connected(w->store);
}

/* Saves rec and says what became of the page. A save cut off by a lost connection was rolled
 * back by the server: it is made again once the store has reconnected (waiting as its policy
 * allows), a few times at most should the server keep going away. Then a page found already
 * done and linked to this invocation as 'done' is the earlier try's COMMIT, whose answer was
 * lost: loaded here. Other errors are returned as they are, the connection being usable. */
static int save_page(const lr_worker *w, const lr_page_record *rec, lr_page_outcome *out,
                     lr_error *err)
{
    *out = rec->failed ? LR_PAGE_FAILED : LR_PAGE_DONE;
    lr_save_outcome saved = LR_SAVE_LOADED;
    lr_error e;
    lr_error_clear(&e);
    int rc = lr_store_save_page(w->store, rec, &saved, &e);
    bool repeated = false;
    for (int tries = 1; rc < 0 && connection_lost(w) && tries <= 5; tries++) {
        if ((rc = lr_store_reconnect(w->store, &e)) < 0)
            break;
        lr_log_warning("%s page %d: saving again, the connection having been lost during the "
                       "save",
                       rec->source_path, rec->page);
        rc = lr_store_save_page(w->store, rec, &saved, &e);
        repeated = true;
    }
    if (rc < 0) {
        if (!connection_lost(w)) {
            if (err)
                *err = e;
            return rc;
        }
        char reason[1024];
        lr_error_format(&e, reason, sizeof reason);
        rc = lr_error_set(err, LR_ERR_DB, "lost the database connection");
        lr_error_detail(err, "%s", reason);
        lr_error_hint(err, "\"%s\" page %d was not stored; run again to continue.",
                      rec->source_path, rec->page);
        return rc;
    }
    switch (saved) {
    case LR_SAVE_LOADED:
    case LR_SAVE_FAILED:
        break;
    case LR_SAVE_ALREADY_OURS:
        /* Before a repeated save, only another worker of this invocation (the same bytes
         * under another path) can have loaded it. */
        if (!repeated)
            *out = LR_PAGE_DONE_ELSEWHERE;
        break;
    case LR_SAVE_ALREADY_DONE:
        *out = LR_PAGE_DONE_ELSEWHERE;
        break;
    }
    return LR_OK;
}

/* Saves a failure of (sha256 or path, page). A failure to save it is fatal for the worker.
 * A page another run has loaded meanwhile is reported done elsewhere, not failed. */
static int record_failure(const lr_worker *w, lr_page_record *rec, const lr_error *perr,
                          lr_page_callback cb, void *cb_ctx, lr_error *err)
{
    char msg[1024];
    lr_error_format(perr, msg, sizeof msg);
    rec->failed = true;
    rec->error_code = lr_status_name(perr->code);
    rec->error = msg;
    rec->words = NULL;
    rec->nwords = 0;
    rec->derivatives = NULL;
    rec->nderivatives = 0;
    rec->text = NULL;
    rec->sheet = NULL;
    lr_page_outcome outcome = LR_PAGE_FAILED;
    int rc = save_page(w, rec, &outcome, err);
    if (rc < 0)
        return rc;
    if (outcome == LR_PAGE_DONE_ELSEWHERE)
        lr_log_info("%s page %d failed here (%s), but another run has loaded it", rec->source_path,
                    rec->page, msg);
    if (cb)
        cb(cb_ctx, rec->page, rec->page_count, outcome, outcome == LR_PAGE_FAILED ? msg : NULL);
    return LR_OK;
}

int lr_worker_open(const lr_pipeline_options *opts, lr_store *store, const char *settings_hash,
                   int64_t invocation_id, lr_worker *out, lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->store = store;
    out->opts = opts;
    out->settings_hash = settings_hash;
    out->invocation_id = invocation_id;
    return lr_ocr_new(&opts->ocr, &out->ocr, err);
}

/* The form templates and the extractor, made on the first page that reaches the extract
 * stage. Cells are read again in the page's languages, and in those the templates name: all
 * loaded now, so that no later page pays for loading them. */
static int worker_extract_tools(lr_worker *w, lr_error *err)
{
    int rc = LR_OK;
    if (!w->forms) {
        char dirbuf[4200];
        rc = lr_forms_load(lr_pipeline_forms_dir(w->opts, dirbuf, sizeof dirbuf), &w->forms,
                           err);
    }
    if (rc == LR_OK && !w->extractor) {
        lr_extract_options eo;
        lr_extract_options_default(&eo);
        eo.lang = w->opts->ocr.lang;
        eo.datapath = w->opts->ocr.datapath;
        rc = lr_extract_new(&eo, &w->extractor, err);
        if (rc == LR_OK && (rc = lr_extract_preload(w->extractor, w->forms, err)) < 0)
            lr_extract_destroy(&w->extractor);
    }
    return rc;
}

void lr_worker_close(lr_worker *w)
{
    if (!w)
        return;
    lr_extract_destroy(&w->extractor);
    lr_forms_destroy(&w->forms);
    lr_ocr_destroy(&w->ocr);
}

/* The stages a worker's page goes through, as the run's options ask. */
static void page_options(const lr_worker *w, const char *path, lr_page_options *po)
{
    lr_page_options_default(po);
    po->last = w->opts->records ? LR_PAGE_STAGE_EXTRACT : LR_PAGE_STAGE_READ;
    po->detect_orientation = w->opts->detect_orientation;
    po->enhance = &w->opts->enhance;
    po->whole_page = w->opts->whole_page;
    po->doc_type = w->opts->doc_type;
    po->name = path;
}

/* Puts into rec (borrowing from pg) what the stages made of the page, as far as they got. */
static void note_page(lr_page_record *rec, const lr_page *pg)
{
    rec->info = pg->info.width > 0 ? &pg->info : NULL;
    rec->times.decode_ms = pg->times.decode_ms;
    rec->times.orient_ms = pg->times.orient_ms;
    rec->times.enhance_ms = pg->times.enhance_ms;
    rec->times.ocr_ms = pg->times.read_ms;
    rec->times.extract_ms = pg->times.extract_ms;
    if (pg->done >= LR_PAGE_STAGE_ORIENT) {
        rec->orientation = pg->orientation.deg;
        rec->orientation_conf = pg->orientation.osd_conf;
    }
    if (pg->done >= LR_PAGE_STAGE_ENHANCE) {
        rec->skew_deg = pg->enhanced.skew_deg;
        rec->skew_conf = pg->enhanced.skew_conf;
        rec->skew_applied = pg->enhanced.skew_applied;
    }
    if (pg->done >= LR_PAGE_STAGE_READ) {
        rec->mean_conf = pg->read.mean_conf;
        rec->text = pg->read.text;
        rec->words = pg->read.words;
        rec->nwords = pg->read.nwords;
    }
    if (pg->done >= LR_PAGE_STAGE_EXTRACT)
        rec->sheet = &pg->sheet;
}

/* The measures of the acceptance checks (qa.h) of an enhanced page, into *m for rec. A page
 * that cannot be measured is loaded without them ("landrec qa" measures it from its file). */
static void note_qa(lr_page_record *rec, const lr_page *pg, bool oriented, lr_qa_measures *m)
{
    lr_error qerr;
    lr_error_clear(&qerr);
    if (pg->done < LR_PAGE_STAGE_ENHANCE || lr_qa_measure(&pg->enhanced, pg->dpi, m, &qerr) < 0) {
        if (qerr.code)
            lr_log_warning("%s page %d: no QA measures: %s", rec->source_path, rec->page,
                           qerr.message);
        return;
    }
    const lr_orientation *o = &pg->orientation;
    if (oriented) {
        m->orient_source = lr_orient_source_name(o->source);
        /* The confidence of what decided; of an unsure page, the better of the two tries. */
        m->orient_conf = o->source == LR_ORIENT_OSD      ? o->osd_conf
                         : o->source == LR_ORIENT_LINES  ? o->evidence
                         : o->source == LR_ORIENT_RULING ? o->ruling_conf
                         : o->evidence > o->osd_conf     ? o->evidence
                                                         : o->osd_conf;
    } else {
        m->orient_conf = NAN; /* orientation not detected: taken as upright, nothing to check */
    }
    rec->qa = m;
}

/* Fault injection for the test suite: a pause between the done check and the save, so that
 * two runs over the same files overlap on every page. Unset: no pause. */
static void pause_before_save(void)
{
    const char *delay = getenv("LANDREC_TEST_DELAY_SAVE_MS");
    long delay_ms = delay && *delay ? strtol(delay, NULL, 10) : 0;
    if (delay_ms > 0)
        nanosleep(
            &(struct timespec){.tv_sec = delay_ms / 1000, .tv_nsec = (delay_ms % 1000) * 1000000L},
            NULL);
}

/* Writes the page's derivatives and saves it. A derivative that cannot be written, or rows
 * the server refuses, make the page a failure, recorded; only a lost connection is returned
 * as an error. */
static int store_page(const lr_worker *w, lr_page_record *rec, lr_page *pg, lr_page_callback cb,
                      void *cb_ctx, lr_error *err)
{
    int rc = LR_OK;
    lr_error perr;
    lr_error_clear(&perr);
    page_paths *paths = NULL;
    lr_derivative derivs[4];
    size_t nderivs = 0;

    double t = lr_clock_ms();
    if (w->opts->out_dir) {
        paths = malloc(sizeof *paths);
        if (!paths) {
            lr_error_set(&perr, LR_ERR_NOMEM, "out of memory");
            goto failed;
        }
        if (write_derivatives(w, rec->sha256, rec->page, &pg->enhanced, &pg->read, paths, derivs,
                              &nderivs, &perr) < 0)
            goto failed;
        rec->derivatives = derivs;
        rec->nderivatives = nderivs;
    }
    lr_enhanced_clear(&pg->enhanced);
    rec->times.write_ms = lr_clock_ms() - t;

    pause_before_save();
    t = lr_clock_ms();
    lr_page_outcome outcome = LR_PAGE_DONE;
    if (save_page(w, rec, &outcome, &perr) < 0) {
        if (connection_lost(w)) { /* save_page waited for the server in vain */
            if (err)
                *err = perr;
            rc = perr.code;
            goto done;
        }
        /* The server refused this page's rows (bad data): record why, as a failure. */
        goto failed;
    }
    char shown[1024];
    lr_log_debug("%s page %d: decode %.0f ms, orient %.0f, enhance %.0f, ocr %.0f, extract %.1f, "
                 "write %.0f, load %.0f",
                 lr_utf8_path_show(rec->source_path, shown, sizeof shown), rec->page,
                 rec->times.decode_ms, rec->times.orient_ms, rec->times.enhance_ms,
                 rec->times.ocr_ms, rec->times.extract_ms, rec->times.write_ms, lr_clock_ms() - t);
    if (cb)
        cb(cb_ctx, rec->page, rec->page_count, outcome, NULL);
    goto done;

failed:
    rc = record_failure(w, rec, &perr, cb, cb_ctx, err);
done:
    free(paths);
    return rc;
}

/* One page: skipped when done with these settings, else through the stages (page.h) and
 * stored, or its failure recorded. */
static int process_page(lr_worker *w, lr_source *src, int page, lr_page_callback cb,
                        void *cb_ctx, lr_error *err)
{
    const char *sha = lr_source_sha256(src);
    lr_page_record rec = {
        .invocation_id = w->invocation_id,
        .source_path = lr_source_path(src),
        .sha256 = sha,
        .file_size = lr_source_size(src),
        .page = page,
        .page_count = lr_source_page_count(src),
        .settings_hash = w->settings_hash,
    };
    bool done = false;
    int rc =
        lr_store_claim_done(w->store, w->invocation_id, sha, page, w->settings_hash, &done, err);
    if (rc < 0)
        return rc;
    if (done) {
        if (cb)
            cb(cb_ctx, page, rec.page_count, LR_PAGE_SKIPPED, NULL);
        return LR_OK;
    }

    lr_page_options po;
    page_options(w, rec.source_path, &po);
    lr_page_tools tools = {.ocr = w->ocr};
    lr_page pg;
    lr_error perr;
    lr_error_clear(&perr);
    /* Up to the read stage, then the extract stage with the worker's extractor, made when a
     * page first needs it (its set-up is not the page's extract time). */
    bool extract = po.last == LR_PAGE_STAGE_EXTRACT;
    po.last = LR_PAGE_STAGE_READ;
    int prc = lr_page_process(&tools, &po, src, page, &pg, &perr);
    if (prc == LR_OK && extract && (prc = worker_extract_tools(w, &perr)) == LR_OK) {
        tools.extractor = w->extractor;
        tools.forms = w->forms;
        po.last = LR_PAGE_STAGE_EXTRACT;
        prc = lr_page_process_decoded(&tools, &po, &pg, &perr);
    }
    note_page(&rec, &pg);
    lr_qa_measures qa;
    if (prc >= 0)
        note_qa(&rec, &pg, po.detect_orientation, &qa);
    if (prc < 0) {
        rc = record_failure(w, &rec, &perr, cb, cb_ctx, err);
    } else {
        lr_layout_clear(&pg.layout); /* the store takes the sheet; the layout is done with */
        rc = store_page(w, &rec, &pg, cb, cb_ctx, err);
    }
    lr_page_clear(&pg);
    return rc;
}

/* Opens path; when it cannot be, records the whole file's failure (page 0) and reports it
 * through cb, and *out_src stays NULL. The return value is an error only when the failure
 * could not be recorded (the database is lost). */
static int open_source(lr_worker *w, const char *path, lr_source **out_src, lr_page_callback cb,
                       void *cb_ctx, lr_error *err)
{
    char sha[LR_SHA256_HEX_LEN + 1] = "";
    lr_error perr;
    *out_src = NULL;
    int orc = lr_image_open(path, &w->opts->limits, out_src, sha, &perr);
    if (orc == LR_OK)
        return LR_OK;
    lr_page_record rec = {
        .invocation_id = w->invocation_id,
        .source_path = path,
        .sha256 = sha[0] ? sha : NULL,
        .file_size = -1,
        .page = 0,
        .settings_hash = w->settings_hash,
    };
    struct stat st;
    if (stat(path, &st) == 0)
        rec.file_size = (int64_t)st.st_size;
    return record_failure(w, &rec, &perr, cb, cb_ctx, err);
}

int lr_pipeline_process_page(lr_worker *w, const char *path, const char *sha256, int page,
                             int *out_page_count, lr_page_callback cb, void *cb_ctx,
                             lr_error *err)
{
    lr_source *src = NULL;
    if (out_page_count)
        *out_page_count = 0;
    if (!w || !path || page < 0)
        return lr_error_set(err, LR_ERR_ARG, "no worker or path, or a negative page");
    int rc = open_source(w, path, &src, cb, cb_ctx, err);
    if (rc < 0 || !src)
        return rc;
    int n = lr_source_page_count(src);
    if (out_page_count)
        *out_page_count = n;
    /* Every path the file is met under, so that "landrec qa" sees a file delivered twice. */
    rc = lr_store_note_file(w->store, w->invocation_id, path, lr_source_sha256(src), n, err);
    if (rc < 0) {
        lr_image_close(&src);
        return rc;
    }
    char msg[256];
    if (sha256 && *sha256 && strcmp(sha256, lr_source_sha256(src)) != 0) {
        /* Not recorded as the page's run: its key would be the new bytes'. */
        snprintf(msg, sizeof msg, "the file changed since it was enqueued (checksum %.12s…, "
                 "now %.12s…); enqueue it again", sha256, lr_source_sha256(src));
        if (cb)
            cb(cb_ctx, page, n, LR_PAGE_FAILED, msg);
    } else if (page > n) {
        snprintf(msg, sizeof msg, "page %d does not exist: the file has %d page%s", page, n,
                 n == 1 ? "" : "s");
        if (cb)
            cb(cb_ctx, page, n, LR_PAGE_FAILED, msg);
    } else if (page > 0) {
        rc = process_page(w, src, page, cb, cb_ctx, err);
    }
    lr_image_close(&src);
    return rc;
}
