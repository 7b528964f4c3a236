/* html.c — the pieces every page is built from: HTML and URL escaping, the page frame with the
 * navigation the user's role allows, and JSON islands that app.js reads.
 *
 * The pages show OCR text and file names, which are hostile input: whatever comes from the
 * database, a file name or the request reaches the page only through web_html_escape, a query
 * value only through web_url_escape, and data for the script only through web_html_json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_internal.h"

void web_html_escape(lr_strbuf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s; /* the start of the bytes not yet appended */
    for (const char *c = s; *c; c++) {
        const char *rep = NULL;
        switch (*c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        lr_strbuf_put(b, run, (size_t)(c - run));
        lr_strbuf_puts(b, rep);
        run = c + 1;
    }
    lr_strbuf_puts(b, run);
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

void web_url_escape(lr_strbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s)
        return;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (unreserved(*c)) {
            lr_strbuf_putc(b, (char)*c);
        } else {
            char enc[3] = {'%', hex[*c >> 4], hex[*c & 15]};
            lr_strbuf_put(b, enc, 3);
        }
    }
}

/* One navigation link; the current section is marked for screen readers and the style sheet. */
static void nav_link(lr_strbuf *b, const web_req *r, const char *href, const char *label)
{
    size_t n = strlen(href);
    bool here = r->url && strncmp(r->url, href, n) == 0 && (r->url[n] == '\0' || r->url[n] == '/');
    lr_strbuf_printf(b, "<a href=\"%s\"%s>%s</a>", href, here ? " aria-current=\"page\"" : "",
                     label);
}

static void header(lr_strbuf *b, const web_req *r)
{
    lr_strbuf_puts(b, "<header class=\"site\"><a class=\"brand\" href=\"/search\">landrec</a>"
                      "<nav>");
    lr_web_role role = r->signed_in ? r->session.role : LR_WEB_NONE;
    if (role >= LR_WEB_READER)
        nav_link(b, r, "/search", "Search");
    if (role >= LR_WEB_REVIEWER)
        nav_link(b, r, "/review", "Review");
    if (role >= LR_WEB_OFFICER)
        nav_link(b, r, "/dashboard", "Dashboard");
    lr_strbuf_puts(b, "</nav><div class=\"who\">");
    if (r->signed_in) {
        lr_strbuf_puts(b, "<span class=\"user\">");
        web_html_escape(b, r->session.user);
        lr_strbuf_puts(b, " (");
        web_html_escape(b, lr_web_role_name(role));
        lr_strbuf_puts(b, ")</span> <button type=\"button\" id=\"logout\">Sign out</button>");
    } else {
        lr_strbuf_puts(b, "<a href=\"/login\">Sign in</a>");
    }
    lr_strbuf_puts(b, "</div></header>\n");
}

/* The empty icon spares every page a request for /favicon.ico. */
void web_html_begin(lr_strbuf *b, const web_req *r, const char *title)
{
    lr_strbuf_puts(b, "<!doctype html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                      "<title>");
    web_html_escape(b, title);
    lr_strbuf_puts(b, " \xE2\x80\x94 landrec</title>"
                      "<link rel=\"icon\" href=\"data:,\">"
                      "<link rel=\"stylesheet\" href=\"/static/app.css\">"
                      "<script src=\"/static/app.js\" defer></script>");
    if (r->signed_in) {
        lr_strbuf_puts(b, "<meta name=\"csrf\" content=\"");
        web_html_escape(b, r->session.csrf);
        lr_strbuf_puts(b, "\">");
    }
    lr_strbuf_puts(b, "</head>\n<body>");
    header(b, r);
    lr_strbuf_puts(b, "<main>\n");
}

void web_html_end(lr_strbuf *b)
{
    lr_strbuf_puts(b, "\n</main></body></html>\n");
}

/* JSON_ESCAPE_SLASH keeps "</script>" out of the text; "<" is written \u003c as well, which
 * JSON allows only inside strings, so that "<!--<script>" cannot put the HTML parser into the
 * state in which our closing tag would not end the element. */
void web_html_json(lr_strbuf *b, const char *id, json_t *data)
{
    char *text = data ? json_dumps(data, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_ENCODE_ANY)
                      : NULL;
    json_decref(data);
    lr_strbuf_puts(b, "<script type=\"application/json\" id=\"");
    web_html_escape(b, id);
    lr_strbuf_puts(b, "\">");
    if (!text) {
        lr_strbuf_puts(b, "null");
    } else {
        const char *run = text;
        for (const char *c = text; *c; c++) {
            if (*c != '<')
                continue;
            lr_strbuf_put(b, run, (size_t)(c - run));
            lr_strbuf_puts(b, "\\u003c");
            run = c + 1;
        }
        lr_strbuf_puts(b, run);
    }
    free(text);
    lr_strbuf_puts(b, "</script>\n");
}

const char *web_jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

long long web_jcount(const json_t *o, const char *key)
{
    return (long long)json_number_value(json_object_get(o, key));
}

void web_put_count(lr_strbuf *b, long long v)
{
    char digits[32];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = snprintf(digits, sizeof digits, "%llu", u);
    if (v < 0)
        lr_strbuf_putc(b, '-');
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            lr_strbuf_putc(b, ',');
        lr_strbuf_putc(b, digits[i]);
    }
}

void web_put_percent(lr_strbuf *b, double part, double whole)
{
    if (whole > 0)
        lr_strbuf_printf(b, "%.1f %%", 100.0 * part / whole);
    else
        lr_strbuf_puts(b, "\xE2\x80\x94");
}

void web_put_time(lr_strbuf *b, const char *s)
{
    if (!s)
        return;
    char t[17];
    snprintf(t, sizeof t, "%s", s);
    char *sep = strchr(t, 'T');
    if (sep)
        *sep = ' ';
    web_html_escape(b, t);
}
