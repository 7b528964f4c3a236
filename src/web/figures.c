/* figures.c — the records officers' figures as HTML sections, drawn from lr_web_dashboard's
 * JSON (webstore.h): the dashboard page and the HTML of "landrec report" both draw them here,
 * so that the two show the same figures the same way. Every value from the database goes
 * through web_html_escape. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "web_internal.h"

#define DAYS_SHOWN 60

long web_day_number(const char *s)
{
    int y, m, d;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -1;
    /* Noon, so that no time zone moves the day. */
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    return (long)(timegm(&tm) / 86400);
}

long web_today_number(void)
{
    time_t now = time(NULL);
    struct tm lt;
    char s[16];
    localtime_r(&now, &lt);
    strftime(s, sizeof s, "%Y-%m-%d", &lt);
    return web_day_number(s);
}

void web_figures_months(const json_t *d, int year, long long pages[12], int days[12])
{
    for (int m = 0; m < 12; m++)
        pages[m] = days[m] = 0;
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(d, "per_day"), i, x)
    {
        int y, m, day;
        const char *s = web_jstr(x, "day");
        if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &day) != 3 || y != year || m < 1 || m > 12)
            continue;
        pages[m - 1] += web_jcount(x, "pages");
        days[m - 1]++;
    }
}

/* Sheets per year against the year's target, then the sheets so far against the cumulative
 * target: all of them on the dashboard, those loaded up to the end of the year in a report. */
static void fig_years(lr_strbuf *b, const json_t *d, int year)
{
    const json_t *years = json_object_get(d, "years");
    size_t n = json_array_size(years);
    lr_strbuf_puts(b, "<section><h2>Records per year</h2>");
    long long so_far = year ? 0 : web_jcount(d, "total_sheets");
    const json_t *this_year = NULL;
    web_bar *bars = n ? calloc(n, sizeof *bars) : NULL;
    char(*labels)[16] = n ? calloc(n, sizeof *labels) : NULL;
    lr_strbuf_puts(b, "<table class=\"figures\"><thead><tr><th>Year</th><th>Pages</th>"
                      "<th>Sheets</th><th>Target</th><th>Of target</th></tr></thead><tbody>");
    size_t i;
    const json_t *y;
    json_array_foreach(years, i, y)
    {
        const json_t *target = json_object_get(y, "target");
        long long yy = web_jcount(y, "year");
        if (year && yy <= year)
            so_far += web_jcount(y, "sheets");
        if (year && yy == year)
            this_year = y;
        lr_strbuf_printf(b, "<tr><td>%lld</td><td class=\"num\">", yy);
        web_put_count(b, web_jcount(y, "pages"));
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        web_put_count(b, web_jcount(y, "sheets"));
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        if (json_is_number(target))
            web_put_count(b, (long long)json_number_value(target));
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        if (json_is_number(target))
            web_put_percent(b, (double)web_jcount(y, "sheets"), json_number_value(target));
        lr_strbuf_puts(b, "</td></tr>");
        if (bars && labels) {
            snprintf(labels[i], sizeof labels[i], "%lld", yy);
            bars[i] = (web_bar){labels[i], (double)web_jcount(y, "sheets"),
                                json_is_number(target) ? json_number_value(target) : -1};
        }
    }
    lr_strbuf_puts(b, "</tbody></table>");
    if (bars && labels)
        web_svg_bars(b, "Sheets loaded per year against the year's target", bars, n, "sheets");
    free(bars);
    free(labels);
    if (year) {
        /* A year with nothing loaded and no target has no row: it is zeros. */
        const json_t *target = json_object_get(this_year, "target");
        lr_strbuf_printf(b, "<p class=\"big\">%d: sheets ", year);
        web_put_count(b, web_jcount(this_year, "sheets"));
        lr_strbuf_puts(b, ", pages ");
        web_put_count(b, web_jcount(this_year, "pages"));
        lr_strbuf_puts(b, "; ");
        if (json_is_number(target)) {
            web_put_percent(b, (double)web_jcount(this_year, "sheets"), json_number_value(target));
            lr_strbuf_puts(b, " of the target of ");
            web_put_count(b, (long long)json_number_value(target));
        } else {
            lr_strbuf_puts(b, "no target for the year");
        }
        lr_strbuf_puts(b, "</p>");
    }
    const json_t *tt = json_object_get(d, "total_target");
    if (json_is_object(tt)) {
        double target = json_number_value(json_object_get(tt, "records"));
        lr_strbuf_puts(b, "<p class=\"big\">");
        if (year)
            lr_strbuf_printf(b, "By the end of %d: ", year);
        web_put_count(b, so_far);
        lr_strbuf_puts(b, " of ");
        web_put_count(b, (long long)target);
        lr_strbuf_printf(b, " records by %lld, ", web_jcount(tt, "year"));
        web_put_percent(b, (double)so_far, target);
        lr_strbuf_puts(b, "</p>");
    }
    lr_strbuf_puts(b, "<p class=\"note\">A page or sheet counts once, in the year its first"
                      " successful run was loaded. ");
    web_put_count(b, web_jcount(d, "total_pages"));
    lr_strbuf_puts(b, " pages in all.</p></section>\n");
}

