/* fuzz_png.c — img_png_parse, the chunk walker run at open: no crash, and a refusal is one of
 * the documented errors; the header it accepts is one the decoder then reads (libpng through
 * img_png_read and the normalisation), under the contract of lr_image_read_page. The input is
 * a whole file; one without the PNG signature is refused at open, before the parser, and
 * skipped here.
 */
#include "fuzz_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *other;
    if (img_sniff_format(data, size, &other) != IMG_FMT_PNG)
        return 0;
    fuzz_quiet_leptonica();
    lr_source *src = fuzz_source(data, size, IMG_FMT_PNG);
    if (!src || !(src->hdr = calloc(1, sizeof *src->hdr))) {
        lr_image_close(&src);
        return 0;
    }
    lr_error err;
    int rc = img_png_parse(src->fd, src->size, src->hdr, &err);
    fuzz_check_error(rc, &err);
    FUZZ_CHECK(rc != LR_ERR_UNSUPPORTED && rc != LR_ERR_TOO_LARGE);
    if (rc == LR_OK) {
        const struct img_header *hd = src->hdr;
        FUZZ_CHECK(hd->spp >= 1 && hd->spp <= 4);
        FUZZ_CHECK(hd->bps == 1 || hd->bps == 2 || hd->bps == 4 || hd->bps == 8 ||
                   hd->bps == 16);
        src->pages = 1;
        fuzz_read_page(src, 1, false);
    }
    lr_image_close(&src);
    return 0;
}
