/* ruling.c — a page's orientation from its ruled table, before OSD (see include/landrec/orient.h
 * and docs/ocr.md, "The ruled table, before OSD"). No Tesseract: morphology on the reduced
 * grey copy OSD would read.
 *
 *   axis:  a ledger's rows are ruled across the whole table, its columns only through their
 *          blocks: the lines that run (nearly) the table's full length lie along the rows. The
 *          axis is the one with at least LR_ORIENT_RULE_MIN_FULL such lines and
 *          LR_ORIENT_RULE_AXIS_RATIO times as many as the other.
 *   sense: with the rows across (the page turned by 90 when they run down), and the line
 *          centres unskewed by the rows' slope, two signs of the form's top-left corner, each
 *          an imbalance between the two ends:
 *            - the block labels: a narrow column along one side of the table (土地ノ表示,
 *              所有者, 이동전), ruled by lines close to that side over much of the table;
 *            - the title: text above the table's first row, none (or far less) below its
 *              last.
 *          Both must point the same way, each by LR_ORIENT_RULE_SENSE_RATIO, or nothing is
 *          decided.
 *
 * Whatever is not decided goes on to OSD unchanged. */
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "landrec/clock.h"
#include "landrec/image.h"
#include "landrec/log.h"
#include "landrec/orient.h"
#include "landrec/runs.h"

/* A ruling line: a straight run of ink at least RULE_RUN_MM long on the page thickened by
 * RULE_THICKEN_PX across it (a line skewed by a few degrees steps from one pixel row to the
 * next; thickened it stays one run over its steps), its pieces joined over gaps up to
 * RULE_GAP_MM, kept when the whole is at least RULE_MIN_MM long. Characters have no straight
 * stroke that long. */
#define RULE_RUN_MM 6.0
#define RULE_THICKEN_PX 3
#define RULE_DASH_MM 1.5
#define RULE_GAP_MM 6.0
#define RULE_MIN_MM 25.0
/* A line runs the table's full length when it is at least this share of the longest line
 * along its axis. */
#define RULE_FULL_SHARE 0.7
/* A perpendicular line counts for the block labels when it lies within these shares of the
 * table's width from one side (not on the frame itself). */
#define LABEL_NEAR_MIN 0.012
#define LABEL_NEAR_MAX 0.10
/* The block labels' column is ruled over at least this share of the table's height. */
#define LABEL_MIN_SHARE 0.35
/* The bands above the first row and below the last in which the title is looked for. */
#define TITLE_BAND_MM 30.0
#define TITLE_GAP_MM 1.0
/* Ink pieces counted as text there: no side above TEXT_MAX_MM (frames, stains), not both
 * below TEXT_MIN_MM (specks of noise). */
#define TEXT_MIN_MM 0.6
#define TEXT_MAX_MM 15.0
/* A title: at least this share of the band's area inked. */
#define TITLE_MIN_INK 0.004
/* The confidence reported grows with the log of the weakest margin, up to this one. */
#define RULE_CONF_MAX_MARGIN 100.0

static int nomem(lr_error *err, const char *what)
{
    return lr_error_set(err, LR_ERR_NOMEM, "out of memory reading the ruling (%s)", what);
}

/* A line along one direction: from a0 to a1 along it, at pos across it. */
typedef struct rule_seg {
    int a0, a1, pos;
} rule_seg;

typedef struct rule_set {
    rule_seg *v;
    int n;
    double slope; /* of its full-length lines: across dy/dx, down dx/dy (median) */
} rule_set;

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* The slope of one line (mask: its own pixels, w x h): from the centroid of its first
 * quarter to that of its last, along it. 0 when a quarter is empty. */
