/* qa.h — acceptance checks of a scanned delivery (`landrec qa`, docs/qa.md): what is measured
 * on a page, the thresholds, the rule a page breaks and the rescan list written as CSV or as
 * HTML with thumbnails.
 *
 * The measures are pure functions of an image (a perceptual hash, the ink of a binary page,
 * ink at its edges) so that the pipeline takes them when it loads a page (stored in page_qa,
 * schemas/013_qa.sql) and `landrec qa` takes them again from the file for a page loaded
 * without them. The checks are pure functions of a page's facts and the thresholds.
 *
 * Owns: nothing beyond a call; the findings list until lr_qa_findings_free.
 * Borrows: Leptonica's PIX, the skew estimator (enhance.h), the decoder (image.h, for the
 * thumbnails), lr_error.
 */
#ifndef LANDREC_QA_H
#define LANDREC_QA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "landrec/enhance.h"
#include "landrec/error.h"

struct Pix;

/* Defaults of the thresholds (docs/qa.md gives the reason for each). */
#define LR_QA_MIN_DPI 300
#define LR_QA_MAX_SKEW_DEG 1.0f
#define LR_QA_BLANK_INK 0.001f     /* fraction of the page that is ink */
#define LR_QA_PHASH_DISTANCE 24    /* bits of LR_QA_PHASH_BITS */
#define LR_QA_EDGE_INK 0.02f       /* fraction of one edge that ink touches */
#define LR_QA_MIN_ORIENT_CONF 3.0f /* OSD's own threshold, LR_OCR_MIN_ORIENT_CONF */

/* Width of the strip along each edge in which ink counts as touching it, in millimetres. */
#define LR_QA_EDGE_BAND_MM 1.0f
/* The residual skew is searched within ± this many degrees: wider than the pipeline's own
 * search, so that a page it could not straighten is measured too. */
#define LR_QA_SKEW_RANGE_DEG 20.0f

typedef struct lr_qa_thresholds {
    int min_dpi;           /* a page below this in either axis is a finding */
    float max_skew_deg;    /* |residual skew| above this is a finding */
    float blank_ink;       /* ink fraction below this: blank */
    int phash_distance;    /* pHash Hamming distance at or below this: near duplicate */
    float edge_ink;        /* an edge touched by ink over more than this fraction: cut */
    float min_orient_conf; /* orientation decided with less confidence than this: unsure */
} lr_qa_thresholds;

void lr_qa_thresholds_default(lr_qa_thresholds *out);

typedef enum lr_qa_edge {
    LR_QA_EDGE_NONE = 0,
    LR_QA_EDGE_TOP,
    LR_QA_EDGE_BOTTOM,
    LR_QA_EDGE_LEFT,
    LR_QA_EDGE_RIGHT,
} lr_qa_edge;

/* "top", "bottom", "left", "right"; NULL for LR_QA_EDGE_NONE. Static. */
const char *lr_qa_edge_name(lr_qa_edge e);

/* ---- measures of an image -------------------------------------------------------------- */

/* A 256-bit DCT perceptual hash: the grey page squashed to 128 × 128, the 16 × 16 lowest
 * frequencies of its DCT, one bit each for a coefficient above their median (the DC term left
 * out of the median). Pages that look alike have hashes a few bits apart, whatever their size,
 * depth or resolution. 256 bits, not the usual 64: at 64 two sheets of one printed form, filled
 * in differently, are as close as a page and its rescan (docs/qa.md). */
#define LR_QA_PHASH_BITS 256
typedef struct lr_qa_hash {
    uint64_t w[LR_QA_PHASH_BITS / 64];
} lr_qa_hash;

/* The hash of pix (borrowed; any depth). LR_ERR_ARG on a bad image (*out zeroed). */
int lr_qa_phash(struct Pix *pix, lr_qa_hash *out, lr_error *err);

/* Bits in which a and b differ (0 … LR_QA_PHASH_BITS). */
int lr_qa_hamming(const lr_qa_hash *a, const lr_qa_hash *b);

/* The hash as LR_QA_PHASH_BITS / 4 lower-case hex digits, and back (false: not such text). */
void lr_qa_hash_hex(const lr_qa_hash *h, char out[LR_QA_PHASH_BITS / 4 + 1]);
bool lr_qa_hash_parse(const char *hex, lr_qa_hash *out);

/* Fraction of the pixels of bin (borrowed, 1 bpp, 1 = ink) that are ink; -1 on a bad image. */
float lr_qa_ink(struct Pix *bin);

/* The edge of bin (borrowed, 1 bpp, 1 = ink) that ink touches most, as a fraction of its
 * length: the positions along the edge with ink within LR_QA_EDGE_BAND_MM of it (at dpi,
 * 50 … 2400). *out_edge (may be NULL) names it (LR_QA_EDGE_NONE when no ink touches an edge).
 * -1 on a bad image. */
float lr_qa_edge_ink(struct Pix *bin, int dpi, lr_qa_edge *out_edge);

