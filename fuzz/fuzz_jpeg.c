/* fuzz_jpeg.c — img_jpeg_parse, the marker walker run at open: no crash, and a refusal is one
 * of the documented errors; the header it accepts (8-bit samples, 1, 3 or 4 components, a
 * height) is one the decoder then reads (libjpeg through img_jpeg_read and the normalisation),
 * under the contract of lr_image_read_page. The input is a whole file; one without the JPEG
 * signature is refused at open, before the parser, and skipped here.
 */
#include "fuzz_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *other;
    if (img_sniff_format(data, size, &other) != IMG_FMT_JPEG)
        return 0;
    fuzz_quiet_leptonica();
    lr_source *src = fuzz_source(data, size, IMG_FMT_JPEG);
    if (!src || !(src->hdr = calloc(1, sizeof *src->hdr))) {
        lr_image_close(&src);
        return 0;
    }
    lr_error err;
    int rc = img_jpeg_parse(src->fd, src->size, src->hdr, &err);
    fuzz_check_error(rc, &err);
    FUZZ_CHECK(rc != LR_ERR_TOO_LARGE);
    if (rc == LR_OK) {
        const struct img_header *hd = src->hdr;
        FUZZ_CHECK(hd->bps == 8 && (hd->spp == 1 || hd->spp == 3 || hd->spp == 4));
        FUZZ_CHECK(hd->height > 0);
        src->pages = 1;
        fuzz_read_page(src, 1, false);
    }
    lr_image_close(&src);
    return 0;
}
