/* cmd_eval.c — "landrec eval": runs the pipeline's stages on the real test sets and on a
 * synthetic corpus, scores them with metrics.h against the targets of issue 3, prints a
 * markdown section, and can add it with SVG plots to docs/benchmarks.md. Calls the library
 * directly; no database. Protocols and definitions: docs/evaluation.md.
 *
 * Items (one page, or one image with its rotations) are handed to --jobs worker processes
 * through a shared counter; each worker writes its item's fixed-size result into shared
 * memory, so a worker that crashes costs one item and the parent still reports the rest.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "landrec/log.h"
#include "landrec/metrics.h"

static const char usage[] =
    "usage: landrec eval [OPTIONS]\n"
    "\n"
    "Runs orientation detection, skew measurement, binarization and OCR on the real test\n"
    "sets and on a synthetic corpus, scores them against their ground truth and prints a\n"
    "table of the measured values beside the targets (docs/evaluation.md).\n"
    "\n"
    "options:\n"
    "      --realdata DIR    the real test sets (default: $LR_REALDATA, else ../shared/realdata)\n"
    "      --corpus DIR      a landrec-synth output directory (sheet-NNNN.json + images)\n"
    "      --orientation-corpus DIR\n"
    "                        a landrec-synth --orient corpus, scored for orientation only\n"
    "      --stages LIST     comma-separated: orientation,skew,binarize,ocr,throughput\n"
    "                        (default: all)\n"
    "      --report FILE     add a dated section to FILE (docs/benchmarks.md), newest first\n"
    "      --svg-dir DIR     write SVG plots there (default with --report: img/ beside FILE)\n"
    "      --note TEXT       a line added to the section (e.g. how the corpus was made)\n"
    "  -j, --jobs N          worker processes (default: one per core)\n"
    "      --limit N         at most N items of each data set\n"
    "  -v, --verbose         one line per item (twice: debug log)\n"
    "  -q, --quiet           less log output\n"
    "  -h, --help            this help\n"
    "\n"
    "Exit status: 0 every target met, 1 a target missed or an item failed, 2 nothing could\n"
    "run (bad options, no data).\n";

/* ---- Stages, data sets, targets --------------------------------------------------------- */

enum {
    ST_ORIENT = 1 << 0,
    ST_SKEW = 1 << 1,
    ST_BIN = 1 << 2,
    ST_OCR = 1 << 3,
    ST_THRU = 1 << 4,
    ST_ALL = (1 << 5) - 1,
};

typedef enum dataset {
    DS_SYNTH = 0,
    DS_TURNED, /* --orientation-corpus: orientation only */
    DS_TT_ORIENT,
    DS_SBRUNNER,
    DS_LEPT,
    DS_DIBCO,
    DS_TT_OCR,
    DS_COUNT
} dataset;

static const char *const ds_name[DS_COUNT] = {"synthetic", "turned",   "orientation", "skew",
                                              "skew",      "binarize", "ocr"};

/* Targets of issue 3. */
#define TARGET_SKEW_MEAN 0.1
#define TARGET_SKEW_MAX 0.3
#define TARGET_DIBCO_F 88.0
/* angles.csv of sbrunner-deskew holds whole degrees (its library searches a Hough transform
 * at 1° steps; docs/enhance.md measured the pages): errors against it up to half a degree are
 * the truth's rounding, so the 0.1°/0.3° target cannot be judged on it. */
#define SBRUNNER_ROUNDING 0.5
#define TARGET_CER_HANGUL 0.02
#define TARGET_CER_HANJA 0.05
/* Published DIBCO 2009 mean F-measures quoted by issue 3 (drawn as reference lines). */
#define PUBLISHED_OTSU 79.0
#define PUBLISHED_SAUVOLA 85.0
#define PUBLISHED_WINNER 91.0

/* Known rotations applied to the leptonica images: within ±5°, away from round numbers so
 * they do not sit on the skew search's grid. */
#define NTHETA 8
static const double lept_theta[NTHETA] = {-4.7, -2.9, -1.3, -0.35, 0.35, 1.3, 2.9, 4.7};

#define EVAL_MARK_BEGIN "<!-- eval results: newest first -->"
#define EVAL_MARK_END "<!-- eval results end -->"

/* ---- Items and results ------------------------------------------------------------------- */

typedef struct item {
    dataset ds;
    char *path;      /* the image */
    char *name;      /* shown: relative to the data root */
    char *gt_path;   /* DIBCO ground truth */
    char *text;      /* OCR ground truth */
    int page;        /* 1-based */
    int orientation; /* truth: clockwise degrees to turn upright */
    double skew;     /* truth: degrees the content is rotated counter-clockwise */
    bool scored;     /* false: shown, but left out of the figures */
    bool clean;      /* synthetic: no degradation */
    bool printed;    /* synthetic: entries typed ("hand": "printed"), not handwriting-like */
} item;

/* The OCR figures of the synthetic corpus are kept apart by kind of sheet: the target of
 * issue 3 is for clean print, and the generator's default entries are handwriting-like. */
enum { G_PRINTED = 0, G_HAND = 1, G_DEGRADED = 2, G_COUNT = 3 };
static const char *const group_name[G_COUNT] = {"clean printed", "clean handwritten", "degraded"};

static int ocr_group(const item *it)
{
    return !it->clean ? G_DEGRADED : it->printed ? G_PRINTED : G_HAND;
}

typedef struct item_list {
    item *v;
    size_t n, cap;
} item_list;

typedef enum rstate { R_PENDING = 0, R_RUNNING, R_DONE, R_FAILED } rstate;

/* Written by a worker into shared memory: fixed size, no pointers. */
typedef struct result {
    int state;
    char error[240];
    bool has_orient;
    int orient;
    float orient_conf;
    bool has_skew;
    double skew;
    float skew_conf;
    double base_skew;         /* leptonica: the image's own measured skew */
    double theta_err[NTHETA]; /* leptonica: est(rotated) − est(original) − θ */
    int ntheta;
    bool has_bin;
    lr_binary_scores bin;      /* the default binarization */
    lr_binary_scores bin_otsu; /* --binarize otsu */
    bool has_cer;
    lr_cer cer;
    bool timed; /* went through the whole pipeline: the times below are a page's */
    double decode_ms, orient_ms, enhance_ms, ocr_ms;
} result;

typedef struct shared {
    atomic_int next; /* the next item to take */
    atomic_int done; /* items finished, for the progress line */
    result r[];
} shared;

typedef struct eval_opts {
    const char *realdata;
    const char *corpus;
    const char *turned_corpus;
    const char *report;
    const char *svg_dir;
    const char *note;
    unsigned stages;
    int jobs;
    int limit;
    int verbose;
    char *command; /* "landrec eval …" */
} eval_opts;

/* ---- Small helpers ----------------------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d) {
        fputs("landrec: eval: out of memory\n", stderr);
        exit(LR_EXIT_CANNOT_RUN);
    }
    return d;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fputs("landrec: eval: out of memory\n", stderr);
        exit(LR_EXIT_CANNOT_RUN);
    }
    return s;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The whole file as a NUL-terminated string; NULL when it cannot be read. Caller frees. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static void list_push(item_list *l, item it)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        item *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            fputs("landrec: eval: out of memory\n", stderr);
            exit(LR_EXIT_CANNOT_RUN);
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = it;
}

static void list_free(item_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].name);
        free(l->v[i].gt_path);
        free(l->v[i].text);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static size_t count_ds(const item_list *l, dataset ds)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].ds == ds;
    return n;
}

static bool limit_reached(const eval_opts *o, const item_list *l, dataset ds)
{
    return o->limit > 0 && count_ds(l, ds) >= (size_t)o->limit;
}

/* Splits a CSV line (no quoting: the manifests have none) in place. */
static int csv_fields(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    char *cr = strchr(f[n - 1], '\r');
    if (cr)
        *cr = '\0';
    return n;
}

/* ---- Loading the data sets --------------------------------------------------------------- */

/* tesseract-test/orientation.csv: the last field says how to turn the page upright ("0",
 * "90 clockwise", "90 counter-clockwise", "180"). */
static void load_tt_orientation(const eval_opts *o, item_list *l)
{
    char *csv_path = xprintf("%s/tesseract-test/orientation.csv", o->realdata);
    char *text = read_text(csv_path);
    free(csv_path);
    if (!text)
        return;
    char *save = NULL;
    bool header = true;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (header) {
            header = false;
            continue;
        }
        char *f[8];
        int nf = csv_fields(line, f, 8);
        if (nf < 2 || limit_reached(o, l, DS_TT_ORIENT))
            continue;
        int deg = atoi(f[nf - 1]);
        if (strstr(f[nf - 1], "counter"))
            deg = (360 - deg) % 360;
        item it = {.ds = DS_TT_ORIENT, .page = 1, .orientation = deg, .scored = true};
        it.path = xprintf("%s/tesseract-test/%s", o->realdata, f[0]);
        it.name = xprintf("tesseract-test/%s", f[0]);
        list_push(l, it);
    }
    free(text);
}

/* sbrunner-deskew/angles.csv gives the counter-clockwise rotation that straightens the page;
 * the page's own skew (our convention) is its negative. deskew-8 is shown but not scored:
 * SOURCES.md calls its value disputed, and 15° is beyond the ±7° search. */
static void load_sbrunner(const eval_opts *o, item_list *l)
{
    char *csv_path = xprintf("%s/sbrunner-deskew/angles.csv", o->realdata);
    char *text = read_text(csv_path);
    free(csv_path);
    if (!text)
        return;
    char *save = NULL;
    bool header = true;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (header) {
            header = false;
            continue;
        }
        char *f[4];
        if (csv_fields(line, f, 4) < 2 || limit_reached(o, l, DS_SBRUNNER))
            continue;
        item it = {.ds = DS_SBRUNNER, .page = 1, .skew = -atof(f[1])};
        it.scored = strcmp(f[0], "deskew-8.png") != 0;
        it.path = xprintf("%s/sbrunner-deskew/%s", o->realdata, f[0]);
        it.name = xprintf("sbrunner-deskew/%s", f[0]);
        list_push(l, it);
    }
    free(text);
}

