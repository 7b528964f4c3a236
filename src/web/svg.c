/* svg.c — the dashboard's bar charts as inline SVG, drawn on the server so that a chart needs
 * no script. Presentation attributes and class names only (the page's CSP forbids style=""). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "web_internal.h"

#define SLOT_MIN 40     /* width given to one bar and its label */
#define WIDTH_MIN 320
#define PLOT_H 160      /* the tallest bar */
#define TOP 22          /* room for the number above the tallest bar */
#define BOTTOM 22       /* room for the labels */
#define BOTTOM_LONG 70  /* room for labels too long to stand level under a bar */

/* v/unit with one decimal unless it is whole: 560k, 12.5k. */
static void scaled(char *out, size_t size, double v, double unit, char suffix)
{
    double x = round(v / unit * 10) / 10;
    snprintf(out, size, x == floor(x) ? "%.0f%c" : "%.1f%c", x, suffix);
}

/* A number short enough to stand over a 40-pixel bar: 1234, 12.3k, 1.2M. */
static void short_number(char *out, size_t size, double v)
{
    double a = fabs(v);
    if (a >= 1e6)
        scaled(out, size, v, 1e6, 'M');
    else if (a >= 1e4)
        scaled(out, size, v, 1e3, 'k');
    else if (v == floor(v))
        snprintf(out, size, "%.0f", v);
    else
        snprintf(out, size, "%.1f", v);
}

/* The number in full for the tooltip. */
static void full_number(char *out, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, size, "%.0f", v);
    else
        snprintf(out, size, "%.2f", v);
}

static double scale_max(const web_bar *bars, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        if (bars[i].value > m)
            m = bars[i].value;
        if (bars[i].target >= 0 && bars[i].target > m)
            m = bars[i].target;
    }
    return m > 0 ? m : 1;
}

/* Whether some label is too wide to stand level under its bar (about 6 pixels a character;
 * counted in bytes, which overcounts Hangul, erring towards slanting). */
static bool labels_long(const web_bar *bars, size_t n, double slot)
{
    for (size_t i = 0; i < n; i++)
        if (bars[i].label && (double)strlen(bars[i].label) * 6 > slot - 2)
            return true;
    return false;
}

static void tooltip(lr_strbuf *b, const web_bar *bar, const char *unit)
{
    char v[48], t[48];
    full_number(v, sizeof v, bar->value);
    lr_strbuf_puts(b, "<title>");
    web_html_escape(b, bar->label);
    lr_strbuf_printf(b, ": %s", v);
    if (unit && *unit) {
        lr_strbuf_putc(b, ' ');
        web_html_escape(b, unit);
    }
    if (bar->target >= 0) {
        full_number(t, sizeof t, bar->target);
        lr_strbuf_printf(b, " (target %s)", t);
    }
    lr_strbuf_puts(b, "</title>");
}

static void one_bar(lr_strbuf *b, const web_bar *bar, double x, double slot, double max,
                    bool slant, const char *unit)
{
    double base = TOP + PLOT_H;
    double h = bar->value > 0 ? bar->value / max * PLOT_H : 0;
    double bw = slot * 0.6, bx = x + (slot - bw) / 2, cx = x + slot / 2;
    char num[32];
    lr_strbuf_puts(b, "<g class=\"bar\">");
    tooltip(b, bar, unit);
    lr_strbuf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", bx,
                     base - h, bw, h);
    /* A bar at the axis reads as nothing; its tooltip still says 0. */
    if (bar->value != 0) {
        short_number(num, sizeof num, bar->value);
        lr_strbuf_printf(b, "<text class=\"bar-value\" x=\"%.1f\" y=\"%.1f\""
                            " text-anchor=\"middle\">%s</text>",
                         cx, base - h - 4, num);
    }
    if (bar->target >= 0) {
        double ty = base - bar->target / max * PLOT_H;
        short_number(num, sizeof num, bar->target);
        lr_strbuf_printf(b, "<line class=\"target\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                            " stroke-dasharray=\"4 2\"/>",
                         x + 1, ty, x + slot - 1, ty);
        lr_strbuf_printf(b, "<text class=\"target-label\" x=\"%.1f\" y=\"%.1f\""
                            " text-anchor=\"end\">%s</text>",
                         x + slot - 1, ty - 2, num);
    }
    if (slant)
        lr_strbuf_printf(b, "<text class=\"bar-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\""
                            " transform=\"rotate(-40 %.1f %.1f)\">",
                         cx, base + 12, cx, base + 12);
    else
        lr_strbuf_printf(b, "<text class=\"bar-label\" x=\"%.1f\" y=\"%.1f\""
                            " text-anchor=\"middle\">",
                         cx, base + 14);
    web_html_escape(b, bar->label);
    lr_strbuf_puts(b, "</text></g>");
}

void web_svg_bars(lr_strbuf *b, const char *title, const web_bar *bars, size_t n,
                  const char *unit)
{
    double width = (double)n * SLOT_MIN > WIDTH_MIN ? (double)n * SLOT_MIN : WIDTH_MIN;
    double slot = n ? width / (double)n : width;
    bool slant = labels_long(bars, n, slot);
    double height = TOP + PLOT_H + (slant ? BOTTOM_LONG : BOTTOM);
    double max = scale_max(bars, n);
    lr_strbuf_printf(b, "<div class=\"chart-wrap\"><svg class=\"chart\" role=\"img\""
                        " viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\""
                        " xmlns=\"http://www.w3.org/2000/svg\"><title>",
                     width, height, width, height);
    web_html_escape(b, title);
    lr_strbuf_puts(b, "</title>");
    lr_strbuf_printf(b, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%.0f\" y2=\"%d\"/>",
                     TOP + PLOT_H, width, TOP + PLOT_H);
    if (n == 0)
        lr_strbuf_printf(b, "<text class=\"bar-label\" x=\"%.0f\" y=\"%d\""
                            " text-anchor=\"middle\">no data</text>",
                         width / 2, TOP + PLOT_H / 2);
    for (size_t i = 0; i < n; i++)
        one_bar(b, &bars[i], (double)i * slot, slot, max, slant, unit);
    lr_strbuf_puts(b, "</svg></div>\n");
}
