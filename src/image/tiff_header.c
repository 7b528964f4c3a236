/* tiff_header.c — a TIFF page's directory read into a tiff_page: size, samples, colour model,
 * compression, resolution and orientation, and the decision how its samples are converted (or
 * that the page is refused). No pixel data is touched.
 */
#include "tiff_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#define CM_PER_INCH 2.54

static const char *tiff_compression_name(uint16_t c)
{
    switch (c) {
    case COMPRESSION_NONE: return "none";
    case COMPRESSION_CCITTRLE:
    case COMPRESSION_CCITTRLEW:
    case COMPRESSION_CCITTFAX3: return "g3";
    case COMPRESSION_CCITTFAX4: return "g4";
    case COMPRESSION_LZW: return "lzw";
    case COMPRESSION_OJPEG:
    case COMPRESSION_JPEG: return "jpeg";
    case COMPRESSION_ADOBE_DEFLATE:
    case COMPRESSION_DEFLATE: return "deflate";
    case COMPRESSION_PACKBITS: return "packbits";
    }
    return "other";
}

static const char *tiff_photometric_name(uint16_t p)
{
    switch (p) {
    case PHOTOMETRIC_MINISWHITE: return "min-is-white";
    case PHOTOMETRIC_MINISBLACK: return "min-is-black";
    case PHOTOMETRIC_RGB: return "rgb";
    case PHOTOMETRIC_PALETTE: return "palette";
    case PHOTOMETRIC_MASK: return "mask";
    case PHOTOMETRIC_SEPARATED: return "cmyk";
    case PHOTOMETRIC_YCBCR: return "ycbcr";
    case PHOTOMETRIC_CIELAB: return "cielab";
    case PHOTOMETRIC_ICCLAB: return "icclab";
    case PHOTOMETRIC_ITULAB: return "itulab";
    case PHOTOMETRIC_CFA: return "cfa";
    case PHOTOMETRIC_LOGL: return "logl";
    case PHOTOMETRIC_LOGLUV: return "logluv";
    }
    return "other";
}

void img_tiff_read_header(TIFF *tif, tiff_page *tp, lr_page_info *info)
{
    uint16_t u16 = 0;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &tp->width);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &tp->height);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &tp->bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &tp->spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &tp->compression);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &tp->planar);
    if (!TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &tp->orientation))
        tp->orientation = ORIENTATION_TOPLEFT;
    if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &u16)) {
        tp->photometric = u16;
    } else {
        /* Missing tag: Leptonica's guess (fax data is min-is-white by convention). */
        bool fax = tp->compression == COMPRESSION_CCITTFAX3 ||
                   tp->compression == COMPRESSION_CCITTFAX4 ||
                   tp->compression == COMPRESSION_CCITTRLE ||
                   tp->compression == COMPRESSION_CCITTRLEW;
        tp->photometric = tp->spp >= 3 ? PHOTOMETRIC_RGB
                          : fax        ? PHOTOMETRIC_MINISWHITE
                                       : PHOTOMETRIC_MINISBLACK;
        img_add_warning(info->warning, sizeof info->warning,
                        "photometric tag missing: %s assumed",
                        tiff_photometric_name(tp->photometric));
    }

    info->width = (int)(tp->width > INT_MAX ? INT_MAX : tp->width);
    info->height = (int)(tp->height > INT_MAX ? INT_MAX : tp->height);
    info->bits_per_sample = tp->bps;
    info->samples_per_pixel = tp->spp;
    snprintf(info->compression, sizeof info->compression, "%s",
             tiff_compression_name(tp->compression));
    snprintf(info->photometric, sizeof info->photometric, "%s",
             tiff_photometric_name(tp->photometric));

    float xr = 0, yr = 0;
    uint16_t unit = RESUNIT_INCH;
    bool hx = TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xr) == 1;
    bool hy = TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yr) == 1;
    TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
    double f = unit == RESUNIT_CENTIMETER ? CM_PER_INCH : 1.0;
    if (unit == RESUNIT_NONE && (hx || hy))
        img_resolve_dpi(info, false, 0, false, 0,
                        "resolution unit is \"none\" (aspect ratio only)");
    else
        img_resolve_dpi(info, hx, xr * f, hy, yr * f, NULL);

    uint32_t subfile = 0;
    if (TIFFGetField(tif, TIFFTAG_SUBFILETYPE, &subfile) && (subfile & FILETYPE_REDUCEDIMAGE))
        img_add_warning(info->warning, sizeof info->warning,
                        "directory is marked as a reduced-resolution copy (thumbnail)");
}


