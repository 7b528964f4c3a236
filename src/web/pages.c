/* pages.c — the HTML pages: sign-in, search, one sheet, the review desk's shell and the
 * dashboard, drawn on the server from the store's JSON (webstore.h).
 *
 * Every value from the database, a file name or the request goes through web_html_escape
 * (or web_url_escape in a link's query); behaviour lives in /static/app.js, which reads the
 * JSON islands and data-* attributes written here (the CSP allows no inline script). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/log.h"
#include "web_internal.h"

#define RESULTS_PER_PAGE 20

/* ---- small writers ------------------------------------------------------------------------ */

/* A JSON scalar as text; an object or array as compact JSON; null or absent as nothing. */
static void put_scalar(lr_strbuf *b, const json_t *v)
{
    if (json_is_string(v)) {
        web_html_escape(b, json_string_value(v));
    } else if (json_is_integer(v)) {
        lr_strbuf_printf(b, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        lr_strbuf_printf(b, "%.1f", json_real_value(v));
    } else if (json_is_boolean(v)) {
        lr_strbuf_puts(b, json_is_true(v) ? "yes" : "no");
    } else if (v && !json_is_null(v)) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        web_html_escape(b, text);
        free(text);
    }
}

/* <a class="sheet-link" href="/sheets/ID">…: the caller writes the text and closes it. */
static void open_sheet_link(lr_strbuf *b, long long id, const char *cls)
{
    lr_strbuf_printf(b, "<a class=\"%s\" href=\"/sheets/%lld\">", cls, id);
}

static void finish(web_req *r, int status, lr_strbuf *b)
{
    web_html_end(b);
    web_send_html(r, status, b);
    lr_strbuf_free(b);
}

/* A whole page saying one thing (not found, failed …). */
static void message_page(web_req *r, int status, const char *title, const char *text)
{
    lr_strbuf b = {0};
    web_html_begin(&b, r, title);
    lr_strbuf_puts(&b, "<h1>");
    web_html_escape(&b, title);
    lr_strbuf_puts(&b, "</h1><p class=\"error\">");
    web_html_escape(&b, text);
    lr_strbuf_puts(&b, "</p>");
    finish(r, status, &b);
}

static void log_failure(const char *what, const lr_error *err)
{
    char buf[800];
    lr_log_error("%s: %s", what, lr_error_format(err, buf, sizeof buf));
}

/* ---- sign-in ------------------------------------------------------------------------------ */

static void login_page(web_req *r)
{
    lr_strbuf b = {0};
    web_html_begin(&b, r, "Sign in");
    lr_strbuf_puts(&b,
                   "<h1>Sign in</h1>"
                   "<form id=\"login\" class=\"login\" method=\"post\" action=\"/api/login\">"
                   "<p><label for=\"user\">User</label>"
                   "<input id=\"user\" name=\"user\" autocomplete=\"username\" required"
                   " autofocus></p>"
                   "<p><label for=\"password\">Password</label>"
                   "<input id=\"password\" name=\"password\" type=\"password\""
                   " autocomplete=\"current-password\" required></p>"
                   "<p><button type=\"submit\">Sign in</button></p>"
                   "<p id=\"login-error\" class=\"error\" role=\"alert\"></p>"
                   "</form>");
    finish(r, 200, &b);
}

/* ---- search ------------------------------------------------------------------------------- */

static const char *const search_args[] = {"q", "location", "lot", "owner", "from", "to",
                                          "doc_type", "batch"};
#define N_SEARCH_ARGS (sizeof search_args / sizeof search_args[0])

static const char *const doc_types[] = {"land_ledger",  "forest_ledger", "movement_resolution",
                                        "cadastral_map", "forest_map",   "survey_map",
                                        "unknown"};

static const char *arg_or_empty(const web_req *r, const char *name)
{
    const char *v = web_arg(r, name);
    return v ? v : "";
}

static void text_input(lr_strbuf *b, const web_req *r, const char *name, const char *label,
                       const char *type, const char *placeholder)
{
    lr_strbuf_printf(b, "<label>%s <input name=\"%s\" type=\"%s\"", label, name, type);
    if (placeholder)
        lr_strbuf_printf(b, " placeholder=\"%s\"", placeholder);
    lr_strbuf_puts(b, " value=\"");
    web_html_escape(b, arg_or_empty(r, name));
    lr_strbuf_puts(b, "\"></label>");
}

static void doc_type_select(lr_strbuf *b, const web_req *r)
{
    const char *cur = arg_or_empty(r, "doc_type");
    lr_strbuf_printf(b, "<label>Type <select name=\"doc_type\"><option value=\"\"%s>any</option>",
                     *cur ? "" : " selected");
    for (size_t i = 0; i < sizeof doc_types / sizeof doc_types[0]; i++)
        lr_strbuf_printf(b, "<option value=\"%s\"%s>%s</option>", doc_types[i],
                         strcmp(cur, doc_types[i]) == 0 ? " selected" : "", doc_types[i]);
    lr_strbuf_puts(b, "</select></label>");
}