/* Pages loaded each of the DAYS_SHOWN days up to last (a day number), days without any 0. */
static void days_chart(lr_strbuf *b, const json_t *d, long last, const char *title)
{
    web_bar bars[DAYS_SHOWN];
    char labels[DAYS_SHOWN][8];
    long first = last - DAYS_SHOWN + 1;
    for (int k = 0; k < DAYS_SHOWN; k++) {
        time_t t = (time_t)(first + k) * 86400 + 43200;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(labels[k], sizeof labels[k], "%m-%d", &tm);
        bars[k] = (web_bar){labels[k], 0, -1};
    }
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(d, "per_day"), i, x)
    {
        long n = web_day_number(web_jstr(x, "day"));
        if (n >= first && n <= last)
            bars[n - first].value = (double)web_jcount(x, "pages");
    }
    web_svg_bars(b, title, bars, DAYS_SHOWN, "pages");
}

/* The dashboard: the last DAYS_SHOWN days. A year: a bar a month (a bar a day would be far too
 * wide), then its last DAYS_SHOWN days — up to today while the year is under way. */
static void fig_per_day(lr_strbuf *b, const json_t *d, int year)
{
    long today = web_today_number(), last = today;
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(d, "per_day"), i, x)
    {
        long n = web_day_number(web_jstr(x, "day"));
        if (n > last)
            last = n; /* the database's clock may be ahead of ours */
    }
    lr_strbuf_puts(b, "<section><h2>Pages a day</h2>");
    if (!year) {
        days_chart(b, d, last, "Pages loaded each day, the last 60 days");
        lr_strbuf_puts(b, "</section>\n");
        return;
    }
    static const char *const names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    long long pages[12];
    int days[12];
    web_figures_months(d, year, pages, days);
    web_bar bars[12];
    long long total = 0;
    int active = 0;
    for (int m = 0; m < 12; m++) {
        bars[m] = (web_bar){names[m], (double)pages[m], -1};
        total += pages[m];
        active += days[m];
    }
    char title[96];
    snprintf(title, sizeof title, "Pages loaded each month of %d", year);
    lr_strbuf_puts(b, "<p class=\"note\">Each month:</p>");
    web_svg_bars(b, title, bars, 12, "pages");
    char day[16];
    snprintf(day, sizeof day, "%04d-12-31", year);
    long end = web_day_number(day);
    snprintf(day, sizeof day, "%04d-01-01", year);
    if (last >= web_day_number(day) && last < end)
        end = last;
    snprintf(title, sizeof title, "Pages loaded each day, the last 60 days of %d", year);
    lr_strbuf_puts(b, end == last ? "<p class=\"note\">Day by day, the 60 days up to today:</p>"
                                  : "<p class=\"note\">Day by day, the year's last 60 days:</p>");
    days_chart(b, d, end, title);
    lr_strbuf_puts(b, "<p class=\"note\">Pages ");
    web_put_count(b, total);
    lr_strbuf_puts(b, ", on ");
    web_put_count(b, active);
    lr_strbuf_puts(b, active == 1 ? " day" : " days");
    if (active > 0)
        lr_strbuf_printf(b, ", %.1f a day on the days with any", (double)total / active);
    lr_strbuf_puts(b, ".</p></section>\n");
}

static void fig_batches(lr_strbuf *b, const json_t *d, int year, bool links)
{
    const json_t *batches = json_object_get(d, "batches");
    if (year)
        lr_strbuf_printf(b, "<section><h2>Batches run in %d</h2>", year);
    else
        lr_strbuf_puts(b, "<section><h2>Batches</h2>");
    if (json_array_size(batches) == 0) {
        lr_strbuf_puts(b, "<p class=\"note\">no batches</p></section>\n");
        return;
    }
    lr_strbuf_puts(b, "<div class=\"scroll\"><table class=\"figures\"><thead><tr><th>Batch</th>"
                      "<th>Pages</th><th>Sheets</th><th>Failed</th><th>First</th><th>Last</th>"
                      "</tr></thead><tbody>");
    size_t i;
    const json_t *x;
    json_array_foreach(batches, i, x)
    {
        const char *name = web_jstr(x, "batch");
        lr_strbuf_puts(b, "<tr><td>");
        if (name && *name && links) {
            lr_strbuf_puts(b, "<a href=\"/search?batch=");
            lr_strbuf tmp = {0};
            web_url_escape(&tmp, name);
            web_html_escape(b, tmp.data);
            lr_strbuf_free(&tmp);
            lr_strbuf_puts(b, "\">");
            web_html_escape(b, name);
            lr_strbuf_puts(b, "</a>");
        } else if (name && *name) {
            web_html_escape(b, name);
        } else {
            lr_strbuf_puts(b, "<span class=\"note\">(none)</span>");
        }
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        web_put_count(b, web_jcount(x, "pages"));
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        web_put_count(b, web_jcount(x, "sheets"));
        lr_strbuf_printf(b, "</td><td class=\"num%s\">", web_jcount(x, "failed") ? " bad" : "");
        web_put_count(b, web_jcount(x, "failed"));
        lr_strbuf_puts(b, "</td><td>");
        web_put_time(b, web_jstr(x, "first"));
        lr_strbuf_puts(b, "</td><td>");
        web_put_time(b, web_jstr(x, "last"));
        lr_strbuf_puts(b, "</td></tr>");
    }
    lr_strbuf_puts(b, "</tbody></table></div></section>\n");
}

