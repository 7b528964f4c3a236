/* image.c — ingest: open a source read-only, take its SHA-256, sniff its format from the magic
 * bytes and decode one page at a time (contract in landrec/image.h).
 *
 * TIFF pages are decoded with libtiff directly, one scanline (or one band of strips or tiles)
 * at a time straight into the PIX, rather than with Leptonica's pixReadTiff: we want
 * libtiff's own error text, CMYK, 16-bit grey+alpha, tiles and separate planes, and
 * pixReadTiff decodes RGB through a full-page TIFFReadRGBAImage raster beside the PIX, which
 * doubles the peak memory of a colour page. PNG and JPEG are decoded with libpng and libjpeg
 * directly too, with message handlers of our own (Leptonica's readers would let them print on
 * stderr).
 *
 * The descriptor opened by lr_image_open is kept and every page is read from it with pread
 * (no mmap), so the bytes decoded are those that were hashed even if the path is replaced
 * meanwhile; a change of size or mtime is refused.
 */
#include "landrec/image.h"

#include "landrec/log.h"
#include "landrec/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include <jpeglib.h> /* after stdio.h, which it needs */

enum { FMT_TIFF = 1, FMT_PNG, FMT_JPEG };

struct lr_source {
    char *path;
    const char *name; /* basename inside path, for libtiff's messages */
    int fd;           /* kept open: pages are decoded from the bytes that were hashed */
    int format;
    int64_t size;
    struct timespec mtime; /* with size, to notice a file rewritten after it was hashed */
    int pages;
    lr_image_limits limits;
    char sha256[LR_SHA256_HEX_LEN + 1];
    char warning[256];
    struct lept_header *hdr; /* PNG and JPEG: parsed at open */
};

void lr_image_limits_default(lr_image_limits *out_limits)
{
    if (!out_limits)
        return;
    out_limits->max_pixels = (int64_t)LR_IMAGE_DEFAULT_MAX_MEGAPIXELS * 1000000;
    out_limits->max_side = LR_IMAGE_DEFAULT_MAX_SIDE;
    out_limits->max_file_bytes = (int64_t)LR_IMAGE_DEFAULT_MAX_FILE_MB * 1024 * 1024;
}

/* Copies src into dst, truncating (snprintf("%s") would draw -Wformat-truncation). */
static void copy_trunc(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Appends to a "; "-separated warning list, silently truncating. */
static void add_warning(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_warning(char *buf, size_t size, const char *fmt, ...)
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

/* ---------------------------------------------------------------------------------------- */
/* libtiff messages                                                                          */
/* ---------------------------------------------------------------------------------------- */

/* Per-handle state. Our handles carry their own error/warning handlers (libtiff 4.5 open
 * options) rather than relying on thread-local copies kept by the global handlers: Leptonica
 * resets the global handlers to NULL every time it opens a TIFF (so they cannot be relied on
 * once another module has written a TIFF), and a message tied to its handle cannot be
 * confused with a stale one from an earlier file on the same thread. */
typedef struct tiff_ctx {
    int fd;
    uint64_t pos, size;
    char error[512];   /* first error libtiff reported since the last reset */
    char warning[256]; /* first warning since collecting started */
    char last_warning[512];
    int nwarnings;
    bool collect;      /* count warnings (after the directory was read) */
} tiff_ctx;

static void format_tiff_message(char *buf, size_t size, const char *module, const char *fmt,
                                va_list ap)
{
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* zlib sometimes has no message ("ZLib error: "): do not end on a dangling colon */
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == ' ' || msg[n - 1] == ':' || msg[n - 1] == '\n'))
        msg[--n] = '\0';
    if (module && module[0])
        snprintf(buf, size, "%s: %s", module, msg);
    else
        snprintf(buf, size, "%s", msg);
}

/* Global handlers, for libtiff handles other than ours: into the debug log, not stderr. */
static void global_tiff_error(const char *module, const char *fmt, va_list ap)
{
    char msg[512];
    format_tiff_message(msg, sizeof msg, module, fmt, ap);
    lr_log_debug("libtiff error: %s", msg);
}

static void global_tiff_warning(const char *module, const char *fmt, va_list ap)
{
    char msg[512];
    format_tiff_message(msg, sizeof msg, module, fmt, ap);
    lr_log_debug("libtiff warning: %s", msg);
}

static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

static void install_handlers_once(void)
{
    TIFFSetErrorHandler(global_tiff_error);
    TIFFSetWarningHandler(global_tiff_warning);
    TIFFSetErrorHandlerExt(NULL);
    TIFFSetWarningHandlerExt(NULL);
}

void lr_image_install_handlers(void)
{
    pthread_once(&handlers_once, install_handlers_once);
}

static int ctx_error_handler(TIFF *tif, void *user_data, const char *module, const char *fmt,
                             va_list ap)
{
    tiff_ctx *ctx = user_data;
    char msg[512];
    format_tiff_message(msg, sizeof msg, module, fmt, ap);
    if (!ctx->error[0])
        copy_trunc(ctx->error, sizeof ctx->error, msg);
    lr_log_debug("libtiff error: %s", msg);
    return 1; /* handled: never reaches the global handlers or stderr */
}

static int ctx_warning_handler(TIFF *tif, void *user_data, const char *module,
                               const char *fmt, va_list ap)
{
    tiff_ctx *ctx = user_data;
    char msg[512];
    format_tiff_message(msg, sizeof msg, module, fmt, ap);
    lr_log_debug("libtiff warning: %s", msg);
    /* Private tags of scanner software are routine, not news about the page. */
    if (strstr(msg, "Unknown field with tag"))
        return 1;
    copy_trunc(ctx->last_warning, sizeof ctx->last_warning, msg);
    if (!ctx->collect)
        return 1;
    if (ctx->nwarnings++ == 0)
        copy_trunc(ctx->warning, sizeof ctx->warning, msg);
    /* The fax and JPEG decoders only warn when the data ends early ("Premature EOF/EOL",
     * "Premature end of JPEG file") and fill the rest of the page: a truncated page is
     * corrupt, not a page with a remark. */
    if (strstr(msg, "remature") && !ctx->error[0])
        copy_trunc(ctx->error, sizeof ctx->error, msg);
    return 1;
}

/* ---------------------------------------------------------------------------------------- */
/* libtiff I/O on the kept descriptor                                                        */
/* ---------------------------------------------------------------------------------------- */

static tmsize_t tiff_read_proc(thandle_t h, void *buf, tmsize_t size)
{
    tiff_ctx *ctx = h;
    size_t done = 0;
    if (size < 0)
        return -1;
    while (done < (size_t)size) {
        ssize_t n = pread(ctx->fd, (char *)buf + done, (size_t)size - done,
                          (off_t)(ctx->pos + done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            break;
        done += (size_t)n;
    }
    ctx->pos += done;
    return (tmsize_t)done;
}

static tmsize_t tiff_write_proc(thandle_t h, void *buf, tmsize_t size)
{
    errno = EBADF; /* the master is never written */
    return -1;
}

static toff_t tiff_seek_proc(thandle_t h, toff_t off, int whence)
{
    tiff_ctx *ctx = h;
    int64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)ctx->pos; break;
    case SEEK_END: base = (int64_t)ctx->size; break;
    default: return (toff_t)-1;
    }
    /* libtiff passes relative offsets as two's complement in an unsigned toff_t. */
    int64_t pos = base + (int64_t)off;
    if (pos < 0)
        return (toff_t)-1;
    ctx->pos = (uint64_t)pos;
    return ctx->pos;
}

static int tiff_close_proc(thandle_t h)
{
    return 0; /* the descriptor belongs to the lr_source */
}

static toff_t tiff_size_proc(thandle_t h)
{
    return ((tiff_ctx *)h)->size;
}

static int tiff_map_proc(thandle_t h, void **base, toff_t *size)
{
    return 0; /* no mmap: touched pages of a mapped master would count against the worker */
}

static void tiff_unmap_proc(thandle_t h, void *base, toff_t size)
{
}