static void search_form(lr_strbuf *b, const web_req *r)
{
    lr_strbuf_puts(b, "<form id=\"search\" class=\"search\" method=\"get\" action=\"/search\">"
                      "<div class=\"row\">");
    text_input(b, r, "q", "Text", "search", "anything on the sheet or its file name");
    lr_strbuf_puts(b, "<button type=\"submit\">Search</button></div><div class=\"row\">");
    text_input(b, r, "location", "Location", "text", NULL);
    text_input(b, r, "lot", "Lot", "text", "123-4");
    text_input(b, r, "owner", "Owner", "text", NULL);
    lr_strbuf_puts(b, "</div><div class=\"row\">");
    text_input(b, r, "from", "From", "date", "YYYY-MM-DD");
    text_input(b, r, "to", "To", "date", "YYYY-MM-DD");
    doc_type_select(b, r);
    text_input(b, r, "batch", "Batch", "text", NULL);
    lr_strbuf_puts(b, "</div></form>\n");
}

/* href of the search with the same conditions on another result page, attribute-escaped. */
static void search_href(lr_strbuf *b, const web_req *r, long page)
{
    lr_strbuf q = {0};
    lr_strbuf_puts(&q, "/search?");
    for (size_t i = 0; i < N_SEARCH_ARGS; i++) {
        const char *v = web_arg(r, search_args[i]);
        if (!v || !*v)
            continue;
        lr_strbuf_printf(&q, "%s=", search_args[i]);
        web_url_escape(&q, v);
        lr_strbuf_putc(&q, '&');
    }
    lr_strbuf_printf(&q, "page=%ld", page);
    web_html_escape(b, q.data);
    lr_strbuf_free(&q);
}

static bool any_condition(const web_req *r)
{
    for (size_t i = 0; i < N_SEARCH_ARGS; i++) {
        const char *v = web_arg(r, search_args[i]);
        if (v && *v)
            return true;
    }
    return false;
}

static void result_row(lr_strbuf *b, const json_t *x)
{
    long long id = (long long)json_integer_value(json_object_get(x, "id"));
    long long nopen = web_jcount(x, "nopen");
    lr_strbuf_printf(b, "<tr><td class=\"thumb\"><a href=\"/sheets/%lld\" tabindex=\"-1\""
                        " aria-hidden=\"true\"><img src=\"/img/thumb/%lld.png\" alt=\"\""
                        " loading=\"lazy\" width=\"120\"></a></td><td>",
                     id, id);
    open_sheet_link(b, id, "sheet-link");
    web_html_escape(b, web_jstr(x, "source"));
    lr_strbuf_printf(b, "</a> <span class=\"page-no\">p. %lld</span>",
                     (long long)json_integer_value(json_object_get(x, "page")));
    if (nopen > 0)
        lr_strbuf_printf(b, " <span class=\"badge flag\" title=\"open review items\">%lld"
                            " flagged</span>",
                         nopen);
    lr_strbuf_puts(b, "</td><td>");
    web_html_escape(b, web_jstr(x, "doc_type"));
    lr_strbuf_puts(b, "</td><td>");
    web_html_escape(b, web_jstr(x, "location"));
    lr_strbuf_puts(b, "</td><td>");
    web_html_escape(b, web_jstr(x, "lot"));
    lr_strbuf_puts(b, "</td><td>");
    web_html_escape(b, web_jstr(x, "owners"));
    lr_strbuf_puts(b, "</td><td class=\"dates\">");
    const char *d0 = web_jstr(x, "min_date"), *d1 = web_jstr(x, "max_date");
    web_html_escape(b, d0);
    if (d1 && (!d0 || strcmp(d0, d1) != 0)) {
        lr_strbuf_puts(b, " \xE2\x80\x93 ");
        web_html_escape(b, d1);
    }
    lr_strbuf_puts(b, "</td></tr>\n");
}

/* more: total is where the count stopped, and there are more (lr_web_search). */
static void pager(lr_strbuf *b, const web_req *r, long page, long long total, bool more)
{
    bool prev = page > 1, next = more || (long long)page * RESULTS_PER_PAGE < total;
    if (!prev && !next)
        return;
    lr_strbuf_puts(b, "<nav class=\"pager\">");
    if (prev) {
        lr_strbuf_puts(b, "<a rel=\"prev\" href=\"");
        search_href(b, r, page - 1);
        lr_strbuf_puts(b, "\">\xE2\x86\x90 previous</a> ");
    }
    if (more)
        lr_strbuf_printf(b, "<span>page %ld</span>", page);
    else
        lr_strbuf_printf(b, "<span>page %ld of %lld</span>", page,
                         (total + RESULTS_PER_PAGE - 1) / RESULTS_PER_PAGE);
    if (next) {
        lr_strbuf_puts(b, " <a rel=\"next\" href=\"");
        search_href(b, r, page + 1);
        lr_strbuf_puts(b, "\">next \xE2\x86\x92</a>");
    }
    lr_strbuf_puts(b, "</nav>\n");
}

