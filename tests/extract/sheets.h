/* sheets.h — reads ledger sheets (image + landrec-synth/1 truth JSON) through every stage of
 * a page as the pipeline runs them (page.h: decode, orientation, enhance, page OCR, layout
 * and extract), and scores the fields against the truth: the test of the committed sheets
 * and the scorer for the generator's (score_sheets DIR). */
#ifndef EXTRACT_SHEETS_H
#define EXTRACT_SHEETS_H

#include <dirent.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "landrec/extract.h"
#include "landrec/image.h"
#include "landrec/layout.h"
#include "landrec/ocr.h"
#include "landrec/orient.h"
#include "landrec/page.h"
#include "landrec/store.h"

typedef struct score {
    char doc_type[32];
    int sheets, doc_right;
    int fields, right;         /* truth fields with a value; read right */
    int unflagged, unflagged_right;
    int current, current_right; /* the parcel's category, area and grade where the form has no
                                   box: the truth's last land row not struck that holds one */
    double ocr_ms, extract_ms; /* page OCR; layout + extract (+ normalisation) */
    double page_ms;            /* the whole page: decode, orientation, enhance, OCR, extract */
    int rereads;
} score;

/* What reading sheets takes: an OCR handle, an extractor and the installed form templates
 * (schemas/forms). */
typedef struct sh_readers {
    lr_ocr *ocr;
    lr_extractor *ex;
    lr_forms *forms;
} sh_readers;

/* Makes them (zeroed first); 0, or -1 with the reason on stderr (what was made is kept for
 * sh_close). */
static inline int sh_open(sh_readers *r)
{
    memset(r, 0, sizeof *r);
    char forms_dir[4096];
    snprintf(forms_dir, sizeof forms_dir, "%s/forms", lr_store_default_schema_dir());
    lr_error err;
    if (lr_ocr_new(NULL, &r->ocr, &err) < 0 || lr_extract_new(NULL, &r->ex, &err) < 0 ||
        lr_forms_load(forms_dir, &r->forms, &err) < 0) {
        fprintf(stderr, "%s: %s\n", err.message, err.detail);
        return -1;
    }
    return 0;
}

static inline void sh_close(sh_readers *r)
{
    lr_forms_destroy(&r->forms);
    lr_extract_destroy(&r->ex);
    lr_ocr_destroy(&r->ocr);
}

static inline double sh_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Same text ignoring white space. */
static inline int sh_same(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    while (*a || *b) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b)
            return 0;
        if (*a) {
            a++;
            b++;
        }
    }
    return 1;
}

/* Where sh_score_field writes each scored field for calibration (NULL: nowhere; score_sheets
 * --calib): doc type, kind, confidence, right (0/1), whether it is flagged for a reason
 * other than its confidence (it stays flagged at any threshold) or not read at all, and
 * whether it was flagged in this run. */
static FILE *sh_calib_out;

static inline void sh_score_field(score *s, json_t *truth, const lr_field *f, const char *what,
                                  int verbose)
{
    if (!json_is_object(truth))
        return;
    const char *tv = json_string_value(json_object_get(truth, "value"));
    if (!tv || !tv[0])
        return;
    s->fields++;
    int ok = f && f->present && sh_same(f->value, tv);
    s->right += ok;
    if (f && f->present && !f->review) {
        s->unflagged++;
        s->unflagged_right += ok;
    }
    if (sh_calib_out) {
        const char *dot = strrchr(what, '.');
        int held = !f || !f->present || !f->raw || !f->raw[0] ||
                   (f->review && strcmp(f->reason, "low-confidence") != 0);
        fprintf(sh_calib_out, "%s\t%s\t%.3f\t%d\t%d\t%d\n", s->doc_type,
                dot ? dot + 1 : what, f ? (double)f->conf : 0.0, ok, held,
                !f || !f->present || f->review);
    }
    if (verbose > 1 && ok && f->review)
        fprintf(stderr, "  %s: right but flagged %s (raw \"%s\", conf %.0f)\n", what,
                f->reason, f->raw, (double)f->conf);
    if (verbose && !ok)
        fprintf(stderr, "  %s: want \"%s\", got \"%s\" (raw \"%s\", conf %.0f%s)\n", what, tv,
                f && f->value ? f->value : "(null)", f && f->raw ? f->raw : "(none)",
                f ? (double)f->conf : 0.0, f && f->review ? ", review" : "");
}