static void load_leptonica(const eval_opts *o, item_list *l)
{
    static const char *const files[] = {"feyn.tif", "feyn-fract.tif", "scots-frag.tif",
                                        "table.15.tif", "dave-orig.png"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *path = xprintf("%s/leptonica/%s", o->realdata, files[i]);
        if (!is_file(path) || limit_reached(o, l, DS_LEPT)) {
            free(path);
            continue;
        }
        item it = {.ds = DS_LEPT, .page = 1, .scored = true, .path = path};
        it.name = xprintf("leptonica/%s", files[i]);
        list_push(l, it);
    }
}

static int png_filter(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 4 && !strcmp(d->d_name + n - 4, ".png");
}

static int json_filter(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

static void load_dibco(const eval_opts *o, item_list *l)
{
    char *dir = xprintf("%s/dibco/2009/original", o->realdata);
    struct dirent **names = NULL;
    int n = scandir(dir, &names, png_filter, alphasort);
    for (int i = 0; i < n; i++) {
        const char *f = names[i]->d_name;
        char *stem = xprintf("%.*s", (int)(strlen(f) - 4), f);
        char *gt = xprintf("%s/dibco/2009/gt/%s_gt.png", o->realdata, stem);
        if (is_file(gt) && !limit_reached(o, l, DS_DIBCO)) {
            item it = {.ds = DS_DIBCO, .page = 1, .scored = true, .gt_path = gt};
            it.path = xprintf("%s/%s", dir, f);
            it.name = xprintf("dibco/2009/%s", stem);
            list_push(l, it);
        } else {
            free(gt);
        }
        free(stem);
        free(names[i]);
    }
    free(names);
    free(dir);
}

static void load_tt_ocr(const eval_opts *o, item_list *l)
{
    static const char *const pages[] = {"eurotext", "phototest"};
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        char *img = xprintf("%s/tesseract-test/%s.tif", o->realdata, pages[i]);
        char *txt = xprintf("%s/tesseract-test/%s.txt", o->realdata, pages[i]);
        char *truth = read_text(txt);
        free(txt);
        if (!truth || !is_file(img) || limit_reached(o, l, DS_TT_OCR)) {
            free(truth);
            free(img);
            continue;
        }
        item it = {.ds = DS_TT_OCR, .page = 1, .scored = true, .path = img, .text = truth};
        it.name = xprintf("tesseract-test/%s.tif", pages[i]);
        list_push(l, it);
    }
}

/* "An empty object or all-zero means clean": zero numbers, false, null, "" and "none", and
 * containers of nothing else; "contrast", a factor, is neutral at 1 (landrec-synth writes
 * 1.0 on clean sheets). */
static bool json_all_zero(const char *key, json_t *j)
{
    if (!j || json_is_null(j) || json_is_false(j))
        return true;
    if (key && !strcmp(key, "contrast") && json_is_number(j))
        return json_number_value(j) == 1.0;
    if (json_is_number(j))
        return json_number_value(j) == 0.0;
    if (json_is_string(j))
        return json_string_length(j) == 0 || !strcmp(json_string_value(j), "none");
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v)
        {
            if (!json_all_zero(k, v))
                return false;
        }
        return true;
    }
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v)
        {
            if (!json_all_zero(NULL, v))
                return false;
        }
        return true;
    }
    return false;
}

/* A synthetic corpus: every *.json in dir (sorted) in the landrec-synth/1 format, as items
 * of data set ds. Returns LR_ERR_IO when the directory cannot be read; bad files are warned
 * about and added to *bad. */
static int load_corpus(const eval_opts *o, const char *dir, dataset ds, item_list *l, int *bad,
                       lr_error *err)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, json_filter, alphasort);
    if (n < 0) {
        lr_error_set(err, LR_ERR_IO, "cannot read the corpus directory \"%s\"", dir);
        lr_error_detail(err, "%s", strerror(errno));
        return LR_ERR_IO;
    }
    for (int i = 0; i < n; i++) {
        char *path = xprintf("%s/%s", dir, names[i]->d_name);
        json_error_t je;
        json_t *root = limit_reached(o, l, ds) ? NULL : json_load_file(path, 0, &je);
        if (root) {
            const char *format = json_string_value(json_object_get(root, "format"));
            const char *image = json_string_value(json_object_get(root, "image"));
            const char *text = json_string_value(json_object_get(root, "text"));
            json_t *page = json_object_get(root, "page");
            int orientation = (int)json_number_value(json_object_get(root, "orientation"));
            if (!format || strncmp(format, "landrec-synth/", 14) || !image || !text ||
                (orientation != 0 && orientation != 90 && orientation != 180 &&
                 orientation != 270)) {
                lr_log_warning("%s: not a landrec-synth truth file (format, image, text or "
                               "orientation missing or wrong); skipped",
                               path);
                (*bad)++;
            } else {
                item it = {.ds = ds, .scored = true, .orientation = orientation};
                it.page = page ? (int)json_integer_value(page) : 1;
                if (it.page < 1)
                    it.page = 1;
                it.skew = json_number_value(json_object_get(root, "skew"));
                it.clean = json_all_zero(NULL, json_object_get(root, "degradations"));
                /* Without "hand" the generator wrote handwriting-like entries. */
                const char *hand = json_string_value(json_object_get(root, "hand"));
                it.printed = hand && strcmp(hand, "printed") == 0;
                it.path = xprintf("%s/%s", dir, image);
                it.name = xstrdup(image);
                it.text = xstrdup(text);
                list_push(l, it);
            }
            json_decref(root);
        } else if (!limit_reached(o, l, ds)) {
            lr_log_warning("%s: %s (line %d); skipped", path, je.text, je.line);
            (*bad)++;
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return LR_OK;
}

/* ---- The worker -------------------------------------------------------------------------- */

typedef struct worker {
    unsigned stages;
    lr_pipeline_options po;
    lr_ocr *ocr_default; /* kor+chi_tra with OSD, as "landrec run" */
    lr_ocr *ocr_eng;     /* eng with OSD, for the English test pages */
} worker;

static int get_ocr(worker *w, bool eng, lr_ocr **out, lr_error *err)
{
    *out = NULL;
    lr_ocr **slot = eng ? &w->ocr_eng : &w->ocr_default;
    if (!*slot) {
        lr_ocr_options oo = w->po.ocr;
        oo.orientation = true;
        if (eng)
            oo.lang = "eng";
        int rc = lr_ocr_new(&oo, slot, err);
        if (rc < 0)
            return rc;
    }
    *out = *slot;
    return LR_OK;
}

/* Decodes the item's page as the pipeline does. *out_pix: caller frees. */
static int decode(const item *it, PIX **out_pix, int *out_dpi, lr_error *err)
{
    *out_pix = NULL;
    *out_dpi = LR_IMAGE_FALLBACK_DPI;
    lr_source *src = NULL;
    lr_page_info info;
    int rc = lr_image_open(it->path, NULL, &src, NULL, err);
    if (rc == LR_OK)
        rc = lr_image_read_page(src, it->page, out_pix, &info, err);
    if (rc == LR_OK && info.dpi_x > 0)
        *out_dpi = info.dpi_x;
    lr_image_close(&src);
    return rc;
}

/* Orientation as the pipeline finds it: OSD on a copy reduced to LR_OCR_OSD_DPI. */
static int find_orientation(lr_ocr *ocr, PIX *pix, int dpi, int *out_deg, float *out_conf,
                            lr_error *err)
{
    *out_deg = 0;
    *out_conf = 0;
    PIX *det = lr_enhance_for_detection(pix, dpi, LR_OCR_OSD_DPI);
    if (!det)
        return lr_error_set(err, LR_ERR_NOMEM, "could not reduce the page for orientation");
    int rc = lr_ocr_detect_orientation(ocr, det, dpi < LR_OCR_OSD_DPI ? dpi : LR_OCR_OSD_DPI,
                                       out_deg, out_conf, err);
    pixDestroy(&det);
    return rc;
}

/* Skew of pix turned upright by orientation. */
static int upright_skew(const worker *w, PIX *pix, int orientation, double *out_deg,
                        float *out_conf, lr_error *err)
{
    *out_deg = 0;
    *out_conf = 0;
    PIX *up = lr_enhance_rotate_orth(pix, orientation);
    if (!up)
        return lr_error_set(err, LR_ERR_NOMEM, "could not turn the page upright");
    pixCopyResolution(up, pix);
    float deg = 0;
    int rc = lr_enhance_find_skew(up, &w->po.enhance, &deg, out_conf, NULL, err);
    *out_deg = deg;
    pixDestroy(&up);
    return rc;
}

/* pix with its content turned counter-clockwise by deg (Leptonica turns clockwise for a
 * positive angle), on a canvas large enough to keep all of it, white brought in. */
static PIX *rotate_ccw(PIX *pix, double deg)
{
    int type = pixGetDepth(pix) == 1 ? L_ROTATE_SAMPLING : L_ROTATE_AREA_MAP;
    PIX *r = pixRotate(pix, (float)(-deg * M_PI / 180.0), type, L_BRING_IN_WHITE, pixGetWidth(pix),
                       pixGetHeight(pix));
    if (r)
        pixCopyResolution(r, pix);
    return r;
}

/* Orientation → enhance → OCR on a decoded page, timed, as lr_pipeline_process_file does it.
 * Fills the result's orientation (the one the page was turned by), times and CER; *enh keeps
 * the enhanced page (caller clears). */
static int run_pipeline(worker *w, const item *it, bool eng, PIX *pix, int dpi, result *r,
                        lr_enhanced *enh, lr_error *err)
{
    lr_ocr *ocr = NULL;
    lr_ocr_result res = {0};
    int rc = get_ocr(w, eng, &ocr, err);
    if (rc < 0)
        goto done;
    double t = now_ms();
    if ((rc = find_orientation(ocr, pix, dpi, &r->orient, &r->orient_conf, err)) < 0)
        goto done;
    r->has_orient = true;
    r->orient_ms = now_ms() - t;
    t = now_ms();
    if ((rc = lr_enhance_page(pix, r->orient, dpi, &w->po.enhance, enh, err)) < 0)
        goto done;
    r->enhance_ms = now_ms() - t;
    t = now_ms();
    if ((rc = lr_ocr_recognize(ocr, enh->binary, dpi, &res, err)) < 0)
        goto done;
    r->ocr_ms = now_ms() - t;
    r->timed = true;
    if ((rc = lr_metrics_cer(it->text, res.text, &r->cer, err)) < 0)
        goto done;
    r->has_cer = true;
done:
    lr_ocr_result_clear(&res);
    return rc;
}

static int run_item(worker *w, const item *it, result *r, lr_error *err)
{
    PIX *pix = NULL, *gt = NULL, *rot = NULL;
    lr_enhanced enh = {0};
    int dpi = 0, rc;
    double t = now_ms();
    if ((rc = decode(it, &pix, &dpi, err)) < 0)
        goto done;
    r->decode_ms = now_ms() - t;

    switch (it->ds) {
    case DS_TT_ORIENT:
    case DS_TURNED: {
        lr_ocr *ocr = NULL;
        if ((rc = get_ocr(w, it->ds == DS_TT_ORIENT, &ocr, err)) < 0 ||
            (rc = find_orientation(ocr, pix, dpi, &r->orient, &r->orient_conf, err)) < 0)
            goto done;
        r->has_orient = true;
        break;
    }
    case DS_SBRUNNER:
        if ((rc = upright_skew(w, pix, 0, &r->skew, &r->skew_conf, err)) < 0)
            goto done;
        r->has_skew = true;
        break;
    case DS_LEPT: {
        float conf;
        if ((rc = upright_skew(w, pix, 0, &r->base_skew, &conf, err)) < 0)
            goto done;
        for (int k = 0; k < NTHETA; k++) {
            double est;
            if (!(rot = rotate_ccw(pix, lept_theta[k]))) {
                rc = lr_error_set(err, LR_ERR_NOMEM, "could not rotate the image");
                goto done;
            }
            if ((rc = upright_skew(w, rot, 0, &est, &conf, err)) < 0)
                goto done;
            pixDestroy(&rot);
            r->theta_err[k] = est - r->base_skew - lept_theta[k];
        }
        r->ntheta = NTHETA;
        r->has_skew = true;
        break;
    }
    case DS_DIBCO: {
        /* No deskew: the ground truth is pixel-aligned with the original. */
        lr_enhance_options eo = w->po.enhance;
        eo.deskew = false;
        if (!(gt = pixRead(it->gt_path))) {
            rc = lr_error_set(err, LR_ERR_IO, "cannot read the ground truth \"%s\"", it->gt_path);
            goto done;
        }
        if ((rc = lr_enhance_page(pix, 0, dpi, &eo, &enh, err)) < 0 ||
            (rc = lr_metrics_binarization(enh.binary, gt, &r->bin, err)) < 0)
            goto done;
        lr_enhanced_clear(&enh);
        eo.binarize = LR_BINARIZE_OTSU;
        if ((rc = lr_enhance_page(pix, 0, dpi, &eo, &enh, err)) < 0 ||
            (rc = lr_metrics_binarization(enh.binary, gt, &r->bin_otsu, err)) < 0)
            goto done;
        r->has_bin = true;
        break;
    }
    case DS_TT_OCR:
        if ((rc = run_pipeline(w, it, true, pix, dpi, r, &enh, err)) < 0)
            goto done;
        break;
    case DS_SYNTH: {
        bool pipeline = w->stages & (ST_OCR | ST_THRU);
        int orientation = it->orientation;
        if (pipeline) {
            if ((rc = run_pipeline(w, it, false, pix, dpi, r, &enh, err)) < 0)
                goto done;
            orientation = r->orient;
        } else if (w->stages & ST_ORIENT) {
            lr_ocr *ocr = NULL;
            if ((rc = get_ocr(w, false, &ocr, err)) < 0 ||
                (rc = find_orientation(ocr, pix, dpi, &r->orient, &r->orient_conf, err)) < 0)
                goto done;
            r->has_orient = true;
        }
        if (w->stages & ST_SKEW) {
            /* Skew given the right orientation: the pipeline's own measure when it turned the
             * page the right way, else measured again on the page turned by the truth. */
            if (pipeline && orientation == it->orientation) {
                r->skew = enh.skew_deg;
                r->skew_conf = enh.skew_conf;
            } else {
                if ((rc = upright_skew(w, pix, it->orientation, &r->skew, &r->skew_conf, err)) < 0)
                    goto done;
            }
            r->has_skew = true;
        }
        break;
    }
    case DS_COUNT:
        break;
    }
done:
    lr_enhanced_clear(&enh);
    pixDestroy(&rot);
    pixDestroy(&gt);
    pixDestroy(&pix);
    return rc;
}

static void worker_main(int k, unsigned stages, const item_list *items, shared *sh)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "eval worker %d", k + 1);
    lr_log_set_prefix(prefix);
    worker w = {.stages = stages};
    lr_pipeline_options_default(&w.po);
    for (;;) {
        int i = atomic_fetch_add(&sh->next, 1);
        if (i < 0 || (size_t)i >= items->n)
            break;
        result *r = &sh->r[i];
        r->state = R_RUNNING;
        lr_error err;
        lr_error_clear(&err);
        double t = now_ms();
        if (run_item(&w, &items->v[i], r, &err) < 0) {
            lr_error_format(&err, r->error, sizeof r->error);
            r->state = R_FAILED;
            lr_log_warning("%s: %s", items->v[i].name, r->error);
        } else {
            r->state = R_DONE;
            lr_log_info("%s: %.0f ms", items->v[i].name, now_ms() - t);
        }
        atomic_fetch_add(&sh->done, 1);
    }
    lr_ocr_destroy(&w.ocr_default);
    lr_ocr_destroy(&w.ocr_eng);
}

