/* page.c — what every decoder of src/image does with a page the same way: the warning list,
 * the check of the declared size against the limits, the resolution used for processing, the
 * colour named in lr_page_info; and the page of the one-page formats (PNG, JPEG), whose header
 * was parsed at open, decoded by png.c or jpeg.c and normalised here.
 */
#include "image_internal.h"

#include <errno.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Alpha is composited over white: this RGBA word. */
#define WHITE_BACKGROUND 0xffffff00

const char *img_format_name(int format)
{
    switch (format) {
    case IMG_FMT_TIFF: return "tiff";
    case IMG_FMT_PNG: return "png";
    case IMG_FMT_JPEG: return "jpeg";
    }
    return "unknown";
}

void img_copy_trunc(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void img_add_warning(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strnlen(buf, size);
    if (len + 1 >= size)
        return;
    if (len > 0) {
        snprintf(buf + len, size - len, "; ");
        len = strnlen(buf, size);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

bool img_read_at(int fd, void *buf, size_t n, uint64_t off)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k = pread(fd, (char *)buf + done, n - done, (off_t)(off + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        done += (size_t)k;
    }
    return true;
}

int img_set_truncated(lr_error *err, const char *fname, const char *fmt, ...)
{
    int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt %s: the data ends early", fname);
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->detail, sizeof err->detail, fmt, ap);
        va_end(ap);
    }
    return rc;
}

int img_check_page_limits(const lr_image_limits *lim, int page, uint64_t w, uint64_t h,
                          lr_error *err)
{
    if (w == 0 || h == 0) {
        int rc = lr_error_set(err, LR_ERR_CORRUPT, "page %d has no pixels", page);
        lr_error_detail(err, "Declared size %llu × %llu.", (unsigned long long)w,
                        (unsigned long long)h);
        return rc;
    }
    /* w and h come from 32-bit fields, so w * h cannot overflow 64 bits. */
    if (w > (uint64_t)lim->max_side || h > (uint64_t)lim->max_side ||
        w * h > (uint64_t)lim->max_pixels) {
        int rc = lr_error_set(err, LR_ERR_TOO_LARGE, "page %d too large to decode", page);
        lr_error_detail(err,
                        "The page declares %llu × %llu pixels (%.1f megapixels); the limits "
                        "are %lld pixels a side and %lld pixels (%.1f megapixels).",
                        (unsigned long long)w, (unsigned long long)h, (double)(w * h) / 1e6,
                        (long long)lim->max_side, (long long)lim->max_pixels,
                        (double)lim->max_pixels / 1e6);
        lr_error_hint(err, "Raise the image limits if the page is genuine.");
        return rc;
    }
    return LR_OK;
}

static bool dpi_ok(double v)
{
    return isfinite(v) && v >= LR_IMAGE_MIN_DPI && v <= LR_IMAGE_MAX_DPI;
}

void img_resolve_dpi(lr_page_info *info, bool have_x, double x, bool have_y, double y,
                     const char *why_missing)
{
    bool okx = have_x && dpi_ok(x), oky = have_y && dpi_ok(y);
    if (okx && oky) {
        info->dpi_x = (int)lround(x);
        info->dpi_y = (int)lround(y);
    } else if (okx || oky) {
        /* One usable axis: square pixels are the norm for scans. */
        int v = (int)lround(okx ? x : y);
        info->dpi_x = info->dpi_y = v;
        img_add_warning(info->warning, sizeof info->warning,
                        "%s resolution missing or absurd: %d dpi used for both axes",
                        okx ? "vertical" : "horizontal", v);
    } else {
        info->dpi_x = info->dpi_y = LR_IMAGE_FALLBACK_DPI;
        info->dpi_assumed = true;
        if (why_missing)
            img_add_warning(info->warning, sizeof info->warning, "%s: %d dpi assumed",
                            why_missing, LR_IMAGE_FALLBACK_DPI);
        else if (!have_x && !have_y)
            img_add_warning(info->warning, sizeof info->warning,
                            "no resolution in the file: %d dpi assumed", LR_IMAGE_FALLBACK_DPI);
        else
            img_add_warning(info->warning, sizeof info->warning,
                            "absurd resolution %g × %g dpi: %d dpi assumed", have_x ? x : 0.0,
                            have_y ? y : 0.0, LR_IMAGE_FALLBACK_DPI);
    }
}

void img_set_colour(lr_page_info *info, int depth)
{
    info->depth = depth;
    snprintf(info->colour, sizeof info->colour, "%s",
             depth == 1 ? "bitonal" : depth == 8 ? "grey" : "rgb");
}

/* ---------------------------------------------------------------------------------------- */
/* PNG and JPEG pages                                                                        */
/* ---------------------------------------------------------------------------------------- */

/* Brings a PIX as Leptonica's readers make it to depth 1, 8 or 32 without colormap or alpha. */
static int normalise_pix(PIX **ppix, bool grey_alpha, lr_page_info *info, lr_error *err)
{
    PIX *pix = *ppix, *next = NULL;
    if (pixGetColormap(pix)) {
        next = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
        if (!next)
            goto nomem;
        pixDestroy(&pix);
        pix = next;
        next = NULL;
    }
    l_int32 d = pixGetDepth(pix);
    if (d == 2 || d == 4) {
        next = pixConvertTo8(pix, FALSE);
    } else if (d == 16) {
        next = pixConvert16To8(pix, L_MS_BYTE);
    } else if (d == 24) {
        next = pixConvert24To32(pix);
    } else if (d == 32 && pixGetSpp(pix) == 4) {
        img_add_warning(info->warning, sizeof info->warning,
                        "alpha channel removed (composited over white)");
        next = pixAlphaBlendUniform(pix, WHITE_BACKGROUND);
    }
    if (next) {
        pixDestroy(&pix);
        pix = next;
        next = NULL;
    } else if (d != 1 && d != 8 && d != 32) {
        goto nomem;
    }
    if (pixGetDepth(pix) == 32) {
        pixSetSpp(pix, 3);
        if (grey_alpha) { /* Leptonica widens grey+alpha to RGBA; narrow it back */
            next = pixConvertRGBToLuminance(pix);
            if (!next)
                goto nomem;
            pixDestroy(&pix);
            pix = next;
        }
    }
    *ppix = pix;
    return LR_OK;
nomem:
    *ppix = pix;
    return lr_error_set(err, LR_ERR_NOMEM, "out of memory converting page %d", info->page);
}

int img_read_single_page(lr_source *src, PIX **out_pix, lr_page_info *info, lr_error *err)
{
    int rc = LR_OK;
    PIX *pix = NULL;
    FILE *fp = NULL;
    const struct img_header *hd = src->hdr;
    const char *fname = img_format_name(src->format);

    info->width = (int)hd->width;
    info->height = (int)hd->height;
    info->bits_per_sample = hd->bps;
    info->samples_per_pixel = hd->spp;
    snprintf(info->compression, sizeof info->compression, "%s", fname);
    snprintf(info->photometric, sizeof info->photometric, "%s",
             hd->palette ? "palette" : hd->cmyk ? "cmyk" : hd->spp <= 2 ? "min-is-black" : "rgb");
    img_resolve_dpi(info, hd->have_res, hd->xres, hd->have_res, hd->yres, hd->why_no_res);
    rc = img_check_page_limits(&src->limits, 1, hd->width, hd->height, err);
    if (rc)
        goto done;

    int dfd = dup(src->fd);
    if (dfd < 0 || !(fp = fdopen(dfd, "rb"))) {
        rc = lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
        if (dfd >= 0)
            close(dfd);
        goto done;
    }
    rewind(fp); /* the duplicate shares the descriptor's offset */
    rc = src->format == IMG_FMT_PNG ? img_png_read(fp, &pix, info, err)
                                    : img_jpeg_read(fp, &pix, info, err);
    if (rc)
        goto done;
    if (hd->bps == 16)
        img_add_warning(info->warning, sizeof info->warning, "16-bit samples reduced to 8 bits");
    if (hd->palette) {
        l_int32 colour = 0;
        if (pixGetColormap(pix))
            pixcmapHasColor(pixGetColormap(pix), &colour);
        img_add_warning(info->warning, sizeof info->warning, "palette converted to %s",
                        colour ? "rgb" : "grey");
    }
    if (hd->cmyk)
        img_add_warning(info->warning, sizeof info->warning,
                        "cmyk converted to rgb (naive conversion, no colour profile)");
    rc = normalise_pix(&pix, hd->spp == 2, info, err);
    if (rc)
        goto done;
    img_set_colour(info, pixGetDepth(pix));
    pixSetResolution(pix, info->dpi_x, info->dpi_y);
    *out_pix = pix;
    pix = NULL;
done:
    pixDestroy(&pix);
    if (fp)
        fclose(fp);
    return rc;
}
