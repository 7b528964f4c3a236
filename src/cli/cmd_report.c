/* cmd_report.c — "landrec report": a year's figures, the dashboard's, as text and HTML. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/web.h"
#include "landrec/webstore.h"

static const char usage[] =
    "usage: landrec report --year YEAR [--html FILE] [--db CONNINFO]\n"
    "\n"
    "The records officers' figures for one year, as the dashboard of \"landrec serve\" shows\n"
    "them: pages and sheets against the yearly and the cumulative targets (quota_target),\n"
    "pages a day (by month, and the year's last 60 days), the batches run in the year,\n"
    "failed pages of the year by reason, the share of fields flagged and the review backlog\n"
    "(these two for the whole archive, now). Per contractor: no data yet. Printed as aligned\n"
    "text; with --html, also written as a standalone HTML file with bar charts.\n"
    "\n"
    "options:\n"
    "  -y, --year YEAR        the year reported, 1900 to 2100 (required)\n"
    "      --html FILE        also write the report as an HTML file\n"
    "      --db CONNINFO      libpq connection string or URI (default: PG* variables)\n"
    "  -h, --help             this help\n"
    "\n"
    "Exit status: 0 success, 2 bad options or the figures could not be read or written.\n";

enum { OPT_HTML = 1000, OPT_DB };

/* YEAR as a number from 1900 to 2100, or 0. */
static int parse_year(const char *s)
{
    char *end;
    errno = 0;
    long y = strtol(s, &end, 10);
    if (end == s || *end || errno || y < 1900 || y > 2100)
        return 0;
    return (int)y;
}

static int write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "landrec: report: could not write \"%s\": %s\n", path, strerror(errno));
        return -1;
    }
    bool ok = fwrite(text, 1, len, f) == len;
    if (fclose(f) != 0)
        ok = false;
    if (!ok) {
        fprintf(stderr, "landrec: report: could not write \"%s\": %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* The acceptance checks of each batch the figures list (qa's, with its default thresholds,
 * from the measures stored at load: a report decodes no image) as figures' "qa": [{"batch",
 * "pages", "findings": {check: pages}}]. */
static int add_qa(lr_store *st, json_t *figures, lr_error *err)
{
    lr_qa_thresholds t;
    lr_qa_thresholds_default(&t);
    json_t *qa = json_array();
    size_t i;
    const json_t *b;
    int rc = qa ? LR_OK : lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    json_array_foreach(json_object_get(figures, "batches"), i, b)
    {
        const char *name = json_string_value(json_object_get(b, "batch"));
        if (rc != LR_OK || !name || !*name)
            continue;
        lr_qa_findings list = {0};
        size_t pages = 0;
        bool found = false;
        rc = cli_qa_batch(st, name, &t, false, &list, &pages, &found, err);
        json_t *by_check = json_object();
        for (size_t k = 0; rc == LR_OK && by_check && k < list.n; k++) {
            const char *c = list.v[k].check;
            json_object_set_new(by_check, c,
                                json_integer(json_integer_value(json_object_get(by_check, c)) + 1));
        }
        if (rc == LR_OK)
            json_array_append_new(qa, json_pack("{s:s, s:I, s:o}", "batch", name, "pages",
                                                (json_int_t)pages, "findings",
                                                by_check ? by_check : json_object()));
        else
            json_decref(by_check);
        lr_qa_findings_free(&list);
    }
    if (rc == LR_OK)
        json_object_set_new(figures, "qa", qa);
    else
        json_decref(qa);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"year", required_argument, NULL, 'y'},
        {"html", required_argument, NULL, OPT_HTML},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *conninfo = NULL, *html = NULL;
    int year = 0, c, longindex = -1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "y:h", longopts, &longindex)) != -1) {
        switch (c) {
        case 'y':
            if (!(year = parse_year(optarg)))
                return cli_bad_value("report", longopts, longindex, c, optarg);
            break;
        case OPT_HTML:
            html = optarg;
            break;
        case OPT_DB:
            conninfo = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return LR_EXIT_CANNOT_RUN;
        }
        longindex = -1;
    }
    if (optind != argc || !year) {
        if (!year && optind == argc)
            fputs("landrec: report: --year is required\n", stderr);
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    lr_store *st = NULL;
    lr_error err;
    lr_error_clear(&err);
    json_t *figures = NULL;
    lr_strbuf text = {0}, page = {0};
    int status = LR_EXIT_CANNOT_RUN;
    if (lr_store_connect(conninfo, &st, &err) < 0 ||
        lr_store_check_schema(st, cli_schema_dir(), &err) < 0 ||
        lr_web_dashboard(st, year, &figures, &err) < 0 || add_qa(st, figures, &err) < 0 ||
        lr_web_report_text(figures, year, &text, &err) < 0 ||
        (html && lr_web_report_html(figures, year, &page, &err) < 0)) {
        cli_report("report", &err);
        goto done;
    }
    /* The file first: the text on the terminal then means the whole report was made. */
    if (html && write_file(html, page.data, page.len) < 0)
        goto done;
    if (fwrite(text.data, 1, text.len, stdout) != text.len || fflush(stdout) != 0) {
        fprintf(stderr, "landrec: report: write failed: %s\n", strerror(errno));
        goto done;
    }
    status = 0;
done:
    lr_strbuf_free(&text);
    lr_strbuf_free(&page);
    json_decref(figures);
    lr_store_close(&st);
    return status;
}
