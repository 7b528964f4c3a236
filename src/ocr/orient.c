/* orient.c — a page's orientation: OSD, and the text-line fallback when OSD is unsure (see
 * include/landrec/orient.h and docs/ocr.md, "Text-line fallback"). */
#include "landrec/orient.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "landrec/clock.h"
#include "landrec/enhance.h"
#include "landrec/image.h"
#include "landrec/log.h"
#include "landrec/runs.h"

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
    out_opts->ruling = true;
    out_opts->fallback = true;
}

const char *lr_orient_source_name(lr_orient_source source)
{
    switch (source) {
    case LR_ORIENT_OSD:
        return "osd";
    case LR_ORIENT_LINES:
        return "lines";
    case LR_ORIENT_RULING:
        return "ruling";
    case LR_ORIENT_UNSURE:
        break;
    }
    return "unsure";
}

static int nomem(lr_error *err, const char *what)
{
    return lr_error_set(err, LR_ERR_NOMEM, "out of memory in orientation detection (%s)", what);
}

PIX *ocr_text_pieces(PIX *bin, PIX *lines, int lo, int hi)
{
    PIX *text = NULL, *small = NULL, *out = NULL;
    /* A line found by opening is its straight core; its ragged edges go too. */
    if (pixDilateBrick(lines, lines, 3, 3) && (text = pixSubtract(NULL, bin, lines)) &&
        (small = pixSelectBySize(text, hi, hi, 8, L_SELECT_IF_BOTH, L_SELECT_IF_LTE, NULL)))
        out = pixSelectBySize(small, lo, lo, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
    pixDestroy(&text);
    pixDestroy(&small);
    return out;
}

/* Text without ruling lines: 1 bpp, ink pieces of glyph size only. */
static PIX *text_only(PIX *grey, int dpi)
{
    PIX *bin = NULL, *rules = NULL, *down = NULL, *out = NULL;
    int rule = ocr_mm_px(RULE_MIN_MM, dpi);
    if ((bin = pixConvertTo1Adaptive(grey)) && (rules = lr_pix_open_line_comp(bin, rule, false)) &&
        (down = lr_pix_open_line_comp(bin, rule, true)) && pixOr(rules, rules, down))
        out = ocr_text_pieces(bin, rules, ocr_mm_px(TEXT_MIN_MM, dpi), ocr_mm_px(TEXT_MAX_MM, dpi));
    pixDestroy(&bin);
    pixDestroy(&rules);
    pixDestroy(&down);
    return out;
}

/* Glyph blobs of text: pieces of a syllable joined, blobs of glyph size kept. */
static PIX *glyphs(PIX *text, int dpi)
{
    int c = ocr_mm_px(SYLLABLE_CLOSE_MM, dpi);
    int lo = ocr_mm_px(GLYPH_MIN_MM, dpi), hi = ocr_mm_px(GLYPH_MAX_MM, dpi);
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
    PIX *joined = lr_pix_close_line_safe(glyph, ocr_mm_px(LINE_GAP_MM, dpi), false);
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
    int lo = ocr_mm_px(LINE_MIN_MM, dpi), hi = ocr_mm_px(LINE_MAX_MM, dpi);
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
    int pad = ocr_mm_px(LINE_PAD_MM, dpi);
    int w = lb->w + 2 * pad, cap = ocr_mm_px(LINE_READ_MM, dpi);
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

/* One axis of the page (0: lines across; 90: lines down, read on the page turned clockwise by
 * 90): its text lines, longest first, and what they read as they are (the sense base) and
 * turned 180 (base + 180), for the first `read` of them. */
typedef struct axis_lines {
    int base;
    PIX *page; /* grey, turned by base, everything but the text painted white */
    line_box lines[LR_ORIENT_MAX_LINES];
    int n, read;
    float first[LR_ORIENT_MAX_LINES], second[LR_ORIENT_MAX_LINES];
} axis_lines;

static void axis_clear(axis_lines *ax)
{
    pixDestroy(&ax->page);
}

/* Finds the lines of axis base on det (grey), text and glyph (its masks); reads none yet. */
static int axis_find(PIX *det, PIX *text, PIX *glyph, int dpi, int base, axis_lines *ax,
                     lr_error *err)
{
    memset(ax, 0, sizeof *ax);
    ax->base = base;
    int rc = LR_OK;
    PIX *turned_glyph = base ? pixRotateOrth(glyph, 1) : pixClone(glyph);
    PIX *text_turned = base ? pixRotateOrth(text, 1) : pixClone(text);
    PIX *keep = text_turned ? pixDilateBrick(NULL, text_turned, 5, 5) : NULL;
    ax->page = base ? pixRotateOrth(det, 1) : pixCopy(NULL, det);
    pixDestroy(&text_turned);
    if (!turned_glyph || !keep || !ax->page) {
        rc = nomem(err, "turned page");
        goto done;
    }
    /* The grey page with everything but the text (and a margin of 2 pixels around it)
     * painted white: Tesseract reads the glyphs as they are, without rules across them. */
    pixInvert(keep, keep);
    pixSetMasked(ax->page, keep, 255);
    if ((ax->n = find_lines(turned_glyph, dpi, ax->lines, LR_ORIENT_MAX_LINES)) < 0) {
        ax->n = 0;
        rc = nomem(err, "text lines");
    }
done:
    pixDestroy(&turned_glyph);
    pixDestroy(&keep);
    return rc;
}

/* Reads the axis's lines up to the first upto (or all it has) both ways. */
static int axis_read(lr_ocr *ocr, axis_lines *ax, int dpi, int upto, lr_error *err)
{
    for (; ax->read < ax->n && ax->read < upto; ax->read++) {
        int i = ax->read, rc = read_both_ways(ocr, ax->page, dpi, &ax->lines[i], &ax->first[i],
                                              &ax->second[i], err);
        if (rc < 0)
            return rc;
    }
    return LR_OK;
}

/* A line's score for one sense, on the scale of OSD's confidence: the log of its mean word
 * confidence over LR_ORIENT_CONF_FLOOR, 0 when it reads no better than the floor. */
static double line_score(float conf)
{
    return conf > LR_ORIENT_CONF_FLOOR ? log((double)conf / LR_ORIENT_CONF_FLOOR) : 0.0;
}

/* The axis's score for its sense base (second false) or base + 180 (second true). */
static double axis_score(const axis_lines *ax, bool second)
{
    double s = 0;
    for (int i = 0; i < ax->read; i++)
        s += line_score(second ? ax->second[i] : ax->first[i]);
    return s;
}

/* The lines read of ax into out's votes and means (they are reported, not decisive). */
static void axis_report(const axis_lines *ax, lr_orientation *out)
{
    double sum_first = 0, sum_second = 0;
    out->votes_first = out->votes_second = 0;
    for (int i = 0; i < ax->read; i++) {
        float a = ax->first[i], b = ax->second[i];
        sum_first += a;
        sum_second += b;
        out->votes_first += a - b >= LR_ORIENT_VOTE_MARGIN;
        out->votes_second += b - a >= LR_ORIENT_VOTE_MARGIN;
    }
    out->mean_first = ax->read ? (float)(sum_first / ax->read) : 0.0f;
    out->mean_second = ax->read ? (float)(sum_second / ax->read) : 0.0f;
}

/* The orientations the axes read stand for, scored; the best of them, and its evidence: its
 * score less the next best's (OSD's confidence is the same difference over the glyphs it
 * classifies). With one axis only its two senses compete. Ties go to the earlier of 0, 90,
 * 180, 270. */
static int best_orientation(axis_lines *const *axes, int naxes, double *out_evidence,
                            const axis_lines **out_axis)
{
    double score[4] = {0};
    bool present[4] = {false};
    const axis_lines *of[4] = {NULL};
    for (int k = 0; k < naxes; k++) {
        int b = axes[k]->base / 90;
        score[b] = axis_score(axes[k], false);
        score[b + 2] = axis_score(axes[k], true);
        present[b] = present[b + 2] = true;
        of[b] = of[b + 2] = axes[k];
    }
    int best = -1, next = -1;
    for (int q = 0; q < 4; q++) {
        if (!present[q])
            continue;
        if (best < 0 || score[q] > score[best]) {
            next = best;
            best = q;
        } else if (next < 0 || score[q] > score[next]) {
            next = q;
        }
    }
    *out_evidence = best >= 0 && next >= 0 ? score[best] - score[next] : 0.0;
    *out_axis = best >= 0 ? of[best] : NULL;
    return best < 0 ? -1 : best * 90;
}

/* Reads the axes' lines, LR_ORIENT_FIRST_LINES of each and then, without a decision, up to
 * LR_ORIENT_MAX_LINES, and decides when the best orientation's evidence reaches
 * LR_OCR_MIN_ORIENT_CONF. Sets *out_deg to it, or -1; fills out's lines, votes, means and
 * evidence. */
static int weigh_axes(lr_ocr *ocr, axis_lines *const *axes, int naxes, int dpi, lr_orientation *out,
                      int *out_deg, lr_error *err)
{
    *out_deg = -1;
    const int stages[2] = {LR_ORIENT_FIRST_LINES, LR_ORIENT_MAX_LINES};
    for (int s = 0; s < 2; s++) {
        int before = 0, after = 0;
        for (int k = 0; k < naxes; k++) {
            before += axes[k]->read;
            int rc = axis_read(ocr, axes[k], dpi, stages[s], err);
            if (rc < 0)
                return rc;
            after += axes[k]->read;
        }
        if (s > 0 && after == before)
            break; /* no more lines: the verdict stands */
        double evidence = 0;
        const axis_lines *of = NULL;
        int deg = best_orientation(axes, naxes, &evidence, &of);
        out->lines = after;
        out->evidence = (float)evidence;
        if (of)
            axis_report(of, out);
        if (deg >= 0 && evidence >= LR_OCR_MIN_ORIENT_CONF) {
            *out_deg = deg;
            break;
        }
    }
    return LR_OK;
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
    out->mean_first = out->mean_second = out->evidence = 0.0f;
    axis_lines ax[2];
    memset(ax, 0, sizeof ax);

    if (!(text = text_only(det, dpi)) || !(glyph = glyphs(text, dpi))) {
        rc = nomem(err, "text mask");
        goto done;
    }
    if ((rc = count_neighbours(glyph, &out->across, &out->down, err)) < 0)
        goto done;
    int more = out->across > out->down ? out->across : out->down;
    int fewer = out->across > out->down ? out->down : out->across;
    if (more < LR_ORIENT_MIN_PAIRS) {
        lr_log_debug("orient: lines: too few glyphs with a neighbour (%d across, %d down)",
                     out->across, out->down);
        goto done;
    }
    /* Lines running down: the page turned clockwise by 90 has them across; the senses are
     * then 90 and 270. When neither kind of neighbour is twice the other (short labels
     * scattered over a map, a page in columns of vertical script), nothing says which axis
     * the lines run along: the lines of both axes are read and all four orientations
     * compete. */
    bool clear = more >= LR_ORIENT_DIR_RATIO * fewer;
    int naxes = clear ? 1 : 2;
    if ((rc = axis_find(det, text, glyph, dpi, clear && out->down > out->across ? 90 : 0, &ax[0],
                        err)) < 0 ||
        (!clear && (rc = axis_find(det, text, glyph, dpi, 90, &ax[1], err)) < 0))
        goto done;
    axis_lines *axes[2] = {&ax[0], &ax[1]};
    int deg = -1;
    if ((rc = weigh_axes(ocr, axes, naxes, dpi, out, &deg, err)) < 0)
        goto done;
    lr_log_debug("orient: lines: %d across, %d down, %s; %d lines read, evidence %.2f (needs "
                 "%.1f), votes %d:%d, means %.1f:%.1f: %s",
                 out->across, out->down, clear ? "one axis" : "unclear: both axes", out->lines,
                 (double)out->evidence, (double)LR_OCR_MIN_ORIENT_CONF, out->votes_first,
                 out->votes_second, (double)out->mean_first, (double)out->mean_second,
                 deg < 0 ? "unsure" : (deg ? "turn" : "upright"));
    if (deg >= 0) {
        out->deg = deg;
        out->source = LR_ORIENT_LINES;
    }
done:
    axis_clear(&ax[0]);
    axis_clear(&ax[1]);
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
    out->osd_ms = lr_clock_ms() - t0;
    int deg = 0;
    float conf = 0;
    int rc = LR_OK;
    /* A ruled table that tells the orientation on its own spares OSD and the fallback. */
    if (opts->ruling && det_dpi >= LR_IMAGE_MIN_DPI) {
        rc = lr_orient_read_ruling(det, det_dpi, out, err);
        if (rc < 0 || out->source == LR_ORIENT_RULING)
            goto done;
    }
    t0 = lr_clock_ms();
    rc = lr_ocr_detect_orientation(ocr, det, det_dpi, &deg, &conf, err);
    out->osd_ms += lr_clock_ms() - t0;
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
