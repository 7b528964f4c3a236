/* cmd_qa.c — "landrec qa": the rescan list of a batch, as CSV and as HTML with thumbnails
 * (docs/qa.md). The checks are qa.h's; this file reads the batch, measures from their files
 * the pages loaded without QA measures, and writes the reports. */
#include <errno.h>
#include <getopt.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/enhance.h"
#include "landrec/image.h"
#include "landrec/log.h"
#include "landrec/qa.h"
#include "landrec/store.h"

static const char usage[] =
    "usage: landrec qa [OPTIONS] BATCH\n"
    "\n"
    "Checks the pages loaded by the runs of BATCH (landrec run --batch BATCH) against the\n"
    "acceptance rules of a delivery and writes the rescan list, one row per finding:\n"
    "page, path, check, measured value, threshold, reason. Checks (docs/qa.md): dpi, depth\n"
    "(bit depth for the document type), blank, duplicate (same SHA-256 under two paths),\n"
    "near-duplicate (perceptual hash), skew (residual), edge-cut, orientation, unreadable.\n"
    "\n"
    "options:\n"
    "      --csv FILE          write the CSV here (default: standard output)\n"
    "      --html FILE         also write an HTML page with a thumbnail of each page\n"
    "      --min-dpi N         lowest acceptable resolution (default: 300)\n"
    "      --max-skew DEG      largest acceptable residual skew (default: 1.0)\n"
    "      --blank-ink PCT     a page with less ink than this percentage is blank\n"
    "                          (default: 0.1)\n"
    "      --edge-ink PCT      an edge touched by ink along more than this percentage of\n"
    "                          its length is cut (default: 2)\n"
    "      --phash-distance N  pages whose perceptual hashes differ in at most N of their\n"
    "                          256 bits are near duplicates (default: 24; -1: no\n"
    "                          near-duplicate check)\n"
    "      --min-orient-conf C orientation decided with less confidence is unsure\n"
    "                          (default: 3.0)\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* variables)\n"
    "  -v, --verbose           more log output (twice: debug)\n"
    "  -q, --quiet             only errors\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit status: 0 no findings, 1 findings (the rescan list is not empty), 2 could not run\n"
    "(bad options, database unreachable, schema missing, no such batch, a report not\n"
    "written).\n";

enum {
    OPT_CSV = 256,
    OPT_HTML,
    OPT_MIN_DPI,
    OPT_MAX_SKEW,
    OPT_BLANK_INK,
    OPT_EDGE_INK,
    OPT_PHASH,
    OPT_ORIENT_CONF,
    OPT_DB,
};

static bool parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

/* The measures of a page loaded without them, taken from its file as the pipeline takes
 * them: decoded, turned as the run turned it, enhanced with the default options. A file that
 * cannot be read leaves the page without measures (a warning says so). */
static void measure_from_file(lr_qa_page *p)
{
    const char *path = p->path_raw ? p->path_raw : p->path;
    lr_source *src = NULL;
    PIX *pix = NULL;
    lr_enhanced e = {0};
    lr_error err;
    lr_error_clear(&err);
    lr_page_info info;
    float osd_conf = p->m.orient_conf;
    if (lr_image_open(path, NULL, &src, NULL, &err) < 0 ||
        lr_image_read_page(src, p->page, &pix, &info, &err) < 0)
        goto done;
    int dpi = info.dpi_x > 0 ? info.dpi_x : LR_IMAGE_FALLBACK_DPI;
    lr_qa_measures m;
    if (lr_enhance_page(pix, p->orientation, dpi, NULL, &e, &err) < 0 ||
        lr_qa_measure(&e, dpi, &m, &err) < 0)
        goto done;
    m.orient_source = NULL;
    m.orient_conf = osd_conf; /* OSD's, as stored: the fallback's evidence was not kept */
    p->m = m;
    p->has_measures = true;
done:
    if (!p->has_measures)
        lr_log_warning("%s page %d: not measured: %s", p->path, p->page, err.message);
    lr_enhanced_clear(&e);
    pixDestroy(&pix);
    lr_image_close(&src);
}

/* Opens FILE for writing ("-" or NULL: standard output). */
static FILE *open_out(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "landrec: qa: could not write \"%s\": %s\n", path, strerror(errno));
    return f;
}

static bool close_out(FILE *f, const char *path)
{
    if (f == stdout)
        return fflush(f) == 0;
    if (fclose(f) != 0) {
        fprintf(stderr, "landrec: qa: write failed for \"%s\": %s\n", path, strerror(errno));
        return false;
    }
    return true;
}