static TIFF *tiff_open(tiff_ctx *ctx, int fd, int64_t size, const char *name,
                       const lr_image_limits *lim)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->fd = fd;
    ctx->size = (uint64_t)size;
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts)
        return NULL;
    /* Backstop against bogus tags: no single libtiff buffer may exceed the largest page the
     * limits allow at 4 bytes a pixel, plus slack. */
    if (lim && lim->max_pixels > 0 && lim->max_pixels < (INT64_MAX >> 3))
        TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)(lim->max_pixels * 4 + (64 << 20)));
    TIFFOpenOptionsSetErrorHandlerExtR(opts, ctx_error_handler, ctx);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, ctx_warning_handler, ctx);
    TIFF *tif = TIFFClientOpenExt(name, "rm", (thandle_t)ctx, tiff_read_proc, tiff_write_proc,
                                  tiff_seek_proc, tiff_close_proc, tiff_size_proc,
                                  tiff_map_proc, tiff_unmap_proc, opts);
    TIFFOpenOptionsFree(opts);
    return tif;
}

/* Why the last libtiff call on this handle failed. Some decoders fail after a mere warning
 * (Fax4Decode's "Premature EOL"), so the last warning stands in for a missing error. */
static const char *tiff_reason(const tiff_ctx *ctx)
{
    if (ctx->error[0])
        return ctx->error;
    if (ctx->last_warning[0])
        return ctx->last_warning;
    return "libtiff gave no reason";
}

/* ---------------------------------------------------------------------------------------- */
/* Format sniffing                                                                           */
/* ---------------------------------------------------------------------------------------- */

/* Returns FMT_* for the formats we read, 0 otherwise; *out_other names a recognised image
 * or document format we do not read (or NULL). */
static int sniff_format(const unsigned char *b, size_t n, const char **out_other)
{
    *out_other = NULL;
    if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0) ||
                   (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))))
        return FMT_TIFF; /* classic TIFF or BigTIFF */
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return FMT_PNG;
    if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
        return FMT_JPEG;
    if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        *out_other = "gif";
    else if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
        *out_other = "pdf";
    else if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        *out_other = "webp";
    else if (n >= 12 && memcmp(b, "\0\0\0\x0cjP  \r\n\x87\n", 12) == 0)
        *out_other = "jpeg 2000";
    else if (n >= 4 && memcmp(b, "\xff\x4f\xff\x51", 4) == 0)
        *out_other = "jpeg 2000 codestream";
    else if (n >= 4 && memcmp(b, "8BPS", 4) == 0)
        *out_other = "photoshop";
    else if (n >= 14 && b[0] == 'B' && b[1] == 'M' && b[6] == 0 && b[7] == 0 && b[8] == 0 &&
             b[9] == 0)
        *out_other = "bmp";
    return 0;
}

static const char *format_name(int format)
{
    switch (format) {
    case FMT_TIFF: return "tiff";
    case FMT_PNG: return "png";
    case FMT_JPEG: return "jpeg";
    }
    return "unknown";
}

