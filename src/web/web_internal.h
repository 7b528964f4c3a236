/* web_internal.h — what the files of src/web/ share: one request as the handlers see it, the
 * answers they give, HTML escaping and the page frame. Nothing outside src/web/ sees it.
 *
 * Flow: server.c receives a request (libmicrohttpd), reads its body, finds the session
 * (auth.c) and calls one handler by route: api.c (JSON), pages.c (HTML), image.c (images),
 * assets.c (the script and style sheet). A handler answers with exactly one web_send* call.
 * figures.c draws the dashboard's sections, for the dashboard page and for the HTML of
 * "landrec report" (report.c), which is a file and no request.
 *
 * Owns: each request's body and answer until it is sent. Borrows: the thread's store
 * connection and the server's configuration for the request's life.
 */
#ifndef LANDREC_WEB_INTERNAL_H
#define LANDREC_WEB_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "landrec/digest.h"
#include "landrec/strbuf.h"
#include "landrec/web.h"
#include "landrec/webstore.h"

/* Largest request body read; a larger one is answered 413. */
#define WEB_MAX_BODY (64 * 1024)
/* Failed sign-ins (for one name or from one client) in the window that block further tries. */
#define WEB_LOGIN_MAX_FAILURES 5
#define WEB_LOGIN_WINDOW_S (15 * 60)

typedef struct web_req {
    void *conn;         /* struct MHD_Connection */
    const char *method; /* "GET", "POST", … */
    const char *url;    /* path, percent-decoded by libmicrohttpd, no query */
    const char *body;   /* NUL-terminated; "" when none */
    size_t body_len;
    char client[64]; /* the peer's address, for the log and the rate limit */
    lr_store *st;    /* the serving thread's connection */
    const lr_web_options *opts;
    const lr_norm_tables *tables;
    bool signed_in;
    lr_web_session session;                   /* when signed_in */
    char token_sha256[LR_SHA256_HEX_LEN + 1]; /* the session cookie's hash, when signed_in */
    bool cacheable; /* the answer may be kept by the browser for a while (images) */
    bool answered;
} web_req;

/* ---- answers (server.c) ---------------------------------------------------------------- */

/* Sends body (len bytes; copied) with the status and content type, and the security headers
 * every answer carries (CSP without inline script, nosniff, no referrer, no framing).
 * set_cookie (may be NULL) becomes a Set-Cookie header. */
void web_send(web_req *r, int status, const char *ctype, const void *body, size_t len,
              const char *set_cookie);
/* json (a reference is stolen) as application/json. */
void web_send_json(web_req *r, int status, json_t *json);
/* {"error": message} with the status; message is printf-formatted. */
void web_send_error(web_req *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A built HTML page (the buffer is emptied). */
void web_send_html(web_req *r, int status, lr_strbuf *page);
/* 303 See Other to location (a path of this site). */
void web_send_redirect(web_req *r, const char *location);

/* A query-string argument, or NULL. */
const char *web_arg(const web_req *r, const char *name);
/* A request header, or NULL. */
const char *web_header(const web_req *r, const char *name);

/* The decimal id after prefix in r->url ("/api/sheets/" → 12), or -1 when the rest is not a
 * positive number (optionally followed by suffix, e.g. ".png"; suffix may be NULL). */
int64_t web_url_id(const web_req *r, const char *prefix, const char *suffix);

/* ---- sessions and roles (auth.c) -------------------------------------------------------- */

/* Looks up the request's session cookie; fills r->signed_in and r->session. */
void web_auth_load(web_req *r);
/* Whether the signed-in user's role is at least need; when not, answers 401 (not signed in:
 * a page redirects to /login) or 403 and returns false. html: answer as a page would. */
bool web_auth_require(web_req *r, lr_web_role need, bool html);
/* Whether a state-changing request carries the session's CSRF token (X-CSRF-Token); when not,
 * answers 403 and returns false. */
bool web_auth_csrf(web_req *r);
/* POST /api/login and POST /api/logout. */
void web_auth_login(web_req *r);
void web_auth_logout(web_req *r);

/* ---- handlers --------------------------------------------------------------------------- */

void web_api(web_req *r);   /* /api/… (api.c) */
void web_page(web_req *r);  /* /, /login, /search, /sheets/ID, /review, /dashboard (pages.c) */
void web_image(web_req *r); /* /img/view/ID.jpg, /img/thumb/ID.png, /img/crop/ITEM.png */
void web_asset(web_req *r); /* /static/app.js, /static/app.css (assets.c) */

/* ---- HTML (html.c) ---------------------------------------------------------------------- */

/* Appends s with & < > " ' escaped (NULL: nothing). Every value from the database, a file
 * name or the request goes through this. */
void web_html_escape(lr_strbuf *b, const char *s);
/* Appends s percent-encoded for a query-string value. */
void web_url_escape(lr_strbuf *b, const char *s);
/* The page head (title escaped), the navigation the user's role allows, and the CSRF token in
 * a meta tag; then the caller appends the body and closes with web_html_end. */
void web_html_begin(lr_strbuf *b, const web_req *r, const char *title);
void web_html_end(lr_strbuf *b);
/* data as a JSON island (<script type="application/json" id=ID>) that app.js reads; "</" is
 * escaped so that no value can end the element. A reference to data is stolen. */
void web_html_json(lr_strbuf *b, const char *id, json_t *data);

/* Small readers and writers of the store's JSON: a member string (or NULL), a member number
 * (0 when absent); a count with thousands separators (1,234,567); part/whole as "12.5 %" (an
 * em dash when whole is not positive); a timestamp of PostgreSQL's JSON to the minute
 * ("2026-12-07 15:04"), escaped. */
const char *web_jstr(const json_t *o, const char *key);
long long web_jcount(const json_t *o, const char *key);
void web_put_count(lr_strbuf *b, long long v);
void web_put_percent(lr_strbuf *b, double part, double whole);
void web_put_time(lr_strbuf *b, const char *s);

/* ---- charts (svg.c) --------------------------------------------------------------------- */

typedef struct web_bar {
    const char *label; /* escaped when drawn */
    double value;
    double target; /* < 0: none */
} web_bar;

/* An inline SVG bar chart (vertical bars; a target drawn as a line over its bar). */
void web_svg_bars(lr_strbuf *b, const char *title, const web_bar *bars, size_t n, const char *unit);

/* ---- the officers' figures (figures.c) -------------------------------------------------- */

/* "check n, check n" of a {check: count} object into b; the sum of the counts. */
long long web_qa_checks(lr_strbuf *b, const json_t *findings);

/* The sections of the figures d (lr_web_dashboard's JSON, read for year; 0: the dashboard's
 * window) as HTML: records per year against the targets, pages a day, batches, contractors,
 * failures by reason, the acceptance checks when d has "qa" (the report adds them), review.
 * links: batch names link to /search (only where served). */
void web_figures(lr_strbuf *b, const json_t *d, int year, bool links);

/* Pages a day of year summed by month (index 0: January): pages, and the days with any. */
void web_figures_months(const json_t *d, int year, long long pages[12], int days[12]);

/* Days since 1970-01-01 of "YYYY-MM-DD" (-1 when not a date), and of today (local time). */
long web_day_number(const char *s);
long web_today_number(void);

#endif