static void search_results(lr_strbuf *b, const web_req *r, const json_t *res, long page)
{
    long long total = web_jcount(res, "total");
    bool more = json_is_true(json_object_get(res, "more"));
    const json_t *rows = json_object_get(res, "results");
    long long first = (long long)(page - 1) * RESULTS_PER_PAGE + 1;
    lr_strbuf_puts(b, "<p class=\"count\">");
    if (more)
        lr_strbuf_puts(b, "More than ");
    web_put_count(b, total);
    if (any_condition(r))
        lr_strbuf_puts(b, total == 1 && !more ? " sheet matches" : " sheets match");
    else
        lr_strbuf_puts(b, total == 1 && !more ? " sheet (no condition: all of them)"
                                              : " sheets (no condition: all of them)");
    if (json_array_size(rows) > 0) {
        lr_strbuf_puts(b, "; ");
        web_put_count(b, first);
        lr_strbuf_puts(b, "\xE2\x80\x93");
        web_put_count(b, first + (long long)json_array_size(rows) - 1);
        lr_strbuf_puts(b, " shown");
    }
    lr_strbuf_puts(b, ".</p>\n");
    if (json_array_size(rows) == 0)
        return;
    lr_strbuf_puts(b, "<table class=\"results\"><thead><tr><th></th><th>Sheet</th><th>Type</th>"
                      "<th>Location</th><th>Lot</th><th>Owners</th><th>Dates</th></tr></thead>"
                      "<tbody>\n");
    size_t i;
    const json_t *x;
    json_array_foreach(rows, i, x) result_row(b, x);
    lr_strbuf_puts(b, "</tbody></table>\n");
    pager(b, r, page, total, more);
}

static long page_arg(const web_req *r)
{
    const char *s = web_arg(r, "page");
    char *end = NULL;
    long page = s ? strtol(s, &end, 10) : 1;
    /* Bounded so that the offset stays an int. */
    if (!s || end == s || page < 1)
        return 1;
    return page > 100000 ? 100000 : page;
}

static void search_page(web_req *r)
{
    if (!web_auth_require(r, LR_WEB_READER, true))
        return;
    long page = page_arg(r);
    lr_web_query q = {.q = web_arg(r, "q"),
                      .location = web_arg(r, "location"),
                      .lot = web_arg(r, "lot"),
                      .owner = web_arg(r, "owner"),
                      .from = web_arg(r, "from"),
                      .to = web_arg(r, "to"),
                      .doc_type = web_arg(r, "doc_type"),
                      .batch = web_arg(r, "batch"),
                      .limit = RESULTS_PER_PAGE,
                      .offset = (int)((page - 1) * RESULTS_PER_PAGE)};
    json_t *res = NULL;
    lr_error err = {0};
    int rc = lr_web_search(r->st, &q, &res, &err);
    int status = 200;
    lr_strbuf b = {0};
    web_html_begin(&b, r, "Search");
    lr_strbuf_puts(&b, "<h1>Search</h1>\n");
    search_form(&b, r);
    if (rc == LR_ERR_ARG) {
        status = 400;
        lr_strbuf_puts(&b, "<p class=\"error\" role=\"alert\">");
        web_html_escape(&b, err.message);
        lr_strbuf_puts(&b, "</p>");
    } else if (rc != LR_OK) {
        /* The SQL's details are for the log, not the browser. */
        status = 500;
        log_failure("search", &err);
        lr_strbuf_puts(&b, "<p class=\"error\" role=\"alert\">search failed</p>");
    } else {
        search_results(&b, r, res, page);
    }
    json_decref(res);
    finish(r, status, &b);
}

/* ---- one sheet ---------------------------------------------------------------------------- */

/* A records field ({"raw","value","conf","review"}, or null): its value, else what was read. */
static void put_field(lr_strbuf *b, const json_t *f)
{
    if (!json_is_object(f))
        return;
    const json_t *v = json_object_get(f, "value");
    if (v && !json_is_null(v)) {
        put_scalar(b, v);
    } else if (web_jstr(f, "raw") && *web_jstr(f, "raw")) {
        lr_strbuf_puts(b, "<span class=\"unread\" title=\"as read; not normalised\">");
        web_html_escape(b, web_jstr(f, "raw"));
        lr_strbuf_puts(b, "</span>");
    }
    if (json_is_true(json_object_get(f, "review")))
        lr_strbuf_puts(b, " <span class=\"badge flag\" title=\"flagged for review\">?</span>");
}

static void sheet_viewer(lr_strbuf *b, long long id, const json_t *sheet)
{
    lr_strbuf_puts(b, "<section class=\"page-image\"><h2>Page</h2>");
    if (!json_is_true(json_object_get(sheet, "view"))) {
        lr_strbuf_puts(b, "<p class=\"note\">no page image recorded</p></section>\n");
        return;
    }
    lr_strbuf_printf(b, "<div class=\"viewer-tools\">"
                        "<button type=\"button\" id=\"zoom-in\" title=\"zoom in\">+</button>"
                        "<button type=\"button\" id=\"zoom-out\" title=\"zoom out\">\xE2\x88\x92"
                        "</button>"
                        "<button type=\"button\" id=\"zoom-fit\">fit</button>"
                        "<label><input type=\"checkbox\" id=\"show-words\" checked> words</label>"
                        "<label><input type=\"checkbox\" id=\"show-fields\" checked> fields</label>"
                        "<span class=\"hint\">wheel to zoom, drag to pan</span></div>"
                        "<svg id=\"viewer\" class=\"viewer\" data-src=\"/img/view/%lld.jpg\""
                        " role=\"img\" aria-label=\"the page image with its OCR boxes\""
                        " xmlns=\"http://www.w3.org/2000/svg\"></svg></section>\n",
                     id);
}