/* Per contractor, from the delivery manifests loaded with "enqueue --manifest". */
static void fig_contractors(lr_strbuf *b, const json_t *d, int year)
{
    const json_t *cs = json_object_get(d, "contractors");
    if (year)
        lr_strbuf_printf(b, "<section><h2>Contractors, deliveries of %d</h2>", year);
    else
        lr_strbuf_puts(b, "<section><h2>Contractors</h2>");
    if (json_array_size(cs) == 0) {
        lr_strbuf_puts(b, "<p class=\"note\">no deliveries with a manifest (landrec enqueue"
                          " --manifest)</p></section>\n");
        return;
    }
    lr_strbuf_puts(b, "<table class=\"figures\"><thead><tr><th>Contractor</th><th>Files</th>"
                      "<th>Pages done</th><th>Pages failed</th><th>Scanned from</th>"
                      "<th>to</th></tr></thead><tbody>");
    size_t n = json_array_size(cs), i;
    web_bar *bars = calloc(n, sizeof *bars);
    const json_t *x;
    json_array_foreach(cs, i, x)
    {
        lr_strbuf_puts(b, "<tr><td>");
        web_html_escape(b, web_jstr(x, "contractor"));
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        web_put_count(b, web_jcount(x, "files"));
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        web_put_count(b, web_jcount(x, "pages"));
        lr_strbuf_printf(b, "</td><td class=\"num%s\">", web_jcount(x, "failed") ? " bad" : "");
        web_put_count(b, web_jcount(x, "failed"));
        lr_strbuf_puts(b, "</td><td>");
        web_html_escape(b, web_jstr(x, "first_scan"));
        lr_strbuf_puts(b, "</td><td>");
        web_html_escape(b, web_jstr(x, "last_scan"));
        lr_strbuf_puts(b, "</td></tr>");
        if (bars)
            bars[i] = (web_bar){web_jstr(x, "contractor"), (double)web_jcount(x, "pages"), -1};
    }
    lr_strbuf_puts(b, "</tbody></table>");
    if (bars)
        web_svg_bars(b, "Pages done per contractor", bars, n, "pages");
    free(bars);
    lr_strbuf_puts(b, "</section>\n");
}

static void fig_failures(lr_strbuf *b, const json_t *d, int year)
{
    const json_t *fails = json_object_get(d, "failures");
    size_t n = json_array_size(fails);
    if (year)
        lr_strbuf_printf(b, "<section><h2>Failures by reason, runs of %d</h2>", year);
    else
        lr_strbuf_puts(b, "<section><h2>Failures by reason</h2>");
    if (n == 0) {
        lr_strbuf_puts(b, "<p class=\"note\">no failed pages</p></section>\n");
        return;
    }
    web_bar *bars = calloc(n, sizeof *bars);
    lr_strbuf_puts(b, "<table class=\"figures\"><thead><tr><th>Reason</th><th>Pages</th></tr>"
                      "</thead><tbody>");
    size_t i;
    const json_t *x;
    json_array_foreach(fails, i, x)
    {
        lr_strbuf_puts(b, "<tr><td>");
        web_html_escape(b, web_jstr(x, "reason"));
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        web_put_count(b, web_jcount(x, "count"));
        lr_strbuf_puts(b, "</td></tr>");
        if (bars)
            bars[i] = (web_bar){web_jstr(x, "reason"), (double)web_jcount(x, "count"), -1};
    }
    lr_strbuf_puts(b, "</tbody></table>");
    if (bars)
        web_svg_bars(b, "Failed pages by reason", bars, n, "pages");
    free(bars);
    lr_strbuf_puts(b, "</section>\n");
}