static int set_not_an_image(lr_error *err, const unsigned char *b, size_t n)
{
    int rc = lr_error_set(err, LR_ERR_FORMAT, "not an image: unrecognised file signature");
    char hex[3 * 8 + 1] = "";
    bool text = n > 0;
    for (size_t i = 0; i < n; i++) {
        if (i < 8)
            snprintf(hex + 3 * i, sizeof hex - 3 * i, "%s%02x", i ? " " : "", b[i]);
        if (b[i] < 0x09 || (b[i] > 0x0d && b[i] < 0x20) || b[i] == 0x7f)
            text = false;
    }
    lr_error_detail(err, "The file begins with %s%s.", hex,
                    text ? " (it looks like text)" : "");
    lr_error_hint(err, "landrec reads TIFF, PNG and JPEG files; the format is recognised by "
                       "the file's content, not its name.");
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* PNG and JPEG structure                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* Leptonica installs no message handlers for libpng and libjpeg, so they print to stderr;
 * and its header readers use them. We read the few header fields ourselves and check that
 * the file is complete (the commonest damage is truncation), so that the decoders are only
 * called on complete files. */
struct lept_header {
    uint32_t width, height;
    int bps, spp;
    bool palette, cmyk;
    bool have_res;
    double xres, yres;        /* dpi */
    const char *why_no_res;   /* set when a resolution is present but unusable */
};

static bool read_at(int fd, void *buf, size_t n, uint64_t off)
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

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static int set_truncated(lr_error *err, const char *fname, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int set_truncated(lr_error *err, const char *fname, const char *fmt, ...)
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

/* IHDR, pHYs and the chunk chain up to IEND; nothing is decompressed. */
static int png_parse(int fd, int64_t fsize, struct lept_header *hd, lr_error *err)
{
    uint64_t off = 8, size = (uint64_t)fsize;
    unsigned char h[8], d[13];
    bool first = true;
    for (;;) {
        if (off + 12 > size)
            return set_truncated(err, "png", "The file ends at byte %llu without an IEND "
                                             "chunk.", (unsigned long long)size);
        if (!read_at(fd, h, sizeof h, off))
            return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
        uint32_t len = be32(h);
        for (int i = 4; i < 8; i++)
            if (!((h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= 'a' && h[i] <= 'z'))) {
                int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: invalid chunk");
                lr_error_detail(err, "No valid chunk type at byte %llu.",
                                (unsigned long long)off);
                return rc;
            }
        if (len > 0x7fffffffu || off + 12 + len > size)
            return set_truncated(err, "png", "Chunk \"%.4s\" at byte %llu needs %llu bytes; "
                                             "the file has %llu.", (const char *)h + 4,
                                 (unsigned long long)off, (unsigned long long)(off + 12 + len),
                                 (unsigned long long)size);
        bool ihdr = memcmp(h + 4, "IHDR", 4) == 0;
        if (first != ihdr || (ihdr && len != 13)) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: invalid header");
            lr_error_detail(err, "The first chunk must be a 13-byte IHDR.");
            return rc;
        }
        if (ihdr) {
            if (!read_at(fd, d, 13, off + 8))
                return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
            hd->width = be32(d);
            hd->height = be32(d + 4);
            hd->bps = d[8];
            switch (d[9]) { /* colour type */
            case 0: hd->spp = 1; break;
            case 2: hd->spp = 3; break;
            case 3: hd->spp = 1; hd->palette = true; break;
            case 4: hd->spp = 2; break;
            case 6: hd->spp = 4; break;
            default: {
                int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: invalid colour type");
                lr_error_detail(err, "Colour type %u.", d[9]);
                return rc;
            }
            }
            if (hd->bps != 1 && hd->bps != 2 && hd->bps != 4 && hd->bps != 8 && hd->bps != 16) {
                int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: invalid bit depth");
                lr_error_detail(err, "Bit depth %d.", hd->bps);
                return rc;
            }
        } else if (memcmp(h + 4, "pHYs", 4) == 0 && len == 9) {
            if (!read_at(fd, d, 9, off + 8))
                return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
            if (d[8] == 1) { /* pixels per metre */
                hd->have_res = true;
                hd->xres = be32(d) * 0.0254;
                hd->yres = be32(d + 4) * 0.0254;
            } else if (be32(d) > 1 || be32(d + 4) > 1) {
                hd->why_no_res = "resolution unit is \"none\" (aspect ratio only)";
            }
        } else if (memcmp(h + 4, "IEND", 4) == 0) {
            return LR_OK;
        }
        first = false;
        off += 12 + (uint64_t)len;
    }
}

/* The markers up to the start of scan (SOF for the size, APP0 JFIF for the resolution), and
 * an end-of-image marker in the last 64 kB: in entropy-coded data 0xff is always followed by
 * 0x00 or a restart marker, so ff d9 there can only be the real end. */
static int jpeg_parse(int fd, int64_t fsize, struct lept_header *hd, lr_error *err)
{
    uint64_t off = 2, size = (uint64_t)fsize;
    unsigned char m[4], d[16];
    bool have_sof = false;
    for (;;) {
        if (off + 2 > size)
            return set_truncated(err, "jpeg", "The file ends at byte %llu inside its header.",
                                 (unsigned long long)size);
        if (!read_at(fd, m, 2, off))
            return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
        if (m[0] != 0xff) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt jpeg: invalid marker");
            lr_error_detail(err, "No marker at byte %llu.", (unsigned long long)off);
            return rc;
        }
        if (m[1] == 0xff) { /* fill byte */
            off++;
            continue;
        }
        if (m[1] == 0x01 || (m[1] >= 0xd0 && m[1] <= 0xd8)) { /* no length */
            off += 2;
            continue;
        }
        if (m[1] == 0xd9) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt jpeg: no image data");
            lr_error_detail(err, "End-of-image marker at byte %llu, before any scan.",
                            (unsigned long long)off);
            return rc;
        }
        if (off + 4 > size || !read_at(fd, m + 2, 2, off + 2))
            return set_truncated(err, "jpeg", "The file ends at byte %llu inside its header.",
                                 (unsigned long long)size);
        uint32_t len = be16(m + 2);
        if (len < 2 || off + 2 + len > size)
            return set_truncated(err, "jpeg", "Marker 0x%02x at byte %llu needs %llu bytes; the "
                                              "file has %llu.", m[1], (unsigned long long)off,
                                 (unsigned long long)(off + 2 + len), (unsigned long long)size);
        uint8_t t = m[1];
        if (t == 0xda) /* start of scan: the header is over */
            break;
        size_t n = len - 2 < sizeof d ? len - 2 : sizeof d;
        if (!read_at(fd, d, n, off + 4))
            return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
        bool sof = t >= 0xc0 && t <= 0xcf && t != 0xc4 && t != 0xc8 && t != 0xcc;
        if (sof && n >= 6) {
            if (t == 0xc3 || t == 0xc5 || t == 0xc6 || t == 0xc7 || t == 0xcb || t >= 0xcd) {
                int rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported jpeg: lossless or "
                                                               "hierarchical coding");
                lr_error_detail(err, "Frame marker 0x%02x; landrec reads baseline, extended "
                                     "and progressive JPEG.", t);
                return rc;
            }
            hd->bps = d[0];
            hd->height = be16(d + 1);
            hd->width = be16(d + 3);
            hd->spp = d[5];
            hd->cmyk = d[5] == 4;
            if (hd->bps != 8 || (hd->spp != 1 && hd->spp != 3 && hd->spp != 4)) {
                int rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported jpeg: %d-bit "
                                                               "samples, %d components",
                                      hd->bps, hd->spp);
                lr_error_detail(err, "landrec reads 8-bit JPEG with 1, 3 or 4 components.");
                return rc;
            }
            if (hd->height == 0) {
                int rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported jpeg: height "
                                                               "defined by a DNL marker");
                return rc;
            }
            have_sof = true;
        } else if (t == 0xe0 && n >= 12 && memcmp(d, "JFIF", 5) == 0) {
            uint32_t x = be16(d + 8), y = be16(d + 10);
            if (d[7] == 1 || d[7] == 2) {
                double f = d[7] == 2 ? 2.54 : 1.0;
                hd->have_res = true;
                hd->xres = x * f;
                hd->yres = y * f;
            } else if (x > 1 || y > 1) {
                hd->why_no_res = "resolution unit is \"none\" (aspect ratio only)";
            }
        }
        off += 2 + len;
    }
    if (!have_sof) {
        int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt jpeg: no frame header");
        lr_error_detail(err, "No SOF marker before the start of scan.");
        return rc;
    }

    size_t n = size < 65536 ? (size_t)size : 65536;
    unsigned char *tail = malloc(n);
    if (!tail)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    bool ok = read_at(fd, tail, n, size - n), eoi = false;
    for (size_t i = n - 1; ok && i > 0 && !eoi; i--)
        eoi = tail[i - 1] == 0xff && tail[i] == 0xd9;
    free(tail);
    if (!ok)
        return lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
    if (!eoi)
        return set_truncated(err, "jpeg", "The file (%llu bytes) has no end-of-image marker.",
                             (unsigned long long)size);
    return LR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Opening                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static int open_readonly(const char *path)
{
    /* O_NONBLOCK: never hang on a FIFO given by mistake (regular files ignore it).
     * O_NOATIME when allowed: reading a master should not even touch its access time. */
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    int fd = open(path, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = open(path, flags);
    return fd;
}

static int check_limits_arg(const lr_image_limits *limits, lr_image_limits *out, lr_error *err)
{
    lr_image_limits_default(out);
    if (!limits)
        return LR_OK;
    if (limits->max_pixels <= 0 || limits->max_side <= 0 || limits->max_file_bytes <= 0)
        return lr_error_set(err, LR_ERR_ARG, "invalid image limits: every limit must be "
                                             "positive");
    *out = *limits;
    return LR_OK;
}

int lr_image_open(const char *path, const lr_image_limits *limits, lr_source **out_src,
                  char out_sha256[LR_SHA256_HEX_LEN + 1], lr_error *err)
{
    if (out_src)
        *out_src = NULL;
    if (out_sha256)
        out_sha256[0] = '\0';
    lr_error_clear(err);
    if (!path || !path[0] || !out_src)
        return lr_error_set(err, LR_ERR_ARG, "lr_image_open: path and out_src are required");
    lr_image_limits lim;
    int rc = check_limits_arg(limits, &lim, err);
    if (rc)
        return rc;
    lr_image_install_handlers();

    int fd = -1;
    lr_source *src = NULL;
    TIFF *tif = NULL;
    tiff_ctx ctx;
    char sha[LR_SHA256_HEX_LEN + 1] = "";
    const char *name = strrchr(path, '/');
    name = name && name[1] ? name + 1 : path;
    char shown[400]; /* the path in messages: its display form (utf8.h) */
    lr_utf8_path_show(path, shown, sizeof shown);

    fd = open_readonly(path);
    if (fd < 0) {
        rc = lr_error_set(err, LR_ERR_IO, "could not open file: %s", strerror(errno));
        lr_error_detail(err, "File \"%s\".", shown);
        goto done;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = lr_error_set(err, LR_ERR_IO, "could not stat file: %s", strerror(errno));
        lr_error_detail(err, "File \"%s\".", shown);
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = lr_error_set(err, LR_ERR_IO, "could not read file: it is a directory");
        lr_error_detail(err, "Path \"%s\".", shown);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = lr_error_set(err, LR_ERR_IO, "could not read file: not a regular file");
        lr_error_detail(err, "Path \"%s\".", shown);
        goto done;
    }
    if ((int64_t)st.st_size > lim.max_file_bytes) {
        /* Refused before reading: hashing a file we will not process is wasted I/O. */
        rc = lr_error_set(err, LR_ERR_TOO_LARGE, "file too large");
        lr_error_detail(err, "The file has %lld bytes; the limit is %lld bytes.",
                        (long long)st.st_size, (long long)lim.max_file_bytes);
        lr_error_hint(err, "Raise the file size limit if the file is genuine.");
        goto done;
    }

    /* The checksum first, so that every later failure can be keyed by it. */
    int64_t nread = 0;
    if (lseek(fd, 0, SEEK_SET) != 0) {
        rc = lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
        goto done;
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    rc = lr_digest_fd(fd, sha, &nread, err);
    if (rc) {
        lr_error_detail(err, "File \"%s\".", shown);
        goto done;
    }
    if (nread != (int64_t)st.st_size) {
        rc = lr_error_set(err, LR_ERR_IO, "file changed while it was being read");
        lr_error_detail(err, "fstat gave %lld bytes but %lld were read.",
                        (long long)st.st_size, (long long)nread);
        goto done;
    }
    if (out_sha256)
        memcpy(out_sha256, sha, sizeof sha);
    if (nread == 0) {
        rc = lr_error_set(err, LR_ERR_EMPTY, "empty file");
        lr_error_detail(err, "File \"%s\" has zero bytes.", shown);
        goto done;
    }

    unsigned char magic[16];
    ssize_t nmagic = pread(fd, magic, sizeof magic, 0);
    if (nmagic < 0) {
        rc = lr_error_set(err, LR_ERR_IO, "could not read file: %s", strerror(errno));
        goto done;
    }
    const char *other = NULL;
    int format = sniff_format(magic, (size_t)nmagic, &other);
    if (!format && other) {
        rc = lr_error_set(err, LR_ERR_FORMAT, "unsupported image format: %s", other);
        lr_error_hint(err, "landrec reads TIFF, PNG and JPEG files; convert the file to "
                           "TIFF first.");
        goto done;
    }
    if (!format) {
        rc = set_not_an_image(err, magic, (size_t)nmagic);
        goto done;
    }

    src = calloc(1, sizeof *src);
    if (!src || !(src->path = strdup(path))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
        goto done;
    }
    src->name = src->path + (name - path);
    src->fd = -1;
    src->format = format;
    src->size = (int64_t)st.st_size;
    src->mtime = st.st_mtim;
    src->limits = lim;
    memcpy(src->sha256, sha, sizeof sha);

    if (format == FMT_TIFF) {
        tif = tiff_open(&ctx, fd, src->size, src->name, &lim);
        if (!tif) {
            rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: the first directory is "
                                                   "unreadable");
            lr_error_detail(err, "libtiff: %s", tiff_reason(&ctx));
            goto done;
        }
        ctx.error[0] = '\0';
        tdir_t n = TIFFNumberOfDirectories(tif);
        src->pages = n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
        if (ctx.error[0]) /* a broken link in the directory chain: later pages are lost */
            add_warning(src->warning, sizeof src->warning,
                        "directory chain broken after %d page(s): %s", src->pages, ctx.error);
    } else {
        /* Parse and check the structure now, so that a damaged file fails at open like a
         * damaged TIFF, and so that the decoders only ever see complete files. */
        src->hdr = calloc(1, sizeof *src->hdr);
        if (!src->hdr) {
            rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory");
            goto done;
        }
        rc = format == FMT_PNG ? png_parse(fd, src->size, src->hdr, err)
                               : jpeg_parse(fd, src->size, src->hdr, err);
        if (rc)
            goto done;
        src->pages = 1;
    }

    src->fd = fd;
    fd = -1;
    *out_src = src;
    src = NULL;
done:
    if (tif)
        TIFFClose(tif);
    if (fd >= 0)
        close(fd);
    lr_image_close(&src);
    return rc;
}

void lr_image_close(lr_source **psrc)
{
    if (!psrc || !*psrc)
        return;
    lr_source *src = *psrc;
    if (src->fd >= 0)
        close(src->fd);
    free(src->hdr);
    free(src->path);
    free(src);
    *psrc = NULL;
}

const char *lr_source_path(const lr_source *src)
{
    return src ? src->path : NULL;
}

const char *lr_source_sha256(const lr_source *src)
{
    return src ? src->sha256 : NULL;
}

const char *lr_source_format(const lr_source *src)
{
    return src ? format_name(src->format) : NULL;
}

int64_t lr_source_size(const lr_source *src)
{
    return src ? src->size : 0;
}

int lr_source_page_count(const lr_source *src)
{
    return src ? src->pages : 0;
}

const char *lr_source_warning(const lr_source *src)
{
    return src ? src->warning : NULL;
}

int lr_image_count_pages(const char *path)
{
    if (!path)
        return 1;
    lr_image_install_handlers();
    int count = 1;
    int fd = open_readonly(path);
    if (fd < 0)
        return 1;
    struct stat st;
    unsigned char magic[8];
    const char *other;
    tiff_ctx ctx;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        pread(fd, magic, sizeof magic, 0) == (ssize_t)sizeof magic &&
        sniff_format(magic, sizeof magic, &other) == FMT_TIFF) {
        TIFF *tif = tiff_open(&ctx, fd, (int64_t)st.st_size, "count", NULL);
        if (tif) {
            tdir_t n = TIFFNumberOfDirectories(tif);
            count = n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
            TIFFClose(tif);
        }
    }
    close(fd);
    return count;
}

