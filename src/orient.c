/* orient.c — a page's orientation: OSD, and the text-line fallback when OSD is unsure (see
 * include/landrec/orient.h and docs/ocr.md, "Text-line fallback"). */
#include "landrec/orient.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/clock.h"
#include "landrec/enhance.h"
#include "landrec/image.h"
#include "landrec/log.h"

/* Ruling lines: straight runs at least this long, horizontal or vertical, are taken out. */
#define RULE_MIN_MM 12.0
/* Ink pieces kept as text: no side above TEXT_MAX_MM (frames, stamps, map parcels), not both
 * below TEXT_MIN_MM (specks). */
#define TEXT_MIN_MM 0.5
#define TEXT_MAX_MM 12.0
/* A Hangul syllable is several pieces (ㅌ over ㅗ, ㅈ beside ㅣ): closing by this much makes
 * one blob of each before neighbours are looked at. */
#define SYLLABLE_CLOSE_MM 0.8
/* Blobs counted as glyphs: at least GLYPH_MIN_MM on one side, at most GLYPH_MAX_MM on both. */
#define GLYPH_MIN_MM 1.2
#define GLYPH_MAX_MM 10.0
/* A neighbour counts when the gap to it is at most this many times the glyph's size. */
#define NEIGHBOUR_GAP 1.5
/* More glyph blobs than this is no page of text (noise, a halftone): no direction. */
#define MAX_GLYPHS 8000
/* Text lines: glyphs joined across gaps up to LINE_GAP_MM; kept when LINE_MIN_MM …
 * LINE_MAX_MM high and at least 1.5 times as long as high. A line is read over at most
 * LINE_READ_MM of its length (a bound on the cost). */
#define LINE_GAP_MM 2.5
#define LINE_MIN_MM 1.5
#define LINE_MAX_MM 9.0
#define LINE_READ_MM 80.0
#define LINE_PAD_MM 0.6
/* White margin around a line handed to Tesseract, in pixels. */
#define READ_BORDER 10

void lr_orient_options_default(lr_orient_options *out_opts)
{
    if (!out_opts)
        return;
    memset(out_opts, 0, sizeof *out_opts);
    out_opts->fallback = true;
}

const char *lr_orient_source_name(lr_orient_source source)
{
    switch (source) {
    case LR_ORIENT_OSD:
        return "osd";
    case LR_ORIENT_LINES:
        return "lines";
    case LR_ORIENT_UNSURE:
        break;
    }
    return "unsure";
}

static int mm_px(double mm, int dpi)
{
    int v = (int)lround(mm * dpi / 25.4);
    return v < 1 ? 1 : v;
}

static int nomem(lr_error *err, const char *what)
{
    return lr_error_set(err, LR_ERR_NOMEM, "out of memory in orientation detection (%s)", what);
}