static void fig_review(lr_strbuf *b, const json_t *d, int year)
{
    const json_t *f = json_object_get(d, "fields"), *bl = json_object_get(d, "backlog");
    double total = json_number_value(json_object_get(f, "total"));
    double flagged = json_number_value(json_object_get(f, "flagged"));
    double open = json_number_value(json_object_get(bl, "open"));
    double rate = json_number_value(json_object_get(bl, "per_day_7d"));
    lr_strbuf_puts(b, "<section><h2>Review</h2>");
    if (year)
        lr_strbuf_puts(b, "<p class=\"note\">The whole archive, as it stands now.</p>");
    lr_strbuf_puts(b, "<table class=\"kv\"><tbody><tr><th>Fields flagged</th><td>");
    web_put_count(b, (long long)flagged);
    lr_strbuf_puts(b, " of ");
    web_put_count(b, (long long)total);
    lr_strbuf_puts(b, " (");
    web_put_percent(b, flagged, total);
    lr_strbuf_puts(b, ")</td></tr><tr><th>Fields reviewed</th><td>");
    web_put_count(b, web_jcount(f, "reviewed"));
    lr_strbuf_puts(b, "</td></tr><tr><th>Open review items</th><td>");
    web_put_count(b, (long long)open);
    lr_strbuf_puts(b, "</td></tr><tr><th>Resolved in the last 7 days</th><td>");
    web_put_count(b, web_jcount(bl, "resolved_7d"));
    lr_strbuf_printf(b, " (%.1f a day)</td></tr>", rate);
    if (rate > 0 && open > 0)
        lr_strbuf_printf(b,
                         "<tr><th>Days to clear the backlog</th><td>about %.0f at that"
                         " rate</td></tr>",
                         open / rate);
    lr_strbuf_puts(b, "</tbody></table></section>\n");
}

long long web_qa_checks(lr_strbuf *b, const json_t *findings)
{
    long long total = 0;
    const char *check;
    const json_t *n;
    json_object_foreach((json_t *)findings, check, n)
    {
        lr_strbuf_printf(b, "%s%s %lld", total ? ", " : "", check,
                         (long long)json_integer_value(n));
        total += json_integer_value(n);
    }
    return total;
}

/* The acceptance checks of the year's batches, when the figures carry them (the report). */
static void fig_qa(lr_strbuf *b, const json_t *d, int year)
{
    const json_t *qa = json_object_get(d, "qa");
    if (!qa)
        return;
    lr_strbuf_printf(b, "<section><h2>Acceptance checks, batches run in %d</h2>", year);
    if (json_array_size(qa) == 0) {
        lr_strbuf_puts(b, "<p class=\"note\">no named batches</p></section>\n");
        return;
    }
    lr_strbuf_puts(b, "<table class=\"figures\"><thead><tr><th>Batch</th><th>Pages</th>"
                      "<th>Findings</th><th>By check</th></tr></thead><tbody>");
    size_t i;
    const json_t *x;
    json_t *sum = json_object();
    json_array_foreach(qa, i, x)
    {
        lr_strbuf checks = {0};
        long long total = web_qa_checks(&checks, json_object_get(x, "findings"));
        lr_strbuf_puts(b, "<tr><td>");
        web_html_escape(b, web_jstr(x, "batch"));
        lr_strbuf_puts(b, "</td><td class=\"num\">");
        web_put_count(b, web_jcount(x, "pages"));
        lr_strbuf_printf(b, "</td><td class=\"num%s\">", total ? " bad" : "");
        web_put_count(b, total);
        lr_strbuf_puts(b, "</td><td>");
        web_html_escape(b, checks.data ? checks.data : "");
        lr_strbuf_puts(b, "</td></tr>");
        lr_strbuf_free(&checks);
        const char *check;
        const json_t *n;
        json_object_foreach(json_object_get(x, "findings"), check, n) json_object_set_new(
            sum, check,
            json_integer(json_integer_value(json_object_get(sum, check)) + json_integer_value(n)));
    }
    lr_strbuf_puts(b, "</tbody></table>");
    size_t n = json_object_size(sum), k = 0;
    web_bar *bars = n ? calloc(n, sizeof *bars) : NULL;
    const char *check;
    const json_t *v;
    json_object_foreach(sum, check, v) if (bars) bars[k++] =
        (web_bar){check, (double)json_integer_value(v), -1};
    if (bars)
        web_svg_bars(b, "Findings by check, all the year's batches", bars, k, "findings");
    free(bars);
    json_decref(sum);
    lr_strbuf_puts(b, "</section>\n");
}

void web_figures(lr_strbuf *b, const json_t *d, int year, bool links)
{
    fig_years(b, d, year);
    fig_per_day(b, d, year);
    fig_batches(b, d, year, links);
    fig_contractors(b, d, year);
    fig_failures(b, d, year);
    fig_qa(b, d, year);
    fig_review(b, d, year);
}
