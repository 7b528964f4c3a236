/* api.c — the JSON interface of "landrec serve" (docs/web.md, "HTTP interface"): sign-in,
 * search, one sheet, the review queue and decisions, the dashboard's figures. Bad requests get
 * a 4xx with {"error": …}. */
#include <stdlib.h>
#include <string.h>

#include "landrec/log.h"
#include "web_internal.h"

static bool is_get(const web_req *r)
{
    return strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
}

static bool is_post(const web_req *r)
{
    return strcmp(r->method, "POST") == 0;
}

/* A store failure: the user's own mistake (LR_ERR_ARG) as 400 with its message, anything
 * else logged and answered 500 without the database's words. */
static void store_error(web_req *r, const lr_error *err)
{
    if (err->code == LR_ERR_ARG) {
        web_send_error(r, 400, "%s", err->message);
        return;
    }
    lr_log_warning("serve: %s %s: %s%s%s", r->method, r->url, err->message,
                   err->detail[0] ? ": " : "", err->detail);
    web_send_error(r, 500, "the database could not answer; see the server's log");
}

/* The search conditions of the query string; "page" (1-based) or "offset", and "limit". */
static lr_web_query query_of(const web_req *r)
{
    lr_web_query q = {0};
    q.lot = web_arg(r, "lot");
    q.location = web_arg(r, "location");
    q.owner = web_arg(r, "owner");
    q.q = web_arg(r, "q");
    q.from = web_arg(r, "from");
    q.to = web_arg(r, "to");
    q.doc_type = web_arg(r, "doc_type");
    q.batch = web_arg(r, "batch");
    const char *limit = web_arg(r, "limit"), *offset = web_arg(r, "offset");
    q.limit = limit ? atoi(limit) : 20;
    q.offset = offset ? atoi(offset) : 0;
    return q;
}

/* GET /api/sheets: {"total", "more", "offset", "limit", "sheets": [records objects]}. */
static void sheets(web_req *r)
{
    lr_web_query q = query_of(r);
    json_t *found = NULL, *records = NULL;
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_search(r->st, &q, &found, &err) < 0) {
        store_error(r, &err);
        return;
    }
    json_t *results = json_object_get(found, "results");
    size_t n = json_array_size(results);
    int64_t *ids = calloc(n ? n : 1, sizeof *ids);
    for (size_t i = 0; ids && i < n; i++)
        ids[i] = json_integer_value(json_object_get(json_array_get(results, i), "id"));
    if (!ids || lr_web_records(r->st, ids, n, &records, &err) < 0) {
        free(ids);
        json_decref(found);
        if (!ids)
            web_send_error(r, 500, "out of memory");
        else
            store_error(r, &err);
        return;
    }
    free(ids);
    json_t *answer = json_pack("{s:O, s:O, s:O, s:O, s:o}", "total",
                               json_object_get(found, "total"), "more",
                               json_object_get(found, "more"), "offset",
                               json_object_get(found, "offset"), "limit",
                               json_object_get(found, "limit"), "sheets", records);
    json_decref(found);
    web_send_json(r, 200, answer);
}

static void sheet(web_req *r, int64_t id)
{
    json_t *s = NULL;
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_sheet(r->st, id, &s, &err) < 0) {
        store_error(r, &err);
        return;
    }
    if (!s) {
        web_send_error(r, 404, "no sheet %lld", (long long)id);
        return;
    }
    web_send_json(r, 200, s);
}

static void accept_sheet(web_req *r, int64_t id)
{
    long n = 0;
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_accept_sheet(r->st, r->session.user, id, &n, &err) < 0) {
        store_error(r, &err);
        return;
    }
    web_send_json(r, 200, json_pack("{s:I, s:i}", "sheet", (json_int_t)id, "accepted", (int)n));
}

static void review_next(web_req *r)
{
    json_t *item = NULL;
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_review_next(r->st, r->session.user, r->opts->claim_s, &item, &err) < 0) {
        store_error(r, &err);
        return;
    }
    if (!item) {
        web_send(r, 204, NULL, "", 0, NULL);
        return;
    }
    web_send_json(r, 200, item);
}

static const struct {
    const char *name;
    lr_web_decision decision;
} actions[] = {{"accept", LR_WEB_ACCEPT},
               {"correct", LR_WEB_CORRECT},
               {"alternative", LR_WEB_ALTERNATIVE},
               {"illegible", LR_WEB_ILLEGIBLE},
               {"skip", LR_WEB_SKIP}};

