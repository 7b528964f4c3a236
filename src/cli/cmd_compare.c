/* cmd_compare.c — "landrec compare": the runs of two settings side by side, page by page
 * (reprocess.h for the runs, metrics.h for the edit distance). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "landrec/metrics.h"
#include "landrec/reprocess.h"

static const char usage[] =
    "usage: landrec compare A B [--batch NAME] [--format text|jsonl] [--db CONNINFO]\n"
    "\n"
    "Sets side by side, for every page that has a done run under settings A and one under\n"
    "settings B (settings hashes; a prefix of at least 8 hex digits that only one begins is\n"
    "enough): each run's mean confidence, characters (whitespace left out) and words, the\n"
    "character edit distance between their texts as CER of B against A (A is the reference),\n"
    "and the fields (section, row, field) whose values differ, A -> B; then the totals.\n"
    "\n"
    "options:\n"
    "  -b, --batch NAME        only pages one of whose two runs batch NAME touched\n"
    "      --format FORMAT     text (default: aligned columns and totals) or jsonl (one\n"
    "                          object per page, no totals)\n"
    "      --db CONNINFO       libpq connection string or URI (default: PG* variables)\n"
    "  -h, --help              this help\n"
    "\n"
    "See docs/queue.md, \"Reprocessing\".\n"
    "Exit status: 0 compared (no page in common is 0 too, and says so), 2 a bad, unknown or\n"
    "ambiguous settings hash, bad options, database.\n";

typedef struct totals {
    int pages, fields, changed;
    size_t ref_chars, edits;
    double conf_a, conf_b;
    int nconf_a, nconf_b;
} totals;

/* The CER of page pg, B against A; *ok false when it could not be computed (too large). */
static lr_cer page_cer(const lr_compare_page *pg, bool *ok)
{
    lr_cer cer;
    lr_error e;
    lr_error_clear(&e);
    *ok = lr_metrics_cer(pg->text_a, pg->text_b, &cer, &e) == LR_OK;
    if (!*ok) {
        memset(&cer, 0, sizeof cer);
        fprintf(stderr, "landrec: compare: %s page %d: no edit distance: %s\n", pg->path_shown,
                pg->page, e.message);
    }
    return cer;
}

static json_t *json_num(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *json_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int print_jsonl(const lr_compare_page *pg, const lr_cer *cer, bool ok)
{
    json_t *changed = json_array();
    for (size_t j = 0; changed && j < pg->nchanged; j++) {
        const lr_compare_field *f = &pg->changed[j];
        json_array_append_new(changed,
                              json_pack("{s:s?, s:i, s:s?, s:o, s:o}", "section", f->section,
                                        "row_no", f->row_no, "field", f->field, "a",
                                        json_str_or_null(f->a), "b", json_str_or_null(f->b)));
    }
    json_t *o = json_pack("{s:s, s:i, s:I, s:I, s:o, s:o, s:I, s:I, s:i, s:i, s:o, s:o, s:i, s:o}",
                          "path", pg->path_shown, "page", pg->page, "run_a", (json_int_t)pg->run_a,
                          "run_b", (json_int_t)pg->run_b, "conf_a", json_num(pg->conf_a), "conf_b",
                          json_num(pg->conf_b), "chars_a", (json_int_t)cer->ref_len, "chars_b",
                          (json_int_t)cer->hyp_len, "words_a", pg->words_a, "words_b", pg->words_b,
                          "edits", ok ? json_integer((json_int_t)cer->edits) : json_null(), "cer",
                          json_num(ok ? lr_metrics_rate(cer->edits, cer->ref_len) : NAN), "fields",
                          pg->fields, "changed", changed ? changed : json_null());
    char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!line)
        return -1;
    puts(line);
    free(line);
    return 0;
}

static void print_text_row(const lr_compare_page *pg, const lr_cer *cer, bool ok)
{
    char cer_s[32] = "-";
    double rate = ok ? lr_metrics_rate(cer->edits, cer->ref_len) : NAN;
    if (isfinite(rate))
        snprintf(cer_s, sizeof cer_s, "%.4f", rate);
    printf("%5d %7.1f %7.1f %8zu %8zu %7d %7d %7s %6d %7zu  %s\n", pg->page, pg->conf_a, pg->conf_b,
           cer->ref_len, cer->hyp_len, pg->words_a, pg->words_b, cer_s, pg->fields, pg->nchanged,
           pg->path_shown);
    for (size_t j = 0; j < pg->nchanged; j++) {
        const lr_compare_field *f = &pg->changed[j];
        printf("      %s %d %s: %s%s%s -> %s%s%s\n", f->section ? f->section : "?", f->row_no,
               f->field ? f->field : "?", f->a ? "\"" : "", f->a ? f->a : "(none)",
               f->a ? "\"" : "", f->b ? "\"" : "", f->b ? f->b : "(none)", f->b ? "\"" : "");
    }
}

