/* checks.c — the thresholds, the findings list and the rules a page is checked against
 * (qa.h, docs/qa.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/qa.h"

void lr_qa_thresholds_default(lr_qa_thresholds *out)
{
    out->min_dpi = LR_QA_MIN_DPI;
    out->max_skew_deg = LR_QA_MAX_SKEW_DEG;
    out->blank_ink = LR_QA_BLANK_INK;
    out->phash_distance = LR_QA_PHASH_DISTANCE;
    out->edge_ink = LR_QA_EDGE_INK;
    out->min_orient_conf = LR_QA_MIN_ORIENT_CONF;
}

/* ---- the list ---------------------------------------------------------------------------- */

static char *dup_or_null(const char *s, bool *failed)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *failed = true;
    return d;
}

void lr_qa_add(lr_qa_findings *list, const char *path, const char *path_raw, int page,
               const char *check, const char *value, const char *threshold, const char *reason)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        lr_qa_finding *v = realloc(list->v, cap * sizeof *v);
        if (!v) {
            list->failed = true;
            return;
        }
        list->v = v;
        list->cap = cap;
    }
    lr_qa_finding *f = &list->v[list->n++];
    f->page = page;
    f->path = dup_or_null(path ? path : "", &list->failed);
    f->path_raw = dup_or_null(path_raw, &list->failed);
    f->check = dup_or_null(check, &list->failed);
    f->value = dup_or_null(value ? value : "", &list->failed);
    f->threshold = dup_or_null(threshold ? threshold : "", &list->failed);
    f->reason = dup_or_null(reason ? reason : "", &list->failed);
}

void lr_qa_findings_free(lr_qa_findings *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->n; i++) {
        lr_qa_finding *f = &list->v[i];
        free(f->path);
        free(f->path_raw);
        free(f->check);
        free(f->value);
        free(f->threshold);
        free(f->reason);
    }
    free(list->v);
    memset(list, 0, sizeof *list);
}

static int null_last_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a == NULL) - (b == NULL);
    return strcmp(a, b);
}

static int finding_cmp(const void *pa, const void *pb)
{
    const lr_qa_finding *a = pa, *b = pb;
    int c = null_last_cmp(a->path, b->path);
    if (c)
        return c;
    if (a->page != b->page)
        return a->page < b->page ? -1 : 1;
    return null_last_cmp(a->check, b->check);
}

void lr_qa_findings_sort(lr_qa_findings *list)
{
    if (list->n > 1)
        qsort(list->v, list->n, sizeof *list->v, finding_cmp);
}

/* ---- single-page rules ------------------------------------------------------------------- */

bool lr_qa_depth_ok(const char *doc_type, const char *colour, const char **out_rule)
{
    bool map = doc_type && strstr(doc_type, "_map") != NULL;
    if (out_rule)
        *out_rule = map ? "colour (maps)" : "grey or colour";
    if (!colour)
        return true; /* not known: nothing to say */
    if (map)
        return strcmp(colour, "rgb") == 0;
    return strcmp(colour, "bitonal") != 0;
}

static void add_f(lr_qa_findings *list, const lr_qa_page *p, const char *check, const char *value,
                  const char *threshold, const char *reason)
{
    lr_qa_add(list, p->path, p->path_raw, p->page, check, value, threshold, reason);
}

static void check_dpi(const lr_qa_page *p, const lr_qa_thresholds *t, lr_qa_findings *list)
{
    char value[64], thr[32];
    snprintf(thr, sizeof thr, "%d dpi", t->min_dpi);
    if (p->dpi_assumed) {
        add_f(list, p, "dpi", "none", thr,
              "the file declares no usable resolution; the scan's resolution is unknown");
        return;
    }
    int low = p->dpi_x < p->dpi_y ? p->dpi_x : p->dpi_y;
    if (low > 0 && low < t->min_dpi) {
        if (p->dpi_x == p->dpi_y)
            snprintf(value, sizeof value, "%d dpi", p->dpi_x);
        else
            snprintf(value, sizeof value, "%d x %d dpi", p->dpi_x, p->dpi_y);
        add_f(list, p, "dpi", value, thr, "resolution below the minimum");
    }
}

static void check_depth(const lr_qa_page *p, lr_qa_findings *list)
{
    const char *rule = NULL;
    if (lr_qa_depth_ok(p->doc_type, p->colour, &rule))
        return;
    char value[64], reason[160];
    snprintf(value, sizeof value, "%s, %d x %d bit", p->colour, p->samples_per_pixel,
             p->bits_per_sample);
    snprintf(reason, sizeof reason, "%s must be scanned in %s",
             p->doc_type ? p->doc_type : "a page of unknown type", rule);
    add_f(list, p, "depth", value, rule, reason);
}