/* ---------------------------------------------------------------------------------------- */
/* Common page checks                                                                        */
/* ---------------------------------------------------------------------------------------- */

static int check_page_limits(const lr_image_limits *lim, int page, uint64_t w, uint64_t h,
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

/* Chooses the resolution used for processing from what the file declares (in dots per inch;
 * have_* false when absent) and records the fallback in info. */
static void resolve_dpi(lr_page_info *info, bool have_x, double x, bool have_y, double y,
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
        add_warning(info->warning, sizeof info->warning,
                    "%s resolution missing or absurd: %d dpi used for both axes",
                    okx ? "vertical" : "horizontal", v);
    } else {
        info->dpi_x = info->dpi_y = LR_IMAGE_FALLBACK_DPI;
        info->dpi_assumed = true;
        if (why_missing)
            add_warning(info->warning, sizeof info->warning, "%s: %d dpi assumed",
                        why_missing, LR_IMAGE_FALLBACK_DPI);
        else if (!have_x && !have_y)
            add_warning(info->warning, sizeof info->warning,
                        "no resolution in the file: %d dpi assumed", LR_IMAGE_FALLBACK_DPI);
        else
            add_warning(info->warning, sizeof info->warning,
                        "absurd resolution %g × %g dpi: %d dpi assumed", have_x ? x : 0.0,
                        have_y ? y : 0.0, LR_IMAGE_FALLBACK_DPI);
    }
}

static void set_colour(lr_page_info *info, int depth)
{
    info->depth = depth;
    snprintf(info->colour, sizeof info->colour, "%s",
             depth == 1 ? "bitonal" : depth == 8 ? "grey" : "rgb");
}

/* ---------------------------------------------------------------------------------------- */
/* TIFF pages                                                                                */
/* ---------------------------------------------------------------------------------------- */

enum { KIND_BITONAL = 1, KIND_GREY, KIND_RGB, KIND_PALETTE, KIND_CMYK };
enum { RR_SCANLINE = 1, RR_STRIPS, RR_TILES };

typedef struct tiff_page {
    uint32_t width, height;
    uint16_t bps, spp, photometric, compression, planar, orientation;
    int kind;
    int ncolour;      /* colour samples before the extra samples */
    int alpha;        /* index of the alpha sample, or -1 */
    bool alpha_assoc; /* premultiplied alpha */
    bool min_white;   /* grey photometric min-is-white */
    bool palette_grey;
    int planes;       /* 1 (contiguous) or spp (separate planes) */
    uint8_t *lut;     /* palette: 3 bytes (r, g, b) per index */
} tiff_page;

typedef struct row_reader {
    TIFF *tif;
    int mode;
    uint32_t height;
    int planes;
    size_t row_bytes;  /* one row of one plane in buf */
    uint32_t band_rows;
    uint32_t band_y0;  /* first row held in buf; UINT32_MAX when empty */
    uint8_t *buf;
    uint8_t *tile;
    tmsize_t tile_bytes, tile_row_bytes;
    uint32_t tile_w, tiles_across;
} row_reader;

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

/* Reads the page's header into tp and info; no pixel data is touched. */
static void tiff_read_header(TIFF *tif, tiff_page *tp, lr_page_info *info)
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
        add_warning(info->warning, sizeof info->warning,
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
    double f = unit == RESUNIT_CENTIMETER ? 2.54 : 1.0;
    if (unit == RESUNIT_NONE && (hx || hy))
        resolve_dpi(info, false, 0, false, 0, "resolution unit is \"none\" (aspect ratio only)");
    else
        resolve_dpi(info, hx, xr * f, hy, yr * f, NULL);

    uint32_t subfile = 0;
    if (TIFFGetField(tif, TIFFTAG_SUBFILETYPE, &subfile) && (subfile & FILETYPE_REDUCEDIMAGE))
        add_warning(info->warning, sizeof info->warning,
                    "directory is marked as a reduced-resolution copy (thumbnail)");
}

