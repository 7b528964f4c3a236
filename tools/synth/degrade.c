/* degrade.c — what age and the scanner do to a sheet, each a parameter recorded in the truth:
 * bleed-through, yellowed paper, uneven light, stains, faded contrast, blur, noise (in that
 * order, on the upright page at the output resolution); then skew, orientation, colour
 * reduction and the TIFF page (G4, LZW or JPEG). Pages that will be stored grey or bitonal
 * are drawn and degraded in grey from the start, which is what the colour page would give
 * after conversion (up to rounding) at a third of the cost. */
#include <errno.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include "synth.h"

/* Bitonal reduction: luminance below this is black. Faded red ink (about 130 at the lowest
 * contrast we draw) stays black; stains and yellowed paper (above 150) stay white. */
#define BITONAL_THRESHOLD 140
/* Low contrast pulls every value towards this grey. */
#define CONTRAST_PIVOT 180.0

static double q2(double v)
{
    return round(v * 100.0) / 100.0;
}

/* ------------------------------------------------------------------------------------------ */
/* Parameters                                                                                 */

void lr_synth_degrade_choose(lr_synth_preset preset, lr_synth_colour colour, int dpi,
                             const lr_synth_degradations *fixed, unsigned fixed_mask,
                             lr_synth_rng *rng, lr_synth_degradations *out_deg)
{
    if (!out_deg)
        return;
    memset(out_deg, 0, sizeof *out_deg);
    out_deg->contrast = 1.0;
    /* Always draw the same numbers in the same order, whatever the preset, so that one
     * parameter's value does not shift another's. */
    double u[17];
    for (int i = 0; i < 17; i++)
        u[i] = rng ? lr_synth_rng_uniform(rng) : 0.5;
    double sc = dpi / 300.0;
    bool degraded = preset == LR_SYNTH_PRESET_DEGRADED ||
                    (preset == LR_SYNTH_PRESET_MIXED && u[0] < 0.7);
    if (degraded) {
        double p = preset == LR_SYNTH_PRESET_MIXED ? 0.6 : 1.0;
        out_deg->yellow = u[1] < p ? q2(0.2 + 0.6 * u[2]) : 0;
        out_deg->uneven_light = u[3] < p ? q2(0.15 + 0.45 * u[4]) : 0;
        out_deg->stains = u[5] < p * 0.8 ? 1 + (int)(u[6] * 4) : 0;
        out_deg->bleed = u[7] < p * 0.6 ? q2(0.05 + 0.25 * u[8]) : 0;
        out_deg->blur = u[9] < p ? q2((0.4 + 0.9 * u[10]) * sc) : 0;
        out_deg->noise = u[11] < p ? q2(3 + 9 * u[12]) : 0;
        double pj = colour == LR_SYNTH_BITONAL ? 0.3 : 0.8;
        out_deg->jpeg_quality = u[13] < p * pj ? 40 + (int)(45 * u[14]) : 0;
        out_deg->contrast = u[15] < p * 0.7 ? q2(0.55 + 0.4 * u[16]) : 1.0;
    }
    if (fixed) {
        if (fixed_mask & LR_SYNTH_SET_YELLOW)
            out_deg->yellow = q2(fixed->yellow);
        if (fixed_mask & LR_SYNTH_SET_UNEVEN)
            out_deg->uneven_light = q2(fixed->uneven_light);
        if (fixed_mask & LR_SYNTH_SET_STAINS)
            out_deg->stains = fixed->stains;
        if (fixed_mask & LR_SYNTH_SET_BLEED)
            out_deg->bleed = q2(fixed->bleed);
        if (fixed_mask & LR_SYNTH_SET_BLUR)
            out_deg->blur = q2(fixed->blur);
        if (fixed_mask & LR_SYNTH_SET_NOISE)
            out_deg->noise = q2(fixed->noise);
        if (fixed_mask & LR_SYNTH_SET_JPEG)
            out_deg->jpeg_quality = fixed->jpeg_quality;
        if (fixed_mask & LR_SYNTH_SET_CONTRAST)
            out_deg->contrast = q2(fixed->contrast);
    }
}