static const char *const parcel_keys[] = {"location", "lot",         "category",   "area",
                                          "grade",    "current_lot", "legal_dong", "pnu"};

static void sheet_parcel(lr_strbuf *b, const json_t *sheet)
{
    lr_strbuf_puts(b, "<section><h2>Parcel</h2><table class=\"kv\"><tbody>");
    for (size_t k = 0; k < sizeof parcel_keys / sizeof parcel_keys[0]; k++) {
        const json_t *f = json_object_get(sheet, parcel_keys[k]);
        lr_strbuf_printf(b, "<tr><th>%s</th><td>", parcel_keys[k]);
        if (json_is_object(f))
            put_field(b, f);
        else
            put_scalar(b, f);
        const json_t *from = json_object_get(f, "from");
        if (json_is_object(from))
            lr_strbuf_printf(b, " <span class=\"note\">from land row %lld</span>",
                             (long long)json_integer_value(json_object_get(from, "land_history")));
        lr_strbuf_puts(b, "</td></tr>");
    }
    lr_strbuf_puts(b, "</tbody></table></section>\n");
}

/* The versions of a field, each with the value it replaced (the machine's before the first). */
static void field_versions(lr_strbuf *b, const json_t *field)
{
    const json_t *versions = json_object_get(field, "versions");
    if (json_array_size(versions) == 0)
        return;
    const json_t *old = json_object_get(field, "value");
    lr_strbuf_puts(b, "<ul class=\"versions\">");
    size_t i;
    const json_t *v;
    json_array_foreach(versions, i, v)
    {
        lr_strbuf_puts(b, "<li>");
        web_html_escape(b, web_jstr(v, "reviewer"));
        lr_strbuf_puts(b, ", ");
        web_put_time(b, web_jstr(v, "at"));
        lr_strbuf_puts(b, ": <span class=\"old\">");
        put_scalar(b, old);
        lr_strbuf_puts(b, "</span> \xE2\x86\x92 <span class=\"new\">");
        put_scalar(b, json_object_get(v, "value"));
        lr_strbuf_puts(b, "</span>");
        if (web_jstr(v, "why")) {
            lr_strbuf_puts(b, " (");
            web_html_escape(b, web_jstr(v, "why"));
            lr_strbuf_puts(b, ")");
        }
        lr_strbuf_puts(b, "</li>");
        old = json_object_get(v, "value");
    }
    lr_strbuf_puts(b, "</ul>");
}

static void field_alternatives(lr_strbuf *b, const json_t *field)
{
    const json_t *alts = json_object_get(field, "alternatives");
    size_t i;
    const json_t *a;
    json_array_foreach(alts, i, a)
    {
        if (i > 0)
            lr_strbuf_puts(b, ", ");
        put_scalar(b, json_object_get(a, "value"));
        if (json_is_number(json_object_get(a, "score")))
            lr_strbuf_printf(b, " <span class=\"score\">(%.0f)</span>",
                             json_number_value(json_object_get(a, "score")));
    }
}

static void field_flag(lr_strbuf *b, const json_t *field)
{
    bool flagged = json_is_true(json_object_get(field, "review"));
    if (flagged)
        lr_strbuf_puts(b, "<span class=\"badge flag\">flagged</span> ");
    web_html_escape(b, web_jstr(field, "reason"));
    const char *state = web_jstr(field, "item_state");
    const json_t *item = json_object_get(field, "item");
    if (json_is_integer(item) && state && strcmp(state, "open") == 0)
        lr_strbuf_printf(b, " <a class=\"review-link\" href=\"/review?item=%lld\">review</a>",
                         (long long)json_integer_value(item));
}

static void field_row(lr_strbuf *b, size_t i, const json_t *f)
{
    bool flagged = json_is_true(json_object_get(f, "review"));
    lr_strbuf_printf(b, "<tr data-i=\"%zu\"%s><td>", i, flagged ? " class=\"flagged\"" : "");
    web_html_escape(b, web_jstr(f, "section"));
    lr_strbuf_puts(b, "</td><td class=\"num\">");
    put_scalar(b, json_object_get(f, "row"));
    lr_strbuf_puts(b, "</td><td>");
    web_html_escape(b, web_jstr(f, "field"));
    lr_strbuf_puts(b, "</td><td class=\"raw\">");
    web_html_escape(b, web_jstr(f, "raw"));
    lr_strbuf_puts(b, "</td><td>");
    put_scalar(b, json_object_get(f, "value"));
    lr_strbuf_puts(b, "</td><td>");
    put_scalar(b, json_object_get(f, "current"));
    lr_strbuf_puts(b, "</td><td class=\"num\">");
    if (json_is_number(json_object_get(f, "conf")))
        lr_strbuf_printf(b, "%.0f", json_number_value(json_object_get(f, "conf")));
    lr_strbuf_puts(b, "</td><td>");
    field_flag(b, f);
    lr_strbuf_puts(b, "</td><td>");
    field_alternatives(b, f);
    lr_strbuf_puts(b, "</td><td>");
    field_versions(b, f);
    lr_strbuf_puts(b, "</td></tr>\n");
}

