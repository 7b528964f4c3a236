/* pipeline.c — one file through every stage, page by page (see pipeline.h). */
#include "landrec/pipeline.h"

#include <errno.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "landrec/clock.h"
#include "landrec/log.h"
#include "landrec/orient.h"
#include "landrec/pageread.h"
#include "landrec/utf8.h"

/* Bump when a change in landrec itself changes what a run produces: it makes a new run. */
#define LR_PIPELINE_VERSION 3

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
    int rc = lr_forms_load(lr_pipeline_forms_dir(opts, dirbuf, sizeof dirbuf), &forms, err);
    if (rc < 0)
        goto done;
    if ((rc = lr_norm_tables_load(NULL, &tables, err)) < 0)
        goto done;
    lr_extract_options eo;
    lr_extract_options_default(&eo);
    snprintf(buf, size,
             "extract/2 forms=%s tables=%s doc_type=%s threshold=%g reuse=%g budget=%g/%d",
             forms->digest, lr_norm_tables_digest(tables), lr_doc_type_name(opts->doc_type),
             (double)eo.threshold, (double)eo.reuse_conf, (double)eo.budget_pct,
             eo.max_rereads);
done:
    lr_forms_destroy(&forms);
    lr_norm_tables_destroy(&tables);
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
    /* "orientation_fallback": the rule that decides when OSD is unsure (orient.h); a new
     * rule makes new runs. */
    root = json_pack("{s:i, s:{s:s, s:i, s:s, s:s}, s:s, s:s, s:b, s:i, s:s, s:s, s:s}",
                     "pipeline",
                     LR_PIPELINE_VERSION, "ocr", "lang",
                     opts->ocr.lang ? opts->ocr.lang : LR_OCR_DEFAULT_LANG, "psm", opts->ocr.psm,
                     "engine", lr_ocr_engine_version(), "models", models, "leptonica",
                     lept ? lept : "unknown", "enhance", enhance, "orientation",
                     (int)opts->detect_orientation, "osd_dpi", LR_OCR_OSD_DPI,
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

/* The worker's extractor and templates when the batch driver gave none: made once per
 * process, on the first page that needs them, and kept (reachable) until the process ends. */
static lr_extractor *process_extractor;
static lr_forms *process_forms;

static int get_extractor(const lr_worker *w, lr_extractor **out_ex, const lr_forms **out_forms,
                         lr_error *err)
{
    *out_ex = w->extractor ? w->extractor : process_extractor;
    *out_forms = w->forms ? w->forms : process_forms;
    if (!*out_forms) {
        char dirbuf[4200];
        int rc = lr_forms_load(lr_pipeline_forms_dir(w->opts, dirbuf, sizeof dirbuf),
                               &process_forms, err);
        if (rc < 0)
            return rc;
        *out_forms = process_forms;
    }
    if (!*out_ex) {
        lr_extract_options eo;
        lr_extract_options_default(&eo);
        eo.lang = w->opts->ocr.lang;
        eo.datapath = w->opts->ocr.datapath;
        int rc = lr_extract_new(&eo, &process_extractor, err);
        if (rc == LR_OK)
            rc = lr_extract_preload(process_extractor, *out_forms, err);
        if (rc < 0)
            return rc;
        *out_ex = process_extractor;
    }
    return LR_OK;
}

/* The extract stage: layout of the page, then the fields of a ledger. A page of another type
 * gets a sheet without fields, so its document type is still recorded. */
static int extract_page(const lr_worker *w, const lr_enhanced *enh, int dpi,
                        const lr_ocr_result *res, const lr_table *table, lr_sheet *sheet,
                        lr_error *err)
{
    lr_extractor *ex = NULL;
    const lr_forms *forms = NULL;
    lr_layout lay = {0};
    int rc = get_extractor(w, &ex, &forms, err);
    if (rc == LR_OK)
        rc = lr_extract_layout(ex, enh->binary, dpi, res, w->opts->whole_page ? NULL : table,
                               forms, w->opts->doc_type, &lay, err);
    if (rc == LR_OK && lr_doc_type_has_records(lay.doc_type)) {
        rc = lr_extract_sheet(ex, enh->binary, dpi, &lay, res, sheet, err);
    } else if (rc == LR_OK) {
        memset(sheet, 0, sizeof *sheet);
        sheet->doc_type = lay.doc_type;
        sheet->doc_type_forced = lay.doc_type_forced;
    }
    lr_layout_clear(&lay);
    return rc;
}

static int process_page(const lr_worker *w, lr_source *src, int page, lr_page_callback cb,
                        void *cb_ctx, lr_error *err)
{
    int rc = LR_OK;
    PIX *pix = NULL;
    lr_enhanced enh = {0};
    lr_ocr_result res = {0};
    lr_table table = {0}; /* the OCR stage's, reused by the layout */
    lr_sheet sheet = {0};
    lr_page_info info;
    lr_error perr;
    page_paths *paths = NULL;
    lr_derivative derivs[4];
    size_t nderivs = 0;
    memset(&info, 0, sizeof info);
    lr_error_clear(&perr);

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
    if ((rc = lr_store_claim_done(w->store, w->invocation_id, sha, page, w->settings_hash, &done,
                                  err)) < 0)
        goto done;
    if (done) {
        if (cb)
            cb(cb_ctx, page, rec.page_count, LR_PAGE_SKIPPED, NULL);
        goto done;
    }

    double t = lr_clock_ms();
    int prc = lr_image_read_page(src, page, &pix, &info, &perr);
    rec.times.decode_ms = lr_clock_ms() - t;
    rec.info = info.width > 0 ? &info : NULL;
    if (prc < 0)
        goto failed;
    int dpi = info.dpi_x > 0 ? info.dpi_x : LR_IMAGE_FALLBACK_DPI;

    t = lr_clock_ms();
    int orientation = 0;
    float orientation_conf = 0;
    if (w->opts->detect_orientation) {
        /* OSD, and the text-line fallback when OSD is unsure (orient.h). The confidence kept
         * is OSD's: below LR_OCR_MIN_ORIENT_CONF with a turn means the fallback turned it. */
        lr_orientation o;
        prc = lr_orient_detect(w->ocr, pix, dpi, NULL, &o, &perr);
        if (prc < 0)
            goto failed;
        orientation = o.deg;
        orientation_conf = o.osd_conf;
        char shown[1024];
        if (o.fallback_ran)
            lr_log_debug("%s page %d: orientation %d by %s (OSD %.2f; lines %d:%d, evidence "
                         "%.2f, %.0f ms)",
                         lr_utf8_path_show(rec.source_path, shown, sizeof shown), page, o.deg,
                         lr_orient_source_name(o.source), (double)o.osd_conf, o.votes_first,
                         o.votes_second, (double)o.evidence, o.fallback_ms);
    }
    rec.times.orient_ms = lr_clock_ms() - t;
    rec.orientation = orientation;
    rec.orientation_conf = orientation_conf;

    t = lr_clock_ms();
    prc = lr_enhance_page(pix, orientation, dpi, &w->opts->enhance, &enh, &perr);
    pixDestroy(&pix); /* the decoded master is the largest image: free it before OCR */
    rec.times.enhance_ms = lr_clock_ms() - t;
    if (prc < 0)
        goto failed;
    rec.skew_deg = enh.skew_deg;
    rec.skew_conf = enh.skew_conf;
    rec.skew_applied = enh.skew_applied;

    t = lr_clock_ms();
    /* Ruled tables are read cell by cell (pageread.h); OCR reads ocr_binary (without vertical
     * ruling lines when asked), the lines are found on binary. */
    prc = lr_read_page_table(w->ocr, enh.binary, enh.ocr_binary, dpi, w->opts->whole_page, &res,
                             NULL, &table, &perr);
    rec.times.ocr_ms = lr_clock_ms() - t;
    if (prc < 0)
        goto failed;
    rec.mean_conf = res.mean_conf;
    rec.text = res.text;
    rec.words = res.words;
    rec.nwords = res.nwords;

    if (w->opts->records) {
        /* The worker's one-time set-up (templates, Tesseract for cells) is not the page's. */
        lr_extractor *ex_unused = NULL;
        const lr_forms *forms_unused = NULL;
        if ((prc = get_extractor(w, &ex_unused, &forms_unused, &perr)) < 0)
            goto failed;
        t = lr_clock_ms();
        prc = extract_page(w, &enh, dpi, &res, &table, &sheet, &perr);
        rec.times.extract_ms = lr_clock_ms() - t;
        if (prc < 0)
            goto failed;
        rec.sheet = &sheet;
    }

    t = lr_clock_ms();
    if (w->opts->out_dir) {
        paths = malloc(sizeof *paths);
        if (!paths) {
            lr_error_set(&perr, LR_ERR_NOMEM, "out of memory");
            goto failed;
        }
        prc = write_derivatives(w, sha, page, &enh, &res, paths, derivs, &nderivs, &perr);
        if (prc < 0)
            goto failed;
        rec.derivatives = derivs;
        rec.nderivatives = nderivs;
    }
    lr_enhanced_clear(&enh);
    rec.times.write_ms = lr_clock_ms() - t;

    /* Fault injection for the test suite: a pause between the done check and the save, so
     * that two runs over the same files overlap on every page. Unset: no pause. */
    const char *delay = getenv("LANDREC_TEST_DELAY_SAVE_MS");
    long delay_ms = delay && *delay ? strtol(delay, NULL, 10) : 0;
    if (delay_ms > 0)
        nanosleep(
            &(struct timespec){.tv_sec = delay_ms / 1000, .tv_nsec = (delay_ms % 1000) * 1000000L},
            NULL);

    t = lr_clock_ms();
    lr_page_outcome outcome = LR_PAGE_DONE;
    prc = save_page(w, &rec, &outcome, &perr);
    if (prc < 0) {
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
                 lr_utf8_path_show(rec.source_path, shown, sizeof shown), page,
                 rec.times.decode_ms, rec.times.orient_ms, rec.times.enhance_ms,
                 rec.times.ocr_ms, rec.times.extract_ms, rec.times.write_ms, lr_clock_ms() - t);
    if (cb)
        cb(cb_ctx, page, rec.page_count, outcome, NULL);
    goto done;

failed:
    rc = record_failure(w, &rec, &perr, cb, cb_ctx, err);
done:
    pixDestroy(&pix);
    lr_enhanced_clear(&enh);
    lr_ocr_result_clear(&res);
    lr_table_clear(&table);
    lr_sheet_clear(&sheet);
    free(paths);
    return rc;
}

int lr_pipeline_process_file(const lr_worker *w, const char *path, lr_page_callback cb,
                             void *cb_ctx, lr_error *err)
{
    lr_source *src = NULL;
    char sha[LR_SHA256_HEX_LEN + 1] = "";
    lr_error perr;
    if (!w || !path)
        return lr_error_set(err, LR_ERR_ARG, "no worker or path");
    int orc = lr_image_open(path, &w->opts->limits, &src, sha, &perr);
    if (orc < 0) {
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
    int rc = LR_OK;
    int n = lr_source_page_count(src);
    for (int page = 1; page <= n && rc == LR_OK; page++)
        rc = process_page(w, src, page, cb, cb_ctx, err);
    lr_image_close(&src);
    return rc;
}