int lr_synth_degrade_parse(const char *spec, lr_synth_degradations *out, unsigned *out_mask,
                           lr_error *err)
{
    if (out_mask)
        *out_mask = 0;
    if (!spec || !out || !out_mask)
        return lr_error_set(err, LR_ERR_ARG, "no degradations to parse");
    static const struct {
        const char *key;
        unsigned bit;
        double lo, hi;
    } keys[] = {
        {"yellow", LR_SYNTH_SET_YELLOW, 0, 1},     {"uneven_light", LR_SYNTH_SET_UNEVEN, 0, 1},
        {"stains", LR_SYNTH_SET_STAINS, 0, 20},    {"bleed", LR_SYNTH_SET_BLEED, 0, 1},
        {"blur", LR_SYNTH_SET_BLUR, 0, 10},        {"noise", LR_SYNTH_SET_NOISE, 0, 100},
        {"jpeg_quality", LR_SYNTH_SET_JPEG, 0, 100}, {"contrast", LR_SYNTH_SET_CONTRAST, 0.3, 1},
    };
    char buf[512];
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) {
            lr_error_set(err, LR_ERR_ARG, "bad --degrade item \"%s\"", item);
            lr_error_hint(err, "Write KEY=VALUE, e.g. --degrade yellow=0.4,noise=8.");
            return LR_ERR_ARG;
        }
        *eq = '\0';
        const char *val = eq + 1;
        int k = -1;
        for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++)
            if (strcmp(item, keys[i].key) == 0)
                k = i;
        if (k < 0) {
            lr_error_set(err, LR_ERR_ARG, "unknown degradation \"%s\"", item);
            lr_error_hint(err, "Known: yellow, uneven_light, stains, bleed, blur, noise, "
                               "jpeg_quality, contrast.");
            return LR_ERR_ARG;
        }
        double v;
        if (keys[k].bit == LR_SYNTH_SET_JPEG && strcmp(val, "null") == 0) {
            v = 0;
        } else {
            char *end = NULL;
            errno = 0;
            v = strtod(val, &end);
            if (errno || !end || end == val || *end || v < keys[k].lo || v > keys[k].hi) {
                lr_error_set(err, LR_ERR_ARG, "bad value \"%s\" for %s", val, item);
                lr_error_hint(err, "Allowed: %g … %g.", keys[k].lo, keys[k].hi);
                return LR_ERR_ARG;
            }
        }
        switch (keys[k].bit) {
        case LR_SYNTH_SET_YELLOW: out->yellow = v; break;
        case LR_SYNTH_SET_UNEVEN: out->uneven_light = v; break;
        case LR_SYNTH_SET_STAINS: out->stains = (int)v; break;
        case LR_SYNTH_SET_BLEED: out->bleed = v; break;
        case LR_SYNTH_SET_BLUR: out->blur = v; break;
        case LR_SYNTH_SET_NOISE: out->noise = v; break;
        case LR_SYNTH_SET_JPEG: out->jpeg_quality = (int)v; break;
        default: out->contrast = v; break;
        }
        *out_mask |= keys[k].bit;
    }
    return LR_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Planes: the page as 1 (grey) or 3 (rgb) byte planes while it is degraded.                  */

typedef struct planes {
    int w, h, n;
    uint8_t *p[3];
} planes;

static void planes_free(planes *pl)
{
    for (int i = 0; i < 3; i++)
        free(pl->p[i]);
    memset(pl, 0, sizeof *pl);
}