static void sheet_fields(lr_strbuf *b, const json_t *sheet)
{
    const json_t *fields = json_object_get(sheet, "fields");
    lr_strbuf_puts(b, "<section><h2>Fields</h2>");
    if (json_array_size(fields) == 0) {
        lr_strbuf_puts(b, "<p class=\"note\">no fields recorded</p></section>\n");
        return;
    }
    lr_strbuf_puts(b, "<div class=\"scroll\"><table id=\"fields\" class=\"fields\"><thead><tr>"
                      "<th>Section</th><th>Row</th><th>Field</th><th>As read</th>"
                      "<th>Machine value</th><th>Current value</th><th>Conf</th>"
                      "<th>Flag</th><th>Alternatives</th><th>Versions</th></tr></thead><tbody>\n");
    size_t i;
    const json_t *f;
    json_array_foreach(fields, i, f) field_row(b, i, f);
    lr_strbuf_puts(b, "</tbody></table></div></section>\n");
}

/* A history table (land_history, owner_history): one row per entry, struck ones marked. */
static void sheet_history(lr_strbuf *b, const json_t *sheet, const char *key, const char *title,
                          const char *const *cols, size_t ncols)
{
    const json_t *rows = json_object_get(sheet, key);
    lr_strbuf_printf(b, "<section><h2>%s</h2>", title);
    if (json_array_size(rows) == 0) {
        lr_strbuf_puts(b, "<p class=\"note\">no rows</p></section>\n");
        return;
    }
    lr_strbuf_puts(b, "<table class=\"history\"><thead><tr><th>#</th>");
    for (size_t c = 0; c < ncols; c++)
        lr_strbuf_printf(b, "<th>%s</th>", cols[c]);
    lr_strbuf_puts(b, "</tr></thead><tbody>");
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        bool empty = true; /* the export pads the rows before the first with nulls */
        for (size_t c = 0; c < ncols; c++)
            empty = empty && !json_is_object(json_object_get(row, cols[c]));
        if (empty)
            continue;
        bool struck = json_is_true(json_object_get(row, "struck"));
        lr_strbuf_printf(b, "<tr%s><td class=\"num\">%zu</td>", struck ? " class=\"struck\"" : "",
                         i);
        for (size_t c = 0; c < ncols; c++) {
            const json_t *f = json_object_get(row, cols[c]);
            bool flagged = json_is_true(json_object_get(f, "review"));
            lr_strbuf_printf(b, "<td%s>", flagged ? " class=\"flagged\"" : "");
            put_field(b, f);
            lr_strbuf_puts(b, "</td>");
        }
        lr_strbuf_puts(b, "</tr>");
    }
    lr_strbuf_puts(b, "</tbody></table></section>\n");
}

static void sheet_lineage(lr_strbuf *b, const json_t *sheet)
{
    const json_t *lineage = json_object_get(sheet, "lineage");
    if (json_array_size(lineage) == 0)
        return;
    lr_strbuf_puts(b, "<section><h2>Lineage</h2><ul class=\"lineage\">");
    size_t i, j;
    const json_t *e, *s;
    json_array_foreach(lineage, i, e)
    {
        lr_strbuf_puts(b, "<li>");
        web_html_escape(b, web_jstr(e, "kind"));
        lr_strbuf_putc(b, ' ');
        put_scalar(b, json_object_get(e, "from"));
        lr_strbuf_puts(b, " \xE2\x86\x92 ");
        put_scalar(b, json_object_get(e, "to"));
        if (json_is_integer(json_object_get(e, "row")))
            lr_strbuf_printf(b, " <span class=\"note\">(land row %lld)</span>",
                             (long long)json_integer_value(json_object_get(e, "row")));
        json_array_foreach(json_object_get(e, "sheets"), j, s)
        {
            lr_strbuf_puts(b, j == 0 ? " \xE2\x80\x94 " : ", ");
            long long id = (long long)json_integer_value(json_object_get(s, "id"));
            open_sheet_link(b, id, "lineage-link");
            lr_strbuf_printf(b, "sheet %lld", id);
            if (web_jstr(s, "lot")) {
                lr_strbuf_puts(b, " (lot ");
                web_html_escape(b, web_jstr(s, "lot"));
                lr_strbuf_puts(b, ")");
            }
            lr_strbuf_puts(b, "</a>");
        }
        lr_strbuf_puts(b, "</li>");
    }
    lr_strbuf_puts(b, "</ul></section>\n");
}

static void kv_row(lr_strbuf *b, const char *label, const json_t *v)
{
    lr_strbuf_printf(b, "<tr><th>%s</th><td>", label);
    put_scalar(b, v);
    lr_strbuf_puts(b, "</td></tr>");
}

static void settings_block(lr_strbuf *b, const json_t *settings)
{
    lr_strbuf_puts(b, "<tr><th>settings</th><td><details><summary>show</summary><pre>");
    char *text = settings ? json_dumps(settings, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY)
                          : NULL;
    web_html_escape(b, text);
    free(text);
    lr_strbuf_puts(b, "</pre></details></td></tr>");
}