/* Text without ruling lines: 1 bpp, ink pieces of glyph size only. */
static PIX *text_only(PIX *grey, int dpi)
{
    PIX *bin = NULL, *rules = NULL, *down = NULL, *text = NULL, *small = NULL, *out = NULL;
    int rule = mm_px(RULE_MIN_MM, dpi);
    int lo = mm_px(TEXT_MIN_MM, dpi), hi = mm_px(TEXT_MAX_MM, dpi);
    if (!(bin = pixConvertTo1Adaptive(grey)))
        goto done;
    if (!(rules = pixOpenCompBrick(NULL, bin, rule, 1)) ||
        !(down = pixOpenCompBrick(NULL, bin, 1, rule)))
        goto done;
    pixOr(rules, rules, down);
    /* The opening keeps a rule's straight core; its ragged edges go too. */
    if (!pixDilateBrick(rules, rules, 3, 3) || !(text = pixSubtract(NULL, bin, rules)))
        goto done;
    if (!(small = pixSelectBySize(text, hi, hi, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL)))
        goto done;
    out = pixSelectBySize(small, lo, lo, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
done:
    pixDestroy(&bin);
    pixDestroy(&rules);
    pixDestroy(&down);
    pixDestroy(&text);
    pixDestroy(&small);
    return out;
}

/* Glyph blobs of text: pieces of a syllable joined, blobs of glyph size kept. */
static PIX *glyphs(PIX *text, int dpi)
{
    int c = mm_px(SYLLABLE_CLOSE_MM, dpi);
    int lo = mm_px(GLYPH_MIN_MM, dpi), hi = mm_px(GLYPH_MAX_MM, dpi);
    PIX *closed = pixCloseSafeBrick(NULL, text, c, c);
    if (!closed)
        return NULL;
    PIX *small = pixSelectBySize(closed, hi, hi, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL);
    pixDestroy(&closed);
    if (!small)
        return NULL;
    PIX *out = pixSelectBySize(small, lo, lo, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
    pixDestroy(&small);
    return out;
}

static int overlap(int a0, int a1, int b0, int b1)
{
    return (a1 < b1 ? a1 : b1) - (a0 > b0 ? a0 : b0);
}

/* For each glyph, its nearest neighbour: beside it (overlapping rows, a gap across) or above
 * or below it (overlapping columns), counted when the gap is at most NEIGHBOUR_GAP times the
 * glyph's size. */
static int count_neighbours(PIX *glyph, int *out_across, int *out_down, lr_error *err)
{
    *out_across = *out_down = 0;
    BOXA *boxa = pixConnComp(glyph, NULL, 8);
    if (!boxa)
        return nomem(err, "pixConnComp");
    int n = boxaGetCount(boxa);
    if (n > MAX_GLYPHS) {
        lr_log_debug("orient: %d glyph blobs, too many for text: no direction", n);
        boxaDestroy(&boxa);
        return LR_OK;
    }
    int *x0 = malloc((size_t)(n + 1) * 4 * sizeof *x0);
    if (!x0) {
        boxaDestroy(&boxa);
        return nomem(err, "glyph boxes");
    }
    int *y0 = x0 + n + 1, *x1 = y0 + n + 1, *y1 = x1 + n + 1;
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
        x0[i] = x;
        y0[i] = y;
        x1[i] = x + w;
        y1[i] = y + h;
    }
    boxaDestroy(&boxa);
    for (int i = 0; i < n; i++) {
        int wi = x1[i] - x0[i], hi = y1[i] - y0[i];
        int size = wi > hi ? wi : hi;
        int best = -1, kind = 0;
        for (int j = 0; j < n; j++) {
            if (j == i)
                continue;
            int wj = x1[j] - x0[j], hj = y1[j] - y0[j];
            int oy = overlap(y0[i], y1[i], y0[j], y1[j]);
            int ox = overlap(x0[i], x1[i], x0[j], x1[j]);
            int minh = hi < hj ? hi : hj, minw = wi < wj ? wi : wj;
            if (oy >= minh / 2 && ox < 0) {
                if (best < 0 || -ox < best) {
                    best = -ox;
                    kind = 1;
                }
            } else if (ox >= minw / 2 && oy < 0) {
                if (best < 0 || -oy < best) {
                    best = -oy;
                    kind = 2;
                }
            }
        }
        if (best >= 0 && best <= NEIGHBOUR_GAP * size) {
            if (kind == 1)
                (*out_across)++;
            else
                (*out_down)++;
        }
    }
    free(x0);
    return LR_OK;
}

typedef struct line_box {
    int x, y, w, h;
} line_box;

/* Longest first; then top to bottom, left to right, so the order does not depend on qsort. */
static int by_length(const void *pa, const void *pb)
{
    const line_box *a = pa, *b = pb;
    if (a->w != b->w)
        return a->w > b->w ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return (a->x > b->x) - (a->x < b->x);
}

/* The longest lines of text running across glyph (at most max), into out; their count. */
static int find_lines(PIX *glyph, int dpi, line_box *out, int max)
{
    PIX *joined = pixCloseSafeBrick(NULL, glyph, mm_px(LINE_GAP_MM, dpi), 1);
    if (!joined)
        return -1;
    BOXA *boxa = pixConnComp(joined, NULL, 8);
    pixDestroy(&joined);
    if (!boxa)
        return -1;
    int n = boxaGetCount(boxa), m = 0;
    line_box *all = malloc((size_t)(n + 1) * sizeof *all);
    if (!all) {
        boxaDestroy(&boxa);
        return -1;
    }
    int lo = mm_px(LINE_MIN_MM, dpi), hi = mm_px(LINE_MAX_MM, dpi);
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
        if (h < lo || h > hi || 2 * w < 3 * h)
            continue;
        all[m++] = (line_box){x, y, w, h};
    }
    boxaDestroy(&boxa);
    qsort(all, (size_t)m, sizeof *all, by_length);
    if (m > max)
        m = max;
    memcpy(out, all, (size_t)m * sizeof *all);
    free(all);
    return m;
}

/* Mean word confidence of one line of page (grey, text only) read as it is and turned 180. */
static int read_both_ways(lr_ocr *ocr, PIX *page, int dpi, const line_box *lb, float *out_first,
                          float *out_second, lr_error *err)
{
    int pad = mm_px(LINE_PAD_MM, dpi);
    int w = lb->w + 2 * pad, cap = mm_px(LINE_READ_MM, dpi);
    BOX *box = boxCreate(lb->x - pad, lb->y - pad, w < cap ? w : cap, lb->h + 2 * pad);
    PIX *crop = box ? pixClipRectangle(page, box, NULL) : NULL;
    boxDestroy(&box);
    PIX *first = crop ? pixAddBorder(crop, READ_BORDER, 255) : NULL;
    PIX *second = first ? pixRotate180(NULL, first) : NULL;
    pixDestroy(&crop);
    int rc = LR_OK;
    if (!second)
        rc = nomem(err, "line crop");
    if (rc == LR_OK)
        rc = lr_ocr_line_confidence(ocr, first, dpi, out_first, NULL, err);
    if (rc == LR_OK)
        rc = lr_ocr_line_confidence(ocr, second, dpi, out_second, NULL, err);
    pixDestroy(&first);
    pixDestroy(&second);
    return rc;
}

