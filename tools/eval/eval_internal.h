/* eval_internal.h — what the files of the evaluation module share: data sets, targets, items,
 * the fixed-size results the workers write into shared memory, and the summary. Not public:
 * the interface is include/landrec/eval.h.
 */
#ifndef LANDREC_EVAL_INTERNAL_H
#define LANDREC_EVAL_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "landrec/eval.h"
#include "landrec/metrics.h"

/* ---- Data sets, targets ------------------------------------------------------------------ */

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

/* The accuracy targets (docs/evaluation.md, "Targets"). */
#define TARGET_SKEW_MEAN 0.1
#define TARGET_SKEW_MAX 0.3
#define TARGET_DIBCO_F 88.0
/* angles.csv of sbrunner-deskew holds whole degrees (its library searches a Hough transform
 * at 1° steps; docs/enhance.md gives the pages' own angles): errors against it up to half a
 * degree are the truth's rounding, so the 0.1°/0.3° target cannot be judged on it. */
#define SBRUNNER_ROUNDING 0.5
#define TARGET_CER_HANGUL 0.02
#define TARGET_CER_HANJA 0.05
/* Published DIBCO 2009 mean F-measures (docs/evaluation.md; drawn as reference lines). */
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
    char *path;         /* the image */
    char *name;         /* shown: relative to the data root */
    char *gt_path;      /* DIBCO ground truth */
    char *text;         /* OCR ground truth */
    lr_text_box *lines; /* synthetic: the truth's lines with their boxes (upright, unskewed
                           page), texts in line_text; NULL when it has none */
    size_t nlines;
    char *line_text; /* the lines' texts, one after the other, each NUL-terminated */
    int page;        /* 1-based */
    int orientation; /* truth: clockwise degrees to turn upright */
    double skew;     /* truth: degrees the content is rotated counter-clockwise */
    bool scored;     /* false: shown, but left out of the figures */
    bool clean;      /* synthetic: no degradation */
    bool printed;    /* synthetic: entries typed ("hand": "printed"), not handwriting-like */
} item;

/* The OCR figures of the synthetic corpus are kept apart by kind of sheet: the CER target is
 * for clean print, and the generator's default entries are handwriting-like. */
enum { G_PRINTED = 0, G_HAND = 1, G_DEGRADED = 2, G_COUNT = 3 };
static const char *const group_name[G_COUNT] = {"clean printed", "clean handwritten", "degraded"};

static inline int ocr_group(const item *it)
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
    float orient_conf;         /* OSD's */
    int orient_source;         /* lr_orient_source: what decided orient */
    bool orient_fallback;      /* OSD was unsure: the text-line fallback ran */
    int orient_votes[2];       /* its votes: lines for the first / second sense */
    double orient_fallback_ms; /* its time */
    bool orient_ruling_ran;    /* the ruled table was read (before OSD) */
    double orient_ruling_ms;   /* its time */
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
    lr_cer cer; /* in reading order: the page's text against the truth's text */
    bool has_cer_pos;
    lr_cer cer_pos;  /* by position: the words against the truth's lines (docs/evaluation.md) */
    size_t nwords;   /* words recognised */
    size_t unplaced; /* of which placed on no line */
    bool timed;      /* went through the whole pipeline: the times below are a page's */
    double decode_ms, orient_ms, enhance_ms, ocr_ms;
} result;

typedef struct shared {
    atomic_int next; /* the next item to take */
    atomic_int done; /* items finished, for the progress line */
    result r[];
} shared;

/* ---- Figures: the sums over the results ---------------------------------------------------- */

typedef struct summary {
    size_t n[DS_COUNT];      /* items */
    size_t failed[DS_COUNT]; /* of which failed */
    /* orientation */
    size_t orient_ok[DS_COUNT], orient_n[DS_COUNT];
    /* of which OSD was unsure and the text-line fallback ran: pages, turned right, turned
     * wrongly, left as they were (upright or not), its time (mean after summarise) */
    size_t fb_n[DS_COUNT], fb_turned_ok[DS_COUNT], fb_turned_bad[DS_COUNT];
    size_t fb_kept_ok[DS_COUNT], fb_kept_bad[DS_COUNT];
    double fb_ms[DS_COUNT];
    /* of which the ruled table was read: pages, decided right, decided wrongly, its time (mean
     * after summarise) */
    size_t rule_n[DS_COUNT], rule_ok[DS_COUNT], rule_bad[DS_COUNT];
    double rule_ms[DS_COUNT];
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
    lr_cer cer_synth[G_COUNT], cer_tt; /* in reading order */
    /* The judged figures: by position, or in reading order for sheets whose truth has no
     * line boxes (counted in n_order_only). */
    lr_cer cer_judged[G_COUNT];
    size_t n_order_only[G_COUNT];
    size_t nwords[G_COUNT], unplaced[G_COUNT]; /* words recognised, placed on no line */
    size_t n_synth[G_COUNT], n_tt;             /* pages scored */
    size_t synth_clean;                        /* clean sheets in the corpus */
    size_t synth_printed;                      /* sheets with printed entries */
    size_t synth_turned;                       /* sheets of the corpus not upright */
    /* throughput */
    dataset thru_ds;
    size_t thru_n;
    double decode_ms, orient_ms, enhance_ms, ocr_ms; /* means */
} summary;

/* The whole evaluation: the options (strings borrowed), the items, and after lr_eval_run the
 * results and their summary. */
struct lr_eval {
    lr_eval_options o;
    item_list items;
    int corpus_bad; /* truth files of the corpora that could not be read */
    shared *sh;     /* NULL before lr_eval_run; munmap(sh, sh_size) */
    size_t sh_size;
    summary s;
    long rss_kb; /* peak resident size of the largest worker */
    double wall_ms;
    double load; /* 1-minute load average when the run started; < 0 unknown */
};

/* ---- Helpers (eval_load.c) ---------------------------------------------------------------- */

/* A formatted string; NULL when out of memory. Caller frees. */
char *eval_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The whole file as a NUL-terminated string; NULL when it cannot be read. Caller frees. */
char *eval_read_text(const char *path);

bool eval_is_dir(const char *p);

/* Items of data set ds in l. */
size_t eval_count_ds(const item_list *l, dataset ds);

/* Adds every item of the data sets the stages of ev->o need to ev->items. */
int eval_load_items(lr_eval *ev, lr_error *err);

void eval_list_free(item_list *l);

/* ---- Running (eval.c) -------------------------------------------------------------------- */

/* edits / reference characters of class k in c (lr_metrics_rate). */
double eval_class_rate(const lr_cer *c, lr_char_class k);

/* ---- Plots (eval_svg.c) ------------------------------------------------------------------- */

enum { PLOT_SKEW = 0, PLOT_DIBCO = 1, PLOT_CER = 2, PLOT_COUNT = 3 };

/* Writes plot kind of ev to dir/name (through a temporary file); logs and returns false when
 * it cannot. data: what the plot shows, for its footer. */
bool eval_write_svg(const lr_eval *ev, int kind, const char *dir, const char *name,
                    const char *data);

#endif