static double line_slope(PIX *mask, bool across, int w, int h)
{
    int x = 0, y = 0;
    int len = across ? w : h, q = len / 4;
    if (q < 2)
        return 0.0;
    l_float32 c[2][2] = {{0}};
    for (int k = 0; k < 2; k++) {
        int off = k ? len - q : 0;
        BOX *b = across ? boxCreate(x + off, y, q, h) : boxCreate(x, y + off, w, q);
        PIX *clip = b ? pixClipRectangle(mask, b, NULL) : NULL;
        boxDestroy(&b);
        l_int32 count = 0;
        if (!clip || pixCountPixels(clip, &count, NULL) != 0 || !count ||
            pixCentroid(clip, NULL, NULL, &c[k][0], &c[k][1]) != 0) {
            pixDestroy(&clip);
            return 0.0;
        }
        pixDestroy(&clip);
    }
    /* Quarter k's centroid lies at off + c along the line. */
    double along = (double)(len - q), cross = across ? c[1][1] - c[0][1] : c[1][0] - c[0][0];
    return cross / along;
}

/* The lines of bin running across (horizontal) or down, and the mask of their pixels (OR'd
 * into *lines, made on first use). */
static int find_rules(PIX *bin, int dpi, bool across, bool broken, rule_set *out, PIX **lines,
                      lr_error *err)
{
    out->v = NULL;
    out->n = 0;
    int run = ocr_mm_px(RULE_RUN_MM, dpi), gap = ocr_mm_px(RULE_GAP_MM, dpi);
    int t = RULE_THICKEN_PX;
    PIX *thick = across ? pixDilateBrick(NULL, bin, 1, t) : pixDilateBrick(NULL, bin, t, 1);
    if (thick && broken) {
        /* Dashes: straight runs of RULE_DASH_MM, mended over gaps as long, before the
         * runs of a line are looked for. */
        int dash = ocr_mm_px(RULE_DASH_MM, dpi);
        PIX *dashes = lr_pix_open_line(thick, dash, !across);
        pixDestroy(&thick);
        if (dashes)
            thick = lr_pix_close_line_safe(dashes, dash, !across);
        pixDestroy(&dashes);
    }
    PIX *runs = NULL, *joined = NULL;
    BOXA *boxa = NULL;
    PIXA *pixa = NULL;
    int rc = LR_OK;
    if (!thick || !(runs = lr_pix_open_line(thick, run, !across)) ||
        !(joined = lr_pix_close_line_safe(runs, gap, !across)) ||
        !(boxa = pixConnComp(joined, &pixa, 8))) {
        rc = nomem(err, "ruling lines");
        goto done;
    }
    int n = boxaGetCount(boxa), min = ocr_mm_px(RULE_MIN_MM, dpi);
    if (!(out->v = malloc((size_t)(n + 1) * sizeof *out->v))) {
        rc = nomem(err, "ruling lines");
        goto done;
    }
    int longest_len = 0;
    for (int i = 0; i < n; i++) {
        int x, y, w, h;
        boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
        int len = across ? w : h;
        if (len < min)
            continue;
        out->v[out->n++] =
            across ? (rule_seg){x, x + w, y + h / 2} : (rule_seg){y, y + h, x + w / 2};
        if (len > longest_len)
            longest_len = len;
    }
    /* The skew, from the lines running (nearly) the full length. */
    double *slopes = malloc((size_t)(n + 1) * sizeof *slopes);
    int ns = 0;
    for (int i = 0; slopes && i < n; i++) {
        int x, y, w, h;
        boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
        if ((across ? w : h) < RULE_FULL_SHARE * longest_len || longest_len < min)
            continue;
        PIX *one = pixaGetPix(pixa, i, L_CLONE);
        if (one)
            slopes[ns++] = line_slope(one, across, w, h);
        pixDestroy(&one);
    }
    if (ns) {
        qsort(slopes, (size_t)ns, sizeof *slopes, cmp_double);
        out->slope = slopes[ns / 2];
    }
    free(slopes);
    if (!*lines)
        *lines = pixCopy(NULL, runs);
    else
        pixOr(*lines, *lines, runs);
    if (!*lines)
        rc = nomem(err, "ruling mask");
done:
    pixDestroy(&thick);
    pixDestroy(&runs);
    pixDestroy(&joined);
    boxaDestroy(&boxa);
    pixaDestroy(&pixa);
    return rc;
}