/* The sample format, depth and count, and the compression: what libtiff can decode for us. */
static int tiff_check_samples(TIFF *tif, const tiff_page *tp, lr_error *err)
{
    int rc;
    uint16_t fmt = SAMPLEFORMAT_UINT;
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &fmt);
    if (fmt != SAMPLEFORMAT_UINT && fmt != SAMPLEFORMAT_VOID) {
        rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: %s samples",
                          fmt == SAMPLEFORMAT_IEEEFP ? "floating-point"
                          : fmt == SAMPLEFORMAT_INT  ? "signed integer"
                                                     : "complex");
        lr_error_detail(err, "SampleFormat is %u; landrec reads unsigned integer samples.", fmt);
        return rc;
    }
    if (tp->bps != 1 && tp->bps != 2 && tp->bps != 4 && tp->bps != 8 && tp->bps != 16) {
        rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: %u bits per sample",
                          tp->bps);
        lr_error_detail(err, "landrec reads 1, 2, 4, 8 and 16 bits per sample.");
        return rc;
    }
    if (tp->spp < 1 || tp->spp > TIFF_MAX_SAMPLES) {
        rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: %u samples per pixel",
                          tp->spp);
        return rc;
    }
    if (tp->compression == COMPRESSION_OJPEG) {
        rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: old-style jpeg "
                                                   "compression");
        lr_error_detail(err, "Compression 6 (OJPEG) was withdrawn in 1995 (TIFF Technical "
                             "Note 2).");
        lr_error_hint(err, "Convert the page to a current compression, e.g. with ImageMagick.");
        return rc;
    }
    if (!TIFFIsCODECConfigured(tp->compression)) {
        const TIFFCodec *codec = TIFFFindCODEC(tp->compression);
        rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff compression: %s",
                          codec ? codec->name : "unknown");
        lr_error_detail(err, "Compression scheme %u is not available in this libtiff.",
                        tp->compression);
        return rc;
    }
    return LR_OK;
}

/* A palette page: its colour map as 8-bit r, g, b entries in tp->lut. */
static int tiff_load_palette(TIFF *tif, tiff_page *tp, lr_page_info *info, lr_error *err)
{
    int rc;
    uint16_t *r = NULL, *g = NULL, *b = NULL;
    if (!TIFFGetField(tif, TIFFTAG_COLORMAP, &r, &g, &b) || !r || !g || !b) {
        rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: palette page without a "
                                               "colour map");
        return rc;
    }
    if (tp->bps > 8) {
        rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: %u-bit palette",
                          tp->bps);
        return rc;
    }
    size_t n = (size_t)1 << tp->bps;
    /* Some writers store 8-bit values in the 16-bit map (libtiff's own check). */
    bool eight = true;
    for (size_t i = 0; i < n; i++)
        if (r[i] > 255 || g[i] > 255 || b[i] > 255)
            eight = false;
    tp->lut = malloc(3 * n);
    if (!tp->lut)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    tp->palette_grey = true;
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = tp->lut + 3 * i;
        e[0] = (uint8_t)(eight ? r[i] : r[i] >> 8);
        e[1] = (uint8_t)(eight ? g[i] : g[i] >> 8);
        e[2] = (uint8_t)(eight ? b[i] : b[i] >> 8);
        if (e[0] != e[1] || e[1] != e[2])
            tp->palette_grey = false;
    }
    tp->kind = KIND_PALETTE;
    tp->ncolour = 1;
    img_add_warning(info->warning, sizeof info->warning, "palette converted to %s",
                    tp->palette_grey ? "grey" : "rgb");
    return LR_OK;
}

