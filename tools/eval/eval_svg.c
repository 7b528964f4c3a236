/* eval_svg.c — the evaluation's SVG plots: skew error per measurement, F-measure per DIBCO
 * image, OCR character error rate by script. Each ends with a footer saying what data it
 * shows and the command that made it.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "landrec/log.h"

static void xml_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static void svg_text(FILE *f, double x, double y, const char *attrs, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void svg_text(FILE *f, double x, double y, const char *attrs, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s%s>", x, y, attrs ? " " : "", attrs ? attrs : "");
    xml_escaped(f, buf);
    fputs("</text>\n", f);
}

static void svg_begin(FILE *f, int w, int h, const char *title)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
            w, h, w, h);
    fputs("<title>", f);
    xml_escaped(f, title);
    fputs("</title>\n", f);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", w, h);
    svg_text(f, 10, 16, "font-size=\"13\" font-weight=\"bold\"", "%s", title);
}

static void svg_hline(FILE *f, double x0, double x1, double y, const char *colour, bool dashed)
{
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>\n", x0, y,
            x1, y, colour, dashed ? " stroke-dasharray=\"4 3\"" : "");
}

/* About what fits across a plot at 11 px. */
#define FOOTER_CHARS 120

/* Writes text in lines of at most FOOTER_CHARS characters, broken at spaces, from baseline y
 * 14 px apart (f NULL: only counts). Returns the number of lines. */
static int svg_wrapped(FILE *f, double y, const char *text)
{
    int lines = 0;
    const char *p = text;
    while (*p) {
        const char *cut = NULL, *q = p;
        int chars = 0;
        while (*q && chars < FOOTER_CHARS) {
            if (*q == ' ')
                cut = q;
            q++;
            while ((*q & 0xc0) == 0x80) /* a code point is one character */
                q++;
            chars++;
        }
        if (!*q || !cut)
            cut = q;
        if (f)
            svg_text(f, 10, y + 14 * lines, "fill=\"#444\"", "%.*s", (int)(cut - p), p);
        lines++;
        p = *cut == ' ' ? cut + 1 : cut;
    }
    return lines;
}

/* Writes "data: …" and "command: …" in wrapped lines from baseline y (f NULL: only counts).
 * Returns the number of lines. */
static int svg_footer_text(FILE *f, double y, const char *data, const char *command)
{
    char *d = eval_strf("data: %s", data), *c = eval_strf("command: %s", command);
    int n = d ? svg_wrapped(f, y, d) : 0;
    if (c)
        n += svg_wrapped(f, y + 14 * n, c);
    free(d);
    free(c);
    return n;
}

/* Extra height the footer needs beyond the two lines every plot leaves for it. */
static int footer_extra(const char *data, const char *command)
{
    int n = svg_footer_text(NULL, 0, data, command);
    return 14 * (n > 2 ? n - 2 : 0);
}

/* The data and the command under a plot whose drawing ends at ph, then the end. */
static void svg_footer(FILE *f, int ph, const char *data, const char *command)
{
    svg_footer_text(f, ph - 22, data, command);
    fputs("</svg>\n", f);
}

/* The plot's frame. */
static void svg_frame(FILE *f, int x0, int y0, int x1, int y1)
{
    fprintf(f,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            x0, y0, x1 - x0, y1 - y0);
}

