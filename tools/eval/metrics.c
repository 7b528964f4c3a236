/* metrics.c — the evaluation's scorers (see metrics.h and docs/evaluation.md). No I/O. */
#include "landrec/metrics.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "landrec/text.h"
#include "landrec/utf8.h"

/* ---- Character error rate ------------------------------------------------------------- */

lr_char_class lr_metrics_char_class(uint32_t c)
{
    if ((c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) ||
        (c >= 0x3130 && c <= 0x318f) || (c >= 0xa960 && c <= 0xa97f) ||
        (c >= 0xd7b0 && c <= 0xd7ff))
        return LR_CHAR_HANGUL;
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) ||
        (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f) ||
        (c >= 0x2f800 && c <= 0x2fa1f))
        return LR_CHAR_HANJA;
    if ((c >= '0' && c <= '9') || (c >= 0xff10 && c <= 0xff19))
        return LR_CHAR_DIGIT;
    return LR_CHAR_OTHER;
}

int lr_metrics_is_space(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200b) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
           c == 0x205f || c == 0x3000 || c == 0xfeff;
}

/* UTF-8 to code points without whitespace. A byte that does not begin a valid sequence
 * (utf8.h) becomes one U+FFFD, so broken OCR output still costs an edit per byte.
 * *out_cps: caller frees; NULL only when out of memory. */
static uint32_t *decode(const char *s, size_t *out_n)
{
    *out_n = 0;
    size_t len = s ? strlen(s) : 0;
    uint32_t *cps = malloc((len + 1) * sizeof *cps);
    if (!cps)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k = lr_utf8_next(s + i, len - i, &c);
        if (k == 0) {
            c = 0xfffd;
            k = 1;
        }
        i += k;
        if (!lr_metrics_is_space(c))
            cps[n++] = c;
    }
    *out_n = n;
    return cps;
}

static int cmp_cp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* max(|r ∖ h|, |h ∖ r|) over multisets; sorts both arrays in place. */
static size_t order_free(uint32_t *r, size_t nr, uint32_t *h, size_t nh)
{
    qsort(r, nr, sizeof *r, cmp_cp);
    qsort(h, nh, sizeof *h, cmp_cp);
    size_t i = 0, j = 0, common = 0;
    while (i < nr && j < nh) {
        if (r[i] == h[j]) {
            common++;
            i++;
            j++;
        } else if (r[i] < h[j]) {
            i++;
        } else {
            j++;
        }
    }
    return nr - common > nh - common ? nr - common : nh - common;
}

int lr_metrics_cer(const char *ref, const char *hyp, lr_cer *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    int rc = LR_OK;
    uint32_t *r = NULL, *h = NULL;
    uint8_t *step = NULL;
    size_t nr = 0, nh = 0;
    if (!out)
        return lr_error_set(err, LR_ERR_ARG, "no place for the character error rate");
    if (!(r = decode(ref, &nr)) || !(h = decode(hyp, &nh))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory decoding text to score");
        goto done;
    }
    out->ref_len = nr;
    out->hyp_len = nh;
    for (size_t i = 0; i < nr; i++)
        out->class_ref_len[lr_metrics_char_class(r[i])]++;
    if (nr + 1 > LR_METRICS_MAX_CELLS / (nh + 1)) {
        rc = lr_error_set(err, LR_ERR_TOO_LARGE, "text too long to align");
        lr_error_detail(err, "%zu reference and %zu recognised characters", nr, nh);
        goto done;
    }
    size_t cols = nh + 1;
    step = malloc((nr + 1) * cols);
    if (!step || lr_text_edit_distance(r, nr, h, nh, step, &out->edits) != LR_OK) {
        rc =
            lr_error_set(err, LR_ERR_NOMEM, "out of memory aligning %zu by %zu characters", nr, nh);
        goto done;
    }
    for (size_t i = nr, j = nh; i > 0 || j > 0;) {
        uint8_t s = step[i * cols + j];
        if (s == LR_TEXT_STEP_DIAG) {
            if (r[i - 1] != h[j - 1]) {
                out->substitutions++;
                out->class_edits[lr_metrics_char_class(r[i - 1])]++;
            }
            i--;
            j--;
        } else if (s == LR_TEXT_STEP_DEL) {
            out->deletions++;
            out->class_edits[lr_metrics_char_class(r[i - 1])]++;
            i--;
        } else {
            out->insertions++;
            out->class_edits[lr_metrics_char_class(h[j - 1])]++;
            j--;
        }
    }
    out->order_free_edits = order_free(r, nr, h, nh);
done:
    free(r);
    free(h);
    free(step);
    return rc;
}