/* Whether the votes and means name a winner: at least LR_ORIENT_MIN_VOTES, twice the other
 * side's, and a lead in the mean. */
static bool wins(int votes, int other_votes, float mean, float other_mean)
{
    return votes >= LR_ORIENT_MIN_VOTES && votes >= 2 * other_votes &&
           mean - other_mean >= LR_ORIENT_MEAN_MARGIN;
}

/* The lines of the axis base (0: lines across; 90: lines down, read on the page turned by
 * 90) vote between its two senses. Sets *out_deg to the winner, or -1. */
static int vote_axis(lr_ocr *ocr, PIX *det, PIX *text, PIX *glyph, int dpi, int base,
                     lr_orientation *out, int *out_deg, lr_error *err)
{
    *out_deg = -1;
    int rc = LR_OK;
    PIX *turned_grey = base ? pixRotateOrth(det, 1) : pixClone(det);
    PIX *turned_glyph = base ? pixRotateOrth(glyph, 1) : pixClone(glyph);
    PIX *text_turned = base ? pixRotateOrth(text, 1) : pixClone(text);
    PIX *keep = text_turned ? pixDilateBrick(NULL, text_turned, 5, 5) : NULL;
    PIX *page = turned_grey ? pixCopy(NULL, turned_grey) : NULL;
    pixDestroy(&text_turned);
    if (!turned_grey || !turned_glyph || !keep || !page) {
        rc = nomem(err, "turned page");
        goto done;
    }
    /* The grey page with everything but the text (and a margin of 2 pixels around it)
     * painted white: Tesseract reads the glyphs as they are, without rules across them. */
    pixInvert(keep, keep);
    pixSetMasked(page, keep, 255);

    line_box lines[LR_ORIENT_MAX_LINES];
    int n = find_lines(turned_glyph, dpi, lines, LR_ORIENT_MAX_LINES);
    if (n < 0) {
        rc = nomem(err, "text lines");
        goto done;
    }
    /* The first LR_ORIENT_FIRST_LINES lines; the others only when those name no winner. */
    double sum_first = 0, sum_second = 0;
    out->lines = out->votes_first = out->votes_second = 0;
    for (int i = 0; i < n; i++) {
        float a = 0, b = 0;
        if ((rc = read_both_ways(ocr, page, dpi, &lines[i], &a, &b, err)) < 0)
            goto done;
        sum_first += a;
        sum_second += b;
        out->votes_first += a - b >= LR_ORIENT_VOTE_MARGIN;
        out->votes_second += b - a >= LR_ORIENT_VOTE_MARGIN;
        out->lines = i + 1;
        out->mean_first = (float)(sum_first / out->lines);
        out->mean_second = (float)(sum_second / out->lines);
        if (out->lines != LR_ORIENT_FIRST_LINES && out->lines != n)
            continue;
        if (wins(out->votes_second, out->votes_first, out->mean_second, out->mean_first))
            *out_deg = base + 180;
        else if (wins(out->votes_first, out->votes_second, out->mean_first, out->mean_second))
            *out_deg = base;
        if (*out_deg >= 0)
            break;
    }
    lr_log_debug("orient: lines: %d across, %d down; %d lines, votes %d:%d for %d:%d, means "
                 "%.1f:%.1f: %s",
                 out->across, out->down, out->lines, out->votes_first, out->votes_second, base,
                 base + 180, (double)out->mean_first, (double)out->mean_second,
                 *out_deg >= 0 ? (*out_deg ? "turn" : "upright") : "unsure");
done:
    pixDestroy(&turned_grey);
    pixDestroy(&turned_glyph);
    pixDestroy(&keep);
    pixDestroy(&page);
    return rc;
}

