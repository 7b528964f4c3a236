/* store.h — PostgreSQL through libpq: schema migrations, runs keyed by file checksum, page
 * and settings, and loading a page's results with COPY in one transaction so they appear
 * whole or not at all. All of landrec's SQL is in src/store/, the only user of libpq.
 *
 * Connection: a conninfo string or URI; NULL or "" means libpq's defaults (PG* variables).
 *
 * Owns: the connection (lr_store), from lr_store_connect to lr_store_close; nobody else sees
 * it. Borrows: everything a caller passes (page records, output streams, the cancel flag).
 */
#ifndef LANDREC_STORE_H
#define LANDREC_STORE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "landrec/error.h"
#include "landrec/image.h"
#include "landrec/ocr.h"
#include "landrec/qa.h"

typedef struct lr_store lr_store; /* opaque: one connection; not shared between threads */

/* Connects (application_name "landrec" unless the user set one; client_encoding UTF8). An
 * unreachable server, a missing database or a bad conninfo give LR_ERR_DB with a message
 * naming the target (database, host or socket directory, port, user) and libpq's reason in
 * the detail. *out_store: caller frees with lr_store_close. */
int lr_store_connect(const char *conninfo, lr_store **out_store, lr_error *err);
void lr_store_close(lr_store **pstore);

/* What the store does when the server went away (restart, failover, idle timeout): the next
 * call that finds the connection dead reconnects at once and then, while that fails, again
 * after 0.5 s, 1 s, 2 s … up to 10 s between tries (each wait ±25 % at random, so that many
 * workers do not knock in step), until timeout_s seconds have passed since the loss was
 * noticed; each try that fails is logged as a warning. Once such a wait has run out, later
 * calls try once each (no more waiting) until a connection succeeds again. timeout_s 0 (the
 * default of a new connection): one try. cancel (borrowed, may be NULL; e.g. a signal
 * handler's flag): once *cancel is non-zero, no more waiting. Only statements that are safe
 * to run twice are retried by the store itself; a transaction cut off by the loss is rolled
 * back by the server, and its caller decides whether to make it again (lr_store_reconnect). */
void lr_store_set_reconnect(lr_store *st, double timeout_s, const volatile sig_atomic_t *cancel);

/* LR_OK when the connection is good (as far as libpq knows: it finds a connection dead only
 * by using it), after reconnecting under the policy above if it was lost; LR_ERR_DB when the
 * server did not come back in time. */
int lr_store_reconnect(lr_store *st, lr_error *err);

/* Whether the connection is good as far as libpq knows, without using it or reconnecting
 * (libpq finds a connection dead only by using it): false after a call that lost the server
 * and could not reconnect. false for NULL. */
bool lr_store_connected(const lr_store *st);

/* Where the migrations are when the caller names no directory: $LR_SCHEMA_DIR if set, else
 * the installed <datadir>/landrec/schemas if it exists, else the source tree's schemas/.
 * Borrowed (static or the environment). */
const char *lr_store_default_schema_dir(void);

/* Applies the migrations NNN_name.sql in schema_dir not yet recorded in schema_version, in
 * order, each in its own transaction; safe to run twice (and by two processes at once: an
 * advisory lock serialises them). schema_dir NULL or "": lr_store_default_schema_dir().
 * *out_applied (may be NULL) gets how many ran, also when a later one failed. */
int lr_store_migrate(lr_store *st, const char *schema_dir, int *out_applied, lr_error *err);

/* LR_OK when the schema is present and every migration in schema_dir (NULL: the default) is
 * applied; otherwise LR_ERR_DB whose hint says to run "landrec db init". */
int lr_store_check_schema(lr_store *st, const char *schema_dir, lr_error *err);

/* Records the settings (idempotent: an existing hash is left as it is): hash is 64 lower-case
 * hex digits, json their description (NULL: {}). Must precede invocation_begin and save_page
 * with that hash (foreign key). */
int lr_store_register_settings(lr_store *st, const char *settings_hash, const char *settings_json,
                               lr_error *err);

/* One invocation of "landrec run". args: the command line as text. batch and settings_hash
 * may be NULL. Records host and pid. */
int lr_store_invocation_begin(lr_store *st, const char *batch, const char *args,
                              const char *settings_hash, int64_t *out_id, lr_error *err);

typedef struct lr_run_counts {
    int pages_done;    /* processed and loaded in this invocation */
    int pages_skipped; /* already done with these settings */
    int pages_failed;
    int files;
    int pages_done_elsewhere; /* processed, but another run (or worker) stored the same page
                                 first: its result is the stored one */
} lr_run_counts;

/* Sets finished_at, counts (may be NULL) and exit_status; LR_ERR_ARG for an unknown id. */
int lr_store_invocation_end(lr_store *st, int64_t invocation_id, const lr_run_counts *counts,
                            int exit_status, lr_error *err);

