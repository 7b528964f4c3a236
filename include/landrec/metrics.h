/* metrics.h — the evaluation's scorers: character error rate (whole text and per script, in
 * reading order or by position on the page), the DIBCO binarization measures and skew error
 * statistics. Pure functions: no I/O, no global state; tests/eval pins each to cases counted
 * by hand. Definitions: docs/evaluation.md.
 *
 * Owns: nothing: pure functions.
 * Borrows: the text helpers of src/base.
 */
#ifndef LANDREC_METRICS_H
#define LANDREC_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "landrec/error.h"

struct Pix;

/* ---- Character error rate ------------------------------------------------------------- */

/* Classes a reference character is scored under. */
typedef enum lr_char_class {
    LR_CHAR_OTHER = 0,  /* Latin letters, punctuation, kana, … */
    LR_CHAR_HANGUL = 1, /* syllables U+AC00–D7A3, jamo U+1100–11FF, A960–A97F, D7B0–D7FF,
                           compatibility jamo U+3130–318F */
    LR_CHAR_HANJA = 2,  /* CJK unified ideographs U+4E00–9FFF, ext. A U+3400–4DBF, ext. B–G
                           U+20000–3134F, compatibility U+F900–FAFF and U+2F800–2FA1F */
    LR_CHAR_DIGIT = 3,  /* ASCII 0–9 and fullwidth U+FF10–FF19 */
} lr_char_class;
#define LR_CHAR_NCLASSES 4

lr_char_class lr_metrics_char_class(uint32_t cp);

/* Whether cp is removed before scoring: Unicode White_Space (ASCII blanks, NEL, NBSP,
 * U+1680, U+2000–200A, U+2028/2029, U+202F, U+205F, U+3000) plus U+200B and U+FEFF. */
int lr_metrics_is_space(uint32_t cp);

/* Largest (reference × hypothesis) code point count the aligner accepts (one byte per cell). */
#define LR_METRICS_MAX_CELLS ((size_t)256 << 20)

typedef struct lr_cer {
    size_t ref_len; /* code points in the reference, whitespace removed */
    size_t hyp_len;
    size_t edits;         /* Levenshtein distance = substitutions + deletions + insertions */
    size_t substitutions; /* in the alignment described at lr_metrics_cer */
    size_t deletions;     /* reference characters missing from the hypothesis */
    size_t insertions;    /* hypothesis characters not in the reference */
    /* Per class: reference characters of the class, and the edits charged to it (a
     * substitution or deletion to the class of the reference character, an insertion to the
     * class of the inserted character). Summed over the classes they give ref_len and edits. */
    size_t class_ref_len[LR_CHAR_NCLASSES];
    size_t class_edits[LR_CHAR_NCLASSES];
    /* max(|ref ∖ hyp|, |hyp ∖ ref|) over the multisets of code points: the edits were the
     * order of the characters free (≤ edits). edits − order_free_edits is what reading
     * order costs, e.g. table cells read across instead of down. */
    size_t order_free_edits;
} lr_cer;

/* Scores hyp against ref (UTF-8, NUL-terminated; NULL is ""): both decoded into code points
 * (a malformed byte is one U+FFFD), whitespace removed, then aligned by Levenshtein distance
 * with unit costs. The alignment is the one traced back from the end preferring, at each
 * step, match/substitution, then deletion, then insertion; it decides which class an edit is
 * charged to when several minimal alignments exist (the total never depends on it).
 * *out is zeroed first. LR_ERR_TOO_LARGE when (ref_len+1)·(hyp_len+1) exceeds
 * LR_METRICS_MAX_CELLS; LR_ERR_NOMEM. */
int lr_metrics_cer(const char *ref, const char *hyp, lr_cer *out, lr_error *err);

/* Adds b's counts to *acc (corpus totals are sums of edits over sums of lengths). */
void lr_metrics_cer_add(lr_cer *acc, const lr_cer *b);

/* edits / ref_len as a fraction; 0 when both are 0; NAN (undefined) when ref_len is 0 and
 * edits is not. */
double lr_metrics_rate(size_t edits, size_t ref_len);

/* ---- Character error rate by position -------------------------------------------------- */

/* A text and its box in pixels of one page, x1 and y1 exclusive: a reference line (a label,
 * an entry) or a recognised word. The text is borrowed; NULL is "". */