void lr_metrics_cer_add(lr_cer *acc, const lr_cer *b)
{
    if (!acc || !b)
        return;
    acc->ref_len += b->ref_len;
    acc->hyp_len += b->hyp_len;
    acc->edits += b->edits;
    acc->substitutions += b->substitutions;
    acc->deletions += b->deletions;
    acc->insertions += b->insertions;
    acc->order_free_edits += b->order_free_edits;
    for (int k = 0; k < LR_CHAR_NCLASSES; k++) {
        acc->class_ref_len[k] += b->class_ref_len[k];
        acc->class_edits[k] += b->class_edits[k];
    }
}

double lr_metrics_rate(size_t edits, size_t ref_len)
{
    if (ref_len)
        return (double)edits / (double)ref_len;
    return edits ? NAN : 0.0;
}

/* ---- Character error rate by position -------------------------------------------------- */

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* Area common to box b grown by grow on every side and [x0, x1) × [y0, y1); 0 when they do
 * not meet or one is empty. In 64 bits: no box, however odd, overflows. */
static int64_t overlap_area(const lr_text_box *b, int grow, int x0, int y0, int x1, int y1)
{
    int64_t w = min64(x1, (int64_t)b->x1 + grow) - max64(x0, (int64_t)b->x0 - grow);
    int64_t h = min64(y1, (int64_t)b->y1 + grow) - max64(y0, (int64_t)b->y0 - grow);
    return w > 0 && h > 0 ? w * h : 0;
}

/* The margin a line's box grows by when a word overlaps no line: a quarter of its thickness
 * (the shorter side), so that it reaches a word a few pixels off but not the next line. */
static int line_margin(const lr_text_box *b)
{
    int64_t thick = min64((int64_t)b->x1 - b->x0, (int64_t)b->y1 - b->y0);
    return thick > 0 ? (int)(thick / 4) : 0;
}

/* The line whose box, grown by its margin when grown is set, the box overlaps most; -1 when
 * none. */
static long best_overlap(const lr_text_box *lines, size_t nlines, bool grown, int x0, int y0,
                         int x1, int y1)
{
    long best = -1;
    int64_t best_area = 0;
    for (size_t i = 0; i < nlines; i++) {
        int64_t a = overlap_area(&lines[i], grown ? line_margin(&lines[i]) : 0, x0, y0, x1, y1);
        if (a > best_area) { /* strictly larger: a tie stays with the first */
            best_area = a;
            best = (long)i;
        }
    }
    return best;
}

long lr_metrics_line_of_box(const lr_text_box *lines, size_t nlines, int x0, int y0, int x1, int y1)
{
    if (!lines)
        return -1;
    long i = best_overlap(lines, nlines, false, x0, y0, x1, y1);
    return i >= 0 ? i : best_overlap(lines, nlines, true, x0, y0, x1, y1);
}

/* The texts of the words placed on line, in their order, joined by spaces (so that a broken
 * UTF-8 sequence at the end of one word cannot merge with the next; spaces are not scored).
 * Caller frees; NULL when out of memory. */
static char *line_hypothesis(const lr_text_box *words, const long *place, size_t nwords, long line)
{
    size_t len = 1;
    for (size_t j = 0; j < nwords; j++)
        if (place[j] == line && words[j].text)
            len += strlen(words[j].text) + 1;
    char *hyp = malloc(len), *p = hyp;
    if (!hyp)
        return NULL;
    for (size_t j = 0; j < nwords; j++)
        if (place[j] == line && words[j].text) {
            size_t n = strlen(words[j].text);
            memcpy(p, words[j].text, n);
            p += n;
            *p++ = ' ';
        }
    *p = '\0';
    return hyp;
}