/* Whether (sha256, page, settings_hash) is already done. When it is, links the invocation to
 * the existing run as 'skipped' (so "export --batch" of this invocation's batch sees it) and
 * sets *out_done. A check, not a lock: two workers may both see false (save_page copes).
 * invocation_id <= 0: no link. sha256 NULL: never done. */
int lr_store_claim_done(lr_store *st, int64_t invocation_id, const char *sha256, int page,
                        const char *settings_hash, bool *out_done, lr_error *err);

typedef struct lr_derivative {
    const char *kind;   /* "view", "binary", "hocr", "text" */
    const char *path;   /* as written */
    char sha256[LR_SHA256_HEX_LEN + 1];
    int64_t bytes;
} lr_derivative;

typedef struct lr_stage_times {
    double decode_ms, orient_ms, enhance_ms, ocr_ms, write_ms, load_ms;
    double extract_ms; /* layout, field reading and normalisation (ledger pages) */
} lr_stage_times;

struct lr_sheet; /* extract.h */

/* Everything known about one processing of one page. Borrowed pointers throughout. */
typedef struct lr_page_record {
    int64_t invocation_id;     /* <= 0: not linked to an invocation */
    const char *source_path;   /* as given on the command line */
    const char *sha256;        /* NULL when the file could not even be read */
    int64_t file_size;         /* -1 unknown */
    int page;                  /* 1-based; 0 when the failure concerns the whole file */
    int page_count;            /* 0 unknown */
    const char *settings_hash;
    bool failed;
    const char *error_code;    /* lr_status_name(), failed pages */
    const char *error;         /* message naming the reason, failed pages */
    const lr_page_info *info;  /* NULL when the page could not be decoded */
    /* The rest is stored for done pages only (a failure keeps info and times). */
    int orientation;           /* 0, 90, 180, 270 */
    float orientation_conf;
    float skew_deg, skew_conf;
    bool skew_applied;
    float mean_conf;
    const char *text;
    const lr_word *words;
    size_t nwords;
    const lr_derivative *derivatives; /* kind: lower-case [a-z][a-z0-9_-]*; sha256 "" and
                                         bytes < 0 are unknown */
    size_t nderivatives;
    lr_stage_times times;
    /* The parcel record read from a ledger page (extract.h), or NULL: loaded by COPY in the
     * same transaction (schemas/002_records.sql), done pages only. */
    const struct lr_sheet *sheet;
    /* What the acceptance checks read (qa.h, schemas/013_qa.sql), or NULL: done pages only. */
    const lr_qa_measures *qa;
} lr_page_record;

/* What lr_store_save_page did. */
typedef enum lr_save_outcome {
    LR_SAVE_LOADED = 0,       /* the done page is stored: this call loaded it */
    LR_SAVE_FAILED = 1,       /* the failure is recorded */
    LR_SAVE_ALREADY_DONE = 2, /* the key was done already (another run or worker stored it
                                 after the caller's done check): nothing stored, the
                                 invocation linked to that run as 'skipped' */
    LR_SAVE_ALREADY_OURS = 3, /* the key was done already and linked to rec->invocation_id as
                                 'done': this invocation loaded it before (a save repeated
                                 after its COMMIT's answer was lost); nothing stored */
} lr_save_outcome;

/* Loads one page's results in one transaction: the page row, its words and derivatives by one
 * COPY each, its parcel record (rec->sheet) and QA measures (rec->qa) when it has them, a
 * page_failure row for a failure, and the link to the invocation. A done page replaces nothing:
 * if the same (sha256, page, settings) is already done the call stores nothing (only links the
 * invocation as 'skipped') and returns LR_OK with *out_outcome LR_SAVE_ALREADY_DONE (or _OURS).
 * A record replaces an earlier failure of the same key (its attempt count grows; the failure
 * log stays). The key of a record without sha256 is (source_path, page, settings). On any error
 * nothing of the page is stored and the connection stays usable. Only a failure may have sha256
 * NULL or page 0 (the whole file); a failure with no error text gets error_code or "unknown
 * error". out_outcome may be NULL; what it says holds only when the call returns LR_OK. */
int lr_store_save_page(lr_store *st, const lr_page_record *rec, lr_save_outcome *out_outcome,
                       lr_error *err);

/* Records that invocation invocation_id met the file of content sha256 (64 hex digits) under
 * path, with page_count pages (0: unknown), so that "landrec qa" sees the same file under two
 * paths (schemas/013_qa.sql). Idempotent; retried on a fresh connection when the server went
 * away. */
int lr_store_note_file(lr_store *st, int64_t invocation_id, const char *path, const char *sha256,
                       int page_count, lr_error *err);