int lr_orient_read_lines(lr_ocr *ocr, PIX *det, int dpi, lr_orientation *out, lr_error *err)
{
    if (!ocr || !det || !out)
        return lr_error_set(err, LR_ERR_ARG, "lr_orient_read_lines: NULL argument");
    if (pixGetDepth(det) != 8)
        return lr_error_set(err, LR_ERR_ARG, "the orientation fallback needs an 8 bpp page");
    if (dpi < LR_IMAGE_MIN_DPI || dpi > LR_IMAGE_MAX_DPI)
        return lr_error_set(err, LR_ERR_ARG, "invalid resolution %d dpi", dpi);
    double t0 = lr_clock_ms();
    int rc = LR_OK;
    PIX *text = NULL, *glyph = NULL;
    out->fallback_ran = true;
    out->across = out->down = out->lines = 0;
    out->votes_first = out->votes_second = 0;
    out->mean_first = out->mean_second = 0.0f;

    if (!(text = text_only(det, dpi)) || !(glyph = glyphs(text, dpi))) {
        rc = nomem(err, "text mask");
        goto done;
    }
    if ((rc = count_neighbours(glyph, &out->across, &out->down, err)) < 0)
        goto done;
    int more = out->across > out->down ? out->across : out->down;
    int fewer = out->across > out->down ? out->down : out->across;
    /* Lines running down: the page turned clockwise by 90 has them across; the senses are
     * then 90 and 270. */
    int axes[2] = {out->down > out->across ? 90 : 0, -1};
    if (more < LR_ORIENT_MIN_PAIRS || more < LR_ORIENT_DIR_RATIO * fewer) {
        /* Short labels scattered over a map give no clear direction. OSD's answer, unsure as
         * it is, still names an axis: its lines are weighed first, then the other axis's;
         * either decides only by a clear vote. */
        if (more < LR_ORIENT_MIN_PAIRS || out->osd_conf <= 0.0f) {
            lr_log_debug("orient: lines: direction unclear (%d across, %d down)", out->across,
                         out->down);
            goto done;
        }
        axes[0] = out->osd_deg % 180 == 90 ? 90 : 0;
        axes[1] = 90 - axes[0];
        lr_log_debug("orient: lines: direction unclear (%d across, %d down), OSD's axis %d first",
                     out->across, out->down, axes[0]);
    }
    int deg = -1;
    for (int k = 0; k < 2 && axes[k] >= 0 && deg < 0; k++)
        if ((rc = vote_axis(ocr, det, text, glyph, dpi, axes[k], out, &deg, err)) < 0)
            goto done;
    if (deg >= 0) {
        out->deg = deg;
        out->source = LR_ORIENT_LINES;
    }
done:
    pixDestroy(&text);
    pixDestroy(&glyph);
    out->fallback_ms = lr_clock_ms() - t0;
    return rc;
}

int lr_orient_detect(lr_ocr *ocr, PIX *page, int dpi, const lr_orient_options *opts,
                     lr_orientation *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!ocr || !page || !out)
        return lr_error_set(err, LR_ERR_ARG, "lr_orient_detect: NULL argument");
    if (dpi <= 0)
        return lr_error_set(err, LR_ERR_ARG, "invalid resolution %d dpi", dpi);
    lr_orient_options defaults;
    lr_orient_options_default(&defaults);
    if (!opts)
        opts = &defaults;

    double t0 = lr_clock_ms();
    PIX *det = lr_enhance_for_detection(page, dpi, LR_OCR_OSD_DPI);
    if (!det)
        return lr_error_set(err, LR_ERR_NOMEM, "could not reduce the page for orientation");
    /* Pages below the detection resolution are not enlarged. */
    int det_dpi = dpi < LR_OCR_OSD_DPI ? dpi : LR_OCR_OSD_DPI;
    int deg = 0;
    float conf = 0;
    int rc = lr_ocr_detect_orientation(ocr, det, det_dpi, &deg, &conf, err);
    out->osd_ms = lr_clock_ms() - t0;
    if (rc < 0)
        goto done;
    out->osd_conf = conf;
    out->osd_deg = deg;
    if (conf >= LR_OCR_MIN_ORIENT_CONF) {
        out->deg = deg;
        out->source = LR_ORIENT_OSD;
    }
    /* Unsure: the fallback decides or the page is left. A turn OSD is only a little sure of
     * is checked: the fallback's answer, when it has one, replaces OSD's. */
    bool check = out->source == LR_ORIENT_OSD && deg != 0 && conf < LR_ORIENT_CHECK_CONF;
    /* (Below LR_IMAGE_MIN_DPI, which ingest never hands on, the fallback's sizes mean
     * nothing: OSD's answer stands.) */
    if (opts->fallback && det_dpi >= LR_IMAGE_MIN_DPI && (out->source == LR_ORIENT_UNSURE || check))
        rc = lr_orient_read_lines(ocr, det, det_dpi, out, err);
    if (check && rc == LR_OK && out->deg != deg)
        lr_log_debug("orient: OSD's %d (conf %.2f) replaced by the text lines' %d", deg,
                     (double)conf, out->deg);
done:
    pixDestroy(&det);
    return rc;
}
