/* image.h — ingest: open a source file read-only, take its fixity checksum, and decode its
 * pages one at a time after checking their declared size against limits.
 *
 * Owns: the source file's descriptor (lr_source), libtiff's message handlers, the decoding of
 * TIFF, PNG and JPEG (src/image/: image.c, one file per format). Borrows: lr_error, the
 * digest, the log and the display form of paths (src/base), Leptonica's PIX.
 *
 * Formats: TIFF (multi-page; 1/2/4/8/16-bit grey, palette, RGB/RGBA; uncompressed, G3/G4,
 * LZW, Deflate, PackBits, JPEG), PNG, JPEG. Decoded pages are normalised to a PIX of depth
 * 1 (bitonal), 8 (grey) or 32 (RGB), without colormap; anything converted on the way
 * (16-bit, palette, alpha, CMYK) leaves a warning in lr_page_info.warning.
 */
#ifndef LANDREC_IMAGE_H
#define LANDREC_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "landrec/digest.h"
#include "landrec/error.h"

struct Pix;

/* Documented defaults (docs/reference.md): a 600-dpi A2 sheet is 10 000 × 14 000 = 140 MP. */
#define LR_IMAGE_DEFAULT_MAX_MEGAPIXELS 150
#define LR_IMAGE_DEFAULT_MAX_SIDE 32000
#define LR_IMAGE_DEFAULT_MAX_FILE_MB 4096
#define LR_IMAGE_FALLBACK_DPI 300
/* Resolutions outside this range are "absurd" and replaced by the fallback. */
#define LR_IMAGE_MIN_DPI 50
#define LR_IMAGE_MAX_DPI 2400

typedef struct lr_image_limits {
    int64_t max_pixels;     /* width × height of one page */
    int32_t max_side;       /* width or height */
    int64_t max_file_bytes; /* size of the source file */
} lr_image_limits;

void lr_image_limits_default(lr_image_limits *out_limits);

typedef struct lr_page_info {
    int page;                  /* 1-based */
    int width, height;         /* declared, in pixels */
    int bits_per_sample;       /* declared */
    int samples_per_pixel;     /* declared */
    int depth;                 /* of the decoded PIX: 1, 8 or 32 */
    char photometric[16];      /* declared colour model: "min-is-white", "min-is-black",
                                  "rgb", "palette", "cmyk", "ycbcr", "cielab", ... */
    char colour[16];           /* "bitonal", "grey", "rgb" (after normalisation) */
    char compression[16];      /* "none", "g4", "g3", "lzw", "deflate", "jpeg", "packbits",
                                  "png", "other" */
    int dpi_x, dpi_y;          /* used for processing */
    bool dpi_assumed;          /* tags missing or absurd: LR_IMAGE_FALLBACK_DPI used */
    char warning[256];         /* "" or "; "-separated warnings about this page */
} lr_page_info;

typedef struct lr_source lr_source; /* opaque */

/* Opens path read-only (the master is never modified), rejects empty, oversized-file,
 * unreadable and non-image input, computes the file's SHA-256 and counts its pages.
 * limits may be NULL for the defaults. On success *out_src is set; caller frees with
 * lr_image_close. On failure *out_src is NULL.
 *
 * out_sha256 (may be NULL) receives the checksum whenever the file could be read, even when
 * opening fails afterwards (corrupt or unsupported content), so failures can be keyed by it.
 */
int lr_image_open(const char *path, const lr_image_limits *limits, lr_source **out_src,
                  char out_sha256[LR_SHA256_HEX_LEN + 1], lr_error *err);

void lr_image_close(lr_source **psrc);

const char *lr_source_path(const lr_source *src);   /* borrowed */
const char *lr_source_sha256(const lr_source *src); /* borrowed, 64 hex digits */
const char *lr_source_format(const lr_source *src); /* borrowed: "tiff", "png", "jpeg" */
int64_t lr_source_size(const lr_source *src);       /* bytes */
int lr_source_page_count(const lr_source *src);
/* The pixels the file declares, as its first page's times its pages (the headers of the
 * others are not read): a measure of the work it holds, to schedule the largest first. */
int64_t lr_source_pixels(const lr_source *src);
/* borrowed: "" or "; "-separated warnings about the file as a whole (e.g. a TIFF directory
 * chain that breaks off, so that later pages are lost). */
const char *lr_source_warning(const lr_source *src);

/* Decodes page (1-based). The declared dimensions are checked against the limits before
 * any pixel is decoded. *out_pix: caller frees with pixDestroy; its resolution is set to
 * dpi_x/dpi_y, and a TIFF Orientation tag is applied (so a page turned by 90 degrees has
 * width and height swapped with respect to the declared ones). out_info (may be NULL) is
 * filled as far as the header could be read, even on failure. A decoder error (damaged or
 * truncated data) is LR_ERR_CORRUPT; decoder warnings are kept in out_info->warning.
 * Fails with LR_ERR_IO if the file changed since lr_image_open took its checksum. */
int lr_image_read_page(lr_source *src, int page, struct Pix **out_pix, lr_page_info *out_info,
                       lr_error *err);

/* Cheap page count from headers only, without hashing (for progress totals). Returns the
 * count, or 1 when the file cannot be parsed (its failure is reported when processed). */
int lr_image_count_pages(const char *path);

/* Installs global libtiff error/warning handlers that send libtiff's messages to the debug
 * log instead of stderr. Called by lr_image_open; idempotent. The handles the ingest opens
 * carry handlers of their own (libtiff >= 4.5 open options) that keep the first error and
 * warnings of that handle, so error details quote libtiff's reason for that very file; they
 * keep working after Leptonica resets the global handlers, which it does whenever it opens a
 * TIFF. */
void lr_image_install_handlers(void);

#endif
