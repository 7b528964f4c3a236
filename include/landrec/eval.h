/* eval.h — the evaluation behind "landrec eval": reads the real test sets and synthetic
 * corpora, runs orientation detection, skew measurement, binarization and OCR on them in
 * worker processes, scores the results with metrics.h against the evaluation's targets
 * (docs/evaluation.md), and writes the markdown section and SVG plots of docs/benchmarks.md.
 * Calls the library
 * directly; no database. Protocols and definitions: docs/evaluation.md.
 *
 * Use: lr_eval_new (loads the data sets) → lr_eval_run → lr_eval_write_detail and/or
 * lr_eval_make_section → lr_eval_report_insert → lr_eval_destroy.
 *
 * Owns: the data sets it loads, its worker processes and their results, until lr_eval_destroy.
 * Borrows: the page orchestrator (page.h) and the scorers (metrics.h); the stages' options.
 */
#ifndef LANDREC_EVAL_H
#define LANDREC_EVAL_H

#include <stddef.h>
#include <stdio.h>

#include "landrec/error.h"

/* The stages, as bits of lr_eval_options.stages. */
typedef enum lr_eval_stage {
    LR_EVAL_ORIENTATION = 1 << 0,
    LR_EVAL_SKEW = 1 << 1,
    LR_EVAL_BINARIZE = 1 << 2,
    LR_EVAL_OCR = 1 << 3,
    LR_EVAL_THROUGHPUT = 1 << 4,
    LR_EVAL_ALL = (1 << 5) - 1,
} lr_eval_stage;

/* Every string is borrowed: it must outlive the lr_eval made with it. */
typedef struct lr_eval_options {
    const char *realdata;      /* the real test sets (../shared/realdata) */
    const char *corpus;        /* a landrec-synth output directory, or NULL */
    const char *turned_corpus; /* a landrec-synth --orient corpus (orientation only), or NULL */
    const char *report;        /* docs/benchmarks.md: read for bench.sh figures; svg links are
                                  made relative to its directory. NULL: none */
    const char *svg_dir;       /* where plots go; NULL: img/ beside report, or no plots */
    const char *note;          /* a line added to the section, or NULL */
    const char *command;       /* the command as the section quotes it ("landrec eval …") */
    unsigned stages;           /* lr_eval_stage bits */
    int jobs;                  /* worker processes (at most one per item is used) */
    int limit;                 /* at most this many items of each data set; <= 0: all */
    bool whole_page;           /* read every page whole (landrec run --whole-page) */
    const char *lang;          /* Tesseract languages for the Korean pages (NULL: the default,
                                  as landrec run) */
    const char *dump_text;     /* write each OCR-scored item's recognised text to
                                  DUMP_TEXT/<name, '/' made '_'>.txt (made by lr_eval_run), or
                                  NULL */
} lr_eval_options;

/* All stages, one worker per core, nothing else set. */
void lr_eval_options_default(lr_eval_options *out);

/* The stage bit named by name ("orientation", "skew", "binarize", "ocr", "throughput" or
 * "all"). LR_ERR_ARG (and *out_stage 0) for any other name. */
int lr_eval_stage_parse(const char *name, unsigned *out_stage, lr_error *err);

typedef struct lr_eval lr_eval;

/* Loads the items of every data set the stages need (warning about corpora without truth
 * files and missing real data). LR_ERR_IO when a corpus directory cannot be read, LR_ERR_ARG
 * when there is nothing to evaluate, LR_ERR_NOMEM. *out: caller frees with lr_eval_destroy. */
int lr_eval_new(const lr_eval_options *opts, lr_eval **out, lr_error *err);

/* Runs every item on the worker processes (forked; a worker that crashes costs its item) and
 * sums up the scores. Shows progress on stderr when it is a terminal. LR_ERR_IO when the
 * dump_text directory cannot be made; LR_ERR_NOMEM when the shared memory cannot be mapped. */
int lr_eval_run(lr_eval *ev, lr_error *err);

/* One line per item with its scores (after lr_eval_run). */
void lr_eval_write_detail(const lr_eval *ev, FILE *f);

/* Writes the SVG plots (when there is a plot directory; a plot that cannot be written is
 * logged and left out) and makes the dated markdown section of the run. *out_section: caller
 * frees with free(); *out_missed: targets missed. LR_ERR_NOMEM. */
int lr_eval_make_section(const lr_eval *ev, char **out_section, int *out_missed, lr_error *err);

/* Items that failed (after lr_eval_run). */
size_t lr_eval_failed_count(const lr_eval *ev);

/* Inserts section (borrowed) after the eval marker of the report at path, adding the markers
 * at the end when they are missing; written to a temporary file and renamed. LR_ERR_IO. */
int lr_eval_report_insert(const char *path, const char *section, lr_error *err);

/* Frees ev and sets *p to NULL; NULL and *p NULL are fine. */
void lr_eval_destroy(lr_eval **p);

#endif