static void check_measures(const lr_qa_page *p, const lr_qa_thresholds *t, lr_qa_findings *list)
{
    char value[64], thr[64];
    const lr_qa_measures *m = &p->m;
    if (m->ink < t->blank_ink) {
        snprintf(value, sizeof value, "%.4f%%", 100.0 * m->ink);
        snprintf(thr, sizeof thr, "%.4f%%", 100.0 * t->blank_ink);
        add_f(list, p, "blank", value, thr, "almost no ink on the page");
        /* A blank page has no text to orient or straighten, nor content to cut. */
        return;
    }
    if (fabsf(m->residual_skew_deg) > t->max_skew_deg) {
        snprintf(value, sizeof value, "%.2f deg", (double)m->residual_skew_deg);
        snprintf(thr, sizeof thr, "%.2f deg", (double)t->max_skew_deg);
        add_f(list, p, "skew", value, thr,
              p->skew_applied ? "skew left after the page was straightened"
                              : "skew the pipeline did not correct");
    }
    if (m->edge_ink > t->edge_ink) {
        char reason[96];
        snprintf(value, sizeof value, "%.1f%%", 100.0 * m->edge_ink);
        snprintf(thr, sizeof thr, "%.1f%%", 100.0 * t->edge_ink);
        snprintf(reason, sizeof reason, "ink runs into the %s edge: content may be cut off",
                 lr_qa_edge_name(m->edge) ? lr_qa_edge_name(m->edge) : "?");
        add_f(list, p, "edge-cut", value, thr, reason);
    }
    /* The source is known for pages loaded with the QA measures; for older pages the OSD
     * confidence stands alone (docs/qa.md). */
    bool unsure = m->orient_source && strcmp(m->orient_source, "unsure") == 0;
    if (unsure || m->orient_conf < t->min_orient_conf) {
        snprintf(value, sizeof value, "%.2f (%s)", (double)m->orient_conf,
                 m->orient_source ? m->orient_source : "osd");
        snprintf(thr, sizeof thr, "%.2f", (double)t->min_orient_conf);
        add_f(list, p, "orientation", value, thr,
              "the page's orientation could not be decided with confidence");
    }
}

void lr_qa_check_page(const lr_qa_page *p, const lr_qa_thresholds *t, lr_qa_findings *list)
{
    if (p->failed) {
        add_f(list, p, "unreadable", p->error ? p->error : "failed", "loads",
              "the page could not be loaded");
        return;
    }
    check_dpi(p, t, list);
    check_depth(p, list);
    if (p->has_measures)
        check_measures(p, t, list);
}

/* ---- duplicates -------------------------------------------------------------------------- */

void lr_qa_check_near_duplicates(const lr_qa_page *pages, size_t n, const lr_qa_thresholds *t,
                                 lr_qa_findings *list)
{
    char value[32], thr[32], reason[1200];
    snprintf(thr, sizeof thr, "%d bits", t->phash_distance);
    for (size_t j = 1; j < n; j++) {
        const lr_qa_page *b = &pages[j];
        if (b->failed || !b->has_measures)
            continue;
        /* The closest earlier page, so that the finding names the best match. */
        size_t best = n;
        int best_d = LR_QA_PHASH_BITS + 1;
        for (size_t i = 0; i < j; i++) {
            const lr_qa_page *a = &pages[i];
            if (a->failed || !a->has_measures)
                continue;
            int d = lr_qa_hamming(&a->m.phash, &b->m.phash);
            if (d < best_d) {
                best_d = d;
                best = i;
            }
        }
        if (best == n || best_d > t->phash_distance)
            continue;
        snprintf(value, sizeof value, "%d bits", best_d);
        snprintf(reason, sizeof reason, "looks like %s page %d", pages[best].path,
                 pages[best].page);
        add_f(list, b, "near-duplicate", value, thr, reason);
    }
}

void lr_qa_check_duplicates(const lr_qa_file *files, size_t n, lr_qa_findings *list)
{
    char reason[1200];
    size_t first = 0;
    for (size_t i = 1; i < n; i++) {
        if (!files[i].sha256 || !files[first].sha256 ||
            strcmp(files[i].sha256, files[first].sha256) != 0) {
            first = i;
            continue;
        }
        if (files[i].path && files[first].path && strcmp(files[i].path, files[first].path) == 0)
            continue;
        snprintf(reason, sizeof reason, "the same file as %s", files[first].path);
        int pages = files[i].page_count > 0 ? files[i].page_count : 1;
        for (int pg = 1; pg <= pages; pg++)
            lr_qa_add(list, files[i].path, files[i].path_raw, pg, "duplicate", files[i].sha256,
                      "unique SHA-256", reason);
    }
}
