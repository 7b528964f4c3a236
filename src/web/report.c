/* report.c — "landrec report": a year's figures (lr_web_dashboard's JSON) as aligned text and
 * as a standalone HTML file. The HTML's sections are figures.c's, the dashboard's own; the
 * text says the same in the same order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "landrec/utf8.h"
#include "web_internal.h"

/* ---- aligned text ------------------------------------------------------------------------- */

#define MAX_COLS 8

/* A table of text cells, aligned when printed: a column right-aligned when right[c]. */
typedef struct text_table {
    size_t ncols;
    const bool *right;
    char **cells; /* row-major, the header row first */
    size_t nrows, cap;
    bool failed;
} text_table;

/* Columns a terminal gives the character: East Asian wide ones (Hangul, Hanja, full-width
 * forms) two, others one. */
static int char_columns(uint32_t cp)
{
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

static size_t text_width(const char *s)
{
    size_t w = 0;
    while (*s) {
        uint32_t cp = 0xFFFD;
        size_t n = lr_utf8_next(s, SIZE_MAX, &cp);
        w += (size_t)char_columns(cp);
        s += n ? n : 1;
    }
    return w;
}

/* A cell from the database: control characters (a tab, an escape sequence) become '?', bytes
 * that are not UTF-8 "\xHH", so that no value can move the terminal's cursor. */
static char *cell_text(const char *s)
{
    char *t = lr_utf8_scrub_dup(s ? s : "");
    if (t)
        for (char *c = t; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7F)
                *c = '?';
    return t;
}

static void table_row(text_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char **grown = realloc(t->cells, cap * t->ncols * sizeof *grown);
        if (!grown) {
            t->failed = true;
            return;
        }
        t->cells = grown;
        t->cap = cap;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        char *v = cell_text(cells[c]);
        t->failed |= !v;
        t->cells[t->nrows * t->ncols + c] = v;
    }
    t->nrows++;
}

/* Prints the table indented by two spaces, two spaces between columns, and frees it. */
static void table_print(text_table *t, lr_strbuf *out)
{
    size_t width[MAX_COLS] = {0};
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r * t->ncols + c];
            size_t w = v ? text_width(v) : 0;
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        lr_strbuf_puts(out, " ");
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = t->cells[r * t->ncols + c];
            v = v ? v : "";
            size_t pad = width[c] - text_width(v);
            bool last = c + 1 == t->ncols;
            lr_strbuf_puts(out, " ");
            if (t->right[c])
                lr_strbuf_printf(out, "%*s", (int)pad, "");
            lr_strbuf_puts(out, v);
            if (!t->right[c] && !last)
                lr_strbuf_printf(out, "%*s", (int)pad, "");
            if (!last)
                lr_strbuf_puts(out, " ");
        }
        lr_strbuf_puts(out, "\n");
    }
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    if (t->failed)
        out->failed = true;
}

/* A count with separators into buf (size >= 32). */
static const char *count_text(char *buf, long long v)
{
    lr_strbuf b = {0};
    web_put_count(&b, v);
    snprintf(buf, 32, "%s", b.data ? b.data : "0");
    lr_strbuf_free(&b);
    return buf;
}

static const char *percent_text(char *buf, double part, double whole)
{
    if (whole > 0)
        snprintf(buf, 32, "%.1f %%", 100.0 * part / whole);
    else
        snprintf(buf, 32, "-");
    return buf;
}

/* "2026-12-07T15:04:29.1+00:00" to "2026-12-07 15:04". */
static const char *time_text(char *buf, const char *s)
{
    snprintf(buf, 17, "%s", s ? s : "");
    char *sep = strchr(buf, 'T');
    if (sep)
        *sep = ' ';
    return buf;
}

