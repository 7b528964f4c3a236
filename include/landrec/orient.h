/* orient.h — a page's orientation as `landrec run`, `landrec enhance` and `landrec eval` find
 * it, on a grey copy reduced to LR_OCR_OSD_DPI: first the page's ruled table, which decides a
 * ledger without Tesseract; when it does not decide, Tesseract OSD and, only when OSD is
 * unsure (confidence below LR_OCR_MIN_ORIENT_CONF), a fallback that reads the page's text
 * lines.
 *
 * The ruled table (src/ocr/ruling.c; docs/ocr.md, "The ruled table, before OSD"): straight
 * lines at least 25 mm long, found on the copy thickened across them so that a skew of a few
 * degrees keeps each one piece. A ledger's rows run the table's full length and its columns
 * do not, so the axis is the one with at least LR_ORIENT_RULE_MIN_FULL lines of (nearly) the
 * longest line's length and LR_ORIENT_RULE_AXIS_RATIO times as many as the other. Then, the
 * line centres unskewed by the rows' own slope, two signs of the form's top-left corner, each
 * an imbalance between the two ends of the table: the narrow column of the block labels
 * ruled close to one side (lines within 1.2-10 % of the table's width from it over at least
 * 35 % of its height), and the title's ink above the first row against the ink below the
 * last. Both must point the same way, each outweighing its mirror
 * LR_ORIENT_RULE_SENSE_RATIO times, or nothing is decided and OSD runs as before. A table
 * that is not a ledger's (a grid, a music score's staves, ruled writing paper) lacks one of
 * the signs. On the real pages of ../shared/realdata it decides nothing; on the synthetic
 * sheets it decides most ledgers in 20-40 ms where OSD takes about 300, and has not been
 * wrong (tests/ocr/test_ruling.c, test_orient_real.c).
 *
 * The text-line fallback (docs/ocr.md, "Text-line fallback"):
 *
 *   1. direction: on a copy without ruling lines, each glyph's nearest neighbour is beside it
 *      (lines of text run across: the page is at 0 or 180) or above or below it (90 or 270).
 *      With fewer than LR_ORIENT_MIN_PAIRS of the more frequent kind the page is left as it is.
 *      When one kind outnumbers the other LR_ORIENT_DIR_RATIO times, its axis is read (two
 *      senses compete); otherwise the direction is unclear and both axes are read (all four
 *      orientations compete).
 *   2. evidence: the LR_ORIENT_FIRST_LINES longest text lines of each axis read, each as one
 *      line (psm 7) both ways up. A line's score for a sense is ln(c / LR_ORIENT_CONF_FLOOR),
 *      c its mean word confidence there, 0 when c is at most the floor; an orientation's score
 *      is the sum over the lines of its axis. The evidence for the best orientation is its
 *      score less the next best's — the form of Tesseract's OSD confidence (the sum over the
 *      glyphs it classifies of the log of each orientation's score, best less second), on
 *      the same scale. The fallback decides only when the evidence reaches
 *      LR_OCR_MIN_ORIENT_CONF, OSD's own threshold. Without a decision the next longest lines
 *      are read, up to LR_ORIENT_MAX_LINES of each axis, and the rule applied to all of them;
 *      still without one, the page is left as it is.
 *
 * For a page whose lines run across clearly, the choice is between leaving it (0) and 180:
 * 90 and 270 are never chosen there.
 *
 * The fallback also checks a turn OSD is sure of but below LR_ORIENT_CHECK_CONF: when it
 * decides, its answer replaces OSD's; when it is unsure, OSD's stays. (OSD's wrong answers
 * at 150 dpi on the synthetic sheets scored up to 7.1, all 9 of them turns.)
 *
 * The floor was set on 216 synthetic pages turned four ways (docs/ocr.md): the lowest at which
 * lines read along the wrong axis (they hold no upright line of text either way) reach the
 * threshold no more often than OSD's answers at its threshold are wrong on the same pages.
 * Checked on the synthetic corpora of docs/ocr.md and on the real pages of
 * ../shared/realdata, where neither lr_orient_detect nor the fallback alone turns an upright
 * page (tests/ocr/test_orient_real.c).
 *
 * Owns: nothing beyond a call: the reduced copies it reads are freed before it returns.
 * Borrows: the caller's lr_ocr (its OSD and page models), the enhance stage's reductions.
 * The ruled table needs no lr_ocr (lr_orient_read_ruling).
 */
#ifndef LANDREC_ORIENT_H
#define LANDREC_ORIENT_H

#include <stdbool.h>

#include "landrec/error.h"
#include "landrec/ocr.h"

struct Pix;

/* Name the ruled table's rule and the fallback's in the run's settings: change one when its
 * rule changes. */
#define LR_ORIENT_RULING_RULE "ruling.v1"
#define LR_ORIENT_FALLBACK "textlines.v2"