/* Decides how to convert the page; refuses what we do not read. Sets JPEGCOLORMODE. */
static int tiff_classify(TIFF *tif, tiff_page *tp, lr_page_info *info, lr_error *err)
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
    if (tp->spp < 1 || tp->spp > 16) {
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

    switch (tp->photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK:
        tp->kind = tp->bps == 1 ? KIND_BITONAL : KIND_GREY;
        tp->ncolour = 1;
        tp->min_white = tp->photometric == PHOTOMETRIC_MINISWHITE;
        break;
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
        break;
    case PHOTOMETRIC_PALETTE: {
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
        add_warning(info->warning, sizeof info->warning, "palette converted to %s",
                    tp->palette_grey ? "grey" : "rgb");
        break;
    }
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
        add_warning(info->warning, sizeof info->warning,
                    "cmyk converted to rgb (naive conversion, no colour profile)");
        break;
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

    tp->alpha = -1;
    if (tp->spp > tp->ncolour) {
        uint16_t nextra = 0, *extra = NULL;
        TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
        int ignored = tp->spp - tp->ncolour;
        if (nextra > 0 && extra &&
            (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA)) {
            tp->alpha = tp->ncolour;
            tp->alpha_assoc = extra[0] == EXTRASAMPLE_ASSOCALPHA;
            ignored--;
            add_warning(info->warning, sizeof info->warning,
                        "alpha channel removed (composited over white)");
        }
        if (ignored > 0)
            add_warning(info->warning, sizeof info->warning, "%d extra sample(s) ignored",
                        ignored);
    }
    if (tp->bps == 16)
        add_warning(info->warning, sizeof info->warning, "16-bit samples reduced to 8 bits");
    tp->planes = tp->planar == PLANARCONFIG_SEPARATE && tp->spp > 1 ? tp->spp : 1;
    return LR_OK;
}

static void rr_free(row_reader *rr)
{
    free(rr->buf);
    free(rr->tile);
    rr->buf = rr->tile = NULL;
}

static int rr_init(row_reader *rr, TIFF *tif, const tiff_page *tp, lr_error *err)
{
    memset(rr, 0, sizeof *rr);
    rr->tif = tif;
    rr->height = tp->height;
    rr->planes = tp->planes;
    rr->band_y0 = UINT32_MAX;
    uint64_t spp_plane = tp->planes > 1 ? 1 : tp->spp;
    /* Bytes of one row of one plane as we read it; libtiff's own figure may differ only
     * where it cannot, so take the larger and index by ours. */
    uint64_t ours = ((uint64_t)tp->width * spp_plane * tp->bps + 7) / 8;

    if (TIFFIsTiled(tif)) {
        uint32_t tw = 0, th = 0;
        TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
        rr->tile_bytes = TIFFTileSize(tif);
        rr->tile_row_bytes = TIFFTileRowSize(tif);
        if (tw == 0 || th == 0 || rr->tile_bytes <= 0 || rr->tile_row_bytes <= 0 ||
            (uint64_t)tw * th > ((uint64_t)1 << 26) || ((uint64_t)tw * spp_plane * tp->bps) % 8) {
            int rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported tiff: unusable tile "
                                                           "size %u × %u", tw, th);
            return rc;
        }
        rr->mode = RR_TILES;
        rr->tile_w = tw;
        rr->tiles_across = (tp->width + tw - 1) / tw;
        rr->band_rows = th;
        rr->row_bytes = (size_t)rr->tile_row_bytes * rr->tiles_across;
        rr->tile = malloc((size_t)rr->tile_bytes);
        if (!rr->tile)
            return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    } else {
        tmsize_t sl = TIFFScanlineSize(tif);
        if (sl <= 0) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: invalid scanline size");
            return rc;
        }
        rr->row_bytes = (size_t)((uint64_t)sl > ours ? (uint64_t)sl : ours);
        if (tp->planes == 1) {
            rr->mode = RR_SCANLINE;
            rr->band_rows = 1;
        } else {
            /* Reading separate planes scanline by scanline would restart the decoding of
             * each strip for every row; read whole strips of every plane instead. */
            uint32_t rps = tp->height;
            TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
            rr->mode = RR_STRIPS;
            rr->band_rows = rps == 0 || rps > tp->height ? tp->height : rps;
        }
    }
    if (rr->row_bytes < ours)
        rr->row_bytes = (size_t)ours;
    rr->buf = calloc((size_t)rr->planes * rr->band_rows, rr->row_bytes);
    if (!rr->buf)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory");
    return LR_OK;
}

/* Points pl[p] at row y of every plane; rows are asked for in increasing order. */
static int rr_row(row_reader *rr, uint32_t y, const uint8_t **pl)
{
    if (rr->mode == RR_SCANLINE) {
        if (TIFFReadScanline(rr->tif, rr->buf, y, 0) < 0)
            return -1;
        pl[0] = rr->buf;
        return 0;
    }
    uint32_t y0 = y - y % rr->band_rows;
    if (rr->band_y0 != y0) {
        uint32_t nrows = rr->height - y0 < rr->band_rows ? rr->height - y0 : rr->band_rows;
        for (int p = 0; p < rr->planes; p++) {
            uint8_t *dst = rr->buf + (size_t)p * rr->band_rows * rr->row_bytes;
            if (rr->mode == RR_STRIPS) {
                uint32_t strip = TIFFComputeStrip(rr->tif, y0, (uint16_t)p);
                if (TIFFReadEncodedStrip(rr->tif, strip, dst,
                                         (tmsize_t)(nrows * rr->row_bytes)) < 0)
                    return -1;
            } else {
                for (uint32_t t = 0; t < rr->tiles_across; t++) {
                    if (TIFFReadTile(rr->tif, rr->tile, t * rr->tile_w, y0, 0, (uint16_t)p) < 0)
                        return -1;
                    for (uint32_t r = 0; r < nrows; r++)
                        memcpy(dst + r * rr->row_bytes + (size_t)t * rr->tile_row_bytes,
                               rr->tile + (size_t)r * rr->tile_row_bytes,
                               (size_t)rr->tile_row_bytes);
                }
            }
        }
        rr->band_y0 = y0;
    }
    for (int p = 0; p < rr->planes; p++)
        pl[p] = rr->buf + ((size_t)p * rr->band_rows + (y - y0)) * rr->row_bytes;
    return 0;
}

static inline unsigned get_sample(const tiff_page *tp, const uint8_t **pl, uint32_t x, int s)
{
    const uint8_t *p;
    size_t i;
    if (tp->planes == 1) {
        p = pl[0];
        i = (size_t)x * tp->spp + (size_t)s;
    } else {
        p = pl[s];
        i = x;
    }
    switch (tp->bps) {
    case 8: return p[i];
    case 16: {
        uint16_t v; /* libtiff has already swapped to host order */
        memcpy(&v, p + 2 * i, sizeof v);
        return v;
    }
    default: {
        size_t bit = i * tp->bps;
        unsigned shift = 8u - tp->bps - (unsigned)(bit & 7);
        return (p[bit >> 3] >> shift) & ((1u << tp->bps) - 1);
    }
    }
}

static inline unsigned to8(unsigned v, int bps)
{
    switch (bps) {
    case 1: return v ? 255 : 0;
    case 2: return v * 85;
    case 4: return v * 17;
    case 16: return (v * 255 + 32767) / 65535;
    }
    return v;
}

static inline unsigned over_white(unsigned v, unsigned a, bool assoc)
{
    if (assoc) {
        unsigned r = v + 255 - a;
        return r > 255 ? 255 : r;
    }
    return (v * a + 255 * (255 - a) + 127) / 255;
}