static void text_years(lr_strbuf *o, const json_t *d, int year)
{
    static const bool right[] = {false, true, true, true, true};
    text_table t = {.ncols = 5, .right = right};
    table_row(&t, (const char *const[]){"year", "pages", "sheets", "target", "of target"});
    long long so_far = 0;
    const json_t *this_year = NULL;
    size_t i;
    const json_t *y;
    json_array_foreach(json_object_get(d, "years"), i, y)
    {
        char yy[16], p[32], s[32], tg[32] = "", pc[32] = "";
        const json_t *target = json_object_get(y, "target");
        long long n = web_jcount(y, "year");
        if (n <= year)
            so_far += web_jcount(y, "sheets");
        if (n == year)
            this_year = y;
        snprintf(yy, sizeof yy, "%lld", n);
        if (json_is_number(target)) {
            count_text(tg, (long long)json_number_value(target));
            percent_text(pc, (double)web_jcount(y, "sheets"), json_number_value(target));
        }
        table_row(&t, (const char *const[]){yy, count_text(p, web_jcount(y, "pages")),
                                            count_text(s, web_jcount(y, "sheets")), tg, pc});
    }
    char a[32], b[32], c[32];
    const json_t *target = json_object_get(this_year, "target");
    long long sheets = web_jcount(this_year, "sheets"), pages = web_jcount(this_year, "pages");
    lr_strbuf_printf(o, "Records against the targets\n  %d: sheets %s, pages %s; ", year,
                     count_text(a, sheets), count_text(b, pages));
    if (json_is_number(target))
        lr_strbuf_printf(o, "%s of the target of %s\n",
                         percent_text(c, (double)sheets, json_number_value(target)),
                         count_text(a, (long long)json_number_value(target)));
    else
        lr_strbuf_puts(o, "no target for the year\n");
    const json_t *tt = json_object_get(d, "total_target");
    if (json_is_object(tt)) {
        double total = json_number_value(json_object_get(tt, "records"));
        lr_strbuf_printf(o, "  By the end of %d: %s of %s records by %lld, %s\n", year,
                         count_text(a, so_far), count_text(b, (long long)total),
                         web_jcount(tt, "year"), percent_text(c, (double)so_far, total));
    }
    lr_strbuf_puts(o, "\n");
    table_print(&t, o);
    lr_strbuf_puts(o, "  (A page or sheet counts once, in the year its first successful run"
                      " was loaded.)\n\n");
}

static void text_per_day(lr_strbuf *o, const json_t *d, int year)
{
    static const char *const names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const bool right[] = {false, true, true, true};
    long long pages[12], total = 0;
    int days[12], active = 0;
    web_figures_months(d, year, pages, days);
    text_table t = {.ncols = 4, .right = right};
    table_row(&t, (const char *const[]){"month", "pages", "days", "a day"});
    for (int m = 0; m < 12; m++) {
        char p[32], n[32], avg[32] = "-";
        snprintf(n, sizeof n, "%d", days[m]);
        if (days[m])
            snprintf(avg, sizeof avg, "%.1f", (double)pages[m] / days[m]);
        table_row(&t, (const char *const[]){names[m], count_text(p, pages[m]), n, avg});
        total += pages[m];
        active += days[m];
    }
    /* The busiest day, the first of equals. */
    const char *busiest = NULL;
    long long most = 0;
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(d, "per_day"), i, x)
    {
        if (web_jcount(x, "pages") > most) {
            most = web_jcount(x, "pages");
            busiest = web_jstr(x, "day");
        }
    }
    char a[32];
    lr_strbuf_printf(o, "Pages a day in %d\n  pages %s, on %d %s", year, count_text(a, total),
                     active, active == 1 ? "day" : "days");
    if (active > 0)
        lr_strbuf_printf(o, ", %.1f a day on the days with any", (double)total / active);
    if (busiest) {
        char *day = cell_text(busiest);
        lr_strbuf_printf(o, "; the most on %s (%s)", day ? day : "", count_text(a, most));
        free(day);
    }
    lr_strbuf_puts(o, "\n\n");
    table_print(&t, o);
    lr_strbuf_puts(o, "\n");
}