/* Signed skew error of every scored item, grouped by data set, against the targets. */
static void svg_skew(FILE *f, const summary *s, const char *data, const char *command)
{
    static const dataset groups[] = {DS_SYNTH, DS_SBRUNNER, DS_LEPT};
    static const char *const names[] = {"synthetic", "sbrunner-deskew 1–7",
                                        "leptonica, rotated by θ"};
    const int W = 760, PH = 330, H = PH + footer_extra(data, command), x0 = 56, x1 = W - 16,
              y0 = 34, y1 = PH - 88;
    const double range = 1.0; /* ± degrees shown; beyond: drawn on the edge, hollow */
    size_t total = 0;
    int ngroups = 0;
    for (int g = 0; g < 3; g++)
        if (s->skew_n[groups[g]]) {
            total += s->skew_n[groups[g]];
            ngroups++;
        }
    svg_begin(f, W, H, "Skew error per measurement (estimate − truth, degrees)");
    double slots = (double)total + 2.0 * (ngroups > 1 ? ngroups - 1 : 0);
    double dx = slots > 0 ? (x1 - x0) / slots : 0;
#define YS(v) (y0 + (y1 - y0) * (range - (v)) / (2 * range))
    for (double v = -1.0; v <= 1.0001; v += 0.5)
        svg_text(f, x0 - 6, YS(v) + 4, "text-anchor=\"end\"", "%+.1f°", v);
    svg_hline(f, x0, x1, YS(0), "#999", false);
    svg_hline(f, x0, x1, YS(TARGET_SKEW_MEAN), "#2a2", true);
    svg_hline(f, x0, x1, YS(-TARGET_SKEW_MEAN), "#2a2", true);
    svg_hline(f, x0, x1, YS(TARGET_SKEW_MAX), "#d62", true);
    svg_hline(f, x0, x1, YS(-TARGET_SKEW_MAX), "#d62", true);
    svg_text(f, x1, YS(TARGET_SKEW_MAX) - 3, "text-anchor=\"end\" fill=\"#d62\"",
             "max target ±%.1f°", TARGET_SKEW_MAX);
    svg_text(f, x1, YS(TARGET_SKEW_MEAN) - 3, "text-anchor=\"end\" fill=\"#2a2\"",
             "mean target ±%.1f°", TARGET_SKEW_MEAN);
    svg_frame(f, x0, y0, x1, y1);
    double slot = 0;
    for (int g = 0; g < 3; g++) {
        dataset d = groups[g];
        if (!s->skew_n[d])
            continue;
        double gx0 = x0 + slot * dx;
        for (size_t i = 0; i < s->skew_n[d]; i++) {
            double e = s->skew_err[d][i];
            bool out = fabs(e) > range;
            double v = out ? copysign(range, e) : e;
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\" stroke=\"#157\"/>\n",
                    x0 + (slot + 0.5) * dx, YS(v), out ? "white" : "#157");
            slot++;
        }
        double gx1 = x0 + slot * dx;
        svg_text(f, (gx0 + gx1) / 2, y1 + 16, "text-anchor=\"middle\"", "%s (%zu)", names[g],
                 s->skew_n[d]);
        svg_text(f, (gx0 + gx1) / 2, y1 + 30, "text-anchor=\"middle\" fill=\"#444\"",
                 "mean %.2f°, max %.2f°", s->skew[d].mean_abs, s->skew[d].max_abs);
        slot += 2;
    }
#undef YS
    svg_text(f, x0, y1 + 46, "fill=\"#444\"", "hollow: beyond ±%.0f°, drawn on the edge", range);
    svg_footer(f, PH, data, command);
}