static void convert_row(const tiff_page *tp, const uint8_t **pl, l_uint32 *line)
{
    const uint32_t w = tp->width;
    const int bps = tp->bps;
    const bool has_alpha = tp->alpha >= 0;

    /* Fast path for the common 8-bit interleaved grey and RGB(A) scans. */
    if (bps == 8 && tp->planes == 1 && (tp->kind == KIND_GREY || tp->kind == KIND_RGB)) {
        const uint8_t *p = pl[0];
        const size_t spp = tp->spp;
        const int ai = tp->alpha;
        if (tp->kind == KIND_GREY) {
            for (uint32_t x = 0; x < w; x++, p += spp) {
                unsigned g = tp->min_white ? 255u - p[0] : p[0];
                if (has_alpha && p[ai] != 255)
                    g = over_white(g, p[ai], tp->alpha_assoc);
                SET_DATA_BYTE(line, x, g);
            }
        } else {
            for (uint32_t x = 0; x < w; x++, p += spp) {
                unsigned r = p[0], g = p[1], b = p[2];
                if (has_alpha && p[ai] != 255) {
                    r = over_white(r, p[ai], tp->alpha_assoc);
                    g = over_white(g, p[ai], tp->alpha_assoc);
                    b = over_white(b, p[ai], tp->alpha_assoc);
                }
                line[x] = (l_uint32)r << L_RED_SHIFT | (l_uint32)g << L_GREEN_SHIFT |
                          (l_uint32)b << L_BLUE_SHIFT;
            }
        }
        return;
    }

    switch (tp->kind) {
    case KIND_BITONAL:
        if (tp->planes == 1 && tp->spp == 1) {
            /* Same bit order as Leptonica's big-endian words; Leptonica's 1 is black, as is
             * TIFF min-is-white's, so only min-is-black needs inverting. */
            const uint8_t *b = pl[0];
            size_t nbytes = ((size_t)w + 7) / 8;
            l_uint32 inv = tp->min_white ? 0 : 0xffffffffu;
            for (size_t k = 0; k * 4 < nbytes; k++) {
                l_uint32 word = 0;
                for (size_t j = 0; j < 4; j++)
                    word |= (l_uint32)(k * 4 + j < nbytes ? b[k * 4 + j] : 0) << (24 - 8 * j);
                line[k] = word ^ inv;
            }
        } else {
            for (uint32_t x = 0; x < w; x++) {
                unsigned g = to8(get_sample(tp, pl, x, 0), bps);
                if (tp->min_white)
                    g = 255 - g;
                if (has_alpha)
                    g = over_white(g, to8(get_sample(tp, pl, x, tp->alpha), bps),
                                   tp->alpha_assoc);
                if (g < 128)
                    SET_DATA_BIT(line, x);
            }
        }
        break;
    case KIND_GREY:
        for (uint32_t x = 0; x < w; x++) {
            unsigned g = to8(get_sample(tp, pl, x, 0), bps);
            if (tp->min_white)
                g = 255 - g;
            if (has_alpha)
                g = over_white(g, to8(get_sample(tp, pl, x, tp->alpha), bps), tp->alpha_assoc);
            SET_DATA_BYTE(line, x, g);
        }
        break;
    case KIND_PALETTE:
        for (uint32_t x = 0; x < w; x++) {
            const uint8_t *e = tp->lut + 3 * get_sample(tp, pl, x, 0);
            unsigned r = e[0], g = e[1], b = e[2];
            if (has_alpha) {
                unsigned a = to8(get_sample(tp, pl, x, tp->alpha), bps);
                r = over_white(r, a, tp->alpha_assoc);
                g = over_white(g, a, tp->alpha_assoc);
                b = over_white(b, a, tp->alpha_assoc);
            }
            if (tp->palette_grey)
                SET_DATA_BYTE(line, x, r);
            else
                line[x] = (l_uint32)r << L_RED_SHIFT | (l_uint32)g << L_GREEN_SHIFT |
                          (l_uint32)b << L_BLUE_SHIFT;
        }
        break;
    case KIND_RGB:
    case KIND_CMYK:
        for (uint32_t x = 0; x < w; x++) {
            unsigned r = to8(get_sample(tp, pl, x, 0), bps);
            unsigned g = to8(get_sample(tp, pl, x, 1), bps);
            unsigned b = to8(get_sample(tp, pl, x, 2), bps);
            if (tp->kind == KIND_CMYK) {
                /* The same naive formula as libtiff's TIFFRGBAImage. */
                unsigned k = 255 - to8(get_sample(tp, pl, x, 3), bps);
                r = ((255 - r) * k + 127) / 255;
                g = ((255 - g) * k + 127) / 255;
                b = ((255 - b) * k + 127) / 255;
            }
            if (has_alpha) {
                unsigned a = to8(get_sample(tp, pl, x, tp->alpha), bps);
                r = over_white(r, a, tp->alpha_assoc);
                g = over_white(g, a, tp->alpha_assoc);
                b = over_white(b, a, tp->alpha_assoc);
            }
            line[x] = (l_uint32)r << L_RED_SHIFT | (l_uint32)g << L_GREEN_SHIFT |
                      (l_uint32)b << L_BLUE_SHIFT;
        }
        break;
    }
}

/* Applies the Orientation tag (Leptonica's table for data read row by row). */
static PIX *apply_orientation(PIX *pix, uint16_t orientation, lr_page_info *info)
{
    static const struct { int vflip, hflip, rotate; } tr[8] = {
        {0, 0, 0}, {0, 1, 0}, {1, 1, 0}, {1, 0, 0}, {0, 1, -1}, {0, 0, 1}, {0, 1, 1}, {0, 0, -1},
    };
    if (orientation < 2 || orientation > 8)
        return pix;
    int i = orientation - 1;
    if (tr[i].vflip)
        pixFlipTB(pix, pix);
    if (tr[i].hflip)
        pixFlipLR(pix, pix);
    if (tr[i].rotate) {
        PIX *turned = pixRotate90(pix, tr[i].rotate);
        pixDestroy(&pix);
        pix = turned;
        int t = info->dpi_x;
        info->dpi_x = info->dpi_y;
        info->dpi_y = t;
    }
    return pix;
}

static int read_tiff_page(lr_source *src, int page, PIX **out_pix, lr_page_info *info,
                          lr_error *err)
{
    int rc = LR_OK;
    tiff_ctx ctx;
    tiff_page tp;
    row_reader rr;
    memset(&tp, 0, sizeof tp);
    memset(&rr, 0, sizeof rr);
    PIX *pix = NULL;
    const uint8_t *planes[16];

    TIFF *tif = tiff_open(&ctx, src->fd, src->size, src->name, &src->limits);
    if (!tif) {
        rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: the first directory is "
                                               "unreadable");
        lr_error_detail(err, "libtiff: %s", tiff_reason(&ctx));
        goto done;
    }
    ctx.error[0] = '\0';
    ctx.collect = true;
    if (!TIFFSetDirectory(tif, (tdir_t)(page - 1))) {
        rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: the directory of page %d is "
                                               "unreadable", page);
        lr_error_detail(err, "libtiff: %s", tiff_reason(&ctx));
        goto done;
    }
    tiff_read_header(tif, &tp, info);
    if (ctx.error[0]) /* libtiff recovered (e.g. ignored a bad tag) but said so */
        add_warning(info->warning, sizeof info->warning, "libtiff: %s", ctx.error);
    rc = check_page_limits(&src->limits, page, tp.width, tp.height, err);
    if (rc)
        goto done;
    rc = tiff_classify(tif, &tp, info, err);
    if (rc)
        goto done;
    rc = rr_init(&rr, tif, &tp, err);
    if (rc)
        goto done;

    int depth = tp.kind == KIND_BITONAL                     ? 1
                : tp.kind == KIND_GREY                      ? 8
                : tp.kind == KIND_PALETTE && tp.palette_grey ? 8
                                                            : 32;
    set_colour(info, depth);
    pix = pixCreate((l_int32)tp.width, (l_int32)tp.height, depth);
    if (!pix) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory for page %d", page);
        lr_error_detail(err, "Could not allocate %u × %u pixels at %d bits.", tp.width,
                        tp.height, depth);
        goto done;
    }
    l_uint32 *data = pixGetData(pix);
    l_int32 wpl = pixGetWpl(pix);
    ctx.error[0] = '\0';
    for (uint32_t y = 0; y < tp.height; y++) {
        if (rr_row(&rr, y, planes) < 0 || ctx.error[0]) {
            rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: page %d could not be "
                                                   "decoded", page);
            lr_error_detail(err, "At row %u of %u: libtiff: %s", y, tp.height,
                            tiff_reason(&ctx));
            goto done;
        }
        convert_row(&tp, planes, data + (size_t)y * (size_t)wpl);
    }
    /* Some decoders (the fax ones) report damage as an error and carry on. */
    if (ctx.error[0]) {
        rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: page %d could not be decoded",
                          page);
        lr_error_detail(err, "libtiff: %s", ctx.error);
        goto done;
    }
    if (ctx.nwarnings > 0)
        add_warning(info->warning, sizeof info->warning, "libtiff: %s%s", ctx.warning,
                    ctx.nwarnings > 1 ? " (and more warnings)" : "");
    if (depth == 1)
        pixSetPadBits(pix, 0);
    pix = apply_orientation(pix, tp.orientation, info);
    if (!pix) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory turning page %d", page);
        goto done;
    }
    pixSetResolution(pix, info->dpi_x, info->dpi_y);
    pixSetInputFormat(pix, IFF_TIFF);
    *out_pix = pix;
    pix = NULL;
done:
    pixDestroy(&pix);
    rr_free(&rr);
    free(tp.lut);
    if (tif)
        TIFFClose(tif);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* PNG and JPEG pages (libpng and libjpeg)                                                   */
/* ---------------------------------------------------------------------------------------- */