static int planes_from_pix(PIX *pix, planes *pl)
{
    memset(pl, 0, sizeof *pl);
    pl->w = (int)pixGetWidth(pix);
    pl->h = (int)pixGetHeight(pix);
    pl->n = pixGetDepth(pix) == 32 ? 3 : 1;
    size_t sz = (size_t)pl->w * pl->h;
    for (int i = 0; i < pl->n; i++)
        if (!(pl->p[i] = malloc(sz))) {
            planes_free(pl);
            return LR_ERR_NOMEM;
        }
    int wpl = pixGetWpl(pix);
    l_uint32 *data = pixGetData(pix);
    for (int y = 0; y < pl->h; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        size_t o = (size_t)y * pl->w;
        if (pl->n == 1) {
            for (int x = 0; x < pl->w; x++)
                pl->p[0][o + x] = (uint8_t)GET_DATA_BYTE(line, x);
        } else {
            for (int x = 0; x < pl->w; x++) {
                l_uint32 v = line[x];
                pl->p[0][o + x] = (uint8_t)(v >> 24);
                pl->p[1][o + x] = (uint8_t)(v >> 16);
                pl->p[2][o + x] = (uint8_t)(v >> 8);
            }
        }
    }
    return LR_OK;
}

static void planes_to_pix(const planes *pl, PIX *pix)
{
    int wpl = pixGetWpl(pix);
    l_uint32 *data = pixGetData(pix);
    for (int y = 0; y < pl->h; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        size_t o = (size_t)y * pl->w;
        if (pl->n == 1) {
            for (int x = 0; x < pl->w; x++)
                SET_DATA_BYTE(line, x, pl->p[0][o + x]);
        } else {
            for (int x = 0; x < pl->w; x++)
                line[x] = ((l_uint32)pl->p[0][o + x] << 24) | ((l_uint32)pl->p[1][o + x] << 16) |
                          ((l_uint32)pl->p[2][o + x] << 8);
        }
    }
}

static uint8_t clamp8(double v)
{
    return v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)(v + 0.5);
}

/* Luminance of pixel i. */
static int lum_at(const planes *pl, size_t i)
{
    if (pl->n == 1)
        return pl->p[0][i];
    return (299 * pl->p[0][i] + 587 * pl->p[1][i] + 114 * pl->p[2][i] + 500) / 1000;
}

/* acc[x] += k · s[x]; restrict lets the compiler vectorise it. */
static void accumulate(int32_t *restrict acc, const uint8_t *restrict s, int k, int w)
{
    for (int x = 0; x < w; x++)
        acc[x] += k * s[x];
}

/* Separable Gaussian blur of one plane (sigma in pixels), fixed-point weights. Both passes
 * run along rows (the vertical one accumulates whole rows), which keeps them cache-friendly
 * and lets the compiler vectorise the inner loops. */
static int blur_plane(uint8_t *p, int w, int h, double sigma)
{
    int r = (int)ceil(3 * sigma);
    if (r < 1)
        r = 1;
    if (r > 30)
        r = 30;
    int k[61];
    double sum = 0, wts[61];
    for (int i = -r; i <= r; i++)
        sum += wts[i + r] = exp(-(double)(i * i) / (2 * sigma * sigma));
    int total = 0;
    for (int i = 0; i <= 2 * r; i++)
        total += k[i] = (int)lround(wts[i] / sum * 16384);
    k[r] += 16384 - total; /* weights sum to exactly 1 */
    int rc = LR_OK;
    uint8_t *tmp = malloc((size_t)w * h);
    uint8_t *padded = malloc((size_t)w + 2 * (size_t)r);
    int32_t *acc = malloc(sizeof(int32_t) * (size_t)w);
    if (!tmp || !padded || !acc) {
        rc = LR_ERR_NOMEM;
        goto done;
    }
    for (int y = 0; y < h; y++) {
        const uint8_t *src = p + (size_t)y * w;
        uint8_t *dst = tmp + (size_t)y * w;
        /* Edges repeated into a padded copy of the row: no clamping in the loop. */
        memset(padded, src[0], (size_t)r);
        memcpy(padded + r, src, (size_t)w);
        memset(padded + r + w, src[w - 1], (size_t)r);
        for (int x = 0; x < w; x++)
            acc[x] = 8192;
        for (int i = 0; i <= 2 * r; i++)
            accumulate(acc, padded + i, k[i], w);
        for (int x = 0; x < w; x++)
            dst[x] = (uint8_t)(acc[x] >> 14);
    }
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++)
            acc[x] = 8192;
        for (int i = -r; i <= r; i++) {
            int yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
            accumulate(acc, tmp + (size_t)yy * w, k[i + r], w);
        }
        uint8_t *dst = p + (size_t)y * w;
        for (int x = 0; x < w; x++)
            dst[x] = (uint8_t)(acc[x] >> 14);
    }