/* F-measure per DIBCO image, ours (default and Otsu) against published means. */
static void svg_dibco(FILE *f, const item_list *items, const shared *sh, const char *data,
                      const char *command)
{
    const int W = 760, PH = 330, H = PH + footer_extra(data, command), x0 = 44, x1 = W - 150,
              y0 = 34, y1 = PH - 70;
    const double lo = 40, hi = 100;
    size_t n = 0;
    for (size_t i = 0; i < items->n; i++)
        n += items->v[i].ds == DS_DIBCO && sh->r[i].has_bin;
    svg_begin(f, W, H, "Binarization: F-measure per DIBCO 2009 image (%)");
#define YF(v) (y1 - (y1 - y0) * ((fmax(fmin(v, hi), lo) - lo) / (hi - lo)))
    for (double v = lo; v <= hi; v += 10)
        svg_text(f, x0 - 6, YF(v) + 4, "text-anchor=\"end\"", "%.0f", v);
    svg_frame(f, x0, y0, x1, y1);
    double dx = n ? (double)(x1 - x0) / (double)n : 0;
    size_t k = 0;
    for (size_t i = 0; i < items->n; i++) {
        const result *r = &sh->r[i];
        if (items->v[i].ds != DS_DIBCO || !r->has_bin)
            continue;
        double bx = x0 + (double)k * dx;
        double bw = dx * 0.34;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#157\"/>\n",
                bx + dx * 0.14, YF(r->bin.fmeasure), bw, y1 - YF(r->bin.fmeasure));
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#bbb\"/>\n",
                bx + dx * 0.52, YF(r->bin_otsu.fmeasure), bw, y1 - YF(r->bin_otsu.fmeasure));
        const char *nm = strrchr(items->v[i].name, '/');
        svg_text(f, bx + dx / 2, y1 + 14, "text-anchor=\"middle\"", "%s",
                 nm ? nm + 1 + (strncmp(nm + 1, "2009-", 5) ? 0 : 5) : items->v[i].name);
        k++;
    }
    struct {
        double v;
        const char *label, *colour;
    } lines[] = {
        {PUBLISHED_WINNER, "2009 winner ≈ 91", "#2a2"},
        {TARGET_DIBCO_F, "target 88", "#d22"},
        {PUBLISHED_SAUVOLA, "Sauvola ≈ 85", "#157"},
        {PUBLISHED_OTSU, "Otsu ≈ 79", "#888"},
    };
    for (size_t j = 0; j < sizeof lines / sizeof *lines; j++) {
        svg_hline(f, x0, x1, YF(lines[j].v), lines[j].colour, true);
        char attrs[64];
        snprintf(attrs, sizeof attrs, "fill=\"%s\"", lines[j].colour);
        svg_text(f, x1 + 6, YF(lines[j].v) + 4, attrs, "%s", lines[j].label);
    }
#undef YF
    svg_text(f, x1 + 6, y0 + 10, "fill=\"#157\"", "■ ours (default)");
    svg_text(f, x1 + 6, y0 + 24, "fill=\"#888\"", "■ ours, --binarize otsu");
    svg_text(f, x1 + 6, y1 + 14, "fill=\"#444\"", "dashed: published");
    svg_text(f, x1 + 6, y1 + 28, "fill=\"#444\"", "means (DIBCO 2009)");
    svg_footer(f, PH, data, command);
}

/* OCR character error rate per class, clean against degraded sheets: the judged figures (by
 * position; in reading order for sheets without line boxes). */