int cmd_compare(int argc, char **argv)
{
    enum { OPT_DB = 256, OPT_FORMAT };
    static const struct option longopts[] = {
        {"batch", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"db", required_argument, NULL, OPT_DB},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *batch = NULL, *conninfo = NULL;
    bool jsonl = false;
    int c, longindex;
    optind = 1;
    while ((longindex = -1, c = getopt_long(argc, argv, "b:h", longopts, &longindex)) != -1) {
        switch (c) {
        case 'b':
            batch = optarg;
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "jsonl") != 0)
                return cli_bad_value("compare", longopts, longindex, c, optarg);
            jsonl = strcmp(optarg, "jsonl") == 0;
            break;
        case OPT_DB:
            conninfo = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs("HINT: run \"landrec compare --help\" for the options.\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
    }
    if (argc - optind != 2) {
        fputs("landrec: compare: give two settings hashes, A and B\n", stderr);
        fputs(usage, stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    lr_error err;
    lr_error_clear(&err);
    lr_store *st = NULL;
    char a[LR_SHA256_HEX_LEN + 1], b[LR_SHA256_HEX_LEN + 1];
    lr_compare_page *pages = NULL;
    size_t n = 0;
    int rc = lr_store_connect(conninfo, &st, &err);
    if (rc == LR_OK)
        rc = lr_store_check_schema(st, cli_schema_dir(), &err);
    if (rc == LR_OK)
        rc = lr_store_settings_resolve(st, argv[optind], a, &err);
    if (rc == LR_OK)
        rc = lr_store_settings_resolve(st, argv[optind + 1], b, &err);
    if (rc == LR_OK)
        rc = lr_store_compare(st, a, b, batch, &pages, &n, &err);
    lr_store_close(&st);
    if (rc < 0) {
        cli_report("compare", &err);
        return LR_EXIT_CANNOT_RUN;
    }
    totals t;
    memset(&t, 0, sizeof t);
    if (!jsonl) {
        printf("A %s (the reference)\nB %s\n\n", a, b);
        printf("%5s %7s %7s %8s %8s %7s %7s %7s %6s %7s  %s\n", "page", "conf A", "conf B",
               "chars A", "chars B", "words A", "words B", "CER", "fields", "changed", "path");
    }
    int out_rc = LR_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        const lr_compare_page *pg = &pages[i];
        bool ok;
        lr_cer cer = page_cer(pg, &ok);
        t.pages++;
        t.fields += pg->fields;
        t.changed += (int)pg->nchanged;
        if (ok) {
            t.ref_chars += cer.ref_len;
            t.edits += cer.edits;
        }
        if (isfinite(pg->conf_a))
            t.conf_a += pg->conf_a, t.nconf_a++;
        if (isfinite(pg->conf_b))
            t.conf_b += pg->conf_b, t.nconf_b++;
        if (!jsonl)
            print_text_row(pg, &cer, ok);
        else if (print_jsonl(pg, &cer, ok) < 0) {
            fputs("landrec: compare: out of memory\n", stderr);
            out_rc = LR_EXIT_CANNOT_RUN;
            break;
        }
    }
    lr_compare_pages_free(pages, n);
    if (n == 0)
        fprintf(stderr, "landrec: compare: no page has a done run under both settings%s%s\n",
                batch ? " in batch " : "", batch ? batch : "");
    if (!jsonl) {
        double rate = lr_metrics_rate(t.edits, t.ref_chars);
        printf("\ntotals: %d page%s compared; %d field%s compared, %d changed\n", t.pages,
               t.pages == 1 ? "" : "s", t.fields, t.fields == 1 ? "" : "s", t.changed);
        printf("  mean confidence: A %.1f, B %.1f\n", t.nconf_a ? t.conf_a / t.nconf_a : NAN,
               t.nconf_b ? t.conf_b / t.nconf_b : NAN);
        printf("  CER of B against A: %.4f (%zu edits over A's %zu characters)\n",
               isfinite(rate) ? rate : NAN, t.edits, t.ref_chars);
    }
    return out_rc;
}