/* Runs every item on jobs worker processes. *out_rss_kb: peak resident size of the largest
 * worker. Returns the shared results (unmap with munmap(…, *out_size)) or NULL. */
static shared *run_all(const item_list *items, unsigned stages, int jobs, long *out_rss_kb,
                       double *out_wall_ms, size_t *out_size)
{
    *out_rss_kb = 0;
    *out_wall_ms = 0;
    size_t size = sizeof(shared) + items->n * sizeof(result);
    *out_size = size;
    shared *sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED)
        return NULL;
    memset(sh, 0, size);
    atomic_init(&sh->next, 0);
    atomic_init(&sh->done, 0);
    if ((size_t)jobs > items->n)
        jobs = (int)items->n;
    fflush(stdout);
    fflush(stderr);
    double t = now_ms();
    int started = 0;
    for (int k = 0; k < jobs; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            worker_main(k, stages, items, sh);
            _exit(0);
        }
        if (pid < 0) {
            lr_log_warning("could not start worker %d: %s", k + 1, strerror(errno));
            break;
        }
        started++;
    }
    if (!started) /* do the work here rather than not at all */
        worker_main(0, stages, items, sh);
    /* Wait for the workers; on a terminal, show how far they are. */
    bool tty = isatty(STDERR_FILENO);
    int status, alive = started;
    while (alive > 0) {
        pid_t pid = waitpid(-1, &status, tty ? WNOHANG : 0);
        if (pid < 0 && errno != EINTR)
            break;
        if (pid > 0) {
            alive--;
            if (WIFSIGNALED(status))
                lr_log_warning("a worker died of signal %d", WTERMSIG(status));
            continue;
        }
        if (pid == 0) {
            fprintf(stderr, "\reval: %d/%zu items", atomic_load(&sh->done), items->n);
            nanosleep(&(struct timespec){.tv_nsec = 250000000}, NULL);
        }
    }
    if (tty)
        fputs("\r\033[K", stderr);
    *out_wall_ms = now_ms() - t;
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        *out_rss_kb = ru.ru_maxrss;
    for (size_t i = 0; i < items->n; i++) {
        result *r = &sh->r[i];
        if (r->state == R_RUNNING || r->state == R_PENDING) {
            snprintf(r->error, sizeof r->error, "%s",
                     r->state == R_RUNNING ? "the worker died while processing it"
                                           : "not processed: every worker died");
            r->state = R_FAILED;
        }
    }
    return sh;
}

/* ---- Figures ----------------------------------------------------------------------------- */

typedef struct summary {
    size_t n[DS_COUNT];      /* items */
    size_t failed[DS_COUNT]; /* of which failed */
    /* orientation */
    size_t orient_ok[DS_COUNT], orient_n[DS_COUNT];
    /* skew errors per data set (synthetic, sbrunner, leptonica) */
    double *skew_err[DS_COUNT];
    size_t skew_n[DS_COUNT];
    lr_error_stats skew[DS_COUNT];
    double synth_skew_min, synth_skew_max;
    size_t sb_within; /* sbrunner: errors within the ±0.5° rounding of angles.csv */
    /* binarization: means over images */
    size_t bin_n;
    lr_binary_scores bin_mean, otsu_mean;
    /* OCR */
    lr_cer cer_synth[G_COUNT], cer_tt;
    size_t n_synth[G_COUNT], n_tt; /* pages scored */
    size_t synth_clean;            /* clean sheets in the corpus */
    size_t synth_printed;          /* sheets with printed entries */
    size_t synth_turned;              /* sheets of the corpus not upright */
    /* throughput */
    dataset thru_ds;
    size_t thru_n;
    double decode_ms, orient_ms, enhance_ms, ocr_ms; /* means */
} summary;

static void add_scores(lr_binary_scores *acc, const lr_binary_scores *s)
{
    acc->fmeasure += s->fmeasure;
    acc->pseudo_fmeasure += s->pseudo_fmeasure;
    acc->psnr += s->psnr;
    acc->drd += s->drd;
    acc->recall += s->recall;
    acc->precision += s->precision;
}