static void invocations_table(lr_strbuf *b, const json_t *invs)
{
    if (json_array_size(invs) == 0)
        return;
    lr_strbuf_puts(b, "<h3>Invocations</h3><table class=\"invocations\"><thead><tr><th>Id</th>"
                      "<th>Batch</th><th>Host</th><th>Started</th><th>Outcome</th></tr></thead>"
                      "<tbody>");
    size_t i;
    const json_t *v;
    json_array_foreach(invs, i, v)
    {
        lr_strbuf_puts(b, "<tr><td class=\"num\">");
        put_scalar(b, json_object_get(v, "id"));
        lr_strbuf_puts(b, "</td><td>");
        web_html_escape(b, web_jstr(v, "batch"));
        lr_strbuf_puts(b, "</td><td>");
        web_html_escape(b, web_jstr(v, "host"));
        lr_strbuf_puts(b, "</td><td>");
        web_put_time(b, web_jstr(v, "started_at"));
        lr_strbuf_puts(b, "</td><td>");
        web_html_escape(b, web_jstr(v, "outcome"));
        lr_strbuf_puts(b, "</td></tr>");
    }
    lr_strbuf_puts(b, "</tbody></table>");
}

static void sheet_provenance(lr_strbuf *b, const json_t *sheet)
{
    const json_t *p = json_object_get(sheet, "provenance");
    lr_strbuf_puts(b, "<section><h2>Provenance</h2><table class=\"kv\"><tbody>");
    kv_row(b, "source", json_object_get(p, "source"));
    lr_strbuf_puts(b, "<tr><th>page</th><td>");
    put_scalar(b, json_object_get(p, "page"));
    if (json_is_integer(json_object_get(p, "page_count"))) {
        lr_strbuf_puts(b, " of ");
        put_scalar(b, json_object_get(p, "page_count"));
    }
    lr_strbuf_puts(b, "</td></tr><tr><th>sha256</th><td class=\"hash\">");
    put_scalar(b, json_object_get(p, "sha256"));
    lr_strbuf_puts(b, "</td></tr><tr><th>processed at</th><td>");
    web_put_time(b, web_jstr(p, "processed_at"));
    lr_strbuf_puts(b, "</td></tr>");
    kv_row(b, "status", json_object_get(p, "status"));
    kv_row(b, "settings hash", json_object_get(p, "settings_hash"));
    settings_block(b, json_object_get(p, "settings"));
    kv_row(b, "form", json_object_get(p, "form"));
    kv_row(b, "doc type", json_object_get(p, "doc_type"));
    lr_strbuf_puts(b, "<tr><th>size</th><td>");
    put_scalar(b, json_object_get(p, "width"));
    lr_strbuf_puts(b, " \xC3\x97 ");
    put_scalar(b, json_object_get(p, "height"));
    lr_strbuf_puts(b, " px, ");
    put_scalar(b, json_object_get(p, "dpi"));
    lr_strbuf_puts(b, json_is_true(json_object_get(p, "dpi_assumed")) ? " dpi (assumed)" : " dpi");
    lr_strbuf_puts(b, "</td></tr>");
    kv_row(b, "orientation", json_object_get(p, "orientation"));
    kv_row(b, "skew (degrees)", json_object_get(p, "skew_deg"));
    kv_row(b, "mean confidence", json_object_get(p, "mean_conf"));
    lr_strbuf_puts(b, "<tr><th>times (ms)</th><td>");
    const char *k;
    const json_t *v;
    bool first = true;
    json_object_foreach((json_t *)json_object_get(p, "times_ms"), k, v)
    {
        if (json_is_null(v))
            continue;
        lr_strbuf_puts(b, first ? "" : ", ");
        web_html_escape(b, k);
        lr_strbuf_putc(b, ' ');
        put_scalar(b, v);
        first = false;
    }
    lr_strbuf_puts(b, "</td></tr></tbody></table>");
    invocations_table(b, json_object_get(p, "invocations"));
    lr_strbuf_puts(b, "</section>\n");
}

/* The sheet's own fields first, then the land rows, then the owners'. */
static int section_rank(const char *key)
{
    return strncmp(key, "sheet.", 6) == 0 ? 0
           : strncmp(key, "land.", 5) == 0 ? 1
           : strncmp(key, "owner.", 6) == 0 ? 2
                                            : 3;
}

/* Field keys "section.row.field" in reading order: section, then row as a number, then field. */
static int key_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int xs = section_rank(x), ys = section_rank(y);
    if (xs != ys)
        return xs < ys ? -1 : 1;
    const char *xd = strchr(x, '.'), *yd = strchr(y, '.');
    long xr = xd ? strtol(xd + 1, NULL, 10) : 0, yr = yd ? strtol(yd + 1, NULL, 10) : 0;
    if (xr != yr)
        return xr < yr ? -1 : 1;
    return strcmp(x, y);
}

/* The union of the runs' field keys, sorted; NULL when none (or out of memory). */
static const char **run_keys(const json_t *runs, json_t *set, size_t *out_n)
{
    size_t i;
    const json_t *run;
    json_array_foreach(runs, i, run)
    {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)json_object_get(run, "fields"), k, v)
            json_object_set(set, k, json_null());
    }
    *out_n = json_object_size(set);
    const char **keys = *out_n ? malloc(*out_n * sizeof *keys) : NULL;
    if (!keys)
        return NULL;
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach(set, k, v) keys[n++] = k;
    qsort(keys, n, sizeof *keys, key_cmp);
    return keys;
}

