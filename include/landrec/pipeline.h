/* pipeline.h — one file through every stage, page by page, for a batch worker: open the
 * file, skip the pages done with these settings, take each other page through the stages
 * (page.h), write its derivatives on disk and store it, or record why it failed. Used by each
 * batch worker (batch.h), and by nothing else: the stages know nothing of batches.
 *
 * Owns: a worker's OCR handle, extractor and form templates (lr_worker_open), for the
 * worker's life.
 * Borrows: the worker's store connection, the run's options and settings hash.
 */
#ifndef LANDREC_PIPELINE_H
#define LANDREC_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "landrec/enhance.h"
#include "landrec/error.h"
#include "landrec/extract.h"
#include "landrec/image.h"
#include "landrec/layout.h"
#include "landrec/ocr.h"
#include "landrec/page.h"
#include "landrec/store.h"

typedef struct lr_pipeline_options {
    lr_ocr_options ocr;
    lr_enhance_options enhance;
    lr_image_limits limits;
    const char *out_dir;       /* derivatives root; NULL writes none */
    bool detect_orientation;   /* default true */
    bool records;              /* layout and extract stage: parcel records from ledger pages
                                  (default true) */
    lr_doc_type doc_type;      /* LR_DOC_AUTO (default): classify each page; otherwise every
                                  page is taken to be this type */
    const char *forms_dir;     /* form templates; NULL: $LR_FORMS_DIR, else the "forms"
                                  directory beside the migrations */
    bool whole_page;           /* read every page whole, not ruled tables cell by cell
                                  (pageread.h; default false) */
} lr_pipeline_options;

void lr_pipeline_options_default(lr_pipeline_options *out_opts);

/* Settings that change results, as canonical JSON (caller frees with free()) and its SHA-256:
 * the pipeline version, languages, models' checksums, engine versions, enhance options, and
 * the extraction settings (form templates' checksum, document type, thresholds). */
int lr_pipeline_settings(const lr_pipeline_options *opts, char **out_json,
                         char out_hash[LR_SHA256_HEX_LEN + 1], lr_error *err);

typedef enum lr_page_outcome {
    LR_PAGE_DONE = 0,
    LR_PAGE_SKIPPED = 1, /* already done with these settings */
    LR_PAGE_FAILED = 2,
    LR_PAGE_DONE_ELSEWHERE = 3, /* processed, but another run (or worker) stored the same page
                                   first (lr_store_save_page: LR_SAVE_ALREADY_DONE) */
} lr_page_outcome;

/* Called after each page (page is 0 when the whole file failed before its pages were known;
 * message is the failure reason, or NULL). */
typedef void (*lr_page_callback)(void *ctx, int page, int page_count, lr_page_outcome outcome,
                                 const char *message);

/* What one worker holds for its whole life. ocr, extractor and forms are the worker's own,
 * freed by lr_worker_close: ocr made by lr_worker_open; forms and extractor, when
 * opts->records, on the first page read that needs them, so that the extractor's cell models
 * are not resident while that page is read, and a template naming a missing model fails the
 * pages, each with its message. store, opts and settings_hash are borrowed. */
typedef struct lr_worker {
    lr_ocr *ocr;
    lr_extractor *extractor;
    lr_forms *forms;
    lr_store *store;
    const lr_pipeline_options *opts;
    const char *settings_hash;
    int64_t invocation_id;
} lr_worker;

/* Fills *out (zeroed first) for a worker of a run with opts: its OCR handle. Close with
 * lr_worker_close, also after failure. */
int lr_worker_open(const lr_pipeline_options *opts, lr_store *store, const char *settings_hash,
                   int64_t invocation_id, lr_worker *out, lr_error *err);

/* Frees what lr_worker_open made (w may be NULL). */
void lr_worker_close(lr_worker *w);

/* Processes page of path: skipped when done with these settings; bad input is recorded in
 * the database and reported through cb. The file's page count goes to *out_page_count (may be
 * NULL; 0 when it cannot be opened). A file that cannot be opened is recorded as the whole
 * file's failure (page 0). page 0 only opens the file: its failure, or its page count. sha256
 * (NULL: any): the checksum the caller expects; a file whose bytes differ is reported failed,
 * not recorded (its run would be another file's). A page beyond the file's last is reported
 * failed, not recorded. The return value is an error only when the worker cannot go on (the
 * database is lost and did not come back within the store's reconnect policy,
 * lr_store_set_reconnect: the page in hand is then not stored). A save cut off by a lost
 * connection is made again on the fresh connection. */
int lr_pipeline_process_page(lr_worker *w, const char *path, const char *sha256, int page,
                             int *out_page_count, lr_page_callback cb, void *cb_ctx,
                             lr_error *err);

/* The options a command sets for the pipeline (languages, page segmentation, document type,
 * form templates, stages, enhancement, size limit; not where derivatives go, nor the tessdata
 * directory, which are each machine's), as a canonical JSON object (caller frees with free()),
 * and back onto the defaults: what a queued job is run with (jobs.h). The strings read back
 * (lang, forms_dir) point into *out_storage, which the caller frees with free() after the
 * options. */
int lr_pipeline_options_to_json(const lr_pipeline_options *opts, char **out_json, lr_error *err);
int lr_pipeline_options_from_json(const char *json, lr_pipeline_options *out_opts,
                                  char **out_storage, lr_error *err);

/* The form templates directory the options name (see forms_dir). Borrowed or in buf. */
const char *lr_pipeline_forms_dir(const lr_pipeline_options *opts, char *buf, size_t size);

/* Derivative file path for a page: DIR/ab/<sha256>/<settings[0:12]>/p0001.<suffix>.
 * Returns 0 or LR_ERR_ARG when it does not fit. */
int lr_pipeline_derivative_path(const char *out_dir, const char *sha256, const char *settings_hash,
                                int page, const char *suffix, char *buf, size_t size);

#endif