done:
    free(tmp);
    free(padded);
    free(acc);
    return rc;
}

/* The writing of the reverse showing through: the page's own darkness mirrored left to
 * right, shifted and spread out. Returns a plane of darkness (caller frees) or NULL. */
static uint8_t *bleed_plane(const planes *pl, lr_synth_rng *rng)
{
    int w = pl->w, h = pl->h;
    uint8_t *dark = malloc((size_t)w * h);
    if (!dark)
        return NULL;
    int ox = lr_synth_rng_int(rng, -w / 40, w / 40), oy = lr_synth_rng_int(rng, -h / 60, h / 60);
    for (int y = 0; y < h; y++) {
        uint8_t *d = dark + (size_t)y * w;
        int sy = y + oy;
        if (sy < 0 || sy >= h) {
            memset(d, 0, (size_t)w);
            continue;
        }
        for (int x = 0; x < w; x++) {
            int sx = w - 1 - x + ox;
            d[x] = sx < 0 || sx >= w ? 0 : (uint8_t)(255 - lum_at(pl, (size_t)sy * w + sx));
        }
    }
    if (blur_plane(dark, w, h, fmax(1.0, w / 1200.0)) < 0) {
        free(dark);
        return NULL;
    }
    return dark;
}

/* Light factor of one row: 1 − ua·(mix·gradient + (1 − mix)·vignette). */
static void row_light(float *restrict f, int w, float dx0, float ddx, float dy, float gx, float gy,
                      float mix, float ua)
{
    for (int x = 0; x < w; x++) {
        float dx = dx0 + ddx * (float)x;
        f[x] = 1.0f - ua * (mix * (dx * gx + dy * gy + 1.0f) * 0.5f +
                            (1.0f - mix) * (dx * dx + dy * dy));
    }
}

/* p[x] ·= f[x] · k · (1 − dark[x] · b); every factor is within [0, 1], so no clamping. */
static void row_multiply(uint8_t *restrict p, const float *restrict f,
                         const uint8_t *restrict dark, float k, float b, int w)
{
    if (dark)
        for (int x = 0; x < w; x++)
            p[x] = (uint8_t)((float)p[x] * f[x] * k * (1.0f - (float)dark[x] * b) + 0.5f);
    else
        for (int x = 0; x < w; x++)
            p[x] = (uint8_t)((float)p[x] * f[x] * k + 0.5f);
}

/* Bleed-through, yellowed paper and uneven light in one pass: each multiplies the page. */
static int paper_and_light(planes *pl, const lr_synth_degradations *deg, const uint8_t *dark,
                            lr_synth_rng *rng)
{
    /* Old Hanji: multiply towards (236, 218, 170); bleed-through is brownish. */
    static const double paper[3] = {236 / 255.0, 218 / 255.0, 170 / 255.0};
    static const double bleed_tint[3] = {1.0, 1.05, 1.2};
    double fy[3], bt[3];
    for (int c = 0; c < 3; c++) {
        fy[c] = 1 - deg->yellow * (1 - paper[c]);
        bt[c] = bleed_tint[c];
    }
    if (pl->n == 1) {
        fy[0] = 1 - deg->yellow * (1 - (0.299 * paper[0] + 0.587 * paper[1] + 0.114 * paper[2]));
        bt[0] = 1.05;
    }
    /* Uneven light: darker towards one side (a gradient in a random direction) and towards
     * the corners. */
    double th = 0, mix = 0;
    if (deg->uneven_light > 0) {
        th = lr_synth_rng_range(rng, 0, 2 * M_PI);
        mix = lr_synth_rng_range(rng, 0.4, 0.8);
    }
    /* Bleed darkens by at most 0.5 · 1.2 and light by 0.45: factors stay in [0, 1]. */
    double gx = cos(th), gy = sin(th);
    double cx = pl->w / 2.0, cy = pl->h / 2.0, rmax = sqrt(cx * cx + cy * cy);
    float ua = (float)(deg->uneven_light * 0.45), bs = (float)(deg->bleed * 0.5 / 255.0);
    float *fr = malloc(sizeof(float) * (size_t)pl->w);
    if (!fr)
        return LR_ERR_NOMEM;
    for (int y = 0; y < pl->h; y++) {
        size_t o = (size_t)y * pl->w;
        float dy = (float)((y - cy) / rmax);
        row_light(fr, pl->w, (float)(-cx / rmax), (float)(1 / rmax), dy, (float)gx, (float)gy,
                  (float)mix, ua);
        for (int c = 0; c < pl->n; c++)
            row_multiply(pl->p[c] + o, fr, dark ? dark + o : NULL, (float)fy[c],
                         bs * (float)bt[c], pl->w);
    }
    free(fr);
    return LR_OK;
}

