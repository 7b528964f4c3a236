/* webstore.h — what "landrec serve" reads and writes in PostgreSQL (schemas/007_web.sql,
 * docs/web.md): accounts, sessions and failed sign-ins; search over the sheet_search table;
 * one sheet with its provenance, runs and lineage; the review queue with expiring claims and
 * attributed decisions; the dashboard's figures.
 *
 * Results are jansson values, the shape the JSON API returns and the HTML pages are drawn
 * from. Every statement is parameterised.
 *
 * Owns: nothing beyond each call; *out values are the caller's (json_decref). Borrows: the
 * store's connection (lr_store, store.h), the normalisation tables for corrections.
 */
#ifndef LANDREC_WEBSTORE_H
#define LANDREC_WEBSTORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/error.h"
#include "landrec/normalize.h"
#include "landrec/store.h"

/* ---- accounts and sessions -------------------------------------------------------------- */

/* The roles, weakest first; each may do what the ones before it may. */
typedef enum lr_web_role {
    LR_WEB_NONE = 0,
    LR_WEB_READER,   /* search and view */
    LR_WEB_REVIEWER, /* and review */
    LR_WEB_OFFICER,  /* and the dashboard */
    LR_WEB_ADMIN,
} lr_web_role;

/* "reader" … "admin" to the role; LR_WEB_NONE when unknown. */
lr_web_role lr_web_role_parse(const char *name);
const char *lr_web_role_name(lr_web_role role);

/* Adds the account, or with replace sets its role and password hash (pwhash: libsodium's
 * crypto_pwhash_str encoding). LR_ERR_ARG for a bad name or role; LR_ERR_DB (detail
 * "exists") when it exists and replace is false. *out_replaced (may be NULL). */
int lr_web_user_put(lr_store *st, const char *name, lr_web_role role, const char *pwhash,
                    bool replace, bool *out_replaced, lr_error *err);

/* The account's role and password hash (pwhash_size >= 128). *out_found false (and LR_OK) when
 * there is no such enabled account. */
int lr_web_user_get(lr_store *st, const char *name, lr_web_role *out_role, char *pwhash,
                    size_t pwhash_size, bool *out_found, lr_error *err);

/* A session: the cookie token's SHA-256 (64 hex), the user, the CSRF token, a lifetime. */
int lr_web_session_put(lr_store *st, const char *token_sha256, const char *user,
                       const char *csrf, int ttl_s, lr_error *err);

typedef struct lr_web_session {
    char user[72];
    lr_web_role role;
    char csrf[72];
} lr_web_session;

/* The live session of that token hash (its account enabled); *out_found false otherwise. */
int lr_web_session_get(lr_store *st, const char *token_sha256, lr_web_session *out,
                       bool *out_found, lr_error *err);
int lr_web_session_delete(lr_store *st, const char *token_sha256, lr_error *err);

/* Records a failed sign-in (the name tried and the client's address, never the password) and
 * gives, in *out_recent, the failures for that name or that client in the last window_s
 * seconds, this one included. */
int lr_web_login_failed(lr_store *st, const char *user, const char *client, int window_s,
                        long *out_recent, lr_error *err);

/* Failures for that name or client in the last window_s seconds. */
int lr_web_login_failures(lr_store *st, const char *user, const char *client, int window_s,
                          long *out_recent, lr_error *err);

/* Whether the connecting role may write the records themselves (insert into field_value):
 * a server connected so holds more than it needs (the web role may not). user gets the role's
 * name (size >= 64). */
int lr_web_role_too_strong(lr_store *st, bool *out_too_strong, char *user, size_t size,
                           lr_error *err);

/* ---- search and view -------------------------------------------------------------------- */

/* NULL or "" fields are not conditions. Dates are YYYY-MM-DD and select sheets with any date
 * in [from, to]. location, owner and q match Hanja or Hangul (lr_fold, docs/web.md). */
typedef struct lr_web_query {
    const char *lot, *location, *owner, *q, *from, *to, *doc_type, *batch;
    int limit;  /* 1..200; 0: 20 */
    int offset; /* >= 0 */
} lr_web_query;

/* {"total": N, "more": B, "offset": O, "limit": L, "results": [{"id", "source", "page",
 * "doc_type", "location", "lot", "owners", "nopen", "min_date", "max_date"}]}: the latest run
 * of each page only, best match first. Counting stops past 1000 (or past the page asked for,
 * when further): then "total" is where it stopped and "more" is true. LR_ERR_ARG (message for
 * the user) for a malformed date. */
int lr_web_search(lr_store *st, const lr_web_query *q, json_t **out, lr_error *err);

