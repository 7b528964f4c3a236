/* auth.c — sign-in, sessions, roles and CSRF for "landrec serve" (docs/web.md, "Accounts").
 * Passwords are Argon2id hashes (libsodium); the session cookie is a random token the
 * database knows only by its SHA-256; every state-changing request carries the session's CSRF
 * token in X-CSRF-Token; failed sign-ins are counted per name and per client and logged without
 * the password. */
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/log.h"
#include "landrec/utf8.h"
#include "web_internal.h"

#define COOKIE_NAME "lr_session"
#define TOKEN_BYTES 32

int lr_web_password_hash(const char *password, char out[LR_WEB_PWHASH_SIZE], lr_error *err)
{
    if (sodium_init() < 0)
        return lr_error_set(err, LR_ERR_NOMEM, "libsodium could not start");
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return lr_error_set(err, LR_ERR_NOMEM, "could not hash the password (out of memory)");
    return LR_OK;
}

/* TOKEN_BYTES random bytes as hex. */
static void random_hex(char out[2 * TOKEN_BYTES + 1])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, 2 * TOKEN_BYTES + 1, raw, sizeof raw);
}

void web_auth_load(web_req *r)
{
    const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE_NAME);
    if (!token || strlen(token) != 2 * TOKEN_BYTES)
        return;
    lr_digest_buffer(token, strlen(token), r->token_sha256);
    lr_error err;
    lr_error_clear(&err);
    bool found = false;
    if (lr_web_session_get(r->st, r->token_sha256, &r->session, &found, &err) < 0)
        lr_log_warning("serve: %s", err.message);
    r->signed_in = found;
}

bool web_auth_require(web_req *r, lr_web_role need, bool html)
{
    if (!r->signed_in) {
        if (html) {
            lr_strbuf to = {0};
            lr_strbuf_puts(&to, "/login?next=");
            web_url_escape(&to, r->url);
            web_send_redirect(r, to.failed ? "/login" : to.data);
            lr_strbuf_free(&to);
        } else {
            web_send_error(r, 401, "sign in first");
        }
        return false;
    }
    if (r->session.role < need) {
        web_send_error(r, 403, "the role %s may not do this (it needs %s)",
                       lr_web_role_name(r->session.role), lr_web_role_name(need));
        return false;
    }
    return true;
}

bool web_auth_csrf(web_req *r)
{
    const char *sent = web_header(r, "X-CSRF-Token");
    size_t n = strlen(r->session.csrf);
    if (!r->signed_in || !sent || strlen(sent) != n || n == 0 ||
        sodium_memcmp(sent, r->session.csrf, n) != 0) {
        web_send_error(r, 403, "missing or wrong X-CSRF-Token");
        return false;
    }
    return true;
}

/* "lr_session=TOKEN; Path=/; HttpOnly; SameSite=Strict[; Secure]; Max-Age=N" (N 0 clears). */
static void cookie(const web_req *r, const char *token, int max_age, char *out, size_t size)
{
    snprintf(out, size, COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict%s; Max-Age=%d", token,
             r->opts->tls_cert ? "; Secure" : "", max_age);
}

/* A hash to verify against when the name is unknown, so that the answer takes as long. */
static char dummy[LR_WEB_PWHASH_SIZE];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[2 * TOKEN_BYTES + 1];
    random_hex(pw);
    if (lr_web_password_hash(pw, dummy, NULL) != LR_OK)
        dummy[0] = '\0';
}

static const char *dummy_hash(void)
{
    pthread_once(&dummy_once, make_dummy);
    return dummy;
}

void web_auth_login(web_req *r)
{
    if (strcmp(r->method, "POST") != 0) {
        web_send_error(r, 405, "sign in with POST");
        return;
    }
    json_error_t jerr;
    json_t *body = json_loadb(r->body, r->body_len, 0, &jerr);
    const char *user = json_string_value(json_object_get(body, "user"));
    const char *password = json_string_value(json_object_get(body, "password"));
    if (!json_is_object(body) || !user || !password) {
        json_decref(body);
        web_send_error(r, 400, "send JSON {\"user\": …, \"password\": …}");
        return;
    }
    char shown[160];
    lr_utf8_path_show(user, shown, sizeof shown);
    lr_error err;
    lr_error_clear(&err);
    long recent = 0;
    if (lr_web_login_failures(r->st, user, r->client, WEB_LOGIN_WINDOW_S, &recent, &err) < 0)
        goto db_error;
    if (recent >= WEB_LOGIN_MAX_FAILURES) {
        lr_log_warning("serve: sign-in refused for user \"%s\" from %s: %ld failures in %d min",
                       shown, r->client, recent, WEB_LOGIN_WINDOW_S / 60);
        json_decref(body);
        web_send_error(r, 429, "too many failed sign-ins; try again in %d minutes",
                       WEB_LOGIN_WINDOW_S / 60);
        return;
    }
    lr_web_role role = LR_WEB_NONE;
    char hash[LR_WEB_PWHASH_SIZE];
    bool found = false;
    if (lr_web_user_get(r->st, user, &role, hash, sizeof hash, &found, &err) < 0)
        goto db_error;
    bool ok = crypto_pwhash_str_verify(found ? hash : dummy_hash(), password,
                                       strlen(password)) == 0 && found && role != LR_WEB_NONE;
    if (!ok) {
        lr_web_login_failed(r->st, user, r->client, WEB_LOGIN_WINDOW_S, &recent, &err);
        lr_log_warning("serve: sign-in failed for user \"%s\" from %s", shown, r->client);
        json_decref(body);
        web_send_error(r, 401, "wrong user name or password");
        return;
    }
    char token[2 * TOKEN_BYTES + 1], csrf[2 * TOKEN_BYTES + 1], token_sha[LR_SHA256_HEX_LEN + 1];
    random_hex(token);
    random_hex(csrf);
    lr_digest_buffer(token, strlen(token), token_sha);
    if (lr_web_session_put(r->st, token_sha, user, csrf, r->opts->session_ttl_s, &err) < 0)
        goto db_error;
    lr_log_info("serve: %s signed in from %s", shown, r->client);
    char set[256];
    cookie(r, token, r->opts->session_ttl_s, set, sizeof set);
    json_t *answer = json_pack("{s:s, s:s, s:s}", "csrf", csrf, "user", user, "role",
                               lr_web_role_name(role));
    json_decref(body);
    char *text = json_dumps(answer, JSON_COMPACT);
    json_decref(answer);
    web_send(r, 200, "application/json", text ? text : "{}", text ? strlen(text) : 2, set);
    free(text);
    return;
db_error:
    json_decref(body);
    lr_log_warning("serve: %s", err.message);
    web_send_error(r, 503, "the database did not answer; try again");
}

void web_auth_logout(web_req *r)
{
    if (strcmp(r->method, "POST") != 0) {
        web_send_error(r, 405, "sign out with POST");
        return;
    }
    if (!web_auth_require(r, LR_WEB_READER, false) || !web_auth_csrf(r))
        return;
    lr_error err;
    lr_error_clear(&err);
    lr_web_session_delete(r->st, r->token_sha256, &err);
    char set[256];
    cookie(r, "", 0, set, sizeof set);
    static const char ok[] = "{\"signed_out\":true}";
    web_send(r, 200, "application/json", ok, sizeof ok - 1, set);
}