static int longest(const rule_set *s)
{
    int m = 0;
    for (int i = 0; i < s->n; i++)
        if (s->v[i].a1 - s->v[i].a0 > m)
            m = s->v[i].a1 - s->v[i].a0;
    return m;
}

static int count_full(const rule_set *s)
{
    int m = longest(s), n = 0;
    for (int i = 0; i < s->n; i++)
        n += s->v[i].a1 - s->v[i].a0 >= RULE_FULL_SHARE * m;
    return n;
}

/* s (lines of a page w x h) as they lie on the page turned clockwise by 90: a point (x, y)
 * goes to (h - 1 - y, x). Lines down become lines across and the other way round. */
static void turn_set(rule_set *s, bool was_across, int h)
{
    for (int i = 0; i < s->n; i++) {
        rule_seg g = s->v[i];
        if (was_across) /* across at y = pos from a0 to a1: down at x = h-1-pos */
            s->v[i] = (rule_seg){g.a0, g.a1, h - 1 - g.pos};
        else /* down at x = pos from a0 to a1: across at y = pos, x from h-1-a1 to h-1-a0 */
            s->v[i] = (rule_seg){h - 1 - g.a1, h - 1 - g.a0, g.pos};
    }
}

/* Ink share of the text mask in [x0, x1) x [y0, y1), clipped to it. */
static double ink_share(PIX *text, int x0, int y0, int x1, int y1)
{
    int W = pixGetWidth(text), H = pixGetHeight(text);
    if (x0 < 0)
        x0 = 0;
    if (y0 < 0)
        y0 = 0;
    if (x1 > W)
        x1 = W;
    if (y1 > H)
        y1 = H;
    if (x1 <= x0 || y1 <= y0)
        return 0.0;
    BOX *b = boxCreate(x0, y0, x1 - x0, y1 - y0);
    l_int32 count = 0;
    PIX *clip = b ? pixClipRectangle(text, b, NULL) : NULL;
    if (clip)
        pixCountPixels(clip, &count, NULL);
    pixDestroy(&clip);
    boxDestroy(&b);
    return (double)count / ((double)(x1 - x0) * (y1 - y0));
}

/* The two signs of the sense, with the rows across (rows, cols on text's page): the block
 * labels' ruling near the left and the right side, as shares of the table's height, and the
 * title's ink above and below the table. */
typedef struct sense_signs {
    double label_left, label_right;
    double title_above, title_below;
} sense_signs;

/* Undoes a small skew of rows (slope s = dy/dx) on the line centres: x' = x + s y,
 * y' = y - s x, the rotation to first order. Lengths stay. */
static void unskew(rule_set *rows, rule_set *cols, double s)
{
    for (int i = 0; i < rows->n; i++) {
        rule_seg *g = &rows->v[i];
        double xm = 0.5 * (g->a0 + g->a1);
        int dx = (int)lround(s * g->pos);
        g->pos = (int)lround(g->pos - s * xm);
        g->a0 += dx;
        g->a1 += dx;
    }
    for (int i = 0; i < cols->n; i++) {
        rule_seg *g = &cols->v[i];
        double ym = 0.5 * (g->a0 + g->a1);
        int dy = (int)lround(-s * g->pos);
        g->pos = (int)lround(g->pos + s * ym);
        g->a0 += dy;
        g->a1 += dy;
    }
}

