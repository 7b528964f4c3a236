/* fuzz_image.h — what the image fuzz targets share: the input handed to the decoders as a
 * source on a memfd (no file on disk), with limits small enough that the fuzzer spends its
 * time in the parsers and not in decoding large pages, and the checks on what a decoder gives
 * back. The targets reach the parsers through src/image/image_internal.h.
 */
#ifndef LR_FUZZ_IMAGE_H
#define LR_FUZZ_IMAGE_H

#include "fuzz_common.h"
#include "image_internal.h"

#include <leptonica/allheaders.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pages the targets decode: small, so that a run tries many inputs a second. */
#define FUZZ_MAX_SIDE 4096
#define FUZZ_MAX_PIXELS (1 << 16)
/* Pages of a multi-page TIFF decoded per input. */
#define FUZZ_MAX_PAGES 4

/* The input as an lr_source of the format given, as lr_image_open leaves it before reading
 * the structure: descriptor, size, mtime, limits. NULL when it cannot be made. Caller frees
 * with lr_image_close. */
static inline lr_source *fuzz_source(const uint8_t *data, size_t size, int format)
{
    int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
    if (fd < 0)
        return NULL;
    for (size_t done = 0; done < size;) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            close(fd);
            return NULL;
        }
        done += (size_t)n;
    }
    struct stat st;
    lr_source *src = calloc(1, sizeof *src);
    if (!src || fstat(fd, &st) != 0 || !(src->path = strdup("fuzz-input"))) {
        free(src);
        close(fd);
        return NULL;
    }
    src->name = src->path;
    src->fd = fd;
    src->format = format;
    src->size = (int64_t)st.st_size;
    src->mtime = st.st_mtim;
    src->limits.max_pixels = FUZZ_MAX_PIXELS;
    src->limits.max_side = FUZZ_MAX_SIDE;
    src->limits.max_file_bytes = INT64_MAX;
    return src;
}

/* A failure is one of the documented codes with a message. */
static inline void fuzz_check_error(int rc, const lr_error *err)
{
    FUZZ_CHECK(rc == LR_OK || rc == LR_ERR_IO || rc == LR_ERR_CORRUPT ||
               rc == LR_ERR_UNSUPPORTED || rc == LR_ERR_TOO_LARGE || rc == LR_ERR_NOMEM);
    if (rc == LR_OK)
        return;
    FUZZ_CHECK(err->code == rc);
    FUZZ_CHECK(err->message[0] != '\0');
    FUZZ_CHECK(fuzz_valid_text(err->message, sizeof err->message));
    FUZZ_CHECK(fuzz_valid_text(err->detail, sizeof err->detail));
    FUZZ_CHECK(fuzz_valid_text(err->hint, sizeof err->hint));
}

/* Decodes page of src and checks the contract of lr_image_read_page: a PIX of depth 1, 8 or
 * 32 without colormap, of the declared size (turned when may_turn), at a resolution in range;
 * or an error without a PIX. */
static inline void fuzz_read_page(lr_source *src, int page, bool may_turn)
{
    PIX *pix = NULL;
    lr_page_info info;
    lr_error err;
    int rc = lr_image_read_page(src, page, &pix, &info, &err);
    fuzz_check_error(rc, &err);
    FUZZ_CHECK(fuzz_valid_text(info.warning, sizeof info.warning));
    FUZZ_CHECK(info.page == page);
    if (rc != LR_OK) {
        FUZZ_CHECK(pix == NULL);
        return;
    }
    FUZZ_CHECK(pix != NULL);
    int w = pixGetWidth(pix), h = pixGetHeight(pix), d = pixGetDepth(pix);
    FUZZ_CHECK(d == 1 || d == 8 || d == 32);
    FUZZ_CHECK(d == info.depth && pixGetColormap(pix) == NULL);
    FUZZ_CHECK((w == info.width && h == info.height) ||
               (may_turn && w == info.height && h == info.width));
    FUZZ_CHECK(info.dpi_x >= LR_IMAGE_MIN_DPI && info.dpi_x <= LR_IMAGE_MAX_DPI);
    FUZZ_CHECK(info.dpi_y >= LR_IMAGE_MIN_DPI && info.dpi_y <= LR_IMAGE_MAX_DPI);
    FUZZ_CHECK(pixGetXRes(pix) == info.dpi_x && pixGetYRes(pix) == info.dpi_y);
    pixDestroy(&pix);
}

/* Leptonica's own messages (pixCreate refusing a size, say) are not news here. */
static inline void fuzz_quiet_leptonica(void)
{
    static int done;
    if (!done) {
        setMsgSeverity(L_SEVERITY_NONE);
        done = 1;
    }
}

#endif