/* The decoders are called directly, not through Leptonica's readers, so that their errors and
 * warnings come to us (Leptonica installs no message handlers, and libpng and libjpeg then
 * print to stderr). Each builds the PIX that Leptonica's reader would (same depth, colormap,
 * alpha and samples), which normalise_pix then brings to depth 1, 8 or 32; the PNG decoder
 * writes its rows straight into the PIX. All the state a longjmp must leave intact is in a
 * struct owned by the caller of the function that calls setjmp. */

typedef struct jpeg_job {
    struct jpeg_error_mgr mgr; /* first: libjpeg hands it back as cinfo->err */
    jmp_buf jmp;
    struct jpeg_decompress_struct cinfo;
    bool created;
    FILE *fp;
    PIX *pix;
    JSAMPROW row;
    int warnings_read; /* -1 until the last scanline is read; warnings after it are not fatal */
    char message[JMSG_LENGTH_MAX]; /* the error, else the first warning */
    char late[JMSG_LENGTH_MAX];    /* the first warning after the last scanline */
    bool unsupported;
} jpeg_job;

static void jpeg_on_error(j_common_ptr cinfo)
{
    jpeg_job *j = (jpeg_job *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, j->message);
    longjmp(j->jmp, 1);
}

static void jpeg_on_message(j_common_ptr cinfo, int level)
{
    if (level >= 0)
        return; /* trace messages */
    jpeg_job *j = (jpeg_job *)cinfo->err;
    if (j->warnings_read >= 0) { /* after the last scanline */
        if (!j->late[0])
            (*cinfo->err->format_message)(cinfo, j->late);
    } else if (j->mgr.num_warnings == 0) {
        (*cinfo->err->format_message)(cinfo, j->message);
    }
    j->mgr.num_warnings++;
}

static void jpeg_on_output(j_common_ptr cinfo)
{
    (void)cinfo; /* nothing is ever printed */
}

/* Decodes into j->pix what Leptonica's pixReadStreamJpeg(fp, 0, 1, &nwarn, 0) made: 8 bpp grey,
 * or 32 bpp RGB, CMYK and YCCK converted naively; a warning while reading the scanlines stops
 * the decoding (damaged data). Grey and RGB scanlines are decoded straight into the PIX rows
 * (libjpeg-turbo writes RGB in PIX word order, with alpha byte 255 where Leptonica left 0;
 * an RGB PIX has spp 3, so the byte is not read). 0, or -1 with j->message set. */
static int jpeg_decode(jpeg_job *j)
{
    if (setjmp(j->jmp))
        return -1;
    struct jpeg_decompress_struct *ci = &j->cinfo;
    jpeg_create_decompress(ci);
    j->created = true;
    jpeg_stdio_src(ci, j->fp);
    jpeg_read_header(ci, TRUE);
    jpeg_calc_output_dimensions(ci);
    int spp = ci->out_color_components;
    bool cmyk = spp == 4 && (ci->jpeg_color_space == JCS_YCCK || ci->jpeg_color_space == JCS_CMYK);
    if (spp != 1 && spp != 3 && !cmyk) {
        snprintf(j->message, sizeof j->message, "%d components in colour space %d", spp,
                 (int)ci->jpeg_color_space);
        j->unsupported = true;
        return -1;
    }
    bool direct = spp == 1;
#ifdef JCS_EXTENSIONS
    if (spp == 3) { /* a PIX word is 0xRRGGBBAA in host order */
        ci->out_color_space =
            __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? JCS_EXT_XBGR : JCS_EXT_RGBX;
        direct = true;
    }
#endif
    uint32_t w = ci->output_width, h = ci->output_height;
    j->pix = pixCreate((l_int32)w, (l_int32)h, spp == 1 ? 8 : 32);
    if (!j->pix || (!direct && !(j->row = malloc((size_t)spp * w)))) {
        snprintf(j->message, sizeof j->message, "out of memory");
        return -1;
    }
    pixSetInputFormat(j->pix, IFF_JFIF_JPEG);
    jpeg_start_decompress(ci);
    l_uint32 *data = pixGetData(j->pix);
    int wpl = pixGetWpl(j->pix);
    for (uint32_t y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * (size_t)wpl;
        JSAMPROW out = direct ? (JSAMPROW)line : j->row;
        if (jpeg_read_scanlines(ci, &out, 1) != 1) {
            snprintf(j->message, sizeof j->message, "no data for scanline %u of %u", y, h);
            return -1;
        }
        if (j->mgr.num_warnings > 0)
            return -1; /* j->message holds the first */
        if (direct)
            continue;
        const JSAMPLE *s = j->row;
        if (spp == 3) {
            for (uint32_t x = 0; x < w; x++, s += 3)
                line[x] = (l_uint32)s[0] << 24 | (l_uint32)s[1] << 16 | (l_uint32)s[2] << 8;
            continue;
        }
        /* Adobe writers store CMY inverted (but not K): invert back (Leptonica's rule) */
        bool adobe = ci->saw_Adobe_marker;
        for (uint32_t x = 0; x < w; x++, s += 4) {
            int c = s[0], m = s[1], ye = s[2], k = s[3];
            int r = adobe ? k * c / 255 : k * (255 - c) / 255;
            int g = adobe ? k * m / 255 : k * (255 - m) / 255;
            int b = adobe ? k * ye / 255 : k * (255 - ye) / 255;
            line[x] = (l_uint32)r << 24 | (l_uint32)g << 16 | (l_uint32)b << 8;
        }
    }
    if (spp == 1)
        pixEndianByteSwap(j->pix); /* grey rows were written as bytes */
    pixSetPadBits(j->pix, 0);
    j->warnings_read = (int)j->mgr.num_warnings;
    jpeg_finish_decompress(ci);
    return 0;
}

static int read_jpeg(FILE *fp, PIX **out_pix, lr_page_info *info, lr_error *err)
{
    jpeg_job *j = calloc(1, sizeof *j);
    if (!j)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory for page 1");
    j->fp = fp;
    j->warnings_read = -1;
    j->cinfo.err = jpeg_std_error(&j->mgr);
    j->mgr.error_exit = jpeg_on_error;
    j->mgr.emit_message = jpeg_on_message;
    j->mgr.output_message = jpeg_on_output;
    int rc = LR_OK;
    if (jpeg_decode(j) != 0) {
        if (j->unsupported) {
            rc = lr_error_set(err, LR_ERR_UNSUPPORTED, "unsupported jpeg: %s", j->message);
        } else {
            rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt jpeg: the image data could not be "
                                                   "decoded");
            lr_error_detail(err, "libjpeg: %s", j->message[0] ? j->message : "unknown error");
        }
        pixDestroy(&j->pix);
    } else {
        if (j->late[0])
            add_warning(info->warning, sizeof info->warning, "libjpeg: %s", j->late);
        *out_pix = j->pix;
        j->pix = NULL;
    }
    if (j->created)
        jpeg_destroy_decompress(&j->cinfo);
    free(j->row);
    free(j);
    return rc;
}

typedef struct png_job {
    FILE *fp;
    png_structp png;
    png_infop info;
    PIX *pix;
    png_bytep *rows;
    bool invalid_palette;
    char error[256];
    char warning[256]; /* the first */
} png_job;

static void png_on_error(png_structp png, png_const_charp msg)
{
    png_job *j = png_get_error_ptr(png);
    copy_trunc(j->error, sizeof j->error, msg ? msg : "unknown error");
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    png_job *j = png_get_error_ptr(png);
    if (!j->warning[0])
        copy_trunc(j->warning, sizeof j->warning, msg ? msg : "");
}

/* Decodes into j->pix the PIX Leptonica's pixReadStreamPng would make, with one difference: a
 * tRNS colour key on a grey image is ignored, as it is (there and here) on an RGB image, where
 * Leptonica returns a fully transparent page. 16-bit samples keep their high byte; 1-bit grey
 * is inverted to Leptonica's 1 = black; a palette becomes a colormap, or RGBA with its tRNS;
 * grey+alpha becomes RGBA; RGB gets alpha 255. 0, or -1 with j->error set. */
