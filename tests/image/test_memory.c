/* test_memory.c — peak memory of decoding a 400-dpi A3 colour page (4678 × 6622, RGB,
 * uncompressed: a 93 MB file) must stay near the size of the decoded PIX (124 MB) and well
 * under the 400 MB a worker may use: the file is read a strip at a time, never held whole.
 * Run in its own process so that the peak RSS is this page's. Under AddressSanitizer the RSS
 * figures mean nothing (shadow memory, quarantine) and only the decoding is checked. */
#include <sys/resource.h>
#include <time.h>

#include "image_util.h"
#include "landrec/log.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(void)
{
    lr_log_route_leptonica();
    util_init("image-memory");
    const uint32_t w = 4678, h = 6622;
    const char *path = tmp("a3-400dpi-rgb.tif");

    /* written row by row with small buffers, so that the baseline stays low */
    TIFF *tif = TIFFOpen(path, "w");
    if (!tif)
        return 99;
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, w);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, h);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 400.0f);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 400.0f);
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tif, 0));
    uint8_t *row = malloc((size_t)w * 3);
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            /* paper tone, with a dark band every 100 rows */
            uint8_t v = (y / 100) % 2 && x < 2000 ? 20 : 235;
            row[3 * x] = v;
            row[3 * x + 1] = v;
            row[3 * x + 2] = (uint8_t)(v - 15);
        }
        if (TIFFWriteScanline(tif, row, y, 0) < 0)
            return 99;
    }
    free(row);
    TIFFClose(tif);

    long base = max_rss_kb();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lr_source *src = NULL;
    lr_error err;
    PIX *pix = NULL;
    lr_page_info info;
    CHECK(lr_image_open(path, NULL, &src, NULL, &err) == 0);
    int rc = lr_image_read_page(src, 1, &pix, &info, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long peak = max_rss_kb();
    CHECKF(rc == 0 && pix, "%s: %s", err.message, err.detail);
    if (pix) {
        CHECK(pixGetWidth(pix) == (int)w && pixGetHeight(pix) == (int)h);
        CHECK(pixGetDepth(pix) == 32 && info.dpi_x == 400 && !info.dpi_assumed);
        CHECK(is_black(pix, 10, 150, 25) && is_white(pix, 3000, 150, 40));
    }
    double pix_mb = (double)w * h * 4 / 1048576.0;
    double grew_mb = (double)(peak - base) / 1024.0, peak_mb = (double)peak / 1024.0;
    printf("open + decode: %.0f ms; PIX %.0f MB; peak RSS grew by %.0f MB to %.0f MB%s\n",
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
           pix_mb, grew_mb, peak_mb, UNDER_ASAN ? " (AddressSanitizer: not checked)" : "");
    if (!UNDER_ASAN) {
        CHECKF(grew_mb < pix_mb + 32, "decoding used %.0f MB beyond the %.0f MB PIX",
               grew_mb - pix_mb, pix_mb);
        CHECKF(peak_mb < 400, "peak RSS %.0f MB", peak_mb);
    }
    pixDestroy(&pix);
    lr_image_close(&src);
    unlink(path);
    return lr_test_finish("test_memory");
}