/* What the pipeline measures of an enhanced page for the checks. */
typedef struct lr_qa_measures {
    float ink;      /* lr_qa_ink of the binary page */
    float edge_ink; /* lr_qa_edge_ink of the binary page */
    lr_qa_edge edge;
    lr_qa_hash phash;          /* lr_qa_phash of the binary page */
    float residual_skew_deg;   /* skew left in the enhanced view page, searched within
                                  ±LR_QA_SKEW_RANGE_DEG; 0 when none was measured */
    float residual_skew_conf;  /* the estimator's confidence, 0 when none was measured */
    const char *orient_source; /* "osd", "lines", "ruling", "unsure" (lr_orient_source_name) or NULL
                                  when not known; set by the caller */
    float orient_conf;         /* the confidence of what decided the orientation; set by the
                                  caller */
} lr_qa_measures;

/* The measures of e (borrowed; view and binary of lr_enhance_page) at dpi. orient_source and
 * orient_conf are left for the caller (NULL, 0). */
int lr_qa_measure(const lr_enhanced *e, int dpi, lr_qa_measures *out, lr_error *err);

/* ---- checks ------------------------------------------------------------------------------ */

/* The bit-depth rule: whether a page of doc_type (a layout.h name, or NULL/"unknown") scanned
 * as colour ("bitonal", "grey", "rgb": lr_page_info.colour) is acceptable. Maps must be
 * colour (boundaries and parcel colours are coloured inks); every other document must be at
 * least grey (bitonal scans lose faded ink and stamps). *out_rule (may be NULL) gets the rule
 * in words, static. */
bool lr_qa_depth_ok(const char *doc_type, const char *colour, const char **out_rule);

/* One finding: a rule broken by one page. Strings owned by the list. */
typedef struct lr_qa_finding {
    char *path;     /* display form */
    char *path_raw; /* the path's bytes, for reading the file; NULL: path */
    int page;       /* 1-based; 0: the file as a whole */
    char *check;    /* "dpi", "depth", "blank", "duplicate", "near-duplicate", "skew",
                       "edge-cut", "orientation", "unreadable" */
    char *value;    /* measured */
    char *threshold;
    char *reason;
} lr_qa_finding;

typedef struct lr_qa_findings {
    lr_qa_finding *v;
    size_t n, cap;
    bool failed; /* out of memory while adding: the list is incomplete */
} lr_qa_findings;

/* Appends a finding (the strings are copied; path_raw may be NULL). */
void lr_qa_add(lr_qa_findings *list, const char *path, const char *path_raw, int page,
               const char *check, const char *value, const char *threshold, const char *reason);

void lr_qa_findings_free(lr_qa_findings *list);

/* Orders the findings by path (bytewise), page, then check. */
void lr_qa_findings_sort(lr_qa_findings *list);

/* What is known of one loaded page. Strings borrowed. A measure not known is NAN (floats)
 * or has its has_ flag false. */
typedef struct lr_qa_page {
    const char *path;     /* display form */
    const char *path_raw; /* bytes, or NULL */
    int page;
    bool failed;
    const char *error; /* failed pages */
    int dpi_x, dpi_y;
    bool dpi_assumed;
    int bits_per_sample, samples_per_pixel;
    const char *colour;   /* "bitonal", "grey", "rgb" or NULL */
    const char *doc_type; /* NULL when the page was loaded without records */
    int orientation;      /* clockwise degrees the pipeline turned the page (enhance.h) */
    float skew_deg;       /* the skew the pipeline measured in the page as scanned */
    bool skew_applied;
    bool has_measures;
    lr_qa_measures m;
} lr_qa_page;

/* Adds p's findings of the single-page checks (dpi, depth, blank, skew, edge-cut,
 * orientation, unreadable) to list. */
void lr_qa_check_page(const lr_qa_page *p, const lr_qa_thresholds *t, lr_qa_findings *list);

/* Adds a near-duplicate finding for each pair of pages of pages (n, in the order to report:
 * the later of a pair is the finding) whose hashes are at most t->phash_distance apart.
 * Pages without measures are left out. */
void lr_qa_check_near_duplicates(const lr_qa_page *pages, size_t n, const lr_qa_thresholds *t,
                                 lr_qa_findings *list);

/* One file a batch read: its content's SHA-256 and a path it was found under. */
typedef struct lr_qa_file {
    const char *sha256;
    const char *path;     /* display form */
    const char *path_raw; /* bytes, or NULL */
    int page_count;
} lr_qa_file;

/* Adds a duplicate finding for every page of each path whose content (SHA-256) was already
 * found under an earlier path of files (n, sorted by sha256 and then path). */
void lr_qa_check_duplicates(const lr_qa_file *files, size_t n, lr_qa_findings *list);

/* ---- reports ----------------------------------------------------------------------------- */

/* The findings as CSV (RFC 4180, a header line: page,path,check,value,threshold,reason).
 * LR_ERR_IO when writing fails. */
int lr_qa_write_csv(const lr_qa_findings *list, FILE *out, lr_error *err);

/* The findings as one HTML page: a table with a row per finding, each page's first row with
 * a thumbnail of the page as delivered (its file decoded again, LR_QA_THUMB_PX on the long
 * side, a JPEG in a data: URI so that the page is one file). A file that cannot be read gets
 * no thumbnail. title is escaped. LR_ERR_IO when writing fails. */
#define LR_QA_THUMB_PX 200
int lr_qa_write_html(const lr_qa_findings *list, const char *title, FILE *out, lr_error *err);

#endif
