/* server.c — the HTTP daemon of "landrec serve" (web.h): libmicrohttpd with a pool of serving
 * threads, each with its own database connection; a request's body is read whole (up to
 * WEB_MAX_BODY), its session looked up, and one handler called by route. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "landrec/file.h"
#include "landrec/log.h"
#include "web_internal.h"

/* What every answer carries: no inline script or style, no sniffing, no framing, no referrer. */
static const char *const csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'";

typedef struct server {
    const lr_web_options *opts;
    lr_norm_tables *tables;
    pthread_key_t store_key; /* the serving thread's lr_store */
} server;

/* One request's state across libmicrohttpd's calls: its body as it arrives. */
typedef struct pending {
    lr_strbuf body;
    bool too_big;
} pending;

static void store_destroy(void *p)
{
    lr_store *st = p;
    lr_store_close(&st);
}

/* The calling thread's connection, opened on first use; NULL when the database is away. */
static lr_store *thread_store(server *sv)
{
    lr_store *st = pthread_getspecific(sv->store_key);
    if (st)
        return st;
    lr_error err;
    lr_error_clear(&err);
    if (lr_store_connect(sv->opts->conninfo, &st, &err) < 0) {
        lr_log_warning("serve: %s", err.message);
        return NULL;
    }
    lr_store_set_reconnect(st, 5, NULL);
    pthread_setspecific(sv->store_key, st);
    return st;
}

static void add_security_headers(struct MHD_Response *resp, bool cacheable)
{
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control", cacheable ? "private, max-age=3600" : "no-store");
}