/* tp->kind and tp->ncolour from the photometric interpretation. */
static int tiff_classify_colour(TIFF *tif, tiff_page *tp, lr_page_info *info, lr_error *err)
{
    int rc;
    switch (tp->photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK:
        tp->kind = tp->bps == 1 ? KIND_BITONAL : KIND_GREY;
        tp->ncolour = 1;
        tp->min_white = tp->photometric == PHOTOMETRIC_MINISWHITE;
        return LR_OK;
    case PHOTOMETRIC_YCBCR:
        if (tp->compression != COMPRESSION_JPEG) {
            rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: ycbcr colour "
                                                       "without jpeg compression");
            lr_error_detail(err, "Compression is %s; landrec reads YCbCr only inside "
                                 "JPEG-compressed TIFF.", info->compression);
            lr_error_hint(err, "Convert the page to RGB, e.g. with ImageMagick.");
            return rc;
        }
        /* libjpeg converts to RGB and upsamples the chroma for us. */
        TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
        /* fall through */
    case PHOTOMETRIC_RGB:
        if (tp->spp < 3) {
            rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: rgb page with %u sample(s) "
                                                   "per pixel", tp->spp);
            return rc;
        }
        tp->kind = KIND_RGB;
        tp->ncolour = 3;
        return LR_OK;
    case PHOTOMETRIC_PALETTE:
        return tiff_load_palette(tif, tp, info, err);
    case PHOTOMETRIC_SEPARATED: {
        uint16_t inkset = INKSET_CMYK;
        TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &inkset);
        if (inkset != INKSET_CMYK || tp->spp < 4) {
            rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: separated colour "
                                                       "other than cmyk");
            lr_error_detail(err, "InkSet %u with %u samples per pixel; landrec converts only "
                                 "CMYK to RGB.", inkset, tp->spp);
            return rc;
        }
        tp->kind = KIND_CMYK;
        tp->ncolour = 4;
        img_add_warning(info->warning, sizeof info->warning,
                        "cmyk converted to rgb (naive conversion, no colour profile)");
        return LR_OK;
    }
    default:
        rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff colour model: %s",
                          info->photometric);
        lr_error_detail(err, "Photometric interpretation %u; landrec reads bitonal, grey, "
                             "palette, RGB, CMYK and JPEG-compressed YCbCr pages.",
                        tp->photometric);
        lr_error_hint(err, "Convert the page to RGB or grey, e.g. with ImageMagick.");
        return rc;
    }
}

/* The samples after the colour ones: the first may be alpha, the others are ignored. */
static void tiff_extra_samples(TIFF *tif, tiff_page *tp, lr_page_info *info)
{
    tp->alpha = -1;
    if (tp->spp <= tp->ncolour)
        return;
    uint16_t nextra = 0, *extra = NULL;
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
    int ignored = tp->spp - tp->ncolour;
    if (nextra > 0 && extra &&
        (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA)) {
        tp->alpha = tp->ncolour;
        tp->alpha_assoc = extra[0] == EXTRASAMPLE_ASSOCALPHA;
        ignored--;
        img_add_warning(info->warning, sizeof info->warning,
                        "alpha channel removed (composited over white)");
    }
    if (ignored > 0)
        img_add_warning(info->warning, sizeof info->warning, "%d extra sample(s) ignored",
                        ignored);
}

int img_tiff_classify(TIFF *tif, tiff_page *tp, lr_page_info *info, lr_error *err)
{
    int rc = tiff_check_samples(tif, tp, err);
    if (rc)
        return rc;
    rc = tiff_classify_colour(tif, tp, info, err);
    if (rc)
        return rc;
    tiff_extra_samples(tif, tp, info);
    if (tp->bps == 16)
        img_add_warning(info->warning, sizeof info->warning, "16-bit samples reduced to 8 bits");
    tp->planes = tp->planar == PLANARCONFIG_SEPARATE && tp->spp > 1 ? tp->spp : 1;
    return LR_OK;
}