static int png_decode(png_job *j)
{
    if (setjmp(png_jmpbuf(j->png)))
        return -1;
    png_structp png = j->png;
    png_infop info = j->info;
    png_init_io(png, j->fp);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int bits = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
    bool trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    bool le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
    int d = bits > 8 ? 8 : bits, spp = 1;
    if (bits == 16)
        png_set_strip_16(png);
    if (type == PNG_COLOR_TYPE_PALETTE && trns) {
        png_set_expand(png); /* RGB with the tRNS entries as alpha */
        type = PNG_COLOR_TYPE_RGB_ALPHA;
    } else if (type == PNG_COLOR_TYPE_GRAY_ALPHA) {
        png_set_gray_to_rgb(png);
        type = PNG_COLOR_TYPE_RGB_ALPHA;
    }
    if (type == PNG_COLOR_TYPE_RGB || type == PNG_COLOR_TYPE_RGB_ALPHA) {
        /* A PIX word is 0xRRGGBBAA in host order. */
        d = 32;
        spp = type == PNG_COLOR_TYPE_RGB ? 3 : 4;
        if (le)
            png_set_bgr(png);
        if (type == PNG_COLOR_TYPE_RGB)
            png_set_filler(png, 0xff, le ? PNG_FILLER_BEFORE : PNG_FILLER_AFTER);
        else if (le)
            png_set_swap_alpha(png);
    } else if (type == PNG_COLOR_TYPE_GRAY && bits == 1) {
        png_set_invert_mono(png);
    }
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);

    j->pix = pixCreate((l_int32)w, (l_int32)h, d);
    j->rows = malloc((size_t)h * sizeof *j->rows);
    if (!j->pix || !j->rows) {
        copy_trunc(j->error, sizeof j->error, "out of memory");
        return -1;
    }
    pixSetInputFormat(j->pix, IFF_PNG);
    pixSetSpp(j->pix, spp);
    if ((size_t)png_get_rowbytes(png, info) > (size_t)pixGetWpl(j->pix) * 4) {
        copy_trunc(j->error, sizeof j->error, "unexpected row size");
        return -1;
    }
    if (type == PNG_COLOR_TYPE_PALETTE) {
        png_colorp pal = NULL;
        int npal = 0;
        png_get_PLTE(png, info, &pal, &npal);
        PIXCMAP *cmap = pixcmapCreate(d);
        for (int i = 0; cmap && i < npal && i < (1 << d); i++)
            pixcmapAddColor(cmap, pal[i].red, pal[i].green, pal[i].blue);
        if (!cmap || pixSetColormap(j->pix, cmap) != 0) {
            pixcmapDestroy(&cmap);
            copy_trunc(j->error, sizeof j->error, "out of memory");
            return -1;
        }
    }
    l_uint32 *data = pixGetData(j->pix);
    int wpl = pixGetWpl(j->pix);
    for (png_uint_32 y = 0; y < h; y++)
        j->rows[y] = (png_bytep)(data + (size_t)y * (size_t)wpl);
    png_read_image(png, j->rows);
    png_read_end(png, NULL);
    if (d < 32)
        pixEndianByteSwap(j->pix); /* rows were written as bytes */
    pixSetPadBits(j->pix, 0);
    if (pixGetColormap(j->pix)) {
        l_int32 valid = 0;
        pixcmapIsValid(pixGetColormap(j->pix), j->pix, &valid);
        if (!valid) {
            j->invalid_palette = true;
            return -1;
        }
    }
    return 0;
}

static int read_png(FILE *fp, PIX **out_pix, lr_page_info *info, lr_error *err)
{
    png_job *j = calloc(1, sizeof *j);
    if (!j)
        return lr_error_set(err, LR_ERR_NOMEM, "out of memory for page 1");
    j->fp = fp;
    int rc = LR_OK;
    j->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, j, png_on_error, png_on_warning);
    if (!j->png || !(j->info = png_create_info_struct(j->png))) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory for page 1");
    } else if (png_decode(j) != 0) {
        rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt png: the image data could not be "
                                               "decoded");
        if (j->invalid_palette)
            lr_error_detail(err, "A pixel refers to a palette entry the palette does not "
                                 "have.");
        else
            lr_error_detail(err, "libpng: %s", j->error[0] ? j->error : "unknown error");
        pixDestroy(&j->pix);
    } else {
        *out_pix = j->pix;
        j->pix = NULL;
    }
    if (rc == LR_OK && j->warning[0])
        add_warning(info->warning, sizeof info->warning, "libpng: %s", j->warning);
    if (j->png)
        png_destroy_read_struct(&j->png, j->info ? &j->info : NULL, NULL);
    free(j->rows);
    free(j);
    return rc;
}

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
        add_warning(info->warning, sizeof info->warning,
                    "alpha channel removed (composited over white)");
        next = pixAlphaBlendUniform(pix, 0xffffff00);
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

static int read_png_jpeg_page(lr_source *src, PIX **out_pix, lr_page_info *info,
                              lr_error *err)
{
    int rc = LR_OK;
    PIX *pix = NULL;
    FILE *fp = NULL;
    const struct lept_header *hd = src->hdr;
    const char *fname = format_name(src->format);

    info->width = (int)hd->width;
    info->height = (int)hd->height;
    info->bits_per_sample = hd->bps;
    info->samples_per_pixel = hd->spp;
    snprintf(info->compression, sizeof info->compression, "%s", fname);
    snprintf(info->photometric, sizeof info->photometric, "%s",
             hd->palette ? "palette" : hd->cmyk ? "cmyk" : hd->spp <= 2 ? "min-is-black" : "rgb");
    resolve_dpi(info, hd->have_res, hd->xres, hd->have_res, hd->yres, hd->why_no_res);
    rc = check_page_limits(&src->limits, 1, hd->width, hd->height, err);
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
    rc = src->format == FMT_PNG ? read_png(fp, &pix, info, err) : read_jpeg(fp, &pix, info, err);
    if (rc)
        goto done;
    if (hd->bps == 16)
        add_warning(info->warning, sizeof info->warning, "16-bit samples reduced to 8 bits");
    if (hd->palette) {
        l_int32 colour = 0;
        if (pixGetColormap(pix))
            pixcmapHasColor(pixGetColormap(pix), &colour);
        add_warning(info->warning, sizeof info->warning, "palette converted to %s",
                    colour ? "rgb" : "grey");
    }
    if (hd->cmyk)
        add_warning(info->warning, sizeof info->warning,
                    "cmyk converted to rgb (naive conversion, no colour profile)");
    rc = normalise_pix(&pix, hd->spp == 2, info, err);
    if (rc)
        goto done;
    set_colour(info, pixGetDepth(pix));
    pixSetResolution(pix, info->dpi_x, info->dpi_y);
    *out_pix = pix;
    pix = NULL;
done:
    pixDestroy(&pix);
    if (fp)
        fclose(fp);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */

int lr_image_read_page(lr_source *src, int page, PIX **out_pix, lr_page_info *out_info,
                       lr_error *err)
{
    lr_page_info scratch = {.page = 0};
    lr_page_info *info = out_info ? out_info : &scratch;
    if (out_pix)
        *out_pix = NULL;
    memset(info, 0, sizeof *info);
    info->page = page;
    lr_error_clear(err);
    if (!src || !out_pix)
        return lr_error_set(err, LR_ERR_ARG, "lr_image_read_page: src and out_pix are "
                                             "required");
    if (page < 1 || page > src->pages) {
        int rc = lr_error_set(err, LR_ERR_ARG, "page %d out of range", page);
        lr_error_detail(err, "The file has %d page(s).", src->pages);
        return rc;
    }

    struct stat st;
    if (fstat(src->fd, &st) != 0)
        return lr_error_set(err, LR_ERR_IO, "could not stat file: %s", strerror(errno));
    if ((int64_t)st.st_size != src->size || st.st_mtim.tv_sec != src->mtime.tv_sec ||
        st.st_mtim.tv_nsec != src->mtime.tv_nsec) {
        int rc = lr_error_set(err, LR_ERR_IO, "file changed since it was opened");
        char shown[400];
        lr_error_detail(err, "The checksum no longer describes the file \"%s\".",
                        lr_utf8_path_show(src->path, shown, sizeof shown));
        lr_error_hint(err, "Process the file again.");
        return rc;
    }
    if (src->format == FMT_TIFF)
        return read_tiff_page(src, page, out_pix, info, err);
    return read_png_jpeg_page(src, out_pix, info, err);
}