static void read_signs(const rule_set *rows, const rule_set *cols, PIX *text, int dpi,
                       sense_signs *out)
{
    memset(out, 0, sizeof *out);
    /* The table: the extent of the rows running its full length. */
    int m = longest(rows);
    int x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    bool any = false;
    for (int i = 0; i < rows->n; i++) {
        const rule_seg *g = &rows->v[i];
        if (g->a1 - g->a0 < RULE_FULL_SHARE * m)
            continue;
        if (!any || g->a0 < x0)
            x0 = g->a0;
        if (!any || g->a1 > x1)
            x1 = g->a1;
        if (!any || g->pos < y0)
            y0 = g->pos;
        if (!any || g->pos > y1)
            y1 = g->pos;
        any = true;
    }
    int tw = x1 - x0, th = y1 - y0;
    if (!any || tw <= 0 || th <= 0)
        return;
    for (int i = 0; i < cols->n; i++) {
        const rule_seg *g = &cols->v[i];
        double p = (double)(g->pos - x0) / tw;
        /* Only the part within the table. */
        int a0 = g->a0 > y0 ? g->a0 : y0, a1 = g->a1 < y1 ? g->a1 : y1;
        if (a1 <= a0)
            continue;
        if (p >= LABEL_NEAR_MIN && p <= LABEL_NEAR_MAX)
            out->label_left += (double)(a1 - a0) / th;
        else if (p >= 1.0 - LABEL_NEAR_MAX && p <= 1.0 - LABEL_NEAR_MIN)
            out->label_right += (double)(a1 - a0) / th;
    }
    int band = ocr_mm_px(TITLE_BAND_MM, dpi), gap = ocr_mm_px(TITLE_GAP_MM, dpi);
    out->title_above = ink_share(text, x0, y0 - gap - band, x1, y0 - gap);
    out->title_below = ink_share(text, x0, y1 + gap, x1, y1 + gap + band);
}

/* +1: the signs say upright (of the rows-across page), -1: turned 180, 0: no decision. The
 * weaker sign's margin over its threshold goes to *out_margin. */
static int weigh_signs(const sense_signs *s, double *out_margin)
{
    *out_margin = 0;
    int label = 0, title = 0;
    double lm = 0, tm = 0;
    double lmax = s->label_left > s->label_right ? s->label_left : s->label_right;
    double lmin = s->label_left > s->label_right ? s->label_right : s->label_left;
    if (lmax >= LABEL_MIN_SHARE && lmax >= LR_ORIENT_RULE_SENSE_RATIO * lmin) {
        label = s->label_left > s->label_right ? 1 : -1;
        lm = lmin > 0 ? lmax / (LR_ORIENT_RULE_SENSE_RATIO * lmin) : 1e9;
    }
    double tmax = s->title_above > s->title_below ? s->title_above : s->title_below;
    double tmin = s->title_above > s->title_below ? s->title_below : s->title_above;
    if (tmax >= TITLE_MIN_INK && tmax >= LR_ORIENT_RULE_SENSE_RATIO * tmin) {
        title = s->title_above > s->title_below ? 1 : -1;
        tm = tmin > 0 ? tmax / (LR_ORIENT_RULE_SENSE_RATIO * tmin) : 1e9;
    }
    if (!label || label != title)
        return 0;
    *out_margin = lm < tm ? lm : tm;
    return label;
}