static int write_reports(const lr_qa_findings *list, const char *batch, const char *csv,
                         const char *html)
{
    lr_error err;
    lr_error_clear(&err);
    FILE *f = open_out(csv);
    if (!f)
        return LR_EXIT_CANNOT_RUN;
    int rc = lr_qa_write_csv(list, f, &err);
    if (!close_out(f, csv) || rc < 0) {
        cli_report("qa", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    if (!html)
        return 0;
    if (!(f = open_out(html)))
        return LR_EXIT_CANNOT_RUN;
    char title[300];
    snprintf(title, sizeof title, "Rescan list of batch %s", batch);
    rc = lr_qa_write_html(list, title, f, &err);
    if (!close_out(f, html) || rc < 0) {
        cli_report("qa", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    return 0;
}

int cmd_qa(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"csv", required_argument, NULL, OPT_CSV},
        {"html", required_argument, NULL, OPT_HTML},
        {"min-dpi", required_argument, NULL, OPT_MIN_DPI},
        {"max-skew", required_argument, NULL, OPT_MAX_SKEW},
        {"blank-ink", required_argument, NULL, OPT_BLANK_INK},
        {"edge-ink", required_argument, NULL, OPT_EDGE_INK},
        {"phash-distance", required_argument, NULL, OPT_PHASH},
        {"min-orient-conf", required_argument, NULL, OPT_ORIENT_CONF},
        {"db", required_argument, NULL, OPT_DB},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *conninfo = NULL, *csv = NULL, *html = NULL;
    lr_qa_thresholds t;
    lr_qa_thresholds_default(&t);
    int c, verbose = 0, quiet = 0, longindex = -1;
    double v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", longopts, &longindex)) != -1) {
        bool ok = true;
        switch (c) {
        case OPT_CSV:
            csv = optarg;
            break;
        case OPT_HTML:
            html = optarg;
            break;
        case OPT_MIN_DPI:
            if ((ok = parse_double(optarg, 1, LR_IMAGE_MAX_DPI, &v) && v == floor(v)))
                t.min_dpi = (int)v;
            break;
        case OPT_MAX_SKEW:
            if ((ok = parse_double(optarg, 0, 45, &v)))
                t.max_skew_deg = (float)v;
            break;
        case OPT_BLANK_INK:
            if ((ok = parse_double(optarg, 0, 100, &v)))
                t.blank_ink = (float)(v / 100.0);
            break;
        case OPT_EDGE_INK:
            if ((ok = parse_double(optarg, 0, 100, &v)))
                t.edge_ink = (float)(v / 100.0);
            break;
        case OPT_PHASH:
            if ((ok = parse_double(optarg, -1, LR_QA_PHASH_BITS, &v) && v == floor(v)))
                t.phash_distance = (int)v;
            break;
        case OPT_ORIENT_CONF:
            if ((ok = parse_double(optarg, 0, 1000, &v)))
                t.min_orient_conf = (float)v;
            break;
        case OPT_DB:
            conninfo = optarg;
            break;
        case 'v':
            verbose++;
            break;
        case 'q':
            quiet++;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return LR_EXIT_CANNOT_RUN;
        }
        if (!ok)
            return cli_bad_value("qa", longopts, longindex, c, optarg);
        longindex = -1;
    }
    if (optind != argc - 1) {
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    const char *batch = argv[optind];
    cli_set_verbosity(verbose, quiet);

    lr_store *st = NULL;
    lr_qa_findings list = {0};
    lr_error err;
    lr_error_clear(&err);
    int status = LR_EXIT_CANNOT_RUN;
    size_t np = 0;
    bool found = false;
    if (lr_store_connect(conninfo, &st, &err) < 0 ||
        lr_store_check_schema(st, cli_schema_dir(), &err) < 0 ||
        cli_qa_batch(st, batch, &t, true, &list, &np, &found, &err) < 0) {
        cli_report("qa", &err);
        goto done;
    }
    if (!found) {
        fprintf(stderr,
                "landrec: qa: no run has the batch name \"%s\"\n"
                "HINT: name a batch given to \"landrec run --batch\".\n",
                batch);
        goto done;
    }
    lr_qa_findings_sort(&list);
    status = write_reports(&list, batch, csv, html);
    if (status == 0 && list.n > 0)
        status = 1;
    if (!quiet)
        fprintf(stderr, "landrec: qa: batch \"%s\": %zu page(s), %zu finding(s)\n", batch, np,
                list.n);
done:
    lr_qa_findings_free(&list);
    lr_store_close(&st);
    return status;
}

int cli_qa_batch(lr_store *st, const char *batch, const lr_qa_thresholds *t, bool measure,
                 lr_qa_findings *list, size_t *out_pages, bool *out_found, lr_error *err)
{
    lr_store_qa *q = NULL;
    *out_pages = 0;
    *out_found = false;
    if (lr_store_qa_read(st, batch, &q, err) < 0)
        return err->code ? (int)err->code : LR_ERR_DB;
    *out_found = lr_store_qa_invocations(q) > 0;
    size_t np = 0, nf = 0;
    lr_qa_page *pages = lr_store_qa_pages(q, &np);
    const lr_qa_file *files = lr_store_qa_files(q, &nf);
    for (size_t i = 0; i < np; i++) {
        if (measure && !pages[i].failed && !pages[i].has_measures)
            measure_from_file(&pages[i]);
        lr_qa_check_page(&pages[i], t, list);
    }
    if (t->phash_distance >= 0)
        lr_qa_check_near_duplicates(pages, np, t, list);
    lr_qa_check_duplicates(files, nf, list);
    *out_pages = np;
    lr_store_qa_free(&q);
    return list->failed ? lr_error_set(err, LR_ERR_NOMEM, "out of memory") : LR_OK;
}