static void div_scores(lr_binary_scores *acc, size_t n)
{
    if (!n)
        return;
    acc->fmeasure /= (double)n;
    acc->pseudo_fmeasure /= (double)n;
    acc->psnr /= (double)n;
    acc->drd /= (double)n;
    acc->recall /= (double)n;
    acc->precision /= (double)n;
}

static void summarise(const item_list *items, const shared *sh, unsigned stages, summary *s)
{
    memset(s, 0, sizeof *s);
    s->synth_skew_min = INFINITY;
    s->synth_skew_max = -INFINITY;
    for (int d = 0; d < DS_COUNT; d++) {
        s->skew_err[d] = calloc(items->n * NTHETA + 1, sizeof(double));
        if (!s->skew_err[d]) {
            fputs("landrec: eval: out of memory\n", stderr);
            exit(LR_EXIT_CANNOT_RUN);
        }
    }
    /* Throughput from the synthetic corpus when it went through the pipeline, else from the
     * English test pages. */
    s->thru_ds = DS_TT_OCR;
    for (size_t i = 0; i < items->n; i++)
        if (items->v[i].ds == DS_SYNTH && sh->r[i].timed)
            s->thru_ds = DS_SYNTH;
    for (size_t i = 0; i < items->n; i++) {
        const item *it = &items->v[i];
        const result *r = &sh->r[i];
        dataset d = it->ds;
        s->n[d]++;
        s->synth_clean += d == DS_SYNTH && it->clean;
        s->synth_printed += d == DS_SYNTH && it->printed;
        s->synth_turned += d == DS_SYNTH && it->orientation != 0;
        if (r->state != R_DONE) {
            s->failed[d]++;
            continue;
        }
        if (!it->scored)
            continue;
        if (r->has_orient && (stages & ST_ORIENT) &&
            (d == DS_SYNTH || d == DS_TURNED || d == DS_TT_ORIENT)) {
            s->orient_n[d]++;
            s->orient_ok[d] += r->orient == it->orientation;
        }
        if (r->has_skew && d == DS_LEPT) {
            for (int k = 0; k < r->ntheta; k++)
                s->skew_err[d][s->skew_n[d]++] = r->theta_err[k];
        } else if (r->has_skew) {
            s->skew_err[d][s->skew_n[d]++] = r->skew - it->skew;
            s->sb_within += d == DS_SBRUNNER && fabs(r->skew - it->skew) <= SBRUNNER_ROUNDING;
            if (d == DS_SYNTH) {
                s->synth_skew_min = fmin(s->synth_skew_min, it->skew);
                s->synth_skew_max = fmax(s->synth_skew_max, it->skew);
            }
        }
        if (r->has_bin) {
            s->bin_n++;
            add_scores(&s->bin_mean, &r->bin);
            add_scores(&s->otsu_mean, &r->bin_otsu);
        }
        if (r->has_cer && d == DS_SYNTH) {
            lr_metrics_cer_add(&s->cer_synth[ocr_group(it)], &r->cer);
            s->n_synth[ocr_group(it)]++;
        } else if (r->has_cer && d == DS_TT_OCR) {
            lr_metrics_cer_add(&s->cer_tt, &r->cer);
            s->n_tt++;
        }
        if (r->timed && d == s->thru_ds) {
            s->thru_n++;
            s->decode_ms += r->decode_ms;
            s->orient_ms += r->orient_ms;
            s->enhance_ms += r->enhance_ms;
            s->ocr_ms += r->ocr_ms;
        }
    }
    for (int d = 0; d < DS_COUNT; d++)
        lr_metrics_error_stats(s->skew_err[d], s->skew_n[d], &s->skew[d]);
    div_scores(&s->bin_mean, s->bin_n);
    div_scores(&s->otsu_mean, s->bin_n);
    if (s->thru_n) {
        s->decode_ms /= (double)s->thru_n;
        s->orient_ms /= (double)s->thru_n;
        s->enhance_ms /= (double)s->thru_n;
        s->ocr_ms /= (double)s->thru_n;
    }
}

static void summary_clear(summary *s)
{
    for (int d = 0; d < DS_COUNT; d++)
        free(s->skew_err[d]);
}

/* "1.23 %" or "n/a" (no reference character of the class). */
static const char *pct(double frac, char *buf, size_t size)
{
    if (isnan(frac))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.2f %%", 100.0 * frac);
    return buf;
}

/* Verdicts: -1 no target, 0 missed, 1 met. */
static const char *verdict_text(int v)
{
    return v < 0 ? "" : v ? "pass" : "**miss**";
}

static void row(FILE *f, const char *stage, const char *measure, const char *data,
                const char *measured, const char *target, int verdict, int *missed)
{
    fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", stage, measure, data, measured, target,
            verdict_text(verdict));
    if (verdict == 0)
        (*missed)++;
}

/* The newest bench.sh figures in the report file: OCRmyPDF's pages per minute per core,
 * with the date and what was run. Returns false when there are none. */
static bool bench_reference(const char *report, char *out, size_t size)
{
    char *text = report ? read_text(report) : NULL;
    if (!text)
        return false;
    bool ok = false;
    const char *p = strstr(text, "<!-- bench.sh results: newest first -->");
    const char *h = p ? strstr(p, "\n### ") : NULL;
    const char *ppm = h ? strstr(h, "| pages per minute |") : NULL;
    char date[16] = "";
    int pages = 0, cores = 0;
    double lr = 0, om = 0;
    if (ppm && sscanf(h, "\n### %15s — %d pages, %d cores", date, &pages, &cores) == 3 &&
        sscanf(ppm, "| pages per minute | %lf | %lf |", &lr, &om) == 2 && cores > 0) {
        snprintf(out, size,
                 "OCRmyPDF %.1f, landrec %.1f pages/min per core (scripts/bench.sh, %s: %d "
                 "testdata pages)",
                 om / cores, lr / cores, date, pages);
        ok = true;
    }
    free(text);
    return ok;
}

/* ---- SVG plots --------------------------------------------------------------------------- */

static void xml_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static void svg_text(FILE *f, double x, double y, const char *attrs, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void svg_text(FILE *f, double x, double y, const char *attrs, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s%s>", x, y, attrs ? " " : "", attrs ? attrs : "");
    xml_escaped(f, buf);
    fputs("</text>\n", f);
}

static void svg_begin(FILE *f, int w, int h, const char *title)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
            w, h, w, h);
    fputs("<title>", f);
    xml_escaped(f, title);
    fputs("</title>\n", f);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", w, h);
    svg_text(f, 10, 16, "font-size=\"13\" font-weight=\"bold\"", "%s", title);
}

static void svg_hline(FILE *f, double x0, double x1, double y, const char *colour, bool dashed)
{
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>\n", x0, y,
            x1, y, colour, dashed ? " stroke-dasharray=\"4 3\"" : "");
}

/* About what fits across a plot at 11 px. */
#define FOOTER_CHARS 120

/* Writes text in lines of at most FOOTER_CHARS characters, broken at spaces, from baseline y
 * 14 px apart (f NULL: only counts). Returns the number of lines. */
static int svg_wrapped(FILE *f, double y, const char *text)
{
    int lines = 0;
    const char *p = text;
    while (*p) {
        const char *cut = NULL, *q = p;
        int chars = 0;
        while (*q && chars < FOOTER_CHARS) {
            if (*q == ' ')
                cut = q;
            q++;
            while ((*q & 0xc0) == 0x80) /* a code point is one character */
                q++;
            chars++;
        }
        if (!*q || !cut)
            cut = q;
        if (f)
            svg_text(f, 10, y + 14 * lines, "fill=\"#444\"", "%.*s", (int)(cut - p), p);
        lines++;
        p = *cut == ' ' ? cut + 1 : cut;
    }
    return lines;
}

/* Extra height the footer needs beyond the two lines every plot leaves for it. */
static int footer_extra(const char *data, const char *command)
{
    char *d = xprintf("data: %s", data), *c = xprintf("command: %s", command);
    int n = svg_wrapped(NULL, 0, d) + svg_wrapped(NULL, 0, c);
    free(d);
    free(c);
    return 14 * (n > 2 ? n - 2 : 0);
}

/* The data and the command under a plot whose drawing ends at ph, then the end. */
static void svg_footer(FILE *f, int ph, const char *data, const char *command)
{
    char *d = xprintf("data: %s", data), *c = xprintf("command: %s", command);
    int n = svg_wrapped(f, ph - 22, d);
    svg_wrapped(f, ph - 22 + 14 * n, c);
    free(d);
    free(c);
    fputs("</svg>\n", f);
}

