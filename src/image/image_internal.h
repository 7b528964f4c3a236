/* image_internal.h — what the files of src/image share: the open source, the header facts of a
 * PNG or JPEG read at open, the page bookkeeping every decoder does the same way, and the
 * entry points of each format's file (tiff.c, png.c, jpeg.c).
 *
 * Owns: struct lr_source (opaque in landrec/image.h), struct img_header, the format codes.
 * Borrows: lr_error (src/base), Leptonica's PIX. The fuzz targets in fuzz/ include it to reach
 * the parsers without a file on disk (a memfd stands in for the source's descriptor).
 */
#ifndef LANDREC_IMAGE_INTERNAL_H
#define LANDREC_IMAGE_INTERNAL_H

#include "landrec/image.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

enum { IMG_FMT_TIFF = 1, IMG_FMT_PNG, IMG_FMT_JPEG };

/* Size of the "; "-separated warning list of a source (that of a page is lr_page_info's). */
#define IMG_SOURCE_WARNING_MAX 256

/* The few header fields of a PNG or JPEG, read at open by img_png_parse / img_jpeg_parse,
 * which also check that the file is complete (the commonest damage is truncation), so that
 * the decoders are only ever called on complete files. */
struct img_header {
    uint32_t width, height;
    int bps, spp;
    bool palette, cmyk;
    bool have_res;
    double xres, yres;      /* dpi */
    const char *why_no_res; /* set when a resolution is present but unusable */
};

struct lr_source {
    char *path;
    const char *name; /* basename inside path, for libtiff's messages */
    int fd;           /* kept open: pages are decoded from the bytes that were hashed */
    int format;       /* IMG_FMT_* */
    int64_t size;
    struct timespec mtime; /* with size, to notice a file rewritten after it was hashed */
    int pages;
    int64_t first_pixels; /* the first page's declared width × height */
    lr_image_limits limits;
    char sha256[LR_SHA256_HEX_LEN + 1];
    char warning[IMG_SOURCE_WARNING_MAX];
    struct img_header *hdr; /* PNG and JPEG: parsed at open */
};

/* ---- image.c ---- */

/* IMG_FMT_* from the file's first n bytes, 0 for a format not read; *out_other then names a
 * recognised image or document format (or is NULL). */
int img_sniff_format(const unsigned char *b, size_t n, const char **out_other);

/* ---- page.c: what every decoder does the same way ---- */

/* "tiff", "png", "jpeg" for IMG_FMT_*, else "unknown". */
const char *img_format_name(int format);

/* Copies src into dst, truncating (snprintf("%s") would draw -Wformat-truncation). */
void img_copy_trunc(char *dst, size_t size, const char *src);

/* Appends to a "; "-separated warning list, silently truncating. */
void img_add_warning(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* pread of exactly n bytes at off, retried on EINTR; false on error or end of file. */
bool img_read_at(int fd, void *buf, size_t n, uint64_t off);

static inline uint32_t img_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t img_be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

/* LR_ERR_CORRUPT "corrupt FNAME: the data ends early", with the detail formatted. */
int img_set_truncated(lr_error *err, const char *fname, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Refuses a page without pixels (LR_ERR_CORRUPT) or beyond the limits (LR_ERR_TOO_LARGE). */
int img_check_page_limits(const lr_image_limits *lim, int page, uint64_t w, uint64_t h,
                          lr_error *err);

/* Chooses the resolution used for processing from what the file declares (in dots per inch;
 * have_* false when absent) and records the fallback in info. */
void img_resolve_dpi(lr_page_info *info, bool have_x, double x, bool have_y, double y,
                     const char *why_missing);

/* info->depth and info->colour for a decoded PIX of depth 1, 8 or 32. */
void img_set_colour(lr_page_info *info, int depth);

/* The page of a PNG or JPEG (one page, header parsed at open): header facts into info, limits,
 * decoding by the format's reader, normalisation to depth 1, 8 or 32. */
int img_read_single_page(lr_source *src, struct Pix **out_pix, lr_page_info *info,
                         lr_error *err);

/* ---- tiff.c, tiff_header.c, tiff_rows.c ---- */

/* Reads the directory chain of src (whose fd, size, name and limits are set): src->pages,
 * and src->warning when the chain breaks off. LR_ERR_CORRUPT when the first directory is
 * unreadable. */
int img_tiff_read_directories(lr_source *src, lr_error *err);

/* Number of directories from headers only (no limits), or 1 when the file is not a TIFF that
 * libtiff can open. */
int img_tiff_count_pages(int fd, int64_t size);

int img_tiff_read_page(lr_source *src, int page, struct Pix **out_pix, lr_page_info *info,
                       lr_error *err);

/* ---- png.c ---- */

/* IHDR, pHYs and the chunk chain up to IEND of the file on fd (fsize bytes, the signature
 * already checked); nothing is decompressed. */
int img_png_parse(int fd, int64_t fsize, struct img_header *hd, lr_error *err);

/* Decodes the PNG on fp into the PIX Leptonica's reader would make (img_read_single_page
 * normalises it). */
int img_png_read(FILE *fp, struct Pix **out_pix, lr_page_info *info, lr_error *err);

/* ---- jpeg.c ---- */

/* The markers up to the start of scan of the file on fd (fsize bytes, the signature already
 * checked), and its end-of-image marker. */
int img_jpeg_parse(int fd, int64_t fsize, struct img_header *hd, lr_error *err);

/* Decodes the JPEG on fp into the PIX Leptonica's reader would make. */
int img_jpeg_read(FILE *fp, struct Pix **out_pix, lr_page_info *info, lr_error *err);

#endif