int lr_orient_read_ruling(PIX *det, int dpi, lr_orientation *out, lr_error *err)
{
    if (!det || !out)
        return lr_error_set(err, LR_ERR_ARG, "lr_orient_read_ruling: NULL argument");
    if (pixGetDepth(det) != 8)
        return lr_error_set(err, LR_ERR_ARG, "the ruling needs an 8 bpp page");
    if (dpi < LR_IMAGE_MIN_DPI || dpi > LR_IMAGE_MAX_DPI)
        return lr_error_set(err, LR_ERR_ARG, "invalid resolution %d dpi", dpi);
    double t0 = lr_clock_ms();
    out->ruling_ran = true;
    out->rows_full = out->cols_full = 0;
    out->ruling_conf = 0.0f;
    rule_set across = {0}, down = {0};
    PIX *bin = NULL, *lines = NULL, *text = NULL, *turned = NULL;
    int rc = LR_OK;
    if (!(bin = pixConvertTo1Adaptive(det))) {
        rc = nomem(err, "binary copy");
        goto done;
    }
    if ((rc = find_rules(bin, dpi, true, false, &across, &lines, err)) < 0 ||
        (rc = find_rules(bin, dpi, false, false, &down, &lines, err)) < 0)
        goto done;
    int fa = count_full(&across), fd = count_full(&down);
    if (fa < LR_ORIENT_RULE_MIN_FULL && fd < LR_ORIENT_RULE_MIN_FULL) {
        /* Too few whole lines: perhaps the rules are broken into dashes (a thin rule on a
         * bitonal scan, reduced). Looked for again with the dashes mended. */
        free(across.v);
        free(down.v);
        pixDestroy(&lines);
        if ((rc = find_rules(bin, dpi, true, true, &across, &lines, err)) < 0 ||
            (rc = find_rules(bin, dpi, false, true, &down, &lines, err)) < 0)
            goto done;
        fa = count_full(&across);
        fd = count_full(&down);
    }
    int more = fa > fd ? fa : fd, fewer = fa > fd ? fd : fa;
    bool rows_across = fa > fd;
    out->rows_full = more;
    out->cols_full = fewer;
    if (more < LR_ORIENT_RULE_MIN_FULL || more < LR_ORIENT_RULE_AXIS_RATIO * fewer) {
        lr_log_debug("orient: ruling: %d full lines across, %d down: no axis", fa, fd);
        goto done;
    }
    /* Text: the ink without the ruling, pieces of text size. */
    if (!(text = ocr_text_pieces(bin, lines, ocr_mm_px(TEXT_MIN_MM, dpi),
                                 ocr_mm_px(TEXT_MAX_MM, dpi)))) {
        rc = nomem(err, "text mask");
        goto done;
    }
    /* Rows down: read the signs on the page turned clockwise by 90, where they run across;
     * the senses are then 90 and 270. */
    int base = 0;
    rule_set *rows = &across, *cols = &down;
    if (!rows_across) {
        int h = pixGetHeight(det);
        turn_set(&across, true, h);
        turn_set(&down, false, h);
        rows = &down;
        cols = &across;
        base = 90;
        if (!(turned = pixRotateOrth(text, 1))) {
            rc = nomem(err, "turned text");
            goto done;
        }
    }
    /* The rows' slope on the page read: turned by 90, lines down with dx/dy = t run across
     * with dy/dx = -t. */
    unskew(rows, cols, rows_across ? across.slope : -down.slope);
    sense_signs s;
    read_signs(rows, cols, turned ? turned : text, dpi, &s);
    double margin = 0;
    int sense = weigh_signs(&s, &margin);
    lr_log_debug("orient: ruling: %d full lines across, %d down, slope %.4f; labels %.2f:%.2f, "
                 "title %.4f:%.4f: %s",
                 fa, fd, rows_across ? across.slope : -down.slope, s.label_left, s.label_right,
                 s.title_above, s.title_below, sense ? "decided" : "unsure");
    out->label_first = (float)s.label_left;
    out->label_second = (float)s.label_right;
    out->title_first = (float)s.title_above;
    out->title_second = (float)s.title_below;
    if (sense) {
        double axis = (double)more / (LR_ORIENT_RULE_AXIS_RATIO * (fewer ? fewer : 0.5));
        if (axis < margin)
            margin = axis;
        out->deg = sense > 0 ? base : base + 180;
        out->source = LR_ORIENT_RULING;
        /* On OSD's scale: its threshold when the weakest sign just passes, more beyond (a
         * sign with nothing on its mirror side counts as passing RULE_CONF_MAX_MARGIN times:
         * 16.8, about OSD's confidence on a clear page). */
        if (margin > RULE_CONF_MAX_MARGIN)
            margin = RULE_CONF_MAX_MARGIN;
        out->ruling_conf = (float)(LR_OCR_MIN_ORIENT_CONF * (1.0 + log(margin)));
    }
done:
    free(across.v);
    free(down.v);
    pixDestroy(&bin);
    pixDestroy(&lines);
    pixDestroy(&text);
    pixDestroy(&turned);
    out->ruling_ms = lr_clock_ms() - t0;
    return rc;
}