static inline score *sh_slot(score *scores, int *nscores, const char *doc_type)
{
    for (int i = 0; i < *nscores; i++)
        if (strcmp(scores[i].doc_type, doc_type) == 0)
            return &scores[i];
    score *s = &scores[(*nscores)++];
    memset(s, 0, sizeof *s);
    snprintf(s->doc_type, sizeof s->doc_type, "%s", doc_type);
    return s;
}

/* Where sh_run_sheet writes every field it read (NULL: nowhere): one line a field with its
 * raw text, value, confidence, flag and alternatives, so that two builds can be compared sheet
 * by sheet and field by field (score_sheets --dump). */
static FILE *sh_dump_out;

static inline void sh_dump_field(const char *sheet, const char *where, const lr_field *f)
{
    if (!sh_dump_out || !f || !f->present)
        return;
    fprintf(sh_dump_out, "%s\t%s\traw=%s\tvalue=%s\tconf=%.3f\treview=%d\treason=%s", sheet,
            where, f->raw ? f->raw : "", f->value ? f->value : "(null)", (double)f->conf,
            (int)f->review, f->reason);
    for (int i = 0; i < f->nalt; i++)
        fprintf(sh_dump_out, "\talt=%s:%.3f", f->alt[i].value, (double)f->alt[i].score);
    fputc('\n', sh_dump_out);
}

static inline void sh_dump_sheet(const char *name, const lr_orientation *o,
                                 const lr_layout *lay, lr_sheet *sheet)
{
    if (!sh_dump_out)
        return;
    fprintf(sh_dump_out, "%s\tsheet\tdoc_type=%s\tform=%s\torientation=%d\tcells=%d\t"
                         "reread=%d\tnreview=%d\tland=%zu\towners=%zu\tlineage=%zu\n",
            name, lr_doc_type_name(lay->doc_type), sheet->form, o->deg, sheet->cells,
            sheet->cells_reread, sheet->nreview, sheet->nland, sheet->nowners, sheet->nlineage);
    for (size_t r = 0; r <= sheet->nland + sheet->nowners; r++)
        for (int k = LR_FIELD_NONE + 1; k < LR_FIELD_COUNT; k++) {
            lr_section sec = r == 0 ? LR_SECTION_SHEET
                             : r <= sheet->nland ? LR_SECTION_LAND : LR_SECTION_OWNER;
            size_t row = r == 0 ? 0 : r <= sheet->nland ? r - 1 : r - 1 - sheet->nland;
            char where[64];
            snprintf(where, sizeof where, "%s[%zu].%s", lr_section_name(sec), row,
                     lr_field_kind_name((lr_field_kind)k));
            sh_dump_field(name, where, lr_sheet_field(sheet, sec, row, (lr_field_kind)k));
        }
    for (size_t i = 0; i < sheet->nlineage; i++)
        fprintf(sh_dump_out, "%s\tlineage\t%s\t%s\t%s\t%d\n", name, sheet->lineage[i].kind,
                sheet->lineage[i].from_lot, sheet->lineage[i].to_lot, sheet->lineage[i].row);
}

/* Whether the truth marks land-history row r struck ("marks": kind "struck"). */
static inline int sh_truth_struck(json_t *truth, size_t r)
{
    char prefix[48];
    snprintf(prefix, sizeof prefix, "land_history[%zu].", r);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(truth, "marks"), i, m)
    {
        const char *kind = json_string_value(json_object_get(m, "kind"));
        const char *field = json_string_value(json_object_get(m, "field"));
        if (kind && field && strcmp(kind, "struck") == 0 &&
            strncmp(field, prefix, strlen(prefix)) == 0)
            return 1;
    }
    return 0;
}

/* Scores the parcel's current category, area and grade (lr_sheet_current_field) where the
 * truth's sheet has none: the truth's last land row not struck that holds the field. */