static void stains(planes *pl, int n, lr_synth_rng *rng)
{
    static const double tint[3] = {0.78, 0.62, 0.40}; /* water and tea: brown */
    double pxmm = pl->w / 210.0;
    for (int k = 0; k < n; k++) {
        double cx = lr_synth_rng_range(rng, 0, pl->w), cy = lr_synth_rng_range(rng, 0, pl->h);
        double rx = lr_synth_rng_range(rng, 8, 35) * pxmm, ry = rx * lr_synth_rng_range(rng, 0.5, 1.2);
        double th = lr_synth_rng_range(rng, 0, M_PI), ct = cos(th), st = sin(th);
        double s = lr_synth_rng_range(rng, 0.12, 0.3);
        double rr = fmax(rx, ry) * 1.1;
        int x0 = (int)fmax(0, cx - rr), x1 = (int)fmin(pl->w - 1, cx + rr);
        int y0 = (int)fmax(0, cy - rr), y1 = (int)fmin(pl->h - 1, cy + rr);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                double dx = x - cx, dy = y - cy;
                double u = (dx * ct + dy * st) / rx, v = (-dx * st + dy * ct) / ry;
                double e = u * u + v * v;
                if (e >= 1.06)
                    continue;
                double body = e < 1 ? (1 - e * e) * 0.5 : 0;
                double t = 1 - fabs(sqrt(e) - 0.97) / 0.06; /* the tide line */
                double ring = t > 0 ? t * t : 0;
                double wgt = s * (body + ring);
                size_t i = (size_t)y * pl->w + x;
                for (int c = 0; c < pl->n; c++) {
                    double tc = pl->n == 1 ? 0.64 : tint[c];
                    pl->p[c][i] = clamp8(pl->p[c][i] * (1 - wgt * (1 - tc)));
                }
            }
    }
}

/* Faded contrast (every value pulled towards CONTRAST_PIVOT) and sensor noise, in one pass.
 * Done after the blur: the blur is linear with weights summing to one, so fading before or
 * after it is the same page. The noise is one Gaussian-like value per pixel (sum of four
 * uniforms), the same on each channel: scanner noise is mostly in luminance. */
