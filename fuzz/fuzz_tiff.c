/* fuzz_tiff.c — the TIFF directory reader: img_tiff_read_directories (the chain counted at
 * open) and, for the first pages, img_tiff_read_page (the directory read into a page
 * description, the page classified, its rows read and converted), under the contract of
 * lr_image_read_page: no crash, a documented error or a well-formed PIX. The input is a whole
 * file; one without a TIFF or BigTIFF signature is refused at open and skipped here.
 */
#include "fuzz_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *other;
    if (img_sniff_format(data, size, &other) != IMG_FMT_TIFF)
        return 0;
    fuzz_quiet_leptonica();
    lr_image_install_handlers();
    lr_source *src = fuzz_source(data, size, IMG_FMT_TIFF);
    if (!src)
        return 0;
    lr_error err;
    int rc = img_tiff_read_directories(src, &err);
    fuzz_check_error(rc, &err);
    FUZZ_CHECK(fuzz_valid_text(src->warning, sizeof src->warning));
    if (rc == LR_OK) {
        FUZZ_CHECK(src->pages >= 1);
        for (int page = 1; page <= src->pages && page <= FUZZ_MAX_PAGES; page++)
            fuzz_read_page(src, page, true);
    }
    lr_image_close(&src);
    return 0;
}