static void text_batches(lr_strbuf *o, const json_t *d, int year)
{
    const json_t *batches = json_object_get(d, "batches");
    lr_strbuf_printf(o, "Batches run in %d\n", year);
    if (json_array_size(batches) == 0) {
        lr_strbuf_puts(o, "  no batches\n\n");
    } else {
        static const bool right[] = {false, true, true, true, false, false};
        text_table t = {.ncols = 6, .right = right};
        table_row(&t, (const char *const[]){"batch", "pages", "sheets", "failed", "first", "last"});
        size_t i;
        const json_t *x;
        json_array_foreach(batches, i, x)
        {
            char p[32], s[32], f[32], t0[20], t1[20];
            const char *name = web_jstr(x, "batch");
            table_row(&t, (const char *const[]){name && *name ? name : "(none)",
                                                count_text(p, web_jcount(x, "pages")),
                                                count_text(s, web_jcount(x, "sheets")),
                                                count_text(f, web_jcount(x, "failed")),
                                                time_text(t0, web_jstr(x, "first")),
                                                time_text(t1, web_jstr(x, "last"))});
        }
        table_print(&t, o);
        lr_strbuf_puts(o, "\n");
    }
    const json_t *cs = json_object_get(d, "contractors");
    lr_strbuf_printf(o, "Contractors, deliveries of %d\n", year);
    if (json_array_size(cs) == 0) {
        lr_strbuf_puts(o, "  no deliveries with a manifest (landrec enqueue --manifest)\n\n");
        return;
    }
    static const bool cright[] = {false, true, true, true, false, false};
    text_table ct = {.ncols = 6, .right = cright};
    table_row(&ct, (const char *const[]){"contractor", "files", "pages done", "pages failed",
                                         "scanned from", "to"});
    size_t i;
    const json_t *x;
    json_array_foreach(cs, i, x)
    {
        char f[32], p[32], e[32];
        const char *from = web_jstr(x, "first_scan"), *to = web_jstr(x, "last_scan");
        table_row(&ct, (const char *const[]){
                           web_jstr(x, "contractor"), count_text(f, web_jcount(x, "files")),
                           count_text(p, web_jcount(x, "pages")),
                           count_text(e, web_jcount(x, "failed")), from ? from : "", to ? to : ""});
    }
    table_print(&ct, o);
    lr_strbuf_puts(o, "\n");
}

static void text_failures(lr_strbuf *o, const json_t *d, int year)
{
    const json_t *fails = json_object_get(d, "failures");
    lr_strbuf_printf(o, "Failures by reason, runs of %d\n", year);
    if (json_array_size(fails) == 0) {
        lr_strbuf_puts(o, "  no failed pages\n\n");
        return;
    }
    static const bool right[] = {false, true};
    text_table t = {.ncols = 2, .right = right};
    table_row(&t, (const char *const[]){"reason", "pages"});
    size_t i;
    const json_t *x;
    json_array_foreach(fails, i, x)
    {
        char n[32];
        table_row(&t, (const char *const[]){web_jstr(x, "reason"),
                                            count_text(n, web_jcount(x, "count"))});
    }
    table_print(&t, o);
    lr_strbuf_puts(o, "\n");
}

/* The acceptance checks of the year's batches ("qa", added by the report command). */
static void text_qa(lr_strbuf *o, const json_t *d, int year)
{
    const json_t *qa = json_object_get(d, "qa");
    if (!qa)
        return;
    lr_strbuf_printf(o, "Acceptance checks (landrec qa), batches run in %d\n", year);
    if (json_array_size(qa) == 0) {
        lr_strbuf_puts(o, "  no named batches\n\n");
        return;
    }
    static const bool right[] = {false, true, true, false};
    text_table t = {.ncols = 4, .right = right};
    table_row(&t, (const char *const[]){"batch", "pages", "findings", "by check"});
    size_t i;
    const json_t *x;
    json_array_foreach(qa, i, x)
    {
        char p[32], n[32];
        lr_strbuf checks = {0};
        long long total = web_qa_checks(&checks, json_object_get(x, "findings"));
        table_row(&t,
                  (const char *const[]){web_jstr(x, "batch"), count_text(p, web_jcount(x, "pages")),
                                        count_text(n, total), checks.data ? checks.data : ""});
        lr_strbuf_free(&checks);
    }
    table_print(&t, o);
    lr_strbuf_puts(o, "\n");
}

static void text_review(lr_strbuf *o, const json_t *d)
{
    const json_t *f = json_object_get(d, "fields"), *bl = json_object_get(d, "backlog");
    double total = json_number_value(json_object_get(f, "total"));
    double flagged = json_number_value(json_object_get(f, "flagged"));
    double open = json_number_value(json_object_get(bl, "open"));
    double rate = json_number_value(json_object_get(bl, "per_day_7d"));
    char a[32], b[32], c[32];
    lr_strbuf_puts(o, "Review (the whole archive, as it stands now)\n");
    lr_strbuf_printf(o, "  fields flagged               %s of %s (%s)\n",
                     count_text(a, (long long)flagged), count_text(b, (long long)total),
                     percent_text(c, flagged, total));
    lr_strbuf_printf(o, "  fields reviewed              %s\n",
                     count_text(a, web_jcount(f, "reviewed")));
    lr_strbuf_printf(o, "  open review items            %s\n", count_text(a, (long long)open));
    lr_strbuf_printf(o, "  resolved in the last 7 days  %s (%.1f a day)\n",
                     count_text(a, web_jcount(bl, "resolved_7d")), rate);
    if (rate > 0 && open > 0)
        lr_strbuf_printf(o, "  days to clear the backlog    about %.0f at that rate\n",
                         open / rate);
}

