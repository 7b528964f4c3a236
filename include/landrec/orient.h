/* orient.h — a page's orientation as `landrec run`, `landrec enhance` and `landrec eval` find
 * it: Tesseract OSD on a grey copy reduced to LR_OCR_OSD_DPI and, only when OSD is unsure
 * (confidence below LR_OCR_MIN_ORIENT_CONF), a fallback that reads the page's text lines
 * (docs/ocr.md, "Text-line fallback"):
 *
 *   1. direction: on a copy without ruling lines, each glyph's nearest neighbour is beside it
 *      (lines of text run across: the page is at 0 or 180) or above or below it (90 or 270).
 *      Unless one kind outnumbers the other LR_ORIENT_DIR_RATIO times and counts at least
 *      LR_ORIENT_MIN_PAIRS, the page is left as it is.
 *   2. sense: the LR_ORIENT_FIRST_LINES longest text lines, each read as one line (psm 7) in
 *      both senses of that direction. A line votes for a sense when its mean word confidence
 *      there is LR_ORIENT_VOTE_MARGIN points higher. A sense wins with at least
 *      LR_ORIENT_MIN_VOTES votes, twice the other sense's, and a lead in mean confidence over
 *      the lines read of LR_ORIENT_MEAN_MARGIN points. Without a winner, the next longest
 *      lines up to LR_ORIENT_MAX_LINES in all are read and the rule applied to all of them;
 *      still without a winner, the page is left as it is.
 *
 * For a page whose lines run across, the choice is between leaving it (0) and 180: 90 and
 * 270 are never chosen there.
 *
 * The fallback also checks a turn OSD is sure of but below LR_ORIENT_CHECK_CONF: when it
 * decides, its answer replaces OSD's; when it is unsure, OSD's stays. (OSD's wrong answers
 * at 150 dpi on the synthetic sheets scored up to 7.1, all 9 of them turns.)
 *
 * The rule was set on 800 synthetic pages (200 of them OSD-unsure) and checked on the
 * corpora of docs/ocr.md, where it turned no upright page.
 */
#ifndef LANDREC_ORIENT_H
#define LANDREC_ORIENT_H

#include <stdbool.h>

#include "landrec/error.h"
#include "landrec/ocr.h"

struct Pix;

/* Names the fallback and its rule in the run's settings: change it when the rule changes. */
#define LR_ORIENT_FALLBACK "textlines.v1"

/* The rule's constants, as described above. */
#define LR_ORIENT_DIR_RATIO 2
#define LR_ORIENT_MIN_PAIRS 15
#define LR_ORIENT_FIRST_LINES 8
#define LR_ORIENT_MAX_LINES 16
#define LR_ORIENT_VOTE_MARGIN 10.0f
#define LR_ORIENT_MIN_VOTES 3
#define LR_ORIENT_MEAN_MARGIN 10.0f
#define LR_ORIENT_CHECK_CONF 8.0f

typedef struct lr_orient_options {
    bool fallback; /* read the text lines when OSD is unsure or turns below
                      LR_ORIENT_CHECK_CONF (default true) */
} lr_orient_options;

void lr_orient_options_default(lr_orient_options *out_opts);

typedef enum lr_orient_source {
    LR_ORIENT_UNSURE = 0, /* neither OSD nor the fallback was sure: deg is 0 */
    LR_ORIENT_OSD,        /* OSD's answer, confidence at least LR_OCR_MIN_ORIENT_CONF (a
                             turn below LR_ORIENT_CHECK_CONF the fallback could not check) */
    LR_ORIENT_LINES,      /* the text-line fallback's answer (deg may be 0) */
} lr_orient_source;

typedef struct lr_orientation {
    int deg;                 /* clockwise degrees 0/90/180/270 to turn the page upright */
    lr_orient_source source; /* what decided deg */
    float osd_conf;          /* Tesseract's OSD confidence (0 when it found too little text) */
    int osd_deg;             /* OSD's answer, trusted or not (with osd_conf > 0): when the
                                fallback cannot tell lines across from lines down, the axis
                                of this answer is the one whose two senses its lines weigh */
    /* The fallback, when it ran (fallback_ran): */
    bool fallback_ran;
    int across, down;              /* glyphs whose nearest neighbour is beside / above or below */
    int lines;                     /* text lines read */
    int votes_first, votes_second; /* lines for the sense 0 (or 90) / 180 (or 270) */
    float mean_first, mean_second; /* their mean word confidences over the lines read */
    double osd_ms;                 /* reduction and OSD */
    double fallback_ms;            /* the fallback (0 when it did not run) */
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

/* "osd" / "lines" / "unsure" — static. */
const char *lr_orient_source_name(lr_orient_source source);

#endif