/* Signed skew error of every scored item, grouped by data set, against the targets. */
static void svg_skew(FILE *f, const summary *s, const char *data, const char *command)
{
    static const dataset groups[] = {DS_SYNTH, DS_SBRUNNER, DS_LEPT};
    static const char *const names[] = {"synthetic", "sbrunner-deskew 1–7",
                                        "leptonica, rotated by θ"};
    const int W = 760, PH = 330, H = PH + footer_extra(data, command), x0 = 56, x1 = W - 16,
              y0 = 34, y1 = PH - 88;
    const double range = 1.0; /* ± degrees shown; beyond: drawn on the edge, hollow */
    size_t total = 0;
    int ngroups = 0;
    for (int g = 0; g < 3; g++)
        if (s->skew_n[groups[g]]) {
            total += s->skew_n[groups[g]];
            ngroups++;
        }
    svg_begin(f, W, H, "Skew error per measurement (estimate − truth, degrees)");
    double slots = (double)total + 2.0 * (ngroups > 1 ? ngroups - 1 : 0);
    double dx = slots > 0 ? (x1 - x0) / slots : 0;
#define YS(v) (y0 + (y1 - y0) * (range - (v)) / (2 * range))
    for (double v = -1.0; v <= 1.0001; v += 0.5)
        svg_text(f, x0 - 6, YS(v) + 4, "text-anchor=\"end\"", "%+.1f°", v);
    svg_hline(f, x0, x1, YS(0), "#999", false);
    svg_hline(f, x0, x1, YS(TARGET_SKEW_MEAN), "#2a2", true);
    svg_hline(f, x0, x1, YS(-TARGET_SKEW_MEAN), "#2a2", true);
    svg_hline(f, x0, x1, YS(TARGET_SKEW_MAX), "#d62", true);
    svg_hline(f, x0, x1, YS(-TARGET_SKEW_MAX), "#d62", true);
    svg_text(f, x1, YS(TARGET_SKEW_MAX) - 3, "text-anchor=\"end\" fill=\"#d62\"",
             "max target ±%.1f°", TARGET_SKEW_MAX);
    svg_text(f, x1, YS(TARGET_SKEW_MEAN) - 3, "text-anchor=\"end\" fill=\"#2a2\"",
             "mean target ±%.1f°", TARGET_SKEW_MEAN);
    fprintf(f,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            x0, y0, x1 - x0, y1 - y0);
    double slot = 0;
    for (int g = 0; g < 3; g++) {
        dataset d = groups[g];
        if (!s->skew_n[d])
            continue;
        double gx0 = x0 + slot * dx;
        for (size_t i = 0; i < s->skew_n[d]; i++) {
            double e = s->skew_err[d][i];
            bool out = fabs(e) > range;
            double v = out ? copysign(range, e) : e;
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" stroke=\"#157\"/>\n",
                    x0 + (slot + 0.5) * dx, YS(v), out ? "white" : "#157");
            slot++;
        }
        double gx1 = x0 + slot * dx;
        svg_text(f, (gx0 + gx1) / 2, y1 + 16, "text-anchor=\"middle\"", "%s (%zu)", names[g],
                 s->skew_n[d]);
        svg_text(f, (gx0 + gx1) / 2, y1 + 30, "text-anchor=\"middle\" fill=\"#444\"",
                 "mean %.2f°, max %.2f°", s->skew[d].mean_abs, s->skew[d].max_abs);
        slot += 2;
    }
#undef YS
    svg_text(f, x0, y1 + 46, "fill=\"#444\"", "hollow: beyond ±%.0f°, drawn on the edge", range);
    svg_footer(f, PH, data, command);
}

/* F-measure per DIBCO image, ours (default and Otsu) against published means. */
static void svg_dibco(FILE *f, const item_list *items, const shared *sh, const char *data,
                      const char *command)
{
    const int W = 760, PH = 330, H = PH + footer_extra(data, command), x0 = 44, x1 = W - 150,
              y0 = 34, y1 = PH - 70;
    const double lo = 40, hi = 100;
    size_t n = 0;
    for (size_t i = 0; i < items->n; i++)
        n += items->v[i].ds == DS_DIBCO && sh->r[i].has_bin;
    svg_begin(f, W, H, "Binarization: F-measure per DIBCO 2009 image (%)");
#define YF(v) (y1 - (y1 - y0) * ((fmax(fmin(v, hi), lo) - lo) / (hi - lo)))
    for (double v = lo; v <= hi; v += 10)
        svg_text(f, x0 - 6, YF(v) + 4, "text-anchor=\"end\"", "%.0f", v);
    fprintf(f,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            x0, y0, x1 - x0, y1 - y0);
    double dx = n ? (double)(x1 - x0) / (double)n : 0;
    size_t k = 0;
    for (size_t i = 0; i < items->n; i++) {
        const result *r = &sh->r[i];
        if (items->v[i].ds != DS_DIBCO || !r->has_bin)
            continue;
        double bx = x0 + (double)k * dx;
        double bw = dx * 0.34;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#157\"/>\n",
                bx + dx * 0.14, YF(r->bin.fmeasure), bw, y1 - YF(r->bin.fmeasure));
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#bbb\"/>\n",
                bx + dx * 0.52, YF(r->bin_otsu.fmeasure), bw, y1 - YF(r->bin_otsu.fmeasure));
        const char *nm = strrchr(items->v[i].name, '/');
        svg_text(f, bx + dx / 2, y1 + 14, "text-anchor=\"middle\"", "%s",
                 nm ? nm + 1 + (strncmp(nm + 1, "2009-", 5) ? 0 : 5) : items->v[i].name);
        k++;
    }
    struct {
        double v;
        const char *label, *colour;
    } lines[] = {
        {PUBLISHED_WINNER, "2009 winner ≈ 91", "#2a2"},
        {TARGET_DIBCO_F, "target 88", "#d22"},
        {PUBLISHED_SAUVOLA, "Sauvola ≈ 85", "#157"},
        {PUBLISHED_OTSU, "Otsu ≈ 79", "#888"},
    };
    for (size_t j = 0; j < sizeof lines / sizeof *lines; j++) {
        svg_hline(f, x0, x1, YF(lines[j].v), lines[j].colour, true);
        char attrs[64];
        snprintf(attrs, sizeof attrs, "fill=\"%s\"", lines[j].colour);
        svg_text(f, x1 + 6, YF(lines[j].v) + 4, attrs, "%s", lines[j].label);
    }
#undef YF
    svg_text(f, x1 + 6, y0 + 10, "fill=\"#157\"", "■ ours (default)");
    svg_text(f, x1 + 6, y0 + 24, "fill=\"#888\"", "■ ours, --binarize otsu");
    svg_text(f, x1 + 6, y1 + 14, "fill=\"#444\"", "dashed: published");
    svg_text(f, x1 + 6, y1 + 28, "fill=\"#444\"", "means (DIBCO 2009)");
    svg_footer(f, PH, data, command);
}

/* OCR character error rate per class, clean against degraded sheets. */
static void svg_cer(FILE *f, const summary *s, const char *data, const char *command)
{
    static const char *const names[] = {"all", "Hangul", "Hanja", "digits"};
    const int W = 760, PH = 300, H = PH + footer_extra(data, command), x0 = 56, x1 = W - 150,
              y0 = 34, y1 = PH - 70;
    double v[G_COUNT][4];
    const lr_cer *c[G_COUNT] = {&s->cer_synth[G_PRINTED], &s->cer_synth[G_HAND],
                                &s->cer_synth[G_DEGRADED]};
    double top = 0.05;
    for (int g = 0; g < G_COUNT; g++) {
        v[g][0] = lr_metrics_rate(c[g]->edits, c[g]->ref_len);
        v[g][1] =
            lr_metrics_rate(c[g]->class_edits[LR_CHAR_HANGUL], c[g]->class_ref_len[LR_CHAR_HANGUL]);
        v[g][2] =
            lr_metrics_rate(c[g]->class_edits[LR_CHAR_HANJA], c[g]->class_ref_len[LR_CHAR_HANJA]);
        v[g][3] =
            lr_metrics_rate(c[g]->class_edits[LR_CHAR_DIGIT], c[g]->class_ref_len[LR_CHAR_DIGIT]);
        if (!s->n_synth[g]) /* no sheets of the kind: no bars */
            v[g][0] = v[g][1] = v[g][2] = v[g][3] = NAN;
        for (int k = 0; k < 4; k++)
            if (!isnan(v[g][k]) && v[g][k] * 1.15 > top)
                top = fmin(1.0, v[g][k] * 1.15);
    }
    /* A round top, four ticks. */
    static const double tops[] = {0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 1.0};
    for (size_t t = 0; t < sizeof tops / sizeof *tops; t++)
        if (tops[t] >= top - 1e-9 || t + 1 == sizeof tops / sizeof *tops) {
            top = tops[t];
            break;
        }
    svg_begin(f, W, H, "OCR character error rate by script, synthetic sheets (%)");
#define YC(x) (y1 - (y1 - y0) * fmin((x), top) / top)
    for (int t = 0; t <= 4; t++)
        svg_text(f, x0 - 6, YC(top * t / 4) + 4, "text-anchor=\"end\"", "%g", 100 * top * t / 4);
    fprintf(f,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            x0, y0, x1 - x0, y1 - y0);
    double dx = (x1 - x0) / 4.0;
    for (int k = 0; k < 4; k++) {
        double bx = x0 + k * dx;
        static const char *const fill[G_COUNT] = {"#157", "#6ab", "#c84"};
        for (int g = 0; g < G_COUNT; g++) {
            if (isnan(v[g][k]))
                continue;
            double x = bx + dx * (0.08 + 0.28 * g);
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                    x, YC(v[g][k]), dx * 0.26, y1 - YC(v[g][k]), fill[g]);
            svg_text(f, x + dx * 0.13, YC(v[g][k]) - 3, "text-anchor=\"middle\" font-size=\"10\"",
                     "%.1f", 100 * v[g][k]);
        }
        svg_text(f, bx + dx / 2, y1 + 14, "text-anchor=\"middle\"", "%s", names[k]);
    }
    /* The targets for clean print, over the clean printed bars. */
    double tx[2] = {x0 + 1 * dx + dx * 0.04, x0 + 2 * dx + dx * 0.04};
    double tv[2] = {TARGET_CER_HANGUL, TARGET_CER_HANJA};
    for (int j = 0; j < 2; j++)
        if (tv[j] <= top)
            fprintf(f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d22\" "
                    "stroke-width=\"2\"/>\n",
                    tx[j], YC(tv[j]), tx[j] + dx * 0.34, YC(tv[j]));
#undef YC
    svg_text(f, x1 + 6, y0 + 10, "fill=\"#157\"", "■ clean printed (%zu)", s->n_synth[G_PRINTED]);
    svg_text(f, x1 + 6, y0 + 24, "fill=\"#6ab\"", "■ clean handwritten (%zu)",
             s->n_synth[G_HAND]);
    svg_text(f, x1 + 6, y0 + 38, "fill=\"#c84\"", "■ degraded (%zu)", s->n_synth[G_DEGRADED]);
    svg_text(f, x1 + 6, y0 + 52, "fill=\"#d22\"", "— target, clean print");
    svg_footer(f, PH, data, command);
}

