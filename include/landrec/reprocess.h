/* reprocess.h — the runs already stored, looked at again (docs/queue.md, "Reprocessing"):
 * which pages to queue once more with other settings, chosen by what their latest run was,
 * and the runs of two settings side by side. Only SQL: the jobs are queued by jobs.h, the
 * texts scored by the command.
 *
 * "A page's latest run" is export's rule (export.c), the run that stands: the run of (file,
 * page) a person chose (lr_store_choose_run), else the one updated last; a whole-file failure
 * (page 0) is left out once a newer run of the same path exists.
 *
 * Owns: nothing beyond the calls (the arrays returned are the caller's, with their free).
 * Borrows: the store's connection (store.h).
 */
#ifndef LANDREC_REPROCESS_H
#define LANDREC_REPROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/digest.h"
#include "landrec/error.h"
#include "landrec/store.h"

/* Which pages: every criterion given must hold of the page's latest run (AND); at least one
 * must be given. */
typedef struct lr_reprocess_selection {
    const char *from_batch; /* NULL: any; else the run was loaded (or found done) by one of
                               the batch's invocations */
    bool below_set;         /* mean_conf < below_conf (a run without one is not below) */
    double below_conf;
    bool failed;            /* status = 'failed' */
    const char *doc_type;   /* NULL: any; else its record_sheet.doc_type */
    const int64_t *run_ids; /* NULL: any; else the page of one of these runs (its latest
                               run, whichever that is now) */
    size_t nrun_ids;
} lr_reprocess_selection;

/* A page selected, and its latest run. */
typedef struct lr_reprocess_page {
    int64_t run_id;
    char *path;                         /* bytes, as a worker opens them */
    char *path_shown;                   /* display form */
    char sha256[LR_SHA256_HEX_LEN + 1]; /* "" when keyed by path (a file never read) */
    int page;                           /* 0: the whole file, pages not known */
    int page_count;                     /* 0 unknown */
    char settings_hash[LR_SHA256_HEX_LEN + 1];
} lr_reprocess_page;

/* The pages sel selects, ordered by path, page. *out (caller's, lr_reprocess_pages_free) may
 * be NULL when *out_n is 0. LR_ERR_ARG when sel gives no criterion. */
int lr_store_reprocess_select(lr_store *st, const lr_reprocess_selection *sel,
                              lr_reprocess_page **out, size_t *out_n, lr_error *err);

void lr_reprocess_pages_free(lr_reprocess_page *pages, size_t n);

/* The settings hash that prefix (at least 8 hex digits, any case) begins, among the settings
 * registered: LR_ERR_ARG when prefix is not one, none begins with it, or several do (the
 * message names them). */
int lr_store_settings_resolve(lr_store *st, const char *prefix,
                              char out_hash[LR_SHA256_HEX_LEN + 1], lr_error *err);

/* A field (field_value's key) whose value differs between the two runs; NULL: the run has no
 * such field, or no value for it. */
typedef struct lr_compare_field {
    char *section;
    int row_no;
    char *field;
    char *a, *b;
} lr_compare_field;

/* A page with a done run under each of the two settings. */
typedef struct lr_compare_page {
    char *path_shown;
    int page;
    int64_t run_a, run_b;
    double conf_a, conf_b; /* NAN: none recorded */
    int words_a, words_b;  /* whitespace-separated tokens of the text */
    char *text_a, *text_b; /* "" when none */
    int fields;            /* keys present in either run */
    lr_compare_field *changed;
    size_t nchanged;
} lr_compare_page;

/* Every page that has a done run under settings a and under settings b (full hashes), of the
 * pages batch's invocations touched (either run) when batch is not NULL; ordered by path,
 * page. Caller frees with lr_compare_pages_free. */
int lr_store_compare(lr_store *st, const char *a, const char *b, const char *batch,
                     lr_compare_page **out, size_t *out_n, lr_error *err);

void lr_compare_pages_free(lr_compare_page *pages, size_t n);

/* Records that run_id (a done run of a page) stands for its page, chosen by by (not empty)
 * for why (may be NULL): exports, QA and review take it instead of the page's latest run
 * until a newer choice. Earlier choices are kept. *out_replaced (may be NULL): the run that
 * stood before (0: none other). LR_ERR_ARG when there is no such run or it is not done. */
int lr_store_choose_run(lr_store *st, int64_t run_id, const char *by, const char *why,
                        int64_t *out_replaced, lr_error *err);

#endif