typedef struct lr_text_box {
    const char *text;
    int x0, y0, x1, y1;
} lr_text_box;

/* The reference line a box belongs to: the line whose box it overlaps most (intersection
 * area; on a tie the first). When it overlaps none, the line whose box grown by a margin it
 * overlaps most: a quarter of the line's thickness (its shorter side: the height of a line
 * written across, the width of one written down) on every side, so that a word whose box is
 * a few pixels off its line still finds it. -1 when it overlaps no grown box either (or
 * nlines is 0). lines: nlines boxes, borrowed. */
long lr_metrics_line_of_box(const lr_text_box *lines, size_t nlines, int x0, int y0, int x1,
                            int y1);

/* Scores recognised words against reference lines by where they lie, not by the order in
 * which they were read: each word goes to its line (lr_metrics_line_of_box); each line's
 * hypothesis is its words' texts in the order given (recognition order) and is scored
 * against the line's text by lr_metrics_cer; the lines' scores are summed as
 * lr_metrics_cer_add does, order_free_edits included. A word placed on no line costs its
 * characters as insertions (charged to their classes); a line no word was placed on costs
 * its characters as deletions. Whitespace is ignored as in lr_metrics_cer. So a page whose
 * lines are read in another order (a map's scattered labels, a title beside an office name)
 * costs nothing for the order, and ref_len is that of all the lines' texts.
 * lines: nlines, words: nwords (both borrowed; NULL when the count is 0). *out is zeroed
 * first; *out_unplaced (may be NULL): words placed on no line. LR_ERR_ARG when out is NULL
 * or an array is NULL with a non-zero count; LR_ERR_TOO_LARGE when a line and its words are
 * too long to align (as lr_metrics_cer); LR_ERR_NOMEM. */
int lr_metrics_cer_by_position(const lr_text_box *lines, size_t nlines, const lr_text_box *words,
                               size_t nwords, lr_cer *out, size_t *out_unplaced, lr_error *err);

/* ---- Binarization (DIBCO) ------------------------------------------------------------- */

typedef struct lr_binary_scores {
    int64_t tp, fp, fn, tn; /* foreground = text (Leptonica's ON, black, pixels) */
    int64_t skeleton_px;    /* ON pixels of the thinned ground truth */
    int64_t skeleton_hit;   /* … of which the result has ON */
    int64_t nubn;           /* non-uniform 8×8 blocks of the ground truth */
    double recall;          /* %, tp / (tp + fn) */
    double precision;       /* %, tp / (tp + fp) */
    double fmeasure;        /* %, harmonic mean of the two; 0 when tp is 0 */
    double pseudo_recall;   /* %, skeleton_hit / skeleton_px (DIBCO 2010) */
    double pseudo_fmeasure; /* %, harmonic mean of pseudo-recall and precision */
    double psnr;            /* dB, 10·log10(1 / MSE) with C = 1; INFINITY when identical */
    double drd;             /* Σ DRD_k / NUBN (Lu et al. 2004); 0 when identical; INFINITY
                               when they differ but the ground truth has no non-uniform block */
} lr_binary_scores;

/* Scores a binarization result against its ground truth, both borrowed and never modified,
 * the same size, any depth (anything but 1 bpp is thresholded with pixConvertTo1 at 128:
 * dark is foreground; a 1 bpp colormap is honoured). *out is zeroed first. LR_ERR_ARG when
 * a pointer is NULL or the sizes differ. Definitions: docs/evaluation.md. */
int lr_metrics_binarization(struct Pix *result, struct Pix *gt, lr_binary_scores *out,
                            lr_error *err);

/* The 5×5 normalised weight matrix of DRD: W[i][j] = 1/√((i−2)²+(j−2)²) divided by the sum
 * of all such, W[2][2] = 0. */
void lr_metrics_drd_weights(double out_w[5][5]);

/* ---- Skew ------------------------------------------------------------------------------ */

typedef struct lr_error_stats {
    size_t n;
    double mean_abs; /* mean |error| */
    double max_abs;  /* largest |error| */
    double rms;      /* √(mean error²) */
    double bias;     /* mean signed error */
} lr_error_stats;

/* Statistics of n errors (estimate − truth, any unit); all 0 when n is 0. errors may be NULL
 * when n is 0. */
void lr_metrics_error_stats(const double *errors, size_t n, lr_error_stats *out);

#endif