int lr_metrics_cer_by_position(const lr_text_box *lines, size_t nlines, const lr_text_box *words,
                               size_t nwords, lr_cer *out, size_t *out_unplaced, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (out_unplaced)
        *out_unplaced = 0;
    if (!out || (!lines && nlines) || (!words && nwords))
        return lr_error_set(err, LR_ERR_ARG, "nothing to score by position");
    int rc = LR_OK;
    char *hyp = NULL;
    long *place = malloc((nwords + 1) * sizeof *place);
    if (!place)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory placing %zu words", nwords);
    for (size_t j = 0; j < nwords; j++)
        place[j] = lr_metrics_line_of_box(lines, nlines, words[j].x0, words[j].y0, words[j].x1,
                                          words[j].y1);
    lr_cer c;
    for (size_t i = 0; i < nlines; i++) {
        if (!(hyp = line_hypothesis(words, place, nwords, (long)i))) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory scoring by position");
            goto done;
        }
        if ((rc = lr_metrics_cer(lines[i].text, hyp, &c, err)) < 0)
            goto done;
        lr_metrics_cer_add(out, &c);
        free(hyp);
        hyp = NULL;
    }
    /* Words on no line: every character is an insertion (the reference is empty). */
    for (size_t j = 0; j < nwords; j++) {
        if (place[j] >= 0)
            continue;
        if (out_unplaced)
            (*out_unplaced)++;
        if ((rc = lr_metrics_cer(NULL, words[j].text, &c, err)) < 0)
            goto done;
        lr_metrics_cer_add(out, &c);
    }
done:
    free(hyp);
    free(place);
    return rc;
}

/* ---- Binarization (DIBCO) ------------------------------------------------------------- */

void lr_metrics_drd_weights(double out_w[5][5])
{
    double sum = 0;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            int di = i - 2, dj = j - 2;
            out_w[i][j] = (di || dj) ? 1.0 / sqrt((double)(di * di + dj * dj)) : 0.0;
            sum += out_w[i][j];
        }
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
            out_w[i][j] /= sum;
}

/* A 1 bpp copy without colormap of pix (ON = foreground), or NULL. */
static PIX *to_binary(PIX *pix)
{
    if (pixGetDepth(pix) == 1 && !pixGetColormap(pix))
        return pixClone(pix);
    return pixConvertTo1(pix, 128);
}

/* One byte per pixel, 1 = foreground; NULL when out of memory. */
static uint8_t *unpack(PIX *pix, int w, int h)
{
    uint8_t *a = malloc((size_t)w * (size_t)h);
    if (!a)
        return NULL;
    const l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < h; y++) {
        const l_uint32 *line = data + (size_t)y * (size_t)wpl;
        for (int x = 0; x < w; x++)
            a[(size_t)y * (size_t)w + (size_t)x] = (uint8_t)GET_DATA_BIT(line, x);
    }
    return a;
}

/* Non-uniform blocks of an 8×8 tiling from the top-left; the partial tiles at the right and
 * bottom edges count too. */
static int64_t count_nubn(const uint8_t *g, int w, int h)
{
    int64_t n = 0;
    for (int by = 0; by < h; by += 8)
        for (int bx = 0; bx < w; bx += 8) {
            int ones = 0, all = 0;
            for (int y = by; y < by + 8 && y < h; y++)
                for (int x = bx; x < bx + 8 && x < w; x++) {
                    ones += g[(size_t)y * (size_t)w + (size_t)x];
                    all++;
                }
            if (ones && ones < all)
                n++;
        }
    return n;
}

static double harmonic(double a, double b)
{
    return a + b > 0 ? 2 * a * b / (a + b) : 0.0;
}

