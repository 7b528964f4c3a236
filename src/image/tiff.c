/* tiff.c — TIFF: the file opened through libtiff on the source's descriptor, its directory
 * chain counted, and one page decoded (tiff_header.c describes the page, tiff_rows.c converts
 * its rows).
 *
 * Pages are decoded with libtiff directly, one scanline (or one band of strips or tiles) at a
 * time straight into the PIX, rather than with Leptonica's pixReadTiff: we want libtiff's own
 * error text, CMYK, 16-bit grey+alpha, tiles and separate planes, and pixReadTiff decodes RGB
 * through a full-page TIFFReadRGBAImage raster beside the PIX, which doubles the peak memory
 * of a colour page.
 */
#include "tiff_internal.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "landrec/log.h"

/* Backstop against bogus tags: no single libtiff buffer may exceed the largest page the
 * limits allow at this many bytes a pixel, plus the slack. */
#define TIFF_ALLOC_BYTES_PER_PIXEL 4
#define TIFF_ALLOC_SLACK ((int64_t)64 << 20)

#define TIFF_MESSAGE_MAX 512 /* one libtiff message, with its module */
#define TIFF_TEXT_MAX 400    /* the message before the module is put in front */
#define TIFF_WARNING_MAX 256 /* the first warning, quoted in the page's warning list */

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
    char error[TIFF_MESSAGE_MAX];   /* first error libtiff reported since the last reset */
    char warning[TIFF_WARNING_MAX]; /* first warning since collecting started */
    char last_warning[TIFF_MESSAGE_MAX];
    int nwarnings;
    bool collect; /* count warnings (after the directory was read) */
} tiff_ctx;

static void format_tiff_message(char *buf, size_t size, const char *module, const char *fmt,
                                va_list ap)
{
    char msg[TIFF_TEXT_MAX];
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
    char msg[TIFF_MESSAGE_MAX];
    format_tiff_message(msg, sizeof msg, module, fmt, ap);
    lr_log_debug("libtiff error: %s", msg);
}

static void global_tiff_warning(const char *module, const char *fmt, va_list ap)
{
    char msg[TIFF_MESSAGE_MAX];
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
    char msg[TIFF_MESSAGE_MAX];
    format_tiff_message(msg, sizeof msg, module, fmt, ap);
    if (!ctx->error[0])
        img_copy_trunc(ctx->error, sizeof ctx->error, msg);
    lr_log_debug("libtiff error: %s", msg);
    return 1; /* handled: never reaches the global handlers or stderr */
}

static int ctx_warning_handler(TIFF *tif, void *user_data, const char *module,
                               const char *fmt, va_list ap)
{
    tiff_ctx *ctx = user_data;
    char msg[TIFF_MESSAGE_MAX];
    format_tiff_message(msg, sizeof msg, module, fmt, ap);
    lr_log_debug("libtiff warning: %s", msg);
    /* Private tags of scanner software are routine, not news about the page. */
    if (strstr(msg, "Unknown field with tag"))
        return 1;
    img_copy_trunc(ctx->last_warning, sizeof ctx->last_warning, msg);
    if (!ctx->collect)
        return 1;
    if (ctx->nwarnings++ == 0)
        img_copy_trunc(ctx->warning, sizeof ctx->warning, msg);
    /* The fax and JPEG decoders only warn when the data ends early ("Premature EOF/EOL",
     * "Premature end of JPEG file") and fill the rest of the page: a truncated page is
     * corrupt, not a page with a remark. */
    if (strstr(msg, "remature") && !ctx->error[0])
        img_copy_trunc(ctx->error, sizeof ctx->error, msg);
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
    if (lim && lim->max_pixels > 0 && lim->max_pixels < (INT64_MAX >> 3))
        TIFFOpenOptionsSetMaxSingleMemAlloc(
            opts, (tmsize_t)(lim->max_pixels * TIFF_ALLOC_BYTES_PER_PIXEL + TIFF_ALLOC_SLACK));
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
/* The directory chain                                                                       */
/* ---------------------------------------------------------------------------------------- */

static int set_first_directory_unreadable(lr_error *err, const tiff_ctx *ctx)
{
    int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: the first directory is "
                                               "unreadable");
    lr_error_detail(err, "libtiff: %s", tiff_reason(ctx));
    return rc;
}

static int directory_count(TIFF *tif)
{
    tdir_t n = TIFFNumberOfDirectories(tif);
    return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}