/* What "landrec qa" reads of a batch: the latest run of each page linked to an invocation of
 * the batch (as the export chooses them), with its facts and QA measures, in path (bytewise)
 * and page order, and every (content, path) the batch's runs met. Opaque; the arrays and
 * their strings live until lr_store_qa_free. */
typedef struct lr_store_qa lr_store_qa;

/* Reads batch (non-NULL). *out: caller frees with lr_store_qa_free. */
int lr_store_qa_read(lr_store *st, const char *batch, lr_store_qa **out, lr_error *err);

/* The pages (the caller may fill in the measures of those without) and their number. */
lr_qa_page *lr_store_qa_pages(lr_store_qa *q, size_t *out_n);
/* The files, sorted by content then path (lr_qa_check_duplicates' order). */
const lr_qa_file *lr_store_qa_files(const lr_store_qa *q, size_t *out_n);
/* How many invocations carry the batch's name (0: no such batch). */
long lr_store_qa_invocations(const lr_store_qa *q);

void lr_store_qa_free(lr_store_qa **pq);

/* Writes one JSON object per line for each page's latest run (newest processing per source
 * checksum and page; failures of unreadable files per path), restricted to the runs linked to
 * invocations of batch when batch is non-NULL, ordered by source path (bytewise) and page.
 * A whole-file failure (page 0) is left out once a newer run of the same path exists. Keys:
 * see docs/export.md. out is borrowed and flushed, not closed. *out_count may be NULL. */
int lr_store_export_pages(lr_store *st, const char *batch, FILE *out, long *out_count,
                          lr_error *err);

/* One accepted line of a delivery manifest (docs/manifest.md), as strings: scan_date is
 * YYYY-MM-DD; volume, sheet and operator_name may be NULL or "". */
typedef struct lr_delivery_row {
    int line;
    const char *sha256, *path, *doc_type, *district, *volume, *sheet, *contractor, *scan_date,
        *operator_name;
} lr_delivery_row;

/* Records a manifest's accepted lines (table delivery_file) in one transaction: a file already
 * recorded for the same batch (NULL: none) takes the new line's values, so that a corrected
 * manifest enqueued again replaces the old one's. manifest: its path, display form. */
int lr_store_delivery_save(lr_store *st, const char *batch, const char *manifest,
                           const lr_delivery_row *rows, size_t n, lr_error *err);

/* "landrec db status": prints the target, the schema version and counts of what has been
 * loaded to out (borrowed). Returns check_schema's error (after printing what it could) when
 * the schema is missing or out of date. */
int lr_store_print_status(lr_store *st, const char *schema_dir, FILE *out, lr_error *err);

/* Roles (docs/security.md). The loading role owns landrec's tables and writes them; it is no
 * superuser, so it cannot run programs or read files on the server. The reading role may only
 * SELECT them; it cannot log in, people and programs get it by GRANT. Roles are the server's,
 * shared by all its databases; ownership and grants are each database's. */
#define LR_STORE_LOADER_ROLE "landrec_loader"
#define LR_STORE_READER_ROLE "landrec_reader"
/* The web application's role ("landrec serve"): LOGIN, a member of the reader, and may write
 * only sessions, sign-in failures and review decisions. */
#define LR_STORE_WEB_ROLE "landrec_web"

typedef struct lr_store_roles {
    const char *loader; /* NULL: LR_STORE_LOADER_ROLE; borrowed */
    const char *reader; /* NULL: LR_STORE_READER_ROLE; borrowed */
    const char *web;    /* NULL: LR_STORE_WEB_ROLE; borrowed */
} lr_store_roles;

typedef struct lr_store_init_result {
    int applied;                         /* migrations applied */
    bool created_loader, created_reader, created_web; /* by this call */
    int taken_over;                      /* relations moved to the loader from an older owner */
} lr_store_init_result;

/* "landrec db init": lr_store_migrate with the roles. Creates the roles that do not exist
 * (the loader LOGIN, the reader NOLOGIN, neither with any other attribute; that needs a
 * superuser or CREATEROLE — a CREATEROLE user who is not the loader nor a member of it is made
 * a member). Lets the loader create in schema public. Gives the loader the relations of
 * schema public that belong to the owner of schema_version when that is another role (a
 * database made before the roles). Applies the migrations as the loader (SET ROLE), so what
 * they create is the loader's. Grants the reader USAGE on public, SELECT on the loader's
 * tables there, and by default privileges on those the loader creates later. Roles that exist
 * are left as they are (a superuser loader is logged as a warning). The connection ends as
 * the user it logged in as. Safe to run twice, at once, and on other databases of the server
 * at once. Errors (LR_ERR_DB) say what the connecting user lacks and the hint what to do.
 * roles may be NULL (the defaults); *out (may be NULL) is filled also on failure. */
int lr_store_init(lr_store *st, const char *schema_dir, const lr_store_roles *roles,
                  lr_store_init_result *out, lr_error *err);

#endif
