/* web_test.h — what the web test and the web benchmark share: shell commands and one-value
 * queries through psql, an HTTP client with its cookie and CSRF token (libcurl), signing in,
 * and "landrec serve" started as the web role on a free port. */
#ifndef WEB_TEST_H
#define WEB_TEST_H

#include <curl/curl.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs a shell command; its exit status, -1 when it did not exit. */
static int wt_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static int wt_sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The first line of psql's answer to sql on database dbname (a static buffer). */
static __attribute__((unused)) char *wt_query1(const char *dbname, const char *sql)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "psql -X -d %s -Atqc \"%s\"", dbname, sql);
    FILE *p = popen(cmd, "r");
    static char line[4096];
    line[0] = '\0';
    if (p) {
        if (!fgets(line, sizeof line, p))
            line[0] = '\0';
        pclose(p);
    }
    line[strcspn(line, "\n")] = '\0';
    return line;
}

typedef struct wt_sink {
    char *data;
    size_t len;
} wt_sink;

static size_t wt_sink_write(char *data, size_t size, size_t n, void *p)
{
    wt_sink *s = p;
    char *grown = realloc(s->data, s->len + size * n + 1);
    if (!grown)
        return 0;
    memcpy(grown + s->len, data, size * n);
    s->len += size * n;
    grown[s->len] = '\0';
    s->data = grown;
    return size * n;
}

/* One browser: a curl handle with its cookies, and the CSRF token its sign-in gave. */
typedef struct wt_client {
    CURL *h;
    char csrf[96];
} wt_client;

static __attribute__((unused)) void wt_client_init(wt_client *c)
{
    c->h = curl_easy_init();
    c->csrf[0] = '\0';
    curl_easy_setopt(c->h, CURLOPT_COOKIEFILE, ""); /* the cookie engine, in memory */
    curl_easy_setopt(c->h, CURLOPT_TIMEOUT, 120L);
}

typedef struct wt_response {
    long status; /* 0: no answer */
    char *body;  /* NUL-terminated */
    size_t len;
    char *headers;
} wt_response;

static __attribute__((unused)) void wt_response_free(wt_response *r)
{
    free(r->body);
    free(r->headers);
}

/* One request to base + path as it is written (no normalisation of "..": the tests send
 * hostile paths); body may be NULL; with_csrf sends the client's token. Keeps the client's
 * connection alive. */
static wt_response wt_request(wt_client *c, const char *base, const char *method,
                              const char *path, const char *body, bool with_csrf)
{
    wt_sink b = {0}, h = {0};
    char url[4096];
    snprintf(url, sizeof url, "%s%s", base, path);
    curl_easy_setopt(c->h, CURLOPT_URL, url);
    curl_easy_setopt(c->h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
    if (!strcmp(method, "POST")) {
        curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
    }
    curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    char tok[160];
    if (with_csrf) {
        snprintf(tok, sizeof tok, "X-CSRF-Token: %s", c->csrf);
        hdr = curl_slist_append(hdr, tok);
    }
    curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, wt_sink_write);
    curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c->h, CURLOPT_HEADERFUNCTION, wt_sink_write);
    curl_easy_setopt(c->h, CURLOPT_HEADERDATA, &h);
    wt_response r = {0};
    if (curl_easy_perform(c->h) == CURLE_OK)
        curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hdr);
    r.body = b.data ? b.data : strdup("");
    r.len = b.len;
    r.headers = h.data ? h.data : strdup("");
    /* The next request starts from GET without a body. */
    curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, NULL);
    return r;
}

/* Signs in; true and the client's CSRF token set on 200. */
static __attribute__((unused)) bool wt_login(wt_client *c, const char *base, const char *user,
                                             const char *password)
{
    char body[256];
    snprintf(body, sizeof body, "{\"user\":\"%s\",\"password\":\"%s\"}", user, password);
    c->csrf[0] = '\0';
    wt_response r = wt_request(c, base, "POST", "/api/login", body, false);
    json_error_t e;
    json_t *j = json_loads(r.body, 0, &e);
    const char *csrf = json_string_value(json_object_get(j, "csrf"));
    bool ok = r.status == 200 && csrf;
    if (ok)
        snprintf(c->csrf, sizeof c->csrf, "%s", csrf);
    json_decref(j);
    wt_response_free(&r);
    return ok;
}

/* Starts "landrec serve" (the program landrec) on database dbname as the web role, on a
 * random free-looking port with threads threads, over TLS when cert and key are given; its
 * standard error goes to log. base (size >= 64) gets "http[s]://127.0.0.1:PORT", *pid the
 * server's process. 0 when it listens. The caller seeds rand() once. */
static __attribute__((unused)) int wt_start_server(const char *landrec, const char *dbname,
                                                   const char *log, const char *threads,
                                                   const char *cert, const char *key,
                                                   pid_t *pid, char *base, size_t base_size)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    int port = 20000 + rand() % 20000;
    char listen[64], conninfo[256];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    snprintf(conninfo, sizeof conninfo, "dbname=%s user=landrec_web", dbname);
    *pid = fork();
    if (*pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0)
            dup2(fd, 2);
        if (cert)
            execl(landrec, landrec, "serve", "--db", conninfo, "--listen", listen, "--threads",
                  threads, "--tls-cert", cert, "--tls-key", key, (char *)NULL);
        else
            execl(landrec, landrec, "serve", "--db", conninfo, "--listen", listen, "--threads",
                  threads, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *out = fdopen(fds[0], "r");
    char line[256] = "";
    bool up = out && fgets(line, sizeof line, out) && strstr(line, "listening on");
    if (out)
        fclose(out);
    snprintf(base, base_size, "http%s://127.0.0.1:%d", cert ? "s" : "", port);
    return up ? 0 : -1;
}

#endif