int img_tiff_read_directories(lr_source *src, lr_error *err)
{
    tiff_ctx ctx;
    TIFF *tif = tiff_open(&ctx, src->fd, src->size, src->name, &src->limits);
    if (!tif)
        return set_first_directory_unreadable(err, &ctx);
    ctx.error[0] = '\0';
    uint32_t w = 0, h = 0;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    src->first_pixels = (int64_t)w * h;
    src->pages = directory_count(tif);
    if (ctx.error[0]) /* a broken link in the directory chain: later pages are lost */
        img_add_warning(src->warning, sizeof src->warning,
                        "directory chain broken after %d page(s): %s", src->pages, ctx.error);
    TIFFClose(tif);
    return LR_OK;
}

int img_tiff_count_pages(int fd, int64_t size)
{
    tiff_ctx ctx;
    TIFF *tif = tiff_open(&ctx, fd, size, "count", NULL);
    if (!tif)
        return 1;
    int count = directory_count(tif);
    TIFFClose(tif);
    return count;
}

/* ---------------------------------------------------------------------------------------- */
/* A page                                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* Every row of the page into pix, converted; damage libtiff reports makes the page corrupt. */
static int tiff_decode_rows(tiff_ctx *ctx, row_reader *rr, const tiff_page *tp, PIX *pix,
                            int page, lr_error *err)
{
    const uint8_t *planes[TIFF_MAX_SAMPLES];
    l_uint32 *data = pixGetData(pix);
    l_int32 wpl = pixGetWpl(pix);
    ctx->error[0] = '\0';
    for (uint32_t y = 0; y < tp->height; y++) {
        if (img_rr_row(rr, y, planes) < 0 || ctx->error[0]) {
            int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: page %d could not be "
                                                       "decoded", page);
            lr_error_detail(err, "At row %u of %u: libtiff: %s", y, tp->height,
                            tiff_reason(ctx));
            return rc;
        }
        img_tiff_convert_row(tp, planes, data + (size_t)y * (size_t)wpl);
    }
    /* Some decoders (the fax ones) report damage as an error and carry on. */
    if (ctx->error[0]) {
        int rc = lr_error_set(err, LR_ERR_CORRUPT, "corrupt tiff: page %d could not be decoded",
                              page);
        lr_error_detail(err, "libtiff: %s", ctx->error);
        return rc;
    }
    return LR_OK;
}

static int page_depth(const tiff_page *tp)
{
    return tp->kind == KIND_BITONAL                      ? 1
           : tp->kind == KIND_GREY                       ? 8
           : tp->kind == KIND_PALETTE && tp->palette_grey ? 8
                                                         : 32;
}

int img_tiff_read_page(lr_source *src, int page, PIX **out_pix, lr_page_info *info,
                       lr_error *err)
{
    int rc = LR_OK;
    tiff_ctx ctx;
    tiff_page tp;
    row_reader rr;
    memset(&tp, 0, sizeof tp);
    memset(&rr, 0, sizeof rr);
    PIX *pix = NULL;

    TIFF *tif = tiff_open(&ctx, src->fd, src->size, src->name, &src->limits);
    if (!tif) {
        rc = set_first_directory_unreadable(err, &ctx);
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
    img_tiff_read_header(tif, &tp, info);
    if (ctx.error[0]) /* libtiff recovered (e.g. ignored a bad tag) but said so */
        img_add_warning(info->warning, sizeof info->warning, "libtiff: %s", ctx.error);
    rc = img_check_page_limits(&src->limits, page, tp.width, tp.height, err);
    if (rc)
        goto done;
    rc = img_tiff_classify(tif, &tp, info, err);
    if (rc)
        goto done;
    rc = img_rr_init(&rr, tif, &tp, err);
    if (rc)
        goto done;

    int depth = page_depth(&tp);
    img_set_colour(info, depth);
    pix = pixCreate((l_int32)tp.width, (l_int32)tp.height, depth);
    if (!pix) {
        rc = lr_error_set(err, LR_ERR_NOMEM, "out of memory for page %d", page);
        lr_error_detail(err, "Could not allocate %u × %u pixels at %d bits.", tp.width,
                        tp.height, depth);
        goto done;
    }
    rc = tiff_decode_rows(&ctx, &rr, &tp, pix, page, err);
    if (rc)
        goto done;
    if (ctx.nwarnings > 0)
        img_add_warning(info->warning, sizeof info->warning, "libtiff: %s%s", ctx.warning,
                        ctx.nwarnings > 1 ? " (and more warnings)" : "");
    if (depth == 1)
        pixSetPadBits(pix, 0);
    pix = img_tiff_apply_orientation(pix, tp.orientation, info);
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
    img_rr_free(&rr);
    free(tp.lut);
    if (tif)
        TIFFClose(tif);
    return rc;
}