/* The rule's constants, as described above. */
#define LR_ORIENT_DIR_RATIO 2
#define LR_ORIENT_MIN_PAIRS 15
#define LR_ORIENT_FIRST_LINES 8
#define LR_ORIENT_MAX_LINES 16
#define LR_ORIENT_CONF_FLOOR 36.0f
#define LR_ORIENT_CHECK_CONF 8.0f
/* Reported only: a line votes for a sense when it reads this many points better there. */
#define LR_ORIENT_VOTE_MARGIN 10.0f
/* The ruled table's rule (docs/ocr.md, "The ruled table"): at least LR_ORIENT_RULE_MIN_FULL
 * lines run the table's full length along one axis, LR_ORIENT_RULE_AXIS_RATIO times as many
 * as along the other; each sign of the sense outweighs its mirror LR_ORIENT_RULE_SENSE_RATIO
 * times. */
#define LR_ORIENT_RULE_MIN_FULL 8
#define LR_ORIENT_RULE_AXIS_RATIO 3
#define LR_ORIENT_RULE_SENSE_RATIO 4.0

typedef struct lr_orient_options {
    bool ruling;   /* read the ruled table before OSD (default true) */
    bool fallback; /* read the text lines when OSD is unsure or turns below
                      LR_ORIENT_CHECK_CONF (default true) */
} lr_orient_options;

void lr_orient_options_default(lr_orient_options *out_opts);

typedef enum lr_orient_source {
    LR_ORIENT_UNSURE = 0, /* neither OSD nor the fallback was sure: deg is 0 */
    LR_ORIENT_OSD,        /* OSD's answer, confidence at least LR_OCR_MIN_ORIENT_CONF (a
                             turn below LR_ORIENT_CHECK_CONF the fallback could not check) */
    LR_ORIENT_LINES,      /* the text-line fallback's answer (deg may be 0) */
    LR_ORIENT_RULING,     /* the ruled table's answer: OSD did not run (deg may be 0) */
} lr_orient_source;

typedef struct lr_orientation {
    int deg;                 /* clockwise degrees 0/90/180/270 to turn the page upright */
    lr_orient_source source; /* what decided deg */
    float osd_conf;          /* Tesseract's OSD confidence (0 when it found too little text) */
    int osd_deg;             /* OSD's answer as lr_ocr_detect_orientation reports it (0
                                when below LR_OCR_MIN_ORIENT_CONF) */
    /* The fallback, when it ran (fallback_ran): */
    bool fallback_ran;
    int across, down; /* glyphs whose nearest neighbour is beside / above or below */
    int lines;        /* text lines read (of both axes when the direction was
                         unclear) */
    float evidence;   /* the best orientation's score less the next best's, on
                         OSD's scale: it decided when >= LR_OCR_MIN_ORIENT_CONF */
    /* Of the lines of the best orientation's axis, for the reader (they decide nothing): */
    int votes_first, votes_second; /* lines reading LR_ORIENT_VOTE_MARGIN better in the sense
                                      0 (or 90) / 180 (or 270) */
    float mean_first, mean_second; /* their mean word confidences over the lines read */
    /* The ruled table, when it was read (ruling_ran): */
    bool ruling_ran;
    int rows_full, cols_full;        /* lines running the table's full length along the axis
                                        with more of them / the other */
    float label_first, label_second; /* the block labels' ruling beside the first / second
                                        side (left of the rows-across page, then right), as
                                        shares of the table's height */
    float title_first, title_second; /* ink share above the table / below it */
    float ruling_conf;               /* when it decided: on OSD's scale, LR_OCR_MIN_ORIENT_CONF
                                        when the weakest sign just passes */
    double ruling_ms;                /* the ruling (0 when it did not run) */
    double osd_ms;                   /* reduction and OSD (reduction only when the ruling
                                        decided) */
    double fallback_ms;              /* the fallback (0 when it did not run) */
} lr_orientation;

/* The orientation of page (borrowed, never modified; any depth) at dpi (its resolution):
 * reduces it with lr_enhance_for_detection, runs lr_ocr_detect_orientation and, when OSD is
 * unsure or turns with a confidence below LR_ORIENT_CHECK_CONF and opts->fallback is set,
 * lr_orient_read_lines on the same reduced copy. opts may be NULL for the defaults.
 * Fills *out (zeroed first). The lr_ocr must have been made with options.orientation
 * (LR_ERR_ARG otherwise). A page without text is not an error: deg 0, source UNSURE. */
int lr_orient_detect(lr_ocr *ocr, struct Pix *page, int dpi, const lr_orient_options *opts,
                     lr_orientation *out, lr_error *err);

/* The text-line fallback alone, on det (borrowed; 8 bpp grey as lr_enhance_for_detection
 * makes it, about LR_OCR_OSD_DPI) at dpi. Sets out->fallback_ran and the fallback's fields;
 * out->deg and out->source are set only when it decides (source LINES), else left as they
 * are. Uses ocr's text models (lr_ocr_line_confidence). */
int lr_orient_read_lines(lr_ocr *ocr, struct Pix *det, int dpi, lr_orientation *out, lr_error *err);

/* The ruled table alone, on det (borrowed; 8 bpp grey as lr_enhance_for_detection makes it)
 * at dpi: no Tesseract. Sets out->ruling_ran and the ruling's fields; out->deg and
 * out->source are set only when it decides (source RULING), else left as they are. */
int lr_orient_read_ruling(struct Pix *det, int dpi, lr_orientation *out, lr_error *err);

/* "osd" / "lines" / "ruling" / "unsure" — static. */
const char *lr_orient_source_name(lr_orient_source source);

#endif