static inline void sh_score_current(score *s, json_t *truth, lr_sheet *sheet, int verbose)
{
    json_t *fields = json_object_get(truth, "fields");
    json_t *rows = json_object_get(fields, "land_history");
    static const struct {
        const char *key;
        lr_field_kind kind;
    } cur[] = {{"category", LR_FIELD_CATEGORY}, {"area", LR_FIELD_AREA},
               {"grade", LR_FIELD_GRADE}};
    for (size_t k = 0; k < 3; k++) {
        if (json_is_object(json_object_get(fields, cur[k].key)))
            continue;
        const char *want = NULL;
        for (size_t r = json_array_size(rows); r-- > 0 && !want;) {
            json_t *f = json_object_get(json_array_get(rows, r), cur[k].key);
            const char *v = json_is_object(f) ? json_string_value(json_object_get(f, "value"))
                                              : NULL;
            if (v && v[0] && !sh_truth_struck(truth, r))
                want = v;
        }
        if (!want)
            continue;
        int row = -1;
        const lr_field *got = lr_sheet_current_field(sheet, cur[k].kind, &row);
        int ok = got && sh_same(got->value, want);
        s->current++;
        s->current_right += ok;
        if (verbose && !ok)
            fprintf(stderr, "  current %s: want \"%s\", got \"%s\" (row %d)\n", cur[k].key,
                    want, got && got->value ? got->value : "(null)", row);
    }
}

/* Reads one sheet; returns 0 or -1 when it could not be processed. */
static inline int sh_run_sheet(const char *dir, const char *json_name, lr_ocr *ocr,
                               lr_extractor *ex, const lr_forms *forms, score *scores,
                               int *nscores, int verbose)
{
    char path[8300];
    snprintf(path, sizeof path, "%.4000s/%.4000s", dir, json_name);
    json_error_t jerr;
    json_t *truth = json_load_file(path, 0, &jerr);
    if (!truth)
        return -1;
    int rc = -1;
    lr_source *src = NULL;
    lr_page pg = {0};
    lr_error err;
    const char *image = json_string_value(json_object_get(truth, "image"));
    int page = (int)json_integer_value(json_object_get(truth, "page"));
    if (page < 1)
        page = 1;
    snprintf(path, sizeof path, "%.4000s/%.4000s", dir, image ? image : "");
    /* Every stage as the pipeline runs them (the committed samples are turned), and the fields
     * of every sheet, whatever its type: they are all scored. */
    lr_page_options po;
    lr_page_options_default(&po);
    po.fields_of_every_type = true;
    const lr_page_tools tools = {.ocr = ocr, .extractor = ex, .forms = forms};
    double t_page = sh_now_ms();
    if (lr_image_open(path, NULL, &src, NULL, &err) < 0 ||
        lr_page_process(&tools, &po, src, page, &pg, &err) < 0) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        goto done;
    }
    double page_ms = sh_now_ms() - t_page;
    double ocr_ms = pg.times.read_ms, ex_ms = pg.times.extract_ms;
    const lr_layout *lay = &pg.layout;
    lr_sheet *sheet = &pg.sheet;
    const char *want = json_string_value(json_object_get(truth, "doc_type"));
    /* The generator's form versions are document types of their own in the truth. */
    const char *want_type = !want ? "unknown"
                            : (strcmp(want, "land_ledger_1950") == 0 ||
                               strcmp(want, "card_1975") == 0) ? "land_ledger"
                            : strcmp(want, "map_fragment") == 0 ? "cadastral_map"
                                                                : want;
    score *s = sh_slot(scores, nscores, want ? want : "unknown");
    s->sheets++;
    s->doc_right += strcmp(lr_doc_type_name(lay->doc_type), want_type) == 0;
    s->ocr_ms += ocr_ms;
    s->extract_ms += ex_ms;
    s->page_ms += page_ms;
    s->rereads += sheet->cells_reread;
    if (verbose)
        fprintf(stderr,
                "%s: %s (want %s), %zu cells, %d labels, %zu land, %zu owner rows, "
                "ocr %.0f ms, extract %.1f ms (layout %.1f ms, %d label re-reads; "
                "%d cell re-reads %.1f ms)\n",
                json_name, lr_doc_type_name(lay->doc_type), want_type, lay->ncells, lay->nlabels,
                sheet->nland, sheet->nowners, ocr_ms, ex_ms, pg.times.layout_ms, lay->label_rereads,
                sheet->cells_reread, sheet->reread_ms);
    sh_dump_sheet(json_name, &pg.orientation, lay, sheet);
    json_t *fields = json_object_get(truth, "fields");
    static const struct {
        const char *key;
        lr_field_kind kind;
    } top[] = {{"location", LR_FIELD_LOCATION}, {"lot", LR_FIELD_LOT},
               {"category", LR_FIELD_CATEGORY}, {"area", LR_FIELD_AREA},
               {"grade", LR_FIELD_GRADE}};
    for (size_t i = 0; i < 5; i++)
        sh_score_field(s, json_object_get(fields, top[i].key),
                       lr_sheet_field(sheet, LR_SECTION_SHEET, 0, top[i].kind), top[i].key,
                       verbose);
    static const struct {
        const char *key;
        lr_field_kind kind;
    } hist[] = {{"date", LR_FIELD_DATE},         {"event", LR_FIELD_EVENT},
                {"category", LR_FIELD_CATEGORY}, {"area", LR_FIELD_AREA},
                {"grade", LR_FIELD_GRADE},       {"address", LR_FIELD_ADDRESS},
                {"name", LR_FIELD_NAME}};
    for (int sec = 1; sec <= 2; sec++) {
        json_t *rows = json_object_get(fields, sec == 1 ? "land_history" : "owner_history");
        for (size_t r = 0; r < json_array_size(rows); r++)
            for (size_t k = 0; k < sizeof hist / sizeof *hist; k++) {
                char what[64];
                snprintf(what, sizeof what, "%s[%zu].%s", sec == 1 ? "land" : "owner", r,
                         hist[k].key);
                sh_score_field(s, json_object_get(json_array_get(rows, r), hist[k].key),
                               lr_sheet_field(sheet, (lr_section)sec, r, hist[k].kind), what,
                               verbose);
            }
    }
    sh_score_current(s, truth, sheet, verbose);
    rc = 0;