static void runs_head(lr_strbuf *b, const json_t *runs, long long this_id)
{
    static const char *const rows[] = {"run", "processed", "status", "settings"};
    size_t i;
    const json_t *run;
    lr_strbuf_puts(b, "<thead>");
    for (size_t h = 0; h < 4; h++) {
        lr_strbuf_printf(b, "<tr><th>%s</th>", rows[h]);
        json_array_foreach(runs, i, run)
        {
            long long id = (long long)json_integer_value(json_object_get(run, "id"));
            lr_strbuf_printf(b, "<th%s>", id == this_id ? " class=\"this-run\"" : "");
            if (h == 0) {
                open_sheet_link(b, id, "run-link");
                lr_strbuf_printf(b, "%lld</a>", id);
            } else if (h == 1) {
                web_put_time(b, web_jstr(run, "processed_at"));
            } else if (h == 2) {
                web_html_escape(b, web_jstr(run, "status"));
            } else {
                char hash[13];
                const char *full = web_jstr(run, "settings_hash");
                snprintf(hash, sizeof hash, "%s", full ? full : "");
                lr_strbuf_puts(b, "<code>");
                web_html_escape(b, hash);
                lr_strbuf_puts(b, "</code>");
            }
            lr_strbuf_puts(b, "</th>");
        }
        lr_strbuf_puts(b, "</tr>");
    }
    lr_strbuf_puts(b, "</thead>");
}

static bool same_value(const json_t *a, const json_t *b)
{
    if (!a || json_is_null(a))
        return !b || json_is_null(b);
    return b && json_equal((json_t *)a, (json_t *)b);
}

/* The runs of the same page side by side, a cell that differs from the newest run marked. */
static void sheet_runs(lr_strbuf *b, const json_t *sheet, long long this_id)
{
    const json_t *runs = json_object_get(sheet, "runs");
    if (json_array_size(runs) < 2)
        return;
    json_t *set = json_object();
    size_t nkeys = 0;
    const char **keys = run_keys(runs, set, &nkeys);
    lr_strbuf_puts(b, "<section><h2>Runs of this page</h2><div class=\"scroll\">"
                      "<table class=\"runs\">");
    runs_head(b, runs, this_id);
    lr_strbuf_puts(b, "<tbody>");
    const json_t *first = json_object_get(json_array_get(runs, 0), "fields");
    for (size_t k = 0; keys && k < nkeys; k++) {
        lr_strbuf_puts(b, "<tr><th>");
        web_html_escape(b, keys[k]);
        lr_strbuf_puts(b, "</th>");
        const json_t *base = json_object_get(first, keys[k]);
        size_t i;
        const json_t *run;
        json_array_foreach(runs, i, run)
        {
            const json_t *v = json_object_get(json_object_get(run, "fields"), keys[k]);
            lr_strbuf_puts(b, i > 0 && !same_value(base, v) ? "<td class=\"diff\">" : "<td>");
            put_scalar(b, v);
            lr_strbuf_puts(b, "</td>");
        }
        lr_strbuf_puts(b, "</tr>\n");
    }
    lr_strbuf_puts(b, "</tbody></table></div></section>\n");
    free(keys);
    json_decref(set);
}

static void sheet_title(lr_strbuf *t, const json_t *sheet, long long id)
{
    const char *src = web_jstr(sheet, "source");
    lr_strbuf_printf(t, "%s p. %lld", src ? src : "sheet",
                     (long long)json_integer_value(json_object_get(sheet, "page")));
    if (!src)
        lr_strbuf_printf(t, " (%lld)", id);
}

static void sheet_body(lr_strbuf *b, const web_req *r, const json_t *sheet, long long id,
                       const char *title)
{
    static const char *const land_cols[] = {"date", "event", "category", "area", "grade"};
    static const char *const owner_cols[] = {"date", "event", "address", "name"};
    lr_strbuf_puts(b, "<h1>");
    web_html_escape(b, title);
    lr_strbuf_puts(b, "</h1><p class=\"sub\">");
    web_html_escape(b, web_jstr(sheet, "doc_type"));
    lr_strbuf_printf(b, " \xC2\xB7 run %lld</p>\n", id);
    if (r->session.role >= LR_WEB_REVIEWER)
        lr_strbuf_printf(b, "<p><button type=\"button\" id=\"accept-sheet\" data-id=\"%lld\">"
                            "Accept all unflagged fields</button></p>\n",
                         id);
    sheet_viewer(b, id, sheet);
    sheet_parcel(b, sheet);
    sheet_fields(b, sheet);
    sheet_history(b, sheet, "land_history", "Land history", land_cols, 5);
    sheet_history(b, sheet, "owner_history", "Owner history", owner_cols, 4);
    sheet_lineage(b, sheet);
    sheet_provenance(b, sheet);
    sheet_runs(b, sheet, id);
}