int lr_metrics_binarization(PIX *result, PIX *gt, lr_binary_scores *out, lr_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    int rc = LR_OK;
    PIX *b1 = NULL, *g1 = NULL, *skel = NULL;
    uint8_t *b = NULL, *g = NULL, *s = NULL;
    if (!out)
        return lr_error_set(err, LR_ERR_ARG, "no place for the binarization scores");
    if (!result || !gt)
        return lr_error_set(err, LR_ERR_ARG, "no image to score");
    int w = pixGetWidth(gt), h = pixGetHeight(gt);
    if (pixGetWidth(result) != w || pixGetHeight(result) != h) {
        lr_error_set(err, LR_ERR_ARG, "result and ground truth differ in size");
        lr_error_detail(err, "result %dx%d, ground truth %dx%d", pixGetWidth(result),
                        pixGetHeight(result), w, h);
        return LR_ERR_ARG;
    }
    if (!(b1 = to_binary(result)) || !(g1 = to_binary(gt))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "could not make 1-bit copies to score");
        goto done;
    }
    /* The skeleton DIBCO 2010 takes pseudo-recall over; 8-connected, thinned to the end. */
    if (!(skel = pixThinConnected(g1, L_THIN_FG, 8, 0))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "could not thin the ground truth");
        goto done;
    }
    if (!(b = unpack(b1, w, h)) || !(g = unpack(g1, w, h)) || !(s = unpack(skel, w, h))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory scoring a %dx%d image", w, h);
        goto done;
    }

    double wm[5][5];
    lr_metrics_drd_weights(wm);
    double drd_sum = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * (size_t)w + (size_t)x;
            if (s[i]) {
                out->skeleton_px++;
                out->skeleton_hit += b[i];
            }
            if (b[i] == g[i]) {
                if (b[i])
                    out->tp++;
                else
                    out->tn++;
                continue;
            }
            if (b[i])
                out->fp++;
            else
                out->fn++;
            /* DRD_k: weights of the ground-truth pixels around the flipped one that differ
             * from its new value; pixels beyond the edge count as equal (weight lost). */
            for (int dy = -2; dy <= 2; dy++) {
                int yy = y + dy;
                if (yy < 0 || yy >= h)
                    continue;
                for (int dx = -2; dx <= 2; dx++) {
                    int xx = x + dx;
                    if (xx >= 0 && xx < w && g[(size_t)yy * (size_t)w + (size_t)xx] != b[i])
                        drd_sum += wm[dy + 2][dx + 2];
                }
            }
        }

    out->nubn = count_nubn(g, w, h);
    out->recall = out->tp + out->fn ? 100.0 * (double)out->tp / (double)(out->tp + out->fn) : 0;
    out->precision = out->tp + out->fp ? 100.0 * (double)out->tp / (double)(out->tp + out->fp) : 0;
    out->fmeasure = out->tp ? harmonic(out->recall, out->precision) : 0;
    out->pseudo_recall =
        out->skeleton_px ? 100.0 * (double)out->skeleton_hit / (double)out->skeleton_px : 0;
    out->pseudo_fmeasure = out->skeleton_hit ? harmonic(out->pseudo_recall, out->precision) : 0;
    int64_t wrong = out->fp + out->fn, total = (int64_t)w * h;
    out->psnr = wrong ? 10.0 * log10((double)total / (double)wrong) : INFINITY;
    out->drd = !wrong ? 0.0 : out->nubn ? drd_sum / (double)out->nubn : INFINITY;
done:
    pixDestroy(&b1);
    pixDestroy(&g1);
    pixDestroy(&skel);
    free(b);
    free(g);
    free(s);
    return rc;
}

/* ---- Skew ------------------------------------------------------------------------------ */

void lr_metrics_error_stats(const double *errors, size_t n, lr_error_stats *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!errors || !n)
        return;
    double sum_abs = 0, sum = 0, sum_sq = 0;
    for (size_t i = 0; i < n; i++) {
        double e = errors[i], a = fabs(e);
        sum_abs += a;
        sum += e;
        sum_sq += e * e;
        if (a > out->max_abs)
            out->max_abs = a;
    }
    out->n = n;
    out->mean_abs = sum_abs / (double)n;
    out->bias = sum / (double)n;
    out->rms = sqrt(sum_sq / (double)n);
}
