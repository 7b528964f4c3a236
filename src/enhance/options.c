/* options.c — the enhancement options: their defaults, their text for the settings hash and
 * their ranges. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enhance_internal.h"

void lr_enhance_options_default(lr_enhance_options *out_opts)
{
    if (!out_opts)
        return;
    memset(out_opts, 0, sizeof *out_opts);
    out_opts->deskew = true;
    out_opts->max_skew_deg = 10.0f;
    out_opts->min_skew_conf = 2.0f;
    out_opts->normalize_background = true;
    out_opts->clean_border = true;
    out_opts->binarize = LR_BINARIZE_SAUVOLA;
    out_opts->sauvola_k = 0.5f;
    out_opts->sauvola_window_mm = 4;
    /* Off by default: on printed sheets it lowers the CER only a little (docs/enhance.md),
     * and its cost, about 15 ms an A5 page, would take the work other than OCR past 10 % of
     * the page's time. */
    out_opts->remove_lines = false;
}

/* "%.2f" or "%.3f" (decimals 2 or 3) without the locale: a comma decimal separator must not
 * change the settings hash. */
static const char *fixed(float v, int decimals, char *buf, size_t size)
{
    long scale = decimals == 3 ? 1000 : 100;
    long n = lroundf(v * (float)scale);
    const char *sign = n < 0 ? "-" : "";
    n = labs(n);
    if (decimals == 3)
        snprintf(buf, size, "%s%ld.%03ld", sign, n / scale, n % scale);
    else
        snprintf(buf, size, "%s%ld.%02ld", sign, n / scale, n % scale);
    return buf;
}

void lr_enhance_options_describe(const lr_enhance_options *opts, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    lr_enhance_options defaults;
    if (!opts) {
        lr_enhance_options_default(&defaults);
        opts = &defaults;
    }
    char a[32], b[32], c[32];
    /* Bump the tag when the algorithm changes what the same options produce. */
    snprintf(buf, size,
             "enhance.v2 deskew=%d max_skew_deg=%s min_skew_conf=%s normalize_background=%d "
             "clean_border=%d binarize=%s sauvola_k=%s sauvola_window_mm=%d remove_lines=%d",
             opts->deskew ? 1 : 0, fixed(opts->max_skew_deg, 2, a, sizeof a),
             fixed(opts->min_skew_conf, 2, b, sizeof b), opts->normalize_background ? 1 : 0,
             opts->clean_border ? 1 : 0, opts->binarize == LR_BINARIZE_OTSU ? "otsu" : "sauvola",
             fixed(opts->sauvola_k, 3, c, sizeof c), opts->sauvola_window_mm,
             opts->remove_lines ? 1 : 0);
}

int enh_check_options(const lr_enhance_options *o, lr_error *err)
{
    if (!(o->max_skew_deg >= 0.5f && o->max_skew_deg <= 45.0f)) {
        lr_error_set(err, LR_ERR_ARG, "skew search range out of range");
        lr_error_detail(err, "max_skew_deg is %g; it must be between 0.5 and 45",
                        (double)o->max_skew_deg);
        return LR_ERR_ARG;
    }
    if (!(o->min_skew_conf >= 0.0f && o->min_skew_conf <= 1000.0f)) {
        lr_error_set(err, LR_ERR_ARG, "minimum skew confidence out of range");
        lr_error_detail(err, "min_skew_conf is %g; it must be between 0 and 1000",
                        (double)o->min_skew_conf);
        return LR_ERR_ARG;
    }
    if (o->binarize != LR_BINARIZE_SAUVOLA && o->binarize != LR_BINARIZE_OTSU) {
        lr_error_set(err, LR_ERR_ARG, "unknown binarization method");
        lr_error_detail(err, "method %d", (int)o->binarize);
        return LR_ERR_ARG;
    }
    if (!(o->sauvola_k >= 0.0f && o->sauvola_k <= 1.0f)) {
        lr_error_set(err, LR_ERR_ARG, "sauvola factor out of range");
        lr_error_detail(err, "sauvola_k is %g; it must be between 0 and 1", (double)o->sauvola_k);
        lr_error_hint(err, "Values between 0.2 and 0.6 are usual; the default is 0.5.");
        return LR_ERR_ARG;
    }
    if (o->sauvola_window_mm < 1 || o->sauvola_window_mm > 100) {
        lr_error_set(err, LR_ERR_ARG, "sauvola window out of range");
        lr_error_detail(err, "sauvola_window_mm is %d; it must be between 1 and 100",
                        o->sauvola_window_mm);
        return LR_ERR_ARG;
    }
    return LR_OK;
}