/* POST /api/review/ITEM {"action", "value", "pick" (1-based), "why"}. */
static void review_decide(web_req *r, int64_t item)
{
    json_error_t jerr;
    json_t *body = json_loadb(r->body, r->body_len, 0, &jerr);
    if (!json_is_object(body)) {
        json_decref(body);
        web_send_error(r, 400, "the body is not a JSON object: %s", jerr.text);
        return;
    }
    const char *action = json_string_value(json_object_get(body, "action"));
    int which = -1;
    for (size_t i = 0; action && i < sizeof actions / sizeof actions[0]; i++)
        if (strcmp(action, actions[i].name) == 0)
            which = (int)i;
    if (which < 0) {
        json_decref(body);
        web_send_error(r, 400, "\"action\" is one of accept, correct, alternative, illegible, skip");
        return;
    }
    const char *value = json_string_value(json_object_get(body, "value"));
    const char *why = json_string_value(json_object_get(body, "why"));
    json_t *pick = json_object_get(body, "pick");
    if (actions[which].decision == LR_WEB_ALTERNATIVE && !json_is_integer(pick)) {
        json_decref(body);
        web_send_error(r, 400, "\"alternative\" needs \"pick\", the alternative's number");
        return;
    }
    if (actions[which].decision == LR_WEB_CORRECT && (!value || !*value)) {
        json_decref(body);
        web_send_error(r, 400, "\"correct\" needs \"value\", the text as written");
        return;
    }
    int pick_index = json_is_integer(pick) ? (int)json_integer_value(pick) - 1 : -1;
    json_t *out = NULL;
    lr_error err;
    lr_error_clear(&err);
    int rc = lr_web_review_decide(r->st, r->tables, r->session.user, item,
                                  actions[which].decision, value, pick_index, why, &out, &err);
    json_decref(body);
    if (rc < 0) {
        if (rc == LR_ERR_ARG && !strcmp(err.detail, "unknown"))
            web_send_error(r, 404, "%s", err.message);
        else if (rc == LR_ERR_ARG && (!strcmp(err.detail, "resolved") ||
                                      !strcmp(err.detail, "claimed")))
            web_send_error(r, 409, "%s", err.message);
        else
            store_error(r, &err);
        return;
    }
    web_send_json(r, 200, out);
}

static void dashboard(web_req *r)
{
    json_t *d = NULL;
    lr_error err;
    lr_error_clear(&err);
    if (lr_web_dashboard(r->st, 0, &d, &err) < 0) {
        store_error(r, &err);
        return;
    }
    web_send_json(r, 200, d);
}

void web_api(web_req *r)
{
    const char *u = r->url;
    int64_t id;
    if (!strcmp(u, "/api/login")) {
        web_auth_login(r);
    } else if (!strcmp(u, "/api/logout")) {
        web_auth_logout(r);
    } else if (!strcmp(u, "/api/sheets")) {
        if (!is_get(r))
            web_send_error(r, 405, "GET only");
        else if (web_auth_require(r, LR_WEB_READER, false))
            sheets(r);
    } else if ((id = web_url_id(r, "/api/sheets/", "/accept")) > 0) {
        if (!is_post(r))
            web_send_error(r, 405, "POST only");
        else if (web_auth_require(r, LR_WEB_REVIEWER, false) && web_auth_csrf(r))
            accept_sheet(r, id);
    } else if (!strncmp(u, "/api/sheets/", 12)) {
        if ((id = web_url_id(r, "/api/sheets/", NULL)) <= 0)
            web_send_error(r, 404, "no sheet \"%.40s\"", u + 12);
        else if (!is_get(r))
            web_send_error(r, 405, "GET only");
        else if (web_auth_require(r, LR_WEB_READER, false))
            sheet(r, id);
    } else if (!strcmp(u, "/api/review/next")) {
        if (!is_get(r))
            web_send_error(r, 405, "GET only");
        else if (web_auth_require(r, LR_WEB_REVIEWER, false))
            review_next(r);
    } else if (!strncmp(u, "/api/review/", 12)) {
        if (!is_post(r))
            web_send_error(r, 405, "POST only");
        else if (!web_auth_require(r, LR_WEB_REVIEWER, false) || !web_auth_csrf(r))
            return;
        else if ((id = web_url_id(r, "/api/review/", NULL)) <= 0)
            web_send_error(r, 404, "no review item \"%.40s\"", u + 12);
        else
            review_decide(r, id);
    } else if (!strcmp(u, "/api/dashboard")) {
        if (!is_get(r))
            web_send_error(r, 405, "GET only");
        else if (web_auth_require(r, LR_WEB_OFFICER, false))
            dashboard(r);
    } else {
        web_send_error(r, 404, "no such API: %.80s", u);
    }
}