static void svg_cer(FILE *f, const summary *s, const char *data, const char *command)
{
    static const char *const names[] = {"all", "Hangul", "Hanja", "digits"};
    const int W = 760, PH = 300, H = PH + footer_extra(data, command), x0 = 56, x1 = W - 150,
              y0 = 34, y1 = PH - 70;
    double v[G_COUNT][4];
    const lr_cer *c[G_COUNT] = {&s->cer_judged[G_PRINTED], &s->cer_judged[G_HAND],
                                &s->cer_judged[G_DEGRADED]};
    double top = 0.05;
    for (int g = 0; g < G_COUNT; g++) {
        v[g][0] = lr_metrics_rate(c[g]->edits, c[g]->ref_len);
        v[g][1] = eval_class_rate(c[g], LR_CHAR_HANGUL);
        v[g][2] = eval_class_rate(c[g], LR_CHAR_HANJA);
        v[g][3] = eval_class_rate(c[g], LR_CHAR_DIGIT);
        if (!s->n_synth[g]) /* no sheets of the kind: no bars */
            v[g][0] = v[g][1] = v[g][2] = v[g][3] = NAN;
        for (int k = 0; k < 4; k++)
            if (!isnan(v[g][k]) && v[g][k] * 1.15 > top)
                top = fmin(1.0, v[g][k] * 1.15);
    }
    /* A round top, four ticks. */
    static const double tops[] = {0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 1.0};
    for (size_t t = 0; t < sizeof tops / sizeof *tops; t++)
        if (tops[t] >= top - 1e-9 || t + 1 == sizeof tops / sizeof *tops) {
            top = tops[t];
            break;
        }
    svg_begin(f, W, H, "OCR character error rate by script and position, synthetic sheets (%)");
#define YC(x) (y1 - (y1 - y0) * fmin((x), top) / top)
    for (int t = 0; t <= 4; t++)
        svg_text(f, x0 - 6, YC(top * t / 4) + 4, "text-anchor=\"end\"", "%g", 100 * top * t / 4);
    svg_frame(f, x0, y0, x1, y1);
    double dx = (x1 - x0) / 4.0;
    for (int k = 0; k < 4; k++) {
        double bx = x0 + k * dx;
        static const char *const fill[G_COUNT] = {"#157", "#6ab", "#c84"};
        for (int g = 0; g < G_COUNT; g++) {
            if (isnan(v[g][k]))
                continue;
            double x = bx + dx * (0.08 + 0.28 * g);
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                    x, YC(v[g][k]), dx * 0.26, y1 - YC(v[g][k]), fill[g]);
            svg_text(f, x + dx * 0.13, YC(v[g][k]) - 3, "text-anchor=\"middle\" font-size=\"10\"",
                     "%.1f", 100 * v[g][k]);
        }
        svg_text(f, bx + dx / 2, y1 + 14, "text-anchor=\"middle\"", "%s", names[k]);
    }
    /* The targets for clean print, over the clean printed bars. */
    double tx[2] = {x0 + 1 * dx + dx * 0.04, x0 + 2 * dx + dx * 0.04};
    double tv[2] = {TARGET_CER_HANGUL, TARGET_CER_HANJA};
    for (int j = 0; j < 2; j++)
        if (tv[j] <= top)
            fprintf(f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d22\" "
                    "stroke-width=\"2\"/>\n",
                    tx[j], YC(tv[j]), tx[j] + dx * 0.34, YC(tv[j]));
#undef YC
    svg_text(f, x1 + 6, y0 + 10, "fill=\"#157\"", "■ clean printed (%zu)", s->n_synth[G_PRINTED]);
    svg_text(f, x1 + 6, y0 + 24, "fill=\"#6ab\"", "■ clean handwritten (%zu)", s->n_synth[G_HAND]);
    svg_text(f, x1 + 6, y0 + 38, "fill=\"#c84\"", "■ degraded (%zu)", s->n_synth[G_DEGRADED]);
    svg_text(f, x1 + 6, y0 + 52, "fill=\"#d22\"", "— target, clean print");
    svg_footer(f, PH, data, command);
}

bool eval_write_svg(const lr_eval *ev, int kind, const char *dir, const char *name,
                    const char *data)
{
    char *path = eval_strf("%s/%s", dir, name);
    char *tmp = path ? eval_strf("%s.tmp", path) : NULL;
    FILE *f = tmp ? fopen(tmp, "w") : NULL;
    bool ok = false;
    if (f) {
        if (kind == PLOT_SKEW)
            svg_skew(f, &ev->s, data, ev->o.command);
        else if (kind == PLOT_DIBCO)
            svg_dibco(f, &ev->items, ev->sh, data, ev->o.command);
        else
            svg_cer(f, &ev->s, data, ev->o.command);
        ok = fclose(f) == 0 && rename(tmp, path) == 0;
    }
    if (!ok && tmp) {
        lr_log_error("could not write %s: %s", path, strerror(errno));
        remove(tmp);
    } else if (!ok) {
        lr_log_error("could not write %s/%s: out of memory", dir, name);
    }
    free(tmp);
    free(path);
    return ok;
}
