/* web.h — "landrec serve": the archive's web application (docs/web.md). Search, sheet view,
 * review desk and dashboard as server-drawn HTML, and a JSON API, on libmicrohttpd, over the
 * records in PostgreSQL (webstore.h). And "landrec report": the dashboard's figures for a
 * year as text and as a standalone HTML file, drawn by the same code as the dashboard.
 *
 * Owns: the HTTP daemon and one database connection per serving thread, from lr_web_serve's
 * start to its return. Borrows: the options and the stop flag.
 */
#ifndef LANDREC_WEB_H
#define LANDREC_WEB_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>

#include "landrec/error.h"
#include "landrec/strbuf.h"

typedef struct lr_web_options {
    const char *conninfo;  /* the database, as the web role (NULL: PG* variables) */
    const char *address;   /* listen address; NULL: 127.0.0.1 */
    int port;              /* 0: 8080 */
    const char *tls_cert;  /* PEM files; both or neither */
    const char *tls_key;
    int threads;           /* serving threads (each with its own connection); 0: 4 */
    int session_ttl_s;     /* 0: 8 hours */
    int claim_s;           /* how long a review claim lives; 0: 600 */
    const char *norm_dir;  /* normalisation tables (NULL: the default) */
} lr_web_options;

/* Argon2id hash of password (libsodium's crypto_pwhash_str encoding, which carries its salt
 * and costs) into out; LR_ERR_NOMEM when libsodium cannot (out of memory). */
#define LR_WEB_PWHASH_SIZE 128
int lr_web_password_hash(const char *password, char out[LR_WEB_PWHASH_SIZE], lr_error *err);

/* Serves until *stop becomes non-zero (a signal handler sets it), then stops taking
 * connections, finishes the requests under way and returns LR_OK. Prints "listening on
 * http[s]://ADDR:PORT/" to stdout (flushed) once it listens. LR_ERR_ARG for bad options,
 * LR_ERR_IO when it cannot listen (the address in use) or read the TLS files, LR_ERR_DB when
 * the database cannot be reached or has no web schema. */
int lr_web_serve(const lr_web_options *opts, volatile sig_atomic_t *stop, lr_error *err);

/* The yearly report of figures (lr_web_dashboard's JSON read for year) appended to out:
 * as aligned plain text for a terminal, or as one standalone HTML document (its own style,
 * inline SVG charts, no script, no links) whose sections are the dashboard's. LR_ERR_NOMEM
 * when out failed. */
int lr_web_report_text(const json_t *figures, int year, lr_strbuf *out, lr_error *err);
int lr_web_report_html(const json_t *figures, int year, lr_strbuf *out, lr_error *err);

#endif