static void sheet_page(web_req *r)
{
    if (!web_auth_require(r, LR_WEB_READER, true))
        return;
    int64_t id = web_url_id(r, "/sheets/", NULL);
    if (id < 0) {
        message_page(r, 404, "Not found", "not found");
        return;
    }
    json_t *sheet = NULL;
    lr_error err = {0};
    if (lr_web_sheet(r->st, id, &sheet, &err) != LR_OK) {
        log_failure("read the sheet", &err);
        message_page(r, 500, "Error", "the sheet could not be read");
        return;
    }
    if (!sheet) {
        char msg[64];
        snprintf(msg, sizeof msg, "no sheet %lld", (long long)id);
        message_page(r, 404, "Not found", msg);
        return;
    }
    lr_strbuf title = {0}, b = {0};
    sheet_title(&title, sheet, (long long)id);
    web_html_begin(&b, r, title.data ? title.data : "sheet");
    sheet_body(&b, r, sheet, (long long)id, title.data ? title.data : "sheet");
    /* What the viewer draws: the word boxes and the fields' cells. */
    web_html_json(&b, "sheet",
                  json_pack("{s:I, s:O?, s:O?}", "id", (json_int_t)id, "words",
                            json_object_get(sheet, "words"), "fields",
                            json_object_get(sheet, "fields")));
    lr_strbuf_free(&title);
    json_decref(sheet);
    finish(r, 200, &b);
}

/* ---- review desk -------------------------------------------------------------------------- */

/* The desk's shell; app.js fills it from /api/review/next and sends the decisions. */
static const char review_html[] =
    "<h1>Review</h1>\n"
    "<div id=\"desk\" class=\"desk\">"
    "<p id=\"status\" class=\"status\" role=\"status\" aria-live=\"polite\"></p>"
    "<p id=\"empty\" class=\"note\" hidden>Nothing to review: the queue is empty.</p>"
    "<div id=\"item\" class=\"item\" hidden>"
    "<p class=\"where\"><span id=\"field-name\" class=\"field-name\"></span>"
    " <a id=\"item-sheet\" href=\"/search\">the sheet</a>"
    " <span id=\"open-count\" class=\"note\"></span></p>"
    "<img id=\"crop\" class=\"crop\" alt=\"the cell as scanned\" hidden>"
    "<table class=\"kv\"><tbody>"
    "<tr><th>As read</th><td id=\"raw\" class=\"raw\"></td></tr>"
    "<tr><th>Machine value</th><td id=\"value\"></td></tr>"
    "<tr><th>Reason</th><td id=\"reason\"></td></tr>"
    "<tr><th>Confidence</th><td id=\"conf\"></td></tr>"
    "</tbody></table>"
    "<p>Alternatives:</p><ol id=\"alternatives\" class=\"alternatives\"></ol>"
    "<p><label for=\"correction\">Correction</label> "
    "<input id=\"correction\" class=\"correction\" autocomplete=\"off\" spellcheck=\"false\""
    " autofocus></p>"
    "</div>"
    "<section class=\"keys\"><h2>Keys</h2><dl>"
    "<dt>Enter</dt><dd>with the box empty: accept the machine value; with text: save it as"
    " the correction (spaces at either end are dropped)</dd>"
    "<dt>1\xE2\x80\xA6" "9</dt><dd>with the box empty: take that alternative</dd>"
    "<dt>Tab</dt><dd>skip (the item goes back to the queue for others)</dd>"
    "<dt>Ctrl+I</dt><dd>mark the cell illegible</dd>"
    "<dt>anything else</dt><dd>types into the box; to begin a correction with a digit,"
    " type a space first</dd>"
    "</dl></section>"
    "</div>\n";

static void review_page(web_req *r)
{
    if (!web_auth_require(r, LR_WEB_REVIEWER, true))
        return;
    lr_strbuf b = {0};
    web_html_begin(&b, r, "Review");
    lr_strbuf_puts(&b, review_html);
    finish(r, 200, &b);
}

/* ---- dashboard (its sections are figures.c's, shared with "landrec report") ------------ */

static void dashboard_page(web_req *r)
{
    if (!web_auth_require(r, LR_WEB_OFFICER, true))
        return;
    json_t *d = NULL;
    lr_error err = {0};
    if (lr_web_dashboard(r->st, 0, &d, &err) != LR_OK) {
        log_failure("dashboard", &err);
        message_page(r, 500, "Error", "the figures could not be read");
        return;
    }
    lr_strbuf b = {0};
    web_html_begin(&b, r, "Dashboard");
    lr_strbuf_puts(&b, "<h1>Dashboard</h1>\n");
    web_figures(&b, d, 0, true);
    json_decref(d);
    finish(r, 200, &b);
}

/* ---- routes ------------------------------------------------------------------------------- */

void web_page(web_req *r)
{
    const char *u = r->url;
    if (strcmp(r->method, "GET") != 0) {
        web_send_error(r, 405, "%s is not allowed here", r->method);
        return;
    }
    if (strcmp(u, "/") == 0)
        web_send_redirect(r, "/search");
    else if (strcmp(u, "/login") == 0)
        login_page(r);
    else if (strcmp(u, "/search") == 0)
        search_page(r);
    else if (strncmp(u, "/sheets/", 8) == 0)
        sheet_page(r);
    else if (strcmp(u, "/review") == 0)
        review_page(r);
    else if (strcmp(u, "/dashboard") == 0)
        dashboard_page(r);
    else
        message_page(r, 404, "Not found", "not found");
}