/* The records export objects (docs/records.md) of the given runs, in that order, each with
 * its "source"; runs without a sheet are left out. */
int lr_web_records(lr_store *st, const int64_t *ids, size_t n, json_t **out_array,
                   lr_error *err);

/* One sheet for its page: the records object plus "fields" (every field with raw, machine
 * value, current value, conf, review, reason, alternatives, box, versions, open item id),
 * "provenance" (sha256, page, settings and their description, invocation, batch, times),
 * "runs" (every run of the same file and page, newest first), "lineage" (with the runs whose
 * sheets hold the lots named), "view" (whether a view image is recorded) and "words" (boxes).
 * *out NULL (and LR_OK) when there is no sheet of that run. */
int lr_web_sheet(lr_store *st, int64_t run_id, json_t **out, lr_error *err);

/* The path of the run's view derivative (its bytes, for open()), or NULL when none is
 * recorded. Caller frees. */
int lr_web_view_path(lr_store *st, int64_t run_id, char **out_path, lr_error *err);

/* ---- review ----------------------------------------------------------------------------- */

/* Claims the most urgent open item (least confidence first) of a latest run that nobody else
 * holds, that user did not skip in the last hour, for claim_s seconds, and returns it:
 * {"id", "run_id", "source", "page", "section", "row", "field", "raw", "value", "conf",
 * "reason", "alternatives", "box": [x0,y0,x1,y1] or null, "claimed_until", "open": the open
 * items, counted up to 1000 (1000: at least that many)}. The user's own
 * live claim comes back first. *out NULL when the queue is empty. Two callers never get the
 * same item while a claim lives (FOR UPDATE SKIP LOCKED). */
int lr_web_review_next(lr_store *st, const char *user, int claim_s, json_t **out,
                       lr_error *err);

typedef enum lr_web_decision {
    LR_WEB_ACCEPT,    /* the machine's value is right */
    LR_WEB_CORRECT,   /* text: the right reading, normalised like the machine's */
    LR_WEB_ALTERNATIVE, /* pick: index into the field's alternatives */
    LR_WEB_ILLEGIBLE, /* nobody can read the cell */
    LR_WEB_SKIP,      /* not now; back in the queue for others */
} lr_web_decision;

/* Records a decision on open item item_id by user, in one transaction: a new attributed
 * value version (why: the decision, or the reviewer's words when given) and the item resolved
 * — or, for SKIP, the claim released and the skip noted. An item held by someone else's live
 * claim is refused (LR_ERR_ARG "claimed by …"); an unknown or resolved one is LR_ERR_ARG too
 * (detail "unknown" / "resolved"). *out: {"item", "version", "old", "new", "why"}. */
int lr_web_review_decide(lr_store *st, const lr_norm_tables *tables, const char *user,
                         int64_t item_id, lr_web_decision decision, const char *text, int pick,
                         const char *why, json_t **out, lr_error *err);

/* Confirms every field of the run's sheet that is not flagged and has no version yet: one
 * version each, value as read, why "accepted with the sheet". *out_count: versions made. */
int lr_web_accept_sheet(lr_store *st, const char *user, int64_t run_id, long *out_count,
                        lr_error *err);

/* The cell box and view path of an item, for its image crop. *out_path NULL when no view. */
int lr_web_item_cell(lr_store *st, int64_t item_id, char **out_path, int box[4], bool *out_found,
                     lr_error *err);

/* ---- dashboard -------------------------------------------------------------------------- */

/* {"years": [{"year", "pages", "sheets", "target"}] (every year with pages or a target),
 * "total_target": {"year", "records"} or null, "total_pages", "total_sheets", "batches":
 * [{"batch", "pages", "sheets", "failed", "first", "last", "hosts"}], "contractors":
 * [{"contractor", "files", "pages", "failed", "first_scan", "last_scan"}] or null (from the
 * delivery manifests; year Y: the lines recorded in Y), "per_day": [{"day",
 * "pages"}] (days with pages only), "failures": [{"reason", "count"}], "fields": {"total",
 * "flagged", "reviewed"}, "backlog": {"open", "resolved_7d", "per_day_7d"}}.
 *
 * year 0: the dashboard's window — per_day the last 60 days, the 50 latest batches, every
 * failed run. year Y: per_day of Y, the batches as run in Y (their runs started in Y), the
 * failed runs of Y. "years", the totals, "fields" and "backlog" are the whole archive now
 * either way. The dashboard page and "landrec report" both read this. */
int lr_web_dashboard(lr_store *st, int year, json_t **out, lr_error *err);

#endif