done:
    lr_page_clear(&pg);
    lr_image_close(&src);
    json_decref(truth);
    return rc;
}

static inline int sh_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every *.json in dir but manifest files (at most max); fills scores. Returns sheets
 * processed. */
static inline int sh_run_dir(const char *dir, int max, lr_ocr *ocr, lr_extractor *ex,
                             const lr_forms *forms, score *scores, int *nscores, int verbose)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    char *names[4096];
    int n = 0, done = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 4096) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, sh_cmp);
    for (int i = 0; i < n; i++) {
        if (done < max && sh_run_sheet(dir, names[i], ocr, ex, forms, scores, nscores,
                                       verbose) == 0)
            done++;
        free(names[i]);
    }
    return done;
}

static inline void sh_print(const score *scores, int nscores)
{
    printf("%-22s %6s %8s %9s %10s %12s %9s %10s\n", "doc_type", "sheets", "doc ok", "right %",
           "unflag %", "unflag ok %", "extract %", "current %");
    for (int i = 0; i < nscores; i++) {
        const score *s = &scores[i];
        char cur[16] = "-";
        if (s->current)
            snprintf(cur, sizeof cur, "%.1f%%", 100.0 * s->current_right / s->current);
        printf("%-22s %6d %8d %8.1f%% %9.1f%% %11.1f%% %8.2f%% %10s\n", s->doc_type, s->sheets,
               s->doc_right, s->fields ? 100.0 * s->right / s->fields : 0.0,
               s->fields ? 100.0 * s->unflagged / s->fields : 0.0,
               s->unflagged ? 100.0 * s->unflagged_right / s->unflagged : 0.0,
               s->page_ms > 0 ? 100.0 * s->extract_ms / s->page_ms : 0.0, cur);
    }
}

#endif