/* Writes one plot to dir/name; returns whether it was written. */
static bool write_svg(const char *dir, const char *name, void (*draw)(FILE *, const void *),
                      const void *ctx)
{
    char *path = xprintf("%s/%s", dir, name);
    char *tmp = xprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    bool ok = false;
    if (f) {
        draw(f, ctx);
        ok = fclose(f) == 0 && rename(tmp, path) == 0;
    }
    if (!ok) {
        lr_log_error("could not write %s: %s", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    free(path);
    return ok;
}

typedef struct plot_ctx {
    const summary *s;
    const item_list *items;
    const shared *sh;
    const char *data;
    const char *command;
} plot_ctx;

static void draw_skew(FILE *f, const void *v)
{
    const plot_ctx *c = v;
    svg_skew(f, c->s, c->data, c->command);
}

static void draw_dibco(FILE *f, const void *v)
{
    const plot_ctx *c = v;
    svg_dibco(f, c->items, c->sh, c->data, c->command);
}

static void draw_cer(FILE *f, const void *v)
{
    const plot_ctx *c = v;
    svg_cer(f, c->s, c->data, c->command);
}

/* ---- Detail (-v) -------------------------------------------------------------------------- */

/* A class's CER for one page: "–" when the class is absent from both texts. */
static const char *class_pct(const lr_cer *e, lr_char_class k, char *buf, size_t size)
{
    if (!e->class_ref_len[k] && !e->class_edits[k])
        snprintf(buf, size, "–");
    else if (!e->class_ref_len[k])
        snprintf(buf, size, "+%zu inserted", e->class_edits[k]);
    else
        pct(lr_metrics_rate(e->class_edits[k], e->class_ref_len[k]), buf, size);
    return buf;
}

static void print_detail(FILE *f, const item_list *items, const shared *sh)
{
    char a[32], b[32], c[32], d[32];
    for (size_t i = 0; i < items->n; i++) {
        const item *it = &items->v[i];
        const result *r = &sh->r[i];
        fprintf(f, "[%s] %s", ds_name[it->ds], it->name);
        if (it->ds == DS_SYNTH)
            fprintf(f, " (%s)", group_name[ocr_group(it)]);
        if (r->state != R_DONE) {
            fprintf(f, ": failed: %s\n", r->error);
            continue;
        }
        fputc(':', f);
        if (r->has_orient)
            fprintf(f, " orientation truth %d, found %d (confidence %.1f) %s;", it->orientation,
                    r->orient, r->orient_conf, r->orient == it->orientation ? "right" : "WRONG");
        if (r->has_skew && it->ds == DS_LEPT) {
            fprintf(f, " own skew %+.2f°; error at θ", r->base_skew);
            for (int k = 0; k < r->ntheta; k++)
                fprintf(f, " %+.2f: %+.2f", lept_theta[k], r->theta_err[k]);
            fputc(';', f);
        } else if (r->has_skew) {
            lr_enhance_options eo;
            lr_enhance_options_default(&eo);
            fprintf(f, " skew truth %+.2f°, found %+.2f° (confidence %.1f), error %+.2f°%s%s;",
                    it->skew, r->skew, r->skew_conf, r->skew - it->skew,
                    fabs(it->skew) >= eo.max_skew_deg - 0.5 ? " (at or beyond the search range)"
                                                            : "",
                    it->scored ? "" : " (not scored: disputed in SOURCES.md)");
        }
        if (r->has_bin)
            fprintf(f,
                    " F %.2f, p-F %.2f, PSNR %.2f dB, DRD %.2f (otsu: F %.2f, p-F %.2f, "
                    "PSNR %.2f, DRD %.2f);",
                    r->bin.fmeasure, r->bin.pseudo_fmeasure, r->bin.psnr, r->bin.drd,
                    r->bin_otsu.fmeasure, r->bin_otsu.pseudo_fmeasure, r->bin_otsu.psnr,
                    r->bin_otsu.drd);
        if (r->has_cer) {
            const lr_cer *e = &r->cer;
            fprintf(f,
                    " CER %s (%zu/%zu: S %zu D %zu I %zu; order-free %zu; Hangul %s, Hanja %s, "
                    "digits %s);",
                    pct(lr_metrics_rate(e->edits, e->ref_len), a, sizeof a), e->edits, e->ref_len,
                    e->substitutions, e->deletions, e->insertions, e->order_free_edits,
                    class_pct(e, LR_CHAR_HANGUL, b, sizeof b),
                    class_pct(e, LR_CHAR_HANJA, c, sizeof c),
                    class_pct(e, LR_CHAR_DIGIT, d, sizeof d));
        }
        if (r->timed)
            fprintf(f, " ms: decode %.0f, orientation %.0f, enhance %.0f, OCR %.0f;", r->decode_ms,
                    r->orient_ms, r->enhance_ms, r->ocr_ms);
        fputc('\n', f);
    }
}

/* ---- The report section -------------------------------------------------------------------- */

typedef struct section_ctx {
    const eval_opts *o;
    const item_list *items;
    const summary *s;
    long rss_kb;
    double wall_ms;
    double load; /* 1-minute load average when the run started; < 0 unknown */
    int corpus_bad;
    const char *stamp;      /* "2026-11-26 10:42 UTC" */
    const char *svg_rel[3]; /* skew, dibco, cer: paths as linked from the report, or NULL */
} section_ctx;

/* Writes the markdown section; *out_missed counts targets missed. */
static void write_section(FILE *f, const section_ctx *x, int *out_missed)
{
    const eval_opts *o = x->o;
    const summary *s = x->s;
    char m[256], dl[256], t[256], p1[16], p2[16], p3[16], p4[16];
    int missed = 0;
    struct utsname un;
    if (uname(&un) != 0)
        snprintf(un.machine, sizeof un.machine, "unknown");
    fprintf(f, "### %s — landrec eval, %d worker%s, %s\n\n", x->stamp, o->jobs,
            o->jobs == 1 ? "" : "s", un.machine);
    fputs("| stage | measure | data | measured | target | |\n|---|---|---|---|---|---|\n", f);

    if (o->stages & ST_ORIENT) {
        for (dataset d = DS_SYNTH; d <= DS_TT_ORIENT; d++) {
            if (!s->orient_n[d])
                continue;
            if (d == DS_SYNTH)
                snprintf(dl, sizeof dl, "synthetic sheets%s",
                         s->synth_turned ? "" : ", all upright: counts false turns only");
            else if (d == DS_TURNED)
                snprintf(dl, sizeof dl, "synthetic sheets turned by 0/90/180/270°, `%s`",
                         o->turned_corpus);
            else
                snprintf(dl, sizeof dl, "tesseract-test phototest: 4 turned copies + upright");
            snprintf(m, sizeof m, "%.1f %% (%zu/%zu)",
                     100.0 * (double)s->orient_ok[d] / (double)s->orient_n[d], s->orient_ok[d],
                     s->orient_n[d]);
            row(f, "orientation", "share correct", dl, m, "100 %",
                s->orient_ok[d] == s->orient_n[d], &missed);
        }
    }
    if (o->stages & ST_SKEW) {
        const dataset ds[] = {DS_SYNTH, DS_SBRUNNER, DS_LEPT};
        for (size_t j = 0; j < 3; j++) {
            dataset d = ds[j];
            const lr_error_stats *e = &s->skew[d];
            if (!e->n)
                continue;
            if (d == DS_SYNTH)
                snprintf(dl, sizeof dl, "synthetic sheets, truth %+.1f…%+.1f° (%zu)",
                         s->synth_skew_min, s->synth_skew_max, e->n);
            else if (d == DS_SBRUNNER)
                snprintf(dl, sizeof dl, "sbrunner-deskew 1–7, skew = −angles.csv (%zu)", e->n);
            else
                snprintf(dl, sizeof dl,
                         "leptonica: %zu images × %d angles in ±5°, error = est(rot) − est(orig) "
                         "− θ (%zu)",
                         e->n / NTHETA, NTHETA, e->n);
            snprintf(m, sizeof m, "mean %.3f°, max %.3f° (rms %.3f°, bias %+.3f°)", e->mean_abs,
                     e->max_abs, e->rms, e->bias);
            if (d == DS_SBRUNNER) {
                size_t len = strlen(m);
                snprintf(m + len, sizeof m - len, "; within ±%.1f°: %zu/%zu", SBRUNNER_ROUNDING,
                         s->sb_within, e->n);
                row(f, "skew", "mean, max \\|error\\|", dl, m,
                    "each within ±0.5° (angles.csv is in whole degrees)", s->sb_within == e->n,
                    &missed);
                continue;
            }
            row(f, "skew", "mean, max \\|error\\|", dl, m, "mean ≤ 0.1°, max ≤ 0.3°",
                e->mean_abs <= TARGET_SKEW_MEAN && e->max_abs <= TARGET_SKEW_MAX, &missed);
        }
    }
    if ((o->stages & ST_BIN) && s->bin_n) {
        snprintf(dl, sizeof dl, "dibco 2009, %zu images, mean of per-image scores", s->bin_n);
        snprintf(m, sizeof m, "F **%.2f**, p-F %.2f, PSNR %.2f dB, DRD %.2f", s->bin_mean.fmeasure,
                 s->bin_mean.pseudo_fmeasure, s->bin_mean.psnr, s->bin_mean.drd);
        row(f, "binarization", "F, pseudo-F (DIBCO 2010), PSNR, DRD", dl, m,
            "F ≥ 88 (published: Otsu ≈ 79, Sauvola ≈ 85, 2009 winner ≈ 91)",
            s->bin_mean.fmeasure >= TARGET_DIBCO_F, &missed);
        snprintf(m, sizeof m, "F %.2f, p-F %.2f, PSNR %.2f dB, DRD %.2f", s->otsu_mean.fmeasure,
                 s->otsu_mean.pseudo_fmeasure, s->otsu_mean.psnr, s->otsu_mean.drd);
        row(f, "binarization, `--binarize otsu`", "the same", dl, m, "— (for comparison)", -1,
            &missed);
    }
    if (o->stages & ST_OCR) {
        for (int g = 0; g < G_COUNT; g++) {
            const lr_cer *c[G_COUNT] = {&s->cer_synth[0], &s->cer_synth[1], &s->cer_synth[2]};
            const size_t *n = s->n_synth;
            if (!n[g])
                continue;
            double hg = lr_metrics_rate(c[g]->class_edits[LR_CHAR_HANGUL],
                                        c[g]->class_ref_len[LR_CHAR_HANGUL]);
            double hj = lr_metrics_rate(c[g]->class_edits[LR_CHAR_HANJA],
                                        c[g]->class_ref_len[LR_CHAR_HANJA]);
            snprintf(dl, sizeof dl, "synthetic sheets, %s (%zu; %zu characters)",
                     group_name[g], n[g], c[g]->ref_len);
            char of[16];
            snprintf(m, sizeof m, "all %s (order-free %s) · Hangul %s · Hanja %s · digits %s",
                     pct(lr_metrics_rate(c[g]->edits, c[g]->ref_len), p1, sizeof p1),
                     pct(lr_metrics_rate(c[g]->order_free_edits, c[g]->ref_len), of, sizeof of),
                     pct(hg, p2, sizeof p2), pct(hj, p3, sizeof p3),
                     pct(lr_metrics_rate(c[g]->class_edits[LR_CHAR_DIGIT],
                                         c[g]->class_ref_len[LR_CHAR_DIGIT]),
                         p4, sizeof p4));
            int v = -1;
            if (g == G_PRINTED)
                v = (isnan(hg) || hg <= TARGET_CER_HANGUL) && (isnan(hj) || hj <= TARGET_CER_HANJA);
            row(f, "OCR", "CER: all · Hangul · Hanja · digits", dl, m,
                g == G_PRINTED ? "Hangul ≤ 2 %, Hanja ≤ 5 %"
                : g == G_HAND  ? "— (reported: the target is for print)"
                               : "— (reported)",
                v, &missed);
        }
        if (s->n_tt) {
            snprintf(dl, sizeof dl,
                     "tesseract-test eurotext + phototest, `eng` (%zu; %zu "
                     "characters)",
                     s->n_tt, s->cer_tt.ref_len);
            snprintf(
                m, sizeof m, "%s (%zu edits; order-free %s)",
                pct(lr_metrics_rate(s->cer_tt.edits, s->cer_tt.ref_len), p1, sizeof p1),
                s->cer_tt.edits,
                pct(lr_metrics_rate(s->cer_tt.order_free_edits, s->cer_tt.ref_len), p2, sizeof p2));
            row(f, "OCR", "CER (English, checks the scorer)", dl, m, "—", -1, &missed);
        }
    }
    if ((o->stages & ST_THRU) && s->thru_n) {
        double page_ms = s->decode_ms + s->orient_ms + s->enhance_ms + s->ocr_ms;
        snprintf(dl, sizeof dl, "%s (%zu pages)",
                 s->thru_ds == DS_SYNTH ? "synthetic sheets, kor+chi_tra"
                                        : "tesseract-test eurotext + phototest, eng",
                 s->thru_n);
        snprintf(m, sizeof m, "**%.1f** (%.0f ms a page)", page_ms > 0 ? 60000.0 / page_ms : 0,
                 page_ms);
        if (!bench_reference(o->report, t, sizeof t))
            snprintf(t, sizeof t, "beside OCRmyPDF: see `scripts/bench.sh`");
        row(f, "throughput", "pages/min per core", dl, m, t, -1, &missed);
        snprintf(m, sizeof m, "decode %.0f · orientation %.0f · enhance %.0f · OCR %.0f",
                 s->decode_ms, s->orient_ms, s->enhance_ms, s->ocr_ms);
        row(f, "throughput", "ms per page by stage (mean)", dl, m, "—", -1, &missed);
        snprintf(m, sizeof m, "%.0f MB", (double)x->rss_kb / 1024.0);
        snprintf(dl, sizeof dl, "the whole run (largest of %d worker%s, getrusage)", o->jobs,
                 o->jobs == 1 ? "" : "s");
        row(f, "throughput", "peak memory of a worker", dl, m, "—", -1, &missed);
    }
    fputc('\n', f);

    static const char *const alt[3] = {"skew error per measurement", "F-measure per DIBCO image",
                                       "OCR CER by script, clean and degraded"};
    bool any = false;
    for (int j = 0; j < 3; j++)
        if (x->svg_rel[j]) {
            fprintf(f, "![%s](%s)\n", alt[j], x->svg_rel[j]);
            any = true;
        }
    if (any)
        fputc('\n', f);

    /* Where the figures come from. */
    fprintf(f, "Data: ");
    bool real = false;
    for (int d = DS_TT_ORIENT; d < DS_COUNT; d++)
        real = real || s->n[d];
    if (real)
        fprintf(f, "real test sets in `%s` (see its SOURCES.md)", o->realdata);
    if (s->n[DS_SYNTH]) {
        fprintf(f, "%ssynthetic corpus `%s`: %zu sheets (%zu clean, %zu degraded)",
                real ? "; " : "", o->corpus, s->n[DS_SYNTH], s->synth_clean,
                s->n[DS_SYNTH] - s->synth_clean);
        if (s->synth_printed)
            fprintf(f, ", %zu of them with printed entries", s->synth_printed);
    }
    if (s->n[DS_TURNED])
        fprintf(f, "%sturned synthetic corpus `%s`: %zu sheets", real || s->n[DS_SYNTH] ? "; " : "",
                o->turned_corpus, s->n[DS_TURNED]);
    if (x->corpus_bad)
        fputs(" (some truth files unreadable)", f);
    fputs(". Protocols: `docs/evaluation.md`.\n", f);
    char *lept = getLeptonicaVersion();
    char enh[256];
    lr_pipeline_options po;
    lr_pipeline_options_default(&po);
    lr_enhance_options_describe(&po.enhance, enh, sizeof enh);
    fprintf(f, "Engines: %s, %s; enhance `%s`", lr_ocr_engine_version(), lept ? lept : "leptonica",
            enh);
    if (o->stages & (ST_ORIENT | ST_OCR | ST_THRU))
        fprintf(f,
                "; OCR `%s` on synthetic sheets, `eng` on the English pages, psm %d, "
                "orientation by OSD at %d dpi",
                po.ocr.lang, po.ocr.psm, LR_OCR_OSD_DPI);
    fputs(".\n", f);
    free(lept);
    if (o->note)
        fprintf(f, "%s\n", o->note);
    size_t failed = 0;
    for (int d = 0; d < DS_COUNT; d++)
        failed += s->failed[d];
    if (failed)
        fprintf(f, "**%zu item%s failed** (run with `-v` for the reasons).\n", failed,
                failed == 1 ? "" : "s");
    fprintf(f, "Command: `%s` (%.1f s wall", o->command, x->wall_ms / 1000.0);
    if (x->load >= 0)
        fprintf(f, "; load average %.1f on %ld cores at the start: times grow with other load",
                x->load, sysconf(_SC_NPROCESSORS_ONLN));
    fputs(").\n", f);
    *out_missed = missed;
}

/* Inserts section after the eval marker of the report (adding the markers at the end when
 * they are missing); written to a temporary file and renamed. */
static int report_insert(const char *path, const char *section, lr_error *err)
{
    int rc = LR_OK;
    char *text = read_text(path);
    char *tmp = xprintf("%s.tmp", path);
    FILE *f = NULL;
    if (!text)
        text = xstrdup("");
    const char *mark = strstr(text, EVAL_MARK_BEGIN);
    if (!(f = fopen(tmp, "w"))) {
        rc = lr_error_set(err, LR_ERR_IO, "cannot write \"%s\"", tmp);
        lr_error_detail(err, "%s", strerror(errno));
        goto done;
    }
    if (mark) {
        size_t head = (size_t)(mark - text) + strlen(EVAL_MARK_BEGIN);
        fwrite(text, 1, head, f);
        fprintf(f, "\n\n%s", section);
        fputs(text + head, f);
    } else {
        fputs(text, f);
        if (*text && text[strlen(text) - 1] != '\n')
            fputc('\n', f);
        fprintf(f,
                "\n## Evaluation (`landrec eval`)\n\nSee `docs/evaluation.md`.\n\n"
                "%s\n\n%s\n%s\n",
                EVAL_MARK_BEGIN, section, EVAL_MARK_END);
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        f = NULL;
        rc = lr_error_set(err, LR_ERR_IO, "cannot write \"%s\"", path);
        lr_error_detail(err, "%s", strerror(errno));
        remove(tmp);
        goto done;
    }
    f = NULL;
done:
    if (f) {
        fclose(f);
        remove(tmp);
    }
    free(tmp);
    free(text);
    return rc;
}

/* ---- The command ----------------------------------------------------------------------------- */

static int parse_stages(const char *s, unsigned *out)
{
    *out = 0;
    char *copy = xstrdup(s), *save = NULL;
    int rc = 0;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "orientation"))
            *out |= ST_ORIENT;
        else if (!strcmp(t, "skew"))
            *out |= ST_SKEW;
        else if (!strcmp(t, "binarize"))
            *out |= ST_BIN;
        else if (!strcmp(t, "ocr"))
            *out |= ST_OCR;
        else if (!strcmp(t, "throughput"))
            *out |= ST_THRU;
        else if (!strcmp(t, "all"))
            *out |= ST_ALL;
        else {
            fprintf(stderr, "landrec: eval: unknown stage \"%s\"\n", t);
            fputs("HINT: the stages are orientation, skew, binarize, ocr and throughput.\n",
                  stderr);
            rc = -1;
        }
    }
    free(copy);
    return rc < 0 || !*out ? -1 : 0;
}