void web_send(web_req *r, int status, const char *ctype, const void *body, size_t len,
              const char *set_cookie)
{
    if (r->answered)
        return;
    r->answered = true;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return;
    add_security_headers(resp, r->cacheable);
    if (ctype)
        MHD_add_response_header(resp, "Content-Type", ctype);
    if (set_cookie)
        MHD_add_response_header(resp, "Set-Cookie", set_cookie);
    MHD_queue_response(r->conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
}

void web_send_json(web_req *r, int status, json_t *json)
{
    char *text = json ? json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(json);
    if (!text) {
        static const char oom[] = "{\"error\":\"out of memory\"}";
        web_send(r, 500, "application/json", oom, sizeof oom - 1, NULL);
        return;
    }
    web_send(r, status, "application/json", text, strlen(text), NULL);
    free(text);
}

void web_send_error(web_req *r, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    web_send_json(r, status, json_pack("{s:s}", "error", msg));
}

void web_send_html(web_req *r, int status, lr_strbuf *page)
{
    if (page->failed) {
        lr_strbuf_free(page);
        web_send_error(r, 500, "out of memory");
        return;
    }
    web_send(r, status, "text/html; charset=utf-8", page->data ? page->data : "", page->len,
             NULL);
    lr_strbuf_free(page);
}

void web_send_redirect(web_req *r, const char *location)
{
    if (r->answered)
        return;
    r->answered = true;
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return;
    add_security_headers(resp, false);
    MHD_add_response_header(resp, "Location", location);
    MHD_queue_response(r->conn, MHD_HTTP_SEE_OTHER, resp);
    MHD_destroy_response(resp);
}

const char *web_arg(const web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_header(const web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

int64_t web_url_id(const web_req *r, const char *prefix, const char *suffix)
{
    size_t np = strlen(prefix);
    if (strncmp(r->url, prefix, np) != 0)
        return -1;
    const char *p = r->url + np;
    int64_t id = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 18) {
        id = id * 10 + (*p++ - '0');
        digits++;
    }
    if (digits == 0 || id <= 0)
        return -1;
    if (suffix ? strcmp(p, suffix) != 0 : *p != '\0')
        return -1;
    return id;
}

/* A path that tries to leave where it points (.., a backslash, NUL, a doubled slash). */
static bool path_suspect(const char *url)
{
    return strstr(url, "..") || strchr(url, '\\') || strstr(url, "//") || url[0] != '/';
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Percent-decoding in place, as libmicrohttpd's own, except that %00 stays as it is written:
 * a NUL would cut the path short where the handlers look at it. Returns the new length. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    char *out = s;
    for (const char *in = s; *in; in++) {
        int hi = in[0] == '%' ? hex_digit(in[1]) : -1;
        int lo = hi >= 0 ? hex_digit(in[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *out++ = (char)(hi << 4 | lo);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static void route(web_req *r)
{
    if (path_suspect(r->url)) {
        web_send_error(r, 400, "bad path");
        return;
    }
    if (!strncmp(r->url, "/static/", 8))
        web_asset(r);
    else if (!strncmp(r->url, "/api/", 5))
        web_api(r);
    else if (!strncmp(r->url, "/img/", 5))
        web_image(r);
    else
        web_page(r);
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
    snprintf(out, size, "?");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    server *sv = cls;
    pending *pd = *con_cls;
    if (!pd) {
        pd = calloc(1, sizeof *pd);
        if (!pd)
            return MHD_NO;
        *con_cls = pd;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (pd->body.len + *upload_data_size > WEB_MAX_BODY)
            pd->too_big = true;
        else
            lr_strbuf_put(&pd->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    web_req r = {0};
    r.conn = conn;
    r.method = method;
    r.url = url;
    r.body = pd->body.data && !pd->body.failed ? pd->body.data : "";
    r.body_len = pd->body.failed ? 0 : pd->body.len;
    r.opts = sv->opts;
    r.tables = sv->tables;
    client_address(conn, r.client, sizeof r.client);
    if (pd->too_big) {
        web_send_error(&r, 413, "the request body is larger than %d bytes", WEB_MAX_BODY);
        return MHD_YES;
    }
    r.st = thread_store(sv);
    if (!r.st && strncmp(url, "/static/", 8) != 0) {
        web_send_error(&r, 503, "the database is not reachable; try again shortly");
        return MHD_YES;
    }
    if (r.st)
        web_auth_load(&r);
    route(&r);
    if (!r.answered)
        web_send_error(&r, 500, "no answer");
    return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    pending *pd = *con_cls;
    if (pd) {
        lr_strbuf_free(&pd->body);
        free(pd);
        *con_cls = NULL;
    }
}

/* A whole PEM file into memory; NULL (err filled) when it cannot be read. */
static char *read_pem(const char *path, lr_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = lr_file_read_all(path, &data, &len, NULL);
    if (rc == LR_OK && len == 0) {
        free(data);
        data = NULL;
        lr_error_set(err, LR_ERR_IO, "\"%s\" is empty", path);
    } else if (rc != LR_OK) {
        lr_error_set(err, rc, "could not read \"%s\": %s", path,
                     rc == LR_ERR_NOMEM ? "out of memory" : strerror(errno));
    }
    return data;
}

/* The server's sessions run without parallel query: a request is one of many at once, and
 * starting workers for it costs more (some 30 ms a statement) than a search or a sheet takes
 * to answer. Through PGOPTIONS, which libpq applies to every connection and reconnection; an
 * "options" in the connection string takes precedence, as it does for any libpq client. */
static void no_parallel_query(void)
{
    const char *setting = "-c max_parallel_workers_per_gather=0";
    const char *old = getenv("PGOPTIONS");
    if (!old || !*old) {
        setenv("PGOPTIONS", setting, 1);
        return;
    }
    if (strstr(old, "max_parallel_workers_per_gather"))
        return; /* the user's own choice */
    size_t n = strlen(old) + strlen(setting) + 2;
    char *both = malloc(n);
    if (!both)
        return;
    snprintf(both, n, "%s %s", old, setting);
    setenv("PGOPTIONS", both, 1);
    free(both);
}

/* The database answers and has the schema; a role stronger than the web role is warned of. */
static int check_database(const lr_web_options *o, lr_error *err)
{
    lr_store *st = NULL;
    int rc = lr_store_connect(o->conninfo, &st, err);
    if (rc == LR_OK)
        rc = lr_store_check_schema(st, NULL, err);
    bool too_strong = false;
    char user[72] = "";
    if (rc == LR_OK && lr_web_role_too_strong(st, &too_strong, user, sizeof user, err) == LR_OK &&
        too_strong)
        lr_log_warning("serve: connected as %s, which may change the records; the web role %s "
                       "may not (--db \"... user=%s\", docs/security.md)",
                       user, LR_STORE_WEB_ROLE, LR_STORE_WEB_ROLE);
    lr_store_close(&st);
    return rc;
}

int lr_web_serve(const lr_web_options *opts, volatile sig_atomic_t *stop, lr_error *err)
{
    lr_web_options o = *opts;
    no_parallel_query();
    if (!o.address)
        o.address = "127.0.0.1";
    if (o.port == 0)
        o.port = 8080;
    if (o.threads <= 0)
        o.threads = 4;
    if (o.session_ttl_s <= 0)
        o.session_ttl_s = 8 * 3600;
    if (o.claim_s <= 0)
        o.claim_s = 600;
    if (o.port < 1 || o.port > 65535)
        return lr_error_set(err, LR_ERR_ARG, "the port must be 1 to 65535");
    if (!o.tls_cert != !o.tls_key)
        return lr_error_set(err, LR_ERR_ARG, "TLS needs both --tls-cert and --tls-key");

    struct sockaddr_in6 a6 = {0};
    struct sockaddr_in a4 = {0};
    const struct sockaddr *sa;
    bool v6 = strchr(o.address, ':') != NULL;
    if (v6) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)o.port);
        sa = (const struct sockaddr *)&a6;
        if (inet_pton(AF_INET6, o.address, &a6.sin6_addr) != 1)
            return lr_error_set(err, LR_ERR_ARG, "\"%s\" is not an IP address", o.address);
    } else {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)o.port);
        sa = (const struct sockaddr *)&a4;
        if (inet_pton(AF_INET, o.address, &a4.sin_addr) != 1)
            return lr_error_set(err, LR_ERR_ARG, "\"%s\" is not an IPv4 or IPv6 address",
                                o.address);
    }
    int rc = check_database(&o, err);
    if (rc != LR_OK)
        return rc;

    server sv = {.opts = &o};
    char *cert = NULL, *key = NULL;
    struct MHD_Daemon *d = NULL;
    if ((rc = lr_norm_tables_load(o.norm_dir, &sv.tables, err)) < 0)
        return rc;
    if (pthread_key_create(&sv.store_key, store_destroy) != 0) {
        lr_norm_tables_destroy(&sv.tables);
        return lr_error_set(err, LR_ERR_NOMEM, "could not make the thread key");
    }
    if (o.tls_cert && (!(cert = read_pem(o.tls_cert, err)) || !(key = read_pem(o.tls_key, err)))) {
        rc = err->code;
        goto done;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    if (cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            rc = lr_error_set(err, LR_ERR_ARG, "this libmicrohttpd has no TLS");
            goto done;
        }
        flags |= MHD_USE_TLS;
    }
    d = MHD_start_daemon(flags, (uint16_t)o.port, NULL, NULL, on_request, &sv,
                         MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_THREAD_POOL_SIZE,
                         (unsigned)o.threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &sv,
                         MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_UNESCAPE_CALLBACK,
                         unescape, NULL,
                         cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
                         MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
    if (!d) {
        rc = lr_error_set(err, LR_ERR_IO, "could not listen on %s port %d", o.address, o.port);
        lr_error_hint(err, "Is another program using the port? Give --listen ADDR:PORT.");
        goto done;
    }
    printf("listening on http%s://%s%s%s:%d/\n", cert ? "s" : "", v6 ? "[" : "", o.address,
           v6 ? "]" : "", o.port);
    fflush(stdout);
    while (!*stop) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    rc = LR_OK;
done:
    free(cert);
    free(key);
    pthread_key_delete(sv.store_key);
    lr_norm_tables_destroy(&sv.tables);
    return rc;
}