static void contrast_and_noise(planes *pl, double contrast, double sd, lr_synth_rng *rng)
{
    /* sum of four 16-bit uniforms − 2·65535 has sd 65535·√(4/12); scaled to sd in 8.24. */
    const int64_t k = (int64_t)llround(sd / (65535.0 * sqrt(4.0 / 12.0)) * 16777216.0);
    const double add = (1 - contrast) * CONTRAST_PIVOT;
    uint8_t lut[256];
    for (int v = 0; v < 256; v++)
        lut[v] = clamp8(contrast * v + add);
    for (size_t i = 0; i < (size_t)pl->w * pl->h; i++) {
        int d = 0;
        if (sd > 0) {
            uint64_t r = lr_synth_rng_next(rng);
            int64_t s = (int64_t)(r & 0xffff) + (int64_t)((r >> 16) & 0xffff) +
                        (int64_t)((r >> 32) & 0xffff) + (int64_t)(r >> 48) - 2 * 65535;
            int64_t t = s * k;
            d = (int)((t + (t >= 0 ? 8388608 : -8388608)) / 16777216);
        }
        for (int c = 0; c < pl->n; c++) {
            int v = lut[pl->p[c][i]] + d;
            pl->p[c][i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

/* Bilinear rotation of one plane, content counter-clockwise by deg on screen (y down),
 * about the centre, white brought in; source coordinates step in 16.16 fixed point. */
static void rotate_plane(const uint8_t *src, uint8_t *dst, int w, int h, double deg)
{
    double th = deg * M_PI / 180.0, c = cos(th), s = sin(th);
    double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
    int64_t dxs = llround(c * 65536.0), dys = llround(s * 65536.0);
    for (int y = 0; y < h; y++) {
        /* Output (x, y) reads the source at the point turned back by −deg. */
        double xs0 = cx + (0 - cx) * c - (y - cy) * s;
        double ys0 = cy + (0 - cx) * s + (y - cy) * c;
        int64_t X = llround(xs0 * 65536.0), Y = llround(ys0 * 65536.0);
        uint8_t *out = dst + (size_t)y * w;
        for (int x = 0; x < w; x++, X += dxs, Y += dys) {
            int64_t ix = X >> 16, iy = Y >> 16;
            int fx = (int)((X >> 8) & 0xff), fy = (int)((Y >> 8) & 0xff);
            int p00, p01, p10, p11;
            if ((uint64_t)ix < (uint64_t)(w - 1) && (uint64_t)iy < (uint64_t)(h - 1)) {
                const uint8_t *r0 = src + (size_t)iy * w + ix;
                p00 = r0[0], p01 = r0[1], p10 = r0[w], p11 = r0[w + 1];
            } else if (ix < -1 || iy < -1 || ix >= w || iy >= h) {
                out[x] = 255;
                continue;
            } else { /* on the rim: what lies outside is white */
                bool x0in = ix >= 0, x1in = ix + 1 < w, y0in = iy >= 0, y1in = iy + 1 < h;
                const uint8_t *r0 = src + (size_t)(y0in ? iy : 0) * w;
                const uint8_t *r1 = src + (size_t)(y1in ? iy + 1 : 0) * w;
                p00 = y0in && x0in ? r0[ix] : 255;
                p01 = y0in && x1in ? r0[ix + 1] : 255;
                p10 = y1in && x0in ? r1[ix] : 255;
                p11 = y1in && x1in ? r1[ix + 1] : 255;
            }
            int top = p00 * (256 - fx) + p01 * fx, bot = p10 * (256 - fx) + p11 * fx;
            out[x] = (uint8_t)((top * (256 - fy) + bot * fy + 32768) >> 16);
        }
    }
}

int lr_synth_degrade_apply(PIX *pix, const lr_synth_degradations *deg, double skew,
                           lr_synth_rng *rng, lr_error *err)
{
    if (!pix || !deg || !rng || (pixGetDepth(pix) != 8 && pixGetDepth(pix) != 32))
        return lr_error_set(err, LR_ERR_ARG, "nothing to degrade");
    bool any = deg->bleed > 0 || deg->yellow > 0 || deg->uneven_light > 0 || deg->stains > 0 ||
               deg->contrast < 1 || deg->blur > 0 || deg->noise > 0;
    bool turn = fabs(skew) >= 0.005;
    if (!any && !turn)
        return LR_OK;
    int rc = LR_OK;
    uint8_t *dark = NULL;
    planes pl;
    if ((rc = planes_from_pix(pix, &pl)) < 0)
        return lr_error_set(err, rc, "out of memory while degrading the page");
    if (deg->bleed > 0 && !(dark = bleed_plane(&pl, rng))) {
        rc = LR_ERR_NOMEM;
        goto done;
    }
    if ((dark || deg->yellow > 0 || deg->uneven_light > 0) &&
        (rc = paper_and_light(&pl, deg, dark, rng)) < 0)
        goto done;
    if (deg->stains > 0)
        stains(&pl, deg->stains, rng);
    if (deg->blur > 0)
        for (int c = 0; c < pl.n && rc == LR_OK; c++)
            rc = blur_plane(pl.p[c], pl.w, pl.h, deg->blur);
    if (rc < 0)
        goto done;
    if (deg->contrast < 1 || deg->noise > 0)
        contrast_and_noise(&pl, deg->contrast < 1 ? deg->contrast : 1.0, deg->noise, rng);
    if (turn) {
        /* Each plane turned into a spare buffer, which then takes the plane's place. */
        uint8_t *spare = malloc((size_t)pl.w * pl.h);
        if (!spare) {
            rc = LR_ERR_NOMEM;
            goto done;
        }
        for (int c = 0; c < pl.n; c++) {
            rotate_plane(pl.p[c], spare, pl.w, pl.h, skew);
            uint8_t *t = pl.p[c];
            pl.p[c] = spare;
            spare = t;
        }
        free(spare);
    }
    planes_to_pix(&pl, pix);
done:
    if (rc < 0)
        lr_error_set(err, rc, "out of memory while degrading the page");
    free(dark);
    planes_free(&pl);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Geometry and colour                                                                        */

int lr_synth_geometry_and_colour(PIX *pix, int orientation, lr_synth_colour colour,
                                 int jpeg_quality, PIX **out_pix, lr_error *err)
{
    if (out_pix)
        *out_pix = NULL;
    if (!pix || !out_pix || orientation % 90 || orientation < 0 || orientation > 270)
        return lr_error_set(err, LR_ERR_ARG, "bad page geometry");
    int rc = LR_OK;
    PIX *turned = NULL, *grey = NULL, *out = NULL;
    int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix);
    /* Stored so that turning it clockwise by orientation reads upright: the upright page
     * turned clockwise by 360 − orientation. */
    int quads = (4 - orientation / 90) % 4;
    turned = quads ? pixRotateOrth(pix, quads) : pixClone(pix);
    if (!turned)
        goto nomem;
    switch (colour) {
    case LR_SYNTH_RGB:
        out = pixGetDepth(turned) == 32 ? pixClone(turned) : pixConvert8To32(turned);
        break;
    case LR_SYNTH_GREY:
        out = pixGetDepth(turned) == 32 ? pixConvertRGBToLuminance(turned) : pixClone(turned);
        break;
    default:
        grey = pixGetDepth(turned) == 32 ? pixConvertRGBToLuminance(turned) : pixClone(turned);
        if (!grey)
            goto nomem;
        if (jpeg_quality > 0) {
            /* A page once saved as JPEG, then thresholded: the artefacts show in the edges. */
            l_uint8 *data = NULL;
            size_t size = 0;
            if (pixWriteMemJpeg(&data, &size, grey, jpeg_quality, 0) != 0)
                goto nomem;
            PIX *back = pixReadMemJpeg(data, size, 0, 1, NULL, 0);
            free(data);
            if (!back)
                goto nomem;
            pixDestroy(&grey);
            grey = back;
        }
        out = pixThresholdToBinary(grey, BITONAL_THRESHOLD);
        break;
    }
    if (!out)
        goto nomem;
    pixSetResolution(out, pixGetXRes(pix), pixGetYRes(pix));
    *out_pix = out;
    out = NULL;
    goto done;
nomem:
    rc = lr_error_set(err, LR_ERR_NOMEM, "could not turn or reduce the page");
    lr_error_detail(err, "Leptonica failed on a %dx%d page", w, h);
done:
    pixDestroy(&turned);
    pixDestroy(&grey);
    pixDestroy(&out);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* TIFF                                                                                       */

static void tiff_silent(const char *module, const char *fmt, va_list ap)
{
    (void)module, (void)fmt, (void)ap;
}

int lr_synth_tiff_write(const char *path, PIX **pages, const int *jpeg_quality, int n, int dpi,
                        const char *software, lr_error *err)
{
    if (!path || !pages || n < 1)
        return lr_error_set(err, LR_ERR_ARG, "nothing to write");
    int rc = LR_OK;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    uint8_t *row = NULL;
    TIFFErrorHandler old_warn = TIFFSetWarningHandler(tiff_silent);
    TIFF *tif = TIFFOpen(tmp, "w");
    if (!tif) {
        rc = lr_error_set(err, LR_ERR_IO, "could not create %s", tmp);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        PIX *pix = pages[i];
        int w = (int)pixGetWidth(pix), h = (int)pixGetHeight(pix), d = pixGetDepth(pix);
        int q = jpeg_quality ? jpeg_quality[i] : 0;
        TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
        TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)h);
        TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
        TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
        TIFFSetField(tif, TIFFTAG_XRESOLUTION, (float)dpi);
        TIFFSetField(tif, TIFFTAG_YRESOLUTION, (float)dpi);
        if (software)
            TIFFSetField(tif, TIFFTAG_SOFTWARE, software);
        if (n > 1) {
            TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
            TIFFSetField(tif, TIFFTAG_PAGENUMBER, (uint16_t)i, (uint16_t)n);
        }
        size_t row_bytes;
        if (d == 1) {
            TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
            TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
            TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
            TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
            TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)h);
            row_bytes = ((size_t)w + 7) / 8;
        } else if (d == 8) {
            TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
            TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
            TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
            if (q > 0) {
                TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
                TIFFSetField(tif, TIFFTAG_JPEGQUALITY, q);
            } else {
                TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
                TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
            }
            TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 64u);
            row_bytes = (size_t)w;
        } else {
            TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
            TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
            if (q > 0) {
                TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
                TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
                TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
                TIFFSetField(tif, TIFFTAG_JPEGQUALITY, q);
            } else {
                TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
                TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
                TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
            }
            TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 64u);
            row_bytes = (size_t)w * 3;
        }
        free(row);
        if (!(row = malloc(row_bytes))) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            goto done;
        }
        int wpl = pixGetWpl(pix);
        l_uint32 *data = pixGetData(pix);
        for (int y = 0; y < h; y++) {
            l_uint32 *line = data + (size_t)y * wpl;
            if (d == 1) {
                for (size_t b = 0; b < row_bytes; b++)
                    row[b] = (uint8_t)GET_DATA_BYTE(line, b);
                if (w % 8) /* Leptonica leaves the padding bits undefined */
                    row[row_bytes - 1] &= (uint8_t)(0xff << (8 - w % 8));
            } else if (d == 8) {
                for (int x = 0; x < w; x++)
                    row[x] = (uint8_t)GET_DATA_BYTE(line, x);
            } else {
                for (int x = 0; x < w; x++) {
                    row[3 * x] = (uint8_t)(line[x] >> 24);
                    row[3 * x + 1] = (uint8_t)(line[x] >> 16);
                    row[3 * x + 2] = (uint8_t)(line[x] >> 8);
                }
            }
            if (TIFFWriteScanline(tif, row, (uint32_t)y, 0) < 0) {
                rc = lr_error_set(err, LR_ERR_IO, "could not write %s", tmp);
                goto done;
            }
        }
        if (!TIFFWriteDirectory(tif)) {
            rc = lr_error_set(err, LR_ERR_IO, "could not write %s", tmp);
            goto done;
        }
    }
    TIFFClose(tif);
    tif = NULL;
    if (rename(tmp, path) != 0)
        rc = lr_error_set(err, LR_ERR_IO, "could not rename %s to %s: %s", tmp, path,
                          strerror(errno));
done:
    if (tif)
        TIFFClose(tif);
    if (rc < 0)
        remove(tmp);
    TIFFSetWarningHandler(old_warn);
    free(row);
    return rc;
}