static void now_text(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm lt;
    localtime_r(&now, &lt);
    strftime(buf, size, "%Y-%m-%d %H:%M", &lt);
}

int lr_web_report_text(const json_t *figures, int year, lr_strbuf *out, lr_error *err)
{
    char now[32];
    now_text(now, sizeof now);
    lr_strbuf_printf(out, "landrec report for %d (drawn %s)\n\n", year, now);
    text_years(out, figures, year);
    text_per_day(out, figures, year);
    text_batches(out, figures, year);
    text_failures(out, figures, year);
    text_qa(out, figures, year);
    text_review(out, figures);
    return out->failed ? lr_error_set(err, LR_ERR_NOMEM, "out of memory") : LR_OK;
}

/* ---- HTML --------------------------------------------------------------------------------- */

/* The served pages' look (assets.c's app.css) for what the figures use; the file must stand
 * alone, so nothing is linked. */
static const char report_css[] =
    "body { margin: 1rem 1.5rem 3rem; color: #1d2329; line-height: 1.45; max-width: 1400px;"
    " font-family: system-ui, -apple-system, \"Segoe UI\", \"Noto Sans CJK KR\","
    " \"Noto Sans KR\", \"Apple SD Gothic Neo\", \"Malgun Gothic\", sans-serif; }\n"
    "h1 { font-size: 1.4rem; }\n"
    "h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; border-bottom: 1px solid #d5dbe1; }\n"
    ".note { color: #5b6570; }\n"
    "table { border-collapse: collapse; }\n"
    "th, td { text-align: left; vertical-align: top; padding: .25rem .5rem;"
    " border-bottom: 1px solid #d5dbe1; }\n"
    "thead th { background: #f4f6f8; }\n"
    "td.num { text-align: right; font-variant-numeric: tabular-nums; }\n"
    "td.bad { color: #b3261e; }\n"
    ".scroll, .chart-wrap { overflow-x: auto; }\n"
    /* A chart wider than the page opens at its right end, the latest days, as on the
     * dashboard (whose script scrolls it there): a right-to-left box starts scrolled right,
     * and a chart narrower than the box stays at its left. */
    ".chart-wrap { margin: .5rem 0 1rem; direction: rtl; }\n"
    ".chart-wrap svg.chart { direction: ltr; margin-left: 0; margin-right: auto; }\n"
    "table.kv th { color: #5b6570; font-weight: normal; white-space: nowrap; }\n"
    "svg.chart { display: block; font-size: 10px; font-family: inherit; }\n"
    "svg.chart .bar rect { fill: #3a7dbf; }\n"
    "svg.chart .bar-value { fill: #1d2329; }\n"
    "svg.chart .bar-label { fill: #5b6570; }\n"
    "svg.chart .axis { stroke: #9aa5b1; }\n"
    "svg.chart .target { stroke: #b3261e; stroke-width: 2; }\n"
    "svg.chart .target-label { fill: #b3261e; font-size: 9px; }\n"
    "p.big { font-size: 1.3em; font-weight: 600; }\n"
    "@media print { svg.chart { max-width: 100%; height: auto; } }\n";

int lr_web_report_html(const json_t *figures, int year, lr_strbuf *out, lr_error *err)
{
    char now[32];
    now_text(now, sizeof now);
    /* Void elements closed ("<meta/>") so that the file is well-formed XML as well. */
    lr_strbuf_printf(out,
                     "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
                     "<title>landrec report for %d</title>\n<style>\n%s</style></head>\n"
                     "<body><h1>landrec report for %d</h1>\n<p class=\"note\">Drawn %s"
                     " from the archive's database.</p>\n",
                     year, report_css, year, now);
    web_figures(out, figures, year, false);
    lr_strbuf_puts(out, "</body></html>\n");
    return out->failed ? lr_error_set(err, LR_ERR_NOMEM, "out of memory") : LR_OK;
}