enum {
    OPT_REALDATA = 256,
    OPT_CORPUS,
    OPT_TURNED,
    OPT_STAGES,
    OPT_REPORT,
    OPT_SVG,
    OPT_NOTE,
    OPT_LIMIT
};

int cmd_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"realdata", required_argument, NULL, OPT_REALDATA},
        {"corpus", required_argument, NULL, OPT_CORPUS},
        {"orientation-corpus", required_argument, NULL, OPT_TURNED},
        {"stages", required_argument, NULL, OPT_STAGES},
        {"report", required_argument, NULL, OPT_REPORT},
        {"svg-dir", required_argument, NULL, OPT_SVG},
        {"note", required_argument, NULL, OPT_NOTE},
        {"jobs", required_argument, NULL, 'j'},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    eval_opts o = {.stages = ST_ALL};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = cores > 0 ? (int)cores : 1;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:vqh", longopts, NULL)) != -1) {
        char *end;
        long v;
        switch (c) {
        case OPT_REALDATA:
            o.realdata = optarg;
            break;
        case OPT_CORPUS:
            o.corpus = optarg;
            break;
        case OPT_TURNED:
            o.turned_corpus = optarg;
            break;
        case OPT_STAGES:
            if (parse_stages(optarg, &o.stages) < 0)
                return LR_EXIT_CANNOT_RUN;
            break;
        case OPT_REPORT:
            o.report = optarg;
            break;
        case OPT_SVG:
            o.svg_dir = optarg;
            break;
        case OPT_NOTE:
            o.note = optarg;
            break;
        case 'j':
        case OPT_LIMIT:
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 4096) {
                fprintf(stderr, "landrec: eval: invalid value \"%s\"\n", optarg);
                return LR_EXIT_CANNOT_RUN;
            }
            if (c == 'j')
                o.jobs = (int)v;
            else
                o.limit = (int)v;
            break;
        case 'v':
            o.verbose++;
            break;
        case 'q':
            quiet++;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs("HINT: run \"landrec eval --help\" for the options.\n", stderr);
            return LR_EXIT_CANNOT_RUN;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "landrec: eval: unexpected argument \"%s\"\n", argv[optind]);
        fputs("HINT: data is named by --realdata and --corpus.\n", stderr);
        return LR_EXIT_CANNOT_RUN;
    }
    cli_set_verbosity(o.verbose > 1 ? o.verbose : 0, quiet);
    if (!o.realdata)
        o.realdata = getenv("LR_REALDATA");
    if (!o.realdata || !*o.realdata)
        o.realdata = "../shared/realdata";

    int status = LR_EXIT_CANNOT_RUN;
    item_list items = {0};
    shared *sh = NULL;
    size_t sh_size = 0;
    summary s = {0};
    char *section = NULL, *svg_dir = NULL, *report_dir = NULL;
    size_t section_len = 0;
    int corpus_bad = 0;
    lr_error err;
    lr_error_clear(&err);
    /* The command as the report quotes it; the note is prose, not part of what ran. */
    char **shown = calloc((size_t)argc + 1, sizeof *shown);
    int nshown = 0;
    for (int i = 0; shown && i < argc; i++) {
        shown[nshown++] = argv[i];
        if (!strcmp(argv[i], "--note") && i + 1 < argc) {
            shown[nshown++] = "…";
            i++;
        } else if (!strncmp(argv[i], "--note=", 7))
            shown[nshown - 1] = "--note=…";
    }
    char *joined = shown ? cli_join_args(nshown, shown) : NULL;
    o.command = xprintf("landrec %s", joined ? joined : "eval");
    free(joined);
    free(shown);

    /* The data each stage needs. */
    if (o.corpus && (o.stages & (ST_ORIENT | ST_SKEW | ST_OCR | ST_THRU))) {
        if (load_corpus(&o, o.corpus, DS_SYNTH, &items, &corpus_bad, &err) < 0) {
            cli_report("eval", &err);
            goto done;
        }
        if (!count_ds(&items, DS_SYNTH))
            lr_log_warning("no landrec-synth truth files in \"%s\"", o.corpus);
    }
    if (o.turned_corpus && (o.stages & ST_ORIENT)) {
        if (load_corpus(&o, o.turned_corpus, DS_TURNED, &items, &corpus_bad, &err) < 0) {
            cli_report("eval", &err);
            goto done;
        }
        if (!count_ds(&items, DS_TURNED))
            lr_log_warning("no landrec-synth truth files in \"%s\"", o.turned_corpus);
    }
    if (is_dir(o.realdata)) {
        if (o.stages & ST_ORIENT)
            load_tt_orientation(&o, &items);
        if (o.stages & ST_SKEW) {
            load_sbrunner(&o, &items);
            load_leptonica(&o, &items);
        }
        if (o.stages & ST_BIN)
            load_dibco(&o, &items);
        if ((o.stages & ST_OCR) || ((o.stages & ST_THRU) && !count_ds(&items, DS_SYNTH)))
            load_tt_ocr(&o, &items);
    } else {
        lr_log_warning("no real test data at \"%s\" (set --realdata or LR_REALDATA)", o.realdata);
    }
    if (!items.n) {
        fputs("landrec: eval: nothing to evaluate\n", stderr);
        fputs("HINT: name the real test sets with --realdata DIR and a synthetic corpus with "
              "--corpus DIR.\n",
              stderr);
        goto done;
    }
    if ((size_t)o.jobs > items.n)
        o.jobs = (int)items.n;
    lr_log_info("%zu items on %d workers", items.n, o.jobs);

    long rss_kb = 0;
    double wall_ms = 0, load = -1;
    if (getloadavg(&load, 1) != 1)
        load = -1;
    if (!(sh = run_all(&items, o.stages, o.jobs, &rss_kb, &wall_ms, &sh_size))) {
        fprintf(stderr, "landrec: eval: cannot map shared memory: %s\n", strerror(errno));
        goto done;
    }
    summarise(&items, sh, o.stages, &s);
    if (o.verbose)
        print_detail(stdout, &items, sh);

    /* Plots, named by the run's time so earlier sections keep theirs. */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32], fstamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M UTC", &tm);
    strftime(fstamp, sizeof fstamp, "%Y%m%d-%H%M", &tm);
    if (o.report) {
        const char *slash = strrchr(o.report, '/');
        report_dir = slash ? xprintf("%.*s", (int)(slash - o.report), o.report) : xstrdup(".");
    }
    if (o.svg_dir)
        svg_dir = xstrdup(o.svg_dir);
    else if (report_dir)
        svg_dir = xprintf("%s/img", report_dir);
    section_ctx x = {.o = &o,
                     .items = &items,
                     .s = &s,
                     .rss_kb = rss_kb,
                     .wall_ms = wall_ms,
                     .load = load,
                     .corpus_bad = corpus_bad,
                     .stamp = stamp};
    char *svg_name[3] = {NULL, NULL, NULL};
    if (svg_dir) {
        if (mkdir(svg_dir, 0777) != 0 && errno != EEXIST)
            lr_log_error("cannot create %s: %s", svg_dir, strerror(errno));
        char data[3][512];
        snprintf(data[0], sizeof data[0], "%s%s%s", s.skew_n[DS_SYNTH] ? "synthetic corpus; " : "",
                 s.skew_n[DS_SBRUNNER] ? "realdata sbrunner-deskew 1–7; " : "",
                 s.skew_n[DS_LEPT] ? "realdata leptonica rotated by 8 known angles" : "");
        snprintf(data[1], sizeof data[1],
                 "realdata dibco/2009 (%zu images); published means "
                 "as quoted in issue 3",
                 s.bin_n);
        snprintf(data[2], sizeof data[2], "synthetic corpus %s, kor+chi_tra",
                 o.corpus ? o.corpus : "");
        bool want[3] = {(o.stages & ST_SKEW) &&
                            (s.skew_n[DS_SYNTH] || s.skew_n[DS_SBRUNNER] || s.skew_n[DS_LEPT]),
                        (o.stages & ST_BIN) && s.bin_n > 0,
                        (o.stages & ST_OCR) &&
                            (s.n_synth[G_PRINTED] || s.n_synth[G_HAND] || s.n_synth[G_DEGRADED])};
        static const char *const kind[3] = {"skew", "dibco", "cer"};
        void (*draw[3])(FILE *, const void *) = {draw_skew, draw_dibco, draw_cer};
        for (int j = 0; j < 3; j++) {
            if (!want[j])
                continue;
            plot_ctx pc = {&s, &items, sh, data[j], o.command};
            char *name = xprintf("eval-%s-%s.svg", fstamp, kind[j]);
            if (write_svg(svg_dir, name, draw[j], &pc)) {
                /* Linked relative to the report when the plots sit under its directory. */
                size_t rl = report_dir ? strlen(report_dir) : 0;
                if (report_dir && !strncmp(svg_dir, report_dir, rl) && svg_dir[rl] == '/')
                    svg_name[j] = xprintf("%s/%s", svg_dir + rl + 1, name);
                else
                    svg_name[j] = xprintf("%s/%s", svg_dir, name);
            }
            free(name);
        }
    }
    for (int j = 0; j < 3; j++)
        x.svg_rel[j] = svg_name[j];

    FILE *mf = open_memstream(&section, &section_len);
    int missed = 0;
    if (!mf) {
        fputs("landrec: eval: out of memory\n", stderr);
        goto done_svg;
    }
    write_section(mf, &x, &missed);
    fclose(mf);
    fputs(section, stdout);
    fflush(stdout);

    if (o.report && report_insert(o.report, section, &err) < 0) {
        cli_report("eval", &err);
        status = LR_EXIT_SOME_FAILED;
        goto done_svg;
    }
    size_t failed = 0;
    for (int d = 0; d < DS_COUNT; d++)
        failed += s.failed[d];
    status = missed || failed ? LR_EXIT_SOME_FAILED : LR_EXIT_OK;
done_svg:
    for (int j = 0; j < 3; j++)
        free(svg_name[j]);
done:
    summary_clear(&s);
    if (sh)
        munmap(sh, sh_size);
    list_free(&items);
    free(section);
    free(svg_dir);
    free(report_dir);
    free(o.command);
    return status;
}
